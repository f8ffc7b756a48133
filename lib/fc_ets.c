/*
 * fc_ets.c: exponential smoothing state-space models (ETS) for nc-forecast.
 *
 * The innovations state-space family of Hyndman, Koehler, Ord and Snyder,
 * "Forecasting with Exponential Smoothing" (Springer, 2008): error A or M,
 * trend N, A or Ad (damped), season N, A or M.  The states (level l,
 * trend b, m seasonal indices) follow the error-correction recursions of
 * the book's table 2.3, written in terms of the observation so that the
 * additive- and multiplicative-error models share them:
 *
 *   q   = l + phi*b                     (phi = 1 for A, b = 0 for N)
 *   mu  = q, q + s, or q * s            (one-step forecast)
 *   l'  = q + alpha * (y - s - q)       or alpha * (y / s - q) (M season)
 *   b'  = phi*b + beta * eps            (eps in the units of the level)
 *   s'  = s + gamma * (y - q - s)       or gamma * (y / q - s)
 *
 * Parameters (alpha, beta, gamma, phi) and the initial states are
 * estimated by maximum likelihood (GSL Nelder-Mead) inside the "usual"
 * region of R's forecast::ets: 1e-4 <= alpha <= 0.9999, 1e-4 <= beta <=
 * alpha, 1e-4 <= gamma <= 1 - alpha, 0.8 <= phi <= 0.98.  Starting
 * values follow the book (section 2.6.1): seasonal indices from a
 * classical decomposition of the first three seasons, level and trend from
 * a regression on the first max(10, 2m) seasonally adjusted values.
 * -2 log L is n log(sum e^2) (+ 2 sum log|mu| for multiplicative errors,
 * e then being the relative error), the concentrated Gaussian likelihood
 * as R computes it; the AICc counts the parameters, the free initial
 * states and sigma.  "auto" fits every admissible model (multiplicative
 * ones only for strictly positive data; no additive error with a
 * multiplicative season, as R's restrict = TRUE) and keeps the lowest AICc.
 *
 * Forecast variances: the closed forms of class 1 (additive error and
 * components, book chapter 6, table 6.1) and class 2 (multiplicative error,
 * no season: theta recursion of section 6.3); for the models with a
 * multiplicative season they come from 5000 simulated sample paths with a
 * fixed seed (deterministic output).
 *
 * Ownership: owned by the forecasting models; only fc_ets() is exported.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "fc_optim.h"
#include "fcmodel.h"
#include "nc.h"

#define ETS_MAXM 24         /* R's ets refuses seasonal periods above 24 */
#define ETS_NPAR (4 + 2 + ETS_MAXM)
#define ETS_NSIM 5000
#define ETS_BIG 1e12

enum { E_A, E_M };
enum { T_N, T_A, T_AD };
enum { S_N, S_A, S_M };

struct ets_spec {
	int err, trend, season;
};

struct ets_fit {
	struct ets_spec sp;
	int m;                          /* 1 when no season */
	double alpha, beta, gamma, phi;
	double l0, b0, s0[ETS_MAXM];    /* initial states */
	double l, b, s[ETS_MAXM];       /* states after the last observation */
	double lik;                     /* -2 log L without constants */
	double sse;                     /* sum of squared innovations */
	double aicc, sigma2;
	int np;                         /* parameters incl. sigma */
};

/* What the optimiser needs: the data, the model, the scale of the states. */
struct ets_ctx {
	const double *y;
	size_t n;
	struct ets_fit *f;
	double scale;
};

static const double ets_lo = 1e-4, ets_hi = 0.9999;
/* Forms of the automatic choice (15: A or M error x N, A, Ad trend x N,
 * A, M season, less the additive error with a multiplicative season) and
 * the AICc distance from the best quick fit within which a form is
 * fitted in full. */
#define ETS_FORMS 15
#define ETS_SCREEN 4.0
static const double ets_phi_lo = 0.8, ets_phi_hi = 0.98;

/*
 * Run the recursions over y from the initial states in f; store the final
 * states and sse in f and, when fitted is not NULL, the one-step forecasts.
 * Returns -2 log L (without constants), or ETS_BIG when a multiplicative
 * model leaves the positive region.
 */
