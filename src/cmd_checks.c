/* cmd_checks: `susaudit checks [--format text|markdown|json]`. */
#include <getopt.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "cli.h"
#include "cli_options.h"
#include "log.h"

int cmd_checks(int argc, char **argv)
{
	const char *format = "text";
	int c;

	optind = 1;
	while ((c = cli_getopt(&cli_spec_checks, argc, argv)) != -1) {
		if (c != 'f')
			return EXIT_TOOL_FAILED;
		format = optarg;
	}
	if (optind != argc) {
		log_error("usage: susaudit checks [--format text|markdown|json]");
		return EXIT_TOOL_FAILED;
	}
	if (checks_list_write(stdout, format) < 0)
		return EXIT_TOOL_FAILED;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		log_error("could not write the check list to standard output: %s", strerror(errno));
		return EXIT_TOOL_FAILED;
	}
	return EXIT_CLEAN;
}
