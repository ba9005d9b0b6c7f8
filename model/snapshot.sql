-- susaudit snapshot, format 2: what one or more collection runs read from the SUSDBs of a
-- hierarchy. SQLite. Every stage after collect reads only this file.
--
-- Canonical forms, everywhere in this file:
--   GUIDs  TEXT, upper case, 8-4-4-4-12 ('A0A08746-4DBE-4A37-9ADF-9E7652C0B421') in the plain
--          tables; BLOB, 16 bytes in the order of that text, in the catalogue and packs
--   times  TEXT, UTC, ISO 8601 with milliseconds ('2026-11-22T03:00:00.000Z')
--   bits   INTEGER 0 or 1; NULL where SUSDB had NULL or the column does not exist
-- A server's rows are written in one transaction together with its `server` row, so a
-- server is either complete (status 'ok') or failed with its error, never half there.
-- A run whose finished_at is NULL was interrupted and is ignored by readers.

CREATE TABLE IF NOT EXISTS snapshot_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS run (
  run_id         INTEGER PRIMARY KEY,
  hierarchy_name TEXT NOT NULL,
  hierarchy_xml  TEXT NOT NULL,      -- the hierarchy file as loaded (it holds no secrets)
  hierarchy_path TEXT,
  started_at     TEXT NOT NULL,
  finished_at    TEXT,               -- NULL: interrupted, not to be audited
  tool_version   TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS server (
  server_key    INTEGER PRIMARY KEY,
  run_id        INTEGER NOT NULL REFERENCES run(run_id),
  name          TEXT NOT NULL,       -- the server's name in the hierarchy file
  status        TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
  failure_check TEXT CHECK (failure_check IN ('server-unreachable', 'schema-unsupported')),
  error         TEXT,                -- why it failed: server, query and SQL Server's message
  started_at    TEXT,
  finished_at   TEXT,
  rows_read     INTEGER NOT NULL DEFAULT 0,
  UNIQUE (run_id, name)
);

-- Columns the probe found missing (a server may be 'ok' with some missing: the checks
-- that need them report schema-unsupported for that server).
CREATE TABLE IF NOT EXISTS missing_column (
  server_key  INTEGER NOT NULL REFERENCES server(server_key),
  table_name  TEXT NOT NULL,
  column_name TEXT NOT NULL,         -- '*' when the whole table is missing
  PRIMARY KEY (server_key, table_name, column_name)
);

CREATE TABLE IF NOT EXISTS schema_version (
  server_key     INTEGER NOT NULL REFERENCES server(server_key),
  component_name TEXT,
  build_number   TEXT,
  schema_version INTEGER
);

-- tbConfigurationA/B/C and tbSingletonData, one row per server.
CREATE TABLE IF NOT EXISTS configuration (
  server_key                INTEGER PRIMARY KEY REFERENCES server(server_key),
  server_id                 TEXT,    -- tbConfigurationA.ServerID
  sync_to_mu                INTEGER, -- 1 Microsoft Update, 0 upstream WSUS
  upstream_name             TEXT,
  upstream_port             INTEGER, -- tbConfigurationA.ServerPortNumber (upstream port: LIKELY)
  upstream_ssl              INTEGER,
  replica_mode              INTEGER,
  host_on_mu                INTEGER, -- 0 stores files locally, 1 clients use Microsoft Update
  lazy_sync                 INTEGER,
  express_files             INTEGER,
  use_proxy                 INTEGER,
  proxy_name                TEXT,
  proxy_port                INTEGER,
  proxy_anonymous           INTEGER, -- mapping to the API's AnonymousProxyAccess: INFERRED
  proxy_user                TEXT,
  proxy_domain              TEXT,
  proxy_password_set        INTEGER, -- only whether one is set; the password is never read
  proxy_credentials_non_ssl INTEGER, -- AllowProxyCredentialsOverNonSsl (basic auth)
  bits_foreground           INTEGER,
  content_path              TEXT,
  all_languages             INTEGER, -- ServerSupportsAllLanguages (meaning INFERRED)
  uss_host_on_mu            INTEGER, -- tbSingletonData.UssHostOnMu (meaning INFERRED)
  last_config_change        TEXT,
  mu_url                    TEXT
);

CREATE TABLE IF NOT EXISTS language (
  server_key     INTEGER NOT NULL REFERENCES server(server_key),
  language_id    INTEGER NOT NULL,   -- LCID
  short_language TEXT,
  enabled        INTEGER,
  uss_enabled    INTEGER,
  PRIMARY KEY (server_key, language_id)
) WITHOUT ROWID;

-- Products and classifications the server knows, and whether its subscription selects them.
CREATE TABLE IF NOT EXISTS category (
  server_key    INTEGER NOT NULL REFERENCES server(server_key),
  category_guid TEXT NOT NULL,
  category_type TEXT,                -- 'Product' | 'UpdateClassification'
  title         TEXT,
  subscribed    INTEGER NOT NULL,
  PRIMARY KEY (server_key, category_guid)
) WITHOUT ROWID;

-- Format 2 (model/snapshot-format.md): what every server of a hierarchy shares is stored once,
-- what is a server's own is packed in GUID order.
--
-- The catalogue: an update's text and categories, the same on every server that has this
-- revision, stored once per file (a store keeps it across runs). update_guid is 16 bytes in the
-- order of the canonical text (hex(update_guid) is the GUID without dashes); categories is the
-- update's category GUIDs, 16 bytes each, sorted; content_hash is FNV-1a 64 of the rest, so a
-- writer compares without reading the text.
CREATE TABLE IF NOT EXISTS catalogue_update (
  update_guid     BLOB NOT NULL,
  revision_number INTEGER NOT NULL,
  title           TEXT,
  kb              TEXT,
  update_type     TEXT,
  categories      BLOB NOT NULL,
  content_hash    INTEGER NOT NULL,
  PRIMARY KEY (update_guid, revision_number)
) WITHOUT ROWID;

-- A server whose text or categories of an update differ from the catalogue's (rare: the
-- catalogue holds what the first server seen had). Read before the catalogue.
CREATE TABLE IF NOT EXISTS update_text (
  server_key  INTEGER NOT NULL REFERENCES server(server_key),
  update_guid BLOB NOT NULL,
  title       TEXT,
  kb          TEXT,
  update_type TEXT,
  categories  BLOB NOT NULL,
  PRIMARY KEY (server_key, update_guid)
) WITHOUT ROWID;

