using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Switchboard.Redis.Tests.Infrastructure;

namespace Switchboard.Redis.Tests;

/// <summary><c>rediss://</c> against a real redis-server serving TLS with a certificate of the test's own authority,
/// trusted through <c>ssl_ca_certs</c> (redis-py's name).</summary>
public sealed class RedisTlsTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("switchboard-tls-").FullName;
    private RedisServer _server = null!;
    private int _tlsPort;

    private string CertificatePath => Path.Combine(_directory, "cert.pem");

    public async Task InitializeAsync()
    {
        // A self-signed certificate for 127.0.0.1, its own authority.
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        await File.WriteAllTextAsync(CertificatePath, certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(Path.Combine(_directory, "key.pem"), key.ExportPkcs8PrivateKeyPem());

        _tlsPort = FreePort();
        _server = await RedisServer.StartAsync(
            "--tls-port", _tlsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--tls-cert-file", CertificatePath,
            "--tls-key-file", Path.Combine(_directory, "key.pem"),
            "--tls-ca-cert-file", CertificatePath,
            "--tls-auth-clients", "no");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Rediss_TrustedAuthority_SendsReceivesAndGroupSendsOverTls()
    {
        // A generous timeout: the first operation includes the TLS handshake, slow on a loaded 2-core machine.
        await using var layer = Layer($"rediss://127.0.0.1:{_tlsPort}?ssl_ca_certs={Uri.EscapeDataString(CertificatePath)}", TimeSpan.FromSeconds(15));
        var channel = await layer.NewChannelAsync();
        await layer.GroupAddAsync("tls-room", channel);

        await layer.SendAsync(channel, new LayerMessage("test.direct") { ["n"] = 1L });
        await layer.GroupSendAsync("tls-room", new LayerMessage("test.group") { ["n"] = 2L });
        await layer.SendAsync("tls-work", new LayerMessage("test.work") { ["n"] = 3L });

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        Assert.Equal(1, (await layer.ReceiveAsync(channel, timeout.Token)).GetInt64("n"));
        Assert.Equal(2, (await layer.ReceiveAsync(channel, timeout.Token)).GetInt64("n"));
        Assert.Equal(3, (await layer.ReceiveAsync("tls-work", timeout.Token)).GetInt64("n"));
    }

    [Fact]
    public async Task Rediss_UntrustedCertificate_FailsWithinTheTimeout()
    {
        await using var layer = Layer($"rediss://127.0.0.1:{_tlsPort}");

        await Assert.ThrowsAsync<RedisChannelLayerException>(async () => await layer.SendAsync("tls-work", new LayerMessage("test.work")));
    }

    [Fact]
    public void Options_CaCertificatesOnAPlainHost_RefusedNamingTheFix()
    {
        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => Layer($"redis://127.0.0.1:{_server.Port}?ssl_ca_certs={Uri.EscapeDataString(CertificatePath)}"));

        Assert.Contains("ssl_ca_certs applies to TLS hosts only (rediss://)", error.Message, StringComparison.Ordinal);
    }

    private static RedisChannelLayer Layer(string host, TimeSpan? operationTimeout = null)
    {
        var options = new RedisChannelLayerOptions
        {
            Prefix = "tls" + Guid.NewGuid().ToString("N")[..6],
            OperationTimeout = operationTimeout ?? TimeSpan.FromSeconds(3),
        };
        options.Hosts.Add(host);
        return new RedisChannelLayer(options);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
