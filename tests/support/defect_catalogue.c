/* defect_catalogue: the defect fixtures and their expected findings. */
#include "defect_catalogue.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

/* The defects: every check has a -fire and a -quiet variant. `server` is where the finding
 * must be (for -fire) and `severity` its severity. */
const struct defect defects[] = {
    {"server-unreachable-fire.xml.in", "server-unreachable", "p02-sup2.contoso.com", SEVERITY_ERROR,
     "p02-sup1.contoso.com", "status", "failed"},
    {"server-unreachable-quiet.xml.in", "server-unreachable", NULL, 0, NULL, NULL, NULL},
    {"schema-unsupported-fire.sql", "schema-unsupported", "p02-sup2.contoso.com", SEVERITY_ERROR,
     NULL, "affected_checks", NULL},
    {"schema-unsupported-quiet.sql", "schema-unsupported", NULL, 0, NULL, NULL, NULL},
    {"sync-source-fire.sql", "sync-source", "p01-sup1.contoso.com", SEVERITY_ERROR,
     "cas-sup1.contoso.com", "expected_upstream", "cas-sup1.contoso.com"},
    {"sync-source-quiet.sql", "sync-source", NULL, 0, NULL, NULL, NULL},
    {"upstream-server-fire.sql", "upstream-server", "p02-sup2.contoso.com", SEVERITY_ERROR,
     "p02-sup1.contoso.com", "configured_upstream_matches", "p01-sup1.contoso.com"},
    {"upstream-server-quiet.sql", "upstream-server", NULL, 0, NULL, NULL, NULL},
    {"upstream-unknown-fire.sql", "upstream-unknown", "branch-wsus.fabrikam.com", SEVERITY_WARNING,
     NULL, "server.UpstreamServerName", NULL},
    {"upstream-unknown-quiet.sql", "upstream-unknown", NULL, 0, NULL, NULL, NULL},
    {"upstream-port-fire.sql", "upstream-port", "p01-sup2.contoso.com", SEVERITY_ERROR,
     "p01-sup1.contoso.com", "server.ServerPortNumber", NULL},
    {"upstream-port-quiet.sql", "upstream-port", NULL, 0, NULL, NULL, NULL},
    {"upstream-ssl-fire.sql", "upstream-ssl", "p01-web.contoso.com", SEVERITY_ERROR,
     "p01-sup1.contoso.com", "server.UpstreamServerUseSSL", NULL},
    {"upstream-ssl-quiet.sql", "upstream-ssl", NULL, 0, NULL, NULL, NULL},
    {"replica-mode-fire.sql", "replica-mode", "p01-sup2.contoso.com", SEVERITY_ERROR,
     "p01-sup1.contoso.com", "server.ReplicaMode", NULL},
    {"replica-mode-quiet.sql", "replica-mode", NULL, 0, NULL, NULL, NULL},
    {"upstream-cycle-fire.sql", "upstream-cycle", "cas-sup1.contoso.com", SEVERITY_ERROR,
     "p01-sup1.contoso.com", "loop", NULL},
    {"upstream-cycle-quiet.sql", "upstream-cycle", NULL, 0, NULL, NULL, NULL},
    {"version-order-fire.sql", "version-order", "p01-sup1.contoso.com", SEVERITY_WARNING,
     "cas-sup1.contoso.com", "server.version", "10.0.20348.2582"},
    {"version-order-quiet.sql", "version-order", NULL, 0, NULL, NULL, NULL},
    {"storage-option-fire.sql", "storage-option", "branch-wsus.fabrikam.com", SEVERITY_WARNING,
     "hq-wsus.fabrikam.com", "direction", "upstream local, downstream not"},
    {"storage-option-quiet.sql", "storage-option", NULL, 0, NULL, NULL, NULL},
    {"missing-upstream-updates-fire.sql", "missing-upstream-updates", "branch-wsus.fabrikam.com",
     SEVERITY_ERROR, "hq-wsus.fabrikam.com", "upstream", "hq-wsus.fabrikam.com"},
    {"missing-upstream-updates-quiet.sql", "missing-upstream-updates", NULL, 0, NULL, NULL, NULL},
    {"approval-drift-fire.sql", "approval-drift", "p01-sup2.contoso.com", SEVERITY_WARNING,
     "p01-sup1.contoso.com", "missing_at_replica", NULL},
    {"approval-drift-quiet.sql", "approval-drift", NULL, 0, NULL, NULL, NULL},
    {"language-mismatch-fire.sql", "language-mismatch", "branch-wsus.fabrikam.com",
     SEVERITY_WARNING, "hq-wsus.fabrikam.com", "languages_not_enabled_upstream", NULL},
    {"language-mismatch-quiet.sql", "language-mismatch", NULL, 0, NULL, NULL, NULL},
    {"inactive-approvals-fire.sql", "inactive-approvals", "p01-sup1.contoso.com", SEVERITY_WARNING,
     NULL, "approvals", NULL},
    {"inactive-approvals-quiet.sql", "inactive-approvals", NULL, 0, NULL, NULL, NULL},
    {"bits-foreground-fire.sql", "bits-foreground", "hq-wsus.fabrikam.com", SEVERITY_WARNING, NULL,
     "server.BitsDownloadPriorityForeground", NULL},
    {"bits-foreground-quiet.sql", "bits-foreground", NULL, 0, NULL, NULL, NULL},
    {"proxy-credentials-fire.sql", "proxy-credentials", "hq-wsus.fabrikam.com", SEVERITY_ERROR,
     NULL, "server.ProxyPassword_set", NULL},
    {"proxy-credentials-quiet.sql", "proxy-credentials", NULL, 0, NULL, NULL, NULL},
    {"proxy-basic-auth-fire.sql", "proxy-basic-auth", "hq-wsus.fabrikam.com", SEVERITY_WARNING,
     NULL, "server.AllowProxyCredentialsOverNonSsl", NULL},
    {"proxy-basic-auth-quiet.sql", "proxy-basic-auth", NULL, 0, NULL, NULL, NULL},
    {"content-path-fire.sql", "content-path", "p02-sup1.contoso.com", SEVERITY_WARNING, NULL,
     "server.LocalContentCacheLocation", NULL},
    {"content-path-quiet.sql", "content-path", NULL, 0, NULL, NULL, NULL},
    {"last-sync-fire.sql", "last-sync", "p02-sup2.contoso.com", SEVERITY_ERROR, NULL,
     "classification", "authentication-or-proxy"},
    {"last-sync-quiet.sql", "last-sync", NULL, 0, NULL, NULL, NULL},
    /* wid: a server read from an export collected days ago */
    {"stale-data-fire.xml.in", "stale-data", "s01-sup1.contoso.com", SEVERITY_WARNING, NULL,
     "collected_at", "2026-11-25T06:00:01Z"},
    {"stale-data-quiet.xml.in", "stale-data", NULL, 0, NULL, NULL, NULL},
    /* maintenance health (issue 16) */
    {"superseded-not-declined-fire.sql", "superseded-not-declined", "hq-wsus.fabrikam.com",
     SEVERITY_WARNING, NULL, "oldest", NULL},
    {"superseded-not-declined-quiet.sql", "superseded-not-declined", NULL, 0, NULL, NULL, NULL},
    {"custom-indexes-fire.sql", "custom-indexes", "p02-sup1.contoso.com", SEVERITY_WARNING, NULL,
     "missing", NULL},
    {"custom-indexes-quiet.sql", "custom-indexes", NULL, 0, NULL, NULL, NULL},
    {"index-fragmentation-fire.sql", "index-fragmentation", "p01-sup2.contoso.com",
     SEVERITY_WARNING, NULL, "indexes", NULL},
    {"index-fragmentation-quiet.sql", "index-fragmentation", NULL, 0, NULL, NULL, NULL},
    {"database-size-fire.sql", "database-size", "s01-sup1.contoso.com", SEVERITY_WARNING, NULL,
     "event_rows", NULL},
    {"database-size-quiet.sql", "database-size", NULL, 0, NULL, NULL, NULL},
    {"stale-clients-fire.sql", "stale-clients", "hq-wsus.fabrikam.com", SEVERITY_WARNING, NULL,
     "stale", NULL},
    {"stale-clients-cm-fire.sql", "stale-clients", "p01-sup1.contoso.com", SEVERITY_INFO, NULL,
     "configuration_manager", NULL},
    {"stale-clients-quiet.sql", "stale-clients", NULL, 0, NULL, NULL, NULL},
    {"database-state-fire.sql", "database-state", "p02-sup2.contoso.com", SEVERITY_ERROR, NULL,
     "user_access", "SINGLE_USER"},
    {"database-state-owner-fire.sql", "database-state", "p01-web.contoso.com", SEVERITY_WARNING,
     NULL, "owner_sid_set", NULL},
    {"database-state-quiet.sql", "database-state", NULL, 0, NULL, NULL, NULL},
};

const size_t ndefects = sizeof(defects) / sizeof(defects[0]);

void defect_assert_finding(const struct defect *d, const struct finding *f)
{
	const struct evidence *e = evidence_get(f->evidence, d->evidence);
	size_t i;
	int named = 0;

	assert_string_equal(f->server, d->server);
	assert_int_equal(f->severity, d->severity);
	if (!d->related) {
		if (f->nrelated)
			fail_msg("%s: the %s finding names related '%s', none expected", d->file,
				 d->check, f->related[0]);
	} else {
		for (i = 0; i < f->nrelated; i++)
			named |= strcmp(f->related[i], d->related) == 0;
		if (!named)
			fail_msg("%s: the %s finding does not name '%s' as related", d->file,
				 d->check, d->related);
	}
	if (!e)
		fail_msg("%s: the %s finding lacks evidence '%s'", d->file, d->check, d->evidence);
	if (d->evidence_value) {
		if (e->type != EVIDENCE_STRING)
			fail_msg("%s: evidence '%s' is not a string", d->file, d->evidence);
		assert_string_equal(e->string, d->evidence_value);
	}
}
