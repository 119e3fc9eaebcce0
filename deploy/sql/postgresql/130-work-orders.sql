-- One row per complaint work order: the work-order grain's whole state (record, JSON) and, as columns, what the desks
-- list and the reports count. wake_at is the order's next deadline to raise (overdue at 48 h, problem at 72 h), taken
-- by the silos' timers under a lease (wake_taken_until), as the surveys' are. Written by the grain only, one version at
-- a time (version).
CREATE TABLE IF NOT EXISTS work_orders (
    id                 text COLLATE "C" PRIMARY KEY,
    subscriber         text COLLATE "C" NOT NULL,
    category           text COLLATE "C" NOT NULL,
    department         text COLLATE "C" NOT NULL,
    owner              text COLLATE "C",
    source             text        NOT NULL,  -- agent, low_score, api
    state              text        NOT NULL,  -- dispatched, replied, confirmed, closed, reopened
    lateness           text        NOT NULL,  -- in_time, overdue, problem
    opened_at          timestamptz NOT NULL,
    day                date        NOT NULL,  -- the center-local day of the opening: the day the order counts for in reports
    reply_due_at       timestamptz,           -- the reply owed now; null once replied
    first_reply_due_at timestamptz NOT NULL,  -- the first reply's deadline: what the timeliness rate counts
    first_replied_at   timestamptz,
    replied_in_time    boolean     NOT NULL,
    closed_at          timestamptz,
    wake_at            timestamptz,
    wake_taken_until   timestamptz,
    version            bigint      NOT NULL,
    updated_at         timestamptz NOT NULL,
    record             jsonb       NOT NULL
);

-- The timers: only orders with a deadline still to raise.
CREATE INDEX IF NOT EXISTS work_orders_due ON work_orders (wake_at) WHERE wake_at IS NOT NULL;
-- A department's desk: its open orders by deadline.
CREATE INDEX IF NOT EXISTS work_orders_by_department ON work_orders (department, reply_due_at, opened_at, id) WHERE state <> 'closed';
-- The customer's screen-pop and an agent's own orders.
CREATE INDEX IF NOT EXISTS work_orders_by_subscriber ON work_orders (subscriber) WHERE state <> 'closed';
CREATE INDEX IF NOT EXISTS work_orders_by_owner ON work_orders (owner) WHERE state <> 'closed';
-- The figures (orders opened in a period) and the daily report.
CREATE INDEX IF NOT EXISTS work_orders_by_opening ON work_orders (opened_at);
CREATE INDEX IF NOT EXISTS work_orders_by_day ON work_orders (day);
