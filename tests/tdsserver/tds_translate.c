/* tds_translate: lexical T-SQL -> SQLite translation for the test server. */
#include "tds_translate.h"
#include "tds_catalog.h"
#include "tds_buf.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum tok_kind {
	TK_SPACE,
	TK_COMMENT,
	TK_STRING,  /* '...' */
	TK_NSTRING, /* N'...' */
	TK_QIDENT,  /* [...] or "..." */
	TK_WORD,    /* identifiers, keywords, @variables, @@globals */
	TK_NUMBER,
	TK_HEX, /* 0x... binary literal */
	TK_PUNCT,
};

struct tok {
	enum tok_kind kind;
	size_t start, len;
};

struct lexed {
	const char *src;
	struct tok *toks;
	size_t n;
};

#define NONE SIZE_MAX
#define MAX_DEPTH 64

static int word_char(unsigned char c)
{
	return isalnum(c) || c == '_' || c == '@' || c == '#' || c == '$' || c >= 0x80;
}

/* Length of the quoted token at s that ends with the quote q, where a doubled q is an
   escaped one. Unterminated quotes run to the end of the text. */
static size_t quoted_len(const char *s, char q)
{
	size_t i = 1;

	for (;;) {
		if (s[i] == '\0')
			return i;
		if (s[i] == q) {
			if (s[i + 1] == q) {
				i += 2;
				continue;
			}
			return i + 1;
		}
		i++;
	}
}

static size_t block_comment_len(const char *s)
{
	size_t i = 2;
	int level = 1; /* T-SQL block comments nest */

	while (s[i] && level > 0) {
		if (s[i] == '/' && s[i + 1] == '*') {
			level++;
			i += 2;
		} else if (s[i] == '*' && s[i + 1] == '/') {
			level--;
			i += 2;
		} else {
			i++;
		}
	}
	return i;
}

static size_t number_len(const char *s, enum tok_kind *kind)
{
	size_t i = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		*kind = TK_HEX;
		for (i = 2; isxdigit((unsigned char)s[i]); i++)
			;
		return i;
	}
	*kind = TK_NUMBER;
	while (isdigit((unsigned char)s[i]))
		i++;
	if (s[i] == '.')
		for (i++; isdigit((unsigned char)s[i]); i++)
			;
	if ((s[i] == 'e' || s[i] == 'E') &&
	    (isdigit((unsigned char)s[i + 1]) ||
	     ((s[i + 1] == '+' || s[i + 1] == '-') && isdigit((unsigned char)s[i + 2]))))
		for (i += 2; isdigit((unsigned char)s[i]); i++)
			;
	return i;
}

static void lex(const char *src, struct lexed *lx)
{
	size_t pos = 0, cap = 0;

	lx->src = src;
	lx->toks = NULL;
	lx->n = 0;
	while (src[pos]) {
		const char *s = src + pos;
		unsigned char c = (unsigned char)*s;
		struct tok t = {TK_PUNCT, pos, 1};

		if (isspace(c)) {
			t.kind = TK_SPACE;
			while (s[t.len] && isspace((unsigned char)s[t.len]))
				t.len++;
		} else if (c == '-' && s[1] == '-') {
			t.kind = TK_COMMENT;
			while (s[t.len] && s[t.len] != '\n')
				t.len++;
		} else if (c == '/' && s[1] == '*') {
			t.kind = TK_COMMENT;
			t.len = block_comment_len(s);
		} else if (c == '\'') {
			t.kind = TK_STRING;
			t.len = quoted_len(s, '\'');
		} else if ((c == 'N' || c == 'n') && s[1] == '\'') {
			t.kind = TK_NSTRING;
			t.len = 1 + quoted_len(s + 1, '\'');
		} else if (c == '[') {
			t.kind = TK_QIDENT;
			t.len = quoted_len(s, ']');
		} else if (c == '"') {
			t.kind = TK_QIDENT;
			t.len = quoted_len(s, '"');
		} else if (isdigit(c) || (c == '.' && isdigit((unsigned char)s[1]))) {
			t.len = number_len(s, &t.kind);
		} else if (word_char(c)) {
			t.kind = TK_WORD;
			while (s[t.len] && word_char((unsigned char)s[t.len]))
				t.len++;
		}
		if (lx->n == cap) {
			cap = cap ? cap * 2 : 64;
			lx->toks = tds_xrealloc(lx->toks, cap * sizeof(*lx->toks));
		}
		lx->toks[lx->n++] = t;
		pos += t.len;
	}
}

