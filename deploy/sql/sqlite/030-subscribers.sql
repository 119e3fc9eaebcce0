-- Subscriber master data for the embedded mode; see the PostgreSQL script.
CREATE TABLE IF NOT EXISTS subscribers (
    number    TEXT    NOT NULL PRIMARY KEY,
    brand     TEXT,
    vip       INTEGER NOT NULL DEFAULT 0,
    home_city TEXT,
    region    TEXT,
    language  TEXT,
    name      TEXT
) WITHOUT ROWID;
