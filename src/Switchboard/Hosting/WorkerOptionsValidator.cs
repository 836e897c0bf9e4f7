using Microsoft.Extensions.Options;
using Switchboard.Internal;

namespace Switchboard.Hosting;

/// <summary>Checks <see cref="WorkerOptions"/> when they are built; <c>AddWorker</c> registers it with
/// <c>ValidateOnStart</c>, so a bad setting fails the host's start and names the setting.</summary>
internal sealed class WorkerOptionsValidator : IValidateOptions<WorkerOptions>
{
    public ValidateOptionsResult Validate(string? name, WorkerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new OptionsFailures(nameof(WorkerOptions));
        foreach (var channel in options.Channels)
        {
            if (!ChannelNames.IsValidChannelName(channel) || ChannelNames.IsProcessSpecific(channel))
            {
                failures.Fail(nameof(options.Channels), $"must hold normal channel names such as 'thumbnails'; '{channel}' is not one.");
            }
        }

        failures.RequireAtLeast(options.Concurrency, 1, nameof(options.Concurrency), "instance");
        if (options.RestartDelay < TimeSpan.Zero)
        {
            failures.Fail(nameof(options.RestartDelay), $"must be zero or positive; it is {options.RestartDelay}.");
        }

        return failures.Result;
    }
}
