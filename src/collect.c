/* collect: one worker thread per job takes the next server, reads it whole or records why not. */
#include "collect.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "collect_cm.h"
#include "collect_queries.h"
#include "dbsource.h"
#include "dbsource_tls.h"
#include "export_read.h"
#include "export_snapshot.h"
#include "export_write.h"
#include "log.h"
#include "progress.h"
#include "snapshot.h"
#include "xalloc.h"

/* Read uncommitted: the audit takes no shared locks, so it never blocks WSUS's own writers
 * (a sync, the cleanup wizard); it yields in a deadlock and waits at most 30 s for a lock. */
const char collect_session_setup[] = "SET NOCOUNT ON; SET LOCK_TIMEOUT 30000; "
				    "SET DEADLOCK_PRIORITY LOW; "
				    "SET TRANSACTION ISOLATION LEVEL READ UNCOMMITTED";

struct collect_ctx {
	const struct hierarchy *h;
	const struct collect_options *o;
	const char *export_dir;	/* wid: --export-dir, or NULL */
	struct snapshot *snap;
	struct progress *progress;
	long long run_id;
	pthread_mutex_t lock;
	size_t next;		/* next server to take */
	size_t failed;
	long long rows;
	size_t exports_failed;
	atomic_int fatal;	/* the snapshot could not be written: stop everyone (every
				 * worker writes and reads it, hence atomic) */
	char *exposed;		/* servers whose password went in clear or unverified, "a, b" */
	size_t nexposed;
};

/* One server being collected. */
struct server_job {
	struct collect_ctx *ctx;
	const struct server *s;
	int slot;
	long long key;
	struct db_conn *conn;
	long long rows;
	const char *phase;
	int connection_recorded;	/* server_connection written for this server */
	char **columns;		/* "table.column" the probe found */
	size_t ncolumns, columns_cap;
	enum snapshot_table table;
	int store_error;
	/* wid: the rows' other source and copy (export_read.h, export_write.h), or NULL */
	struct export_file *in;
	struct export_writer *out;
};

static int store_row(void *data, const struct db_value *values, size_t n)
{
	struct server_job *j = data;

	if (snapshot_insert(j->ctx->snap, j->table, j->key, values, n) < 0) {
		j->store_error = 1;
		return -1;
	}
	if (j->out)
		export_writer_row(j->out, values, n);
	j->rows++;
	if ((j->rows & 1023) == 0)
		progress_update(j->ctx->progress, j->slot, j->s->name, j->phase, j->rows);
	return 0;
}

static int remember_column(void *data, const struct db_value *values, size_t n)
{
	struct server_job *j = data;

	if (j->out)
		export_writer_row(j->out, values, n);
	if (values[0].is_null || values[1].is_null)
		return 0;
	j->columns = xgrow(j->columns, &j->columns_cap, j->ncolumns + 1, sizeof(*j->columns));
	j->columns[j->ncolumns++] = xasprintf("%s.%s", values[0].text, values[1].text);
	return 0;
}

static int has_column(const struct server_job *j, const char *need)
{
	size_t i;

	/* SUSDB's default collation is case-insensitive, and so are its names */
	for (i = 0; i < j->ncolumns; i++)
		if (strcasecmp(j->columns[i], need) == 0)
			return 1;
	return 0;
}

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

static enum db_status connect_server(struct server_job *j, char **error)
{
	const struct connection_settings *cs = &j->s->conn;
	struct db_target t = {j->s->name,	   cs->sql,	      cs->database, cs->user,
			      NULL,		   cs->encryption,    cs->login_timeout,
			      cs->query_timeout,   cs->ca_file,	      cs->check_hostname};
	static const char *const modes[] = {"off", "request", "require"};
	char *password = NULL;
	enum db_status st;

