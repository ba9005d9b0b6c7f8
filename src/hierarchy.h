/* hierarchy: the hierarchy file (INTERFACE.md) loaded, validated and resolved into roles. */
#ifndef SUSAUDIT_HIERARCHY_H
#define SUSAUDIT_HIERARCHY_H

#include <stddef.h>

#include "arena.h"

enum site_type { SITE_CAS, SITE_PRIMARY, SITE_SECONDARY };

/* The role a server plays, from its place in the file (DOMAIN.md R1-R4). */
enum server_role {
	ROLE_TOP,		/* first SUP of the top-level site */
	ROLE_SITE_FIRST,	/* first SUP of a primary site under a CAS */
	ROLE_SITE_OTHER,	/* any other (intranet) SUP of a CAS or primary site */
	ROLE_INTERNET,		/* internet-based SUP */
	ROLE_SECONDARY,		/* SUP of a secondary site */
	ROLE_STANDALONE		/* WSUS outside Configuration Manager: role-free */
};

enum encryption_mode { ENCRYPTION_OFF, ENCRYPTION_REQUEST, ENCRYPTION_REQUIRE };

/* Special values of server.expected_upstream. */
enum {
	EXPECT_MICROSOFT_UPDATE = -1,	/* R1: syncs from Microsoft Update */
	EXPECT_EXTERNAL = -2,		/* R1 exception: the top site's `upstream` attribute */
	EXPECT_UNDETERMINED = -3	/* standalone: whatever its SUSDB says */
};

/* How to reach one SUSDB; defaults from <defaults> already applied. */
struct connection_settings {
	const char *sql;		/* host, host:port, host\instance, freetds.conf name or "wid" */
	const char *database;		/* default "SUSDB" */
	const char *user;		/* SQL login or DOMAIN\user; NULL when none given */
	const char *password_env;	/* name of the environment variable, or NULL */
	const char *password_file;	/* path, or NULL */
	enum encryption_mode encryption;	/* default ENCRYPTION_REQUEST */
	int login_timeout;		/* seconds, default 15 */
	int query_timeout;		/* seconds, default 300 */
	/* Added: TLS verification (README "Connections and TLS") */
	const char *ca_file;		/* PEM the server's certificate must verify against, or NULL */
	int ca_file_line;		/* line of the element that gave ca_file */
	int check_hostname;		/* with ca_file: the certificate must name the host; default 1 */
};

/* A <planned> element: what the server's SUSDB will say after a change. -1 = not given. */
struct planned_settings {
	int present;
	int sync_to_mu;			/* from sync-source: 1 microsoft-update, 0 upstream */
	const char *upstream;		/* NULL = not given */
	int upstream_port;
	int upstream_ssl;
	int replica;
	int host_on_mu;			/* from storage: 0 local, 1 microsoft-update */
	const char **languages;		/* short names, e.g. "en"; NULL = not given */
	size_t nlanguages;
};

struct site {
	const char *code;
	enum site_type type;
	int parent;			/* index into hierarchy.sites, -1 for the top site */
	int first_server;		/* index of its first SUP, -1 when it has none */
	const char *upstream;		/* R1 exception: "host:port" from the top site, or NULL */
	int upstream_ssl;
	int line;
};

struct server {
	const char *name;		/* FQDN as other servers should name it */
	int site;			/* index into hierarchy.sites; -1 for standalone */
	int port;			/* its WSUS web site port */
	int ssl;
	int internet;
	int first;			/* 1 when it is its site's first SUP */
	const char **aliases;		/* NetBIOS names or IPs */
	size_t naliases;
	const char *wsus_version;	/* optional attribute, else NULL */
	struct connection_settings conn;
	enum server_role role;
	/* What the role requires (R1-R4): an index into hierarchy.servers, or EXPECT_*. */
	int expected_upstream;
	const char *external_upstream;	/* host when EXPECT_EXTERNAL */
	int external_upstream_port;
	int external_upstream_ssl;
	int expected_replica;		/* 0 or 1; -1 for standalone (no requirement) */
	int is_new;			/* in a plan: no `sql`, settings follow the role */
	struct planned_settings planned;
	int line;			/* line of the <server> element */
	/* wid: the export file to read instead of connecting (as the file names it), or NULL */
	const char *export_path;
};

