/*
 * fc_arima.c: seasonal ARIMA(p,d,q)(P,D,Q)m models for nc-forecast.
 *
 * The series is differenced, w = (1 - B)^d (1 - B^m)^D y, and w - c is a
 * stationary, invertible ARMA with AR polynomial phi(B) Phi(B^m) and MA
 * polynomial theta(B) Theta(B^m).  c is the mean when d + D = 0 and the
 * drift (times m after a seasonal difference) when d + D = 1, as R's
 * forecast::Arima does with include.mean / include.drift.
 *
 * Estimation (Box, Jenkins and Reinsel; R's method "CSS-ML"): conditional
 * sum of squares first, then the exact Gaussian likelihood from a Kalman
 * filter started from that point.  The state-space form is Harvey's (as in
 * Gardner, Harvey and Phillips 1980; Durbin and Koopman 2012, sec. 3.4):
 * state dimension r = max(p*, q* + 1), the initial covariance is the
 * stationary one, sum_j T^j R R' T'^j, and the filter switches to its
 * steady state when the prediction variance stops changing.  The AR and
 * MA coefficients are optimised through partial autocorrelations (tanh,
 * Durbin-Levinson: Jones 1980), so that every candidate is stationary and
 * invertible; GSL Nelder-Mead does the minimising.
 *
 * "auto" is the stepwise search of Hyndman and Khandakar (2008), as R's
 * auto.arima: D from the seasonal strength of a classical decomposition
 * (1 when above 0.64, R's "seas" criterion; R measures it on STL), d from
 * repeated KPSS tests at 5% (Kwiatkowski et al. 1992, level stationarity,
 * Bartlett window of trunc(3 sqrt(n) / 13) lags as R), start models
 * (2,d,2)(1,D,1), (0,d,0)(0,D,0), (1,d,0)(1,D,0), (0,d,1)(0,D,1), then
 * neighbours by +-1 on each order and on pairs, and the constant on/off,
 * moving whenever the AICc falls; p, q <= 5, P, Q <= 2, p+q+P+Q <= 5; fits
 * with an AR or MA root within 1.01 of the unit circle are rejected.
 * Periods above 24 (weekly data, m = 52) are searched without seasonal
 * terms: the state would have over 100 elements.
 *
 * Forecasts: the Kalman state forecast for w, integrated back to y;
 * standard errors sigma * sqrt(sum psi_j^2) from the psi-weights of
 * theta(B) Theta(B^m) / (phi(B) Phi(B^m) (1 - B)^d (1 - B^m)^D).
 *
 * Box-Cox transform ("auto" only; "auto-raw" is the search without it):
 * on a strictly positive series whose noise grows with the level, an
 * ARIMA of z = (y^lambda - 1) / lambda (log y when lambda is 0) can fit
 * better than one of y.  lambda is Guerrero's (1993) in [0, 1], as R's
 * BoxCox.lambda; when below 1, the search is run again on z with the d
 * and D of y's, and the two fits are compared by their exact-likelihood
 * AICc on the scale of y: z's -2 log L gains the Jacobian
 * 2 (1 - lambda) sum log y_t over the observations the differenced
 * likelihood covers (as lib/fc_regression.c chooses additive or
 * multiplicative noise).  Never by held-out errors.  The forecasts of z,
 * mean mu and sd s, are back-transformed bias-adjusted as R's InvBoxCox
 * with biasadj: exp(mu + s^2 / 2) with the lognormal's sd for the log,
 * else b (1 + s^2 (1 - lambda) / (2 u^2)), u = lambda mu + 1,
 * b = u^(1 / lambda), with the delta method's sd s b / u; the intervals
 * stay normal around that mean.  The name ends in " of log" or
 * " of Box-Cox LAMBDA".  Without the transform, the search is R's
 * auto.arima (lambda NULL).
 *
 * Ownership: owned by the forecasting models; only fc_arima() is exported.
 * A call allocates its work space once; the likelihood loops allocate
 * nothing.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_permutation.h>
#include <gsl/gsl_poly.h>

#include "fc_optim.h"
#include "fcmodel.h"
#include "nc.h"

#define AR_MAXK 16              /* free coefficients at most */
#define AR_MAXM 52              /* seasonal periods above: no seasonal part */
#define AR_AUTOM 24             /* auto: seasonal terms up to this period */
#define AR_BIG 1e300
#ifndef AR_RESTARTS
#define AR_RESTARTS 1
#endif

struct ar_spec {
	int p, d, q, P, D, Q, m;
	int cst;                /* a constant (mean or drift) */
};

/* One series' work space, sized for the largest model of the search. */
struct ar_work {
	const double *y;
	size_t n;
	double *w;              /* differenced series */
	size_t nw;
	double *e;              /* CSS residuals or Kalman innovations */
	double *phi, *theta;    /* expanded polynomials (without the 1) */
	double *a, *P, *M, *g;  /* Kalman state, covariance, scratch */
	double *A, *X;          /* scratch of ar_p0 */
	size_t *perm;           /* its LU permutation */
	int cap;                /* capacity of phi/theta, and of r */
	int approx;             /* search by CSS only (R's approximation) */
	int screening;          /* in the stepwise search: ML without restarts */
	struct ar_spec sp;
	int pf, qf;
	double c;
	double coef[AR_MAXK];   /* phi, theta, Phi, Theta, c in R's signs */
};

struct ar_fit {
	struct ar_spec sp;
	double x[AR_MAXK];      /* optimiser's values */
	double aicc, sigma2, lik;
	int ok;
};

/*
 * Partial autocorrelations tanh(u) to the coefficients a of a stationary
 * 1 - a_1 z - ... - a_k z^k (Durbin-Levinson).
 */
static void
ar_pacf(const double *u, int k, double *a)
{
	double tmp[8];

	for (int j = 0; j < k; j++) {
		double r = tanh(u[j]);

		for (int i = 0; i < j; i++)
			tmp[i] = a[i] - r * a[j - 1 - i];
		for (int i = 0; i < j; i++)
			a[i] = tmp[i];
		a[j] = r;
	}
}