static int significant(const struct tok *t)
{
	return t->kind != TK_SPACE && t->kind != TK_COMMENT;
}

/* Index of the next significant token after i (before end), or NONE. */
static size_t next_sig(const struct lexed *lx, size_t i, size_t end)
{
	for (i++; i < end; i++)
		if (significant(&lx->toks[i]))
			return i;
	return NONE;
}

static int is_word(const struct lexed *lx, size_t i, const char *w)
{
	const struct tok *t;

	if (i == NONE || i >= lx->n)
		return 0;
	t = &lx->toks[i];
	return t->kind == TK_WORD && strlen(w) == t->len &&
	       strncasecmp(lx->src + t->start, w, t->len) == 0;
}

static int is_punct(const struct lexed *lx, size_t i, char c)
{
	return i != NONE && i < lx->n && lx->toks[i].kind == TK_PUNCT &&
	       lx->src[lx->toks[i].start] == c;
}

static int is_word_in(const struct lexed *lx, size_t i, const char *const *words)
{
	for (; *words; words++)
		if (is_word(lx, i, *words))
			return 1;
	return 0;
}

/* The name a WORD or QIDENT token stands for, without brackets or quotes (malloc'd). */
static char *name_of(const struct lexed *lx, size_t i)
{
	const struct tok *t = &lx->toks[i];
	struct tds_buf b = {0};
	size_t k;

	if (t->kind != TK_QIDENT) {
		tds_buf_add(&b, lx->src + t->start, t->len);
		return tds_buf_take(&b);
	}
	for (k = 1; k + 1 < t->len; k++) {
		char c = lx->src[t->start + k];

		tds_buf_addc(&b, c);
		if (c == lx->src[t->start + t->len - 1] && k + 2 < t->len)
			k++; /* doubled closing quote */
	}
	return tds_buf_take(&b);
}

static int name_is(const struct lexed *lx, size_t i, const char *name)
{
	char *s;
	int eq;

	if (i == NONE || (lx->toks[i].kind != TK_WORD && lx->toks[i].kind != TK_QIDENT))
		return 0;
	s = name_of(lx, i);
	eq = strcasecmp(s, name) == 0;
	free(s);
	return eq;
}

static int newline_between(const struct lexed *lx, size_t a, size_t b)
{
	size_t i;

	for (i = a + 1; i < b; i++) {
		const struct tok *t = &lx->toks[i];

		if (t->kind == TK_SPACE && memchr(lx->src + t->start, '\n', t->len))
			return 1;
	}
	return 0;
}

/* Statements that the server handles itself, each on one line. */
static const char *const line_statements[] = {"SET",  "USE",	 "BEGIN", "COMMIT", "ROLLBACK",
					      "SAVE", "DECLARE", "PRINT", NULL};
/* Keywords that start a statement wherever they open a line. */
static const char *const statement_starts[] = {
    "USE",    "BEGIN",	"COMMIT",   "ROLLBACK", "SAVE",	   "DECLARE", "PRINT",
    "IF",     "WHILE",	"RETURN",   "CREATE",	"DROP",	   "ALTER",   "INSERT",
    "DELETE", "UPDATE", "TRUNCATE", "EXEC",	"EXECUTE", NULL};
static const char *const set_operators[] = {"UNION", "ALL", "EXCEPT", "INTERSECT", NULL};

/* Does the word at i, first on its line, start a new statement after the statement that
   began with the word at first (its last significant token before i being prev)? */
