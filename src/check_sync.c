/* check_sync: the last synchronization's outcome, classified by seed 000's failure signatures. */
#include "check.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

enum sync_class {
	SYNC_AUTH_PROXY,    /* 401/403/407/502, actively refused, transport stream closed */
	SYNC_WEB_SERVICE,   /* 500/503 */
	SYNC_MU_CONNECTION, /* timeouts, 0x80072EFE */
	SYNC_EULA,	    /* EULA files that will not download */
	SYNC_UNCLASSIFIED
};

static const char *const class_names[] = {"authentication-or-proxy", "wsus-web-service",
					  "microsoft-update-connection", "eula-download",
					  "unclassified"};

static const char *contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; hay && *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return hay;
	return NULL;
}

/* An HTTP status as a number of its own (not part of a longer number or hex code). */
static int has_status(const char *text, const char *code)
{
	const char *p = text;

	while (p && (p = strstr(p, code)) != NULL) {
		int before = p > text && (isalnum((unsigned char)p[-1]));
		int after = isalnum((unsigned char)p[3]);

		if (!before && !after)
			return 1;
		p += 3;
	}
	return 0;
}

/* Seed 000's signatures in its Japanese wording (UTF-8): WSUS records the exception text in
 * the server's language. */
static const char ja_refused[] = "\xe6\x8b\x92\xe5\x90\xa6"; /* 拒否 */
static const char ja_transport_stream[] =
    "\xe3\x83\x88\xe3\x83\xa9\xe3\x83\xb3\xe3\x82\xb9\xe3\x83\x9d\xe3\x83\xbc\xe3\x83\x88 "
    "\xe3\x82\xb9\xe3\x83\x88\xe3\x83\xaa\xe3\x83\xbc\xe3\x83\xa0"; /* トランスポート ストリーム */
static const char ja_timeout[] =
    "\xe3\x82\xbf\xe3\x82\xa4\xe3\x83\xa0\xe3\x82\xa2\xe3\x82\xa6\xe3\x83\x88"; /* タイムアウト */
static const char ja_no_response[] =
    "\xe6\xad\xa3\xe3\x81\x97\xe3\x81\x8f\xe5\xbf\x9c\xe7\xad\x94\xe3\x81\x97\xe3\x81\xaa"
    "\xe3\x81\x8b\xe3\x81\xa3\xe3\x81\x9f"; /* 正しく応答しなかった */
static const char ja_terminated[] =
    "\xe7\x95\xb0\xe5\xb8\xb8\xe7\xb5\x82\xe4\xba\x86"; /* 異常終了 */

static enum sync_class classify(const char *text, long long hresult)
{
	unsigned long long hr = (unsigned long long)hresult & 0xffffffffULL;

	if (has_status(text, "401") || has_status(text, "403") || has_status(text, "407") ||
	    has_status(text, "502") || contains_ci(text, "actively refused") ||
	    contains_ci(text, "connection refused") || contains_ci(text, "transport stream") ||
	    contains_ci(text, "underlying connection was closed") ||
	    contains_ci(text, "proxy authentication") || contains_ci(text, ja_refused) ||
	    contains_ci(text, ja_transport_stream))
		return SYNC_AUTH_PROXY;
	if (has_status(text, "500") || has_status(text, "503"))
		return SYNC_WEB_SERVICE;
	/* 0x80072EFE's own text is "the connection with the server was terminated abnormally" */
	if (hr == 0x80072EFEULL || hr == 0x80072EE2ULL || contains_ci(text, "80072EFE") ||
	    contains_ci(text, "terminated abnormally") || contains_ci(text, "timed out") ||
	    contains_ci(text, "timeout") || contains_ci(text, "did not properly respond") ||
	    contains_ci(text, ja_timeout) || contains_ci(text, ja_no_response) ||
	    contains_ci(text, ja_terminated))
		return SYNC_MU_CONNECTION;
	if (contains_ci(text, "eula") || contains_ci(text, "license agreement"))
		return SYNC_EULA;
	return SYNC_UNCLASSIFIED;
}

