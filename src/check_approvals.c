/* check_approvals: replicas' approvals, languages along a chain, inactive approvals (R8). */
#include "check.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

static int is_approval(const struct detail_approval *x)
{
	return x->action == 0 || x->action == 1;
}

/* The update's languages (0 = neutral ignored) include none enabled on the server; 0 when the
 * update is neutral only or has no language rows (it can always download). */
static int languages_all_disabled(const struct model_server *s, const struct server_detail *d,
				  const struct detail_update *u)
{
	uint32_t k;
	int any = 0;

	for (k = 0; k < u->nlangs; k++) {
		int id = d->languages[u->lang_first + k];

		if (id == 0)
			continue;
		any = 1;
		if (model_language_enabled(s, id))
			return 0;
	}
	return any;
}

static const char *language_name(const struct model_server *s, int id, struct check_run *r)
{
	const struct model_language *l = model_language_find(s, id);

	return l && l->short_name ? l->short_name : check_fmt(r, "%d", id);
}

static struct evidence *update_languages(struct check_run *r, const struct model_server *s,
					 const struct server_detail *d,
					 const struct detail_update *u)
{
	struct arena *a = r->out->arena;
	struct evidence *l = evidence_list(a);
	uint32_t k;

	for (k = 0; k < u->nlangs; k++) {
		int id = d->languages[u->lang_first + k];

		if (id)
			evidence_append(a, l, evidence_string(a, language_name(s, id, r)));
	}
	return l;
}

/* 1 for the first install/uninstall approval of its (update, group) in d. An update approved
 * for a group on several revisions (a stale approval beside the current one, schema.md Q3)
 * is one approved update of that group, on the upstream as on its replica. */
static int counted_approval(const struct server_detail *d, size_t k)
{
	const struct detail_approval *x = &d->approvals[k];

	if (!is_approval(x))
		return 0;
	while (k-- > 0) {
		const struct detail_approval *p = &d->approvals[k];

		if (p->update != x->update || p->group != x->group)
			break;
		if (is_approval(p))
			return 0;
	}
	return 1;
}

/* The status of the (update, group) whose first counted approval is the k-th: active when
 * any of its install/uninstall approvals is active, else pending when one is, else -1. */
static int key_status(const struct server_detail *d, size_t k)
{
	const struct detail_approval *x = &d->approvals[k];
	int status = -1;

	for (; k < d->napprovals; k++) {
		const struct detail_approval *p = &d->approvals[k];

		if (p->update != x->update || p->group != x->group)
			break;
		if (!is_approval(p))
			continue;
		if (p->status == 1)
			return 1;
		if (p->status == 0)
			status = 0;
	}
	return status;
}

/* Compare approvals by (update guid, group guid) across two details. */
static int approval_key_compare(const struct server_detail *a, const struct detail_approval *x,
				const struct server_detail *b, const struct detail_approval *y)
{
	int c = model_guid_compare(&a->updates[x->update].guid, &b->updates[y->update].guid);

	return c ? c : model_guid_compare(&a->groups[x->group].guid, &b->groups[y->group].guid);
}

static struct evidence *approval_evidence(struct check_run *r, const struct server_detail *d,
					  const struct detail_approval *x)
{
	struct arena *a = r->out->arena;
	struct evidence *o = check_update_evidence(r, d, x->update);
	char guid[37];

	model_guid_format(&d->groups[x->group].guid, guid);
	evidence_set_string(a, o, "group_id", guid);
	evidence_set_string(a, o, "group_name", d->groups[x->group].name);
	evidence_set_int(a, o, "action", x->action);
	evidence_set_int_or_null(a, o, "deployment_status", x->status);
	return o;
}

