using System.Net.WebSockets;
using System.Text.RegularExpressions;
using Switchboard.FunctionalTests.Infrastructure;

namespace Switchboard.FunctionalTests.Packaging;

/// <summary>
/// The README's "Use it in your own project", done as a reader does it: a fresh <c>dotnet new web</c> app whose
/// Program.cs is the README's example (read from README.md now, so the page cannot drift), built once against the
/// packed packages from a local package source and once with the README's ProjectReference to this repository. Each
/// app runs as its own process on a free loopback port and chats over real WebSockets.
/// </summary>
[Collection(PackedSetCollection.Name)]
public partial class ReadmeAppTests(PackedSet packed)
{
    [Fact]
    public async Task Packages_FreshWebAppWithTheReadmeExample_ChatsOverWebSockets()
    {
        var readme = RepositoryFiles.ReadAllText("README.md");
        var id = ReadmeCommand(readme, AddPackageCommand()).Groups["id"].Value;
        var version = packed.VersionOf(id);
        var root = Directory.CreateTempSubdirectory("sb-readme-packages-").FullName;
        try
        {
            // The local source next to the machine's own (user-level NuGet.Config), which still serves Microsoft's
            // packages; a packages folder of the test's own, so no earlier pack of the same version is reused.
            await File.WriteAllTextAsync(Path.Combine(root, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <add key="switchboard-local" value="{packed.Feed}" />
                  </packageSources>
                </configuration>
                """);
            var packages = Path.Combine(root, "packages");
            var environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = packages };
            var app = await NewWebAppAsync(root, environment, readme);

            await DotnetCli.RunAsync(app, environment, "add", "package", id, "--version", version);
            var dll = await BuildAsync(app, environment);

            // The one package brought the core with it, both from the local source at the set's version.
            Assert.True(Directory.Exists(Path.Combine(packages, id.ToLowerInvariant(), version)), $"{id} {version} was not restored.");
            Assert.True(Directory.Exists(Path.Combine(packages, "switchboard", version)), $"{id} did not bring Switchboard {version}.");
            await ChatAsync(dll);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task ProjectReference_FreshWebAppWithTheReadmeExample_ChatsOverWebSockets()
    {
        var readme = RepositoryFiles.ReadAllText("README.md");
        // The README's path is from an app next to a clone; here the clone is this repository.
        var path = ReadmeCommand(readme, AddReferenceCommand()).Groups["path"].Value;
        var project = Path.Combine(RepositoryFiles.Root, path[path.IndexOf("src/", StringComparison.Ordinal)..]);
        Assert.True(File.Exists(project), $"README.md references {path}, which is not a project of this repository.");
        var root = Directory.CreateTempSubdirectory("sb-readme-reference-").FullName;
        try
        {
            var app = await NewWebAppAsync(root, null, readme);

            await DotnetCli.RunAsync(app, null, "add", "reference", project);
            await ChatAsync(await BuildAsync(app, null));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static Match ReadmeCommand(string readme, Regex command)
    {
        var match = command.Match(readme);
        Assert.True(match.Success, $"README.md shows no command that matches {command}.");
        return match;
    }

    /// <summary><c>dotnet new web</c>, with the README's example as Program.cs.</summary>
    private static async Task<string> NewWebAppAsync(string root, IReadOnlyDictionary<string, string>? environment, string readme)
    {
        await DotnetCli.RunAsync(root, environment, "new", "web", "-o", "MyChat", "--no-restore");
        var example = CSharpFence().Matches(readme).Select(m => m.Groups["code"].Value).FirstOrDefault(c => c.Contains("MapSwitchboard", StringComparison.Ordinal));
        Assert.True(example is not null, "README.md has no ```csharp example that calls MapSwitchboard.");
        var app = Path.Combine(root, "MyChat");
        await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), example);
        return app;
    }

    /// <summary>Builds the app (in the tests' configuration, so a referenced project is already built) and returns its
    /// assembly. The README's example compiles without a warning.</summary>
    private static async Task<string> BuildAsync(string app, IReadOnlyDictionary<string, string>? environment)
    {
        var output = await DotnetCli.RunAsync(app, environment, "build", "-c", PackedSet.Configuration, "-nologo");
        Assert.DoesNotContain(output.Split('\n'), line => line.Contains(": warning ", StringComparison.Ordinal));
        return Path.Combine(app, "bin", PackedSet.Configuration, "net10.0", "MyChat.dll");
    }

    /// <summary>Runs the app on a free loopback port: two clients in one room both get what one says; a client in a room
    /// whose name is no valid group name gets only its own.</summary>
    private static async Task ChatAsync(string dll)
    {
        await using var app = AppProcess.StartAssembly(dll, ["--urls", "http://127.0.0.1:0"]);
        var server = new UriBuilder(await app.WaitForListeningAsync()) { Scheme = "ws" }.Uri;
        using var alice = await ConnectAsync(server, "ws/chat/lobby/");
        using var bob = await ConnectAsync(server, "ws/chat/lobby/");
        using var carol = await ConnectAsync(server, "ws/chat/caf%C3%A9/");

        await alice.SendTextAsync("hello from a fresh app");
        Assert.Equal("hello from a fresh app", (await alice.ReceiveMessageAsync()).Text);
        Assert.Equal("hello from a fresh app", (await bob.ReceiveMessageAsync()).Text);
        await carol.SendTextAsync("elsewhere");
        Assert.Equal("elsewhere", (await carol.ReceiveMessageAsync()).Text);

        foreach (var socket in new[] { alice, bob, carol })
        {
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).DefaultTimeout();
        }
    }

    private static async Task<ClientWebSocket> ConnectAsync(Uri server, string path)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri(server, path), CancellationToken.None).DefaultTimeout();
        return socket;
    }

    [GeneratedRegex(@"```csharp\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpFence();

    [GeneratedRegex(@"dotnet add package (?<id>[A-Za-z0-9.]+)")]
    private static partial Regex AddPackageCommand();

    [GeneratedRegex(@"dotnet add reference (?<path>\S+\.csproj)")]
    private static partial Regex AddReferenceCommand();
}
