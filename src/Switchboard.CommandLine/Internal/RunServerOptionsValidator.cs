using System.Net;
using Microsoft.Extensions.Options;

namespace Switchboard.CommandLine.Internal;

/// <summary>Checks <see cref="RunServerOptions"/> before the server starts; each failure names the option and its key.</summary>
internal sealed class RunServerOptionsValidator : IValidateOptions<RunServerOptions>
{
    public static RunServerOptionsValidator Instance { get; } = new();

    public ValidateOptionsResult Validate(string? name, RunServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string>? failures = null;
        if (options.Bind is { } bind && !IsBindAddress(bind))
        {
            Fail($"--bind (Switchboard:RunServer:Bind) '{bind}' is not an IP address or 'localhost'; use for example 127.0.0.1, 0.0.0.0 or ::.");
        }

        if (options.Port is < 0 or > 65535)
        {
            Fail($"--port (Switchboard:RunServer:Port) must be between 0 and 65535; it is {options.Port}.");
        }

        if (options.UnixSocket is { Length: 0 })
        {
            Fail("--unix-socket (Switchboard:RunServer:UnixSocket) must be a file path.");
        }

        foreach (var proxy in options.TrustedProxies)
        {
            if (!IPAddress.TryParse(proxy, out _) && !IPNetwork.TryParse(proxy, out _))
            {
                Fail($"--trusted-proxy (Switchboard:RunServer:TrustedProxies) '{proxy}' is not an IP address or a CIDR network such as 10.0.0.0/8.");
            }
        }

        if (options.RootPath is { Length: > 0 } root && (root[0] != '/' || root == "/"))
        {
            Fail($"--root-path (Switchboard:RunServer:RootPath) '{root}' must start with '/' and name a prefix, for example /chat.");
        }

        if (options.AccessLog is { Length: 0 })
        {
            Fail("--access-log (Switchboard:RunServer:AccessLog) must be a file path or '-' for standard output.");
        }

        return failures is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

        void Fail(string message) => (failures ??= []).Add(message);
    }

    private static bool IsBindAddress(string bind) =>
        string.Equals(bind, "localhost", StringComparison.OrdinalIgnoreCase) || IPAddress.TryParse(bind, out _);
}
