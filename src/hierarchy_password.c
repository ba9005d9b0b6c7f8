/* hierarchy_password: reads a server's SQL password from its variable or file, never logging it. */
#include "hierarchy.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "xalloc.h"

enum { PASSWORD_MAX = 1024 };

/* Puts the reason into *why (malloc'd) and returns -1. */
static int because(char **why, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int because(char **why, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	*why = xvasprintf(fmt, ap);
	va_end(ap);
	return -1;
}

/* From the first password read on, the process holds a secret: no core dump may carry it
 * (a core would land in a file readable by whoever collects crashes), and no process of the
 * same user may read its memory through ptrace or /proc/PID/mem. */
static void protect_process(void)
{
	static int done;
	struct rlimit none = {0, 0};

	if (done)
		return;
	done = 1;
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	setrlimit(RLIMIT_CORE, &none);
}

static int read_env(const struct server *s, char **out, char **why)
{
	const char *v = getenv(s->conn.password_env);

	if (!v || !*v)
		return because(why, "server '%s': environment variable '%s' (password-env) is %s",
				 s->name, s->conn.password_env, v ? "empty" : "not set");
	if (strlen(v) > PASSWORD_MAX)
		return because(why, "server '%s': environment variable '%s' (password-env) is longer "
				 "than %d bytes",
				 s->name, s->conn.password_env, PASSWORD_MAX);
	*out = xstrdup(v);
	return 0;
}

static int read_file(const struct server *s, char **out, char **why)
{
	const char *path = s->conn.password_file;
	char buf[PASSWORD_MAX + 2];
	size_t used = 0;
	struct stat st;
	int fd, rc = -1;

	/* O_NONBLOCK so that a FIFO put in the file's place cannot hang the run */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return because(why, "server '%s': could not open password file '%s': %s", s->name,
				 path, strerror(errno));
	if (fstat(fd, &st) < 0) {
		because(why, "server '%s': could not stat password file '%s': %s", s->name, path,
			  strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		because(why, "server '%s': password file '%s' is not a regular file", s->name, path);
		goto out;
	}
	if (st.st_mode & 077) {
		because(why, "server '%s': password file '%s' can be read by group or others (mode "
			  "%03o): refused; fix it with 'chmod 600 %s'",
			  s->name, path, (unsigned)(st.st_mode & 0777), path);
		goto out;
	}
	while (used < sizeof(buf)) {
		ssize_t n = read(fd, buf + used, sizeof(buf) - used);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			because(why, "server '%s': could not read password file '%s': %s", s->name,
				  path, strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		used += (size_t)n;
	}
	/* one trailing newline is what editors and `echo` add; it is not part of the password */
	if (used && buf[used - 1] == '\n') {
		used--;
		if (used && buf[used - 1] == '\r')
			used--;
	}
	if (used > PASSWORD_MAX) {
		because(why, "server '%s': password file '%s' is longer than %d bytes", s->name, path,
			  PASSWORD_MAX);
		goto out;
	}
	if (used == 0) {
		because(why, "server '%s': password file '%s' is empty", s->name, path);
		goto out;
	}
	if (memchr(buf, '\0', used)) {
		because(why, "server '%s': password file '%s' contains a NUL byte", s->name, path);
		goto out;
	}
	*out = xstrndup(buf, used);
	rc = 0;
out:
	xwipe(buf, sizeof(buf));
	close(fd);
	return rc;
}

int hierarchy_password_get(const struct server *s, char **out, char **why)
{
	*out = NULL;
	*why = NULL;
	if (!s->conn.password_env && !s->conn.password_file)
		return 1;
	protect_process();
	if (s->conn.password_env)
		return read_env(s, out, why);
	return read_file(s, out, why);
}

int hierarchy_read_password(const struct server *s, char **out)
{
	char *why = NULL;
	int rc = hierarchy_password_get(s, out, &why);

	if (rc < 0)
		log_error("%s", why);
	free(why);
	return rc;
}
