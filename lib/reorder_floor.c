/*
 * reorder_floor.c: the history's own demand over a protection interval
 * (nc-reorder(1), "The history's floor").  The forecast's distribution of
 * lead-time demand has a thinner tail than the company's requests: sizes
 * are heavier-tailed than the gamma the compound model assumes.  So the
 * reorder point is never below the service-level quantile of the demand
 * of every window of T consecutive days in the history.
 */
#include <math.h>
#include <stdlib.h>

#include "nc.h"
#include "reorder_tool.h"

static int
dbl_cmp(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;

	return (a > b) - (a < b);
}

/*
 * The sl-quantile (the smallest window total that at least sl of the
 * windows do not exceed) of the demand of the windows of t days within
 * [first, as_of], sliding a day at a time.  Needs RO_FLOOR_SPANS whole
 * windows' worth of days and RO_FLOOR_DAYS days with demand: with fewer,
 * the top quantile of the windows is the largest request seen, not an
 * estimate.  Returns the number of windows, 0 when there are too few.
 */
long
ro_hist_floor(const struct rp_hist_series *h, long first, long as_of, long t, double sl,
    double *q)
{
	long days, nwin, k, with = 0;
	double *day, *win, sum = 0;

	*q = NAN;
	if (h == NULL || t < 1 || first > as_of || !(sl > 0 && sl < 1))
		return 0;
	days = as_of - first + 1;
	if (days < RO_FLOOR_SPANS * t)
		return 0;
	day = xcalloc((size_t)days, sizeof(*day));
	for (size_t i = 0; i < h->n; i++)
		if (h->date[i] >= first && h->date[i] <= as_of && h->qty[i] > 0)
			day[h->date[i] - first] += h->qty[i];
	for (k = 0; k < days; k++)
		with += day[k] > 0;
	if (with < RO_FLOOR_DAYS) {
		free(day);
		return 0;
	}
	nwin = days - t + 1;
	win = xcalloc((size_t)nwin, sizeof(*win));
	for (k = 0; k < days; k++) {
		sum += day[k];
		if (k >= t)
			sum -= day[k - t];
		if (k >= t - 1)
			win[k - t + 1] = sum < 0 ? 0 : sum;
	}
	qsort(win, (size_t)nwin, sizeof(*win), dbl_cmp);
	k = (long)ceil(sl * (double)nwin - 1e-9) - 1;
	if (k < 0)
		k = 0;
	*q = win[k];
	free(win);
	free(day);
	return nwin;
}
