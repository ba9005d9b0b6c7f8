/* test_collect: the collector through FreeTDS db-lib against TDS test servers. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>
#include <unistd.h>

#include "collect.h"
#include "collect_queries.h"
#include "fixture_hierarchy.h"
#include "hierarchy.h"
#include "log.h"
#include "progress.h"
#include "snapshot_unpack.h"
#include "xalloc.h"

static char *temp_snapshot(void)
{
	char *path = xasprintf("%s/collect-%d-XXXXXX", SUSAUDIT_TEST_TMPDIR, (int)getpid());
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	close(fd);
	unlink(path);
	return path;
}

static void remove_snapshot(const char *path)
{
	char *p;

	unlink(path);
	p = xasprintf("%s-wal", path);
	unlink(p);
	free(p);
	p = xasprintf("%s-shm", path);
	unlink(p);
	free(p);
}

static struct hierarchy *load(const struct fixture_hierarchy *f)
{
	struct hierarchy *h = NULL;

	assert_int_equal(hierarchy_load(f->xml_path, &h), 0);
	return h;
}

static long long scalar(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	long long v = -1;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* The fixture's time text 'YYYY-MM-DD HH:MM:SS[.fff]' in the snapshot's canonical form;
 * every other value as it is. */
static void canonical(const char *in, char *out, size_t size)
{
	int n = (int)strlen(in);

	if (n >= 19 && n <= 23 && in[4] == '-' && in[7] == '-' &&
	    (in[10] == ' ' || in[10] == 'T') && in[13] == ':' && in[16] == ':' &&
	    (n == 19 || (in[19] == '.' && n > 20))) {
		char ms[4] = "000";

		/* milliseconds written with fewer digits: '.5' is '.500' */
		if (n > 20)
			memcpy(ms, in + 20, (size_t)(n - 20));
		snprintf(out, size, "%.10sT%.8s.%sZ", in, in + 11, ms);
	} else {
		snprintf(out, size, "%s", in);
	}
}

