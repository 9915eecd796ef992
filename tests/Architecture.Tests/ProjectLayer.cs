namespace ListeningTogether.Architecture.Tests;

/// <summary>One src project in DESIGN's dependency direction, and the other src projects its code may use.</summary>
/// <param name="Project">The folder and project name under src/.</param>
/// <param name="AssemblyName">The assembly it builds.</param>
/// <param name="MayUse">The src projects whose types it may use; every other src project is out of bounds.</param>
public sealed record ProjectLayer(string Project, string AssemblyName, IReadOnlyList<string> MayUse);