/* Coefficients of (1 + s a_1 B + ..)(1 + s A_1 B^m + ..), s = -1 for AR. */
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

static int
ar_nfree(const struct ar_spec *s)
{
	return s->p + s->q + s->P + s->Q + s->cst;
}

/* Optimiser's values to the model's coefficients and polynomials. */
static void
ar_unpack(struct ar_work *wk, const double *x)
{
	const struct ar_spec *s = &wk->sp;
	double *ar = wk->coef, *ma = ar + s->p, *sar = ma + s->q;
	double *sma = sar + s->P;
	int k;

	ar_pacf(x, s->p, ar);
	memcpy(ma, x + s->p, (size_t)s->q * sizeof(double));
	ar_pacf(x + s->p + s->q, s->P, sar);
	memcpy(sma, x + s->p + s->q + s->P, (size_t)s->Q * sizeof(double));
	wk->c = s->cst ? x[s->p + s->q + s->P + s->Q] : 0;
	wk->coef[s->p + s->q + s->P + s->Q] = wk->c;

	/* the expansion goes through M, free until the filter runs */
	k = ar_expand(ar, s->p, sar, s->P, s->m, -1, wk->M);
	for (int i = 1; i <= k; i++)
		wk->phi[i - 1] = -wk->M[i];
	wk->pf = k;
	k = ar_expand(ma, s->q, sma, s->Q, s->m, 1, wk->M);
	for (int i = 1; i <= k; i++)
		wk->theta[i - 1] = wk->M[i];
	wk->qf = k;
}

/* Conditional sum of squares of the innovations after the first p*. */
static double
ar_css(const double *x, void *p)
{
	struct ar_work *wk = p;
	const double *w = wk->w, c = wk->c;
	double ssq = 0;

	ar_unpack(wk, x);
	for (size_t t = 0; t < wk->nw; t++) {
		double e;

		if (t < (size_t)wk->pf) {
			wk->e[t] = 0;
			continue;
		}
		e = w[t] - c;
		for (int i = 0; i < wk->pf; i++)
			e -= wk->phi[i] * (w[t - 1 - (size_t)i] - c);
		for (int j = 0; j < wk->qf && (size_t)j < t; j++)
			e -= wk->theta[j] * wk->e[t - 1 - (size_t)j];
		wk->e[t] = e;
		ssq += e * e;
	}
	return ssq;
}

/*
 * The stationary state covariance S = T S T' + R R' into wk->P; 0, or -1
 * when it has no solution (phi not stationary).  T shifts up and carries
 * phi in column 0, so S[i][k] = phi_i phi_k u_0 + phi_i u_(k+1) +
 * phi_k u_(i+1) + R_i R_k + S[i+1][k+1], u = S's row 0, zero past r:
 * unrolled down each diagonal, the equations of row 0 are an r x r linear
 * system in u (GSL's LU), and the diagonals then give the rest in O(r^2),
 * instead of summing T^j R R' T'^j.
 */
static int
ar_p0(struct ar_work *wk, int r)
{
	double *P = wk->P, *u = wk->g, *A = wk->A, *Rv = wk->X;
	const double *phi = wk->phi;
	const int pf = wk->pf;
	gsl_matrix_view av = gsl_matrix_view_array(A, (size_t)r, (size_t)r);
	gsl_vector_view uv = gsl_vector_view_array(u, (size_t)r);
	gsl_permutation perm = { (size_t)r, wk->perm };
	int sign;

	for (int i = 0; i < r; i++)
		Rv[i] = i == 0 ? 1 : (i <= wk->qf ? wk->theta[i - 1] : 0);
	memset(A, 0, (size_t)r * (size_t)r * sizeof(double));
	for (int k = 0; k < r; k++) {
		double b = 0;

		A[k * r + k] += 1;
		for (int s = 0; k + s < r; s++) {
			double ps = s < pf ? phi[s] : 0;
			double pks = k + s < pf ? phi[k + s] : 0;

			A[k * r] -= ps * pks;
			if (k + s + 1 < r)
				A[k * r + k + s + 1] -= ps;
			if (s + 1 < r)
				A[k * r + s + 1] -= pks;
			b += Rv[s] * Rv[k + s];
		}
		u[k] = b;
	}
	if (gsl_linalg_LU_decomp(&av.matrix, &perm, &sign) != GSL_SUCCESS)
		return -1;
	for (int i = 0; i < r; i++)
		if (!(fabs(A[i * r + i]) > 1e-12))
			return -1;
	if (gsl_linalg_LU_svx(&av.matrix, &perm, &uv.vector) != GSL_SUCCESS)
		return -1;
	for (int i = r - 1; i >= 0; i--)
		for (int k = r - 1; k >= i; k--) {
			double pi = i < pf ? phi[i] : 0, pk = k < pf ? phi[k] : 0;
			double v = pi * pk * u[0] + Rv[i] * Rv[k];

			if (k + 1 < r)
				v += pi * u[k + 1] + P[(i + 1) * r + k + 1];
			if (i + 1 < r)
				v += pk * u[i + 1];
			P[i * r + k] = P[k * r + i] = v;
		}
	return 0;
}

/*
 * Kalman filter of w - c (unit innovation variance): sets *ssq (sum of
 * v^2 / F) and *sumlog (sum of log F), the innovations in wk->e, and
 * leaves the one-step state prediction past the end in wk->a.
 * Returns 0, or -1 when a prediction variance is not positive.
 */
