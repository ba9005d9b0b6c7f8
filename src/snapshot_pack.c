/* snapshot_pack: a server's heavy rows buffered, sorted once, and written as content-addressed
 * packs; the update text goes to the catalogue shared by every server and run of the file. */
#include "snapshot_pack.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "log.h"
#include "model.h"
#include "sha256.h"
#include "xalloc.h"

#define HEADER 16
#define U_SIZE 24
#define C_SIZE 32
#define A_SIZE 56

struct b_update {
	unsigned char g[16];
	int32_t rev, state, declined;
	uint32_t seq;
	int state_null;
	const char *title, *kb, *type;
	uint32_t tl, kl, yl;
};

struct b_category {
	unsigned char g[16], c[16];
	uint32_t seq;
};

struct b_language {
	unsigned char g[16];
	int32_t lang;
	uint32_t seq;
};

struct b_approval {
	unsigned char u[16], grp[16];
	int32_t rev, action, status;
	int status_null;
	uint32_t seq;
	const char *name, *time, *admin;
	uint32_t nl, tl, al;
};

struct pack_builder {
	long long key;
	struct arena arena;
	uint32_t seq;
	struct b_update *updates;
	size_t nupdates, cap_u;
	struct b_category *cats;
	size_t ncats, cap_c;
	struct b_language *langs;
	size_t nlangs, cap_l;
	struct b_approval *apprs;
	size_t napprs, cap_a;
	int sorted;
};

int pack_table_is_packed(enum snapshot_table t)
{
	return t == SNAP_UPDATE_REVISION || t == SNAP_UPDATE_CATEGORY ||
	       t == SNAP_UPDATE_LANGUAGE || t == SNAP_APPROVAL;
}

struct pack_builder *pack_builder_new(long long server_key)
{
	struct pack_builder *b = xcalloc(1, sizeof(*b));

	b->key = server_key;
	b->sorted = 0;
	arena_init(&b->arena);
	return b;
}

void pack_builder_free(struct pack_builder *b)
{
	if (!b)
		return;
	arena_release(&b->arena);
	free(b->updates);
	free(b->cats);
	free(b->langs);
	free(b->apprs);
	free(b);
}

long long pack_builder_key(const struct pack_builder *b)
{
	return b->key;
}

static int guid_of(const struct db_value *v, unsigned char out[16])
{
	struct model_guid g;

	if (v->is_null || !v->text || model_guid_parse(v->text, &g) != 0)
		return -1;
	memcpy(out, g.b, 16);
	return 0;
}

static int32_t int_of(const struct db_value *v)
{
	return v->is_null ? 0 : (int32_t)v->integer;
}

static const char *text_of(struct pack_builder *b, const struct db_value *v, uint32_t *len)
{
	if (v->is_null || !v->text) {
		*len = 0;
		return NULL;
	}
	char *copy = arena_alloc(&b->arena, v->len + 1); /* whole: text may hold a NUL */

	*len = (uint32_t)v->len;
	memcpy(copy, v->text, v->len);
	copy[v->len] = '\0';
	return copy;
}

void pack_builder_add(struct pack_builder *b, enum snapshot_table t, const struct db_value *v,
		      size_t n)
{
	switch (t) {
	case SNAP_UPDATE_REVISION: {
		struct b_update *u;

		if (n < 7)
			return;
		b->updates = xgrow(b->updates, &b->cap_u, b->nupdates + 1, sizeof(*b->updates));
		u = &b->updates[b->nupdates];
		if (guid_of(&v[0], u->g) < 0)
			return;
		u->rev = int_of(&v[1]);
		u->declined = int_of(&v[2]);
		u->state_null = v[3].is_null;
		u->state = v[3].is_null ? -1 : (int32_t)v[3].integer;
		u->title = text_of(b, &v[4], &u->tl);
		u->kb = text_of(b, &v[5], &u->kl);
		u->type = text_of(b, &v[6], &u->yl);
		u->seq = b->seq++;
		b->nupdates++;
		break;
	}
	case SNAP_UPDATE_CATEGORY: {
		struct b_category *c;

		if (n < 2)
			return;
		b->cats = xgrow(b->cats, &b->cap_c, b->ncats + 1, sizeof(*b->cats));
		c = &b->cats[b->ncats];
		if (guid_of(&v[0], c->g) < 0 || guid_of(&v[1], c->c) < 0)
			return;
		c->seq = b->seq++;
		b->ncats++;
		break;
	}
	case SNAP_UPDATE_LANGUAGE: {
		struct b_language *l;

		if (n < 2 || v[1].is_null)
			return;
		b->langs = xgrow(b->langs, &b->cap_l, b->nlangs + 1, sizeof(*b->langs));
		l = &b->langs[b->nlangs];
		if (guid_of(&v[0], l->g) < 0)
			return;
		l->lang = (int32_t)v[1].integer;
		l->seq = b->seq++;
		b->nlangs++;
		break;
	}
	case SNAP_APPROVAL: {
		struct b_approval *a;

		if (n < 8)
			return;
		b->apprs = xgrow(b->apprs, &b->cap_a, b->napprs + 1, sizeof(*b->apprs));
		a = &b->apprs[b->napprs];
		if (guid_of(&v[0], a->u) < 0 || guid_of(&v[2], a->grp) < 0)
			return;
		a->rev = int_of(&v[1]);
		a->name = text_of(b, &v[3], &a->nl);
		a->action = int_of(&v[4]);
		a->status_null = v[5].is_null;
		a->status = v[5].is_null ? -1 : (int32_t)v[5].integer;
		a->time = text_of(b, &v[6], &a->tl);
		a->admin = text_of(b, &v[7], &a->al);
		a->seq = b->seq++;
		b->napprs++;
		break;
	}
	default:
		break;
	}
}

