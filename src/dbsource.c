/* dbsource: FreeTDS db-lib connections; handlers record into the connection, never exit. */
#include "dbsource.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <pwd.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sybdb.h>

#include "dbsource_browser.h"
#include "dbsource_tls.h"
#include "log.h"
#include "signals.h"
#include "xalloc.h"

/* What the handlers saw on one connection since the last statement began. */
struct db_messages {
	int msgno;		/* last SQL Server error (severity > 10), 0 when none */
	char msg[512];
	int dberr;		/* last db-lib error number, 0 when none */
	char dberrstr[256];
	int timed_out;		/* query timeouts seen: the first cancels, the second gives up */
	int dead;
	int past_deadline;	/* the statement ran longer than the query timeout as a whole */
};

struct db_conn {
	DBPROCESS *dbproc;
	char *label;
	char *section;		/* our freetds.conf section's name, which FreeTDS puts in its */
	char *sql;		/* messages: shown as what the user wrote (the sql attribute) */
	struct db_messages m;
	int query_timeout;
	/* FreeTDS's timeout counts the wait for each packet: a server that trickles a packet
	 * now and then never meets it. deadline bounds the whole statement; the watchdog
	 * shuts the socket down at hard_deadline when even the cancel is not answered. */
	struct timespec deadline;
	int fd;			/* the socket, for the watchdog; -1 when unknown */
	struct timespec hard_deadline;	/* guarded by watch_lock; tv_sec 0: no statement */
	atomic_int killed;	/* the watchdog shut the socket down */
	struct db_conn *watch_next;	/* guarded by watch_lock */
	struct db_conn_facts facts;
};

/* Logins given up on whose thread is still inside dbopen: dbexit must not run under them. */
static atomic_int logins_running_abandoned;

/* Seconds a cancelled statement may take to be acknowledged before the socket is shut. */
#define CANCEL_GRACE_SECONDS 5

/* Messages that arrive during dbopen have no connection yet: they go to the caller's thread. */
static _Thread_local struct db_messages *login_messages;

static pthread_mutex_t conf_lock = PTHREAD_MUTEX_INITIALIZER;
static char *conf_dir;		/* private 0700 folder holding our freetds.conf */
static char *conf_path;
static char *conf_text;		/* every section written so far */
static unsigned conf_sections;
static char *user_conf;		/* $FREETDSCONF as the user set it (NULL: unset), kept once */
static int user_conf_saved;

static void deadline_after(struct timespec *t, int seconds)
{
	clock_gettime(CLOCK_MONOTONIC, t);
	t->tv_sec += seconds;
}

static int deadline_passed(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > t->tv_sec || (now.tv_sec == t->tv_sec && now.tv_nsec >= t->tv_nsec);
}

/* The watchdog: one thread for the process that shuts down the socket of a statement past
 * its hard deadline, whatever db-lib is blocked in. Connections register while open. */
static pthread_mutex_t watch_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t watch_cond = PTHREAD_COND_INITIALIZER;
static struct db_conn *watched;
static int watch_started;

static void *watch_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&watch_lock);
	for (;;) {
		struct timespec tick;
		struct db_conn *c;

		for (c = watched; c; c = c->watch_next)
			if (c->hard_deadline.tv_sec && !atomic_load(&c->killed) &&
			    deadline_passed(&c->hard_deadline) && c->fd >= 0) {
				atomic_store(&c->killed, 1);
				shutdown(c->fd, SHUT_RDWR);
			}
		if (!watched) {
			pthread_cond_wait(&watch_cond, &watch_lock);
			continue;
		}
		clock_gettime(CLOCK_REALTIME, &tick);
		tick.tv_nsec += 200 * 1000000L;
		if (tick.tv_nsec >= 1000000000L) {
			tick.tv_sec++;
			tick.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&watch_cond, &watch_lock, &tick);
	}
	return NULL;
}

static void watch_add(struct db_conn *c)
{
	pthread_mutex_lock(&watch_lock);
	if (!watch_started) {
		pthread_t t;

		if (pthread_create(&t, NULL, watch_main, NULL) == 0) {
			pthread_detach(t);
			watch_started = 1;
		}
	}
	c->watch_next = watched;
	watched = c;
	pthread_cond_signal(&watch_cond);
	pthread_mutex_unlock(&watch_lock);
}

static void watch_remove(struct db_conn *c)
{
	struct db_conn **pp;

	pthread_mutex_lock(&watch_lock);
	for (pp = &watched; *pp; pp = &(*pp)->watch_next)
		if (*pp == c) {
			*pp = c->watch_next;
			break;
		}
	pthread_mutex_unlock(&watch_lock);
}

/* A statement begins (seconds > 0) or ends (0): sets the deadlines the row loops and the
 * watchdog enforce. */
static void statement_deadline(struct db_conn *c, int seconds)
{
	if (seconds > 0)
		deadline_after(&c->deadline, seconds);
	pthread_mutex_lock(&watch_lock);
	if (seconds > 0) {
		c->hard_deadline = c->deadline;
		c->hard_deadline.tv_sec += CANCEL_GRACE_SECONDS;
	} else {
		c->hard_deadline.tv_sec = 0;
	}
	pthread_mutex_unlock(&watch_lock);
}

/* Whether the running statement is past its deadline (then marked so). */
static int statement_overdue(struct db_conn *c)
{
	if (!c->m.past_deadline && deadline_passed(&c->deadline))
		c->m.past_deadline = 1;
	return c->m.past_deadline;
}

