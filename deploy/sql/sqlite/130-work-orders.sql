-- One row per complaint work order; see the PostgreSQL script. Times are UTC text in one sortable format.
CREATE TABLE IF NOT EXISTS work_orders (
    id                 TEXT    PRIMARY KEY,
    subscriber         TEXT    NOT NULL,
    category           TEXT    NOT NULL,
    department         TEXT    NOT NULL,
    owner              TEXT,
    source             TEXT    NOT NULL,
    state              TEXT    NOT NULL,
    lateness           TEXT    NOT NULL,
    opened_at          TEXT    NOT NULL,
    day                TEXT    NOT NULL,
    reply_due_at       TEXT,
    first_reply_due_at TEXT    NOT NULL,
    first_replied_at   TEXT,
    replied_in_time    INTEGER NOT NULL,
    closed_at          TEXT,
    wake_at            TEXT,
    wake_taken_until   TEXT,
    version            INTEGER NOT NULL,
    updated_at         TEXT    NOT NULL,
    record             TEXT    NOT NULL
);

CREATE INDEX IF NOT EXISTS work_orders_due ON work_orders (wake_at) WHERE wake_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS work_orders_by_department ON work_orders (department, reply_due_at, opened_at, id) WHERE state <> 'closed';
CREATE INDEX IF NOT EXISTS work_orders_by_subscriber ON work_orders (subscriber) WHERE state <> 'closed';
CREATE INDEX IF NOT EXISTS work_orders_by_owner ON work_orders (owner) WHERE state <> 'closed';
CREATE INDEX IF NOT EXISTS work_orders_by_opening ON work_orders (opened_at);
CREATE INDEX IF NOT EXISTS work_orders_by_day ON work_orders (day);
