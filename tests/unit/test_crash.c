/* test_crash: SIGKILL at random moments of collect and audit; the snapshot keeps every earlier
 * run intact and shows no half run, and a report file is either whole or absent. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "reliability_support.h"
#include "xalloc.h"

#define KILLS 12 /* bounded: the test stays well under a minute */
#define NOW "--now 2026-11-22T03:00:00Z"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

/* Runs args, SIGKILLs it after `after_ms` unless it ended first; 1 when it completed. */
static int run_and_kill(const char *const *args, long after_ms, int *status)
{
	char *out = rel_temp_path("crash", ".out"), *err = rel_temp_path("crash", ".err");
	pid_t pid = rel_spawn(args, out, err);
	double deadline = now_ms() + (double)after_ms;
	int st = 0, done = 0;

	assert_true(pid > 0);
	while (now_ms() < deadline)
		if (waitpid(pid, &st, WNOHANG) == pid) {
			done = 1;
			break;
		} else {
			sleep_ms(5);
		}
	if (!done) {
		kill(pid, SIGKILL);
		assert_int_equal(waitpid(pid, &st, 0), pid);
		done = !WIFSIGNALED(st);
	}
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	unlink(out);
	unlink(err);
	free(out);
	free(err);
	return done;
}

/* What every finished run must hold, from the first complete run. */
struct run_shape {
	long long servers, rows;
};

/* The snapshot is intact: integrity, `finished` finished runs each like `shape`, nothing of
 * an unfinished run visible. */
static void check_snapshot(const char *snap, long long finished, const struct run_shape *shape)
{
	char *ok = rel_text(snap, "PRAGMA integrity_check");

	assert_string_equal(ok, "ok");
	free(ok);
	assert_int_equal(rel_scalar(snap, "SELECT COUNT(*) FROM run"), finished);
	assert_int_equal(rel_scalar(snap, "SELECT COUNT(*) FROM run WHERE finished_at IS NULL"), 0);
	assert_int_equal(rel_scalar(snap, "SELECT COUNT(*) FROM server WHERE run_id NOT IN "
					  "(SELECT run_id FROM run WHERE finished_at IS NOT NULL)"),
			 0);
	assert_int_equal(rel_scalar(snap,
				    "SELECT COUNT(*) FROM (SELECT run_id, COUNT(*) n, "
				    "SUM(rows_read) r FROM server GROUP BY run_id) WHERE "
				    "n <> (SELECT COUNT(*) FROM server WHERE run_id = 1) OR r <> "
				    "(SELECT SUM(rows_read) FROM server WHERE run_id = 1)"),
			 0);
	assert_int_equal(rel_scalar(snap, "SELECT COUNT(*) FROM server WHERE run_id = 1"),
			 shape->servers);
	assert_int_equal(rel_scalar(snap, "SELECT SUM(rows_read) FROM server WHERE run_id = 1"),
			 shape->rows);
	/* rows stored match rows counted, in every run */
	assert_int_equal(rel_scalar(snap, "SELECT SUM(rows_read) FROM server"),
			 rel_scalar(snap, "SELECT (SELECT COUNT(*) FROM configuration) + "
					  "(SELECT COUNT(*) FROM update_revision) + "
					  "(SELECT COUNT(*) FROM approval) + "
					  "(SELECT COUNT(*) FROM language) + "
					  "(SELECT COUNT(*) FROM category) + "
					  "(SELECT COUNT(*) FROM download_queue) + "
					  "(SELECT COUNT(*) FROM sync_event) + "
					  "(SELECT COUNT(*) FROM downstream_server) + "
					  "(SELECT COUNT(*) FROM schema_version) + "
					  "(SELECT COUNT(*) FROM update_language) + "
					  "(SELECT COUNT(*) FROM update_category) + "
					  /* maintenance health (issue 16); health_unavailable
					   * records are not rows read */
					  "(SELECT COUNT(*) FROM health_superseded) + "
					  "(SELECT COUNT(*) FROM health_superseded_update) + "
					  "(SELECT COUNT(*) FROM health_index) + "
					  "(SELECT COUNT(*) FROM health_fragmentation) + "
					  "(SELECT COUNT(*) FROM health_database_size) + "
					  "(SELECT COUNT(*) FROM health_table_rows) + "
					  "(SELECT COUNT(*) FROM health_client_age) + "
					  "(SELECT COUNT(*) FROM health_database_state)"));
}

