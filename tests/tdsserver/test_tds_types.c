/* test_tds_types: every SQL Server type the TDS test server sends, read back through FreeTDS
   db-lib with dbbind; name resolution, INFORMATION_SCHEMA, big results in small packets. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "test_support.h"

/* db-lib has no name for the GUID type; FreeTDS calls it GUID_TYPE (0x24) internally */
#define GUID_TYPE 36

static struct tds_server server;

static int setup(void **state)
{
	(void)state;
	test_start_server(&server, NULL);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tds_server_stop(&server);
	return 0;
}

static DBPROCESS *connect_default(void)
{
	DBPROCESS *dbproc = test_connect(&server, NULL, NULL, 0);

	assert_non_null(dbproc);
	return dbproc;
}

static void test_integers_and_bit(void **state)
{
	DBPROCESS *dbproc = connect_default();
	DBINT i = 0;
	DBBIGINT big = 0;
	DBSMALLINT small = 0;
	DBTINYINT tiny = 0;
	DBBIT bit = 0;

	(void)state;
	assert_int_equal(test_exec(dbproc, "SELECT IntCol, BigCol, SmallCol, TinyCol, BitCol "
					   "FROM dbo.tbTypes WHERE ID = 1"),
			 SUCCEED);
	assert_int_equal(dbresults(dbproc), SUCCEED);
	assert_int_equal(dbcoltype(dbproc, 1), SYBINT4);
	assert_int_equal(dbcoltype(dbproc, 2), SYBINT8);
	assert_int_equal(dbcoltype(dbproc, 3), SYBINT2);
	assert_int_equal(dbcoltype(dbproc, 4), SYBINT1);
	assert_int_equal(dbcoltype(dbproc, 5), SYBBIT);
	assert_int_equal(dbbind(dbproc, 1, INTBIND, 0, (BYTE *)&i), SUCCEED);
	assert_int_equal(dbbind(dbproc, 2, BIGINTBIND, 0, (BYTE *)&big), SUCCEED);
	assert_int_equal(dbbind(dbproc, 3, SMALLBIND, 0, (BYTE *)&small), SUCCEED);
	assert_int_equal(dbbind(dbproc, 4, TINYBIND, 0, (BYTE *)&tiny), SUCCEED);
	assert_int_equal(dbbind(dbproc, 5, BITBIND, 0, (BYTE *)&bit), SUCCEED);
	assert_int_equal(dbnextrow(dbproc), REG_ROW);
	assert_int_equal(i, 2147483647);
	assert_true(big == 9007199254740993LL);
	assert_int_equal(small, -32768);
	assert_int_equal(tiny, 255);
	assert_int_equal(bit, 1);
	assert_int_equal(dbnextrow(dbproc), NO_MORE_ROWS);
	assert_int_equal(dbresults(dbproc), NO_MORE_RESULTS);
	dbclose(dbproc);
}

static void test_guid(void **state)
{
	/* 6F9619FF-8B86-D011-B42D-00C04FC964FF as SQL Server stores it */
	static const BYTE expected[16] = {0xFF, 0x19, 0x96, 0x6F, 0x86, 0x8B, 0x11, 0xD0,
					  0xB4, 0x2D, 0x00, 0xC0, 0x4F, 0xC9, 0x64, 0xFF};
	DBPROCESS *dbproc = connect_default();
	BYTE bin[16];
	char text[64];
	DBINT len;

	(void)state;
	assert_int_equal(test_exec(dbproc, "SELECT GuidCol FROM tbTypes WHERE ID = 1"), SUCCEED);
	assert_int_equal(dbresults(dbproc), SUCCEED);
	assert_int_equal(dbcoltype(dbproc, 1), GUID_TYPE);
	memset(bin, 0, sizeof(bin));
	assert_int_equal(dbbind(dbproc, 1, BINARYBIND, sizeof(bin), bin), SUCCEED);
	assert_int_equal(dbnextrow(dbproc), REG_ROW);
	assert_memory_equal(bin, expected, 16);
	assert_int_equal(dbdatlen(dbproc, 1), 16);
	len = dbconvert(dbproc, GUID_TYPE, dbdata(dbproc, 1), dbdatlen(dbproc, 1), SYBCHAR,
			(BYTE *)text, sizeof(text) - 1);
	assert_true(len > 0);
	text[len] = '\0';
	assert_string_equal(text, "6F9619FF-8B86-D011-B42D-00C04FC964FF");
	test_drain(dbproc);
	dbclose(dbproc);
}

