/* test_checks_freshness (wid): stale-data fires for old data and keeps quiet for fresh data;
 * a finding comparing two servers read far apart in time says so in its evidence. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "checks_world.h"
#include "evidence.h"

#define K(s) world_key(&w, (s))

/* The world's data were collected at 02:01, an hour before its "now". */
static void test_stale_data_quiet(void **state)
{
	struct world w;

	(void)state;
	world_init(&w);
	world_run(&w, NULL);
	assert_int_equal(world_count(&w, "stale-data"), 0);
	assert_int_equal(world_result(&w, "stale-data")->status, CHECK_PASS);
	/* 24 hours is still fresh; the limit is inclusive */
	world_sql(&w, "UPDATE server SET finished_at = '2026-11-21T03:00:00.000Z' WHERE server_key = %lld",
		  K(W_S01));
	world_run(&w, NULL);
	assert_int_equal(world_count(&w, "stale-data"), 0);
	world_free(&w);
}

static void test_stale_data_fires(void **state)
{
	struct world w;
	const struct finding *f;

	(void)state;
	world_init(&w);
	/* an export collected on its host three days before the audit */
	world_sql(&w, "UPDATE server SET finished_at = '2026-11-19T02:30:00.000Z' WHERE server_key = %lld",
		  K(W_S01));
	world_run(&w, NULL);
	assert_int_equal(world_count(&w, "stale-data"), 1);
	f = world_find(&w, "stale-data", "s01-sup1.contoso.com", 0);
	assert_non_null(f);
	assert_int_equal(f->severity, SEVERITY_WARNING);
	assert_non_null(strstr(f->message, "collected 72 hours before this audit (at 2026-11-19T02:30:00Z)"));
	assert_int_equal(world_ev_int(f, "age_hours"), 72);
	assert_int_equal(world_ev_int(f, "max_data_age_hours"), 24);
	assert_string_equal(world_ev_str(f, "collected_at"), "2026-11-19T02:30:00Z");
	assert_int_equal(world_result(&w, "stale-data")->status, CHECK_FAIL);
	/* --max-data-age moves the limit */
	w.opt.max_data_age_hours = 100;
	world_run(&w, NULL);
	assert_int_equal(world_count(&w, "stale-data"), 0);
	world_free(&w);
}

/* A server without a collection time cannot be evaluated: error, not pass. */
static void test_stale_data_unknown_time(void **state)
{
	struct world w;

	(void)state;
	world_init(&w);
	world_sql(&w, "UPDATE server SET finished_at = NULL WHERE server_key = %lld", K(W_HQ));
	world_run(&w, NULL);
	assert_int_equal(world_count(&w, "stale-data"), 0);
	assert_int_equal(world_result(&w, "stale-data")->status, CHECK_ERROR);
	world_free(&w);
}

static void test_data_apart_in_evidence(void **state)
{
	struct world w;
	const struct finding *f;

	(void)state;
	world_init(&w);
	/* p01-sup2 (a replica) names the wrong port of its upstream p01-sup1 */
	world_sql(&w, "UPDATE configuration SET upstream_port = 80 WHERE server_key = %lld",
		  K(W_P01B));
	world_run(&w, NULL);
	f = world_find(&w, "upstream-port", "p01-sup2.contoso.com", 0);
	assert_non_null(f);
	assert_true(f->nrelated > 0);
	/* read within the hour: nothing said */
	assert_null(evidence_get(f->evidence, "data_apart.hours"));

	/* the upstream's data are two days older than the downstream's */
	world_sql(&w, "UPDATE server SET finished_at = '2026-11-20T01:00:00.000Z' WHERE server_key = %lld",
		  K(W_P01));
	w.opt.max_data_age_hours = 1000;
	world_run(&w, NULL);
	f = world_find(&w, "upstream-port", "p01-sup2.contoso.com", 0);
	assert_non_null(f);
	assert_int_equal(world_ev_int(f, "data_apart.hours"), 49);
	assert_string_equal(world_ev_str(f, "data_apart.server_collected_at"),
			    "2026-11-22T02:01:00Z");
	assert_string_equal(world_ev_str(f, "data_apart.related_collected_at"),
			    "2026-11-20T01:00:00Z");
	assert_non_null(strstr(world_ev_str(f, "data_apart.note"), "synchronization lag"));
	world_free(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stale_data_quiet),
		cmocka_unit_test(test_stale_data_fires),
		cmocka_unit_test(test_stale_data_unknown_time),
		cmocka_unit_test(test_data_apart_in_evidence),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
