/* test_store_format: snapshot format 2 through the binary — a format-1 store of the previous
 * release migrated with nothing lost, unchanged servers stored by reference, retention. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "fixture_hierarchy.h"
#include "xalloc.h"

#define FIXTURE SUSAUDIT_SOURCE_DIR "/tests/fixtures/store-v1/"
static const char *const packed_tables[] = {"update_revision", "update_category", "update_language",
					    "approval"};

struct result {
	int status;
	char *out;
	size_t len;
};

/* Runs `susaudit ARGS` in `dir` (relative file names, as the fixtures' outputs were made). */
static struct result run_in(const char *dir, const char *fmt, ...)
{
	struct result r = {0, NULL, 0};
	char *args, *cmd, buf[4096];
	size_t cap = 0, n;
	va_list ap;
	FILE *p;

	va_start(ap, fmt);
	args = xvasprintf(fmt, ap);
	va_end(ap);
	cmd = xasprintf("cd '%s' && '%s' %s 2>/dev/null", dir, SUSAUDIT_BINARY, args);
	p = popen(cmd, "r");
	assert_non_null(p);
	while ((n = fread(buf, 1, sizeof(buf), p)) > 0) {
		r.out = xgrow(r.out, &cap, r.len + n + 1, 1);
		memcpy(r.out + r.len, buf, n);
		r.len += n;
	}
	if (!r.out)
		r.out = xcalloc(1, 1);
	r.out[r.len] = '\0';
	r.status = WEXITSTATUS(pclose(p));
	free(cmd);
	free(args);
	return r;
}

static char *temp_dir(const char *what)
{
	char *dir = xasprintf("%s/store-format-%s-%d", SUSAUDIT_TEST_TMPDIR, what, (int)getpid());
	char *cmd = xasprintf("rm -rf '%s' && mkdir -p '%s'", dir, dir);

	assert_int_equal(system(cmd), 0);
	free(cmd);
	return dir;
}

static void remove_dir(char *dir)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);

	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(dir);
}

/* Creates dir/name from an SQL text fixture (and an optional second one applied after). */
static void load_sql(const char *dir, const char *name, const char *fixture, const char *then)
{
	char *path = xasprintf("%s/%s", dir, name);
	char *sql = fixture_read_file(fixture, NULL);
	sqlite3 *db;

	assert_non_null(sql);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	free(sql);
	if (then) {
		sql = fixture_read_file(then, NULL);
		assert_non_null(sql);
		assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
		free(sql);
	}
	sqlite3_close(db);
	free(path);
}

static long long scalar(const char *dir, const char *name, const char *sql)
{
	char *path = xasprintf("%s/%s", dir, name);
	sqlite3_stmt *st;
	sqlite3 *db;
	long long v = -1;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	free(path);
	return v;
}

/* The length of a line without its newline and a trailing comma: a member that was last in
 * its object gains a comma when a member is added after it. */
static size_t line_body(const char *p, size_t *next)
{
	size_t len = strcspn(p, "\n");

	*next = len + (p[len] == '\n');
	if (len && p[len - 1] == ',')
		len--;
	return len;
}

/* Every line of the golden appears in `got`, in order: fields are added to reports, never
 * removed, so a report of this release holds all of the older release's lines. */
static void assert_lines_in_order(const char *got, const char *golden)
{
	char *want = fixture_read_file(golden, NULL);
	const char *w = want, *g = got;

	assert_non_null(want);
	while (*w) {
		size_t wnext, wlen = line_body(w, &wnext);

		/* the findings: their check, server, status and message lines (a line of counts
		 * may gain a member in the middle) */
		if (!strstr(w, "\"check\": ") && !strstr(w, "\"status\": ") &&
		    !strstr(w, "\"message\": ")) {
			w += wnext;
			continue;
		}
		if (!((strncmp(w + strspn(w, " "), "\"check\": ", 9) == 0) ||
		      (strncmp(w + strspn(w, " "), "\"status\": ", 10) == 0) ||
		      (strncmp(w + strspn(w, " "), "\"message\": ", 11) == 0))) {
			w += wnext;
			continue;
		}

		for (;;) {
			size_t gnext, glen;

			if (!*g)
				fail_msg("%s: line not found in order: %.*s", golden, (int)wlen, w);
			glen = line_body(g, &gnext);
			g += gnext;
			if (glen == wlen && strncmp(g - gnext, w, wlen) == 0)
				break;
		}
		w += wnext;
	}
	free(want);
}

