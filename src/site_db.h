/* site_db: what susaudit reads from a Configuration Manager site database (queries/cm_*.sql). */
#ifndef SUSAUDIT_SITE_DB_H
#define SUSAUDIT_SITE_DB_H

#include <stddef.h>

#include "arena.h"
#include "dbsource.h"

/* One property row: role properties (vSMS_SC_SysResUse_Properties) and component properties
 * (vSMS_SC_Component_Properties) have the same shape. NULL columns read as NULL strings and
 * value3_null. */
struct site_db_prop {
	const char *component; /* component properties: ComponentName; else NULL */
	const char *name;
	const char *value1;
	const char *value2;
	long long value3;
	int value3_null;
};

struct site_db_site {
	const char *code;
	const char *name;   /* SiteName, may be NULL */
	const char *parent; /* ReportingSiteCode, NULL or "" for the top site */
	long long type;	    /* v_Site.Type; -1 when NULL */
	const char *server; /* the site server, may be NULL */
};

struct site_db_sup {
	const char *site;
	const char *name;	    /* SysResList.ServerName */
	int internet_enabled;	    /* -1 when NULL */
	int ssl_state;		    /* -1 when NULL */
	struct site_db_prop *props; /* its role properties, matched by NALPath's server */
	size_t nprops;
	int has_role; /* a vSMS_SC_SysResUse row was found for it */
};

/* The site database as read. `gaps` names each view, column or property that could not be
 * read, in words a user can act on; a caller that writes a hierarchy must mark them. */
struct site_db {
	struct arena arena; /* owns everything below */
	struct site_db_site *sites;
	size_t nsites;
	struct site_db_sup *sups;
	size_t nsups;
	struct site_db_prop *component; /* SMS_WSUS_CONFIGURATION_MANAGER, SMS_WSUS_SYNC_MANAGER */
	size_t ncomponent;
	const char **gaps;
	size_t ngaps, gaps_cap;
	int sites_from_table; /* v_Site missing: read from the Sites table */
	int have_sites, have_sups, have_props, have_component;
};

/* Reads the site tree, the SUPs with their role properties and the SUP component's settings
 * through `c` (a connection to the site database). A view or column that is missing (another
 * ConfigMgr version) becomes a gap and reading goes on; returns -1 (with *error malloc'd)
 * only when the connection fails or nothing at all could be read. Release with
 * site_db_release() either way. */
int site_db_read(struct db_conn *c, struct site_db *db, char **error);

/* Reads only the SUP role properties and component settings (what the audit compares). */
int site_db_read_intent(struct db_conn *c, struct site_db *db, char **error);

void site_db_release(struct site_db *db);

/* The property `name` (case-insensitive) of a SUP, or NULL. */
const struct site_db_prop *site_db_sup_prop(const struct site_db_sup *s, const char *name);

/* The component property `name` of `component`, or NULL. When rows of several sites disagree
 * *conflict is set to 1 (it may be NULL) and the first row is returned. */
const struct site_db_prop *site_db_component_prop(const struct site_db *db, const char *component,
						  const char *name, int *conflict);

/* The server a NALPath names: the host of its last "\\host\" part (arena copy), or NULL. */
const char *site_db_nal_server(struct arena *a, const char *nal_path);

/* Records a gap (printf-style; copied into the arena). */
void site_db_gap(struct site_db *db, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
