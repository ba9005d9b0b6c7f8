/* checks_world: builds the clean test hierarchy (snapshot rows + hand-built hierarchy). */
#include "checks_world.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "embedded.h"
#include "xalloc.h"

static const char *const names[W_NSERVERS] = {
    "cas-sup1.contoso.com",	"p01-sup1.contoso.com", "p01-sup2.contoso.com",
    "p01-web.contoso.com",	"s01-sup1.contoso.com", "hq-wsus.fabrikam.com",
    "branch-wsus.fabrikam.com",
};

void world_sql(struct world *w, const char *fmt, ...)
{
	va_list ap;
	char *sql, *err = NULL;

	va_start(ap, fmt);
	sql = xvasprintf(fmt, ap);
	va_end(ap);
	if (sqlite3_exec(w->db, sql, NULL, NULL, &err) != SQLITE_OK) {
		print_error("SQL failed: %s\n%s\n", err ? err : "?", sql);
		sqlite3_free(err);
		free(sql);
		fail();
	}
	free(sql);
}

long long world_key(const struct world *w, int server)
{
	return w->keys[server];
}

const char *world_update_guid(int n)
{
	static char buf[8][37];
	static int next;
	char *b = buf[next++ % 8];

	snprintf(b, 37, "0000%04d-AAAA-4BBB-8CCC-0000000000%02d", n, n);
	return b;
}

static const char *category_guid(int n)
{
	static char buf[8][37];
	static int next;
	char *b = buf[next++ % 8];

	snprintf(b, 37, "CCCCCCCC-0000-0000-0000-0000000000%02d", n);
	return b;
}

#define G_ALL "A0A08746-4DBE-4A37-9ADF-9E7652C0B421"
#define G_PILOT "11111111-2222-3333-4444-555555555555"

static void build_hierarchy(struct world *w)
{
	struct hierarchy *h = &w->h;
	struct server *s;
	int i;

	memset(h, 0, sizeof(*h));
	arena_init(&h->arena);
	h->name = "Contoso";
	h->path = "world.xml";
	h->nsites = 3;
	h->sites = arena_alloc(&h->arena, 3 * sizeof(*h->sites));
	h->sites[0] = (struct site){"CAS", SITE_CAS, -1, W_CAS, NULL, 0, 1};
	h->sites[1] = (struct site){"P01", SITE_PRIMARY, 0, W_P01, NULL, 0, 2};
	h->sites[2] = (struct site){"S01", SITE_SECONDARY, 1, W_S01, NULL, 0, 3};
	h->nservers = W_NSERVERS;
	h->servers = arena_alloc(&h->arena, W_NSERVERS * sizeof(*h->servers));
	for (i = 0; i < W_NSERVERS; i++) {
		s = &h->servers[i];
		s->name = names[i];
		s->port = 8530;
		s->site = -1;
		s->conn.sql = arena_printf(&h->arena, "sql%d.contoso.com", i);
		s->conn.database = "SUSDB";
		s->role = ROLE_STANDALONE;
		s->expected_upstream = EXPECT_UNDETERMINED;
		s->expected_replica = -1;
		s->planned.sync_to_mu = s->planned.upstream_port = s->planned.upstream_ssl = -1;
		s->planned.replica = s->planned.host_on_mu = -1;
		s->line = 10 + i;
	}
	s = &h->servers[W_CAS];
	s->site = 0, s->port = 8531, s->ssl = 1, s->first = 1, s->role = ROLE_TOP;
	s->expected_upstream = EXPECT_MICROSOFT_UPDATE, s->expected_replica = 0;
	s->wsus_version = "10.0.17763.1";
	s = &h->servers[W_P01];
	s->site = 1, s->first = 1, s->role = ROLE_SITE_FIRST;
	s->expected_upstream = W_CAS, s->expected_replica = 0;
	s->aliases = arena_alloc(&h->arena, 2 * sizeof(*s->aliases));
	s->aliases[0] = "P01-SUP1";
	s->aliases[1] = "10.1.0.21";
	s->naliases = 2;
	s = &h->servers[W_P01B];
	s->site = 1, s->role = ROLE_SITE_OTHER, s->expected_upstream = W_P01;
	s->expected_replica = 1;
	s = &h->servers[W_WEB];
	s->site = 1, s->port = 8531, s->ssl = 1, s->internet = 1, s->role = ROLE_INTERNET;
	s->expected_upstream = W_P01, s->expected_replica = 1;
	s = &h->servers[W_S01];
	s->site = 2, s->first = 1, s->role = ROLE_SECONDARY, s->expected_upstream = W_P01;
	s->expected_replica = 1;
	h->servers[W_HQ].wsus_version = "10.0.17763.1";
}

