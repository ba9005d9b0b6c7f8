/* json_write: the one JSON writer of strings and evidence, for the report, the history output
 * and the evidence stored with each audit. */
#ifndef SUSAUDIT_JSON_WRITE_H
#define SUSAUDIT_JSON_WRITE_H

#include <stdio.h>

#include "evidence.h"

/* A JSON string of UTF-8 text (invalid bytes become U+FFFD, controls \u escapes); NULL
 * writes null. The same as report_json_string(), which it is. */
void json_write_string(FILE *out, const char *s);

/* Evidence as JSON. depth >= 0: indented two spaces a level, the object's members one a line,
 * as the JSON report writes it (the first line is not indented: the caller placed it);
 * depth < 0: compact on one line, as a store keeps it. A list of which a check counted more
 * items than it kept gets a sibling member "<key>_omitted" with the count. */
void json_write_evidence(FILE *out, const struct evidence *e, int depth);

#endif
