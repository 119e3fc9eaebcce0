using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;

namespace ContactCenter.Security;

/// <summary>
/// The certificates silo-to-silo traffic is secured with (section <c>ContactCenter:SiloTls</c>), each a PEM
/// file: this silo's certificate and key, and the certificate of the authority that issues the cluster's silo
/// certificates. Required in cluster mode; <c>deploy/local/dev-certificate.sh</c> makes a development set.
/// </summary>
public sealed class SiloTlsOptions
{
    public string? Certificate { get; init; }

    public string? CertificateKey { get; init; }

    /// <summary>The cluster's own authority: it must issue certificates to this cluster's silos and to nothing else.</summary>
    public string? Authority { get; init; }

    public bool IsConfigured =>
        !string.IsNullOrWhiteSpace(Certificate) || !string.IsNullOrWhiteSpace(CertificateKey) || !string.IsNullOrWhiteSpace(Authority);
}

/// <summary>
/// Mutual TLS between silos: every connection, in and out, presents this silo's certificate and accepts the
/// other end only if its certificate was issued by the cluster's authority. Without it anyone who reaches a
/// silo port could join the cluster, or call grains directly past the API's tokens, roles and audit log.
/// </summary>
public static class SiloTls
{
    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";

    public static ISiloBuilder UseSiloTls(this ISiloBuilder silo, SiloTlsOptions settings)
    {
        var (certificate, authority) = Load(settings);
        return silo.UseTls(certificate, tls =>
        {
            tls.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
            tls.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
            tls.RemoteCertificateValidation = (remote, _, _) => IsIssuedBy(authority, remote);
        });
    }

    /// <summary>
    /// Whether <paramref name="remote"/> chains to <paramref name="authority"/> alone, the machine's trusted roots
    /// playing no part. The host name is not checked: silos reach each other by address, and the authority is
    /// the cluster's own, so what it issued is a silo of this cluster.
    /// </summary>
    public static bool IsIssuedBy(X509Certificate2 authority, X509Certificate2 remote)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        // A silo both accepts and opens connections: its certificate must be good for either end.
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid(ServerAuthentication));
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid(ClientAuthentication));
        return chain.Build(remote) && !remote.RawDataMemory.Span.SequenceEqual(authority.RawDataMemory.Span);
    }

    private static (X509Certificate2 Certificate, X509Certificate2 Authority) Load(SiloTlsOptions settings)
    {
        if (string.IsNullOrWhiteSpace(settings.Certificate) || string.IsNullOrWhiteSpace(settings.CertificateKey) || string.IsNullOrWhiteSpace(settings.Authority))
        {
            throw new InvalidOperationException(
                "ContactCenter:SiloTls needs Certificate, CertificateKey and Authority (PEM files); deploy/local/dev-certificate.sh makes a development set");
        }

        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(settings.Certificate, settings.CertificateKey);
            // A key read from PEM is ephemeral; TLS servers need it in a store-backed form on some platforms.
            var certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), password: null);
            var authority = X509CertificateLoader.LoadCertificateFromFile(settings.Authority);
            return IsIssuedBy(authority, certificate)
                ? (certificate, authority)
                : throw new InvalidOperationException(
                    $"ContactCenter:SiloTls:Certificate ({settings.Certificate}) was not issued by ContactCenter:SiloTls:Authority ({settings.Authority}), so the cluster's other silos would refuse it");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new InvalidOperationException($"ContactCenter:SiloTls: the certificate files cannot be read: {e.Message}", e);
        }
    }
}
