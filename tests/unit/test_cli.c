/* test_cli: the built binary — help, version, bad input, every exit code, and the audit end to
 * end through FreeTDS against TDS test servers. */
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

/* A fixed "now" for reports; sync-event fixtures are relative to the real now, so tests that
 * compare whole reports skip last-sync and test it on its own. */
#define NOW "--now 2026-11-22T03:00:00Z"

struct result {
	int status;
	char *out;	/* stdout */
	size_t len;
};

/* Runs `susaudit ARGS` through the shell (stderr into stdout when `merge`). */
static struct result run(int merge, const char *fmt, ...)
{
	struct result r = {0, NULL, 0};
	va_list ap;

	va_start(ap, fmt);
	r.out = run_binary_v(SUSAUDIT_BINARY, &r.status, &r.len, merge, fmt, ap);
	va_end(ap);
	return r;
}

/* The collection's real times: every "collected_at" value becomes the same placeholder of the
 * same length, so the golden file compares what the run does not decide. */
static void mask_collected_at(char *json)
{
	static const char key[] = "\"collected_at\": \"";
	char *p = json;

	while ((p = strstr(p, key))) {
		p += sizeof(key) - 1;
		if (strlen(p) >= 20 && p[4] == '-' && p[19] == 'Z')
			memcpy(p, "YYYY-MM-DDTHH:MM:SSZ", 20);
	}
}

static void test_version_and_help(void **state)
{
	struct result r;

	(void)state;
	r = run(0, "--version");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "susaudit "));
	free(r.out);
	r = run(0, "--help");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "susaudit audit HIERARCHY.xml"));
	assert_non_null(strstr(r.out, "collect"));
	free(r.out);
	/* after a command too, as people type it */
	r = run(1, "audit --help");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "susaudit audit HIERARCHY.xml"));
	assert_null(strstr(r.out, "unrecognized"));
	free(r.out);
	r = run(1, "fix bits-foreground x.xml --help");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "susaudit fix bits-foreground"));
	free(r.out);
}

static void test_bad_usage(void **state)
{
	struct result r;

	(void)state;
	r = run(1, "");
	assert_int_equal(r.status, 1);
	free(r.out);
	r = run(1, "frobnicate");
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "unknown command 'frobnicate'"));
	free(r.out);
	r = run(1, "audit --format pdf --snapshot x.db");
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "--format 'pdf'"));
	free(r.out);
	r = run(1, "audit --snapshot /nonexistent/snapshot.db");
	assert_int_equal(r.status, 1);
	free(r.out);
	r = run(1, "audit '%s/tests/fixtures/hierarchy-files/password-attribute.xml'",
		SUSAUDIT_SOURCE_DIR);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "password"));
	free(r.out);
	/* nagios: a plugin that cannot run says UNKNOWN (3) on one line */
	r = run(0, "audit --snapshot /nonexistent/snapshot.db --format nagios");
	assert_int_equal(r.status, 3);
	assert_non_null(strstr(r.out, "SUSAUDIT UNKNOWN"));
	free(r.out);
	r = run(1, "checks --format yaml");
	assert_int_equal(r.status, 1);
	free(r.out);
	/* unknown options name the command, and the option meant when one is close */
	r = run(1, "audit --snapshot x.db --bogus");
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "unknown option '--bogus' for 'audit' (see 'susaudit audit "
				      "--help')"));
	free(r.out);
	r = run(1, "audit --snapshot x.db --formt json");
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "(did you mean '--format'?"));
	free(r.out);
	r = run(1, "collect x.xml -o");
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "option '-o' of 'collect' needs a value"));
	free(r.out);
	r = run(1, "colect x.xml");
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "unknown command 'colect' (did you mean 'collect'?"));
	free(r.out);
}

/* The README's check table is the catalogue's, byte for byte. */
static void test_readme_table(void **state)
{
	char *path = xasprintf("%s/README.md", SUSAUDIT_SOURCE_DIR);
	char *readme = fixture_read_file(path, NULL), *begin, *end;
	struct result r;

	(void)state;
	assert_non_null(readme);
	begin = strstr(readme, "<!-- checks-table-begin -->\n");
	end = strstr(readme, "<!-- checks-table-end -->");
	assert_non_null(begin);
	assert_non_null(end);
	begin += strlen("<!-- checks-table-begin -->\n");
	r = run(0, "checks --format markdown");
	assert_int_equal(r.status, 0);
	if ((size_t)(end - begin) != r.len || memcmp(begin, r.out, r.len) != 0)
		fail_msg("README.md's check table differs from 'susaudit checks --format markdown'");
	free(r.out);
	free(readme);
	free(path);
}

