/* check_configmgr: ConfigMgr's intent (the site database) against what each SUSDB says. */
#include "check.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "evidence.h"
#include "model_cm.h"
#include "xalloc.h"

#define CM_CONFIG "SMS_WSUS_CONFIGURATION_MANAGER"
#define CM_SYNC "SMS_WSUS_SYNC_MANAGER"

/* The remedy all cm-* checks share: WCM re-applies ConfigMgr's settings about every hour, so
 * a SUSDB that still disagrees means either ConfigMgr holds the wrong value or WCM fails. */
#define CM_REMEDY_TAIL                                                                             \
	"; if ConfigMgr already says so, find why WCM's hourly push fails (WCM.log on the site "   \
	"server): a change made in the WSUS console is reverted within the hour"

/* The site database was read for this run: 1, or 0 (not named: skipped; unreadable: error). */
static int cm_ready(struct check_run *r)
{
	const struct model_cm *cm = r->m->cm;

	if (!cm)
		return 0;
	if (cm->error) {
		check_error(r, "ConfigMgr's site database '%s' could not be read: %s", cm->source,
			    cm->error);
		return 0;
	}
	return 1;
}

/* A SUP of the ConfigMgr hierarchy whose SUSDB can be evaluated. */
static int cm_server(struct check_run *r, size_t i)
{
	const struct model_server *s = &r->m->servers[i];

	return s->entry && s->entry->site >= 0 && !s->planned_new && check_server_usable(r, i);
}

/* The component setting, or NULL after recording an error naming it. */
static const struct site_db_prop *setting(struct check_run *r, const char *component,
					  const char *name)
{
	int conflict = 0;
	const struct site_db_prop *p =
	    site_db_component_prop(&r->m->cm->db, component, name, &conflict);

	if (!p) {
		check_error(r,
			    "ConfigMgr's site database has no '%s' setting of %s (another "
			    "Configuration Manager version?)",
			    name, component);
		return NULL;
	}
	if (conflict) {
		check_error(r, "the sites of ConfigMgr's site database disagree on '%s' (%s)", name,
			    component);
		return NULL;
	}
	return p;
}

/* Whether the comma list `list` names `lang` (case-insensitive, blanks ignored). */
static int list_has(const char *list, const char *lang)
{
	size_t n = strlen(lang);
	const char *p = list;

	while (*p) {
		const char *end;
		size_t len;

		while (*p == ' ' || *p == ',')
			p++;
		end = p + strcspn(p, ",");
		len = (size_t)(end - p);
		while (len && p[len - 1] == ' ')
			len--;
		if (len == n && n && strncasecmp(p, lang, n) == 0)
			return 1;
		p = end;
	}
	return 0;
}

static int server_enables(const struct model_server *s, const char *lang, size_t len)
{
	size_t i;

	for (i = 0; i < s->nlanguages; i++)
		if (s->languages[i].enabled == 1 && s->languages[i].short_name &&
		    strlen(s->languages[i].short_name) == len &&
		    strncasecmp(s->languages[i].short_name, lang, len) == 0)
			return 1;
	return 0;
}

