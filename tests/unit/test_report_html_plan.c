/* test_report_html_plan: what the HTML report shows of a plan and of servers it could not
 * read: a planned new server is marked as planned (not "reachable yes"), a server the plan
 * moves is drawn under its new upstream, an unreachable server gets the dashed link from the
 * upstream its role requires whatever its role, and lists of like objects in evidence become
 * tables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "evidence.h"
#include "finding.h"
#include "report.h"
#include "test_report_support.h"

enum { NS = 5 };

struct world {
	struct arena arena;
	struct findings findings;
	struct report_server servers[NS];
	struct report report;
};

static void server(struct report_server *s, const char *name, const char *site, const char *role,
		   int reachable, int upstream_index, const char *expected)
{
	memset(s, 0, sizeof(*s));
	s->name = name;
	s->site = site;
	s->role = role;
	s->reachable = reachable;
	s->sync_source = reachable ? (upstream_index < 0 ? "microsoft-update" : "upstream") : NULL;
	s->upstream_name = upstream_index >= 0 ? "x" : NULL;
	s->upstream_index = upstream_index;
	s->upstream_port = s->upstream_ssl = -1;
	s->replica = reachable ? 0 : -1;
	s->updates = s->approvals = -1;
	s->bits_foreground = -1;
	s->expected_upstream = expected;
}

static void world_init(struct world *w)
{
	struct finding *f;
	struct evidence *list, *item;
	int i;

	memset(w, 0, sizeof(*w));
	arena_init(&w->arena);
	findings_init(&w->findings, &w->arena);
	server(&w->servers[0], "cas.contoso.com", "CAS", "top", 1, -1, NULL);
	/* unreachable first SUP of a primary: its role requires the CAS SUP */
	server(&w->servers[1], "p01.contoso.com", "P01", "site-first", 0, -1, "cas.contoso.com");
	server(&w->servers[2], "p02.contoso.com", "P02", "site-first", 1, 0, "cas.contoso.com");
	/* moved by the plan from under p02 (today's upstream) to under cas */
	server(&w->servers[3], "mover.contoso.com", "P02", "site-first", 1, 2, "cas.contoso.com");
	w->servers[3].planned = "moved";
	/* new: nothing read */
	server(&w->servers[4], "new.contoso.com", "P02", "site-other", 1, 2, "p02.contoso.com");
	w->servers[4].planned = "new";
	f = findings_add(&w->findings, "missing-upstream-updates", "R7", SEVERITY_ERROR,
			 "p02.contoso.com", NULL, 0, "needs 2 updates", "remedy");
	list = evidence_list(&w->arena);
	for (i = 0; i < 2; i++) {
		item = evidence_object(&w->arena);
		evidence_set_string(&w->arena, item, "kb", i ? "KB2" : "KB1");
		evidence_set_string(&w->arena, item, "title", i ? "Second <update>" : "First");
		evidence_set_int(&w->arena, item, "state", 4);
		evidence_append(&w->arena, list, item);
	}
	evidence_set(&w->arena, f->evidence, "updates", list);
	w->report.hierarchy = "Plan";
	w->report.tool_version = "t";
	w->report.servers = w->servers;
	w->report.nservers = NS;
	w->report.findings = w->findings.items;
	w->report.nfindings = w->findings.count;
	w->report.planned = 1;
	w->report.with_change = 1;
}

static char *html(struct world *w)
{
	char *out;
	size_t len;

	assert_int_equal(report_render(&w->report, REPORT_HTML, NULL, &out, &len), 0);
	return out;
}

/* The x of the centre of the box of `name` in the diagram. */
static int box_centre(const char *page, const char *name)
{
	char key[160];
	const char *p;
	int x = -1;

	snprintf(key, sizeof(key), "<title>%s", name);
	p = strstr(page, key);
	assert_non_null(p);
	p = strstr(p, "<rect x=\"");
	assert_non_null(p);
	assert_int_equal(sscanf(p, "<rect x=\"%d\"", &x), 1);
	return x + 100;
}

static void test_planned_servers_marked(void **state)
{
	struct world w;
	char *page;

	(void)state;
	world_init(&w);
	page = html(&w);
	assert_non_null(strstr(page, "<td class=\"planned\">planned: new server"));
	assert_non_null(strstr(page, "(planned: moved)"));
	assert_non_null(strstr(page, ">planned: new server</text>"));
	assert_non_null(strstr(page, "node server ok planned"));
	{
		/* kept for a look in a browser (build/tests/tmp/plan-report.html) */
		FILE *f = fopen(SUSAUDIT_TEST_TMPDIR "/plan-report.html", "w");

		if (f) {
			fputs(page, f);
			fclose(f);
		}
	}
	free(page);
	findings_release(&w.findings);
	arena_release(&w.arena);
}

/* The link into the moved server starts below the CAS box, not below p02's. */
static void test_moved_server_under_new_upstream(void **state)
{
	struct world w;
	char *page, want[64];

	(void)state;
	world_init(&w);
	page = html(&w);
	snprintf(want, sizeof(want), "d=\"M%d 196 C%d", box_centre(page, "cas.contoso.com"),
		 box_centre(page, "cas.contoso.com"));
	{
		/* every link out of the CAS box: one of them ends at the mover */
		const char *p = page;
		int mover = box_centre(page, "mover.contoso.com"), found = 0;

		while ((p = strstr(p, want)) != NULL) {
			int a, b, c, d, e, f, g, h;

			if (sscanf(p, "d=\"M%d %d C%d %d, %d %d, %d %d", &a, &b, &c, &d, &e, &f, &g,
				   &h) == 8 &&
			    g == mover)
				found = 1;
			p++;
		}
		assert_true(found);
	}
	free(page);
	findings_release(&w.findings);
	arena_release(&w.arena);
}

/* An unreachable first SUP of a primary: the dashed link from the CAS SUP its role requires. */
static void test_guide_for_every_role(void **state)
{
	struct world w;
	char *page;

	(void)state;
	world_init(&w);
	page = html(&w);
	assert_non_null(strstr(page, "<path class=\"link guide\""));
	assert_non_null(strstr(page, "<title>upstream not read; its role requires cas.contoso.com"));
	free(page);
	findings_release(&w.findings);
	arena_release(&w.arena);
}

static void test_evidence_list_of_objects_is_a_table(void **state)
{
	struct world w;
	char *page, *t;

	(void)state;
	world_init(&w);
	page = html(&w);
	t = strstr(page, "<table class=\"ev-table\"><tr><th>kb</th><th>title</th><th>state</th>");
	assert_non_null(t);
	assert_non_null(strstr(t, "Second &lt;update&gt;"));
	free(page);
	findings_release(&w.findings);
	arena_release(&w.arena);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_planned_servers_marked),
	    cmocka_unit_test(test_moved_server_under_new_upstream),
	    cmocka_unit_test(test_guide_for_every_role),
	    cmocka_unit_test(test_evidence_list_of_objects_is_a_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
