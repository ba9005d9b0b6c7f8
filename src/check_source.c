/* check_source: where each server synchronizes from (R1-R5), loops, and version order. */
#include "check.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xalloc.h"

static const char console_source[] =
    "WSUS console > Options > Update Source and Proxy Server > Update Source";

static const char wcm_note[] =
    "In Configuration Manager the WSUS Configuration Manager (WCM) rewrites these settings "
    "about once an hour from the software update point's properties: fix them there and check "
    "WCM.log, or the change is reverted";

static int is_cm(const struct model_server *s)
{
	return s->entry && s->entry->role != ROLE_STANDALONE;
}

/* "p01-sup1.contoso.com port 8530 without SSL" for remedies. */
static const char *upstream_spec(struct check_run *r, size_t s)
{
	const struct server *e = r->m->servers[s].entry;

	if (e->expected_upstream >= 0) {
		const struct server *u = r->m->servers[e->expected_upstream].entry;

		return check_fmt(r, "server name %s, port %d, SSL %s", u->name, u->port,
				 u->ssl ? "on" : "off");
	}
	if (e->expected_upstream == EXPECT_EXTERNAL)
		return check_fmt(r, "server name %s, port %d, SSL %s", e->external_upstream,
				 e->external_upstream_port,
				 e->external_upstream_ssl ? "on" : "off");
	return "Microsoft Update";
}

static int names_equal(const char *a, const char *b)
{
	size_t na, nb;

	if (!a || !b)
		return 0;
	na = strlen(a);
	nb = strlen(b);
	if (na && a[na - 1] == '.')
		na--;
	if (nb && b[nb - 1] == '.')
		nb--;
	return na == nb && strncasecmp(a, b, na) == 0;
}

/* The top site's R1 exception: how the server names the external WSUS of the file (its
 * name, or its NetBIOS name: the right server by another convention), or NONE. */
static enum model_name_match external_match(const struct model_server *s)
{
	if (!s->entry || s->entry->expected_upstream != EXPECT_EXTERNAL || !s->config.upstream_name)
		return MODEL_MATCH_NONE;
	if (names_equal(s->config.upstream_name, s->entry->external_upstream))
		return MODEL_MATCH_EXACT;
	if (model_name_is_netbios_of(s->entry->external_upstream, s->config.upstream_name))
		return MODEL_MATCH_NETBIOS;
	return MODEL_MATCH_NONE;
}

static int is_external_upstream(const struct model_server *s)
{
	return external_match(s) != MODEL_MATCH_NONE;
}

void check_sync_source(struct check_run *r)
{
	const struct model *m = r->m;
	struct arena *a = r->out->arena;
	size_t i;

	for (i = 0; i < m->nservers; i++) {
		const struct model_server *s = &m->servers[i];
		int expected, want_mu;
		struct finding *f;
		size_t rel[1], nrel = 0;
		const char *msg;

		if (!is_cm(s) || s->entry->expected_upstream == EXPECT_UNDETERMINED ||
		    !check_server_usable(r, i))
			continue;
		if (s->config.sync_to_mu < 0) {
			check_error(r, "'%s' has no SyncToMU value", s->name);
			continue;
		}
		check_evaluated(r);
		expected = s->entry->expected_upstream;
		want_mu = expected == EXPECT_MICROSOFT_UPDATE;
		if (s->config.sync_to_mu == want_mu)
			continue;
		if (expected >= 0)
			rel[nrel++] = (size_t)expected;
		if (want_mu)
			msg = check_fmt(r,
					"syncs from upstream WSUS '%s'; as %s it must sync from "
					"Microsoft Update",
					s->config.upstream_name ? s->config.upstream_name : "",
					check_role_phrase(r, i));
		else
			msg =
			    check_fmt(r, "syncs from Microsoft Update; as %s it must sync from %s",
				      check_role_phrase(r, i), check_expected_upstream_name(r, i));
		f = check_add(
		    r, -1, i, rel, nrel, msg,
		    check_fmt(r, "%s (%s): on %s open %s and select %s (%s). %s.",
			      want_mu ? "R1" : "R2", "KB 4505439", s->name, console_source,
			      want_mu ? "\"Synchronize from Microsoft Update\""
				      : "\"Synchronize from another Windows Server Update "
					"Services server\"",
			      upstream_spec(r, i), wcm_note));
		evidence_set_int_or_null(a, f->evidence, "server.SyncToMU", s->config.sync_to_mu);
		evidence_set_int(a, f->evidence, "expected.SyncToMU", want_mu);
		evidence_set_string(a, f->evidence, "server.UpstreamServerName",
				    s->config.upstream_name);
		evidence_set_string(a, f->evidence, "role", model_role_name(s->entry->role));
		evidence_set_string(a, f->evidence, "expected_upstream",
				    check_expected_upstream_name(r, i));
	}
}

