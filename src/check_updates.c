/* check_updates: updates a downstream needs that its upstream does not have (R7). */
#include "check.h"

#include <string.h>

/* What the finding rests on besides the update GUIDs (CONFIRMED). */
static const char updates_certainty[] =
    "an update is needed when approved (CONFIRMED) or in tbRevision.State 4/7/8 (not yet "
    "downloaded / failed / EULA failed: LIKELY, open question Q3); a row in "
    "tbCategoryInSubscription read as \"selected for synchronization\": INFERRED";

static int needs_files(int state)
{
	return state == 4 || state == 7 || state == 8;
}

static int approved(const struct server_detail *d, const struct detail_update *u)
{
	uint32_t k;

	for (k = 0; k < u->nappr; k++) {
		int action = d->approvals[u->appr_first + k].action;

		if (action == 0 || action == 1)
			return 1;
	}
	return 0;
}

/* How the upstream's subscription covers one of the downstream's updates: an update syncs
 * when one of its products and one of its classifications are selected. */
struct coverage {
	int known;		  /* the downstream knows the update's categories */
	int lacks;		  /* a product or classification is not selected upstream */
	struct evidence *missing; /* the categories not selected upstream */
};

static struct coverage subscription_coverage(struct check_run *r, const struct model_server *down,
					     const struct model_server *up,
					     const struct server_detail *dd,
					     const struct detail_update *u)
{
	struct arena *a = r->out->arena;
	struct coverage c = {0, 0, NULL};
	int has_product = 0, product_ok = 0, has_class = 0, class_ok = 0;
	const struct model_category **cats;
	size_t k, ncats = detail_update_categories(dd, down, (size_t)(u - dd->updates), a, &cats);

	c.missing = evidence_list(a);
	for (k = 0; k < ncats; k++) {
		const struct model_category *cat = cats[k];
		const struct model_category *uc = model_category_find(up, &cat->guid);
		int product = cat->type && strcmp(cat->type, "Product") == 0;
		int klass = cat->type && strcmp(cat->type, "UpdateClassification") == 0;
		int ok = uc && uc->subscribed;

		if (!product && !klass)
			continue;
		c.known = 1;
		has_product |= product;
		has_class |= klass;
		if (product)
			product_ok |= ok;
		else
			class_ok |= ok;
		if (!ok) {
			struct evidence *o = evidence_append(a, c.missing, evidence_object(a));
			char guid[37];

			model_guid_format(&cat->guid, guid);
			evidence_set_string(a, o, "category_id", guid);
			evidence_set_string(a, o, "type", cat->type);
			evidence_set_string(a, o, "title", cat->title);
			evidence_set_bool(a, o, "known_upstream", uc != NULL);
		}
	}
	c.lacks = (has_product && !product_ok) || (has_class && !class_ok);
	return c;
}

/* Titles of categories to add upstream, for the remedy (first few, de-duplicated). */
static const char *category_titles(struct check_run *r, const struct evidence *lists)
{
	const char *out = NULL;
	size_t i, j, n = 0, more = 0;
	const char *seen[6];

	for (i = 0; lists && i < lists->nitems; i++) {
		const struct evidence *l = lists->items[i];

		for (j = 0; j < l->nitems; j++) {
			const struct evidence *t = evidence_get(l->items[j], "title");
			const char *title = t && t->type == EVIDENCE_STRING ? t->string : NULL;
			size_t k;
			int dup = 0;

			if (!title)
				title = evidence_get(l->items[j], "category_id")->string;
			for (k = 0; k < n; k++)
				dup |= strcmp(seen[k], title) == 0;
			if (dup)
				continue;
			if (n == sizeof(seen) / sizeof(seen[0])) {
				more++;
				continue;
			}
			seen[n++] = title;
			out = out ? check_fmt(r, "%s, '%s'", out, title)
				  : check_fmt(r, "'%s'", title);
		}
	}
	if (more)
		out = check_fmt(r, "%s and %zu more", out, more);
	return out ? out : "the missing products/classifications";
}

/* The code of the top-level site of a Configuration Manager server, or NULL for a standalone
 * WSUS server: where its products and classifications are set (R7 remedies). */
