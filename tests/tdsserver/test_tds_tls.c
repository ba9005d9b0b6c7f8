/* test_tds_tls: the test server's TLS, proven with FreeTDS's own tsql: the PRELOGIN ENCRYPTION
   outcomes against a server with no certificate, one that offers TLS and one that forces it;
   certificate verification (right CA, wrong CA, wrong host name); strict TDS 8.0; and an NTLM
   login. The server's capture of every byte that arrived shows what crossed in clear. The
   PKI is made at run time by tls_certs.sh (no key is committed). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "test_support.h"

static char pki[4096];
static const char *const query = "SELECT ID, Label FROM dbo.tbEdit ORDER BY ID";

static const char *pki_file(const char *name)
{
	static char path[2][4200];
	static int k;

	k ^= 1;
	snprintf(path[k], sizeof(path[k]), "%s/%s", pki, name);
	return path[k];
}

static int group_setup(void **state)
{
	char cmd[8400];

	(void)state;
	snprintf(pki, sizeof(pki), "%s", test_tmp_path("pki"));
	snprintf(cmd, sizeof(cmd), "sh '%s' '%s'", test_fixture("tls_certs.sh"), pki);
	return system(cmd) == 0 ? 0 : -1;
}

static int group_teardown(void **state)
{
	char cmd[4200];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", pki);
	return system(cmd) == 0 ? 0 : -1;
}

/* Runs tsql -S t -U user with FREETDSCONF=conf, the password and a query on stdin, in a new
   session (no terminal: it reads the password from stdin). Returns the exit status; the
   output goes to *out (malloc'd). */
static int run_tsql(const char *conf, const char *user, char **out)
{
	char tool[] = "tsql", s[] = "-S", t[] = "t", u[] = "-U", input[512], *who = strdup(user);
	char *argv[] = {tool, s, t, u, who, NULL};
	int rc;

	assert_non_null(who);
	snprintf(input, sizeof(input), "%s\n%s\ngo\nquit\n", TEST_PASSWORD, query);
	rc = test_run_tool(argv, 30, conf, input, out);
	free(who);
	return rc;
}

/* The whole file at path (malloc'd, NUL-terminated), its size in *n; "" when missing. */
static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *buf = calloc(1, 1 << 20);
	size_t got = 0;

	assert_non_null(buf);
	if (f) {
		got = fread(buf, 1, (1 << 20) - 1, f);
		fclose(f);
	}
	if (n)
		*n = got;
	return buf;
}

static int contains(const char *hay, size_t n, const void *needle, size_t k)
{
	size_t i;

	for (i = 0; k <= n && i + k <= n; i++)
		if (memcmp(hay + i, needle, k) == 0)
			return 1;
	return 0;
}

/* s as UTF-16LE, optionally obfuscated as LOGIN7 obfuscates passwords (nibble swap, ^0xA5). */
static size_t utf16(const char *s, unsigned char *out, int obfuscate)
{
	size_t i, n = strlen(s);

	for (i = 0; i < n; i++) {
		out[2 * i] = (unsigned char)s[i];
		out[2 * i + 1] = 0;
	}
	if (obfuscate)
		for (i = 0; i < 2 * n; i++)
			out[i] = (unsigned char)((out[i] << 4 | out[i] >> 4) ^ 0xA5);
	return 2 * n;
}

/* What the capture shows crossed in clear. */
struct seen {
	int user, password, sql;
};

static struct seen in_clear(const char *capture)
{
	unsigned char buf[256];
	struct seen s;
	size_t n, k;
	char *cap = slurp(capture, &n);

	k = utf16(TEST_USER, buf, 0);
	s.user = contains(cap, n, buf, k);
	k = utf16(TEST_PASSWORD, buf, 1);
	s.password = contains(cap, n, buf, k);
	k = utf16("FROM dbo.tbEdit", buf, 0);
	s.sql = contains(cap, n, buf, k);
	free(cap);
	return s;
}

struct run {
	struct tds_server srv;
	char log[4096], capture[4096], conf[4096];
	char *out, *events;
	int rc;
};

/* Starts a server with o's TLS settings, runs tsql with `encryption` and extra conf lines,
   stops the server and reads its event log. */
static void run_case(struct run *r, struct tds_server_options *o, const char *encryption,
		     const char *extra, const char *user)
{
	FILE *f;

	memset(r, 0, sizeof(*r));
	snprintf(r->log, sizeof(r->log), "%s", test_tmp_path("tls-events.log"));
	snprintf(r->capture, sizeof(r->capture), "%s", test_tmp_path("tls-capture.bin"));
	snprintf(r->conf, sizeof(r->conf), "%s", test_tmp_path("tls.conf"));
	o->tls_log = r->log;
	o->capture = r->capture;
	test_start_server(&r->srv, o);
	f = fopen(r->conf, "w");
	assert_non_null(f);
	fprintf(f,
		"[t]\n\thost = 127.0.0.1\n\tport = %d\n\ttds version = 7.4\n"
		"\tclient charset = UTF-8\n\tencryption = %s\n%s",
		r->srv.port, encryption, extra ? extra : "");
	fclose(f);
	r->rc = run_tsql(r->conf, user ? user : TEST_USER, &r->out);
	tds_server_stop(&r->srv);
	r->events = slurp(r->log, NULL);
}