	j->phase = "connecting";
	progress_update(j->ctx->progress, j->slot, j->s->name, j->phase, j->rows);
	if (j->ctx->o->require_verified_tls) {
		/* fail closed: nothing goes to a server that cannot be verified */
		if (!cs->ca_file) {
			*error = xasprintf("could not connect to '%s': --require-verified-tls and it "
					   "has no ca-file; give ca-file (PEM of the CA that issued "
					   "its certificate) on the server or <defaults>; nothing was "
					   "sent",
					   j->s->name);
			return DB_UNREACHABLE;
		}
		t.encryption = ENCRYPTION_REQUIRE;
	}
	/* the password lives for one login: read (collect_run checked it can be), used, wiped */
	if (hierarchy_password_get(j->s, &password, error) < 0)
		return DB_UNREACHABLE;
	t.password = password;
	st = db_connect(&t, &j->conn, error);
	if (password) {
		xwipe(password, strlen(password));
		free(password);
	}
	if (st != DB_OK)
		return st;
	if (j->ctx->o->require_verified_tls && !db_conn_facts(j->conn)->cert_verified) {
		*error = xasprintf("could not connect to '%s': --require-verified-tls and its "
				   "certificate could not be shown verified",
				   j->s->name);
		db_close(j->conn);
		j->conn = NULL;
		return DB_UNREACHABLE;
	}
	if (!j->connection_recorded) {
		const struct db_conn_facts *f = db_conn_facts(j->conn);

		j->connection_recorded = 1;
		if (snapshot_server_connection(j->ctx->snap, j->key, f, modes[t.encryption]) < 0)
			j->ctx->fatal = 1;
		if (f->password_exposed) {
			char *list;

			pthread_mutex_lock(&j->ctx->lock);
			list = xasprintf("%s%s'%s'", j->ctx->exposed ? j->ctx->exposed : "",
					 j->ctx->exposed ? ", " : "", j->s->name);
			free(j->ctx->exposed);
			j->ctx->exposed = list;
			j->ctx->nexposed++;
			pthread_mutex_unlock(&j->ctx->lock);
		}
	}
	st = db_exec(j->conn, "session setup", collect_session_setup, NULL, error);
	if (st != DB_OK) {
		db_close(j->conn);
		j->conn = NULL;
	}
	return st;
}

/* wid: the same from the server's export file: the rows go through the same fn. */
static enum db_status import_query(struct server_job *j, const struct collect_query *q,
				   db_row_fn fn, char **error)
{
	enum db_status st;
	long long rows;

	j->phase = q->name;
	j->table = q->table;
	j->store_error = 0;
	progress_update(j->ctx->progress, j->slot, j->s->name, j->phase, j->rows);
	st = export_query(j->in, q, fn, j, &rows, error);
	if (j->store_error) {
		j->ctx->fatal = 1;
		return st == DB_OK ? DB_BAD_RESULT : st;
	}
	return st;
}

/* Runs one query, retrying a deadlock or a lost connection with backoff; a retry first
 * removes what the failed attempt stored, so nothing is counted twice. */
static enum db_status run_query(struct server_job *j, const struct collect_query *q,
				db_row_fn fn, char **error)
{
	const struct collect_options *o = j->ctx->o;
	int attempt, delay = o->backoff_ms;
	enum db_status st = DB_OK;
	long long rows;

	if (j->in)
		return import_query(j, q, fn, error);
	for (attempt = 0;; attempt++) {
		long long before = j->rows;

		*error = NULL;
		if (!j->conn) {
			st = connect_server(j, error);
			if (st != DB_OK)
				return st;
		}
		j->phase = q->name;
		j->table = q->table;
		j->store_error = 0;
		progress_update(j->ctx->progress, j->slot, j->s->name, j->phase, j->rows);
		if (j->out)
			export_writer_query_begin(j->out, q);
		st = db_query(j->conn, q->name, embedded_text(q->text), q->columns, q->ncolumns, fn,
			      j, &rows, error);
		if (j->store_error) {
			j->ctx->fatal = 1;
			return st == DB_OK ? DB_BAD_RESULT : st;
		}
		if (j->out && st == DB_OK)
			export_writer_query_end(j->out);
		if (st == DB_OK || (st != DB_DEADLOCK && st != DB_DROPPED) || attempt >= o->retries)
			return st;
		log_warning("%s; retrying in %d ms (attempt %d of %d)", *error, delay, attempt + 2,
			    o->retries + 1);
		free(*error);
		*error = NULL;
		j->rows = before;
		if (q->table != SNAP_TABLE_COUNT &&
		    snapshot_clear_table(j->ctx->snap, q->table, j->key) < 0) {
			j->ctx->fatal = 1;
			return DB_BAD_RESULT;
		}
		if (db_is_dead(j->conn)) {
			db_close(j->conn);
			j->conn = NULL;
		}
		sleep_ms(delay);
		delay *= 2;
	}
}

