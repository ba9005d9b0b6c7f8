/* test_fix: `susaudit fix bits-foreground` through the binary against a TDS test server, read
 * from its batch log — dry run, injected failure, apply, no-op, revert — and its journal. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "bitsfix.h"
#include "fixture_hierarchy.h"
#include "xalloc.h"

#define SERVER "hq-wsus.fabrikam.com"
#define FAIL_PATTERN "SET BitsDownloadPriorityForeground = 1"

struct result {
	int status;
	char *out; /* stdout and stderr */
};

static struct result run(const char *fmt, ...)
{
	struct result r = {0, NULL};
	char *args, *cmd, buf[4096];
	size_t len = 0, cap = 0, n;
	va_list ap;
	FILE *p;

	va_start(ap, fmt);
	args = xvasprintf(fmt, ap);
	va_end(ap);
	cmd = xasprintf("'%s' %s 2>&1", SUSAUDIT_BINARY, args);
	p = popen(cmd, "r");
	assert_non_null(p);
	while ((n = fread(buf, 1, sizeof(buf), p)) > 0) {
		r.out = xgrow(r.out, &cap, len + n + 1, 1);
		memcpy(r.out + len, buf, n);
		len += n;
	}
	if (!r.out)
		r.out = xcalloc(1, 1);
	r.out[len] = '\0';
	r.status = WEXITSTATUS(pclose(p));
	free(cmd);
	free(args);
	return r;
}

/* Faults world_start() adds to the next server it starts (issue 12.11). */
static int next_drop_after_commit, next_refuse_login_after;

/* One standalone server serving hq-wsus's clean SUSDB plus `patch`, and its hierarchy file. */
struct world {
	struct tds_server server;
	char *xml, *log, *store, *tmpdir;
};

