/* check_content: where update files are stored and how they are downloaded (R6, R9-R11). */
#include "check.h"

#include <ctype.h>
#include <string.h>

/* Files are not arriving: approved updates whose files failed (7, 8), or that still wait for
 * files (4) while the download queue is not empty (Q3: states LIKELY). */
static int files_stuck(const struct model_server *s)
{
	const struct model_aggregates *g = &s->agg;

	return g->approved_state7 > 0 || g->approved_state8 > 0 ||
	       (g->approved_state4 > 0 && g->queue_files > 0);
}

/* What "files are not arriving" rests on (README: inferred facts are said in the evidence). */
static const char download_certainty[] =
    "tbRevision.State 4 = files not yet downloaded, 7 = download failed, 8 = EULA download "
    "failed: LIKELY (open question Q3); tbFileDownloadProgress rows = the download queue: "
    "LIKELY";

static void add_download_evidence(struct check_run *r, struct evidence *o,
				  const struct model_server *s)
{
	struct arena *a = r->out->arena;

	evidence_set_int_or_null(a, o, "server.approved_updates", s->agg.approved_updates);
	evidence_set_int_or_null(a, o, "server.approved_state4_not_ready", s->agg.approved_state4);
	evidence_set_int_or_null(a, o, "server.approved_state7_failed", s->agg.approved_state7);
	evidence_set_int_or_null(a, o, "server.approved_state8_eula_failed",
				 s->agg.approved_state8);
	evidence_set_int_or_null(a, o, "server.download_queue_files", s->agg.queue_files);
	evidence_set_int_or_null(a, o, "server.download_queue_bytes", s->agg.queue_bytes);
	evidence_set_int_or_null(a, o, "server.download_queue_downloaded_bytes",
				 s->agg.queue_downloaded_bytes);
}

void check_storage_option(struct check_run *r)
{
	const struct model *m = r->m;
	struct arena *a = r->out->arena;
	size_t i;

	for (i = 0; i < m->nservers; i++) {
		const struct model_server *s = &m->servers[i], *u;
		int up, stuck, sev;
		struct finding *f;
		size_t rel[1];
		const char *msg, *remedy;

		/* R6/Q7b: a replica's storage follows its upstream; its local value is moot */
		if (model_server_readable(s) && s->config.sync_to_mu == 0 &&
		    s->config.replica_mode == 1) {
			if (check_server_usable(r, i))
				check_evaluated_at(r, i);
			continue;
		}
		up = check_edge_upstream(r, i);
		if (up < 0)
			continue;
		u = &m->servers[up];
		if (s->config.replica_mode < 0 || s->config.host_on_mu < 0 ||
		    u->config.host_on_mu < 0) {
			check_error_at(
			    r,
			    s->config.replica_mode < 0 || s->config.host_on_mu < 0 ? i : (size_t)up,
			    "'%s' or '%s' has no ReplicaMode/HostOnMu value", s->name, u->name);
			continue;
		}
		check_evaluated_at(r, i);
		if (s->config.host_on_mu == u->config.host_on_mu)
			continue;
		rel[0] = (size_t)up;
		stuck = files_stuck(s);
		sev = -1;
		if (s->config.host_on_mu == 0) {
			if (stuck)
				sev = SEVERITY_ERROR;
			msg = check_fmt(
			    r,
			    "stores update files locally while its upstream %s does not "
			    "(HostOnMu 0 here, 1 there): this server downloads the files from "
			    "Microsoft Update itself, which fails where it cannot reach it%s",
			    u->name,
			    stuck ? ", and its approved updates' files are not arriving" : "");
			remedy = check_fmt(
			    r,
			    "R6 (WSUS 3.0+ lets each server choose; WSUS 2.0 requires the same "
			    "option): either let %s reach Microsoft Update (firewall, proxy), or "
			    "store files locally on %s too (WSUS console > Options > Update Files "
			    "and Languages > \"Store update files locally on this server\"), then "
			    "synchronize %s and %s",
			    s->name, u->name, u->name, s->name);
		} else {
			msg = check_fmt(
			    r,
			    "does not store update files (its clients download them from Microsoft "
			    "Update) while its upstream %s stores them locally (HostOnMu 1 here, 0 "
			    "there): its clients need Internet access, and a WSUS 2.0 chain fails",
			    u->name);
			remedy = check_fmt(r,
					   "R6: if %s's clients should get files from the chain, "
					   "open WSUS console "
					   "> Options > Update Files and Languages on %s and "
					   "select \"Store update "
					   "files locally on this server\" (it needs a local "
					   "content folder, R11), "
					   "then synchronize",
					   s->name, s->name);
		}
		f = check_add(r, sev, i, rel, 1, msg, remedy);
		evidence_set_int(a, f->evidence, "server.HostOnMu", s->config.host_on_mu);
		evidence_set_int(a, f->evidence, "upstream.HostOnMu", u->config.host_on_mu);
		evidence_set_int(a, f->evidence, "server.ReplicaMode", s->config.replica_mode);
		evidence_set_int_or_null(a, f->evidence, "server.UssHostOnMu",
					 s->config.uss_host_on_mu);
		add_download_evidence(r, f->evidence, s);
		evidence_set_string(a, f->evidence, "direction",
				    s->config.host_on_mu == 0 ? "downstream local, upstream not"
							      : "upstream local, downstream not");
		if (sev == SEVERITY_ERROR)
			evidence_set_string(a, f->evidence, "certainty", download_certainty);
	}
}

