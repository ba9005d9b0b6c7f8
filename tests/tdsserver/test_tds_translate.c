/* test_tds_translate: the TDS test server's lexical T-SQL -> SQLite translation and its
   value encoders (DATETIME, GUID), without a socket. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tds_encode.h"
#include "tds_translate.h"

/* Translates a batch that must hold exactly one SQL statement; returns its SQLite text. */
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
	check("SELECT * FROM dbo.tbUpdate", "SELECT * FROM tbUpdate");
	check("SELECT * FROM SUSDB.dbo.tbUpdate u", "SELECT * FROM tbUpdate u");
	check("SELECT * FROM [SUSDB].[dbo].[tbUpdate]", "SELECT * FROM [tbUpdate]");
	check("SELECT * FROM susdb..tbUpdate", "SELECT * FROM tbUpdate");
	check("SELECT dbo.tbUpdate.UpdateID FROM dbo.tbUpdate",
	      "SELECT tbUpdate.UpdateID FROM tbUpdate");
	check("SELECT u.x, u.* FROM OTHERDB.dbo.tbUpdate u",
	      "SELECT u.x, u.* FROM OTHERDB.dbo.tbUpdate u");
	check("SELECT COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS c",
	      "SELECT COLUMN_NAME FROM information_schema_columns c");
	check("SELECT 1 FROM SUSDB.INFORMATION_SCHEMA.TABLES",
	      "SELECT 1 FROM information_schema_tables");
}

static void test_literals_and_comments_untouched(void **state)
{
	(void)state;
	check("SELECT N'dbo.x', 'SUSDB.dbo.y', N'it''s' -- dbo.z ISNULL(\n",
	      "SELECT 'dbo.x', 'SUSDB.dbo.y', 'it''s' -- dbo.z ISNULL(\n");
	check("SELECT /* dbo.a /* nested */ TOP 1 */ 1", "SELECT /* dbo.a /* nested */ TOP 1 */ 1");
	check("SELECT 'セキュリティ' AS [Title Text]", "SELECT 'セキュリティ' AS [Title Text]");
	check("SELECT \"dbo\".\"tbX\".a", "SELECT \"tbX\".a");
}

static void test_functions_and_globals(void **state)
{
	(void)state;
	check("SELECT ISNULL(a, 0), isnull (b, 1)", "SELECT ifnull(a, 0), ifnull (b, 1)");
	check("SELECT @@VERSION, @@spid", "SELECT tds_atat('VERSION'), tds_atat('SPID')");
	check("SELECT 0x0A1, 0xff", "SELECT x'00A1', x'ff'");
	check("SELECT CAST(x AS NVARCHAR(MAX)), MAX(y) FROM t",
	      "SELECT CAST(x AS NVARCHAR(-1)), MAX(y) FROM t");
	check("SELECT LEN(x), GETUTCDATE() FROM t", "SELECT LEN(x), GETUTCDATE() FROM t");
}

static void test_top_and_hints(void **state)
{
	(void)state;
	check("SELECT TOP 5 a FROM t ORDER BY a", "SELECT  a FROM t ORDER BY a\nLIMIT 5");
	check("SELECT TOP (1) a FROM t -- last", "SELECT  a FROM t -- last\nLIMIT 1");
	check("SELECT (SELECT TOP 1 b FROM u ORDER BY b) AS x FROM t",
	      "SELECT (SELECT  b FROM u ORDER BY b LIMIT 1) AS x FROM t");
	check("SELECT a FROM t WITH (NOLOCK) JOIN u WITH(NOLOCK, READUNCOMMITTED) ON 1=1",
	      "SELECT a FROM t  JOIN u  ON 1=1");
	check("SELECT a FROM t (nolock)", "SELECT a FROM t ");
	check("SELECT TOP 10 PERCENT a FROM t", "SELECT TOP 10 PERCENT a FROM t");
}

static void test_statement_splitting(void **state)
{
	struct tds_batch b;

	(void)state;
	tds_translate_batch("SET NOCOUNT ON\n"
			    "SET TRANSACTION ISOLATION LEVEL READ COMMITTED;\n"
			    "USE [SUSDB]\n"
			    "BEGIN TRAN\n"
			    "UPDATE dbo.t\n  SET a = 1\n  WHERE b IN (SELECT c\nFROM u)\n"
			    "SELECT 1\nUNION ALL\nSELECT 2\n"
			    "INSERT INTO t (a)\nSELECT 3\n"
			    "COMMIT TRANSACTION\n"
			    "SELECT 4;SELECT 5;;\n"
			    "BEGIN TRANSACTION DELETE FROM t\n"
			    "ROLLBACK",
			    "SUSDB", &b);
	assert_int_equal(b.nstmts, 13);
	assert_int_equal(b.stmts[0].kind, TDS_STMT_SET);
	assert_string_equal(b.stmts[0].arg, "NOCOUNT ON");
	assert_int_equal(b.stmts[1].kind, TDS_STMT_SET);
	assert_string_equal(b.stmts[1].arg, "TRANSACTION ISOLATION LEVEL READ COMMITTED");
	assert_int_equal(b.stmts[2].kind, TDS_STMT_USE);
	assert_string_equal(b.stmts[2].arg, "SUSDB");
	assert_int_equal(b.stmts[3].kind, TDS_STMT_BEGIN);
	assert_int_equal(b.stmts[4].kind, TDS_STMT_SQL);
	assert_int_equal(b.stmts[4].verb, TDS_VERB_UPDATE);
	assert_string_equal(b.stmts[4].arg,
			    "UPDATE t\n  SET a = 1\n  WHERE b IN (SELECT c\nFROM u)\n");
	assert_string_equal(b.stmts[5].arg, "SELECT 1\nUNION ALL\nSELECT 2\n");
	assert_int_equal(b.stmts[6].verb, TDS_VERB_INSERT);
	assert_string_equal(b.stmts[6].arg, "INSERT INTO t (a)\nSELECT 3\n");
	assert_int_equal(b.stmts[7].kind, TDS_STMT_COMMIT);
	assert_string_equal(b.stmts[8].arg, "SELECT 4");
	assert_string_equal(b.stmts[9].arg, "SELECT 5");
	assert_int_equal(b.stmts[10].kind, TDS_STMT_BEGIN);
	assert_int_equal(b.stmts[11].verb, TDS_VERB_DELETE);
	assert_string_equal(b.stmts[11].arg, "DELETE FROM t\n");
	assert_int_equal(b.stmts[12].kind, TDS_STMT_ROLLBACK);
	tds_batch_release(&b);

	tds_translate_batch("  -- only a comment\n", "SUSDB", &b);
	assert_int_equal(b.nstmts, 0);
	tds_batch_release(&b);
}

