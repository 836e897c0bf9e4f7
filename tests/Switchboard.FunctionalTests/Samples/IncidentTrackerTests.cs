using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Playwright;
using Switchboard.FunctionalTests.Infrastructure;

namespace Switchboard.FunctionalTests.Samples;

/// <summary>The incident tracker (samples/IncidentTracker) end to end: real Kestrel and SQLite, frames over
/// ClientWebSocket, and the live page in Chromium.</summary>
public sealed class IncidentTrackerTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "incidents-" + Guid.NewGuid().ToString("N"));
    private WebApplication? _app;
    private Uri _base = null!;
    private HttpClient _http = null!;

    // A square around central Berlin, and points inside and outside it.
    private static readonly double[][] s_berlin = [[13.3, 52.4], [13.5, 52.4], [13.5, 52.6], [13.3, 52.6]];

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _app = IncidentTracker.IncidentApp.CreateApp(
        [
            "--urls", "http://127.0.0.1:0",
            "--ConnectionStrings:Incidents", $"Data Source={Path.Combine(_directory, "incidents.db")};Pooling=False",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await _app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        _base = new Uri(_app.Urls.Single());
        _http = new HttpClient { BaseAddress = _base, Timeout = TimeSpan.FromSeconds(10) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
            await _app.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task EveryChange_PushedAsGeoJson_AnOpenIncidentInAWatchingArea_AlsoAlerts()
    {
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{_base.Port}/ws/notifications/"), CancellationToken.None).DefaultTimeout();

        var area = await CreateAsync("/areas", new { name = "Berlin", severities = new[] { "high", "critical" }, polygon = s_berlin });
        var saved = await ReceiveJsonAsync(socket);
        Assert.Equal("post_save", saved.GetProperty("type").GetString());
        Assert.True(saved.GetProperty("created").GetBoolean());
        Assert.Equal($"areaofinterest.{area}", saved.GetProperty("feature").GetProperty("id").GetString());
        Assert.Equal("Polygon", saved.GetProperty("feature").GetProperty("geometry").GetProperty("type").GetString());

        // A low incident inside: saved, no alert (the area watches high and critical).
        var low = await CreateAsync("/incidents", new { name = "Fallen tree", severity = "low", longitude = 13.4, latitude = 52.5 });
        Assert.Equal("post_save", (await ReceiveJsonAsync(socket)).GetProperty("type").GetString());

        // Raised to high: an update, then the alert naming the area.
        (await _http.PutAsJsonAsync($"/incidents/{low}", new { name = "Fallen tree", severity = "high", longitude = 13.4, latitude = 52.5 })).EnsureSuccessStatusCode();
        var updated = await ReceiveJsonAsync(socket);
        Assert.False(updated.GetProperty("created").GetBoolean());
        Assert.Equal("high", updated.GetProperty("feature").GetProperty("properties").GetProperty("severity").GetString());
        var alert = await ReceiveJsonAsync(socket);
        Assert.Equal("alert", alert.GetProperty("type").GetString());
        Assert.Equal($"incident.{low}", alert.GetProperty("feature").GetProperty("id").GetString());
        var watching = Assert.Single(alert.GetProperty("areas_of_interest").EnumerateArray().ToArray());
        Assert.Equal(area, watching.GetProperty("id").GetInt32());
        Assert.Equal("Berlin", watching.GetProperty("name").GetString());
        Assert.Equal("high,critical", watching.GetProperty("severity").GetString());
        Assert.Equal($"/areas/{area}", watching.GetProperty("url").GetString());

        // Critical but outside the area, or closed inside it: no alert.
        await CreateAsync("/incidents", new { name = "Far away", severity = "critical", longitude = 2.35, latitude = 48.85 });
        Assert.Equal("post_save", (await ReceiveJsonAsync(socket)).GetProperty("type").GetString());
        await CreateAsync("/incidents", new { name = "Handled", severity = "critical", longitude = 13.4, latitude = 52.5, closed = true });
        Assert.Equal("post_save", (await ReceiveJsonAsync(socket)).GetProperty("type").GetString());

        (await _http.DeleteAsync($"/incidents/{low}")).EnsureSuccessStatusCode();
        var deleted = await ReceiveJsonAsync(socket);
        Assert.Equal("post_delete", deleted.GetProperty("type").GetString());
        Assert.Equal($"incident.{low}", deleted.GetProperty("feature").GetProperty("id").GetString());
        (await _http.DeleteAsync($"/areas/{area}")).EnsureSuccessStatusCode();
        Assert.Equal("post_delete", (await ReceiveJsonAsync(socket)).GetProperty("type").GetString());
    }

    [Fact]
    public async Task Page_ShowsIncidentsAndAlertsLive()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var existing = await CreateAsync("/incidents", new { name = "Before the page", severity = "medium", longitude = 13.0, latitude = 52.0 });
        var page = await Chromium.NewPageAsync(browser);
        await page.GotoAsync(_base.ToString());
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("connected", new() { Timeout = Chromium.Timeout });
        await Assertions.Expect(page.Locator($"#incident\\.{existing}")).ToContainTextAsync("Before the page");

        await CreateAsync("/areas", new { name = "Berlin", severities = new[] { "critical" }, polygon = s_berlin });
        var fire = await CreateAsync("/incidents", new { name = "Fire", severity = "critical", longitude = 13.41, latitude = 52.52 });

        await Assertions.Expect(page.Locator($"#incident\\.{fire}")).ToHaveTextAsync("Fire (critical) at 13.41, 52.52", new() { Timeout = Chromium.Timeout });
        await Assertions.Expect(page.Locator("#alerts li")).ToHaveTextAsync("Fire in Berlin", new() { Timeout = Chromium.Timeout });

        (await _http.DeleteAsync($"/incidents/{fire}")).EnsureSuccessStatusCode();
        await Assertions.Expect(page.Locator($"#incident\\.{fire}")).ToHaveCountAsync(0, new() { Timeout = Chromium.Timeout });
    }

    [Fact]
    public async Task BadInput_400_NothingPushed()
    {
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{_base.Port}/ws/notifications/"), CancellationToken.None).DefaultTimeout();

        var badSeverity = await _http.PostAsJsonAsync("/incidents", new { name = "x", severity = "apocalyptic", longitude = 0, latitude = 0 });
        var badArea = await _http.PostAsJsonAsync("/areas", new { name = "line", severities = new[] { "low" }, polygon = new[] { new[] { 0.0, 0.0 }, new[] { 1.0, 1.0 } } });

        Assert.Equal(HttpStatusCode.BadRequest, badSeverity.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badArea.StatusCode);
        var next = socket.ReceiveMessageAsync();
        Assert.NotSame(next, await Task.WhenAny(next, Task.Delay(300)));
    }

    private async Task<int> CreateAsync(string path, object body)
    {
        var response = await _http.PostAsJsonAsync(path, body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
    }

    private static async Task<JsonElement> ReceiveJsonAsync(WebSocket socket) =>
        JsonDocument.Parse((await socket.ReceiveMessageAsync().DefaultTimeout()).Text).RootElement;
}