static const char *class_remedy(struct check_run *r, enum sync_class c,
				const struct model_server *s)
{
	const char *name = s->name;

	switch (c) {
	case SYNC_AUTH_PROXY:
		return check_fmt(
		    r,
		    "Authentication or proxy failure (seed 000): on %s 1. check Update Services "
		    "(WSUSService) runs; 2. check the WSUS Administration web site runs in IIS; 3. "
		    "check the upstream's FQDN and port (R3) resolve and connect from here; 4. "
		    "check the proxy and its account (Options > Update Source and Proxy Server, "
		    "R10); 5. check permissions of the ApiRemoting30 virtual directory in IIS; 6. "
		    "for SSL, check the certificate and bindings; 7. read WCM.log, WsyncMgr.log "
		    "and WSUSCtrl.log; then synchronize",
		    name);
	case SYNC_WEB_SERVICE:
		return check_fmt(r,
				 "WSUS web service failure (seed 000): on %s (and its upstream) "
				 "check that Update Services (WSUSService) runs, that the IIS "
				 "application pool WsusPool is started (raise its private memory "
				 "limit if it keeps stopping), that the WSUS Administration site "
				 "runs on the configured port; run wsusutil checkhealth and read "
				 "WSUSCtrl.log; then synchronize",
				 name);
	case SYNC_MU_CONNECTION:
		/* a downstream's source is its upstream WSUS, not Microsoft Update */
		if (s->config.sync_to_mu == 0 && s->config.upstream_name &&
		    *s->config.upstream_name)
			return check_fmt(
			    r,
			    "Connection to the update source failed (seed 000: timeouts and "
			    "0x80072EFE; %s syncs from the upstream WSUS server %s, not from "
			    "Microsoft Update): check that %s runs (WSUSService, the WSUS "
			    "Administration web site), that %s resolves and reaches it on port "
			    "%d through the firewall and the proxy settings (Options > Update "
			    "Source and Proxy Server); then synchronize",
			    name, s->config.upstream_name, s->config.upstream_name, name,
			    s->config.upstream_port);
		return check_fmt(r,
				 "Connection to Microsoft Update failed (seed 000): check that %s "
				 "can reach the Internet, that the firewall allows the Microsoft "
				 "Update URLs, and the proxy settings (Options > Update Source and "
				 "Proxy Server); then synchronize",
				 name);
	case SYNC_EULA:
		return check_fmt(
		    r,
		    "EULA download failure (seed 000): read SoftwareDistribution.log "
		    "on %s for the .txt EULA files, check the firewall and proxy, then "
		    "run \"%%ProgramFiles%%\\Update Services\\Tools\\wsusutil.exe "
		    "reset\" so WSUS downloads the missing content again",
		    name);
	case SYNC_UNCLASSIFIED:
		break;
	}
	return check_fmt(r,
			 "Read the error in the WSUS console (Synchronizations) and "
			 "SoftwareDistribution.log on %s, run wsusutil checkhealth, fix the cause, "
			 "then synchronize (Options > Synchronization Options > Synchronize Now)",
			 name);
}

static int is_end(int id)
{
	return id == 384 || id == 386 || id == 387;
}

/* The first line of a message, bounded, for the one-line finding message. */
static const char *first_line(struct check_run *r, const char *s)
{
	size_t n = 0;

	if (!s)
		return "";
	while (s[n] && s[n] != '\n' && s[n] != '\r' && n < 200)
		n++;
	return arena_strndup(r->out->arena, s, n);
}

