-- Subscriber master data (40 million rows at the reference center), loaded by `ContactCenter.Silo
-- import-subscribers`. Read by number only, when a Customer grain activates.
CREATE TABLE IF NOT EXISTS subscribers (
    number    text    NOT NULL PRIMARY KEY,
    brand     text,
    vip       boolean NOT NULL DEFAULT false,
    home_city text,
    region    text,
    language  text,
    name      text
);
