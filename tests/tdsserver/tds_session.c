/* tds_session: one client connection of the test server. */
#include "tds_session.h"
#include "tds_db.h"
#include "tds_encode.h"
#include "tds_login.h"
#include "tds_text.h"
#include "tds_translate.h"
#include "tds_wire.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#define SERVER_NAME "SUSDBTEST"
/* how often a long result looks for an ATTENTION from the client, in rows */
#define ATTENTION_EVERY 64

struct session {
	const struct tds_server_config *cfg;
	struct tds_wire wire;
	unsigned conn;
	uint32_t version;
	sqlite3 *db;
	struct tds_db_session info; /* what @@SPID, @@TRANCOUNT and friends answer */
	int nocount;
	long rows_sent; /* on this connection, for the drop fault */
	struct tds_tls_session tls;
	int trickle;	/* the current batch trickles its rows (tds_fault_trickles) */
};

/* How a statement ended. */
enum outcome { DONE_OK, FAILED, ATTENTION, DROPPED };

static void send_error(struct session *s, int number, int severity, const char *text)
{
	tds_encode_message(&s->wire, s->version, 1, number, 1, (uint8_t)severity, text,
			   SERVER_NAME);
}

/* "no such table: main.x" -> "x" */
static const char *after_prefix(const char *msg, const char *prefix)
{
	const char *name = msg + strlen(prefix), *dot = strrchr(name, '.');

	return dot ? dot + 1 : name;
}

/* Reports the SQLite error of db the way SQL Server would report the same mistake. */
static void send_sqlite_error(struct session *s)
{
	const char *msg = sqlite3_errmsg(s->db);
	int code = sqlite3_errcode(s->db) & 0xFF;
	char text[1024];

	if (strncmp(msg, "no such table: ", 15) == 0) {
		snprintf(text, sizeof(text), "Invalid object name '%s'.",
			 after_prefix(msg, "no such table: "));
		send_error(s, 208, 16, text);
	} else if (strncmp(msg, "no such column: ", 16) == 0) {
		snprintf(text, sizeof(text), "Invalid column name '%s'.",
			 after_prefix(msg, "no such column: "));
		send_error(s, 207, 16, text);
	} else if (strncmp(msg, "near \"", 6) == 0) {
		const char *end = strstr(msg + 6, "\": syntax error");
		int len = end ? (int)(end - (msg + 6)) : (int)strlen(msg + 6);

		snprintf(text, sizeof(text), "Incorrect syntax near '%.*s'.", len, msg + 6);
		send_error(s, 102, 15, text);
	} else if (strstr(msg, "incomplete input") || strstr(msg, "unrecognized token")) {
		send_error(s, 102, 15, "Incorrect syntax near the end of the batch.");
	} else if (strncmp(msg, "no such function: ", 18) == 0) {
		snprintf(text, sizeof(text), "'%s' is not a recognized built-in function name.",
			 msg + 18);
		send_error(s, 195, 15, text);
	} else if (strncmp(msg, "UNIQUE constraint failed", 24) == 0) {
		snprintf(text, sizeof(text),
			 "Violation of PRIMARY KEY constraint. Cannot insert duplicate key (%s).",
			 msg);
		send_error(s, 2627, 14, text);
	} else if (strncmp(msg, "NOT NULL constraint failed: ", 28) == 0) {
		snprintf(text, sizeof(text),
			 "Cannot insert the value NULL into column '%s'; column does not allow "
			 "nulls.",
			 msg + 28);
		send_error(s, 515, 16, text);
	} else if (code == SQLITE_BUSY || code == SQLITE_LOCKED) {
		send_error(s, 1222, 16, "Lock request time out period exceeded.");
	} else {
		snprintf(text, sizeof(text), "%s", msg);
		send_error(s, 50000, 16, text);
	}
}

static uint16_t curcmd_of(enum tds_verb verb)
{
	switch (verb) {
	case TDS_VERB_SELECT:
		return TDS_CMD_SELECT;
	case TDS_VERB_INSERT:
		return TDS_CMD_INSERT;
	case TDS_VERB_UPDATE:
		return TDS_CMD_UPDATE;
	case TDS_VERB_DELETE:
		return TDS_CMD_DELETE;
	default:
		return TDS_CMD_NONE;
	}
}

