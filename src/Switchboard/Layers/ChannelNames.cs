namespace Switchboard;

/// <summary>
/// Channel and group name rules shared by every layer (Channels' spec): ASCII letters, digits, <c>-</c>, <c>_</c> and
/// <c>.</c>, shorter than 100 characters; a channel name may have one <c>!</c> that splits a process-specific name
/// into its process part and its local part (<c>specific.abc!def</c>); group names have none.
/// </summary>
public static class ChannelNames
{
    /// <summary>Names must be shorter than this many characters.</summary>
    public const int MaxLength = 100;

    private const int MaxReadableLength = 64;
    private const int MaxReadablePrefix = 40;

    /// <summary>Tells whether a channel name is valid.</summary>
    /// <param name="name">The name.</param>
    /// <returns><see langword="true"/> when valid.</returns>
    public static bool IsValidChannelName(string? name) => IsValid(name, allowBang: true);

    /// <summary>Tells whether a group name is valid.</summary>
    /// <param name="name">The name.</param>
    /// <returns><see langword="true"/> when valid.</returns>
    public static bool IsValidGroupName(string? name) => IsValid(name, allowBang: false);

    /// <summary>Throws when a channel name is invalid, saying why.</summary>
    /// <param name="name">The name.</param>
    /// <param name="paramName">The argument's name, for the exception.</param>
    /// <exception cref="ArgumentException">The name is invalid.</exception>
    public static void ThrowIfInvalidChannelName(string? name, string paramName = "channel")
    {
        if (!IsValidChannelName(name))
        {
            throw new ArgumentException(
                $"Invalid channel name {Quote(name)}: use ASCII letters, digits, '-', '_' and '.', at most one '!' for a process-specific name, fewer than {MaxLength} characters.",
                paramName);
        }
    }

    /// <summary>Throws when a group name is invalid, saying why.</summary>
    /// <param name="name">The name.</param>
    /// <param name="paramName">The argument's name, for the exception.</param>
    /// <exception cref="ArgumentException">The name is invalid.</exception>
    public static void ThrowIfInvalidGroupName(string? name, string paramName = "group")
    {
        if (!IsValidGroupName(name))
        {
            throw new ArgumentException(
                $"Invalid group name {Quote(name)}: use ASCII letters, digits, '-', '_' and '.' (no '!'), fewer than {MaxLength} characters.",
                paramName);
        }
    }

    /// <summary>
    /// Maps any text to a valid group name, stably and collision-resistantly, for groups named after user input such as
    /// a room from the route: <c>ChannelNames.ToGroupName($"chat_{room}")</c>. A text that is already a valid group name of
    /// at most 64 characters is returned unchanged (so <c>chat_lobby</c> stays <c>chat_lobby</c>, the name a Django
    /// process of the same app uses); any other text becomes its valid characters (others replaced by <c>_</c>, at most
    /// 40) followed by <c>.h</c> and 32 hex digits of its SHA-256, so that different texts get different names (a text
    /// that itself ends like that is mapped too).
    /// </summary>
    /// <param name="text">Any text, non-ASCII or long included.</param>
    /// <returns>A valid group name (and channel name) of at most 75 characters.</returns>
    public static string ToGroupName(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        // A text already shaped like a mapped name is mapped too, so no text can collide with another's mapped name.
        if (text.Length <= MaxReadableLength && IsValidGroupName(text) && !LooksMapped(text))
        {
            return text;
        }

        Span<byte> hash = stackalloc byte[32];
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text), hash);
        var readable = text.Length > MaxReadablePrefix ? text[..MaxReadablePrefix] : text;
        var name = new System.Text.StringBuilder(MaxReadablePrefix + 34);
        foreach (var c in readable)
        {
            name.Append(IsNameChar(c) ? c : '_');
        }

        return name.Append(".h").Append(Convert.ToHexStringLower(hash[..16])).ToString();
    }

    /// <summary>Tells whether a channel name is process-specific (contains <c>!</c>).</summary>
    /// <param name="channel">A valid channel name.</param>
    /// <returns><see langword="true"/> for names such as <c>specific.abc!def</c>.</returns>
    public static bool IsProcessSpecific(string channel) => channel.Contains('!', StringComparison.Ordinal);

    /// <summary>Returns the process part of a process-specific name, up to and including <c>!</c>
    /// (<c>specific.abc!</c>); a normal name is returned unchanged.</summary>
    /// <param name="channel">A valid channel name.</param>
    /// <returns>The part a process receives on.</returns>
    public static string GetProcessPart(string channel)
    {
        var bang = channel.IndexOf('!', StringComparison.Ordinal);
        return bang < 0 ? channel : channel[..(bang + 1)];
    }

    private static bool IsValid(string? name, bool allowBang)
    {
        if (string.IsNullOrEmpty(name) || name.Length >= MaxLength)
        {
            return false;
        }

        var sawBang = false;
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (IsNameChar(c))
            {
                continue;
            }

            // One '!' after a non-empty process part; the local part may be empty ("specific.abc!").
            if (c == '!' && allowBang && !sawBang && i > 0)
            {
                sawBang = true;
                continue;
            }

            return false;
        }

        return true;
    }

    private static bool LooksMapped(string name) =>
        name.Length >= 34 && name[^34] == '.' && name[^33] == 'h' && name.AsSpan(name.Length - 32).IndexOfAnyExcept("0123456789abcdef") < 0;

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.';

    private static string Quote(string? name) =>
        name is null ? "null" : name.Length > 120 ? $"'{name[..120]}...' ({name.Length} characters)" : $"'{name}'";
}
