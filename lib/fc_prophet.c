/*
 * fc_prophet.c: Prophet's model (Taylor and Letham 2018, "Forecasting at
 * scale", The American Statistician 72(1); the R and Python package
 * prophet 1.x) with its defaults: a piecewise-linear trend with up to 25
 * changepoints evenly in the first 80% of the history, yearly seasonality
 * (10 Fourier pairs) when the history spans two years, weekly (3 pairs)
 * for daily data spanning two weeks, exogenous regressors (standardised
 * unless 0/1), demand scaled by its largest |y| and time (in days) scaled
 * to [0, 1] over the history.  The fit is Prophet's: the maximum a posteriori
 * estimate under its priors, each changepoint's slope change Laplace(0,
 * 0.05), the base slope and offset normal(0, 5), the seasonal and
 * exogenous coefficients normal(0, 10), the noise sd half-normal(0, 0.5).
 * For a given noise sd that estimate is a lasso (Tibshirani 1996) on the
 * changepoints and a ridge on the rest, solved here by coordinate descent
 * on the Gram matrix (Friedman, Hastie and Tibshirani 2010,
 * "Regularization paths for generalized linear models via coordinate
 * descent", J. Stat. Software 33(1)), GSL having no L1 solver, with an
 * exact solve on the support found every few sweeps (GSL Cholesky); the noise
 * sd then takes its conditional mode, and the two alternate until the
 * coefficients settle.  Prophet finds the same optimum with Stan's L-BFGS.
 * Owner: nc-forecast.
 *
 * Prediction intervals are not Prophet's simulation (trend changes and
 * noise only, which under-cover: tests/t0450) but lib/fc_regression.c's
 * three variances, by the same reasoning:
 *   noise       sigma^2 = RSS / (n - df), df the number of non-zero
 *               coefficients (the lasso's degrees of freedom: Zou, Hastie
 *               and Tibshirani 2007, Annals of Statistics 35(5)), or
 *               multiplicative when that fits better (fc_mult_noise);
 *   parameters  sigma^2 x0' (X'X + s^2 P)^-1 x0 over the non-zero
 *               coefficients at the forecast's regressors x0: their
 *               posterior covariance in the Laplace approximation at the
 *               estimate, s^2 the fit's noise variance, P the normal
 *               priors' precisions (0 for changepoints, whose Laplace
 *               prior has no curvature off 0);
 *   trend       future changepoints at the history's rate (ncp per n - 1
 *               periods), each changing the slope by a Laplace deviate of
 *               the fitted changes' mean magnitude b (Prophet's trend
 *               uncertainty), in closed form (ncp / (n - 1)) 2 b^2
 *               sum_{k=1..i} (k / (n - 1))^2 at horizon i, in scaled time;
 * with Student t quantiles on n - df degrees of freedom.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_linalg.h>

#include "date.h"
#include "fc_models.h"
#include "nc.h"

#define MAX_CP 25               /* Prophet's n_changepoints */
#define CP_RANGE 0.8            /* Prophet's changepoint_range */
#define TAU 0.05                /* changepoint_prior_scale */
#define SD_TREND 5.0            /* offset and base slope */
#define SD_OTHER 10.0           /* seasonality_ and regressor prior_scale */
#define SD_SIGMA 0.5            /* the noise sd's half-normal */
#define CD_TOL 1e-9
#define CD_MAX 20000
#define SUPPORT_EVERY 5         /* sweeps between steps on the support */

enum prior { P_TREND, P_CP, P_OTHER };

/* The model's design: columns, their priors, the changepoints. */
struct design {
	size_t n, h, p, ncp;
	long span;                      /* days from the first period to the last */
	int weekly, yearly;             /* Fourier orders */
	double cp[MAX_CP];              /* changepoints in scaled time */
	double *x;                      /* (n + h) x p */
	double *G;                      /* X'X over the history, p x p */
	enum prior *pr;
};

/* The regressors of period t into r[]: offset, slope, changepoint hinges,
 * Fourier pairs, exogenous values (standardised later). */
static void
row(double *r, const struct design *ds, const struct fc_ctx *cx, size_t t)
{
	long d = fc_period_add(cx->period, cx->start, (long)t);
	double tt = (double)(d - cx->start) / (double)ds->span;
	size_t c = 0;

	r[c++] = 1;
	r[c++] = tt;
	for (size_t j = 0; j < ds->ncp; j++)
		r[c++] = tt > ds->cp[j] ? tt - ds->cp[j] : 0;
	c += fc_fourier(r + c, d, 7, ds->weekly);
	c += fc_fourier(r + c, d, 365.25, ds->yearly);
	for (size_t j = 0; j < cx->k; j++) {
		double v = cx->x[t * cx->k + j];
		r[c++] = isfinite(v) ? v : 0;
	}
}

