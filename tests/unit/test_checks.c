/* test_checks: every check fires on its defect and stays quiet on the near miss. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "checks_world.h"

#define K(s) world_key(&w, (s))

static void test_clean_world_is_quiet(void **state)
{
	struct world w;
	size_t i;

	(void)state;
	world_init(&w);
	world_run(&w, NULL);
	if (w.findings.count)
		world_dump(&w);
	assert_int_equal(w.findings.count, 0);
	for (i = 0; i < checks_count(); i++) {
		assert_true(w.results[i].status == CHECK_PASS ||
			    w.results[i].status == CHECK_SKIPPED);
		assert_int_equal(w.results[i].nfindings, 0);
	}
	assert_int_equal(world_result(&w, "missing-upstream-updates")->status, CHECK_PASS);
	assert_int_equal(world_result(&w, "approval-drift")->status, CHECK_PASS);
	assert_int_equal(world_result(&w, "version-order")->status, CHECK_PASS);
	world_free(&w);
}

static void test_selection(void **state)
{
	struct world w;
	const char *skip[] = {"replica-mode"};
	const char *bad[] = {"no-such-check"};
	struct check_selection sel = {NULL, 0, skip, 1};
	struct findings f;

	(void)state;
	world_init(&w);
	world_sql(&w, "UPDATE configuration SET replica_mode = 0 WHERE server_key = %lld",
		  K(W_P01B));
	world_run(&w, "sync-source");
	assert_int_equal(world_count(&w, "replica-mode"), 0);
	assert_int_equal(world_result(&w, "replica-mode")->status, CHECK_SKIPPED);
	assert_int_equal(world_result(&w, "sync-source")->status, CHECK_PASS);
	findings_init(&f, &w.arena);
	assert_int_equal(checks_run(w.model, &w.opt, &sel, &f, w.results), 0);
	assert_int_equal(f.count, 0);
	sel.skip = bad;
	assert_int_equal(checks_run(w.model, &w.opt, &sel, &f, w.results), -1);
	findings_release(&f);
	world_free(&w);
}

static void test_server_unreachable(void **state)
{
	struct world w;
	const struct finding *f;

	(void)state;
	world_init(&w);
	world_sql(&w,
		  "UPDATE server SET status = 'failed', failure_check = 'server-unreachable',"
		  " error = 'login failed for user ''audit''' WHERE server_key = %lld",
		  K(W_P01B));
	world_sql(&w, "DELETE FROM server WHERE server_key = %lld", K(W_S01));
	world_run(&w, NULL);
	f = world_find(&w, "server-unreachable", "p01-sup2.contoso.com", 0);
	assert_non_null(f);
	assert_int_equal(f->severity, SEVERITY_ERROR);
	assert_true(world_related(f, "p01-sup1.contoso.com"));
	assert_string_equal(world_ev_str(f, "status"), "failed");
	assert_non_null(strstr(world_ev_str(f, "error"), "login failed"));
	f = world_find(&w, "server-unreachable", "s01-sup1.contoso.com", 0);
	assert_non_null(f);
	assert_string_equal(world_ev_str(f, "status"), "missing");
	assert_int_equal(world_count(&w, "server-unreachable"), 2);
	/* neighbours' checks skip the unreadable server instead of failing */
	assert_int_equal(world_count(&w, "approval-drift"), 0);
	assert_int_equal(world_count(&w, NULL), 2);
	world_free(&w);
}

/* A readable downstream whose upstream could not be read: the checks that compare the two
 * cannot be evaluated there; they end error (naming the edge), neither pass nor fire. */
static void test_upstream_unreachable_is_error_not_pass(void **state)
{
	struct world w;
	const struct report_check *c;

	(void)state;
	world_init(&w);
	world_sql(&w,
		  "UPDATE server SET status = 'failed', failure_check = 'server-unreachable',"
		  " error = 'login failed' WHERE server_key = %lld",
		  K(W_HQ));
	/* would fire storage-option and language-mismatch if hq-wsus were read */
	world_sql(&w, "UPDATE configuration SET host_on_mu = 1 WHERE server_key = %lld",
		  K(W_BRANCH));
	world_run(&w, NULL);
	assert_int_equal(world_count(&w, NULL), 1);
	assert_non_null(world_find(&w, "server-unreachable", "hq-wsus.fabrikam.com", 0));
	c = world_result(&w, "storage-option");
	assert_int_equal(c->status, CHECK_ERROR);
	assert_non_null(strstr(c->detail, "'branch-wsus.fabrikam.com' could not be compared with "
					  "its upstream 'hq-wsus.fabrikam.com'"));
	c = world_result(&w, "language-mismatch");
	assert_int_equal(c->status, CHECK_ERROR);
	assert_non_null(strstr(c->detail, "hq-wsus.fabrikam.com"));
	c = world_result(&w, "missing-upstream-updates");
	assert_int_equal(c->status, CHECK_ERROR);
	assert_non_null(strstr(c->detail, "hq-wsus.fabrikam.com"));
	/* branch-wsus is autonomous: approval-drift does not apply to its edge */
	assert_int_equal(world_result(&w, "approval-drift")->status, CHECK_PASS);
	/* its version is what hq-wsus's tbDownstreamServerTarget says: not known either */
	c = world_result(&w, "version-order");
	assert_int_equal(c->status, CHECK_ERROR);
	assert_non_null(strstr(c->detail, "'branch-wsus.fabrikam.com' is not known"));
	world_free(&w);

	/* p01-sup1 unreadable: its replicas cannot be compared for approvals, but their own
	 * languages and storage follow it and are not compared at all */
	world_init(&w);
	world_sql(&w, "DELETE FROM server WHERE server_key = %lld", K(W_P01));
	world_run(&w, NULL);
	assert_int_equal(world_count(&w, NULL), 1);
	c = world_result(&w, "approval-drift");
	assert_int_equal(c->status, CHECK_ERROR);
	assert_non_null(strstr(c->detail, "p01-sup1.contoso.com"));
	assert_int_equal(world_result(&w, "language-mismatch")->status, CHECK_PASS);
	assert_int_equal(world_result(&w, "storage-option")->status, CHECK_PASS);
	world_free(&w);
}

static void test_server_unreachable_quiet_on_schema_failure(void **state)
{
	struct world w;
	const struct finding *f;

	(void)state;
	world_init(&w);
	world_sql(&w,
		  "UPDATE server SET status = 'failed', failure_check = 'schema-unsupported',"
		  " error = 'tbConfigurationA is missing' WHERE server_key = %lld",
		  K(W_BRANCH));
	world_run(&w, NULL);
	assert_int_equal(world_count(&w, "server-unreachable"), 0);
	f = world_find(&w, "schema-unsupported", "branch-wsus.fabrikam.com", 0);
	assert_non_null(f);
	assert_non_null(strstr(f->message, "tbConfigurationA is missing"));
	world_free(&w);
}

/* A column of a non-required query (a required one's makes the server fail as a whole): the
 * checks that read that query end error there, and schema-unsupported names them. */
static void test_schema_unsupported(void **state)
{
	struct world w;
	const struct finding *f;
	const struct evidence *aff;

	(void)state;
	world_init(&w);
	world_sql(&w,
		  "INSERT INTO missing_column VALUES (%lld, 'tbFileDownloadProgress',"
		  " 'BytesDownloaded')",
		  K(W_HQ));
	world_run(&w, NULL);
	f = world_find(&w, "schema-unsupported", "hq-wsus.fabrikam.com", 0);
	assert_non_null(f);
	assert_int_equal(f->severity, SEVERITY_ERROR);
	assert_non_null(strstr(f->message, "tbFileDownloadProgress.BytesDownloaded"));
	aff = evidence_get(f->evidence, "affected_checks");
	assert_non_null(aff);
	assert_int_equal(aff->nitems, 2);
	assert_string_equal(aff->items[0]->string, "storage-option");
	assert_string_equal(aff->items[1]->string, "bits-foreground");
	/* the checks that read the download queue are error, not pass */
	assert_int_equal(world_result(&w, "bits-foreground")->status, CHECK_ERROR);
	assert_non_null(strstr(world_result(&w, "bits-foreground")->detail, "hq-wsus"));
	assert_int_equal(world_result(&w, "storage-option")->status, CHECK_ERROR);
	assert_int_equal(world_result(&w, "proxy-credentials")->status, CHECK_PASS);
	assert_int_equal(world_result(&w, "last-sync")->status, CHECK_PASS);
	world_free(&w);
}

/* Issue 12, point 7: what a check could not evaluate is a finding, on the server that is the
 * cause, unless a finding about reading that server already explains it. */
