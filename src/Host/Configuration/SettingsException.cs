namespace ListeningTogether.Host.Configuration;

/// <summary>A setting or argument that is missing or invalid; its message names the key.</summary>
internal sealed class SettingsException(string message) : Exception(message);
