/* test_hierarchy: the hierarchy file loader: roles, defaults, errors with file:line, hostile input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "hierarchy.h"
#include "log.h"
#include "xalloc.h"

#define FIXTURES SUSAUDIT_SOURCE_DIR "/tests/fixtures/hierarchy-files/"
#define NS "urn:susaudit:hierarchy:1"

/* ---- log capture ---------------------------------------------------------------------------- */

static char captured[65536];
static size_t captured_len;
static int captured_errors;

static void sink(enum log_level level, const char *message, void *data)
{
	int n;

	(void)data;
	if (level == LOG_LEVEL_ERROR)
		captured_errors++;
	n = snprintf(captured + captured_len, sizeof(captured) - captured_len, "%s: %s\n",
		     level == LOG_LEVEL_ERROR ? "error" : "warning", message);
	if (n > 0)
		captured_len += (size_t)n < sizeof(captured) - captured_len
				    ? (size_t)n
				    : sizeof(captured) - captured_len - 1;
}

static int setup(void **state)
{
	(void)state;
	captured[0] = '\0';
	captured_len = 0;
	captured_errors = 0;
	log_set_sink(sink, NULL);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	log_set_sink(NULL, NULL);
	return 0;
}

static void assert_logged(const char *needle)
{
	if (!strstr(captured, needle)) {
		print_error("expected in the log: %s\nlog was:\n%s\n", needle, captured);
		fail();
	}
}

static void assert_not_logged(const char *needle)
{
	if (strstr(captured, needle)) {
		print_error("not expected in the log: %s\nlog was:\n%s\n", needle, captured);
		fail();
	}
}

/* ---- helpers -------------------------------------------------------------------------------- */

static struct hierarchy *load_ok(const char *file)
{
	struct hierarchy *h = NULL;

	if (hierarchy_load(file, &h) != 0) {
		print_error("loading %s failed:\n%s\n", file, captured);
		fail();
	}
	assert_non_null(h);
	return h;
}

static int load_fails(const char *file)
{
	struct hierarchy *h = (struct hierarchy *)1;
	int rc = hierarchy_load(file, &h);

	assert_null(h);
	assert_true(captured_errors > 0);
	return rc;
}

/* Wraps `body` in a <hierarchy> whose start tag is line 1, so body lines start at 2. */
static int load_body(const char *body, struct hierarchy **h)
{
	char *xml = xasprintf("<hierarchy xmlns=\"" NS "\" name=\"T\">\n%s</hierarchy>\n", body);
	int rc = hierarchy_load_memory(xml, strlen(xml), "t.xml", h);

	free(xml);
	return rc;
}

static const struct server *server(const struct hierarchy *h, const char *name)
{
	int i = hierarchy_find_server(h, name);

	if (i < 0) {
		print_error("no server '%s'\n", name);
		fail();
	}
	return &h->servers[i];
}

static int idx(const struct hierarchy *h, const char *name)
{
	return hierarchy_find_server(h, name);
}

static char *tmp_path(const char *name)
{
	mkdir(SUSAUDIT_TEST_TMPDIR, 0700);
	return xasprintf("%s/hier-%ld-%s", SUSAUDIT_TEST_TMPDIR, (long)getpid(), name);
}

