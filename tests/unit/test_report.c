/* test_report: every report format against golden files, plus validity and safety checks.
 *
 * Golden files live in tests/golden/report.<ext>. After an intended change of the output,
 * regenerate them with
 *     SUSAUDIT_UPDATE_GOLDEN=1 ctest --test-dir BUILD -R test_report
 * and review the diff before committing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "log.h"
#include "report.h"
#include "test_report_support.h"

static const struct report_options plain = {0, 0, SEVERITY_WARNING, 0};

static int setup(void **state)
{
	struct report_fixture *fx = malloc(sizeof(*fx));

	if (!fx)
		return -1;
	report_fixture_init(fx);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	report_fixture_release(*state);
	free(*state);
	return 0;
}

static char *render(const struct report *r, enum report_format format,
		    const struct report_options *opt, size_t *len)
{
	char *out;
	size_t n;

	assert_int_equal(report_render(r, format, opt, &out, &n), 0);
	assert_non_null(out);
	if (len)
		*len = n;
	return out;
}

static void assert_prefix(const char *s, const char *prefix)
{
	if (strncmp(s, prefix, strlen(prefix)) != 0)
		fail_msg("'%.*s' does not start with '%s'", (int)strlen(prefix), s, prefix);
}

static void assert_json_valid(const char *s, size_t len)
{
	char err[128];

	if (json_check(s, len, err, sizeof(err)) != 0)
		fail_msg("invalid JSON: %s", err);
}

static void test_format_parse(void **state)
{
	static const char *const names[] = {"text", "json", "html", "junit", "csv", "nagios"};
	enum report_format f;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		assert_int_equal(report_format_parse(names[i], &f), 0);
		assert_int_equal((int)f, (int)i);
		assert_string_equal(report_format_name(f), names[i]);
	}
	assert_int_equal(report_format_parse("xml", &f), -1);
	assert_int_equal(report_format_parse("JSON", &f), -1);
	assert_int_equal(report_format_parse("", &f), -1);
	assert_int_equal(report_format_parse(NULL, &f), -1);
}

static void test_count(void **state)
{
	struct report_fixture *fx = *state;
	int e = -1, w = -1, i = -1;

	report_count(&fx->report, &e, &w, &i);
	assert_int_equal(e, 5);
	assert_int_equal(w, 2); /* the approval-drift warning is suppressed */
	assert_int_equal(i, 2);
	report_count(&fx->report, NULL, NULL, NULL); /* any may be NULL */
}

static void golden(void **state, enum report_format format, const char *name)
{
	struct report_fixture *fx = *state;
	size_t len;
	char *out = render(&fx->report, format, &plain, &len);

	golden_check(name, out, len);
	free(out);
}

static void test_golden_text(void **state)
{
	golden(state, REPORT_TEXT, "report.txt");
}
static void test_golden_json(void **state)
{
	golden(state, REPORT_JSON, "report.json");
}
static void test_golden_html(void **state)
{
	golden(state, REPORT_HTML, "report.html");
}
static void test_golden_junit(void **state)
{
	golden(state, REPORT_JUNIT, "report.junit.xml");
}
static void test_golden_csv(void **state)
{
	golden(state, REPORT_CSV, "report.csv");
}
static void test_golden_nagios(void **state)
{
	golden(state, REPORT_NAGIOS, "report.nagios.txt");
}

static void test_planned(void **state)
{
	struct report_fixture *fx = *state;
	struct finding *items = fx->findings.items;
	size_t i, len;
	char *out;

	fx->report.planned = 1;
	for (i = 0; i < fx->findings.count; i++)
		if (items[i].change == CHANGE_PERSISTING)
			items[i].change = CHANGE_UNCHANGED;
	out = render(&fx->report, REPORT_TEXT, &plain, &len);
	assert_non_null(strstr(out, "Contoso (planned)"));
	assert_non_null(strstr(out, "[unchanged]"));
	assert_non_null(strstr(out, "Resolved by the plan (1)"));
	assert_null(strstr(out, "[persisting]"));
	free(out);
	out = render(&fx->report, REPORT_JSON, &plain, &len);
	assert_json_valid(out, len);
	assert_non_null(strstr(out, "\"planned\": true"));
	assert_non_null(strstr(out, "\"status\": \"unchanged\""));
	assert_non_null(strstr(out, "\"status\": \"resolved\""));
	free(out);
}

