-- Cluster membership for Microsoft.Orleans.Clustering.AdoNet 10.4.x (invariant "Npgsql"). Needs 001.
-- Safe to run again.
--
-- What the provider expects (checked against the 10.4.2 assembly):
--   * Parameters: @DeploymentId (the ClusterId), @Address (text), @Port, @Generation, @SiloName, @HostName,
--     @Status (SiloStatus as int: 3 = Active, 6 = Dead), @ProxyPort, @StartTime, @IAmAliveTime (UTC,
--     sent as timestamptz), @SuspectTimes (text "silo,time|silo,time" or NULL) and @Version: the table
--     version the silo last read.
--   * Reads return one row per silo, each carrying the table's Version. A cluster with no silos must still
--     return one row, with the silo columns NULL, so the version can be read (hence the LEFT JOINs).
--   * InsertMembershipVersionKey, InsertMembershipKey and UpdateMembershipKey return exactly one row with
--     one column read as a boolean: did it succeed.
--
-- Consistency: every membership change claims the table version (version = @Version -> version + 1) in
-- the same transaction as the change. The row lock on the version row serialises writers, and a writer
-- holding a stale version changes nothing and gets false, so it re-reads the table and tries again.
-- I-am-alive heartbeats and removing dead entries leave the version alone: they are not membership
-- changes other silos need to react to.

CREATE TABLE IF NOT EXISTS orleans_membership_version (
    deployment_id text        NOT NULL PRIMARY KEY,
    version       integer     NOT NULL DEFAULT 0,
    last_modified timestamptz NOT NULL DEFAULT now()
);

-- One row per silo incarnation. Deleting a cluster's version row removes its silos as well.
CREATE TABLE IF NOT EXISTS orleans_membership (
    deployment_id   text        NOT NULL REFERENCES orleans_membership_version (deployment_id) ON DELETE CASCADE,
    address         text        NOT NULL,
    port            integer     NOT NULL,
    generation      integer     NOT NULL,
    silo_name       text        NOT NULL,
    host_name       text        NOT NULL,
    status          integer     NOT NULL,
    proxy_port      integer     NOT NULL,
    suspect_times   text,
    start_time      timestamptz NOT NULL,
    i_am_alive_time timestamptz NOT NULL,
    PRIMARY KEY (deployment_id, address, port, generation)
);

-- Adds a silo row if the caller's table version is still current. False if the version moved on or the
-- row already exists; the exception block's savepoint then also undoes the version bump.
CREATE OR REPLACE FUNCTION orleans_membership_insert(
    p_deployment_id text, p_address text, p_port integer, p_generation integer,
    p_silo_name text, p_host_name text, p_status integer, p_proxy_port integer,
    p_start_time timestamptz, p_i_am_alive_time timestamptz, p_version integer)
RETURNS boolean LANGUAGE plpgsql AS $fn$
BEGIN
    UPDATE orleans_membership_version
       SET version = version + 1, last_modified = now()
     WHERE deployment_id = p_deployment_id AND version = p_version;
    IF NOT FOUND THEN
        RETURN false;
    END IF;

    INSERT INTO orleans_membership (deployment_id, address, port, generation, silo_name, host_name,
                                    status, proxy_port, start_time, i_am_alive_time)
    VALUES (p_deployment_id, p_address, p_port, p_generation, p_silo_name, p_host_name,
            p_status, p_proxy_port, p_start_time, p_i_am_alive_time);
    RETURN true;
EXCEPTION
    WHEN unique_violation THEN
        RETURN false;
END;
$fn$;

-- Changes a silo's status, suspicions and liveness if the caller's table version is still current.
-- False if the version moved on or the silo row is gone (the version bump is then rolled back).
CREATE OR REPLACE FUNCTION orleans_membership_update(
    p_deployment_id text, p_address text, p_port integer, p_generation integer,
    p_status integer, p_suspect_times text, p_i_am_alive_time timestamptz, p_version integer)
