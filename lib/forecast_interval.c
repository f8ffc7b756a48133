/*
 * forecast_interval.c: prediction intervals and quantiles of nc-forecast
 * (forecast.h), and the guard that keeps absurd ones out of the output.
 * Owner: nc-forecast.
 *
 * Four methods, tried in this order from the one the caller names
 * (compound for intermittent and lumpy series whatever the model, as
 * their demand is far from normal; else analytic when the model has an
 * sd; else empirical):
 *   analytic   normal around the mean with the model's own standard
 *              deviation (ETS, ARIMA: Hyndman et al. 2008, ch. 6);
 *   compound   intermittent and lumpy demand: a demand occurs with
 *              probability p = mean / zbar and its size follows the
 *              empirical distribution of the series' non-zero demands
 *              (zbar their mean), scaled when mean > zbar; the mean of
 *              that distribution is the point forecast (the compound
 *              Bernoulli model behind Croston's method: Shenstone and
 *              Hyndman 2005, J. Forecasting 24(6));
 *   empirical  quantiles of the cross-validation errors (actual - forecast)
 *              at each horizon, pooled with the nearest horizons until 30
 *              or more, enough for the most extreme level or quantile
 *              asked (Williams and Goodman 1971);
 *   history    the mean model's interval: normal around the mean with
 *              the spread of the history (at least Poisson's), and no
 *              lower bound above 0 on a short series (iv_history).
 * A method whose standard deviation, bound or quantile is not finite or
 * above FC_ABSURD times the largest demand of the history is not used:
 * the next one is, and the caller says so in the row.  History never
 * fails that test.  Analytic, empirical and history bounds and quantiles
 * at or below the history's share of periods without demand are 0
 * (quantile_zero).  Last, every interval is made to hold the point
 * forecast (lower <= mean <= upper: a skewed distribution can put its
 * mean above its upper quantile) and the quantiles of a horizon never
 * decrease.
 *
 * Empirical quantiles (of the errors, of the demand sizes) are order
 * statistics with the finite-sample correction of split conformal
 * prediction (Vovk, Gammerman and Shafer 2005; Lei et al. 2018, JASA
 * 113): of k sorted values the upper u-quantile is the ceil((k + 1) u)-th
 * and the lower the floor((k + 1) u)-th (the largest, smallest when that
 * is out of range), so that a new exchangeable value falls above the upper
 * one with probability at most 1 - u.  Interpolating between the sorted
 * values instead under-covers with few values, and on integer demand
 * gives non-integer bounds that a demand just misses.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "forecast.h"
#include "nc.h"

#define MIN_POOL 30            /* errors wanted per horizon's interval */

static const char *const iv_names[] = {
	"analytic", "compound", "cross-validation errors", "history"
};

