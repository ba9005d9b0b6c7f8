/* test_readonly: everything an audit and a collection send to SUSDB, from the test servers'
 * batch logs — only SELECT, SET and USE, and every session set up not to block WSUS. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "reliability_support.h"
#include "xalloc.h"

/* Keywords that write, change the schema or the server, run code, or hold transactions. */
static const char *const forbidden[] = {
    "INSERT",	      "UPDATE",	     "DELETE",	  "MERGE",	"CREATE",     "ALTER",
    "DROP",	      "TRUNCATE",    "EXEC",	  "EXECUTE",	"GRANT",      "REVOKE",
    "DENY",	      "INTO",	     "BULK",	  "DBCC",	"KILL",	      "SHUTDOWN",
    "BACKUP",	      "RESTORE",     "WRITETEXT", "UPDATETEXT", "OPENROWSET", "OPENQUERY",
    "OPENDATASOURCE", "RECONFIGURE", "BEGIN",	  "COMMIT",	"ROLLBACK",   "SAVE",
    "DECLARE",	      "CHECKPOINT",  "WAITFOR",	  "USE_PLAN",	NULL,
};

/* The batch with comments, literals and quoted identifiers blanked out: what is left is the
 * statement's keywords and names. */
static char *code_only(const char *sql)
{
	char *out = xstrdup(sql), *o = out;
	const char *p = sql;

	while (*p) {
		if (p[0] == '-' && p[1] == '-') {
			while (*p && *p != '\n')
				p++, *o++ = ' ';
		} else if (p[0] == '/' && p[1] == '*') {
			while (*p && !(p[0] == '*' && p[1] == '/'))
				p++, *o++ = ' ';
			if (*p)
				p += 2, *o++ = ' ', *o++ = ' ';
		} else if (*p == '\'' || *p == '[' || *p == '"') {
			char close = *p == '[' ? ']' : *p;

			p++, *o++ = ' ';
			for (;;) {
				if (!*p)
					break;
				if (*p == close && p[1] == close) {
					p += 2, *o++ = ' ', *o++ = ' ';
					continue;
				}
				if (*p == close) {
					p++, *o++ = ' ';
					break;
				}
				p++, *o++ = ' ';
			}
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
	return out;
}

/* Why the batch is not read-only (a statement that is not SELECT, SET or USE, or a forbidden
 * word), written to why; 0 when it is read-only. */
static int batch_writes(const char *batch, char *why, size_t size)
{
	char *code = code_only(batch), *stmt, *save = NULL;
	int bad = 0;

	for (stmt = strtok_r(code, ";", &save); stmt && !bad; stmt = strtok_r(NULL, ";", &save)) {
		char *p = stmt, word[64];
		size_t n;
		int first = 1;

		while (!bad) {
			while (*p && !isalnum((unsigned char)*p) && *p != '_' && *p != '@')
				p++;
			if (!*p)
				break;
			for (n = 0; *p && (isalnum((unsigned char)*p) || *p == '_' || *p == '@');
			     p++)
				if (n + 1 < sizeof(word))
					word[n++] = *p;
			word[n] = '\0';
			if (first && strcasecmp(word, "SELECT") != 0 &&
			    strcasecmp(word, "SET") != 0 && strcasecmp(word, "USE") != 0) {
				snprintf(why, size, "a statement starts with '%s'", word);
				bad = 1;
			}
			first = 0;
			for (const char *const *f = forbidden; *f && !bad; f++)
				if (strcasecmp(word, *f) == 0) {
					snprintf(why, size, "'%s' in the batch", word);
					bad = 1;
				}
		}
	}
	free(code);
	return bad;
}

static void check_batch(const char *server, const char *batch)
{
	char why[128];

	if (batch_writes(batch, why, sizeof(why)))
		fail_msg("%s: %s: %s", server, why, batch);
}

struct logs {
	char *paths[16];
	size_t n;
};

static void with_log(const char *server, struct tds_server_options *o, void *data)
{
	struct logs *l = data;

	(void)server;
	assert_true(l->n < 16);
	l->paths[l->n] = rel_temp_path("batches", ".log");
	o->batch_log = l->paths[l->n++];
}

/* The checker itself: it must catch what it exists to catch. */
static void test_checker_catches_writes(void **state)
{
	(void)state;
	char why[128];

	assert_int_equal(batch_writes("SELECT 1 AS x -- DROP TABLE t\nFROM t WHERE n = N'DELETE "
				      "me'; SET NOCOUNT ON",
				      why, sizeof(why)),
			 0);
	assert_int_equal(batch_writes("SELECT [update] FROM [insert] WHERE a = 'it''s; UPDATE x' "
				      "/* ; DELETE */",
				      why, sizeof(why)),
			 0);
	assert_int_equal(
	    batch_writes("SELECT 1; UPDATE tbConfigurationB SET x = 1", why, sizeof(why)), 1);
	assert_string_equal(why, "a statement starts with 'UPDATE'");
	assert_int_equal(batch_writes("SELECT a INTO t2 FROM t", why, sizeof(why)), 1);
	assert_int_equal(batch_writes("EXEC sp_configure", why, sizeof(why)), 1);
	assert_int_equal(batch_writes("select 1\ndelete from t", why, sizeof(why)), 1);
	assert_int_equal(batch_writes("SELECT 'x'; BEGIN TRAN", why, sizeof(why)), 1);
}

static void test_audit_sends_only_reads(void **state)
{
	struct fixture_hierarchy f;
	struct logs logs;
	struct rel_result r;
	char *report = rel_temp_path("readonly", ".json"), *snap = rel_temp_path("readonly", ".db");
	size_t i, total = 0, sessions = 0;

	(void)state;
	memset(&logs, 0, sizeof(logs));
	assert_int_equal(fixture_hierarchy_start("tests/fixtures/clean/hierarchy.xml.in",
						 "tests/fixtures/clean", NULL, 0, with_log, &logs,
						 &f),
			 0);
	r = rel_run("audit '%s' --format json -o '%s'", f.xml_path, report);
	assert_true(r.status == 0 || r.status == 2);
	rel_result_free(&r);
	r = rel_run("collect '%s' -o '%s' --jobs 2", f.xml_path, snap);
	assert_int_equal(r.status, 0);
	rel_result_free(&r);
	fixture_hierarchy_stop(&f);

	for (i = 0; i < logs.n; i++) {
		size_t n = 0, nc = 0, b;
		char **batches = tds_batch_log_read(logs.paths[i], &n);
		unsigned *conn = tds_batch_log_connections(logs.paths[i], &nc);
		unsigned char *setup = NULL;
		size_t ncap = 0;

		assert_true(n > 0);
		assert_int_equal(n, nc);
		for (b = 0; b < n; b++) {
			check_batch(logs.paths[i], batches[b]);
			/* a session is set up before it reads anything */
			if (conn[b] >= ncap) {
				size_t old = ncap;

				ncap = conn[b] + 16;
				setup = xrealloc(setup, ncap);
				memset(setup + old, 0, ncap - old);
			}
			if (strstr(batches[b],
				   "SET TRANSACTION ISOLATION LEVEL READ UNCOMMITTED")) {
				assert_non_null(strstr(batches[b], "SET LOCK_TIMEOUT"));
				assert_non_null(strstr(batches[b], "SET DEADLOCK_PRIORITY LOW"));
				sessions += !setup[conn[b]];
				setup[conn[b]] = 1;
			} else if (strncasecmp(batches[b], "set ", 4) != 0 && !setup[conn[b]]) {
				fail_msg("%s: connection %u reads before its session setup: %s",
					 logs.paths[i], conn[b], batches[b]);
			}
		}
		total += n;
		tds_batch_log_free(batches, n);
		free(conn);
		free(setup);
		unlink(logs.paths[i]);
		free(logs.paths[i]);
	}
	print_message("%zu batches in %zu sessions on %zu servers: only SELECT, SET, USE\n", total,
		      sessions, logs.n);
	assert_true(sessions >= 2 * logs.n); /* the audit's and the collection's */
	unlink(report);
	rel_remove_db(snap);
	free(report);
	free(snap);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_checker_catches_writes),
	    cmocka_unit_test(test_audit_sends_only_reads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
