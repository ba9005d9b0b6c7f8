/* snapshot: one SQLite connection shared by the collector threads behind one lock. */
#include "snapshot.h"

#include <pthread.h>
#include <stdio.h>
#include <errno.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "dbsource_tls.h"
#include "embedded.h"
#include "infile.h"
#include "log.h"
#include "snapshot_pack.h"
#include "version.h"
#include "xalloc.h"

/* Column lists (server_key first, then the collector query's columns in order). */
static const struct {
	const char *name;
	const char *columns;
	int ncolumns;
} tables[SNAP_TABLE_COUNT] = {
	[SNAP_SCHEMA_VERSION] = {"schema_version", "component_name, build_number, schema_version",
				 3},
	[SNAP_CONFIGURATION] = {"configuration",
				"server_id, sync_to_mu, upstream_name, upstream_port, upstream_ssl, "
				"replica_mode, host_on_mu, lazy_sync, express_files, use_proxy, "
				"proxy_name, proxy_port, proxy_anonymous, proxy_user, proxy_domain, "
				"proxy_password_set, proxy_credentials_non_ssl, bits_foreground, "
				"content_path, all_languages, uss_host_on_mu, last_config_change, "
				"mu_url",
				23},
	[SNAP_LANGUAGE] = {"language", "language_id, short_language, enabled, uss_enabled", 4},
	[SNAP_CATEGORY] = {"category", "category_guid, category_type, title, subscribed", 4},
	[SNAP_UPDATE_REVISION] = {"update_revision",
				  "update_guid, revision_number, declined, state, title, kb, "
				  "update_type",
				  7},
	[SNAP_UPDATE_CATEGORY] = {"update_category", "update_guid, category_guid", 2},
	[SNAP_UPDATE_LANGUAGE] = {"update_language", "update_guid, language_id", 2},
	[SNAP_APPROVAL] = {"approval",
			   "update_guid, revision_number, group_guid, group_name, action_id, "
			   "deployment_status, deployment_time, admin_name",
			   8},
	[SNAP_DOWNLOAD_QUEUE] = {"download_queue", "files, total_bytes, downloaded_bytes", 3},
	[SNAP_SYNC_EVENT] = {"sync_event",
			     "event_id, time_at_server, win32_hresult, message, misc_data", 5},
	[SNAP_DOWNSTREAM_SERVER] = {"downstream_server",
				    "account_name, account_server_id, version, is_replica, "
				    "last_sync_time",
				    5},
	[SNAP_HEALTH_SUPERSEDED] = {"health_superseded", "superseded, oldest_creation", 2},
	[SNAP_HEALTH_SUPERSEDED_UPDATE] = {"health_superseded_update",
					   "update_guid, creation_date, title, kb", 4},
	[SNAP_HEALTH_INDEX] = {"health_index", "table_name, index_name, first_column", 3},
	[SNAP_HEALTH_FRAGMENTATION] = {"health_fragmentation",
				       "table_name, index_name, page_count, fragmentation_x100", 4},
	[SNAP_HEALTH_DATABASE_SIZE] = {"health_database_size", "data_kb, log_kb, engine_edition",
				       3},
	[SNAP_HEALTH_TABLE_ROWS] = {"health_table_rows", "table_name, row_count", 2},
	[SNAP_HEALTH_CLIENT_AGE] = {"health_client_age", "age_days, clients", 2},
	[SNAP_HEALTH_DATABASE_STATE] = {"health_database_state",
					"state, user_access, owner_name, owner_sid_set", 4},
	[SNAP_HEALTH_UNAVAILABLE] = {"health_unavailable", "query_name, reason, error", 3},
};

struct snapshot {
	sqlite3 *db;
	char *path;
	pthread_mutex_t lock;
	sqlite3_stmt *insert[SNAP_TABLE_COUNT];
	int in_run;
	/* format 2: the servers being collected buffer their packed rows here until done */
	struct pack_builder **builders;
	size_t nbuilders, builders_cap;
	struct pack_catalogue *catalogue;	/* read at the first server done */
	unsigned long long generation;		/* tells two snapshots at one address apart */
};

/* A collector thread stores the rows of one server at a time, and only it touches that
 * server's builder: after its first row it finds the builder without the snapshot's lock,
 * which four threads on two cores otherwise contend for at every row. */
static unsigned long long generations;
static _Thread_local struct {
	unsigned long long generation;
	long long key;
	struct pack_builder *builder;
} cached;