RETURNS boolean LANGUAGE plpgsql AS $fn$
BEGIN
    UPDATE orleans_membership_version
       SET version = version + 1, last_modified = now()
     WHERE deployment_id = p_deployment_id AND version = p_version;
    IF NOT FOUND THEN
        RETURN false;
    END IF;

    UPDATE orleans_membership
       SET status = p_status, suspect_times = p_suspect_times, i_am_alive_time = p_i_am_alive_time
     WHERE deployment_id = p_deployment_id AND address = p_address
       AND port = p_port AND generation = p_generation;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'no_data_found';
    END IF;
    RETURN true;
EXCEPTION
    WHEN no_data_found THEN
        RETURN false;
END;
$fn$;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('InsertMembershipVersionKey', $sql$
    WITH created AS (
        INSERT INTO orleans_membership_version (deployment_id) VALUES (@DeploymentId)
        ON CONFLICT (deployment_id) DO NOTHING
        RETURNING 1)
    SELECT EXISTS (SELECT 1 FROM created);
$sql$),

('MembershipReadAllKey', $sql$
    SELECT m.address AS "Address", m.port AS "Port", m.generation AS "Generation",
           m.silo_name AS "SiloName", m.host_name AS "HostName", m.status AS "Status",
           m.proxy_port AS "ProxyPort", m.suspect_times AS "SuspectTimes",
           m.start_time AS "StartTime", m.i_am_alive_time AS "IAmAliveTime", v.version AS "Version"
      FROM orleans_membership_version v
      LEFT JOIN orleans_membership m ON m.deployment_id = v.deployment_id
     WHERE v.deployment_id = @DeploymentId;
$sql$),

('MembershipReadRowKey', $sql$
    SELECT m.address AS "Address", m.port AS "Port", m.generation AS "Generation",
           m.silo_name AS "SiloName", m.host_name AS "HostName", m.status AS "Status",
           m.proxy_port AS "ProxyPort", m.suspect_times AS "SuspectTimes",
           m.start_time AS "StartTime", m.i_am_alive_time AS "IAmAliveTime", v.version AS "Version"
      FROM orleans_membership_version v
      LEFT JOIN orleans_membership m
             ON m.deployment_id = v.deployment_id
            AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
     WHERE v.deployment_id = @DeploymentId;
$sql$),

('InsertMembershipKey', $sql$
    SELECT orleans_membership_insert(@DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
                                     @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version);
$sql$),

('UpdateMembershipKey', $sql$
    SELECT orleans_membership_update(@DeploymentId, @Address, @Port, @Generation,
                                     @Status, @SuspectTimes, @IAmAliveTime, @Version);
$sql$),

('UpdateIAmAlivetimeKey', $sql$
    UPDATE orleans_membership
       SET i_am_alive_time = @IAmAliveTime
     WHERE deployment_id = @DeploymentId AND address = @Address
       AND port = @Port AND generation = @Generation;
$sql$),

('GatewaysQueryKey', $sql$
    SELECT address AS "Address", proxy_port AS "ProxyPort", generation AS "Generation"
      FROM orleans_membership
     WHERE deployment_id = @DeploymentId AND status = @Status AND proxy_port > 0;
$sql$),

('DeleteMembershipTableEntriesKey', $sql$
    DELETE FROM orleans_membership_version WHERE deployment_id = @DeploymentId;
$sql$),

-- Bulk clean-up of silos that are Dead and have been silent since before @IAmAliveTime (the cut-off).
-- Orleans 10.4 runs this only when the key below is absent.
('CleanupDefunctSiloEntriesKey', $sql$
    DELETE FROM orleans_membership
     WHERE deployment_id = @DeploymentId AND status = 6
       AND i_am_alive_time < @IAmAliveTime AND start_time < @IAmAliveTime;
$sql$),

-- Optional, preferred by Orleans 10.4 when present: the provider reads the table, picks the Dead rows past
-- the cut-off itself and deletes each one only if it is unchanged since it was read.
('CleanupDefunctSiloEntryKey', $sql$
    DELETE FROM orleans_membership
     WHERE deployment_id = @DeploymentId AND address = @Address
       AND port = @Port AND generation = @Generation
       AND status = 6
       AND start_time = @StartTime AND i_am_alive_time = @IAmAliveTime
       AND coalesce(suspect_times, '') = coalesce(@SuspectTimes, '');
$sql$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
