/* test_model: snapshot -> model, GUIDs and versions, details on demand, bounded memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "checks_world.h"
#include "embedded.h"
#include "log.h"

static void test_guid(void **state)
{
	struct model_guid a, b;
	char buf[37];

	(void)state;
	assert_int_equal(model_guid_parse("a0a08746-4dbe-4a37-9adf-9e7652c0b421", &a), 0);
	model_guid_format(&a, buf);
	assert_string_equal(buf, "A0A08746-4DBE-4A37-9ADF-9E7652C0B421");
	assert_int_equal(model_guid_parse("{A0A08746-4DBE-4A37-9ADF-9E7652C0B421}", &b), 0);
	assert_int_equal(model_guid_compare(&a, &b), 0);
	assert_int_equal(a.b[0], 0xA0);
	assert_int_equal(a.b[15], 0x21);
	assert_int_equal(model_guid_parse("A0A08746-4DBE-4A37-9ADF-9E7652C0B42", &a), -1);
	assert_int_equal(model_guid_parse("A0A08746x4DBE-4A37-9ADF-9E7652C0B421", &a), -1);
	assert_int_equal(model_guid_parse("G0A08746-4DBE-4A37-9ADF-9E7652C0B421", &a), -1);
	assert_int_equal(model_guid_parse(NULL, &a), -1);
	/* byte order is text order */
	assert_int_equal(model_guid_parse("00000001-0000-0000-0000-00000000000F", &a), 0);
	assert_int_equal(model_guid_parse("00000001-0000-0000-0000-000000000010", &b), 0);
	assert_true(model_guid_compare(&a, &b) < 0);
}

static void test_versions_and_times(void **state)
{
	(void)state;
	assert_true(model_version_compare("10.0.17763.1", "10.0.17763.678") < 0);
	assert_true(model_version_compare("10.0.20348.1", "10.0.17763.678") > 0);
	assert_true(model_version_compare("10.0.9999", "10.0.17763") < 0);
	assert_int_equal(model_version_compare("3.2.7600.226", "3.2.7600.226"), 0);
	assert_int_equal(model_version_compare("10.0", "10.0.0"), 0);
	assert_int_equal(model_parse_time("2026-11-22T03:00:00.000Z"), WORLD_NOW);
	assert_int_equal(model_parse_time("2026-11-22 03:00:00"), WORLD_NOW);
	assert_int_equal(model_parse_time("garbage"), 0);
	assert_int_equal(model_parse_time(NULL), 0);
}

static void test_load(void **state)
{
	struct world w;
	const struct model_server *s;
	struct model *m;

	(void)state;
	world_init(&w);
	assert_int_equal(model_from_db(w.db, 0, &w.h, &w.opt, &m), 0);
	assert_int_equal(m->nservers, W_NSERVERS);
	assert_int_equal(m->run_id, 1);
	s = &m->servers[W_P01];
	assert_string_equal(s->name, "p01-sup1.contoso.com");
	assert_int_equal(s->status, MODEL_SERVER_OK);
	assert_int_equal(s->config.sync_to_mu, 0);
	assert_int_equal(s->config.upstream_port, 8531);
	assert_int_equal(s->config.upstream_ssl, 1);
	assert_null(s->config.proxy_user);
	assert_string_equal(s->config.content_path, "D:\\WSUS\\WSUSContent\\");
	assert_int_equal(s->upstream, W_CAS);
	assert_int_equal(s->upstream_match, MODEL_MATCH_EXACT);
	assert_int_equal(s->agg.updates, 8);
	assert_int_equal(s->agg.declined, 1);
	assert_int_equal(s->agg.approvals, 4);
	assert_int_equal(s->agg.approved_updates, 4);
	assert_int_equal(s->agg.pending_approvals, 0);
	assert_int_equal(s->agg.approved_state4, 0);
	assert_int_equal(s->agg.queue_files, 0);
	assert_int_equal(s->nlanguages, 3);
	assert_int_equal(s->languages[0].id, 1031);
	assert_true(model_language_enabled(s, 1041));
	assert_false(model_language_enabled(s, 1031));
	assert_int_equal(s->ncategories, 5);
	assert_int_equal(s->nevents, 2);
	assert_int_equal(s->events[0].event_id, 384);
	assert_int_equal(s->events[0].at, WORLD_NOW - 86400);
	assert_int_equal(s->ndownstreams, 3);
	assert_int_equal(s->downstreams[0].server, W_P01B);
	assert_string_equal(s->wsus_version, "10.0.17763.1");
	assert_non_null(strstr(s->wsus_version_source, "cas-sup1.contoso.com"));
	assert_string_equal(m->servers[W_CAS].wsus_version_source, "hierarchy file wsus-version");
	assert_int_equal(m->servers[W_CAS].upstream, -1);
	assert_int_equal(m->servers[W_P01B].upstream, W_P01);
	model_free(m);
	world_free(&w);
}

