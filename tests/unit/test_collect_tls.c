/* test_collect_tls: susaudit's side of transport security against the TDS test server over
 * real TLS: the facts of each connection (dbsource_tls.c), the words for a certificate that
 * does not verify or names another host, a strict TDS 8.0 server, an NTLM refusal, ca-file
 * checks at load time, --require-verified-tls failing closed, the once-per-run warning and the
 * server_connection rows of the snapshot. The PKI is made at run time by tls_certs.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "collect.h"
#include "dbsource.h"
#include "dbsource_tls.h"
#include "fixture_hierarchy.h"
#include "hierarchy.h"
#include "log.h"
#include "xalloc.h"

static char *pki;
static char *schema;
static int with_data; /* start() loads a standalone server's data plus a content-path defect */

static char *pki_file(const char *name)
{
	return xasprintf("%s/%s", pki, name);
}

static int group_setup(void **state)
{
	char *cmd;
	int rc;

	(void)state;
	pki = xasprintf("%s/tls-pki-%ld", SUSAUDIT_TEST_TMPDIR, (long)getpid());
	schema = xasprintf("%s/tests/fixtures/susdb-schema.sql", SUSAUDIT_SOURCE_DIR);
	cmd = xasprintf("sh '%s/tests/tdsserver/tls_certs.sh' '%s'", SUSAUDIT_SOURCE_DIR, pki);
	rc = system(cmd);
	free(cmd);
	tds_harness_set_server(SUSDB_TDS_SERVER);
	return rc == 0 && db_global_init() == 0 ? 0 : -1;
}

static int group_teardown(void **state)
{
	char *cmd = xasprintf("rm -rf '%s'", pki);
	int rc = system(cmd);

	(void)state;
	free(cmd);
	free(pki);
	free(schema);
	return rc == 0 ? 0 : -1;
}

/* A server on the fixture schema: cert NULL (no TLS), "server" or "wronghost". */
struct tls_server {
	struct tds_server srv;
	char *cert, *key, *log;
};

static void start(struct tls_server *s, const char *cert, int force, int strict)
{
	struct tds_server_options o;
	char *data = xasprintf("%s/tests/fixtures/clean/hq-wsus.fabrikam.com.sql",
			       SUSAUDIT_SOURCE_DIR);
	char *defect = xasprintf("%s/tests/fixtures/defects/content-path-fire.sql",
				 SUSAUDIT_SOURCE_DIR);
	const char *files[3] = {schema, data, defect};
	char name[64];

	memset(s, 0, sizeof(*s));
	memset(&o, 0, sizeof(o));
	o.sql_files = files;
	o.nsql_files = with_data ? 3 : 1;
	o.password = FIXTURE_PASSWORD;
	if (cert) {
		snprintf(name, sizeof(name), "%s.pem", cert);
		s->cert = pki_file(name);
		snprintf(name, sizeof(name), "%s.key", cert);
		s->key = pki_file(name);
		o.tls_cert = s->cert;
		o.tls_key = s->key;
	}
	s->log = xasprintf("%s/tls-events-%ld.log", SUSAUDIT_TEST_TMPDIR, (long)getpid());
	unlink(s->log);
	o.tls_log = s->log;
	o.force_encryption = force;
	o.strict_tds8 = strict;
	assert_int_equal(tds_server_start(&o, &s->srv), 0);
	free(data);
	free(defect);
}

/* Stops the server; returns its event log (malloc'd). */
static char *stop(struct tls_server *s)
{
	char *events;

	tds_server_stop(&s->srv);
	events = fixture_read_file(s->log, NULL);
	unlink(s->log);
	free(s->cert);
	free(s->key);
	free(s->log);
	return events ? events : xstrdup("");
}

static struct db_target target(const struct tls_server *s, const char *user,
			       enum encryption_mode e, const char *ca_file, int check_hostname)
{
	struct db_target t = {"tls-server", s->srv.host_port, "SUSDB", user ? user : "susaudit",
			      FIXTURE_PASSWORD, e,	       5,		 30,
			      ca_file,	    check_hostname};

	return t;
}

