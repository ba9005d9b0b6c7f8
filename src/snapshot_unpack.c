/* snapshot_unpack: format 2's packs shown as format 1's rows (TEMP tables), for
 * `susaudit snapshot show`, the sqlite3 shell's habits and the tests' byte-for-byte checks. */
#include "snapshot_unpack.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "model.h"
#include "snapshot.h"
#include "snapshot_pack.h"
#include "xalloc.h"

static int fail(sqlite3 *db, const char *what)
{
	return log_error("could not show the snapshot's %s: %s", what, sqlite3_errmsg(db));
}

/* The TEMP copies of format 1's tables (model/snapshot_v1.sql with TEMP). */
static const char temp_schema[] =
    "CREATE TEMP TABLE update_revision (server_key INTEGER NOT NULL, update_guid TEXT NOT NULL,"
    " revision_number INTEGER NOT NULL, declined INTEGER NOT NULL, state INTEGER, title TEXT,"
    " kb TEXT, update_type TEXT, PRIMARY KEY (server_key, update_guid)) WITHOUT ROWID;"
    "CREATE TEMP TABLE update_category (server_key INTEGER NOT NULL, update_guid TEXT NOT NULL,"
    " category_guid TEXT NOT NULL, PRIMARY KEY (server_key, update_guid, category_guid))"
    " WITHOUT ROWID;"
    "CREATE TEMP TABLE update_language (server_key INTEGER NOT NULL, update_guid TEXT NOT NULL,"
    " language_id INTEGER NOT NULL, PRIMARY KEY (server_key, update_guid, language_id))"
    " WITHOUT ROWID;"
    "CREATE TEMP TABLE approval (server_key INTEGER NOT NULL, update_guid TEXT NOT NULL,"
    " revision_number INTEGER NOT NULL, group_guid TEXT NOT NULL, group_name TEXT,"
    " action_id INTEGER NOT NULL, deployment_status INTEGER, deployment_time TEXT,"
    " admin_name TEXT)";

struct unpack {
	sqlite3 *db;
	unsigned want;
	sqlite3_stmt *ins_u, *ins_c, *ins_l, *ins_a, *text, *cats;
};

static void guid_text(const unsigned char *b, char out[37])
{
	struct model_guid g;

	memcpy(g.b, b, 16);
	model_guid_format(&g, out);
}

