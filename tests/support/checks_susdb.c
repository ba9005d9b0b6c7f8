/* checks_susdb: runs the collector's queries on a SQLite SUSDB and writes snapshot rows. */
#include "checks_susdb.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "collect_queries.h"
#include "embedded.h"
#include "snapshot.h"
#include "tds_db.h"
#include "tds_translate.h"
#include "xalloc.h"

int susdb_build(const char *path, const char *const *files, size_t nfiles)
{
	sqlite3 *db;
	char *side;

	unlink(path);
	side = xasprintf("%s-wal", path);
	unlink(side);
	free(side);
	side = xasprintf("%s-shm", path);
	unlink(side);
	free(side);
	db = tds_db_load(path, files, (int)nfiles);
	if (!db)
		return -1;
	sqlite3_close(db);
	return 0;
}

static int exec(sqlite3 *db, const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "checks_susdb: %s\n%s\n", err ? err : "?", sql);
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

/* The query's SQLite text, as the TDS test server would run it. */
static char *translated(enum embedded_id id)
{
	struct tds_batch b;
	char *sql = NULL;

	tds_translate_batch(embedded_text(id), "SUSDB", &b);
	if (b.nstmts == 1 && b.stmts[0].kind == TDS_STMT_SQL)
		sql = xstrdup(b.stmts[0].arg);
	tds_batch_release(&b);
	return sql;
}

struct columns {
	char **items;
	size_t n, cap;
};

static int has_column(const struct columns *c, const char *need)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (strcasecmp(c->items[i], need) == 0)
			return 1;
	return 0;
}

