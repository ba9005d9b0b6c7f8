/* report_prometheus: the node_exporter textfile-collector format (text exposition 0.0.4).
 *
 * The metric names and labels are a stable interface (README "Report formats"): dashboards and
 * alert rules are written against them. Metrics are only added, never renamed. */
#include <stdio.h>
#include <string.h>

#include "report_writers.h"

/* A label value: the exposition format escapes only backslash, double quote and line feed;
 * any other control character is legal but breaks naive parsers, so it becomes a space. */
static void label_value(FILE *out, const char *s)
{
	const unsigned char *p;

	putc('"', out);
	for (p = (const unsigned char *)(s ? s : ""); *p; p++) {
		if (*p == '\\')
			fputs("\\\\", out);
		else if (*p == '"')
			fputs("\\\"", out);
		else if (*p == '\n')
			fputs("\\n", out);
		else if (*p < 0x20 || *p == 0x7f)
			putc(' ', out);
		else
			putc(*p, out);
	}
	putc('"', out);
}

static void family(FILE *out, const char *name, const char *type, const char *help)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* One sample per (severity, check, server) with at least one unsuppressed finding; findings
 * about the hierarchy as a whole carry server="". Findings arrive sorted, but equal keys need
 * not be adjacent, so each key is counted by a scan of the earlier ones (reports hold at most
 * a few thousand findings). */
static void findings(FILE *out, const struct report *r)
{
	size_t i, j;

	family(out, "susaudit_findings", "gauge",
	       "Unsuppressed findings of the last audit by severity, check and server.");
	for (i = 0; i < r->nfindings; i++) {
		const struct finding *f = &r->findings[i];
		const char *server = f->server ? f->server : "";
		size_t n = 0;
		int seen = 0;

		if (f->suppressed)
			continue;
		for (j = 0; j < r->nfindings && !seen; j++) {
			const struct finding *g = &r->findings[j];

			if (g->suppressed || g->severity != f->severity ||
			    strcmp(g->check, f->check) != 0 ||
			    strcmp(g->server ? g->server : "", server) != 0)
				continue;
			if (j < i)
				seen = 1;
			else
				n++;
		}
		if (seen)
			continue;
		fputs("susaudit_findings{severity=", out);
		label_value(out, severity_name(f->severity));
		fputs(",check=", out);
		label_value(out, f->check);
		fputs(",server=", out);
		label_value(out, server);
		fprintf(out, "} %zu\n", n);
	}
}

int report_write_prometheus(const struct report *r, const struct report_options *opt, FILE *out)
{
	static const enum check_status statuses[] = {CHECK_PASS, CHECK_FAIL, CHECK_ERROR,
						     CHECK_SKIPPED};
	int e, w, i;
	size_t k, s;

	(void)opt;
	report_count(r, &e, &w, &i);
	findings(out, r);

	family(out, "susaudit_findings_total", "gauge",
	       "Unsuppressed findings of the last audit by severity.");
	fprintf(out, "susaudit_findings_total{severity=\"error\"} %d\n", e);
	fprintf(out, "susaudit_findings_total{severity=\"warning\"} %d\n", w);
	fprintf(out, "susaudit_findings_total{severity=\"info\"} %d\n", i);

	family(out, "susaudit_server_reachable", "gauge",
	       "1 when the server's SUSDB was read in the last audit, else 0.");
	for (k = 0; k < r->nservers; k++) {
		fputs("susaudit_server_reachable{server=", out);
		label_value(out, r->servers[k].name);
		fprintf(out, "} %d\n", r->servers[k].reachable == 1);
	}

	/* every status of every check, 1 for the one it ended with: alert rules then need no
	 * absent() for a check that passed */
	family(out, "susaudit_check_status", "gauge",
	       "1 for the status each check ended with in the last audit, 0 for the others.");
	for (k = 0; k < r->nchecks; k++)
		for (s = 0; s < sizeof(statuses) / sizeof(statuses[0]); s++) {
			fputs("susaudit_check_status{check=", out);
			label_value(out, r->checks[k].name);
			fputs(",status=", out);
			label_value(out, check_status_name(statuses[s]));
			fprintf(out, "} %d\n", r->checks[k].status == statuses[s]);
		}

	/* added: the collector's connections, for servers whose snapshot recorded one */
	family(out, "susaudit_server_connection_encrypted", "gauge",
	       "1 when the collector's login (part=login) or whole session (part=session) went "
	       "under TLS, 0 when not; absent when unknown.");
	for (k = 0; k < r->nservers; k++) {
		const struct report_connection *c = r->servers[k].connection;
		static const char *const parts[] = {"login", "session"};
		size_t p;

		for (p = 0; c && p < 2; p++) {
			int v = p ? c->session_encrypted : c->login_encrypted;

			if (v < 0)
				continue;
			fputs("susaudit_server_connection_encrypted{server=", out);
			label_value(out, r->servers[k].name);
			fprintf(out, ",part=\"%s\"} %d\n", parts[p], v == 1);
		}
	}
	family(out, "susaudit_server_password_exposed", "gauge",
	       "1 when the collector's password went in clear or to a server whose certificate "
	       "was not verified, without an explicit encryption=\"off\".");
	for (k = 0; k < r->nservers; k++) {
		if (!r->servers[k].connection)
			continue;
		fputs("susaudit_server_password_exposed{server=", out);
		label_value(out, r->servers[k].name);
		fprintf(out, "} %d\n", r->servers[k].connection->password_exposed == 1);
	}

	family(out, "susaudit_last_audit_timestamp_seconds", "gauge",
	       "When the last audit's report was made, in seconds since the Unix epoch.");
	fprintf(out, "susaudit_last_audit_timestamp_seconds %lld\n", (long long)r->generated_at);

	/* ages are measured from the collection, which may be older than the audit (issue 12) */
	if (r->collected_at) {
		family(out, "susaudit_collected_timestamp_seconds", "gauge",
		       "When the audited collection run ended, in seconds since the Unix epoch.");
		fprintf(out, "susaudit_collected_timestamp_seconds %lld\n",
			(long long)r->collected_at);
	}
	family(out, "susaudit_server_collected_timestamp_seconds", "gauge",
	       "When each server's SUSDB was read, in seconds since the Unix epoch.");
	for (k = 0; k < r->nservers; k++) {
		if (!r->servers[k].collected_at)
			continue;
		fputs("susaudit_server_collected_timestamp_seconds{server=", out);
		label_value(out, r->servers[k].name);
		fprintf(out, "} %lld\n", (long long)r->servers[k].collected_at);
	}
	return ferror(out) ? -1 : 0;
}
