/* tds_text: UTF-8 <-> UTF-16LE conversions for the TDS test server (TDS speaks UCS-2/UTF-16). */
#ifndef TDS_TEXT_H
#define TDS_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* Decodes one code point from the UTF-8 text at *p (before end) and advances *p. Invalid
   sequences decode to U+FFFD one byte at a time, so any byte string converts. */
uint32_t tds_text_next_utf8(const unsigned char **p, const unsigned char *end);

/* Number of UTF-16 code units the UTF-8 text s[0..n) needs. */
size_t tds_text_utf16_units(const char *s, size_t n);

/* The same, for the longest prefix of whole characters that fits in max units: what
   tds_wire_utf16(w, s, n, max) writes, so a length sent before the text matches it (a
   character outside the BMP takes two units and is never cut in half). */
size_t tds_text_utf16_units_max(const char *s, size_t n, size_t max);

/* Converts UTF-16LE bytes (nbytes, an odd last byte is ignored) to a NUL-terminated UTF-8
   string. Returns a malloc'd string the caller frees, or NULL when out of memory. */
char *tds_text_from_utf16le(const unsigned char *in, size_t nbytes);

/* Appends the UTF-16LE form of code point cp to out (room for 4 bytes); returns the bytes
   written (2 or 4). */
size_t tds_text_put_utf16le(uint32_t cp, unsigned char *out);

#endif