static int starts_statement(const struct lexed *lx, size_t first, size_t prev, size_t i)
{
	if (is_word_in(lx, first, line_statements))
		return 1;
	if (is_word(lx, first, "CREATE") || is_word(lx, first, "ALTER"))
		return 0; /* bodies of views and triggers hold whole statements */
	if (is_word_in(lx, i, statement_starts))
		return 1;
	if (is_word(lx, i, "SET"))
		return !is_word(lx, first, "UPDATE");
	if (is_word(lx, i, "SELECT"))
		return !is_word(lx, first, "INSERT") && !is_word(lx, first, "WITH") &&
		       !is_word_in(lx, prev, set_operators);
	return 0;
}

/* Does the word at i start a statement on the line of a BEGIN TRAN, COMMIT or ROLLBACK
   that began at first ("BEGIN TRAN UPDATE ...")? */
static int follows_transaction(const struct lexed *lx, size_t first, size_t i)
{
	static const char *const transaction_words[] = {"BEGIN", "COMMIT", "ROLLBACK", NULL};

	return is_word_in(lx, first, transaction_words) &&
	       (is_word_in(lx, i, statement_starts) || is_word(lx, i, "SELECT") ||
		is_word(lx, i, "SET") || is_word(lx, i, "WITH"));
}

/* Table hints SQLite has no use for: WITH (NOLOCK) and friends. */
static const char *const table_hints[] = {"NOLOCK",	    "READUNCOMMITTED",
					  "READCOMMITTED",  "READCOMMITTEDLOCK",
					  "REPEATABLEREAD", "SERIALIZABLE",
					  "ROWLOCK",	    "PAGLOCK",
					  "TABLOCK",	    "TABLOCKX",
					  "UPDLOCK",	    "XLOCK",
					  "HOLDLOCK",	    "NOWAIT",
					  "READPAST",	    "FORCESEEK",
					  "NOEXPAND",	    NULL};

/* If the '(' at i opens a list of table hints only, the index of its ')'; else NONE. */
static size_t hint_list_end(const struct lexed *lx, size_t i, size_t end)
{
	int words = 0;

	for (i = next_sig(lx, i, end); i != NONE; i = next_sig(lx, i, end)) {
		if (is_punct(lx, i, ')'))
			return words ? i : NONE;
		if (is_word_in(lx, i, table_hints))
			words++;
		else if (!is_punct(lx, i, ','))
			return NONE;
	}
	return NONE;
}

static const char *const max_types[] = {"NVARCHAR", "VARCHAR", "VARBINARY", NULL};

/* If the '(' at i, after a type name, opens "(MAX)", the index of its ')'; else NONE. */
static size_t max_size_end(const struct lexed *lx, size_t prev, size_t i, size_t end)
{
	size_t m = next_sig(lx, i, end), r = next_sig(lx, m, end);

	if (is_word_in(lx, prev, max_types) && is_word(lx, m, "MAX") && is_punct(lx, r, ')'))
		return r;
	return NONE;
}

static void add_tok(struct tds_buf *b, const struct lexed *lx, size_t i)
{
	tds_buf_add(b, lx->src + lx->toks[i].start, lx->toks[i].len);
}

/* sys.x and PUBLIC_VIEWS.x (tds_catalog): emits the SQLite name of schema.name and returns the
   last token used (after a table-valued function's argument list), or NONE when the name is
   not one of them. */
static size_t catalog_name(struct tds_buf *b, const struct lexed *lx, size_t schema, size_t name,
			   size_t last, size_t end)
{
	const struct tok *st = &lx->toks[schema], *nt = &lx->toks[name];
	int is_function = 0;
	const char *mapped = tds_catalog_name(lx->src + st->start, st->len, lx->src + nt->start,
					      nt->len, &is_function);
	size_t k, depth = 0;

	if (!mapped)
		return NONE;
	tds_buf_adds(b, mapped);
	k = next_sig(lx, last, end);
	if (!is_function || k == NONE || !is_punct(lx, k, '('))
		return last;
	for (; k < end; k++) {
		if (is_punct(lx, k, '('))
			depth++;
		else if (is_punct(lx, k, ')') && --depth == 0)
			return k;
	}
	return last;
}

/* Emits the dotted name starting at i, dropping the SUSDB.dbo / dbo qualifiers that SQLite
   has no schema for and mapping INFORMATION_SCHEMA views to the server's own. Returns the
   index of the last token used. */
