/* snapshot_pack: format 2's per-server packs (sorted binary arrays, content-addressed) and the
 * shared update catalogue; model/snapshot-format.md describes every byte. */
#ifndef SUSAUDIT_SNAPSHOT_PACK_H
#define SUSAUDIT_SNAPSHOT_PACK_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "dbsource.h"
#include "snapshot.h"

/* Pack kinds, as stored in pack.kind and server_pack.kind. */
#define PACK_UPDATES 'U'    /* update_revision rows without their text: 24 bytes each */
#define PACK_LANGUAGES 'L'  /* update_language rows, one run per update */
#define PACK_APPROVALS 'A'  /* approval rows with a string table */
#define PACK_CATEGORIES 'C' /* update_category rows of updates the server does not list */

/* 1 for the tables format 2 packs (update_revision, update_category, update_language,
 * approval); the others stay plain SQLite tables. */
int pack_table_is_packed(enum snapshot_table t);

/* One server's packed rows while it is being collected (or migrated). */
struct pack_builder;

struct pack_builder *pack_builder_new(long long server_key);
void pack_builder_free(struct pack_builder *b);
/* Buffers one row of a packed table, values in the collector query's column order. A row
 * whose GUID is not a GUID is dropped (the format-1 reader skipped it too). */
void pack_builder_add(struct pack_builder *b, enum snapshot_table t, const struct db_value *v,
		      size_t n);
/* Forgets the rows of one table (before a query is retried). */
void pack_builder_clear(struct pack_builder *b, enum snapshot_table t);
long long pack_builder_key(const struct pack_builder *b);

/* The catalogue's (update GUID, revision) -> content hash index, read once per writer. */
struct pack_catalogue;

/* Reads the index from db. NULL after logging on error; free with pack_catalogue_free(). */
struct pack_catalogue *pack_catalogue_load(sqlite3 *db, const char *path);
void pack_catalogue_free(struct pack_catalogue *c);

/* Sorts the buffered rows (once; pack_builder_write() does it when not done yet): needs no
 * database, so the collector sorts outside the snapshot's lock. */
void pack_builder_sort(struct pack_builder *b);

/* Sorts the buffered rows and writes the server's packs (by content hash, so data already
 * stored is referenced, not copied), its new catalogue entries, the per-server text where it
 * differs from the catalogue, and its update_counts row. Runs in the caller's transaction.
 * Returns 0 or -1 (logged). */
int pack_builder_write(struct pack_builder *b, sqlite3 *db, struct pack_catalogue *cat,
		       const char *path);

/* Reading. A pack as stored, validated. */
struct pack_view {
	char kind;
	uint32_t n;    /* records (for L: runs) */
	uint32_t rows; /* rows it stands for */
	const unsigned char *records;
	size_t records_len;
	const unsigned char *strings; /* A only */
	size_t strings_len;
	uint32_t nstrings;
};

/* Fetches the server's pack of `kind`: 0 with *v filled (n = 0 when it has none), -1 after
 * logging. The data lives in *st, which the caller finalizes (also on error). */
int pack_fetch(sqlite3 *db, long long server_key, char kind, sqlite3_stmt **st,
	       struct pack_view *v);

/* Validates a pack's bytes as one of `kind` and fills *v (pointing into data). 0 or -1. */
int pack_view_parse(struct pack_view *v, char kind, const unsigned char *data, size_t len);

struct pack_update {
	unsigned char guid[16];
	int revision;
	int declined;
	int state; /* -1 when NULL */
	int state_null;
};
void pack_update_get(const struct pack_view *v, size_t i, struct pack_update *out);

/* Languages: a cursor over the runs. Returns 0 at the end. */
struct pack_language_run {
	const unsigned char *guid;
	uint32_t count;
	const unsigned char *ids; /* count little-endian int32 */
	size_t next;		  /* cursor: offset of the next run */
};
int pack_language_next(const struct pack_view *v, struct pack_language_run *r);
int pack_language_id(const struct pack_language_run *r, uint32_t i);

struct pack_approval {
	const unsigned char *update, *group;
	int revision, action;
	int status, status_null;
	uint32_t group_name, time, admin; /* string numbers, 0 = NULL */
};
void pack_approval_get(const struct pack_view *v, size_t i, struct pack_approval *out);
/* The string table of an A pack indexed once (malloc'd, caller frees), then string `n`
 * (1-based) as a pointer and length into the pack; NULL for 0 or a number out of range. */
const unsigned char **pack_strings_index(const struct pack_view *v);
void pack_string(const struct pack_view *v, const unsigned char **index, uint32_t n, const char **s,
		 size_t *len);

/* C pack record i: the update and category GUIDs. */
void pack_category_get(const struct pack_view *v, size_t i, const unsigned char **update,
		       const unsigned char **category);

/* The 64-bit FNV-1a content hash of a catalogue entry (title, kb, type, categories). */
uint64_t pack_catalogue_hash(const char *title, size_t tlen, const char *kb, size_t klen,
			     const char *type, size_t ylen, const unsigned char *cats,
			     size_t ncats);

#endif
