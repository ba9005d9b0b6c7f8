/* dbsource_tls: verification settings, connection facts and the failed-handshake probe.
 *
 * db-lib does not say whether a connection is encrypted (FreeTDS keeps that in its private
 * TDSCONNECTION). What FreeTDS 1.3 does is fixed by src/tds/login.c (tds71_do_login): it sends
 * ENCRYPTION NOT_SUP for "off", OFF for "request", ON for "require", and then follows the
 * server's PRELOGIN answer: NOT_SUP -> no TLS (refused under "require"), OFF -> TLS for the
 * LOGIN7 packet only, ON or REQ -> TLS for the whole session. So the outcome is learned by
 * asking the server the same question on a second connection (a PRELOGIN probe: no login, no
 * credentials) and applying that rule; "ca file" makes FreeTDS verify the certificate, so a
 * login that succeeded under TLS with a ca-file was verified. */
#include "dbsource_tls.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <sybfront.h>
#include <sybdb.h>

#include "dbsource.h"
#include "xalloc.h"

#ifndef SUSAUDIT_FREETDS_VERSION
#define SUSAUDIT_FREETDS_VERSION "unknown"
#endif
#ifndef SUSAUDIT_FREETDS_STRICT
#define SUSAUDIT_FREETDS_STRICT 0
#endif

enum { ENC_OFF = 0, ENC_ON = 1, ENC_NOT_SUP = 2, ENC_REQ = 3 };
enum { PKT_REPLY = 0x04, PKT_PRELOGIN = 0x12 };

const char *db_tls_freetds_version(void)
{
	return SUSAUDIT_FREETDS_VERSION;
}

static const char *enc_name(int v)
{
	static const char *const names[] = {"OFF", "ON", "NOT_SUP", "REQ"};

	return v >= 0 && v < 4 ? names[v] : "";
}

char *db_tls_conf_lines(const struct db_target *t)
{
	if (!t->ca_file)
		return xstrdup("");
	return xasprintf("\tca file = %s\n\tcheck certificate hostname = %s\n", t->ca_file,
			 t->check_hostname ? "yes" : "no");
}

/* The host and TCP port t names, when it names them (not an instance or a freetds.conf
 * name). Returns 0, or -1. */
static int endpoint(const struct db_target *t, char *host, size_t size, int *port)
{
	const char *colon = strrchr(t->sql, ':');
	size_t n;

	if (strchr(t->sql, '\\') || strchr(t->sql, '/'))
		return -1;
	if (colon && strchr(t->sql, ':') == colon) {
		n = (size_t)(colon - t->sql);
		*port = atoi(colon + 1);
	} else if (!colon && (strchr(t->sql, '.') || strcasecmp(t->sql, "localhost") == 0)) {
		/* a bare name with no dot may be a freetds.conf section: not probed */
		n = strlen(t->sql);
		*port = 1433;
	} else {
		return -1;
	}
	if (n == 0 || n >= size || *port <= 0 || *port > 65535)
		return -1;
	memcpy(host, t->sql, n);
	host[n] = '\0';
	return 0;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A TCP connection to host:port within the deadline; the socket, or -1. */
static int tcp_connect(const char *host, int port, long long deadline)
{
	struct addrinfo hints, *res = NULL, *ai;
	char service[16];
	int fd = -1;

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	snprintf(service, sizeof(service), "%d", port);
	if (getaddrinfo(host, service, &hints, &res) != 0)
		return -1;
	for (ai = res; ai && fd < 0; ai = ai->ai_next) {
		struct pollfd pfd;
		int err = 0;
		socklen_t len = sizeof(err);
		long long left = deadline - now_ms();

		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
		if (fd < 0)
			continue;
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0 && errno != EINPROGRESS)
			err = errno;
		pfd.fd = fd;
		pfd.events = POLLOUT;
		if (!err && (left <= 0 || poll(&pfd, 1, (int)left) <= 0))
			err = ETIMEDOUT;
		if (!err && (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0))
			err = errno;
		if (err) {
			close(fd);
			fd = -1;
		}
	}
	freeaddrinfo(res);
	if (fd >= 0)
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return fd;
}