static size_t emit_name(struct tds_buf *b, const struct lexed *lx, size_t i, size_t end,
			const char *database)
{
	size_t parts[8];
	size_t nparts = 0, j = i, k, skip = 0;

	parts[nparts++] = i;
	while (nparts < 8 && j + 1 < end && is_punct(lx, j + 1, '.')) {
		if (j + 2 < end && is_punct(lx, j + 2, '.')) {
			parts[nparts++] = NONE; /* SUSDB..tbX: default schema */
			j += 1;
		} else if (j + 2 < end &&
			   (lx->toks[j + 2].kind == TK_WORD || lx->toks[j + 2].kind == TK_QIDENT)) {
			parts[nparts++] = j + 2;
			j += 2;
		} else {
			break;
		}
	}
	if (nparts >= 3 && name_is(lx, parts[0], database) &&
	    (parts[1] == NONE || name_is(lx, parts[1], "dbo")))
		skip = 2;
	else if (nparts >= 3 && name_is(lx, parts[0], database) &&
		 name_is(lx, parts[1], "INFORMATION_SCHEMA"))
		skip = 1;
	else if (nparts >= 2 && name_is(lx, parts[0], "dbo"))
		skip = 1;
	if (nparts - skip == 2 && parts[skip] != NONE) {
		size_t mapped_end = catalog_name(b, lx, parts[skip], parts[skip + 1], j, end);

		if (mapped_end != NONE)
			return mapped_end;
	}
	if (nparts - skip >= 2 && name_is(lx, parts[skip], "INFORMATION_SCHEMA") &&
	    (name_is(lx, parts[skip + 1], "TABLES") || name_is(lx, parts[skip + 1], "COLUMNS"))) {
		tds_buf_adds(b, name_is(lx, parts[skip + 1], "TABLES")
				    ? "information_schema_tables"
				    : "information_schema_columns");
		skip += 2;
		if (skip < nparts)
			tds_buf_addc(b, '.');
	}
	for (k = skip; k < nparts; k++) {
		if (parts[k] == NONE)
			continue;
		add_tok(b, lx, parts[k]);
		if (k + 1 < nparts)
			tds_buf_addc(b, '.');
	}
	return j;
}

/* For DATEDIFF ( word: the index of the datepart word; else NONE. */
static size_t datepart_call(const struct lexed *lx, size_t i, size_t end)
{
	const struct tok *t = &lx->toks[i];
	size_t open, part;

	if (!tds_catalog_datepart_function(lx->src + t->start, t->len))
		return NONE;
	open = next_sig(lx, i, end);
	if (open == NONE || !is_punct(lx, open, '('))
		return NONE;
	part = next_sig(lx, open, end);
	if (part == NONE || lx->toks[part].kind != TK_WORD)
		return NONE;
	return part;
}

