/* hierarchy: loads the hierarchy (or plan) file, checks what the schema cannot, resolves roles. */
#include "hierarchy.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hierarchy_xml.h"
#include "log.h"
#include "xalloc.h"

#define HIERARCHY_NS "urn:susaudit:hierarchy:1"

/* ---- values ------------------------------------------------------------------------------- */

static int parse_bool(const char *v, int *out)
{
	size_t n;

	v = hierarchy_xml_span(v, &n);
	if (n == 4 && memcmp(v, "true", 4) == 0)
		*out = 1;
	else if (n == 5 && memcmp(v, "false", 5) == 0)
		*out = 0;
	else
		return -1;
	return 0;
}

/* Decimal without sign or leading zero, as the schema's patterns say, within [lo, hi]. */
static int parse_range(const char *v, int lo, int hi, int *out)
{
	long x = 0;
	size_t n, i;

	v = hierarchy_xml_span(v, &n);
	if (n == 0 || n > 9 || v[0] == '0')
		return -1;
	for (i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return -1;
		x = x * 10 + (v[i] - '0');
	}
	if (x < lo || x > hi)
		return -1;
	*out = (int)x;
	return 0;
}

static int parse_enum(const char *v, const char *const *names, int *out)
{
	size_t n;
	int i;

	v = hierarchy_xml_span(v, &n);
	for (i = 0; names[i]; i++) {
		if (strlen(names[i]) == n && memcmp(v, names[i], n) == 0) {
			*out = i;
			return 0;
		}
	}
	return -1;
}