static void write_file(const char *path, const char *data, size_t len, mode_t mode)
{
	int fd;

	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

/* ---- the INTERFACE.md example --------------------------------------------------------------- */

static void test_contoso_example(void **state)
{
	struct hierarchy *h = load_ok(FIXTURES "contoso.xml");
	const struct server *cas, *p1, *p2, *web, *s01, *branch;
	FILE *f;
	char buf[8192];
	size_t n;

	(void)state;
	assert_string_equal(h->name, "Contoso");
	assert_string_equal(h->path, FIXTURES "contoso.xml");
	assert_int_equal(h->nsites, 3);
	assert_int_equal(h->nservers, 6);

	/* the text is kept as read, for snapshots */
	f = fopen(FIXTURES "contoso.xml", "rb");
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	assert_int_equal(h->xml_len, n);
	assert_memory_equal(h->xml, buf, n);
	assert_int_equal(h->xml[n], '\0');

	assert_string_equal(h->sites[0].code, "CAS");
	assert_int_equal(h->sites[0].type, SITE_CAS);
	assert_int_equal(h->sites[0].parent, -1);
	assert_int_equal(h->sites[0].line, 6);
	assert_null(h->sites[0].upstream);
	assert_string_equal(h->sites[1].code, "P01");
	assert_int_equal(h->sites[1].type, SITE_PRIMARY);
	assert_int_equal(h->sites[1].parent, 0);
	assert_string_equal(h->sites[2].code, "S01");
	assert_int_equal(h->sites[2].type, SITE_SECONDARY);
	assert_int_equal(h->sites[2].parent, 1);
	assert_int_equal(h->sites[0].first_server, idx(h, "cas-sup1.contoso.com"));
	assert_int_equal(h->sites[1].first_server, idx(h, "p01-sup1.contoso.com"));
	assert_int_equal(h->sites[2].first_server, idx(h, "s01-sup1.contoso.com"));

	cas = server(h, "cas-sup1.contoso.com");
	p1 = server(h, "p01-sup1.contoso.com");
	p2 = server(h, "p01-sup2.contoso.com");
	web = server(h, "p01-web.contoso.com");
	s01 = server(h, "s01-sup1.contoso.com");
	branch = server(h, "branch-wsus.contoso.com");

	/* document order */
	assert_ptr_equal(cas, &h->servers[0]);
	assert_ptr_equal(branch, &h->servers[5]);

	assert_int_equal(cas->role, ROLE_TOP);
	assert_int_equal(cas->expected_upstream, EXPECT_MICROSOFT_UPDATE);
	assert_int_equal(cas->expected_replica, 0);
	assert_int_equal(cas->site, 0);
	assert_true(cas->first);
	assert_int_equal(cas->port, 8531);
	assert_true(cas->ssl);
	assert_false(cas->internet);
	assert_int_equal(cas->line, 7);

	assert_int_equal(p1->role, ROLE_SITE_FIRST);
	assert_int_equal(p1->expected_upstream, idx(h, "cas-sup1.contoso.com"));
	assert_int_equal(p1->expected_replica, 0);
	assert_true(p1->first);
	assert_int_equal(p1->naliases, 2);
	assert_string_equal(p1->aliases[0], "P01-SUP1");
	assert_string_equal(p1->aliases[1], "10.1.0.21");
	assert_string_equal(p1->conn.sql, "p01-sql.contoso.com\\WSUS");

	assert_int_equal(p2->role, ROLE_SITE_OTHER);
	assert_int_equal(p2->expected_upstream, idx(h, "p01-sup1.contoso.com"));
	assert_int_equal(p2->expected_replica, 1);
	assert_false(p2->first);

	assert_int_equal(web->role, ROLE_INTERNET);
	assert_true(web->internet);
	assert_int_equal(web->expected_upstream, idx(h, "p01-sup1.contoso.com"));
	assert_int_equal(web->expected_replica, 1);
	assert_int_equal(web->line, 12); /* the start tag spans lines 12-13 */

	assert_int_equal(s01->role, ROLE_SECONDARY);
	assert_int_equal(s01->site, 2);
	assert_int_equal(s01->expected_upstream, idx(h, "p01-sup1.contoso.com"));
	assert_int_equal(s01->expected_replica, 1);

	assert_int_equal(branch->role, ROLE_STANDALONE);
	assert_int_equal(branch->site, -1);
	assert_int_equal(branch->expected_upstream, EXPECT_UNDETERMINED);
	assert_int_equal(branch->expected_replica, -1);
	assert_false(branch->first);

	/* <defaults> applied, overridden per server */
	assert_string_equal(p2->conn.database, "SUSDB");
	assert_string_equal(p2->conn.user, "CONTOSO\\svc-susaudit");
	assert_string_equal(p2->conn.password_env, "SUSAUDIT_PASSWORD");
	assert_null(p2->conn.password_file);
	assert_int_equal(p2->conn.encryption, ENCRYPTION_REQUEST);
	assert_int_equal(p2->conn.login_timeout, 15);
	assert_int_equal(p2->conn.query_timeout, 300);
	assert_null(web->conn.password_env);
	assert_string_equal(web->conn.password_file, "/etc/susaudit/p01-web.pw");
	assert_string_equal(web->conn.sql, "p01-web-sql.contoso.com:1433");
	assert_null(p2->wsus_version);
	assert_false(p2->is_new);
	assert_false(p2->planned.present);

	/* names and aliases, any case */
	assert_int_equal(idx(h, "P01-SUP1.CONTOSO.COM"), idx(h, "p01-sup1.contoso.com"));
	assert_int_equal(idx(h, "p01-sup1"), idx(h, "p01-sup1.contoso.com"));
	assert_int_equal(idx(h, "10.1.0.21"), idx(h, "p01-sup1.contoso.com"));
	assert_int_equal(idx(h, "nowhere.contoso.com"), -1);
	assert_int_equal(idx(h, ""), -1);
	assert_int_equal(hierarchy_check_collectable(h), 0);
	assert_int_equal(captured_errors, 0);
	hierarchy_free(h);
}

static void test_role_names(void **state)
{
	(void)state;
	assert_string_equal(server_role_name(ROLE_TOP), "top");
	assert_string_equal(server_role_name(ROLE_SITE_FIRST), "site-first");
	assert_string_equal(server_role_name(ROLE_SITE_OTHER), "site-other");
	assert_string_equal(server_role_name(ROLE_INTERNET), "internet");
	assert_string_equal(server_role_name(ROLE_SECONDARY), "secondary");
	assert_string_equal(server_role_name(ROLE_STANDALONE), "standalone");
}

/* A primary at the top with R1's upstream exception, first="true", an internet SUP first in
 * the file, a site without servers, sql on <defaults>, and sql="wid". */
static void test_external_upstream(void **state)
{
	struct hierarchy *h = load_ok(FIXTURES "external-upstream.xml");
	const struct server *web, *sup1, *sup2, *hq;

	(void)state;
	assert_int_equal(h->nsites, 2);
	assert_int_equal(h->nservers, 4);
	assert_string_equal(h->sites[0].upstream, "hq-wsus.fabrikam.com:8531");
	assert_true(h->sites[0].upstream_ssl);
	assert_int_equal(h->sites[1].first_server, -1);
	web = server(h, "f01-web.fabrikam.com");
	sup1 = server(h, "f01-sup1.fabrikam.com");
	sup2 = server(h, "f01-sup2.fabrikam.com");
	hq = server(h, "hq-wsus.fabrikam.com");

	assert_int_equal(h->sites[0].first_server, idx(h, "f01-sup2.fabrikam.com"));
	assert_int_equal(sup2->role, ROLE_TOP);
	assert_int_equal(sup2->expected_upstream, EXPECT_EXTERNAL);
	assert_string_equal(sup2->external_upstream, "hq-wsus.fabrikam.com");
	assert_int_equal(sup2->external_upstream_port, 8531);
	assert_true(sup2->external_upstream_ssl);
	assert_int_equal(sup2->expected_replica, 0);
	assert_string_equal(sup2->wsus_version, "10.0.17763.678");
	assert_string_equal(sup2->conn.password_env, "F01_PW");
	assert_null(sup2->conn.password_file);

	assert_int_equal(web->role, ROLE_INTERNET);
	assert_false(web->first);
	assert_int_equal(web->expected_upstream, idx(h, "f01-sup2.fabrikam.com"));
	assert_int_equal(sup1->role, ROLE_SITE_OTHER);
	assert_int_equal(sup1->expected_upstream, idx(h, "f01-sup2.fabrikam.com"));
	assert_int_equal(sup1->expected_replica, 1);

	assert_string_equal(sup1->conn.sql, "shared-sql.fabrikam.com");
	assert_string_equal(sup1->conn.database, "SUSDB_F01");
	assert_int_equal(sup1->conn.encryption, ENCRYPTION_REQUIRE);
	assert_int_equal(sup1->conn.login_timeout, 5);
	assert_int_equal(sup1->conn.query_timeout, 60);
	assert_string_equal(sup1->conn.password_file, "/etc/susaudit/shared.pw");
	assert_false(sup1->is_new);

	assert_string_equal(hq->conn.sql, "wid");
	assert_int_equal(hq->role, ROLE_STANDALONE);
	assert_int_equal(captured_errors, 0);
	hierarchy_free(h);
}

/* Without first="true", the default first SUP skips internet SUPs; with only internet SUPs
 * the first of them is the site's first. */
static void test_default_first(void **state)
{
	struct hierarchy *h = NULL;

	(void)state;
	assert_int_equal(
	    load_body("<site code=\"P01\" type=\"primary\">\n"
		      " <server name=\"web\" port=\"8531\" internet=\"true\" sql=\"x\"/>\n"
		      " <server name=\"sup1\" port=\"8530\" sql=\"x\"/>\n"
		      " <server name=\"sup2\" port=\"8530\" sql=\"x\"/>\n"
		      " <site code=\"S01\" type=\"secondary\">\n"
		      "  <server name=\"s1\" port=\"8530\" sql=\"x\"/>\n"
		      "  <server name=\"s2\" port=\"8530\" sql=\"x\" internet=\"true\"/>\n"
		      " </site>\n"
		      "</site>\n"
		      "<server name=\"alone\" port=\"8530\" sql=\"x\" internet=\"true\"/>\n",
		      &h),
	    0);
	assert_int_equal(server(h, "sup1")->role, ROLE_TOP);
	assert_int_equal(server(h, "sup1")->expected_upstream, EXPECT_MICROSOFT_UPDATE);
	assert_int_equal(server(h, "web")->role, ROLE_INTERNET);
	assert_int_equal(server(h, "web")->expected_upstream, idx(h, "sup1"));
	assert_int_equal(server(h, "sup2")->role, ROLE_SITE_OTHER);
	assert_int_equal(server(h, "s1")->role, ROLE_SECONDARY);
	assert_int_equal(server(h, "s2")->role, ROLE_SECONDARY);
	assert_int_equal(server(h, "s2")->expected_upstream, idx(h, "sup1"));
	assert_int_equal(server(h, "s2")->expected_replica, 1);
	assert_int_equal(server(h, "alone")->role, ROLE_STANDALONE);
	hierarchy_free(h);

	assert_int_equal(
	    load_body("<site code=\"P01\" type=\"primary\">\n"
		      " <server name=\"web1\" port=\"8531\" internet=\"true\" sql=\"x\"/>\n"
		      " <server name=\"web2\" port=\"8531\" internet=\"true\" sql=\"x\"/>\n"
		      "</site>\n",
		      &h),
	    0);
	assert_int_equal(server(h, "web1")->role, ROLE_TOP);
	assert_true(server(h, "web1")->first);
	assert_int_equal(server(h, "web2")->role, ROLE_INTERNET);
	assert_int_equal(server(h, "web2")->expected_upstream, idx(h, "web1"));
	hierarchy_free(h);

	/* first="false" rules a server out of the default */
	assert_int_equal(load_body("<site code=\"P01\" type=\"primary\">\n"
				   " <server name=\"old\" port=\"8530\" first=\"false\" sql=\"x\"/>\n"
				   " <server name=\"web\" port=\"8531\" internet=\"true\" sql=\"x\"/>\n"
				   " <server name=\"new\" port=\"8530\" sql=\"x\"/>\n"
				   "</site>\n",
				   &h),
			 0);
	assert_int_equal(h->sites[0].first_server, idx(h, "new"));
	assert_int_equal(server(h, "old")->role, ROLE_SITE_OTHER);
	assert_int_equal(server(h, "old")->expected_upstream, idx(h, "new"));
	hierarchy_free(h);
}

/* A primary under a CAS without servers: its first SUP's upstream is undetermined (warning). */
static void test_parent_without_servers(void **state)
{
	struct hierarchy *h = NULL;

	(void)state;
	assert_int_equal(load_body("<site code=\"CAS\" type=\"cas\">\n"
				   " <site code=\"P01\" type=\"primary\">\n"
				   "  <server name=\"p1\" port=\"8530\" sql=\"x\"/>\n"
				   " </site>\n"
				   "</site>\n",
				   &h),
			 0);
	assert_int_equal(server(h, "p1")->role, ROLE_SITE_FIRST);
	assert_int_equal(server(h, "p1")->expected_upstream, EXPECT_UNDETERMINED);
	assert_logged("warning: t.xml:4: server 'p1': its upstream cannot be determined because "
		      "site 'CAS' has no server");
	hierarchy_free(h);
}

static void test_plan(void **state)
{
	struct hierarchy *h = load_ok(FIXTURES "plan.xml");
	const struct server *p2, *p3, *p1;

	(void)state;
	p1 = server(h, "p01-sup1.contoso.com");
	p2 = server(h, "p01-sup2.contoso.com");
	p3 = server(h, "p01-sup3.contoso.com");
	assert_false(p1->planned.present);
	assert_false(p1->is_new);
	assert_true(p2->planned.present);
	assert_int_equal(p2->planned.sync_to_mu, 0);
	assert_string_equal(p2->planned.upstream, "p01-sup1.contoso.com");
	assert_int_equal(p2->planned.upstream_port, 8530);
	assert_int_equal(p2->planned.upstream_ssl, 0);
	assert_int_equal(p2->planned.replica, 0);
	assert_int_equal(p2->planned.host_on_mu, 0);
	assert_int_equal(p2->planned.nlanguages, 3);
	assert_string_equal(p2->planned.languages[0], "en");
	assert_string_equal(p2->planned.languages[1], "ja");
	assert_string_equal(p2->planned.languages[2], "zh-tw");
	assert_true(p3->is_new);
	assert_null(p3->conn.sql);
	assert_int_equal(p3->role, ROLE_SITE_OTHER);
	assert_int_equal(p3->expected_upstream, idx(h, "p01-sup1.contoso.com"));

	/* fine for a plan, not for an audit */
	assert_int_equal(hierarchy_check_collectable(h), -1);
	assert_logged("plan.xml:14: server 'p01-sup3.contoso.com' has no 'sql' attribute");
	hierarchy_free(h);

	/* only what is given is set */
	assert_int_equal(
	    load_body("<server name=\"a\" port=\"8530\" sql=\"x\">\n"
		      " <planned sync-source=\"microsoft-update\" storage=\"microsoft-update\"/>\n"
		      "</server>\n",
		      &h),
	    0);
	assert_int_equal(h->servers[0].planned.present, 1);
	assert_int_equal(h->servers[0].planned.sync_to_mu, 1);
	assert_int_equal(h->servers[0].planned.host_on_mu, 1);
	assert_null(h->servers[0].planned.upstream);
	assert_int_equal(h->servers[0].planned.upstream_port, -1);
	assert_int_equal(h->servers[0].planned.upstream_ssl, -1);
	assert_int_equal(h->servers[0].planned.replica, -1);
	assert_null(h->servers[0].planned.languages);
	assert_int_equal(h->servers[0].planned.nlanguages, 0);
	hierarchy_free(h);
}

/* ---- errors: every one names file and line -------------------------------------------------- */

struct bad_case {
	const char *body;
	const char *message; /* expected in the log, starting with "t.xml:LINE: " */
};

static const struct bad_case bad_cases[] = {
    {"<server name=\"a\" port=\"abc\" sql=\"x\"/>\n",
     "t.xml:2: server 'a': port 'abc' is not a valid port (1-65535)"},
    {"<server name=\"a\" port=\"99999\" sql=\"x\"/>\n",
     "t.xml:2: server 'a': port '99999' is not a valid port (1-65535)"},
    {"<server name=\"a\" port=\"0\" sql=\"x\"/>\n",
     "t.xml:2: server 'a': port '0' is not a valid port"},
    {"<server name=\"a\" port=\"8530\" ssl=\"yes\" sql=\"x\"/>\n",
     "t.xml:2: server 'a': ssl 'yes' is not true or false"},
    {"<server name=\"a\" port=\"8530\" sql=\"x\" query-timeout=\"86401\"/>\n",
     "t.xml:2: server 'a': query-timeout '86401' is not a valid timeout (1-86400 seconds)"},
    {"<defaults login-timeout=\"-1\"/>\n",
     "t.xml:2: defaults: login-timeout '-1' is not a valid timeout"},
    {"<defaults encryption=\"maybe\"/>\n",
     "t.xml:2: defaults: encryption 'maybe' is not one of: off, request, require"},
    {"<site code=\"P01\" type=\"tertiary\"/>\n",
     "t.xml:2: site 'P01': type 'tertiary' is not one of: cas, primary, secondary"},
    {"<site code=\"P0001\" type=\"primary\"/>\n",
     "t.xml:2: site 'P0001': code 'P0001' is not a site code (three letters or digits)"},
    {"<server name=\"a b\" port=\"8530\" sql=\"x\"/>\n",
     "t.xml:2: server 'a b': name 'a b' is not a valid host name"},
    {"<server name=\"a\" port=\"8530\" sql=\"x\" aliases=\"A a;b\"/>\n",
     "t.xml:2: server 'a': alias 'a;b' is not a valid host name or address"},
    {"<server name=\"a\" port=\"8530\" sql=\"x\" password-file=\"pw.txt\"/>\n",
     "t.xml:2: server 'a': password-file 'pw.txt' is not an absolute path"},
    {"<server name=\"a\" port=\"8530\" sql=\"x\" password-env=\"1X\"/>\n",
     "t.xml:2: server 'a': password-env '1X' is not an environment variable name"},
    {"<server name=\"a\" port=\"8530\" sql=\"x\" wsus-version=\"ten\"/>\n",
     "t.xml:2: server 'a': wsus-version 'ten' is not a version"},
    {"<server name=\"a\" port=\"8530\" sql=\"x\" database=\"SUS;DB\"/>\n",
     "t.xml:2: server 'a': database 'SUS;DB' is not a database name"},
    {"<server name=\"a\" port=\"8530\" sql=\"x\">\n <planned languages=\"english!\"/>\n</server>\n",
     "t.xml:3: server 'a': planned: language 'english!' is not a short language name"},
    {"<server name=\"a\" port=\"8530\" sql=\"x\">\n <planned "
     "upstream-port=\"70000\"/>\n</server>\n",
     "t.xml:3: server 'a': planned: upstream-port '70000' is not a valid port"},
    {"<server name=\"a\" port=\"8530\" sql=\"x\">\n <planned sync-source=\"microsoft-update\" "
     "upstream=\"b\"/>\n</server>\n",
     "t.xml:3: server 'a': planned: sync-source is microsoft-update but an upstream setting is "
     "given"},
    {"<server port=\"8530\" sql=\"x\"/>\n",
     "t.xml:2: element 'server': the attribute 'name' is required but missing"},
    {"<site code=\"P01\" type=\"primary\" upstream=\"wsus\"/>\n",
     "t.xml:2: site 'P01': upstream 'wsus' is not host:port"},
    {"<server name=\"a\" port=\"8530\" sql=\"sql1.contoso.com:14330x\"/>\n",
     "t.xml:2: server 'a': sql 'sql1.contoso.com:14330x' is not host, host:port (port "
     "1-65535), host\\instance, a freetds.conf name or wid"},
    {"<server name=\"a\" port=\"8530\" sql=\"sql1.contoso.com:\"/>\n",
     "t.xml:2: server 'a': sql 'sql1.contoso.com:' is not host"},
    {"<server name=\"a\" port=\"8530\" sql=\"sql1:70000\"/>\n",
     "t.xml:2: server 'a': sql 'sql1:70000' is not host"},
    {"<defaults sql=\":1433\"/>\n<server name=\"a\" port=\"8530\"/>\n",
     "t.xml:2: defaults: sql ':1433' is not host"},
    {"<server name=\"a\" port=\"8530\" sql=\"sql1\\\"/>\n",
     "t.xml:2: server 'a': sql 'sql1\\' is not host"},
    {"<server name=\"a\" port=\"8530\" sql=\"sql1.contoso.com,1433\"/>\n",
     "t.xml:2: server 'a': sql 'sql1.contoso.com,1433' uses SQL Server's 'host,port' form; "
     "write host:port"},
    {"<server name=\"a\" port=\"8530\" sql=\"sql1\\WSUS:1433\"/>\n",
     "t.xml:2: server 'a': sql 'sql1\\WSUS:1433' is not host"},
    /* structure */
    {"<server name=\"a.contoso.com\" port=\"8530\" sql=\"x\"/>\n"
     "<server name=\"A.Contoso.COM\" port=\"8530\" sql=\"y\"/>\n",
     "t.xml:3: server 'A.Contoso.COM': name 'A.Contoso.COM' is already used by server "
     "'a.contoso.com' (line 2)"},
    {"<server name=\"a.contoso.com\" port=\"8530\" sql=\"x\" aliases=\"A\"/>\n"
     "<server name=\"b.contoso.com\" port=\"8530\" sql=\"y\" aliases=\"a\"/>\n",
     "t.xml:3: server 'b.contoso.com': alias 'a' is already used by server 'a.contoso.com' "
     "(line 2)"},
    {"<server name=\"a\" port=\"8530\" sql=\"x\" aliases=\"b\"/>\n"
     "<server name=\"b\" port=\"8530\" sql=\"y\"/>\n",
     "t.xml:3: server 'b': name 'b' is already used by server 'a' (line 2)"},
    {"<site code=\"CAS\" type=\"cas\">\n"
     " <site code=\"P01\" type=\"primary\"/>\n"
     " <site code=\"p01\" type=\"primary\"/>\n"
     "</site>\n",
     "t.xml:4: site 'p01': code already used by the site at line 3"},
    {"<site code=\"P01\" type=\"primary\">\n"
     " <server name=\"a\" port=\"8530\" sql=\"x\" first=\"true\"/>\n"
     " <server name=\"b\" port=\"8530\" sql=\"x\" first=\"true\"/>\n"
     "</site>\n",
     "t.xml:4: server 'b': site 'P01' already has a first server ('a', line 3)"},
    {"<site code=\"S01\" type=\"secondary\"/>\n",
     "t.xml:2: site 'S01': a secondary site must be inside a primary site"},
    {"<site code=\"CAS\" type=\"cas\">\n <site code=\"S01\" type=\"secondary\"/>\n</site>\n",
     "t.xml:3: site 'S01': a secondary site must be inside a primary site, not inside the "
     "central administration site 'CAS'"},
    {"<site code=\"P01\" type=\"primary\">\n <site code=\"P02\" type=\"primary\"/>\n</site>\n",
     "t.xml:3: site 'P02': a primary site cannot be inside another primary site ('P01')"},
    {"<site code=\"P01\" type=\"primary\">\n <site code=\"CAS\" type=\"cas\"/>\n</site>\n",
     "t.xml:3: site 'CAS': a central administration site can only be the top-level site"},
    {"<site code=\"P01\" type=\"primary\">\n <site code=\"S01\" type=\"secondary\">\n"
     "  <site code=\"S02\" type=\"secondary\"/>\n </site>\n</site>\n",
     "t.xml:4: site 'S02': a secondary site ('S01') cannot contain other sites"},
    {"<site code=\"P01\" type=\"primary\"/>\n<site code=\"P02\" type=\"primary\"/>\n",
     "t.xml:3: site 'P02': more than one top-level site (site 'P01' at line 2 is already the "
     "top)"},
    {"<site code=\"CAS\" type=\"cas\">\n"
     " <site code=\"P01\" type=\"primary\" upstream=\"wsus.contoso.com:8530\"/>\n</site>\n",
     "t.xml:3: site 'P01': upstream is only allowed on the top-level site"},
    {"<site code=\"P01\" type=\"primary\" upstream-ssl=\"true\"/>\n",
     "t.xml:2: site 'P01': upstream-ssl without upstream"},
    {"<server name=\"a\" port=\"8530\" sql=\"x\" first=\"true\"/>\n",
     "t.xml:2: server 'a': first=\"true\" only applies to a server inside a site"},
    {"<server name=\"a\" port=\"8530\" sql=\"x\" password-env=\"P\" password-file=\"/p\"/>\n",
     "t.xml:2: server 'a': password-env and password-file are both given: choose one"},
    /* schema: unknown things, order, text */
    {"<server name=\"a\" port=\"8530\" sql=\"x\" colour=\"blue\"/>\n",
     "t.xml:2: element 'server', attribute 'colour': the attribute 'colour' is not allowed"},
    {"<server name=\"a\" port=\"8530\" sql=\"x\"/>\n<defaults database=\"X\"/>\n",
     "t.xml:3: element 'defaults': this element is not expected"},
    {"<database name=\"x\"/>\n", "t.xml:2: element 'database': this element is not expected"},
    {"<site code=\"P01\" type=\"primary\">hello</site>\n",
     "t.xml:2: element 'site': character content other than whitespace is not allowed"},
    {"<server xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"x\" "
     "name=\"a\" port=\"8530\" sql=\"x\"/>\n",
     "t.xml:2: attribute 'xsi:type' is not allowed"},
    /* not well-formed */
    {"<site code=\"P01\" type=\"primary\">\n",
     "t.xml:3: opening and ending tag mismatch: site line 2 and hierarchy"},
};

static void test_errors_name_file_and_line(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		struct hierarchy *h = (struct hierarchy *)1;

		setup(state);
		if (load_body(bad_cases[i].body, &h) != -1) {
			print_error("case %zu loaded but should not:\n%s\n", i, bad_cases[i].body);
			fail();
		}
		assert_null(h);
		assert_logged(bad_cases[i].message);
	}
}

