using ArchUnitNET.xUnit;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace ListeningTogether.Architecture.Tests;

/// <summary>
/// DESIGN: Pipeline is the transport-agnostic core, pure and deterministic; it references no transport, no ASP.NET,
/// no cloud SDK, and does no I/O except reading the geo databases.
/// </summary>
[Collection(LoadedProjectsCollection.Name)]
public sealed class PipelineIsolationTests(LoadedProjects projects)
{
    /// <summary>Namespaces of web hosting, transports, cloud SDKs and storage formats.</summary>
    private const string OutsideWorldNamespaces =
        @"^(Microsoft\.AspNetCore|Microsoft\.Extensions\.Hosting|Microsoft\.Azure|Azure|Google|Grpc|StackExchange\.Redis|Parquet|ParquetSharp)(\..+)?$";

    /// <summary>Types that reach files, the network, the console or other processes (IP address values are data).</summary>
    private const string IoTypes =
        @"^(System\.IO\..+|System\.Net\.(?!IPAddress$|IPNetwork$).+|System\.Console|System\.Diagnostics\.Process.*|MaxMind\.Db\.Reader)$";

    /// <summary>The one reader of the geo databases (and its compiler-generated nested types).</summary>
    private const string GeoDatabaseReader = @"^ListeningTogether\.Pipeline\.Geo\.MmdbFile([+/].*)?$";

    /// <summary>What the geo database reader uses to open a database: nothing else of <see cref="IoTypes"/>.</summary>
    private static readonly string[] GeoDatabaseReaderIo = ["System.IO.File", "System.IO.IOException", "MaxMind.Db.Reader"];

    [Fact]
    public void Pipeline_references_no_transport_no_ASP_NET_and_no_cloud_SDK()
    {
        Types().That().ResideInAssembly(projects.Assembly("Pipeline"))
            .Should().NotDependOnAny(Types(true).That().ResideInNamespaceMatching(OutsideWorldNamespaces))
            .Because("DESIGN: Pipeline references no transport, no ASP.NET, no cloud SDK")
            .Check(projects.Model);
    }

    [Fact]
    public void Only_the_geo_database_reader_does_IO_in_Pipeline()
    {
        Types().That().ResideInAssembly(projects.Assembly("Pipeline")).And().DoNotHaveFullNameMatching(GeoDatabaseReader)
            .Should().NotDependOnAny(Types(true).That().HaveFullNameMatching(IoTypes))
            .Because("DESIGN: Pipeline is pure, with no I/O except reading the geo databases (Geo.MmdbFile)")
            .Check(projects.Model);
    }

    [Fact]
    public void The_geo_database_reader_only_opens_and_reads_its_file()
    {
        var otherIo = Types(true).That().HaveFullNameMatching(IoTypes);
        foreach (string allowed in GeoDatabaseReaderIo)
        {
            otherIo = otherIo.And().DoNotHaveFullName(allowed);
        }

        Types().That().ResideInAssembly(projects.Assembly("Pipeline")).And().HaveFullNameMatching(GeoDatabaseReader)
            .Should().NotDependOnAny(otherIo)
            .Because("the geo database reader reads a database file, and nothing else")
            .Check(projects.Model);
    }
}
