namespace ContactCenter.GatewayClient;

/// <summary>One region of the cluster as a gateway reaches it: a name for reports and the base address of its API.</summary>
/// <param name="Name">For reports and <see cref="RegionChange"/>, e.g. <c>nanjing</c>.</param>
/// <param name="BaseAddress">Where the region's silos (or their load balancer) answer, e.g. <c>http://cc-nanjing.example:5080/</c>.</param>
public sealed record Region(string Name, Uri BaseAddress)
{
    /// <summary>An address below <see cref="BaseAddress"/>, which may itself carry a path (a proxy's prefix).</summary>
    internal Uri Resolve(string relative)
    {
        // Without the trailing slash, relative resolution would replace the base's last segment instead of appending.
        var text = BaseAddress.AbsoluteUri;
        return new Uri(new Uri(text.EndsWith('/') ? text : text + "/"), relative);
    }
}
