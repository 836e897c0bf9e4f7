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
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
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

    private static string Quote(string? name) =>
        name is null ? "null" : name.Length > 120 ? $"'{name[..120]}...' ({name.Length} characters)" : $"'{name}'";
}
