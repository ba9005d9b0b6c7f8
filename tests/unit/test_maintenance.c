/* test_maintenance: the maintenance health checks (issue 16) on the checks world (thresholds
 * and their near misses, skipped/error paths, the tier order), and over TDS: a login without
 * VIEW DATABASE STATE (300 then 297) and a SUSDB without vwMinimalUpdate. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "checks_world.h"
#include "collect.h"
#include "fixture_hierarchy.h"
#include "hierarchy.h"
#include "log.h"
#include "model.h"
#include "report.h"
#include "xalloc.h"

static void set_health(struct world *w, int server, const char *table, const char *set)
{
	world_sql(w, "UPDATE %s SET %s WHERE server_key = %lld", table, set, world_key(w, server));
}

static void test_superseded_threshold(void **state)
{
	struct world w;
	const struct finding *f;

	(void)state;
	world_init(&w);
	set_health(&w, W_P01, "health_superseded", "superseded = 1500");
	world_run(&w, "superseded-not-declined");
	assert_int_equal(world_count(&w, "superseded-not-declined"), 0);
	assert_int_equal(world_result(&w, "superseded-not-declined")->status, CHECK_PASS);
	set_health(&w, W_P01, "health_superseded", "superseded = 1501");
	world_sql(&w,
		  "INSERT INTO health_superseded_update VALUES (%lld, '%s', '2019-02-01T00:00:00.000Z',"
		  " 'Old cumulative update', '4480000')",
		  world_key(&w, W_P01), world_update_guid(1));
	world_run(&w, "superseded-not-declined");
	f = world_find(&w, "superseded-not-declined", "p01-sup1.contoso.com", 0);
	assert_non_null(f);
	assert_int_equal(f->severity, SEVERITY_WARNING);
	assert_int_equal(world_ev_int(f, "superseded_not_declined"), 1501);
	assert_int_equal(world_ev_int(f, "threshold"), 1500);
	assert_non_null(strstr(f->message, "1501 superseded updates are not declined"));
	/* P01 is one tier below the CAS, its replicas one more */
	assert_non_null(strstr(f->message, "in tier 1 of 2 below the top"));
	assert_non_null(strstr(f->remedy, "bottom-up"));
	assert_non_null(strstr(f->remedy, "supersedence rules and WSUS maintenance options"));
	{
		const struct evidence *list = evidence_get(f->evidence, "oldest");

		assert_non_null(list);
		assert_int_equal(list->type, EVIDENCE_LIST);
	}
	world_free(&w);
}

static void test_custom_index_first_key_only(void **state)
{
	struct world w;
	const struct finding *f;

	(void)state;
	world_init(&w);
	/* ConfigMgr's own name with the right first key column: counts */
	world_sql(&w,
		  "UPDATE health_index SET index_name = 'IX_CM_Superseded' WHERE server_key = %lld"
		  " AND table_name = 'tbRevisionSupersedesUpdate'",
		  world_key(&w, W_HQ));
	world_run(&w, "custom-indexes");
	assert_int_equal(world_count(&w, "custom-indexes"), 0);
	/* the right name on the wrong first column (SupersededUpdateID second): does not */
	world_sql(&w,
		  "UPDATE health_index SET index_name = 'nclSupercededUpdateID', first_column ="
		  " 'RevisionID' WHERE server_key = %lld AND table_name = 'tbRevisionSupersedesUpdate'",
		  world_key(&w, W_HQ));
	world_run(&w, "custom-indexes");
	f = world_find(&w, "custom-indexes", "hq-wsus.fabrikam.com", 0);
	assert_non_null(f);
	assert_non_null(strstr(f->remedy, "CREATE NONCLUSTERED INDEX [nclSupercededUpdateID] ON "
					  "[dbo].[tbRevisionSupersedesUpdate] ([SupersededUpdateID] "
					  "ASC)"));
	assert_null(strstr(f->remedy, "nclLocalizedPropertyID"));
	/* both missing: both DDLs */
	world_sql(&w, "DELETE FROM health_index WHERE server_key = %lld", world_key(&w, W_HQ));
	world_run(&w, "custom-indexes");
	f = world_find(&w, "custom-indexes", "hq-wsus.fabrikam.com", 0);
	assert_non_null(f);
	assert_non_null(strstr(f->message, "lacks both"));
	assert_non_null(strstr(f->remedy, "nclLocalizedPropertyID"));
	world_free(&w);
}

