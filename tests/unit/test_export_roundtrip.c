/* test_export_roundtrip: the fixture hierarchy collected live with --export-dir, then audited
 * with every server imported from its export (the test servers stopped): the snapshot's facts
 * and every report are the live audit's, byte for byte. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collect.h"
#include "fixture_dir.h"
#include "fixture_hierarchy.h"
#include "hierarchy.h"
#include "snapshot_unpack.h"
#include "xalloc.h"

#define NOW "2026-12-03T12:00:00Z"

static const char *const patches[] = {"tests/fixtures/collect/round-trip-values.sql",
				      "tests/fixtures/collect/export-values.sql"};

static char *dir;

static char *path_in(const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

static char *replace_all(const char *s, const char *from, const char *to)
{
	size_t nf = strlen(from), nt = strlen(to), n = 0;
	const char *p;
	char *out, *o;

	for (p = s; (p = strstr(p, from)) != NULL; p += nf)
		n++;
	out = xmalloc(strlen(s) + n * nt + 1);
	for (o = out, p = s;;) {
		const char *q = strstr(p, from);

		if (!q) {
			strcpy(o, p);
			break;
		}
		memcpy(o, p, (size_t)(q - p));
		o += q - p;
		memcpy(o, to, nt);
		o += nt;
		p = q + nf;
	}
	return out;
}

/* Every row of `table` as text, server_key replaced by the server's name, sorted. */
static char *dump_table(sqlite3 *db, const char *table)
{
	char *sql, *out = xstrdup(""), *cols = NULL;
	sqlite3_stmt *st;
	int has_key = 0;

	sql = xasprintf("SELECT name FROM pragma_table_info('%s') ORDER BY cid", table);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *c = (const char *)sqlite3_column_text(st, 0);
		char *expr, *t;

		if (strcmp(c, "server_key") == 0) {
			has_key = 1;
			expr = xstrdup("(SELECT name FROM server s WHERE s.server_key = x.server_key)");
		} else {
			expr = xasprintf("quote(x.\"%s\")", c);
		}
		t = cols ? xasprintf("%s || '|' || %s", cols, expr) : xstrdup(expr);
		free(cols);
		free(expr);
		cols = t;
	}
	sqlite3_finalize(st);
	free(sql);
	(void)has_key;
	sql = xasprintf("SELECT %s FROM \"%s\" x ORDER BY 1", cols, table);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *row = (const char *)sqlite3_column_text(st, 0);
		char *t = xasprintf("%s%s\n", out, row ? row : "NULL");

		free(out);
		out = t;
	}
	sqlite3_finalize(st);
	free(sql);
	free(cols);
	return out;
}

static char *scalar_text(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	char *v = NULL;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		v = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return v;
}

