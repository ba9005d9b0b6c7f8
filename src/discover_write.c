/* discover_write: the draft as a hierarchy file, every value escaped and every inference said. */
#include "discover.h"

#include <string.h>

/* Length of the valid UTF-8 sequence at s (1-4) and its code point, or 0 when invalid. */
static size_t utf8_decode(const unsigned char *s, unsigned long *cp)
{
	size_t n, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		*cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		*cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		*cp = s[0] & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		*cp = (*cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && *cp < 0x800) || (n == 4 && (*cp < 0x10000 || *cp > 0x10ffff)) ||
	    (*cp >= 0xd800 && *cp <= 0xdfff) || *cp == 0xfffe || *cp == 0xffff)
		return 0;
	return n;
}

/* Characters that reorder or hide text on screen (Trojan Source): never written raw. */
static int is_bidi(unsigned long cp)
{
	return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200e ||
	       cp == 0x200f || cp == 0x061c;
}

/* An attribute value: markup escaped, XML-invalid characters as '?', bidi controls as
 * character references (kept, but visible in the file). */
static void put_attr(FILE *f, const char *v)
{
	const unsigned char *p = (const unsigned char *)v;

	while (*p) {
		unsigned long cp;
		size_t n = utf8_decode(p, &cp);

		if (n == 0) {
			fputc('?', f);
			p++;
			continue;
		}
		if (cp == '&')
			fputs("&amp;", f);
		else if (cp == '<')
			fputs("&lt;", f);
		else if (cp == '>')
			fputs("&gt;", f);
		else if (cp == '"')
			fputs("&quot;", f);
		else if (cp == '\t' || cp == '\n' || cp == '\r')
			fprintf(f, "&#%lu;", cp);
		else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
			fputc('?', f);
		else if (is_bidi(cp))
			fprintf(f, "&#x%lX;", cp);
		else
			fwrite(p, 1, n, f);
		p += n;
	}
}

/* Comment text: no "--" (which would end or break the comment), no control, bidi or invalid
 * bytes; it cannot end in '-'. */
static void put_comment_text(FILE *f, const char *v)
{
	const unsigned char *p = (const unsigned char *)v;
	int last = 0;

	while (*p) {
		unsigned long cp;
		size_t n = utf8_decode(p, &cp);

		if (n == 0 || cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) || is_bidi(cp)) {
			fputc('?', f);
			last = '?';
			p += n ? n : 1;
			continue;
		}
		if (cp == '-' && last == '-') {
			fputs(" -", f);
		} else {
			fwrite(p, 1, n, f);
		}
		last = (int)cp;
		p += n;
	}
	if (last == '-')
		fputc(' ', f);
}

static void comment(FILE *f, int indent, const char *text)
{
	fprintf(f, "%*s<!-- ", indent, "");
	put_comment_text(f, text);
	fputs(" -->\n", f);
}

static void note(FILE *f, int indent, const char *subject, const struct discover_note *n)
{
	if (!n->note)
		return;
	fprintf(f, "%*s<!-- ", indent, "");
	put_comment_text(f, subject);
	fputs(" ", f);
	put_comment_text(f, n->note);
	fputs(" -->\n", f);
}

static void attr(FILE *f, const char *name, const char *value)
{
	if (!value)
		return;
	fprintf(f, " %s=\"", name);
	put_attr(f, value);
	fputc('"', f);
}

static void write_server(FILE *f, const struct discover_server *s, int indent)
{
	note(f, indent, s->name, &s->port_note);
	note(f, indent, s->name, &s->ssl_note);
	note(f, indent, s->name, &s->internet_note);
	note(f, indent, s->name, &s->sql_note);
	fprintf(f, "%*s<server", indent, "");
	attr(f, "name", s->name);
	fprintf(f, " port=\"%d\"", s->port);
	if (s->ssl)
		fputs(" ssl=\"true\"", f);
	if (s->internet)
		fputs(" internet=\"true\"", f);
	attr(f, "sql", s->sql);
	fputs("/>\n", f);
}

static const char *type_name(enum site_type t)
{
	return t == SITE_CAS ? "cas" : t == SITE_PRIMARY ? "primary" : "secondary";
}

static void write_site(FILE *f, const struct discover_draft *d, size_t index, int indent)
{
	const struct discover_site *s = &d->sites[index];
	size_t i;

	if (s->name) {
		fprintf(f, "%*s<!-- site ", indent, "");
		put_comment_text(f, s->code);
		fputs(": ", f);
		put_comment_text(f, s->name);
		fputs(" -->\n", f);
	}
	note(f, indent, s->code, &s->type_note);
	note(f, indent, s->code, &s->upstream_note);
	fprintf(f, "%*s<site", indent, "");
	attr(f, "code", s->code);
	fprintf(f, " type=\"%s\"", type_name(s->type));
	if (s->upstream) {
		attr(f, "upstream", s->upstream);
		fprintf(f, " upstream-ssl=\"%s\"", s->upstream_ssl ? "true" : "false");
	}
	fputs(">\n", f);
	for (i = 0; i < d->nservers; i++)
		if (d->servers[i].site == (int)index)
			write_server(f, &d->servers[i], indent + 2);
	for (i = 0; i < d->nsites; i++)
		if (d->sites[i].parent == (int)index)
			write_site(f, d, i, indent + 2);
	fprintf(f, "%*s</site>\n", indent, "");
}

int discover_write(FILE *f, const struct discover_draft *d, const struct discover_connection *c)
{
	size_t i;

	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
	fputs("<!-- Drafted by 'susaudit discover' from the Configuration Manager site database ",
	      f);
	put_comment_text(f, c->source);
	fputs(".\n     Sites, SUPs, ports, SSL and internet flags come from the site database "
	      "(README,\n     'Discovering the hierarchy', says where and how certain); a comment "
	      "before an\n     element says which of its values were inferred. Check those. -->\n",
	      f);
	if (d->ngaps) {
		fputs(
		    "<!-- INCOMPLETE: the site database did not answer everything, so this file "
		    "is NOT the\n     whole hierarchy. Values marked INCOMPLETE are defaults; fill "
		    "them in:\n",
		    f);
		for (i = 0; i < d->ngaps; i++) {
			fputs("     - ", f);
			put_comment_text(f, d->gaps[i]);
			fputc('\n', f);
		}
		fputs("-->\n", f);
	}
	fputs("<hierarchy xmlns=\"urn:susaudit:hierarchy:1\"", f);
	attr(f, "name", d->name);
	fputs(">\n", f);
	comment(f, 2,
		"the login given for the site database; change it where the SUSDBs use another");
	fputs("  <defaults database=\"SUSDB\"", f);
	attr(f, "user", c->user);
	attr(f, "password-env", c->password_env);
	attr(f, "password-file", c->password_file);
	attr(f, "encryption", c->encryption);
	attr(f, "ca-file", c->ca_file);
	if (c->login_timeout > 0)
		fprintf(f, " login-timeout=\"%d\"", c->login_timeout);
	if (c->query_timeout > 0)
		fprintf(f, " query-timeout=\"%d\"", c->query_timeout);
	fputs("/>\n", f);
	comment(f, 2,
		"the site database itself: audit compares ConfigMgr's settings with each SUSDB");
	fputs("  <configmgr", f);
	attr(f, "sql", c->site_db_sql);
	attr(f, "database", c->site_db_database);
	fputs("/>\n", f);
	for (i = 0; i < d->nsites; i++)
		if (d->sites[i].parent < 0)
			write_site(f, d, i, 2);
	fputs("</hierarchy>\n", f);
	return ferror(f) ? -1 : 0;
}
