using Switchboard.Redis.Internal;
using Switchboard.Redis.Tests.Infrastructure;

namespace Switchboard.Redis.Tests.Wire;

/// <summary>
/// The msgpack body of stored messages against Debian's python3-msgpack, as channels_redis 4 packs and unpacks it
/// (<c>packb(use_bin_type=True)</c>, <c>unpackb(raw=False, strict_map_key=True)</c>): byte for byte for every type of the
/// channel-layer type system and its encoding boundaries, in both directions.
/// </summary>
public sealed class MessagePackWireTests
{
    private static readonly RedisMessageCodec s_codec = new(RedisChannelLayerOptions.DefaultRandomPrefixLength, crypter: null);

    /// <summary>One value per encoding boundary of msgpack's families, for every type of the layer type system.</summary>
    public static IReadOnlyList<(string Name, object? Value)> Cases { get; } =
    [
        ("nil", null),
        ("true", true),
        ("false", false),
        ("zero", 0L),
        ("fixint max", 127L),
        ("uint8 min", 128L),
        ("uint8 max", 255L),
        ("uint16 min", 256L),
        ("uint16 max", 65535L),
        ("uint32 min", 65536L),
        ("uint32 max", 4294967295L),
        ("uint64 min", 4294967296L),
        ("int64 max", long.MaxValue),
        ("negative fixint", -1L),
        ("negative fixint min", -32L),
        ("int8", -33L),
        ("int8 min", -128L),
        ("int16", -129L),
        ("int16 min", -32768L),
        ("int32", -32769L),
        ("int32 min", (long)int.MinValue),
        ("int64", (long)int.MinValue - 1),
        ("int64 min", long.MinValue),
        ("float zero", 0.0),
        ("float", 1.5),
        ("negative float", -0.25),
        ("large float", 1e300),
        ("tiny float", 5e-324),
        ("infinity", double.PositiveInfinity),
        ("empty string", ""),
        ("fixstr max", new string('a', 31)),
        ("str8 min", new string('b', 32)),
        ("str8 max", new string('c', 255)),
        ("str16 min", new string('d', 256)),
        ("str32 min", new string('e', 65536)),
        ("unicode", "héllo wörld ✓ 😀 日本"),
        ("empty bytes", Array.Empty<byte>()),
        ("bytes", new byte[] { 0, 1, 127, 128, 255 }),
        ("bin16", Enumerable.Range(0, 256).Select(static i => (byte)i).ToArray()),
        ("bin32", new byte[65536]),
        ("empty list", Array.Empty<object?>()),
        ("list", new object?[] { 1L, "two", null, 4.5, true, new byte[] { 9 } }),
        ("array16", Enumerable.Range(0, 16).Select(static i => (object?)(long)i).ToArray()),
        ("nested", new object?[] { new object?[] { new object?[] { "deep" } } }),
        ("empty map", new Dictionary<string, object?>()),
        ("map", new Dictionary<string, object?> { ["a"] = 1L, ["b"] = new Dictionary<string, object?> { ["c"] = new object?[] { "d", 2.0 } } }),
        ("map16", Enumerable.Range(0, 16).ToDictionary(static i => $"k{i}", static i => (object?)(long)i)),
    ];

    [Fact]
    public async Task Serialize_EveryLayerType_MatchesPythonMsgpackByteForByte()
    {
        var messages = Cases.Select(static c => Message(c.Value)).ToList();

        var python = await PythonProcess.RunAsync("msgpack_vectors.py", messages.Select(static m => TaggedJson.Write(m)));

        Assert.Equal(messages.Count, python.Count);
        for (var i = 0; i < messages.Count; i++)
        {
            var member = s_codec.Serialize(messages[i], channel: null);
            Assert.True(python[i] == Convert.ToHexStringLower(member.AsSpan(12)), $"{Cases[i].Name}: ours differs from Python's packb");
        }
    }

    [Fact]
    public async Task Deserialize_PythonMsgpack_GivesTheSameValuesAndKinds()
    {
        var messages = Cases.Select(static c => Message(c.Value)).ToList();
        var python = await PythonProcess.RunAsync("msgpack_vectors.py", messages.Select(static m => TaggedJson.Write(m)));

        for (var i = 0; i < messages.Count; i++)
        {
            var member = new byte[12].Concat(Convert.FromHexString(python[i])).ToArray();
            var decoded = s_codec.Deserialize(member);
            Assert.Null(decoded.Channel);
            TaggedJson.AssertEqual(messages[i], decoded.Message, Cases[i].Name);
        }
    }

    [Fact]
    public async Task Serialize_PythonUnpacks_TheSameValuesAndKinds()
    {
        var messages = Cases.Select(static c => Message(c.Value)).ToList();

        var python = await PythonProcess.RunAsync(
            "msgpack_vectors.py", messages.Select(static m => Convert.ToHexStringLower(s_codec.Serialize(m, null).AsSpan(12))), "decode");

        for (var i = 0; i < messages.Count; i++)
        {
            TaggedJson.AssertEqual(messages[i], TaggedJson.Read(python[i]), Cases[i].Name);
        }
    }