static void test_check_not_evaluated(void **state)
{
	struct world w;
	const struct finding *f;
	const struct evidence *ev;

	(void)state;
	world_init(&w);
	world_sql(&w, "DELETE FROM configuration WHERE server_key = %lld", K(W_BRANCH));
	world_sql(&w, "UPDATE configuration SET sync_to_mu = NULL WHERE server_key = %lld",
		  K(W_WEB));
	world_run(&w, NULL);
	f = world_find(&w, "check-not-evaluated", "branch-wsus.fabrikam.com", 0);
	assert_non_null(f);
	assert_int_equal(f->severity, SEVERITY_ERROR);
	assert_non_null(strstr(f->message, "no configuration row"));
	ev = evidence_get(f->evidence, "checks");
	assert_non_null(ev);
	assert_true(ev->nitems >= 10);
	f = world_find(&w, "check-not-evaluated", "p01-web.contoso.com", 0);
	assert_non_null(f);
	assert_non_null(strstr(f->message, "SyncToMU"));
	assert_int_equal(world_count(&w, "check-not-evaluated"), 2);
	assert_int_equal(world_result(&w, "check-not-evaluated")->status, CHECK_FAIL);
	world_free(&w);

	/* explained by server-unreachable / schema-unsupported: quiet, and pass */
	world_init(&w);
	world_sql(&w,
		  "UPDATE server SET status = 'failed', failure_check = 'server-unreachable',"
		  " error = 'login failed' WHERE server_key = %lld",
		  K(W_HQ));
	world_sql(&w,
		  "INSERT INTO missing_column VALUES (%lld, 'tbFileDownloadProgress',"
		  " 'BytesDownloaded')",
		  K(W_P01));
	world_run(&w, NULL);
	assert_int_equal(world_count(&w, "check-not-evaluated"), 0);
	assert_int_equal(world_result(&w, "check-not-evaluated")->status, CHECK_PASS);
	world_free(&w);

	/* ... but not when the finding that would explain it was not selected */
	world_init(&w);
	world_sql(&w,
		  "INSERT INTO missing_column VALUES (%lld, 'tbFileDownloadProgress',"
		  " 'BytesDownloaded')",
		  K(W_P01));
	world_run(&w, "bits-foreground");
	f = world_find(&w, "check-not-evaluated", "p01-sup1.contoso.com", 0);
	assert_non_null(f);
	assert_non_null(strstr(f->message, "tbFileDownloadProgress.BytesDownloaded"));
	world_free(&w);
}

/* Issue 12, point 16: R5 applies to every downstream. A standalone downstream that names its
 * upstream by NetBIOS name or IP (an alias in the hierarchy file) gets the naming warning a
 * SUP gets, without the Configuration Manager note; by FQDN it stays quiet. */
static void test_upstream_server_standalone_naming(void **state)
{
	static const char *ip[] = {"10.2.0.5"};
	struct world w;
	const struct finding *f;

	(void)state;
	world_init(&w);
	world_sql(&w, "UPDATE configuration SET upstream_name = 'HQ-WSUS' WHERE server_key = %lld",
		  K(W_BRANCH));
	world_run(&w, NULL);
	f = world_find(&w, "upstream-server", "branch-wsus.fabrikam.com", 0);
	assert_non_null(f);
	assert_int_equal(f->severity, SEVERITY_WARNING);
	assert_string_equal(world_ev_str(f, "naming_convention"), "NetBIOS name");
	assert_true(world_related(f, "hq-wsus.fabrikam.com"));
	assert_non_null(strstr(f->remedy, "hq-wsus.fabrikam.com"));
	assert_null(strstr(f->remedy, "Configuration Manager"));
	assert_int_equal(world_count(&w, "upstream-server"), 1);
	world_free(&w);

	world_init(&w);
	w.h.servers[W_HQ].aliases = ip;
	w.h.servers[W_HQ].naliases = 1;
	world_sql(&w, "UPDATE configuration SET upstream_name = '10.2.0.5' WHERE server_key = %lld",
		  K(W_BRANCH));
	world_run(&w, NULL);
	f = world_find(&w, "upstream-server", "branch-wsus.fabrikam.com", 0);
	assert_non_null(f);
	assert_string_equal(world_ev_str(f, "naming_convention"), "IP address");
	world_free(&w);

	/* by FQDN (any case): quiet, and evaluated */
	world_init(&w);
	world_sql(&w,
		  "UPDATE configuration SET upstream_name = 'HQ-WSUS.FABRIKAM.COM' WHERE "
		  "server_key = %lld",
		  K(W_BRANCH));
	world_run(&w, "upstream-server");
	assert_int_equal(world_count(&w, "upstream-server"), 0);
	assert_int_equal(world_result(&w, "upstream-server")->status, CHECK_PASS);
	world_free(&w);
}

/* Issue 12, point 18: a check's "not evaluated" detail names every server and link it could
 * not evaluate, not only the first. */
static void test_error_detail_names_every_server(void **state)
{
	struct world w;
	const struct report_check *c;

	(void)state;
	world_init(&w);
	world_sql(&w,
		  "UPDATE configuration SET replica_mode = NULL WHERE server_key IN (%lld, %lld)",
		  K(W_P01B), K(W_WEB));
	world_run(&w, NULL);
	c = world_result(&w, "replica-mode");
	assert_int_equal(c->status, CHECK_ERROR);
	assert_int_equal(c->nerrors, 2);
	assert_non_null(strstr(c->detail, "p01-sup2.contoso.com"));
	assert_non_null(strstr(c->detail, "p01-web.contoso.com"));
	world_free(&w);

	/* an edge check: every link whose upstream could not be read */
	world_init(&w);
	world_sql(&w, "DELETE FROM server WHERE server_key = %lld", K(W_P01));
	world_run(&w, NULL);
	c = world_result(&w, "approval-drift");
	assert_int_equal(c->status, CHECK_ERROR);
	assert_non_null(c->detail);
	assert_non_null(strstr(c->detail, "'p01-sup2.contoso.com' could not be compared"));
	assert_non_null(strstr(c->detail, "'p01-web.contoso.com' could not be compared"));
	assert_non_null(strstr(c->detail, "'s01-sup1.contoso.com' could not be compared"));
	world_free(&w);
}

static void test_sync_source(void **state)
{
	struct world w;
	const struct finding *f;

	(void)state;
	world_init(&w);
	world_sql(&w, "UPDATE configuration SET sync_to_mu = 1 WHERE server_key = %lld", K(W_P01));
	world_sql(&w,
		  "UPDATE configuration SET sync_to_mu = 0, upstream_name = 'hq-wsus.fabrikam.com'"
		  " WHERE server_key = %lld",
		  K(W_CAS));
	/* standalone servers have no required source: quiet */
	world_sql(&w, "UPDATE configuration SET sync_to_mu = 1 WHERE server_key = %lld",
		  K(W_BRANCH));
	world_run(&w, "sync-source");
	assert_int_equal(world_count(&w, "sync-source"), 2);
	f = world_find(&w, "sync-source", "p01-sup1.contoso.com", 0);
	assert_non_null(f);
	assert_int_equal(f->severity, SEVERITY_ERROR);
	assert_true(world_related(f, "cas-sup1.contoso.com"));
	assert_int_equal(world_ev_int(f, "server.SyncToMU"), 1);
	assert_int_equal(world_ev_int(f, "expected.SyncToMU"), 0);
	assert_non_null(strstr(f->remedy, "R2"));
	f = world_find(&w, "sync-source", "cas-sup1.contoso.com", 0);
	assert_non_null(f);
	assert_non_null(strstr(f->message, "must sync from Microsoft Update"));
	assert_non_null(strstr(f->remedy, "R1"));
	world_free(&w);
}

static void test_upstream_server(void **state)
{
	struct world w;
	const struct finding *f;

	(void)state;
	world_init(&w);
	world_sql(&w,
		  "UPDATE configuration SET upstream_name = 'cas-sup1.contoso.com',"
		  " upstream_port = 8531, upstream_ssl = 1 WHERE server_key = %lld",
		  K(W_P01B));
	world_sql(&w,
		  "UPDATE configuration SET upstream_name = '10.1.0.21' WHERE server_key = %lld",
		  K(W_S01));
	world_sql(&w, "UPDATE configuration SET upstream_name = 'p01-sup1' WHERE server_key = %lld",
		  K(W_WEB));
	world_run(&w, NULL);
	f = world_find(&w, "upstream-server", "p01-sup2.contoso.com", 0);
	assert_non_null(f);
	assert_int_equal(f->severity, SEVERITY_ERROR);
	assert_true(world_related(f, "p01-sup1.contoso.com"));
	assert_true(world_related(f, "cas-sup1.contoso.com"));
	assert_string_equal(world_ev_str(f, "server.UpstreamServerName"), "cas-sup1.contoso.com");
	assert_string_equal(world_ev_str(f, "expected_upstream"), "p01-sup1.contoso.com");
	f = world_find(&w, "upstream-server", "s01-sup1.contoso.com", 0);
	assert_non_null(f);
	assert_int_equal(f->severity, SEVERITY_WARNING);
	assert_string_equal(world_ev_str(f, "naming_convention"), "IP address");
	f = world_find(&w, "upstream-server", "p01-web.contoso.com", 0);
	assert_non_null(f);
	assert_int_equal(f->severity, SEVERITY_WARNING);
	assert_string_equal(world_ev_str(f, "naming_convention"), "alias");
	assert_int_equal(world_count(&w, "upstream-unknown"), 0);
	world_free(&w);
}

static void test_upstream_server_quiet_same_convention(void **state)
{
	struct world w;

	(void)state;
	world_init(&w);
	/* the FQDN in another case and with the root dot is the same name */
	world_sql(&w,
		  "UPDATE configuration SET upstream_name = 'P01-SUP1.Contoso.COM.' WHERE"
		  " server_key = %lld",
		  K(W_P01B));
	world_run(&w, NULL);
	assert_int_equal(world_count(&w, NULL), 0);
	world_free(&w);
}

/* R1's exception: the top site names an existing WSUS server (upstream="host:port"). */
static void external_top(struct world *w, const char *configured, int port, int ssl)
{
	struct server *e = &w->h.servers[W_CAS];

	e->expected_upstream = EXPECT_EXTERNAL;
	e->external_upstream = "wsus-ext.contoso.com";
	e->external_upstream_port = 8530;
	e->external_upstream_ssl = 0;
	world_sql(w,
		  "UPDATE configuration SET sync_to_mu = 0, upstream_name = '%s',"
		  " upstream_port = %d, upstream_ssl = %d WHERE server_key = %lld",
		  configured, port, ssl, world_key(w, W_CAS));
}

