/* cmd_runs: `susaudit runs SNAPSHOT.db`: the collection runs a snapshot (or a store) holds, so
 * `audit --snapshot S --run N` can audit any of them. Read-only. */
#include <getopt.h> /* optind */
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "cli.h"
#include "cli_options.h"
#include "infile.h"
#include "json_write.h"
#include "log.h"
#include "report_escape.h"
#include "snapshot.h"

static const char runs_sql[] =
    "SELECT r.run_id, r.started_at, r.finished_at, r.hierarchy_name, r.tool_version,"
    " (SELECT COUNT(*) FROM server s WHERE s.run_id = r.run_id),"
    " (SELECT COUNT(*) FROM server s WHERE s.run_id = r.run_id AND s.status = 'failed')"
    " FROM run r ORDER BY r.run_id";

static const char *text(sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);

	return s ? s : "";
}

static int list(sqlite3 *db, const char *path, int json, FILE *out)
{
	sqlite3_stmt *st;
	int rc, n = 0;

	if (sqlite3_prepare_v2(db, runs_sql, -1, &st, NULL) != SQLITE_OK)
		return log_error("could not read the runs of '%s': %s", path, sqlite3_errmsg(db));
	if (json)
		fputs("{\"format\": \"susaudit-runs/1\", \"runs\": [", out);
	else
		fprintf(out, "%-5s %-24s %-24s %-8s %-7s %s\n", "RUN", "STARTED", "FINISHED",
			"SERVERS", "FAILED", "HIERARCHY");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int complete = sqlite3_column_type(st, 2) != SQLITE_NULL;

		if (json) {
			fprintf(out, "%s\n  {\"run\": %lld, \"started_at\": ", n ? "," : "",
				(long long)sqlite3_column_int64(st, 0));
			json_write_string(out, text(st, 1));
			fputs(", \"finished_at\": ", out);
			json_write_string(out, complete ? text(st, 2) : NULL);
			fputs(", \"hierarchy\": ", out);
			json_write_string(out, text(st, 3));
			fputs(", \"tool_version\": ", out);
			json_write_string(out, text(st, 4));
			fprintf(out, ", \"servers\": %lld, \"failed\": %lld, \"complete\": %s}",
				(long long)sqlite3_column_int64(st, 5),
				(long long)sqlite3_column_int64(st, 6), complete ? "true" : "false");
		} else {
			fprintf(out, "%-5lld %-24s %-24s %-8lld %-7lld ",
				(long long)sqlite3_column_int64(st, 0), text(st, 1),
				complete ? text(st, 2) : "(interrupted)",
				(long long)sqlite3_column_int64(st, 5),
				(long long)sqlite3_column_int64(st, 6));
			report_text_put(out, text(st, 3));
			putc('\n', out);
		}
		n++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return log_error("could not read the runs of '%s': %s", path, sqlite3_errmsg(db));
	if (json)
		fputs(n ? "\n]}\n" : "]}\n", out);
	else if (!n)
		fputs("(no runs)\n", out);
	return 0;
}

int cmd_runs(int argc, char **argv)
{
	const char *format = "text", *path;
	sqlite3 *db = NULL;
	int c, rc;

	optind = 1;
	while ((c = cli_getopt(&cli_spec_runs, argc, argv)) != -1) {
		if (c != 'f')
			return EXIT_TOOL_FAILED;
		format = optarg;
	}
	if (optind != argc - 1) {
		log_error("usage: susaudit runs SNAPSHOT.db [--format text|json]");
		return EXIT_TOOL_FAILED;
	}
	if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0) {
		log_error("--format '%s' is not one of text, json", format);
		return EXIT_TOOL_FAILED;
	}
	path = argv[optind];
	if (infile_check_regular(path, 0) < 0)
		return EXIT_TOOL_FAILED;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		log_error("could not open '%s': %s", path, db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return EXIT_TOOL_FAILED;
	}
	rc = snapshot_db_check_format(db, path);
	if (rc == 0)
		rc = list(db, path, strcmp(format, "json") == 0, stdout);
	sqlite3_close(db);
	return rc < 0 ? EXIT_TOOL_FAILED : EXIT_CLEAN;
}
