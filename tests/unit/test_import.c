/* test_import (wid): the hierarchy's export attribute, and collect with imported servers: a bad
 * export fails only its server, with its message, and the sql="wid" finding says how to collect
 * that server offline. No TDS server: nothing here connects. */
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
#include <unistd.h>

#include "check.h"
#include "collect.h"
#include "finding.h"
#include "fixture_dir.h"
#include "hierarchy.h"
#include "log.h"
#include "model.h"
#include "xalloc.h"

#define DEMO_EXPORT SUSAUDIT_SOURCE_DIR "/tests/fixtures/demo/s01-sup1.contoso.com.xml"

static char *dir;

static char *write_file(const char *name, const char *text, size_t len)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(text, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
	return path;
}

static char *read_file(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	buf = xmalloc((size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	buf[n] = '\0';
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

static char *errors;

static void capture(enum log_level level, const char *msg, void *data)
{
	char *t;

	(void)data;
	if (level != LOG_LEVEL_ERROR)
		return;
	t = xasprintf("%s%s\n", errors ? errors : "", msg);
	free(errors);
	errors = t;
}

static int load_text(const char *xml, struct hierarchy **h)
{
	char *path = write_file("h.xml", xml, strlen(xml));
	int rc = hierarchy_load(path, h);

	free(path);
	return rc;
}

static void test_export_attribute(void **state)
{
	struct hierarchy *h = NULL;
	char *p;

	(void)state;
	assert_int_equal(load_text("<hierarchy xmlns=\"urn:susaudit:hierarchy:1\" name=\"T\">"
				   "<defaults sql=\"db.contoso.com\"/>"
				   "<server name=\"a.contoso.com\" port=\"8530\" export=\"in/a.xml\"/>"
				   "<server name=\"b.contoso.com\" port=\"8530\" export=\"/srv/b.xml\"/>"
				   "<server name=\"c.contoso.com\" port=\"8530\"/>"
				   "</hierarchy>",
				   &h),
			 0);
	assert_string_equal(h->servers[0].export_path, "in/a.xml");
	assert_null(h->servers[2].export_path);
	/* an imported server is never connected to, whatever <defaults> says */
	assert_null(h->servers[0].conn.sql);
	assert_string_equal(h->servers[2].conn.sql, "db.contoso.com");
	/* relative to the hierarchy file's folder; absolute as given */
	p = hierarchy_export_path(h, &h->servers[0]);
	{
		char *want = xasprintf("%s/in/a.xml", dir);

		assert_string_equal(p, want);
		free(want);
	}
	free(p);
	p = hierarchy_export_path(h, &h->servers[1]);
	assert_string_equal(p, "/srv/b.xml");
	free(p);
	assert_null(hierarchy_export_path(h, &h->servers[2]));
	assert_int_equal(hierarchy_check_collectable(h), 0);
	hierarchy_free(h);

	/* an export server needs no sql */
	assert_int_equal(load_text("<hierarchy xmlns=\"urn:susaudit:hierarchy:1\" name=\"T\">"
				   "<server name=\"a.contoso.com\" port=\"8530\" export=\"a.xml\"/>"
				   "</hierarchy>",
				   &h),
			 0);
	assert_int_equal(h->servers[0].is_new, 0);
	assert_int_equal(hierarchy_check_collectable(h), 0);
	hierarchy_free(h);

	/* both on one server: refused, saying why */
	log_set_sink(capture, NULL);
	assert_int_equal(load_text("<hierarchy xmlns=\"urn:susaudit:hierarchy:1\" name=\"T\">"
				   "<server name=\"a.contoso.com\" port=\"8530\" sql=\"db\" "
				   "export=\"a.xml\"/></hierarchy>",
				   &h),
			 -1);
	log_set_sink(NULL, NULL);
	assert_non_null(errors);
	assert_non_null(strstr(errors, "sql and export are both given: choose one"));
	free(errors);
	errors = NULL;
	log_set_sink(capture, NULL);
	assert_int_equal(load_text("<hierarchy xmlns=\"urn:susaudit:hierarchy:1\" name=\"T\">"
				   "<server name=\"a.contoso.com\" port=\"8530\" export=\"\"/>"
				   "</hierarchy>",
				   &h),
			 -1);
	log_set_sink(NULL, NULL);
	free(errors);
	errors = NULL;
}

static const struct finding *find(const struct findings *f, const char *check, const char *server)
{
	size_t i;

	for (i = 0; i < f->count; i++)
		if (strcmp(f->items[i].check, check) == 0 && f->items[i].server &&
		    strcmp(f->items[i].server, server) == 0)
			return &f->items[i];
	return NULL;
}

/* Three standalone servers: one imported, one from a truncated export, one on WID. */
static void test_collect_imports(void **state)
{
	struct collect_options o = {2, 0, 0, 10, 0};
	struct collect_summary sum;
	struct hierarchy *h = NULL;
	struct check_options co;
	struct check_selection sel = {NULL, 0, NULL, 0};
	struct report_check *results = xcalloc(checks_count(), sizeof(*results));
	struct findings found;
	struct arena arena;
	struct model *m;
	const struct finding *f;
	size_t len;
	char *good = read_file(DEMO_EXPORT, &len);
	char *cut = write_file("cut.xml", good, len / 3);
	char *snap = xasprintf("%s/snap.db", dir), *xml;
	sqlite3 *db;
	sqlite3_stmt *st;

	(void)state;
	xml = xasprintf("<hierarchy xmlns=\"urn:susaudit:hierarchy:1\" name=\"T\">"
			"<server name=\"s01-sup1.contoso.com\" port=\"8530\" export=\"%s\"/>"
			"<server name=\"other.contoso.com\" port=\"8530\" export=\"cut.xml\"/>"
			"<server name=\"wid.contoso.com\" port=\"8530\" sql=\"wid\"/>"
			"</hierarchy>",
			DEMO_EXPORT);
	assert_int_equal(load_text(xml, &h), 0);
	log_set_level(LOG_LEVEL_ERROR);
	assert_int_equal(collect_run(h, snap, &o, &sum), 0);
	assert_int_equal(sum.servers, 3);
	assert_int_equal(sum.failed, 2);	/* only the bad export and the WID server */
	assert_true(sum.rows > 100);

	assert_int_equal(sqlite3_open(snap, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT name, status, error, started_at FROM server "
					    "ORDER BY name", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "other.contoso.com");
	assert_string_equal((const char *)sqlite3_column_text(st, 1), "failed");
	assert_non_null(strstr((const char *)sqlite3_column_text(st, 2), "truncated"));
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 1), "ok");
	/* its collection time is the export's */
	assert_string_equal((const char *)sqlite3_column_text(st, 3), "2026-11-25T06:00:00.000Z");
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 1), "failed");
	sqlite3_finalize(st);
	sqlite3_close(db);

	check_options_init(&co);
	assert_int_equal(model_open(snap, 0, &co, &m), 0);
	arena_init(&arena);
	findings_init(&found, &arena);
	assert_int_equal(checks_run(m, &co, &sel, &found, results), 0);
	f = find(&found, "server-unreachable", "wid.contoso.com");
	assert_non_null(f);
	assert_non_null(strstr(f->remedy, "1. copy susaudit-collect.ps1"));
	assert_non_null(strstr(f->remedy, "Run as administrator"));
	assert_non_null(strstr(f->remedy, "replace sql=\"wid\" by export="));
	assert_non_null(strstr(f->remedy, "5. audit again"));
	f = find(&found, "server-unreachable", "other.contoso.com");
	assert_non_null(f);
	assert_non_null(strstr(f->message, "its export file could not be imported"));
	assert_non_null(strstr(f->remedy, "susaudit-collect.ps1"));
	f = find(&found, "stale-data", "s01-sup1.contoso.com");
	assert_non_null(f);
	assert_null(find(&found, "server-unreachable", "s01-sup1.contoso.com"));
	findings_release(&found);
	arena_release(&arena);
	model_free(m);
	hierarchy_free(h);
	free(results);
	free(xml);
	free(snap);
	free(cut);
	free(good);
}

static int setup(void **state)
{
	(void)state;
	dir = fixture_temp_dir("import");
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
		cmocka_unit_test(test_export_attribute),
		cmocka_unit_test(test_collect_imports),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