/* Connects; on success copies the facts and closes. Returns the status, error in *error. */
static enum db_status connect_once(const struct db_target *t, struct db_conn_facts *f,
				   char **error)
{
	struct db_conn *c = NULL;
	enum db_status st = db_connect(t, &c, error);

	if (st == DB_OK) {
		*f = *db_conn_facts(c);
		assert_int_equal(db_exec(c, "setup", "SET NOCOUNT ON", NULL, error), DB_OK);
		db_close(c);
	}
	return st;
}

static void test_facts_request_login_only(void **state)
{
	struct tls_server s;
	struct db_target t;
	struct db_conn_facts f;
	char *error = NULL, *events;

	(void)state;
	start(&s, "server", 0, 0);
	t = target(&s, NULL, ENCRYPTION_REQUEST, NULL, 1);
	assert_int_equal(connect_once(&t, &f, &error), DB_OK);
	events = stop(&s);
	assert_string_equal(f.tds_version, "7.4");
	assert_int_equal(f.login_encrypted, 1);
	assert_int_equal(f.session_encrypted, 0);
	assert_string_equal(f.server_encryption, "OFF");
	assert_string_equal(f.source, "prelogin probe");
	assert_int_equal(f.cert_verified, 0);
	assert_string_equal(f.auth, "sql");
	/* the password went to a server nobody verified */
	assert_int_equal(f.password_exposed, 1);
	/* the server agrees: TLS for the login, then clear */
	assert_non_null(strstr(events, "login7\ttls sql-login"));
	assert_non_null(strstr(events, "session\tclear"));
	free(events);
}

static void test_facts_require_verified(void **state)
{
	struct tls_server s;
	struct db_target t;
	struct db_conn_facts f;
	char *error = NULL, *events, *ca = pki_file("ca.pem");

	(void)state;
	start(&s, "server", 1, 0);
	t = target(&s, NULL, ENCRYPTION_REQUIRE, ca, 1);
	assert_int_equal(connect_once(&t, &f, &error), DB_OK);
	events = stop(&s);
	assert_int_equal(f.login_encrypted, 1);
	assert_int_equal(f.session_encrypted, 1);
	assert_string_equal(f.server_encryption, "REQ");
	assert_int_equal(f.cert_verified, 1);
	assert_int_equal(f.hostname_checked, 1);
	assert_string_equal(f.verified_against, ca);
	assert_int_equal(f.password_exposed, 0);
	assert_non_null(strstr(events, "session\ttls"));
	assert_null(strstr(events, "type=0x01 clear"));
	free(events);
	free(ca);
}

/* request and require against a forcing and a non-forcing server, through susaudit: what the
 * facts say agrees with what the server logged. */
static void test_facts_request_require_forcing_or_not(void **state)
{
	static const struct {
		enum encryption_mode mode;
		int force;
		const char *answer, *session;
		int session_encrypted;
	} cases[] = {
	    {ENCRYPTION_REQUEST, 0, "OFF", "session\tclear", 0},
	    {ENCRYPTION_REQUIRE, 0, "ON", "session\ttls", 1},
	    {ENCRYPTION_REQUEST, 1, "REQ", "session\ttls", 1},
	    {ENCRYPTION_REQUIRE, 1, "REQ", "session\ttls", 1},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tls_server s;
		struct db_target t;
		struct db_conn_facts f;
		char *error = NULL, *events;

		start(&s, "server", cases[i].force, 0);
		t = target(&s, NULL, cases[i].mode, NULL, 1);
		assert_int_equal(connect_once(&t, &f, &error), DB_OK);
		events = stop(&s);
		assert_int_equal(f.login_encrypted, 1);
		assert_int_equal(f.session_encrypted, cases[i].session_encrypted);
		assert_string_equal(f.server_encryption, cases[i].answer);
		assert_non_null(strstr(events, "login7\ttls"));
		assert_non_null(strstr(events, cases[i].session));
		free(events);
	}
}

