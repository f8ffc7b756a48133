/* Unit tests of lib/cast.c: the seed's Spark casts. */
#include <stdlib.h>

#include "cast.h"
#include "date.h"
#include "tap.h"

static long long
cents_of(const char *json, enum cast_result *r)
{
	json_t *v = json_loads(json, JSON_DECODE_ANY, NULL);
	long long c = -999;

	*r = cast_cents(v, 10, &c);
	json_decref(v);
	return c;
}

static const char *
str_of(const char *json)
{
	static char *s;
	json_t *v = json_loads(json, JSON_DECODE_ANY, NULL);

	free(s);
	s = NULL;
	if (cast_string(v, &s) != CAST_OK)
		s = NULL;
	json_decref(v);
	return s ? s : "(fail)";
}

int
main(void)
{
	enum cast_result r;
	long long i;
	long d;
	json_t *v;

	ok(cents_of("2.345", &r) == 235 && r == CAST_OK, "2.345 rounds half up to 2.35");
	ok(cents_of("\"2.345\"", &r) == 235, "as a string too");
	ok(cents_of("2.344999", &r) == 234, "2.344999 rounds down");
	ok(cents_of("-2.345", &r) == -235, "negative rounds away from zero");
	ok(cents_of("12", &r) == 1200, "an integer");
	ok(cents_of("\" 0.05 \"", &r) == 5, "spaces around a string number");
	ok(cents_of("0.004", &r) == 0, "0.004 is 0.00");
	ok(cents_of("0.005", &r) == 1, "0.005 is 0.01");
	ok(cents_of("\"1.5e2\"", &r) == 15000, "exponent");
	ok(cents_of("\"12.3e-1\"", &r) == 123, "negative exponent");
	ok(cents_of("99999999.99", &r) == 9999999999LL && r == CAST_OK, "largest DECIMAL(10,2)");
	cents_of("99999999.995", &r);
	ok(r == CAST_RANGE, "rounding past DECIMAL(10,2) is out of range");
	cents_of("100000000", &r);
	ok(r == CAST_RANGE, "1e8 is out of range");
	cents_of("\"1e999\"", &r);
	ok(r == CAST_RANGE, "1e999 is out of range");
	ok(cents_of("\"0000012.10\"", &r) == 1210, "leading zeros");
	cents_of("\"12,50\"", &r);
	ok(r == CAST_BAD, "a decimal comma is not a number here");
	cents_of("\"abc\"", &r);
	ok(r == CAST_BAD, "text is not a number");
	cents_of("\"1.2.3\"", &r);
	ok(r == CAST_BAD, "two points");
	cents_of("null", &r);
	ok(r == CAST_NULL, "null stays null");
	cents_of("[1]", &r);
	ok(r == CAST_BAD, "an array is not a number");

	is_str(str_of("10825"), "10825", "integer id as string");
	is_str(str_of("10825.0"), "10825", "whole real id without .0");
	is_str(str_of("\"010825\""), "010825", "string id kept");
	is_str(str_of("1.5"), "1.5", "fractional real");
	is_str(str_of("{}"), "(fail)", "object is not a string");

	v = json_string("3.7");
	ok(cast_int(v, &i) == CAST_OK && i == 3, "\"3.7\" truncates to 3");
	json_decref(v);
	v = json_real(-3.7);
	ok(cast_int(v, &i) == CAST_OK && i == -3, "-3.7 truncates toward zero");
	json_decref(v);
	v = json_integer(3000000000LL);
	ok(cast_int(v, &i) == CAST_RANGE, "3e9 is out of INTEGER range");
	json_decref(v);
	v = json_string("x");
	ok(cast_int(v, &i) == CAST_BAD, "text is not an integer");
	json_decref(v);

	v = json_string("2024-01-02T23:30:00-03:00");
	ok(cast_date(v, &d) == CAST_OK && d == date_from_ymd(2024, 1, 2), "date part of a timestamp");
	json_decref(v);
	v = json_string("02/01/2024");
	ok(cast_date(v, &d) == CAST_OK && d == date_from_ymd(2024, 1, 2), "dd/mm/yyyy date");
	json_decref(v);
	v = json_string("2024-13-01");
	ok(cast_date(v, &d) == CAST_BAD, "month 13 is not a date");
	json_decref(v);
	return tap_done();
}