static void test_external_upstream_quiet(void **state)
{
	struct world w;

	(void)state;
	world_init(&w);
	/* its FQDN in another case and with the root dot: the same server */
	external_top(&w, "WSUS-EXT.Contoso.com.", 8530, 0);
	world_run(&w, NULL);
	if (w.findings.count)
		world_dump(&w);
	assert_int_equal(world_count(&w, NULL), 0);
	assert_int_equal(world_result(&w, "sync-source")->status, CHECK_PASS);
	assert_int_equal(world_result(&w, "upstream-port")->status, CHECK_PASS);
	world_free(&w);
}

static void test_external_upstream(void **state)
{
	struct world w;
	const struct finding *f;

	(void)state;
	world_init(&w);
	/* the right server by its NetBIOS name, on the wrong port */
	external_top(&w, "WSUS-EXT", 8531, 0);
	world_run(&w, NULL);
	assert_int_equal(world_count(&w, NULL), 2);
	assert_int_equal(world_count(&w, "upstream-unknown"), 0);
	f = world_find(&w, "upstream-server", "cas-sup1.contoso.com", 0);
	assert_non_null(f);
	assert_int_equal(f->severity, SEVERITY_WARNING);
	assert_int_equal(f->nrelated, 0);
	assert_string_equal(world_ev_str(f, "naming_convention"), "NetBIOS name");
	assert_string_equal(world_ev_str(f, "expected_upstream"), "wsus-ext.contoso.com");
	f = world_find(&w, "upstream-port", "cas-sup1.contoso.com", 0);
	assert_non_null(f);
	assert_int_equal(f->severity, SEVERITY_ERROR);
	assert_int_equal(world_ev_int(f, "upstream.port"), 8530);
	world_free(&w);

	/* another server altogether: the role's upstream is wrong, and it is unknown */
	world_init(&w);
	external_top(&w, "wsus-old.contoso.com", 8530, 0);
	world_run(&w, NULL);
	assert_int_equal(world_count(&w, NULL), 2);
	f = world_find(&w, "upstream-server", "cas-sup1.contoso.com", 0);
	assert_non_null(f);
	assert_int_equal(f->severity, SEVERITY_ERROR);
	assert_non_null(strstr(f->message, "existing WSUS server 'wsus-ext.contoso.com'"));
	assert_non_null(world_find(&w, "upstream-unknown", "cas-sup1.contoso.com", 0));
	world_free(&w);
}

static void test_upstream_unknown(void **state)
{
	struct world w;
	const struct finding *f;

	(void)state;
	world_init(&w);
	world_sql(&w,
		  "UPDATE configuration SET upstream_name = 'old-wsus.fabrikam.com' WHERE"
		  " server_key = %lld",
		  K(W_BRANCH));
	world_sql(&w,
		  "UPDATE configuration SET upstream_name = 'p01-sup9.contoso.com' WHERE"
		  " server_key = %lld",
		  K(W_S01));
	world_run(&w, NULL);
	f = world_find(&w, "upstream-unknown", "branch-wsus.fabrikam.com", 0);
	assert_non_null(f);
	assert_int_equal(f->severity, SEVERITY_WARNING);
	assert_int_equal(f->nrelated, 0);
	assert_non_null(strstr(f->message, "old-wsus.fabrikam.com"));
	assert_string_equal(world_ev_str(f, "server.UpstreamServerName"), "old-wsus.fabrikam.com");
	f = world_find(&w, "upstream-unknown", "s01-sup1.contoso.com", 0);
	assert_non_null(f);
	assert_true(world_related(f, "p01-sup1.contoso.com"));
	assert_non_null(strstr(f->message, "its role requires p01-sup1.contoso.com"));
	assert_int_equal(world_count(&w, "upstream-server"), 0);
	world_free(&w);
}

static void test_upstream_unknown_quiet_netbios(void **state)
{
	struct world w;

	(void)state;
	world_init(&w);
	/* the first label of hq-wsus's FQDN names it (another convention, but known) */
	world_sql(&w, "UPDATE configuration SET upstream_name = 'HQ-WSUS' WHERE server_key = %lld",
		  K(W_BRANCH));
	world_run(&w, NULL);
	assert_int_equal(world_count(&w, "upstream-unknown"), 0);
	/* ... which R5 warns about for a standalone downstream too (issue 12, point 16) */
	assert_int_equal(world_count(&w, "upstream-server"), 1);
	assert_int_equal(world_count(&w, NULL), 1);
	assert_int_equal(w.model->servers[W_BRANCH].upstream, W_HQ);
	assert_int_equal(w.model->servers[W_BRANCH].upstream_match, MODEL_MATCH_NETBIOS);
	world_free(&w);
}

static void test_upstream_port(void **state)
{
	struct world w;
	const struct finding *f;

	(void)state;
	world_init(&w);
	world_sql(&w, "UPDATE configuration SET upstream_port = 80 WHERE server_key = %lld",
		  K(W_P01B));
	/* SSL on and the HTTP port of an HTTPS upstream: the UNKNOWN sub-case, a warning */
	world_sql(&w, "UPDATE configuration SET upstream_port = 8530 WHERE server_key = %lld",
		  K(W_P01));
	world_run(&w, "upstream-port");
	f = world_find(&w, "upstream-port", "p01-sup2.contoso.com", 0);
	assert_non_null(f);
	assert_int_equal(f->severity, SEVERITY_ERROR);
	assert_true(world_related(f, "p01-sup1.contoso.com"));
	assert_int_equal(world_ev_int(f, "server.ServerPortNumber"), 80);
	assert_int_equal(world_ev_int(f, "upstream.port"), 8530);
	assert_non_null(strstr(f->message, "LIKELY"));
	f = world_find(&w, "upstream-port", "p01-sup1.contoso.com", 0);
	assert_non_null(f);
	assert_int_equal(f->severity, SEVERITY_WARNING);
	assert_non_null(strstr(f->message, "UNKNOWN"));
	assert_int_equal(world_count(&w, "upstream-port"), 2);
	world_free(&w);
}

static void test_upstream_ssl(void **state)
{
	struct world w;
	const struct finding *f;

	(void)state;
	world_init(&w);
	/* the internet SUP runs HTTPS itself, but its upstream p01-sup1 does not */
	world_sql(&w, "UPDATE configuration SET upstream_ssl = 1 WHERE server_key = %lld",
		  K(W_WEB));
	world_sql(&w, "UPDATE configuration SET upstream_ssl = 0 WHERE server_key = %lld",
		  K(W_P01));
	world_run(&w, "upstream-ssl");
	assert_int_equal(world_count(&w, "upstream-ssl"), 2);
	f = world_find(&w, "upstream-ssl", "p01-web.contoso.com", 0);
	assert_non_null(f);
	assert_int_equal(f->severity, SEVERITY_ERROR);
	assert_true(world_related(f, "p01-sup1.contoso.com"));
	assert_int_equal(world_ev_int(f, "server.UpstreamServerUseSSL"), 1);
	assert_int_equal(world_ev_int(f, "upstream.ssl"), 0);
	f = world_find(&w, "upstream-ssl", "p01-sup1.contoso.com", 0);
	assert_non_null(f);
	assert_int_equal(world_ev_int(f, "upstream.ssl"), 1);
	assert_non_null(strstr(f->remedy, "select"));
	world_free(&w);
}

static void test_replica_mode(void **state)
{
	struct world w;
	const struct finding *f;

	(void)state;
	world_init(&w);
	world_sql(&w, "UPDATE configuration SET replica_mode = 0 WHERE server_key = %lld",
		  K(W_P01B));
	world_sql(&w, "UPDATE configuration SET replica_mode = 1 WHERE server_key = %lld",
		  K(W_P01));
	/* a standalone server may be either: quiet */
	world_sql(&w, "UPDATE configuration SET replica_mode = 1 WHERE server_key = %lld",
		  K(W_BRANCH));
	world_run(&w, "replica-mode");
	assert_int_equal(world_count(&w, "replica-mode"), 2);
	f = world_find(&w, "replica-mode", "p01-sup2.contoso.com", 0);
	assert_non_null(f);
	assert_int_equal(f->severity, SEVERITY_ERROR);
	assert_int_equal(world_ev_int(f, "server.ReplicaMode"), 0);
	assert_int_equal(world_ev_int(f, "expected.ReplicaMode"), 1);
	assert_true(world_related(f, "p01-sup1.contoso.com"));
	f = world_find(&w, "replica-mode", "p01-sup1.contoso.com", 0);
	assert_non_null(f);
	assert_non_null(strstr(f->message, "must be autonomous"));
	world_free(&w);
}

static void test_upstream_cycle(void **state)
{
	struct world w;
	const struct finding *f;

	(void)state;
	world_init(&w);
	world_sql(
	    &w,
	    "UPDATE configuration SET sync_to_mu = 0, upstream_name = 'branch-wsus.fabrikam.com'"
	    " WHERE server_key = %lld",
	    K(W_HQ));
	world_run(&w, "upstream-cycle");
	assert_int_equal(world_count(&w, "upstream-cycle"), 1);
	f = world_find(&w, "upstream-cycle", "hq-wsus.fabrikam.com", 0);
	assert_non_null(f);
	assert_int_equal(f->severity, SEVERITY_ERROR);
	assert_true(world_related(f, "branch-wsus.fabrikam.com"));
	assert_non_null(
	    strstr(f->message, "hq-wsus.fabrikam.com -> branch-wsus.fabrikam.com -> hq-wsus"));
	assert_int_equal(evidence_get(f->evidence, "loop")->nitems, 2);
	world_free(&w);
}

