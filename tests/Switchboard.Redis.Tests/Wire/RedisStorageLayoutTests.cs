using StackExchange.Redis;
using Switchboard.Redis.Internal;
using Switchboard.Redis.Tests.Infrastructure;

namespace Switchboard.Redis.Tests.Wire;

/// <summary>What the layer stores, read back with a plain Redis client: channels_redis 4's keys, sorted sets, members,
/// scores and TTLs (wire spec §3, §4, §6).</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisStorageLayoutTests(RedisServerFixture redis) : IAsyncLifetime
{
    private readonly string _prefix = "layout" + Guid.NewGuid().ToString("N")[..8];
    private ConnectionMultiplexer _client = null!;
    private RedisChannelLayer _layer = null!;

    private IDatabase Database => _client.GetDatabase();

    public async Task InitializeAsync()
    {
        _client = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{redis.Server.Port}");
        var options = new RedisChannelLayerOptions { Prefix = _prefix };
        options.Hosts.Add(redis.Server.Url);
        _layer = new RedisChannelLayer(options);
    }

    public async Task DisposeAsync()
    {
        await _layer.DisposeAsync();
        await _client.DisposeAsync();
    }

    [Fact]
    public async Task SendAsync_NamedChannel_StoresTheWireSpecMemberScoredNowWithTtl60()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        await _layer.SendAsync("thumbnails-generate", new LayerMessage("chat.message") { ["message"] = "hi" });

        var key = _prefix + "thumbnails-generate";
        Assert.Equal(RedisType.SortedSet, await Database.KeyTypeAsync(key));
        Assert.InRange((await Database.KeyTimeToLiveAsync(key))!.Value.TotalSeconds, 55, 60);
        var entry = Assert.Single(await Database.SortedSetRangeByRankWithScoresAsync(key));
        var member = (byte[])entry.Element!;
        Assert.Equal(42, member.Length);
        Assert.Equal("82a474797065ac636861742e6d657373616765a76d657373616765a26869", Convert.ToHexStringLower(member.AsSpan(12)));
        Assert.InRange(entry.Score, before - 1, before + 5);
    }

    [Fact]
    public async Task SendAsync_ProcessSpecificChannel_GoesToTheProcessKeyWithTheFullName()
    {
        var channel = await _layer.NewChannelAsync();
        Assert.Matches($"^specific\\.{_layer.ClientPrefix}![0-9a-f]{{32}}$", channel);

        await _layer.SendAsync(channel, new LayerMessage("chat.message") { ["message"] = "hi" });

        var key = $"{_prefix}specific.{_layer.ClientPrefix}!";
        var member = (byte[])Assert.Single(await Database.SortedSetRangeByRankAsync(key))!;
        Assert.Equal(135, member.Length);
        Assert.Equal(channel, new RedisMessageCodec(12, null).Deserialize(member).Channel);
    }

    [Fact]
    public async Task GroupAddAsync_StoresTheChannelScoredNowWithTheGroupTtl()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        await _layer.GroupAddAsync("chat", "plainchan");

        var key = _prefix + ":group:chat";
        Assert.Equal(RedisType.SortedSet, await Database.KeyTypeAsync(key));
        Assert.InRange((await Database.KeyTimeToLiveAsync(key))!.Value.TotalSeconds, 86395, 86400);
        var entry = Assert.Single(await Database.SortedSetRangeByRankWithScoresAsync(key));
        Assert.Equal("plainchan", (string)entry.Element!);
        Assert.InRange(entry.Score, before - 1, before + 5);
    }

    [Fact]
    public async Task GroupSendAsync_TwoChannelsOfOneProcess_WriteOneCopyListingBoth()
    {
        var first = await _layer.NewChannelAsync();
        var second = await _layer.NewChannelAsync();
        await _layer.GroupAddAsync("chat", first);
        await _layer.GroupAddAsync("chat", second);
        await _layer.GroupAddAsync("chat", "plainchan");

        await _layer.GroupSendAsync("chat", new LayerMessage("chat.message") { ["message"] = "hi" });

        var codec = new RedisMessageCodec(12, null);
        var copy = codec.Deserialize((byte[])Assert.Single(await Database.SortedSetRangeByRankAsync($"{_prefix}specific.{_layer.ClientPrefix}!"))!);
        Assert.Equal(new[] { first, second }.Order(), copy.Channels!.Order());
        var plain = codec.Deserialize((byte[])Assert.Single(await Database.SortedSetRangeByRankAsync(_prefix + "plainchan"))!);
        Assert.Equal(["plainchan"], plain.Channels!);
        Assert.Equal("hi", plain.Message.GetString("message"));
    }

    /// <summary>On one host the whole group send is one Lua script that builds each copy itself: its bytes must be the
    /// codec's (checked with 20 names, an array16, and with a named channel's single name).</summary>
    [Fact]
    public async Task GroupSendAsync_OneScriptCopies_AreTheCodecsBytes()
    {
        var names = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            names.Add(await _layer.NewChannelAsync());
            await _layer.GroupAddAsync("big", names[^1]);
        }

        await _layer.GroupAddAsync("big", "plainchan");
        var message = new LayerMessage("chat.message") { ["message"] = "héllo", ["n"] = 300L, ["raw"] = new byte[] { 1, 2 } };
        var order = (await Database.SortedSetRangeByRankAsync(_prefix + ":group:big")).Select(static v => (string)v!).ToList();

        await _layer.GroupSendAsync("big", message);

        var codec = new RedisMessageCodec(12, null);
        var body = codec.PrepareGroup(message);
        var processCopy = (byte[])Assert.Single(await Database.SortedSetRangeByRankAsync($"{_prefix}specific.{_layer.ClientPrefix}!"))!;
        var expected = codec.SerializeForGroup(body, order.Where(static n => n.Contains('!', StringComparison.Ordinal)).ToList());
        Assert.Equal(Convert.ToHexStringLower(expected.AsSpan(12)), Convert.ToHexStringLower(processCopy.AsSpan(12)));
        var plainCopy = (byte[])Assert.Single(await Database.SortedSetRangeByRankAsync(_prefix + "plainchan"))!;
        Assert.Equal(Convert.ToHexStringLower(codec.SerializeForGroup(body, ["plainchan"]).AsSpan(12)), Convert.ToHexStringLower(plainCopy.AsSpan(12)));
    }

    [Fact]
    public async Task ReceiveAsync_NamedChannel_LeavesNoInflightBackup()
    {
        await _layer.SendAsync("jobs", new LayerMessage("job"));

        await _layer.ReceiveAsync("jobs");

        Assert.False(await Database.KeyExistsAsync(_prefix + "jobs$inflight"));
        Assert.False(await Database.KeyExistsAsync(_prefix + "jobs"));
    }

    [Fact]
    public async Task FlushAsync_DeletesThePrefixKeysOnly()
    {
        await _layer.SendAsync("jobs", new LayerMessage("job"));
        await _layer.GroupAddAsync("chat", "plainchan");
        await Database.StringSetAsync("unrelated" + _prefix, "kept");

        await _layer.FlushAsync();

        Assert.False(await Database.KeyExistsAsync(_prefix + "jobs"));
        Assert.False(await Database.KeyExistsAsync(_prefix + ":group:chat"));
        Assert.Equal("kept", (string?)await Database.StringGetAsync("unrelated" + _prefix));
    }

    /// <summary>A live reader keeps reading; the dead one never does, and the group send that finds its oldest message
    /// expired drops it from the group.</summary>
    [Fact]
    public async Task GroupSendAsync_MemberWhoseMessagesExpired_LeavesTheGroup()
    {
        var options = new RedisChannelLayerOptions { Prefix = _prefix + "x", Expiry = TimeSpan.FromSeconds(1) };
        options.Hosts.Add(redis.Server.Url);
        await using var layer = new RedisChannelLayer(options);
        await layer.GroupAddAsync("room", "dead.reader");
        await layer.GroupAddAsync("room", "live.reader");
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var live = Task.Run(async () =>
        {
            while (true)
            {
                await layer.ReceiveAsync("live.reader", stop.Token);
            }
        });
        // Group sends every 300 ms refresh the keys' TTL; the first that finds the dead reader's oldest message
        // expired drops it. Bounded: at most 5 s.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string[] members;
        do
        {
            await layer.GroupSendAsync("room", new LayerMessage("tick"));
            await Task.Delay(300);
            members = [.. (await Database.SortedSetRangeByRankAsync(options.Prefix + ":group:room")).Select(static v => (string)v!)];
        }
        while (members.Length == 2 && clock.Elapsed < TimeSpan.FromSeconds(5));

        await stop.CancelAsync();
        await live.ContinueWith(static _ => { }, TaskScheduler.Default);

        // channels_redis keeps the dead member for a day; Channels' spec (and Switchboard) drop it.
        Assert.Equal(["live.reader"], members);
    }
}
