using System.Diagnostics;
using System.Net.WebSockets;

namespace Switchboard.Benchmarks;

/// <summary>
/// One broadcast room of a run: the receivers join first (a fresh random room name per run, so nothing is left from
/// earlier runs), then an optional stalled reader, then the sender, whose own socket must get every message too.
/// Probes make sure every socket is in the room before the first counted message; then the workload sends with
/// <see cref="SendAsync"/> and waits with <see cref="WaitForStragglersAsync"/>.
/// </summary>
internal sealed class BroadcastRoom
{
    /// <summary>After the last send, the run stops waiting once no message has arrived for this long.</summary>
    public static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(2);

    private const int JoinAttempts = 50;
    private static readonly TimeSpan s_joinProbeInterval = TimeSpan.FromMilliseconds(200);

    private readonly List<ClientWebSocket> _sockets;
    private readonly WorkloadContext _context;
    private readonly byte[] _text;
    private readonly byte[] _frame;

    private BroadcastRoom(WorkloadContext context, List<ClientWebSocket> sockets, BroadcastReader[] counted, BroadcastReader? stalled, int size)
    {
        _context = context;
        _sockets = sockets;
        Counted = counted;
        Stalled = stalled;
        _text = new byte[size + 64];
        _frame = new byte[_text.Length + WireProtocol.MaxOverhead];
    }

    /// <summary>The sockets whose deliveries are checked: the receivers, then the sender's socket.</summary>
    public BroadcastReader[] Counted { get; }

    /// <summary>The receivers (the rate and latencies are theirs).</summary>
    public IEnumerable<BroadcastReader> Receivers => Counted.Where(r => r.Measured);

    /// <summary>The reader that stops reading, if the run has one (not counted).</summary>
    public BroadcastReader? Stalled { get; }

    /// <summary>Distinct deliveries to the counted sockets so far.</summary>
    public long Delivered => Counted.Sum(r => (long)r.Distinct);

    /// <summary>Connects everyone; null (with the watchdog failed) when a connection fails.</summary>
    public static async Task<BroadcastRoom?> OpenAsync(WorkloadContext context, int messages, int size, bool withStalledReader, Watchdog watchdog)
    {
        var options = context.Options;
        var path = context.Protocol.ChatPath($"bench_{Guid.NewGuid():N}"[..22]);
        var uri = ClientSockets.WebSocketUri(context.Server.BaseUri, path);
        var sockets = new List<ClientWebSocket>();
        try
        {
            // With --processes the readers are spread over the processes (the layer carries the room between them);
            // the sender stays on the first.
            ServerProcess[] servers = [context.Server, .. context.Peers];
            for (var i = 0; i < servers.Length; i++)
            {
                var share = (options.Receivers / servers.Length) + (i < options.Receivers % servers.Length ? 1 : 0);
                sockets.AddRange(await ClientSockets.ConnectAsync(ClientSockets.WebSocketUri(servers[i].BaseUri, path), share, context.Protocol, watchdog.Token));
            }

            if (withStalledReader)
            {
                // A small kernel receive buffer, so what it does not read stays in the server, where the budget is.
                sockets.AddRange(await ClientSockets.ConnectAsync(uri, 1, context.Protocol, watchdog.Token, receiveBuffer: ClientSockets.SmallReceiveBuffer));
            }

            sockets.AddRange(await ClientSockets.ConnectAsync(uri, 1, context.Protocol, watchdog.Token));
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or InvalidDataException)
        {
            watchdog.Fail($"could not connect: {ex.Message}");
            await ClientSockets.CloseAsync(sockets);
            return null;
        }

        var counted = new List<BroadcastReader>();
        for (var i = 0; i < options.Receivers; i++)
        {
            counted.Add(new BroadcastReader(i, sockets[i], context.Protocol, messages, measured: true));
        }

        counted.Add(new BroadcastReader(sockets.Count - 1, sockets[^1], context.Protocol, messages, measured: false));
        var stalled = withStalledReader ? new BroadcastReader(options.Receivers, sockets[options.Receivers], context.Protocol, messages, measured: false) : null;
        return new BroadcastRoom(context, sockets, [.. counted], stalled, size);
    }

    /// <summary>Probes until every socket (the stalled one included) is in the room.</summary>
    /// <returns>False (with the watchdog failed) when they did not all join.</returns>
    public async Task<bool> ProbeAsync(Watchdog watchdog)
    {
        // A socket is in the room once a broadcast reaches it: probe until all have one, so no message is sent before
        // every socket has joined, whatever the server does between the handshake and the join.
        var joined = Task.WhenAll(Counted.Append(Stalled).OfType<BroadcastReader>().Select(r => r.Joined));
        for (var attempt = 0; !joined.IsCompleted; attempt++)
        {
            if (attempt == JoinAttempts)
            {
                watchdog.Fail($"not every socket got a probe after {JoinAttempts} attempts; they did not all join the room");
                return false;
            }

            var length = BroadcastReader.FormatProbe(_text, attempt, _context.Options.Size);
            if (!await SendFrameAsync(_text.AsMemory(0, length), watchdog))
            {
                return false;
            }

            await Task.WhenAny(joined, Task.Delay(s_joinProbeInterval, watchdog.Token));
        }

        return true;
    }

    /// <summary>Sends message <paramref name="seq"/> of <paramref name="size"/> characters, stamped now.</summary>
    /// <returns>When it was sent (<see cref="Stopwatch"/> timestamp); 0 (with the watchdog failed) when the send failed.</returns>
    public async ValueTask<long> SendAsync(int seq, int size, Watchdog watchdog)
    {
        var sentAt = Stopwatch.GetTimestamp();
        var length = BroadcastReader.Format(_text, seq, sentAt, size);
        return await SendFrameAsync(_text.AsMemory(0, length), watchdog) ? sentAt : 0;
    }

    /// <summary>
    /// Waits until every counted socket has every message, or until nothing has arrived for <see cref="GracePeriod"/>
    /// (what is missing then is lost), or the watchdog stops the run; then stops the readers.
    /// </summary>
    public static async Task WaitForStragglersAsync(Task reading, Func<long> delivered, CancellationTokenSource stopReading, Watchdog watchdog)
    {
        var last = delivered();
        var lastChange = Stopwatch.GetTimestamp();

        // Bounded by the grace period (progress resets it, and the watchdog's time limit bounds the whole run).
        while (!reading.IsCompleted && !watchdog.Token.IsCancellationRequested)
        {
            await Task.WhenAny(reading, Task.Delay(TimeSpan.FromMilliseconds(100)));
            var now = delivered();
            if (now != last)
            {
                last = now;
                lastChange = Stopwatch.GetTimestamp();
            }
            else if (Stopwatch.GetElapsedTime(lastChange) > GracePeriod)
            {
                break;
            }
        }

        await stopReading.CancelAsync();
        await reading;
    }

    /// <summary>Closes every socket that is still open.</summary>
    public Task CloseAsync() => ClientSockets.CloseAsync(_sockets);

    private async ValueTask<bool> SendFrameAsync(ReadOnlyMemory<byte> text, Watchdog watchdog)
    {
        var length = _context.Protocol.FormatChat(_frame, text.Span);
        try
        {
            await _sockets[^1].SendAsync(_frame.AsMemory(0, length), WebSocketMessageType.Text, endOfMessage: true, watchdog.Token);
            return true;
        }
        catch (Exception ex) when (ClientSockets.IsDisconnect(ex))
        {
            if (!watchdog.Token.IsCancellationRequested)
            {
                watchdog.Fail($"broadcast sender: {ex.Message}");
            }

            return false;
        }
    }
}