void check_bits_foreground(struct check_run *r)
{
	const struct model *m = r->m;
	struct arena *a = r->out->arena;
	size_t i;

	for (i = 0; i < m->nservers; i++) {
		const struct model_server *s = &m->servers[i];
		const struct model_aggregates *g = &s->agg;
		struct finding *f;
		int arriving;

		if (s->planned_new || !check_server_usable(r, i))
			continue;
		if (s->config.use_proxy < 0 || s->config.bits_foreground < 0) {
			check_error_at(r, i,
				       "'%s' has no UseProxy/BitsDownloadPriorityForeground value",
				       s->name);
			continue;
		}
		check_evaluated_at(r, i);
		/* R9: states 4, 7 and 8 of approved updates, or a non-empty queue */
		arriving = !(g->queue_files > 0 || g->approved_state4 > 0 ||
			     g->approved_state7 > 0 || g->approved_state8 > 0);
		if (s->config.use_proxy != 1 || s->config.bits_foreground != 0 || arriving)
			continue;
		f = check_add(
		    r, -1, i, NULL, 0,
		    check_fmt(r,
			      "downloads go through proxy '%s' and files are not arriving "
			      "(%lld approved updates not ready, %lld failed, %lld files queued) "
			      "while BitsDownloadPriorityForeground is 0",
			      s->config.proxy_name ? s->config.proxy_name : "",
			      g->approved_state4 > 0 ? g->approved_state4 : 0,
			      (g->approved_state7 > 0 ? g->approved_state7 : 0) +
				  (g->approved_state8 > 0 ? g->approved_state8 : 0),
			      g->queue_files > 0 ? g->queue_files : 0),
		    check_fmt(
			r,
			"R9 (a proxy that does not speak HTTP 1.1 stalls background BITS): "
			"on %s 1. net stop WSUSService; 2. susaudit fix bits-foreground "
			"HIERARCHY.xml --server %s (dry run: shows the change), then the same "
			"with --apply (sets tbConfigurationC.BitsDownloadPriorityForeground = "
			"1; --revert undoes it); 3. net start WSUSService; 4. synchronize "
			"(Options > Synchronization Options > Synchronize Now)",
			s->name, s->name));
		evidence_set_int(a, f->evidence, "server.UseProxy", s->config.use_proxy);
		evidence_set_string(a, f->evidence, "server.ProxyName", s->config.proxy_name);
		evidence_set_int_or_null(a, f->evidence, "server.ProxyServerPort",
					 s->config.proxy_port);
		evidence_set_int(a, f->evidence, "server.BitsDownloadPriorityForeground",
				 s->config.bits_foreground);
		add_download_evidence(r, f->evidence, s);
		evidence_set_string(a, f->evidence, "certainty", download_certainty);
	}
}

static int blank(const char *s)
{
	if (!s)
		return 1;
	while (*s && isspace((unsigned char)*s))
		s++;
	return *s == '\0';
}

/* A proxy that takes credentials: in use, and not anonymous (AnonymousProxyAccess, INFERRED). */
static int proxy_authenticates(const struct model_server *s)
{
	return s->config.use_proxy == 1 && s->config.proxy_anonymous == 0;
}

void check_proxy_credentials(struct check_run *r)
{
	const struct model *m = r->m;
	struct arena *a = r->out->arena;
	size_t i;

	for (i = 0; i < m->nservers; i++) {
		const struct model_server *s = &m->servers[i];
		const char *missing[3];
		size_t n = 0;
		struct finding *f;
		const char *what;

		if (s->planned_new || !check_server_usable(r, i))
			continue;
		if (s->config.use_proxy < 0 ||
		    (s->config.use_proxy == 1 && s->config.proxy_anonymous < 0)) {
			check_error_at(r, i, "'%s' has no UseProxy/AnonymousProxyAccess value",
				       s->name);
			continue;
		}
		check_evaluated_at(r, i);
		if (!proxy_authenticates(s))
			continue;
		if (blank(s->config.proxy_user))
			missing[n++] = "user name";
		if (blank(s->config.proxy_domain))
			missing[n++] = "domain";
		if (s->config.proxy_password_set != 1)
			missing[n++] = "password";
		if (!n)
			continue;
		what = n == 1	? missing[0]
		       : n == 2 ? check_fmt(r, "%s and %s", missing[0], missing[1])
				: check_fmt(r, "%s, %s and %s", missing[0], missing[1], missing[2]);
		f = check_add(
		    r, -1, i, NULL, 0,
		    check_fmt(r, "proxy '%s' is used with credentials but the %s %s not set",
			      s->config.proxy_name ? s->config.proxy_name : "", what,
			      n == 1 ? "is" : "are"),
		    check_fmt(r,
			      "R10: on %s open WSUS console > Options > Update Source and "
			      "Proxy Server > Proxy Server, select \"Use user credentials to "
			      "connect to the proxy server\" and enter the user name, domain "
			      "and password (in Configuration Manager: the software update "
			      "point's proxy account), then synchronize",
			      s->name));
		evidence_set_int(a, f->evidence, "server.UseProxy", s->config.use_proxy);
		evidence_set_string(a, f->evidence, "server.ProxyName", s->config.proxy_name);
		evidence_set_int(a, f->evidence, "server.AnonymousProxyAccess",
				 s->config.proxy_anonymous);
		evidence_set_string(a, f->evidence, "server.ProxyUserName", s->config.proxy_user);
		evidence_set_string(a, f->evidence, "server.ProxyUserDomain",
				    s->config.proxy_domain);
		evidence_set_bool(a, f->evidence, "server.ProxyPassword_set",
				  s->config.proxy_password_set == 1);
		evidence_set_string(a, f->evidence, "certainty",
				    "AnonymousProxyAccess = 0 read as \"credentials are used\": "
				    "mapping INFERRED");
	}
}

