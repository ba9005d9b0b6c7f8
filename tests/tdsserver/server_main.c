/* susdb-tds-server: a TDS 7.x server for the tests that answers SQL from a SQLite database
   shaped like SUSDB, so FreeTDS db-lib can be tested without SQL Server. Options, listening
   socket, one thread per client, clean exit on SIGTERM/SIGINT. */
#include "tds_db.h"
#include "tds_fault.h"
#include "tds_encode.h"
#include "tds_session.h"
#include "tds_tls.h"
#include "tds_browser.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct options {
	const char **sql_files;
	int nsql_files;
	const char *db_path;
	int port;
	const char *port_file;
	const char *user;
	const char *password_env;
	const char *database;
	const char *batch_log;
	long max_packet_size;
	uint32_t max_tds_version; /* 0: 7.4 */
	const char *tls_log;
	const char *capture;
	int browser_port;	/* > 0: answer SQL Browser (SSRP) requests on that UDP port */
	const char *instance;
	int browser_silent;
};

/* A client connection and the thread serving it. */
struct client {
	int fd;
	unsigned conn;
	pthread_t thread;
	volatile int done; /* set by the thread as its last act; guarded by clients_lock */
	const struct tds_server_config *cfg;
	struct client *next;
};

static volatile sig_atomic_t stop_requested;
static pthread_mutex_t clients_lock = PTHREAD_MUTEX_INITIALIZER;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void usage(FILE *fp)
{
	fputs(
	    "usage: susdb-tds-server [--sql FILE]... [--db PATH] [--port N] [--port-file FILE]\n"
	    "         [--user NAME] [--password-env VAR] [--database NAME] [--batch-log FILE]\n"
	    "         [--max-packet-size N] [--tds-version 7.1|7.2|7.3|7.4]\n"
	    "         [--refuse-login] [--drop-after-rows N] [--delay-ms N]\n"
	    "         [--fail-pattern TEXT --fail-error NUM --fail-count K]\n"
	    "         [--tls-cert PEM --tls-key PEM] [--force-encryption] [--strict-tds8]\n"
	    "         [--tls-log FILE] [--capture FILE]\n"
	    "         [--browser-port N [--instance NAME] [--browser-silent]]\n"
	    "         [--trickle-ms N [--trickle-pattern TEXT] [--trickle-ignore-attention]]\n"
	    "         [--trickle-login-ms N] [--drop-after-commit N] [--refuse-login-after N]\n",
	    fp);
}

static int parse_int(const char *s, const char *what, long min, long *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (!*s || *end || v < min) {
		fprintf(stderr, "susdb-tds-server: invalid %s '%s'\n", what, s);
		return -1;
	}
	*out = v;
	return 0;
}

