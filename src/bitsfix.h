/* bitsfix: the R9 fix, BitsDownloadPriorityForeground = 1 in one SUSDB, in one transaction. */
#ifndef SUSAUDIT_BITSFIX_H
#define SUSAUDIT_BITSFIX_H

#include "dbsource.h"

/* What queries/fix_bits_read.sql reads; ints are -1 when NULL. */
struct bitsfix_state {
	long long configuration_id;
	int bits_foreground;
	int use_proxy;
	char *proxy_name;		/* malloc'd, NULL when none */
	int proxy_port;
	long long queued_files;		/* tbFileDownloadProgress rows */
	long long approved_not_arriving;	/* approved revisions in state 4, 7 or 8 */
};

/* How a change ended. */
enum bitsfix_result {
	BITSFIX_CHANGED,	/* committed: one row changed, read back as wanted */
	BITSFIX_NO_OP,		/* the value already was the wanted one: nothing written */
	BITSFIX_REFUSED,	/* the value is neither the expected one nor the wanted one */
	BITSFIX_FAILED,		/* a statement failed or a check did not hold: rolled back */
	BITSFIX_UNKNOWN		/* COMMIT was sent, its acknowledgement lost: the caller must
				 * re-read the value on a fresh connection to know */
};

/* Reads the value and its context. DB_BAD_RESULT when there is no configuration row; on
 * failure *error is a malloc'd message. Release the state with bitsfix_state_release(). */
enum db_status bitsfix_read(struct db_conn *c, struct bitsfix_state *out, char **error);
void bitsfix_state_release(struct bitsfix_state *s);

/* The UPDATE of queries/fix_bits_update.sql with its three values in place (malloc'd). */
char *bitsfix_update_sql(long long configuration_id, int from, int to);

/* Changes the value from `from` to `to`: BEGIN TRANSACTION, re-read, UPDATE of that one row,
 * exactly one row changed, read back `to`, COMMIT TRANSACTION; anything else is rolled back.
 * *before receives the value re-read inside the transaction (-1 unknown) and *detail a
 * malloc'd sentence saying what happened. */
enum bitsfix_result bitsfix_change(struct db_conn *c, int from, int to, int *before,
				   char **detail);

#endif