/* The builder of a server being collected, or NULL; called with s->lock held. */
static struct pack_builder *builder_of(struct snapshot *s, long long key, int remove)
{
	size_t i;

	for (i = 0; i < s->nbuilders; i++) {
		struct pack_builder *b = s->builders[i];

		if (pack_builder_key(b) != key)
			continue;
		if (remove)
			s->builders[i] = s->builders[--s->nbuilders];
		return b;
	}
	return NULL;
}

const char *snapshot_table_name(enum snapshot_table t) { return tables[t].name; }

void snapshot_now(char *buf, size_t size)
{
	struct timeval tv;
	struct tm tm;

	char seconds[24];

	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	/* strftime bounds every field, so optimised builds see no possible truncation */
	strftime(seconds, sizeof(seconds), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, size, "%s.%03dZ", seconds, (int)(tv.tv_usec / 1000) % 1000);
}

static int sql_fail(struct snapshot *s, const char *what)
{
	return log_error("snapshot '%s': could not %s: %s", s->path, what, sqlite3_errmsg(s->db));
}

static int exec(struct snapshot *s, const char *sql, const char *what)
{
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return sql_fail(s, what);
	return 0;
}

int snapshot_db_check_format(sqlite3 *db, const char *path)
{
	sqlite3_stmt *st;
	const char *v;
	int ok = 0;

	if (sqlite3_prepare_v2(db, "SELECT value FROM snapshot_meta WHERE key = 'format'", -1, &st,
			       NULL) != SQLITE_OK) {
		if (sqlite3_errcode(db) == SQLITE_ERROR) /* no such table: not ours */
			return log_error("'%s' is not a susaudit snapshot (nor a history store)",
					 path);
		return log_error("could not read '%s': %s", path, sqlite3_errmsg(db));
	}
	if (sqlite3_step(st) == SQLITE_ROW) {
		v = (const char *)sqlite3_column_text(st, 0);
		ok = v && (strcmp(v, "susaudit-snapshot/1") == 0 ||
			   strcmp(v, "susaudit-snapshot/2") == 0);
	}
	sqlite3_finalize(st);
	return ok ? 0
		  : log_error("'%s' is not a susaudit snapshot of a format this version reads",
			      path);
}

