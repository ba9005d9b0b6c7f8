/* cli: dispatches `susaudit COMMAND ...` through a sorted table of commands. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

#include "version.h"

int cli_main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--version") == 0) {
		printf("susaudit %s\n", SUSAUDIT_VERSION);
		return 0;
	}
	fprintf(stderr, "usage: susaudit --version\n");
	return 1;
}
