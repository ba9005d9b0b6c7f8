/* tds_tls: TLS for the test server (GnuTLS), the event log and the capture. */
#include "tds_tls.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gnutls/gnutls.h>

enum { PRELOGIN_ENCRYPTION = 1, PRELOGIN_TERMINATOR = 0xFF, STATUS_EOM = 0x01 };

/* After a failed handshake: how long to watch for whatever else the client sends. */
#define AFTER_FAILURE_MS 1500

static const char *encrypt_name(int v)
{
	static const char *const names[] = {"OFF", "ON", "NOT_SUP", "REQ"};

	return v >= 0 && v < 4 ? names[v] : "?";
}

void tds_tls_log(const struct tds_tls_config *c, unsigned conn, const char *event,
		 const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n;

	if (!c || c->log_fd < 0)
		return;
	n = snprintf(line, sizeof(line), "%u\t%s\t", conn, event);
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	/* one write per line: lines of concurrent connections do not mix */
	if (write(c->log_fd, line, (size_t)n) < 0)
		perror("susdb-tds-server: event log");
}

void tds_tls_config_init(struct tds_tls_config *c)
{
	memset(c, 0, sizeof(*c));
	c->log_fd = -1;
	c->capture_fd = -1;
}

int tds_tls_config_load(struct tds_tls_config *c)
{
	gnutls_certificate_credentials_t cred;
	int rc;

	if (!c->cert_file && !c->strict)
		return 0;
	if (!c->cert_file || !c->key_file) {
		fputs("susdb-tds-server: TLS needs --tls-cert and --tls-key\n", stderr);
		return -1;
	}
	if (gnutls_global_init() < 0 || gnutls_certificate_allocate_credentials(&cred) < 0) {
		fputs("susdb-tds-server: could not initialise GnuTLS\n", stderr);
		return -1;
	}
	rc = gnutls_certificate_set_x509_key_file(cred, c->cert_file, c->key_file,
						  GNUTLS_X509_FMT_PEM);
	if (rc < 0) {
		fprintf(stderr, "susdb-tds-server: could not load '%s' and '%s': %s\n", c->cert_file,
			c->key_file, gnutls_strerror(rc));
		gnutls_certificate_free_credentials(cred);
		return -1;
	}
	c->credentials = cred;
	return 0;
}

void tds_tls_config_release(struct tds_tls_config *c)
{
	if (c->credentials) {
		gnutls_certificate_free_credentials(c->credentials);
		gnutls_global_deinit();
	}
	c->credentials = NULL;
}

/* Every byte read from the socket goes through here: the capture sees it as it arrived. */
static long raw_recv(struct tds_tls_session *t, void *buf, size_t n)
{
	ssize_t r;

	do
		r = recv(t->fd, buf, n, 0);
	while (r < 0 && errno == EINTR);
	if (r > 0 && t->cfg->capture_fd >= 0 &&
	    write(t->cfg->capture_fd, buf, (size_t)r) != (ssize_t)r)
		perror("susdb-tds-server: capture");
	return (long)r;
}

static long raw_send(struct tds_tls_session *t, const void *buf, size_t n)
{
	ssize_t r;

	do
		r = send(t->fd, buf, n, MSG_NOSIGNAL);
	while (r < 0 && errno == EINTR);
	return (long)r;
}

/* GnuTLS transport once the handshake is done (and for strict): records on the socket. */
static ssize_t socket_pull(gnutls_transport_ptr_t p, void *data, size_t len)
{
	return (ssize_t)raw_recv(p, data, len);
}

static ssize_t socket_push(gnutls_transport_ptr_t p, const void *data, size_t len)
{
	return (ssize_t)raw_send(p, data, len);
}