static int is_alnum(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* A host name (FQDN, NetBIOS, IPv4), or with `colons` an IPv6 address too, as in the schema. */
static int valid_host(const char *v, size_t n, int colons)
{
	size_t i;

	if (n == 0 || n > 255)
		return 0;
	for (i = 0; i < n; i++) {
		int c = (unsigned char)v[i];
		int inner = c == '.' || c == '-';

		if (is_alnum(c) || c == '_' || (colons && c == ':'))
			continue;
		if (!inner || i == 0 || i == n - 1)
			return 0;
	}
	return 1;
}

static const char *const site_type_names[] = {"cas", "primary", "secondary", NULL};
static const char *const encryption_names[] = {"off", "request", "require", NULL};
static const char *const sync_source_names[] = {"upstream", "microsoft-update", NULL};
static const char *const storage_names[] = {"local", "microsoft-update", NULL};

/* Splits "host:port" or "[v6]:port". Returns 0 with the host span and port. */
static int split_host_port(const char *v, const char **host, size_t *hlen, int *port)
{
	const char *colon;
	size_t n;
	char digits[16];

	v = hierarchy_xml_span(v, &n);
	if (n && v[0] == '[') {
		const char *close = memchr(v, ']', n);

		if (!close || close + 1 >= v + n || close[1] != ':')
			return -1;
		*host = v + 1;
		*hlen = (size_t)(close - v - 1);
		colon = close + 1;
		if (*hlen == 0 || !valid_host(*host, *hlen, 1))
			return -1;
	} else {
		colon = NULL;
		for (size_t i = 0; i < n; i++)
			if (v[i] == ':')
				colon = v + i;
		if (!colon)
			return -1;
		*host = v;
		*hlen = (size_t)(colon - v);
		if (!valid_host(*host, *hlen, 0))
			return -1;
	}
	n -= (size_t)(colon + 1 - v);
	if (n == 0 || n >= sizeof(digits))
		return -1;
	memcpy(digits, colon + 1, n);
	digits[n] = '\0';
	return parse_range(digits, 1, 65535, port);
}

/* ---- friendly checks before the schema ------------------------------------------------------ */

enum value_kind {
	KIND_BOOL,
	KIND_PORT,
	KIND_TIMEOUT,
	KIND_ENUM,
	KIND_HOST,
	KIND_HOST_PORT,
	KIND_CODE,
	KIND_ENV,
	KIND_PATH,
	KIND_ALIASES,
	KIND_LANGUAGES,
	KIND_VERSION,
	KIND_DATABASE,
	KIND_SQL
};

struct attr_rule {
	const char *element; /* NULL: any element that has the attribute */
	const char *attr;
	enum value_kind kind;
	const char *const *names; /* KIND_ENUM */
};

/* The same types as model/hierarchy.xsd, so that the common mistakes get plain messages;
 * the schema stays the authority on everything (and runs after these). */
static const struct attr_rule attr_rules[] = {
    {NULL, "aliases", KIND_ALIASES, NULL},
    {NULL, "database", KIND_DATABASE, NULL},
    {NULL, "encryption", KIND_ENUM, encryption_names},
    {NULL, "first", KIND_BOOL, NULL},
    {NULL, "internet", KIND_BOOL, NULL},
    {NULL, "languages", KIND_LANGUAGES, NULL},
    {NULL, "login-timeout", KIND_TIMEOUT, NULL},
    {"server", "name", KIND_HOST, NULL},
    {NULL, "password-env", KIND_ENV, NULL},
    {NULL, "password-file", KIND_PATH, NULL},
    {NULL, "port", KIND_PORT, NULL},
    {NULL, "query-timeout", KIND_TIMEOUT, NULL},
    {NULL, "replica", KIND_BOOL, NULL},
    {NULL, "sql", KIND_SQL, NULL},
    {NULL, "ssl", KIND_BOOL, NULL},
    {NULL, "storage", KIND_ENUM, storage_names},
    {NULL, "sync-source", KIND_ENUM, sync_source_names},
    {"site", "code", KIND_CODE, NULL},
    {"site", "type", KIND_ENUM, site_type_names},
    {"site", "upstream", KIND_HOST_PORT, NULL},
    {"planned", "upstream", KIND_HOST, NULL},
    {NULL, "upstream-port", KIND_PORT, NULL},
    {NULL, "upstream-ssl", KIND_BOOL, NULL},
    {NULL, "wsus-version", KIND_VERSION, NULL},
    {NULL, "check-hostname", KIND_BOOL, NULL},
};

static const char *shown(const char *v, char *buf, size_t size)
{
	return hierarchy_xml_shown(v, buf, size);
}

/* "server 'x'", "site 'P01'", "server 'x': planned", "defaults": what a message is about. */
static const char *context(const xmlNode *node, char *buf, size_t size)
{
	char v[80];
	const char *key = NULL;
	const char *local = (const char *)node->name;

	if (strcmp(local, "server") == 0)
		key = hierarchy_xml_attr(node, "name");
	else if (strcmp(local, "site") == 0)
		key = hierarchy_xml_attr(node, "code");
	if (strcmp(local, "planned") == 0 && node->parent &&
	    node->parent->type == XML_ELEMENT_NODE) {
		char parent[120];

		snprintf(buf, size, "%s: planned", context(node->parent, parent, sizeof(parent)));
	} else if (key) {
		snprintf(buf, size, "%s '%s'", local, shown(key, v, sizeof(v)));
	} else {
		snprintf(buf, size, "%s", local);
	}
	return buf;
}

static int valid_list(const char *v, int (*item_ok)(const char *, size_t), const char **bad,
		      size_t *badlen)
{
	size_t nitems = 0;

	while (*v) {
		size_t n = 0;

		while (*v && hierarchy_xml_space((unsigned char)*v))
			v++;
		while (v[n] && !hierarchy_xml_space((unsigned char)v[n]))
			n++;
		if (n == 0)
			break;
		nitems++;
		if (!item_ok(v, n)) {
			*bad = v;
			*badlen = n;
			return 0;
		}
		v += n;
	}
	*bad = NULL;
	return nitems > 0;
}

static int alias_ok(const char *v, size_t n)
{
	return valid_host(v, n, 1);
}

static int language_ok(const char *v, size_t n)
{
	size_t i = 0, seg;

	while (i < n && ((v[i] >= 'a' && v[i] <= 'z') || (v[i] >= 'A' && v[i] <= 'Z')))
		i++;
	if (i < 2 || i > 3)
		return 0;
	while (i < n) {
		if (v[i++] != '-')
			return 0;
		for (seg = 0; i < n && is_alnum((unsigned char)v[i]); i++)
			seg++;
		if (seg < 1 || seg > 8)
			return 0;
	}
	return 1;
}

static int version_ok(const char *v, size_t n)
{
	size_t i, parts = 1, digits = 0;

	for (i = 0; i < n; i++) {
		if (v[i] == '.') {
			if (!digits)
				return 0;
			parts++;
			digits = 0;
		} else if (v[i] >= '0' && v[i] <= '9' && digits < 9) {
			digits++;
		} else {
			return 0;
		}
	}
	return digits && parts >= 2 && parts <= 4;
}

static int env_ok(const char *v, size_t n)
{
	size_t i;

	if (n == 0 || (v[0] >= '0' && v[0] <= '9'))
		return 0;
	for (i = 0; i < n; i++)
		if (!is_alnum((unsigned char)v[i]) && v[i] != '_')
			return 0;
	return 1;
}

static int database_ok(const char *v, size_t n)
{
	size_t i;

	if (n == 0 || n > 128 || (v[0] >= '0' && v[0] <= '9') || v[0] == '-' || v[0] == '@' ||
	    v[0] == '#' || v[0] == '$')
		return 0;
	for (i = 0; i < n; i++)
		if (!is_alnum((unsigned char)v[i]) && !strchr("_@#$-", v[i]))
			return 0;
	return 1;
}

/* sql: host:port must name a port the collector can pass on (FreeTDS takes 'host:abc' or
 * 'host:' as port 1433 without a word), host\instance both parts. A value with several colons
 * (IPv6) or none is a host or a freetds.conf name, which the collector resolves. */
static int sql_ok(const char *v)
{
	const char *span, *host, *backslash, *colon;
	size_t n, hlen;
	int port;

	span = hierarchy_xml_span(v, &n);
	backslash = memchr(span, '\\', n);
	colon = memchr(span, ':', n);
	if (backslash)
		return backslash > span && backslash + 1 < span + n &&
		       !memchr(backslash + 1, '\\', (size_t)(span + n - backslash - 1)) && !colon;
	if (colon && !memchr(colon + 1, ':', (size_t)(span + n - colon - 1)))
		return split_host_port(v, &host, &hlen, &port) == 0;
	return n > 0;
}

static void enum_message(struct hierarchy_xml *x, const xmlNode *node, const char *ctx,
			 const struct attr_rule *r, const char *v)
{
	char list[128] = "", shownv[80];
	int i;

	for (i = 0; r->names[i]; i++) {
		if (i)
			strncat(list, ", ", sizeof(list) - strlen(list) - 1);
		strncat(list, r->names[i], sizeof(list) - strlen(list) - 1);
	}
	hierarchy_xml_error(x, node, "%s: %s '%s' is not one of: %s", ctx, r->attr,
			    shown(v, shownv, sizeof(shownv)), list);
}

static void check_value(struct hierarchy_xml *x, const xmlNode *node, const char *ctx,
			const struct attr_rule *r, const char *v)
{
	char sv[80];
	const char *bad, *span, *host;
	size_t n, badlen, hlen;
	int ival;

	span = hierarchy_xml_span(v, &n);
	switch (r->kind) {
	case KIND_BOOL:
		if (parse_bool(v, &ival) < 0)
			hierarchy_xml_error(x, node, "%s: %s '%s' is not true or false", ctx,
					    r->attr, shown(v, sv, sizeof(sv)));
		break;
	case KIND_PORT:
		if (parse_range(v, 1, 65535, &ival) < 0)
			hierarchy_xml_error(x, node, "%s: %s '%s' is not a valid port (1-65535)",
					    ctx, r->attr, shown(v, sv, sizeof(sv)));
		break;
	case KIND_TIMEOUT:
		if (parse_range(v, 1, 86400, &ival) < 0)
			hierarchy_xml_error(x, node,
					    "%s: %s '%s' is not a valid timeout (1-86400 seconds)",
					    ctx, r->attr, shown(v, sv, sizeof(sv)));
		break;
	case KIND_ENUM:
		if (parse_enum(v, r->names, &ival) < 0)
			enum_message(x, node, ctx, r, v);
		break;
	case KIND_HOST:
		if (!valid_host(span, n, 0))
			hierarchy_xml_error(x, node, "%s: %s '%s' is not a valid host name", ctx,
					    r->attr, shown(v, sv, sizeof(sv)));
		break;
	case KIND_HOST_PORT:
		if (split_host_port(v, &host, &hlen, &ival) < 0)
			hierarchy_xml_error(x, node,
					    "%s: %s '%s' is not host:port (e.g. "
					    "wsus.contoso.com:8531)",
					    ctx, r->attr, shown(v, sv, sizeof(sv)));
		break;
	case KIND_CODE:
		if (n != 3 || !is_alnum((unsigned char)span[0]) ||
		    !is_alnum((unsigned char)span[1]) || !is_alnum((unsigned char)span[2]))
			hierarchy_xml_error(x, node,
					    "%s: code '%s' is not a site code (three letters or "
					    "digits)",
					    ctx, shown(v, sv, sizeof(sv)));
		break;
	case KIND_ENV:
		if (!env_ok(span, n))
			hierarchy_xml_error(x, node,
					    "%s: password-env '%s' is not an environment variable "
					    "name",
					    ctx, shown(v, sv, sizeof(sv)));
		break;
	case KIND_PATH:
		if (v[0] != '/')
			hierarchy_xml_error(x, node,
					    "%s: password-file '%s' is not an absolute path", ctx,
					    shown(v, sv, sizeof(sv)));
		break;
	case KIND_ALIASES:
		if (!valid_list(v, alias_ok, &bad, &badlen)) {
			if (bad)
				hierarchy_xml_error(x, node,
						    "%s: alias '%.*s' is not a valid host name or "
						    "address",
						    ctx, (int)(badlen > 64 ? 64 : badlen), bad);
			else
				hierarchy_xml_error(x, node, "%s: aliases is empty", ctx);
		}
		break;
	case KIND_LANGUAGES:
		if (!valid_list(v, language_ok, &bad, &badlen)) {
			if (bad)
				hierarchy_xml_error(x, node,
						    "%s: language '%.*s' is not a short language "
						    "name such as en or zh-tw",
						    ctx, (int)(badlen > 64 ? 64 : badlen), bad);
			else
				hierarchy_xml_error(x, node, "%s: languages is empty", ctx);
		}
		break;
	case KIND_VERSION:
		if (!version_ok(span, n))
			hierarchy_xml_error(x, node,
					    "%s: wsus-version '%s' is not a version such as "
					    "10.0.17763.678",
					    ctx, shown(v, sv, sizeof(sv)));
		break;
	case KIND_DATABASE:
		if (!database_ok(span, n))
			hierarchy_xml_error(x, node, "%s: database '%s' is not a database name",
					    ctx, shown(v, sv, sizeof(sv)));
		break;
	case KIND_SQL:
		/* SSMS and connection strings write 'host,port'; FreeTDS would take it as a host */
		if (memchr(span, ',', n))
			hierarchy_xml_error(x, node,
					    "%s: sql '%s' uses SQL Server's 'host,port' form; write "
					    "host:port",
					    ctx, shown(v, sv, sizeof(sv)));
		else if (!sql_ok(v))
			hierarchy_xml_error(x, node,
					    "%s: sql '%s' is not host, host:port (port 1-65535), "
					    "host\\instance, a freetds.conf name or wid",
					    ctx, shown(v, sv, sizeof(sv)));
		break;
	}
}

static void precheck(struct hierarchy_xml *x, const xmlNode *node, void *data)
{
	const char *local = (const char *)node->name;
	char ctx[256];
	size_t i;

	(void)data;
	context(node, ctx, sizeof(ctx));
	if (hierarchy_xml_attr(node, "password"))
		hierarchy_xml_error(
		    x, node,
		    "%s: a 'password' attribute is not allowed (hierarchy files get "
		    "committed and mailed around): use password-env or password-file",
		    ctx);
	for (i = 0; i < sizeof(attr_rules) / sizeof(attr_rules[0]); i++) {
		const struct attr_rule *r = &attr_rules[i];
		const char *v;

		if (r->element && strcmp(r->element, local) != 0)
			continue;
		v = hierarchy_xml_attr(node, r->attr);
		if (v)
			check_value(x, node, ctx, r, v);
	}
}

/* ---- the name index ------------------------------------------------------------------------ */

struct name_slot {
	const char *key; /* arena string; NULL = empty slot */
	int value;
};

struct hierarchy_index {
	struct name_slot *slots;
	size_t mask;
};

static int ascii_lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

static int ascii_casecmp(const char *a, const char *b)
{
	while (*a && ascii_lower((unsigned char)*a) == ascii_lower((unsigned char)*b)) {
		a++;
		b++;
	}
	return ascii_lower((unsigned char)*a) - ascii_lower((unsigned char)*b);
}

/* FNV-1a over the lower-cased name: lookups are case-insensitive like DNS and NetBIOS. */
static uint32_t name_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++) {
		h ^= (uint32_t)ascii_lower((unsigned char)*s);
		h *= 16777619u;
	}
	return h;
}

