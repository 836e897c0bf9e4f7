using System.Text;
using System.Text.RegularExpressions;

namespace Switchboard;

/// <summary>
/// A per-channel capacity (one entry of Channels' <c>channel_capacity</c>): channels whose name matches
/// <see cref="Pattern"/> (a glob such as <c>http.response!*</c>) or <see cref="Regex"/> hold at most
/// <see cref="Capacity"/> unread messages instead of the layer's default capacity.
/// </summary>
/// <remarks>
/// Rules are tried in order and the first match wins. Globs follow Python's <c>fnmatch</c>, case-sensitive:
/// <c>*</c> matches any run of characters, <c>?</c> one character, <c>[abc]</c> one of a set, <c>[!abc]</c> one not in
/// it; the whole name must match. A <see cref="Regex"/> matches when it matches at the start of the name (Python's
/// <c>re.match</c>); anchor it with <c>$</c> or <c>\z</c> to match the whole name. Bindable from configuration
/// (<c>{ "Pattern": "http.response!*", "Capacity": 200 }</c>).
/// </remarks>
public sealed class ChannelCapacityRule
{
    private Regex? _compiled;
    private object? _compiledFrom;

    /// <summary>Creates an empty rule, for configuration binding; set <see cref="Pattern"/> or <see cref="Regex"/>, and <see cref="Capacity"/>.</summary>
    public ChannelCapacityRule()
    {
    }

    /// <summary>Creates a rule for channels whose name matches a glob.</summary>
    /// <param name="pattern">The glob, for example <c>http.response!*</c>.</param>
    /// <param name="capacity">The capacity of the matching channels.</param>
    public ChannelCapacityRule(string pattern, int capacity)
    {
        Pattern = pattern;
        Capacity = capacity;
    }

    /// <summary>Creates a rule for channels whose name matches a regular expression (at its start).</summary>
    /// <param name="regex">The regular expression.</param>
    /// <param name="capacity">The capacity of the matching channels.</param>
    public ChannelCapacityRule(Regex regex, int capacity)
    {
        Regex = regex;
        Capacity = capacity;
    }

    /// <summary>Gets or sets the glob the channel name must match, for example <c>http.response!*</c>; or <see langword="null"/> when <see cref="Regex"/> is used.</summary>
    public string? Pattern { get; set; }

    /// <summary>Gets or sets the regular expression the channel name must match at its start; or <see langword="null"/> when <see cref="Pattern"/> is used.</summary>
    public Regex? Regex { get; set; }

    /// <summary>Gets or sets the capacity of the matching channels: how many unread messages each may hold. Must be positive.</summary>
    public int Capacity { get; set; }

    /// <summary>Tells whether a channel name matches this rule.</summary>
    /// <param name="channel">The channel name.</param>
    /// <returns><see langword="true"/> when the rule applies to the channel.</returns>
    /// <exception cref="InvalidOperationException">Neither or both of <see cref="Pattern"/> and <see cref="Regex"/> are set.</exception>
    public bool IsMatch(string channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return GetRegex().IsMatch(channel);
    }

    /// <summary>Returns the rule as text, for error messages.</summary>
    /// <returns>For example <c>'http.response!*' → 200</c>.</returns>
    public override string ToString() =>
        Regex is not null ? $"regex '{Regex}' → {Capacity}" : $"'{Pattern}' → {Capacity}";

    /// <summary>Returns the problem with the rule, or <see langword="null"/> when it is usable.</summary>
    internal string? Validate()
    {
        if (Capacity <= 0)
        {
            return $"The capacity of the channel capacity rule {this} must be positive.";
        }

        if ((Pattern is null) == (Regex is null))
        {
            return $"The channel capacity rule {this} needs exactly one of Pattern (a glob such as \"http.response!*\") or Regex.";
        }

        return Pattern is { Length: 0 } ? "A channel capacity rule has an empty Pattern; use a glob such as \"http.response!*\"." : null;
    }

    private Regex GetRegex()
    {
        if (Regex is { } regex)
        {
            return regex;
        }

        if (Pattern is null)
        {
            throw new InvalidOperationException(Validate());
        }

        // Cache the translated glob; recompute when the (settable) Pattern changed. A race only translates twice.
        if (_compiled is null || !ReferenceEquals(_compiledFrom, Pattern))
        {
            var pattern = Pattern;
            _compiled = new Regex(TranslateGlob(pattern), RegexOptions.CultureInvariant);
            _compiledFrom = pattern;
        }

        return _compiled;
    }

    /// <summary>Translates a glob into an anchored regular expression the way Python's <c>fnmatch.translate</c> does.</summary>
    internal static string TranslateGlob(string glob)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            switch (c)
            {
                case '*':
                    regex.Append(".*");
                    break;
                case '?':
                    regex.Append('.');
                    break;
                case '[':
                    // A set runs to the next ']'; a ']' right after '[' or '[!' belongs to the set. Without a closing
                    // ']' the '[' is a literal character, as in fnmatch.
                    var j = i + 1;
                    if (j < glob.Length && glob[j] == '!')
                    {
                        j++;
                    }

                    if (j < glob.Length && glob[j] == ']')
                    {
                        j++;
                    }

                    while (j < glob.Length && glob[j] != ']')
                    {
                        j++;
                    }

                    if (j >= glob.Length)
                    {
                        regex.Append(@"\[");
                        break;
                    }

                    var set = glob[(i + 1)..j];
                    regex.Append('[');
                    if (set.StartsWith('!'))
                    {
                        regex.Append('^');
                        set = set[1..];
                    }
                    else if (set.StartsWith('^'))
                    {
                        regex.Append('\\');
                    }

                    regex.Append(set.Replace(@"\", @"\\", StringComparison.Ordinal)
                        .Replace("[", @"\[", StringComparison.Ordinal)
                        .Replace("]", @"\]", StringComparison.Ordinal));
                    regex.Append(']');
                    i = j;
                    break;
                default:
                    regex.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        return regex.Append(@"\z").ToString();
    }
}
