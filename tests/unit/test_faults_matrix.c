/* test_faults_matrix: every fault of the issue through the binary — the run completes, the
 * faulty server is reported precisely, nothing partial of it is stored, the others are whole. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collect_queries.h"
#include "dbsource.h"
#include "reliability_support.h"
#include "xalloc.h"

#define MAX_QUERIES 32

/* Rows each query of collect_queries returns from the p01-sup1 fixture, and the probe's. */
static long long probe_rows, query_rows[MAX_QUERIES];

static int count_row(void *data, const struct db_value *v, size_t n)
{
	(void)data;
	(void)v;
	(void)n;
	return 0;
}

/* Measures the rows of every query on a clean server through db-lib, as the collector reads
 * them: the drop fault counts rows per connection, so this says where each query starts. */
static void measure_rows(void)
{
	struct rel_spec spec = {.name = "measure.fault.test"};
	struct rel_world w;
	struct db_target t = {"measure",	NULL,		"SUSDB", "susaudit",
			      FIXTURE_PASSWORD, ENCRYPTION_OFF, 5,	 30,
			      NULL,		1};
	struct db_conn *c;
	char *error = NULL;
	size_t q;

	assert_true(collect_nqueries <= MAX_QUERIES);
	assert_int_equal(rel_world_start(&w, &spec, 1), 0);
	t.sql = w.servers[0].host_port;
	assert_int_equal(db_global_init(), 0);
	assert_int_equal(db_connect(&t, &c, &error), DB_OK);
	assert_int_equal(db_query(c, "probe", embedded_text(collect_probe.text),
				  collect_probe.columns, collect_probe.ncolumns, count_row, NULL,
				  &probe_rows, &error),
			 DB_OK);
	for (q = 0; q < collect_nqueries; q++) {
		const struct collect_query *cq = &collect_queries[q];

		assert_int_equal(db_query(c, cq->name, embedded_text(cq->text), cq->columns,
					  cq->ncolumns, count_row, NULL, &query_rows[q], &error),
				 DB_OK);
	}
	db_close(c);
	db_global_exit();
	rel_world_stop(&w);
	assert_true(probe_rows > 0);
}

enum expect { EXPECT_OK, EXPECT_UNREACHABLE, EXPECT_SCHEMA, EXPECT_OK_OR_UNREACHABLE };

/* What the user must see for one faulty server. */
struct fault_case {
	char *name;
	const char *stored_has; /* in the stored error when it failed */
	char *stderr_has;	/* on collect's stderr (retry warnings), or NULL */
	enum expect expect;
	int full_rows; /* when ok: every row of the fixture */
};

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* Rows stored for server `name` in every table a query fills. */
static long long stored_rows(const char *snap, const char *name)
{
	long long total = 0;
	size_t q;

	for (q = 0; q < collect_nqueries; q++) {
		char *sql = xasprintf("SELECT COUNT(*) FROM %s t JOIN server s USING (server_key) "
				      "WHERE s.name = '%s'",
				      snapshot_table_name(collect_queries[q].table), name);

		total += rel_scalar(snap, sql);
		free(sql);
	}
	return total;
}

/* Whether the JSON report holds a finding of `check` about `server`. */
static int has_finding(const char *json, const char *check, const char *server)
{
	char *c = xasprintf("\"check\": \"%s\",", check);
	char *s = xasprintf("\"server\": \"%s\"", server);
	const char *p = json;
	int found = 0;

	while (!found && (p = strstr(p, c)) != NULL) {
		const char *end = strstr(p + 1, "\"check\": ");
		const char *at = strstr(p, s);

		found = at && (!end || at < end);
		p++;
	}
	free(c);
	free(s);
	return found;
}

