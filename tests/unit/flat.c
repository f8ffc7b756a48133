/* Unit tests of lib/flat.c: the fast scanner agrees with jansson. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flat.h"
#include "tap.h"

/* The fields of both views as one comparable text: key=type:value;... */
static char *
describe(const struct flat *fl)
{
	struct strbuf sb = { 0 };

	for (size_t i = 0; i < fl->n; i++) {
		const struct flat_field *f = &fl->f[i];
		char t = "0snTFr"[f->type];

		strbuf_add(&sb, f->key, f->klen);
		strbuf_addc(&sb, '=');
		strbuf_addc(&sb, t);
		strbuf_addc(&sb, ':');
		if (f->type == FLAT_NUMBER) {
			/* numbers by value: the fast view keeps their text */
			char *tmp = strndup(f->val, f->vlen), num[32];

			ndjson_fmt_double(num, strtod(tmp, NULL));
			strbuf_add(&sb, num, strlen(num));
			free(tmp);
		} else if (f->val != NULL)
			strbuf_add(&sb, f->val, f->vlen);
		strbuf_addc(&sb, ';');
	}
	if (sb.s == NULL)
		strbuf_add(&sb, "", 0);
	return sb.s;
}

/* scan must accept line and see what jansson sees. */
static void
agrees(const char *line, const char *desc)
{
	struct flat_field b1[32], b2[32];
	struct flat fast, slow;
	json_t *o = json_loads(line, JSON_REJECT_DUPLICATES, NULL);
	char *d1 = NULL, *d2 = NULL;

	flat_init(&fast, b1, 32);
	flat_init(&slow, b2, 32);
	if (flat_scan(&fast, line, strlen(line)) != 0 || o == NULL) {
		ok(0, "%s: scanned (%s)", desc, o ? "jansson took it" : "jansson refused it too");
	} else {
		flat_from_json(&slow, o);
		d1 = describe(&fast);
		d2 = describe(&slow);
		ok(strcmp(d1, d2) == 0, "%s", desc);
		if (strcmp(d1, d2) != 0)
			printf("#   fast: %s\n#   slow: %s\n", d1, d2);
	}
	free(d1);
	free(d2);
	flat_release(&fast);
	flat_release(&slow);
	json_decref(o);
}

/* scan must hand line to jansson (-1). */
static void
falls_back(const char *line, const char *desc)
{
	struct flat_field b[32];
	struct flat fl;

	flat_init(&fl, b, 32);
	ok(flat_scan(&fl, line, strlen(line)) == -1, "falls back: %s", desc);
	flat_release(&fl);
}

/* Records wider than the caller's array (nc-features writes 38 fields and
 * more): scanned, not handed to jansson, escaped strings included. */
static void
wide(void)
{
	struct strbuf sb = { 0 };
	struct flat_field b[8];
	struct flat fl;
	const struct flat_field *f;

	strbuf_add(&sb, "{", 1);
	for (int i = 0; i < 100; i++) {
		char kv[64];

		snprintf(kv, sizeof(kv), i % 10 == 9 ? "%s\"k%d\":\"v\\u00e9%d\"" :
		    "%s\"k%d\":%d", i ? "," : "", i, i);
		strbuf_add(&sb, kv, strlen(kv));
	}
	strbuf_add(&sb, "}", 2);
	agrees(sb.s, "100 fields, every tenth an escaped string");
	flat_init(&fl, b, 8);
	ok(flat_scan(&fl, sb.s, strlen(sb.s)) == 0 && fl.n == 100 &&
	    (f = &fl.f[99])->vlen == 5 && memcmp(f->val, "v\xc3\xa9" "99", 5) == 0 &&
	    fl.f[98].vlen == 2 && memcmp(fl.f[98].val, "98", 2) == 0,
	    "a 100-field record in a view of 8: the last fields right");
	ok(flat_scan(&fl, "{\"a\":1}", 7) == 0 && fl.n == 1, "a narrow record after it");
	flat_release(&fl);
	ok(fl.f == b && fl.cap == 8, "released: back to the caller's array");
	free(sb.s);
}

int
main(void)
{
	agrees("{}", "empty object");
	agrees(" { \"a\" : 1 , \"b\":\"x\" } ", "white space around everything");
	agrees("{\"i\":-12,\"r\":2.35,\"e\":1e3,\"E\":-0.5E-2,\"z\":0,\"nz\":-0}", "numbers");
	agrees("{\"t\":true,\"f\":false,\"n\":null}", "literals");
	agrees("{\"name\":\"PREGO 2.1/2\\\"X10MM\"}", "escaped quote");
	agrees("{\"s\":\"a\\\\b\\/c\\n\\t\\r\\b\\f\"}", "every short escape");
	agrees("{\"s\":\"S\\u00e3o Jo\\u00E3o\"}", "\\u escapes to UTF-8");
	agrees("{\"s\":\"\\ud83d\\ude00 ok\"}", "a surrogate pair");
	agrees("{\"s\":\"ELÉTRICO ção 日本\"}", "raw UTF-8");
	agrees("{\"k\\u00e9y\":1,\"x\\\"\":2}", "escaped keys");
	agrees("{\"a\":\"\",\"b\":\"\\\"\"}", "empty and one-escape strings");

	wide();

	falls_back("{\"a\":[1,2]}", "an array value");
	falls_back("{\"a\":{\"b\":1}}", "an object value");
	falls_back("{\"a\":1,\"a\":2}", "a repeated key");
	falls_back("{\"a\":\"\\u0000\"}", "\\u0000");
	falls_back("{\"a\":\"\\ud800\"}", "a lone high surrogate");
	falls_back("{\"a\":\"\\udc00\"}", "a lone low surrogate");
	falls_back("{\"a\":\"\\x\"}", "an unknown escape");
	falls_back("{\"a\":\"\xc3\x28\"}", "invalid UTF-8");
	falls_back("{\"a\":\"tab\there\"}", "a raw control character");
	falls_back("{\"a\":01}", "a leading zero");
	falls_back("{\"a\":1.}", "a point without digits");
	falls_back("{\"a\":.5}", "no digit before the point");
	falls_back("{\"a\":1e}", "an exponent without digits");
	falls_back("{\"a\":-}", "a lone minus");
	falls_back("{\"a\":+1}", "a plus sign");
	falls_back("{\"a\":1234567890123456789}", "an integer of 19 digits");
	falls_back("{\"a\":1e999}", "a real past a double's range (found by fuzz/flat)");
	falls_back("{\"a\":-2222222222.5E22222222226}", "a negative real past the range");
	agrees("{\"a\":1.7e308,\"b\":-1.7E+308,\"c\":1e-999,\"d\":0.0001e310}", "reals near and past the range's ends that a double holds");
	falls_back("{\"a\":1} x", "trailing text");
	falls_back("{\"a\":1,}", "a trailing comma");
	falls_back("{\"a\" 1}", "no colon");
	falls_back("{\"a\":nul}", "a broken literal");
	falls_back("[1]", "an array");
	falls_back("{\"a\":\"open", "an open string");
	falls_back("", "nothing");
	return tap_done();
}