/* Sends what GnuTLS pushed during the handshake as one PRELOGIN message. */
static int flush_prelogin(struct tds_tls_session *t)
{
	size_t off = 0;
	unsigned char id = 1;

	while (off < t->out_len) {
		unsigned char hdr[8];
		size_t k = t->out_len - off;

		if (k > TDS_DEFAULT_PACKET_SIZE - 8)
			k = TDS_DEFAULT_PACKET_SIZE - 8;
		hdr[0] = TDS_PKT_PRELOGIN;
		hdr[1] = off + k == t->out_len ? STATUS_EOM : 0;
		hdr[2] = (unsigned char)((k + 8) >> 8);
		hdr[3] = (unsigned char)(k + 8);
		hdr[4] = hdr[5] = hdr[7] = 0;
		hdr[6] = id++;
		if (raw_send(t, hdr, 8) != 8 ||
		    raw_send(t, t->out + off, k) != (long)k)
			return -1;
		off += k;
	}
	t->out_len = 0;
	return 0;
}

static int read_exact(struct tds_tls_session *t, unsigned char *p, size_t n)
{
	while (n > 0) {
		long r = raw_recv(t, p, n);

		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

/* GnuTLS transport during the handshake: records inside PRELOGIN packets. */
static ssize_t prelogin_pull(gnutls_transport_ptr_t p, void *data, size_t len)
{
	struct tds_tls_session *t = p;

	if (t->out_len && flush_prelogin(t) < 0) {
		gnutls_transport_set_errno(t->session, EIO);
		return -1;
	}
	while (t->pkt_pos == t->pkt_len) {
		unsigned char hdr[8];
		size_t n;

		if (read_exact(t, hdr, 8) < 0)
			return 0; /* the client went away */
		n = (size_t)hdr[2] << 8 | hdr[3];
		if (hdr[0] != TDS_PKT_PRELOGIN || n < 8 || n - 8 > sizeof(t->pkt)) {
			tds_tls_log(t->cfg, t->conn, "handshake",
				    "a packet of type 0x%02x arrived where a TLS record inside "
				    "PRELOGIN was expected",
				    hdr[0]);
			gnutls_transport_set_errno(t->session, EIO);
			return -1;
		}
		if (read_exact(t, t->pkt, n - 8) < 0)
			return 0;
		t->pkt_len = n - 8;
		t->pkt_pos = 0;
	}
	if (len > t->pkt_len - t->pkt_pos)
		len = t->pkt_len - t->pkt_pos;
	memcpy(data, t->pkt + t->pkt_pos, len);
	t->pkt_pos += len;
	return (ssize_t)len;
}

static ssize_t prelogin_push(gnutls_transport_ptr_t p, const void *data, size_t len)
{
	struct tds_tls_session *t = p;

	if (t->out_len + len > t->out_cap) {
		size_t cap = t->out_cap ? t->out_cap : 8192;
		unsigned char *q;

		while (cap < t->out_len + len)
			cap *= 2;
		q = realloc(t->out, cap);
		if (!q) {
			gnutls_transport_set_errno(t->session, ENOMEM);
			return -1;
		}
		t->out = q;
		t->out_cap = cap;
	}
	memcpy(t->out + t->out_len, data, len);
	t->out_len += len;
	return (ssize_t)len;
}

/* The wire's transport: TLS records in mode 1, the plain socket in mode 0. */
static long io_recv(void *ctx, void *buf, size_t n)
{
	struct tds_tls_session *t = ctx;
	ssize_t r;

	if (!t->mode)
		return raw_recv(t, buf, n);
	do
		r = gnutls_record_recv(t->session, buf, n);
	while (r == GNUTLS_E_AGAIN || r == GNUTLS_E_INTERRUPTED);
	return r < 0 ? -1 : (long)r;
}

static long io_send(void *ctx, const void *buf, size_t n)
{
	struct tds_tls_session *t = ctx;
	ssize_t r;

	if (!t->mode)
		return raw_send(t, buf, n);
	do
		r = gnutls_record_send(t->session, buf, n);
	while (r == GNUTLS_E_AGAIN || r == GNUTLS_E_INTERRUPTED);
	return r < 0 ? -1 : (long)r;
}

static int io_pending(void *ctx)
{
	struct tds_tls_session *t = ctx;

	return t->mode && gnutls_record_check_pending(t->session) > 0;
}

static void io_message(void *ctx, int type, size_t len)
{
	struct tds_tls_session *t = ctx;

	tds_tls_log(t->cfg, t->conn, "message", "type=0x%02x %s len=%zu", (unsigned)type,
		    t->mode ? "tls" : "clear", len);
}

/* After a failed handshake: counts what the client still sends before it closes. */
static void watch_after_failure(struct tds_tls_session *t)
{
	unsigned char junk[4096];
	size_t total = 0;

	for (;;) {
		struct pollfd pfd = {.fd = t->fd, .events = POLLIN};
		long r;

		if (poll(&pfd, 1, AFTER_FAILURE_MS) <= 0)
			break;
		r = raw_recv(t, junk, sizeof(junk));
		if (r <= 0)
			break;
		total += (size_t)r;
	}
	tds_tls_log(t->cfg, t->conn, "after-failure", "%zu bytes", total);
}

static int handshake(struct tds_tls_session *t, int wrapped)
{
	gnutls_session_t s;
	int rc;

	/* no session tickets: after a TDS 7.x handshake nothing but TDS may follow it */
	if (gnutls_init(&s, GNUTLS_SERVER | GNUTLS_NO_TICKETS) < 0)
		return -1;
	t->session = s;
	/* SQL Server speaks TLS 1.3 only under TDS 8.0 */
	gnutls_priority_set_direct(s, wrapped ? "NORMAL:-VERS-TLS1.3" : "NORMAL", NULL);
	gnutls_credentials_set(s, GNUTLS_CRD_CERTIFICATE, t->cfg->credentials);
	if (!wrapped) {
		gnutls_datum_t alpn = {(unsigned char *)"tds/8.0", 7};

		gnutls_alpn_set_protocols(s, &alpn, 1, 0);
	}
	gnutls_transport_set_ptr(s, t);
	gnutls_transport_set_pull_function(s, wrapped ? prelogin_pull : socket_pull);
	gnutls_transport_set_push_function(s, wrapped ? prelogin_push : socket_push);
	do
		rc = gnutls_handshake(s);
	while (rc < 0 && !gnutls_error_is_fatal(rc));
	if (rc == 0 && wrapped && t->out_len && flush_prelogin(t) < 0)
		rc = GNUTLS_E_PUSH_ERROR;
	if (rc < 0) {
		const char *alert = "";

		if (rc == GNUTLS_E_FATAL_ALERT_RECEIVED)
			alert = gnutls_alert_get_name(gnutls_alert_get(s));
		tds_tls_log(t->cfg, t->conn, "handshake", "failed: %s%s%s", gnutls_strerror(rc),
			    *alert ? ": " : "", alert);
		watch_after_failure(t);
		return -1;
	}
	{
		char *desc = gnutls_session_get_desc(s);

		tds_tls_log(t->cfg, t->conn, "handshake", "ok %s", desc ? desc : "");
		gnutls_free(desc);
	}
	gnutls_transport_set_pull_function(s, socket_pull);
	gnutls_transport_set_push_function(s, socket_push);
	t->mode = 1;
	return 0;
}

int tds_tls_session_start(struct tds_tls_session *t, const struct tds_tls_config *cfg,
			  unsigned conn, int fd, struct tds_wire *w)
{
	static struct tds_tls_config none = {.log_fd = -1, .capture_fd = -1};

	memset(t, 0, sizeof(*t));
	t->cfg = cfg ? cfg : &none;
	cfg = t->cfg;
	t->conn = conn;
	t->fd = fd;
	t->io.recv = io_recv;
	t->io.send = io_send;
	t->io.pending = io_pending;
	t->io.message = io_message;
	t->io.ctx = t;
	w->io = &t->io;
	if (cfg->strict) {
		unsigned char first = 0;
		struct pollfd pfd = {.fd = fd, .events = POLLIN};

		/* TDS 8.0: a TLS handshake record (0x16) must come first, not a PRELOGIN (0x12) */
		if (poll(&pfd, 1, 30000) <= 0 || recv(fd, &first, 1, MSG_PEEK) != 1)
			return -1;
		if (first != 0x16) {
			/* at once, as a TLS stack does with a record type it does not know */
			tds_tls_log(cfg, conn, "strict",
				    "refused: the client sent 0x%02x (%s) before TLS", first,
				    first == TDS_PKT_PRELOGIN ? "PRELOGIN in clear" : "not TLS");
			return -1;
		}
		if (handshake(t, 0) < 0)
			return -1;
		t->encrypted_login = 1;
	}
	return 0;
}

void tds_tls_session_release(struct tds_tls_session *t)
{
	if (t->session)
		gnutls_deinit(t->session);
	t->session = NULL;
	free(t->out);
	t->out = NULL;
}

int tds_tls_negotiate(struct tds_tls_session *t, const unsigned char *p, size_t n)
{
	int client = TDS_ENCRYPT_NOT_SUP, reply;
	size_t i;

	for (i = 0; i + 5 <= n && p[i] != PRELOGIN_TERMINATOR; i += 5) {
		size_t off = (size_t)p[i + 1] << 8 | p[i + 2], len = (size_t)p[i + 3] << 8 | p[i + 4];

		if (p[i] == PRELOGIN_ENCRYPTION && len >= 1 && off < n)
			client = p[off];
	}
	if (t->cfg->strict)
		reply = TDS_ENCRYPT_NOT_SUP; /* already under TLS: nothing more to negotiate */
	else if (!t->cfg->credentials)
		reply = TDS_ENCRYPT_NOT_SUP;
	else if (t->cfg->force)
		reply = TDS_ENCRYPT_REQ;
	else if (client == TDS_ENCRYPT_ON || client == TDS_ENCRYPT_REQ)
		reply = TDS_ENCRYPT_ON;
	else
		reply = client == TDS_ENCRYPT_OFF ? TDS_ENCRYPT_OFF : TDS_ENCRYPT_NOT_SUP;
	tds_tls_log(t->cfg, t->conn, "prelogin", "client=%s reply=%s", encrypt_name(client),
		    encrypt_name(reply));
	return reply;
}

int tds_tls_after_prelogin(struct tds_tls_session *t, int reply)
{
	if (t->cfg->strict || reply == TDS_ENCRYPT_NOT_SUP)
		return 0;
	/* a client that answers REQ or ON with a LOGIN7 in clear is caught in after_login */
	{
		unsigned char first = 0;
		struct pollfd pfd = {.fd = t->fd, .events = POLLIN};

		if (poll(&pfd, 1, 30000) <= 0 || recv(t->fd, &first, 1, MSG_PEEK) != 1)
			return -1;
		if (first != TDS_PKT_PRELOGIN)
			return 0;
	}
	if (handshake(t, 1) < 0)
		return -1;
	t->encrypted_login = 1;
	t->login_only = reply == TDS_ENCRYPT_OFF;
	return 0;
}

int tds_tls_login_integrated(const unsigned char *rec, size_t n)
{
	/* OptionFlags2 (offset 25), fIntSecurity = 0x80 (MS-TDS 2.2.6.4) */
	return n > 25 && (rec[25] & 0x80) != 0;
}

int tds_tls_after_login(struct tds_tls_session *t, const unsigned char *rec, size_t n)
{
	size_t sspi = n >= 82 ? (size_t)(rec[80] | rec[81] << 8) : 0;
	int integrated = tds_tls_login_integrated(rec, n);

	/* cbSSPI at offset 80 (ibSSPI at 78): the NTLM or Kerberos token */
	tds_tls_log(t->cfg, t->conn, "login7", "%s %s sspi=%zu%s",
		    t->mode ? "tls" : "clear", integrated ? "integrated" : "sql-login", sspi,
		    sspi >= 8 && rec[78] + (size_t)(rec[79] << 8) + 8 <= n &&
			    memcmp(rec + rec[78] + (rec[79] << 8), "NTLMSSP", 8) == 0
			? " ntlmssp"
			: "");
	if (!t->mode && t->cfg->force) {
		tds_tls_log(t->cfg, t->conn, "refused", "LOGIN7 in clear to a forcing server");
		return -1;
	}
	if (t->mode && t->login_only) {
		/* ENCRYPT_OFF: SQL Server goes on in clear after the login packet */
		gnutls_deinit(t->session);
		t->session = NULL;
		t->mode = 0;
	}
	tds_tls_log(t->cfg, t->conn, "session", "%s", t->mode ? "tls" : "clear");
	return 0;
}
