/* cli_options: each command's options in one table that both the parser and the help read,
 * so `susaudit COMMAND --help`, the parser and (by test_man_page) the man page stay equal. */
#ifndef SUSAUDIT_CLI_OPTIONS_H
#define SUSAUDIT_CLI_OPTIONS_H

#include <stddef.h>
#include <stdio.h>

struct cli_option {
	const char *name;	/* long name without "--" */
	char short_name;	/* 'o' for -o, or 0 */
	const char *arg;	/* the value's placeholder ("FILE"), or NULL for a flag */
	int id;			/* what cli_getopt returns for it (the parse loop's case) */
	const char *help;	/* one line, lower-case start */
};

struct cli_spec {
	const char *name;	/* the command */
	const char *synopsis;	/* usage after "susaudit ", lines joined by "\n"; a line that
				 * starts with a space continues the one before it */
	const char *summary;	/* one line for the command list */
	const struct cli_option *options;
	size_t noptions;
};

/* The commands' specs, in the order --help lists them (cli_specs.c). */
extern const struct cli_spec cli_spec_audit, cli_spec_checks, cli_spec_collect, cli_spec_fix,
    cli_spec_history, cli_spec_runs, cli_spec_snapshot, cli_spec_validate;
/* Added: `susaudit discover` (issue 17). */
extern const struct cli_spec cli_spec_discover;

/* getopt_long over the spec's options: returns an option's id (optarg set for a value),
 * -1 at the end, or '?' after logging an unknown option (with a "did you mean" when one is
 * close) or a missing value. Call with optind = 1 before the first call. */
int cli_getopt(const struct cli_spec *spec, int argc, char **argv);

/* Writes the spec's synopsis as usage lines: the first after `first` ("usage: " or as many
 * spaces), continuation lines indented under it. */
void cli_spec_synopsis(const struct cli_spec *spec, const char *first, FILE *out);

/* `susaudit COMMAND --help`: the synopsis, the summary, one line per option. */
void cli_spec_help(const struct cli_spec *spec, FILE *out);

/* The candidate closest to `word` when it is close enough to be a slip of the keyboard
 * (edit distance at most 2, or a third of its length), else NULL. */
const char *cli_suggest(const char *word, const char *const *candidates, size_t n);

#endif
