-- Commands about one call go to its gateway in order, and a command a later one made stale is never delivered
-- (a connect redelivered after its cancel_connect would ring an agent for a call someone else has). The rules
-- of which command makes which stale are in GatewayCommandSupersession.cs; the columns carry what they match on.
--
-- topic, subject: what the command is about, for the commands a later one can make stale: 'offer' and the agent
-- (connect), 'supervision' and the supervisor (join_as_supervisor, leave_as_supervisor); null for the others.
-- superseded_at: when a later command about the call made this one stale, or (a cancel_connect whose connect
-- was never delivered) pointless; such a command is never delivered again.
ALTER TABLE gateway_commands ADD COLUMN IF NOT EXISTS topic text;
ALTER TABLE gateway_commands ADD COLUMN IF NOT EXISTS subject text;
ALTER TABLE gateway_commands ADD COLUMN IF NOT EXISTS superseded_at timestamptz;

-- Open commands (neither acknowledged nor superseded): by gateway for the poll, by call for the order check and
-- for finding what a new command makes stale. Superseded commands are never acknowledged, so the old index
-- (acknowledged_at IS NULL only) would keep them forever; it is replaced.
--
-- On a large existing gateway_commands these builds block command inserts while they run. Create them beforehand
-- with the same statements as CREATE INDEX CONCURRENTLY, outside a transaction; the statements below then find
-- them and do nothing.
CREATE INDEX IF NOT EXISTS gateway_commands_open ON gateway_commands (gateway_id, command_id)
    WHERE acknowledged_at IS NULL AND superseded_at IS NULL;
CREATE INDEX IF NOT EXISTS gateway_commands_open_by_call ON gateway_commands (call_id, command_id)
    WHERE acknowledged_at IS NULL AND superseded_at IS NULL;
DROP INDEX IF EXISTS gateway_commands_pending;

-- Each gateway's last command poll as any silo saw it, so every silo of both regions can tell a gateway that
-- stopped taking its commands. Written by each silo at most every few seconds per gateway, not per poll.
CREATE TABLE IF NOT EXISTS gateway_polls (
    gateway_id   text        NOT NULL PRIMARY KEY,
    last_poll_at timestamptz NOT NULL
);
