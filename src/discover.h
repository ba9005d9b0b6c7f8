/* discover: a hierarchy file drafted from a Configuration Manager site database. */
#ifndef SUSAUDIT_DISCOVER_H
#define SUSAUDIT_DISCOVER_H

#include <stdio.h>

#include "hierarchy.h"
#include "site_db.h"

/* One value of the draft and what it rests on. `note` is NULL when the value was read as is
 * from a documented place; otherwise it says what the value was inferred from (written as an
 * XML comment). `gap` is 1 when it could not be read and a default stands in (INCOMPLETE). */
struct discover_note {
	const char *note;
	int gap;
};

struct discover_site {
	const char *code;
	const char *name; /* SiteName, may be NULL */
	enum site_type type;
	int parent; /* index into sites, -1 for the top site */
	struct discover_note type_note;
	const char *upstream; /* top site: "host:port" when ConfigMgr syncs from an upstream */
	int upstream_ssl;
	struct discover_note upstream_note;
};

struct discover_server {
	const char *name;
	int site; /* index into sites */
	int port, ssl, internet;
	const char *sql; /* host, host:port, host\instance or "wid" */
	struct discover_note port_note, ssl_note, internet_note, sql_note;
	int sql_assumed; /* no DBServerName: sql is the SUP host by assumption */
};

struct discover_draft {
	struct arena arena; /* owns every string below */
	const char *name;   /* the hierarchy's name */
	struct discover_site *sites;
	size_t nsites;
	struct discover_server *servers;
	size_t nservers;
	const char **gaps; /* what could not be read (site_db gaps and more) */
	size_t ngaps, gaps_cap;
	const char **left_out; /* sites and servers not written, and why */
	size_t nleft_out, left_out_cap;
};

/* Builds the draft from what was read; every inference gets its note. Returns 0; sites and
 * servers that cannot be written (invalid names, broken tree) are listed in left_out and
 * count as gaps. Free with discover_draft_release(). */
int discover_draft_build(const struct site_db *db, struct discover_draft *d);
void discover_draft_release(struct discover_draft *d);

/* The sql value DBServerName names for SUP `host`: "host:port" for SQL Server's
 * 'host,port', the SUP host for '.', '(local)' or 'localhost', "wid" for the Windows
 * Internal Database (##WID, ##SSEE); *note says what was inferred (arena) or NULL. Returns
 * NULL when the value cannot be used as an sql attribute. */
const char *discover_sql_from_dbservername(struct arena *a, const char *value, const char *host,
					   const char **note);

/* --probe: for every server whose sql is only assumed (no DBServerName), tries a TCP
 * connection to host:port (timeout seconds). Nothing answering (refused, timed out, the name
 * does not resolve) makes it sql="wid"; either way its note says what was found. */
void discover_probe_all(struct discover_draft *d, int port, int timeout_s);

/* 1 when a TCP connection to host:port succeeds within timeout_s, else 0 with why set. */
int discover_probe(const char *host, int port, int timeout_s, char *why, size_t size);

/* How the written file connects to the SUSDBs and the site database (<defaults>, <configmgr>). */
struct discover_connection {
	const char *site_db_sql; /* as given with --site-db */
	const char *site_db_database;
	const char *user;		  /* may be NULL */
	const char *password_env;	  /* may be NULL */
	const char *password_file;	  /* may be NULL */
	const char *encryption;		  /* NULL: the default */
	int login_timeout, query_timeout; /* 0: the default */
	const char *source;		  /* "sql/database" for the header comment */
	const char *ca_file;		  /* --ca-file, or NULL */
};

/* Writes the draft as a hierarchy file (urn:susaudit:hierarchy:1) to f: values escaped,
 * comments made safe (no "--", control or bidi characters), an INCOMPLETE comment on top and
 * at each gap. Returns 0 or -1 on a write error (not logged). */
int discover_write(FILE *f, const struct discover_draft *d, const struct discover_connection *c);

/* Prints to `out` how `h` (the user's file) differs from the draft: servers added, removed,
 * moved to another site, port, SSL or internet changed; sites added, removed, moved or of
 * another type. Standalone servers of `h` are outside ConfigMgr and ignored. Returns the
 * number of differences. */
size_t discover_compare(FILE *out, const struct discover_draft *d, const struct hierarchy *h);

#endif
