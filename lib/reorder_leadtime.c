/* reorder_leadtime.c: pooled lead times (reorder_leadtime.h). */
#include <math.h>

#include "nc.h"
#include "reorder_leadtime.h"

void
lt_pool_init(struct lt_pool *lp)
{
	lp->suppliers = json_object();
	lp->families = json_object();
	lp->all.n = lp->all.sum = lp->all.sumsq = 0;
}

void
lt_pool_release(struct lt_pool *lp)
{
	json_decref(lp->suppliers);
	json_decref(lp->families);
	lp->suppliers = lp->families = NULL;
}

void
lt_sum_add(struct lt_sum *s, double mean, double sd, double n)
{
	if (!(n > 0) || isnan(mean))
		return;
	if (isnan(sd) || n < 2)
		sd = 0;
	s->n += n;
	s->sum += n * mean;
	s->sumsq += (n - 1) * sd * sd + n * mean * mean;
}

double
lt_sum_mean(const struct lt_sum *s)
{
	return s->n > 0 ? s->sum / s->n : NAN;
}

double
lt_sum_sd(const struct lt_sum *s)
{
	double m;

	if (s->n < 2)
		return NAN;
	m = s->sum / s->n;
	return sqrt(fmax(0, (s->sumsq - s->n * m * m) / (s->n - 1)));
}

static void
table_add(json_t *t, const char *name, double mean, double sd, double n)
{
	json_t *a;
	struct lt_sum s = { 0, 0, 0 };

	if (name == NULL)
		return;
	a = json_object_get(t, name);
	if (a != NULL) {
		s.n = json_real_value(json_array_get(a, 0));
		s.sum = json_real_value(json_array_get(a, 1));
		s.sumsq = json_real_value(json_array_get(a, 2));
	}
	lt_sum_add(&s, mean, sd, n);
	json_object_set_new(t, name, json_pack("[fff]", s.n, s.sum, s.sumsq));
}

static int
table_get(const json_t *t, const char *name, struct lt_sum *s)
{
	json_t *a;

	if (name == NULL || (a = json_object_get(t, name)) == NULL)
		return 0;
	s->n = json_real_value(json_array_get(a, 0));
	s->sum = json_real_value(json_array_get(a, 1));
	s->sumsq = json_real_value(json_array_get(a, 2));
	return 1;
}

void
lt_pool_add(struct lt_pool *lp, const char *supplier, const char *family,
    double mean, double sd, double n)
{
	if (!(n > 0) || isnan(mean))
		return;
	table_add(lp->suppliers, supplier, mean, sd, n);
	table_add(lp->families, family, mean, sd, n);
	lt_sum_add(&lp->all, mean, sd, n);
}

void
lt_pool_estimate(const struct lt_pool *lp, const char *supplier, const char *family,
    double mean, double sd, double n, struct lt_est *e)
{
	struct lt_sum s;
	double pv, v;

	if (isnan(mean) || !(n > 0))
		n = 0;
	e->n = n;
	e->prior = NULL;
	if (table_get(lp->suppliers, supplier, &s) && s.n >= LT_MIN)
		e->prior = "supplier";
	else if (table_get(lp->families, family, &s) && s.n >= LT_MIN)
		e->prior = "family";
	else if (lp->all.n > 0) {
		s = lp->all;
		e->prior = "all";
	}
	if (e->prior == NULL) {
		/* No pool: the series alone, or nothing at all. */
		e->mean = n > 0 ? mean : 0;
		e->sd = n >= 2 && !isnan(sd) ? sd : 0;
		e->prior_mean = e->prior_sd = NAN;
		e->weight = 1;
		return;
	}
	e->prior_mean = lt_sum_mean(&s);
	e->prior_sd = lt_sum_sd(&s);
	pv = isnan(e->prior_sd) ? 0 : e->prior_sd * e->prior_sd;
	e->weight = n / (n + LT_K);
	e->mean = n > 0 ? e->weight * mean + (1 - e->weight) * e->prior_mean : e->prior_mean;
	v = n >= 2 && !isnan(sd) ? sd * sd : pv;
	e->sd = sqrt(e->weight * v + (1 - e->weight) * pv);
}