static void send_done(struct session *s, int more, uint16_t status, uint16_t curcmd, uint64_t rows)
{
	if (more)
		status |= TDS_DONE_MORE;
	if (s->info.trancount > 0)
		status |= TDS_DONE_INXACT;
	tds_encode_done(&s->wire, s->version, TDS_TOKEN_DONE, status, curcmd, rows);
}

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

/* The trickle fault: the rows of st again and again, one row per packet, one packet every
   trickle_ms, until an ATTENTION (unless ignored) or the client goes away. The client's
   per-packet timeout never fires: only a bound on the whole query ends it. */
static enum outcome trickle_rows(struct session *s, sqlite3_stmt *st, struct tds_column *cols,
				 int ncols)
{
	const struct tds_fault *f = s->cfg->fault;

	for (;;) {
		int rc = sqlite3_step(st);

		if (rc == SQLITE_DONE) {
			sqlite3_reset(st);
			continue;
		}
		if (rc != SQLITE_ROW)
			return DROPPED;
		tds_encode_row(&s->wire, st, cols, ncols);
		if (tds_wire_flush_partial(&s->wire) < 0)
			return DROPPED;
		if (s->wire.attention)
			sleep_ms(f->trickle_ms); /* already seen and ignored */
		else if (tds_wire_poll_attention(&s->wire, f->trickle_ms) < 0)
			return DROPPED;
		if (s->wire.failed)
			return DROPPED;
		if (s->wire.attention && !f->trickle_ignore_attention)
			return ATTENTION;
	}
}

/* Streams the rows of st, whose first step returned rc. */
static enum outcome send_rows(struct session *s, sqlite3_stmt *st, int rc, int more,
			      uint16_t curcmd)
{
	int ncols = sqlite3_column_count(st);
	struct tds_column *cols = calloc((size_t)ncols, sizeof(*cols));
	long fault_rows = s->cfg->fault->drop_after_rows;
	uint64_t rows = 0;

	if (!cols) {
		send_error(s, 701, 17, "There is insufficient system memory to run this query.");
		return FAILED;
	}
	tds_encode_describe(st, rc == SQLITE_ROW, s->version, cols);
	tds_encode_colmetadata(&s->wire, s->version, cols, ncols);
	if (s->trickle && rc == SQLITE_ROW) {
		enum outcome out;

		sqlite3_reset(st);
		out = trickle_rows(s, st, cols, ncols);
		free(cols);
		return out;
	}
	for (; rc == SQLITE_ROW; rc = sqlite3_step(st)) {
		tds_encode_row(&s->wire, st, cols, ncols);
		rows++;
		s->rows_sent++;
		if (fault_rows > 0 && s->rows_sent >= fault_rows) {
			/* injected fault: the client gets the rows so far, then a dead socket */
			tds_wire_flush_partial(&s->wire);
			free(cols);
			return DROPPED;
		}
		if (rows % ATTENTION_EVERY == 0 && tds_wire_poll_attention(&s->wire, 0) != 0) {
			free(cols);
			return ATTENTION;
		}
		if (s->wire.failed)
			break;
	}
	free(cols);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		send_sqlite_error(s);
		return FAILED;
	}
	s->info.rowcount = (int64_t)rows;
	send_done(s, more, s->nocount ? 0 : TDS_DONE_COUNT, curcmd, rows);
	return DONE_OK;
}

/* Runs one translated statement (possibly several SQLite statements). */
static enum outcome run_sql(struct session *s, const struct tds_stmt *stmt, int more)
{
	const char *sql = stmt->arg;
	uint16_t curcmd = curcmd_of(stmt->verb);

