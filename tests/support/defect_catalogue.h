/* defect_catalogue: every defect fixture of tests/fixtures/defects and the finding it must
 * (or must not) produce; shared by the in-process and the over-TDS defect tests. */
#ifndef SUSAUDIT_DEFECT_CATALOGUE_H
#define SUSAUDIT_DEFECT_CATALOGUE_H

#include <stddef.h>

#include "finding.h"

struct defect {
	const char *file; /* under defects/, .sql or .xml.in */
	const char *check;
	const char *server; /* where the finding must be (-fire), NULL for -quiet */
	enum severity severity;
	/* -fire only: a server the finding must name among its related servers (NULL: it must
	 * name none), an evidence member it must carry and, when not NULL, that member's string
	 * value */
	const char *related;
	const char *evidence;
	const char *evidence_value;
};

extern const struct defect defects[];
extern const size_t ndefects;

/* Asserts that finding f (of d's check, on d's server) has d's severity, related server and
 * evidence (cmocka assertions). */
void defect_assert_finding(const struct defect *d, const struct finding *f);

#endif
