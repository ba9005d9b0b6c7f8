/* fixture_dir: a fresh folder for one test program under the tests' tmp folder, and its
 * removal. */
#ifndef SUSAUDIT_FIXTURE_DIR_H
#define SUSAUDIT_FIXTURE_DIR_H

/* Creates SUSAUDIT_TEST_TMPDIR/<name>-<pid>-XXXXXX (mkdtemp); malloc'd, never NULL (the test
 * fails when it cannot be made). */
char *fixture_temp_dir(const char *name);

/* Removes the folder and everything in it (the test fails if that fails), then frees dir. */
void fixture_remove_dir(char *dir);

#endif
