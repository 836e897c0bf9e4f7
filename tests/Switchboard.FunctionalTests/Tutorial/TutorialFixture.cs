using Switchboard.FunctionalTests.Infrastructure;

namespace Switchboard.FunctionalTests.Tutorial;

/// <summary>
/// The reader's side of docs/tutorial.md: <c>dotnet new web</c> and <c>dotnet add reference</c> once, as the page says;
/// then, per step, a copy of that project with the step's files (docs/tutorial/step1 .. stepN, later steps over earlier
/// ones), built with warnings as errors and started on a free loopback port.
/// </summary>
public sealed class TutorialFixture : IAsyncLifetime
{
    // The tests run in the configuration the solution was built in; the tutorial project reuses that build of src.
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private readonly string _root = Path.Combine(Path.GetTempPath(), "switchboard-tutorial-" + Guid.NewGuid().ToString("N")[..8]);

    public static string StepsDirectory => Path.Combine(RepositoryFiles.Root, "docs", "tutorial");

    /// <summary>The project as <c>dotnet new web -o MyChat</c> made it, before the reference was added.</summary>
    public string TemplateProgram { get; private set; } = "";

    private string TemplateDirectory => Path.Combine(_root, "template", "MyChat");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(_root, "template"));
        await DotnetCli.RunAsync(Path.Combine(_root, "template"), null, "new", "web", "-o", "MyChat", "--no-restore");
        TemplateProgram = await File.ReadAllTextAsync(Path.Combine(TemplateDirectory, "Program.cs"));
        var reference = Path.Combine(RepositoryFiles.Root, "src", "Switchboard.AspNetCore", "Switchboard.AspNetCore.csproj");
        await DotnetCli.RunAsync(TemplateDirectory, null, "add", "reference", reference);
    }

    /// <summary>Builds the project as it is after step <paramref name="step"/> and starts it.</summary>
    public async Task<TutorialApp> StartStepAsync(int step)
    {
        var project = Path.Combine(_root, "step" + step, "MyChat");
        CopyDirectory(TemplateDirectory, project);
        for (var i = 1; i <= step; i++)
        {
            CopyDirectory(Path.Combine(StepsDirectory, "step" + i), project);
        }

        // The src projects are built already (this test project references them): build the reader's project only, so
        // that the tests never write into src's outputs. Warnings as errors: the page's code must build clean.
        await DotnetCli.RunAsync(
            project, null, "build", "-c", Configuration, "-warnaserror", "-p:BuildProjectReferences=false", "-nologo");
        return await TutorialApp.StartAsync(project, Path.Combine(project, "bin", Configuration, "net10.0", "MyChat.dll"));
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temporary directory is the system's to clean.
        }

        return Task.CompletedTask;
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }
}
