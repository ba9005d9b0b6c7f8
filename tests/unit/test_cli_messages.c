/* test_cli_messages: errors a newcomer meets say what to do: "did you mean" for check names
 * and formats, a checks list with a header, the folder that stops `collect -o`, and a
 * snapshot given to `history --store` called a snapshot. */
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

static void expect(const char *args, int status, const char *needle)
{
	int st;
	char *out = run(&st, "%s", args);

	if (st != status || !strstr(out, needle))
		fail_msg("'susaudit %s': exit %d, want %d and '%s' in:\n%s", args, st, status,
			 needle, out);
	free(out);
}

static void test_suggestions_and_header(void **state)
{
	(void)state;
	expect("audit --snapshot x.db --check replica-mod", 1,
	       "unknown check 'replica-mod' (did you mean 'replica-mode'?");
	expect("audit --snapshot x.db --skip last-synk", 1, "(did you mean 'last-sync'?");
	expect("audit --snapshot x.db --check nothing-like-it", 1,
	       "unknown check 'nothing-like-it' (see 'susaudit checks')");
	expect("audit --snapshot x.db --format jsn", 1, "(did you mean 'json'?)");
	expect("checks", 0, "NAME                       SEVERITY RULE         FIRES WHEN\n");
}

static void test_collect_folder_and_history_on_snapshot(void **state)
{
	struct fixture_hierarchy f;
	char *snap = xasprintf("%s/msg-%d.db", SUSAUDIT_TEST_TMPDIR, (int)getpid()), *args;

	(void)state;
	unlink(snap);
	assert_int_equal(fixture_hierarchy_start("tests/fixtures/clean/hierarchy.xml.in",
						 "tests/fixtures/clean", NULL, 0, NULL, NULL, &f),
			 0);
	args = xasprintf("collect '%s' -o /nonexistent-folder/s.db", f.xml_path);
	expect(args, 1,
	       "could not create snapshot '/nonexistent-folder/s.db': folder "
	       "'/nonexistent-folder': No such file or directory");
	free(args);
	args = xasprintf("collect '%s' -o '%s'", f.xml_path, snap);
	expect(args, 0, "");
	free(args);
	args = xasprintf("history --store '%s'", snap);
	expect(args, 1, "is a snapshot, not a history store: audit it with 'susaudit audit "
			"--snapshot");
	free(args);
	fixture_hierarchy_stop(&f);
	unlink(snap);
	free(snap);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_suggestions_and_header),
	    cmocka_unit_test(test_collect_folder_and_history_on_snapshot),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
