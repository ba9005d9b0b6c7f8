/* tds_encode: reply tokens and SQLite result sets on the TDS wire. */
#include "tds_encode.h"
#include "tds_text.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum {
	TOKEN_COLMETADATA = 0x81,
	TOKEN_ERROR = 0xAA,
	TOKEN_INFO = 0xAB,
	TOKEN_LOGINACK = 0xAD,
	TOKEN_ROW = 0xD1,
	TOKEN_ENVCHANGE = 0xE3,
};

/* Longest NVARCHAR that is not sent as NVARCHAR(MAX), in characters. */
#define NVARCHAR_MAX_UNITS 4000
#define VARBINARY_MAX_BYTES 8000
#define PLP_NULL UINT64_MAX

/* SQL_Latin1_General_CP1_CI_AS: LCID 0x0409, flags, sort id 52. */
static const unsigned char collation[5] = {0x09, 0x04, 0xD0, 0x00, 0x34};

static int is_72_plus(uint32_t version)
{
	return version >= TDS_VERSION_72;
}

void tds_encode_done(struct tds_wire *w, uint32_t version, uint8_t token, uint16_t status,
		     uint16_t curcmd, uint64_t rows)
{
	tds_wire_u8(w, token);
	tds_wire_u16(w, status);
	tds_wire_u16(w, curcmd);
	if (is_72_plus(version))
		tds_wire_u64(w, rows);
	else
		tds_wire_u32(w, (uint32_t)rows);
}

void tds_encode_message(struct tds_wire *w, uint32_t version, int is_error, int32_t number,
			uint8_t state, uint8_t severity, const char *text, const char *server)
{
	size_t mlen = tds_text_utf16_units_max(text, strlen(text), 4000);
	size_t slen = tds_text_utf16_units_max(server, strlen(server), 255);
	size_t len;

	len = 4 + 1 + 1 + 2 + 2 * mlen + 1 + 2 * slen + 1 + (is_72_plus(version) ? 4 : 2);
	tds_wire_u8(w, is_error ? TOKEN_ERROR : TOKEN_INFO);
	tds_wire_u16(w, (uint16_t)len);
	tds_wire_u32(w, (uint32_t)number);
	tds_wire_u8(w, state);
	tds_wire_u8(w, severity);
	tds_wire_u16(w, (uint16_t)mlen);
	tds_wire_utf16(w, text, strlen(text), mlen);
	tds_wire_u8(w, (uint8_t)slen);
	tds_wire_utf16(w, server, strlen(server), slen);
	tds_wire_u8(w, 0); /* no procedure name */
	if (is_72_plus(version))
		tds_wire_u32(w, 1);
	else
		tds_wire_u16(w, 1);
}

void tds_encode_envchange(struct tds_wire *w, uint8_t type, const char *new_value,
			  const char *old_value)
{
	size_t n1 = tds_text_utf16_units_max(new_value, strlen(new_value), 255);
	size_t n2 = tds_text_utf16_units_max(old_value, strlen(old_value), 255);

	tds_wire_u8(w, TOKEN_ENVCHANGE);
	tds_wire_u16(w, (uint16_t)(1 + 1 + 2 * n1 + 1 + 2 * n2));
	tds_wire_u8(w, type);
	tds_wire_bvarchar(w, new_value);
	tds_wire_bvarchar(w, old_value);
}

void tds_encode_envchange_collation(struct tds_wire *w)
{
	tds_wire_u8(w, TOKEN_ENVCHANGE);
	tds_wire_u16(w, 1 + 1 + sizeof(collation) + 1);
	tds_wire_u8(w, TDS_ENV_COLLATION);
	tds_wire_u8(w, sizeof(collation));
	tds_wire_put(w, collation, sizeof(collation));
	tds_wire_u8(w, 0);
}