void pack_builder_clear(struct pack_builder *b, enum snapshot_table t)
{
	if (t == SNAP_UPDATE_REVISION)
		b->nupdates = 0;
	else if (t == SNAP_UPDATE_CATEGORY)
		b->ncats = 0;
	else if (t == SNAP_UPDATE_LANGUAGE)
		b->nlangs = 0;
	else if (t == SNAP_APPROVAL)
		b->napprs = 0;
}

/* Little-endian encoding. */
static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v, p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16), p[3] = (unsigned char)(v >> 24);
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_header(unsigned char *p, char kind, uint32_t n, uint32_t rows, uint32_t nstrings)
{
	p[0] = 'S', p[1] = 'A', p[2] = '2', p[3] = (unsigned char)kind;
	put32(p + 4, n);
	put32(p + 8, rows);
	put32(p + 12, nstrings);
}

/* Sorting: GUID order (byte order is text order), arrival order among equals. */
static int cmp_seq(uint32_t a, uint32_t b)
{
	return (a > b) - (a < b);
}
static int cmp_int(int32_t a, int32_t b)
{
	return (a > b) - (a < b);
}

static int cmp_update(const void *pa, const void *pb)
{
	const struct b_update *a = pa, *b = pb;
	int c = memcmp(a->g, b->g, 16);

	return c ? c : cmp_seq(a->seq, b->seq);
}

static int cmp_category(const void *pa, const void *pb)
{
	const struct b_category *a = pa, *b = pb;
	int c = memcmp(a->g, b->g, 16);

	if (!c)
		c = memcmp(a->c, b->c, 16);
	return c ? c : cmp_seq(a->seq, b->seq);
}

static int cmp_language(const void *pa, const void *pb)
{
	const struct b_language *a = pa, *b = pb;
	int c = memcmp(a->g, b->g, 16);

	if (!c)
		c = cmp_int(a->lang, b->lang);
	return c ? c : cmp_seq(a->seq, b->seq);
}

/* The order the model keeps an update's approvals in (model_load.c raw_approval_compare). */
static int cmp_approval(const void *pa, const void *pb)
{
	const struct b_approval *a = pa, *b = pb;
	int c = memcmp(a->u, b->u, 16);

	if (!c)
		c = memcmp(a->grp, b->grp, 16);
	if (!c)
		c = cmp_int(a->rev, b->rev);
	if (!c)
		c = cmp_int(a->action, b->action);
	if (!c)
		c = cmp_int(a->status, b->status);
	return c ? c : cmp_seq(a->seq, b->seq);
}

/* The table's primary key keeps the first row of each key, as INSERT OR IGNORE did. */
static size_t dedupe(void *base, size_t n, size_t size, size_t keylen)
{
	unsigned char *p = base;
	size_t i, out = 0;

	for (i = 0; i < n; i++) {
		if (out && memcmp(p + (out - 1) * size, p + i * size, keylen) == 0)
			continue;
		if (out != i)
			memcpy(p + out * size, p + i * size, size);
		out++;
	}
	return out;
}