/* Exogenous column j standardised on the history, as Prophet's extra
 * regressors ("auto": unless it only holds 0 and 1, or is constant). */
static void
standardise(struct design *ds, size_t j)
{
	size_t n = ds->n, p = ds->p;
	double s = 0, s2 = 0, mu, sd;
	int binary = 1;

	for (size_t t = 0; t < n; t++) {
		double v = ds->x[t * p + j];
		s += v;
		binary &= v == 0 || v == 1;
	}
	mu = s / (double)n;
	for (size_t t = 0; t < n; t++)
		s2 += (ds->x[t * p + j] - mu) * (ds->x[t * p + j] - mu);
	sd = sqrt(s2 / (double)(n - 1));
	if (binary || !(sd > 1e-12))
		return;
	for (size_t t = 0; t < n + ds->h; t++)
		ds->x[t * p + j] = (ds->x[t * p + j] - mu) / sd;
}

static void
design_build(struct design *ds, const struct fc_ctx *cx, size_t n, size_t h)
{
	size_t hist = (size_t)floor(CP_RANGE * (double)n);
	long span = fc_period_add(cx->period, cx->start, (long)n - 1) - cx->start;

	memset(ds, 0, sizeof(*ds));
	ds->n = n;
	ds->h = h;
	ds->span = span;
	/* Prophet's "auto" seasonalities (no daily one: periods are days) */
	ds->yearly = span >= 730 ? 10 : 0;
	ds->weekly = cx->period == FC_DAY && span >= 14 ? 3 : 0;
	ds->ncp = hist < 2 ? 0 : hist - 1 < MAX_CP ? hist - 1 : MAX_CP;
	for (size_t j = 0; j < ds->ncp; j++) {
		/* R's round(seq(1, hist, length.out = ncp + 1)), half to even */
		long i = (long)rint(1 + (double)(j + 1) * (double)(hist - 1) /
		    (double)ds->ncp) - 1;
		ds->cp[j] = (double)(fc_period_add(cx->period, cx->start, i) -
		    cx->start) / (double)span;
	}
	ds->p = 2 + ds->ncp + 2 * (size_t)ds->weekly + 2 * (size_t)ds->yearly + cx->k;
	ds->x = xcalloc((n + h) * ds->p, sizeof(double));
	ds->pr = xcalloc(ds->p, sizeof(*ds->pr));
	for (size_t j = 0; j < ds->p; j++)
		ds->pr[j] = j < 2 ? P_TREND : j < 2 + ds->ncp ? P_CP : P_OTHER;
	for (size_t t = 0; t < n + h; t++)
		row(ds->x + t * ds->p, ds, cx, t);
	for (size_t j = ds->p - cx->k; j < ds->p; j++)
		standardise(ds, j);
	ds->G = xcalloc(ds->p * ds->p, sizeof(double));
	for (size_t t = 0; t < n; t++) {
		const double *x = ds->x + t * ds->p;

		for (size_t j = 0; j < ds->p; j++)
			for (size_t k = j; k < ds->p; k++)
				ds->G[j * ds->p + k] += x[j] * x[k];
	}
	for (size_t j = 0; j < ds->p; j++)
		for (size_t k = 0; k < j; k++)
			ds->G[j * ds->p + k] = ds->G[k * ds->p + j];
}

static void
design_free(struct design *ds)
{
	free(ds->x);
	free(ds->G);
	free(ds->pr);
}

/* The prior's penalty weight of column j per unit of sigma^2: the ridge
 * precision 1 / sd^2 (normal) or the lasso's 1 / tau (changepoints). */
static double
prior_weight(enum prior pr)
{
	return pr == P_CP ? 1 / TAU : pr == P_TREND ? 1 / (SD_TREND * SD_TREND) :
	    1 / (SD_OTHER * SD_OTHER);
}

/* The Cholesky factor of (G + s2 P) over the columns act[0..na-1], P the
 * normal priors' precisions (0 for changepoints, whose Laplace prior has
 * no curvature off 0), or NULL when it is not positive definite. */
static gsl_matrix *
support_chol(const struct design *ds, double s2, const size_t *act, size_t na)
{
	gsl_matrix *A = gsl_matrix_alloc(na, na);

	for (size_t i = 0; i < na; i++) {
		for (size_t k = 0; k < na; k++)
			gsl_matrix_set(A, i, k, ds->G[act[i] * ds->p + act[k]]);
		if (ds->pr[act[i]] != P_CP)
			*gsl_matrix_ptr(A, i, i) += s2 * prior_weight(ds->pr[act[i]]);
	}
	if (gsl_linalg_cholesky_decomp1(A) != 0) {
		gsl_matrix_free(A);
		return NULL;
	}
	return A;
}

