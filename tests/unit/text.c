/* Unit tests of lib/text.c: UTF-8, Latin-1, number syntax. */
#include <string.h>

#include "text.h"
#include "tap.h"

static long long gi;
static double gd;

static enum text_num
num(const char *s, int flags)
{
	return text_number(s, strlen(s), flags, &gi, &gd);
}

/* The text that append() leaves in an empty buffer. */
static const char *
conv(void (*append)(struct strbuf *, const char *, size_t), const char *s)
{
	static struct strbuf sb;

	sb.len = 0;
	strbuf_add(&sb, "", 0);
	append(&sb, s, strlen(s));
	return sb.s;
}

static int
valid(const char *s)
{
	return text_utf8_valid(s, strlen(s));
}

int
main(void)
{
	const int dc = TEXT_DECIMAL_COMMA;

	ok(text_blank(" \t ", 3) && text_blank("", 0) && !text_blank(" x", 2), "blank lines");

	/* UTF-8 */
	ok(valid("plain ascii"), "ASCII is valid UTF-8");
	ok(valid("PRECIPITA\xc3\x87\xc3\x83O"), "two-byte sequences are valid");
	ok(valid("\xe2\x82\xac \xf0\x9f\x93\xa1"), "three and four bytes are valid");
	ok(!valid("PRECIPITA\xc7\xc3O"), "Latin-1 bytes are not UTF-8");
	ok(!valid("\xc3"), "a truncated sequence is invalid");
	ok(!valid("\xc0\xaf"), "an overlong form is invalid");
	ok(!valid("\xed\xa0\x80"), "a surrogate is invalid");
	ok(!valid("\xf4\x90\x80\x80"), "past U+10FFFF is invalid");
	ok(text_ascii_span("ab\xc3\xa7", 4) == 2, "ascii span stops at the first high byte");
	is_str(conv(text_latin1_append, "a\xe7\xe3o \xb0"), "a\xc3\xa7\xc3\xa3o \xc2\xb0", "Latin-1 to UTF-8");
	is_str(conv(text_latin1_append, "plain"), "plain", "ASCII is unchanged by Latin-1 conversion");
	is_str(conv(text_utf8_repair_append, "a\xe7" "b\xc3\xa7"), "a\xef\xbf\xbd" "b\xc3\xa7", "repair replaces bad bytes only");

	/* Numbers with a decimal point. */
	ok(num("42", 0) == TEXT_INT && gi == 42, "42 is an integer");
	ok(num("-7", 0) == TEXT_INT && gi == -7, "-7 is an integer");
	ok(num("0", 0) == TEXT_INT && gi == 0, "0 is an integer");
	ok(num("10.0", 0) == TEXT_REAL && gd == 10.0, "10.0 is a real");
	ok(num(".8", 0) == TEXT_REAL && gd == 0.8, ".8 is 0.8");
	ok(num("-0.25", 0) == TEXT_REAL && gd == -0.25, "-0.25 is a real");
	ok(num("1e3", 0) == TEXT_REAL && gd == 1000.0, "1e3 is a real");
	ok(num("2.5E-1", 0) == TEXT_REAL && gd == 0.25, "2.5E-1 is a real");
	ok(num("010825", 0) == TEXT_NONE, "a leading zero makes a code");
	ok(num("00.5", 0) == TEXT_NONE, "00.5 is not a number");
	ok(num("9223372036854775807", 0) == TEXT_INT && gi == 9223372036854775807LL, "INT64_MAX fits");
	ok(num("-9223372036854775808", 0) == TEXT_INT && gi == (-9223372036854775807LL - 1), "INT64_MIN fits");
	ok(num("9223372036854775808", 0) == TEXT_NONE, "INT64_MAX + 1 stays text");
	ok(num("123456789012345678901234567890", 0) == TEXT_NONE, "a huge integer stays text");
	ok(num("1e999", 0) == TEXT_NONE, "a real past double stays text");
	ok(num("", 0) == TEXT_NONE, "empty is not a number");
	ok(num("-", 0) == TEXT_NONE, "- is not a number");
	ok(num(".", 0) == TEXT_NONE, ". is not a number");
	ok(num("5.", 0) == TEXT_NONE, "5. is not a number");
	ok(num("+5", 0) == TEXT_NONE, "+5 is not a number");
	ok(num(" 5", 0) == TEXT_NONE, "white space is not part of a number");
	ok(num("1e", 0) == TEXT_NONE, "1e is not a number");
	ok(num("nan", 0) == TEXT_NONE && num("inf", 0) == TEXT_NONE, "nan and inf are text");
	ok(num("0x10", 0) == TEXT_NONE, "hex is text");
	ok(num("1,5", 0) == TEXT_NONE, "a comma is text without the flag");

	/* Brazilian numbers. */
	ok(num("1.234,56", dc) == TEXT_REAL && gd == 1234.56, "1.234,56 is 1234.56");
	ok(num(",8", dc) == TEXT_REAL && gd == 0.8, ",8 is 0.8");
	ok(num("-3,5", dc) == TEXT_REAL && gd == -3.5, "-3,5 is -3.5");
	ok(num("887,7", dc) == TEXT_REAL && gd == 887.7, "887,7 is 887.7");
	ok(num("12.345.678", dc) == TEXT_INT && gi == 12345678, "12.345.678 is an integer");
	ok(num("1234,5", dc) == TEXT_REAL && gd == 1234.5, "ungrouped 1234,5 is a number");
	ok(num("0,5", dc) == TEXT_REAL && gd == 0.5, "0,5 is 0.5");
	ok(num("1.23", dc) == TEXT_NONE, "a group of two stays text");
	ok(num("1.2345", dc) == TEXT_NONE, "a group of four stays text");
	ok(num("1234.567", dc) == TEXT_NONE, "a first group of four stays text");
	ok(num("0.123", dc) == TEXT_NONE, "a first group of 0 stays text");
	ok(num("10.0", dc) == TEXT_NONE, "10.0 is text with a decimal comma");
	ok(num("1.234,", dc) == TEXT_NONE, "a comma without decimals stays text");
	ok(num("1.234.", dc) == TEXT_NONE, "a trailing dot stays text");
	ok(num("010825", dc) == TEXT_NONE, "a leading zero makes a code here too");
	return tap_done();
}
