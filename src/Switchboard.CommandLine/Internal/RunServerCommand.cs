using System.CommandLine;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Switchboard.AspNetCore;

namespace Switchboard.CommandLine.Internal;

/// <summary><c>runserver</c>: daphne's options, mapped onto Kestrel, ASP.NET Core middleware and <see cref="SwitchboardServerOptions"/>.</summary>
internal sealed class RunServerCommand
{
    private const string ServerSection = "Switchboard:Server";

    // A generous bound that keeps TimeSpan.FromSeconds in range: about 31 years.
    private const double MaxSeconds = 1e9;

    private readonly SwitchboardCommandLine _commandLine;
    private readonly Option<string?> _layer;
    private readonly Option<int> _verbosity = CommandSettings.CreateVerbosityOption();
    private readonly Option<string> _bind = new("--bind", "-b")
    {
        Description = "The address to listen on: an IP address (0.0.0.0, ::) or localhost.",
        DefaultValueFactory = static _ => RunServerOptions.DefaultBind,
        HelpName = "ADDRESS",
    };

    private readonly Option<int> _port = new("--port", "-p")
    {
        Description = "The TCP port to listen on; 0 picks a free one.",
        DefaultValueFactory = static _ => RunServerOptions.DefaultPort,
        HelpName = "PORT",
    };

    private readonly Option<string?> _urls = new("--urls")
    {
        Description = "ASP.NET Core server URLs separated by ';' (configuration 'urls', ASPNETCORE_URLS); used when neither --bind nor --port is given.",
        HelpName = "URLS",
    };

    private readonly Option<string?> _unixSocket = new("--unix-socket", "-u")
    {
        Description = "A unix domain socket to listen on; alone, instead of the TCP address.",
        HelpName = "PATH",
    };

    private readonly Option<bool> _proxyHeaders = new("--proxy-headers")
    {
        Description = "Take the client address, scheme and path base from X-Forwarded-For, -Proto and -Prefix, from trusted proxies only.",
    };

    private readonly Option<string[]> _trustedProxies = new("--trusted-proxy")
    {
        Description = "A proxy (IP address or CIDR network) whose X-Forwarded-* headers are believed; repeat for more. Default: 127.0.0.1 and ::1.",
        HelpName = "ADDRESS",
    };

    private readonly Option<string?> _rootPath = new("--root-path")
    {
        Description = "The path prefix the app is mounted under, for example /chat; it becomes the scope's root path.",
        HelpName = "PATH",
    };

    private readonly Option<string?> _accessLog = new("--access-log")
    {
        Description = "Write daphne's access log to FILE, or to standard output with '-'. Default: no access log.",
        HelpName = "FILE",
    };

    private readonly Option<double> _pingInterval = Seconds("--ping-interval", "Ping an idle WebSocket after this many seconds; 0 turns pings off.",
        SwitchboardServerOptions.DefaultKeepAliveInterval, allowZero: true, allowInfinite: false);

    private readonly Option<double> _pingTimeout = Seconds("--ping-timeout", "Drop a WebSocket whose pong has not come this many seconds after a ping.",
        SwitchboardServerOptions.DefaultKeepAliveTimeout, allowZero: false, allowInfinite: false);

    private readonly Option<double> _connectTimeout = Seconds("--websocket-connect-timeout",
        "Refuse a WebSocket handshake the app has not accepted after this many seconds (HTTP 503).",
        SwitchboardServerOptions.DefaultAcceptTimeout, allowZero: false, allowInfinite: false, "--websocket_connect_timeout");

    private readonly Option<double> _applicationCloseTimeout = Seconds("--application-close-timeout",
        "After a disconnect, stop waiting for the app instance after this many seconds.",
        SwitchboardServerOptions.DefaultApplicationCloseTimeout, allowZero: false, allowInfinite: false);

    private readonly Option<double> _websocketTimeout = Seconds("--websocket-timeout",
        "Close WebSockets open longer than this many seconds; -1 never.",
        SwitchboardServerOptions.DefaultMaxConnectionLifetime, allowZero: false, allowInfinite: true, "--websocket_timeout");

    private readonly Option<double?> _httpTimeout = new("--http-timeout", "-t")
    {
        Description = "Answer 503 when the app has not started its HTTP response after this many seconds. Default: no limit.",
        HelpName = "SECONDS",
    };

    private readonly Option<bool> _perMessageDeflate = new("--per-message-deflate")
    {
        Description = "Negotiate WebSocket per-message deflate. Off: compressing secrets next to attacker-chosen text leaks them (compression oracle).",
    };

    public RunServerCommand(SwitchboardCommandLine commandLine, Option<string?> layer)
    {
        _commandLine = commandLine;
        _layer = layer;
        _httpTimeout.Validators.Add(static result =>
        {
            if (CommandSettings.TryGetValue<double?>(result, out var parsed) && parsed is { } value && !(value > 0 && value < MaxSeconds))
            {
                result.AddError("--http-timeout must be a positive number of seconds.");
            }
        });
        _port.Validators.Add(static result =>
        {
            if (CommandSettings.TryGetValue<int>(result, out var port) && port is < 0 or > 65535)
            {
                result.AddError("--port must be between 0 and 65535.");
            }
        });
    }