static struct db_messages *messages_for(DBPROCESS *dbproc)
{
	struct db_conn *c = dbproc ? (struct db_conn *)dbgetuserdata(dbproc) : NULL;

	return c ? &c->m : login_messages;
}

static int handle_error(DBPROCESS *dbproc, int severity, int dberr, int oserr, char *dberrstr,
			char *oserrstr)
{
	struct db_messages *m = messages_for(dbproc);
	int logged_in = dbproc && dbgetuserdata(dbproc);

	(void)severity;
	if (m) {
		/* without an OS error, db-lib's oserrstr is strerror(0): "Success" */
		int os = oserr != 0 && oserr != DBNOERR && oserrstr && *oserrstr;

		m->dberr = dberr;
		snprintf(m->dberrstr, sizeof(m->dberrstr), "%s%s%s", dberrstr ? dberrstr : "",
			 os ? ": " : "", os ? oserrstr : "");
		if (dbproc && DBDEAD(dbproc))
			m->dead = 1;
		/* A query timeout answered with INT_TIMEOUT makes FreeTDS send an ATTENTION and
		 * wait for its acknowledgement: SQL Server stops the query and the connection
		 * stays usable. INT_CANCEL would close the socket at once and leave the query
		 * running on the server. A server that does not acknowledge within another
		 * timeout is given up. */
		if (dberr == SYBETIME && m->timed_out++ == 0 && logged_in)
			return INT_TIMEOUT;
	}
	/* everything else fails the call; never INT_EXIT */
	return INT_CANCEL;
}

static int handle_message(DBPROCESS *dbproc, DBINT msgno, int msgstate, int severity,
			  char *msgtext, char *srvname, char *procname, int line)
{
	struct db_messages *m = messages_for(dbproc);

	(void)msgstate;
	(void)srvname;
	(void)procname;
	(void)line;
	/* severity 10 and below are informational (5701 changed database context, ...). The
	 * first error is the cause (4060 "Cannot open database" before 18456 "Login failed",
	 * 2627 before 3621 "The statement has been terminated"): keep it, not the last one */
	if (m && severity > 10 && m->msgno == 0) {
		m->msgno = (int)msgno;
		snprintf(m->msg, sizeof(m->msg), "%s", msgtext ? msgtext : "");
	}
	return 0;
}

static void remove_conf(void)
{
	if (conf_path)
		unlink(conf_path);
	if (conf_dir) {
		rmdir(conf_dir);
		signals_forget_prefix(conf_dir);
	}
}

int db_global_init(void)
{
	const char *tmp = getenv("TMPDIR");
	char *dir;

	/* a process may collect more than once (tests do): initialise once */
	if (conf_path)
		return 0;
	if (dbinit() == FAIL)
		return log_error("could not initialise FreeTDS db-lib");
	dberrhandle(handle_error);
	dbmsghandle(handle_message);
	/* no dbsetlogintime(): db-lib's login timeout is process-wide and would override the
	 * 'connect timeout' every server's section of our freetds.conf carries */

	dir = xasprintf("%s/susaudit-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!signals_mkdtemp(dir)) { /* removed on SIGTERM too (signals.h) */
		int e = errno;

		free(dir);
		return log_error("could not create a private folder for freetds.conf: %s", strerror(e));
	}
	conf_dir = dir;
	conf_path = xasprintf("%s/freetds.conf", dir);
	signals_register(conf_path, 0);
	signals_register_suffixed(conf_path, ".tmp");
	conf_text = xstrdup("[global]\n\tclient charset = UTF-8\n\ttext size = 1048576\n");
	/* FreeTDS reads only one $FREETDSCONF: remember the user's before it names ours, so that
	 * its sections can still be found (conf_lines_for) */
	if (!user_conf_saved) {
		const char *user = getenv("FREETDSCONF");

		user_conf = user && *user ? xstrdup(user) : NULL;
		user_conf_saved = 1;
	}
	setenv("FREETDSCONF", conf_path, 1);
	atexit(remove_conf);
	return 0;
}

void db_global_exit(void)
{
	/* a login given up on may still be inside dbopen: leave db-lib to the process's end */
	if (atomic_load(&logins_running_abandoned) == 0)
		dbexit();
	remove_conf();
	free(conf_path);
	free(conf_dir);
	free(conf_text);
	conf_path = conf_dir = conf_text = NULL;
}

static void append(char **text, const char *line)
{
	char *t = xasprintf("%s%s", *text ? *text : "", line);

	free(*text);
	*text = t;
}

/* The settings of section `name` of the freetds.conf at path, after those of the file's
 * [global], one per line, as FreeTDS would apply them (malloc'd); NULL when the file cannot be
 * read or has no such section. */
static char *conf_file_lines(const char *path, const char *name)
{
	FILE *f = fopen(path, "r");
	char line[512], *global = NULL, *section = NULL, *lines = NULL;
	int in = 0, found = 0; /* in: 0 another section, 1 [global], 2 [name] */

	if (!f)
		return NULL;
	while (fgets(line, sizeof(line), f)) {
		char *p = line, *end;

		while (isspace((unsigned char)*p))
			p++;
		if (*p == '[' && (end = strchr(p, ']')) != NULL) {
			*end = '\0';
			if (strcasecmp(p + 1, "global") == 0)
				in = 1;
			else
				in = strcasecmp(p + 1, name) == 0 ? 2 : 0;
			found |= in == 2;
			continue;
		}
		if (!*p || *p == ';' || *p == '#' || in == 0)
			continue;
		end = p + strcspn(p, "\r\n");
		*end = '\0';
		append(in == 1 ? &global : &section, "\t");
		append(in == 1 ? &global : &section, p);
		append(in == 1 ? &global : &section, "\n");
	}
	fclose(f);
	if (found) {
		append(&lines, global ? global : "");
		append(&lines, section ? section : "");
	}
	free(global);
	free(section);
	return lines;
}

