/* fixture_hierarchy: serves a fixture hierarchy from TDS test servers, one per SUSDB. */
#ifndef SUSAUDIT_FIXTURE_HIERARCHY_H
#define SUSAUDIT_FIXTURE_HIERARCHY_H

#include <stddef.h>

#include "tds_harness.h"

/* The password every fixture server accepts; tests put it in SUSAUDIT_TEST_PASSWORD. */
#define FIXTURE_PASSWORD "Fixture-Pa55word!"

struct fixture_hierarchy {
	char **names;			/* server names found in the template */
	struct tds_server *servers;	/* one per name, same order */
	size_t n;
	char *xml_path;			/* the hierarchy file written with the ports (malloc'd) */
};

/* Lets a test give one server fault-injection options before it starts. */
typedef void (*fixture_tweak_fn)(const char *server, struct tds_server_options *o, void *data);

/* Starts a server for every @PORT_<name>@ of `template_path` (relative to the source tree),
 * loading tests/fixtures/susdb-schema.sql, `data_dir`/<name>.sql and then every patch file whose
 * first line is `-- server: <name>`. Writes the hierarchy file with the ports into the test
 * temporary folder and sets SUSAUDIT_TEST_PASSWORD. Returns 0 or -1. */
int fixture_hierarchy_start(const char *template_path, const char *data_dir,
			    const char *const *patches, size_t npatches, fixture_tweak_fn tweak,
			    void *tweak_data, struct fixture_hierarchy *out);
void fixture_hierarchy_stop(struct fixture_hierarchy *f);

/* Index of a server by name, or -1. */
int fixture_hierarchy_find(const struct fixture_hierarchy *f, const char *name);

/* The server a patch file names on its first line (malloc'd), or NULL. */
char *fixture_patch_server(const char *path);

/* Reads a whole file (malloc'd, NUL-terminated), or NULL. */
char *fixture_read_file(const char *path, size_t *len);

#endif
