/* model_load: snapshot (SQLite) -> model; a handful of prepared statements per server, and the
 * heavy per-server detail loaded on demand so memory stays bounded by one edge. */
#include "model.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check.h"
#include "fnv.h"
#include "log.h"
#include "model_cm.h"
#include "snapshot.h"
#include "snapshot_pack.h"
#include "xalloc.h"

/* The light queries, bound with ?1 = server_key. */
static const char sql_missing[] =
    "SELECT table_name, column_name FROM missing_column WHERE server_key = ?1";
static const char sql_config[] =
    "SELECT server_id, sync_to_mu, upstream_name, upstream_port, upstream_ssl, replica_mode,"
    " host_on_mu, lazy_sync, express_files, use_proxy, proxy_name, proxy_port,"
    " proxy_anonymous, proxy_user, proxy_domain, proxy_password_set,"
    " proxy_credentials_non_ssl, bits_foreground, content_path, all_languages,"
    " uss_host_on_mu, last_config_change, mu_url FROM configuration WHERE server_key = ?1";
static const char sql_languages[] =
    "SELECT language_id, short_language, enabled, uss_enabled FROM language"
    " WHERE server_key = ?1 ORDER BY language_id";
static const char sql_categories[] =
    "SELECT category_guid, category_type, title, subscribed FROM category"
    " WHERE server_key = ?1";
/* Approved = an install or uninstall approval of a computer group (action 0/1); the states
 * are the update's latest revision (4 not ready, 7 failed, 8 EULA failed: LIKELY, Q3). One scan
 * of the server's updates and one of its approvals; the states are read by primary-key lookup
 * of the approved updates only, not by probing the approvals for every update. */
static const char sql_aggregates[] =
    "SELECT u.n, u.declined, a.n, a.pending, a.updates, st.s4, st.s7, st.s8,"
    " q.files, q.total_bytes, q.downloaded_bytes"
    " FROM (SELECT COUNT(*) AS n, COALESCE(SUM(declined <> 0), 0) AS declined"
    "   FROM update_revision WHERE server_key = ?1) u,"
    " (SELECT COUNT(*) AS n, COALESCE(SUM(deployment_status = 0), 0) AS pending,"
    "   COUNT(DISTINCT update_guid) AS updates"
    "   FROM approval WHERE server_key = ?1 AND action_id IN (0, 1)) a,"
    " (SELECT COALESCE(SUM(state = 4), 0) AS s4, COALESCE(SUM(state = 7), 0) AS s7,"
    "   COALESCE(SUM(state = 8), 0) AS s8 FROM update_revision WHERE server_key = ?1"
    "   AND update_guid IN (SELECT update_guid FROM approval"
    "   WHERE server_key = ?1 AND action_id IN (0, 1))) st"
    " LEFT JOIN download_queue q ON q.server_key = ?1";
/* Format 2: the counts were computed when the server was packed. */
static const char sql_counts[] =
    "SELECT updates, declined, approvals, pending_approvals, approved_updates,"
    " approved_state4, approved_state7, approved_state8, q.files, q.total_bytes,"
    " q.downloaded_bytes, categories_known FROM update_counts c"
    " LEFT JOIN download_queue q ON q.server_key = c.server_key WHERE c.server_key = ?1";
static const char sql_queue[] =
    "SELECT files, total_bytes, downloaded_bytes FROM download_queue WHERE server_key = ?1";
/* Events and downstream rows have no index on server_key in the snapshot: read them for the
 * whole run in one pass each, grouped by server, instead of one scan per server. */
static const char sql_events[] =
    "SELECT e.server_key, e.event_id, e.time_at_server, e.win32_hresult, e.message,"
    " e.misc_data FROM sync_event e JOIN server s ON s.server_key = e.server_key"
    " WHERE s.run_id = ?1 AND s.status = 'ok'"
    " ORDER BY e.server_key, e.time_at_server DESC, e.rowid DESC";
static const char sql_downstreams[] =
    "SELECT d.server_key, d.account_name, d.account_server_id, d.version, d.is_replica,"
    " d.last_sync_time FROM downstream_server d JOIN server s ON s.server_key = d.server_key"
    " WHERE s.run_id = ?1 AND s.status = 'ok' ORDER BY d.server_key, d.rowid";

/* Heavy queries for one server's detail. */
static const char sql_d_updates[] =
    "SELECT update_guid, revision_number, declined, state FROM update_revision"
    " WHERE server_key = ?1 ORDER BY update_guid";
static const char sql_d_languages[] =
    "SELECT update_guid, language_id FROM update_language WHERE server_key = ?1";
static const char sql_d_approvals[] =
    "SELECT update_guid, revision_number, group_guid, group_name, action_id,"
    " deployment_status FROM approval WHERE server_key = ?1";
static const char sql_d_text[] =
    "SELECT title, kb, update_type FROM update_revision WHERE server_key = ?1"
    " AND update_guid = ?2";
/* Categories are looked up per update: a check needs them only for the few updates it reports,
 * and reading every update's (two per update, two GUIDs each) was most of an audit's time. */
static const char sql_d_categories[] =
    "SELECT category_guid FROM update_category WHERE server_key = ?1 AND update_guid = ?2";
/* Format 2: the server's own text where it differs, else the catalogue's. */
static const char sql_p_text[] =
    "SELECT title, kb, update_type FROM update_text WHERE server_key = ?1 AND update_guid = ?2"
    " UNION ALL SELECT title, kb, update_type FROM catalogue_update WHERE update_guid = ?2"
    " AND revision_number = ?3 LIMIT 1";
static const char sql_p_categories[] =
    "SELECT categories FROM update_text WHERE server_key = ?1 AND update_guid = ?2"
    " UNION ALL SELECT categories FROM catalogue_update WHERE update_guid = ?2"
    " AND revision_number = ?3 LIMIT 1";