const char *
fc_iv_name(enum fc_iv m)
{
	return iv_names[m];
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Quantile u of the standard normal, or of Student's t with out->tdf
 * degrees of freedom when the model says its errors follow one. */
static double
iv_z(const struct fc_fc *out, double u)
{
	if (out->tdf > 0 && isfinite(out->tdf))
		return gsl_cdf_tdist_Pinv(u, out->tdf);
	return gsl_cdf_ugaussian_Pinv(u);
}

/* Whether the u-quantile of demand is 0: in the history, the share of
 * periods without demand is at least u.  A normal or error distribution
 * around the forecast puts a lower bound above 0 where demand of 0 is
 * common, and misses those periods (bench/forecast: 95% coverage of the
 * families 0.964 with those bounds, 0.987 with 0; of the generated erratic
 * series 0.912 and 0.965).  The upper bound stays where it was: [0, Q(L)]
 * would hold the level in theory, but covered 0.90 on generated series
 * whose level drifts. */
static int
quantile_zero(const struct fc_fc *out, double u)
{
	return out->p0 >= u;
}

/* Normal (or t) intervals and quantiles around the mean with out->sd. */
static void
iv_normal(struct fc_fc *out, const struct fc_plan *p)
{
	for (size_t i = 0; i < out->h; i++) {
		double sd = out->sd[i];

		for (size_t l = 0; l < p->nlevels; l++) {
			double a = (1 - p->levels[l] / 100) / 2;

			out->hi[l * out->h + i] = out->mean[i] + iv_z(out, 1 - a) * sd;
			out->lo[l * out->h + i] = quantile_zero(out, a) ? 0 :
			    out->mean[i] - iv_z(out, 1 - a) * sd;
		}
		for (size_t j = 0; j < p->nq; j++)
			out->q[j * out->h + i] = quantile_zero(out, p->q[j]) ? 0 :
			    out->mean[i] + iv_z(out, p->q[j]) * sd;
	}
}

/* The conformal u-quantile of the sorted x[0..k-1] (see above): the
 * upper one for an upper bound, else the lower one.  (k + 1) u is
 * rounded off by 1e-9 first, that 40 x 0.975 be 39. */
static double
order_q(const double *x, size_t k, double u, int upper)
{
	double r = (double)(k + 1) * u;

	if (k == 0)
		return NAN;
	r = upper ? ceil(r - 1e-9) : floor(r + 1e-9);
	if (r < 1)
		r = 1;
	if (r > (double)k)
		r = (double)k;
	return x[(size_t)r - 1];
}

/* Values wanted for the most extreme tail asked: k with (k + 1) a >= 1. */
static size_t
pool_min(const struct fc_plan *p)
{
	double a = 0.5;
	size_t k;

	for (size_t l = 0; l < p->nlevels; l++)
		a = fmin(a, (1 - p->levels[l] / 100) / 2);
	for (size_t j = 0; j < p->nq; j++)
		a = fmin(a, fmin(p->q[j], 1 - p->q[j]));
	k = a > 0 ? (size_t)ceil(1 / a - 1e-9) - 1 : MIN_POOL;
	return k > MIN_POOL ? k : MIN_POOL;
}

/* Quantile u of the compound distribution: no demand with 1 - pr, else a
 * size c * S with S the sorted sizes z[0..k-1]. */
static double
compound_q(const double *z, size_t k, double pr, double c, double u, int upper)
{
	if (u <= 1 - pr)
		return 0;
	return c * order_q(z, k, (u - (1 - pr)) / pr, upper);
}

static int
iv_compound(struct fc_fc *out, const struct fc_plan *p, const double *y, size_t n)
{
	double *z = xcalloc(n + 1, sizeof(double)), zbar = 0, z2 = 0;
	size_t k = 0;

	for (size_t t = 0; t < n; t++)
		if (y[t] > 0) {
			z[k++] = y[t];
			zbar += y[t];
			z2 += y[t] * y[t];
		}
	if (k == 0) {
		free(z);
		return -1;
	}
	zbar /= (double)k;
	z2 /= (double)k;
	qsort(z, k, sizeof(double), cmp_double);
	for (size_t i = 0; i < out->h; i++) {
		double mu = fmax(out->mean[i], 0), pr = mu / zbar, c = 1, v;

		if (pr > 1) {
			c = pr;
			pr = 1;
		}
		v = pr * c * c * z2 - mu * mu;
		out->sd[i] = sqrt(v > 0 ? v : 0);
		for (size_t l = 0; l < p->nlevels; l++) {
			double a = 1 - p->levels[l] / 100;
			double *lo = &out->lo[l * out->h + i], *hi = &out->hi[l * out->h + i];

			if (pr == 0) {
				*lo = *hi = 0;
			} else if (1 - pr >= a) {
				/* P(0) >= a: [0, Q(1 - a)] holds the level */
				*lo = 0;
				*hi = compound_q(z, k, pr, c, 1 - a, 1);
			} else {
				*lo = compound_q(z, k, pr, c, a / 2, 0);
				*hi = compound_q(z, k, pr, c, 1 - a / 2, 1);
			}
		}
		for (size_t j = 0; j < p->nq; j++)
			out->q[j * out->h + i] = pr == 0 ? 0 :
			    compound_q(z, k, pr, c, p->q[j], p->q[j] >= 0.5);
	}
	free(z);
	return 0;
}

/* Empirical intervals from the errors e[r * hc + j] (actual - forecast at
 * origin r, horizon j + 1); -1 when there are too few. */
static int
iv_empirical(struct fc_fc *out, const struct fc_plan *p, const double *e,
    size_t R, size_t hc)
{
	double *pool;
	size_t want = pool_min(p);

	if (e == NULL || R * hc < 10)
		return -1;
	pool = xcalloc(R * hc + 1, sizeof(double));
	for (size_t i = 0; i < out->h; i++) {
		size_t j = i < hc ? i : hc - 1, k = 0, lo = j, hi = j;
		double ss = 0;

		for (;;) {
			k = 0;
			for (size_t r = 0; r < R; r++)
				for (size_t jj = lo; jj <= hi; jj++)
					if (isfinite(e[r * hc + jj]))
						pool[k++] = e[r * hc + jj];
			if (k >= want || (lo == 0 && hi == hc - 1))
				break;
			if (lo > 0)
				lo--;
			if (hi < hc - 1)
				hi++;
		}
		if (k == 0) {
			free(pool);
			return -1;
		}
		qsort(pool, k, sizeof(double), cmp_double);
		for (size_t t = 0; t < k; t++)
			ss += pool[t] * pool[t];
		out->sd[i] = sqrt(ss / (double)k);
		for (size_t l = 0; l < p->nlevels; l++) {
			double a = (1 - p->levels[l] / 100) / 2;

			out->lo[l * out->h + i] = quantile_zero(out, a) ? 0 :
			    out->mean[i] + order_q(pool, k, a, 0);
			out->hi[l * out->h + i] = out->mean[i] + order_q(pool, k, 1 - a, 1);
		}
		for (size_t q = 0; q < p->nq; q++)
			out->q[q * out->h + i] = quantile_zero(out, p->q[q]) ? 0 :
			    out->mean[i] + order_q(pool, k, p->q[q], p->q[q] >= 0.5);
	}
	free(pool);
	return 0;
}

/* The history interval: normal around the mean with the prediction
 * variance of a new value, s2 (1 + 1/n), s2 the sample variance but at
 * least the mean.  The floor: count demand is at least as variable as
 * Poisson's, and one period or equal ones (s2 = 0) must not give an
 * interval of no width.  Not Student's t with n - 1 degrees of freedom:
 * on two days of 2 and 0 its 99% quantile is 56.  A short series has no
 * lower bound above 0: too short to show whether its demand is
 * intermittent, as most is. */
static void
iv_history(struct fc_fc *out, const struct fc_plan *p, const double *y, size_t n)
{
	double mu = 0, s2 = 0;
	size_t h = out->h;

	for (size_t i = 0; i < n; i++)
		mu += y[i] / (double)n;
	for (size_t i = 0; i < n; i++)
		s2 += (y[i] - mu) * (y[i] - mu);
	s2 = fmax(n >= 2 ? s2 / (double)(n - 1) : 0, mu);
	for (size_t i = 0; i < h; i++)
		out->sd[i] = sqrt(s2 * (1 + 1.0 / (double)(n > 0 ? n : 1)));
	out->tdf = 0;
	iv_normal(out, p);
	if (n >= FC_SHORT)
		return;
	for (size_t i = 0; i < h * p->nlevels; i++)
		out->lo[i] = 0;
	for (size_t j = 0; j < p->nq; j++)
		if (p->q[j] < 0.5)
			for (size_t i = 0; i < h; i++)
				out->q[j * h + i] = 0;
}

double
fc_absurd_cap(const double *y, size_t n)
{
	double top = 0;

	for (size_t t = 0; t < n; t++)
		if (fabs(y[t]) > top)
			top = fabs(y[t]);
	return FC_ABSURD * (top > 0 ? top : 1);
}

/* 1 when every figure is finite and within cap. */
static int
iv_sane(const struct fc_fc *out, double cap)
{
	size_t h = out->h;

	for (size_t i = 0; i < h; i++)
		if (!(fabs(out->sd[i]) <= cap))
			return 0;
	for (size_t i = 0; i < h * out->nlevels; i++)
		if (!(fabs(out->lo[i]) <= cap) || !(fabs(out->hi[i]) <= cap))
			return 0;
	for (size_t i = 0; i < h * out->nq; i++)
		if (!(fabs(out->q[i]) <= cap))
			return 0;
	return 1;
}

/* Bounds >= 0, the mean inside every interval, quantiles not crossing. */
static void
iv_finish(struct fc_fc *out)
{
	size_t h = out->h;

	for (size_t i = 0; i < h; i++)
		out->mean[i] = fmax(out->mean[i], 0);
	for (size_t l = 0; l < out->nlevels; l++)
		for (size_t i = 0; i < h; i++) {
			double *lo = &out->lo[l * h + i], *hi = &out->hi[l * h + i];

			*lo = fmin(fmax(*lo, 0), out->mean[i]);
			*hi = fmax(*hi, out->mean[i]);
		}
	for (size_t i = 0; i < h * out->nq; i++)
		out->q[i] = fmax(out->q[i], 0);
	for (size_t j = 1; j < out->nq; j++)
		for (size_t i = 0; i < h; i++)
			if (out->q[j * h + i] < out->q[(j - 1) * h + i])
				out->q[j * h + i] = out->q[(j - 1) * h + i];
}

enum fc_iv
fc_intervals(struct fc_fc *out, const struct fc_plan *p, const double *y,
    size_t n, const double *e, size_t R, size_t hc, enum fc_iv first,
    char *note, size_t notesize)
{
	double cap = fc_absurd_cap(y, n);
	enum fc_iv m = first;
	int ok;

	note[0] = '\0';
	out->p0 = 0;
	for (size_t t = 0; t < n; t++)
		out->p0 += !(y[t] > 0) / (double)n;
	for (;; m++) {
		switch (m) {
		case FC_IV_ANALYTIC:
			ok = 1;
			for (size_t i = 0; i < out->h; i++)
				ok &= isfinite(out->sd[i]) && out->sd[i] >= 0;
			if (ok)
				iv_normal(out, p);
			break;
		case FC_IV_COMPOUND:
			ok = first == FC_IV_COMPOUND && iv_compound(out, p, y, n) == 0;
			break;
		case FC_IV_EMPIRICAL:
			ok = iv_empirical(out, p, e, R, hc) == 0;
			break;
		default:
			m = FC_IV_HISTORY;
			iv_history(out, p, y, n);
			ok = 1;
		}
		if (ok && (m == FC_IV_HISTORY || iv_sane(out, cap)))
			break;
		if (ok && note[0] == '\0')
			snprintf(note, notesize, "%s interval absurd (sd %.3g)",
			    iv_names[m], out->sd[out->h - 1]);
	}
	if (note[0] != '\0') {
		size_t len = strlen(note);
		snprintf(note + len, notesize - len, "; %s instead", iv_names[m]);
	}
	iv_finish(out);
	return m;
}
