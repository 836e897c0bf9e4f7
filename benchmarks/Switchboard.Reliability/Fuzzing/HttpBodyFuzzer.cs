namespace Switchboard.Reliability.Fuzzing;

/// <summary>
/// Random requests at <c>POST /notify</c> and <c>POST /thumbnail</c> (<see cref="HttpInputs"/>) on a raw TCP socket; each
/// status is checked against <see cref="HttpModel"/>, and each accepted one against what a <c>/ws/notify/</c> listener
/// then receives.
/// </summary>
internal static class HttpBodyFuzzer
{
    public const string Class = "http";

    public static async Task RunOneAsync(FuzzContext context, int index, Random random)
    {
        var input = HttpInputs.Next(random);
        var (status, notification, rule) = HttpModel.Evaluate(input);
        var listener = await context.NotifyListenerAsync().ConfigureAwait(false);
        string outcome;
        try
        {
            await using var socket = await FuzzSocket.ConnectAsync(context.Target.HttpBase).ConfigureAwait(false);
            await socket.WriteAsync(input.Encode(context.Target.Authority)).ConfigureAwait(false);
            var (answered, _) = await socket.ReadHeadAsync().ConfigureAwait(false);
            outcome = $"{answered}";
            if (answered == 202 && notification is not null)
            {
                var received = await listener.NextAsync().ConfigureAwait(false);
                if (received != notification)
                {
                    outcome = $"202 but the listener received {(received.Length > 80 ? received[..80] + "..." : received)}";
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or System.Net.Sockets.SocketException)
        {
            outcome = $"error {e.GetType().Name}: {e.Message}";
        }

        if (outcome != $"{status}")
        {
            context.Fail(Class, index, input.ToString(), $"expected {status} ({rule}), got {outcome}");

            // A notification nobody expected would fail every later input: drop what is pending.
            await listener.DrainAsync().ConfigureAwait(false);
        }

        context.Count(Class, $"{input.Target.Split('?')[0]} {outcome.Split(" but ")[0]}", input.ToString());
    }
}
