/* discover_draft: turns what the site database says into sites and servers, noting inferences. */
#include "discover.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xalloc.h"

#define CM_CONFIG "SMS_WSUS_CONFIGURATION_MANAGER"

static void add_gap(struct discover_draft *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void add_left_out(struct discover_draft *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void add_gap(struct discover_draft *d, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	d->gaps = xgrow(d->gaps, &d->gaps_cap, d->ngaps + 1, sizeof(*d->gaps));
	d->gaps[d->ngaps++] = arena_strdup(&d->arena, msg);
	free(msg);
}

static void add_left_out(struct discover_draft *d, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	d->left_out = xgrow(d->left_out, &d->left_out_cap, d->nleft_out + 1, sizeof(*d->left_out));
	d->left_out[d->nleft_out++] = arena_strdup(&d->arena, msg);
	free(msg);
}

static int site_code_ok(const char *s)
{
	return s && strlen(s) == 3 && isalnum((unsigned char)s[0]) &&
	       isalnum((unsigned char)s[1]) && isalnum((unsigned char)s[2]);
}

/* The hierarchy file's hostname type: [A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?, <= 255. */
static int host_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > 255)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		int word = isalnum(c) || c == '_';

		if (!word && !((c == '.' || c == '-') && i > 0 && i < n - 1))
			return 0;
		if (c >= 0x80)
			return 0;
	}
	return 1;
}

static int instance_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > 16)
		return 0;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("_$#-", s[i]))
			return 0;
	return 1;
}

static int port_of(const char *s, size_t n)
{
	long v = 0;
	size_t i;

	if (n == 0 || n > 5)
		return -1;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v >= 1 && v <= 65535 ? (int)v : -1;
}

static int is_local_name(const char *s, size_t n)
{
	return (n == 1 && s[0] == '.') || (n == 7 && strncasecmp(s, "(local)", 7) == 0) ||
	       (n == 9 && strncasecmp(s, "localhost", 9) == 0);
}

