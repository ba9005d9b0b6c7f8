/* test_tds_faults: the faults the TDS test server injects, as FreeTDS db-lib sees them:
   query timeouts cancelled with ATTENTION, dropped connections, failing batches, delays;
   and the batch log. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "test_support.h"

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* dbsettime(2) against a server that waits 5 s: db-lib times out and the handler answers
   INT_CANCEL, on which FreeTDS 1.3 gives up the connection; the server carries on and a
   fresh connection works. */
static void test_query_timeout_cancels(void **state)
{
	struct tds_server_options o = {.delay_ms = 5000};
	struct tds_server srv;
	struct timespec t0;
	DBPROCESS *dbproc;
	double secs;

	(void)state;
	test_start_server(&srv, &o);
	dbproc = test_connect(&srv, NULL, NULL, 0);
	assert_non_null(dbproc);
	dbsettime(2);
	test_reset_messages();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(test_exec(dbproc, "SELECT COUNT(*) FROM dbo.tbMany"), FAIL);
	secs = seconds_since(&t0);
	assert_int_equal(test_msgs.timeouts, 1);
	assert_int_equal(test_msgs.last_dberr, SYBETIME);
	assert_true(secs >= 1.5 && secs < 4.5);
	dbclose(dbproc);

	dbproc = test_connect(&srv, NULL, NULL, 0);
	assert_non_null(dbproc);
	dbsettime(10);
	test_reset_messages();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(test_scalar(dbproc, "SELECT COUNT(*) FROM dbo.tbMany"), 1500);
	secs = seconds_since(&t0);
	assert_int_equal(test_msgs.timeouts, 0);
	assert_true(secs >= 4.5); /* the delay fault, again */
	dbclose(dbproc);
	tds_server_stop(&srv);
}

/* The same timeout answered with INT_TIMEOUT: FreeTDS sends an ATTENTION, the server stops
   waiting and acknowledges it, and the connection stays usable. */
static void test_query_timeout_attention(void **state)
{
	struct tds_server_options o = {.delay_ms = 3000};
	struct tds_server srv;
	struct timespec t0;
	DBPROCESS *dbproc;
	RETCODE rc;
	double secs;

	(void)state;
	test_start_server(&srv, &o);
	dbproc = test_connect(&srv, NULL, NULL, 0);
	assert_non_null(dbproc);
	dbsettime(1);
	test_timeout_reply = INT_TIMEOUT;
	test_reset_messages();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = test_exec(dbproc, "SELECT COUNT(*) FROM dbo.tbMany");
	secs = seconds_since(&t0);
	test_timeout_reply = INT_CANCEL;
	print_message("dbsqlexec: %d after %.2f s, %d timeouts\n", rc, secs, test_msgs.timeouts);
	assert_int_equal(rc, FAIL);
	assert_true(test_msgs.timeouts >= 1);
	assert_true(secs < 2.9); /* the server did not sit out its 3 s */
	assert_false(DBDEAD(dbproc));
	test_drain(dbproc);
	dbsettime(10);
	assert_int_equal(test_scalar(dbproc, "SELECT COUNT(*) FROM dbo.tbEdit"), 4);
	dbclose(dbproc);
	tds_server_stop(&srv);
}

/* dbcancel() in the middle of a long result: ATTENTION while rows stream. */
static void test_cancel_during_rows(void **state)
{
	struct tds_server srv;
	DBPROCESS *dbproc;
	int rows = 0;

	(void)state;
	test_start_server(&srv, NULL);
	dbproc = test_connect(&srv, NULL, NULL, 0);
	assert_non_null(dbproc);
	assert_int_equal(test_exec(dbproc, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
					   "SELECT i + 1 FROM n WHERE i < 500000) SELECT i FROM n"),
			 SUCCEED);
	assert_int_equal(dbresults(dbproc), SUCCEED);
	while (rows < 10 && dbnextrow(dbproc) == REG_ROW)
		rows++;
	assert_int_equal(rows, 10);
	assert_int_equal(dbcancel(dbproc), SUCCEED);
	assert_false(DBDEAD(dbproc));
	assert_int_equal(test_scalar(dbproc, "SELECT COUNT(*) FROM dbo.tbEdit"), 4);
	dbclose(dbproc);
	tds_server_stop(&srv);
}

