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

void report_text_maintenance(const struct report *r, FILE *out)
{
	size_t width[MCOLS], i;
	char *cell[MCOLS];
	int c;

	if (!r->nmaintenance)
		return;
	fputs("\nMaintenance (cleanup and reindex every server, replicas included, in this order: "
	      "deepest tier first)\n",
	      out);
	for (c = 0; c < MCOLS; c++)
		width[c] = strlen(mhead[c]);
	for (i = 0; i < r->nmaintenance; i++) {
		mcells(r, &r->maintenance[i], cell);
		for (c = 0; c < MCOLS; c++)
			if (report_text_width(cell[c]) > width[c])
				width[c] = report_text_width(cell[c]);
		mcells_free(cell);
	}
	fputs("  ", out);
	for (c = 0; c < MCOLS; c++) {
		if (c == MCOLS - 1)
			fprintf(out, "%s\n", mhead[c]);
		else
			fprintf(out, "%-*s  ", (int)width[c], mhead[c]);
	}
	for (i = 0; i < r->nmaintenance; i++) {
		mcells(r, &r->maintenance[i], cell);
		fputs("  ", out);
		for (c = 0; c < MCOLS; c++) {
			size_t w = report_text_width(cell[c]);

			report_text_put(out, cell[c]);
			if (c < MCOLS - 1)
				for (; w < width[c] + 2; w++)
					putc(' ', out);
		}
		putc('\n', out);
		mcells_free(cell);
	}
	for (i = 0; i < r->nmaintenance; i++) {
		const struct report_maintenance *e = &r->maintenance[i];

		if (!e->note)
			continue;
		fputs("  ", out);
		report_text_put(out, report_str(r->servers[e->server].name, "?"));
		fputs(": ", out);
		report_text_put(out, e->note);
		putc('\n', out);
	}
	fputs("  (SUPERSEDED: not declined, Microsoft's threshold 1,500; INDEXES: Microsoft's "
	      "custom indexes present;\n  FRAGMENTED: beyond the reindex script's thresholds; "
	      "STALE: no contact for more than 14 days)\n",
	      out);
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
