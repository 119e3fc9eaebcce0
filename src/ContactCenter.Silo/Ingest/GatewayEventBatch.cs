using ContactCenter.Calls;

namespace ContactCenter.Ingest;

/// <summary>
/// The body of <c>POST /api/v1/gateway/events</c> as the API document describes it: the events are
/// <see cref="CallEvent"/>s, told apart by their <c>type</c>. The silo does not deserialize this type: it reads
/// the body field by field (<see cref="CallEventParser"/>) so that one malformed event is rejected with its reason
/// and the rest of the batch goes on. A test writes a batch of every event type from this type and checks that
/// the parser reads each one back, so the document cannot drift from what the silo accepts.
/// </summary>
/// <param name="SentAt">The gateway's clock when it sent the request: the silo measures the events' times against it, so a gateway clock that is off does not make its events look early or late.</param>
/// <param name="Events">1 to 1,000 events, any calls, any order; each call's events carry their own sequence numbers.</param>
public sealed record GatewayEventBatch(DateTimeOffset? SentAt, IReadOnlyList<CallEvent> Events);
