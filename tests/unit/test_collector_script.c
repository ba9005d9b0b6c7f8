/* test_collector_script: the generated PowerShell collector carries exactly the queries this
 * build runs over TDS (ids, order, text byte for byte, SHA-256) and the same session options,
 * and nothing that could write. Its syntax is checked by ps_parse_collector. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect.h"
#include "collect_queries.h"
#include "embedded.h"
#include "version.h"
#include "xalloc.h"

static char *read_text(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long n;

	if (!fp)
		fail_msg("cannot open '%s'", path);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	buf = xmalloc((size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

/* SHA-256 by coreutils, independent of the CMake code that embedded the hashes. */
static char *sha256_of(const char *path)
{
	char *cmd = xasprintf("sha256sum '%s'", path), line[256];
	FILE *p = popen(cmd, "r");

	assert_non_null(p);
	assert_non_null(fgets(line, sizeof(line), p));
	assert_int_equal(pclose(p), 0);
	free(cmd);
	line[64] = '\0';
	return xstrdup(line);
}

struct embedded_query {
	char *id, *sha, *text;
};

/* Every `$text = @'...'@` followed by `[void]$Queries.Add(@{ Id = ..; Sha256 = ..` */
static size_t parse_script(const char *s, struct embedded_query *out, size_t max)
{
	static const char open[] = "$text = @'\n", close[] = "\n'@\n",
			  add[] = "[void]$Queries.Add(@{ Id = '";
	const char *p = s;
	size_t n = 0;

	while ((p = strstr(p, open)) != NULL) {
		const char *body = p + strlen(open), *end = strstr(body, close), *a, *q;

		assert_non_null(end);
		a = end + strlen(close);
		assert_true(strncmp(a, add, strlen(add)) == 0);
		a += strlen(add);
		q = strchr(a, '\'');
		assert_non_null(q);
		assert_true(n < max);
		out[n].id = xstrndup(a, (size_t)(q - a));
		assert_true(strncmp(q, "'; Sha256 = '", 13) == 0);
		out[n].sha = xstrndup(q + 13, 64);
		assert_true(strncmp(q + 13 + 64, "'; Text = $text + \"`n\" })\n", 26) == 0);
		/* the script adds back the newline the here-string drops */
		out[n].text = xasprintf("%.*s\n", (int)(end - body), body);
		n++;
		p = q;
	}
	return n;
}

static size_t count(const char *s, const char *needle)
{
	size_t n = 0;

	for (; (s = strstr(s, needle)) != NULL; s += strlen(needle))
		n++;
	return n;
}

static void test_embedded_queries(void **state)
{
	char *script = read_text(SUSAUDIT_COLLECTOR_SCRIPT);
	struct embedded_query q[64];
	size_t n = parse_script(script, q, 64), i;

	(void)state;
	/* the probe first, then the collector's table in its order: nothing more, nothing less */
	assert_int_equal(n, collect_nqueries + 1);
	for (i = 0; i < n; i++) {
		const struct collect_query *cq = i == 0 ? &collect_probe : &collect_queries[i - 1];
		const struct embedded_file *ef = &embedded_files[cq->text];
		char *path = xasprintf("%s/%s", SUSAUDIT_SOURCE_DIR, ef->name);
		char *sha = sha256_of(path);

		assert_string_equal(q[i].id, cq->name);
		assert_string_equal(q[i].text, embedded_text(cq->text));
		assert_string_equal(q[i].sha, ef->sha256);
		assert_string_equal(q[i].sha, sha);
		free(sha);
		free(path);
		free(q[i].id);
		free(q[i].sha);
		free(q[i].text);
	}
	free(script);
}

static void test_session_and_read_only(void **state)
{
	char *script = read_text(SUSAUDIT_COLLECTOR_SCRIPT);
	char *setup = xasprintf("$SessionSetup = '%s'\n", collect_session_setup);
	char *version = xasprintf("$CollectorVersion = '%s'\n", SUSAUDIT_VERSION);

	(void)state;
	assert_non_null(strstr(script, setup));
	assert_non_null(strstr(script, version));
	/* what it sends: the session options, @@VERSION and the embedded queries, nothing else */
	assert_int_equal(count(script, ".CommandText ="), 3);
	assert_non_null(strstr(script, "$cmd.CommandText = $SessionSetup\n"));
	assert_non_null(strstr(script, "$cmd.CommandText = 'SELECT @@VERSION'\n"));
	assert_non_null(strstr(script, "$cmd.CommandText = $q.Text\n"));
	/* susaudit fix's UPDATE is not in it */
	assert_null(strstr(script, "fix_bits"));
	assert_null(strstr(script, embedded_text(EMBED_QUERIES_FIX_BITS_UPDATE_SQL)));
	/* one statement without rows: the session options, right after they are set */
	assert_int_equal(count(script, "ExecuteNonQuery()"), 1);
	assert_non_null(strstr(script, "$cmd.CommandText = $SessionSetup\n    [void]$cmd.ExecuteNonQuery()"));
	/* no placeholder left, and ASCII only (Windows PowerShell 5.1 reads a BOM-less file as ANSI) */
	assert_null(strstr(script, "@SUSAUDIT_"));
	{
		const unsigned char *p;

		for (p = (const unsigned char *)script; *p; p++)
			if (*p >= 0x80 || (*p < 0x20 && *p != '\n' && *p != '\t'))
				fail_msg("byte 0x%02x at offset %ld", *p, (long)(p - (const unsigned char *)script));
	}
	free(setup);
	free(version);
	free(script);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_embedded_queries),
		cmocka_unit_test(test_session_and_read_only),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
