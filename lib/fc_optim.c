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
	double best;

	gsl_multimin_fminimizer_set(s, &fn, &xv.vector, &sv.vector);
	for (int it = 0; it < maxit; it++) {
		if (gsl_multimin_fminimizer_iterate(s) != GSL_SUCCESS)
			break;
		if (gsl_multimin_test_size(
		    gsl_multimin_fminimizer_size(s), tol) == GSL_SUCCESS)
			break;
	}
	for (size_t i = 0; i < k; i++)
		x[i] = gsl_vector_get(s->x, i);
	best = s->fval;
	gsl_multimin_fminimizer_free(s);
	return best;
}

double
fc_minimise(fc_objective f, void *ctx, double *x, const double *step,
    size_t k, int maxit, double tol)
{
	struct fc_thunk t = { f, ctx };
	double v;

	if (k == 0) {
		v = f(x, ctx);
		return isfinite(v) ? v : 1e300;
	}
	fc_run(&t, x, step, k, maxit, tol);
	return fc_run(&t, x, step, k, maxit, tol);
}
