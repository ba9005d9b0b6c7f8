/* test_discover: `susaudit discover` over TDS against the ConfigMgr site database fixture:
 * it reproduces clean/hierarchy.xml.in, its file audits the same, --compare, --force, the
 * roles clean/ lacks, missing views and properties, hostile values. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cm_site_db.h"
#include "discover.h"
#include "fixture_hierarchy.h"
#include "run_binary.h"
#include "hierarchy.h"
#include "log.h"
#include "xalloc.h"

#define NOW "--now 2026-11-22T03:00:00Z"
#define SKIP_CM "--skip cm-languages --skip cm-express --skip cm-upstream --skip cm-ports"
#define LOGIN                                                                                      \
	"--user susaudit --password-env SUSAUDIT_TEST_PASSWORD --encryption off "                  \
	"--login-timeout 5 --query-timeout 60"

struct result {
	int status;
	char *out;
	size_t len;
};

/* Runs `susaudit ARGS` through the shell (stderr into stdout when `merge`). */
static struct result run(int merge, const char *fmt, ...)
{
	struct result r = {0, NULL, 0};
	va_list ap;

	va_start(ap, fmt);
	r.out = run_binary_v(SUSAUDIT_BINARY, &r.status, &r.len, merge, fmt, ap);
	va_end(ap);
	return r;
}

static char *tmp_path(const char *what)
{
	static int counter;

	return xasprintf("%s/discover-%d-%d-%s", SUSAUDIT_TEST_TMPDIR, (int)getpid(), ++counter,
			 what);
}

/* Runs discover against `cm` into a fresh file; returns the exit status, *path the file. */
static int discover(const struct cm_site_db *cm, char **path, char **messages)
{
	struct result r;

	*path = tmp_path("hierarchy.xml");
	unlink(*path);
	r = run(1, "discover --site-db %s --database " CM_DATABASE " " LOGIN " -o '%s'",
		cm->host_port, *path);
	if (messages)
		*messages = r.out;
	else
		free(r.out);
	return r.status;
}

static struct hierarchy *load(const char *path)
{
	struct hierarchy *h = NULL;

	assert_int_equal(hierarchy_load(path, &h), 0);
	return h;
}

static const char *site_code(const struct hierarchy *h, int site)
{
	return site >= 0 ? h->sites[site].code : "(none)";
}

static const struct server *find(const struct hierarchy *h, const char *name)
{
	int i = hierarchy_find_server(h, name);

	return i >= 0 ? &h->servers[i] : NULL;
}

/* The body of each <!-- --> in text: "--" never inside (it would break the comment). */
static void assert_comments_safe(const char *text)
{
	const char *p = text;

	while ((p = strstr(p, "<!--")) != NULL) {
		const char *end = strstr(p + 4, "-->");
		const char *dash;

		assert_non_null(end);
		dash = strstr(p + 4, "--");
		assert_true(dash == end);
		assert_true(end[-1] != '-');
		p = end + 3;
	}
}

/* The discovered file has the clean hierarchy's ConfigMgr part: the same sites nested the
 * same way, the same servers with site, port, SSL, internet flag, sql and role. */
static void test_reproduces_clean(void **state)
{
	struct fixture_hierarchy f;
	struct cm_site_db cm;
	struct hierarchy *clean, *found;
	char *path, *text;
	size_t i, ncm = 0;

	(void)state;
	assert_int_equal(fixture_hierarchy_start("tests/fixtures/clean/hierarchy.xml.in",
						 "tests/fixtures/clean", NULL, 0, NULL, NULL, &f),
			 0);
	assert_int_equal(cm_site_db_start(&f, NULL, 0, &cm), 0);
	assert_int_equal(discover(&cm, &path, NULL), 0);
	/* the discovered file audits clean, ConfigMgr's intent included */
	{
		struct result r = run(0, "audit '%s' " NOW " --skip last-sync --format json", path);
		static const char *const cm_checks[] = {"cm-languages", "cm-express", "cm-upstream",
							"cm-ports"};
		size_t k;

		assert_int_equal(r.status, 0);
		for (k = 0; k < 4; k++) {
			char *want = xasprintf("{\"name\": \"%s\", \"rule\"", cm_checks[k]);
			const char *at = strstr(r.out, want);

			assert_non_null(at);
			assert_non_null(strstr(at, "\"status\": \"pass\""));
			assert_true(strstr(at, "\"status\": \"pass\"") < strchr(at, '}'));
			free(want);
		}
		free(r.out);
	}
	/* validated against the embedded model/hierarchy.xsd and resolved by the loader */
	found = load(path);
	clean = load(f.xml_path);
	assert_int_equal(found->nsites, clean->nsites);
	for (i = 0; i < clean->nsites; i++) {
		size_t k;
		int seen = 0;

		for (k = 0; k < found->nsites; k++) {
			if (strcmp(found->sites[k].code, clean->sites[i].code) != 0)
				continue;
			seen = 1;
			assert_int_equal(found->sites[k].type, clean->sites[i].type);
			assert_string_equal(site_code(found, found->sites[k].parent),
					    site_code(clean, clean->sites[i].parent));
			assert_null(found->sites[k].upstream);
		}
		assert_true(seen);
	}
	for (i = 0; i < clean->nservers; i++) {
		const struct server *c = &clean->servers[i], *d;

		if (c->site < 0)
			continue; /* the FABRIKAM standalone servers are not in ConfigMgr */
		ncm++;
		d = find(found, c->name);
		assert_non_null(d);
		assert_string_equal(d->name, c->name);
		assert_string_equal(site_code(found, d->site), site_code(clean, c->site));
		assert_int_equal(d->port, c->port);
		assert_int_equal(d->ssl, c->ssl);
		assert_int_equal(d->internet, c->internet);
		assert_string_equal(d->conn.sql, c->conn.sql);
		assert_int_equal(d->role, c->role);
		assert_int_equal(d->conn.encryption, c->conn.encryption);
		assert_string_equal(d->conn.user, c->conn.user);
	}
	assert_int_equal(found->nservers, ncm);
	assert_int_equal(found->configmgr_line > 0, 1);
	assert_string_equal(found->configmgr.sql, cm.host_port);
	assert_string_equal(found->configmgr.database, CM_DATABASE);
	text = fixture_read_file(path, NULL);
	assert_non_null(text);
	assert_null(strstr(text, "INCOMPLETE"));
	assert_null(strstr(text, FIXTURE_PASSWORD));
	assert_comments_safe(text);
	free(text);
	hierarchy_free(found);
	hierarchy_free(clean);
	unlink(path);
	free(path);
	cm_site_db_stop(&cm);
	fixture_hierarchy_stop(&f);
}

