using Switchboard;

namespace Chat;

/// <summary>
/// Picks the reference app's channel layer from a URL: <c>--layer redis://127.0.0.1:6379</c> on the command line or
/// the <c>SWITCHBOARD_LAYER</c> environment variable (the command line wins). A <c>redis://</c>, <c>rediss://</c> or
/// <c>unix://</c> URL selects the Redis layer, shared with other processes (Switchboard or Django); no URL keeps the
/// in-memory layer.
/// </summary>
public static class ChatLayer
{
    /// <summary>The environment variable that names the layer when the command line does not.</summary>
    public const string EnvironmentVariable = "SWITCHBOARD_LAYER";

    /// <summary>The configuration key of <c>--layer</c> (command-line arguments become configuration).</summary>
    public const string ConfigurationKey = "layer";

    /// <summary>Returns the layer URL of this run: <c>--layer</c>, else <c>SWITCHBOARD_LAYER</c>, else <see langword="null"/>.</summary>
    /// <param name="configuration">The app's configuration, which holds the command-line arguments.</param>
    /// <returns>The URL, or <see langword="null"/> for the in-memory layer.</returns>
    public static string? Resolve(IConfiguration configuration)
    {
        var url = configuration[ConfigurationKey];
        if (string.IsNullOrWhiteSpace(url))
        {
            url = Environment.GetEnvironmentVariable(EnvironmentVariable);
        }

        return string.IsNullOrWhiteSpace(url) ? null : url.Trim();
    }

    /// <summary>Registers the layer a URL names; <see langword="null"/> keeps the in-memory layer.</summary>
    /// <param name="switchboard">The app's Switchboard builder.</param>
    /// <param name="url">The layer URL.</param>
    /// <exception cref="ArgumentException">The URL names no layer this app knows.</exception>
    public static void Configure(ISwitchboardBuilder switchboard, string? url)
    {
        if (url is null)
        {
            return;
        }

        if (url.StartsWith("redis://", StringComparison.OrdinalIgnoreCase)
            || url.StartsWith("rediss://", StringComparison.OrdinalIgnoreCase)
            || url.StartsWith("unix://", StringComparison.OrdinalIgnoreCase))
        {
            switchboard.AddRedisChannelLayer(url);
            return;
        }

        throw new ArgumentException(
            $"The layer '{url}' is not one this app knows: use redis://host:port (or rediss://, unix:///path/to/redis.sock) for the Redis layer, or no --layer for the in-memory layer.",
            nameof(url));
    }
}
