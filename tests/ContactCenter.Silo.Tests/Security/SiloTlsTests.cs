using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using ContactCenter.Security;

namespace ContactCenter.Tests.Security;

/// <summary>
/// Only silos of this cluster get through a silo port: a connection must complete mutual TLS with a certificate
/// the cluster's authority issued. Before: the port took plain Orleans connections from anyone, so any process
/// that reached it could join the cluster or call grains past the API's tokens, roles and audit log.
/// </summary>
public sealed class SiloTlsTests : IAsyncLifetime
{
    /// <summary>Long enough for a loaded machine to finish a refusal; an accepted peer is simply not closed meanwhile.</summary>
    private static readonly TimeSpan RefusalWait = TimeSpan.FromSeconds(15);

    private readonly string _folder = Directory.CreateTempSubdirectory("cc-tls-").FullName;
    private SiloHost _silo = null!;

    public async Task InitializeAsync() => _silo = await SiloHost.StartEmbeddedAsync(Path.Combine(_folder, "silo.db"));

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task APeerWithACertificateFromTheClustersAuthorityIsAccepted()
    {
        Assert.Equal(PeerFate.Accepted, await ConnectAsync(Certificate(TestCertificates.Cluster)));
    }

    [Fact]
    public async Task APeerWithACertificateFromAnotherAuthorityIsRefused()
    {
        Assert.Equal(PeerFate.Refused, await ConnectAsync(Certificate(TestCertificates.FromAnotherAuthority())));
    }

    [Fact]
    public async Task APeerWithoutACertificateIsRefused()
    {
        Assert.Equal(PeerFate.Refused, await ConnectAsync(clientCertificate: null));
    }

    [Fact]
    public async Task APlainOrleansConnectionIsRefused()
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(System.Net.IPAddress.Loopback, _silo.SiloPort);
        var stream = tcp.GetStream();
        // What a plain Orleans peer sends first: a length-prefixed preamble, not a TLS ClientHello.
        await stream.WriteAsync(new byte[] { 16, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 });
        Assert.Equal(PeerFate.Refused, await FateAsync(stream));
    }

    [Fact]
    public async Task AClusterSiloWithoutCertificatesDoesNotStart()
    {
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => SiloHost.StartAsync(
            new("ContactCenter:Mode", "Cluster"),
            new("ContactCenter:PostgreSql", "Host=127.0.0.1;Port=1;Database=unused"),
            new("ContactCenter:MigrateOnStart", "false"),
            new("ContactCenter:SiloTls:Certificate", ""),
            new("ContactCenter:SiloTls:CertificateKey", ""),
            new("ContactCenter:SiloTls:Authority", "")));

        Assert.Contains("cluster mode needs ContactCenter:SiloTls", refused.Message);
    }

    [Fact]
    public async Task ACertificateItsOwnAuthorityDidNotIssueStopsTheStart()
    {
        var other = TestCertificates.FromAnotherAuthority();
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => SiloHost.StartAsync(
            new("ContactCenter:Mode", "Embedded"),
            new("ContactCenter:SqlitePath", Path.Combine(_folder, "other.db")),
            new("ContactCenter:SiloTls:Certificate", Path.Combine(other, "silo.pem")),
            new("ContactCenter:SiloTls:CertificateKey", Path.Combine(other, "silo.key"))));

        Assert.Contains("was not issued by ContactCenter:SiloTls:Authority", refused.Message);
    }

    private enum PeerFate
    {
        Accepted,
        Refused,
    }

    /// <summary>A TLS client to the silo port, checking the silo's certificate as a silo does.</summary>
    private async Task<PeerFate> ConnectAsync(X509Certificate2? clientCertificate)
    {
        using var authority = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(TestCertificates.Cluster, "ca.pem"));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(System.Net.IPAddress.Loopback, _silo.SiloPort);
        await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false,
            (_, server, _, _) => server is not null && SiloTls.IsIssuedBy(authority, X509CertificateLoader.LoadCertificate(server.GetRawCertData())));
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                ClientCertificates = clientCertificate is null ? [] : [clientCertificate],
            });
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            return PeerFate.Refused;
        }

        // With TLS 1.3 the server judges the client's certificate after the client's side of the handshake is
        // done, so a refusal shows as the connection closing.
        return await FateAsync(tls);
    }

    private static async Task<PeerFate> FateAsync(Stream stream)
    {
        using var wait = new CancellationTokenSource(RefusalWait);
        try
        {
            return await stream.ReadAsync(new byte[1], wait.Token) == 0 ? PeerFate.Refused : PeerFate.Accepted;
        }
        catch (OperationCanceledException)
        {
            return PeerFate.Accepted;
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            return PeerFate.Refused;
        }
    }

    private static X509Certificate2 Certificate(string folder)
    {
        using var pem = X509Certificate2.CreateFromPemFile(Path.Combine(folder, "silo.pem"), Path.Combine(folder, "silo.key"));
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), password: null);
    }
}
