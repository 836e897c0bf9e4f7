using System.Net;
using System.Text.Json;

namespace Switchboard.FunctionalTests.Diagnostics;

/// <summary>Reads <c>GET /healthz</c>, and polls it (bounded) until it answers a given status.</summary>
internal static class HealthProbe
{
    public static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(HttpClient http, string path = "/healthz")
    {
        using var response = await http.GetAsync(path);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, json.RootElement.Clone());
    }

    /// <summary>Polls until the status is <paramref name="expected"/>, at most 100 times 100 ms apart; returns the last answer.</summary>
    public static async Task<(HttpStatusCode Status, JsonElement Body)> WaitForAsync(HttpClient http, HttpStatusCode expected, string path = "/healthz")
    {
        var answer = await GetAsync(http, path);
        for (var attempt = 0; attempt < 100 && answer.Status != expected; attempt++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100));
            answer = await GetAsync(http, path);
        }

        return answer;
    }

    public static JsonElement Check(JsonElement body, string name) => body.GetProperty("checks").GetProperty(name);
}