void check_cm_languages(struct check_run *r)
{
	const struct model *m = r->m;
	const struct site_db_prop *p;
	struct arena *a = r->out->arena;
	size_t i, k;

	if (!cm_ready(r) || !(p = setting(r, CM_CONFIG, "SupportedUpdateLanguages")))
		return;
	for (i = 0; i < m->nservers; i++) {
		const struct model_server *s = &m->servers[i];
		const char *want = p->value2 ? p->value2 : "";
		char *missing = xstrdup(""), *extra = xstrdup(""), *enabled = xstrdup(""), *t;
		const char *q;

		if (!cm_server(r, i)) {
			free(missing);
			free(extra);
			free(enabled);
			continue;
		}
		check_evaluated(r);
		for (k = 0; k < s->nlanguages; k++) {
			const char *l = s->languages[k].short_name;

			if (s->languages[k].enabled != 1 || !l)
				continue;
			t = xasprintf("%s%s%s", enabled, *enabled ? ", " : "", l);
			free(enabled);
			enabled = t;
			if (!list_has(want, l)) {
				t = xasprintf("%s%s%s", extra, *extra ? ", " : "", l);
				free(extra);
				extra = t;
			}
		}
		for (q = want; *q;) {
			const char *end;
			size_t len;

			while (*q == ' ' || *q == ',')
				q++;
			end = q + strcspn(q, ",");
			len = (size_t)(end - q);
			while (len && q[len - 1] == ' ')
				len--;
			if (len && !server_enables(s, q, len)) {
				t = xasprintf("%s%s%.*s", missing, *missing ? ", " : "", (int)len,
					      q);
				free(missing);
				missing = t;
			}
			q = end;
		}
		if (*missing || *extra) {
			struct finding *f = check_add(
			    r, -1, i, NULL, 0,
			    check_fmt(
				r,
				"synchronizes update languages %s, but ConfigMgr's software "
				"update point component asks for %s (SupportedUpdateLanguages)"
				"%s%s%s%s",
				*enabled ? enabled : "(none)", *want ? want : "(none)",
				*missing ? "; not enabled: " : "", missing,
				*extra ? "; enabled but not asked for: " : "", extra),
			    check_fmt(
				r,
				"set the languages in the Software Update Point Component "
				"properties (Languages tab) at the top-level site" CM_REMEDY_TAIL));

			evidence_set_string(a, f->evidence, "configmgr.SupportedUpdateLanguages",
					    want);
			evidence_set_string(a, f->evidence, "server.enabled_languages", enabled);
		}
		free(missing);
		free(extra);
		free(enabled);
	}
}

void check_cm_express(struct check_run *r)
{
	const struct model *m = r->m;
	const struct site_db_prop *p;
	struct arena *a = r->out->arena;
	size_t i;

	if (!cm_ready(r) || !(p = setting(r, CM_SYNC, "Sync ExpressFiles")))
		return;
	if (p->value3_null) {
		check_error(r, "ConfigMgr's 'Sync ExpressFiles' setting has no value (Value3)");
		return;
	}
	for (i = 0; i < m->nservers; i++) {
		const struct model_server *s = &m->servers[i];
		int want = p->value3 != 0;
		struct finding *f;

		if (!cm_server(r, i))
			continue;
		if (s->config.express_files < 0) {
			check_error(r, "'%s' has no DownloadExpressPackages value", s->name);
			continue;
		}
		check_evaluated(r);
		if (s->config.express_files == want)
			continue;
		f = check_add(
		    r, -1, i, NULL, 0,
		    check_fmt(r,
			      "%s express installation files, but ConfigMgr's software "
			      "update point component says it should%s (Sync ExpressFiles "
			      "%lld)",
			      s->config.express_files ? "downloads" : "does not download",
			      want ? "" : " not", p->value3),
		    check_fmt(
			r, "set 'Download express installation files' in the Software "
			   "Update Point Component properties (Update Files tab)" CM_REMEDY_TAIL));
		evidence_set_int(a, f->evidence, "configmgr.SyncExpressFiles", p->value3);
		evidence_set_int(a, f->evidence, "server.DownloadExpressPackages",
				 s->config.express_files);
	}
}

/* ParentWSUS: host[:port], perhaps after http:// or https://. Fills host (arena) and port. */
static int parse_parent(struct check_run *r, const char *v, const char **host, int *port)
{
	int ssl = 0;
	const char *colon;
	size_t n;

	if (strncasecmp(v, "https://", 8) == 0) {
		ssl = 1;
		v += 8;
	} else if (strncasecmp(v, "http://", 7) == 0) {
		v += 7;
	}
	n = strcspn(v, ":/");
	if (!n)
		return -1;
	*host = check_fmt(r, "%.*s", (int)n, v);
	colon = v[n] == ':' ? v + n + 1 : NULL;
	*port = colon ? atoi(colon) : (ssl ? 8531 : 8530);
	return *port > 0 && *port <= 65535 ? 0 : -1;
}

