using System.Runtime.InteropServices;

namespace Switchboard.Benchmarks;

/// <summary>
/// Entry point. <c>run</c> (the default) is the load generator, which compares the reference app with its peers;
/// <c>ceiling</c> and <c>signalr</c> run those servers (the load generator starts them this way).
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "ceiling")
        {
            await CeilingServer.RunAsync(args[1..]);
            return 0;
        }

        if (args.Length > 0 && args[0] == "signalr")
        {
            await SignalRServer.RunAsync(args[1..]);
            return 0;
        }

        var runArgs = args.Length > 0 && args[0] == "run" ? args[1..] : args;
        if (runArgs.Contains("--help") || runArgs.Contains("-h"))
        {
            Console.WriteLine(BenchmarkOptions.Usage);
            return 0;
        }

        BenchmarkOptions options;
        try
        {
            options = BenchmarkOptions.Parse(runArgs);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine(BenchmarkOptions.Usage);
            return Harness.SetupFailed;
        }

        var harness = new Harness(options, FindRepositoryRoot());
        using var cancellation = new CancellationTokenSource();

        // First Ctrl+C or SIGTERM: stop the runs and report what was measured. A second one: kill the servers and quit.
        void OnSignal(PosixSignalContext context)
        {
            if (cancellation.IsCancellationRequested)
            {
                harness.StopServers();
                return;
            }

            context.Cancel = true;
            cancellation.Cancel();
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => harness.StopServers();
        try
        {
            return await harness.RunAsync(cancellation.Token);
        }
        catch (Exception ex)
        {
            // Catch everything so the servers are stopped (finally blocks do not run for an unhandled exception).
            harness.StopServers();
            Console.Error.WriteLine($"The harness failed: {ex}");
            return Harness.Failed;
        }
    }

    /// <summary>The folder holding Switchboard.slnx, searched upward from the current folder, then from this assembly.</summary>
    private static string FindRepositoryRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            // Bounded by the depth of the path.
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Switchboard.slnx")))
                {
                    return dir.FullName;
                }
            }
        }

        return Environment.CurrentDirectory;
    }
}