static int
ar_kalman(struct ar_work *wk, double *ssq, double *sumlog)
{
	const int pf = wk->pf, qf = wk->qf;
	const int r = pf > qf + 1 ? pf : qf + 1;
	double *a = wk->a, *P = wk->P, *g = wk->g, *Rv = wk->M;
	double lastF = -1;
	int steady = 0, dim = r;
	double prodF = 1;     /* product of the F since the last log: F >= 1 */

	if (ar_p0(wk, r) != 0)
		return -1;
	for (int i = 0; i < r; i++) {
		a[i] = 0;
		Rv[i] = i == 0 ? 1 : (i <= qf ? wk->theta[i - 1] : 0);
	}
	*ssq = 0;
	*sumlog = 0;
	for (size_t t = 0; t < wk->nw; t++) {
		double F = P[0], v = wk->w[t] - wk->c - a[0], a0, vf;

		if (!(F > 0))
			return -1;
		wk->e[t] = v;
		vf = v / F;
		*ssq += v * vf;
		if ((prodF *= F) > 1e250) {
			*sumlog += log(prodF);
			prodF = 1;
		}
		/* update: a += P[.,0] v / F; predict: a = T a */
		for (int i = 0; i < r; i++)
			a[i] += P[i * r] * vf;
		a0 = a[0];
		for (int i = 0; i < r; i++)
			a[i] = (i < pf ? wk->phi[i] * a0 : 0) +
			    (i + 1 < r ? a[i + 1] : 0);
		if (steady)
			continue;
		/*
		 * P = T (P - P[.,0] P[0,.] / F) T' + R R'.  The update leaves
		 * row and column 0 of the bracket zero (the first state is
		 * observed exactly), so T's first column (the phi) drops out
		 * and T only shifts the bracket up and left by one: P[i][k] =
		 * P[i+1][k+1] - g[i+1] g[k+1] / F + R[i] R[k].  Past the
		 * block that P0 filled, only R R' is left: its size shrinks
		 * to qf + 1.
		 */
		for (int i = 0; i < dim; i++)
			g[i] = P[i * r];
		for (int i = 0; i < dim; i++)
			for (int k = i; k < dim; k++) {
				double pik = Rv[i] * Rv[k];

				if (k + 1 < dim)
					pik += P[(i + 1) * r + k + 1] -
					    g[i + 1] * g[k + 1] / F;
				P[i * r + k] = P[k * r + i] = pik;
			}
		if (dim > qf + 1)
			dim--;
		if (fabs(P[0] - lastF) < 1e-11 * P[0] && fabs(P[0] - 1) < 1e-9)
			steady = 1;
		lastF = P[0];
	}
	*sumlog += log(prodF);
	return 0;
}

