/*
 * forecast_shape.h: how a series' demand comes, occurrence x size, and
 * the requests no history predicts.  Owner: nc-forecast.
 *
 * A one-off series has a single period with demand in its whole
 * history: that request is not a rate, and the forecast row says so
 * (one_off), so that nc-reorder orders it on demand instead of stocking
 * it.  A lump is a period of a series with at least FC_LUMP_OTHERS other
 * periods with demand whose demand is above FC_LUMP_FACTOR times their
 * median, and FC_LUMP_SPREADS times the spread of their sizes above it
 * on a log scale (1.4826 MAD of the logs: a lognormal size with sigma
 * 0.9 reaches ten times its median once in a hundred requests, a
 * project's order does not come from the same sizes) (a project, not
 * maintenance): the models fit the series with
 * the lump at that median size, and its excess comes back as its
 * expected rate, excess / periods, in the mean and the variance, so that
 * totals stay unbiased while the lump does not become a recurring level
 * (forecast_shape.c says why).
 */
#ifndef NC_FORECAST_SHAPE_H
#define NC_FORECAST_SHAPE_H

#include <stddef.h>

#include "forecast.h"

#define FC_LUMP_FACTOR 10.0
#define FC_LUMP_OTHERS 3
#define FC_LUMP_SPREADS 4.0

/*
 * Sizes: a series' own few requests say little about the size of its
 * next one (on the sample, item x site, the next request is between 0.14
 * and 10 times the last in 90% of cases).  The spread of the sizes is
 * pooled over every series: sigma, the sd of the log of a size, from the
 * differences of the logs of consecutive requests' sizes (their variance
 * is 2 sigma^2), so that series of different scales pool, and a
 * lognormal's cv = sqrt(exp(sigma^2) - 1).  A series with k sizes gets
 * cv^2 = ((k - 1) own^2 + K0 pool^2) / (k - 1 + K0), times 1 + 1/k for
 * the uncertainty of its mean size (a predictive, not a plug-in, spread).
 */
#define FC_SIZE_K0 4.0

struct fc_set;
struct fc_series;
struct fc_obs;
/* The pooled cv of sizes of set's series (NAN without two requests in
 * any series), from the periods of p before day cutoff. */
double fc_size_cv_pool(const struct fc_set *set, enum fc_period p, long cutoff);
/*
 * The same a series at a time, in any order (for loaded ranges of series,
 * or the shards of nc-daily): add each, then finish (which frees the
 * scratch).  Each term r = log(size / previous size) is taken on a grid of
 * 2^-FC_CV_GRID (rounded to the nearest multiple), so that the sums of r
 * and r^2 are exact integers: the same whatever the order of the series
 * and however they are split, for partial sums add up exactly.
 *
 * With by_period set, the sums are kept by the period of each term's
 * later size (b, nb, in the order of period), all periods taken (cutoff
 * is then ignored), so that a cutoff can be applied later: fc_cvsum_cut
 * adds the periods before a cutoff into s, s2 and n.  fc_cvsum_put adds a
 * period's sums (another part's) into b.
 */
#define FC_CV_GRID 32
__extension__ typedef __int128 fc_i128;
__extension__ typedef unsigned __int128 fc_u128;
struct fc_cvbucket {
	long period;            /* its first day (date.h) */
	size_t n;
	fc_i128 s;              /* of r, in units of 2^-FC_CV_GRID */
	fc_u128 s2;             /* of r^2, in units of 2^-2*FC_CV_GRID */
};
struct fc_cvsum {
	fc_i128 s;
	fc_u128 s2;
	size_t n;
	int by_period;
	struct fc_cvbucket *b;  /* by_period: the sums by period */
	size_t nb, capb;
	struct fc_obs *ob;      /* scratch */
	size_t cap;
};
void fc_size_cv_add(struct fc_cvsum *cs, const struct fc_series *se, enum fc_period p,
    long cutoff);
void fc_cvsum_put(struct fc_cvsum *cs, const struct fc_cvbucket *b);
void fc_cvsum_cut(struct fc_cvsum *cs, long cutoff);
/* The pooled cv of s, s2 and n (NAN below two terms); frees b and ob. */
double fc_size_cv_finish(struct fc_cvsum *cs);

struct fc_shape {
	size_t periods;            /* history length */
	size_t demand_periods;     /* periods with demand */
	size_t lumps;              /* periods flagged as lumps */
	double lump_excess;        /* their demand above the usual size */
	double size_mean, size_sd; /* demand of a period with demand, lumps at
	                              the usual size; sd NAN below 2 */
	double size_cv;            /* predictive cv of the next size (above) */
	double p_demand;           /* chance of demand in a future period:
	                              forecast / size_mean, at most 1 */
	int one_off;               /* a single period with demand */
	double one_off_demand;     /* the units no history predicts: the
	                              single request, or the lumps' excess */
};

/*
 * Forecast y[0..n-1] as fc_run() does, with lumps at their usual size
 * and their expected excess added back; sh gets the shape.
 */
void fc_run_shaped(const double *y, size_t n, int m, const struct fc_ctx *cx,
    size_t h, const struct fc_plan *plan, double cv_pool, struct fc_fc *out,
    struct fc_shape *sh);

#endif
