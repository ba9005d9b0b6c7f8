/* test_formats_e2e: every report format written by the binary for one real audit (through
 * FreeTDS), the JSON one validated against model/report.schema.json. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fixture_hierarchy.h"
#include "json_schema.h"
#include "xalloc.h"

#define NOW "--now 2026-11-22T03:00:00Z --skip last-sync"

/* errors and warnings on several servers, one server unreachable (refused below) */
static const char *const patches[] = {
    "tests/fixtures/defects/replica-mode-fire.sql",
    "tests/fixtures/defects/missing-upstream-updates-fire.sql",
    "tests/fixtures/defects/storage-option-fire.sql",
    "tests/fixtures/defects/inactive-approvals-fire.sql",
    "tests/fixtures/defects/hostile-title.sql",
};

static char *snapshot; /* collected once for the whole file */
static struct json *schema;

struct output {
	int status;
	char *out;
	size_t len;
};

static struct output run(const char *fmt, ...)
{
	struct output r = {0, NULL, 0};
	char *args, *cmd, buf[4096];
	size_t cap = 0, n;
	va_list ap;
	FILE *p;

	va_start(ap, fmt);
	args = xvasprintf(fmt, ap);
	va_end(ap);
	cmd = xasprintf("'%s' %s 2>/dev/null", SUSAUDIT_BINARY, args);
	p = popen(cmd, "r");
	assert_non_null(p);
	while ((n = fread(buf, 1, sizeof(buf), p)) > 0) {
		r.out = xgrow(r.out, &cap, r.len + n + 1, 1);
		memcpy(r.out + r.len, buf, n);
		r.len += n;
	}
	if (!r.out)
		r.out = xcalloc(1, 1);
	r.out[r.len] = '\0';
	r.status = WEXITSTATUS(pclose(p));
	free(cmd);
	free(args);
	return r;
}

static void refuse_p02_sup2(const char *server, struct tds_server_options *o, void *data)
{
	(void)data;
	if (strcmp(server, "p02-sup2.contoso.com") == 0)
		o->refuse_login = 1;
}

static int setup(void **state)
{
	struct fixture_hierarchy f;
	struct output r;
	char *path = xasprintf("%s/model/report.schema.json", SUSAUDIT_SOURCE_DIR), err[256];
	size_t len;
	char *text = fixture_read_file(path, &len);

	(void)state;
	if (!text)
		return -1;
	schema = json_parse(text, len, err, sizeof(err));
	free(text);
	free(path);
	if (!schema) {
		fprintf(stderr, "model/report.schema.json: %s\n", err);
		return -1;
	}
	if (fixture_hierarchy_start("tests/fixtures/clean/hierarchy.xml.in", "tests/fixtures/clean",
				    patches, sizeof(patches) / sizeof(patches[0]), refuse_p02_sup2,
				    NULL, &f) < 0)
		return -1;
	snapshot = xasprintf("%s/formats-e2e-%d.db", SUSAUDIT_TEST_TMPDIR, (int)getpid());
	r = run("collect '%s' -o '%s'", f.xml_path, snapshot);
	fixture_hierarchy_stop(&f);
	free(r.out);
	return r.status == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	unlink(snapshot);
	free(snapshot);
	json_free(schema);
	return 0;
}

static struct json *audit_json(struct output *r)
{
	char err[256];
	struct json *doc;

	*r = run("audit --snapshot '%s' " NOW " --format json", snapshot);
	assert_int_equal(r->status, 2);
	doc = json_parse(r->out, r->len, err, sizeof(err));
	if (!doc)
		fail_msg("the JSON report does not parse: %s", err);
	return doc;
}

static long long summary_count(const struct json *doc, const char *severity)
{
	const struct json *n = json_get(json_get(doc, "summary"), severity);

	assert_non_null(n);
	return (long long)n->number;
}

/* The binary's JSON report is valid against the schema, and the validator does reject what
 * the schema forbids. */
