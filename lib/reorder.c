/* reorder.c: the reorder policy of one series and its replay (reorder.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "date.h"
#include "nc.h"
#include "reorder.h"

void
rp_profile_clear(struct rp_profile *p)
{
	p->n = 0;
	p->first = 0;
}

void
rp_profile_release(struct rp_profile *p)
{
	free(p->day);
	p->day = NULL;
	p->n = p->cap = 0;
}

/* Make day indexes [0, n) exist, new days zero. */
static void
profile_grow(struct rp_profile *p, size_t n)
{
	if (n > p->cap) {
		size_t cap = p->cap ? p->cap : 64;

		while (cap < n)
			cap *= 2;
		p->day = xrealloc(p->day, cap * sizeof(*p->day));
		p->cap = cap;
	}
	if (n > p->n) {
		memset(p->day + p->n, 0, (n - p->n) * sizeof(*p->day));
		p->n = n;
	}
}

void
rp_profile_add(struct rp_profile *p, long date, int ndays, double mean, double sd)
{
	double m = mean / ndays, v = sd * sd / ndays;
	size_t at;

	if (p->n == 0)
		p->first = date;
	else if (date < p->first) {
		/* An earlier period: shift the days we have. */
		size_t shift = (size_t)(p->first - date), old = p->n;

		profile_grow(p, old + shift);
		memmove(p->day + shift, p->day, old * sizeof(*p->day));
		memset(p->day, 0, shift * sizeof(*p->day));
		p->first = date;
	}
	at = (size_t)(date - p->first);
	profile_grow(p, at + (size_t)ndays);
	for (int i = 0; i < ndays; i++) {
		p->day[at + i].mean += m;
		p->day[at + i].var += v;
	}
}

int
rp_period_days(const char *period, size_t len, long date)
{
	int y, m, d;
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (len == 3 && memcmp(period, "day", 3) == 0)
		return 1;
	if (len == 4 && memcmp(period, "week", 4) == 0)
		return 7;
	if (len == 5 && memcmp(period, "month", 5) == 0) {
		date_to_ymd(date, &y, &m, &d);
		if (m == 2 && date_valid_ymd(y, 2, 29))
			return 29 - d + 1;
		return mdays[m - 1] - d + 1;
	}
	return -1;
}

double
rp_z(double service_level)
{
	return gsl_cdf_ugaussian_Pinv(service_level);
}

double
rp_sd_from_upper(double center, double upper, double p)
{
	if (!(p > 0.5 && p < 1) || !(upper >= center))
		return NAN;
	return (upper - center) / rp_z(p);
}

/* Demand (mean and variance) of days [from, from + len) of the profile, a
 * fractional last day in part; days past the end are the average day. */
static void
window(const struct rp_profile *p, double from, double len, double avg_m, double avg_v,
    double *mean, double *var)
{
	double m = 0, v = 0, t = from, end = from + len;

	while (t < end - 1e-12) {
		size_t i = (size_t)t;
		double w = fmin(end, (double)i + 1) - t;

		if (i < p->n) {
			m += w * p->day[i].mean;
			v += w * p->day[i].var;
		} else {
			m += w * avg_m;
			v += w * avg_v;
		}
		t = (double)i + 1;
	}
	*mean = m;
	*var = v;
}

static long
stockout_day(const struct rp_profile *p, const struct rp_params *par, double d)
{
	double cum = 0;

	if (par->method == RP_CLASSIC) {
		if (!(d > 0))
			return -1;
		/* First whole day k (1-based) with k d > stock. */
		double k = floor(par->stock / d) + 1;

		if (k < 1)
			k = 1;
		return k > 1e6 ? -1 : (long)k - 1;
	}
	for (size_t i = 0; i < p->n; i++) {
		cum += p->day[i].mean;
		if (cum > par->stock)
			return (long)i;
	}
	return -1;
}

