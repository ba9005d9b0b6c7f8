/* model_open: a snapshot file -> its stored hierarchy -> the model (the audit's entry point). */
#include "model.h"

#include <string.h>

#include "infile.h"
#include "log.h"
#include "snapshot.h"

static int read_hierarchy_xml(sqlite3 *db, long run_id, const char *path, struct hierarchy **h)
{
	sqlite3_stmt *st;
	int rc, ret = -1;

	if (sqlite3_prepare_v2(db,
			       run_id
				   ? "SELECT hierarchy_xml, hierarchy_name FROM run"
				     " WHERE run_id = ?1 AND finished_at IS NOT NULL"
				   : "SELECT hierarchy_xml, hierarchy_name FROM run"
				     " WHERE finished_at IS NOT NULL ORDER BY run_id DESC LIMIT 1",
			       -1, &st, NULL) != SQLITE_OK)
		return log_error("could not read '%s': %s", path, sqlite3_errmsg(db));
	if (run_id)
		sqlite3_bind_int64(st, 1, run_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *xml = (const char *)sqlite3_column_text(st, 0);
		int len = sqlite3_column_bytes(st, 0);

		ret = hierarchy_load_memory(xml ? xml : "", (size_t)len, path, h);
	} else if (rc == SQLITE_DONE) {
		log_error("'%s' has no complete collection run%s", path,
			  run_id ? " with that id" : "");
	} else {
		log_error("could not read '%s': %s", path, sqlite3_errmsg(db));
	}
	sqlite3_finalize(st);
	return ret;
}


int model_open(const char *snapshot_path, long run_id, const struct check_options *o,
	       struct model **out)
{
	sqlite3 *db = NULL;
	struct hierarchy *h = NULL;

	*out = NULL;
	if (infile_check_regular(snapshot_path, 0) < 0) /* SQLite would wait on a FIFO */
		return -1;
	/* one thread uses the connection: no per-call mutex (a quarter of a large audit's
	 * instructions went to SQLite's locking) */
	if (sqlite3_open_v2(snapshot_path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK) {
		log_error("could not open '%s': %s", snapshot_path,
			  db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return -1;
	}
	/* packs are read whole: mapped, SQLite reads their pages without a read(2) and a copy
	 * each (a sixth of an audit's time was the kernel copying pages) */
	sqlite3_exec(db, "PRAGMA mmap_size = 1073741824", NULL, NULL, NULL);
	if (snapshot_db_check_format(db, snapshot_path) < 0 ||
	    read_hierarchy_xml(db, run_id, snapshot_path, &h) ||
	    model_from_db(db, run_id, h, o, out)) {
		if (h)
			hierarchy_free(h);
		sqlite3_close(db);
		return -1;
	}
	(*out)->owns_db = 1;
	(*out)->owns_hierarchy = 1;
	return 0;
}