static void world_start(struct world *w, const char *patch, const char *fail_pattern)
{
	char *files[3], *cmd;
	struct tds_server_options o;
	FILE *f;

	memset(w, 0, sizeof(*w));
	tds_harness_set_server(SUSDB_TDS_SERVER);
	w->tmpdir = xasprintf("%s/fix-%d-%s%d%d", SUSAUDIT_TEST_TMPDIR, (int)getpid(),
			      fail_pattern ? "f" : "p", next_drop_after_commit,
			      next_refuse_login_after);
	cmd = xasprintf("rm -rf '%s' && mkdir -p '%s'", w->tmpdir, w->tmpdir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	w->log = xasprintf("%s/batches.log", w->tmpdir);
	w->store = xasprintf("%s/history.db", w->tmpdir);
	w->xml = xasprintf("%s/hierarchy.xml", w->tmpdir);
	files[0] = xasprintf("%s/tests/fixtures/susdb-schema.sql", SUSAUDIT_SOURCE_DIR);
	files[1] = xasprintf("%s/tests/fixtures/clean/" SERVER ".sql", SUSAUDIT_SOURCE_DIR);
	files[2] =
	    patch[0] == '/' ? xstrdup(patch) : xasprintf("%s/%s", SUSAUDIT_SOURCE_DIR, patch);
	memset(&o, 0, sizeof(o));
	o.sql_files = (const char *const *)files;
	o.nsql_files = 3;
	o.password = FIXTURE_PASSWORD;
	o.batch_log = w->log;
	o.fail_pattern = fail_pattern;
	o.fail_error = 1205;
	o.fail_count = 1;
	o.drop_after_commit = next_drop_after_commit;
	o.refuse_login_after = next_refuse_login_after;
	next_drop_after_commit = next_refuse_login_after = 0;
	assert_int_equal(tds_server_start(&o, &w->server), 0);
	free(files[0]);
	free(files[1]);
	free(files[2]);
	setenv("SUSAUDIT_TEST_PASSWORD", FIXTURE_PASSWORD, 1);
	f = fopen(w->xml, "w");
	assert_non_null(f);
	fprintf(f,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<hierarchy xmlns=\"urn:susaudit:hierarchy:1\" name=\"Fabrikam\">\n"
		"  <defaults database=\"SUSDB\" user=\"susaudit\" "
		"password-env=\"SUSAUDIT_TEST_PASSWORD\" encryption=\"off\" login-timeout=\"5\" "
		"query-timeout=\"60\"/>\n"
		"  <server name=\"" SERVER "\" port=\"8530\" wsus-version=\"10.0.17763.1\" "
		"sql=\"%s\"/>\n"
		"</hierarchy>\n",
		w->server.host_port);
	fclose(f);
}

static void world_stop(struct world *w)
{
	char *cmd = xasprintf("rm -rf '%s'", w->tmpdir);

	tds_server_stop(&w->server);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(w->xml);
	free(w->log);
	free(w->store);
	free(w->tmpdir);
}

/* The batches logged since the first `from`, joined by "\n--batch--\n" (malloc'd); *n gets the
 * total count so the next call can start there. */
static char *batches_since(const struct world *w, size_t from, size_t *n)
{
	char **lines = tds_batch_log_read(w->log, n);
	char *all = xstrdup(""), *next;
	size_t i;

	for (i = from; i < *n; i++) {
		next = xasprintf("%s%s\n--batch--\n", all, lines[i]);
		free(all);
		all = next;
	}
	tds_batch_log_free(lines, *n);
	return all;
}

/* Index of `needle` in `hay` at or after `from`, or -1. */
static long find_from(const char *hay, const char *needle, long from)
{
	const char *p = from >= 0 ? strstr(hay + from, needle) : NULL;

	return p ? (long)(p - hay) : -1;
}

#define FIX "fix bits-foreground '%s' --server " SERVER " --store '%s'"

static void test_update_sql(void **state)
{
	char *sql = bitsfix_update_sql(1, 0, 1);

	(void)state;
	assert_string_equal(sql,
			    "UPDATE dbo.tbConfigurationC SET BitsDownloadPriorityForeground = 1\n"
			    "WHERE ConfigurationID = 1 AND BitsDownloadPriorityForeground = 0");
	free(sql);
	sql = bitsfix_update_sql(7, 1, 0);
	assert_non_null(strstr(sql, "= 0\nWHERE ConfigurationID = 7 AND "
				    "BitsDownloadPriorityForeground = 1"));
	assert_null(strchr(sql, '@'));
	free(sql);
}

/* Dry run, an injected failure, apply, the next audit, apply again, revert, and the journal. */
static void test_fix_lifecycle(void **state)
{
	struct world w;
	struct result r;
	size_t seen = 0;
	char *b;
	long at;

	(void)state;
	world_start(&w, "tests/fixtures/defects/bits-foreground-fire.sql", FAIL_PATTERN);

	/* the dry run reads, prints the SQL and the service steps, and writes nothing, anywhere:
	 * not even the journal (a read-only user may run it) */
	r = run(FIX, w.xml, w.store);
	assert_int_equal(r.status, 0);
	assert_int_equal(access(w.store, F_OK), -1);
	assert_null(strstr(r.out, "journal: recorded"));
	assert_non_null(strstr(r.out, "dry run"));
	assert_non_null(strstr(r.out, "would change: BitsDownloadPriorityForeground 0 -> 1"));
	assert_non_null(strstr(r.out, "UPDATE dbo.tbConfigurationC SET "
				      "BitsDownloadPriorityForeground = 1"));
	assert_non_null(strstr(r.out, "net stop WSUSService"));
	assert_non_null(strstr(r.out, "net start WSUSService"));
	assert_non_null(strstr(r.out, "proxy:    in use"));
	free(r.out);
	b = batches_since(&w, seen, &seen);
	assert_true(seen > 0);
	assert_null(strstr(b, "UPDATE"));
	assert_null(strstr(b, "BEGIN"));
	assert_null(strstr(b, "COMMIT"));
	free(b);
	/* the command it prints can be pasted as it is, even with a space in a path */
	{
		char *spaced = xasprintf("%s/my hierarchy.xml", w.tmpdir);
		char *cmd = xasprintf("cp '%s' '%s'", w.xml, spaced);
		char *want = xasprintf("susaudit fix bits-foreground '%s' --server " SERVER
				       " --store %s --apply\n",
				       spaced, w.store);

		assert_int_equal(system(cmd), 0);
		r = run(FIX, spaced, w.store);
		assert_int_equal(r.status, 0);
		if (!strstr(r.out, want))
			fail_msg("want '%s' in:\n%s", want, r.out);
		free(r.out);
		free(want);
		free(cmd);
		free(spaced);
		b = batches_since(&w, seen, &seen);
		free(b);
	}

	/* the UPDATE fails (injected 1205): rolled back, journaled as failed, value unchanged */
	r = run(FIX " --apply", w.xml, w.store);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "failed"));
	assert_non_null(strstr(r.out, "rolled back"));
	free(r.out);
	b = batches_since(&w, seen, &seen);
	at = find_from(b, "BEGIN TRANSACTION", 0);
	at = find_from(b, FAIL_PATTERN, at);
	at = find_from(b, "ROLLBACK TRANSACTION", at);
	assert_true(at >= 0);
	assert_null(strstr(b, "COMMIT"));
	free(b);
	r = run(FIX, w.xml, w.store);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "BitsDownloadPriorityForeground = 0 (ConfigurationID 1)"));
	free(r.out);
	b = batches_since(&w, seen, &seen);
	free(b);

	/* applied: BEGIN, re-read, one UPDATE, read back, COMMIT, in that order */
	r = run(FIX " --apply", w.xml, w.store);
	assert_int_equal(r.status, 0);
	assert_non_null(
	    strstr(r.out, "applied: BitsDownloadPriorityForeground changed from 0 to 1"));
	free(r.out);
	b = batches_since(&w, seen, &seen);
	at = find_from(b, "BEGIN TRANSACTION", 0);
	at = find_from(b, "AS bits_foreground", at);
	at = find_from(b,
		       FAIL_PATTERN "\nWHERE ConfigurationID = 1 AND "
				    "BitsDownloadPriorityForeground = 0",
		       at);
	assert_true(at >= 0);
	assert_null(strstr(b + at + 1, "UPDATE")); /* exactly one UPDATE */
	at = find_from(b, "AS bits_foreground", at);
	at = find_from(b, "COMMIT TRANSACTION", at);
	assert_true(at >= 0);
	assert_null(strstr(b, "ROLLBACK"));
	free(b);

	/* the next audit: no bits-foreground finding, and the report says who applied it */
	r = run("audit '%s' --store '%s' --check bits-foreground --format json", w.xml, w.store);
	assert_int_equal(r.status, 0);
	assert_null(strstr(r.out, "\"check\": \"bits-foreground\""));
	assert_non_null(strstr(r.out, "\"bits_fix_note\": \"applied "));
	assert_non_null(strstr(r.out, " by susaudit\""));
	free(r.out);
	b = batches_since(&w, seen, &seen);
	free(b);

	/* applying twice changes nothing the second time: not even a transaction is begun */
	r = run(FIX " --apply", w.xml, w.store);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "no-op"));
	free(r.out);
	b = batches_since(&w, seen, &seen);
	assert_null(strstr(b, "UPDATE"));
	assert_null(strstr(b, "BEGIN"));
	free(b);

	/* revert restores the value recorded before the change, transactionally */
	r = run(FIX " --revert", w.xml, w.store);
	assert_int_equal(r.status, 0);
	assert_non_null(
	    strstr(r.out, "reverted: BitsDownloadPriorityForeground changed from 1 to 0"));
	free(r.out);
	b = batches_since(&w, seen, &seen);
	at = find_from(b, "BEGIN TRANSACTION", 0);
	at = find_from(b,
		       "SET BitsDownloadPriorityForeground = 0\nWHERE ConfigurationID = 1 AND "
		       "BitsDownloadPriorityForeground = 1",
		       at);
	at = find_from(b, "COMMIT TRANSACTION", at);
	assert_true(at >= 0);
	free(b);
	r = run(FIX, w.xml, w.store);
	assert_non_null(strstr(r.out, "BitsDownloadPriorityForeground = 0 (ConfigurationID 1)"));
	free(r.out);
	/* nothing left to revert */
	r = run(FIX " --revert", w.xml, w.store);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "no applied change"));
	free(r.out);

	/* every attempt is in the journal, with the login as operator */
	r = run("history --store '%s'", w.store);
	assert_int_equal(r.status, 0);
	assert_null(strstr(r.out, "dry-run on " SERVER));
	at = find_from(r.out, "apply on " SERVER " by susaudit: failed (0 -> 0)", 0);
	at = find_from(r.out, "apply on " SERVER " by susaudit: applied (0 -> 1)", at);
	at = find_from(r.out, "apply on " SERVER " by susaudit: no-op (1 -> 1)", at);
	at = find_from(r.out, "revert on " SERVER " by susaudit: reverted (1 -> 0)", at);
	at = find_from(r.out, "revert on " SERVER " by susaudit: refused", at);
	if (at < 0)
		fail_msg("journal incomplete:\n%s", r.out);
	free(r.out);
	r = run("history --store '%s' --format json", w.store);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "\"outcome\": \"applied\""));
	assert_non_null(strstr(r.out, "\"value_before\": 0, \"value_after\": 1"));
	free(r.out);

	/* an unknown server and an unreachable one are refused, and journaled */
	r = run("fix bits-foreground '%s' --server nowhere.fabrikam.com --store '%s'", w.xml,
		w.store);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "not a server of hierarchy 'Fabrikam'"));
	free(r.out);
	tds_server_stop(&w.server);
	r = run(FIX " --apply", w.xml, w.store);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "unreachable"));
	free(r.out);
	r = run("history --store '%s'", w.store);
	assert_non_null(
	    strstr(r.out, "apply on " SERVER " by susaudit: refused (? -> ?): unreachable"));
	free(r.out);
	world_stop(&w);
}

