using System.Threading.Channels;

namespace Switchboard.FunctionalTests.Server;

/// <summary>Small raw applications the server tests share.</summary>
internal static class TestApplications
{
    /// <summary>Accepts, echoes every message with its kind, and records the disconnect.</summary>
    public static IApplication Echo(TaskCompletionSource<WebSocketDisconnectEvent>? disconnected = null) =>
        IApplication.Create(async (scope, receive, send) =>
        {
            Assert.IsType<WebSocketConnectEvent>(await receive(default));
            await send(new WebSocketAcceptEvent(), default);
            while (true)
            {
                switch (await receive(default))
                {
                    case WebSocketReceiveEvent message:
                        await send(new WebSocketSendEvent(message.Data, message.IsText), default);
                        break;
                    case WebSocketDisconnectEvent disconnect:
                        disconnected?.TrySetResult(disconnect);
                        return;
                }
            }
        });

    /// <summary>Accepts and then writes every event it receives (connect included) to <paramref name="events"/>.</summary>
    public static IApplication Recording(ChannelWriter<ApplicationEvent> events, string? subprotocol = null) =>
        IApplication.Create(async (scope, receive, send) =>
        {
            var connect = await receive(default);
            await events.WriteAsync(connect);
            await send(new WebSocketAcceptEvent(subprotocol), default);
            while (true)
            {
                var next = await receive(default);
                await events.WriteAsync(next);
                if (next is WebSocketDisconnectEvent)
                {
                    return;
                }
            }
        });
}