static int same_host(const char *a, const char *b)
{
	size_t la = strcspn(a, "."), lb = strcspn(b, ".");

	if (strcasecmp(a, b) == 0)
		return 1;
	/* one side a NetBIOS name, the other its FQDN */
	return (!a[la] || !b[lb]) && la == lb && strncasecmp(a, b, la) == 0;
}

void check_cm_upstream(struct check_run *r)
{
	const struct model *m = r->m;
	const struct site_db_prop *use, *parent = NULL;
	struct arena *a = r->out->arena;
	const char *host = NULL;
	int port = 0;
	size_t i;

	if (!cm_ready(r) || !(use = setting(r, CM_CONFIG, "DefaultUseParentWSUS")))
		return;
	if (use->value3_null) {
		check_error(r, "ConfigMgr's 'DefaultUseParentWSUS' setting has no value (Value3)");
		return;
	}
	/* 2: ConfigMgr names no synchronization source; nothing a SUSDB could disagree with */
	if (use->value3 != 0 && use->value3 != 1)
		return;
	if (use->value3 == 1) {
		if (!(parent = setting(r, CM_CONFIG, "ParentWSUS")))
			return;
		if (!parent->value2 || parse_parent(r, parent->value2, &host, &port) < 0) {
			check_error(r, "ConfigMgr's 'ParentWSUS' setting '%s' is not host[:port]",
				    parent->value2 ? parent->value2 : "");
			return;
		}
	}
	for (i = 0; i < m->nservers; i++) {
		const struct model_server *s = &m->servers[i];
		const char *msg = NULL;
		struct finding *f;

		if (!s->entry || s->entry->role != ROLE_TOP || !cm_server(r, i))
			continue;
		if (s->config.sync_to_mu < 0) {
			check_error(r, "'%s' has no SyncToMU value", s->name);
			continue;
		}
		check_evaluated(r);
		if (use->value3 == 0 && !s->config.sync_to_mu)
			msg =
			    check_fmt(r,
				      "synchronizes from '%s:%d', but ConfigMgr's software update "
				      "point component says Microsoft Update "
				      "(DefaultUseParentWSUS 0)",
				      s->config.upstream_name ? s->config.upstream_name : "",
				      s->config.upstream_port);
		else if (use->value3 == 1 && s->config.sync_to_mu)
			msg = check_fmt(r,
					"synchronizes from Microsoft Update, but ConfigMgr's "
					"software update point component says the upstream "
					"server '%s:%d' (DefaultUseParentWSUS 1, ParentWSUS)",
					host, port);
		else if (use->value3 == 1 &&
			 (!s->config.upstream_name || !same_host(s->config.upstream_name, host) ||
			  s->config.upstream_port != port))
			msg =
			    check_fmt(r,
				      "synchronizes from '%s:%d', but ConfigMgr's software update "
				      "point component says '%s:%d' (ParentWSUS)",
				      s->config.upstream_name ? s->config.upstream_name : "",
				      s->config.upstream_port, host, port);
		if (!msg)
			continue;
		f = check_add(r, -1, i, NULL, 0, msg,
			      check_fmt(r, "set the synchronization source in the Software Update "
					   "Point Component properties (Sync Settings tab) at the "
					   "top-level site" CM_REMEDY_TAIL));
		evidence_set_int(a, f->evidence, "configmgr.DefaultUseParentWSUS", use->value3);
		if (parent)
			evidence_set_string(a, f->evidence, "configmgr.ParentWSUS", parent->value2);
		evidence_set_int(a, f->evidence, "server.SyncToMU", s->config.sync_to_mu);
		evidence_set_string(a, f->evidence, "server.UpstreamServerName",
				    s->config.upstream_name);
		evidence_set_int_or_null(a, f->evidence, "server.ServerPortNumber",
					 s->config.upstream_port);
	}
}

