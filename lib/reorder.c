/* reorder.c: the reorder policy of one series and its replay (reorder.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_sf_gamma.h>

#include "date.h"
#include "nc.h"
#include "reorder.h"

void
rp_profile_clear(struct rp_profile *p)
{
	p->n = 0;
	p->first = 0;
	p->rows = p->compound_rows = 0;
	p->p_sum = 0;
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

/* Make day date exist; returns its index. */
static size_t
profile_at(struct rp_profile *p, long date, int ndays)
{
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
	return at;
}

void
rp_profile_span(struct rp_profile *p, long from, long to)
{
	if (to < from)
		return;
	if (p->n == 0) {
		profile_at(p, from, (int)(to - from + 1));
		return;
	}
	if (from < p->first)
		profile_at(p, from, 1);
	if (to >= p->first + (long)p->n)
		profile_at(p, to, 1);
}

void
rp_profile_add_compound(struct rp_profile *p, long date, int ndays, double mean,
    double sd, double pdem, double size_mean, double size_sd)
{
	double lam, m1, m2;
	size_t at;

	if (isnan(pdem) || isnan(size_mean) || pdem < 0 || size_mean < 0) {
		rp_profile_add(p, date, ndays, mean, sd);
		return;
	}
	if (isnan(size_sd) || size_sd < 0)
		size_sd = size_mean;    /* unknown: a coefficient of variation of 1 */
	lam = pdem / ndays;
	m1 = lam * size_mean;
	m2 = lam * (size_sd * size_sd + size_mean * size_mean);
	rp_profile_add(p, date, ndays, mean, sd);
	at = (size_t)(date - p->first);
	for (int i = 0; i < ndays; i++) {
		p->day[at + i].lam += lam;
		p->day[at + i].m1 += m1;
		p->day[at + i].m2 += m2;
	}
	p->compound_rows++;
	p->p_sum += pdem;
}

