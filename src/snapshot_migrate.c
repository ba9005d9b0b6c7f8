/* snapshot_migrate: format 1 -> format 2 in place, through the same pack builder as collect. */
#include "snapshot.h"

#include <string.h>

#include "log.h"
#include "snapshot_pack.h"

int snapshot_db_format(sqlite3 *db)
{
	sqlite3_stmt *st;
	int format = 0;

	if (sqlite3_prepare_v2(db, "SELECT value FROM snapshot_meta WHERE key = 'format'", -1, &st,
			       NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(st, 0);

		if (v && strcmp(v, "susaudit-snapshot/1") == 0)
			format = 1;
		else if (v && strcmp(v, "susaudit-snapshot/2") == 0)
			format = 2;
	}
	sqlite3_finalize(st);
	return format;
}

/* The format-1 tables, their columns in the collector's order. */
static const struct {
	enum snapshot_table table;
	const char *sql;
	int ncolumns;
} v1_tables[] = {
    {SNAP_UPDATE_REVISION,
     "SELECT update_guid, revision_number, declined, state, title, kb, update_type FROM"
     " update_revision WHERE server_key = ?1",
     7},
    {SNAP_UPDATE_CATEGORY,
     "SELECT update_guid, category_guid FROM update_category WHERE server_key = ?1", 2},
    {SNAP_UPDATE_LANGUAGE,
     "SELECT update_guid, language_id FROM update_language WHERE server_key = ?1", 2},
    {SNAP_APPROVAL,
     "SELECT update_guid, revision_number, group_guid, group_name, action_id,"
     " deployment_status, deployment_time, admin_name FROM approval WHERE server_key = ?1"
     " ORDER BY rowid",
     8},
};

static int fail(sqlite3 *db, const char *path, const char *what)
{
	return log_error("could not migrate '%s' to snapshot format 2: could not %s: %s", path,
			 what, sqlite3_errmsg(db));
}

/* Feeds one server's format-1 rows of one table to the builder. */
static int feed(sqlite3 *db, const char *path, size_t t, long long key, struct pack_builder *b)
{
	struct db_value v[8];
	sqlite3_stmt *st;
	int rc, i;

	if (sqlite3_prepare_v2(db, v1_tables[t].sql, -1, &st, NULL) != SQLITE_OK)
		return fail(db, path, "read a format-1 table");
	sqlite3_bind_int64(st, 1, key);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(v, 0, sizeof(v));
		for (i = 0; i < v1_tables[t].ncolumns; i++) {
			int type = sqlite3_column_type(st, i);

			v[i].is_null = type == SQLITE_NULL;
			if (type == SQLITE_INTEGER || type == SQLITE_FLOAT) {
				v[i].integer = sqlite3_column_int64(st, i);
			} else if (type != SQLITE_NULL) {
				v[i].text = (const char *)sqlite3_column_text(st, i);
				v[i].len = (size_t)sqlite3_column_bytes(st, i);
			}
		}
		pack_builder_add(b, v1_tables[t].table, v, (size_t)v1_tables[t].ncolumns);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : fail(db, path, "read a format-1 table");
}

static int migrate_servers(sqlite3 *db, const char *path)
{
	struct pack_catalogue *cat = pack_catalogue_load(db, path);
	sqlite3_stmt *st;
	int rc, ret = 0;

	if (!cat)
		return -1;
	if (sqlite3_prepare_v2(
		db,
		"SELECT server_key FROM server WHERE status = 'ok' AND server_key NOT"
		" IN (SELECT server_key FROM update_counts) ORDER BY server_key",
		-1, &st, NULL) != SQLITE_OK) {
		pack_catalogue_free(cat);
		return fail(db, path, "list its servers");
	}
	while (ret == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		long long key = sqlite3_column_int64(st, 0);
		struct pack_builder *b = pack_builder_new(key);
		size_t t;

		for (t = 0; ret == 0 && t < sizeof(v1_tables) / sizeof(v1_tables[0]); t++)
			ret = feed(db, path, t, key, b);
		if (ret == 0)
			ret = pack_builder_write(b, db, cat, path);
		pack_builder_free(b);
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = fail(db, path, "list its servers");
	sqlite3_finalize(st);
	pack_catalogue_free(cat);
	return ret;
}

int snapshot_migrate(sqlite3 *db, const char *path)
{
	if (snapshot_db_format(db) != 1)
		return 0;
	log_info("migrating '%s' to snapshot format 2 (once)", path);
	/* one transaction: a kill before COMMIT leaves format 1 as it was (WAL) */
	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return fail(db, path, "start the migration");
	if (migrate_servers(db, path) < 0) {
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	if (sqlite3_exec(db,
			 "DROP TABLE IF EXISTS update_revision; DROP TABLE IF EXISTS"
			 " update_category; DROP TABLE IF EXISTS update_language; DROP TABLE IF"
			 " EXISTS approval; UPDATE snapshot_meta SET value = 'susaudit-snapshot/2'"
			 " WHERE key = 'format'; COMMIT",
			 NULL, NULL, NULL) != SQLITE_OK) {
		fail(db, path, "finish");
		if (!sqlite3_get_autocommit(db))
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	/* the format-1 rows were most of the file: give the space back (atomic too) */
	if (sqlite3_exec(db, "VACUUM", NULL, NULL, NULL) != SQLITE_OK)
		log_warning("could not VACUUM '%s' after its migration: %s", path,
			    sqlite3_errmsg(db));
	return 0;
}
