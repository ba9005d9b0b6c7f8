/* arena: a bump allocator for data that lives and dies together (model, findings). */
#ifndef SUSAUDIT_ARENA_H
#define SUSAUDIT_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block *head;
	size_t block_size;
	size_t total;	/* bytes handed out, for reporting memory use */
};

/* Prepares an empty arena; nothing is allocated until the first request. */
void arena_init(struct arena *a);
/* Returns zeroed, suitably aligned memory owned by the arena. Never NULL. */
void *arena_alloc(struct arena *a, size_t size);
/* Copies into the arena; NULL stays NULL. */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
void *arena_memdup(struct arena *a, const void *p, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Frees every block; the arena is empty and reusable afterwards. */
void arena_release(struct arena *a);

#endif