static void test_drop_after_rows(void **state)
{
	struct tds_server_options o = {.drop_after_rows = 5};
	struct tds_server srv;
	DBPROCESS *dbproc;
	RETCODE rc;
	int rows = 0;

	(void)state;
	test_start_server(&srv, &o);
	dbproc = test_connect(&srv, NULL, NULL, 0);
	assert_non_null(dbproc);
	/* 3 rows: under the limit */
	assert_int_equal(test_exec(dbproc, "SELECT ID FROM dbo.tbTypes"), SUCCEED);
	assert_int_equal(dbresults(dbproc), SUCCEED);
	while (dbnextrow(dbproc) == REG_ROW)
		rows++;
	assert_int_equal(rows, 3);
	test_drain(dbproc);
	/* the limit counts across batches: 2 more rows, then the socket closes */
	test_reset_messages();
	rows = 0;
	assert_int_equal(test_exec(dbproc, "SELECT ID FROM dbo.tbMany"), SUCCEED);
	assert_int_equal(dbresults(dbproc), SUCCEED);
	while ((rc = dbnextrow(dbproc)) == REG_ROW)
		rows++;
	assert_int_equal(rc, FAIL);
	assert_true(rows <= 2);
	assert_true(DBDEAD(dbproc));
	assert_int_not_equal(test_msgs.last_dberr, 0);
	dbclose(dbproc);

	/* a new connection starts its own count */
	dbproc = test_connect(&srv, NULL, NULL, 0);
	assert_non_null(dbproc);
	assert_int_equal(test_scalar(dbproc, "SELECT COUNT(*) FROM dbo.tbMany"), 1500);
	dbclose(dbproc);
	tds_server_stop(&srv);
}

static void test_fail_pattern_then_retry(void **state)
{
	const char *log = test_tmp_path("batches.log");
	struct tds_server_options o = {
	    .fail_pattern = "tbEdit", .fail_error = 1205, .fail_count = 1, .batch_log = log};
	struct tds_server srv;
	DBPROCESS *dbproc;
	char **batches;
	unsigned *conns;
	size_t n, nconns;

	(void)state;
	test_start_server(&srv, &o);
	dbproc = test_connect(&srv, NULL, NULL, 0);
	assert_non_null(dbproc);
	test_reset_messages();
	assert_int_equal(test_exec(dbproc, "SELECT COUNT(*)\nFROM dbo.tbEdit"), FAIL);
	assert_int_equal(test_msgs.last_msgno, 1205);
	assert_non_null(strstr(test_msgs.last_msgtext, "deadlock victim"));
	test_drain(dbproc);
	/* other batches are not affected, and the retry succeeds */
	assert_int_equal(test_scalar(dbproc, "SELECT COUNT(*) FROM dbo.tbMany"), 1500);
	assert_int_equal(test_scalar(dbproc, "SELECT COUNT(*)\nFROM dbo.tbEdit"), 4);
	dbclose(dbproc);
	tds_server_stop(&srv);

	batches = tds_batch_log_read(log, &n);
	assert_int_equal(n, 3);
	assert_string_equal(batches[0], "SELECT COUNT(*)\nFROM dbo.tbEdit");
	assert_string_equal(batches[1], "SELECT COUNT(*) FROM dbo.tbMany");
	assert_string_equal(batches[2], batches[0]);
	tds_batch_log_free(batches, n);
	conns = tds_batch_log_connections(log, &nconns);
	assert_int_equal(nconns, 3);
	assert_int_equal(conns[0], 1);
	assert_int_equal(conns[2], 1);
	free(conns);
	unlink(log);
}

static void test_delay(void **state)
{
	struct tds_server_options o = {.delay_ms = 600};
	struct tds_server srv;
	struct timespec t0;
	DBPROCESS *dbproc;
	double secs;

	(void)state;
	test_start_server(&srv, &o);
	dbproc = test_connect(&srv, NULL, NULL, 0);
	assert_non_null(dbproc);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(test_scalar(dbproc, "SELECT 7"), 7);
	secs = seconds_since(&t0);
	assert_true(secs >= 0.55);
	assert_true(secs < 5.0);
	dbclose(dbproc);
	tds_server_stop(&srv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_query_timeout_cancels),
	    cmocka_unit_test(test_query_timeout_attention),
	    cmocka_unit_test(test_cancel_during_rows),
	    cmocka_unit_test(test_drop_after_rows),
	    cmocka_unit_test(test_fail_pattern_then_retry),
	    cmocka_unit_test(test_delay),
	};

	tds_harness_set_server(SUSDB_TDS_SERVER);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