static void assert_file_equal(const char *got, const char *golden)
{
	char *want = fixture_read_file(golden, NULL);

	assert_non_null(want);
	if (strcmp(got, want) != 0)
		fail_msg("output differs from %s:\n--- got\n%s\n--- want\n%s", golden, got, want);
	free(want);
}

/* Leaves out of a JSON report the fields added since the release that made the fixtures (the
 * finding's "id" line), in place: the comparison is of what that release printed. */
static void strip_added_fields(char *json)
{
	static const char added[] = "      \"id\": \"";
	char *line = json, *out = json;

	while (*line) {
		char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) + 1 : strlen(line);

		if (strncmp(line, added, sizeof(added) - 1) != 0) {
			memmove(out, line, len);
			out += len;
		}
		line += len;
	}
	*out = '\0';
}

/* `snapshot show` of every packed table of every run, as one text. */
static char *show_all(const char *dir, const char *name)
{
	char *all = xstrdup("");
	long long runs = scalar(dir, name, "SELECT MAX(run_id) FROM run"), r;
	size_t t;

	for (r = 1; r <= runs; r++)
		for (t = 0; t < sizeof(packed_tables) / sizeof(packed_tables[0]); t++) {
			struct result x = run_in(dir, "snapshot show '%s' %s --run %lld", name,
						 packed_tables[t], r);
			char *next;

			assert_int_equal(x.status, 0);
			next = xasprintf("%s== run %lld %s\n%s", all, r, packed_tables[t], x.out);
			free(all);
			free(x.out);
			all = next;
		}
	return all;
}

/* A format-1 store made by the previous release (tests/fixtures/store-v1/README.md): read as
 * it is, then migrated by the next audit; history and the audit's new/persisting/resolved are
 * what that release printed, and every packed row is still there. */
static void test_migrate_format1_store(void **state)
{
	char *dir = temp_dir("migrate");
	char *before, *after;
	struct result r;

	(void)state;
	load_sql(dir, "store.db", FIXTURE "store.sql", NULL);
	load_sql(dir, "snapshot.db", FIXTURE "store.sql", FIXTURE "trim.sql");
	assert_int_equal(
	    scalar(dir, "store.db",
		   "SELECT COUNT(*) FROM snapshot_meta WHERE value = 'susaudit-snapshot/1'"),
	    1);
	assert_true(scalar(dir, "store.db", "SELECT COUNT(*) FROM update_revision") > 0);

	/* read as it is: reading writes nothing */
	r = run_in(dir, "history --store store.db");
	assert_int_equal(r.status, 0);
	assert_file_equal(r.out, FIXTURE "history-before.txt");
	free(r.out);
	r = run_in(dir, "history --store store.db --format json");
	assert_int_equal(r.status, 0);
	assert_file_equal(r.out, FIXTURE "history-before.json");
	free(r.out);
	before = show_all(dir, "store.db");
	assert_non_null(strstr(before, "== run 7 approval\nserver\tupdate_guid"));
	assert_int_equal(
	    scalar(dir, "store.db",
		   "SELECT COUNT(*) FROM snapshot_meta WHERE value = 'susaudit-snapshot/1'"),
	    1);

	/* the next audit writes: the store becomes format 2 first; the snapshot audited is a
	 * format-1 file read as it is */
	r = run_in(dir, "audit --snapshot snapshot.db --store store.db --now 2026-11-23T03:00:00Z"
			" --skip last-sync --format json");
	assert_int_equal(r.status, 2);
	strip_added_fields(r.out);
	assert_lines_in_order(r.out, FIXTURE "next-audit.json");
	free(r.out);
	assert_int_equal(
	    scalar(dir, "store.db",
		   "SELECT COUNT(*) FROM snapshot_meta WHERE value = 'susaudit-snapshot/2'"),
	    1);
	assert_int_equal(
	    scalar(dir, "store.db",
		   "SELECT COUNT(*) FROM sqlite_master WHERE name IN ('update_revision',"
		   " 'update_category', 'update_language', 'approval')"),
	    0);
	assert_int_equal(
	    scalar(dir, "store.db", "SELECT COUNT(*) FROM update_counts"),
	    scalar(dir, "store.db", "SELECT COUNT(*) FROM server WHERE status = 'ok'"));
	/* approvals per group, plain for the sqlite3 shell, add up to the packed rows */
	assert_true(scalar(dir, "store.db", "SELECT SUM(approvals) FROM approval_group") > 0);
	assert_int_equal(scalar(dir, "store.db", "SELECT SUM(approvals) FROM approval_group"),
			 scalar(dir, "store.db", "SELECT SUM(approval_rows) FROM update_counts"));
	assert_int_equal(
	    scalar(dir, "store.db",
		   "SELECT SUM(pending) FROM approval_group WHERE"
		   " action_id IN (0, 1)"),
	    scalar(dir, "store.db", "SELECT SUM(pending_approvals) FROM update_counts"));
	r = run_in(dir, "history --store store.db");
	assert_int_equal(r.status, 0);
	assert_file_equal(r.out, FIXTURE "history-after.txt");
	free(r.out);
	r = run_in(dir, "history --store store.db --format json");
	assert_int_equal(r.status, 0);
	assert_file_equal(r.out, FIXTURE "history-after.json");
	free(r.out);
	/* every row of every run, byte for byte */
	after = show_all(dir, "store.db");
	assert_string_equal(after, before);
	/* the seven runs collected the same three states: packs are shared, not copied */
	assert_true(scalar(dir, "store.db", "SELECT COUNT(*) FROM pack") <
		    scalar(dir, "store.db", "SELECT COUNT(*) FROM server_pack") / 2);
	free(before);
	free(after);
	remove_dir(dir);
}