static void test_fragmentation_thresholds(void **state)
{
	static const struct {
		long long pages, x100;
		int fires;
	} cases[] = {
	    {51, 1501, 1}, {51, 1500, 0}, {50, 7999, 0}, {50, 8000, 0},
	    {11, 8001, 1}, {10, 9999, 0}, {5000, 1600, 1},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct world w;

		world_init(&w);
		world_sql(&w,
			  "INSERT INTO health_fragmentation VALUES (%lld, 'tbXml', 'ixXml', %lld, %lld)",
			  world_key(&w, W_S01), cases[i].pages, cases[i].x100);
		world_run(&w, "index-fragmentation");
		if ((world_count(&w, "index-fragmentation") == 1) != cases[i].fires)
			fail_msg("%lld pages at %lld/100%%: expected %s", cases[i].pages, cases[i].x100,
				 cases[i].fires ? "a finding" : "none");
		world_free(&w);
	}
}

static void test_fragmentation_denied_is_skipped(void **state)
{
	struct world w;
	const struct report_check *rc;
	int i;

	(void)state;
	world_init(&w);
	/* denied on every server: skipped with the reason, never error */
	for (i = 0; i < W_NSERVERS; i++) {
		world_sql(&w, "DELETE FROM health_fragmentation WHERE server_key = %lld",
			  world_key(&w, i));
		world_sql(&w,
			  "INSERT INTO health_unavailable VALUES (%lld, 'index_fragmentation', 'denied',"
			  " 'query ''index_fragmentation'' on ''x'' failed: VIEW DATABASE STATE"
			  " permission denied in database ''SUSDB''. (SQL Server error 300)')",
			  world_key(&w, i));
	}
	world_run(&w, NULL);
	rc = world_result(&w, "index-fragmentation");
	assert_int_equal(rc->status, CHECK_SKIPPED);
	assert_non_null(rc->detail);
	assert_non_null(strstr(rc->detail, "VIEW DATABASE STATE"));
	assert_non_null(strstr(rc->detail, "GRANT VIEW DATABASE STATE TO"));
	/* the others still pass */
	assert_int_equal(world_result(&w, "superseded-not-declined")->status, CHECK_PASS);
	assert_int_equal(world_count(&w, "server-unreachable"), 0);
	world_free(&w);
}

static void test_missing_view_is_error(void **state)
{
	struct world w;
	const struct report_check *rc;

	(void)state;
	world_init(&w);
	world_sql(&w, "DELETE FROM health_superseded WHERE server_key = %lld", world_key(&w, W_BRANCH));
	world_sql(&w,
		  "INSERT INTO health_unavailable VALUES (%lld, 'superseded_count', 'missing',"
		  " 'query ''superseded_count'' on ''branch-wsus.fabrikam.com'' failed: Invalid object"
		  " name ''dbo.vwMinimalUpdate''. (SQL Server error 208)')",
		  world_key(&w, W_BRANCH));
	world_run(&w, NULL);
	rc = world_result(&w, "superseded-not-declined");
	assert_int_equal(rc->status, CHECK_ERROR);
	assert_non_null(strstr(rc->detail, "vwMinimalUpdate"));
	assert_non_null(strstr(rc->detail, "branch-wsus.fabrikam.com"));
	assert_int_equal(world_result(&w, "custom-indexes")->status, CHECK_PASS);
	assert_int_equal(world_result(&w, "database-state")->status, CHECK_PASS);
	world_free(&w);
}

static void test_old_snapshot_is_error(void **state)
{
	struct world w;
	const struct report_check *rc;

	(void)state;
	world_init(&w);
	/* a server collected by a susaudit that did not read maintenance facts */
	world_sql(&w, "DELETE FROM health_superseded WHERE server_key = %lld", world_key(&w, W_HQ));
	world_sql(&w, "DELETE FROM health_database_size WHERE server_key = %lld", world_key(&w, W_HQ));
	world_sql(&w, "DELETE FROM health_database_state WHERE server_key = %lld", world_key(&w, W_HQ));
	world_run(&w, "stale-clients");
	rc = world_result(&w, "stale-clients");
	assert_int_equal(rc->status, CHECK_ERROR);
	assert_non_null(strstr(rc->detail, "no maintenance facts"));
	world_free(&w);
}

