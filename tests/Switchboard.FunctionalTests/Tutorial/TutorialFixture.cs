using System.Diagnostics;

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

    private static readonly TimeSpan s_commandTimeout = TimeSpan.FromMinutes(3);

    private readonly string _root = Path.Combine(Path.GetTempPath(), "switchboard-tutorial-" + Guid.NewGuid().ToString("N")[..8]);

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string StepsDirectory => Path.Combine(RepositoryRoot, "docs", "tutorial");

    /// <summary>The project as <c>dotnet new web -o MyChat</c> made it, before the reference was added.</summary>
    public string TemplateProgram { get; private set; } = "";

    private string TemplateDirectory => Path.Combine(_root, "template", "MyChat");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(_root, "template"));
        await RunDotnetAsync(Path.Combine(_root, "template"), "new", "web", "-o", "MyChat", "--no-restore");
        TemplateProgram = await File.ReadAllTextAsync(Path.Combine(TemplateDirectory, "Program.cs"));
        var reference = Path.Combine(RepositoryRoot, "src", "Switchboard.AspNetCore", "Switchboard.AspNetCore.csproj");
        await RunDotnetAsync(TemplateDirectory, "add", "reference", reference);
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
        await RunDotnetAsync(
            project, "build", "-c", Configuration, "-warnaserror", "-nodeReuse:false", "-p:BuildProjectReferences=false", "-nologo");
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

    /// <summary>Runs a dotnet CLI command with its output in a log file: build servers that outlive the command inherit
    /// the file, not a pipe this process would wait on.</summary>
    private static async Task RunDotnetAsync(string directory, params string[] args)
    {
        var log = Path.Combine(Path.GetTempPath(), "switchboard-tutorial-" + Guid.NewGuid().ToString("N")[..8] + ".log");
        var start = new ProcessStartInfo("sh") { WorkingDirectory = directory, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec dotnet \"$@\" > \"$LOG\" 2>&1");
        start.ArgumentList.Add("sh");
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["LOG"] = log;
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        using var process = Process.Start(start)!;
        try
        {
            await process.WaitForExitAsync().WaitAsync(s_commandTimeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var output = File.Exists(log) ? await File.ReadAllTextAsync(log) : "";
        File.Delete(log);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet {string.Join(' ', args)} failed with {process.ExitCode} in {directory}:\n{output}");
        }
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

    private static string FindRepositoryRoot()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Switchboard.slnx")))
        {
            root = root.Parent;
        }

        return root?.FullName ?? throw new InvalidOperationException("Switchboard.slnx not found above " + AppContext.BaseDirectory);
    }
}
