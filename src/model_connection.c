/* model_connection: each server's connection facts from the snapshot's server_connection. */
#include "model.h"

#include <string.h>

#include "log.h"
#include "snapshot.h"

static const char *text_at(struct arena *a, sqlite3_stmt *st, int i)
{
	return arena_strdup(a, (const char *)sqlite3_column_text(st, i));
}

static int int_at(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? -1 : sqlite3_column_int(st, i);
}

int model_load_connections(sqlite3 *db, struct model *m)
{
	static const char sql[] =
	    "SELECT tds_version, configured_encryption, login_encrypted, session_encrypted, "
	    "server_encryption, cert_verified, hostname_checked, verified_against, auth, source, "
	    "password_exposed FROM server_connection WHERE server_key = ?1";
	sqlite3_stmt *st;
	size_t i;

	/* snapshots written before the table existed have none: no facts, not an error */
	switch (snapshot_db_has_table(db, "server_connection")) {
	case -1:
		return log_error("could not read the snapshot: %s", sqlite3_errmsg(db));
	case 0:
		return 0;
	}
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return log_error("could not read the snapshot's connections: %s", sqlite3_errmsg(db));
	for (i = 0; i < m->nservers; i++) {
		struct model_server *s = &m->servers[i];
		struct report_connection *c;

		if (!s->key)
			continue;
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, s->key);
		if (sqlite3_step(st) != SQLITE_ROW)
			continue;
		c = arena_alloc(&m->arena, sizeof(*c));
		memset(c, 0, sizeof(*c));
		c->tds_version = text_at(&m->arena, st, 0);
		c->configured = text_at(&m->arena, st, 1);
		c->login_encrypted = int_at(st, 2);
		c->session_encrypted = int_at(st, 3);
		c->server_encryption = text_at(&m->arena, st, 4);
		c->cert_verified = int_at(st, 5);
		c->hostname_checked = int_at(st, 6);
		c->verified_against = text_at(&m->arena, st, 7);
		c->auth = text_at(&m->arena, st, 8);
		c->source = text_at(&m->arena, st, 9);
		c->password_exposed = int_at(st, 10);
		s->connection = c;
	}
	sqlite3_finalize(st);
	return 0;
}
