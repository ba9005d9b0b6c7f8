/* tds_harness: starts and stops susdb-tds-server for a test and reads its batch log back.

   Which executable runs: the one this library was built next to (its path is compiled in),
   unless a test calls tds_harness_set_server() first, e.g. with the SUSDB_TDS_SERVER macro
   that susaudit_add_test defines. The environment variable TDS_HARNESS_SERVER, when set,
   overrides both (to run the server through a valgrind or strace wrapper script). The server's
   stderr is the test's. Not thread-safe: call from the test's main thread. */
#ifndef TDS_HARNESS_H
#define TDS_HARNESS_H

#include <stddef.h>
#include <sys/types.h>

struct tds_server_options {
	const char *const *sql_files; /* absolute paths, executed in order */
	size_t nsql_files;
	const char *db_path;	  /* NULL: a private database the server deletes on exit */
	const char *user;	  /* default "susaudit" */
	const char *password;	  /* default "Secret-123"; passed to the child via an env var */
	const char *database;	  /* default "SUSDB" */
	int refuse_login;	  /* every login fails with 18456 */
	int drop_after_rows;	  /* > 0: close a connection after that many rows */
	int delay_ms;		  /* > 0: wait that long before every batch reply */
	const char *fail_pattern; /* a batch containing it fails with fail_error, */
	int fail_error;		  /* e.g. 1205, */
	int fail_count;		  /* the first fail_count times (0 means 1) */
	const char *batch_log;	  /* path or NULL: every batch is appended there */
	int max_packet_size;	  /* > 0: cap the packet size (FreeTDS never asks below 4096) */
	const char *tds_version;  /* NULL: 7.4; "7.3": speak TDS 7.3 as SQL Server 2008 R2 does */
	/* Added: transport security (tds_tls.h) */
	const char *tls_cert;	  /* PEM certificate and key: the server offers TLS */
	const char *tls_key;
	int force_encryption;	  /* "Force Encryption": ENCRYPT_REQ, no LOGIN7 in clear */
	int strict_tds8;	  /* TDS 8.0: TLS before PRELOGIN */
	const char *tls_log;	  /* path or NULL: one line per transport event */
	const char *capture;	  /* path or NULL: every byte clients sent, as it arrived */
	int browser_port;	  /* > 0: a SQL Browser responder on that UDP port (1434 in a
				     network namespace of the test's own) */
	const char *instance;	  /* the instance it announces */
	int browser_silent;	  /* bound but never answering */
	int trickle_ms;		      /* > 0: SELECTs repeat their rows forever, a packet per N ms */
	const char *trickle_pattern;  /* only batches containing it trickle (NULL: all) */
	int trickle_ignore_attention; /* the trickle does not stop at an ATTENTION */
	int trickle_login_ms;	      /* > 0: logins are answered by endless INFO packets */
	int drop_after_commit;	      /* the first N COMMITs run, then the connection drops */
	int refuse_login_after;	      /* > 0: logins after the first N are refused (18456) */
};

struct tds_server {
	pid_t pid;	    /* 0 once stopped */
	int port;	    /* 127.0.0.1:port */
	char host_port[32]; /* "127.0.0.1:PORT", what dbopen takes */
};

/* Overrides the server executable (path is kept, not copied). */
void tds_harness_set_server(const char *path);

/* Starts the server with o and waits (up to 10 s) until it listens; fills out. Returns 0,
   or -1 after a message on stderr (the server's own stderr goes to the test's). */
int tds_server_start(const struct tds_server_options *o, struct tds_server *out);

/* SIGTERM, then waitpid (SIGKILL after 5 s). Safe to call twice or on a never-started
   server whose pid is 0. */
void tds_server_stop(struct tds_server *s);

/* The SQL text of every batch in the log at path, in order, unescaped. Returns a
   malloc'd array of *n malloc'd strings (free with tds_batch_log_free), or NULL with *n = 0
   when the file does not exist or is empty. */
char **tds_batch_log_read(const char *path, size_t *n);

/* The connection number (1, 2, ...) each record of the log at path came from, in the same
   order as tds_batch_log_read. Returns a malloc'd array or NULL. */
unsigned *tds_batch_log_connections(const char *path, size_t *n);

void tds_batch_log_free(char **lines, size_t n);

#endif