static double
ets_filter(struct ets_fit *f, const double *y, size_t n, double *fitted)
{
	const int err = f->sp.err, tr = f->sp.trend, se = f->sp.season;
	const int m = f->m;
	const double alpha = f->alpha, gamma = f->gamma;
	const double bstar = tr == T_N ? 0 : f->beta / f->alpha;
	const double phi = tr == T_AD ? f->phi : 1;
	const int mult = err == E_M || se == S_M;
	double l = f->l0, b = tr == T_N ? 0 : f->b0;
	double s[ETS_MAXM];
	double sse = 0, sumlog = 0, prod = 1;
	size_t j = 0;

	if (se != S_N)
		memcpy(s, f->s0, sizeof(double) * (size_t)m);
	for (size_t t = 0; t < n; t++) {
		double pb = phi * b, q = l + pb, so, mu, e, p, ln;

		so = se == S_N ? 0 : s[j];
		mu = se == S_A ? q + so : se == S_M ? q * so : q;
		if (fitted != NULL)
			fitted[t] = mu;
		if (mult && (mu <= 1e-10 || q <= 1e-10 || (se == S_M &&
		    so <= 1e-10)))
			return ETS_BIG;
		e = y[t] - mu;
		if (err == E_A) {
			sse += e * e;
		} else {
			double r = e / mu;

			sse += r * r;
			/* sum log mu as the log of a product, taken when it
			 * leaves [1e-100, 1e100] (a log per step was an
			 * eighth of a fit) */
			prod *= mu;
			if (prod > 1e100 || prod < 1e-100) {
				sumlog += log(prod);
				prod = 1;
			}
		}
		p = se == S_A ? y[t] - so : se == S_M ? y[t] / so : y[t];
		ln = q + alpha * (p - q);
		if (tr != T_N)
			b = pb + bstar * (ln - l - pb);
		if (se == S_A)
			s[j] = so + gamma * (y[t] - q - so);
		else if (se == S_M)
			s[j] = so + gamma * (y[t] / q - so);
		l = ln;
		if (se != S_N && ++j == (size_t)m)
			j = 0;
	}
	f->l = l;
	f->b = b;
	if (se != S_N) {
		/* rotate so that f->s[0] applies to the next period */
		for (int i = 0; i < m; i++)
			f->s[i] = s[(j + (size_t)i) % (size_t)m];
	}
	sumlog += log(prod);
	f->sse = sse;
	if (!(sse > 0))
		return ETS_BIG;
	return (double)n * log(sse) + 2 * sumlog;
}

/* Number of free values in the optimiser's vector. */
static size_t
ets_nfree(const struct ets_fit *f)
{
	size_t k = 2;                   /* alpha, l0 */

	if (f->sp.trend != T_N)
		k += 2;                 /* beta, b0 */
	if (f->sp.trend == T_AD)
		k++;
	if (f->sp.season != S_N)
		k += 1 + (size_t)f->m - 1;  /* gamma, m - 1 free indices */
	return k;
}

static void
ets_pack(const struct ets_fit *f, double scale, double *x)
{
	size_t k = 0;

	x[k++] = f->alpha;
	if (f->sp.trend != T_N)
		x[k++] = f->beta;
	if (f->sp.season != S_N)
		x[k++] = f->gamma;
	if (f->sp.trend == T_AD)
		x[k++] = f->phi;
	x[k++] = f->l0 / scale;
	if (f->sp.trend != T_N)
		x[k++] = f->b0 / scale;
	if (f->sp.season == S_A)
		for (int i = 0; i < f->m - 1; i++)
			x[k++] = f->s0[i] / scale;
	else if (f->sp.season == S_M)
		for (int i = 0; i < f->m - 1; i++)
			x[k++] = f->s0[i];
}

