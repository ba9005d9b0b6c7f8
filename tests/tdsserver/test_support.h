/* test_support: what the TDS server tests share: the fixture path, db-lib set up with
   handlers that record messages, and connecting to a harness-started server. */
#ifndef TDS_TEST_SUPPORT_H
#define TDS_TEST_SUPPORT_H

#include <stddef.h>
#include <sybfront.h>
#include <sybdb.h>

#include "tds_harness.h"

#define TEST_USER "susaudit"
#define TEST_PASSWORD "Secret-123"

/* What the db-lib handlers saw since the last test_reset_messages(). */
struct test_messages {
	int last_msgno; /* server messages (severity > 0 only: not 5701 and friends) */
	char last_msgtext[1024];
	int nmsgs;
	int last_dberr; /* db-lib errors */
	int timeouts;	/* SYBETIME seen (the handler answered INT_CANCEL) */
	int saw[8];	/* message numbers seen, first 8 */
};
extern struct test_messages test_msgs;

/* What the error handler answers to SYBETIME (a query timeout): INT_CANCEL (default; FreeTDS
   1.3 then closes the connection) or INT_TIMEOUT (FreeTDS sends an ATTENTION to cancel the
   query and keeps the connection). */
extern int test_timeout_reply;

/* dbinit() and the handlers, once per process. */
void test_dblib_init(void);
void test_reset_messages(void);

/* Absolute path of a file in tests/tdsserver/. Returns a static buffer. */
const char *test_fixture(const char *name);

/* Starts the server on fixture_types.sql with o (NULL: no faults); fails the test if it
   cannot. */
void test_start_server(struct tds_server *srv, const struct tds_server_options *o);

/* dbopen() to srv as user/password (NULL: the defaults), TDS 7.4, UTF-8, packet size
   (0: default), 5 s login and 10 s query timeouts. Returns NULL if the login fails. */
DBPROCESS *test_connect(const struct tds_server *srv, const char *user, const char *password,
			int packet_size);

/* dbcmd + dbsqlexec. Returns SUCCEED or FAIL. */
RETCODE test_exec(DBPROCESS *dbproc, const char *sql);

/* Runs sql and returns the first column of its only row as an integer (-1 on failure). */
long long test_scalar(DBPROCESS *dbproc, const char *sql);

/* Drains every remaining row and result. */
void test_drain(DBPROCESS *dbproc);

/* Was server message number seen since the last reset? */
int test_saw_message(int number);

/* A fresh path under the test tmp directory (the file is removed if it exists). Returns a
   static buffer. */
const char *test_tmp_path(const char *name);

/* Runs argv with input on its stdin, in a new session (no terminal, so FreeTDS's tools read
   the password from stdin), with FREETDSCONF set to conf if not NULL. Returns the exit status
   and puts stdout+stderr in *out (malloc'd). Kills the tool after `seconds`. */
int test_run_tool(char *const argv[], int seconds, const char *conf, const char *input,
		  char **out);

#endif
