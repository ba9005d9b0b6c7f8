/* export_read: imports an export file (model/export.xsd) as a server's rows, through the same
 * db_row_fn as a live db-lib result, so every later stage works on it unchanged. */
#ifndef SUSAUDIT_EXPORT_READ_H
#define SUSAUDIT_EXPORT_READ_H

#include <stddef.h>

#include "collect_queries.h"
#include "dbsource.h"
#include "hierarchy.h"

#define EXPORT_NS "urn:susaudit:export:1"

/* Bounds on hostile or damaged input. The largest real SUSDBs export a few hundred MB. */
enum {
	EXPORT_MAX_VALUE = 1024 * 1024	/* bytes of one value: WSUS's longest texts are KBs */
};
#define EXPORT_MAX_FILE (4LL * 1024 * 1024 * 1024)	/* bytes of a whole file */

struct export_limits {
	long long max_file;	/* bytes; 0 = EXPORT_MAX_FILE */
	size_t max_value;	/* bytes; 0 = EXPORT_MAX_VALUE */
};

/* The file's header, strings malloc'd and owned by the export_file (NULL when absent). */
struct export_info {
	char *producer;			/* "susaudit-collect.ps1" or "susaudit" */
	char *producer_version;
	char *host;			/* FQDN the collector ran on */
	char *sql_server_name;		/* registry SqlServerName, e.g. "MICROSOFT##WID" */
	char *connection;		/* how SUSDB was reached */
	char *sql_version;		/* @@VERSION */
	char *wsus_version;		/* registry VersionString */
	char *wsus_port;		/* registry PortNumber */
	char *wsus_ssl;			/* registry UsingSSL */
	char *content_dir;		/* registry ContentDir */
	char started[32];		/* '2026-11-22T03:00:00.000Z' */
	char finished[32];
};

struct export_file;

/* Opens the export at `path` for server `s` and checks all of it before any row is used:
 * size, no DOCTYPE, well-formed and complete, valid against model/export.xsd, collected on
 * `s` (host FQDN = its name or an alias), every query's SHA-256 = this build's, columns and
 * every value well spelt for its kind. `limits` may be NULL (defaults). Returns 0, or -1 with
 * a malloc'd *error naming the file and the problem. Free with export_close(). */
int export_open(const char *path, const struct server *s, const struct export_limits *limits,
		struct export_file **out, char **error);

const struct export_info *export_info(const struct export_file *f);

/* Feeds the rows of query `q` to fn as db_query() would (same columns and value forms);
 * *rows receives their count. A query the file lacks, or one that failed on the host, returns
 * DB_SCHEMA or DB_SQL_ERROR with a malloc'd *error. */
enum db_status export_query(struct export_file *f, const struct collect_query *q, db_row_fn fn,
			    void *data, long long *rows, char **error);

/* NULL is allowed. */
void export_close(struct export_file *f);

#endif