static const char *const demo_defects[] = {
    "tests/fixtures/defects/approval-drift-fire.sql",
    "tests/fixtures/defects/content-path-fire.sql",
    "tests/fixtures/defects/upstream-ssl-fire.sql",
    "tests/fixtures/defects/inactive-approvals-fire.sql",
};

/* The "findings" array of a JSON report (malloc'd). */
static char *findings_of(const char *json)
{
	const char *p = strstr(json, "\"findings\": [");
	int depth = 0, in_string = 0;
	const char *q;

	assert_non_null(p);
	p += strlen("\"findings\": ");
	for (q = p; *q; q++) {
		if (in_string) {
			if (*q == '\\')
				q++;
			else if (*q == '"')
				in_string = 0;
			continue;
		}
		if (*q == '"')
			in_string = 1;
		else if (*q == '[' || *q == '{')
			depth++;
		else if ((*q == ']' || *q == '}') && --depth == 0)
			return xstrndup(p, (size_t)(q - p + 1));
	}
	fail_msg("unterminated findings array");
	return NULL;
}

/* With defects planted in four SUSDBs of ConfigMgr SUPs, auditing the discovered file finds what
 * auditing the hand-written one finds. */
static void test_audit_equal(void **state)
{
	struct fixture_hierarchy f;
	struct cm_site_db cm;
	struct result a, b;
	char *path, *fa, *fb;

	(void)state;
	assert_int_equal(fixture_hierarchy_start("tests/fixtures/clean/hierarchy.xml.in",
						 "tests/fixtures/clean", demo_defects, 4, NULL,
						 NULL, &f),
			 0);
	assert_int_equal(cm_site_db_start(&f, NULL, 0, &cm), 0);
	assert_int_equal(discover(&cm, &path, NULL), 0);
	a = run(0, "audit '%s' " NOW " --skip last-sync --format json", f.xml_path);
	/* the discovered file also names the site database: its cm-* checks see the planted
	 * upstream-ssl defect a second time (cm-ports), so they are compared apart */
	b = run(0, "audit '%s' " NOW " --skip last-sync " SKIP_CM " --format json", path);
	assert_int_equal(a.status, 2);
	assert_int_equal(b.status, a.status);
	fa = findings_of(a.out);
	fb = findings_of(b.out);
	assert_non_null(strstr(fa, "approval-drift"));
	assert_non_null(strstr(fa, "content-path"));
	assert_string_equal(fb, fa);
	free(fa);
	free(fb);
	free(a.out);
	free(b.out);
	unlink(path);
	free(path);
	cm_site_db_stop(&cm);
	fixture_hierarchy_stop(&f);
}

