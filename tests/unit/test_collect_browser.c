/* test_collect_browser: named instances (host\instance) through the test server's SQL Browser
 * responder: resolution by susaudit and by FreeTDS's own tsql, a missing instance, and a silent
 * browser bounded by the login timeout. UDP 1434 is a fixed port and other tests run at the
 * same time, so the whole test runs in a network namespace of its own (unshare, as root);
 * without namespaces it skips, saying so. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dbsource.h"
#include "dbsource_tls.h"
#include "fixture_hierarchy.h"
#include "xalloc.h"

static int have_namespace;
static char *schema;

/* A network namespace of our own with its loopback up; 0, or -1 (errno kept). */
static int own_network(void)
{
	struct ifreq ifr;
	int fd, rc;

	if (unshare(CLONE_NEWNET) < 0)
		return -1;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	rc = ioctl(fd, SIOCGIFFLAGS, &ifr);
	if (rc == 0) {
		ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
		rc = ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	close(fd);
	return rc;
}

static int group_setup(void **state)
{
	(void)state;
	schema = xasprintf("%s/tests/fixtures/susdb-schema.sql", SUSAUDIT_SOURCE_DIR);
	tds_harness_set_server(SUSDB_TDS_SERVER);
	if (own_network() == 0)
		have_namespace = 1;
	else
		fprintf(stderr,
			"test_collect_browser: SKIPPED: no network namespace of its own (%s; needs "
			"root or CAP_SYS_ADMIN): UDP 1434 cannot be used without colliding with "
			"other tests\n",
			strerror(errno));
	return db_global_init();
}

static int group_teardown(void **state)
{
	(void)state;
	free(schema);
	return 0;
}

static void start(struct tds_server *srv, const char *instance, int silent)
{
	struct tds_server_options o;
	const char *files[1] = {schema};

	memset(&o, 0, sizeof(o));
	o.sql_files = files;
	o.nsql_files = 1;
	o.password = FIXTURE_PASSWORD;
	o.browser_port = 1434;
	o.instance = instance;
	o.browser_silent = silent;
	assert_int_equal(tds_server_start(&o, srv), 0);
}

static struct db_target target(const char *sql, int login_timeout)
{
	struct db_target t = {"named.contoso.com", sql,	  "SUSDB",	 "susaudit",
			      FIXTURE_PASSWORD,	   ENCRYPTION_OFF, login_timeout, 30,
			      NULL,		   1};

	return t;
}

static double since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void test_instance_resolved(void **state)
{
	struct tds_server srv;
	struct db_target t = target("127.0.0.1\\SUSDB01", 5);
	struct db_conn *c = NULL;
	char *error = NULL;

	(void)state;
	if (!have_namespace)
		skip();
	start(&srv, "SUSDB01", 0);
	assert_int_equal(db_connect(&t, &c, &error), DB_OK);
	/* the port is known now, so the PRELOGIN probe could learn the encryption outcome */
	assert_string_equal(db_conn_facts(c)->source, "prelogin probe");
	assert_int_equal(db_exec(c, "setup", "SET NOCOUNT ON", NULL, &error), DB_OK);
	db_close(c);
	/* instance names are case-insensitive */
	t = target("127.0.0.1\\susdb01", 5);
	assert_int_equal(db_connect(&t, &c, &error), DB_OK);
	db_close(c);
	tds_server_stop(&srv);
}

/* FreeTDS's own resolution (freetds.conf 'instance') understands the responder too. */
static void test_tsql_resolves_instance(void **state)
{
	struct tds_server srv;
	char conf[4096], cmd[8300], out[4096] = "";
	FILE *f, *p;
	size_t n;

	(void)state;
	if (!have_namespace)
		skip();
	start(&srv, "SUSDB01", 0);
	snprintf(conf, sizeof(conf), "%s/browser-%ld.conf", SUSAUDIT_TEST_TMPDIR, (long)getpid());
	f = fopen(conf, "w");
	assert_non_null(f);
	fputs("[named]\n\thost = 127.0.0.1\n\tinstance = SUSDB01\n\ttds version = 7.4\n", f);
	fclose(f);
	/* the password on stdin; setsid: no terminal, so tsql reads it there */
	snprintf(cmd, sizeof(cmd),
		 "printf '%%s\\nSELECT 42 AS answer\\ngo\\nquit\\n' '%s' | FREETDSCONF='%s' "
		 "setsid tsql -S named -U susaudit 2>&1",
		 FIXTURE_PASSWORD, conf);
	p = popen(cmd, "r");
	assert_non_null(p);
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	assert_int_equal(pclose(p), 0);
	assert_non_null(strstr(out, "42"));
	unlink(conf);
	tds_server_stop(&srv);
}

static void test_missing_instance(void **state)
{
	struct tds_server srv;
	struct db_target t = target("127.0.0.1\\NOPE", 4);
	struct db_conn *c = NULL;
	struct timespec t0;
	char *error = NULL;

	(void)state;
	if (!have_namespace)
		skip();
	start(&srv, "SUSDB01", 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(db_connect(&t, &c, &error), DB_UNREACHABLE);
	assert_true(since(&t0) < 5.5);
	assert_non_null(strstr(error, "SQL Browser on '127.0.0.1' does not know instance 'NOPE' "
				      "(it lists: SUSDB01)"));
	free(error);
	tds_server_stop(&srv);
}

static void test_silent_browser_bounded(void **state)
{
	struct tds_server srv;
	struct db_target t = target("127.0.0.1\\SUSDB01", 3);
	struct db_conn *c = NULL;
	struct timespec t0;
	double took;
	char *error = NULL;

	(void)state;
	if (!have_namespace)
		skip();
	start(&srv, "SUSDB01", 1);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(db_connect(&t, &c, &error), DB_UNREACHABLE);
	took = since(&t0);
	/* the login timeout, not FreeTDS's 16 tries a second apart */
	assert_true(took >= 2.5 && took < 5.0);
	assert_non_null(strstr(error, "did not answer within 3 s"));
	assert_non_null(strstr(error, "sql=\"127.0.0.1:PORT\""));
	free(error);
	tds_server_stop(&srv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_instance_resolved),
	    cmocka_unit_test(test_tsql_resolves_instance),
	    cmocka_unit_test(test_missing_instance),
	    cmocka_unit_test(test_silent_browser_bounded),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