static int parse_options(int argc, char **argv, struct options *o, struct tds_fault *f,
			 struct tds_tls_config *tls)
{
	enum {
		OPT_SQL = 256,
		OPT_DB,
		OPT_PORT,
		OPT_PORT_FILE,
		OPT_USER,
		OPT_PASSWORD_ENV,
		OPT_DATABASE,
		OPT_REFUSE_LOGIN,
		OPT_DROP_AFTER_ROWS,
		OPT_DELAY_MS,
		OPT_FAIL_PATTERN,
		OPT_FAIL_ERROR,
		OPT_FAIL_COUNT,
		OPT_BATCH_LOG,
		OPT_MAX_PACKET_SIZE,
		OPT_TDS_VERSION,
		OPT_HELP,
		OPT_TLS_CERT,
		OPT_TLS_KEY,
		OPT_FORCE_ENCRYPTION,
		OPT_STRICT_TDS8,
		OPT_TLS_LOG,
		OPT_CAPTURE,
		OPT_BROWSER_PORT,
		OPT_INSTANCE,
		OPT_BROWSER_SILENT,
		OPT_TRICKLE_MS,
		OPT_TRICKLE_PATTERN,
		OPT_TRICKLE_IGNORE_ATTENTION,
		OPT_TRICKLE_LOGIN_MS,
		OPT_DROP_AFTER_COMMIT,
		OPT_REFUSE_LOGIN_AFTER,
	};
	static const struct option longopts[] = {
	    {"batch-log", required_argument, NULL, OPT_BATCH_LOG},
	    {"database", required_argument, NULL, OPT_DATABASE},
	    {"db", required_argument, NULL, OPT_DB},
	    {"delay-ms", required_argument, NULL, OPT_DELAY_MS},
	    {"drop-after-rows", required_argument, NULL, OPT_DROP_AFTER_ROWS},
	    {"fail-count", required_argument, NULL, OPT_FAIL_COUNT},
	    {"fail-error", required_argument, NULL, OPT_FAIL_ERROR},
	    {"fail-pattern", required_argument, NULL, OPT_FAIL_PATTERN},
	    {"help", no_argument, NULL, OPT_HELP},
	    {"max-packet-size", required_argument, NULL, OPT_MAX_PACKET_SIZE},
	    {"password-env", required_argument, NULL, OPT_PASSWORD_ENV},
	    {"port", required_argument, NULL, OPT_PORT},
	    {"port-file", required_argument, NULL, OPT_PORT_FILE},
	    {"refuse-login", no_argument, NULL, OPT_REFUSE_LOGIN},
	    {"sql", required_argument, NULL, OPT_SQL},
	    {"tds-version", required_argument, NULL, OPT_TDS_VERSION},
	    {"user", required_argument, NULL, OPT_USER},
	    {"tls-cert", required_argument, NULL, OPT_TLS_CERT},
	    {"tls-key", required_argument, NULL, OPT_TLS_KEY},
	    {"force-encryption", no_argument, NULL, OPT_FORCE_ENCRYPTION},
	    {"strict-tds8", no_argument, NULL, OPT_STRICT_TDS8},
	    {"tls-log", required_argument, NULL, OPT_TLS_LOG},
	    {"capture", required_argument, NULL, OPT_CAPTURE},
	    {"browser-port", required_argument, NULL, OPT_BROWSER_PORT},
	    {"instance", required_argument, NULL, OPT_INSTANCE},
	    {"browser-silent", no_argument, NULL, OPT_BROWSER_SILENT},
	    {"trickle-ms", required_argument, NULL, OPT_TRICKLE_MS},
	    {"trickle-pattern", required_argument, NULL, OPT_TRICKLE_PATTERN},
	    {"trickle-ignore-attention", no_argument, NULL, OPT_TRICKLE_IGNORE_ATTENTION},
	    {"trickle-login-ms", required_argument, NULL, OPT_TRICKLE_LOGIN_MS},
	    {"drop-after-commit", required_argument, NULL, OPT_DROP_AFTER_COMMIT},
	    {"refuse-login-after", required_argument, NULL, OPT_REFUSE_LOGIN_AFTER},
	    {NULL, 0, NULL, 0},
	};
	int c;
	long v;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_SQL:
			o->sql_files =
			    realloc(o->sql_files, (size_t)(o->nsql_files + 1) * sizeof(char *));
			if (!o->sql_files)
				return -1;
			o->sql_files[o->nsql_files++] = optarg;
			break;
		case OPT_DB:
			o->db_path = optarg;
			break;
		case OPT_PORT:
			if (parse_int(optarg, "port", 0, &v) < 0 || v > 65535)
				return -1;
			o->port = (int)v;
			break;
		case OPT_PORT_FILE:
			o->port_file = optarg;
			break;
		case OPT_USER:
			o->user = optarg;
			break;
		case OPT_PASSWORD_ENV:
			o->password_env = optarg;
			break;
		case OPT_DATABASE:
			o->database = optarg;
			break;
		case OPT_BATCH_LOG:
			o->batch_log = optarg;
			break;
		case OPT_REFUSE_LOGIN:
			f->refuse_login = 1;
			break;
		case OPT_DROP_AFTER_ROWS:
			if (parse_int(optarg, "row count", 0, &f->drop_after_rows) < 0)
				return -1;
			break;
		case OPT_DELAY_MS:
			if (parse_int(optarg, "delay", 0, &v) < 0)
				return -1;
			f->delay_ms = (int)v;
			break;
		case OPT_FAIL_PATTERN:
			f->fail_pattern = optarg;
			break;
		case OPT_FAIL_ERROR:
			if (parse_int(optarg, "error number", 1, &v) < 0)
				return -1;
			f->fail_error = (int)v;
			break;
		case OPT_FAIL_COUNT:
			if (parse_int(optarg, "failure count", 0, &v) < 0)
				return -1;
			f->fail_count = (int)v;
			break;
		case OPT_MAX_PACKET_SIZE:
			if (parse_int(optarg, "packet size", 512, &o->max_packet_size) < 0)
				return -1;
			break;
		case OPT_TDS_VERSION:
			/* the newest version to speak: 7.3 is SQL Server 2008 and 2008 R2's */
			if (strcmp(optarg, "7.1") == 0)
				o->max_tds_version = TDS_VERSION_71;
			else if (strcmp(optarg, "7.2") == 0)
				o->max_tds_version = TDS_VERSION_72;
			else if (strcmp(optarg, "7.3") == 0)
				o->max_tds_version = TDS_VERSION_73;
			else if (strcmp(optarg, "7.4") == 0)
				o->max_tds_version = TDS_VERSION_74;
			else {
				fprintf(stderr, "susdb-tds-server: --tds-version: 7.1, 7.2, 7.3 or 7.4\n");
				return -1;
			}
			break;
		case OPT_TLS_CERT:
			tls->cert_file = optarg;
			break;
		case OPT_TLS_KEY:
			tls->key_file = optarg;
			break;
		case OPT_FORCE_ENCRYPTION:
			tls->force = 1;
			break;
		case OPT_STRICT_TDS8:
			tls->strict = 1;
			break;
		case OPT_TLS_LOG:
			o->tls_log = optarg;
			break;
		case OPT_CAPTURE:
			o->capture = optarg;
			break;
		case OPT_BROWSER_PORT:
			if (parse_int(optarg, "browser port", 1, &v) < 0 || v > 65535)
				return -1;
			o->browser_port = (int)v;
			break;
		case OPT_INSTANCE:
			o->instance = optarg;
			break;
		case OPT_BROWSER_SILENT:
			o->browser_silent = 1;
			break;
		case OPT_TRICKLE_MS:
			if (parse_int(optarg, "trickle interval", 1, &v) < 0)
				return -1;
			f->trickle_ms = (int)v;
			break;
		case OPT_TRICKLE_PATTERN:
			f->trickle_pattern = optarg;
			break;
		case OPT_TRICKLE_IGNORE_ATTENTION:
			f->trickle_ignore_attention = 1;
			break;
		case OPT_TRICKLE_LOGIN_MS:
			if (parse_int(optarg, "trickle interval", 1, &v) < 0)
				return -1;
			f->trickle_login_ms = (int)v;
			break;
		case OPT_DROP_AFTER_COMMIT:
			if (parse_int(optarg, "commit count", 0, &v) < 0)
				return -1;
			f->drop_after_commit = (int)v;
			break;
		case OPT_REFUSE_LOGIN_AFTER:
			if (parse_int(optarg, "login count", 0, &v) < 0)
				return -1;
			f->refuse_login_after = (int)v;
			break;
		case OPT_HELP:
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "susdb-tds-server: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	if (f->fail_pattern && !f->fail_error) {
		fputs("susdb-tds-server: --fail-pattern needs --fail-error\n", stderr);
		return -1;
	}
	if (f->fail_pattern && !f->fail_count)
		f->fail_count = 1;
	return 0;
}

