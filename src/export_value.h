/* export_value: how one value is spelt in an export file (model/export.xsd, README "Export
 * format"). The PowerShell collector implements the same rules; tests/unit/test_export.c holds
 * both sides to them. */
#ifndef SUSAUDIT_EXPORT_VALUE_H
#define SUSAUDIT_EXPORT_VALUE_H

#include <stddef.h>
#include <stdio.h>

/* 1 when `s` cannot be carried as XML 1.0 character data and must be written base64
 * (enc="base64", the UTF-8 bytes): invalid UTF-8, U+0000-U+0008, U+000B, U+000C,
 * U+000E-U+001F, U+FFFE, U+FFFF. Tab, LF and CR are carried (CR as &#13;). */
int export_value_needs_base64(const char *s, size_t len);

/* Writes `s` as XML character data: & < > escaped, CR as &#13; (a parser would turn a bare CR
 * into LF); in an attribute (`attr` 1) also " and tab/LF as &#9; &#10;. The caller has checked
 * export_value_needs_base64() is 0. */
void export_value_write_escaped(FILE *f, const char *s, size_t len, int attr);

/* Writes the standard base64 (RFC 4648, with padding, no line breaks) of len bytes. */
void export_value_write_base64(FILE *f, const unsigned char *s, size_t len);

/* Decodes standard base64 (XML white space between groups allowed) into out, which must hold
 * len * 3 / 4 + 3 bytes. Returns the bytes written, or -1 when the text is not base64. */
long export_value_base64_decode(const char *s, size_t len, unsigned char *out);

/* A decimal integer as the collector writes it: -?[0-9]+, no blanks, fits long long.
 * Returns 0 with *out set, or -1. */
int export_value_parse_int(const char *s, size_t len, long long *out);

/* 1 when `s` is a canonical GUID: 8-4-4-4-12 upper-case hex digits. */
int export_value_is_guid(const char *s, size_t len);

/* 1 when `s` is a canonical time: 'YYYY-MM-DDTHH:MM:SS.mmmZ' with a valid date and time. */
int export_value_is_time(const char *s, size_t len);

#endif
