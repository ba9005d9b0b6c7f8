/* cmd_history: `susaudit history`, the audits kept in a store, what changed, and the fix journal.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "cli.h"
#include "cli_options.h"
#include "history.h"
#include "log.h"
#include "report_escape.h"

/* Changes listed per audit in text before "and N more". */
#define TEXT_CHANGES_CAP 20

static const char *text(sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);

	return s ? s : "";
}

static void text_audit_changes(sqlite3 *db, long long audit_id, FILE *out)
{
	sqlite3_stmt *st;
	int n = 0;

	if (sqlite3_prepare_v2(
		db,
		"SELECT status, severity, check_name, server, message FROM"
		" audit_finding WHERE audit_id = ?1 AND status IN ('new', 'resolved')"
		" ORDER BY status, CASE severity WHEN 'error' THEN 0 WHEN 'warning'"
		" THEN 1 ELSE 2 END, server, check_name",
		-1, &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_int64(st, 1, audit_id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (n++ >= TEXT_CHANGES_CAP)
			continue;
		fprintf(out, "      %-8s %-7s %s", text(st, 0), text(st, 1), text(st, 2));
		if (*text(st, 3)) {
			fputs(" on ", out);
			report_text_put(out, text(st, 3));
		}
		fputs(": ", out);
		report_text_put(out, text(st, 4));
		fputc('\n', out);
	}
	if (n > TEXT_CHANGES_CAP)
		fprintf(out, "      and %d more\n", n - TEXT_CHANGES_CAP);
	sqlite3_finalize(st);
}

static int write_text(struct history *h, FILE *out)
{
	sqlite3 *db = history_db(h);
	sqlite3_stmt *st;
	int n = 0, rc;

	fprintf(out, "Audits in '%s':\n", history_path(h));
	if (sqlite3_prepare_v2(
		db,
		"SELECT audit_id, hierarchy_name, audited_at, errors, warnings, infos,"
		" new_findings, persisting, resolved, tool_version FROM audit"
		" ORDER BY audit_id",
		-1, &st, NULL) != SQLITE_OK)
		return log_error("store '%s': %s", history_path(h), sqlite3_errmsg(db));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(st, 0);

		fprintf(out, "  #%lld  %s  ", id, text(st, 2));
		report_text_put(out, text(st, 1));
		fprintf(out,
			"  errors %d, warnings %d, info %d; new %d, persisting %d, "
			"resolved %d (susaudit %s)\n",
			sqlite3_column_int(st, 3), sqlite3_column_int(st, 4),
			sqlite3_column_int(st, 5), sqlite3_column_int(st, 6),
			sqlite3_column_int(st, 7), sqlite3_column_int(st, 8), text(st, 9));
		text_audit_changes(db, id, out);
		n++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return log_error("store '%s': %s", history_path(h), sqlite3_errmsg(db));
	if (!n)
		fputs("  (none)\n", out);

	fputs("\nFix journal:\n", out);
	if (sqlite3_prepare_v2(
		db,
		"SELECT at, operator, server, fix, action, value_before, value_after,"
		" outcome, detail FROM fix_journal ORDER BY fix_id",
		-1, &st, NULL) != SQLITE_OK)
		return log_error("store '%s': %s", history_path(h), sqlite3_errmsg(db));
	n = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		fprintf(out, "  %s  %s %s on ", text(st, 0), text(st, 3), text(st, 4));
		report_text_put(out, text(st, 2));
		fputs(" by ", out);
		report_text_put(out, text(st, 1));
		fprintf(out, ": %s (%s -> %s)", text(st, 7),
			sqlite3_column_type(st, 5) == SQLITE_NULL ? "?" : text(st, 5),
			sqlite3_column_type(st, 6) == SQLITE_NULL ? "?" : text(st, 6));
		if (*text(st, 8)) {
			fputs(": ", out);
			report_text_put(out, text(st, 8));
		}
		fputc('\n', out);
		n++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return log_error("store '%s': %s", history_path(h), sqlite3_errmsg(db));
	if (!n)
		fputs("  (none)\n", out);
	return 0;
}

static void json_int_or_null(FILE *out, sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		fputs("null", out);
	else
		fprintf(out, "%lld", sqlite3_column_int64(st, i));
}

static void json_text_or_null(FILE *out, sqlite3_stmt *st, int i)
{
	report_json_string(out, (const char *)sqlite3_column_text(st, i));
}

static void json_audit_changes(sqlite3 *db, long long audit_id, FILE *out)
{
	sqlite3_stmt *st;
	int n = 0;

	fputs("[", out);
	if (sqlite3_prepare_v2(
		db,
		"SELECT status, severity, check_name, server, message FROM"
		" audit_finding WHERE audit_id = ?1 AND status IN ('new', 'resolved')"
		" ORDER BY rowid",
		-1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, audit_id);
		while (sqlite3_step(st) == SQLITE_ROW) {
			fputs(n++ ? ",\n        {\"status\": " : "\n        {\"status\": ", out);
			json_text_or_null(out, st, 0);
			fputs(", \"severity\": ", out);
			json_text_or_null(out, st, 1);
			fputs(", \"check\": ", out);
			json_text_or_null(out, st, 2);
			fputs(", \"server\": ", out);
			json_text_or_null(out, st, 3);
			fputs(", \"message\": ", out);
			json_text_or_null(out, st, 4);
			fputs("}", out);
		}
		sqlite3_finalize(st);
	}
	fputs(n ? "\n      ]" : "]", out);
}

static int write_json(struct history *h, FILE *out)
{
	sqlite3 *db = history_db(h);
	sqlite3_stmt *st;
	int n = 0, rc;

	fputs("{\n  \"format\": \"susaudit-history/1\",\n  \"audits\": [", out);
	if (sqlite3_prepare_v2(db,
			       "SELECT audit_id, hierarchy_name, audited_at, run_id, snapshot_path,"
			       " errors, warnings, infos, new_findings, persisting, resolved,"
			       " tool_version FROM audit ORDER BY audit_id",
			       -1, &st, NULL) != SQLITE_OK)
		return log_error("store '%s': %s", history_path(h), sqlite3_errmsg(db));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		fprintf(out, "%s\n    {\"id\": %lld, \"hierarchy\": ", n++ ? "," : "",
			sqlite3_column_int64(st, 0));
		json_text_or_null(out, st, 1);
		fputs(", \"audited_at\": ", out);
		json_text_or_null(out, st, 2);
		fputs(", \"run_id\": ", out);
		json_int_or_null(out, st, 3);
		fputs(", \"snapshot\": ", out);
		json_text_or_null(out, st, 4);
		fprintf(out,
			",\n      \"summary\": {\"error\": %d, \"warning\": %d, \"info\": %d},"
			" \"new\": %d, \"persisting\": %d, \"resolved\": %d, \"tool_version\": ",
			sqlite3_column_int(st, 5), sqlite3_column_int(st, 6),
			sqlite3_column_int(st, 7), sqlite3_column_int(st, 8),
			sqlite3_column_int(st, 9), sqlite3_column_int(st, 10));
		json_text_or_null(out, st, 11);
		fputs(",\n      \"changes\": ", out);
		json_audit_changes(db, sqlite3_column_int64(st, 0), out);
		fputs("}", out);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return log_error("store '%s': %s", history_path(h), sqlite3_errmsg(db));
	fputs(n ? "\n  ],\n  \"fixes\": [" : "],\n  \"fixes\": [", out);
	if (sqlite3_prepare_v2(db,
			       "SELECT at, operator, hierarchy_name, server, fix, action,"
			       " value_before, value_after, outcome, detail FROM fix_journal"
			       " ORDER BY fix_id",
			       -1, &st, NULL) != SQLITE_OK)
		return log_error("store '%s': %s", history_path(h), sqlite3_errmsg(db));
	n = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		static const char *const keys[] = {
		    "at",     "operator",     "hierarchy",   "server",	"fix",
		    "action", "value_before", "value_after", "outcome", "detail"};
		int i;

		fputs(n++ ? ",\n    {" : "\n    {", out);
		for (i = 0; i < 10; i++) {
			fprintf(out, "%s\"%s\": ", i ? ", " : "", keys[i]);
			if (i == 6 || i == 7)
				json_int_or_null(out, st, i);
			else
				json_text_or_null(out, st, i);
		}
		fputs("}", out);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return log_error("store '%s': %s", history_path(h), sqlite3_errmsg(db));
	fputs(n ? "\n  ]\n}\n" : "]\n}\n", out);
	return 0;
}

int cmd_history(int argc, char **argv)
{
	const char *store = NULL, *format = "text";
	struct history *h;
	int c, rc;

	optind = 1;
	while ((c = cli_getopt(&cli_spec_history, argc, argv)) != -1) {
		if (c == 'S')
			store = optarg;
		else if (c == 'f')
			format = optarg;
		else
			return EXIT_TOOL_FAILED;
	}
	if (optind != argc || !store) {
		log_error("usage: susaudit history --store HISTORY.db [--format text|json]");
		return EXIT_TOOL_FAILED;
	}
	if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0) {
		log_error("--format '%s' is not one of text, json", format);
		return EXIT_TOOL_FAILED;
	}
	if (history_open(store, 0, &h) < 0)
		return EXIT_TOOL_FAILED;
	rc = strcmp(format, "json") == 0 ? write_json(h, stdout) : write_text(h, stdout);
	history_close(h);
	if (rc == 0 && (fflush(stdout) != 0 || ferror(stdout)))
		rc = log_error("could not write the history to standard output");
	return rc < 0 ? EXIT_TOOL_FAILED : EXIT_CLEAN;
}