/*
 * For noise variance s2, the exact minimiser on the support of b (the
 * changepoints not at zero, with their signs, and every other column that
 * is not all zero): (G + s2 P)_AA b_A = c_A - (s2 / TAU) sign(b_A).
 * Taken into b, and g = G b, when the signs hold and no changepoint at
 * zero would leave it (|c_j - g_j| <= s2 / TAU); returns the largest
 * change then, else 0.  Coordinate descent finds the support in a few
 * sweeps and this step lands on the optimum that its sweeps would creep
 * to through correlated columns.
 */
static double
support_step(const struct design *ds, const double *c, double s2, double *b,
    double *g)
{
	size_t p = ds->p, na = 0, *act = xcalloc(p, sizeof(size_t));
	double *nb = xcalloc(p, sizeof(double)), *ng = xcalloc(p, sizeof(double));
	double lam = s2 / TAU, moved = 0;
	const double *G = ds->G;
	gsl_matrix *A;
	gsl_vector *v;
	int ok;

	for (size_t j = 0; j < p; j++)
		if (ds->pr[j] == P_CP ? b[j] != 0 : G[j * p + j] > 0)
			act[na++] = j;
	v = gsl_vector_alloc(na > 0 ? na : 1);
	for (size_t i = 0; i < na; i++) {
		size_t j = act[i];

		gsl_vector_set(v, i, ds->pr[j] != P_CP ? c[j] :
		    c[j] - (b[j] > 0 ? lam : -lam));
	}
	A = na > 0 ? support_chol(ds, s2, act, na) : NULL;
	ok = A != NULL && gsl_linalg_cholesky_svx(A, v) == 0;
	for (size_t i = 0; ok && i < na; i++) {
		size_t j = act[i];

		nb[j] = gsl_vector_get(v, i);
		ok = isfinite(nb[j]) && (ds->pr[j] != P_CP || nb[j] * b[j] > 0);
	}
	for (size_t j = 0; ok && j < p; j++)
		for (size_t i = 0; i < na; i++)
			ng[j] += G[j * p + act[i]] * nb[act[i]];
	for (size_t j = 0; ok && j < p; j++)
		ok = ds->pr[j] != P_CP || b[j] != 0 || fabs(c[j] - ng[j]) <= lam;
	if (ok) {
		for (size_t j = 0; j < p; j++)
			moved = fmax(moved, fabs(nb[j] - b[j]));
		memcpy(b, nb, p * sizeof(double));
		memcpy(g, ng, p * sizeof(double));
	}
	gsl_vector_free(v);
	if (A != NULL)
		gsl_matrix_free(A);
	free(ng);
	free(nb);
	free(act);
	return moved;
}

/*
 * The MAP coefficients b[] for z (y / scale) by coordinate descent on the
 * Gram matrix G = X'X (ds->G) and c = X'z, keeping g = G b, with a step to the
 * exact optimum on the support every few sweeps, alternating with the
 * noise variance's conditional mode; returns sigma^2 (scaled).
 */
static double
map_fit(const struct design *ds, const double *z, double *b)
{
	size_t n = ds->n, p = ds->p;
	const double *G = ds->G;
	double *c = xcalloc(p, sizeof(double)), *g = xcalloc(p, sizeof(double));
	double zz = 0, s2;

	for (size_t t = 0; t < n; t++) {
		const double *x = ds->x + t * p;

		zz += z[t] * z[t];
		for (size_t j = 0; j < p; j++)
			c[j] += x[j] * z[t];
	}
	memset(b, 0, p * sizeof(double));
	s2 = fmax(zz / (double)n, 1e-12);
	for (int it = 0; it < CD_MAX; it++) {
		double moved = 0, bgb = 0, bc = 0, r;

		for (size_t j = 0; j < p; j++) {
			double gjj = G[j * p + j], rho, nb, lam, d;

			if (gjj <= 0)
				continue;
			rho = c[j] - g[j] + gjj * b[j];
			lam = s2 * prior_weight(ds->pr[j]);
			if (ds->pr[j] == P_CP)     /* soft threshold */
				nb = rho > lam ? (rho - lam) / gjj : rho < -lam ? (rho + lam) / gjj : 0;
			else
				nb = rho / (gjj + lam);
			if ((d = nb - b[j]) == 0)
				continue;
			for (size_t k = 0; k < p; k++)
				g[k] += d * G[j * p + k];
			b[j] = nb;
			moved = fmax(moved, fabs(d));
		}
		if (it % SUPPORT_EVERY == SUPPORT_EVERY - 1)
			moved = fmax(moved, support_step(ds, c, s2, b, g));
		for (size_t j = 0; j < p; j++) {
			bgb += b[j] * g[j];
			bc += b[j] * c[j];
		}
		r = fmax(zz - 2 * bc + bgb, 0);
		/* d/ds of r / (2 s^2) + n log s + s^2 / (2 SD_SIGMA^2) = 0 */
		s2 = (-(double)n + sqrt((double)n * (double)n +
		    4 * r / (SD_SIGMA * SD_SIGMA))) * SD_SIGMA * SD_SIGMA / 2;
		s2 = fmax(s2, 1e-12);
		if (moved < CD_TOL)
			break;
	}
	free(c);
	free(g);
	return s2;
}

