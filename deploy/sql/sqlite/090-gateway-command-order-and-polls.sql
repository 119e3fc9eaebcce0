-- Commands about one call in order, stale ones never delivered, and each gateway's last poll; see the PostgreSQL script.
ALTER TABLE gateway_commands ADD COLUMN topic TEXT;
ALTER TABLE gateway_commands ADD COLUMN subject TEXT;
ALTER TABLE gateway_commands ADD COLUMN superseded_at TEXT;

CREATE INDEX IF NOT EXISTS gateway_commands_open ON gateway_commands (gateway_id, command_id)
    WHERE acknowledged_at IS NULL AND superseded_at IS NULL;
CREATE INDEX IF NOT EXISTS gateway_commands_open_by_call ON gateway_commands (call_id, command_id)
    WHERE acknowledged_at IS NULL AND superseded_at IS NULL;
DROP INDEX IF EXISTS gateway_commands_pending;

CREATE TABLE IF NOT EXISTS gateway_polls (
    gateway_id   TEXT NOT NULL PRIMARY KEY,
    last_poll_at TEXT NOT NULL
) WITHOUT ROWID;