static void add_upstream_evidence(struct check_run *r, struct finding *f, size_t i)
{
	const struct model_server *s = &r->m->servers[i];
	struct arena *a = r->out->arena;

	evidence_set_string(a, f->evidence, "server.UpstreamServerName", s->config.upstream_name);
	evidence_set_int_or_null(a, f->evidence, "server.ServerPortNumber",
				 s->config.upstream_port);
	evidence_set_int_or_null(a, f->evidence, "server.UpstreamServerUseSSL",
				 s->config.upstream_ssl);
	evidence_set_string(a, f->evidence, "role", model_role_name(s->entry->role));
	evidence_set_string(a, f->evidence, "expected_upstream",
			    check_expected_upstream_name(r, i));
}

void check_upstream_server(struct check_run *r)
{
	const struct model *m = r->m;
	struct arena *a = r->out->arena;
	size_t i;

	for (i = 0; i < m->nservers; i++) {
		const struct model_server *s = &m->servers[i];
		int expected;
		struct finding *f;
		size_t rel[2], nrel = 0;

		if (!is_cm(s) || !check_server_usable(r, i) || s->config.sync_to_mu != 0)
			continue;
		expected = s->entry->expected_upstream;
		if (expected == EXPECT_EXTERNAL) {
			enum model_name_match how = external_match(s);

			check_evaluated(r);
			if (how == MODEL_MATCH_EXACT)
				continue;
			if (how != MODEL_MATCH_NONE) {
				f = check_add(
				    r, SEVERITY_WARNING, i, NULL, 0,
				    check_fmt(r,
					      "names its upstream '%s' (%s of the existing WSUS "
					      "server %s) instead of its FQDN; it works only while "
					      "that name resolves the same way from this server",
					      s->config.upstream_name, model_name_match_name(how),
					      s->entry->external_upstream),
				    check_fmt(r,
					      "R1/R3/R5: on %s open %s and set the server name to "
					      "%s, the FQDN named in the hierarchy file; check it "
					      "resolves from %s (ping %s). %s.",
					      s->name, console_source, s->entry->external_upstream,
					      s->name, s->entry->external_upstream, wcm_note));
				add_upstream_evidence(r, f, i);
				evidence_set_string(a, f->evidence, "naming_convention",
						    model_name_match_name(how));
				continue;
			}
			f = check_add(
			    r, -1, i, NULL, 0,
			    check_fmt(r,
				      "syncs from '%s'; as %s it must sync from the existing "
				      "WSUS server '%s' named in the hierarchy file",
				      s->config.upstream_name ? s->config.upstream_name : "",
				      check_role_phrase(r, i), s->entry->external_upstream),
			    check_fmt(r, "R1/R3: on %s open %s and set %s. %s.", s->name,
				      console_source, upstream_spec(r, i), wcm_note));
			add_upstream_evidence(r, f, i);
			continue;
		}
		if (expected < 0)
			continue;
		check_evaluated(r);
		if (s->upstream < 0)
			continue; /* upstream-unknown reports names that match no server */
		if (s->upstream != expected) {
			rel[nrel++] = (size_t)expected;
			rel[nrel++] = (size_t)s->upstream;
			f = check_add(
			    r, -1, i, rel, nrel,
			    check_fmt(r, "syncs from %s%s; as %s it must sync from %s",
				      m->servers[s->upstream].name,
				      s->upstream_match == MODEL_MATCH_EXACT
					  ? ""
					  : check_fmt(r, " (named '%s')", s->config.upstream_name),
				      check_role_phrase(r, i), m->servers[expected].name),
			    check_fmt(r,
				      "R2/R3 (KB 4505439): on %s open %s and set %s; a different "
				      "upstream has a different catalogue and approvals (R7, R8). "
				      "%s.",
				      s->name, console_source, upstream_spec(r, i), wcm_note));
			add_upstream_evidence(r, f, i);
			evidence_set_string(a, f->evidence, "configured_upstream_matches",
					    m->servers[s->upstream].name);
			continue;
		}
		if (s->upstream_match == MODEL_MATCH_EXACT)
			continue;
		rel[nrel++] = (size_t)expected;
		f = check_add(
		    r, SEVERITY_WARNING, i, rel, nrel,
		    check_fmt(r,
			      "names its upstream '%s' (%s of %s) instead of its FQDN; it works "
			      "only while that name resolves the same way from this server",
			      s->config.upstream_name, model_name_match_name(s->upstream_match),
			      m->servers[expected].name),
		    check_fmt(r,
			      "R3/R5: on %s open %s and set the server name to %s, the FQDN the "
			      "upstream is known by; check it resolves from %s (ping %s). %s.",
			      s->name, console_source, m->servers[expected].name, s->name,
			      m->servers[expected].name, wcm_note));
		add_upstream_evidence(r, f, i);
		evidence_set_string(a, f->evidence, "naming_convention",
				    model_name_match_name(s->upstream_match));
	}
}