static int prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st)
{
	if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK)
		return log_error("could not read the snapshot: %s", sqlite3_errmsg(db));
	return 0;
}

static int col_int(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? -1 : sqlite3_column_int(st, i);
}

static long long col_int64(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, i);
}

/* A column with a documented range: its value when in range, -1 when NULL, and -1 with the
 * value recorded in s->invalid when outside (a port of 4294975826 is not port 8530, and a
 * stored -1 is not NULL). */
static int col_ranged(struct model *m, struct model_server *s, sqlite3_stmt *st, int i,
		      const char *table, const char *column, long long lo, long long hi)
{
	struct model_invalid_value *v;
	long long x;
	char *msg;

	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return -1;
	x = sqlite3_column_int64(st, i);
	if (sqlite3_column_type(st, i) == SQLITE_INTEGER && x >= lo && x <= hi)
		return (int)x;
	v = arena_alloc(&m->arena, (s->ninvalid + 1) * sizeof(*v));
	if (s->ninvalid)
		memcpy(v, s->invalid, s->ninvalid * sizeof(*v));
	msg = sqlite3_column_type(st, i) == SQLITE_INTEGER
		  ? xasprintf("%s.%s is %lld, outside the documented range %lld-%lld", table,
			      column, x, lo, hi)
		  : xasprintf("%s.%s holds '%s', not an integer", table, column,
			      (const char *)sqlite3_column_text(st, i));
	v[s->ninvalid].table = table;
	v[s->ninvalid].column = column;
	/* a row's key out of range leaves the whole table in doubt */
	v[s->ninvalid].whole_table = strcmp(column, "LanguageID") == 0;
	v[s->ninvalid].value = x;
	v[s->ninvalid].message = arena_strdup(&m->arena, msg);
	free(msg);
	s->invalid = v;
	s->ninvalid++;
	return -1;
}

#define COL_BIT(st, i, table, column) col_ranged(m, s, st, i, table, column, 0, 1)
#define COL_PORT(st, i, table, column) col_ranged(m, s, st, i, table, column, 1, 65535)
/* [MS-LCID]: a language ID (16 bits) and a sort ID (4 bits); bits 20-31 are reserved 0 */
#define COL_LCID(st, i) col_ranged(m, s, st, i, "tbLanguage", "LanguageID", 0, 0xFFFFF)

static const char *col_text(struct arena *a, sqlite3_stmt *st, int i)
{
	return model_column_text(a, st, i);
}

static int step_error(sqlite3 *db, const char *what, const char *server)
{
	return log_error("could not read %s of '%s' from the snapshot: %s", what, server,
			 sqlite3_errmsg(db));
}

static void config_unknown(struct model_config *c)
{
	memset(c, 0, sizeof(*c));
	c->sync_to_mu = c->upstream_port = c->upstream_ssl = c->replica_mode = -1;
	c->host_on_mu = c->lazy_sync = c->express_files = c->use_proxy = -1;
	c->proxy_port = c->proxy_anonymous = c->proxy_password_set = -1;
	c->proxy_credentials_non_ssl = c->bits_foreground = c->all_languages = -1;
	c->uss_host_on_mu = -1;
}

static void aggregates_unknown(struct model_aggregates *g)
{
	g->updates = g->declined = g->approvals = g->approved_updates = -1;
	g->approved_state4 = g->approved_state7 = g->approved_state8 = -1;
	g->pending_approvals = g->queue_files = g->queue_bytes = g->queue_downloaded_bytes = -1;
}

/* The prepared statements reused for every server. */
struct load_statements {
	sqlite3_stmt *missing, *config, *languages, *categories, *aggregates;
	sqlite3_stmt *counts, *queue;	/* format 2; aggregates is NULL without format-1 tables */
};

static void statements_finalize(struct load_statements *ls)
{
	sqlite3_finalize(ls->counts);
	sqlite3_finalize(ls->queue);
	sqlite3_finalize(ls->missing);
	sqlite3_finalize(ls->config);
	sqlite3_finalize(ls->languages);
	sqlite3_finalize(ls->categories);
	sqlite3_finalize(ls->aggregates);
}

static int statements_prepare(sqlite3 *db, struct load_statements *ls)
{
	memset(ls, 0, sizeof(*ls));
	if (prepare(db, sql_missing, &ls->missing) || prepare(db, sql_config, &ls->config) ||
	    prepare(db, sql_languages, &ls->languages) ||
	    prepare(db, sql_categories, &ls->categories) ||
	    (snapshot_db_has_table(db, "update_counts") == 1 &&
	     prepare(db, sql_counts, &ls->counts)) ||
	    prepare(db, sql_queue, &ls->queue) ||
	    (snapshot_db_has_v1_tables(db) && prepare(db, sql_aggregates, &ls->aggregates))) {
		statements_finalize(ls);
		return -1;
	}
	return 0;
}

static void bind_key(sqlite3_stmt *st, long long key)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	sqlite3_bind_int64(st, 1, key);
}

static int category_compare(const void *pa, const void *pb)
{
	const struct model_category *a = pa, *b = pb;

	return model_guid_compare(&a->guid, &b->guid);
}

/* Collects rows into an xgrow'n array, then copies it into the arena. */
#define GROW(arr, n, cap) ((arr) = xgrow((arr), &(cap), (n) + 1, sizeof(*(arr))))

static int load_missing(sqlite3 *db, struct load_statements *ls, struct model *m,
			struct model_server *s)
{
	struct model_missing_column *v = NULL;
	size_t n = 0, cap = 0;
	int rc;

