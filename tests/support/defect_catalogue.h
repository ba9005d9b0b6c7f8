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
};

extern const struct defect defects[];
extern const size_t ndefects;

#endif
