/*
 * fc_regression.c: a regression model of demand, the counterpart of the
 * seed's Prophet (Taylor and Letham 2018, "Forecasting at scale", The
 * American Statistician 72(1)): a piecewise-linear trend with changepoints,
 * Fourier terms for the seasonal cycles, holidays and exogenous regressors,
 * fitted by ridge regression (Hoerl and Kennard 1970) with two penalties,
 * one on the Fourier terms and one on the rest, both chosen by generalised
 * cross-validation (Golub, Heath and Wahba 1979), using GSL's regularised
 * least squares.  As Prophet's priors do (seasonality prior scale 10, the
 * changepoints' 0.05), the seasonal terms may be penalised less: a single
 * penalty shrank the yearly cycle of bench/forecast's generated seasonal
 * series, where ETS forecast it better (RMSSE 0.656 against 0.604; 0.595
 * with the two).  The Fourier columns are scaled by r in {1, 10, 100,
 * 1000} (a penalty r^2 times smaller), the ridge parameter chosen by GCV
 * at each r, and the r of the least GCV score kept.  Owner: nc-forecast.
 *
 * Prediction intervals (fc_result.sd and .tdf) add three variances, as
 * Prophet's do (its trend uncertainty) and as regression's do (the rest):
 *   noise       sigma^2 = RSS / (n - 1 - df), df = tr(H) = sum of the
 *               ridge filter factors s_k^2 / (s_k^2 + lambda^2) (the
 *               effective degrees of freedom of a ridge fit: Hastie,
 *               Tibshirani and Friedman 2009, 3.4.1), 1 for the mean;
 *   parameters  sigma^2 (1/n + x0' (X'X + lambda^2 I)^-1 X'X
 *               (X'X + lambda^2 I)^-1 x0), the variance of the ridge fit
 *               at the forecast's regressors x0;
 *   trend       future changepoints at the history's rate (ncp per n
 *               periods), each changing the slope by a Laplace deviate
 *               whose mean magnitude is that of the fitted changes
 *               (Taylor and Letham 2018, 3.1.4), in closed form: a
 *               change in each future period with probability ncp / n,
 *               variance 2 b^2, acting k periods later with weight k, so
 *               (ncp / n) 2 b^2 sum_{k=1..i} k^2 at horizon i;
 * with Student t quantiles on n - 1 - df degrees of freedom.  Demand's
 * noise often grows with its level: when the fit is positive throughout,
 * the errors are taken as multiplicative (sd sigma f_t, f the fit, sigma^2
 * from the relative residuals r_t / f_t) instead of additive if that has
 * the higher Gaussian likelihood, the choice ETS makes between its error
 * types (Hyndman et al. 2008, 2.5); the noise term is then sigma^2 f^2 at
 * the forecast f, the parameter term sigma^2 times the mean f_t^2.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_linalg.h>
#include <gsl/gsl_multifit.h>

#include "date.h"
#include "fc_models.h"
#include "holidays.h"
#include "nc.h"

#define MAX_CP 10
#define MAX_COLS (2 + MAX_CP + 2 * 16 + 1)

/* The scalings of the Fourier columns that GCV chooses among. */
static const double season_ratio[] = { 1, 10, 100, 1000 };

long
fc_period_start(enum fc_period p, long d)
{
	int y, mo, dd;

	switch (p) {
	case FC_WEEK:
		return d - (date_iso_weekday(d) - 1);
	case FC_MONTH:
		date_to_ymd(d, &y, &mo, &dd);
		return date_from_ymd(y, mo, 1);
	default:
		return d;
	}
}

long
fc_period_add(enum fc_period p, long start, long t)
{
	int y, mo, dd;
	long k;

	switch (p) {
	case FC_WEEK:
		return start + 7 * t;
	case FC_MONTH:
		date_to_ymd(start, &y, &mo, &dd);
		k = (long)y * 12 + (mo - 1) + t;
		return date_from_ymd((int)(k / 12), (int)(k % 12) + 1, 1);
	default:
		return start + t;
	}
}