/* The settings FreeTDS would use for the freetds.conf name `name` (see conf_file_lines),
 * taken from the first file that holds it, in FreeTDS's order: the user's $FREETDSCONF,
 * $FREETDS/etc/freetds.conf, ~/.freetds.conf (FreeTDS's home is the password database's, a
 * shell's is $HOME: both are looked at) and the system's file. NULL when no file has it. */
static char *conf_lines_for(const char *name)
{
	const char *home = getenv("HOME"), *freetds = getenv("FREETDS");
	struct passwd pw, *pwp = NULL;
	char pwbuf[1024];
	char *paths[5] = {NULL, NULL, NULL, NULL, NULL}, *lines = NULL;
	size_t i;

	if (strcasecmp(name, "global") == 0)
		return NULL;
	if (user_conf)
		paths[0] = xstrdup(user_conf);
	if (freetds && *freetds)
		paths[1] = xasprintf("%s/etc/freetds.conf", freetds);
	if (getpwuid_r(getuid(), &pw, pwbuf, sizeof(pwbuf), &pwp) == 0 && pwp && pwp->pw_dir)
		paths[2] = xasprintf("%s/.freetds.conf", pwp->pw_dir);
	if (home && *home)
		paths[3] = xasprintf("%s/.freetds.conf", home);
	paths[4] = xstrdup("/etc/freetds/freetds.conf");
	for (i = 0; i < 5 && !lines; i++)
		if (paths[i])
			lines = conf_file_lines(paths[i], name);
	for (i = 0; i < 5; i++)
		free(paths[i]);
	return lines;
}

/* Writes a freetds.conf section for the target and returns the name to pass to dbopen
 * (malloc'd). Sections carry host, port or instance, the encryption and the login timeout
 * the hierarchy file asks for, which db-lib's login API cannot set per connection. */
static char *conf_section_for(const struct db_target *t)
{
	static const char *const encryption_names[] = {"off", "request", "require"};
	char *host = xstrdup(t->sql), *port = NULL, *instance = NULL, *section, *name, *tmp;
	char *body = NULL, *lines, *tls = db_tls_conf_lines(t);
	/* the whole login: TCP connect, TLS, PRELOGIN and LOGIN7 (FreeTDS's connect timeout) */
	int login_timeout = t->login_timeout > 0 ? t->login_timeout : 15;
	const char *found;
	char *colon = strrchr(host, ':'), *backslash = strchr(host, '\\');
	FILE *f;

	if (backslash) {
		*backslash = '\0';
		instance = backslash + 1;
	} else if (colon && strchr(host, ':') == colon) {
		*colon = '\0';
		port = colon + 1;
	} else if ((lines = conf_lines_for(host)) != NULL) {
		/* a name of the user's freetds.conf: its settings, copied into a section of ours,
		 * so that FreeTDS finds them whichever file they came from; 'require' in the
		 * hierarchy file is never weakened by the section */
		body = xasprintf("]\n%s\tconnect timeout = %d\n%s%s", lines, login_timeout,
				 t->encryption == ENCRYPTION_REQUIRE ? "\tencryption = require\n"
								     : "",
				 tls);
		free(lines);
	}
	if (!body)
		body = xasprintf("]\n\thost = %s\n\t%s = %s\n\ttds version = 7.4\n"
				 "\tencryption = %s\n\tconnect timeout = %d\n%s",
				 host, instance ? "instance" : "port",
				 instance ? instance : (port ? port : "1433"),
				 encryption_names[t->encryption], login_timeout, tls);
	free(tls);
	pthread_mutex_lock(&conf_lock);
	/* a server connected before (a retry, another run) reuses its section: the file grows
	 * with the number of servers, not of connections. Only a whole section matches: the
	 * body must end where the next section (or the file) begins */
	for (found = strstr(conf_text, body); found; found = strstr(found + 1, body))
		if (found[strlen(body)] == '\0' || found[strlen(body)] == '[')
			break;
	if (found) {
		const char *open = found;

		while (open > conf_text && *open != '[')
			open--;
		name = xstrndup(open + 1, (size_t)(found - open - 1));
		pthread_mutex_unlock(&conf_lock);
		free(body);
		free(host);
		return name;
	}
	name = xasprintf("susaudit-%u", ++conf_sections);
	section = xasprintf("[%s%s", name, body);
	free(body);
	tmp = xasprintf("%s%s", conf_text, section);
	free(conf_text);
	conf_text = tmp;
	/* replace the file atomically: another thread may be inside dbopen reading it */
	tmp = xasprintf("%s.tmp", conf_path);
	f = fopen(tmp, "w");
	if (f) {
		fputs(conf_text, f);
		if (fclose(f) == 0)
			rename(tmp, conf_path);
	}
	free(tmp);
	pthread_mutex_unlock(&conf_lock);
	free(section);
	free(host);
	return name;
}

/* FreeTDS names the server by the freetds.conf section dbopen was given ("Adaptive Server
 * connection failed (susaudit-7)"): a private name the user never wrote. Every occurrence
 * of `section` in buf (not followed by a digit: susaudit-1 is not susaudit-12) becomes the
 * sql attribute as written. */