/* An existing file is never replaced without --force, and never half-written. */
static void test_force(void **state)
{
	struct cm_site_db cm;
	struct result r;
	char *path, *text;
	FILE *w;

	(void)state;
	assert_int_equal(cm_site_db_start(NULL, NULL, 0, &cm), 0);
	path = tmp_path("existing.xml");
	w = fopen(path, "w");
	assert_non_null(w);
	fputs("mine\n", w);
	fclose(w);
	r = run(1, "discover --site-db %s --database " CM_DATABASE " " LOGIN " -o '%s'",
		cm.host_port, path);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "exists: refused (--force replaces it)"));
	free(r.out);
	text = fixture_read_file(path, NULL);
	assert_string_equal(text, "mine\n");
	free(text);
	r = run(1, "discover --site-db %s --database " CM_DATABASE " " LOGIN " -o '%s' --force",
		cm.host_port, path);
	assert_int_equal(r.status, 0);
	free(r.out);
	text = fixture_read_file(path, NULL);
	assert_non_null(strstr(text, "<hierarchy xmlns=\"urn:susaudit:hierarchy:1\""));
	free(text);
	unlink(path);
	free(path);
	/* secrets stay out of argv: there is no --password */
	r = run(1, "discover --site-db %s --database " CM_DATABASE " --password x -o -",
		cm.host_port);
	assert_int_equal(r.status, 1);
	free(r.out);
	/* a login the site database refuses: named, the password never shown */
	setenv("DISCOVER_WRONG_PASSWORD", "Wrong-Pa55", 1);
	r = run(1,
		"discover --site-db %s --database " CM_DATABASE " --user susaudit "
		"--password-env DISCOVER_WRONG_PASSWORD --encryption off -o -",
		cm.host_port);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "could not connect to"));
	assert_null(strstr(r.out, "Wrong-Pa55"));
	free(r.out);
	/* --ca-file: refused when unusable, else written to <defaults> (the encryption to use it
	 * is the user's choice; this site database serves no TLS, so 'off' is kept here) */
	r = run(1,
		"discover --site-db %s --database " CM_DATABASE " " LOGIN
		" --ca-file /nonexistent/ca.pem -o -",
		cm.host_port);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "--ca-file '/nonexistent/ca.pem' cannot be read"));
	free(r.out);
	{
		char *ca = tmp_path("ca.pem");
		FILE *pem = fopen(ca, "w");

		assert_non_null(pem);
		fputs("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", pem);
		fclose(pem);
		r = run(0,
			"discover --site-db %s --database " CM_DATABASE " " LOGIN
			" --ca-file '%s' -o -",
			cm.host_port, ca);
		assert_int_equal(r.status, 0);
		text = xasprintf("ca-file=\"%s\"", ca);
		assert_non_null(strstr(r.out, text));
		free(text);
		free(r.out);
		unlink(ca);
		free(ca);
	}
	r = run(1, "discover --site-db host,1433 --database " CM_DATABASE " -o -");
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "write host:port"));
	free(r.out);
	cm_site_db_stop(&cm);
}

/* --compare: nothing differs from the hand-written file (exit 0); after the site database
 * moved on, every kind of difference is named (exit 2). */
static void test_compare(void **state)
{
	static const char *const drift[] = {"cm-drift.sql"};
	struct fixture_hierarchy f;
	struct cm_site_db cm;
	struct result r;

	(void)state;
	assert_int_equal(fixture_hierarchy_start("tests/fixtures/clean/hierarchy.xml.in",
						 "tests/fixtures/clean", NULL, 0, NULL, NULL, &f),
			 0);
	assert_int_equal(cm_site_db_start(&f, NULL, 0, &cm), 0);
	r = run(0, "discover --site-db %s --database " CM_DATABASE " " LOGIN " --compare '%s'",
		cm.host_port, f.xml_path);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "");
	free(r.out);
	cm_site_db_stop(&cm);

	assert_int_equal(cm_site_db_start(&f, drift, 1, &cm), 0);
	r = run(0, "discover --site-db %s --database " CM_DATABASE " " LOGIN " --compare '%s'",
		cm.host_port, f.xml_path);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.out, "added site 'S02' (secondary under P02)\n"));
	assert_non_null(strstr(r.out, "added server 'p02-sup3.contoso.com' in site P02 (port "
				      "8530, ssl false, internet false)\n"));
	assert_non_null(strstr(r.out, "moved server 'p02-sup2.contoso.com': site P02 in the "
				      "file, site P01 in the site database\n"));
	assert_non_null(strstr(r.out, "changed server 'p01-sup2.contoso.com': port 8530 in the "
				      "file, 8080 in the site database\n"));
	assert_non_null(strstr(r.out, "changed server 'p01-web.contoso.com': ssl true in the "
				      "file, false in the site database\n"));
	assert_non_null(strstr(r.out, "removed server 's01-sup1.contoso.com' of site S01"));
	/* standalone servers are outside ConfigMgr: never "removed" */
	assert_null(strstr(r.out, "fabrikam"));
	free(r.out);
	cm_site_db_stop(&cm);
	fixture_hierarchy_stop(&f);
}

static char *server_line(const char *text, const char *name)
{
	char *key = xasprintf("<server name=\"%s\"", name);
	const char *p = strstr(text, key), *end;

	free(key);
	assert_non_null(p);
	end = strchr(p, '\n');
	return xstrndup(p, (size_t)(end - p));
}

/* The comments written between the previous element and a server's element. */
static char *comment_before(const char *text, const char *name)
{
	char *key = xasprintf("<server name=\"%s\"", name);
	const char *p = strstr(text, key), *start = text, *q;

	free(key);
	assert_non_null(p);
	for (q = text; (q = strstr(q, "\n")) != NULL && q < p; q++) {
		const char *t = q + 1 + strspn(q + 1, " ");

		if (t < p && (strncmp(t, "<server ", 8) == 0 || strncmp(t, "<site ", 6) == 0))
			start = q + 1;
	}
	q = strstr(start, "<!--");
	assert_true(q && q < p);
	return xstrndup(q, (size_t)(p - q));
}