static void test_upstream_cycle_quiet_chain(void **state)
{
	struct world w;

	(void)state;
	world_init(&w);
	world_run(&w, "upstream-cycle");
	assert_int_equal(world_count(&w, "upstream-cycle"), 0);
	assert_int_equal(world_result(&w, "upstream-cycle")->status, CHECK_PASS);
	world_free(&w);
}

static void test_version_order(void **state)
{
	struct world w;
	const struct finding *f;

	(void)state;
	world_init(&w);
	world_sql(&w,
		  "UPDATE downstream_server SET version = '10.0.20348.1' WHERE server_key = %lld",
		  K(W_CAS));
	world_run(&w, "version-order");
	assert_int_equal(world_count(&w, "version-order"), 1);
	f = world_find(&w, "version-order", "p01-sup1.contoso.com", 0);
	assert_non_null(f);
	assert_int_equal(f->severity, SEVERITY_WARNING);
	assert_true(world_related(f, "cas-sup1.contoso.com"));
	assert_string_equal(world_ev_str(f, "server.version"), "10.0.20348.1");
	assert_string_equal(world_ev_str(f, "upstream.version"), "10.0.17763.1");
	world_free(&w);
}

static void test_version_order_quiet_older(void **state)
{
	struct world w;

	(void)state;
	world_init(&w);
	/* numeric, not text, comparison: 10.0.9999 is older than 10.0.17763 (and every
	 * server below p01-sup1 runs the same version as p01-sup1) */
	world_sql(&w, "UPDATE downstream_server SET version = '10.0.9999.1'");
	world_run(&w, "version-order");
	assert_int_equal(world_count(&w, "version-order"), 0);
	assert_int_equal(world_result(&w, "version-order")->status, CHECK_PASS);
	world_free(&w);
}

static void test_storage_option(void **state)
{
	struct world w;
	const struct finding *f;

	(void)state;
	world_init(&w);
	world_sql(&w, "UPDATE configuration SET host_on_mu = 1 WHERE server_key = %lld",
		  K(W_BRANCH));
	world_run(&w, "storage-option");
	f = world_find(&w, "storage-option", "branch-wsus.fabrikam.com", 0);
	assert_non_null(f);
	assert_int_equal(f->severity, SEVERITY_WARNING);
	assert_true(world_related(f, "hq-wsus.fabrikam.com"));
	assert_int_equal(world_ev_int(f, "server.HostOnMu"), 1);
	assert_int_equal(world_ev_int(f, "upstream.HostOnMu"), 0);
	assert_non_null(
	    strstr(f->message, "its upstream hq-wsus.fabrikam.com stores them locally"));
	world_free(&w);
}

static void test_storage_option_error_when_stuck(void **state)
{
	struct world w;
	const struct finding *f;

	(void)state;
	world_init(&w);
	world_sql(&w, "UPDATE configuration SET host_on_mu = 1 WHERE server_key = %lld", K(W_HQ));
	world_sql(&w,
		  "UPDATE update_revision SET state = 7 WHERE server_key = %lld AND"
		  " update_guid = '%s'",
		  K(W_BRANCH), world_update_guid(2));
	world_run(&w, "storage-option");
	f = world_find(&w, "storage-option", "branch-wsus.fabrikam.com", 0);
	assert_non_null(f);
	assert_int_equal(f->severity, SEVERITY_ERROR);
	assert_int_equal(world_ev_int(f, "server.approved_state7_failed"), 1);
	assert_non_null(strstr(world_ev_str(f, "certainty"), "tbRevision.State"));
	assert_non_null(strstr(f->message, "stores update files locally while its upstream"));
	assert_non_null(strstr(f->message, "not arriving"));
	world_free(&w);
}

static void test_storage_option_quiet_replica(void **state)
{
	struct world w;

	(void)state;
	world_init(&w);
	/* a replica's storage follows its upstream: its own value is not a misconfiguration */
	world_sql(&w, "UPDATE configuration SET host_on_mu = 1 WHERE server_key = %lld", K(W_P01B));
	world_run(&w, "storage-option");
	assert_int_equal(world_count(&w, "storage-option"), 0);
	assert_int_equal(world_result(&w, "storage-option")->status, CHECK_PASS);
	world_free(&w);
}

static void test_missing_upstream_updates(void **state)
{
	struct world w;
	const struct finding *f;
	const struct evidence *list, *u;

	(void)state;
	world_init(&w);
	/* hq-wsus was "reinstalled" without Office: update 2 is gone there */
	world_sql(&w, "DELETE FROM update_revision WHERE server_key = %lld AND update_guid = '%s'",
		  K(W_HQ), world_update_guid(2));
	world_sql(&w,
		  "UPDATE category SET subscribed = 0 WHERE server_key = %lld AND"
		  " title = 'Office 2016'",
		  K(W_HQ));
	/* and update 1 is gone although its product is still selected */
	world_sql(&w, "DELETE FROM update_revision WHERE server_key = %lld AND update_guid = '%s'",
		  K(W_HQ), world_update_guid(1));
	world_run(&w, NULL);
	assert_int_equal(world_count(&w, "missing-upstream-updates"), 1);
	f = world_find(&w, "missing-upstream-updates", "branch-wsus.fabrikam.com", 0);
	assert_non_null(f);
	assert_int_equal(f->severity, SEVERITY_ERROR);
	assert_true(world_related(f, "hq-wsus.fabrikam.com"));
	assert_int_equal(world_ev_int(f, "missing_count"), 2);
	assert_int_equal(world_ev_int(f, "upstream_subscription_lacks_count"), 1);
	assert_int_equal(world_ev_int(f, "upstream_subscription_covers_count"), 1);
	list = evidence_get(f->evidence, "updates");
	assert_int_equal(list->nitems, 2);
	u = list->items[0];
	assert_string_equal(evidence_get(u, "update_id")->string, world_update_guid(1));
	assert_string_equal(evidence_get(u, "title")->string, "Update 1 for Windows Server 2019");
	assert_string_equal(evidence_get(u, "kb")->string, "5000001");
	assert_string_equal(evidence_get(u, "upstream_subscription")->string,
			    "includes its product and classification");
	u = list->items[1];
	assert_string_equal(evidence_get(u, "upstream_subscription")->string,
			    "lacks its product or classification");
	assert_string_equal(
	    evidence_get(evidence_get(u, "categories_not_selected_upstream")->items[0], "title")
		->string,
	    "Office 2016");
	assert_non_null(strstr(f->remedy, "Products and Classifications, add 'Office 2016'"));
	assert_non_null(strstr(f->remedy, "R7"));
	assert_non_null(strstr(world_ev_str(f, "certainty"), "tbCategoryInSubscription"));
	assert_non_null(strstr(world_ev_str(f, "certainty"), "LIKELY"));
	world_free(&w);
}

/* Issue 12, point 17: remedies must be possible for the role. A SUP's products and
 * classifications are set in the top-level site's software update point component (WCM
 * reverts the WSUS console), and a replica cannot decline updates. */
static void test_missing_upstream_updates_remedy_per_role(void **state)
{
	struct world w;
	const struct finding *f;

	(void)state;
	/* standalone, autonomous downstream: the WSUS console, and declining is possible */
	world_init(&w);
	world_sql(&w, "DELETE FROM update_revision WHERE server_key = %lld AND update_guid = '%s'",
		  K(W_HQ), world_update_guid(2));
	world_sql(&w,
		  "UPDATE category SET subscribed = 0 WHERE server_key = %lld AND"
		  " title = 'Office 2016'",
		  K(W_HQ));
	world_run(&w, "missing-upstream-updates");
	f = world_find(&w, "missing-upstream-updates", "branch-wsus.fabrikam.com", 0);
	assert_non_null(f);
	assert_non_null(strstr(f->remedy, "on hq-wsus.fabrikam.com open WSUS console > Options > "
					  "Products and Classifications"));
	assert_non_null(strstr(f->remedy, "decline them there"));
	assert_null(strstr(f->remedy, "software update point"));
	world_free(&w);

	/* Configuration Manager: a replica under an autonomous SUP */
	world_init(&w);
	world_sql(&w, "DELETE FROM update_revision WHERE server_key = %lld AND update_guid = '%s'",
		  K(W_P01), world_update_guid(2));
	world_sql(&w,
		  "UPDATE category SET subscribed = 0 WHERE server_key = %lld AND"
		  " title = 'Office 2016'",
		  K(W_P01));
	world_run(&w, "missing-upstream-updates");
	f = world_find(&w, "missing-upstream-updates", "p01-sup2.contoso.com", 0);
	assert_non_null(f);
	assert_non_null(strstr(f->remedy, "software update point component"));
	assert_non_null(strstr(f->remedy, "top-level site"));
	assert_null(strstr(f->remedy, "Options > Products and Classifications"));
	assert_null(strstr(f->remedy, "decline them there"));
	assert_null(strstr(f->remedy, "decline them at p01-sup2"));
	assert_non_null(strstr(f->remedy, "p01-sup2.contoso.com is a replica"));
	world_free(&w);

	/* Configuration Manager: an autonomous SUP (p01-sup1 under the CAS) may decline */
	world_init(&w);
	world_sql(&w, "DELETE FROM update_revision WHERE server_key = %lld AND update_guid = '%s'",
		  K(W_CAS), world_update_guid(2));
	world_sql(&w,
		  "UPDATE category SET subscribed = 0 WHERE server_key = %lld AND"
		  " title = 'Office 2016'",
		  K(W_CAS));
	world_run(&w, "missing-upstream-updates");
	f = world_find(&w, "missing-upstream-updates", "p01-sup1.contoso.com", 0);
	assert_non_null(f);
	assert_non_null(strstr(f->remedy, "software update point component"));
	assert_null(strstr(f->remedy, "Options > Products and Classifications"));
	assert_non_null(strstr(f->remedy, "decline them there"));
	world_free(&w);
}

