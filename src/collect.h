/* collect: reads every SUSDB of a hierarchy through db-lib into a snapshot, in parallel. */
#ifndef SUSAUDIT_COLLECT_H
#define SUSAUDIT_COLLECT_H

#include "hierarchy.h"

struct collect_options {
	int jobs;		/* connections at once, default 4 */
	int progress;		/* draw progress lines on stderr (a terminal) */
	int retries;		/* extra attempts after a deadlock or a lost connection, default 3 */
	int backoff_ms;		/* first retry delay, doubled each time; default 500 */
	/* Added: --require-verified-tls: every server needs a ca-file and is connected with
	 * encryption "require"; a server whose certificate was not verified fails closed */
	int require_verified_tls;
};

/* The session options set on every connection before the queries; the PowerShell collector
 * sets the same (collector/susaudit-collect.ps1.in, checked by test_collector_script). */
extern const char collect_session_setup[];

struct collect_summary {
	long long run_id;
	size_t servers;
	size_t failed;
	long long rows;
	size_t exports_failed;	/* wid: export files that could not be written (logged) */
};

/* Collects every server of `h` into the snapshot at `path` (created when missing) as one new
 * run. A server that cannot be reached or read is recorded as failed with its error; that is
 * not a failure of the collection. Returns 0, or -1 when the snapshot itself cannot be written
 * (logged). */
int collect_run(const struct hierarchy *h, const char *path, const struct collect_options *o,
		struct collect_summary *summary);

/* wid: the same, also writing each server read live as DIR/NAME.xml (export_write.h) when
 * export_dir is not NULL; an export that cannot be written is logged and counted in
 * summary->exports_failed. */
int collect_run_export(const struct hierarchy *h, const char *path,
		       const struct collect_options *o, const char *export_dir,
		       struct collect_summary *summary);

/* Reads every server's password source (not wid or export servers) before any connection:
 * an unset password-env or a password file others can read. Logs each problem; 0 or -1. */
int collect_check_configuration(const struct hierarchy *h);

#endif
