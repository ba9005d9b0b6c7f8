/* report_junit: the audit as a test suite, so CI dashboards show checks as passing or failing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_escape.h"
#include "report_writers.h"
#include "xalloc.h"

struct suite {
	FILE *out; /* the testcases, buffered until the totals are known */
	const struct report *r;
	const struct report_options *opt;
	size_t tests, failures, errors, skipped;
};

static const char *hierarchy_name(const struct report *r)
{
	return report_str(r->hierarchy, "hierarchy");
}

static void testcase_open(struct suite *s, const char *check, const char *name)
{
	fputs("    <testcase classname=\"susaudit.", s->out);
	report_xml_put(s->out, check);
	fputs("\" name=\"", s->out);
	report_xml_put(s->out, name);
	fputs("\" time=\"0\"", s->out);
	s->tests++;
}

/* The findings' text inside <failure> or <system-out>: message, related, evidence, remedy. */
static void findings_text(struct suite *s, const struct finding *const *list, size_t n)
{
	size_t i, k;
	char *buf = NULL, id[FINDING_ID_SIZE];
	size_t len = 0;
	FILE *mem;

	mem = open_memstream(&buf, &len);
	if (!mem) {
		fputs("(out of memory)", s->out);
		return;
	}
	for (i = 0; i < n; i++) {
		const struct finding *f = list[i];

		fprintf(mem, "%s%s (%s)%s: ", i ? "\n" : "", severity_name(f->severity),
			report_str(f->rule, "-"), f->suppressed ? " suppressed" : "");
		report_text_put(mem, f->message);
		putc('\n', mem);
		finding_id(f, id);
		fprintf(mem, "id: %s\n", id);
		if (f->suppressed) {
			fputs("suppression: ", mem);
			report_text_put(mem, report_str(f->suppression, "-"));
			putc('\n', mem);
		}
		if (f->nrelated && f->related) {
			fputs("related:", mem);
			for (k = 0; k < f->nrelated; k++) {
				putc(' ', mem);
				report_text_put(mem, f->related[k]);
			}
			putc('\n', mem);
		}
		if (f->evidence && (f->evidence->nmembers || f->evidence->nitems)) {
			fputs("evidence:\n", mem);
			report_text_evidence(mem, f->evidence, 2, report_evidence_cap(s->opt));
		}
		if (f->remedy && *f->remedy) {
			fputs("remedy: ", mem);
			report_text_putn(mem, f->remedy, strlen(f->remedy), 1);
			putc('\n', mem);
		}
	}
	fclose(mem);
	report_xml_putn(s->out, buf, len);
	free(buf);
}

/* Whether name is already in names[0..n). */
static int listed(const char *const *names, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return 1;
	return 0;
}

/* One testcase of a check about one server (or the hierarchy): failing or with its findings
 * in <system-out> when it has findings there, error when it could not be evaluated there,
 * else passing. Returns 1 when a testcase was written. */
static int server_case(struct suite *s, const char *check, const struct report_check *c,
		       const char *server, const struct finding **list)
{
	const struct report *r = s->r;
	const struct finding *failing = NULL;
	const char *reason = NULL;
	size_t i, n = 0;

	for (i = 0; i < r->nfindings; i++) {
		const struct finding *f = &r->findings[i];

		if (strcmp(report_str(f->check, ""), check) != 0 ||
		    strcmp(report_str(f->server, hierarchy_name(r)), server) != 0)
			continue;
		list[n++] = f;
		/* suppressed findings and those below --fail-on do not fail the build */
		if (!f->suppressed && f->severity >= s->opt->fail_on && !failing)
			failing = f;
	}
	for (i = 0; c && !n && i < c->nreasons && !reason; i++)
		if (strcmp(report_str(c->reasons[i].server, hierarchy_name(r)), server) == 0)
			reason =
			    report_str(c->reasons[i].reason, "the check could not be evaluated");
	if (!n && !reason && !(c && listed(c->evaluated, c->nevaluated, server)))
		return 0;
	testcase_open(s, check, server);
	if (failing) {
		fputs(">\n      <failure message=\"", s->out);
		report_xml_put(s->out, failing->message);
		fprintf(s->out, "\" type=\"%s\">", severity_name(failing->severity));
		findings_text(s, list, n);
		fputs("</failure>\n    </testcase>\n", s->out);
		s->failures++;
	} else if (n) {
		fputs(">\n      <system-out>", s->out);
		findings_text(s, list, n);
		fputs("</system-out>\n    </testcase>\n", s->out);
	} else if (reason) {
		fputs(">\n      <error message=\"", s->out);
		report_xml_put(s->out, reason);
		fputs("\"/>\n    </testcase>\n", s->out);
		s->errors++;
	} else {
		fputs("/>\n", s->out);
	}
	return 1;
}

/* The testcases of one check: one per server it applies to (evaluated, with findings, or
 * that could not be evaluated), in the report's server order, so a fixed server's test
 * turns green and the count stays the same; a check that applies to no server is one
 * testcase for the hierarchy. */
