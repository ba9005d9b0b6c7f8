/* fixture_dir: temporary folders for tests (see fixture_dir.h). */
#include "fixture_dir.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include <cmocka.h>

#include "xalloc.h"

char *fixture_temp_dir(const char *name)
{
	char *dir = xasprintf("%s/%s-%d-XXXXXX", SUSAUDIT_TEST_TMPDIR, name, (int)getpid());

	assert_non_null(mkdtemp(dir));
	return dir;
}

void fixture_remove_dir(char *dir)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);

	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(dir);
}