void check_upstream_unknown(struct check_run *r)
{
	const struct model *m = r->m;
	size_t i;

	for (i = 0; i < m->nservers; i++) {
		const struct model_server *s = &m->servers[i];
		const char *expected;
		struct finding *f;
		size_t rel[1], nrel = 0;

		if (!check_server_usable(r, i) || s->config.sync_to_mu != 0)
			continue;
		check_evaluated(r);
		if (s->upstream >= 0 || is_external_upstream(s))
			continue;
		expected = check_expected_upstream_name(r, i);
		if (s->entry && s->entry->expected_upstream >= 0)
			rel[nrel++] = (size_t)s->entry->expected_upstream;
		if (!s->config.upstream_name || !*s->config.upstream_name)
			f = check_add(
			    r, -1, i, rel, nrel,
			    "syncs from an upstream WSUS server but no upstream name is set",
			    check_fmt(r, "R5: on %s open %s and set the upstream server%s%s.",
				      s->name, console_source, expected ? " to " : "",
				      expected ? expected : ""));
		else
			f = check_add(
			    r, -1, i, rel, nrel,
			    check_fmt(r,
				      "syncs from '%s', which matches no server of the hierarchy "
				      "(by name, alias, NetBIOS name or IP)%s%s",
				      s->config.upstream_name,
				      expected && s->entry->expected_upstream >= 0
					  ? "; its role requires "
					  : "",
				      expected && s->entry->expected_upstream >= 0 ? expected : ""),
			    check_fmt(
				r,
				"R5: if '%s' is another name of a server in the hierarchy, add "
				"it to that server's aliases in the hierarchy file; otherwise on "
				"%s open %s and name the upstream by its FQDN%s%s, and check it "
				"resolves from %s with the same naming convention (ping).",
				s->config.upstream_name, s->name, console_source,
				expected ? " (" : "", expected ? check_fmt(r, "%s)", expected) : "",
				s->name));
		add_upstream_evidence(r, f, i);
	}
}

