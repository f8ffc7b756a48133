/*
 * features_fmt.c: shortest round-trip doubles and integers without printf
 * (features_fmt.h).
 *
 * A finite positive double is mant / 2^s with 2^52 <= mant < 2^53.  Its
 * value rounded to P significant digits is N / 10^k with k = P - 1 - E (E
 * its decimal exponent): mant * 10^k = q * 2^s + r gives N = q, or q + 1
 * when r is over half of 2^s (or exactly half and q odd: printf rounds
 * ties to even).  N / 10^k reads back as the same double when it is
 * closer to it than half its spacing 2^-s, that is when
 * 2 * |N * 2^s - mant * 10^k| < 10^k; on a tie strtod picks the even
 * mantissa.  In the range taken here (1e-4 <= d < 1e14, so s <= 66 and
 * k <= 21) mant * 10^k is below 2^127.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "features_fmt.h"
#include "nc.h"
#include "ndjson.h"

typedef unsigned __int128 u128;

#define E19 10000000000000000000ULL
static const u128 p10[] = {
	1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL, 10000000ULL,
	100000000ULL, 1000000000ULL, 10000000000ULL, 100000000000ULL,
	1000000000000ULL, 10000000000000ULL, 100000000000000ULL, 1000000000000000ULL,
	10000000000000000ULL, 100000000000000000ULL, 1000000000000000000ULL, E19,
	(u128)E19 * 10, (u128)E19 * 100, (u128)E19 * 1000,
};

#define NP10 ((int)(sizeof(p10) / sizeof(*p10)))

/* A value rounded to p digits: n has exactly p digits; x is the decimal
 * exponent of its first one. */
struct dec {
	uint64_t n;
	int x;
	int reads_back;
};

static int
round_digits(uint64_t mant, int s, int p, int e10, struct dec *out)
{
	const u128 one = (u128)1 << s, half = one >> 1;

	for (;;) {
		int k = p - 1 - e10;
		u128 prod, q, r, diff;
		int up;

		if (k < 0 || k >= NP10)
			return -1;
		prod = (u128)mant * p10[k];
		q = prod >> s;
		r = prod & (one - 1);
		if (q >= p10[p]) {
			e10++;
			continue;
		}
		if (q < p10[p - 1]) {
			e10--;
			continue;
		}
		up = r > half || (r == half && (q & 1));
		diff = up ? one - r : r;
		q += (u128)up;
		if (q == p10[p]) {
			q = p10[p - 1];
			e10++;
		}
		out->n = (uint64_t)q;
		out->x = e10;
		out->reads_back = 2 * diff < p10[k] || (2 * diff == p10[k] && !(mant & 1));
		return 0;
	}
}

/* %.<p>g of a value in f-style (-4 <= x < p), then ".0" when whole. */
static int
write_dec(char *buf, int neg, const struct dec *v, int p)
{
	char dig[20];
	uint64_t n = v->n;
	int len = 0, end;

	for (int i = p - 1; i >= 0; i--) {
		dig[i] = (char)('0' + n % 10);
		n /= 10;
	}
	while (p > 1 && dig[p - 1] == '0' && p - 1 > v->x)
		p--;            /* trailing zeros of the fraction */
	if (neg)
		buf[len++] = '-';
	if (v->x < 0) {
		buf[len++] = '0';
		buf[len++] = '.';
		for (int i = 0; i < -v->x - 1; i++)
			buf[len++] = '0';
		memcpy(buf + len, dig, (size_t)p);
		len += p;
	} else {
		end = v->x + 1;
		memcpy(buf + len, dig, (size_t)end);
		len += end;
		buf[len++] = '.';
		if (p > end) {
			memcpy(buf + len, dig + end, (size_t)(p - end));
			len += p - end;
		} else
			buf[len++] = '0';
	}
	buf[len] = '\0';
	return len;
}

int
ffmt_double(char *buf, double d)
{
	double a = fabs(d);
	uint64_t bits, mant;
	int s, e10;

	if (!(a >= 1e-4 && a < 1e14))
		return ndjson_fmt_double(buf, d);
	/* ndjson_fmt_double's own fast path: hundredths. */
	if (a < 1e13) {
		double x = d * 100.0;
		long long c = (long long)(x < 0 ? x - 0.5 : x + 0.5);

		if ((double)c / 100.0 == d)
			return ndjson_fmt_double(buf, d);
	}
	memcpy(&bits, &a, sizeof(bits));
	mant = (bits & ((1ULL << 52) - 1)) | (1ULL << 52);
	if (mant == 1ULL << 52)
		return ndjson_fmt_double(buf, d);
	s = 1075 - (int)(bits >> 52);
	/* log10(2) ~ 78913 / 2^18; round_digits corrects an estimate off by one. */
	e10 = 52 - s;
	e10 = e10 >= 0 ? (e10 * 78913) >> 18 : -((-e10 * 78913 + (1 << 18) - 1) >> 18);
	for (int p = 15; p <= 17; p++) {
		struct dec v;

		if (round_digits(mant, s, p, e10, &v) != 0)
			return ndjson_fmt_double(buf, d);
		if (v.reads_back || p == 17)
			return write_dec(buf, d < 0, &v, p);
	}
	return ndjson_fmt_double(buf, d);       /* not reached */
}

int
ffmt_long(char *buf, long long v)
{
	unsigned long long u = v < 0 ? -(unsigned long long)v : (unsigned long long)v;
	char tmp[24];
	int n = 0, len = 0;

	do
		tmp[n++] = (char)('0' + u % 10);
	while ((u /= 10) > 0);
	if (v < 0)
		buf[len++] = '-';
	while (n > 0)
		buf[len++] = tmp[--n];
	buf[len] = '\0';
	return len;
}

#define CACHE_BITS 12

struct ffmt_slot {
	uint64_t bits;
	int len;                /* -1: empty */
	char s[FFMT_BUFSZ];
};

const char *
ffmt_cached(struct ffmt_cache *c, double d, int *len)
{
	struct ffmt_slot *e;
	uint64_t bits;

	if (c->slot == NULL) {
		c->slot = xcalloc((size_t)1 << CACHE_BITS, sizeof(*c->slot));
		for (size_t i = 0; i < (size_t)1 << CACHE_BITS; i++)
			c->slot[i].len = -1;
	}
	memcpy(&bits, &d, sizeof(bits));
	e = &c->slot[(bits * 0x9e3779b97f4a7c15ULL) >> (64 - CACHE_BITS)];
	if (e->len < 0 || e->bits != bits) {
		e->bits = bits;
		e->len = ffmt_double(e->s, d);
		if (e->len == 0)
			e->s[0] = '\0';
	}
	*len = e->len;
	return e->s;
}

void
ffmt_cache_release(struct ffmt_cache *c)
{
	free(c->slot);
	c->slot = NULL;
}