/* Several problems in one file are all reported, each on its line. */
static void test_bad_port_file(void **state)
{
	(void)state;
	assert_int_equal(load_fails(FIXTURES "bad-port.xml"), -1);
	assert_logged("bad-port.xml:5: server 'p01-sup2.contoso.com': port 'abc' is not a valid "
		      "port (1-65535)");
	assert_logged("bad-port.xml:6: server 'p01-sup3.contoso.com': port '99999' is not a "
		      "valid port (1-65535)");
	assert_int_equal(captured_errors, 2);
}

static void test_password_attribute(void **state)
{
	(void)state;
	assert_int_equal(load_fails(FIXTURES "password-attribute.xml"), -1);
	assert_logged("password-attribute.xml:5: server 'p01-sup1.contoso.com': a 'password' "
		      "attribute is not allowed (hierarchy files get committed and mailed around): "
		      "use password-env or password-file");
	assert_not_logged("Winter2026");
}

static void test_unknown_element_and_attribute(void **state)
{
	(void)state;
	assert_int_equal(load_fails(FIXTURES "unknown-element.xml"), -1);
	assert_logged("unknown-element.xml:5: element 'database': this element is not expected");
	setup(state);
	assert_int_equal(load_fails(FIXTURES "unknown-attribute.xml"), -1);
	assert_logged("unknown-attribute.xml:4: element 'server', attribute 'colour': the "
		      "attribute 'colour' is not allowed");
}