	/* SQLite ended the transaction itself (an error rolled it back) */
	if (s->info.trancount > 0 && sqlite3_get_autocommit(s->db))
		s->info.trancount = 0;
	while (sql && *sql) {
		sqlite3_stmt *st = NULL;
		const char *tail = NULL;
		int rc, last;
		enum outcome out;

		if (sqlite3_prepare_v2(s->db, sql, -1, &st, &tail) != SQLITE_OK) {
			send_sqlite_error(s);
			return FAILED;
		}
		if (!st) /* only spaces or comments left */
			break;
		while (tail && (*tail == ' ' || *tail == '\n' || *tail == '\t' || *tail == '\r'))
			tail++;
		last = !tail || !*tail;
		rc = sqlite3_step(st);
		if (sqlite3_column_count(st) > 0) {
			out = send_rows(s, st, rc, more || !last, curcmd);
		} else {
			while (rc == SQLITE_ROW)
				rc = sqlite3_step(st);
			if (rc != SQLITE_DONE) {
				send_sqlite_error(s);
				out = FAILED;
			} else {
				int counted = stmt->verb == TDS_VERB_INSERT ||
					      stmt->verb == TDS_VERB_UPDATE ||
					      stmt->verb == TDS_VERB_DELETE;
				uint64_t n = counted ? (uint64_t)sqlite3_changes64(s->db) : 0;

				s->info.rowcount = (int64_t)n;
				send_done(s, more || !last,
					  counted && !s->nocount ? TDS_DONE_COUNT : 0, curcmd, n);
				out = DONE_OK;
			}
		}
		sqlite3_finalize(st);
		if (out != DONE_OK)
			return out;
		sql = tail;
	}
	return DONE_OK;
}

static enum outcome exec_simple(struct session *s, const char *sql)
{
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
		send_sqlite_error(s);
		return FAILED;
	}
	return DONE_OK;
}

/* T-SQL transactions nest by count; only the outermost maps to SQLite. */
static enum outcome run_transaction(struct session *s, enum tds_stmt_kind kind, int more)
{
	if (s->info.trancount > 0 && sqlite3_get_autocommit(s->db))
		s->info.trancount = 0;
	switch (kind) {
	case TDS_STMT_BEGIN:
		if (s->info.trancount == 0 && exec_simple(s, "BEGIN") != DONE_OK)
			return FAILED;
		s->info.trancount++;
		break;
	case TDS_STMT_COMMIT:
		if (s->info.trancount == 0) {
			send_error(s, 3902, 16,
				   "The COMMIT TRANSACTION request has no corresponding BEGIN "
				   "TRANSACTION.");
			return FAILED;
		}
		if (s->info.trancount == 1 && exec_simple(s, "COMMIT") != DONE_OK)
			return FAILED;
		s->info.trancount--;
		/* the lost-acknowledgement fault: committed, then the connection drops */
		if (s->info.trancount == 0 && tds_fault_drop_commit(s->cfg->fault))
			return DROPPED;
		break;
	default:
		if (s->info.trancount == 0) {
			send_error(s, 3903, 16,
				   "The ROLLBACK TRANSACTION request has no corresponding BEGIN "
				   "TRANSACTION.");
			return FAILED;
		}
		if (exec_simple(s, "ROLLBACK") != DONE_OK)
			return FAILED;
		s->info.trancount = 0;
		break;
	}
	send_done(s, more, 0, TDS_CMD_NONE, 0);
	return DONE_OK;
}

static enum outcome run_use(struct session *s, const char *name, int more)
{
	char text[600];

	if (strcasecmp(name, s->cfg->database) != 0) {
		snprintf(text, sizeof(text),
			 "Database '%s' does not exist. Make sure that the name is entered "
			 "correctly.",
			 name);
		send_error(s, 911, 16, text);
		return FAILED;
	}
	tds_encode_envchange(&s->wire, TDS_ENV_DATABASE, s->cfg->database, s->cfg->database);
	snprintf(text, sizeof(text), "Changed database context to '%s'.", s->cfg->database);
	tds_encode_message(&s->wire, s->version, 0, 5701, 1, 0, text, SERVER_NAME);
	send_done(s, more, 0, TDS_CMD_NONE, 0);
	return DONE_OK;
}

static enum outcome run_set(struct session *s, const char *option, int more)
{
	/* SET options change nothing SQLite does; NOCOUNT changes our DONE tokens */
	if (strcmp(option, "NOCOUNT ON") == 0)
		s->nocount = 1;
	else if (strcmp(option, "NOCOUNT OFF") == 0)
		s->nocount = 0;
	send_done(s, more, 0, TDS_CMD_NONE, 0);
	return DONE_OK;
}

/* The batch text: UTF-16LE after the ALL_HEADERS block that TDS 7.2 added. */
static char *batch_text(const struct session *s)
{
	const unsigned char *p = s->wire.in;
	size_t n = s->wire.in_len;

	if (s->version >= TDS_VERSION_72 && n >= 4) {
		size_t hdr =
		    (size_t)p[0] | (size_t)p[1] << 8 | (size_t)p[2] << 16 | (size_t)p[3] << 24;

		if (hdr >= 4 && hdr <= n) {
			p += hdr;
			n -= hdr;
		}
	}
	return tds_text_from_utf16le(p, n);
}

