/* tds_fault: the faults the test server can inject (refused logins, dropped connections,
   slow replies, failing batches) and the batch log tests read back. */
#ifndef TDS_FAULT_H
#define TDS_FAULT_H

#include <pthread.h>

struct tds_fault {
	int refuse_login;	  /* every login fails with 18456 */
	long drop_after_rows;	  /* > 0: close a connection once it has sent this many rows */
	int delay_ms;		  /* sleep before every batch reply */
	const char *fail_pattern; /* a batch containing it fails with fail_error ... */
	int fail_error;
	int fail_count;	  /* ... this many times in all */
	int batch_log_fd; /* -1: no log */

	pthread_mutex_t lock; /* guards fail_used: connections share the count */
	int fail_used;

	/* trickling and lost acknowledgements (issue 12) */
	int trickle_ms;		      /* > 0: a SELECT repeats its rows forever, one packet per N ms */
	const char *trickle_pattern;  /* only batches containing it trickle (NULL: every SELECT) */
	int trickle_ignore_attention; /* ... and an ATTENTION does not stop it */
	int trickle_login_ms; /* > 0: the login is answered by endless INFO, one packet per N ms */
	int drop_after_commit; /* the first N outermost COMMITs run, then the connection drops */
	int commits_dropped;   /* guarded by lock */
	int refuse_login_after; /* > 0: logins after the first N fail with 18456 */
	int logins_seen;	/* guarded by lock */
};

/* Sets f to "no faults". */
void tds_fault_init(struct tds_fault *f);
void tds_fault_release(struct tds_fault *f);

/* The SQL Server error number the batch text must fail with now, or 0. Counts the failure,
   so only the first fail_count matching batches (across connections) fail. */
int tds_fault_batch_error(struct tds_fault *f, const char *batch);

/* Whether the batch text must trickle (see trickle_ms). */
int tds_fault_trickles(const struct tds_fault *f, const char *batch);

/* Whether the COMMIT just executed must be left unanswered (counts it, across connections). */
int tds_fault_drop_commit(struct tds_fault *f);

/* Counts a login; whether it must be refused (refuse_login_after). */
int tds_fault_login_refused(struct tds_fault *f);

/* Appends one record "<conn>\t<batch with \\, newline, CR and tab escaped>\n" to the batch
   log, if any, in a single write so records of concurrent connections do not mix. */
void tds_fault_log_batch(const struct tds_fault *f, unsigned conn, const char *batch);

/* The text and severity SQL Server uses for an injected error number (1205 deadlock victim,
   1222 lock timeout, ...); a generic text for others. spid fills in the deadlock message. */
const char *tds_fault_error_text(int number, int spid, char *buf, size_t size, int *severity);

#endif