static void test_kill_collect_and_audit(void **state)
{
	struct rel_spec specs[4];
	struct rel_world w;
	struct run_shape shape;
	struct rel_result r;
	char *snap = rel_temp_path("crash", ".db"), *report = rel_temp_path("crash", ".json");
	char *reference;
	unsigned seed = (unsigned)time(NULL) ^ (unsigned)getpid();
	long long finished = 1;
	double t0, collect_ms;
	int i, status, kills = 0;

	(void)state;
	memset(specs, 0, sizeof(specs));
	specs[0].name = "a.crash.test";
	specs[1].name = "b.crash.test";
	specs[2].name = "c.crash.test";
	specs[3].name = "d.crash.test";
	for (i = 0; i < 4; i++)
		specs[i].o.delay_ms = 25; /* a collection long enough to be hit anywhere */
	specs[3].o.refuse_login = 1;	  /* failed servers are part of a run too */
	assert_int_equal(rel_world_start(&w, specs, 4), 0);
	if (getenv("SUSAUDIT_CRASH_SEED"))
		seed = (unsigned)strtoul(getenv("SUSAUDIT_CRASH_SEED"), NULL, 10);
	print_message("seed %u (set SUSAUDIT_CRASH_SEED to replay)\n", seed);
	srand(seed);

	t0 = now_ms();
	r = rel_run("collect '%s' -o '%s' --jobs 2", w.xml_path, snap);
	collect_ms = now_ms() - t0;
	assert_int_equal(r.status, 0);
	rel_result_free(&r);
	shape.servers = rel_scalar(snap, "SELECT COUNT(*) FROM server WHERE run_id = 1");
	shape.rows = rel_scalar(snap, "SELECT SUM(rows_read) FROM server WHERE run_id = 1");
	assert_int_equal(shape.servers, 4);
	assert_true(shape.rows > 0);
	check_snapshot(snap, finished, &shape);

	/* collect into the same snapshot, killed anywhere from start-up to the commit; a run
	 * of `audit HIERARCHY --store` joins this loop the same way when --store lands */
	for (i = 0; i < KILLS; i++) {
		const char *args[] = {"collect", w.xml_path, "-o", snap, "--jobs", "2", NULL};
		long after = (long)(rand() % (int)(collect_ms * 1.2 + 1));

		if (run_and_kill(args, after, &status)) {
			assert_int_equal(status, 0);
			finished++;
		} else {
			kills++;
			/* killed between its commit and its exit: the run is there, and must be
			 * whole like every other (check_snapshot) */
			if (rel_scalar(snap, "SELECT COUNT(*) FROM run") == finished + 1)
				finished++;
		}
		check_snapshot(snap, finished, &shape);
	}
	print_message("collect: %d kills, %lld finished runs, every one whole (%.0f ms each)\n",
		      kills, finished, collect_ms);
	assert_true(kills > 0);

	/* audit --snapshot killed anywhere: the report is the whole report or absent */
	r = rel_run("audit --snapshot '%s' " NOW " --format json -o '%s'", snap, report);
	assert_int_equal(r.status, 2);
	rel_result_free(&r);
	reference = fixture_read_file(report, NULL);
	assert_non_null(reference);
	for (i = 0; i < KILLS; i++) {
		const char *args[] = {
		    "audit",	"--snapshot", snap, "--now", "2026-11-22T03:00:00Z",
		    "--format", "json",	      "-o", report,  NULL};
		long after = (long)(rand() % 400);
		char *got;

		unlink(report);
		run_and_kill(args, after, &status);
		got = fixture_read_file(report, NULL);
		if (got)
			assert_string_equal(got, reference);
		free(got);
		check_snapshot(snap, finished, &shape);
	}
	free(reference);
	rel_world_stop(&w);
	rel_remove_db(snap);
	unlink(report);
	{
		/* temporary report files a kill left behind: never the report's own name */
		char *cmd = xasprintf("rm -f '%s'.tmp-*", report);

		assert_int_equal(system(cmd), 0);
		free(cmd);
	}
	free(snap);
	free(report);
}