/* A named instance, the Windows Internal Database, no DBServerName, '(local)\INSTANCE'. */
static void test_roles(void **state)
{
	static const char *const roles[] = {"cm-roles.sql"};
	struct cm_site_db cm;
	struct hierarchy *h;
	char *path, *text, *s;

	(void)state;
	assert_int_equal(cm_site_db_start(NULL, roles, 1, &cm), 0);
	assert_int_equal(discover(&cm, &path, NULL), 0);
	h = load(path);
	assert_string_equal(find(h, "p02-inst.contoso.com")->conn.sql, "SQLP02.contoso.com\\WSUS");
	assert_string_equal(find(h, "p02-wid.contoso.com")->conn.sql, "wid");
	assert_string_equal(find(h, "p02-none.contoso.com")->conn.sql, "p02-none.contoso.com");
	assert_string_equal(find(h, "p02-local.contoso.com")->conn.sql,
			    "p02-local.contoso.com\\SUSDB");
	assert_int_equal(find(h, "p02-local.contoso.com")->port, 443);
	assert_int_equal(find(h, "p02-local.contoso.com")->ssl, 1);
	/* the sql of the first SUSDB fixture: 'host,port' written as host:port */
	assert_string_equal(find(h, "cas-sup1.contoso.com")->conn.sql, "127.0.0.1:1");
	text = fixture_read_file(path, NULL);
	s = comment_before(text, "p02-wid.contoso.com");
	assert_non_null(strstr(s, "Windows Internal Database"));
	assert_non_null(strstr(s, "'p02-wid\\MICROSOFT##WID'"));
	assert_non_null(strstr(s, "susaudit-collect.ps1"));
	free(s);
	s = comment_before(text, "p02-none.contoso.com");
	assert_non_null(strstr(s, "INFERRED"));
	assert_non_null(strstr(s, "DBServerName"));
	free(s);
	s = comment_before(text, "p02-local.contoso.com");
	assert_non_null(strstr(s, "INFERRED"));
	free(s);
	/* a value read as is carries no comment */
	s = server_line(text, "p02-inst.contoso.com");
	assert_non_null(strstr(s, "sql=\"SQLP02.contoso.com\\WSUS\""));
	free(s);
	free(text);
	hierarchy_free(h);
	unlink(path);
	free(path);
	cm_site_db_stop(&cm);
}

/* Another ConfigMgr version: what is missing is named, the file says INCOMPLETE where it
 * could not read, still loads, and the exit code says the tool did not complete. */
static void test_missing_objects(void **state)
{
	static const char *const no_view[] = {"cm-no-v_site.sql"};
	static const char *const no_props[] = {"cm-no-role-properties.sql"};
	static const char *const no_sites[] = {"cm-no-sites.sql"};
	struct cm_site_db cm;
	struct hierarchy *h;
	char *path, *text, *messages;
	struct stat st;

	(void)state;
	assert_int_equal(cm_site_db_start(NULL, no_view, 1, &cm), 0);
	assert_int_equal(discover(&cm, &path, &messages), 1);
	assert_non_null(strstr(messages, "'v_Site'"));
	assert_non_null(strstr(messages, "discovery is incomplete"));
	free(messages);
	h = load(path);
	assert_int_equal(h->nsites, 4);
	assert_int_equal(h->nservers, 7);
	hierarchy_free(h);
	text = fixture_read_file(path, NULL);
	assert_non_null(strstr(text, "<!-- INCOMPLETE"));
	assert_non_null(strstr(text, "Sites"));
	free(text);
	unlink(path);
	free(path);
	cm_site_db_stop(&cm);

	assert_int_equal(cm_site_db_start(NULL, no_props, 1, &cm), 0);
	assert_int_equal(discover(&cm, &path, &messages), 1);
	assert_non_null(strstr(messages, "'vSMS_SC_SysResUse_Properties'"));
	free(messages);
	h = load(path);
	assert_int_equal(h->nservers, 7);
	hierarchy_free(h);
	text = fixture_read_file(path, NULL);
	{
		char *c = comment_before(text, "p01-sup1.contoso.com");

		assert_non_null(strstr(c, "INCOMPLETE port"));
		free(c);
	}
	free(text);
	unlink(path);
	free(path);
	cm_site_db_stop(&cm);

	assert_int_equal(cm_site_db_start(NULL, no_sites, 1, &cm), 0);
	assert_int_equal(discover(&cm, &path, &messages), 1);
	assert_non_null(strstr(messages, "'Sites'"));
	assert_non_null(strstr(messages, "no site could be read"));
	free(messages);
	assert_int_not_equal(stat(path, &st), 0); /* nothing written */
	free(path);
	cm_site_db_stop(&cm);
}