static void test_database_size_thresholds(void **state)
{
	struct world w;
	const struct finding *f;

	(void)state;
	world_init(&w);
	world_sql(&w, "UPDATE health_table_rows SET row_count = 1000000 WHERE table_name ="
		      " 'tbEventInstance'");
	/* Express at exactly 80% of 10 GB */
	world_sql(&w, "UPDATE health_database_size SET engine_edition = 4, data_kb = 8388608");
	world_run(&w, "database-size");
	assert_int_equal(world_count(&w, "database-size"), 0);
	set_health(&w, W_WEB, "health_database_size", "data_kb = 8388609");
	world_run(&w, "database-size");
	f = world_find(&w, "database-size", "p01-web.contoso.com", 0);
	assert_non_null(f);
	assert_non_null(strstr(f->message, "SQL Server Express"));
	assert_int_equal(world_count(&w, "database-size"), 1);
	/* Standard edition: no cap */
	world_sql(&w, "UPDATE health_database_size SET engine_edition = 2, data_kb = 99999999");
	world_run(&w, "database-size");
	assert_int_equal(world_count(&w, "database-size"), 0);
	world_free(&w);
}

static void test_stale_clients_share(void **state)
{
	struct world w;
	const struct finding *f;
	long long key;

	(void)state;
	world_init(&w);
	key = world_key(&w, W_HQ);
	world_sql(&w, "DELETE FROM health_client_age WHERE server_key = %lld", key);
	/* 10 clients: 2 stale (one never, one at 15 days), one at exactly 14 days: 20%, quiet */
	world_sql(&w,
		  "INSERT INTO health_client_age VALUES (%lld, 0, 7), (%lld, 14, 1), (%lld, 15, 1),"
		  " (%lld, NULL, 1)",
		  key, key, key, key);
	world_run(&w, "stale-clients");
	assert_int_equal(world_count(&w, "stale-clients"), 0);
	world_sql(&w, "UPDATE health_client_age SET age_days = 15 WHERE server_key = %lld"
		      " AND age_days = 14", key);
	world_run(&w, "stale-clients");
	f = world_find(&w, "stale-clients", "hq-wsus.fabrikam.com", 0);
	assert_non_null(f);
	assert_int_equal(f->severity, SEVERITY_WARNING);
	assert_int_equal(world_ev_int(f, "stale"), 3);
	assert_int_equal(world_ev_int(f, "never_contacted"), 1);
	assert_non_null(strstr(world_ev_str(f, "own_client_rule"), "INFERRED"));
	/* the same on a Configuration Manager SUP: information, and it says why */
	key = world_key(&w, W_S01);
	world_sql(&w, "DELETE FROM health_client_age WHERE server_key = %lld", key);
	world_sql(&w, "INSERT INTO health_client_age VALUES (%lld, 0, 7), (%lld, 30, 3)", key, key);
	world_run(&w, "stale-clients");
	f = world_find(&w, "stale-clients", "s01-sup1.contoso.com", 0);
	assert_non_null(f);
	assert_int_equal(f->severity, SEVERITY_INFO);
	assert_non_null(strstr(f->message, "only meaningful where WSUS client reporting is on"));
	world_free(&w);
}

static void test_database_state(void **state)
{
	struct world w;
	const struct finding *f;

	(void)state;
	world_init(&w);
	set_health(&w, W_CAS, "health_database_state", "owner_name = NULL");
	world_run(&w, "database-state");
	f = world_find(&w, "database-state", "cas-sup1.contoso.com", 0);
	assert_non_null(f);
	assert_int_equal(f->severity, SEVERITY_WARNING);
	assert_non_null(strstr(f->remedy, "ALTER AUTHORIZATION ON DATABASE::[SUSDB]"));
	set_health(&w, W_CAS, "health_database_state", "state = 'EMERGENCY'");
	world_run(&w, "database-state");
	f = world_find(&w, "database-state", "cas-sup1.contoso.com", 0);
	assert_non_null(f);
	assert_int_equal(f->severity, SEVERITY_ERROR);
	assert_non_null(strstr(f->message, "EMERGENCY"));
	world_free(&w);
}

