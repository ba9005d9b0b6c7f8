/* snapshot_unpack: format 2's packed rows as the tables of format 1, to read with SQL. */
#ifndef SUSAUDIT_SNAPSHOT_UNPACK_H
#define SUSAUDIT_SNAPSHOT_UNPACK_H

#include <sqlite3.h>

/* Creates TEMP tables update_revision, update_category, update_language and approval on the
 * connection (columns as in model/snapshot_v1.sql, GUIDs as text) holding every packed
 * server's rows, plus the rows of format-1 tables still in the file; unqualified names then
 * read them. They vanish with the connection. Returns 0 or -1 (logged). */
int snapshot_unpack_temp(sqlite3 *db);

#endif
