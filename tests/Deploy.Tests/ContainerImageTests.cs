using System.Text.RegularExpressions;
using System.Xml.Linq;
using ListeningTogether.Deploy.Tests.Fixtures;

namespace ListeningTogether.Deploy.Tests;

/// <summary>
/// Issue 6: deploy/Dockerfile builds the project these tests build, on pinned base images, into a runtime image
/// without the SDK that runs as a non-root user and checks its own health where the manifests' probes do.
/// (The image itself is not built here: the machine has no container runtime; deploy/README.md says so.)
/// </summary>
public sealed partial class ContainerImageTests
{
    private static readonly Dockerfile File = Dockerfile.Load(RepositoryFiles.Deploy("Dockerfile"));

    [Fact]
    public void GivenTheDockerfile_ThenEveryBaseImageIsPinnedByTagAndDigest()
    {
        Assert.Equal(3, File.Stages.Count);
        Assert.All(File.Stages, s => Assert.Matches(PinnedImage(), s.Image));
    }

    [Fact]
    public void GivenTheDockerfile_ThenItPublishesTheHostProjectTheseTestsReferenceAndRunsItsAssembly()
    {
        string publish = File.Stages.SelectMany(s => s.Body).Single(i => i.Instruction == "RUN" && i.Arguments.Contains("dotnet publish", StringComparison.Ordinal)).Arguments;
        string project = Regex.Match(publish, @"dotnet publish (\S+\.csproj)").Groups[1].Value;
        string referenced = XDocument.Load(Path.Combine(RepositoryFiles.Root, "tests", "Deploy.Tests", "Deploy.Tests.csproj"))
            .Descendants("ProjectReference").Single().Attribute("Include")!.Value;
        string assembly = XDocument.Load(Path.Combine(RepositoryFiles.Root, project)).Descendants("AssemblyName").Single().Value;

        Assert.Equal(Path.GetFullPath(Path.Combine(RepositoryFiles.Root, "tests", "Deploy.Tests", referenced)), Path.GetFullPath(Path.Combine(RepositoryFiles.Root, project)));
        Assert.Contains($"\"/app/{assembly}.dll\"", File.Stages[^1].Body.Single(i => i.Instruction == "ENTRYPOINT").Arguments, StringComparison.Ordinal);
        Assert.Contains("-c Release", publish, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenTheDockerfile_ThenEveryProjectTheHostNeedsIsCopiedBeforeTheRestore()
    {
        var body = File.Stages.Single(s => s.Body.Any(i => i.Arguments.Contains("dotnet restore", StringComparison.Ordinal))).Body.ToList();
        int restore = body.FindIndex(i => i.Instruction == "RUN" && i.Arguments.Contains("dotnet restore", StringComparison.Ordinal));
        var copied = body.Take(restore).Where(i => i.Instruction == "COPY").SelectMany(i => i.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..^1]).ToHashSet(StringComparer.Ordinal);

        foreach (string project in ProjectClosure("src/Host/Host.csproj"))
        {
            Assert.Contains(project, copied);
        }

        Assert.Contains("Directory.Packages.props", copied);
        Assert.Contains("src/Directory.Build.props", copied);
        Assert.Contains("src/Host/ClientApp/ClientApp.targets", copied);
    }

    [Fact]
    public void GivenTheRuntimeStage_ThenItHasNoSdkAndRunsAsTheImagesNonRootUser()
    {
        var runtime = File.Stages[^1];

        Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:", runtime.Image, StringComparison.Ordinal);
        Assert.Equal("$APP_UID", runtime.Body.Last(i => i.Instruction == "USER").Arguments);
        Assert.DoesNotContain(runtime.Body, i => i.Instruction == "RUN");
    }

    [Fact]
    public void GivenTheRuntimeStage_ThenItListensAndChecksItsHealthOnThePortTheManifestsProbe()
    {
        var runtime = File.Stages[^1].Body;
        string healthCheck = runtime.Single(i => i.Instruction == "HEALTHCHECK").Arguments;
        string settings = System.IO.File.ReadAllText(RepositoryFiles.Deploy("base/settings/common.env"));

        Assert.Equal("8080", runtime.Single(i => i.Instruction == "EXPOSE").Arguments);
        Assert.Contains("ASPNETCORE_URLS=http://+:8080", runtime.Single(i => i.Instruction == "ENV").Arguments, StringComparison.Ordinal);
        Assert.Contains("/dev/tcp/127.0.0.1/8080", healthCheck, StringComparison.Ordinal);
        Assert.Contains("GET /healthz", healthCheck, StringComparison.Ordinal);
        Assert.Contains("LT__Urls=http://+:8080", settings, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenTheDockerIgnoreFile_ThenItKeepsBuildOutputsAndDataOutButNothingTheDockerfileCopies()
    {
        string[] ignored = [.. System.IO.File.ReadAllLines(Path.Combine(RepositoryFiles.Root, ".dockerignore")).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))];
        var sources = File.Stages.SelectMany(s => s.Body)
            .Where(i => i.Instruction == "COPY" && !i.Arguments.StartsWith("--from", StringComparison.Ordinal))
            .SelectMany(i => i.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..^1]);

        Assert.Superset(new HashSet<string> { "**/bin/", "**/obj/", "**/node_modules/", "data/", ".git/" }, ignored.ToHashSet());
        foreach (string source in sources)
        {
            Assert.DoesNotContain(ignored, pattern => !pattern.StartsWith('!') && !pattern.StartsWith("**/", StringComparison.Ordinal) && !pattern.StartsWith('*')
                && (source.StartsWith(pattern, StringComparison.Ordinal) || source + "/" == pattern));
        }
    }

    /// <summary>The project and every project it references, transitively, as repository-relative paths.</summary>
    private static HashSet<string> ProjectClosure(string project)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out string? current))
        {
            if (!seen.Add(current))
            {
                continue;
            }

            string folder = Path.GetDirectoryName(current)!;
            foreach (XElement reference in XDocument.Load(Path.Combine(RepositoryFiles.Root, current)).Descendants("ProjectReference"))
            {
                string full = Path.GetFullPath(Path.Combine(RepositoryFiles.Root, folder, reference.Attribute("Include")!.Value));
                pending.Push(Path.GetRelativePath(RepositoryFiles.Root, full).Replace('\\', '/'));
            }
        }

        return seen;
    }

    [GeneratedRegex(@"^[a-z0-9.\-/]+:[A-Za-z0-9.\-]+@sha256:[0-9a-f]{64}$")]
    private static partial Regex PinnedImage();
}