/* '2024-11-20 09:12:00[.fff]' -> '2024-11-20T09:12:00.fffZ' (the snapshot's form). */
static void canonical_time(const char *in, char *out, size_t size)
{
	int y, mo, d, h, mi, s, ms = 0;

	if (sscanf(in, "%4d-%2d-%2d%*1[ T]%2d:%2d:%2d.%3d", &y, &mo, &d, &h, &mi, &s, &ms) >= 6)
		snprintf(out, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", y, mo, d, h, mi, s, ms);
	else
		snprintf(out, size, "%s", in);
}

static long long server_row(sqlite3 *snap, long run_id, const char *name, const char *status,
			    const char *check, const char *error)
{
	sqlite3_stmt *st;
	long long key = -1;

	if (sqlite3_prepare_v2(snap,
			       "INSERT INTO server (run_id, name, status, failure_check, error,"
			       " started_at, finished_at) VALUES (?1, ?2, ?3, ?4, ?5,"
			       " '2026-11-22T02:00:00.000Z', '2026-11-22T02:01:00.000Z')",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, run_id);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, status, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, check, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, error, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_DONE)
		key = sqlite3_last_insert_rowid(snap);
	sqlite3_finalize(st);
	return key;
}

int susdb_collect_failed(sqlite3 *snap, long run_id, const char *name, const char *check,
			 const char *error)
{
	return server_row(snap, run_id, name, "failed", check, error) < 0 ? -1 : 0;
}

/* Runs one query on the SUSDB and copies its rows into the snapshot table. */
static int copy_query(sqlite3 *susdb, sqlite3 *snap, long long key, const struct collect_query *q)
{
	char *sql = translated(q->text), *ins;
	sqlite3_stmt *from = NULL, *to = NULL;
	size_t i, len;
	int rc = -1;

	if (!sql || sqlite3_prepare_v2(susdb, sql, -1, &from, NULL) != SQLITE_OK) {
		fprintf(stderr, "checks_susdb: query '%s': %s\n", q->name, sqlite3_errmsg(susdb));
		goto out;
	}
	len = 64 + strlen(snapshot_table_name(q->table));
	for (i = 0; i < q->ncolumns; i++)
		len += strlen(q->columns[i].name) + 8;
	ins = xmalloc(len);
	snprintf(ins, len, "INSERT INTO %s (server_key", snapshot_table_name(q->table));
	for (i = 0; i < q->ncolumns; i++) {
		strcat(ins, ", ");
		strcat(ins, q->columns[i].name);
	}
	strcat(ins, ") VALUES (?");
	for (i = 0; i < q->ncolumns; i++)
		strcat(ins, ", ?");
	strcat(ins, ")");
	if (sqlite3_prepare_v2(snap, ins, -1, &to, NULL) != SQLITE_OK) {
		fprintf(stderr, "checks_susdb: %s: %s\n", ins, sqlite3_errmsg(snap));
		free(ins);
		goto out;
	}
	free(ins);
	while ((rc = sqlite3_step(from)) == SQLITE_ROW) {
		sqlite3_reset(to);
		sqlite3_clear_bindings(to);
		sqlite3_bind_int64(to, 1, key);
		for (i = 0; i < q->ncolumns; i++) {
			int c = (int)i, p = (int)i + 2;
			const char *text = (const char *)sqlite3_column_text(from, c);
			char buf[64];

			if (sqlite3_column_type(from, c) == SQLITE_NULL)
				continue;
			switch (q->columns[i].kind) {
			case DB_KIND_INT:
				sqlite3_bind_int64(to, p, sqlite3_column_int64(from, c));
				break;
			case DB_KIND_GUID: {
				char *g = xstrdup(text);
				char *x;

				for (x = g; *x; x++)
					*x = (char)toupper((unsigned char)*x);
				sqlite3_bind_text(to, p, g, -1, SQLITE_TRANSIENT);
				free(g);
				break;
			}
			case DB_KIND_TIME:
				canonical_time(text, buf, sizeof(buf));
				sqlite3_bind_text(to, p, buf, -1, SQLITE_TRANSIENT);
				break;
			case DB_KIND_TEXT:
				sqlite3_bind_text(to, p, text, -1, SQLITE_TRANSIENT);
				break;
			}
		}
		if (sqlite3_step(to) != SQLITE_DONE) {
			fprintf(stderr, "checks_susdb: insert into %s: %s\n",
				snapshot_table_name(q->table), sqlite3_errmsg(snap));
			rc = SQLITE_ERROR;
			break;
		}
	}
	if (rc != SQLITE_DONE)
		fprintf(stderr, "checks_susdb: query '%s': %s\n", q->name, sqlite3_errmsg(susdb));
	rc = rc == SQLITE_DONE ? 0 : -1;
out:
	sqlite3_finalize(from);
	sqlite3_finalize(to);
	free(sql);
	return rc;
}

static int probe(sqlite3 *susdb, struct columns *cols)
{
	char *sql = translated(collect_probe.text);
	sqlite3_stmt *st;
	int rc;

	if (!sql || sqlite3_prepare_v2(susdb, sql, -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "checks_susdb: probe: %s\n", sqlite3_errmsg(susdb));
		free(sql);
		return -1;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		cols->items = xgrow(cols->items, &cols->cap, cols->n + 1, sizeof(*cols->items));
		cols->items[cols->n++] =
		    xasprintf("%s.%s", sqlite3_column_text(st, 0), sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	free(sql);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* As the collector does for a maintenance query that names an object this SUSDB lacks (SQL
 * Server's 208): records it in health_unavailable and returns 1; 0 when the query prepares. */
static int unavailable(sqlite3 *susdb, sqlite3 *snap, long long key, const char *name,
		       const struct collect_query *q)
{
	char *sql = translated(q->text), *x;
	sqlite3_stmt *st = NULL;
	int rc = sql ? sqlite3_prepare_v2(susdb, sql, -1, &st, NULL) : SQLITE_ERROR;

	sqlite3_finalize(st);
	free(sql);
	if (rc == SQLITE_OK)
		return 0;
	x = sqlite3_mprintf("INSERT INTO health_unavailable VALUES (%lld, '%q', 'missing',"
			    " 'query ''%q'' on ''%q'' failed: %q (SQL Server error 208)')",
			    key, q->name, q->name, name, sqlite3_errmsg(susdb));
	exec(snap, x);
	sqlite3_free(x);
	return 1;
}

int susdb_collect(sqlite3 *snap, long run_id, const char *name, const char *path)
{
	struct tds_db_session session = {"SUSDB", 51, 0, 0};
	struct columns cols = {NULL, 0, 0};
	sqlite3 *susdb = tds_db_open(path, &session);
	long long key;
	size_t i;
	int ret = -1;
	char *failure = NULL;

	if (!susdb)
		return -1;
	if (exec(snap, "SAVEPOINT collect") || probe(susdb, &cols))
		goto out;
	key = server_row(snap, run_id, name, "ok", NULL, NULL);
	if (key < 0)
		goto out;
	for (i = 0; i < collect_nqueries && !failure; i++) {
		const struct collect_query *q = &collect_queries[i];
		const char *const *need;
		int missing = 0;

		for (need = q->needs; *need; need++) {
			char *x;
			const char *dot = strchr(*need, '.');

			if (has_column(&cols, *need))
				continue;
			missing++;
			x = sqlite3_mprintf(
			    "INSERT OR IGNORE INTO missing_column VALUES (%lld, '%.*q',"
			    " '%q')",
			    key, (int)(dot - *need), *need, dot + 1);
			exec(snap, x);
			sqlite3_free(x);
			if (q->required && !failure)
				failure =
				    xasprintf("SUSDB of '%s' lacks '%s', which the '%s' query "
					      "needs: this WSUS version is not supported",
					      name, *need, q->name);
		}
		if (missing)
			continue;
		if (q->optional && unavailable(susdb, snap, key, name, q))
			continue;
		if (copy_query(susdb, snap, key, q))
			goto out;
	}
	if (failure) {
		/* as the collector: nothing partial remains of a failed server */
		if (exec(snap, "ROLLBACK TO collect") ||
		    susdb_collect_failed(snap, run_id, name, "schema-unsupported", failure))
			goto out;
	}
	ret = exec(snap, "RELEASE collect");
out:
	if (ret)
		exec(snap, "ROLLBACK TO collect; RELEASE collect");
	for (i = 0; i < cols.n; i++)
		free(cols.items[i]);
	free(cols.items);
	free(failure);
	sqlite3_close(susdb);
	return ret;
}

int susdb_forget(sqlite3 *snap, long run_id, const char *name)
{
	size_t i;
	int rc = 0;

	/* missing_column, then every table the collector's queries fill */
	for (i = 0; i <= SNAP_TABLE_COUNT; i++) {
		const char *table = i == SNAP_TABLE_COUNT ? "missing_column"
							  : snapshot_table_name((enum snapshot_table)i);
		char *sql = sqlite3_mprintf("DELETE FROM %s WHERE server_key IN (SELECT server_key"
					    " FROM server WHERE run_id = %ld AND name = '%q')",
					    table, run_id, name);

		rc |= exec(snap, sql);
		sqlite3_free(sql);
	}
	{
		char *sql = sqlite3_mprintf("DELETE FROM server WHERE run_id = %ld AND name = '%q'",
					    run_id, name);

		rc |= exec(snap, sql);
		sqlite3_free(sql);
	}
	return rc ? -1 : 0;
}
