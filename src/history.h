/* history: the audit history store (--store, model/history.sql) and the fix journal. */
#ifndef SUSAUDIT_HISTORY_H
#define SUSAUDIT_HISTORY_H

#include <stddef.h>
#include <time.h>

#include <sqlite3.h>

#include "finding.h"
#include "model.h"
#include "report.h"

struct history;

/* Opens the store at `path`. With `create`, a missing file is created (a snapshot with the
 * history tables) and the schema is brought up to date; without it the file must already be
 * a store, and it is opened read-only. Returns 0, or -1 after logging; close with
 * history_close(). */
int history_open(const char *path, int create, struct history **out);
void history_close(struct history *h);	/* rolls back an audit not recorded */
const char *history_path(const struct history *h);

/* Starts recording an audit of the hierarchy `hierarchy`: takes the store's write lock (so
 * two audits into one store cannot interleave) and loads the previous audit of the same
 * hierarchy: its findings and each server's languages. Returns 0 or -1 (logged). */
int history_audit_begin(struct history *h, const char *hierarchy);

/* Fills each readable server's previous_languages (in m's arena) from the previous audit, for
 * language-mismatch; nothing when there is none or the server was not readable then. */
void history_set_previous_languages(const struct history *h, struct model *m);

/* Marks every finding new or persisting against the previous audit (same check, server and
 * related servers) and returns the previous findings that are gone as *resolved (malloc'd
 * array, caller frees; strings in `a`), sorted. A gone finding for which `evaluated` (when
 * not NULL) returns 0 (its check was not run, its server not read) is not resolved: it is
 * recorded with this audit as it was, and the next audit compares with it again. */
void history_compare(struct history *h, struct findings *f, struct arena *a,
		     struct finding **resolved, size_t *nresolved,
		     int (*evaluated)(const struct finding *gone, void *data), void *data);

/* The report's trend (past audits of the hierarchy, oldest first, then this one, at most 30)
 * and each server's bits_fix_note from the fix journal. Memory in `a`. 0 or -1 (logged). */
int history_decorate(struct history *h, struct report *r, struct arena *a);

/* 1 when the audit changed something worth telling: an unsuppressed new finding or a resolved
 * one. --quiet prints nothing otherwise. */
int history_report_changed(const struct report *r);

/* Stores the audit (counts, findings with their status, resolved ones, servers' languages)
 * and commits. `snapshot_path` is NULL when the run audited is in the store itself.
 * Returns 0, or -1 after logging and rolling back. */
int history_audit_record(struct history *h, const struct report *r, const struct model *m,
			 const char *snapshot_path);

/* One attempt of `susaudit fix`. -1 for an unknown value. */
struct history_fix {
	const char *operator_name;
	const char *hierarchy;
	const char *server;
	const char *fix;		/* "bits-foreground" */
	const char *action;		/* "dry-run" | "apply" | "revert" */
	int value_before;
	int value_after;
	const char *outcome;		/* "dry-run" | "applied" | "no-op" | "refused" | ... */
	const char *detail;
};

/* Appends the attempt to the journal with the current time. 0 or -1 (logged). */
int history_journal_add(struct history *h, const struct history_fix *e);

/* The value recorded before the last change applied by `fix` on `server` that has not been
 * reverted since: 0 and *value_before, 1 when there is none, -1 on error (logged). *at and
 * *operator_name (malloc'd, may be NULL) say when and by whom. */
int history_last_applied(struct history *h, const char *server, const char *fix,
			 int *value_before, char **at, char **operator_name);

/* Reading the store (`susaudit history`). Strings are valid during the callback only; a
 * non-zero return from the callback stops the walk and is returned. -1 after logging when
 * the store cannot be read. */
struct history_audit_row {
	long long id;
	const char *hierarchy, *audited_at;
	long long run_id;		/* -1: NULL */
	const char *snapshot;		/* NULL: the run is in the store */
	int errors, warnings, infos, new_findings, persisting, resolved;
	const char *tool_version;
};

struct history_change {
	const char *status, *severity, *check, *server, *message;
};

struct history_fix_row {
	const char *at, *operator_name, *hierarchy, *server, *fix, *action;
	int has_before, value_before, has_after, value_after;
	const char *outcome, *detail;
};

/* Every audit, oldest first. */
int history_each_audit(struct history *h, int (*fn)(const struct history_audit_row *, void *),
		       void *data);
/* The new and resolved findings of one audit: as recorded, or (by_severity) new before
 * resolved, errors first, then by server and check. */
int history_each_change(struct history *h, long long audit_id, int by_severity,
			int (*fn)(const struct history_change *, void *), void *data);
/* Every attempt in the fix journal, oldest first. */
int history_each_fix(struct history *h, int (*fn)(const struct history_fix_row *, void *),
		     void *data);

/* Retention (`history --prune`). keep: the N latest runs of each hierarchy stay (0: no such
 * limit); older_than_days: runs collected before now - DAYS go (-1: no such limit); the latest
 * complete run of each hierarchy always stays. with_audits: the audits of removed runs go
 * too (their findings and servers), except the latest of each hierarchy. */
struct history_prune_options {
	int keep;
	int older_than_days;
	int with_audits;
	time_t now;
};

struct history_prune_result {
	long long runs, servers, packs, audits;
	long long bytes_before, bytes_after;
};

/* Removes the runs in one transaction (every table with a server_key column loses their
 * servers' rows; packs and catalogue entries nothing refers to any more go), commits, then
 * VACUUMs the store. Needs a store opened with create = 1. 0 or -1 (logged). */
int history_prune(struct history *h, const struct history_prune_options *o,
		  struct history_prune_result *r);

#endif