static void test_datetime(void **state)
{
	DBPROCESS *dbproc = connect_default();
	DBDATETIME dt;
	DBDATEREC rec;

	(void)state;
	assert_int_equal(test_exec(dbproc, "SELECT DateCol FROM tbTypes WHERE ID IN (1, 3) "
					   "ORDER BY ID"),
			 SUCCEED);
	assert_int_equal(dbresults(dbproc), SUCCEED);
	assert_int_equal(dbcoltype(dbproc, 1), SYBDATETIME);
	assert_int_equal(dbbind(dbproc, 1, DATETIMEBIND, 0, (BYTE *)&dt), SUCCEED);
	assert_int_equal(dbnextrow(dbproc), REG_ROW);
	assert_int_equal(dbdatecrack(dbproc, &rec, &dt), SUCCEED);
	assert_int_equal(rec.dateyear, 2024);
	assert_int_equal(rec.datemonth, 2); /* 0-based */
	assert_int_equal(rec.datedmonth, 15);
	assert_int_equal(rec.datehour, 13);
	assert_int_equal(rec.dateminute, 45);
	assert_int_equal(rec.datesecond, 30);
	assert_int_equal(rec.datemsecond, 997);
	assert_int_equal(dbnextrow(dbproc), REG_ROW);
	assert_int_equal(dt.dtdays, 0);
	assert_int_equal(dt.dttime, 0);
	test_drain(dbproc);
	dbclose(dbproc);
}

static void test_japanese_text(void **state)
{
	DBPROCESS *dbproc = connect_default();
	char text[512];

	(void)state;
	assert_int_equal(test_exec(dbproc, "SELECT TextCol FROM tbTypes WHERE ID = 1"), SUCCEED);
	assert_int_equal(dbresults(dbproc), SUCCEED);
	assert_int_equal(dbbind(dbproc, 1, NTBSTRINGBIND, sizeof(text), (BYTE *)text), SUCCEED);
	assert_int_equal(dbnextrow(dbproc), REG_ROW);
	assert_string_equal(text, "セキュリティ更新プログラム");
	test_drain(dbproc);
	/* and as a literal in the query, through N'...' */
	assert_int_equal(test_scalar(dbproc, "SELECT ID FROM tbTypes "
					     "WHERE TextCol = N'セキュリティ更新プログラム'"),
			 1);
	dbclose(dbproc);
}

/* A fixture value longer than its declared NVARCHAR(n) is cut to n units without splitting
   a character outside the BMP (two units), and the length sent before it says so: the
   stream stays in step and the next row and query read right. */
static void test_overlong_value_cut_whole(void **state)
{
	DBPROCESS *dbproc = connect_default();
	char text[64];

	(void)state;
	assert_int_equal(test_exec(dbproc, "CREATE TABLE tbShort (ID INT, S NVARCHAR(3))"), SUCCEED);
	test_drain(dbproc);
	/* 'ab' + U+1D11E (a surrogate pair) needs 4 units; then a short value */
	assert_int_equal(test_exec(dbproc, "INSERT INTO tbShort VALUES (1, N'ab\xf0\x9d\x84\x9e'), "
					   "(2, N'xyz')"),
			 SUCCEED);
	test_drain(dbproc);
	assert_int_equal(test_exec(dbproc, "SELECT S FROM tbShort ORDER BY ID"), SUCCEED);
	assert_int_equal(dbresults(dbproc), SUCCEED);
	assert_int_equal(dbbind(dbproc, 1, NTBSTRINGBIND, sizeof(text), (BYTE *)text), SUCCEED);
	assert_int_equal(dbnextrow(dbproc), REG_ROW);
	assert_string_equal(text, "ab");
	assert_int_equal(dbnextrow(dbproc), REG_ROW);
	assert_string_equal(text, "xyz");
	assert_int_equal(dbnextrow(dbproc), NO_MORE_ROWS);
	test_drain(dbproc);
	assert_int_equal(test_scalar(dbproc, "SELECT COUNT(*) FROM tbShort"), 2);
	assert_int_equal(test_exec(dbproc, "DROP TABLE tbShort"), SUCCEED);
	test_drain(dbproc);
	dbclose(dbproc);
}

