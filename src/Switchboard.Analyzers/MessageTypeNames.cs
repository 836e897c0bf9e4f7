using System;
using System.Text;

namespace Switchboard.Analyzers;

/// <summary>
/// The runtime's naming convention (Switchboard's <c>MessageHandlerTable</c>), repeated here because an analyzer cannot
/// reference the library it checks: <c>chat.message</c> → <c>ChatMessage</c>, compared without case with a handler's
/// name less its <c>Async</c> suffix.
/// </summary>
internal static class MessageTypeNames
{
    /// <summary>The method name the runtime looks for: a dot, underscore or hyphen starts a new word.</summary>
    public static string ToMethodName(string messageType)
    {
        var name = new StringBuilder(messageType.Length);
        var upper = true;
        foreach (var c in messageType)
        {
            if (c is '.' or '_' or '-')
            {
                upper = true;
                continue;
            }

            name.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }

        return name.ToString();
    }

    /// <summary>A handler's name as the convention compares it: without a trailing <c>Async</c>.</summary>
    public static string StripAsync(string methodName) =>
        methodName.Length > 5 && methodName.EndsWith("Async", StringComparison.Ordinal)
            ? methodName.Substring(0, methodName.Length - 5)
            : methodName;

    /// <summary>Whether the runtime would dispatch <paramref name="messageType"/> to a handler named <paramref name="methodName"/>.</summary>
    public static bool Matches(string messageType, string methodName) =>
        messageType.Length > 0
        && messageType[0] != '_' // the runtime never dispatches these by name, so that private methods stay out of reach
        && string.Equals(ToMethodName(messageType), StripAsync(methodName), StringComparison.OrdinalIgnoreCase);

    /// <summary>The dotted type a handler name stands for, for messages: <c>ChatMessageAsync</c> → <c>chat.message</c>.</summary>
    public static string ToMessageType(string methodName)
    {
        var name = StripAsync(methodName);
        var type = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0 && !char.IsUpper(name[i - 1]))
            {
                type.Append('.');
            }

            type.Append(char.ToLowerInvariant(c));
        }

        return type.ToString();
    }

    /// <summary>Whether two convention names differ by at most two edits, case ignored: a likely misspelling.</summary>
    public static bool AreClose(string a, string b)
    {
        a = a.ToUpperInvariant();
        b = b.ToUpperInvariant();
        if (Math.Abs(a.Length - b.Length) > 2)
        {
            return false;
        }

        // Levenshtein distance, two rows.
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), substitution);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length] <= 2;
    }
}
