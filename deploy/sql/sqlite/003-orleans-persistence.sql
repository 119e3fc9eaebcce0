-- Grain state for Microsoft.Orleans.Persistence.AdoNet 10.4.x on SQLite (invariant "System.Data.SQLite",
-- see 001). Same layout and contract as postgresql/003-orleans-persistence.sql; read that file's header for
-- the parameters and results Orleans expects. Safe to run again. Needs SQLite 3.35+ (RETURNING), which
-- the SQLite bundled with Microsoft.Data.Sqlite 10 is.
--
-- Conflicts: a write, clear or delete that matches no row returns no row, which Orleans reports as
-- InconsistentStateException. An update only matches while the version still equals the caller's ETag and
-- bumps it in the same statement; SQLite runs one writer at a time, so of two writers holding the same ETag
-- the second finds the version already moved on.

CREATE TABLE IF NOT EXISTS orleans_storage (
    grain_id_hash      INTEGER NOT NULL,
    grain_type_hash    INTEGER NOT NULL,
    grain_id_n0        INTEGER NOT NULL,
    grain_id_n1        INTEGER NOT NULL,
    grain_id_extension TEXT,
    grain_type         TEXT    NOT NULL,
    service_id         TEXT    NOT NULL,
    payload_binary     BLOB,
    version            INTEGER NOT NULL,
    modified_on        TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- The identity of a state row, hashes first for selective lookups. SQLite treats NULLs in a unique index as
-- distinct, so a missing key extension is indexed as an empty blob, which never equals any text value.
CREATE UNIQUE INDEX IF NOT EXISTS orleans_storage_identity
    ON orleans_storage (grain_id_hash, grain_type_hash, grain_id_n0, grain_id_n1,
                        service_id, grain_type, ifnull(grain_id_extension, x''));

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('ReadFromStorageKey', '
    SELECT payload_binary AS PayloadBinary, version AS Version
      FROM orleans_storage
     WHERE grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash
       AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
       AND service_id = @ServiceId AND grain_type = @GrainTypeString
       AND grain_id_extension IS @GrainIdExtensionString;
'),

-- With an ETag: replace the state if the version still matches. Without one: create the row at version 1,
-- unless it already exists (even cleared), in which case the caller is stale. At most one of the two
-- statements returns a row.
('WriteToStorageKey', '
    UPDATE orleans_storage
       SET payload_binary = @PayloadBinary, version = version + 1, modified_on = CURRENT_TIMESTAMP
     WHERE grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash
       AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
       AND service_id = @ServiceId AND grain_type = @GrainTypeString
       AND grain_id_extension IS @GrainIdExtensionString
       AND version = @GrainStateVersion
    RETURNING version AS NewGrainStateVersion;

    INSERT INTO orleans_storage (grain_id_hash, grain_type_hash, grain_id_n0, grain_id_n1,
                                 grain_id_extension, grain_type, service_id, payload_binary, version)
    SELECT @GrainIdHash, @GrainTypeHash, @GrainIdN0, @GrainIdN1,
           @GrainIdExtensionString, @GrainTypeString, @ServiceId, @PayloadBinary, 1
     WHERE @GrainStateVersion IS NULL
    ON CONFLICT DO NOTHING
    RETURNING version AS NewGrainStateVersion;
'),

-- DeleteStateOnClear = false (the default): keep the row and its version sequence, drop the payload.
('ClearStorageKey', '
    UPDATE orleans_storage
       SET payload_binary = NULL, version = version + 1, modified_on = CURRENT_TIMESTAMP
     WHERE grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash
       AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
       AND service_id = @ServiceId AND grain_type = @GrainTypeString
       AND grain_id_extension IS @GrainIdExtensionString
       AND version = @GrainStateVersion
    RETURNING version AS NewGrainStateVersion;
'),

-- Optional, for DeleteStateOnClear = true: remove the row. The value returned only has to differ from the
-- old ETag; Orleans then forgets the ETag and the next write starts again at version 1.
('DeleteStorageKey', '
    DELETE FROM orleans_storage
     WHERE grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash
       AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
       AND service_id = @ServiceId AND grain_type = @GrainTypeString
       AND grain_id_extension IS @GrainIdExtensionString
       AND version = @GrainStateVersion
    RETURNING version + 1 AS NewGrainStateVersion;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