static void test_missing_upstream_updates_quiet(void **state)
{
	struct world w;

	(void)state;
	world_init(&w);
	/* declined at the downstream: not needed, even with its approval left behind and its
	 * files not downloaded (only the decline keeps it quiet) */
	world_sql(&w, "DELETE FROM update_revision WHERE server_key = %lld AND update_guid = '%s'",
		  K(W_HQ), world_update_guid(2));
	world_sql(&w,
		  "UPDATE update_revision SET declined = 1, state = 4 WHERE server_key = %lld AND"
		  " update_guid = '%s'",
		  K(W_BRANCH), world_update_guid(2));
	/* neither approved nor needing files: not needed */
	world_sql(&w, "DELETE FROM update_revision WHERE server_key = %lld AND update_guid = '%s'",
		  K(W_HQ), world_update_guid(3));
	/* the downstream's own subscription is ignored (R7, Q7b) */
	world_sql(&w, "UPDATE category SET subscribed = 0 WHERE server_key = %lld", K(W_BRANCH));
	world_run(&w, "missing-upstream-updates");
	assert_int_equal(world_count(&w, NULL), 0);
	assert_int_equal(world_result(&w, "missing-upstream-updates")->status, CHECK_PASS);
	world_free(&w);
}

static void test_missing_upstream_updates_transient(void **state)
{
	struct world w;
	const struct finding *f;

	(void)state;
	world_init(&w);
	world_sql(&w,
		  "UPDATE update_revision SET state = 4 WHERE server_key IN (%lld, %lld) AND"
		  " update_guid = '%s'",
		  K(W_HQ), K(W_BRANCH), world_update_guid(2));
	world_run(&w, "missing-upstream-updates");
	assert_int_equal(world_count(&w, NULL), 1);
	f = world_find(&w, "missing-upstream-updates", "branch-wsus.fabrikam.com", 0);
	assert_non_null(f);
	assert_int_equal(f->severity, SEVERITY_INFO);
	assert_int_equal(f->nrelated, 1);
	assert_true(world_related(f, "hq-wsus.fabrikam.com"));
	assert_int_equal(world_ev_int(f, "count"), 1);
	assert_string_equal(
	    evidence_get(evidence_get(f->evidence, "updates")->items[0], "update_id")->string,
	    world_update_guid(2));
	assert_non_null(strstr(f->message, "transient"));
	world_free(&w);
}

static void test_approval_drift(void **state)
{
	struct world w;
	const struct finding *f;
	const struct evidence *groups;

	(void)state;
	world_init(&w);
	world_sql(&w, "DELETE FROM approval WHERE server_key = %lld AND update_guid = '%s'",
		  K(W_P01B), world_update_guid(3));
	world_run(&w, NULL);
	assert_int_equal(world_count(&w, NULL), 1);
	f = world_find(&w, "approval-drift", "p01-sup2.contoso.com", 0);
	assert_non_null(f);
	assert_int_equal(f->severity, SEVERITY_WARNING);
	assert_true(world_related(f, "p01-sup1.contoso.com"));
	assert_int_equal(world_ev_int(f, "upstream.approvals"), 4);
	assert_int_equal(world_ev_int(f, "replica.approvals"), 3);
	assert_int_equal(world_ev_int(f, "possibly_inactive_count"), 0);
	groups = evidence_get(f->evidence, "groups");
	assert_int_equal(groups->nitems, 2);
	/* in group GUID order: Pilot (1111...) before All Computers (A0A0...) */
	assert_string_equal(evidence_get(groups->items[0], "group_name")->string, "Pilot");
	assert_int_equal(evidence_get(groups->items[0], "upstream")->integer, 2);
	assert_int_equal(evidence_get(groups->items[0], "replica")->integer, 1);
	assert_int_equal(evidence_get(groups->items[1], "upstream")->integer, 2);
	assert_int_equal(evidence_get(groups->items[1], "replica")->integer, 2);
	assert_string_equal(
	    evidence_get(evidence_get(f->evidence, "missing_at_replica")->items[0], "update_id")
		->string,
	    world_update_guid(3));
	world_free(&w);
}

/* An update approved for a group on two revisions (a stale approval beside the current one)
 * is one approved update of that group: a replica holding only the current one is no drift. */
static void test_approval_drift_quiet_stale_revision(void **state)
{
	struct world w;
	const struct finding *f;

	(void)state;
	world_init(&w);
	world_sql(&w,
		  "INSERT INTO approval VALUES (%lld, '%s', 199, '"
		  "11111111-2222-3333-4444-555555555555"
		  "', 'Pilot', 0, 1, '2026-10-10T00:00:00.000Z', 'CONTOSO\\admin')",
		  K(W_P01), world_update_guid(3));
	world_run(&w, "approval-drift");
	assert_int_equal(world_count(&w, NULL), 0);
	assert_int_equal(world_result(&w, "approval-drift")->status, CHECK_PASS);
	/* and the per-group counts of a real drift count updates, not revisions */
	world_sql(&w, "DELETE FROM approval WHERE server_key = %lld AND update_guid = '%s'",
		  K(W_S01), world_update_guid(6));
	world_run(&w, "approval-drift");
	assert_int_equal(world_count(&w, NULL), 1);
	f = world_find(&w, "approval-drift", "s01-sup1.contoso.com", 0);
	assert_non_null(f);
	assert_true(world_related(f, "p01-sup1.contoso.com"));
	assert_int_equal(world_ev_int(f, "upstream.approvals"), 4);
	assert_int_equal(world_ev_int(f, "replica.approvals"), 3);
	assert_int_equal(world_ev_int(f, "missing_at_replica_count"), 1);
	assert_int_equal(
	    evidence_get(evidence_get(f->evidence, "groups")->items[0], "upstream")->integer, 2);
	world_free(&w);
}

/* Replicas receive only active approvals (R8): an approval still pending upstream while its
 * files download is not at the replica yet; that alone is transient (info), not drift. */
static void test_approval_drift_pending_upstream_is_transient(void **state)
{
	struct world w;
	const struct finding *f;

	(void)state;
	world_init(&w);
	/* update 3 is language-neutral: pending only because its files are downloading */
	world_sql(&w,
		  "UPDATE approval SET deployment_status = 0 WHERE server_key = %lld AND"
		  " update_guid = '%s'",
		  K(W_P01), world_update_guid(3));
	world_sql(&w, "DELETE FROM approval WHERE server_key = %lld AND update_guid = '%s'",
		  K(W_P01B), world_update_guid(3));
	world_run(&w, "approval-drift");
	assert_int_equal(world_count(&w, NULL), 1);
	f = world_find(&w, "approval-drift", "p01-sup2.contoso.com", 0);
	assert_non_null(f);
	assert_int_equal(f->severity, SEVERITY_INFO);
	assert_true(world_related(f, "p01-sup1.contoso.com"));
	assert_int_equal(world_ev_int(f, "pending_upstream_count"), 1);
	assert_int_equal(world_ev_int(f, "missing_at_replica_count"), 1);
	assert_non_null(strstr(f->message, "transient"));
	/* with a missing active approval beside it, it is drift again */
	world_sql(&w, "DELETE FROM approval WHERE server_key = %lld AND update_guid = '%s'",
		  K(W_P01B), world_update_guid(1));
	world_run(&w, "approval-drift");
	f = world_find(&w, "approval-drift", "p01-sup2.contoso.com", 0);
	assert_non_null(f);
	assert_int_equal(f->severity, SEVERITY_WARNING);
	assert_int_equal(world_ev_int(f, "missing_at_replica_count"), 2);
	assert_int_equal(world_ev_int(f, "pending_upstream_count"), 1);
	assert_non_null(strstr(f->message, "1 of the missing are still pending upstream"));
	world_free(&w);

	/* an update approved for the group on two revisions is active when one approval is,
	 * whichever of them comes first */
	world_init(&w);
	world_sql(&w,
		  "INSERT INTO approval VALUES (%lld, '%s', 199, '"
		  "11111111-2222-3333-4444-555555555555"
		  "', 'Pilot', 0, 0, '2026-10-10T00:00:00.000Z', 'CONTOSO\\admin')",
		  K(W_P01), world_update_guid(3));
	world_sql(&w, "DELETE FROM approval WHERE server_key = %lld AND update_guid = '%s'",
		  K(W_P01B), world_update_guid(3));
	world_run(&w, "approval-drift");
	f = world_find(&w, "approval-drift", "p01-sup2.contoso.com", 0);
	assert_non_null(f);
	assert_int_equal(f->severity, SEVERITY_WARNING);
	assert_int_equal(world_ev_int(f, "pending_upstream_count"), 0);
	world_free(&w);
}

