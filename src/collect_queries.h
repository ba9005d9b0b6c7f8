/* collect_queries: the queries of queries/ with their result columns and what they need. */
#ifndef SUSAUDIT_COLLECT_QUERIES_H
#define SUSAUDIT_COLLECT_QUERIES_H

#include <stddef.h>

#include "dbsource.h"
#include "embedded.h"
#include "snapshot.h"

struct collect_query {
	const char *name;			/* as in messages: the file name without .sql */
	enum embedded_id text;
	enum snapshot_table table;		/* where its rows go */
	const struct db_column *columns;
	size_t ncolumns;
	const char *const *needs;		/* "tbTable.Column", NULL-terminated */
	int required;				/* without it the server cannot be audited */
	/* maintenance health: when SQL Server refuses it (a right the login lacks) or lacks
	 * one of its objects (an older SUSDB), the collector records that in
	 * SNAP_HEALTH_UNAVAILABLE and goes on; the checks that read it say skipped or error */
	int optional;
};

extern const struct collect_query collect_queries[];
extern const size_t collect_nqueries;

/* The schema probe: table_name, column_name of every table the queries read. */
extern const struct collect_query collect_probe;

#endif
