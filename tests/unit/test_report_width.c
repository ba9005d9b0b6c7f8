/* test_report_width: the text report fits where it goes: 80 columns (golden), the width of a
 * terminal through the binary, 100 when it goes to a file; words are never cut. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fixture_hierarchy.h"
#include "report.h"
#include "report_escape.h"
#include "test_report_support.h"
#include "xalloc.h"

static char *render_width(size_t width, size_t *len)
{
	struct report_fixture fx;
	struct report_options opt = {0, 0, SEVERITY_WARNING, width};
	char *out;

	report_fixture_init(&fx);
	assert_int_equal(report_render(&fx.report, REPORT_TEXT, &opt, &out, len), 0);
	report_fixture_release(&fx);
	return out;
}

/* Every line fits `width` columns, unless it is one word that is wider on its own (an
 * evidence value, a path): those are never broken, so a reader can copy them. */
static void assert_fits(char *text, size_t width)
{
	char *line, *save = NULL;
	size_t n = 0;

	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		const char *p = line;
		size_t w = report_text_width(line);

		n++;
		while (*p == ' ')
			p++;
		if (w > width && strchr(p, ' ') && strlen(p) < 2000) {
			/* "key: value" evidence with one long unbreakable value is allowed */
			const char *colon = strstr(p, ": ");

			if (!(colon && !strchr(colon + 2, ' ')) && strncmp(p, "- ", 2) != 0)
				fail_msg("line %zu is %zu columns wide (limit %zu): '%s'", n, w,
					 width, line);
		}
	}
	assert_true(n > 20);
}

static void test_golden_80_columns(void **state)
{
	size_t len;
	char *out = render_width(80, &len);

	(void)state;
	golden_check("report.80.txt", out, len);
	assert_fits(out, 80);
	free(out);
}

static void test_default_100_columns(void **state)
{
	size_t len;
	char *out = render_width(0, &len);

	(void)state;
	assert_fits(out, 100);
	free(out);
}

/* Messages wrap at word boundaries, never inside a word ("autonomo/us"). */
static void test_no_word_is_cut(void **state)
{
	size_t len;
	char *out = render_width(60, &len);

	(void)state;
	assert_non_null(strstr(out, "is autonomous;"));
	assert_null(strstr(out, "autonomo\n"));
	free(out);
}

/* The binary on a terminal of 72 columns: the report fits it. */
static void test_binary_on_a_terminal(void **state)
{
	struct fixture_hierarchy f;
	struct winsize ws = {24, 72, 0, 0};
	char buf[65536], *cmd;
	size_t len = 0;
	ssize_t n;
	int master, status;
	pid_t pid;

	(void)state;
	assert_int_equal(fixture_hierarchy_start("tests/fixtures/clean/hierarchy.xml.in",
						 "tests/fixtures/clean", NULL, 0, NULL, NULL, &f),
			 0);
	cmd = xasprintf("exec '%s' audit '%s' --skip last-sync 2>/dev/null", SUSAUDIT_BINARY,
			f.xml_path);
	pid = forkpty(&master, NULL, NULL, &ws);
	assert_true(pid >= 0);
	if (pid == 0) {
		unsetenv("COLUMNS");
		setenv("NO_COLOR", "1", 1);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	while (len + 1 < sizeof(buf) && (n = read(master, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	buf[len] = '\0';
	close(master);
	waitpid(pid, &status, 0);
	assert_int_equal(WEXITSTATUS(status), 0);
	{
		/* the pty turns \n into \r\n */
		char *p, *q;

		for (p = q = buf; *p; p++)
			if (*p != '\r')
				*q++ = *p;
		*q = '\0';
	}
	assert_non_null(strstr(buf, "susaudit report: Contoso"));
	/* the servers table does not fit 72 columns: one block a server */
	assert_non_null(strstr(buf, "\n    upstream Microsoft Update, replica no"));
	assert_fits(buf, 72);
	free(cmd);
	fixture_hierarchy_stop(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_golden_80_columns),
	    cmocka_unit_test(test_default_100_columns),
	    cmocka_unit_test(test_no_word_is_cut),
	    cmocka_unit_test(test_binary_on_a_terminal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
