/* history: audits and fixes kept in the store, and each audit compared with the previous one. */
#include "history.h"
#include "history_store.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "embedded.h"
#include "evidence.h"
#include "json_write.h"
#include "infile.h"
#include "log.h"
#include "report_escape.h"
#include "snapshot.h"
#include "version.h"
#include "xalloc.h"

/* A finding of the previous audit, as stored. */
struct prev_finding {
	const char *key, *check, *rule, *server, *related, *message, *remedy;
	enum severity severity;
	int suppressed;
	int matched;
	int carried;	  /* not evaluated this time: neither seen nor resolved */
	long long rowid;  /* its row in audit_finding, copied forward when carried */
};

/* A server's enabled languages at the previous audit. */
struct prev_server {
	const char *name;
	int *languages;
	size_t nlanguages;
};

struct history {
	sqlite3 *db;
	char *path;
	int in_audit;	       /* BEGIN IMMEDIATE taken, not yet committed */
	struct arena arena;    /* the previous audit's rows */
	long long previous_id; /* 0: no previous audit of this hierarchy */
	const char *previous_at;
	struct prev_finding *prev;
	size_t nprev;
	struct prev_server *servers;
	size_t nservers;
};

#define TREND_POINTS 30

static int db_fail(struct history *h, const char *what)
{
	return log_error("store '%s': could not %s: %s", h->path, what, sqlite3_errmsg(h->db));
}

