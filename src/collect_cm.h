/* collect_cm: reads ConfigMgr's intent from the site database <configmgr> names, into a run. */
#ifndef SUSAUDIT_COLLECT_CM_H
#define SUSAUDIT_COLLECT_CM_H

#include <sqlite3.h>

#include "hierarchy.h"

/* Reads the SUP role properties and the SUP component's settings from h->configmgr and
 * stores them in the cm_* tables of run `run_id` on `db` (inside the run's transaction; call
 * before the collector threads start). A site database that cannot be reached or read is
 * recorded as cm_source status 'failed' (the cm-* checks report it), not a failure of the
 * run. Does nothing when the hierarchy has no <configmgr>. Returns 0, or -1 when the snapshot
 * cannot be written (logged). */
int collect_cm_run(const struct hierarchy *h, sqlite3 *db, long long run_id);

#endif