static void
ets_unpack(struct ets_fit *f, double scale, const double *x)
{
	size_t k = 0;

	f->alpha = x[k++];
	if (f->sp.trend != T_N)
		f->beta = x[k++];
	if (f->sp.season != S_N)
		f->gamma = x[k++];
	if (f->sp.trend == T_AD)
		f->phi = x[k++];
	f->l0 = x[k++] * scale;
	if (f->sp.trend != T_N)
		f->b0 = x[k++] * scale;
	if (f->sp.season != S_N) {
		double sum = 0, last;

		for (int i = 0; i < f->m - 1; i++) {
			f->s0[i] = x[k++];
			if (f->sp.season == S_A)
				f->s0[i] *= scale;
			sum += f->s0[i];
		}
		/* the indices sum to 0 (additive) or m (multiplicative) */
		last = f->sp.season == S_A ? -sum : f->m - sum;
		f->s0[f->m - 1] = last;
	}
}

/* Distance outside the usual region (0 inside). */
static double
ets_outside(const struct ets_fit *f)
{
	double d = 0;

	if (f->alpha < ets_lo)
		d += ets_lo - f->alpha;
	if (f->alpha > ets_hi)
		d += f->alpha - ets_hi;
	if (f->sp.trend != T_N) {
		if (f->beta < ets_lo)
			d += ets_lo - f->beta;
		if (f->beta > f->alpha)
			d += f->beta - f->alpha;
	}
	if (f->sp.season != S_N) {
		if (f->gamma < ets_lo)
			d += ets_lo - f->gamma;
		if (f->gamma > 1 - f->alpha)
			d += f->gamma - (1 - f->alpha);
	}
	if (f->sp.trend == T_AD) {
		if (f->phi < ets_phi_lo)
			d += ets_phi_lo - f->phi;
		if (f->phi > ets_phi_hi)
			d += f->phi - ets_phi_hi;
	}
	if (f->sp.season == S_M)
		for (int i = 0; i < f->m; i++)
			if (f->s0[i] <= 1e-3)
				d += 1e-3 - f->s0[i];
	return d;
}

/*
 * Admissibility of a seasonal model (Hyndman et al. 2008, ch. 10, the
 * check R's forecast::ets adds to the usual region by default): the
 * eigenvalues of D = F - g w' lie in the unit disc.  For AAdA, with s_m
 * the seasonal state in use, the characteristic polynomial of D divided by
 * the unit root that the seasonal indices always carry is
 *   (z - phi)(z^m - 1) + (phi b + a (z - phi)) S(z) + phi b (z^m - 1)
 *     + g (z - phi),                     S(z) = 1 + z + ... + z^(m-1)
 * (b = 0 and phi = 1 for no trend, whose extra factor z - 1 is dropped
 * too: z^m - 1 + a S(z) + g).  Its roots are tested by the Schur-Cohn
 * recursion (fc_roots_inside).  Non-seasonal models inside the usual region are admissible.
 */
static int
ets_admissible(const struct ets_fit *f)
{
	const int m = f->m;
	const double a = f->alpha, g = f->gamma;
	double c[ETS_MAXM + 2];
	int d;

	if (f->sp.season == S_N)
		return 1;
	if (f->sp.trend == T_N) {
		d = m;
		for (int i = 0; i < m; i++)
			c[i] = a;
		c[0] += g - 1;
		c[m] = 1;
	} else {
		const double phi = f->sp.trend == T_AD ? f->phi : 1;
		const double b = f->beta;

		d = m + 1;
		for (int i = 0; i <= d; i++)
			c[i] = 0;
		/* (z - phi)(z^m - 1) */
		c[m + 1] += 1, c[m] -= phi, c[1] -= 1, c[0] += phi;
		/* (phi b - a phi) S(z) + a z S(z) */
		for (int i = 0; i < m; i++)
			c[i] += phi * b - a * phi, c[i + 1] += a;
		/* phi b (z^m - 1) + g (z - phi) */
		c[m] += phi * b, c[0] -= phi * b;
		c[1] += g, c[0] -= g * phi;
	}
	return fc_roots_inside(c, d, 1);
}

static double
ets_objective(const double *x, void *p)
{
	struct ets_ctx *c = p;
	double d;

	ets_unpack(c->f, c->scale, x);
	d = ets_outside(c->f);
	if (d > 0)
		return ETS_BIG * (1 + d);
	if (!ets_admissible(c->f))
		return ETS_BIG;
	return ets_filter(c->f, c->y, c->n, NULL);
}

