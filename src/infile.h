/* infile: input files are regular files, found out without ever blocking on a FIFO. */
#ifndef SUSAUDIT_INFILE_H
#define SUSAUDIT_INFILE_H

#include <sys/types.h>

/* What a file of mode `mode` is, for messages: "a FIFO", "a character device", "a directory"
 * ... ("a regular file" for one). */
const char *infile_kind(mode_t mode);

/* Opens `path` read-only without blocking (O_NONBLOCK, so a FIFO with no writer cannot hang
 * the open), refuses anything but a regular file ("'x' is a FIFO, not a regular file") and
 * returns a blocking descriptor the caller closes. Returns the descriptor, or -1 (logged:
 * the path and what it is, or why it could not be opened). */
int infile_open_regular(const char *path);

/* The same check for a file another library opens by name (SQLite): 0 when `path` is a
 * regular file, or does not exist and `may_be_missing`; -1 (logged) otherwise. */
int infile_check_regular(const char *path, int may_be_missing);

#endif
