/* check_maintenance: the SUSDB maintenance health checks DBAs run server by server (issue 16,
 * needs.md Q3): superseded updates, custom indexes, fragmentation, size, stale clients and the
 * database's state. Thresholds are Microsoft's where it gives one, and named here. */
#include "check.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xalloc.h"

/* [MAINTG]: above 1,500 superseded, not declined updates "can cause various software update
 * related issues on both the server and client sides" */
enum { SUPERSEDED_LIMIT = 1500 };
/* KB 909131: more than 1 million rows in tbEventInstance cause timeouts */
enum { EVENT_ROWS_LIMIT = 1000000 };
/* SQL Server Express caps a database's data at 10 GB (2008 R2 and later); warn at 80% */
enum { EXPRESS_EDITION = 4 };
static const long long express_cap_kb = 10LL * 1024 * 1024;
static const long long express_warn_kb = 8LL * 1024 * 1024;
/* zbx-sadman/WSUS #2: alert unless 80% of the clients reported within the last 2 weeks */
enum { STALE_DAYS = 14, STALE_PERCENT = 20 };
/* [REIDX]: the reindex script's tests that LIMITED can evaluate */
static int fragmented(const struct model_health_fragment *f)
{
	return (f->pages > 50 && f->fragmentation_x100 > 1500) ||
	       (f->pages > 10 && f->fragmentation_x100 > 8000);
}

/* [MAINTG] "Create custom indexes": the two tables and their first key column */
static const struct {
	const char *table, *column, *ddl;
} custom_indexes[] = {
    {"tbLocalizedPropertyForRevision", "LocalizedPropertyID",
     "CREATE NONCLUSTERED INDEX [nclLocalizedPropertyID] ON "
     "[dbo].[tbLocalizedPropertyForRevision] ([LocalizedPropertyID] ASC)"},
    {"tbRevisionSupersedesUpdate", "SupersededUpdateID",
     "CREATE NONCLUSTERED INDEX [nclSupercededUpdateID] ON "
     "[dbo].[tbRevisionSupersedesUpdate] ([SupersededUpdateID] ASC)"},
};

/* 1 when server s has the facts of `query`; otherwise records why not (silently for servers
 * that were not read: server-unreachable reports them) and returns 0. */
static int health_usable(struct check_run *r, size_t s, const char *query)
{
	const struct model_server *ms = &r->m->servers[s];
	const struct model_health_unavailable *u;

	if (ms->planned_new || !check_server_usable(r, s))
		return 0;
	if (!ms->health.collected) {
		check_error(r,
			    "'%s' has no maintenance facts in the snapshot (collected by an older "
			    "susaudit): collect again",
			    ms->name);
		return 0;
	}
	u = model_health_unavailable(ms, query);
	if (!u)
		return 1;
	if (strcmp(u->reason, "denied") == 0) {
		const char *user = ms->entry && ms->entry->conn.user ? ms->entry->conn.user
								     : "<the audit login's user>";
		const char *db = ms->entry && ms->entry->conn.database ? ms->entry->conn.database
								       : "SUSDB";

		if (strcmp(query, "index_fragmentation") == 0)
			check_skip(r,
				   "'%s': %s; to enable it: USE [%s]; GRANT VIEW DATABASE STATE TO "
				   "[%s] (the database user of the audit login; on SQL Server 2022 "
				   "VIEW DATABASE PERFORMANCE STATE suffices, LIKELY)",
				   ms->name, u->error, db, user);
		else
			check_skip(r,
				   "'%s': %s; to enable it: USE [%s]; EXEC sp_addrolemember "
				   "N'db_datareader', N'%s'",
				   ms->name, u->error, db, user);
	} else {
		check_error(r, "'%s' lacks an object the '%s' query reads: %s", ms->name, query,
			    u->error);
	}
	return 0;
}

/* "tier 2 of 3 (maintain tier 3 first)": where s stands in the bottom-up order. */
static const char *tier_phrase(struct check_run *r, size_t s)
{
	int *depth = xcalloc(r->m->nservers ? r->m->nservers : 1, sizeof(*depth));
	int deepest = model_health_depths(r->m, depth);
	int d = depth[s];
	const char *p;

	free(depth);
	if (d < 0)
		return "in an upstream loop (see upstream-cycle)";
	if (deepest == 0)
		return "a top-level server";
	if (d == 0)
		p = check_fmt(r, "at the top (its hierarchy goes %d tier%s deeper: maintain those first)",
			      deepest, deepest == 1 ? "" : "s");
	else
		p = check_fmt(r, "in tier %d of %d below the top", d, deepest);
	return p;
}

