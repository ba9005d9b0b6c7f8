/* test_history: audits into one store through the binary — new, persisting and resolved
 * findings, language changes, --quiet, the HTML trend and `susaudit history`. */
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

#include "fixture_hierarchy.h"
#include "run_binary.h"
#include "xalloc.h"

#define AUDIT "audit '%s' --store '%s' --skip last-sync "

struct result {
	int status;
	char *out;
	size_t len;
};

/* Runs `susaudit ARGS`; stderr joins stdout when `merge`. */
static struct result run(int merge, const char *fmt, ...)
{
	struct result r = {0, NULL, 0};
	va_list ap;

	va_start(ap, fmt);
	r.out = run_binary_v(SUSAUDIT_BINARY, &r.status, &r.len, merge, fmt, ap);
	va_end(ap);
	return r;
}

static void start(const char *const *patches, size_t n, struct fixture_hierarchy *f)
{
	assert_int_equal(fixture_hierarchy_start("tests/fixtures/clean/hierarchy.xml.in",
						 "tests/fixtures/clean", patches, n, NULL, NULL, f),
			 0);
}

static void remove_store(const char *path)
{
	char *cmd = xasprintf("rm -f '%s' '%s-wal' '%s-shm'", path, path, path);

	assert_int_equal(system(cmd), 0);
	free(cmd);
}

/* The JSON object of the finding of `check` (from its "check" key to the next finding). */
static char *finding_json(const char *report, const char *section, const char *check)
{
	char *key = xasprintf("\"check\": \"%s\"", check);
	const char *s = strstr(report, section), *p, *end;

	assert_non_null(s);
	p = strstr(s, key);
	free(key);
	if (!p)
		return NULL;
	end = strstr(p, "\"suppressed\"");
	assert_non_null(end);
	return xstrndup(p, (size_t)(end - p));
}

static void assert_status(const char *report, const char *section, const char *check,
			  const char *status)
{
	char *f = finding_json(report, section, check), *want;

	if (!f)
		fail_msg("no %s finding in %s", check, section);
	want = xasprintf("\"status\": \"%s\"", status);
	if (!strstr(f, want))
		fail_msg("%s: want %s in %s", check, want, f);
	free(want);
	free(f);
}

/* Three audits into one store: clean; three defects (all new, --quiet silent the second
 * time); one fixed, one kept, one added (resolved, persisting, new). */