	bind_key(ls->missing, s->key);
	while ((rc = sqlite3_step(ls->missing)) == SQLITE_ROW) {
		GROW(v, n, cap);
		v[n].table = col_text(&m->arena, ls->missing, 0);
		v[n].column = col_text(&m->arena, ls->missing, 1);
		if (v[n].table && v[n].column)
			n++;
	}
	s->missing = n ? arena_memdup(&m->arena, v, n * sizeof(*v)) : NULL;
	s->nmissing = n;
	free(v);
	return rc == SQLITE_DONE ? 0 : step_error(db, "missing columns", s->name);
}

static int load_config(sqlite3 *db, struct load_statements *ls, struct model *m,
		       struct model_server *s)
{
	sqlite3_stmt *st = ls->config;
	struct model_config *c = &s->config;
	int rc;

	bind_key(st, s->key);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return step_error(db, "the configuration", s->name);
	c->present = 1;
	c->server_id = col_text(&m->arena, st, 0);
	c->sync_to_mu = COL_BIT(st, 1, "tbConfigurationA", "SyncToMU");
	c->upstream_name = col_text(&m->arena, st, 2);
	c->upstream_port = COL_PORT(st, 3, "tbConfigurationA", "ServerPortNumber");
	c->upstream_ssl = COL_BIT(st, 4, "tbConfigurationA", "UpstreamServerUseSSL");
	c->replica_mode = COL_BIT(st, 5, "tbConfigurationC", "ReplicaMode");
	c->host_on_mu = COL_BIT(st, 6, "tbConfigurationA", "HostOnMu");
	c->lazy_sync = COL_BIT(st, 7, "tbConfigurationC", "LazySync");
	c->express_files = COL_BIT(st, 8, "tbConfigurationC", "DownloadExpressPackages");
	c->use_proxy = COL_BIT(st, 9, "tbConfigurationA", "UseProxy");
	c->proxy_name = col_text(&m->arena, st, 10);
	c->proxy_port = COL_PORT(st, 11, "tbConfigurationA", "ProxyServerPort");
	c->proxy_anonymous = COL_BIT(st, 12, "tbConfigurationA", "AnonymousProxyAccess");
	c->proxy_user = col_text(&m->arena, st, 13);
	c->proxy_domain = col_text(&m->arena, st, 14);
	c->proxy_password_set = col_int(st, 15);
	c->proxy_credentials_non_ssl =
	    COL_BIT(st, 16, "tbConfigurationC", "AllowProxyCredentialsOverNonSsl");
	c->bits_foreground = COL_BIT(st, 17, "tbConfigurationC", "BitsDownloadPriorityForeground");
	c->content_path = col_text(&m->arena, st, 18);
	c->all_languages = COL_BIT(st, 19, "tbConfigurationB", "ServerSupportsAllLanguages");
	c->uss_host_on_mu = COL_BIT(st, 20, "tbSingletonData", "UssHostOnMu");
	c->last_config_change = col_text(&m->arena, st, 21);
	c->mu_url = col_text(&m->arena, st, 22);
	sqlite3_reset(st);
	return 0;
}

static int load_languages(sqlite3 *db, struct load_statements *ls, struct model *m,
			  struct model_server *s)
{
	struct model_language *v = NULL;
	size_t n = 0, cap = 0;
	int rc;

	bind_key(ls->languages, s->key);
	while ((rc = sqlite3_step(ls->languages)) == SQLITE_ROW) {
		GROW(v, n, cap);
		v[n].id = COL_LCID(ls->languages, 0);
		v[n].short_name = col_text(&m->arena, ls->languages, 1);
		v[n].enabled = COL_BIT(ls->languages, 2, "tbLanguage", "Enabled");
		v[n].uss_enabled = COL_BIT(ls->languages, 3, "tbLanguage", "UssEnabled");
		n++;
	}
	s->languages = n ? arena_memdup(&m->arena, v, n * sizeof(*v)) : NULL;
	s->nlanguages = n;
	free(v);
	return rc == SQLITE_DONE ? 0 : step_error(db, "languages", s->name);
}

/* A distinct category list of the model, shared by every server that has it. */
struct model_category_set {
	uint64_t hash;
	const struct model_category *v;
	size_t n;
};

static uint64_t category_hash(const struct model_category *v, size_t n)
{
	uint64_t h = FNV1A_INIT;
	size_t i;

	for (i = 0; i < n; i++) {
		/* fields, not the struct: its padding is not initialised */
		h = fnv1a_bytes(h, v[i].guid.b, sizeof(v[i].guid.b));
		h = fnv1a_bytes(h, &v[i].type, sizeof(v[i].type));
		h = fnv1a_bytes(h, &v[i].title, sizeof(v[i].title));
		h = fnv1a_bytes(h, &v[i].subscribed, sizeof(v[i].subscribed));
	}
	return h;
}

static int categories_equal(const struct model_category *a, const struct model_category *b,
			    size_t n)
{
	size_t i;

	/* type and title are interned: equal texts are equal pointers */
	for (i = 0; i < n; i++)
		if (model_guid_compare(&a[i].guid, &b[i].guid) != 0 || a[i].type != b[i].type ||
		    a[i].title != b[i].title || a[i].subscribed != b[i].subscribed)
			return 0;
	return 1;
}

/* The servers of a hierarchy mostly have the same categories (a replica's come from its
 * upstream): one array per distinct list, not one per server. v is sorted. */
static const struct model_category *shared_categories(struct model *m,
						      const struct model_category *v, size_t n)
{
	uint64_t h = category_hash(v, n);
	struct model_category_set *set;
	size_t i;

	for (i = 0; i < m->ncategory_sets; i++) {
		set = &m->category_sets[i];
		if (set->hash == h && set->n == n && categories_equal(set->v, v, n))
			return set->v;
	}
	m->category_sets = xgrow(m->category_sets, &m->category_sets_cap, m->ncategory_sets + 1,
				 sizeof(*m->category_sets));
	set = &m->category_sets[m->ncategory_sets++];
	set->hash = h;
	set->n = n;
	set->v = arena_memdup(&m->arena, v, n * sizeof(*v));
	return set->v;
}

