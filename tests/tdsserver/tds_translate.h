/* tds_translate: lexical T-SQL -> SQLite translation for the test server. Splits a batch into
   statements, recognises the ones the server handles itself (SET, USE, transactions) and
   rewrites the rest just enough for SQLite. Not a SQL parser: string literals and comments
   are never touched, and anything it does not know passes through unchanged. */
#ifndef TDS_TRANSLATE_H
#define TDS_TRANSLATE_H

#include <stddef.h>

enum tds_stmt_kind {
	TDS_STMT_SQL,	   /* run on SQLite */
	TDS_STMT_SET,	   /* SET option: arg is the rest, upper-cased ("NOCOUNT ON") */
	TDS_STMT_USE,	   /* USE db: arg is the database name without brackets */
	TDS_STMT_BEGIN,	   /* BEGIN TRAN[SACTION] [name] */
	TDS_STMT_COMMIT,   /* COMMIT [TRAN[SACTION]|WORK] [name] */
	TDS_STMT_ROLLBACK, /* ROLLBACK [TRAN[SACTION]|WORK] [name] */
};

enum tds_verb {
	TDS_VERB_OTHER,
	TDS_VERB_SELECT,
	TDS_VERB_INSERT,
	TDS_VERB_UPDATE,
	TDS_VERB_DELETE
};

struct tds_stmt {
	enum tds_stmt_kind kind;
	enum tds_verb verb; /* from the first keyword, for DONE row counts */
	char *arg;	    /* SQLite text for TDS_STMT_SQL, see above for the others */
};

struct tds_batch {
	struct tds_stmt *stmts;
	size_t nstmts;
};

/* Splits and translates the T-SQL batch text (UTF-8). Statements end at ';' and at a new
   line that starts another statement (T-SQL needs no terminator). database is the name
   that qualified names such as SUSDB.dbo.tbX may carry. Fills out (release it with
   tds_batch_release); empty statements are left out. */
void tds_translate_batch(const char *tsql, const char *database, struct tds_batch *out);

void tds_batch_release(struct tds_batch *b);

/* Rewrites SQL Server DDL spellings SQLite rejects in a fixture file (NVARCHAR(MAX) becomes
   NVARCHAR(-1), which the server reads back as MAX). Returns a malloc'd string. */
char *tds_translate_fixture(const char *sql);

#endif
