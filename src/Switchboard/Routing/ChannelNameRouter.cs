using System.Collections;

namespace Switchboard.Routing;

/// <summary>
/// Routes <c>channel</c> scopes (workers, Channels' <c>runworker</c>) by the channel they listen on
/// (<see cref="ConnectionScope.Channel"/>): Channels' <c>ChannelNameRouter</c>. Map it under the <c>channel</c> key of a
/// <see cref="ProtocolTypeRouter"/>.
/// </summary>
/// <example>
/// <code>
/// var application = new ProtocolTypeRouter
/// {
///     ["channel"] = new ChannelNameRouter { ["thumbnails"] = thumbnailWorker },
/// };
/// </code>
/// </example>
/// <remarks>Configure the router before the workers start; afterwards it is only read, and reading is thread-safe.</remarks>
// Partial so that overloads that map consumers (Map<TConsumer>) can live in a file of their own.
public sealed partial class ChannelNameRouter : IApplication, IEnumerable<KeyValuePair<string, IApplication>>
{
    private readonly ApplicationMap _applications = new("channel name");

    /// <summary>Gets or sets the application for a channel name; setting replaces an existing mapping.</summary>
    /// <param name="channel">The channel name, for example <c>thumbnails</c>.</param>
    /// <returns>The application mapped to <paramref name="channel"/>.</returns>
    /// <exception cref="KeyNotFoundException">Getting a channel that is not mapped.</exception>
    /// <exception cref="ArgumentException">Setting an invalid channel name (see <see cref="ChannelNames"/>).</exception>
    public IApplication this[string channel]
    {
        get => _applications[channel];
        set
        {
            ChannelNames.ThrowIfInvalidChannelName(channel, nameof(channel));
            ArgumentNullException.ThrowIfNull(value);
            _applications[channel] = value;
        }
    }

    /// <summary>Maps a channel name to an application; this is what collection initializers
    /// (<c>{ { "thumbnails", app } }</c>) call.</summary>
    /// <param name="channel">The channel name, for example <c>thumbnails</c>.</param>
    /// <param name="application">The application that serves the worker scope of that channel.</param>
    /// <exception cref="ArgumentException"><paramref name="channel"/> is not a valid channel name (see
    /// <see cref="ChannelNames"/>) or is already mapped.</exception>
    public void Add(string channel, IApplication application)
    {
        ChannelNames.ThrowIfInvalidChannelName(channel, nameof(channel));
        ArgumentNullException.ThrowIfNull(application);
        _applications.Add(channel, application, nameof(channel));
    }

    /// <summary>Maps a channel name to an application and returns this router, for chaining.</summary>
    /// <param name="channel">The channel name, for example <c>thumbnails</c>.</param>
    /// <param name="application">The application that serves the worker scope of that channel.</param>
    /// <returns>This router.</returns>
    /// <exception cref="ArgumentException"><paramref name="channel"/> is not a valid channel name or is already mapped.</exception>
    public ChannelNameRouter Map(string channel, IApplication application)
    {
        Add(channel, application);
        return this;
    }

    /// <summary>Runs the application mapped to the scope's channel, with the scope unchanged.</summary>
    /// <param name="scope">A <c>channel</c> scope.</param>
    /// <param name="receive">Waits for the next message on the channel.</param>
    /// <param name="send">Sends an event to the worker.</param>
    /// <returns>The mapped application's task; faulted with <see cref="RouteNotFoundException"/> when the channel is not mapped.</returns>
    /// <exception cref="ArgumentException">The scope is not a <c>channel</c> scope or has no <see cref="ConnectionScope.Channel"/>.</exception>
    public Task InvokeAsync(ConnectionScope scope, ReceiveDelegate receive, SendDelegate send)
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (scope.Type != ScopeTypes.Channel || scope.Channel is null)
        {
            throw new ArgumentException(
                $"ChannelNameRouter routes only '{ScopeTypes.Channel}' scopes that name a channel, but got a '{scope.Type}' scope "
                + $"with channel {(scope.Channel is null ? "null" : $"'{scope.Channel}'")}. Map it under the \"{ScopeTypes.Channel}\" key "
                + "of a ProtocolTypeRouter.",
                nameof(scope));
        }

        if (!_applications.TryGetValue(scope.Channel, out var application))
        {
            return Task.FromException(new RouteNotFoundException(
                $"No application configured for channel name '{scope.Channel}' (scope type '{scope.Type}', path '{scope.Path}'). "
                + $"Mapped channels: {_applications.DescribeKeys()}.",
                scope));
        }

        return application.InvokeAsync(scope, receive, send);
    }

    /// <summary>Tells whether the scope is a <c>channel</c> scope whose channel is mapped to an application that handles it.</summary>
    /// <param name="scope">The scope.</param>
    /// <returns><see langword="true"/> when <see cref="InvokeAsync"/> would serve the scope.</returns>
    public bool CanHandle(ConnectionScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return scope.Type == ScopeTypes.Channel
            && scope.Channel is not null
            && _applications.TryGetValue(scope.Channel, out var application)
            && application.CanHandle(scope);
    }

    /// <summary>Enumerates the mappings in the order they were added.</summary>
    /// <returns>The channel names and their applications.</returns>
    public IEnumerator<KeyValuePair<string, IApplication>> GetEnumerator() => _applications.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
