/* history_prune: retention of a store; old runs go in one transaction, then VACUUM. */
#include "history.h"
#include "history_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "snapshot_pack.h"
#include "xalloc.h"

static int fail(sqlite3 *db, const char *path, const char *what)
{
	return log_error("store '%s': could not %s: %s", path, what, sqlite3_errmsg(db));
}

static int run_sql(sqlite3 *db, const char *path, const char *sql, const char *what)
{
	return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : fail(db, path, what);
}

static long long scalar(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	long long v = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* The runs to remove, into temp.doomed: beyond the `keep` latest of each hierarchy, or
 * collected before `cutoff`; never the latest complete run of a hierarchy. */
static int choose_runs(sqlite3 *db, const char *path, const struct history_prune_options *o)
{
	sqlite3_stmt *st;
	char cutoff[32] = "";
	int rc;

	if (o->older_than_days >= 0) {
		time_t t = o->now - (time_t)o->older_than_days * 86400;
		struct tm tm;

		gmtime_r(&t, &tm);
		strftime(cutoff, sizeof(cutoff), "%Y-%m-%dT%H:%M:%S.000Z", &tm);
	}
	if (run_sql(db, path,
		    "CREATE TEMP TABLE IF NOT EXISTS doomed (run_id INTEGER PRIMARY KEY);"
		    " DELETE FROM temp.doomed",
		    "list the runs to remove") < 0)
		return -1;
	if (sqlite3_prepare_v2(
		db,
		"INSERT INTO temp.doomed SELECT run_id FROM (SELECT run_id, started_at,"
		" finished_at, ROW_NUMBER() OVER (PARTITION BY hierarchy_name ORDER BY"
		" finished_at IS NULL, run_id DESC) AS age FROM run)"
		" WHERE age > 1 AND ((?1 > 0 AND age > ?1) OR (?2 <> '' AND started_at < ?2))",
		-1, &st, NULL) != SQLITE_OK)
		return fail(db, path, "list the runs to remove");
	sqlite3_bind_int(st, 1, o->keep);
	sqlite3_bind_text(st, 2, cutoff, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : fail(db, path, "list the runs to remove");
}

/* Every table with a server_key column but `server`: the per-server facts of every
 * branch's schema, whatever snapshot.sql declares today. */
static int delete_server_rows(sqlite3 *db, const char *path)
{
	sqlite3_stmt *st;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	int rc, ret = 0;

	if (sqlite3_prepare_v2(db,
			       "SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) c"
			       " WHERE m.type = 'table' AND c.name = 'server_key' AND m.name <>"
			       " 'server' ORDER BY m.name",
			       -1, &st, NULL) != SQLITE_OK)
		return fail(db, path, "list its tables");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		names = xgrow(names, &cap, n + 1, sizeof(*names));
		names[n++] = xstrdup((const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		ret = fail(db, path, "list its tables");
	for (i = 0; i < n; i++) {
		char *sql =
		    sqlite3_mprintf("DELETE FROM \"%w\" WHERE server_key IN (SELECT server_key"
				    " FROM server WHERE run_id IN (SELECT run_id FROM"
				    " temp.doomed))",
				    names[i]);

		if (ret == 0)
			ret = run_sql(db, path, sql, "remove a run's rows");
		sqlite3_free(sql);
		free(names[i]);
	}
	free(names);
	return ret;
}

/* Catalogue entries no remaining server lists: the (GUID, revision) of every update pack
 * still referenced is kept. */
static int prune_catalogue(sqlite3 *db, const char *path)
{
	sqlite3_stmt *packs, *ins;
	int rc, ret = 0;

	if (run_sql(db, path,
		    "CREATE TEMP TABLE IF NOT EXISTS listed (g BLOB, r INTEGER, PRIMARY KEY (g, r))"
		    " WITHOUT ROWID; DELETE FROM temp.listed",
		    "list the catalogue in use") < 0)
		return -1;
	if (sqlite3_prepare_v2(db, "SELECT data FROM pack WHERE kind = 'U'", -1, &packs, NULL) !=
	    SQLITE_OK)
		return fail(db, path, "read its packs");
	if (sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO temp.listed VALUES (?1, ?2)", -1, &ins,
			       NULL) != SQLITE_OK) {
		sqlite3_finalize(packs);
		return fail(db, path, "list the catalogue in use");
	}
	while (ret == 0 && (rc = sqlite3_step(packs)) == SQLITE_ROW) {
		const unsigned char *p = sqlite3_column_blob(packs, 0);
		size_t len = (size_t)sqlite3_column_bytes(packs, 0), i;
		struct pack_view v;

		if (pack_view_parse(&v, PACK_UPDATES, p, len) < 0)
			continue;
		for (i = 0; i < v.n && ret == 0; i++) {
			struct pack_update u;

			pack_update_get(&v, i, &u);
			sqlite3_bind_blob(ins, 1, u.guid, 16, SQLITE_STATIC);
			sqlite3_bind_int(ins, 2, u.revision);
			if (sqlite3_step(ins) != SQLITE_DONE)
				ret = fail(db, path, "list the catalogue in use");
			sqlite3_reset(ins);
		}
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = fail(db, path, "read its packs");
	sqlite3_finalize(packs);
	sqlite3_finalize(ins);
	if (ret == 0)
		ret = run_sql(db, path,
			      "DELETE FROM catalogue_update WHERE NOT EXISTS (SELECT 1 FROM"
			      " temp.listed l WHERE l.g = update_guid AND l.r = revision_number)",
			      "prune the catalogue");
	return ret;
}

static const char delete_audits[] =
    "CREATE TEMP TABLE IF NOT EXISTS doomed_audit (audit_id INTEGER PRIMARY KEY);"
    " DELETE FROM temp.doomed_audit;"
    " INSERT INTO temp.doomed_audit SELECT audit_id FROM audit a WHERE a.snapshot_path IS NULL"
    " AND a.run_id IN (SELECT run_id FROM temp.doomed) AND a.audit_id < (SELECT MAX(audit_id)"
    " FROM audit b WHERE b.hierarchy_name = a.hierarchy_name);"
    " DELETE FROM audit_finding WHERE audit_id IN (SELECT audit_id FROM temp.doomed_audit);"
    " DELETE FROM audit_server WHERE audit_id IN (SELECT audit_id FROM temp.doomed_audit);"
    " DELETE FROM audit WHERE audit_id IN (SELECT audit_id FROM temp.doomed_audit)";

int history_prune(struct history *h, const struct history_prune_options *o,
		  struct history_prune_result *r)
{
	sqlite3 *db = history_connection(h);
	const char *path = history_path(h);

	memset(r, 0, sizeof(*r));
	if (o->keep <= 0 && o->older_than_days < 0)
		return log_error("--prune needs --keep N (N >= 1) or --older-than DAYS");
	r->bytes_before = scalar(db, "SELECT page_count * page_size FROM pragma_page_count,"
				     " pragma_page_size");
	/* one transaction: killed before COMMIT, the store is as it was (WAL) */
	if (run_sql(db, path, "BEGIN IMMEDIATE", "start pruning") < 0)
		return -1;
	if (choose_runs(db, path, o) < 0)
		goto fail;
	r->runs = scalar(db, "SELECT COUNT(*) FROM temp.doomed");
	r->servers = scalar(db, "SELECT COUNT(*) FROM server WHERE run_id IN (SELECT run_id FROM"
				" temp.doomed)");
	if (o->with_audits) {
		if (run_sql(db, path, delete_audits, "remove old audits") < 0)
			goto fail;
		r->audits = scalar(db, "SELECT COUNT(*) FROM temp.doomed_audit");
	}
	if (r->runs > 0) {
		long long packs = scalar(db, "SELECT COUNT(*) FROM pack");

		if (delete_server_rows(db, path) < 0 ||
		    run_sql(db, path,
			    "DELETE FROM server WHERE run_id IN (SELECT run_id FROM temp.doomed);"
			    " DELETE FROM run WHERE run_id IN (SELECT run_id FROM temp.doomed);"
			    " DELETE FROM pack WHERE pack_hash NOT IN (SELECT pack_hash FROM"
			    " server_pack)",
			    "remove the runs") < 0 ||
		    prune_catalogue(db, path) < 0)
			goto fail;
		r->packs = packs - scalar(db, "SELECT COUNT(*) FROM pack");
	}
	if (run_sql(db, path, "COMMIT", "commit the pruning") < 0)
		goto fail;
	/* the space back to the file system: VACUUM is atomic too, then the WAL is emptied */
	if (r->runs > 0 || r->audits > 0) {
		if (run_sql(db, path, "VACUUM", "VACUUM") < 0)
			return -1;
		sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
	}
	r->bytes_after = scalar(db, "SELECT page_count * page_size FROM pragma_page_count,"
				    " pragma_page_size");
	return 0;
fail:
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}
