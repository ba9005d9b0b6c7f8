/* cmd_audit: the pipeline of STYLE.md — load, collect or open, model, check, report, exit code. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "cli.h"
#include "cli_options.h"
#include "collect.h"
#include "hierarchy.h"
#include "history.h"
#include "log.h"
#include "model.h"
#include "outfile.h"
#include "report.h"
#include "report_writers.h"
#include "signals.h"
#include "finding_cause.h"
#include "suppress.h"
#include "version.h"
#include "xalloc.h"

struct audit_args {
	const char *hierarchy;
	const char *snapshot;
	int run;			/* --run N with --snapshot; 0: the last complete run */
	const char *plan;
	const char *store;
	const char *output;
	const char *suppress;
	enum report_format format;
	enum severity fail_on;
	const char **only, **skip;
	size_t nonly, nskip;
	int jobs;
	int quiet;
	struct check_options checks;
	time_t generated_at;	/* --now, else the time of the audit; checks.now is the run's
				 * collection time unless --now says otherwise (issue 12) */
	int now_given;
	/* loaded before anything is collected: a bad file must not cost a collection */
	struct suppressions *sup;
	struct hierarchy *plan_h;
	int require_verified_tls;	/* --require-verified-tls */
};

/* "--format 'jsn' is not one of ... (did you mean 'json'?)", -1. */
static int unknown_format(const char *name)
{
	const char *names[16], *close;
	size_t n = 0;
	enum report_format f;

	for (f = REPORT_TEXT; n < 16 && strcmp(report_format_name(f), "unknown") != 0; f++)
		names[n++] = report_format_name(f);
	close = cli_suggest(name, names, n);
	return log_error("--format '%s' is not one of text, json, html, junit, csv, nagios, "
			 "prometheus%s%s%s",
			 name, close ? " (did you mean '" : "", close ? close : "",
			 close ? "'?)" : "");
}

static void audit_args_init(struct audit_args *a)
{
	memset(a, 0, sizeof(*a));
	check_options_init(&a->checks);
	a->format = REPORT_TEXT;
	a->fail_on = SEVERITY_WARNING;
	a->jobs = 4;
}

static void audit_args_release(struct audit_args *a)
{
	suppress_free(a->sup);
	a->sup = NULL;
	hierarchy_free(a->plan_h);
	a->plan_h = NULL;
	free(a->only);
	free(a->skip);
	a->only = NULL;
	a->skip = NULL;
}

static int parse_args(int argc, char **argv, struct audit_args *a)
{
	int c;

	optind = 1;
	while ((c = cli_getopt(&cli_spec_audit, argc, argv)) != -1) {
		switch (c) {
		case 's':
			a->snapshot = optarg;
			break;
		case 'p':
			a->plan = optarg;
			break;
		case 'S':
			a->store = optarg;
			break;
		case 'f':
			if (report_format_parse(optarg, &a->format) < 0)
				return unknown_format(optarg);
			break;
		case 'o':
			a->output = optarg;
			break;
		case 'F':
			if (severity_parse(optarg, &a->fail_on) < 0)
				return log_error("--fail-on '%s' is not one of info, warning, error",
						 optarg);
			break;
		case 'c':
			a->only = xrealloc(a->only, (a->nonly + 1) * sizeof(*a->only));
			a->only[a->nonly++] = optarg;
			break;
		case 'k':
			a->skip = xrealloc(a->skip, (a->nskip + 1) * sizeof(*a->skip));
			a->skip[a->nskip++] = optarg;
			break;
		case 'u':
			a->suppress = optarg;
			break;
		case 'j':
			if (cli_parse_int("--jobs", optarg, 1, 256, &a->jobs) < 0)
				return -1;
			break;
		case 'm':
			if (cli_parse_int("--max-sync-age", optarg, 1, 3650,
					  &a->checks.max_sync_age_days) < 0)
				return -1;
			break;
		case 'n':
			if (cli_parse_time(optarg, &a->checks.now) < 0)
				return -1;
			a->now_given = 1;
			break;
		case 'A':
			if (cli_parse_int("--max-data-age", optarg, 1, 87600,
					  &a->checks.max_data_age_hours) < 0)
				return -1;
			break;
		case 'q':
			a->quiet = 1;
			break;
		case 'v':
			log_set_level(LOG_LEVEL_INFO);
			break;
		case 'T':
			a->require_verified_tls = 1;
			break;
		case 'R':
			if (cli_parse_int("--run", optarg, 1, 2000000000, &a->run) < 0)
				return -1;
			break;
		default:
			return -1;
		}
	}
	/* --quiet is for cron, which mails stderr too: a server that could not be read is a
	 * finding (server-unreachable) in the report, and need not be a warning every night */
	if (a->quiet && log_get_level() == LOG_LEVEL_WARNING)
		log_set_level(LOG_LEVEL_ERROR);
	if (optind < argc)
		a->hierarchy = argv[optind++];
	if (optind != argc || (!a->hierarchy) == (!a->snapshot))
		return log_error("usage: susaudit audit HIERARCHY.xml | --snapshot SNAPSHOT.db "
				 "[options] (see 'susaudit --help')");
	if (a->store && a->plan)
		return log_error("--store keeps audits of the hierarchy as it is: it cannot be "
				 "combined with --plan");
	if (a->run && !a->snapshot)
		return log_error("--run picks a run of --snapshot SNAPSHOT.db ('susaudit runs "
				 "SNAPSHOT.db' lists them); a collection makes one run");
	return 0;
}

