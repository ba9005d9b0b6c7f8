/* test_html_browser: the HTML report of a real audit, opened in headless Chromium. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fixture_hierarchy.h"
#include "xalloc.h"

/* ctest shows a test that exits with this as skipped (SKIP_RETURN_CODE in report_browser.cmake) */
enum { EXIT_SKIP = 77 };

/* The demo's inconsistencies, the hostile update title, and p02-sup2 unreachable (below). */
static const char *const patches[] = {
    "tests/fixtures/defects/replica-mode-fire.sql",
    "tests/fixtures/defects/missing-upstream-updates-fire.sql",
    "tests/fixtures/defects/storage-option-fire.sql",
    "tests/fixtures/defects/hostile-title.sql",
};

static const char *const server_names[] = {
    "cas-sup1.contoso.com", "p01-sup1.contoso.com", "p01-sup2.contoso.com",
    "p01-web.contoso.com",  "s01-sup1.contoso.com", "p02-sup1.contoso.com",
    "p02-sup2.contoso.com", "hq-wsus.fabrikam.com", "branch-wsus.fabrikam.com",
};

static char *chromium;

/* Chromium from SUSAUDIT_CHROMIUM or the PATH (Debian's package installs /usr/bin/chromium). */
static char *find_chromium(void)
{
	static const char *const names[] = {"chromium", "chromium-browser"};
	const char *env = getenv("SUSAUDIT_CHROMIUM"), *path = getenv("PATH");
	char *dirs, *dir, *save = NULL, *found = NULL;
	size_t i;

	if (env && *env)
		return access(env, X_OK) == 0 ? xstrdup(env) : NULL;
	dirs = xstrdup(path && *path ? path : "/usr/bin:/bin");
	for (dir = strtok_r(dirs, ":", &save); dir && !found; dir = strtok_r(NULL, ":", &save)) {
		for (i = 0; i < sizeof(names) / sizeof(names[0]) && !found; i++) {
			char *candidate = xasprintf("%s/%s", dir, names[i]);

			if (access(candidate, X_OK) == 0)
				found = candidate;
			else
				free(candidate);
		}
	}
	free(dirs);
	return found;
}

static void refuse_p02_sup2(const char *server, struct tds_server_options *o, void *data)
{
	(void)data;
	if (strcmp(server, "p02-sup2.contoso.com") == 0)
		o->refuse_login = 1;
}

