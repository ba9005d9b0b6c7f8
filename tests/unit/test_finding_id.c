#define _GNU_SOURCE
/* test_finding_id: finding ids are the documented hash, pinned, so they stay stable across
 * versions (a ticket or a suppression keeps naming the same finding). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "finding.h"
#include "report.h"

static void assert_id(const char *check, const char *server, const char **related, size_t n,
		      const char *want)
{
	struct finding f;
	char id[FINDING_ID_SIZE];

	memset(&f, 0, sizeof(f));
	f.check = check;
	f.server = server;
	f.related = related;
	f.nrelated = n;
	finding_id(&f, id);
	assert_string_equal(id, want);
}

/* The expected values were computed outside the project (FNV-1a 64 of the key, top 48 bits):
 * changing the algorithm or the key breaks every id users have written down. */
static void test_pinned_values(void **state)
{
	const char *up[] = {"p01-sup1.contoso.com"};
	const char *two[] = {"p01", "cas"};

	(void)state;
	assert_id("upstream-port", "p01-sup2.contoso.com", up, 1, "8903ed5c6e9d");
	assert_id("version-order", NULL, NULL, 0, "419c4d70992b");
	assert_id("approval-drift", "s01", two, 2, "b938a68e541e");
}

/* Messages, severities and evidence do not take part: a finding whose wording or counts change
 * keeps its id; another server or another related server gives another id. */
static void test_identity(void **state)
{
	const char *up[] = {"p01-sup1.contoso.com"};
	const char *other[] = {"p02-sup1.contoso.com"};
	struct finding a, b;
	char ia[FINDING_ID_SIZE], ib[FINDING_ID_SIZE];

	(void)state;
	memset(&a, 0, sizeof(a));
	a.check = "upstream-port";
	a.server = "p01-sup2.contoso.com";
	a.related = up;
	a.nrelated = 1;
	a.message = "one wording";
	a.severity = SEVERITY_ERROR;
	b = a;
	b.message = "another wording";
	b.severity = SEVERITY_WARNING;
	finding_id(&a, ia);
	finding_id(&b, ib);
	assert_string_equal(ia, ib);
	b.related = other;
	finding_id(&b, ib);
	assert_string_not_equal(ia, ib);
	b = a;
	b.server = "p01-sup3.contoso.com";
	finding_id(&b, ib);
	assert_string_not_equal(ia, ib);
}

/* Every format that names findings carries the id: JSON, CSV, text and JUnit. */
static void test_id_in_every_format(void **state)
{
	static const enum report_format formats[] = {REPORT_JSON, REPORT_CSV, REPORT_TEXT,
						     REPORT_JUNIT};
	const char *up[] = {"p01-sup1.contoso.com"};
	struct arena a;
	struct findings f;
	struct report r;
	char id[FINDING_ID_SIZE];
	size_t i;

	(void)state;
	arena_init(&a);
	findings_init(&f, &a);
	findings_add(&f, "upstream-port", "R3", SEVERITY_ERROR, "p01-sup2.contoso.com", up, 1,
		     "m", "r");
	finding_id(&f.items[0], id);
	memset(&r, 0, sizeof(r));
	r.hierarchy = "H";
	r.findings = f.items;
	r.nfindings = f.count;
	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		char *out = NULL;
		size_t len = 0;
		FILE *mem = open_memstream(&out, &len);

		assert_non_null(mem);
		assert_int_equal(report_write(&r, formats[i], NULL, mem), 0);
		fclose(mem);
		if (!strstr(out, id))
			fail_msg("the %s report lacks the finding id %s", report_format_name(formats[i]),
				 id);
		free(out);
	}
	findings_release(&f);
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_pinned_values),
	    cmocka_unit_test(test_identity),
	    cmocka_unit_test(test_id_in_every_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
