/* test_monitoring: the formats monitoring reads (prometheus, nagios): golden output, the
 * exposition syntax line by line, label escaping, and that --quiet never silences them. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "fixture_hierarchy.h"
#include "run_binary.h"
#include "report.h"
#include "test_report_support.h"
#include "xalloc.h"

static const struct report_options plain = {0, 0, SEVERITY_WARNING, 0};

/* noinline: inlined, GCC 12 takes the result for a pointer to the local (-Wdangling-pointer) */
static __attribute__((noinline)) char *render(const struct report *r, enum report_format format,
					      size_t *len)
{
	char *out;

	assert_int_equal(report_render(r, format, &plain, &out, len), 0);
	return out;
}

static void test_prometheus_golden(void **state)
{
	struct report_fixture fx;
	size_t len;
	char *out;

	(void)state;
	report_fixture_init(&fx);
	out = render(&fx.report, REPORT_PROMETHEUS, &len);
	golden_check("report.prom", out, len);
	free(out);
	report_fixture_release(&fx);
}

/* A metric name, then optional {label="value",...}, a space and a number: the exposition
 * format's sample line. Returns NULL when it parses, else what is wrong. */
static const char *sample_error(const char *line)
{
	const char *p = line;

	if (!isalpha((unsigned char)*p) && *p != '_')
		return "name";
	while (isalnum((unsigned char)*p) || *p == '_' || *p == ':')
		p++;
	if (*p == '{') {
		p++;
		while (*p != '}') {
			while (isalnum((unsigned char)*p) || *p == '_')
				p++;
			if (*p++ != '=' || *p++ != '"')
				return "label";
			while (*p && *p != '"') {
				if ((unsigned char)*p < 0x20)
					return "control character in a label value";
				if (*p == '\\') {
					p++;
					if (*p != '\\' && *p != '"' && *p != 'n')
						return "escape";
				}
				p++;
			}
			if (*p++ != '"')
				return "unterminated value";
			if (*p == ',')
				p++;
			else if (*p != '}')
				return "label separator";
		}
		p++;
	}
	if (*p++ != ' ')
		return "space before the value";
	if (!*p)
		return "value";
	while (*p)
		if (!isdigit((unsigned char)*p++))
			return "value";
	return NULL;
}

static void test_prometheus_syntax(void **state)
{
	struct report_fixture fx;
	char *out, *line, *save = NULL;
	size_t len, samples = 0;
	int found_ts = 0, found_unreachable = 0;

	(void)state;
	report_fixture_init(&fx);
	out = render(&fx.report, REPORT_PROMETHEUS, &len);
	assert_int_equal(strlen(out), len); /* no NUL inside */
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		const char *err;

		if (strncmp(line, "# HELP ", 7) == 0 || strncmp(line, "# TYPE ", 7) == 0)
			continue;
		err = sample_error(line);
		if (err)
			fail_msg("bad sample line (%s): %s", err, line);
		samples++;
		if (strncmp(line, "susaudit_last_audit_timestamp_seconds ", 38) == 0)
			found_ts = 1;
		if (strncmp(line, "susaudit_server_reachable{", 26) == 0 &&
		    strstr(line, "} 0"))
			found_unreachable = 1;
	}
	assert_true(samples > 10);
	assert_true(found_ts);
	assert_true(found_unreachable); /* the fixture has an unreachable server */
	free(out);
	report_fixture_release(&fx);
}

/* Counts add up: the per-check samples of one severity sum to its total. */
static void test_prometheus_counts(void **state)
{
	struct report_fixture fx;
	char *out, *p;
	size_t len;
	long errors = 0, total = -1;
	int e, w, i;

	(void)state;
	report_fixture_init(&fx);
	report_count(&fx.report, &e, &w, &i);
	out = render(&fx.report, REPORT_PROMETHEUS, &len);
	for (p = strstr(out, "\nsusaudit_findings{severity=\"error\""); p;
	     p = strstr(p + 1, "\nsusaudit_findings{severity=\"error\""))
		errors += strtol(strchr(strchr(p, '}'), ' ') + 1, NULL, 10);
	p = strstr(out, "susaudit_findings_total{severity=\"error\"} ");
	assert_non_null(p);
	total = strtol(strchr(p, ' ') + 1, NULL, 10);
	assert_int_equal(errors, e);
	assert_int_equal(total, e);
	free(out);
	report_fixture_release(&fx);
}

/* Label values from SUSDB or the hierarchy file: backslash, quote and line feed escaped as the
 * exposition format says, other control characters never raw. */
static void test_prometheus_label_escaping(void **state)
{
	struct arena a;
	struct findings f;
	struct report_server server = {0};
	struct report r = {0};
	char *out;
	size_t len;

	(void)state;
	arena_init(&a);
	findings_init(&f, &a);
	findings_add(&f, "upstream-port", "R3", SEVERITY_ERROR, "a\"b\\c\nd\001e", NULL, 0,
		     "m", "r");
	server.name = "q\"uote";
	server.reachable = 1;
	r.servers = &server;
	r.nservers = 1;
	r.findings = f.items;
	r.nfindings = f.count;
	out = render(&r, REPORT_PROMETHEUS, &len);
	assert_non_null(strstr(out, "server=\"a\\\"b\\\\c\\nd e\"} 1\n"));
	assert_non_null(strstr(out, "susaudit_server_reachable{server=\"q\\\"uote\"} 1\n"));
	free(out);
	findings_release(&f);
	arena_release(&a);
}

/* `susaudit ARGS`, stderr discarded */
#define run(status, ...) run_binary(SUSAUDIT_BINARY, status, 0, __VA_ARGS__)

/* A clean hierarchy with --quiet: text prints nothing; nagios still prints its status line and
 * prometheus its metrics, since a plugin or a scrape must always get a status. */
static void test_quiet_keeps_monitoring_output(void **state)
{
	struct fixture_hierarchy f;
	int status;
	char *out;

	(void)state;
	assert_int_equal(fixture_hierarchy_start("tests/fixtures/clean/hierarchy.xml.in",
						 "tests/fixtures/clean", NULL, 0, NULL, NULL, &f),
			 0);
	out = run(&status, "audit '%s' --skip last-sync --quiet", f.xml_path);
	assert_int_equal(status, 0);
	assert_string_equal(out, "");
	free(out);
	out = run(&status, "audit '%s' --skip last-sync --quiet --format nagios", f.xml_path);
	assert_int_equal(status, 0);
	if (strncmp(out, "SUSAUDIT OK - ", 14) != 0)
		fail_msg("no status line with --quiet: '%s'", out);
	free(out);
	out = run(&status, "audit '%s' --skip last-sync --quiet --format prometheus", f.xml_path);
	assert_int_equal(status, 0);
	assert_non_null(strstr(out, "susaudit_last_audit_timestamp_seconds "));
	assert_non_null(strstr(out, "susaudit_server_reachable{server=\"cas-sup1.contoso.com\"} 1"));
	assert_non_null(strstr(out, "susaudit_check_status{check=\"replica-mode\",status=\"pass\"} 1"));
	free(out);
	fixture_hierarchy_stop(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_prometheus_golden),
	    cmocka_unit_test(test_prometheus_syntax),
	    cmocka_unit_test(test_prometheus_counts),
	    cmocka_unit_test(test_prometheus_label_escaping),
	    cmocka_unit_test(test_quiet_keeps_monitoring_output),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
