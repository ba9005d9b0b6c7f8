-- susaudit snapshot, format 1's per-server update tables (model/snapshot.sql has the rest).
-- Format 2 no longer has them: it keeps these rows in packs and the catalogue (see
-- model/snapshot-format.md). A format-1 file still holds them; the reader reads them for a
-- server that has no update_counts row, and the first write migrates them (snapshot_migrate.c).
-- Tests build format-1 snapshots from this text.

-- Updates with their latest revision.
CREATE TABLE IF NOT EXISTS update_revision (
  server_key      INTEGER NOT NULL REFERENCES server(server_key),
  update_guid     TEXT NOT NULL,
  revision_number INTEGER NOT NULL,
  declined        INTEGER NOT NULL,  -- tbUpdate.IsHidden
  state           INTEGER,           -- tbRevision.State (4 not ready, 7 failed, 8 EULA failed: LIKELY)
  title           TEXT,
  kb              TEXT,
  update_type     TEXT,
  PRIMARY KEY (server_key, update_guid)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS update_category (
  server_key    INTEGER NOT NULL REFERENCES server(server_key),
  update_guid   TEXT NOT NULL,
  category_guid TEXT NOT NULL,
  PRIMARY KEY (server_key, update_guid, category_guid)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS update_language (
  server_key  INTEGER NOT NULL REFERENCES server(server_key),
  update_guid TEXT NOT NULL,
  language_id INTEGER NOT NULL,
  PRIMARY KEY (server_key, update_guid, language_id)
) WITHOUT ROWID;

-- tbDeployment rows of computer target groups, every action.
CREATE TABLE IF NOT EXISTS approval (
  server_key        INTEGER NOT NULL REFERENCES server(server_key),
  update_guid       TEXT NOT NULL,
  revision_number   INTEGER NOT NULL,
  group_guid        TEXT NOT NULL,
  group_name        TEXT,
  action_id         INTEGER NOT NULL, -- 0 install, 1 uninstall, 2 scan, 3 block
  deployment_status INTEGER,          -- 0 pending, 1 active
  deployment_time   TEXT,
  admin_name        TEXT
);
CREATE INDEX IF NOT EXISTS approval_by_server ON approval (server_key, update_guid);

-- A file with these tables is a format-1 file (tests build one from snapshot.sql and this).
UPDATE snapshot_meta SET value = 'susaudit-snapshot/1' WHERE key = 'format';
