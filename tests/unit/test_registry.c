/* test_registry: the check table's invariants and `susaudit checks` output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "check.h"
#include "report_writers.h"

/* The catalogue of INTERFACE.md, in its order: names, rules and severities are fixed. */
static const struct {
	const char *name, *rule;
	enum severity severity;
} catalogue[] = {
    {"server-unreachable", "-", SEVERITY_ERROR},
    {"schema-unsupported", "-", SEVERITY_ERROR},
    {"sync-source", "R1, R2", SEVERITY_ERROR},
    {"upstream-server", "R2, R3, R5", SEVERITY_ERROR},
    {"upstream-unknown", "R5", SEVERITY_WARNING},
    {"upstream-port", "R3", SEVERITY_ERROR},
    {"upstream-ssl", "R3", SEVERITY_ERROR},
    {"replica-mode", "R4", SEVERITY_ERROR},
    {"upstream-cycle", "-", SEVERITY_ERROR},
    {"version-order", "-", SEVERITY_WARNING},
    {"storage-option", "R6", SEVERITY_WARNING},
    {"missing-upstream-updates", "R7", SEVERITY_ERROR},
    {"approval-drift", "R8", SEVERITY_WARNING},
    {"language-mismatch", "R8", SEVERITY_WARNING},
    {"inactive-approvals", "R8", SEVERITY_WARNING},
    {"bits-foreground", "R9", SEVERITY_WARNING},
    {"proxy-credentials", "R10", SEVERITY_ERROR},
    {"proxy-basic-auth", "R10", SEVERITY_WARNING},
    {"content-path", "R11", SEVERITY_WARNING},
    {"last-sync", "-", SEVERITY_ERROR},
    {"stale-data", "-", SEVERITY_WARNING},
    {"check-not-evaluated", "-", SEVERITY_ERROR},
    {"superseded-not-declined", "-", SEVERITY_WARNING},
    {"custom-indexes", "-", SEVERITY_WARNING},
    {"index-fragmentation", "-", SEVERITY_WARNING},
    {"database-size", "-", SEVERITY_WARNING},
    {"stale-clients", "-", SEVERITY_WARNING},
    {"database-state", "-", SEVERITY_ERROR},
    /* issue 17: ConfigMgr's intent */
    {"cm-languages", "R8", SEVERITY_WARNING},
    {"cm-express", "-", SEVERITY_WARNING},
    {"cm-upstream", "R1", SEVERITY_ERROR},
    {"cm-ports", "R3", SEVERITY_ERROR},
};

static int kebab(const char *s)
{
	if (!*s || *s == '-')
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      (*s == '-' && s[1] && s[1] != '-')))
			return 0;
	return 1;
}

/* "-" or "R<n>" (1..11) joined by ", ". */
static int rule_ok(const char *r)
{
	if (strcmp(r, "-") == 0)
		return 1;
	for (;;) {
		char *end;
		long n;

		if (*r != 'R')
			return 0;
		n = strtol(r + 1, &end, 10);
		if (end == r + 1 || n < 1 || n > 11)
			return 0;
		if (!*end)
			return 1;
		if (strncmp(end, ", ", 2) != 0)
			return 0;
		r = end + 2;
	}
}

static void test_invariants(void **state)
{
	size_t i, j, n = checks_count();

	(void)state;
	assert_int_equal(n, sizeof(catalogue) / sizeof(catalogue[0]));
	for (i = 0; i < n; i++) {
		const struct check_def *d = checks_get(i);

		assert_non_null(d);
		assert_string_equal(d->name, catalogue[i].name);
		assert_string_equal(d->rule, catalogue[i].rule);
		assert_int_equal(d->severity, catalogue[i].severity);
		assert_true(kebab(d->name));
		assert_true(rule_ok(d->rule));
		assert_true(d->id > 0);
		if (i)
			assert_true(checks_get(i - 1)->id < d->id);
		for (j = 0; j < i; j++)
			assert_string_not_equal(checks_get(j)->name, d->name);
		assert_true(d->run_model || d->run_server || d->run_edge);
		assert_non_null(d->summary);
		assert_non_null(d->remedy);
		assert_non_null(d->why);
		assert_non_null(d->area);
		assert_true(strlen(d->summary) > 10 && strchr(d->summary, '\n') == NULL);
		assert_ptr_equal(checks_find(d->name), d);
	}
	assert_null(checks_get(n));
	assert_null(checks_find("no-such-check"));
	assert_true(rule_ok("R1, R2"));
	assert_false(rule_ok("R12"));
	assert_false(rule_ok("R1,R2"));
}