/* One server's clean rows. */
static void add_server(struct world *w, int i, int sync_to_mu, const char *upstream, int port,
		       int ssl, int replica, int nupdates)
{
	long long k;
	int n;

	world_sql(w,
		  "INSERT INTO server (run_id, name, status, started_at, finished_at, rows_read)"
		  " VALUES (1, '%s', 'ok', '2026-11-22T02:00:00.000Z', '2026-11-22T02:01:00.000Z',"
		  " 100)",
		  names[i]);
	k = w->keys[i] = sqlite3_last_insert_rowid(w->db);
	world_sql(
	    w,
	    "INSERT INTO configuration VALUES (%lld, 'AAAAAAAA-0000-0000-0000-0000000000%02d',"
	    " %d, %s%s%s, %d, %d, %d, 0, 1, 0, 0, NULL, 80, 0, NULL, '', 0, 0, 0,"
	    " 'D:\\WSUS\\WSUSContent\\', 0, 0, '2026-11-01T00:00:00.000Z',"
	    " 'https://fe2.update.microsoft.com/v6')",
	    k, i, sync_to_mu, upstream ? "'" : "", upstream ? upstream : "NULL",
	    upstream ? "'" : "", port, ssl, replica);
	world_sql(w,
		  "INSERT INTO language VALUES (%lld, 1033, 'en', 1, 1), (%lld, 1041, 'ja', 1, 1),"
		  " (%lld, 1031, 'de', 0, 0)",
		  k, k, k);
	for (n = 1; n <= 5; n++)
		world_sql(w, "INSERT INTO category VALUES (%lld, '%s', '%s', '%s', %d)", k,
			  category_guid(n), n <= 2 || n == 5 ? "Product" : "UpdateClassification",
			  n == 1   ? "Windows Server 2019"
			  : n == 2 ? "Office 2016"
			  : n == 3 ? "Security Updates"
			  : n == 4 ? "Critical Updates"
				   : "Windows 7",
			  n != 5);
	for (n = 1; n <= nupdates; n++) {
		world_sql(w,
			  "INSERT INTO update_revision VALUES (%lld, '%s', 200, %d, 5,"
			  " 'Update %d for Windows Server 2019', '50000%02d', 'Software')",
			  k, world_update_guid(n), n == 7, n, n);
		world_sql(
		    w, "INSERT INTO update_category VALUES (%lld, '%s', '%s'), (%lld, '%s', '%s')",
		    k, world_update_guid(n), category_guid(n % 2 ? 1 : 2), k, world_update_guid(n),
		    category_guid(n % 2 ? 3 : 4));
		world_sql(w, "INSERT INTO update_language VALUES (%lld, '%s', %d)", k,
			  world_update_guid(n),
			  n <= 5   ? 0
			  : n == 6 ? 1041
			  : n == 7 ? 1033
				   : 1031);
	}
	world_sql(w, "INSERT INTO download_queue VALUES (%lld, 0, 0, 0)", k);
	/* maintenance health (issue 16): a well-kept SUSDB */
	world_sql(w, "INSERT INTO health_superseded VALUES (%lld, 12, '2026-10-14T17:00:00.000Z')", k);
	world_sql(w,
		  "INSERT INTO health_index VALUES (%lld, 'tbLocalizedPropertyForRevision',"
		  " 'nclLocalizedPropertyID', 'LocalizedPropertyID'), (%lld,"
		  " 'tbRevisionSupersedesUpdate', 'nclSupercededUpdateID', 'SupersededUpdateID')",
		  k, k);
	world_sql(w, "INSERT INTO health_fragmentation VALUES (%lld, 'tbRevision',"
		  " 'c1tbRevision', 4000, 310)", k);
	world_sql(w, "INSERT INTO health_database_size VALUES (%lld, 2097152, 262144, 2)", k);
	world_sql(w,
		  "INSERT INTO health_table_rows VALUES (%lld, 'tbEventInstance', 52000),"
		  " (%lld, 'tbRevision', 81000), (%lld, 'tbComputerTarget', 40)",
		  k, k, k);
	world_sql(w, "INSERT INTO health_client_age VALUES (%lld, 0, 30), (%lld, 3, 9), (%lld, 20, 1)",
		  k, k, k);
	world_sql(w, "INSERT INTO health_database_state VALUES (%lld, 'ONLINE', 'MULTI_USER', 'sa', 1)",
		  k);
	world_sql(w,
		  "INSERT INTO sync_event VALUES (%lld, 381, '2026-11-21T02:50:00.000Z', 0,"
		  " 'Synchronization started', NULL), (%lld, 384, '2026-11-21T03:00:00.000Z', 0,"
		  " 'Synchronization completed successfully', NULL)",
		  k, k);
}

