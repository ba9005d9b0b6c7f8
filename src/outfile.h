/* outfile: report files written whole or not at all (a temporary file, then rename), and
 * devices, FIFOs and /dev/stdout-like links written straight into. */
#ifndef SUSAUDIT_OUTFILE_H
#define SUSAUDIT_OUTFILE_H

#include <stdio.h>

struct outfile {
	FILE *f;
	char *path; /* NULL for standard output; the file replaced at commit, or written */
	char *tmp;  /* the temporary file renamed onto `path`; NULL when written straight */
};

/* Opens `path` for writing ("-" or NULL: standard output). A regular file (or a new one, or
 * a symbolic link to a regular file) is written to a temporary file beside it and replaced at
 * commit; anything else (a character device such as /dev/null, a FIFO, a link into /dev or
 * /proc such as /dev/stdout) is written straight into, never replaced. Returns 0 or -1
 * (logged). */
int outfile_open(struct outfile *o, const char *path);
/* Whether `path` can be written as outfile_open would (a temporary file is created and
 * removed at once; a device or FIFO is only checked for write permission, never opened), so
 * a long run can fail before it starts. Returns 0 or -1 (logged). */
int outfile_check(const char *path);
/* Flushes, syncs and renames into place (or flushes and closes what is written straight).
 * Returns 0 or -1 (logged; a replaced target is untouched). */
int outfile_commit(struct outfile *o);
/* Added: the same, but refuses (logged, temporary file removed) when `path` exists by then:
 * the file appears whole or not at all and an existing one is never replaced. */
int outfile_commit_new(struct outfile *o);
/* Drops the temporary file; a replaced target is untouched. */
void outfile_abort(struct outfile *o);

#endif