static void test_store_changes(void **state)
{
	const char *const first[] = {"tests/fixtures/defects/bits-foreground-fire.sql",
				     "tests/fixtures/defects/storage-option-fire.sql",
				     "tests/fixtures/defects/language-mismatch-fire.sql"};
	const char *const second[] = {"tests/fixtures/defects/storage-option-fire.sql",
				      "tests/fixtures/defects/replica-mode-fire.sql",
				      "tests/fixtures/defects/language-mismatch-fire.sql"};
	char *store = xasprintf("%s/history-%d.db", SUSAUDIT_TEST_TMPDIR, (int)getpid());
	struct fixture_hierarchy f;
	struct result r;
	char *lang;

	(void)state;
	remove_store(store);
	start(NULL, 0, &f);
	r = run(0, AUDIT "--now 2026-11-20T03:00:00Z --format json", f.xml_path, store);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "\"findings\": []"));
	free(r.out);
	/* a clean audit into a store, again: nothing changed, --quiet prints nothing */
	r = run(0, AUDIT "--now 2026-11-20T04:00:00Z --quiet", f.xml_path, store);
	assert_int_equal(r.status, 0);
	assert_int_equal(r.len, 0);
	free(r.out);
	fixture_hierarchy_stop(&f);

	start(first, 3, &f);
	r = run(0, AUDIT "--now 2026-11-21T03:00:00Z --format json", f.xml_path, store);
	assert_int_equal(r.status, 2);
	assert_status(r.out, "\"findings\": [", "bits-foreground", "new");
	assert_status(r.out, "\"findings\": [", "storage-option", "new");
	/* branch-wsus enabled German since the last audit: the language-change hook fires */
	assert_non_null(strstr(r.out, "enabled languages changed since the last stored audit"));
	free(r.out);
	/* the language change was an event of that audit: the next one lists it as resolved */
	r = run(0, AUDIT "--now 2026-11-21T04:00:00Z --quiet --format csv", f.xml_path, store);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.out, "enabled languages changed since the last stored audit"));
	assert_non_null(strstr(r.out, ",resolved,"));
	assert_null(strstr(r.out, ",new,"));
	free(r.out);
	/* nothing changed since: --quiet is silent, the exit code still says findings */
	r = run(0, AUDIT "--now 2026-11-21T05:00:00Z --quiet", f.xml_path, store);
	assert_int_equal(r.status, 2);
	assert_int_equal(r.len, 0);
	free(r.out);
	fixture_hierarchy_stop(&f);

	start(second, 3, &f);
	/* something changed: --quiet prints the report */
	r = run(0, AUDIT "--now 2026-11-22T03:00:00Z --quiet --format json", f.xml_path, store);
	assert_int_equal(r.status, 2);
	assert_status(r.out, "\"findings\": [", "replica-mode", "new");
	assert_status(r.out, "\"findings\": [", "storage-option", "persisting");
	assert_status(r.out, "\"resolved\": [", "bits-foreground", "resolved");
	/* the language mismatch persists; the languages did not change again */
	lang = finding_json(r.out, "\"findings\": [", "language-mismatch");
	assert_non_null(lang);
	assert_non_null(strstr(lang, "\"status\": \"persisting\""));
	free(lang);
	assert_null(strstr(r.out, "enabled languages changed since the last"));
	free(r.out);
	/* the HTML report draws the trend of the past audits */
	r = run(0, AUDIT "--now 2026-11-22T04:00:00Z --format html", f.xml_path, store);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.out, "trend-line"));
	free(r.out);
	fixture_hierarchy_stop(&f);

	/* `susaudit history`: every audit with its counts and what changed */
	r = run(0, "history --store '%s'", store);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "#1  2026-11-20T03:00:00Z  Contoso"));
	assert_non_null(strstr(r.out, "#6  2026-11-22T03:00:00Z  Contoso"));
	assert_non_null(strstr(r.out, "resolved warning bits-foreground on hq-wsus.fabrikam.com"));
	assert_non_null(strstr(r.out, "new      error   replica-mode on"));
	assert_non_null(strstr(r.out, "Fix journal:\n  (none)"));
	free(r.out);
	r = run(0, "history --store '%s' --format json", store);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "\"format\": \"susaudit-history/1\""));
	assert_non_null(strstr(r.out, "{\"status\": \"resolved\", \"severity\": \"warning\", "
				      "\"check\": \"bits-foreground\""));
	assert_non_null(strstr(r.out, "\"fixes\": []"));
	free(r.out);
	remove_store(store);
	free(store);
}

/* --snapshot with --store records the audit of a snapshot made elsewhere; bad stores fail. */
static void test_snapshot_into_store(void **state)
{
	const char *const defects[] = {"tests/fixtures/defects/storage-option-fire.sql"};
	char *store = xasprintf("%s/history-snap-%d.db", SUSAUDIT_TEST_TMPDIR, (int)getpid());
	char *snap = xasprintf("%s/history-snap-%d.snapshot", SUSAUDIT_TEST_TMPDIR, (int)getpid());
	char *junk = xasprintf("%s/history-junk-%d.db", SUSAUDIT_TEST_TMPDIR, (int)getpid());
	struct fixture_hierarchy f;
	struct result r;
	FILE *fp;

	(void)state;
	remove_store(store);
	remove_store(snap);
	start(defects, 1, &f);
	r = run(0, "collect '%s' -o '%s'", f.xml_path, snap);
	assert_int_equal(r.status, 0);
	free(r.out);
	fixture_hierarchy_stop(&f);
	r = run(0, "audit --snapshot '%s' --store '%s' --skip last-sync --format csv", snap, store);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.out, "storage-option"));
	assert_non_null(strstr(r.out, ",new,"));
	free(r.out);
	r = run(0, "history --store '%s' --format json", store);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, snap));
	free(r.out);

	/* failures of the tool itself: exit 1 */
	r = run(1, "audit --snapshot '%s' --store /nonexistent/dir/h.db", snap);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "could not"));
	free(r.out);
	fp = fopen(junk, "w");
	assert_non_null(fp);
	fputs("not a database\n", fp);
	fclose(fp);
	r = run(1, "audit --snapshot '%s' --store '%s'", snap, junk);
	assert_int_equal(r.status, 1);
	free(r.out);
	r = run(1, "history --store '%s'", junk);
	assert_int_equal(r.status, 1);
	free(r.out);
	r = run(1, "history --store '%s'", snap); /* a snapshot, but no store */
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "is a snapshot, not a history store"));
	free(r.out);
	r = run(1, "history --store /nonexistent/h.db");
	assert_int_equal(r.status, 1);
	free(r.out);
	r = run(1, "history");
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "usage: susaudit history"));
	free(r.out);
	r = run(1, "history --store '%s' --format html", store);
	assert_int_equal(r.status, 1);
	free(r.out);
	r = run(1, "audit --snapshot '%s' --store '%s' --plan x.xml", snap, store);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "--plan"));
	free(r.out);
	unlink(junk);
	remove_store(store);
	remove_store(snap);
	free(junk);
	free(snap);
	free(store);
}

