/* cli: dispatches `susaudit COMMAND ...` through a sorted table of commands. */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "log.h"
#include "version.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

/* sorted by name: looked up with bsearch */
static const struct command commands[] = {
	{"audit", cmd_audit, "collect (or open a snapshot), check the hierarchy, report"},
	{"checks", cmd_checks, "list the check catalogue"},
	{"collect", cmd_collect, "read every SUSDB of a hierarchy into a snapshot"},
	{"discover", cmd_discover, "draft the hierarchy file from the ConfigMgr site database"},
	{"fix", cmd_fix, "apply a documented fix to one server (dry run unless --apply)"},
	{"history", cmd_history, "list the audits and fixes kept in a store"},
	{"validate", cmd_validate, "check a hierarchy file and its passwords; --connect logs in too"},
};

static const char usage_text[] =
	"usage: susaudit audit HIERARCHY.xml | --snapshot SNAPSHOT.db\n"
	"               [--plan PLANNED.xml] [--store HISTORY.db] [--format FORMAT] [-o FILE]\n"
	"               [--fail-on info|warning|error] [--check NAME]... [--skip NAME]...\n"
	"               [--suppress FILE] [--jobs N] [--max-sync-age DAYS] [--quiet]\n"
	"               [--require-verified-tls] [--max-data-age HOURS]\n"
	"       susaudit collect HIERARCHY.xml -o SNAPSHOT.db [--jobs N] [--require-verified-tls]\n"
	"               [--export-dir DIR]\n"
	"       susaudit discover --site-db SQL --database CM_XXX [--user USER]\n"
	"               [--password-env VAR | --password-file PATH] [--encryption MODE]\n"
	"               [--login-timeout S] [--query-timeout S] [--ca-file PEM] [--probe[=PORT]]\n"
	"               (-o HIERARCHY.xml [--force] | --compare EXISTING.xml)\n"
	"       susaudit fix bits-foreground HIERARCHY.xml --server NAME [--apply | --revert]\n"
	"               [--store HISTORY.db]\n"
	"       susaudit checks [--format text|markdown|json]\n"
	"       susaudit history --store HISTORY.db [--format text|json]\n"
	"       susaudit validate HIERARCHY.xml [--connect]\n"
	"       susaudit --help | --version\n"
	"\n"
	"FORMAT is text (the default), json, html, junit, csv, nagios or prometheus.\n"
	"Exit codes: 0 clean, 1 the tool could not complete, 2 findings reached --fail-on\n"
	"(nagios: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN).\n"
	"Passwords come only from password-env or a private password-file in the hierarchy file.\n";

static int compare_command(const void *key, const void *elem)
{
	return strcmp(key, ((const struct command *)elem)->name);
}

static void print_help(FILE *out)
{
	size_t i;

	fputs(usage_text, out);
	fputs("\ncommands:\n", out);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
}

/* Whatever a command wrote to standard output must have arrived: `--help > /dev/full`, a
 * full disk or a closed pipe is a failure, not exit 0 (gnulib's close_stdout does the same). */
static int close_stdout(int rc)
{
	int failed = fflush(stdout) != 0 || ferror(stdout);
	int e = errno;

	if (fclose(stdout) != 0 && !failed) {
		failed = 1;
		e = errno;
	}
	if (!failed || rc == EXIT_TOOL_FAILED) /* a command that failed has said why */
		return rc;
	log_error("could not write to standard output: %s", strerror(e ? e : EIO));
	return EXIT_TOOL_FAILED;
}

static int dispatch(int argc, char **argv)
{
	static char name[32];
	const struct command *c;
	int i;

	if (argc < 2) {
		fputs(usage_text, stderr);
		return EXIT_TOOL_FAILED;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("susaudit %s\n", SUSAUDIT_VERSION);
		return EXIT_CLEAN;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		print_help(stdout);
		return EXIT_CLEAN;
	}
	c = bsearch(argv[1], commands, sizeof(commands) / sizeof(commands[0]), sizeof(commands[0]),
		    compare_command);
	if (!c) {
		log_error("unknown command '%s' (see 'susaudit --help')", argv[1]);
		return EXIT_TOOL_FAILED;
	}
	/* `susaudit audit --help` is what people type: the usage, not "unrecognized option" */
	for (i = 2; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "--help") == 0) {
			print_help(stdout);
			return EXIT_CLEAN;
		}
	}
	/* getopt names the program by argv[0] in its messages: the command's own argv[0] */
	snprintf(name, sizeof(name), "susaudit %s", c->name);
	argv[1] = name;
	return c->run(argc - 1, argv + 1);
}

int cli_main(int argc, char **argv)
{
	return close_stdout(dispatch(argc, argv));
}

int cli_parse_int(const char *option, const char *value, int min, int max, int *out)
{
	char *end;
	long v;

	v = strtol(value, &end, 10);
	if (!*value || *end || v < min || v > max)
		return log_error("%s '%s' is not a whole number from %d to %d", option, value, min,
				 max);
	*out = (int)v;
	return 0;
}

int cli_parse_time(const char *value, time_t *out)
{
	struct tm tm;
	char *end;
	long long v = strtoll(value, &end, 10);

	if (*value && !*end) {
		*out = (time_t)v;
		return 0;
	}
	memset(&tm, 0, sizeof(tm));
	end = strptime(value, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (!end || *end)
		return log_error("--now '%s' is neither seconds since 1970 nor "
				 "YYYY-MM-DDTHH:MM:SSZ", value);
	*out = timegm(&tm);
	return 0;
}

int cli_stderr_is_terminal(void)
{
	return isatty(STDERR_FILENO);
}

size_t cli_terminal_width(void)
{
	const char *env = getenv("COLUMNS");
	struct winsize ws;
	long n;

	if (env && *env) {
		n = strtol(env, NULL, 10);
		if (n > 0 && n < 10000)
			return (size_t)n;
	}
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 0;
}
