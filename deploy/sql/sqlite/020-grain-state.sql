-- Grain state written by the project's group-commit grain storage; see the PostgreSQL script for why.
CREATE TABLE IF NOT EXISTS grain_state (
    grain_id   TEXT    NOT NULL,
    state_name TEXT    NOT NULL,
    version    INTEGER NOT NULL,
    payload    BLOB    NOT NULL,
    updated_at TEXT    NOT NULL,
    PRIMARY KEY (grain_id, state_name)
) WITHOUT ROWID;
