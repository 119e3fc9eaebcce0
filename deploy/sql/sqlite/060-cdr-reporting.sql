-- KPI history reads queued calls by the moment they left the queue (answered_at for answered calls, ended_at
-- otherwise); see the PostgreSQL script. Partial, so IVR-only calls pay nothing for it; the timestamps are
-- fixed-width ISO-8601 text, so a range on the expression is a range on the index.
CREATE INDEX IF NOT EXISTS call_detail_records_by_queue_exit
    ON call_detail_records (coalesce(answered_at, ended_at))
    WHERE queued_at IS NOT NULL;
