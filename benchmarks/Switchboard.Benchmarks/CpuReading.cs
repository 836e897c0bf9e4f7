using System.Globalization;

namespace Switchboard.Benchmarks;

/// <summary>A process's CPU time so far (user + system), from <c>/proc/PID/stat</c>.</summary>
internal static class CpuReading
{
    // USER_HZ: the unit of /proc/PID/stat's times; 100 on every Linux ABI .NET runs on.
    private const double TicksPerSecond = 100;

    /// <summary>Seconds of CPU the process has used; null where there is no <c>/proc</c> or the process is gone.</summary>
    public static double? Read(int processId)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{processId}/stat");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // "pid (comm) state ppid ...": comm may hold spaces, so the fields are counted after its closing parenthesis.
        // There, index 0 is field 3 (state), so utime (field 14) is index 11 and stime (field 15) index 12.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return fields.Length > 12
            && long.TryParse(fields[11], NumberStyles.None, CultureInfo.InvariantCulture, out var user)
            && long.TryParse(fields[12], NumberStyles.None, CultureInfo.InvariantCulture, out var system)
            ? (user + system) / TicksPerSecond
            : null;
    }
}
