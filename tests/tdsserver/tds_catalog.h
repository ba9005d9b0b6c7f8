/* tds_catalog: what the test server offers in place of SQL Server's catalog views, the index
   DMV and PUBLIC_VIEWS (the SQLite names the translation maps them to), and the functions the
   maintenance queries call (SUSER_SNAME, DATEDIFF). The objects themselves are fixture views
   and tables (tests/fixtures/susdb-schema.sql, "maintenance health" section). */
#ifndef TDS_CATALOG_H
#define TDS_CATALOG_H

#include <stddef.h>

#include <sqlite3.h>

/* The SQLite name of the T-SQL two-part name schema.name (case-insensitive): sys.indexes ->
   sys_indexes, PUBLIC_VIEWS.vComputerTarget -> PUBLIC_VIEWS_vComputerTarget, or NULL when
   the name is not one the server knows. *is_function is set to 1 for a table-valued function
   (sys.dm_db_index_physical_stats), whose argument list the translation drops. */
const char *tds_catalog_name(const char *schema, size_t slen, const char *name, size_t nlen,
			     int *is_function);

/* The SQLite function that stands for the T-SQL function `name` whose first argument is a
   datepart keyword (DATEDIFF -> "tds_datediff"), or NULL. */
const char *tds_catalog_datepart_function(const char *name, size_t len);

/* Registers suser_sname(sid) (a name from sys_server_principals, NULL for an unknown SID)
   and tds_datediff(part, a, b) on db. Returns 0 or -1. */
int tds_catalog_register(sqlite3 *db);

#endif