void pack_builder_sort(struct pack_builder *b)
{
	if (b->sorted)
		return;
	b->sorted = 1;
	if (b->nupdates > 1)
		qsort(b->updates, b->nupdates, sizeof(*b->updates), cmp_update);
	b->nupdates = dedupe(b->updates, b->nupdates, sizeof(*b->updates), 16);
	if (b->ncats > 1)
		qsort(b->cats, b->ncats, sizeof(*b->cats), cmp_category);
	b->ncats = dedupe(b->cats, b->ncats, sizeof(*b->cats), 32);
	if (b->nlangs > 1)
		qsort(b->langs, b->nlangs, sizeof(*b->langs), cmp_language);
	b->nlangs = dedupe(b->langs, b->nlangs, sizeof(*b->langs), 20);
	if (b->napprs > 1)
		qsort(b->apprs, b->napprs, sizeof(*b->apprs), cmp_approval);
}

uint64_t pack_catalogue_hash(const char *title, size_t tlen, const char *kb, size_t klen,
			     const char *type, size_t ylen, const unsigned char *cats, size_t ncats)
{
	const char *parts[3] = {title, kb, type};
	size_t lens[3] = {tlen, klen, ylen}, i, j;
	uint64_t h = 1469598103934665603ULL;

#define MIX(byte) (h = (h ^ (unsigned char)(byte)) * 1099511628211ULL)
	for (i = 0; i < 3; i++) {
		MIX(parts[i] ? 1 : 0);
		for (j = 0; parts[i] && j < lens[i]; j++)
			MIX(parts[i][j]);
		MIX(0xff);
	}
	for (j = 0; j < ncats * 16; j++)
		MIX(cats[j]);
#undef MIX
	return h;
}

/* The catalogue index: open addressing over (guid, revision). */
struct cat_entry {
	unsigned char g[16];
	int32_t rev;
	uint64_t hash;
};

struct pack_catalogue {
	struct cat_entry *entries;
	size_t n, cap;
	uint32_t *slots; /* entry + 1, 0 = empty */
	size_t nslots;
};

static size_t cat_slot(const struct pack_catalogue *c, const unsigned char *g, int32_t rev)
{
	uint64_t h;

	memcpy(&h, g, sizeof(h)); /* GUIDs are random enough */
	h ^= (uint64_t)(uint32_t)rev * 0x9E3779B97F4A7C15ULL;
	return (size_t)(h & (c->nslots - 1));
}

static struct cat_entry *cat_find(const struct pack_catalogue *c, const unsigned char *g,
				  int32_t rev)
{
	size_t s;

	if (!c->nslots)
		return NULL;
	for (s = cat_slot(c, g, rev); c->slots[s]; s = (s + 1) & (c->nslots - 1)) {
		struct cat_entry *e = &c->entries[c->slots[s] - 1];

		if (e->rev == rev && memcmp(e->g, g, 16) == 0)
			return e;
	}
	return NULL;
}

static void cat_rehash(struct pack_catalogue *c)
{
	size_t i;

	free(c->slots);
	c->nslots = c->nslots ? c->nslots * 2 : 1024;
	c->slots = xcalloc(c->nslots, sizeof(*c->slots));
	for (i = 0; i < c->n; i++) {
		size_t s = cat_slot(c, c->entries[i].g, c->entries[i].rev);

		while (c->slots[s])
			s = (s + 1) & (c->nslots - 1);
		c->slots[s] = (uint32_t)i + 1;
	}
}

static void cat_add(struct pack_catalogue *c, const unsigned char *g, int32_t rev, uint64_t hash)
{
	struct cat_entry *e;

	c->entries = xgrow(c->entries, &c->cap, c->n + 1, sizeof(*c->entries));
	e = &c->entries[c->n++];
	memcpy(e->g, g, 16);
	e->rev = rev;
	e->hash = hash;
	if (c->n * 2 > c->nslots)
		cat_rehash(c);
	else {
		size_t s = cat_slot(c, g, rev);

		while (c->slots[s])
			s = (s + 1) & (c->nslots - 1);
		c->slots[s] = (uint32_t)c->n;
	}
}

struct pack_catalogue *pack_catalogue_load(sqlite3 *db, const char *path)
{
	struct pack_catalogue *c = xcalloc(1, sizeof(*c));
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db,
			       "SELECT update_guid, revision_number, content_hash FROM"
			       " catalogue_update",
			       -1, &st, NULL) != SQLITE_OK) {
		log_error("snapshot '%s': could not read its catalogue: %s", path,
			  sqlite3_errmsg(db));
		pack_catalogue_free(c);
		return NULL;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (sqlite3_column_bytes(st, 0) == 16)
			cat_add(c, sqlite3_column_blob(st, 0), sqlite3_column_int(st, 1),
				(uint64_t)sqlite3_column_int64(st, 2));
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		log_error("snapshot '%s': could not read its catalogue: %s", path,
			  sqlite3_errmsg(db));
		pack_catalogue_free(c);
		return NULL;
	}
	return c;
}

