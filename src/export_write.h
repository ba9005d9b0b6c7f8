/* export_write: writes one server's query results as an export file (model/export.xsd), the
 * format the PowerShell collector writes too, so `collect --export-dir` produces it on Linux. */
#ifndef SUSAUDIT_EXPORT_WRITE_H
#define SUSAUDIT_EXPORT_WRITE_H

#include <stddef.h>

#include "collect_queries.h"
#include "dbsource.h"

struct export_writer;

/* Starts DIR/NAME.xml for server `name` (written as NAME.xml.part and renamed by
 * export_writer_finish, so a reader never sees half a file). `started` is the collection's
 * start ('2026-11-22T03:00:00.000Z'). Returns 0, or -1 with a malloc'd *error. */
int export_writer_open(const char *dir, const char *name, const char *started,
		       struct export_writer **out, char **error);

/* Starts query `q`; called again for a retried attempt, it first drops what the failed
 * attempt wrote. */
void export_writer_query_begin(struct export_writer *w, const struct collect_query *q);
/* One row of the current query, values as db_query() delivers them. */
void export_writer_row(struct export_writer *w, const struct db_value *values, size_t n);
/* Ends the current query. */
void export_writer_query_end(struct export_writer *w);

/* Writes the end (finished time, totals), flushes and renames the file into place, frees w.
 * Returns 0, or -1 with a malloc'd *error (the partial file is removed). */
int export_writer_finish(struct export_writer *w, const char *finished, char **error);
/* Removes the partial file and frees w; NULL is allowed. */
void export_writer_abort(struct export_writer *w);

/* The file name an export of server `name` gets in --export-dir (malloc'd): NAME.xml with
 * every character but [A-Za-z0-9.-] replaced by '_'. */
char *export_file_name(const char *name);

#endif
