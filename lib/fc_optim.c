/* fc_optim.c: Nelder-Mead minimisation over GSL (see fc_optim.h). */
#include <math.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_vector.h>

#include "fc_optim.h"

struct fc_thunk {
	fc_objective f;
	void *ctx;
};

static double
fc_call(const gsl_vector *v, void *p)
{
	const struct fc_thunk *t = p;
	double r = t->f(gsl_vector_const_ptr(v, 0), t->ctx);

	return isfinite(r) ? r : 1e300;
}

static double
fc_run(struct fc_thunk *t, double *x, const double *step, size_t k,
    int maxit, double tol)
{
	const gsl_multimin_fminimizer_type *type =
	    gsl_multimin_fminimizer_nmsimplex2;
	gsl_multimin_fminimizer *s = gsl_multimin_fminimizer_alloc(type, k);
	gsl_multimin_function fn = { fc_call, k, t };
	gsl_vector_view xv = gsl_vector_view_array(x, k);
	gsl_vector_const_view sv = gsl_vector_const_view_array(step, k);
	double best, last;

	gsl_multimin_fminimizer_set(s, &fn, &xv.vector, &sv.vector);
	/*
	 * Stop when the simplex is small, or when the best value has not
	 * moved by a relative 1e-8 in the last 20 + 10k iterations (R's optim
	 * uses a relative tolerance of 1e-8 on the values too).
	 */
	/* s->fval is only set by the first iteration (GSL's set leaves it
	 * uninitialised: reading it made results depend on the heap). */
	last = HUGE_VAL;
	for (int it = 0, since = 0; it < maxit; it++) {
		if (gsl_multimin_fminimizer_iterate(s) != GSL_SUCCESS)
			break;
		if (gsl_multimin_test_size(
		    gsl_multimin_fminimizer_size(s), tol) == GSL_SUCCESS)
			break;
		if (last - s->fval > 1e-8 * (fabs(last) + 1e-8)) {
			last = s->fval;
			since = 0;
		} else if (++since > 20 + 10 * (int)k) {
			break;
		}
	}
	for (size_t i = 0; i < k; i++)
		x[i] = gsl_vector_get(s->x, i);
	best = s->fval;
	gsl_multimin_fminimizer_free(s);
	return best;
}

double
fc_minimise(fc_objective f, void *ctx, double *x, const double *step,
    size_t k, int maxit, double tol, int restarts)
{
	struct fc_thunk t = { f, ctx };
	double v;

	if (k == 0) {
		v = f(x, ctx);
		return isfinite(v) ? v : 1e300;
	}
	v = fc_run(&t, x, step, k, maxit, tol);
	for (int r = 0; r < restarts; r++) {
		double w = fc_run(&t, x, step, k, maxit, tol);

		if (!(w < v - 1e-9 * (1 + fabs(v))))
			return w;
		v = w;
	}
	return v;
}

int
fc_roots_inside(double *c, int d, double r)
{
	if (r != 1) {
		double rk = 1;

		/* roots of p(z) inside r <=> roots of p(r z) inside 1 */
		for (int i = 0; i <= d; i++) {
			c[i] *= rk;
			rk *= r;
		}
	}
	/*
	 * Schur-Cohn: |c_0| < |c_d|, then (c_d p - c_0 p*) / z, which has
	 * the same roots inside as p has; without normalising c_d to 1 (one
	 * division per degree, not d: the test was a quarter of an ETS fit).
	 */
	for (; d > 0; d--) {
		double k;

		if (c[d] == 0)
			return 0;
		k = c[0] / c[d];
		if (!(fabs(k) < 1 + 1e-10) || 1 - k * k <= 1e-300)
			return 0;
		for (int i = 0; i < d; i++)
			c[i] = c[i + 1] - k * c[d - 1 - i];
	}
	return 1;
}
