/* cmd_validate: `susaudit validate HIERARCHY.xml [--connect]`: what an admin runs after editing
 * the hierarchy file or rotating a password. It checks the file, that every password source
 * can be read, and with --connect logs in to every server and probes its schema, without
 * collecting anything. */
#include <getopt.h> /* optind */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "cli_options.h"
#include "collect.h"
#include "collect_queries.h"
#include "dbsource.h"
#include "dbsource_tls.h"
#include "embedded.h"
#include "export_read.h"
#include "hierarchy.h"
#include "log.h"
#include "xalloc.h"

struct probe {
	char **columns;	/* "table.column" the probe found, lower case */
	size_t n, cap;
};

static int remember(void *data, const struct db_value *v, size_t n)
{
	struct probe *p = data;
	char *s;

	if (n < 2 || v[0].is_null || v[1].is_null)
		return 0;
	s = xasprintf("%.*s.%.*s", (int)v[0].len, v[0].text, (int)v[1].len, v[1].text);
	p->columns = xgrow(p->columns, &p->cap, p->n + 1, sizeof(*p->columns));
	p->columns[p->n++] = s;
	return 0;
}

static int found(const struct probe *p, const char *need)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (strcasecmp(p->columns[i], need) == 0)
			return 1;
	return 0;
}

/* The columns the queries need that the probe did not find, "a.b, c.d" (malloc'd), or NULL;
 * *required is set when a required query lacks one (the server could not be audited). */
static char *missing_columns(const struct probe *p, int *required)
{
	char *list = NULL, *next;
	size_t i, k;

	*required = 0;
	for (i = 0; i < collect_nqueries; i++) {
		const struct collect_query *q = &collect_queries[i];

		for (k = 0; q->needs && q->needs[k]; k++) {
			if (found(p, q->needs[k]) || (list && strstr(list, q->needs[k])))
				continue;
			*required |= q->required;
			next = xasprintf("%s%s%s", list ? list : "", list ? ", " : "", q->needs[k]);
			free(list);
			list = next;
		}
	}
	return list;
}

/* Logs in to one server and probes its schema; prints one line. Returns 0 when it could be
 * audited, else 1. */
static int connect_one(const struct server *s)
{
	const struct connection_settings *cs = &s->conn;
	struct db_target t = {s->name,		cs->sql,	 cs->database,	   cs->user,
			      NULL,		cs->encryption,	 cs->login_timeout,
			      cs->query_timeout, cs->ca_file,	 cs->check_hostname};
	struct probe p = {NULL, 0, 0};
	struct db_conn *conn = NULL;
	char *password = NULL, *error = NULL, *missing;
	long long rows = 0;
	enum db_status st;
	int required, rc = 1;
	size_t i;

	if (hierarchy_password_get(s, &password, &error) < 0) {
		printf("FAILED  %s: %s\n", s->name, error);
		free(error);
		return 1;
	}
	t.password = password;
	st = db_connect(&t, &conn, &error);
	if (password) {
		xwipe(password, strlen(password));
		free(password);
	}
	if (st == DB_OK)
		st = db_exec(conn, "session setup", collect_session_setup, NULL, &error);
	if (st == DB_OK)
		st = db_query(conn, collect_probe.name, embedded_text(collect_probe.text),
			      collect_probe.columns, collect_probe.ncolumns, remember, &p, &rows,
			      &error);
	if (st != DB_OK) {
		printf("FAILED  %s: %s\n", s->name, error ? error : "could not be read");
	} else {
		const struct db_conn_facts *f = db_conn_facts(conn);

		missing = missing_columns(&p, &required);
		if (missing && required)
			printf("FAILED  %s: login ok, but SUSDB lacks %s (schema-unsupported)\n",
			       s->name, missing);
		else
			printf("ok      %s: login ok (TDS %s, %s), schema %s%s\n", s->name,
			       f && f->tds_version[0] ? f->tds_version : "?",
			       f && f->session_encrypted == 1 ? "encrypted" : "not encrypted",
			       missing ? "lacks " : "ok", missing ? missing : "");
		rc = missing && required;
		free(missing);
	}
	for (i = 0; i < p.n; i++)
		free(p.columns[i]);
	free(p.columns);
	free(error);
	db_close(conn);
	return rc;
}

/* An export file named by `export=`: checked as an import would (hashes, host, format). */
static int check_export(const struct hierarchy *h, const struct server *s)
{
	char *path = hierarchy_export_path(h, s), *error = NULL;
	struct export_file *f = NULL;
	int rc = 0;

	if (export_open(path, s, NULL, &f, &error) < 0) {
		printf("FAILED  %s: %s\n", s->name, error);
		rc = 1;
	} else {
		printf("ok      %s: export '%s' collected %s is readable\n", s->name, path,
		       export_info(f)->finished);
	}
	export_close(f);
	free(error);
	free(path);
	return rc;
}

int cmd_validate(int argc, char **argv)
{
	struct hierarchy *h;
	int c, connect = 0;
	size_t i, failed = 0, skipped = 0, n;

	optind = 1;
	while ((c = cli_getopt(&cli_spec_validate, argc, argv)) != -1) {
		if (c != 'c')
			return EXIT_TOOL_FAILED;
		connect = 1;
	}
	if (optind != argc - 1) {
		log_error("usage: susaudit validate HIERARCHY.xml [--connect]");
		return EXIT_TOOL_FAILED;
	}
	if (hierarchy_load(argv[optind], &h) < 0)
		return EXIT_TOOL_FAILED;
	if (hierarchy_check_collectable(h) < 0 || hierarchy_check_tls_files(h) < 0 ||
	    collect_check_configuration(h) < 0) {
		hierarchy_free(h);
		return EXIT_TOOL_FAILED;
	}
	n = h->nservers;
	printf("%s: the file is valid: %zu server(s), every password source readable\n",
	       argv[optind], n);
	if (!connect) {
		hierarchy_free(h);
		return EXIT_CLEAN;
	}
	if (db_global_init() < 0) {
		hierarchy_free(h);
		return EXIT_TOOL_FAILED;
	}
	for (i = 0; i < n; i++) {
		const struct server *s = &h->servers[i];

		if (s->export_path) {
			failed += (size_t)check_export(h, s);
		} else if (s->conn.sql && strcasecmp(s->conn.sql, "wid") == 0) {
			printf("skipped %s: on the Windows Internal Database (collect it offline: "
			       "README, \"Servers on the Windows Internal Database\")\n",
			       s->name);
			skipped++;
		} else {
			failed += (size_t)connect_one(s);
		}
	}
	db_global_exit();
	hierarchy_free(h);
	printf("%zu of %zu server(s) ready to be audited%s\n", n - failed - skipped, n,
	       skipped ? "; the others need an offline collection" : "");
	return failed ? EXIT_FINDINGS : EXIT_CLEAN;
}
