using System.Net.WebSockets;
using Switchboard.FunctionalTests.Infrastructure;

namespace Switchboard.FunctionalTests.Tutorial;

/// <summary>The reader's built project running as its own process, <c>dotnet MyChat.dll --urls http://127.0.0.1:0</c>.</summary>
public sealed class TutorialApp : IAsyncDisposable
{
    private readonly AppProcess _process;

    private TutorialApp(AppProcess process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(10) };
    }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    public static async Task<TutorialApp> StartAsync(string projectDirectory, string assembly)
    {
        // The project directory is the content root, as under `dotnet run`: wwwroot is served from there.
        var process = AppProcess.StartAssembly(assembly, ["--urls", "http://127.0.0.1:0"], workingDirectory: projectDirectory);
        try
        {
            return new TutorialApp(process, await process.WaitForListeningAsync());
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    public async Task<ClientWebSocket> ConnectAsync(string path)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri("ws://" + BaseAddress.Authority + path), CancellationToken.None).DefaultTimeout();
        return socket;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _process.DisposeAsync();
    }
}
