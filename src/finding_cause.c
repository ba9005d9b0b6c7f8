/* finding_cause: which finding of an audit explains which (see finding_cause.h). */
#include "finding_cause.h"

#include <string.h>

#include "evidence.h"

static int is(const struct finding *f, const char *check)
{
	return f->check && strcmp(f->check, check) == 0;
}

static int names(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

static int related_to(const struct finding *f, const char *server)
{
	size_t i;

	for (i = 0; f->related && i < f->nrelated; i++)
		if (names(f->related[i], server))
			return 1;
	return 0;
}

/* language-mismatch's "changed since the last stored audit" finding carries added/removed */
static int is_language_change(const struct finding *f)
{
	return is(f, "language-mismatch") && f->evidence &&
	       (evidence_get(f->evidence, "added") || evidence_get(f->evidence, "removed"));
}

/* Whether `cause` explains `x`. */
static int explained(const struct finding *x, const struct finding *cause)
{
	const char *server = cause->server;

	if (x == cause || x->suppressed || !server)
		return 0;
	if (is_language_change(cause)) {
		if (is(x, "inactive-approvals"))
			return names(x->server, server) || related_to(x, server);
		if (is(x, "approval-drift"))
			return related_to(x, server);
		return 0;
	}
	/* a server's own possible inactive approvals explain its replicas' drift */
	return is(cause, "inactive-approvals") && names(cause->server, server) &&
	       is(x, "approval-drift") && related_to(x, server);
}

void finding_causes_link(struct findings *f)
{
	size_t i, j;
	int pass;

	/* language changes first: they explain the inactive approvals too */
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < f->count; i++) {
			struct finding *c = &f->items[i];
			char id[FINDING_ID_SIZE];

			if (c->suppressed || c->cause ||
			    (pass == 0 ? !is_language_change(c) : !is(c, "inactive-approvals")))
				continue;
			finding_id(c, id);
			for (j = 0; j < f->count; j++) {
				struct finding *x = &f->items[j];

				if (!x->cause && explained(x, c))
					x->cause = arena_strdup(f->arena, id);
			}
		}
}

const struct finding *finding_by_id(const struct finding *items, size_t n, const char *id)
{
	char buf[FINDING_ID_SIZE];
	size_t i;

	for (i = 0; id && i < n; i++) {
		finding_id(&items[i], buf);
		if (strcmp(buf, id) == 0)
			return &items[i];
	}
	return NULL;
}

int finding_shown_under_cause(const struct finding *items, size_t n, const struct finding *f)
{
	const struct finding *c;

	if (!f->cause || f->suppressed)
		return 0;
	c = finding_by_id(items, n, f->cause);
	return c && c != f && !c->suppressed && !c->cause;
}