static void test_facts_plain_server(void **state)
{
	struct tls_server s;
	struct db_target t;
	struct db_conn_facts f;
	char *error = NULL;

	(void)state;
	start(&s, NULL, 0, 0);
	t = target(&s, NULL, ENCRYPTION_REQUEST, NULL, 1);
	assert_int_equal(connect_once(&t, &f, &error), DB_OK);
	assert_int_equal(f.login_encrypted, 0);
	assert_int_equal(f.session_encrypted, 0);
	assert_string_equal(f.server_encryption, "NOT_SUP");
	assert_int_equal(f.password_exposed, 1);
	/* an explicit "off" is the user's informed choice: not called exposed */
	t = target(&s, NULL, ENCRYPTION_OFF, NULL, 1);
	assert_int_equal(connect_once(&t, &f, &error), DB_OK);
	assert_int_equal(f.login_encrypted, 0);
	assert_int_equal(f.password_exposed, 0);
	free(stop(&s));
}

static void expect_nothing_after_handshake(const char *events)
{
	assert_non_null(strstr(events, "handshake\tfailed"));
	assert_null(strstr(events, "login7"));
	assert_null(strstr(events, "type=0x10"));
	assert_null(strstr(events, "type=0x01"));
}

static void test_wrong_ca_says_which(void **state)
{
	struct tls_server s;
	struct db_target t;
	struct db_conn_facts f;
	char *error = NULL, *events, *ca = pki_file("other-ca.pem");

	(void)state;
	start(&s, "server", 1, 0);
	t = target(&s, NULL, ENCRYPTION_REQUIRE, ca, 1);
	assert_int_equal(connect_once(&t, &f, &error), DB_UNREACHABLE);
	events = stop(&s);
	assert_non_null(strstr(error, "could not connect to 'tls-server': its certificate"));
	assert_non_null(strstr(error, "does not verify against ca-file"));
	assert_non_null(strstr(error, ca));
	assert_non_null(strstr(error, "issued by 'CN=susaudit test ca'"));
	assert_non_null(strstr(error, "nothing was sent after the TLS handshake"));
	expect_nothing_after_handshake(events);
	free(events);
	free(error);
	free(ca);
}

static void test_wrong_host_says_which(void **state)
{
	struct tls_server s;
	struct db_target t;
	struct db_conn_facts f;
	char *error = NULL, *events, *ca = pki_file("ca.pem");

	(void)state;
	start(&s, "wronghost", 0, 0);
	t = target(&s, NULL, ENCRYPTION_REQUEST, ca, 1);
	assert_int_equal(connect_once(&t, &f, &error), DB_UNREACHABLE);
	events = stop(&s);
	assert_non_null(strstr(error, "names 'wrong-host.invalid', not '127.0.0.1'"));
	assert_non_null(strstr(error, "check-hostname=\"false\""));
	expect_nothing_after_handshake(events);
	free(events);
	free(error);
	free(ca);
}

static void test_require_without_tls(void **state)
{
	struct tls_server s;
	struct db_target t;
	struct db_conn_facts f;
	char *error = NULL, *events;

	(void)state;
	start(&s, NULL, 0, 0);
	t = target(&s, NULL, ENCRYPTION_REQUIRE, NULL, 1);
	assert_int_equal(connect_once(&t, &f, &error), DB_UNREACHABLE);
	events = stop(&s);
	assert_non_null(strstr(error, "a server that does not offer TLS is refused"));
	assert_null(strstr(events, "login7"));
	free(events);
	free(error);
}

static void test_strict_server_named(void **state)
{
	struct tls_server s;
	struct db_target t;
	struct db_conn_facts f;
	char *error = NULL, *want;

	(void)state;
	start(&s, "server", 1, 1);
	t = target(&s, NULL, ENCRYPTION_REQUIRE, NULL, 1);
	assert_int_equal(connect_once(&t, &f, &error), DB_UNREACHABLE);
	free(stop(&s));
	assert_non_null(strstr(error, "requires strict encryption (TDS 8.0"));
	want = xasprintf("built with FreeTDS %s", db_tls_freetds_version());
	assert_non_null(strstr(error, want));
	assert_string_not_equal(db_tls_freetds_version(), "unknown");
	assert_non_null(strstr(error, "FreeTDS 1.5 or later"));
	free(want);
	free(error);
}

