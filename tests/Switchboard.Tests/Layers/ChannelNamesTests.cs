namespace Switchboard.Tests.Layers;

public sealed class ChannelNamesTests
{
    private static readonly string s_name99 = new('a', ChannelNames.MaxLength - 1);
    private static readonly string s_name100 = new('a', ChannelNames.MaxLength);

    [Theory]
    [InlineData("chat")]
    [InlineData("http.response")]
    [InlineData("Mixed-Case_name.with.dots-123")]
    [InlineData("specific.abc!def")]
    [InlineData("specific.abc!")]
    [InlineData("a")]
    [InlineData("...")]
    public void IsValidChannelName_ValidNames_True(string name) => Assert.True(ChannelNames.IsValidChannelName(name));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("slash/name")]
    [InlineData("colon:name")]
    [InlineData("a!b!c")]
    [InlineData("!leading")]
    [InlineData("ünïcode")]
    [InlineData("tab\tname")]
    public void IsValidChannelName_InvalidNames_False(string? name) => Assert.False(ChannelNames.IsValidChannelName(name));

    [Fact]
    public void IsValidName_Length99_TrueAndLength100_False()
    {
        Assert.True(ChannelNames.IsValidChannelName(s_name99));
        Assert.True(ChannelNames.IsValidGroupName(s_name99));
        Assert.False(ChannelNames.IsValidChannelName(s_name100));
        Assert.False(ChannelNames.IsValidGroupName(s_name100));
    }

    [Theory]
    [InlineData("chat_room-1.lobby", true)]
    [InlineData("group!bang", false)]
    [InlineData("group!", false)]
    [InlineData("", false)]
    [InlineData("sp ace", false)]
    public void IsValidGroupName_Cases(string name, bool valid) => Assert.Equal(valid, ChannelNames.IsValidGroupName(name));

    [Fact]
    public void ThrowIfInvalidChannelName_Invalid_ThrowsWithParamNameAndRule()
    {
        var error = Assert.Throws<ArgumentException>(() => ChannelNames.ThrowIfInvalidChannelName("bad name", "target"));

        Assert.Equal("target", error.ParamName);
        Assert.Contains("'bad name'", error.Message, StringComparison.Ordinal);
        Assert.Contains("fewer than 100", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ThrowIfInvalidChannelName_LongName_QuotesAShortenedName()
    {
        var error = Assert.Throws<ArgumentException>(() => ChannelNames.ThrowIfInvalidChannelName(new string('x', 500)));

        Assert.Contains("(500 characters)", error.Message, StringComparison.Ordinal);
        Assert.Equal("channel", error.ParamName);
    }

    [Fact]
    public void ThrowIfInvalidChannelName_Null_ThrowsArgumentException()
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => ChannelNames.ThrowIfInvalidChannelName(null));

        Assert.Contains("null", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ThrowIfInvalidGroupName_Bang_ThrowsSayingNoBang()
    {
        var error = Assert.Throws<ArgumentException>(() => ChannelNames.ThrowIfInvalidGroupName("a!b"));

        Assert.Equal("group", error.ParamName);
        Assert.Contains("no '!'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ThrowIfInvalid_ValidNames_DoNotThrow()
    {
        ChannelNames.ThrowIfInvalidChannelName("specific.abc!def");
        ChannelNames.ThrowIfInvalidGroupName("room");
        Assert.True(ChannelNames.IsValidGroupName("room"));
    }

    [Theory]
    [InlineData("specific.abc!def", true, "specific.abc!")]
    [InlineData("specific.abc!", true, "specific.abc!")]
    [InlineData("normal.channel", false, "normal.channel")]
    public void ProcessSpecific_Parts(string name, bool processSpecific, string processPart)
    {
        Assert.Equal(processSpecific, ChannelNames.IsProcessSpecific(name));
        Assert.Equal(processPart, ChannelNames.GetProcessPart(name));
    }

    [Theory]
    [InlineData("chat_lobby")]
    [InlineData("a-b_c.d")]
    public void ToGroupName_ValidShortName_Unchanged(string name) => Assert.Equal(name, ChannelNames.ToGroupName(name));

    [Theory]
    [InlineData("chat_café")]
    [InlineData("chat_日本語")]
    [InlineData("chat_a b!c")]
    [InlineData("")]
    [InlineData("chat_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")]
    public void ToGroupName_AnyText_ValidStableAndDistinct(string text)
    {
        var name = ChannelNames.ToGroupName(text);

        Assert.True(ChannelNames.IsValidGroupName(name), name);
        Assert.True(name.Length <= 75, name);
        Assert.Equal(name, ChannelNames.ToGroupName(text));
        Assert.NotEqual(name, ChannelNames.ToGroupName(text + "x"));
        Assert.NotEqual(name, ChannelNames.ToGroupName(name));
    }
}
