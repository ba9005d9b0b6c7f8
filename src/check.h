/* check: the check registry (STYLE.md "Checks"), its runner, and what check functions share.
 *
 * Adding a check (the registry entry is the one place that knows about it):
 *  1. Write its run function(s) in src/check_<area>.c and declare them at the end of this
 *     file. Start every per-server loop with check_server_usable(r, s) (edges: with
 *     check_edge_upstream()); mark each server it applies to with check_evaluated_at(r, s);
 *     record what could not be evaluated with check_error_at(r, s, ...) and never treat
 *     missing data as a pass.
 *  2. Append one entry at the end of check_table[] in src/checks.c: the next id, designated
 *     initializers, a comment on why the inconsistency matters and how it arises, `.reads` =
 *     CHECK_READS(QUERY_...) for every query of src/collect_queries.c whose rows it uses
 *     (directly, through aggregates or through a server_detail), `.flags` as below.
 *  3. A query it needs that does not exist yet: add the queries/ file, its id at the end of
 *     enum collect_query_id and its entry in collect_queries[] (columns and SUSDB needs).
 *  4. Tests: a defect fixture that makes it fire and one that keeps it quiet
 *     (tests/fixtures/defects/, tests/support/defect_catalogue.c), a test in
 *     tests/unit/test_checks*.c, and its row in test_registry.c's catalogue.
 *  5. Regenerate the README table: `susaudit checks --format markdown`.
 */
#ifndef SUSAUDIT_CHECK_H
#define SUSAUDIT_CHECK_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "collect_queries.h"
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

/* The queries a check reads, as a set of enum collect_query_id: CHECK_READS(QUERY_UPDATES) |
 * CHECK_READS(QUERY_APPROVALS). A reachable server that lacks a column one of them needs (the
 * collector then skipped that query) makes the check `error` there, and schema-unsupported
 * names the check. */
#define CHECK_READS(query) (1u << (query))

/* What else the tool must know about a check (check_def.flags). */
enum check_flag {
	/* Its findings are about the link between a server and its upstream: the reports draw
	 * them on that link (report_is_link_check). */
	CHECK_LINK = 1u << 0,
	/* It reports on the collection itself (could the server be read?): a server that could
	 * not be read is what it evaluates, not a gap in its evidence; its findings explain
	 * why other checks could not be evaluated there. */
	CHECK_ABOUT_COLLECTION = 1u << 1,
	/* It runs after every other check and reads their outcomes (struct check_run.runs). */
	CHECK_RUNS_LAST = 1u << 2,
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
	unsigned reads;			/* CHECK_READS(...) of every query whose rows it uses */
	unsigned flags;			/* enum check_flag */
	void (*run_model)(struct check_run *r);
	void (*run_server)(struct check_run *r, const struct server_detail *d);
	void (*run_edge)(struct check_run *r, const struct server_detail *up,
			 const struct server_detail *down);
};

/* Why a check could not be evaluated somewhere: the server whose state is the cause
 * (CHECK_NO_SERVER when none is known) and a message naming the server or link. */
#define CHECK_NO_SERVER ((size_t)-1)
struct check_reason {
	size_t server;
	const char *text;		/* in the findings arena */
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
	struct check_reason *reasons;	/* one per error, in order (malloc'd by the runner) */
	unsigned char *applied;		/* per server: evaluated there (runner-owned) */
	size_t nreasons;
	/* CHECK_RUNS_LAST: every check's run (this one included), in table order */
	const struct check_run *runs;
	size_t nruns;
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
/* Whether the check of that name runs under the selection (NULL: every check). A
 * CHECK_RUNS_LAST check runs whenever another check does, unless --skip names it. */
int checks_selected(const struct check_selection *sel, const char *name);

/* Whether an audit of `m` under `sel` could have found what `check` finds about `server` (NULL:
 * about the hierarchy): not when the check was not selected, nor when the server could not be
 * read (unless the check is about reading it, CHECK_ABOUT_COLLECTION). A server no longer in
 * the hierarchy counts as read. --store and --suppress use it so that what was not looked at
 * is neither "resolved" nor "matched nothing". */
int checks_finding_could_be_seen(const struct model *m, const struct check_selection *sel,
				 const char *check, const char *server);

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
/* Records that server s (its link to its upstream, for a link check) was evaluated: pass
 * there unless findings; reports list a passing test per server. check_evaluated() records
 * an evaluation of the hierarchy as a whole. */
void check_evaluated_at(struct check_run *r, size_t s);
void check_evaluated(struct check_run *r);
/* Records that server s (or the link whose cause s is, e.g. an upstream that could not be
 * read) could not be evaluated, and why. check_error() is the same with CHECK_NO_SERVER. */
void check_error_at(struct check_run *r, size_t s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void check_error(struct check_run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Whether the check reads query q (its def's `reads`). */
int check_reads(const struct check_def *d, enum collect_query_id q);
/* The first column a query of d's `reads` needs that server ms lacks, as "tbTable.Column"
 * (a string of the query catalogue), or NULL when it has them all. */
const char *check_lacking_column(const struct check_def *d, const struct model_server *ms);
/* The message of the first out-of-range value (model_server_invalid) in a column a query of
 * d's `reads` needs, or NULL: such a value is an error of its query on that server. */
const char *check_invalid_value(const struct check_def *d, const struct model_server *ms);
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
void check_not_evaluated(struct check_run *r);
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
