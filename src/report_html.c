/* report_html: one self-contained page (inline CSS, JS and SVG) for people who prefer to look. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embedded.h"
#include "finding_cause.h"
#include "report_escape.h"
#include "report_maintenance.h"
#include "report_writers.h"
#include "xalloc.h"

/* Database text longer than this (code points) is cut on the page; JSON keeps it whole. */
enum { HTML_MAX_CHARS = 4000 };

struct page {
	FILE *out;
	const struct report *r;
	size_t cap;
};

/* All text and attribute values from databases and files go through here: escaped, cut. */
static void text(FILE *out, const char *s)
{
	size_t chars;

	if (!s)
		return;
	chars = report_utf8_length(s);
	if (chars <= HTML_MAX_CHARS) {
		report_xml_put(out, s);
		return;
	}
	report_xml_putn(out, s, report_utf8_prefix(s, HTML_MAX_CHARS));
	fprintf(out, "<span class=\"cut\">&#8230; [%zu more characters]</span>",
		chars - HTML_MAX_CHARS);
}

/* Attribute values are not cut: filters compare them with each other. */
static void attr(FILE *out, const char *s)
{
	report_xml_put(out, s);
}

/* A folder path that may wrap after its separators but nowhere else: the column keeps the
 * width of its longest folder name, and a name is never cut into pieces. */
static void path_text(FILE *out, const char *s)
{
	size_t n;

	if (!s || report_utf8_length(s) > HTML_MAX_CHARS) {
		text(out, s);
		return;
	}
	while (*s) {
		n = strcspn(s, "\\/");
		if (s[n])
			n++;
		report_xml_putn(out, s, n);
		s += n;
		if (*s)
			fputs("<wbr>", out);
	}
}

static void text_or(FILE *out, const char *s, const char *fallback)
{
	if (s)
		text(out, s);
	else
		fprintf(out, "<span class=\"none\">%s</span>", fallback);
}

static void evidence(const struct page *p, const struct evidence *e);

static void scalar(const struct page *p, const struct evidence *e)
{
	switch (e->type) {
	case EVIDENCE_NULL:
		fputs("<span class=\"null\">null</span>", p->out);
		break;
	case EVIDENCE_BOOL:
		fputs(e->integer ? "true" : "false", p->out);
		break;
	case EVIDENCE_INT:
		fprintf(p->out, "%lld", e->integer);
		break;
	case EVIDENCE_STRING:
		fputs("<span class=\"str\">", p->out);
		if (e->string && *e->string)
			text(p->out, e->string);
		else
			fputs("&quot;&quot;", p->out);
		fputs("</span>", p->out);
		break;
	default:
		evidence(p, e);
	}
}

/* 1 when every shown item of the list is an object of scalars (or short lists) with the same
 * keys as the first:
 * such a list (updates with their KB, title, state ...) reads better as a table. */
static int is_table(const struct evidence *e, size_t shown)
{
	const struct evidence *first;
	size_t i, k;

	if (shown < 1 || !e->items[0] || e->items[0]->type != EVIDENCE_OBJECT ||
	    !e->items[0]->nmembers)
		return 0;
	first = e->items[0];
	for (i = 0; i < shown; i++) {
		const struct evidence *it = e->items[i];

		if (!it || it->type != EVIDENCE_OBJECT || it->nmembers != first->nmembers)
			return 0;
		for (k = 0; k < it->nmembers; k++) {
			const struct evidence *v = it->members[k].value;

			/* a cell may hold a short list (an update's categories), not an object */
			if (!it->members[k].key || !first->members[k].key ||
			    strcmp(it->members[k].key, first->members[k].key) != 0 ||
			    (v && v->type == EVIDENCE_OBJECT))
				return 0;
		}
	}
	return 1;
}