/* A store after a kill: whole, every complete run like the oldest one kept, every audit's run
 * (when it was collected into the store) still there or pruned, `history` still reads it. */
static void check_store(const char *store, long long runs_min, long long runs_max,
			long long audits, const struct run_shape *shape)
{
	char *ok = rel_text(store, "PRAGMA integrity_check");
	long long runs = rel_scalar(store, "SELECT COUNT(*) FROM run");
	struct rel_result r;

	assert_string_equal(ok, "ok");
	free(ok);
	if (runs < runs_min || runs > runs_max)
		fail_msg("%lld runs, not %lld..%lld", runs, runs_min, runs_max);
	assert_int_equal(rel_scalar(store, "SELECT COUNT(*) FROM run WHERE finished_at IS NULL"),
			 0);
	assert_int_equal(rel_scalar(store, "SELECT COUNT(*) FROM server WHERE run_id NOT IN "
					   "(SELECT run_id FROM run)"),
			 0);
	assert_int_equal(rel_scalar(store, "SELECT COUNT(*) FROM (SELECT run_id, COUNT(*) n, "
					   "SUM(rows_read) r FROM server GROUP BY run_id) WHERE n <> "
					   "(SELECT COUNT(*) FROM server WHERE run_id = (SELECT "
					   "MIN(run_id) FROM run)) OR r <> (SELECT SUM(rows_read) FROM "
					   "server WHERE run_id = (SELECT MIN(run_id) FROM run))"),
			 0);
	assert_int_equal(rel_scalar(store, "SELECT COUNT(*) FROM server WHERE run_id = (SELECT "
					   "MIN(run_id) FROM run)"),
			 shape->servers);
	/* rows stored (decoded from the packs) match rows counted, in every run */
	assert_int_equal(rel_scalar(store, "SELECT SUM(rows_read) FROM server"),
			 rel_scalar(store, "SELECT (SELECT COUNT(*) FROM configuration) + "
					   "(SELECT COUNT(*) FROM update_revision) + "
					   "(SELECT COUNT(*) FROM approval) + "
					   "(SELECT COUNT(*) FROM language) + "
					   "(SELECT COUNT(*) FROM category) + "
					   "(SELECT COUNT(*) FROM download_queue) + "
					   "(SELECT COUNT(*) FROM sync_event) + "
					   "(SELECT COUNT(*) FROM downstream_server) + "
					   "(SELECT COUNT(*) FROM schema_version) + "
					   "(SELECT COUNT(*) FROM update_language) + "
					   "(SELECT COUNT(*) FROM update_category) + "
					   "(SELECT COUNT(*) FROM health_superseded) + "
					   "(SELECT COUNT(*) FROM health_superseded_update) + "
					   "(SELECT COUNT(*) FROM health_index) + "
					   "(SELECT COUNT(*) FROM health_fragmentation) + "
					   "(SELECT COUNT(*) FROM health_database_size) + "
					   "(SELECT COUNT(*) FROM health_table_rows) + "
					   "(SELECT COUNT(*) FROM health_client_age) + "
					   "(SELECT COUNT(*) FROM health_database_state)"));
	assert_int_equal(rel_scalar(store, "SELECT COUNT(*) FROM server_pack WHERE pack_hash NOT IN"
					   " (SELECT pack_hash FROM pack)"),
			 0);
	assert_int_equal(rel_scalar(store, "SELECT COUNT(*) FROM audit"), audits);
	r = rel_run("history --store '%s' --format json", store);
	assert_int_equal(r.status, 0);
	rel_result_free(&r);
}

/* audit --store and history --prune killed anywhere: the store is whole, its audits all there;
 * a prune is all or nothing. */
