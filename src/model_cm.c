/* model_cm: reads the cm_* tables of one run back into a struct site_db. */
#include "model_cm.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "log.h"
#include "model.h"
#include "xalloc.h"

static const char *col(struct arena *a, sqlite3_stmt *st, int i)
{
	return model_column_text(a, st, i);
}

static void read_prop(struct arena *a, sqlite3_stmt *st, int first, struct site_db_prop *p)
{
	p->name = col(a, st, first);
	p->value1 = col(a, st, first + 1);
	p->value2 = col(a, st, first + 2);
	p->value3_null = sqlite3_column_type(st, first + 3) == SQLITE_NULL;
	p->value3 = sqlite3_column_int64(st, first + 3);
}

static int prepare(sqlite3 *db, const char *sql, long run_id, sqlite3_stmt **st)
{
	if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK)
		return log_error("could not read ConfigMgr's settings from the snapshot: %s",
				 sqlite3_errmsg(db));
	sqlite3_bind_int64(*st, 1, run_id);
	return 0;
}

static int finish(sqlite3 *db, sqlite3_stmt *st, int rc)
{
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return log_error("could not read ConfigMgr's settings from the snapshot: %s",
				 sqlite3_errmsg(db));
	return 0;
}

static struct site_db_sup *sup_for(struct site_db *db, size_t *cap, const char *site,
				   const char *name)
{
	size_t i;

	for (i = 0; i < db->nsups; i++)
		if (strcasecmp(db->sups[i].name, name) == 0 &&
		    strcasecmp(db->sups[i].site, site) == 0)
			return &db->sups[i];
	db->sups = xgrow(db->sups, cap, db->nsups + 1, sizeof(*db->sups));
	memset(&db->sups[db->nsups], 0, sizeof(db->sups[0]));
	db->sups[db->nsups].site = site;
	db->sups[db->nsups].name = name;
	db->sups[db->nsups].internet_enabled = -1;
	db->sups[db->nsups].ssl_state = -1;
	db->sups[db->nsups].has_role = 1;
	return &db->sups[db->nsups++];
}

int model_cm_load(sqlite3 *db, long run_id, struct model_cm **out)
{
	struct model_cm *cm;
	struct arena *a;
	sqlite3_stmt *st;
	size_t sups_cap = 0, comp_cap = 0;
	int rc;

	*out = NULL;
	/* a snapshot written before these tables existed has no ConfigMgr part */
	if (sqlite3_prepare_v2(db,
			       "SELECT sql, database, status, error FROM cm_source WHERE "
			       "run_id = ?1",
			       -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_int64(st, 1, run_id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return 0;
	}
	cm = xcalloc(1, sizeof(*cm));
	arena_init(&cm->db.arena);
	a = &cm->db.arena;
	cm->source = arena_printf(a, "%s/%s", (const char *)sqlite3_column_text(st, 0),
				  (const char *)sqlite3_column_text(st, 1));
	if (strcmp((const char *)sqlite3_column_text(st, 2), "ok") != 0)
		cm->error = col(a, st, 3) ? col(a, st, 3) : "the site database could not be read";
	sqlite3_finalize(st);
	if (prepare(db, "SELECT message FROM cm_gap WHERE run_id = ?1 ORDER BY rowid", run_id, &st))
		goto fail;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		site_db_gap(&cm->db, "%s", (const char *)sqlite3_column_text(st, 0));
	if (finish(db, st, rc))
		goto fail;
	if (prepare(db,
		    "SELECT site_code, server_name, name, value1, value2, value3 FROM "
		    "cm_sup_property WHERE run_id = ?1 ORDER BY rowid",
		    run_id, &st))
		goto fail;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct site_db_sup *s = sup_for(&cm->db, &sups_cap, col(a, st, 0), col(a, st, 1));
		struct site_db_prop *grown = arena_alloc(a, (s->nprops + 1) * sizeof(*grown));

		/* a SUP has a dozen properties: copying on each is cheap */
		if (s->nprops)
			memcpy(grown, s->props, s->nprops * sizeof(*grown));
		memset(&grown[s->nprops], 0, sizeof(*grown));
		read_prop(a, st, 2, &grown[s->nprops]);
		s->props = grown;
		s->nprops++;
	}
	if (finish(db, st, rc))
		goto fail;
	if (prepare(db,
		    "SELECT component, name, value1, value2, value3 FROM cm_component_property "
		    "WHERE run_id = ?1 ORDER BY rowid",
		    run_id, &st))
		goto fail;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct site_db_prop *p;

		cm->db.component = xgrow(cm->db.component, &comp_cap, cm->db.ncomponent + 1,
					 sizeof(*cm->db.component));
		p = &cm->db.component[cm->db.ncomponent++];
		memset(p, 0, sizeof(*p));
		p->component = col(a, st, 0);
		read_prop(a, st, 1, p);
	}
	if (finish(db, st, rc))
		goto fail;
	cm->db.have_props = cm->db.have_component = 1;
	*out = cm;
	return 0;
fail:
	model_cm_free(cm);
	return -1;
}

void model_cm_free(struct model_cm *cm)
{
	if (!cm)
		return;
	site_db_release(&cm->db);
	free(cm);
}

const struct site_db_sup *model_cm_sup(const struct model_cm *cm, const char *name)
{
	size_t i;

	for (i = 0; cm && i < cm->db.nsups; i++)
		if (strcasecmp(cm->db.sups[i].name, name) == 0)
			return &cm->db.sups[i];
	return NULL;
}
