/* suppress: loads the suppression file and applies it to an audit's findings. */
#include "suppress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evidence.h"
#include "hierarchy_xml.h"
#include "log.h"
#include "xalloc.h"

#define SUPPRESS_NS "urn:susaudit:suppressions:1"

static const char *const severity_names[] = {"info", "warning", "error", NULL};

struct known {
	const char *const *names;
	size_t count;
};

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* "YYYY-MM-DD" to YYYYMMDD when it is a real day, else 0. */
static int parse_day(const char *v)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, m, d, leap, i;
	size_t n;

	v = hierarchy_xml_span(v, &n);
	if (n != 10 || v[4] != '-' || v[7] != '-')
		return 0;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !is_digit((unsigned char)v[i]))
			return 0;
	y = (v[0] - '0') * 1000 + (v[1] - '0') * 100 + (v[2] - '0') * 10 + (v[3] - '0');
	m = (v[5] - '0') * 10 + (v[6] - '0');
	d = (v[8] - '0') * 10 + (v[9] - '0');
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (y < 1 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] + (m == 2 && leap))
		return 0;
	return y * 10000 + m * 100 + d;
}

static int parse_severity(const char *v, enum severity *out)
{
	size_t n;
	int i;

	v = hierarchy_xml_span(v, &n);
	for (i = 0; severity_names[i]; i++) {
		if (strlen(severity_names[i]) == n && memcmp(v, severity_names[i], n) == 0) {
			*out = (enum severity)i;
			return 0;
		}
	}
	return -1;
}

static int is_known(const struct known *k, const char *check)
{
	size_t i, n;

	if (!k->names)
		return 1;
	check = hierarchy_xml_span(check, &n);
	for (i = 0; i < k->count; i++)
		if (k->names[i] && strlen(k->names[i]) == n && memcmp(k->names[i], check, n) == 0)
			return 1;
	return 0;
}

/* A space-separated list attribute into an arena array (NULL, 0 when absent). */
static void split_names(struct arena *a, const char *v, const char ***out, size_t *n)
{
	const char *p, *start;
	size_t count = 0, i = 0;

	*out = NULL;
	*n = 0;
	if (!v)
		return;
	for (p = v; *p;) {
		while (*p && hierarchy_xml_space((unsigned char)*p))
			p++;
		if (!*p)
			break;
		count++;
		while (*p && !hierarchy_xml_space((unsigned char)*p))
			p++;
	}
	if (!count)
		return;
	*out = arena_alloc(a, count * sizeof(**out));
	for (p = v; *p;) {
		while (*p && hierarchy_xml_space((unsigned char)*p))
			p++;
		if (!*p)
			break;
		start = p;
		while (*p && !hierarchy_xml_space((unsigned char)*p))
			p++;
		(*out)[i++] = arena_strndup(a, start, (size_t)(p - start));
	}
	*n = count;
}