static long long file_size(const char *dir, const char *name)
{
	char *path = xasprintf("%s/%s", dir, name);
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	free(path);
	return (long long)st.st_size;
}

/* --prune --keep: old runs go in one transaction and their space comes back; every audit and
 * the fix journal stay, and the next audit marks findings as it would have without pruning. */
static void test_prune(void **state)
{
	char *dir = temp_dir("prune");
	struct result r, kept;
	char *hist;
	long long size;

	(void)state;
	load_sql(dir, "pruned.db", FIXTURE "store.sql", NULL);
	load_sql(dir, "whole.db", FIXTURE "store.sql", NULL);
	load_sql(dir, "snapshot.db", FIXTURE "store.sql", FIXTURE "trim.sql");
	/* both migrated the same way first (a no-op prune: nothing is that old) */
	r = run_in(dir, "history --store whole.db --prune --older-than 100000");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "0 run(s)"));
	free(r.out);
	r = run_in(dir, "history --store pruned.db --prune --older-than 100000");
	assert_int_equal(r.status, 0);
	free(r.out);
	size = file_size(dir, "pruned.db");
	hist = run_in(dir, "history --store pruned.db --format json").out;

	r = run_in(dir, "history --store pruned.db --prune --keep 2");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "5 run(s) with 45 server(s)"));
	assert_non_null(strstr(r.out, "0 audit(s)"));
	free(r.out);
	assert_int_equal(scalar(dir, "pruned.db", "SELECT COUNT(*) FROM run"), 2);
	assert_int_equal(scalar(dir, "pruned.db", "SELECT MIN(run_id) FROM run"), 6);
	assert_int_equal(scalar(dir, "pruned.db", "SELECT COUNT(*) FROM server WHERE run_id < 6"),
			 0);
	assert_int_equal(scalar(dir, "pruned.db",
				"SELECT COUNT(*) FROM configuration WHERE"
				" server_key NOT IN (SELECT server_key FROM server)"),
			 0);
	assert_int_equal(scalar(dir, "pruned.db",
				"SELECT COUNT(*) FROM pack WHERE pack_hash NOT"
				" IN (SELECT pack_hash FROM server_pack)"),
			 0);
	assert_int_equal(scalar(dir, "pruned.db", "SELECT COUNT(*) FROM fix_journal"), 1);
	assert_true(file_size(dir, "pruned.db") < size);
	r = run_in(dir, "history --store pruned.db --format json");
	assert_string_equal(r.out, hist);
	free(r.out);
	free(hist);
	{
		char *ok = xasprintf("%s/pruned.db", dir);
		sqlite3 *db;
		sqlite3_stmt *st;

		assert_int_equal(sqlite3_open(ok, &db), SQLITE_OK);
		assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL),
				 SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
		sqlite3_finalize(st);
		sqlite3_close(db);
		free(ok);
	}
	/* the kept runs still audit as they did, and the next audit compares the same way */
	kept = run_in(dir, "audit --store pruned.db --snapshot snapshot.db --now"
			   " 2026-11-23T03:00:00Z --skip last-sync --format json");
	r = run_in(dir, "audit --store whole.db --snapshot snapshot.db --now"
			" 2026-11-23T03:00:00Z --skip last-sync --format json");
	assert_int_equal(kept.status, 2);
	assert_string_equal(kept.out, r.out);
	free(kept.out);
	free(r.out);

	/* --older-than with --with-audits: the latest run and the latest audit always stay */
	r = run_in(dir, "history --store pruned.db --prune --older-than 0 --with-audits");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "1 run(s)"));
	free(r.out);
	assert_int_equal(scalar(dir, "pruned.db", "SELECT COUNT(*) FROM run"), 1);
	assert_int_equal(scalar(dir, "pruned.db", "SELECT MAX(audit_id) FROM audit"), 8);
	assert_int_equal(scalar(dir, "pruned.db", "SELECT COUNT(*) FROM audit WHERE run_id = 6"),
			 0);

	/* misuse */
	r = run_in(dir, "history --store pruned.db --prune");
	assert_int_equal(r.status, 1);
	free(r.out);
	r = run_in(dir, "history --store pruned.db --keep 0 --prune");
	assert_int_equal(r.status, 1);
	free(r.out);
	r = run_in(dir, "history --store missing.db --prune --keep 1");
	assert_int_equal(r.status, 1);
	free(r.out);
	assert_int_equal(access("missing.db", F_OK), -1);
	remove_dir(dir);
}

