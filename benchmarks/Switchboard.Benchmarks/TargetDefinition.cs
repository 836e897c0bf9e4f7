namespace Switchboard.Benchmarks;

/// <summary>How to start one target: <c>dotnet ASSEMBLY ARGUMENTS --urls URL</c> with extra environment variables.</summary>
internal sealed record TargetDefinition(
    string Name, string AssemblyPath, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>The target named <paramref name="name"/> (<c>chat</c> or <c>ceiling</c>).</summary>
    public static TargetDefinition For(string name, BenchmarkOptions options, string repositoryRoot) => name switch
    {
        // The reference app runs exactly as built, with its own defaults.
        "chat" => new(
            name,
            options.ChatPath ?? Path.Combine(repositoryRoot, "samples", "Chat", "bin", "Release", "net10.0", "Chat.dll"),
            options.ChatArgs,
            new Dictionary<string, string>()),

        // The ceiling is this assembly, built with the client's workstation GC; the environment gives it what the
        // Web SDK gives every ASP.NET Core app (and so the Chat app): server GC with dynamic adaptation (DATAS).
        "ceiling" => new(
            name,
            typeof(TargetDefinition).Assembly.Location,
            ["ceiling"],
            new Dictionary<string, string> { ["DOTNET_gcServer"] = "1", ["DOTNET_GCDynamicAdaptationMode"] = "1" }),

        _ => throw new ArgumentException($"Unknown target '{name}'; use chat or ceiling.", nameof(name)),
    };
}
