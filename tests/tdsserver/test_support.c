/* test_support: db-lib set-up and server start shared by the TDS server tests. */
#include "test_support.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

struct test_messages test_msgs;
int test_timeout_reply = INT_CANCEL;

static int msg_handler(DBPROCESS *dbproc, DBINT msgno, int msgstate, int severity, char *msgtext,
		       char *srvname, char *procname, int line)
{
	(void)dbproc;
	(void)msgstate;
	(void)srvname;
	(void)procname;
	(void)line;
	if (severity == 0)
		return 0; /* 5701 "changed database context" and the like */
	test_msgs.last_msgno = msgno;
	snprintf(test_msgs.last_msgtext, sizeof(test_msgs.last_msgtext), "%s", msgtext);
	if (test_msgs.nmsgs < 8)
		test_msgs.saw[test_msgs.nmsgs] = msgno;
	test_msgs.nmsgs++;
	return 0;
}

static int err_handler(DBPROCESS *dbproc, int severity, int dberr, int oserr, char *dberrstr,
		       char *oserrstr)
{
	(void)dbproc;
	(void)severity;
	(void)oserr;
	(void)dberrstr;
	(void)oserrstr;
	test_msgs.last_dberr = dberr;
	if (dberr == SYBETIME) {
		test_msgs.timeouts++;
		return test_timeout_reply;
	}
	/* never INT_EXIT: a test must survive any failure to report it */
	return INT_CANCEL;
}

void test_dblib_init(void)
{
	static int done;

	if (done)
		return;
	done = 1;
	assert_int_equal(dbinit(), SUCCEED);
	dbmsghandle(msg_handler);
	dberrhandle(err_handler);
}

void test_reset_messages(void)
{
	memset(&test_msgs, 0, sizeof(test_msgs));
}

int test_saw_message(int number)
{
	int i;

	for (i = 0; i < test_msgs.nmsgs && i < 8; i++)
		if (test_msgs.saw[i] == number)
			return 1;
	return 0;
}

const char *test_fixture(const char *name)
{
	static char path[4096];

	snprintf(path, sizeof(path), "%s/%s", TDS_FIXTURE_DIR, name);
	return path;
}

const char *test_tmp_path(const char *name)
{
	static char path[4096];
	const char *dir = getenv("TMPDIR");

	snprintf(path, sizeof(path), "%s/tds-%ld-%s", dir && *dir ? dir : "/tmp", (long)getpid(),
		 name);
	unlink(path);
	return path;
}

void test_start_server(struct tds_server *srv, const struct tds_server_options *o)
{
	static const char *files[1];
	struct tds_server_options opts;

	memset(&opts, 0, sizeof(opts));
	if (o)
		opts = *o;
	if (!opts.sql_files) {
		files[0] = test_fixture("fixture_types.sql");
		opts.sql_files = files;
		opts.nsql_files = 1;
	}
	test_dblib_init();
	test_reset_messages();
	assert_int_equal(tds_server_start(&opts, srv), 0);
	assert_true(srv->port > 0);
}

DBPROCESS *test_connect(const struct tds_server *srv, const char *user, const char *password,
			int packet_size)
{
	LOGINREC *login = dblogin();
	DBPROCESS *dbproc;

	assert_non_null(login);
	DBSETLUSER(login, user ? user : TEST_USER);
	DBSETLPWD(login, password ? password : TEST_PASSWORD);
	DBSETLAPP(login, "susaudit-tests");
	DBSETLHOST(login, "testhost");
	DBSETLCHARSET(login, "UTF-8");
	dbsetlversion(login, DBVERSION_74);
	if (packet_size > 0)
		DBSETLPACKET(login, packet_size);
	dbsetlogintime(5);
	dbsettime(10);
	dbproc = dbopen(login, srv->host_port);
	dbloginfree(login);
	return dbproc;
}

RETCODE test_exec(DBPROCESS *dbproc, const char *sql)
{
	if (dbcmd(dbproc, sql) == FAIL)
		return FAIL;
	return dbsqlexec(dbproc);
}

void test_drain(DBPROCESS *dbproc)
{
	RETCODE rc;

	/* rows of the current result first: dbresults() refuses while rows are pending */
	if (!DBDEAD(dbproc))
		dbcanquery(dbproc);
	while (!DBDEAD(dbproc) && (rc = dbresults(dbproc)) != NO_MORE_RESULTS && rc != FAIL)
		while ((rc = dbnextrow(dbproc)) != NO_MORE_ROWS && rc != FAIL)
			if (DBDEAD(dbproc))
				return;
}

long long test_scalar(DBPROCESS *dbproc, const char *sql)
{
	DBBIGINT v = -1;
	long long out = -1;

	if (test_exec(dbproc, sql) == FAIL || dbresults(dbproc) != SUCCEED)
		return -1;
	if (dbbind(dbproc, 1, BIGINTBIND, sizeof(v), (BYTE *)&v) == SUCCEED &&
	    dbnextrow(dbproc) == REG_ROW)
		out = v;
	test_drain(dbproc);
	return out;
}

int test_run_tool(char *const argv[], int seconds, const char *conf, const char *input,
		  char **out)
{
	int in[2], res[2], status = -1;
	size_t len = 0, cap = 4096;
	time_t deadline = time(NULL) + seconds;
	pid_t pid;

	*out = malloc(cap);
	assert_non_null(*out);
	assert_int_equal(pipe(in), 0);
	assert_int_equal(pipe(res), 0);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		setsid();
		dup2(in[0], STDIN_FILENO);
		dup2(res[1], STDOUT_FILENO);
		dup2(res[1], STDERR_FILENO);
		close(in[0]);
		close(in[1]);
		close(res[0]);
		close(res[1]);
		if (conf)
			setenv("FREETDSCONF", conf, 1);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(in[0]);
	close(res[1]);
	assert_int_equal(write(in[1], input, strlen(input)), (ssize_t)strlen(input));
	close(in[1]);
	for (;;) {
		struct pollfd pfd = {.fd = res[0], .events = POLLIN};
		ssize_t r;

		if (time(NULL) > deadline) {
			kill(pid, SIGKILL);
			break;
		}
		if (poll(&pfd, 1, 500) <= 0)
			continue;
		if (len + 1024 > cap) {
			cap *= 2;
			*out = realloc(*out, cap);
			assert_non_null(*out);
		}
		r = read(res[0], *out + len, cap - len - 1);
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	(*out)[len] = '\0';
	close(res[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}