/* The port and SSL ConfigMgr's SUP role gives a server: 0, or -1 after an error. */
static int role_port(struct check_run *r, const struct model_server *s, int *port, int *ssl)
{
	const struct site_db_sup *sup = model_cm_sup(r->m->cm, s->name);
	const struct site_db_prop *p;

	if (!sup) {
		check_error(r,
			    "'%s' has no software update point role in ConfigMgr's site "
			    "database (see 'susaudit discover --compare')",
			    s->name);
		return -1;
	}
	p = site_db_sup_prop(sup, "SSLWSUS");
	if (!p || p->value3_null) {
		check_error(r, "the SUP role of '%s' has no SSLWSUS property", s->name);
		return -1;
	}
	*ssl = p->value3 != 0;
	p = site_db_sup_prop(sup, *ssl ? "WSUSIISSSLPort" : "WSUSIISPort");
	if (!p || p->value3_null) {
		check_error(r, "the SUP role of '%s' has no %s property", s->name,
			    *ssl ? "WSUSIISSSLPort" : "WSUSIISPort");
		return -1;
	}
	*port = (int)p->value3;
	return 0;
}

void check_cm_ports(struct check_run *r)
{
	const struct model *m = r->m;
	struct arena *a = r->out->arena;
	const char *remedy;
	size_t i, k;

	if (!cm_ready(r))
		return;
	remedy = check_fmt(r, "make the SUP role's ports and SSL (Software Update Point "
			      "properties) match the WSUS web site, then correct the hierarchy "
			      "file or the downstreams" CM_REMEDY_TAIL);
	for (i = 0; i < m->nservers; i++) {
		const struct model_server *s = &m->servers[i];
		int port, ssl;

		if (!s->entry || s->entry->site < 0 || s->planned_new)
			continue;
		if (role_port(r, s, &port, &ssl) < 0)
			continue;
		check_evaluated(r);
		if (port != s->entry->port || ssl != !!s->entry->ssl) {
			struct finding *f = check_add(
			    r, -1, i, NULL, 0,
			    check_fmt(r,
				      "ConfigMgr's SUP role says port %d%s, but the hierarchy file "
				      "says port %d%s",
				      port, ssl ? " with SSL" : " without SSL", s->entry->port,
				      s->entry->ssl ? " with SSL" : " without SSL"),
			    remedy);

			evidence_set_int(a, f->evidence, "configmgr.port", port);
			evidence_set_bool(a, f->evidence, "configmgr.SSLWSUS", ssl);
			evidence_set_int(a, f->evidence, "hierarchy.port", s->entry->port);
			evidence_set_bool(a, f->evidence, "hierarchy.ssl", s->entry->ssl);
		}
		/* the downstreams that reach this server */
		for (k = 0; k < m->nservers; k++) {
			const struct model_server *d = &m->servers[k];
			struct finding *f;

			if (d->upstream != (int)i || !cm_server(r, k) || d->config.sync_to_mu != 0)
				continue;
			if (d->config.upstream_port == port && d->config.upstream_ssl == ssl)
				continue;
			f = check_add(
			    r, -1, k, &i, 1,
			    check_fmt(r,
				      "reaches its upstream '%s' on port %d%s, but "
				      "ConfigMgr's SUP role of '%s' says port %d%s",
				      s->name, d->config.upstream_port,
				      d->config.upstream_ssl == 1 ? " with SSL" : " without SSL",
				      s->name, port, ssl ? " with SSL" : " without SSL"),
			    remedy);
			evidence_set_int(a, f->evidence, "configmgr.port", port);
			evidence_set_bool(a, f->evidence, "configmgr.SSLWSUS", ssl);
			evidence_set_int_or_null(a, f->evidence, "downstream.ServerPortNumber",
						 d->config.upstream_port);
			evidence_set_int_or_null(a, f->evidence, "downstream.UpstreamServerUseSSL",
						 d->config.upstream_ssl);
		}
	}
}
