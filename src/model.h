/* model: the hierarchy's servers as one snapshot saw them, and the upstream/downstream chain. */
#ifndef SUSAUDIT_MODEL_H
#define SUSAUDIT_MODEL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <sqlite3.h>

#include "arena.h"
#include "hierarchy.h"
#include "intern.h"
#include "finding.h"
#include "report.h"

struct check_options;

/* A GUID as 16 bytes in the order of its canonical text, so byte order is text order. */
struct model_guid {
	unsigned char b[16];
};

/* Parses 'XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX' (either case, optional braces); 0 or -1. */
int model_guid_parse(const char *text, struct model_guid *out);
/* Writes the upper-case canonical text (37 bytes with the NUL) into buf. */
void model_guid_format(const struct model_guid *g, char buf[37]);
/* Byte order: <0, 0, >0. Inline, as two 64-bit words: the audit's merges compare GUIDs
 * hundreds of millions of times, and a call to memcmp per comparison was a quarter of it. */
static inline int model_guid_bytes_compare(const unsigned char *a, const unsigned char *b)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t x, y;
	int i;

	for (i = 0; i < 16; i += 8) {
		__builtin_memcpy(&x, a + i, 8);
		__builtin_memcpy(&y, b + i, 8);
		if (x != y) {
			x = __builtin_bswap64(x);
			y = __builtin_bswap64(y);
			return x < y ? -1 : 1;
		}
	}
	return 0;
#else
	return __builtin_memcmp(a, b, 16);
#endif
}

static inline int model_guid_compare(const struct model_guid *a, const struct model_guid *b)
{
	return model_guid_bytes_compare(a->b, b->b);
}

/* How a server was collected in the snapshot's run. */
enum model_collect_status {
	MODEL_SERVER_OK,	/* read completely */
	MODEL_SERVER_FAILED,	/* the collector recorded a failure (failure, error) */
	MODEL_SERVER_MISSING	/* in the hierarchy file, absent from the snapshot's run */
};

/* Why the collector could not read a server (snapshot column server.failure_check, whose
 * values 'server-unreachable' and 'schema-unsupported' name the kinds; NULL in an old
 * snapshot's failed row reads as unreachable). */
enum model_failure {
	MODEL_FAILURE_NONE,
	MODEL_FAILURE_UNREACHABLE,	/* connection, login, timeout, a query failed */
	MODEL_FAILURE_SCHEMA		/* SUSDB lacks what a required query needs */
};

/* How a configured upstream name matched a server of the hierarchy (R5). EXACT is "the same
 * naming convention"; the others name the right machine by another convention. */
enum model_name_match {
	MODEL_MATCH_NONE,
	MODEL_MATCH_EXACT,	/* the server's name (its FQDN), case-insensitive */
	MODEL_MATCH_ALIAS,	/* one of its NetBIOS aliases from the hierarchy file */
	MODEL_MATCH_NETBIOS,	/* the first label of its FQDN */
	MODEL_MATCH_IP		/* an IP address listed among its aliases */
};

/* "name", "alias", "NetBIOS name", "IP address" (NULL for NONE). */
const char *model_name_match_name(enum model_name_match m);

/* Settings from tbConfigurationA/B/C and tbSingletonData; ints are -1 when NULL/unknown, or
 * when out of their documented range (then model_server.invalid names the value). */
struct model_config {
	int present;			/* the snapshot has a configuration row */
	const char *server_id;
	int sync_to_mu;
	const char *upstream_name;
	int upstream_port;
	int upstream_ssl;
	int replica_mode;
	int host_on_mu;
	int lazy_sync;
	int express_files;
	int use_proxy;
	const char *proxy_name;
	int proxy_port;
	int proxy_anonymous;
	const char *proxy_user;
	const char *proxy_domain;
	int proxy_password_set;
	int proxy_credentials_non_ssl;
	int bits_foreground;
	const char *content_path;
	int all_languages;
	int uss_host_on_mu;
	const char *last_config_change;
	const char *mu_url;
};

struct model_language {
	int id;				/* LCID; 0 = neutral */
	const char *short_name;		/* "en", may be NULL */
	int enabled;			/* -1 unknown */
	int uss_enabled;		/* -1 unknown; "offered by the upstream" (LIKELY, Q7a) */
};

/* A product or classification; the server's array is sorted by guid. */
struct model_category {
	struct model_guid guid;
	const char *type;		/* "Product" | "UpdateClassification" | NULL */
	const char *title;
	int subscribed;
};

