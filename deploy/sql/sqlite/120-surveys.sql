-- One row per surveyed call; see the PostgreSQL script. Times are UTC text in one sortable format.
CREATE TABLE IF NOT EXISTS surveys (
    call_id          TEXT    PRIMARY KEY,
    subscriber       TEXT    NOT NULL,
    queue_id         TEXT    NOT NULL,
    agent_id         TEXT    NOT NULL,
    brand            TEXT,
    day              TEXT    NOT NULL,
    status           TEXT    NOT NULL,
    score            INTEGER,
    sent_at          TEXT,
    answered_at      TEXT,
    low_score        INTEGER NOT NULL,
    follow_up_open   INTEGER NOT NULL,
    wake_at          TEXT,
    wake_taken_until TEXT,
    version          INTEGER NOT NULL,
    updated_at       TEXT    NOT NULL,
    record           TEXT    NOT NULL
);

CREATE INDEX IF NOT EXISTS surveys_due ON surveys (wake_at) WHERE wake_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS surveys_by_day ON surveys (day, queue_id);
CREATE INDEX IF NOT EXISTS surveys_follow_ups ON surveys (answered_at) WHERE follow_up_open = 1;
