/* check_freshness (wid): how old each server's data are, and how far apart two servers'
 * data are when a check compares them (an export can be days older than a live read). */
#define _POSIX_C_SOURCE 200809L
#include "check.h"

#include "evidence.h"

/* '2026-11-25T06:00:01Z' in the findings arena. */
static const char *iso(struct check_run *r, time_t t)
{
	struct tm tm;
	char buf[32];

	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return check_fmt(r, "%s", buf);
}

void check_stale_data(struct check_run *r)
{
	const struct model *m = r->m;
	struct arena *a = r->out->arena;
	long long max_age = (long long)r->o->max_data_age_hours * 3600;
	size_t i;

	for (i = 0; i < m->nservers; i++) {
		const struct model_server *s = &m->servers[i];
		long long age;
		struct finding *f;
		const char *at;

		if (s->planned_new || !model_server_readable(s))
			continue;
		if (s->collected_at == 0) {
			check_error(r, "'%s' has no collection time in the snapshot", s->name);
			continue;
		}
		check_evaluated(r);
		age = (long long)(r->o->now - s->collected_at);
		if (age <= max_age)
			continue;
		at = iso(r, s->collected_at);
		f = check_add(r, -1, i, NULL, 0,
			      check_fmt(r,
					"the data of '%s' were collected %lld hours before this audit "
					"(at %s), more than --max-data-age %d hours",
					s->name, age / 3600, at, r->o->max_data_age_hours),
			      NULL);
		evidence_set_string(a, f->evidence, "collected_at", at);
		evidence_set_int(a, f->evidence, "age_hours", age / 3600);
		evidence_set_int(a, f->evidence, "max_data_age_hours", r->o->max_data_age_hours);
	}
}

void check_note_data_apart(struct check_run *r, struct finding *f, size_t s, size_t other)
{
	const struct model_server *a = &r->m->servers[s], *b = &r->m->servers[other];
	struct arena *ar = r->out->arena;
	long long apart;

	if (!f || a->collected_at == 0 || b->collected_at == 0)
		return;
	apart = a->collected_at > b->collected_at ? (long long)(a->collected_at - b->collected_at)
						  : (long long)(b->collected_at - a->collected_at);
	if (apart <= CHECK_DATA_APART_SECONDS)
		return;
	/* flat dotted keys, as the other checks' evidence ("upstream.port") */
	evidence_set_int(ar, f->evidence, "data_apart.hours", apart / 3600);
	evidence_set_string(ar, f->evidence, "data_apart.server_collected_at", iso(r, a->collected_at));
	evidence_set_string(ar, f->evidence, "data_apart.related_collected_at",
			    iso(r, b->collected_at));
	evidence_set_string(ar, f->evidence, "data_apart.note",
			    check_fmt(r,
				      "the data of these servers were collected %lld hours apart: "
				      "part of what differs may be synchronization lag, not "
				      "misconfiguration; collect both again close together",
				      apart / 3600));
}
