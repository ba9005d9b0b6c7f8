/* outfile: a reader never sees half a report; a failed run leaves the old file in place. */
#include "outfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "xalloc.h"

int outfile_open(struct outfile *o, const char *path)
{
	struct stat st;
	int fd;

	memset(o, 0, sizeof(*o));
	if (!path || strcmp(path, "-") == 0) {
		o->f = stdout;
		return 0;
	}
	/* the rename at the end would fail: say so now, not after the work */
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return log_error("could not write '%s': %s", path, strerror(EISDIR));
	o->path = xstrdup(path);
	o->tmp = xasprintf("%s.tmp-XXXXXX", path);
	fd = mkstemp(o->tmp);
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
		free(o->tmp);
		free(o->path);
		memset(o, 0, sizeof(*o));
		return log_error("could not write '%s': %s", path, strerror(e));
	}
	return 0;
}

int outfile_check(const char *path)
{
	struct outfile o;

	if (outfile_open(&o, path) < 0)
		return -1;
	if (o.path)
		outfile_abort(&o);
	return 0;
}

int outfile_commit(struct outfile *o)
{
	int failed;

	if (!o->path) {
		failed = fflush(o->f) != 0 || ferror(o->f);
		return failed ? log_error("could not write the report to standard output") : 0;
	}
	failed = fflush(o->f) != 0 || ferror(o->f) || fsync(fileno(o->f)) != 0;
	failed |= fclose(o->f) != 0;
	o->f = NULL;
	if (failed || rename(o->tmp, o->path) != 0) {
		int e = errno;

		unlink(o->tmp);
		log_error("could not write '%s': %s", o->path, strerror(e));
		free(o->tmp);
		free(o->path);
		return -1;
	}
	free(o->tmp);
	free(o->path);
	return 0;
}

void outfile_abort(struct outfile *o)
{
	if (o->path) {
		if (o->f)
			fclose(o->f);
		unlink(o->tmp);
		free(o->tmp);
		free(o->path);
	}
	memset(o, 0, sizeof(*o));
}

int outfile_commit_new(struct outfile *o)
{
	int failed, e = 0;

	if (!o->path)
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
