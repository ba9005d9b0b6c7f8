/* tds_harness: starts and stops susdb-tds-server for tests and reads its batch log. */
#include "tds_harness.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PASSWORD_ENV "SUSDB_TDS_PASSWORD"

extern char **environ;

static const char *server_path = TDS_HARNESS_DEFAULT_SERVER;

void tds_harness_set_server(const char *path)
{
	server_path = path;
}

struct argv_builder {
	char **v;
	size_t n;
};

static void push(struct argv_builder *a, const char *s)
{
	char **v = realloc(a->v, (a->n + 2) * sizeof(char *));

	if (!v)
		abort();
	a->v = v;
	a->v[a->n] = strdup(s);
	if (!a->v[a->n])
		abort();
	a->v[++a->n] = NULL;
}

static void push_int(struct argv_builder *a, const char *opt, int v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%d", v);
	push(a, opt);
	push(a, buf);
}

static void free_strings(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Reads "port N\n" from the server's stdout within timeout_ms; returns N or -1. */
static int read_port(int fd, int timeout_ms)
{
	char buf[64];
	size_t len = 0;
	long long deadline = now_ms() + timeout_ms;

	while (len < sizeof(buf) - 1) {
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		long long left = deadline - now_ms();
		ssize_t r;

		if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
			return -1;
		r = read(fd, buf + len, sizeof(buf) - 1 - len);
		if (r <= 0)
			return -1;
		len += (size_t)r;
		buf[len] = '\0';
		if (strchr(buf, '\n')) {
			int port;

			return sscanf(buf, "port %d", &port) == 1 ? port : -1;
		}
	}
	return -1;
}

int tds_server_start(const struct tds_server_options *o, struct tds_server *out)
{
	struct argv_builder args = {0}, env = {0};
	char pw[512];
	int pipefd[2];
	size_t i;
	pid_t pid, parent;

	memset(out, 0, sizeof(*out));
	/* a debugging hook: run the server under valgrind or strace through a wrapper */
	if (getenv("TDS_HARNESS_SERVER") && *getenv("TDS_HARNESS_SERVER"))
		server_path = getenv("TDS_HARNESS_SERVER");
	push(&args, server_path);
	push(&args, "--port");
	push(&args, "0");
	for (i = 0; i < o->nsql_files; i++) {
		push(&args, "--sql");
		push(&args, o->sql_files[i]);
	}
	if (o->db_path) {
		push(&args, "--db");
		push(&args, o->db_path);
	}
	push(&args, "--user");
	push(&args, o->user ? o->user : "susaudit");
	push(&args, "--password-env");
	push(&args, PASSWORD_ENV);
	push(&args, "--database");
	push(&args, o->database ? o->database : "SUSDB");
	if (o->refuse_login)
		push(&args, "--refuse-login");
	if (o->drop_after_rows > 0)
		push_int(&args, "--drop-after-rows", o->drop_after_rows);
	if (o->delay_ms > 0)
		push_int(&args, "--delay-ms", o->delay_ms);
	if (o->fail_pattern) {
		push(&args, "--fail-pattern");
		push(&args, o->fail_pattern);
		push_int(&args, "--fail-error", o->fail_error);
		push_int(&args, "--fail-count", o->fail_count > 0 ? o->fail_count : 1);
	}
	if (o->max_packet_size > 0)
		push_int(&args, "--max-packet-size", o->max_packet_size);
	if (o->tds_version) {
		push(&args, "--tds-version");
		push(&args, o->tds_version);
	}
	if (o->trickle_ms > 0)
		push_int(&args, "--trickle-ms", o->trickle_ms);
	if (o->trickle_pattern) {
		push(&args, "--trickle-pattern");
		push(&args, o->trickle_pattern);
	}
	if (o->trickle_ignore_attention)
		push(&args, "--trickle-ignore-attention");
	if (o->trickle_login_ms > 0)
		push_int(&args, "--trickle-login-ms", o->trickle_login_ms);
	if (o->drop_after_commit > 0)
		push_int(&args, "--drop-after-commit", o->drop_after_commit);
	if (o->refuse_login_after > 0)
		push_int(&args, "--refuse-login-after", o->refuse_login_after);
	if (o->batch_log) {
		push(&args, "--batch-log");
		push(&args, o->batch_log);
	}
	if (o->tls_cert) {
		push(&args, "--tls-cert");
		push(&args, o->tls_cert);
		push(&args, "--tls-key");
		push(&args, o->tls_key ? o->tls_key : "");
	}
	if (o->force_encryption)
		push(&args, "--force-encryption");
	if (o->strict_tds8)
		push(&args, "--strict-tds8");
	if (o->tls_log) {
		push(&args, "--tls-log");
		push(&args, o->tls_log);
	}
	if (o->capture) {
		push(&args, "--capture");
		push(&args, o->capture);
	}
	if (o->browser_port > 0) {
		push_int(&args, "--browser-port", o->browser_port);
		if (o->instance) {
			push(&args, "--instance");
			push(&args, o->instance);
		}
		if (o->browser_silent)
			push(&args, "--browser-silent");
	}
	/* the child's environment: ours plus the password, built before fork */
	for (i = 0; environ[i]; i++)
		if (strncmp(environ[i], PASSWORD_ENV "=", strlen(PASSWORD_ENV) + 1) != 0)
			push(&env, environ[i]);
	snprintf(pw, sizeof(pw), "%s=%s", PASSWORD_ENV, o->password ? o->password : "Secret-123");
	push(&env, pw);

	if (pipe(pipefd) < 0) {
		fprintf(stderr, "tds_harness: could not create a pipe: %s\n", strerror(errno));
		free_strings(args.v, args.n);
		free_strings(env.v, env.n);
		return -1;
	}
	fflush(NULL);
	parent = getpid();
	pid = fork();
	if (pid == 0) {
		/* a test that dies without tds_server_stop must not leave its server running:
		   an orphan holds the test's stderr open and CTest waits for it until timeout */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != parent)
			_exit(127);
		dup2(pipefd[1], STDOUT_FILENO);
		close(pipefd[0]);
		close(pipefd[1]);
		execve(server_path, args.v, env.v);
		_exit(127);
	}
	close(pipefd[1]);
	free_strings(args.v, args.n);
	free_strings(env.v, env.n);
	if (pid < 0) {
		fprintf(stderr, "tds_harness: could not fork: %s\n", strerror(errno));
		close(pipefd[0]);
		return -1;
	}
	out->pid = pid;
	out->port = read_port(pipefd[0], 10000);
	close(pipefd[0]);
	if (out->port <= 0) {
		fprintf(stderr, "tds_harness: '%s' did not start listening\n", server_path);
		tds_server_stop(out);
		return -1;
	}
	snprintf(out->host_port, sizeof(out->host_port), "127.0.0.1:%d", out->port);
	return 0;
}