/* -o naming one of the files the audit reads would replace it with the report: a hierarchy
 * file, a snapshot or a store is not something to lose to a slip of the tab key. */
static int output_is_input(const struct audit_args *a)
{
	const char *const inputs[] = {a->hierarchy, a->snapshot, a->store, a->plan, a->suppress};
	const char *const names[] = {"the hierarchy file", "the snapshot", "the store",
				     "the plan", "the suppression file"};
	struct stat out, in;
	size_t i;

	if (strcmp(a->output, "-") == 0 || stat(a->output, &out) != 0)
		return 0;
	for (i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++)
		if (inputs[i] && stat(inputs[i], &in) == 0 && in.st_dev == out.st_dev &&
		    in.st_ino == out.st_ino)
			return log_error("-o '%s' is %s: the report would replace it", a->output,
					 names[i]);
	return 0;
}

/* --check NAME --skip NAME evaluates nothing, and an audit of nothing must not read as a clean
 * one: the contradiction is refused, naming the checks. Returns 0 or -1 (logged). */
static int selection_leaves_a_check(const struct audit_args *a)
{
	struct check_selection sel = {a->only, a->nonly, a->skip, a->nskip};
	size_t i, n = checks_count(), at = 0;
	char names[512];

	for (i = 0; i < n; i++)
		if (checks_selected(&sel, checks_get(i)->name))
			return 0;
	names[0] = '\0';
	for (i = 0; i < a->nonly && at + 1 < sizeof(names); i++)
		at += (size_t)snprintf(names + at, sizeof(names) - at, "%s'%s'", i ? ", " : "",
				       a->only[i]);
	return log_error("every check named by --check is also named by --skip (%s): no check is "
			 "left to run",
			 names);
}

/* The servers the suppression file names are servers of the hierarchy file: checked before
 * collecting, so a misspelt name costs no collection (with --snapshot, against the snapshot's
 * hierarchy once it is open). Returns 0 or -1 (logged). */
static int suppressions_fit_file(struct audit_args *a)
{
	struct hierarchy *h;
	int rc;

	if (hierarchy_load(a->hierarchy, &h) < 0)
		return -1;
	rc = suppress_check_servers(a->sup, h);
	hierarchy_free(h);
	return rc;
}

/* Everything the command line names besides the hierarchy and the servers: check names, the
 * suppression and plan files, the report's place. Checked before a collection that may take
 * long, and before anything is written to a store. Returns 0 or -1 (logged). */
static int load_inputs(struct audit_args *a)
{
	struct check_selection sel = {a->only, a->nonly, a->skip, a->nskip};
	size_t i, ncheck = checks_count();
	const char **known;
	int rc;

	if (checks_selection_check(&sel) < 0 || selection_leaves_a_check(a) < 0)
		return -1;
	if (a->suppress) {
		known = xcalloc(ncheck, sizeof(*known));
		for (i = 0; i < ncheck; i++)
			known[i] = checks_get(i)->name;
		rc = suppress_load(a->suppress, known, ncheck, &a->sup);
		free(known);
		if (rc < 0 || (a->hierarchy && suppressions_fit_file(a) < 0))
			return -1;
	}
	if (a->plan && hierarchy_load(a->plan, &a->plan_h) < 0)
		return -1;
	if (a->output && output_is_input(a) < 0)
		return -1;
	return a->output ? outfile_check(a->output) : 0;
}

static void remove_snapshot(const char *path)
{
	char *side;

	unlink(path);
	side = xasprintf("%s-wal", path);
	unlink(side);
	signals_forget(side);
	free(side);
	side = xasprintf("%s-shm", path);
	unlink(side);
	signals_forget(side);
	free(side);
	signals_forget(path);
}