/* Counts computed in SQL when the model is loaded; -1 when unknown. */
struct model_aggregates {
	long long updates;		/* updates with their latest revision */
	long long declined;
	long long approvals;		/* approval rows with action 0/1 (install/uninstall) */
	long long approved_updates;	/* distinct updates with such an approval */
	long long approved_state4;	/* ... whose latest revision is in state 4 (not ready) */
	long long approved_state7;	/* state 7 (download failed) */
	long long approved_state8;	/* state 8 (EULA download failed) */
	long long pending_approvals;	/* action 0/1 rows still pending (DeploymentStatus 0) */
	long long queue_files;		/* tbFileDownloadProgress rows */
	long long queue_bytes;
	long long queue_downloaded_bytes;
};

struct model_sync_event {
	int event_id;			/* 381/382 start, 384 success, 386/387 failure (Q4) */
	const char *time;		/* as stored (UTC ISO 8601) */
	time_t at;			/* parsed; 0 when unparsable */
	long long hresult;		/* Win32HResult; 0 when NULL */
	const char *message;
	const char *misc_data;
};

/* A row of the server's tbDownstreamServerTarget: a downstream that syncs from it. */
struct model_downstream {
	const char *account_name;
	const char *account_server_id;
	const char *version;
	int is_replica;
	const char *last_sync_time;
	int server;			/* matched to the hierarchy, or -1 */
};

struct model_missing_column {
	const char *table;
	const char *column;		/* "*" when the whole table is missing */
};

/* A value the snapshot holds outside its column's documented range (a port of 4294975826,
 * a BIT of 2): the model holds -1 (unknown) for it, never a truncation. */
struct model_invalid_value {
	const char *table;
	const char *column;		/* SUSDB names, as struct model_missing_column */
	long long value;
	const char *message;		/* "ServerPortNumber is 4294975826, outside 1-65535" */
	int whole_table;		/* a row's key: every column of the table is in doubt */
};

/* Maintenance health facts of one server (issue 16, queries/superseded_count.sql ...
 * database_state.sql); counts are -1 when unknown. */
struct model_health_update {
	const char *guid, *created, *title, *kb;
};
struct model_health_index {
	const char *table, *name, *first_column;
};
struct model_health_fragment {
	const char *table, *name;
	long long pages;
	long long fragmentation_x100;	/* avg_fragmentation_in_percent x 100 */
};
struct model_health_client_age {
	int age_days;			/* days since last contact at collection; -1 never */
	long long clients;
};
struct model_health_unavailable {
	const char *query;		/* "index_fragmentation" */
	const char *reason;		/* "denied" (a right) | "missing" (an object) */
	const char *error;		/* SQL Server's message, with server and query */
};
struct model_health {
	int collected;			/* the snapshot has maintenance facts for the server */
	long long superseded;		/* vwMinimalUpdate IsSuperseded = 1 AND Declined = 0 */
	const char *oldest_superseded;	/* CreationDate of the oldest, NULL when none */
	struct model_health_update *oldest;	/* the 20 oldest, oldest first */
	size_t noldest;
	struct model_health_index *indexes;
	size_t nindexes;
	struct model_health_fragment *fragments;	/* indexes above 10 pages */
	size_t nfragments;
	long long data_kb, log_kb;
	int engine_edition;		/* SERVERPROPERTY('EngineEdition'): 4 Express; -1 */
	long long event_rows, revision_rows, computer_rows;	/* sys.partitions */
	struct model_health_client_age *client_ages;
	size_t nclient_ages;
	const char *db_state, *db_user_access, *db_owner;	/* NULL owner: unresolved */
	int db_owner_sid_set;
	int have_superseded, have_size, have_state;	/* their one-row query ran */
	struct model_health_unavailable *unavailable;
	size_t nunavailable;
};

struct model_server {
	const char *name;
	const struct server *entry;	/* its hierarchy entry (role, expected upstream/replica) */
	long long key;			/* snapshot server_key, 0 when not in the snapshot */
	enum model_collect_status status;
	enum model_failure failure;	/* NONE unless status is FAILED */
	const char *error;
	struct model_missing_column *missing;
	size_t nmissing;
	struct model_config config;
	struct model_language *languages;	/* sorted by id */
	size_t nlanguages;
	const struct model_category *categories;	/* sorted by guid */
	size_t ncategories;
	struct model_aggregates agg;
	struct model_sync_event *events;	/* newest first */
	size_t nevents;
	struct model_downstream *downstreams;
	size_t ndownstreams;
	/* Its configured upstream matched to the hierarchy (only when sync_to_mu is 0). */
	int upstream;			/* index into model.servers, or -1 */
	enum model_name_match upstream_match;
	/* WSUS version: from its upstream's tbDownstreamServerTarget (by ServerID, INFERRED
	 * join, or by name), else the hierarchy's wsus-version attribute; NULL when unknown. */
	const char *wsus_version;
	const char *wsus_version_source;
	/* Hook for --store: the languages enabled at the previous stored audit (NULL: none). */
	const int *previous_languages;
	size_t nprevious_languages;
	/* Where its heavy data lives (a plan model borrows the current model's snapshot). */
	sqlite3 *db;
	int planned_new;		/* a plan's new server: role settings, no updates yet */
	int packed;			/* its updates are in format 2's packs (else format 1) */
	int categories_known;		/* format 2: update categories were collected */
	struct model_health health;	/* maintenance health (model_health.c) */
	int planned_moved;		/* a plan puts it in another site or under another upstream */
	time_t collected_at;		/* when its collection ended (server.finished_at); 0 unknown */
	/* Added: how the collector connected (server_connection), in the arena; NULL when the
	 * snapshot has none (an older snapshot, or no login succeeded) */
	const struct report_connection *connection;
	struct model_invalid_value *invalid;	/* out-of-range values (issue 12.6) */
	size_t ninvalid;
};

