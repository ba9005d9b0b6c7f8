/* report_nagios: a monitoring plugin's status line with performance data, then a few details. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_escape.h"
#include "report_writers.h"
#include "xalloc.h"

/* Long-output lines after the status line; monitoring UIs show little more. */
enum { NAGIOS_LINES = 10, NAGIOS_LINE_CHARS = 200 };

static const char *const status_names[] = {"OK", "WARNING", "CRITICAL", "UNKNOWN"};

/* Database text on a plugin line: '|' would start performance data, so it becomes '/'. */
static void put(FILE *out, const char *s)
{
	char *copy, *p;
	size_t n;

	if (!s)
		return;
	n = report_utf8_prefix(s, NAGIOS_LINE_CHARS);
	copy = xstrndup(s, n);
	for (p = copy; *p; p++)
		if (*p == '|')
			*p = '/';
	report_text_put(out, copy);
	if (s[n])
		fputs("...", out);
	free(copy);
}

void report_write_nagios_unknown(FILE *out, const char *why)
{
	fputs("SUSAUDIT UNKNOWN - the audit could not complete", out);
	if (why) {
		fputs(": ", out);
		put(out, why);
	}
	fputc('\n', out);
}

static void count(FILE *out, int n, const char *one, const char *many, int *listed)
{
	if (!n)
		return;
	fprintf(out, "%s%d %s", *listed ? ", " : "", n, n == 1 ? one : many);
	(*listed)++;
}

int report_write_nagios(const struct report *r, const struct report_options *opt, FILE *out)
{
	int e, w, i, status = report_nagios_status_fail_on(r, opt->fail_on), listed = 0;
	size_t k, shown = 0, unsuppressed = 0;

	report_count(r, &e, &w, &i);
	fprintf(out, "SUSAUDIT %s - ", status_names[status]);
	if (status == 3 && r->nservers == 0)
		fputs("no server in the report", out);
	else if (status == 3)
		fputs("no check was run", out);
	else if (e + w + i == 0)
		fputs("no findings", out);
	count(out, e, "error", "errors", &listed);
	count(out, w, "warning", "warnings", &listed);
	count(out, i, "info", "infos", &listed);
	fprintf(out,
		" | errors=%d;;;0 warnings=%d;;;0 infos=%d;;;0 servers=%zu;;;0 unreachable=%zu;;;0 "
		"password_exposed=%zu;;;0\n",
		e, w, i, r->nservers, report_unreachable_count(r), report_exposed_count(r));

	fputs("hierarchy: ", out);
	put(out, report_str(r->hierarchy, "(unnamed)"));
	putc('\n', out);

	for (k = 0; k < r->nfindings; k++) {
		const struct finding *f = &r->findings[k];

		if (f->suppressed)
			continue;
		unsuppressed++;
		if (shown == NAGIOS_LINES)
			continue;
		fprintf(out, "%s: ", severity_name(f->severity));
		put(out, report_str(f->server, "(hierarchy)"));
		fputs(": ", out);
		put(out, f->check);
		fputs(": ", out);
		put(out, f->message);
		putc('\n', out);
		shown++;
	}
	if (unsuppressed > shown)
		fprintf(out, "... and %zu more\n", unsuppressed - shown);
	{
		char when[32];

		fprintf(out, "collected: %s\n",
			report_collected_time(r->collected_at, when, sizeof(when), "unknown"));
		for (k = 0; k < r->nservers; k++) {
			if (!r->servers[k].collected_at)
				continue;
			fputs("collected ", out);
			put(out, report_str(r->servers[k].name, "?"));
			fprintf(out, ": %s\n",
				report_collected_time(r->servers[k].collected_at, when,
						      sizeof(when), "?"));
		}
	}
	/* after the findings: a password sent in clear or to an unverified server */
	for (k = 0; k < r->nservers; k++) {
		char line[1024];

		if (!r->servers[k].connection || r->servers[k].connection->password_exposed != 1)
			continue;
		fputs("connection: ", out);
		put(out, report_str(r->servers[k].name, "?"));
		fputs(": ", out);
		put(out, report_connection_line(r->servers[k].connection, line, sizeof(line)));
		putc('\n', out);
	}
	return ferror(out) ? -1 : 0;
}
