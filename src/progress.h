/* progress: per-server progress lines on a terminal; silent when not one. */
#ifndef SUSAUDIT_PROGRESS_H
#define SUSAUDIT_PROGRESS_H

#include <stddef.h>

struct progress;

/* `slots` lines, one per parallel job. With enabled 0 every call is a no-op. Never NULL. */
struct progress *progress_start(size_t nservers, int slots, int enabled);
/* Shows what the job in `slot` is doing; redraws at most ten times a second. Thread-safe. */
void progress_update(struct progress *p, int slot, const char *server, const char *phase,
		     long long rows);
/* Counts a server as finished and clears its slot. */
void progress_server_done(struct progress *p, int slot, int failed);
/* Erases the lines and frees. */
void progress_finish(struct progress *p);

#endif
