-- Shared table for the Orleans ADO.NET providers (clustering, grain storage, reminders), Orleans 10.4.x.
-- Safe to run again. Runs as one command text (psql -f or a single NpgsqlCommand).
--
-- Each provider starts up by running the hard-coded statement
--     SELECT QueryKey, QueryText FROM OrleansQuery
-- and from then on only executes the SQL it found there, looked up by well-known keys. So this table's
-- name and both column names are fixed by Orleans. Everything the query texts touch (tables, functions)
-- is ours and is defined in 002-004. Unquoted names fold to lower case, as they do in that SELECT.
--
-- The clustering provider reads the whole table and refuses to start when one of its keys is missing;
-- grain storage and reminders only pick out their own keys, so extra rows are harmless.
CREATE TABLE IF NOT EXISTS OrleansQuery (
    QueryKey  varchar(64) NOT NULL PRIMARY KEY,
    QueryText text        NOT NULL
);