/* Least-squares line through v[0..k-1] against 1..k: level at 0, slope. */
static void
ets_line(const double *v, size_t k, double *a, double *slope)
{
	double sx = 0, sy = 0, sxx = 0, sxy = 0;

	for (size_t i = 0; i < k; i++) {
		double x = (double)(i + 1);

		sx += x;
		sy += v[i];
		sxx += x * x;
		sxy += x * v[i];
	}
	if (k < 2 || k * sxx - sx * sx == 0) {
		*slope = 0;
		*a = k ? sy / (double)k : 0;
		return;
	}
	*slope = ((double)k * sxy - sx * sy) / ((double)k * sxx - sx * sx);
	*a = (sy - *slope * sx) / (double)k;
}

/*
 * Seasonal starting indices: a classical decomposition (centred moving
 * average) of the first min(n, 3m) observations, averaged by position and
 * normalised; fewer than 3 seasons use the same on what there is.
 */
static void
ets_init_season(struct ets_fit *f, const double *y, size_t n)
{
	const int m = f->m, mult = f->sp.season == S_M;
	size_t k = n < (size_t)(3 * m) ? n : (size_t)(3 * m);
	double sum[ETS_MAXM] = { 0 }, cnt[ETS_MAXM] = { 0 }, tot = 0;
	size_t half = (size_t)m / 2;

	for (size_t t = half; t + half < k; t++) {
		double ma = 0;

		if (m % 2 == 0) {
			for (size_t i = t - half; i <= t + half; i++)
				ma += (i == t - half || i == t + half) ?
				    y[i] / 2 : y[i];
		} else {
			for (size_t i = t - half; i <= t + half; i++)
				ma += y[i];
		}
		ma /= m;
		if (mult && ma <= 0)
			continue;
		sum[t % (size_t)m] += mult ? y[t] / ma : y[t] - ma;
		cnt[t % (size_t)m]++;
	}
	for (int i = 0; i < m; i++) {
		f->s0[i] = cnt[i] > 0 ? sum[i] / cnt[i] : (mult ? 1 : 0);
		tot += f->s0[i];
	}
	for (int i = 0; i < m; i++) {
		if (mult) {
			f->s0[i] *= m / tot;
			if (f->s0[i] < 1e-2)
				f->s0[i] = 1e-2;
		} else {
			f->s0[i] -= tot / m;
		}
	}
}

static void
ets_init(struct ets_fit *f, const double *y, size_t n)
{
	const int m = f->m;
	size_t maxn = 2 * (size_t)m > 10 ? 2 * (size_t)m : 10;
	double sa[2 * ETS_MAXM + 10], a, slope;

	if (maxn > n)
		maxn = n;
	if (f->sp.season != S_N)
		ets_init_season(f, y, n);
	for (size_t t = 0; t < maxn; t++) {
		if (f->sp.season == S_A)
			sa[t] = y[t] - f->s0[t % (size_t)m];
		else if (f->sp.season == S_M)
			sa[t] = y[t] / f->s0[t % (size_t)m];
		else
			sa[t] = y[t];
	}
	ets_line(sa, maxn, &a, &slope);
	if (f->sp.trend == T_N) {
		f->l0 = 0;
		for (size_t t = 0; t < maxn; t++)
			f->l0 += sa[t];
		f->l0 /= (double)maxn;
		f->b0 = 0;
	} else {
		/* state at time 0 is one step before the first observation */
		f->l0 = a;
		f->b0 = slope;
	}
	/* starting parameters as R's forecast::ets (initparam) */
	f->alpha = ets_lo + 0.2 * (ets_hi - ets_lo) / (double)m;
	f->beta = ets_lo + 0.1 * (f->alpha - ets_lo);
	f->gamma = ets_lo + 0.05 * (1 - f->alpha - ets_lo);
	f->phi = ets_phi_lo + 0.99 * (ets_phi_hi - ets_phi_lo);
	if (f->sp.trend == T_N)
		f->beta = 0;
	if (f->sp.season == S_N)
		f->gamma = 0;
	if (f->sp.trend != T_AD)
		f->phi = 1;
}

