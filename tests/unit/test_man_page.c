/* test_man_page: docs/susaudit.1 and `susaudit --help` name the same commands and options. */
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
#include <sys/wait.h>

#include "fixture_hierarchy.h"
#include "xalloc.h"

struct names {
	char **v;
	size_t n;
};

static void add(struct names *s, const char *p, size_t len)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strlen(s->v[i]) == len && strncmp(s->v[i], p, len) == 0)
			return;
	s->v = xrealloc(s->v, (s->n + 1) * sizeof(*s->v));
	s->v[s->n++] = xstrndup(p, len);
}

static int has(const struct names *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->v[i], name) == 0)
			return 1;
	return 0;
}

static void names_free(struct names *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
}

/* Every option in `text`: --long-name, and -x standing alone. */
static void options_in(const char *text, struct names *s)
{
	const char *p;

	for (p = text; *p; p++) {
		size_t n = 0;

		if (p[0] != '-' || (p > text && (isalnum((unsigned char)p[-1]) || p[-1] == '-')))
			continue;
		if (p[1] == '-') {
			while (isalnum((unsigned char)p[2 + n]) || p[2 + n] == '-')
				n++;
			if (n)
				add(s, p, n + 2);
			p += n + 1;
		} else if (isalpha((unsigned char)p[1]) && !isalnum((unsigned char)p[2]) &&
			   p[2] != '-') {
			add(s, p, 2);
		}
	}
}

/* roff to plain text, as far as option names go: "\-" is "-", font escapes dropped. */
static char *unroff(const char *s)
{
	char *out = xmalloc(strlen(s) + 1), *o = out;

	while (*s) {
		if (s[0] == '\\' && s[1] == '-') {
			*o++ = '-';
			s += 2;
		} else if (s[0] == '\\' && s[1] == 'f' && s[2]) {
			s += 3;
		} else {
			*o++ = *s++;
		}
	}
	*o = '\0';
	return out;
}

/* The text of section `name` of the page (up to the next .SH), malloc'd. */
static char *section(const char *page, const char *name)
{
	char *head = xasprintf(".SH %s\n", name);
	const char *begin = strstr(page, head), *end;

	free(head);
	if (!begin)
		return NULL;
	begin += strlen(name) + 5;
	end = strstr(begin, "\n.SH ");
	return xstrndup(begin, end ? (size_t)(end - begin) : strlen(begin));
}

/* `susaudit ARGS` with stderr joined; *status its exit code (NULL: must be 0). */
static char *output_of(const char *args, int *status)
{
	char *cmd = xasprintf("'%s' %s 2>&1", SUSAUDIT_BINARY, args), buf[4096], *out = NULL;
	size_t len = 0, cap = 0, n;
	FILE *p = popen(cmd, "r");
	int st;

	assert_non_null(p);
	while ((n = fread(buf, 1, sizeof(buf), p)) > 0) {
		out = xgrow(out, &cap, len + n + 1, 1);
		memcpy(out + len, buf, n);
		len += n;
	}
	st = WEXITSTATUS(pclose(p));
	if (status)
		*status = st;
	else
		assert_int_equal(st, 0);
	if (!out)
		out = xcalloc(1, 1);
	out[len] = '\0';
	free(cmd);
	return out;
}

static char *help_text(void)
{
	char *cmd = xasprintf("'%s' --help", SUSAUDIT_BINARY), buf[4096], *out = NULL;
	size_t len = 0, cap = 0, n;
	FILE *p = popen(cmd, "r");

	assert_non_null(p);
	while ((n = fread(buf, 1, sizeof(buf), p)) > 0) {
		out = xgrow(out, &cap, len + n + 1, 1);
		memcpy(out + len, buf, n);
		len += n;
	}
	assert_int_equal(WEXITSTATUS(pclose(p)), 0);
	assert_non_null(out);
	out[len] = '\0';
	free(cmd);
	return out;
}