/* ---- hostile input -------------------------------------------------------------------------- */

static void test_xxe(void **state)
{
	(void)state;
	assert_int_equal(load_fails(FIXTURES "xxe.xml"), -1);
	assert_logged("xxe.xml:2: DOCTYPE and entity declarations are not allowed");
	assert_not_logged("root:");
}

static void test_billion_laughs(void **state)
{
	(void)state;
	assert_int_equal(load_fails(FIXTURES "billion-laughs.xml"), -1);
	assert_logged("billion-laughs.xml:2: DOCTYPE and entity declarations are not allowed");
}

/* A DOCTYPE the lexical pass cannot see (UTF-16 has NUL bytes) is refused too. */
static void test_utf16_refused(void **state)
{
	const char ascii[] = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><!DOCTYPE x []><x/>";
	char buf[2 * sizeof(ascii) + 2];
	struct hierarchy *h = NULL;
	size_t i, n = 0;

	(void)state;
	buf[n++] = (char)0xff;
	buf[n++] = (char)0xfe;
	for (i = 0; ascii[i]; i++) {
		buf[n++] = ascii[i];
		buf[n++] = 0;
	}
	assert_int_equal(hierarchy_load_memory(buf, n, "u16.xml", &h), -1);
	assert_null(h);
	assert_logged("u16.xml: contains NUL bytes: expected UTF-8 XML text");
}