static int run_shell(const char *fmt, ...)
{
	va_list ap;
	char *cmd;
	int status;

	va_start(ap, fmt);
	cmd = xvasprintf(fmt, ap);
	va_end(ap);
	status = system(cmd);
	free(cmd);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

struct browser_result {
	char *dom; /* the DOM after the page's scripts ran (--dump-dom) */
	char *log; /* Chromium's stderr, console messages included */
	char *png; /* the screenshot's bytes */
	size_t npng;
};

/* Opens `html` in headless Chromium with a fresh profile: DOM, log and a 1400x2000 screenshot
 * left at `png_path` for a person to look at. */
static void browse(const char *html, const char *png_path, struct browser_result *b)
{
	char *profile = xasprintf("%s/chromium-profile-XXXXXX", SUSAUDIT_TEST_TMPDIR);
	char *dom_path = xasprintf("%s.dom", png_path), *log_path = xasprintf("%s.log", png_path);
	int rc;

	assert_non_null(mkdtemp(profile));
	unlink(png_path);
	rc = run_shell("timeout 120 '%s' --headless --no-sandbox --disable-gpu --disable-quic "
		       "--no-first-run --disable-background-networking --disable-component-update "
		       "--disable-sync --disable-dev-shm-usage --hide-scrollbars "
		       "--user-data-dir='%s' --enable-logging=stderr --v=0 "
		       "--window-size=1400,2000 --screenshot='%s' --dump-dom 'file://%s' "
		       ">'%s' 2>'%s' </dev/null",
		       chromium, profile, png_path, html, dom_path, log_path);
	if (rc != 0)
		fail_msg("chromium exited with %d; its log is %s", rc, log_path);
	b->dom = fixture_read_file(dom_path, NULL);
	b->log = fixture_read_file(log_path, NULL);
	b->png = fixture_read_file(png_path, &b->npng);
	assert_non_null(b->dom);
	assert_non_null(b->log);
	if (!b->png)
		fail_msg("chromium wrote no screenshot to %s (log: %s)", png_path, log_path);
	run_shell("rm -rf '%s'", profile);
	unlink(dom_path);
	free(profile);
	free(dom_path);
	free(log_path);
}

static void browser_result_free(struct browser_result *b)
{
	free(b->dom);
	free(b->log);
	free(b->png);
}

/* A console message or an uncaught exception in Chromium's log, or NULL. */
static const char *console_message(const char *log)
{
	const char *p = strstr(log, "CONSOLE");

	return p ? p : strstr(log, "Uncaught");
}

static size_t count(const char *haystack, const char *needle)
{
	size_t n = 0;

	for (const char *p = haystack; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	return n;
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The console check must be able to fail: a page that logs an error and throws shows both in
 * the log with the flags the report is opened with. */
static void test_console_is_seen(void **state)
{
	char *html = xasprintf("%s/browser-canary-%d.html", SUSAUDIT_TEST_TMPDIR, (int)getpid());
	char *png = xasprintf("%s/browser-canary-%d.png", SUSAUDIT_TEST_TMPDIR, (int)getpid());
	struct browser_result b;
	FILE *f = fopen(html, "w");

	(void)state;
	assert_non_null(f);
	fputs("<!DOCTYPE html><html><head><title>canary</title></head><body><p>canary</p>"
	      "<script>console.error('canary-console-error'); undefined_function_canary();"
	      "</script></body></html>\n",
	      f);
	fclose(f);
	browse(html, png, &b);
	assert_non_null(strstr(b.log, "canary-console-error"));
	assert_non_null(console_message(b.log));
	assert_non_null(strstr(b.log, "Uncaught"));
	browser_result_free(&b);
	unlink(html);
	unlink(png);
	free(html);
	free(png);
}

static void test_report_in_browser(void **state)
{
	struct fixture_hierarchy f;
	struct browser_result b;
	char *html = xasprintf("%s/browser-report.html", SUSAUDIT_TEST_TMPDIR);
	char *png = xasprintf("%s/browser-report.png", SUSAUDIT_TEST_TMPDIR);
	const char *bad;
	size_t i;
	int rc;

	(void)state;
	assert_int_equal(fixture_hierarchy_start("tests/fixtures/clean/hierarchy.xml.in",
						 "tests/fixtures/clean", patches,
						 sizeof(patches) / sizeof(patches[0]),
						 refuse_p02_sup2, NULL, &f),
			 0);
	rc = run_shell("'%s' audit '%s' --now 2026-11-22T03:00:00Z --skip last-sync --format html "
		       "-o '%s' 2>/dev/null",
		       SUSAUDIT_BINARY, f.xml_path, html);
	fixture_hierarchy_stop(&f);
	assert_int_equal(rc, 2);
	browse(html, png, &b);

	/* nothing went wrong in the page: no console message, no uncaught exception, and the
	 * page's own script ran (it shows the filter form and counts what it shows) */
	bad = console_message(b.log);
	if (bad)
		fail_msg("the report logged to the console: %.300s", bad);
	assert_non_null(strstr(b.dom, "<form id=\"filters\" class=\"filters\">"));
	assert_non_null(strstr(b.dom, "<span id=\"shown\" class=\"note\">"));
	assert_non_null(strstr(b.dom, " of "));

	/* the diagram: every server a box, p02-sup2 marked unreachable, a rule-breaking link in
	 * the error colour, Microsoft Update as the source */
	assert_non_null(strstr(b.dom, "aria-label=\"hierarchy diagram\""));
	assert_int_equal(count(b.dom, "<g class=\"node server "), 9);
	for (i = 0; i < sizeof(server_names) / sizeof(server_names[0]); i++) {
		char *label = xasprintf("text-anchor=\"middle\">%s</text>", server_names[i]);

		if (!strstr(b.dom, label))
			fail_msg("the diagram has no box for %s", server_names[i]);
		free(label);
	}
	assert_int_equal(count(b.dom, " unreachable\"><title>p02-sup2.contoso.com"), 1);
	assert_true(count(b.dom, "<path class=\"link sev-error\"") >= 2);
	assert_non_null(strstr(b.dom, "Microsoft Update</text>"));

	/* the findings, with evidence and remedy */
	assert_true(count(b.dom, "<article class=\"finding sev-error\"") >= 3);
	assert_true(count(b.dom, "<article class=\"finding sev-warning\"") >= 1);
	assert_non_null(strstr(b.dom, "missing-upstream-updates"));
	assert_non_null(strstr(b.dom, "server-unreachable"));
	assert_non_null(strstr(b.dom, "<h4>Remedy</h4>"));

	/* the hostile title is text: escaped in the DOM, and none of its markup became an element
	 * (document.title unchanged, no <img>, no element the onerror handler would create) */
	assert_non_null(strstr(b.dom,
			       "KB5039211 &lt;script&gt;alert(1)&lt;/script&gt;"
			       "&lt;script&gt;document.title='pwned-by-script'&lt;/script&gt;"
			       "\"&gt;&lt;img src=x onerror=alert(1)&gt;"));
	assert_non_null(strstr(b.dom, "<title>susaudit report: Contoso</title>"));
	assert_null(strstr(b.dom, "<img"));
	assert_null(strstr(b.dom, "<pwned-by-img"));
	assert_int_equal(count(b.dom, "<script>"), 1);
	/* the maintenance view (issue 16): every server once, in maintenance order, the deepest
	 * tier (the replicas and the secondary) first and the two top servers last */
	assert_non_null(strstr(b.dom, "<section id=\"maintenance\">"));
	assert_int_equal(count(b.dom, "<tr><td class=\"num\">"), 9);
	assert_non_null(strstr(b.dom, "<tr><td class=\"num\">1</td><td class=\"num\">2</td>"));
	assert_non_null(strstr(b.dom, "<tr><td class=\"num\">9</td><td class=\"num\">0</td>"));

	/* issue 18: the upstream a role requires, dashed, for the server that could not be read;
	 * lists of updates in evidence as tables */
	assert_non_null(strstr(b.dom, "<path class=\"link guide\""));
	assert_non_null(strstr(b.dom, "<table class=\"ev-table\">"));

	/* a real screenshot: a PNG of the window size, not an empty page */
	assert_true(b.npng > 24);
	assert_memory_equal(b.png, "\x89PNG\r\n\x1a\n", 8);
	assert_int_equal(be32((const unsigned char *)b.png + 16), 1400);
	assert_int_equal(be32((const unsigned char *)b.png + 20), 2000);
	assert_true(b.npng > 50000);
	print_message("screenshot of the report: %s\n", png);
	browser_result_free(&b);
	free(html);
	free(png);
}

/* A plan with a new server, in the browser: marked planned in the diagram and the servers
 * table, not "reachable yes"; nothing logged to the console. */
static void test_plan_in_browser(void **state)
{
	struct fixture_hierarchy f;
	struct browser_result b;
	char *html = xasprintf("%s/browser-plan.html", SUSAUDIT_TEST_TMPDIR);
	char *png = xasprintf("%s/browser-plan.png", SUSAUDIT_TEST_TMPDIR);
	char *plan = xasprintf("%s/browser-plan.xml", SUSAUDIT_TEST_TMPDIR), *xml, *at, *text;
	const char *bad;
	FILE *out;
	int rc;

	(void)state;
	assert_int_equal(fixture_hierarchy_start("tests/fixtures/clean/hierarchy.xml.in",
						 "tests/fixtures/clean", NULL, 0, NULL, NULL, &f),
			 0);
	xml = fixture_read_file(f.xml_path, NULL);
	assert_non_null(xml);
	at = strstr(xml, "<site code=\"S01\"");
	assert_non_null(at);
	text = xasprintf("%.*s<server name=\"p01-new.contoso.com\" port=\"8530\"/>\n      %s",
			 (int)(at - xml), xml, at);
	out = fopen(plan, "w");
	assert_non_null(out);
	fputs(text, out);
	fclose(out);
	rc = run_shell("'%s' audit '%s' --plan '%s' --now 2026-11-22T03:00:00Z --skip last-sync "
		       "--format html -o '%s' 2>/dev/null",
		       SUSAUDIT_BINARY, f.xml_path, plan, html);
	fixture_hierarchy_stop(&f);
	assert_true(rc == 0 || rc == 2);
	browse(html, png, &b);
	bad = console_message(b.log);
	if (bad)
		fail_msg("the plan report logged to the console: %.300s", bad);
	assert_non_null(strstr(b.dom, "planned: new server</text>"));
	assert_non_null(strstr(b.dom, "<td class=\"planned\">planned: new server"));
	assert_non_null(strstr(b.dom, "node server ok planned") ||
				strstr(b.dom, " planned\"><title>p01-new.contoso.com")
			    ? "ok"
			    : NULL);
	assert_memory_equal(b.png, "\x89PNG\r\n\x1a\n", 8);
	print_message("screenshot of the plan report: %s\n", png);
	browser_result_free(&b);
	free(text);
	free(xml);
	free(plan);
	free(html);
	free(png);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_console_is_seen),
	    cmocka_unit_test(test_report_in_browser),
	    cmocka_unit_test(test_plan_in_browser),
	};
	int rc;

	chromium = find_chromium();
	if (!chromium) {
		printf("test_html_browser: SKIPPED: chromium is not installed (Debian package "
		       "'chromium'; ./dev.sh installs it)\n");
		return EXIT_SKIP;
	}
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	free(chromium);
	return rc;
}