static const char *cm_top_site(const struct check_run *r, const struct model_server *s)
{
	int site, guard = 0;

	if (!s->entry || s->entry->role == ROLE_STANDALONE || s->entry->site < 0 || !r->m->h)
		return NULL;
	site = s->entry->site;
	while (r->m->h->sites[site].parent >= 0 && guard++ < 64)
		site = r->m->h->sites[site].parent;
	return r->m->h->sites[site].code;
}

/* Where to add `titles` to the upstream's subscription: the top-level site's software update
 * point component for Configuration Manager (WCM reverts the WSUS console), else the console. */
static const char *subscription_step(struct check_run *r, const struct model_server *us,
				     const struct model_server *ds, const char *titles)
{
	const char *top = cm_top_site(r, us);

	if (!top)
		return check_fmt(r,
				 "on %s open WSUS console > Options > Products and "
				 "Classifications, add %s, synchronize %s, then synchronize %s",
				 us->name, titles, us->name, ds->name);
	return check_fmt(r,
			 "in the Configuration Manager console of the top-level site %s open "
			 "Administration > Site Configuration > Sites > %s > Configure Site "
			 "Components > Software Update Point and add %s on the Products and "
			 "Classifications tabs of the software update point component (WCM applies "
			 "them to every SUP; a change in %s's WSUS console is reverted), then "
			 "synchronize software updates at %s and let %s and %s synchronize",
			 top, top, titles, us->name, top, us->name, ds->name);
}

/* The autonomous server whose approvals and declines a replica mirrors (its upstream, or
 * further up a chain of replicas), or NULL when none is known. */
static const struct model_server *approval_source(const struct check_run *r,
						  const struct model_server *ds)
{
	const struct model_server *s = ds;
	int guard = 0;

	while (s->upstream >= 0 && guard++ < 64) {
		s = &r->m->servers[s->upstream];
		if (s->config.replica_mode != 1)
			return s;
	}
	return NULL;
}

/* How the downstream can stop needing updates it should not have: decline them itself when
 * autonomous; a replica cannot decline, its approvals and declines come from upstream. */
static const char *decline_step(struct check_run *r, const struct model_server *ds)
{
	const struct model_server *src;

	if (ds->config.replica_mode != 1)
		return "decline them there (Updates > Decline)";
	src = approval_source(r, ds);
	return check_fmt(r,
			 "%s is a replica and cannot decline updates: it takes its approvals and "
			 "declines from %s at each synchronization, so remove their approvals or "
			 "decline them at %s, then synchronize %s",
			 ds->name, src ? src->name : "the autonomous server up its chain",
			 src ? src->name : "that server", ds->name);
}