static void approve(struct world *w, int i, int update, const char *group, const char *gname)
{
	world_sql(w,
		  "INSERT INTO approval VALUES (%lld, '%s', 200, '%s', '%s', 0, 1,"
		  " '2026-11-10T00:00:00.000Z', 'CONTOSO\\admin')",
		  w->keys[i], world_update_guid(update), group, gname);
}

static void downstream(struct world *w, int up, int down, int replica)
{
	world_sql(w,
		  "INSERT INTO downstream_server VALUES (%lld, '%s',"
		  " 'AAAAAAAA-0000-0000-0000-0000000000%02d', '10.0.17763.1', %d,"
		  " '2026-11-21T03:00:00.000Z')",
		  w->keys[up], names[down], down, replica);
}

void world_init(struct world *w)
{
	int i;

	memset(w, 0, sizeof(*w));
	assert_int_equal(sqlite3_open(":memory:", &w->db), SQLITE_OK);
	world_sql(w, "%s", embedded_text(EMBED_MODEL_SNAPSHOT_SQL));
	world_sql(w, "%s", embedded_text(EMBED_MODEL_SNAPSHOT_V1_SQL));
	world_sql(w, "INSERT INTO run VALUES (1, 'Contoso', '<hierarchy/>', 'world.xml',"
		     " '2026-11-22T02:00:00.000Z', '2026-11-22T02:05:00.000Z', '0.1.0')");
	build_hierarchy(w);
	add_server(w, W_CAS, 1, NULL, 8530, 0, 0, 8);
	add_server(w, W_P01, 0, "cas-sup1.contoso.com", 8531, 1, 0, 8);
	add_server(w, W_P01B, 0, "p01-sup1.contoso.com", 8530, 0, 1, 8);
	add_server(w, W_WEB, 0, "p01-sup1.contoso.com", 8530, 0, 1, 8);
	add_server(w, W_S01, 0, "p01-sup1.contoso.com", 8530, 0, 1, 8);
	add_server(w, W_HQ, 1, NULL, 8530, 0, 0, 8);
	add_server(w, W_BRANCH, 0, "hq-wsus.fabrikam.com", 8530, 0, 0, 6);
	approve(w, W_CAS, 1, G_ALL, "All Computers");
	approve(w, W_CAS, 2, G_PILOT, "Pilot");
	for (i = W_P01; i <= W_S01; i++) {
		approve(w, i, 1, G_ALL, "All Computers");
		approve(w, i, 2, G_ALL, "All Computers");
		approve(w, i, 3, G_PILOT, "Pilot");
		approve(w, i, 6, G_PILOT, "Pilot");
	}
	approve(w, W_HQ, 1, G_ALL, "All Computers");
	approve(w, W_HQ, 4, G_ALL, "All Computers");
	approve(w, W_BRANCH, 1, G_ALL, "All Computers");
	approve(w, W_BRANCH, 2, G_ALL, "All Computers");
	downstream(w, W_CAS, W_P01, 0);
	downstream(w, W_P01, W_P01B, 1);
	downstream(w, W_P01, W_WEB, 1);
	downstream(w, W_P01, W_S01, 1);
	downstream(w, W_HQ, W_BRANCH, 0);
	check_options_init(&w->opt);
	w->opt.now = WORLD_NOW;
	arena_init(&w->arena);
}