static void test_garbage_empty_namespace(void **state)
{
	(void)state;
	assert_int_equal(load_fails(FIXTURES "garbage.xml"), -1);
	assert_logged("garbage.xml:1: ");
	setup(state);
	assert_int_equal(load_fails(FIXTURES "empty.xml"), -1);
	assert_logged("empty.xml: is empty");
	setup(state);
	assert_int_equal(load_fails(FIXTURES "wrong-namespace.xml"), -1);
	assert_logged(
	    "wrong-namespace.xml:2: root element is 'hierarchy' in namespace "
	    "'urn:example:other': expected <hierarchy xmlns=\"urn:susaudit:hierarchy:1\">");
	setup(state);
	assert_int_equal(load_fails(FIXTURES "does-not-exist.xml"), -1);
	assert_logged("could not open '" FIXTURES "does-not-exist.xml': No such file or directory");
	setup(state);
	{
		struct hierarchy *h = NULL;
		const char *xml = "<hierarchy name=\"T\"/>";

		assert_int_equal(hierarchy_load_memory(xml, strlen(xml), "nons.xml", &h), -1);
		assert_logged("nons.xml:1: root element is 'hierarchy' without a namespace");
	}
}

static void test_big_file(void **state)
{
	size_t len = 5 * 1024 * 1024, i;
	char *path = tmp_path("big.xml");
	char *data = xmalloc(len);
	const char *head = "<hierarchy xmlns=\"" NS "\" name=\"T\">\n<!--";

	(void)state;
	memcpy(data, head, strlen(head));
	for (i = strlen(head); i < len; i++)
		data[i] = 'x';
	write_file(path, data, len, 0600);
	assert_int_equal(load_fails(path), -1);
	assert_logged("is larger than 4 MiB: refused");
	setup(state);
	{
		struct hierarchy *h = NULL;

		assert_int_equal(hierarchy_load_memory(data, len, "big.xml", &h), -1);
		assert_logged("big.xml: is larger than 4 MiB: refused");
	}
	unlink(path);
	free(path);
	free(data);
}