/* Reads up to n bytes before the deadline: the count, 0 at end of stream, -1 on timeout. */
static long read_some(int fd, void *buf, size_t n, long long deadline)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	long long left = deadline - now_ms();
	ssize_t r;

	if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
		return -1;
	do
		r = recv(fd, buf, n, 0);
	while (r < 0 && errno == EINTR);
	return r < 0 ? 0 : (long)r;
}

static int read_exact(int fd, unsigned char *p, size_t n, long long deadline)
{
	while (n > 0) {
		long r = read_some(fd, p, n, deadline);

		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

static int send_all(int fd, const void *buf, size_t n)
{
	const unsigned char *p = buf;

	while (n > 0) {
		ssize_t r = send(fd, p, n, MSG_NOSIGNAL);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

/* The ENCRYPTION byte FreeTDS sends for each mode (see the top of this file). */
static int client_encryption(enum encryption_mode mode)
{
	return mode == ENCRYPTION_OFF ? ENC_NOT_SUP : mode == ENCRYPTION_REQUIRE ? ENC_ON : ENC_OFF;
}

/* PRELOGIN outcomes. */
enum prelogin_result {
	PRE_NO_TCP,	/* no TCP connection */
	PRE_ANSWER,	/* a PRELOGIN reply: *server_enc */
	PRE_NOT_TDS,	/* the connection closed, or something other than TDS answered */
	PRE_SILENT,	/* no answer before the deadline */
};

/* Sends a PRELOGIN with ENCRYPTION `enc` (VERSION, ENCRYPTION, INSTOPT, THREADID, as FreeTDS
 * does) on fd and reads the reply's ENCRYPTION. */
static enum prelogin_result prelogin(int fd, int enc, long long deadline, int *server_enc)
{
	static const unsigned char head[] = {
	    0x00, 0x00, 0x15, 0x00, 0x06,	/* VERSION at 21, 6 bytes */
	    0x01, 0x00, 0x1B, 0x00, 0x01,	/* ENCRYPTION at 27 */
	    0x02, 0x00, 0x1C, 0x00, 0x01,	/* INSTOPT at 28: "" */
	    0x03, 0x00, 0x1D, 0x00, 0x04,	/* THREADID at 29 */
	    0xFF, 9, 0, 0, 0, 0, 0};		/* terminator; version 9.0.0.0 */
	unsigned char msg[8 + sizeof(head) + 1 + 1 + 4], hdr[8], reply[4096];
	size_t len = sizeof(msg), i, n;

	memset(msg, 0, sizeof(msg));
	msg[0] = PKT_PRELOGIN;
	msg[1] = 1; /* end of message */
	msg[2] = (unsigned char)(len >> 8);
	msg[3] = (unsigned char)len;
	msg[6] = 1;
	memcpy(msg + 8, head, sizeof(head));
	msg[8 + sizeof(head)] = (unsigned char)enc;
	if (send_all(fd, msg, len) < 0)
		return PRE_NOT_TDS;
	{
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		long long left = deadline - now_ms();

		if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
			return PRE_SILENT;
	}
	if (read_exact(fd, hdr, 8, deadline) < 0)
		return PRE_NOT_TDS;
	n = (size_t)hdr[2] << 8 | hdr[3];
	if (hdr[0] != PKT_REPLY || n < 8 || n - 8 > sizeof(reply) ||
	    read_exact(fd, reply, n - 8, deadline) < 0)
		return PRE_NOT_TDS;
	n -= 8;
	*server_enc = ENC_NOT_SUP;
	for (i = 0; i + 5 <= n && reply[i] != 0xFF; i += 5) {
		size_t off = (size_t)reply[i + 1] << 8 | reply[i + 2];

		if (reply[i] == 0x01 && off < n)
			*server_enc = reply[off];
	}
	return PRE_ANSWER;
}

/* The probes' deadline: all of them together within the login timeout, and at most 5 s, so
 * that explaining a failure never holds a server much longer than the failure itself. */
static long long probe_deadline(const struct db_target *t)
{
	int s = t->login_timeout > 0 && t->login_timeout < 5 ? t->login_timeout : 5;

	return now_ms() + (long long)s * 1000;
}

/* Connects and asks; PRE_NO_TCP when no connection could be made. */
static enum prelogin_result probe_prelogin(const char *host, int port, int enc,
					   long long deadline, int *server_enc)
{
	int fd = tcp_connect(host, port, deadline);
	enum prelogin_result r;

	if (fd < 0)
		return PRE_NO_TCP;
	r = prelogin(fd, enc, deadline, server_enc);
	close(fd);
	return r;
}

static const char *auth_kind(const struct db_target *t)
{
	if (t->user && strchr(t->user, '\\'))
		return "ntlm";
	return t->user && *t->user ? "sql" : "kerberos";
}

void db_tls_facts(const struct db_target *t, void *dbproc, struct db_conn_facts *f)
{
	static const struct {
		int tds;
		const char *name;
	} versions[] = {{DBTDS_7_0, "7.0"}, {DBTDS_7_1, "7.1"}, {DBTDS_7_2, "7.2"},
			{DBTDS_7_3, "7.3"}, {DBTDS_7_4, "7.4"}};
	char host[256];
	int port, server_enc = -1, tds = dbtds((DBPROCESS *)dbproc);
	size_t i;

	memset(f, 0, sizeof(*f));
	for (i = 0; i < sizeof(versions) / sizeof(versions[0]); i++)
		if (versions[i].tds == tds)
			snprintf(f->tds_version, sizeof(f->tds_version), "%s", versions[i].name);
	f->auth = auth_kind(t);
	f->login_encrypted = f->session_encrypted = -1;
	f->source = "unknown";
	if (endpoint(t, host, sizeof(host), &port) == 0 &&
	    probe_prelogin(host, port, client_encryption(t->encryption), probe_deadline(t),
			   &server_enc) == PRE_ANSWER) {
		/* FreeTDS 1.3's rule (top of file) applied to the server's answer */
		f->login_encrypted = server_enc != ENC_NOT_SUP;
		f->session_encrypted = server_enc == ENC_ON || server_enc == ENC_REQ;
		snprintf(f->server_encryption, sizeof(f->server_encryption), "%s",
			 enc_name(server_enc));
		f->source = "prelogin probe";
	} else if (t->encryption == ENCRYPTION_REQUIRE) {
		/* FreeTDS refuses a server that offers no TLS under require; SQL Server answers
		 * ENCRYPT_ON to a client's ON */
		f->login_encrypted = f->session_encrypted = 1;
		f->source = "inferred from encryption=require";
	}
	f->cert_verified = f->login_encrypted == 1 && t->ca_file;
	f->hostname_checked = f->cert_verified && t->check_hostname;
	if (f->cert_verified)
		snprintf(f->verified_against, sizeof(f->verified_against), "%s", t->ca_file);
	f->password_exposed = strcmp(f->auth, "sql") == 0 && t->password &&
			      t->encryption != ENCRYPTION_OFF &&
			      (f->login_encrypted != 1 || !f->cert_verified);
}

/* What the TLS probe learned. */
struct tls_probe {
	const struct db_target *t;
	const char *host;
	int fd;
	long long deadline;
	int got_certificate;	/* the server showed one */
	unsigned status;	/* gnutls verification status against ca_file (0: verified) */
	int verified;		/* a ca_file was given and status computed */
	char subject[256], issuer[256], names[512];
	unsigned char pkt[32768];
	size_t pkt_len, pkt_pos;
	unsigned char out[32768];
	size_t out_len;
	int wrapped;		/* TDS 7.x: records inside PRELOGIN packets */
};

static int flush_out(struct tls_probe *p)
{
	unsigned char hdr[8] = {PKT_PRELOGIN, 1, 0, 0, 0, 0, 1, 0};
	size_t n = p->out_len + 8;

	if (!p->out_len)
		return 0;
	hdr[2] = (unsigned char)(n >> 8);
	hdr[3] = (unsigned char)n;
	p->out_len = 0;
	return send_all(p->fd, hdr, 8) < 0 || send_all(p->fd, p->out, n - 8) < 0 ? -1 : 0;
}

static ssize_t probe_push(gnutls_transport_ptr_t ptr, const void *data, size_t len)
{
	struct tls_probe *p = ptr;

	if (!p->wrapped)
		return send_all(p->fd, data, len) < 0 ? -1 : (ssize_t)len;
	if (p->out_len + len > sizeof(p->out) - 8 && flush_out(p) < 0)
		return -1;
	if (len > sizeof(p->out) - 8)
		return -1;
	memcpy(p->out + p->out_len, data, len);
	p->out_len += len;
	return (ssize_t)len;
}

static ssize_t probe_pull(gnutls_transport_ptr_t ptr, void *data, size_t len)
{
	struct tls_probe *p = ptr;

	if (!p->wrapped) {
		long r = read_some(p->fd, data, len, p->deadline);

		return r < 0 ? 0 : (ssize_t)r;
	}
	if (flush_out(p) < 0)
		return -1;
	while (p->pkt_pos == p->pkt_len) {
		unsigned char hdr[8];
		size_t n;

		if (read_exact(p->fd, hdr, 8, p->deadline) < 0)
			return 0;
		n = (size_t)hdr[2] << 8 | hdr[3];
		if (n < 8 || n - 8 > sizeof(p->pkt) || read_exact(p->fd, p->pkt, n - 8, p->deadline) < 0)
			return 0;
		p->pkt_len = n - 8;
		p->pkt_pos = 0;
	}
	if (len > p->pkt_len - p->pkt_pos)
		len = p->pkt_len - p->pkt_pos;
	memcpy(data, p->pkt + p->pkt_pos, len);
	p->pkt_pos += len;
	return (ssize_t)len;
}

/* The names a certificate carries (DNS and IP subject alternative names), "a, b". */
static void cert_names(gnutls_x509_crt_t crt, char *out, size_t size)
{
	unsigned i;
	size_t used = 0;

	out[0] = '\0';
	for (i = 0; used + 2 < size; i++) {
		char buf[256];
		size_t n = sizeof(buf) - 1;
		int type = gnutls_x509_crt_get_subject_alt_name(crt, i, buf, &n, NULL);

		if (type < 0)
			break;
		if (type == GNUTLS_SAN_IPADDRESS && (n == 4 || n == 16)) {
			char text[64];
			int fam = n == 4 ? AF_INET : AF_INET6;

			if (!inet_ntop(fam, buf, text, sizeof(text)))
				continue;
			snprintf(buf, sizeof(buf), "%s", text);
		} else if (type == GNUTLS_SAN_DNSNAME) {
			buf[n] = '\0';
		} else {
			continue;
		}
		used += (size_t)snprintf(out + used, size - used, "%s%s", used ? ", " : "", buf);
	}
}

/* Called by GnuTLS with the server's certificate: records it and what ca_file says of it,
 * then stops the handshake (the probe never goes further than the certificate). */
static int probe_verify(gnutls_session_t session)
{
	struct tls_probe *p = gnutls_session_get_ptr(session);
	unsigned n = 0;
	const gnutls_datum_t *certs = gnutls_certificate_get_peers(session, &n);
	gnutls_x509_crt_t crt;

	if (!certs || n == 0)
		return -1;
	p->got_certificate = 1;
	if (gnutls_x509_crt_init(&crt) == 0) {
		if (gnutls_x509_crt_import(crt, &certs[0], GNUTLS_X509_FMT_DER) == 0) {
			size_t len = sizeof(p->subject);

			if (gnutls_x509_crt_get_dn(crt, p->subject, &len) < 0)
				p->subject[0] = '\0';
			len = sizeof(p->issuer);
			if (gnutls_x509_crt_get_issuer_dn(crt, p->issuer, &len) < 0)
				p->issuer[0] = '\0';
			cert_names(crt, p->names, sizeof(p->names));
		}
		gnutls_x509_crt_deinit(crt);
	}
	if (p->t->ca_file) {
		gnutls_typed_vdata_st data = {GNUTLS_DT_DNS_HOSTNAME, (unsigned char *)p->host, 0};

		p->verified = 1;
		if (gnutls_certificate_verify_peers(session, &data, p->t->check_hostname ? 1 : 0,
						    &p->status) < 0)
			p->status = GNUTLS_CERT_INVALID;
	}
	return -1;
}

/* Runs the TLS handshake up to the certificate on a new connection: after a PRELOGIN asking
 * for encryption (wrapped), or at once as TDS 8.0 does. Returns 0 when it got a certificate
 * (p filled), 1 when the handshake failed before (*why set), -1 without a TCP connection. */
static int probe_tls(const struct db_target *t, const char *host, int port, int wrapped,
		     long long deadline, struct tls_probe *p, char *why, size_t whysize)
{
	gnutls_certificate_credentials_t cred = NULL;
	gnutls_session_t s = NULL;
	int server_enc = -1, rc;

	memset(p, 0, sizeof(*p));
	p->t = t;
	p->host = host;
	p->wrapped = wrapped;
	p->deadline = deadline;
	p->fd = tcp_connect(host, port, p->deadline);
	if (p->fd < 0)
		return -1;
	snprintf(why, whysize, "%s", "no TLS handshake");
	if (wrapped && (prelogin(p->fd, ENC_ON, p->deadline, &server_enc) != PRE_ANSWER ||
			server_enc == ENC_NOT_SUP)) {
		close(p->fd);
		return 1;
	}
	if (gnutls_certificate_allocate_credentials(&cred) < 0 ||
	    gnutls_init(&s, GNUTLS_CLIENT) < 0) {
		if (cred)
			gnutls_certificate_free_credentials(cred);
		close(p->fd);
		return 1;
	}
	if (t->ca_file)
		gnutls_certificate_set_x509_trust_file(cred, t->ca_file, GNUTLS_X509_FMT_PEM);
	gnutls_certificate_set_verify_function(cred, probe_verify);
	gnutls_set_default_priority(s);
	gnutls_credentials_set(s, GNUTLS_CRD_CERTIFICATE, cred);
	if (!wrapped) {
		gnutls_datum_t alpn = {(unsigned char *)"tds/8.0", 7};

		gnutls_alpn_set_protocols(s, &alpn, 1, 0);
	}
	gnutls_server_name_set(s, GNUTLS_NAME_DNS, host, strlen(host));
	gnutls_session_set_ptr(s, p);
	gnutls_transport_set_ptr(s, p);
	gnutls_transport_set_push_function(s, probe_push);
	gnutls_transport_set_pull_function(s, probe_pull);
	do
		rc = gnutls_handshake(s);
	while (rc < 0 && !gnutls_error_is_fatal(rc));
	if (!p->got_certificate)
		snprintf(why, whysize, "%s", gnutls_strerror(rc));
	gnutls_deinit(s);
	gnutls_certificate_free_credentials(cred);
	/* nothing after the certificate: the socket closes without a login */
	close(p->fd);
	return p->got_certificate ? 0 : 1;
}

static void replace(char **error, char *text)
{
	free(*error);
	*error = text;
}

/* The words for a certificate that did not verify. */
static char *certificate_problem(const struct db_target *t, const char *host,
				 const struct tls_probe *p)
{
	gnutls_datum_t text = {NULL, 0};
	char *out;

	if (p->status & GNUTLS_CERT_UNEXPECTED_OWNER &&
	    !(p->status & (GNUTLS_CERT_SIGNER_NOT_FOUND | GNUTLS_CERT_EXPIRED |
			   GNUTLS_CERT_NOT_ACTIVATED)))
		return xasprintf("could not connect to '%s': its certificate names '%s', not "
				 "'%s' (check-hostname is on); connect by a name the certificate "
				 "carries (sql=\"NAME:PORT\"), reissue the certificate for '%s', or "
				 "set check-hostname=\"false\" to accept any name from that CA; "
				 "nothing was sent after the TLS handshake",
				 t->label, *p->names ? p->names : p->subject, host, host);
	if (p->status & GNUTLS_CERT_SIGNER_NOT_FOUND)
		return xasprintf("could not connect to '%s': its certificate (subject '%s', issued "
				 "by '%s') does not verify against ca-file '%s'; put the CA "
				 "certificate that issued it (PEM) in ca-file, or for a self-signed "
				 "certificate the certificate itself; nothing was sent after the TLS "
				 "handshake",
				 t->label, p->subject, p->issuer, t->ca_file);
	gnutls_certificate_verification_status_print(p->status, GNUTLS_CRT_X509, &text, 0);
	out = xasprintf("could not connect to '%s': its certificate (subject '%s') does not "
			"verify against ca-file '%s': %s; nothing was sent after the TLS handshake",
			t->label, p->subject, t->ca_file,
			text.data ? (const char *)text.data : "rejected");
	gnutls_free(text.data);
	return out;
}

static char *strict_text(const struct db_target *t)
{
	if (SUSAUDIT_FREETDS_STRICT)
		return xasprintf("could not connect to '%s': the server requires strict "
				 "encryption (TDS 8.0: TLS before PRELOGIN); this build's FreeTDS %s "
				 "knows TDS 8.0 but susaudit does not configure 'encryption = "
				 "strict' yet",
				 t->label, SUSAUDIT_FREETDS_VERSION);
	return xasprintf("could not connect to '%s': the server requires strict encryption "
			 "(TDS 8.0: TLS before PRELOGIN), which this build cannot speak: it was "
			 "built with FreeTDS %s, and strict encryption needs FreeTDS 1.5 or later "
			 "(encryption = strict, with a ca-file that verifies the server); or turn "
			 "off 'Force Strict Encryption' on the server and use "
			 "encryption=\"require\" with a ca-file",
			 t->label, SUSAUDIT_FREETDS_VERSION);
}

void db_tls_explain(const struct db_target *t, int msgno, char **error)
{
	char host[256], why[256];
	struct tls_probe *p;
	int port, server_enc = -1, rc;
	enum prelogin_result pre;
	long long deadline;

	if (msgno == 18452 || msgno == 18456) {
		/* Extended Protection: SQL Server wants channel binding FreeTDS cannot give */
		if (strstr(*error, "hannel") || strstr(*error, "xtended"))
			replace(error, xasprintf("%s; the server requires Extended Protection "
						 "(channel binding), which no FreeTDS release "
						 "supports (this build: FreeTDS %s); set Extended "
						 "Protection to 'Allowed' or 'Off' for this "
						 "instance, or audit it with a SQL login",
						 *error, SUSAUDIT_FREETDS_VERSION));
		else if (msgno == 18452 && strcmp(auth_kind(t), "ntlm") == 0)
			/* SQL Server tells the client no more than 18452 when channel binding
			 * is missing: its error log has the reason */
			replace(error, xasprintf("%s; the Windows (NTLM) login '%s' was refused: "
						 "check that the server accepts Windows logins from "
						 "that domain, or use a SQL login; if the server's "
						 "error log speaks of channel bindings, it requires "
						 "Extended Protection, which no FreeTDS release "
						 "supports (this build: FreeTDS %s)",
						 *error, t->user, SUSAUDIT_FREETDS_VERSION));
		return;
	}
	/* a server that let the login time out would only make the probes wait too */
	if (msgno || strstr(*error, "timed out") || endpoint(t, host, sizeof(host), &port) < 0)
		return;
	/* any SQL Server answers a PRELOGIN at once (a strict one with a TLS alert): one that says
	 * nothing within a second would only make the login timeout count twice */
	pre = probe_prelogin(host, port, client_encryption(t->encryption), now_ms() + 1000,
			     &server_enc);
	if (pre == PRE_NO_TCP || pre == PRE_SILENT)
		return;
	deadline = probe_deadline(t);
	p = xcalloc(1, sizeof(*p));
	if (pre == PRE_NOT_TDS) {
		rc = probe_tls(t, host, port, 0, deadline, p, why, sizeof(why));
		if (rc == 0)
			replace(error, strict_text(t));
		else
			replace(error, xasprintf("%s; the server closed the connection at PRELOGIN "
						 "without a TDS answer: likely causes are strict "
						 "encryption (TDS 8.0), which this build (FreeTDS %s) "
						 "cannot speak, a service other than SQL Server on "
						 "that port, or a firewall in between",
						 *error, SUSAUDIT_FREETDS_VERSION));
		free(p);
		return;
	}
	if (server_enc == ENC_NOT_SUP) {
		free(p);
		return; /* no TLS involved: the caller's words stand */
	}
	rc = probe_tls(t, host, port, 1, deadline, p, why, sizeof(why));
	if (rc == 0 && p->verified && p->status != 0)
		replace(error, certificate_problem(t, host, p));
	else if (rc == 1)
		replace(error, xasprintf("%s; the TLS handshake failed (%s): likely causes are a "
					 "server that offers only TLS 1.0 or 1.1 (FreeTDS %s needs "
					 "'enable tls v1' for those: patch the server for TLS 1.2) "
					 "or a TLS-inspecting device in between",
					 *error, why, SUSAUDIT_FREETDS_VERSION));
	free(p);
}
