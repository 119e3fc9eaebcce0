-- Reminders for Microsoft.Orleans.Reminders.AdoNet 10.4.x (invariant "Npgsql"). Needs 001.
-- Safe to run again.
--
-- What the provider expects (checked against the 10.4.2 assembly):
--   * Parameters: @ServiceId, @GrainId (GrainId.ToString()), @ReminderName, @StartTime (UTC, timestamptz),
--     @Period (milliseconds; int, or bigint when above int range), @GrainHash/@BeginHash/@EndHash (the
--     uint ring hashes cast to signed int), @Version (the reminder's ETag as int).
--   * Row reads return "GrainId", "ReminderName", "StartTime", "Period", "Version".
--   * Upsert returns one row with the new "Version" (the new ETag).
--   * Delete returns exactly one row, one column read as a boolean: was the row (with that ETag) deleted.
--
-- Ring ranges: hashes are stored as signed ints, so the provider picks ReadRangeRows1Key when
-- (int)begin < (int)end (a plain interval) and ReadRangeRows2Key otherwise (the range wraps around).

CREATE TABLE IF NOT EXISTS orleans_reminders (
    service_id    text        NOT NULL,
    grain_id      text        NOT NULL,
    reminder_name text        NOT NULL,
    start_time    timestamptz NOT NULL,
    period_ms     bigint      NOT NULL,
    grain_hash    integer     NOT NULL,
    version       integer     NOT NULL,
    PRIMARY KEY (service_id, grain_id, reminder_name)
);

-- Each silo loads the reminders of the ring range it owns.
CREATE INDEX IF NOT EXISTS orleans_reminders_by_ring ON orleans_reminders (service_id, grain_hash);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('ReadReminderRowsKey', $sql$
    SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
           period_ms AS "Period", version AS "Version"
      FROM orleans_reminders
     WHERE service_id = @ServiceId AND grain_id = @GrainId;
$sql$),

('ReadReminderRowKey', $sql$
    SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
           period_ms AS "Period", version AS "Version"
      FROM orleans_reminders
     WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName;
$sql$),

('ReadRangeRows1Key', $sql$
    SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
           period_ms AS "Period", version AS "Version"
      FROM orleans_reminders
     WHERE service_id = @ServiceId AND grain_hash > @BeginHash AND grain_hash <= @EndHash;
$sql$),

('ReadRangeRows2Key', $sql$
    SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
           period_ms AS "Period", version AS "Version"
      FROM orleans_reminders
     WHERE service_id = @ServiceId AND (grain_hash > @BeginHash OR grain_hash <= @EndHash);
$sql$),

-- Registering an existing reminder again replaces its schedule and gives it a new ETag.
('UpsertReminderRowKey', $sql$
    INSERT INTO orleans_reminders AS r
           (service_id, grain_id, reminder_name, start_time, period_ms, grain_hash, version)
    VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 1)
    ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
       SET start_time = EXCLUDED.start_time, period_ms = EXCLUDED.period_ms,
           grain_hash = EXCLUDED.grain_hash, version = r.version + 1
    RETURNING version AS "Version";
$sql$),

-- Only the holder of the current ETag may remove a reminder.
('DeleteReminderRowKey', $sql$
    WITH removed AS (
        DELETE FROM orleans_reminders
         WHERE service_id = @ServiceId AND grain_id = @GrainId
           AND reminder_name = @ReminderName AND version = @Version
        RETURNING 1)
    SELECT EXISTS (SELECT 1 FROM removed);
$sql$),

('DeleteReminderRowsKey', $sql$
    DELETE FROM orleans_reminders WHERE service_id = @ServiceId;
$sql$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
