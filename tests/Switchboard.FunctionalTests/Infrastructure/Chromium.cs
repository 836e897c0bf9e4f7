using Microsoft.Playwright;

namespace Switchboard.FunctionalTests.Infrastructure;

/// <summary>Debian's Chromium (/usr/bin/chromium) driven by Playwright, launched the one way the browser tests share.</summary>
public static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>Milliseconds every Playwright wait in the browser tests may take.</summary>
    public const float Timeout = 15_000;

    public static async Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        Assert.True(File.Exists(ExecutablePath), $"The browser test needs Debian's chromium at {ExecutablePath}: apt-get install -y chromium (./test.sh does it as root).");
        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Timeout = Timeout,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic",
            ],
        });
    }

    /// <summary>A page in a context of its own: its own cookies, as another browser would have.</summary>
    public static async Task<IPage> NewPageAsync(IBrowser browser)
    {
        var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(Timeout);
        return page;
    }
}