static int load_categories(sqlite3 *db, struct load_statements *ls, struct model *m,
			   struct model_server *s)
{
	struct model_category *v = NULL;
	size_t n = 0, cap = 0;
	int rc;

	bind_key(ls->categories, s->key);
	while ((rc = sqlite3_step(ls->categories)) == SQLITE_ROW) {
		GROW(v, n, cap);
		if (model_guid_parse((const char *)sqlite3_column_text(ls->categories, 0),
				     &v[n].guid) != 0)
			continue;
		v[n].type = model_shared_text(m, ls->categories, 1);
		v[n].title = model_shared_text(m, ls->categories, 2);
		v[n].subscribed = col_int(ls->categories, 3) == 1;
		n++;
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), category_compare);
	s->categories = n ? shared_categories(m, v, n) : NULL;
	s->ncategories = n;
	free(v);
	return rc == SQLITE_DONE ? 0 : step_error(db, "categories", s->name);
}

static void fill_aggregates(sqlite3_stmt *st, struct model_aggregates *g)
{
	g->updates = col_int64(st, 0);
	g->declined = col_int64(st, 1);
	g->approvals = col_int64(st, 2);
	g->pending_approvals = col_int64(st, 3);
	g->approved_updates = col_int64(st, 4);
	g->approved_state4 = col_int64(st, 5);
	g->approved_state7 = col_int64(st, 6);
	g->approved_state8 = col_int64(st, 7);
	g->queue_files = col_int64(st, 8);
	g->queue_bytes = col_int64(st, 9);
	g->queue_downloaded_bytes = col_int64(st, 10);
}

static int load_aggregates(sqlite3 *db, struct load_statements *ls, struct model_server *s)
{
	sqlite3_stmt *st = ls->aggregates;
	struct model_aggregates *g = &s->agg;
	int rc;

	rc = SQLITE_DONE;
	if (ls->counts) {
		bind_key(ls->counts, s->key);
		rc = sqlite3_step(ls->counts);
	}
	if (rc == SQLITE_ROW) {
		fill_aggregates(ls->counts, g);
		s->packed = 1;
		s->categories_known = sqlite3_column_int(ls->counts, 11);
		sqlite3_reset(ls->counts);
		return 0;
	}
	if (rc != SQLITE_DONE)
		return step_error(db, "update and approval counts", s->name);
	if (!st) {
		/* neither packed nor format 1: a readable server without update rows */
		memset(g, 0, sizeof(*g));
		g->queue_files = g->queue_bytes = g->queue_downloaded_bytes = -1;
		bind_key(ls->queue, s->key);
		if (sqlite3_step(ls->queue) == SQLITE_ROW) {
			g->queue_files = col_int64(ls->queue, 0);
			g->queue_bytes = col_int64(ls->queue, 1);
			g->queue_downloaded_bytes = col_int64(ls->queue, 2);
		}
		sqlite3_reset(ls->queue);
		return 0;
	}
	bind_key(st, s->key);
	if (sqlite3_step(st) != SQLITE_ROW)
		return step_error(db, "update and approval counts", s->name);
	fill_aggregates(st, g);
	sqlite3_reset(st);
	return 0;
}

/* The model server of a snapshot server_key, or NULL. */
static struct model_server *server_by_key(struct model *m, long long key)
{
	size_t i;

	for (i = 0; i < m->nservers; i++)
		if (m->servers[i].key == key && m->servers[i].status == MODEL_SERVER_OK)
			return &m->servers[i];
	return NULL;
}

static void flush_events(struct model *m, struct model_server *s, struct model_sync_event *v,
			 size_t n)
{
	if (!s)
		return;
	s->events = n ? arena_memdup(&m->arena, v, n * sizeof(*v)) : NULL;
	s->nevents = n;
}

static int load_events(sqlite3 *db, struct model *m)
{
	struct model_sync_event *v = NULL;
	struct model_server *cur = NULL;
	long long cur_key = 0;
	size_t n = 0, cap = 0;
	sqlite3_stmt *st;
	int rc;

	if (prepare(db, sql_events, &st))
		return -1;
	sqlite3_bind_int64(st, 1, m->run_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		long long key = sqlite3_column_int64(st, 0);

		if (key != cur_key) {
			flush_events(m, cur, v, n);
			n = 0;
			cur_key = key;
			cur = server_by_key(m, key);
		}
		if (!cur)
			continue;
		GROW(v, n, cap);
		v[n].event_id = sqlite3_column_int(st, 1);
		v[n].time = col_text(&m->arena, st, 2);
		v[n].at = model_parse_time(v[n].time);
		v[n].hresult = sqlite3_column_int64(st, 3);
		v[n].message = col_text(&m->arena, st, 4);
		v[n].misc_data = col_text(&m->arena, st, 5);
		n++;
	}
	flush_events(m, cur, v, n);
	free(v);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return log_error("could not read synchronization events from the snapshot: %s",
				 sqlite3_errmsg(db));
	return 0;
}

static void flush_downstreams(struct model *m, struct model_server *s, struct model_downstream *v,
			      size_t n)
{
	if (!s)
		return;
	s->downstreams = n ? arena_memdup(&m->arena, v, n * sizeof(*v)) : NULL;
	s->ndownstreams = n;
}