/* The connection drops right after the server executed COMMIT: the outcome is re-read on a
 * fresh connection and reported as it is, never as "rolled back"; --revert stays possible. */
static void test_fix_lost_commit_ack(void **state)
{
	struct world w;
	struct result r;
	char *store, *patch;
	FILE *f;

	(void)state;
	next_drop_after_commit = 1;
	world_start(&w, "tests/fixtures/defects/bits-foreground-fire.sql", NULL);
	r = run(FIX " --apply", w.xml, w.store);
	print_message("%s", r.out);
	assert_null(strstr(r.out, "rolled back"));
	assert_non_null(strstr(r.out, "the acknowledgement of the COMMIT was lost"));
	assert_non_null(strstr(r.out, "re-read on a new connection: "
				      "BitsDownloadPriorityForeground is 1"));
	assert_int_equal(r.status, 0);
	free(r.out);
	r = run(FIX, w.xml, w.store);
	assert_non_null(strstr(r.out, "BitsDownloadPriorityForeground = 1 (ConfigurationID 1)"));
	free(r.out);
	r = run("history --store '%s'", w.store);
	assert_non_null(strstr(r.out, "apply on " SERVER " by susaudit: applied (0 -> 1)"));
	free(r.out);
	/* the journal allows the revert (the second COMMIT is acknowledged) */
	r = run(FIX " --revert", w.xml, w.store);
	assert_int_equal(r.status, 0);
	assert_non_null(
	    strstr(r.out, "reverted: BitsDownloadPriorityForeground changed from 1 to 0"));
	free(r.out);
	world_stop(&w);

	/* the re-read fails too: the outcome is unknown (exit 1), journaled so, revertable */
	next_drop_after_commit = 1;
	next_refuse_login_after = 2; /* a refused revert and the apply; not the re-read */
	world_start(&w, "tests/fixtures/defects/bits-foreground-fire.sql", NULL);
	store = xasprintf("%s-kept.db", w.tmpdir);
	/* a store of the version before 'unknown' existed: its journal is rebuilt to allow it
	 * (a refused --revert makes the store: a dry run writes none) */
	r = run(FIX " --revert", w.xml, store);
	assert_int_equal(r.status, 1);
	free(r.out);
	{
		sqlite3 *db;

		assert_int_equal(sqlite3_open(store, &db), SQLITE_OK);
		assert_int_equal(
		    sqlite3_exec(db,
				 "ALTER TABLE fix_journal RENAME TO j; DROP INDEX "
				 "fix_journal_by_server; CREATE TABLE fix_journal (fix_id INTEGER "
				 "PRIMARY KEY, at TEXT NOT NULL, operator TEXT NOT NULL, "
				 "hierarchy_name TEXT, server TEXT NOT NULL, fix TEXT NOT NULL, "
				 "action TEXT NOT NULL CHECK (action IN ('dry-run', 'apply', "
				 "'revert')), value_before INTEGER, value_after INTEGER, outcome "
				 "TEXT NOT NULL CHECK (outcome IN ('dry-run', 'applied', 'no-op', "
				 "'refused', 'failed', 'reverted')), detail TEXT); INSERT INTO "
				 "fix_journal SELECT * FROM j; DROP TABLE j;",
				 NULL, NULL, NULL),
		    SQLITE_OK);
		sqlite3_close(db);
	}
	r = run(FIX " --apply", w.xml, store);
	print_message("%s", r.out);
	assert_int_equal(r.status, 1);
	assert_null(strstr(r.out, "rolled back"));
	assert_non_null(strstr(r.out, "unknown"));
	free(r.out);
	r = run("history --store '%s'", store);
	assert_non_null(strstr(r.out, "apply on " SERVER " by susaudit: unknown (0 -> ?)"));
	free(r.out);
	world_stop(&w);
	/* a server holding 1, as that one may: --revert restores the value recorded before */
	patch = xasprintf("%s/fix-%d-bits1.sql", SUSAUDIT_TEST_TMPDIR, (int)getpid());
	f = fopen(patch, "w");
	assert_non_null(f);
	fputs("UPDATE tbConfigurationC SET BitsDownloadPriorityForeground = 1;\n", f);
	fclose(f);
	world_start(&w, patch, NULL);
	r = run(FIX " --revert", w.xml, store);
	print_message("%s", r.out);
	assert_int_equal(r.status, 0);
	assert_non_null(
	    strstr(r.out, "reverted: BitsDownloadPriorityForeground changed from 1 to 0"));
	free(r.out);
	world_stop(&w);
	unlink(store);
	unlink(patch);
	free(store);
	free(patch);
}

