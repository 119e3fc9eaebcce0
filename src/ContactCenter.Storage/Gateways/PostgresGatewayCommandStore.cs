using ContactCenter.GroupCommit;
using Npgsql;
using NpgsqlTypes;

namespace ContactCenter.Gateways;

public sealed class PostgresGatewayCommandStore(NpgsqlDataSource dataSource) : IGatewayCommandStore
{
    /// <summary>
    /// One statement for the whole batch: the open commands the batch makes stale (see
    /// <see cref="GatewayCommandSupersession"/>) are marked superseded, then the batch is inserted, a command
    /// stored superseded when a later one of the batch makes it stale, or when it is a cancel_connect that undoes
    /// only connects never delivered. A poll taking one of those connects at the same moment holds its row: the
    /// UPDATE waits for it and then sees it delivered, so the cancel is kept.
    /// The commands of each input's call are found by a lateral lookup on the call alone (whether they are open is
    /// asked outside it, and <c>OFFSET 0</c> keeps the planner from merging the two), so only the index by call
    /// (deploy/sql/postgresql/110) can serve it: until the table is first analyzed, PostgreSQL believes the partial
    /// indexes of open commands nearly empty and otherwise walked every open command of the gateway per input
    /// (1.7 s a batch at 25,000 open commands, the ingest path, which waits on these commits, at a third of its speed).
    /// </summary>
    private const string Insert = """
        WITH input AS (
            SELECT * FROM unnest(@gateway_id, @call_id, @kind, @payload, @topic, @subject, @supersedes_topic, @supersedes_subject,
                                 @pointless_when_undone_undelivered, @stale_on_arrival, @undoes_in_batch)
                WITH ORDINALITY AS t(gateway_id, call_id, kind, payload, topic, subject, supersedes_topic, supersedes_subject,
                                     pointless_when_undone_undelivered, stale_on_arrival, undoes_in_batch, n)
        ),
        stale AS (
            UPDATE gateway_commands g SET superseded_at = now()
            FROM input i CROSS JOIN LATERAL (
                SELECT c.command_id, c.gateway_id, c.topic, c.subject, c.acknowledged_at, c.superseded_at FROM gateway_commands c
                WHERE c.call_id = i.call_id
                OFFSET 0) open
            WHERE i.supersedes_topic IS NOT NULL AND g.command_id = open.command_id AND open.gateway_id = i.gateway_id
              AND open.acknowledged_at IS NULL AND open.superseded_at IS NULL
              AND open.topic = i.supersedes_topic AND (i.supersedes_subject IS NULL OR open.subject = i.supersedes_subject)
            RETURNING g.gateway_id, g.call_id, g.topic, g.subject, g.delivered_at
        )
        INSERT INTO gateway_commands (gateway_id, call_id, kind, payload, topic, subject, superseded_at)
        SELECT i.gateway_id, i.call_id, i.kind, i.payload::json, i.topic, i.subject,
               CASE WHEN i.stale_on_arrival THEN now()
                    WHEN i.pointless_when_undone_undelivered
                         AND (i.undoes_in_batch OR EXISTS (
                             SELECT 1 FROM stale s WHERE s.gateway_id = i.gateway_id AND s.call_id = i.call_id
                               AND s.topic = i.supersedes_topic AND s.subject = i.supersedes_subject))
                         AND NOT EXISTS (
                             SELECT 1 FROM stale s WHERE s.gateway_id = i.gateway_id AND s.call_id = i.call_id
                               AND s.topic = i.supersedes_topic AND s.subject = i.supersedes_subject AND s.delivered_at IS NOT NULL)
                    THEN now() END
        FROM input i
        ORDER BY i.n
        RETURNING command_id
        """;

    /// <summary>
    /// Polls of one gateway take turns (a transaction-scoped advisory lock, in the same round trip): two at once
    /// (through both regions) could otherwise each take one of a call's commands and deliver them out of order.
    /// </summary>
    private const string LockGateway = "SELECT pg_advisory_xact_lock(hashtextextended('gateway_commands:' || @gateway_id, 0))";

    /// <summary>
    /// A call's commands go in order: one is taken only when no earlier open command of its call is out with the
    /// gateway (delivered, not acknowledged, its redelivery not yet due). Earlier commands that are due are
    /// taken first (by id), so they travel ahead of it in the same page. The earlier commands are looked up by the
    /// call alone, for the reason given at <see cref="Insert"/>.
    /// </summary>
    private const string Take = """
        UPDATE gateway_commands SET delivered_at = now(), deliveries = deliveries + 1
        WHERE command_id IN (
            SELECT c.command_id FROM gateway_commands c
            WHERE c.gateway_id = @gateway_id AND c.acknowledged_at IS NULL AND c.superseded_at IS NULL
              AND (c.delivered_at IS NULL OR c.delivered_at < now() - @redeliver_after)
              AND NOT EXISTS (
                  SELECT 1 FROM (
                      SELECT e.acknowledged_at, e.superseded_at, e.delivered_at FROM gateway_commands e
                      WHERE e.call_id = c.call_id AND e.command_id < c.command_id
                      OFFSET 0) earlier
                  WHERE earlier.acknowledged_at IS NULL AND earlier.superseded_at IS NULL
                    AND earlier.delivered_at >= now() - @redeliver_after)
            ORDER BY c.command_id
            LIMIT @limit
            FOR UPDATE SKIP LOCKED)
        RETURNING command_id, payload::text, created_at, deliveries
        """;

