using System.Text.Json;
using Microsoft.Extensions.Logging;
using Switchboard.Testing;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Consumers;

public class JsonWebSocketConsumerTests
{
    [Fact]
    public async Task OnJsonAsync_ValidJson_ParsedAndAnsweredAsJson()
    {
        await using var client = new WebSocketCommunicator(Consumer.AsApplication<DoublingConsumer>(), "/ws/");
        await client.ConnectAsync();

        await client.SendJsonAsync(new { value = 21, note = "x" });

        var reply = await client.ReceiveJsonAsync();
        Assert.Equal(42, reply.GetProperty("doubled").GetInt32());
        Assert.Equal("{\"doubled\":42}", JsonSerializer.Serialize(reply));
        await client.DisconnectAsync();
    }

    [Theory]
    [InlineData("{\"value\": ")]
    [InlineData("not json")]
    [InlineData("{\"a\":1}}")]
    [InlineData("{\"message\": \"\\ud800\"}")]
    [InlineData("{\"message\": [\"ok\", {\"x\": \"\\udc00 tail\"}]}")]
    [InlineData("{\"\\ud83d\": 1}")]
    public async Task InvalidJson_ClosesWith1007AtOnceAndLogs(string text)
    {
        var logs = new TestLoggerProvider();
        var app = Consumer.AsApplication<DoublingConsumer>();
        await using var services = TestServices.Create(app, logs);
        await using var client = new WebSocketCommunicator(app, "/ws/", services);
        await client.ConnectAsync();

        await client.SendTextAsync(text);

        Assert.Equal(WebSocketCloseCode.InvalidPayloadData, (await client.ReceiveCloseAsync()).Code);
        await client.WaitAsync();
        var warning = Assert.Single(logs.AtLeast(LogLevel.Warning));
        Assert.Equal("InvalidJson", warning.EventId.Name);
    }

    [Fact]
    public async Task ValidEscapes_SurrogatePairAndOthers_AreHandled()
    {
        await using var client = new WebSocketCommunicator(Consumer.AsApplication<DoublingConsumer>(), "/ws/");
        await client.ConnectAsync();

        await client.SendTextAsync("{\"value\": 2, \"note\": \"\\ud83d\\ude00 \\u00e9\"}");

        Assert.Equal(4, (await client.ReceiveJsonAsync()).GetProperty("doubled").GetInt32());
    }

    [Fact]
    public async Task BinaryMessage_ClosesWith1003()
    {
        await using var client = new WebSocketCommunicator(Consumer.AsApplication<DoublingConsumer>(), "/ws/");
        await client.ConnectAsync();

        await client.SendBytesAsync(new byte[] { 0x7b, 0x7d });

        Assert.Equal(WebSocketCloseCode.UnsupportedData, (await client.ReceiveCloseAsync()).Code);
        await client.WaitAsync();
    }

    private sealed class DoublingConsumer : JsonWebSocketConsumer
    {
        protected override ValueTask OnJsonAsync(JsonElement content, CancellationToken cancellationToken) =>
            SendJsonAsync(new { doubled = content.GetProperty("value").GetInt32() * 2 }, cancellationToken);
    }
}
