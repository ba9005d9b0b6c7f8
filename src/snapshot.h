/* snapshot: writes collection runs into the SQLite snapshot (model/snapshot.sql). */
#ifndef SUSAUDIT_SNAPSHOT_H
#define SUSAUDIT_SNAPSHOT_H

#include <sqlite3.h>

#include "dbsource.h"
#include "hierarchy.h"

/* The tables a server's facts go to; each matches one collector query. */
enum snapshot_table {
	SNAP_SCHEMA_VERSION,
	SNAP_CONFIGURATION,
	SNAP_LANGUAGE,
	SNAP_CATEGORY,
	SNAP_UPDATE_REVISION,
	SNAP_UPDATE_CATEGORY,
	SNAP_UPDATE_LANGUAGE,
	SNAP_APPROVAL,
	SNAP_DOWNLOAD_QUEUE,
	SNAP_SYNC_EVENT,
	SNAP_DOWNSTREAM_SERVER,
	/* maintenance health (issue 16) */
	SNAP_HEALTH_SUPERSEDED,
	SNAP_HEALTH_SUPERSEDED_UPDATE,
	SNAP_HEALTH_INDEX,
	SNAP_HEALTH_FRAGMENTATION,
	SNAP_HEALTH_DATABASE_SIZE,
	SNAP_HEALTH_TABLE_ROWS,
	SNAP_HEALTH_CLIENT_AGE,
	SNAP_HEALTH_DATABASE_STATE,
	SNAP_HEALTH_UNAVAILABLE,	/* query_name, reason, error: written by the collector */
	SNAP_TABLE_COUNT
};

struct snapshot;

/* Opens (creating when missing) a snapshot in WAL mode with the schema applied.
 * Returns 0 or -1 after logging; the caller closes it with snapshot_close(). */
int snapshot_open(const char *path, struct snapshot **out);
void snapshot_close(struct snapshot *s);
/* Whether an open database may become or already is a snapshot (or a store): empty, or
 * holding snapshot_meta. A database of anything else is refused before anything is written
 * to it; `what` names the expected kind in the message. Returns 0 or -1 (logged). */
int snapshot_db_check_ours(sqlite3 *db, const char *path, const char *what);

/* Whether an open database holds a snapshot of the format this version reads ('format' in
 * snapshot_meta); names a database without snapshot_meta as not a snapshot. 0 or -1 (logged). */
int snapshot_db_check_format(sqlite3 *db, const char *path);
sqlite3 *snapshot_db(struct snapshot *s);

/* Brings a format-1 file (snapshot or store) to format 2 in place, in one transaction: each
 * server's update rows become packs and catalogue entries, the format-1 update tables are
 * dropped, the format mark becomes 2, then VACUUM returns the space. Nothing to do for a
 * format-2 file. Killed at any moment, the file is format 1 or 2, whole. 0 or -1 (logged). */
int snapshot_migrate(sqlite3 *db, const char *path);
/* The format of an open snapshot (1 or 2), or 0 when it has no format mark. */
int snapshot_db_format(sqlite3 *db);
/* Added: 1 when the file's main schema has a table of that name, 0 when not, -1 when it
 * cannot be read. */
int snapshot_db_has_table(sqlite3 *db, const char *name);
/* Added: whether it has format 1's four update tables (a format-1 file not yet migrated);
 * a file that cannot be read has not. */
int snapshot_db_has_v1_tables(sqlite3 *db);

/* Starts a run: everything until snapshot_run_finish() is one transaction, so an
 * interrupted collection leaves no trace. Fills *run_id. */
int snapshot_run_begin(struct snapshot *s, const struct hierarchy *h, long long *run_id);
/* Stamps the run finished and commits. */
int snapshot_run_finish(struct snapshot *s, long long run_id);
/* Rolls the whole run back. */
void snapshot_run_abort(struct snapshot *s);

/* Adds a server row (provisionally 'ok') and returns its key in *key. Thread-safe. */
int snapshot_server_add(struct snapshot *s, long long run_id, const char *name, long long *key);
/* Inserts one row of `table` for the server; values are in the table's column order
 * (without server_key), matching the collector query of that table. Thread-safe. */
int snapshot_insert(struct snapshot *s, enum snapshot_table table, long long key,
		    const struct db_value *values, size_t nvalues);
/* Deletes the server's rows of one table (before a query is retried). */
int snapshot_clear_table(struct snapshot *s, enum snapshot_table table, long long key);
int snapshot_missing_column(struct snapshot *s, long long key, const char *table,
			    const char *column);
/* Records the server as complete. */
int snapshot_server_done(struct snapshot *s, long long key, long long rows,
			 const char *started_at, const char *finished_at);
/* Why the collector could not read a server. The snapshot stores the kind in the column
 * server.failure_check under its historical values (the names of the checks that report each
 * kind), so old snapshots read the same. */
enum snapshot_failure {
	SNAP_FAILURE_UNREACHABLE,	/* connection, login, timeout, a query failed */
	SNAP_FAILURE_SCHEMA		/* SUSDB lacks what a required query needs */
};

/* The failure_check value of a kind: "server-unreachable" or "schema-unsupported". */
const char *snapshot_failure_name(enum snapshot_failure kind);
/* 1 when a failure_check value (NULL allowed) is the schema kind, else 0 (unreachable). */
int snapshot_failure_is_schema(const char *failure_check);

/* Removes every fact of the server and records why it failed: nothing partial remains. */
int snapshot_server_fail(struct snapshot *s, long long key, enum snapshot_failure kind,
			 const char *error, const char *started_at, const char *finished_at);

/* Name of a snapshot table, e.g. "update_revision". */
const char *snapshot_table_name(enum snapshot_table t);

/* Writes the current UTC time as '2026-11-22T03:00:00.000Z' into buf (at least 25 bytes). */
void snapshot_now(char *buf, size_t size);

struct db_conn_facts;

/* Added: records how the server's connection crossed the network (table server_connection),
 * replacing what an earlier connection of the run recorded. configured is "off", "request"
 * or "require". Returns 0 or -1 after logging. */
int snapshot_server_connection(struct snapshot *s, long long key, const struct db_conn_facts *f,
			       const char *configured);

/* Added (wid): runs fn on the snapshot's database under the snapshot's lock, so a worker can
 * write a table this module does not know (export_snapshot.c). Returns what fn returns. */
int snapshot_with_db(struct snapshot *s, int (*fn)(sqlite3 *db, void *data), void *data);

#endif