static void test_json_schema(void **state)
{
	struct output r;
	struct json *doc = audit_json(&r), *bad;
	char err[512], *mutated, *p;
	const struct json *servers;
	size_t i, unreachable = 0;

	(void)state;
	if (json_schema_validate(schema, doc, err, sizeof(err)) < 0)
		fail_msg("the JSON report does not validate against model/report.schema.json: %s",
			 err);
	/* what the audit must contain for the check to mean something */
	servers = json_get(doc, "servers");
	assert_int_equal(servers->n, 9);
	for (i = 0; i < servers->n; i++)
		unreachable += json_get(servers->items[i], "reachable")->boolean == 0;
	assert_int_equal(unreachable, 1);
	assert_true(summary_count(doc, "error") >= 3);
	assert_true(summary_count(doc, "warning") >= 1);
	json_free(doc);

	/* negative controls: a severity the schema does not know, a missing required member */
	mutated = xstrdup(r.out);
	p = strstr(mutated, "\"severity\": \"error\"");
	assert_non_null(p);
	memcpy(p + strlen("\"severity\": \""), "fatal", 5);
	bad = json_parse(mutated, strlen(mutated), err, sizeof(err));
	assert_non_null(bad);
	assert_int_equal(json_schema_validate(schema, bad, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "severity"));
	json_free(bad);
	free(mutated);
	mutated = xstrdup(r.out);
	p = strstr(mutated, "\"generated_at\"");
	assert_non_null(p);
	memcpy(p + 1, "generated_on", 12);
	bad = json_parse(mutated, strlen(mutated), err, sizeof(err));
	assert_non_null(bad);
	assert_int_equal(json_schema_validate(schema, bad, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "generated_at"));
	json_free(bad);
	free(mutated);
	free(r.out);
}

/* A small schema with every keyword the validator knows, on good and bad documents. */
static void test_validator_keywords(void **state)
{
	static const char schema_text[] =
	    "{\"type\": \"object\", \"required\": [\"a\"], \"additionalProperties\": false,"
	    " \"properties\": {\"a\": {\"$ref\": \"#/$defs/a\"},"
	    " \"b\": {\"oneOf\": [{\"type\": \"null\"}, {\"type\": \"array\", \"items\": "
	    "{\"type\": \"integer\", \"minimum\": 0}}]},"
	    " \"c\": {\"enum\": [\"x\", null]}, \"d\": {\"const\": \"k\"},"
	    " \"e\": {\"type\": \"string\", \"pattern\": \"^[0-9]{2}$\"}},"
	    " \"$defs\": {\"a\": {\"type\": [\"string\", \"null\"]}}}";
	static const struct {
		const char *doc;
		int valid;
	} cases[] = {
	    {"{\"a\": \"s\", \"b\": [0, 2], \"c\": null, \"d\": \"k\", \"e\": \"42\"}", 1},
	    {"{\"a\": null, \"b\": null, \"c\": \"x\"}", 1},
	    {"{\"b\": null}", 0},		  /* required */
	    {"{\"a\": 1}", 0},			  /* $ref type */
	    {"{\"a\": \"s\", \"b\": [-1]}", 0},	  /* minimum */
	    {"{\"a\": \"s\", \"b\": [1.5]}", 0},  /* integer */
	    {"{\"a\": \"s\", \"c\": \"y\"}", 0},  /* enum */
	    {"{\"a\": \"s\", \"d\": \"j\"}", 0},  /* const */
	    {"{\"a\": \"s\", \"e\": \"4x\"}", 0}, /* pattern */
	    {"{\"a\": \"s\", \"z\": 1}", 0},	  /* additionalProperties */
	    {"{\"a\": \"\\u00e9\\ud83d\\ude00\"}", 1},
	};
	char err[256];
	struct json *s = json_parse(schema_text, strlen(schema_text), err, sizeof(err)), *d;
	size_t i;

	(void)state;
	assert_non_null(s);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		d = json_parse(cases[i].doc, strlen(cases[i].doc), err, sizeof(err));
		assert_non_null(d);
		if ((json_schema_validate(s, d, err, sizeof(err)) == 0) != cases[i].valid)
			fail_msg("case %zu (%s): expected %s, got %s", i, cases[i].doc,
				 cases[i].valid ? "valid" : "invalid", err);
		json_free(d);
	}
	/* a keyword it does not know is an error, not silently ignored */
	json_free(s);
	s = json_parse("{\"maxLength\": 3}", 16, err, sizeof(err));
	d = json_parse("\"abcd\"", 6, err, sizeof(err));
	assert_int_equal(json_schema_validate(s, d, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "maxLength"));
	json_free(s);
	json_free(d);
	assert_null(json_parse("[1, 2", 5, err, sizeof(err)));
	assert_null(json_parse("0x10", 4, err, sizeof(err)));
	assert_null(json_parse("\"\\udc00\"", 8, err, sizeof(err)));
}

