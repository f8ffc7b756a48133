/*
 * fc_bench.c: the benchmark models of nc-forecast (Hyndman and
 * Athanasopoulos, Forecasting: Principles and Practice, 3rd ed., 5.2):
 * zero, naive, seasonal naive, historical mean, moving average.
 * Owner: nc-forecast.  None has an analytic error distribution here: the
 * caller takes intervals from cross-validation errors.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "nc.h"

#include "fc_models.h"
#include "fc_runs.h"

int
fc_zero(const double *y, size_t n, int m, const struct fc_ctx *cx, size_t h,
    struct fc_result *res)
{
	(void)y; (void)m; (void)cx;
	for (size_t i = 0; i < n; i++)
		res->fitted[i] = 0;
	for (size_t i = 0; i < h; i++)
		res->mean[i] = 0;
	snprintf(res->name, sizeof(res->name), "zero");
	return 0;
}

int
fc_naive(const double *y, size_t n, int m, const struct fc_ctx *cx, size_t h,
    struct fc_result *res)
{
	(void)m; (void)cx;
	if (n < 1) {
		snprintf(res->why, sizeof(res->why), "no history");
		return -1;
	}
	for (size_t i = 1; i < n; i++)
		res->fitted[i] = y[i - 1];
	for (size_t i = 0; i < h; i++)
		res->mean[i] = y[n - 1];
	snprintf(res->name, sizeof(res->name), "naive");
	return 0;
}

int
fc_snaive(const double *y, size_t n, int m, const struct fc_ctx *cx, size_t h,
    struct fc_result *res)
{
	(void)cx;
	if (m < 2 || n < (size_t)m) {
		snprintf(res->why, sizeof(res->why), m < 2 ? "no season" :
		    "shorter than one season");
		return -1;
	}
	for (size_t i = (size_t)m; i < n; i++)
		res->fitted[i] = y[i - (size_t)m];
	for (size_t i = 0; i < h; i++)
		res->mean[i] = y[n - (size_t)m + i % (size_t)m];
	snprintf(res->name, sizeof(res->name), "snaive");
	return 0;
}

int
fc_mean(const double *y, size_t n, int m, const struct fc_ctx *cx, size_t h,
    struct fc_result *res)
{
	double s = 0;

	(void)m; (void)cx;
	if (n < 1) {
		snprintf(res->why, sizeof(res->why), "no history");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			res->fitted[i] = s / (double)i;
		s += y[i];
	}
	for (size_t i = 0; i < h; i++)
		res->mean[i] = s / (double)n;
	snprintf(res->name, sizeof(res->name), "mean");
	return 0;
}

/* One-step in-sample squared error of a moving average of width k over
 * t = from .. n-1 (prefix sums in c). */
static double
ma_sse(const double *c, size_t n, size_t k, size_t from)
{
	double sse = 0;

	for (size_t t = from; t < n; t++) {
		double f = (c[t] - c[t - k]) / (double)k;
		double e = (c[t + 1] - c[t]) - f;
		sse += e * e;
	}
	return sse;
}

/* Moving average whose width (1 .. 26 periods, at most half the history)
 * minimises the in-sample one-step squared error. */
int
fc_movavg(const double *y, size_t n, int m, const struct fc_ctx *cx, size_t h,
    struct fc_result *res)
{
	size_t kmax, best = 1;
	double bsse = INFINITY, *c, *pre;
	const struct fc_result *fx = fc_fixed(cx);

