-- Grain state written as a log (queues): a write appends what changed to grain_state_change and moves the
-- grain_state row's version on; now and then a whole snapshot goes into grain_state.payload and the log is
-- emptied. A queue with 500 waiting calls then writes a few hundred bytes per routed call, not 100 KB.
-- snapshot_version is the version whose state the payload holds: the changes after it, up to the row's
-- version, are in the log (NULL, for rows written before the log existed: the payload is the whole state).
ALTER TABLE grain_state ADD COLUMN IF NOT EXISTS snapshot_version integer;

CREATE TABLE IF NOT EXISTS grain_state_change (
    grain_id   text    NOT NULL,
    state_name text    NOT NULL,
    version    integer NOT NULL,
    payload    bytea   NOT NULL,
    CONSTRAINT grain_state_change_pk PRIMARY KEY (grain_id, state_name, version)
);
