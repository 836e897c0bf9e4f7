using System.Text.RegularExpressions;

namespace Switchboard.FunctionalTests.Diagnostics;

/// <summary>The tables of docs/diagnostics.md, parsed: log events by category, and instruments.</summary>
internal sealed partial class DiagnosticsPage
{
    private DiagnosticsPage(string text) => Text = text;

    public string Text { get; }

    public static DiagnosticsPage Load()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Switchboard.slnx")))
        {
            root = root.Parent;
        }

        Assert.NotNull(root);
        return new DiagnosticsPage(File.ReadAllText(Path.Combine(root.FullName, "docs", "diagnostics.md")));
    }

    /// <summary>The category table: name, first and last id.</summary>
    public IReadOnlyList<(string Category, int First, int Last)> Categories() =>
        [.. Rows(Section("## Log events"))
            .Where(cells => cells.Length >= 2 && CategoryIds().IsMatch(cells[1]))
            .Select(cells =>
            {
                var ids = CategoryIds().Match(cells[1]);
                return (Unquote(cells[0]), int.Parse(ids.Groups[1].Value), int.Parse(ids.Groups[2].Value));
            })];

    /// <summary>Every event row, with the category of the <c>### `Category`</c> heading above it.</summary>
    public IReadOnlyList<(string Category, int Id, string Name, string Level)> Events()
    {
        var events = new List<(string, int, string, string)>();
        string? category = null;
        foreach (var line in Section("## Log events").Split('\n'))
        {
            if (CategoryHeading().Match(line) is { Success: true } heading)
            {
                category = heading.Groups[1].Value;
            }
            else if (category is not null && Cells(line) is [var id, var name, var level, ..] && int.TryParse(id, out var number))
            {
                events.Add((category, number, Unquote(name), level));
            }
        }

        return events;
    }

    /// <summary>The instrument rows: name, type, unit.</summary>
    public IReadOnlyList<(string Name, string Type, string Unit)> Instruments() =>
        [.. Rows(Section("## Instruments"))
            .Where(cells => cells.Length >= 3 && cells[0].StartsWith('`'))
            .Select(cells => (Unquote(cells[0]), cells[1], Unquote(cells[2])))];

    private string Section(string heading)
    {
        var start = Text.IndexOf("\n" + heading + "\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"docs/diagnostics.md has no '{heading}' section.");
        var end = Text.IndexOf("\n## ", start + heading.Length + 1, StringComparison.Ordinal);
        return end < 0 ? Text[start..] : Text[start..end];
    }

    private static IEnumerable<string[]> Rows(string section) =>
        section.Split('\n').Select(Cells).OfType<string[]>();

    /// <summary>The cells of a table row, or null for any other line (the header separator included).</summary>
    private static string[]? Cells(string line)
    {
        line = line.Trim();
        if (!line.StartsWith('|') || line.StartsWith("|---", StringComparison.Ordinal))
        {
            return null;
        }

        return [.. line.Trim('|').Split('|').Select(static cell => cell.Trim())];
    }

    private static string Unquote(string cell) => cell.Trim('`');

    [GeneratedRegex(@"^(\d+)-(\d+)$")]
    private static partial Regex CategoryIds();

    [GeneratedRegex(@"^### `([A-Za-z.]+)` \(\d+-\d+\)")]
    private static partial Regex CategoryHeading();
}