/* 0.5 log(sigma^2) + sum log F / (2 nw): -log L / nw without constants. */
static double
ar_ml(const double *x, void *p)
{
	struct ar_work *wk = p;
	double ssq, sumlog;

	ar_unpack(wk, x);
	if (ar_kalman(wk, &ssq, &sumlog) != 0 || !(ssq > 0))
		return AR_BIG;
	return 0.5 * log(ssq / (double)wk->nw) + sumlog / (2.0 *
	    (double)wk->nw);
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

/* w = Delta(B) y for the spec's d and D. */
static void
ar_difference(struct ar_work *wk)
{
	double delta[2 * AR_MAXM + 4];
	int dd = ar_delta(&wk->sp, delta);

	wk->nw = wk->n > (size_t)dd ? wk->n - (size_t)dd : 0;
	for (size_t t = 0; t < wk->nw; t++) {
		double v = 0;

		for (int i = 0; i <= dd; i++)
			v += delta[i] * wk->y[t + (size_t)dd - (size_t)i];
		wk->w[t] = v;
	}
}

/* 1 when no AR or MA root of the fit lies within 1.01 of the circle. */
static int
ar_roots_ok(const struct ar_work *wk)
{
	double c[2 * AR_MAXM * 2 + 12];
	int k;

	/* roots of 1 - sum phi z^i outside 1.01 <=> the reversed inside */
	for (k = wk->pf; k > 0 && fabs(wk->phi[k - 1]) < 1e-8; k--)
		;
	if (k > 0) {
		for (int i = 0; i < k; i++)
			c[i] = -wk->phi[k - 1 - i];
		c[k] = 1;
		if (!fc_roots_inside(c, k, 1 / 1.01))
			return 0;
	}
	for (k = wk->qf; k > 0 && fabs(wk->theta[k - 1]) < 1e-8; k--)
		;
	if (k > 0) {
		for (int i = 0; i < k; i++)
			c[i] = wk->theta[k - 1 - i];
		c[k] = 1;
		if (!fc_roots_inside(c, k, 1 / 1.01))
			return 0;
	}
	return 1;
}

/*
 * Make 1 + ma_1 z + .. + ma_q z^q invertible as R's arima does (maInvert):
 * roots inside the unit circle are replaced by their reciprocals, which
 * leaves the likelihood unchanged.  1 when the polynomial changed.
 */
static int
ar_ma_invert(double *ma, int q)
{
	double c[8], z[16], re[8], im[8], out[8] = { 1 };
	gsl_poly_complex_workspace *ws;
	int k = q, ok;

	while (k > 0 && ma[k - 1] == 0)
		k--;
	if (k == 0)
		return 0;
	for (int i = 0; i < k; i++)
		c[i] = ma[k - 1 - i];
	c[k] = 1;
	if (fc_roots_inside(c, k, 1))
		return 0;
	c[0] = 1;
	for (int i = 1; i <= k; i++)
		c[i] = ma[i - 1];
	ws = gsl_poly_complex_workspace_alloc((size_t)k + 1);
	ok = gsl_poly_complex_solve(c, (size_t)k + 1, ws, z) == GSL_SUCCESS;
	gsl_poly_complex_workspace_free(ws);
	if (!ok)
		return 0;
	/* prod (1 - z / root): complex arithmetic on (re, im) pairs */
	for (int i = 0; i <= k; i++)
		re[i] = i == 0, im[i] = 0;
	for (int j = 0; j < k; j++) {
		double zr = z[2 * j], zi = z[2 * j + 1], m2 = zr * zr + zi * zi;
		double ir, ii;

		if (m2 < 1) {           /* the reciprocal root */
			zr /= m2, zi /= -m2;
			m2 = zr * zr + zi * zi;
		}
		ir = zr / m2, ii = -zi / m2;    /* 1 / root */
		for (int i = j + 1; i >= 1; i--) {
			double pr = re[i - 1] * ir - im[i - 1] * ii;
			double pi = re[i - 1] * ii + im[i - 1] * ir;

			re[i] -= pr, im[i] -= pi;
		}
	}
	for (int i = 1; i <= k; i++)
		out[i] = re[i];
	for (int i = 0; i < k; i++)
		ma[i] = out[i + 1];
	return 1;
}

/*
 * Fit one model (w already differenced for its d and D): CSS, then ML
 * from there.  Fills f; f->ok is 0 when the model cannot be fitted.
 */
static void
ar_fit_one(struct ar_work *wk, const struct ar_spec *sp, int check_roots,
    struct ar_fit *f)
{
	double step[AR_MAXK], val, ssq, sumlog;
	int k = ar_nfree(sp), npar;
	size_t nw = wk->nw;

	memset(f, 0, sizeof(*f));
	f->sp = *sp;
	f->aicc = INFINITY;
	wk->sp = *sp;
	npar = k + 1;
	if (nw <= (size_t)(sp->p + sp->P * sp->m) + (size_t)npar + 1)
		return;
	for (int i = 0; i < k; i++) {
		f->x[i] = 0;
		step[i] = 0.2;
	}
	if (sp->cst) {
		double mean = 0, var = 0;

		for (size_t t = 0; t < nw; t++)
			mean += wk->w[t];
		mean /= (double)nw;
		for (size_t t = 0; t < nw; t++)
			var += (wk->w[t] - mean) * (wk->w[t] - mean);
		f->x[k - 1] = mean;
		step[k - 1] = sqrt(var / (double)nw) / 4 + 1e-8;
	}
	if (k > sp->cst)
		fc_minimise(ar_css, wk, f->x, step, (size_t)k, 1000, 1e-6,
		    0);
	if (wk->approx) {
		/* the CSS likelihood of the residuals after the first p* */
		size_t nu;

		ssq = ar_css(f->x, wk);
		nu = nw - (size_t)wk->pf;
		if (!(ssq > 0) || (check_roots && !ar_roots_ok(wk)))
			return;
		f->sigma2 = ssq / (double)nu;
		f->lik = (double)nu * (log(2 * M_PI * f->sigma2) + 1);
		f->aicc = f->lik + 2.0 * npar + 2.0 * npar * (npar + 1) /
		    (double)((long)nu - npar - 1);
		f->ok = isfinite(f->aicc) && (long)nu > npar + 1;
		return;
	}
	/* as R's arima: the ML search starts from an invertible CSS fit */
	ar_ma_invert(f->x + sp->p, sp->q);
	ar_ma_invert(f->x + sp->p + sp->q + sp->P, sp->Q);
	for (int i = 0; i < k - sp->cst; i++)
		step[i] = 0.1;
	val = fc_minimise(ar_ml, wk, f->x, step, (size_t)k, 2000, 1e-7,
	    wk->screening ? 0 : AR_RESTARTS);
	if (!(val < AR_BIG))
		return;
	if (ar_ma_invert(f->x + sp->p, sp->q) |
	    ar_ma_invert(f->x + sp->p + sp->q + sp->P, sp->Q))
		val = fc_minimise(ar_ml, wk, f->x, step, (size_t)k, 2000,
		    1e-7, wk->screening ? 0 : AR_RESTARTS);
	ar_unpack(wk, f->x);
	if (ar_kalman(wk, &ssq, &sumlog) != 0 || !(ssq > 0))
		return;
	if (check_roots && !ar_roots_ok(wk))
		return;
	f->sigma2 = ssq / (double)nw;
	f->lik = (double)nw * (log(2 * M_PI * f->sigma2) + 1) + sumlog;
	f->aicc = f->lik + 2.0 * npar + 2.0 * npar * (npar + 1) /
	    (double)((long)nw - npar - 1);
	f->ok = isfinite(f->aicc);
}

/* "p,d,q" or "p,d,q,P,D,Q"; 0, or -1 when not an order. */
static int
ar_parse(const char *s, int m, struct ar_spec *sp)
{
	int v[6] = { 0 }, k = 0;
	char *end = NULL;

	memset(sp, 0, sizeof(*sp));
	while (k < 6) {
		long x = strtol(s, &end, 10);

		if (end == s || x < 0 || x > 5)
			return -1;
		v[k++] = (int)x;
		if (*end != ',')
			break;
		s = end + 1;
	}
	if (*end != '\0' || (k != 3 && k != 6))
		return -1;
	sp->p = v[0], sp->d = v[1], sp->q = v[2];
	sp->P = v[3], sp->D = v[4], sp->Q = v[5];
	sp->m = m < 1 ? 1 : m;
	if (sp->m == 1 && (sp->P || sp->D || sp->Q))
		return -1;
	if (sp->m > AR_MAXM && (sp->P || sp->D || sp->Q))
		return -1;
	if (sp->d > 2 || sp->D > 1 || sp->P > 2 || sp->Q > 2)
		return -1;
	/* as R's Arima: a mean when undifferenced, no drift otherwise */
	sp->cst = sp->d + sp->D == 0;
	return 0;
}

/* KPSS statistic for level stationarity (Kwiatkowski et al. 1992). */
static double
ar_kpss(const double *x, size_t n)
{
	double mean = 0, s = 0, num = 0, s2 = 0;
	size_t l = (size_t)trunc(3 * sqrt((double)n) / 13);

	for (size_t t = 0; t < n; t++)
		mean += x[t];
	mean /= (double)n;
	for (size_t t = 0; t < n; t++) {
		double e = x[t] - mean;

		s += e;
		num += s * s;
		s2 += e * e;
	}
	for (size_t j = 1; j <= l && j < n; j++) {
		double acc = 0;

		for (size_t t = j; t < n; t++)
			acc += (x[t] - mean) * (x[t - j] - mean);
		s2 += 2 * (1 - (double)j / (double)(l + 1)) * acc;
	}
	s2 /= (double)n;
	if (!(s2 > 0))
		return 0;
	return num / ((double)n * (double)n * s2);
}

static int
ar_constant(const double *x, size_t n)
{
	for (size_t t = 1; t < n; t++)
		if (x[t] != x[0])
			return 0;
	return 1;
}

/* d by repeated KPSS tests at 5% (critical value 0.463), at most 2. */
static int
ar_ndiffs(const double *x, size_t n, double *work)
{
	int d = 0;

	memcpy(work, x, n * sizeof(double));
	while (d < 2 && n > 2 && !ar_constant(work, n) &&
	    ar_kpss(work, n) > 0.463) {
		for (size_t t = 0; t + 1 < n; t++)
			work[t] = work[t + 1] - work[t];
		n--;
		d++;
	}
	return d;
}

/*
 * Seasonal strength max(0, 1 - var(R) / var(S + R)) of a classical
 * additive decomposition (centred moving average of order m); D = 1 when
 * above 0.64 (Wang, Smith and Hyndman 2006; R's nsdiffs "seas" test).
 */
static int
ar_nsdiffs(const double *y, size_t n, int m, double *work)
{
	double idx[AR_MAXM] = { 0 }, cnt[AR_MAXM] = { 0 }, tot = 0;
	double mr = 0, ms = 0, vr = 0, vs = 0;
	size_t half = (size_t)m / 2, k = 0;

	if (m < 2 || m > AR_MAXM || n < 3 * (size_t)m || ar_constant(y, n))
		return 0;
	/* work[t] = y - trend for half <= t < n - half */
	for (size_t t = half; t + half < n; t++) {
		double ma = 0;

		for (size_t i = t - half; i <= t + half; i++)
			ma += (m % 2 == 0 && (i == t - half || i == t + half)) ?
			    y[i] / 2 : y[i];
		work[t] = y[t] - ma / m;
		idx[t % (size_t)m] += work[t];
		cnt[t % (size_t)m]++;
	}
	for (int i = 0; i < m; i++) {
		idx[i] = cnt[i] > 0 ? idx[i] / cnt[i] : 0;
		tot += idx[i];
	}
	for (int i = 0; i < m; i++)
		idx[i] -= tot / m;
	for (size_t t = half; t + half < n; t++) {
		mr += work[t] - idx[t % (size_t)m];
		ms += work[t];
		k++;
	}
	mr /= (double)k;
	ms /= (double)k;
	for (size_t t = half; t + half < n; t++) {
		double rem = work[t] - idx[t % (size_t)m] - mr;

		vr += rem * rem;
		vs += (work[t] - ms) * (work[t] - ms);
	}
	if (!(vs > 0))
		return 0;
	return 1 - vr / vs > 0.64;
}

/* Fit a candidate of the search unless already tried; 1 when better. */
static int
ar_try(struct ar_work *wk, struct ar_spec *tried, int *ntried,
    const struct ar_spec *sp, struct ar_fit *best)
{
	struct ar_fit f;

	for (int i = 0; i < *ntried; i++)
		if (memcmp(&tried[i], sp, sizeof(*sp)) == 0)
			return 0;
	if (*ntried >= 94)
		return 0;
	tried[(*ntried)++] = *sp;
	ar_fit_one(wk, sp, 1, &f);
	if (f.ok && (!best->ok || f.aicc < best->aicc)) {
		*best = f;
		return 1;
	}
	return 0;
}

/*
 * The stepwise search of Hyndman and Khandakar (2008) in the order of R's
 * auto.arima, including its habit of keeping the constant on after the
 * null model without constant wins the start (the search goes on from
 * (0,d,0)(0,D,0) with a constant).  Each candidate is fitted by one
 * Nelder-Mead search, as R fits each by one BFGS search; the model chosen
 * is then fitted again with the restarts of a fit on its own.
 */
static void ar_search(struct ar_work *, int, int, int, struct ar_fit *);

static void
ar_stepwise(struct ar_work *wk, int m, int d, int D, struct ar_fit *best)
{
	struct ar_fit polish;

	wk->screening = 1;
	ar_search(wk, m, d, D, best);
	wk->screening = 0;
	if (best->ok && !wk->approx) {
		ar_fit_one(wk, &best->sp, 1, &polish);
		if (polish.ok && polish.aicc < best->aicc)
			*best = polish;
	}
}

static void
ar_search(struct ar_work *wk, int m, int d, int D, struct ar_fit *best)
{
	/* (dp, dq, dP, dQ) moves in R's order: seasonal first */
	static const int mv[16][4] = {
		{ 0, 0, -1, 0 }, { 0, 0, 0, -1 }, { 0, 0, 1, 0 },
		{ 0, 0, 0, 1 }, { 0, 0, -1, -1 }, { 0, 0, -1, 1 },
		{ 0, 0, 1, -1 }, { 0, 0, 1, 1 }, { -1, 0, 0, 0 },
		{ 0, -1, 0, 0 }, { 1, 0, 0, 0 }, { 0, 1, 0, 0 },
		{ -1, -1, 0, 0 }, { -1, 1, 0, 0 }, { 1, -1, 0, 0 },
		{ 1, 1, 0, 0 },
	};
	struct ar_spec tried[100], cur, c;
	int ntried = 0, allowc = d + D <= 1, moved = 1;
	int n = (int)wk->n;
	int maxp = n / 3 < 5 ? n / 3 : 5, maxq = maxp;
	int maxP = m > 1 ? (n / 3 / m < 2 ? n / 3 / m : 2) : 0, maxQ = maxP;

	memset(&cur, 0, sizeof(cur));
	memset(best, 0, sizeof(*best));
	best->aicc = INFINITY;
	cur.d = d, cur.D = D, cur.m = m, cur.cst = allowc;
	cur.p = maxp < 2 ? maxp : 2, cur.q = maxq < 2 ? maxq : 2;
	cur.P = maxP < 1 ? maxP : 1, cur.Q = maxQ < 1 ? maxQ : 1;
	ar_try(wk, tried, &ntried, &cur, best);
	c = cur, c.p = c.q = c.P = c.Q = 0;
	if (ar_try(wk, tried, &ntried, &c, best))
		cur = c;
	if (maxp > 0 || maxP > 0) {
		c = cur, c.p = maxp > 0, c.q = 0, c.P = maxP > 0, c.Q = 0;
		if (ar_try(wk, tried, &ntried, &c, best))
			cur = c;
	}
	if (maxq > 0 || maxQ > 0) {
		c = cur, c.p = 0, c.q = maxq > 0, c.P = 0, c.Q = maxQ > 0;
		if (ar_try(wk, tried, &ntried, &c, best))
			cur = c;
	}
	if (allowc) {
		c = cur, c.p = c.q = c.P = c.Q = 0, c.cst = 0;
		if (ar_try(wk, tried, &ntried, &c, best))
			cur.p = cur.q = cur.P = cur.Q = 0;
	}
	while (moved && ntried < 94) {
		moved = 0;
		for (int i = 0; i < 16 && !moved; i++) {
			c = cur;
			c.p += mv[i][0], c.q += mv[i][1];
			c.P += mv[i][2], c.Q += mv[i][3];
			if (c.p < 0 || c.q < 0 || c.P < 0 || c.Q < 0 ||
			    c.p > maxp || c.q > maxq || c.P > maxP ||
			    c.Q > maxQ)
				continue;
			moved = ar_try(wk, tried, &ntried, &c, best);
		}
		if (!moved && allowc) {
			c = cur, c.cst = !c.cst;
			moved = ar_try(wk, tried, &ntried, &c, best);
		}
		if (moved)
			cur = c;
	}
}

static void
ar_name(const struct ar_spec *sp, char *buf, size_t len)
{
	int k;

	if (sp->m > 1 && (sp->P || sp->D || sp->Q))
		k = snprintf(buf, len, "ARIMA(%d,%d,%d)(%d,%d,%d)[%d]",
		    sp->p, sp->d, sp->q, sp->P, sp->D, sp->Q, sp->m);
	else
		k = snprintf(buf, len, "ARIMA(%d,%d,%d)", sp->p, sp->d, sp->q);
	if (k < 0 || (size_t)k >= len)
		return;
	if (sp->d + sp->D == 0)
		snprintf(buf + k, len - (size_t)k, sp->cst ?
		    " with non-zero mean" : " with zero mean");
	else if (sp->d + sp->D == 1 && sp->cst)
		snprintf(buf + k, len - (size_t)k, " with drift");
}

/* The model and its optimiser's values as res->par (fc_arima_refilter). */
static void
ar_save(const struct ar_fit *f, struct fc_result *res)
{
	const struct ar_spec *s = &f->sp;
	int k = ar_nfree(s);
	double *p = res->par;

	p[0] = s->p, p[1] = s->d, p[2] = s->q, p[3] = s->P, p[4] = s->D;
	p[5] = s->Q, p[6] = s->m, p[7] = s->cst;
	for (int i = 0; i < k; i++)
		p[8 + i] = f->x[i];
	p[8 + k] = 0;           /* 1: a model of log y (ar_unlog) */
	res->npar = 9 + (size_t)k;
}

/* Forecasts, fitted values and standard errors of a fitted model. */
static void
ar_result(struct ar_work *wk, const struct ar_fit *f, size_t h,
    struct fc_result *res)
{
	const size_t n = wk->n;
	double delta[2 * AR_MAXM + 4], ssq, sumlog;
	double *ext = xcalloc(n + h, sizeof(double));
	double *psi = xcalloc(h, sizeof(double)), *phis, sum2 = 0;
	int dd, r, nphis;

	wk->sp = f->sp;
	dd = ar_delta(&f->sp, delta);
	ar_unpack(wk, f->x);
	ar_kalman(wk, &ssq, &sumlog);
	r = wk->pf > wk->qf + 1 ? wk->pf : wk->qf + 1;
	memcpy(ext, wk->y, n * sizeof(double));
	for (size_t t = 0; t < n; t++)
		res->fitted[t] = t < (size_t)dd ? NAN :
		    wk->y[t] - wk->e[t - (size_t)dd];
	for (size_t i = 0; i < h; i++) {
		double v = wk->a[0] + wk->c, a0 = wk->a[0];

		for (int j = 1; j <= dd; j++)
			v -= delta[j] * ext[n + i - (size_t)j];
		ext[n + i] = v;
		res->mean[i] = v;
		for (int j = 0; j < r; j++)
			wk->a[j] = (j < wk->pf ? wk->phi[j] * a0 : 0) +
			    (j + 1 < r ? wk->a[j + 1] : 0);
	}
	/* psi-weights of theta(B) / (phi(B) Delta(B)) */
	nphis = wk->pf + dd;
	phis = xcalloc((size_t)nphis + 1, sizeof(double));
	for (int i = 0; i <= wk->pf; i++)
		for (int j = 0; j <= dd; j++)
			phis[i + j] += (i == 0 ? 1 : -wk->phi[i - 1]) *
			    delta[j];
	for (size_t j = 0; j < h; j++) {
		double v = j == 0 ? 1 : (j <= (size_t)wk->qf ?
		    wk->theta[j - 1] : 0);

		for (int i = 1; i <= nphis && (size_t)i <= j; i++)
			v -= phis[i] * psi[j - (size_t)i];
		psi[j] = v;
		sum2 += v * v;
		res->sd[j] = sqrt(f->sigma2 * sum2);
	}
	res->aicc = f->aicc;
	res->sigma2 = f->sigma2;
	ar_name(&f->sp, res->name, sizeof(res->name));
	ar_save(f, res);
	free(phis);
	free(psi);
	free(ext);
}

static void
ar_work_init(struct ar_work *wk, const double *y, size_t n, int m)
{
	int cap = 5 + 2 * (m > 1 && m <= AR_MAXM ? m : 0) + 2;

	memset(wk, 0, sizeof(*wk));
	wk->y = y;
	wk->n = n;
	wk->cap = cap;
	wk->w = xcalloc(n + 1, sizeof(double));
	wk->e = xcalloc(n + 1, sizeof(double));
	wk->phi = xcalloc((size_t)cap + 1, sizeof(double));
	wk->theta = xcalloc((size_t)cap + 1, sizeof(double));
	wk->a = xcalloc((size_t)cap + 1, sizeof(double));
	wk->g = xcalloc((size_t)cap + 1, sizeof(double));
	wk->P = xcalloc((size_t)(cap + 1) * (size_t)(cap + 1), sizeof(double));
	wk->M = xcalloc((size_t)(cap + 1) * (size_t)(cap + 1), sizeof(double));
	wk->A = xcalloc((size_t)(cap + 1) * (size_t)(cap + 1), sizeof(double));
	wk->X = xcalloc((size_t)(cap + 1) * (size_t)(cap + 1), sizeof(double));
	wk->perm = xcalloc((size_t)(cap + 1), sizeof(size_t));
}

static void
ar_work_release(struct ar_work *wk)
{
	free(wk->w);
	free(wk->e);
	free(wk->phi);
	free(wk->theta);
	free(wk->a);
	free(wk->g);
	free(wk->P);
	free(wk->M);
	free(wk->A);
	free(wk->X);
	free(wk->perm);
}

/* A constant series: ARIMA(0,0,0) with its mean, no error. */
static int
ar_flat(const double *y, size_t n, size_t h, struct fc_result *res)
{
	for (size_t t = 0; t < n; t++)
		res->fitted[t] = y[0];
	for (size_t i = 0; i < h; i++) {
		res->mean[i] = y[0];
		res->sd[i] = 0;
	}
	res->sigma2 = 0;
	snprintf(res->name, sizeof(res->name),
	    "ARIMA(0,0,0) with non-zero mean");
	return 0;
}

/*
 * Guerrero's (1993) Box-Cox lambda in [0, 1] (0: log), as R's
 * forecast::BoxCox.lambda: y cut into blocks of m (2 when m is 1), the
 * lambda that makes sd_b / mean_b^(1 - lambda) most nearly constant over
 * the blocks (least coefficient of variation), on a grid of 0.01.
 */
static double
ar_guerrero(const double *y, size_t n, int m)
{
	size_t len = m > 1 ? (size_t)m : 2, nb = n / len, off = n - nb * len;
	double best = INFINITY, lam = 0;

	if (nb < 2)
		return 0;
	for (int g = 0; g <= 100; g++) {
		double l = g / 100.0, s = 0, s2 = 0;

		for (size_t b = 0; b < nb; b++) {
			const double *x = y + off + b * len;
			double mu = 0, v = 0, r;

			for (size_t i = 0; i < len; i++)
				mu += x[i];
			mu /= (double)len;
			for (size_t i = 0; i < len; i++)
				v += (x[i] - mu) * (x[i] - mu);
			r = sqrt(v / (double)(len - 1)) / pow(mu, 1 - l);
			s += r, s2 += r * r;
		}
		s /= (double)nb;
		s2 = sqrt(fmax(s2 / (double)nb - s * s, 0)) / s;
		if (s2 < best)
			best = s2, lam = l;
	}
	return lam;
}

/* Exact-likelihood AICc of a fit on wk's scale (w for f's d and D). */
static double
ar_exact_aicc(struct ar_work *wk, const struct ar_fit *f)
{
	double ssq, sumlog, lik;
	int npar = ar_nfree(&f->sp) + 1;

	wk->sp = f->sp;
	ar_difference(wk);
	ar_unpack(wk, f->x);
	if ((long)wk->nw - npar - 1 <= 0 ||
	    ar_kalman(wk, &ssq, &sumlog) != 0 || !(ssq > 0))
		return INFINITY;
	lik = (double)wk->nw * (log(2 * M_PI * ssq / (double)wk->nw) + 1) +
	    sumlog;
	return lik + 2.0 * npar + 2.0 * npar * (npar + 1) /
	    (double)((long)wk->nw - npar - 1);
}

/* Back to the scale of y from a fit of log y: lognormal mean and sd. */
static void
ar_unlog(struct fc_result *res, size_t n, size_t h, double lam)
{
	size_t k = strlen(res->name);

	for (size_t t = 0; t < n; t++)
		res->fitted[t] = lam == 0 ? exp(res->fitted[t]) :
		    pow(fmax(lam * res->fitted[t] + 1, 0), 1 / lam);
	for (size_t i = 0; i < h; i++) {
		double s2 = res->sd[i] * res->sd[i], u, b;

		if (lam == 0) {
			res->mean[i] = exp(res->mean[i] + s2 / 2);
			res->sd[i] = res->mean[i] * sqrt(expm1(s2));
			continue;
		}
		u = fmax(lam * res->mean[i] + 1, 1e-12);
		b = pow(u, 1 / lam);
		res->mean[i] = b * (1 + s2 * (1 - lam) / (2 * u * u));
		res->sd[i] = res->sd[i] * b / u;
	}
	if (lam == 0)
		snprintf(res->name + k, sizeof(res->name) - k, " of log");
	else
		snprintf(res->name + k, sizeof(res->name) - k,
		    " of Box-Cox %g", lam);
	res->par[res->npar - 1] = 1 + lam;
}

/* Box-Cox of y into ly when every y is positive; 0 when one is not. */
static int
ar_log(const double *y, size_t n, double *ly, double lam)
{
	for (size_t t = 0; t < n; t++) {
		if (!(y[t] > 0))
			return 0;
		ly[t] = lam == 0 ? log(y[t]) : (pow(y[t], lam) - 1) / lam;
	}
	return 1;
}

int
fc_arima_refilter(const double *y, size_t n, const double *p, size_t npar,
    size_t h, struct fc_result *res)
{
	struct ar_work wk;
	struct ar_fit f;
	double ssq, sumlog, *ly = NULL;
	int k, lg;

	memset(&f, 0, sizeof(f));
	f.sp.p = (int)p[0], f.sp.d = (int)p[1], f.sp.q = (int)p[2];
	f.sp.P = (int)p[3], f.sp.D = (int)p[4], f.sp.Q = (int)p[5];
	f.sp.m = (int)p[6], f.sp.cst = (int)p[7];
	k = ar_nfree(&f.sp);
	if (npar < 9 || f.sp.m < 1 || f.sp.m > AR_MAXM || k > AR_MAXK ||
	    npar != 9 + (size_t)k) {
		snprintf(res->why, sizeof(res->why), "not ARIMA parameters");
		return -1;
	}
	lg = p[8 + k] != 0;
	if (lg) {
		ly = xcalloc(n + 1, sizeof(double));
		if (!ar_log(y, n, ly, p[8 + k] - 1)) {
			free(ly);
			snprintf(res->why, sizeof(res->why), "ARIMA of log: "
			    "a value is not positive");
			return -1;
		}
	}
	memcpy(f.x, p + 8, (size_t)k * sizeof(double));
	ar_work_init(&wk, lg ? ly : y, n, f.sp.m);
	wk.sp = f.sp;
	ar_difference(&wk);
	ar_unpack(&wk, f.x);
	if (wk.nw <= (size_t)k + 1 || ar_kalman(&wk, &ssq, &sumlog) != 0 ||
	    !(ssq > 0)) {
		ar_work_release(&wk);
		free(ly);
		snprintf(res->why, sizeof(res->why), "ARIMA model does not fit "
		    "this history");
		return -1;
	}
	f.sigma2 = ssq / (double)wk.nw;
	f.aicc = NAN;
	f.ok = 1;
	ar_result(&wk, &f, h, res);
	if (lg)
		ar_unlog(res, n, h, p[8 + k] - 1);
	ar_work_release(&wk);
	free(ly);
	return fc_result_check(res, h);
}

/*
 * The stepwise search on wk's series: D and d by the tests when dD is
 * NULL, else dD's.  f->ok is 0 when nothing fits.
 */
static void
ar_auto(struct ar_work *wk, int m, const struct ar_spec *dD,
    struct ar_fit *f)
{
	struct ar_spec sp;
	int ms = m > AR_AUTOM ? 1 : m;

	memset(&sp, 0, sizeof(sp));
	sp.m = ms;
	if (dD != NULL) {
		sp.D = dD->D, sp.d = dD->d;
	} else {
		sp.D = ms > 1 ? ar_nsdiffs(wk->y, wk->n, m, wk->e) : 0;
		wk->sp = sp;
		ar_difference(wk);
		sp.d = ar_ndiffs(wk->w, wk->nw, wk->e);
	}
	wk->sp = sp;
	ar_difference(wk);
	/* as R's auto.arima's approximation, the search by CSS for long
	 * series or long seasons; R then refits the chosen model by CSS-ML,
	 * which on series that long moves the estimates little and costs
	 * most of the time: we keep the CSS estimates */
	wk->approx = wk->n > 150 || ms > 12;
	ar_stepwise(wk, ms, sp.d, sp.D, f);
	if (wk->approx && f->ok) {
		/* sigma^2 from the exact innovations, as a refilter */
		double ssq, sumlog;

		wk->sp = f->sp;
		ar_difference(wk);
		ar_unpack(wk, f->x);
		if (ar_kalman(wk, &ssq, &sumlog) == 0 && ssq > 0)
			f->sigma2 = ssq / (double)wk->nw;
	}
}

/*
 * The AICc on the scale of y of the auto fit (into lf, lwk) of the
 * Box-Cox transform of y with lam, d and D as f's: the transform's
 * Jacobian adds 2 (1 - lam) sum log y_t over the differenced likelihood's
 * observations.
 */
static double
ar_tcrit(const struct ar_fit *f, int m, struct ar_work *lwk,
    struct ar_fit *lf, double lam, const double *y)
{
	double delta[2 * AR_MAXM + 4], jac = 0;
	int dd = ar_delta(&f->sp, delta);

	ar_auto(lwk, m, &f->sp, lf);
	if (!lf->ok)
		return INFINITY;
	for (size_t t = (size_t)dd; t < lwk->n; t++)
		jac += log(y[t]);
	return ar_exact_aicc(lwk, lf) + 2 * (1 - lam) * jac;
}

int
fc_arima(const double *y, size_t n, int m, const char *spec, size_t h,
    struct fc_result *res)
{
	struct ar_work wk, lwk, *use = &wk;
	struct ar_spec sp;
	struct ar_fit f, lf;
	double *ly = NULL;
	int lg = 0;
	double lam = 0;

	if (m < 1)
		m = 1;
	if (n < 3) {
		snprintf(res->why, sizeof(res->why), "fewer than 3 observations");
		return -1;
	}
	if (strcmp(spec, "auto") != 0 && strcmp(spec, "auto-raw") != 0 &&
	    ar_parse(spec, m, &sp) != 0) {
		snprintf(res->why, sizeof(res->why),
		    "not an ARIMA order: '%s'", spec);
		return -1;
	}
	if (ar_constant(y, n))
		return ar_flat(y, n, h, res);
	ar_work_init(&wk, y, n, m);
	if (strncmp(spec, "auto", 4) == 0) {
		ar_auto(&wk, m, NULL, &f);
		ly = xcalloc(n + 1, sizeof(double));
		if (f.ok && spec[4] == '\0' && ar_log(y, n, ly, 0)) {
			lam = ar_guerrero(y, n, m);
			if (lam < 1) {
				ar_log(y, n, ly, lam);
				ar_work_init(&lwk, ly, n, m);
				lg = ar_tcrit(&f, m, &lwk, &lf, lam, y) <
				    ar_exact_aicc(&wk, &f);
				if (lg) {
					f = lf;
					use = &lwk;
				} else {
					ar_work_release(&lwk);
				}
			}
		}
	} else {
		wk.sp = sp;
		ar_difference(&wk);
		ar_fit_one(&wk, &sp, 0, &f);
	}
	if (!f.ok) {
		ar_work_release(&wk);
		free(ly);
		snprintf(res->why, sizeof(res->why),
		    "too few observations or no convergence");
		return -1;
	}
	use->sp = f.sp;
	ar_difference(use);
	ar_result(use, &f, h, res);
	if (lg) {
		ar_unlog(res, n, h, lam);
		ar_work_release(&lwk);
	}
	ar_work_release(&wk);
	free(ly);
	return fc_result_check(res, h);
}