static const char *sql_from_dbservername(struct arena *a, const char *value, const char *host,
					 const char **note)
{
	const char *v = value, *comma, *slash, *end;
	size_t hn, in = 0;
	int port = -1, local;

	*note = NULL;
	while (*v == ' ')
		v++;
	end = v + strlen(v);
	while (end > v && end[-1] == ' ')
		end--;
	{
		char *lower = arena_strndup(a, v, (size_t)(end - v)), *p;

		for (p = lower; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		if (strstr(lower, "##wid") || strstr(lower, "##ssee")) {
			*note =
			    arena_printf(a,
					 "sql: DBServerName '%s' is the Windows Internal Database, "
					 "which accepts only local named-pipe connections: run "
					 "susaudit-collect.ps1 on the SUP and put export=FILE in "
					 "place of sql (README, 'Servers on the Windows Internal "
					 "Database')",
					 arena_strndup(a, v, (size_t)(end - v)));
			return "wid";
		}
	}
	comma = memchr(v, ',', (size_t)(end - v));
	if (comma) {
		port = port_of(comma + 1, (size_t)(end - comma - 1));
		if (port < 0)
			return NULL;
		end = comma;
	}
	slash = memchr(v, '\\', (size_t)(end - v));
	hn = (size_t)((slash ? slash : end) - v);
	if (slash) {
		in = (size_t)(end - slash - 1);
		if (!instance_ok(slash + 1, in))
			return NULL;
	}
	local = is_local_name(v, hn);
	if (!local && !host_ok(v, hn))
		return NULL;
	if (local)
		*note = arena_printf(a,
				     "sql: DBServerName names the SUP's own SQL Server ('%.*s'): "
				     "written as the SUP's name (INFERRED)",
				     (int)hn, v);
	if (port > 0) {
		if (slash)
			*note = arena_printf(
			    a,
			    "sql: DBServerName names instance '%.*s' at port %d: the port is what "
			    "FreeTDS connects to, so the instance is left out (INFERRED)",
			    (int)in, slash + 1, port);
		return local ? arena_printf(a, "%s:%d", host, port)
			     : arena_printf(a, "%.*s:%d", (int)hn, v, port);
	}
	if (slash)
		return local ? arena_printf(a, "%s\\%.*s", host, (int)in, slash + 1)
			     : arena_strndup(a, v, (size_t)(end - v));
	return local ? arena_strdup(a, host) : arena_strndup(a, v, hn);
}

const char *discover_sql_from_dbservername(struct arena *a, const char *value, const char *host,
					   const char **note)
{
	const char *sql = sql_from_dbservername(a, value, host, note);

	/* the schema's sql type: at most 255 characters */
	if (sql && strlen(sql) > 255) {
		*note = NULL;
		return NULL;
	}
	return sql;
}

static int find_site(const struct discover_draft *d, const char *code)
{
	size_t i;

	for (i = 0; code && i < d->nsites; i++)
		if (strcasecmp(d->sites[i].code, code) == 0)
			return (int)i;
	return -1;
}

/* Sites: every valid site reachable from one top site, with its type. */
static void build_sites(const struct site_db *db, struct discover_draft *d)
{
	const struct site_db_site **src = xcalloc(db->nsites + 1, sizeof(*src));
	int *parent_src = xcalloc(db->nsites + 1, sizeof(*parent_src));
	size_t i, k, n = 0;
	int top = -1, changed;
	int *keep;

	for (i = 0; i < db->nsites; i++) {
		const struct site_db_site *s = &db->sites[i];
		int dup = 0;

		if (!site_code_ok(s->code)) {
			add_left_out(d, "a site with code '%s': not three letters or digits",
				     s->code);
			continue;
		}
		for (k = 0; k < n; k++)
			dup |= strcasecmp(src[k]->code, s->code) == 0;
		if (dup) {
			add_left_out(d, "site '%s' listed twice: the second row", s->code);
			continue;
		}
		src[n++] = s;
	}
	for (i = 0; i < n; i++) {
		const char *p = src[i]->parent;

		parent_src[i] = -1;
		if (!p || !*p)
			continue;
		parent_src[i] = -2;
		for (k = 0; k < n; k++)
			if (strcasecmp(src[k]->code, p) == 0)
				parent_src[i] = (int)k;
	}
	for (i = 0; i < n; i++) {
		if (parent_src[i] != -1)
			continue;
		if (top < 0)
			top = (int)i;
		else
			add_left_out(d,
				     "site '%s': a second top-level site (only '%s' is written; a "
				     "hierarchy has one)",
				     src[i]->code, src[top]->code);
	}
	/* keep the sites whose chain reaches the top site */
	keep = xcalloc(n + 1, sizeof(*keep));
	if (top >= 0)
		keep[top] = 1;
	do {
		changed = 0;
		for (i = 0; i < n; i++)
			if (!keep[i] && parent_src[i] >= 0 && keep[parent_src[i]]) {
				keep[i] = 1;
				changed = 1;
			}
	} while (changed);
	for (i = 0; i < n; i++) {
		if (keep[i] || parent_src[i] == -1)
			continue;
		if (parent_src[i] == -2)
			add_left_out(d,
				     "site '%s': it reports to '%s', which the site database "
				     "does not list",
				     src[i]->code, src[i]->parent);
		else
			add_left_out(d, "site '%s': its parent '%s' was left out", src[i]->code,
				     src[i]->parent);
	}
	/* parents before children, so one pass can type them */
	{
		int *index = xcalloc(n + 1, sizeof(*index));
		int *order = xcalloc(n + 1, sizeof(*order));
		size_t norder = 0;

		for (i = 0; i < n; i++)
			index[i] = -1;
		if (top >= 0) {
			order[norder++] = top;
			for (k = 0; k < norder; k++)
				for (i = 0; i < n; i++)
					if (keep[i] && parent_src[i] == order[k])
						order[norder++] = (int)i;
		}
		d->sites = arena_alloc(&d->arena, (norder + 1) * sizeof(*d->sites));
		for (k = 0; k < norder; k++) {
			const struct site_db_site *s = src[order[k]];
			struct discover_site *ds = &d->sites[d->nsites];
			int has_primary_child = 0;

			if (parent_src[order[k]] >= 0 && index[parent_src[order[k]]] < 0) {
				add_left_out(d, "site '%s': its parent '%s' was left out", s->code,
					     s->parent);
				continue;
			}
			memset(ds, 0, sizeof(*ds));
			ds->code = arena_strdup(&d->arena, s->code);
			ds->name = s->name ? arena_strdup(&d->arena, s->name) : NULL;
			ds->parent = parent_src[order[k]] >= 0 ? index[parent_src[order[k]]] : -1;
			for (i = 0; i < n; i++)
				if (keep[i] && parent_src[i] == order[k] && src[i]->type != 1)
					has_primary_child = 1;
			if (ds->parent < 0) {
				if (has_primary_child) {
					ds->type = SITE_CAS;
					if (s->type != 4)
						ds->type_note.note =
						    arena_printf(&d->arena,
								 "type: cas INFERRED from the tree "
								 "(primary sites "
								 "report to it; v_Site.Type %lld)",
								 s->type);
				} else {
					ds->type = SITE_PRIMARY;
					if (s->type != 2)
						ds->type_note.note = arena_printf(
						    &d->arena,
						    "type: primary INFERRED (the top site, no "
						    "primary "
						    "sites under it; v_Site.Type %lld)",
						    s->type);
				}
			} else if (s->type == 1) {
				ds->type = SITE_SECONDARY;
			} else if (s->type == 2) {
				ds->type = SITE_PRIMARY;
			} else {
				ds->type = d->sites[ds->parent].type == SITE_CAS ? SITE_PRIMARY
										 : SITE_SECONDARY;
				ds->type_note.note = arena_printf(
				    &d->arena,
				    "type: INFERRED from its parent (v_Site.Type %lld is "
				    "neither 1 secondary nor 2 primary)",
				    s->type);
			}
			/* what ConfigMgr allows and the loader enforces */
			if (ds->parent >= 0 &&
			    ((ds->type == SITE_PRIMARY && d->sites[ds->parent].type != SITE_CAS) ||
			     (ds->type == SITE_SECONDARY &&
			      d->sites[ds->parent].type != SITE_PRIMARY) ||
			     ds->type == SITE_CAS)) {
				add_left_out(d,
					     "site '%s' and the sites under it: a %s site under "
					     "'%s' is not a Configuration Manager hierarchy",
					     s->code,
					     ds->type == SITE_SECONDARY ? "secondary" : "primary",
					     s->parent);
				continue;
			}
			index[order[k]] = (int)d->nsites++;
		}
		free(index);
		free(order);
	}
	free(keep);
	free(src);
	free(parent_src);
}

static const char *flag_gap(struct discover_draft *d, const char *server, const char *what)
{
	add_gap(d, "server '%s': %s", server, what);
	return arena_printf(&d->arena, "INCOMPLETE %s", what);
}

static void build_server(const struct site_db *db, const struct site_db_sup *s,
			 struct discover_draft *d, int site)
{
	struct discover_server *ds = &d->servers[d->nservers++];
	const struct site_db_prop *ssl = site_db_sup_prop(s, "SSLWSUS");
	const struct site_db_prop *inf = site_db_sup_prop(s, "IsINF");
	const struct site_db_prop *port;
	const struct site_db_prop *dbs = site_db_sup_prop(s, "DBServerName");

	memset(ds, 0, sizeof(*ds));
	/* the draft outlives the site database it was read from */
	ds->name = arena_strdup(&d->arena, s->name);
	ds->site = site;
	if (!s->has_role && db->have_props)
		add_gap(d,
			"server '%s': no site control entry (vSMS_SC_SysResUse) for its SUP "
			"role",
			s->name);
	if (ssl && !ssl->value3_null) {
		ds->ssl = ssl->value3 != 0;
	} else {
		ds->ssl_note.gap = 1;
		ds->ssl_note.note =
		    flag_gap(d, s->name, "ssl: no SSLWSUS property, written as false");
	}
	port = site_db_sup_prop(s, ds->ssl ? "WSUSIISSSLPort" : "WSUSIISPort");
	if (port && !port->value3_null && port->value3 >= 1 && port->value3 <= 65535) {
		ds->port = (int)port->value3;
	} else {
		ds->port = ds->ssl ? 8531 : 8530;
		ds->port_note.gap = 1;
		ds->port_note.note = flag_gap(
		    d, s->name,
		    ds->ssl
			? "port: no usable WSUSIISSSLPort property, written as WSUS's default 8531"
			: "port: no usable WSUSIISPort property, written as WSUS's default 8530");
	}
	if (inf && !inf->value3_null) {
		ds->internet = inf->value3 != 0;
	} else if (s->internet_enabled >= 0) {
		ds->internet = s->internet_enabled;
		ds->internet_note.note =
		    "internet: no IsINF property; taken from SysResList.InternetEnabled (INFERRED)";
	} else {
		ds->internet_note.gap = 1;
		ds->internet_note.note = flag_gap(
		    d, s->name, "internet: neither IsINF nor InternetEnabled, written as false");
	}
	if (dbs && dbs->value2 && *dbs->value2) {
		const char *note;

		ds->sql = discover_sql_from_dbservername(&d->arena, dbs->value2, s->name, &note);
		ds->sql_note.note = note;
		if (!ds->sql) {
			ds->sql = ds->name;
			ds->sql_note.gap = 1;
			ds->sql_note.note = flag_gap(d, s->name,
						     "sql: DBServerName is not host, "
						     "host\\instance or host,port: written as "
						     "the SUP's own name");
		}
	} else {
		ds->sql = ds->name;
		ds->sql_assumed = 1;
		ds->sql_note.note =
		    "sql: INFERRED: the site database names no SUSDB server for this SUP "
		    "(DBServerName empty or missing), so SQL Server's default instance on the SUP "
		    "itself is assumed; if its SUSDB is on the Windows Internal Database write "
		    "sql=\"wid\" (collect it offline; the probe option of discover tries its SQL "
		    "port)";
	}
}

static void build_servers(const struct site_db *db, struct discover_draft *d)
{
	size_t i, k;

	d->servers = arena_alloc(&d->arena, (db->nsups + 1) * sizeof(*d->servers));
	for (i = 0; i < db->nsups; i++) {
		const struct site_db_sup *s = &db->sups[i];
		int site = find_site(d, s->site), dup = 0;

		if (!host_ok(s->name, strlen(s->name))) {
			add_left_out(d, "a SUP of site '%s' named '%s': not a host name", s->site,
				     s->name);
			continue;
		}
		if (site < 0) {
			add_left_out(d, "SUP '%s': its site '%s' was not written", s->name,
				     s->site);
			continue;
		}
		for (k = 0; k < d->nservers; k++)
			dup |= strcasecmp(d->servers[k].name, s->name) == 0;
		if (dup) {
			add_left_out(d,
				     "SUP '%s' of site '%s': the server is already a SUP of "
				     "another site",
				     s->name, s->site);
			continue;
		}
		build_server(db, s, d, site);
	}
}

/* ParentWSUS: host[:port], perhaps with http:// or https:// in front (the DSC module). */
static void build_upstream(const struct site_db *db, struct discover_draft *d)
{
	struct discover_site *top = d->nsites ? &d->sites[0] : NULL;
	const struct site_db_prop *use, *parent;
	int conflict = 0, c2 = 0;

	if (!top)
		return;
	use = site_db_component_prop(db, CM_CONFIG, "DefaultUseParentWSUS", &conflict);
	if (!use || use->value3_null) {
		top->upstream_note.gap = 1;
		top->upstream_note.note =
		    "INCOMPLETE upstream: no DefaultUseParentWSUS setting was read; written as "
		    "syncing from Microsoft Update";
		add_gap(d,
			"site '%s': the software update point component's DefaultUseParentWSUS "
			"could not be read, so its upstream is unknown",
			top->code);
		return;
	}
	if (conflict)
		top->upstream_note.note = "upstream: sites disagree on DefaultUseParentWSUS; the "
					  "first row is written (INFERRED)";
	if (use->value3 == 2) {
		top->upstream_note.note = "upstream: DefaultUseParentWSUS 2 (no synchronization "
					  "source): written as Microsoft Update";
		return;
	}
	if (use->value3 != 1)
		return;
	parent = site_db_component_prop(db, CM_CONFIG, "ParentWSUS", &c2);
	if (parent && parent->value2 && *parent->value2) {
		const char *v = parent->value2, *colon;
		int ssl = 0, port;

		if (strncasecmp(v, "https://", 8) == 0) {
			ssl = 1;
			v += 8;
		} else if (strncasecmp(v, "http://", 7) == 0) {
			v += 7;
		}
		colon = strchr(v, ':');
		port = colon ? port_of(colon + 1, strcspn(colon + 1, "/")) : (ssl ? 8531 : 8530);
		if (host_ok(v, colon ? (size_t)(colon - v) : strcspn(v, "/")) && port > 0) {
			top->upstream = arena_printf(
			    &d->arena, "%.*s:%d",
			    (int)(colon ? (size_t)(colon - v) : strcspn(v, "/")), v, port);
			top->upstream_ssl = ssl;
			if (!colon)
				top->upstream_note.note = arena_printf(
				    &d->arena,
				    "upstream: ParentWSUS names no port; WSUS's default "
				    "%d assumed (INFERRED)",
				    port);
			return;
		}
	}
	top->upstream_note.gap = 1;
	top->upstream_note.note = "INCOMPLETE upstream: DefaultUseParentWSUS is 1 (an upstream "
				  "server) but ParentWSUS is not a usable host[:port]";
	add_gap(d,
		"site '%s': DefaultUseParentWSUS says an upstream server, but ParentWSUS "
		"could not be read as host[:port]",
		top->code);
}

/* The top site's name, as the schema takes it (1 to 256 characters once white space is
 * collapsed): a long one is cut on a character boundary, a blank one replaced. */
static const char *hierarchy_name(struct discover_draft *d)
{
	const char *n = d->nsites ? d->sites[0].name : NULL;
	size_t len, i;
	int blank = 1;

	for (i = 0; n && n[i]; i++)
		if (!strchr(" \t\r\n", n[i]))
			blank = 0;
	if (!n || blank)
		return arena_printf(&d->arena, "ConfigMgr %s", d->nsites ? d->sites[0].code : "");
	len = strlen(n);
	if (len <= 200)
		return n;
	len = 200;
	while (len && ((unsigned char)n[len] & 0xc0) == 0x80)
		len--;
	return arena_printf(&d->arena, "%.*s...", (int)len, n);
}

int discover_draft_build(const struct site_db *db, struct discover_draft *d)
{
	size_t i;

	memset(d, 0, sizeof(*d));
	arena_init(&d->arena);
	for (i = 0; i < db->ngaps; i++)
		add_gap(d, "%s", db->gaps[i]);
	if (db->sites_from_table)
		add_gap(d, "the site tree came from the 'Sites' table (v_Site is missing): site "
			   "types rest on SiteType (INFERRED)");
	build_sites(db, d);
	build_servers(db, d);
	build_upstream(db, d);
	d->name = hierarchy_name(d);
	for (i = 0; i < d->nleft_out; i++)
		add_gap(d, "left out: %s", d->left_out[i]);
	return 0;
}

void discover_draft_release(struct discover_draft *d)
{
	free(d->gaps);
	free(d->left_out);
	arena_release(&d->arena);
	memset(d, 0, sizeof(*d));
}
