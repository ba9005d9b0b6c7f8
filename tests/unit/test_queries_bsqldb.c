/* test_queries_bsqldb: every query of queries/ runs through FreeTDS's own bsqldb and returns
 * its contracted columns, so none depends on our client. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "collect_queries.h"
#include "fixture_hierarchy.h"
#include "xalloc.h"

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* The query as bsqldb can print it. bsqldb 1.3 refuses uniqueidentifier columns ("type 36
 * not supported"), so a query returning GUIDs runs unchanged inside a derived table whose outer
 * SELECT casts them to text; the others run exactly as written. */
static char *bsqldb_text(const struct collect_query *q)
{
	char *outer = xstrdup("SELECT"), *t, *sql;
	int has_guid = 0;
	size_t i;

	for (i = 0; i < q->ncolumns; i++) {
		int guid = q->columns[i].kind == DB_KIND_GUID;

		has_guid |= guid;
		if (guid)
			t = xasprintf("%s%s CAST(q.%s AS NVARCHAR(36)) AS %s", outer, i ? "," : "",
				      q->columns[i].name, q->columns[i].name);
		else
			t = xasprintf("%s%s q.%s", outer, i ? "," : "", q->columns[i].name);
		free(outer);
		outer = t;
	}
	if (has_guid)
		sql = xasprintf("%s FROM (\n%s\n) q\ngo\n", outer, embedded_text(q->text));
	else
		sql = xasprintf("%s\ngo\n", embedded_text(q->text));
	free(outer);
	return sql;
}

static void run_query(const struct tds_server *srv, const struct collect_query *q)
{
	char *dir = xasprintf("%s/bsqldb-%d-%s", SUSAUDIT_TEST_TMPDIR, (int)getpid(), q->name);
	char *conf = xasprintf("%s.conf", dir), *input = xasprintf("%s.sql", dir);
	char *pw = xasprintf("%s.pw", dir), *out_path = xasprintf("%s.out", dir);
	char *text = xasprintf("[susdb]\n\thost = 127.0.0.1\n\tport = %d\n\ttds version = 7.4\n"
			       "\tclient charset = UTF-8\n",
			       srv->port);
	char *sql = bsqldb_text(q);
	char *cmd, *out, *header_end;
	size_t i;
	int status;

	write_file(conf, text);
	write_file(input, sql);
	write_file(pw, FIXTURE_PASSWORD "\n");
	/* the password goes on standard input, never on the command line */
	cmd = xasprintf("FREETDSCONF='%s' bsqldb -S susdb -U susaudit -D SUSDB -i '%s' < '%s' > "
			"'%s' 2>&1",
			conf, input, pw, out_path);
	status = system(cmd);
	out = fixture_read_file(out_path, NULL);
	assert_non_null(out);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("bsqldb failed on query '%s':\n%s", q->name, out);
	/* bsqldb's first line names the columns */
	header_end = strchr(out, '\n');
	assert_non_null(header_end);
	*header_end = '\0';
	for (i = 0; i < q->ncolumns; i++)
		if (!strstr(out, q->columns[i].name))
			fail_msg("query '%s' through bsqldb: no column '%s' in '%s'", q->name,
				 q->columns[i].name, out);
	unlink(conf);
	unlink(input);
	unlink(pw);
	unlink(out_path);
	free(out);
	free(cmd);
	free(sql);
	free(text);
	free(out_path);
	free(pw);
	free(input);
	free(conf);
	free(dir);
}

static void test_every_query(void **state)
{
	char *schema = xasprintf("%s/tests/fixtures/susdb-schema.sql", SUSAUDIT_SOURCE_DIR);
	char *data = xasprintf("%s/tests/fixtures/clean/p01-sup1.contoso.com.sql",
			       SUSAUDIT_SOURCE_DIR);
	const char *files[2] = {schema, data};
	struct tds_server_options o;
	struct tds_server srv;
	size_t i;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.sql_files = files;
	o.nsql_files = 2;
	o.password = FIXTURE_PASSWORD;
	assert_int_equal(tds_server_start(&o, &srv), 0);
	run_query(&srv, &collect_probe);
	for (i = 0; i < collect_nqueries; i++)
		run_query(&srv, &collect_queries[i]);
	tds_server_stop(&srv);
	free(schema);
	free(data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_query),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
