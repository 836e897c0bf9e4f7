namespace Switchboard.FunctionalTests.Infrastructure;

/// <summary>The repository these tests were built from: its root (the folder of Switchboard.slnx) and its files, for
/// tests that check what the docs say against what runs.</summary>
public static class RepositoryFiles
{
    /// <summary>The folder that holds Switchboard.slnx, found upwards from the test's output folder.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>A file of the repository, by its path from the root (forward slashes).</summary>
    public static string ReadAllText(string path) => File.ReadAllText(Path.Combine(Root, path));

    private static string FindRoot()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Switchboard.slnx")))
        {
            root = root.Parent;
        }

        return root?.FullName ?? throw new InvalidOperationException(
            $"No Switchboard.slnx above {AppContext.BaseDirectory}: run the tests from a build inside the repository.");
    }
}
