/* test_defects_tds: every defect fixture served by TDS test servers, collected through FreeTDS
 * db-lib and audited: each -fire patch gives its finding on its server, each -quiet patch
 * gives no finding at all. The same catalogue runs in-process in test_checks_fixtures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "collect.h"
#include "defect_catalogue.h"
#include "fixture_hierarchy.h"
#include "hierarchy.h"
#include "model.h"
#include "xalloc.h"

static void remove_snapshot(const char *path)
{
	static const char *const sides[] = {"", "-wal", "-shm"};
	size_t i;

	for (i = 0; i < 3; i++) {
		char *p = xasprintf("%s%s", path, sides[i]);

		unlink(p);
		free(p);
	}
}

static void run_defect(const struct defect *d)
{
	const char *patch_list[1];
	const char *template = "tests/fixtures/clean/hierarchy.xml.in";
	char *file = xasprintf("tests/fixtures/defects/%s", d->file);
	char *snapshot = xasprintf("%s/defect-%d.db", SUSAUDIT_TEST_TMPDIR, (int)getpid());
	struct collect_options co = {4, 0, 1, 50, 0};
	struct fixture_hierarchy f;
	struct collect_summary sum;
	struct check_options o;
	struct check_selection sel = {NULL, 0, NULL, 0};
	struct report_check *results = xcalloc(checks_count(), sizeof(*results));
	struct hierarchy *h;
	struct findings found;
	struct arena arena;
	struct model *m;
	size_t i, hits = 0, npatches = 0;

	if (strstr(d->file, ".xml.in"))
		template = file;
	else
		patch_list[npatches++] = file;
	assert_int_equal(fixture_hierarchy_start(template, "tests/fixtures/clean", patch_list,
						 npatches, NULL, NULL, &f),
			 0);
	assert_int_equal(hierarchy_load(f.xml_path, &h), 0);
	remove_snapshot(snapshot);
	assert_int_equal(collect_run(h, snapshot, &co, &sum), 0);
	check_options_init(&o);
	assert_int_equal(model_open(snapshot, 0, &o, &m), 0);
	arena_init(&arena);
	findings_init(&found, &arena);
	assert_int_equal(checks_run(m, &o, &sel, &found, results), 0);
	for (i = 0; i < found.count; i++) {
		const struct finding *x = &found.items[i];

		if (!d->server)
			fail_msg("%s: unexpected finding %s on %s: %s", d->file, x->check,
				 x->server ? x->server : "-", x->message);
		if (strcmp(x->check, d->check) != 0)
			continue;
		hits++;
		defect_assert_finding(d, x);
	}
	if (d->server && hits == 0)
		fail_msg("%s: no %s finding on %s", d->file, d->check, d->server);
	findings_release(&found);
	arena_release(&arena);
	model_free(m);
	hierarchy_free(h);
	fixture_hierarchy_stop(&f);
	remove_snapshot(snapshot);
	free(results);
	free(snapshot);
	free(file);
}

static void test_every_defect(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ndefects; i++) {
		print_message("%s\n", defects[i].file);
		run_defect(&defects[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_defect),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
