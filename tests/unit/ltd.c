/* Unit tests of lib/ltd.c: quantiles of demand over a lead time, against
 * closed forms and against a simulation of the same process. */
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "ltd.h"
#include "tap.h"

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The u-quantile of n draws of the compound Poisson-gamma d. */
static double
simulated(const struct ltd *d, double u, size_t n)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	double *x = malloc(n * sizeof(double)), q;
	double a = 1 / (d->size_cv * d->size_cv), theta = d->mean / d->rate / a;

	gsl_rng_set(r, 42);
	for (size_t i = 0; i < n; i++) {
		unsigned k = gsl_ran_poisson(r, d->rate);
		x[i] = 0;
		for (unsigned j = 0; j < k; j++)
			x[i] += gsl_ran_gamma(r, a, theta);
	}
	qsort(x, n, sizeof(double), cmp);
	q = x[(size_t)(u * (double)n)];
	free(x);
	gsl_rng_free(r);
	return q;
}

int
main(void)
{
	struct ltd d;
	double q, s;

	ok(fabs(ltd_rate_of(0.5) - log(2)) < 1e-12, "p 0.5 of demand a period is a rate of log 2");
	ok(ltd_rate_of(1) == 0 && ltd_rate_of(0) == 0, "p 1 (smooth) and p 0 give rate 0");

	/* Normal: mean 100, sd 20 -> q95 = 132.897. */
	d = (struct ltd){ 100, 20, 0, 0 };
	ok(fabs(ltd_quantile(&d, 0.95) - 132.8971) < 1e-3, "normal q95 = mean + 1.645 sd");
	d = (struct ltd){ 5, 20, 0, 0 };
	ok(ltd_quantile(&d, 0.1) == 0, "normal quantiles are not negative");

	/* Equal sizes: 2 demands expected of size 10 each; P(N <= 4) =
	 * 0.947, P(N <= 5) = 0.983, so q95 is 5 sizes, 50. */
	d = (struct ltd){ 20, 0, 2, 0 };
	ok(ltd_quantile(&d, 0.95) == 50, "equal sizes: q95 = 5 demands of 10");
	ok(ltd_quantile(&d, 0.13) == 0, "equal sizes: P(N = 0) = 0.135 puts q13 at 0");

	/* An atom at zero: rate 0.1 -> P(0) = 0.905, so q90 = 0. */
	d = (struct ltd){ 3, 0, 0.1, 1 };
	ok(ltd_quantile(&d, 0.9) == 0, "rare demand: q90 is 0 when P(no demand) = 0.905");
	ok(fabs(ltd_cdf(&d, 0) - exp(-0.1)) < 1e-12, "P(X = 0) = exp(-rate)");

	/* Against a simulation of 200,000 lead times. */
	d = (struct ltd){ 12, 0, 0.8, 1.3 };
	q = ltd_quantile(&d, 0.95);
	s = simulated(&d, 0.95, 200000);
	ok(fabs(q - s) / s < 0.02, "rate 0.8, cv 1.3: q95 %.3f against simulated %.3f", q, s);
	d = (struct ltd){ 400, 0, 6, 0.5 };
	q = ltd_quantile(&d, 0.99);
	s = simulated(&d, 0.99, 200000);
	ok(fabs(q - s) / s < 0.02, "rate 6, cv 0.5: q99 %.3f against simulated %.3f", q, s);

	/* Given demand: the quantile of X | X > 0. */
	d = (struct ltd){ 3, 0, 0.1, 1 };
	q = ltd_quantile_positive(&d, 0.95);
	ok(fabs((ltd_cdf(&d, q) - ltd_cdf(&d, 0)) / (1 - ltd_cdf(&d, 0)) - 0.95) < 1e-6,
	    "given demand: P(X <= q | X > 0) = 0.95 (q = %.3f)", q);
	ok(q > 0, "given demand, the quantile is above 0");
	return tap_done();
}