static void test_tier_depths(void **state)
{
	struct world w;
	int depth[W_NSERVERS];

	(void)state;
	world_init(&w);
	world_run(&w, "database-state");
	assert_int_equal(model_health_depths(w.model, depth), 2);
	assert_int_equal(depth[W_CAS], 0);
	assert_int_equal(depth[W_P01], 1);
	assert_int_equal(depth[W_P01B], 2);
	assert_int_equal(depth[W_S01], 2);
	assert_int_equal(depth[W_HQ], 0);
	assert_int_equal(depth[W_BRANCH], 1);
	world_free(&w);
}

/* The maintenance view in the text report: a table where it fits, blocks where it does not, in
 * maintenance order either way. */
static void test_view_text(void **state)
{
	struct world w;
	struct report r;
	struct report_options o;
	struct report_server *servers;
	struct report_maintenance *mv;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	world_init(&w);
	world_run(&w, NULL);
	memset(&r, 0, sizeof(r));
	memset(&o, 0, sizeof(o));
	r.hierarchy = "Contoso";
	model_fill_report_servers(w.model, &w.arena, &servers, &r.nservers);
	r.servers = servers;
	check_maintenance_view(w.model, &w.arena, &mv, &r.nmaintenance);
	r.maintenance = mv;
	assert_int_equal(r.nmaintenance, W_NSERVERS);
	/* deepest first: the replicas and the secondary (tier 2) before P01 and branch (1) */
	assert_int_equal(mv[0].tier, 2);
	assert_int_equal(mv[W_NSERVERS - 1].tier, 0);
	assert_int_equal(mv[0].custom_indexes, 2);
	assert_int_equal(mv[0].superseded, 12);
	assert_int_equal(mv[0].clients, 40);
	assert_int_equal(mv[0].stale_clients, 1);
	o.width = 200;
	f = open_memstream(&buf, &len);
	assert_int_equal(report_write(&r, REPORT_TEXT, &o, f), 0);
	fclose(f);
	assert_non_null(strstr(buf, "  ORDER  TIER  SERVER"));
	free(buf);
	o.width = 80;
	f = open_memstream(&buf, &len);
	assert_int_equal(report_write(&r, REPORT_TEXT, &o, f), 0);
	fclose(f);
	assert_null(strstr(buf, "  ORDER  TIER  SERVER"));
	assert_non_null(strstr(buf, "  1. p01-sup2.contoso.com (tier 2)\n     superseded 12,"));
	free(buf);
	world_free(&w);
}

/* Over TDS: the collector meets SQL Server's answers. */

static void deny_view_state(const char *server, struct tds_server_options *o, void *data)
{
	(void)data;
	if (strcmp(server, "p01-sup2.contoso.com") == 0 || strcmp(server, "hq-wsus.fabrikam.com") == 0) {
		o->fail_pattern = "dm_db_index_physical_stats";
		o->fail_error = 300;
		o->fail_count = 10;
	}
}

struct audit_tds {
	struct model *m;
	struct arena arena;
	struct findings found;
	struct report_check *results;
	char *snapshot;
	struct hierarchy *h;
};

static void audit_over_tds(const char *const *patches, size_t npatches, fixture_tweak_fn tweak,
			   struct audit_tds *a)
{
	struct fixture_hierarchy f;
	struct collect_options co = {4, 0, 1, 50, 0};
	struct collect_summary sum;
	struct check_options o;
	struct check_selection sel = {NULL, 0, NULL, 0};

	a->snapshot = xasprintf("%s/maintenance-%d.db", SUSAUDIT_TEST_TMPDIR, (int)getpid());
	unlink(a->snapshot);
	assert_int_equal(fixture_hierarchy_start("tests/fixtures/clean/hierarchy.xml.in",
						 "tests/fixtures/clean", patches, npatches, tweak, NULL,
						 &f),
			 0);
	assert_int_equal(hierarchy_load(f.xml_path, &a->h), 0);
	assert_int_equal(collect_run(a->h, a->snapshot, &co, &sum), 0);
	assert_int_equal(sum.failed, 0);
	fixture_hierarchy_stop(&f);
	check_options_init(&o);
	assert_int_equal(model_open(a->snapshot, 0, &o, &a->m), 0);
	arena_init(&a->arena);
	findings_init(&a->found, &a->arena);
	a->results = xcalloc(checks_count(), sizeof(*a->results));
	assert_int_equal(checks_run(a->m, &o, &sel, &a->found, a->results), 0);
}

