/* fuzz_suppress: libFuzzer harness for the suppression loader and applying what it loaded. */
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "finding.h"
#include "log.h"
#include "suppress.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void quiet(enum log_level level, const char *message, void *d)
{
	(void)level;
	(void)message;
	(void)d;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const known[] = {"server-unreachable", "storage-option", "last-sync"};
	struct suppressions *s = NULL;

	log_set_sink(quiet, NULL);
	if (suppress_load_memory((const char *)data, size, "fuzz.xml", known, 3, &s) == 0) {
		struct arena a;
		struct findings f;

		arena_init(&a);
		findings_init(&f, &a);
		findings_add(&f, "storage-option", "R6", SEVERITY_WARNING, "wsus1.contoso.com",
			     NULL, 0, "stores update files differently", "remedy");
		findings_add(&f, "last-sync", "-", SEVERITY_ERROR, NULL, NULL, 0, "never synced",
			     "remedy");
		suppress_apply(s, &f, 1795000000);
		findings_release(&f);
		arena_release(&a);
		suppress_free(s);
	}
	return 0;
}
