/* report_text: the report a DBA reads in a terminal: summary first, then what to fix and how. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_escape.h"
#include "report_writers.h"
#include "xalloc.h"

/* Remedies are wrapped for an 80-column terminal. */
enum { TEXT_WIDTH = 78 };
/* A database string longer than this (code points) is cut in the text report; JSON has it all. */
enum { TEXT_MAX_CHARS = 2000 };
/* Table cells are cut at this many columns so one long path cannot push the table apart. */
enum { CELL_MAX = 48 };

struct text {
	FILE *out;
	int color;
	size_t cap;
};

static const char *const sev_color[] = {"\033[36m", "\033[33m", "\033[1;31m"};

static void color_on(const struct text *t, const char *code)
{
	if (t->color)
		fputs(code, t->out);
}

static void color_off(const struct text *t)
{
	if (t->color)
		fputs("\033[0m", t->out);
}

static void pad(FILE *out, size_t n)
{
	while (n-- > 0)
		putc(' ', out);
}

/* Writes database text on one line, cut at TEXT_MAX_CHARS with a note of what was left. */
static void put(const struct text *t, const char *s)
{
	size_t chars, bytes;

	if (!s)
		return;
	chars = report_utf8_length(s);
	if (chars <= TEXT_MAX_CHARS) {
		report_text_put(t->out, s);
		return;
	}
	bytes = report_utf8_prefix(s, TEXT_MAX_CHARS);
	report_text_putn(t->out, s, bytes, 0);
	fprintf(t->out, "... [%zu more characters]", chars - TEXT_MAX_CHARS);
}

/* Bytes of the leading list marker ("1. ", "- ", "* ") a wrapped line hangs under. */
static size_t marker_len(const char *line, size_t len)
{
	size_t i = 0;

	while (i < len && line[i] >= '0' && line[i] <= '9')
		i++;
	if (i > 0 && i < len && (line[i] == '.' || line[i] == ')'))
		i++;
	else if (i == 0 && i < len && (line[i] == '-' || line[i] == '*'))
		i++;
	else
		return 0;
	if (i < len && line[i] == ' ')
		return i + 1;
	return 0;
}

/* Writes `text` word-wrapped at TEXT_WIDTH, every line indented; explicit line breaks kept. */
static void wrap(const struct text *t, const char *text, size_t indent)
{
	const char *line = text;

	if (!text || !*text) {
		pad(t->out, indent);
		fputs("-\n", t->out);
		return;
	}
	while (line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		size_t hang = marker_len(line, len), col = indent, pos = 0;
		int first = 1;

		pad(t->out, indent);
		while (pos < len) {
			size_t start, wlen, w;
			char *word;

			while (pos < len && line[pos] == ' ')
				pos++;
			if (pos >= len)
				break;
			start = pos;
			while (pos < len && line[pos] != ' ')
				pos++;
			wlen = pos - start;
			word = xstrndup(line + start, wlen);
			w = report_text_width(word);
			if (!first && col + 1 + w > TEXT_WIDTH) {
				putc('\n', t->out);
				pad(t->out, indent + hang);
				col = indent + hang;
			} else if (!first) {
				putc(' ', t->out);
				col++;
			}
			report_text_putn(t->out, word, wlen, 0);
			col += w;
			first = 0;
			free(word);
		}
		putc('\n', t->out);
		line = nl ? nl + 1 : NULL;
	}
}

static void scalar(const struct text *t, const struct evidence *e)
{
	if (!e) {
		fputs("null", t->out);
		return;
	}
	switch (e->type) {
	case EVIDENCE_NULL:
		fputs("null", t->out);
		break;
	case EVIDENCE_BOOL:
		fputs(e->integer ? "true" : "false", t->out);
		break;
	case EVIDENCE_INT:
		fprintf(t->out, "%lld", e->integer);
		break;
	case EVIDENCE_STRING:
		if (!e->string || !*e->string)
			fputs("\"\"", t->out);
		else
			put(t, e->string);
		break;
	case EVIDENCE_LIST:
		fputs("[]", t->out);
		if (e->omitted)
			fprintf(t->out, " ... and %zu more", e->omitted);
		break;
	case EVIDENCE_OBJECT:
		fputs("{}", t->out);
		break;
	}
}