static void test_long_nvarchar_max(void **state)
{
	DBPROCESS *dbproc = connect_default();
	static char text[20000];
	size_t len;

	(void)state;
	assert_int_equal(test_exec(dbproc, "SELECT LongCol, NoteCol FROM tbTypes WHERE ID = 1"),
			 SUCCEED);
	assert_int_equal(dbresults(dbproc), SUCCEED);
	assert_int_equal(dbbind(dbproc, 1, NTBSTRINGBIND, sizeof(text), (BYTE *)text), SUCCEED);
	assert_int_equal(dbnextrow(dbproc), REG_ROW);
	len = strlen(text);
	/* 'start-' + 5000 x "ab"/2 + '-終わり' (9 UTF-8 bytes + '-') */
	assert_int_equal(len, 6 + 5000 + 1 + 9);
	assert_memory_equal(text, "start-abab", 10);
	assert_string_equal(text + len - 10, "-終わり");
	assert_int_equal(dbdatlen(dbproc, 2), (DBINT)strlen("a note; with -- no comment"));
	assert_memory_equal(dbdata(dbproc, 2), "a note; with -- no comment", 26);
	test_drain(dbproc);
	dbclose(dbproc);
}

static void test_varbinary(void **state)
{
	static const BYTE expected[5] = {0xDE, 0xAD, 0xBE, 0xEF, 0x00};
	DBPROCESS *dbproc = connect_default();
	BYTE bin[64];

	(void)state;
	assert_int_equal(test_exec(dbproc, "SELECT BinCol, FixedBin FROM tbTypes WHERE ID = 1"),
			 SUCCEED);
	assert_int_equal(dbresults(dbproc), SUCCEED);
	assert_int_equal(dbbind(dbproc, 1, VARYBINBIND, sizeof(bin), bin), SUCCEED);
	assert_int_equal(dbnextrow(dbproc), REG_ROW);
	assert_int_equal(dbdatlen(dbproc, 1), 5);
	assert_memory_equal(dbdata(dbproc, 1), expected, 5);
	assert_int_equal(dbdatlen(dbproc, 2), 4);
	assert_memory_equal(dbdata(dbproc, 2), "\x01\x02\x03\x04", 4);
	test_drain(dbproc);
	dbclose(dbproc);
}

static void test_nulls(void **state)
{
	DBPROCESS *dbproc = connect_default();
	DBINT ind[12];
	DBINT i = 99;
	char text[64] = "unchanged";
	int col;

	(void)state;
	assert_int_equal(test_exec(dbproc, "SELECT IntCol, BigCol, SmallCol, TinyCol, BitCol, "
					   "GuidCol, DateCol, TextCol, LongCol, BinCol, FixedBin, "
					   "NoteCol FROM tbTypes WHERE ID = 2"),
			 SUCCEED);
	assert_int_equal(dbresults(dbproc), SUCCEED);
	assert_int_equal(dbnumcols(dbproc), 12);
	assert_int_equal(dbbind(dbproc, 1, INTBIND, 0, (BYTE *)&i), SUCCEED);
	assert_int_equal(dbbind(dbproc, 8, NTBSTRINGBIND, sizeof(text), (BYTE *)text), SUCCEED);
	for (col = 1; col <= 12; col++) {
		ind[col - 1] = 1234;
		if (col == 1 || col == 8)
			assert_int_equal(dbnullbind(dbproc, col, &ind[col - 1]), SUCCEED);
	}
	assert_int_equal(dbnextrow(dbproc), REG_ROW);
	for (col = 1; col <= 12; col++) {
		assert_int_equal(dbdatlen(dbproc, col), 0);
		assert_null(dbdata(dbproc, col));
	}
	assert_int_equal(ind[0], -1);
	assert_int_equal(ind[7], -1);
	test_drain(dbproc);
	dbclose(dbproc);
}

static void test_empty_values_are_not_null(void **state)
{
	DBPROCESS *dbproc = connect_default();

	(void)state;
	assert_int_equal(test_exec(dbproc, "SELECT LongCol, BinCol, NoteCol FROM tbTypes "
					   "WHERE ID = 3"),
			 SUCCEED);
	assert_int_equal(dbresults(dbproc), SUCCEED);
	assert_int_equal(dbnextrow(dbproc), REG_ROW);
	assert_int_equal(dbdatlen(dbproc, 1), 0);
	assert_non_null(dbdata(dbproc, 1));
	assert_int_equal(dbdatlen(dbproc, 2), 0);
	assert_non_null(dbdata(dbproc, 2));
	test_drain(dbproc);
	dbclose(dbproc);
}