static void test_runs(void **state)
{
	struct world w;
	struct model *m;

	(void)state;
	world_init(&w);
	/* an interrupted later run is ignored */
	world_sql(&w, "INSERT INTO run VALUES (2, 'Contoso', '<hierarchy/>', NULL,"
		      " '2026-11-22T04:00:00.000Z', NULL, '0.1.0')");
	world_sql(&w, "INSERT INTO server (run_id, name, status) VALUES (2, 'hq-wsus.fabrikam.com',"
		      " 'failed')");
	assert_int_equal(model_from_db(w.db, 0, &w.h, &w.opt, &m), 0);
	assert_int_equal(m->run_id, 1);
	assert_int_equal(m->servers[W_HQ].status, MODEL_SERVER_OK);
	model_free(m);
	log_set_level(LOG_LEVEL_ERROR);
	assert_int_equal(model_from_db(w.db, 2, &w.h, &w.opt, &m), -1);
	assert_null(m);
	assert_int_equal(model_from_db(w.db, 7, &w.h, &w.opt, &m), -1);
	world_free(&w);
}

static void test_matching(void **state)
{
	struct world w;
	struct model *m;
	enum model_name_match how;

	(void)state;
	world_init(&w);
	assert_int_equal(model_from_db(w.db, 0, &w.h, &w.opt, &m), 0);
	assert_int_equal(model_match_name(m, "P01-SUP1.CONTOSO.COM", &how), W_P01);
	assert_int_equal(how, MODEL_MATCH_EXACT);
	assert_int_equal(model_match_name(m, "p01-sup1", &how), W_P01);
	assert_int_equal(how, MODEL_MATCH_ALIAS);
	assert_int_equal(model_match_name(m, "10.1.0.21", &how), W_P01);
	assert_int_equal(how, MODEL_MATCH_IP);
	assert_int_equal(model_match_name(m, "s01-sup1", &how), W_S01);
	assert_int_equal(how, MODEL_MATCH_NETBIOS);
	assert_int_equal(model_match_name(m, "s01-sup1.other.com", &how), -1);
	assert_int_equal(how, MODEL_MATCH_NONE);
	assert_int_equal(model_match_name(m, "", &how), -1);
	model_free(m);
	world_free(&w);
}

/* A NetBIOS name shared by servers of two domains names the one in the downstream's own
 * domain (that is where it resolves), not the first in the hierarchy file. */
static void test_matching_netbios_domain(void **state)
{
	struct world w;

	(void)state;
	world_init(&w);
	world_sql(&w, "UPDATE server SET name = 's01-sup1.fabrikam.com' WHERE server_key = %lld",
		  world_key(&w, W_HQ));
	w.h.servers[W_HQ].name = "s01-sup1.fabrikam.com";
	world_sql(&w, "UPDATE configuration SET upstream_name = 'S01-SUP1' WHERE server_key = %lld",
		  world_key(&w, W_BRANCH));
	world_run(&w, NULL);
	assert_int_equal(w.model->servers[W_BRANCH].upstream, W_HQ);
	assert_int_equal(w.model->servers[W_BRANCH].upstream_match, MODEL_MATCH_NETBIOS);
	/* matched; R5's naming warning is the only finding (issue 12: every downstream) */
	assert_int_equal(w.findings.count, 1);
	assert_string_equal(w.findings.items[0].check, "upstream-server");
	assert_int_equal(w.findings.items[0].severity, SEVERITY_WARNING);
	/* the server a role expects wins over the domain: p01-sup2 (contoso.com) expected to
	 * sync from s01-sup1.fabrikam.com */
	world_sql(&w, "UPDATE configuration SET upstream_name = 'S01-SUP1' WHERE server_key = %lld",
		  world_key(&w, W_P01B));
	w.h.servers[W_P01B].expected_upstream = W_HQ;
	world_run(&w, NULL);
	assert_int_equal(w.model->servers[W_P01B].upstream, W_HQ);
	world_free(&w);
}

