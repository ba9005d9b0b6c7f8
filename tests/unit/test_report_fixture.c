/* test_report_fixture: a report with everything a writer can meet, built in C. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_report_support.h"

static const char *const langs_en_ja[] = {"en", "ja"};
static const char *const langs_en[] = {"en"};

static const char remedy_storage[] =
    "R6: a downstream that stores update files on Microsoft Update while its upstream "
    "stores them locally makes its clients fetch every file from the internet.\n"
    "1. On s01-sup1.contoso.com open the WSUS console, Options, Update Files and Languages, "
    "and choose to store update files locally, as p01-sup1.contoso.com does.\n"
    "2. Synchronize again and watch the download queue drain.";

static struct report_server *server(struct report_fixture *fx, size_t i, const char *name,
				    const char *site, const char *role)
{
	struct report_server *s = &fx->servers[i];

	memset(s, 0, sizeof(*s));
	s->name = name;
	s->site = site;
	s->role = role;
	s->reachable = 1;
	s->collected_at = 1795315000 + (time_t)i; /* 2026-11-22T02:36:40Z, one second apart */
	s->wsus_version = "10.0.17763.678";
	s->sync_source = "upstream";
	s->upstream_name = "p01-sup1.contoso.com";
	s->upstream_port = 8530;
	s->upstream_ssl = 0;
	s->upstream_index = 1;
	s->replica = 1;
	s->storage = "local";
	s->languages = (const char **)langs_en_ja;
	s->nlanguages = 2;
	s->updates = 41234;
	s->approvals = 1204;
	s->content_path = "D:\\WSUS\\WsusContent";
	s->bits_foreground = 0;
	return s;
}

/* Connections: one verified over TLS, one whose password went to an unverified server. */
static const struct report_connection verified = {
    "7.4", "require", 1, 1, "ON", 1, 1, "/etc/susaudit/contoso-ca.pem", "sql", "prelogin probe", 0};
static const struct report_connection exposed = {
    "7.3", "request", 1, 0, "OFF", 0, 0, NULL, "sql", "prelogin probe", 1};

static void servers(struct report_fixture *fx)
{
	struct report_server *s;

	s = server(fx, 0, "cas-sup1.contoso.com", "CAS", "top");
	s->sync_source = "microsoft-update";
	s->upstream_name = NULL;
	s->upstream_index = -1;
	s->replica = 0;
	s->updates = 52011;
	s->approvals = 1350;
	s->connection = &verified;

	s = server(fx, 1, "p01-sup1.contoso.com", "P01", "site-first");
	s->upstream_name = "cas-sup1.contoso.com";
	s->upstream_port = 8531;
	s->upstream_ssl = 1;
	s->upstream_index = 0;
	s->replica = 0;
	s->bits_foreground = 1;
	s->bits_fix_note = "applied 2026-11-20T10:00:00Z by CONTOSO\\dba";

	s = server(fx, 2, "p01-sup2.contoso.com", "P01", "site-other");
	s->connection = &exposed;
	s->upstream_port = 8531;
	s->approvals = 1188;

	s = server(fx, 3, "p01-web.contoso.com", "P01", "internet");
	s->upstream_name = "P01-SUP1";
	s->replica = 0;

	s = server(fx, 4, "p01-sup3.contoso.com", "P01", "site-other");
	s->reachable = 0;
	s->collected_at = 0; /* never read */
	s->error = "could not connect to 'p01-sql3.contoso.com:1433': login failed\nfor user "
		   "'audit'\x01";
	s->wsus_version = NULL;
	s->sync_source = NULL;
	s->upstream_name = NULL;
	s->upstream_port = -1;
	s->upstream_ssl = -1;
	s->upstream_index = -1;
	s->replica = -1;
	s->storage = NULL;
	s->languages = NULL;
	s->nlanguages = 0;
	s->updates = -1;
	s->approvals = -1;
	s->content_path = NULL;
	s->bits_foreground = -1;

	s = server(fx, 5, "s01-sup1.contoso.com", "S01", "secondary");
	s->storage = "microsoft-update";
	s->updates = 40001;
	s->content_path = NULL;

	s = server(fx, 6, "tokyo-sup1.contoso.co.jp", "東京", "secondary");
	s->languages = (const char **)langs_en;
	s->nlanguages = 1;
	s->content_path = "E:\\更新プログラム\\WsusContent";

	s = server(fx, 7, "branch-wsus.contoso.com", NULL, "standalone");
	s->upstream_name = "old-wsus.contoso.com";
	s->upstream_index = -1;
	s->replica = 0;
	s->content_path = "C:\\WSUS\"><img src=x onerror=alert(1)>";
}

