/* site_db: reads the site tree, the SUP roles and the SUP component from a site database. */
#include "site_db.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "embedded.h"
#include "xalloc.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const struct db_column site_columns[] = {
    {"site_code", DB_KIND_TEXT}, {"site_name", DB_KIND_TEXT},	{"parent_code", DB_KIND_TEXT},
    {"site_type", DB_KIND_INT},	 {"server_name", DB_KIND_TEXT},
};
static const struct db_column sup_columns[] = {
    {"site_code", DB_KIND_TEXT},
    {"server_name", DB_KIND_TEXT},
    {"internet_enabled", DB_KIND_INT},
    {"ssl_state", DB_KIND_INT},
};
static const struct db_column prop_columns[] = {
    {"site_code", DB_KIND_TEXT}, {"nal_path", DB_KIND_TEXT}, {"name", DB_KIND_TEXT},
    {"value1", DB_KIND_TEXT},	 {"value2", DB_KIND_TEXT},   {"value3", DB_KIND_INT},
};
static const struct db_column component_columns[] = {
    {"component", DB_KIND_TEXT}, {"item_name", DB_KIND_TEXT}, {"name", DB_KIND_TEXT},
    {"value1", DB_KIND_TEXT},	 {"value2", DB_KIND_TEXT},    {"value3", DB_KIND_INT},
};

/* A role property row before it is matched to its SUP. */
struct raw_prop {
	const char *site;
	const char *server;
	struct site_db_prop p;
};

struct reader {
	struct site_db *db;
	struct raw_prop *raw;
	size_t nraw, raw_cap;
	size_t sites_cap, sups_cap, component_cap;
};

void site_db_gap(struct site_db *db, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	db->gaps = xgrow(db->gaps, &db->gaps_cap, db->ngaps + 1, sizeof(*db->gaps));
	db->gaps[db->ngaps++] = arena_strdup(&db->arena, msg);
	free(msg);
}

static const char *text(struct site_db *db, const struct db_value *v)
{
	return v->is_null ? NULL : arena_strndup(&db->arena, v->text, v->len);
}

static int site_row(void *data, const struct db_value *v, size_t n)
{
	struct reader *r = data;
	struct site_db *db = r->db;
	struct site_db_site *s;

	(void)n;
	if (v[0].is_null)
		return 0;
	db->sites = xgrow(db->sites, &r->sites_cap, db->nsites + 1, sizeof(*db->sites));
	s = &db->sites[db->nsites++];
	s->code = text(db, &v[0]);
	s->name = text(db, &v[1]);
	s->parent = text(db, &v[2]);
	s->type = v[3].is_null ? -1 : v[3].integer;
	s->server = text(db, &v[4]);
	return 0;
}

static int sup_row(void *data, const struct db_value *v, size_t n)
{
	struct reader *r = data;
	struct site_db *db = r->db;
	struct site_db_sup *s;

	(void)n;
	if (v[0].is_null || v[1].is_null)
		return 0;
	db->sups = xgrow(db->sups, &r->sups_cap, db->nsups + 1, sizeof(*db->sups));
	s = &db->sups[db->nsups++];
	memset(s, 0, sizeof(*s));
	s->site = text(db, &v[0]);
	s->name = text(db, &v[1]);
	s->internet_enabled = v[2].is_null ? -1 : (v[2].integer != 0);
	s->ssl_state = v[3].is_null ? -1 : (int)v[3].integer;
	return 0;
}

static void fill_prop(struct site_db *db, struct site_db_prop *p, const struct db_value *v)
{
	p->name = text(db, &v[0]);
	p->value1 = text(db, &v[1]);
	p->value2 = text(db, &v[2]);
	p->value3_null = v[3].is_null;
	p->value3 = v[3].is_null ? 0 : v[3].integer;
}

static int prop_row(void *data, const struct db_value *v, size_t n)
{
	struct reader *r = data;
	struct raw_prop *p;

	(void)n;
	if (v[2].is_null)
		return 0;
	r->raw = xgrow(r->raw, &r->raw_cap, r->nraw + 1, sizeof(*r->raw));
	p = &r->raw[r->nraw++];
	memset(p, 0, sizeof(*p));
	p->site = text(r->db, &v[0]);
	p->server = v[1].is_null ? NULL : site_db_nal_server(&r->db->arena, text(r->db, &v[1]));
	fill_prop(r->db, &p->p, v + 2);
	return 0;
}

