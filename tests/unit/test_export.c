/* test_export: the export format's value rules, the writer and importer back to back, and
 * every kind of bad export refused with its own message. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collect_queries.h"
#include "embedded.h"
#include "export_read.h"
#include "export_value.h"
#include "export_write.h"
#include "fixture_dir.h"
#include "hierarchy.h"
#include "xalloc.h"

/* ---- value rules (the PowerShell collector implements the same; README "Export format") */

static char *escaped(const char *s, int attr)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);

	assert_non_null(mem);
	export_value_write_escaped(mem, s, strlen(s), attr);
	assert_int_equal(fclose(mem), 0);
	return buf;
}

static char *base64(const char *s, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);

	assert_non_null(mem);
	export_value_write_base64(mem, (const unsigned char *)s, n);
	assert_int_equal(fclose(mem), 0);
	return buf;
}

static void test_needs_base64(void **state)
{
	(void)state;
	assert_int_equal(export_value_needs_base64("", 0), 0);
	assert_int_equal(export_value_needs_base64("tab\tlf\ncr\r", 10), 0);
	assert_int_equal(export_value_needs_base64("コントソ 𝄞", strlen("コントソ 𝄞")), 0);
	assert_int_equal(export_value_needs_base64("a\x0b" "b", 3), 1);	/* vertical tab */
	assert_int_equal(export_value_needs_base64("\x01", 1), 1);
	assert_int_equal(export_value_needs_base64("a\0b", 3), 1);		/* NUL */
	assert_int_equal(export_value_needs_base64("\x1f", 1), 1);
	assert_int_equal(export_value_needs_base64("\xef\xbf\xbe", 3), 1);	/* U+FFFE */
	assert_int_equal(export_value_needs_base64("\xef\xbf\xbf", 3), 1);	/* U+FFFF */
	assert_int_equal(export_value_needs_base64("\xef\xbf\xbd", 3), 0);	/* U+FFFD */
	assert_int_equal(export_value_needs_base64("\xc3", 1), 1);		/* cut */
	assert_int_equal(export_value_needs_base64("\xc0\xaf", 2), 1);	/* overlong */
	assert_int_equal(export_value_needs_base64("\xed\xa0\x80", 3), 1);	/* surrogate */
	assert_int_equal(export_value_needs_base64("\x7f", 1), 0);		/* DEL is XML */
}

static void test_escape(void **state)
{
	char *s;

	(void)state;
	s = escaped("a&b<c>d\"e\tf\ng\rh", 0);
	assert_string_equal(s, "a&amp;b&lt;c&gt;d\"e\tf\ng&#13;h");
	free(s);
	s = escaped("a&b<c>d\"e\tf\ng\rh", 1);
	assert_string_equal(s, "a&amp;b&lt;c&gt;d&quot;e&#9;f&#10;g&#13;h");
	free(s);
	s = escaped("", 0);
	assert_string_equal(s, "");
	free(s);
}

static void test_base64(void **state)
{
	static const char *const in[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
	static const char *const out[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=",
					  "Zm9vYmFy"};
	unsigned char buf[64];
	size_t i;
	long n;

	(void)state;
	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		char *s = base64(in[i], strlen(in[i]));

		assert_string_equal(s, out[i]);	/* RFC 4648 section 10 */
		n = export_value_base64_decode(s, strlen(s), buf);
		assert_int_equal(n, (long)strlen(in[i]));
		assert_memory_equal(buf, in[i], strlen(in[i]));
		free(s);
	}
	n = export_value_base64_decode(" Zm9v\nYmFy ", 11, buf);
	assert_int_equal(n, 6);
	assert_int_equal(export_value_base64_decode("Zm9", 3, buf), -1);
	assert_int_equal(export_value_base64_decode("Zm=v", 4, buf), -1);
	assert_int_equal(export_value_base64_decode("Zm9v!", 5, buf), -1);
	assert_int_equal(export_value_base64_decode("Z===", 4, buf), -1);
}