-- Packs: a server's update_revision ('U'), update_language ('L'), approval ('A') rows and the
-- update_category rows of updates it does not list ('C'), each a sorted binary array
-- (model/snapshot-format.md), stored once by its SHA-256: a server whose data did not change
-- since the last run points at the pack already there. `susaudit snapshot show` prints a
-- pack as the rows of format 1.
CREATE TABLE IF NOT EXISTS pack (
  pack_hash BLOB PRIMARY KEY,
  kind      TEXT NOT NULL CHECK (kind IN ('U', 'L', 'A', 'C')),
  nrows     INTEGER NOT NULL,
  data      BLOB NOT NULL
);

CREATE TABLE IF NOT EXISTS server_pack (
  server_key INTEGER NOT NULL REFERENCES server(server_key),
  kind       TEXT NOT NULL,
  pack_hash  BLOB NOT NULL REFERENCES pack(pack_hash),
  PRIMARY KEY (server_key, kind)
) WITHOUT ROWID;

-- Per readable server of format 2 (its presence says the server is packed): the counts the
-- audit reports, and how many rows of each packed table the server has.
CREATE TABLE IF NOT EXISTS update_counts (
  server_key        INTEGER PRIMARY KEY REFERENCES server(server_key),
  updates           INTEGER NOT NULL,
  declined          INTEGER NOT NULL,
  approvals         INTEGER NOT NULL,  -- install/uninstall approval rows
  approved_updates  INTEGER NOT NULL,  -- distinct updates with such an approval
  approved_state4   INTEGER NOT NULL,  -- ... whose latest revision is not ready
  approved_state7   INTEGER NOT NULL,  -- ... failed to download
  approved_state8   INTEGER NOT NULL,  -- ... failed its EULA download
  pending_approvals INTEGER NOT NULL,
  categories_known  INTEGER NOT NULL,  -- 0: no update_category row was read for the server
  update_rows       INTEGER NOT NULL,
  category_rows     INTEGER NOT NULL,
  language_rows     INTEGER NOT NULL,
  approval_rows     INTEGER NOT NULL
);

-- Per server, target group and action: how many approval rows (and distinct updates) the
-- server's approvals pack holds, and how many are pending; `snapshot show FILE approval`
-- lists the rows.
CREATE TABLE IF NOT EXISTS approval_group (
  server_key   INTEGER NOT NULL REFERENCES server(server_key),
  group_guid   TEXT NOT NULL,
  group_name   TEXT,               -- as the first approval of the group names it
  action_id    INTEGER NOT NULL,   -- 0 install, 1 uninstall, 2 scan, 3 block
  approvals    INTEGER NOT NULL,
  updates      INTEGER NOT NULL,
  pending      INTEGER NOT NULL,   -- deployment_status 0
  PRIMARY KEY (server_key, group_guid, action_id)
) WITHOUT ROWID;