void check_superseded_not_declined(struct check_run *r)
{
	const struct model *m = r->m;
	struct arena *a = r->out->arena;
	size_t i, j;

	for (i = 0; i < m->nservers; i++) {
		const struct model_health *h = &m->servers[i].health;
		struct evidence *list;
		struct finding *f;

		if (!health_usable(r, i, "superseded_count"))
			continue;
		check_evaluated(r);
		if (h->superseded <= SUPERSEDED_LIMIT)
			continue;
		f = check_add(
		    r, -1, i, NULL, 0,
		    check_fmt(r,
			      "%lld superseded updates are not declined, above Microsoft's threshold "
			      "of 1,500 (the oldest was created %s); this server is %s",
			      h->superseded, h->oldest_superseded ? h->oldest_superseded : "at an unknown date",
			      tier_phrase(r, i)),
		    m->servers[i].config.replica_mode == 1
			? "Decline the superseded updates on the autonomous upstream this replica "
			  "follows (a replica takes its declines from it), then run the WSUS Server "
			  "Cleanup Wizard and reindex SUSDB on every server, replicas included, "
			  "bottom-up, one tier at a time (deepest tier first: see the maintenance "
			  "view). In Configuration Manager, the software update point component's "
			  "supersedence rules and WSUS maintenance options decide what is declined: "
			  "change them there rather than declining by hand"
			: "Decline the superseded updates (WSUS console, or Microsoft's decline script "
			  "of the WSUS maintenance guide), then run the WSUS Server Cleanup Wizard and "
			  "reindex SUSDB on every server, replicas included, bottom-up, one tier at a "
			  "time (deepest tier first: see the maintenance view). In Configuration "
			  "Manager, the software update point component's supersedence rules and WSUS "
			  "maintenance options decide what is declined: change them there rather "
			  "than declining by hand");
		evidence_set_int(a, f->evidence, "superseded_not_declined", h->superseded);
		evidence_set_int(a, f->evidence, "threshold", SUPERSEDED_LIMIT);
		evidence_set_string(a, f->evidence, "oldest_creation", h->oldest_superseded);
		list = evidence_set(a, f->evidence, "oldest", evidence_list(a));
		for (j = 0; j < h->noldest && check_list_room(r, j); j++) {
			struct evidence *o = evidence_append(a, list, evidence_object(a));

			evidence_set_string(a, o, "update_id", h->oldest[j].guid);
			evidence_set_string(a, o, "title", h->oldest[j].title);
			evidence_set_string(a, o, "kb", h->oldest[j].kb);
			evidence_set_string(a, o, "created", h->oldest[j].created);
		}
	}
}

