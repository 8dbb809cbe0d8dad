-- Deployment store, schema version 2 (PostgreSQL), the twin of ../sqlite/0002: the parts
-- every change replaced (rebuilding any committed configuration from the database) and the
-- token of the installation that created the deployment.

CREATE TABLE history_delta (
    history_id BIGINT  NOT NULL,
    kind       TEXT    NOT NULL,
    item_key   TEXT    NOT NULL,
    present    INTEGER NOT NULL,
    parent     TEXT    NOT NULL,
    ordinal    INTEGER NOT NULL,
    label      TEXT    NOT NULL,
    body       TEXT    NOT NULL,
    PRIMARY KEY (history_id, kind, item_key)
);

ALTER TABLE deployment ADD COLUMN deltas_from BIGINT;
UPDATE deployment SET deltas_from = (SELECT COALESCE(MAX(id), 0) + 1 FROM history);

ALTER TABLE deployment ADD COLUMN install_token TEXT;

CREATE TABLE operations (
    id      BIGSERIAL PRIMARY KEY,
    at      TEXT    NOT NULL,
    author  TEXT    NOT NULL,
    command TEXT    NOT NULL,
    summary TEXT    NOT NULL
);