static int is_block(const struct evidence *e)
{
	return e && ((e->type == EVIDENCE_LIST && e->nitems) ||
		     (e->type == EVIDENCE_OBJECT && e->nmembers));
}

/* YAML-like: objects as "key: value", lists as "- item", lists cut at the cap. */
static void block(const struct text *t, const struct evidence *e, size_t indent)
{
	size_t i, shown;

	if (e->type == EVIDENCE_OBJECT) {
		for (i = 0; i < e->nmembers; i++) {
			const struct evidence *v = e->members[i].value;

			pad(t->out, indent);
			put(t, report_str(e->members[i].key, ""));
			putc(':', t->out);
			if (is_block(v)) {
				putc('\n', t->out);
				block(t, v, indent + 2);
			} else {
				putc(' ', t->out);
				scalar(t, v);
				putc('\n', t->out);
			}
		}
		return;
	}
	shown = e->nitems < t->cap ? e->nitems : t->cap;
	for (i = 0; i < shown; i++) {
		const struct evidence *v = e->items[i];

		pad(t->out, indent);
		putc('-', t->out);
		if (is_block(v)) {
			putc('\n', t->out);
			block(t, v, indent + 2);
		} else {
			putc(' ', t->out);
			scalar(t, v);
			putc('\n', t->out);
		}
	}
	if (e->nitems - shown + e->omitted > 0) {
		pad(t->out, indent);
		fprintf(t->out, "... and %zu more\n", e->nitems - shown + e->omitted);
	}
}

static void severity_label(const struct text *t, enum severity s)
{
	color_on(t, sev_color[s]);
	fputs(severity_name(s), t->out);
	color_off(t);
}

static void heading(const struct text *t, const char *title)
{
	putc('\n', t->out);
	color_on(t, "\033[1m");
	fputs(title, t->out);
	color_off(t);
	putc('\n', t->out);
}

static void summary(const struct text *t, const struct report *r)
{
	static const char *const names[] = {"info", "warning", "error"};
	int counts[3];
	size_t i, unreachable = report_unreachable_count(r), nfailed, listed;
	char when[32];

	report_count(r, &counts[SEVERITY_ERROR], &counts[SEVERITY_WARNING], &counts[SEVERITY_INFO]);
	report_iso_time(r->generated_at, when, sizeof(when));
	color_on(t, "\033[1m");
	fputs("susaudit report: ", t->out);
	put(t, report_str(r->hierarchy, "(unnamed hierarchy)"));
	if (r->planned)
		fputs(" (planned)", t->out);
	color_off(t);
	fprintf(t->out, "\ngenerated %s by susaudit ", when);
	put(t, report_str(r->tool_version, "unknown"));
	putc('\n', t->out);
	/* ages in the findings are measured from this time, not from the report's */
	fprintf(t->out, "collected %s\n",
		report_collected_time(r->collected_at, when, sizeof(when), "at an unknown time"));

	heading(t, "Summary");
	fprintf(t->out, "  servers    %zu (%zu reachable, %zu unreachable)\n", r->nservers,
		r->nservers - unreachable, unreachable);
	fputs("  findings   ", t->out);
	for (i = 3; i-- > 0;) {
		if (counts[i])
			color_on(t, sev_color[i]);
		fprintf(t->out, "%d %s%s", counts[i], names[i],
			counts[i] == 1 || i == SEVERITY_INFO ? "" : "s");
		if (counts[i])
			color_off(t);
		fputs(i ? ", " : "", t->out);
	}
	fprintf(t->out, " (%zu suppressed)\n", report_suppressed_count(r));
	fprintf(t->out, "  checks     %zu: %zu pass, %zu fail, %zu error, %zu skipped\n",
		r->nchecks, report_checks_with_status(r, CHECK_PASS),
		report_checks_with_status(r, CHECK_FAIL), report_checks_with_status(r, CHECK_ERROR),
		report_checks_with_status(r, CHECK_SKIPPED));
	nfailed = report_checks_with_status(r, CHECK_FAIL);
	if (nfailed) {
		size_t col = 13, w;

		fputs("  failed     ", t->out);
		for (i = 0, listed = 0; i < r->nchecks; i++) {
			if (r->checks[i].status != CHECK_FAIL)
				continue;
			w = report_text_width(report_str(r->checks[i].name, "?"));
			if (listed++) {
				putc(',', t->out);
				col++;
				if (col + 1 + w > TEXT_WIDTH) {
					fputs("\n             ", t->out);
					col = 13;
				} else {
					putc(' ', t->out);
					col++;
				}
			}
			put(t, report_str(r->checks[i].name, "?"));
			col += w;
		}
		putc('\n', t->out);
	}
	if (r->with_change) {
		size_t n[5] = {0, 0, 0, 0, 0};

		for (i = 0; i < r->nfindings; i++)
			if ((unsigned)r->findings[i].change <= CHANGE_RESOLVED)
				n[r->findings[i].change]++;
		fprintf(t->out, "  changes    %zu new, %zu %s, %zu resolved\n", n[CHANGE_NEW],
			r->planned ? n[CHANGE_UNCHANGED] : n[CHANGE_PERSISTING],
			r->planned ? "unchanged" : "persisting", r->nresolved);
	}
}