static enum snapshot_failure failure_for(enum db_status st)
{
	/* a value of the wrong type: this SUSDB is not what the collector can read */
	return st == DB_SCHEMA || st == DB_BAD_VALUE ? SNAP_FAILURE_SCHEMA
						     : SNAP_FAILURE_UNREACHABLE;
}

/* A maintenance query SQL Server refused or could not run: nothing partial is kept, and the
 * reason goes to health_unavailable so the checks can say skipped (a right) or error (an
 * object this SUSDB lacks). */
static int record_unavailable(struct server_job *j, const struct collect_query *q,
			      enum db_status st, const char *error)
{
	const char *reason = st == DB_DENIED ? "denied" : "missing";
	const char *text = error ? error : "no message";
	struct db_value v[3];

	if (snapshot_clear_table(j->ctx->snap, q->table, j->key) < 0)
		return -1;
	memset(v, 0, sizeof(v));
	v[0].text = q->name;
	v[0].len = strlen(q->name);
	v[1].text = reason;
	v[1].len = strlen(reason);
	v[2].text = text;
	v[2].len = strlen(text);
	log_warning("%s: the checks that need it are %s for '%s'", text,
		    st == DB_DENIED ? "skipped" : "error", j->s->name);
	return snapshot_insert(j->ctx->snap, SNAP_HEALTH_UNAVAILABLE, j->key, v, 3);
}

/* Reads every query of one server. Returns 0, or -1 with *kind and *error (malloc'd) set. */
static int collect_queries_of(struct server_job *j, enum snapshot_failure *kind, char **error)

{
	enum db_status st;
	size_t i;

	st = run_query(j, &collect_probe, remember_column, error);
	if (st != DB_OK) {
		*kind = failure_for(st);
		return -1;
	}
	for (i = 0; i < collect_nqueries; i++) {
		const struct collect_query *q = &collect_queries[i];
		const char *const *need;
		long long rows_before;
		int missing = 0;

		for (need = q->needs; *need; need++) {
			if (has_column(j, *need))
				continue;
			missing++;
			{
				const char *dot = strchr(*need, '.');
				char *table = xstrndup(*need, (size_t)(dot - *need));

				if (snapshot_missing_column(j->ctx->snap, j->key, table, dot + 1) < 0)
					j->ctx->fatal = 1;
				free(table);
			}
		}
		if (missing && q->required) {
			*kind = SNAP_FAILURE_SCHEMA;
			*error = xasprintf("SUSDB of '%s' lacks %d column(s) the '%s' query needs "
					   "(first: %s): this WSUS version is not supported",
					   j->s->name, missing, q->name, q->needs[0]);
			for (need = q->needs; *need; need++)
				if (!has_column(j, *need)) {
					free(*error);
					*error = xasprintf("SUSDB of '%s' lacks '%s', which the '%s' "
							   "query needs: this WSUS version is not "
							   "supported",
							   j->s->name, *need, q->name);
					break;
				}
			return -1;
		}
		if (missing)
			continue;	/* the checks that need it report schema-unsupported */
		rows_before = j->rows;
		st = run_query(j, q, store_row, error);
		if (st != DB_OK && q->optional && (st == DB_DENIED || st == DB_SCHEMA) &&
		    !j->ctx->fatal) {
			j->rows = rows_before; /* nothing of it is kept */
			if (record_unavailable(j, q, st, *error) < 0)
				j->ctx->fatal = 1;
			free(*error);
			*error = NULL;
			continue;
		}
		if (st != DB_OK) {
			*kind = failure_for(st);
			return -1;
		}
	}
	return 0;
}

/* wid: reads the server from its export file; the collection times become the export's. */
static int import_server(struct server_job *j, enum snapshot_failure *kind, char **error, char *started,
			 char *finished)
{
	char *path = hierarchy_export_path(j->ctx->h, j->s);
	int rc;

	j->phase = "reading its export";
	progress_update(j->ctx->progress, j->slot, j->s->name, j->phase, j->rows);
	snapshot_now(finished, 32);
	if (export_open(path, j->s, NULL, &j->in, error) < 0) {
		free(path);
		return -1;
	}
	rc = collect_queries_of(j, kind, error);
	if (rc == 0) {
		const struct export_info *in = export_info(j->in);

		snprintf(started, 32, "%s", in->started);
		snprintf(finished, 32, "%s", in->finished);
		if (export_snapshot_record(j->ctx->snap, j->key, j->s->export_path, in) < 0)
			j->ctx->fatal = 1;
	}
	export_close(j->in);
	j->in = NULL;
	free(path);
	return rc;
}