void check_upstream_port(struct check_run *r)
{
	const struct model *m = r->m;
	struct arena *a = r->out->arena;
	size_t i;

	for (i = 0; i < m->nservers; i++) {
		const struct model_server *s = &m->servers[i];
		int want, ssl_want, external;
		const char *uname;
		struct finding *f;
		size_t rel[1], nrel = 0;
		int sev = -1;
		const char *note = "";

		if (!check_server_usable(r, i) || s->config.sync_to_mu != 0)
			continue;
		external = is_external_upstream(s);
		if (s->upstream < 0 && !external)
			continue;
		if (s->config.upstream_port < 0) {
			const char *bad =
			    model_server_invalid(s, "tbConfigurationA", "ServerPortNumber");

			if (bad)
				check_error(r, "'%s': %s", s->name, bad);
			else
				check_error(r, "'%s' has no ServerPortNumber value", s->name);
			continue;
		}
		check_evaluated(r);
		if (external) {
			want = s->entry->external_upstream_port;
			ssl_want = s->entry->external_upstream_ssl;
			uname = s->entry->external_upstream;
		} else {
			const struct server *u = m->servers[s->upstream].entry;

			want = u->port;
			ssl_want = u->ssl;
			uname = u->name;
			rel[nrel++] = (size_t)s->upstream;
		}
		if (want <= 0 || s->config.upstream_port == want)
			continue;
		/* Q1: with SSL on it is UNKNOWN whether the column holds the HTTPS port or the
		 * HTTP port from which WSUS derives it (8530 -> 8531, 80 -> 443) */
		if (s->config.upstream_ssl == 1 && ssl_want &&
		    ((s->config.upstream_port == 8530 && want == 8531) ||
		     (s->config.upstream_port == 80 && want == 443))) {
			sev = SEVERITY_WARNING;
			note = "; with SSL on, whether ServerPortNumber holds the HTTPS port "
			       "itself is "
			       "UNKNOWN, so this may be the HTTP port WSUS derives it from";
		}
		f = check_add(
		    r, sev, i, rel, nrel,
		    check_fmt(r,
			      "upstream port is %d but %s's WSUS web site uses %d "
			      "(ServerPortNumber read as the upstream port: LIKELY)%s",
			      s->config.upstream_port, uname, want, note),
		    check_fmt(r,
			      "R3 (KB 4505439, \"determine the port settings\"): check the port in "
			      "IIS on %s (WSUS Administration site bindings), then on %s open %s "
			      "and set the port to %d. %s.",
			      uname, s->name, console_source, want, wcm_note));
		evidence_set_int(a, f->evidence, "server.ServerPortNumber",
				 s->config.upstream_port);
		evidence_set_int(a, f->evidence, "upstream.port", want);
		evidence_set_int_or_null(a, f->evidence, "server.UpstreamServerUseSSL",
					 s->config.upstream_ssl);
		evidence_set_bool(a, f->evidence, "upstream.ssl", ssl_want);
		evidence_set_string(a, f->evidence, "upstream.port_source", "hierarchy file");
		evidence_set_string(
		    a, f->evidence, "certainty",
		    "ServerPortNumber as the upstream port is LIKELY (open question "
		    "Q1); with UpstreamServerUseSSL = 1 whether it holds the HTTPS "
		    "port is UNKNOWN");
	}
}