static int component_row(void *data, const struct db_value *v, size_t n)
{
	struct reader *r = data;
	struct site_db *db = r->db;
	struct site_db_prop *p;

	(void)n;
	if (v[0].is_null || v[2].is_null)
		return 0;
	db->component =
	    xgrow(db->component, &r->component_cap, db->ncomponent + 1, sizeof(*db->component));
	p = &db->component[db->ncomponent++];
	memset(p, 0, sizeof(*p));
	p->component = text(db, &v[0]);
	fill_prop(db, p, v + 2);
	return 0;
}

const char *site_db_nal_server(struct arena *a, const char *nal_path)
{
	const char *p, *last = NULL, *end;

	if (!nal_path)
		return NULL;
	/* ["Display=\\host\"]MSWNET:["SMS_SITE=P01"]\\host\ : the part after the last \\ */
	for (p = strstr(nal_path, "\\\\"); p; p = strstr(p + 2, "\\\\"))
		last = p + 2;
	if (!last || !*last)
		return NULL;
	end = last + strcspn(last, "\\\"]");
	if (end == last)
		return NULL;
	return arena_strndup(a, last, (size_t)(end - last));
}

/* Runs one query; a missing object or column becomes a gap naming it. Returns 1 when the
 * rows were read, 0 for a gap, -1 when the connection failed (*error set). */
static int run(struct db_conn *c, struct reader *r, const char *name, enum embedded_id id,
	       const struct db_column *cols, size_t ncols, db_row_fn fn, const char *objects,
	       char **error)
{
	char *err = NULL;
	long long rows;
	enum db_status st = db_query(c, name, embedded_text(id), cols, ncols, fn, r, &rows, &err);

	if (st == DB_OK)
		return 1;
	if (st == DB_SCHEMA || st == DB_SQL_ERROR || st == DB_BAD_RESULT) {
		site_db_gap(
		    r->db,
		    "the site database lacks %s (another Configuration Manager version?): %s",
		    objects, err ? err : "no detail");
		free(err);
		return 0;
	}
	*error = err;
	return -1;
}

static void match_props(struct reader *r)
{
	struct site_db *db = r->db;
	size_t i, k;

	for (i = 0; i < db->nsups; i++) {
		struct site_db_sup *s = &db->sups[i];
		size_t n = 0, cap = 0;

		for (k = 0; k < r->nraw; k++) {
			const struct raw_prop *p = &r->raw[k];

			if (!p->server || !p->site || strcasecmp(p->server, s->name) != 0 ||
			    strcasecmp(p->site, s->site) != 0)
				continue;
			s->has_role = 1;
			if (n == cap) {
				struct site_db_prop *grown;

				cap = cap ? cap * 2 : 16;
				grown = arena_alloc(&db->arena, cap * sizeof(*grown));
				if (n)
					memcpy(grown, s->props, n * sizeof(*grown));
				s->props = grown;
			}
			s->props[n++] = p->p;
		}
		s->nprops = n;
	}
}

static int read_roles_and_component(struct db_conn *c, struct reader *r, char **error)
{
	int rc;

	rc = run(c, r, "cm_sup_properties", EMBED_QUERIES_CM_SUP_PROPERTIES_SQL, prop_columns,
		 COUNT(prop_columns), prop_row,
		 "'vSMS_SC_SysResUse' or 'vSMS_SC_SysResUse_Properties' (SUP role properties "
		 "WSUSIISPort, WSUSIISSSLPort, SSLWSUS, IsINF, DBServerName)",
		 error);
	if (rc < 0)
		return -1;
	r->db->have_props = rc;
	rc = run(c, r, "cm_sup_component", EMBED_QUERIES_CM_SUP_COMPONENT_SQL, component_columns,
		 COUNT(component_columns), component_row,
		 "'SC_Component' or 'vSMS_SC_Component_Properties' (the software update point "
		 "component's settings)",
		 error);
	if (rc < 0)
		return -1;
	r->db->have_component = rc;
	return 0;
}

static void init(struct site_db *db, struct reader *r)
{
	memset(db, 0, sizeof(*db));
	arena_init(&db->arena);
	memset(r, 0, sizeof(*r));
	r->db = db;
}