static void test_detail(void **state)
{
	struct world w;
	struct model *m;
	struct server_detail d;
	struct model_guid g;
	struct arena a;
	const char *title, *kb, *type;
	long u;
	size_t i;

	(void)state;
	world_init(&w);
	/* lower-case GUIDs in the data still sort and match */
	world_sql(&w,
		  "UPDATE update_revision SET update_guid = lower(update_guid) WHERE"
		  " server_key = %lld AND update_guid = '%s'",
		  world_key(&w, W_P01), world_update_guid(3));
	world_sql(&w,
		  "UPDATE update_language SET update_guid = lower(update_guid) WHERE"
		  " server_key = %lld AND update_guid = '%s'",
		  world_key(&w, W_P01), world_update_guid(3));
	assert_int_equal(model_from_db(w.db, 0, &w.h, &w.opt, &m), 0);
	assert_int_equal(model_load_detail(m, W_P01, &d), 0);
	assert_int_equal(model_detail_live(), 1);
	assert_int_equal(d.nupdates, 8);
	for (i = 1; i < d.nupdates; i++)
		assert_true(model_guid_compare(&d.updates[i - 1].guid, &d.updates[i].guid) < 0);
	assert_int_equal(model_guid_parse(world_update_guid(6), &g), 0);
	u = detail_find_update(&d, &g);
	assert_int_equal(u, 5);
	arena_init(&a);
	{
		const struct model_category **cats;

		assert_int_equal(detail_update_categories(&d, &m->servers[W_P01], (size_t)u, &a,
							  &cats),
				 2);
		/* update 6: categories 2 and 4 of the world, in guid order */
		assert_string_equal(cats[0]->title, "Office 2016");
		assert_string_equal(cats[1]->title, "Critical Updates");
	}
	arena_release(&a);
	assert_int_equal(d.updates[u].nlangs, 1);
	assert_int_equal(d.languages[d.updates[u].lang_first], 1041);
	assert_int_equal(d.updates[u].nappr, 1);
	assert_string_equal(d.groups[d.approvals[d.updates[u].appr_first].group].name, "Pilot");
	assert_int_equal(d.updates[6].declined, 1);
	assert_int_equal(d.napprovals, 4);
	assert_int_equal(d.ngroups, 2);
	server_detail_release(&d);
	/* approvals of one update for one group come in revision order, whatever the rows' */
	world_sql(&w,
		  "INSERT INTO approval VALUES (%lld, '%s', 201, '"
		  "A0A08746-4DBE-4A37-9ADF-9E7652C0B421', 'All Computers', 0, 1,"
		  " '2026-11-11T00:00:00.000Z', 'CONTOSO\\admin'), (%lld, '%s', 199, '"
		  "A0A08746-4DBE-4A37-9ADF-9E7652C0B421', 'All Computers', 0, 1,"
		  " '2026-10-10T00:00:00.000Z', 'CONTOSO\\admin')",
		  world_key(&w, W_P01), world_update_guid(1), world_key(&w, W_P01),
		  world_update_guid(1));
	assert_int_equal(model_load_detail(m, W_P01, &d), 0);
	assert_int_equal(d.updates[0].nappr, 3);
	assert_int_equal(d.approvals[d.updates[0].appr_first].revision, 199);
	assert_int_equal(d.approvals[d.updates[0].appr_first + 1].revision, 200);
	assert_int_equal(d.approvals[d.updates[0].appr_first + 2].revision, 201);
	assert_int_equal(d.updates[2].nlangs, 1);
	arena_init(&a);
	detail_update_text(&d, (size_t)u, &a, &title, &kb, &type);
	assert_string_equal(title, "Update 6 for Windows Server 2019");
	assert_string_equal(kb, "5000006");
	assert_string_equal(type, "Software");
	arena_release(&a);
	server_detail_release(&d);
	assert_int_equal(model_detail_live(), 0);
	model_free(m);
	world_free(&w);
}

