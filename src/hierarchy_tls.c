/* hierarchy_tls: the hierarchy's TLS files checked before anything connects. */
#include "hierarchy.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "log.h"

/* One connection's ca-file: it exists, is a regular file, can be read and holds a PEM
 * certificate. `what` names the element ("" for a server, "configmgr: " for the site
 * database). Logs "FILE:LINE: ..." and returns -1, or 0. */
static int check_ca_file(const char *path, const char *what, const struct connection_settings *c)
{
	struct stat st;
	char buf[4096];
	size_t n;
	FILE *f;

	if (stat(c->ca_file, &st) < 0)
		return log_error("%s:%d: %sca-file '%s' cannot be used: %s; give the PEM file of "
				 "the CA that issued the SQL Server certificate",
				 path, c->ca_file_line, what, c->ca_file, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return log_error("%s:%d: %sca-file '%s' is not a regular file", path,
				 c->ca_file_line, what, c->ca_file);
	f = fopen(c->ca_file, "r");
	if (!f)
		return log_error("%s:%d: %sca-file '%s' cannot be read: %s", path, c->ca_file_line,
				 what, c->ca_file, strerror(errno));
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	if (!strstr(buf, "-----BEGIN CERTIFICATE-----"))
		return log_error("%s:%d: %sca-file '%s' holds no PEM certificate "
				 "('-----BEGIN CERTIFICATE-----')",
				 path, c->ca_file_line, what, c->ca_file);
	return 0;
}

/* Whether one of the first n servers has the same ca-file from the same line: <defaults>
 * gives it to every server (and to <configmgr>), and it is reported once. */
static int seen_before(const struct hierarchy *h, size_t n, const struct connection_settings *c)
{
	size_t j;

	for (j = 0; j < n; j++)
		if (h->servers[j].conn.ca_file &&
		    h->servers[j].conn.ca_file_line == c->ca_file_line &&
		    strcmp(h->servers[j].conn.ca_file, c->ca_file) == 0)
			return 1;
	return 0;
}

int hierarchy_check_tls_files(const struct hierarchy *h)
{
	const char *path = h->path ? h->path : "(hierarchy)";
	size_t i;
	int rc = 0;

	for (i = 0; i < h->nservers; i++) {
		const struct connection_settings *c = &h->servers[i].conn;

		if (c->ca_file && !seen_before(h, i, c) && check_ca_file(path, "", c) < 0)
			rc = -1;
	}
	/* the site database's too, like the servers': a missing file is named with its line
	 * before anything connects, not found out when the site database is contacted */
	if (h->configmgr_line && h->configmgr.ca_file &&
	    !seen_before(h, h->nservers, &h->configmgr) &&
	    check_ca_file(path, "configmgr: ", &h->configmgr) < 0)
		rc = -1;
	return rc;
}
