-- Grain state written as a log (queues); see the PostgreSQL script.
ALTER TABLE grain_state ADD COLUMN snapshot_version INTEGER;

CREATE TABLE IF NOT EXISTS grain_state_change (
    grain_id   TEXT    NOT NULL,
    state_name TEXT    NOT NULL,
    version    INTEGER NOT NULL,
    payload    BLOB    NOT NULL,
    PRIMARY KEY (grain_id, state_name, version)
) WITHOUT ROWID;