/* Two collections of an unchanged hierarchy: the second adds no pack and no catalogue entry,
 * every server of it points at the packs of the first. */
static void test_unchanged_by_reference(void **state)
{
	char *dir = temp_dir("reference");
	struct fixture_hierarchy f;
	struct result r;
	long long packs, catalogue;

	(void)state;
	assert_int_equal(fixture_hierarchy_start("tests/fixtures/clean/hierarchy.xml.in",
						 "tests/fixtures/clean", NULL, 0, NULL, NULL, &f),
			 0);
	r = run_in(dir, "collect '%s' -o snap.db", f.xml_path);
	assert_int_equal(r.status, 0);
	free(r.out);
	packs = scalar(dir, "snap.db", "SELECT COUNT(*) FROM pack");
	catalogue = scalar(dir, "snap.db", "SELECT COUNT(*) FROM catalogue_update");
	assert_true(packs > 0);
	assert_true(catalogue > 0);
	assert_int_equal(scalar(dir, "snap.db", "SELECT COUNT(*) FROM update_text"), 0);
	r = run_in(dir, "collect '%s' -o snap.db", f.xml_path);
	assert_int_equal(r.status, 0);
	free(r.out);
	fixture_hierarchy_stop(&f);
	assert_int_equal(scalar(dir, "snap.db", "SELECT COUNT(*) FROM pack"), packs);
	assert_int_equal(scalar(dir, "snap.db", "SELECT COUNT(*) FROM catalogue_update"),
			 catalogue);
	assert_int_equal(scalar(dir, "snap.db", "SELECT COUNT(*) FROM update_text"), 0);
	assert_int_equal(
	    scalar(dir, "snap.db",
		   "SELECT COUNT(*) FROM server_pack a JOIN server s USING (server_key)"
		   " WHERE s.run_id = 2 AND NOT EXISTS (SELECT 1 FROM server_pack b JOIN"
		   " server t USING (server_key) WHERE t.run_id = 1 AND t.name = s.name"
		   " AND b.kind = a.kind AND b.pack_hash = a.pack_hash)"),
	    0);
	/* `snapshot show` names what it cannot show */
	r = run_in(dir, "snapshot show snap.db configuration");
	assert_int_equal(r.status, 1);
	free(r.out);
	r = run_in(dir, "snapshot show snap.db update_language --server hq-wsus.fabrikam.com");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "server\tupdate_guid\tlanguage_id\nhq-wsus.fabrikam.com\t"));
	free(r.out);
	remove_dir(dir);
}

/* A store whose findings table cannot be read: `history` fails (exit 1) instead of listing
 * the audits without their changes (the prepare error was swallowed before). */
static void test_history_read_error(void **state)
{
	char *dir = temp_dir("read-error");
	char *path = xasprintf("%s/store.db", dir);
	struct result r;
	sqlite3 *db;

	(void)state;
	load_sql(dir, "store.db", FIXTURE "store.sql", NULL);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(
	    sqlite3_exec(db, "ALTER TABLE audit_finding RENAME TO gone", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
	r = run_in(dir, "history --store store.db --format json");
	assert_int_equal(r.status, 1);
	free(r.out);
	r = run_in(dir, "history --store store.db");
	assert_int_equal(r.status, 1);
	free(r.out);
	free(path);
	remove_dir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_migrate_format1_store),
	    cmocka_unit_test(test_prune),
	    cmocka_unit_test(test_unchanged_by_reference),
	    cmocka_unit_test(test_history_read_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
