/* cli: the command table and shared option helpers; main() only calls cli_main(). */
#ifndef SUSAUDIT_CLI_H
#define SUSAUDIT_CLI_H

#include <stddef.h>
#include <time.h>

/* Exit codes (INTERFACE.md). */
enum {
	EXIT_CLEAN = 0,		/* completed, nothing reached --fail-on */
	EXIT_TOOL_FAILED = 1,	/* bad usage, bad file, unreadable snapshot or store */
	EXIT_FINDINGS = 2	/* completed, a finding reached --fail-on */
};

/* Runs the command named in argv and returns the process exit code. */
int cli_main(int argc, char **argv);

/* The commands; each gets argv from its own name on. */
int cmd_audit(int argc, char **argv);
int cmd_collect(int argc, char **argv);
int cmd_checks(int argc, char **argv);
int cmd_fix(int argc, char **argv);
int cmd_history(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_runs(int argc, char **argv);
int cmd_snapshot(int argc, char **argv);
int cmd_discover(int argc, char **argv);

/* Parses --jobs style positive integers; 0 or -1 (logged, naming the option). */
int cli_parse_int(const char *option, const char *value, int min, int max, int *out);
/* Parses --now: seconds since the epoch or 'YYYY-MM-DDTHH:MM:SSZ'. 0 or -1 (logged). */
int cli_parse_time(const char *value, time_t *out);
/* Whether standard error is a terminal (progress lines) and stdout (colour). */
int cli_stderr_is_terminal(void);
/* Columns of the terminal on stdout ($COLUMNS when set, else the terminal's size), or 0 when
 * stdout is no terminal or its size is unknown. */
size_t cli_terminal_width(void);

#endif