/* Emits the tokens [a, end) translated for SQLite; fixture_only keeps to the DDL rewrite. */
static char *emit(const struct lexed *lx, size_t a, size_t end, const char *database,
		  int fixture_only)
{
	struct tds_buf b = {0};
	size_t limits[MAX_DEPTH]; /* TOP n moved to a LIMIT at the end of its query level */
	size_t i, prev = NONE, depth = 0;

	limits[0] = NONE;
	for (i = a; i < end; i++) {
		const struct tok *t = &lx->toks[i];
		const char *s = lx->src + t->start;
		size_t j;

		if (t->kind == TK_PUNCT && *s == '(' &&
		    (j = max_size_end(lx, prev, i, end)) != NONE) {
			tds_buf_adds(&b, "(-1)");
			i = j;
		} else if (fixture_only) {
			add_tok(&b, lx, i);
		} else if (t->kind == TK_NSTRING) {
			tds_buf_add(&b, s + 1, t->len - 1);
		} else if (t->kind == TK_HEX) {
			tds_buf_adds(&b, "x'");
			if (t->len % 2)
				tds_buf_addc(&b, '0');
			tds_buf_add(&b, s + 2, t->len - 2);
			tds_buf_addc(&b, '\'');
		} else if (t->kind == TK_WORD && t->len > 2 && s[0] == '@' && s[1] == '@') {
			/* @@VERSION, @@SPID, @@TRANCOUNT...: the server's tds_atat() answers */
			tds_buf_adds(&b, "tds_atat('");
			for (j = 2; j < t->len; j++)
				tds_buf_addc(&b, (char)toupper((unsigned char)s[j]));
			tds_buf_adds(&b, "')");
		} else if (is_word(lx, i, "ISNULL") && is_punct(lx, next_sig(lx, i, end), '(')) {
			/* ISNULL is an operator keyword in SQLite; IFNULL is the same function */
			tds_buf_adds(&b, "ifnull");
		} else if (is_word(lx, i, "TOP") &&
			   (is_word(lx, prev, "SELECT") || is_word(lx, prev, "DISTINCT") ||
			    is_word(lx, prev, "ALL")) &&
			   depth < MAX_DEPTH) {
			size_t n = next_sig(lx, i, end), last = n;

			if (is_punct(lx, n, '(')) {
				n = next_sig(lx, n, end);
				last = next_sig(lx, n, end);
				if (!is_punct(lx, last, ')'))
					n = NONE;
			}
			if (n == NONE || lx->toks[n].kind != TK_NUMBER ||
			    is_word(lx, next_sig(lx, last, end), "PERCENT")) {
				add_tok(&b, lx, i);
			} else {
				limits[depth] = n;
				i = last;
				if (is_word(lx, next_sig(lx, i, end), "WITH") &&
				    is_word(lx, next_sig(lx, next_sig(lx, i, end), end), "TIES"))
					i = next_sig(lx, next_sig(lx, i, end), end);
			}
		} else if (is_word(lx, i, "WITH") && is_punct(lx, next_sig(lx, i, end), '(') &&
			   (j = hint_list_end(lx, next_sig(lx, i, end), end)) != NONE) {
			i = j;
		} else if (t->kind == TK_PUNCT && *s == '(' && prev != NONE &&
			   (lx->toks[prev].kind == TK_WORD || lx->toks[prev].kind == TK_QIDENT) &&
			   (j = hint_list_end(lx, i, end)) != NONE) {
			i = j; /* old style: FROM tbX (NOLOCK) */
		} else if (t->kind == TK_PUNCT && *s == '(') {
			depth++;
			if (depth < MAX_DEPTH)
				limits[depth] = NONE;
			add_tok(&b, lx, i);
		} else if (t->kind == TK_PUNCT && *s == ')') {
			if (depth > 0 && depth < MAX_DEPTH && limits[depth] != NONE) {
				tds_buf_adds(&b, " LIMIT ");
				add_tok(&b, lx, limits[depth]);
			}
			if (depth > 0)
				depth--;
			add_tok(&b, lx, i);
		} else if (!fixture_only && t->kind == TK_WORD && datepart_call(lx, i, end) != NONE) {
			/* DATEDIFF(day, a, b): the datepart keyword becomes a string (tds_catalog) */
			size_t part = datepart_call(lx, i, end);

			tds_buf_adds(&b, tds_catalog_datepart_function(s, t->len));
			tds_buf_adds(&b, "('");
			add_tok(&b, lx, part);
			tds_buf_addc(&b, '\'');
			depth++;
			if (depth < MAX_DEPTH)
				limits[depth] = NONE;
			i = part;
		} else if (t->kind == TK_WORD || t->kind == TK_QIDENT) {
			i = emit_name(&b, lx, i, end, database);
		} else {
			add_tok(&b, lx, i);
		}
		if (significant(&lx->toks[i]))
			prev = i;
	}
	if (!fixture_only && limits[0] != NONE) {
		/* on a line of its own: the statement may end in a -- comment */
		tds_buf_adds(&b, "\nLIMIT ");
		add_tok(&b, lx, limits[0]);
	}
	return tds_buf_take(&b);
}

