-- Every supervisor action, allowed or refused, and how it ended; see the PostgreSQL script.
-- Times are ISO-8601 UTC text of fixed width, so they sort and compare as text.
CREATE TABLE IF NOT EXISTS supervisor_audit (
    audit_id     INTEGER PRIMARY KEY AUTOINCREMENT,
    at           TEXT    NOT NULL,
    actor        TEXT    NOT NULL,
    role         TEXT    NOT NULL,
    action       TEXT    NOT NULL,
    target_kind  TEXT    NOT NULL,
    target_id    TEXT    NOT NULL,
    details      TEXT    NOT NULL,
    outcome      TEXT    NOT NULL,
    reason       TEXT,
    completed_at TEXT
);

CREATE INDEX IF NOT EXISTS supervisor_audit_by_time ON supervisor_audit (at DESC, audit_id DESC);
CREATE INDEX IF NOT EXISTS supervisor_audit_by_actor ON supervisor_audit (actor, at DESC);
CREATE INDEX IF NOT EXISTS supervisor_audit_by_target ON supervisor_audit (target_kind, target_id, at DESC);