    public void AddTo(Command command)
    {
        Option[] options =
        [
            _bind, _port, _urls, _unixSocket, _proxyHeaders, _trustedProxies, _rootPath, _accessLog, _pingInterval, _pingTimeout,
            _connectTimeout, _applicationCloseTimeout, _websocketTimeout, _httpTimeout, _perMessageDeflate, _verbosity,
        ];
        foreach (var option in options)
        {
            command.Options.Add(option);
        }

        command.SetAction(RunAsync);
    }

    private static Option<double> Seconds(string name, string description, TimeSpan defaultValue, bool allowZero, bool allowInfinite, params string[] aliases)
    {
        var option = new Option<double>(name, aliases)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue.TotalSeconds,
            HelpName = "SECONDS",
        };
        option.Validators.Add(result =>
        {
            if (!CommandSettings.TryGetValue<double>(result, out var value))
            {
                return;
            }

            var valid = (value > 0 && value < MaxSeconds) || (allowZero && value == 0) || (allowInfinite && value == -1);
            if (!valid)
            {
                result.AddError($"{name} must be {(allowZero ? "zero or " : "")}a positive number of seconds{(allowInfinite ? ", or -1 for no limit" : "")}.");
            }
        });
        return option;
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(Overrides(parse));
        TextWriter? accessLog = null;
        try
        {
            var context = CommandSettings.CreateContext(_commandLine, SwitchboardCommandLine.RunServerCommandName, builder.Configuration, []);
            _commandLine.ConfigureServices(builder, context);

            var settings = builder.Configuration.GetSection(RunServerOptions.SectionName).Get<RunServerOptions>() ?? new RunServerOptions();
            var validation = RunServerOptionsValidator.Instance.Validate(Options.DefaultName, settings);
            if (validation.Failed)
            {
                return CommandSettings.Refuse(parse, string.Join(Environment.NewLine, validation.Failures));
            }

            accessLog = OpenAccessLog(settings.AccessLog);
            ConfigureHost(builder, settings, accessLog);
            await using var app = builder.Build();
            ConfigurePipeline(app, settings, accessLog is not null);
            _commandLine.ConfigureApp(app);
            try
            {
                await app.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                return CommandSettings.Refuse(parse, $"--bind/--port/--unix-socket: cannot listen: {ex.Message}");
            }

            await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }
        catch (OptionsValidationException ex)
        {
            return CommandSettings.Refuse(parse, string.Join(Environment.NewLine, ex.Failures.Select(DescribeFailure)));
        }
        catch (CommandLineException ex)
        {
            return CommandSettings.Refuse(parse, ex.Message);
        }
        finally
        {
            if (accessLog is not null && !ReferenceEquals(accessLog, Console.Out))
            {
                await accessLog.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static void ConfigureHost(WebApplicationBuilder builder, RunServerOptions settings, TextWriter? accessLog)
    {
        builder.Services.AddOptions<RunServerOptions>().BindConfiguration(RunServerOptions.SectionName);
        builder.Services.Configure<SwitchboardServerOptions>(builder.Configuration.GetSection(ServerSection));
        Listen(builder.WebHost, settings, builder.Configuration[WebHostDefaults.ServerUrlsKey]);
        if (settings.ProxyHeaders)
        {
            builder.Services.Configure<ForwardedHeadersOptions>(options => TrustProxies(options, settings));
        }

        if (accessLog is not null)
        {
            builder.Services.AddSwitchboardAccessLog(accessLog);
        }
    }

    /// <summary>The command line's middleware, before the app's endpoints: the forwarded client first, so that the
    /// access log sees it; the access log before the root path, so that it logs the whole path.</summary>
    private static void ConfigurePipeline(WebApplication app, RunServerOptions settings, bool accessLog)
    {
        if (settings.ProxyHeaders)
        {
            app.UseForwardedHeaders();
        }

        if (accessLog)
        {
            app.UseSwitchboardAccessLog();
        }

        if (!string.IsNullOrEmpty(settings.RootPath))
        {
            app.UsePathBase(settings.RootPath.TrimEnd('/'));
        }

        app.UseRouting();
    }

    private Dictionary<string, string?> Overrides(ParseResult parse)
    {
        var overrides = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        CommandSettings.AddCommon(overrides, parse, _layer, _verbosity);
        var run = RunServerOptions.SectionName + ":";
        Set(_bind, run + nameof(RunServerOptions.Bind), static v => v);
        Set(_port, run + nameof(RunServerOptions.Port), static v => v.ToString(CultureInfo.InvariantCulture));
        Set(_urls, WebHostDefaults.ServerUrlsKey, static v => v);
        Set(_unixSocket, run + nameof(RunServerOptions.UnixSocket), static v => v);
        Set(_proxyHeaders, run + nameof(RunServerOptions.ProxyHeaders), static v => v ? "true" : "false");
        Set(_rootPath, run + nameof(RunServerOptions.RootPath), static v => v);
        Set(_accessLog, run + nameof(RunServerOptions.AccessLog), static v => v);
        if (CommandSettings.IsExplicit(parse, _trustedProxies))
        {
            var proxies = parse.GetValue(_trustedProxies) ?? [];
            for (var i = 0; i < proxies.Length; i++)
            {
                overrides[FormattableString.Invariant($"{run}{nameof(RunServerOptions.TrustedProxies)}:{i}")] = proxies[i];
            }
        }

        var server = ServerSection + ":";
        Set(_pingInterval, server + nameof(SwitchboardServerOptions.KeepAliveInterval), Duration);
        Set(_pingTimeout, server + nameof(SwitchboardServerOptions.KeepAliveTimeout), Duration);
        Set(_connectTimeout, server + nameof(SwitchboardServerOptions.AcceptTimeout), Duration);
        Set(_applicationCloseTimeout, server + nameof(SwitchboardServerOptions.ApplicationCloseTimeout), Duration);
        Set(_websocketTimeout, server + nameof(SwitchboardServerOptions.MaxConnectionLifetime), Duration);
        Set(_httpTimeout, server + nameof(SwitchboardServerOptions.HttpResponseTimeout), static v => v is { } seconds ? Duration(seconds) : null);
        Set(_perMessageDeflate, server + nameof(SwitchboardServerOptions.EnablePerMessageDeflate), static v => v ? "true" : "false");
        return overrides;

        void Set<T>(Option<T> option, string key, Func<T, string?> format)
        {
            if (CommandSettings.IsExplicit(parse, option))
            {
                overrides[key] = format(parse.GetValue(option)!);
            }
        }
    }

    private static string Duration(double seconds) =>
        (seconds == -1 ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(seconds)).ToString("c", CultureInfo.InvariantCulture);

    /// <summary>Names the command-line option behind a failed <see cref="SwitchboardServerOptions"/> setting.</summary>
    private static string DescribeFailure(string failure)
    {
        (string Property, string Option)[] names =
        [
            (nameof(SwitchboardServerOptions.KeepAliveInterval), "--ping-interval"),
            (nameof(SwitchboardServerOptions.KeepAliveTimeout), "--ping-timeout"),
            (nameof(SwitchboardServerOptions.AcceptTimeout), "--websocket-connect-timeout"),
            (nameof(SwitchboardServerOptions.ApplicationCloseTimeout), "--application-close-timeout"),
            (nameof(SwitchboardServerOptions.MaxConnectionLifetime), "--websocket-timeout"),
            (nameof(SwitchboardServerOptions.HttpResponseTimeout), "--http-timeout"),
        ];
        foreach (var (property, option) in names)
        {
            if (failure.StartsWith($"{nameof(SwitchboardServerOptions)}.{property} ", StringComparison.Ordinal))
            {
                return $"{failure} (command-line option {option}, configuration {ServerSection}:{property})";
            }
        }

        return failure;
    }

    /// <summary>Listens where the options say: bind and port (default 127.0.0.1:8000) and the unix socket, or ASP.NET
    /// Core's <c>urls</c> when neither bind nor port is given (as <c>--urls</c> and <c>ASPNETCORE_URLS</c> work for any app).</summary>
    private static void Listen(IWebHostBuilder webHost, RunServerOptions settings, string? urls)
    {
        var unixSocket = string.IsNullOrEmpty(settings.UnixSocket) ? null : settings.UnixSocket;
        if (settings.Bind is null && settings.Port is null && !string.IsNullOrWhiteSpace(urls))
        {
            // Code-configured endpoints would make Kestrel ignore the URLs, so the socket joins them as a URL.
            webHost.UseUrls(unixSocket is null ? urls : $"{urls};http://unix:{unixSocket}");
            return;
        }

        webHost.ConfigureKestrel(kestrel =>
        {
            if (unixSocket is not null)
            {
                kestrel.ListenUnixSocket(unixSocket);
                if (settings.Bind is null && settings.Port is null)
                {
                    return;
                }
            }

            var port = settings.Port ?? RunServerOptions.DefaultPort;
            var bind = settings.Bind ?? RunServerOptions.DefaultBind;
            if (string.Equals(bind, "localhost", StringComparison.OrdinalIgnoreCase))
            {
                kestrel.ListenLocalhost(port);
            }
            else
            {
                kestrel.Listen(IPAddress.Parse(bind), port);
            }
        });
    }

    private static void TrustProxies(ForwardedHeadersOptions options, RunServerOptions settings)
    {
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedPrefix;
        if (settings.TrustedProxies.Count == 0)
        {
            return; // ASP.NET Core trusts the loopback addresses by default.
        }

        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in settings.TrustedProxies)
        {
            if (IPAddress.TryParse(proxy, out var address))
            {
                options.KnownProxies.Add(address);
            }
            else
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(proxy));
            }
        }
    }

    private static TextWriter? OpenAccessLog(string? target)
    {
        if (target is null or "-")
        {
            return target is null ? null : Console.Out;
        }

        try
        {
            return new StreamWriter(new FileStream(target, FileMode.Append, FileAccess.Write, FileShare.ReadWrite));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CommandLineException($"--access-log {target}: the file cannot be opened for writing: {ex.Message}");
        }
    }
}
