/*
 * text.h: bytes of text as spreadsheets and Brazilian exports write them:
 * UTF-8 checks, Latin-1 to UTF-8, numbers with a decimal point or comma.
 *
 * Ownership: nothing here keeps a pointer it is given; text_*_append()
 * append to a strbuf the caller owns.
 *
 *	long long i; double d;
 *	text_number("1.234,56", 8, TEXT_DECIMAL_COMMA, &i, &d);  // TEXT_REAL, 1234.56
 *	text_number("010825", 6, 0, &i, &d);                     // TEXT_NONE: a code
 */
#ifndef NC_TEXT_H
#define NC_TEXT_H

#include <stddef.h>

#include "ndjson.h"

/* 1 if s holds nothing but spaces and tabs (or nothing at all). */
int text_blank(const char *s, size_t len);

/* Length of the leading run of ASCII bytes (< 0x80) of s. */
size_t text_ascii_span(const char *s, size_t len);

/*
 * 1 if s is well-formed UTF-8 (no overlong forms, no surrogates, nothing
 * past U+10FFFF), else 0.
 */
int text_utf8_valid(const char *s, size_t len);

/* Append s, read as ISO-8859-1, to sb in UTF-8 ("\xe7" -> "ç"). */
void text_latin1_append(struct strbuf *sb, const char *s, size_t len);

/* Append s to sb with each byte that is not part of valid UTF-8 replaced
 * by U+FFFD, so that the result is always valid. */
void text_utf8_repair_append(struct strbuf *sb, const char *s, size_t len);

enum text_num { TEXT_NONE = 0, TEXT_INT = 1, TEXT_REAL = 2 };

#define TEXT_DECIMAL_COMMA 1   /* "1.234,56": '.' groups thousands, ',' decimals */

/*
 * The whole of s as a number: TEXT_INT with *i (fits int64, no fraction
 * or exponent), TEXT_REAL with *d, or TEXT_NONE when it is not one.
 * Grammar: [-] int [sep digits] [(e|E) [+|-] digits], where int is "0",
 * digits without a leading zero, or empty before a fraction (".8", ",8").
 * With TEXT_DECIMAL_COMMA the separator is ',' and int may be grouped by
 * '.' in groups of exactly three ("12.345.678").  A leading zero ("010825"),
 * a '+', white space, an integer past int64 or a real past double's range
 * give TEXT_NONE: such text is a code, not a quantity.
 */
enum text_num text_number(const char *s, size_t len, int flags, long long *i, double *d);

#endif
