using System.Globalization;

namespace Switchboard.Reliability.Fuzzing;

/// <summary>Random handshakes: each part of a valid upgrade request kept most of the time, else broken or left out.</summary>
internal static class HandshakeInputs
{
    public static WebSocketRequest Next(Random random, string authority)
    {
        var port = authority.Split(':')[1];
        var headers = new List<KeyValuePair<string, string>>();
        void Maybe(string name, string[] values, int keepOneIn = 6)
        {
            // Mostly the valid value (the first); else another, or none at all.
            var pick = random.Next(keepOneIn) != 0 ? 0 : random.Next(values.Length + 1);
            if (pick < values.Length)
            {
                headers.Add(new(name, values[pick]));
            }
        }

        Maybe("Host", [authority, $"localhost:{port}", $"[::1]:{port}", "127.0.0.1", "evil.example", $"evil.example:{port}", "", "127.0.0.1:1:2"]);
        Maybe("Upgrade", ["websocket", "WebSocket", "h2c", "websocket, h2c", "", "web socket"]);
        Maybe("Connection", ["Upgrade", "keep-alive, Upgrade", "upgrade", "close", "keep-alive", ""]);
        Maybe("Sec-WebSocket-Key", [Key(random), "short", "dGhlIHNhbXBsZSBub25jZQ", "!!!!!!!!!!!!!!!!!!!!!!==", Convert.ToBase64String(new byte[17]), ""]);
        Maybe("Sec-WebSocket-Version", ["13", "8", "13, 8", "abc", "", "14"]);
        Maybe("Origin", [$"http://{authority}", $"http://localhost:{port}", "http://evil.example", "null", "https://127.0.0.1.evil.example", "not a url"], keepOneIn: 2);
        Maybe("Sec-WebSocket-Protocol", ["chat", "chat, superchat", "v1.chat.example", ",,,", "a b"], keepOneIn: 2);
        if (random.Next(4) == 0)
        {
            headers.Add(new($"X-Fuzz-{random.Next(100)}", FuzzText.String(random, 30).Where(c => c is >= ' ' and <= '~').Aggregate("", (s, c) => s + c).Trim()));
        }

        if (random.Next(40) == 0)
        {
            // Past Kestrel's 32 KiB limit for all headers.
            headers.Add(new("X-Large", new string('a', 40 * 1024)));
        }

        // A valid request sometimes lists its headers in another order.
        if (random.Next(4) == 0)
        {
            headers = [.. headers.OrderBy(_ => random.Next())];
        }

        return new WebSocketRequest(Path(random), headers.FirstOrDefault(h => h.Key == "Host").Value ?? "")
        {
            Method = random.Next(8) != 0 ? "GET" : new[] { "POST", "PUT", "HEAD", "OPTIONS", "DELETE" }[random.Next(5)],
            Version = random.Next(10) != 0 ? "HTTP/1.1" : "HTTP/1.0",
            Headers = headers,
        };
    }

    private static string Key(Random random)
    {
        var key = new byte[16];
        random.NextBytes(key);
        return Convert.ToBase64String(key);
    }

    private static string Path(Random random)
    {
        const string roomChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-";
        var room = new string([.. Enumerable.Range(0, random.Next(1, 12)).Select(_ => roomChars[random.Next(roomChars.Length)])]);
        return random.Next(14) switch
        {
            0 => $"/ws/chat/{new string('r', random.Next(85, 95))}/",
            1 => $"/ws/chat/{room}",
            2 => "/ws/chat//",
            3 => $"/ws/chat/{room}%20x/",
            4 => $"/ws/chat/%{(int)room[0]:X2}{room[1..]}/",
            5 => $"/ws/chat/{room}%2Fx/",
            6 => $"/ws/chat/../chat/{room}/",
            7 => $"/ws/chat/{room}/?q={random.Next(1000).ToString(CultureInfo.InvariantCulture)}",
            8 => "/ws/echo/",
            9 => "/ws/notify/",
            10 => $"/ws/nothing/{room}/",
            11 => $"/ws/chat/{room}é/",
            _ => $"/ws/chat/{room}/",
        };
    }
}
