-- Reminders for Microsoft.Orleans.Reminders.AdoNet 10.4.x on SQLite (invariant "System.Data.SQLite", see
-- 001). Orleans ships no SQLite reminder script, but the 10.4.2 provider runs whatever OrleansQuery holds
-- over any invariant it knows, SQLite included. Same layout and contract as
-- postgresql/004-orleans-reminders.sql; read that file's header for the parameters and results.
-- Safe to run again.
--
-- start_time holds what Microsoft.Data.Sqlite writes for a DateTime ("yyyy-MM-dd HH:mm:ss.FFFFFFF", UTC,
-- no suffix); the provider reads it back as UTC.

CREATE TABLE IF NOT EXISTS orleans_reminders (
    service_id    TEXT    NOT NULL,
    grain_id      TEXT    NOT NULL,
    reminder_name TEXT    NOT NULL,
    start_time    TEXT    NOT NULL,
    period_ms     INTEGER NOT NULL,
    grain_hash    INTEGER NOT NULL,
    version       INTEGER NOT NULL,
    PRIMARY KEY (service_id, grain_id, reminder_name)
);

-- Each silo loads the reminders of the ring range it owns.
CREATE INDEX IF NOT EXISTS orleans_reminders_by_ring ON orleans_reminders (service_id, grain_hash);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('ReadReminderRowsKey', '
    SELECT grain_id AS GrainId, reminder_name AS ReminderName, start_time AS StartTime,
           period_ms AS Period, version AS Version
      FROM orleans_reminders
     WHERE service_id = @ServiceId AND grain_id = @GrainId;
'),

('ReadReminderRowKey', '
    SELECT grain_id AS GrainId, reminder_name AS ReminderName, start_time AS StartTime,
           period_ms AS Period, version AS Version
      FROM orleans_reminders
     WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName;
'),

-- Hashes are stored as signed ints: Rows1 is a plain interval, Rows2 a range that wraps around.
('ReadRangeRows1Key', '
    SELECT grain_id AS GrainId, reminder_name AS ReminderName, start_time AS StartTime,
           period_ms AS Period, version AS Version
      FROM orleans_reminders
     WHERE service_id = @ServiceId AND grain_hash > @BeginHash AND grain_hash <= @EndHash;
'),

('ReadRangeRows2Key', '
    SELECT grain_id AS GrainId, reminder_name AS ReminderName, start_time AS StartTime,
           period_ms AS Period, version AS Version
      FROM orleans_reminders
     WHERE service_id = @ServiceId AND (grain_hash > @BeginHash OR grain_hash <= @EndHash);
'),

-- Registering an existing reminder again replaces its schedule and gives it a new ETag.
('UpsertReminderRowKey', '
    INSERT INTO orleans_reminders (service_id, grain_id, reminder_name, start_time, period_ms, grain_hash, version)
    VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 1)
    ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
       SET start_time = excluded.start_time, period_ms = excluded.period_ms,
           grain_hash = excluded.grain_hash, version = orleans_reminders.version + 1
    RETURNING version AS Version;
'),

-- Only the holder of the current ETag may remove a reminder. Orleans needs exactly one row back.
('DeleteReminderRowKey', '
    DELETE FROM orleans_reminders
     WHERE service_id = @ServiceId AND grain_id = @GrainId
       AND reminder_name = @ReminderName AND version = @Version;
    SELECT changes() > 0;
'),

('DeleteReminderRowsKey', '
    DELETE FROM orleans_reminders WHERE service_id = @ServiceId;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
