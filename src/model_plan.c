/* model_plan: pre-change validation; the model as a planned hierarchy would make it, and the
 * comparison of its findings with today's. */
#include "model.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "log.h"
#include "xalloc.h"

/* LCIDs of the common WSUS languages, for planned languages no snapshot row names. */
static const struct {
	const char *name;
	int id;
} known_lcids[] = {
    {"ar", 1025}, {"bg", 1026}, {"cs", 1029}, {"da", 1030},    {"de", 1031},	{"el", 1032},
    {"en", 1033}, {"es", 3082}, {"et", 1061}, {"fi", 1035},    {"fr", 1036},	{"he", 1037},
    {"hr", 1050}, {"hu", 1038}, {"it", 1040}, {"ja", 1041},    {"ko", 1042},	{"lt", 1063},
    {"lv", 1062}, {"nl", 1043}, {"no", 1044}, {"pl", 1045},    {"pt", 2070},	{"pt-br", 1046},
    {"ro", 1048}, {"ru", 1049}, {"sk", 1051}, {"sl", 1060},    {"sr", 2074},	{"sv", 1053},
    {"th", 1054}, {"tr", 1055}, {"uk", 1058}, {"zh-cn", 2052}, {"zh-hk", 3076}, {"zh-tw", 1028},
};

/* The LCID of a short language name: from any server's language table, else the list above;
 * -1 when unknown. */
static int language_id(const struct model *cur, const char *name)
{
	size_t i, j;

	for (i = 0; i < cur->nservers; i++)
		for (j = 0; j < cur->servers[i].nlanguages; j++)
			if (cur->servers[i].languages[j].short_name &&
			    strcasecmp(cur->servers[i].languages[j].short_name, name) == 0)
				return cur->servers[i].languages[j].id;
	for (i = 0; i < sizeof(known_lcids) / sizeof(known_lcids[0]); i++)
		if (strcasecmp(known_lcids[i].name, name) == 0)
			return known_lcids[i].id;
	return -1;
}

static int language_compare(const void *pa, const void *pb)
{
	const struct model_language *a = pa, *b = pb;

	return (a->id > b->id) - (a->id < b->id);
}

/* The server's languages with exactly the planned ones enabled. */
static void apply_languages(struct model *pm, const struct model *cur, struct model_server *s,
			    const struct planned_settings *p)
{
	size_t n = s->nlanguages, i, j;
	struct model_language *v = arena_alloc(&pm->arena, (n + p->nlanguages + 1) * sizeof(*v));

	if (n)
		memcpy(v, s->languages, n * sizeof(*v));
	for (i = 0; i < n; i++)
		v[i].enabled = 0;
	for (j = 0; j < p->nlanguages; j++) {
		int id = language_id(cur, p->languages[j]);
		int found = 0;

		if (id < 0) {
			log_warning("plan: language '%s' of '%s' is not known; ignored",
				    p->languages[j], s->name);
			continue;
		}
		for (i = 0; i < n; i++) {
			if (v[i].id == id) {
				v[i].enabled = 1;
				found = 1;
			}
		}
		if (!found) {
			v[n].id = id;
			v[n].short_name = arena_strdup(&pm->arena, p->languages[j]);
			v[n].enabled = 1;
			v[n].uss_enabled = -1;
			n++;
		}
	}
	qsort(v, n, sizeof(*v), language_compare);
	s->languages = v;
	s->nlanguages = n;
}

static void apply_planned(struct model *pm, const struct model *cur, struct model_server *s,
			  const struct planned_settings *p)
{
	struct model_config *c = &s->config;

	if (!p->present)
		return;
	if (p->sync_to_mu >= 0)
		c->sync_to_mu = p->sync_to_mu;
	if (p->upstream) {
		c->upstream_name = arena_strdup(&pm->arena, p->upstream);
		if (p->sync_to_mu < 0)
			c->sync_to_mu = 0;
	}
	if (p->upstream_port >= 0)
		c->upstream_port = p->upstream_port;
	if (p->upstream_ssl >= 0)
		c->upstream_ssl = p->upstream_ssl;
	if (p->replica >= 0)
		c->replica_mode = p->replica;
	if (p->host_on_mu >= 0)
		c->host_on_mu = p->host_on_mu;
	if (p->languages)
		apply_languages(pm, cur, s, p);
}