/* Splits one RFC 4180 record at *pos (CRLF-terminated); returns the number of fields. */
static size_t csv_record(const char *s, size_t *pos, char fields[][64], size_t max)
{
	size_t n = 0, k = 0;
	int quoted = 0;

	for (;;) {
		char c = s[*pos];

		assert_true(c != '\0');
		(*pos)++;
		if (quoted) {
			if (c == '"' && s[*pos] == '"') {
				(*pos)++;
			} else if (c == '"') {
				quoted = 0;
				continue;
			}
		} else if (c == '"') {
			quoted = 1;
			continue;
		} else if (c == ',' || c == '\r') {
			if (n < max)
				fields[n][k < 63 ? k : 63] = '\0';
			n++;
			k = 0;
			if (c == '\r') {
				assert_int_equal(s[*pos], '\n');
				(*pos)++;
				return n;
			}
			continue;
		}
		if (n < max && k < 63)
			fields[n][k] = c;
		k++;
	}
}

static void test_csv(void **state)
{
	struct output j, r;
	struct json *doc = audit_json(&j);
	const struct json *findings = json_get(doc, "findings");
	char fields[19][64];
	size_t pos = 0, rows = 0, i;

	(void)state;
	r = run("audit --snapshot '%s' " NOW " --format csv", snapshot);
	assert_int_equal(r.status, 2);
	/* the 0.1 columns in their places, then the ones added since */
	assert_int_equal(csv_record(r.out, &pos, fields, 19), 18);
	assert_string_equal(fields[0], "severity");
	assert_string_equal(fields[3], "server");
	assert_string_equal(fields[8], "suppressed");
	assert_string_equal(fields[9], "id");
	assert_string_equal(fields[10], "hierarchy");
	assert_string_equal(fields[12], "tds_version");
	assert_string_equal(fields[17], "password_exposed");
	while (pos < r.len) {
		const struct json *f = findings->items[rows];

		assert_int_equal(csv_record(r.out, &pos, fields, 19), 18);
		assert_true(rows < findings->n);
		/* the same findings, in the same order, as the JSON report */
		assert_string_equal(fields[0], json_get(f, "severity")->string);
		assert_string_equal(fields[1], json_get(f, "check")->string);
		assert_string_equal(fields[8], "false");
		/* the same stable id as the JSON report's */
		assert_string_equal(fields[9], json_get(f, "id")->string);
		assert_string_equal(fields[10], json_get(doc, "hierarchy")->string);
		rows++;
	}
	assert_int_equal(rows, findings->n);
	for (i = 0; i + 1 < r.len; i++)
		if (r.out[i + 1] == '\n')
			assert_int_equal(r.out[i], '\r');
	free(r.out);
	free(j.out);
	json_free(doc);
}

static long long xml_long(xmlNode *n, const char *attr)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)attr);
	long long x;

	assert_non_null(v);
	x = strtoll((const char *)v, NULL, 10);
	xmlFree(v);
	return x;
}