static void event_evidence(struct check_run *r, struct evidence *o, const char *key,
			   const struct model_sync_event *e)
{
	struct arena *a = r->out->arena;
	struct evidence *x = evidence_set(a, o, key, evidence_object(a));

	evidence_set_int(a, x, "event_id", e->event_id);
	evidence_set_string(a, x, "time", e->time);
	evidence_set_int(a, x, "win32_hresult", e->hresult);
	evidence_set_string(a, x, "message", e->message);
	evidence_set_string(a, x, "misc_data", e->misc_data);
}

void check_last_sync(struct check_run *r)
{
	const struct model *m = r->m;
	struct arena *a = r->out->arena;
	long long max_age = (long long)r->o->max_sync_age_days * 86400;
	size_t i, j;

	for (i = 0; i < m->nservers; i++) {
		const struct model_server *s = &m->servers[i];
		const struct model_sync_event *end = NULL, *ok = NULL;
		struct finding *f;

		if (s->planned_new || !check_server_usable(r, i))
			continue;
		check_evaluated_at(r, i);
		for (j = 0; j < s->nevents; j++) {
			if (!end && is_end(s->events[j].event_id))
				end = &s->events[j];
			if (!ok && s->events[j].event_id == 384)
				ok = &s->events[j];
		}
		if (s->nevents == 0 || !end) {
			f = check_add(
			    r, -1, i, NULL, 0,
			    s->nevents == 0
				? "no synchronization events recorded: the server never "
				  "synchronized, or its history was purged"
				: check_fmt(r,
					    "no completed synchronization recorded (%zu start "
					    "events, the newest at %s)",
					    s->nevents,
					    s->events[0].time ? s->events[0].time : "?"),
			    check_fmt(r,
				      "Check the synchronization history in the WSUS console on %s "
				      "(Synchronizations); the history is rebuilt from events that "
				      "WSUS purges after ServerEventExpirationTime; start a "
				      "synchronization (Options > Synchronization Options > "
				      "Synchronize Now) and audit again",
				      s->name));
			evidence_set_int(a, f->evidence, "events", (long long)s->nevents);
			continue;
		}
		if (end->event_id != 384) {
			char *text = check_fmt(r, "%s\n%s", end->message ? end->message : "",
					       end->misc_data ? end->misc_data : "");
			enum sync_class c = classify(text, end->hresult);

			f = check_add(
			    r, -1, i, NULL, 0,
			    check_fmt(r, "the last synchronization failed at %s (%s): %s",
				      end->time ? end->time : "?", class_names[c],
				      first_line(r, end->message ? end->message : end->misc_data)),
			    class_remedy(r, c, s));
			evidence_set_string(a, f->evidence, "classification", class_names[c]);
			event_evidence(r, f->evidence, "last_end_event", end);
			if (ok)
				evidence_set_string(a, f->evidence, "last_success", ok->time);
			else
				evidence_set(a, f->evidence, "last_success", evidence_null(a));
			evidence_set_string(a, f->evidence, "certainty",
					    "event 384 = success CONFIRMED; 386/387 = failure "
					    "LIKELY (open question Q4)");
			continue;
		}
		if (end->at == 0) {
			check_error_at(r, i, "'%s': unreadable sync event time '%s'", s->name,
				       end->time ? end->time : "");
			continue;
		}
		if ((long long)(r->o->now - end->at) <= max_age)
			continue;
		f = check_add(
		    r, -1, i, NULL, 0,
		    check_fmt(r,
			      "no synchronization succeeded in the last %d days (the last "
			      "success was at %s, %lld days ago)",
			      r->o->max_sync_age_days, end->time,
			      (long long)(r->o->now - end->at) / 86400),
		    check_fmt(r,
			      "Check the synchronization schedule on %s (Options > "
			      "Synchronization Schedule; in Configuration Manager the "
			      "software update point's schedule and WsyncMgr.log), then "
			      "synchronize now",
			      s->name));
		event_evidence(r, f->evidence, "last_end_event", end);
		evidence_set_int(a, f->evidence, "max_sync_age_days", r->o->max_sync_age_days);
	}
}
