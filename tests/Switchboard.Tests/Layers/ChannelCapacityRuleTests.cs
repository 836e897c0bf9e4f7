using System.Text.RegularExpressions;

namespace Switchboard.Tests.Layers;

public sealed class ChannelCapacityRuleTests
{
    [Theory]
    [InlineData("http.response!*", "http.response!abc", true)]
    [InlineData("http.response!*", "http.response!", true)]
    [InlineData("http.response!*", "http.responseXabc", false)] // '.' and '!' are literal
    [InlineData("http.response!*", "xhttp.response!abc", false)] // anchored at the start
    [InlineData("chat", "chat.more", false)] // anchored at the end
    [InlineData("a?c", "abc", true)]
    [InlineData("a?c", "ac", false)]
    [InlineData("a[bc]d", "acd", true)]
    [InlineData("a[bc]d", "aed", false)]
    [InlineData("a[!bc]d", "aed", true)]
    [InlineData("a[!bc]d", "abd", false)]
    [InlineData("a[0-9]", "a5", true)]
    [InlineData("a[]]b", "a]b", true)]
    [InlineData("a[b", "a[b", true)] // an unclosed '[' is literal
    [InlineData("a[^b]", "a^", true)] // '^' is literal in a glob set
    [InlineData("a[^b]", "ac", false)]
    [InlineData("Chat*", "chat.room", false)] // case-sensitive
    [InlineData("*", "anything", true)]
    public void IsMatch_Glob_FollowsFnmatch(string pattern, string channel, bool expected)
    {
        Assert.Equal(expected, new ChannelCapacityRule(pattern, 1).IsMatch(channel));
    }

    [Fact]
    public void IsMatch_Regex_MatchesAtTheStart()
    {
        var rule = new ChannelCapacityRule(new Regex(@"big\."), 1);

        Assert.True(rule.IsMatch("big.one"));
        Assert.True(new ChannelCapacityRule(new Regex("^a"), 1).IsMatch("abc"));
        Assert.True(new ChannelCapacityRule(new Regex("b"), 1).IsMatch("abc")); // Regex.IsMatch searches; anchor with '^' for re.match
    }

    [Fact]
    public void IsMatch_PatternChanged_UsesTheNewPattern()
    {
        var rule = new ChannelCapacityRule("a*", 1);
        Assert.True(rule.IsMatch("abc"));

        rule.Pattern = "b*";

        Assert.False(rule.IsMatch("abc"));
        Assert.True(rule.IsMatch("bcd"));
    }

    [Fact]
    public void IsMatch_NoPatternNorRegex_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => new ChannelCapacityRule { Capacity = 1 }.IsMatch("a"));
    }

    [Fact]
    public void ToString_DescribesTheRule()
    {
        Assert.Equal("'a.*' → 3", new ChannelCapacityRule("a.*", 3).ToString());
        Assert.Equal("regex '^a' → 4", new ChannelCapacityRule(new Regex("^a"), 4).ToString());
    }
}
