using System.Net;
using System.Text;

namespace Switchboard.FunctionalTests.ReferenceApp;

/// <summary><c>GET /poll/notifications</c> and <c>GET /events/notifications</c> with a real HTTP client.</summary>
public class LongLivedHttpTests(TrackedChatAppFixture app) : IClassFixture<TrackedChatAppFixture>
{
    private const string Group = "notifications";

    [Fact]
    public async Task Poll_Notification_IsTheAnswerAsJson_AndTheGroupIsLeft()
    {
        var before = app.Layer.MemberCount(Group);
        var poll = app.Http.GetAsync("/poll/notifications");
        await app.Layer.WaitForMemberCountAsync(Group, before + 1);

        using var notify = await app.Http.PostAsync("/notify", new StringContent("""{"text": "hello"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, notify.StatusCode);

        using var response = await poll.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("""{"text": "hello"}""", await response.Content.ReadAsStringAsync());
        await app.Layer.WaitForMemberCountAsync(Group, before);
    }

    [Fact]
    public async Task Poll_NothingArrives_204AfterTheTimeout()
    {
        var started = DateTime.UtcNow;

        using var response = await app.Http.GetAsync("/poll/notifications").WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.True(DateTime.UtcNow - started >= TrackedChatAppFixture.PollTimeout - TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public async Task Poll_ClientLeavesEarly_ItsGroupMembershipIsGone()
    {
        var before = app.Layer.MemberCount(Group);
        using var cts = new CancellationTokenSource();
        var poll = app.Http.GetAsync("/poll/notifications", cts.Token);
        await app.Layer.WaitForMemberCountAsync(Group, before + 1);

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => poll);

        await app.Layer.WaitForMemberCountAsync(Group, before);
    }

    [Fact]
    public async Task Events_EachNotificationIsOneDataEvent_WithHeartbeats()
    {
        var before = app.Layer.MemberCount(Group);
        using var response = await app.Http.GetAsync("/events/notifications", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        await app.Layer.WaitForMemberCountAsync(Group, before + 1);

        await PostNotifyAsync("""{"n": 1}""");
        await PostNotifyAsync("{\"n\":\n 2}");

        var events = new List<string>();
        var heartbeats = 0;
        var data = new StringBuilder();
        for (var i = 0; i < 1000 && (events.Count < 2 || heartbeats == 0); i++)
        {
            var line = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
            Assert.NotNull(line);
            if (line == ": heartbeat")
            {
                heartbeats++;
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data.Append(data.Length == 0 ? "" : "\n").Append(line["data: ".Length..]);
            }
            else if (line.Length == 0 && data.Length > 0)
            {
                events.Add(data.ToString());
                data.Clear();
            }
        }

        Assert.Equal(["""{"n": 1}""", "{\"n\":\n 2}"], events);
        Assert.True(heartbeats > 0);
    }

    [Fact]
    public async Task Events_ClientLeaves_ItsGroupMembershipIsGone()
    {
        var before = app.Layer.MemberCount(Group);
        var response = await app.Http.GetAsync("/events/notifications", HttpCompletionOption.ResponseHeadersRead);
        await app.Layer.WaitForMemberCountAsync(Group, before + 1);

        response.Dispose();

        await app.Layer.WaitForMemberCountAsync(Group, before);
    }

    [Fact]
    public async Task Poll_Post_IsRefusedWith405()
    {
        using var response = await app.Http.PostAsync("/poll/notifications", new StringContent(""));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    private async Task PostNotifyAsync(string json)
    {
        using var notify = await app.Http.PostAsync("/notify", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, notify.StatusCode);
    }
}
