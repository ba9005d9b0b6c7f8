/* checks_susdb: SUSDB fixture files -> snapshot rows, as the collector would read them over
 * TDS (same queries, translation, needs and canonical forms), without a server. Lets the
 * check tests run every tests/fixtures/defects patch against the real fixture data. */
#ifndef SUSAUDIT_TEST_CHECKS_SUSDB_H
#define SUSAUDIT_TEST_CHECKS_SUSDB_H

#include <sqlite3.h>
#include <stddef.h>

/* Creates the SQLite SUSDB `path` from SQL files run in order (schema, clean data, patch).
 * Returns 0 or -1 (printed). */
int susdb_build(const char *path, const char *const *files, size_t nfiles);

/* Reads the SUSDB at `path` with every query of queries/ and adds server `name` (with its
 * facts, or failed as the collector would fail it) to run `run_id` of the snapshot `snap`.
 * Returns 0 or -1 (printed). */
int susdb_collect(sqlite3 *snap, long run_id, const char *name, const char *path);

/* Adds `name` as a failed server (e.g. sql="wid"). */
int susdb_collect_failed(sqlite3 *snap, long run_id, const char *name, const char *check,
			 const char *error);

/* Removes every row of server `name` of run `run_id` from the snapshot. */
int susdb_forget(sqlite3 *snap, long run_id, const char *name);

#endif