static void test_approval_drift_language_change(void **state)
{
	struct world w;
	const struct finding *f;

	(void)state;
	world_init(&w);
	/* p01-sup1 stopped downloading Japanese after approving update 6 (ja only) */
	world_sql(&w,
		  "UPDATE language SET enabled = 0 WHERE server_key = %lld AND language_id = 1041",
		  K(W_P01));
	world_sql(&w,
		  "UPDATE approval SET deployment_status = 0 WHERE server_key = %lld AND"
		  " update_guid = '%s'",
		  K(W_P01), world_update_guid(6));
	world_sql(&w, "DELETE FROM approval WHERE server_key = %lld AND update_guid = '%s'",
		  K(W_S01), world_update_guid(6));
	world_run(&w, "approval-drift");
	f = world_find(&w, "approval-drift", "s01-sup1.contoso.com", 0);
	assert_non_null(f);
	assert_int_equal(f->severity, SEVERITY_WARNING);
	assert_int_equal(f->nrelated, 1);
	assert_true(world_related(f, "p01-sup1.contoso.com"));
	assert_int_equal(world_ev_int(f, "possibly_inactive_count"), 1);
	assert_true(evidence_get(evidence_get(f->evidence, "missing_at_replica")->items[0],
				 "possibly_inactive_language")
			->integer);
	assert_non_null(strstr(world_ev_str(f, "certainty"), "heuristic"));
	assert_non_null(strstr(f->message, "language change"));
	assert_non_null(strstr(f->remedy, "wsusutil listinactiveapprovals"));
	assert_non_null(strstr(f->remedy, "removeinactiveapprovals"));
	world_free(&w);
}

static void test_language_mismatch(void **state)
{
	struct world w;
	const struct finding *f;

	(void)state;
	world_init(&w);
	world_sql(&w,
		  "UPDATE language SET enabled = 1 WHERE server_key = %lld AND language_id = 1031",
		  K(W_BRANCH));
	/* a replica's languages follow its upstream: quiet */
	world_sql(&w,
		  "UPDATE language SET enabled = 1 WHERE server_key = %lld AND language_id = 1031",
		  K(W_P01B));
	world_run(&w, "language-mismatch");
	assert_int_equal(world_count(&w, "language-mismatch"), 1);
	f = world_find(&w, "language-mismatch", "branch-wsus.fabrikam.com", 0);
	assert_non_null(f);
	assert_int_equal(f->severity, SEVERITY_WARNING);
	assert_true(world_related(f, "hq-wsus.fabrikam.com"));
	assert_non_null(strstr(f->message, "enables de"));
	assert_int_equal(evidence_get(f->evidence, "languages_not_enabled_upstream")->nitems, 1);
	assert_string_equal(
	    evidence_get(evidence_get(f->evidence, "languages_not_enabled_upstream")->items[0],
			 "short_language")
		->string,
	    "de");
	world_free(&w);
}

/* Issue 12, point 17: a SUP's languages are set in the top-level site's software update
 * point component (WCM reverts the WSUS console); a standalone server's in the console. */
static void test_language_mismatch_remedy_per_role(void **state)
{
	struct world w;
	const struct finding *f;

	(void)state;
	world_init(&w);
	world_sql(&w,
		  "UPDATE language SET enabled = 1 WHERE server_key IN (%lld, %lld) AND "
		  "language_id = 1031",
		  K(W_BRANCH), K(W_P01));
	world_run(&w, "language-mismatch");
	f = world_find(&w, "language-mismatch", "branch-wsus.fabrikam.com", 0);
	assert_non_null(f);
	assert_non_null(strstr(f->remedy, "Options > Update Files and Languages"));
	assert_null(strstr(f->remedy, "software update point"));
	f = world_find(&w, "language-mismatch", "p01-sup1.contoso.com", 0);
	assert_non_null(f);
	assert_non_null(strstr(f->remedy, "software update point component"));
	assert_non_null(strstr(f->remedy, "WCM"));
	assert_null(strstr(f->remedy, "Options > Update Files and Languages"));
	world_free(&w);
}

static void test_language_mismatch_quiet_subset(void **state)
{
	struct world w;

	(void)state;
	world_init(&w);
	/* an autonomous downstream may enable a subset */
	world_sql(&w,
		  "UPDATE language SET enabled = 0 WHERE server_key = %lld AND language_id = 1041",
		  K(W_BRANCH));
	world_run(&w, "language-mismatch");
	assert_int_equal(world_count(&w, NULL), 0);
	world_free(&w);
}

static void test_language_change_hook(void **state)
{
	struct world w;
	struct findings f;
	static const int before[] = {1033, 1031};
	const struct finding *x;

	(void)state;
	world_init(&w);
	world_run(&w, "language-mismatch");
	w.model->servers[W_HQ].previous_languages = before;
	w.model->servers[W_HQ].nprevious_languages = 2;
	findings_init(&f, &w.arena);
	{
		const char *only[] = {"language-mismatch"};
		struct check_selection sel = {only, 1, NULL, 0};

		assert_int_equal(checks_run(w.model, &w.opt, &sel, &f, w.results), 0);
	}
	assert_int_equal(f.count, 1);
	x = &f.items[0];
	assert_string_equal(x->server, "hq-wsus.fabrikam.com");
	assert_string_equal(evidence_get(x->evidence, "added")->items[0]->string, "ja");
	assert_string_equal(evidence_get(x->evidence, "removed")->items[0]->string, "de");
	assert_int_equal(x->nrelated, 0);
	findings_release(&f);

	/* a replica's languages follow its upstream: its flags changing is no finding of its
	 * own (the upstream's change is reported on the upstream) */
	w.model->servers[W_HQ].previous_languages = NULL;
	w.model->servers[W_HQ].nprevious_languages = 0;
	w.model->servers[W_P01B].previous_languages = before;
	w.model->servers[W_P01B].nprevious_languages = 2;
	findings_init(&f, &w.arena);
	{
		const char *only[] = {"language-mismatch"};
		struct check_selection sel = {only, 1, NULL, 0};

		assert_int_equal(checks_run(w.model, &w.opt, &sel, &f, w.results), 0);
	}
	assert_int_equal(f.count, 0);
	findings_release(&f);
	world_free(&w);
}

static void test_inactive_approvals(void **state)
{
	struct world w;
	const struct finding *f;
	const struct evidence *list;

	(void)state;
	world_init(&w);
	world_sql(&w,
		  "UPDATE language SET enabled = 0 WHERE server_key = %lld AND language_id = 1041",
		  K(W_P01));
	world_sql(&w,
		  "UPDATE approval SET deployment_status = 0 WHERE server_key = %lld AND"
		  " update_guid = '%s'",
		  K(W_P01), world_update_guid(6));
	world_run(&w, "inactive-approvals");
	assert_int_equal(world_count(&w, NULL), 1);
	f = world_find(&w, "inactive-approvals", "p01-sup1.contoso.com", 0);
	assert_non_null(f);
	assert_int_equal(f->severity, SEVERITY_WARNING);
	assert_int_equal(f->nrelated, 0);
	assert_non_null(strstr(f->message, "possible inactive approvals (language change)"));
	assert_int_equal(world_ev_int(f, "pending_approvals"), 1);
	list = evidence_get(f->evidence, "approvals");
	assert_string_equal(evidence_get(list->items[0], "update_id")->string,
			    world_update_guid(6));
	assert_string_equal(evidence_get(list->items[0], "languages")->items[0]->string, "ja");
	assert_string_equal(evidence_get(list->items[0], "group_name")->string, "Pilot");
	world_free(&w);
}

static void test_inactive_approvals_quiet(void **state)
{
	struct world w;

	(void)state;
	world_init(&w);
	/* pending but language-neutral: it can still download */
	world_sql(&w,
		  "UPDATE approval SET deployment_status = 0 WHERE server_key = %lld AND"
		  " update_guid = '%s'",
		  K(W_P01), world_update_guid(1));
	/* pending in an enabled language */
	world_sql(&w,
		  "UPDATE approval SET deployment_status = 0 WHERE server_key = %lld AND"
		  " update_guid = '%s'",
		  K(W_P01), world_update_guid(6));
	world_run(&w, "inactive-approvals");
	assert_int_equal(world_count(&w, NULL), 0);
	world_free(&w);
}

/* A replica's languages follow its upstream (R6/R8, Q7b): its own tbLanguage flags do not make
 * its pending approvals inactive; its upstream's do. */
static void test_inactive_approvals_replica_follows_upstream(void **state)
{
	struct world w;
	const struct finding *f;

	(void)state;
	world_init(&w);
	/* p01-sup2's own Japanese flag is off, but p01-sup1 (its upstream) downloads Japanese:
	 * the pending approval of update 6 (ja) is still downloading, not inactive */
	world_sql(&w,
		  "UPDATE language SET enabled = 0 WHERE server_key = %lld AND language_id = 1041",
		  K(W_P01B));
	world_sql(&w,
		  "UPDATE approval SET deployment_status = 0 WHERE server_key = %lld AND"
		  " update_guid = '%s'",
		  K(W_P01B), world_update_guid(6));
	world_run(&w, "inactive-approvals");
	assert_int_equal(world_count(&w, NULL), 0);
	assert_int_equal(world_result(&w, "inactive-approvals")->status, CHECK_PASS);

	/* p01-sup1 stops Japanese: the replica's pending approval can never complete either */
	world_sql(&w,
		  "UPDATE language SET enabled = 1 WHERE server_key = %lld AND language_id = 1041",
		  K(W_P01B));
	world_sql(&w,
		  "UPDATE language SET enabled = 0 WHERE server_key = %lld AND language_id = 1041",
		  K(W_P01));
	world_run(&w, "inactive-approvals");
	assert_int_equal(world_count(&w, NULL), 1);
	f = world_find(&w, "inactive-approvals", "p01-sup2.contoso.com", 0);
	assert_non_null(f);
	assert_int_equal(f->severity, SEVERITY_WARNING);
	assert_int_equal(f->nrelated, 1);
	assert_true(world_related(f, "p01-sup1.contoso.com"));
	assert_non_null(strstr(f->message, "at its upstream p01-sup1.contoso.com"));
	assert_int_equal(world_ev_int(f, "pending_approvals"), 1);
	assert_string_equal(
	    evidence_get(f->evidence, "upstream.enabled_languages")->items[0]->string, "en");
	assert_non_null(strstr(f->remedy, "on p01-sup1.contoso.com run"));
	world_free(&w);
}