void check_custom_indexes(struct check_run *r)
{
	const struct model *m = r->m;
	struct arena *a = r->out->arena;
	size_t i, k, x;

	for (i = 0; i < m->nservers; i++) {
		const struct model_health *h = &m->servers[i].health;
		struct evidence *missing = NULL, *other;
		size_t nmissing = 0;
		const char *first = NULL;
		struct finding *f;

		if (!health_usable(r, i, "custom_indexes"))
			continue;
		check_evaluated(r);
		for (k = 0; k < sizeof(custom_indexes) / sizeof(custom_indexes[0]); k++) {
			int found = 0;

			for (x = 0; x < h->nindexes && !found; x++)
				found = h->indexes[x].table && h->indexes[x].first_column &&
					strcasecmp(h->indexes[x].table, custom_indexes[k].table) == 0 &&
					strcasecmp(h->indexes[x].first_column,
						   custom_indexes[k].column) == 0;
			if (found)
				continue;
			if (!missing)
				missing = evidence_list(a);
			{
				struct evidence *o = evidence_append(a, missing, evidence_object(a));

				evidence_set_string(a, o, "table", custom_indexes[k].table);
				evidence_set_string(a, o, "first_key_column", custom_indexes[k].column);
				evidence_set_string(a, o, "ddl", custom_indexes[k].ddl);
			}
			if (!first)
				first = check_fmt(r, "%s(%s)", custom_indexes[k].table,
						  custom_indexes[k].column);
			nmissing++;
		}
		if (!nmissing)
			continue;
		f = check_add(
		    r, -1, i, NULL, 0,
		    check_fmt(r,
			      "SUSDB lacks %s of the nonclustered indexes Microsoft recommends: %s%s "
			      "has none whose first key column is that column",
			      nmissing == 1 ? "one" : "both", first,
			      nmissing > 1 ? " and tbRevisionSupersedesUpdate(SupersededUpdateID)"
					   : ""),
		    nmissing == 1
			? check_fmt(r,
				    "Create it in SUSDB (as Microsoft's WSUS maintenance guide "
				    "gives it): %s; or, in Configuration Manager 1906 and later, "
				    "enable \"Add non-clustered indexes to the WSUS database\" in the "
				    "software update point's WSUS maintenance options",
				    custom_indexes[strcmp(first, "tbRevisionSupersedesUpdate("
								 "SupersededUpdateID)") == 0]
					.ddl)
			: check_fmt(r,
				    "Create them in SUSDB (as Microsoft's WSUS maintenance guide "
				    "gives them): %s; %s; or, in Configuration Manager 1906 and "
				    "later, enable \"Add non-clustered indexes to the WSUS database\" "
				    "in the software update point's WSUS maintenance options",
				    custom_indexes[0].ddl, custom_indexes[1].ddl));
		evidence_set(a, f->evidence, "missing", missing);
		other = evidence_set(a, f->evidence, "nonclustered_indexes", evidence_list(a));
		for (x = 0; x < h->nindexes; x++) {
			struct evidence *o = evidence_append(a, other, evidence_object(a));

			evidence_set_string(a, o, "table", h->indexes[x].table);
			evidence_set_string(a, o, "name", h->indexes[x].name);
			evidence_set_string(a, o, "first_key_column", h->indexes[x].first_column);
		}
	}
}

void check_index_fragmentation(struct check_run *r)
{
	const struct model *m = r->m;
	struct arena *a = r->out->arena;
	size_t i, x;

	for (i = 0; i < m->nservers; i++) {
		const struct model_health *h = &m->servers[i].health;
		const struct model_health_fragment *worst = NULL;
		struct evidence *list;
		struct finding *f;
		size_t n = 0;

		if (!health_usable(r, i, "index_fragmentation"))
			continue;
		check_evaluated(r);
		for (x = 0; x < h->nfragments; x++) {
			if (!fragmented(&h->fragments[x]))
				continue;
			if (!worst)
				worst = &h->fragments[x];	/* sorted most fragmented first */
			n++;
		}
		if (!n)
			continue;
		f = check_add(
		    r, -1, i, NULL, 0,
		    check_fmt(r,
			      "%zu index%s of SUSDB %s fragmented beyond the thresholds of Microsoft's "
			      "reindex script (the worst: %s on %s, %lld.%02lld%% of %lld pages)",
			      n, n == 1 ? "" : "es", n == 1 ? "is" : "are",
			      worst->name ? worst->name : "(unnamed)", worst->table,
			      worst->fragmentation_x100 / 100, worst->fragmentation_x100 % 100,
			      worst->pages),
		    "Run Microsoft's WSUS reindex script (\"Reindex the WSUS database\"; it "
		    "rebuilds or reorganizes these indexes and runs sp_updatestats) after the "
		    "WSUS cleanup, on every server of the hierarchy, bottom-up, one tier at a time");
		evidence_set_int(a, f->evidence, "fragmented_indexes", (long long)n);
		list = evidence_set(a, f->evidence, "indexes", evidence_list(a));
		for (x = 0; x < h->nfragments; x++) {
			const struct model_health_fragment *g = &h->fragments[x];
			struct evidence *o;

			if (!fragmented(g) || !check_list_room(r, x))
				continue;
			o = evidence_append(a, list, evidence_object(a));
			evidence_set_string(a, o, "table", g->table);
			evidence_set_string(a, o, "index", g->name);
			evidence_set_int(a, o, "page_count", g->pages);
			evidence_set_string(a, o, "fragmentation_percent",
					    check_fmt(r, "%lld.%02lld", g->fragmentation_x100 / 100,
						      g->fragmentation_x100 % 100));
		}
	}
}

