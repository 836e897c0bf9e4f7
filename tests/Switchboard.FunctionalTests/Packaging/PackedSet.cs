using System.IO.Compression;
using System.Reflection;
using System.Xml.Linq;
using Switchboard.FunctionalTests.Infrastructure;

namespace Switchboard.FunctionalTests.Packaging;

/// <summary>
/// The repository's packages, packed once for a test class by <c>dotnet pack Switchboard.slnx --no-build</c> (the
/// build the tests run from) into a temporary folder that serves as a local package source.
/// </summary>
public sealed class PackedSet : IAsyncLifetime
{
    /// <summary>The folder of the .nupkg and .snupkg files.</summary>
    public string Feed { get; } = Directory.CreateTempSubdirectory("sb-feed-").FullName;

    /// <summary>Each package's manifest (its .nuspec), by package id.</summary>
    public IReadOnlyDictionary<string, XElement> Manifests { get; private set; } = new Dictionary<string, XElement>();

    /// <summary>Each package's file paths inside the .nupkg, by package id.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Files { get; private set; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>The configuration the tests were built in (Release under ./test.sh), so the pack needs no build.</summary>
    public static string Configuration { get; } =
        typeof(PackedSet).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    public async Task InitializeAsync()
    {
        try
        {
            await DotnetCli.RunAsync(RepositoryFiles.Root, null,
                "pack", "Switchboard.slnx", "-c", Configuration, "--no-build", "--no-restore", "-o", Feed, "-nologo", "-clp:ErrorsOnly");
        }
        catch (Exception e) when (e is not TimeoutException)
        {
            throw new InvalidOperationException(
                $"Packing failed; the pack uses the build the tests run from, so build the whole solution first (dotnet build Switchboard.slnx -c {Configuration}; ./test.sh does).", e);
        }

        var manifests = new Dictionary<string, XElement>();
        var files = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var nupkg in Directory.GetFiles(Feed, "*.nupkg"))
        {
            using var zip = ZipFile.OpenRead(nupkg);
            var nuspec = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal) && !e.FullName.Contains('/', StringComparison.Ordinal));
            await using var stream = nuspec.Open();
            var metadata = (await XDocument.LoadAsync(stream, LoadOptions.None, CancellationToken.None)).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
            var id = metadata.Elements().Single(e => e.Name.LocalName == "id").Value;
            manifests[id] = metadata;
            files[id] = zip.Entries.Select(e => e.FullName).ToList();
        }

        Manifests = manifests;
        Files = files;
    }

    /// <summary>A package's version, from its manifest.</summary>
    public string VersionOf(string id) => Manifests[id].Elements().Single(e => e.Name.LocalName == "version").Value;

    public Task DisposeAsync()
    {
        Directory.Delete(Feed, recursive: true);
        return Task.CompletedTask;
    }
}
