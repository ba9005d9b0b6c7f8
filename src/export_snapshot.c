/* export_snapshot: the server_source row of an imported server. */
#include "export_snapshot.h"

#include <sqlite3.h>

#include "log.h"

struct source_row {
	long long key;
	const char *path;
	const struct export_info *in;
};

static int insert(sqlite3 *db, void *data)
{
	const struct source_row *r = data;
	const char *values[] = {r->path,	 r->in->producer,     r->in->producer_version,
				r->in->host,	 r->in->sql_server_name, r->in->connection,
				r->in->sql_version, r->in->wsus_version, r->in->wsus_port,
				r->in->wsus_ssl, r->in->content_dir};
	sqlite3_stmt *st;
	int i, rc;

	if (sqlite3_prepare_v2(db,
			       "INSERT INTO server_source (server_key, kind, path, producer, "
			       "producer_version, host_fqdn, sql_server_name, connection, "
			       "sql_version, wsus_version, wsus_port, wsus_ssl, content_dir) "
			       "VALUES (?1, 'export', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
			       -1, &st, NULL) != SQLITE_OK)
		return log_error("could not record the source of a server: %s", sqlite3_errmsg(db));
	sqlite3_bind_int64(st, 1, r->key);
	for (i = 0; i < (int)(sizeof(values) / sizeof(values[0])); i++)
		sqlite3_bind_text(st, i + 2, values[i], -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return log_error("could not record the source of a server: %s", sqlite3_errmsg(db));
	return 0;
}

int export_snapshot_record(struct snapshot *s, long long key, const char *path,
			   const struct export_info *in)
{
	struct source_row r = {key, path, in};

	return snapshot_with_db(s, insert, &r);
}