static void run_free(struct run *r)
{
	if (r->rc != 0 || getenv("TDS_TLS_VERBOSE"))
		fprintf(stderr, "--- tsql:\n%s--- events:\n%s", r->out, r->events);
	free(r->out);
	free(r->events);
	unlink(r->log);
	unlink(r->capture);
	unlink(r->conf);
}

static void expect_rows(const struct run *r)
{
	assert_int_equal(r->rc, 0);
	assert_non_null(strstr(r->out, "4\tfour"));
}

static struct tds_server_options tls_server(const char *cert, int force)
{
	struct tds_server_options o;

	memset(&o, 0, sizeof(o));
	if (cert) {
		char name[64];

		snprintf(name, sizeof(name), "%s.pem", cert);
		o.tls_cert = strdup(pki_file(name));
		snprintf(name, sizeof(name), "%s.key", cert);
		o.tls_key = strdup(pki_file(name));
	}
	o.force_encryption = force;
	return o;
}

static void options_free(struct tds_server_options *o)
{
	free((char *)o->tls_cert);
	free((char *)o->tls_key);
}

static char *ca_lines(const char *ca, int check_hostname)
{
	char name[64], *lines = malloc(8400);

	assert_non_null(lines);
	snprintf(name, sizeof(name), "%s.pem", ca);
	snprintf(lines, 8400, "\tca file = %s\n\tcheck certificate hostname = %s\n",
		 pki_file(name), check_hostname ? "yes" : "no");
	return lines;
}

/* A server without a certificate: request goes on in clear, and everything is visible. */
static void test_request_no_certificate(void **state)
{
	struct tds_server_options o = tls_server(NULL, 0);
	struct run r;
	struct seen s;

	(void)state;
	run_case(&r, &o, "request", NULL, NULL);
	expect_rows(&r);
	assert_non_null(strstr(r.events, "prelogin\tclient=OFF reply=NOT_SUP"));
	assert_non_null(strstr(r.events, "login7\tclear sql-login"));
	s = in_clear(r.capture);
	/* the control: the capture does see what crosses in clear */
	assert_true(s.user && s.password && s.sql);
	run_free(&r);
}

/* A server with a certificate that does not force: request gets ENCRYPT_OFF, so only the
   LOGIN7 packet is encrypted and the batches cross in clear, as SQL Server does. */
static void test_request_offering_server_login_only(void **state)
{
	struct tds_server_options o = tls_server("server", 0);
	struct run r;
	struct seen s;

	(void)state;
	run_case(&r, &o, "request", NULL, NULL);
	expect_rows(&r);
	assert_non_null(strstr(r.events, "prelogin\tclient=OFF reply=OFF"));
	assert_non_null(strstr(r.events, "handshake\tok (TLS1.2)"));
	assert_non_null(strstr(r.events, "login7\ttls sql-login"));
	assert_non_null(strstr(r.events, "session\tclear"));
	assert_non_null(strstr(r.events, "message\ttype=0x01 clear"));
	s = in_clear(r.capture);
	assert_false(s.user);
	assert_false(s.password);
	assert_true(s.sql);
	run_free(&r);
	options_free(&o);
}

/* require against the same server: ENCRYPT_ON, the whole session under TLS. */
static void test_require_offering_server_whole_session(void **state)
{
	struct tds_server_options o = tls_server("server", 0);
	struct run r;
	struct seen s;

	(void)state;
	run_case(&r, &o, "require", NULL, NULL);
	expect_rows(&r);
	assert_non_null(strstr(r.events, "prelogin\tclient=ON reply=ON"));
	assert_non_null(strstr(r.events, "session\ttls"));
	assert_non_null(strstr(r.events, "message\ttype=0x01 tls"));
	assert_null(strstr(r.events, "message\ttype=0x01 clear"));
	assert_null(strstr(r.events, "type=0x10 clear"));
	s = in_clear(r.capture);
	assert_false(s.user || s.password || s.sql);
	run_free(&r);
	options_free(&o);
}

/* A forcing server: request and require both end with the whole session encrypted. */
static void test_forcing_server(void **state)
{
	static const char *const modes[] = {"request", "require"};
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		struct tds_server_options o = tls_server("server", 1);
		struct run r;
		struct seen s;

		run_case(&r, &o, modes[i], NULL, NULL);
		expect_rows(&r);
		assert_non_null(strstr(r.events, "reply=REQ"));
		assert_non_null(strstr(r.events, "session\ttls"));
		s = in_clear(r.capture);
		assert_false(s.user || s.password || s.sql);
		run_free(&r);
		options_free(&o);
	}
}

/* FreeTDS's "off" sends ENCRYPT_NOT_SUP; a forcing server answers REQ and FreeTDS 1.3 then
   encrypts after all (its login.c: only NOT_SUP means clear). */