static int step_reset(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int unpack_updates(struct unpack *u, long long key, int cats_known)
{
	struct pack_view v;
	sqlite3_stmt *st;
	size_t i;
	int rc = 0;

	if (pack_fetch(u->db, key, PACK_UPDATES, &st, &v) < 0) {
		sqlite3_finalize(st);
		return -1;
	}
	for (i = 0; i < v.n && rc == 0; i++) {
		struct pack_update p;
		char g[37];

		pack_update_get(&v, i, &p);
		guid_text(p.guid, g);
		sqlite3_bind_blob(u->text, 1, p.guid, 16, SQLITE_STATIC);
		sqlite3_bind_int(u->text, 2, p.revision);
		sqlite3_bind_int64(u->text, 3, key);
		sqlite3_bind_int64(u->ins_u, 1, key);
		sqlite3_bind_text(u->ins_u, 2, g, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(u->ins_u, 3, p.revision);
		sqlite3_bind_int(u->ins_u, 4, p.declined);
		if (!p.state_null)
			sqlite3_bind_int(u->ins_u, 5, p.state);
		if (sqlite3_step(u->text) == SQLITE_ROW) {
			int c;

			for (c = 0; c < 3; c++)
				if (sqlite3_column_type(u->text, c) != SQLITE_NULL)
					sqlite3_bind_text(
					    u->ins_u, 6 + c,
					    (const char *)sqlite3_column_text(u->text, c),
					    sqlite3_column_bytes(u->text, c), SQLITE_TRANSIENT);
			if (cats_known && (u->want & 1u << SNAP_UPDATE_CATEGORY)) {
				const unsigned char *b = sqlite3_column_blob(u->text, 3);
				size_t k, len = (size_t)sqlite3_column_bytes(u->text, 3);

				for (k = 0; b && k + 16 <= len && rc == 0; k += 16) {
					char c16[37];

					guid_text(b + k, c16);
					sqlite3_bind_int64(u->ins_c, 1, key);
					sqlite3_bind_text(u->ins_c, 2, g, -1, SQLITE_TRANSIENT);
					sqlite3_bind_text(u->ins_c, 3, c16, -1, SQLITE_TRANSIENT);
					rc = step_reset(u->ins_c);
				}
			}
		}
		sqlite3_reset(u->text);
		if (rc == 0 && (u->want & 1u << SNAP_UPDATE_REVISION))
			rc = step_reset(u->ins_u);
		else
			sqlite3_clear_bindings(u->ins_u);
	}
	sqlite3_finalize(st);
	return rc;
}

static int unpack_categories(struct unpack *u, long long key)
{
	struct pack_view v;
	sqlite3_stmt *st;
	size_t i;
	int rc = 0;

	if (pack_fetch(u->db, key, PACK_CATEGORIES, &st, &v) < 0) {
		sqlite3_finalize(st);
		return -1;
	}
	for (i = 0; i < v.n && rc == 0; i++) {
		const unsigned char *up, *cp;
		char g[37], c[37];

		pack_category_get(&v, i, &up, &cp);
		guid_text(up, g);
		guid_text(cp, c);
		sqlite3_bind_int64(u->ins_c, 1, key);
		sqlite3_bind_text(u->ins_c, 2, g, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(u->ins_c, 3, c, -1, SQLITE_TRANSIENT);
		rc = step_reset(u->ins_c);
	}
	sqlite3_finalize(st);
	return rc;
}

static int unpack_languages(struct unpack *u, long long key)
{
	struct pack_language_run run;
	struct pack_view v;
	sqlite3_stmt *st;
	int rc = 0;

	if (pack_fetch(u->db, key, PACK_LANGUAGES, &st, &v) < 0) {
		sqlite3_finalize(st);
		return -1;
	}
	memset(&run, 0, sizeof(run));
	while (rc == 0 && pack_language_next(&v, &run)) {
		char g[37];
		uint32_t k;

		guid_text(run.guid, g);
		for (k = 0; k < run.count && rc == 0; k++) {
			sqlite3_bind_int64(u->ins_l, 1, key);
			sqlite3_bind_text(u->ins_l, 2, g, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int(u->ins_l, 3, pack_language_id(&run, k));
			rc = step_reset(u->ins_l);
		}
	}
	sqlite3_finalize(st);
	return rc;
}

static void bind_string(sqlite3_stmt *st, int col, const struct pack_view *v,
			const unsigned char **index, uint32_t n)
{
	const char *s;
	size_t len;

	pack_string(v, index, n, &s, &len);
	if (s)
		sqlite3_bind_text(st, col, s, (int)len, SQLITE_TRANSIENT);
}

static int unpack_approvals(struct unpack *u, long long key)
{
	const unsigned char **index;
	struct pack_view v;
	sqlite3_stmt *st;
	size_t i;
	int rc = 0;

	if (pack_fetch(u->db, key, PACK_APPROVALS, &st, &v) < 0) {
		sqlite3_finalize(st);
		return -1;
	}
	index = pack_strings_index(&v);
	for (i = 0; i < v.n && rc == 0; i++) {
		struct pack_approval a;
		char g[37], grp[37];

		pack_approval_get(&v, i, &a);
		guid_text(a.update, g);
		guid_text(a.group, grp);
		sqlite3_bind_int64(u->ins_a, 1, key);
		sqlite3_bind_text(u->ins_a, 2, g, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(u->ins_a, 3, a.revision);
		sqlite3_bind_text(u->ins_a, 4, grp, -1, SQLITE_TRANSIENT);
		bind_string(u->ins_a, 5, &v, index, a.group_name);
		sqlite3_bind_int(u->ins_a, 6, a.action);
		if (!a.status_null)
			sqlite3_bind_int(u->ins_a, 7, a.status);
		bind_string(u->ins_a, 8, &v, index, a.time);
		bind_string(u->ins_a, 9, &v, index, a.admin);
		rc = step_reset(u->ins_a);
	}
	free(index);
	sqlite3_finalize(st);
	return rc;
}

int snapshot_unpack_temp(sqlite3 *db)
{
	return snapshot_unpack_temp_tables(db,
					   1u << SNAP_UPDATE_REVISION | 1u << SNAP_UPDATE_CATEGORY |
					       1u << SNAP_UPDATE_LANGUAGE | 1u << SNAP_APPROVAL);
}

int snapshot_unpack_temp_tables(sqlite3 *db, unsigned tables)
{
	struct unpack u;
	sqlite3_stmt *st = NULL;
	int rc = 0, step = SQLITE_DONE;

	memset(&u, 0, sizeof(u));
	u.db = db;
	u.want = tables;
	if (sqlite3_exec(db, temp_schema, NULL, NULL, NULL) != SQLITE_OK)
		return fail(db, "rows (TEMP tables)");
	if (snapshot_db_has_table(db, "update_counts") != 1)
		goto v1; /* a format-1 file opened read-only: no format-2 tables */
	if (sqlite3_prepare_v2(db,
			       "INSERT OR IGNORE INTO temp.update_revision VALUES (?1, ?2, ?3,"
			       " ?4, ?5, ?6, ?7, ?8)",
			       -1, &u.ins_u, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO temp.update_category VALUES (?1, ?2, ?3)",
			       -1, &u.ins_c, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO temp.update_language VALUES (?1, ?2, ?3)",
			       -1, &u.ins_l, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db,
			       "INSERT INTO temp.approval VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
			       " ?8, ?9)",
			       -1, &u.ins_a, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db,
			       "SELECT title, kb, update_type, categories FROM main.update_text"
			       " WHERE server_key = ?3 AND update_guid = ?1 UNION ALL SELECT title,"
			       " kb, update_type, categories FROM main.catalogue_update WHERE"
			       " update_guid = ?1 AND revision_number = ?2 LIMIT 1",
			       -1, &u.text, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db,
			       "SELECT server_key, categories_known FROM main.update_counts"
			       " ORDER BY server_key",
			       -1, &st, NULL) != SQLITE_OK) {
		rc = fail(db, "rows");
		goto out;
	}
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
		long long key = sqlite3_column_int64(st, 0);

		if (((u.want & (1u << SNAP_UPDATE_REVISION | 1u << SNAP_UPDATE_CATEGORY)) &&
		     unpack_updates(&u, key, sqlite3_column_int(st, 1)) < 0) ||
		    ((u.want & 1u << SNAP_UPDATE_CATEGORY) && unpack_categories(&u, key) < 0) ||
		    ((u.want & 1u << SNAP_UPDATE_LANGUAGE) && unpack_languages(&u, key) < 0) ||
		    ((u.want & 1u << SNAP_APPROVAL) && unpack_approvals(&u, key) < 0))
			rc = fail(db, "rows");
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = fail(db, "servers");
v1:
	if (rc == 0 && snapshot_db_has_v1_tables(db) &&
	    sqlite3_exec(
		db,
		"INSERT OR IGNORE INTO temp.update_revision SELECT * FROM"
		" main.update_revision; INSERT OR IGNORE INTO temp.update_category SELECT *"
		" FROM main.update_category; INSERT OR IGNORE INTO temp.update_language"
		" SELECT * FROM main.update_language; INSERT INTO temp.approval SELECT *"
		" FROM main.approval",
		NULL, NULL, NULL) != SQLITE_OK)
		rc = fail(db, "format-1 rows");
out:
	sqlite3_finalize(st);
	sqlite3_finalize(u.ins_u);
	sqlite3_finalize(u.ins_c);
	sqlite3_finalize(u.ins_l);
	sqlite3_finalize(u.ins_a);
	sqlite3_finalize(u.text);
	return rc;
}