static void evidence_table(const struct page *p, const struct evidence *e, size_t shown,
			   size_t more)
{
	const struct evidence *first = e->items[0];
	size_t i, k;

	fputs("<div class=\"table-wrap\"><table class=\"ev-table\"><tr>", p->out);
	for (k = 0; k < first->nmembers; k++) {
		fputs("<th>", p->out);
		text(p->out, first->members[k].key);
		fputs("</th>", p->out);
	}
	fputs("</tr>", p->out);
	for (i = 0; i < shown; i++) {
		fputs("<tr>", p->out);
		for (k = 0; k < first->nmembers; k++) {
			fputs("<td>", p->out);
			evidence(p, e->items[i]->members[k].value);
			fputs("</td>", p->out);
		}
		fputs("</tr>", p->out);
	}
	fputs("</table></div>", p->out);
	if (more)
		fprintf(p->out,
			"<p class=\"more\">&#8230; and %zu more (the JSON report has every item "
			"that was read)</p>",
			more);
}

static void evidence(const struct page *p, const struct evidence *e)
{
	size_t i, shown, more;

	if (!e) {
		fputs("<span class=\"null\">null</span>", p->out);
		return;
	}
	if (e->type == EVIDENCE_OBJECT) {
		if (!e->nmembers) {
			fputs("<span class=\"null\">{}</span>", p->out);
			return;
		}
		fputs("<dl class=\"ev\">", p->out);
		for (i = 0; i < e->nmembers; i++) {
			fputs("<dt>", p->out);
			text(p->out, e->members[i].key);
			fputs("</dt><dd>", p->out);
			evidence(p, e->members[i].value);
			fputs("</dd>", p->out);
		}
		fputs("</dl>", p->out);
		return;
	}
	if (e->type != EVIDENCE_LIST) {
		scalar(p, e);
		return;
	}
	if (!e->nitems && !e->omitted) {
		fputs("<span class=\"null\">[]</span>", p->out);
		return;
	}
	shown = e->nitems < p->cap ? e->nitems : p->cap;
	more = e->nitems - shown + e->omitted;
	if (is_table(e, shown)) {
		evidence_table(p, e, shown, more);
		return;
	}
	fputs("<ul class=\"ev\">", p->out);
	for (i = 0; i < shown; i++) {
		fputs("<li>", p->out);
		evidence(p, e->items[i]);
		fputs("</li>", p->out);
	}
	if (more)
		fprintf(p->out,
			"<li class=\"more\">&#8230; and %zu more (the JSON report has every item "
			"that was read)</li>",
			more);
	fputs("</ul>", p->out);
}

static void head(const struct page *p)
{
	const struct report *r = p->r;

	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
	      p->out);
	/* nothing may load from elsewhere: the page is mailed around and opened offline */
	fputs("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	      "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n",
	      p->out);
	fputs("<meta name=\"generator\" content=\"susaudit ", p->out);
	attr(p->out, report_str(r->tool_version, "unknown"));
	fputs("\">\n<title>susaudit report: ", p->out);
	text(p->out, report_str(r->hierarchy, "hierarchy"));
	fputs("</title>\n<style>\n", p->out);
	fputs(embedded_text(EMBED_REPORTS_REPORT_CSS), p->out);
	fputs("</style>\n</head>\n<body>\n", p->out);
}

static void card(FILE *out, const char *cls, size_t n, const char *label)
{
	fprintf(out,
		"<div class=\"card %s\"><span class=\"num\">%zu</span><span class=\"label\">%s"
		"</span></div>\n",
		cls, n, label);
}

