-- The contact center's own tables: the call-event journal, the active-calls index and call detail records.
-- Applied by `ContactCenter.Silo migrate`; safe to run again.

-- Every accepted call event, appended by one group-commit writer per silo. A Call grain rebuilds itself by
-- reading its rows in sequence order, so (call_id, sequence) is both the identity and the read path.
-- The payload is json (validated text) rather than jsonb: it is written far more often than it is queried.
CREATE TABLE IF NOT EXISTS call_journal (
    call_id     text        NOT NULL,
    sequence    integer     NOT NULL,
    event_id    text        NOT NULL,
    event_type  text        NOT NULL,
    gateway_id  text        NOT NULL,
    occurred_at timestamptz NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    payload     json        NOT NULL,
    CONSTRAINT call_journal_pk PRIMARY KEY (call_id, sequence)
);

-- Calls that have not ended, maintained in the same transaction as the journal rows that change them.
-- Only the primary key is indexed: the table holds minutes of traffic (tens of thousands of rows), which a
-- filtered scan reads in milliseconds, while every extra index would be paid on each event's upsert.
CREATE TABLE IF NOT EXISTS active_calls (
    call_id     text        NOT NULL PRIMARY KEY,
    gateway_id  text        NOT NULL,
    region      text        NOT NULL,
    queue       text,
    agent       text,
    phase       text        NOT NULL,
    caller      text        NOT NULL,
    offered_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);

-- One row per ended call, inserted in the same transaction as the call's final event: exactly once.
CREATE TABLE IF NOT EXISTS call_detail_records (
    call_id        text             NOT NULL PRIMARY KEY,
    gateway_id     text             NOT NULL,
    caller         text             NOT NULL,
    dialled        text             NOT NULL,
    region         text             NOT NULL,
    queue          text,
    agent          text,
    offered_at     timestamptz      NOT NULL,
    queued_at      timestamptz,
    answered_at    timestamptz,
    ended_at       timestamptz      NOT NULL,
    wait_seconds   double precision NOT NULL,
    talk_seconds   double precision NOT NULL,
    hold_seconds   double precision NOT NULL,
    disposition    text             NOT NULL,
    abandoned      boolean          NOT NULL,
    end_cause      text             NOT NULL,
    hung_up_by     text             NOT NULL,
    transfer_count integer          NOT NULL,
    recordings     json             NOT NULL
);

CREATE INDEX IF NOT EXISTS call_detail_records_by_end ON call_detail_records (ended_at);