    [Fact]
    public async Task SerializeForGroup_ChannelList_IsTheArrayPythonExpects()
    {
        var message = new LayerMessage("chat.message") { ["message"] = "hi" };
        message.MakeReadOnly();
        string[] channels = ["specific.246f77f0c00947a5bf4c3ad51d460962!7b8cfc5dca59475c946ad99099ae4252", "specific.246f77f0c00947a5bf4c3ad51d460962!aa"];
        var member = s_codec.SerializeForGroup(s_codec.PrepareGroup(message), channels);

        var python = await PythonProcess.RunAsync("msgpack_vectors.py", [Convert.ToHexStringLower(member.AsSpan(12))], "decode");

        var decoded = Assert.IsType<Dictionary<string, object?>>(TaggedJson.Read(python[0]));
        Assert.Equal("chat.message", decoded["type"]);
        Assert.Equal("hi", decoded["message"]);
        Assert.Equal(channels, Assert.IsType<List<object?>>(decoded["__asgi_channel__"]).Cast<string>());

        // The wire spec's worked example (§6.3): fixmap 3, "__asgi_channel__" as fixstr(16), fixarray, str8 names.
        Assert.StartsWith("83a474797065ac636861742e6d657373616765a76d657373616765a26869b05f5f617367695f6368616e6e656c5f5f92d94a", Convert.ToHexStringLower(member.AsSpan(12)), StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_DirectToProcessChannel_IsTheWireSpecExample()
    {
        // Wire spec §6.2: the 135-byte member of send() to a process-specific channel.
        const string Channel = "specific.246f77f0c00947a5bf4c3ad51d460962!7b8cfc5dca59475c946ad99099ae4252";
        var member = s_codec.Serialize(new LayerMessage("chat.message") { ["message"] = "hi" }, Channel);

        Assert.Equal(135, member.Length);
        Assert.Equal(
            "83a474797065ac636861742e6d657373616765a76d657373616765a26869b05f5f617367695f6368616e6e656c5f5fd94a" + Convert.ToHexStringLower(System.Text.Encoding.ASCII.GetBytes(Channel)),
            Convert.ToHexStringLower(member.AsSpan(12)));
        Assert.Equal(Channel, s_codec.Deserialize(member).Channel);
    }

    [Fact]
    public void Serialize_TwoCopies_DifferInTheirRandomPrefixOnly()
    {
        var message = new LayerMessage("chat.message") { ["message"] = "hi" };

        var first = s_codec.Serialize(message, null);
        var second = s_codec.Serialize(message, null);

        Assert.Equal(42, first.Length); // wire spec §6.1
        Assert.Equal(first.AsSpan(12).ToArray(), second.AsSpan(12).ToArray());
        Assert.NotEqual(first.AsSpan(0, 12).ToArray(), second.AsSpan(0, 12).ToArray());
    }

    [Theory]
    [InlineData("81a17401", "map keys must be strings")] // {"t": 1} is fine; see below for the refused ones
    public void Deserialize_StringKeys_AreAccepted(string hex, string _)
    {
        var decoded = s_codec.Deserialize(new byte[12].Concat(Convert.FromHexString(hex)).ToArray());
        Assert.Equal(1L, decoded.Message["t"]);
    }

    [Theory]
    [InlineData("810101", "key")] // {1: 1}: an integer key, which Python's strict_map_key refuses too
    [InlineData("92a17401", "not a map")] // a list at the top
    [InlineData("81a174d60100000000", "Extension")] // an ext type value
    [InlineData("81a174cfffffffffffffffff", "64 signed bits")] // 2^64-1
    [InlineData("81a174a2c328", "UTF-8")] // invalid UTF-8 text
    [InlineData("81a17401c0", "extra bytes")] // something after the map
    [InlineData("82a17401", "ends")] // truncated
    public async Task Deserialize_ForeignOrBrokenInput_ThrowsInvalidDataNamingTheProblem(string hex, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => s_codec.Deserialize(new byte[12].Concat(Convert.FromHexString(hex)).ToArray()));
        Assert.Contains(expected, error.Message, StringComparison.OrdinalIgnoreCase);

        if (hex == "810101")
        {
            var python = await PythonProcess.RunAsync("msgpack_vectors.py", [hex], "decode");
            Assert.Contains("$error", python[0], StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Serialize_ReservedChannelKey_IsRefusedAtTheSender()
    {
        var message = new LayerMessage("x") { ["__asgi_channel__"] = "specific.a!b" };
        var error = Assert.Throws<ArgumentException>(() => s_codec.Serialize(message, null));
        Assert.Contains("reserves", error.Message, StringComparison.Ordinal);
    }

    private static LayerMessage Message(object? value) => new("t") { ["v"] = value };
}