/* Markup, quotes, "--", control and bidi characters from the site database. */
static void test_hostile(void **state)
{
	static const char *const hostile[] = {"cm-hostile.sql"};
	struct cm_site_db cm;
	struct hierarchy *h;
	char *path, *text, *messages;

	(void)state;
	assert_int_equal(cm_site_db_start(NULL, hostile, 1, &cm), 0);
	assert_int_equal(discover(&cm, &path, &messages), 1);
	assert_non_null(strstr(messages, "not a host name"));
	free(messages);
	h = load(path);
	/* the name round-trips, except the control character (XML 1.0 cannot carry it) */
	assert_string_equal(h->name, "Contoso \"HQ\" <b>&amp; -- x?\xe2\x80\xae"
				     "evil-");
	assert_null(find(h, "x.contoso.com"));
	assert_int_equal(h->nservers, 7);
	assert_string_equal(find(h, "p02-sup2.contoso.com")->conn.sql, "p02-sup2.contoso.com");
	hierarchy_free(h);
	text = fixture_read_file(path, NULL);
	assert_non_null(strstr(text, "name=\"Contoso &quot;HQ&quot; &lt;b&gt;&amp;amp; -- x?"
				     "&#x202E;evil-\""));
	assert_null(strchr(text, '\x01'));
	assert_null(strchr(text, '\x1b'));
	assert_null(strstr(text, "\xe2\x80\xae")); /* U+202E only as a reference */
	assert_null(strstr(text, "onload=\"&"));
	assert_comments_safe(text);
	free(text);
	unlink(path);
	free(path);
	cm_site_db_stop(&cm);

	/* a top site name too long for the schema is cut, and the file still loads */
	{
		static const char *const long_name[] = {"cm-long-name.sql"};

		assert_int_equal(cm_site_db_start(NULL, long_name, 1, &cm), 0);
		assert_int_equal(discover(&cm, &path, NULL), 0);
		h = load(path);
		assert_true(strlen(h->name) <= 256);
		assert_true(strncmp(h->name, "Contoso \xc3\xbc", 10) == 0);
		assert_non_null(strstr(h->name, "..."));
		hierarchy_free(h);
		unlink(path);
		free(path);
		cm_site_db_stop(&cm);
	}
}

/* A TCP socket on an ephemeral 127.0.0.1 port: listening (answers) or only bound (refuses). */
static int socket_on_port(int listening, int *port)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	if (listening)
		assert_int_equal(listen(fd, 4), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	*port = ntohs(sa.sin_port);
	return fd;
}

/* --probe: a SUP naming no SUSDB server becomes sql="wid" when nothing answers on the port,
 * stays its own host when something does; without --probe nothing is contacted. */
static void test_probe(void **state)
{
	static const char *const probe[] = {"cm-probe.sql"};
	struct cm_site_db cm;
	struct hierarchy *h;
	struct result r;
	char *path, *text, *c;
	int open_fd, closed_fd, open_port, closed_port;

	(void)state;
	open_fd = socket_on_port(1, &open_port);
	closed_fd = socket_on_port(0, &closed_port);
	assert_int_equal(cm_site_db_start(NULL, probe, 1, &cm), 0);
	path = tmp_path("probe.xml");
	unlink(path);
	r = run(1, "discover --site-db %s --database " CM_DATABASE " " LOGIN " --probe --probe-port %d -o '%s'",
		cm.host_port, closed_port, path);
	assert_int_equal(r.status, 0);
	free(r.out);
	h = load(path);
	assert_string_equal(find(h, "localhost")->conn.sql, "wid");
	hierarchy_free(h);
	text = fixture_read_file(path, NULL);
	c = comment_before(text, "localhost");
	assert_non_null(strstr(c, "nothing answered on localhost:"));
	assert_non_null(strstr(c, "Windows Internal Database"));
	free(c);
	free(text);
	unlink(path);
	r = run(1, "discover --site-db %s --database " CM_DATABASE " " LOGIN " --probe --probe-port %d -o '%s'",
		cm.host_port, open_port, path);
	assert_int_equal(r.status, 0);
	free(r.out);
	h = load(path);
	assert_string_equal(find(h, "localhost")->conn.sql, "localhost");
	hierarchy_free(h);
	text = fixture_read_file(path, NULL);
	c = comment_before(text, "localhost");
	assert_non_null(strstr(c, "something answers"));
	free(c);
	free(text);
	unlink(path);
	free(path);
	/* without --probe: assumed, and the comment says how to find out */
	assert_int_equal(discover(&cm, &path, NULL), 0);
	text = fixture_read_file(path, NULL);
	c = comment_before(text, "localhost");
	assert_non_null(strstr(c, "probe option"));
	free(c);
	free(text);
	unlink(path);
	free(path);
	close(open_fd);
	close(closed_fd);
	cm_site_db_stop(&cm);
}

/* What discover sends is read-only: SET for the session, then one SELECT per query file, each
 * of which keeps the text rules of queries/README.md and says what it rests on. */