static void finding(const struct text *t, const struct report *r, const struct finding *f)
{
	char id[FINDING_ID_SIZE];
	size_t i;

	fputs("  * ", t->out);
	severity_label(t, f->severity);
	putc(' ', t->out);
	color_on(t, "\033[1m");
	put(t, report_str(f->check, "?"));
	color_off(t);
	fputs(" (", t->out);
	put(t, report_str(f->rule, "-"));
	finding_id(f, id);
	fprintf(t->out, ", id %s)", id);
	if (r->with_change && finding_change_name(f->change)) {
		fputs(" [", t->out);
		fputs(finding_change_name(f->change), t->out);
		putc(']', t->out);
	}
	fputs("\n    ", t->out);
	put(t, f->message);
	putc('\n', t->out);
	if (f->nrelated && f->related) {
		fputs("    related: ", t->out);
		for (i = 0; i < f->nrelated; i++) {
			fputs(i ? ", " : "", t->out);
			put(t, f->related[i]);
		}
		putc('\n', t->out);
	}
	if (f->evidence && is_block(f->evidence)) {
		fputs("    evidence:\n", t->out);
		block(t, f->evidence, 6);
	}
	if (f->remedy && *f->remedy) {
		fputs("    remedy:\n", t->out);
		wrap(t, f->remedy, 6);
	}
	if (!f->suppressed && f->suppression) {
		fputs("    severity set by a suppression:\n", t->out);
		wrap(t, f->suppression, 6);
	}
}

static const char *const sev_title[] = {"Info", "Warnings", "Errors"};

static void findings(const struct text *t, const struct report *r)
{
	int sev;
	size_t i;

	for (sev = SEVERITY_ERROR; sev >= SEVERITY_INFO; sev--) {
		const char *last = NULL;
		size_t n = 0;
		int first_group = 1;

		for (i = 0; i < r->nfindings; i++)
			n += !r->findings[i].suppressed && (int)r->findings[i].severity == sev;
		if (!n)
			continue;
		putc('\n', t->out);
		color_on(t, sev_color[sev]);
		fprintf(t->out, "%s (%zu)", sev_title[sev], n);
		color_off(t);
		putc('\n', t->out);
		/* findings arrive sorted by severity then server: a server header when it changes
		 */
		for (i = 0; i < r->nfindings; i++) {
			const struct finding *f = &r->findings[i];
			const char *server = report_str(f->server, "(hierarchy)");

			if (f->suppressed || (int)f->severity != sev)
				continue;
			if (first_group || strcmp(server, last) != 0) {
				putc('\n', t->out);
				color_on(t, "\033[1m");
				put(t, server);
				color_off(t);
				putc('\n', t->out);
				last = server;
				first_group = 0;
			}
			finding(t, r, f);
		}
	}
}

