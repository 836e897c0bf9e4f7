using System.Text.Json;

namespace Switchboard.Tests.Layers;

public sealed class LayerMessageTests
{
    [Fact]
    public void Constructor_Type_IsStoredUnderTypeKey()
    {
        var message = new LayerMessage("chat.message");

        Assert.Equal("chat.message", message.Type);
        Assert.Equal("chat.message", message[LayerMessage.TypeKey]);
        Assert.Single(message);
        Assert.False(message.IsReadOnly);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Constructor_NoType_Throws(string? type)
    {
        Assert.ThrowsAny<ArgumentException>(() => new LayerMessage(type!));
    }

    [Fact]
    public void Indexer_SmallerIntegers_WidenToLong()
    {
        var message = new LayerMessage("test")
        {
            ["int"] = 1,
            ["short"] = (short)2,
            ["sbyte"] = (sbyte)-3,
            ["byte"] = (byte)4,
            ["ushort"] = (ushort)5,
            ["uint"] = uint.MaxValue,
            ["ulong"] = (ulong)long.MaxValue,
        };

        Assert.Equal(1L, message["int"]);
        Assert.Equal(2L, message["short"]);
        Assert.Equal(-3L, message["sbyte"]);
        Assert.Equal(4L, message["byte"]);
        Assert.Equal(5L, message["ushort"]);
        Assert.Equal((long)uint.MaxValue, message["uint"]);
        Assert.Equal(long.MaxValue, message.GetInt64("ulong"));
    }

    [Fact]
    public void Indexer_UlongBeyondInt64_ThrowsNamingTheKey()
    {
        var message = new LayerMessage("test");

        var error = Assert.Throws<ArgumentException>(() => message["big"] = ulong.MaxValue);

        Assert.Contains("'big'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Indexer_FloatWidensToDouble_AndGetDoubleConvertsIntegers()
    {
        var message = new LayerMessage("test") { ["float"] = 1.5f, ["double"] = 2.25, ["long"] = 3L };

        Assert.IsType<double>(message["float"]);
        Assert.Equal(1.5, message.GetDouble("float"));
        Assert.Equal(2.25, message.GetDouble("double"));
        Assert.Equal(3.0, message.GetDouble("long"));
    }

    [Fact]
    public void Indexer_ScalarsAndBytes_AreStoredAsIs()
    {
        var source = new byte[] { 1, 2, 3 };
        var message = new LayerMessage("test")
        {
            ["null"] = null,
            ["bool"] = true,
            ["string"] = "text",
            ["bytes"] = source,
            ["memory"] = new ReadOnlyMemory<byte>([4, 5]),
        };

        source[0] = 9; // the message copied the bytes when they were set

        Assert.Null(message["null"]);
        Assert.True(message.GetBoolean("bool"));
        Assert.Equal("text", message.GetString("string"));
        Assert.Equal(new byte[] { 1, 2, 3 }, message.GetBytes("bytes"));
        Assert.Equal(new byte[] { 4, 5 }, message.GetBytes("memory"));
    }

    [Fact]
    public void Indexer_NestedListsAndMaps_BecomeReadOnlyLayerValues()
    {
        var message = new LayerMessage("test")
        {
            ["list"] = new List<object?> { 1, "two", new[] { 3.5f }, null },
            ["map"] = new Dictionary<string, object?> { ["inner"] = new Dictionary<string, int> { ["n"] = 7 } },
        };

        var list = message.Get<IReadOnlyList<object?>>("list");
        Assert.Equal(4, list.Count);
        Assert.Equal(1L, list[0]);
        Assert.Equal("two", list[1]);
        Assert.Equal(3.5, Assert.IsAssignableFrom<IReadOnlyList<object?>>(list[2])[0]);
        Assert.Null(list[3]);
        var map = message.Get<IReadOnlyDictionary<string, object?>>("map");
        var inner = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(map["inner"]);
        Assert.Equal(7L, inner["n"]);
    }

    [Fact]
    public void Indexer_NestedCollections_AreCopied()
    {
        var source = new List<object?> { 1 };
        var message = new LayerMessage("test") { ["list"] = source };

        source.Add(2);

        Assert.Single(message.Get<IReadOnlyList<object?>>("list"));
    }

    [Fact]
    public void Indexer_JsonElement_IsConverted()
    {
        using var json = JsonDocument.Parse("""{"n": 1, "x": 1.5, "s": "t", "b": true, "z": null, "a": [1, {"k": "v"}]}""");
        var message = new LayerMessage("test") { ["json"] = json.RootElement };

        var map = message.Get<IReadOnlyDictionary<string, object?>>("json");
        Assert.Equal(1L, map["n"]);
        Assert.Equal(1.5, map["x"]);
        Assert.Equal("t", map["s"]);
        Assert.Equal(true, map["b"]);
        Assert.Null(map["z"]);
        var list = Assert.IsAssignableFrom<IReadOnlyList<object?>>(map["a"]);
        Assert.Equal(1L, list[0]);
        Assert.Equal("v", Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(list[1])["k"]);
    }

    [Fact]
    public void Indexer_MapWithNonStringKeys_ThrowsNamingThePath()
    {
        var message = new LayerMessage("test");

        var error = Assert.Throws<ArgumentException>(() =>
            message["outer"] = new Dictionary<string, object?> { ["inner"] = new Dictionary<int, string> { [1] = "one" } });

        Assert.Contains("outer.inner", error.Message, StringComparison.Ordinal);
        Assert.Contains("keys must be strings", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(UnsupportedValues))]
    public void Indexer_UnsupportedType_ThrowsNamingTheKeyAndType(object value, string typeName)
    {
        var message = new LayerMessage("test");

        var error = Assert.Throws<ArgumentException>(() => message["bad"] = value);

        Assert.Contains("'bad'", error.Message, StringComparison.Ordinal);
        Assert.Contains(typeName, error.Message, StringComparison.Ordinal);
        Assert.False(message.ContainsKey("bad"));
    }

    public static TheoryData<object, string> UnsupportedValues() => new()
    {
        { 1.5m, nameof(Decimal) },
        { new DateTime(2020, 1, 1), nameof(DateTime) },
        { 'c', nameof(Char) },
        { Guid.Empty, nameof(Guid) },
        { new object(), nameof(Object) },
    };

    [Fact]
    public void Indexer_UnsupportedValueInsideAList_ThrowsNamingTheIndex()
    {
        var message = new LayerMessage("test");

        var error = Assert.Throws<ArgumentException>(() => message["list"] = new object[] { 1, new object[] { "ok", 2m } });

        Assert.Contains("list[1][1]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Indexer_CyclicList_ThrowsInsteadOfOverflowing()
    {
        var cycle = new List<object?>();
        cycle.Add(cycle);
        var message = new LayerMessage("test");

        var error = Assert.Throws<ArgumentException>(() => message["cycle"] = cycle);

        Assert.Contains("deeper than", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(5)]
    public void Indexer_TypeThatIsNotANonEmptyString_Throws(object? type)
    {
        var message = new LayerMessage("test");

        Assert.Throws<ArgumentException>(() => message[LayerMessage.TypeKey] = type);
        Assert.Equal("test", message.Type);
    }

    [Fact]
    public void Indexer_SettingType_ChangesType()
    {
        var message = new LayerMessage("test") { [LayerMessage.TypeKey] = "other.type" };

        Assert.Equal("other.type", message.Type);
    }

    [Fact]
    public void MakeReadOnly_ThenSet_ThrowsAndKeepsTheValue()
    {
        var message = new LayerMessage("test") { ["text"] = "before" };

        message.MakeReadOnly();

        Assert.True(message.IsReadOnly);
        var error = Assert.Throws<InvalidOperationException>(() => message["text"] = "after");
        Assert.Contains("Clone()", error.Message, StringComparison.Ordinal);
        Assert.Equal("before", message.GetString("text"));
    }

    [Fact]
    public void Clone_OfReadOnlyMessage_IsEditableAndIndependent()
    {
        var message = new LayerMessage("test") { ["text"] = "before" };
        message.MakeReadOnly();

        var clone = message.Clone();
        clone["text"] = "after";
        clone["extra"] = 1;

        Assert.False(clone.IsReadOnly);
        Assert.Equal("test", clone.Type);
        Assert.Equal("after", clone.GetString("text"));
        Assert.Equal("before", message.GetString("text"));
        Assert.False(message.ContainsKey("extra"));
    }

    [Fact]
    public void FromDictionary_ConvertsValuesAndRequiresType()
    {
        var message = LayerMessage.FromDictionary(new Dictionary<string, object?> { ["type"] = "chat.message", ["n"] = 1 });

        Assert.Equal("chat.message", message.Type);
        Assert.Equal(1L, message["n"]);
        Assert.Throws<ArgumentException>(() => LayerMessage.FromDictionary(new Dictionary<string, object?> { ["n"] = 1 }));
        Assert.Throws<ArgumentException>(() => LayerMessage.FromDictionary(new Dictionary<string, object?> { ["type"] = 1 }));
    }

    [Fact]
    public void FromDictionary_WithoutTypeWhenNotRequired_HasEmptyType()
    {
        var message = LayerMessage.FromDictionary(new Dictionary<string, object?> { ["n"] = 1 }, requireType: false);

        Assert.Equal(string.Empty, message.Type);
        Assert.Equal(1L, message["n"]);
    }

    [Fact]
    public void FromJson_Object_BecomesAMessage()
    {
        using var json = JsonDocument.Parse("""{"type": "chat.message", "message": "hi", "n": 2}""");

        var message = LayerMessage.FromJson(json.RootElement);

        Assert.Equal("chat.message", message.Type);
        Assert.Equal("hi", message.GetString("message"));
        Assert.Equal(2L, message.GetInt64("n"));
    }

    [Theory]
    [InlineData("[1, 2]")]
    [InlineData("\"text\"")]
    [InlineData("{\"message\": \"no type\"}")]
    public void FromJson_NotAnObjectWithType_Throws(string text)
    {
        using var json = JsonDocument.Parse(text);

        Assert.Throws<ArgumentException>(() => LayerMessage.FromJson(json.RootElement));
    }

    [Fact]
    public void Get_MissingKeyOrWrongType_ThrowsSayingWhat()
    {
        var message = new LayerMessage("test") { ["n"] = 1 };

        Assert.Contains("'missing'", Assert.Throws<KeyNotFoundException>(() => message.GetString("missing")).Message, StringComparison.Ordinal);
        var wrongType = Assert.Throws<InvalidCastException>(() => message.GetString("n"));
        Assert.Contains("Int64", wrongType.Message, StringComparison.Ordinal);
        Assert.Contains("String", wrongType.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dictionary_Members_ReflectTheValues()
    {
        var message = new LayerMessage("test") { ["a"] = 1 };

        Assert.True(message.ContainsKey("a"));
        Assert.True(message.TryGetValue("a", out var value));
        Assert.Equal(1L, value);
        Assert.Equal(["a", "type"], message.Keys.Order());
        Assert.Equal(2, message.Values.Count());
        Assert.Equal(2, message.Count());
    }

    [Fact]
    public void GetOrAddDerived_WithArgument_ComputesOncePerKeyAndPassesTheArgument()
    {
        var message = new LayerMessage("chat.message") { ["message"] = "hi" };
        message.MakeReadOnly();
        var calls = 0;
        var key = new object();

        var first = message.GetOrAddDerived(key, static (m, counter) => { counter.Add(1); return $"{m.GetString("message")}!"; }, new List<int>());
        var second = message.GetOrAddDerived(key, (_, _) => { calls++; return "recomputed"; }, 0);

        Assert.Equal("hi!", first);
        Assert.Same(first, second);
        Assert.Equal(0, calls);
    }

    [Fact]
    public void GetOrAddDerived_EditableMessage_Throws()
    {
        var message = new LayerMessage("chat.message");

        Assert.Throws<InvalidOperationException>(() => message.GetOrAddDerived(new object(), static (_, arg) => arg, "value"));
    }
}