static void test_int_guid_time(void **state)
{
	long long v = 0;

	(void)state;
	assert_int_equal(export_value_parse_int("0", 1, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(export_value_parse_int("-42", 3, &v), 0);
	assert_int_equal(v, -42);
	assert_int_equal(export_value_parse_int("9223372036854775807", 19, &v), 0);
	assert_true(v == LLONG_MAX);
	assert_int_equal(export_value_parse_int("-9223372036854775808", 20, &v), 0);
	assert_true(v == LLONG_MIN);
	assert_int_equal(export_value_parse_int("9223372036854775808", 19, &v), -1);
	assert_int_equal(export_value_parse_int("", 0, &v), -1);
	assert_int_equal(export_value_parse_int("-", 1, &v), -1);
	assert_int_equal(export_value_parse_int(" 1", 2, &v), -1);
	assert_int_equal(export_value_parse_int("1.0", 3, &v), -1);
	assert_int_equal(export_value_parse_int("1,000", 5, &v), -1);	/* a culture's digits */

	assert_int_equal(export_value_is_guid("A0A08746-4DBE-4A37-9ADF-9E7652C0B421", 36), 1);
	assert_int_equal(export_value_is_guid("a0a08746-4dbe-4a37-9adf-9e7652c0b421", 36), 0);
	assert_int_equal(export_value_is_guid("{A0A08746-4DBE-4A37-9ADF-9E7652C0B421}", 38), 0);
	assert_int_equal(export_value_is_guid("A0A087464DBE4A379ADF9E7652C0B421", 32), 0);

	assert_int_equal(export_value_is_time("2026-11-22T03:00:00.000Z", 24), 1);
	assert_int_equal(export_value_is_time("1899-12-31T23:59:59.997Z", 24), 1);
	assert_int_equal(export_value_is_time("2024-02-29T12:34:56.123Z", 24), 1);
	assert_int_equal(export_value_is_time("2023-02-29T12:34:56.123Z", 24), 0);
	assert_int_equal(export_value_is_time("1900-02-29T00:00:00.000Z", 24), 0);
	assert_int_equal(export_value_is_time("2000-02-29T00:00:00.000Z", 24), 1);
	assert_int_equal(export_value_is_time("2026-11-22T24:00:00.000Z", 24), 0);
	assert_int_equal(export_value_is_time("2026-11-22 03:00:00.000Z", 24), 0);
	assert_int_equal(export_value_is_time("2026-11-22T03:00:00.000", 23), 0);
	assert_int_equal(export_value_is_time("22.11.2026 03:00:00", 19), 0);	/* a culture's */
	assert_int_equal(export_value_is_time("\\/Date(1574202819000)\\/", 24), 0); /* PS 5.1 JSON */
}

/* ---- writer and importer back to back */

static char *tmpdir;

static int setup(void **state)
{
	(void)state;
	tmpdir = fixture_temp_dir("export");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fixture_remove_dir(tmpdir);
	return 0;
}

static struct server test_server(const char *name)
{
	static const char *aliases[] = {"WSUS02"};
	struct server s;

	memset(&s, 0, sizeof(s));
	s.name = name;
	s.aliases = aliases;
	s.naliases = 1;
	return s;
}

static const struct collect_query *query(const char *name)
{
	size_t i;

	for (i = 0; i < collect_nqueries; i++)
		if (strcmp(collect_queries[i].name, name) == 0)
			return &collect_queries[i];
	fail_msg("no query '%s'", name);
	return NULL;
}

/* The languages query's rows the tests write: text that needs every rule. */
static const char *const texts[] = {
	"en",		     /* plain */
	"",		     /* empty, not NULL */
	NULL,		     /* NULL */
	"コントソ 𝄞",	     /* Japanese and outside the BMP */
	"a\x0b" "b\x01",     /* controls XML 1.0 cannot carry: base64 */
	"cr\r\nlf\ttab<&>\"", /* CR must survive a parser's line-end normalisation */
	"  blanks  ",	     /* leading and trailing blanks */
};
#define NTEXTS (sizeof(texts) / sizeof(texts[0]))

/* Writes DIR/NAME.xml with the probe, configuration (one row) and languages (texts). */
static char *write_sample(const char *name)
{
	const struct collect_query *conf = query("configuration"), *lang = query("languages");
	struct db_value v[32];
	struct export_writer *w = NULL;
	char *error = NULL, *path;
	size_t i;

	assert_int_equal(export_writer_open(tmpdir, name, "2026-11-22T03:00:00.000Z", &w, &error),
			 0);
	export_writer_query_begin(w, &collect_probe);
	memset(v, 0, sizeof(v));
	v[0].text = "tbLanguage";
	v[0].len = 10;
	v[1].text = "LanguageID";
	v[1].len = 10;
	export_writer_row(w, v, 2);
	export_writer_query_end(w);

	/* a retried attempt: what the first one wrote must go */
	export_writer_query_begin(w, conf);
	memset(v, 0, sizeof(v));
	for (i = 0; i < conf->ncolumns; i++)
		v[i].is_null = 1;
	export_writer_row(w, v, conf->ncolumns);
	export_writer_query_begin(w, conf);
	for (i = 0; i < conf->ncolumns; i++) {
		v[i].is_null = 0;
		v[i].integer = (long long)i - 1;
		switch (conf->columns[i].kind) {
		case DB_KIND_GUID:
			v[i].text = "A0A08746-4DBE-4A37-9ADF-9E7652C0B421";
			v[i].len = 36;
			break;
		case DB_KIND_TIME:
			v[i].text = "1899-12-31T23:59:59.997Z";
			v[i].len = 24;
			break;
		case DB_KIND_TEXT:
			v[i].text = "upstream.contoso.com";
			v[i].len = strlen(v[i].text);
			break;
		case DB_KIND_INT:
			break;
		}
	}
	export_writer_row(w, v, conf->ncolumns);
	export_writer_query_end(w);

	export_writer_query_begin(w, lang);
	for (i = 0; i < NTEXTS; i++) {
		memset(v, 0, sizeof(v));
		v[0].integer = (long long)i;
		v[1].is_null = texts[i] == NULL;
		v[1].text = texts[i];
		/* the control-character text has a NUL-free length of its own */
		v[1].len = texts[i] ? strlen(texts[i]) : 0;
		v[2].integer = LLONG_MIN + (long long)i;
		v[3].integer = LLONG_MAX - (long long)i;
		export_writer_row(w, v, 4);
	}
	export_writer_query_end(w);
	assert_int_equal(export_writer_finish(w, "2026-11-22T03:05:00.000Z", &error), 0);
	path = export_file_name(name);
	{
		char *full = xasprintf("%s/%s", tmpdir, path);

		free(path);
		path = full;
	}
	assert_int_equal(access(path, R_OK), 0);
	return path;
}

struct got {
	char *texts[NTEXTS];
	int nulls[NTEXTS];
	long long ints[NTEXTS][3];
	size_t n;
	char *first[40];
	size_t ncols;
};

static int collect_row(void *data, const struct db_value *values, size_t n)
{
	struct got *g = data;
	size_t i = g->n++;

	assert_int_equal(n, 4);
	assert_true(i < NTEXTS);
	g->nulls[i] = values[1].is_null;
	g->texts[i] = values[1].is_null ? NULL : xstrndup(values[1].text, values[1].len);
	g->ints[i][0] = values[0].integer;
	g->ints[i][1] = values[2].integer;
	g->ints[i][2] = values[3].integer;
	return 0;
}

static int collect_conf(void *data, const struct db_value *values, size_t n)
{
	struct got *g = data;
	size_t i;

	g->ncols = n;
	for (i = 0; i < n && i < 40; i++)
		g->first[i] = values[i].is_null ? NULL
				: values[i].text ? xstrndup(values[i].text, values[i].len)
						 : xasprintf("%lld", values[i].integer);
	return 0;
}

static void test_write_then_read(void **state)
{
	struct server s = test_server("wsus02.contoso.com");
	char *path = write_sample("wsus02.contoso.com"), *error = NULL;
	struct export_file *f = NULL;
	struct got g;
	long long rows = -1;
	size_t i;

	(void)state;
	memset(&g, 0, sizeof(g));
	if (export_open(path, &s, NULL, &f, &error) < 0)
		fail_msg("%s", error);
	assert_string_equal(export_info(f)->producer, "susaudit");
	assert_string_equal(export_info(f)->host, "wsus02.contoso.com");
	assert_string_equal(export_info(f)->started, "2026-11-22T03:00:00.000Z");
	assert_string_equal(export_info(f)->finished, "2026-11-22T03:05:00.000Z");
	/* out of the file's order first: the importer starts over */
	assert_int_equal(export_query(f, query("languages"), collect_row, &g, &rows, &error), DB_OK);
	assert_int_equal(rows, (long long)NTEXTS);
	assert_int_equal(export_query(f, query("configuration"), collect_conf, &g, &rows, &error),
			 DB_OK);
	assert_int_equal(rows, 1);	/* the retried attempt's row is gone */
	assert_int_equal(export_query(f, query("updates"), collect_conf, &g, &rows, &error),
			 DB_SCHEMA);
	assert_non_null(strstr(error, "has no 'updates' query"));
	free(error);
	export_close(f);

	for (i = 0; i < NTEXTS; i++) {
		if (!texts[i]) {
			assert_int_equal(g.nulls[i], 1);
			continue;
		}
		assert_int_equal(g.nulls[i], 0);
		assert_string_equal(g.texts[i], texts[i]);
		assert_true(g.ints[i][0] == (long long)i);
		assert_true(g.ints[i][1] == LLONG_MIN + (long long)i);
		assert_true(g.ints[i][2] == LLONG_MAX - (long long)i);
		free(g.texts[i]);
	}
	assert_string_equal(g.first[0], "A0A08746-4DBE-4A37-9ADF-9E7652C0B421");
	for (i = 0; i < g.ncols; i++) {
		if (query("configuration")->columns[i].kind == DB_KIND_TIME)
			assert_string_equal(g.first[i], "1899-12-31T23:59:59.997Z");
		free(g.first[i]);
	}
	/* an alias names the same host */
	s.name = "other-name.contoso.com";
	free(path);
	path = write_sample("WSUS02");
	assert_int_equal(export_open(path, &s, NULL, &f, &error), 0);
	export_close(f);
	free(path);
}

/* ---- bad exports: each refused with its own message, nothing fed */

static char *read_all(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	buf = xmalloc((size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

static char *write_file(const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", tmpdir, name);
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
	return path;
}

/* Replaces the first `from` by `to` in a copy of text. */
static char *replaced(const char *text, const char *from, const char *to)
{
	const char *p = strstr(text, from);

	if (!p)
		fail_msg("'%s' not in the sample", from);
	return xasprintf("%.*s%s%s", (int)(p - text), text, to, p + strlen(from));
}

static void expect_refused(const char *text, const struct export_limits *lim, const char *want)
{
	struct server s = test_server("wsus02.contoso.com");
	struct export_file *f = NULL;
	char *path = write_file("bad.xml", text), *error = NULL;

	if (export_open(path, &s, lim, &f, &error) == 0)
		fail_msg("accepted an export that should say '%s'", want);
	assert_null(f);
	assert_non_null(error);
	if (!strstr(error, want))
		fail_msg("message '%s' does not say '%s'", error, want);
	/* every message names the file and the server */
	assert_non_null(strstr(error, path));
	assert_non_null(strstr(error, "wsus02.contoso.com"));
	free(error);
	unlink(path);
	free(path);
}

static void test_refused(void **state)
{
	char *path = write_sample("wsus02.contoso.com");
	char *good = read_all(path), *bad;
	const char *conf_sha = embedded_files[query("configuration")->text].sha256;
	struct export_limits tiny = {1000, 0}, short_values = {0, 8};

	(void)state;
	/* truncated: a copy cut short */
	bad = xstrndup(good, strlen(good) / 2);
	expect_refused(bad, NULL, "truncated");
	free(bad);
	/* another format's namespace */
	bad = replaced(good, "urn:susaudit:export:1", "urn:susaudit:export:2");
	expect_refused(bad, NULL, "expected <export xmlns=\"urn:susaudit:export:1\">");
	free(bad);
	bad = replaced(good, " xmlns=\"urn:susaudit:export:1\"", "");
	expect_refused(bad, NULL, "without a namespace");
	free(bad);
	/* too large, and a value too long */
	expect_refused(good, &tiny, "larger than the 1000 bytes");
	expect_refused(good, &short_values, "longer than 8 bytes");
	/* written by a collector whose configuration query differs from this build's */
	bad = replaced(good, conf_sha,
		       "0000000000000000000000000000000000000000000000000000000000000000");
	expect_refused(bad, NULL, "whose queries differ from those of this susaudit");
	expect_refused(bad, NULL, ": configuration; re-run the collector of version");
	free(bad);
	bad = replaced(good, "name=\"susaudit\" version=\"", "name=\"susaudit\" version=\"0.0.9-");
	{
		char *bad2 = replaced(bad, conf_sha, "1111111111111111111111111111111111111111111111111111111111111111");

		expect_refused(bad2, NULL, "written by susaudit 0.0.9-");
		free(bad2);
	}
	free(bad);
	/* another server's file */
	bad = replaced(good, "fqdn=\"wsus02.contoso.com\"", "fqdn=\"wsus03.contoso.com\"");
	expect_refused(bad, NULL, "collected on 'wsus03.contoso.com', not on 'wsus02.contoso.com'");
	free(bad);
	/* XXE and entity expansion */
	bad = replaced(good, "<export ",
		       "<!DOCTYPE export [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<export ");
	expect_refused(bad, NULL, "DOCTYPE and entity declarations are not allowed");
	free(bad);
	bad = replaced(good, "<v>en</v>", "<v>&x;</v>");
	expect_refused(bad, NULL, "not a valid export");
	free(bad);
	/* damaged in the middle */
	bad = replaced(good, "<r>", "<r><r>");
	expect_refused(bad, NULL, "not a valid export");
	free(bad);
	bad = replaced(good, "<v>en</v>", "<v>en</v><bogus/>");
	expect_refused(bad, NULL, "not a valid export");
	free(bad);
	/* well-formed and valid, but wrong for the query */
	bad = replaced(good, "A0A08746-4DBE-4A37-9ADF-9E7652C0B421",
		       "a0a08746-4dbe-4a37-9adf-9e7652c0b421");
	expect_refused(bad, NULL, "is not a GUID in canonical form");
	free(bad);
	bad = replaced(good, "1899-12-31T23:59:59.997Z", "31.12.1899 23:59:59");
	expect_refused(bad, NULL, "is not a time as YYYY-MM-DDTHH:MM:SS.mmmZ");
	free(bad);
	bad = replaced(good, "<column name=\"short_language\"/>", "<column name=\"title\"/>");
	expect_refused(bad, NULL, "column 2 is 'title', this build expects 'short_language'");
	free(bad);
	bad = replaced(good, "<v>en</v>", "<v>en</v><v>extra</v>");
	expect_refused(bad, NULL, "has 5 values, not 4");
	free(bad);
	bad = replaced(good, "rows=\"", "rows=\"1");
	expect_refused(bad, NULL, "(damaged?)");
	free(bad);
	bad = replaced(good, "format=\"1\"", "format=\"2\"");
	expect_refused(bad, NULL, "format is not 1");
	free(bad);
	bad = replaced(good, "<v>0</v>", "<v>zero</v>");
	expect_refused(bad, NULL, "is not an integer");
	free(bad);
	bad = replaced(good, "<v enc=\"base64\">", "<v enc=\"base64\">!");
	expect_refused(bad, NULL, "is not base64");
	free(bad);
	expect_refused("", NULL, "the file is empty");
	expect_refused("garbage</export>", NULL, "not a valid export");
	free(good);
	free(path);
}


/* ---- the shape the PowerShell collector writes (collector/susaudit-collect.ps1.in) */

/* An export as the script's WriteLine calls build it: @@VERSION, registry values (one missing),
 * a query that failed on the host, CRLF-free text with a CR reference, a base64 value. */
static char *script_shaped(void)
{
	const struct collect_query *conf = query("configuration"), *lang = query("languages");
	const struct collect_query *ver = query("schema_version");
	char *cols = xstrdup(""), *row = xstrdup(""), *t, *out;
	size_t i;

	for (i = 0; i < conf->ncolumns; i++) {
		const char *v;

		switch (conf->columns[i].kind) {
		case DB_KIND_GUID:
			v = "<v>A0A08746-4DBE-4A37-9ADF-9E7652C0B421</v>";
			break;
		case DB_KIND_TIME:
			v = "<v>2026-11-22T03:00:00.007Z</v>";
			break;
		case DB_KIND_TEXT:
			v = "<v xsi:nil=\"true\"/>";
			break;
		default:
			v = "<v>1</v>";
			break;
		}
		t = xasprintf("%s    <column name=\"%s\"/>\n", cols, conf->columns[i].name);
		free(cols);
		cols = t;
		t = xasprintf("%s%s", row, v);
		free(row);
		row = t;
	}
	out = xasprintf(
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<export xmlns=\"urn:susaudit:export:1\" "
	    "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" format=\"1\">\n"
	    "  <producer name=\"susaudit-collect.ps1\" version=\"0.1.0\"/>\n"
	    "  <host fqdn=\"wsus02.contoso.com\" sql-server-name=\"MICROSOFT##WID\" "
	    "connection=\"\\\\.\\pipe\\MICROSOFT##WID\\tsql\\query\"/>\n"
	    "  <started at=\"2026-11-22T03:00:00.000Z\"/>\n"
	    "  <sql-version>Microsoft SQL Server 2012 (SP4) - 11.0.7001.0 (X64) \n"
	    "\tWindows Internal Database</sql-version>\n"
	    "  <registry>\n"
	    "    <value name=\"VersionString\">10.0.17763.678</value>\n"
	    "    <value name=\"PortNumber\">8530</value>\n"
	    "    <value name=\"UsingSSL\">0</value>\n"
	    "    <value name=\"ContentDir\" xsi:nil=\"true\"/>\n"
	    "    <value name=\"SqlServerName\">MICROSOFT##WID</value>\n"
	    "  </registry>\n"
	    "  <query id=\"schema_columns\" sha256=\"%s\">\n"
	    "    <column name=\"table_name\"/>\n    <column name=\"column_name\"/>\n"
	    "    <r><v>tbLanguage</v><v>LanguageID</v></r>\n"
	    "  </query>\n"
	    "  <query id=\"configuration\" sha256=\"%s\">\n%s    <r>%s</r>\n  </query>\n"
	    "  <query id=\"schema_version\" sha256=\"%s\" error=\"Invalid object name "
	    "'dbo.tbSchemaVersion'.\" sql-error=\"208\"/>\n"
	    "  <query id=\"languages\" sha256=\"%s\">\n"
	    "    <column name=\"language_id\"/>\n    <column name=\"short_language\"/>\n"
	    "    <column name=\"enabled\"/>\n    <column name=\"uss_enabled\"/>\n"
	    "    <r><v>1033</v><v>a&#13;b</v><v>1</v><v>0</v></r>\n"
	    "    <r><v>1041</v><v enc=\"base64\">44Kz44Oz44OI44K9Cw==</v><v>0</v><v>0</v></r>\n"
	    "  </query>\n"
	    "  <finished at=\"2026-11-22T03:00:09.500Z\" queries=\"4\" rows=\"4\"/>\n"
	    "</export>\n",
	    embedded_files[collect_probe.text].sha256, embedded_files[conf->text].sha256, cols, row,
	    embedded_files[ver->text].sha256, embedded_files[lang->text].sha256);
	free(cols);
	free(row);
	return out;
}

static void test_script_shaped(void **state)
{
	struct server s = test_server("wsus02.contoso.com");
	char *text = script_shaped(), *path = write_file("script.xml", text), *error = NULL;
	struct export_file *f = NULL;
	const struct export_info *in;
	struct got g;
	long long rows;

	(void)state;
	memset(&g, 0, sizeof(g));
	if (export_open(path, &s, NULL, &f, &error) < 0)
		fail_msg("%s", error);
	in = export_info(f);
	assert_string_equal(in->producer, "susaudit-collect.ps1");
	assert_string_equal(in->sql_server_name, "MICROSOFT##WID");
	assert_string_equal(in->connection, "\\\\.\\pipe\\MICROSOFT##WID\\tsql\\query");
	assert_non_null(strstr(in->sql_version, "\n\tWindows Internal Database"));
	assert_string_equal(in->wsus_version, "10.0.17763.678");
	assert_string_equal(in->wsus_port, "8530");
	assert_string_equal(in->wsus_ssl, "0");
	assert_null(in->content_dir);	/* nil: not in the registry */
	assert_string_equal(in->finished, "2026-11-22T03:00:09.500Z");
	/* the query that failed on the host: a schema difference, with SQL Server's words */
	assert_int_equal(export_query(f, query("schema_version"), collect_row, &g, &rows, &error),
			 DB_SCHEMA);
	assert_non_null(strstr(error, "failed on the host: Invalid object name"));
	free(error);
	error = NULL;
	assert_int_equal(export_query(f, query("languages"), collect_row, &g, &rows, &error), DB_OK);
	assert_int_equal(rows, 2);
	assert_string_equal(g.texts[0], "a\rb");
	assert_string_equal(g.texts[1], "コントソ\v");
	free(g.texts[0]);
	free(g.texts[1]);
	export_close(f);
	free(path);
	free(text);
}

/* The script writes the elements and attributes of this format, in its namespace. */
static void test_script_writes_the_format(void **state)
{
	static const char *const spelt[] = {
	    "$ExportNamespace = 'urn:susaudit:export:1'", "format=\"1\">'",
	    "'  <producer name=\"'", "'  <host fqdn=\"'", "'\" sql-server-name=\"'",
	    "'\" connection=\"'", "'  <started at=\"'", "'  <sql-version>'", "'  <registry>'",
	    "'    <value name=\"'", "'\" xsi:nil=\"true\"/>'", "'  <query id=\"'", "'\" sha256=\"'",
	    "'\" error=\"'", "'\" sql-error=\"'", "'    <column name=\"'", "'    <r>'", "'</r>'",
	    "'<v xsi:nil=\"true\"/>'", "'<v/>'", "'<v enc=\"base64\">'", "'  <finished at=\"'",
	    "'\" queries=\"'", "'\" rows=\"'", "'</export>'",
	    /* the value rules of export_value.h */
	    "Replace(\"`r\", '&#13;')", "Replace('&', '&amp;').Replace('<', '&lt;').Replace('>', '&gt;')",
	    "[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\uFFFE\\uFFFF]",
	    "ToString('D').ToUpperInvariant()",
	    "\"yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fff'Z'\", $Invariant",
	    "New-Object System.Text.UTF8Encoding($false)"};
	char *tpl = NULL;
	size_t i;

	(void)state;
	{
		char *p = xasprintf("%s/collector/susaudit-collect.ps1.in", SUSAUDIT_SOURCE_DIR);

		tpl = read_all(p);
		free(p);
	}
	for (i = 0; i < sizeof(spelt) / sizeof(spelt[0]); i++)
		if (!strstr(tpl, spelt[i]))
			fail_msg("the collector does not write %s", spelt[i]);
	/* neither of the serializers needs.md warns about, past the help text that says why */
	{
		const char *code = strstr(tpl, "\n#>\n");

		assert_non_null(code);
		assert_null(strstr(code, "ConvertTo-Json"));
		assert_null(strstr(code, "Export-Csv"));
		assert_null(strstr(code, "Export-Clixml"));
	}
	free(tpl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_needs_base64),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_base64),
		cmocka_unit_test(test_int_guid_time),
		cmocka_unit_test(test_write_then_read),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_script_shaped),
		cmocka_unit_test(test_script_writes_the_format),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