int site_db_read(struct db_conn *c, struct site_db *db, char **error)
{
	struct reader r;
	int rc;

	*error = NULL;
	init(db, &r);
	rc = run(c, &r, "cm_sites", EMBED_QUERIES_CM_SITES_SQL, site_columns, COUNT(site_columns),
		 site_row,
		 "the view 'v_Site' (SiteCode, SiteName, ReportingSiteCode, Type, ServerName)",
		 error);
	if (rc == 0) {
		/* another version: the Sites table the support collector reads */
		db->nsites = 0;
		rc = run(
		    c, &r, "cm_sites_table", EMBED_QUERIES_CM_SITES_TABLE_SQL, site_columns,
		    COUNT(site_columns), site_row,
		    "the table 'Sites' (SiteCode, SiteName, ReportToSite, SiteType, SiteServer)",
		    error);
		db->sites_from_table = rc > 0;
	}
	if (rc < 0)
		goto failed;
	db->have_sites = rc;
	rc = run(c, &r, "cm_sup_servers", EMBED_QUERIES_CM_SUP_SERVERS_SQL, sup_columns,
		 COUNT(sup_columns), sup_row,
		 "the table 'SysResList' (SiteCode, RoleName, ServerName, InternetEnabled, "
		 "SslState)",
		 error);
	if (rc < 0)
		goto failed;
	db->have_sups = rc;
	if (read_roles_and_component(c, &r, error) < 0)
		goto failed;
	match_props(&r);
	free(r.raw);
	if (!db->have_sites) {
		*error = xstrdup("no site could be read from the site database (see the messages "
				 "above): is it a Configuration Manager site database?");
		return -1;
	}
	return 0;
failed:
	free(r.raw);
	return -1;
}

int site_db_read_intent(struct db_conn *c, struct site_db *db, char **error)
{
	struct reader r;
	size_t i;

	*error = NULL;
	init(db, &r);
	if (read_roles_and_component(c, &r, error) < 0) {
		free(r.raw);
		return -1;
	}
	/* every SUP that has role rows, without SysResList (the audit knows the servers) */
	for (i = 0; i < r.nraw; i++) {
		size_t k;
		int known = 0;

		if (!r.raw[i].server || !r.raw[i].site)
			continue;
		for (k = 0; k < db->nsups && !known; k++)
			known = strcasecmp(db->sups[k].name, r.raw[i].server) == 0 &&
				strcasecmp(db->sups[k].site, r.raw[i].site) == 0;
		if (known)
			continue;
		db->sups = xgrow(db->sups, &r.sups_cap, db->nsups + 1, sizeof(*db->sups));
		memset(&db->sups[db->nsups], 0, sizeof(db->sups[0]));
		db->sups[db->nsups].site = r.raw[i].site;
		db->sups[db->nsups].name = r.raw[i].server;
		db->sups[db->nsups].internet_enabled = -1;
		db->sups[db->nsups].ssl_state = -1;
		db->nsups++;
	}
	match_props(&r);
	free(r.raw);
	return 0;
}

void site_db_release(struct site_db *db)
{
	free(db->sites);
	free(db->sups);
	free(db->component);
	free(db->gaps);
	arena_release(&db->arena);
	memset(db, 0, sizeof(*db));
}

const struct site_db_prop *site_db_sup_prop(const struct site_db_sup *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->nprops; i++)
		if (s->props[i].name && strcasecmp(s->props[i].name, name) == 0)
			return &s->props[i];
	return NULL;
}

static int same_value(const struct site_db_prop *a, const struct site_db_prop *b)
{
	return a->value3_null == b->value3_null && a->value3 == b->value3 &&
	       !strcmp(a->value1 ? a->value1 : "", b->value1 ? b->value1 : "") &&
	       !strcmp(a->value2 ? a->value2 : "", b->value2 ? b->value2 : "");
}

const struct site_db_prop *site_db_component_prop(const struct site_db *db, const char *component,
						  const char *name, int *conflict)
{
	const struct site_db_prop *first = NULL;
	size_t i;

	if (conflict)
		*conflict = 0;
	for (i = 0; i < db->ncomponent; i++) {
		const struct site_db_prop *p = &db->component[i];

		if (strcasecmp(p->component, component) != 0 || strcasecmp(p->name, name) != 0)
			continue;
		if (!first)
			first = p;
		else if (!same_value(first, p) && conflict)
			*conflict = 1;
	}
	return first;
}