static const char *const demo_defects[] = {
	"tests/fixtures/defects/replica-mode-fire.sql",
	"tests/fixtures/defects/missing-upstream-updates-fire.sql",
	"tests/fixtures/defects/storage-option-fire.sql",
};

/* Issue 12, point 7: a SUSDB without a configuration row is not healthy. The checks that
 * cannot be evaluated there raise the exit code to 2 and Nagios above OK, and the report says
 * why in a finding. */
static void test_audit_no_configuration_row(void **state)
{
	static const char *const patches[] = {
	    "tests/fixtures/defects/check-not-evaluated-fire.sql",
	};
	struct fixture_hierarchy f;
	struct result r;

	(void)state;
	assert_int_equal(fixture_hierarchy_start("tests/fixtures/clean/hierarchy.xml.in",
						 "tests/fixtures/clean", patches, 1, NULL, NULL,
						 &f),
			 0);
	r = run(0, "audit '%s' " NOW " --skip last-sync --format nagios", f.xml_path);
	assert_null(strstr(r.out, "SUSAUDIT OK"));
	assert_true(r.status == 2 || r.status == 3);
	assert_non_null(strstr(r.out, "p02-sup2.contoso.com: check-not-evaluated"));
	free(r.out);
	r = run(0, "audit '%s' " NOW " --skip last-sync --format csv", f.xml_path);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.out, "check-not-evaluated"));
	assert_non_null(strstr(r.out, "no configuration row"));
	free(r.out);
	/* --check of one check only: still not OK */
	r = run(0, "audit '%s' " NOW " --check replica-mode --format text", f.xml_path);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.out, "check-not-evaluated"));
	free(r.out);
	fixture_hierarchy_stop(&f);
}

static size_t count_of(const char *s, const char *what)
{
	size_t n = 0;

	for (; (s = strstr(s, what)) != NULL; s += strlen(what))
		n++;
	return n;
}

/* Issue 12: JUnit has one testcase per check and server it applies to, passing or failing,
 * so a fixed server's test turns green instead of disappearing and the count is stable. */
static void test_junit_testcase_per_server(void **state)
{
	static const char *const patches[] = {
	    "tests/fixtures/defects/upstream-port-fire.sql",
	};
	static const char pass_case[] = "<testcase classname=\"susaudit.upstream-port\" "
					"name=\"p01-sup2.contoso.com\" time=\"0\"/>";
	static const char fail_case[] = "<testcase classname=\"susaudit.upstream-port\" "
					"name=\"p01-sup2.contoso.com\" time=\"0\">\n      <failure";
	struct fixture_hierarchy f;
	struct result clean, broken;
	const char *a, *b;

	(void)state;
	assert_int_equal(fixture_hierarchy_start("tests/fixtures/clean/hierarchy.xml.in",
						 "tests/fixtures/clean", NULL, 0, NULL, NULL, &f),
			 0);
	clean = run(0, "audit '%s' " NOW " --skip last-sync --format junit", f.xml_path);
	fixture_hierarchy_stop(&f);
	assert_int_equal(fixture_hierarchy_start("tests/fixtures/clean/hierarchy.xml.in",
						 "tests/fixtures/clean", patches, 1, NULL, NULL, &f),
			 0);
	broken = run(0, "audit '%s' " NOW " --skip last-sync --format junit", f.xml_path);
	fixture_hierarchy_stop(&f);
	assert_int_equal(clean.status, 0);
	assert_int_equal(broken.status, 2);
	assert_non_null(strstr(clean.out, pass_case));
	assert_non_null(strstr(broken.out, fail_case));
	/* every downstream upstream-port applies to (the 7 that sync from a server), and no
	 * hierarchy-wide stand-in */
	assert_int_equal(count_of(clean.out, "classname=\"susaudit.upstream-port\""), 7);
	assert_null(strstr(clean.out, "classname=\"susaudit.upstream-port\" name=\"Contoso\""));
	/* a wrong port changes no check's applicability: the same testcases before and after */
	a = strstr(clean.out, "<testsuites name=\"susaudit\" tests=\"");
	b = strstr(broken.out, "<testsuites name=\"susaudit\" tests=\"");
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(atoi(a + 35), atoi(b + 35));
	assert_int_equal(count_of(clean.out, "<testcase "), count_of(broken.out, "<testcase "));
	free(clean.out);
	free(broken.out);
}

