/* report_svg: the hierarchy diagram and the trend chart of the HTML report, laid out in C. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_escape.h"
#include "report_writers.h"
#include "xalloc.h"

/* Layered layout: sources (Microsoft Update, upstreams outside the hierarchy) on layer 0,
 * each server one layer below the server it synchronizes from. Integer geometry only, so
 * the same report gives the same bytes on every machine. */
enum {
	NODE_W = 200,
	NODE_H = 58,
	GAP_X = 26,
	GAP_Y = 60,
	MARGIN = 20,
	LEGEND_H = 46,
	LEGEND_W = 920, /* the legend's items side by side: the narrowest diagram */
	NAME_CHARS = 27 /* longer names are cut with an ellipsis; <title> has them whole */
};

enum node_kind { NODE_SERVER, NODE_MICROSOFT, NODE_EXTERNAL };

struct node {
	enum node_kind kind;
	int server;	   /* index into r->servers for NODE_SERVER, else -1 */
	const char *label; /* name shown */
	int parent;	   /* node it synchronizes from, or -1 */
	int guide;	   /* unknown upstream: the node its role implies (drawn dashed), or -1 */
	int layer;
	int order; /* sort key within the layer, then position */
	int x, y;
};

struct layout {
	struct node *nodes;
	size_t nnodes;
	int width, height;
};

static int is_microsoft(const struct report_server *s)
{
	return s->sync_source && strcmp(s->sync_source, "microsoft-update") == 0;
}

static int is_upstream(const struct report_server *s)
{
	return s->sync_source && strcmp(s->sync_source, "upstream") == 0;
}

static int add_node(struct layout *l, enum node_kind kind, int server, const char *label)
{
	struct node *n = &l->nodes[l->nnodes];

	memset(n, 0, sizeof(*n));
	n->kind = kind;
	n->server = server;
	n->label = label;
	n->parent = -1;
	n->guide = -1;
	n->layer = kind == NODE_SERVER ? -1 : 0;
	return (int)l->nnodes++;
}