/* Collects into a private temporary snapshot; returns its path (malloc'd) or NULL. */
static char *collect_to_temporary(const struct audit_args *a)
{
	const char *tmpdir = getenv("TMPDIR");
	struct collect_options co = {a->jobs, cli_stderr_is_terminal(), 3, 500,
				     a->require_verified_tls};
	struct collect_summary sum;
	struct hierarchy *h;
	char *path;
	int fd, rc;

	if (hierarchy_load(a->hierarchy, &h) < 0)
		return NULL;
	path = xasprintf("%s/susaudit-snapshot-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
	/* the snapshot and its -wal and -shm are removed on SIGTERM too (signals.h) */
	fd = signals_mkstemp(path);
	if (fd >= 0) {
		signals_register_suffixed(path, "-wal");
		signals_register_suffixed(path, "-shm");
	}
	if (fd < 0) {
		log_error("could not create a temporary snapshot in '%s'", tmpdir ? tmpdir : "/tmp");
		free(path);
		hierarchy_free(h);
		return NULL;
	}
	/* kept, not recreated: SQLite takes an empty file as a new database, and gives its WAL
	 * and shm files the mode of this one, 0600; created afresh they would be readable by
	 * every local user (0644), with everything read from the SUSDBs in them */
	close(fd);
	signals_set_phase("collecting", "nothing was stored");
	rc = collect_run(h, path, &co, &sum);
	hierarchy_free(h);
	if (rc < 0) {
		remove_snapshot(path);
		free(path);
		return NULL;
	}
	return path;
}

/* --store: collects into the store as a new run; returns the run id, or -1. */
static long collect_to_store(const struct audit_args *a)
{
	struct collect_options co = {a->jobs, cli_stderr_is_terminal(), 3, 500,
				     a->require_verified_tls};
	struct collect_summary sum;
	struct hierarchy *h;
	int rc;

	if (hierarchy_load(a->hierarchy, &h) < 0)
		return -1;
	/* the run is one transaction: an interrupted one is not in the store */
	signals_set_phase("collecting", "the store was left as it was");
	rc = collect_run(h, a->store, &co, &sum);
	hierarchy_free(h);
	return rc < 0 ? -1 : (long)sum.run_id;
}

/* Moves findings marked resolved (by plan_compare) out of the list into their own array. */
static void split_resolved(struct findings *f, struct finding **resolved, size_t *nresolved)
{
	size_t i, kept = 0;

	*resolved = xcalloc(f->count ? f->count : 1, sizeof(**resolved));
	*nresolved = 0;
	for (i = 0; i < f->count; i++) {
		if (f->items[i].change == CHANGE_RESOLVED)
			(*resolved)[(*nresolved)++] = f->items[i];
		else
			f->items[kept++] = f->items[i];
	}
	f->count = kept;
}

static int exit_code_for(const struct report *r, const struct audit_args *a)
{
	size_t i;

	if (a->format == REPORT_NAGIOS)
		return report_nagios_status_fail_on(r, a->fail_on);
	/* an audit of nothing is not a clean audit (README "Exit codes") */
	if (report_checks_evaluated(r) == 0)
		return EXIT_TOOL_FAILED;
	for (i = 0; i < r->nfindings; i++)
		if (!r->findings[i].suppressed && r->findings[i].severity >= a->fail_on)
			return EXIT_FINDINGS;
	return EXIT_CLEAN;
}

static int write_report(const struct report *r, const struct audit_args *a, int store_phase)
{
	struct report_options ro = {0, 20, a->fail_on, 0};
	struct outfile out;
	const char *no_color = getenv("NO_COLOR");

	/* --quiet: silent when clean, or with --store when nothing changed since the last audit;
	 * never for a monitoring format, whose reader needs its status every time */
	if (a->quiet && a->format != REPORT_NAGIOS && a->format != REPORT_PROMETHEUS &&
	    (!a->output || strcmp(a->output, "-") == 0) &&
	    (a->store ? !history_report_changed(r) : exit_code_for(r, a) == 0))
		return 0;
	if (outfile_open(&out, a->output) < 0)
		return -1;
	signals_set_phase("writing the report",
			  out.tmp ? (store_phase ? "the report file was left as it was, and the audit "
						   "was not stored"
						 : "the report file was left as it was")
				  : (store_phase ? "the report is incomplete, and the audit was not "
						   "stored"
						 : "the report is incomplete"));
	ro.color = !out.path && isatty(STDOUT_FILENO) && !(no_color && *no_color);
	ro.width = !out.path && isatty(STDOUT_FILENO) ? cli_terminal_width() : 0;
	if (report_write(r, a->format, &ro, out.f) < 0) {
		outfile_abort(&out);
		return -1;
	}
	return outfile_commit(&out);
}

struct evaluated_ctx {
	const struct model *m;
	const struct check_selection *sel;
};

/* --store: a finding of the previous audit that this one could not have seen again is not
 * resolved. */
static int finding_evaluated(const struct finding *f, void *data)
{
	const struct evaluated_ctx *c = data;
	size_t i;

	if (!checks_finding_could_be_seen(c->m, c->sel, f->check, f->server))
		return 0;
	for (i = 0; i < f->nrelated; i++)
		if (!checks_finding_could_be_seen(c->m, c->sel, f->check, f->related[i]))
			return 0;
	return 1;
}

/* --suppress: an entry that matched nothing is only reported when it could have matched. */
static int entry_evaluated(const char *check, const char *server, void *data)
{
	const struct evaluated_ctx *c = data;

	return checks_finding_could_be_seen(c->m, c->sel, check, server);
}

/* One audit of a model, from the checks to the written report: what its phases share. */
struct audit_run {
	const struct audit_args *a;
	struct history *store;		/* --store, or NULL */
	struct model *m;		/* the snapshot's model */
	struct model *planned;		/* --plan: the model as planned, else NULL */
	const struct model *audited;	/* m, or planned */
	struct check_selection sel;
	struct evaluated_ctx ec;
	struct arena arena;
	struct findings current;	/* --plan: the findings of today's state */
	struct findings found;		/* the findings reported */
	struct report_check *results;
	struct finding *resolved;
	size_t nresolved;
	struct report r;
};

static void audit_begin(struct audit_run *x, struct model *m, const struct audit_args *a,
			struct history *store)
{
	memset(x, 0, sizeof(*x));
	x->a = a;
	x->store = store;
	x->m = m;
	x->audited = m;
	x->sel = (struct check_selection){a->only, a->nonly, a->skip, a->nskip};
	x->ec = (struct evaluated_ctx){m, &x->sel};
	arena_init(&x->arena);
	findings_init(&x->current, &x->arena);
	findings_init(&x->found, &x->arena);
	x->results = xcalloc(checks_count(), sizeof(*x->results));
	signals_set_phase("checking", store ? "the collection was stored, the audit was not"
					    : "nothing was written");
}

/* --plan: today's findings first, then the model as planned is the one audited. */
static int check_current_state(struct audit_run *x)
{
	if (!x->a->plan_h)
		return 0;
	if (model_apply_plan(x->m, x->a->plan_h, &x->planned) < 0 ||
	    checks_run(x->m, &x->a->checks, &x->sel, &x->current, x->results) < 0)
		return -1;
	memset(x->results, 0, checks_count() * sizeof(*x->results));
	x->audited = x->planned;
	x->ec.m = x->planned;
	return 0;
}

static int run_checks(struct audit_run *x)
{
	if (x->store) {
		if (history_audit_begin(x->store, x->m->h->name) < 0)
			return -1;
		history_set_previous_languages(x->store, x->m);
	}
	return checks_run(x->audited, &x->a->checks, &x->sel, &x->found, x->results);
}

/* new/resolved against the plan's baseline, suppressions, new/persisting/resolved against the
 * store, causes linked, stable order. */
static void compare_and_suppress(struct audit_run *x)
{
	if (x->a->plan_h) {
		plan_compare(&x->current, &x->found);
		split_resolved(&x->found, &x->resolved, &x->nresolved);
	}
	if (x->a->sup)
		suppress_apply_evaluated(x->a->sup, &x->found, x->a->generated_at, entry_evaluated,
					 &x->ec);
	if (x->store)
		history_compare(x->store, &x->found, &x->arena, &x->resolved, &x->nresolved,
				finding_evaluated, &x->ec);
	finding_causes_link(&x->found);
	findings_sort(&x->found);
}

static int build_report(struct audit_run *x)
{
	struct report *r = &x->r;
	struct report_maintenance *mv;

	r->hierarchy = x->audited->h->name;
	r->tool_version = SUSAUDIT_VERSION;
	r->generated_at = x->a->generated_at;
	r->collected_at = x->m->collected_at;
	model_fill_report_servers(x->audited, &x->arena, &r->servers, &r->nservers);
	check_maintenance_view(x->audited, &x->arena, &mv, &r->nmaintenance);
	r->maintenance = mv;
	r->checks = x->results;
	r->nchecks = checks_count();
	r->findings = x->found.items;
	r->nfindings = x->found.count;
	r->resolved = x->resolved;
	r->nresolved = x->nresolved;
	r->with_change = x->a->plan != NULL || x->store != NULL;
	r->planned = x->a->plan != NULL;
	return x->store ? history_decorate(x->store, r, &x->arena) : 0;
}

/* The report, then the audit into the store; returns the exit code or -1. */
static int write_and_record(struct audit_run *x)
{
	int rc;

	if (write_report(&x->r, x->a, x->store != NULL) < 0 ||
	    (x->store && history_audit_record(x->store, &x->r, x->audited, x->a->snapshot) < 0))
		return -1;
	rc = exit_code_for(&x->r, x->a);
	if (report_checks_evaluated(&x->r) == 0)
		log_error("no check was evaluated: every selected check was skipped (it applies to "
			  "no server of '%s')",
			  report_str(x->r.hierarchy, "the hierarchy"));
	return rc;
}

static void audit_end(struct audit_run *x)
{
	if (x->planned)
		model_free(x->planned);
	free(x->resolved);
	free(x->results);
	findings_release(&x->current);
	findings_release(&x->found);
	arena_release(&x->arena);
}

/* Runs the checks on the model (and on the planned model), applies suppressions and writes
 * the report. Returns the exit code, or -1 when the audit could not complete. */
static int audit_model(struct model *m, const struct audit_args *a, struct history *store)
{
	struct audit_run x;
	int rc = -1;

	audit_begin(&x, m, a, store);
	if (check_current_state(&x) == 0 && run_checks(&x) == 0) {
		compare_and_suppress(&x);
		if (build_report(&x) == 0)
			rc = write_and_record(&x);
	}
	audit_end(&x);
	return rc;
}

/* Collects into the store or into a private temporary snapshot, or takes --snapshot; sets
 * *path (and *temporary when it must be removed) and *run_id (0: the last complete run).
 * Returns 0 or -1 (logged). */
static int obtain_snapshot(const struct audit_args *a, const char **path, char **temporary,
			   long *run_id)
{
	*temporary = NULL;
	*run_id = a->snapshot ? a->run : 0; /* --run N: that run ('susaudit runs' lists them) */
	if (a->hierarchy && a->store) {
		*run_id = collect_to_store(a);
		*path = a->store;
		return *run_id < 0 ? -1 : 0;
	}
	if (a->hierarchy) {
		*temporary = collect_to_temporary(a);
		*path = *temporary;
		return *temporary ? 0 : -1;
	}
	*path = a->snapshot;
	return 0;
}

/* Opens the model of the snapshot's run and audits it; the exit code or -1. */
static int audit_snapshot(struct audit_args *a, const char *path, long run_id,
			  struct history *store)
{
	struct model *m;
	int rc;

	a->generated_at = a->checks.now;
	if (model_open(path, run_id, &a->checks, &m) < 0)
		return -1;
	rc = suppress_check_servers(a->sup, m->h);
	/* an old snapshot's servers synced as long before its collection as they did: ages are
	 * measured from when it was collected, not from today */
	if (rc == 0 && !a->now_given && m->collected_at)
		a->checks.now = m->collected_at;
	if (rc == 0)
		rc = audit_model(m, a, store);
	model_free(m);
	return rc;
}

/* The exit code of an audit that could not complete: 1, or the plugin's UNKNOWN line. */
static int failed_exit(const struct audit_args *a)
{
	if (a->format != REPORT_NAGIOS)
		return EXIT_TOOL_FAILED;
	report_write_nagios_unknown(stdout, log_first_error());
	return 3;
}

/* The pipeline, phase by phase (pg_upgrade's main() is the model). */
int cmd_audit(int argc, char **argv)
{
	struct audit_args a;
	struct history *store = NULL;
	char *temporary = NULL;
	const char *snapshot = NULL;
	long run_id = 0;
	int rc;

	audit_args_init(&a);
	rc = parse_args(argc, argv, &a);
	/* from here a signal removes what the run created and says what it interrupted */
	signals_install();
	signals_set_phase("starting", "nothing was written");
	if (rc == 0)
		rc = load_inputs(&a);
	/* the store is opened (and checked) before a collection that may take long */
	if (rc == 0 && a.store)
		rc = history_open(a.store, 1, &store);
	if (rc == 0)
		rc = obtain_snapshot(&a, &snapshot, &temporary, &run_id);
	if (rc == 0)
		rc = audit_snapshot(&a, snapshot, run_id, store);
	history_close(store);
	if (temporary) {
		remove_snapshot(temporary);
		free(temporary);
	}
	audit_args_release(&a);
	return rc >= 0 ? rc : failed_exit(&a);
}