static void check(struct report_fixture *fx, size_t i, const char *name, const char *rule,
		  enum severity sev, enum check_status status, size_t n, const char *detail)
{
	struct report_check *c = &fx->checks[i];

	c->name = name;
	c->rule = rule;
	c->summary = "what the check looks at";
	c->default_severity = sev;
	c->status = status;
	c->nfindings = n;
	c->detail = detail;
}

static void checks(struct report_fixture *fx)
{
	size_t i = 0;

	check(fx, i++, "server-unreachable", "-", SEVERITY_ERROR, CHECK_FAIL, 1, NULL);
	check(fx, i++, "schema-unsupported", "-", SEVERITY_ERROR, CHECK_PASS, 0, NULL);
	check(fx, i++, "sync-source", "R1, R2", SEVERITY_ERROR, CHECK_PASS, 0, NULL);
	check(fx, i++, "upstream-server", "R2, R3, R5", SEVERITY_ERROR, CHECK_FAIL, 1, NULL);
	check(fx, i++, "upstream-unknown", "R5", SEVERITY_WARNING, CHECK_FAIL, 1, NULL);
	check(fx, i++, "upstream-port", "R3", SEVERITY_ERROR, CHECK_FAIL, 1, NULL);
	check(fx, i++, "upstream-ssl", "R3", SEVERITY_ERROR, CHECK_PASS, 0, NULL);
	check(fx, i++, "replica-mode", "R4", SEVERITY_ERROR, CHECK_FAIL, 1, NULL);
	check(fx, i++, "version-order", "-", SEVERITY_WARNING, CHECK_FAIL, 1, NULL);
	check(fx, i++, "storage-option", "R6", SEVERITY_WARNING, CHECK_FAIL, 1, NULL);
	check(fx, i++, "missing-upstream-updates", "R7", SEVERITY_ERROR, CHECK_FAIL, 1, NULL);
	check(fx, i++, "approval-drift", "R8", SEVERITY_WARNING, CHECK_FAIL, 1, NULL);
	check(fx, i++, "language-mismatch", "R8", SEVERITY_WARNING, CHECK_SKIPPED, 0,
	      "no stored audit to compare languages with");
	check(fx, i++, "content-path", "R11", SEVERITY_WARNING, CHECK_ERROR, 1,
	      "tbConfigurationC.LocalContentCacheLocation missing on 'p01-sup3.contoso.com'");
}