static void test_read_only(void **state)
{
	static const char *const files[] = {"cm_sites.sql", "cm_sites_table.sql",
					    "cm_sup_servers.sql", "cm_sup_properties.sql",
					    "cm_sup_component.sql"};
	static const char *const banned[] = {" LIMIT ",	 "||",	  "IFNULL",  "IIF(",   "CONCAT(",
					     " OFFSET ", " TOP ", "\nGO",    "INSERT", "UPDATE ",
					     "DELETE",	 "EXEC",  "DECLARE", "TRUE"};
	static const char *const no_view[] = {"cm-no-v_site.sql"};
	struct cm_site_db cm;
	char *log = tmp_path("batches.log"), *path, **batches;
	size_t i, k, n, selects = 0;

	(void)state;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char *p = xasprintf("%s/queries/%s", SUSAUDIT_SOURCE_DIR, files[i]);
		char *text = fixture_read_file(p, NULL);
		const char *body;

		assert_non_null(text);
		assert_true(strncmp(text, "-- ", 3) == 0);
		assert_true(strstr(text, "CONFIRMED") || strstr(text, "LIKELY"));
		body = strstr(text, "\nSELECT");
		assert_non_null(body);
		assert_null(strstr(body + 1, "\nSELECT")); /* one statement */
		for (k = 0; k < sizeof(banned) / sizeof(banned[0]); k++)
			if (strstr(body, banned[k]))
				fail_msg("%s uses '%s'", files[i], banned[k]);
		assert_null(strstr(body, "FROM v_") ? "a view without dbo." : NULL);
		free(text);
		free(p);
	}
	unlink(log);
	/* v_Site missing: the fallback runs too, so every query is sent */
	assert_int_equal(cm_site_db_start_logged(NULL, no_view, 1, log, &cm), 0);
	assert_int_equal(discover(&cm, &path, NULL), 1);
	cm_site_db_stop(&cm);
	batches = tds_batch_log_read(log, &n);
	assert_non_null(batches);
	for (i = 0; i < n; i++) {
		const char *b = batches[i];

		while (strncmp(b, "--", 2) == 0 || *b == '\n' || *b == ' ' || *b == '\t')
			b = strncmp(b, "--", 2) == 0 ? b + strcspn(b, "\n") : b + 1;
		if (strncmp(b, "SELECT", 6) == 0)
			selects++;
		else if (strncasecmp(b, "SET ", 4) != 0)
			fail_msg("discover sent '%.40s'", b);
	}
	assert_int_equal(selects, 5);
	tds_batch_log_free(batches, n);
	unlink(log);
	free(log);
	unlink(path);
	free(path);
}

/* <configmgr>: optional, after <defaults>, sql and database required, not wid; the rest
 * defaults to <defaults>. */
static void test_configmgr_element(void **state)
{
	static const char head[] =
	    "<hierarchy xmlns=\"urn:susaudit:hierarchy:1\" name=\"x\">"
	    "<defaults user=\"audit\" password-env=\"PW\" encryption=\"off\" "
	    "login-timeout=\"7\"/>";
	static const char tail[] = "<site code=\"CAS\" type=\"cas\"><server name=\"a.contoso.com\" "
				   "port=\"8530\" sql=\"a\"/></site></hierarchy>";
	static const struct {
		const char *element;
		int ok;
	} cases[] = {
	    {"<configmgr sql=\"cm-sql.contoso.com\\CM\" database=\"CM_CAS\" query-timeout=\"9\"/>",
	     1},
	    {"<configmgr sql=\"cm-sql.contoso.com\"/>", 0},
	    {"<configmgr database=\"CM_CAS\"/>", 0},
	    {"<configmgr sql=\"wid\" database=\"CM_CAS\"/>", 0},
	    {"<configmgr sql=\"cm,1433\" database=\"CM_CAS\"/>", 0},
	    {"<configmgr sql=\"cm\" database=\"CM_CAS\" password=\"x\"/>", 0},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *xml = xasprintf("%s%s%s", head, cases[i].element, tail);
		struct hierarchy *h = NULL;
		int rc = hierarchy_load_memory(xml, strlen(xml), "case", &h);

		assert_int_equal(rc == 0, cases[i].ok);
		if (h) {
			assert_string_equal(h->configmgr.sql, "cm-sql.contoso.com\\CM");
			assert_string_equal(h->configmgr.database, "CM_CAS");
			assert_string_equal(h->configmgr.user, "audit");
			assert_string_equal(h->configmgr.password_env, "PW");
			assert_int_equal(h->configmgr.encryption, ENCRYPTION_OFF);
			assert_int_equal(h->configmgr.login_timeout, 7);
			assert_int_equal(h->configmgr.query_timeout, 9);
			assert_true(h->configmgr_line > 0);
			hierarchy_free(h);
		}
		free(xml);
	}
	/* after the sites it is not a hierarchy file */
	{
		char *xml = xasprintf("%s%s", head,
				      "<site code=\"CAS\" type=\"cas\"/><configmgr "
				      "sql=\"cm\" database=\"CM_CAS\"/></hierarchy>");
		struct hierarchy *h = NULL;

		assert_int_equal(hierarchy_load_memory(xml, strlen(xml), "late", &h), -1);
		free(xml);
	}
}

