/* report_maintenance: the maintenance view of the hierarchy (issue 16) in the text, JSON and
 * HTML reports: per server its SUSDB health figures, in the order to maintain them. */
#include "report_maintenance.h"

#include <stdlib.h>
#include <string.h>

#include "report_escape.h"
#include "report_writers.h"
#include "xalloc.h"

enum { MCOLS = 12 };

static const char *const mhead[MCOLS] = {"ORDER",   "TIER",    "SERVER",	 "SUPERSEDED",
					 "INDEXES", "FRAGMENTED", "DATA MB", "LOG MB",
					 "EVENTS",  "CLIENTS", "STALE",	 "STATE"};

static char *num(long long v)
{
	return v < 0 ? xstrdup("?") : xasprintf("%lld", v);
}

static void mcells(const struct report *r, const struct report_maintenance *e, char *cell[MCOLS])
{
	cell[0] = xasprintf("%d", e->order);
	cell[1] = e->tier < 0 ? xstrdup("loop") : xasprintf("%d", e->tier);
	cell[2] = xstrdup(report_str(r->servers[e->server].name, "?"));
	cell[3] = num(e->superseded);
	cell[4] = e->custom_indexes < 0 ? xstrdup("?") : xasprintf("%d/2", e->custom_indexes);
	cell[5] = num(e->fragmented);
	cell[6] = num(e->data_kb < 0 ? -1 : e->data_kb / 1024);
	cell[7] = num(e->log_kb < 0 ? -1 : e->log_kb / 1024);
	cell[8] = num(e->event_rows);
	cell[9] = num(e->clients);
	cell[10] = num(e->stale_clients);
	cell[11] = xstrdup(report_str(e->db_state, "?"));
}

static void mcells_free(char *cell[MCOLS])
{
	int c;

	for (c = 0; c < MCOLS; c++)
		free(cell[c]);
}

/* Writes `items` joined by ", " from column `indent`, wrapped before an item that would pass
 * `width`. */
static void wrap_items(FILE *out, char *const *items, size_t n, size_t indent, size_t width)
{
	size_t col = indent, i, k;

	for (k = 0; k < indent; k++)
		putc(' ', out);
	for (i = 0; i < n; i++) {
		size_t w = report_text_width(items[i]) + (i + 1 < n ? 1 : 0);

		if (i && col + 1 + w > width) {
			putc('\n', out);
			for (k = 0, col = indent; k < indent; k++)
				putc(' ', out);
		} else if (i) {
			putc(' ', out);
			col++;
		}
		report_text_put(out, items[i]);
		if (i + 1 < n)
			putc(',', out);
		col += w;
	}
	putc('\n', out);
}

/* Writes `text` word-wrapped to `width`: the first line from column `first`, the others from
 * column `rest`. */
static void wrap_words(FILE *out, const char *text, size_t first, size_t rest, size_t width)
{
	char *copy = xstrdup(text), *word, *save = NULL;
	size_t col = first, k;
	int start = 1;

	for (k = 0; k < first; k++)
		putc(' ', out);
	for (word = strtok_r(copy, " ", &save); word; word = strtok_r(NULL, " ", &save)) {
		size_t w = report_text_width(word);

		if (!start && col + 1 + w > width) {
			putc('\n', out);
			for (k = 0; k < rest; k++)
				putc(' ', out);
			col = rest;
		} else if (!start) {
			putc(' ', out);
			col++;
		}
		report_text_put(out, word);
		col += w;
		start = 0;
	}
	putc('\n', out);
	free(copy);
}

/* One server as a block: "1. name (tier 2)" and its figures wrapped below. */
static void block(const struct report *r, const struct report_maintenance *e, size_t width,
		  FILE *out)
{
	char *cell[MCOLS], *items[10];
	size_t n = 0, i;

	mcells(r, e, cell);
	fprintf(out, "  %s. ", cell[0]);
	report_text_put(out, cell[2]);
	fprintf(out, " (tier %s)\n", cell[1]);
	items[n++] = xasprintf("superseded %s", cell[3]);
	items[n++] = xasprintf("indexes %s", cell[4]);
	items[n++] = xasprintf("fragmented %s", cell[5]);
	items[n++] = xasprintf("data %s MB", cell[6]);
	items[n++] = xasprintf("log %s MB", cell[7]);
	items[n++] = xasprintf("events %s", cell[8]);
	items[n++] = xasprintf("clients %s (%s stale)", cell[9], cell[10]);
	items[n++] = xasprintf("state %s", cell[11]);
	wrap_items(out, items, n, 5, width);
	for (i = 0; i < n; i++)
		free(items[i]);
	mcells_free(cell);
}

