using System.Reflection;
using System.Text.RegularExpressions;

namespace Switchboard.Tests.Tracing;

/// <summary>docs/diagnostics.md's "Activities" section against the code: the same activity names, every tag named.</summary>
public sealed partial class ActivitiesPageTests
{
    [Fact]
    public void ActivitiesTable_ListsEveryActivityNameOfTheCode_AndNoOther()
    {
        var inCode = Constants(typeof(SwitchboardActivities)).Order();

        var onPage = TableRow().Matches(ActivitiesSection()).Select(static m => m.Groups["name"].Value).Order();

        Assert.Equal(inCode, onPage);
    }

    [Fact]
    public void ActivitiesSection_NamesEveryTag()
    {
        var section = ActivitiesSection();

        Assert.All(
            Constants(typeof(SwitchboardActivityTags)),
            tag => Assert.Contains($"`{tag}`", section, StringComparison.Ordinal));
    }

    private static IEnumerable<string> Constants(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(static f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(static f => (string)f.GetRawConstantValue()!);

    private static string ActivitiesSection()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Switchboard.slnx")))
        {
            root = root.Parent;
        }

        Assert.NotNull(root);
        var page = File.ReadAllText(Path.Combine(root.FullName, "docs", "diagnostics.md"));
        var start = page.IndexOf("## Activities", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/diagnostics.md has no '## Activities' section.");
        var end = page.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        return end < 0 ? page[start..] : page[start..end];
    }

    [GeneratedRegex(@"^\| `(?<name>switchboard\.[a-z_.]+)` \|", RegexOptions.Multiline)]
    private static partial Regex TableRow();
}