/* A SUSDB without the column is refused before anything is written. */
static void test_fix_missing_column(void **state)
{
	char *patch = xasprintf("%s/fix-nocolumn-%d.sql", SUSAUDIT_TEST_TMPDIR, (int)getpid());
	FILE *f = fopen(patch, "w");
	struct world w;
	struct result r;
	size_t seen = 0;
	char *b;

	(void)state;
	assert_non_null(f);
	fputs("ALTER TABLE tbConfigurationC DROP COLUMN BitsDownloadPriorityForeground;\n", f);
	fclose(f);
	world_start(&w, patch, NULL);
	r = run(FIX " --apply", w.xml, w.store);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "refused"));
	assert_non_null(strstr(r.out, "lacks what the fix needs"));
	free(r.out);
	b = batches_since(&w, seen, &seen);
	assert_null(strstr(b, "UPDATE"));
	assert_null(strstr(b, "BEGIN"));
	free(b);
	r = run("history --store '%s'", w.store);
	assert_non_null(strstr(r.out, "refused"));
	free(r.out);
	world_stop(&w);
	unlink(patch);
	free(patch);
}

static void test_fix_usage(void **state)
{
	struct result r;

	(void)state;
	r = run("fix bits-foreground");
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "usage: susaudit fix"));
	free(r.out);
	r = run("fix frobnicate x.xml --server a");
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "unknown fix 'frobnicate'"));
	free(r.out);
	r = run("fix bits-foreground x.xml --server a --apply --revert");
	assert_int_equal(r.status, 1);
	free(r.out);
}

