/*
 * fc_arima.c: ARIMA(p,d,q)(P,D,Q)m models for nc-forecast.
 *
 * First version: fixed orders, estimated by conditional sum of squares
 * (Box and Jenkins) over the differenced series with GSL Nelder-Mead;
 * forecasts from the ARMA recursion integrated back, standard errors from
 * the psi-weights of the full (differenced) model.
 *
 * Ownership: owned by the forecasting models; only fc_arima() is exported.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fc_optim.h"
#include "fcmodel.h"
#include "nc.h"

#define AR_MAXK 16              /* free coefficients at most */

struct ar_spec {
	int p, d, q, P, D, Q, m;
	int cst;                /* a constant (mean or drift) */
};

struct ar_fit {
	struct ar_spec sp;
	double *w;              /* differenced series */
	size_t nw;
	double *phi, *theta;    /* expanded AR and MA polynomials */
	int pf, qf;
	double *e;              /* residual work space, nw */
	double c;
	double sigma2;
};

/* Coefficients of prod (1 - phi B)(1 - Phi B^m) or with + for the MA. */
static int
ar_expand(const double *a, int p, const double *sa, int P, int m, int sign,
    double *out)
{
	int k = p + P * m;

	for (int i = 0; i <= k; i++)
		out[i] = 0;
	for (int i = 0; i <= p; i++) {
		double ai = i == 0 ? 1 : sign * a[i - 1];

		for (int j = 0; j <= P; j++) {
			double bj = j == 0 ? 1 : sign * sa[j - 1];

			out[i + j * m] += ai * bj;
		}
	}
	return k;
}

static void
ar_unpack(struct ar_fit *f, const double *x)
{
	const struct ar_spec *s = &f->sp;
	double poly[512];
	int k;

	k = ar_expand(x, s->p, x + s->p + s->q, s->P, s->m, -1, poly);
	for (int i = 1; i <= k; i++)
		f->phi[i - 1] = -poly[i];
	f->pf = k;
	k = ar_expand(x + s->p, s->q, x + s->p + s->q + s->P, s->Q, s->m, 1,
	    poly);
	for (int i = 1; i <= k; i++)
		f->theta[i - 1] = poly[i];
	f->qf = k;
	f->c = s->cst ? x[s->p + s->q + s->P + s->Q] : 0;
}

static double
ar_css(const double *x, void *p)
{
	struct ar_fit *f = p;
	double ssq = 0;

	ar_unpack(f, x);
	for (size_t t = 0; t < f->nw; t++) {
		double e = 0;

		if (t < (size_t)f->pf) {
			f->e[t] = 0;
			continue;
		}
		e = f->w[t] - f->c;
		for (int i = 0; i < f->pf; i++)
			e -= f->phi[i] * (f->w[t - 1 - (size_t)i] - f->c);
		for (int j = 0; j < f->qf && (size_t)j < t; j++)
			e -= f->theta[j] * f->e[t - 1 - (size_t)j];
		f->e[t] = e;
		ssq += e * e;
	}
	return ssq;
}

static int
ar_parse(const char *s, int m, struct ar_spec *sp)
{
	int v[6] = { 0 }, k = 0;
	char *end;

	memset(sp, 0, sizeof(*sp));
	while (k < 6) {
		long x = strtol(s, &end, 10);

		if (end == s || x < 0 || x > 5)
			return -1;
		v[k++] = (int)x;
		if (*end == '\0')
			break;
		if (*end != ',')
			return -1;
		s = end + 1;
	}
	if (*end != '\0' || (k != 3 && k != 6))
		return -1;
	sp->p = v[0], sp->d = v[1], sp->q = v[2];
	sp->P = v[3], sp->D = v[4], sp->Q = v[5];
	sp->m = m < 1 ? 1 : m;
	if (sp->m == 1 && (sp->P || sp->D || sp->Q))
		return -1;
	if (sp->d > 2 || sp->D > 1 || sp->P > 2 || sp->Q > 2)
		return -1;
	sp->cst = sp->d + sp->D <= 1;
	return 0;
}

/* Delta(B) = (1 - B)^d (1 - B^m)^D as 1 + sum delta_i B^i; its degree. */
static int
ar_delta(const struct ar_spec *s, double *delta)
{
	int k = 0;

	delta[0] = 1;
	for (int i = 0; i < s->d; i++) {
		delta[++k] = 0;
		for (int j = k; j >= 1; j--)
			delta[j] -= delta[j - 1];
	}
	for (int i = 0; i < s->D; i++) {
		for (int j = 1; j <= s->m; j++)
			delta[k + j] = 0;
		k += s->m;
		for (int j = k; j >= s->m; j--)
			delta[j] -= delta[j - s->m];
	}
	return k;
}

int
fc_arima(const double *y, size_t n, int m, const char *spec, size_t h,
    struct fc_result *res)
{
	struct ar_spec sp;
	struct ar_fit f;
	double delta[160], x[AR_MAXK], step[AR_MAXK], ssq, *ext, *psi, *phis;
	int dd, k, nphis;
	size_t nu;

