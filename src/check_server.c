/* check_server: servers that could not be read, and SUSDBs that lack what a check needs. */
#include "check.h"

#include <string.h>
#include <strings.h>

static int is_wid(const struct model_server *s)
{
	return s->entry && s->entry->conn.sql && strcasecmp(s->entry->conn.sql, "wid") == 0;
}

/* server-unreachable: failed (other than for the schema) or absent from the run. */
void check_server_unreachable(struct check_run *r)
{
	const struct model *m = r->m;
	size_t i;

	for (i = 0; i < m->nservers; i++) {
		const struct model_server *s = &m->servers[i];
		struct arena *a = r->out->arena;
		struct finding *f;
		const char *msg, *remedy;
		size_t related[1];
		size_t nrelated = 0;

		check_evaluated(r);
		if (model_server_readable(s))
			continue;
		if (s->status == MODEL_SERVER_FAILED && s->failure_check &&
		    strcmp(s->failure_check, "schema-unsupported") == 0)
			continue;
		if (s->entry && s->entry->expected_upstream >= 0)
			related[nrelated++] = (size_t)s->entry->expected_upstream;
		if (is_wid(s)) {
			msg = "SUSDB is on the Windows Internal Database, which accepts only local "
			      "named-pipe connections that FreeTDS cannot make";
			remedy = check_fmt(
			    r,
			    "Collect it offline (README \"Servers on the Windows Internal "
			    "Database\"): 1. copy susaudit-collect.ps1, installed beside susaudit, "
			    "to %s; 2. there, start Windows PowerShell with \"Run as administrator\" "
			    "(WID admits only elevated administrators) and run powershell.exe "
			    "-NoProfile -ExecutionPolicy Bypass -File .\\susaudit-collect.ps1; 3. copy "
			    "the .xml file it names to this host; 4. in the hierarchy file replace "
			    "sql=\"wid\" by export=\"PATH-OF-THAT-FILE\"; 5. audit again. Or restore "
			    "a backup of its SUSDB on a SQL Server this host reaches and name that "
			    "with sql=. Until then its neighbours' checks use its role from the "
			    "hierarchy file only",
			    s->name);
		} else if (s->entry && s->entry->export_path) {
			/* wid: an export that could not be imported */
			msg = check_fmt(r, "its export file could not be imported: %s",
					s->error ? s->error : "no error recorded");
			remedy = "Run susaudit-collect.ps1 of this susaudit version on the server "
				 "again (as an administrator), copy the whole file here again and "
				 "check that export= names it; then collect again";
		} else if (s->status == MODEL_SERVER_MISSING) {
			msg = "SUSDB was not collected in this snapshot's run";
			remedy = "Collect again with this server in the hierarchy file "
				 "(susaudit collect HIERARCHY.xml -o SNAPSHOT.db)";
		} else {
			msg = check_fmt(r, "SUSDB could not be read: %s",
					s->error ? s->error : "no error recorded");
			remedy =
			    "Check the connection settings in the hierarchy file (sql, user, "
			    "password, encryption), that the SQL Server instance runs and accepts "
			    "TCP connections through the firewall, and that the login can read "
			    "SUSDB (db_datareader); then collect again";
		}
		f = check_add(r, -1, i, related, nrelated, msg, remedy);
		evidence_set_string(a, f->evidence, "status",
				    s->status == MODEL_SERVER_MISSING ? "missing" : "failed");
		evidence_set_string(a, f->evidence, "error", s->error);
		evidence_set_string(a, f->evidence, "sql", s->entry ? s->entry->conn.sql : NULL);
		if (s->entry && s->entry->export_path)
			evidence_set_string(a, f->evidence, "export", s->entry->export_path);
		evidence_set_string(a, f->evidence, "database",
				    s->entry ? s->entry->conn.database : NULL);
		evidence_set_string(a, f->evidence, "role",
				    model_role_name(s->entry ? s->entry->role : ROLE_STANDALONE));
	}
}

/* The checks whose needs include table.column (or any column of a missing table). */
static struct evidence *affected_checks(struct check_run *r, const struct model_missing_column *c)
{
	struct arena *a = r->out->arena;
	struct evidence *list = evidence_list(a);
	size_t i;

	for (i = 0; i < checks_count(); i++) {
		const struct check_def *d = checks_get(i);
		const struct check_column *n;

		for (n = d->needs; n && n->table; n++) {
			if (strcasecmp(n->table, c->table) == 0 &&
			    (strcmp(c->column, "*") == 0 || strcmp(n->column, "*") == 0 ||
			     strcasecmp(n->column, c->column) == 0)) {
				evidence_append(a, list, evidence_string(a, d->name));
				break;
			}
		}
	}
	return list;
}

void check_schema_unsupported(struct check_run *r)
{
	const struct model *m = r->m;
	struct arena *a = r->out->arena;
	size_t i, j;

	for (i = 0; i < m->nservers; i++) {
		const struct model_server *s = &m->servers[i];
		struct evidence *cols, *checks;
		struct finding *f;
		size_t k;

		if (s->status == MODEL_SERVER_FAILED && s->failure_check &&
		    strcmp(s->failure_check, "schema-unsupported") == 0) {
			check_evaluated(r);
			f = check_add(
			    r, -1, i, NULL, 0,
			    check_fmt(r, "SUSDB's schema could not be read: %s",
				      s->error ? s->error : "no error recorded"),
			    "Check that the database is a WSUS SUSDB of a supported version "
			    "(WSUS 3.0 SP2 or later) and that the login can read its tables; "
			    "report the schema to the susaudit maintainers");
			evidence_set_string(a, f->evidence, "error", s->error);
			evidence_set_string(a, f->evidence, "database",
					    s->entry ? s->entry->conn.database : NULL);
			continue;
		}
		if (s->status != MODEL_SERVER_OK)
			continue;
		check_evaluated(r);
		if (!s->nmissing)
			continue;
		f = check_add(
		    r, -1, i, NULL, 0,
		    check_fmt(r, "SUSDB lacks %s.%s%s: the checks that read it are 'error' here",
			      s->missing[0].table, s->missing[0].column,
			      s->nmissing > 1 ? check_fmt(r, " and %zu more", s->nmissing - 1)
					      : ""),
		    "The WSUS version of this server has another SUSDB schema: the checks listed "
		    "could not be evaluated on it; verify those settings in the WSUS console and "
		    "report the schema to the susaudit maintainers");
		cols = evidence_set(a, f->evidence, "missing", evidence_list(a));
		checks = evidence_list(a);
		for (j = 0; j < s->nmissing; j++) {
			struct evidence *o = evidence_append(a, cols, evidence_object(a));
			struct evidence *aff = affected_checks(r, &s->missing[j]);

			evidence_set_string(a, o, "table", s->missing[j].table);
			evidence_set_string(a, o, "column", s->missing[j].column);
			evidence_set(a, o, "checks", aff);
			for (k = 0; k < aff->nitems; k++) {
				size_t x;
				int seen = 0;

				for (x = 0; x < checks->nitems; x++)
					seen |= strcmp(checks->items[x]->string,
						       aff->items[k]->string) == 0;
				if (!seen)
					evidence_append(a, checks, aff->items[k]);
			}
		}
		evidence_set(a, f->evidence, "affected_checks", checks);
	}
}