/* sql="WID" is the Windows Internal Database whatever its case, as for the audit: refused
 * with that reason, without trying to connect to a host named WID. */
static void test_fix_wid(void **state)
{
	char *dir = xasprintf("%s/fix-wid-%d", SUSAUDIT_TEST_TMPDIR, (int)getpid());
	char *xml = xasprintf("%s/hierarchy.xml", dir), *store = xasprintf("%s/h.db", dir);
	char *cmd = xasprintf("rm -rf '%s' && mkdir -p '%s'", dir, dir);
	struct result r;
	FILE *f;

	(void)state;
	assert_int_equal(system(cmd), 0);
	free(cmd);
	f = fopen(xml, "w");
	assert_non_null(f);
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	      "<hierarchy xmlns=\"urn:susaudit:hierarchy:1\" name=\"Fabrikam\">\n"
	      "  <server name=\"" SERVER "\" port=\"8530\" sql=\"WID\"/>\n"
	      "</hierarchy>\n",
	      f);
	fclose(f);
	r = run(FIX " --apply", xml, store);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "Windows Internal Database"));
	assert_null(strstr(r.out, "unreachable"));
	free(r.out);
	cmd = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(dir);
	free(xml);
	free(store);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_update_sql),
	    cmocka_unit_test(test_fix_usage),
	    cmocka_unit_test(test_fix_lifecycle),
	    cmocka_unit_test(test_fix_missing_column),
	    cmocka_unit_test(test_fix_wid),
	    cmocka_unit_test(test_fix_lost_commit_ack),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