static void audit_free(struct audit_tds *a)
{
	free(a->results);
	arena_release(&a->arena);
	model_free(a->m);
	hierarchy_free(a->h);
	unlink(a->snapshot);
	free(a->snapshot);
}

static const struct report_check *result_of(const struct audit_tds *a, const char *name)
{
	size_t i;

	for (i = 0; i < checks_count(); i++)
		if (strcmp(a->results[i].name, name) == 0)
			return &a->results[i];
	fail_msg("no check '%s'", name);
	return NULL;
}

static void test_tds_without_view_database_state(void **state)
{
	struct audit_tds a;
	const struct report_check *rc;
	const struct model_health_unavailable *u;
	int k;

	(void)state;
	audit_over_tds(NULL, 0, deny_view_state, &a);
	/* the clean hierarchy stays free of findings, and nobody failed */
	if (a.found.count)
		fail_msg("unexpected finding %s on %s: %s", a.found.items[0].check,
			 a.found.items[0].server, a.found.items[0].message);
	k = model_find_server(a.m, "p01-sup2.contoso.com");
	assert_true(k >= 0);
	assert_int_equal(a.m->servers[k].status, MODEL_SERVER_OK);
	u = model_health_unavailable(&a.m->servers[k], "index_fragmentation");
	assert_non_null(u);
	assert_string_equal(u->reason, "denied");
	assert_non_null(strstr(u->error, "SQL Server error 300"));
	/* evaluated on the others, so pass with the reason for the two it skipped */
	rc = result_of(&a, "index-fragmentation");
	assert_int_equal(rc->status, CHECK_PASS);
	assert_non_null(rc->detail);
	assert_non_null(strstr(rc->detail, "GRANT VIEW DATABASE STATE TO [susaudit]"));
	assert_int_equal(result_of(&a, "superseded-not-declined")->status, CHECK_PASS);
	assert_int_equal(result_of(&a, "custom-indexes")->status, CHECK_PASS);
	assert_int_equal(result_of(&a, "database-size")->status, CHECK_PASS);
	assert_int_equal(result_of(&a, "stale-clients")->status, CHECK_PASS);
	assert_int_equal(result_of(&a, "database-state")->status, CHECK_PASS);
	audit_free(&a);
}

static void deny_everywhere(const char *server, struct tds_server_options *o, void *data)
{
	(void)server;
	(void)data;
	o->fail_pattern = "dm_db_index_physical_stats";
	o->fail_error = 300;
	o->fail_count = 10;
}

static void test_tds_denied_everywhere_is_skipped(void **state)
{
	struct audit_tds a;
	const struct report_check *rc;

	(void)state;
	audit_over_tds(NULL, 0, deny_everywhere, &a);
	rc = result_of(&a, "index-fragmentation");
	assert_int_equal(rc->status, CHECK_SKIPPED);
	assert_non_null(strstr(rc->detail, "VIEW DATABASE STATE"));
	assert_int_equal(a.found.count, 0);
	audit_free(&a);
}

static void test_tds_susdb_without_vwminimalupdate(void **state)
{
	static const char *const patches[] = {"tests/fixtures/defects/maintenance-old-susdb.sql"};
	struct audit_tds a;
	const struct report_check *rc;
	size_t i;

	(void)state;
	audit_over_tds(patches, 1, NULL, &a);
	rc = result_of(&a, "superseded-not-declined");
	assert_int_equal(rc->status, CHECK_ERROR);
	assert_non_null(strstr(rc->detail, "branch-wsus.fabrikam.com"));
	assert_non_null(strstr(rc->detail, "vwMinimalUpdate"));
	/* the other checks are unaffected, and so is the server */
	for (i = 0; i < checks_count(); i++)
		if (strcmp(a.results[i].name, "superseded-not-declined") != 0 &&
		    a.results[i].status == CHECK_ERROR)
			fail_msg("'%s' is error: %s", a.results[i].name, a.results[i].detail);
	assert_int_equal(a.found.count, 0);
	audit_free(&a);
}