void check_database_size(struct check_run *r)
{
	const struct model *m = r->m;
	struct arena *a = r->out->arena;
	size_t i;

	for (i = 0; i < m->nservers; i++) {
		const struct model_health *h = &m->servers[i].health;
		int events, express;
		struct finding *f;

		if (!health_usable(r, i, "database_size") || !health_usable(r, i, "table_rows"))
			continue;
		check_evaluated(r);
		events = h->event_rows > EVENT_ROWS_LIMIT;
		express = h->engine_edition == EXPRESS_EDITION && h->data_kb > express_warn_kb;
		if (!events && !express)
			continue;
		f = check_add(
		    r, -1, i, NULL, 0,
		    events && express
			? check_fmt(r,
				    "tbEventInstance holds %lld rows (KB 909131: above 1,000,000 "
				    "causes timeouts), and SUSDB's data is %lld MB of the 10 GB "
				    "SQL Server Express allows",
				    h->event_rows, h->data_kb / 1024)
		    : events ? check_fmt(r,
					 "tbEventInstance holds %lld rows (KB 909131: above "
					 "1,000,000 causes timeouts)",
					 h->event_rows)
			     : check_fmt(r,
					 "SUSDB's data is %lld MB of the 10 GB SQL Server Express "
					 "allows (warning above 80%%)",
					 h->data_kb / 1024),
		    events ? "Run the WSUS Server Cleanup Wizard and let WSUS purge old events; where "
			     "they keep growing, delete old tbEventInstance rows in batches during a "
			     "maintenance window (after a backup), then reindex SUSDB"
			   : "Decline and clean up superseded and expired updates (WSUS Server Cleanup "
			     "Wizard), then reindex; if SUSDB still grows, move it to a SQL Server "
			     "edition without the 10 GB cap");
		evidence_set_int_or_null(a, f->evidence, "data_kb", h->data_kb);
		evidence_set_int_or_null(a, f->evidence, "log_kb", h->log_kb);
		evidence_set_int_or_null(a, f->evidence, "engine_edition", h->engine_edition);
		evidence_set_int_or_null(a, f->evidence, "event_rows", h->event_rows);
		evidence_set_int(a, f->evidence, "event_rows_threshold", EVENT_ROWS_LIMIT);
		if (express)
			evidence_set_int(a, f->evidence, "express_cap_kb", express_cap_kb);
	}
}

void check_stale_clients(struct check_run *r)
{
	const struct model *m = r->m;
	struct arena *a = r->out->arena;
	size_t i, x;

	for (i = 0; i < m->nservers; i++) {
		const struct model_server *ms = &m->servers[i];
		const struct model_health *h = &ms->health;
		long long total = 0, stale = 0, never = 0;
		int cm;
		struct finding *f;

		if (!health_usable(r, i, "stale_clients"))
			continue;
		check_evaluated(r);
		for (x = 0; x < h->nclient_ages; x++) {
			total += h->client_ages[x].clients;
			if (h->client_ages[x].age_days < 0)
				never += h->client_ages[x].clients;
			if (h->client_ages[x].age_days < 0 || h->client_ages[x].age_days > STALE_DAYS)
				stale += h->client_ages[x].clients;
		}
		if (total == 0 || stale * 100 <= total * STALE_PERCENT)
			continue;
		cm = ms->entry && ms->entry->role != ROLE_STANDALONE;
		f = check_add(
		    r, cm ? SEVERITY_INFO : -1, i, NULL, 0,
		    check_fmt(r,
			      "%lld of the server's %lld clients (%lld%%) have not contacted it for more "
			      "than %d days%s%s",
			      stale, total, stale * 100 / total, STALE_DAYS,
			      never ? check_fmt(r, " (%lld never did)", never) : "",
			      cm ? "; in Configuration Manager this is only meaningful where WSUS "
				   "client reporting is on, which SUSDB does not show, so it is "
				   "reported as information"
				 : ""),
		    cm ? "Check whether WSUS reporting events are enabled for this software update "
			 "point; if they are, check the clients' scans (WindowsUpdate.log, "
			 "ScanAgent.log) and the WSUS web site (IIS WsusPool); stale records are "
			 "removed by the Server Cleanup Wizard (\"computers not contacting the "
			 "server\")"
		       : "Check the WSUS web site (IIS WsusPool) and the clients' Windows Update "
			 "policy and scans; remove computers that are gone with the Server Cleanup "
			 "Wizard (\"computers not contacting the server\")");
		evidence_set_int(a, f->evidence, "clients", total);
		evidence_set_int(a, f->evidence, "stale", stale);
		evidence_set_int(a, f->evidence, "never_contacted", never);
		evidence_set_int(a, f->evidence, "stale_days", STALE_DAYS);
		evidence_set_int(a, f->evidence, "threshold_percent", STALE_PERCENT);
		evidence_set_bool(a, f->evidence, "configuration_manager", cm);
		/* what the finding rests on that is only inferred (needs.md Q3, schema.md) */
		evidence_set_string(a, f->evidence, "own_client_rule",
				    "PUBLIC_VIEWS.vComputerTarget.ParentServerId IS NULL: a client "
				    "the server serves itself, not one rolled up from a downstream "
				    "(INFERRED)");
	}
}