/* A whole audit through FreeTDS: the clean hierarchy passes with exit 0; with defects the
 * JSON report equals the expected file and the exit code follows --fail-on. */
static void test_audit_end_to_end(void **state)
{
	struct fixture_hierarchy f;
	struct result r;
	char *expected_path, *expected, *out_path, *sup_path;
	FILE *sup;

	(void)state;
	assert_int_equal(fixture_hierarchy_start("tests/fixtures/clean/hierarchy.xml.in",
						 "tests/fixtures/clean", NULL, 0, NULL, NULL, &f),
			 0);
	r = run(0, "audit '%s' " NOW " --skip last-sync --format json", f.xml_path);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "\"format\": \"susaudit-report/1\""));
	assert_non_null(strstr(r.out, "\"findings\": []"));
	free(r.out);
	/* last-sync on its own, at the real now: the clean fixture synced a day ago */
	r = run(0, "audit '%s' --check last-sync --format nagios", f.xml_path);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "SUSAUDIT OK"));
	free(r.out);
	/* a suppression that matches nothing is reported, unless its check was not run */
	sup_path = xasprintf("%s/e2e-suppress-%d.xml", SUSAUDIT_TEST_TMPDIR, (int)getpid());
	sup = fopen(sup_path, "w");
	assert_non_null(sup);
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	      "<suppressions xmlns=\"urn:susaudit:suppressions:1\">\n"
	      "  <suppress check=\"proxy-basic-auth\" server=\"p01-web.contoso.com\">DMZ "
	      "proxy</suppress>\n"
	      "</suppressions>\n",
	      sup);
	fclose(sup);
	r = run(0, "audit '%s' " NOW " --skip last-sync --suppress '%s' --format csv", f.xml_path,
		sup_path);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.out, "matched no finding"));
	free(r.out);
	r = run(0, "audit '%s' " NOW " --check replica-mode --suppress '%s' --format csv",
		f.xml_path, sup_path);
	assert_int_equal(r.status, 0);
	assert_null(strstr(r.out, "matched no finding"));
	free(r.out);
	unlink(sup_path);
	free(sup_path);
	fixture_hierarchy_stop(&f);

	assert_int_equal(fixture_hierarchy_start("tests/fixtures/clean/hierarchy.xml.in",
						 "tests/fixtures/clean", demo_defects, 3, NULL,
						 NULL, &f),
			 0);
	out_path = xasprintf("%s/e2e-report-%d.json", SUSAUDIT_TEST_TMPDIR, (int)getpid());
	r = run(0, "audit '%s' " NOW " --skip last-sync --format json -o '%s'", f.xml_path,
		out_path);
	assert_int_equal(r.status, 2);
	free(r.out);
	expected_path = xasprintf("%s/tests/golden/e2e-audit.json", SUSAUDIT_SOURCE_DIR);
	r.out = fixture_read_file(out_path, &r.len);
	assert_non_null(r.out);
	mask_collected_at(r.out);
	r.len = strlen(r.out);
	if (getenv("SUSAUDIT_UPDATE_GOLDEN")) {
		FILE *g = fopen(expected_path, "w");

		assert_non_null(g);
		fwrite(r.out, 1, r.len, g);
		fclose(g);
	}
	expected = fixture_read_file(expected_path, NULL);
	assert_non_null(expected);
	if (strcmp(expected, r.out) != 0)
		fail_msg("the JSON report differs from tests/golden/e2e-audit.json: diff -u %s %s "
			 "(regenerate with SUSAUDIT_UPDATE_GOLDEN=1)", expected_path, out_path);
	free(r.out);
	free(expected);
	unlink(out_path);

	/* --fail-on error: errors remain, exit 2; nagios: CRITICAL */
	r = run(0, "audit '%s' " NOW " --skip last-sync --fail-on error --format csv", f.xml_path);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.out, "replica-mode"));
	free(r.out);
	r = run(0, "audit '%s' " NOW " --skip last-sync --format nagios", f.xml_path);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.out, "SUSAUDIT CRITICAL"));
	free(r.out);
	/* only the storage warning selected: --fail-on error passes it, nagios says WARNING */
	r = run(0, "audit '%s' " NOW " --check storage-option --fail-on error --format text",
		f.xml_path);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "storage-option"));
	free(r.out);
	r = run(0, "audit '%s' " NOW " --check storage-option --format nagios", f.xml_path);
	assert_int_equal(r.status, 1);
	free(r.out);
	/* collect, then audit offline from the snapshot: same findings */
	r = run(0, "collect '%s' -o '%s.db'", f.xml_path, out_path);
	assert_int_equal(r.status, 0);
	free(r.out);
	r = run(0, "audit --snapshot '%s.db' " NOW " --skip last-sync --format csv", out_path);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.out, "missing-upstream-updates"));
	free(r.out);
	{
		char *p = xasprintf("%s.db", out_path);

		unlink(p);
		free(p);
	}
	fixture_hierarchy_stop(&f);
	free(out_path);
	free(expected_path);
}

