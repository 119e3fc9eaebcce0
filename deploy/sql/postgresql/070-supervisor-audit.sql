-- Every supervisor action, allowed or refused, and how it ended. An allowed action is written (outcome 'pending')
-- before it is carried out and completed with its outcome before the API answers: no action leaves no trace.
CREATE TABLE IF NOT EXISTS supervisor_audit (
    audit_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at           timestamptz NOT NULL,
    actor        text        NOT NULL,  -- the token's name: an operator, or the agent or gateway refused
    role         text        NOT NULL,
    action       text        NOT NULL,  -- force_not_ready, force_logout, monitor, whisper, barge, leave_call, move_call, set_priority
    target_kind  text        NOT NULL,  -- agent, call, queue
    target_id    text        NOT NULL,
    details      jsonb       NOT NULL,
    outcome      text        NOT NULL,  -- pending, succeeded, forbidden, invalid, not_found, conflict, failed
    reason       text,
    completed_at timestamptz
);

-- GET /api/v1/audit: newest first, optionally by actor; GET /api/v1/calls/{id}: the actions on one call.
CREATE INDEX IF NOT EXISTS supervisor_audit_by_time ON supervisor_audit (at DESC, audit_id DESC);
CREATE INDEX IF NOT EXISTS supervisor_audit_by_actor ON supervisor_audit (actor, at DESC);
CREATE INDEX IF NOT EXISTS supervisor_audit_by_target ON supervisor_audit (target_kind, target_id, at DESC);
