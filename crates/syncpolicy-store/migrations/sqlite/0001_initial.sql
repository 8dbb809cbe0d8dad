-- Deployment store, schema version 1 (SQLite). Append-only: never edit a released migration;
-- add NNNN_name.sql next to it (and its twin under ../postgres).

-- The one deployment this database holds; `generation` counts committed changes.
CREATE TABLE deployment (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    generation  INTEGER NOT NULL,
    created_at  TEXT    NOT NULL
);

-- Top-level sections of the settings file (policy metadata, sign-in, identity mapping,
-- features, metaverse extensions, the Entra directory without its rules, the extension part
-- without its per-connector and per-rule entries), each as compact JSON.
CREATE TABLE settings (
    item_key TEXT    PRIMARY KEY,
    parent   TEXT    NOT NULL,
    ordinal  INTEGER NOT NULL,
    label    TEXT    NOT NULL,
    body     TEXT    NOT NULL
);

-- On-premises directories without their partitions and rules.
CREATE TABLE directories (
    item_key TEXT    PRIMARY KEY,
    parent   TEXT    NOT NULL,
    ordinal  INTEGER NOT NULL,
    label    TEXT    NOT NULL,
    body     TEXT    NOT NULL
);

-- Domain partitions with their OU (container) filters; parent = the directory's item_key.
CREATE TABLE partitions (
    item_key TEXT    PRIMARY KEY,
    parent   TEXT    NOT NULL,
    ordinal  INTEGER NOT NULL,
    label    TEXT    NOT NULL,
    body     TEXT    NOT NULL
);
CREATE INDEX partitions_parent ON partitions (parent, ordinal);

-- Synchronization rules; parent = `<directory item_key or azure>/<standard|custom>`.
CREATE TABLE rules (
    item_key TEXT    PRIMARY KEY,
    parent   TEXT    NOT NULL,
    ordinal  INTEGER NOT NULL,
    label    TEXT    NOT NULL,
    body     TEXT    NOT NULL
);
CREATE INDEX rules_parent ON rules (parent, ordinal);

-- Entries of the extension part's lists (per-connector settings, per-rule entries).
CREATE TABLE extension_items (
    item_key TEXT    PRIMARY KEY,
    parent   TEXT    NOT NULL,
    ordinal  INTEGER NOT NULL,
    label    TEXT    NOT NULL,
    body     TEXT    NOT NULL
);

-- One row per committed change, oldest first.
CREATE TABLE history (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    at        TEXT    NOT NULL,
    at_millis INTEGER NOT NULL,
    author    TEXT    NOT NULL,
    command   TEXT    NOT NULL,
    summary   TEXT    NOT NULL,
    digest    TEXT    NOT NULL,
    snapshot  TEXT    NOT NULL
);