-- The catalogue with text GUIDs, for the sqlite3 shell.
CREATE VIEW IF NOT EXISTS catalogue AS
  SELECT substr(hex(update_guid), 1, 8) || '-' || substr(hex(update_guid), 9, 4) || '-' ||
         substr(hex(update_guid), 13, 4) || '-' || substr(hex(update_guid), 17, 4) || '-' ||
         substr(hex(update_guid), 21) AS update_guid,
         revision_number, title, kb, update_type, length(categories) / 16 AS categories
  FROM catalogue_update;

-- Which pack each server of each run points at, and how large it is.
CREATE VIEW IF NOT EXISTS server_packs AS
  SELECT s.run_id, s.name AS server, sp.kind, p.nrows, length(p.data) AS bytes,
         hex(sp.pack_hash) AS pack_hash
  FROM server_pack sp JOIN server s USING (server_key) JOIN pack p USING (pack_hash);

CREATE TABLE IF NOT EXISTS download_queue (
  server_key       INTEGER PRIMARY KEY REFERENCES server(server_key),
  files            INTEGER NOT NULL,
  total_bytes      INTEGER NOT NULL,
  downloaded_bytes INTEGER NOT NULL
);

-- The most recent synchronization events (tbEventInstance, namespace 2).
CREATE TABLE IF NOT EXISTS sync_event (
  server_key    INTEGER NOT NULL REFERENCES server(server_key),
  event_id      INTEGER NOT NULL,   -- 381/382 start, 384 success, 386/387 failure (Q4)
  time_at_server TEXT,
  win32_hresult INTEGER,
  message       TEXT,
  misc_data     TEXT
);

-- The downstream servers this server knows (tbDownstreamServerTarget).
CREATE TABLE IF NOT EXISTS downstream_server (
  server_key        INTEGER NOT NULL REFERENCES server(server_key),
  account_name      TEXT,
  account_server_id TEXT,
  version           TEXT,
  is_replica        INTEGER,
  last_sync_time    TEXT
);

