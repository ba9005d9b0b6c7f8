/* model_health: the maintenance health facts of a server (issue 16), from the snapshot's
 * health_* tables, and the tier order in which a hierarchy is maintained. */
#include "model.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "snapshot.h"
#include "xalloc.h"

static const char *text_at(struct arena *a, sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t ? arena_strdup(a, (const char *)t) : NULL;
}

static long long int_at(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, i);
}

/* One server's load: where rows go and the capacities of the growing arrays. */
struct load {
	struct model *m;
	struct model_server *s;
	size_t cap_oldest, cap_indexes, cap_fragments, cap_ages, cap_unavailable;
};

/* Runs sql bound with ?1 = the server's key, calling row() for each row. */
static int each_row(sqlite3 *db, struct load *l, const char *sql,
		    void (*row)(struct load *l, sqlite3_stmt *st))
{
	struct model_server *s = l->s;
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return log_error("snapshot: could not read the maintenance facts of '%s': %s",
				 s->name, sqlite3_errmsg(db));
	sqlite3_bind_int64(st, 1, s->key);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		row(l, st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return log_error("snapshot: could not read the maintenance facts of '%s': %s",
				 s->name, sqlite3_errmsg(db));
	return 0;
}

/* Appends one element to a growing arena-less array (moved into the arena at the end). */
#define PUSH(arr, n, cap) ((arr) = xgrow((arr), &(cap), (n) + 1, sizeof(*(arr))), &(arr)[(n)++])


static void row_superseded(struct load *l, sqlite3_stmt *st)
{
	struct model *m = l->m;
	struct model_server *s = l->s;

	s->health.have_superseded = 1;
	s->health.superseded = int_at(st, 0);
	s->health.oldest_superseded = text_at(&m->arena, st, 1);
}

static void row_oldest(struct load *l, sqlite3_stmt *st)
{
	struct model *m = l->m;
	struct model_server *s = l->s;

	struct model_health_update *u =
	    PUSH(s->health.oldest, s->health.noldest, l->cap_oldest);

	/* the catalogue's texts, the same on every server that has the update */
	u->guid = model_shared_text(m, st, 0);
	u->created = model_shared_text(m, st, 1);
	u->title = model_shared_text(m, st, 2);
	u->kb = model_shared_text(m, st, 3);
}

static void row_index(struct load *l, sqlite3_stmt *st)
{
	struct model *m = l->m;
	struct model_server *s = l->s;

	struct model_health_index *x =
	    PUSH(s->health.indexes, s->health.nindexes, l->cap_indexes);

	x->table = model_shared_text(m, st, 0);
	x->name = model_shared_text(m, st, 1);
	x->first_column = model_shared_text(m, st, 2);
}

static void row_fragment(struct load *l, sqlite3_stmt *st)
{
	struct model *m = l->m;
	struct model_server *s = l->s;

	struct model_health_fragment *f =
	    PUSH(s->health.fragments, s->health.nfragments, l->cap_fragments);

	f->table = text_at(&m->arena, st, 0);
	f->name = text_at(&m->arena, st, 1);
	f->pages = int_at(st, 2);
	f->fragmentation_x100 = int_at(st, 3);
}

static void row_size(struct load *l, sqlite3_stmt *st)
{
	struct model *m = l->m;
	struct model_server *s = l->s;

	(void)m;
	s->health.have_size = 1;
	s->health.data_kb = int_at(st, 0);
	s->health.log_kb = int_at(st, 1);
	s->health.engine_edition = (int)int_at(st, 2);
}

static void row_table(struct load *l, sqlite3_stmt *st)
{
	struct model *m = l->m;
	struct model_server *s = l->s;

	const char *name = (const char *)sqlite3_column_text(st, 0);
	long long rows = int_at(st, 1);

	(void)m;
	if (!name)
		return;
	if (strcmp(name, "tbEventInstance") == 0)
		s->health.event_rows = rows;
	else if (strcmp(name, "tbRevision") == 0)
		s->health.revision_rows = rows;
	else if (strcmp(name, "tbComputerTarget") == 0)
		s->health.computer_rows = rows;
}

static void row_age(struct load *l, sqlite3_stmt *st)
{
	struct model *m = l->m;
	struct model_server *s = l->s;

	struct model_health_client_age *c =
	    PUSH(s->health.client_ages, s->health.nclient_ages, l->cap_ages);

	(void)m;
	c->age_days = (int)int_at(st, 0);
	c->clients = int_at(st, 1);
}

static void row_state(struct load *l, sqlite3_stmt *st)
{
	struct model *m = l->m;
	struct model_server *s = l->s;

	s->health.have_state = 1;
	s->health.db_state = text_at(&m->arena, st, 0);
	s->health.db_user_access = text_at(&m->arena, st, 1);
	s->health.db_owner = text_at(&m->arena, st, 2);
	s->health.db_owner_sid_set = (int)int_at(st, 3);
}

static void row_unavailable(struct load *l, sqlite3_stmt *st)
{
	struct model *m = l->m;
	struct model_server *s = l->s;

	struct model_health_unavailable *u =
	    PUSH(s->health.unavailable, s->health.nunavailable, l->cap_unavailable);

	u->query = text_at(&m->arena, st, 0);
	u->reason = text_at(&m->arena, st, 1);
	u->error = text_at(&m->arena, st, 2);
}

/* Moves a malloc'd array into the model's arena. */
static void *keep(struct model *m, void *v, size_t n, size_t size)
{
	void *copy = n ? arena_memdup(&m->arena, v, n * size) : NULL;

	free(v);
	return copy;
}

int model_load_health(sqlite3 *db, struct model *m, struct model_server *s)
{
	static const struct {
		const char *sql;
		void (*row)(struct load *, sqlite3_stmt *);
	} reads[] = {
	    {"SELECT superseded, oldest_creation FROM health_superseded WHERE server_key = ?1",
	     row_superseded},
	    {"SELECT update_guid, creation_date, title, kb FROM health_superseded_update"
	     " WHERE server_key = ?1 ORDER BY creation_date, update_guid",
	     row_oldest},
	    {"SELECT table_name, index_name, first_column FROM health_index WHERE server_key = ?1"
	     " ORDER BY table_name, index_name",
	     row_index},
	    {"SELECT table_name, index_name, page_count, fragmentation_x100 FROM"
	     " health_fragmentation WHERE server_key = ?1"
	     " ORDER BY fragmentation_x100 DESC, page_count DESC, table_name, index_name",
	     row_fragment},
	    {"SELECT data_kb, log_kb, engine_edition FROM health_database_size"
	     " WHERE server_key = ?1",
	     row_size},
	    {"SELECT table_name, row_count FROM health_table_rows WHERE server_key = ?1",
	     row_table},
	    {"SELECT age_days, clients FROM health_client_age WHERE server_key = ?1"
	     " ORDER BY age_days",
	     row_age},
	    {"SELECT state, user_access, owner_name, owner_sid_set FROM health_database_state"
	     " WHERE server_key = ?1",
	     row_state},
	    {"SELECT query_name, reason, error FROM health_unavailable WHERE server_key = ?1"
	     " ORDER BY rowid",
	     row_unavailable},
	};
	struct model_health *h = &s->health;
	struct load l;
	size_t i;

	memset(&l, 0, sizeof(l));
	l.m = m;
	l.s = s;
	memset(h, 0, sizeof(*h));
	h->superseded = h->data_kb = h->log_kb = -1;
	h->event_rows = h->revision_rows = h->computer_rows = -1;
	h->engine_edition = h->db_owner_sid_set = -1;
	/* a snapshot written before the health tables has none: no facts, not an error */
	if (snapshot_db_has_table(db, "health_unavailable") != 1)
		return 0;
	for (i = 0; i < sizeof(reads) / sizeof(reads[0]); i++)
		if (each_row(db, &l, reads[i].sql, reads[i].row))
			return -1;
	h->oldest = keep(m, h->oldest, h->noldest, sizeof(*h->oldest));
	h->indexes = keep(m, h->indexes, h->nindexes, sizeof(*h->indexes));
	h->fragments = keep(m, h->fragments, h->nfragments, sizeof(*h->fragments));
	h->client_ages = keep(m, h->client_ages, h->nclient_ages, sizeof(*h->client_ages));
	h->unavailable = keep(m, h->unavailable, h->nunavailable, sizeof(*h->unavailable));
	/* the one-row queries always leave a row when they ran: a server without any came
	 * from a collector that did not read maintenance facts */
	h->collected = h->have_superseded || h->have_size || h->have_state || h->nunavailable;
	return 0;
}

const struct model_health_unavailable *model_health_unavailable(const struct model_server *s,
								 const char *query)
{
	size_t i;

	for (i = 0; i < s->health.nunavailable; i++)
		if (s->health.unavailable[i].query && strcmp(s->health.unavailable[i].query, query) == 0)
			return &s->health.unavailable[i];
	return NULL;
}

/* The server s syncs from: its configured upstream when it was read, else the upstream its
 * role requires in the hierarchy file; -1 at the top. */
static int upstream_of(const struct model *m, size_t s)
{
	const struct model_server *ms = &m->servers[s];

	if (model_server_readable(ms) && ms->config.present)
		return ms->config.sync_to_mu == 0 ? ms->upstream : -1;
	if (ms->entry && ms->entry->expected_upstream >= 0 &&
	    (size_t)ms->entry->expected_upstream < m->nservers)
		return ms->entry->expected_upstream;
	return -1;
}

int model_health_depths(const struct model *m, int *depth)
{
	size_t i;
	int deepest = 0;

	for (i = 0; i < m->nservers; i++) {
		size_t steps = 0;
		int u = upstream_of(m, i);

		/* walk up; more steps than servers means a loop */
		while (u >= 0 && (size_t)u != i && steps <= m->nservers) {
			steps++;
			u = upstream_of(m, (size_t)u);
		}
		depth[i] = u < 0 ? (int)steps : -1;
		if (depth[i] > deepest)
			deepest = depth[i];
	}
	return deepest;
}
