/* cm_site_db: the site database fixture with the SUSDB servers' ports in DBServerName. */
#include "cm_site_db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xalloc.h"

#define CM_DIR SUSAUDIT_SOURCE_DIR "/tests/fixtures/configmgr"

/* cm-contoso.sql with every @PORT_<name>@ replaced (1 when `f` lacks the server). */
static char *fill_ports(const char *text, const struct fixture_hierarchy *f)
{
	size_t cap = strlen(text) + 1024, n = 0;
	char *out = xmalloc(cap);
	const char *p = text;

	while (*p) {
		const char *end;

		if (strncmp(p, "@PORT_", 6) == 0 && (end = strchr(p + 6, '@')) != NULL) {
			char *name = xstrndup(p + 6, (size_t)(end - p - 6));
			int i = f ? fixture_hierarchy_find(f, name) : -1;
			char num[16];
			size_t k;

			snprintf(num, sizeof(num), "%d", i >= 0 ? f->servers[i].port : 1);
			for (k = 0; num[k]; k++) {
				out = xgrow(out, &cap, n + 2, 1);
				out[n++] = num[k];
			}
			free(name);
			p = end + 1;
			continue;
		}
		out = xgrow(out, &cap, n + 2, 1);
		out[n++] = *p++;
	}
	out[n] = '\0';
	return out;
}

int cm_site_db_start(const struct fixture_hierarchy *f, const char *const *patches, size_t npatches,
		     struct cm_site_db *out)
{
	return cm_site_db_start_logged(f, patches, npatches, NULL, out);
}

int cm_site_db_start_logged(const struct fixture_hierarchy *f, const char *const *patches,
			    size_t npatches, const char *batch_log, struct cm_site_db *out)
{
	struct tds_server_options o;
	const char **files = xcalloc(npatches + 2, sizeof(*files));
	char *text = fixture_read_file(CM_DIR "/cm-contoso.sql", NULL), *filled;
	char **patch_paths = xcalloc(npatches + 1, sizeof(*patch_paths));
	static int counter;
	FILE *w;
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!text)
		return -1;
	filled = fill_ports(text, f);
	free(text);
	out->data_path =
	    xasprintf("%s/cm-contoso-%d-%d.sql", SUSAUDIT_TEST_TMPDIR, (int)getpid(), ++counter);
	w = fopen(out->data_path, "w");
	if (!w) {
		free(filled);
		return -1;
	}
	fputs(filled, w);
	fclose(w);
	free(filled);
	files[0] = CM_DIR "/cm-schema.sql";
	files[1] = out->data_path;
	for (i = 0; i < npatches; i++) {
		patch_paths[i] = xasprintf("%s/%s", CM_DIR, patches[i]);
		files[2 + i] = patch_paths[i];
	}
	memset(&o, 0, sizeof(o));
	o.sql_files = files;
	o.nsql_files = npatches + 2;
	o.password = FIXTURE_PASSWORD;
	o.database = CM_DATABASE;
	o.batch_log = batch_log;
	rc = tds_server_start(&o, &out->server);
	for (i = 0; i < npatches; i++)
		free(patch_paths[i]);
	free(patch_paths);
	free(files);
	if (rc == 0)
		snprintf(out->host_port, sizeof(out->host_port), "127.0.0.1:%d", out->server.port);
	setenv("SUSAUDIT_TEST_PASSWORD", FIXTURE_PASSWORD, 1);
	return rc;
}

void cm_site_db_stop(struct cm_site_db *s)
{
	tds_server_stop(&s->server);
	if (s->data_path) {
		unlink(s->data_path);
		free(s->data_path);
	}
	s->data_path = NULL;
}