int snapshot_db_has_table(sqlite3 *db, const char *name)
{
	sqlite3_stmt *st;
	int found;

	if (sqlite3_prepare_v2(db,
			       "SELECT 1 FROM main.sqlite_master WHERE type = 'table'"
			       " AND name = ?1",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

int snapshot_db_has_v1_tables(sqlite3 *db)
{
	static const char *const v1[] = {"update_revision", "update_category", "update_language",
					 "approval"};
	size_t i;

	for (i = 0; i < sizeof(v1) / sizeof(v1[0]); i++)
		if (snapshot_db_has_table(db, v1[i]) != 1)
			return 0;
	return 1;
}

int snapshot_db_check_ours(sqlite3 *db, const char *path, const char *what)
{
	sqlite3_stmt *st;
	int rc, ntables = 0, ours = 0;

	if (sqlite3_prepare_v2(db,
			       "SELECT count(*), coalesce(sum(name = 'snapshot_meta'), 0)"
			       " FROM sqlite_master WHERE type = 'table'",
			       -1, &st, NULL) != SQLITE_OK)
		return log_error("could not read '%s': %s", path, sqlite3_errmsg(db));
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		ntables = sqlite3_column_int(st, 0);
		ours = sqlite3_column_int(st, 1);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return log_error("could not read '%s': %s", path, sqlite3_errmsg(db));
	if (ntables && !ours)
		return log_error("'%s' is not a susaudit %s (it is a database of something else); "
				 "it was left as it was",
				 path, what);
	return 0;
}

int snapshot_open(const char *path, struct snapshot **out)
{
	struct snapshot *s = xcalloc(1, sizeof(*s));
	int i;

	*out = NULL;
	if (infile_check_regular(path, 1) < 0) { /* SQLite would wait on a FIFO */
		free(s);
		return -1;
	}
	s->path = xstrdup(path);
	s->generation = __atomic_add_fetch(&generations, 1, __ATOMIC_RELAXED);
	pthread_mutex_init(&s->lock, NULL);
	/* NOMUTEX: the collector's workers share the connection through s->lock, which every use
	 * of s->db from a worker holds; SQLite's own per-call mutex was a tenth of a collection */
	if (sqlite3_open_v2(path, &s->db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		/* SQLite says "unable to open database file": the folder is what the user can
		 * fix, so say what is wrong with it */
		char *folder = xstrdup(path), *slash = strrchr(folder, '/');
		const char *dir = slash ? (slash == folder ? "/" : folder) : ".";

		if (slash && slash != folder)
			*slash = '\0';
		if (access(dir, W_OK | X_OK) != 0)
			log_error("could not create snapshot '%s': folder '%s': %s", path, dir,
				  strerror(errno));
		else
			log_error("could not open snapshot '%s': %s", path,
				  s->db ? sqlite3_errmsg(s->db) : "out of memory");
		free(folder);
		snapshot_close(s);
		return -1;
	}
	sqlite3_busy_timeout(s->db, 10000);
	/* WAL: readers never see a half-written run, and a crash leaves earlier runs intact */
	/* A run is one transaction of millions of rows keyed by random GUIDs: with SQLite's 2 MiB
	 * default cache every insert spilled and re-read pages (bench/README.md); 128 MiB holds a
	 * large SUSDB's working set, and is only used as far as the run needs it */
	if (snapshot_db_check_ours(s->db, path, "snapshot") < 0 ||
	    exec(s, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;", "set WAL mode") < 0 ||
	    exec(s, "PRAGMA cache_size = -131072;", "set its cache size") < 0 ||
	    exec(s, embedded_text(EMBED_MODEL_SNAPSHOT_SQL), "create its schema") < 0 ||
	    snapshot_db_check_format(s->db, s->path) < 0 || snapshot_migrate(s->db, s->path) < 0) {
		snapshot_close(s);
		return -1;
	}
	for (i = 0; i < SNAP_TABLE_COUNT; i++) {
		char *sql;
		int rc;

		if (pack_table_is_packed((enum snapshot_table)i))
			continue;
		sql = xasprintf("INSERT OR IGNORE INTO %s (server_key, %s) VALUES (?%.*s)",
				      tables[i].name, tables[i].columns, tables[i].ncolumns * 3,
				      ", ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
				      "?, ?, ?, ?, ?, ?, ?, ?, ?, ?");
		rc = sqlite3_prepare_v2(s->db, sql, -1, &s->insert[i], NULL);
		free(sql);
		if (rc != SQLITE_OK) {
			sql_fail(s, "prepare an insert");
			snapshot_close(s);
			return -1;
		}
	}
	*out = s;
	return 0;
}

void snapshot_close(struct snapshot *s)
{
	int i;

	if (!s)
		return;
	if (s->in_run)
		snapshot_run_abort(s);
	for (i = 0; i < SNAP_TABLE_COUNT; i++)
		sqlite3_finalize(s->insert[i]);
	for (i = 0; i < (int)s->nbuilders; i++)
		pack_builder_free(s->builders[i]);
	free(s->builders);
	pack_catalogue_free(s->catalogue);
	sqlite3_close(s->db);
	pthread_mutex_destroy(&s->lock);
	free(s->path);
	free(s);
}

sqlite3 *snapshot_db(struct snapshot *s) { return s->db; }

int snapshot_run_begin(struct snapshot *s, const struct hierarchy *h, long long *run_id)
{
	sqlite3_stmt *st;
	char now[32];
	int rc;

	snapshot_now(now, sizeof(now));
	if (exec(s, "BEGIN IMMEDIATE", "start a run") < 0)
		return -1;
	s->in_run = 1;
	if (sqlite3_prepare_v2(s->db,
			       "INSERT INTO run (hierarchy_name, hierarchy_xml, hierarchy_path, "
			       "started_at, tool_version) VALUES (?, ?, ?, ?, ?)",
			       -1, &st, NULL) != SQLITE_OK)
		return sql_fail(s, "prepare the run");
	sqlite3_bind_text(st, 1, h->name ? h->name : "", -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, h->xml ? h->xml : "", h->xml ? (int)h->xml_len : 0,
			  SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, h->path, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 5, SUSAUDIT_VERSION, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return sql_fail(s, "record the run");
	*run_id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

int snapshot_run_finish(struct snapshot *s, long long run_id)
{
	sqlite3_stmt *st;
	char now[32];
	int rc;

	snapshot_now(now, sizeof(now));
	if (sqlite3_prepare_v2(s->db, "UPDATE run SET finished_at = ? WHERE run_id = ?", -1, &st,
			       NULL) != SQLITE_OK)
		return sql_fail(s, "prepare the end of the run");
	sqlite3_bind_text(st, 1, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, run_id);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return sql_fail(s, "finish the run");
	if (exec(s, "COMMIT", "commit the run") < 0)
		return -1;
	s->in_run = 0;
	return 0;
}

void snapshot_run_abort(struct snapshot *s)
{
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	s->in_run = 0;
}

int snapshot_server_add(struct snapshot *s, long long run_id, const char *name, long long *key)
{
	sqlite3_stmt *st;
	int rc = -1;

	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db, "INSERT INTO server (run_id, name, status) VALUES (?, ?, 'ok')",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, run_id);
		sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(st) == SQLITE_DONE) {
			*key = sqlite3_last_insert_rowid(s->db);
			s->builders = xgrow(s->builders, &s->builders_cap, s->nbuilders + 1,
					    sizeof(*s->builders));
			s->builders[s->nbuilders++] = pack_builder_new(*key);
			rc = 0;
		}
		sqlite3_finalize(st);
	}
	if (rc < 0)
		sql_fail(s, "add a server");
	pthread_mutex_unlock(&s->lock);
	return rc;
}

int snapshot_insert(struct snapshot *s, enum snapshot_table table, long long key,
		    const struct db_value *values, size_t nvalues)
{
	sqlite3_stmt *st = s->insert[table];
	size_t i;
	int rc;

	if ((int)nvalues != tables[table].ncolumns)
		return log_error("snapshot table '%s' takes %d values, not %zu", tables[table].name,
				 tables[table].ncolumns, nvalues);
	if (pack_table_is_packed(table)) {
		/* buffered: sorted and packed once the server is done, no B-tree insert per row */
		struct pack_builder *b = cached.builder;

		if (!b || cached.generation != s->generation || cached.key != key) {
			pthread_mutex_lock(&s->lock);
			b = builder_of(s, key, 0);
			pthread_mutex_unlock(&s->lock);
			cached.generation = s->generation;
			cached.key = key;
			cached.builder = b;
		}
		if (!b)
			return log_error("snapshot '%s': no server %lld being collected", s->path,
					 key);
		pack_builder_add(b, table, values, nvalues);
		return 0;
	}
	pthread_mutex_lock(&s->lock);
	sqlite3_bind_int64(st, 1, key);
	for (i = 0; i < nvalues; i++) {
		int col = (int)i + 2;

		if (values[i].is_null)
			sqlite3_bind_null(st, col);
		else if (values[i].text)
			/* STATIC: the values outlive the step below; no copy per value */
			sqlite3_bind_text(st, col, values[i].text, (int)values[i].len,
					  SQLITE_STATIC);
		else
			sqlite3_bind_int64(st, col, values[i].integer);
	}
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		rc = sql_fail(s, "store a row");
	else
		rc = 0;
	pthread_mutex_unlock(&s->lock);
	return rc;
}

static int exec_key(struct snapshot *s, const char *sql, long long key)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return sql_fail(s, "prepare a statement");
	sqlite3_bind_int64(st, 1, key);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : sql_fail(s, "update a server");
}

int snapshot_clear_table(struct snapshot *s, enum snapshot_table table, long long key)
{
	char *sql = xasprintf("DELETE FROM %s WHERE server_key = ?", tables[table].name);
	int rc = 0;

	pthread_mutex_lock(&s->lock);
	if (pack_table_is_packed(table)) {
		struct pack_builder *b = builder_of(s, key, 0);

		if (b)
			pack_builder_clear(b, table);
	} else {
		rc = exec_key(s, sql, key);
	}
	pthread_mutex_unlock(&s->lock);
	free(sql);
	return rc;
}

int snapshot_missing_column(struct snapshot *s, long long key, const char *table,
			    const char *column)
{
	sqlite3_stmt *st;
	int rc = -1;

	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db,
			       "INSERT OR IGNORE INTO missing_column (server_key, table_name, "
			       "column_name) VALUES (?, ?, ?)",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, key);
		sqlite3_bind_text(st, 2, table, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 3, column, -1, SQLITE_TRANSIENT);
		rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
		sqlite3_finalize(st);
	}
	if (rc < 0)
		sql_fail(s, "record a missing column");
	pthread_mutex_unlock(&s->lock);
	return rc;
}

static int finish_server(struct snapshot *s, long long key, const char *status,
			 const char *failure_check, const char *error, long long rows,
			 const char *started_at, const char *finished_at)
{
	sqlite3_stmt *st;
	int rc = -1;

	if (sqlite3_prepare_v2(s->db,
			       "UPDATE server SET status = ?, failure_check = ?, error = ?, "
			       "rows_read = ?, started_at = ?, finished_at = ? WHERE server_key = ?",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, failure_check, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 3, error, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 4, rows);
		sqlite3_bind_text(st, 5, started_at, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 6, finished_at, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 7, key);
		rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
		sqlite3_finalize(st);
	}
	return rc < 0 ? sql_fail(s, "record a server's outcome") : 0;
}

int snapshot_server_done(struct snapshot *s, long long key, long long rows,
			 const char *started_at, const char *finished_at)
{
	struct pack_builder *b;
	int rc = 0;

	/* the sort needs no database: outside the lock, while other servers keep storing */
	pthread_mutex_lock(&s->lock);
	b = builder_of(s, key, 1);
	pthread_mutex_unlock(&s->lock);
	if (cached.builder == b)
		cached.builder = NULL;
	if (b)
		pack_builder_sort(b);
	pthread_mutex_lock(&s->lock);
	if (b && !s->catalogue && !(s->catalogue = pack_catalogue_load(s->db, s->path)))
		rc = -1;
	if (b && rc == 0)
		rc = pack_builder_write(b, s->db, s->catalogue, s->path);
	pack_builder_free(b);
	if (rc == 0)
		rc = finish_server(s, key, "ok", NULL, NULL, rows, started_at, finished_at);
	pthread_mutex_unlock(&s->lock);
	return rc;
}

const char *snapshot_failure_name(enum snapshot_failure kind)
{
	return kind == SNAP_FAILURE_SCHEMA ? "schema-unsupported" : "server-unreachable";
}

int snapshot_failure_is_schema(const char *failure_check)
{
	return failure_check &&
	       strcmp(failure_check, snapshot_failure_name(SNAP_FAILURE_SCHEMA)) == 0;
}

int snapshot_server_fail(struct snapshot *s, long long key, enum snapshot_failure kind,
			 const char *error, const char *started_at, const char *finished_at)
{
	int i, rc = 0;

	pthread_mutex_lock(&s->lock);
	if (cached.generation == s->generation && cached.key == key)
		cached.builder = NULL;
	pack_builder_free(builder_of(s, key, 1));
	for (i = 0; i < SNAP_TABLE_COUNT && rc == 0; i++) {
		char *sql;

		if (pack_table_is_packed((enum snapshot_table)i))
			continue;
		sql = xasprintf("DELETE FROM %s WHERE server_key = ?", tables[i].name);
		rc = exec_key(s, sql, key);
		free(sql);
	}
	if (rc == 0)
		rc = exec_key(s, "DELETE FROM missing_column WHERE server_key = ?", key);
	if (rc == 0)
		rc = finish_server(s, key, "failed", snapshot_failure_name(kind), error, 0,
				   started_at, finished_at);
	pthread_mutex_unlock(&s->lock);
	return rc;
}

int snapshot_with_db(struct snapshot *s, int (*fn)(sqlite3 *db, void *data), void *data)
{
	int rc;

	pthread_mutex_lock(&s->lock);
	rc = fn(s->db, data);
	pthread_mutex_unlock(&s->lock);
	return rc;
}

int snapshot_server_connection(struct snapshot *s, long long key, const struct db_conn_facts *f,
			       const char *configured)
{
	static const char sql[] =
	    "INSERT OR REPLACE INTO server_connection (server_key, tds_version, "
	    "configured_encryption, login_encrypted, session_encrypted, server_encryption, "
	    "cert_verified, hostname_checked, verified_against, auth, source, password_exposed) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
	const int flags[2] = {f->login_encrypted, f->session_encrypted};
	sqlite3_stmt *st;
	int rc, i;

	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		rc = sql_fail(s, "prepare a statement");
		pthread_mutex_unlock(&s->lock);
		return rc;
	}
	sqlite3_bind_int64(st, 1, key);
	if (*f->tds_version)
		sqlite3_bind_text(st, 2, f->tds_version, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, configured, -1, SQLITE_TRANSIENT);
	for (i = 0; i < 2; i++)
		if (flags[i] >= 0)
			sqlite3_bind_int(st, 4 + i, flags[i]);
	if (*f->server_encryption)
		sqlite3_bind_text(st, 6, f->server_encryption, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 7, f->cert_verified);
	sqlite3_bind_int(st, 8, f->hostname_checked);
	if (*f->verified_against)
		sqlite3_bind_text(st, 9, f->verified_against, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 10, f->auth, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 11, f->source, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 12, f->password_exposed);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	rc = rc == SQLITE_DONE ? 0 : sql_fail(s, "record a connection");
	pthread_mutex_unlock(&s->lock);
	return rc;
}