/* Pre-change validation through the binary: turning a primary's second SUP off replica mode
 * is a new error; fixing a wrong upstream port resolves one. */
static void test_plan(void **state)
{
	const char *const patch[] = {"tests/fixtures/defects/upstream-port-fire.sql"};
	struct fixture_hierarchy f, p;
	struct result r;

	(void)state;
	assert_int_equal(fixture_hierarchy_start("tests/fixtures/clean/hierarchy.xml.in",
						 "tests/fixtures/clean", patch, 1, NULL, NULL, &f),
			 0);
	/* the plan files name the same servers; only their text matters (ports filled in) */
	assert_int_equal(fixture_hierarchy_start("tests/fixtures/defects/replica-mode-plan.xml.in",
						 "tests/fixtures/clean", NULL, 0, NULL, NULL, &p),
			 0);
	r = run(0, "audit '%s' " NOW " --skip last-sync --plan '%s' --format csv", f.xml_path,
		p.xml_path);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.out, "replica-mode"));
	assert_non_null(strstr(r.out, ",new,"));
	free(r.out);
	fixture_hierarchy_stop(&p);
	assert_int_equal(fixture_hierarchy_start("tests/fixtures/defects/upstream-port-plan.xml.in",
						 "tests/fixtures/clean", NULL, 0, NULL, NULL, &p),
			 0);
	r = run(0, "audit '%s' " NOW " --skip last-sync --plan '%s' --format csv", f.xml_path,
		p.xml_path);
	assert_non_null(strstr(r.out, "upstream-port"));
	assert_non_null(strstr(r.out, ",resolved,"));
	free(r.out);
	fixture_hierarchy_stop(&p);
	fixture_hierarchy_stop(&f);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Whether `what` is the whole content of the file at `path`. */
static int file_is(const char *path, const char *what)
{
	char *text = fixture_read_file(path, NULL);
	int same = text && strcmp(text, what) == 0;

	free(text);
	return same;
}

/* A bad plan, suppression file, check name or report place is bad usage: exit 1 before any
 * server is read (a collection may take long), with nothing written anywhere. The hierarchy's
 * only server is on a closed port: reading it would log "could not connect". */
