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
-- the statement below then finds it and does nothing.
CREATE INDEX IF NOT EXISTS call_detail_records_by_queue_exit
    ON call_detail_records ((coalesce(answered_at, ended_at)))
    INCLUDE (queue, agent, region, disposition, wait_seconds, talk_seconds, hold_seconds, answered_at, ended_at)
    WHERE queued_at IS NOT NULL;

-- An index-only scan skips the table only on pages the visibility map marks all-visible, and vacuum sets it. For an
-- insert-only table autovacuum waits by default for new rows worth a fifth of the table: on a table holding months
-- of CDRs, days, during which reports on recent days read the table too (measured on a freshly loaded day of
-- 8 million CDRs: a day by queue took 1.7 s, and 0.24 s once vacuumed). Vacuum after every 100,000 new CDRs
-- instead: about 20 minutes of the reference center's traffic, and cheap on pages that are only ever inserted.
ALTER TABLE call_detail_records SET (autovacuum_vacuum_insert_threshold = 100000, autovacuum_vacuum_insert_scale_factor = 0);
