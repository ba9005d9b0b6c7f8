/* test_trust_collect: issue 12, part A, through the binary — a trickling server is timed out
 * as a whole, wrong-typed and out-of-range values are never read as facts. */
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

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs susaudit with args for at most limit seconds; returns its exit code, or -1 when it
 * had to be killed (it hung). *elapsed receives the seconds it ran; *err its stderr. */
static int run_bounded(const char *const *args, int limit, double *elapsed, char **err)
{
	char *out = rel_temp_path("bounded", ".out"), *errp = rel_temp_path("bounded", ".err");
	double start = now_s();
	pid_t pid = rel_spawn(args, out, errp);
	int status = 0, rc = -1;

	assert_true(pid > 0);
	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);

		if (w == pid) {
			rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
			break;
		}
		if (now_s() - start > limit) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			break;
		}
		usleep(50 * 1000);
	}
	*elapsed = now_s() - start;
	*err = fixture_read_file(errp, NULL);
	if (!*err)
		*err = xstrdup("");
	unlink(out);
	unlink(errp);
	free(out);
	free(errp);
	return rc;
}

/* The text of the stored error of server `name` in the snapshot (malloc'd). */
static char *stored_error(const char *snap, const char *name)
{
	char *sql = xasprintf("SELECT COALESCE(error, '') || '|' || COALESCE(failure_check, '') "
			      "|| '|' || status FROM server WHERE name = '%s'",
			      name);
	char *v = rel_text(snap, sql);

	free(sql);
	return v;
}

static void expect_in(const char *hay, const char *needle, const char *what)
{
	if (!strstr(hay, needle))
		fail_msg("%s: '%s' lacks '%s'", what, hay, needle);
}

/* Point 1: query-timeout bounds a query's whole duration and login-timeout the whole login,
 * whatever the server trickles; with --jobs 1 the servers after it are still collected. */
static void test_trickling_servers_time_out(void **state)
{
	struct rel_spec specs[4];
	struct rel_world w;
	char *snap = rel_temp_path("trickle", ".db"), *err, *e;
	double elapsed;
	int rc;

	(void)state;
	memset(specs, 0, sizeof(specs));
	specs[0].name = "trickle.trust.test";
	specs[0].o.trickle_ms = 300;
	specs[0].o.trickle_pattern = "FROM dbo.tbDeployment d";
	specs[0].query_timeout = 3;
	specs[1].name = "deaf.trust.test"; /* trickles on after the ATTENTION */
	specs[1].o.trickle_ms = 300;
	specs[1].o.trickle_pattern = "FROM dbo.tbDeployment d";
	specs[1].o.trickle_ignore_attention = 1;
	specs[1].query_timeout = 3;
	specs[2].name = "slow-login.trust.test";
	specs[2].o.trickle_login_ms = 300;
	specs[2].login_timeout = 3;
	specs[3].name = "after.trust.test";
	assert_int_equal(rel_world_start(&w, specs, 4), 0);
	{
		const char *args[] = {"collect", w.xml_path, "-o", snap, "--jobs", "1", NULL};

		rc = run_bounded(args, 90, &elapsed, &err);
	}
	print_message("collect: exit %d after %.1f s\n%s", rc, elapsed, err);
	if (rc < 0)
		fail_msg("collect hung on a trickling server (killed after %.0f s)", elapsed);
	assert_int_equal(rc, 0);
	/* each trickler costs about its timeout plus the cancel's grace, not more */
	assert_true(elapsed < 45);

	e = stored_error(snap, "trickle.trust.test");
	expect_in(e, "query 'approvals' on 'trickle.trust.test' timed out after 3 seconds", e);
	expect_in(e, "|server-unreachable|", e);
	free(e);
	e = stored_error(snap, "deaf.trust.test");
	expect_in(e, "query 'approvals' on 'deaf.trust.test' timed out after 3 seconds", e);
	expect_in(e, "|server-unreachable|", e);
	free(e);
	e = stored_error(snap, "slow-login.trust.test");
	expect_in(e, "could not connect to 'slow-login.trust.test': the login timed out after 3 "
		     "seconds",
		  e);
	expect_in(e, "|server-unreachable|", e);
	free(e);
	e = stored_error(snap, "after.trust.test");
	expect_in(e, "||ok", e);
	free(e);
	free(err);

	/* the audit straight from the hierarchy writes its report */
	{
		char *report = rel_temp_path("trickle", ".json");
		const char *args[] = {"audit",	  w.xml_path, "--jobs", "1", "--format",
				      "json", "-o",	  report, NULL};
		char *json;

		rc = run_bounded(args, 90, &elapsed, &err);
		assert_int_equal(rc, 2);
		json = fixture_read_file(report, NULL);
		assert_non_null(json);
		expect_in(json, "timed out after 3 seconds", "report");
		free(json);
		free(err);
		unlink(report);
		free(report);
	}
	rel_world_stop(&w);
	rel_remove_db(snap);
	free(snap);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_trickling_servers_time_out),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