/* Fit one model; 0, or -1 when the data cannot support it.  A damped
 * model starts a second search from the undamped fit, und (fitted here
 * when NULL).  A quick fit is one Nelder-Mead search from R's start
 * (restarted once): the screening pass of the automatic choice. */
static int
ets_fit_one(struct ets_fit *f, const double *y, size_t n,
    const struct ets_fit *und, int quick)
{
	double x[ETS_NPAR], step[ETS_NPAR], scale = 0;
	struct ets_ctx c = { y, n, f, 1 };
	size_t k = ets_nfree(f), np;

	for (size_t t = 0; t < n; t++)
		scale += fabs(y[t]);
	scale /= (double)n;
	if (!(scale > 0))
		scale = 1;
	c.scale = scale;
	np = k + 1;
	if (n <= np + 1)
		return -1;
	ets_init(f, y, n);
	ets_pack(f, scale, x);
	for (size_t i = 0; i < k; i++)
		step[i] = 0.1;
	for (size_t i = 0; i < k; i++)
		if (i == 0 || (f->sp.trend != T_N && i == 1))
			step[i] = 0.05;
	f->lik = fc_minimise(ets_objective, &c, x, step, k, 2000, 1e-7,
	    quick ? 1 : 3);
	if (f->sp.season != S_N && !quick) {
		/*
		 * Seasonal likelihoods have several optima: a second start
		 * with a fast level and a fixed season (alpha 0.7, beta 0.02,
		 * gamma at its bound: AirPassengers' ETS(M,Ad,M) optimum is
		 * there), Nelder-Mead restarted from its optimum with a fresh
		 * simplex up to 10 times while that improves (the seasonal
		 * states converge slowly near gamma = 0).  It replaces a start
		 * at alpha 0.3, gamma 0.1, which found nothing better on the
		 * R comparisons.
		 */
		struct ets_fit u = *f;
		double x2[ETS_NPAR], lik2;

		ets_init(&u, y, n);
		u.alpha = 0.7;
		u.beta = f->sp.trend == T_N ? 0 : 0.02;
		u.gamma = ets_lo;
		ets_pack(&u, scale, x2);
		c.f = &u;
		lik2 = fc_minimise(ets_objective, &c, x2, step, k, 2000, 1e-7,
		    10);
		c.f = f;
		if (lik2 < f->lik) {
			memcpy(x, x2, sizeof(x2));
			f->lik = lik2;
		}
	}
	if (f->sp.trend == T_AD && !quick) {
		/* a second start: the undamped optimum with phi = 0.98 */
		struct ets_fit u = *f;
		double x2[ETS_NPAR], lik2;
		int ok;

		u.sp.trend = T_A;
		if (und != NULL)
			u = *und;
		ok = und != NULL || ets_fit_one(&u, y, n, NULL, 0) == 0;
		if (ok) {
			u.sp.trend = T_AD;
			u.phi = ets_phi_hi;
			ets_pack(&u, scale, x2);
			c.f = &u;
			lik2 = fc_minimise(ets_objective, &c, x2, step, k,
			    2000, 1e-7, 3);
			c.f = f;
			if (lik2 < f->lik) {
				memcpy(x, x2, sizeof(x2));
				f->lik = lik2;
			}
		}
	}
	ets_unpack(f, scale, x);
	if (ets_outside(f) > 0 || !ets_admissible(f))
		return -1;
	f->lik = ets_filter(f, y, n, NULL);
	if (!(f->lik < ETS_BIG))
		return -1;
	f->np = (int)np;
	f->aicc = f->lik + 2.0 * (double)np +
	    2.0 * (double)(np * (np + 1)) / (double)(n - np - 1);
	/* as R: the residual variance over n minus the free values */
	f->sigma2 = f->sse / (double)(n - k);
	return 0;
}

/* Point forecasts from the final states. */
static void
ets_means(const struct ets_fit *f, size_t h, double *mean)
{
	double phih = 0, pw = 1;

	for (size_t i = 0; i < h; i++) {
		double base, so;

		if (f->sp.trend == T_A)
			phih = (double)(i + 1);
		else if (f->sp.trend == T_AD) {
			pw *= f->phi;
			phih += pw;
		}
		base = f->l + phih * f->b;
		so = f->sp.season == S_N ? 0 : f->s[i % (size_t)f->m];
		mean[i] = f->sp.season == S_A ? base + so :
		    f->sp.season == S_M ? base * so : base;
	}
}