static struct hierarchy_index *index_new(struct arena *a, size_t n)
{
	struct hierarchy_index *t = arena_alloc(a, sizeof(*t));
	size_t cap = 16;

	while (cap < 2 * n)
		cap *= 2;
	t->slots = arena_alloc(a, cap * sizeof(*t->slots));
	t->mask = cap - 1;
	return t;
}

/* Inserts key -> value unless present; returns the existing value, or -1 when inserted. */
static int index_put(struct hierarchy_index *t, const char *key, int value)
{
	size_t i = name_hash(key) & t->mask;

	while (t->slots[i].key) {
		if (ascii_casecmp(t->slots[i].key, key) == 0)
			return t->slots[i].value;
		i = (i + 1) & t->mask;
	}
	t->slots[i].key = key;
	t->slots[i].value = value;
	return -1;
}

static int index_get(const struct hierarchy_index *t, const char *key)
{
	size_t i = name_hash(key) & t->mask;

	while (t->slots[i].key) {
		if (ascii_casecmp(t->slots[i].key, key) == 0)
			return t->slots[i].value;
		i = (i + 1) & t->mask;
	}
	return -1;
}

/* ---- building ------------------------------------------------------------------------------ */

struct builder {
	struct hierarchy_xml *x;
	struct hierarchy *h;
	struct connection_settings defaults;
	const xmlNode **site_nodes;
	const xmlNode **server_nodes;
	size_t cap_sites, cap_servers;	/* what count_elements() found: the arrays' sizes */
	int top_site;
};

