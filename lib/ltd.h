/*
 * ltd.h: the distribution of demand summed over an interval (the lead
 * time, or lead time plus review), and its quantiles.
 *
 * Intermittent demand: N demands in the interval, N Poisson with mean
 * rate, each of a size with mean mean / rate and coefficient of variation
 * size_cv, gamma distributed (size_cv 0: every size the same).  This
 * compound Poisson-gamma (a Tweedie distribution) keeps the atom at zero
 * that a normal approximation loses.  Smooth demand (rate 0): normal
 * with mean and sd, truncated at 0.
 */
#ifndef NC_LTD_H
#define NC_LTD_H

struct ltd {
	double mean;       /* expected demand over the interval */
	double sd;         /* its sd, for the normal case */
	double rate;       /* expected number of demands; 0: normal */
	double size_cv;    /* of a demand's size */
};

/* Chance of no demand in a period with chance p of demand, as a
 * Poisson rate per period: -log(1 - p); p >= 1 gives 0 (smooth). */
double ltd_rate_of(double p);
/* P(X <= x). */
double ltd_cdf(const struct ltd *d, double x);
/* The smallest x with P(X <= x) >= u, 0 < u < 1. */
double ltd_quantile(const struct ltd *d, double u);

/* The same of the demand given that there is some: the u-quantile of
 * X | X > 0 (0 when X > 0 cannot happen). */
double ltd_quantile_positive(const struct ltd *d, double u);

#endif
