/* dbsource_tls: transport security around a FreeTDS login: the freetds.conf lines for
 * verification, the facts of a connection (TDS version, encryption, certificate, kind of
 * login) and, after a failed login, a probe that tells why in words a user can act on. */
#ifndef SUSAUDIT_DBSOURCE_TLS_H
#define SUSAUDIT_DBSOURCE_TLS_H

#include "hierarchy.h"

struct db_target;

/* What is known about how one connection crossed the network. -1 in an int: unknown. */
struct db_conn_facts {
	char tds_version[8];	/* "7.4", from dbtds(); "" when unknown */
	int login_encrypted;	/* LOGIN7 (and with it a SQL login's password) under TLS */
	int session_encrypted;	/* every packet after the login under TLS */
	int cert_verified;	/* 1: FreeTDS verified the certificate against ca_file */
	int hostname_checked;	/* 1: ... and that it names the host connected to */
	char verified_against[512];	/* the ca-file path when cert_verified, else "" */
	const char *auth;	/* "sql", "ntlm" (DOMAIN\user) or "kerberos" (no user) */
	char server_encryption[8];	/* the server's PRELOGIN answer: OFF, ON, NOT_SUP, REQ */
	const char *source;	/* how the encryption facts were learned (see dbsource_tls.c) */
	int password_exposed;	/* a password went in clear or to an unverified server while
				 * encryption was not explicitly "off" */
};

/* The lines of the private freetds.conf section that carry t's verification settings
 * ("\tca file = ...\n\tcheck certificate hostname = ...\n"), malloc'd; "" when none. */
char *db_tls_conf_lines(const struct db_target *t);

/* Fills f after a successful login on dbproc (a DBPROCESS *) to t: the TDS version, the kind
 * of login, and the encryption outcome, asked of the server with a PRELOGIN probe (a second
 * TCP connection that carries no credentials) where host and port are known, else inferred
 * from the configuration. */
void db_tls_facts(const struct db_target *t, void *dbproc, struct db_conn_facts *f);

/* After a failed login to t whose db-lib message is `error` (malloc'd, replaced): when the
 * failure may be the transport's, probes the server (PRELOGIN, then the TLS handshake up to
 * the certificate, never a login) and rewrites *error to say what went wrong and how to fix
 * it: a certificate that does not verify against ca-file, one that names another host, a
 * server that offers no TLS, a server that wants strict TDS 8.0 encryption this build's
 * FreeTDS cannot speak, an Extended Protection refusal. Leaves *error alone otherwise. */
void db_tls_explain(const struct db_target *t, int msgno, char **error);

/* "1.3.17": the FreeTDS version found at build time. */
const char *db_tls_freetds_version(void);

#endif
