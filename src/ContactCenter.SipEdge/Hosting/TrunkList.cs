using System.Net;

namespace ContactCenter.SipEdge.Hosting;

/// <summary>The addresses trunks may send calls from: single addresses or CIDR ranges (IPv4 and IPv6).</summary>
public sealed class TrunkList(IEnumerable<string> ranges)
{
    private readonly List<IPNetwork> _ranges = [.. ranges.Select(ParseRange)];

    public bool Contains(IPAddress address)
    {
        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return _ranges.Any(r => r.Contains(plain));
    }

    public static IPNetwork ParseRange(string text)
    {
        if (IPNetwork.TryParse(text, out var network))
        {
            return network;
        }

        if (IPAddress.TryParse(text, out var single))
        {
            return new IPNetwork(single, single.GetAddressBytes().Length * 8);
        }

        throw new InvalidOperationException($"SipEdge:Trunks entry '{text}' is neither an address nor a CIDR range");
    }
}