static void test_text_content(void **state)
{
	struct report_fixture *fx = *state;
	char *out = render(&fx->report, REPORT_TEXT, &plain, NULL);

	assert_null(strchr(out, '\033')); /* no colour, and ESC from the database escaped */
	assert_non_null(strstr(out, "\\x1b[31mred"));
	assert_non_null(strstr(out, "a\\x01b"));
	assert_non_null(strstr(out, "findings   5 errors, 2 warnings, 2 info (1 suppressed)"));
	/* 30 items, 20 shown, 10 cut and 5 never read */
	assert_non_null(strstr(out, "KB5000019"));
	assert_null(strstr(out, "KB5000020"));
	assert_non_null(strstr(out, "... and 15 more"));
	assert_non_null(strstr(out, "[new]"));
	assert_non_null(strstr(out, "[persisting]"));
	assert_non_null(strstr(out, "Resolved since the last audit (1)"));
	assert_non_null(strstr(out, "Suppressed (1)"));
	assert_non_null(strstr(out, "ticket CHG-1234"));
	/* every server's content folder (R11), the Japanese one included */
	assert_non_null(strstr(out, "E:\\更新プログラム\\WsusContent"));
	assert_non_null(strstr(out, "D:\\WSUS\\WsusContent"));
	assert_non_null(strstr(out, "unreachable: p01-sup3.contoso.com"));
	assert_non_null(strstr(out, "\xef\xbf\xbd")); /* invalid UTF-8 replaced */
	free(out);
}

static void test_text_color(void **state)
{
	struct report_fixture *fx = *state;
	struct report_options opt = {1, 5, SEVERITY_WARNING, 0};
	char *out = render(&fx->report, REPORT_TEXT, &opt, NULL);

	assert_non_null(strstr(out, "\033[1;31merror\033[0m"));
	assert_non_null(strstr(out, "\033[33mwarning\033[0m"));
	assert_null(strstr(out, "\033[31mred"));	 /* the database's escape stays escaped */
	assert_non_null(strstr(out, "... and 30 more")); /* cap of 5: 25 cut, 5 never read */
	free(out);
}

static void test_json_content(void **state)
{
	struct report_fixture *fx = *state;
	size_t len;
	char *out = render(&fx->report, REPORT_JSON, &plain, &len);

	assert_json_valid(out, len);
	assert_non_null(strstr(out, "\"format\": \"susaudit-report/1\""));
	assert_non_null(strstr(out, "\"tool\": {\"name\": \"susaudit\", \"version\": \"1.0.0\"}"));
	assert_non_null(strstr(out, "\"generated_at\": \"2026-11-22T03:00:00Z\""));
	assert_non_null(strstr(out, "\"summary\": {\"error\": 5, \"warning\": 2, \"info\": 2"));
	/* evidence is complete in JSON: every item, and the count of those not kept */
	assert_non_null(strstr(out, "\"KB5000029\""));
	assert_non_null(strstr(out, "\"missing_omitted\": 5"));
	assert_non_null(strstr(out, "a\\u0001b\\u001b[31mred\\u007fc\\td"));
	assert_non_null(strstr(out, "login failed\\nfor user 'audit'\\u0001"));
	assert_non_null(strstr(out, "\"bad \xef\xbf\xbd\xef\xbf\xbd utf8 \xef\xbf\xbd( "));
	assert_non_null(strstr(out, "\"セキュリティ更新プログラム\""));
	assert_non_null(strstr(out, "\"title\": \"\\\"><img src=x onerror=alert(1)>\""));
	assert_non_null(strstr(out, "\"upstream\": {\"name\": \"P01-SUP1\", \"port\": 8530, "
				    "\"ssl\": false, \"server\": \"p01-sup1.contoso.com\"}"));
	assert_non_null(strstr(out, "\"status\": \"persisting\""));
	assert_non_null(strstr(out, "\"resolved\": ["));
	assert_non_null(strstr(out, "\"suppression\": \"replica catching up"));
	assert_non_null(strstr(out, "9223372036854775807"));
	free(out);

	/* without --store/--plan: no status and no resolved list */
	fx->report.with_change = 0;
	out = render(&fx->report, REPORT_JSON, &plain, &len);
	assert_json_valid(out, len);
	assert_null(strstr(out, "\"status\": \"new\""));
	assert_null(strstr(out, "\"resolved\""));
	free(out);
}