static void summary(const struct page *p)
{
	const struct report *r = p->r;
	char when[32], label[128];
	int e, w, i;
	size_t unreachable = report_unreachable_count(r);

	report_iso_time(r->generated_at, when, sizeof(when));
	report_count(r, &e, &w, &i);
	fputs("<header class=\"page\">\n<h1>susaudit report: ", p->out);
	text(p->out, report_str(r->hierarchy, "(unnamed hierarchy)"));
	if (r->planned)
		fputs(" <span class=\"badge planned\">planned</span>", p->out);
	fprintf(p->out, "</h1>\n<p class=\"meta\">Generated %s by susaudit ", when);
	text(p->out, report_str(r->tool_version, "unknown"));
	fprintf(p->out, "</p>\n<p class=\"meta\">Collected %s (ages are measured from it)",
		report_collected_time(r->collected_at, when, sizeof(when), "at an unknown time"));
	fputs("</p>\n</header>\n<main>\n<section id=\"summary\">\n<h2>Summary</h2>\n"
	      "<div class=\"cards\">\n",
	      p->out);
	card(p->out, e ? "sev-error" : "ok", (size_t)e, e == 1 ? "error" : "errors");
	card(p->out, w ? "sev-warning" : "ok", (size_t)w, w == 1 ? "warning" : "warnings");
	card(p->out, i ? "sev-info" : "ok", (size_t)i, "info");
	snprintf(label, sizeof(label), "servers, %zu unreachable", unreachable);
	card(p->out, unreachable ? "sev-error" : "ok", r->nservers, label);
	snprintf(label, sizeof(label), "checks: %zu pass, %zu error, %zu skipped",
		 report_checks_with_status(r, CHECK_PASS),
		 report_checks_with_status(r, CHECK_ERROR),
		 report_checks_with_status(r, CHECK_SKIPPED));
	card(p->out, report_checks_with_status(r, CHECK_FAIL) ? "sev-warning" : "ok",
	     report_checks_with_status(r, CHECK_FAIL), "checks failed");
	card(p->out, "plain", r->nchecks, label);
	card(p->out, "plain", report_suppressed_count(r), "suppressed");
	if (r->with_change)
		card(p->out, "plain", r->nresolved, r->planned ? "resolved by the plan" : "resolved");
	fputs("</div>\n</section>\n", p->out);
}