int
rp_compute(const struct rp_profile *p, const struct rp_params *par, struct rp_result *res)
{
	double sum_m = 0, sum_v = 0, d, var_lt, dlt;

	if (p->n == 0)
		return -1;
	for (size_t i = 0; i < p->n; i++) {
		sum_m += p->day[i].mean;
		sum_v += p->day[i].var;
	}
	memset(res, 0, sizeof(*res));
	res->z = rp_z(par->service_level);
	d = sum_m / p->n;
	res->avg_daily_demand = d;
	if (par->method == RP_CLASSIC) {
		double ss = 0;

		for (size_t i = 0; i < p->n; i++)
			ss += (p->day[i].mean - d) * (p->day[i].mean - d);
		res->daily_sd = p->n > 1 ? sqrt(ss / (p->n - 1)) : 0;
		res->lead_time_demand = d * par->lt;
		var_lt = par->lt * res->daily_sd * res->daily_sd;
		dlt = d;
		res->cycle_demand = d * par->review;
	} else {
		double rv;

		window(p, 0, par->lt, d, sum_v / p->n, &res->lead_time_demand, &var_lt);
		res->daily_sd = par->lt > 0 ? sqrt(var_lt / par->lt) : 0;
		dlt = par->lt > 0 ? res->lead_time_demand / par->lt : 0;
		window(p, par->lt, par->review, d, sum_v / p->n, &res->cycle_demand, &rv);
	}
	res->safety_stock = res->z * sqrt(var_lt + dlt * dlt * par->lt_sd * par->lt_sd);
	if (res->safety_stock < 0)
		res->safety_stock = 0;      /* a service level under 50% */
	res->reorder_point = res->lead_time_demand + res->safety_stock;
	res->eoq = NAN;
	if (par->order_cost > 0 && par->holding_rate > 0 && par->unit_cost > 0) {
		res->eoq = sqrt(2 * d * 365 * par->order_cost / (par->holding_rate * par->unit_cost));
		res->cycle_demand = res->eoq;
	}
	res->order_up_to = res->reorder_point + res->cycle_demand;
	res->order_qty = ceil(res->order_up_to - par->stock - par->on_order - 1e-9);
	if (res->order_qty < 0)
		res->order_qty = 0;
	res->days_of_cover = d > 0 ? fmax(par->stock, 0) / d : NAN;
	res->stockout_day = stockout_day(p, par, d);
	return 0;
}

void
rp_simulate(size_t ndays, const double *demand, const double *pp, const double *S,
    long lt_days, long review, double initial, struct rp_sim *out)
{
	double *due = xcalloc(ndays + 1, sizeof(*due));
	double stock = initial, on_order = 0;
	int cycle_short = 0;

	memset(out, 0, sizeof(*out));
	if (review < 1)
		review = 1;
	if (lt_days < 0)
		lt_days = 0;
	for (size_t t = 0; t < ndays; t++) {
		double served;

		stock += due[t];
		on_order -= due[t];
		served = fmin(stock, demand[t]);
		if (served < 0)
			served = 0;
		if (demand[t] > served) {
			out->stockout_days++;
			cycle_short = 1;
		}
		stock -= served;
		out->demand += demand[t];
		out->served += served;
		if ((long)t % review == 0 && !isnan(pp[t]) && stock + on_order <= pp[t]) {
			double q = ceil(S[t] - stock - on_order - 1e-9);

			if (q > 0) {
				size_t at = t + (size_t)lt_days + 1;

				if (at < ndays)
					due[at] += q;
				on_order += q;
				out->orders++;
				out->ordered += q;
				/* The cycle before this order ends here. */
				out->cycles++;
				out->stockout_cycles += cycle_short;
				cycle_short = 0;
			}
		}
		out->stock_sum += stock;
	}
	/* The last cycle, still open. */
	if (ndays > 0) {
		out->cycles++;
		out->stockout_cycles += cycle_short;
	}
	out->days = (long)ndays;
	out->cycle_service_level = out->cycles > 0 ?
	    (double)(out->cycles - out->stockout_cycles) / out->cycles : NAN;
	out->fill_rate = out->demand > 0 ? out->served / out->demand : NAN;
	out->avg_stock = ndays > 0 ? out->stock_sum / ndays : NAN;
	free(due);
}
