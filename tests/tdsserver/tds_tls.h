/* tds_tls: transport security of the test server the way SQL Server does it (MS-TDS 2.2.6.5):
   the PRELOGIN ENCRYPTION negotiation, the TLS handshake carried inside PRELOGIN packets, then
   TLS records straight on the socket (the whole session, or only the LOGIN7 packet when the
   outcome is ENCRYPT_OFF); strict TDS 8.0 (TLS before PRELOGIN) on demand. GnuTLS does the
   TLS. It also keeps the two logs the tests read back: what happened (one line per event) and
   a capture of every byte that arrived from clients, as it crossed the wire. */
#ifndef TDS_TLS_H
#define TDS_TLS_H

#include <stddef.h>
#include <stdint.h>

#include "tds_wire.h"

/* PRELOGIN ENCRYPTION values (MS-TDS 2.2.6.5). */
enum {
	TDS_ENCRYPT_OFF = 0,	 /* encrypt the login only */
	TDS_ENCRYPT_ON = 1,	 /* encrypt everything */
	TDS_ENCRYPT_NOT_SUP = 2, /* no TLS at all */
	TDS_ENCRYPT_REQ = 3,	 /* the server requires encryption */
};

/* What every connection of one server shares. */
struct tds_tls_config {
	const char *cert_file;	/* PEM; NULL: no certificate, the server answers ENCRYPT_NOT_SUP */
	const char *key_file;
	int force;		/* "Force Encryption": answer ENCRYPT_REQ, refuse a LOGIN7 in clear */
	int strict;		/* TDS 8.0: a TLS handshake (ALPN tds/8.0) before anything else */
	int log_fd;		/* -1: no event log */
	int capture_fd;		/* -1: no capture */
	void *credentials;	/* gnutls_certificate_credentials_t once loaded */
};

/* One connection's transport. */
struct tds_tls_session {
	const struct tds_tls_config *cfg;
	unsigned conn;
	int fd;
	void *session;		/* gnutls_session_t while TLS is in use */
	int mode;		/* 0 clear, 1 TLS records on the socket */
	int login_only;		/* ENCRYPT_OFF: back to clear once LOGIN7 has arrived */
	int encrypted_login;	/* LOGIN7 arrived under TLS */
	unsigned char pkt[TDS_MAX_PACKET_SIZE]; /* handshake: the PRELOGIN packet being read */
	size_t pkt_len, pkt_pos;
	unsigned char *out;	/* handshake: bytes GnuTLS pushed, not yet sent */
	size_t out_len, out_cap;
	struct tds_wire_io io;
};

/* Sets c to "no TLS, no logs". */
void tds_tls_config_init(struct tds_tls_config *c);

/* Loads the certificate and key (when cert_file is set). Returns 0, or -1 after a message on
   stderr. */
int tds_tls_config_load(struct tds_tls_config *c);
void tds_tls_config_release(struct tds_tls_config *c);

/* Prepares t for the connected socket fd and points w at it. Under strict, runs the TLS
   handshake at once. Returns 0, or -1 when the connection must end (logged). */
int tds_tls_session_start(struct tds_tls_session *t, const struct tds_tls_config *cfg,
			  unsigned conn, int fd, struct tds_wire *w);
void tds_tls_session_release(struct tds_tls_session *t);

/* The ENCRYPTION answer to the client's PRELOGIN payload (prelogin[0..n)), logged. */
int tds_tls_negotiate(struct tds_tls_session *t, const unsigned char *prelogin, size_t n);

/* After the PRELOGIN reply was sent with answer `reply`: runs the TLS handshake inside
   PRELOGIN packets when the outcome is encryption. Returns 0, or -1 when the connection must
   end (a failed handshake, logged with what the client sent after it). */
int tds_tls_after_prelogin(struct tds_tls_session *t, int reply);

/* After a LOGIN7 record rec[0..n) was read: logs how it arrived (TLS or clear, SQL or
   integrated login), drops back to clear for ENCRYPT_OFF. Returns 0, or -1 when a forcing
   server must refuse it (it came in clear). */
int tds_tls_after_login(struct tds_tls_session *t, const unsigned char *rec, size_t n);

/* Appends one "<conn>\t<event>\t<detail>\n" line to the event log, if any. */
void tds_tls_log(const struct tds_tls_config *c, unsigned conn, const char *event,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* 1 when the LOGIN7 record asks for integrated (Windows) security: fIntSecurity. */
int tds_tls_login_integrated(const unsigned char *rec, size_t n);

#endif
