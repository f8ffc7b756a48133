/*
 * shortest.c: the shortest of %.15g, %.16g, %.17g that reads back, without
 * printf or strtod (shortest.h).
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
#include <string.h>

#include "shortest.h"

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
shortest_fmt_exact(char *buf, double d)
{
	double a = fabs(d);
	uint64_t bits, mant;
	int s, e10;

	if (!(a >= 1e-4 && a < 1e14))
		return 0;
	memcpy(&bits, &a, sizeof(bits));
	mant = (bits & ((1ULL << 52) - 1)) | (1ULL << 52);
	if (mant == 1ULL << 52)
		return 0;
	s = 1075 - (int)(bits >> 52);
	/* log10(2) ~ 78913 / 2^18; round_digits corrects an estimate off by one. */
	e10 = 52 - s;
	e10 = e10 >= 0 ? (e10 * 78913) >> 18 : -((-e10 * 78913 + (1 << 18) - 1) >> 18);
	for (int p = 15; p <= 17; p++) {
		struct dec v;

		if (round_digits(mant, s, p, e10, &v) != 0)
			return 0;
		if (v.reads_back || p == 17)
			return write_dec(buf, d < 0, &v, p);
	}
	return 0;       /* not reached */
}