static void findings(struct report_fixture *fx)
{
	struct arena *a = &fx->arena;
	struct findings *fs = &fx->findings;
	const char *p01[] = {"p01-sup1.contoso.com"};
	const char *two[] = {"p01-sup1.contoso.com", "cas-sup1.contoso.com"};
	struct finding *f;
	struct evidence *list, *obj, *nested;
	char kb[32];
	int i;

	f = findings_add(
	    fs, "server-unreachable", "-", SEVERITY_ERROR, "p01-sup3.contoso.com", NULL, 0,
	    "its SUSDB could not be read: login failed for user 'audit'",
	    "Check the login and the password source named in the hierarchy file, then "
	    "run the audit again.");
	evidence_set_string(a, f->evidence, "sql", "p01-sql3.contoso.com:1433");
	evidence_set_string(a, f->evidence, "error", "login failed\nfor user 'audit'\x01");
	f->change = CHANGE_NEW;

	f = findings_add(fs, "upstream-port", "R3", SEVERITY_ERROR, "p01-sup2.contoso.com", p01, 1,
			 "syncs from port 8531 but p01-sup1.contoso.com serves WSUS on 8530",
			 "R3: set the upstream port to 8530 in the software update point component "
			 "properties; WCM rewrites it within the hour.");
	evidence_set_int(a, f->evidence, "server.UpstreamServerPortNumber", 8531);
	evidence_set_int(a, f->evidence, "upstream.port", 8530);
	evidence_set_bool(a, f->evidence, "upstream.ssl", 0);
	f->change = CHANGE_PERSISTING;

	f = findings_add(fs, "replica-mode", "R4", SEVERITY_ERROR, "p01-web.contoso.com", p01, 1,
			 "is autonomous; an internet-based SUP must be a replica",
			 "R4: remove and re-add the internet-based software update point so WCM "
			 "configures it as a replica.");
	evidence_set_bool(a, f->evidence, "server.IsReplicaServer", 0);
	evidence_set_string(a, f->evidence, "role", "internet");
	f->change = CHANGE_NEW;

	f = findings_add(
	    fs, "storage-option", "R6", SEVERITY_ERROR, "s01-sup1.contoso.com", p01, 1,
	    "stores update files on Microsoft Update; its upstream stores them locally",
	    remedy_storage);
	evidence_set_int(a, f->evidence, "server.HostOnMu", 1);
	evidence_set_int(a, f->evidence, "upstream.HostOnMu", 0);
	evidence_set_int_or_null(a, f->evidence, "files_not_arriving", -1);
	f->change = CHANGE_NEW;

	f = findings_add(
	    fs, "missing-upstream-updates", "R7", SEVERITY_ERROR, "s01-sup1.contoso.com", two, 2,
	    "needs 35 updates that p01-sup1.contoso.com does not have",
	    "R7: add the product or classification at the upstream and synchronize, or "
	    "decline at the downstream what it does not need.");
	list = evidence_set(a, f->evidence, "missing", evidence_list(a));
	for (i = 0; i < 30; i++) {
		snprintf(kb, sizeof(kb), "KB50000%02d", i);
		evidence_append(a, list, evidence_string(a, kb));
	}
	list->omitted = 5;
	list = evidence_set(a, f->evidence, "products", evidence_list(a));
	obj = evidence_append(a, list, evidence_object(a));
	evidence_set_string(a, obj, "title", "Windows Server 2019");
	evidence_set_bool(a, obj, "in_upstream_subscription", 0);
	obj = evidence_append(a, list, evidence_object(a));
	evidence_set_string(a, obj, "title", "<script>alert(1)</script>");
	evidence_set_bool(a, obj, "in_upstream_subscription", 1);
	obj = evidence_append(a, list, evidence_object(a));
	evidence_set_string(a, obj, "title", "\"><img src=x onerror=alert(1)>");
	evidence_set(a, obj, "category_id", evidence_null(a));
	nested = evidence_set(a, f->evidence, "classification", evidence_object(a));
	evidence_set_string(a, nested, "title", "セキュリティ更新プログラム");
	evidence_set_string(a, nested, "bytes",
			    "bad \xff\xfe utf8 \xc3\x28 \xed\xa0\x80 \xc0\xaf end");
	evidence_set_string(a, nested, "control",
			    "a\x01"
			    "b\x1b[31mred\x7f"
			    "c\td");
	evidence_set_string(a, nested, "empty", "");
	evidence_set(a, nested, "no_items", evidence_list(a));
	evidence_set(a, nested, "no_members", evidence_object(a));
	list = evidence_set(a, nested, "matrix", evidence_list(a));
	obj = evidence_append(a, list, evidence_list(a));
	evidence_append(a, obj, evidence_int(a, -1));
	evidence_append(a, obj, evidence_int(a, 9223372036854775807LL));
	f->change = CHANGE_PERSISTING;

	f = findings_add(fs, "upstream-server", "R5", SEVERITY_WARNING, "p01-web.contoso.com", p01,
			 1, "names its upstream 'P01-SUP1' instead of 'p01-sup1.contoso.com'",
			 "R5: name the upstream by its FQDN, as the hierarchy does.");
	evidence_set_string(a, f->evidence, "configured", "P01-SUP1");
	evidence_set_string(a, f->evidence, "expected", "p01-sup1.contoso.com");
	f->change = CHANGE_NEW;

	f = findings_add(fs, "upstream-unknown", "R5", SEVERITY_WARNING, "branch-wsus.contoso.com",
			 NULL, 0,
			 "syncs from 'old-wsus.contoso.com', which is not in the hierarchy",
			 "R5: add the upstream to the hierarchy file, or point the server at one "
			 "that is.");
	evidence_set_string(a, f->evidence, "configured", "old-wsus.contoso.com");
	evidence_set_int(a, f->evidence, "port", 8530);
	f->change = CHANGE_PERSISTING;

	f = findings_add(fs, "approval-drift", "R8", SEVERITY_WARNING, "p01-sup2.contoso.com", p01,
			 1, "has 1188 approvals; its upstream has 1204",
			 "R8: run wsusutil listinactiveapprovals on the upstream.");
	evidence_set_int(a, f->evidence, "server.approvals", 1188);
	evidence_set_int(a, f->evidence, "upstream.approvals", 1204);
	f->suppressed = 1;
	f->suppression = "replica catching up after the reinstall, ticket CHG-1234";
	f->change = CHANGE_PERSISTING;

	f = findings_add(fs, "content-path", "R11", SEVERITY_INFO, "branch-wsus.contoso.com", NULL,
			 0,
			 "content folder 'C:\\WSUS\"><img src=x onerror=alert(1)>' is not a local "
			 "absolute path",
			 "@SUM(1+1) is how a spreadsheet would read an unguarded field; set the "
			 "content folder with wsusutil movecontent (R11).");
	evidence_set_string(a, f->evidence, "content_path",
			    "C:\\WSUS\"><img src=x onerror=alert(1)>");
	f->change = CHANGE_NEW;

	f = findings_add(fs, "version-order", "-", SEVERITY_INFO, NULL, NULL, 0,
			 "the WSUS version of 1 server is unknown",
			 "Add a wsus-version attribute to the server in the hierarchy file.");
	list = evidence_set(a, f->evidence, "servers", evidence_list(a));
	evidence_append(a, list, evidence_string(a, "p01-sup3.contoso.com"));
	f->change = CHANGE_NEW;

	findings_sort(fs);

	f = findings_add(&fx->resolved, "bits-foreground", "R9", SEVERITY_WARNING,
			 "p01-sup1.contoso.com", NULL, 0,
			 "downloads through a proxy with BitsDownloadPriorityForeground = 0",
			 "R9: susaudit fix bits-foreground");
	evidence_set_bool(a, f->evidence, "BitsDownloadPriorityForeground", 0);
	f->change = CHANGE_RESOLVED;
}

