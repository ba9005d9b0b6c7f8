/* test_suppress: the suppression file: loading, refusing bad entries, applying to findings. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "evidence.h"
#include "finding.h"
#include "hierarchy.h"
#include "log.h"
#include "report.h"
#include "suppress.h"
#include "xalloc.h"

#define FIXTURES SUSAUDIT_SOURCE_DIR "/tests/fixtures/hierarchy-files/"
#define NS "urn:susaudit:suppressions:1"

static const char *const known[] = {"approval-drift", "last-sync", "proxy-basic-auth",
				    "sync-source", "version-order"};
#define NKNOWN (sizeof(known) / sizeof(known[0]))

static char captured[16384];
static size_t captured_len;
static int captured_errors;

static void sink(enum log_level level, const char *message, void *data)
{
	int n;

	(void)data;
	if (level == LOG_LEVEL_ERROR)
		captured_errors++;
	n = snprintf(captured + captured_len, sizeof(captured) - captured_len, "%s\n", message);
	if (n > 0 && (size_t)n < sizeof(captured) - captured_len)
		captured_len += (size_t)n;
}

static int setup(void **state)
{
	(void)state;
	captured[0] = '\0';
	captured_len = 0;
	captured_errors = 0;
	log_set_sink(sink, NULL);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	log_set_sink(NULL, NULL);
	return 0;
}

static void assert_logged(const char *needle)
{
	if (!strstr(captured, needle)) {
		print_error("expected in the log: %s\nlog was:\n%s\n", needle, captured);
		fail();
	}
}

/* Local noon (TZ is UTC in this test) of the given day. */
static time_t day(int y, int m, int d, int hour, int min)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = hour;
	tm.tm_min = min;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

static int load_body(const char *body, const char *const *names, size_t nnames,
		     struct suppressions **out)
{
	char *xml = xasprintf("<suppressions xmlns=\"" NS "\">\n%s</suppressions>\n", body);
	int rc = suppress_load_memory(xml, strlen(xml), "s.xml", names, nnames, out);

	free(xml);
	return rc;
}

static void test_load(void **state)
{
	struct suppressions *s = NULL;
	const struct suppression *e;

	(void)state;
	assert_int_equal(suppress_load(FIXTURES "suppressions.xml", known, NKNOWN, &s), 0);
	assert_non_null(s);
	assert_int_equal(s->count, 4);
	assert_string_equal(s->path, FIXTURES "suppressions.xml");
	e = &s->items[0];
	assert_string_equal(e->check, "proxy-basic-auth");
	assert_string_equal(e->server, "p01-web.contoso.com");
	assert_string_equal(e->expires, "2027-03-31");
	assert_int_equal(e->expires_day, 20270331);
	assert_true(e->has_severity);
	assert_int_equal(e->severity, SEVERITY_INFO);
	assert_string_equal(e->justification,
			    "The DMZ proxy only offers basic authentication; replacement ordered "
			    "(change CHG-1234).");
	e = &s->items[1];
	assert_string_equal(e->check, "version-order");
	assert_null(e->server);
	assert_null(e->expires);
	assert_int_equal(e->expires_day, 0);
	assert_false(e->has_severity);
	assert_int_equal(s->items[2].expires_day, 20260131);
	/* where the element starts, also when its start tag spans lines */
	assert_int_equal(s->items[0].line, 3);
	assert_int_equal(s->items[2].line, 8);
	assert_int_equal(captured_errors, 0);
	suppress_free(s);

	/* without a list of names any well-formed name is accepted */
	assert_int_equal(
	    load_body("<suppress check=\"future-check\">why</suppress>\n", NULL, 0, &s), 0);
	assert_int_equal(s->count, 1);
	suppress_free(s);

	/* an empty file of suppressions is fine */
	assert_int_equal(load_body("", known, NKNOWN, &s), 0);
	assert_int_equal(s->count, 0);
	suppress_free(s);
	suppress_free(NULL);
}

struct bad_case {
	const char *body;
	const char *message;
};

