/* fuzz_export (wid): libFuzzer harness for the export importer: the first pass (size, DOCTYPE,
 * truncation, schema, host, hashes, columns, values) and, when it accepts, every query fed. */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collect_queries.h"
#include "export_read.h"
#include "log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void quiet(enum log_level level, const char *message, void *d)
{
	(void)level;
	(void)message;
	(void)d;
}

static int count_row(void *data, const struct db_value *values, size_t n)
{
	size_t i, *total = data;

	/* touch every value as the snapshot would */
	for (i = 0; i < n; i++)
		if (!values[i].is_null && values[i].text)
			*total += values[i].len + (values[i].text[values[i].len] == '\0');
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	static const char *aliases[] = {"S01-SUP1"};
	struct server s;
	struct export_limits lim = {1 << 20, 4096};
	struct export_file *f = NULL;
	char *error = NULL;
	FILE *fp;
	size_t i, total = 0;
	long long rows;

	log_set_sink(quiet, NULL);
	if (!path[0])
		snprintf(path, sizeof(path), "/tmp/fuzz_export_%d.xml", (int)getpid());
	fp = fopen(path, "wb");
	if (!fp)
		return 0;
	fwrite(data, 1, size, fp);
	fclose(fp);
	memset(&s, 0, sizeof(s));
	s.name = "s01-sup1.contoso.com";
	s.aliases = aliases;
	s.naliases = 1;
	if (export_open(path, &s, &lim, &f, &error) == 0) {
		(void)export_query(f, &collect_probe, count_row, &total, &rows, &error);
		free(error);
		error = NULL;
		for (i = 0; i < collect_nqueries; i++) {
			(void)export_query(f, &collect_queries[i], count_row, &total, &rows, &error);
			free(error);
			error = NULL;
		}
		export_close(f);
	}
	free(error);
	return 0;
}
