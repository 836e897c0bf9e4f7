using System.CommandLine;
using System.CommandLine.Parsing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Switchboard.CommandLine.Internal;

/// <summary>The options every command has (<c>--layer</c>, <c>--verbosity</c>) and how parsed values become configuration.</summary>
/// <remarks>Every option is written into an in-memory configuration source added last, so the command line wins over
/// the environment and appsettings.json, and each option has a configuration key that works without it.</remarks>
internal static class CommandSettings
{
    public const string LogLevelKey = "Logging:LogLevel:Default";

    public static Option<string?> CreateLayerOption() => new("--layer")
    {
        Description = $"The channel layer URL, for example redis://127.0.0.1:6379 (also {SwitchboardCommandLine.LayerEnvironmentVariable}, "
            + $"or {SwitchboardCommandLine.LayerConfigurationKey}). None: the in-memory layer.",
        HelpName = "URL",
        Recursive = true,
    };

    public static Option<int> CreateVerbosityOption()
    {
        var option = new Option<int>("--verbosity", "-v")
        {
            Description = $"How much to log: 0 warnings and errors, 1 information, 2 debug, 3 trace (configuration {LogLevelKey}).",
            DefaultValueFactory = static _ => 1,
            HelpName = "0-3",
        };
        option.Validators.Add(static result =>
        {
            if (TryGetValue<int>(result, out var value) && value is < 0 or > 3)
            {
                result.AddError("--verbosity must be 0, 1, 2 or 3.");
            }
        });
        return option;
    }

    /// <summary>Reads an option's value in a validator; false when the value did not convert (that error is reported already).</summary>
    public static bool TryGetValue<T>(OptionResult result, out T value)
    {
        try
        {
            value = result.GetValueOrDefault<T>();
            return true;
        }
        catch (InvalidOperationException)
        {
            value = default!;
            return false;
        }
    }

    public static bool IsExplicit(ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };

    /// <summary>Adds the layer (command line, then <c>SWITCHBOARD_LAYER</c>) and the log level to the overrides.</summary>
    public static void AddCommon(Dictionary<string, string?> overrides, ParseResult parse, Option<string?> layer, Option<int> verbosity)
    {
        var url = IsExplicit(parse, layer)
            ? parse.GetValue(layer)
            : Environment.GetEnvironmentVariable(SwitchboardCommandLine.LayerEnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(url))
        {
            overrides[SwitchboardCommandLine.LayerConfigurationKey] = url.Trim();
        }

        if (IsExplicit(parse, verbosity))
        {
            overrides[LogLevelKey] = parse.GetValue(verbosity) switch
            {
                0 => nameof(LogLevel.Warning),
                1 => nameof(LogLevel.Information),
                2 => nameof(LogLevel.Debug),
                _ => nameof(LogLevel.Trace),
            };
        }
    }

    /// <summary>Builds the context handed to the app, with the layer URL read from configuration.</summary>
    public static SwitchboardCommandContext CreateContext(
        SwitchboardCommandLine commandLine, string commandName, IConfiguration configuration, IReadOnlyList<string> channels)
    {
        var value = configuration[SwitchboardCommandLine.LayerConfigurationKey];
        Uri? layer = null;
        if (!string.IsNullOrWhiteSpace(value) && !Uri.TryCreate(value, UriKind.Absolute, out layer))
        {
            throw new CommandLineException(
                $"--layer '{value}' ({SwitchboardCommandLine.LayerEnvironmentVariable}, {SwitchboardCommandLine.LayerConfigurationKey}) "
                + "is not a URL; use for example redis://127.0.0.1:6379, or leave it out for the in-memory layer.");
        }

        return new SwitchboardCommandContext(commandName, layer, channels, commandLine.LayerSchemes);
    }

    public static int Refuse(ParseResult parse, string message)
    {
        parse.InvocationConfiguration.Error.WriteLine(message);
        return 2;
    }
}