static void test_name_forms(void **state)
{
	DBPROCESS *dbproc = connect_default();

	(void)state;
	assert_int_equal(test_scalar(dbproc, "SELECT COUNT(*) FROM dbo.tbMany"), 1500);
	assert_int_equal(test_scalar(dbproc, "SELECT COUNT(*) FROM SUSDB.dbo.tbMany"), 1500);
	assert_int_equal(test_scalar(dbproc, "SELECT COUNT(*) FROM [SUSDB].[dbo].[tbMany] m "
					     "WITH (NOLOCK) WHERE m.Name LIKE N'row number 1%'"),
			 1 + 10 + 100 + 501);
	assert_int_equal(test_scalar(dbproc, "SELECT ISNULL(MAX(IntCol), 0) FROM dbo.tbTypes "
					     "WHERE ID = 2"),
			 0);
	assert_int_equal(test_scalar(dbproc, "SELECT LEN(N'abc  ')"), 3);
	assert_int_equal(test_scalar(dbproc, "SELECT TOP 1 ID FROM dbo.tbMany ORDER BY ID DESC"),
			 1500);
	assert_int_equal(test_scalar(dbproc, "SELECT CAST(COUNT(*) AS BIGINT) FROM dbo.tbTypes t "
					     "WHERE EXISTS (SELECT 1 FROM dbo.tbEdit e "
					     "WHERE e.ID = t.ID)"),
			 3);
	assert_int_equal(test_scalar(dbproc, "SELECT rn FROM (SELECT ID, ROW_NUMBER() OVER "
					     "(ORDER BY ID DESC) AS rn FROM dbo.tbEdit) x "
					     "WHERE x.ID = 1"),
			 4);
	assert_int_equal(test_scalar(dbproc, "SELECT @@TRANCOUNT"), 0);
	assert_true(test_scalar(dbproc, "SELECT @@SPID") > 50);
	dbclose(dbproc);
}

static void test_information_schema(void **state)
{
	DBPROCESS *dbproc = connect_default();
	char table[130], column[130], type[130], schema[130];
	DBINT pos = 0, maxlen = 0;
	int rows = 0, saw_long = 0;

	(void)state;
	assert_int_equal(test_exec(dbproc,
				   "SELECT c.TABLE_SCHEMA, c.TABLE_NAME, c.COLUMN_NAME, "
				   "c.ORDINAL_POSITION, c.DATA_TYPE, "
				   "c.CHARACTER_MAXIMUM_LENGTH "
				   "FROM INFORMATION_SCHEMA.COLUMNS c "
				   "WHERE c.TABLE_SCHEMA = N'dbo' AND c.TABLE_NAME = N'tbTypes' "
				   "ORDER BY c.ORDINAL_POSITION"),
			 SUCCEED);
	assert_int_equal(dbresults(dbproc), SUCCEED);
	dbbind(dbproc, 1, NTBSTRINGBIND, sizeof(schema), (BYTE *)schema);
	dbbind(dbproc, 2, NTBSTRINGBIND, sizeof(table), (BYTE *)table);
	dbbind(dbproc, 3, NTBSTRINGBIND, sizeof(column), (BYTE *)column);
	dbbind(dbproc, 4, INTBIND, 0, (BYTE *)&pos);
	dbbind(dbproc, 5, NTBSTRINGBIND, sizeof(type), (BYTE *)type);
	dbbind(dbproc, 6, INTBIND, 0, (BYTE *)&maxlen);
	while (dbnextrow(dbproc) == REG_ROW) {
		rows++;
		assert_string_equal(schema, "dbo");
		assert_string_equal(table, "tbTypes");
		assert_int_equal(pos, rows);
		if (rows == 1) {
			assert_string_equal(column, "ID");
			assert_string_equal(type, "int");
		}
		if (strcmp(column, "LongCol") == 0) {
			saw_long = 1;
			assert_string_equal(type, "nvarchar");
			assert_int_equal(maxlen, -1);
		}
		if (strcmp(column, "TextCol") == 0)
			assert_int_equal(maxlen, 256);
	}
	assert_int_equal(rows, 13);
	assert_true(saw_long);
	test_drain(dbproc);
	assert_int_equal(test_scalar(dbproc, "SELECT COUNT(*) FROM SUSDB.INFORMATION_SCHEMA.TABLES "
					     "WHERE TABLE_TYPE = 'BASE TABLE' "
					     "AND TABLE_CATALOG = N'SUSDB'"),
			 3);
	dbclose(dbproc);
}