static void count_elements(const xmlNode *node, size_t *nsites, size_t *nservers)
{
	const xmlNode *c;

	for (c = node->children; c; c = c->next) {
		if (hierarchy_xml_is(c, HIERARCHY_NS, "site")) {
			(*nsites)++;
			count_elements(c, nsites, nservers);
		} else if (hierarchy_xml_is(c, HIERARCHY_NS, "server")) {
			(*nservers)++;
		}
	}
}

static int attr_bool(const xmlNode *node, const char *name, int dflt)
{
	const char *v = hierarchy_xml_attr(node, name);
	int b;

	return v && parse_bool(v, &b) == 0 ? b : dflt;
}

static int attr_int(const xmlNode *node, const char *name, int lo, int hi, int dflt)
{
	const char *v = hierarchy_xml_attr(node, name);
	int i;

	return v && parse_range(v, lo, hi, &i) == 0 ? i : dflt;
}

/* Splits a white-space separated list into an arena array; lower-cases when asked. */
static const char **split_list(struct arena *a, const char *v, int lower, size_t *count)
{
	const char **items;
	size_t n = 0, cap = 0;
	const char *p;

	*count = 0;
	if (!v)
		return NULL;
	for (p = v; *p;) {
		while (*p && hierarchy_xml_space((unsigned char)*p))
			p++;
		if (*p)
			cap++;
		while (*p && !hierarchy_xml_space((unsigned char)*p))
			p++;
	}
	if (!cap)
		return NULL;
	items = arena_alloc(a, cap * sizeof(*items));
	for (p = v; *p;) {
		size_t len = 0;
		char *s;

		while (*p && hierarchy_xml_space((unsigned char)*p))
			p++;
		while (p[len] && !hierarchy_xml_space((unsigned char)p[len]))
			len++;
		if (!len)
			break;
		s = arena_strndup(a, p, len);
		if (lower)
			for (char *q = s; *q; q++)
				*q = (char)ascii_lower((unsigned char)*q);
		items[n++] = s;
		p += len;
	}
	*count = n;
	return items;
}