static void test_report_servers(void **state)
{
	struct world w;
	struct model *m;
	struct report_server *rs;
	struct arena a;
	size_t n;

	(void)state;
	world_init(&w);
	world_sql(&w,
		  "UPDATE server SET status = 'failed', error = 'timeout' WHERE server_key = %lld",
		  world_key(&w, W_S01));
	assert_int_equal(model_from_db(w.db, 0, &w.h, &w.opt, &m), 0);
	arena_init(&a);
	model_fill_report_servers(m, &a, &rs, &n);
	assert_int_equal(n, W_NSERVERS);
	assert_string_equal(rs[W_P01B].role, "site-other");
	assert_string_equal(rs[W_P01B].site, "P01");
	assert_string_equal(rs[W_P01B].sync_source, "upstream");
	assert_string_equal(rs[W_P01B].upstream_name, "p01-sup1.contoso.com");
	assert_int_equal(rs[W_P01B].upstream_index, W_P01);
	assert_int_equal(rs[W_P01B].replica, 1);
	assert_string_equal(rs[W_P01B].storage, "local");
	assert_int_equal(rs[W_P01B].nlanguages, 2);
	assert_int_equal(rs[W_P01B].updates, 8);
	assert_int_equal(rs[W_P01B].approvals, 4);
	assert_string_equal(rs[W_CAS].sync_source, "microsoft-update");
	assert_null(rs[W_CAS].upstream_name);
	assert_null(rs[W_HQ].site);
	assert_string_equal(rs[W_HQ].role, "standalone");
	assert_false(rs[W_S01].reachable);
	assert_string_equal(rs[W_S01].error, "timeout");
	assert_int_equal(rs[W_S01].updates, -1);
	arena_release(&a);
	model_free(m);
	world_free(&w);
}

/* Servers with the same categories share one array and one copy of each title (the servers of
 * a hierarchy share a catalogue: 200 servers must not cost 200 copies); a server whose
 * categories differ in a single subscription gets its own array, still with the shared titles. */
static void test_shared_categories(void **state)
{
	struct world w;
	const struct model_server *a, *b, *c;
	struct model *m;
	size_t i;

	(void)state;
	world_init(&w);
	world_sql(&w, "UPDATE category SET subscribed = 0 WHERE server_key = %lld AND title = "
		      "'Office 2016'",
		  w.keys[W_S01]);
	assert_int_equal(model_from_db(w.db, 0, &w.h, &w.opt, &m), 0);
	a = &m->servers[W_P01];
	b = &m->servers[W_P01B];
	c = &m->servers[W_S01];
	assert_int_equal(a->ncategories, 5);
	assert_ptr_equal(a->categories, b->categories);
	assert_ptr_not_equal(a->categories, c->categories);
	assert_int_equal(c->ncategories, 5);
	for (i = 0; i < c->ncategories; i++) {
		assert_ptr_equal(c->categories[i].title, a->categories[i].title);
		assert_int_equal(c->categories[i].subscribed,
				 strcmp(a->categories[i].title, "Office 2016") == 0
				     ? 0
				     : a->categories[i].subscribed);
	}
	assert_string_equal(model_category_find(b, &a->categories[0].guid)->title,
			    a->categories[0].title);
	model_free(m);
	world_free(&w);
}