/* DBServerName as ConfigMgr may store it, and the sql value written for it. */
static void test_dbservername_forms(void **state)
{
	static const struct {
		const char *value, *sql;
		int noted;
	} cases[] = {
	    {"sql01.contoso.com", "sql01.contoso.com", 0},
	    {"SQL01\\WSUS", "SQL01\\WSUS", 0},
	    {"sql01.contoso.com,14330", "sql01.contoso.com:14330", 0},
	    {"sql01\\WSUS,14330", "sql01:14330", 1},
	    {" sql01 ", "sql01", 0},
	    {".", "sup.contoso.com", 1},
	    {"(local)\\SUSDB", "sup.contoso.com\\SUSDB", 1},
	    {"localhost,1500", "sup.contoso.com:1500", 1},
	    {"SUP\\MICROSOFT##WID", "wid", 1},
	    {"##SSEE", "wid", 1},
	    {"sql01,0", NULL, 0},
	    {"sql01,65536", NULL, 0},
	    {"sql 01", NULL, 0},
	    {"sql01\\in stance", NULL, 0},
	    {"sql\"01", NULL, 0},
	    {"-sql01", NULL, 0},
	};
	struct arena a;
	char *long_host;
	const char *note, *sql;
	size_t i;

	(void)state;
	arena_init(&a);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sql = discover_sql_from_dbservername(&a, cases[i].value, "sup.contoso.com", &note);
		if (!cases[i].sql) {
			if (sql)
				fail_msg("'%s' gave '%s'", cases[i].value, sql);
			continue;
		}
		assert_non_null(sql);
		assert_string_equal(sql, cases[i].sql);
		assert_int_equal(note != NULL, cases[i].noted);
	}
	/* a 250-character host with an instance: longer than the schema's 255 */
	long_host = xasprintf("%0250d\\WSUSINSTANCE", 0);
	long_host[0] = 'a';
	assert_null(discover_sql_from_dbservername(&a, long_host, "sup.contoso.com", &note));
	free(long_host);
	arena_release(&a);
}

/* The clean hierarchy file with <configmgr> naming the site database `cm` (malloc'd path). */
static char *with_configmgr(const struct fixture_hierarchy *f, const char *host_port)
{
	char *text = fixture_read_file(f->xml_path, NULL), *path, *out;
	const char *anchor = "query-timeout=\"60\"/>\n", *at;
	FILE *w;

	assert_non_null(text);
	at = strstr(text, anchor);
	assert_non_null(at);
	at += strlen(anchor);
	out = xasprintf("%.*s  <configmgr sql=\"%s\" database=\"" CM_DATABASE "\"/>\n%s",
			(int)(at - text), text, host_port, at);
	path = tmp_path("configmgr.xml");
	w = fopen(path, "w");
	assert_non_null(w);
	fputs(out, w);
	fclose(w);
	free(out);
	free(text);
	return path;
}

static size_t count(const char *text, const char *what)
{
	size_t n = 0;

	for (; (text = strstr(text, what)) != NULL; text++)
		n++;
	return n;
}

/* The status the JSON report gives check `name`. */
static void assert_status(const char *json, const char *name, const char *status)
{
	char *key = xasprintf("{\"name\": \"%s\", \"rule\"", name);
	char *want = xasprintf("\"status\": \"%s\"", status);
	const char *at = strstr(json, key), *st;

	assert_non_null(at);
	st = strstr(at, want);
	if (!st || st > strchr(at, '}'))
		fail_msg("%s is not %s: %.*s", name, status, (int)(strchr(at, '}') - at), at);
	free(key);
	free(want);
}

static const char *const contoso[] = {
    "cas-sup1.contoso.com", "p01-sup1.contoso.com", "p01-sup2.contoso.com", "p01-web.contoso.com",
    "s01-sup1.contoso.com", "p02-sup1.contoso.com", "p02-sup2.contoso.com",
};

/* Each cm-* check fires on its defect and stays quiet on its near miss. */
static void test_cm_checks(void **state)
{
	static const struct {
		const char *check, *fire, *quiet;
		size_t findings;
	} cases[] = {
	    {"cm-languages", "cm-languages-fire.sql", "cm-languages-quiet.sql", 7},
	    {"cm-express", "cm-express-fire.sql", NULL, 7},
	    {"cm-upstream", "cm-upstream-fire.sql", "cm-upstream-quiet.sql", 1},
	    {"cm-ports", "cm-ports-fire.sql", "cm-ports-quiet.sql", 4},
	};
	struct fixture_hierarchy f;
	struct cm_site_db cm;
	struct result r;
	char *path, *key;
	size_t i;

	(void)state;
	assert_int_equal(fixture_hierarchy_start("tests/fixtures/clean/hierarchy.xml.in",
						 "tests/fixtures/clean", NULL, 0, NULL, NULL, &f),
			 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *patch[1];
		int pass;

		for (pass = 0; pass < 2; pass++) {
			patch[0] = pass ? cases[i].quiet : cases[i].fire;
			if (!patch[0])
				continue;
			assert_int_equal(cm_site_db_start(&f, patch, 1, &cm), 0);
			path = with_configmgr(&f, cm.host_port);
			r = run(0, "audit '%s' " NOW " --check %s --format json", path,
				cases[i].check);
			key = xasprintf("\"check\": \"%s\"", cases[i].check);
			if (pass) {
				assert_int_equal(r.status, 0);
				assert_status(r.out, cases[i].check, "pass");
				assert_int_equal(count(r.out, key), 0);
			} else {
				assert_int_equal(r.status, 2);
				assert_status(r.out, cases[i].check, "fail");
				assert_int_equal(count(r.out, key), cases[i].findings);
				assert_non_null(strstr(r.out, "WCM.log"));
			}
			free(key);
			free(r.out);
			unlink(path);
			free(path);
			cm_site_db_stop(&cm);
		}
	}
	fixture_hierarchy_stop(&f);
}

