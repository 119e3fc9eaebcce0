-- Grain state for Microsoft.Orleans.Persistence.AdoNet 10.4.x (invariant "Npgsql"). Needs 001.
-- Safe to run again.
--
-- What the provider expects (checked against the 10.4.2 assembly):
--   * Every query gets the grain's identity: @GrainIdHash and @GrainTypeHash (int hashes computed by
--     Orleans), @GrainIdN0/@GrainIdN1 (bigint halves of a Guid key; 0 and the key for integer keys),
--     @GrainIdExtensionString (key extension, or the whole key for string-keyed grains; may be NULL),
--     @GrainTypeString and @ServiceId.
--   * Write and clear also get @GrainStateVersion (the grain's ETag as int; NULL = "I have no state").
--     Write gets the serialized state as @PayloadBinary (bytea). 10.x passes no JSON/XML payloads.
--   * Read returns at most one row: "PayloadBinary" and "Version". A NULL payload means "no state".
--   * Write returns one row with "NewGrainStateVersion"; clear and delete return the new version in their
--     first column. NULL (or no row) means nothing was changed, and Orleans throws
--     InconsistentStateException: this is the version conflict signal.
--
-- Why writes are optimistic-concurrency safe: an update only matches the row while its version still
-- equals the caller's ETag, and bumps the version in the same statement. Two writers holding the same ETag
-- queue on the row lock; when the first commits, PostgreSQL re-checks the second one's WHERE against the
-- new row, the version no longer matches, nothing is written and the stale writer gets NULL. A first write
-- (no ETag) may only create the row; the unique index makes a racing second creation a no-op, not a
-- duplicate.

CREATE TABLE IF NOT EXISTS orleans_storage (
    grain_id_hash      integer     NOT NULL,
    grain_type_hash    integer     NOT NULL,
    grain_id_n0        bigint      NOT NULL,
    grain_id_n1        bigint      NOT NULL,
    grain_id_extension text,
    grain_type         text        NOT NULL,
    service_id         text        NOT NULL,
    payload_binary     bytea,
    version            integer     NOT NULL,
    modified_on        timestamptz NOT NULL DEFAULT now()
);

-- The identity of a state row. The hashes lead so lookups stay selective; the full values make it exact.
-- NULLS NOT DISTINCT (PostgreSQL 15+) so that two rows without a key extension count as duplicates.
-- Note that a btree entry is limited to about 2.7 kB, which bounds the length of string grain keys.
CREATE UNIQUE INDEX IF NOT EXISTS orleans_storage_identity
    ON orleans_storage (grain_id_hash, grain_type_hash, grain_id_n0, grain_id_n1,
                        service_id, grain_type, grain_id_extension) NULLS NOT DISTINCT;

-- Creates the state (no expected version) or replaces it (expected version must match).
-- Returns the new version, or NULL on a version conflict.
CREATE OR REPLACE FUNCTION orleans_storage_write(
    p_grain_id_hash integer, p_grain_id_n0 bigint, p_grain_id_n1 bigint, p_grain_type_hash integer,
    p_grain_type text, p_grain_id_extension text, p_service_id text,
    p_expected_version integer, p_payload bytea)
RETURNS integer LANGUAGE plpgsql AS $fn$
DECLARE
    new_version integer;
BEGIN
    IF p_expected_version IS NULL THEN
        -- A row that already exists, even a cleared one, means the caller's view is stale.
        INSERT INTO orleans_storage (grain_id_hash, grain_type_hash, grain_id_n0, grain_id_n1,
                                     grain_id_extension, grain_type, service_id, payload_binary, version)
        VALUES (p_grain_id_hash, p_grain_type_hash, p_grain_id_n0, p_grain_id_n1,
                p_grain_id_extension, p_grain_type, p_service_id, p_payload, 1)
        ON CONFLICT (grain_id_hash, grain_type_hash, grain_id_n0, grain_id_n1,
                     service_id, grain_type, grain_id_extension) DO NOTHING
        RETURNING version INTO new_version;
    ELSE
        UPDATE orleans_storage
           SET payload_binary = p_payload, version = version + 1, modified_on = now()
         WHERE grain_id_hash = p_grain_id_hash AND grain_type_hash = p_grain_type_hash
           AND grain_id_n0 = p_grain_id_n0 AND grain_id_n1 = p_grain_id_n1
           AND service_id = p_service_id AND grain_type = p_grain_type
           AND grain_id_extension IS NOT DISTINCT FROM p_grain_id_extension
           AND version = p_expected_version
        RETURNING version INTO new_version;
    END IF;
    RETURN new_version;
END;
$fn$;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('ReadFromStorageKey', $sql$
    SELECT payload_binary AS "PayloadBinary", version AS "Version"
      FROM orleans_storage
     WHERE grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash
       AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
       AND service_id = @ServiceId AND grain_type = @GrainTypeString
       AND grain_id_extension IS NOT DISTINCT FROM @GrainIdExtensionString;
$sql$),

('WriteToStorageKey', $sql$
    SELECT orleans_storage_write(@GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
                                 @GrainIdExtensionString, @ServiceId, @GrainStateVersion, @PayloadBinary)
           AS "NewGrainStateVersion";
$sql$),

-- ClearStateAsync with DeleteStateOnClear = false (the default): keep the row, drop the payload and bump
-- the version. Keeping the version sequence means an ETag from before the clear can never match again.
('ClearStorageKey', $sql$
    WITH cleared AS (
        UPDATE orleans_storage
           SET payload_binary = NULL, version = version + 1, modified_on = now()
         WHERE grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash
           AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
           AND service_id = @ServiceId AND grain_type = @GrainTypeString
           AND grain_id_extension IS NOT DISTINCT FROM @GrainIdExtensionString
           AND version = @GrainStateVersion
        RETURNING version)
    SELECT (SELECT version FROM cleared) AS "NewGrainStateVersion";
$sql$),

-- Optional: only used with DeleteStateOnClear = true, which removes the row. The returned number just has
-- to differ from the old ETag; Orleans then forgets the ETag and the next write starts again at version 1.
('DeleteStorageKey', $sql$
    WITH deleted AS (
        DELETE FROM orleans_storage
         WHERE grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash
           AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
           AND service_id = @ServiceId AND grain_type = @GrainTypeString
           AND grain_id_extension IS NOT DISTINCT FROM @GrainIdExtensionString
           AND version = @GrainStateVersion
        RETURNING version)
    SELECT (SELECT version + 1 FROM deleted) AS "NewGrainStateVersion";
$sql$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
