/* test_examples: the example hierarchy and plan files the README shows load, resolve the roles
 * the README says, and the README's copies are the shipped files to the byte. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hierarchy.h"

static char *read_all(const char *rel)
{
	char path[1024];
	FILE *f;
	long n;
	char *s;

	snprintf(path, sizeof(path), "%s/%s", SUSAUDIT_SOURCE_DIR, rel);
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	rewind(f);
	s = malloc((size_t)n + 1);
	assert_non_null(s);
	assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
	s[n] = '\0';
	fclose(f);
	return s;
}

static const struct server *server(const struct hierarchy *h, const char *name)
{
	int k = hierarchy_find_server(h, name);

	assert_true(k >= 0);
	return &h->servers[k];
}

static void test_readme_shows_the_files(void **state)
{
	char *readme = read_all("README.md"), *ex = read_all("docs/examples/hierarchy.xml"),
	     *plan = read_all("docs/examples/plan.xml");

	(void)state;
	if (!strstr(readme, ex))
		fail_msg("README.md does not show docs/examples/hierarchy.xml as it is");
	if (!strstr(readme, plan))
		fail_msg("README.md does not show docs/examples/plan.xml as it is");
	free(readme);
	free(ex);
	free(plan);
}

static void test_example_roles(void **state)
{
	struct hierarchy *h = NULL;
	int cas, p01;

	(void)state;
	setenv("SUSAUDIT_FABRIKAM_PASSWORD", "unused", 1);
	assert_int_equal(hierarchy_load(SUSAUDIT_SOURCE_DIR "/docs/examples/hierarchy.xml", &h), 0);
	assert_int_equal(hierarchy_check_collectable(h), 0);
	cas = hierarchy_find_server(h, "cas-sup1.contoso.com");
	p01 = hierarchy_find_server(h, "p01-sup1.contoso.com");
	assert_int_equal(server(h, "cas-sup1.contoso.com")->role, ROLE_TOP);
	assert_int_equal(server(h, "cas-sup1.contoso.com")->expected_upstream,
			 EXPECT_MICROSOFT_UPDATE);
	assert_int_equal(server(h, "p01-sup1.contoso.com")->role, ROLE_SITE_FIRST);
	assert_int_equal(server(h, "p01-sup1.contoso.com")->expected_upstream, cas);
	assert_int_equal(server(h, "p01-sup2.contoso.com")->expected_upstream, p01);
	assert_int_equal(server(h, "p01-web.contoso.com")->role, ROLE_INTERNET);
	assert_int_equal(server(h, "s01-sup1.contoso.com")->role, ROLE_SECONDARY);
	assert_int_equal(server(h, "s01-sup1.contoso.com")->expected_upstream, p01);
	/* first="true" wins over document order */
	assert_int_equal(server(h, "p02-sup1.contoso.com")->role, ROLE_SITE_FIRST);
	assert_int_equal(server(h, "p02-sup2.contoso.com")->expected_upstream,
			 hierarchy_find_server(h, "p02-sup1.contoso.com"));
	assert_int_equal(server(h, "hq-wsus.fabrikam.com")->role, ROLE_STANDALONE);
	/* aliases are names of the server */
	assert_int_equal(hierarchy_find_server(h, "P01-SUP1"), p01);
	assert_int_equal(hierarchy_find_server(h, "10.1.0.21"), p01);
	hierarchy_free(h);

	assert_int_equal(hierarchy_load(SUSAUDIT_SOURCE_DIR "/docs/examples/plan.xml", &h), 0);
	assert_true(server(h, "p01-sup3.contoso.com")->is_new);
	assert_false(server(h, "p01-sup2.contoso.com")->is_new);
	hierarchy_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_readme_shows_the_files),
	    cmocka_unit_test(test_example_roles),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