static void unname_section(char *buf, size_t size, const char *section, const char *sql)
{
	size_t n;
	char *out, *p;
	const char *q;

	if (!section || !*section || !sql || !strstr(buf, section))
		return;
	n = strlen(section);
	out = xmalloc(size);
	p = out;
	for (q = buf; *q && (size_t)(p - out) < size - 1;) {
		if (strncmp(q, section, n) == 0 && !isdigit((unsigned char)q[n])) {
			size_t room = size - 1 - (size_t)(p - out), k = strlen(sql);

			k = k < room ? k : room;
			memcpy(p, sql, k);
			p += k;
			q += n;
		} else {
			*p++ = *q++;
		}
	}
	*p = '\0';
	memcpy(buf, out, (size_t)(p - out) + 1);
	free(out);
}

static void unname_messages(struct db_messages *m, const char *section, const char *sql)
{
	unname_section(m->msg, sizeof(m->msg), section, sql);
	unname_section(m->dberrstr, sizeof(m->dberrstr), section, sql);
}

static enum db_status classify_login_failure(const struct db_messages *m)
{
	if (m->msgno == 18456 || m->msgno == 4060 || m->msgno == 18452 || m->msgno == 18488)
		return DB_LOGIN_FAILED;
	return DB_UNREACHABLE;
}

static char *describe(const char *label, const char *what, const struct db_messages *m)
{
	if (m->msgno)
		return xasprintf("%s '%s': %s (SQL Server error %d)", what, label, m->msg, m->msgno);
	if (m->dberr)
		return xasprintf("%s '%s': %s", what, label, m->dberrstr);
	return xasprintf("%s '%s': unknown error", what, label);
}

/* A login running in its own thread, so that the caller can give up on it. */
struct login_attempt {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int finished, abandoned;	/* guarded by lock */
	LOGINREC *login;		/* owned: freed by whoever finishes last */
	char *server;
	DBPROCESS *dbproc;
	struct db_messages m;
};

#define LOGIN_ABANDONED ((DBPROCESS *)-1)

static void login_attempt_free(struct login_attempt *a)
{
	/* the login record holds a copy of the password: free it at once */
	dbloginfree(a->login);
	free(a->server);
	pthread_cond_destroy(&a->cond);
	pthread_mutex_destroy(&a->lock);
	free(a);
}

static void *login_main(void *arg)
{
	struct login_attempt *a = arg;
	DBPROCESS *p;
	int abandoned;

	login_messages = &a->m;
	p = dbopen(a->login, a->server);
	login_messages = NULL;
	pthread_mutex_lock(&a->lock);
	a->dbproc = p;
	a->finished = 1;
	abandoned = a->abandoned;
	pthread_cond_signal(&a->cond);
	pthread_mutex_unlock(&a->lock);
	if (abandoned) {
		if (p)
			dbclose(p);
		login_attempt_free(a);
		atomic_fetch_sub(&logins_running_abandoned, 1);
	}
	return NULL;
}

/* dbopen bounded as a whole: FreeTDS's connect timeout counts the wait for each packet, so a
 * server that answers PRELOGIN or LOGIN7 a packet at a time would hold dbopen for ever. The
 * login runs in a thread; past `seconds` it is abandoned (it frees itself when it ends) and
 * LOGIN_ABANDONED is returned. Takes ownership of login and server; fills *m. */
static DBPROCESS *open_bounded(LOGINREC *login, char *server, int seconds, struct db_messages *m)
{
	struct login_attempt *a = xcalloc(1, sizeof(*a));
	struct timespec until;
	pthread_attr_t attr;
	pthread_t thread;
	DBPROCESS *p;
	int started;

	pthread_mutex_init(&a->lock, NULL);
	pthread_cond_init(&a->cond, NULL);
	a->login = login;
	a->server = server;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	started = pthread_create(&thread, &attr, login_main, a) == 0;
	pthread_attr_destroy(&attr);
	if (!started) {
		/* no thread to spare: FreeTDS's own per-packet timeout is all there is */
		login_main(a);
		*m = a->m;
		p = a->dbproc;
		login_attempt_free(a);
		return p;
	}
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += seconds;
	pthread_mutex_lock(&a->lock);
	while (!a->finished)
		if (pthread_cond_timedwait(&a->cond, &a->lock, &until) != 0 && !a->finished) {
			a->abandoned = 1;
			atomic_fetch_add(&logins_running_abandoned, 1);
			break;
		}
	pthread_mutex_unlock(&a->lock);
	if (a->abandoned)
		return LOGIN_ABANDONED;
	*m = a->m;
	p = a->dbproc;
	login_attempt_free(a);
	return p;
}

static enum db_status connect_resolved(const struct db_target *t, int writable,
				       struct db_conn **out, char **error);

/* host\instance: the port comes from SQL Browser first (dbsource_browser.h), so the wait is
 * bounded by the login timeout and the probes of dbsource_tls.c know where to go */
static enum db_status connect_target(const struct db_target *t, int writable,
				     struct db_conn **out, char **error)
{
	struct db_target resolved = *t;
	char *sql = NULL;
	enum db_status s;
	int rc = db_browser_resolve(t, &sql, error);

	*out = NULL;
	if (rc < 0)
		return DB_UNREACHABLE;
	if (rc == 0)
		resolved.sql = sql;
	s = connect_resolved(&resolved, writable, out, error);
	free(sql);
	return s;
}

