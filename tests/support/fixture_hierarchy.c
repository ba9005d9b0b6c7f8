/* fixture_hierarchy: template in, one TDS test server per SUSDB up, hierarchy file out. */
#include "fixture_hierarchy.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xalloc.h"

char *fixture_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long size;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = xmalloc((size_t)size + 1);
	if (size > 0 && fread(buf, 1, (size_t)size, f) != (size_t)size) {
		free(buf);
		fclose(f);
		return NULL;
	}
	buf[size] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)size;
	return buf;
}

char *fixture_patch_server(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[512], *p, *end;

	if (!f)
		return NULL;
	p = fgets(line, sizeof(line), f);
	fclose(f);
	if (!p || !(p = strstr(line, "-- server:")))
		return NULL;
	p += strlen("-- server:");
	while (*p == ' ')
		p++;
	end = p + strcspn(p, " \r\n");
	return xstrndup(p, (size_t)(end - p));
}

int fixture_hierarchy_find(const struct fixture_hierarchy *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->names[i], name) == 0)
			return (int)i;
	return -1;
}

static void add_name(struct fixture_hierarchy *f, const char *name, size_t len)
{
	size_t i;

	/* host names only: comments may mention the placeholder itself */
	if (len == 0 || !isalnum((unsigned char)name[0]) ||
	    strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") < len)
		return;

	for (i = 0; i < f->n; i++)
		if (strlen(f->names[i]) == len && strncmp(f->names[i], name, len) == 0)
			return;
	f->names = xrealloc(f->names, (f->n + 1) * sizeof(*f->names));
	f->names[f->n++] = xstrndup(name, len);
}

/* Replaces every @PORT_<name>@ by the port of that server, and @SOURCE_DIR@ (wid: a bundled
 * export file's folder) by the source tree. */
static char *fill_ports(const struct fixture_hierarchy *f, const char *text)
{
	size_t cap = strlen(text) + 64 * (f->n + 1), used = 0;
	char *out;
	const char *p = text;

	for (p = text; (p = strstr(p, "@SOURCE_DIR@")) != NULL; p++)
		cap += strlen(SUSAUDIT_SOURCE_DIR);
	out = xmalloc(cap);
	p = text;
	while (*p) {
		const char *end;

		if (strncmp(p, "@SOURCE_DIR@", 12) == 0) {
			used += (size_t)snprintf(out + used, cap - used, "%s", SUSAUDIT_SOURCE_DIR);
			p += 12;
			continue;
		}

		if (strncmp(p, "@PORT_", 6) == 0 && (end = strchr(p + 6, '@'))) {
			char name[256];
			int i;

			snprintf(name, sizeof(name), "%.*s", (int)(end - p - 6), p + 6);
			i = fixture_hierarchy_find(f, name);
			used += (size_t)snprintf(out + used, cap - used, "%d",
						 i >= 0 ? f->servers[i].port : 1);
			p = end + 1;
			continue;
		}
		out[used++] = *p++;
	}
	out[used] = '\0';
	return out;
}

int fixture_hierarchy_start(const char *template_path, const char *data_dir,
			    const char *const *patches, size_t npatches, fixture_tweak_fn tweak,
			    void *tweak_data, struct fixture_hierarchy *out)
{
	char *path = xasprintf("%s/%s", SUSAUDIT_SOURCE_DIR, template_path);
	char *text = fixture_read_file(path, NULL), *filled, *schema;
	const char *p;
	size_t i, j;
	FILE *f;

	memset(out, 0, sizeof(*out));
	free(path);
	if (!text)
		return -1;
	for (p = text; (p = strstr(p, "@PORT_")); p++) {
		const char *end = strchr(p + 6, '@');

		if (end)
			add_name(out, p + 6, (size_t)(end - p - 6));
	}
	setenv("SUSAUDIT_TEST_PASSWORD", FIXTURE_PASSWORD, 1);
	schema = xasprintf("%s/tests/fixtures/susdb-schema.sql", SUSAUDIT_SOURCE_DIR);
	out->servers = xcalloc(out->n ? out->n : 1, sizeof(*out->servers));
	for (i = 0; i < out->n; i++) {
		struct tds_server_options o;
		const char **files = xcalloc(2 + npatches, sizeof(*files));
		char *data = xasprintf("%s/%s/%s.sql", SUSAUDIT_SOURCE_DIR, data_dir, out->names[i]);
		char **owned = xcalloc(npatches + 1, sizeof(*owned));
		size_t nfiles = 0;
		int rc;

		files[nfiles++] = schema;
		files[nfiles++] = data;
		for (j = 0; j < npatches; j++) {
			char *patch = patches[j][0] == '/'
					      ? xstrdup(patches[j])
					      : xasprintf("%s/%s", SUSAUDIT_SOURCE_DIR, patches[j]);
			char *server = fixture_patch_server(patch);

			if (server && strcmp(server, out->names[i]) == 0)
				files[nfiles++] = owned[j] = patch;
			else
				free(patch);
			free(server);
		}
		memset(&o, 0, sizeof(o));
		o.sql_files = files;
		o.nsql_files = nfiles;
		o.password = FIXTURE_PASSWORD;
		if (tweak)
			tweak(out->names[i], &o, tweak_data);
		rc = tds_server_start(&o, &out->servers[i]);
		for (j = 0; j < npatches; j++)
			free(owned[j]);
		free(owned);
		free(files);
		free(data);
		if (rc < 0) {
			fprintf(stderr, "fixture: could not start a server for '%s'\n",
				out->names[i]);
			free(schema);
			free(text);
			fixture_hierarchy_stop(out);
			return -1;
		}
	}
	free(schema);
	filled = fill_ports(out, text);
	free(text);
	out->xml_path = xasprintf("%s/hierarchy-%d-XXXXXX", SUSAUDIT_TEST_TMPDIR, (int)getpid());
	{
		int fd = mkstemp(out->xml_path);

		f = fd >= 0 ? fdopen(fd, "w") : NULL;
	}
	if (!f || fputs(filled, f) < 0 || fclose(f) != 0) {
		free(filled);
		fixture_hierarchy_stop(out);
		return -1;
	}
	free(filled);
	return 0;
}

void fixture_hierarchy_stop(struct fixture_hierarchy *f)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		if (f->servers)
			tds_server_stop(&f->servers[i]);
		free(f->names[i]);
	}
	if (f->xml_path)
		unlink(f->xml_path);
	free(f->xml_path);
	free(f->names);
	free(f->servers);
	memset(f, 0, sizeof(*f));
}