void check_upstream_ssl(struct check_run *r)
{
	const struct model *m = r->m;
	struct arena *a = r->out->arena;
	size_t i;

	for (i = 0; i < m->nservers; i++) {
		const struct model_server *s = &m->servers[i];
		int want, external;
		const char *uname;
		struct finding *f;
		size_t rel[1], nrel = 0;

		if (!check_server_usable(r, i) || s->config.sync_to_mu != 0)
			continue;
		external = is_external_upstream(s);
		if (s->upstream < 0 && !external)
			continue;
		if (s->config.upstream_ssl < 0) {
			check_error(r, "'%s' has no UpstreamServerUseSSL value", s->name);
			continue;
		}
		check_evaluated(r);
		if (external) {
			want = s->entry->external_upstream_ssl;
			uname = s->entry->external_upstream;
		} else {
			want = m->servers[s->upstream].entry->ssl;
			uname = m->servers[s->upstream].name;
			rel[nrel++] = (size_t)s->upstream;
		}
		if ((s->config.upstream_ssl != 0) == (want != 0))
			continue;
		f = check_add(
		    r, -1, i, rel, nrel,
		    want ? check_fmt(r,
				     "SSL to the upstream is off but %s's WSUS web site uses "
				     "HTTPS",
				     uname)
			 : check_fmt(r,
				     "SSL to the upstream is on but %s's WSUS web site does "
				     "not use HTTPS",
				     uname),
		    check_fmt(r,
			      "R3 (KB 4505439, \"verify the SSL configuration\"): on %s open %s "
			      "and %s \"Use SSL when synchronizing update information\"; the port "
			      "must then be the upstream's %s port. %s.",
			      s->name, console_source, want ? "select" : "clear",
			      want ? "HTTPS" : "HTTP", wcm_note));
		evidence_set_int(a, f->evidence, "server.UpstreamServerUseSSL",
				 s->config.upstream_ssl);
		evidence_set_bool(a, f->evidence, "upstream.ssl", want);
		evidence_set_int_or_null(a, f->evidence, "server.ServerPortNumber",
					 s->config.upstream_port);
		evidence_set_string(a, f->evidence, "upstream.ssl_source", "hierarchy file");
		evidence_set_string(
		    a, f->evidence, "certainty",
		    "whether ServerPortNumber holds the HTTPS port when SSL is on is "
		    "UNKNOWN (open question Q1)");
	}
}

void check_replica_mode(struct check_run *r)
{
	const struct model *m = r->m;
	struct arena *a = r->out->arena;
	size_t i;

	for (i = 0; i < m->nservers; i++) {
		const struct model_server *s = &m->servers[i];
		int want;
		struct finding *f;
		size_t rel[1], nrel = 0;

		if (!is_cm(s) || s->entry->expected_replica < 0 || !check_server_usable(r, i))
			continue;
		if (s->config.replica_mode < 0) {
			check_error(r, "'%s' has no ReplicaMode value", s->name);
			continue;
		}
		check_evaluated(r);
		want = s->entry->expected_replica;
		if ((s->config.replica_mode != 0) == (want != 0))
			continue;
		if (s->entry->expected_upstream >= 0)
			rel[nrel++] = (size_t)s->entry->expected_upstream;
		f = check_add(
		    r, -1, i, rel, nrel,
		    want ? check_fmt(r, "replica mode is off; as %s it must be a replica of %s",
				     check_role_phrase(r, i), check_expected_upstream_name(r, i))
			 : check_fmt(r, "replica mode is on; as %s it must be autonomous",
				     check_role_phrase(r, i)),
		    check_fmt(r,
			      "R4 (KB 4505439): on %s open %s and %s \"This server is a replica "
			      "of the upstream server\". %s.",
			      s->name, console_source, want ? "select" : "clear", wcm_note));
		evidence_set_int(a, f->evidence, "server.ReplicaMode", s->config.replica_mode);
		evidence_set_int(a, f->evidence, "expected.ReplicaMode", want);
		evidence_set_string(a, f->evidence, "role", model_role_name(s->entry->role));
	}
}

