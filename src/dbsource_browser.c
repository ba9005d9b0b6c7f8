/* dbsource_browser: the SSRP client (CLNT_UCAST_INST and CLNT_UCAST_EX, MS-SQLR 2.2). */
#include "dbsource_browser.h"

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "dbsource.h"
#include "xalloc.h"

enum { CLNT_UCAST_EX = 0x03, CLNT_UCAST_INST = 0x04, SVR_RESP = 0x05, BROWSER_PORT = 1434 };

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Walks "Name;Value;Name;Value;...;;" records: the tcp port of `instance` (0 when absent) and
 * the instance names seen, appended to *known ("A, B"). */
static int parse_response(char *data, const char *instance, char **known)
{
	char *p = data, *current = NULL;
	int port = 0;

	while (*p) {
		char *name = p, *value, *end;

		if (*p == ';') { /* ";;" ends a record */
			current = NULL;
			p++;
			continue;
		}
		end = strchr(name, ';');
		if (!end)
			break;
		*end = '\0';
		value = end + 1;
		end = strchr(value, ';');
		if (!end)
			break;
		*end = '\0';
		p = end + 1;
		if (strcasecmp(name, "InstanceName") == 0) {
			char *k;

			current = value;
			if (!*known || !strstr(*known, value)) {
				k = xasprintf("%s%s%s", *known ? *known : "", *known ? ", " : "", value);
				free(*known);
				*known = k;
			}
		} else if (strcasecmp(name, "tcp") == 0 && current &&
			   strcasecmp(current, instance) == 0) {
			port = atoi(value);
		}
	}
	return port > 0 && port <= 65535 ? port : 0;
}

int db_browser_resolve(const struct db_target *t, char **resolved, char **error)
{
	const char *backslash = strchr(t->sql, '\\');
	int timeout = t->login_timeout > 0 ? t->login_timeout : 15, port = 0, answered = 0;
	long long deadline = now_ms() + (long long)timeout * 1000, next_send = 0;
	struct addrinfo hints, *res = NULL;
	char *host, *known = NULL, service[8], req[80];
	size_t reqlen;
	int fd;

	*resolved = NULL;
	*error = NULL;
	if (!backslash)
		return 1;
	host = xstrndup(t->sql, (size_t)(backslash - t->sql));
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_DGRAM;
	snprintf(service, sizeof(service), "%d", BROWSER_PORT);
	if (getaddrinfo(host, service, &hints, &res) != 0 || !res) {
		*error = xasprintf("could not connect to '%s': host '%s' is not known", t->label,
				   host);
		free(host);
		return -1;
	}
	fd = socket(res->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	reqlen = (size_t)snprintf(req, sizeof(req), "%c%s", CLNT_UCAST_INST, backslash + 1) + 1;
	while (fd >= 0 && !port && now_ms() < deadline) {
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		long long left = deadline - now_ms();
		char buf[4096];
		ssize_t n;

		/* ask once a second: UDP may lose a datagram; the list request tells a missing
		 * instance (an answer without it) from a silent browser (no answer at all) */
		if (now_ms() >= next_send) {
			const char ex = CLNT_UCAST_EX;

			if (sendto(fd, req, reqlen, 0, res->ai_addr, res->ai_addrlen) < 0 ||
			    sendto(fd, &ex, 1, 0, res->ai_addr, res->ai_addrlen) < 0)
				break;
			next_send = now_ms() + 1000;
		}
		if (left > next_send - now_ms())
			left = next_send - now_ms();
		if (poll(&pfd, 1, (int)(left > 0 ? left : 0)) <= 0)
			continue;
		n = recv(fd, buf, sizeof(buf) - 1, 0);
		if (n > 3 && buf[0] == SVR_RESP) {
			buf[n] = '\0';
			answered = 1;
			port = parse_response(buf + 3, backslash + 1, &known);
		} else if (n < 0 && errno == ECONNREFUSED) {
			/* ICMP port unreachable: nothing listens on UDP 1434 */
			break;
		}
	}
	if (fd >= 0)
		close(fd);
	freeaddrinfo(res);
	if (port)
		*resolved = xasprintf("%s:%d", host, port);
	else if (answered)
		*error = xasprintf("could not connect to '%s': SQL Browser on '%s' does not know "
				   "instance '%s' (it lists: %s); check the instance name, or give "
				   "the port (sql=\"%s:PORT\")",
				   t->label, host, backslash + 1, known ? known : "none", host);
	else
		*error = xasprintf("could not connect to '%s': SQL Browser on '%s' (UDP %d) did not "
				   "answer within %d s, so the port of instance '%s' is unknown; "
				   "start the SQL Server Browser service or open UDP %d, or give the "
				   "port (sql=\"%s:PORT\")",
				   t->label, host, BROWSER_PORT, timeout, backslash + 1, BROWSER_PORT,
				   host);
	free(known);
	free(host);
	return port ? 0 : -1;
}