static void test_kill_store_and_prune(void **state)
{
	struct rel_spec specs[3];
	struct rel_world w;
	struct run_shape shape;
	struct rel_result r;
	char *store = rel_temp_path("crash-store", ".db");
	long long runs = 1, audits = 1;
	double t0, audit_ms, prune_ms;
	int i, status, kills = 0, prune_kills = 0;

	(void)state;
	memset(specs, 0, sizeof(specs));
	specs[0].name = "a.crash.test";
	specs[1].name = "b.crash.test";
	specs[2].name = "c.crash.test";
	for (i = 0; i < 3; i++)
		specs[i].o.delay_ms = 25;
	assert_int_equal(rel_world_start(&w, specs, 3), 0);

	t0 = now_ms();
	r = rel_run("audit '%s' --store '%s' " NOW " --format json --jobs 2", w.xml_path, store);
	audit_ms = now_ms() - t0;
	assert_true(r.status == 0 || r.status == 2);
	rel_result_free(&r);
	shape.servers = rel_scalar(store, "SELECT COUNT(*) FROM server WHERE run_id = 1");
	shape.rows = rel_scalar(store, "SELECT SUM(rows_read) FROM server WHERE run_id = 1");
	assert_int_equal(shape.servers, 3);
	check_store(store, 1, 1, 1, &shape);

	/* audit --store killed anywhere: a run is stored whole or not at all, an audit too */
	for (i = 0; i < KILLS; i++) {
		const char *args[] = {"audit",	  w.xml_path,			"--store",
				      store,	  "--now",			"2026-11-22T03:00:00Z",
				      "--format", "json",			"--jobs",
				      "2",	  NULL};
		long after = (long)(rand() % (int)(audit_ms * 1.2 + 1));

		if (run_and_kill(args, after, &status)) {
			assert_true(status == 0 || status == 2);
			runs++;
			audits++;
		} else {
			kills++;
			/* killed after the run's commit or the audit's: counted as there */
			runs = rel_scalar(store, "SELECT COUNT(*) FROM run");
			audits = rel_scalar(store, "SELECT COUNT(*) FROM audit");
		}
		check_store(store, runs, runs, audits, &shape);
	}
	print_message("audit --store: %d kills, %lld runs, %lld audits\n", kills, runs, audits);
	assert_true(kills > 0);

	/* --prune killed anywhere: all its runs gone, or none; the audits stay either way */
	t0 = now_ms();
	{
		char *copy = rel_temp_path("crash-prune", ".db");
		char *cmd = xasprintf("cp '%s' '%s'", store, copy);

		assert_int_equal(system(cmd), 0);
		r = rel_run("history --store '%s' --prune --keep 1", copy);
		assert_int_equal(r.status, 0);
		rel_result_free(&r);
		rel_remove_db(copy);
		free(cmd);
		free(copy);
	}
	prune_ms = now_ms() - t0;
	for (i = 0; i < KILLS && runs > 1; i++) {
		const char *args[] = {"history", "--store", store, "--prune", "--keep", "1", NULL};
		long after = (long)(rand() % (int)(prune_ms * 1.2 + 1));
		long long before = runs;

		if (!run_and_kill(args, after, &status))
			prune_kills++;
		runs = rel_scalar(store, "SELECT COUNT(*) FROM run");
		if (runs != 1 && runs != before)
			fail_msg("a killed prune left %lld runs (before %lld, after 1)", runs, before);
		check_store(store, runs, runs, audits, &shape);
		if (runs == 1 && i + 1 < KILLS) {
			/* more runs to prune next time */
			r = rel_run("collect '%s' -o '%s' --jobs 2", w.xml_path, store);
			assert_int_equal(r.status, 0);
			rel_result_free(&r);
			r = rel_run("collect '%s' -o '%s' --jobs 2", w.xml_path, store);
			assert_int_equal(r.status, 0);
			rel_result_free(&r);
			runs += 2;
		}
	}
	print_message("history --prune: %d kills (%.0f ms each)\n", prune_kills, prune_ms);
	rel_world_stop(&w);
	rel_remove_db(store);
	free(store);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_kill_collect_and_audit),
	    cmocka_unit_test(test_kill_store_and_prune),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
