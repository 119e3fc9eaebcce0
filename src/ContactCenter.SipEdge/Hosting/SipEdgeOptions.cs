using System.Net;

namespace ContactCenter.SipEdge.Hosting;

/// <summary>The edge's settings, section <c>SipEdge</c> (docs/sip-edge.md explains each).</summary>
public sealed class SipEdgeOptions
{
    public const string Section = "SipEdge";

    /// <summary>Prefix of the edge's call ids: unique per edge, so two edges of one gateway token never reuse an id.</summary>
    public string Name { get; set; } = "edge";

    /// <summary>The region the edge's calls are offered in (the <c>region</c> of <c>offered</c>).</summary>
    public string Region { get; set; } = "nanjing";

    /// <summary>The silos in order of preference (the home region first), and the edge's gateway token.</summary>
    public List<ClusterRegion> Cluster { get; set; } = [];

    public string GatewayToken { get; set; } = "";

    /// <summary>The address the SIP and RTP sockets bind to.</summary>
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>The address peers reach the edge at (Via, Contact, SDP); the listen address by default.</summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>UDP and TCP, the same port.</summary>
    public int SipPort { get; set; } = 5060;

    public int RtpPortFirst { get; set; } = 20_000;

    public int RtpPortLast { get; set; } = 29_999;

    /// <summary>Addresses or CIDR ranges trunks send from; an INVITE from anywhere else is refused 403.</summary>
    public List<string> Trunks { get; set; } = ["127.0.0.1/32"];

    /// <summary>What each dialled number leads to: a queue or a voice menu.</summary>
    public Dictionary<string, NumberRoute> Numbers { get; set; } = [];

    /// <summary>Calls at once at most; one more is refused 503 with Retry-After.</summary>
    public int MaxCalls { get; set; } = 2_000;

    public string RecordingsPath { get; set; } = "recordings";

    /// <summary>Days a recording is kept after its call ended, then deleted; 0 keeps them for ever (another system archives them).</summary>
    public int RecordingRetentionDays { get; set; } = 180;

    /// <summary>Record every answered call (the recording starts at the agent's answer).</summary>
    public bool RecordCalls { get; set; } = true;

    /// <summary>The prompts' WAV files (8 kHz mono); a prompt without a file is played as its tone.</summary>
    public PromptFiles Prompts { get; set; } = new();

    /// <summary>Agents' phones that may register: user and digest password.</summary>
    public List<PhoneAccount> Phones { get; set; } = [];

    public string Realm { get; set; } = "contact-center";

    /// <summary>How long a connect rings the agent's phone at most before the edge gives up on it (the cluster's offer timeout usually comes first).</summary>
    public int AgentRingSeconds { get; set; } = 30;

    /// <summary>Calls the edge places for the cluster (<c>place_call</c>): the trunk they go out on, and their pace.</summary>
    public OutboundOptions Outbound { get; set; } = new();

    internal IPAddress Listen => IPAddress.Parse(ListenAddress);

    internal string Advertised => string.IsNullOrWhiteSpace(AdvertisedAddress) ? ListenAddress : AdvertisedAddress;

    internal void Validate()
    {
        if (!IPAddress.TryParse(ListenAddress, out _))
        {
            throw new InvalidOperationException($"SipEdge:ListenAddress '{ListenAddress}' is not an IP address");
        }

        if (Cluster.Count == 0 || Cluster.Any(r => !Uri.TryCreate(r.Url, UriKind.Absolute, out _)))
        {
            throw new InvalidOperationException("SipEdge:Cluster needs at least one region with an absolute Url");
        }

        if (string.IsNullOrWhiteSpace(GatewayToken))
        {
            throw new InvalidOperationException("SipEdge:GatewayToken is required (the edge is a gateway of the cluster)");
        }

        if (RtpPortFirst < 1024 || RtpPortLast > 65534 || RtpPortLast - RtpPortFirst < 2)
        {
            throw new InvalidOperationException("SipEdge:RtpPortFirst..RtpPortLast must be a range of ports above 1023");
        }

        if (RecordingRetentionDays < 0)
        {
            throw new InvalidOperationException("SipEdge:RecordingRetentionDays is 0 (keep for ever) or more days");
        }

        Outbound.Validate();
        foreach (var trunk in Trunks)
        {
            _ = TrunkList.ParseRange(trunk);
        }

        foreach (var (number, route) in Numbers)
        {
            // A setting given empty (an environment variable that clears one from appsettings.json) is not set.
            route.Queue = string.IsNullOrWhiteSpace(route.Queue) ? null : route.Queue;
            route.Menu = string.IsNullOrWhiteSpace(route.Menu) ? null : route.Menu;
            if ((route.Queue is null) == (route.Menu is null))
            {
                throw new InvalidOperationException($"SipEdge:Numbers:{number} must name exactly one of Queue and Menu");
            }
        }
    }
}

/// <summary>How the edge places outbound calls (satisfaction callbacks), section <c>SipEdge:Outbound</c>.</summary>
public sealed class OutboundOptions
{
    /// <summary>The SIP URI a subscriber's number is dialled at, with <c>{number}</c> for it: <c>sip:{number}@trunk.example:5060</c>. Empty: the edge places no calls (each is failed <c>no_outbound_trunk</c>).</summary>
    public string? Trunk { get; set; }

    /// <summary>The number subscribers see when the request gives none.</summary>
    public string CallerId { get; set; } = "10086";

    /// <summary>Outbound calls at once at most (claiming, ringing or talking): the share of the trunk they may take.</summary>
    public int MaxCalls { get; set; } = 30;

    /// <summary>New outbound calls started per second at most, however many wait.</summary>
    public double CallsPerSecond { get; set; } = 5;

    /// <summary>Calls that may wait for their turn; one more is failed <c>outbound_queue_full</c> at once.</summary>
    public int MaxWaiting { get; set; } = 10_000;

    /// <summary>The prompts the cluster may name, by name (a <c>place_call</c>'s, a <c>survey_after_call</c>'s): WAV files, 8 kHz mono.</summary>
    public Dictionary<string, string> Prompts { get; set; } = [];

    internal void Validate()
    {
        if (!string.IsNullOrWhiteSpace(Trunk) && !Trunk.Contains("{number}", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("SipEdge:Outbound:Trunk must contain {number}, e.g. sip:{number}@trunk.example:5060");
        }

        if (MaxCalls < 1 || MaxWaiting < 0 || !(CallsPerSecond > 0))
        {
            throw new InvalidOperationException("SipEdge:Outbound: MaxCalls and CallsPerSecond must be above 0, MaxWaiting 0 or more");
        }
    }
}

public sealed class ClusterRegion
{
    public string Name { get; set; } = "";

    public string Url { get; set; } = "";
}

/// <summary>Where a dialled number leads: straight to a queue, or into a voice menu (a file) whose choices lead to queues.</summary>
public sealed class NumberRoute
{
    public string? Queue { get; set; }

    /// <summary>A menu file (deploy/sip-edge/menus/*.json), relative to the working directory.</summary>
    public string? Menu { get; set; }
}

public sealed class PromptFiles
{
    /// <summary>Played in a loop while the caller waits.</summary>
    public string? Music { get; set; }

    public string? NoAgents { get; set; }

    public string? MaxWait { get; set; }

    public string? Busy { get; set; }
}

public sealed class PhoneAccount
{
    public string User { get; set; } = "";

    public string Password { get; set; } = "";
}