static const struct bad_case bad_cases[] = {
    {"<suppress check=\"no-such-check\">x</suppress>\n",
     "s.xml:2: suppress: unknown check 'no-such-check' ('susaudit checks' lists them)"},
    {"<suppress check=\"last-sync\"/>\n",
     "s.xml:2: suppress of 'last-sync': a justification is required"},
    {"<suppress check=\"last-sync\">  \n  </suppress>\n",
     "s.xml:2: suppress of 'last-sync': a justification is required"},
    {"<suppress check=\"last-sync\" expires=\"2027-02-29\">x</suppress>\n",
     "s.xml:2: suppress of 'last-sync': expires '2027-02-29' is not a date (YYYY-MM-DD)"},
    {"<suppress check=\"last-sync\" expires=\"31/03/2027\">x</suppress>\n",
     "s.xml:2: suppress of 'last-sync': expires '31/03/2027' is not a date"},
    {"<suppress check=\"last-sync\" severity=\"critical\">x</suppress>\n",
     "s.xml:2: suppress of 'last-sync': severity 'critical' is not one of: info, warning, "
     "error"},
    {"<suppress server=\"a\">x</suppress>\n",
     "s.xml:2: suppress: name the check (check=\"...\") or the finding (id=\"...\""},
    {"<suppress id=\"XYZ\">x</suppress>\n", "s.xml:2: element 'suppress', attribute 'id'"},
    {"<suppress check=\"last-sync\" until=\"2027-01-01\">x</suppress>\n",
     "s.xml:2: element 'suppress', attribute 'until': the attribute 'until' is not allowed"},
    {"<suppress check=\"last-sync\">x<b>y</b></suppress>\n",
     "s.xml:2: element 'suppress': element content is not allowed"},
    {"<ignore check=\"last-sync\">x</ignore>\n",
     "s.xml:2: element 'ignore': this element is not expected"},
};

static void test_bad_entries(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		struct suppressions *s = (struct suppressions *)1;

		setup(state);
		if (load_body(bad_cases[i].body, known, NKNOWN, &s) != -1) {
			print_error("case %zu loaded but should not\n", i);
			fail();
		}
		assert_null(s);
		assert_logged(bad_cases[i].message);
	}
}