void tds_encode_loginack(struct tds_wire *w, uint32_t version)
{
	static const char prog[] = "Microsoft SQL Server";
	/* 10.50.1600: SQL Server 2008 R2 RTM, the oldest release WSUS 3/4 run on that we target */
	static const unsigned char prog_version[4] = {10, 50, 0x06, 0x40};
	size_t n = strlen(prog);

	tds_wire_u8(w, TOKEN_LOGINACK);
	tds_wire_u16(w, (uint16_t)(1 + 4 + 1 + 2 * n + 4));
	tds_wire_u8(w, 1); /* SQL_TSQL */
	/* big-endian here, unlike in LOGIN7 */
	tds_wire_u8(w, (uint8_t)(version >> 24));
	tds_wire_u8(w, (uint8_t)(version >> 16));
	tds_wire_u8(w, (uint8_t)(version >> 8));
	tds_wire_u8(w, (uint8_t)version);
	tds_wire_bvarchar(w, prog);
	tds_wire_put(w, prog_version, sizeof(prog_version));
}

/* SQL Server type names as the fixture DDL declares them, and how each goes on the wire. */
struct decl_type {
	const char *name;
	uint8_t type;
	uint8_t size;	/* fixed-size types */
	int variable;	/* 1: NVARCHAR family, 2: VARBINARY family */
	int always_plp; /* NTEXT, IMAGE and friends */
};

/* sorted by name for bsearch */
static const struct decl_type decl_types[] = {
    {"BIGINT", TDS_TYPE_INTN, 8, 0, 0},
    {"BINARY", TDS_TYPE_BIGVARBINARY, 0, 2, 0},
    {"BIT", TDS_TYPE_BITN, 1, 0, 0},
    {"BLOB", TDS_TYPE_BIGVARBINARY, 0, 2, 1},
    {"BOOLEAN", TDS_TYPE_BITN, 1, 0, 0},
    {"CHAR", TDS_TYPE_NVARCHAR, 0, 1, 0},
    {"DATE", TDS_TYPE_DATETIMN, 8, 0, 0},
    {"DATETIME", TDS_TYPE_DATETIMN, 8, 0, 0},
    {"DATETIME2", TDS_TYPE_DATETIMN, 8, 0, 0},
    {"DECIMAL", TDS_TYPE_FLTN, 8, 0, 0},
    {"DOUBLE", TDS_TYPE_FLTN, 8, 0, 0},
    {"FLOAT", TDS_TYPE_FLTN, 8, 0, 0},
    {"IMAGE", TDS_TYPE_BIGVARBINARY, 0, 2, 1},
    {"INT", TDS_TYPE_INTN, 4, 0, 0},
    {"INTEGER", TDS_TYPE_INTN, 4, 0, 0},
    {"MONEY", TDS_TYPE_FLTN, 8, 0, 0},
    {"NCHAR", TDS_TYPE_NVARCHAR, 0, 1, 0},
    {"NTEXT", TDS_TYPE_NVARCHAR, 0, 1, 1},
    {"NUMERIC", TDS_TYPE_FLTN, 8, 0, 0},
    {"NVARCHAR", TDS_TYPE_NVARCHAR, 0, 1, 0},
    {"REAL", TDS_TYPE_FLTN, 8, 0, 0},
    {"SMALLDATETIME", TDS_TYPE_DATETIMN, 8, 0, 0},
    {"SMALLINT", TDS_TYPE_INTN, 2, 0, 0},
    {"SYSNAME", TDS_TYPE_NVARCHAR, 0, 1, 0},
    {"TEXT", TDS_TYPE_NVARCHAR, 0, 1, 1},
    {"TINYINT", TDS_TYPE_INTN, 1, 0, 0},
    {"UNIQUEIDENTIFIER", TDS_TYPE_GUID, 16, 0, 0},
    {"VARBINARY", TDS_TYPE_BIGVARBINARY, 0, 2, 0},
    {"VARCHAR", TDS_TYPE_NVARCHAR, 0, 1, 0},
};

static int decl_cmp(const void *key, const void *elem)
{
	return strcasecmp(key, ((const struct decl_type *)elem)->name);
}

/* Fills c from a declared type such as "NVARCHAR(256)", "VARBINARY(MAX)" or "INT".
   Returns 0, or -1 for a type this server does not know. */
