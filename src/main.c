/* main: parse the command line and hand over to the command it names. */
#include "cli.h"
#include "xalloc.h"

int main(int argc, char **argv)
{
	xalloc_tune();
	return cli_main(argc, argv);
}