/* Walks the parsed page: no element or attribute may run or load anything but our script. */
static void html_walk(xmlNode *node, int *scripts, int *svgs)
{
	xmlAttr *a;

	for (; node; node = node->next) {
		if (node->type != XML_ELEMENT_NODE)
			continue;
		if (xmlStrcasecmp(node->name, BAD_CAST "script") == 0)
			(*scripts)++;
		if (xmlStrcasecmp(node->name, BAD_CAST "svg") == 0)
			(*svgs)++;
		if (xmlStrcasecmp(node->name, BAD_CAST "img") == 0 ||
		    xmlStrcasecmp(node->name, BAD_CAST "iframe") == 0 ||
		    xmlStrcasecmp(node->name, BAD_CAST "link") == 0)
			fail_msg("unexpected <%s> element", (const char *)node->name);
		for (a = node->properties; a; a = a->next) {
			xmlChar *v = xmlNodeGetContent((xmlNode *)a);

			if (xmlStrncasecmp(a->name, BAD_CAST "on", 2) == 0)
				fail_msg("event handler attribute '%s'", (const char *)a->name);
			if (xmlStrcasecmp(a->name, BAD_CAST "src") == 0)
				fail_msg("src attribute '%s'", (const char *)v);
			if (xmlStrcasecmp(a->name, BAD_CAST "href") == 0 && v &&
			    xmlStrncasecmp(v, BAD_CAST "#", 1) != 0)
				fail_msg("external href '%s'", (const char *)v);
			xmlFree(v);
		}
		html_walk(node->children, scripts, svgs);
	}
}