const struct fc_ctx *
fc_regression_ctx(const struct fc_ctx *cx, size_t n, struct fc_result *res)
{
	static const struct fc_ctx dflt = { FC_DAY, 0, NULL, 0, NULL };

	if (cx == NULL)
		cx = &dflt;
	if (n < 8 || cx->k > 64) {
		snprintf(res->why, sizeof(res->why), n < 8 ? "fewer than 8 periods" :
		    "more than 64 exogenous fields");
		return NULL;
	}
	return cx;
}

size_t
fc_fourier(double *r, long d, double period, int order)
{
	for (int k = 1; k <= order; k++) {
		*r++ = sin(2 * M_PI * k * (double)d / period);
		*r++ = cos(2 * M_PI * k * (double)d / period);
	}
	return 2 * (size_t)(order > 0 ? order : 0);
}

/* The regressors of period t (day number d, next period at d2). */
static size_t
row(double *r, const struct fc_ctx *cx, size_t t, size_t n, const size_t *cp,
    size_t ncp, int weekly, int kyear, struct holidays *cal)
{
	long d = fc_period_add(cx->period, cx->start, (long)t);
	long d2 = fc_period_add(cx->period, cx->start, (long)t + 1);
	double tt = (double)t / (double)n;
	size_t c = 0;
	int hol = 0;

	r[c++] = tt;
	for (size_t j = 0; j < ncp; j++)
		r[c++] = tt > (double)cp[j] / (double)n ? tt - (double)cp[j] / (double)n : 0;
	c += fc_fourier(r + c, d, 7, weekly);
	c += fc_fourier(r + c, d, 365.25, kyear);
	for (long x = d; x < d2; x++)
		hol += holidays_is(cal, x);
	r[c++] = hol;
	for (size_t j = 0; j < cx->k; j++) {
		double v = cx->x[t * cx->k + j];
		r[c++] = isfinite(v) ? v : 0;
	}
	return c;
}

double
fc_mult_noise(const double *y, size_t n, const struct fc_result *res, double rdf,
    double sa, double *f2)
{
	double sm = 0, logf = 0;

	*f2 = 0;
	for (size_t t = 0; t < n; t++) {
		double f = res->fitted[t];
		if (!(f > 0))
			return 0;
		sm += (y[t] - f) * (y[t] - f) / (f * f);
		logf += log(f);
		*f2 += f * f / (double)n;
	}
	for (size_t i = 0; i < res->h; i++)
		if (!(res->mean[i] > 0))
			return 0;
	sm /= rdf;
	if (!(sm > 0) || !(sa > 0))
		return 0;
	return -logf - (double)n / 2 * log(sm) > -(double)n / 2 * log(sa) ? sm : 0;
}

/* The forecast-error sd of the ridge fit of X (n x q, standardised),
 * coefficients c, penalty lambda; the future rows z (h x q, standardised)
 * and whether column j is a changepoint hinge (cpcol[j], its scale
 * sc[j] to bring the slope change back to y per unit of t / n). */
static int
reg_sd(const gsl_matrix *X, const gsl_vector *c, double lambda, double rss,
    const double *y, const double *z, size_t h, const int *cpcol,
    const double *cpsc, size_t ncp, struct fc_result *res)
{
	size_t n = X->size1, q = X->size2;
	gsl_matrix *U = gsl_matrix_alloc(n, q), *V = gsl_matrix_alloc(q, q);
	gsl_vector *S = gsl_vector_alloc(q), *wk = gsl_vector_alloc(q);
	double df = 0, rdf, s2, sm, f2, b = 0, tc = 0;
	size_t nb = 0;
	int st;

	gsl_matrix_memcpy(U, X);
	st = gsl_linalg_SV_decomp(U, V, S, wk);
	for (size_t k = 0; st == 0 && k < q; k++) {
		double sk = gsl_vector_get(S, k);
		df += sk * sk / (sk * sk + lambda * lambda);
	}
	rdf = (double)n - 1 - df;
	if (st == 0 && rdf >= 1) {
		s2 = rss / rdf;
		sm = fc_mult_noise(y, n, res, rdf, s2, &f2);
		if (sm > 0)
			s2 = sm * f2;
		for (size_t j = 0; j < q; j++)
			if (cpcol[j]) {
				b += fabs(gsl_vector_get(c, j) / cpsc[j]);
				nb++;
			}
		if (nb > 0)
			b /= (double)nb;
		for (size_t i = 0; i < h; i++) {
			double par = 1 / (double)n, kk = (double)(i + 1);

			for (size_t k = 0; k < q; k++) {
				double sk = gsl_vector_get(S, k), d = sk * sk + lambda * lambda;
				double vz = 0;

				for (size_t j = 0; j < q; j++)
					vz += gsl_matrix_get(V, j, k) * z[i * q + j];
				par += vz * vz * sk * sk / (d * d);
			}
			/* sum_{k=1..i} (k / n)^2 */
			tc = kk * (kk + 1) * (2 * kk + 1) / 6 / ((double)n * (double)n);
			res->sd[i] = sqrt((sm > 0 ? sm * res->mean[i] * res->mean[i] :
			    s2) + s2 * par +
			    (double)ncp / (double)n * 2 * b * b * tc);
		}
		res->sigma2 = s2;
		res->tdf = rdf;
	}
	gsl_vector_free(wk);
	gsl_vector_free(S);
	gsl_matrix_free(V);
	gsl_matrix_free(U);
	return st == 0 && rdf >= 1 ? 0 : -1;
}