/* wid: completes the --export-dir copy of a live server, or drops it if the server failed. */
static void finish_export(struct server_job *j, int failed, const char *finished)
{
	char *error = NULL;

	if (failed) {
		export_writer_abort(j->out);
	} else if (export_writer_finish(j->out, finished, &error) < 0) {
		log_error("%s", error);
		free(error);
		pthread_mutex_lock(&j->ctx->lock);
		j->ctx->exports_failed++;
		pthread_mutex_unlock(&j->ctx->lock);
	}
	j->out = NULL;
}

static void collect_server(struct collect_ctx *ctx, size_t index, int slot)
{
	struct server_job j;
	enum snapshot_failure kind = SNAP_FAILURE_UNREACHABLE;
	char *error = NULL;
	char started[32], finished[32];
	int rc, failed;
	size_t i;

	memset(&j, 0, sizeof(j));
	j.ctx = ctx;
	j.s = &ctx->h->servers[index];
	j.slot = slot;
	snapshot_now(started, sizeof(started));
	if (snapshot_server_add(ctx->snap, ctx->run_id, j.s->name, &j.key) < 0) {
		ctx->fatal = 1;
		return;
	}
	if (j.s->export_path) {
		rc = import_server(&j, &kind, &error, started, finished);
	} else if (j.s->conn.sql && strcasecmp(j.s->conn.sql, "wid") == 0) {
		error = xasprintf("SUSDB of '%s' is on the Windows Internal Database, which accepts "
				  "only local named-pipe connections that FreeTDS cannot make; "
				  "collect it offline: 1. copy susaudit-collect.ps1 (installed beside "
				  "susaudit) to '%s'; 2. run it there in an elevated Windows "
				  "PowerShell; 3. copy the .xml file it names to this host; 4. replace "
				  "sql=\"wid\" by export=\"PATH-OF-THAT-FILE\" in the hierarchy file; "
				  "5. audit again (README \"Servers on the Windows Internal Database\")",
				  j.s->name, j.s->name);
		rc = -1;
	} else if (!j.s->conn.sql) {
		error = xasprintf("server '%s' has no 'sql' connection in the hierarchy file",
				  j.s->name);
		rc = -1;
	} else {
		enum db_status st = connect_server(&j, &error);

		if (st == DB_OK && ctx->export_dir)
			st = export_writer_open(ctx->export_dir, j.s->name, started, &j.out,
						&error) < 0
				 ? DB_BAD_RESULT
				 : DB_OK;
		rc = st == DB_OK ? collect_queries_of(&j, &kind, &error) : -1;
	}
	db_close(j.conn);
	for (i = 0; i < j.ncolumns; i++)
		free(j.columns[i]);
	free(j.columns);

	if (!j.s->export_path)
		snapshot_now(finished, sizeof(finished));
	failed = rc < 0;
	if (j.out)
		finish_export(&j, failed, finished);
	if (failed) {
		log_warning("%s", error ? error : "collection failed");
		if (snapshot_server_fail(ctx->snap, j.key, kind, error, started, finished) < 0)
			ctx->fatal = 1;
	} else if (snapshot_server_done(ctx->snap, j.key, j.rows, started, finished) < 0) {
		ctx->fatal = 1;
	}
	free(error);
	pthread_mutex_lock(&ctx->lock);
	ctx->failed += failed;
	ctx->rows += failed ? 0 : j.rows;
	pthread_mutex_unlock(&ctx->lock);
	progress_server_done(ctx->progress, slot, failed);
}

struct worker {
	struct collect_ctx *ctx;
	int slot;
	pthread_t thread;
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct collect_ctx *ctx = w->ctx;

	for (;;) {
		size_t index;

		pthread_mutex_lock(&ctx->lock);
		index = ctx->next++;
		pthread_mutex_unlock(&ctx->lock);
		if (index >= ctx->h->nservers || ctx->fatal)
			break;
		collect_server(ctx, index, w->slot);
	}
	return NULL;
}

