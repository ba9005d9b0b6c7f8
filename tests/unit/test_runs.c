/* test_runs: `susaudit runs` lists a snapshot's collection runs and `audit --snapshot S --run N`
 * audits the one asked for, not always the last. */
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

static void test_runs_and_run(void **state)
{
	static const char *const patch[] = {"tests/fixtures/defects/replica-mode-fire.sql"};
	struct fixture_hierarchy f;
	char *snap = xasprintf("%s/runs-%d.db", SUSAUDIT_TEST_TMPDIR, (int)getpid()), *out;
	int status;

	(void)state;
	unlink(snap);
	assert_int_equal(fixture_hierarchy_start("tests/fixtures/clean/hierarchy.xml.in",
						 "tests/fixtures/clean", NULL, 0, NULL, NULL, &f),
			 0);
	out = run(&status, "collect '%s' -o '%s'", f.xml_path, snap);
	assert_int_equal(status, 0);
	free(out);
	fixture_hierarchy_stop(&f);
	assert_int_equal(fixture_hierarchy_start("tests/fixtures/clean/hierarchy.xml.in",
						 "tests/fixtures/clean", patch, 1, NULL, NULL, &f),
			 0);
	out = run(&status, "collect '%s' -o '%s'", f.xml_path, snap);
	assert_int_equal(status, 0);
	free(out);
	fixture_hierarchy_stop(&f);

	out = run(&status, "runs '%s'", snap);
	assert_int_equal(status, 0);
	assert_non_null(strstr(out, "RUN   STARTED"));
	assert_non_null(strstr(out, "\n1     "));
	assert_non_null(strstr(out, "\n2     "));
	assert_non_null(strstr(out, " 9        0       Contoso\n"));
	free(out);
	out = run(&status, "runs '%s' --format json", snap);
	assert_int_equal(status, 0);
	assert_non_null(strstr(out, "\"format\": \"susaudit-runs/1\""));
	assert_non_null(strstr(out, "{\"run\": 2, "));
	free(out);

	/* the last run has the defect; run 1 is clean */
	out = run(&status, "audit --snapshot '%s' --skip last-sync --format csv", snap);
	assert_int_equal(status, 2);
	assert_non_null(strstr(out, "replica-mode"));
	free(out);
	out = run(&status, "audit --snapshot '%s' --run 1 --skip last-sync --format csv", snap);
	assert_int_equal(status, 0);
	assert_null(strstr(out, "replica-mode"));
	free(out);
	out = run(&status, "audit --snapshot '%s' --run 3", snap);
	assert_int_equal(status, 1);
	assert_non_null(strstr(out, "no complete collection run"));
	free(out);
	out = run(&status, "audit '%s' --run 1", f.xml_path);
	assert_int_equal(status, 1);
	assert_non_null(strstr(out, "--run picks a run of --snapshot"));
	free(out);
	out = run(&status, "runs '%s'", f.xml_path);
	assert_int_equal(status, 1);
	free(out);
	unlink(snap);
	free(snap);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_runs_and_run),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
