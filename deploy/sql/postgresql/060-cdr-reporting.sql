-- KPI history reads queued calls by the moment they left the queue: answered_at for answered calls, ended_at
-- otherwise. About 4.4% of CDRs ever reach a queue (the reference center: ~370,000 of ~8 million a day), so
-- the index is partial (queued calls only) and costs nothing on the IVR-only majority of inserts. It carries
-- every column the report reads, so a report is an index-only scan of that day's entries instead of a visit
-- to one heap page per queued call scattered through the day's 8 million rows. answered_at and ended_at are
-- included because PostgreSQL plans an index-only scan over an expression only when the expression's
-- columns are in the index too.
--
-- On a large existing call_detail_records this build blocks CDR inserts (and so the journal's commits) while
-- it runs. Create it beforehand with the same statement as CREATE INDEX CONCURRENTLY, outside a transaction;
-- this script then finds it and does nothing.
CREATE INDEX IF NOT EXISTS call_detail_records_by_queue_exit
    ON call_detail_records ((coalesce(answered_at, ended_at)))
    INCLUDE (queue, agent, region, disposition, wait_seconds, talk_seconds, hold_seconds, answered_at, ended_at)
    WHERE queued_at IS NOT NULL;
