/* test_tds_errors: failing batches, refused logins, DML row counts and transactions of the
   TDS test server, seen through FreeTDS db-lib. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "test_support.h"

static struct tds_server server;

static int setup(void **state)
{
	(void)state;
	test_start_server(&server, NULL);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tds_server_stop(&server);
	return 0;
}

static void test_bad_table_then_good_query(void **state)
{
	DBPROCESS *dbproc = test_connect(&server, NULL, NULL, 0);

	(void)state;
	assert_non_null(dbproc);
	test_reset_messages();
	assert_int_equal(test_exec(dbproc, "SELECT * FROM dbo.tbNoSuchTable"), FAIL);
	assert_int_equal(test_msgs.last_msgno, 208);
	assert_string_equal(test_msgs.last_msgtext, "Invalid object name 'tbNoSuchTable'.");
	test_drain(dbproc);
	assert_int_equal(test_scalar(dbproc, "SELECT COUNT(*) FROM dbo.tbEdit"), 4);

	test_reset_messages();
	assert_int_equal(test_exec(dbproc, "SELECT NoSuchColumn FROM dbo.tbEdit"), FAIL);
	assert_int_equal(test_msgs.last_msgno, 207);
	assert_string_equal(test_msgs.last_msgtext, "Invalid column name 'NoSuchColumn'.");
	test_drain(dbproc);

	test_reset_messages();
	assert_int_equal(test_exec(dbproc, "SELEKT 1"), FAIL);
	assert_int_equal(test_msgs.last_msgno, 102);
	test_drain(dbproc);

	/* an error in the second statement: the first result still arrives */
	test_reset_messages();
	assert_int_equal(test_exec(dbproc, "SELECT 1\nSELECT * FROM tbMissing"), SUCCEED);
	assert_int_equal(dbresults(dbproc), SUCCEED);
	assert_int_equal(dbnextrow(dbproc), REG_ROW);
	assert_int_equal(dbnextrow(dbproc), NO_MORE_ROWS);
	assert_int_equal(dbresults(dbproc), FAIL);
	assert_int_equal(test_msgs.last_msgno, 208);
	test_drain(dbproc);
	assert_int_equal(test_scalar(dbproc, "SELECT 42"), 42);
	assert_false(DBDEAD(dbproc));
	dbclose(dbproc);
}

static void test_wrong_password(void **state)
{
	DBPROCESS *dbproc;

	(void)state;
	test_reset_messages();
	dbproc = test_connect(&server, NULL, "not-the-password", 0);
	assert_null(dbproc);
	assert_true(test_saw_message(18456));
	assert_string_equal(test_msgs.last_msgtext, "Login failed for user 'susaudit'.");

	test_reset_messages();
	dbproc = test_connect(&server, "intruder", NULL, 0);
	assert_null(dbproc);
	assert_true(test_saw_message(18456));
	assert_string_equal(test_msgs.last_msgtext, "Login failed for user 'intruder'.");
}

static void test_refuse_login(void **state)
{
	struct tds_server_options o = {.refuse_login = 1};
	struct tds_server refusing;
	DBPROCESS *dbproc;

	(void)state;
	test_start_server(&refusing, &o);
	dbproc = test_connect(&refusing, NULL, NULL, 0);
	assert_null(dbproc);
	assert_true(test_saw_message(18456));
	tds_server_stop(&refusing);
	tds_server_stop(&refusing); /* idempotent */
}

static DBPROCESS *connect_to_database(const char *database)
{
	LOGINREC *login = dblogin();
	DBPROCESS *dbproc;

	DBSETLUSER(login, TEST_USER);
	DBSETLPWD(login, TEST_PASSWORD);
	DBSETLDBNAME(login, database);
	dbsetlversion(login, DBVERSION_74);
	dbsetlogintime(5);
	dbproc = dbopen(login, server.host_port);
	dbloginfree(login);
	return dbproc;
}

static void test_login_database(void **state)
{
	DBPROCESS *dbproc;

	(void)state;
	test_reset_messages();
	dbproc = connect_to_database("SUSDB");
	assert_non_null(dbproc);
	assert_string_equal(dbname(dbproc), "SUSDB");
	assert_int_equal(test_exec(dbproc, "USE [SUSDB]"), SUCCEED);
	test_drain(dbproc);
	assert_int_equal(dbuse(dbproc, "SUSDB"), SUCCEED);
	test_reset_messages();
	assert_int_equal(test_exec(dbproc, "USE master"), FAIL);
	assert_int_equal(test_msgs.last_msgno, 911);
	test_drain(dbproc);
	dbclose(dbproc);

	test_reset_messages();
	assert_null(connect_to_database("master"));
	assert_true(test_saw_message(4060));
	assert_true(test_saw_message(18456));
}

/* A client that requires encryption must not log in: the server offers none. */
static void test_encryption_required_fails(void **state)
{
	const char *conf = test_tmp_path("freetds.conf");
	char *old = getenv("FREETDSCONF") ? strdup(getenv("FREETDSCONF")) : NULL;
	LOGINREC *login;
	DBPROCESS *dbproc;
	FILE *fp = fopen(conf, "w");

	(void)state;
	assert_non_null(fp);
	fprintf(fp,
		"[global]\n\ttds version = 7.4\n[needtls]\n\thost = 127.0.0.1\n\tport = %d\n"
		"\tencryption = require\n",
		server.port);
	fclose(fp);
	setenv("FREETDSCONF", conf, 1);
	login = dblogin();
	DBSETLUSER(login, TEST_USER);
	DBSETLPWD(login, TEST_PASSWORD);
	dbsetlogintime(5);
	dbproc = dbopen(login, "needtls");
	dbloginfree(login);
	if (old)
		setenv("FREETDSCONF", old, 1);
	else
		unsetenv("FREETDSCONF");
	free(old);
	unlink(conf);
	assert_null(dbproc);
}