static int describe_decltype(const char *decl, struct tds_column *c)
{
	char base[32];
	size_t n = 0;
	const struct decl_type *t;
	const char *arg;
	long size = 0;
	int is_max = 0;

	while (decl[n] && decl[n] != '(' && !isspace((unsigned char)decl[n]) &&
	       n < sizeof(base) - 1) {
		base[n] = decl[n];
		n++;
	}
	base[n] = '\0';
	t = bsearch(base, decl_types, sizeof(decl_types) / sizeof(decl_types[0]),
		    sizeof(decl_types[0]), decl_cmp);
	if (!t)
		return -1;
	c->type = t->type;
	c->size = t->size;
	if (!t->variable)
		return 0;
	arg = strchr(decl, '(');
	if (arg) {
		arg++;
		while (isspace((unsigned char)*arg))
			arg++;
		/* fixtures spell MAX as -1 where SQLite will not parse (MAX) */
		if (strncasecmp(arg, "MAX", 3) == 0 || strncmp(arg, "-1", 2) == 0)
			is_max = 1;
		else
			size = strtol(arg, NULL, 10);
	}
	if (t->variable == 1) {
		if (size <= 0)
			size = NVARCHAR_MAX_UNITS;
		if (size > NVARCHAR_MAX_UNITS)
			is_max = 1;
		c->max_bytes = (uint16_t)(2 * (is_max ? NVARCHAR_MAX_UNITS : size));
	} else {
		if (size <= 0)
			size = VARBINARY_MAX_BYTES;
		if (size > VARBINARY_MAX_BYTES)
			is_max = 1;
		c->max_bytes = (uint16_t)(is_max ? VARBINARY_MAX_BYTES : size);
	}
	c->plp = is_max || t->always_plp;
	return 0;
}

/* An expression column: the wire type follows the value in the first row. */
static void describe_value(sqlite3_stmt *st, int i, int has_row, struct tds_column *c)
{
	int kind = has_row ? sqlite3_column_type(st, i) : SQLITE_NULL;

	switch (kind) {
	case SQLITE_INTEGER: {
		sqlite3_int64 v = sqlite3_column_int64(st, i);

		c->type = TDS_TYPE_INTN;
		c->size = (v >= INT32_MIN && v <= INT32_MAX) ? 4 : 8;
		break;
	}
	case SQLITE_FLOAT:
		c->type = TDS_TYPE_FLTN;
		c->size = 8;
		break;
	case SQLITE_BLOB:
		c->type = TDS_TYPE_BIGVARBINARY;
		c->max_bytes = VARBINARY_MAX_BYTES;
		c->plp = sqlite3_column_bytes(st, i) > VARBINARY_MAX_BYTES;
		break;
	case SQLITE_TEXT: {
		const char *s = (const char *)sqlite3_column_text(st, i);

		c->type = TDS_TYPE_NVARCHAR;
		c->max_bytes = 2 * NVARCHAR_MAX_UNITS;
		c->plp = tds_text_utf16_units(s, (size_t)sqlite3_column_bytes(st, i)) >
			 NVARCHAR_MAX_UNITS;
		break;
	}
	default:
		c->type = TDS_TYPE_NVARCHAR;
		c->max_bytes = 2 * NVARCHAR_MAX_UNITS;
		break;
	}
}

/* SQLite names an unaliased expression by its text; SQL Server leaves it unnamed. */
static const char *column_name(sqlite3_stmt *st, int i)
{
	const char *name = sqlite3_column_name(st, i);

	if (!name || strchr(name, '(') || name[0] == '\'' || name[0] == '@' ||
	    isdigit((unsigned char)name[0]) || strcmp(name, "*") == 0)
		return "";
	return name;
}

void tds_encode_describe(sqlite3_stmt *st, int has_row, uint32_t version, struct tds_column *cols)
{
	int i, n = sqlite3_column_count(st);

	for (i = 0; i < n; i++) {
		struct tds_column *c = &cols[i];
		const char *decl = sqlite3_column_decltype(st, i);

		memset(c, 0, sizeof(*c));
		if (!decl || describe_decltype(decl, c) < 0)
			describe_value(st, i, has_row, c);
		if (c->plp && !is_72_plus(version))
			c->plp = 0;
		c->name = column_name(st, i);
	}
}

