/* model: GUIDs, name matching, versions, lookups and the report view of the model. */
#include "model.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xalloc.h"

/* Hex digit value plus one (0: not a hex digit); a table because the model parses millions of
 * GUIDs per audit. */
static const unsigned char hex_plus1[256] = {
    ['0'] = 1,	['1'] = 2,  ['2'] = 3,	['3'] = 4,  ['4'] = 5,	['5'] = 6,  ['6'] = 7,  ['7'] = 8,
    ['8'] = 9,	['9'] = 10, ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
    ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
};

/* Offsets of the 16 byte pairs in 'XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX'. */
static const unsigned char guid_pair_at[16] = {0,  2,  4,  6,  9,  11, 14, 16,
					       19, 21, 24, 26, 28, 30, 32, 34};

int model_guid_parse(const char *text, struct model_guid *out)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t i, len;
	unsigned bad = 0;

	if (!text)
		return -1;
	len = strlen(text);
	if (len == 38 && text[0] == '{' && text[37] == '}') {
		p++;
		len = 36;
	}
	if (len != 36 || p[8] != '-' || p[13] != '-' || p[18] != '-' || p[23] != '-')
		return -1;
	for (i = 0; i < 16; i++) {
		unsigned hi = hex_plus1[p[guid_pair_at[i]]], lo = hex_plus1[p[guid_pair_at[i] + 1]];

		bad |= (hi == 0) | (lo == 0);
		out->b[i] = (unsigned char)((hi - 1) << 4 | (lo - 1));
	}
	return bad ? -1 : 0;
}

void model_guid_format(const struct model_guid *g, char buf[37])
{
	static const char digits[] = "0123456789ABCDEF";
	size_t i, o = 0;

	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			buf[o++] = '-';
		buf[o++] = digits[g->b[i] >> 4];
		buf[o++] = digits[g->b[i] & 15];
	}
	buf[o] = '\0';
}

const char *model_name_match_name(enum model_name_match m)
{
	switch (m) {
	case MODEL_MATCH_EXACT:
		return "name";
	case MODEL_MATCH_ALIAS:
		return "alias";
	case MODEL_MATCH_NETBIOS:
		return "NetBIOS name";
	case MODEL_MATCH_IP:
		return "IP address";
	case MODEL_MATCH_NONE:
		break;
	}
	return NULL;
}

const char *model_role_name(enum server_role role)
{
	switch (role) {
	case ROLE_TOP:
		return "top";
	case ROLE_SITE_FIRST:
		return "site-first";
	case ROLE_SITE_OTHER:
		return "site-other";
	case ROLE_INTERNET:
		return "internet";
	case ROLE_SECONDARY:
		return "secondary";
	case ROLE_STANDALONE:
		break;
	}
	return "standalone";
}