static void test_bad_inputs_before_collecting(void **state)
{
	char *dir = xasprintf("%s/cli-early-%d", SUSAUDIT_TEST_TMPDIR, (int)getpid());
	char *xml = xasprintf("%s/hierarchy.xml", dir), *plan = xasprintf("%s/plan.xml", dir);
	char *sup = xasprintf("%s/suppress.xml", dir), *report = xasprintf("%s/report.txt", dir);
	char *store = xasprintf("%s/history.db", dir), *cmd;
	struct result r;

	(void)state;
	cmd = xasprintf("rm -rf '%s' && mkdir -p '%s'", dir, dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	setenv("SUSAUDIT_TEST_PASSWORD", "not-used", 1);
	write_file(xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			"<hierarchy xmlns=\"urn:susaudit:hierarchy:1\" name=\"Early\">\n"
			"  <defaults user=\"susaudit\" password-env=\"SUSAUDIT_TEST_PASSWORD\" "
			"encryption=\"off\" login-timeout=\"2\" query-timeout=\"5\"/>\n"
			"  <server name=\"hq-wsus.fabrikam.com\" port=\"8530\" "
			"sql=\"127.0.0.1:1\"/>\n"
			"</hierarchy>\n");
	/* line 3: a port that is no port */
	write_file(plan, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			 "<hierarchy xmlns=\"urn:susaudit:hierarchy:1\" name=\"Early\">\n"
			 "  <server name=\"hq-wsus.fabrikam.com\" port=\"none\"/>\n"
			 "</hierarchy>\n");
	write_file(sup, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			"<suppressions xmlns=\"urn:susaudit:suppressions:1\">\n"
			"  <suppress check=\"no-such-check\">why</suppress>\n"
			"</suppressions>\n");
	write_file(report, "the previous report\n");

	r = run(1, "audit '%s' --plan '%s' -o '%s'", xml, plan, report);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "plan.xml:3:"));
	assert_null(strstr(r.out, "could not connect"));
	free(r.out);
	r = run(1, "audit '%s' --suppress '%s' -o '%s'", xml, sup, report);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "suppress.xml:3:"));
	assert_null(strstr(r.out, "could not connect"));
	free(r.out);
	/* a suppression for a server the hierarchy does not have: a load error, not a run-time
	 * "matched nothing" after every SUSDB was read */
	write_file(sup, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			"<suppressions xmlns=\"urn:susaudit:suppressions:1\">\n"
			"  <suppress check=\"last-sync\" server=\"gone.fabrikam.com\">why</suppress>\n"
			"</suppressions>\n");
	r = run(1, "audit '%s' --suppress '%s' -o '%s'", xml, sup, report);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "suppress.xml:3: suppress of 'last-sync': server "
				      "'gone.fabrikam.com' is not in the hierarchy 'Early'"));
	assert_null(strstr(r.out, "could not connect"));
	free(r.out);
	write_file(sup, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			"<suppressions xmlns=\"urn:susaudit:suppressions:1\">\n"
			"  <suppress check=\"no-such-check\">why</suppress>\n"
			"</suppressions>\n");
	r = run(1, "audit '%s' --check no-such-check -o '%s'", xml, report);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "unknown check 'no-such-check'"));
	assert_null(strstr(r.out, "could not connect"));
	free(r.out);
	r = run(1, "audit '%s' -o '%s/missing/report.txt'", xml, dir);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "could not write"));
	assert_null(strstr(r.out, "could not connect"));
	free(r.out);
	r = run(1, "audit '%s' -o '%s'", xml, xml); /* the hierarchy file itself */
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "is the hierarchy file"));
	assert_null(strstr(r.out, "could not connect"));
	free(r.out);
	assert_non_null(strstr(cmd = fixture_read_file(xml, NULL), "<hierarchy"));
	free(cmd);
	r = run(1, "audit '%s' -o '%s'", xml, dir); /* a directory */
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "could not write"));
	assert_null(strstr(r.out, "could not connect"));
	free(r.out);
	/* with a store: it gets no run either */
	r = run(1, "audit '%s' --store '%s' --suppress '%s'", xml, store, sup);
	assert_int_equal(r.status, 1);
	assert_null(strstr(r.out, "could not connect"));
	free(r.out);
	r = run(0, "audit --snapshot '%s'", store);
	assert_int_equal(r.status, 1);
	free(r.out);
	/* the previous report is kept, and nothing was left beside it */
	assert_true(file_is(report, "the previous report\n"));
	cmd = xasprintf("test $(ls '%s' | grep -c tmp-) -eq 0", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	/* the hierarchy itself still collects: the server is reported, not a reason to stop */
	r = run(1, "audit '%s' -o '%s'", xml, report);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.out, "could not connect"));
	free(r.out);
	assert_false(file_is(report, "the previous report\n"));
	/* what was not read is unknown in JSON: null, not an empty list of languages */
	r = run(0, "audit '%s' --format json", xml);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.out, "\"reachable\": false"));
	assert_non_null(strstr(r.out, "\"languages\": null"));
	assert_null(strstr(r.out, "\"languages\": []"));
	free(r.out);

	cmd = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(dir);
	free(xml);
	free(plan);
	free(sup);
	free(report);
	free(store);
}

/* `collect -o -` cannot stream an SQLite file: refused, and no file named '-' appears. */
static void test_collect_to_stdout(void **state)
{
	struct result r;

	(void)state;
	r = run(1, "collect '%s/tests/fixtures/hierarchy-files/contoso.xml' -o -",
		SUSAUDIT_SOURCE_DIR);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "'-o -'"));
	free(r.out);
	assert_int_not_equal(access("-", F_OK), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_version_and_help),
		cmocka_unit_test(test_bad_usage),
		cmocka_unit_test(test_readme_table),
		cmocka_unit_test(test_audit_end_to_end),
		cmocka_unit_test(test_audit_no_configuration_row),
		cmocka_unit_test(test_junit_testcase_per_server),
		cmocka_unit_test(test_plan),
		cmocka_unit_test(test_bad_inputs_before_collecting),
		cmocka_unit_test(test_collect_to_stdout),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