/* Per-group counts on both sides, merged by group guid. */
static struct evidence *group_counts(struct check_run *r, const struct server_detail *up,
				     const struct server_detail *down)
{
	struct arena *a = r->out->arena;
	struct evidence *list = evidence_list(a);
	size_t *cu = xcalloc(up->ngroups + 1, sizeof(*cu));
	size_t *cd = xcalloc(down->ngroups + 1, sizeof(*cd));
	size_t i = 0, j = 0, k;

	for (k = 0; k < up->napprovals; k++)
		if (counted_approval(up, k))
			cu[up->approvals[k].group]++;
	for (k = 0; k < down->napprovals; k++)
		if (counted_approval(down, k))
			cd[down->approvals[k].group]++;
	while (i < up->ngroups || j < down->ngroups) {
		int c = i == up->ngroups ? 1
			: j == down->ngroups
			    ? -1
			    : model_guid_compare(&up->groups[i].guid, &down->groups[j].guid);
		const struct detail_group *g = c <= 0 ? &up->groups[i] : &down->groups[j];
		struct evidence *o;
		size_t nu = c <= 0 ? cu[i] : 0, nd = c >= 0 ? cd[j] : 0;
		char guid[37];

		if (nu || nd) {
			o = evidence_append(a, list, evidence_object(a));
			model_guid_format(&g->guid, guid);
			evidence_set_string(a, o, "group_id", guid);
			evidence_set_string(a, o, "group_name", g->name);
			evidence_set_int(a, o, "upstream", (long long)nu);
			evidence_set_int(a, o, "replica", (long long)nd);
		}
		if (c <= 0)
			i++;
		if (c >= 0)
			j++;
	}
	free(cu);
	free(cd);
	return list;
}