/* What can be wrong before any connection: a password-env variable unset, a password file
 * readable by others. That is the user's configuration, not a fault of the servers: the
 * run stops at once with the reason. Returns 0 or -1 (logged). */
int collect_check_configuration(const struct hierarchy *h)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < h->nservers; i++) {
		const struct server *s = &h->servers[i];
		char *password = NULL, *why = NULL;

		if (!s->conn.sql || strcasecmp(s->conn.sql, "wid") == 0)
			continue;	/* reported as that server's finding */
		if (hierarchy_password_get(s, &password, &why) < 0)
			rc = log_error("%s", why);
		if (password) {
			xwipe(password, strlen(password));
			free(password);
		}
		free(why);
	}
	return rc;
}

int collect_run(const struct hierarchy *h, const char *path, const struct collect_options *o,
		struct collect_summary *summary)
{
	return collect_run_export(h, path, o, NULL, summary);
}

int collect_run_export(const struct hierarchy *h, const char *path,
		       const struct collect_options *o, const char *export_dir,
		       struct collect_summary *summary)
{
	struct collect_options opts = *o;
	struct collect_ctx ctx;
	struct worker *workers;
	int i, rc = 0;

	if (opts.jobs <= 0)
		opts.jobs = 4;
	if ((size_t)opts.jobs > h->nservers)
		opts.jobs = h->nservers ? (int)h->nservers : 1;
	memset(&ctx, 0, sizeof(ctx));
	memset(summary, 0, sizeof(*summary));
	ctx.h = h;
	ctx.o = &opts;
	ctx.export_dir = export_dir;
	pthread_mutex_init(&ctx.lock, NULL);
	if (hierarchy_check_tls_files(h) < 0 || db_global_init() < 0 ||
	    snapshot_open(path, &ctx.snap) < 0) {
		pthread_mutex_destroy(&ctx.lock);
		return -1;
	}
	/* after the snapshot is known to be ours (a foreign file is the first thing to say),
	 * before any connection and before a run is begun */
	if (collect_check_configuration(h) < 0) {
		snapshot_close(ctx.snap);
		pthread_mutex_destroy(&ctx.lock);
		return -1;
	}
	if (snapshot_run_begin(ctx.snap, h, &ctx.run_id) < 0) {
		snapshot_close(ctx.snap);
		pthread_mutex_destroy(&ctx.lock);
		return -1;
	}
	/* ConfigMgr's intent (<configmgr>): before the workers share the snapshot */
	if (collect_cm_run(h, snapshot_db(ctx.snap), ctx.run_id) < 0) {
		snapshot_run_abort(ctx.snap);
		snapshot_close(ctx.snap);
		pthread_mutex_destroy(&ctx.lock);
		return -1;
	}
	ctx.progress = progress_start(h->nservers, opts.jobs, opts.progress);
	workers = xcalloc((size_t)opts.jobs, sizeof(*workers));
	for (i = 0; i < opts.jobs; i++) {
		workers[i].ctx = &ctx;
		workers[i].slot = i;
		if (pthread_create(&workers[i].thread, NULL, worker_main, &workers[i]) != 0) {
			log_error("could not start a collector thread");
			ctx.fatal = 1;
			opts.jobs = i;
			break;
		}
	}
	for (i = 0; i < opts.jobs; i++)
		pthread_join(workers[i].thread, NULL);
	free(workers);
	progress_finish(ctx.progress);

	if (ctx.fatal || snapshot_run_finish(ctx.snap, ctx.run_id) < 0) {
		log_error("the collection could not be stored in '%s'; nothing of it was kept", path);
		snapshot_run_abort(ctx.snap);
		rc = -1;
	}
	snapshot_close(ctx.snap);
	pthread_mutex_destroy(&ctx.lock);
	if (ctx.exposed) {
		/* once per run, not per server: the report lists each (connection) */
		log_warning("the password was sent unencrypted or to a server whose certificate "
			    "was not verified, for %zu server(s): %s; give ca-file (and "
			    "encryption=\"require\"), or say encryption=\"off\" explicitly to "
			    "accept this",
			    ctx.nexposed, ctx.exposed);
		free(ctx.exposed);
	}
	summary->run_id = ctx.run_id;
	summary->servers = h->nservers;
	summary->failed = ctx.failed;
	summary->rows = ctx.rows;
	summary->exports_failed = ctx.exports_failed;
	return rc;
}