/* c_j of the book's tables 6.1 and 6.2 for j = 1 .. h-1. */
static void
ets_cj(const struct ets_fit *f, size_t h, double *c)
{
	double phij = 0, pw = 1;

	for (size_t j = 1; j < h; j++) {
		double v = f->alpha;

		if (f->sp.trend == T_A)
			v += f->beta * (double)j;
		else if (f->sp.trend == T_AD) {
			pw *= f->phi;
			phij += pw;
			v += f->beta * phij;
		}
		if (f->sp.season == S_A && j % (size_t)f->m == 0)
			v += f->gamma;
		c[j] = v;
	}
}

/* Forecast-error standard deviations by simulating the fitted model. */
static void
ets_simulate(const struct ets_fit *f, size_t h, double *sd)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	double *sum = xcalloc(h, sizeof(double));
	double *sum2 = xcalloc(h, sizeof(double));
	const double sigma = sqrt(f->sigma2);
	const double phi = f->sp.trend == T_AD ? f->phi : 1;
	const int m = f->m;

	gsl_rng_set(r, 20080101);
	for (int k = 0; k < ETS_NSIM; k++) {
		double l = f->l, b = f->sp.trend == T_N ? 0 : f->b;
		double s[ETS_MAXM];
		int j = 0;

		memcpy(s, f->s, sizeof(double) * (size_t)m);
		for (size_t i = 0; i < h; i++) {
			double pb = phi * b, q = l + pb, so, mu, eps, y, p, ln;

			so = f->sp.season == S_N ? 0 : s[j];
			mu = f->sp.season == S_A ? q + so :
			    f->sp.season == S_M ? q * so : q;
			eps = gsl_ran_gaussian_ziggurat(r, sigma);
			y = f->sp.err == E_A ? mu + eps : mu * (1 + eps);
			sum[i] += y;
			sum2[i] += y * y;
			p = f->sp.season == S_A ? y - so :
			    f->sp.season == S_M ? y / so : y;
			ln = q + f->alpha * (p - q);
			if (f->sp.trend != T_N)
				b = pb + f->beta / f->alpha * (ln - l - pb);
			if (f->sp.season == S_A)
				s[j] = so + f->gamma * (y - q - so);
			else if (f->sp.season == S_M && q != 0)
				s[j] = so + f->gamma * (y / q - so);
			l = ln;
			if (f->sp.season != S_N && ++j == m)
				j = 0;
		}
	}
	for (size_t i = 0; i < h; i++) {
		double mu = sum[i] / ETS_NSIM;
		double v = sum2[i] / ETS_NSIM - mu * mu;

		sd[i] = sqrt(v > 0 ? v * ETS_NSIM / (ETS_NSIM - 1) : 0);
	}
	free(sum);
	free(sum2);
	gsl_rng_free(r);
}

static void
ets_sd(const struct ets_fit *f, size_t h, const double *mean, double *sd)
{
	double *c, *theta;

	if (f->sp.season == S_M) {
		ets_simulate(f, h, sd);
		return;
	}
	c = xcalloc(h + 1, sizeof(double));
	ets_cj(f, h, c);
	if (f->sp.err == E_A) {
		double acc = 1;

		for (size_t i = 0; i < h; i++) {
			if (i > 0)
				acc += c[i] * c[i];
			sd[i] = sqrt(f->sigma2 * acc);
		}
		free(c);
		return;
	}
	/* class 2: theta_h = mu_h^2 + sigma^2 sum c_j^2 theta_{h-j} */
	theta = xcalloc(h, sizeof(double));
	for (size_t i = 0; i < h; i++) {
		double v;

		theta[i] = mean[i] * mean[i];
		for (size_t j = 1; j <= i; j++)
			theta[i] += f->sigma2 * c[j] * c[j] * theta[i - j];
		v = (1 + f->sigma2) * theta[i] - mean[i] * mean[i];
		sd[i] = sqrt(v > 0 ? v : 0);
	}
	free(theta);
	free(c);
}

