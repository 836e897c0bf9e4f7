using System.IO.Compression;
using System.Reflection.Metadata;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Switchboard.FunctionalTests.Infrastructure;

namespace Switchboard.FunctionalTests.Packaging;

/// <summary>What <c>dotnet pack Switchboard.slnx</c> produces: one package per project under src/, all of one version
/// (Directory.Build.props), each with what a package page and a debugger need.</summary>
[Collection(PackedSetCollection.Name)]
public class PackageTests(PackedSet packed)
{
    /// <summary>Each package and the packages of the set it depends on: its ProjectReferences, at the set's version.</summary>
    private static readonly Dictionary<string, string[]> SetDependencies = new()
    {
        ["Switchboard"] = [],
        ["Switchboard.AspNetCore"] = ["Switchboard"],
        ["Switchboard.CommandLine"] = ["Switchboard", "Switchboard.AspNetCore"],
        ["Switchboard.OpenTelemetry"] = ["Switchboard"],
        ["Switchboard.Redis"] = ["Switchboard"],
        ["Switchboard.Specification.Tests"] = ["Switchboard", "Switchboard.Testing"],
        ["Switchboard.Testing"] = ["Switchboard"],
    };

    // The SourceLink custom debug information of a portable PDB (its JSON maps local paths to URLs).
    private static readonly Guid SourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");

    [Fact]
    public void Pack_Solution_GivesEverySrcProjectAsAPackage_AllOfTheVersionOfDirectoryBuildProps()
    {
        var version = PropsValue("VersionPrefix") + "-" + PropsValue("VersionSuffix");

        Assert.Equal(SetDependencies.Keys.Order(StringComparer.Ordinal), packed.Manifests.Keys.Order(StringComparer.Ordinal));
        foreach (var (id, dependsOn) in SetDependencies)
        {
            Assert.Equal(version, packed.VersionOf(id));
            var set = Dependencies(id).Where(d => d.Id.StartsWith("Switchboard", StringComparison.Ordinal)).ToList();
            Assert.Equal(dependsOn.Order(StringComparer.Ordinal), set.Select(d => d.Id).Order(StringComparer.Ordinal));
            Assert.All(set, d => Assert.Equal(version, d.Version));
        }
    }

    [Fact]
    public void Pack_EveryPackage_HasReadmeLicenseUrlsTagsDescriptionAndXmlDocs()
    {
        var repository = PropsValue("RepositoryUrl");
        foreach (var id in SetDependencies.Keys)
        {
            var manifest = packed.Manifests[id];
            var files = packed.Files[id];

            Assert.Equal("README.md", Element(manifest, "readme").Value);
            Assert.Contains("README.md", files);
            var license = Element(manifest, "license");
            Assert.Equal(("expression", "MIT"), ((string?)license.Attribute("type"), license.Value));
            Assert.Equal(repository, Element(manifest, "projectUrl").Value);
            Assert.Equal(repository, (string?)Element(manifest, "repository").Attribute("url"));
            Assert.Contains("django-channels", Element(manifest, "tags").Value.Split(' '));
            Assert.False(string.IsNullOrWhiteSpace(Element(manifest, "description").Value), $"{id} has no description.");
            Assert.Contains($"lib/net10.0/{id}.dll", files);
            Assert.Contains($"lib/net10.0/{id}.xml", files);
        }
    }

    [Fact]
    public void Pack_EverySymbolPackage_LinksTheSourcesToTheRepositoryAtACommit()
    {
        var content = PropsValue("RepositoryUrl").Replace("https://github.com/", "https://raw.githubusercontent.com/", StringComparison.Ordinal);
        foreach (var id in SetDependencies.Keys)
        {
            var commit = (string?)Element(packed.Manifests[id], "repository").Attribute("commit");
            Assert.Matches("^[0-9a-f]{40}$", commit);

            using var zip = ZipFile.OpenRead(Path.Combine(packed.Feed, $"{id}.{packed.VersionOf(id)}.snupkg"));
            using var pdb = new MemoryStream();
            using (var entry = zip.GetEntry($"lib/net10.0/{id}.pdb")!.Open())
            {
                entry.CopyTo(pdb);
            }

            pdb.Position = 0;
            using var provider = MetadataReaderProvider.FromPortablePdbStream(pdb);
            var reader = provider.GetMetadataReader();
            var sourceLink = reader.CustomDebugInformation
                .Select(reader.GetCustomDebugInformation)
                .Single(i => reader.GetGuid(i.Kind) == SourceLinkKind);
            using var json = JsonDocument.Parse(reader.GetBlobBytes(sourceLink.Value));
            var url = Assert.Single(json.RootElement.GetProperty("documents").EnumerateObject()).Value.GetString();

            // The commit of the build (an incremental build keeps an older one when no source changed since).
            Assert.Matches("^" + Regex.Escape(content) + "/[0-9a-f]{40}/\\*$", url);
        }
    }

    [Fact]
    public void Pack_Switchboard_CarriesTheAnalyzer_AndEveryPackageOfTheSetPassesItOn()
    {
        // The build-time checks (docs/consumers.md, SB1001-SB1003) come with the core package...
        Assert.Contains("analyzers/dotnet/cs/Switchboard.Analyzers.dll", packed.Files["Switchboard"]);
        Assert.DoesNotContain(packed.Files.Keys, id => id == "Switchboard.Analyzers");

        // ...and reach a project that adds any other package of the set: NuGet's default would exclude a dependency's analyzers.
        foreach (var id in SetDependencies.Keys.Where(id => SetDependencies[id].Contains("Switchboard")))
        {
            var core = packed.Manifests[id].Descendants().Single(e => e.Name.LocalName == "dependency" && (string?)e.Attribute("id") == "Switchboard");
            Assert.DoesNotContain("Analyzers", (string?)core.Attribute("exclude") ?? "", StringComparison.Ordinal);
        }
    }

    private IEnumerable<(string Id, string Version)> Dependencies(string id) =>
        packed.Manifests[id].Descendants().Where(e => e.Name.LocalName == "dependency")
            .Select(e => ((string)e.Attribute("id")!, (string)e.Attribute("version")!));

    private static XElement Element(XElement manifest, string name) => manifest.Elements().Single(e => e.Name.LocalName == name);

    private static string PropsValue(string property) =>
        XDocument.Parse(RepositoryFiles.ReadAllText("Directory.Build.props")).Descendants(property).Single().Value;
}