static int compare_lines(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Rows of a result as sorted lines "v1|v2|...", comparable across the two databases: the
 * fixture's times are put in canonical form (fixture != 0), the snapshot's are taken as they
 * are, as is every other value. */
static char **rows_of(sqlite3 *db, const char *sql, long long key, int skip_col, int fixture,
		      size_t *n)
{
	sqlite3_stmt *st;
	char **rows = NULL;
	size_t cap = 0;

	*n = 0;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (key >= 0)
		sqlite3_bind_int64(st, 1, key);
	while (sqlite3_step(st) == SQLITE_ROW) {
		char line[16384] = "";
		size_t used = 0;
		int c;

		for (c = 0; c < sqlite3_column_count(st); c++) {
			char value[8192];

			if (c == skip_col)
				snprintf(value, sizeof(value), "(relative time)");
			else if (sqlite3_column_type(st, c) == SQLITE_NULL)
				snprintf(value, sizeof(value), "NULL");
			else if (fixture)
				canonical((const char *)sqlite3_column_text(st, c), value,
					  sizeof(value));
			else
				snprintf(value, sizeof(value), "%s",
					 (const char *)sqlite3_column_text(st, c));
			used += (size_t)snprintf(line + used, sizeof(line) - used, "%s|", value);
		}
		rows = xgrow(rows, &cap, *n + 1, sizeof(*rows));
		rows[(*n)++] = xstrdup(line);
	}
	sqlite3_finalize(st);
	if (*n > 1)
		qsort(rows, *n, sizeof(*rows), compare_lines);
	return rows;
}

static time_t epoch_of(const char *field, size_t len)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (len != 24 || field[10] != 'T' || field[23] != 'Z' ||
	    sscanf(field, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
		   &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
		return (time_t)-1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return timegm(&tm);
}

/* Rows equal field by field. Times the fixtures write relative to "now" (sync events, last
 * sync of downstream servers) differ by the moment each copy was loaded, so times may differ
 * by a few seconds; every other byte must match. */
static int same_row(const char *a, const char *b)
{
	while (*a && *b) {
		size_t la = strcspn(a, "|"), lb = strcspn(b, "|");

		if (la != lb || memcmp(a, b, la) != 0) {
			time_t ta = epoch_of(a, la), tb = epoch_of(b, lb);

			if (ta == (time_t)-1 || tb == (time_t)-1 || ta - tb > 5 || tb - ta > 5 ||
			    memcmp(a + 19, b + 19, 5) != 0)
				return 0;
		}
		a += la + (a[la] == '|');
		b += lb + (b[lb] == '|');
	}
	return *a == *b;
}

/* The T-SQL of a query as SQLite runs it: the same small rewrite the test server makes. */
static char *as_sqlite(const char *tsql)
{
	char *out = xmalloc(strlen(tsql) + 1), *o = out;
	const char *p = tsql;

	while (*p) {
		if (strncmp(p, "dbo.", 4) == 0) {
			p += 4;
			continue;
		}
		if (*p == 'N' && p[1] == '\'' && (p == tsql || !isalnum((unsigned char)p[-1]))) {
			p++;
			continue;
		}
		*o++ = *p++;
	}
	*o = '\0';
	return out;
}

/* The values a round trip must carry byte for byte, over one clean server. */
static const char *const round_trip_patches[] = {"tests/fixtures/collect/round-trip-values.sql"};

static sqlite3 *load_fixture(const char *server)
{
	const char *files[3] = {"tests/fixtures/susdb-schema.sql", NULL, NULL};
	char *data = xasprintf("tests/fixtures/clean/%s.sql", server);
	char *patch = xasprintf("%s/%s", SUSAUDIT_SOURCE_DIR, round_trip_patches[0]);
	char *patched = fixture_patch_server(patch);
	sqlite3 *db;
	int i, nfiles = 2;

	files[1] = data;
	if (patched && strcmp(patched, server) == 0)
		files[nfiles++] = round_trip_patches[0];
	free(patched);
	free(patch);
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	for (i = 0; i < nfiles; i++) {
		char *path = xasprintf("%s/%s", SUSAUDIT_SOURCE_DIR, files[i]);
		char *sql = fixture_read_file(path, NULL);

		assert_non_null(sql);
		assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
		free(sql);
		free(path);
	}
	free(data);
	return db;
}

/* Every fact of every server in the snapshot equals what its fixture SUSDB holds, GUIDs and
 * times byte for byte; tweak (may be NULL) sets up every server. */
static void round_trip(fixture_tweak_fn tweak)
{
	struct fixture_hierarchy f;
	struct collect_options o = {4, 0, 3, 100, 0};
	struct collect_summary sum;
	struct hierarchy *h;
	char *path = temp_snapshot();
	sqlite3 *snap;
	size_t i, q;

	assert_int_equal(fixture_hierarchy_start("tests/fixtures/clean/hierarchy.xml.in",
						 "tests/fixtures/clean", round_trip_patches, 1,
						 tweak, NULL, &f),
			 0);
	h = load(&f);
	assert_int_equal(collect_run(h, path, &o, &sum), 0);
	assert_int_equal(sum.servers, f.n);
	assert_int_equal(sum.failed, 0);
	assert_true(sum.rows > 0);
	assert_int_equal(sqlite3_open(path, &snap), SQLITE_OK);
	assert_int_equal(snapshot_unpack_temp(snap), 0); /* packed rows as format 1's */
	assert_int_equal(scalar(snap, "SELECT COUNT(*) FROM server WHERE status = 'ok'"),
			 (long long)f.n);
	assert_int_equal(scalar(snap, "SELECT COUNT(*) FROM run WHERE finished_at IS NOT NULL"), 1);
	for (i = 0; i < f.n; i++) {
		sqlite3 *fx = load_fixture(f.names[i]);
		char *keysql = xasprintf("SELECT server_key FROM server WHERE name = '%s'",
					 f.names[i]);
		long long key = scalar(snap, keysql);

		free(keysql);
		assert_true(key > 0);
		for (q = 0; q < collect_nqueries; q++) {
			const struct collect_query *cq = &collect_queries[q];
			char *fsql;

			/* the maintenance queries read catalog views and functions only the TDS
			 * server offers: test_maintenance compares their rows */
			if (cq->optional)
				continue;
			fsql = as_sqlite(embedded_text(cq->text));
			char *ssql = xasprintf("SELECT %s FROM %s WHERE server_key = ?",
					       cq->columns[0].name, snapshot_table_name(cq->table));
			char *cols = xstrdup(cq->columns[0].name);
			size_t nf, ns, r, c;
			char **frows, **srows;

			for (c = 1; c < cq->ncolumns; c++) {
				char *t = xasprintf("%s, %s", cols, cq->columns[c].name);

				free(cols);
				cols = t;
			}
			free(ssql);
			ssql = xasprintf("SELECT %s FROM %s WHERE server_key = ?", cols,
					 snapshot_table_name(cq->table));
			frows = rows_of(fx, fsql, -1, -1, 1, &nf);
			srows = rows_of(snap, ssql, key, -1, 0, &ns);
			if (nf != ns)
				fail_msg("%s/%s: fixture has %zu rows, snapshot %zu", f.names[i],
					 cq->name, nf, ns);
			for (r = 0; r < nf; r++)
				if (!same_row(frows[r], srows[r]))
					fail_msg("%s/%s: row differs\n fixture:  %s\n snapshot: %s",
						 f.names[i], cq->name, frows[r], srows[r]);
			for (r = 0; r < nf; r++)
				free(frows[r]);
			for (r = 0; r < ns; r++)
				free(srows[r]);
			free(frows);
			free(srows);
			free(fsql);
			free(ssql);
			free(cols);
		}
		sqlite3_close(fx);
	}
	sqlite3_close(snap);
	hierarchy_free(h);
	fixture_hierarchy_stop(&f);
	remove_snapshot(path);
	free(path);
}

static void test_round_trip(void **state)
{
	(void)state;
	round_trip(NULL);
}

static void speak_tds73(const char *server, struct tds_server_options *o, void *data)
{
	(void)server;
	(void)data;
	o->tds_version = "7.3";
}

/* The same against servers that speak TDS 7.3 only, as SQL Server 2008 and 2008 R2 do: the
 * collector asks for 7.4 and must settle for what LOGINACK answers. */
static void test_round_trip_tds73(void **state)
{
	(void)state;
	round_trip(speak_tds73);
}

static void faults(const char *server, struct tds_server_options *o, void *data)
{
	(void)data;
	if (strcmp(server, "cas-sup1.contoso.com") == 0)
		o->refuse_login = 1;
	else if (strcmp(server, "p01-sup2.contoso.com") == 0)
		o->drop_after_rows = 40;
	else if (strcmp(server, "p01-web.contoso.com") == 0)
		o->delay_ms = 4000;
	else if (strcmp(server, "p01-sup1.contoso.com") == 0) {
		/* deadlock victim once: retried, and nothing counted twice */
		o->fail_pattern = "tbDeployment";
		o->fail_error = 1205;
		o->fail_count = 1;
	}
}

struct captured {
	char text[65536];
	size_t used;
};

static void capture(enum log_level level, const char *message, void *data)
{
	struct captured *c = data;

	(void)level;
	c->used += (size_t)snprintf(c->text + c->used, sizeof(c->text) - c->used, "%s\n", message);
	if (c->used >= sizeof(c->text))
		c->used = sizeof(c->text) - 1;
}

static const char *failure_of(sqlite3 *db, const char *server, char *buf, size_t size)
{
	sqlite3_stmt *st;
	const char *sql = "SELECT status || ' ' || COALESCE(failure_check, '') || ': ' || "
			  "COALESCE(error, '') FROM server WHERE name = ?";

	buf[0] = '\0';
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, server, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(buf, size, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return buf;
}

/* Refused login, dropped connection, a server not listening, a query timeout and WID: each
 * ends as a failed server with a clear error and no rows, while the others are collected. */
static void test_faults(void **state)
{
	struct fixture_hierarchy f;
	struct collect_options o = {4, 0, 2, 50, 0};
	struct collect_summary sum;
	struct captured *log = xcalloc(1, sizeof(*log));
	struct hierarchy *h;
	char *path = temp_snapshot(), buf[2048], *bytes;
	sqlite3 *snap;
	size_t len;

	(void)state;
	assert_int_equal(fixture_hierarchy_start("tests/fixtures/collect/faults.xml.in",
						 "tests/fixtures/clean", NULL, 0, faults, NULL, &f),
			 0);
	h = load(&f);
	log_set_sink(capture, log);
	assert_int_equal(collect_run(h, path, &o, &sum), 0);
	log_set_sink(NULL, NULL);
	assert_int_equal(sum.servers, 6);
	assert_int_equal(sum.failed, 5);
	assert_int_equal(sqlite3_open(path, &snap), SQLITE_OK);
	assert_int_equal(snapshot_unpack_temp(snap), 0); /* packed rows as format 1's */

	assert_non_null(strstr(failure_of(snap, "p01-sup1.contoso.com", buf, sizeof(buf)), "ok"));
	assert_int_equal(scalar(snap, "SELECT COUNT(*) FROM approval a JOIN server s USING "
				      "(server_key) WHERE s.name = 'p01-sup1.contoso.com'"),
			 scalar(snap, "SELECT COUNT(*) FROM approval") /* only p01-sup1 has rows */);
	assert_true(scalar(snap, "SELECT COUNT(*) FROM approval") > 0);

	failure_of(snap, "cas-sup1.contoso.com", buf, sizeof(buf));
	assert_non_null(strstr(buf, "failed server-unreachable"));
	assert_non_null(strstr(buf, "cas-sup1.contoso.com"));
	assert_non_null(strstr(buf, "18456"));
	failure_of(snap, "p01-sup2.contoso.com", buf, sizeof(buf));
	assert_non_null(strstr(buf, "failed server-unreachable"));
	assert_non_null(strstr(buf, "connection was lost"));
	failure_of(snap, "p01-web.contoso.com", buf, sizeof(buf));
	assert_non_null(strstr(buf, "failed server-unreachable"));
	assert_non_null(strstr(buf, "timed out"));
	failure_of(snap, "unreachable.contoso.com", buf, sizeof(buf));
	assert_non_null(strstr(buf, "failed server-unreachable"));
	assert_non_null(strstr(buf, "could not connect to 'unreachable.contoso.com'"));
	failure_of(snap, "wid.contoso.com", buf, sizeof(buf));
	assert_non_null(strstr(buf, "Windows Internal Database"));

	/* nothing partial of a failed server remains */
	assert_int_equal(scalar(snap, "SELECT COUNT(*) FROM update_revision u JOIN server s USING "
				      "(server_key) WHERE s.status = 'failed'"),
			 0);
	assert_int_equal(scalar(snap, "SELECT COUNT(*) FROM configuration c JOIN server s USING "
				      "(server_key) WHERE s.status = 'failed'"),
			 0);
	sqlite3_close(snap);

	/* the password is nowhere: not in the snapshot (and its WAL), not in any message */
	assert_null(strstr(log->text, FIXTURE_PASSWORD));
	bytes = fixture_read_file(path, &len);
	assert_non_null(bytes);
	assert_null(memmem(bytes, len, FIXTURE_PASSWORD, strlen(FIXTURE_PASSWORD)));
	free(bytes);

	hierarchy_free(h);
	fixture_hierarchy_stop(&f);
	remove_snapshot(path);
	free(path);
	free(log);
}

/* On a terminal the progress block is redrawn in place: a warning written meanwhile is
 * written where the block was (the block moves out of its way and comes back below it), so
 * it stays on screen instead of being overwritten by the next redraw. */
static void test_progress_keeps_warnings(void **state)
{
	char *path = xasprintf("%s/progress-%d-XXXXXX", SUSAUDIT_TEST_TMPDIR, (int)getpid());
	int fd = mkstemp(path), saved = dup(STDERR_FILENO);
	struct progress *p;
	char *out, *w;
	size_t len;

	(void)state;
	assert_true(fd >= 0 && saved >= 0);
	fflush(stderr);
	assert_true(dup2(fd, STDERR_FILENO) >= 0);
	p = progress_start(2, 2, 1);
	progress_update(p, 0, "a.contoso.com", "updates", 10);
	log_warning("could not connect to 'b.contoso.com'");
	progress_update(p, 1, "c.contoso.com", "approvals", 5);
	progress_server_done(p, 0, 0);
	progress_finish(p);
	log_warning("after the block");
	fflush(stderr);
	assert_true(dup2(saved, STDERR_FILENO) >= 0);
	close(saved);
	close(fd);
	out = fixture_read_file(path, &len);
	assert_non_null(out);
	w = strstr(out, "susaudit: warning: could not connect to 'b.contoso.com'\n");
	assert_non_null(w);
	/* the 3 lines of the block (header and 2 jobs) were taken away first */
	assert_true(w - out >= 8);
	assert_memory_equal(w - 8, "\033[3A\r\033[J", 8);
	/* and drawn again below the warning */
	assert_non_null(strstr(w, "\n\r\033[Kcollecting: 0 of 2 servers done, 0 failed\n"));
	/* once finished, warnings are plain lines again */
	w = strstr(out, "susaudit: warning: after the block\n");
	assert_non_null(w);
	assert_memory_equal(w - 3, "\033[J", 3);
	free(out);
	unlink(path);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_round_trip_tds73),
		cmocka_unit_test(test_faults),
		cmocka_unit_test(test_progress_keeps_warnings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
