/*
 * ltd.c: demand over an interval, compound Poisson-gamma or normal
 * (ltd.h).
 */
#include <math.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>

#include "ltd.h"

#define MAX_TERMS 100000

double
ltd_rate_of(double p)
{
	if (!(p > 0))
		return 0;
	if (p >= 1)
		return 0;
	return -log1p(-p);
}

static int
compound(const struct ltd *d)
{
	return d->rate > 0 && d->mean > 0;
}

double
ltd_cdf(const struct ltd *d, double x)
{
	double mu, a, theta, cdf, pj;

	if (x < 0)
		return 0;
	if (!compound(d)) {
		if (!(d->sd > 0))
			return x >= d->mean ? 1 : 0;
		return gsl_cdf_gaussian_P(x - d->mean, d->sd);
	}
	mu = d->mean / d->rate;
	pj = exp(-d->rate);             /* P(N = 0) */
	cdf = pj;
	if (!(d->size_cv > 1e-9)) {      /* every size mu */
		for (long j = 1; j < MAX_TERMS && j * mu <= x; j++) {
			pj *= d->rate / (double)j;
			cdf += pj;
		}
		return fmin(cdf, 1);
	}
	a = 1 / (d->size_cv * d->size_cv);
	theta = mu / a;
	for (long j = 1; j < MAX_TERMS; j++) {
		pj = gsl_ran_poisson_pdf((unsigned)j, d->rate);
		cdf += pj * gsl_cdf_gamma_P(x, (double)j * a, theta);
		if ((double)j > d->rate && pj < 1e-13)
			break;
	}
	return fmin(cdf, 1);
}

double
ltd_quantile(const struct ltd *d, double u)
{
	double lo = 0, hi, var;

	if (!(d->mean > 0))
		return 0;
	if (!compound(d)) {
		if (!(d->sd > 0))
			return d->mean;
		return fmax(0, d->mean + d->sd * gsl_cdf_ugaussian_Pinv(u));
	}
	if (ltd_cdf(d, 0) >= u)
		return 0;
	var = d->rate * (d->mean / d->rate) * (d->mean / d->rate) * (1 + d->size_cv * d->size_cv);
	hi = d->mean + 10 * sqrt(var) + d->mean / d->rate;
	while (ltd_cdf(d, hi) < u)
		hi *= 2;
	if (!(d->size_cv > 1e-9)) {       /* a whole number of sizes */
		double mu = d->mean / d->rate;
		long j = 0;
		while (ltd_cdf(d, (double)j * mu) < u)
			j++;
		return (double)j * mu;
	}
	for (int it = 0; it < 100 && hi - lo > 1e-9 * hi; it++) {
		double mid = (lo + hi) / 2;
		if (ltd_cdf(d, mid) >= u)
			hi = mid;
		else
			lo = mid;
	}
	return hi;
}

double
ltd_quantile_positive(const struct ltd *d, double u)
{
	double f0;

	if (!(d->mean > 0))
		return 0;
	f0 = ltd_cdf(d, 0);
	if (f0 >= 1)
		return 0;
	return ltd_quantile(d, f0 + u * (1 - f0));
}