/* The number of rows `sql` counts in the SQLite file at `path`, or -1. */
static int count_rows(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st;
	int n = -1;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			n = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	return n;
}

/* An SQLite database of something else given as a store or a snapshot is refused and left
 * exactly as it was: no tables added, not switched to WAL. */
static void test_foreign_database(void **state)
{
	char *path = xasprintf("%s/history-foreign-%d.db", SUSAUDIT_TEST_TMPDIR, (int)getpid());
	char *xml = xasprintf("%s/tests/fixtures/hierarchy-files/contoso.xml", SUSAUDIT_SOURCE_DIR);
	char *before, *after, *wal;
	sqlite3 *db;
	size_t nbefore, nafter;
	struct result r;

	(void)state;
	remove_store(path);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE invoices (id INTEGER PRIMARY KEY, total "
					  "REAL); INSERT INTO invoices (total) VALUES (12.5);",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	before = fixture_read_file(path, &nbefore);
	assert_non_null(before);

	r = run(1, "audit --snapshot '%s' --store '%s'", path, path);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "is not a susaudit history store"));
	free(r.out);
	r = run(1, "collect '%s' -o '%s'", xml, path);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "is not a susaudit snapshot"));
	free(r.out);
	r = run(1, "audit --snapshot '%s'", path);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "is not a susaudit snapshot"));
	free(r.out);
	/* --apply: a dry run opens no store at all */
	r = run(1, "fix bits-foreground '%s' --server cas-sup1.contoso.com --apply --store '%s'",
		xml, path);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "is not a susaudit history store"));
	free(r.out);

	after = fixture_read_file(path, &nafter);
	assert_non_null(after);
	assert_int_equal(nbefore, nafter);
	assert_memory_equal(before, after, nbefore);
	assert_int_equal(count_rows(path, "SELECT count(*) FROM sqlite_master"), 1);
	wal = xasprintf("%s-wal", path);
	assert_int_not_equal(access(wal, F_OK), 0);
	free(wal);
	free(before);
	free(after);
	remove_store(path);
	free(path);
	free(xml);
}

/* An audit that does not run a check, or cannot read a server, says nothing about their
 * findings: they are not resolved, and the next full audit does not call them new. */
