/* model_cm: ConfigMgr's intent as the snapshot's run recorded it (cm_* tables). */
#ifndef SUSAUDIT_MODEL_CM_H
#define SUSAUDIT_MODEL_CM_H

#include <sqlite3.h>

#include "site_db.h"

struct model_cm {
	const char *source; /* "sql/database" of <configmgr> */
	const char *error;  /* why the site database could not be read, or NULL */
	struct site_db db;  /* sups (site, name, props), component, gaps */
};

/* Loads run `run_id`'s ConfigMgr settings. *out is NULL when the run has none (no
 * <configmgr>, or a snapshot older than these tables). Returns 0 or -1 (logged). Free with
 * model_cm_free(). */
int model_cm_load(sqlite3 *db, long run_id, struct model_cm **out);
void model_cm_free(struct model_cm *cm);

/* The SUP role of server `name` (case-insensitive), or NULL. */
const struct site_db_sup *model_cm_sup(const struct model_cm *cm, const char *name);

#endif
