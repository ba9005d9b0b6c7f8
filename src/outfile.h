/* outfile: report files written whole or not at all (a temporary file, then rename). */
#ifndef SUSAUDIT_OUTFILE_H
#define SUSAUDIT_OUTFILE_H

#include <stdio.h>

struct outfile {
	FILE *f;
	char *path;	/* NULL for standard output */
	char *tmp;
};

/* Opens `path` for writing ("-" or NULL: standard output). Returns 0 or -1 (logged). */
int outfile_open(struct outfile *o, const char *path);
/* Whether `path` can be written as outfile_open would (its temporary file is created and
 * removed at once), so a long run can fail before it starts. Returns 0 or -1 (logged). */
int outfile_check(const char *path);
/* Flushes, syncs and renames into place. Returns 0 or -1 (logged; the target is untouched). */
int outfile_commit(struct outfile *o);
/* Added: the same, but refuses (logged, temporary file removed) when `path` exists by then:
 * the file appears whole or not at all and an existing one is never replaced. */
int outfile_commit_new(struct outfile *o);
/* Drops the temporary file; the target is untouched. */
void outfile_abort(struct outfile *o);

#endif
