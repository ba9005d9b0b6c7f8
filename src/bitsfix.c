/* bitsfix: reads and changes tbConfigurationC.BitsDownloadPriorityForeground, and nothing else. */
#include "bitsfix.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embedded.h"
#include "xalloc.h"

static const struct db_column read_columns[] = {
    {"configuration_id", DB_KIND_INT},
    {"bits_foreground", DB_KIND_INT},
    {"use_proxy", DB_KIND_INT},
    {"proxy_name", DB_KIND_TEXT},
    {"proxy_port", DB_KIND_INT},
    {"queued_files", DB_KIND_INT},
    {"approved_not_arriving", DB_KIND_INT},
};

#define NREAD_COLUMNS (sizeof(read_columns) / sizeof(read_columns[0]))

static long long int_or(const struct db_value *v, long long unknown)
{
	return v->is_null ? unknown : v->integer;
}

static int take_row(void *data, const struct db_value *v, size_t n)
{
	struct bitsfix_state *s = data;

	(void)n;
	s->configuration_id = int_or(&v[0], -1);
	s->bits_foreground = (int)int_or(&v[1], -1);
	s->use_proxy = (int)int_or(&v[2], -1);
	free(s->proxy_name);
	s->proxy_name = v[3].is_null ? NULL : xstrndup(v[3].text, v[3].len);
	s->proxy_port = (int)int_or(&v[4], -1);
	s->queued_files = int_or(&v[5], 0);
	s->approved_not_arriving = int_or(&v[6], 0);
	return 0;
}

enum db_status bitsfix_read(struct db_conn *c, struct bitsfix_state *out, char **error)
{
	long long rows = 0;
	enum db_status st;

	memset(out, 0, sizeof(*out));
	out->configuration_id = -1;
	out->bits_foreground = out->use_proxy = out->proxy_port = -1;
	st = db_query(c, "fix_bits_read", embedded_text(EMBED_QUERIES_FIX_BITS_READ_SQL),
		      read_columns, NREAD_COLUMNS, take_row, out, &rows, error);
	if (st == DB_OK && (rows != 1 || out->configuration_id < 0)) {
		*error = xstrdup("tbConfigurationC has no configuration row");
		return DB_BAD_RESULT;
	}
	return st;
}

void bitsfix_state_release(struct bitsfix_state *s)
{
	free(s->proxy_name);
	s->proxy_name = NULL;
}

/* Appends `s` to the growing buffer. */
static void put(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
	*buf = xgrow(*buf, cap, *len + n + 1, 1);
	memcpy(*buf + *len, s, n);
	*len += n;
	(*buf)[*len] = '\0';
}

char *bitsfix_update_sql(long long configuration_id, int from, int to)
{
	const char *p = embedded_text(EMBED_QUERIES_FIX_BITS_UPDATE_SQL);
	char *buf = NULL, num[32];
	size_t len = 0, cap = 0;

	/* the header comment is for the DBA reading the file; the statement follows it */
	while (p[0] == '-' && p[1] == '-') {
		p = strchr(p, '\n');
		if (!p)
			return xstrdup("");
		p++;
	}
	while (*p) {
		const char *name = NULL;
		long long value = 0;

		if (strncmp(p, "@ConfigurationID", 16) == 0) {
			name = "@ConfigurationID";
			value = configuration_id;
		} else if (strncmp(p, "@From", 5) == 0) {
			name = "@From";
			value = from;
		} else if (strncmp(p, "@To", 3) == 0) {
			name = "@To";
			value = to;
		}
		if (name) {
			snprintf(num, sizeof(num), "%lld", value);
			put(&buf, &len, &cap, num, strlen(num));
			p += strlen(name);
		} else {
			put(&buf, &len, &cap, p, 1);
			p++;
		}
	}
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
		buf[--len] = '\0';
	return buf ? buf : xstrdup("");
}

/* Rolls back and returns FAILED or REFUSED with the reason in *detail. */
static enum bitsfix_result roll_back(struct db_conn *c, enum bitsfix_result result, char *reason,
				     char **detail)
{
	char *error = NULL;

	if (db_is_dead(c) ||
	    db_exec(c, "rollback", "ROLLBACK TRANSACTION", NULL, &error) != DB_OK) {
		/* a lost session rolls back on the server by itself */
		*detail =
		    xasprintf("%s; rolled back (%s)", reason, error ? error : "the session ended");
	} else {
		*detail = xasprintf("%s; rolled back", reason);
	}
	free(error);
	free(reason);
	return result;
}

enum bitsfix_result bitsfix_change(struct db_conn *c, int from, int to, int *before, char **detail)
{
	struct bitsfix_state s;
	long long changed = 0;
	char *error = NULL, *sql;
	enum db_status st;

	*before = -1;
	*detail = NULL;
	if (db_exec(c, "session", "SET XACT_ABORT ON; SET LOCK_TIMEOUT 30000", NULL, &error) !=
		DB_OK ||
	    db_exec(c, "begin", "BEGIN TRANSACTION", NULL, &error) != DB_OK) {
		*detail = error;
		return BITSFIX_FAILED;
	}
	st = bitsfix_read(c, &s, &error);
	if (st != DB_OK)
		return roll_back(c, BITSFIX_FAILED, error, detail);
	*before = s.bits_foreground;
	if (s.bits_foreground == to) {
		bitsfix_state_release(&s);
		return roll_back(c, BITSFIX_NO_OP,
				 xasprintf("BitsDownloadPriorityForeground is already %d", to),
				 detail);
	}
	if (s.bits_foreground != from) {
		bitsfix_state_release(&s);
		return roll_back(c, BITSFIX_REFUSED,
				 xasprintf("BitsDownloadPriorityForeground is %d, not %d as "
					   "expected",
					   s.bits_foreground, from),
				 detail);
	}
	sql = bitsfix_update_sql(s.configuration_id, from, to);
	bitsfix_state_release(&s);
	st = db_exec(c, "fix_bits_update", sql, &changed, &error);
	free(sql);
	if (st != DB_OK)
		return roll_back(c, BITSFIX_FAILED, error, detail);
	if (changed != 1)
		return roll_back(c, BITSFIX_FAILED,
				 xasprintf("the UPDATE changed %lld rows, not exactly 1", changed),
				 detail);
	st = bitsfix_read(c, &s, &error);
	if (st != DB_OK)
		return roll_back(c, BITSFIX_FAILED, error, detail);
	if (s.bits_foreground != to) {
		int got = s.bits_foreground;

		bitsfix_state_release(&s);
		return roll_back(c, BITSFIX_FAILED,
				 xasprintf("reading back gave %d, not %d", got, to), detail);
	}
	bitsfix_state_release(&s);
	st = db_exec(c, "commit", "COMMIT TRANSACTION", NULL, &error);
	if (st != DB_OK && (st == DB_DROPPED || st == DB_TIMEOUT || db_is_dead(c))) {
		/* the server may have committed before the connection went: only a new
		 * connection can tell, and "rolled back" would be a guess */
		*detail = xasprintf("COMMIT was sent but the acknowledgement of the COMMIT was "
				    "lost (%s)",
				    error ? error : db_status_name(st));
		free(error);
		return BITSFIX_UNKNOWN;
	}
	if (st != DB_OK)
		return roll_back(c, BITSFIX_FAILED, error, detail);
	*detail = xasprintf("BitsDownloadPriorityForeground changed from %d to %d and committed",
			    from, to);
	return BITSFIX_CHANGED;
}
