/* tds_browser: the SSRP responder of the test server. */
#include "tds_browser.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

/* MS-SQLR 2.2: the requests and the response's first byte. */
enum {
	CLNT_BCAST_EX = 0x02,
	CLNT_UCAST_EX = 0x03,
	CLNT_UCAST_INST = 0x04,
	SVR_RESP = 0x05,
};

struct tds_browser {
	int fd;
	char instance[64];
	int tcp_port;
	int silent;
	volatile int stop;
	pthread_t thread;
};

static void reply(const struct tds_browser *b, const struct sockaddr_in *to)
{
	unsigned char msg[512];
	int n = snprintf((char *)msg + 3, sizeof(msg) - 3,
			 "ServerName;SUSDBTEST;InstanceName;%s;IsClustered;No;Version;10.50.1600.1;"
			 "tcp;%d;;",
			 b->instance, b->tcp_port);

	msg[0] = SVR_RESP;
	msg[1] = (unsigned char)n;
	msg[2] = (unsigned char)(n >> 8);
	if (sendto(b->fd, msg, (size_t)n + 3, 0, (const struct sockaddr *)to, sizeof(*to)) < 0)
		perror("susdb-tds-server: browser reply");
}

static void *serve(void *arg)
{
	struct tds_browser *b = arg;

	while (!b->stop) {
		struct pollfd pfd = {.fd = b->fd, .events = POLLIN};
		unsigned char req[1024];
		struct sockaddr_in from;
		socklen_t len = sizeof(from);
		ssize_t n;

		if (poll(&pfd, 1, 200) <= 0)
			continue;
		n = recvfrom(b->fd, req, sizeof(req) - 1, 0, (struct sockaddr *)&from, &len);
		if (n <= 0 || b->silent)
			continue;
		req[n] = '\0';
		if (req[0] == CLNT_UCAST_INST) {
			/* the name, NUL-terminated; an unknown instance gets no answer at all */
			if (strcasecmp((const char *)req + 1, b->instance) == 0)
				reply(b, &from);
		} else if (req[0] == CLNT_UCAST_EX || req[0] == CLNT_BCAST_EX) {
			reply(b, &from);
		}
	}
	return NULL;
}

struct tds_browser *tds_browser_start(int udp_port, const char *instance, int tcp_port,
				      int silent)
{
	struct tds_browser *b = calloc(1, sizeof(*b));
	struct sockaddr_in addr;

	if (!b)
		return NULL;
	snprintf(b->instance, sizeof(b->instance), "%s", instance ? instance : "MSSQLSERVER");
	b->tcp_port = tcp_port;
	b->silent = silent;
	b->fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	addr.sin_port = htons((uint16_t)udp_port);
	if (b->fd < 0 || bind(b->fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		fprintf(stderr, "susdb-tds-server: could not bind UDP 127.0.0.1:%d: %s\n", udp_port,
			strerror(errno));
		if (b->fd >= 0)
			close(b->fd);
		free(b);
		return NULL;
	}
	if (pthread_create(&b->thread, NULL, serve, b) != 0) {
		close(b->fd);
		free(b);
		return NULL;
	}
	return b;
}

void tds_browser_stop(struct tds_browser *b)
{
	if (!b)
		return;
	b->stop = 1;
	pthread_join(b->thread, NULL);
	close(b->fd);
	free(b);
}
