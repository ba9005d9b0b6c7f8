/* tds_session: one client connection of the test server, from PRELOGIN to disconnect:
   login checks, batches run statement by statement on SQLite, faults, ATTENTION. */
#ifndef TDS_SESSION_H
#define TDS_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "tds_fault.h"
#include "tds_tls.h"

/* What every session of one server process shares (read-only but for fault's counters). */
struct tds_server_config {
	const char *user;
	const char *password;
	const char *database;	/* the only database a login or USE may name */
	const char *db_path;	/* SQLite file every session opens */
	size_t max_packet_size; /* 0: whatever the client asks (512..32767) */
	uint32_t max_tds_version; /* 0: 7.4; else the newest version to negotiate */
	struct tds_fault *fault;
	const struct tds_tls_config *tls; /* transport security and its logs (tds_tls.h) */
};

/* Serves the client on the connected socket fd until it disconnects or fails. conn numbers
   connections from 1 (batch log); the SPID the client sees is 50 + conn. The socket is shut
   down but not closed: the caller closes it. */
void tds_session_run(int fd, unsigned conn, const struct tds_server_config *cfg);

#endif