/* Applies the connection attributes of `node` over `conn` (which holds the defaults). */
static void read_connection(struct builder *b, const xmlNode *node, const char *ctx,
			    struct connection_settings *conn)
{
	struct arena *a = &b->h->arena;
	const char *env = hierarchy_xml_attr(node, "password-env");
	const char *file = hierarchy_xml_attr(node, "password-file");
	const char *v;
	int i;

	if ((v = hierarchy_xml_attr(node, "sql")) != NULL)
		conn->sql = hierarchy_xml_token(a, v);
	if ((v = hierarchy_xml_attr(node, "database")) != NULL)
		conn->database = hierarchy_xml_token(a, v);
	if ((v = hierarchy_xml_attr(node, "user")) != NULL)
		conn->user = hierarchy_xml_token(a, v);
	if (env && file)
		hierarchy_xml_error(b->x, node,
				    "%s: password-env and password-file are both given: choose one",
				    ctx);
	/* a server naming either source replaces the inherited one entirely */
	if (env || file) {
		conn->password_env = hierarchy_xml_token(a, env);
		conn->password_file = arena_strdup(a, file);
	}
	if ((v = hierarchy_xml_attr(node, "encryption")) != NULL &&
	    parse_enum(v, encryption_names, &i) == 0)
		conn->encryption = (enum encryption_mode)i;
	conn->login_timeout = attr_int(node, "login-timeout", 1, 86400, conn->login_timeout);
	conn->query_timeout = attr_int(node, "query-timeout", 1, 86400, conn->query_timeout);
	if ((v = hierarchy_xml_attr(node, "ca-file")) != NULL) {
		conn->ca_file = arena_strdup(a, v);
		conn->ca_file_line = (int)hierarchy_xml_line(node);
	}
	conn->check_hostname = attr_bool(node, "check-hostname", conn->check_hostname);
}

static const char *site_label(enum site_type t)
{
	static const char *const labels[] = {"central administration site", "primary site",
					     "secondary site"};

	return labels[t];
}

static int add_site(struct builder *b, const xmlNode *node, int parent)
{
	struct hierarchy *h = b->h;
	struct site *s;
	int idx;
	const char *v;
	int t = 0;

	/* count_elements() walked the same tree, so this holds; the guard keeps an array
	 * overrun impossible should the two walks ever differ */
	if (h->nsites >= b->cap_sites)
		return parent;
	s = &h->sites[h->nsites];
	idx = (int)h->nsites++;

	b->site_nodes[idx] = node;
	s->code = hierarchy_xml_token(&h->arena, hierarchy_xml_attr(node, "code"));
	parse_enum(hierarchy_xml_attr(node, "type"), site_type_names, &t);
	s->type = (enum site_type)t;
	s->parent = parent;
	s->first_server = -1;
	s->line = (int)hierarchy_xml_line(node);

	/* Configuration Manager's shapes: CAS > primary > secondary, one top-level site */
	if (parent < 0) {
		if (b->top_site >= 0)
			hierarchy_xml_error(
			    b->x, node,
			    "site '%s': more than one top-level site (site '%s' at "
			    "line %d is already the top); put this one inside it or "
			    "in another file",
			    s->code, h->sites[b->top_site].code, h->sites[b->top_site].line);
		else
			b->top_site = idx;
		if (s->type == SITE_SECONDARY)
			hierarchy_xml_error(
			    b->x, node, "site '%s': a secondary site must be inside a primary site",
			    s->code);
	} else {
		const struct site *p = &h->sites[parent];

		if (s->type == SITE_CAS)
			hierarchy_xml_error(
			    b->x, node,
			    "site '%s': a central administration site can only be the "
			    "top-level site",
			    s->code);
		else if (p->type == SITE_SECONDARY)
			hierarchy_xml_error(
			    b->x, node,
			    "site '%s': a secondary site ('%s') cannot contain other "
			    "sites",
			    s->code, p->code);
		else if (s->type == SITE_PRIMARY && p->type == SITE_PRIMARY)
			hierarchy_xml_error(
			    b->x, node,
			    "site '%s': a primary site cannot be inside another primary "
			    "site ('%s'); primary sites go under the central "
			    "administration site",
			    s->code, p->code);
		else if (s->type == SITE_SECONDARY && p->type != SITE_PRIMARY)
			hierarchy_xml_error(
			    b->x, node,
			    "site '%s': a secondary site must be inside a primary site, "
			    "not inside the %s '%s'",
			    s->code, site_label(p->type), p->code);
	}

	v = hierarchy_xml_attr(node, "upstream");
	if (v) {
		const char *host;
		size_t hlen;
		int port;

		if (parent >= 0)
			hierarchy_xml_error(
			    b->x, node,
			    "site '%s': upstream is only allowed on the top-level site "
			    "(rule R1: other sites sync from their parent site)",
			    s->code);
		if (split_host_port(v, &host, &hlen, &port) == 0) {
			s->upstream = hierarchy_xml_token(&h->arena, v);
			s->upstream_ssl = attr_bool(node, "upstream-ssl", 0);
		}
	} else if (hierarchy_xml_attr(node, "upstream-ssl")) {
		hierarchy_xml_error(b->x, node, "site '%s': upstream-ssl without upstream",
				    s->code);
	}
	return idx;
}

