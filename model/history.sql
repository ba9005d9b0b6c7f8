-- susaudit history store, format 1 (--store HISTORY.db). SQLite.
-- A store is a snapshot file (model/snapshot.sql: the runs collected into it) plus these
-- tables: every audit made into it, the findings of each audit marked against the previous
-- audit of the same hierarchy, what each server's languages were (language-mismatch compares),
-- and the journal of `susaudit fix`.
-- Times are TEXT, UTC, ISO 8601 ('2026-11-22T03:00:00Z'). An audit and all its rows are
-- written in one transaction: a crash leaves no half audit.

CREATE TABLE IF NOT EXISTS audit (
  audit_id       INTEGER PRIMARY KEY,
  hierarchy_name TEXT NOT NULL,
  audited_at     TEXT NOT NULL,      -- the audit's "now" (--now in tests)
  recorded_at    TEXT NOT NULL,      -- the wall clock when it was stored
  run_id         INTEGER,            -- the snapshot run that was audited
  snapshot_path  TEXT,               -- NULL: the run is in this file; else the snapshot audited
  errors         INTEGER NOT NULL,   -- unsuppressed findings per severity
  warnings       INTEGER NOT NULL,
  infos          INTEGER NOT NULL,
  new_findings   INTEGER NOT NULL,
  persisting     INTEGER NOT NULL,
  resolved       INTEGER NOT NULL,
  tool_version   TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_by_hierarchy ON audit (hierarchy_name, audit_id);

-- finding_key = check, server and related servers: what makes a finding "the same" from one
-- audit to the next (its message may carry counts that change).
CREATE TABLE IF NOT EXISTS audit_finding (
  audit_id    INTEGER NOT NULL REFERENCES audit(audit_id),
  finding_key TEXT NOT NULL,
  check_name  TEXT NOT NULL,
  rule        TEXT,
  severity    TEXT NOT NULL CHECK (severity IN ('error', 'warning', 'info')),
  server      TEXT,
  related     TEXT NOT NULL,         -- related servers, space-separated
  message     TEXT NOT NULL,
  remedy      TEXT,
  evidence    TEXT NOT NULL,         -- JSON, as the JSON report writes it
  status      TEXT NOT NULL CHECK (status IN ('new', 'persisting', 'resolved')),
  suppressed  INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_finding_by_audit ON audit_finding (audit_id);

-- The languages each readable server had enabled at an audit (LCIDs, space-separated).
CREATE TABLE IF NOT EXISTS audit_server (
  audit_id  INTEGER NOT NULL REFERENCES audit(audit_id),
  server    TEXT NOT NULL,
  readable  INTEGER NOT NULL,
  languages TEXT NOT NULL,
  PRIMARY KEY (audit_id, server)
);

-- Every attempt of `susaudit fix` (dry runs included), whatever its outcome.
CREATE TABLE IF NOT EXISTS fix_journal (
  fix_id         INTEGER PRIMARY KEY,
  at             TEXT NOT NULL,
  operator       TEXT NOT NULL,      -- the SQL login used
  hierarchy_name TEXT,
  server         TEXT NOT NULL,
  fix            TEXT NOT NULL,      -- 'bits-foreground'
  action         TEXT NOT NULL CHECK (action IN ('dry-run', 'apply', 'revert')),
  value_before   INTEGER,            -- NULL when it could not be read
  value_after    INTEGER,
  outcome        TEXT NOT NULL CHECK (outcome IN ('dry-run', 'applied', 'no-op', 'refused',
                                                  'failed', 'reverted', 'unknown')),
  -- 'unknown' (issue 12): the COMMIT's acknowledgement was lost and the value could not be
  -- re-read; added later: history_open() rebuilds an older store's table to allow it
  detail         TEXT
);
CREATE INDEX IF NOT EXISTS fix_journal_by_server ON fix_journal (server, fix_id);

-- Maintenance health (issue 16, branch maintenance): each readable server's count of
-- superseded, not declined updates at an audit (NULL when its SUSDB did not give it), for the
-- HTML report's trend line.
CREATE TABLE IF NOT EXISTS audit_health (
  audit_id   INTEGER NOT NULL REFERENCES audit(audit_id),
  server     TEXT NOT NULL,
  superseded INTEGER,
  PRIMARY KEY (audit_id, server)
);
INSERT OR IGNORE INTO snapshot_meta (key, value) VALUES ('history', 'susaudit-history/1');
