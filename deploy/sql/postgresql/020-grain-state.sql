-- Grain state for grains whose state changes with every routed call (queues, agents, customers, gateway
-- outboxes). Orleans' ADO.NET provider writes one row per round trip; the project's group-commit grain
-- storage writes many grains' rows in one transaction, with the same optimistic concurrency: a write names
-- the version it read, and loses if the row has moved on since.
CREATE TABLE IF NOT EXISTS grain_state (
    grain_id   text        NOT NULL,
    state_name text        NOT NULL,
    version    integer     NOT NULL,
    payload    bytea       NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT grain_state_pk PRIMARY KEY (grain_id, state_name)
);
