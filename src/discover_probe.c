/* discover_probe: does anything answer on a SUP's SQL Server port (--probe)? */
#include "discover.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* One address: 1 connected, 0 not (why set). */
static int try_address(const struct addrinfo *ai, int timeout_ms, char *why, size_t size)
{
	int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
	int err = 0, rc;
	socklen_t len = sizeof(err);
	struct pollfd p;

	if (fd < 0) {
		snprintf(why, size, "%s", strerror(errno));
		return 0;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	rc = connect(fd, ai->ai_addr, ai->ai_addrlen);
	if (rc < 0 && errno != EINPROGRESS) {
		snprintf(why, size, "%s", strerror(errno));
		close(fd);
		return 0;
	}
	if (rc < 0) {
		p.fd = fd;
		p.events = POLLOUT;
		do
			rc = poll(&p, 1, timeout_ms);
		while (rc < 0 && errno == EINTR);
		if (rc == 0) {
			snprintf(why, size, "no answer within %d s", timeout_ms / 1000);
			close(fd);
			return 0;
		}
		if (rc < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0 || err) {
			snprintf(why, size, "%s", strerror(err ? err : errno));
			close(fd);
			return 0;
		}
	}
	close(fd);
	return 1;
}

int discover_probe(const char *host, int port, int timeout_s, char *why, size_t size)
{
	struct addrinfo hints, *res = NULL, *ai;
	char service[16];
	int rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	snprintf(service, sizeof(service), "%d", port);
	rc = getaddrinfo(host, service, &hints, &res);
	if (rc != 0) {
		snprintf(why, size, "the name does not resolve: %s", gai_strerror(rc));
		return 0;
	}
	for (ai = res; ai; ai = ai->ai_next)
		if (try_address(ai, timeout_s * 1000, why, size)) {
			freeaddrinfo(res);
			return 1;
		}
	freeaddrinfo(res);
	return 0;
}

void discover_probe_all(struct discover_draft *d, int port, int timeout_s)
{
	size_t i;

	for (i = 0; i < d->nservers; i++) {
		struct discover_server *s = &d->servers[i];
		char why[256];

		if (!s->sql_assumed)
			continue;
		if (discover_probe(s->name, port, timeout_s, why, sizeof(why))) {
			s->sql_note.note = arena_printf(
			    &d->arena,
			    "sql: INFERRED: the site database names no SUSDB server for this SUP "
			    "(DBServerName empty or missing) and something answers on %s:%d, so "
			    "SQL Server's default instance on the SUP itself is assumed (not "
			    "checked to be SQL Server)",
			    s->name, port);
			continue;
		}
		s->sql = "wid";
		s->sql_note.note = arena_printf(
		    &d->arena,
		    "sql: INFERRED: the site database names no SUSDB server for this SUP and "
		    "nothing answered on %s:%d (%s), so its SUSDB is taken to be on the Windows "
		    "Internal Database: run susaudit-collect.ps1 on the SUP and put export=FILE in "
		    "place of sql, or write its sql if it is on a SQL Server elsewhere",
		    s->name, port, why);
	}
}
