using System.Text.RegularExpressions;
using Switchboard.FunctionalTests.Infrastructure;

namespace Switchboard.FunctionalTests.CommandLine;

public partial class DeploymentDocsTests
{
    private const string SystemdAnalyze = "/usr/bin/systemd-analyze";

    /// <summary>Every systemd unit of docs/deployment.md passes <c>systemd-analyze verify</c> (syntax, directives, the
    /// ExecStart binary), and its ExecStart options are ones the reference app's command line lists.</summary>
    [Fact]
    public async Task DocumentedSystemdUnits_VerifyAndUseValidOptions()
    {
        Assert.True(File.Exists(SystemdAnalyze), "systemd-analyze is missing: install the Debian package 'systemd'.");
        var units = UnitFence().Matches(DeploymentPage());
        Assert.Equal(2, units.Count);
        var dir = Directory.CreateTempSubdirectory("sb-systemd-").FullName;
        try
        {
            foreach (Match unit in units)
            {
                var path = Path.Combine(dir, unit.Groups["name"].Value);
                await File.WriteAllTextAsync(path, unit.Groups["body"].Value);
                var (exitCode, output) = await RunAsync(SystemdAnalyze, "verify", path);
                Assert.True(exitCode == 0 && output.Length == 0, $"systemd-analyze verify {unit.Groups["name"].Value}: {output}");

                // Every option after Chat.dll is one the command it runs lists in its --help.
                var exec = Regex.Match(unit.Groups["body"].Value, @"^ExecStart=/usr/bin/dotnet /srv/chat/Chat\.dll ?(?<args>.*)$", RegexOptions.Multiline);
                Assert.True(exec.Success, unit.Groups["name"].Value + " has no ExecStart of the reference app.");
                var args = exec.Groups["args"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                string[] help = args.FirstOrDefault() == "runworker" ? ["runworker", "--help"] : ["--help"];
                var (helpExit, helpText, _) = await AppProcess.RunToEndAsync(help);
                Assert.Equal(0, helpExit);
                foreach (var option in args.Where(a => a.StartsWith("--", StringComparison.Ordinal)))
                {
                    Assert.True(helpText.Contains(option, StringComparison.Ordinal), $"{unit.Groups["name"].Value} uses {option}, which '{string.Join(' ', help)}' does not list.");
                }
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [GeneratedRegex(@"```ini\n# /etc/systemd/system/(?<name>\S+)\n(?<body>.*?)```", RegexOptions.Singleline)]
    private static partial Regex UnitFence();
}
