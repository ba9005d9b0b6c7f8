/* test_checks_plan: pre-change validation (--plan): planned model and new/resolved findings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "checks_world.h"

/* A plan: the world's hierarchy with its own copy of the servers (in the world's arena). */
static struct hierarchy plan_of(struct world *w, size_t extra)
{
	struct hierarchy p = w->h;
	size_t i;

	p.servers = arena_alloc(&w->h.arena, (w->h.nservers + extra) * sizeof(*p.servers));
	memcpy(p.servers, w->h.servers, w->h.nservers * sizeof(*p.servers));
	for (i = 0; i < extra; i++)
		p.servers[w->h.nservers + i] = w->h.servers[W_P01B];
	p.nservers = w->h.nservers + extra;
	return p;
}

struct plan_run {
	struct arena arena;
	struct findings current, planned;
	struct report_check *results;
	struct model *pm;
};

static void run_plan(struct world *w, struct hierarchy *plan, struct plan_run *r)
{
	struct check_selection sel = {NULL, 0, NULL, 0};

	world_run(w, NULL);
	arena_init(&r->arena);
	findings_init(&r->current, &r->arena);
	findings_init(&r->planned, &r->arena);
	r->results = calloc(checks_count(), sizeof(*r->results));
	assert_int_equal(checks_run(w->model, &w->opt, &sel, &r->current, r->results), 0);
	assert_int_equal(model_apply_plan(w->model, plan, &r->pm), 0);
	assert_int_equal(checks_run(r->pm, &w->opt, &sel, &r->planned, r->results), 0);
	plan_compare(&r->current, &r->planned);
}

static void plan_run_free(struct plan_run *r)
{
	model_free(r->pm);
	findings_release(&r->current);
	findings_release(&r->planned);
	free(r->results);
	arena_release(&r->arena);
}

static const struct finding *find(const struct findings *f, const char *check, const char *server)
{
	size_t i;

	for (i = 0; i < f->count; i++)
		if (strcmp(f->items[i].check, check) == 0 &&
		    strcmp(f->items[i].server, server) == 0)
			return &f->items[i];
	return NULL;
}

static void test_plan_replica_off_is_new_error(void **state)
{
	struct world w;
	struct hierarchy plan;
	struct plan_run r;
	const struct finding *f;

	(void)state;
	world_init(&w);
	plan = plan_of(&w, 0);
	plan.servers[W_P01B].planned.present = 1;
	plan.servers[W_P01B].planned.replica = 0;
	run_plan(&w, &plan, &r);
	assert_int_equal(r.current.count, 0);
	f = find(&r.planned, "replica-mode", "p01-sup2.contoso.com");
	assert_non_null(f);
	assert_int_equal(f->severity, SEVERITY_ERROR);
	assert_int_equal(f->change, CHANGE_NEW);
	assert_int_equal(r.planned.count, 1);
	plan_run_free(&r);
	world_free(&w);
}

static void test_plan_port_fix_resolves(void **state)
{
	struct world w;
	struct hierarchy plan;
	struct plan_run r;
	const struct finding *f;

	(void)state;
	world_init(&w);
	world_sql(&w, "UPDATE configuration SET upstream_port = 80 WHERE server_key = %lld",
		  world_key(&w, W_P01B));
	/* an unrelated finding stays: unchanged */
	world_sql(&w, "UPDATE configuration SET content_path = '' WHERE server_key = %lld",
		  world_key(&w, W_HQ));
	plan = plan_of(&w, 0);
	plan.servers[W_P01B].planned.present = 1;
	plan.servers[W_P01B].planned.upstream_port = 8530;
	run_plan(&w, &plan, &r);
	assert_non_null(find(&r.current, "upstream-port", "p01-sup2.contoso.com"));
	f = find(&r.planned, "upstream-port", "p01-sup2.contoso.com");
	assert_non_null(f);
	assert_int_equal(f->change, CHANGE_RESOLVED);
	assert_int_equal(evidence_get(f->evidence, "server.ServerPortNumber")->integer, 80);
	f = find(&r.planned, "content-path", "hq-wsus.fabrikam.com");
	assert_non_null(f);
	assert_int_equal(f->change, CHANGE_UNCHANGED);
	assert_int_equal(r.planned.count, 2);
	plan_run_free(&r);
	world_free(&w);
}