/* cm-express quiet: ConfigMgr and every SUSDB download express files. */
static void test_cm_express_quiet(void **state)
{
	static const char *const express[] = {"cm-express-quiet.sql"};
	const char *patches[7];
	struct fixture_hierarchy f;
	struct cm_site_db cm;
	struct result r;
	char *path;
	size_t i;

	(void)state;
	for (i = 0; i < 7; i++) {
		char *p = tmp_path("express.sql");
		FILE *w = fopen(p, "w");

		assert_non_null(w);
		fprintf(w,
			"-- server: %s\nUPDATE tbConfigurationC SET DownloadExpressPackages = 1;\n",
			contoso[i]);
		fclose(w);
		patches[i] = p;
	}
	assert_int_equal(fixture_hierarchy_start("tests/fixtures/clean/hierarchy.xml.in",
						 "tests/fixtures/clean", patches, 7, NULL, NULL,
						 &f),
			 0);
	assert_int_equal(cm_site_db_start(&f, express, 1, &cm), 0);
	path = with_configmgr(&f, cm.host_port);
	r = run(0, "audit '%s' " NOW " --check cm-express --format json", path);
	assert_int_equal(r.status, 0);
	assert_status(r.out, "cm-express", "pass");
	free(r.out);
	unlink(path);
	free(path);
	cm_site_db_stop(&cm);
	fixture_hierarchy_stop(&f);
	for (i = 0; i < 7; i++) {
		unlink(patches[i]);
		free((char *)patches[i]);
	}
}

/* A site database that cannot be read, or lacks the component: the checks say so (error),
 * never pass; the rest of the audit goes on. */
static void test_cm_errors(void **state)
{
	static const char *const no_component[] = {"cm-no-component.sql"};
	struct fixture_hierarchy f;
	struct cm_site_db cm;
	struct result r;
	char *path, dead[32];

	(void)state;
	assert_int_equal(fixture_hierarchy_start("tests/fixtures/clean/hierarchy.xml.in",
						 "tests/fixtures/clean", NULL, 0, NULL, NULL, &f),
			 0);
	assert_int_equal(cm_site_db_start(&f, no_component, 1, &cm), 0);
	path = with_configmgr(&f, cm.host_port);
	r = run(0, "audit '%s' " NOW " --skip last-sync --format json", path);
	assert_status(r.out, "cm-languages", "error");
	assert_status(r.out, "cm-express", "error");
	assert_status(r.out, "cm-upstream", "error");
	assert_status(r.out, "cm-ports", "pass");
	assert_non_null(strstr(r.out, "SupportedUpdateLanguages"));
	free(r.out);
	unlink(path);
	free(path);
	/* the site database is gone: its port refuses */
	snprintf(dead, sizeof(dead), "%s", cm.host_port);
	cm_site_db_stop(&cm);
	path = with_configmgr(&f, dead);
	r = run(0, "audit '%s' " NOW " --skip last-sync --format json", path);
	assert_status(r.out, "cm-ports", "error");
	assert_status(r.out, "cm-languages", "error");
	assert_status(r.out, "sync-source", "pass");
	assert_non_null(strstr(r.out, "could not be read"));
	assert_null(strstr(r.out, FIXTURE_PASSWORD));
	free(r.out);
	unlink(path);
	free(path);
	fixture_hierarchy_stop(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_reproduces_clean),
	    cmocka_unit_test(test_audit_equal),
	    cmocka_unit_test(test_force),
	    cmocka_unit_test(test_compare),
	    cmocka_unit_test(test_roles),
	    cmocka_unit_test(test_missing_objects),
	    cmocka_unit_test(test_hostile),
	    cmocka_unit_test(test_cm_checks),
	    cmocka_unit_test(test_cm_express_quiet),
	    cmocka_unit_test(test_cm_errors),
	    cmocka_unit_test(test_probe),
	    cmocka_unit_test(test_read_only),
	    cmocka_unit_test(test_configmgr_element),
	    cmocka_unit_test(test_dbservername_forms),
	};

	tds_harness_set_server(SUSDB_TDS_SERVER);
	log_set_level(LOG_LEVEL_WARNING);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
