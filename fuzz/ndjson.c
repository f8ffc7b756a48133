/*
 * fuzz/ndjson.c: the NDJSON reader and writer (lib/ndjson.c).  Each line
 * that parses is written out; what is written must parse again and write
 * the same bytes (numbers keep their printed form), and must be one line.
 */
#include "fuzz.h"
#include "ndjson.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;
	char why[128];

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		json_t *j = ndjson_parse(p, len, why, sizeof(why));

		if (j != NULL) {
			struct strbuf a = { 0 }, b = { 0 };
			json_t *k;

			ndjson_dump(&a, j);
			FUZZ_CHECK(a.len > 0 && memchr(a.s, '\n', a.len) == NULL,
			    "a record written on more than one line");
			k = ndjson_parse(a.s, a.len, why, sizeof(why));
			FUZZ_CHECK(k != NULL, "a written record does not parse");
			ndjson_dump(&b, k);
			FUZZ_CHECK(a.len == b.len && memcmp(a.s, b.s, a.len) == 0,
			    "a record written twice differs");
			json_decref(k);
			json_decref(j);
			strbuf_release(&a);
			strbuf_release(&b);
		}
		p += len + (nl != NULL);
	}
	return 0;
}