static void test_junit(void **state)
{
	struct output j, r;
	struct json *doc = audit_json(&j);
	const struct json *checks = json_get(doc, "checks");
	xmlDoc *x;
	xmlNode *root, *suite, *c, *k;
	size_t tests = 0, failures = 0, skipped = 0, errors = 0, i;
	int *seen = xcalloc(checks->n, sizeof(*seen));

	(void)state;
	r = run("audit --snapshot '%s' " NOW " --format junit", snapshot);
	assert_int_equal(r.status, 2);
	x = xmlReadMemory(r.out, (int)r.len, "junit.xml", NULL, XML_PARSE_NONET);
	assert_non_null(x);
	root = xmlDocGetRootElement(x);
	assert_string_equal((const char *)root->name, "testsuites");
	for (suite = root->children; suite; suite = suite->next) {
		if (suite->type != XML_ELEMENT_NODE)
			continue;
		assert_string_equal((const char *)suite->name, "testsuite");
		for (c = suite->children; c; c = c->next) {
			xmlChar *cls;

			if (c->type != XML_ELEMENT_NODE ||
			    strcmp((const char *)c->name, "testcase") != 0)
				continue;
			tests++;
			cls = xmlGetProp(c, (const xmlChar *)"classname");
			assert_non_null(cls);
			assert_memory_equal(cls, "susaudit.", 9);
			for (i = 0; i < checks->n; i++)
				if (strcmp((const char *)cls + 9,
					   json_get(checks->items[i], "name")->string) == 0)
					seen[i] = 1;
			xmlFree(cls);
			for (k = c->children; k; k = k->next) {
				if (k->type != XML_ELEMENT_NODE)
					continue;
				failures += strcmp((const char *)k->name, "failure") == 0;
				skipped += strcmp((const char *)k->name, "skipped") == 0;
				errors += strcmp((const char *)k->name, "error") == 0;
			}
		}
		assert_int_equal(xml_long(suite, "tests"), (long long)tests);
		assert_int_equal(xml_long(suite, "failures"), (long long)failures);
		assert_int_equal(xml_long(suite, "skipped"), (long long)skipped);
		assert_int_equal(xml_long(suite, "errors"), (long long)errors);
	}
	/* every check of the catalogue is a testcase; the audit's findings are failures */
	for (i = 0; i < checks->n; i++)
		if (!seen[i])
			fail_msg("no testcase for check '%s'",
				 json_get(checks->items[i], "name")->string);
	assert_true(tests >= checks->n);
	assert_true(failures >= 4);
	assert_true(skipped >= 1); /* last-sync, skipped by --skip */
	xmlFreeDoc(x);
	free(seen);
	free(r.out);
	free(j.out);
	json_free(doc);
}

static void test_nagios(void **state)
{
	struct output j, r;
	struct json *doc = audit_json(&j);
	char *expected, *nl;

	(void)state;
	r = run("audit --snapshot '%s' " NOW " --format nagios", snapshot);
	assert_int_equal(r.status, 2); /* CRITICAL */
	nl = strchr(r.out, '\n');
	assert_non_null(nl);
	*nl = '\0';
	assert_memory_equal(r.out, "SUSAUDIT CRITICAL - ", 20);
	expected = xasprintf(" | errors=%lld;;;0 warnings=%lld;;;0 infos=%lld;;;0 servers=9;;;0 "
			     "unreachable=1;;;0",
			     summary_count(doc, "error"), summary_count(doc, "warning"),
			     summary_count(doc, "info"));
	if (!strstr(r.out, expected))
		fail_msg("nagios status line '%s' lacks '%s'", r.out, expected);
	free(expected);
	free(r.out);
	/* only warnings selected: WARNING (1); none: OK (0) */
	r = run("audit --snapshot '%s' " NOW " --check inactive-approvals --format nagios",
		snapshot);
	assert_int_equal(r.status, 1);
	assert_memory_equal(r.out, "SUSAUDIT WARNING - ", 19);
	free(r.out);
	r = run("audit --snapshot '%s' " NOW " --check upstream-port --format nagios", snapshot);
	assert_int_equal(r.status, 0);
	assert_memory_equal(r.out, "SUSAUDIT OK - no findings | errors=0;;;0", 40);
	free(r.out);
	free(j.out);
	json_free(doc);
}

/* text and html: written, the right exit code, the hostile title never raw in html */
static void test_text_and_html(void **state)
{
	struct output r;

	(void)state;
	r = run("audit --snapshot '%s' " NOW " --format text", snapshot);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.out, "missing-upstream-updates"));
	assert_null(strstr(r.out, "\033[")); /* piped: no colour */
	free(r.out);
	r = run("audit --snapshot '%s' " NOW " --format html", snapshot);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.out, "<svg"));
	assert_non_null(strstr(r.out, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_null(strstr(r.out, "<script>alert(1)"));
	assert_null(strstr(r.out, "<img"));
	free(r.out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_validator_keywords),
	    cmocka_unit_test(test_json_schema),
	    cmocka_unit_test(test_csv),
	    cmocka_unit_test(test_junit),
	    cmocka_unit_test(test_nagios),
	    cmocka_unit_test(test_text_and_html),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