static void read_planned(struct builder *b, const xmlNode *node, const char *ctx,
			 struct planned_settings *p)
{
	struct arena *a = &b->h->arena;
	const char *v;
	int i;

	p->present = 1;
	p->sync_to_mu = -1;
	p->upstream_port = -1;
	p->upstream_ssl = -1;
	p->replica = -1;
	p->host_on_mu = -1;
	if ((v = hierarchy_xml_attr(node, "sync-source")) != NULL &&
	    parse_enum(v, sync_source_names, &i) == 0)
		p->sync_to_mu = i; /* the names are ordered so that the index is the flag */
	p->upstream = hierarchy_xml_token(a, hierarchy_xml_attr(node, "upstream"));
	p->upstream_port = attr_int(node, "upstream-port", 1, 65535, -1);
	p->upstream_ssl = attr_bool(node, "upstream-ssl", -1);
	p->replica = attr_bool(node, "replica", -1);
	if ((v = hierarchy_xml_attr(node, "storage")) != NULL &&
	    parse_enum(v, storage_names, &i) == 0)
		p->host_on_mu = i;
	p->languages = split_list(a, hierarchy_xml_attr(node, "languages"), 1, &p->nlanguages);
	if (p->sync_to_mu == 1 && (p->upstream || p->upstream_port >= 0 || p->upstream_ssl >= 0))
		hierarchy_xml_error(b->x, node,
				    "%s: sync-source is microsoft-update but an upstream setting "
				    "is given",
				    ctx);
}

static void add_server(struct builder *b, const xmlNode *node, int site)
{
	struct hierarchy *h = b->h;
	struct arena *a = &h->arena;
	struct server *s;
	const xmlNode *c;
	char ctx[320];

	if (h->nservers >= b->cap_servers)
		return; /* not reached: see add_site() */
	s = &h->servers[h->nservers];
	b->server_nodes[h->nservers++] = node;
	s->name = hierarchy_xml_token(a, hierarchy_xml_attr(node, "name"));
	snprintf(ctx, sizeof(ctx), "server '%s'", s->name);
	s->site = site;
	s->port = attr_int(node, "port", 1, 65535, 0);
	s->ssl = attr_bool(node, "ssl", 0);
	s->internet = attr_bool(node, "internet", 0);
	s->first = 0;
	s->aliases = split_list(a, hierarchy_xml_attr(node, "aliases"), 0, &s->naliases);
	s->wsus_version = hierarchy_xml_token(a, hierarchy_xml_attr(node, "wsus-version"));
	s->conn = b->defaults;
	read_connection(b, node, ctx, &s->conn);
	s->export_path = arena_strdup(a, hierarchy_xml_attr(node, "export"));
	if (s->export_path && hierarchy_xml_attr(node, "sql"))
		hierarchy_xml_error(b->x, node,
				    "%s: sql and export are both given: choose one (export reads "
				    "the server from a file, sql connects to it)",
				    ctx);
	/* read from a file, never connected to: not even the <defaults> sql applies */
	if (s->export_path)
		s->conn.sql = NULL;
	s->is_new = s->conn.sql == NULL && s->export_path == NULL;
	s->line = (int)hierarchy_xml_line(node);
	s->planned.present = 0;
	for (c = node->children; c; c = c->next) {
		if (hierarchy_xml_is(c, HIERARCHY_NS, "planned")) {
			char pctx[340];

			snprintf(pctx, sizeof(pctx), "%s: planned", ctx);
			read_planned(b, c, pctx, &s->planned);
		}
	}
	if (site < 0 && attr_bool(node, "first", 0))
		hierarchy_xml_error(b->x, node,
				    "server '%s': first=\"true\" only applies to a server inside "
				    "a site",
				    s->name);
}

/* <configmgr>: the site database, over the defaults; sql and database are its own. */
static void read_configmgr(struct builder *b, const xmlNode *node)
{
	struct connection_settings conn = b->defaults;

	conn.sql = NULL;
	conn.database = NULL;
	read_connection(b, node, "configmgr", &conn);
	if (!conn.sql || !conn.database)
		hierarchy_xml_error(b->x, node,
				    "configmgr: sql and database (the site database, CM_<site "
				    "code>) are both required");
	else if (strcasecmp(conn.sql, "wid") == 0)
		hierarchy_xml_error(b->x, node,
				    "configmgr: sql 'wid': a site database is always on SQL Server");
	b->h->configmgr = conn;
	b->h->configmgr_line = (int)hierarchy_xml_line(node);
}

static void build_children(struct builder *b, const xmlNode *parent, int site)
{
	const xmlNode *c;

	for (c = parent->children; c; c = c->next) {
		if (hierarchy_xml_is(c, HIERARCHY_NS, "defaults")) {
			read_connection(b, c, "defaults", &b->defaults);
		} else if (hierarchy_xml_is(c, HIERARCHY_NS, "configmgr")) {
			read_configmgr(b, c);
		} else if (hierarchy_xml_is(c, HIERARCHY_NS, "site")) {
			int idx = add_site(b, c, site);

			build_children(b, c, idx);
		} else if (hierarchy_xml_is(c, HIERARCHY_NS, "server")) {
			add_server(b, c, site);
		}
	}
}