void check_approval_drift(struct check_run *r, const struct server_detail *up,
			  const struct server_detail *down)
{
	const struct model *m = r->m;
	struct arena *a = r->out->arena;
	const struct model_server *ds = &m->servers[down->server];
	const struct model_server *us = &m->servers[up->server];
	struct evidence *missing, *extra;
	size_t i = 0, j = 0, nmissing = 0, nextra = 0, ninactive = 0, npending = 0, nu = 0, nd = 0;
	size_t rel[1];
	struct finding *f;
	const char *msg, *remedy;
	int transient;

	if (ds->config.replica_mode == 0)
		return; /* autonomous servers have their own approvals */
	if (ds->planned_new)
		return; /* a planned server receives its approvals at its first sync */
	if (check_edge_upstream(r, down->server) != (int)up->server)
		return;
	if (ds->config.replica_mode != 1)
		return;
	check_evaluated_at(r, down->server);
	missing = evidence_list(a);
	extra = evidence_list(a);
	while (i < up->napprovals || j < down->napprovals) {
		const struct detail_approval *x = i < up->napprovals ? &up->approvals[i] : NULL;
		const struct detail_approval *y = j < down->napprovals ? &down->approvals[j] : NULL;
		int c;

		if (!x && !y)
			break; /* not reached (the loop condition); says so to the analyser */
		if (x && !counted_approval(up, i)) {
			i++;
			continue;
		}
		if (y && !counted_approval(down, j)) {
			j++;
			continue;
		}
		c = !x ? 1 : !y ? -1 : approval_key_compare(up, x, down, y);
		if (c == 0) {
			nu++;
			nd++;
			i++;
			j++;
		} else if (c < 0) {
			int pending = key_status(up, i) == 0;
			int inactive =
			    pending && languages_all_disabled(us, up, &up->updates[x->update]);

			nu++;
			nmissing++;
			ninactive += inactive;
			/* pending upstream while its files download: replicas receive only
			 * active approvals (R8), so it is not there yet */
			npending += pending && !inactive;
			if (check_list_room(r, missing->nitems)) {
				struct evidence *o =
				    evidence_append(a, missing, approval_evidence(r, up, x));

				evidence_set(a, o, "languages",
					     update_languages(r, us, up, &up->updates[x->update]));
				evidence_set_bool(a, o, "possibly_inactive_language", inactive);
			} else {
				missing->omitted++;
			}
			i++;
		} else {
			nd++;
			nextra++;
			if (check_list_room(r, extra->nitems))
				evidence_append(a, extra, approval_evidence(r, down, y));
			else
				extra->omitted++;
			j++;
		}
	}
	if (!nmissing && !nextra)
		return;
	rel[0] = up->server;
	transient = !nextra && npending == nmissing;
	msg = check_fmt(r,
			"replica has %zu approvals, its upstream %s has %zu (%zu missing here, %zu "
			"extra)%s%s",
			nd, us->name, nu, nmissing, nextra,
			ninactive ? check_fmt(r,
					      "; %zu of the missing are pending upstream with no "
					      "language enabled there: likely a language change "
					      "(possible inactive approvals)",
					      ninactive)
				  : "",
			transient ? "; all of them are still pending upstream (files downloading "
				    "there) and replicas receive only active approvals: transient"
			: npending
			    ? check_fmt(r,
					"; %zu of the missing are still pending upstream (files "
					"downloading there)",
					npending)
			    : "");
	remedy = transient
		     ? check_fmt(r,
				 "R8: nothing to change if it clears: %s receives these approvals "
				 "once %s has downloaded their files and %s synchronizes again; if "
				 "it persists, check %s's download queue and its bits-foreground "
				 "and last-sync findings.",
				 ds->name, us->name, ds->name, us->name)
		     : check_fmt(r,
				 "R8: synchronize %s from %s (Options > Synchronization Options > "
				 "Synchronize Now) and compare again.",
				 ds->name, us->name);
	if (ninactive)
		remedy =
		    check_fmt(r,
			      "%s The language settings of %s likely changed after it "
			      "synchronized: on %s run \"wsusutil listinactiveapprovals\" to list "
			      "the approvals that became inactive, then either enable the "
			      "language again (Options > Update Files and Languages) or run "
			      "\"wsusutil removeinactiveapprovals\"; replicas receive only active "
			      "approvals.",
			      remedy, us->name, us->name);
	f = check_add(r, transient ? SEVERITY_INFO : -1, down->server, rel, 1, msg, remedy);
	evidence_set_int(a, f->evidence, "upstream.approvals", (long long)nu);
	evidence_set_int(a, f->evidence, "replica.approvals", (long long)nd);
	evidence_set(a, f->evidence, "groups", group_counts(r, up, down));
	evidence_set_int(a, f->evidence, "missing_at_replica_count", (long long)nmissing);
	evidence_set_int(a, f->evidence, "extra_at_replica_count", (long long)nextra);
	evidence_set_int(a, f->evidence, "possibly_inactive_count", (long long)ninactive);
	evidence_set_int(a, f->evidence, "pending_upstream_count", (long long)npending);
	evidence_set(a, f->evidence, "missing_at_replica", missing);
	evidence_set(a, f->evidence, "extra_at_replica", extra);
	if (ninactive)
		evidence_set_string(a, f->evidence, "certainty",
				    "possibly inactive: heuristic, wsusutil's exact definition is "
				    "not public (Q6); tbRevisionLanguage 0 = language-neutral "
				    "INFERRED; DeploymentStatus 0 = pending CONFIRMED");
}

static int int_listed(const int *v, size_t n, int x)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] == x)
			return 1;
	return 0;
}

