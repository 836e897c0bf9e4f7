using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Switchboard;

/// <summary>
/// The <c>switchboard.workers</c> check: every channel in <see cref="WorkerOptions"/> has a running loop, and no loop
/// has held one message longer than <see cref="SwitchboardHealthCheckOptions.MaxWorkerMessageDuration"/>. A process
/// without workers is healthy.
/// </summary>
internal sealed class WorkerHealthCheck(
    IOptions<SwitchboardHealthCheckOptions> options,
    IOptions<WorkerOptions> workerOptions,
    TimeProvider timeProvider,
    WorkerActivity? activity = null) : IHealthCheck
{
    private readonly TimeSpan _maxDuration = options.Value.MaxWorkerMessageDuration;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var channels = workerOptions.Value.Channels;
        if (activity is null || channels.Count == 0)
        {
            return Task.FromResult(HealthCheckResult.Healthy("No workers run in this process."));
        }

        if (!activity.Started)
        {
            return Task.FromResult(new HealthCheckResult(context.Registration.FailureStatus, "The workers have not started yet."));
        }

        var slots = activity.Snapshot();
        var problems = new List<string>();
        foreach (var channel in channels.Order(StringComparer.Ordinal))
        {
            if (!slots.Any(slot => slot.Channel == channel))
            {
                problems.Add($"no worker runs on channel '{channel}' (see the Switchboard.Workers log)");
            }
        }

        foreach (var slot in slots)
        {
            if (slot.BusySince is var since and not 0 && timeProvider.GetElapsedTime(since) is var held && held > _maxDuration)
            {
                problems.Add($"the worker on channel '{slot.Channel}' has been on one message for {held:g}, over {_maxDuration:g} "
                    + "(SwitchboardHealthCheckOptions.MaxWorkerMessageDuration; raise it if such jobs are expected)");
            }
        }

        var running = string.Join(", ", channels.Order(StringComparer.Ordinal));
        return Task.FromResult(problems.Count == 0
            ? HealthCheckResult.Healthy($"Workers running on {running}.")
            : new HealthCheckResult(context.Registration.FailureStatus, string.Join("; ", problems) + "."));
    }
}
