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
				return log_error("--format '%s' is not one of text, json, html, "
						 "junit, csv, nagios, prometheus", optarg);
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

/* Whether the audit read the server (or it is no longer in the hierarchy). */
static int server_read(const struct model *m, const char *name)
{
	int k;

	if (!name)
		return 1;
	k = model_find_server(m, name);
	return k < 0 || model_server_readable(&m->servers[k]);
}

/* Whether this audit could have found what `check` finds about `server` (NULL: about the
 * hierarchy): not when the check was not selected or the server could not be read. */
static int finding_could_be_seen(const struct evaluated_ctx *c, const char *check,
				 const char *server)
{
	if (checks_find(check) && !checks_selected(c->sel, check))
		return 0;
	/* these two are about the server being read: reading it is their evaluation */
	if (strcmp(check, "server-unreachable") == 0 || strcmp(check, "schema-unsupported") == 0)
		return 1;
	return server_read(c->m, server);
}

/* --store: a finding of the previous audit that this one could not have seen again is not
 * resolved. */
static int finding_evaluated(const struct finding *f, void *data)
{
	const struct evaluated_ctx *c = data;
	size_t i;

	if (!finding_could_be_seen(c, f->check, f->server))
		return 0;
	for (i = 0; i < f->nrelated; i++)
		if (!finding_could_be_seen(c, f->check, f->related[i]))
			return 0;
	return 1;
}

/* --suppress: an entry that matched nothing is only reported when it could have matched. */
static int entry_evaluated(const char *check, const char *server, void *data)
{
	return finding_could_be_seen(data, check, server);
}

/* Runs the checks on the model (and on the planned model), applies suppressions and writes
 * the report. Returns the exit code, or -1 when the audit could not complete. */
static int audit_model(struct model *m, const struct audit_args *a, struct history *store)
{
	struct check_selection sel = {a->only, a->nonly, a->skip, a->nskip};
	struct model *planned = NULL;
	const struct model *audited = m;
	struct evaluated_ctx ec = {m, &sel};
	struct findings current, found;
	struct report_check *results;
	struct finding *resolved = NULL;
	size_t nresolved = 0, ncheck = checks_count();
	struct arena arena;
	struct report r;
	int rc = -1;

	signals_set_phase("checking", store ? "the collection was stored, the audit was not"
					    : "nothing was written");
	arena_init(&arena);
	findings_init(&current, &arena);
	findings_init(&found, &arena);
	results = xcalloc(ncheck, sizeof(*results));
	if (a->plan_h) {
		if (model_apply_plan(m, a->plan_h, &planned) < 0 ||
		    checks_run(m, &a->checks, &sel, &current, results) < 0)
			goto out;
		memset(results, 0, ncheck * sizeof(*results));
		audited = planned;
		ec.m = planned;
	}
	if (store) {
		if (history_audit_begin(store, m->h->name) < 0)
			goto out;
		history_set_previous_languages(store, m);
	}
	if (checks_run(audited, &a->checks, &sel, &found, results) < 0)
		goto out;
	if (a->plan_h) {
		plan_compare(&current, &found);
		split_resolved(&found, &resolved, &nresolved);
	}
	if (a->sup)
		suppress_apply_evaluated(a->sup, &found, a->generated_at, entry_evaluated, &ec);
	if (store)
		history_compare(store, &found, &arena, &resolved, &nresolved, finding_evaluated,
				&ec);
	finding_causes_link(&found);
	findings_sort(&found);

	memset(&r, 0, sizeof(r));
	r.hierarchy = audited->h->name;
	r.tool_version = SUSAUDIT_VERSION;
	r.generated_at = a->generated_at;
	r.collected_at = m->collected_at;
	model_fill_report_servers(audited, &arena, &r.servers, &r.nservers);
	{
		struct report_maintenance *mv;

		check_maintenance_view(audited, &arena, &mv, &r.nmaintenance);
		r.maintenance = mv;
	}
	r.checks = results;
	r.nchecks = ncheck;
	r.findings = found.items;
	r.nfindings = found.count;
	r.resolved = resolved;
	r.nresolved = nresolved;
	r.with_change = a->plan != NULL || store != NULL;
	r.planned = a->plan != NULL;
	if (store && history_decorate(store, &r, &arena) < 0)
		goto out;
	if (write_report(&r, a, store != NULL) == 0 &&
	    (!store || history_audit_record(store, &r, audited, a->snapshot) == 0)) {
		rc = exit_code_for(&r, a);
		if (report_checks_evaluated(&r) == 0)
			log_error("no check was evaluated: every selected check was skipped (it "
				  "applies to no server of '%s')",
				  report_str(r.hierarchy, "the hierarchy"));
	}
out:
	if (planned)
		model_free(planned);
	free(resolved);
	free(results);
	findings_release(&current);
	findings_release(&found);
	arena_release(&arena);
	return rc;
}

int cmd_audit(int argc, char **argv)
{
	struct audit_args a;
	struct history *store = NULL;
	struct model *m;
	char *temporary = NULL;
	const char *snapshot;
	long run_id = 0;
	int rc;

	memset(&a, 0, sizeof(a));
	check_options_init(&a.checks);
	a.format = REPORT_TEXT;
	a.fail_on = SEVERITY_WARNING;
	a.jobs = 4;
	rc = parse_args(argc, argv, &a);
	/* from here a signal removes what the run created and says what it interrupted */
	signals_install();
	signals_set_phase("starting", "nothing was written");
	if (rc == 0)
		rc = load_inputs(&a);
	/* the store is opened (and checked) before a collection that may take long */
	if (rc == 0 && a.store)
		rc = history_open(a.store, 1, &store);
	if (rc == 0 && a.hierarchy && a.store) {
		run_id = collect_to_store(&a);
		rc = run_id < 0 ? -1 : 0;
	} else if (rc == 0 && a.hierarchy) {
		temporary = collect_to_temporary(&a);
		rc = temporary ? 0 : -1;
	}
	snapshot = temporary ? temporary : a.snapshot ? a.snapshot : a.store;
	a.generated_at = a.checks.now;
	if (rc < 0 || model_open(snapshot, run_id, &a.checks, &m) < 0) {
		rc = -1;
	} else if (suppress_check_servers(a.sup, m->h) < 0) {
		rc = -1;
		model_free(m);
	} else {
		/* an old snapshot's servers synced as long before its collection as they did:
		 * ages are measured from when it was collected, not from today */
		if (!a.now_given && m->collected_at)
			a.checks.now = m->collected_at;
		rc = audit_model(m, &a, store);
		model_free(m);
	}
	history_close(store);
	if (temporary) {
		remove_snapshot(temporary);
		free(temporary);
	}
	suppress_free(a.sup);
	hierarchy_free(a.plan_h);
	free(a.only);
	free(a.skip);
	if (rc >= 0)
		return rc;
	if (a.format == REPORT_NAGIOS) {
		/* the plugin convention: a check that could not run is UNKNOWN, with one line */
		report_write_nagios_unknown(stdout, log_first_error());
		return 3;
	}
	return EXIT_TOOL_FAILED;
}
