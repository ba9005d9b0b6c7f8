/* check: the check registry (STYLE.md "Checks"), its runner, and what check functions share. */
#ifndef SUSAUDIT_CHECK_H
#define SUSAUDIT_CHECK_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "finding.h"
#include "model.h"
#include "report.h"

/* What the checks may be told; tests inject `now`. */
struct check_options {
	time_t now;
	int max_sync_age_days;		/* last-sync: default 7 */
	size_t max_evidence_items;	/* cap on update lists in evidence; 0 = complete lists */
	int max_data_age_hours;		/* wid: stale-data, default 24 */
};

/* Defaults: now = time(NULL), 7 days, complete lists. */
void check_options_init(struct check_options *o);

/* --check / --skip: names of the catalogue. Empty `only` = every check. */
struct check_selection {
	const char *const *only;
	size_t nonly;
	const char *const *skip;
	size_t nskip;
};

/* A SUSDB column (or '*' for a table) a check reads; a reachable server lacking it makes the
 * check `error` for that server, and schema-unsupported names it. */
struct check_column {
	const char *table;
	const char *column;
};

struct check_run;

/* One entry of the catalogue. A check has one or more run functions:
 *  run_model   reads the light model only (configuration, aggregates, events);
 *  run_server  runs once per readable server while its heavy detail is loaded;
 *  run_edge    runs once per upstream/downstream edge with both details loaded (with empty
 *              details when the upstream could not be read: it must start with
 *              check_edge_upstream(), which then records the error). */
struct check_def {
	int id;				/* stable, the table is sorted by it */
	const char *name;		/* kebab-case catalogue name */
	const char *area;		/* "server", "source", "content", "updates", "approvals", "sync" */
	enum severity severity;		/* default */
	const char *rule;		/* "R6", "R1, R2" or "-" */
	const char *summary;		/* fires when ... (one line) */
	const char *remedy;		/* remedy summary */
	const char *why;		/* why the inconsistency matters and how it arises */
	const struct check_column *needs;	/* terminated by {NULL, NULL}; may be NULL */
	void (*run_model)(struct check_run *r);
	void (*run_server)(struct check_run *r, const struct server_detail *d);
	void (*run_edge)(struct check_run *r, const struct server_detail *up,
			 const struct server_detail *down);
};

/* The run-time state of one check, beside the table (checks.c). */
struct check_run {
	const struct model *m;
	const struct check_options *o;
	const struct check_def *def;
	struct findings *out;
	size_t evaluated;		/* servers/edges evaluated */
	size_t errors;			/* servers/edges that could not be evaluated */
	size_t nfindings;
	const char *detail;		/* first reason for an error */
	size_t skipped;			/* servers the check could not apply to (check_skip) */
	const char *skip_detail;	/* first reason for a skip */
};

size_t checks_count(void);
/* The i-th definition in id order, or NULL past the end. */
const struct check_def *checks_get(size_t i);
/* The definition with that name, or NULL. */
const struct check_def *checks_find(const char *name);

/* Whether every name of --check and --skip is in the catalogue: 0, or -1 after logging the
 * first unknown one. */
int checks_selection_check(const struct check_selection *sel);
/* Whether the check of that name runs under the selection (NULL: every check). */
int checks_selected(const struct check_selection *sel, const char *name);

/* Runs the selected checks; fills findings and one struct report_check per catalogue entry
 * (skipped when not selected). Unknown names in `sel` are an error. The strings of `results`
 * point into the registry or into out->arena. Returns 0 or -1 (logged). */
int checks_run(const struct model *m, const struct check_options *o,
	       const struct check_selection *sel, struct findings *out,
	       struct report_check *results);

/* `susaudit checks`: the catalogue as "text", "markdown" (the README table) or "json".
 * Returns 0, or -1 after logging (unknown format, write error). */
int checks_list_write(FILE *out, const char *format);

/* Helpers for check functions (checks.c). */

/* 1 when server s can be evaluated by this check: its data was read and it has every column
 * the check needs; a readable server lacking one counts as an error for the check. Unreachable
 * servers give 0 silently (server-unreachable reports them). */
