/*
 * Unit tests of lib/features_fmt.c: the cache of formatted window values.
 * (Doubles themselves: tests/unit/shortest.c; integers: tests/unit/ndjson.c.)
 */
#include <math.h>
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
	return tap_done();
}