/* Site codes and server names (with aliases) must each name one thing. */
static void check_unique(struct builder *b)
{
	struct hierarchy *h = b->h;
	struct hierarchy_index *codes = index_new(&h->arena, h->nsites);
	size_t i, j, nnames = h->nservers;
	int other;

	for (i = 0; i < h->nsites; i++) {
		other = index_put(codes, h->sites[i].code, (int)i);
		if (other >= 0)
			hierarchy_xml_error(b->x, b->site_nodes[i],
					    "site '%s': code already used by the site at line %d",
					    h->sites[i].code, h->sites[other].line);
	}
	for (i = 0; i < h->nservers; i++)
		nnames += h->servers[i].naliases;
	h->index = index_new(&h->arena, nnames);
	for (i = 0; i < h->nservers; i++) {
		const struct server *s = &h->servers[i];

		for (j = 0; j <= s->naliases; j++) {
			const char *key = j == 0 ? s->name : s->aliases[j - 1];

			other = index_put(h->index, key, (int)i);
			if (other >= 0 && other != (int)i)
				hierarchy_xml_error(
				    b->x, b->server_nodes[i],
				    "server '%s': %s '%s' is already used by server "
				    "'%s' (line %d); names and aliases must be unique "
				    "(case-insensitively)",
				    s->name, j == 0 ? "name" : "alias", key, h->servers[other].name,
				    h->servers[other].line);
		}
	}
}

/* How poor a default first SUP a server is: an internet-based SUP syncs from the first SUP
 * under R2, and first="false" says outright that it is not the one. */
static int first_rank(const struct builder *b, size_t server)
{
	const char *v = hierarchy_xml_attr(b->server_nodes[server], "first");
	int explicit_no = v && attr_bool(b->server_nodes[server], "first", 1) == 0;

	return 2 * explicit_no + b->h->servers[server].internet;
}

/* Each site's first SUP: the one marked first="true"; else the first server of the site in
 * document order that is neither internet-based nor marked first="false"; else the first
 * internet-based one not marked first="false"; else the site's first server. */
static void resolve_first(struct builder *b)
{
	struct hierarchy *h = b->h;
	int *fallback = xmalloc((h->nsites ? h->nsites : 1) * sizeof(*fallback));
	size_t i;

	for (i = 0; i < h->nsites; i++)
		fallback[i] = -1;
	for (i = 0; i < h->nservers; i++) {
		const struct server *s = &h->servers[i];
		struct site *site;

		if (s->site < 0)
			continue;
		site = &h->sites[s->site];
		if (attr_bool(b->server_nodes[i], "first", 0)) {
			if (site->first_server >= 0)
				hierarchy_xml_error(b->x, b->server_nodes[i],
						    "server '%s': site '%s' already has a first "
						    "server ('%s', line %d)",
						    s->name, site->code,
						    h->servers[site->first_server].name,
						    h->servers[site->first_server].line);
			else
				site->first_server = (int)i;
		}
		if (fallback[s->site] < 0 ||
		    first_rank(b, (size_t)fallback[s->site]) > first_rank(b, i))
			fallback[s->site] = (int)i;
	}
	for (i = 0; i < h->nsites; i++) {
		if (h->sites[i].first_server < 0)
			h->sites[i].first_server = fallback[i];
		if (h->sites[i].first_server >= 0)
			h->servers[h->sites[i].first_server].first = 1;
	}
	free(fallback);
}

/* The SUP another site's servers sync from, or EXPECT_UNDETERMINED with a warning. */
static int parent_first(struct builder *b, size_t server, const struct site *parent)
{
	if (parent->first_server >= 0)
		return parent->first_server;
	hierarchy_xml_warning(b->x, b->server_nodes[server],
			      "server '%s': its upstream cannot be determined because site '%s' "
			      "has no server",
			      b->h->servers[server].name, parent->code);
	return EXPECT_UNDETERMINED;
}

/* Roles and what they require, DOMAIN.md R1 (top), R2 (upstreams) and R4 (replica mode). */
static void resolve_roles(struct builder *b)
{
	struct hierarchy *h = b->h;
	size_t i;

	for (i = 0; i < h->nservers; i++) {
		struct server *s = &h->servers[i];
		const struct site *site;

		s->external_upstream = NULL;
		s->external_upstream_port = 0;
		s->external_upstream_ssl = 0;
		if (s->site < 0) {
			s->role = ROLE_STANDALONE;
			s->expected_upstream = EXPECT_UNDETERMINED;
			s->expected_replica = -1;
			continue;
		}
		site = &h->sites[s->site];
		if (site->type == SITE_SECONDARY) {
			s->role = ROLE_SECONDARY;
			s->expected_upstream = site->parent >= 0
						   ? parent_first(b, i, &h->sites[site->parent])
						   : EXPECT_UNDETERMINED;
			s->expected_replica = 1;
		} else if (s->first && site->parent < 0) {
			s->role = ROLE_TOP;
			s->expected_replica = 0;
			if (site->upstream) {
				/* validated when the site was read; initialised all the same */
				const char *host = "";
				size_t hlen = 0;
				int port = 0;

				split_host_port(site->upstream, &host, &hlen, &port);
				s->expected_upstream = EXPECT_EXTERNAL;
				s->external_upstream = arena_strndup(&h->arena, host, hlen);
				s->external_upstream_port = port;
				s->external_upstream_ssl = site->upstream_ssl;
			} else {
				s->expected_upstream = EXPECT_MICROSOFT_UPDATE;
			}
		} else if (s->first) {
			s->role = ROLE_SITE_FIRST;
			s->expected_upstream = parent_first(b, i, &h->sites[site->parent]);
			s->expected_replica = 0;
		} else {
			s->role = s->internet ? ROLE_INTERNET : ROLE_SITE_OTHER;
			s->expected_upstream = site->first_server;
			s->expected_replica = 1;
		}
	}
}

