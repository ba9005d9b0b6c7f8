/* report_text: the report a DBA reads in a terminal: summary first, then what to fix and how. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "finding_cause.h"
#include "report_escape.h"
#include "report_maintenance.h"
#include "report_writers.h"
#include "xalloc.h"

/* Lines are wrapped at word boundaries to the terminal's width, or to this many columns when
 * the report does not go to a terminal; narrower than TEXT_MIN_WIDTH is not attempted. */
enum { TEXT_DEFAULT_WIDTH = 100, TEXT_MIN_WIDTH = 40 };
/* A database string longer than this (code points) is cut in the text report; JSON has it all. */
enum { TEXT_MAX_CHARS = 2000 };
/* Table cells are cut at this many columns so one long path cannot push the table apart. */
enum { CELL_MAX = 48 };

struct text {
	FILE *out;
	int color;
	size_t cap;
	size_t width;	/* the longest line, in columns */
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

/* Writes `text` word-wrapped to the width and ends the line. The cursor stands at column
 * `col` (already written, e.g. a label); continuation lines start at column `next` (plus a
 * list marker's hang on remedies). With `breaks` an explicit line break starts a new line at
 * `next`; without it (database text) a break is escaped like any control character. A word
 * wider than the line stands alone: it is never broken. */
static void wrap_at(const struct text *t, const char *text, size_t col, size_t next, int breaks)
{
	const char *line = text;

	while (line) {
		const char *nl = breaks ? strchr(line, '\n') : NULL;
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		size_t hang = breaks ? marker_len(line, len) : 0, pos = 0;
		int first = 1;

		if (line != text) {
			pad(t->out, next);
			col = next;
		}
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
			if (!first && col + 1 + w > t->width) {
				putc('\n', t->out);
				pad(t->out, next + hang);
				col = next + hang;
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

/* A remedy or other text of ours, every line indented; explicit line breaks kept. */
static void wrap(const struct text *t, const char *text, size_t indent)
{
	if (!text || !*text) {
		pad(t->out, indent);
		fputs("-\n", t->out);
		return;
	}
	pad(t->out, indent);
	wrap_at(t, text, indent, indent, 1);
}

/* Database text (a message, a justification) after column `col`, continuation lines at
 * `next`: cut at TEXT_MAX_CHARS as put() cuts it, breaks escaped. */
static void wrap_text(const struct text *t, const char *s, size_t col, size_t next)
{
	size_t chars;
	char *cut;

	if (!s) {
		putc('\n', t->out);
		return;
	}
	chars = report_utf8_length(s);
	if (chars <= TEXT_MAX_CHARS) {
		wrap_at(t, s, col, next, 0);
		return;
	}
	cut = xasprintf("%.*s... [%zu more characters]", (int)report_utf8_prefix(s, TEXT_MAX_CHARS),
			s, chars - TEXT_MAX_CHARS);
	wrap_at(t, cut, col, next, 0);
	free(cut);
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
				if (col + 1 + w > t->width) {
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

static int shown_under_cause(const struct report *r, const struct finding *f)
{
	return finding_shown_under_cause(r->findings, r->nfindings, f);
}

/* One finding, its lines indented by `in` more than a top-level one; `nested` findings (those
 * it explains) name their server in the header, since they may be about another one. */
static void finding_at(const struct text *t, const struct report *r, const struct finding *f,
		       size_t in, int nested)
{
	char id[FINDING_ID_SIZE];
	size_t i, n;

	pad(t->out, in);
	fputs("  * ", t->out);
	severity_label(t, f->severity);
	putc(' ', t->out);
	color_on(t, "\033[1m");
	put(t, report_str(f->check, "?"));
	color_off(t);
	if (nested) {
		fputs(" on ", t->out);
		put(t, report_str(f->server, "the hierarchy"));
	}
	fputs(" (", t->out);
	put(t, report_str(f->rule, "-"));
	finding_id(f, id);
	fprintf(t->out, ", id %s)", id);
	if (r->with_change && finding_change_name(f->change)) {
		fputs(" [", t->out);
		fputs(finding_change_name(f->change), t->out);
		putc(']', t->out);
	}
	putc('\n', t->out);
	pad(t->out, in + 4);
	wrap_text(t, f->message, in + 4, in + 4);
	if (f->nrelated && f->related) {
		size_t len = 1, at = 0;
		char *list;

		for (i = 0; i < f->nrelated; i++)
			len += strlen(report_str(f->related[i], "")) + 2;
		list = xcalloc(1, len);
		for (i = 0; i < f->nrelated; i++)
			at += (size_t)snprintf(list + at, len - at, "%s%s", i ? ", " : "",
					       report_str(f->related[i], ""));
		pad(t->out, in);
		fputs("    related: ", t->out);
		wrap_text(t, list, in + 13, in + 13);
		free(list);
	}
	if (f->evidence && is_block(f->evidence)) {
		pad(t->out, in);
		fputs("    evidence:\n", t->out);
		block(t, f->evidence, in + 6);
	}
	if (f->remedy && *f->remedy) {
		pad(t->out, in);
		fputs("    remedy:\n", t->out);
		wrap(t, f->remedy, in + 6);
	}
	if (!f->suppressed && f->suppression) {
		pad(t->out, in);
		fputs("    severity set by a suppression:\n", t->out);
		wrap(t, f->suppression, in + 6);
	}
	if (nested)
		return;
	/* one cause, one story: what this finding explains follows it */
	for (i = 0, n = 0; i < r->nfindings; i++) {
		const struct finding *x = &r->findings[i];

		if (!shown_under_cause(r, x) || strcmp(x->cause, id) != 0)
			continue;
		if (!n++)
			fputs("    the same cause explains:\n", t->out);
		finding_at(t, r, x, 4, 1);
	}
}

static void finding(const struct text *t, const struct report *r, const struct finding *f)
{
	finding_at(t, r, f, 0, 0);
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

		size_t elsewhere = 0;

		for (i = 0; i < r->nfindings; i++)
			if (!r->findings[i].suppressed && (int)r->findings[i].severity == sev) {
				n++;
				elsewhere += shown_under_cause(r, &r->findings[i]) &&
					     finding_by_id(r->findings, r->nfindings,
							   r->findings[i].cause)
							 ->severity != r->findings[i].severity;
			}
		if (!n)
			continue;
		putc('\n', t->out);
		color_on(t, sev_color[sev]);
		fprintf(t->out, "%s (%zu)", sev_title[sev], n);
		color_off(t);
		if (elsewhere)
			fprintf(t->out, " (%zu of them shown under the finding that explains them)",
				elsewhere);
		putc('\n', t->out);
		/* findings arrive sorted by severity then server: a server header when it changes
		 */
		for (i = 0; i < r->nfindings; i++) {
			const struct finding *f = &r->findings[i];
			const char *server = report_str(f->server, "(hierarchy)");

			if (f->suppressed || (int)f->severity != sev || shown_under_cause(r, f))
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
	const char *sev = severity_name(f->severity);
	char *rest = xasprintf("%s  %s: %s%s%s", report_str(f->server, "(hierarchy)"),
			       report_str(f->check, "?"), report_str(f->message, ""),
			       note ? " -- " : "", note ? note : "");

	fputs("  ", t->out);
	severity_label(t, f->severity);
	fputs("  ", t->out);
	wrap_text(t, rest, 4 + strlen(sev), 6);
	free(rest);
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
			char *line = xasprintf("%s (%s)%s%s", report_str(c->name, "?"),
					       check_status_name(c->status), c->detail ? ": " : "",
					       c->detail ? c->detail : "");

			fputs("  ", t->out);
			wrap_text(t, line, 2, 4);
			free(line);
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

/* The servers as a table of the first `ncols` columns. */
static void table(const struct text *t, const struct report *r, const char *const head[COLS],
		  const size_t width[COLS], int ncols)
{
	char *cell[COLS];
	size_t i;
	int c;

	fputs("  ", t->out);
	for (c = 0; c < ncols; c++)
		cell_put(t, head[c], width[c], c == ncols - 1);
	putc('\n', t->out);
	for (i = 0; i < r->nservers; i++) {
		cells(r, &r->servers[i], cell);
		fputs("  ", t->out);
		for (c = 0; c < ncols; c++) {
			if (c == 3 && !r->servers[i].reachable)
				color_on(t, sev_color[SEVERITY_ERROR]);
			cell_put(t, cell[c], width[c], c == ncols - 1);
			if (c == 3 && !r->servers[i].reachable)
				color_off(t);
		}
		putc('\n', t->out);
		cells_free(cell);
	}
}

/* The servers one block each, for a terminal too narrow for the table: the name, then the
 * role, the upstream link and the content folder on a line each, wrapped to the width. */
static void stacked(const struct text *t, const struct report *r)
{
	char *cell[COLS], *line;
	size_t i;

	for (i = 0; i < r->nservers; i++) {
		cells(r, &r->servers[i], cell);
		fputs("  ", t->out);
		color_on(t, "\033[1m");
		put(t, cell[0]);
		color_off(t);
		putc('\n', t->out);
		line = xasprintf("role %s, site %s, reachable %s", cell[1], cell[2], cell[3]);
		pad(t->out, 4);
		wrap_text(t, line, 4, 6);
		free(line);
		line = xasprintf("upstream %s, replica %s, storage %s", cell[4], cell[5], cell[6]);
		pad(t->out, 4);
		wrap_text(t, line, 4, 6);
		free(line);
		fputs("    content folder: ", t->out);
		wrap_text(t, cell[7], 20, 6);
		cells_free(cell);
	}
}

static void servers(const struct text *t, const struct report *r)
{
	static const char *const head[COLS] = {"NAME",	   "ROLE",    "SITE",	 "REACHABLE",
					       "UPSTREAM", "REPLICA", "STORAGE", "CONTENT FOLDER"};
	size_t width[COLS], i, total;
	char *cell[COLS];
	int c, ncols;

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
	/* the whole table where it fits; else without the content folder (listed below it);
	 * else one block per server */
	for (c = 0, total = 0; c < COLS; c++)
		total += width[c] + 2;
	ncols = total <= t->width ? COLS : total - width[COLS - 1] - 2 <= t->width ? COLS - 1 : 0;
	if (ncols)
		table(t, r, head, width, ncols);
	else
		stacked(t, r);
	if (ncols == COLS - 1)
		for (i = 0; i < r->nservers; i++) {
			char *line = xasprintf("%s: %s", report_str(r->servers[i].name, "?"),
					       report_str(r->servers[i].content_path, "-"));

			fputs("  content folder of ", t->out);
			wrap_text(t, line, 20, 6);
			free(line);
		}
	for (i = 0; i < r->nservers; i++) {
		const struct report_server *s = &r->servers[i];

		if (!s->reachable) {
			char *line = xasprintf("%s: %s", report_str(s->name, "?"),
					       report_str(s->error, "no reason recorded"));

			fputs("  unreachable: ", t->out);
			wrap_text(t, line, 15, 6);
			free(line);
		}
		if (s->collected_at) {
			char at[32];

			fputs("  collected: ", t->out);
			put(t, report_str(s->name, "?"));
			fprintf(t->out, " at %s\n",
				report_collected_time(s->collected_at, at, sizeof(at), "?"));
		}
		if (s->bits_fix_note) {
			char *line = xasprintf("%s: %s", report_str(s->name, "?"), s->bits_fix_note);

			fputs("  BITS fix on ", t->out);
			wrap_text(t, line, 14, 6);
			free(line);
		}
	}
	for (i = 0; i < r->nservers; i++) {
		const struct report_server *s = &r->servers[i];
		char buf[1024], *line;

		if (!s->connection)
			continue;
		line = xasprintf("%s: %s", report_str(s->name, "?"),
				 report_connection_line(s->connection, buf, sizeof(buf)));
		fputs("  connection: ", t->out);
		if (s->connection->password_exposed == 1)
			color_on(t, sev_color[SEVERITY_WARNING]);
		wrap_text(t, line, 14, 6);
		if (s->connection->password_exposed == 1)
			color_off(t);
		free(line);
	}
	wrap(t,
	     "(permissions of content folders cannot be read from SQL: check that Network Service "
	     "and Users can read them, R11)",
	     2);
}

int report_write_text(const struct report *r, const struct report_options *opt, FILE *out)
{
	struct text t = {out, opt->color, report_evidence_cap(opt),
			 opt->width ? opt->width : TEXT_DEFAULT_WIDTH};

	if (t.width < TEXT_MIN_WIDTH)
		t.width = TEXT_MIN_WIDTH;
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
	report_text_maintenance(r, t.width, out);
	return ferror(out) ? -1 : 0;
}

void report_text_evidence(FILE *out, const struct evidence *e, size_t indent, size_t cap)
{
	struct text t = {out, 0, cap ? cap : 20, TEXT_DEFAULT_WIDTH};

	if (is_block(e))
		block(&t, e, indent);
}
