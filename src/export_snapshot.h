/* export_snapshot: records in the snapshot that a server's rows came from an export file. */
#ifndef SUSAUDIT_EXPORT_SNAPSHOT_H
#define SUSAUDIT_EXPORT_SNAPSHOT_H

#include "export_read.h"
#include "snapshot.h"

/* Adds the server_source row of server `key` (model/snapshot.sql). Thread-safe. Returns 0, or
 * -1 after logging. */
int export_snapshot_record(struct snapshot *s, long long key, const char *path,
			   const struct export_info *in);

#endif
