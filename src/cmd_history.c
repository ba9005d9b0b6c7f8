/* cmd_history: `susaudit history`, the audits kept in a store, what changed, and the fix journal.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "cli_options.h"
#include "history.h"
#include "log.h"
#include "json_write.h"
#include "report_escape.h"

/* Changes listed per audit in text before "and N more". */
#define TEXT_CHANGES_CAP 20

static const char *text(const char *s)
{
	return s ? s : "";
}

struct text_walk {
	struct history *h;
	FILE *out;
	int n;
};

static int text_change(const struct history_change *c, void *data)
{
	struct text_walk *w = data;

	if (w->n++ >= TEXT_CHANGES_CAP)
		return 0;
	fprintf(w->out, "      %-8s %-7s %s", text(c->status), text(c->severity), text(c->check));
	if (*text(c->server)) {
		fputs(" on ", w->out);
		report_text_put(w->out, c->server);
	}
	fputs(": ", w->out);
	report_text_put(w->out, text(c->message));
	fputc('\n', w->out);
	return 0;
}

static int text_audit(const struct history_audit_row *a, void *data)
{
	struct text_walk *w = data, changes = {w->h, w->out, 0};
	int rc;

	fprintf(w->out, "  #%lld  %s  ", a->id, text(a->audited_at));
	report_text_put(w->out, text(a->hierarchy));
	fprintf(w->out,
		"  errors %d, warnings %d, info %d; new %d, persisting %d, "
		"resolved %d (susaudit %s)\n",
		a->errors, a->warnings, a->infos, a->new_findings, a->persisting, a->resolved,
		text(a->tool_version));
	rc = history_each_change(w->h, a->id, 1, text_change, &changes);
	if (changes.n > TEXT_CHANGES_CAP)
		fprintf(w->out, "      and %d more\n", changes.n - TEXT_CHANGES_CAP);
	w->n++;
	return rc;
}

static int text_fix(const struct history_fix_row *f, void *data)
{
	struct text_walk *w = data;
	char before[16] = "?", after[16] = "?";

	if (f->has_before)
		snprintf(before, sizeof(before), "%d", f->value_before);
	if (f->has_after)
		snprintf(after, sizeof(after), "%d", f->value_after);
	fprintf(w->out, "  %s  %s %s on ", text(f->at), text(f->fix), text(f->action));
	report_text_put(w->out, text(f->server));
	fputs(" by ", w->out);
	report_text_put(w->out, text(f->operator_name));
	fprintf(w->out, ": %s (%s -> %s)", text(f->outcome), before, after);
	if (*text(f->detail)) {
		fputs(": ", w->out);
		report_text_put(w->out, f->detail);
	}
	fputc('\n', w->out);
	w->n++;
	return 0;
}

static int write_text(struct history *h, FILE *out)
{
	struct text_walk w = {h, out, 0};

	fprintf(out, "Audits in '%s':\n", history_path(h));
	if (history_each_audit(h, text_audit, &w) < 0)
		return -1;
	if (!w.n)
		fputs("  (none)\n", out);
	fputs("\nFix journal:\n", out);
	w.n = 0;
	if (history_each_fix(h, text_fix, &w) < 0)
		return -1;
	if (!w.n)
		fputs("  (none)\n", out);
	return 0;
}

static int json_change(const struct history_change *c, void *data)
{
	struct text_walk *w = data;

	fputs(w->n++ ? ",\n        {\"status\": " : "\n        {\"status\": ", w->out);
	json_write_string(w->out, c->status);
	fputs(", \"severity\": ", w->out);
	json_write_string(w->out, c->severity);
	fputs(", \"check\": ", w->out);
	json_write_string(w->out, c->check);
	fputs(", \"server\": ", w->out);
	json_write_string(w->out, c->server);
	fputs(", \"message\": ", w->out);
	json_write_string(w->out, c->message);
	fputs("}", w->out);
	return 0;
}

static int json_audit(const struct history_audit_row *a, void *data)
{
	struct text_walk *w = data, changes = {w->h, w->out, 0};
	FILE *out = w->out;

	fprintf(out, "%s\n    {\"id\": %lld, \"hierarchy\": ", w->n++ ? "," : "", a->id);
	json_write_string(out, a->hierarchy);
	fputs(", \"audited_at\": ", out);
	json_write_string(out, a->audited_at);
	fputs(", \"run_id\": ", out);
	if (a->run_id < 0)
		fputs("null", out);
	else
		fprintf(out, "%lld", a->run_id);
	fputs(", \"snapshot\": ", out);
	json_write_string(out, a->snapshot);
	fprintf(out,
		",\n      \"summary\": {\"error\": %d, \"warning\": %d, \"info\": %d},"
		" \"new\": %d, \"persisting\": %d, \"resolved\": %d, \"tool_version\": ",
		a->errors, a->warnings, a->infos, a->new_findings, a->persisting, a->resolved);
	json_write_string(out, a->tool_version);
	fputs(",\n      \"changes\": [", out);
	if (history_each_change(w->h, a->id, 0, json_change, &changes) < 0)
		return -1;
	fputs(changes.n ? "\n      ]" : "]", out);
	fputs("}", out);
	return 0;
}