static void brief_line(const struct text *t, const struct finding *f, const char *note)
{
	fputs("  ", t->out);
	severity_label(t, f->severity);
	fputs("  ", t->out);
	put(t, report_str(f->server, "(hierarchy)"));
	fputs("  ", t->out);
	put(t, report_str(f->check, "?"));
	fputs(": ", t->out);
	put(t, f->message);
	if (note) {
		fputs(" -- ", t->out);
		put(t, note);
	}
	putc('\n', t->out);
}

static void others(const struct text *t, const struct report *r)
{
	size_t i, n = report_suppressed_count(r);

	if (n) {
		char title[64];

		snprintf(title, sizeof(title), "Suppressed (%zu)", n);
		heading(t, title);
		for (i = 0; i < r->nfindings; i++)
			if (r->findings[i].suppressed)
				brief_line(
				    t, &r->findings[i],
				    report_str(r->findings[i].suppression, "no justification"));
	}
	if (r->with_change) {
		char title[64];

		snprintf(title, sizeof(title), "Resolved %s (%zu)",
			 r->planned ? "by the plan" : "since the last audit", r->nresolved);
		heading(t, title);
		if (!r->nresolved)
			fputs("  none\n", t->out);
		for (i = 0; i < r->nresolved; i++)
			brief_line(t, &r->resolved[i], NULL);
	}
	if (report_checks_with_status(r, CHECK_ERROR) +
	    report_checks_with_status(r, CHECK_SKIPPED)) {
		heading(t, "Checks not evaluated");
		for (i = 0; i < r->nchecks; i++) {
			const struct report_check *c = &r->checks[i];

			if (c->status != CHECK_ERROR && c->status != CHECK_SKIPPED)
				continue;
			fputs("  ", t->out);
			put(t, report_str(c->name, "?"));
			fprintf(t->out, " (%s)", check_status_name(c->status));
			if (c->detail) {
				fputs(": ", t->out);
				put(t, c->detail);
			}
			putc('\n', t->out);
		}
	}
}

enum { COLS = 8 };

/* One server's table cells; returned strings are malloc'd and freed by cells_free. */
static void cells(const struct report *r, const struct report_server *s, char *cell[COLS])
{
	cell[0] = xstrdup(report_str(s->name, "?"));
	cell[1] = xstrdup(report_str(s->role, "-"));
	cell[2] = xstrdup(report_str(s->site, "-"));
	cell[3] = xstrdup(s->reachable ? "yes" : "NO");
	if (s->sync_source && strcmp(s->sync_source, "microsoft-update") == 0)
		cell[4] = xstrdup("Microsoft Update");
	else if (s->upstream_name)
		cell[4] = xasprintf("%s:%d%s", s->upstream_name, s->upstream_port,
				    s->upstream_ssl > 0 ? " ssl" : "");
	else
		cell[4] = xstrdup("-");
	cell[5] = xstrdup(report_yes_no(s->reachable ? s->replica : -1));
	cell[6] = xstrdup(report_str(s->storage, "-"));
	cell[7] = xstrdup(report_str(s->content_path, "-"));
	(void)r;
}

static void cells_free(char *cell[COLS])
{
	int i;

	for (i = 0; i < COLS; i++)
		free(cell[i]);
}

static size_t cell_width(const char *s)
{
	size_t w = report_text_width(s);

	return w > CELL_MAX ? CELL_MAX : w;
}