static void
ets_name(const struct ets_spec *sp, char *buf, size_t len)
{
	static const char *tn[] = { "N", "A", "Ad" }, *sn[] = { "N", "A", "M" };

	snprintf(buf, len, "ETS(%s,%s,%s)", sp->err == E_A ? "A" : "M",
	    tn[sp->trend], sn[sp->season]);
}

/* "AAdN" -> spec; 0, or -1 when not a model of the family. */
static int
ets_parse(const char *s, struct ets_spec *sp)
{
	if (*s != 'A' && *s != 'M')
		return -1;
	sp->err = *s++ == 'A' ? E_A : E_M;
	if (*s == 'N')
		sp->trend = T_N, s++;
	else if (s[0] == 'A' && s[1] == 'd')
		sp->trend = T_AD, s += 2;
	else if (*s == 'A')
		sp->trend = T_A, s++;
	else
		return -1;
	if (*s == 'N')
		sp->season = S_N;
	else if (*s == 'A')
		sp->season = S_A;
	else if (*s == 'M')
		sp->season = S_M;
	else
		return -1;
	return s[1] == '\0' ? 0 : -1;
}

/* Why a model cannot be fitted to this series, or NULL. */
static const char *
ets_unfit(const struct ets_spec *sp, const double *y, size_t n, int m)
{
	if (sp->season != S_N) {
		if (m < 2)
			return "seasonal model needs a period above 1";
		if (m > ETS_MAXM)
			return "seasonal period above 24";
		if (n < 2 * (size_t)m)
			return "fewer than two seasons of data";
	}
	if (sp->err == E_M || sp->season == S_M)
		for (size_t t = 0; t < n; t++)
			if (!(y[t] > 0))
				return "multiplicative model needs positive data";
	return NULL;
}

/* The model and its initial states as res->par (fc_ets_refilter). */
static void
ets_save(const struct ets_fit *f, struct fc_result *res)
{
	double *p = res->par;

	p[0] = f->sp.err, p[1] = f->sp.trend, p[2] = f->sp.season;
	p[3] = f->m;
	p[4] = f->alpha, p[5] = f->beta, p[6] = f->gamma, p[7] = f->phi;
	p[8] = f->l0, p[9] = f->b0;
	for (int i = 0; i < f->m && f->sp.season != S_N; i++)
		p[10 + i] = f->s0[i];
	res->npar = 10 + (size_t)(f->sp.season != S_N ? f->m : 0);
}

/* Fill res from a fitted model; 0, or -1 when a forecast is not finite. */
static int
ets_result(const struct ets_fit *f, const double *y, size_t n, size_t h,
    struct fc_result *res)
{
	struct ets_fit g = *f;

	ets_filter(&g, y, n, res->fitted);
	ets_means(f, h, res->mean);
	ets_sd(f, h, res->mean, res->sd);
	res->aicc = f->aicc;
	res->sigma2 = f->sigma2;
	ets_name(&f->sp, res->name, sizeof(res->name));
	ets_save(f, res);
	return fc_result_check(res, h);
}

static int
ets_constant(const double *y, size_t n, size_t h, struct fc_result *res)
{
	for (size_t t = 1; t < n; t++)
		if (y[t] != y[0])
			return 0;
	for (size_t t = 0; t < n; t++)
		res->fitted[t] = y[0];
	for (size_t i = 0; i < h; i++) {
		res->mean[i] = y[0];
		res->sd[i] = 0;
	}
	res->sigma2 = 0;
	snprintf(res->name, sizeof(res->name), "ETS(A,N,N)");
	return 1;
}

