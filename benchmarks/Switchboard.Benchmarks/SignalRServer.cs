using System.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Switchboard.Benchmarks;

/// <summary>
/// The SignalR peer: ASP.NET Core SignalR with its defaults (JSON hub protocol, in-process groups), the hub
/// <see cref="BenchHub"/> on <c>/hub</c>, WebSockets only so clients may skip negotiation.
/// </summary>
internal static class SignalRServer
{
    /// <summary>Runs the server until the process is stopped (<c>signalr --urls http://127.0.0.1:PORT</c>).</summary>
    public static async Task RunAsync(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSignalR();

        var app = builder.Build();
        app.MapGet("/", () => $"signalr gcServer={GCSettings.IsServerGC}");
        app.MapHub<BenchHub>("/hub", options => options.Transports = HttpTransportType.WebSockets);
        await app.RunAsync();
    }
}
