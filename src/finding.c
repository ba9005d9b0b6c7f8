/* finding: the list of findings and the names of severities, statuses and changes. */
#include "finding.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fnv.h"
#include "xalloc.h"

void findings_init(struct findings *f, struct arena *a)
{
	f->arena = a;
	f->items = NULL;
	f->count = 0;
	f->cap = 0;
}

struct finding *findings_add(struct findings *f, const char *check, const char *rule,
			     enum severity severity, const char *server, const char *const *related,
			     size_t nrelated, const char *message, const char *remedy)
{
	struct finding *x;
	size_t i;

	f->items = xgrow(f->items, &f->cap, f->count + 1, sizeof(*f->items));
	x = &f->items[f->count++];
	memset(x, 0, sizeof(*x));
	x->check = arena_strdup(f->arena, check);
	x->rule = arena_strdup(f->arena, rule ? rule : "-");
	x->severity = severity;
	x->server = arena_strdup(f->arena, server);
	if (nrelated) {
		x->related = arena_alloc(f->arena, nrelated * sizeof(*x->related));
		for (i = 0; i < nrelated; i++)
			x->related[i] = arena_strdup(f->arena, related[i]);
		x->nrelated = nrelated;
	}
	x->message = arena_strdup(f->arena, message ? message : "");
	x->remedy = arena_strdup(f->arena, remedy ? remedy : "");
	x->evidence = evidence_object(f->arena);
	return x;
}

static int strcmp_null(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int finding_compare(const void *pa, const void *pb)
{
	const struct finding *a = pa, *b = pb;
	int c;

	if (a->severity != b->severity)
		return a->severity > b->severity ? -1 : 1;
	if ((c = strcmp_null(a->server, b->server)) != 0)
		return c;
	if ((c = strcmp(a->check, b->check)) != 0)
		return c;
	return strcmp(a->message, b->message);
}

void findings_sort(struct findings *f)
{
	if (f->count > 1)
		qsort(f->items, f->count, sizeof(*f->items), finding_compare);
}

void findings_release(struct findings *f)
{
	free(f->items);
	f->items = NULL;
	f->count = f->cap = 0;
}

static const char *const severity_names[] = {"info", "warning", "error"};

void finding_id(const struct finding *f, char out[FINDING_ID_SIZE])
{
	uint64_t h = FNV1A_INIT;
	size_t i;

	h = fnv1a_str(h, f->check);
	h = fnv1a_str(h, "|");
	h = fnv1a_str(h, f->server);
	h = fnv1a_str(h, "|");
	for (i = 0; f->related && i < f->nrelated; i++) {
		if (i)
			h = fnv1a_str(h, " ");
		h = fnv1a_str(h, f->related[i]);
	}
	snprintf(out, FINDING_ID_SIZE, "%012llx", (unsigned long long)(h >> 16));
}

const char *severity_name(enum severity s) { return severity_names[s]; }

int severity_parse(const char *name, enum severity *out)
{
	size_t i;

	for (i = 0; i < sizeof(severity_names) / sizeof(severity_names[0]); i++) {
		if (strcmp(name, severity_names[i]) == 0) {
			*out = (enum severity)i;
			return 0;
		}
	}
	return -1;
}

const char *check_status_name(enum check_status s)
{
	static const char *const names[] = {"pass", "fail", "error", "skipped"};

	return names[s];
}

const char *finding_change_name(enum finding_change c)
{
	static const char *const names[] = {NULL, "new", "persisting", "unchanged", "resolved"};

	return names[c];
}
