-- Deployment store, schema version 2 (SQLite): what every change replaced, so that any
-- committed configuration can be rebuilt from the database (snapshot references, rollback)
-- without trusting the files in exports/; and the token of the installation that created
-- the deployment (recognising the leftover of a crashed install).

-- One row per part a change wrote or deleted, with the part as it was before the change
-- (`present` = 0 when the change created it). Applying the rows of changes N, N-1, ... in
-- reverse to the current parts gives the configuration before change N.
CREATE TABLE history_delta (
    history_id INTEGER NOT NULL,
    kind       TEXT    NOT NULL,
    item_key   TEXT    NOT NULL,
    present    INTEGER NOT NULL,
    parent     TEXT    NOT NULL,
    ordinal    INTEGER NOT NULL,
    label      TEXT    NOT NULL,
    body       TEXT    NOT NULL,
    PRIMARY KEY (history_id, kind, item_key)
);

-- The first change whose delta is recorded (changes made before this migration have none;
-- NULL: every change has one).
ALTER TABLE deployment ADD COLUMN deltas_from INTEGER;
UPDATE deployment SET deltas_from = (SELECT COALESCE(MAX(id), 0) + 1 FROM history);

-- A random token chosen by `install`, also written to the home's pending-install marker.
ALTER TABLE deployment ADD COLUMN install_token TEXT;

-- Operations on the deployment that change no configuration (pruning exports), oldest first.
CREATE TABLE operations (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    at      TEXT    NOT NULL,
    author  TEXT    NOT NULL,
    command TEXT    NOT NULL,
    summary TEXT    NOT NULL
);
