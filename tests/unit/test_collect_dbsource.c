/* test_collect_dbsource: dbsource.c (connections, errors, timeouts, values) against the TDS
 * test server, below the collector. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "dbsource.h"
#include "fixture_hierarchy.h"
#include "xalloc.h"

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* Starts a server on the fixture SUSDB schema with the fault options in o (may be NULL). */
static void start(struct tds_server *srv, const struct tds_server_options *o)
{
	static char *schema;
	const char *files[1];
	struct tds_server_options opts;

	if (!schema)
		schema = xasprintf("%s/tests/fixtures/susdb-schema.sql", SUSAUDIT_SOURCE_DIR);
	files[0] = schema;
	if (o)
		opts = *o;
	else
		memset(&opts, 0, sizeof(opts));
	opts.sql_files = files;
	opts.nsql_files = 1;
	opts.password = FIXTURE_PASSWORD;
	assert_int_equal(tds_server_start(&opts, srv), 0);
}

static struct db_target target(const struct tds_server *srv, const char *database,
			       int query_timeout)
{
	struct db_target t = {"test-server",	srv->host_port,	    database, "susaudit",
			      FIXTURE_PASSWORD, ENCRYPTION_REQUEST, 5,	      query_timeout,
			      NULL,		1};

	return t;
}

struct one_value {
	char text[256];
	size_t len;
	long long integer;
	int is_null;
	int rows;
};

static int keep_first(void *data, const struct db_value *values, size_t n)
{
	struct one_value *v = data;

	(void)n;
	if (v->rows++ == 0) {
		v->is_null = values[0].is_null;
		v->integer = values[0].integer;
		v->len = values[0].is_null ? 0 : values[0].len;
		if (!values[0].is_null && values[0].text) {
			assert_true(values[0].len < sizeof(v->text));
			memcpy(v->text, values[0].text, values[0].len);
			v->text[values[0].len] = '\0';
		}
	}
	return 0;
}

/* A query that outlasts the query timeout is cancelled with an ATTENTION: the server stops
 * at once and the connection stays usable (FreeTDS closes the socket instead when the error
 * handler answers INT_CANCEL, and the query would run on in SQL Server). */
static void test_query_timeout_cancels_cleanly(void **state)
{
	static const struct db_column columns[] = {{"one", DB_KIND_INT}};
	struct tds_server_options o;
	struct tds_server srv;
	struct db_target t;
	struct db_conn *c = NULL;
	struct one_value v;
	struct timespec t0;
	char *error = NULL;
	long long rows;
	int attempt;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.delay_ms = 4000; /* only an ATTENTION ends the wait early */
	start(&srv, &o);
	t = target(&srv, "SUSDB", 1);
	assert_int_equal(db_connect(&t, &c, &error), DB_OK);
	for (attempt = 0; attempt < 2; attempt++) {
		memset(&v, 0, sizeof(v));
		clock_gettime(CLOCK_MONOTONIC, &t0);
		assert_int_equal(db_query(c, "slow", "SELECT 1 AS one", columns, 1, keep_first, &v,
					  &rows, &error),
				 DB_TIMEOUT);
		assert_non_null(strstr(error, "query 'slow' on 'test-server' timed out after 1 "
					      "seconds"));
		free(error);
		error = NULL;
		assert_true(seconds_since(&t0) < 3.0);
		/* the ATTENTION was acknowledged: the same connection takes the next query */
		assert_false(db_is_dead(c));
	}
	db_close(c);
	tds_server_stop(&srv);
}

/* A login the server refuses for a database it does not have names that cause (4060), not
 * only the "Login failed" (18456) that follows it. */
static void test_login_error_names_the_cause(void **state)
{
	struct tds_server srv;
	struct db_target t;
	struct db_conn *c = NULL;
	char *error = NULL;

	(void)state;
	start(&srv, NULL);
	t = target(&srv, "SUSDB2", 10);
	assert_int_equal(db_connect(&t, &c, &error), DB_LOGIN_FAILED);
	assert_null(c);
	assert_non_null(error);
	assert_non_null(strstr(error, "could not connect to 'test-server': Cannot open database"));
	assert_non_null(strstr(error, "SUSDB2"));
	assert_non_null(strstr(error, "(SQL Server error 4060)"));
	assert_null(strstr(error, FIXTURE_PASSWORD));
	free(error);
	tds_server_stop(&srv);
}

struct rows {
	char values[8][3][128]; /* "NULL" for NULL */
	size_t lens[8][3];
	int n;
};