void report_fixture_init(struct report_fixture *fx)
{
	static const struct report_trend_point trend[FIXTURE_TREND] = {
	    {1795057200, 2, 4, 1, 2350},
	    {1795143600, 3, 3, 1, 1980},
	    {1795230000, 5, 3, 2, -1},
	    {1795316400, 5, 3, 2, 1620},
	};
	/* the maintenance view (issue 16): deepest tier first, figures unknown where the server
	 * was not read, a fragmentation figure refused, and a hostile note */
	static const struct report_maintenance maintenance[FIXTURE_MAINTENANCE] = {
	    {5, 1, 2, 1620, 1, 3, 10485760, 1048576, 1200000, 850, 230, "ONLINE, MULTI_USER", NULL},
	    {6, 2, 2, 0, 2, -1, 524288, 65536, 5000, 40, 1, "ONLINE, SINGLE_USER",
	     "fragmentation refused (a right the login lacks)"},
	    {1, 3, 1, 1400, 2, 0, 2097152, 262144, 80000, 1200, 12, "ONLINE, MULTI_USER, no owner",
	     NULL},
	    {4, 4, 1, -1, -1, -1, -1, -1, -1, -1, -1, NULL, "not read <script>alert(1)</script>"},
	    {0, 5, 0, 12, 2, 0, 3145728, 524288, 150000, 0, 0, "ONLINE, MULTI_USER", NULL},
	};

	memset(fx, 0, sizeof(*fx));
	arena_init(&fx->arena);
	findings_init(&fx->findings, &fx->arena);
	findings_init(&fx->resolved, &fx->arena);
	servers(fx);
	checks(fx);
	findings(fx);
	memcpy(fx->trend, trend, sizeof(trend));
	memcpy(fx->maintenance, maintenance, sizeof(maintenance));

	fx->report.hierarchy = "Contoso";
	fx->report.tool_version = "1.0.0";
	fx->report.generated_at = 1795316400; /* 2026-11-22T03:00:00Z */
	fx->report.collected_at = 1795315200; /* 2026-11-22T02:40:00Z */
	fx->report.servers = fx->servers;
	fx->report.nservers = FIXTURE_SERVERS;
	fx->report.checks = fx->checks;
	fx->report.nchecks = FIXTURE_CHECKS;
	fx->report.findings = fx->findings.items;
	fx->report.nfindings = fx->findings.count;
	fx->report.resolved = fx->resolved.items;
	fx->report.nresolved = fx->resolved.count;
	fx->report.trend = fx->trend;
	fx->report.ntrend = FIXTURE_TREND;
	fx->report.maintenance = fx->maintenance;
	fx->report.nmaintenance = FIXTURE_MAINTENANCE;
	fx->report.with_change = 1;
	fx->report.planned = 0;
}

