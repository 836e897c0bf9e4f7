using System.Text.RegularExpressions;
using Switchboard.FunctionalTests.Infrastructure;

namespace Switchboard.FunctionalTests.Tutorial;

/// <summary>docs/tutorial.md shows exactly the code the step tests build: each block marked
/// <c>&lt;!-- file: stepN/PATH --&gt;</c> is that file of docs/tutorial/, and every such file is shown.</summary>
public partial class TutorialPageTests
{
    [Fact]
    public void Page_EveryMarkedBlock_IsItsStepFile()
    {
        var blocks = FileBlocks().Matches(Page());
        Assert.NotEmpty(blocks);
        foreach (Match block in blocks)
        {
            var path = Path.Combine(TutorialFixture.StepsDirectory, block.Groups["path"].Value);
            Assert.True(File.Exists(path), $"docs/tutorial.md shows {block.Groups["path"].Value}, which docs/tutorial/ does not have.");
            Assert.Equal(Normalize(File.ReadAllText(path)), Normalize(block.Groups["body"].Value));
        }
    }

    [Fact]
    public void Page_EveryStepFile_IsShown()
    {
        var shown = FileBlocks().Matches(Page()).Select(m => m.Groups["path"].Value).ToHashSet(StringComparer.Ordinal);
        var files = Directory.EnumerateFiles(TutorialFixture.StepsDirectory, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(TutorialFixture.StepsDirectory, f).Replace('\\', '/'))
            .ToList();

        Assert.NotEmpty(files);
        Assert.All(files, file => Assert.True(shown.Contains(file), $"docs/tutorial/{file} is built by the tests but not shown in docs/tutorial.md."));
    }

    internal static string Page() => RepositoryFiles.ReadAllText("docs/tutorial.md");

    internal static string Normalize(string code) => code.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n');

    [GeneratedRegex(@"<!-- file: (?<path>\S+) -->\r?\n```[a-z]*\r?\n(?<body>.*?)\r?\n```", RegexOptions.Singleline)]
    private static partial Regex FileBlocks();

    [GeneratedRegex(@"<!-- dotnet new web: Program\.cs -->\r?\n```[a-z]*\r?\n(?<body>.*?)\r?\n```", RegexOptions.Singleline)]
    internal static partial Regex TemplateBlock();
}
