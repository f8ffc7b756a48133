/*
 * fc_optim.h: Nelder-Mead minimisation (GSL nmsimplex2) and a polynomial
 * stability test for the likelihood models of nc-forecast (lib/fc_ets.c, lib/fc_arima.c).
 *
 * Ownership: owned by the ETS/ARIMA models.  fc_minimise() only reads step
 * and ctx; it overwrites x[0..k-1] with the best point found.  The
 * objective should return a finite value or a large penalty (a NaN or an
 * infinity is taken as 1e300, so that GSL never sees a non-finite value).
 */
#ifndef NC_FC_OPTIM_H
#define NC_FC_OPTIM_H

#include <stddef.h>

typedef double (*fc_objective)(const double *x, void *ctx);

/*
 * Minimise f from x with initial simplex steps step[], at most maxit
 * iterations per run, stopping when the simplex size is below tol or the
 * best value stalls; the search is restarted from its optimum (up to
 * restarts times, while that still improves: Nelder-Mead often stalls).
 * Returns the minimum value.
 */
double fc_minimise(fc_objective f, void *ctx, double *x, const double *step,
    size_t k, int maxit, double tol, int restarts);

/*
 * 1 when every root of c[0] + c[1] z + ... + c[d] z^d (c[d] != 0) lies
 * inside the circle |z| < r (a relative 1e-10 tolerance on the boundary);
 * by the Schur-Cohn recursion, in O(d^2).  Overwrites c[0..d].
 */
int fc_roots_inside(double *c, int d, double r);

#endif