void tds_encode_colmetadata(struct tds_wire *w, uint32_t version, const struct tds_column *cols,
			    int ncols)
{
	int i;

	tds_wire_u8(w, TOKEN_COLMETADATA);
	tds_wire_u16(w, (uint16_t)ncols);
	for (i = 0; i < ncols; i++) {
		const struct tds_column *c = &cols[i];

		if (is_72_plus(version))
			tds_wire_u32(w, 0); /* user type */
		else
			tds_wire_u16(w, 0);
		tds_wire_u16(w, 0x0001); /* nullable */
		tds_wire_u8(w, c->type);
		switch (c->type) {
		case TDS_TYPE_NVARCHAR:
			tds_wire_u16(w, c->plp ? 0xFFFF : c->max_bytes);
			tds_wire_put(w, collation, sizeof(collation));
			break;
		case TDS_TYPE_BIGVARBINARY:
			tds_wire_u16(w, c->plp ? 0xFFFF : c->max_bytes);
			break;
		default:
			tds_wire_u8(w, c->size);
			break;
		}
		tds_wire_bvarchar(w, c->name);
	}
}

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	/* proleptic Gregorian calendar, days since 1970-01-01 */
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

/* Reads exactly n digits at *p; returns the value or -1. */
static long digits(const char **p, int n)
{
	long v = 0;
	int i;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	return v;
}

