/* snapshot_unpack: format 2's packed rows as the tables of format 1, to read with SQL. */
#ifndef SUSAUDIT_SNAPSHOT_UNPACK_H
#define SUSAUDIT_SNAPSHOT_UNPACK_H

#include <sqlite3.h>

#include "snapshot.h"

/* Creates TEMP tables update_revision, update_category, update_language and approval on the
 * connection (columns as in model/snapshot_v1.sql, GUIDs as text) holding every packed
 * server's rows, plus the rows of format-1 tables still in the file; unqualified names then
 * read them. They vanish with the connection. Returns 0 or -1 (logged). */
int snapshot_unpack_temp(sqlite3 *db);
/* The same for only the tables named in `tables` (a mask of 1 << enum snapshot_table of
 * the four packed tables); the others are created empty. */
int snapshot_unpack_temp_tables(sqlite3 *db, unsigned tables);

#endif