/* --store hook: languages enabled now versus at the previous stored audit. */
static void language_change(struct check_run *r, size_t i)
{
	const struct model_server *s = &r->m->servers[i];
	struct arena *a = r->out->arena;
	struct evidence *added = evidence_list(a), *removed = evidence_list(a);
	struct finding *f;
	size_t k;

	for (k = 0; k < s->nlanguages; k++)
		if (s->languages[k].enabled == 1 && s->languages[k].id &&
		    !int_listed(s->previous_languages, s->nprevious_languages, s->languages[k].id))
			evidence_append(
			    a, added, evidence_string(a, language_name(s, s->languages[k].id, r)));
	for (k = 0; k < s->nprevious_languages; k++)
		if (s->previous_languages[k] &&
		    !model_language_enabled(s, s->previous_languages[k]))
			evidence_append(
			    a, removed,
			    evidence_string(a, language_name(s, s->previous_languages[k], r)));
	if (!added->nitems && !removed->nitems)
		return;
	f = check_add(
	    r, -1, i, NULL, 0,
	    check_fmt(r,
		      "enabled languages changed since the last stored audit (%zu added, "
		      "%zu removed)",
		      added->nitems, removed->nitems),
	    check_fmt(r,
		      "R8: a language change after synchronizing makes approvals inactive "
		      "and replicas drift: on %s run \"wsusutil listinactiveapprovals\"; "
		      "make sure every downstream's languages are enabled here",
		      s->name));
	evidence_set(a, f->evidence, "added", added);
	evidence_set(a, f->evidence, "removed", removed);
}

void check_language_mismatch(struct check_run *r)
{
	const struct model *m = r->m;
	struct arena *a = r->out->arena;
	size_t i, k;

	for (i = 0; i < m->nservers; i++) {
		const struct model_server *s = &m->servers[i], *u;
		struct evidence *extra;
		struct finding *f;
		size_t rel[1];
		int up;

		if (!check_server_usable(r, i))
			continue;
		/* a replica's language flags follow its upstream (Q7b): a change is its
		 * upstream's change, reported there */
		if (s->previous_languages &&
		    !(s->config.sync_to_mu == 0 && s->config.replica_mode == 1)) {
			check_evaluated_at(r, i);
			language_change(r, i);
		}
		if (s->config.sync_to_mu != 0 || s->upstream < 0)
			continue;
		if (s->config.replica_mode < 0) {
			check_error_at(r, i, "'%s' has no ReplicaMode value", s->name);
			continue;
		}
		if (s->config.replica_mode == 1) {
			check_evaluated_at(r, i);
			continue; /* a replica's languages follow its upstream (Q7b) */
		}
		up = check_edge_upstream(r, i);
		if (up < 0)
			continue;
		check_evaluated_at(r, i);
		u = &m->servers[up];
		extra = evidence_list(a);
		for (k = 0; k < s->nlanguages; k++) {
			const struct model_language *l = &s->languages[k];
			struct evidence *o;

			if (l->enabled != 1 || l->id == 0 || model_language_enabled(u, l->id))
				continue;
			o = evidence_append(a, extra, evidence_object(a));
			evidence_set_int(a, o, "language_id", l->id);
			evidence_set_string(a, o, "short_language", l->short_name);
			evidence_set_int_or_null(a, o, "server.UssEnabled", l->uss_enabled);
		}
		if (!extra->nitems)
			continue;
		rel[0] = (size_t)up;
		{
			const char *names = NULL;

			for (k = 0; k < extra->nitems; k++) {
				const struct evidence *sn =
				    evidence_get(extra->items[k], "short_language");
				const char *n =
				    sn && sn->type == EVIDENCE_STRING
					? sn->string
					: check_fmt(r, "%lld",
						    evidence_get(extra->items[k], "language_id")
							->integer);

				names = names ? check_fmt(r, "%s, %s", names, n) : n;
			}
			f = check_add(
			    r, -1, i, rel, 1,
			    check_fmt(r,
				      "enables %s, which its upstream %s does not: those update "
				      "files can never arrive",
				      names, u->name),
			    s->entry && s->entry->role != ROLE_STANDALONE
				? check_fmt(
				      r,
				      "R8: in Configuration Manager the languages of every SUP "
				      "come from the top-level site's software update point "
				      "component (Configure Site Components > Software Update "
				      "Point > Languages), which WCM applies to %s and %s: a "
				      "language set in a SUP's WSUS console is reverted. Select "
				      "%s there if the clients need it (approvals in other "
				      "languages may become inactive: check wsusutil "
				      "listinactiveapprovals), or let WCM reapply the component's "
				      "languages on %s (check WCM.log)",
				      u->name, s->name, names, s->name)
				: check_fmt(
				      r,
				      "R8: enable %s on %s (Options > Update Files and "
				      "Languages; this changes what it downloads, and its "
				      "approvals in other languages may become inactive: check "
				      "wsusutil listinactiveapprovals) and synchronize, or "
				      "disable %s on %s",
				      names, u->name, names, s->name));
		}
		evidence_set(a, f->evidence, "languages_not_enabled_upstream", extra);
		evidence_set_int(a, f->evidence, "server.ReplicaMode", s->config.replica_mode);
	}
}