static void test_ntlm_refusal_is_clear(void **state)
{
	struct tls_server s;
	struct db_target t;
	struct db_conn_facts f;
	char *error = NULL, *events;

	(void)state;
	start(&s, NULL, 0, 0);
	t = target(&s, "CONTOSO\\auditor", ENCRYPTION_REQUEST, NULL, 1);
	assert_int_equal(connect_once(&t, &f, &error), DB_LOGIN_FAILED);
	events = stop(&s);
	assert_non_null(strstr(events, "integrated"));
	assert_non_null(strstr(events, "ntlmssp"));
	assert_non_null(strstr(error, "SQL Server error 18452"));
	assert_non_null(strstr(error, "Windows (NTLM) login 'CONTOSO\\auditor' was refused"));
	/* the cause SQL Server does not tell the client: Extended Protection */
	assert_non_null(strstr(error, "requires Extended Protection, which no FreeTDS release "
				      "supports"));
	free(events);
	free(error);
}

/* A server that accepts TCP and never answers: the explaining probes must not make the login
 * timeout count twice or three times. */
static void test_silent_server_not_waited_for_again(void **state)
{
	struct sockaddr_in addr;
	socklen_t len = sizeof(addr);
	struct timespec t0, t1;
	struct tls_server s;
	struct db_target t;
	struct db_conn_facts f;
	char *error = NULL, hostport[32];
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	double took;

	(void)state;
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
	assert_int_equal(listen(fd, 8), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&addr, &len), 0);
	snprintf(hostport, sizeof(hostport), "127.0.0.1:%d", ntohs(addr.sin_port));
	memset(&s, 0, sizeof(s));
	snprintf(s.srv.host_port, sizeof(s.srv.host_port), "%s", hostport);
	t = target(&s, NULL, ENCRYPTION_REQUEST, NULL, 1);
	t.login_timeout = 2;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(connect_once(&t, &f, &error), DB_UNREACHABLE);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	took = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (took >= 3.5)
		fail_msg("took %.1f s for a 2 s login timeout: %s", took, error);
	free(error);
	close(fd);
}

/* ---- through the collector ------------------------------------------------------------- */

struct captured {
	char text[8192];
	int warnings;
};

static void sink(enum log_level level, const char *message, void *data)
{
	struct captured *c = data;
	size_t n = strlen(c->text);

	if (level == LOG_LEVEL_WARNING && strstr(message, "the password was sent"))
		c->warnings++;
	snprintf(c->text + n, sizeof(c->text) - n, "%s\n", message);
}

static char *write_hierarchy(const char *attrs, const struct tls_server *s)
{
	char *path = xasprintf("%s/tls-hierarchy-%ld.xml", SUSAUDIT_TEST_TMPDIR, (long)getpid());
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fprintf(f,
		"<?xml version=\"1.0\"?>\n<hierarchy xmlns=\"urn:susaudit:hierarchy:1\" "
		"name=\"TLS\">\n  <defaults user=\"susaudit\" password-env=\"SUSAUDIT_TEST_PASSWORD\" "
		"login-timeout=\"5\"\n            %s/>\n"
		"  <server name=\"tls1.contoso.com\" port=\"8530\" sql=\"%s\"/>\n"
		"  <server name=\"tls2.contoso.com\" port=\"8530\" sql=\"%s\"/>\n</hierarchy>\n",
		attrs, s->srv.host_port, s->srv.host_port);
	fclose(f);
	return path;
}

/* Collects h into a fresh snapshot; returns it open. */
static sqlite3 *collect(const char *xml, int require_verified, struct captured *log, int *rc)
{
	struct collect_options o = {2, 0, 0, 50, require_verified};
	struct collect_summary sum;
	struct hierarchy *h = NULL;
	char *path = xasprintf("%s/tls-snap-%ld.db", SUSAUDIT_TEST_TMPDIR, (long)getpid());
	sqlite3 *db = NULL;

	unlink(path);
	setenv("SUSAUDIT_TEST_PASSWORD", FIXTURE_PASSWORD, 1);
	assert_int_equal(hierarchy_load(xml, &h), 0);
	memset(log, 0, sizeof(*log));
	log_set_sink(sink, log);
	*rc = collect_run(h, path, &o, &sum);
	log_set_sink(NULL, NULL);
	hierarchy_free(h);
	if (*rc == 0)
		assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	/* the open handle keeps the file (and its WAL) readable once the names are gone */
	if (db)
		sqlite3_exec(db, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL);
	unlink(path);
	free(path);
	return db;
}

