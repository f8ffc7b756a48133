/* psort.c: a two-thread merge sort over qsort (see psort.h). */
#include <err.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "nc.h"
#include "psort.h"

struct half {
	void *base;
	size_t n, size;
	int (*cmp)(const void *, const void *);
};

static void *
sort_half(void *arg)
{
	struct half *h = arg;

	qsort(h->base, h->n, h->size, h->cmp);
	return NULL;
}

void
psort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	struct half lo = { base, n / 2, size, cmp };
	struct half hi = { (char *)base + n / 2 * size, n - n / 2, size, cmp };
	char *tmp, *a, *b, *a_end, *b_end, *out;
	pthread_t t;

	if (n < 65536) {
		qsort(base, n, size, cmp);
		return;
	}
	if ((errno = pthread_create(&t, NULL, sort_half, &lo)) != 0)
		err(NC_FAIL, "pthread_create");
	sort_half(&hi);
	pthread_join(t, NULL);
	tmp = xmalloc(n * size);
	memcpy(tmp, base, n * size);
	a = tmp;
	a_end = b = tmp + lo.n * size;
	b_end = tmp + n * size;
	out = base;
	while (a < a_end && b < b_end) {
		/* Equal elements: the lower half first, as a stable merge. */
		if (cmp(b, a) < 0) {
			memcpy(out, b, size);
			b += size;
		} else {
			memcpy(out, a, size);
			a += size;
		}
		out += size;
	}
	memcpy(out, a, (size_t)(a_end - a));
	out += a_end - a;
	memcpy(out, b, (size_t)(b_end - b));
	free(tmp);
}
