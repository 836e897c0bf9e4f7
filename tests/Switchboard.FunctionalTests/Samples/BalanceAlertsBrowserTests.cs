using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Playwright;
using Switchboard.FunctionalTests.Infrastructure;

namespace Switchboard.FunctionalTests.Samples;

/// <summary>The balance-alert sample (samples/BalanceAlerts) end to end: real Kestrel, SQLite, and two users in Chromium.</summary>
public sealed class BalanceAlertsBrowserTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "balance-alerts-" + Guid.NewGuid().ToString("N"));
    private WebApplication? _app;
    private Uri _base = null!;

    private string PickupFolder => Path.Combine(_directory, "mail");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _app = BalanceAlerts.BalanceApp.CreateApp(
        [
            "--urls", "http://127.0.0.1:0",
            "--ConnectionStrings:Balance", $"Data Source={Path.Combine(_directory, "balance.db")};Pooling=False",
            "--Email:PickupFolder", PickupFolder,
            "--Logging:LogLevel:Default=Warning",
        ]);
        await _app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        _base = new Uri(_app.Urls.Single());
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
            await _app.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task BalanceBecomesInsufficient_OnlyThatUsersPageShowsTheAlert_APayingUserIsEmailed()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var alice = await LogInAsync(browser, "alice");
        var bob = await LogInAsync(browser, "bob");

        await SetBalanceAsync("alice", "-5.50");

        await Assertions.Expect(alice.Locator("#alert")).ToHaveTextAsync("Balance insufficient: -5.5", new() { Timeout = Chromium.Timeout });
        await Assertions.Expect(alice.Locator("#balance")).ToHaveTextAsync("-5.5");
        var mail = Assert.Single(Directory.GetFiles(PickupFolder, "*.eml"));
        var text = await File.ReadAllTextAsync(mail);
        Assert.Contains("To: alice@balance.example", text, StringComparison.Ordinal);
        Assert.Contains("Subject: Your balance is insufficient", text, StringComparison.Ordinal);

        // bob is not told about alice; his own flip reaches him, and as he is not of the paying role he gets no e-mail.
        await SetBalanceAsync("bob", "-1");
        await Assertions.Expect(bob.Locator("#alert")).ToHaveTextAsync("Balance insufficient: -1", new() { Timeout = Chromium.Timeout });
        await SetBalanceAsync("alice", "10");
        await Assertions.Expect(alice.Locator("#alert")).ToHaveTextAsync("Balance sufficient again: 10", new() { Timeout = Chromium.Timeout });
        Assert.Equal("Balance insufficient: -1", await bob.Locator("#alert").TextContentAsync());
        Assert.Single(Directory.GetFiles(PickupFolder, "*.eml"));
    }

    [Fact]
    public async Task ChangeThatKeepsTheFlag_SendsNothing_AnonymousSocketRefused_NonAdminCannotChangeBalances()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var alice = await LogInAsync(browser, "alice");

        await SetBalanceAsync("alice", "19");
        await SetBalanceAsync("alice", "-2");
        await Assertions.Expect(alice.Locator("#alert")).ToHaveTextAsync("Balance insufficient: -2", new() { Timeout = Chromium.Timeout });
        Assert.Equal("1", await alice.Locator("#alert").GetAttributeAsync("data-count"));

        // An anonymous page's socket is refused at the handshake (the status line shows it never opened).
        var anonymous = await Chromium.NewPageAsync(browser);
        await anonymous.GotoAsync(_base.ToString());
        var opened = await anonymous.EvaluateAsync<string>("""
            () => new Promise(resolve => {
              const socket = new WebSocket('ws://' + location.host + '/ws/balance/');
              socket.onopen = () => resolve('open');
              socket.onclose = event => resolve('closed ' + event.code);
            })
            """);
        Assert.Equal("closed 1006", opened);

        using var client = new System.Net.WebSockets.ClientWebSocket();
        client.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<System.Net.WebSockets.WebSocketException>(() => client.ConnectAsync(new Uri($"ws://127.0.0.1:{_base.Port}/ws/balance/"), CancellationToken.None));
        Assert.Equal(HttpStatusCode.Forbidden, client.HttpStatusCode);

        using var http = await LoggedInClientAsync("bob");
        var refused = await http.PostAsync("/admin/balance", new FormUrlEncodedContent([new("username", "alice"), new("balance", "100")]));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    private async Task<IPage> LogInAsync(IBrowser browser, string user)
    {
        var page = await Chromium.NewPageAsync(browser);
        await page.GotoAsync(_base.ToString());
        await page.FillAsync("#username", user);
        await page.FillAsync("#password", $"{user}-password");
        await page.ClickAsync("#login");
        await Assertions.Expect(page.Locator("#name")).ToHaveTextAsync(user, new() { Timeout = Chromium.Timeout });
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("connected", new() { Timeout = Chromium.Timeout });
        return page;
    }

    private async Task SetBalanceAsync(string user, string balance)
    {
        using var admin = await LoggedInClientAsync("admin");
        var response = await admin.PostAsync("/admin/balance", new FormUrlEncodedContent([new("username", user), new("balance", balance)]));
        response.EnsureSuccessStatusCode();
    }

    private async Task<HttpClient> LoggedInClientAsync(string user)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = _base, Timeout = TimeSpan.FromSeconds(10) };
        var login = await client.PostAsync("/login", new FormUrlEncodedContent([new("username", user), new("password", $"{user}-password")]));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        return client;
    }
}
