/* outfile: a reader never sees half a report; a failed run leaves the old file in place. */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "signals.h"
#include "xalloc.h"

/* How a target is written. */
enum out_way {
	OUT_REPLACE,  /* temporary file beside it, renamed over it */
	OUT_STRAIGHT, /* opened and written: a device, a FIFO, /dev/stdout */
	OUT_FAIL      /* logged */
};

/* Paths through /dev and /proc name descriptors and devices: /dev/stdout is a link to
 * /proc/self/fd/1, which may well be a regular file (a cron job's log) that the shell opened
 * for appending; renaming a temporary file over the link would replace /dev/stdout itself. */
static int names_a_descriptor(const char *path)
{
	return strncmp(path, "/dev/", 5) == 0 || strncmp(path, "/proc/", 6) == 0;
}

/* Decides how `path` is written; *target is what is replaced or opened (malloc'd). */
static enum out_way classify(const char *path, char **target, int *append)
{
	struct stat lst, st;
	char link[PATH_MAX];
	ssize_t n;
	char *real;

	*target = NULL;
	*append = 0;
	if (lstat(path, &lst) != 0 || S_ISREG(lst.st_mode)) {
		*target = xstrdup(path);
		return OUT_REPLACE;
	}
	if (stat(path, &st) != 0) { /* a dangling link: replaced, as a missing file is made */
		*target = xstrdup(path);
		return OUT_REPLACE;
	}
	/* the rename at the end would fail: say so now, not after the work */
	if (S_ISDIR(st.st_mode)) {
		log_error("could not write '%s': %s", path, strerror(EISDIR));
		return OUT_FAIL;
	}
	if (S_ISLNK(lst.st_mode) && S_ISREG(st.st_mode)) {
		n = readlink(path, link, sizeof(link) - 1);
		link[n > 0 ? n : 0] = '\0';
		real = realpath(path, NULL);
		if (real && !names_a_descriptor(path) && !names_a_descriptor(link) &&
		    !names_a_descriptor(real)) {
			/* the link stays a link: its target is what gets the new report */
			*target = real;
			return OUT_REPLACE;
		}
		free(real);
		*append = 1; /* never truncate what the shell opened with >> */
	}
	*target = xstrdup(path);
	return OUT_STRAIGHT;
}

static int open_straight(struct outfile *o, const char *target, int append)
{
	int fd = open(target, O_WRONLY | O_CLOEXEC | O_NOCTTY | (append ? O_APPEND : 0));

	if (fd < 0 || !(o->f = fdopen(fd, "w"))) {
		int e = errno;

		if (fd >= 0)
			close(fd);
		return log_error("could not write '%s': %s", target, strerror(e));
	}
	o->path = xstrdup(target);
	return 0;
}

static int open_replace(struct outfile *o, const char *target)
{
	int fd;

	o->path = xstrdup(target);
	o->tmp = xasprintf("%s.tmp-XXXXXX", target);
	/* registered before it exists, so that a signal removes it too (signals.h) */
	fd = signals_mkstemp(o->tmp);
	if (fd >= 0) {
		/* mkstemp creates 0600; a report gets the mode a plain create would give it */
		mode_t mask = umask(0);

		umask(mask);
		fchmod(fd, 0666 & ~mask);
	}
	if (fd < 0 || !(o->f = fdopen(fd, "w"))) {
		int e = errno;

		if (fd >= 0) {
			close(fd);
			unlink(o->tmp);
		}
		signals_forget(o->tmp);
		free(o->tmp);
		free(o->path);
		memset(o, 0, sizeof(*o));
		return log_error("could not write '%s': %s", target, strerror(e));
	}
	return 0;
}

int outfile_open(struct outfile *o, const char *path)
{
	enum out_way way;
	char *target;
	int append, rc;

	memset(o, 0, sizeof(*o));
	if (!path || strcmp(path, "-") == 0) {
		o->f = stdout;
		return 0;
	}
	way = classify(path, &target, &append);
	if (way == OUT_FAIL)
		return -1;
	rc = way == OUT_STRAIGHT ? open_straight(o, target, append) : open_replace(o, target);
	free(target);
	return rc;
}

int outfile_check(const char *path)
{
	struct outfile o;
	enum out_way way;
	char *target;
	int append;

	if (!path || strcmp(path, "-") == 0)
		return 0;
	way = classify(path, &target, &append);
	if (way == OUT_STRAIGHT) {
		/* opening a FIFO for writing waits for its reader: only the permission is asked */
		int rc = access(target, W_OK) == 0
			     ? 0
			     : log_error("could not write '%s': %s", target, strerror(errno));

		free(target);
		return rc;
	}
	free(target);
	if (way == OUT_FAIL || outfile_open(&o, path) < 0)
		return -1;
	outfile_abort(&o);
	return 0;
}

int outfile_commit(struct outfile *o)
{
	int failed, e;

	if (!o->path) {
		failed = fflush(o->f) != 0 || ferror(o->f);
		return failed ? log_error("could not write the report to standard output") : 0;
	}
	if (!o->tmp) {
		failed = fflush(o->f) != 0 || ferror(o->f);
		e = errno;
		if (fclose(o->f) != 0 && !failed) {
			failed = 1;
			e = errno;
		}
		o->f = NULL;
		if (failed)
			log_error("could not write '%s': %s", o->path, strerror(e ? e : EIO));
		free(o->path);
		o->path = NULL;
		return failed ? -1 : 0;
	}
	failed = fflush(o->f) != 0 || ferror(o->f) || fsync(fileno(o->f)) != 0;
	failed |= fclose(o->f) != 0;
	o->f = NULL;
	if (failed || rename(o->tmp, o->path) != 0) {
		e = errno;
		unlink(o->tmp);
		signals_forget(o->tmp);
		log_error("could not write '%s': %s", o->path, strerror(e));
		free(o->tmp);
		free(o->path);
		return -1;
	}
	signals_forget(o->tmp);
	free(o->tmp);
	free(o->path);
	return 0;
}

void outfile_abort(struct outfile *o)
{
	if (o->path) {
		if (o->f)
			fclose(o->f);
		if (o->tmp) {
			unlink(o->tmp);
			signals_forget(o->tmp);
		}
		free(o->tmp);
		free(o->path);
	}
	memset(o, 0, sizeof(*o));
}

int outfile_commit_new(struct outfile *o)
{
	int failed, e = 0;

	/* standard output, or a device or FIFO written straight into: nothing to replace */
	if (!o->path || !o->tmp)
		return outfile_commit(o);
	failed = fflush(o->f) != 0 || ferror(o->f) || fsync(fileno(o->f)) != 0;
	failed |= fclose(o->f) != 0;
	o->f = NULL;
	if (failed)
		e = errno;
	/* link() fails with EEXIST where rename() would replace: atomic and never clobbering */
	else if (link(o->tmp, o->path) != 0)
		e = errno;
	unlink(o->tmp);
	signals_forget(o->tmp);
	if (failed || e) {
		if (e == EEXIST)
			log_error("'%s' exists: refused (--force replaces it)", o->path);
		else
			log_error("could not write '%s': %s", o->path, strerror(e));
		free(o->tmp);
		free(o->path);
		memset(o, 0, sizeof(*o));
		return -1;
	}
	free(o->tmp);
	free(o->path);
	memset(o, 0, sizeof(*o));
	return 0;
}
