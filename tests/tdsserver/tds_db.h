/* tds_db: the SQLite side of the test server: loading the fixture SQL, and one connection per
   client with the T-SQL functions and INFORMATION_SCHEMA views queries expect. */
#ifndef TDS_DB_H
#define TDS_DB_H

#include <sqlite3.h>
#include <stdint.h>

/* What the T-SQL functions of one client connection answer (@@SPID, @@TRANCOUNT, DB_NAME()).
   Owned by the session; must outlive the connection. */
struct tds_db_session {
	const char *database;
	int spid;
	int trancount;
	int64_t rowcount; /* rows of the last statement, for @@ROWCOUNT */
};

/* Opens (creating) the database file path and runs the SQL files in order, after rewriting
   the SQL Server spellings SQLite rejects (tds_translate_fixture). Returns the open
   connection, which keeps the database alive for the server's lifetime, or NULL after
   printing why on stderr. */
sqlite3 *tds_db_load(const char *path, const char *const *sql_files, int nsql_files);

/* Opens a client connection to path with a busy timeout, the T-SQL functions bound to
   session and the temporary INFORMATION_SCHEMA views. Returns NULL after printing why. */
sqlite3 *tds_db_open(const char *path, struct tds_db_session *session);

#endif