static void finish_attention(struct session *s)
{
	s->wire.attention = 0;
	tds_encode_done(&s->wire, s->version, TDS_TOKEN_DONE, TDS_DONE_ATTN, TDS_CMD_NONE, 0);
}

/* Runs one SQL batch and sends its whole reply. Returns -1 when the connection must end. */
static int run_batch(struct session *s)
{
	struct tds_fault *fault = s->cfg->fault;
	struct tds_batch batch;
	char *text = batch_text(s);
	enum outcome out = DONE_OK;
	int injected;
	size_t i, nstmts;

	if (!text)
		return -1;
	tds_fault_log_batch(fault, s->conn, text);
	s->trickle = tds_fault_trickles(fault, text);
	tds_wire_begin(&s->wire, TDS_PKT_REPLY);
	if (fault->delay_ms > 0 && tds_wire_poll_attention(&s->wire, fault->delay_ms) != 0) {
		free(text);
		if (s->wire.failed)
			return -1;
		finish_attention(s);
		return tds_wire_end(&s->wire);
	}
	injected = tds_fault_batch_error(fault, text);
	if (injected) {
		char msg[400];
		int severity;

		tds_fault_error_text(injected, s->info.spid, msg, sizeof(msg), &severity);
		send_error(s, injected, severity, msg);
		/* SQL Server follows a denied VIEW DATABASE STATE (300) with 297 */
		if (injected == 300) {
			tds_fault_error_text(297, s->info.spid, msg, sizeof(msg), &severity);
			send_error(s, 297, severity, msg);
		}
		send_done(s, 0, TDS_DONE_ERROR, TDS_CMD_NONE, 0);
		free(text);
		return tds_wire_end(&s->wire);
	}
	tds_translate_batch(text, s->cfg->database, &batch);
	free(text);
	for (i = 0; i < batch.nstmts && out == DONE_OK; i++) {
		const struct tds_stmt *st = &batch.stmts[i];
		int more = i + 1 < batch.nstmts;

		switch (st->kind) {
		case TDS_STMT_SQL:
			out = run_sql(s, st, more);
			break;
		case TDS_STMT_SET:
			out = run_set(s, st->arg, more);
			break;
		case TDS_STMT_USE:
			out = run_use(s, st->arg, more);
			break;
		default:
			out = run_transaction(s, st->kind, more);
			break;
		}
	}
	nstmts = batch.nstmts;
	tds_batch_release(&batch);
	if (nstmts == 0 || out == FAILED)
		send_done(s, 0, out == FAILED ? TDS_DONE_ERROR : 0, TDS_CMD_NONE, 0);
	if (out == DROPPED || s->wire.failed)
		return -1;
	if (out == ATTENTION)
		finish_attention(s);
	return tds_wire_end(&s->wire);
}

/* The trickling-login fault: the LOGIN7 is answered by informational messages, one packet
   every trickle_login_ms, never by a LOGINACK, until the client goes away. */
static void trickle_login(struct session *s)
{
	tds_wire_begin(&s->wire, TDS_PKT_REPLY);
	while (!s->wire.failed) {
		tds_encode_message(&s->wire, s->version, 0, 5701, 1, 0,
				   "Changed database context to 'SUSDB'.", SERVER_NAME);
		if (tds_wire_flush_partial(&s->wire) < 0)
			break;
		sleep_ms(s->cfg->fault->trickle_login_ms);
	}
}

