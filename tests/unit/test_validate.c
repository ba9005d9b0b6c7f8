/* test_validate: `susaudit validate`: the file and the password sources (exit 1 when wrong),
 * and with --connect a login and a schema probe per server (exit 2 when one fails), without
 * collecting: the servers see the session setup and the probe, nothing else. */
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

#include "fixture_hierarchy.h"
#include "run_binary.h"
#include "xalloc.h"

/* `susaudit ARGS`, stderr joined */
#define run(status, ...) run_binary(SUSAUDIT_BINARY, status, 1, __VA_ARGS__)

static char *batch_log;

static void log_p01(const char *server, struct tds_server_options *o, void *data)
{
	(void)data;
	if (strcmp(server, "p01-sup1.contoso.com") == 0)
		o->batch_log = batch_log;
}

static void test_validate_connect(void **state)
{
	static const char *const patch[] = {"tests/fixtures/defects/schema-unsupported-fire.sql"};
	struct fixture_hierarchy f;
	char **lines, *out;
	size_t n, i;
	int status, k;

	(void)state;
	batch_log = xasprintf("%s/validate-batches-%d.log", SUSAUDIT_TEST_TMPDIR, (int)getpid());
	unlink(batch_log);
	assert_int_equal(fixture_hierarchy_start("tests/fixtures/clean/hierarchy.xml.in",
						 "tests/fixtures/clean", patch, 1, log_p01, NULL, &f),
			 0);
	out = run(&status, "validate '%s'", f.xml_path);
	assert_int_equal(status, 0);
	assert_non_null(strstr(out, "the file is valid"));
	assert_null(strstr(out, "login ok")); /* no --connect: no connection */
	free(out);

	out = run(&status, "validate '%s' --connect", f.xml_path);
	assert_int_equal(status, 0);
	assert_non_null(strstr(out, "ok      cas-sup1.contoso.com: login ok (TDS 7.4"));
	/* a missing column that no required query needs: reported, still auditable */
	assert_non_null(strstr(out, "ok      p02-sup2.contoso.com: login ok"));
	assert_non_null(strstr(out, "schema lacks tbDeployment.DeploymentStatus"));
	assert_non_null(strstr(out, "9 of 9 server(s) ready to be audited"));
	free(out);
	/* nothing was collected: the probe and the session's SET statements only */
	lines = tds_batch_log_read(batch_log, &n);
	assert_true(n >= 2);
	assert_non_null(strstr(lines[n - 1], "INFORMATION_SCHEMA"));
	for (i = 0; i < n; i++)
		if (strcasestr(lines[i], "SELECT") && !strstr(lines[i], "INFORMATION_SCHEMA"))
			fail_msg("validate sent more than the probe: %s", lines[i]);
	tds_batch_log_free(lines, n);

	/* a server that is down: exit 2, the others still checked */
	k = fixture_hierarchy_find(&f, "p01-sup2.contoso.com");
	assert_true(k >= 0);
	tds_server_stop(&f.servers[k]);
	out = run(&status, "validate '%s' --connect", f.xml_path);
	assert_int_equal(status, 2);
	assert_non_null(strstr(out, "FAILED  p01-sup2.contoso.com: could not connect"));
	assert_non_null(strstr(out, "ok      cas-sup1.contoso.com"));
	assert_non_null(strstr(out, "8 of 9 server(s) ready to be audited"));
	free(out);

	/* a password source that cannot be read: exit 1 before any connection */
	unsetenv("SUSAUDIT_TEST_PASSWORD");
	out = run(&status, "validate '%s' --connect", f.xml_path);
	assert_int_equal(status, 1);
	assert_non_null(strstr(out, "SUSAUDIT_TEST_PASSWORD"));
	assert_null(strstr(out, "login ok"));
	free(out);
	setenv("SUSAUDIT_TEST_PASSWORD", FIXTURE_PASSWORD, 1);
	fixture_hierarchy_stop(&f);
	unlink(batch_log);
	free(batch_log);
}

static void test_validate_bad_file(void **state)
{
	char *out;
	int status;

	(void)state;
	out = run(&status, "validate '%s/tests/fixtures/hierarchy-files/bad-port.xml'",
		  SUSAUDIT_SOURCE_DIR);
	assert_int_equal(status, 1);
	assert_non_null(strstr(out, "bad-port.xml:"));
	free(out);
	out = run(&status, "validate");
	assert_int_equal(status, 1);
	assert_non_null(strstr(out, "usage: susaudit validate"));
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_validate_connect),
	    cmocka_unit_test(test_validate_bad_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