static void json_int(FILE *out, int has, int v)
{
	if (has)
		fprintf(out, "%d", v);
	else
		fputs("null", out);
}

static int json_fix(const struct history_fix_row *f, void *data)
{
	struct text_walk *w = data;
	FILE *out = w->out;

	fputs(w->n++ ? ",\n    {" : "\n    {", out);
	fputs("\"at\": ", out);
	json_write_string(out, f->at);
	fputs(", \"operator\": ", out);
	json_write_string(out, f->operator_name);
	fputs(", \"hierarchy\": ", out);
	json_write_string(out, f->hierarchy);
	fputs(", \"server\": ", out);
	json_write_string(out, f->server);
	fputs(", \"fix\": ", out);
	json_write_string(out, f->fix);
	fputs(", \"action\": ", out);
	json_write_string(out, f->action);
	fputs(", \"value_before\": ", out);
	json_int(out, f->has_before, f->value_before);
	fputs(", \"value_after\": ", out);
	json_int(out, f->has_after, f->value_after);
	fputs(", \"outcome\": ", out);
	json_write_string(out, f->outcome);
	fputs(", \"detail\": ", out);
	json_write_string(out, f->detail);
	fputs("}", out);
	return 0;
}

static int write_json(struct history *h, FILE *out)
{
	struct text_walk w = {h, out, 0};

	fputs("{\n  \"format\": \"susaudit-history/1\",\n  \"audits\": [", out);
	if (history_each_audit(h, json_audit, &w) < 0)
		return -1;
	fputs(w.n ? "\n  ],\n  \"fixes\": [" : "],\n  \"fixes\": [", out);
	w.n = 0;
	if (history_each_fix(h, json_fix, &w) < 0)
		return -1;
	fputs(w.n ? "\n  ]\n}\n" : "]\n}\n", out);
	return 0;
}

/* A whole number >= min for --keep / --older-than. */
static int parse_count(const char *text, int min, int *out)
{
	char *end;
	long v = strtol(text, &end, 10);

	if (end == text || *end || v < min || v > 1000000)
		return log_error("'%s' is not a whole number of at least %d", text, min);
	*out = (int)v;
	return 0;
}

static int prune_store(const char *store, int prune, struct history_prune_options *po)
{
	struct history_prune_result r;
	struct history *h;
	int rc;

	if (!prune) {
		log_error("--keep, --older-than and --with-audits go with --prune");
		return EXIT_TOOL_FAILED;
	}
	if (!po->keep && po->older_than_days < 0) {
		log_error("--prune needs --keep N or --older-than DAYS");
		return EXIT_TOOL_FAILED;
	}
	po->now = time(NULL);
	/* a store that does not exist is not created by pruning it */
	if (access(store, F_OK) != 0) {
		log_error("could not open store '%s': %s", store, strerror(errno));
		return EXIT_TOOL_FAILED;
	}
	if (history_open(store, 1, &h) < 0)
		return EXIT_TOOL_FAILED;
	rc = history_prune(h, po, &r);
	history_close(h);
	if (rc < 0)
		return EXIT_TOOL_FAILED;
	printf("pruned '%s': %lld run(s) with %lld server(s), %lld pack(s), %lld audit(s) "
	       "removed; %lld -> %lld bytes\n",
	       store, r.runs, r.servers, r.packs, r.audits, r.bytes_before, r.bytes_after);
	return fflush(stdout) == 0 ? EXIT_CLEAN : EXIT_TOOL_FAILED;
}

int cmd_history(int argc, char **argv)
{
	struct history_prune_options po = {0, -1, 0, 0};
	const char *store = NULL, *format = "text";
	struct history *h;
	int c, rc, prune = 0;

	optind = 1;
	while ((c = cli_getopt(&cli_spec_history, argc, argv)) != -1) {
		if (c == 'S')
			store = optarg;
		else if (c == 'f')
			format = optarg;
		else if (c == 'P')
			prune = 1;
		else if (c == 'A')
			po.with_audits = 1;
		else if ((c == 'K' || c == 'O') && parse_count(optarg, c == 'K' ? 1 : 0,
							       c == 'K' ? &po.keep
									: &po.older_than_days) < 0)
			return EXIT_TOOL_FAILED;
		else if (c != 'K' && c != 'O')
			return EXIT_TOOL_FAILED;
	}
	if (optind != argc || !store) {
		log_error("usage: susaudit history --store HISTORY.db [--format text|json]");
		return EXIT_TOOL_FAILED;
	}
	if (prune || po.keep || po.older_than_days >= 0 || po.with_audits)
		return prune_store(store, prune, &po);
	if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0) {
		log_error("--format '%s' is not one of text, json", format);
		return EXIT_TOOL_FAILED;
	}
	if (history_open(store, 0, &h) < 0)
		return EXIT_TOOL_FAILED;
	rc = strcmp(format, "json") == 0 ? write_json(h, stdout) : write_text(h, stdout);
	history_close(h);
	if (rc == 0 && (fflush(stdout) != 0 || ferror(stdout)))
		rc = log_error("could not write the history to standard output");
	return rc < 0 ? EXIT_TOOL_FAILED : EXIT_CLEAN;
}