struct model_category_set;

struct model {
	struct arena arena;
	struct hierarchy *h;		/* the hierarchy the model follows */
	int owns_hierarchy;
	sqlite3 *db;			/* the snapshot; owned when owns_db */
	int owns_db;
	long run_id;
	const char *hierarchy_name;
	struct model_server *servers;	/* hierarchy order, one per hierarchy server */
	size_t nservers;
	int is_plan;
	time_t collected_at;		/* when the run's collection ended (run.finished_at) */
	/* Added: ConfigMgr's intent from the run's site database (model_cm.h), or NULL when the
	 * hierarchy names none; owned by the model. */
	struct model_cm *cm;
	/* Added: texts every server shares (category titles, update titles), one copy each, and
	 * the distinct category lists, so servers with the same categories share one array. */
	struct intern strings;
	struct model_category_set *category_sets;
	size_t ncategory_sets, category_sets_cap;
};

/* Text column `i` of the current row copied into `a`, whole: SQL Server text may hold NUL,
 * which would end a C string and silently drop the rest, so each NUL becomes U+2400 (the
 * visible SYMBOL FOR NULL). The snapshot keeps the value as the server sent it. NULL for SQL
 * NULL. */
const char *model_column_text(struct arena *a, sqlite3_stmt *st, int i);
/* The same text interned in m->strings (intern.h): for columns whose values repeat on every
 * server. Text holding NUL gets model_column_text()'s own copy instead. */
const char *model_shared_text(struct model *m, sqlite3_stmt *st, int i);

/* Opens a snapshot, picks the run (0 = the latest complete one), loads the hierarchy stored in
 * it with hierarchy_load_memory() and builds the model. Returns 0, or -1 after logging.
 * Free with model_free(). `o` may be NULL. */
int model_open(const char *snapshot_path, long run_id, const struct check_options *o,
	       struct model **out);

/* Builds the model from an open snapshot and a ready hierarchy, which must outlive the model
 * (neither db nor h is owned). run_id 0 = the latest complete run. Returns 0 or -1 (logged). */
int model_from_db(sqlite3 *db, long run_id, struct hierarchy *h, const struct check_options *o,
		  struct model **out);

void model_free(struct model *m);

/* Matches configured upstreams and downstream rows to the hierarchy and resolves versions;
 * model_from_db() and model_apply_plan() call it once the servers are filled. */
void model_resolve_links(struct model *m);

/* Index of the server with that name (case-insensitive), or -1. */
int model_find_server(const struct model *m, const char *name);

/* 1 when `label` (no dot) is the first label of `fqdn` (NetBIOS convention), else 0. */
int model_name_is_netbios_of(const char *fqdn, const char *label);

/* Matches a name as a downstream would write it to a server of the hierarchy; sets *how. */
int model_match_name(const struct model *m, const char *name, enum model_name_match *how);

/* 1 when the server's data was read (or it is a plan's new server), else 0. */
int model_server_readable(const struct model_server *s);

/* The server's enabled language ids, or whether one is enabled. */
int model_language_enabled(const struct model_server *s, int id);
const struct model_language *model_language_find(const struct model_server *s, int id);
const struct model_category *model_category_find(const struct model_server *s,
						 const struct model_guid *g);

/* The message of the server's out-of-range value in that SUSDB column (any column of the
 * table when column is NULL), or NULL when its values are in range. */
const char *model_server_invalid(const struct model_server *s, const char *table,
				 const char *column);

/* 1 when the server lacks that SUSDB column (or its whole table). */
int model_server_lacks(const struct model_server *s, const char *table, const char *column);

/* Compares dotted versions part by part numerically ("10.0.17763.1" < "10.0.17763.678");
 * returns <0, 0, >0. */
int model_version_compare(const char *a, const char *b);

