/* cm_site_db: serves the ConfigMgr site database fixture (tests/fixtures/configmgr/) over TDS. */
#ifndef SUSAUDIT_CM_SITE_DB_H
#define SUSAUDIT_CM_SITE_DB_H

#include <stddef.h>

#include "fixture_hierarchy.h"

#define CM_DATABASE "CM_CAS"

struct cm_site_db {
	struct tds_server server;
	char host_port[32]; /* what --site-db and <configmgr sql> take */
	char *data_path;    /* cm-contoso.sql with the SUSDB ports filled in (malloc'd) */
};

/* Starts a TDS test server with database CM_CAS, login susaudit / FIXTURE_PASSWORD, loading
 * cm-schema.sql, cm-contoso.sql (its @PORT_<server>@ replaced by the ports of `f`, when given)
 * and then each of `patches` (paths relative to tests/fixtures/configmgr/). Returns 0 or -1. */
int cm_site_db_start(const struct fixture_hierarchy *f, const char *const *patches, size_t npatches,
		     struct cm_site_db *out);
/* The same, appending every batch the server receives to `batch_log` (see tds_harness.h). */
int cm_site_db_start_logged(const struct fixture_hierarchy *f, const char *const *patches,
			    size_t npatches, const char *batch_log, struct cm_site_db *out);
void cm_site_db_stop(struct cm_site_db *s);

#endif