static void proxy(struct world *w, int server, int anonymous, const char *user, const char *domain,
		  int password, int non_ssl)
{
	world_sql(w,
		  "UPDATE configuration SET use_proxy = 1, proxy_name = 'proxy.fabrikam.com',"
		  " proxy_port = 8080, proxy_anonymous = %d, proxy_user = %s%s%s,"
		  " proxy_domain = '%s', proxy_password_set = %d, proxy_credentials_non_ssl = %d"
		  " WHERE server_key = %lld",
		  anonymous, user ? "'" : "", user ? user : "NULL", user ? "'" : "", domain,
		  password, non_ssl, world_key(w, server));
}

static void test_bits_foreground(void **state)
{
	struct world w;
	const struct finding *f;

	(void)state;
	world_init(&w);
	proxy(&w, W_HQ, 1, NULL, "", 0, 0);
	world_sql(&w,
		  "UPDATE download_queue SET files = 3, total_bytes = 3000 WHERE"
		  " server_key = %lld",
		  K(W_HQ));
	world_sql(&w,
		  "UPDATE update_revision SET state = 4 WHERE server_key = %lld AND"
		  " update_guid = '%s'",
		  K(W_HQ), world_update_guid(4));
	world_run(&w, "bits-foreground");
	f = world_find(&w, "bits-foreground", "hq-wsus.fabrikam.com", 0);
	assert_non_null(f);
	assert_int_equal(f->severity, SEVERITY_WARNING);
	assert_int_equal(world_ev_int(f, "server.BitsDownloadPriorityForeground"), 0);
	assert_int_equal(world_ev_int(f, "server.download_queue_files"), 3);
	assert_int_equal(world_ev_int(f, "server.approved_state4_not_ready"), 1);
	assert_non_null(strstr(f->remedy, "net stop WSUSService"));
	assert_non_null(strstr(f->remedy, "susaudit fix bits-foreground HIERARCHY.xml --server "
					  "hq-wsus.fabrikam.com"));
	assert_non_null(strstr(f->remedy, "--apply"));
	world_free(&w);
}

/* R9 counts state 8 (EULA download failed) as "not arriving", as the fix itself does. */
static void test_bits_foreground_eula_failed(void **state)
{
	struct world w;
	const struct finding *f;

	(void)state;
	world_init(&w);
	proxy(&w, W_HQ, 1, NULL, "", 0, 0);
	world_sql(&w,
		  "UPDATE update_revision SET state = 8 WHERE server_key = %lld AND"
		  " update_guid = '%s'",
		  K(W_HQ), world_update_guid(4));
	world_run(&w, "bits-foreground");
	assert_int_equal(world_count(&w, NULL), 1);
	f = world_find(&w, "bits-foreground", "hq-wsus.fabrikam.com", 0);
	assert_non_null(f);
	assert_int_equal(f->severity, SEVERITY_WARNING);
	assert_int_equal(f->nrelated, 0);
	assert_int_equal(world_ev_int(f, "server.approved_state8_eula_failed"), 1);
	assert_int_equal(world_ev_int(f, "server.download_queue_files"), 0);
	assert_non_null(strstr(f->message, "1 failed"));
	assert_non_null(strstr(world_ev_str(f, "certainty"), "LIKELY"));
	world_free(&w);
}

static void test_bits_foreground_quiet(void **state)
{
	struct world w;

	(void)state;
	world_init(&w);
	proxy(&w, W_HQ, 1, NULL, "", 0, 0);
	/* files arriving through the proxy: nothing to fix */
	world_run(&w, "bits-foreground");
	assert_int_equal(world_count(&w, NULL), 0);
	/* stuck, but the fix is already applied */
	world_sql(&w, "UPDATE download_queue SET files = 3 WHERE server_key = %lld", K(W_HQ));
	world_sql(&w, "UPDATE configuration SET bits_foreground = 1 WHERE server_key = %lld",
		  K(W_HQ));
	world_run(&w, "bits-foreground");
	assert_int_equal(world_count(&w, NULL), 0);
	world_free(&w);
}

static void test_proxy_credentials(void **state)
{
	struct world w;
	const struct finding *f;

	(void)state;
	world_init(&w);
	proxy(&w, W_HQ, 0, "svc-wsus", "", 0, 0);
	world_run(&w, "proxy-credentials");
	f = world_find(&w, "proxy-credentials", "hq-wsus.fabrikam.com", 0);
	assert_non_null(f);
	assert_int_equal(f->severity, SEVERITY_ERROR);
	assert_non_null(strstr(f->message, "the domain and password are not set"));
	assert_string_equal(world_ev_str(f, "server.ProxyUserName"), "svc-wsus");
	assert_int_equal(world_ev_int(f, "server.ProxyPassword_set"), 0);
	world_free(&w);
}

static void test_proxy_credentials_quiet(void **state)
{
	struct world w;

	(void)state;
	world_init(&w);
	proxy(&w, W_HQ, 1, NULL, "", 0, 0);		      /* anonymous proxy */
	proxy(&w, W_BRANCH, 0, "svc-wsus", "FABRIKAM", 1, 0); /* complete credentials */
	world_run(&w, "proxy-credentials");
	assert_int_equal(world_count(&w, NULL), 0);
	world_free(&w);
}

static void test_proxy_basic_auth(void **state)
{
	struct world w;
	const struct finding *f;

	(void)state;
	world_init(&w);
	proxy(&w, W_BRANCH, 0, "svc-wsus", "FABRIKAM", 1, 1);
	proxy(&w, W_HQ, 1, NULL, "", 0, 1); /* anonymous: no credentials to leak */
	world_run(&w, "proxy-basic-auth");
	assert_int_equal(world_count(&w, NULL), 1);
	f = world_find(&w, "proxy-basic-auth", "branch-wsus.fabrikam.com", 0);
	assert_non_null(f);
	assert_int_equal(f->severity, SEVERITY_WARNING);
	assert_int_equal(world_ev_int(f, "server.AllowProxyCredentialsOverNonSsl"), 1);
	assert_non_null(strstr(world_ev_str(f, "certainty"), "INFERRED"));
	world_free(&w);
}

static void test_content_path(void **state)
{
	struct world w;
	const struct finding *f;

	(void)state;
	world_init(&w);
	world_sql(&w,
		  "UPDATE configuration SET content_path = '\\\\filer\\wsus' WHERE"
		  " server_key = %lld",
		  K(W_HQ));
	world_sql(&w, "UPDATE configuration SET content_path = '' WHERE server_key = %lld",
		  K(W_BRANCH));
	/* files on Microsoft Update: no folder needed */
	world_sql(&w,
		  "UPDATE configuration SET content_path = NULL, host_on_mu = 1 WHERE"
		  " server_key = %lld",
		  K(W_CAS));
	world_run(&w, "content-path");
	assert_int_equal(world_count(&w, NULL), 2);
	f = world_find(&w, "content-path", "hq-wsus.fabrikam.com", 0);
	assert_non_null(f);
	assert_int_equal(f->severity, SEVERITY_WARNING);
	assert_non_null(strstr(f->message, "UNC"));
	assert_string_equal(world_ev_str(f, "server.LocalContentCacheLocation"), "\\\\filer\\wsus");
	f = world_find(&w, "content-path", "branch-wsus.fabrikam.com", 0);
	assert_non_null(strstr(f->message, "is not set"));
	world_free(&w);
}

static void fail_sync(struct world *w, int server, const char *message, long long hresult)
{
	world_sql(w,
		  "INSERT INTO sync_event VALUES (%lld, 381, '2026-11-21T23:00:00.000Z', 0, NULL,"
		  " NULL), (%lld, 386, '2026-11-21T23:05:00.000Z', %lld, '%s', 'WebException')",
		  world_key(w, server), world_key(w, server), hresult, message);
}

static void test_last_sync_classified(void **state)
{
	struct world w;
	const struct finding *f;

	(void)state;
	world_init(&w);
	fail_sync(&w, W_HQ,
		  "Synchronization failed. Reason: The request failed with HTTP status 407: Proxy "
		  "Authentication Required.",
		  0);
	fail_sync(&w, W_P01,
		  "Synchronization failed. Reason: The request failed with HTTP status "
		  "503: Service Unavailable.",
		  0);
	fail_sync(&w, W_CAS, "Synchronization failed. Reason: The operation has timed out.",
		  (long long)(int32_t)0x80072EFE);
	fail_sync(&w, W_BRANCH, "Synchronization failed. Reason: EULA file could not be downloaded",
		  0);
	world_run(&w, "last-sync");
	assert_int_equal(world_count(&w, NULL), 4);
	f = world_find(&w, "last-sync", "hq-wsus.fabrikam.com", 0);
	assert_int_equal(f->severity, SEVERITY_ERROR);
	assert_string_equal(world_ev_str(f, "classification"), "authentication-or-proxy");
	assert_non_null(strstr(f->remedy, "ApiRemoting30"));
	assert_string_equal(world_ev_str(f, "last_success"), "2026-11-21T03:00:00.000Z");
	f = world_find(&w, "last-sync", "p01-sup1.contoso.com", 0);
	assert_string_equal(world_ev_str(f, "classification"), "wsus-web-service");
	assert_non_null(strstr(f->remedy, "WsusPool"));
	f = world_find(&w, "last-sync", "cas-sup1.contoso.com", 0);
	assert_string_equal(world_ev_str(f, "classification"), "microsoft-update-connection");
	f = world_find(&w, "last-sync", "branch-wsus.fabrikam.com", 0);
	assert_string_equal(world_ev_str(f, "classification"), "eula-download");
	assert_non_null(strstr(f->remedy, "wsusutil.exe reset"));
	world_free(&w);
}