void check_proxy_basic_auth(struct check_run *r)
{
	const struct model *m = r->m;
	struct arena *a = r->out->arena;
	size_t i;

	for (i = 0; i < m->nservers; i++) {
		const struct model_server *s = &m->servers[i];
		struct finding *f;

		if (s->planned_new || !check_server_usable(r, i))
			continue;
		if (s->config.use_proxy < 0) {
			check_error_at(r, i, "'%s' has no UseProxy value", s->name);
			continue;
		}
		check_evaluated_at(r, i);
		if (!proxy_authenticates(s) || s->config.proxy_credentials_non_ssl != 1)
			continue;
		f = check_add(r, -1, i, NULL, 0,
			      check_fmt(r,
					"proxy '%s' allows basic authentication: the password of "
					"'%s' may cross the network in clear text",
					s->config.proxy_name ? s->config.proxy_name : "",
					s->config.proxy_user ? s->config.proxy_user : ""),
			      check_fmt(r,
					"R10 (WSUS synchronization troubleshooting, Cc708426): on "
					"%s open WSUS console > Options "
					"> Update Source and Proxy Server > Proxy Server and clear "
					"\"Allow basic authentication (password is sent in "
					"cleartext)\", unless the proxy accepts nothing else",
					s->name));
		evidence_set_int(a, f->evidence, "server.UseProxy", s->config.use_proxy);
		evidence_set_string(a, f->evidence, "server.ProxyName", s->config.proxy_name);
		evidence_set_int(a, f->evidence, "server.AllowProxyCredentialsOverNonSsl",
				 s->config.proxy_credentials_non_ssl);
		evidence_set_string(a, f->evidence, "server.ProxyUserName", s->config.proxy_user);
		evidence_set_string(
		    a, f->evidence, "certainty",
		    "AllowProxyCredentialsOverNonSsl read as \"allow basic "
		    "authentication\" and AnonymousProxyAccess = 0 as \"credentials "
		    "are used\": mappings INFERRED");
	}
}

/* `X:\...`: a drive letter and a backslash; UNC and relative paths are not local. */
static int local_absolute(const char *p)
{
	return p && isalpha((unsigned char)p[0]) && p[1] == ':' && (p[2] == '\\' || p[2] == '/');
}

void check_content_path(struct check_run *r)
{
	const struct model *m = r->m;
	struct arena *a = r->out->arena;
	size_t i;

	for (i = 0; i < m->nservers; i++) {
		const struct model_server *s = &m->servers[i];
		const char *p = s->config.content_path;
		struct finding *f;
		const char *why;

		if (s->planned_new || !check_server_usable(r, i))
			continue;
		if (s->config.host_on_mu < 0) {
			check_error_at(r, i, "'%s' has no HostOnMu value", s->name);
			continue;
		}
		check_evaluated_at(r, i);
		if (s->config.host_on_mu != 0 || (!blank(p) && local_absolute(p)))
			continue;
		why = blank(p) ? "is not set"
		      : (p[0] == '\\' && p[1] == '\\')
			  ? check_fmt(r, "'%s' is a UNC path", p)
			  : check_fmt(r, "'%s' is not an absolute local path", p);
		f = check_add(
		    r, -1, i, NULL, 0,
		    check_fmt(r, "stores update files locally but the content folder %s", why),
		    check_fmt(r,
			      "R11: on %s run \"%%ProgramFiles%%\\Update Services\\Tools\\"
			      "wsusutil.exe movecontent D:\\WSUS movecontent.log\" (a local "
			      "drive), grant Network Service and Users read access to the "
			      "folder, then synchronize",
			      s->name));
		evidence_set_int(a, f->evidence, "server.HostOnMu", s->config.host_on_mu);
		evidence_set_string(a, f->evidence, "server.LocalContentCacheLocation", p);
	}
}
