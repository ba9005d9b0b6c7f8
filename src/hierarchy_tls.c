/* hierarchy_tls: the hierarchy's TLS files checked before anything connects. */
#include "hierarchy.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "log.h"

int hierarchy_check_tls_files(const struct hierarchy *h)
{
	const char *path = h->path ? h->path : "(hierarchy)";
	size_t i;
	int rc = 0;

	for (i = 0; i < h->nservers; i++) {
		const struct connection_settings *c = &h->servers[i].conn;
		struct stat st;
		FILE *f;
		size_t j;
		int seen = 0;

		if (!c->ca_file)
			continue;
		/* one message per file and line: <defaults> gives it to every server */
		for (j = 0; j < i && !seen; j++)
			seen = h->servers[j].conn.ca_file &&
			       h->servers[j].conn.ca_file_line == c->ca_file_line &&
			       strcmp(h->servers[j].conn.ca_file, c->ca_file) == 0;
		if (seen)
			continue;
		if (stat(c->ca_file, &st) < 0) {
			rc = log_error("%s:%d: ca-file '%s' cannot be used: %s; give the PEM file of "
				       "the CA that issued the SQL Server certificate",
				       path, c->ca_file_line, c->ca_file, strerror(errno));
			continue;
		}
		if (!S_ISREG(st.st_mode)) {
			rc = log_error("%s:%d: ca-file '%s' is not a regular file", path,
				       c->ca_file_line, c->ca_file);
			continue;
		}
		f = fopen(c->ca_file, "r");
		if (!f) {
			rc = log_error("%s:%d: ca-file '%s' cannot be read: %s", path, c->ca_file_line,
				       c->ca_file, strerror(errno));
			continue;
		}
		{
			char buf[4096];
			size_t n = fread(buf, 1, sizeof(buf) - 1, f);

			buf[n] = '\0';
			if (!strstr(buf, "-----BEGIN CERTIFICATE-----"))
				rc = log_error("%s:%d: ca-file '%s' holds no PEM certificate "
					       "('-----BEGIN CERTIFICATE-----')",
					       path, c->ca_file_line, c->ca_file);
		}
		fclose(f);
	}
	return rc;
}
