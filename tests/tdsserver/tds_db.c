/* tds_db: SQLite connections of the test server. */
#include "tds_db.h"
#include "tds_catalog.h"
#include "tds_buf.h"
#include "tds_text.h"
#include "tds_translate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define VERSION_TEXT                                                                               \
	"Microsoft SQL Server 2008 R2 (RTM) - 10.50.1600.1 (X64) \n\tsusdb-tds-server (SQLite "    \
	"backed test server)\n"

static char *read_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	struct tds_buf b = {0};
	char chunk[8192];
	size_t n;

	if (!fp)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		tds_buf_add(&b, chunk, n);
	fclose(fp);
	return tds_buf_take(&b);
}

sqlite3 *tds_db_load(const char *path, const char *const *sql_files, int nsql_files)
{
	sqlite3 *db = NULL;
	char *err = NULL;
	int i;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		fprintf(stderr, "susdb-tds-server: could not open '%s': %s\n", path,
			db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 10000);
	/* WAL: clients read while another holds a write transaction; no fsync for test data */
	if (sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF", NULL, NULL, &err) !=
	    SQLITE_OK) {
		fprintf(stderr, "susdb-tds-server: could not set up '%s': %s\n", path, err);
		sqlite3_free(err);
		sqlite3_close(db);
		return NULL;
	}
	for (i = 0; i < nsql_files; i++) {
		char *text = read_file(sql_files[i]), *sql;
		int rc;

		if (!text) {
			fprintf(stderr, "susdb-tds-server: could not read '%s'\n", sql_files[i]);
			sqlite3_close(db);
			return NULL;
		}
		sql = tds_translate_fixture(text);
		free(text);
		rc = sqlite3_exec(db, sql, NULL, NULL, &err);
		free(sql);
		if (rc != SQLITE_OK) {
			fprintf(stderr, "susdb-tds-server: could not run '%s': %s\n", sql_files[i],
				err ? err : sqlite3_errmsg(db));
			sqlite3_free(err);
			sqlite3_close(db);
			return NULL;
		}
	}
	return db;
}

/* tds_atat('NAME'): the @@NAME globals T-SQL clients ask for. */
static void fn_atat(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct tds_db_session *s = sqlite3_user_data(ctx);
	const char *name = (const char *)sqlite3_value_text(argv[0]);

	(void)argc;
	if (!name)
		sqlite3_result_null(ctx);
	else if (strcmp(name, "VERSION") == 0)
		sqlite3_result_text(ctx, VERSION_TEXT, -1, SQLITE_STATIC);
	else if (strcmp(name, "SPID") == 0)
		sqlite3_result_int(ctx, s->spid);
	else if (strcmp(name, "TRANCOUNT") == 0)
		sqlite3_result_int(ctx, s->trancount);
	else if (strcmp(name, "ROWCOUNT") == 0)
		sqlite3_result_int64(ctx, s->rowcount);
	else if (strcmp(name, "ERROR") == 0)
		sqlite3_result_int(ctx, 0);
	else if (strcmp(name, "SERVERNAME") == 0)
		sqlite3_result_text(ctx, "SUSDBTEST", -1, SQLITE_STATIC);
	else if (strcmp(name, "SERVICENAME") == 0)
		sqlite3_result_text(ctx, "MSSQLSERVER", -1, SQLITE_STATIC);
	else if (strcmp(name, "LANGUAGE") == 0)
		sqlite3_result_text(ctx, "us_english", -1, SQLITE_STATIC);
	else if (strcmp(name, "TEXTSIZE") == 0)
		sqlite3_result_int(ctx, 2147483647);
	else
		sqlite3_result_null(ctx);
}

/* LEN(s): characters, not counting trailing spaces. */
static void fn_len(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const unsigned char *s = sqlite3_value_text(argv[0]), *end;
	int64_t n = 0;

	(void)argc;
	if (!s) {
		sqlite3_result_null(ctx);
		return;
	}
	end = s + sqlite3_value_bytes(argv[0]);
	while (end > s && end[-1] == ' ')
		end--;
	for (; s < end; s++)
		if ((*s & 0xC0) != 0x80)
			n++;
	sqlite3_result_int64(ctx, n);
}

/* DATALENGTH(x): bytes as SQL Server stores them (NVARCHAR: two per UTF-16 unit). */
static void fn_datalength(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	switch (sqlite3_value_type(argv[0])) {
	case SQLITE_NULL:
		sqlite3_result_null(ctx);
		break;
	case SQLITE_TEXT: {
		const char *s = (const char *)sqlite3_value_text(argv[0]);

		sqlite3_result_int64(ctx, 2 * (int64_t)tds_text_utf16_units(
						  s, (size_t)sqlite3_value_bytes(argv[0])));
		break;
	}
	case SQLITE_INTEGER:
		sqlite3_result_int(ctx, 4);
		break;
	case SQLITE_FLOAT:
		sqlite3_result_int(ctx, 8);
		break;
	default:
		sqlite3_result_int(ctx, sqlite3_value_bytes(argv[0]));
		break;
	}
}

static void now_text(sqlite3_context *ctx, int utc)
{
	struct timespec ts;
	struct tm tm;
	char buf[96];

	clock_gettime(CLOCK_REALTIME, &ts);
	if (utc)
		gmtime_r(&ts.tv_sec, &tm);
	else
		localtime_r(&ts.tv_sec, &tm);
	snprintf(buf, sizeof(buf), "%04d-%02d-%02d %02d:%02d:%02d.%03ld", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000);
	sqlite3_result_text(ctx, buf, -1, SQLITE_TRANSIENT);
}

