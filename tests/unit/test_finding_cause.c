/* test_finding_cause: one cause, one story. A language change explains the inactive approvals
 * and the replicas' drift it causes; the reports show them under it and JSON links them. */
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

#include "arena.h"
#include "evidence.h"
#include "finding.h"
#include "finding_cause.h"
#include "fixture_hierarchy.h"
#include "run_binary.h"
#include "report.h"
#include "xalloc.h"

static struct finding *add(struct findings *f, const char *check, const char *server,
			   const char *related)
{
	const char *rel[1] = {related};

	return findings_add(f, check, "R8", SEVERITY_WARNING, server, related ? rel : NULL,
			    related ? 1 : 0, "m", "r");
}

static const char *id_of(const struct finding *f, char buf[FINDING_ID_SIZE])
{
	finding_id(f, buf);
	return buf;
}

static void test_language_change_explains(void **state)
{
	struct arena a;
	struct findings f;
	struct finding *change;
	char id[FINDING_ID_SIZE];

	(void)state;
	arena_init(&a);
	findings_init(&f, &a);
	change = add(&f, "language-mismatch", "up", NULL);
	evidence_set(&a, change->evidence, "removed", evidence_list(&a));
	add(&f, "inactive-approvals", "up", NULL);		  /* 1: on the server */
	add(&f, "inactive-approvals", "replica", "up");		  /* 2: judged by its languages */
	add(&f, "approval-drift", "replica", "up");		  /* 3: its replica drifts */
	add(&f, "approval-drift", "other", "elsewhere");	  /* 4: another story */
	add(&f, "language-mismatch", "auto", "up");		  /* 5: a mismatch, not a change */
	finding_causes_link(&f);
	id_of(&f.items[0], id);
	assert_null(f.items[0].cause);
	assert_string_equal(f.items[1].cause, id);
	assert_string_equal(f.items[2].cause, id);
	assert_string_equal(f.items[3].cause, id);
	assert_null(f.items[4].cause);
	assert_null(f.items[5].cause);
	assert_true(finding_shown_under_cause(f.items, f.count, &f.items[3]));
	assert_false(finding_shown_under_cause(f.items, f.count, &f.items[0]));
	{
		/* the text and HTML reports show the three under the change, once each */
		struct report r;
		char *out = NULL, *under;
		size_t len = 0;
		FILE *mem;

		memset(&r, 0, sizeof(r));
		r.hierarchy = "H";
		r.findings = f.items;
		r.nfindings = f.count;
		mem = open_memstream(&out, &len);
		assert_int_equal(report_write(&r, REPORT_TEXT, NULL, mem), 0);
		fclose(mem);
		under = strstr(out, "    the same cause explains:\n");
		assert_non_null(under);
		assert_non_null(strstr(under, "      * warning approval-drift on replica (R8"));
		assert_non_null(strstr(under, "      * warning inactive-approvals on up (R8"));
		/* not again in their own place: the replica has no group of its own */
		assert_null(strstr(out, "\nreplica\n"));
		assert_non_null(strstr(out, "\nother\n  * warning approval-drift (R8"));
		free(out);
		mem = open_memstream(&out, &len);
		assert_int_equal(report_write(&r, REPORT_HTML, NULL, mem), 0);
		fclose(mem);
		under = strstr(out, "<div class=\"caused\">");
		assert_non_null(under);
		assert_non_null(strstr(under, "data-server=\"replica\""));
		free(out);
		mem = open_memstream(&out, &len);
		assert_int_equal(report_write(&r, REPORT_JSON, NULL, mem), 0);
		fclose(mem);
		assert_non_null(strstr(out, "\"cause\": null"));
		assert_non_null(strstr(out, id));
		free(out);
	}
	findings_release(&f);
	arena_release(&a);
}

/* Without a stored audit there is no language change: the upstream's own inactive approvals
 * explain its replicas' drift. A suppressed finding explains nothing. */
static void test_inactive_explains_drift_and_suppressed_nothing(void **state)
{
	struct arena a;
	struct findings f;
	char id[FINDING_ID_SIZE];

	(void)state;
	arena_init(&a);
	findings_init(&f, &a);
	add(&f, "inactive-approvals", "up", NULL);
	add(&f, "approval-drift", "replica", "up");
	finding_causes_link(&f);
	assert_string_equal(f.items[1].cause, id_of(&f.items[0], id));
	f.items[1].cause = NULL;
	f.items[0].suppressed = 1;
	finding_causes_link(&f);
	assert_null(f.items[1].cause);
	findings_release(&f);
	arena_release(&a);
}

/* `susaudit ARGS`, stderr discarded */
#define run(status, ...) run_binary(SUSAUDIT_BINARY, status, 0, __VA_ARGS__)

/* The case through the binary: a clean audit into a store, then p01-sup1 disables
 * Japanese after Japanese updates were approved. The language change is the one finding in
 * its place; the inactive approvals it causes follow it, linked by "cause" in JSON. */
static void test_one_story_through_the_binary(void **state)
{
	static const char *const patch[] = {"tests/fixtures/defects/inactive-approvals-fire.sql"};
	struct fixture_hierarchy clean, changed;
	char *store = xasprintf("%s/cause-%d.db", SUSAUDIT_TEST_TMPDIR, (int)getpid());
	char *out, *p, *change_id = NULL;
	int status, linked = 0;

	(void)state;
	unlink(store);
	assert_int_equal(fixture_hierarchy_start("tests/fixtures/clean/hierarchy.xml.in",
						 "tests/fixtures/clean", NULL, 0, NULL, NULL, &clean),
			 0);
	out = run(&status, "audit '%s' --skip last-sync --store '%s' --now 2026-11-20T03:00:00Z",
		  clean.xml_path, store);
	assert_int_equal(status, 0);
	free(out);
	fixture_hierarchy_stop(&clean);
	assert_int_equal(fixture_hierarchy_start("tests/fixtures/clean/hierarchy.xml.in",
						 "tests/fixtures/clean", patch, 1, NULL, NULL,
						 &changed),
			 0);
	out = run(&status,
		  "audit '%s' --skip last-sync --store '%s' --now 2026-11-21T03:00:00Z --format json",
		  changed.xml_path, store);
	assert_int_equal(status, 2);
	/* the change's id, then every inactive-approvals finding names it as its cause */
	p = strstr(out, "enabled languages changed since the last stored audit");
	assert_non_null(p);
	while (p > out && strncmp(p, "\"id\": \"", 7) != 0)
		p--;
	change_id = xstrndup(p + 7, 12);
	for (p = strstr(out, "\"check\": \"inactive-approvals\""); p;
	     p = strstr(p + 1, "\"check\": \"inactive-approvals\"")) {
		char *want = xasprintf("\"cause\": \"%s\"", change_id), *end = strstr(p, "\n    }");

		assert_non_null(end);
		assert_non_null(strstr(p, want));
		assert_true(strstr(p, want) < end);
		linked++;
		free(want);
	}
	assert_true(linked >= 1);
	free(out);
	out = run(&status, "audit --snapshot '%s' --skip last-sync --now 2026-11-21T03:00:00Z",
		  store);
	free(out);
	fixture_hierarchy_stop(&changed);
	unlink(store);
	free(store);
	free(change_id);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_language_change_explains),
	    cmocka_unit_test(test_inactive_explains_drift_and_suppressed_nothing),
	    cmocka_unit_test(test_one_story_through_the_binary),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