int check_server_usable(struct check_run *r, size_t s);
/* Records that something was evaluated (pass unless findings), or could not be. */
void check_evaluated(struct check_run *r);
void check_error(struct check_run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Records that a server was left out for a reason that is not an error (a right the login
 * lacks, with the grant that enables it): the check ends skipped when nothing else was
 * evaluated, and pass/fail names the first reason otherwise. */
void check_skip(struct check_run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Formats into the findings arena. */
char *check_fmt(struct check_run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Adds a finding about server `s` with related servers (indexes); severity, check and rule
 * from the definition unless `severity` >= 0 overrides it. */
struct finding *check_add(struct check_run *r, int severity, size_t s, const size_t *related,
			  size_t nrelated, const char *message, const char *remedy);
/* The upstream server of s's configured upstream when both are usable, else -1. An
 * upstream that could not be read is an error for the check (the edge is not evaluated). */
int check_edge_upstream(struct check_run *r, size_t s);
/* An evidence object for one update: update_id, title, kb, revision, state, declined. */
struct evidence *check_update_evidence(struct check_run *r, const struct server_detail *d,
				       size_t update);
/* "the first SUP of primary site P01", "a standalone WSUS server", ... (findings arena). */
const char *check_role_phrase(struct check_run *r, size_t s);
/* The name of the upstream s's role requires: a server's name, "Microsoft Update", the
 * external "host:port", or NULL for a standalone server. */
const char *check_expected_upstream_name(const struct check_run *r, size_t s);
/* 1 when another item may still be appended to a list of n items (max_evidence_items). */
int check_list_room(const struct check_run *r, size_t n);

/* The run functions, one group per file (check_<area>.c). */
void check_server_unreachable(struct check_run *r);
void check_schema_unsupported(struct check_run *r);
void check_sync_source(struct check_run *r);
void check_upstream_server(struct check_run *r);
void check_upstream_unknown(struct check_run *r);
void check_upstream_port(struct check_run *r);
void check_upstream_ssl(struct check_run *r);
void check_replica_mode(struct check_run *r);
void check_upstream_cycle(struct check_run *r);
void check_version_order(struct check_run *r);
void check_storage_option(struct check_run *r);
void check_missing_upstream_updates(struct check_run *r, const struct server_detail *up,
				    const struct server_detail *down);
void check_approval_drift(struct check_run *r, const struct server_detail *up,
			  const struct server_detail *down);
void check_language_mismatch(struct check_run *r);
void check_inactive_approvals(struct check_run *r, const struct server_detail *d);
void check_bits_foreground(struct check_run *r);
void check_proxy_credentials(struct check_run *r);
void check_proxy_basic_auth(struct check_run *r);
void check_content_path(struct check_run *r);
void check_last_sync(struct check_run *r);
void check_stale_data(struct check_run *r);
/* wid: adds "data_apart" evidence to f when the data of servers s and other were read more
 * than CHECK_DATA_APART_SECONDS apart (a comparison across a sync may show only its lag). */
void check_note_data_apart(struct check_run *r, struct finding *f, size_t s, size_t other);
#define CHECK_DATA_APART_SECONDS 3600
/* The maintenance view of the hierarchy (issue 16): one entry per server, deepest tier first,
 * with the figures the maintenance checks judge (the thresholds live in check_maintenance.c).
 * Allocated in `a`; *n is m->nservers. */
void check_maintenance_view(const struct model *m, struct arena *a,
			    struct report_maintenance **out, size_t *n);
/* Superseded, not declined updates over the model's servers, or -1 when no server has the
 * count (for the history trend). */
long long check_maintenance_superseded_total(const struct model *m);
/* Maintenance health (issue 16, check_maintenance.c). */
void check_superseded_not_declined(struct check_run *r);
void check_custom_indexes(struct check_run *r);
void check_index_fragmentation(struct check_run *r);
void check_database_size(struct check_run *r);
void check_stale_clients(struct check_run *r);
void check_database_state(struct check_run *r);
/* check_configmgr.c: ConfigMgr's intent against each SUSDB (cm-*). */
void check_cm_languages(struct check_run *r);
void check_cm_express(struct check_run *r);
void check_cm_upstream(struct check_run *r);
void check_cm_ports(struct check_run *r);

#endif
