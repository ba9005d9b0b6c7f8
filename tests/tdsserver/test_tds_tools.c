/* test_tds_tools: FreeTDS's own clients, tsql and bsqldb, against the TDS test server. The
   password goes on their stdin (they read it there when they have no terminal), never on a
   command line. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "test_support.h"

static struct tds_server server;
static char batch_log[4096];

static int setup(void **state)
{
	struct tds_server_options o = {0};

	(void)state;
	snprintf(batch_log, sizeof(batch_log), "%s", test_tmp_path("tools.log"));
	o.batch_log = batch_log;
	test_start_server(&server, &o);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tds_server_stop(&server);
	unlink(batch_log);
	return 0;
}


static int log_has(const char *sql)
{
	size_t n, i;
	char **batches = tds_batch_log_read(batch_log, &n);
	int found = 0;

	for (i = 0; i < n; i++)
		if (strstr(batches[i], sql))
			found = 1;
	tds_batch_log_free(batches, n);
	return found;
}

static void test_tsql(void **state)
{
	char tool[] = "tsql", h[] = "-H", host[] = "127.0.0.1", p[] = "-p", port[16], u[] = "-U",
	     user[] = TEST_USER, *out = NULL;
	char *const argv[] = {tool, h, host, p, port, u, user, NULL};
	int rc;

	(void)state;
	snprintf(port, sizeof(port), "%d", server.port);
	rc = test_run_tool(argv, 20, NULL,
		      TEST_PASSWORD "\n"
				    "SELECT ID, Label FROM dbo.tbEdit ORDER BY ID\ngo\n"
				    "SELECT Name FROM SUSDB.dbo.tbMany WHERE ID = 1500\ngo\n"
				    "SELECT @@VERSION\ngo\nquit\n",
		      &out);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "1\tone"));
	assert_non_null(strstr(out, "4\tfour"));
	assert_non_null(strstr(out, "(4 rows affected)"));
	assert_non_null(strstr(out, "row number 1500"));
	assert_non_null(strstr(out, "Microsoft SQL Server"));
	assert_true(log_has("SELECT ID, Label FROM dbo.tbEdit ORDER BY ID"));
	free(out);

	/* a wrong password: tsql reports the login failure */
	rc = test_run_tool(argv, 20, NULL, "wrong\nSELECT 1\ngo\nquit\n", &out);
	assert_int_not_equal(rc, 0);
	assert_non_null(strstr(out, "Login failed for user 'susaudit'"));
	free(out);
}

static void test_bsqldb(void **state)
{
	char tool[] = "bsqldb", s[] = "-S", name[] = "tdstest", u[] = "-U", user[] = TEST_USER,
	     i[] = "-i", input[4096], conf[4096], *out = NULL;
	char *const argv[] = {tool, s, name, u, user, i, input, NULL};
	FILE *fp;
	int rc;

	(void)state;
	/* test_tmp_path's buffer is static: copy each path at once */
	snprintf(conf, sizeof(conf), "%s", test_tmp_path("bsqldb.conf"));
	snprintf(input, sizeof(input), "%s", test_tmp_path("bsqldb.sql"));
	fp = fopen(conf, "w");
	assert_non_null(fp);
	fprintf(fp,
		"[tdstest]\n\thost = 127.0.0.1\n\tport = %d\n\ttds version = 7.4\n"
		"\tclient charset = UTF-8\n",
		server.port);
	fclose(fp);
	fp = fopen(input, "w");
	assert_non_null(fp);
	fputs("SELECT ID, Label FROM dbo.tbEdit WHERE ID IN (2, 3) ORDER BY ID\ngo\n"
	      "SELECT TextCol FROM dbo.tbTypes WHERE ID = 1\ngo\n",
	      fp);
	fclose(fp);
	rc = test_run_tool(argv, 20, conf, TEST_PASSWORD "\n", &out);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "two"));
	assert_non_null(strstr(out, "three"));
	assert_null(strstr(out, "four"));
	assert_non_null(strstr(out, "セキュリティ更新プログラム"));
	assert_true(log_has("WHERE ID IN (2, 3)"));
	free(out);
	unlink(input);
	unlink(conf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tsql),
	    cmocka_unit_test(test_bsqldb),
	};

	tds_harness_set_server(SUSDB_TDS_SERVER);
	return cmocka_run_group_tests(tests, setup, teardown);
}
