/*
 * reorder_leadtime.h: a series' lead time from every observation of it,
 * pooled toward its supplier's and its family's (nc-reorder, issue 18).
 * Owner: nc-reorder.  A pool owns its tables; lt_pool_release() frees them.
 *
 * A series brings (mean, sd, count) of its purchase delays.  Pools sum the
 * observations of every series of a supplier, of a family, and of all:
 * n, sum and sum of squares (a series with sd unknown adds its n
 * observations at its mean).  The series' estimate is credibility-weighted:
 *
 *	w = n / (n + LT_K)                      (LT_K = 3 observations)
 *	mean = w mean_series + (1 - w) mean_prior
 *	var  = w var_series + (1 - w) var_prior (var_series: sd^2 when n >= 2,
 *	                                         else var_prior)
 *
 * where the prior is the supplier's pool when it holds at least LT_MIN
 * observations (5), else the family's, else all series'.
 *
 *	struct lt_pool lp;
 *	lt_pool_init(&lp);
 *	lt_pool_add(&lp, "FORNEC A", "ELETRICO", 14, 3, 4);
 *	lt_pool_estimate(&lp, "FORNEC A", "ELETRICO", 14, NAN, 1, &est);
 */
#ifndef NC_REORDER_LEADTIME_H
#define NC_REORDER_LEADTIME_H

#include <jansson.h>

#define LT_K 3.0
#define LT_MIN 5.0

struct lt_sum {
	double n, sum, sumsq;
};

struct lt_pool {
	json_t *suppliers, *families;   /* name -> [n, sum, sumsq] */
	struct lt_sum all;
};

struct lt_est {
	double mean, sd, n;             /* the series' own figures (n may be 0) */
	double prior_mean, prior_sd, weight;
	const char *prior;              /* "supplier", "family", "all" or NULL */
};

void lt_pool_init(struct lt_pool *lp);
void lt_pool_release(struct lt_pool *lp);

/* Add a series' n observations of mean mean and sd sd (NAN: unknown). */
void lt_sum_add(struct lt_sum *s, double mean, double sd, double n);
void lt_pool_add(struct lt_pool *lp, const char *supplier, const char *family,
    double mean, double sd, double n);

/* Mean and sd of a sum; NAN when empty (sd: when n < 2). */
double lt_sum_mean(const struct lt_sum *s);
double lt_sum_sd(const struct lt_sum *s);

/*
 * The series' pooled purchase delay: its own mean/sd/n (n 0 or mean NAN:
 * none) shrunk toward the prior.  No observation anywhere: mean and sd 0.
 */
void lt_pool_estimate(const struct lt_pool *lp, const char *supplier, const char *family,
    double mean, double sd, double n, struct lt_est *e);

#endif