void report_fixture_add_huge(struct report_fixture *fx)
{
	enum { HUGE = 1024 * 1024 + 17 };
	char *big = malloc(HUGE + 1);
	struct finding *f;
	size_t i;
	static const char pattern[] = "<a href=\"x\">&\x01'z|\\";

	assert_non_null(big);
	/* markup, quotes, a control, a pipe and a backslash, over and over */
	for (i = 0; i < HUGE; i++)
		big[i] = pattern[i % (sizeof(pattern) - 1)];
	big[HUGE] = '\0';
	f = findings_add(&fx->findings, "missing-upstream-updates", "R7", SEVERITY_ERROR,
			 "cas-sup1.contoso.com", NULL, 0, big, "R7: see the evidence.");
	evidence_set_string(&fx->arena, f->evidence, "title", big);
	free(big);
	findings_sort(&fx->findings);
	fx->report.findings = fx->findings.items;
	fx->report.nfindings = fx->findings.count;
}

void report_fixture_release(struct report_fixture *fx)
{
	findings_release(&fx->findings);
	findings_release(&fx->resolved);
	arena_release(&fx->arena);
}

int report_render(const struct report *r, enum report_format format,
		  const struct report_options *opt, char **out, size_t *len)
{
	FILE *mem;
	int rc;

	*out = NULL;
	*len = 0;
	mem = open_memstream(out, len);
	assert_non_null(mem);
	rc = report_write(r, format, opt, mem);
	assert_int_equal(fclose(mem), 0);
	return rc;
}

void golden_check(const char *name, const char *data, size_t len)
{
	char path[1024], actual[1024];
	const char *update = getenv("SUSAUDIT_UPDATE_GOLDEN");
	FILE *f;
	char *expected;
	long size;

	snprintf(path, sizeof(path), "%s/tests/golden/%s", SUSAUDIT_SOURCE_DIR, name);
	if (update && strcmp(update, "1") == 0) {
		f = fopen(path, "wb");
		assert_non_null(f);
		assert_int_equal(fwrite(data, 1, len, f), len);
		assert_int_equal(fclose(f), 0);
		return;
	}
	f = fopen(path, "rb");
	if (!f)
		fail_msg("golden file '%s' is missing: run with SUSAUDIT_UPDATE_GOLDEN=1", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	size = ftell(f);
	rewind(f);
	expected = malloc((size_t)size + 1);
	assert_non_null(expected);
	assert_int_equal(fread(expected, 1, (size_t)size, f), (size_t)size);
	fclose(f);
	if ((size_t)size != len || memcmp(expected, data, len) != 0) {
		snprintf(actual, sizeof(actual), "%s/%s", SUSAUDIT_TEST_TMPDIR, name);
		f = fopen(actual, "wb");
		if (f) {
			fwrite(data, 1, len, f);
			fclose(f);
		}
		free(expected);
		fprintf(
		    stderr,
		    "output differs from golden file: diff -u '%s' '%s'\n(to accept it, run the "
		    "test with SUSAUDIT_UPDATE_GOLDEN=1)\n",
		    path, actual);
		fail();
	}
	free(expected);
}
