/* test_tds_catalog: the test server's stand-ins for SQL Server's catalog views, the index DMV,
   PUBLIC_VIEWS and the functions the maintenance queries call (tds_catalog.c), translated and
   run on SQLite without a socket. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "tds_catalog.h"
#include "tds_translate.h"

static char *one(const char *tsql)
{
	struct tds_batch b;
	char *sql;

	tds_translate_batch(tsql, "SUSDB", &b);
	assert_int_equal(b.nstmts, 1);
	assert_int_equal(b.stmts[0].kind, TDS_STMT_SQL);
	sql = b.stmts[0].arg;
	b.stmts[0].arg = NULL;
	tds_batch_release(&b);
	return sql;
}

static void check(const char *tsql, const char *expected)
{
	char *sql = one(tsql);

	assert_string_equal(sql, expected);
	free(sql);
}

static void test_names(void **state)
{
	(void)state;
	check("SELECT i.name FROM sys.indexes i JOIN sys.index_columns ic ON 1 = 1",
	      "SELECT i.name FROM sys_indexes i JOIN sys_index_columns ic ON 1 = 1");
	check("SELECT * FROM SYS.Tables t", "SELECT * FROM sys_tables t");
	check("SELECT COUNT(*) FROM PUBLIC_VIEWS.vComputerTarget ct",
	      "SELECT COUNT(*) FROM PUBLIC_VIEWS_vComputerTarget ct");
	/* the DMF's argument list goes, nested calls included */
	check("SELECT ps.page_count FROM sys.dm_db_index_physical_stats(DB_ID(), NULL, NULL, NULL, "
	      "'LIMITED') ps WHERE ps.index_id > 0",
	      "SELECT ps.page_count FROM sys_dm_db_index_physical_stats ps WHERE ps.index_id > 0");
	/* names the server does not know stay as they are */
	check("SELECT * FROM sys.objects", "SELECT * FROM sys.objects");
	check("SELECT * FROM PUBLIC_VIEWS.vUpdate", "SELECT * FROM PUBLIC_VIEWS.vUpdate");
	/* a literal is never rewritten */
	check("SELECT 'sys.indexes' AS x", "SELECT 'sys.indexes' AS x");
}

static void test_datediff(void **state)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	char *sql;
	static const struct {
		const char *tsql;
		long long expected;
	} cases[] = {
	    {"SELECT DATEDIFF(day, '2026-11-20 23:59:59', '2026-11-21 00:00:00')", 1},
	    {"SELECT DATEDIFF(dd, '2026-11-21 00:00:00', '2026-11-21 23:59:59')", 0},
	    {"SELECT DATEDIFF(day, '2026-11-01 12:00:00', '2026-11-15 11:00:00')", 14},
	    {"SELECT DATEDIFF(hour, '2026-11-21 10:59:00', '2026-11-21 11:00:00')", 1},
	    {"SELECT DATEDIFF(day, '2026-11-22 00:00:00', '2026-11-21 00:00:00')", -1},
	};
	size_t i;

	(void)state;
	check("SELECT DATEDIFF(day, c.LastSyncTime, GETUTCDATE()) FROM c",
	      "SELECT tds_datediff('day', c.LastSyncTime, GETUTCDATE()) FROM c");
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(tds_catalog_register(db), 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sql = one(cases[i].tsql);
		assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		if (sqlite3_column_int64(st, 0) != cases[i].expected)
			fail_msg("%s gives %lld", cases[i].tsql, (long long)sqlite3_column_int64(st, 0));
		sqlite3_finalize(st);
		free(sql);
	}
	/* NULL (never contacted) stays NULL */
	sql = one("SELECT DATEDIFF(day, NULL, '2026-11-21 00:00:00')");
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_type(st, 0), SQLITE_NULL);
	sqlite3_finalize(st);
	free(sql);
	sqlite3_close(db);
}

static void test_suser_sname(void **state)
{
	sqlite3 *db;
	sqlite3_stmt *st;

	(void)state;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(tds_catalog_register(db), 0);
	assert_int_equal(sqlite3_exec(db,
				      "CREATE TABLE sys_server_principals (sid BLOB, name TEXT);"
				      "INSERT INTO sys_server_principals VALUES (x'01', 'sa')",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT suser_sname(x'01'), suser_sname(x'DEAD'),"
					    " suser_sname(NULL)",
					    -1, &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "sa");
	assert_int_equal(sqlite3_column_type(st, 1), SQLITE_NULL);
	assert_int_equal(sqlite3_column_type(st, 2), SQLITE_NULL);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_datediff),
	    cmocka_unit_test(test_suser_sname),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