static void test_long_attribute(void **state)
{
	size_t n = 100 * 1024;
	char *value = xmalloc(n + 1);
	char *body;
	struct hierarchy *h = NULL;

	(void)state;
	memset(value, 'a', n);
	value[n] = '\0';
	body = xasprintf("<server name=\"%s\" port=\"8530\" sql=\"x\"/>\n", value);
	assert_int_equal(load_body(body, &h), -1);
	assert_logged("t.xml:2: attribute 'name' is longer than 1024 bytes: refused");
	free(body);
	free(value);
}

static char *nested_sites(int depth)
{
	size_t cap = (size_t)depth * 64 + 64, n = 0;
	char *s = xmalloc(cap);
	int i;

	for (i = 0; i < depth; i++)
		n += (size_t)snprintf(s + n, cap - n, "<site code=\"S%02d\" type=\"primary\">\n",
				      i % 100);
	for (i = 0; i < depth; i++)
		n += (size_t)snprintf(s + n, cap - n, "</site>\n");
	return s;
}

static void test_deep_nesting(void **state)
{
	struct hierarchy *h = NULL;
	char *body = nested_sites(100);

	(void)state;
	assert_int_equal(load_body(body, &h), -1);
	assert_logged("t.xml:37: elements nested more than 36 deep: refused (at most 32 levels of "
		      "sites)");
	free(body);

	/* past libxml2's own limit (256) the message is still ours */
	setup(state);
	body = nested_sites(300);
	assert_int_equal(load_body(body, &h), -1);
	assert_null(h);
	assert_logged("t.xml:37: elements nested more than 36 deep");
	assert_not_logged("XML_PARSE_HUGE");
	assert_int_equal(captured_errors, 1);
	free(body);

	/* 32 levels of sites pass the depth bound (and then fail on structure, not depth) */
	setup(state);
	body = nested_sites(32);
	assert_int_equal(load_body(body, &h), -1);
	assert_not_logged("nested more than");
	assert_logged("a primary site cannot be inside another primary site");
	free(body);
}