/* The standardised design X (columns keep[0..q-1] of raw, p wide). */
static void
fill_design(gsl_matrix *X, const double *raw, size_t p, const size_t *keep,
    const double *mu, const double *sc)
{
	for (size_t t = 0; t < X->size1; t++)
		for (size_t j = 0; j < X->size2; j++)
			gsl_matrix_set(X, t, j, (raw[t * p + keep[j]] - mu[keep[j]]) /
			    sc[keep[j]]);
}

/*
 * X filled, its SVD in w and the ridge parameter in *lambda, with the
 * scaling of the Fourier columns (raw columns f0 .. f1 - 1) that gives the
 * least GCV score: their sc[] divided by it.  0, or a GSL error.
 */
static int
ridge_gcv(gsl_matrix *X, const gsl_vector *yv, const double *raw, size_t p,
    const size_t *keep, const double *mu, double *sc, size_t f0, size_t f1,
    double *lambda, gsl_multifit_linear_workspace *w)
{
	gsl_vector *rp = gsl_vector_alloc(50), *G = gsl_vector_alloc(50);
	size_t nr = f1 > f0 ? sizeof(season_ratio) / sizeof(season_ratio[0]) : 0;
	double best = INFINITY, br = 1, g, lam;
	int st = 0, last = 0;           /* w holds the SVD at the best ratio */

	for (size_t i = 0; i < nr && st == 0; i++) {
		for (size_t j = f0; j < f1; j++)
			sc[j] /= season_ratio[i];
		fill_design(X, raw, p, keep, mu, sc);
		for (size_t j = f0; j < f1; j++)
			sc[j] *= season_ratio[i];
		st = gsl_multifit_linear_svd(X, w);
		if (st == 0)
			st = gsl_multifit_linear_gcv(yv, rp, G, &lam, &g, w);
		last = st == 0 && g < best;
		if (last) {
			best = g;
			br = season_ratio[i];
			*lambda = lam;
		}
	}
	for (size_t j = f0; j < f1; j++)
		sc[j] /= br;
	if (st == 0 && !last) {
		fill_design(X, raw, p, keep, mu, sc);
		st = gsl_multifit_linear_svd(X, w);
		if (st == 0)
			st = gsl_multifit_linear_gcv(yv, rp, G, lambda, &g, w);
	}
	gsl_vector_free(G);
	gsl_vector_free(rp);
	return st;
}

