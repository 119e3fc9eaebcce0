-- The outbox of commands to gateways; see the PostgreSQL script.
CREATE TABLE IF NOT EXISTS gateway_commands (
    command_id      INTEGER PRIMARY KEY AUTOINCREMENT,
    gateway_id      TEXT    NOT NULL,
    call_id         TEXT    NOT NULL,
    kind            TEXT    NOT NULL,
    payload         TEXT    NOT NULL,
    created_at      TEXT    NOT NULL,
    delivered_at    TEXT,
    deliveries      INTEGER NOT NULL DEFAULT 0,
    acknowledged_at TEXT
);

CREATE INDEX IF NOT EXISTS gateway_commands_pending ON gateway_commands (gateway_id, command_id) WHERE acknowledged_at IS NULL;