/* A new server's settings follow its role (R1-R4); storage and languages come later. */
static void new_server(struct model *pm, struct model_server *s)
{
	const struct server *e = s->entry;
	struct model_config *c = &s->config;

	memset(c, 0, sizeof(*c));
	c->present = 1;
	c->proxy_port = -1;
	c->proxy_anonymous = 1;
	c->proxy_password_set = 0;
	c->all_languages = -1;
	c->uss_host_on_mu = -1;
	c->lazy_sync = c->express_files = -1;
	c->host_on_mu = -1;
	c->replica_mode = e->expected_replica >= 0 ? e->expected_replica : 0;
	if (e->expected_upstream >= 0) {
		const struct server *u = &pm->h->servers[e->expected_upstream];

		c->sync_to_mu = 0;
		c->upstream_name = u->name;
		c->upstream_port = u->port;
		c->upstream_ssl = u->ssl;
	} else if (e->expected_upstream == EXPECT_EXTERNAL) {
		c->sync_to_mu = 0;
		c->upstream_name = e->external_upstream;
		c->upstream_port = e->external_upstream_port;
		c->upstream_ssl = e->external_upstream_ssl;
	} else {
		c->sync_to_mu = 1;
		c->upstream_port = -1;
		c->upstream_ssl = -1;
	}
	s->status = MODEL_SERVER_OK;
	s->planned_new = 1;
	s->key = 0;
	s->error = NULL;
	s->agg.updates = s->agg.declined = s->agg.approvals = s->agg.approved_updates = 0;
	s->agg.approved_state4 = s->agg.approved_state7 = s->agg.approved_state8 = 0;
	s->agg.pending_approvals = s->agg.queue_files = s->agg.queue_bytes = 0;
	s->agg.queue_downloaded_bytes = 0;
}

/* The code of a server's site, or "" for a standalone server. */
static const char *site_code(const struct hierarchy *h, const struct server *e)
{
	return e && e->site >= 0 ? h->sites[e->site].code : "";
}

/* The name of the server a role requires as upstream, or "" when none in the hierarchy. */
static const char *required_upstream(const struct hierarchy *h, const struct server *e)
{
	return e && e->expected_upstream >= 0 ? h->servers[e->expected_upstream].name : "";
}

/* 1 when the plan puts an existing server in another site or under another upstream. */
static int moved(const struct model *current, const struct model_server *was,
		 const struct hierarchy *plan, const struct server *e)
{
	const struct hierarchy *h = current->h;

	if (!was->entry || !h)
		return 0;
	return strcasecmp(site_code(h, was->entry), site_code(plan, e)) != 0 ||
	       strcasecmp(required_upstream(h, was->entry), required_upstream(plan, e)) != 0;
}

int model_apply_plan(const struct model *current, struct hierarchy *plan, struct model **out)
{
	struct model *pm = xcalloc(1, sizeof(*pm));
	size_t i, pass;

	*out = NULL;
	arena_init(&pm->arena);
	pm->h = plan;
	pm->db = current->db;
	pm->run_id = current->run_id;
	pm->collected_at = current->collected_at;
	pm->hierarchy_name = plan->name;
	pm->is_plan = 1;
	pm->nservers = plan->nservers;
	pm->servers =
	    arena_alloc(&pm->arena, (plan->nservers ? plan->nservers : 1) * sizeof(*pm->servers));
	for (i = 0; i < plan->nservers; i++) {
		struct model_server *s = &pm->servers[i];
		const struct server *e = &plan->servers[i];
		int k = e->is_new ? -1 : model_find_server(current, e->name);

		if (k >= 0) {
			*s = current->servers[k];
			s->planned_moved = moved(current, &current->servers[k], plan, e);
			/* downstream rows get indexes of this model: copy, never share */
			if (s->ndownstreams)
				s->downstreams =
				    arena_memdup(&pm->arena, s->downstreams,
						 s->ndownstreams * sizeof(*s->downstreams));
		} else {
			memset(s, 0, sizeof(*s));
			s->status = MODEL_SERVER_MISSING;
			s->error = "the server is not in the snapshot's collection run";
			s->db = current->db;
		}
		s->name = e->name;
		s->entry = e;
		if (e->is_new)
			new_server(pm, s);
	}
	/* new servers store files and enable languages like their upstream, which may itself be
	 * new: settle in at most nservers passes */
	for (pass = 0; pass < pm->nservers; pass++) {
		int changed = 0;

		for (i = 0; i < pm->nservers; i++) {
			struct model_server *s = &pm->servers[i];
			const struct model_server *u;
			int up = s->entry->expected_upstream;

			if (!s->planned_new || up < 0 || s->config.host_on_mu >= 0)
				continue;
			u = &pm->servers[up];
			if (u->planned_new && u->config.host_on_mu < 0 &&
			    u->entry->expected_upstream >= 0)
				continue;
			s->config.host_on_mu = u->config.host_on_mu >= 0 ? u->config.host_on_mu : 0;
			s->languages = u->languages;
			s->nlanguages = u->nlanguages;
			changed = 1;
		}
		if (!changed)
			break;
	}
	for (i = 0; i < pm->nservers; i++) {
		struct model_server *s = &pm->servers[i];

		if (s->planned_new && s->config.host_on_mu < 0)
			s->config.host_on_mu = 0;
		if (model_server_readable(s))
			apply_planned(pm, current, s, &s->entry->planned);
	}
	model_resolve_links(pm);
	*out = pm;
	return 0;
}

