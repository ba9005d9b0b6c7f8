/* dbsource: connections to SUSDBs through FreeTDS db-lib, and typed row reading. */
#ifndef SUSAUDIT_DBSOURCE_H
#define SUSAUDIT_DBSOURCE_H

#include <stddef.h>

#include "hierarchy.h"

/* What went wrong, so the collector can tell a retryable fault from a final one. */
enum db_status {
	DB_OK = 0,
	DB_LOGIN_FAILED,	/* the server refused the credentials or the database (final) */
	DB_UNREACHABLE,		/* no TCP connection, refused encryption, login timed out */
	DB_TIMEOUT,		/* a query exceeded the query timeout and was cancelled */
	DB_DEADLOCK,		/* chosen as deadlock victim (1205): retryable */
	DB_DROPPED,		/* the connection died mid-result: retryable after reconnecting */
	DB_SCHEMA,		/* invalid object or column name (208, 207) */
	DB_SQL_ERROR,		/* any other error SQL Server reported */
	DB_BAD_RESULT,		/* the result's shape is not what the query promises */
	DB_BAD_VALUE,		/* a value is not of its column's kind ('eighty' as an integer) */
	DB_DENIED		/* a permission the login lacks (229, 230, 262, 297, 300) */
};

/* How to reach one SUSDB. Strings are borrowed for the duration of db_connect(). */
struct db_target {
	const char *label;		/* the server's name, for messages */
	const char *sql;		/* host, host:port, host\instance or a freetds.conf name */
	const char *database;
	const char *user;
	const char *password;		/* NULL when none; wiped by the caller after connecting */
	enum encryption_mode encryption;
	int login_timeout;		/* seconds */
	int query_timeout;		/* seconds */
	/* Added: TLS verification, written into the private freetds.conf (dbsource_tls.h) */
	const char *ca_file;		/* PEM; NULL: FreeTDS accepts any certificate */
	int check_hostname;		/* with ca_file: the certificate must name the host */
};

/* How a result column is read; values arrive already in the snapshot's canonical form. */
enum db_kind {
	DB_KIND_INT,	/* any integer or bit type, as long long */
	DB_KIND_TEXT,	/* character data as UTF-8 */
	DB_KIND_GUID,	/* uniqueidentifier as 'XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX' */
	DB_KIND_TIME	/* datetime as '2026-11-22T03:00:00.000Z' */
};

struct db_column {
	const char *name;	/* the column alias the query promises */
	enum db_kind kind;
};

struct db_value {
	int is_null;
	long long integer;	/* DB_KIND_INT */
	const char *text;	/* the other kinds: valid until the next row */
	size_t len;
};

/* Called once per row; a non-zero return stops reading and is passed back. */
typedef int (*db_row_fn)(void *data, const struct db_value *values, size_t nvalues);

struct db_conn;

/* Initialises db-lib once for the process: handlers that only record, never exit, and a
 * private freetds.conf (in a 0700 temporary folder) so encryption and the login timeout can
 * be set per server. Call before any thread starts. Returns 0 or -1 after logging. */
int db_global_init(void);
void db_global_exit(void);

/* Opens a connection with application name susaudit, read-only intent and the timeouts set,
 * then sets the session options an auditor needs (see dbsource.c). On failure returns the
 * status and puts a malloc'd message (naming the server, never the password) in *error. */
enum db_status db_connect(const struct db_target *t, struct db_conn **out, char **error);
/* The same without read-only intent, so the session may write (only `susaudit fix` does). */
enum db_status db_connect_writable(const struct db_target *t, struct db_conn **out,
				   char **error);
void db_close(struct db_conn *c);

/* Runs a statement that returns no rows of interest (SET, BEGIN TRAN, UPDATE ...).
 * *count receives the rows affected when not NULL. */
enum db_status db_exec(struct db_conn *c, const char *name, const char *sql, long long *count,
		       char **error);

/* Runs one SELECT named `name`, checks that its columns are exactly `columns`, and calls fn
 * for every row with values converted per kind. Rows read go to *rows. */
enum db_status db_query(struct db_conn *c, const char *name, const char *sql,
			const struct db_column *columns, size_t ncolumns, db_row_fn fn, void *data,
			long long *rows, char **error);

/* True when the connection can no longer be used (the collector reconnects). */
int db_is_dead(const struct db_conn *c);

struct db_conn_facts;

/* How the connection crossed the network (dbsource_tls.h), learned at login; valid while c
 * lives. */
const struct db_conn_facts *db_conn_facts(const struct db_conn *c);

/* "ok", "login failed", ... for messages and tests. */
const char *db_status_name(enum db_status s);

#endif