static void test_plan_new_server_follows_role(void **state)
{
	struct world w;
	struct hierarchy plan;
	struct plan_run r;
	struct report_server *rs;
	struct arena a;
	size_t n;
	struct server *s;

	(void)state;
	world_init(&w);
	plan = plan_of(&w, 1);
	s = &plan.servers[W_NSERVERS];
	s->name = "p01-sup3.contoso.com";
	s->is_new = 1;
	s->conn.sql = NULL;
	run_plan(&w, &plan, &r);
	if (r.planned.count)
		print_message("unexpected: %s %s\n", r.planned.items[0].check,
			      r.planned.items[0].message);
	assert_int_equal(r.planned.count, 0);
	arena_init(&a);
	model_fill_report_servers(r.pm, &a, &rs, &n);
	assert_int_equal(n, W_NSERVERS + 1);
	assert_true(rs[W_NSERVERS].reachable);
	assert_int_equal(rs[W_NSERVERS].replica, 1);
	assert_string_equal(rs[W_NSERVERS].upstream_name, "p01-sup1.contoso.com");
	assert_int_equal(rs[W_NSERVERS].upstream_port, 8530);
	assert_string_equal(rs[W_NSERVERS].storage, "local");
	assert_int_equal(rs[W_NSERVERS].nlanguages, 2);
	arena_release(&a);
	plan_run_free(&r);
	world_free(&w);
}

/* A downstream moved under a planned new server: the new server has no updates yet, but it
 * gets its catalogue from its own upstream at its first sync; nothing is "missing" there. */
static void test_plan_new_upstream_has_no_missing_updates(void **state)
{
	struct world w;
	struct hierarchy plan;
	struct plan_run r;
	struct server *s;
	const struct report_check *c = NULL;
	size_t i;

	(void)state;
	world_init(&w);
	plan = plan_of(&w, 1);
	s = &plan.servers[W_NSERVERS];
	s->name = "p01-sup3.contoso.com";
	s->is_new = 1;
	s->conn.sql = NULL;
	plan.servers[W_P01B].planned.present = 1;
	plan.servers[W_P01B].planned.upstream = "p01-sup3.contoso.com";
	run_plan(&w, &plan, &r);
	assert_null(find(&r.planned, "missing-upstream-updates", "p01-sup2.contoso.com"));
	/* the move itself is what the plan breaks: the wrong upstream for the role */
	assert_non_null(find(&r.planned, "upstream-server", "p01-sup2.contoso.com"));
	for (i = 0; i < checks_count(); i++)
		if (strcmp(r.results[i].name, "missing-upstream-updates") == 0)
			c = &r.results[i];
	assert_non_null(c);
	assert_int_equal(c->status, CHECK_ERROR);
	assert_non_null(strstr(c->detail, "planned new upstream 'p01-sup3.contoso.com'"));
	plan_run_free(&r);
	world_free(&w);
}

static void test_plan_languages_and_upstream(void **state)
{
	struct world w;
	struct hierarchy plan;
	struct plan_run r;
	const struct finding *f;
	static const char *en[] = {"en"};

	(void)state;
	world_init(&w);
	plan = plan_of(&w, 0);
	/* hq-wsus drops Japanese: its autonomous downstream still enables it */
	plan.servers[W_HQ].planned.present = 1;
	plan.servers[W_HQ].planned.languages = en;
	plan.servers[W_HQ].planned.nlanguages = 1;
	/* s01 moves under the CAS: wrong upstream for a secondary site */
	plan.servers[W_S01].planned.present = 1;
	plan.servers[W_S01].planned.upstream = "cas-sup1.contoso.com";
	plan.servers[W_S01].planned.upstream_port = 8531;
	plan.servers[W_S01].planned.upstream_ssl = 1;
	run_plan(&w, &plan, &r);
	f = find(&r.planned, "language-mismatch", "branch-wsus.fabrikam.com");
	assert_non_null(f);
	assert_int_equal(f->change, CHANGE_NEW);
	f = find(&r.planned, "upstream-server", "s01-sup1.contoso.com");
	assert_non_null(f);
	assert_int_equal(f->change, CHANGE_NEW);
	/* the current model is untouched */
	assert_true(model_language_enabled(&w.model->servers[W_HQ], 1041));
	assert_false(model_language_enabled(&r.pm->servers[W_HQ], 1041));
	assert_int_equal(w.model->servers[W_S01].upstream, W_P01);
	assert_int_equal(w.model->servers[W_P01].downstreams[0].server, W_P01B);
	plan_run_free(&r);
	world_free(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_plan_replica_off_is_new_error),
	    cmocka_unit_test(test_plan_port_fix_resolves),
	    cmocka_unit_test(test_plan_new_server_follows_role),
	    cmocka_unit_test(test_plan_new_upstream_has_no_missing_updates),
	    cmocka_unit_test(test_plan_languages_and_upstream),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