static enum db_status connect_resolved(const struct db_target *t, int writable,
				       struct db_conn **out, char **error)
{
	struct db_messages m;
	struct db_conn *c;
	LOGINREC *login;
	DBPROCESS *dbproc;
	char *server;
	char timeout[16], *section;

	*out = NULL;
	*error = NULL;
	memset(&m, 0, sizeof(m));
	login = dblogin();
	if (!login) {
		*error = xasprintf("could not connect to '%s': db-lib could not allocate a login",
				   t->label);
		return DB_UNREACHABLE;
	}
	if (t->user)
		DBSETLUSER(login, t->user);
	if (t->password)
		DBSETLPWD(login, t->password);
	DBSETLAPP(login, "susaudit");
	DBSETLCHARSET(login, "UTF-8");
	DBSETLDBNAME(login, t->database ? t->database : "SUSDB");
	dbsetlversion(login, DBVERSION_74);
	/* ApplicationIntent=ReadOnly: routes to a readable secondary where one exists */
	if (!writable)
		DBSETLREADONLY(login, 1);

	server = conf_section_for(t);
	section = xstrdup(server);
	dbproc = open_bounded(login, server, t->login_timeout > 0 ? t->login_timeout : 15, &m);
	unname_messages(&m, section, t->sql);
	if (dbproc == LOGIN_ABANDONED) {
		free(section);
		*error = xasprintf("could not connect to '%s': the login timed out after %d "
				   "seconds",
				   t->label, t->login_timeout > 0 ? t->login_timeout : 15);
		return DB_UNREACHABLE;
	}
	if (!dbproc) {
		enum db_status s = classify_login_failure(&m);

		free(section);
		*error = describe(t->label, "could not connect to", &m);
		db_tls_explain(t, m.msgno, error);
		if (t->encryption == ENCRYPTION_REQUIRE && s == DB_UNREACHABLE &&
		    strstr(*error, "certificate") == NULL && strstr(*error, "strict") == NULL) {
			char *e = xasprintf("%s (encryption is 'require': a server that does not "
					    "offer TLS is refused)", *error);

			free(*error);
			*error = e;
		}
		return s;
	}
	c = xcalloc(1, sizeof(*c));
	c->dbproc = dbproc;
	c->label = xstrdup(t->label);
	c->section = section;
	c->sql = xstrdup(t->sql);
	c->query_timeout = t->query_timeout > 0 ? t->query_timeout : 300;
	db_tls_facts(t, dbproc, &c->facts);
	dbsetuserdata(dbproc, (BYTE *)c);
	snprintf(timeout, sizeof(timeout), "%d", c->query_timeout);
	dbsetopt(dbproc, DBSETTIME, timeout, 0);
	c->fd = dbiordesc(dbproc);
	watch_add(c);
	*out = c;
	return DB_OK;
}

enum db_status db_connect(const struct db_target *t, struct db_conn **out, char **error)
{
	return connect_target(t, 0, out, error);
}

enum db_status db_connect_writable(const struct db_target *t, struct db_conn **out,
				   char **error)
{
	return connect_target(t, 1, out, error);
}

void db_close(struct db_conn *c)
{
	if (!c)
		return;
	watch_remove(c);
	dbclose(c->dbproc);
	free(c->label);
	free(c->section);
	free(c->sql);
	free(c);
}

const struct db_conn_facts *db_conn_facts(const struct db_conn *c)
{
	return &c->facts;
}

int db_is_dead(const struct db_conn *c)
{
	return !c || c->m.dead || DBDEAD(c->dbproc);
}

static enum db_status statement_failure(struct db_conn *c)
{
	if (c->m.msgno == 1205)
		return DB_DEADLOCK;
	if (c->m.msgno == 208 || c->m.msgno == 207)
		return DB_SCHEMA;
	/* SELECT/EXECUTE denied, permission denied in database, VIEW ... STATE denied (300,
	 * followed by 297): the statement failed, the connection is fine */
	if (c->m.msgno == 229 || c->m.msgno == 230 || c->m.msgno == 262 || c->m.msgno == 297 ||
	    c->m.msgno == 300)
		return DB_DENIED;
	if (c->m.timed_out || c->m.past_deadline || atomic_load(&c->killed))
		return DB_TIMEOUT;
	if (db_is_dead(c))
		return DB_DROPPED;
	if (c->m.msgno)
		return DB_SQL_ERROR;
	return DB_DROPPED;
}

static enum db_status fail(struct db_conn *c, const char *name, char **error)
{
	enum db_status s = statement_failure(c);

	unname_messages(&c->m, c->section, c->sql);
	if (s == DB_TIMEOUT)
		*error = xasprintf("query '%s' on '%s' timed out after %d seconds", name, c->label,
				   c->query_timeout);
	else if (s == DB_DROPPED)
		*error = xasprintf("query '%s' on '%s': the connection was lost (%s)", name,
				   c->label, c->m.dberr ? c->m.dberrstr : "no further detail");
	else if (c->m.msgno)
		*error = xasprintf("query '%s' on '%s' failed: %s (SQL Server error %d)", name,
				   c->label, c->m.msg, c->m.msgno);
	else
		*error = xasprintf("query '%s' on '%s' failed: %s", name, c->label, c->m.dberrstr);
	/* leave the connection ready for the next statement where it still lives (the
	 * watchdog ends a cancel that is never acknowledged) */
	if (!db_is_dead(c))
		dbcancel(c->dbproc);
	statement_deadline(c, 0);
	return s;
}

