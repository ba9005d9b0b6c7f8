/* fuzz_report: libFuzzer harness for one report writer (FUZZ_FORMAT) fed hostile strings —
 * markup, quotes, control characters, invalid UTF-8 and UTF-16 — as database values. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "finding.h"
#include "log.h"
#include "report.h"
#include "test_report_support.h"
#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void quiet(enum log_level level, const char *message, void *d)
{
	(void)level;
	(void)message;
	(void)d;
}

#if defined(FUZZ_CHECK_HTML)
/* Occurrences of an ASCII needle in out, ignoring case. */
static size_t count_ci(const char *out, size_t len, const char *needle)
{
	size_t n = strlen(needle), i, k, count = 0;

	for (i = 0; i + n <= len; i++) {
		for (k = 0; k < n; k++) {
			char c = out[i + k];

			if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != needle[k])
				break;
		}
		count += k == n;
	}
	return count;
}
#endif

/* The input cut at NUL bytes into up to 16 strings; missing ones are "". */
static size_t split(const uint8_t *data, size_t size, struct arena *a, const char **out)
{
	size_t n = 0, start = 0, i;

	for (i = 0; i <= size && n < 16; i++) {
		if (i == size || data[i] == 0) {
			char *s = xmalloc(i - start + 1);

			memcpy(s, data + start, i - start);
			s[i - start] = '\0';
			out[n++] = arena_strdup(a, s);
			free(s);
			start = i + 1;
		}
	}
	for (i = n; i < 16; i++)
		out[i] = "";
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	struct findings f;
	struct report_server servers[2];
	struct report_check checks[2];
	struct report_options opt = {size & 1, 3, SEVERITY_WARNING, 0};
	struct report r;
	const char *s[16], *langs[2];
	struct finding *fi;
	struct evidence *list;
	char *out = NULL;
	size_t len = 0;
	FILE *mem;

	log_set_sink(quiet, NULL);
	arena_init(&a);
	findings_init(&f, &a);
	split(data, size, &a, s);
	/* a title of 1 MB when the input asks for it (it starts FF FE FD: rare, as each such
	 * run is slow): writers must not cut or choke on very long values */
	if (size > 3 && data[0] == 0xFF && data[1] == 0xFE && data[2] == 0xFD) {
		char *big = xmalloc(1 << 20);

		memset(big, 'A', (1 << 20) - 1);
		memcpy(big, s[1], strlen(s[1]) < 1024 ? strlen(s[1]) : 1024);
		big[(1 << 20) - 1] = '\0';
		s[1] = arena_strdup(&a, big);
		free(big);
	}
	langs[0] = s[10];
	langs[1] = "en";
	memset(servers, 0, sizeof(servers));
	servers[0].name = s[0];
	servers[0].site = s[2];
	servers[0].role = "top";
	servers[0].reachable = 1;
	servers[0].wsus_version = s[3];
	servers[0].sync_source = "microsoft-update";
	servers[0].upstream_name = s[4];
	servers[0].upstream_port = 8530;
	servers[0].upstream_index = -1;
	servers[0].storage = "local";
	servers[0].languages = langs;
	servers[0].nlanguages = 2;
	servers[0].updates = 12;
	servers[0].approvals = 3;
	servers[0].content_path = s[5];
	servers[0].bits_fix_note = size & 2 ? s[6] : NULL;
	servers[1].name = s[7];
	servers[1].role = "site-other";
	servers[1].error = s[8];
	servers[1].upstream_port = servers[1].upstream_ssl = servers[1].replica = -1;
	servers[1].upstream_index = 0;
	servers[1].updates = servers[1].approvals = -1;
	servers[1].bits_foreground = -1;

	fi = findings_add(&f, "storage-option", "R6", SEVERITY_ERROR, s[0], &s[7], 1, s[1], s[9]);
	evidence_set_string(&a, fi->evidence, s[11], s[12]);
	list = evidence_set(&a, fi->evidence, "updates", evidence_list(&a));
	evidence_append(&a, list, evidence_string(&a, s[13]));
	evidence_append(&a, list, evidence_string(&a, s[14]));
	evidence_set_int(&a, fi->evidence, "count", (long long)size);
	fi = findings_add(&f, "server-unreachable", "-", SEVERITY_WARNING, s[7], NULL, 0, s[8],
			  s[15]);
	fi->suppressed = size & 4 ? 1 : 0;
	fi->suppression = s[12];
	findings_sort(&f);

	memset(checks, 0, sizeof(checks));
	checks[0].name = "storage-option";
	checks[0].rule = "R6";
	checks[0].summary = s[9];
	checks[0].status = CHECK_FAIL;
	checks[0].nfindings = 1;
	checks[1].name = "server-unreachable";
	checks[1].rule = "-";
	checks[1].summary = "unreachable";
	checks[1].status = CHECK_ERROR;
	checks[1].detail = s[8];

	memset(&r, 0, sizeof(r));
	r.hierarchy = s[2];
	r.tool_version = "0.0.0";
	r.generated_at = 1795000000;
	r.servers = servers;
	r.nservers = 2;
	r.checks = checks;
	r.nchecks = 2;
	r.findings = f.items;
	r.nfindings = f.count;

	mem = open_memstream(&out, &len);
	if (!mem)
		abort();
	if (report_write(&r, FUZZ_FORMAT, &opt, mem) != 0)
		abort(); /* writing to memory cannot fail */
	fclose(mem);
#if defined(FUZZ_CHECK_JSON)
	{
		char err[256];

		/* whatever the database held, the report stays valid JSON */
		if (json_check(out, len, err, sizeof(err)) != 0) {
			fprintf(stderr, "invalid JSON: %s\n", err);
			abort();
		}
	}
#endif
#if defined(FUZZ_CHECK_HTML)
	/* the page's own script, once: no value opens or closes another */
	if (count_ci(out, len, "<script") != 1 || count_ci(out, len, "</script") != 1)
		abort();
#endif
	free(out);
	findings_release(&f);
	arena_release(&a);
	return 0;
}
