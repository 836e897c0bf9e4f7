namespace Switchboard.Tests.Routing;

/// <summary>An application made with <see cref="Application.Create"/> that records every scope it runs with.</summary>
internal sealed class RoutingTestApplication
{
    private readonly List<ConnectionScope> _scopes = [];

    public RoutingTestApplication()
    {
        Application = IApplication.Create((scope, receive, send) =>
        {
            lock (_scopes)
            {
                _scopes.Add(scope);
            }

            return Task.CompletedTask;
        });
    }

    public IApplication Application { get; }

    public IReadOnlyList<ConnectionScope> Scopes
    {
        get
        {
            lock (_scopes)
            {
                return [.. _scopes];
            }
        }
    }

    /// <summary>Gets the one scope the application ran with; fails when it ran zero or several times.</summary>
    public ConnectionScope Scope => Assert.Single(Scopes);

    public static ConnectionScope WebSocketScope(string path) => new(ScopeTypes.WebSocket) { Path = path, RawPath = path };

    public static ConnectionScope ChannelScope(string channel) => new(ScopeTypes.Channel) { Channel = channel };

    /// <summary>Runs an application for a scope, bounded in time, with receive and send that must not be used.</summary>
    public static Task RunAsync(IApplication application, ConnectionScope scope) =>
        application.InvokeAsync(
            scope,
            static _ => throw new InvalidOperationException("Routing tests do not receive."),
            static (_, _) => throw new InvalidOperationException("Routing tests do not send."))
        .WaitAsync(TimeSpan.FromSeconds(10));
}
