/* tds_encode: the TDS tokens of a reply (DONE, ERROR/INFO, ENVCHANGE, LOGINACK) and result
   sets encoded from SQLite statements: type choice, COLMETADATA and ROW values. */
#ifndef TDS_ENCODE_H
#define TDS_ENCODE_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "tds_wire.h"

/* TDS versions as a LOGIN7 record carries them (little-endian DWORD). */
#define TDS_VERSION_71 0x71000001u
#define TDS_VERSION_72 0x72090002u
#define TDS_VERSION_73 0x730B0003u
#define TDS_VERSION_74 0x74000004u

/* DONE token status bits (MS-TDS 2.2.7.6). */
enum {
	TDS_DONE_FINAL = 0x00,
	TDS_DONE_MORE = 0x01,
	TDS_DONE_ERROR = 0x02,
	TDS_DONE_INXACT = 0x04,
	TDS_DONE_COUNT = 0x10,
	TDS_DONE_ATTN = 0x20,
};

/* DONE-family tokens and the statement codes (CurCmd) they carry. */
enum {
	TDS_TOKEN_DONE = 0xFD,
	TDS_TOKEN_DONEPROC = 0xFE,
	TDS_TOKEN_DONEINPROC = 0xFF,
};
enum {
	TDS_CMD_NONE = 0,
	TDS_CMD_SELECT = 0xC1,
	TDS_CMD_INSERT = 0xC3,
	TDS_CMD_DELETE = 0xC4,
	TDS_CMD_UPDATE = 0xC5,
};

/* ENVCHANGE types the server sends. */
enum {
	TDS_ENV_DATABASE = 1,
	TDS_ENV_LANGUAGE = 2,
	TDS_ENV_PACKETSIZE = 4,
	TDS_ENV_COLLATION = 7,
};

/* TDS data types the server sends (MS-TDS 2.2.5.4). */
enum {
	TDS_TYPE_GUID = 0x24,
	TDS_TYPE_INTN = 0x26,
	TDS_TYPE_BITN = 0x68,
	TDS_TYPE_FLTN = 0x6D,
	TDS_TYPE_DATETIMN = 0x6F,
	TDS_TYPE_BIGVARBINARY = 0xA5,
	TDS_TYPE_NVARCHAR = 0xE7,
};

/* How one result column goes on the wire. */
struct tds_column {
	uint8_t type;	    /* TDS_TYPE_* */
	uint8_t size;	    /* fixed-size types: 1, 2, 4, 8 or 16 bytes */
	uint16_t max_bytes; /* NVARCHAR, BIGVARBINARY: declared maximum in bytes */
	int plp;	    /* NVARCHAR(MAX), VARBINARY(MAX): partially length-prefixed */
	const char *name;   /* owned by the statement; "" for unnamed expressions */
};

/* A DONE, DONEPROC or DONEINPROC token; the row count is 8 bytes from TDS 7.2 on. */
void tds_encode_done(struct tds_wire *w, uint32_t version, uint8_t token, uint16_t status,
		     uint16_t curcmd, uint64_t rows);

/* An ERROR (is_error) or INFO token from server name server. */
void tds_encode_message(struct tds_wire *w, uint32_t version, int is_error, int32_t number,
			uint8_t state, uint8_t severity, const char *text, const char *server);

/* An ENVCHANGE token with string values (database, language, packet size). */
void tds_encode_envchange(struct tds_wire *w, uint8_t type, const char *new_value,
			  const char *old_value);

/* The ENVCHANGE that announces the server collation (SQL_Latin1_General_CP1_CI_AS). */
void tds_encode_envchange_collation(struct tds_wire *w);

/* A LOGINACK token for the negotiated version (as the LOGIN7 record spells it). */
void tds_encode_loginack(struct tds_wire *w, uint32_t version);

/* Chooses wire types for the columns of st, from their declared types or, for expressions,
   from the current row when has_row (else NVARCHAR). cols has sqlite3_column_count(st)
   entries. Clients older than TDS 7.2 get no PLP types (values over 4000 characters are
   cut). */
void tds_encode_describe(sqlite3_stmt *st, int has_row, uint32_t version, struct tds_column *cols);

/* The COLMETADATA token for cols[0..ncols). */
void tds_encode_colmetadata(struct tds_wire *w, uint32_t version, const struct tds_column *cols,
			    int ncols);

/* A ROW token with the current row of st. */
void tds_encode_row(struct tds_wire *w, sqlite3_stmt *st, const struct tds_column *cols, int ncols);

/* Parses 'YYYY-MM-DD[ T]HH:MM:SS[.fff...]' (time optional, trailing 'Z' allowed) into SQL
   Server DATETIME parts: days since 1900-01-01 and 1/300-second ticks since midnight.
   Returns 0, or -1 if text is not such a date. */
int tds_encode_datetime(const char *text, int32_t *days, uint32_t *ticks);

/* Parses a GUID's text form (hex digits, dashes and braces ignored) into SQL Server's byte
   order: the first three groups little-endian, the rest as written. Returns 0 or -1. */
int tds_encode_guid(const char *text, unsigned char out[16]);

#endif
