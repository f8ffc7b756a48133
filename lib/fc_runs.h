/*
 * fc_runs.h: in-sample errors of the smoothing methods of nc-forecast
 * (SES, TSB) in the run-length form, for their grid searches of smoothing
 * constants.  Owner: nc-forecast.
 *
 * Between two non-zero values the recursions are geometric: SES's level
 * and TSB's probability decay by (1 - constant) each zero period.  The
 * squared errors of a run of L zeros then have a closed sum, so that one
 * candidate constant costs O(number of non-zero periods) instead of O(n):
 * on the sample's item x
 * week series (94% zero weeks) the grids cost a tenth of what they did.
 * The values are those of the plain recursions up to rounding
 * (tests/unit/forecast compares them).
 */
#ifndef NC_FC_RUNS_H
#define NC_FC_RUNS_H

#include <stddef.h>

#include "fc_models.h"

/* The non-zero periods of y[0..n-1]: their indices and values. */
struct fc_runs {
	size_t n, k;
	size_t *t;
	double *v;
};

void fc_runs_init(struct fc_runs *r, const double *y, size_t n);
void fc_runs_free(struct fc_runs *r);

/* Sum of squared one-step errors of SES with constant a from level l0
 * (the fitted value of period t is the level before it). */
double fc_runs_ses_sse(const struct fc_runs *r, double a, double l0);
/* TSB's in-sample one-step MSE from the mean size and the demand
 * frequency, as tsb_run; INFINITY when there is no demand. */
double fc_runs_tsb_mse(const struct fc_runs *r, double a, double b);
/* fc_runs_tsb_mse at every pair of a in ga[0..na-1] and b in
 * gb[0..nb-1] into mse[i * nb + j], sharing the paths (see fc_runs.c). */
void fc_runs_tsb_grid(const struct fc_runs *r, const double *ga, size_t na,
    const double *gb, size_t nb, double *mse);
/*
 * fc_runs_ses_sse at every constant of ga[0..na-1] and for each history
 * length ends[0..ne-1] (ascending, at most r->n; NULL: r->n alone) in one
 * pass: sse[p * na + j] for length ends[p] and constant j, equal to the
 * calls one by one on the first ends[p] periods.
 */
void fc_runs_ses_grid(const struct fc_runs *r, const double *ga, size_t na,
    double l0, const size_t *ends, size_t ne, double *sse);

#endif