static int keep_rows(void *data, const struct db_value *values, size_t n)
{
	struct rows *r = data;
	size_t i;

	assert_true(r->n < 8);
	for (i = 0; i < n && i < 3; i++) {
		if (values[i].is_null) {
			snprintf(r->values[r->n][i], sizeof(r->values[r->n][i]), "NULL");
			r->lens[r->n][i] = 0;
			continue;
		}
		assert_true(values[i].len < sizeof(r->values[r->n][i]));
		memcpy(r->values[r->n][i], values[i].text, values[i].len);
		r->values[r->n][i][values[i].len] = '\0';
		r->lens[r->n][i] = values[i].len;
	}
	r->n++;
	return 0;
}

/* GUIDs and times arrive in the snapshot's one canonical form, text byte for byte as SQL
 * Server holds it: trailing blanks, blanks only, empty, Japanese and a character outside the
 * BMP, and NULL apart from all of them. */
static void test_values_in_canonical_form(void **state)
{
	static const struct db_column columns[] = {
	    {"g", DB_KIND_GUID}, {"t", DB_KIND_TIME}, {"s", DB_KIND_TEXT}};
	static const char *const expected[][3] = {
	    {"6F9619FF-8B86-D011-B42D-00C04FC964FF", "2024-03-15T13:45:30.997Z", "trailing  "},
	    {"A0A08746-4DBE-4A37-9ADF-9E7652C0B421", "1753-01-01T00:00:00.000Z", "   "},
	    {"NULL", "NULL", "NULL"},
	    {"00000000-0000-0000-0000-000000000001", "9999-12-31T23:59:59.997Z",
	     "\xe3\x82\xbb\xe3\x82\xad\xe3\x83\xa5\xe3\x83\xaa\xe3\x83\x86\xe3\x82\xa3 "
	     "\xf0\x9d\x84\x9e"},
	    {"FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF", "1900-01-01T00:00:00.000Z", ""},
	};
	char *sql_path = xasprintf("%s/dbsource-values.sql", SUSAUDIT_TEST_TMPDIR);
	const char *files[1] = {sql_path};
	struct tds_server_options o;
	struct tds_server srv;
	struct db_target t;
	struct db_conn *c = NULL;
	struct rows r;
	char *error = NULL;
	long long nrows = 0;
	int i, k;

	(void)state;
	write_text(sql_path,
		   "CREATE TABLE tbValues (ID INT NOT NULL PRIMARY KEY, G UNIQUEIDENTIFIER,\n"
		   "  T DATETIME, S NVARCHAR(100));\n"
		   "INSERT INTO tbValues VALUES (1, '6F9619FF-8B86-D011-B42D-00C04FC964FF',\n"
		   "  '2024-03-15 13:45:30.997', 'trailing  ');\n"
		   "INSERT INTO tbValues VALUES (2, 'a0a08746-4dbe-4a37-9adf-9e7652c0b421',\n"
		   "  '1753-01-01 00:00:00', '   ');\n"
		   "INSERT INTO tbValues VALUES (3, NULL, NULL, NULL);\n"
		   "INSERT INTO tbValues VALUES (4, '00000000-0000-0000-0000-000000000001',\n"
		   "  '9999-12-31 23:59:59.997',\n"
		   "  '\xe3\x82\xbb\xe3\x82\xad\xe3\x83\xa5\xe3\x83\xaa\xe3\x83\x86\xe3\x82\xa3 "
		   "\xf0\x9d\x84\x9e');\n"
		   "INSERT INTO tbValues VALUES (5, 'ffffffff-ffff-ffff-ffff-ffffffffffff',\n"
		   "  '1900-01-01T00:00:00', '');\n");
	memset(&o, 0, sizeof(o));
	o.sql_files = files;
	o.nsql_files = 1;
	o.password = FIXTURE_PASSWORD;
	assert_int_equal(tds_server_start(&o, &srv), 0);
	t = target(&srv, "SUSDB", 10);
	assert_int_equal(db_connect(&t, &c, &error), DB_OK);
	memset(&r, 0, sizeof(r));
	if (db_query(c, "values",
		     "SELECT v.G AS g, v.T AS t, v.S AS s FROM dbo.tbValues v "
		     "ORDER BY v.ID",
		     columns, 3, keep_rows, &r, &nrows, &error) != DB_OK)
		fail_msg("%s", error);
	assert_int_equal(nrows, 5);
	for (i = 0; i < 5; i++)
		for (k = 0; k < 3; k++) {
			if (strcmp(r.values[i][k], expected[i][k]) != 0)
				fail_msg("row %d column %d: '%s' where '%s' was expected", i + 1,
					 k + 1, r.values[i][k], expected[i][k]);
			if (strcmp(expected[i][k], "NULL") != 0)
				assert_int_equal(r.lens[i][k], strlen(expected[i][k]));
		}
	db_close(c);
	tds_server_stop(&srv);
	unlink(sql_path);
	free(sql_path);
}

/* A server every test may use, named in freetds.conf files of the user's (see setup). */
static struct tds_server plain;

