/* check_freshness (wid): how old each server's data are, and how far apart two servers'
 * data are when a check compares them (an export can be days older than a live read). */
#include "check.h"

#include "evidence.h"

void check_stale_data(struct check_run *r)
{
	const struct model *m = r->m;
	struct arena *a = r->out->arena;
	long long max_age = (long long)r->o->max_data_age_hours * 3600;
	size_t i;

	for (i = 0; i < m->nservers; i++) {
		const struct model_server *s = &m->servers[i];
		time_t at;
		long long age;
		struct finding *f;

		if (s->planned_new || !model_server_readable(s))
			continue;
		at = s->collected_at ? model_parse_time(s->collected_at) : 0;
		if (at == 0) {
			check_error(r, "'%s' has no collection time in the snapshot", s->name);
			continue;
		}
		check_evaluated(r);
		age = (long long)(r->o->now - at);
		if (age <= max_age)
			continue;
		f = check_add(r, -1, i, NULL, 0,
			      check_fmt(r,
					"the data of '%s' were collected %lld hours ago (at %s), more "
					"than --max-data-age %d hours before this audit",
					s->name, age / 3600, s->collected_at,
					r->o->max_data_age_hours),
			      NULL);
		evidence_set_string(a, f->evidence, "collected_at", s->collected_at);
		evidence_set_int(a, f->evidence, "age_hours", age / 3600);
		evidence_set_int(a, f->evidence, "max_data_age_hours", r->o->max_data_age_hours);
	}
}

void check_note_data_apart(struct check_run *r, struct finding *f, size_t s, size_t other)
{
	const struct model_server *a = &r->m->servers[s], *b = &r->m->servers[other];
	struct arena *ar = r->out->arena;
	time_t ta, tb;
	long long apart;

	if (!f || !a->collected_at || !b->collected_at)
		return;
	ta = model_parse_time(a->collected_at);
	tb = model_parse_time(b->collected_at);
	if (ta == 0 || tb == 0)
		return;
	apart = ta > tb ? (long long)(ta - tb) : (long long)(tb - ta);
	if (apart <= CHECK_DATA_APART_SECONDS)
		return;
	/* flat dotted keys, as the other checks' evidence ("upstream.port") */
	evidence_set_int(ar, f->evidence, "data_apart.hours", apart / 3600);
	evidence_set_string(ar, f->evidence, "data_apart.server_collected_at", a->collected_at);
	evidence_set_string(ar, f->evidence, "data_apart.related_collected_at", b->collected_at);
	evidence_set_string(ar, f->evidence, "data_apart.note",
			    check_fmt(r,
				      "the data of these servers were collected %lld hours apart: "
				      "part of what differs may be synchronization lag, not "
				      "misconfiguration; collect both again close together",
				      apart / 3600));
}