static void test_dml_counts(void **state)
{
	DBPROCESS *dbproc = test_connect(&server, NULL, NULL, 0);

	(void)state;
	assert_non_null(dbproc);
	assert_int_equal(test_exec(dbproc, "INSERT INTO dbo.tbEdit (ID, State, Label) "
					   "VALUES (10, 1, N'ten'), (11, 1, N'eleven')"),
			 SUCCEED);
	assert_int_equal(dbresults(dbproc), SUCCEED);
	assert_int_equal(dbcount(dbproc), 2);
	assert_int_equal(dbresults(dbproc), NO_MORE_RESULTS);

	assert_int_equal(test_exec(dbproc, "UPDATE SUSDB.dbo.tbEdit SET State = 2 WHERE ID >= 10"),
			 SUCCEED);
	assert_int_equal(dbresults(dbproc), SUCCEED);
	assert_int_equal(dbcount(dbproc), 2);
	test_drain(dbproc);

	/* several statements, one result each; SET is accepted and ignored */
	assert_int_equal(test_exec(dbproc, "SET LOCK_TIMEOUT 10000;\n"
					   "SET TRANSACTION ISOLATION LEVEL READ UNCOMMITTED\n"
					   "DELETE FROM dbo.tbEdit WHERE ID = 10\n"
					   "DELETE FROM dbo.tbEdit WHERE ID = 11"),
			 SUCCEED);
	assert_int_equal(dbresults(dbproc), SUCCEED); /* SET LOCK_TIMEOUT */
	assert_int_equal(dbresults(dbproc), SUCCEED); /* SET TRANSACTION ... */
	assert_int_equal(dbresults(dbproc), SUCCEED);
	assert_int_equal(dbcount(dbproc), 1);
	assert_int_equal(dbresults(dbproc), SUCCEED);
	assert_int_equal(dbcount(dbproc), 1);
	assert_int_equal(dbresults(dbproc), NO_MORE_RESULTS);
	assert_int_equal(test_scalar(dbproc, "SELECT COUNT(*) FROM dbo.tbEdit"), 4);
	dbclose(dbproc);
}

static void test_transactions(void **state)
{
	DBPROCESS *dbproc = test_connect(&server, NULL, NULL, 0);
	DBPROCESS *other = test_connect(&server, NULL, NULL, 0);

	(void)state;
	assert_non_null(dbproc);
	assert_non_null(other);
	/* ROLLBACK leaves the data as it was */
	assert_int_equal(test_exec(dbproc, "BEGIN TRAN\n"
					   "UPDATE dbo.tbEdit SET State = 7 WHERE ID = 1\n"
					   "SELECT @@TRANCOUNT"),
			 SUCCEED);
	assert_int_equal(dbresults(dbproc), SUCCEED);
	assert_int_equal(dbresults(dbproc), SUCCEED);
	assert_int_equal(dbcount(dbproc), 1);
	assert_int_equal(dbresults(dbproc), SUCCEED);
	assert_int_equal(dbnextrow(dbproc), REG_ROW);
	assert_int_equal(*(DBINT *)dbdata(dbproc, 1), 1);
	test_drain(dbproc);
	/* another connection does not see the uncommitted change */
	assert_int_equal(test_scalar(other, "SELECT State FROM dbo.tbEdit WHERE ID = 1"), 0);
	assert_int_equal(test_exec(dbproc, "ROLLBACK TRANSACTION"), SUCCEED);
	test_drain(dbproc);
	assert_int_equal(test_scalar(dbproc, "SELECT State FROM dbo.tbEdit WHERE ID = 1"), 0);
	assert_int_equal(test_scalar(dbproc, "SELECT @@TRANCOUNT"), 0);

	/* COMMIT keeps it, for every connection */
	assert_int_equal(test_exec(dbproc, "BEGIN TRANSACTION;\n"
					   "UPDATE dbo.tbEdit SET State = 8 WHERE ID = 2;\n"
					   "COMMIT TRAN"),
			 SUCCEED);
	test_drain(dbproc);
	assert_int_equal(test_scalar(dbproc, "SELECT State FROM dbo.tbEdit WHERE ID = 2"), 8);
	assert_int_equal(test_scalar(other, "SELECT State FROM dbo.tbEdit WHERE ID = 2"), 8);

	/* COMMIT without BEGIN is an error, as on SQL Server */
	test_reset_messages();
	assert_int_equal(test_exec(dbproc, "COMMIT"), FAIL);
	assert_int_equal(test_msgs.last_msgno, 3902);
	test_drain(dbproc);

	/* a connection that ends inside a transaction rolls it back */
	assert_int_equal(test_exec(other, "BEGIN TRAN UPDATE dbo.tbEdit SET State = 9;"), SUCCEED);
	test_drain(other);
	assert_int_equal(test_scalar(other, "SELECT COUNT(*) FROM dbo.tbEdit WHERE State = 9"), 4);
	dbclose(other);
	assert_int_equal(test_scalar(dbproc, "SELECT COUNT(*) FROM dbo.tbEdit WHERE State = 9"), 0);
	dbclose(dbproc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bad_table_then_good_query),
	    cmocka_unit_test(test_wrong_password),
	    cmocka_unit_test(test_refuse_login),
	    cmocka_unit_test(test_login_database),
	    cmocka_unit_test(test_encryption_required_fails),
	    cmocka_unit_test(test_dml_counts),
	    cmocka_unit_test(test_transactions),
	};

	tds_harness_set_server(SUSDB_TDS_SERVER);
	return cmocka_run_group_tests(tests, setup, teardown);
}
