/* main: parse the command line and hand over to the command it names. */
#include "cli.h"

int main(int argc, char **argv)
{
	return cli_main(argc, argv);
}
