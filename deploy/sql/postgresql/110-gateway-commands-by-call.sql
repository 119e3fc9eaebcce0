-- A call's commands are looked up by the call alone, through an index over every command (not only the open
-- ones): the statements of PostgresGatewayCommandStore state the call inside the lookup and whether a command is
-- still open outside it, so neither partial index of the open commands can serve the lookup. Why: until
-- gateway_commands is first analyzed, PostgreSQL takes the default 0.5% for "acknowledged_at IS NULL", believes
-- both partial indexes nearly empty, and may walk the open commands of the gateway to find one call's (seen: 7 ms
-- per call and 1.7 s per batch with 25,000 commands open; the ingest path at a third of its speed).
-- A call has a handful of commands, so the wider index costs a few entries per call and no extra index write
-- (every command is open when inserted, so it entered the partial index too).
--
-- On a large existing gateway_commands this build blocks command inserts while it runs. Create it beforehand with
-- the same statement as CREATE INDEX CONCURRENTLY, outside a transaction; the statement below then does nothing.
CREATE INDEX IF NOT EXISTS gateway_commands_by_call ON gateway_commands (call_id, command_id);
DROP INDEX IF EXISTS gateway_commands_open_by_call;
