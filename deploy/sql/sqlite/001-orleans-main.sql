-- Shared table for the Orleans ADO.NET providers on SQLite (embedded mode), Orleans 10.4.x.
-- Safe to run again; runs as one command text (sqlite3 or a single SqliteCommand).
--
-- The providers start by running the hard-coded "SELECT QueryKey, QueryText FROM OrleansQuery" and then only
-- execute the SQL they found there, looked up by well-known keys. So this table's name and columns are fixed
-- by Orleans; the tables the query texts use are ours (003, 004).
--
-- Invariant: Orleans 10.4.2 knows SQLite only as "System.Data.SQLite", which it serves with
-- Microsoft.Data.Sqlite's SqliteFactory. The name "Microsoft.Data.Sqlite" is rejected by the providers.
CREATE TABLE IF NOT EXISTS OrleansQuery (
    QueryKey  TEXT NOT NULL PRIMARY KEY,
    QueryText TEXT NOT NULL
);
