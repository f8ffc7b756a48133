/* Unit tests of lib/ndjson.c: parsing lines, printing numbers. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ndjson.h"
#include "tap.h"

static const char *
fmt(double d)
{
	static char buf[32];

	if (ndjson_fmt_double(buf, d) == 0)
		return "(none)";
	return buf;
}

static const char *
dump(const char *text)
{
	static struct strbuf sb;
	static char why[200];
	json_t *o = ndjson_parse(text, strlen(text), why, sizeof(why));

	if (o == NULL)
		return why;
	sb.len = 0;
	ndjson_dump(&sb, o);
	json_decref(o);
	return sb.s;
}

int
main(void)
{
	char why[200];
	json_t *o;
	double d;

	is_str(fmt(2.35), "2.35", "2.35 prints without noise");
	is_str(fmt(0.1 + 0.2), "0.30000000000000004", "0.1+0.2 keeps its 17 digits");
	is_str(fmt(12.0), "12.0", "an integral real keeps .0");
	is_str(fmt(-0.5), "-0.5", "negative");
	is_str(fmt(1e300), "1e+300", "large exponent");
	is_str(fmt(1.0 / 3), "0.3333333333333333", "1/3 reads back exactly");
	ok(strtod(fmt(1.0 / 3), NULL) == 1.0 / 3, "and does read back");
	is_str(fmt(0.0 / 0.0), "(none)", "NaN is not printed");
	is_str(fmt(7.05), "7.05", "cents fast path");
	is_str(fmt(-7.5), "-7.5", "negative cents, zero trimmed");
	is_str(fmt(0.07), "0.07", "below one");
	{
		char ib[24];

		is_str((ndjson_fmt_long(ib, 0), ib), "0", "ndjson_fmt_long 0");
		is_str((ndjson_fmt_long(ib, -42), ib), "-42", "ndjson_fmt_long -42");
		is_str((ndjson_fmt_long(ib, INT64_MIN), ib), "-9223372036854775808",
		    "ndjson_fmt_long INT64_MIN");
	}
	is_str(fmt(-0.07), "-0.07", "below minus one");
	is_str(fmt(2.0 / 3.0), "0.6666666666666666", "not cents: slow path");
	is_str(fmt(99999999999.99), "99999999999.99", "large cents");
	is_str(fmt(1e-300), "1e-300", "tiny value");
	is_str(fmt(0.0), "0.0", "zero");
	{
		/* Every n/100 for n in a range reads back exactly. */
		int bad = 0;
		char b[32];

		for (long long n = -200000; n <= 200000; n++) {
			double x = (double)n / 100.0;

			ndjson_fmt_double(b, x);
			if (strtod(b, NULL) != x)
				bad++;
		}
		ok(bad == 0, "n/100 round-trips for |n| <= 200000 (%d bad)", bad);
	}

	is_str(dump("{\"a\":1,\"b\":2.5,\"c\":\"x\\\"y\\n\",\"d\":null,\"e\":[true,false],\"f\":{}}"),
	    "{\"a\":1,\"b\":2.5,\"c\":\"x\\\"y\\n\",\"d\":null,\"e\":[true,false],\"f\":{}}",
	    "round trip of every type");
	is_str(dump("{\"z\":1,\"a\":2,\"m\":3}"), "{\"z\":1,\"a\":2,\"m\":3}", "key order kept");
	is_str(dump("{\"s\":\"S\\u00e3o \\u0001\"}"), "{\"s\":\"São \\u0001\"}", "UTF-8 kept, controls escaped");
	o = ndjson_parse("[1,2]", 5, why, sizeof(why));
	ok(o == NULL && strcmp(why, "not a JSON object") == 0, "an array is not a record");
	o = ndjson_parse("{\"a\":1", 6, why, sizeof(why));
	ok(o == NULL && strncmp(why, "invalid JSON", 12) == 0, "truncated object is refused");
	o = ndjson_parse("{\"a\":1,\"a\":2}", 13, why, sizeof(why));
	ok(o == NULL, "duplicate keys are refused");
	o = ndjson_parse("{\"a\":1} x", 9, why, sizeof(why));
	ok(o == NULL, "trailing text is refused");
	o = ndjson_parse("42", 2, why, sizeof(why));
	ok(o == NULL && strcmp(why, "not a JSON object") == 0, "a number is not a record");

	o = json_pack("{s:s, s:s, s:i, s:n, s:s, s:s}", "a", " 3.5 ", "b", "x", "c", 7, "d",
	    "e", "", "f", "nan");
	ok(ndjson_number(json_object_get(o, "a"), &d) == 1 && d == 3.5, "numeric string with spaces");
	ok(ndjson_number(json_object_get(o, "b"), &d) == -1, "text is not a number");
	ok(ndjson_number(json_object_get(o, "c"), &d) == 1 && d == 7, "integer");
	ok(ndjson_number(json_object_get(o, "d"), &d) == 0, "null is absent");
	ok(ndjson_number(json_object_get(o, "zz"), &d) == 0, "missing is absent");
	ok(ndjson_number(json_object_get(o, "e"), &d) == -1, "empty string is not a number");
	ok(ndjson_number(json_object_get(o, "f"), &d) == -1, "nan is not a number");
	json_decref(o);
	return tap_done();
}
