/* bench_queries: prints every collect query as one bsqldb script, for the db-lib reference run. */
#include <stdio.h>
#include <string.h>

#include "collect_queries.h"

/* bsqldb 1.3 cannot print uniqueidentifier ("type 36 not supported"): a query with GUID
 * columns runs unchanged inside a derived table whose outer SELECT casts them to text. */
static void print_query(const struct collect_query *q)
{
	int has_guid = 0;
	size_t i;

	for (i = 0; i < q->ncolumns; i++)
		has_guid |= q->columns[i].kind == DB_KIND_GUID;
	if (!has_guid) {
		printf("%s\ngo\n", embedded_text(q->text));
		return;
	}
	printf("SELECT");
	for (i = 0; i < q->ncolumns; i++) {
		const char *name = q->columns[i].name;

		if (q->columns[i].kind == DB_KIND_GUID)
			printf("%s CAST(q.%s AS NVARCHAR(36)) AS %s", i ? "," : "", name, name);
		else
			printf("%s q.%s", i ? "," : "", name);
	}
	printf(" FROM (\n%s\n) q\ngo\n", embedded_text(q->text));
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc > 1 && strcmp(argv[1], "--help") == 0) {
		printf("usage: bench-queries > script.sql\n"
		       "Prints the schema probe and every collect query, GUIDs cast to text, each "
		       "followed by 'go'.\n");
		return 0;
	}
	print_query(&collect_probe);
	for (i = 0; i < collect_nqueries; i++)
		print_query(&collect_queries[i]);
	return fflush(stdout) == 0 ? 0 : 1;
}