/*
 * The forecast's sd (in y's units, scale ys) from the fit b with noise
 * variance s2map (scaled) and residual sum rss (in y's units^2): 0, or -1
 * when there are not enough degrees of freedom or the posterior
 * covariance is singular.
 */
static int
prophet_sd(const struct design *ds, const double *b, double s2map, double rss,
    double ys, const double *y, struct fc_result *res)
{
	size_t n = ds->n, p = ds->p, na = 0, *act = xcalloc(p, sizeof(size_t));
	double rdf, s2, sm, f2, bcp = 0;
	gsl_matrix *A = NULL;
	gsl_vector *v = NULL;
	int st = -1;

	for (size_t j = 0; j < p; j++)
		if (b[j] != 0)
			act[na++] = j;
	rdf = (double)n - (double)na;
	if (na == 0 || rdf < 1)
		goto done;
	s2 = rss / rdf;
	sm = fc_mult_noise(y, n, res, rdf, s2, &f2);
	if (sm > 0)
		s2 = sm * f2;
	/* (X'X + s2map P)^-1 over the non-zero coefficients */
	if ((A = support_chol(ds, s2map, act, na)) == NULL)
		goto done;
	v = gsl_vector_alloc(na);
	for (size_t j = 2; j < 2 + ds->ncp; j++)
		bcp += fabs(b[j]) * ys;
	if (ds->ncp > 0)
		bcp /= (double)ds->ncp;
	for (size_t i = 0; i < res->h; i++) {
		const double *x0 = ds->x + (n + i) * p;
		double par = 0, kk = (double)(i + 1), tc;

		for (size_t k = 0; k < na; k++)
			gsl_vector_set(v, k, x0[act[k]]);
		gsl_linalg_cholesky_svx(A, v);
		for (size_t k = 0; k < na; k++)
			par += x0[act[k]] * gsl_vector_get(v, k);
		/* sum_{k=1..i} (k / (n - 1))^2: a slope change per unit of
		 * scaled time acts k / (n - 1) of it k periods later */
		tc = kk * (kk + 1) * (2 * kk + 1) / 6 / ((double)(n - 1) * (double)(n - 1));
		res->sd[i] = sqrt((sm > 0 ? sm * res->mean[i] * res->mean[i] : s2) +
		    s2 * par + (double)ds->ncp / (double)(n - 1) * 2 * bcp * bcp * tc);
	}
	res->sigma2 = s2;
	res->tdf = rdf;
	st = 0;
done:
	if (A != NULL)
		gsl_matrix_free(A);
	if (v != NULL)
		gsl_vector_free(v);
	free(act);
	return st;
}

int
fc_prophet(const double *y, size_t n, int m, const struct fc_ctx *cx,
    size_t h, struct fc_result *res)
{
	struct design ds;
	double ys = 0, *z, *b, s2map, rss = 0;

	(void)m;
	if ((cx = fc_regression_ctx(cx, n, res)) == NULL)
		return -1;
	design_build(&ds, cx, n, h);
	for (size_t t = 0; t < n; t++)
		ys = fmax(ys, fabs(y[t]));
	if (ys == 0)
		ys = 1;                 /* Prophet's absmax scaling of all zeros */
	z = xcalloc(n, sizeof(double));
	b = xcalloc(ds.p, sizeof(double));
	for (size_t t = 0; t < n; t++)
		z[t] = y[t] / ys;
	s2map = map_fit(&ds, z, b);
	for (size_t t = 0; t < n + h; t++) {
		const double *x = ds.x + t * ds.p;
		double f = 0;

		for (size_t j = 0; j < ds.p; j++)
			f += b[j] * x[j];
		if (t < n) {
			res->fitted[t] = f * ys;
			rss += (y[t] - f * ys) * (y[t] - f * ys);
		} else
			res->mean[t - n] = f * ys;
	}
	/* Without an sd the caller falls back to empirical intervals. */
	prophet_sd(&ds, b, s2map, rss, ys, y, res);
	snprintf(res->name, sizeof(res->name), "prophet(cp=%zu,fourier=%d+%d%s)",
	    ds.ncp, ds.weekly, ds.yearly, cx->k > 0 ? ",x" : "");
	free(z);
	free(b);
	design_free(&ds);
	return 0;
}