/* Handles PRELOGIN and LOGIN7. Returns 0 when the client is logged in. */
static int login(struct session *s)
{
	const struct tds_server_config *cfg = s->cfg;
	struct tds_login l;
	int type = tds_wire_read_message(&s->wire), refusal = 0;
	size_t packet_size, old_packet_size;

	if (type == TDS_PKT_PRELOGIN) {
		int encryption = tds_tls_negotiate(&s->tls, s->wire.in, s->wire.in_len);

		if (tds_login_prelogin_reply_encryption(&s->wire, s->info.spid, encryption) < 0 ||
		    tds_tls_after_prelogin(&s->tls, encryption) < 0)
			return -1;
		type = tds_wire_read_message(&s->wire);
	}
	if (type == TDS_PKT_LOGIN7 && tds_tls_after_login(&s->tls, s->wire.in, s->wire.in_len) < 0)
		return -1;
	if (type != TDS_PKT_LOGIN7 || tds_login_parse(s->wire.in, s->wire.in_len, &l) < 0) {
		if (type >= 0)
			fprintf(stderr,
				"susdb-tds-server: connection %u: expected a LOGIN7 record\n",
				s->conn);
		return -1;
	}
	s->version = tds_login_negotiate(l.version);
	/* a server older than the client answers with its own version in LOGINACK */
	if (cfg->max_tds_version && s->version > cfg->max_tds_version)
		s->version = cfg->max_tds_version;
	if (tds_tls_login_integrated(s->wire.in, s->wire.in_len))
		refusal = 18452; /* no NTLM or Kerberos here: refused as an untrusted domain */
	else if (cfg->fault->refuse_login || tds_fault_login_refused(cfg->fault) ||
		 strcmp(l.user, cfg->user) != 0 ||
	    strcmp(l.password, cfg->password) != 0)
		refusal = 18456;
	else if (*l.database && strcasecmp(l.database, cfg->database) != 0)
		refusal = 4060;
	if (refusal) {
		tds_login_refuse(&s->wire, s->version, refusal, l.user, l.database);
		tds_login_release(&l);
		return -1;
	}
	if (cfg->fault->trickle_login_ms > 0) {
		tds_login_release(&l);
		trickle_login(s);
		return -1;
	}
	packet_size = l.packet_size ? l.packet_size : TDS_DEFAULT_PACKET_SIZE;
	/* FreeTDS asks for at least 4096; a server-side cap is how tests get small packets */
	if (cfg->max_packet_size > 0 && packet_size > cfg->max_packet_size)
		packet_size = cfg->max_packet_size;
	tds_login_release(&l);
	s->db = tds_db_open(cfg->db_path, &s->info);
	if (!s->db) {
		tds_login_refuse(&s->wire, s->version, 4060, "", cfg->database);
		return -1;
	}
	/* two statements: the order in which arguments are evaluated is unspecified */
	old_packet_size = s->wire.packet_size;
	packet_size = tds_wire_set_packet_size(&s->wire, packet_size);
	if (tds_login_accept(&s->wire, s->version, cfg->database, old_packet_size, packet_size) < 0)
		return -1;
	return 0;
}

void tds_session_run(int fd, unsigned conn, const struct tds_server_config *cfg)
{
	struct session s;

	memset(&s, 0, sizeof(s));
	s.cfg = cfg;
	s.conn = conn;
	s.version = TDS_VERSION_74;
	s.info.database = cfg->database;
	s.info.spid = 50 + (int)conn;
	if (tds_wire_init(&s.wire, fd, (uint16_t)s.info.spid) < 0) {
		shutdown(fd, SHUT_RDWR);
		return;
	}
	if (tds_tls_session_start(&s.tls, cfg->tls, conn, fd, &s.wire) == 0 && login(&s) == 0) {
		for (;;) {
			int type = tds_wire_read_message(&s.wire);

			if (type == TDS_PKT_SQL_BATCH) {
				if (run_batch(&s) < 0)
					break;
			} else if (type == TDS_PKT_ATTENTION) {
				/* the reply it cancels was already complete */
				tds_wire_begin(&s.wire, TDS_PKT_REPLY);
				finish_attention(&s);
				if (tds_wire_end(&s.wire) < 0)
					break;
			} else if (type >= 0) {
				tds_wire_begin(&s.wire, TDS_PKT_REPLY);
				send_error(&s, 50000, 16,
					   "susdb-tds-server runs SQL batches only (no RPC, no "
					   "bulk load).");
				send_done(&s, 0, TDS_DONE_ERROR, TDS_CMD_NONE, 0);
				if (tds_wire_end(&s.wire) < 0)
					break;
			} else {
				break;
			}
		}
	}
	shutdown(fd, SHUT_RDWR);
	if (s.db)
		sqlite3_close_v2(s.db);
	tds_tls_session_release(&s.tls);
	tds_wire_release(&s.wire);
}
