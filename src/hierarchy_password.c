/* hierarchy_password: reads a server's SQL password from its variable or file, never logging it. */
#include "hierarchy.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "xalloc.h"

enum { PASSWORD_MAX = 1024 };

static int read_env(const struct server *s, char **out)
{
	const char *v = getenv(s->conn.password_env);

	if (!v || !*v)
		return log_error("server '%s': environment variable '%s' (password-env) is %s",
				 s->name, s->conn.password_env, v ? "empty" : "not set");
	if (strlen(v) > PASSWORD_MAX)
		return log_error("server '%s': environment variable '%s' (password-env) is longer "
				 "than %d bytes",
				 s->name, s->conn.password_env, PASSWORD_MAX);
	*out = xstrdup(v);
	return 0;
}

static int read_file(const struct server *s, char **out)
{
	const char *path = s->conn.password_file;
	char buf[PASSWORD_MAX + 2];
	size_t used = 0;
	struct stat st;
	int fd, rc = -1;

	/* O_NONBLOCK so that a FIFO put in the file's place cannot hang the run */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return log_error("server '%s': could not open password file '%s': %s", s->name,
				 path, strerror(errno));
	if (fstat(fd, &st) < 0) {
		log_error("server '%s': could not stat password file '%s': %s", s->name, path,
			  strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		log_error("server '%s': password file '%s' is not a regular file", s->name, path);
		goto out;
	}
	if (st.st_mode & 077) {
		log_error("server '%s': password file '%s' can be read by group or others (mode "
			  "%03o): refused; fix it with 'chmod 600 %s'",
			  s->name, path, (unsigned)(st.st_mode & 0777), path);
		goto out;
	}
	while (used < sizeof(buf)) {
		ssize_t n = read(fd, buf + used, sizeof(buf) - used);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			log_error("server '%s': could not read password file '%s': %s", s->name,
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
		log_error("server '%s': password file '%s' is longer than %d bytes", s->name, path,
			  PASSWORD_MAX);
		goto out;
	}
	if (used == 0) {
		log_error("server '%s': password file '%s' is empty", s->name, path);
		goto out;
	}
	if (memchr(buf, '\0', used)) {
		log_error("server '%s': password file '%s' contains a NUL byte", s->name, path);
		goto out;
	}
	*out = xstrndup(buf, used);
	rc = 0;
out:
	xwipe(buf, sizeof(buf));
	close(fd);
	return rc;
}

int hierarchy_read_password(const struct server *s, char **out)
{
	*out = NULL;
	if (s->conn.password_env)
		return read_env(s, out);
	if (s->conn.password_file)
		return read_file(s, out);
	return 1;
}