/* Binds 127.0.0.1:port (0: any free port); returns the socket and sets *bound, or -1. */
static int listen_on(int port, int *bound)
{
	struct sockaddr_in addr;
	socklen_t len = sizeof(addr);
	int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	addr.sin_port = htons((uint16_t)port);
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(fd, 64) < 0 ||
	    getsockname(fd, (struct sockaddr *)&addr, &len) < 0) {
		close(fd);
		return -1;
	}
	*bound = ntohs(addr.sin_port);
	return fd;
}

/* Writes the port to path through a temporary file, so a reader never sees half of it. */
static int write_port_file(const char *path, int port)
{
	char tmp[4096];
	FILE *fp;

	snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
	fp = fopen(tmp, "w");
	if (!fp)
		return -1;
	fprintf(fp, "%d\n", port);
	if (fclose(fp) != 0 || rename(tmp, path) != 0) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

static void *client_main(void *arg)
{
	struct client *c = arg;
	sigset_t set;

	/* signals are for the main thread, which owns shutting down */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	tds_session_run(c->fd, c->conn, c->cfg);
	pthread_mutex_lock(&clients_lock);
	c->done = 1;
	pthread_mutex_unlock(&clients_lock);
	return NULL;
}

/* Joins and frees finished clients (all of them when all is set, after waking them). */
static void reap_clients(struct client **list, int all)
{
	struct client **pp = list;

	if (all) {
		struct client *c;

		pthread_mutex_lock(&clients_lock);
		for (c = *list; c; c = c->next)
			if (!c->done)
				shutdown(c->fd, SHUT_RDWR);
		pthread_mutex_unlock(&clients_lock);
	}
	while (*pp) {
		struct client *c = *pp;
		int done;

		pthread_mutex_lock(&clients_lock);
		done = c->done;
		pthread_mutex_unlock(&clients_lock);
		if (!done && !all) {
			pp = &c->next;
			continue;
		}
		pthread_join(c->thread, NULL);
		close(c->fd);
		*pp = c->next;
		free(c);
	}
}

static void serve(int lfd, const struct tds_server_config *cfg)
{
	struct client *clients = NULL;
	unsigned nconn = 0;

	while (!stop_requested) {
		struct pollfd pfd = {.fd = lfd, .events = POLLIN};
		struct client *c;
		int fd;

		reap_clients(&clients, 0);
		if (poll(&pfd, 1, 200) <= 0)
			continue;
		fd = accept(lfd, NULL, NULL);
		if (fd < 0)
			continue;
		fcntl(fd, F_SETFD, FD_CLOEXEC);
		c = calloc(1, sizeof(*c));
		if (!c) {
			close(fd);
			continue;
		}
		c->fd = fd;
		c->conn = ++nconn;
		c->cfg = cfg;
		if (pthread_create(&c->thread, NULL, client_main, c) != 0) {
			close(fd);
			free(c);
			continue;
		}
		c->next = clients;
		clients = c;
	}
	reap_clients(&clients, 1);
}

/* Opens the TLS event log and the capture, loads the certificate. Returns 0 or -1. */
static int open_tls(const struct options *o, struct tds_tls_config *tls)
{
	const char *paths[2] = {o->tls_log, o->capture};
	int *fds[2] = {&tls->log_fd, &tls->capture_fd}, i;

	for (i = 0; i < 2; i++) {
		if (!paths[i])
			continue;
		*fds[i] = open(paths[i], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		if (*fds[i] < 0) {
			fprintf(stderr, "susdb-tds-server: could not open '%s': %s\n", paths[i],
				strerror(errno));
			return -1;
		}
	}
	return tds_tls_config_load(tls);
}

static void remove_db_files(const char *path)
{
	char buf[4200];

	unlink(path);
	snprintf(buf, sizeof(buf), "%s-wal", path);
	unlink(buf);
	snprintf(buf, sizeof(buf), "%s-shm", path);
	unlink(buf);
}

int main(int argc, char **argv)
{
	struct options o = {.user = "susaudit", .database = "SUSDB"};
	struct tds_fault fault;
	struct tds_tls_config tls;
	struct tds_browser *browser = NULL;
	struct tds_server_config cfg;
	struct sigaction sa;
	char temp_db[4096] = "";
	sqlite3 *keeper;
	int lfd, port, status = 1;

	tds_fault_init(&fault);
	tds_tls_config_init(&tls);
	if (parse_options(argc, argv, &o, &fault, &tls) < 0 || open_tls(&o, &tls) < 0)
		goto out;
	memset(&cfg, 0, sizeof(cfg));
	cfg.user = o.user;
	cfg.database = o.database;
	cfg.fault = &fault;
	cfg.max_packet_size = (size_t)o.max_packet_size;
	cfg.max_tds_version = o.max_tds_version;
	cfg.tls = &tls;
	/* the password comes from the environment so it never shows in ps */
	cfg.password = "Secret-123";
	if (o.password_env) {
		cfg.password = getenv(o.password_env);
		if (!cfg.password) {
			fprintf(stderr, "susdb-tds-server: environment variable '%s' is not set\n",
				o.password_env);
			goto out;
		}
	}
	if (o.batch_log) {
		fault.batch_log_fd =
		    open(o.batch_log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		if (fault.batch_log_fd < 0) {
			fprintf(stderr, "susdb-tds-server: could not open '%s': %s\n", o.batch_log,
				strerror(errno));
			goto out;
		}
	}
	if (o.db_path) {
		cfg.db_path = o.db_path;
	} else {
		/* a private database in a temporary file: every connection must see it */
		const char *dir = getenv("TMPDIR");
		int fd;

		snprintf(temp_db, sizeof(temp_db), "%s/susdb-tds-XXXXXX",
			 dir && *dir ? dir : "/tmp");
		fd = mkstemp(temp_db);
		if (fd < 0) {
			fprintf(stderr, "susdb-tds-server: could not create '%s': %s\n", temp_db,
				strerror(errno));
			temp_db[0] = '\0';
			goto out;
		}
		close(fd);
		cfg.db_path = temp_db;
	}
	keeper = tds_db_load(cfg.db_path, o.sql_files, o.nsql_files);
	if (!keeper)
		goto out;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	lfd = listen_on(o.port, &port);
	if (lfd < 0) {
		fprintf(stderr, "susdb-tds-server: could not listen on 127.0.0.1:%d: %s\n", o.port,
			strerror(errno));
		sqlite3_close(keeper);
		goto out;
	}
	if (o.port_file && write_port_file(o.port_file, port) < 0) {
		fprintf(stderr, "susdb-tds-server: could not write '%s': %s\n", o.port_file,
			strerror(errno));
		close(lfd);
		sqlite3_close(keeper);
		goto out;
	}
	if (o.browser_port > 0) {
		browser = tds_browser_start(o.browser_port, o.instance, port, o.browser_silent);
		if (!browser) {
			close(lfd);
			sqlite3_close(keeper);
			goto out;
		}
	}
	printf("port %d\n", port);
	fflush(stdout);
	serve(lfd, &cfg);
	tds_browser_stop(browser);
	close(lfd);
	sqlite3_close(keeper);
	status = 0;
out:
	if (temp_db[0])
		remove_db_files(temp_db);
	free(o.sql_files);
	tds_fault_release(&fault);
	tds_tls_config_release(&tls);
	if (tls.log_fd >= 0)
		close(tls.log_fd);
	if (tls.capture_fd >= 0)
		close(tls.capture_fd);
	return status;
}