void
rp_profile_add(struct rp_profile *p, long date, int ndays, double mean, double sd)
{
	double m = mean / ndays, v = sd * sd / ndays;
	size_t at;

	p->rows++;
	at = profile_at(p, date, ndays);
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

/* The sums of days [from, from + len) of the profile, a fractional last
 * day in part; days past the end are the average day avg. */
static void
window(const struct rp_profile *p, double from, double len, const struct rp_day *avg,
    struct rp_day *sum)
{
	double t = from, end = from + len;

	memset(sum, 0, sizeof(*sum));
	while (t < end - 1e-12) {
		size_t i = (size_t)t;
		double w = fmin(end, (double)i + 1) - t;
		const struct rp_day *d = i < p->n ? &p->day[i] : avg;

		sum->mean += w * d->mean;
		sum->var += w * d->var;
		sum->lam += w * d->lam;
		sum->m1 += w * d->m1;
		sum->m2 += w * d->m2;
		t = (double)i + 1;
	}
}

/* P(sum of k gamma sizes of mean m, sd sd <= x): shape k a, scale theta;
 * sd 0 is a step at k m; a very large shape, its normal limit. */
static double
sum_cdf(double x, long k, double m, double sd)
{
	double a, theta, shape;
	gsl_sf_result r;

	if (!(sd > 1e-9 * m))
		return x >= k * m * (1 - 1e-12) ? 1 : 0;
	a = (m * m) / (sd * sd);
	theta = (sd * sd) / m;
	shape = k * a;
	if (shape > 1e5)
		return gsl_cdf_ugaussian_P((x - k * m) / (sqrt((double)k) * sd));
	if (gsl_sf_gamma_inc_P_e(shape, x / theta, &r) != GSL_SUCCESS)
		return gsl_cdf_ugaussian_P((x - k * m) / (sqrt((double)k) * sd));
	return r.val;
}

double
rp_compound_cdf(double x, double lam, double size_mean, double size_sd)
{
	double pk, sum, cum;
	long kmax;

	if (x < 0)
		return 0;
	if (!(lam > 0) || !(size_mean > 0))
		return 1;
	pk = exp(-lam);
	sum = cum = pk;
	kmax = (long)(lam + 12 * sqrt(lam) + 30);
	for (long k = 1; k <= kmax && cum < 1 - 1e-13; k++) {
		pk *= lam / k;
		cum += pk;
		sum += pk * sum_cdf(x, k, size_mean, size_sd);
	}
	return sum;
}

/* The lead-time mixture of compound demands (n nodes). */
struct mix {
	int n;
	double w[3], lam[3], mean[3], sd[3];
};

static double
mix_cdf(const struct mix *m, double x)
{
	double s = 0;

	for (int j = 0; j < m->n; j++)
		s += m->w[j] * rp_compound_cdf(x, m->lam[j], m->mean[j], m->sd[j]);
	return s;
}

static double
mix_quantile(const struct mix *m, double p)
{
	double lo = 0, hi = 1, top = 0;

	if (mix_cdf(m, 0) >= p)
		return 0;
	for (int j = 0; j < m->n; j++)
		top = fmax(top, m->lam[j] * m->mean[j] + 10 * sqrt(m->lam[j] *
		    (m->sd[j] * m->sd[j] + m->mean[j] * m->mean[j])) + m->mean[j]);
	hi = fmax(top, 1);
	while (mix_cdf(m, hi) < p && hi < 1e15)
		hi *= 2;
	while (hi - lo > 1e-7 * fmax(1, hi)) {
		double mid = (lo + hi) / 2;

		if (mix_cdf(m, mid) >= p)
			hi = mid;
		else
			lo = mid;
	}
	/* An atom (sizes of whole units) found to within the bisection's step. */
	if (fabs(hi - round(hi)) < 1e-5 * fmax(1, hi) && mix_cdf(m, round(hi)) >= p)
		return round(hi);
	return hi;
}

double
rp_compound_quantile(double p, double lam, double size_mean, double size_sd)
{
	struct mix m = { 1, { 1 }, { lam }, { size_mean }, { size_sd } };

	return mix_quantile(&m, p);
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

/*
 * The reorder point of the forecast method over T = lt + review days:
 * the compound quantile (mixed over the lead time) or the normal one.
 */
static void
forecast_pp(const struct rp_profile *p, const struct rp_params *par, const struct rp_day *avg,
    struct rp_result *res)
{
	struct rp_day w, wl;
	double T = par->lt + par->review, var_t, d_t;

	res->protection = T;
	window(p, 0, T, avg, &w);
	window(p, 0, par->lt, avg, &wl);
	res->protection_demand = w.mean;
	res->lead_time_demand = wl.mean;
	res->daily_sd = T > 0 ? sqrt(w.var / T) : 0;
	d_t = T > 0 ? w.mean / T : 0;
	res->compound = p->compound_rows > 0 && p->compound_rows == p->rows &&
	    p->p_sum / p->compound_rows < RP_P_SMOOTH;
	if (res->compound && w.lam > 0 && w.m1 > 0 && w.mean > 0) {
		static const double node[3] = { -1.7320508075688772, 0, 1.7320508075688772 };
		static const double wt[3] = { 1.0 / 6, 2.0 / 3, 1.0 / 6 };
		struct mix m = { 0 };

		for (int j = 0; j < 3; j++) {
			struct rp_day wj;
			double Tj = fmax(0, par->lt + node[j] * par->lt_sd) + par->review;
			double sm, ssd, f;

			if (par->lt_sd <= 0 && j != 1)
				continue;
			window(p, 0, Tj, avg, &wj);
			if (!(wj.lam > 0))
				wj.lam = 1e-12, wj.m1 = wj.m2 = 0;
			sm = wj.m1 / wj.lam;
			ssd = sqrt(fmax(0, wj.m2 / wj.lam - sm * sm));
			/* Sizes scaled so that the mean is the forecast's. */
			f = wj.m1 > 0 ? wj.mean / wj.m1 : 1;
			m.w[m.n] = par->lt_sd > 0 ? wt[j] : 1;
			m.lam[m.n] = wj.lam;
			m.mean[m.n] = sm * f;
			m.sd[m.n] = ssd * f;
			m.n++;
		}
		res->reorder_point = mix_quantile(&m, par->service_level);
	} else {
		res->compound = 0;
		var_t = w.var + d_t * d_t * par->lt_sd * par->lt_sd;
		res->reorder_point = w.mean + fmax(0, res->z) * sqrt(var_t);
	}
	res->safety_stock = fmax(0, res->reorder_point - w.mean);
	res->cycle_demand = 0;
}

/* The order that brings stock + on order up to S, in whole units. */
static void
order_qty(const struct rp_params *par, struct rp_result *res)
{
	res->order_qty = ceil(res->order_up_to - par->stock - par->on_order - 1e-9);
	if (!(res->order_qty > 0))
		res->order_qty = 0;
}

void
rp_raise_pp(const struct rp_params *par, struct rp_result *res, double pp)
{
	double up = pp - res->reorder_point;

	if (!(up > 0))
		return;
	res->reorder_point += up;
	res->safety_stock += up;
	res->order_up_to += up;
	order_qty(par, res);
}

int
rp_compute(const struct rp_profile *p, const struct rp_params *par, struct rp_result *res)
{
	double sum_m = 0, sum_v = 0, d;
	struct rp_day avg = { 0 };

	if (p->n == 0)
		return -1;
	for (size_t i = 0; i < p->n; i++) {
		sum_m += p->day[i].mean;
		sum_v += p->day[i].var;
		avg.lam += p->day[i].lam;
		avg.m1 += p->day[i].m1;
		avg.m2 += p->day[i].m2;
	}
	memset(res, 0, sizeof(*res));
	res->z = rp_z(par->service_level);
	d = sum_m / p->n;
	avg.mean = d;
	avg.var = sum_v / p->n;
	avg.lam /= p->n;
	avg.m1 /= p->n;
	avg.m2 /= p->n;
	res->avg_daily_demand = d;
	if (par->method == RP_CLASSIC) {
		double ss = 0, var_lt;

		for (size_t i = 0; i < p->n; i++)
			ss += (p->day[i].mean - d) * (p->day[i].mean - d);
		res->daily_sd = p->n > 1 ? sqrt(ss / (p->n - 1)) : 0;
		res->lead_time_demand = d * par->lt;
		res->protection = par->lt;
		res->protection_demand = res->lead_time_demand;
		var_lt = par->lt * res->daily_sd * res->daily_sd;
		res->safety_stock = fmax(0, res->z * sqrt(var_lt + d * d * par->lt_sd * par->lt_sd));
		res->reorder_point = res->lead_time_demand + res->safety_stock;
		res->cycle_demand = d * (par->review >= 1 ? par->review : 1);
	} else if (par->method == RP_ONDEMAND) {
		struct rp_day wl;

		res->protection = par->lt;
		window(p, 0, par->lt, &avg, &wl);
		res->lead_time_demand = res->protection_demand = wl.mean;
		res->days_of_cover = d > 0 ? fmax(par->stock, 0) / d : NAN;
		res->eoq = NAN;
		res->stockout_day = stockout_day(p, par, d);
		return 0;
	} else
		forecast_pp(p, par, &avg, res);
	res->eoq = NAN;
	if (par->order_cost > 0 && par->holding_rate > 0 && par->unit_cost > 0) {
		res->eoq = sqrt(2 * d * 365 * par->order_cost / (par->holding_rate * par->unit_cost));
		res->cycle_demand = res->eoq;
	}
	res->order_up_to = res->reorder_point + res->cycle_demand;
	order_qty(par, res);
	res->days_of_cover = d > 0 ? fmax(par->stock, 0) / d : NAN;
	res->stockout_day = stockout_day(p, par, d);
	return 0;
}

void
rp_simulate(size_t ndays, const double *demand, const double *pp, const double *S,
    const unsigned char *ondemand, const double *cap, long lt_days, long review,
    double initial, int backorder, struct rp_sim *out)
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
		/* Lost sales: what is missing is gone; backorders: it waits
		 * (negative stock), unless the series is ordered on demand. */
		stock -= backorder && !(ondemand != NULL && ondemand[t]) ? demand[t] : served;
		out->demand += demand[t];
		out->served += served;
		if (ondemand != NULL && ondemand[t]) {
			/* Ordered on demand: what stock did not serve is ordered
			 * for the requester, and never enters stock. */
			double q = demand[t] - served;

			if (q > 0) {
				out->orders++;
				out->ordered += q;
				out->ondemand_orders++;
				out->cycles++;
				out->stockout_cycles += cycle_short;
				cycle_short = 0;
			}
		} else if ((long)t % review == 0 && !isnan(pp[t]) && stock + on_order <= pp[t]) {
			double q = ceil(S[t] - stock - on_order - 1e-9);

			if (cap != NULL && !isnan(cap[t]) && q > ceil(cap[t] - 1e-9))
				q = ceil(cap[t] - 1e-9);

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
		out->stock_sum += fmax(stock, 0);
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
