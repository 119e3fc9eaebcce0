-- The contact center's own tables for the embedded mode; the same layout as the PostgreSQL script, in
-- SQLite's types (timestamps as ISO-8601 UTC text, which sorts correctly; lists as JSON text).

CREATE TABLE IF NOT EXISTS call_journal (
    call_id     TEXT    NOT NULL,
    sequence    INTEGER NOT NULL,
    event_id    TEXT    NOT NULL,
    event_type  TEXT    NOT NULL,
    gateway_id  TEXT    NOT NULL,
    occurred_at TEXT    NOT NULL,
    recorded_at TEXT    NOT NULL,
    payload     TEXT    NOT NULL,
    PRIMARY KEY (call_id, sequence)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS active_calls (
    call_id     TEXT NOT NULL PRIMARY KEY,
    gateway_id  TEXT NOT NULL,
    region      TEXT NOT NULL,
    queue       TEXT,
    agent       TEXT,
    phase       TEXT NOT NULL,
    caller      TEXT NOT NULL,
    offered_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS call_detail_records (
    call_id        TEXT    NOT NULL PRIMARY KEY,
    gateway_id     TEXT    NOT NULL,
    caller         TEXT    NOT NULL,
    dialled        TEXT    NOT NULL,
    region         TEXT    NOT NULL,
    queue          TEXT,
    agent          TEXT,
    offered_at     TEXT    NOT NULL,
    queued_at      TEXT,
    answered_at    TEXT,
    ended_at       TEXT    NOT NULL,
    wait_seconds   REAL    NOT NULL,
    talk_seconds   REAL    NOT NULL,
    hold_seconds   REAL    NOT NULL,
    disposition    TEXT    NOT NULL,
    abandoned      INTEGER NOT NULL,
    end_cause      TEXT    NOT NULL,
    hung_up_by     TEXT    NOT NULL,
    transfer_count INTEGER NOT NULL,
    recordings     TEXT    NOT NULL
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS call_detail_records_by_end ON call_detail_records (ended_at);