    public async Task<IReadOnlyList<CommitOutcome<long>>> InsertBatchAsync(IReadOnlyList<OutgoingCommand> commands, CancellationToken cancellationToken)
    {
        var decisions = GatewayCommandSupersession.Decide(commands);
        // Identity values are handed out in insertion order, and the ORDER BY fixes that order to the input's:
        // the sorted returned ids therefore line up with the commands.
        await using var command = dataSource.CreateCommand(Insert);
        command.Parameters.Add(Texts("gateway_id", commands.Select(c => c.GatewayId)));
        command.Parameters.Add(Texts("call_id", commands.Select(c => c.Command.CallId)));
        command.Parameters.Add(Texts("kind", commands.Select(c => GatewayCommandJson.KindOf(c.Command))));
        command.Parameters.Add(Texts("payload", commands.Select(c => GatewayCommandJson.Serialize(c.Command))));
        command.Parameters.Add(Texts("topic", decisions.Select(d => d.Rule.Topic)));
        command.Parameters.Add(Texts("subject", decisions.Select(d => d.Rule.Subject)));
        command.Parameters.Add(Texts("supersedes_topic", decisions.Select(d => d.Rule.SupersedesTopic)));
        command.Parameters.Add(Texts("supersedes_subject", decisions.Select(d => d.Rule.SupersedesSubject)));
        command.Parameters.Add(Flags("pointless_when_undone_undelivered", decisions.Select(d => d.Rule.PointlessWhenUndoneUndelivered)));
        command.Parameters.Add(Flags("stale_on_arrival", decisions.Select(d => d.StaleOnArrival)));
        command.Parameters.Add(Flags("undoes_in_batch", decisions.Select(d => d.UndoesInBatch)));
        var ids = new List<long>(commands.Count);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(reader.GetInt64(0));
            }
        }

        ids.Sort();
        return ids.ConvertAll(CommitOutcome<long>.Success);
    }

    public async Task<IReadOnlyList<DeliveredCommand>> TakePendingAsync(string gatewayId, int limit, TimeSpan redeliverAfter, CancellationToken cancellationToken)
    {
        // One batch, one round trip: PostgreSQL runs the statements before the batch's single Sync as one
        // implicit transaction, so the lock is held until the take commits.
        await using var batch = dataSource.CreateBatch();
        var lockGateway = new NpgsqlBatchCommand(LockGateway);
        lockGateway.Parameters.AddWithValue("gateway_id", gatewayId);
        var take = new NpgsqlBatchCommand(Take);
        take.Parameters.AddWithValue("gateway_id", gatewayId);
        take.Parameters.AddWithValue("redeliver_after", redeliverAfter);
        take.Parameters.AddWithValue("limit", limit);
        batch.BatchCommands.Add(lockGateway);
        batch.BatchCommands.Add(take);
        var delivered = new List<DeliveredCommand>();
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken); // past the lock's row
        while (await reader.ReadAsync(cancellationToken))
        {
            delivered.Add(new DeliveredCommand(reader.GetInt64(0), GatewayCommandJson.Deserialize(reader.GetString(1)), reader.GetFieldValue<DateTimeOffset>(2), reader.GetInt32(3)));
        }

        return [.. delivered.OrderBy(d => d.Id)];
    }

    public async Task<int> AcknowledgeAsync(string gatewayId, IReadOnlyCollection<long> commandIds, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE gateway_commands SET acknowledged_at = now()
            WHERE gateway_id = @gateway_id AND command_id = ANY(@ids) AND acknowledged_at IS NULL
            """);
        command.Parameters.AddWithValue("gateway_id", gatewayId);
        command.Parameters.AddWithValue("ids", commandIds.ToArray());
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> WasDeliveredAsync(long commandId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT delivered_at IS NOT NULL OR acknowledged_at IS NOT NULL FROM gateway_commands WHERE command_id = @id");
        command.Parameters.AddWithValue("id", commandId);
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    public async Task RecordPollsAsync(IReadOnlyCollection<string> gatewayIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // The database's clock, not the silo's: every silo then compares poll times on one clock. GREATEST: two
        // silos may write one gateway's row in either order.
        await using var command = dataSource.CreateCommand("""
            INSERT INTO gateway_polls (gateway_id, last_poll_at) SELECT g, now() FROM unnest(@gateway_id) AS t(g)
            ON CONFLICT (gateway_id) DO UPDATE SET last_poll_at = GREATEST(gateway_polls.last_poll_at, excluded.last_poll_at)
            """);
        command.Parameters.Add(Texts("gateway_id", gatewayIds));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<GatewayPollRecord>> ReadGatewaysAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Silence as an interval on the database's clock, which the silo adds to its own: no clock skew between silos.
        await using var command = dataSource.CreateCommand("""
            SELECT coalesce(p.gateway_id, o.gateway_id), extract(epoch FROM now() - p.last_poll_at)::float8, coalesce(o.open, 0)::int
            FROM gateway_polls p
            FULL JOIN (SELECT gateway_id, count(*) AS open FROM gateway_commands
                       WHERE acknowledged_at IS NULL AND superseded_at IS NULL GROUP BY gateway_id) o ON o.gateway_id = p.gateway_id
            """);
        var records = new List<GatewayPollRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(new GatewayPollRecord(
                reader.GetString(0), reader.IsDBNull(1) ? null : TimeSpan.FromSeconds(Math.Max(0, reader.GetDouble(1))), reader.GetInt32(2)));
        }

        return records;
    }

    private static NpgsqlParameter Texts(string name, IEnumerable<string?> values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = values.ToArray() };

    private static NpgsqlParameter Flags(string name, IEnumerable<bool> values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.Boolean) { Value = values.ToArray() };
}
