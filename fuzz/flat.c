/*
 * fuzz/flat.c: the record scanner (lib/flat.c) and the casts (lib/cast.c).
 * Each line of the input is scanned; each field of a line that scans is
 * cast every way the filters cast it.  A line flat_scan takes must be a
 * JSON object to jansson too: the scanner is a fast path, not a second
 * idea of what JSON is.
 */
#include "fuzz.h"
#include "cast.h"
#include "flat.h"
#include "ndjson.h"

static void
cast_all(const struct flat_field *f)
{
	char buf[64];
	const char *s;
	size_t len;
	long long ll;
	long day;

	if (cast_string_f(f, buf, &s, &len) == CAST_OK)
		FUZZ_CHECK(s != NULL, "cast_string_f: OK without a string");
	(void)cast_cents_f(f, 2, &ll);
	(void)cast_cents_f(f, 0, &ll);
	(void)cast_int_f(f, &ll);
	(void)cast_date_f(f, &day);
	(void)cast_timestamp_f(f, &ll);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct flat_field buf[8];
	struct flat fl;
	const char *p = (const char *)data, *end = p + size;

	flat_init(&fl, buf, 8);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (flat_scan(&fl, p, len) == 0) {
			json_t *j = ndjson_parse(p, len, NULL, 0);

			FUZZ_CHECK(j != NULL && json_is_object(j),
			    "flat_scan took a line jansson refuses");
			json_decref(j);
			for (size_t i = 0; i < fl.n; i++)
				cast_all(&fl.f[i]);
		}
		p += len + (nl != NULL);
	}
	flat_release(&fl);
	return 0;
}