void check_upstream_cycle(struct check_run *r)
{
	const struct model *m = r->m;
	struct arena *a = r->out->arena;
	size_t n = m->nservers, i;
	/* 0 unvisited, 1 on the current walk, 2 finished */
	unsigned char *state = xcalloc(n ? n : 1, 1);
	size_t *path = xcalloc(n ? n : 1, sizeof(*path));

	for (i = 0; i < n; i++) {
		size_t len = 0, cur = i, k, start, low;
		int next;

		if (state[i] || !check_server_usable(r, i))
			continue;
		check_evaluated(r);
		for (;;) {
			state[cur] = 1;
			path[len++] = cur;
			next = m->servers[cur].upstream;
			if (next < 0 || !check_server_usable(r, (size_t)next))
				break;
			if (state[next] == 2)
				break;
			if (state[next] == 1) {
				struct finding *f;
				struct evidence *chain;
				size_t rel[8], nrel = 0;
				const char *text;

				for (start = 0; path[start] != (size_t)next; start++)
					;
				low = path[start];
				for (k = start; k < len; k++)
					if (path[k] < low)
						low = path[k];
				/* the loop as text, starting at its lowest-indexed server */
				{
					size_t at = start, cyc = len - start;

					while (path[at] != low)
						at++;
					text = m->servers[low].name;
					for (k = 1; k <= cyc; k++) {
						size_t p = path[start + (at - start + k) % cyc];

						text = check_fmt(r, "%s -> %s", text,
								 m->servers[p].name);
						if (p != low && nrel < 8)
							rel[nrel++] = p;
					}
				}
				f = check_add(
				    r, -1, low, rel, nrel,
				    len - start == 1
					? "syncs from itself"
					: check_fmt(r, "following configured upstreams loops: %s",
						    text),
				    check_fmt(r,
					      "Break the loop: on the server that should be "
					      "upstream-most, open %s and set the source its role "
					      "requires (R1/R2); then synchronize down the chain.",
					      console_source));
				chain = evidence_set(a, f->evidence, "loop", evidence_list(a));
				for (k = start; k < len; k++) {
					struct evidence *o =
					    evidence_append(a, chain, evidence_object(a));

					evidence_set_string(a, o, "server",
							    m->servers[path[k]].name);
					evidence_set_string(
					    a, o, "UpstreamServerName",
					    m->servers[path[k]].config.upstream_name);
				}
				break;
			}
			cur = (size_t)next;
		}
		for (k = 0; k < len; k++)
			state[path[k]] = 2;
	}
	free(state);
	free(path);
}

void check_version_order(struct check_run *r)
{
	const struct model *m = r->m;
	struct arena *a = r->out->arena;
	size_t i;

	for (i = 0; i < m->nservers; i++) {
		const struct model_server *s = &m->servers[i], *u;
		struct finding *f;
		size_t rel[1];

		if (!model_server_readable(s) || s->config.sync_to_mu != 0 || s->upstream < 0 ||
		    (size_t)s->upstream == i)
			continue;
		u = &m->servers[s->upstream];
		if (!s->wsus_version || !u->wsus_version) {
			/* not known: nothing to compare; but when the upstream, whose
			 * tbDownstreamServerTarget reports the downstream's version, could not
			 * be read, the edge is not evaluated and the check must say so */
			if (!model_server_readable(u))
				check_error(
				    r,
				    "the WSUS version of '%s' is not known: its upstream '%s' "
				    "could not be read",
				    s->name, u->name);
			continue;
		}
		check_evaluated(r);
		if (model_version_compare(s->wsus_version, u->wsus_version) <= 0)
			continue;
		rel[0] = (size_t)s->upstream;
		f = check_add(
		    r, -1, i, rel, 1,
		    check_fmt(r,
			      "runs WSUS %s, newer than its upstream %s (%s); a downstream "
			      "must run the same or an older version",
			      s->wsus_version, u->name, u->wsus_version),
		    check_fmt(r,
			      "Microsoft requires a downstream to run the same or an older "
			      "WSUS version than its upstream: upgrade %s (and the servers "
			      "above it) to %s or later first, upgrading a hierarchy from the "
			      "top down; until then hold %s at %s.",
			      u->name, s->wsus_version, s->name, u->wsus_version));
		evidence_set_string(a, f->evidence, "server.version", s->wsus_version);
		evidence_set_string(a, f->evidence, "server.version_source",
				    s->wsus_version_source);
		evidence_set_string(a, f->evidence, "upstream.version", u->wsus_version);
		evidence_set_string(a, f->evidence, "upstream.version_source",
				    u->wsus_version_source);
		evidence_set_string(
		    a, f->evidence, "certainty",
		    "a downstream's row in its upstream's tbDownstreamServerTarget is "
		    "matched by AccountServerID = its ServerID (INFERRED) or by name");
	}
}