/* 1500 rows of ~40 characters in 512-byte packets: rows span packets all the time. */
static void test_small_packets_many_rows(void **state)
{
	struct tds_server_options o = {.max_packet_size = 512};
	struct tds_server small;
	DBPROCESS *dbproc;
	char name[128], guid[40], expected[128];
	DBINT id = 0;
	int rows = 0;

	(void)state;
	test_start_server(&small, &o);
	dbproc = test_connect(&small, NULL, NULL, 512);
	assert_non_null(dbproc);
	assert_int_equal(dbgetpacket(dbproc), 512);
	assert_int_equal(test_exec(dbproc, "SELECT ID, Name, Guid FROM dbo.tbMany ORDER BY ID"),
			 SUCCEED);
	assert_int_equal(dbresults(dbproc), SUCCEED);
	dbbind(dbproc, 1, INTBIND, 0, (BYTE *)&id);
	dbbind(dbproc, 2, NTBSTRINGBIND, sizeof(name), (BYTE *)name);
	dbbind(dbproc, 3, NTBSTRINGBIND, sizeof(guid), (BYTE *)guid);
	while (dbnextrow(dbproc) == REG_ROW) {
		rows++;
		assert_int_equal(id, rows);
		snprintf(expected, sizeof(expected), "row number %d ユニコード", rows);
		assert_string_equal(name, expected);
		snprintf(expected, sizeof(expected), "%08X-0000-0000-0000-%012X", rows, rows);
		assert_string_equal(guid, expected);
	}
	assert_int_equal(rows, 1500);
	assert_int_equal(dbcount(dbproc), 1500);
	assert_int_equal(dbresults(dbproc), NO_MORE_RESULTS);
	/* and the long value, which spans many 512-byte packets */
	assert_int_equal(test_exec(dbproc, "SELECT LongCol FROM tbTypes WHERE ID = 1"), SUCCEED);
	assert_int_equal(dbresults(dbproc), SUCCEED);
	assert_int_equal(dbnextrow(dbproc), REG_ROW);
	assert_int_equal(dbdatlen(dbproc, 1), 6 + 5000 + 1 + 9);
	test_drain(dbproc);
	dbclose(dbproc);
	tds_server_stop(&small);
}

/* A 100k-row result must stream in well under a few seconds, even under sanitizers. */
static void test_streams_100k_rows(void **state)
{
	DBPROCESS *dbproc = connect_default();
	struct timespec t0, t1;
	DBINT id = 0;
	long rows = 0;
	double secs;

	(void)state;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(test_exec(dbproc, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
					   "SELECT i + 1 FROM n WHERE i < 100000) "
					   "SELECT i AS ID, 'name ' || i AS Name FROM n"),
			 SUCCEED);
	assert_int_equal(dbresults(dbproc), SUCCEED);
	dbbind(dbproc, 1, INTBIND, 0, (BYTE *)&id);
	while (dbnextrow(dbproc) == REG_ROW)
		rows++;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_int_equal(rows, 100000);
	assert_int_equal(id, 100000);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	print_message("100000 rows in %.2f s\n", secs);
	assert_true(secs < 30.0);
	test_drain(dbproc);
	dbclose(dbproc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_integers_and_bit),
	    cmocka_unit_test(test_guid),
	    cmocka_unit_test(test_datetime),
	    cmocka_unit_test(test_japanese_text),
	    cmocka_unit_test(test_overlong_value_cut_whole),
	    cmocka_unit_test(test_long_nvarchar_max),
	    cmocka_unit_test(test_varbinary),
	    cmocka_unit_test(test_nulls),
	    cmocka_unit_test(test_empty_values_are_not_null),
	    cmocka_unit_test(test_name_forms),
	    cmocka_unit_test(test_information_schema),
	    cmocka_unit_test(test_small_packets_many_rows),
	    cmocka_unit_test(test_streams_100k_rows),
	};

	tds_harness_set_server(SUSDB_TDS_SERVER);
	return cmocka_run_group_tests(tests, setup, teardown);
}
