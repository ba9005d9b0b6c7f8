/* report_json: the machine-readable report, shaped as INTERFACE.md and model/report.schema.json
 * say. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_write.h"
#include "report_escape.h"
#include "report_maintenance.h"
#include "report_writers.h"
#include "xalloc.h"

/* Two-space indentation: diffs of stored reports stay readable. */
static void indent(FILE *out, int depth)
{
	int i;

	for (i = 0; i < depth; i++)
		fputs("  ", out);
}

static void key(FILE *out, int depth, const char *name)
{
	indent(out, depth);
	report_json_string(out, name);
	fputs(": ", out);
}

static void int_or_null(FILE *out, long long v)
{
	if (v < 0)
		fputs("null", out);
	else
		fprintf(out, "%lld", v);
}

static void bool_or_null(FILE *out, int v)
{
	fputs(v < 0 ? "null" : v ? "true" : "false", out);
}

/* Evidence is written whole: JSON is the complete record, whatever the text report caps.
 * Items a check counted but did not keep (`omitted`) appear as a sibling member
 * "<key>_omitted" of the list, since a JSON array has no room for the count. */
static void evidence(FILE *out, const struct evidence *e, int depth)
{
	json_write_evidence(out, e, depth);
}

static void string_list(FILE *out, const char *const *items, size_t n)
{
	size_t i;

	putc('[', out);
	for (i = 0; i < n; i++) {
		if (i)
			fputs(", ", out);
		report_json_string(out, items[i]);
	}
	putc(']', out);
}

static void time_or_null(FILE *out, time_t t)
{
	char when[32];

	if (t)
		fprintf(out, "\"%s\"", report_collected_time(t, when, sizeof(when), ""));
	else
		fputs("null", out);
}

/* How the collector's connection crossed the network; null when not recorded. */
static void connection(FILE *out, const struct report_connection *c)
{
	if (!c) {
		fputs("null", out);
		return;
	}
	fputs("{\"tds_version\": ", out);
	report_json_string(out, c->tds_version);
	fputs(", \"encryption\": ", out);
	report_json_string(out, c->configured);
	fputs(", \"login_encrypted\": ", out);
	bool_or_null(out, c->login_encrypted);
	fputs(", \"session_encrypted\": ", out);
	bool_or_null(out, c->session_encrypted);
	fputs(", \"server_encryption\": ", out);
	report_json_string(out, c->server_encryption);
	fputs(", \"certificate_verified\": ", out);
	bool_or_null(out, c->cert_verified);
	fputs(", \"hostname_checked\": ", out);
	bool_or_null(out, c->hostname_checked);
	fputs(", \"verified_against\": ", out);
	report_json_string(out, c->verified_against);
	fputs(", \"auth\": ", out);
	report_json_string(out, c->auth);
	fputs(", \"source\": ", out);
	report_json_string(out, c->source);
	fputs(", \"password_exposed\": ", out);
	bool_or_null(out, c->password_exposed);
	putc('}', out);
}

static void server(FILE *out, const struct report *r, const struct report_server *s)
{
	int planned = r->planned;

	fputs("    {\n", out);
	key(out, 3, "name");
	report_json_string(out, report_str(s->name, ""));
	fputs(",\n", out);
	key(out, 3, "site");
	report_json_string(out, s->site);
	fputs(",\n", out);
	key(out, 3, "role");
	report_json_string(out, s->role);
	fputs(",\n", out);
	key(out, 3, "reachable");
	fputs(s->reachable ? "true" : "false", out);
	fputs(",\n", out);
	key(out, 3, "error");
	report_json_string(out, s->error);
	fputs(",\n", out);
	key(out, 3, "wsus_version");
	report_json_string(out, s->wsus_version);
	fputs(",\n", out);
	key(out, 3, "sync_source");
	report_json_string(out, s->sync_source);
	fputs(",\n", out);
	key(out, 3, "upstream");
	if (s->upstream_name) {
		fputs("{\"name\": ", out);
		report_json_string(out, s->upstream_name);
		fputs(", \"port\": ", out);
		int_or_null(out, s->upstream_port);
		fputs(", \"ssl\": ", out);
		bool_or_null(out, s->upstream_ssl);
		/* which server of the hierarchy the configured name was matched to */
		fputs(", \"server\": ", out);
		if (s->upstream_index >= 0 && (size_t)s->upstream_index < r->nservers)
			report_json_string(out, r->servers[s->upstream_index].name);
		else
			fputs("null", out);
		putc('}', out);
	} else {
		fputs("null", out);
	}
	fputs(",\n", out);
	key(out, 3, "replica");
	bool_or_null(out, s->replica);
	fputs(",\n", out);
	key(out, 3, "storage");
	report_json_string(out, s->storage);
	fputs(",\n", out);
	key(out, 3, "languages");
	/* a server that was not read has languages nobody knows: null, not none */
	if (!s->reachable && !s->nlanguages)
		fputs("null", out);
	else if (s->languages || s->nlanguages)
		string_list(out, s->languages, s->languages ? s->nlanguages : 0);
	else
		fputs("[]", out);
	fputs(",\n", out);
	key(out, 3, "updates");
	int_or_null(out, s->updates);
	fputs(",\n", out);
	key(out, 3, "approvals");
	int_or_null(out, s->approvals);
	fputs(",\n", out);
	key(out, 3, "content_path");
	report_json_string(out, s->content_path);
	fputs(",\n", out);
	key(out, 3, "bits_foreground");
	bool_or_null(out, s->bits_foreground);
	fputs(",\n", out);
	key(out, 3, "bits_fix_note");
	report_json_string(out, s->bits_fix_note);
	fputs(",\n", out);
	key(out, 3, "collected_at");
	time_or_null(out, s->collected_at);
	fputs(",\n", out);
	key(out, 3, "connection");
	connection(out, s->connection);
	if (planned) {
		/* --plan only: what the plan does to the server */
		fputs(",\n", out);
		key(out, 3, "planned");
		report_json_string(out, s->planned);
	}
	fputs("\n    }", out);
}