static void test_fixture_rewrite(void **state)
{
	char *sql;

	(void)state;
	sql = tds_translate_fixture("CREATE TABLE t (a NVARCHAR(MAX), b VARBINARY (max), "
				    "c NVARCHAR(50)); -- NVARCHAR(MAX)\n"
				    "INSERT INTO t VALUES ('NVARCHAR(MAX)', x'00', N'n');");
	assert_string_equal(sql, "CREATE TABLE t (a NVARCHAR(-1), b VARBINARY (-1), "
				 "c NVARCHAR(50)); -- NVARCHAR(MAX)\n"
				 "INSERT INTO t VALUES ('NVARCHAR(MAX)', x'00', N'n');");
	free(sql);
}

static void test_datetime_encoding(void **state)
{
	int32_t days;
	uint32_t ticks;

	(void)state;
	assert_int_equal(tds_encode_datetime("1900-01-01 00:00:00", &days, &ticks), 0);
	assert_int_equal(days, 0);
	assert_int_equal(ticks, 0);
	assert_int_equal(tds_encode_datetime("2024-03-15T13:45:30.997", &days, &ticks), 0);
	assert_int_equal(days, 45364);
	assert_int_equal(ticks, (13 * 3600 + 45 * 60 + 30) * 300 + 299);
	assert_int_equal(tds_encode_datetime("1899-12-31", &days, &ticks), 0);
	assert_int_equal(days, -1);
	/* .999 rounds up to the next day at midnight */
	assert_int_equal(tds_encode_datetime("2000-01-01 23:59:59.999", &days, &ticks), 0);
	assert_int_equal(ticks, 0);
	assert_int_equal(days, 36525); /* 2000-01-02 */
	/* every millisecond rounds to the nearest 1/300 s, halves up, as SQL Server rounds
	 * (.995 to .997, .035 to .037): in ticks, (ms * 300 + 500) / 1000 */
	{
		int ms;

		for (ms = 0; ms < 1000; ms++) {
			char text[32];

			snprintf(text, sizeof(text), "2000-01-01 00:00:00.%03d", ms);
			assert_int_equal(tds_encode_datetime(text, &days, &ticks), 0);
			if (ticks != (uint32_t)(ms * 300 + 500) / 1000)
				fail_msg("'%s': %u ticks, SQL Server keeps %d", text, ticks,
					 (ms * 300 + 500) / 1000);
		}
	}
	assert_int_equal(tds_encode_datetime("2000-01-01 00:00:00.5", &days, &ticks), 0);
	assert_int_equal(ticks, 150);
	assert_int_equal(tds_encode_datetime("2000-01-02 00:00:00Z", &days, &ticks), 0);
	assert_int_equal(tds_encode_datetime("not a date", &days, &ticks), -1);
	assert_int_equal(tds_encode_datetime("2000-13-01", &days, &ticks), -1);
	assert_int_equal(tds_encode_datetime("2000-01-01 12:00:00 junk", &days, &ticks), -1);
}

static void test_guid_encoding(void **state)
{
	static const unsigned char expected[16] = {0x33, 0x22, 0x11, 0x00, 0x55, 0x44, 0x77, 0x66,
						   0x88, 0x99, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF};
	unsigned char g[16];

	(void)state;
	assert_int_equal(tds_encode_guid("00112233-4455-6677-8899-AABBCCDDEEFF", g), 0);
	assert_memory_equal(g, expected, 16);
	assert_int_equal(tds_encode_guid("{00112233-4455-6677-8899-aabbccddeeff}", g), 0);
	assert_memory_equal(g, expected, 16);
	assert_int_equal(tds_encode_guid("00112233-4455", g), -1);
	assert_int_equal(tds_encode_guid("00112233-4455-6677-8899-AABBCCDDEEFF00", g), -1);
	assert_int_equal(tds_encode_guid("0011223X-4455-6677-8899-AABBCCDDEEFF", g), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_literals_and_comments_untouched),
	    cmocka_unit_test(test_functions_and_globals),
	    cmocka_unit_test(test_top_and_hints),
	    cmocka_unit_test(test_statement_splitting),
	    cmocka_unit_test(test_fixture_rewrite),
	    cmocka_unit_test(test_datetime_encoding),
	    cmocka_unit_test(test_guid_encoding),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