void tds_server_stop(struct tds_server *s)
{
	long long deadline;
	int status;

	if (s->pid <= 0)
		return;
	kill(s->pid, SIGTERM);
	deadline = now_ms() + 5000;
	for (;;) {
		pid_t r = waitpid(s->pid, &status, WNOHANG);

		if (r == s->pid || (r < 0 && errno != EINTR))
			break;
		if (now_ms() > deadline) {
			fprintf(stderr, "tds_harness: server %ld ignored SIGTERM, killing it\n",
				(long)s->pid);
			kill(s->pid, SIGKILL);
			waitpid(s->pid, &status, 0);
			break;
		}
		usleep(10000);
	}
	s->pid = 0;
}

/* Reads the log into records of (connection, unescaped text). */
static size_t read_records(const char *path, char ***texts, unsigned **conns)
{
	FILE *fp = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0, n = 0;
	ssize_t len;

	*texts = NULL;
	if (conns)
		*conns = NULL;
	if (!fp)
		return 0;
	while ((len = getline(&line, &cap, fp)) > 0) {
		char *tab = strchr(line, '\t'), *text, *o;
		const char *p;

		if (!tab)
			continue;
		if (line[len - 1] == '\n')
			line[len - 1] = '\0';
		text = malloc(strlen(tab));
		if (!text)
			abort();
		for (p = tab + 1, o = text; *p; p++) {
			if (*p == '\\' && p[1]) {
				p++;
				*o++ = *p == 'n' ? '\n' : *p == 'r' ? '\r' : *p == 't' ? '\t' : *p;
			} else {
				*o++ = *p;
			}
		}
		*o = '\0';
		*texts = realloc(*texts, (n + 1) * sizeof(char *));
		if (!*texts)
			abort();
		(*texts)[n] = text;
		if (conns) {
			*conns = realloc(*conns, (n + 1) * sizeof(unsigned));
			if (!*conns)
				abort();
			(*conns)[n] = (unsigned)strtoul(line, NULL, 10);
		}
		n++;
	}
	free(line);
	fclose(fp);
	return n;
}

char **tds_batch_log_read(const char *path, size_t *n)
{
	char **texts;

	*n = read_records(path, &texts, NULL);
	return texts;
}

unsigned *tds_batch_log_connections(const char *path, size_t *n)
{
	char **texts;
	unsigned *conns;

	*n = read_records(path, &texts, &conns);
	free_strings(texts, *n);
	return conns;
}

void tds_batch_log_free(char **lines, size_t n)
{
	free_strings(lines, n);
}