static void test_html_safe(void **state)
{
	struct report_fixture *fx = *state;
	size_t len, len2;
	char *out = render(&fx->report, REPORT_HTML, &plain, &len), *again;
	htmlDocPtr doc;
	int scripts = 0, svgs = 0;

	assert_null(strstr(out, "<script>alert"));
	assert_null(strstr(out, "<img"));
	assert_null(strstr(out, "\x01"));
	assert_null(strstr(out, " src=\""));
	assert_non_null(strstr(out, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_non_null(strstr(out, "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
	assert_non_null(strstr(out, "<svg"));
	assert_non_null(strstr(out, ">unreachable</text>"));
	assert_non_null(strstr(out, ">Microsoft Update</text>"));
	assert_non_null(strstr(out, ">old-wsus.contoso.com</text>"));
	assert_non_null(strstr(out, "class=\"link sev-error\""));
	assert_non_null(strstr(out, "id=\"trend\""));
	/* the trend's axis is an open path: unfilled, or it paints a black triangle */
	assert_non_null(strstr(out, "svg .axis { fill: none;"));
	assert_non_null(strstr(out, "<path class=\"axis\""));
	assert_non_null(strstr(out, "data-server=\"p01-web.contoso.com\""));
	/* folders may wrap after a separator, never inside a folder name */
	assert_non_null(
	    strstr(out, "<td class=\"path\">E:\\<wbr>更新プログラム\\<wbr>WsusContent</td>"));
	assert_non_null(strstr(out, "&#8230; and 15 more"));
	/* the servers table scrolls inside the page instead of spilling out of it */
	assert_non_null(strstr(out, "<div class=\"table-wrap\">\n<table>\n<tr><th>Server</th>"));
	/* the maintenance view (issue 16): in order, the hostile note escaped */
	assert_non_null(strstr(out, "<section id=\"maintenance\">"));
	assert_non_null(strstr(out, "not read &lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_non_null(strstr(out, "<section id=\"superseded-trend\">"));

	doc = htmlReadMemory(out, (int)len, "report.html", "UTF-8",
			     HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
	assert_non_null(doc);
	html_walk(xmlDocGetRootElement(doc), &scripts, &svgs);
	assert_int_equal(scripts, 1);
	assert_int_equal(svgs, 3); /* hierarchy, trend, superseded trend (issue 16) */
	xmlFreeDoc(doc);

	/* same input, same bytes */
	again = render(&fx->report, REPORT_HTML, &plain, &len2);
	assert_int_equal(len, len2);
	assert_memory_equal(out, again, len);
	free(again);
	free(out);
}

static void test_junit_wellformed(void **state)
{
	struct report_fixture *fx = *state;
	size_t len;
	char *out = render(&fx->report, REPORT_JUNIT, &plain, &len);
	xmlDocPtr doc;
	xmlNode *root, *suite, *tc, *child;
	int cases = 0, failures = 0, errors = 0, skipped = 0;
	xmlChar *attr;

	doc = xmlReadMemory(out, (int)len, "report.junit.xml", NULL, XML_PARSE_NONET);
	assert_non_null(doc);
	root = xmlDocGetRootElement(doc);
	assert_string_equal((const char *)root->name, "testsuites");
	for (suite = root->children; suite && suite->type != XML_ELEMENT_NODE; suite = suite->next)
		;
	assert_non_null(suite);
	assert_string_equal((const char *)suite->name, "testsuite");
	for (tc = suite->children; tc; tc = tc->next) {
		if (tc->type != XML_ELEMENT_NODE || xmlStrcmp(tc->name, BAD_CAST "testcase") != 0)
			continue;
		cases++;
		for (child = tc->children; child; child = child->next) {
			failures += xmlStrcmp(child->name, BAD_CAST "failure") == 0;
			errors += xmlStrcmp(child->name, BAD_CAST "error") == 0;
			skipped += xmlStrcmp(child->name, BAD_CAST "skipped") == 0;
		}
	}
	/* 14 checks, one case each, and content-path has two: its finding on branch-wsus and
	 * the error it ended with */
	assert_int_equal(cases, 15);
	assert_int_equal(failures, 7); /* 5 errors and 2 unsuppressed warnings */
	assert_int_equal(errors, 1);
	assert_int_equal(skipped, 1);
	attr = xmlGetProp(suite, BAD_CAST "failures");
	assert_string_equal((const char *)attr, "7");
	xmlFree(attr);
	attr = xmlGetProp(suite, BAD_CAST "tests");
	assert_string_equal((const char *)attr, "15");
	xmlFree(attr);
	xmlFreeDoc(doc);
	assert_non_null(
	    strstr(out, "classname=\"susaudit.storage-option\" name=\"s01-sup1.contoso.com\""));
	assert_non_null(strstr(out, "classname=\"susaudit.version-order\" name=\"Contoso\""));
	assert_null(strstr(out, "\x01"));
	free(out);
}

/* Splits RFC 4180 records; returns the number of records, checking each has `nfields`. */
static size_t csv_records(const char *s, size_t nfields)
{
	size_t records = 0, fields = 1;
	int quoted = 0;

	for (; *s; s++) {
		if (quoted) {
			if (*s == '"' && s[1] == '"')
				s++;
			else if (*s == '"')
				quoted = 0;
		} else if (*s == '"') {
			quoted = 1;
		} else if (*s == ',') {
			fields++;
		} else if (*s == '\r' && s[1] == '\n') {
			assert_int_equal(fields, nfields);
			records++;
			fields = 1;
			s++;
		} else if (*s == '\n') {
			fail_msg("bare LF outside quotes");
		}
	}
	assert_false(quoted);
	return records;
}

static void test_csv(void **state)
{
	struct report_fixture *fx = *state;
	char *out = render(&fx->report, REPORT_CSV, &plain, NULL);

	assert_prefix(out,
		      "severity,check,rule,server,related,message,remedy,status,suppressed,id,hierarchy,"
		      "collected_at,tds_version,login_encrypted,session_encrypted,certificate_verified,"
		      "auth,password_exposed\r\n");
	assert_int_equal(csv_records(out, 18), 1 + fx->report.nfindings + fx->report.nresolved);
	assert_non_null(strstr(out, ",\"'@SUM(1+1) is how"));
	assert_non_null(strstr(out, ",p01-sup1.contoso.com;cas-sup1.contoso.com,"));
	assert_non_null(strstr(out, "\"content folder 'C:\\WSUS\"\"><img"));
	assert_non_null(strstr(out, "error,server-unreachable,-,"));
	assert_non_null(strstr(out, ",resolved,false,"));
	assert_non_null(strstr(out, ",persisting,true,"));
	assert_non_null(strstr(out, ",,,,,,\r\n"));
	/* the connection columns come from the finding's server */
	assert_non_null(strstr(out, ",7.3,true,false,false,sql,true\r\n"));
	free(out);
}

static void test_nagios(void **state)
{
	struct report_fixture *fx = *state;
	struct report_options opt = plain;
	struct finding *items = fx->findings.items;
	char *out = render(&fx->report, REPORT_NAGIOS, &plain, NULL);
	size_t i;

	assert_prefix(out, "SUSAUDIT CRITICAL - 5 errors, 2 warnings, 2 infos | errors=5;;;0 "
			   "warnings=2;;;0 infos=2;;;0 servers=8;;;0 unreachable=1;;;0 "
			   "password_exposed=1;;;0\nhierarchy: "
			   "Contoso\nerror: p01-sup2.contoso.com: upstream-port: ");
	assert_int_equal(report_nagios_status(&fx->report), 2);
	free(out);

	/* warnings only: WARNING, or OK with --fail-on error */
	for (i = 0; i < fx->findings.count; i++)
		if (items[i].severity == SEVERITY_ERROR)
			items[i].suppressed = 1;
	assert_int_equal(report_nagios_status(&fx->report), 1);
	assert_int_equal(report_nagios_status_fail_on(&fx->report, SEVERITY_ERROR), 0);
	opt.fail_on = SEVERITY_ERROR;
	out = render(&fx->report, REPORT_NAGIOS, &opt, NULL);
	assert_prefix(out, "SUSAUDIT OK - 2 warnings, 2 infos | errors=0;;;0 ");
	free(out);

	/* infos only: OK by default, WARNING with --fail-on info */
	for (i = 0; i < fx->findings.count; i++)
		if (items[i].severity == SEVERITY_WARNING)
			items[i].suppressed = 1;
	assert_int_equal(report_nagios_status(&fx->report), 0);
	assert_int_equal(report_nagios_status_fail_on(&fx->report, SEVERITY_INFO), 1);

	for (i = 0; i < fx->findings.count; i++)
		items[i].suppressed = 1;
	out = render(&fx->report, REPORT_NAGIOS, &plain, NULL);
	assert_prefix(out, "SUSAUDIT OK - no findings | ");
	free(out);

	fx->report.nservers = 0;
	assert_int_equal(report_nagios_status(&fx->report), 3);
	out = render(&fx->report, REPORT_NAGIOS, &plain, NULL);
	assert_prefix(out, "SUSAUDIT UNKNOWN - no server in the report | ");
	free(out);
}

/* An empty report, and a finding whose every string is NULL: nothing may crash. */
static void test_empty_and_null(void **state)
{
	struct report r;
	struct report_server s;
	struct report_check c;
	struct finding f;
	enum report_format fmt;
	size_t len;
	char *out;

	(void)state;
	memset(&r, 0, sizeof(r));
	for (fmt = REPORT_TEXT; fmt <= REPORT_NAGIOS; fmt++) {
		out = render(&r, fmt, NULL, &len);
		if (fmt == REPORT_JSON)
			assert_json_valid(out, len);
		free(out);
	}
	memset(&s, 0, sizeof(s));
	s.upstream_index = 5; /* out of range: ignored */
	s.sync_source = "upstream";
	s.upstream_name = NULL;
	memset(&c, 0, sizeof(c));
	c.status = CHECK_FAIL;
	memset(&f, 0, sizeof(f));
	f.nrelated = 2; /* with related NULL */
	r.servers = &s;
	r.nservers = 1;
	r.checks = &c;
	r.nchecks = 1;
	r.findings = &f;
	r.nfindings = 1;
	r.resolved = &f;
	r.nresolved = 1;
	r.with_change = 1;
	for (fmt = REPORT_TEXT; fmt <= REPORT_NAGIOS; fmt++) {
		out = render(&r, fmt, NULL, &len);
		if (fmt == REPORT_JSON)
			assert_json_valid(out, len);
		assert_true(len > 0);
		free(out);
	}
}

/* Nothing read: servers are placed by role, and the diagram starts with them, not with
 * empty layers; a diagram is never shrunk below 3/4 of its size, where labels blur. */
static void test_svg_nothing_read(void **state)
{
	struct report r;
	struct report_server s[2];
	char *out;

	(void)state;
	memset(&r, 0, sizeof(r));
	memset(s, 0, sizeof(s));
	s[0].name = "cas-sup1.contoso.com";
	s[0].site = "CAS";
	s[0].role = "top";
	s[1].name = "p01-sup1.contoso.com";
	s[1].site = "P01";
	s[1].role = "site-first";
	s[0].upstream_index = s[1].upstream_index = -1;
	s[0].updates = s[1].updates = s[0].approvals = s[1].approvals = -1;
	r.servers = s;
	r.nservers = 2;
	out = render(&r, REPORT_HTML, NULL, NULL);
	/* the first row of boxes sits at the top margin */
	assert_non_null(strstr(out, "y=\"20\" width=\"200\" height=\"58\" rx=\"6\"/>"));
	assert_non_null(strstr(out, "viewBox=\"0 0 920 262\""));
	assert_non_null(strstr(out, "style=\"min-width: 690px\""));
	free(out);
}

static void test_huge(void **state)
{
	struct report_fixture *fx = *state;
	enum report_format fmt;
	size_t len;
	char *out;

	report_fixture_add_huge(fx);
	for (fmt = REPORT_TEXT; fmt <= REPORT_NAGIOS; fmt++) {
		out = render(&fx->report, fmt, &plain, &len);
		switch (fmt) {
		case REPORT_JSON:
			assert_json_valid(out, len);
			assert_true(len > 2 * 1024 * 1024); /* message and title, both whole */
			break;
		case REPORT_TEXT:
			assert_non_null(strstr(out, "more characters]"));
			assert_true(len < 200 * 1024);
			break;
		case REPORT_HTML:
			assert_non_null(strstr(out, "more characters]"));
			assert_null(strstr(out, "<a href"));
			break;
		case REPORT_NAGIOS:
			assert_non_null(strstr(out, "SUSAUDIT CRITICAL - 6 errors"));
			break;
		default:
			break;
		}
		free(out);
	}
}

static void sink(enum log_level level, const char *message, void *data)
{
	if (level == LOG_LEVEL_ERROR)
		snprintf(data, 256, "%s", message);
}

static void test_write_error(void **state)
{
	struct report_fixture *fx = *state;
	char message[256] = "";
	FILE *full = fopen("/dev/full", "w");
	enum report_format fmt;

	if (!full)
		skip();
	log_set_sink(sink, message);
	for (fmt = REPORT_TEXT; fmt <= REPORT_NAGIOS; fmt++) {
		message[0] = '\0';
		assert_int_equal(report_write(&fx->report, fmt, &plain, full), -1);
		assert_non_null(strstr(message, "could not write the "));
		clearerr(full);
	}
	log_set_sink(NULL, NULL);
	fclose(full);
	assert_int_equal(report_write(&fx->report, (enum report_format)42, &plain, stdout), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_format_parse),
	    cmocka_unit_test_setup_teardown(test_count, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_golden_text, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_golden_json, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_golden_html, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_golden_junit, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_golden_csv, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_golden_nagios, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_planned, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_text_content, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_text_color, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_json_content, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_html_safe, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_junit_wellformed, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_csv, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_nagios, setup, teardown),
	    cmocka_unit_test(test_empty_and_null),
	    cmocka_unit_test(test_svg_nothing_read),
	    cmocka_unit_test_setup_teardown(test_huge, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_write_error, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