void pack_catalogue_free(struct pack_catalogue *c)
{
	if (!c)
		return;
	free(c->entries);
	free(c->slots);
	free(c);
}

/* The string table of an A pack: each distinct string once. */
struct strtab {
	const char **s;
	uint32_t *len;
	size_t n, cap_s, cap_l;
	uint32_t *slots;
	size_t nslots;
	size_t bytes;
};

static uint32_t strtab_add(struct strtab *t, const char *s, uint32_t len)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i, slot;

	if (!s)
		return 0;
	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	if (t->n * 2 >= t->nslots) {
		size_t k;

		free(t->slots);
		t->nslots = t->nslots ? t->nslots * 2 : 256;
		t->slots = xcalloc(t->nslots, sizeof(*t->slots));
		for (k = 0; k < t->n; k++) {
			uint64_t hk = 1469598103934665603ULL;

			for (i = 0; i < t->len[k]; i++)
				hk = (hk ^ (unsigned char)t->s[k][i]) * 1099511628211ULL;
			slot = (size_t)(hk & (t->nslots - 1));
			while (t->slots[slot])
				slot = (slot + 1) & (t->nslots - 1);
			t->slots[slot] = (uint32_t)k + 1;
		}
	}
	for (slot = (size_t)(h & (t->nslots - 1)); t->slots[slot];
	     slot = (slot + 1) & (t->nslots - 1)) {
		uint32_t k = t->slots[slot] - 1;

		if (t->len[k] == len && memcmp(t->s[k], s, len) == 0)
			return k + 1;
	}
	t->s = xgrow(t->s, &t->cap_s, t->n + 1, sizeof(*t->s));
	t->len = xgrow(t->len, &t->cap_l, t->n + 1, sizeof(*t->len));
	t->s[t->n] = s;
	t->len[t->n] = len;
	t->slots[slot] = (uint32_t)++t->n;
	t->bytes += 4 + len;
	return (uint32_t)t->n;
}

static void strtab_free(struct strtab *t)
{
	free(t->s);
	free(t->len);
	free(t->slots);
}

static int sql_error(sqlite3 *db, const char *path, const char *what)
{
	return log_error("snapshot '%s': could not %s: %s", path, what, sqlite3_errmsg(db));
}