/* The maintenance queries keep the rules of queries/README.md: a header comment, read-only, no
 * procedural T-SQL, nothing SQL Server 2008 R2 lacks, and a certainty mark for what they rest on. */
static int has_word(const char *code, const char *word)
{
	size_t n = strlen(word);
	const char *p;

	for (p = strstr(code, word); p; p = strstr(p + 1, word)) {
		int before = p == code || !(p[-1] == '_' || (p[-1] >= 'A' && p[-1] <= 'Z') ||
					    (p[-1] >= '0' && p[-1] <= '9'));
		char c = p[n];
		int after = !(c == '_' || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));

		if (before && after)
			return 1;
	}
	return 0;
}

static void test_query_text_rules(void **state)
{
	static const char *const files[] = {
	    "superseded_count.sql", "superseded_oldest.sql", "custom_indexes.sql",
	    "index_fragmentation.sql", "database_size.sql", "table_rows.sql",
	    "stale_clients.sql", "database_state.sql"};
	static const char *const banned[] = {
	    "TOP",    "ISNULL", "LEN",	   "DATEADD", "GETDATE", "GO",	   "DECLARE", "INSERT",
	    "UPDATE", "DELETE", "EXEC",	   "INTO",    "CREATE",	 "SET",	   "BEGIN",   "LIMIT",
	    "IFNULL", "IIF",	"CONCAT",  "TRY_CAST", "FORMAT", "STRING_AGG", "OFFSET", "FETCH",
	    "TRIM",   "EXECUTE", "DROP",   "ALTER",   "GRANT",	 "TRUNCATE", "MERGE"};
	size_t q, b;

	(void)state;
	for (q = 0; q < sizeof(files) / sizeof(files[0]); q++) {
		char *path = xasprintf("%s/queries/%s", SUSAUDIT_SOURCE_DIR, files[q]);
		char *text = fixture_read_file(path, NULL), *code, *p;
		const char *line;

		assert_non_null(text);
		assert_true(strncmp(text, "-- ", 3) == 0);
		if (!strstr(text, "CONFIRMED"))
			fail_msg("%s names no certainty", files[q]);
		code = xstrdup(text);
		for (p = code, line = text; *line;) {
			if (line[0] == '-' && line[1] == '-') {
				while (*line && *line != '\n')
					line++;
			} else {
				*p++ = (char)((*line >= 'a' && *line <= 'z') ? *line - 32 : *line);
				line++;
			}
		}
		*p = '\0';
		assert_true(strncmp(code, "SELECT", 6) == 0 || strstr(code, "\nSELECT") != NULL);
		for (b = 0; b < sizeof(banned) / sizeof(banned[0]); b++)
			if (has_word(code, banned[b]))
				fail_msg("%s uses '%s'", files[q], banned[b]);
		if (strchr(code, ';') || strstr(code, "||"))
			fail_msg("%s is not one plain T-SQL SELECT", files[q]);
		free(code);
		free(text);
		free(path);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_superseded_threshold),
	    cmocka_unit_test(test_custom_index_first_key_only),
	    cmocka_unit_test(test_fragmentation_thresholds),
	    cmocka_unit_test(test_fragmentation_denied_is_skipped),
	    cmocka_unit_test(test_missing_view_is_error),
	    cmocka_unit_test(test_old_snapshot_is_error),
	    cmocka_unit_test(test_database_size_thresholds),
	    cmocka_unit_test(test_stale_clients_share),
	    cmocka_unit_test(test_database_state),
	    cmocka_unit_test(test_tier_depths),
	    cmocka_unit_test(test_view_text),
	    cmocka_unit_test(test_tds_without_view_database_state),
	    cmocka_unit_test(test_tds_denied_everywhere_is_skipped),
	    cmocka_unit_test(test_tds_susdb_without_vwminimalupdate),
	    cmocka_unit_test(test_query_text_rules),
	};

	log_set_level(LOG_LEVEL_ERROR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
