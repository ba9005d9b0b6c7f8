/* evidence: the JSON-like values a finding carries (what was read, as it was read). */
#ifndef SUSAUDIT_EVIDENCE_H
#define SUSAUDIT_EVIDENCE_H

#include <stddef.h>

#include "arena.h"

enum evidence_type {
	EVIDENCE_NULL,
	EVIDENCE_BOOL,
	EVIDENCE_INT,
	EVIDENCE_STRING,
	EVIDENCE_LIST,
	EVIDENCE_OBJECT
};

struct evidence_member;

/* One value; objects keep their members in insertion order (reports print them so). */
struct evidence {
	enum evidence_type type;
	long long integer;		/* BOOL (0/1) and INT */
	const char *string;		/* STRING; arena copy, may hold any bytes the database had */
	struct evidence **items;	/* LIST */
	size_t nitems, items_cap;
	struct evidence_member *members;	/* OBJECT */
	size_t nmembers, members_cap;
	size_t omitted;			/* LIST: items known but not kept (text reports say so) */
};

struct evidence_member {
	const char *key;
	struct evidence *value;
};

/* Constructors; everything lives in the arena (strings are copied). */
struct evidence *evidence_object(struct arena *a);
struct evidence *evidence_list(struct arena *a);
struct evidence *evidence_string(struct arena *a, const char *s);	/* NULL gives NULL */
struct evidence *evidence_int(struct arena *a, long long v);
struct evidence *evidence_bool(struct arena *a, int v);
struct evidence *evidence_null(struct arena *a);

/* Adds or appends; return the value added so callers can fill nested values. */
struct evidence *evidence_set(struct arena *a, struct evidence *object, const char *key,
			      struct evidence *value);
struct evidence *evidence_set_int(struct arena *a, struct evidence *object, const char *key,
				  long long v);
/* Sets an int, or null when v is negative (our "unknown" convention for bits and ports). */
struct evidence *evidence_set_int_or_null(struct arena *a, struct evidence *object,
					  const char *key, long long v);
struct evidence *evidence_set_string(struct arena *a, struct evidence *object, const char *key,
				     const char *s);
struct evidence *evidence_set_bool(struct arena *a, struct evidence *object, const char *key,
				   int v);
struct evidence *evidence_append(struct arena *a, struct evidence *list, struct evidence *value);

/* Member of an object by key, or NULL. */
const struct evidence *evidence_get(const struct evidence *object, const char *key);

#endif