static int run(const char *cmd)
{
	int rc = system(cmd);

	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static char *report(const char *snapshot, const char *format)
{
	char *out = xasprintf("%s.%s", snapshot, format);
	char *cmd = xasprintf("'%s' audit --snapshot '%s' --now " NOW " --format %s -o '%s' --quiet",
			      SUSAUDIT_BINARY, snapshot, format, out);
	char *text;
	int rc = run(cmd);

	if (rc != 0 && rc != 2)
		fail_msg("'%s' exited %d", cmd, rc);
	text = fixture_read_file(out, NULL);
	assert_non_null(text);
	free(cmd);
	free(out);
	return text;
}

/* The text report's "collected ..." line names the run's own time (a documented source field:
 * an import's run ends when the import does); the servers' times below it must be the same. */
static char *mask_collected_line(char *text)
{
	char *p = strstr(text, "\ncollected "), *e, *out;

	if (!p)
		return text;
	e = strchr(p + 1, '\n');
	assert_non_null(e);
	out = xasprintf("%.*s\ncollected RUN%s", (int)(p - text), text, e);
	free(text);
	return out;
}

static void test_round_trip_through_exports(void **state)
{
	static const char *const formats[] = {"text", "json", "html", "junit", "csv", "nagios"};
	struct fixture_hierarchy f;
	struct collect_options o = {4, 0, 3, 100, 0};
	struct collect_summary sum;
	struct hierarchy *h = NULL;
	char *live = path_in("live.db"), *imported = path_in("imported.db");
	char *exports = path_in("exports"), *template, *xml, *hpath = path_in("imported.xml");
	sqlite3 *a, *b;
	sqlite3_stmt *st;
	char **names, *imported_text;
	size_t i, nnames;

	(void)state;
	assert_int_equal(mkdir(exports, 0700), 0);
	assert_int_equal(fixture_hierarchy_start("tests/fixtures/clean/hierarchy.xml.in",
						 "tests/fixtures/clean", patches, 2, NULL, NULL,
						 &f),
			 0);
	assert_int_equal(hierarchy_load(f.xml_path, &h), 0);
	assert_int_equal(collect_run_export(h, live, &o, exports, &sum), 0);
	assert_int_equal(sum.failed, 0);
	assert_int_equal(sum.exports_failed, 0);
	hierarchy_free(h);
	nnames = f.n;
	names = xcalloc(nnames, sizeof(*names));
	for (i = 0; i < nnames; i++)
		names[i] = xstrdup(f.names[i]);
	/* the servers go away: the import must not need them */
	fixture_hierarchy_stop(&f);

	/* the same hierarchy, each server naming its export (relative to the file) */
	{
		char *tpath = xasprintf("%s/tests/fixtures/clean/hierarchy.xml.in",
					SUSAUDIT_SOURCE_DIR);

		template = fixture_read_file(tpath, NULL);
		free(tpath);
	}
	assert_non_null(template);
	xml = xstrdup(template);
	for (i = 0; i < nnames; i++) {
		char *from = xasprintf("sql=\"127.0.0.1:@PORT_%s@\"", names[i]);
		char *to = xasprintf("export=\"exports/%s.xml\"", names[i]);
		char *t = replace_all(xml, from, to);

		free(xml);
		xml = t;
		free(from);
		free(to);
	}
	assert_null(strstr(xml, "sql="));
	{
		FILE *fp = fopen(hpath, "w");

		assert_non_null(fp);
		fputs(xml, fp);
		fclose(fp);
	}
	assert_int_equal(hierarchy_load(hpath, &h), 0);
	assert_int_equal(collect_run(h, imported, &o, &sum), 0);
	assert_int_equal(sum.failed, 0);
	hierarchy_free(h);

	/* the imported snapshot as collect left it, for `audit HIERARCHY.xml` below */
	imported_text = report(imported, "text");
	assert_int_equal(sqlite3_open(live, &a), SQLITE_OK);
	assert_int_equal(sqlite3_open(imported, &b), SQLITE_OK);
	/* the documented source fields: the run's hierarchy file and own times (an import's run
	 * ends when the import does; reports name that time as the run's), and server_source.
	 * The run's times are made equal so the reports can be compared byte for byte. */
	{
		char *ra_s = scalar_text(a, "SELECT started_at FROM run");
		char *ra_f = scalar_text(a, "SELECT finished_at FROM run");
		char *sql = sqlite3_mprintf("UPDATE run SET started_at = %Q, finished_at = %Q", ra_s,
					    ra_f);

		assert_int_equal(sqlite3_exec(b, sql, NULL, NULL, NULL), SQLITE_OK);
		sqlite3_free(sql);
		free(ra_s);
		free(ra_f);
	}
	/* every table of facts, including the server rows' times (the export's) */
	assert_int_equal(sqlite3_prepare_v2(a, "SELECT name FROM sqlite_master WHERE type = 'table' "
					    "ORDER BY name", -1, &st, NULL), SQLITE_OK);
	i = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		char *da, *db;

		/* the documented source fields: the run's hierarchy file, where rows came from,
		 * and how a live server's connection crossed the network (an imported server was
		 * not connected to) */
		if (strcmp(t, "run") == 0 || strcmp(t, "server_source") == 0 ||
		    strcmp(t, "server_connection") == 0)
			continue;
		/* snapshot format 2's storage of the packed rows, compared below as the rows: which
		 * server's text the shared catalogue keeps depends on which finished first */
		if (strcmp(t, "catalogue_update") == 0 || strcmp(t, "update_text") == 0 ||
		    strcmp(t, "pack") == 0 || strcmp(t, "server_pack") == 0)
			continue;
		da = dump_table(a, t);
		db = dump_table(b, t);
		if (strcmp(da, db) != 0)
			fail_msg("table '%s' differs:\nlive:\n%.2000s\nimported:\n%.2000s", t, da, db);
		free(da);
		free(db);
		i++;
	}
	sqlite3_finalize(st);
	{
		static const char *const packed[] = {"update_revision", "update_category",
						     "update_language", "approval"};
		size_t k;

		assert_int_equal(snapshot_unpack_temp(a), 0);
		assert_int_equal(snapshot_unpack_temp(b), 0);
		for (k = 0; k < sizeof(packed) / sizeof(packed[0]); k++) {
			char *da = dump_table(a, packed[k]), *db = dump_table(b, packed[k]);

			if (strcmp(da, db) != 0)
				fail_msg("table '%s' differs:\nlive:\n%.2000s\nimported:\n%.2000s",
					 packed[k], da, db);
			free(da);
			free(db);
		}
	}
	assert_true(i > 10);
	/* what survived, spelt out */
	{
		char *v = scalar_text(b, "SELECT proxy_domain FROM configuration c JOIN server s USING "
				      "(server_key) WHERE s.name = 'p02-sup1.contoso.com'");

		assert_string_equal(v, "vt\vsoh\001end");
		free(v);
		v = scalar_text(b, "SELECT content_path FROM configuration c JOIN server s USING "
				"(server_key) WHERE s.name = 'p02-sup1.contoso.com'");
		assert_string_equal(v, "D:\\WSUS\r\nContent <&> \"q\" 'a'\ttab");
		free(v);
		v = scalar_text(b, "SELECT quote(proxy_user) || quote(proxy_name) FROM configuration c "
				"JOIN server s USING (server_key) WHERE s.name = 'p02-sup1.contoso.com'");
		assert_string_equal(v, "''NULL");	/* empty stays empty, NULL stays NULL */
		free(v);
		v = scalar_text(b, "SELECT proxy_domain || '|' || proxy_user || '|' || "
				"last_config_change FROM configuration c JOIN server s USING "
				"(server_key) WHERE s.name = 'p01-sup2.contoso.com'");
		assert_string_equal(v, "コントソ 𝄞|svc-proxy  |1899-12-31T23:59:59.997Z");
		free(v);
		v = scalar_text(b, "SELECT COUNT(*) || ' ' || MIN(producer) || ' ' || MIN(path) FROM "
				"server_source");
		assert_string_equal(v, "9 susaudit exports/branch-wsus.fabrikam.com.xml");
		free(v);
		v = scalar_text(a, "SELECT COUNT(*) FROM server_source");
		assert_string_equal(v, "0");
		free(v);
		v = scalar_text(b, "SELECT COUNT(*) FROM server_connection");
		assert_string_equal(v, "0");
		free(v);
	}
	/* the reports show each live server's connection; give the imported servers the live
	 * ones' so that everything else can be compared byte for byte */
	{
		char *sql = sqlite3_mprintf("ATTACH %Q AS live", live);

		assert_int_equal(sqlite3_exec(b, sql, NULL, NULL, NULL), SQLITE_OK);
		sqlite3_free(sql);
		assert_int_equal(sqlite3_exec(b,
					      "INSERT INTO server_connection SELECT s.server_key, "
					      "c.tds_version, c.configured_encryption, "
					      "c.login_encrypted, c.session_encrypted, "
					      "c.server_encryption, c.cert_verified, "
					      "c.hostname_checked, c.verified_against, c.auth, "
					      "c.source, c.password_exposed FROM live.server_connection "
					      "c JOIN live.server ls ON ls.server_key = c.server_key "
					      "JOIN server s ON s.name = ls.name",
					      NULL, NULL, NULL),
				 SQLITE_OK);
		assert_int_equal(sqlite3_exec(b, "DETACH live", NULL, NULL, NULL), SQLITE_OK);
	}
	sqlite3_close(a);
	sqlite3_close(b);

	/* every report format, byte for byte */
	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		char *ra = report(live, formats[i]), *rb = report(imported, formats[i]);

		if (strcmp(ra, rb) != 0)
			fail_msg("the %s report differs", formats[i]);
		free(ra);
		free(rb);
	}
	/* `audit HIERARCHY.xml` collects and audits in one go through the same import */
	{
		char *out = path_in("direct.txt");
		char *cmd = xasprintf("'%s' audit '%s' --now " NOW " -o '%s' --quiet", SUSAUDIT_BINARY,
				      hpath, out);
		char *ra = imported_text, *rb;
		int rc = run(cmd);

		assert_true(rc == 0 || rc == 2);
		rb = fixture_read_file(out, NULL);
		assert_non_null(rb);
		ra = mask_collected_line(ra);
		rb = mask_collected_line(rb);
		assert_string_equal(ra, rb);
		free(ra);
		free(rb);
		free(cmd);
		free(out);
	}
	for (i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	free(template);
	free(xml);
	free(hpath);
	free(exports);
	free(live);
	free(imported);
}

static int setup(void **state)
{
	(void)state;
	dir = fixture_temp_dir("roundtrip");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fixture_remove_dir(dir);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_through_exports),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
