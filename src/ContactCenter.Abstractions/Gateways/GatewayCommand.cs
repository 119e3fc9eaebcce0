using System.Text.Json.Serialization;

namespace ContactCenter.Gateways;

/// <summary>
/// A decision the cluster sends back to the gateway that owns a call. Delivered at least once: the gateway
/// acknowledges each command id, and unacknowledged commands are delivered again, across silo restarts too.
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.GatewayCommand")]
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(ConnectToAgent), "connect")]
[JsonDerivedType(typeof(CancelConnect), "cancel_connect")]
[JsonDerivedType(typeof(PlayBusy), "play_busy")]
[JsonDerivedType(typeof(PlayAnnouncement), "play_announcement")]
[JsonDerivedType(typeof(CallOverflowed), "overflowed")]
public abstract record GatewayCommand(string CallId);

/// <summary>Ring the agent's endpoint with this call.</summary>
[GenerateSerializer, Immutable, Alias("cc.ConnectToAgent")]
public sealed record ConnectToAgent(string CallId, string AgentId, string Endpoint, string Queue) : GatewayCommand(CallId);

/// <summary>Stop ringing the agent: the offer timed out; the call stays queued.</summary>
[GenerateSerializer, Immutable, Alias("cc.CancelConnect")]
public sealed record CancelConnect(string CallId, string AgentId) : GatewayCommand(CallId);

/// <summary>The queue cannot take the call: play busy and let the caller go.</summary>
[GenerateSerializer, Immutable, Alias("cc.PlayBusy")]
public sealed record PlayBusy(string CallId, string Queue, string Reason) : GatewayCommand(CallId);

/// <summary>Play a recorded announcement (nobody logged in, maximum wait reached).</summary>
[GenerateSerializer, Immutable, Alias("cc.PlayAnnouncement")]
public sealed record PlayAnnouncement(string CallId, string Queue, string Announcement) : GatewayCommand(CallId);

/// <summary>The call moved to another queue; it keeps its place by original wait.</summary>
[GenerateSerializer, Immutable, Alias("cc.CallOverflowed")]
public sealed record CallOverflowed(string CallId, string FromQueue, string ToQueue) : GatewayCommand(CallId);

/// <summary>A command as the gateway receives it: with the id it acknowledges.</summary>
public sealed record DeliveredCommand(long Id, GatewayCommand Command, DateTimeOffset CreatedAt, int Deliveries);

/// <summary>Announcement names the gateway maps to its recordings.</summary>
public static class Announcements
{
    public const string NobodyLoggedIn = "no_agents";
    public const string MaxWaitReached = "max_wait";
}