static void test_same_options(void **state)
{
	char *path = xasprintf("%s/docs/susaudit.1", SUSAUDIT_SOURCE_DIR);
	char *raw = fixture_read_file(path, NULL), *page, *synopsis, *options, *commands, *help;
	struct names h = {0}, syn = {0}, opt = {0};
	size_t i;

	(void)state;
	assert_non_null(raw);
	page = unroff(raw);
	synopsis = section(page, "SYNOPSIS");
	options = section(page, "OPTIONS");
	commands = section(page, "COMMANDS");
	assert_non_null(synopsis);
	assert_non_null(options);
	assert_non_null(commands);
	help = help_text();
	options_in(help, &h);
	options_in(synopsis, &syn);
	options_in(options, &opt);
	assert_true(h.n >= 10);
	/* the synopsis is the usage: the same options, both ways */
	for (i = 0; i < h.n; i++)
		if (!has(&syn, h.v[i]))
			fail_msg("--help lists %s; the man page's SYNOPSIS does not", h.v[i]);
	for (i = 0; i < syn.n; i++)
		if (!has(&h, syn.v[i]))
			fail_msg("the man page's SYNOPSIS lists %s; --help does not", syn.v[i]);
	/* every option is described under OPTIONS, and nothing there is unknown to --help
	 * (besides the long forms -o and -j have, and -h/-V) */
	for (i = 0; i < h.n; i++)
		if (!has(&opt, h.v[i]))
			fail_msg("the man page's OPTIONS does not describe %s", h.v[i]);
	for (i = 0; i < opt.n; i++) {
		/* short forms, listed by each command's --help (test_command_help) */
		static const char *const aliases[] = {"--output", "-j", "-q", "-h", "-V", "-v", "-f",
						      "-o"};
		size_t k, alias = 0;

		for (k = 0; k < sizeof(aliases) / sizeof(aliases[0]); k++)
			alias |= strcmp(opt.v[i], aliases[k]) == 0;
		if (!alias && !has(&h, opt.v[i]))
			fail_msg("the man page describes %s; --help does not list it", opt.v[i]);
	}
	/* the commands of --help ("  name  summary" after "commands:") are in COMMANDS */
	{
		const char *p = strstr(help, "\ncommands:\n");

		assert_non_null(p);
		for (p = strchr(p + 1, '\n') + 1; p[0] == ' ' && p[1] == ' ';
		     p = strchr(p, '\n') + 1) {
			size_t n = strcspn(p + 2, " \n");
			char *want = xasprintf(".B %.*s\n", (int)n, p + 2);

			if (!strstr(commands, want))
				fail_msg("the man page's COMMANDS does not describe '%.*s'", (int)n,
					 p + 2);
			free(want);
		}
	}
	names_free(&h);
	names_free(&syn);
	names_free(&opt);
	free(help);
	free(commands);
	free(options);
	free(synopsis);
	free(page);
	free(raw);
	free(path);
}

/* Each command's --help (from the table its parser reads): every option it lists is in its
 * synopsis, is described under the man page's OPTIONS, and is accepted by the parser. */
static void test_command_help(void **state)
{
	static const char *const commands[] = {"audit",	 "checks", "collect",
					       "fix",	 "history", "validate"};
	char *path = xasprintf("%s/docs/susaudit.1", SUSAUDIT_SOURCE_DIR);
	char *raw = fixture_read_file(path, NULL), *page, *options;
	size_t c, i;

	(void)state;
	assert_non_null(raw);
	page = unroff(raw);
	options = section(page, "OPTIONS");
	assert_non_null(options);
	/* "\\e\\e" renders as two backslashes: host\\instance, not host\instance */
	if (strstr(raw, "\\e\\e"))
		fail_msg("the man page writes a backslash twice (\\e\\e)");
	for (c = 0; c < sizeof(commands) / sizeof(commands[0]); c++) {
		char *args = xasprintf("%s --help", commands[c]), *help = output_of(args, NULL);
		const char *table = strstr(help, "\noptions:\n");
		struct names listed = {0}, usage = {0}, described = {0};
		char *synopsis;

		assert_non_null(table);
		synopsis = xstrndup(help, (size_t)(table - help));
		options_in(table, &listed);
		options_in(synopsis, &usage);
		options_in(options, &described);
		for (i = 0; i < listed.n; i++) {
			char *try, *out;
			int status;

			if (strcmp(listed.v[i], "-h") == 0 || strcmp(listed.v[i], "--help") == 0)
				continue;
			if (listed.v[i][1] == '-' && !has(&usage, listed.v[i])) {
				/* "-o, --output FILE": the usage may give the short form */
				const char *at = strstr(table, listed.v[i]);
				char shortform[3] = {0};

				if (at && at - table >= 4 && at[-4] == '-' && at[-2] == ',')
					memcpy(shortform, at - 4, 2);
				if (!shortform[0] || !has(&usage, shortform))
					fail_msg("'%s --help' lists %s; its usage does not",
						 commands[c], listed.v[i]);
			}
			if (!has(&described, listed.v[i]))
				fail_msg("'%s --help' lists %s; the man page's OPTIONS does not "
					 "describe it",
					 commands[c], listed.v[i]);
			/* the parser knows it: whatever else fails, not as an unknown option */
			try = xasprintf("%s %s x </dev/null", commands[c], listed.v[i]);
			out = output_of(try, &status);
			if (strstr(out, "unknown option"))
				fail_msg("'%s' lists %s but its parser refuses it: %s", commands[c],
					 listed.v[i], out);
			free(out);
			free(try);
		}
		assert_true(listed.n >= 2);
		names_free(&listed);
		names_free(&usage);
		names_free(&described);
		free(synopsis);
		free(help);
		free(args);
	}
	free(options);
	free(page);
	free(raw);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_same_options),
	    cmocka_unit_test(test_command_help),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