/* Every check's reads name queries of the catalogue, a check that reads server data declares
 * it, and every query the collector runs for the checks is read by one: the columns a check
 * needs come from the query catalogue, never from a hand-kept copy (issue 12). */
static void test_reads_name_real_queries(void **state)
{
	unsigned all = CHECK_READS(COLLECT_NQUERIES) - 1, read = 0;
	size_t i, q;

	(void)state;
	assert_int_equal(collect_nqueries, COLLECT_NQUERIES);
	assert_true(COLLECT_NQUERIES <= sizeof(unsigned) * 8);
	for (q = 0; q < COLLECT_NQUERIES; q++) {
		assert_non_null(collect_queries[q].name);
		assert_non_null(collect_queries[q].needs);
		/* a maintenance query reads objects the probe does not list (optional) */
		if (!collect_queries[q].optional)
			assert_non_null(collect_queries[q].needs[0]);
	}
	/* configuration is read first: without it nothing else is worth reading */
	assert_true(collect_queries[QUERY_CONFIGURATION].required);
	for (i = 0; i < checks_count(); i++) {
		const struct check_def *d = checks_get(i);

		if ((d->reads & ~all) != 0)
			fail_msg("'%s' reads a query that is not in the catalogue", d->name);
		read |= d->reads;
		if (d->flags & (CHECK_ABOUT_COLLECTION | CHECK_RUNS_LAST)) {
			/* they read the collection's outcome, not SUSDB rows */
			assert_int_equal(d->reads, 0);
			assert_non_null(d->run_model);
			continue;
		}
		/* stale-data reads only the snapshot's own record of the collection */
		if (!d->reads && !d->run_server && !d->run_edge)
			continue;
		if (!check_reads(d, QUERY_CONFIGURATION) && strcmp(d->area, "maintenance") != 0)
			fail_msg("'%s' reads no configuration", d->name);
		if ((d->run_server || d->run_edge) && !check_reads(d, QUERY_UPDATES) &&
		    !check_reads(d, QUERY_APPROVALS))
			fail_msg("'%s' loads server details but declares no update query", d->name);
	}
	/* schema_version is collected for the record (reports), no check reads it */
	assert_int_equal(read | CHECK_READS(QUERY_SCHEMA_VERSION), all);
	assert_false(check_reads(checks_find("last-sync"), QUERY_UPDATES));
	assert_true(check_reads(checks_find("missing-upstream-updates"), QUERY_UPDATE_CATEGORIES));
	assert_false(check_reads(checks_find("last-sync"), COLLECT_NQUERIES));
}

/* Flags replace the hand-kept lists of link checks and of checks about the collection. */
static void test_flags(void **state)
{
	static const char *const links[] = {
	    "sync-source",	"upstream-server",
	    "upstream-unknown", "upstream-port",
	    "upstream-ssl",	"replica-mode",
	    "upstream-cycle",	"version-order",
	    "storage-option",	"missing-upstream-updates",
	    "approval-drift",	"language-mismatch",
	};
	size_t i, j;

	(void)state;
	for (i = 0; i < checks_count(); i++) {
		const struct check_def *d = checks_get(i);
		int link = 0;

		for (j = 0; j < sizeof(links) / sizeof(links[0]); j++)
			link |= strcmp(links[j], d->name) == 0;
		assert_int_equal(!!(d->flags & CHECK_LINK), link);
		assert_int_equal(report_is_link_check(d->name), link);
	}
	assert_false(report_is_link_check("upstream-no-such-check"));
	assert_false(report_is_link_check(NULL));
	assert_true(checks_find("server-unreachable")->flags & CHECK_ABOUT_COLLECTION);
	assert_true(checks_find("schema-unsupported")->flags & CHECK_ABOUT_COLLECTION);
}

static char *list(const char *format, int *rc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	*rc = checks_list_write(f, format);
	fclose(f);
	return buf;
}

static void test_list_formats(void **state)
{
	char *text;
	int rc;

	(void)state;
	text = list("text", &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(text, "missing-upstream-updates"));
	free(text);
	text = list("markdown", &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(text, "| name | rule | default severity | fires when |"));
	assert_non_null(strstr(text, "| `storage-option` | R6 | warning | "));
	free(text);
	text = list("json", &rc);
	assert_int_equal(rc, 0);
	assert_true(text[0] == '[');
	assert_non_null(strstr(text, "\"name\": \"last-sync\""));
	free(text);
	text = list("yaml", &rc);
	assert_int_equal(rc, -1);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_invariants),
	    cmocka_unit_test(test_reads_name_real_queries),
	    cmocka_unit_test(test_flags),
	    cmocka_unit_test(test_list_formats),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