void check_database_state(struct check_run *r)
{
	const struct model *m = r->m;
	struct arena *a = r->out->arena;
	size_t i;

	for (i = 0; i < m->nservers; i++) {
		const struct model_health *h = &m->servers[i].health;
		const char *db = m->servers[i].entry && m->servers[i].entry->conn.database
				     ? m->servers[i].entry->conn.database
				     : "SUSDB";
		int offline, restricted, orphan;
		struct finding *f;

		if (!health_usable(r, i, "database_state"))
			continue;
		check_evaluated(r);
		if (!h->have_state) {
			check_error(r, "'%s': sys.databases returned no row for its SUSDB",
				    m->servers[i].name);
			continue;
		}
		offline = h->db_state && strcmp(h->db_state, "ONLINE") != 0;
		restricted = h->db_user_access && strcmp(h->db_user_access, "MULTI_USER") != 0;
		orphan = !h->db_owner;
		if (!offline && !restricted && !orphan)
			continue;
		f = check_add(
		    r, offline || restricted ? -1 : SEVERITY_WARNING, i, NULL, 0,
		    offline || restricted
			? check_fmt(r, "SUSDB is %s and %s%s", h->db_state, h->db_user_access,
				    orphan ? ", and its owner resolves to no login" : "")
			: check_fmt(r,
				    "SUSDB's owner resolves to no login (SUSER_SNAME(owner_sid) is "
				    "NULL: the owner was probably dropped or the database attached from "
				    "another server)"),
		    offline || restricted
			? check_fmt(r,
				    "Bring it back to normal use once maintenance is over: ALTER "
				    "DATABASE [%s] SET MULTI_USER (and ONLINE); a database left "
				    "single_user after maintenance or a detach locks WSUS out",
				    db)
			: check_fmt(r,
				    "Give it a valid owner: ALTER AUTHORIZATION ON DATABASE::[%s] TO "
				    "[sa] (or the account your standards name)",
				    db));
		evidence_set_string(a, f->evidence, "state", h->db_state);
		evidence_set_string(a, f->evidence, "user_access", h->db_user_access);
		evidence_set_string(a, f->evidence, "owner", h->db_owner);
		evidence_set_bool(a, f->evidence, "owner_sid_set", h->db_owner_sid_set == 1);
	}
}

/* The maintenance view. */

struct order_key {
	size_t server;
	int tier;
};

static int by_order(const void *a, const void *b)
{
	const struct order_key *x = a, *y = b;
	/* deepest tier first; servers in a loop last; then hierarchy order */
	int tx = x->tier < 0 ? -1 : x->tier, ty = y->tier < 0 ? -1 : y->tier;

	if (tx != ty)
		return tx > ty ? -1 : 1;
	return x->server < y->server ? -1 : x->server > y->server;
}

/* Appends "what: why" to a note. */
static const char *note_add(struct arena *a, const char *note, const char *what, const char *why)
{
	return note ? arena_printf(a, "%s; %s %s", note, what, why)
		    : arena_printf(a, "%s %s", what, why);
}

static const char *unknown_reason(const struct model_server *ms, const char *query)
{
	const struct model_health_unavailable *u = model_health_unavailable(ms, query);

	if (!u)
		return NULL;
	return strcmp(u->reason, "denied") == 0 ? "refused (a right the login lacks)"
						: "not in this SUSDB";
}