/* Writes a cell cut at CELL_MAX columns (with "...") and padded to `width` unless last. */
static void cell_put(const struct text *t, const char *s, size_t width, int last)
{
	size_t w = report_text_width(s);

	if (w > CELL_MAX) {
		size_t off = 0, n, used = 0;
		unsigned long cp;

		/* walk code points until CELL_MAX - 3 columns are filled */
		while ((n = report_utf8_decode(s + off, &cp)) > 0) {
			char one[5] = {0};
			size_t cw;

			memcpy(one, s + off, n);
			cw = report_text_width(one);
			if (used + cw > CELL_MAX - 3)
				break;
			used += cw;
			off += n;
		}
		report_text_putn(t->out, s, off, 0);
		fputs("...", t->out);
		w = used + 3;
	} else {
		report_text_put(t->out, s);
	}
	if (!last)
		pad(t->out, width - w + 2);
}

static void servers(const struct text *t, const struct report *r)
{
	static const char *const head[COLS] = {"NAME",	   "ROLE",    "SITE",	 "REACHABLE",
					       "UPSTREAM", "REPLICA", "STORAGE", "CONTENT FOLDER"};
	size_t width[COLS], i;
	char *cell[COLS];
	int c;

	heading(t, "Servers");
	if (!r->nservers) {
		fputs("  none\n", t->out);
		return;
	}
	for (c = 0; c < COLS; c++)
		width[c] = strlen(head[c]);
	for (i = 0; i < r->nservers; i++) {
		cells(r, &r->servers[i], cell);
		for (c = 0; c < COLS; c++)
			if (cell_width(cell[c]) > width[c])
				width[c] = cell_width(cell[c]);
		cells_free(cell);
	}
	fputs("  ", t->out);
	for (c = 0; c < COLS; c++)
		cell_put(t, head[c], width[c], c == COLS - 1);
	putc('\n', t->out);
	for (i = 0; i < r->nservers; i++) {
		cells(r, &r->servers[i], cell);
		fputs("  ", t->out);
		for (c = 0; c < COLS; c++) {
			if (c == 3 && !r->servers[i].reachable)
				color_on(t, sev_color[SEVERITY_ERROR]);
			cell_put(t, cell[c], width[c], c == COLS - 1);
			if (c == 3 && !r->servers[i].reachable)
				color_off(t);
		}
		putc('\n', t->out);
		cells_free(cell);
	}
	for (i = 0; i < r->nservers; i++) {
		const struct report_server *s = &r->servers[i];

		if (!s->reachable) {
			fputs("  unreachable: ", t->out);
			put(t, report_str(s->name, "?"));
			fputs(": ", t->out);
			put(t, report_str(s->error, "no reason recorded"));
			putc('\n', t->out);
		}
		if (s->collected_at) {
			char at[32];

			fputs("  collected: ", t->out);
			put(t, report_str(s->name, "?"));
			fprintf(t->out, " at %s\n",
				report_collected_time(s->collected_at, at, sizeof(at), "?"));
		}
		if (s->bits_fix_note) {
			fputs("  BITS fix on ", t->out);
			put(t, report_str(s->name, "?"));
			fputs(": ", t->out);
			put(t, s->bits_fix_note);
			putc('\n', t->out);
		}
	}
	fputs(
	    "  (permissions of content folders cannot be read from SQL: check that Network Service"
	    "\n  and Users can read them, R11)\n",
	    t->out);
}

int report_write_text(const struct report *r, const struct report_options *opt, FILE *out)
{
	struct text t = {out, opt->color, report_evidence_cap(opt)};
	int e, w, i;

	summary(&t, r);
	report_count(r, &e, &w, &i);
	if (e + w + i == 0) {
		heading(&t, "Findings");
		/* nothing evaluated says nothing: never "consistent" (issue 12) */
		fputs(report_checks_evaluated(r) == 0
			  ? "  none, because no check was evaluated: every selected check was "
			    "skipped (see below)\n"
			  : "  none: the hierarchy is consistent as far as the checks can tell\n",
		      out);
	}
	findings(&t, r);
	others(&t, r);
	servers(&t, r);
	return ferror(out) ? -1 : 0;
}

void report_text_evidence(FILE *out, const struct evidence *e, size_t indent, size_t cap)
{
	struct text t = {out, 0, cap ? cap : 20};

	if (is_block(e))
		block(&t, e, indent);
}