static enum db_status send_batch(struct db_conn *c, const char *name, const char *sql,
				 char **error)
{
	memset(&c->m, 0, sizeof(c->m));
	*error = NULL;
	statement_deadline(c, c->query_timeout);
	if (dbcmd(c->dbproc, sql) == FAIL || dbsqlexec(c->dbproc) == FAIL)
		return fail(c, name, error);
	return DB_OK;
}

enum db_status db_exec(struct db_conn *c, const char *name, const char *sql, long long *count,
		       char **error)
{
	enum db_status s = send_batch(c, name, sql, error);
	RETCODE rc;

	if (s != DB_OK)
		return s;
	if (count)
		*count = 0;
	while ((rc = dbresults(c->dbproc)) == SUCCEED) {
		if (count && DBCOUNT(c->dbproc) >= 0)
			*count += DBCOUNT(c->dbproc);
		while (dbnextrow(c->dbproc) != NO_MORE_ROWS)
			if (c->m.dead || statement_overdue(c))
				break;
		if (c->m.past_deadline)
			break;
	}
	if (rc == FAIL || c->m.msgno || c->m.past_deadline || db_is_dead(c))
		return fail(c, name, error);
	statement_deadline(c, 0);
	return DB_OK;
}

/* Per column: the bound buffer and its null indicator. */
struct bound_column {
	enum db_kind kind;
	DBINT null_indicator;	/* text only: the other kinds are not bound */
	DBDATETIME datetime;
	char *text;
	size_t text_size;
};

static void format_guid(const BYTE *b, char *out)
{
	/* db-lib hands a uniqueidentifier over as its struct in host order:
	 * Data1 (32 bits), Data2, Data3 (16 bits), Data4[8] */
	uint32_t d1;
	uint16_t d2, d3;

	static const char hex[] = "0123456789ABCDEF";
	char *p = out;
	int i;

	memcpy(&d1, b, 4);
	memcpy(&d2, b + 4, 2);
	memcpy(&d3, b + 6, 2);
	/* by hand, not snprintf: this runs for every GUID of every row (bench/README.md) */
	for (i = 28; i >= 0; i -= 4)
		*p++ = hex[(d1 >> i) & 15];
	*p++ = '-';
	for (i = 12; i >= 0; i -= 4)
		*p++ = hex[(d2 >> i) & 15];
	*p++ = '-';
	for (i = 12; i >= 0; i -= 4)
		*p++ = hex[(d3 >> i) & 15];
	for (i = 8; i < 16; i++) {
		if (i == 8 || i == 10)
			*p++ = '-';
		*p++ = hex[b[i] >> 4];
		*p++ = hex[b[i] & 15];
	}
	*p = '\0';
}