int
fc_regression(const double *y, size_t n, int m, const struct fc_ctx *cx,
    size_t h, struct fc_result *res)
{
	size_t cp[MAX_CP], ncp, p, q = 0, keep[MAX_COLS + 64];
	int weekly = 0, kyear = 0;
	double mu[MAX_COLS + 64], sc[MAX_COLS + 64], ymean = 0, lambda, rn, sn;
	double *raw;
	struct holidays cal;            /* Salvador's, as nc-features(1) */

	(void)m;
	if ((cx = fc_regression_ctx(cx, n, res)) == NULL)
		return -1;
	if (cx->period == FC_DAY && n >= 21)
		weekly = 3;
	if (cx->period == FC_DAY && n >= 730)
		kyear = 6;
	else if (cx->period == FC_WEEK && n >= 104)
		kyear = 6;
	else if (cx->period == FC_MONTH && n >= 24)
		kyear = 3;
	ncp = n / 16 < MAX_CP ? n / 16 : MAX_CP;
	for (size_t j = 0; j < ncp; j++)      /* evenly in the first 80% */
		cp[j] = (size_t)((double)(j + 1) * 0.8 * (double)n / (double)(ncp + 1));
	p = 1 + ncp + 2 * (size_t)weekly + 2 * (size_t)kyear + 1 + cx->k;
	raw = xcalloc((n + h) * p, sizeof(double));
	holidays_init(&cal, HOL_SALVADOR);
	for (size_t t = 0; t < n + h; t++)
		row(raw + t * p, cx, t, n, cp, ncp, weekly, kyear, &cal);
	holidays_release(&cal);
	/* Standardise on the training rows; constant columns are dropped. */
	for (size_t j = 0; j < p; j++) {
		double s = 0, s2 = 0;
		for (size_t t = 0; t < n; t++)
			s += raw[t * p + j];
		mu[j] = s / (double)n;
		for (size_t t = 0; t < n; t++)
			s2 += (raw[t * p + j] - mu[j]) * (raw[t * p + j] - mu[j]);
		sc[j] = sqrt(s2 / (double)n);
		if (sc[j] > 1e-9 && q + 2 < n)
			keep[q++] = j;
	}
	for (size_t t = 0; t < n; t++)
		ymean += y[t] / (double)n;
	if (q == 0) {
		for (size_t t = 0; t < n; t++)
			res->fitted[t] = ymean;
		for (size_t i = 0; i < h; i++)
			res->mean[i] = ymean;
	} else {
		gsl_matrix *X = gsl_matrix_alloc(n, q);
		gsl_vector *yv = gsl_vector_alloc(n), *c = gsl_vector_alloc(q);
		gsl_multifit_linear_workspace *w = gsl_multifit_linear_alloc(n, q);
		int st, cpcol[MAX_COLS + 64];
		double cpsc[MAX_COLS + 64], *z = xcalloc(h * q + 1, sizeof(double)), rss = 0;

		for (size_t t = 0; t < n; t++)
			gsl_vector_set(yv, t, y[t] - ymean);
		st = ridge_gcv(X, yv, raw, p, keep, mu, sc, 1 + ncp,
		    1 + ncp + 2 * (size_t)(weekly + kyear), &lambda, w);
		for (size_t j = 0; j < q; j++) {
			cpcol[j] = keep[j] >= 1 && keep[j] <= ncp;
			cpsc[j] = sc[keep[j]];
		}
		if (st == 0)
			st = gsl_multifit_linear_solve(lambda, X, yv, c, &rn, &sn, w);
		if (st == 0)
			for (size_t t = 0; t < n + h; t++) {
				double f = ymean;
				for (size_t j = 0; j < q; j++)
					f += gsl_vector_get(c, j) *
					    (raw[t * p + keep[j]] - mu[keep[j]]) / sc[keep[j]];
				if (t < n) {
					res->fitted[t] = f;
					rss += (y[t] - f) * (y[t] - f);
				} else {
					res->mean[t - n] = f;
					for (size_t j = 0; j < q; j++)
						z[(t - n) * q + j] = (raw[t * p + keep[j]] -
						    mu[keep[j]]) / sc[keep[j]];
				}
			}
		/* Without an sd the caller falls back to empirical intervals. */
		if (st == 0)
			reg_sd(X, c, lambda, rss, y, z, h, cpcol, cpsc, ncp, res);
		free(z);
		gsl_multifit_linear_free(w);
		gsl_vector_free(c);
		gsl_vector_free(yv);
		gsl_matrix_free(X);
		if (st != 0) {
			free(raw);
			snprintf(res->why, sizeof(res->why), "least squares failed: %s",
			    gsl_strerror(st));
			return -1;
		}
	}
	free(raw);
	snprintf(res->name, sizeof(res->name), "regression(cp=%zu,fourier=%d+%d%s%s)",
	    ncp, weekly, kyear, ",holidays", cx->k > 0 ? ",x" : "");
	return 0;
}