static int load_downstreams(sqlite3 *db, struct model *m)
{
	struct model_downstream *v = NULL;
	struct model_server *cur = NULL;
	long long cur_key = 0;
	size_t n = 0, cap = 0;
	sqlite3_stmt *st;
	int rc;

	if (prepare(db, sql_downstreams, &st))
		return -1;
	sqlite3_bind_int64(st, 1, m->run_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		long long key = sqlite3_column_int64(st, 0);

		if (key != cur_key) {
			flush_downstreams(m, cur, v, n);
			n = 0;
			cur_key = key;
			cur = server_by_key(m, key);
		}
		if (!cur)
			continue;
		GROW(v, n, cap);
		v[n].account_name = col_text(&m->arena, st, 1);
		v[n].account_server_id = col_text(&m->arena, st, 2);
		v[n].version = col_text(&m->arena, st, 3);
		v[n].is_replica = col_int(st, 4);
		v[n].last_sync_time = col_text(&m->arena, st, 5);
		v[n].server = -1;
		n++;
	}
	flush_downstreams(m, cur, v, n);
	free(v);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return log_error("could not read downstream servers from the snapshot: %s",
				 sqlite3_errmsg(db));
	return 0;
}

static int pick_run(sqlite3 *db, long run_id, long *out, time_t *collected_at)
{
	sqlite3_stmt *st;
	int rc;

	if (prepare(db,
		    run_id ? "SELECT run_id, finished_at FROM run WHERE run_id = ?1"
			     " AND finished_at IS NOT NULL"
			   : "SELECT run_id, finished_at FROM run WHERE finished_at IS NOT NULL"
			     " ORDER BY run_id DESC LIMIT 1",
		    &st))
		return -1;
	if (run_id)
		sqlite3_bind_int64(st, 1, run_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*out = (long)sqlite3_column_int64(st, 0);
		*collected_at = model_parse_time((const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 0;
	if (run_id)
		return log_error("the snapshot has no complete run %ld", run_id);
	return log_error("the snapshot has no complete collection run");
}

/* Matches each downstream row of each server to a server of the hierarchy: by ServerID
 * (AccountServerID = the downstream's tbConfigurationA.ServerID: INFERRED) or by name. */
static void match_downstreams(struct model *m)
{
	size_t i, j, k;

	for (i = 0; i < m->nservers; i++) {
		struct model_server *s = &m->servers[i];

		for (j = 0; j < s->ndownstreams; j++) {
			struct model_downstream *d = &s->downstreams[j];
			enum model_name_match how;

			for (k = 0; k < m->nservers && d->account_server_id; k++) {
				const char *id = m->servers[k].config.server_id;

				if (id && strcasecmp(id, d->account_server_id) == 0) {
					d->server = (int)k;
					break;
				}
			}
			if (d->server < 0)
				d->server = model_match_name(m, d->account_name, &how);
		}
	}
}

/* The version a server runs, as its upstream reports it; else any server that lists it; else
 * the hierarchy file's wsus-version attribute. */
static void resolve_versions(struct model *m)
{
	size_t i, j, k;

	for (i = 0; i < m->nservers; i++) {
		struct model_server *s = &m->servers[i];
		int up = s->upstream;

		s->wsus_version = NULL;
		s->wsus_version_source = NULL;
		for (k = 0; k < m->nservers + 1 && !s->wsus_version; k++) {
			/* k == 0: the configured upstream; then every other server */
			const struct model_server *u;

			if (k == 0) {
				if (up < 0)
					continue;
				u = &m->servers[up];
			} else {
				if ((int)(k - 1) == up)
					continue;
				u = &m->servers[k - 1];
			}
			for (j = 0; j < u->ndownstreams; j++) {
				const struct model_downstream *d = &u->downstreams[j];

				if (d->server == (int)i && d->version && *d->version) {
					s->wsus_version = d->version;
					s->wsus_version_source = arena_printf(
					    &m->arena, "tbDownstreamServerTarget.Version at %s",
					    u->name);
					break;
				}
			}
		}
		if (!s->wsus_version && s->entry && s->entry->wsus_version) {
			s->wsus_version = s->entry->wsus_version;
			s->wsus_version_source = "hierarchy file wsus-version";
		}
	}
}

/* A NetBIOS name that is the first label of several servers: the one the downstream's role
 * expects, else the one in the downstream's DNS domain (where the name resolves), else the
 * first match. */
static int netbios_choice(const struct model *m, size_t down, const char *label, int first)
{
	const char *domain = strchr(m->servers[down].name, '.');
	int expected = m->servers[down].entry ? m->servers[down].entry->expected_upstream : -1;
	size_t i;

	if (expected >= 0 && (size_t)expected < m->nservers &&
	    model_name_is_netbios_of(m->servers[expected].name, label))
		return expected;
	for (i = 0; domain && i < m->nservers; i++) {
		const char *d = strchr(m->servers[i].name, '.');

		if (i != down && d && strcasecmp(d, domain) == 0 &&
		    model_name_is_netbios_of(m->servers[i].name, label))
			return (int)i;
	}
	return first;
}

/* Upstream matching, downstream rows and versions: recomputed for a plan model too. */
void model_resolve_links(struct model *m)
{
	size_t i;

	for (i = 0; i < m->nservers; i++) {
		struct model_server *s = &m->servers[i];

		s->upstream = -1;
		s->upstream_match = MODEL_MATCH_NONE;
		if (model_server_readable(s) && s->config.sync_to_mu == 0)
			s->upstream =
			    model_match_name(m, s->config.upstream_name, &s->upstream_match);
		if (s->upstream_match == MODEL_MATCH_NETBIOS)
			s->upstream = netbios_choice(m, i, s->config.upstream_name, s->upstream);
	}
	match_downstreams(m);
	resolve_versions(m);
}

static int load_server(sqlite3 *db, struct load_statements *ls, struct model *m,
		       struct model_server *s)
{
	if (load_missing(db, ls, m, s))
		return -1;
	if (s->status != MODEL_SERVER_OK)
		return 0;
	if (load_config(db, ls, m, s) || load_languages(db, ls, m, s) ||
	    load_categories(db, ls, m, s) || load_aggregates(db, ls, s) ||
	    model_load_health(db, m, s))
		return -1;
	return 0;
}

int model_from_db(sqlite3 *db, long run_id, struct hierarchy *h, const struct check_options *o,
		  struct model **out)
{
	struct load_statements ls;
	struct model *m;
	sqlite3_stmt *st = NULL;
	size_t i;
	int rc;

	(void)o;
	*out = NULL;
	m = xcalloc(1, sizeof(*m));
	arena_init(&m->arena);
	intern_init(&m->strings, &m->arena);
	m->h = h;
	m->db = db;
	m->hierarchy_name = h->name;
	if (pick_run(db, run_id, &m->run_id, &m->collected_at))
		goto fail;
	m->nservers = h->nservers;
	m->servers = arena_alloc(&m->arena, (h->nservers ? h->nservers : 1) * sizeof(*m->servers));
	for (i = 0; i < h->nservers; i++) {
		struct model_server *s = &m->servers[i];

		s->name = h->servers[i].name;
		s->entry = &h->servers[i];
		s->status = MODEL_SERVER_MISSING;
		s->error = "the server is not in the snapshot's collection run";
		s->upstream = -1;
		s->db = db;
		config_unknown(&s->config);
		aggregates_unknown(&s->agg);
	}
	if (prepare(db,
		    "SELECT server_key, name, status, failure_check, error, finished_at FROM server"
		    " WHERE run_id = ?1 ORDER BY server_key",
		    &st))
		goto fail;
	sqlite3_bind_int64(st, 1, m->run_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int k = model_find_server(m, (const char *)sqlite3_column_text(st, 1));
		struct model_server *s;
		const char *status = (const char *)sqlite3_column_text(st, 2);

		if (k < 0) {
			log_debug("snapshot server '%s' is not in the hierarchy; ignored",
				  (const char *)sqlite3_column_text(st, 1));
			continue;
		}
		s = &m->servers[k];
		s->key = sqlite3_column_int64(st, 0);
		s->status =
		    status && strcmp(status, "ok") == 0 ? MODEL_SERVER_OK : MODEL_SERVER_FAILED;
		s->failure = s->status == MODEL_SERVER_OK ? MODEL_FAILURE_NONE
			     : snapshot_failure_is_schema((const char *)sqlite3_column_text(st, 3))
				 ? MODEL_FAILURE_SCHEMA
				 : MODEL_FAILURE_UNREACHABLE;
		s->error = col_text(&m->arena, st, 4);
		s->collected_at = model_parse_time((const char *)sqlite3_column_text(st, 5));
	}
	if (rc != SQLITE_DONE) {
		log_error("could not read the servers of the snapshot: %s", sqlite3_errmsg(db));
		goto fail;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (statements_prepare(db, &ls))
		goto fail;
	for (i = 0; i < m->nservers; i++) {
		if (m->servers[i].key && load_server(db, &ls, m, &m->servers[i])) {
			statements_finalize(&ls);
			goto fail;
		}
	}
	statements_finalize(&ls);
	if (load_events(db, m) || load_downstreams(db, m) || model_load_connections(db, m))
		goto fail;
	if (model_cm_load(db, m->run_id, &m->cm) < 0)
		goto fail;
	model_resolve_links(m);
	*out = m;
	return 0;
fail:
	sqlite3_finalize(st);
	model_free(m);
	return -1;
}

void model_free(struct model *m)
{
	if (!m)
		return;
	if (m->owns_db)
		sqlite3_close(m->db);
	if (m->owns_hierarchy)
		hierarchy_free(m->h);
	model_cm_free(m->cm);
	intern_free(&m->strings);
	free(m->category_sets);
	arena_release(&m->arena);
	free(m);
}

/* Details: live count for the memory test, and the loader. */
static size_t detail_live, detail_peak;

size_t model_detail_live(void)
{
	return detail_live;
}

size_t model_detail_peak(void)
{
	return detail_peak;
}

void model_detail_reset_peak(void)
{
	detail_peak = detail_live;
}

/* (update index, language) pairs grouped by update with a counting sort: linear. */
struct pair {
	uint32_t update;
	int value;
};

static void group_languages(const struct pair *p, size_t n, struct server_detail *d)
{
	struct detail_update *u = d->updates;
	size_t i, nu = d->nupdates;
	uint32_t *pos, acc = 0;

	for (i = 0; i < nu; i++)
		u[i].nlangs = 0;
	for (i = 0; i < n; i++)
		u[p[i].update].nlangs++;
	pos = xmalloc((nu ? nu : 1) * sizeof(*pos));
	for (i = 0; i < nu; i++) {
		u[i].lang_first = pos[i] = acc;
		acc += u[i].nlangs;
	}
	d->languages = xmalloc((n ? n : 1) * sizeof(*d->languages));
	for (i = 0; i < n; i++)
		d->languages[pos[p[i].update]++] = p[i].value;
	d->nlanguages = n;
	free(pos);
}

/* Index of the update with guid g; update_language rows arrive in guid order, so the update
 * after the previous hit is tried before a binary search. */
static long find_update_near(const struct server_detail *d, const struct model_guid *g,
			     long *hint)
{
	long h = *hint;

	if (h >= 0 && (size_t)h < d->nupdates && model_guid_compare(&d->updates[h].guid, g) == 0)
		return h;
	if (h + 1 >= 0 && (size_t)(h + 1) < d->nupdates &&
	    model_guid_compare(&d->updates[h + 1].guid, g) == 0)
		return *hint = h + 1;
	h = detail_find_update(d, g);
	if (h >= 0)
		*hint = h;
	return h;
}

static int update_compare(const void *pa, const void *pb)
{
	const struct detail_update *a = pa, *b = pb;

	return model_guid_compare(&a->guid, &b->guid);
}

static int load_detail_updates(sqlite3 *db, const struct model_server *s, struct server_detail *d)
{
	sqlite3_stmt *st;
	size_t cap = 0, i;
	int rc, sorted = 1;

	if (prepare(db, sql_d_updates, &st))
		return -1;
	sqlite3_bind_int64(st, 1, s->key);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct detail_update *u;

		GROW(d->updates, d->nupdates, cap);
		u = &d->updates[d->nupdates];
		memset(u, 0, sizeof(*u));
		if (model_guid_parse((const char *)sqlite3_column_text(st, 0), &u->guid) != 0)
			continue;
		u->revision = sqlite3_column_int(st, 1);
		u->declined = sqlite3_column_int(st, 2) != 0;
		u->state = col_int(st, 3);
		if (d->nupdates &&
		    model_guid_compare(&d->updates[d->nupdates - 1].guid, &u->guid) >= 0)
			sorted = 0;
		d->nupdates++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return step_error(db, "updates", s->name);
	/* text order is byte order for canonical upper-case GUIDs; sort if the data was not */
	if (!sorted)
		qsort(d->updates, d->nupdates, sizeof(*d->updates), update_compare);
	for (i = 0; i < d->nupdates; i++)
		d->updates[i].nappr = 0;
	return 0;
}

static int load_detail_languages(sqlite3 *db, const struct model_server *s,
				 struct server_detail *d)
{
	sqlite3_stmt *st;
	struct pair *p = NULL;
	size_t n = 0, cap = 0;
	long hint = -1;
	int rc;

	if (prepare(db, sql_d_languages, &st))
		return -1;
	sqlite3_bind_int64(st, 1, s->key);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct model_guid g;
		long u;

		if (model_guid_parse((const char *)sqlite3_column_text(st, 0), &g) != 0 ||
		    (u = find_update_near(d, &g, &hint)) < 0)
			continue;
		GROW(p, n, cap);
		p[n].update = (uint32_t)u;
		p[n].value = sqlite3_column_int(st, 1);
		n++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(p);
		return step_error(db, "update languages", s->name);
	}
	group_languages(p, n, d);
	free(p);
	return 0;
}

/* Approvals while loading: the group guid is kept until groups are numbered. */
struct raw_approval {
	struct detail_approval a;
	struct model_guid group;
	const char *group_name;
};

static int raw_approval_compare(const void *pa, const void *pb)
{
	const struct raw_approval *a = pa, *b = pb;

	int c;

	if (a->a.update != b->a.update)
		return a->a.update < b->a.update ? -1 : 1;
	if ((c = model_guid_compare(&a->group, &b->group)) != 0)
		return c;
	/* several approvals of one update for one group (revisions, actions): a fixed order,
	 * so what the checks report does not depend on qsort */
	if (a->a.revision != b->a.revision)
		return a->a.revision < b->a.revision ? -1 : 1;
	if (a->a.action != b->a.action)
		return a->a.action < b->a.action ? -1 : 1;
	return (a->a.status > b->a.status) - (a->a.status < b->a.status);
}

static uint32_t group_index(const struct server_detail *d, const struct model_guid *g)
{
	size_t lo = 0, hi = d->ngroups;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = model_guid_compare(&d->groups[mid].guid, g);

		if (c == 0)
			return (uint32_t)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* Numbers the target groups and lays the approvals out per update; r is in
 * raw_approval_compare order. */
static void finish_approvals(struct server_detail *d, struct raw_approval *r, size_t n)
{
	size_t i, ng = 0, gcap = 0;

	/* a server has a handful of target groups: keep them sorted and unique as they come */
	for (i = 0; i < n; i++) {
		size_t lo = 0, hi = ng;

		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (model_guid_compare(&d->groups[mid].guid, &r[i].group) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < ng && model_guid_compare(&d->groups[lo].guid, &r[i].group) == 0)
			continue;
		d->groups = xgrow(d->groups, &gcap, ng + 1, sizeof(*d->groups));
		memmove(&d->groups[lo + 1], &d->groups[lo], (ng - lo) * sizeof(*d->groups));
		d->groups[lo].guid = r[i].group;
		d->groups[lo].name = r[i].group_name;
		ng++;
	}
	d->ngroups = ng;
	d->approvals = xmalloc((n ? n : 1) * sizeof(*d->approvals));
	for (i = 0; i < n; i++) {
		struct detail_update *u = &d->updates[r[i].a.update];

		d->approvals[i] = r[i].a;
		d->approvals[i].group = group_index(d, &r[i].group);
		if (u->nappr == 0)
			u->appr_first = (uint32_t)i;
		u->nappr++;
	}
	d->napprovals = n;
}

static int load_detail_approvals(sqlite3 *db, const struct model_server *s, struct server_detail *d)
{
	sqlite3_stmt *st;
	struct raw_approval *r = NULL;
	size_t n = 0, cap = 0;
	int rc;

	if (prepare(db, sql_d_approvals, &st))
		return -1;
	sqlite3_bind_int64(st, 1, s->key);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct model_guid g;
		long u;

		if (model_guid_parse((const char *)sqlite3_column_text(st, 0), &g) != 0 ||
		    (u = detail_find_update(d, &g)) < 0)
			continue;
		GROW(r, n, cap);
		if (model_guid_parse((const char *)sqlite3_column_text(st, 2), &r[n].group) != 0)
			continue;
		r[n].a.update = (uint32_t)u;
		r[n].a.revision = sqlite3_column_int(st, 1);
		r[n].group_name = col_text(&d->arena, st, 3);
		r[n].a.action = sqlite3_column_int(st, 4);
		r[n].a.status = col_int(st, 5);
		n++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(r);
		return step_error(db, "approvals", s->name);
	}
	if (n > 1)
		qsort(r, n, sizeof(*r), raw_approval_compare);
	finish_approvals(d, r, n);
	free(r);
	return 0;
}

/* Format 2: the server's packs, already in GUID order: decoded, not sorted. */
static int load_packed_updates(sqlite3 *db, const struct model_server *s, struct server_detail *d)
{
	struct pack_view v;
	sqlite3_stmt *st;
	size_t i;
	int sorted = 1;

	if (pack_fetch(db, s->key, PACK_UPDATES, &st, &v) < 0) {
		sqlite3_finalize(st);
		return -1;
	}
	d->updates = xcalloc(v.n ? v.n : 1, sizeof(*d->updates));
	for (i = 0; i < v.n; i++) {
		struct detail_update *u = &d->updates[i];
		struct pack_update p;

		pack_update_get(&v, i, &p);
		memcpy(u->guid.b, p.guid, 16);
		u->revision = p.revision;
		u->declined = p.declined != 0;
		u->state = p.state;
		if (i && model_guid_compare(&d->updates[i - 1].guid, &u->guid) >= 0)
			sorted = 0;
	}
	d->nupdates = v.n;
	sqlite3_finalize(st);
	if (!sorted)
		qsort(d->updates, d->nupdates, sizeof(*d->updates), update_compare);
	return 0;
}

static int load_packed_languages(sqlite3 *db, const struct model_server *s,
				 struct server_detail *d)
{
	struct pack_language_run run;
	struct pack_view v;
	sqlite3_stmt *st;
	size_t u = 0, n = 0;

	if (pack_fetch(db, s->key, PACK_LANGUAGES, &st, &v) < 0) {
		sqlite3_finalize(st);
		return -1;
	}
	d->languages = xmalloc((v.rows ? v.rows : 1) * sizeof(*d->languages));
	memset(&run, 0, sizeof(run));
	while (pack_language_next(&v, &run)) {
		uint32_t k;
		int c = 1;

		/* runs and updates are both in GUID order: a merge */
		while (u < d->nupdates && (c = model_guid_bytes_compare(d->updates[u].guid.b, run.guid)) < 0)
			d->updates[u++].lang_first = (uint32_t)n;
		if (c != 0 || run.count > v.rows - n)
			continue;	/* languages of an update the server does not list */
		d->updates[u].lang_first = (uint32_t)n;
		d->updates[u].nlangs = run.count;
		for (k = 0; k < run.count; k++)
			d->languages[n++] = pack_language_id(&run, k);
		u++;
	}
	for (; u < d->nupdates; u++)
		d->updates[u].lang_first = (uint32_t)n;
	d->nlanguages = n;
	sqlite3_finalize(st);
	return 0;
}

static int load_packed_approvals(sqlite3 *db, const struct model_server *s,
				 struct server_detail *d)
{
	const unsigned char **strings;
	struct raw_approval *r;
	struct pack_view v;
	sqlite3_stmt *st;
	size_t i, n = 0, u = 0;

	if (pack_fetch(db, s->key, PACK_APPROVALS, &st, &v) < 0) {
		sqlite3_finalize(st);
		return -1;
	}
	strings = pack_strings_index(&v);
	r = xmalloc((v.n ? v.n : 1) * sizeof(*r));
	for (i = 0; i < v.n; i++) {
		struct pack_approval a;
		const char *name;
		size_t len;
		int c = 1;

		pack_approval_get(&v, i, &a);
		/* sorted by update GUID like the updates: a merge */
		while (u < d->nupdates && (c = model_guid_bytes_compare(d->updates[u].guid.b, a.update)) < 0)
			u++;
		if (c != 0)
			continue;
		r[n].a.update = (uint32_t)u;
		r[n].a.revision = a.revision;
		r[n].a.action = a.action;
		r[n].a.status = a.status_null ? -1 : a.status;
		memcpy(r[n].group.b, a.group, 16);
		pack_string(&v, strings, a.group_name, &name, &len);
		r[n].group_name = name ? arena_strndup(&d->arena, name, len) : NULL;
		n++;
	}
	sqlite3_finalize(st);
	free(strings);
	finish_approvals(d, r, n);
	free(r);
	return 0;
}

int model_load_detail(const struct model *m, size_t server, struct server_detail *out)
{
	const struct model_server *s;
	sqlite3 *db;

	memset(out, 0, sizeof(*out));
	arena_init(&out->arena);
	out->server = server;
	out->loaded = 1;
	detail_live++;
	if (detail_live > detail_peak)
		detail_peak = detail_live;
	if (server >= m->nservers)
		return log_error("no server %zu in the model", server);
	s = &m->servers[server];
	db = s->db;
	out->key = s->key;
	if (!db || !s->key || s->status != MODEL_SERVER_OK)
		return 0;
	if (s->packed) {
		out->packed = 1;
		if (load_packed_updates(db, s, out) || load_packed_languages(db, s, out) ||
		    load_packed_approvals(db, s, out) || prepare(db, sql_p_text, &out->text_stmt) ||
		    (s->categories_known && prepare(db, sql_p_categories, &out->category_stmt)))
			return -1;
		return 0;
	}
	if (!snapshot_db_has_v1_tables(db))
		return 0;	/* no update rows at all */
	if (load_detail_updates(db, s, out) || load_detail_languages(db, s, out) ||
	    load_detail_approvals(db, s, out) || prepare(db, sql_d_text, &out->text_stmt) ||
	    prepare(db, sql_d_categories, &out->category_stmt))
		return -1;
	return 0;
}

void server_detail_release(struct server_detail *d)
{
	if (!d->loaded)
		return;
	sqlite3_finalize(d->text_stmt);
	sqlite3_finalize(d->category_stmt);
	free(d->updates);
	free(d->languages);
	free(d->approvals);
	free(d->groups);
	arena_release(&d->arena);
	memset(d, 0, sizeof(*d));
	detail_live--;
}