static void build(struct builder *b, const xmlNode *root)
{
	struct hierarchy *h = b->h;
	size_t nsites = 0, nservers = 0;

	h->name = hierarchy_xml_token(&h->arena, hierarchy_xml_attr(root, "name"));
	count_elements(root, &nsites, &nservers);
	h->sites = nsites ? arena_alloc(&h->arena, nsites * sizeof(*h->sites)) : NULL;
	h->servers = nservers ? arena_alloc(&h->arena, nservers * sizeof(*h->servers)) : NULL;
	b->site_nodes = xcalloc(nsites + 1, sizeof(*b->site_nodes));
	b->server_nodes = xcalloc(nservers + 1, sizeof(*b->server_nodes));
	b->cap_sites = nsites;
	b->cap_servers = nservers;
	b->top_site = -1;
	memset(&b->defaults, 0, sizeof(b->defaults));
	b->defaults.database = "SUSDB";
	b->defaults.encryption = ENCRYPTION_REQUEST;
	b->defaults.login_timeout = 15;
	b->defaults.query_timeout = 300;
	b->defaults.check_hostname = 1;

	build_children(b, root, -1);
	check_unique(b);
	resolve_first(b);
	if (!b->x->nerrors)
		resolve_roles(b);
	free(b->site_nodes);
	free(b->server_nodes);
}

/* ---- public -------------------------------------------------------------------------------- */

int hierarchy_load_memory(const char *xml, size_t len, const char *name, struct hierarchy **out)
{
	struct hierarchy_xml x;
	struct builder b;
	struct hierarchy *h;

	*out = NULL;
	if (!name)
		name = "(hierarchy)";
	if (hierarchy_xml_load(&x, xml, len, name, HIERARCHY_NS, "hierarchy",
			       EMBED_MODEL_HIERARCHY_XSD, precheck, NULL) < 0)
		return -1;
	h = xcalloc(1, sizeof(*h));
	arena_init(&h->arena);
	h->path = arena_strdup(&h->arena, name);
	h->xml = arena_alloc(&h->arena, len + 1);
	memcpy(h->xml, xml, len);
	h->xml_len = len;
	memset(&b, 0, sizeof(b));
	b.x = &x;
	b.h = h;
	build(&b, x.root);
	hierarchy_xml_close(&x);
	if (hierarchy_xml_finish(&x) < 0) {
		hierarchy_free(h);
		return -1;
	}
	*out = h;
	return 0;
}

int hierarchy_load(const char *path, struct hierarchy **out)
{
	char *text;
	size_t len;
	int rc;

	*out = NULL;
	if (hierarchy_xml_read_file(path, &text, &len) < 0)
		return -1;
	rc = hierarchy_load_memory(text, len, path, out);
	free(text);
	return rc;
}

void hierarchy_free(struct hierarchy *h)
{
	if (!h)
		return;
	arena_release(&h->arena);
	free(h);
}

int hierarchy_find_server(const struct hierarchy *h, const char *name)
{
	size_t i, j;

	if (!h || !name)
		return -1;
	if (h->index)
		return index_get(h->index, name);
	/* hand-built hierarchies (tests) have no index */
	for (i = 0; i < h->nservers; i++) {
		const struct server *s = &h->servers[i];

		if (s->name && ascii_casecmp(s->name, name) == 0)
			return (int)i;
		for (j = 0; j < s->naliases; j++)
			if (s->aliases[j] && ascii_casecmp(s->aliases[j], name) == 0)
				return (int)i;
	}
	return -1;
}

int hierarchy_check_collectable(const struct hierarchy *h)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < h->nservers; i++) {
		if (h->servers[i].conn.sql || h->servers[i].export_path)
			continue;
		rc = log_error("%s:%d: server '%s' has no 'sql' attribute (and <defaults> gives "
			       "none): only a plan file may describe a server that does not exist "
			       "yet",
			       h->path ? h->path : "(hierarchy)", h->servers[i].line,
			       h->servers[i].name);
	}
	return rc;
}

const char *server_role_name(enum server_role role)
{
	static const char *const names[] = {"top",	"site-first", "site-other",
					    "internet", "secondary",  "standalone"};

	if ((unsigned)role >= sizeof(names) / sizeof(names[0]))
		return "unknown";
	return names[role];
}

char *hierarchy_export_path(const struct hierarchy *h, const struct server *s)
{
	const char *slash;

	if (!s->export_path)
		return NULL;
	if (s->export_path[0] == '/' || !h->path || !(slash = strrchr(h->path, '/')))
		return xstrdup(s->export_path);
	return xasprintf("%.*s/%s", (int)(slash - h->path), h->path, s->export_path);
}
