/* test_report_escape: UTF-8 decoding and the escaping of every report format. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "report_escape.h"

/* Runs one escaper into memory and compares the result. */
static void expect(void (*fn)(FILE *, const char *), const char *in, const char *want)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);

	assert_non_null(mem);
	fn(mem, in);
	assert_int_equal(fclose(mem), 0);
	assert_string_equal(buf, want);
	free(buf);
}

static void decode(const char *s, size_t want_len, unsigned long want_cp)
{
	unsigned long cp = 1;

	assert_int_equal(report_utf8_decode(s, &cp), want_len);
	assert_int_equal(cp, want_cp);
}

static void test_utf8_decode(void **state)
{
	(void)state;
	decode("", 0, 0);
	decode(NULL, 0, 0);
	decode("A", 1, 'A');
	decode("\xc3\xa9", 2, 0xE9);
	decode("\xe6\x9b\xb4", 3, 0x66F4); /* 更 */
	decode("\xf0\x9f\x98\x80", 4, 0x1F600);
	decode("\xff", 1, 0xFFFD);	       /* never valid */
	decode("\x80", 1, 0xFFFD);	       /* stray continuation */
	decode("\xc0\xaf", 1, 0xFFFD);	       /* overlong '/' */
	decode("\xe0\x80\xaf", 1, 0xFFFD);     /* overlong, 3 bytes */
	decode("\xed\xa0\x80", 1, 0xFFFD);     /* surrogate */
	decode("\xf4\x90\x80\x80", 1, 0xFFFD); /* above U+10FFFF */
	decode("\xe6\x9b", 1, 0xFFFD);	       /* truncated by the terminator */
	decode("\xc3\x28", 1, 0xFFFD);	       /* bad continuation */
	assert_int_equal(report_utf8_length("a\xff\xe6\x9b\xb4"), 3);
	assert_int_equal(report_utf8_prefix("\xe6\x9b\xb4\xe6\x96\xb0", 1), 3);
	assert_int_equal(report_utf8_prefix("ab", 5), 2);
	assert_int_equal(report_text_width("更新ab"), 6);
	assert_int_equal(report_text_width("a\x01"), 5);
	assert_int_equal(report_text_width(NULL), 0);
}

static void test_json(void **state)
{
	(void)state;
	expect(report_json_string, NULL, "null");
	expect(report_json_string, "", "\"\"");
	expect(report_json_string, "a\"b\\c/d", "\"a\\\"b\\\\c/d\"");
	expect(report_json_string, "\n\r\t\b\f\x01\x1f\x7f",
	       "\"\\n\\r\\t\\b\\f\\u0001\\u001f\\u007f\"");
	expect(report_json_string, "更新", "\"更新\"");
	expect(report_json_string, "x\xff\xc0\xafy", "\"x\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbdy\"");
	expect(report_json_string, "\xe2\x80\xa8", "\"\\u2028\"");
	expect(report_json_string, "</script>", "\"</script>\"");
}

static void test_xml(void **state)
{
	(void)state;
	expect(report_xml_put, NULL, "");
	expect(report_xml_put, "<script>alert(1)</script>",
	       "&lt;script&gt;alert(1)&lt;/script&gt;");
	expect(report_xml_put, "\"><img src=x onerror=alert(1)>",
	       "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
	expect(report_xml_put, "a&b 'c'", "a&amp;b &#39;c&#39;");
	expect(report_xml_put, "t\tn\nr\r", "t\tn\nr\r");
	expect(report_xml_put, "\x01\x1b\x7f", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	expect(report_xml_put, "\xef\xbf\xbe", "\xef\xbf\xbd"); /* U+FFFE is not XML */
	expect(report_xml_put, "\xc2\x85", "\xef\xbf\xbd");	/* C1 control */
	expect(report_xml_put, "更新\xff", "更新\xef\xbf\xbd");
}

static void xml_cut(FILE *out, const char *s)
{
	report_xml_putn(out, s, 4); /* "a" and the 3 bytes of 更, not a split of 新 */
}

static void test_xml_cut(void **state)
{
	(void)state;
	expect(xml_cut, "a更新", "a更");
	expect(xml_cut, "ab更", "ab");
}

static void test_csv(void **state)
{
	(void)state;
	expect(report_csv_field, NULL, "");
	expect(report_csv_field, "plain", "plain");
	expect(report_csv_field, "a,b", "\"a,b\"");
	expect(report_csv_field, "say \"hi\"", "\"say \"\"hi\"\"\"");
	expect(report_csv_field, "two\nlines", "\"two\nlines\"");
	expect(report_csv_field, "=1+1", "\"'=1+1\"");
	expect(report_csv_field, "+1", "\"'+1\"");
	expect(report_csv_field, "-1", "\"'-1\"");
	expect(report_csv_field, "@SUM(A1)", "\"'@SUM(A1)\"");
	expect(report_csv_field, "-", "-");
	expect(report_csv_field, "a=b", "a=b");
	expect(report_csv_field, "x\x01\xff", "x\xef\xbf\xbd\xef\xbf\xbd");
	expect(report_csv_field, "東京", "東京");
}

static void test_text(void **state)
{
	(void)state;
	expect(report_text_put, NULL, "");
	expect(report_text_put, "red \x1b[31m!", "red \\x1b[31m!");
	expect(report_text_put, "a\nb\x7f", "a\\nb\\x7f");
	expect(report_text_put,
	       "\xc2\x9b"
	       "1m",
	       "\\x9b1m"); /* C1 CSI */
	expect(report_text_put, "更新\xc3\x28", "更新\xef\xbf\xbd(");
}

/* Issue 12 point 10: every bidirectional control, in every escaper, is shown, never raw. */
static void test_bidi_controls(void **state)
{
	static const unsigned long bidi[] = {0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066,
					     0x2067, 0x2068, 0x2069, 0x200E, 0x200F, 0x061C};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bidi) / sizeof(bidi[0]); i++) {
		char in[16], *buf = NULL, want[32];
		size_t len = 0;
		FILE *mem = open_memstream(&buf, &len);

		assert_non_null(mem);
		fputs("a", mem);
		report_put_codepoint(mem, bidi[i]);
		fputs("b", mem);
		assert_int_equal(fclose(mem), 0);
		assert_true(len < sizeof(in));
		memcpy(in, buf, len + 1);
		free(buf);
		assert_int_equal(report_is_bidi_control(bidi[i]), 1);
		snprintf(want, sizeof(want), "a\\u%04lxb", bidi[i]);
		expect(report_text_put, in, want);
		snprintf(want, sizeof(want), "\"a\\u%04lxb\"", bidi[i]);
		expect(report_json_string, in, want);
		snprintf(want, sizeof(want), "a[U+%04lX]b", bidi[i]);
		expect(report_xml_put, in, want);
		expect(report_csv_field, in, want);
		assert_int_equal(report_text_width(in), 8);
	}
	/* their neighbours are ordinary text */
	assert_int_equal(report_is_bidi_control(0x2029), 0);
	assert_int_equal(report_is_bidi_control(0x2065), 0);
	assert_int_equal(report_is_bidi_control(0x206A), 0);
	assert_int_equal(report_is_bidi_control(0x202F), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_utf8_decode), cmocka_unit_test(test_json),
	    cmocka_unit_test(test_xml),		cmocka_unit_test(test_xml_cut),
	    cmocka_unit_test(test_csv),		cmocka_unit_test(test_text),
	    cmocka_unit_test(test_bidi_controls),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