int tds_encode_datetime(const char *text, int32_t *days, uint32_t *ticks)
{
	const char *p = text;
	long y, mo, d, h = 0, mi = 0, s = 0;
	uint64_t frac = 0, scale = 1; /* the fraction of a second is frac / scale */
	uint64_t t;
	int64_t dd;

	y = digits(&p, 4);
	if (y < 0 || *p++ != '-' || (mo = digits(&p, 2)) < 1 || mo > 12 || *p++ != '-' ||
	    (d = digits(&p, 2)) < 1 || d > 31)
		return -1;
	if (*p == ' ' || *p == 'T') {
		p++;
		if ((h = digits(&p, 2)) < 0 || h > 23 || *p++ != ':' || (mi = digits(&p, 2)) < 0 ||
		    mi > 59)
			return -1;
		if (*p == ':') {
			p++;
			if ((s = digits(&p, 2)) < 0 || s > 59)
				return -1;
			if (*p == '.') {
				/* in integers: a double made .035 s 10.4999... ticks, not 10.5 */
				for (p++; isdigit((unsigned char)*p); p++) {
					if (scale < 1000000000u) {
						frac = frac * 10 + (uint64_t)(*p - '0');
						scale *= 10;
					}
				}
			}
		}
	}
	if (*p == 'Z')
		p++;
	if (*p != '\0')
		return -1;
	dd = days_from_civil(y, (unsigned)mo, (unsigned)d) - days_from_civil(1900, 1, 1);
	/* DATETIME keeps 1/300 s, rounded to nearest, halves up (.995 is .997) */
	t = (uint64_t)((h * 3600 + mi * 60 + s) * 300) + (frac * 600 + scale) / (2 * scale);
	if (t >= 300u * 86400u) {
		t -= 300u * 86400u;
		dd++;
	}
	*days = (int32_t)dd;
	*ticks = (uint32_t)t;
	return 0;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int tds_encode_guid(const char *text, unsigned char out[16])
{
	unsigned char b[16];
	int n = 0;
	const char *p;

	for (p = text; *p; p++) {
		int hi, lo;

		if (*p == '-' || *p == '{' || *p == '}')
			continue;
		if (n == 16 || (hi = hexval((unsigned char)p[0])) < 0 || !p[1] ||
		    (lo = hexval((unsigned char)p[1])) < 0)
			return -1;
		b[n++] = (unsigned char)(hi << 4 | lo);
		p++;
	}
	if (n != 16)
		return -1;
	/* Data1 (4 bytes), Data2, Data3 (2 each) little-endian; Data4 as written */
	out[0] = b[3];
	out[1] = b[2];
	out[2] = b[1];
	out[3] = b[0];
	out[4] = b[5];
	out[5] = b[4];
	out[6] = b[7];
	out[7] = b[6];
	memcpy(out + 8, b + 8, 8);
	return 0;
}

static void put_text(struct tds_wire *w, const struct tds_column *c, const char *s, size_t n)
{
	size_t units = tds_text_utf16_units(s, n);

	if (c->plp) {
		tds_wire_u64(w, 2 * (uint64_t)units);
		if (units > 0) {
			tds_wire_u32(w, (uint32_t)(2 * units));
			tds_wire_utf16(w, s, n, units);
		}
		tds_wire_u32(w, 0); /* PLP terminator */
		return;
	}
	/* a value longer than its declared type is cut (SQL Server would have refused it) */
	if (units > c->max_bytes / 2u)
		units = tds_text_utf16_units_max(s, n, c->max_bytes / 2u);
	tds_wire_u16(w, (uint16_t)(2 * units));
	tds_wire_utf16(w, s, n, units);
}

static void put_binary(struct tds_wire *w, const struct tds_column *c, const void *b, size_t n)
{
	if (c->plp) {
		tds_wire_u64(w, n);
		if (n > 0) {
			tds_wire_u32(w, (uint32_t)n);
			tds_wire_put(w, b, n);
		}
		tds_wire_u32(w, 0);
		return;
	}
	if (n > c->max_bytes)
		n = c->max_bytes;
	tds_wire_u16(w, (uint16_t)n);
	tds_wire_put(w, b, n);
}

static void put_null(struct tds_wire *w, const struct tds_column *c)
{
	if (c->type == TDS_TYPE_NVARCHAR || c->type == TDS_TYPE_BIGVARBINARY) {
		if (c->plp)
			tds_wire_u64(w, PLP_NULL);
		else
			tds_wire_u16(w, 0xFFFF);
	} else {
		tds_wire_u8(w, 0);
	}
}

static void put_value(struct tds_wire *w, sqlite3_stmt *st, int i, const struct tds_column *c)
{
	const char *text;

	if (sqlite3_column_type(st, i) == SQLITE_NULL) {
		put_null(w, c);
		return;
	}
	switch (c->type) {
	case TDS_TYPE_INTN: {
		uint64_t v = (uint64_t)sqlite3_column_int64(st, i);
		int k;

		tds_wire_u8(w, c->size);
		for (k = 0; k < c->size; k++)
			tds_wire_u8(w, (uint8_t)(v >> (8 * k)));
		break;
	}
	case TDS_TYPE_BITN:
		tds_wire_u8(w, 1);
		tds_wire_u8(w, sqlite3_column_int64(st, i) != 0);
		break;
	case TDS_TYPE_FLTN: {
		double d = sqlite3_column_double(st, i);
		uint64_t bits;

		memcpy(&bits, &d, sizeof(bits));
		tds_wire_u8(w, 8);
		tds_wire_u64(w, bits);
		break;
	}
	case TDS_TYPE_GUID: {
		unsigned char g[16];

		if (sqlite3_column_type(st, i) == SQLITE_BLOB &&
		    sqlite3_column_bytes(st, i) == 16) {
			memcpy(g, sqlite3_column_blob(st, i), 16);
		} else if (tds_encode_guid((const char *)sqlite3_column_text(st, i), g) < 0) {
			fprintf(stderr,
				"susdb-tds-server: column '%s': '%s' is not a GUID, sent as NULL\n",
				sqlite3_column_name(st, i), sqlite3_column_text(st, i));
			put_null(w, c);
			break;
		}
		tds_wire_u8(w, 16);
		tds_wire_put(w, g, 16);
		break;
	}
	case TDS_TYPE_DATETIMN: {
		int32_t days;
		uint32_t ticks;

		text = (const char *)sqlite3_column_text(st, i);
		if (tds_encode_datetime(text, &days, &ticks) < 0) {
			fprintf(
			    stderr,
			    "susdb-tds-server: column '%s': '%s' is not a DATETIME, sent as NULL\n",
			    sqlite3_column_name(st, i), text);
			put_null(w, c);
			break;
		}
		tds_wire_u8(w, 8);
		tds_wire_u32(w, (uint32_t)days);
		tds_wire_u32(w, ticks);
		break;
	}
	case TDS_TYPE_BIGVARBINARY: {
		const void *b = sqlite3_column_blob(st, i);

		put_binary(w, c, b, (size_t)sqlite3_column_bytes(st, i));
		break;
	}
	default:
		text = (const char *)sqlite3_column_text(st, i);
		put_text(w, c, text ? text : "", (size_t)sqlite3_column_bytes(st, i));
		break;
	}
}

void tds_encode_row(struct tds_wire *w, sqlite3_stmt *st, const struct tds_column *cols, int ncols)
{
	int i;

	tds_wire_u8(w, TOKEN_ROW);
	for (i = 0; i < ncols; i++)
		put_value(w, st, i, &cols[i]);
}
