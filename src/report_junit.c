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
	char *buf = NULL;
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

/* The testcases of one check: one per server it has findings about, else one for the
 * hierarchy so a passing check is counted too. */
static void check_cases(struct suite *s, const char *check, const struct report_check *c)
{
	const struct report *r = s->r;
	const struct finding **list = xcalloc(r->nfindings + 1, sizeof(*list));
	const char **servers = xcalloc(r->nfindings + 1, sizeof(*servers));
	size_t nservers = 0, i, j, n;

	/* distinct servers in order of appearance; findings arrive sorted, so this is stable */
	for (i = 0; i < r->nfindings; i++) {
		const char *server = report_str(r->findings[i].server, hierarchy_name(r));

		if (strcmp(report_str(r->findings[i].check, ""), check) != 0)
			continue;
		for (j = 0; j < nservers; j++)
			if (strcmp(servers[j], server) == 0)
				break;
		if (j == nservers)
			servers[nservers++] = server;
	}
	for (j = 0; j < nservers; j++) {
		const struct finding *failing = NULL;

		for (i = 0, n = 0; i < r->nfindings; i++) {
			const struct finding *f = &r->findings[i];

			if (strcmp(report_str(f->check, ""), check) != 0 ||
			    strcmp(report_str(f->server, hierarchy_name(r)), servers[j]) != 0)
				continue;
			list[n++] = f;
			/* suppressed findings and those below --fail-on do not fail the build */
			if (!f->suppressed && f->severity >= s->opt->fail_on && !failing)
				failing = f;
		}
		testcase_open(s, check, servers[j]);
		if (failing) {
			fputs(">\n      <failure message=\"", s->out);
			report_xml_put(s->out, failing->message);
			fprintf(s->out, "\" type=\"%s\">", severity_name(failing->severity));
			findings_text(s, list, n);
			fputs("</failure>\n    </testcase>\n", s->out);
			s->failures++;
		} else {
			fputs(">\n      <system-out>", s->out);
			findings_text(s, list, n);
			fputs("</system-out>\n    </testcase>\n", s->out);
		}
	}
	if (c && c->status == CHECK_ERROR) {
		testcase_open(s, check, hierarchy_name(r));
		fputs(">\n      <error message=\"", s->out);
		report_xml_put(s->out, report_str(c->detail, "the check could not be evaluated"));
		fputs("\"/>\n    </testcase>\n", s->out);
		s->errors++;
	} else if (c && c->status == CHECK_SKIPPED && nservers == 0) {
		testcase_open(s, check, hierarchy_name(r));
		fputs(">\n      <skipped message=\"", s->out);
		report_xml_put(s->out, report_str(c->detail, "does not apply"));
		fputs("\"/>\n    </testcase>\n", s->out);
		s->skipped++;
	} else if (nservers == 0) {
		testcase_open(s, check, hierarchy_name(r));
		fputs("/>\n", s->out);
	}
	free(list);
	free(servers);
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