/* Parses a snapshot time ('2026-11-22T03:00:00.000Z', also with a space, without ms or Z) as
 * UTC; 0 when unparsable. */
time_t model_parse_time(const char *text);

/* Heavy data of one server, loaded on demand. */
struct detail_update {
	struct model_guid guid;
	int revision;
	int declined;
	int state;			/* tbRevision.State, -1 unknown */
	uint32_t lang_first, nlangs;	/* into server_detail.languages */
	uint32_t appr_first, nappr;	/* into server_detail.approvals */
};

struct detail_group {
	struct model_guid guid;
	const char *name;
};

struct detail_approval {
	uint32_t update;		/* index into updates */
	uint32_t group;			/* index into groups */
	int revision;
	int action;			/* 0 install, 1 uninstall, 2 scan, 3 block */
	int status;			/* 0 pending, 1 active, -1 unknown */
};

struct server_detail {
	size_t server;
	struct arena arena;		/* group names */
	struct detail_update *updates;	/* sorted by guid */
	size_t nupdates;
	int *languages;			/* language ids of updates (0 = neutral) */
	size_t nlanguages;
	struct detail_approval *approvals;	/* sorted by (update, group guid) */
	size_t napprovals;
	struct detail_group *groups;	/* sorted by guid */
	size_t ngroups;
	sqlite3_stmt *text_stmt;	/* point lookup of title/KB/type */
	sqlite3_stmt *category_stmt;	/* point lookup of an update's categories */
	long long key;
	int loaded;
	int packed;			/* lookups by (GUID blob, revision) in the catalogue */
};

/* Loads the updates, their languages and the approvals of one server (titles, KBs and
 * categories are not loaded: see detail_update_text and detail_update_categories). A server without data (unreachable, plan's
 * new server) gives an empty detail. Returns 0 or -1 (logged); release with
 * server_detail_release() in both cases. */
int model_load_detail(const struct model *m, size_t server, struct server_detail *out);
void server_detail_release(struct server_detail *d);

/* How many details are loaded now, and the most at once since the last reset (tests). */
size_t model_detail_live(void);
size_t model_detail_peak(void);
void model_detail_reset_peak(void);

/* Index of the update with that guid in the detail, or -1. */
long detail_find_update(const struct server_detail *d, const struct model_guid *g);

/* Title, KB and update type of one update by point lookup; copies into `a`, NULL when
 * unknown. */
void detail_update_text(const struct server_detail *d, size_t update, struct arena *a,
			const char **title, const char **kb, const char **type);

/* The categories of one update by point lookup, as pointers into the model categories of `s`
 * (the detail's server) allocated in `a`; returns their count (0: none known, or the lookup
 * failed). Categories the server's category table lacks are left out. */
size_t detail_update_categories(const struct server_detail *d, const struct model_server *s,
				size_t update, struct arena *a, const struct model_category ***out);

/* Added (model_connection.c): fills every server's connection from the snapshot's
 * server_connection table, when the snapshot has one. Returns 0, or -1 after logging. */
int model_load_connections(sqlite3 *db, struct model *m);

/* The servers as reports show them, in `a`; *out has m->nservers entries. */
void model_fill_report_servers(const struct model *m, struct arena *a,
			       struct report_server **out, size_t *n);

/* The report name of a role (same strings as server_role_name()). */
const char *model_role_name(enum server_role role);

/* Loads the maintenance health facts of one collected server into s->health (an older
 * snapshot without the health tables leaves it not collected). Returns 0 or -1 (logged). */
int model_load_health(sqlite3 *db, struct model *m, struct model_server *s);

/* Why the facts of `query` ("index_fragmentation") are missing for s, or NULL when it ran. */
const struct model_health_unavailable *model_health_unavailable(const struct model_server *s,
								 const char *query);

/* The maintenance order of the hierarchy: each server's depth below its top (0 = syncs from
 * Microsoft Update or has no readable upstream), following configured upstreams. Fills
 * depth[m->nservers] (-1 for a server in an upstream loop) and returns the deepest tier. */
int model_health_depths(const struct model *m, int *depth);

/* Pre-change validation: the model as `plan` describes it. Existing servers (matched by name)
 * keep their data with their <planned> overrides applied; a new server (no `sql`) takes what its
 * role requires (upstream, port, SSL and replica mode as expected, storage and languages like
 * its upstream, no updates or approvals, reachable). The planned model borrows `current`'s
 * data and snapshot: free it before `current`; `plan` must outlive it. Returns 0 or -1. */
int model_apply_plan(const struct model *current, struct hierarchy *plan, struct model **out);

/* Marks each planned finding new or unchanged against the current findings (same check, server
 * and related servers) and appends the current findings that disappeared as resolved. */
void plan_compare(const struct findings *current, struct findings *planned);

#endif