/* The index of the server called `name`, or -1 (NULL: -1). */
static int server_index(const struct report *r, const char *name)
{
	size_t i;

	for (i = 0; name && i < r->nservers; i++)
		if (r->servers[i].name && strcmp(r->servers[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* The node an other or internet SUP of a site must synchronize from (its site's first SUP),
 * for a server whose upstream could not be read; -1 for other roles or when that node has no
 * layer yet. */
static int role_upstream(const struct report *r, const struct layout *l, int server)
{
	const struct report_server *s = &r->servers[server];
	size_t i;

	if (!s->role || !s->site ||
	    (strcmp(s->role, "site-other") != 0 && strcmp(s->role, "internet") != 0))
		return -1;
	for (i = 0; i < l->nnodes; i++) {
		const struct node *n = &l->nodes[i];
		const struct report_server *o;

		if (n->kind != NODE_SERVER || n->layer < 0 || (int)i == server)
			continue;
		o = &r->servers[n->server];
		if (o->site && strcmp(o->site, s->site) == 0 && o->role &&
		    (strcmp(o->role, "site-first") == 0 || strcmp(o->role, "top") == 0))
			return (int)i;
	}
	return -1;
}

/* Where a server whose upstream is unknown (unreachable) most likely sits: one below its
 * site's first SUP for other SUPs of a site (remembered as its guide), else by role. */
static int guess_layer(const struct report *r, struct layout *l, int server)
{
	const struct report_server *s = &r->servers[server];
	int expected = server_index(r, s->expected_upstream);
	/* the upstream its role requires, from the hierarchy file, when that one is placed */
	int guide = expected >= 0 && l->nodes[expected].layer >= 0 ? expected
									: role_upstream(r, l, server);

	if (guide >= 0) {
		l->nodes[server].guide = guide;
		return l->nodes[guide].layer + 1;
	}
	if (s->role && strcmp(s->role, "site-first") == 0)
		return 2;
	if (s->role && (strcmp(s->role, "site-other") == 0 || strcmp(s->role, "internet") == 0))
		return 2;
	if (s->role && strcmp(s->role, "secondary") == 0)
		return 3;
	return 1;
}

/* Layer of a node from its chain of parents; a cycle (upstream-cycle) leaves it at -1. */
static int chain_layer(const struct layout *l, int node)
{
	int depth = 0, cur = node;

	while (cur >= 0 && l->nodes[cur].kind == NODE_SERVER) {
		if ((size_t)depth > l->nnodes)
			return -1;
		cur = l->nodes[cur].parent;
		depth++;
	}
	return cur < 0 ? -1 : depth;
}

static int node_compare(const struct report *r, const struct layout *l, const struct node *a,
			const struct node *b)
{
	int ga = a->parent >= 0 ? a->parent : a->guide, gb = b->parent >= 0 ? b->parent : b->guide;
	int pa = ga >= 0 ? l->nodes[ga].x : -1;
	int pb = gb >= 0 ? l->nodes[gb].x : -1;
	const char *sa, *sb;
	int c;

	if (a->kind != b->kind)
		return a->kind == NODE_MICROSOFT   ? -1
		       : b->kind == NODE_MICROSOFT ? 1
						   : (int)a->kind - (int)b->kind;
	if (pa != pb)
		return pa < pb ? -1 : 1;
	if (a->kind == NODE_SERVER) {
		sa = report_str(r->servers[a->server].site, "~");
		sb = report_str(r->servers[b->server].site, "~");
		if ((c = strcmp(sa, sb)) != 0)
			return c;
	}
	if ((c = strcmp(report_str(a->label, ""), report_str(b->label, ""))) != 0)
		return c;
	return a->server < b->server ? -1 : a->server > b->server;
}

static void layout_build(const struct report *r, struct layout *l)
{
	size_t i, j;
	int microsoft = -1, nlayers = 0, layer, widest = 0, changed, top;
	int *members;

	l->nodes = xcalloc(2 * r->nservers + 2, sizeof(*l->nodes));
	l->nnodes = 0;
	for (i = 0; i < r->nservers; i++)
		add_node(l, NODE_SERVER, (int)i, report_str(r->servers[i].name, "?"));
	for (i = 0; i < r->nservers; i++) {
		const struct report_server *s = &r->servers[i];

		if (is_microsoft(s)) {
			if (microsoft < 0)
				microsoft = add_node(l, NODE_MICROSOFT, -1, "Microsoft Update");
			l->nodes[i].parent = microsoft;
		} else if (s->planned && strcmp(s->planned, "moved") == 0 &&
			   server_index(r, s->expected_upstream) >= 0) {
			/* a plan moves it: drawn where the plan puts it, not under today's upstream */
			l->nodes[i].parent = server_index(r, s->expected_upstream);
		} else if (is_upstream(s) && s->upstream_index >= 0 &&
			   (size_t)s->upstream_index < r->nservers) {
			l->nodes[i].parent = s->upstream_index;
		} else if (is_upstream(s) && s->upstream_name) {
			/* one node per distinct name outside the hierarchy */
			for (j = r->nservers; j < l->nnodes; j++)
				if (l->nodes[j].kind == NODE_EXTERNAL &&
				    strcmp(l->nodes[j].label, s->upstream_name) == 0)
					break;
			if (j == l->nnodes)
				j = (size_t)add_node(l, NODE_EXTERNAL, -1, s->upstream_name);
			l->nodes[i].parent = (int)j;
		}
	}
	for (i = 0; i < r->nservers; i++)
		l->nodes[i].layer = chain_layer(l, (int)i);
	/* servers with no known upstream (unreachable) are placed by role; then those whose
	 * chain runs through them; what is left is a cycle, placed by role as well */
	for (i = 0; i < r->nservers; i++)
		if (l->nodes[i].layer < 0 && l->nodes[i].parent < 0)
			l->nodes[i].layer = guess_layer(r, l, (int)i);
	for (j = 0, changed = 1; changed && j < r->nservers; j++) {
		changed = 0;
		for (i = 0; i < r->nservers; i++) {
			struct node *n = &l->nodes[i];

			if (n->layer < 0 && l->nodes[n->parent].layer >= 0) {
				n->layer = l->nodes[n->parent].layer + 1;
				changed = 1;
			}
		}
	}
	for (i = 0; i < r->nservers; i++)
		if (l->nodes[i].layer < 0)
			l->nodes[i].layer = guess_layer(r, l, (int)i);
	/* placed by role only (nothing read, no source drawn), the top layers can be empty:
	 * the diagram starts at the first layer that has a node */
	for (i = 0, top = -1; i < l->nnodes; i++)
		if (top < 0 || l->nodes[i].layer < top)
			top = l->nodes[i].layer;
	for (i = 0; i < l->nnodes; i++)
		l->nodes[i].layer -= top;
	for (i = 0; i < l->nnodes; i++)
		if (l->nodes[i].layer + 1 > nlayers)
			nlayers = l->nodes[i].layer + 1;

	/* order each layer by its parents' positions, then site and name; lay out top down */
	members = xcalloc(l->nnodes + 1, sizeof(*members));
	for (layer = 0; layer < nlayers; layer++) {
		size_t n = 0, a, b;

		for (i = 0; i < l->nnodes; i++)
			if (l->nodes[i].layer == layer)
				members[n++] = (int)i;
		for (a = 1; a < n; a++) /* insertion sort: small, stable, no global context */
			for (b = a; b > 0 && node_compare(r, l, &l->nodes[members[b - 1]],
							  &l->nodes[members[b]]) > 0;
			     b--) {
				int t = members[b];

				members[b] = members[b - 1];
				members[b - 1] = t;
			}
		for (a = 0; a < n; a++) {
			l->nodes[members[a]].order = (int)a;
			l->nodes[members[a]].x = (int)a * (NODE_W + GAP_X);
			l->nodes[members[a]].y = MARGIN + layer * (NODE_H + GAP_Y);
		}
		if ((int)n * (NODE_W + GAP_X) - GAP_X > widest)
			widest = (int)n * (NODE_W + GAP_X) - GAP_X;
	}
	if (widest < LEGEND_W - 2 * MARGIN)
		widest = LEGEND_W - 2 * MARGIN;
	/* centre every layer under the widest one */
	for (layer = 0; layer < nlayers; layer++) {
		int n = 0, offset;

		for (i = 0; i < l->nnodes; i++)
			n += l->nodes[i].layer == layer;
		offset = MARGIN + (widest - (n * (NODE_W + GAP_X) - GAP_X)) / 2;
		for (i = 0; i < l->nnodes; i++)
			if (l->nodes[i].layer == layer)
				l->nodes[i].x += offset;
	}
	free(members);
	l->width = widest + 2 * MARGIN;
	l->height = MARGIN + nlayers * (NODE_H + GAP_Y) - GAP_Y + MARGIN + LEGEND_H;
	if (nlayers == 0)
		l->height = 2 * MARGIN + LEGEND_H;
}

static const char *sev_class(int sev)
{
	return sev < 0			 ? "ok"
	       : sev == SEVERITY_ERROR	 ? "sev-error"
	       : sev == SEVERITY_WARNING ? "sev-warning"
					 : "sev-info";
}

/* A name cut to NAME_CHARS code points, escaped. */
static void short_text(FILE *out, const char *s)
{
	size_t n = report_utf8_length(s);

	if (n <= NAME_CHARS) {
		report_xml_put(out, s);
		return;
	}
	report_xml_putn(out, s, report_utf8_prefix(s, NAME_CHARS - 1));
	fputs("&#8230;", out);
}

static void draw_link(const struct report *r, const struct layout *l, const struct node *n,
		      FILE *out)
{
	const struct node *p = &l->nodes[n->parent];
	int sev = report_worst_severity(r, r->servers[n->server].name, 1);
	int x1 = p->x + NODE_W / 2, y1 = p->y + NODE_H, x2 = n->x + NODE_W / 2, y2 = n->y - 4;
	int mid = (y1 + y2) / 2;

	if (p->layer >= n->layer) {
		/* a cycle: an arc beside the boxes instead of a curve through them */
		x1 = p->x + NODE_W;
		y1 = p->y + NODE_H / 2;
		x2 = n->x + NODE_W + 4;
		y2 = n->y + NODE_H / 2;
		fprintf(out,
			"<path class=\"link %s\" d=\"M%d %d C%d %d, %d %d, %d %d\" "
			"marker-end=\"url(#arrow-%s)\"/>\n",
			sev_class(sev), x1, y1, x1 + 60, y1, x2 + 60, y2, x2, y2, sev_class(sev));
		return;
	}
	fprintf(out,
		"<path class=\"link %s\" d=\"M%d %d C%d %d, %d %d, %d %d\" "
		"marker-end=\"url(#arrow-%s)\"/>\n",
		sev_class(sev), x1, y1, x1, mid, x2, mid, x2, y2, sev_class(sev));
}

/* A server whose upstream could not be read: a dashed line from the server its role
 * requires, without an arrow, since nothing says that is what it is configured with. */
static void draw_guide(const struct report *r, const struct layout *l, const struct node *n,
		       FILE *out)
{
	const struct node *g = &l->nodes[n->guide];
	int x1 = g->x + NODE_W / 2, y1 = g->y + NODE_H, x2 = n->x + NODE_W / 2, y2 = n->y;
	int mid = (y1 + y2) / 2;

	fprintf(out, "<path class=\"link guide\" d=\"M%d %d C%d %d, %d %d, %d %d\">", x1, y1, x1,
		mid, x2, mid, x2, y2);
	fputs("<title>upstream not read; its role requires ", out);
	report_xml_put(out, report_str(r->servers[g->server].name, "?"));
	fputs("</title></path>\n", out);
}

/* The node of a layer at x, or NULL. */
static const struct node *node_at(const struct layout *l, int layer, int x)
{
	size_t i;

	for (i = 0; i < l->nnodes; i++)
		if (l->nodes[i].layer == layer && l->nodes[i].x == x)
			return &l->nodes[i];
	return NULL;
}

static const char *node_site(const struct report *r, const struct node *n)
{
	return n && n->kind == NODE_SERVER ? r->servers[n->server].site : NULL;
}

/* Sites: a tinted band behind each run of neighbouring servers of one site in a layer, named
 * at its top left (a site whose servers sit in two layers gets a band in each). */
static void draw_sites(const struct report *r, const struct layout *l, FILE *out)
{
	const int step = NODE_W + GAP_X;
	size_t i;

	for (i = 0; i < l->nnodes; i++) {
		const struct node *n = &l->nodes[i], *next;
		const char *site = node_site(r, n), *left;
		int last = n->x;

		if (!site)
			continue;
		left = node_site(r, node_at(l, n->layer, n->x - step));
		if (left && strcmp(left, site) == 0)
			continue; /* not the start of its run */
		while ((next = node_at(l, n->layer, last + step)) && node_site(r, next) &&
		       strcmp(node_site(r, next), site) == 0)
			last += step;
		fprintf(out,
			"<g class=\"site\"><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
			"rx=\"10\"/><text x=\"%d\" y=\"%d\">site ",
			n->x - 8, n->y - 20, last - n->x + NODE_W + 16, NODE_H + 28, n->x - 2,
			n->y - 7);
		short_text(out, site);
		fputs("</text></g>\n", out);
	}
}

static void draw_node(const struct report *r, const struct node *n, FILE *out)
{
	const struct report_server *s = n->kind == NODE_SERVER ? &r->servers[n->server] : NULL;
	int cx = n->x + NODE_W / 2;

	if (!s) {
		fprintf(out, "<g class=\"node %s\">",
			n->kind == NODE_MICROSOFT ? "source" : "external");
		fputs("<title>", out);
		report_xml_put(out, n->label);
		fputs(n->kind == NODE_EXTERNAL ? " (configured upstream outside the hierarchy)"
					       : "",
		      out);
		fputs("</title>", out);
		fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"8\"/>", n->x,
			n->y, NODE_W, NODE_H);
		fprintf(out, "<text class=\"name\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">", cx,
			n->y + 25);
		short_text(out, n->label);
		fprintf(out,
			"</text><text class=\"sub\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s"
			"</text></g>\n",
			cx, n->y + 43,
			n->kind == NODE_MICROSOFT ? "update source" : "not in the hierarchy");
		return;
	}
	fprintf(out, "<g class=\"node server %s%s%s\">",
		sev_class(report_worst_severity(r, s->name, 0)),
		s->reachable ? "" : " unreachable", s->planned ? " planned" : "");
	fputs("<title>", out);
	report_xml_put(out, s->name);
	if (!s->reachable && s->error) {
		fputs(": ", out);
		report_xml_putn(out, s->error, report_utf8_prefix(s->error, 300));
	}
	fputs("</title>", out);
	fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"6\"/>", n->x, n->y,
		NODE_W, NODE_H);
	fprintf(out, "<text class=\"name\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">", cx,
		n->y + 19);
	short_text(out, report_str(s->name, "?"));
	fprintf(out, "</text><text class=\"sub\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">", cx,
		n->y + 35);
	short_text(out, report_str(s->site, "no site"));
	fputs(" &#183; ", out);
	short_text(out, report_str(s->role, "?"));
	fputs("</text>", out);
	if (s->planned) {
		fprintf(out,
			"<text class=\"flag planned\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">"
			"planned: %s</text>",
			cx, n->y + 51, strcmp(s->planned, "new") == 0 ? "new server" : "moved");
	} else if (!s->reachable) {
		fprintf(out,
			"<text class=\"flag\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">unreachable"
			"</text>",
			cx, n->y + 51);
	} else {
		fprintf(out,
			"<text class=\"sub\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s &#183; ",
			cx, n->y + 51, s->replica > 0 ? "replica" : "autonomous");
		short_text(out, report_str(s->storage, "storage unknown"));
		fputs("</text>", out);
	}
	fputs("</g>\n", out);
}

static void legend(const struct layout *l, FILE *out)
{
	static const struct {
		const char *cls, *label;
	} items[] = {
	    {"ok", "link as required"},
	    {"sev-info", "info"},
	    {"sev-warning", "warning"},
	    {"sev-error", "error"},
	};
	int y = l->height - LEGEND_H + 22, x = MARGIN;
	size_t i;

	fprintf(out, "<g class=\"legend\">\n");
	for (i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
		fprintf(out,
			"<path class=\"link %s\" d=\"M%d %d H%d\" marker-end=\"url(#arrow-%s)\"/>"
			"<text x=\"%d\" y=\"%d\">%s</text>\n",
			items[i].cls, x, y, x + 34, items[i].cls, x + 42, y + 4, items[i].label);
		x += 150;
	}
	fprintf(out,
		"<g class=\"node unreachable\"><rect x=\"%d\" y=\"%d\" width=\"26\" height=\"16\" "
		"rx=\"3\"/></g><text x=\"%d\" y=\"%d\">unreachable</text>\n",
		x, y - 8, x + 34, y + 4);
	x += 130;
	fprintf(out,
		"<path class=\"link guide\" d=\"M%d %d H%d\"/><text x=\"%d\" y=\"%d\">upstream not "
		"read</text>\n",
		x, y, x + 34, x + 42, y + 4);
	fputs("</g>\n", out);
}

void report_svg_hierarchy(const struct report *r, FILE *out)
{
	static const struct {
		const char *cls, *color;
	} arrows[] = {
	    {"ok", "#8c99a6"},
	    {"sev-info", "#1565c0"},
	    {"sev-warning", "#b26a00"},
	    {"sev-error", "#c62828"},
	};
	struct layout l;
	size_t i;

	layout_build(r, &l);
	/* the page shrinks a wide diagram to fit, but not below 3/4 of its size, where its
	 * labels would no longer be legible: beyond that its box scrolls */
	fprintf(out,
		"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" "
		"height=\"%d\" style=\"min-width: %dpx\" role=\"img\" "
		"aria-label=\"hierarchy diagram\">\n<defs>\n",
		l.width, l.height, l.width, l.height, l.width * 3 / 4);
	for (i = 0; i < sizeof(arrows) / sizeof(arrows[0]); i++)
		fprintf(out,
			"<marker id=\"arrow-%s\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" "
			"markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">"
			"<path d=\"M0 0 L10 5 L0 10 z\" fill=\"%s\"/></marker>\n",
			arrows[i].cls, arrows[i].color);
	fputs("</defs>\n", out);
	if (!r->nservers)
		fprintf(out, "<text x=\"%d\" y=\"%d\" class=\"axis-label\">no servers</text>\n",
			MARGIN, MARGIN + 10);
	/* site bands, then links, so boxes cover their ends */
	draw_sites(r, &l, out);
	for (i = 0; i < r->nservers; i++)
		if (l.nodes[i].parent >= 0)
			draw_link(r, &l, &l.nodes[i], out);
		else if (l.nodes[i].guide >= 0)
			draw_guide(r, &l, &l.nodes[i], out);
	for (i = 0; i < l.nnodes; i++)
		draw_node(r, &l.nodes[i], out);
	legend(&l, out);
	fputs("</svg>\n", out);
	free(l.nodes);
}

void report_svg_trend(const struct report *r, FILE *out)
{
	enum { W = 640, H = 180, LEFT = 44, RIGHT = 16, TOP = 14, BOTTOM = 40 };
	static const char *const sev[] = {"sev-info", "sev-warning", "sev-error"};
	int max = 1, k;
	size_t i;
	char first[32], last[32];

	if (r->ntrend < 2 || !r->trend)
		return;
	for (i = 0; i < r->ntrend; i++) {
		const struct report_trend_point *t = &r->trend[i];

		if (t->error > max)
			max = t->error;
		if (t->warning > max)
			max = t->warning;
		if (t->info > max)
			max = t->info;
	}
	report_iso_time(r->trend[0].at, first, sizeof(first));
	report_iso_time(r->trend[r->ntrend - 1].at, last, sizeof(last));
	/* date and time: several audits a day must be told apart ("2026-11-22 03:00") */
	first[10] = last[10] = ' ';
	first[16] = last[16] = '\0';
	fprintf(
	    out,
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" "
	    "height=\"%d\" role=\"img\" aria-label=\"findings per severity over past audits\">\n",
	    W, H, W, H);
	fprintf(out, "<path class=\"axis\" d=\"M%d %d V%d H%d\"/>\n", LEFT, TOP, H - BOTTOM,
		W - RIGHT);
	fprintf(out,
		"<text class=\"axis-label\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%d</text>\n"
		"<text class=\"axis-label\" x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>\n",
		LEFT - 6, TOP + 8, max, LEFT - 6, H - BOTTOM);
	fprintf(out,
		"<text class=\"axis-label\" x=\"%d\" y=\"%d\">%s</text>\n"
		"<text class=\"axis-label\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n",
		LEFT, H - BOTTOM + 16, first, W - RIGHT, H - BOTTOM + 16, last);
	for (k = 2; k >= 0; k--) {
		fprintf(out, "<polyline class=\"trend-line %s\" points=\"", sev[k]);
		for (i = 0; i < r->ntrend; i++) {
			const struct report_trend_point *t = &r->trend[i];
			int v = k == 2 ? t->error : k == 1 ? t->warning : t->info;
			int x = LEFT + (int)((long)i * (W - LEFT - RIGHT) / (long)(r->ntrend - 1));
			int y =
			    H - BOTTOM - (int)((long)(v < 0 ? 0 : v) * (H - BOTTOM - TOP) / max);

			fprintf(out, "%s%d,%d", i ? " " : "", x, y);
		}
		fputs("\"/>\n", out);
	}
	/* one mark per audit, its time and counts as a tooltip */
	for (i = 0; i < r->ntrend; i++) {
		const struct report_trend_point *t = &r->trend[i];
		int top = t->error > t->warning ? t->error : t->warning;
		int x = LEFT + (int)((long)i * (W - LEFT - RIGHT) / (long)(r->ntrend - 1));
		char at[32];

		top = top > t->info ? top : t->info;
		report_iso_time(t->at, at, sizeof(at));
		fprintf(out,
			"<g class=\"trend-point\"><title>%s: %d errors, %d warnings, %d info</title>"
			"<circle cx=\"%d\" cy=\"%d\" r=\"3.5\"/></g>\n",
			at, t->error, t->warning, t->info, x,
			H - BOTTOM - (int)((long)(top < 0 ? 0 : top) * (H - BOTTOM - TOP) / max));
	}
	fprintf(out,
		"<text class=\"axis-label\" x=\"%d\" y=\"%d\"><tspan fill=\"#c62828\">&#9632; "
		"errors</tspan> <tspan fill=\"#b26a00\">&#9632; warnings</tspan> "
		"<tspan fill=\"#1565c0\">&#9632; info</tspan></text>\n",
		LEFT, H - 8);
	fputs("</svg>\n", out);
}
