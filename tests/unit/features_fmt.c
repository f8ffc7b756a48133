/*
 * Unit tests of lib/features_fmt.c: the cache of formatted window values
 * and ffmt_long(). (Doubles themselves: tests/unit/shortest.c.)
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "features_fmt.h"
#include "ndjson.h"
#include "tap.h"

int
main(void)
{
	char buf[FFMT_BUFSZ];

	{
		struct ffmt_cache c = { 0 };
		int n, same = 1;

		/* More values than slots, each twice: hits, misses, collisions. */
		for (int round = 0; round < 2; round++)
			for (int i = 0; i < 20000; i++) {
				double d = (double)(i % 5000) / (1 + i % 7);
				const char *s = ffmt_cached(&c, d, &n);

				ndjson_fmt_double(buf, d);
				same &= n == (int)strlen(buf) && strcmp(s, buf) == 0;
			}
		ok(same, "ffmt_cached gives what ndjson_fmt_double gives");
		ok(ffmt_cached(&c, NAN, &n) != NULL && n == 0, "ffmt_cached NaN: length 0");
		ffmt_cache_release(&c);
	}
	is_str((ffmt_long(buf, 0), buf), "0", "ffmt_long 0");
	is_str((ffmt_long(buf, -42), buf), "-42", "ffmt_long -42");
	is_str((ffmt_long(buf, INT64_MIN), buf), "-9223372036854775808", "ffmt_long INT64_MIN");
	return tap_done();
}
