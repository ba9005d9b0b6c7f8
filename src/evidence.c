/* evidence: small JSON-like trees in an arena; growth copies, the old arrays stay in the arena. */
#include "evidence.h"

#include <string.h>

static struct evidence *evidence_new(struct arena *a, enum evidence_type type)
{
	struct evidence *e = arena_alloc(a, sizeof(*e));

	e->type = type;
	return e;
}

struct evidence *evidence_object(struct arena *a) { return evidence_new(a, EVIDENCE_OBJECT); }

struct evidence *evidence_list(struct arena *a) { return evidence_new(a, EVIDENCE_LIST); }

struct evidence *evidence_null(struct arena *a) { return evidence_new(a, EVIDENCE_NULL); }

struct evidence *evidence_string(struct arena *a, const char *s)
{
	struct evidence *e;

	if (!s)
		return evidence_null(a);
	e = evidence_new(a, EVIDENCE_STRING);
	e->string = arena_strdup(a, s);
	return e;
}

struct evidence *evidence_int(struct arena *a, long long v)
{
	struct evidence *e = evidence_new(a, EVIDENCE_INT);

	e->integer = v;
	return e;
}

struct evidence *evidence_bool(struct arena *a, int v)
{
	struct evidence *e = evidence_new(a, EVIDENCE_BOOL);

	e->integer = v != 0;
	return e;
}

/* Doubles an arena array; returns the new one (the old stays in the arena until release). */
static void *arena_grow(struct arena *a, void *old, size_t *cap, size_t used, size_t elem)
{
	size_t ncap = *cap ? *cap * 2 : 4;
	void *p = arena_alloc(a, ncap * elem);

	if (used)
		memcpy(p, old, used * elem);
	*cap = ncap;
	return p;
}

struct evidence *evidence_set(struct arena *a, struct evidence *object, const char *key,
			      struct evidence *value)
{
	size_t i;

	for (i = 0; i < object->nmembers; i++) {
		if (strcmp(object->members[i].key, key) == 0) {
			object->members[i].value = value;
			return value;
		}
	}
	if (object->nmembers == object->members_cap)
		object->members = arena_grow(a, object->members, &object->members_cap,
					     object->nmembers, sizeof(*object->members));
	object->members[object->nmembers].key = arena_strdup(a, key);
	object->members[object->nmembers].value = value;
	object->nmembers++;
	return value;
}

struct evidence *evidence_set_int(struct arena *a, struct evidence *object, const char *key,
				  long long v)
{
	return evidence_set(a, object, key, evidence_int(a, v));
}

struct evidence *evidence_set_int_or_null(struct arena *a, struct evidence *object,
					  const char *key, long long v)
{
	return evidence_set(a, object, key, v < 0 ? evidence_null(a) : evidence_int(a, v));
}

struct evidence *evidence_set_string(struct arena *a, struct evidence *object, const char *key,
				     const char *s)
{
	return evidence_set(a, object, key, evidence_string(a, s));
}

struct evidence *evidence_set_bool(struct arena *a, struct evidence *object, const char *key,
				   int v)
{
	return evidence_set(a, object, key, evidence_bool(a, v));
}

struct evidence *evidence_append(struct arena *a, struct evidence *list, struct evidence *value)
{
	if (list->nitems == list->items_cap)
		list->items = arena_grow(a, list->items, &list->items_cap, list->nitems,
					 sizeof(*list->items));
	list->items[list->nitems++] = value;
	return value;
}

const struct evidence *evidence_get(const struct evidence *object, const char *key)
{
	size_t i;

	if (!object || object->type != EVIDENCE_OBJECT)
		return NULL;
	for (i = 0; i < object->nmembers; i++)
		if (strcmp(object->members[i].key, key) == 0)
			return object->members[i].value;
	return NULL;
}