static void fn_getutcdate(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	(void)argv;
	now_text(ctx, 1);
}

static void fn_getdate(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	(void)argv;
	now_text(ctx, 0);
}

static void fn_newid(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	unsigned char b[16];
	char buf[40];

	(void)argc;
	(void)argv;
	sqlite3_randomness(sizeof(b), b);
	b[6] = (unsigned char)((b[6] & 0x0F) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3F) | 0x80);
	snprintf(buf, sizeof(buf),
		 "%02X%02X%02X%02X-%02X%02X-%02X%02X-%02X%02X-%02X%02X%02X%02X%02X%02X", b[0], b[1],
		 b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
		 b[15]);
	sqlite3_result_text(ctx, buf, -1, SQLITE_TRANSIENT);
}

static void fn_db_name(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct tds_db_session *s = sqlite3_user_data(ctx);

	(void)argc;
	(void)argv;
	sqlite3_result_text(ctx, s->database, -1, SQLITE_TRANSIENT);
}

static void fn_serverproperty(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	static const char *const props[][2] = {
	    {"Edition", "Express Edition (64-bit)"},
	    {"EngineEdition", "4"},
	    {"MachineName", "SUSDBTEST"},
	    {"ProductLevel", "RTM"},
	    {"ProductVersion", "10.50.1600.1"},
	    {"ServerName", "SUSDBTEST"},
	};
	const char *name = (const char *)sqlite3_value_text(argv[0]);
	size_t i;

	(void)argc;
	for (i = 0; name && i < sizeof(props) / sizeof(props[0]); i++) {
		if (strcasecmp(name, props[i][0]) == 0) {
			sqlite3_result_text(ctx, props[i][1], -1, SQLITE_STATIC);
			return;
		}
	}
	sqlite3_result_null(ctx);
}

static const struct {
	const char *name;
	int nargs;
	int deterministic;
	void (*fn)(sqlite3_context *, int, sqlite3_value **);
} functions[] = {
    {"tds_atat", 1, 0, fn_atat},
    {"len", 1, 1, fn_len},
    {"datalength", 1, 1, fn_datalength},
    {"getutcdate", 0, 0, fn_getutcdate},
    {"sysutcdatetime", 0, 0, fn_getutcdate},
    {"getdate", 0, 0, fn_getdate},
    {"sysdatetime", 0, 0, fn_getdate},
    {"newid", 0, 0, fn_newid},
    {"db_name", 0, 0, fn_db_name},
    {"serverproperty", 1, 1, fn_serverproperty},
};

/* The INFORMATION_SCHEMA views, built from the catalogue; %Q is the database name. The
   CAST keeps name columns from inheriting sqlite_master's TEXT (sent as NVARCHAR(MAX)). */
static const char views_sql[] =
    "CREATE TEMP VIEW information_schema_tables AS SELECT %Q AS TABLE_CATALOG,"
    " 'dbo' AS TABLE_SCHEMA, CAST(m.name AS NVARCHAR(128)) AS TABLE_NAME,"
    " CASE m.type WHEN 'view' THEN 'VIEW' ELSE 'BASE TABLE' END AS TABLE_TYPE"
    " FROM main.sqlite_master m"
    " WHERE m.type IN ('table', 'view') AND m.name NOT LIKE 'sqlite\\_%%' ESCAPE '\\';"
    "CREATE TEMP VIEW information_schema_columns AS SELECT %Q AS TABLE_CATALOG,"
    " 'dbo' AS TABLE_SCHEMA, CAST(m.name AS NVARCHAR(128)) AS TABLE_NAME,"
    " CAST(p.name AS NVARCHAR(128)) AS COLUMN_NAME, p.cid + 1 AS ORDINAL_POSITION,"
    " p.dflt_value AS COLUMN_DEFAULT,"
    " CASE WHEN p.\"notnull\" THEN 'NO' ELSE 'YES' END AS IS_NULLABLE,"
    " lower(trim(CASE WHEN instr(p.type, '(') > 0 THEN substr(p.type, 1, instr(p.type, '(') - 1)"
    "  ELSE p.type END)) AS DATA_TYPE,"
    " CASE WHEN instr(p.type, '(') = 0 THEN NULL"
    "  WHEN upper(trim(substr(p.type, instr(p.type, '(') + 1))) LIKE 'MAX%%' THEN -1"
    "  ELSE CAST(trim(substr(p.type, instr(p.type, '(') + 1)) AS INTEGER) END"
    "  AS CHARACTER_MAXIMUM_LENGTH"
    " FROM main.sqlite_master m JOIN pragma_table_info(m.name) p"
    " WHERE m.type IN ('table', 'view') AND m.name NOT LIKE 'sqlite\\_%%' ESCAPE '\\';";

sqlite3 *tds_db_open(const char *path, struct tds_db_session *session)
{
	sqlite3 *db = NULL;
	char *sql, *err = NULL;
	size_t i;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		fprintf(stderr, "susdb-tds-server: could not open '%s': %s\n", path,
			db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 10000);
	for (i = 0; i < sizeof(functions) / sizeof(functions[0]); i++) {
		int flags = SQLITE_UTF8 | (functions[i].deterministic ? SQLITE_DETERMINISTIC : 0);

		sqlite3_create_function(db, functions[i].name, functions[i].nargs, flags, session,
					functions[i].fn, NULL, NULL);
	}
	tds_catalog_register(db);
	sql = sqlite3_mprintf(views_sql, session->database, session->database);
	if (!sql || sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "susdb-tds-server: could not create views: %s\n",
			err ? err : "out of memory");
		sqlite3_free(err);
		sqlite3_free(sql);
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_free(sql);
	return db;
}