struct hierarchy_index;

struct hierarchy {
	struct arena arena;		/* owns every string and array below */
	const char *name;
	const char *path;		/* file it was loaded from, for messages */
	char *xml;			/* the file's text as read (arena), stored in snapshots */
	size_t xml_len;
	struct site *sites;
	size_t nsites;
	struct server *servers;		/* document order */
	size_t nservers;
	/* Added: the loader's case-insensitive index of names and aliases (arena), used by
	 * hierarchy_find_server. NULL in hand-built hierarchies, which are scanned instead. */
	struct hierarchy_index *index;
	/* Added: the <configmgr> element (the site database), connection defaults applied;
	 * configmgr_line 0 when the file has none. */
	struct connection_settings configmgr;
	int configmgr_line;
};

/* How the loader resolves what the file leaves implicit (added notes; see also the XSD):
 * - a site's first SUP is the server with first="true", else the first server of the site in
 *   document order that is neither internet="true" nor first="false", else its first internet
 *   SUP, else its first server; every server of a secondary site is ROLE_SECONDARY;
 * - when the site a SUP should sync from has no server, expected_upstream is
 *   EXPECT_UNDETERMINED and a warning "FILE:LINE: ..." is logged;
 * - a server naming password-env or password-file replaces both inherited from <defaults>;
 * - is_new is 1 when neither the server nor <defaults> gives `sql`;
 * - planned languages are lower-cased; sites, servers and aliases keep the file's spelling.
 * Loads and validates a hierarchy file against model/hierarchy.xsd, resolves roles and
 * expected upstreams. On error logs "FILE:LINE: problem" and returns -1 with *out NULL.
 * No network access, no external entities, bounded size and depth. Free with hierarchy_free. */
int hierarchy_load(const char *path, struct hierarchy **out);

/* The same from memory; `name` is used in messages in place of a path. */
int hierarchy_load_memory(const char *xml, size_t len, const char *name, struct hierarchy **out);

void hierarchy_free(struct hierarchy *h);

/* Index of the server called `name` (case-insensitive, by name or alias), or -1. */
int hierarchy_find_server(const struct hierarchy *h, const char *name);

/* Reads the server's password from its password-env variable or password-file (refused when
 * group- or world-readable). Returns 0 and a malloc'd string the caller must xwipe() and free(),
 * 1 when the server has no password configured (*out NULL), or -1 after logging why. */
int hierarchy_read_password(const struct server *s, char **out);

/* The same without logging: on -1, *why is a malloc'd reason naming the server (the caller
 * frees it). The first call makes the process non-dumpable and without core dumps, since it
 * holds a secret from then on. */
int hierarchy_password_get(const struct server *s, char **out, char **why);

/* Added: logs "FILE:LINE: ..." for every server without `sql` (is_new: only a plan may
 * describe a server that does not exist yet) and returns -1 if there is one, else 0. Callers
 * that collect or audit a hierarchy (not a plan) call it after hierarchy_load. */
int hierarchy_check_collectable(const struct hierarchy *h);

/* Added: logs "FILE:LINE: ..." for every ca-file (of a server or of <configmgr>) that does
 * not exist, cannot be read or holds no PEM certificate, and returns -1 if there is one, else
 * 0. Collectors call it after hierarchy_load (an audit of a snapshot elsewhere must not need
 * the file). hierarchy_tls.c. */
int hierarchy_check_tls_files(const struct hierarchy *h);

/* wid: the path of server s's export file as collect opens it: export_path itself when
 * absolute, else relative to the folder of h->path (malloc'd); NULL when it has none. */
char *hierarchy_export_path(const struct hierarchy *h, const struct server *s);

/* "top", "site-first", "site-other", "internet", "secondary", "standalone". */
const char *server_role_name(enum server_role role);

#endif
