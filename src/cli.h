/* cli: the command table and option parsing; main() only calls cli_main(). */
#ifndef SUSAUDIT_CLI_H
#define SUSAUDIT_CLI_H

/* Runs the command named in argv and returns the process exit code (INTERFACE.md). */
int cli_main(int argc, char **argv);

#endif