int model_find_server(const struct model *m, const char *name)
{
	size_t i;

	if (!name)
		return -1;
	for (i = 0; i < m->nservers; i++)
		if (strcasecmp(m->servers[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* An IPv4 literal (digits and dots) or an IPv6 one (hex digits, colons, dots, with a colon). */
static int looks_like_ip(const char *s)
{
	int dot = 0, colon = 0, hexletter = 0;

	if (!*s)
		return 0;
	for (; *s; s++) {
		if (*s == '.')
			dot = 1;
		else if (*s == ':')
			colon = 1;
		else if (isdigit((unsigned char)*s))
			continue;
		else if (isxdigit((unsigned char)*s))
			hexletter = 1;
		else
			return 0;
	}
	return colon || (dot && !hexletter);
}

/* Length of the name without one trailing dot (a fully qualified "host.dom." is the same). */
static size_t name_len(const char *s)
{
	size_t n = strlen(s);

	return n && s[n - 1] == '.' ? n - 1 : n;
}

static int name_equal(const char *a, const char *b)
{
	size_t na = name_len(a), nb = name_len(b);

	return na == nb && strncasecmp(a, b, na) == 0;
}

/* The first label of an FQDN equals a dotless name (NetBIOS convention). */
int model_name_is_netbios_of(const char *fqdn, const char *label)
{
	const char *dot = strchr(fqdn, '.');
	size_t n = dot ? (size_t)(dot - fqdn) : strlen(fqdn);

	if (!dot || strchr(label, '.') || looks_like_ip(fqdn))
		return 0;
	return strlen(label) == n && strncasecmp(fqdn, label, n) == 0;
}

int model_match_name(const struct model *m, const char *name, enum model_name_match *how)
{
	size_t i, j;

	*how = MODEL_MATCH_NONE;
	if (!name || !*name)
		return -1;
	for (i = 0; i < m->nservers; i++) {
		if (name_equal(m->servers[i].name, name)) {
			*how = MODEL_MATCH_EXACT;
			return (int)i;
		}
	}
	for (i = 0; i < m->nservers; i++) {
		const struct server *e = m->servers[i].entry;

		for (j = 0; e && j < e->naliases; j++) {
			if (name_equal(e->aliases[j], name)) {
				*how = looks_like_ip(e->aliases[j]) ? MODEL_MATCH_IP
								    : MODEL_MATCH_ALIAS;
				return (int)i;
			}
		}
	}
	for (i = 0; i < m->nservers; i++) {
		if (model_name_is_netbios_of(m->servers[i].name, name)) {
			*how = MODEL_MATCH_NETBIOS;
			return (int)i;
		}
	}
	return -1;
}

int model_server_readable(const struct model_server *s)
{
	return s->status == MODEL_SERVER_OK || s->planned_new;
}

const struct model_language *model_language_find(const struct model_server *s, int id)
{
	size_t lo = 0, hi = s->nlanguages;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->languages[mid].id == id)
			return &s->languages[mid];
		if (s->languages[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int model_language_enabled(const struct model_server *s, int id)
{
	const struct model_language *l = model_language_find(s, id);

	return l && l->enabled == 1;
}

const struct model_category *model_category_find(const struct model_server *s,
						 const struct model_guid *g)
{
	size_t lo = 0, hi = s->ncategories;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = model_guid_compare(&s->categories[mid].guid, g);

		if (c == 0)
			return &s->categories[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const char *model_server_invalid(const struct model_server *s, const char *table,
				 const char *column)
{
	size_t i;

	for (i = 0; i < s->ninvalid; i++)
		if (strcasecmp(s->invalid[i].table, table) == 0 &&
		    (!column || s->invalid[i].whole_table ||
		     strcasecmp(s->invalid[i].column, column) == 0))
			return s->invalid[i].message;
	return NULL;
}

int model_server_lacks(const struct model_server *s, const char *table, const char *column)
{
	size_t i;

	for (i = 0; i < s->nmissing; i++) {
		if (strcasecmp(s->missing[i].table, table) != 0)
			continue;
		if (strcmp(s->missing[i].column, "*") == 0 || !column ||
		    strcasecmp(s->missing[i].column, column) == 0)
			return 1;
	}
	return 0;
}

int model_version_compare(const char *a, const char *b)
{
	while (*a || *b) {
		unsigned long long x = 0, y = 0;

		while (*a && !isdigit((unsigned char)*a))
			a++;
		while (*b && !isdigit((unsigned char)*b))
			b++;
		while (isdigit((unsigned char)*a))
			x = x * 10 + (unsigned)(*a++ - '0');
		while (isdigit((unsigned char)*b))
			y = y * 10 + (unsigned)(*b++ - '0');
		if (x != y)
			return x < y ? -1 : 1;
	}
	return 0;
}

time_t model_parse_time(const char *text)
{
	struct tm tm;
	int y, mo, d, h = 0, mi = 0, s = 0;

	if (!text || sscanf(text, "%4d-%2d-%2d%*1[T ]%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &s) < 3)
		return 0;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	return timegm(&tm);
}

long detail_find_update(const struct server_detail *d, const struct model_guid *g)
{
	size_t lo = 0, hi = d->nupdates;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = model_guid_compare(&d->updates[mid].guid, g);

		if (c == 0)
			return (long)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

void detail_update_text(const struct server_detail *d, size_t update, struct arena *a,
			const char **title, const char **kb, const char **type)
{
	char guid[37];
	sqlite3_stmt *st = d->text_stmt;

	*title = *kb = NULL;
	if (type)
		*type = NULL;
	if (!st || update >= d->nupdates)
		return;
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, d->key);
	if (d->packed) {
		sqlite3_bind_blob(st, 2, d->updates[update].guid.b, 16, SQLITE_TRANSIENT);
		sqlite3_bind_int(st, 3, d->updates[update].revision);
	} else {
		model_guid_format(&d->updates[update].guid, guid);
		sqlite3_bind_text(st, 2, guid, -1, SQLITE_TRANSIENT);
	}
	if (sqlite3_step(st) == SQLITE_ROW) {
		*title = model_column_text(a, st, 0);
		*kb = model_column_text(a, st, 1);
		if (type)
			*type = model_column_text(a, st, 2);
	}
	sqlite3_reset(st);
}

size_t detail_update_categories(const struct server_detail *d, const struct model_server *s,
				size_t update, struct arena *a, const struct model_category ***out)
{
	const struct model_category **v = NULL;
	sqlite3_stmt *st = d->category_stmt;
	size_t n = 0, cap = 0;
	char guid[37];

	*out = NULL;
	if (!st || update >= d->nupdates)
		return 0;
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, d->key);
	if (d->packed) {
		/* one row: the categories blob, 16 bytes per category, sorted */
		sqlite3_bind_blob(st, 2, d->updates[update].guid.b, 16, SQLITE_TRANSIENT);
		sqlite3_bind_int(st, 3, d->updates[update].revision);
		if (sqlite3_step(st) == SQLITE_ROW) {
			const unsigned char *p = sqlite3_column_blob(st, 0);
			size_t k, len = (size_t)sqlite3_column_bytes(st, 0);

			for (k = 0; p && k + 16 <= len; k += 16) {
				struct model_guid g;
				const struct model_category *c;

				memcpy(g.b, p + k, 16);
				if (!(c = model_category_find(s, &g)))
					continue;
				v = xgrow(v, &cap, n + 1, sizeof(*v));
				v[n++] = c;
			}
		}
	} else {
		model_guid_format(&d->updates[update].guid, guid);
		sqlite3_bind_text(st, 2, guid, -1, SQLITE_TRANSIENT);
	}
	while (!d->packed && sqlite3_step(st) == SQLITE_ROW) {
		struct model_guid g;
		const struct model_category *c;

		if (model_guid_parse((const char *)sqlite3_column_text(st, 0), &g) != 0 ||
		    !(c = model_category_find(s, &g)))
			continue;
		v = xgrow(v, &cap, n + 1, sizeof(*v));
		v[n++] = c;
	}
	sqlite3_reset(st);
	if (n)
		*out = arena_memdup(a, v, n * sizeof(*v));
	free(v);
	return n;
}

void model_fill_report_servers(const struct model *m, struct arena *a, struct report_server **out,
			       size_t *n)
{
	struct report_server *rs = arena_alloc(a, (m->nservers ? m->nservers : 1) * sizeof(*rs));
	size_t i, j;

	for (i = 0; i < m->nservers; i++) {
		const struct model_server *s = &m->servers[i];
		const struct model_config *c = &s->config;
		struct report_server *r = &rs[i];
		int readable = model_server_readable(s) && c->present;

		r->name = arena_strdup(a, s->name);
		r->site = s->entry && s->entry->site >= 0 && m->h
			      ? arena_strdup(a, m->h->sites[s->entry->site].code)
			      : NULL;
		r->role = model_role_name(s->entry ? s->entry->role : ROLE_STANDALONE);
		r->reachable = model_server_readable(s);
		r->error = arena_strdup(a, s->error);
		r->wsus_version = arena_strdup(a, s->wsus_version);
		r->sync_source = !readable || c->sync_to_mu < 0 ? NULL
				 : c->sync_to_mu		? "microsoft-update"
								: "upstream";
		r->upstream_name =
		    readable && c->sync_to_mu == 0 ? arena_strdup(a, c->upstream_name) : NULL;
		r->upstream_port = readable && c->sync_to_mu == 0 ? c->upstream_port : -1;
		r->upstream_ssl = readable && c->sync_to_mu == 0 ? c->upstream_ssl : -1;
		r->upstream_index = s->upstream;
		r->replica = readable ? c->replica_mode : -1;
		r->storage = !readable || c->host_on_mu < 0 ? NULL
			     : c->host_on_mu		    ? "microsoft-update"
							    : "local";
		r->nlanguages = 0;
		r->languages =
		    arena_alloc(a, (s->nlanguages ? s->nlanguages : 1) * sizeof(*r->languages));
		for (j = 0; j < s->nlanguages; j++) {
			const struct model_language *l = &s->languages[j];

			if (l->enabled == 1)
				r->languages[r->nlanguages++] = l->short_name
								    ? arena_strdup(a, l->short_name)
								    : arena_printf(a, "%d", l->id);
		}
		r->updates = readable ? s->agg.updates : -1;
		r->approvals = readable ? s->agg.approvals : -1;
		r->content_path = readable ? arena_strdup(a, c->content_path) : NULL;
		r->bits_foreground = readable ? c->bits_foreground : -1;
		r->bits_fix_note = NULL;
		r->collected_at = s->collected_at;
		r->connection = s->connection;
		r->planned = s->planned_new ? "new" : s->planned_moved ? "moved" : NULL;
		r->expected_upstream = s->entry && m->h && s->entry->expected_upstream >= 0 &&
					       (size_t)s->entry->expected_upstream < m->h->nservers
					   ? m->h->servers[s->entry->expected_upstream].name
					   : NULL;
	}
	*out = rs;
	*n = m->nservers;
}

const char *model_column_text(struct arena *a, sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);
	size_t n = (size_t)sqlite3_column_bytes(st, i), nul = 0, k, j;
	char *out;

	if (!s)
		return NULL;
	for (k = 0; k < n; k++)
		nul += s[k] == '\0';
	if (!nul)
		return arena_strndup(a, (const char *)s, n);
	out = arena_alloc(a, n + 2 * nul + 1);
	for (j = k = 0; k < n; k++) {
		if (s[k]) {
			out[j++] = (char)s[k];
		} else {
			memcpy(out + j, "\xE2\x90\x80", 3); /* U+2400 SYMBOL FOR NULL */
			j += 3;
		}
	}
	out[j] = '\0';
	return out;
}

const char *model_shared_text(struct model *m, sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);
	size_t n = (size_t)sqlite3_column_bytes(st, i);

	if (!s)
		return NULL;
	if (memchr(s, '\0', n))
		return model_column_text(&m->arena, st, i);
	return intern_strn(&m->strings, s, n);
}
