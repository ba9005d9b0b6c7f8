/* intern: an open-addressing set of strings kept in an arena (FNV-1a, linear probing). */
#include "intern.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fnv.h"
#include "xalloc.h"

void intern_init(struct intern *t, struct arena *a)
{
	t->arena = a;
	t->slots = NULL;
	t->cap = 0;
	t->n = 0;
}

/* The slot of s: where it is, or the empty slot where it would go. cap is a power of two. */
static size_t find_slot(const char **slots, size_t cap, const char *s, size_t len)
{
	size_t i = (size_t)fnv1a_bytes(FNV1A_INIT, s, len) & (cap - 1);

	while (slots[i] && (strncmp(slots[i], s, len) != 0 || slots[i][len] != '\0'))
		i = (i + 1) & (cap - 1);
	return i;
}

/* Doubles the table (kept at most half full, so probes stay short). */
static void grow(struct intern *t)
{
	size_t ncap = t->cap ? t->cap * 2 : 64, i;
	const char **ns = xcalloc(ncap, sizeof(*ns));

	for (i = 0; i < t->cap; i++)
		if (t->slots[i])
			ns[find_slot(ns, ncap, t->slots[i], strlen(t->slots[i]))] = t->slots[i];
	free(t->slots);
	t->slots = ns;
	t->cap = ncap;
}

const char *intern_strn(struct intern *t, const char *s, size_t len)
{
	size_t i;

	if (!s)
		return NULL;
	if ((t->n + 1) * 2 > t->cap)
		grow(t);
	i = find_slot(t->slots, t->cap, s, len);
	if (!t->slots[i]) {
		t->slots[i] = arena_strndup(t->arena, s, len);
		t->n++;
	}
	return t->slots[i];
}

const char *intern_str(struct intern *t, const char *s)
{
	return s ? intern_strn(t, s, strlen(s)) : NULL;
}

void intern_free(struct intern *t)
{
	free(t->slots);
	t->slots = NULL;
	t->cap = 0;
	t->n = 0;
}