/* Deep copy of an evidence tree into another arena. */
static struct evidence *evidence_copy(struct arena *a, const struct evidence *e)
{
	struct evidence *c;
	size_t i;

	if (!e)
		return evidence_null(a);
	switch (e->type) {
	case EVIDENCE_NULL:
		return evidence_null(a);
	case EVIDENCE_BOOL:
		return evidence_bool(a, (int)e->integer);
	case EVIDENCE_INT:
		return evidence_int(a, e->integer);
	case EVIDENCE_STRING:
		return evidence_string(a, e->string);
	case EVIDENCE_LIST:
		c = evidence_list(a);
		for (i = 0; i < e->nitems; i++)
			evidence_append(a, c, evidence_copy(a, e->items[i]));
		c->omitted = e->omitted;
		return c;
	case EVIDENCE_OBJECT:
		break;
	}
	c = evidence_object(a);
	for (i = 0; i < e->nmembers; i++)
		evidence_set(a, c, e->members[i].key, evidence_copy(a, e->members[i].value));
	return c;
}

static int str_eq(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Same check, same server, same set of related servers. */
static int same_key(const struct finding *a, const struct finding *b)
{
	size_t i, j;

	if (strcmp(a->check, b->check) != 0 || !str_eq(a->server, b->server) ||
	    a->nrelated != b->nrelated)
		return 0;
	for (i = 0; i < a->nrelated; i++) {
		int found = 0;

		for (j = 0; j < b->nrelated && !found; j++)
			found = str_eq(a->related[i], b->related[j]);
		if (!found)
			return 0;
	}
	return 1;
}

void plan_compare(const struct findings *current, struct findings *planned)
{
	unsigned char *used = xcalloc(current->count ? current->count : 1, 1);
	size_t nplanned = planned->count, i, j;

	for (i = 0; i < nplanned; i++) {
		struct finding *p = &planned->items[i];
		long match = -1;

		/* prefer a finding of the same severity: one edge may carry an error and an info */
		for (j = 0; j < current->count && match < 0; j++)
			if (!used[j] && same_key(p, &current->items[j]) &&
			    p->severity == current->items[j].severity)
				match = (long)j;
		for (j = 0; j < current->count && match < 0; j++)
			if (!used[j] && same_key(p, &current->items[j]))
				match = (long)j;
		if (match >= 0)
			used[match] = 1;
		p->change = match >= 0 ? CHANGE_UNCHANGED : CHANGE_NEW;
	}
	for (j = 0; j < current->count; j++) {
		const struct finding *c = &current->items[j];
		struct finding *r;

		if (used[j])
			continue;
		r = findings_add(planned, c->check, c->rule, c->severity, c->server,
				 (const char *const *)c->related, c->nrelated, c->message,
				 c->remedy);
		r->evidence = evidence_copy(planned->arena, c->evidence);
		r->change = CHANGE_RESOLVED;
	}
	free(used);
}