static void test_many_attributes(void **state)
{
	size_t nattrs = 200000, cap = nattrs * 12 + 64, n = 0, i;
	char *body = xmalloc(cap);
	struct hierarchy *h = NULL;
	clock_t start = clock();

	(void)state;
	n += (size_t)snprintf(body + n, cap - n, "<server ");
	for (i = 0; i < nattrs; i++)
		n += (size_t)snprintf(body + n, cap - n, "a%zu=\"\" ", i);
	snprintf(body + n, cap - n, "/>\n");
	assert_int_equal(load_body(body, &h), -1);
	assert_logged("t.xml:2: an element has more than 64 attributes: refused");
	/* refused before libxml2's quadratic duplicate check could run */
	assert_true((double)(clock() - start) / CLOCKS_PER_SEC < 5.0);
	free(body);
}

/* Errors stop at a readable number. */
static void test_error_cap(void **state)
{
	size_t cap = 64 * 1024, n = 0;
	char *body = xmalloc(cap);
	struct hierarchy *h = NULL;
	int i;

	(void)state;
	for (i = 0; i < 50; i++)
		n += (size_t)snprintf(body + n, cap - n,
				      "<server name=\"s%d\" port=\"bad\" sql=\"x\"/>\n", i);
	assert_int_equal(load_body(body, &h), -1);
	assert_int_equal(captured_errors, 21);
	assert_logged("t.xml: 30 more errors not shown");
	free(body);
}

/* ---- passwords ------------------------------------------------------------------------------ */

static void test_password_env(void **state)
{
	struct server s;
	char *pw = NULL;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.name = "a.contoso.com";
	assert_int_equal(hierarchy_read_password(&s, &pw), 1);
	assert_null(pw);

	s.conn.password_env = "SUSAUDIT_TEST_HIER_PW";
	setenv("SUSAUDIT_TEST_HIER_PW", "s3cr3t value", 1);
	assert_int_equal(hierarchy_read_password(&s, &pw), 0);
	assert_string_equal(pw, "s3cr3t value");
	xwipe(pw, strlen(pw));
	free(pw);

	setenv("SUSAUDIT_TEST_HIER_PW", "", 1);
	assert_int_equal(hierarchy_read_password(&s, &pw), -1);
	assert_null(pw);
	assert_logged("server 'a.contoso.com': environment variable 'SUSAUDIT_TEST_HIER_PW' "
		      "(password-env) is empty");
	unsetenv("SUSAUDIT_TEST_HIER_PW");
	assert_int_equal(hierarchy_read_password(&s, &pw), -1);
	assert_logged("environment variable 'SUSAUDIT_TEST_HIER_PW' (password-env) is not set");
	assert_not_logged("s3cr3t");
}