void report_text_maintenance(const struct report *r, size_t width, FILE *out)
{
	static char legend_a[] = "superseded: not declined (Microsoft's threshold 1,500)";
	static char legend_b[] = "indexes: Microsoft's two custom indexes present";
	static char legend_c[] = "fragmented: indexes beyond the reindex script's thresholds";
	static char legend_d[] = "stale: own clients without contact for more than 14 days";
	char *legend[4];
	size_t cw[MCOLS], i, total = 0;
	char *cell[MCOLS];
	int c;

	if (!r->nmaintenance)
		return;
	legend[0] = legend_a;
	legend[1] = legend_b;
	legend[2] = legend_c;
	legend[3] = legend_d;
	fputs("\nMaintenance\n", out);
	wrap_words(out,
		   "Run the WSUS cleanup and the reindex on every server, replicas included, in "
		   "this order (deepest tier first):",
		   2, 2, width);
	for (c = 0; c < MCOLS; c++)
		cw[c] = strlen(mhead[c]);
	for (i = 0; i < r->nmaintenance; i++) {
		mcells(r, &r->maintenance[i], cell);
		for (c = 0; c < MCOLS; c++)
			if (report_text_width(cell[c]) > cw[c])
				cw[c] = report_text_width(cell[c]);
		mcells_free(cell);
	}
	for (c = 0; c < MCOLS; c++)
		total += cw[c] + 2;
	if (total > width) {
		for (i = 0; i < r->nmaintenance; i++)
			block(r, &r->maintenance[i], width, out);
	} else {
		fputs("  ", out);
		for (c = 0; c < MCOLS; c++) {
			if (c == MCOLS - 1)
				fprintf(out, "%s\n", mhead[c]);
			else
				fprintf(out, "%-*s  ", (int)cw[c], mhead[c]);
		}
		for (i = 0; i < r->nmaintenance; i++) {
			mcells(r, &r->maintenance[i], cell);
			fputs("  ", out);
			for (c = 0; c < MCOLS; c++) {
				size_t w = report_text_width(cell[c]);

				report_text_put(out, cell[c]);
				if (c < MCOLS - 1)
					for (; w < cw[c] + 2; w++)
						putc(' ', out);
			}
			putc('\n', out);
			mcells_free(cell);
		}
	}
	for (i = 0; i < r->nmaintenance; i++) {
		const struct report_maintenance *e = &r->maintenance[i];
		char *item;

		if (!e->note)
			continue;
		item = xasprintf("%s: %s", report_str(r->servers[e->server].name, "?"), e->note);
		wrap_words(out, item, 2, 4, width);
		free(item);
	}
	for (c = 0; c < 4; c++)
		wrap_words(out, legend[c], 2, 4, width);
}

static void json_int(FILE *out, const char *name, long long v)
{
	if (v < 0)
		fprintf(out, ", \"%s\": null", name);
	else
		fprintf(out, ", \"%s\": %lld", name, v);
}

void report_json_maintenance(const struct report *r, FILE *out)
{
	size_t i;

	if (!r->nmaintenance)
		return;
	fputs("  \"maintenance\": [\n", out);
	for (i = 0; i < r->nmaintenance; i++) {
		const struct report_maintenance *e = &r->maintenance[i];

		fputs("    {\"server\": ", out);
		report_json_string(out, report_str(r->servers[e->server].name, ""));
		fprintf(out, ", \"order\": %d", e->order);
		json_int(out, "tier", e->tier);
		json_int(out, "superseded_not_declined", e->superseded);
		json_int(out, "custom_indexes", e->custom_indexes);
		json_int(out, "fragmented_indexes", e->fragmented);
		json_int(out, "data_kb", e->data_kb);
		json_int(out, "log_kb", e->log_kb);
		json_int(out, "event_rows", e->event_rows);
		json_int(out, "clients", e->clients);
		json_int(out, "stale_clients", e->stale_clients);
		fputs(", \"database_state\": ", out);
		report_json_string(out, e->db_state);
		fputs(", \"note\": ", out);
		report_json_string(out, e->note);
		fputs(i + 1 < r->nmaintenance ? "},\n" : "}\n", out);
	}
	fputs("  ],\n", out);
}

static void html_num(FILE *out, long long v, int warn)
{
	if (v < 0)
		fputs("<td class=\"unknown\">?</td>", out);
	else
		fprintf(out, "<td class=\"num%s\">%lld</td>", warn ? " warn" : "", v);
}