/* 0x80072EFE by its text alone; a timeout on a downstream points at its upstream, which is
 * where it synchronizes from, not at Microsoft Update. */
static void test_last_sync_connection_source(void **state)
{
	struct world w;
	const struct finding *f;

	(void)state;
	world_init(&w);
	fail_sync(&w, W_HQ,
		  "Synchronization failed. Reason: The connection with the server was terminated "
		  "abnormally.",
		  0);
	fail_sync(&w, W_P01, "Synchronization failed. Reason: The operation has timed out.", 0);
	fail_sync(&w, W_S01,
		  "Synchronization failed. Reason: Unable to connect to the remote server: "
		  "connection refused",
		  0);
	world_run(&w, "last-sync");
	assert_int_equal(world_count(&w, NULL), 3);
	f = world_find(&w, "last-sync", "hq-wsus.fabrikam.com", 0);
	assert_non_null(f);
	assert_int_equal(f->nrelated, 0);
	assert_string_equal(world_ev_str(f, "classification"), "microsoft-update-connection");
	assert_non_null(strstr(f->remedy, "reach the Internet"));
	f = world_find(&w, "last-sync", "p01-sup1.contoso.com", 0);
	assert_non_null(f);
	assert_string_equal(world_ev_str(f, "classification"), "microsoft-update-connection");
	assert_non_null(strstr(f->remedy, "upstream WSUS server cas-sup1.contoso.com"));
	assert_non_null(strstr(f->remedy, "on port 8531"));
	assert_null(strstr(f->remedy, "Internet"));
	f = world_find(&w, "last-sync", "s01-sup1.contoso.com", 0);
	assert_non_null(f);
	assert_string_equal(world_ev_str(f, "classification"), "authentication-or-proxy");
	world_free(&w);
}

/* A Japanese WSUS records the exception text in Japanese: the seed's wording classifies. */
static void test_last_sync_classified_japanese(void **state)
{
	struct world w;
	const struct finding *f;

	(void)state;
	world_init(&w);
	fail_sync(
	    &w, W_HQ,
	    "同期に失敗しました。理由: ターゲット マシンがアクティブに拒否したため、接続を確立"
	    "できませんでした",
	    0);
	fail_sync(
	    &w, W_BRANCH,
	    "同期に失敗しました。理由: リモート パーティがトランスポート ストリームを閉じたため、"
	    "認証に失敗しました",
	    0);
	fail_sync(
	    &w, W_CAS,
	    "同期に失敗しました。理由: 接続先が一定の時間を過ぎても正しく応答しなかったため、接続"
	    "できませんでした",
	    0);
	fail_sync(&w, W_P01, "同期に失敗しました。理由: サーバーとの接続が異常終了しました", 0);
	world_run(&w, "last-sync");
	assert_int_equal(world_count(&w, NULL), 4);
	f = world_find(&w, "last-sync", "hq-wsus.fabrikam.com", 0);
	assert_non_null(f);
	assert_string_equal(world_ev_str(f, "classification"), "authentication-or-proxy");
	f = world_find(&w, "last-sync", "branch-wsus.fabrikam.com", 0);
	assert_non_null(f);
	assert_string_equal(world_ev_str(f, "classification"), "authentication-or-proxy");
	f = world_find(&w, "last-sync", "cas-sup1.contoso.com", 0);
	assert_non_null(f);
	assert_string_equal(world_ev_str(f, "classification"), "microsoft-update-connection");
	f = world_find(&w, "last-sync", "p01-sup1.contoso.com", 0);
	assert_non_null(f);
	assert_string_equal(world_ev_str(f, "classification"), "microsoft-update-connection");
	world_free(&w);
}

static void test_last_sync_stale_and_purged(void **state)
{
	struct world w;
	const struct finding *f;

	(void)state;
	world_init(&w);
	world_sql(&w,
		  "UPDATE sync_event SET time_at_server = '2026-11-01T03:00:00.000Z' WHERE"
		  " server_key = %lld",
		  K(W_HQ));
	world_sql(&w, "DELETE FROM sync_event WHERE server_key = %lld", K(W_BRANCH));
	world_run(&w, "last-sync");
	assert_int_equal(world_count(&w, NULL), 2);
	f = world_find(&w, "last-sync", "hq-wsus.fabrikam.com", 0);
	assert_non_null(strstr(f->message, "21 days ago"));
	assert_int_equal(world_ev_int(f, "max_sync_age_days"), 7);
	f = world_find(&w, "last-sync", "branch-wsus.fabrikam.com", 0);
	assert_non_null(strstr(f->message, "purged"));
	/* --max-sync-age 30 accepts the 21-day-old success */
	w.opt.max_sync_age_days = 30;
	world_run(&w, "last-sync");
	assert_int_equal(world_count(&w, NULL), 1);
	world_free(&w);
}

static void test_last_sync_quiet_after_recovery(void **state)
{
	struct world w;

	(void)state;
	world_init(&w);
	/* a failure followed by a success: the newest end event wins */
	world_sql(&w,
		  "INSERT INTO sync_event VALUES (%lld, 386, '2026-11-20T03:00:00.000Z', 0,"
		  " 'Synchronization failed. Reason: (407) Proxy Authentication Required', NULL)",
		  K(W_HQ));
	world_run(&w, "last-sync");
	assert_int_equal(world_count(&w, NULL), 0);
	world_free(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_clean_world_is_quiet),
	    cmocka_unit_test(test_selection),
	    cmocka_unit_test(test_server_unreachable),
	    cmocka_unit_test(test_upstream_unreachable_is_error_not_pass),
	    cmocka_unit_test(test_server_unreachable_quiet_on_schema_failure),
	    cmocka_unit_test(test_schema_unsupported),
	    cmocka_unit_test(test_check_not_evaluated),
	    cmocka_unit_test(test_error_detail_names_every_server),
	    cmocka_unit_test(test_upstream_server_standalone_naming),
	    cmocka_unit_test(test_sync_source),
	    cmocka_unit_test(test_upstream_server),
	    cmocka_unit_test(test_upstream_server_quiet_same_convention),
	    cmocka_unit_test(test_external_upstream_quiet),
	    cmocka_unit_test(test_external_upstream),
	    cmocka_unit_test(test_upstream_unknown),
	    cmocka_unit_test(test_upstream_unknown_quiet_netbios),
	    cmocka_unit_test(test_upstream_port),
	    cmocka_unit_test(test_upstream_ssl),
	    cmocka_unit_test(test_replica_mode),
	    cmocka_unit_test(test_upstream_cycle),
	    cmocka_unit_test(test_upstream_cycle_quiet_chain),
	    cmocka_unit_test(test_version_order),
	    cmocka_unit_test(test_version_order_quiet_older),
	    cmocka_unit_test(test_storage_option),
	    cmocka_unit_test(test_storage_option_error_when_stuck),
	    cmocka_unit_test(test_storage_option_quiet_replica),
	    cmocka_unit_test(test_missing_upstream_updates),
	    cmocka_unit_test(test_missing_upstream_updates_remedy_per_role),
	    cmocka_unit_test(test_missing_upstream_updates_quiet),
	    cmocka_unit_test(test_missing_upstream_updates_transient),
	    cmocka_unit_test(test_approval_drift),
	    cmocka_unit_test(test_approval_drift_quiet_stale_revision),
	    cmocka_unit_test(test_approval_drift_pending_upstream_is_transient),
	    cmocka_unit_test(test_approval_drift_language_change),
	    cmocka_unit_test(test_language_mismatch),
	    cmocka_unit_test(test_language_mismatch_remedy_per_role),
	    cmocka_unit_test(test_language_mismatch_quiet_subset),
	    cmocka_unit_test(test_language_change_hook),
	    cmocka_unit_test(test_inactive_approvals),
	    cmocka_unit_test(test_inactive_approvals_quiet),
	    cmocka_unit_test(test_inactive_approvals_replica_follows_upstream),
	    cmocka_unit_test(test_bits_foreground),
	    cmocka_unit_test(test_bits_foreground_eula_failed),
	    cmocka_unit_test(test_bits_foreground_quiet),
	    cmocka_unit_test(test_proxy_credentials),
	    cmocka_unit_test(test_proxy_credentials_quiet),
	    cmocka_unit_test(test_proxy_basic_auth),
	    cmocka_unit_test(test_content_path),
	    cmocka_unit_test(test_last_sync_classified),
	    cmocka_unit_test(test_last_sync_connection_source),
	    cmocka_unit_test(test_last_sync_classified_japanese),
	    cmocka_unit_test(test_last_sync_stale_and_purged),
	    cmocka_unit_test(test_last_sync_quiet_after_recovery),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
