/* test_references: every reference a report, a remedy or a message can print resolves to a
 * document that ships with the product. The string literals of src/ (what the program can
 * print; comments are not read) are searched for rule ids (R1), SUSDB fact ids (Q3) and file
 * names ending in .md; each must exist: the rule as a heading of docs/rules.md, the fact as a
 * heading of docs/susdb-facts.md, the file in docs/ or the top folder, and never a document of
 * the project's steering material (DOMAIN.md, INTERFACE.md, needs.md, shared/), which users do
 * not have. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "rb");
	long n;
	char *s;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	s = malloc((size_t)n + 1);
	assert_non_null(s);
	assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
	s[n] = '\0';
	fclose(f);
	return s;
}

static char *doc(const char *rel)
{
	char path[1024];
	char *s;

	snprintf(path, sizeof(path), "%s/%s", SUSAUDIT_SOURCE_DIR, rel);
	s = read_all(path);
	if (!s)
		fail_msg("'%s' is missing", rel);
	return s;
}

struct docs {
	char *rules, *facts;
	int problems;
};

/* A token like R12 or Q3 at `p` (not inside a longer word). */
static int id_at(const char *start, const char *p, char letter, int *number)
{
	char *end;
	long n;

	if (*p != letter || !isdigit((unsigned char)p[1]))
		return 0;
	if (p > start && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
		return 0;
	n = strtol(p + 1, &end, 10);
	if (isalnum((unsigned char)*end) || *end == '_')
		return 0;
	*number = (int)n;
	return 1;
}

static int has_heading(const char *text, const char *fmt, int n)
{
	char want[64];

	snprintf(want, sizeof(want), fmt, n);
	return strstr(text, want) != NULL;
}

static void check_literal(struct docs *d, const char *file, int line, const char *lit)
{
	static const char *const unshipped[] = {"DOMAIN.md", "INTERFACE.md", "needs.md",
						"schema.md", "schema-open-questions.md",
						"shared/", "STYLE.md"};
	const char *p;
	size_t i;
	int n;

	for (i = 0; i < sizeof(unshipped) / sizeof(unshipped[0]); i++)
		if (strstr(lit, unshipped[i])) {
			print_error("%s:%d: refers to '%s', which does not ship: \"%s\"\n", file,
				    line, unshipped[i], lit);
			d->problems++;
		}
	for (p = lit; *p; p++) {
		if (id_at(lit, p, 'R', &n) && !has_heading(d->rules, "### R%d:", n)) {
			print_error("%s:%d: rule R%d is not in docs/rules.md: \"%s\"\n", file, line,
				    n, lit);
			d->problems++;
		}
		if (id_at(lit, p, 'Q', &n) && !has_heading(d->facts, "## Q%d.", n)) {
			print_error("%s:%d: Q%d is not in docs/susdb-facts.md: \"%s\"\n", file,
				    line, n, lit);
			d->problems++;
		}
	}
	/* any other NAME.md must be a shipped document */
	for (p = strstr(lit, ".md"); p; p = strstr(p + 1, ".md")) {
		const char *b = p;
		char name[256], path[1100];

		while (b > lit && (isalnum((unsigned char)b[-1]) || strchr("_-/", b[-1])))
			b--;
		if ((size_t)(p + 3 - b) >= sizeof(name) || b == p)
			continue;
		memcpy(name, b, (size_t)(p + 3 - b));
		name[p + 3 - b] = '\0';
		snprintf(path, sizeof(path), "%s/%s", SUSAUDIT_SOURCE_DIR, name);
		if (access(path, R_OK) != 0) {
			snprintf(path, sizeof(path), "%s/docs/%s", SUSAUDIT_SOURCE_DIR, name);
			if (access(path, R_OK) != 0) {
				print_error("%s:%d: '%s' is no shipped document: \"%s\"\n", file,
					    line, name, lit);
				d->problems++;
			}
		}
	}
}

/* Walks the C text, skipping comments and character constants, and hands over each string
 * literal (escapes kept as written; adjacent literals are checked one by one). */
static void scan(struct docs *d, const char *file, const char *s)
{
	int line = 1;
	char *lit = malloc(strlen(s) + 1);

	assert_non_null(lit);
	while (*s) {
		if (*s == '\n') {
			line++;
			s++;
		} else if (s[0] == '/' && s[1] == '*') {
			for (s += 2; *s && !(s[0] == '*' && s[1] == '/'); s++)
				line += *s == '\n';
			s += *s ? 2 : 0;
		} else if (s[0] == '/' && s[1] == '/') {
			while (*s && *s != '\n')
				s++;
		} else if (*s == '\'') {
			for (s++; *s && *s != '\''; s++)
				s += s[0] == '\\' && s[1];
			s += *s ? 1 : 0;
		} else if (*s == '"') {
			size_t n = 0;
			int at = line;

			for (s++; *s && *s != '"'; s++) {
				if (s[0] == '\\' && s[1])
					lit[n++] = *s++;
				lit[n++] = *s;
			}
			lit[n] = '\0';
			s += *s ? 1 : 0;
			check_literal(d, file, at, lit);
		} else {
			s++;
		}
	}
	free(lit);
}

static void test_printed_references_resolve(void **state)
{
	struct docs d = {doc("docs/rules.md"), doc("docs/susdb-facts.md"), 0};
	char dir[1024];
	struct dirent *e;
	DIR *dp;
	size_t files = 0;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/src", SUSAUDIT_SOURCE_DIR);
	dp = opendir(dir);
	assert_non_null(dp);
	while ((e = readdir(dp)) != NULL) {
		size_t n = strlen(e->d_name);
		char path[1300];
		char *text;

		if (n < 3 || strcmp(e->d_name + n - 2, ".c") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		text = read_all(path);
		assert_non_null(text);
		scan(&d, e->d_name, text);
		free(text);
		files++;
	}
	closedir(dp);
	assert_true(files > 20);
	free(d.rules);
	free(d.facts);
	if (d.problems)
		fail_msg("%d reference(s) the user cannot follow (listed above)", d.problems);
}

/* The scanner itself: it finds what it must and ignores comments. */
static void test_scanner_fires(void **state)
{
	struct docs d = {doc("docs/rules.md"), doc("docs/susdb-facts.md"), 0};

	(void)state;
	scan(&d, "t.c", "/* DOMAIN.md R99 in a comment */ x = \"see R11 and Q7\";");
	assert_int_equal(d.problems, 0);
	scan(&d, "t.c", "x = \"see DOMAIN.md, R99, Q42 and nothing.md\";");
	assert_int_equal(d.problems, 5); /* DOMAIN.md counts twice: unshipped, and no such file */
	free(d.rules);
	free(d.facts);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_scanner_fires),
	    cmocka_unit_test(test_printed_references_resolve),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