void check_missing_upstream_updates(struct check_run *r, const struct server_detail *up,
				    const struct server_detail *down)
{
	const struct model *m = r->m;
	struct arena *a = r->out->arena;
	const struct model_server *ds = &m->servers[down->server];
	const struct model_server *us = &m->servers[up->server];
	struct evidence *missing, *transient, *catlists;
	size_t i, j = 0, nmissing = 0, nlacking = 0, ncovered = 0, nunknown = 0, ntransient = 0;
	size_t rel[1];
	struct finding *f;

	if (check_edge_upstream(r, down->server) != (int)up->server)
		return;
	if (us->planned_new) {
		/* a planned server gets its catalogue from its own upstream at its first
		 * synchronization: its updates are not known, not missing */
		check_error_at(r, up->server,
			       "'%s' could not be compared with its planned new upstream '%s', "
			       "whose updates are known only after it synchronizes",
			       ds->name, us->name);
		return;
	}
	check_evaluated_at(r, down->server);
	missing = evidence_list(a);
	transient = evidence_list(a);
	catlists = evidence_list(a);
	for (i = 0; i < down->nupdates; i++) {
		const struct detail_update *u = &down->updates[i];
		int is_approved;

		if (u->declined)
			continue;
		is_approved = approved(down, u);
		if (!is_approved && !needs_files(u->state))
			continue;
		while (j < up->nupdates && model_guid_compare(&up->updates[j].guid, &u->guid) < 0)
			j++;
		if (j < up->nupdates && model_guid_compare(&up->updates[j].guid, &u->guid) == 0) {
			/* the upstream has it but not its files yet: transient (R7, seed 004) */
			if (up->updates[j].state == 4 && us->config.host_on_mu == 0 &&
			    needs_files(u->state)) {
				if (check_list_room(r, transient->nitems))
					evidence_append(a, transient,
							check_update_evidence(r, down, i));
				else
					transient->omitted++;
				ntransient++;
			}
			continue;
		}
		nmissing++;
		{
			struct coverage c = subscription_coverage(r, ds, us, down, u);
			struct evidence *o;

			if (!c.known)
				nunknown++;
			else if (c.lacks)
				nlacking++;
			else
				ncovered++;
			if (!check_list_room(r, missing->nitems)) {
				missing->omitted++;
				continue;
			}
			o = evidence_append(a, missing, check_update_evidence(r, down, i));
			evidence_set_bool(a, o, "approved", is_approved);
			evidence_set_string(a, o, "upstream_subscription",
					    !c.known  ? "unknown (no product/classification known)"
					    : c.lacks ? "lacks its product or classification"
						      : "includes its product and classification");
			evidence_set(a, o, "categories_not_selected_upstream", c.missing);
			if (c.lacks)
				evidence_append(a, catlists, c.missing);
		}
	}
	rel[0] = up->server;
	if (nmissing) {
		const char *remedy =
		    check_fmt(r,
			      "R7 (the upstream's subscription governs; %s's own Products and "
			      "Classifications are ignored):",
			      ds->name);

		if (nlacking)
			remedy = check_fmt(
			    r,
			    "%s for the %zu update(s) whose product or classification %s's "
			    "subscription lacks: %s; or, if %s does not need them, %s.",
			    remedy, nlacking, us->name,
			    subscription_step(r, us, ds, category_titles(r, catlists)), ds->name,
			    decline_step(r, ds));
		if (ncovered + nunknown)
			remedy = check_fmt(
			    r,
			    "%s For the %zu update(s) %s's subscription covers (or that have no "
			    "known product/classification): synchronize %s first (they may be new "
			    "there) and then %s; if they stay missing (e.g. expired or removed "
			    "upstream), %s.",
			    remedy, ncovered + nunknown, us->name, us->name, ds->name,
			    decline_step(r, ds));
		f = check_add(
		    r, -1, down->server, rel, 1,
		    check_fmt(r,
			      "%zu approved or needed update(s) are missing at upstream %s "
			      "(%zu whose product or classification its subscription "
			      "lacks)",
			      nmissing, us->name, nlacking),
		    remedy);
		evidence_set_string(a, f->evidence, "upstream", us->name);
		evidence_set_int(a, f->evidence, "missing_count", (long long)nmissing);
		evidence_set_int(a, f->evidence, "upstream_subscription_lacks_count",
				 (long long)nlacking);
		evidence_set_int(a, f->evidence, "upstream_subscription_covers_count",
				 (long long)ncovered);
		evidence_set_int(a, f->evidence, "unknown_category_count", (long long)nunknown);
		evidence_set_int(a, f->evidence, "server.updates", (long long)down->nupdates);
		evidence_set_int(a, f->evidence, "upstream.updates", (long long)up->nupdates);
		evidence_set(a, f->evidence, "updates", missing);
		evidence_set_string(a, f->evidence, "certainty", updates_certainty);
	}
	if (ntransient) {
		f = check_add(
		    r, SEVERITY_INFO, down->server, rel, 1,
		    check_fmt(r,
			      "%zu update(s) whose files %s needs are not yet downloaded at "
			      "upstream %s (state 4): transient",
			      ntransient, ds->name, us->name),
		    check_fmt(r,
			      "R7: nothing to change if it clears: it does after %s finishes "
			      "downloading the files and %s synchronizes again; if it persists, "
			      "check %s's download queue and last-sync findings",
			      us->name, ds->name, us->name));
		evidence_set_string(a, f->evidence, "upstream", us->name);
		evidence_set_int(a, f->evidence, "count", (long long)ntransient);
		evidence_set_int(a, f->evidence, "upstream.HostOnMu", us->config.host_on_mu);
		evidence_set(a, f->evidence, "updates", transient);
		evidence_set_string(a, f->evidence, "certainty", updates_certainty);
	}
}
