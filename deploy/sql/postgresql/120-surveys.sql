-- One row per surveyed call: the survey grain's whole state (record, JSON) and, as columns, what the reports count
-- and the silos' survey timers look for. A survey is due when wake_at has passed; wake_taken_until is the lease of
-- the silo that took it to wake it, so two silos never wake one survey at once, and a lost silo's survey is taken
-- again when its lease runs out. Written by the survey grain only, one version at a time (version).
CREATE TABLE IF NOT EXISTS surveys (
    call_id          text COLLATE "C" PRIMARY KEY,
    subscriber       text COLLATE "C" NOT NULL,
    queue_id         text COLLATE "C" NOT NULL,
    agent_id         text COLLATE "C" NOT NULL,
    brand            text,
    day              date        NOT NULL,  -- the center-local day the call ended: the day the survey counts for
    status           text        NOT NULL,  -- scheduled, sent, reminded, answered, expired, opted_out, failed
    score            smallint,
    sent_at          timestamptz,
    answered_at      timestamptz,
    low_score        boolean     NOT NULL,  -- answered at or below the follow-up threshold of the day
    follow_up_open   boolean     NOT NULL,  -- a low score not yet followed up
    wake_at          timestamptz,
    wake_taken_until timestamptz,
    version          bigint      NOT NULL,
    updated_at       timestamptz NOT NULL,
    record           jsonb       NOT NULL
);

-- The survey timers: only the open surveys are in it.
CREATE INDEX IF NOT EXISTS surveys_due ON surveys (wake_at) WHERE wake_at IS NOT NULL;
-- The reports and the live figures after a restart: one day's surveys by queue.
CREATE INDEX IF NOT EXISTS surveys_by_day ON surveys (day, queue_id);
-- Supervisors' list of low scores to follow up.
CREATE INDEX IF NOT EXISTS surveys_follow_ups ON surveys (answered_at) WHERE follow_up_open;