static int exec(struct history *h, const char *sql, const char *what)
{
	if (sqlite3_exec(h->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(h, what);
	return 0;
}

static int prepare(struct history *h, const char *sql, sqlite3_stmt **st)
{
	if (sqlite3_prepare_v2(h->db, sql, -1, st, NULL) != SQLITE_OK)
		return db_fail(h, "prepare a statement");
	return 0;
}

static const char *col_text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static void iso_time(time_t t, char *buf, size_t size)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Whether the file holds both the snapshot's and the history's format marks. */
static int check_format(struct history *h)
{
	sqlite3_stmt *st;
	int found = 0;

	if (sqlite3_prepare_v2(
		h->db,
		"SELECT count(*) FROM snapshot_meta WHERE (key = 'format' AND value IN"
		" ('susaudit-snapshot/1', 'susaudit-snapshot/2')) OR (key = 'history' AND"
		" value = 'susaudit-history/1')",
		-1, &st, NULL) != SQLITE_OK)
		return log_error("'%s' is not a susaudit history store", h->path);
	if (sqlite3_step(st) == SQLITE_ROW)
		found = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (found != 2)
		return log_error("'%s' is not a susaudit history store of a format this version "
				 "reads",
				 h->path);
	return 0;
}

/* A store created before the 'unknown' outcome existed: its fix_journal is rebuilt with the
 * current definition (SQLite cannot change a CHECK in place), rows kept. */
static int allow_unknown_outcome(struct history *h)
{
	sqlite3_stmt *st;
	int old = 0;

	if (prepare(h, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = "
		       "'fix_journal'",
		    &st) < 0)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW && col_text(st, 0))
		old = !strstr(col_text(st, 0), "'unknown'");
	sqlite3_finalize(st);
	if (!old)
		return 0;
	if (exec(h,
		 "BEGIN IMMEDIATE; ALTER TABLE fix_journal RENAME TO fix_journal_old; "
		 "DROP INDEX IF EXISTS fix_journal_by_server;",
		 "rebuild the fix journal") < 0 ||
	    exec(h, embedded_text(EMBED_MODEL_HISTORY_SQL), "rebuild the fix journal") < 0 ||
	    exec(h,
		 "INSERT INTO fix_journal SELECT * FROM fix_journal_old; "
		 "DROP TABLE fix_journal_old; COMMIT;",
		 "rebuild the fix journal") < 0) {
		sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return 0;
}

int history_open(const char *path, int create, struct history **out)
{
	struct history *h = xcalloc(1, sizeof(*h));
	int flags = create ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY;

	*out = NULL;
	h->path = xstrdup(path);
	arena_init(&h->arena);
	if (infile_check_regular(path, create) < 0) { /* SQLite would wait on a FIFO */
		history_close(h);
		return -1;
	}
	if (sqlite3_open_v2(path, &h->db, flags, NULL) != SQLITE_OK) {
		log_error("could not open store '%s': %s", path,
			  h->db ? sqlite3_errmsg(h->db) : "out of memory");
		history_close(h);
		return -1;
	}
	sqlite3_busy_timeout(h->db, 30000);
	if (create &&
	    (snapshot_db_check_ours(h->db, path, "history store") < 0 ||
	     exec(h, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;", "set WAL mode") <
		 0 ||
	     exec(h, embedded_text(EMBED_MODEL_SNAPSHOT_SQL), "create its snapshot schema") < 0 ||
	     exec(h, embedded_text(EMBED_MODEL_HISTORY_SQL), "create its history schema") < 0 ||
	     allow_unknown_outcome(h) < 0)) {
		history_close(h);
		return -1;
	}
	/* a format-1 store becomes format 2 at its first write, in one transaction */
	if (check_format(h) < 0 || (create && snapshot_migrate(h->db, path) < 0)) {
		history_close(h);
		return -1;
	}
	*out = h;
	return 0;
}

void history_close(struct history *h)
{
	if (!h)
		return;
	if (h->in_audit)
		sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(h->db);
	arena_release(&h->arena);
	free(h->prev);
	free(h->servers);
	free(h->path);
	free(h);
}

sqlite3 *history_connection(struct history *h)
{
	return h->db;
}

const char *history_path(const struct history *h)
{
	return h->path;
}

/* "check|server|related1 related2": the identity of a finding across audits. */
static char *finding_key(struct arena *a, const char *check, const char *server,
			 const char *related)
{
	return arena_printf(a, "%s|%s|%s", check, server ? server : "", related ? related : "");
}

static char *related_text(struct arena *a, const struct finding *f)
{
	size_t i, len = 1;
	char *s;

	for (i = 0; i < f->nrelated; i++)
		len += strlen(f->related[i]) + 1;
	s = arena_alloc(a, len);
	s[0] = '\0';
	for (i = 0; i < f->nrelated; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, f->related[i]);
	}
	return s;
}

static int load_previous_findings(struct history *h)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	if (prepare(h,
		    "SELECT finding_key, check_name, rule, severity, server, related, message,"
		    " remedy, suppressed, rowid FROM audit_finding WHERE audit_id = ?1 AND"
		    " status <> 'resolved' ORDER BY rowid",
		    &st) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, h->previous_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct prev_finding *p;
		const char *sev = col_text(st, 3);

		h->prev = xgrow(h->prev, &cap, h->nprev + 1, sizeof(*h->prev));
		p = &h->prev[h->nprev++];
		memset(p, 0, sizeof(*p));
		p->key = arena_strdup(&h->arena, col_text(st, 0));
		p->check = arena_strdup(&h->arena, col_text(st, 1));
		p->rule = arena_strdup(&h->arena, col_text(st, 2));
		if (severity_parse(sev ? sev : "", &p->severity) < 0)
			p->severity = SEVERITY_WARNING;
		p->server = arena_strdup(&h->arena, col_text(st, 4));
		p->related = arena_strdup(&h->arena, col_text(st, 5));
		p->message = arena_strdup(&h->arena, col_text(st, 6));
		p->remedy = arena_strdup(&h->arena, col_text(st, 7));
		p->suppressed = sqlite3_column_int(st, 8);
		p->rowid = sqlite3_column_int64(st, 9);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_fail(h, "read the previous audit's findings");
}

/* Parses "1033 1041" into an arena array; empty gives a valid pointer with no items. */
static void parse_languages(struct arena *a, const char *text, int **out, size_t *n)
{
	size_t cap = 1;
	const char *p;
	char *end;

	for (p = text; p && *p; p++)
		cap += *p == ' ';
	*out = arena_alloc(a, cap * sizeof(**out));
	*n = 0;
	for (p = text; p && *p;) {
		long v = strtol(p, &end, 10);

		if (end == p)
			break;
		if (*n < cap)
			(*out)[(*n)++] = (int)v;
		p = end;
	}
}

static int load_previous_servers(struct history *h)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	if (prepare(h,
		    "SELECT server, languages FROM audit_server WHERE audit_id = ?1 AND"
		    " readable = 1",
		    &st) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, h->previous_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct prev_server *s;

		h->servers = xgrow(h->servers, &cap, h->nservers + 1, sizeof(*h->servers));
		s = &h->servers[h->nservers++];
		s->name = arena_strdup(&h->arena, col_text(st, 0));
		parse_languages(&h->arena, col_text(st, 1), &s->languages, &s->nlanguages);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_fail(h, "read the previous audit's servers");
}

int history_audit_begin(struct history *h, const char *hierarchy)
{
	sqlite3_stmt *st;
	int rc;

	/* IMMEDIATE: the write lock now, so the previous audit read is still the previous one
	 * when this one is recorded */
	if (exec(h, "BEGIN IMMEDIATE", "start recording the audit") < 0)
		return -1;
	h->in_audit = 1;
	if (prepare(h,
		    "SELECT audit_id, audited_at FROM audit WHERE hierarchy_name = ?1"
		    " ORDER BY audit_id DESC LIMIT 1",
		    &st) < 0)
		return -1;
	sqlite3_bind_text(st, 1, hierarchy, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		h->previous_id = sqlite3_column_int64(st, 0);
		h->previous_at = arena_strdup(&h->arena, col_text(st, 1));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(h, "read the previous audit");
	if (!h->previous_id)
		return 0;
	if (load_previous_findings(h) < 0 || load_previous_servers(h) < 0)
		return -1;
	return 0;
}

void history_set_previous_languages(const struct history *h, struct model *m)
{
	size_t i, k;

	for (i = 0; i < m->nservers; i++) {
		struct model_server *s = &m->servers[i];

		if (!model_server_readable(s) || s->planned_new)
			continue;
		for (k = 0; k < h->nservers; k++) {
			if (strcmp(h->servers[k].name, s->name) != 0)
				continue;
			s->previous_languages = h->servers[k].languages;
			s->nprevious_languages = h->servers[k].nlanguages;
			break;
		}
	}
}

/* The unmatched previous finding with this key, preferring one with the same message. */
static struct prev_finding *match_previous(struct history *h, const char *key, const char *message)
{
	struct prev_finding *any = NULL;
	size_t i;

	for (i = 0; i < h->nprev; i++) {
		struct prev_finding *p = &h->prev[i];

		if (p->matched || strcmp(p->key, key) != 0)
			continue;
		if (strcmp(p->message, message) == 0)
			return p;
		if (!any)
			any = p;
	}
	return any;
}

/* A resolved finding rebuilt from its stored row; its evidence says when it was last seen. */
static void resolved_from(struct history *h, const struct prev_finding *p, struct arena *a,
			  struct finding *f)
{
	const char *s;
	size_t n = 0;

	memset(f, 0, sizeof(*f));
	f->check = arena_strdup(a, p->check);
	f->rule = arena_strdup(a, p->rule ? p->rule : "-");
	f->severity = p->severity;
	f->server = p->server && *p->server ? arena_strdup(a, p->server) : NULL;
	for (s = p->related; s && *s; s++)
		n += (s == p->related || s[-1] == ' ') && *s != ' ';
	f->related = arena_alloc(a, (n ? n : 1) * sizeof(*f->related));
	for (s = p->related; s && *s;) {
		size_t len = strcspn(s, " ");

		if (len)
			f->related[f->nrelated++] = arena_strndup(a, s, len);
		s += len + (s[len] == ' ');
	}
	f->message = arena_strdup(a, p->message);
	f->remedy = arena_strdup(a, p->remedy);
	f->evidence = evidence_object(a);
	evidence_set_string(a, f->evidence, "last_seen", h->previous_at);
	f->change = CHANGE_RESOLVED;
	f->suppressed = p->suppressed;
}

void history_compare(struct history *h, struct findings *f, struct arena *a,
		     struct finding **resolved, size_t *nresolved,
		     int (*evaluated)(const struct finding *gone, void *data), void *data)
{
	struct findings gone;
	size_t i;

	for (i = 0; i < h->nprev; i++)
		h->prev[i].matched = h->prev[i].carried = 0;
	for (i = 0; i < f->count; i++) {
		struct finding *x = &f->items[i];
		const char *key = finding_key(a, x->check, x->server, related_text(a, x));
		struct prev_finding *p = match_previous(h, key, x->message);

		x->change = p ? CHANGE_PERSISTING : CHANGE_NEW;
		if (p)
			p->matched = 1;
	}
	*resolved = xcalloc(h->nprev ? h->nprev : 1, sizeof(**resolved));
	*nresolved = 0;
	for (i = 0; i < h->nprev; i++) {
		struct finding *x = &(*resolved)[*nresolved];

		if (h->prev[i].matched)
			continue;
		resolved_from(h, &h->prev[i], a, x);
		/* a check not run, or a server not read, this time says nothing about it */
		if (evaluated && !evaluated(x, data))
			h->prev[i].carried = 1;
		else
			(*nresolved)++;
	}
	/* sorted like the findings, without taking ownership of the array */
	gone.arena = a;
	gone.items = *resolved;
	gone.count = gone.cap = *nresolved;
	findings_sort(&gone);
}

int history_report_changed(const struct report *r)
{
	size_t i;

	for (i = 0; i < r->nfindings; i++)
		if (r->findings[i].change == CHANGE_NEW && !r->findings[i].suppressed)
			return 1;
	for (i = 0; i < r->nresolved; i++)
		if (!r->resolved[i].suppressed)
			return 1;
	return 0;
}

static int fill_trend(struct history *h, struct report *r, struct arena *a)
{
	struct report_trend_point *t = arena_alloc(a, TREND_POINTS * sizeof(*t));
	sqlite3_stmt *st;
	size_t n = 0, i;
	int rc;

	if (prepare(h,
		    "SELECT a.audited_at, a.errors, a.warnings, a.infos,"
		    " (SELECT SUM(x.superseded) FROM audit_health x WHERE x.audit_id = a.audit_id)"
		    " FROM audit a WHERE a.hierarchy_name = ?1 ORDER BY a.audit_id DESC LIMIT ?2",
		    &st) < 0)
		return -1;
	sqlite3_bind_text(st, 1, r->hierarchy, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, TREND_POINTS - 1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		t[n].at = model_parse_time(col_text(st, 0));
		t[n].error = sqlite3_column_int(st, 1);
		t[n].warning = sqlite3_column_int(st, 2);
		t[n].info = sqlite3_column_int(st, 3);
		t[n].superseded =
		    sqlite3_column_type(st, 4) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 4);
		n++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(h, "read past audits");
	for (i = 0; i < n / 2; i++) {
		struct report_trend_point x = t[i];

		t[i] = t[n - 1 - i];
		t[n - 1 - i] = x;
	}
	t[n].at = r->generated_at;
	report_count(r, &t[n].error, &t[n].warning, &t[n].info);
	t[n].superseded = -1;
	for (i = 0; i < r->nmaintenance; i++)
		if (r->maintenance[i].superseded >= 0)
			t[n].superseded = (t[n].superseded < 0 ? 0 : t[n].superseded) +
					  r->maintenance[i].superseded;
	r->trend = t;
	r->ntrend = n + 1;
	return 0;
}

int history_decorate(struct history *h, struct report *r, struct arena *a)
{
	size_t i;

	if (fill_trend(h, r, a) < 0)
		return -1;
	for (i = 0; i < r->nservers; i++) {
		struct report_server *s = &r->servers[i];
		char *at = NULL, *who = NULL;
		int before, rc;

		if (s->bits_foreground != 1)
			continue;
		rc = history_last_applied(h, s->name, "bits-foreground", &before, &at, &who);
		if (rc < 0)
			return -1;
		if (rc == 0)
			s->bits_fix_note =
			    arena_printf(a, "applied %s by %s", at ? at : "?", who ? who : "?");
		free(at);
		free(who);
	}
	return 0;
}

static char *evidence_text(const struct evidence *e)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return xstrdup("{}");
	json_write_evidence(f, e, -1); /* compact, the JSON report's escaping */
	fclose(f);
	return buf;
}

static int insert_finding(struct history *h, sqlite3_stmt *st, long long audit_id,
			  const struct finding *f, struct arena *a)
{
	const char *related = related_text(a, f);
	char *evidence = evidence_text(f->evidence);
	int rc;

	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, audit_id);
	sqlite3_bind_text(st, 2, finding_key(a, f->check, f->server, related), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, f->check, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, f->rule, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, severity_name(f->severity), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, f->server, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, related, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, f->message ? f->message : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, f->remedy, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, evidence, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 11, finding_change_name(f->change), -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 12, f->suppressed != 0);
	rc = sqlite3_step(st);
	free(evidence);
	return rc == SQLITE_DONE ? 0 : db_fail(h, "store a finding");
}

static int insert_findings(struct history *h, long long audit_id, const struct report *r)
{
	struct arena a;
	sqlite3_stmt *st;
	size_t i;
	int rc = 0;

	if (prepare(h,
		    "INSERT INTO audit_finding (audit_id, finding_key, check_name, rule, severity,"
		    " server, related, message, remedy, evidence, status, suppressed) VALUES (?1,"
		    " ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
		    &st) < 0)
		return -1;
	arena_init(&a);
	for (i = 0; rc == 0 && i < r->nfindings; i++)
		rc = insert_finding(h, st, audit_id, &r->findings[i], &a);
	for (i = 0; rc == 0 && i < r->nresolved; i++)
		rc = insert_finding(h, st, audit_id, &r->resolved[i], &a);
	sqlite3_finalize(st);
	arena_release(&a);
	return rc;
}

/* Previous findings this audit could not evaluate stay open in it as they were, so the next
 * audit still compares with them. */
static int insert_carried(struct history *h, long long audit_id)
{
	sqlite3_stmt *st;
	size_t i;
	int rc = SQLITE_DONE;

	if (prepare(h,
		    "INSERT INTO audit_finding (audit_id, finding_key, check_name, rule, severity,"
		    " server, related, message, remedy, evidence, status, suppressed) SELECT ?1,"
		    " finding_key, check_name, rule, severity, server, related, message, remedy,"
		    " evidence, 'persisting', suppressed FROM audit_finding WHERE rowid = ?2",
		    &st) < 0)
		return -1;
	for (i = 0; rc == SQLITE_DONE && i < h->nprev; i++) {
		if (!h->prev[i].carried)
			continue;
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, audit_id);
		sqlite3_bind_int64(st, 2, h->prev[i].rowid);
		rc = sqlite3_step(st);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_fail(h, "store a finding it could not evaluate");
}

static int insert_servers(struct history *h, long long audit_id, const struct model *m)
{
	sqlite3_stmt *st;
	size_t i, k;
	int rc = SQLITE_DONE;

	if (prepare(h,
		    "INSERT OR REPLACE INTO audit_server (audit_id, server, readable, languages)"
		    " VALUES (?1, ?2, ?3, ?4)",
		    &st) < 0)
		return -1;
	for (i = 0; rc == SQLITE_DONE && i < m->nservers; i++) {
		const struct model_server *s = &m->servers[i];
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);

		if (!f) {
			sqlite3_finalize(st);
			return log_error("store '%s': out of memory", h->path);
		}
		for (k = 0; k < s->nlanguages; k++)
			if (s->languages[k].enabled == 1 && s->languages[k].id)
				fprintf(f, "%s%d", ftell(f) ? " " : "", s->languages[k].id);
		fclose(f);
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, audit_id);
		sqlite3_bind_text(st, 2, s->name, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 3, model_server_readable(s));
		sqlite3_bind_text(st, 4, buf, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		free(buf);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_fail(h, "store a server");
}

/* Maintenance health (issue 16): each readable server's superseded count at this audit. */
static int insert_health(struct history *h, long long audit_id, const struct model *m)
{
	sqlite3_stmt *st;
	size_t i;
	int rc = SQLITE_DONE;

	if (prepare(h,
		    "INSERT OR REPLACE INTO audit_health (audit_id, server, superseded)"
		    " VALUES (?1, ?2, ?3)",
		    &st) < 0)
		return -1;
	for (i = 0; rc == SQLITE_DONE && i < m->nservers; i++) {
		const struct model_server *s = &m->servers[i];

		if (!model_server_readable(s) || !s->health.collected)
			continue;
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, audit_id);
		sqlite3_bind_text(st, 2, s->name, -1, SQLITE_STATIC);
		if (s->health.have_superseded)
			sqlite3_bind_int64(st, 3, s->health.superseded);
		else
			sqlite3_bind_null(st, 3);
		rc = sqlite3_step(st);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_fail(h, "store a server's maintenance health");
}

int history_audit_record(struct history *h, const struct report *r, const struct model *m,
			 const char *snapshot_path)
{
	int error, warning, info, counts[5] = {0};
	char at[32], now[32];
	sqlite3_stmt *st;
	long long audit_id;
	size_t i;
	int rc;

	if (!h->in_audit)
		return log_error("store '%s': no audit was begun", h->path);
	report_count(r, &error, &warning, &info);
	for (i = 0; i < r->nfindings; i++)
		counts[r->findings[i].change]++;
	iso_time(r->generated_at, at, sizeof(at));
	iso_time(time(NULL), now, sizeof(now));
	if (prepare(h,
		    "INSERT INTO audit (hierarchy_name, audited_at, recorded_at, run_id,"
		    " snapshot_path, errors, warnings, infos, new_findings, persisting, resolved,"
		    " tool_version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
		    &st) < 0)
		goto fail;
	sqlite3_bind_text(st, 1, r->hierarchy, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, at, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, m->run_id);
	sqlite3_bind_text(st, 5, snapshot_path, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 6, error);
	sqlite3_bind_int(st, 7, warning);
	sqlite3_bind_int(st, 8, info);
	sqlite3_bind_int(st, 9, counts[CHANGE_NEW]);
	sqlite3_bind_int(st, 10, counts[CHANGE_PERSISTING]);
	sqlite3_bind_int64(st, 11, (long long)r->nresolved);
	sqlite3_bind_text(st, 12, SUSAUDIT_VERSION, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		db_fail(h, "store the audit");
		goto fail;
	}
	audit_id = sqlite3_last_insert_rowid(h->db);
	if (insert_findings(h, audit_id, r) < 0 || insert_carried(h, audit_id) < 0 ||
	    insert_servers(h, audit_id, m) < 0 || insert_health(h, audit_id, m) < 0 ||
	    exec(h, "COMMIT", "commit the audit") < 0)
		goto fail;
	h->in_audit = 0;
	return 0;
fail:
	sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
	h->in_audit = 0;
	return -1;
}

int history_journal_add(struct history *h, const struct history_fix *e)
{
	sqlite3_stmt *st;
	char now[32];
	int rc;

	iso_time(time(NULL), now, sizeof(now));
	if (prepare(h,
		    "INSERT INTO fix_journal (at, operator, hierarchy_name, server, fix, action,"
		    " value_before, value_after, outcome, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
		    " ?7, ?8, ?9, ?10)",
		    &st) < 0)
		return -1;
	sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, e->operator_name ? e->operator_name : "(none)", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, e->hierarchy, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, e->server, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, e->fix, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, e->action, -1, SQLITE_STATIC);
	if (e->value_before >= 0)
		sqlite3_bind_int(st, 7, e->value_before);
	if (e->value_after >= 0)
		sqlite3_bind_int(st, 8, e->value_after);
	sqlite3_bind_text(st, 9, e->outcome, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, e->detail, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_fail(h, "write the fix journal");
}

int history_last_applied(struct history *h, const char *server, const char *fix, int *value_before,
			 char **at, char **operator_name)
{
	sqlite3_stmt *st;
	int rc, ret = 1;

	*at = *operator_name = NULL;
	if (prepare(h,
		    "SELECT outcome, value_before, at, operator FROM fix_journal WHERE server = ?1"
		    " COLLATE NOCASE AND fix = ?2 AND outcome IN ('applied', 'reverted', 'unknown')"
		    " ORDER BY fix_id DESC LIMIT 1",
		    &st) < 0)
		return -1;
	sqlite3_bind_text(st, 1, server, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, fix, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	/* 'unknown': a commit whose acknowledgement was lost may have applied the change */
	if (rc == SQLITE_ROW &&
	    (strcmp(col_text(st, 0), "applied") == 0 || strcmp(col_text(st, 0), "unknown") == 0) &&
	    sqlite3_column_type(st, 1) != SQLITE_NULL) {
		*value_before = sqlite3_column_int(st, 1);
		*at = col_text(st, 2) ? xstrdup(col_text(st, 2)) : NULL;
		*operator_name = col_text(st, 3) ? xstrdup(col_text(st, 3)) : NULL;
		ret = 0;
	} else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		ret = db_fail(h, "read the fix journal");
	}
	sqlite3_finalize(st);
	return ret;
}

static const char *text_or_null(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

int history_each_audit(struct history *h, int (*fn)(const struct history_audit_row *, void *),
		       void *data)
{
	sqlite3_stmt *st;
	int rc, ret = 0;

	if (prepare(h,
		    "SELECT audit_id, hierarchy_name, audited_at, run_id, snapshot_path, errors,"
		    " warnings, infos, new_findings, persisting, resolved, tool_version FROM audit"
		    " ORDER BY audit_id",
		    &st) < 0)
		return -1;
	while (ret == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct history_audit_row a;

		a.id = sqlite3_column_int64(st, 0);
		a.hierarchy = text_or_null(st, 1);
		a.audited_at = text_or_null(st, 2);
		a.run_id = sqlite3_column_type(st, 3) == SQLITE_NULL ? -1
								     : sqlite3_column_int64(st, 3);
		a.snapshot = text_or_null(st, 4);
		a.errors = sqlite3_column_int(st, 5);
		a.warnings = sqlite3_column_int(st, 6);
		a.infos = sqlite3_column_int(st, 7);
		a.new_findings = sqlite3_column_int(st, 8);
		a.persisting = sqlite3_column_int(st, 9);
		a.resolved = sqlite3_column_int(st, 10);
		a.tool_version = text_or_null(st, 11);
		ret = fn(&a, data);
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = db_fail(h, "read its audits");
	sqlite3_finalize(st);
	return ret;
}

int history_each_change(struct history *h, long long audit_id, int by_severity,
			int (*fn)(const struct history_change *, void *), void *data)
{
	sqlite3_stmt *st;
	int rc, ret = 0;

	if (prepare(h,
		    by_severity
			? "SELECT status, severity, check_name, server, message FROM audit_finding"
			  " WHERE audit_id = ?1 AND status IN ('new', 'resolved') ORDER BY status,"
			  " CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END,"
			  " server, check_name"
			: "SELECT status, severity, check_name, server, message FROM audit_finding"
			  " WHERE audit_id = ?1 AND status IN ('new', 'resolved') ORDER BY rowid",
		    &st) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, audit_id);
	while (ret == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct history_change c;

		c.status = text_or_null(st, 0);
		c.severity = text_or_null(st, 1);
		c.check = text_or_null(st, 2);
		c.server = text_or_null(st, 3);
		c.message = text_or_null(st, 4);
		ret = fn(&c, data);
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = db_fail(h, "read an audit's findings");
	sqlite3_finalize(st);
	return ret;
}

int history_each_fix(struct history *h, int (*fn)(const struct history_fix_row *, void *),
		     void *data)
{
	sqlite3_stmt *st;
	int rc, ret = 0;

	if (prepare(h,
		    "SELECT at, operator, hierarchy_name, server, fix, action, value_before,"
		    " value_after, outcome, detail FROM fix_journal ORDER BY fix_id",
		    &st) < 0)
		return -1;
	while (ret == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct history_fix_row f;

		f.at = text_or_null(st, 0);
		f.operator_name = text_or_null(st, 1);
		f.hierarchy = text_or_null(st, 2);
		f.server = text_or_null(st, 3);
		f.fix = text_or_null(st, 4);
		f.action = text_or_null(st, 5);
		f.has_before = sqlite3_column_type(st, 6) != SQLITE_NULL;
		f.value_before = sqlite3_column_int(st, 6);
		f.has_after = sqlite3_column_type(st, 7) != SQLITE_NULL;
		f.value_after = sqlite3_column_int(st, 7);
		f.outcome = text_or_null(st, 8);
		f.detail = text_or_null(st, 9);
		ret = fn(&f, data);
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = db_fail(h, "read the fix journal");
	sqlite3_finalize(st);
	return ret;
}