	(void)m;
	if (n < 2) {
		snprintf(res->why, sizeof(res->why), "fewer than 2 periods");
		return -1;
	}
	kmax = n / 2 < 26 ? n / 2 : 26;
	c = res->fitted;
	pre = xmalloc((n + 1) * sizeof(double));
	pre[0] = 0;
	for (size_t i = 0; i < n; i++)
		pre[i + 1] = pre[i] + y[i];
	if (fx != NULL && (size_t)fx->par[0] <= n)
		kmax = 0, best = (size_t)fx->par[0];
	for (size_t k = 1; k <= kmax; k++) {
		double s = ma_sse(pre, n, k, kmax);
		if (s < bsse - 1e-12 * fabs(bsse)) {
			bsse = s;
			best = k;
		}
	}
	for (size_t t = best; t < n; t++)
		c[t] = (pre[t] - pre[t - best]) / (double)best;
	for (size_t i = 0; i < h; i++)
		res->mean[i] = (pre[n] - pre[n - best]) / (double)best;
	free(pre);
	snprintf(res->name, sizeof(res->name), "MA(%zu)", best);
	res->par[0] = (double)best;
	res->npar = 1;
	return 0;
}

/* Simple exponential smoothing: the level starts at the mean of the
 * first min(n, 10) periods (R's ets starts its search there) and alpha
 * (0.01 .. 1) minimises the in-sample one-step squared error. */
#define SES_GRID 100            /* alpha 0.01 .. 1.00 */
#define SES_INIT 10             /* periods whose mean is the first level */

/* SES with the grid's best alpha on y[0..n-1], whose errors are sse[]. */
static int
ses_best(const double *y, size_t n, double l0, const double *ga,
    const double *sse, size_t h, struct fc_result *res)
{
	double best = INFINITY, ba = 0.1, l;

	for (int g = 0; g < SES_GRID; g++)
		if (sse[g] < best) {
			best = sse[g];
			ba = ga[g];
		}
	l = fc_ses_run(y, n, ba, l0, res->fitted);
	for (size_t i = 0; i < h; i++)
		res->mean[i] = l;
	snprintf(res->name, sizeof(res->name), "SES(alpha=%.2f)", ba);
	return 0;
}

static double
ses_level0(const double *y, size_t n)
{
	size_t k = n < SES_INIT ? n : SES_INIT;
	double l0 = 0;

	for (size_t i = 0; i < k; i++)
		l0 += y[i] / (double)k;
	return l0;
}

static void
ses_grid(double *ga)
{
	for (int g = 0; g < SES_GRID; g++)
		ga[g] = (g + 1) / 100.0;
}

/* SES at the lengths ns[0..k-1], which share the first level l0: one
 * pass of the grid. */
static void
ses_at(const double *y, const size_t *ns, size_t k, double l0, size_t h,
    struct fc_result *res, int *st)
{
	double ga[SES_GRID], *sse = xcalloc(k * SES_GRID, sizeof(double));
	struct fc_runs r;

	ses_grid(ga);
	fc_runs_init(&r, y, ns[k - 1]);
	fc_runs_ses_grid(&r, ga, SES_GRID, l0, ns, k, sse);
	fc_runs_free(&r);
	for (size_t p = 0; p < k; p++)
		st[p] = ses_best(y, ns[p], l0, ga, sse + p * SES_GRID, h, &res[p]);
	free(sse);
}

int
fc_ses(const double *y, size_t n, int m, const struct fc_ctx *cx, size_t h,
    struct fc_result *res)
{
	int st;

	(void)m; (void)cx;
	if (n < 2) {
		snprintf(res->why, sizeof(res->why), "fewer than 2 periods");
		return -1;
	}
	ses_at(y, &n, 1, ses_level0(y, n), h, res, &st);
	return st;
}

/* fc_ses at each length: those of SES_INIT periods or more share the first
 * level, and so one pass. */
void
fc_ses_multi(const double *y, const size_t *ns, size_t k, int m,
    const struct fc_ctx *cx, size_t h, struct fc_result *res, int *st)
{
	size_t p0 = 0;

	for (; p0 < k && ns[p0] < SES_INIT; p0++)
		st[p0] = fc_ses(y, ns[p0], m, cx, h, &res[p0]);
	if (p0 < k)
		ses_at(y, ns + p0, k - p0, ses_level0(y, ns[p0]), h, res + p0,
		    st + p0);
}
