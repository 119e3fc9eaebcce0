-- The outbox of commands to gateways: delivered at least once, until the gateway acknowledges the id.
-- A command not acknowledged some seconds after its last delivery is delivered again (see the poll query).
CREATE TABLE IF NOT EXISTS gateway_commands (
    command_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    gateway_id     text        NOT NULL,
    call_id        text        NOT NULL,
    kind           text        NOT NULL,
    payload        json        NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    delivered_at   timestamptz,
    deliveries     integer     NOT NULL DEFAULT 0,
    acknowledged_at timestamptz
);

-- The poll reads one gateway's unacknowledged commands; acknowledged ones drop out of this index.
CREATE INDEX IF NOT EXISTS gateway_commands_pending ON gateway_commands (gateway_id, command_id) WHERE acknowledged_at IS NULL;