static char *text_of(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	char *v = NULL;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		v = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return v ? v : xstrdup("(null)");
}

static void test_collect_records_connection_and_warns_once(void **state)
{
	struct tls_server s;
	struct captured log;
	char *xml, *row;
	sqlite3 *db;
	int rc;

	(void)state;
	start(&s, "server", 0, 0);
	xml = write_hierarchy("", &s);
	db = collect(xml, 0, &log, &rc);
	assert_int_equal(rc, 0);
	row = text_of(db, "SELECT group_concat(tds_version || ' ' || configured_encryption || ' ' || "
			  "login_encrypted || ' ' || session_encrypted || ' ' || server_encryption "
			  "|| ' ' || cert_verified || ' ' || auth || ' ' || password_exposed, ';') "
			  "FROM server_connection");
	assert_string_equal(row, "7.4 request 1 0 OFF 0 sql 1;7.4 request 1 0 OFF 0 sql 1");
	/* two servers exposed, one warning naming both */
	assert_int_equal(log.warnings, 1);
	assert_non_null(strstr(log.text, "for 2 server(s)"));
	assert_non_null(strstr(log.text, "'tls1.contoso.com'"));
	free(row);
	sqlite3_close(db);
	unlink(xml);
	free(xml);
	free(stop(&s));
}

