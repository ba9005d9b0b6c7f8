/* infile: input files are regular files, found out without ever blocking on a FIFO. */
#include "infile.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"

const char *infile_kind(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG:
		return "a regular file";
	case S_IFDIR:
		return "a directory";
	case S_IFIFO:
		return "a FIFO";
	case S_IFCHR:
		return "a character device";
	case S_IFBLK:
		return "a block device";
	case S_IFSOCK:
		return "a socket";
	default:
		return "not a file";
	}
}

int infile_open_regular(const char *path)
{
	struct stat st;
	int fd, flags;

	/* a FIFO opened for reading waits for a writer, and reading it waits for data: opened
	 * without blocking and looked at before the first read, it costs nothing */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return log_error("could not open '%s': %s", path, strerror(errno));
	if (fstat(fd, &st) < 0) {
		int e = errno;

		close(fd);
		return log_error("could not open '%s': %s", path, strerror(e));
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return log_error("'%s' is %s, not a regular file", path, infile_kind(st.st_mode));
	}
	flags = fcntl(fd, F_GETFL);
	if (flags >= 0)
		fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
	return fd;
}

int infile_check_regular(const char *path, int may_be_missing)
{
	int fd;

	if (may_be_missing && access(path, F_OK) != 0 && errno == ENOENT)
		return 0;
	fd = infile_open_regular(path);
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}
