using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Switchboard.CommandLine.Internal;

/// <summary>
/// <c>runworker CHANNEL... [--concurrency N]</c> (Channels' <c>manage.py runworker</c>): a host without a web server
/// that runs the app's <c>ChannelNameRouter</c> consumers on the named channels through <c>AddWorker(...)</c>.
/// </summary>
internal sealed class RunWorkerCommand(SwitchboardCommandLine commandLine, Option<string?> layer)
{
    private const string ConcurrencyKey = "Switchboard:Worker:Concurrency";

    private readonly Option<int> _verbosity = CommandSettings.CreateVerbosityOption();
    private readonly Argument<string[]> _channels = new("channel")
    {
        Description = "The named channels to consume, for example thumbnails.",
        Arity = ArgumentArity.OneOrMore,
    };

    private readonly Option<int> _concurrency = new("--concurrency")
    {
        Description = $"How many messages of each channel are handled at once; 1 keeps each channel's order (configuration {ConcurrencyKey}).",
        DefaultValueFactory = static _ => 1,
        HelpName = "N",
    };

    public void AddTo(Command command)
    {
        _channels.Validators.Add(static result =>
        {
            foreach (var channel in result.GetValueOrDefault<string[]>() ?? [])
            {
                if (!ChannelNames.IsValidChannelName(channel) || ChannelNames.IsProcessSpecific(channel))
                {
                    result.AddError($"runworker: '{channel}' is not a normal channel name such as thumbnails (ASCII letters, digits, '-', '_', '.'; no '!').");
                }
            }
        });
        _concurrency.Validators.Add(static result =>
        {
            if (CommandSettings.TryGetValue<int>(result, out var concurrency) && concurrency < 1)
            {
                result.AddError("--concurrency must be at least 1.");
            }
        });
        command.Arguments.Add(_channels);
        command.Options.Add(_concurrency);
        command.Options.Add(_verbosity);
        command.SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var channels = parse.GetValue(_channels) ?? [];
        var overrides = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        CommandSettings.AddCommon(overrides, parse, layer, _verbosity);
        if (CommandSettings.IsExplicit(parse, _concurrency))
        {
            overrides[ConcurrencyKey] = parse.GetValue(_concurrency).ToString(CultureInfo.InvariantCulture);
        }

        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(overrides);
        try
        {
            var context = CommandSettings.CreateContext(commandLine, SwitchboardCommandLine.RunWorkerCommandName, builder.Configuration, channels);
            commandLine.ConfigureServices(builder, context);
            var concurrency = builder.Configuration.GetValue(ConcurrencyKey, 1);
            if (concurrency < 1)
            {
                return CommandSettings.Refuse(parse, $"--concurrency ({ConcurrencyKey}) must be at least 1; it is {concurrency}.");
            }

            new ServiceCollectionSwitchboardBuilder(builder.Services).AddWorker(channels);

            // Exactly the channels on the command line, whatever in-process workers the app adds for runserver.
            builder.Services.PostConfigure<WorkerOptions>(options =>
            {
                options.Channels.Clear();
                options.Channels.UnionWith(channels);
                options.Concurrency = concurrency;
            });

            using var host = builder.Build();
            if (Check(host.Services, channels) is { } refusal)
            {
                return CommandSettings.Refuse(parse, refusal);
            }

            await host.StartAsync(cancellationToken).ConfigureAwait(false);
            await host.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }
        catch (OptionsValidationException ex)
        {
            return CommandSettings.Refuse(parse, string.Join(Environment.NewLine, ex.Failures));
        }
        catch (CommandLineException ex)
        {
            return CommandSettings.Refuse(parse, ex.Message);
        }
    }

    /// <summary>Refuses to start with the in-memory layer (it does not cross processes) or for a channel nothing routes.</summary>
    private static string? Check(IServiceProvider services, string[] channels)
    {
        var layer = services.GetService<IChannelLayer>();
        if (layer is null or InMemoryChannelLayer)
        {
            return "runworker needs a channel layer that crosses processes, such as --layer redis://127.0.0.1:6379 (or "
                + $"{SwitchboardCommandLine.LayerEnvironmentVariable}). With the in-memory layer, workers run inside the server "
                + "process: 'runserver' starts them (AddWorker(...)), and a separate worker process would never see a message.";
        }

        var application = services.GetService<SwitchboardApplication>();
        if (application is null)
        {
            return "runworker found no Switchboard application: call builder.Services.AddSwitchboard(application) in the app's service configuration.";
        }

        foreach (var channel in channels)
        {
            var scope = new ConnectionScope(ScopeTypes.Channel) { Channel = channel, Path = "", RawPath = "" };
            if (!application.Application.CanHandle(scope))
            {
                return $"runworker {channel}: the app routes nothing to channel '{channel}'. Map a consumer with "
                    + $"ProtocolTypeRouter[\"channel\"] = new ChannelNameRouter().Map<TConsumer>(\"{channel}\").";
            }
        }

        return null;
    }
}
