/* collect_cm: one connection to the site database per run, its rows into the cm_* tables. */
#include "collect_cm.h"

#include <stdlib.h>
#include <string.h>

#include "dbsource.h"
#include "log.h"
#include "site_db.h"
#include "xalloc.h"

static const char session_setup[] = "SET NOCOUNT ON; SET LOCK_TIMEOUT 30000; "
				    "SET DEADLOCK_PRIORITY LOW; "
				    "SET TRANSACTION ISOLATION LEVEL READ UNCOMMITTED";

static int exec_insert(sqlite3 *db, const char *sql, sqlite3_stmt **st)
{
	if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK)
		return log_error("could not store ConfigMgr's settings: %s", sqlite3_errmsg(db));
	return 0;
}

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

static int step(sqlite3 *db, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return log_error("could not store ConfigMgr's settings: %s", sqlite3_errmsg(db));
	return 0;
}

static void bind_prop(sqlite3_stmt *st, int first, const struct site_db_prop *p)
{
	bind_text(st, first, p->name);
	bind_text(st, first + 1, p->value1);
	bind_text(st, first + 2, p->value2);
	if (p->value3_null)
		sqlite3_bind_null(st, first + 3);
	else
		sqlite3_bind_int64(st, first + 3, p->value3);
}

static int store(sqlite3 *db, long long run_id, const struct connection_settings *cs,
		 const struct site_db *sdb, const char *error)
{
	sqlite3_stmt *st = NULL;
	size_t i, k;
	int rc = 0;

	if (exec_insert(db,
			"INSERT INTO cm_source (run_id, sql, database, status, error) "
			"VALUES (?1, ?2, ?3, ?4, ?5)",
			&st))
		return -1;
	sqlite3_bind_int64(st, 1, run_id);
	bind_text(st, 2, cs->sql);
	bind_text(st, 3, cs->database);
	bind_text(st, 4, error ? "failed" : "ok");
	bind_text(st, 5, error);
	rc = step(db, st);
	sqlite3_finalize(st);
	if (rc || error)
		return rc;
	if (exec_insert(db, "INSERT INTO cm_gap (run_id, message) VALUES (?1, ?2)", &st))
		return -1;
	for (i = 0; i < sdb->ngaps && !rc; i++) {
		sqlite3_bind_int64(st, 1, run_id);
		bind_text(st, 2, sdb->gaps[i]);
		rc = step(db, st);
	}
	sqlite3_finalize(st);
	if (rc || exec_insert(db,
			      "INSERT INTO cm_sup_property (run_id, site_code, server_name, "
			      "name, value1, value2, value3) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
			      &st))
		return -1;
	for (i = 0; i < sdb->nsups && !rc; i++)
		for (k = 0; k < sdb->sups[i].nprops && !rc; k++) {
			sqlite3_bind_int64(st, 1, run_id);
			bind_text(st, 2, sdb->sups[i].site);
			bind_text(st, 3, sdb->sups[i].name);
			bind_prop(st, 4, &sdb->sups[i].props[k]);
			rc = step(db, st);
		}
	sqlite3_finalize(st);
	if (rc || exec_insert(db,
			      "INSERT INTO cm_component_property (run_id, component, name, "
			      "value1, value2, value3) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
			      &st))
		return -1;
	for (i = 0; i < sdb->ncomponent && !rc; i++) {
		sqlite3_bind_int64(st, 1, run_id);
		bind_text(st, 2, sdb->component[i].component);
		bind_prop(st, 3, &sdb->component[i]);
		rc = step(db, st);
	}
	sqlite3_finalize(st);
	return rc;
}

int collect_cm_run(const struct hierarchy *h, sqlite3 *db, long long run_id)
{
	const struct connection_settings *cs = &h->configmgr;
	struct server login;
	struct site_db sdb;
	struct db_conn *conn = NULL;
	char *password = NULL, *error = NULL, *label;
	int rc;

	if (!h->configmgr_line)
		return 0;
	memset(&login, 0, sizeof(login));
	memset(&sdb, 0, sizeof(sdb));
	arena_init(&sdb.arena);
	login.name = "the site database";
	login.conn = *cs;
	label = xasprintf("%s/%s", cs->sql, cs->database);
	if (hierarchy_read_password(&login, &password) < 0) {
		error = xasprintf("could not read the password for the site database '%s' (see the "
				  "message above)",
				  label);
	} else {
		struct db_target t = {
		    label,	 cs->sql,	    cs->database,      cs->user,
		    password,	 cs->encryption,    cs->login_timeout, cs->query_timeout,
		    cs->ca_file, cs->check_hostname};
		enum db_status st = db_connect(&t, &conn, &error);

		if (password) {
			xwipe(password, strlen(password));
			free(password);
		}
		if (st == DB_OK)
			st = db_exec(conn, "session setup", session_setup, NULL, &error);
		if (st == DB_OK && site_db_read_intent(conn, &sdb, &error) < 0 && !error)
			error = xstrdup("could not read the site database");
		db_close(conn);
	}
	if (error)
		log_warning("ConfigMgr's settings were not read: %s", error);
	rc = store(db, run_id, cs, &sdb, error);
	site_db_release(&sdb);
	free(error);
	free(label);
	return rc;
}
