/* cli: dispatches `susaudit COMMAND ...` through a sorted table of commands. */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli_options.h"
#include "log.h"
#include "version.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const struct cli_spec *spec;	/* synopsis, summary and options (cli_specs.c) */
};

/* sorted by name: looked up with bsearch */
static const struct command commands[] = {
	{"audit", cmd_audit, &cli_spec_audit},	     {"checks", cmd_checks, &cli_spec_checks},
	{"collect", cmd_collect, &cli_spec_collect}, {"discover", cmd_discover, &cli_spec_discover},
	{"fix", cmd_fix, &cli_spec_fix},	     {"history", cmd_history, &cli_spec_history},
	{"runs", cmd_runs, &cli_spec_runs},	     {"snapshot", cmd_snapshot, &cli_spec_snapshot},
	{"validate", cmd_validate, &cli_spec_validate},
};

enum { NCOMMANDS = sizeof(commands) / sizeof(commands[0]) };

static const char help_tail[] =
	"\n"
	"FORMAT is text (the default), json, html, junit, csv, nagios or prometheus.\n"
	"Exit codes: 0 clean, 1 the tool could not complete, 2 findings reached --fail-on\n"
	"(nagios: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN).\n"
	"Passwords come only from password-env or a private password-file in the hierarchy\n"
	"file. 'susaudit COMMAND --help' describes a command's options; 'man susaudit' all.\n";

static int compare_command(const void *key, const void *elem)
{
	return strcmp(key, ((const struct command *)elem)->name);
}

/* The usage: every command's synopsis, from the same table its parser reads. */
static void print_usage(FILE *out)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		cli_spec_synopsis(commands[i].spec, i == 0 ? "usage: " : "       ", out);
	fputs("       susaudit --help | --version\n", out);
}

static void print_help(FILE *out)
{
	size_t i;

	print_usage(out);
	fputs(help_tail, out);
	fputs("\ncommands:\n", out);
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].spec->summary);
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
		print_usage(stderr);
		return EXIT_TOOL_FAILED;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("susaudit %s\n", SUSAUDIT_VERSION);
		return EXIT_CLEAN;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		/* `susaudit help audit` is `susaudit audit --help` */
		c = argc > 2 ? bsearch(argv[2], commands, NCOMMANDS, sizeof(commands[0]),
				       compare_command)
			     : NULL;
		if (c)
			cli_spec_help(c->spec, stdout);
		else
			print_help(stdout);
		return EXIT_CLEAN;
	}
	c = bsearch(argv[1], commands, NCOMMANDS, sizeof(commands[0]), compare_command);
	if (!c) {
		const char *names[NCOMMANDS], *close;
		size_t k;

		for (k = 0; k < NCOMMANDS; k++)
			names[k] = commands[k].name;
		close = cli_suggest(argv[1], names, NCOMMANDS);
		if (close)
			log_error("unknown command '%s' (did you mean '%s'? see 'susaudit --help')",
				  argv[1], close);
		else
			log_error("unknown command '%s' (see 'susaudit --help')", argv[1]);
		return EXIT_TOOL_FAILED;
	}
	/* `susaudit audit --help` is what people type: that command's options */
	for (i = 2; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			cli_spec_help(c->spec, stdout);
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
