/* collect_queries: the queries of queries/ with their result columns and what they need. */
#ifndef SUSAUDIT_COLLECT_QUERIES_H
#define SUSAUDIT_COLLECT_QUERIES_H

#include <stddef.h>

#include "dbsource.h"
#include "embedded.h"
#include "snapshot.h"

/* The query catalogue's ids: collect_queries[] is indexed by them, in collection order
 * (configuration first). A check names the queries it reads with CHECK_READS(...) (check.h);
 * the columns it needs are then the union of those queries' `needs`. Append new ids before
 * COLLECT_NQUERIES. */
enum collect_query_id {
	QUERY_CONFIGURATION,
	QUERY_SCHEMA_VERSION,
	QUERY_LANGUAGES,
	QUERY_CATEGORIES,
	QUERY_DOWNLOAD_QUEUE,
	QUERY_SYNC_EVENTS,
	QUERY_DOWNSTREAM_SERVERS,
	QUERY_APPROVALS,
	QUERY_UPDATES,
	QUERY_UPDATE_LANGUAGES,
	QUERY_UPDATE_CATEGORIES,
	/* maintenance health (issue 16): optional, no schema needs */
	QUERY_SUPERSEDED_COUNT,
	QUERY_SUPERSEDED_OLDEST,
	QUERY_CUSTOM_INDEXES,
	QUERY_INDEX_FRAGMENTATION,
	QUERY_DATABASE_SIZE,
	QUERY_TABLE_ROWS,
	QUERY_STALE_CLIENTS,
	QUERY_DATABASE_STATE,
	COLLECT_NQUERIES
};

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

extern const struct collect_query collect_queries[COLLECT_NQUERIES];
extern const size_t collect_nqueries;	/* COLLECT_NQUERIES */

/* The schema probe: table_name, column_name of every table the queries read. */
extern const struct collect_query collect_probe;

#endif