static void check(FILE *out, const struct report_check *c)
{
	fputs("    {\"name\": ", out);
	report_json_string(out, c->name);
	fputs(", \"rule\": ", out);
	report_json_string(out, c->rule);
	fprintf(out, ", \"severity\": \"%s\", \"status\": \"%s\", \"findings\": %zu",
		severity_name(c->default_severity), check_status_name(c->status), c->nfindings);
	fputs(", \"detail\": ", out);
	report_json_string(out, c->detail);
	putc('}', out);
}

static void finding(FILE *out, const struct report *r, const struct finding *f, int resolved)
{
	const char *status;

	char id[FINDING_ID_SIZE];

	finding_id(f, id);
	fputs("    {\n", out);
	key(out, 3, "id");
	fprintf(out, "\"%s\",\n", id);
	key(out, 3, "check");
	report_json_string(out, f->check);
	fputs(",\n", out);
	key(out, 3, "rule");
	report_json_string(out, f->rule);
	fputs(",\n", out);
	key(out, 3, "severity");
	fprintf(out, "\"%s\",\n", severity_name(f->severity));
	key(out, 3, "server");
	report_json_string(out, f->server);
	fputs(",\n", out);
	key(out, 3, "related");
	string_list(out, f->related, f->related ? f->nrelated : 0);
	fputs(",\n", out);
	key(out, 3, "message");
	report_json_string(out, f->message);
	fputs(",\n", out);
	key(out, 3, "evidence");
	if (f->evidence)
		evidence(out, f->evidence, 3);
	else
		fputs("{}", out);
	fputs(",\n", out);
	key(out, 3, "remedy");
	report_json_string(out, f->remedy);
	fputs(",\n", out);
	if (r->with_change) {
		status = resolved ? "resolved" : finding_change_name(f->change);
		key(out, 3, "status");
		report_json_string(out, status);
		fputs(",\n", out);
	}
	key(out, 3, "suppressed");
	fputs(f->suppressed ? "true" : "false", out);
	/* a severity override keeps its justification too (suppressed stays false) */
	if (f->suppressed || f->suppression) {
		fputs(",\n", out);
		key(out, 3, "suppression");
		report_json_string(out, f->suppression);
	}
	/* added: the id of the finding that explains this one (one cause, one story) */
	fputs(",\n", out);
	key(out, 3, "cause");
	report_json_string(out, f->cause);
	fputs("\n    }", out);
}

int report_write_json(const struct report *r, const struct report_options *opt, FILE *out)
{
	char when[32];
	int e, w, i;
	size_t k;

	(void)opt;
	report_iso_time(r->generated_at, when, sizeof(when));
	report_count(r, &e, &w, &i);
	fputs("{\n  \"format\": \"susaudit-report/1\",\n", out);
	fputs("  \"tool\": {\"name\": \"susaudit\", \"version\": ", out);
	report_json_string(out, report_str(r->tool_version, "unknown"));
	fputs("},\n", out);
	key(out, 1, "hierarchy");
	report_json_string(out, r->hierarchy);
	fprintf(out, ",\n  \"generated_at\": \"%s\",\n", when);
	fprintf(out, "  \"planned\": %s,\n", r->planned ? "true" : "false");
	key(out, 1, "collected_at");
	time_or_null(out, r->collected_at);
	fputs(",\n", out);

	fputs(r->nservers ? "  \"servers\": [\n" : "  \"servers\": [", out);
	for (k = 0; k < r->nservers; k++) {
		server(out, r, &r->servers[k]);
		fputs(k + 1 < r->nservers ? ",\n" : "\n  ", out);
	}
	fputs("],\n", out);

	fputs(r->nchecks ? "  \"checks\": [\n" : "  \"checks\": [", out);
	for (k = 0; k < r->nchecks; k++) {
		check(out, &r->checks[k]);
		fputs(k + 1 < r->nchecks ? ",\n" : "\n  ", out);
	}
	fputs("],\n", out);

	fputs(r->nfindings ? "  \"findings\": [\n" : "  \"findings\": [", out);
	for (k = 0; k < r->nfindings; k++) {
		finding(out, r, &r->findings[k], 0);
		fputs(k + 1 < r->nfindings ? ",\n" : "\n  ", out);
	}
	fputs("],\n", out);

	if (r->with_change) {
		fputs(r->nresolved ? "  \"resolved\": [\n" : "  \"resolved\": [", out);
		for (k = 0; k < r->nresolved; k++) {
			finding(out, r, &r->resolved[k], 1);
			fputs(k + 1 < r->nresolved ? ",\n" : "\n  ", out);
		}
		fputs("],\n", out);
	}

	report_json_maintenance(r, out);
	fprintf(
	    out,
	    "  \"summary\": {\"error\": %d, \"warning\": %d, \"info\": %d, \"suppressed\": %zu, "
	    "\"servers\": %zu, \"unreachable\": %zu, \"evaluated\": %zu}\n}\n",
	    e, w, i, report_suppressed_count(r), r->nservers, report_unreachable_count(r),
	    report_checks_evaluated(r));
	return ferror(out) ? -1 : 0;
}