	if (ar_parse(spec, m, &sp) != 0) {
		snprintf(res->why, sizeof(res->why),
		    "not an ARIMA order: '%s'", spec);
		return -1;
	}
	dd = ar_delta(&sp, delta);
	k = sp.p + sp.q + sp.P + sp.Q + sp.cst;
	if (n <= (size_t)dd + (size_t)(sp.p + sp.P * sp.m) + (size_t)k + 2) {
		snprintf(res->why, sizeof(res->why), "too few observations");
		return -1;
	}
	memset(&f, 0, sizeof(f));
	f.sp = sp;
	f.nw = n - (size_t)dd;
	f.w = xcalloc(f.nw, sizeof(double));
	f.e = xcalloc(f.nw, sizeof(double));
	f.phi = xcalloc((size_t)(sp.p + sp.P * sp.m) + 1, sizeof(double));
	f.theta = xcalloc((size_t)(sp.q + sp.Q * sp.m) + 1, sizeof(double));
	for (size_t t = 0; t < f.nw; t++) {
		double v = 0;

		for (int i = 0; i <= dd; i++)
			v += delta[i] * y[t + (size_t)dd - (size_t)i];
		f.w[t] = v;
	}
	for (int i = 0; i < k; i++) {
		x[i] = 0;
		step[i] = 0.1;
	}
	if (sp.cst) {
		double mean = 0, var = 0;

		for (size_t t = 0; t < f.nw; t++)
			mean += f.w[t];
		mean /= (double)f.nw;
		for (size_t t = 0; t < f.nw; t++)
			var += (f.w[t] - mean) * (f.w[t] - mean);
		x[k - 1] = mean;
		step[k - 1] = sqrt(var / (double)f.nw) / 10 + 1e-6;
	}
	fc_minimise(ar_css, &f, x, step, (size_t)k, 2000, 1e-8);
	ssq = ar_css(x, &f);
	nu = f.nw - (size_t)f.pf;
	f.sigma2 = ssq / (double)nu;

	/* fitted values and forecasts of w, integrated back */
	ext = xcalloc(n + h, sizeof(double));
	memcpy(ext, y, n * sizeof(double));
	for (size_t t = 0; t < n; t++)
		res->fitted[t] = t < (size_t)dd + (size_t)f.pf ? NAN :
		    y[t] - f.e[t - (size_t)dd];
	{
		double *wx = xcalloc(f.nw + h, sizeof(double));
		double *ex = xcalloc(f.nw + h, sizeof(double));

		memcpy(wx, f.w, f.nw * sizeof(double));
		memcpy(ex, f.e, f.nw * sizeof(double));
		for (size_t t = f.nw; t < f.nw + h; t++) {
			double v = f.c;

			for (int i = 0; i < f.pf; i++)
				v += f.phi[i] * (wx[t - 1 - (size_t)i] - f.c);
			for (int j = 0; j < f.qf; j++)
				v += f.theta[j] * ex[t - 1 - (size_t)j];
			wx[t] = v;
			ex[t] = 0;
		}
		for (size_t i = 0; i < h; i++) {
			double v = wx[f.nw + i];

			for (int j = 1; j <= dd; j++)
				v -= delta[j] * ext[n + i - (size_t)j];
			ext[n + i] = v;
			res->mean[i] = v;
		}
		free(wx);
		free(ex);
	}
	/* psi-weights of theta(B) / (phi(B) Delta(B)) */
	nphis = f.pf + dd;
	phis = xcalloc((size_t)nphis + 1, sizeof(double));
	for (int i = 0; i <= f.pf; i++)
		for (int j = 0; j <= dd; j++) {
			double a = i == 0 ? 1 : -f.phi[i - 1];

			phis[i + j] += a * delta[j];
		}
	psi = xcalloc(h, sizeof(double));
	{
		double acc = 0;

		for (size_t j = 0; j < h; j++) {
			double v = j == 0 ? 1 : (j <= (size_t)f.qf ?
			    f.theta[j - 1] : 0);

			for (int i = 1; i <= nphis && (size_t)i <= j; i++)
				v -= phis[i] * psi[j - (size_t)i];
			psi[j] = v;
			acc += v * v;
			res->sd[j] = sqrt(f.sigma2 * acc);
		}
	}
	res->sigma2 = f.sigma2;
	if (sp.m > 1)
		snprintf(res->name, sizeof(res->name),
		    "ARIMA(%d,%d,%d)(%d,%d,%d)[%d]",
		    sp.p, sp.d, sp.q, sp.P, sp.D, sp.Q, sp.m);
	else
		snprintf(res->name, sizeof(res->name), "ARIMA(%d,%d,%d)",
		    sp.p, sp.d, sp.q);
	free(psi);
	free(phis);
	free(ext);
	free(f.w);
	free(f.e);
	free(f.phi);
	free(f.theta);
	return 0;
}