/* The upper-cased significant words of [a, end) after the first, space-separated. */
static char *rest_words(const struct lexed *lx, size_t first, size_t end)
{
	struct tds_buf b = {0};
	size_t i, k;

	for (i = next_sig(lx, first, end); i != NONE; i = next_sig(lx, i, end)) {
		const struct tok *t = &lx->toks[i];

		if (b.len)
			tds_buf_addc(&b, ' ');
		for (k = 0; k < t->len; k++)
			tds_buf_addc(&b, (char)toupper((unsigned char)lx->src[t->start + k]));
	}
	return tds_buf_take(&b);
}

static void add_statement(struct tds_batch *out, const struct lexed *lx, size_t a, size_t end,
			  const char *database)
{
	size_t first, second;
	struct tds_stmt st = {TDS_STMT_SQL, TDS_VERB_OTHER, NULL};

	if (a >= end)
		return;
	first = significant(&lx->toks[a]) ? a : next_sig(lx, a, end);
	if (first == NONE)
		return;
	second = next_sig(lx, first, end);
	if (is_word(lx, first, "SET")) {
		st.kind = TDS_STMT_SET;
		st.arg = rest_words(lx, first, end);
	} else if (is_word(lx, first, "USE") && second != NONE) {
		st.kind = TDS_STMT_USE;
		st.arg = name_of(lx, second);
	} else if (is_word(lx, first, "BEGIN") &&
		   (is_word(lx, second, "TRAN") || is_word(lx, second, "TRANSACTION") ||
		    is_word(lx, second, "DISTRIBUTED"))) {
		st.kind = TDS_STMT_BEGIN;
	} else if (is_word(lx, first, "COMMIT")) {
		st.kind = TDS_STMT_COMMIT;
	} else if (is_word(lx, first, "ROLLBACK")) {
		st.kind = TDS_STMT_ROLLBACK;
	} else {
		if (is_word(lx, first, "SELECT") || is_word(lx, first, "WITH"))
			st.verb = TDS_VERB_SELECT;
		else if (is_word(lx, first, "INSERT"))
			st.verb = TDS_VERB_INSERT;
		else if (is_word(lx, first, "UPDATE"))
			st.verb = TDS_VERB_UPDATE;
		else if (is_word(lx, first, "DELETE"))
			st.verb = TDS_VERB_DELETE;
		st.arg = emit(lx, first, end, database, 0);
	}
	if (!st.arg)
		st.arg = tds_xstrdup("");
	out->stmts = tds_xrealloc(out->stmts, (out->nstmts + 1) * sizeof(*out->stmts));
	out->stmts[out->nstmts++] = st;
}

void tds_translate_batch(const char *tsql, const char *database, struct tds_batch *out)
{
	struct lexed lx;
	size_t i, start = 0, first = NONE, prev = NONE;
	int depth = 0;

	out->stmts = NULL;
	out->nstmts = 0;
	lex(tsql, &lx);
	for (i = 0; i < lx.n; i++) {
		if (!significant(&lx.toks[i]))
			continue;
		if (depth == 0 && is_punct(&lx, i, ';')) {
			add_statement(out, &lx, start, i, database);
			start = i + 1;
			first = prev = NONE;
			continue;
		}
		if (first == NONE) {
			first = i;
		} else if (depth == 0 && ((newline_between(&lx, prev, i) &&
					   starts_statement(&lx, first, prev, i)) ||
					  follows_transaction(&lx, first, i))) {
			add_statement(out, &lx, start, i, database);
			start = first = i;
		}
		if (is_punct(&lx, i, '('))
			depth++;
		else if (is_punct(&lx, i, ')') && depth > 0)
			depth--;
		prev = i;
	}
	add_statement(out, &lx, start, lx.n, database);
	free(lx.toks);
}

void tds_batch_release(struct tds_batch *b)
{
	size_t i;

	for (i = 0; i < b->nstmts; i++)
		free(b->stmts[i].arg);
	free(b->stmts);
	b->stmts = NULL;
	b->nstmts = 0;
}

char *tds_translate_fixture(const char *sql)
{
	struct lexed lx;
	char *out;

	lex(sql, &lx);
	out = emit(&lx, 0, lx.n, "", 1);
	free(lx.toks);
	return out;
}