static void test_intern(void **state)
{
	struct arena a;
	struct intern t;
	const char *x, *y;
	char buf[16];
	int i;

	(void)state;
	arena_init(&a);
	intern_init(&t, &a);
	assert_null(intern_str(&t, NULL));
	x = intern_str(&t, "Security Updates");
	assert_ptr_equal(intern_str(&t, "Security Updates"), x);
	assert_ptr_equal(intern_strn(&t, "Security Updates and more", 16), x);
	y = intern_strn(&t, "Security", 8);
	assert_string_equal(y, "Security");
	assert_ptr_not_equal(x, y);
	assert_ptr_equal(intern_str(&t, ""), intern_strn(&t, "abc", 0));
	/* growth keeps every string findable */
	for (i = 0; i < 1000; i++) {
		snprintf(buf, sizeof(buf), "KB%d", i);
		intern_str(&t, buf);
	}
	assert_int_equal(t.n, 1003);
	for (i = 0; i < 1000; i++) {
		snprintf(buf, sizeof(buf), "KB%d", i);
		assert_string_equal(intern_str(&t, buf), buf);
	}
	assert_int_equal(t.n, 1003);
	assert_ptr_equal(intern_str(&t, "Security Updates"), x);
	intern_free(&t);
	arena_release(&a);
}

/* The runner never holds more than one upstream and one downstream detail. */
static void test_runner_memory_bound(void **state)
{
	struct world w;

	(void)state;
	world_init(&w);
	world_run(&w, NULL);
	model_detail_reset_peak();
	world_run(&w, NULL);
	assert_int_equal(model_detail_live(), 0);
	assert_true(model_detail_peak() <= 2);
	assert_int_equal(model_detail_peak(), 2);
	world_free(&w);
}

static void test_model_open(void **state)
{
	static const char xml[] =
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<hierarchy xmlns=\"urn:susaudit:hierarchy:1\" name=\"Fabrikam\">\n"
	    "  <server name=\"hq-wsus.fabrikam.com\" port=\"8530\" sql=\"hq-sql.fabrikam.com\"/>\n"
	    "</hierarchy>\n";
	char path[512];
	sqlite3 *db;
	sqlite3_stmt *st;
	struct model *m;

	(void)state;
	snprintf(path, sizeof(path), "%s/test_model_open_%d.db", SUSAUDIT_TEST_TMPDIR,
		 (int)getpid());
	unlink(path);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(
	    sqlite3_exec(db, embedded_text(EMBED_MODEL_SNAPSHOT_SQL), NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(
	    sqlite3_exec(db, embedded_text(EMBED_MODEL_SNAPSHOT_V1_SQL), NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(
	    sqlite3_prepare_v2(db,
			       "INSERT INTO run VALUES (1, 'Fabrikam', ?1, NULL,"
			       " '2026-11-22T02:00:00.000Z', '2026-11-22T02:01:00.000Z',"
			       " '0.1.0')",
			       -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_text(st, 1, xml, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_exec(db,
				      "INSERT INTO server (run_id, name, status, error) VALUES (1,"
				      " 'hq-wsus.fabrikam.com', 'failed', 'login failed')",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(model_open(path, 0, NULL, &m), 0);
	assert_int_equal(m->nservers, 1);
	assert_string_equal(m->h->name, "Fabrikam");
	assert_int_equal(m->servers[0].status, MODEL_SERVER_FAILED);
	assert_string_equal(m->servers[0].error, "login failed");
	model_free(m);
	unlink(path);
	log_set_level(LOG_LEVEL_ERROR);
	assert_int_equal(model_open("/nonexistent/snapshot.db", 0, NULL, &m), -1);
	assert_null(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_guid),
	    cmocka_unit_test(test_versions_and_times),
	    cmocka_unit_test(test_load),
	    cmocka_unit_test(test_runs),
	    cmocka_unit_test(test_matching),
	    cmocka_unit_test(test_matching_netbios_domain),
	    cmocka_unit_test(test_detail),
	    cmocka_unit_test(test_report_servers),
	    cmocka_unit_test(test_runner_memory_bound),
	    cmocka_unit_test(test_shared_categories),
	    cmocka_unit_test(test_intern),
	    cmocka_unit_test(test_model_open),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