static void test_collect_explicit_off_not_nagged(void **state)
{
	struct tls_server s;
	struct captured log;
	char *xml;
	sqlite3 *db;
	int rc;

	(void)state;
	start(&s, NULL, 0, 0);
	xml = write_hierarchy("encryption=\"off\"", &s);
	db = collect(xml, 0, &log, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(log.warnings, 0);
	sqlite3_close(db);
	unlink(xml);
	free(xml);
	free(stop(&s));
}

static void test_require_verified_tls_fails_closed(void **state)
{
	struct tls_server s;
	struct captured log;
	char *xml, *attrs, *ca = pki_file("ca.pem"), *v, *events;
	sqlite3 *db;
	int rc;

	(void)state;
	start(&s, "server", 0, 0);
	/* no ca-file: refused before anything is sent */
	xml = write_hierarchy("", &s);
	db = collect(xml, 1, &log, &rc);
	assert_int_equal(rc, 0);
	v = text_of(db, "SELECT COUNT(*) FROM server WHERE status = 'failed' AND error LIKE "
			"'%--require-verified-tls and it has no ca-file%'");
	assert_string_equal(v, "2");
	free(v);
	sqlite3_close(db);
	unlink(xml);
	free(xml);
	events = stop(&s);
	assert_null(strstr(events, "prelogin"));
	free(events);

	/* with a ca-file: connected with encryption require, verified */
	start(&s, "server", 0, 0);
	attrs = xasprintf("ca-file=\"%s\"", ca);
	xml = write_hierarchy(attrs, &s);
	db = collect(xml, 1, &log, &rc);
	assert_int_equal(rc, 0);
	v = text_of(db, "SELECT group_concat(configured_encryption || ' ' || session_encrypted || ' ' "
			"|| cert_verified || ' ' || hostname_checked, ';') FROM server_connection");
	assert_string_equal(v, "require 1 1 1;require 1 1 1");
	free(v);
	v = text_of(db, "SELECT verified_against FROM server_connection LIMIT 1");
	assert_string_equal(v, ca);
	free(v);
	assert_int_equal(log.warnings, 0);
	sqlite3_close(db);
	unlink(xml);
	free(xml);
	free(attrs);
	free(ca);
	free(stop(&s));
}

/* ca-file and check-hostname from <defaults> and <server>, into FreeTDS's words. */
static void test_hierarchy_attributes(void **state)
{
	static const char xml[] =
	    "<?xml version=\"1.0\"?>\n<hierarchy xmlns=\"urn:susaudit:hierarchy:1\" name=\"T\">\n"
	    "  <defaults ca-file=\"/etc/susaudit/ca.pem\"/>\n"
	    "  <server name=\"a.contoso.com\" port=\"8530\" sql=\"a.contoso.com\"/>\n"
	    "  <server name=\"b.contoso.com\" port=\"8530\" sql=\"b.contoso.com\" "
	    "check-hostname=\"false\" ca-file=\"/etc/susaudit/b.pem\"/>\n"
	    "</hierarchy>\n";
	struct hierarchy *h = NULL;
	struct db_target t;
	struct tls_server s;
	char *lines;

	(void)state;
	assert_int_equal(hierarchy_load_memory(xml, sizeof(xml) - 1, "t.xml", &h), 0);
	assert_string_equal(h->servers[0].conn.ca_file, "/etc/susaudit/ca.pem");
	assert_int_equal(h->servers[0].conn.ca_file_line, 3);
	assert_int_equal(h->servers[0].conn.check_hostname, 1);
	assert_string_equal(h->servers[1].conn.ca_file, "/etc/susaudit/b.pem");
	assert_int_equal(h->servers[1].conn.check_hostname, 0);
	memset(&s, 0, sizeof(s));
	t = target(&s, NULL, ENCRYPTION_REQUIRE, h->servers[1].conn.ca_file,
		   h->servers[1].conn.check_hostname);
	lines = db_tls_conf_lines(&t);
	assert_string_equal(lines, "\tca file = /etc/susaudit/b.pem\n"
				   "\tcheck certificate hostname = no\n");
	free(lines);
	hierarchy_free(h);
	/* not a boolean: refused with the line */
	{
		static const char bad[] =
		    "<?xml version=\"1.0\"?>\n<hierarchy xmlns=\"urn:susaudit:hierarchy:1\" "
		    "name=\"T\">\n  <defaults check-hostname=\"maybe\"/>\n</hierarchy>\n";

		assert_int_equal(hierarchy_load_memory(bad, sizeof(bad) - 1, "bad.xml", &h), -1);
	}
}

static void test_ca_file_checked_at_load(void **state)
{
	struct tls_server s;
	struct captured log;
	char *xml;
	sqlite3 *db;
	int rc;

	(void)state;
	start(&s, NULL, 0, 0);
	xml = write_hierarchy("ca-file=\"/nonexistent/ca.pem\"", &s);
	db = collect(xml, 0, &log, &rc);
	assert_null(db);
	assert_int_equal(rc, -1);
	/* file:line of the <defaults> element, once although two servers inherit it */
	assert_non_null(strstr(log.text, ":3: ca-file '/nonexistent/ca.pem' cannot be used: No such "
					 "file or directory"));
	assert_null(strstr(strstr(log.text, "cannot be used") + 1, "cannot be used"));
	unlink(xml);
	free(xml);
	free(stop(&s));
}

/* hierarchy_check_tls_files() on a hierarchy of one server and a <configmgr>: its result,
 * what it logged in *log and the ca-file <configmgr> got in cm_ca ("" for none).
 * `defaults_ca` and `cm_attr` are attributes' text. */
static int check_tls_files_of(const char *defaults_ca, const char *cm_attr, struct captured *log,
			      char cm_ca[512])
{
	struct hierarchy *h = NULL;
	char *xml = xasprintf(
	    "<?xml version=\"1.0\"?>\n<hierarchy xmlns=\"urn:susaudit:hierarchy:1\" "
	    "name=\"T\">\n  <defaults ca-file=\"%s\"/>\n"
	    "  <configmgr sql=\"cm-sql.contoso.com\" database=\"CM_CAS\"\n             %s/>\n"
	    "  <server name=\"a.contoso.com\" port=\"8530\" sql=\"a-sql.contoso.com\"/>\n"
	    "</hierarchy>\n",
	    defaults_ca, cm_attr);
	int rc;

	assert_int_equal(hierarchy_load_memory(xml, strlen(xml), "cm.xml", &h), 0);
	memset(log, 0, sizeof(*log));
	log_set_sink(sink, log);
	rc = hierarchy_check_tls_files(h);
	log_set_sink(NULL, NULL);
	snprintf(cm_ca, 512, "%s", h->configmgr.ca_file ? h->configmgr.ca_file : "");
	hierarchy_free(h);
	free(xml);
	return rc;
}

/* <configmgr>'s own ca-file is checked before anything connects, with its line; one that
 * <defaults> gives it too is reported once; a readable one passes. */
static void test_configmgr_ca_file_checked(void **state)
{
	char *ca = pki_file("ca.pem"), cm_ca[512];
	struct captured log;

	(void)state;
	assert_int_equal(
	    check_tls_files_of(ca, "ca-file=\"/nonexistent/cm-ca.pem\"", &log, cm_ca), -1);
	assert_non_null(strstr(log.text, "cm.xml:4: configmgr: ca-file '/nonexistent/cm-ca.pem' "
					 "cannot be used: No such file or directory"));
	assert_null(strstr(log.text, "a.contoso.com"));

	/* the defaults' file, readable, given to the server and <configmgr>: no message */
	assert_int_equal(check_tls_files_of(ca, "", &log, cm_ca), 0);
	assert_string_equal(cm_ca, ca);
	assert_string_equal(log.text, "");

	/* a <defaults> file that is missing: one message, not one for <configmgr> as well */
	assert_int_equal(check_tls_files_of("/nonexistent/ca.pem", "", &log, cm_ca), -1);
	assert_non_null(strstr(log.text, "cm.xml:3: ca-file '/nonexistent/ca.pem' cannot be used"));
	assert_null(strstr(strstr(log.text, "cannot be used") + 1, "cannot be used"));
	free(ca);
}

/* ---- through the binary: the facts in every format ------------------------------------- */

/* The text report wraps long lines (continuations indented): joined back with one space. */
static void unwrap(char *s)
{
	char *w = s;

	while (*s) {
		if (*s == '\n' && s[1] == ' ' && s[2] == ' ' && s[3] == ' ') {
			while (*++s == ' ')
				;
			*w++ = ' ';
			continue;
		}
		*w++ = *s++;
	}
	*w = '\0';
}

/* Runs susaudit with args; stdout in the result (malloc'd), stderr in *err (malloc'd). */
static char *susaudit(const char *args, char **err, int *status)
{
	char *errpath = xasprintf("%s/tls-stderr-%ld.txt", SUSAUDIT_TEST_TMPDIR, (long)getpid());
	char *cmd = xasprintf("'%s' %s 2>'%s'", SUSAUDIT_BINARY, args, errpath);
	char *out = NULL, buf[4096];
	size_t len = 0, cap = 0, n;
	FILE *p = popen(cmd, "r");

	assert_non_null(p);
	while ((n = fread(buf, 1, sizeof(buf), p)) > 0) {
		out = xgrow(out, &cap, len + n + 1, 1);
		memcpy(out + len, buf, n);
		len += n;
	}
	if (!out)
		out = xcalloc(1, 1);
	out[len] = '\0';
	*status = WEXITSTATUS(pclose(p));
	*err = fixture_read_file(errpath, NULL);
	if (!*err)
		*err = xstrdup("");
	unlink(errpath);
	free(errpath);
	free(cmd);
	return out;
}

static void test_formats_show_verified_connection(void **state)
{
	static const char *const formats[] = {"json", "text", "html", "csv"};
	struct tls_server s;
	char *xml, *attrs, *ca = pki_file("ca.pem"), *want[4];
	size_t i;

	(void)state;
	/* a finding on each server, so that CSV has rows to carry the connection columns */
	with_data = 1;
	start(&s, "server", 1, 0);
	with_data = 0;
	attrs = xasprintf("encryption=\"require\" ca-file=\"%s\"", ca);
	xml = write_hierarchy(attrs, &s);
	setenv("SUSAUDIT_TEST_PASSWORD", FIXTURE_PASSWORD, 1);
	want[0] = xasprintf("\"connection\": {\"tds_version\": \"7.4\", \"encryption\": \"require\", "
			    "\"login_encrypted\": true, \"session_encrypted\": true, "
			    "\"server_encryption\": \"REQ\", \"certificate_verified\": true, "
			    "\"hostname_checked\": true, \"verified_against\": \"%s\", \"auth\": "
			    "\"sql\", \"source\": \"prelogin probe\", \"password_exposed\": false}",
			    ca);
	want[1] = xasprintf("connection: tls1.contoso.com: TDS 7.4, login and session encrypted, "
			    "certificate verified against '%s' (host name checked), SQL login "
			    "(encryption=require; prelogin probe)",
			    ca);
	want[2] = xasprintf("<tr><td>tls1.contoso.com</td><td>7.4</td><td>yes</td><td>yes</td>"
			    "<td>verified against %s (host name checked)</td><td>SQL login</td>"
			    "<td>protected or not sent</td></tr>",
			    ca);
	want[3] = xstrdup(",7.4,true,true,true,sql,false\r\n");
	for (i = 0; i < 4; i++) {
		char *args = xasprintf("audit '%s' --format %s", xml, formats[i]), *err, *out;
		int status;

		out = susaudit(args, &err, &status);
		if (i == 1)
			unwrap(out);
		if (!strstr(out, want[i]))
			fail_msg("%s report lacks\n%s\n--- got:\n%s\n--- stderr:\n%s", formats[i],
				 want[i], out, err);
		/* verified and encrypted: no warning */
		assert_null(strstr(err, "the password was sent"));
		free(out);
		free(err);
		free(args);
		free(want[i]);
	}
	unlink(xml);
	free(xml);
	free(attrs);
	free(ca);
	free(stop(&s));
}

static void test_formats_show_exposed_password(void **state)
{
	struct tls_server s;
	char *xml, *args, *err, *out;
	int status;

	(void)state;
	start(&s, "server", 0, 0);
	xml = write_hierarchy("", &s);
	setenv("SUSAUDIT_TEST_PASSWORD", FIXTURE_PASSWORD, 1);
	args = xasprintf("audit '%s' --format text", xml);
	out = susaudit(args, &err, &status);
	unwrap(out);
	assert_non_null(strstr(out, "connection: tls1.contoso.com: TDS 7.4, login encrypted, session "
				    "in clear, certificate not verified (no ca-file), SQL login "
				    "(encryption=request; prelogin probe); the password was sent to "
				    "an unverified server"));
	/* once on stderr for the run, naming both servers */
	assert_non_null(strstr(err, "for 2 server(s): 'tls"));
	assert_null(strstr(strstr(err, "the password was sent") + 1, "the password was sent"));
	free(out);
	free(err);
	free(args);
	/* --require-verified-tls: refused, as a server-unreachable finding naming the fix */
	args = xasprintf("audit '%s' --format json --require-verified-tls", xml);
	out = susaudit(args, &err, &status);
	assert_non_null(strstr(out, "--require-verified-tls and it has no ca-file"));
	assert_non_null(strstr(out, "\"check\": \"server-unreachable\""));
	assert_int_equal(status, 2);
	free(out);
	free(err);
	free(args);
	unlink(xml);
	free(xml);
	free(stop(&s));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_facts_request_login_only),
	    cmocka_unit_test(test_facts_require_verified),
	    cmocka_unit_test(test_facts_request_require_forcing_or_not),
	    cmocka_unit_test(test_facts_plain_server),
	    cmocka_unit_test(test_wrong_ca_says_which),
	    cmocka_unit_test(test_wrong_host_says_which),
	    cmocka_unit_test(test_require_without_tls),
	    cmocka_unit_test(test_strict_server_named),
	    cmocka_unit_test(test_ntlm_refusal_is_clear),
	    cmocka_unit_test(test_silent_server_not_waited_for_again),
	    cmocka_unit_test(test_collect_records_connection_and_warns_once),
	    cmocka_unit_test(test_collect_explicit_off_not_nagged),
	    cmocka_unit_test(test_require_verified_tls_fails_closed),
	    cmocka_unit_test(test_hierarchy_attributes),
	    cmocka_unit_test(test_ca_file_checked_at_load),
	    cmocka_unit_test(test_configmgr_ca_file_checked),
	    cmocka_unit_test(test_formats_show_verified_connection),
	    cmocka_unit_test(test_formats_show_exposed_password),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
