/* report_connection: the words every format uses for a server's connection. */
#include "report.h"

#include <stdio.h>
#include <string.h>

static const char *auth_words(const char *auth)
{
	if (auth && strcmp(auth, "ntlm") == 0)
		return "Windows login (NTLM)";
	if (auth && strcmp(auth, "kerberos") == 0)
		return "Windows login (Kerberos)";
	return "SQL login";
}

const char *report_connection_line(const struct report_connection *c, char *buf, size_t size)
{
	const char *enc;
	size_t n;

	if (c->login_encrypted < 0)
		enc = "encryption unknown";
	else if (c->session_encrypted == 1)
		enc = "login and session encrypted";
	else if (c->login_encrypted == 1)
		enc = "login encrypted, session in clear";
	else
		enc = "not encrypted";
	n = (size_t)snprintf(buf, size, "TDS %s, %s, ", c->tds_version ? c->tds_version : "?", enc);
	if (n < size && c->cert_verified == 1)
		n += (size_t)snprintf(buf + n, size - n, "certificate verified against '%s'%s, ",
				      c->verified_against ? c->verified_against : "?",
				      c->hostname_checked == 1 ? " (host name checked)" : "");
	else if (n < size && c->login_encrypted == 1)
		n += (size_t)snprintf(buf + n, size - n, "certificate not verified (no ca-file), ");
	if (n < size)
		n += (size_t)snprintf(buf + n, size - n, "%s (encryption=%s; %s)", auth_words(c->auth),
				      c->configured ? c->configured : "?",
				      c->source ? c->source : "?");
	if (n < size && c->password_exposed == 1)
		snprintf(buf + n, size - n, "; the password was sent %s",
			 c->login_encrypted == 1 ? "to an unverified server" : "in clear");
	return buf;
}

size_t report_exposed_count(const struct report *r)
{
	size_t i, n = 0;

	for (i = 0; i < r->nservers; i++)
		n += r->servers[i].connection && r->servers[i].connection->password_exposed == 1;
	return n;
}