static void check_cases(struct suite *s, const char *check, const struct report_check *c)
{
	const struct report *r = s->r;
	size_t cap = r->nservers + r->nfindings + (c ? c->nreasons : 0) + 1;
	const struct finding **list = xcalloc(r->nfindings + 1, sizeof(*list));
	const char **names = xcalloc(cap, sizeof(*names));
	size_t nnames = 0, i, ncases = 0, errors = s->errors;

	/* the report's servers first, then servers only findings or reasons name */
	for (i = 0; i < r->nservers; i++)
		if (r->servers[i].name && !listed(names, nnames, r->servers[i].name))
			names[nnames++] = r->servers[i].name;
	for (i = 0; i < r->nfindings; i++) {
		const char *server = report_str(r->findings[i].server, hierarchy_name(r));

		if (strcmp(report_str(r->findings[i].check, ""), check) == 0 &&
		    !listed(names, nnames, server))
			names[nnames++] = server;
	}
	for (i = 0; c && i < c->nreasons; i++) {
		const char *server = report_str(c->reasons[i].server, hierarchy_name(r));

		if (!listed(names, nnames, server))
			names[nnames++] = server;
	}
	for (i = 0; i < nnames; i++)
		ncases += (size_t)server_case(s, check, c, names[i], list);
	if (c && c->status == CHECK_ERROR && s->errors == errors) {
		testcase_open(s, check, hierarchy_name(r));
		fputs(">\n      <error message=\"", s->out);
		report_xml_put(s->out, report_str(c->detail, "the check could not be evaluated"));
		fputs("\"/>\n    </testcase>\n", s->out);
		s->errors++;
	} else if (c && c->status == CHECK_SKIPPED && ncases == 0) {
		testcase_open(s, check, hierarchy_name(r));
		fputs(">\n      <skipped message=\"", s->out);
		report_xml_put(s->out, report_str(c->detail, "does not apply"));
		fputs("\"/>\n    </testcase>\n", s->out);
		s->skipped++;
	} else if (ncases == 0) {
		testcase_open(s, check, hierarchy_name(r));
		fputs("/>\n", s->out);
	}
	free(list);
	free(names);
}

int report_write_junit(const struct report *r, const struct report_options *opt, FILE *out)
{
	struct suite s = {NULL, r, opt, 0, 0, 0, 0};
	char *buf = NULL, when[32];
	size_t len = 0, i, j;

	s.out = open_memstream(&buf, &len);
	if (!s.out)
		return -1;
	for (i = 0; i < r->nchecks; i++)
		check_cases(&s, report_str(r->checks[i].name, "?"), &r->checks[i]);
	/* findings of checks missing from the catalogue still reach the dashboard */
	for (i = 0; i < r->nfindings; i++) {
		const char *check = report_str(r->findings[i].check, "");
		int seen = 0;

		for (j = 0; j < r->nchecks && !seen; j++)
			seen = strcmp(report_str(r->checks[j].name, "?"), check) == 0;
		for (j = 0; j < i && !seen; j++)
			seen = strcmp(report_str(r->findings[j].check, ""), check) == 0;
		if (!seen)
			check_cases(&s, check, NULL);
	}
	fclose(s.out);

	report_iso_time(r->generated_at, when, sizeof(when));
	when[19] = '\0'; /* JUnit's timestamp has no zone designator; it is UTC */
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
	fprintf(out,
		"<testsuites name=\"susaudit\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" "
		"skipped=\"%zu\" time=\"0\">\n",
		s.tests, s.failures, s.errors, s.skipped);
	fprintf(out,
		"  <testsuite name=\"susaudit\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" "
		"skipped=\"%zu\" time=\"0\" timestamp=\"%s\">\n",
		s.tests, s.failures, s.errors, s.skipped, when);
	fputs("    <properties>\n      <property name=\"hierarchy\" value=\"", out);
	report_xml_put(out, hierarchy_name(r));
	fputs("\"/>\n      <property name=\"tool_version\" value=\"", out);
	report_xml_put(out, report_str(r->tool_version, "unknown"));
	fprintf(out, "\"/>\n      <property name=\"planned\" value=\"%s\"/>\n",
		r->planned ? "true" : "false");
	/* ages are measured from the collection, which may be older than the report */
	fprintf(out, "      <property name=\"collected_at\" value=\"%s\"/>\n",
		report_collected_time(r->collected_at, when, sizeof(when), ""));
	for (i = 0; i < r->nservers; i++) {
		fputs("      <property name=\"collected_at:", out);
		report_xml_put(out, report_str(r->servers[i].name, ""));
		fprintf(out, "\" value=\"%s\"/>\n",
			report_collected_time(r->servers[i].collected_at, when, sizeof(when), ""));
	}
	for (size_t k = 0; k < r->nservers; k++) {
		char line[1024];

		/* one property per server whose connection the snapshot recorded */
		if (!r->servers[k].connection)
			continue;
		fputs("      <property name=\"connection:", out);
		report_xml_put(out, report_str(r->servers[k].name, "?"));
		fputs("\" value=\"", out);
		report_xml_put(out, report_connection_line(r->servers[k].connection, line,
							    sizeof(line)));
		fputs("\"/>\n", out);
	}
	fputs("    </properties>\n", out);
	fwrite(buf, 1, len, out);
	fputs("  </testsuite>\n</testsuites>\n", out);
	free(buf);
	return ferror(out) ? -1 : 0;
}