/* Stores one pack by its hash and points the server at it. */
static int store_pack(sqlite3 *db, const char *path, long long key, char kind,
		      const unsigned char *data, size_t len, uint32_t rows)
{
	unsigned char hash[32];
	char k[2] = {kind, 0};
	sqlite3_stmt *st;
	int rc;

	sha256(data, len, hash);
	if (sqlite3_prepare_v2(db,
			       "INSERT OR IGNORE INTO pack (pack_hash, kind, nrows, data)"
			       " VALUES (?1, ?2, ?3, ?4)",
			       -1, &st, NULL) != SQLITE_OK)
		return sql_error(db, path, "prepare a pack");
	sqlite3_bind_blob(st, 1, hash, 32, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, k, 1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, rows);
	sqlite3_bind_blob(st, 4, data, (int)len, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return sql_error(db, path, "store a pack");
	if (sqlite3_prepare_v2(db,
			       "INSERT OR REPLACE INTO server_pack (server_key, kind, pack_hash)"
			       " VALUES (?1, ?2, ?3)",
			       -1, &st, NULL) != SQLITE_OK)
		return sql_error(db, path, "prepare a pack reference");
	sqlite3_bind_int64(st, 1, key);
	sqlite3_bind_text(st, 2, k, 1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 3, hash, 32, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : sql_error(db, path, "store a pack reference");
}

static int write_updates(struct pack_builder *b, sqlite3 *db, const char *path)
{
	size_t i, len = HEADER + b->nupdates * U_SIZE;
	unsigned char *p, *buf;
	int rc;

	if (!b->nupdates)
		return 0;
	buf = xmalloc(len);
	put_header(buf, PACK_UPDATES, (uint32_t)b->nupdates, (uint32_t)b->nupdates, 0);
	for (i = 0, p = buf + HEADER; i < b->nupdates; i++, p += U_SIZE) {
		const struct b_update *u = &b->updates[i];

		memcpy(p, u->g, 16);
		put32(p + 16, (uint32_t)u->rev);
		p[20] = (unsigned char)(uint16_t)u->state;
		p[21] = (unsigned char)((uint16_t)u->state >> 8);
		p[22] = (unsigned char)u->declined;
		p[23] = (unsigned char)(u->state_null ? 1 : 0);
	}
	rc = store_pack(db, path, b->key, PACK_UPDATES, buf, len, (uint32_t)b->nupdates);
	free(buf);
	return rc;
}

static int write_languages(struct pack_builder *b, sqlite3 *db, const char *path)
{
	size_t i, j, nruns = 0, len;
	unsigned char *buf, *p;
	int rc;

	if (!b->nlangs)
		return 0;
	for (i = 0; i < b->nlangs; i++)
		nruns += i == 0 || memcmp(b->langs[i].g, b->langs[i - 1].g, 16) != 0;
	len = HEADER + nruns * 20 + b->nlangs * 4;
	buf = xmalloc(len);
	put_header(buf, PACK_LANGUAGES, (uint32_t)nruns, (uint32_t)b->nlangs, 0);
	p = buf + HEADER;
	for (i = 0; i < b->nlangs; i = j) {
		for (j = i; j < b->nlangs && memcmp(b->langs[j].g, b->langs[i].g, 16) == 0; j++)
			;
		memcpy(p, b->langs[i].g, 16);
		put32(p + 16, (uint32_t)(j - i));
		p += 20;
		for (; i < j; i++, p += 4)
			put32(p, (uint32_t)b->langs[i].lang);
	}
	rc = store_pack(db, path, b->key, PACK_LANGUAGES, buf, len, (uint32_t)b->nlangs);
	free(buf);
	return rc;
}

static int write_approvals(struct pack_builder *b, sqlite3 *db, const char *path)
{
	struct strtab t;
	uint32_t *ids;
	size_t i, len;
	unsigned char *buf, *p;
	int rc;

	if (!b->napprs)
		return 0;
	memset(&t, 0, sizeof(t));
	ids = xmalloc(b->napprs * 3 * sizeof(*ids));
	for (i = 0; i < b->napprs; i++) {
		const struct b_approval *a = &b->apprs[i];

		ids[3 * i] = strtab_add(&t, a->name, a->nl);
		ids[3 * i + 1] = strtab_add(&t, a->time, a->tl);
		ids[3 * i + 2] = strtab_add(&t, a->admin, a->al);
	}
	len = HEADER + b->napprs * A_SIZE + t.bytes;
	buf = xmalloc(len);
	put_header(buf, PACK_APPROVALS, (uint32_t)b->napprs, (uint32_t)b->napprs, (uint32_t)t.n);
	for (i = 0, p = buf + HEADER; i < b->napprs; i++, p += A_SIZE) {
		const struct b_approval *a = &b->apprs[i];

		memcpy(p, a->u, 16);
		memcpy(p + 16, a->grp, 16);
		put32(p + 32, (uint32_t)a->rev);
		put32(p + 36, (uint32_t)a->action);
		put32(p + 40, (uint32_t)a->status);
		put32(p + 44, ids[3 * i] | (a->status_null ? 0x80000000u : 0));
		put32(p + 48, ids[3 * i + 1]);
		put32(p + 52, ids[3 * i + 2]);
	}
	for (i = 0; i < t.n; i++) {
		put32(p, t.len[i]);
		memcpy(p + 4, t.s[i], t.len[i]);
		p += 4 + t.len[i];
	}
	rc = store_pack(db, path, b->key, PACK_APPROVALS, buf, len, (uint32_t)b->napprs);
	free(buf);
	free(ids);
	strtab_free(&t);
	return rc;
}

/* Catalogue entries, per-server text where it differs, and category rows of updates the
 * server does not list (kept in a C pack). Updates and categories are both in GUID order. */
static int write_catalogue(struct pack_builder *b, sqlite3 *db, struct pack_catalogue *cat,
			   const char *path, int cats_known)
{
	sqlite3_stmt *ins = NULL, *over = NULL;
	unsigned char *cbuf = NULL, *orph = NULL;
	size_t i, c = 0, cbuf_cap = 0, norph = 0, orph_cap = 0;
	int rc = 0;

	if (sqlite3_prepare_v2(
		db,
		"INSERT OR IGNORE INTO catalogue_update (update_guid, revision_number,"
		" title, kb, update_type, categories, content_hash) VALUES (?1, ?2,"
		" ?3, ?4, ?5, ?6, ?7)",
		-1, &ins, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db,
			       "INSERT OR REPLACE INTO update_text (server_key, update_guid, title,"
			       " kb, update_type, categories) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
			       -1, &over, NULL) != SQLITE_OK) {
		rc = sql_error(db, path, "prepare the catalogue");
		goto out;
	}
	for (i = 0; i < b->nupdates && rc == 0; i++) {
		const struct b_update *u = &b->updates[i];
		struct cat_entry *e;
		size_t nc = 0;
		uint64_t h;
		sqlite3_stmt *st;

		for (; c < b->ncats && memcmp(b->cats[c].g, u->g, 16) < 0; c++) {
			orph = xgrow(orph, &orph_cap, (norph + 1) * C_SIZE, 1);
			memcpy(orph + norph * C_SIZE, b->cats[c].g, 16);
			memcpy(orph + norph * C_SIZE + 16, b->cats[c].c, 16);
			norph++;
		}
		for (; c < b->ncats && memcmp(b->cats[c].g, u->g, 16) == 0; c++, nc++) {
			cbuf = xgrow(cbuf, &cbuf_cap, (nc + 1) * 16, 1);
			memcpy(cbuf + nc * 16, b->cats[c].c, 16);
		}
		h = pack_catalogue_hash(u->title, u->tl, u->kb, u->kl, u->type, u->yl, cbuf, nc);
		e = cat_find(cat, u->g, u->rev);
		if (e && e->hash == h)
			continue;
		/* a server without category rows says nothing about the catalogue's */
		st = !e && cats_known ? ins : over;
		sqlite3_reset(st);
		if (st == ins) {
			sqlite3_bind_blob(st, 1, u->g, 16, SQLITE_STATIC);
			sqlite3_bind_int(st, 2, u->rev);
			sqlite3_bind_int64(st, 7, (sqlite3_int64)h);
		} else {
			sqlite3_bind_int64(st, 1, b->key);
			sqlite3_bind_blob(st, 2, u->g, 16, SQLITE_STATIC);
		}
		sqlite3_bind_text(st, 3, u->title, (int)u->tl, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, u->kb, (int)u->kl, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, u->type, (int)u->yl, SQLITE_STATIC);
		sqlite3_bind_blob(st, 6, nc ? (const void *)cbuf : "", (int)(nc * 16),
				  SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = sql_error(db, path, "store the catalogue");
		else if (st == ins)
			cat_add(cat, u->g, u->rev, h);
	}
	for (; c < b->ncats; c++) {
		orph = xgrow(orph, &orph_cap, (norph + 1) * C_SIZE, 1);
		memcpy(orph + norph * C_SIZE, b->cats[c].g, 16);
		memcpy(orph + norph * C_SIZE + 16, b->cats[c].c, 16);
		norph++;
	}
	if (rc == 0 && norph) {
		unsigned char *buf = xmalloc(HEADER + norph * C_SIZE);

		put_header(buf, PACK_CATEGORIES, (uint32_t)norph, (uint32_t)norph, 0);
		memcpy(buf + HEADER, orph, norph * C_SIZE);
		rc = store_pack(db, path, b->key, PACK_CATEGORIES, buf, HEADER + norph * C_SIZE,
				(uint32_t)norph);
		free(buf);
	}
out:
	sqlite3_finalize(ins);
	sqlite3_finalize(over);
	free(cbuf);
	free(orph);
	return rc;
}

/* The counts model_load's format-1 SQL computed, from the sorted rows. */
static int write_counts(struct pack_builder *b, sqlite3 *db, const char *path, int cats_known)
{
	long long declined = 0, approvals = 0, pending = 0, approved = 0, s4 = 0, s7 = 0, s8 = 0;
	size_t i, u = 0;
	sqlite3_stmt *st;
	int rc;

	for (i = 0; i < b->nupdates; i++)
		declined += b->updates[i].declined != 0;
	for (i = 0; i < b->napprs; i++) {
		const struct b_approval *a = &b->apprs[i];
		int first = 1;
		size_t k;

		if (a->action != 0 && a->action != 1)
			continue;
		approvals++;
		pending += !a->status_null && a->status == 0;
		/* distinct updates: approvals are sorted by update */
		for (k = i; k-- > 0;)
			if (memcmp(b->apprs[k].u, a->u, 16) != 0)
				break;
			else if (b->apprs[k].action == 0 || b->apprs[k].action == 1) {
				first = 0;
				break;
			}
		if (!first)
			continue;
		approved++;
		while (u < b->nupdates && memcmp(b->updates[u].g, a->u, 16) < 0)
			u++;
		if (u < b->nupdates && memcmp(b->updates[u].g, a->u, 16) == 0 &&
		    !b->updates[u].state_null) {
			s4 += b->updates[u].state == 4;
			s7 += b->updates[u].state == 7;
			s8 += b->updates[u].state == 8;
		}
	}
	if (sqlite3_prepare_v2(
		db,
		"INSERT OR REPLACE INTO update_counts (server_key, updates, declined,"
		" approvals, approved_updates, approved_state4, approved_state7,"
		" approved_state8, pending_approvals, categories_known, update_rows,"
		" category_rows, language_rows, approval_rows) VALUES (?1, ?2, ?3, ?4,"
		" ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
		-1, &st, NULL) != SQLITE_OK)
		return sql_error(db, path, "prepare the counts");
	sqlite3_bind_int64(st, 1, b->key);
	sqlite3_bind_int64(st, 2, (long long)b->nupdates);
	sqlite3_bind_int64(st, 3, declined);
	sqlite3_bind_int64(st, 4, approvals);
	sqlite3_bind_int64(st, 5, approved);
	sqlite3_bind_int64(st, 6, s4);
	sqlite3_bind_int64(st, 7, s7);
	sqlite3_bind_int64(st, 8, s8);
	sqlite3_bind_int64(st, 9, pending);
	sqlite3_bind_int(st, 10, cats_known);
	sqlite3_bind_int64(st, 11, (long long)b->nupdates);
	sqlite3_bind_int64(st, 12, (long long)b->ncats);
	sqlite3_bind_int64(st, 13, (long long)b->nlangs);
	sqlite3_bind_int64(st, 14, (long long)b->napprs);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : sql_error(db, path, "store the counts");
}

/* approval_group: the approvals counted per target group and action. Approvals are sorted
 * by update then group, so a group's rows are scattered: a server has a handful of groups,
 * kept in a small array. */
struct group_count {
	const unsigned char *grp;
	const char *name;
	uint32_t nl;
	int32_t action;
	long long approvals, updates, pending;
	const unsigned char *last_update;
};

static int write_groups(struct pack_builder *b, sqlite3 *db, const char *path)
{
	struct group_count *g = NULL;
	size_t ng = 0, cap = 0, i, k;
	sqlite3_stmt *st;
	int rc = 0;

	for (i = 0; i < b->napprs; i++) {
		const struct b_approval *a = &b->apprs[i];

		for (k = 0; k < ng; k++)
			if (g[k].action == a->action && memcmp(g[k].grp, a->grp, 16) == 0)
				break;
		if (k == ng) {
			g = xgrow(g, &cap, ng + 1, sizeof(*g));
			memset(&g[ng], 0, sizeof(g[ng]));
			g[ng].grp = a->grp;
			g[ng].name = a->name;
			g[ng].nl = a->nl;
			g[ng].action = a->action;
			ng++;
		}
		g[k].approvals++;
		g[k].pending += !a->status_null && a->status == 0;
		if (!g[k].last_update || memcmp(g[k].last_update, a->u, 16) != 0)
			g[k].updates++;
		g[k].last_update = a->u;
	}
	if (!ng)
		return 0;
	if (sqlite3_prepare_v2(
		db,
		"INSERT OR REPLACE INTO approval_group (server_key, group_guid,"
		" group_name, action_id, approvals, updates, pending) VALUES (?1, ?2,"
		" ?3, ?4, ?5, ?6, ?7)",
		-1, &st, NULL) != SQLITE_OK) {
		free(g);
		return sql_error(db, path, "prepare the approval groups");
	}
	for (k = 0; k < ng && rc == 0; k++) {
		struct model_guid guid;
		char text[37];

		memcpy(guid.b, g[k].grp, 16);
		model_guid_format(&guid, text);
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, b->key);
		sqlite3_bind_text(st, 2, text, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 3, g[k].name, (int)g[k].nl, SQLITE_STATIC);
		sqlite3_bind_int(st, 4, g[k].action);
		sqlite3_bind_int64(st, 5, g[k].approvals);
		sqlite3_bind_int64(st, 6, g[k].updates);
		sqlite3_bind_int64(st, 7, g[k].pending);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = sql_error(db, path, "store the approval groups");
	}
	sqlite3_finalize(st);
	free(g);
	return rc;
}

int pack_builder_write(struct pack_builder *b, sqlite3 *db, struct pack_catalogue *cat,
		       const char *path)
{
	int cats_known;

	pack_builder_sort(b);
	cats_known = b->ncats > 0;
	if (write_updates(b, db, path) < 0 || write_languages(b, db, path) < 0 ||
	    write_approvals(b, db, path) < 0 || write_catalogue(b, db, cat, path, cats_known) < 0 ||
	    write_counts(b, db, path, cats_known) < 0 || write_groups(b, db, path) < 0)
		return -1;
	return 0;
}

/* Reading. */
int pack_view_parse(struct pack_view *v, char kind, const unsigned char *p, size_t len)
{
	size_t rec;

	memset(v, 0, sizeof(*v));
	v->kind = kind;
	if (len < HEADER || p[0] != 'S' || p[1] != 'A' || p[2] != '2' ||
	    p[3] != (unsigned char)kind)
		return -1;
	v->n = get32(p + 4);
	v->rows = get32(p + 8);
	v->nstrings = get32(p + 12);
	rec = kind == PACK_UPDATES	? U_SIZE
	      : kind == PACK_APPROVALS	? A_SIZE
	      : kind == PACK_CATEGORIES ? C_SIZE
					: 0;
	v->records = p + HEADER;
	if (rec) {
		if ((len - HEADER) / rec < v->n)
			return -1;
		v->records_len = (size_t)v->n * rec;
	} else {
		v->records_len = len - HEADER;
	}
	v->strings = v->records + v->records_len;
	v->strings_len = len - HEADER - v->records_len;
	return 0;
}

int pack_fetch(sqlite3 *db, long long server_key, char kind, sqlite3_stmt **st, struct pack_view *v)
{
	char k[2] = {kind, 0};
	int rc;

	memset(v, 0, sizeof(*v));
	v->kind = kind;
	*st = NULL;
	if (sqlite3_prepare_v2(db,
			       "SELECT p.data FROM server_pack s JOIN pack p ON p.pack_hash ="
			       " s.pack_hash WHERE s.server_key = ?1 AND s.kind = ?2",
			       -1, st, NULL) != SQLITE_OK)
		return log_error("could not read the snapshot: %s", sqlite3_errmsg(db));
	sqlite3_bind_int64(*st, 1, server_key);
	sqlite3_bind_text(*st, 2, k, 1, SQLITE_STATIC);
	rc = sqlite3_step(*st);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return log_error("could not read the snapshot: %s", sqlite3_errmsg(db));
	if (pack_view_parse(v, kind, sqlite3_column_blob(*st, 0),
			    (size_t)sqlite3_column_bytes(*st, 0)) < 0)
		return log_error("the snapshot's '%c' pack of server %lld is damaged", kind,
				 server_key);
	return 0;
}

void pack_update_get(const struct pack_view *v, size_t i, struct pack_update *out)
{
	const unsigned char *p = v->records + i * U_SIZE;

	memcpy(out->guid, p, 16);
	out->revision = (int32_t)get32(p + 16);
	out->state = (int16_t)(uint16_t)(p[20] | p[21] << 8);
	out->declined = p[22];
	out->state_null = p[23] & 1;
	if (out->state_null)
		out->state = -1;
}

int pack_language_next(const struct pack_view *v, struct pack_language_run *r)
{
	if (r->next + 20 > v->records_len)
		return 0;
	r->guid = v->records + r->next;
	r->count = get32(r->guid + 16);
	if ((v->records_len - r->next - 20) / 4 < r->count)
		return 0;
	r->ids = r->guid + 20;
	r->next += 20 + (size_t)r->count * 4;
	return 1;
}

int pack_language_id(const struct pack_language_run *r, uint32_t i)
{
	return (int32_t)get32(r->ids + (size_t)i * 4);
}

void pack_approval_get(const struct pack_view *v, size_t i, struct pack_approval *out)
{
	const unsigned char *p = v->records + i * A_SIZE;
	uint32_t name = get32(p + 44);

	out->update = p;
	out->group = p + 16;
	out->revision = (int32_t)get32(p + 32);
	out->action = (int32_t)get32(p + 36);
	out->status = (int32_t)get32(p + 40);
	out->status_null = (name & 0x80000000u) != 0;
	out->group_name = name & 0x7fffffffu;
	out->time = get32(p + 48);
	out->admin = get32(p + 52);
}

const unsigned char **pack_strings_index(const struct pack_view *v)
{
	const unsigned char **index = xcalloc((size_t)v->nstrings + 1, sizeof(*index));
	size_t off = 0;
	uint32_t i;

	for (i = 1; i <= v->nstrings && off + 4 <= v->strings_len; i++) {
		uint32_t len = get32(v->strings + off);

		if (len > v->strings_len - off - 4)
			break;
		index[i] = v->strings + off;
		off += 4 + len;
	}
	return index;
}

void pack_string(const struct pack_view *v, const unsigned char **index, uint32_t n, const char **s,
		 size_t *len)
{
	*s = NULL;
	*len = 0;
	if (!n || n > v->nstrings || !index[n])
		return;
	*len = get32(index[n]);
	*s = (const char *)index[n] + 4;
}

void pack_category_get(const struct pack_view *v, size_t i, const unsigned char **update,
		       const unsigned char **category)
{
	*update = v->records + i * C_SIZE;
	*category = *update + 16;
}
