/* cmd_snapshot: `susaudit snapshot show`, a snapshot's (or store's) packed rows as rows. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "cli.h"
#include "cli_options.h"
#include "log.h"
#include "snapshot.h"
#include "snapshot_unpack.h"

/* The tables `show` prints: format 1's, in their columns. */
static const struct {
	const char *name;
	enum snapshot_table table;
	const char *columns;
	const char *order;
} shown[] = {
    {"approval", SNAP_APPROVAL,
     "update_guid, revision_number, group_guid, group_name, action_id, deployment_status,"
     " deployment_time, admin_name",
     "update_guid, group_guid, revision_number, action_id"},
    {"update_category", SNAP_UPDATE_CATEGORY, "update_guid, category_guid",
     "update_guid, category_guid"},
    {"update_language", SNAP_UPDATE_LANGUAGE, "update_guid, language_id",
     "update_guid, language_id"},
    {"update_revision", SNAP_UPDATE_REVISION,
     "update_guid, revision_number, declined, state, title, kb, update_type", "update_guid"},
};

/* A value as text: NULL is \N; backslash, tab and newline escaped. */
static void put_value(FILE *out, sqlite3_stmt *st, int i)
{
	const char *s;

	if (sqlite3_column_type(st, i) == SQLITE_NULL) {
		fputs("\\N", out);
		return;
	}
	for (s = (const char *)sqlite3_column_text(st, i); s && *s; s++) {
		if (*s == '\\')
			fputs("\\\\", out);
		else if (*s == '\t')
			fputs("\\t", out);
		else if (*s == '\n')
			fputs("\\n", out);
		else if (*s == '\r')
			fputs("\\r", out);
		else
			fputc(*s, out);
	}
}

static int show(sqlite3 *db, const char *path, size_t t, long run_id, const char *server, FILE *out)
{
	char *sql;
	sqlite3_stmt *st;
	int rc, i, n;

	sql = sqlite3_mprintf("SELECT s.name, %s FROM %s x JOIN main.server s USING (server_key)"
			      " WHERE s.run_id = (CASE WHEN ?1 > 0 THEN ?1 ELSE (SELECT"
			      " MAX(run_id) FROM main.run WHERE finished_at IS NOT NULL) END)"
			      " AND (?2 IS NULL OR s.name = ?2 COLLATE NOCASE) ORDER BY s.name, %s",
			      shown[t].columns, shown[t].name, shown[t].order);
	rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	sqlite3_free(sql);
	if (rc != SQLITE_OK)
		return log_error("could not read '%s': %s", path, sqlite3_errmsg(db));
	sqlite3_bind_int64(st, 1, run_id);
	if (server)
		sqlite3_bind_text(st, 2, server, -1, SQLITE_STATIC);
	n = sqlite3_column_count(st);
	fputs("server", out);
	for (i = 1; i < n; i++)
		fprintf(out, "\t%s", sqlite3_column_name(st, i));
	fputc('\n', out);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (i = 0; i < n; i++) {
			if (i)
				fputc('\t', out);
			put_value(out, st, i);
		}
		fputc('\n', out);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0
				 : log_error("could not read '%s': %s", path, sqlite3_errmsg(db));
}

int cmd_snapshot(int argc, char **argv)
{
	const char *server = NULL, *path, *table;
	long run_id = 0;
	sqlite3 *db = NULL;
	size_t t;
	int c, rc;

	optind = 1;
	while ((c = cli_getopt(&cli_spec_snapshot, argc, argv)) != -1) {
		if (c == 'r')
			run_id = strtol(optarg, NULL, 10);
		else if (c == 's')
			server = optarg;
		else
			return EXIT_TOOL_FAILED;
	}
	if (argc - optind != 3 || strcmp(argv[optind], "show") != 0) {
		log_error("usage: susaudit snapshot show SNAPSHOT|STORE TABLE [--run N] "
			  "[--server NAME]; TABLE is update_revision, update_category, "
			  "update_language or approval");
		return EXIT_TOOL_FAILED;
	}
	path = argv[optind + 1];
	table = argv[optind + 2];
	for (t = 0; t < sizeof(shown) / sizeof(shown[0]); t++)
		if (strcmp(shown[t].name, table) == 0)
			break;
	if (t == sizeof(shown) / sizeof(shown[0])) {
		log_error("table '%s' is not one of update_revision, update_category, "
			  "update_language, approval (the others are plain tables: use sqlite3)",
			  table);
		return EXIT_TOOL_FAILED;
	}
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		log_error("could not open '%s': %s", path,
			  db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return EXIT_TOOL_FAILED;
	}
	rc = snapshot_db_check_format(db, path);
	if (rc == 0)
		rc = snapshot_unpack_temp_tables(db, 1u << shown[t].table);
	if (rc == 0)
		rc = show(db, path, t, run_id, server, stdout);
	sqlite3_close(db);
	if (rc == 0 && (fflush(stdout) != 0 || ferror(stdout)))
		rc = log_error("could not write to standard output");
	return rc < 0 ? EXIT_TOOL_FAILED : EXIT_CLEAN;
}