static void diagram(const struct page *p)
{
	fputs("<section id=\"hierarchy\">\n<h2>Hierarchy</h2>\n<div class=\"diagram\">\n", p->out);
	report_svg_hierarchy(p->r, p->out);
	fputs("</div>\n<p class=\"note\">Arrows run from the server a server synchronizes from "
	      "(its configured upstream, or Microsoft Update) to that server; a coloured arrow "
	      "breaks a rule, in the colour of its worst finding.</p>\n</section>\n",
	      p->out);
	if (p->r->ntrend >= 2) {
		fputs("<section id=\"trend\">\n<h2>Findings over past audits</h2>\n"
		      "<div class=\"diagram\">\n",
		      p->out);
		report_svg_trend(p->r, p->out);
		fputs("</div>\n</section>\n", p->out);
	}
	report_svg_superseded_trend(p->r, p->out);
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The form is hidden until the script shows it: without JavaScript it would do nothing. */
static void filters(const struct page *p)
{
	const struct report *r = p->r;
	const char **names;
	size_t i, j, n = 0;

	fputs("<form id=\"filters\" class=\"filters\" hidden>\n<span>Show:</span>\n", p->out);
	for (i = 3; i-- > 0;)
		fprintf(p->out,
			"<label><input type=\"checkbox\" name=\"severity\" value=\"%s\" checked> "
			"%s</label>\n",
			severity_name((enum severity)i), severity_name((enum severity)i));
	fputs("<label>Server <select name=\"server\">\n<option value=\"\">all servers</option>\n",
	      p->out);
	names = xcalloc(r->nfindings + 1, sizeof(*names));
	for (i = 0; i < r->nfindings; i++) {
		const char *server = r->findings[i].server;
		int seen = 0;

		if (!server || r->findings[i].suppressed)
			continue;
		for (j = 0; j < n && !seen; j++)
			seen = strcmp(names[j], server) == 0;
		if (!seen)
			names[n++] = server;
	}
	qsort(names, n, sizeof(*names), compare_names);
	for (i = 0; i < n; i++) {
		fputs("<option value=\"", p->out);
		attr(p->out, names[i]);
		fputs("\">", p->out);
		text(p->out, names[i]);
		fputs("</option>\n", p->out);
	}
	free(names);
	fputs("</select></label>\n<span id=\"shown\" class=\"note\"></span>\n</form>\n", p->out);
}

static void finding(const struct page *p, const struct finding *f)
{
	const char *sev = severity_name(f->severity);
	size_t i;

	fprintf(p->out, "<article class=\"finding sev-%s\" data-severity=\"%s\" data-server=\"",
		sev, sev);
	attr(p->out, report_str(f->server, ""));
	fprintf(p->out, "\">\n<h3><span class=\"badge sev-%s\">%s</span> ", sev, sev);
	text(p->out, report_str(f->check, "?"));
	fputs(" <span class=\"rule\">", p->out);
	text(p->out, report_str(f->rule, "-"));
	fputs("</span>", p->out);
	if (p->r->with_change && finding_change_name(f->change))
		fprintf(p->out, " <span class=\"badge change\">%s</span>",
			finding_change_name(f->change));
	fputs(" <span class=\"server\">", p->out);
	text(p->out, report_str(f->server, "(hierarchy)"));
	fputs("</span></h3>\n<p class=\"message\">", p->out);
	text(p->out, f->message);
	fputs("</p>\n", p->out);
	if (f->nrelated && f->related) {
		fputs("<p class=\"related\">Related: ", p->out);
		for (i = 0; i < f->nrelated; i++) {
			fputs(i ? ", " : "", p->out);
			text(p->out, f->related[i]);
		}
		fputs("</p>\n", p->out);
	}
	if (f->evidence && f->evidence->nmembers) {
		fputs("<details open><summary>Evidence</summary>", p->out);
		evidence(p, f->evidence);
		fputs("</details>\n", p->out);
	}
	if (f->remedy && *f->remedy) {
		fputs("<div class=\"remedy\"><h4>Remedy</h4><p>", p->out);
		text(p->out, f->remedy);
		fputs("</p></div>\n", p->out);
	}
	if (!f->suppressed && f->suppression) {
		fputs("<p class=\"override\">Severity set by a suppression: ", p->out);
		text(p->out, f->suppression);
		fputs("</p>\n", p->out);
	}
	fputs("</article>\n", p->out);
}

static void findings(const struct page *p)
{
	const struct report *r = p->r;
	size_t i, n = 0;

	fputs("<section id=\"findings\">\n<h2>Findings</h2>\n", p->out);
	for (i = 0; i < r->nfindings; i++)
		n += !r->findings[i].suppressed;
	if (!n) {
		fputs(report_checks_evaluated(r) == 0
			  ? "<p class=\"none\">No findings, because no check was evaluated: every "
			    "selected check was skipped.</p>\n</section>\n"
			  : "<p class=\"none\">No findings: the hierarchy is consistent as far as "
			    "the checks can tell.</p>\n</section>\n",
		      p->out);
		return;
	}
	filters(p);
	for (i = 0; i < r->nfindings; i++) {
		const struct finding *f = &r->findings[i];
		char id[FINDING_ID_SIZE];
		size_t j, k = 0;

		if (f->suppressed || finding_shown_under_cause(r->findings, r->nfindings, f))
			continue;
		finding(p, f);
		/* one cause, one story: what this finding explains follows it, indented */
		finding_id(f, id);
		for (j = 0; j < r->nfindings; j++) {
			const struct finding *x = &r->findings[j];

			if (!finding_shown_under_cause(r->findings, r->nfindings, x) ||
			    strcmp(x->cause, id) != 0)
				continue;
			if (!k++)
				fputs("<div class=\"caused\"><p class=\"caused-title\">The same cause "
				      "explains:</p>\n",
				      p->out);
			finding(p, x);
		}
		if (k)
			fputs("</div>\n", p->out);
	}
	fputs("</section>\n", p->out);
}

/* Suppressed and resolved findings: a short table each. */
static void brief_table(const struct page *p, const char *id, const char *title,
			const struct finding *list, size_t n, int suppressed_only)
{
	size_t i;

	fprintf(p->out, "<section id=\"%s\">\n<h2>%s</h2>\n", id, title);
	fputs("<table>\n<tr><th>Severity</th><th>Server</th><th>Check</th><th>Message</th>",
	      p->out);
	fputs(suppressed_only ? "<th>Justification</th></tr>\n" : "</tr>\n", p->out);
	for (i = 0; i < n; i++) {
		const struct finding *f = &list[i];

		if (suppressed_only && !f->suppressed)
			continue;
		fprintf(p->out, "<tr><td><span class=\"badge sev-%s\">%s</span></td><td>",
			severity_name(f->severity), severity_name(f->severity));
		text(p->out, report_str(f->server, "(hierarchy)"));
		fputs("</td><td>", p->out);
		text(p->out, f->check);
		fputs("</td><td>", p->out);
		text(p->out, f->message);
		if (suppressed_only) {
			fputs("</td><td>", p->out);
			text_or(p->out, f->suppression, "none given");
		}
		fputs("</td></tr>\n", p->out);
	}
	fputs("</table>\n</section>\n", p->out);
}

static void checks(const struct page *p)
{
	const struct report *r = p->r;
	size_t i;

	fputs("<section id=\"checks\">\n<h2>Checks</h2>\n<table>\n<tr><th>Check</th><th>Rule</th>"
	      "<th>Status</th><th>Findings</th><th>Detail</th></tr>\n",
	      p->out);
	for (i = 0; i < r->nchecks; i++) {
		const struct report_check *c = &r->checks[i];
		const char *status = check_status_name(c->status);

		fputs("<tr><td>", p->out);
		text(p->out, c->name);
		fputs("</td><td>", p->out);
		text(p->out, c->rule);
		fprintf(p->out, "</td><td class=\"status-%s\">%s</td><td>%zu</td><td>", status,
			status, c->nfindings);
		text(p->out, c->detail ? c->detail : c->summary);
		fputs("</td></tr>\n", p->out);
	}
	fputs("</table>\n</section>\n", p->out);
}

/* How the collector's connections crossed the network; only when the snapshot says. */
static void connections(const struct page *p)
{
	const struct report *r = p->r;
	size_t i;
	int any = 0;

	for (i = 0; i < r->nservers; i++)
		any |= r->servers[i].connection != NULL;
	if (!any)
		return;
	fputs("<section id=\"connections\">\n<h2>Connections</h2>\n<div class=\"table-wrap\">\n"
	      "<table>\n<tr><th>Server</th><th>TDS</th><th>Login encrypted</th>"
	      "<th>Session encrypted</th><th>Certificate</th><th>Login</th><th>Password</th></tr>\n",
	      p->out);
	for (i = 0; i < r->nservers; i++) {
		const struct report_connection *c = r->servers[i].connection;

		if (!c)
			continue;
		fputs("<tr><td>", p->out);
		text(p->out, r->servers[i].name);
		fputs("</td><td>", p->out);
		text_or(p->out, c->tds_version, "unknown");
		fprintf(p->out, "</td><td>%s</td><td>%s</td><td>", report_yes_no(c->login_encrypted),
			report_yes_no(c->session_encrypted));
		if (c->cert_verified == 1) {
			fputs("verified against ", p->out);
			text(p->out, c->verified_against);
			if (c->hostname_checked == 1)
				fputs(" (host name checked)", p->out);
		} else {
			fputs("<span class=\"no\">not verified</span>", p->out);
		}
		fputs("</td><td>", p->out);
		text(p->out, c->auth && strcmp(c->auth, "sql") != 0 ? c->auth : "SQL login");
		fputs(c->password_exposed == 1
			  ? "</td><td class=\"no\">sent in clear or to an unverified server"
			  : "</td><td>protected or not sent",
		      p->out);
		fputs("</td></tr>\n", p->out);
	}
	fputs("</table>\n</div>\n<p class=\"note\">Encryption is learned from the server's PRELOGIN "
	      "answer (a probe without credentials), certificate verification from the ca-file "
	      "FreeTDS was given.</p>\n</section>\n",
	      p->out);
}

static void servers(const struct page *p)
{
	const struct report *r = p->r;
	size_t i, k;

	/* the widest table: it scrolls inside the page rather than spilling out of it, and keeps
	 * names and folders on one line, since the folders are what the admin checks (R11) */
	fputs(
	    "<section id=\"servers\">\n<h2>Servers</h2>\n<div class=\"table-wrap\">\n<table>\n"
	    "<tr><th>Server</th><th>Role</th>"
	    "<th>Site</th><th>Reachable</th><th>Version</th><th>Upstream</th><th>Replica</th>"
	    "<th>Storage</th><th>Languages</th><th>Updates</th><th>Approvals</th>"
	    "<th>Content folder</th><th>Collected</th></tr>\n",
	    p->out);
	for (i = 0; i < r->nservers; i++) {
		const struct report_server *s = &r->servers[i];

		fputs("<tr><td>", p->out);
		text(p->out, s->name);
		fputs("</td><td>", p->out);
		text_or(p->out, s->role, "-");
		fputs("</td><td>", p->out);
		text_or(p->out, s->site, "-");
		if (s->planned && strcmp(s->planned, "new") == 0) {
			/* nothing was read: it does not exist yet */
			fputs("</td><td class=\"planned\">planned: new server", p->out);
		} else if (s->reachable) {
			fputs(s->planned ? "</td><td>yes <span class=\"planned-note\">(planned: moved)</span>"
					 : "</td><td>yes",
			      p->out);
		} else {
			fputs("</td><td class=\"no\">no", p->out);
			if (s->error) {
				fputs(": ", p->out);
				text(p->out, s->error);
			}
		}
		fputs("</td><td>", p->out);
		text_or(p->out, s->wsus_version, "unknown");
		fputs("</td><td>", p->out);
		if (s->sync_source && strcmp(s->sync_source, "microsoft-update") == 0) {
			fputs("Microsoft Update", p->out);
		} else if (s->upstream_name) {
			text(p->out, s->upstream_name);
			fprintf(p->out, ":%d%s", s->upstream_port,
				s->upstream_ssl > 0 ? " (SSL)" : "");
		} else {
			fputs("<span class=\"none\">unknown</span>", p->out);
		}
		fprintf(p->out, "</td><td>%s</td><td>",
			report_yes_no(s->reachable ? s->replica : -1));
		text_or(p->out, s->storage, "unknown");
		fputs("</td><td>", p->out);
		for (k = 0; s->languages && k < s->nlanguages; k++) {
			fputs(k ? ", " : "", p->out);
			text(p->out, s->languages[k]);
		}
		fputs("</td><td>", p->out);
		if (s->updates >= 0)
			fprintf(p->out, "%lld", s->updates);
		fputs("</td><td>", p->out);
		if (s->approvals >= 0)
			fprintf(p->out, "%lld", s->approvals);
		fputs("</td><td class=\"path\">", p->out);
		if (s->content_path)
			path_text(p->out, s->content_path);
		else
			/* an unread server's folder is not known, which is not "not set" */
			text_or(p->out, NULL, s->reachable ? "not set" : "unknown");
		if (s->bits_fix_note) {
			fputs("<br><span class=\"note\">BITS fix: ", p->out);
			text(p->out, s->bits_fix_note);
			fputs("</span>", p->out);
		}
		{
			char at[32];

			fprintf(p->out, "</td><td>%s",
				report_collected_time(s->collected_at, at, sizeof(at), ""));
		}
		fputs("</td></tr>\n", p->out);
	}
	fputs("</table>\n</div>\n<p class=\"note\">SQL cannot show folder permissions: check that Network "
	      "Service and Users can read each content folder (R11).</p>\n</section>\n",
	      p->out);
	connections(p);
}

int report_write_html(const struct report *r, const struct report_options *opt, FILE *out)
{
	struct page p = {out, r, report_evidence_cap(opt)};

	head(&p);
	summary(&p);
	diagram(&p);
	findings(&p);
	if (report_suppressed_count(r))
		brief_table(&p, "suppressed", "Suppressed findings", r->findings, r->nfindings, 1);
	if (r->with_change)
		brief_table(&p, "resolved",
			    r->planned ? "Resolved by the plan" : "Resolved since the last audit",
			    r->resolved, r->nresolved, 0);
	checks(&p);
	servers(&p);
	report_html_maintenance(r, out);
	fputs("</main>\n<footer>susaudit ", out);
	text(out, report_str(r->tool_version, "unknown"));
	fputs(" &#183; every value comes from the servers' SUSDBs as read</footer>\n<script>\n",
	      out);
	fputs(embedded_text(EMBED_REPORTS_REPORT_JS), out);
	fputs("</script>\n</body>\n</html>\n", out);
	return ferror(out) ? -1 : 0;
}