void check_maintenance_view(const struct model *m, struct arena *a,
			    struct report_maintenance **out, size_t *n)
{
	size_t count = m->nservers, i, x, k;
	struct report_maintenance *v = arena_alloc(a, (count ? count : 1) * sizeof(*v));
	struct order_key *keys = xcalloc(count ? count : 1, sizeof(*keys));
	int *depth = xcalloc(count ? count : 1, sizeof(*depth));

	model_health_depths(m, depth);
	for (i = 0; i < count; i++) {
		keys[i].server = i;
		keys[i].tier = depth[i];
	}
	qsort(keys, count, sizeof(*keys), by_order);
	for (k = 0; k < count; k++) {
		const struct model_server *ms = &m->servers[keys[k].server];
		const struct model_health *h = &ms->health;
		struct report_maintenance *e = &v[k];
		const char *why;

		memset(e, 0, sizeof(*e));
		e->server = keys[k].server;
		e->order = (int)k + 1;
		e->tier = keys[k].tier;
		e->superseded = e->fragmented = e->data_kb = e->log_kb = e->event_rows = -1;
		e->clients = e->stale_clients = -1;
		e->custom_indexes = -1;
		if (!model_server_readable(ms) || ms->planned_new) {
			e->note = ms->planned_new ? "a planned server: nothing collected yet"
						  : "not read (see server-unreachable)";
			continue;
		}
		if (!h->collected) {
			e->note = "no maintenance facts in the snapshot (collected by an older susaudit)";
			continue;
		}
		if (h->have_superseded)
			e->superseded = h->superseded;
		else if ((why = unknown_reason(ms, "superseded_count")))
			e->note = note_add(a, e->note, "superseded count", why);
		if ((why = unknown_reason(ms, "custom_indexes"))) {
			e->note = note_add(a, e->note, "indexes", why);
		} else {
			e->custom_indexes = 0;
			for (x = 0; x < sizeof(custom_indexes) / sizeof(custom_indexes[0]); x++) {
				size_t y;
				int found = 0;

				for (y = 0; y < h->nindexes && !found; y++)
					found = h->indexes[y].table && h->indexes[y].first_column &&
						strcasecmp(h->indexes[y].table, custom_indexes[x].table) == 0 &&
						strcasecmp(h->indexes[y].first_column,
							   custom_indexes[x].column) == 0;
				e->custom_indexes += found;
			}
		}
		if ((why = unknown_reason(ms, "index_fragmentation"))) {
			e->note = note_add(a, e->note, "fragmentation", why);
		} else {
			e->fragmented = 0;
			for (x = 0; x < h->nfragments; x++)
				e->fragmented += fragmented(&h->fragments[x]);
		}
		if (h->have_size) {
			e->data_kb = h->data_kb;
			e->log_kb = h->log_kb;
		} else if ((why = unknown_reason(ms, "database_size"))) {
			e->note = note_add(a, e->note, "size", why);
		}
		if ((why = unknown_reason(ms, "table_rows")))
			e->note = note_add(a, e->note, "row counts", why);
		else
			e->event_rows = h->event_rows;
		if ((why = unknown_reason(ms, "stale_clients"))) {
			e->note = note_add(a, e->note, "clients", why);
		} else {
			e->clients = e->stale_clients = 0;
			for (x = 0; x < h->nclient_ages; x++) {
				e->clients += h->client_ages[x].clients;
				if (h->client_ages[x].age_days < 0 ||
				    h->client_ages[x].age_days > STALE_DAYS)
					e->stale_clients += h->client_ages[x].clients;
			}
		}
		if (h->have_state)
			e->db_state = arena_printf(a, "%s, %s%s", h->db_state ? h->db_state : "?",
						   h->db_user_access ? h->db_user_access : "?",
						   h->db_owner ? "" : ", no owner");
		else if ((why = unknown_reason(ms, "database_state")))
			e->note = note_add(a, e->note, "state", why);
	}
	free(keys);
	free(depth);
	*out = v;
	*n = count;
}

long long check_maintenance_superseded_total(const struct model *m)
{
	long long total = -1;
	size_t i;

	for (i = 0; i < m->nservers; i++) {
		const struct model_server *ms = &m->servers[i];

		if (!model_server_readable(ms) || !ms->health.have_superseded)
			continue;
		total = (total < 0 ? 0 : total) + ms->health.superseded;
	}
	return total;
}
