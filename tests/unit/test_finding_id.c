/* test_finding_id: finding ids are the documented hash, pinned, so they stay stable across
 * versions (a ticket or a suppression keeps naming the same finding). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "finding.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_pinned_values),
	    cmocka_unit_test(test_identity),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