static void test_password_file(void **state)
{
	char *path = tmp_path("pw");
	struct server s;
	char *pw = NULL;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.name = "a.contoso.com";
	s.conn.password_file = path;

	write_file(path, "hunter2\n", 8, 0600);
	assert_int_equal(hierarchy_read_password(&s, &pw), 0);
	assert_string_equal(pw, "hunter2");
	free(pw);

	/* one newline only; CRLF from a Windows editor too */
	write_file(path, "hunter2\r\n", 9, 0400);
	assert_int_equal(hierarchy_read_password(&s, &pw), 0);
	assert_string_equal(pw, "hunter2");
	free(pw);
	write_file(path, "pw\n\n", 4, 0600);
	assert_int_equal(hierarchy_read_password(&s, &pw), 0);
	assert_string_equal(pw, "pw\n");
	free(pw);

	write_file(path, "hunter2\n", 8, 0644);
	assert_int_equal(hierarchy_read_password(&s, &pw), -1);
	assert_null(pw);
	assert_logged(
	    "can be read by group or others (mode 644): refused; fix it with 'chmod 600 ");
	setup(state);
	write_file(path, "hunter2\n", 8, 0660);
	assert_int_equal(hierarchy_read_password(&s, &pw), -1);
	assert_logged("(mode 660)");

	{
		char big[1100];

		memset(big, 'x', sizeof(big));
		write_file(path, big, sizeof(big), 0600);
		assert_int_equal(hierarchy_read_password(&s, &pw), -1);
		assert_logged("is longer than 1024 bytes");
	}
	write_file(path, "", 0, 0600);
	assert_int_equal(hierarchy_read_password(&s, &pw), -1);
	assert_logged("is empty");

	unlink(path);
	assert_int_equal(hierarchy_read_password(&s, &pw), -1);
	assert_logged("could not open password file '");
	assert_logged("No such file or directory");

	s.conn.password_file = SUSAUDIT_TEST_TMPDIR;
	assert_int_equal(hierarchy_read_password(&s, &pw), -1);
	assert_logged("is not a regular file");
	assert_not_logged("hunter2");
	free(path);
}

/* ---- scale ---------------------------------------------------------------------------------- */

/* A CAS, 250 primaries with 8 SUPs each: 2001 servers, with an alias each. */
static void test_large_hierarchy(void **state)
{
	size_t cap = 1024 * 1024, n = 0;
	char *body = xmalloc(cap);
	struct hierarchy *h = NULL;
	struct timespec t0, t1;
	int site, i;
	double secs;

	(void)state;
	n += (size_t)snprintf(body + n, cap - n,
			      "<site code=\"CAS\" type=\"cas\">\n"
			      "<server name=\"cas.contoso.com\" port=\"8530\" sql=\"cas-sql\"/>\n");
	for (site = 0; site < 250; site++) {
		n += (size_t)snprintf(body + n, cap - n, "<site code=\"P%02X\" type=\"primary\">\n",
				      site);
		for (i = 0; i < 8; i++)
			n += (size_t)snprintf(
			    body + n, cap - n,
			    "<server name=\"p%d-sup%d.contoso.com\" "
			    "aliases=\"P%d-SUP%d\" port=\"8530\" sql=\"p%d-sql%d\"/>\n",
			    site, i, site, i, site, i);
		n += (size_t)snprintf(body + n, cap - n, "</site>\n");
	}
	snprintf(body + n, cap - n, "</site>\n");

	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(load_body(body, &h), 0);
	for (site = 0; site < 250; site++) {
		for (i = 0; i < 8; i++) {
			char name[64];
			int k;

			snprintf(name, sizeof(name), "P%d-SUP%d", site, i);
			k = hierarchy_find_server(h, name);
			assert_int_equal(k, 1 + site * 8 + i);
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	assert_int_equal(h->nservers, 2001);
	assert_int_equal(h->servers[1].role, ROLE_SITE_FIRST);
	assert_int_equal(h->servers[1].expected_upstream, 0);
	assert_int_equal(h->servers[2000].role, ROLE_SITE_OTHER);
	assert_int_equal(h->servers[2000].expected_upstream, 1993);
	/* generous for sanitizers and a busy CI machine; a quadratic loader takes far longer */
	if (secs > 5.0) {
		print_error("loading 2001 servers took %.2f s\n", secs);
		fail();
	}
	hierarchy_free(h);
	free(body);
}

/* Hand-built hierarchies (other modules' tests) have no index: lookups still work. */
static void test_find_without_index(void **state)
{
	const char *aliases[] = {"B1", "10.0.0.2"};
	struct server servers[2];
	struct hierarchy h;

	(void)state;
	memset(&h, 0, sizeof(h));
	memset(servers, 0, sizeof(servers));
	servers[0].name = "a.contoso.com";
	servers[1].name = "b.contoso.com";
	servers[1].aliases = aliases;
	servers[1].naliases = 2;
	h.servers = servers;
	h.nservers = 2;
	assert_int_equal(hierarchy_find_server(&h, "A.CONTOSO.com"), 0);
	assert_int_equal(hierarchy_find_server(&h, "b1"), 1);
	assert_int_equal(hierarchy_find_server(&h, "10.0.0.2"), 1);
	assert_int_equal(hierarchy_find_server(&h, "c"), -1);
	assert_int_equal(hierarchy_find_server(NULL, "c"), -1);
}

/* A message is one line of text: a server's own message text cannot move the cursor or
 * recolour the terminal it is printed on. */
static void test_log_one_clean_line(void **state)
{
	(void)state;
	log_error("query on '%s': %s", "s1", "\033[2J\033]0;owned\007bad\tthing\r\nnext\n");
	assert_logged("error: query on 's1': ?[2J?]0;owned?bad thing??next\n");
	assert_null(strchr(captured, '\033'));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_contoso_example, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_role_names, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_external_upstream, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_default_first, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_parent_without_servers, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_plan, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_errors_name_file_and_line, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_port_file, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_password_attribute, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unknown_element_and_attribute, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_xxe, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_billion_laughs, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_utf16_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_garbage_empty_namespace, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_big_file, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_long_attribute, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_deep_nesting, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_many_attributes, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_error_cap, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_password_env, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_password_file, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_large_hierarchy, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_find_without_index, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_log_one_clean_line, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