void report_html_maintenance(const struct report *r, FILE *out)
{
	size_t i;

	if (!r->nmaintenance)
		return;
	fputs("<section id=\"maintenance\">\n<h2>Maintenance</h2>\n"
	      "<p class=\"note\">Run the WSUS cleanup and the reindex on every server, replicas "
	      "included, in this order: deepest tier first, one tier at a time (Microsoft's WSUS "
	      "maintenance guide).</p>\n<div class=\"table-wrap\">\n<table>\n"
	      "<tr><th>Order</th><th>Tier</th><th>Server</th><th>Superseded, not declined</th>"
	      "<th>Custom indexes</th><th>Fragmented indexes</th><th>Data MB</th><th>Log MB</th>"
	      "<th>Events</th><th>Clients</th><th>Stale clients</th><th>Database</th>"
	      "<th>Note</th></tr>\n",
	      out);
	for (i = 0; i < r->nmaintenance; i++) {
		const struct report_maintenance *e = &r->maintenance[i];

		fprintf(out, "<tr><td class=\"num\">%d</td>", e->order);
		if (e->tier < 0)
			fputs("<td>loop</td>", out);
		else
			fprintf(out, "<td class=\"num\">%d</td>", e->tier);
		fputs("<td>", out);
		report_xml_put(out, r->servers[e->server].name);
		fputs("</td>", out);
		html_num(out, e->superseded, e->superseded > 1500);
		if (e->custom_indexes < 0)
			fputs("<td class=\"unknown\">?</td>", out);
		else
			fprintf(out, "<td class=\"num%s\">%d/2</td>",
				e->custom_indexes < 2 ? " warn" : "", e->custom_indexes);
		html_num(out, e->fragmented, e->fragmented > 0);
		html_num(out, e->data_kb < 0 ? -1 : e->data_kb / 1024, 0);
		html_num(out, e->log_kb < 0 ? -1 : e->log_kb / 1024, 0);
		html_num(out, e->event_rows, e->event_rows > 1000000);
		html_num(out, e->clients, 0);
		html_num(out, e->stale_clients,
			 e->clients > 0 && e->stale_clients * 100 > e->clients * 20);
		fputs(!e->db_state ? "<td class=\"unknown\">"
		      : strcmp(e->db_state, "ONLINE, MULTI_USER") != 0 ? "<td class=\"warn\">"
									 : "<td>",
		      out);
		report_xml_put(out, report_str(e->db_state, "?"));
		fputs("</td><td>", out);
		report_xml_put(out, report_str(e->note, ""));
		fputs("</td></tr>\n", out);
	}
	fputs("</table>\n</div>\n</section>\n", out);
}

void report_svg_superseded_trend(const struct report *r, FILE *out)
{
	enum { W = 640, H = 160, LEFT = 56, RIGHT = 16, TOP = 14, BOTTOM = 40 };
	long long max = 1;
	size_t i, known = 0;
	int first_point = 1;

	for (i = 0; r->trend && i < r->ntrend; i++) {
		if (r->trend[i].superseded < 0)
			continue;
		known++;
		if (r->trend[i].superseded > max)
			max = r->trend[i].superseded;
	}
	if (known < 2)
		return;
	if (max < 1500)
		max = 1500; /* Microsoft's threshold stays on the chart */
	fputs("<section id=\"superseded-trend\">\n<h2>Superseded updates not declined over past "
	      "audits</h2>\n<div class=\"diagram\">\n",
	      out);
	fprintf(out,
		"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" "
		"height=\"%d\" role=\"img\" aria-label=\"superseded updates not declined over "
		"past audits\">\n",
		W, H, W, H);
	fprintf(out, "<path class=\"axis\" d=\"M%d %d V%d H%d\"/>\n", LEFT, TOP, H - BOTTOM,
		W - RIGHT);
	fprintf(out,
		"<text class=\"axis-label\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%lld</text>\n"
		"<text class=\"axis-label\" x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>\n",
		LEFT - 6, TOP + 8, max, LEFT - 6, H - BOTTOM);
	{
		int y = H - BOTTOM - (int)(1500LL * (H - BOTTOM - TOP) / max);

		fprintf(out,
			"<path class=\"trend-line sev-warning\" stroke-dasharray=\"4 4\" "
			"d=\"M%d %d H%d\"/>\n"
			"<text class=\"axis-label\" x=\"%d\" y=\"%d\" text-anchor=\"end\">1,500 "
			"(Microsoft's threshold)</text>\n",
			LEFT, y, W - RIGHT, W - RIGHT, y + 13);
	}
	fputs("<polyline class=\"trend-line sev-info\" points=\"", out);
	for (i = 0; i < r->ntrend; i++) {
		long long v = r->trend[i].superseded;
		int x, y;

		if (v < 0)
			continue;
		x = LEFT + (int)((long)i * (W - LEFT - RIGHT) / (long)(r->ntrend - 1));
		y = H - BOTTOM - (int)(v * (H - BOTTOM - TOP) / max);
		fprintf(out, "%s%d,%d", first_point ? "" : " ", x, y);
		first_point = 0;
	}
	fputs("\"/>\n", out);
	{
		char first[32], last[32];

		report_iso_time(r->trend[0].at, first, sizeof(first));
		report_iso_time(r->trend[r->ntrend - 1].at, last, sizeof(last));
		first[10] = last[10] = '\0'; /* dates are enough on the axis */
		fprintf(out,
			"<text class=\"axis-label\" x=\"%d\" y=\"%d\">%s</text>\n"
			"<text class=\"axis-label\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n",
			LEFT, H - BOTTOM + 16, first, W - RIGHT, H - BOTTOM + 16, last);
	}
	fprintf(out,
		"<text class=\"axis-label\" x=\"%d\" y=\"%d\"><tspan fill=\"#1565c0\">&#9632; "
		"superseded, not declined, over the hierarchy's servers</tspan></text>\n",
		LEFT, H - 8);
	fputs("</svg>\n</div>\n</section>\n", out);
}