static int connects_and_reads(const char *sql, enum encryption_mode encryption)
{
	static const struct db_column columns[] = {{"one", DB_KIND_INT}};
	struct db_target t = target(&plain, "SUSDB", 10);
	struct db_conn *c = NULL;
	struct one_value v;
	char *error = NULL;
	long long rows = 0;
	enum db_status st;

	memset(&v, 0, sizeof(v));
	t.sql = sql;
	t.encryption = encryption;
	st = db_connect(&t, &c, &error);
	if (st != DB_OK) {
		print_message("%s: %s\n", sql, error);
		free(error);
		return 0;
	}
	st = db_query(c, "one", "SELECT 1 AS one", columns, 1, keep_first, &v, &rows, &error);
	free(error);
	db_close(c);
	return st == DB_OK && rows == 1 && v.integer == 1;
}

/* A name of the freetds.conf the user points $FREETDSCONF at, and of
 * $FREETDS/etc/freetds.conf, reaches its server: susaudit's own freetds.conf must not hide
 * them. And encryption="require" holds for a name too: the test server offers no TLS, so the
 * connection must be refused, whatever the name's section says. */
static void test_freetds_conf_names(void **state)
{
	(void)state;
	assert_true(connects_and_reads("wsus-by-freetdsconf", ENCRYPTION_REQUEST));
	assert_true(connects_and_reads("WSUS-BY-FREETDSCONF", ENCRYPTION_OFF)); /* any case */
	assert_true(connects_and_reads("wsus-by-freetds-dir", ENCRYPTION_REQUEST));
	assert_true(connects_and_reads(plain.host_port, ENCRYPTION_REQUEST));
	assert_false(connects_and_reads("wsus-by-freetdsconf", ENCRYPTION_REQUIRE));
	assert_false(connects_and_reads("wsus-by-freetds-dir", ENCRYPTION_REQUIRE));
	assert_false(connects_and_reads(plain.host_port, ENCRYPTION_REQUIRE));
}

/* A login timeout is per server: a server that accepts the connection but never answers
 * the login is given up after its own login-timeout (1 s), not after db-lib's process-wide
 * one, which used to be set to the longest of the hierarchy (5 s in this test). */
static void test_login_timeout_per_server(void **state)
{
	struct sockaddr_in a;
	socklen_t alen = sizeof(a);
	struct db_target t = target(&plain, "SUSDB", 10);
	struct db_conn *c = NULL;
	struct timespec t0;
	char *error = NULL, host_port[64];
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	double secs;

	(void)state;
	/* listening but never accepting: the kernel completes the handshake, nobody answers */
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(fd, 4), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &alen), 0);
	snprintf(host_port, sizeof(host_port), "127.0.0.1:%d", ntohs(a.sin_port));
	t.sql = host_port;
	t.login_timeout = 1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(db_connect(&t, &c, &error), DB_UNREACHABLE);
	secs = seconds_since(&t0);
	print_message("login timed out after %.2f s: %s\n", secs, error);
	free(error);
	close(fd);
	assert_true(secs < 3.5);
}

static int setup(void **state)
{
	char *conf, *dir, *etc, *text;

	(void)state;
	start(&plain, NULL);
	/* the user's own freetds.conf files, written before db-lib starts, as a user's are */
	conf = xasprintf("%s/dbsource-user-freetds.conf", SUSAUDIT_TEST_TMPDIR);
	text = xasprintf("[global]\n\ttds version = 7.4\n[wsus-by-freetdsconf]\n"
			 "\thost = 127.0.0.1\n\tport = %d\n",
			 plain.port);
	write_text(conf, text);
	free(text);
	setenv("FREETDSCONF", conf, 1);
	free(conf);
	dir = xasprintf("%s/dbsource-freetds-dir", SUSAUDIT_TEST_TMPDIR);
	etc = xasprintf("%s/etc", dir);
	mkdir(dir, 0700);
	mkdir(etc, 0700);
	conf = xasprintf("%s/freetds.conf", etc);
	text = xasprintf("[wsus-by-freetds-dir]\n\thost = 127.0.0.1\n\tport = %d\n"
			 "\ttds version = 7.4\n",
			 plain.port);
	write_text(conf, text);
	free(text);
	free(conf);
	setenv("FREETDS", dir, 1);
	free(etc);
	free(dir);
	return db_global_init();
}

static int teardown(void **state)
{
	(void)state;
	db_global_exit();
	tds_server_stop(&plain);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_query_timeout_cancels_cleanly),
	    cmocka_unit_test(test_login_error_names_the_cause),
	    cmocka_unit_test(test_freetds_conf_names),
	    cmocka_unit_test(test_values_in_canonical_form),
	    cmocka_unit_test(test_login_timeout_per_server),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