static void test_partial_audits(void **state)
{
	const char *const defects[] = {"tests/fixtures/defects/storage-option-fire.sql",
				       "tests/fixtures/defects/replica-mode-fire.sql",
				       "tests/fixtures/defects/bits-foreground-fire.sql"};
	char *store = xasprintf("%s/history-partial-%d.db", SUSAUDIT_TEST_TMPDIR, (int)getpid());
	struct fixture_hierarchy f;
	struct result r;
	int hq;

	(void)state;
	remove_store(store);
	start(defects, 3, &f);
	r = run(0, AUDIT "--now 2026-11-21T03:00:00Z --format csv", f.xml_path, store);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.out, "storage-option"));
	assert_non_null(strstr(r.out, "replica-mode"));
	assert_non_null(strstr(r.out, "bits-foreground"));
	free(r.out);
	/* only one check: the others' findings are neither shown nor resolved */
	r = run(0, AUDIT "--now 2026-11-21T04:00:00Z --check replica-mode --format csv",
		f.xml_path, store);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.out, ",persisting,"));
	assert_null(strstr(r.out, ",resolved,"));
	assert_null(strstr(r.out, "storage-option"));
	free(r.out);
	/* the full audit after it: everything persists, nothing is new */
	r = run(0, AUDIT "--now 2026-11-21T05:00:00Z --format csv", f.xml_path, store);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.out, "storage-option"));
	assert_non_null(strstr(r.out, "bits-foreground"));
	assert_null(strstr(r.out, ",new,"));
	assert_null(strstr(r.out, ",resolved,"));
	free(r.out);
	/* hq-wsus goes down: its own findings and its downstream's about it stay open */
	hq = fixture_hierarchy_find(&f, "hq-wsus.fabrikam.com");
	assert_true(hq >= 0);
	tds_server_stop(&f.servers[hq]);
	r = run(0, AUDIT "--now 2026-11-21T06:00:00Z --format csv", f.xml_path, store);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.out, "server-unreachable"));
	assert_null(strstr(r.out, ",resolved,"));
	free(r.out);
	/* the next night nothing changed: --quiet prints nothing, not even the warning about
	 * the server it could not read (cron mails stderr too), and the exit code says findings */
	r = run(1, AUDIT "--now 2026-11-21T07:00:00Z --quiet", f.xml_path, store);
	assert_int_equal(r.status, 2);
	assert_int_equal(r.len, 0);
	free(r.out);
	r = run(0, "history --store '%s'", store);
	assert_int_equal(r.status, 0);
	assert_null(strstr(r.out, "resolved warning"));
	assert_null(strstr(r.out, "resolved error"));
	free(r.out);
	fixture_hierarchy_stop(&f);
	remove_store(store);
	free(store);
}

/* Maintenance health is kept in the store (audit_health) and the HTML report draws the
 * superseded count over past audits (issue 16). */
static void test_superseded_trend(void **state)
{
	const char *const fire[] = {"tests/fixtures/defects/superseded-not-declined-fire.sql"};
	char *store = xasprintf("%s/history-superseded-%d.db", SUSAUDIT_TEST_TMPDIR, (int)getpid());
	struct fixture_hierarchy f;
	struct result r;

	(void)state;
	remove_store(store);
	start(NULL, 0, &f);
	r = run(0, AUDIT "--now 2026-11-20T03:00:00Z --quiet", f.xml_path, store);
	assert_int_equal(r.status, 0);
	free(r.out);
	fixture_hierarchy_stop(&f);
	/* the clean hierarchy's nine servers hold 147 superseded updates that are not declined */
	assert_int_equal(count_rows(store, "SELECT COUNT(*) FROM audit_health WHERE audit_id = 1"),
			 9);
	assert_int_equal(count_rows(store, "SELECT SUM(superseded) FROM audit_health"), 147);
	start(fire, 1, &f);
	r = run(0, AUDIT "--now 2026-11-21T03:00:00Z --format html", f.xml_path, store);
	assert_int_equal(r.status, 2); /* a warning fails the audit (--fail-on warning) */
	assert_non_null(strstr(r.out, "<section id=\"superseded-trend\">"));
	assert_non_null(strstr(r.out, "1,500 (Microsoft's threshold)"));
	free(r.out);
	fixture_hierarchy_stop(&f);
	assert_int_equal(count_rows(store, "SELECT superseded FROM audit_health WHERE audit_id = 2"
					   " AND server = 'hq-wsus.fabrikam.com'"),
			 1517);
	remove_store(store);
	free(store);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_store_changes),
	    cmocka_unit_test(test_snapshot_into_store),
	    cmocka_unit_test(test_foreign_database),
	    cmocka_unit_test(test_partial_audits),
	    cmocka_unit_test(test_superseded_trend),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
