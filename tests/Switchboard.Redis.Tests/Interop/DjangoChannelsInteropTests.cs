using System.Text.Json;
using Switchboard.Redis.Tests.Infrastructure;

namespace Switchboard.Redis.Tests.Interop;

/// <summary>
/// Switchboard and real Django Channels (Debian's python3-channels-redis 4.0 and python3-django-channels 4.0, run with
/// /usr/bin/python3) on one redis-server: groups, direct sends and worker channels in both directions, plain and
/// encrypted.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class DjangoChannelsInteropTests(RedisServerFixture redis)
{
    private readonly string _prefix = "interop" + Guid.NewGuid().ToString("N")[..8];

    private static LayerMessage RichMessage() => new("chat.message")
    {
        ["message"] = "héllo from Switchboard ✓",
        ["count"] = 42L,
        ["big"] = long.MinValue,
        ["ratio"] = 0.5,
        ["flag"] = true,
        ["nothing"] = null,
        ["raw"] = new byte[] { 0, 1, 254, 255 },
        ["list"] = new object?[] { 1L, "two", new object?[] { 3.5 } },
        ["map"] = new Dictionary<string, object?> { ["nested"] = new Dictionary<string, object?> { ["ok"] = true } },
    };

    [Fact]
    public async Task GroupSend_FromSwitchboard_ReachesDjangoConsumerWithTheExactMessage()
    {
        await using var python = PythonProcess.Start("channels_driver.py", redis.Server.Url, _prefix, "listen-group", "interop.room", "1");
        Assert.StartsWith("specific.", await python.ReadLineAsync(), StringComparison.Ordinal);
        await using var layer = Layer();
        var message = RichMessage();

        await layer.GroupSendAsync("interop.room", message);

        TaggedJson.AssertEqual(message, TaggedJson.Read(await python.ReadLineAsync()));
        await python.WaitForSuccessAsync();
    }

    [Fact]
    public async Task Send_FromSwitchboardToDjangoChannel_Arrives()
    {
        await using var python = PythonProcess.Start("channels_driver.py", redis.Server.Url, _prefix, "listen", "1");
        var channel = await python.ReadLineAsync();
        await using var layer = Layer();
        var message = RichMessage();

        await layer.SendAsync(channel, message);

        TaggedJson.AssertEqual(message, TaggedJson.Read(await python.ReadLineAsync()));
    }

    [Fact]
    public async Task Send_FromDjangoToSwitchboardChannel_Arrives()
    {
        await using var layer = Layer();
        var channel = await layer.NewChannelAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var receive = layer.ReceiveAsync(channel, timeout.Token).AsTask();
        var sent = RichMessage();

        Assert.Equal("sent", Assert.Single(await PythonProcess.RunAsync("channels_driver.py", null, redis.Server.Url, _prefix, "send", channel, TaggedJson.Write(sent))));

        TaggedJson.AssertEqual(sent, await receive);
    }

    [Fact]
    public async Task GroupSend_FromDjango_ReachesSwitchboardWebSocketClient()
    {
        await using var app = await RedisChatApp.StartAsync(redis.Server.Url, _prefix);
        using var socket = await app.ConnectAsync("/ws/chat/lobby/");
        await redis.Server.WaitForGroupMembersAsync(_prefix, "chat_lobby");

        await PythonProcess.RunAsync("channels_driver.py", null, redis.Server.Url, _prefix, "group-send", "chat_lobby", """{"type":"chat.message","message":"hello from Django"}""");

        using var frame = JsonDocument.Parse(await RedisChatApp.ReceiveTextAsync(socket));
        Assert.Equal("hello from Django", frame.RootElement.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Worker_DjangoSendsToThumbnails_SwitchboardWorkerConsumesIt()
    {
        await using var app = await RedisChatApp.StartAsync(redis.Server.Url, _prefix, thumbnailsWorker: true);
        using var listener = await app.ConnectAsync("/ws/notify/");
        await redis.Server.WaitForGroupMembersAsync(_prefix, "notifications");

        await PythonProcess.RunAsync("channels_driver.py", null, redis.Server.Url, _prefix, "send", "thumbnails", """{"type":"generate","id":7}""");

        using var frame = JsonDocument.Parse(await RedisChatApp.ReceiveTextAsync(listener));
        Assert.Equal(7, frame.RootElement.GetProperty("thumbnail").GetInt64());
    }

    [Fact]
    public async Task Worker_SwitchboardSendsToThumbnails_DjangoWorkerConsumesIt()
    {
        await using var python = PythonProcess.Start("channels_driver.py", redis.Server.Url, _prefix, "receive", "thumbnails", "1");
        Assert.Equal("ready", await python.ReadLineAsync());
        await using var layer = Layer();

        await layer.SendAsync("thumbnails", new LayerMessage("generate") { ["id"] = 8L });

        var received = TaggedJson.Read(await python.ReadLineAsync());
        TaggedJson.AssertEqual(new Dictionary<string, object?> { ["type"] = "generate", ["id"] = 8L }, received);
    }

    [Fact]
    public async Task EncryptedSends_BothWays_DecryptWithRotatedKeys()
    {
        // Switchboard encrypts with "alpha" and Django with "beta"; each also knows the other's key (rotation).
        await using var python = PythonProcess.Start("channels_driver.py", redis.Server.Url, _prefix, "--keys", "beta,alpha", "listen", "1");
        var pythonChannel = await python.ReadLineAsync();
        await using var layer = Layer(options =>
        {
            options.SymmetricEncryptionKeys.Add("alpha");
            options.SymmetricEncryptionKeys.Add("beta");
        });
        var toDjango = RichMessage();

        await layer.SendAsync(pythonChannel, toDjango);
        TaggedJson.AssertEqual(toDjango, TaggedJson.Read(await python.ReadLineAsync()));

        var channel = await layer.NewChannelAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var receive = layer.ReceiveAsync(channel, timeout.Token).AsTask();
        await PythonProcess.RunAsync("channels_driver.py", null, redis.Server.Url, _prefix, "--keys", "beta,alpha", "send", channel, """{"type":"secret","text":"from Django"}""");
        Assert.Equal("from Django", (await receive).GetString("text"));

        // At rest the member is 12 random bytes and a Fernet token (version byte 0x80, base64url "gAAAAA").
        await layer.SendAsync("secrets", new LayerMessage("secret"));
        var stored = await redis.Server.CliAsync("--no-raw", "ZRANGE", _prefix + "secrets", "0", "-1");
        Assert.Contains("gAAAAA", stored, StringComparison.Ordinal);
    }

    private RedisChannelLayer Layer(Action<RedisChannelLayerOptions>? configure = null)
    {
        var options = new RedisChannelLayerOptions { Prefix = _prefix };
        options.Hosts.Add(redis.Server.Url);
        configure?.Invoke(options);
        return new RedisChannelLayer(options);
    }
}
