using Microsoft.Playwright;
using Switchboard.FunctionalTests.Infrastructure;

namespace Switchboard.FunctionalTests.ReferenceApp;

/// <summary>The chat page end to end in real Chromium (Debian's /usr/bin/chromium, driven by Playwright).</summary>
public class ChatPageBrowserTests(ChatAppFixture app) : IClassFixture<ChatAppFixture>
{
    private const float Timeout = Chromium.Timeout;

    [Fact]
    public async Task TwoPagesInOneRoom_SeeEachOthersMessages_APageInAnotherRoomDoesNot()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);

        var room = "lobby" + Random.Shared.Next(1000, 9999);
        var alice = await OpenRoomFromIndexAsync(browser, room);
        var bob = await OpenRoomAsync(browser, room);
        var carol = await OpenRoomAsync(browser, room + "other");

        await alice.FillAsync("#chat-message-input", "hello from alice");
        await alice.ClickAsync("#chat-message-submit");
        await bob.FillAsync("#chat-message-input", "hi alice");
        await bob.PressAsync("#chat-message-input", "Enter");

        await Assertions.Expect(alice.Locator("#chat-log")).ToHaveValueAsync("hello from alice\nhi alice\n", new() { Timeout = Timeout });
        await Assertions.Expect(bob.Locator("#chat-log")).ToHaveValueAsync("hello from alice\nhi alice\n", new() { Timeout = Timeout });

        // Carol's room is quiet: she only sees what is said there.
        await carol.FillAsync("#chat-message-input", "anyone?");
        await carol.ClickAsync("#chat-message-submit");
        await Assertions.Expect(carol.Locator("#chat-log")).ToHaveValueAsync("anyone?\n", new() { Timeout = Timeout });
        Assert.Equal("hello from alice\nhi alice\n", await alice.InputValueAsync("#chat-log"));
    }

    /// <summary>Picks the room on the index page, as a person would.</summary>
    private async Task<IPage> OpenRoomFromIndexAsync(IBrowser browser, string room)
    {
        var page = await NewPageAsync(browser);
        await page.GotoAsync(app.HttpBase.ToString());
        await page.FillAsync("#room-name-input", room);
        await page.ClickAsync("#room-name-submit");
        await page.WaitForURLAsync($"**/chat/{room}/", new() { Timeout = Timeout });
        await WaitConnectedAsync(page);
        return page;
    }

    private async Task<IPage> OpenRoomAsync(IBrowser browser, string room)
    {
        var page = await NewPageAsync(browser);
        await page.GotoAsync(new Uri(app.HttpBase, $"/chat/{room}/").ToString());
        await WaitConnectedAsync(page);
        return page;
    }

    private static Task<IPage> NewPageAsync(IBrowser browser) => Chromium.NewPageAsync(browser);

    private static Task WaitConnectedAsync(IPage page) =>
        Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("connected", new() { Timeout = Timeout });
}
