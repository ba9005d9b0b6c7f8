/* tds_catalog: catalog-view names and maintenance functions of the test server. */
#include "tds_catalog.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static const struct {
	const char *schema, *name, *sqlite;
	int is_function;
} names[] = {
    {"sys", "columns", "sys_columns", 0},
    {"sys", "database_files", "sys_database_files", 0},
    {"sys", "databases", "sys_databases", 0},
    {"sys", "dm_db_index_physical_stats", "sys_dm_db_index_physical_stats", 1},
    {"sys", "index_columns", "sys_index_columns", 0},
    {"sys", "indexes", "sys_indexes", 0},
    {"sys", "partitions", "sys_partitions", 0},
    {"sys", "schemas", "sys_schemas", 0},
    {"sys", "server_principals", "sys_server_principals", 0},
    {"sys", "tables", "sys_tables", 0},
    {"PUBLIC_VIEWS", "vComputerTarget", "PUBLIC_VIEWS_vComputerTarget", 0},
};

static int same(const char *a, size_t alen, const char *b)
{
	return alen == strlen(b) && strncasecmp(a, b, alen) == 0;
}

const char *tds_catalog_name(const char *schema, size_t slen, const char *name, size_t nlen,
			     int *is_function)
{
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (same(schema, slen, names[i].schema) && same(name, nlen, names[i].name)) {
			*is_function = names[i].is_function;
			return names[i].sqlite;
		}
	}
	return NULL;
}

const char *tds_catalog_datepart_function(const char *name, size_t len)
{
	return same(name, len, "DATEDIFF") ? "tds_datediff" : NULL;
}

static void fn_suser_sname(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	sqlite3_stmt *st = NULL;

	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL ||
	    sqlite3_prepare_v2(sqlite3_context_db_handle(ctx),
			       "SELECT name FROM sys_server_principals WHERE sid = ?1", -1, &st,
			       NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		sqlite3_result_null(ctx);
		return;
	}
	sqlite3_bind_value(st, 1, argv[0]);
	if (sqlite3_step(st) == SQLITE_ROW)
		sqlite3_result_value(ctx, sqlite3_column_value(st, 0));
	else
		sqlite3_result_null(ctx);
	sqlite3_finalize(st);
}

/* 'YYYY-MM-DD[ T]HH:MM:SS[.fff]' -> seconds since the epoch (UTC); -1 when unparsable. */
static long long parse_time(const char *s)
{
	int y, mo, d, h = 0, mi = 0, sec = 0;
	struct tm tm;

	if (!s || sscanf(s, "%4d-%2d-%2d%*1[ T]%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &sec) < 3)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	return (long long)timegm(&tm);
}

/* DATEDIFF(day|dd|d|hour|hh|minute|mi|n|second|ss|s, a, b): the datepart boundaries crossed
   from a to b, as SQL Server counts them (whole days between the dates for day). */
static void fn_datediff(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *part = (const char *)sqlite3_value_text(argv[0]);
	long long a = parse_time((const char *)sqlite3_value_text(argv[1]));
	long long b = parse_time((const char *)sqlite3_value_text(argv[2]));
	long long unit;

	(void)argc;
	if (!part || a < 0 || b < 0) {
		sqlite3_result_null(ctx);
		return;
	}
	if (!strcasecmp(part, "day") || !strcasecmp(part, "dd") || !strcasecmp(part, "d"))
		unit = 86400;
	else if (!strcasecmp(part, "hour") || !strcasecmp(part, "hh"))
		unit = 3600;
	else if (!strcasecmp(part, "minute") || !strcasecmp(part, "mi") || !strcasecmp(part, "n"))
		unit = 60;
	else if (!strcasecmp(part, "second") || !strcasecmp(part, "ss") || !strcasecmp(part, "s"))
		unit = 1;
	else {
		sqlite3_result_error(ctx, "DATEDIFF: unsupported datepart", -1);
		return;
	}
	/* boundaries crossed: floor(b / unit) - floor(a / unit), the epoch being a boundary */
	sqlite3_result_int64(ctx, (b - b % unit) / unit - (a - a % unit) / unit);
}

int tds_catalog_register(sqlite3 *db)
{
	if (sqlite3_create_function(db, "suser_sname", 1, SQLITE_UTF8, NULL, fn_suser_sname, NULL,
				    NULL) != SQLITE_OK ||
	    sqlite3_create_function(db, "tds_datediff", 3, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
				    fn_datediff, NULL, NULL) != SQLITE_OK)
		return -1;
	return 0;
}
