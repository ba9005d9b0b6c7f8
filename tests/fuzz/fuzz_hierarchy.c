/* fuzz_hierarchy: libFuzzer harness for the hierarchy loader (XML, schema, semantic checks). */
#include <stddef.h>
#include <stdint.h>

#include "hierarchy.h"
#include "log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void quiet(enum log_level level, const char *message, void *d)
{
	(void)level;
	(void)message;
	(void)d;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hierarchy *h = NULL;

	log_set_sink(quiet, NULL);
	if (hierarchy_load_memory((const char *)data, size, "fuzz.xml", &h) == 0) {
		/* a loaded hierarchy answers its lookups */
		if (h->nservers)
			(void)hierarchy_find_server(h, h->servers[0].name);
		hierarchy_free(h);
	}
	return 0;
}