/* Writes n decimal digits of v, zero-padded. */
static char *put_digits(char *p, long long v, int n)
{
	int i;

	for (i = n - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return p + n;
}

/* Converts days since 1900-01-01 and 1/300-second ticks to '2026-11-22T03:00:00.000Z'. */
static void format_datetime(const DBDATETIME *dt, char *out, size_t size)
{
	long long days = dt->dtdays, ms = ((long long)dt->dttime * 10 + 1) / 3;
	long long z, era, doe, yoe, y, doy, mp, d, m;
	char *p;

	if (ms >= 86400000LL) {
		/* 23:59:59.998 rounds up to the next day */
		ms -= 86400000LL;
		days++;
	}
	/* civil-from-days (Howard Hinnant's algorithm), shifted from 1900-01-01 to 1970 */
	z = days - 25567 + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	/* datetime covers years 1753-9999; digits by hand, not snprintf (every row's times) */
	if (size < 25) {
		*out = '\0';
		return;
	}
	p = put_digits(out, y % 10000, 4);
	*p++ = '-';
	p = put_digits(p, m, 2);
	*p++ = '-';
	p = put_digits(p, d, 2);
	*p++ = 'T';
	p = put_digits(p, ms / 3600000 % 24, 2);
	*p++ = ':';
	p = put_digits(p, ms / 60000 % 60, 2);
	*p++ = ':';
	p = put_digits(p, ms / 1000 % 60, 2);
	*p++ = '.';
	p = put_digits(p, ms % 1000, 3);
	*p++ = 'Z';
	*p = '\0';
}

/* Only text is bound (db-lib turns any type into text). The other kinds are read from the
 * row's own data with their wire type checked: a bound buffer that a failed conversion did
 * not fill still holds the previous row's value, which must never be read as this row's. */
static int bind_column(DBPROCESS *dbproc, int col, struct bound_column *b)
{
	DBINT collen;

	if (b->kind != DB_KIND_TEXT)
		return 0;
	/* UTF-8 may need up to 3 bytes for each UTF-16 unit the server sends */
	collen = dbcollen(dbproc, col);
	b->text_size = collen > 0 && collen < 65536 ? (size_t)collen * 3 / 2 + 4 : 65536;
	b->text = xmalloc(b->text_size);
	if (dbbind(dbproc, col, NTBSTRINGBIND, (DBINT)b->text_size, (BYTE *)b->text) == FAIL)
		return -1;
	return dbnullbind(dbproc, col, &b->null_indicator) == FAIL ? -1 : 0;
}

/* uniqueidentifier's db-lib type, which sybdb.h does not name */
#define DB_TYPE_UNIQUE 36

static int is_char_type(int type)
{
	return type == SYBCHAR || type == SYBVARCHAR || type == SYBTEXT || type == SYBNTEXT ||
	       type == SYBNVARCHAR;
}

/* The cell as text for a message: at most 60 bytes, control characters as '?'. */
static void describe_cell(DBPROCESS *dbproc, int col, char *out, size_t size)
{
	const BYTE *d = dbdata(dbproc, col);
	DBINT len = dbdatlen(dbproc, col), n;
	int type = dbcoltype(dbproc, col);
	char *p;

	if (!d && len == 0) {
		snprintf(out, size, "NULL");
		return;
	}
	if (is_char_type(type)) {
		n = len < (DBINT)size - 1 ? len : (DBINT)size - 1;
		memcpy(out, d, (size_t)n);
	} else {
		n = dbconvert(dbproc, type, d, len, SYBCHAR, (BYTE *)out, (DBINT)size - 1);
		if (n < 0)
			n = 0;
	}
	out[n] = '\0';
	if (n > 60)
		snprintf(out + 57, size - 57, "...");
	for (p = out; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
}

/* A whole decimal integer, nothing else (no blanks, no fraction). Returns 0 or -1. */
static int parse_integer(const BYTE *d, DBINT len, long long *out)
{
	char buf[32], *end;

	if (len <= 0 || len >= (DBINT)sizeof(buf))
		return -1;
	memcpy(buf, d, (size_t)len);
	buf[len] = '\0';
	if (!(isdigit((unsigned char)buf[0]) || ((buf[0] == '-' || buf[0] == '+') &&
						 isdigit((unsigned char)buf[1]))))
		return -1;
	errno = 0;
	*out = strtoll(buf, &end, 10);
	return errno || *end ? -1 : 0;
}

static int hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = toupper(c);
	return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* 'xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx' (any case) in canonical upper case; 0 or -1. */
static int parse_guid_text(const BYTE *d, DBINT len, char *out)
{
	int i;

	if (len != 36)
		return -1;
	for (i = 0; i < 36; i++) {
		int dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? d[i] != '-' : hex_value(d[i]) < 0)
			return -1;
		out[i] = (char)toupper(d[i]);
	}
	out[36] = '\0';
	return 0;
}

/* Reads the cell into v; the kinds other than text from the row's data. Returns 0, or -1
 * with what the value is not in *why (a static string). */
static int read_value(DBPROCESS *dbproc, int col, struct bound_column *b, struct db_value *v,
		      char *scratch, const char **why)
{
	const BYTE *d;
	DBINT n;
	int type;

	memset(v, 0, sizeof(*v));
	if (b->kind == DB_KIND_TEXT) {
		v->is_null = b->null_indicator == -1;
		if (v->is_null)
			return 0;
		v->text = b->text;
		v->len = strlen(b->text);
		/* NTBSTRINGBIND strips trailing blanks ('abc  ' arrives as 'abc', '   ' as ''):
		 * the value as SQL Server holds it, already UTF-8, is in the row buffer */
		n = dbdatlen(dbproc, col);
		if (n > 0 && (size_t)n > v->len && (size_t)n < b->text_size) {
			memcpy(b->text + v->len, dbdata(dbproc, col) + v->len, (size_t)n - v->len);
			b->text[n] = '\0';
			v->len = (size_t)n;
		}
		return 0;
	}
	d = dbdata(dbproc, col);
	n = dbdatlen(dbproc, col);
	type = dbcoltype(dbproc, col);
	if (!d) {
		v->is_null = 1;
		return 0;
	}
	switch (b->kind) {
	case DB_KIND_INT:
		*why = "an integer";
		if (type == SYBINT1 && n == 1) {
			v->integer = d[0];
		} else if ((type == SYBBIT || type == SYBBITN) && n == 1) {
			v->integer = d[0] != 0;
		} else if (type == SYBINT2 && n == 2) {
			int16_t x;

			memcpy(&x, d, 2);
			v->integer = x;
		} else if (type == SYBINT4 && n == 4) {
			int32_t x;

			memcpy(&x, d, 4);
			v->integer = x;
		} else if (type == SYBINT8 && n == 8) {
			int64_t x;

			memcpy(&x, d, 8);
			v->integer = x;
		} else if (type == SYBNUMERIC || type == SYBDECIMAL) {
			DBBIGINT x;

			if (dbconvert(dbproc, type, d, n, SYBINT8, (BYTE *)&x, (DBINT)sizeof(x)) !=
			    (DBINT)sizeof(x))
				return -1;
			v->integer = x;
		} else if (!is_char_type(type) || parse_integer(d, n, &v->integer) < 0) {
			return -1;
		}
		return 0;
	case DB_KIND_GUID:
		*why = "a GUID";
		if ((type == DB_TYPE_UNIQUE || type == SYBBINARY || type == SYBVARBINARY) &&
		    n == 16)
			format_guid(d, scratch);
		else if (!is_char_type(type) || parse_guid_text(d, n, scratch) < 0)
			return -1;
		v->text = scratch;
		v->len = 36;
		return 0;
	case DB_KIND_TIME:
		*why = "a date and time";
		if (type == SYBDATETIME && n == (DBINT)sizeof(DBDATETIME)) {
			memcpy(&b->datetime, d, sizeof(b->datetime));
		} else if (dbconvert(dbproc, type, d, n, SYBDATETIME, (BYTE *)&b->datetime,
				     (DBINT)sizeof(b->datetime)) != (DBINT)sizeof(b->datetime)) {
			return -1;
		}
		format_datetime(&b->datetime, scratch, 64);
		v->text = scratch;
		v->len = 24;
		return 0;
	case DB_KIND_TEXT:
		break;
	}
	return -1;
}

/* The error for a cell that is not of its column's kind: names the column, the value and
 * the row by its number and its first column (the key of every query's rows). */
static char *bad_value_error(struct db_conn *c, const char *name, const struct db_column *cols,
			     int col, long long row, const char *why)
{
	char value[80], key[80];

	describe_cell(c->dbproc, col, value, sizeof(value));
	if (col == 1)
		return xasprintf("query '%s' on '%s': column '%s' of row %lld holds '%s', which is "
				 "not %s",
				 name, c->label, cols[col - 1].name, row, value, why);
	describe_cell(c->dbproc, 1, key, sizeof(key));
	return xasprintf("query '%s' on '%s': column '%s' of row %lld (%s '%s') holds '%s', "
			 "which is not %s",
			 name, c->label, cols[col - 1].name, row, cols[0].name, key, value, why);
}

static enum db_status check_shape(struct db_conn *c, const char *name,
				  const struct db_column *columns, size_t ncolumns, char **error)
{
	int n = dbnumcols(c->dbproc);
	size_t i;

	if (n != (int)ncolumns) {
		*error = xasprintf("query '%s' on '%s' returned %d columns where %zu were expected",
				   name, c->label, n, ncolumns);
		dbcancel(c->dbproc);
		return DB_BAD_RESULT;
	}
	for (i = 0; i < ncolumns; i++) {
		const char *got = dbcolname(c->dbproc, (int)i + 1);

		if (!got || strcasecmp(got, columns[i].name) != 0) {
			*error = xasprintf("query '%s' on '%s': column %zu is '%s' where '%s' was "
					   "expected",
					   name, c->label, i + 1, got ? got : "", columns[i].name);
			dbcancel(c->dbproc);
			return DB_BAD_RESULT;
		}
	}
	return DB_OK;
}

enum db_status db_query(struct db_conn *c, const char *name, const char *sql,
			const struct db_column *columns, size_t ncolumns, db_row_fn fn, void *data,
			long long *rows, char **error)
{
	struct bound_column *bound = NULL;
	struct db_value *values = NULL;
	char (*scratch)[64] = NULL;
	enum db_status s;
	STATUS row;
	size_t i;
	int results = 0, stop = 0;

	*rows = 0;
	s = send_batch(c, name, sql, error);
	if (s != DB_OK)
		return s;
	while (s == DB_OK && dbresults(c->dbproc) == SUCCEED) {
		if (dbnumcols(c->dbproc) == 0)
			continue;	/* SET NOCOUNT and friends */
		if (results++) {
			*error = xasprintf("query '%s' on '%s' returned more than one result set",
					   name, c->label);
			dbcancel(c->dbproc);
			s = DB_BAD_RESULT;
			break;
		}
		s = check_shape(c, name, columns, ncolumns, error);
		if (s != DB_OK)
			break;
		bound = xcalloc(ncolumns, sizeof(*bound));
		values = xcalloc(ncolumns, sizeof(*values));
		scratch = xcalloc(ncolumns, sizeof(*scratch));
		for (i = 0; i < ncolumns; i++) {
			bound[i].kind = columns[i].kind;
			if (bind_column(c->dbproc, (int)i + 1, &bound[i]) < 0) {
				*error = xasprintf("query '%s' on '%s': could not bind column '%s'",
						   name, c->label, columns[i].name);
				dbcancel(c->dbproc);
				s = DB_BAD_RESULT;
				break;
			}
		}
		while (s == DB_OK && (row = dbnextrow(c->dbproc)) != NO_MORE_ROWS) {
			if (row == FAIL) {
				s = fail(c, name, error);
				break;
			}
			if (statement_overdue(c)) {
				s = fail(c, name, error);
				break;
			}
			if (row != REG_ROW)
				continue;	/* compute rows: not produced by our queries */
			for (i = 0; i < ncolumns && s == DB_OK; i++) {
				const char *why = "";

				if (read_value(c->dbproc, (int)i + 1, &bound[i], &values[i],
					       scratch[i], &why) < 0) {
					*error = bad_value_error(c, name, columns, (int)i + 1,
								 *rows + 1, why);
					dbcancel(c->dbproc);
					s = DB_BAD_VALUE;
				}
			}
			if (s != DB_OK)
				break;
			(*rows)++;
			if (fn(data, values, ncolumns) != 0) {
				stop = 1;
				dbcancel(c->dbproc);
				break;
			}
		}
		if (stop)
			break;
	}
	if (s == DB_OK && !stop &&
	    (c->m.msgno || c->m.timed_out || c->m.dead || c->m.past_deadline ||
	     atomic_load(&c->killed)))
		s = fail(c, name, error);
	statement_deadline(c, 0);
	if (bound)
		for (i = 0; i < ncolumns; i++)
			free(bound[i].text);
	free(bound);
	free(values);
	free(scratch);
	if (s == DB_OK && stop) {
		*error = xasprintf("query '%s' on '%s': reading stopped by the caller", name,
				   c->label);
		return DB_BAD_RESULT;
	}
	if (s == DB_OK && results == 0) {
		*error = xasprintf("query '%s' on '%s' returned no result set", name, c->label);
		return DB_BAD_RESULT;
	}
	return s;
}

const char *db_status_name(enum db_status s)
{
	static const char *const names[] = {"ok",	 "login failed", "unreachable",
					    "timeout",	 "deadlock",	 "connection lost",
					    "schema",	 "sql error",	 "unexpected result",
					    "value of the wrong type", "permission denied"};

	return names[s];
}
