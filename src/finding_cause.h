/* finding_cause: links findings that share one cause, so reports tell one story, not four. */
#ifndef SUSAUDIT_FINDING_CAUSE_H
#define SUSAUDIT_FINDING_CAUSE_H

#include "finding.h"

/* Sets `cause` (an id in f's arena) on every finding another finding of the same audit
 * explains (R8): a server's language change since the last stored audit (language-mismatch
 * with added/removed languages) explains the possible inactive approvals on that server or
 * on replicas judged by its languages (inactive-approvals), and the approval drift of its
 * replicas (approval-drift related to it). Without a language change, the server's own
 * inactive-approvals finding explains its replicas' drift. Suppressed findings explain
 * nothing. Call after suppressions are applied and before sorting or reporting. */
void finding_causes_link(struct findings *f);

/* The finding whose id is `id`, or NULL. */
const struct finding *finding_by_id(const struct finding *items, size_t n, const char *id);

/* 1 when a report shows f under the finding that explains it rather than in its own place:
 * its cause is among `items`, visible (not suppressed) and not itself explained by another. */
int finding_shown_under_cause(const struct finding *items, size_t n, const struct finding *f);

#endif
