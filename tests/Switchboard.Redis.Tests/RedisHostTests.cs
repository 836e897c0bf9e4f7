using System.Net;
using System.Net.Sockets;
using Switchboard.Redis.Internal;

namespace Switchboard.Redis.Tests;

public sealed class RedisHostTests
{
    [Theory]
    [InlineData("redis://127.0.0.1:6390", "127.0.0.1", 6390, 0, null, false)]
    [InlineData("redis://localhost", "localhost", 6379, 0, null, false)]
    [InlineData("redis://:s3cret@10.1.2.3:6380/4", "10.1.2.3", 6380, 4, "s3cret", false)]
    [InlineData("rediss://cache.example:6380?db=2&password=p%40ss", "cache.example", 6380, 2, "p@ss", true)]
    [InlineData("redis://[::1]:7000/1", "::1", 7000, 1, null, false)]
    public void Parse_TcpUrls_GiveEndpointDatabasePasswordAndTls(string url, string host, int port, int database, string? password, bool tls)
    {
        var parsed = RedisHost.Parse(url);

        var endPoint = parsed.EndPoint switch
        {
            IPEndPoint ip => (ip.Address.ToString(), ip.Port),
            DnsEndPoint dns => (dns.Host, dns.Port),
            var other => throw new InvalidOperationException(other.ToString()),
        };
        Assert.Equal((host, port), endPoint);
        Assert.Equal(database, parsed.Database);
        Assert.Equal(password, parsed.Password);
        Assert.Equal(tls, parsed.UseTls);
        Assert.DoesNotContain("s3cret", parsed.DisplayName, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnixSocket_GivesThePathAndDatabase()
    {
        var parsed = RedisHost.Parse("unix://:pw@/var/run/redis/redis.sock?db=3");

        Assert.Equal("/var/run/redis/redis.sock", Assert.IsType<UnixDomainSocketEndPoint>(parsed.EndPoint).ToString());
        Assert.Equal(3, parsed.Database);
        Assert.Equal("pw", parsed.Password);
    }

    [Theory]
    [InlineData("localhost:6379", "redis://")]
    [InlineData("redis://host:notaport", "host[:port]")]
    [InlineData("redis://host:6379/x", "database")]
    [InlineData("unix://relative.sock", "absolute")]
    [InlineData("", "empty")]
    public void Parse_BadUrl_ThrowsNamingTheProblemAndTheForms(string url, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => RedisHost.Parse(url));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("redis://[:password@]host[:port][/db]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_BadSettings_FailValidationNamingEach()
    {
        var options = new RedisChannelLayerOptions { Prefix = "has space", Expiry = TimeSpan.FromMilliseconds(1500), RandomPrefixLength = 0 };
        options.Hosts.Add("http://nope");

        var errors = string.Join("\n", options.Validate());

        Assert.Contains("Hosts", errors, StringComparison.Ordinal);
        Assert.Contains("Prefix", errors, StringComparison.Ordinal);
        Assert.Contains("Expiry", errors, StringComparison.Ordinal);
        Assert.Contains("RandomPrefixLength", errors, StringComparison.Ordinal);
        Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => new RedisChannelLayer(options));
    }
}