void check_inactive_approvals(struct check_run *r, const struct server_detail *d)
{
	const struct model_server *ds = &r->m->servers[d->server];
	/* whose language settings count: a replica's follow its upstream (R6/R8, Q7b), so its
	 * own tbLanguage flags are not what decides which files it can get */
	const struct model_server *s = ds;
	struct arena *a = r->out->arena;
	struct evidence *list;
	size_t k, n = 0, nupdates = 0, rel[1], nrel = 0;
	long last = -1;
	struct finding *f;

	if (!check_server_usable(r, d->server))
		return;
	if (ds->config.sync_to_mu == 0 && ds->config.replica_mode == 1 && ds->upstream >= 0 &&
	    (size_t)ds->upstream != d->server) {
		int up = check_edge_upstream(r, d->server);

		if (up < 0)
			return;
		s = &r->m->servers[up];
		rel[nrel++] = (size_t)up;
	}
	check_evaluated_at(r, d->server);
	list = evidence_list(a);
	for (k = 0; k < d->napprovals; k++) {
		const struct detail_approval *x = &d->approvals[k];
		const struct detail_update *u = &d->updates[x->update];

		if (!is_approval(x) || x->status != 0 || u->declined ||
		    !languages_all_disabled(s, d, u))
			continue;
		n++;
		if ((long)x->update != last) {
			nupdates++;
			last = (long)x->update;
		}
		if (check_list_room(r, list->nitems)) {
			struct evidence *o = evidence_append(a, list, approval_evidence(r, d, x));

			evidence_set(a, o, "languages", update_languages(r, s, d, u));
		} else {
			list->omitted++;
		}
	}
	if (!n)
		return;
	f = check_add(
	    r, -1, d->server, rel, nrel,
	    check_fmt(r,
		      "possible inactive approvals (language change): %zu pending "
		      "approval(s) of %zu update(s) whose languages are all disabled %s",
		      n, nupdates,
		      s == ds ? "here"
			      : check_fmt(r, "at its upstream %s (a replica's languages follow it)",
					  s->name)),
	    check_fmt(r,
		      "R8 (heuristic, open question Q6): on %s run \"%%ProgramFiles%%\\"
		      "Update Services\\Tools\\wsusutil.exe listinactiveapprovals\"; if it "
		      "lists them, enable the language again (Options > Update Files and "
		      "Languages) or run \"wsusutil removeinactiveapprovals\"; replicas "
		      "below %s receive only active approvals",
		      s->name, s->name));
	evidence_set_int(a, f->evidence, "pending_approvals", (long long)n);
	evidence_set_int(a, f->evidence, "updates", (long long)nupdates);
	{
		struct evidence *en = evidence_list(a);

		for (k = 0; k < s->nlanguages; k++)
			if (s->languages[k].enabled == 1)
				evidence_append(
				    a, en,
				    evidence_string(a, language_name(s, s->languages[k].id, r)));
		evidence_set(a, f->evidence,
			     s == ds ? "server.enabled_languages" : "upstream.enabled_languages",
			     en);
	}
	evidence_set(a, f->evidence, "approvals", list);
	evidence_set_string(a, f->evidence, "certainty",
			    "heuristic: wsusutil's exact definition is not public (Q6); "
			    "DeploymentStatus 0 = pending CONFIRMED");
}