static void test_fault_matrix(void **state)
{
	struct rel_spec specs[16 + MAX_QUERIES];
	struct fault_case cases[16 + MAX_QUERIES];
	struct rel_world w;
	struct rel_result r;
	char *snap = rel_temp_path("matrix", ".db"), *report = rel_temp_path("matrix", ".json");
	long long before = 0, full = 0;
	size_t n = 0, i, q, failed = 0;

	(void)state;
	measure_rows();
	for (q = 0; q < collect_nqueries; q++)
		full += query_rows[q];
	memset(specs, 0, sizeof(specs));
	memset(cases, 0, sizeof(cases));

#define CASE(nm, exp, stored, err)                                                                 \
	do {                                                                                       \
		specs[n].name = cases[n].name = xstrdup(nm);                                       \
		cases[n].expect = exp;                                                             \
		cases[n].stored_has = stored;                                                      \
		cases[n].stderr_has = dup_or_null(err);                                            \
		cases[n].full_rows = exp == EXPECT_OK;                                             \
		n++;                                                                               \
	} while (0)

	CASE("healthy.fault.test", EXPECT_OK, NULL, NULL);
	CASE("refused.fault.test", EXPECT_UNREACHABLE, "Login failed", NULL);
	specs[n - 1].o.refuse_login = 1;
	CASE("closed.fault.test", EXPECT_UNREACHABLE, "could not connect to 'closed.fault.test'",
	     NULL);
	specs[n - 1].not_listening = 1;
	CASE("drops-always.fault.test", EXPECT_UNREACHABLE, "the connection was lost",
	     "(attempt 4 of 4)");
	specs[n - 1].o.drop_after_rows = 1;
	CASE("slow.fault.test", EXPECT_UNREACHABLE, "timed out after 1 seconds", NULL);
	specs[n - 1].o.delay_ms = 2500;
	specs[n - 1].query_timeout = 1;
	CASE("deadlock-once.fault.test", EXPECT_OK, NULL,
	     "query 'approvals' on 'deadlock-once.fault.test' failed");
	specs[n - 1].o.fail_pattern = "FROM dbo.tbDeployment d";
	specs[n - 1].o.fail_error = 1205;
	specs[n - 1].o.fail_count = 1;
	CASE("deadlock-always.fault.test", EXPECT_UNREACHABLE, "(SQL Server error 1205)", NULL);
	specs[n - 1].o.fail_pattern = "FROM dbo.tbDeployment d";
	specs[n - 1].o.fail_error = 1205;
	specs[n - 1].o.fail_count = 1000;
	CASE("no-table.fault.test", EXPECT_SCHEMA, "lacks 'tbConfigurationA.", NULL);
	specs[n - 1].patch_sql = "DROP TABLE tbConfigurationA;\n";
	CASE("no-column.fault.test", EXPECT_OK, NULL, NULL);
	specs[n - 1].patch_sql = "ALTER TABLE tbDeployment DROP COLUMN DeploymentStatus;\n";
	cases[n - 1].full_rows = 0; /* approvals are not read there */
	CASE("table-vanished.fault.test", EXPECT_SCHEMA, "(SQL Server error 208)", NULL);
	specs[n - 1].o.fail_pattern = "FROM dbo.tbDownstreamServerTarget";
	specs[n - 1].o.fail_error = 208;
	specs[n - 1].o.fail_count = 1000;
	/* a drop inside each query that returns rows: retried on a new connection, where the
	 * drop lands elsewhere; the server ends whole or failed, never partial */
	for (q = 0; q < collect_nqueries; q++) {
		char name[96], err[192];

		if (query_rows[q] > 0) {
			snprintf(name, sizeof(name), "drop-%s.fault.test", collect_queries[q].name);
			for (char *p = name; *p; p++)
				if (*p == '_')
					*p = '-';
			snprintf(err, sizeof(err), "query '%s' on '%s': the connection was lost",
				 collect_queries[q].name, name);
			CASE(name, EXPECT_OK_OR_UNREACHABLE, "the connection was lost", err);
			specs[n - 1].o.drop_after_rows = (int)(probe_rows + before + 1);
		}
		before += query_rows[q];
	}
#undef CASE
	assert_int_equal(rel_world_start(&w, specs, n), 0);

	r = rel_run("collect '%s' -o '%s' --jobs 16", w.xml_path, snap);
	if (r.status != 0)
		fail_msg("collect exited %d: %s", r.status, r.err);
	for (i = 0; i < n; i++) {
		const struct fault_case *c = &cases[i];
		char *sql = xasprintf("SELECT CASE WHEN status = 'ok' THEN 0 WHEN failure_check = "
				      "'server-unreachable' THEN 1 ELSE 2 END FROM server "
				      "WHERE name = '%s'",
				      c->name);
		char *esql =
		    xasprintf("SELECT COALESCE(error, '') FROM server WHERE name = '%s'", c->name);
		long long st = rel_scalar(snap, sql), rows = stored_rows(snap, c->name);
		char *error = rel_text(snap, esql);

		print_message("%-34s status %lld, %lld rows: %s\n", c->name, st, rows, error);
		switch (c->expect) {
		case EXPECT_OK:
			assert_int_equal(st, 0);
			break;
		case EXPECT_UNREACHABLE:
			assert_int_equal(st, 1);
			break;
		case EXPECT_SCHEMA:
			assert_int_equal(st, 2);
			break;
		case EXPECT_OK_OR_UNREACHABLE:
			assert_true(st == 0 || st == 1);
			break;
		}
		if (st == 0) {
			/* whole: retried queries counted once */
			if (c->full_rows || c->expect == EXPECT_OK_OR_UNREACHABLE)
				assert_int_equal(rows, full);
			else
				assert_true(rows > 0 && rows < full);
		} else {
			failed++;
			assert_int_equal(rows, 0);
			assert_non_null(strstr(error, c->name));
			if (!strstr(error, c->stored_has))
				fail_msg("%s: stored error '%s' lacks '%s'", c->name, error,
					 c->stored_has);
		}
		if (c->stderr_has && !strstr(r.err, c->stderr_has))
			fail_msg("%s: stderr lacks '%s':\n%s", c->name, c->stderr_has, r.err);
		free(error);
		free(sql);
		free(esql);
	}
	/* the run is finished and complete: every server accounted for */
	assert_int_equal(rel_scalar(snap, "SELECT COUNT(*) FROM run WHERE finished_at IS NULL"), 0);
	assert_int_equal(rel_scalar(snap, "SELECT COUNT(*) FROM server"), (long long)n);
	{
		char *want = xasprintf("%zu servers, %zu failed", n, failed);

		assert_non_null(strstr(r.err, want));
		free(want);
	}
	rel_result_free(&r);

	/* the audit of that snapshot names each failed server with its check; exit code 2 */
	r = rel_run("audit --snapshot '%s' --format json -o '%s'", snap, report);
	assert_int_equal(r.status, 2);
	rel_result_free(&r);
	{
		char *json = fixture_read_file(report, NULL);
		char *sql;

		assert_non_null(json);
		for (i = 0; i < n; i++) {
			long long st;

			sql =
			    xasprintf("SELECT CASE WHEN status = 'ok' THEN 0 WHEN failure_check = "
				      "'server-unreachable' THEN 1 ELSE 2 END FROM server "
				      "WHERE name = '%s'",
				      cases[i].name);
			st = rel_scalar(snap, sql);
			free(sql);
			assert_int_equal(has_finding(json, "server-unreachable", cases[i].name),
					 st == 1);
			if (st == 2)
				assert_true(has_finding(json, "schema-unsupported", cases[i].name));
		}
		/* a missing column the checks need: the server is read, the gap is reported */
		assert_true(has_finding(json, "schema-unsupported", "no-column.fault.test"));
		free(json);
	}
	unlink(report);

	/* the audit straight from the hierarchy: same exit codes; nagios says CRITICAL */
	r = rel_run("audit '%s' --jobs 16 --format nagios", w.xml_path);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.out, "CRITICAL"));
	rel_result_free(&r);
	/* a snapshot that cannot be written stops the tool: exit 1, nothing left behind */
	r = rel_run("collect '%s' -o '%s/no/such/dir/s.db'", w.xml_path, SUSAUDIT_TEST_TMPDIR);
	assert_int_equal(r.status, 1);
	rel_result_free(&r);

	rel_world_stop(&w);
	rel_remove_db(snap);
	for (i = 0; i < n; i++) {
		free(cases[i].name);
		free(cases[i].stderr_has);
	}
	free(snap);
	free(report);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fault_matrix),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