static void world_clear_run(struct world *w)
{
	if (w->model)
		model_free(w->model);
	w->model = NULL;
	findings_release(&w->findings);
	free(w->results);
	w->results = NULL;
	arena_release(&w->arena);
	arena_init(&w->arena);
}

void world_free(struct world *w)
{
	world_clear_run(w);
	sqlite3_close(w->db);
	arena_release(&w->h.arena);
}

void world_run(struct world *w, const char *check)
{
	struct check_selection sel = {NULL, 0, NULL, 0};
	const char *only[1];

	world_clear_run(w);
	findings_init(&w->findings, &w->arena);
	w->results = xcalloc(checks_count(), sizeof(*w->results));
	assert_int_equal(model_from_db(w->db, 0, &w->h, &w->opt, &w->model), 0);
	if (check) {
		only[0] = check;
		sel.only = only;
		sel.nonly = 1;
	}
	assert_int_equal(checks_run(w->model, &w->opt, &sel, &w->findings, w->results), 0);
}

const struct finding *world_find(const struct world *w, const char *check, const char *server,
				 size_t n)
{
	size_t i;

	for (i = 0; i < w->findings.count; i++) {
		const struct finding *f = &w->findings.items[i];

		if (strcmp(f->check, check) == 0 &&
		    (!server || (f->server && strcmp(f->server, server) == 0)) && n-- == 0)
			return f;
	}
	return NULL;
}

size_t world_count(const struct world *w, const char *check)
{
	size_t i, n = 0;

	for (i = 0; i < w->findings.count; i++)
		n += !check || strcmp(w->findings.items[i].check, check) == 0;
	return n;
}

const struct report_check *world_result(const struct world *w, const char *check)
{
	size_t i;

	for (i = 0; i < checks_count(); i++)
		if (strcmp(w->results[i].name, check) == 0)
			return &w->results[i];
	fail_msg("no result for '%s'", check);
	return NULL;
}

long long world_ev_int(const struct finding *f, const char *key)
{
	const struct evidence *e = evidence_get(f->evidence, key);

	if (!e || (e->type != EVIDENCE_INT && e->type != EVIDENCE_BOOL))
		fail_msg("finding '%s' has no integer evidence '%s'", f->check, key);
	return e->integer;
}

const char *world_ev_str(const struct finding *f, const char *key)
{
	const struct evidence *e = evidence_get(f->evidence, key);

	if (!e || e->type != EVIDENCE_STRING)
		fail_msg("finding '%s' has no string evidence '%s'", f->check, key);
	return e->string;
}

int world_related(const struct finding *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->nrelated; i++)
		if (strcmp(f->related[i], name) == 0)
			return 1;
	return 0;
}

void world_dump(const struct world *w)
{
	size_t i;

	for (i = 0; i < w->findings.count; i++) {
		const struct finding *f = &w->findings.items[i];

		print_message("%s %s %s: %s\n", severity_name(f->severity), f->check,
			      f->server ? f->server : "-", f->message);
	}
}
