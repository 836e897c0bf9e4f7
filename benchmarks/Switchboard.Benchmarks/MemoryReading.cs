using System.Globalization;

namespace Switchboard.Benchmarks;

/// <summary>A process's resident memory from <c>/proc/PID/status</c>: peak (VmHWM) and current (VmRSS), in KiB.</summary>
internal sealed record MemoryReading(long PeakKiB, long CurrentKiB)
{
    /// <summary>Reads the process's memory; null where there is no <c>/proc</c> (not Linux) or the process is gone.</summary>
    public static MemoryReading? Read(int processId)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines($"/proc/{processId}/status");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        long? peak = null, current = null;
        foreach (var line in lines)
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = KiB(line);
            }
            else if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                current = KiB(line);
            }
        }

        return peak is { } p && current is { } c ? new MemoryReading(p, c) : null;
    }

    // "VmRSS:     81234 kB"
    private static long? KiB(string line)
    {
        var value = line.AsSpan(line.IndexOf(':') + 1).Trim();
        if (value.EndsWith("kB", StringComparison.Ordinal))
        {
            value = value[..^2].TrimEnd();
        }

        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
    }
}
