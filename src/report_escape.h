/* report_escape: UTF-8 decoding and escaping of untrusted text for every report format. */
#ifndef SUSAUDIT_REPORT_ESCAPE_H
#define SUSAUDIT_REPORT_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

/* The replacement character written for invalid UTF-8 and forbidden control characters. */
#define REPORT_REPLACEMENT 0xFFFDUL

/* Decodes one UTF-8 sequence of the NUL-terminated `s`. Stores the code point in *cp, or
 * U+FFFD when the bytes are not valid UTF-8 (stray continuation, truncated, overlong,
 * surrogate, above U+10FFFF). Returns the bytes consumed: 1 for an invalid byte, 0 at the end. */
size_t report_utf8_decode(const char *s, unsigned long *cp);

/* Writes one code point as UTF-8. */
void report_put_codepoint(FILE *out, unsigned long cp);

/* Bytes taken by the first `max_chars` code points of `s` (all of it when shorter). */
size_t report_utf8_prefix(const char *s, size_t max_chars);

/* Number of code points in `s` (invalid bytes count one each). NULL is 0. */
size_t report_utf8_length(const char *s);

/* Terminal columns `s` takes once written by report_text_put (wide CJK counts 2). */
size_t report_text_width(const char *s);

/* Whether `cp` is a bidirectional control (U+202A-202E, U+2066-2069, U+200E/F, U+061C):
 * text that reorders what follows it on screen ("Trojan Source"), so every writer shows it
 * as an escape (text \u202e, JSON \u202e) or by name (XML, HTML, CSV: [U+202E]). */
int report_is_bidi_control(unsigned long cp);

/* Writes `s` as a JSON string literal with quotes; NULL writes null. Control characters
 * become \uXXXX (or \n, \t ...), invalid UTF-8 becomes U+FFFD, U+2028/9 are escaped so the
 * output is also safe as JavaScript; other non-ASCII text is kept as UTF-8. */
void report_json_string(FILE *out, const char *s);

/* Writes at most `n` bytes of `s` escaped for XML/HTML text and attribute values (& < > " '
 * all escaped). Characters XML 1.0 forbids (C0 controls but tab, newline and carriage return;
 * U+FFFE, U+FFFF) and invalid UTF-8 become U+FFFD. NULL writes nothing. */
void report_xml_putn(FILE *out, const char *s, size_t n);
void report_xml_put(FILE *out, const char *s);

/* Writes one CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF, quotes
 * doubled. A field starting with = + - @ (or tab, CR) gets a leading ' so spreadsheets do
 * not evaluate it as a formula; the lone "-" of a rule-less check is left alone. Invalid
 * UTF-8 and control characters other than tab, CR and LF become U+FFFD. NULL is empty. */
void report_csv_field(FILE *out, const char *s);

/* Writes at most `n` bytes of `s` for a terminal: control characters (C0, DEL, C1) shown as
 * \xNN so database text cannot move the cursor or change colours, invalid UTF-8 as U+FFFD.
 * With `keep_newlines` a newline is written as is, else as \n. NULL writes nothing. */
void report_text_putn(FILE *out, const char *s, size_t n, int keep_newlines);
void report_text_put(FILE *out, const char *s);

#endif
