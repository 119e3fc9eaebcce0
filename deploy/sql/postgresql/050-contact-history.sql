-- A subscriber's contact history is read from the CDRs (written with each call's last event), newest first:
-- the screen-pop's "last contacts" is one index range scan, and no per-call history write is needed.
CREATE INDEX IF NOT EXISTS call_detail_records_by_caller ON call_detail_records (caller, offered_at DESC);
