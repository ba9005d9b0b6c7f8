/* intern: one copy of each distinct text. The servers of a hierarchy share one catalogue, so
 * their category titles and the titles of their oldest superseded updates are the same strings;
 * interned, 200 servers hold one copy instead of 200. */
#ifndef SUSAUDIT_INTERN_H
#define SUSAUDIT_INTERN_H

#include <stddef.h>

#include "arena.h"

struct intern {
	struct arena *arena;	/* where the one copies live (not owned) */
	const char **slots;	/* open addressing; NULL = empty */
	size_t cap, n;
};

/* Prepares an empty table whose strings go to `a`; nothing is allocated until the first use.
 * intern_free() of a zeroed struct intern does nothing. */
void intern_init(struct intern *t, struct arena *a);
/* The table's copy of s (the first `len` bytes, which hold no NUL); NULL stays NULL. */
const char *intern_strn(struct intern *t, const char *s, size_t len);
const char *intern_str(struct intern *t, const char *s);
/* Frees the table, not the strings (they die with the arena). */
void intern_free(struct intern *t);

#endif
