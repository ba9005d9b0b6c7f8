/* json_write: JSON strings through report_escape's UTF-8 checks, and evidence in two layouts. */
#include "json_write.h"

#include <stdlib.h>

#include "report_escape.h"
#include "xalloc.h"

void json_write_string(FILE *out, const char *s)
{
	report_json_string(out, s);
}

static void indent(FILE *out, int depth)
{
	int i;

	for (i = 0; i < depth; i++)
		fputs("  ", out);
}

static void member_key(FILE *out, int depth, const char *name)
{
	if (depth >= 0) {
		indent(out, depth);
		report_json_string(out, name);
		fputs(": ", out);
	} else {
		report_json_string(out, name);
		fputc(':', out);
	}
}

void json_write_evidence(FILE *out, const struct evidence *e, int depth)
{
	int pretty = depth >= 0, inner = pretty ? depth + 1 : -1;
	size_t i;

	if (!e) {
		fputs("null", out);
		return;
	}
	switch (e->type) {
	case EVIDENCE_NULL:
		fputs("null", out);
		break;
	case EVIDENCE_BOOL:
		fputs(e->integer ? "true" : "false", out);
		break;
	case EVIDENCE_INT:
		fprintf(out, "%lld", e->integer);
		break;
	case EVIDENCE_STRING:
		report_json_string(out, e->string);
		break;
	case EVIDENCE_LIST:
		if (e->nitems == 0) {
			fputs("[]", out);
			break;
		}
		fputs(pretty ? "[\n" : "[", out);
		for (i = 0; i < e->nitems; i++) {
			if (pretty)
				indent(out, inner);
			json_write_evidence(out, e->items[i], inner);
			if (pretty)
				fputs(i + 1 < e->nitems ? ",\n" : "\n", out);
			else if (i + 1 < e->nitems)
				fputc(',', out);
		}
		if (pretty)
			indent(out, depth);
		putc(']', out);
		break;
	case EVIDENCE_OBJECT:
		if (e->nmembers == 0) {
			fputs("{}", out);
			break;
		}
		fputs(pretty ? "{\n" : "{", out);
		for (i = 0; i < e->nmembers; i++) {
			const struct evidence *v = e->members[i].value;
			const char *name = e->members[i].key ? e->members[i].key : "";

			member_key(out, inner, name);
			json_write_evidence(out, v, inner);
			if (v && v->type == EVIDENCE_LIST && v->omitted) {
				char *omitted = xasprintf("%s_omitted", name);

				fputs(pretty ? ",\n" : ",", out);
				member_key(out, inner, omitted);
				fprintf(out, "%zu", v->omitted);
				free(omitted);
			}
			if (pretty)
				fputs(i + 1 < e->nmembers ? ",\n" : "\n", out);
			else if (i + 1 < e->nmembers)
				fputc(',', out);
		}
		if (pretty)
			indent(out, depth);
		putc('}', out);
		break;
	}
}
