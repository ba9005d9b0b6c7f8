/* discover_compare: what changed between the site database and the user's hierarchy file. */
#include "discover.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xalloc.h"

static const char *type_name(enum site_type t)
{
	return t == SITE_CAS ? "cas" : t == SITE_PRIMARY ? "primary" : "secondary";
}

static int find_file_site(const struct hierarchy *h, const char *code)
{
	size_t i;

	for (i = 0; i < h->nsites; i++)
		if (strcasecmp(h->sites[i].code, code) == 0)
			return (int)i;
	return -1;
}

static int find_draft_site(const struct discover_draft *d, const char *code)
{
	size_t i;

	for (i = 0; i < d->nsites; i++)
		if (strcasecmp(d->sites[i].code, code) == 0)
			return (int)i;
	return -1;
}

static const char *yes_no(int v)
{
	return v ? "true" : "false";
}

size_t discover_compare(FILE *out, const struct discover_draft *d, const struct hierarchy *h)
{
	int *matched = xcalloc(h->nservers + 1, sizeof(*matched));
	size_t i, n = 0;

	for (i = 0; i < d->nsites; i++) {
		const struct discover_site *s = &d->sites[i];
		int k = find_file_site(h, s->code);
		const char *parent = s->parent >= 0 ? d->sites[s->parent].code : NULL;

		if (k < 0) {
			fprintf(out, "added site '%s' (%s%s%s)\n", s->code, type_name(s->type),
				parent ? " under " : ", top-level", parent ? parent : "");
			n++;
			continue;
		}
		if (h->sites[k].type != s->type) {
			fprintf(out,
				"changed site '%s': type %s in the file, %s in the site database\n",
				s->code, type_name(h->sites[k].type), type_name(s->type));
			n++;
		}
		{
			int fp = h->sites[k].parent;
			const char *file_parent = fp >= 0 ? h->sites[fp].code : NULL;

			if ((file_parent == NULL) != (parent == NULL) ||
			    (parent && strcasecmp(parent, file_parent) != 0)) {
				fprintf(out,
					"moved site '%s': under %s in the file, under %s in the "
					"site database\n",
					s->code, file_parent ? file_parent : "nothing (top-level)",
					parent ? parent : "nothing (top-level)");
				n++;
			}
		}
	}
	for (i = 0; i < h->nsites; i++)
		if (find_draft_site(d, h->sites[i].code) < 0) {
			fprintf(out, "removed site '%s' (%s:%d)\n", h->sites[i].code, h->path,
				h->sites[i].line);
			n++;
		}
	for (i = 0; i < d->nservers; i++) {
		const struct discover_server *s = &d->servers[i];
		const char *site = d->sites[s->site].code;
		int k = hierarchy_find_server(h, s->name);
		const struct server *f;

		if (k < 0) {
			fprintf(out,
				"added server '%s' in site %s (port %d, ssl %s, internet %s)\n",
				s->name, site, s->port, yes_no(s->ssl), yes_no(s->internet));
			n++;
			continue;
		}
		matched[k] = 1;
		f = &h->servers[k];
		if (f->site < 0) {
			fprintf(out,
				"moved server '%s': standalone in the file, a SUP of site %s in "
				"the site database\n",
				s->name, site);
			n++;
		} else if (strcasecmp(h->sites[f->site].code, site) != 0) {
			fprintf(out,
				"moved server '%s': site %s in the file, site %s in the site "
				"database\n",
				s->name, h->sites[f->site].code, site);
			n++;
		}
		if (f->port != s->port) {
			fprintf(
			    out,
			    "changed server '%s': port %d in the file, %d in the site database\n",
			    s->name, f->port, s->port);
			n++;
		}
		if (!f->ssl != !s->ssl) {
			fprintf(
			    out,
			    "changed server '%s': ssl %s in the file, %s in the site database\n",
			    s->name, yes_no(f->ssl), yes_no(s->ssl));
			n++;
		}
		if (!f->internet != !s->internet) {
			fprintf(out,
				"changed server '%s': internet %s in the file, %s in the site "
				"database\n",
				s->name, yes_no(f->internet), yes_no(s->internet));
			n++;
		}
	}
	for (i = 0; i < h->nservers; i++) {
		const struct server *f = &h->servers[i];

		/* standalone WSUS servers are outside Configuration Manager */
		if (matched[i] || f->site < 0)
			continue;
		fprintf(out, "removed server '%s' of site %s (%s:%d)\n", f->name,
			h->sites[f->site].code, h->path, f->line);
		n++;
	}
	free(matched);
	return n;
}