-- Maintenance health (issue 16, branch maintenance): one table per query of queries/
-- (superseded_count.sql ... database_state.sql). A query SQL Server refused (a right the login
-- lacks: 297/300/229) or could not run (an object this SUSDB lacks: 208/207) leaves its table
-- empty for the server and a row in health_unavailable; the checks then say skipped or error.
CREATE TABLE IF NOT EXISTS health_superseded (
  server_key      INTEGER PRIMARY KEY REFERENCES server(server_key),
  superseded      INTEGER NOT NULL,  -- vwMinimalUpdate IsSuperseded = 1 AND Declined = 0
  oldest_creation TEXT
);
CREATE TABLE IF NOT EXISTS health_superseded_update (
  server_key    INTEGER NOT NULL REFERENCES server(server_key),
  update_guid   TEXT NOT NULL,       -- the 20 oldest (latest revisions)
  creation_date TEXT,
  title         TEXT,
  kb            TEXT
);
CREATE TABLE IF NOT EXISTS health_index (
  server_key   INTEGER NOT NULL REFERENCES server(server_key),
  table_name   TEXT NOT NULL,        -- nonclustered indexes of the two custom-index tables
  index_name   TEXT,
  first_column TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS health_fragmentation (
  server_key         INTEGER NOT NULL REFERENCES server(server_key),
  table_name         TEXT NOT NULL,  -- indexes above 10 pages, LIMITED scan
  index_name         TEXT,
  page_count         INTEGER NOT NULL,
  fragmentation_x100 INTEGER NOT NULL -- avg_fragmentation_in_percent x 100
);
CREATE TABLE IF NOT EXISTS health_database_size (
  server_key     INTEGER PRIMARY KEY REFERENCES server(server_key),
  data_kb        INTEGER NOT NULL,
  log_kb         INTEGER NOT NULL,
  engine_edition INTEGER             -- SERVERPROPERTY('EngineEdition'): 4 = Express
);
CREATE TABLE IF NOT EXISTS health_table_rows (
  server_key INTEGER NOT NULL REFERENCES server(server_key),
  table_name TEXT NOT NULL,
  row_count  INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS health_client_age (
  server_key INTEGER NOT NULL REFERENCES server(server_key),
  age_days   INTEGER,                -- days since last contact at collection; NULL = never
  clients    INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS health_database_state (
  server_key    INTEGER PRIMARY KEY REFERENCES server(server_key),
  state         TEXT,                -- sys.databases.state_desc
  user_access   TEXT,                -- user_access_desc
  owner_name    TEXT,                -- SUSER_SNAME(owner_sid); NULL = owner unresolved
  owner_sid_set INTEGER
);
CREATE TABLE IF NOT EXISTS health_unavailable (
  server_key INTEGER NOT NULL REFERENCES server(server_key),
  query_name TEXT NOT NULL,          -- e.g. 'index_fragmentation'
  reason     TEXT NOT NULL CHECK (reason IN ('denied', 'missing')),
  error      TEXT NOT NULL           -- SQL Server's message, with server and query
);
INSERT OR IGNORE INTO snapshot_meta (key, value) VALUES ('format', 'susaudit-snapshot/2');

-- wid (servers on the Windows Internal Database): where an imported server's rows came from.
-- Only a server read from an export file (hierarchy export="PATH") has a row; its
-- server.started_at/finished_at are then the export's collection times, not the import's.
CREATE TABLE IF NOT EXISTS server_source (
  server_key       INTEGER PRIMARY KEY REFERENCES server(server_key),
  kind             TEXT NOT NULL CHECK (kind IN ('export')),
  path             TEXT NOT NULL,      -- the export file as the hierarchy names it
  producer         TEXT,               -- 'susaudit-collect.ps1' or 'susaudit'
  producer_version TEXT,
  host_fqdn        TEXT,               -- where the collector ran
  sql_server_name  TEXT,               -- WSUS registry SqlServerName ('MICROSOFT##WID', ...)
  connection       TEXT,               -- how the collector reached SUSDB
  sql_version      TEXT,               -- @@VERSION
  wsus_version     TEXT,               -- WSUS registry VersionString
  wsus_port        TEXT,               -- WSUS registry PortNumber
  wsus_ssl         TEXT,               -- WSUS registry UsingSSL
  content_dir      TEXT                -- WSUS registry ContentDir
);

-- Discovery (issue 17): ConfigMgr's intent, read from the site database that the hierarchy
-- file's <configmgr> names, once per run (queries/cm_sup_properties.sql, cm_sup_component.sql).
-- No row for a run whose hierarchy has no <configmgr>.
CREATE TABLE IF NOT EXISTS cm_source (
  run_id      INTEGER PRIMARY KEY REFERENCES run(run_id),
  sql         TEXT NOT NULL,      -- <configmgr sql>
  database    TEXT NOT NULL,
  status      TEXT NOT NULL,      -- 'ok' | 'failed'
  error       TEXT                -- why it could not be read (no secrets)
);

-- What could not be read from a site database that was reached (another ConfigMgr version).
CREATE TABLE IF NOT EXISTS cm_gap (
  run_id  INTEGER NOT NULL REFERENCES run(run_id),
  message TEXT NOT NULL
);

-- Role properties of each SUP (vSMS_SC_SysResUse_Properties), server from its NALPath.
CREATE TABLE IF NOT EXISTS cm_sup_property (
  run_id      INTEGER NOT NULL REFERENCES run(run_id),
  site_code   TEXT NOT NULL,
  server_name TEXT NOT NULL,
  name        TEXT NOT NULL,      -- WSUSIISPort, WSUSIISSSLPort, SSLWSUS, IsINF, DBServerName ...
  value1      TEXT,
  value2      TEXT,
  value3      INTEGER
);

-- The software update point component's settings (vSMS_SC_Component_Properties).
CREATE TABLE IF NOT EXISTS cm_component_property (
  run_id    INTEGER NOT NULL REFERENCES run(run_id),
  component TEXT NOT NULL,        -- SMS_WSUS_CONFIGURATION_MANAGER | SMS_WSUS_SYNC_MANAGER
  name      TEXT NOT NULL,
  value1    TEXT,
  value2    TEXT,
  value3    INTEGER
);

-- Topic "tls" (issue 15): how each server's connection crossed the network, from the
-- collector's first successful login in the run (src/dbsource_tls.c says how it is learned).
CREATE TABLE IF NOT EXISTS server_connection (
  server_key            INTEGER PRIMARY KEY REFERENCES server(server_key),
  tds_version           TEXT,              -- '7.4', from db-lib's dbtds(); NULL unknown
  configured_encryption TEXT NOT NULL,     -- the hierarchy's encryption: off, request, require
  login_encrypted       INTEGER,           -- LOGIN7 under TLS: 1, 0, NULL unknown
  session_encrypted     INTEGER,           -- everything after the login under TLS
  server_encryption     TEXT,              -- the server's PRELOGIN answer: OFF ON NOT_SUP REQ
  cert_verified         INTEGER NOT NULL,  -- FreeTDS verified the certificate against ca-file
  hostname_checked      INTEGER NOT NULL,  -- ... and that it names the host
  verified_against      TEXT,              -- the ca-file path when verified
  auth                  TEXT NOT NULL,     -- sql, ntlm, kerberos
  source                TEXT NOT NULL,     -- how the encryption facts were learned
  password_exposed      INTEGER NOT NULL   -- a password went in clear or to an unverified
                                           -- server without an explicit encryption="off"
);