static void test_hostile(void **state)
{
	struct suppressions *s = NULL;
	const char *xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE s [<!ENTITY e SYSTEM "
			  "\"file:///etc/passwd\">]>\n<suppressions xmlns=\"" NS "\">"
			  "<suppress check=\"last-sync\">&e;</suppress></suppressions>";
	const char *other = "<suppressions xmlns=\"urn:susaudit:hierarchy:1\"/>";
	char *big, *body;

	(void)state;
	assert_int_equal(suppress_load_memory(xxe, strlen(xxe), "x.xml", known, NKNOWN, &s), -1);
	assert_null(s);
	assert_logged("x.xml:2: DOCTYPE and entity declarations are not allowed");

	setup(state);
	assert_int_equal(suppress_load_memory(other, strlen(other), "o.xml", known, NKNOWN, &s),
			 -1);
	assert_logged("o.xml:1: root element is 'suppressions' in namespace "
		      "'urn:susaudit:hierarchy:1': expected <suppressions "
		      "xmlns=\"urn:susaudit:suppressions:1\">");

	setup(state);
	assert_int_equal(suppress_load_memory("", 0, "e.xml", known, NKNOWN, &s), -1);
	assert_logged("e.xml: is empty");

	/* a justification is a sentence, not a payload */
	setup(state);
	big = xmalloc(10001);
	memset(big, 'j', 10000);
	big[10000] = '\0';
	body = xasprintf("<suppress check=\"last-sync\">%s</suppress>\n", big);
	assert_int_equal(load_body(body, known, NKNOWN, &s), -1);
	assert_logged("s.xml:2: text longer than 4096 bytes: refused");
	free(body);
	free(big);

	setup(state);
	assert_int_equal(suppress_load(FIXTURES "missing.xml", known, NKNOWN, &s), -1);
	assert_logged("could not open '");
}

static struct finding *add(struct findings *f, const char *check, enum severity sev,
			   const char *server)
{
	return findings_add(f, check, "R1", sev, server, NULL, 0, "message", "remedy");
}

static const struct finding *find_entry_finding(const struct findings *f, const char *needle)
{
	size_t i;

	for (i = 0; i < f->count; i++)
		if (strcmp(f->items[i].check, "suppression") == 0 &&
		    strstr(f->items[i].message, needle))
			return &f->items[i];
	return NULL;
}

static void test_apply(void **state)
{
	struct suppressions *s = NULL;
	const struct finding *x;
	struct findings f;
	struct arena a;
	const struct evidence *ev;
	char *expect;

	(void)state;
	assert_int_equal(suppress_load(FIXTURES "suppressions.xml", known, NKNOWN, &s), 0);
	arena_init(&a);
	findings_init(&f, &a);
	add(&f, "proxy-basic-auth", SEVERITY_WARNING, "P01-WEB.contoso.com");
	add(&f, "version-order", SEVERITY_WARNING, "s01-sup1.contoso.com");
	add(&f, "version-order", SEVERITY_WARNING, NULL);
	add(&f, "last-sync", SEVERITY_ERROR, "s01-sup1.contoso.com");
	add(&f, "sync-source", SEVERITY_ERROR, "p01-web.contoso.com");
	add(&f, "proxy-basic-auth", SEVERITY_WARNING, "p02-web.contoso.com");

	suppress_apply(s, &f, day(2026, 6, 1, 12, 0));
	assert_int_equal(f.count, 8);

	/* severity override: kept, not suppressed, and the reason is there */
	assert_int_equal(f.items[0].severity, SEVERITY_INFO);
	assert_false(f.items[0].suppressed);
	assert_non_null(f.items[0].suppression);
	assert_non_null(strstr(f.items[0].suppression, "CHG-1234"));
	/* check-wide suppression, with or without a server */
	assert_true(f.items[1].suppressed);
	assert_string_equal(f.items[1].suppression,
			    "Upgrades roll out downstream first during the maintenance window.");
	assert_int_equal(f.items[1].severity, SEVERITY_WARNING);
	assert_true(f.items[2].suppressed);
	/* expired: applies no more */
	assert_false(f.items[3].suppressed);
	assert_null(f.items[3].suppression);
	assert_int_equal(f.items[3].severity, SEVERITY_ERROR);
	/* untouched */
	assert_false(f.items[4].suppressed);
	assert_null(f.items[4].suppression);
	assert_false(f.items[5].suppressed);
	assert_int_equal(f.items[5].severity, SEVERITY_WARNING);

	expect = xasprintf("suppression of 'last-sync' for 'S01-SUP1.contoso.com' at %s:8 "
			   "expired on 2026-01-31",
			   FIXTURES "suppressions.xml");
	x = find_entry_finding(&f, "expired");
	assert_non_null(x);
	assert_string_equal(x->message, expect);
	free(expect);
	assert_int_equal(x->severity, SEVERITY_WARNING);
	assert_string_equal(x->rule, "-");
	assert_null(x->server);
	ev = evidence_get(x->evidence, "line");
	assert_non_null(ev);
	assert_int_equal(ev->integer, 8);
	ev = evidence_get(x->evidence, "expires");
	assert_non_null(ev);
	assert_string_equal(ev->string, "2026-01-31");

	expect = xasprintf("suppression of 'approval-drift' for 'gone.contoso.com' at %s:10 "
			   "matched no finding",
			   FIXTURES "suppressions.xml");
	x = find_entry_finding(&f, "matched no finding");
	assert_non_null(x);
	assert_string_equal(x->message, expect);
	free(expect);
	ev = evidence_get(x->evidence, "check");
	assert_non_null(ev);
	assert_string_equal(ev->string, "approval-drift");

	findings_release(&f);
	arena_release(&a);
	suppress_free(s);
}

/* `expires` is the last day the entry applies (local time). */
static void test_expiry_boundary(void **state)
{
	struct suppressions *s = NULL;
	struct findings f;
	struct arena a;

	(void)state;
	assert_int_equal(
	    load_body("<suppress check=\"last-sync\" expires=\"2027-03-31\">x</suppress>\n", known,
		      NKNOWN, &s),
	    0);
	arena_init(&a);

	findings_init(&f, &a);
	add(&f, "last-sync", SEVERITY_ERROR, "a");
	suppress_apply(s, &f, day(2027, 3, 31, 23, 59));
	assert_int_equal(f.count, 1);
	assert_true(f.items[0].suppressed);
	findings_release(&f);

	findings_init(&f, &a);
	add(&f, "last-sync", SEVERITY_ERROR, "a");
	suppress_apply(s, &f, day(2027, 4, 1, 0, 0));
	assert_int_equal(f.count, 2);
	assert_false(f.items[0].suppressed);
	assert_non_null(strstr(f.items[1].message, "s.xml:2 expired on 2027-03-31"));
	findings_release(&f);

	arena_release(&a);
	suppress_free(s);
}

/* An entry for the server wins over a check-wide one, whatever their order. */
static void test_precedence(void **state)
{
	struct suppressions *s = NULL;
	struct findings f;
	struct arena a;

	(void)state;
	assert_int_equal(load_body("<suppress check=\"last-sync\">everywhere</suppress>\n"
				   "<suppress check=\"last-sync\" server=\"B\" severity=\"info\">"
				   "b only</suppress>\n",
				   known, NKNOWN, &s),
			 0);
	arena_init(&a);
	findings_init(&f, &a);
	add(&f, "last-sync", SEVERITY_ERROR, "a");
	add(&f, "last-sync", SEVERITY_ERROR, "b");
	suppress_apply(s, &f, day(2026, 6, 1, 12, 0));
	assert_int_equal(f.count, 2);
	assert_true(f.items[0].suppressed);
	assert_string_equal(f.items[0].suppression, "everywhere");
	assert_false(f.items[1].suppressed);
	assert_int_equal(f.items[1].severity, SEVERITY_INFO);
	assert_string_equal(f.items[1].suppression, "b only");

	/* no file, nothing happens */
	suppress_apply(NULL, &f, day(2026, 6, 1, 12, 0));
	assert_int_equal(f.count, 2);
	findings_release(&f);
	arena_release(&a);
	suppress_free(s);
}

/* `related` and `id` narrow an entry: related servers in any order, all of them; an id alone
 * (no check) names one finding identity. */
static void test_related_and_id(void **state)
{
	const char *pair[] = {"p01-sup1.contoso.com", "cas-sup1.contoso.com"};
	const char *one[] = {"p01-sup1.contoso.com"};
	struct suppressions *s = NULL;
	struct findings f;
	struct arena a;
	char id[FINDING_ID_SIZE], *body;

	(void)state;
	arena_init(&a);
	findings_init(&f, &a);
	findings_add(&f, "approval-drift", "R8", SEVERITY_WARNING, "s01", pair, 2, "m", "r");
	findings_add(&f, "approval-drift", "R8", SEVERITY_WARNING, "s01", one, 1, "m", "r");
	findings_add(&f, "last-sync", "-", SEVERITY_ERROR, "s02", NULL, 0, "m", "r");
	findings_add(&f, "last-sync", "-", SEVERITY_ERROR, "s03", NULL, 0, "m", "r");
	finding_id(&f.items[3], id);
	body = xasprintf("<suppress check=\"approval-drift\" related=\"cas-sup1.contoso.com "
			 "p01-sup1.contoso.com\">both</suppress>\n"
			 "<suppress id=\"%s\">by id</suppress>\n",
			 id);
	assert_int_equal(load_body(body, known, NKNOWN, &s), 0);
	free(body);
	assert_int_equal(s->items[0].nrelated, 2);
	assert_string_equal(s->items[1].id, id);
	assert_null(s->items[1].check);
	suppress_apply(s, &f, day(2026, 6, 1, 12, 0));
	assert_true(f.items[0].suppressed);  /* same related servers, other order */
	assert_false(f.items[1].suppressed); /* a subset is another finding */
	assert_false(f.items[2].suppressed);
	assert_true(f.items[3].suppressed);
	assert_string_equal(f.items[3].suppression, "by id");
	assert_int_equal(f.count, 4); /* both entries matched: no entry finding */
	findings_release(&f);
	arena_release(&a);
	suppress_free(s);
}

/* Servers the entries name must be servers of the hierarchy: a name that is not is a load
 * error with file and line; a NetBIOS name or an alias resolves to the server's name, so
 * `server="p02-sup1"` matches the findings about p02-sup1.contoso.com. */
static void test_servers_checked_against_hierarchy(void **state)
{
	static const char xml[] =
	    "<?xml version=\"1.0\"?>\n"
	    "<hierarchy xmlns=\"urn:susaudit:hierarchy:1\" name=\"H\">\n"
	    "  <defaults user=\"u\" password-env=\"P\"/>\n"
	    "  <server name=\"p02-sup1.contoso.com\" port=\"8530\" sql=\"db1\"/>\n"
	    "  <server name=\"branch.fabrikam.com\" port=\"8530\" sql=\"db2\" aliases=\"BR1\"/>\n"
	    "</hierarchy>\n";
	struct hierarchy *h = NULL;
	struct suppressions *s = NULL;
	struct findings f;
	struct arena a;

	assert_int_equal(hierarchy_load_memory(xml, sizeof(xml) - 1, "h.xml", &h), 0);
	assert_int_equal(load_body("<suppress check=\"last-sync\" server=\"P02-SUP1\">a</suppress>\n"
				   "<suppress check=\"last-sync\" server=\"br1\" related=\"p02-sup1\">"
				   "b</suppress>\n",
				   known, NKNOWN, &s),
			 0);
	assert_int_equal(suppress_check_servers(s, h), 0);
	assert_string_equal(s->items[0].server, "p02-sup1.contoso.com");
	assert_string_equal(s->items[1].server, "branch.fabrikam.com");
	assert_string_equal(s->items[1].related[0], "p02-sup1.contoso.com");
	arena_init(&a);
	findings_init(&f, &a);
	add(&f, "last-sync", SEVERITY_ERROR, "p02-sup1.contoso.com");
	suppress_apply(s, &f, day(2026, 6, 1, 12, 0));
	assert_true(f.items[0].suppressed);
	findings_release(&f);
	arena_release(&a);
	suppress_free(s);

	setup(state);
	assert_int_equal(load_body("<suppress check=\"last-sync\">ok</suppress>\n"
				   "<suppress check=\"approval-drift\" server=\"gone.contoso.com\">"
				   "x</suppress>\n",
				   known, NKNOWN, &s),
			 0);
	assert_int_equal(suppress_check_servers(s, h), -1);
	assert_logged("s.xml:3: suppress of 'approval-drift': server 'gone.contoso.com' is not "
		      "in the hierarchy 'H'");
	suppress_free(s);
	hierarchy_free(h);
}

/* A severity override keeps its justification in the JSON report (it was null before) and
 * says it in the text report. */
static void test_override_justification_reported(void **state)
{
	struct findings f;
	struct arena a;
	struct report r;
	struct finding *x;
	char *out = NULL;
	size_t len = 0;
	FILE *mem;

	(void)state;
	arena_init(&a);
	findings_init(&f, &a);
	x = add(&f, "proxy-basic-auth", SEVERITY_WARNING, "p01-web.contoso.com");
	x->severity = SEVERITY_INFO;
	x->suppression = "change CHG-1234";
	memset(&r, 0, sizeof(r));
	r.hierarchy = "H";
	r.findings = f.items;
	r.nfindings = f.count;
	mem = open_memstream(&out, &len);
	assert_int_equal(report_write(&r, REPORT_JSON, NULL, mem), 0);
	fclose(mem);
	assert_non_null(strstr(out, "\"suppressed\": false,\n      \"suppression\": \"change CHG-1234\""));
	free(out);
	mem = open_memstream(&out, &len);
	assert_int_equal(report_write(&r, REPORT_TEXT, NULL, mem), 0);
	fclose(mem);
	assert_non_null(strstr(out, "severity set by a suppression:"));
	assert_non_null(strstr(out, "change CHG-1234"));
	free(out);
	findings_release(&f);
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_load, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_entries, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_hostile, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_apply, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_expiry_boundary, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_precedence, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_related_and_id, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_servers_checked_against_hierarchy, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_override_justification_reported, setup,
					    teardown),
	};

	/* expiry is a local day: pin the zone so the boundaries are what the tests say */
	setenv("TZ", "UTC", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