static void test_off_against_forcing_server_encrypts(void **state)
{
	struct tds_server_options o = tls_server("server", 1);
	struct run r;

	(void)state;
	run_case(&r, &o, "off", NULL, NULL);
	expect_rows(&r);
	assert_non_null(strstr(r.events, "prelogin\tclient=NOT_SUP reply=REQ"));
	assert_non_null(strstr(r.events, "session\ttls"));
	run_free(&r);
	options_free(&o);
}

/* The certificate verifies against the test CA and names 127.0.0.1. */
static void test_verified_certificate(void **state)
{
	struct tds_server_options o = tls_server("server", 1);
	char *ca = ca_lines("ca", 1);
	struct run r;

	(void)state;
	run_case(&r, &o, "require", ca, NULL);
	expect_rows(&r);
	assert_non_null(strstr(r.events, "handshake\tok"));
	run_free(&r);
	options_free(&o);
	free(ca);
}

/* A failed verification: the handshake ends, and nothing follows it (no LOGIN7, not a byte). */
static void expect_refused_after_handshake(const struct run *r)
{
	assert_int_not_equal(r->rc, 0);
	assert_null(strstr(r->out, "4\tfour"));
	assert_non_null(strstr(r->events, "handshake\tfailed"));
	assert_non_null(strstr(r->events, "after-failure\t0 bytes"));
	assert_null(strstr(r->events, "login7"));
	assert_null(strstr(r->events, "type=0x10"));
	assert_null(strstr(r->events, "type=0x01"));
}

static void test_wrong_ca(void **state)
{
	struct tds_server_options o = tls_server("server", 1);
	char *ca = ca_lines("other-ca", 1);
	struct run r;
	struct seen s;

	(void)state;
	run_case(&r, &o, "require", ca, NULL);
	expect_refused_after_handshake(&r);
	s = in_clear(r.capture);
	assert_false(s.user || s.password || s.sql);
	run_free(&r);
	options_free(&o);
	free(ca);
}

static void test_wrong_host_name(void **state)
{
	struct tds_server_options o = tls_server("wronghost", 0);
	char *ca = ca_lines("ca", 1);
	struct run r;

	(void)state;
	run_case(&r, &o, "request", ca, NULL);
	expect_refused_after_handshake(&r);
	run_free(&r);
	free(ca);
	/* the same certificate is accepted when the name is not checked: the CA still is */
	ca = ca_lines("ca", 0);
	run_case(&r, &o, "request", ca, NULL);
	expect_rows(&r);
	run_free(&r);
	options_free(&o);
	free(ca);
}

/* require against a server that offers no TLS: refused before the LOGIN7. */
static void test_require_without_tls_refused(void **state)
{
	struct tds_server_options o = tls_server(NULL, 0);
	struct run r;

	(void)state;
	run_case(&r, &o, "require", NULL, NULL);
	assert_int_not_equal(r.rc, 0);
	assert_non_null(strstr(r.events, "prelogin\tclient=ON reply=NOT_SUP"));
	assert_null(strstr(r.events, "login7"));
	run_free(&r);
}

/* A strict (TDS 8.0) server wants TLS before PRELOGIN: FreeTDS 1.3 sends PRELOGIN in clear. */
static void test_strict_server_refuses_prelogin(void **state)
{
	struct tds_server_options o = tls_server("server", 1);
	struct run r;

	(void)state;
	o.strict_tds8 = 1;
	run_case(&r, &o, "require", NULL, NULL);
	assert_int_not_equal(r.rc, 0);
	assert_non_null(strstr(r.events, "strict\trefused: the client sent 0x12 (PRELOGIN in clear)"));
	assert_null(strstr(r.events, "login7"));
	run_free(&r);
	options_free(&o);
}

/* DOMAIN\user: FreeTDS sends an NTLM login (fIntSecurity, an NTLMSSP token in SSPI); the
   server, which has no NTLM, refuses it with 18452. */
static void test_ntlm_login_attempted(void **state)
{
	struct tds_server_options o = tls_server(NULL, 0);
	struct run r;

	(void)state;
	run_case(&r, &o, "request", NULL, "CONTOSO\\auditor");
	assert_int_not_equal(r.rc, 0);
	assert_non_null(strstr(r.events, "login7\tclear integrated sspi="));
	assert_non_null(strstr(r.events, " ntlmssp"));
	assert_non_null(strstr(r.out, "untrusted domain"));
	run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_request_no_certificate),
	    cmocka_unit_test(test_request_offering_server_login_only),
	    cmocka_unit_test(test_require_offering_server_whole_session),
	    cmocka_unit_test(test_forcing_server),
	    cmocka_unit_test(test_off_against_forcing_server_encrypts),
	    cmocka_unit_test(test_verified_certificate),
	    cmocka_unit_test(test_wrong_ca),
	    cmocka_unit_test(test_wrong_host_name),
	    cmocka_unit_test(test_require_without_tls_refused),
	    cmocka_unit_test(test_strict_server_refuses_prelogin),
	    cmocka_unit_test(test_ntlm_login_attempted),
	};

	tds_harness_set_server(SUSDB_TDS_SERVER);
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
