using System.Net;
using System.Text.Json;

namespace Switchboard.FunctionalTests.ReferenceApp;

/// <summary><c>GET /healthz</c> of the reference app on real Kestrel.</summary>
public class ReferenceAppHealthTests(ChatAppFixture app) : IClassFixture<ChatAppFixture>
{
    [Fact]
    public async Task Healthz_InMemoryLayerAndWorkersRunning_200WithJsonNamingEachCheck()
    {
        using var response = await app.Http.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
        var checks = body.RootElement.GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty("switchboard.layer").GetProperty("status").GetString());
        var workers = checks.GetProperty("switchboard.workers");
        Assert.Equal("Healthy", workers.GetProperty("status").GetString());
        Assert.Contains("thumbnails", workers.GetProperty("description").GetString(), StringComparison.Ordinal);
    }
}