int
fc_ets_refilter(const double *y, size_t n, const double *p, size_t npar,
    size_t h, struct fc_result *res)
{
	struct ets_fit f;
	size_t k;

	memset(&f, 0, sizeof(f));
	f.sp.err = (int)p[0], f.sp.trend = (int)p[1], f.sp.season = (int)p[2];
	f.m = (int)p[3];
	if (npar < 10 || f.m < 1 || f.m > ETS_MAXM ||
	    npar != 10 + (size_t)(f.sp.season != S_N ? f.m : 0)) {
		snprintf(res->why, sizeof(res->why), "not ETS parameters");
		return -1;
	}
	f.alpha = p[4], f.beta = p[5], f.gamma = p[6], f.phi = p[7];
	f.l0 = p[8], f.b0 = p[9];
	for (int i = 0; i < f.m && f.sp.season != S_N; i++)
		f.s0[i] = p[10 + i];
	k = ets_nfree(&f);
	if (n <= k + 1 || !(ets_filter(&f, y, n, NULL) < ETS_BIG)) {
		snprintf(res->why, sizeof(res->why), "ETS model does not fit "
		    "this history");
		return -1;
	}
	f.sigma2 = f.sse / (double)(n - k);
	f.aicc = NAN;
	return ets_result(&f, y, n, h, res);
}

int
fc_ets(const double *y, size_t n, int m, const char *spec, size_t h,
    struct fc_result *res)
{
	struct ets_fit best, f, cand[ETS_FORMS];
	struct ets_spec sp;
	const char *why = NULL;
	int found = 0;
	size_t nc = 0;
	double screen;

	if (m < 1)
		m = 1;
	if (n < 4) {
		snprintf(res->why, sizeof(res->why), "fewer than 4 observations");
		return -1;
	}
	if (strcmp(spec, "auto") != 0 && ets_parse(spec, &sp) != 0) {
		snprintf(res->why, sizeof(res->why),
		    "unknown ETS model '%s'", spec);
		return -1;
	}
	if (ets_constant(y, n, h, res))
		return 0;
	if (strcmp(spec, "auto") != 0) {
		if ((why = ets_unfit(&sp, y, n, m)) != NULL) {
			snprintf(res->why, sizeof(res->why), "%s", why);
			return -1;
		}
		memset(&best, 0, sizeof(best));
		best.sp = sp;
		best.m = sp.season == S_N ? 1 : m;
		if (ets_fit_one(&best, y, n, NULL, 0) != 0) {
			snprintf(res->why, sizeof(res->why),
			    "too few observations for this model");
			return -1;
		}
		return ets_result(&best, y, n, h, res);
	}
	/*
	 * Every form is screened by a quick fit; those within ETS_SCREEN of
	 * the best quick AICc are fitted in full (every start: the choice
	 * rests on their optima), the others keep their quick fit.
	 */
	for (int e = E_A; e <= E_M; e++)
		for (int s = S_N; s <= S_M; s++)
			for (int t = T_N; t <= T_AD; t++) {
				sp.err = e, sp.trend = t, sp.season = s;
				if (e == E_A && s == S_M)
					continue;
				if (ets_unfit(&sp, y, n, m) != NULL)
					continue;
				memset(&f, 0, sizeof(f));
				f.sp = sp;
				f.m = s == S_N ? 1 : m;
				if (ets_fit_one(&f, y, n, NULL, 1) != 0)
					continue;
				cand[nc++] = f;
				if (!found || f.aicc < best.aicc)
					best = f;
				found = 1;
			}
	if (!found) {
		snprintf(res->why, sizeof(res->why),
		    "too few observations for any ETS model");
		return -1;
	}
	screen = best.aicc + ETS_SCREEN;
	for (size_t i = 0; i < nc; i++) {
		const struct ets_fit *und = NULL;

		if (!(cand[i].aicc <= screen))
			continue;
		/* the damped form's second start: its undamped fit */
		if (cand[i].sp.trend == T_AD && i > 0 &&
		    cand[i - 1].sp.trend == T_A && cand[i - 1].sp.err ==
		    cand[i].sp.err && cand[i - 1].sp.season == cand[i].sp.season)
			und = &cand[i - 1];
		memset(&f, 0, sizeof(f));
		f.sp = cand[i].sp;
		f.m = cand[i].m;
		if (ets_fit_one(&f, y, n, und, 0) == 0 && f.aicc < cand[i].aicc)
			cand[i] = f;
		if (cand[i].aicc < best.aicc)
			best = cand[i];
	}
	return ets_result(&best, y, n, h, res);
}
