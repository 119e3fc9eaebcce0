using System.Net;
using System.Net.Sockets;
using ContactCenter.Security;

namespace ContactCenter.Hosting;

/// <summary>
/// What must hold before the silo joins its cluster, checked first among the host's services so a wrong
/// setting stops the start with a message that names it, instead of failing requests later or quietly
/// sharing a port with another silo.
/// </summary>
public sealed class StartChecks(IServiceProvider services, ContactCenterOptions options, SiloTlsOptions siloTls) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Built now rather than on the first request: its constructor refuses tokens that break AccessRules.
        services.GetRequiredService<ApiTokenDirectory>();
        // A cluster's silos talk over the network, so they must prove to each other that they belong; a lone
        // embedded silo listens on loopback only and uses TLS when it is configured.
        if (options.Mode == HostingMode.Cluster && !siloTls.IsConfigured)
        {
            throw new InvalidOperationException(
                "cluster mode needs ContactCenter:SiloTls (Certificate, CertificateKey, Authority: PEM files), so that only this cluster's silos can join it; " +
                "deploy/local/dev-certificate.sh makes a development set");
        }

        EnsureFree(options.SiloListeningAddress(), options.SiloPort);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Orleans listens with address reuse, which on Linux lets a second silo bind the same port and take half
    /// its connections. A socket bound without reuse is refused while anyone listens there, so binding one
    /// for a moment tells whether the port is ours to take.
    /// </summary>
    private static void EnsureFree(IPAddress address, int port)
    {
        using var probe = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            probe.Bind(new IPEndPoint(address, port));
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
        {
            throw new InvalidOperationException(
                $"ContactCenter:SiloPort {port} on {address} is taken by another process (another silo?): {e.Message}. Each silo needs a port of its own", e);
        }
    }
}