/* Copies the element's text with white space runs collapsed: one line for reports. */
static char *collapsed_text(struct arena *a, const xmlNode *node)
{
	xmlChar *raw = xmlNodeGetContent(node);
	const char *p = raw ? (const char *)raw : "";
	char *out = arena_alloc(a, strlen(p) + 1);
	size_t n = 0;

	for (; *p; p++) {
		if (hierarchy_xml_space((unsigned char)*p)) {
			if (n && out[n - 1] != ' ')
				out[n++] = ' ';
		} else {
			out[n++] = *p;
		}
	}
	while (n && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
	xmlFree(raw);
	return out;
}

/* Plain messages for the usual mistakes, before the schema has its say. */
static void precheck(struct hierarchy_xml *x, const xmlNode *node, void *data)
{
	const struct known *k = data;
	const char *check, *v;
	char cs[80], vs[80];
	enum severity sev;
	xmlChar *raw;
	size_t n = 0;

	if (strcmp((const char *)node->name, "suppress") != 0)
		return;
	check = hierarchy_xml_attr(node, "check");
	if (!check && !hierarchy_xml_attr(node, "id"))
		hierarchy_xml_error(x, node,
				    "suppress: name the check (check=\"...\") or the finding "
				    "(id=\"...\" as reports print it)");
	hierarchy_xml_shown(check ? check : hierarchy_xml_attr(node, "id") ? "id" : "?", cs,
			    sizeof(cs));
	/* values longer than any valid one are left to the schema's message */
	if (check && strlen(check) <= 64 && !is_known(k, check))
		hierarchy_xml_error(
		    x, node, "suppress: unknown check '%s' ('susaudit checks' lists them)", cs);
	v = hierarchy_xml_attr(node, "expires");
	if (v && strlen(v) <= 64 && !parse_day(v))
		hierarchy_xml_error(x, node,
				    "suppress of '%s': expires '%s' is not a date (YYYY-MM-DD)", cs,
				    hierarchy_xml_shown(v, vs, sizeof(vs)));
	v = hierarchy_xml_attr(node, "severity");
	if (v && strlen(v) <= 64 && parse_severity(v, &sev) < 0)
		hierarchy_xml_error(x, node,
				    "suppress of '%s': severity '%s' is not one of: info, warning, "
				    "error",
				    cs, hierarchy_xml_shown(v, vs, sizeof(vs)));
	raw = xmlNodeGetContent(node);
	if (raw)
		hierarchy_xml_span((const char *)raw, &n);
	if (n == 0)
		hierarchy_xml_error(x, node,
				    "suppress of '%s': a justification is required (the element's "
				    "text: why this exception is accepted)",
				    cs);
	xmlFree(raw);
}

int suppress_load_memory(const char *xml, size_t len, const char *name,
			 const char *const *known_checks, size_t nknown, struct suppressions **out)
{
	struct known k = {known_checks, nknown};
	struct hierarchy_xml x;
	struct suppressions *s;
	const xmlNode *c;
	size_t n = 0;

	*out = NULL;
	if (!name)
		name = "(suppressions)";
	if (hierarchy_xml_load(&x, xml, len, name, SUPPRESS_NS, "suppressions",
			       EMBED_MODEL_SUPPRESSIONS_XSD, precheck, &k) < 0)
		return -1;
	s = xcalloc(1, sizeof(*s));
	arena_init(&s->arena);
	s->path = arena_strdup(&s->arena, name);
	for (c = x.root->children; c; c = c->next)
		if (hierarchy_xml_is(c, SUPPRESS_NS, "suppress"))
			n++;
	s->items = n ? arena_alloc(&s->arena, n * sizeof(*s->items)) : NULL;
	for (c = x.root->children; c; c = c->next) {
		struct suppression *e;
		const char *v;

		if (!hierarchy_xml_is(c, SUPPRESS_NS, "suppress"))
			continue;
		e = &s->items[s->count++];
		e->check = hierarchy_xml_token(&s->arena, hierarchy_xml_attr(c, "check"));
		e->server = hierarchy_xml_token(&s->arena, hierarchy_xml_attr(c, "server"));
		e->id = hierarchy_xml_token(&s->arena, hierarchy_xml_attr(c, "id"));
		split_names(&s->arena, hierarchy_xml_attr(c, "related"), &e->related,
			    &e->nrelated);
		e->expires = hierarchy_xml_token(&s->arena, hierarchy_xml_attr(c, "expires"));
		e->expires_day = e->expires ? parse_day(e->expires) : 0;
		v = hierarchy_xml_attr(c, "severity");
		e->has_severity = v && parse_severity(v, &e->severity) == 0;
		e->justification = collapsed_text(&s->arena, c);
		e->line = (int)hierarchy_xml_line(c);
	}
	hierarchy_xml_close(&x);
	*out = s;
	return 0;
}

int suppress_load(const char *path, const char *const *known_checks, size_t nknown,
		  struct suppressions **out)
{
	char *text;
	size_t len;
	int rc;

	*out = NULL;
	if (hierarchy_xml_read_file(path, &text, &len) < 0)
		return -1;
	rc = suppress_load_memory(text, len, path, known_checks, nknown, out);
	free(text);
	return rc;
}

void suppress_free(struct suppressions *s)
{
	if (!s)
		return;
	arena_release(&s->arena);
	free(s);
}

static int ascii_casecmp(const char *a, const char *b)
{
	int ca, cb;

	do {
		ca = (unsigned char)*a++;
		cb = (unsigned char)*b++;
		if (ca >= 'A' && ca <= 'Z')
			ca += 'a' - 'A';
		if (cb >= 'A' && cb <= 'Z')
			cb += 'a' - 'A';
	} while (ca && ca == cb);
	return ca - cb;
}

/* Whether the finding's related servers are exactly the entry's, in any order. */
static int related_match(const struct suppression *e, const struct finding *f)
{
	size_t i, j;

	if (!e->related)
		return 1;
	if (!f->related || f->nrelated != e->nrelated)
		return 0;
	for (i = 0; i < e->nrelated; i++) {
		for (j = 0; j < f->nrelated; j++)
			if (f->related[j] && ascii_casecmp(e->related[i], f->related[j]) == 0)
				break;
		if (j == f->nrelated)
			return 0;
	}
	return 1;
}

static int entry_matches(const struct suppression *e, const struct finding *f)
{
	char id[FINDING_ID_SIZE];

	if (e->check && strcmp(e->check, f->check) != 0)
		return 0;
	if (e->server && !(f->server && ascii_casecmp(e->server, f->server) == 0))
		return 0;
	if (!related_match(e, f))
		return 0;
	if (e->id) {
		finding_id(f, id);
		if (strcmp(id, e->id) != 0)
			return 0;
	}
	return 1;
}

/* The server of `h` called `name` by name or alias, else the one server whose FQDN's first
 * label it is (NetBIOS convention); -1 when none or, for a NetBIOS name, several. */
static int find_server(const struct hierarchy *h, const char *name)
{
	int k = hierarchy_find_server(h, name), found = -1;
	size_t i, dot;

	if (k >= 0 || strchr(name, '.'))
		return k;
	for (i = 0; i < h->nservers; i++) {
		const char *fqdn = h->servers[i].name;

		dot = fqdn ? strcspn(fqdn, ".") : 0;
		if (!fqdn || !fqdn[dot] || strlen(name) != dot)
			continue;
		{
			char *label = xstrndup(fqdn, dot);
			int same = ascii_casecmp(label, name) == 0;

			free(label);
			if (!same)
				continue;
		}
		if (found >= 0)
			return -1;
		found = (int)i;
	}
	return found;
}

static int resolve_name(struct suppressions *s, const struct suppression *e,
			const struct hierarchy *h, const char **name)
{
	int k = find_server(h, *name);

	if (k < 0)
		return log_error("%s:%d: suppress of '%s': server '%s' is not in the hierarchy '%s' "
				 "(a name, alias or NetBIOS name of one of its servers)",
				 s->path, e->line, e->check ? e->check : e->id, *name,
				 h->name ? h->name : "(unnamed)");
	/* a copy: the hierarchy checked against may be freed before the entries are applied */
	*name = arena_strdup(&s->arena, h->servers[k].name);
	return 0;
}

int suppress_check_servers(struct suppressions *s, const struct hierarchy *h)
{
	size_t i, j;
	int rc = 0;

	if (!s || !h)
		return 0;
	for (i = 0; i < s->count; i++) {
		struct suppression *e = &s->items[i];

		if (e->server && resolve_name(s, e, h, &e->server) < 0)
			rc = -1;
		for (j = 0; j < e->nrelated; j++)
			if (resolve_name(s, e, h, &e->related[j]) < 0)
				rc = -1;
	}
	return rc;
}

static void add_entry_finding(const struct suppressions *s, const struct suppression *e,
			      struct findings *f, int expired)
{
	struct arena *a = f->arena;
	char where[160];
	char *msg;
	struct finding *x;

	const char *what = e->check ? e->check : e->id;

	if (e->server)
		snprintf(where, sizeof(where), "of '%s' for '%s'", what, e->server);
	else
		snprintf(where, sizeof(where), "of '%s'", what);
	if (expired)
		msg = xasprintf("suppression %s at %s:%d expired on %s", where, s->path, e->line,
				e->expires);
	else
		msg = xasprintf("suppression %s at %s:%d matched no finding", where, s->path,
				e->line);
	x = findings_add(f, "suppression", "-", SEVERITY_WARNING, NULL, NULL, 0, msg,
			 expired ? "review the exception: renew its expires date if it still "
				   "holds, or remove the entry and fix what it hid"
				 : "remove the entry: what it was written for no longer occurs (or "
				   "the check or server name is misspelt)");
	free(msg);
	evidence_set_string(a, x->evidence, "file", s->path);
	evidence_set_int(a, x->evidence, "line", e->line);
	evidence_set(a, x->evidence, "check",
		     e->check ? evidence_string(a, e->check) : evidence_null(a));
	if (e->id)
		evidence_set_string(a, x->evidence, "id", e->id);
	evidence_set(a, x->evidence, "server",
		     e->server ? evidence_string(a, e->server) : evidence_null(a));
	evidence_set(a, x->evidence, "expires",
		     e->expires ? evidence_string(a, e->expires) : evidence_null(a));
}

void suppress_apply(const struct suppressions *s, struct findings *f, time_t now)
{
	suppress_apply_evaluated(s, f, now, NULL, NULL);
}

void suppress_apply_evaluated(const struct suppressions *s, struct findings *f, time_t now,
			      int (*evaluated)(const char *check, const char *server,
					       void *data),
			      void *data)
{
	unsigned char *matched;
	struct tm tm;
	size_t i, j, nfindings;
	int today;

	if (!s || !s->count)
		return;
	localtime_r(&now, &tm);
	today = (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
	matched = xcalloc(s->count, 1);
	nfindings = f->count;
	for (i = 0; i < nfindings; i++) {
		struct finding *x = &f->items[i];
		const struct suppression *best = NULL;

		for (j = 0; j < s->count; j++) {
			const struct suppression *e = &s->items[j];

			if (e->expires_day && today > e->expires_day)
				continue;
			if (!entry_matches(e, x))
				continue;
			matched[j] = 1;
			if (!best || (e->server && !best->server))
				best = e;
		}
		if (!best)
			continue;
		x->suppression = arena_strdup(f->arena, best->justification);
		if (best->has_severity)
			x->severity = best->severity;
		else
			x->suppressed = 1;
	}
	/* findings_add may move f->items: only now add the entries' own findings */
	for (j = 0; j < s->count; j++) {
		const struct suppression *e = &s->items[j];

		if (e->expires_day && today > e->expires_day)
			add_entry_finding(s, e, f, 1);
		else if (!matched[j] &&
			 (!evaluated || !e->check || evaluated(e->check, e->server, data)))
			add_entry_finding(s, e, f, 0);
	}
	free(matched);
}
