/* reorder_sim.c: nc-reorder --simulate, the policy replayed over a
 * backtest's window (reorder_tool.h; nc-reorder(1), "Simulation"). */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "nc.h"
#include "reorder.h"
#include "reorder_tool.h"

int
ro_row_cmp(const void *pa, const void *pb)
{
	const struct ro_row *a = pa, *b = pb;

	if (a->as_of != b->as_of)
		return a->as_of < b->as_of ? -1 : 1;
	if (a->date != b->date)
		return a->date < b->date ? -1 : 1;
	return (a->horizon > b->horizon) - (a->horizon < b->horizon);
}

/*
 * A row's actual demand, a/n on each of its n days, into the window at
 * offset off.  A day takes the rows of one origin, the latest (the smallest
 * horizon wins over longer ones); the sub-series of a roll-up (the sites of
 * an item), rows of the same origin and day, add up.
 */
static void
spread_actual(double *act, long *ah, long *aof, long wlen, long off, const struct ro_row *r)
{
	for (int i = 0; i < r->ndays; i++) {
		long t = off + i;

		if (t < 0 || t >= wlen || r->horizon > ah[t])
			continue;
		if (r->horizon < ah[t] || r->as_of != aof[t]) {
			act[t] = 0;
			ah[t] = r->horizon;
			aof[t] = r->as_of;
		}
		act[t] += r->actual / r->ndays;
	}
}

/*
 * The calibration of the order-up-to levels, apart from what stock did:
 * at each origin in the window that stocks the series, whether S covered
 * the demand of the days it protects (the next lt + review days), where
 * the window still holds them.
 */
static void
coverage(long wlen, const double *act, const double *S, const unsigned char *od, long span,
    long *n, long *ok)
{
	for (long t = 0; t + span < wlen; t++) {
		double d = 0;

		if (!od[wlen + t] || od[t] || isnan(S[t]))
			continue;
		for (long k = 1; k <= span; k++)
			d += act[t + k];
		++*n;
		*ok += d <= S[t] + 1e-9;
	}
}

/*
 * The days of the window the daily history knows (up to its last day, over
 * every series): their demand as requested, on the day it was requested.
 * Returns how many days it set.
 */
static long
history_actual(const struct ro_opts *o, struct ro_series *s, double *act, long *ah, long wlen,
    long w0)
{
	const struct rp_hist_series *h;
	long known = 0;

	if (!o->have_hist || o->hist.last < w0)
		return 0;
	h = ro_series_history(o, s);
	for (long t = 0; t < wlen && w0 + t <= o->hist.last; t++) {
		act[t] = 0;
		ah[t] = 0;
		known++;
	}
	for (size_t i = 0; h != NULL && i < h->n; i++)
		if (h->date[i] >= w0 && h->date[i] - w0 < known)
			act[h->date[i] - w0] += h->qty[i];
	return known;
}

const char *
ro_simulate_series(struct ro_opts *o, struct ro_series *s, const struct ro_lt *li, double sl,
    struct ro_simtot *tot)
{
	struct rp_profile p = RP_PROFILE_INIT;
	struct ro_policy pol;
	struct rp_sim sim;
	struct strbuf sb = { 0 };
	long amax = NO_DATE, wlen = o->simulate, w0, missing = 0, nstock = 0, nod = 0, known;
	double *act, *pp, *S, *cap, init = NAN, before_pp = NAN, before_cap = NAN, cost, value;
	unsigned char *od, before_od = 0;
	const char *why = NULL;
	long cov_n = 0, cov_ok = 0;
	long *ah, *aof;
	size_t i, j;

	qsort(s->rows, s->n, sizeof(*s->rows), ro_row_cmp);
	for (i = 0; i < s->n; i++)
		if (!isnan(s->rows[i].actual) && s->rows[i].date + s->rows[i].ndays - 1 > amax)
			amax = s->rows[i].date + s->rows[i].ndays - 1;
	if (amax == NO_DATE)
		return "--simulate: no actual_demand (backtest rows needed)";
	w0 = amax - wlen + 1;
	act = xcalloc((size_t)wlen, sizeof(*act));
	pp = xcalloc((size_t)wlen, sizeof(*pp));
	S = xcalloc((size_t)wlen, sizeof(*S));
	ah = xcalloc((size_t)wlen, sizeof(*ah));
	aof = xcalloc((size_t)wlen, sizeof(*aof));
	od = xcalloc((size_t)wlen, 2);  /* od[t]; od[wlen + t]: set by an origin */
	cap = xcalloc((size_t)wlen, sizeof(*cap));
	for (long t = 0; t < wlen; t++) {
		pp[t] = S[t] = cap[t] = NAN;
		ah[t] = LONG_MAX;
	}
	known = history_actual(o, s, act, ah, wlen, w0);
	for (i = 0; i < s->n; i = j) {
		for (j = i; j < s->n && s->rows[j].as_of == s->rows[i].as_of; j++)
			if (!isnan(s->rows[j].actual) && !s->rows[j].settling)
				spread_actual(act, ah, aof, wlen, s->rows[j].date - w0, &s->rows[j]);
		/* The policy set at the end of day as_of, with what was known then. */
		long t = s->rows[i].as_of - w0;

		if (s->rows[i].as_of == NO_DATE || t >= wlen)
			continue;
		if (ro_series_policy(o, s, s->rows + i, j - i, s->rows[i].as_of, li, sl, &p,
		    &pol) != 0) {
			if (o->method == RP_CLASSIC) {
				snprintf(tot->why, sizeof(tot->why), "%s", pol.why);
				why = tot->why;
				goto out;
			}
			continue;
		}
		if (t < 0) {            /* the latest before the window sets the start */
			before_cap = o->method == RP_FORECAST ? pol.d12 : NAN;
			init = fmin(pol.res.order_up_to, isnan(before_cap) ? INFINITY : before_cap);
			before_pp = pol.res.reorder_point;
			before_od = (unsigned char)pol.ondemand;
			continue;
		}
		pp[t] = pol.res.reorder_point;
		S[t] = pol.res.order_up_to;
		cap[t] = o->method == RP_FORECAST ? pol.d12 : NAN;
		od[t] = (unsigned char)pol.ondemand;
		od[wlen + t] = 1;
		if (pol.ondemand)
			nod++;
		else
			nstock++;
	}
	/* A day without an origin of its own keeps the latest policy (weekly
	 * or monthly forecasts set one a period). */
	for (long t = 0; t < wlen; t++) {
		missing += ah[t] == LONG_MAX;
		if (isnan(init) && !isnan(S[t]))
			init = S[t];
		if (!od[wlen + t]) {
			pp[t] = t > 0 ? pp[t - 1] : before_pp;
			S[t] = t > 0 ? S[t - 1] : init;
			od[t] = t > 0 ? od[t - 1] : before_od;
			cap[t] = t > 0 ? cap[t - 1] : before_cap;
		}
	}
	rp_simulate((size_t)wlen, act, pp, S, od, cap, (long)ceil(li->lt - 1e-9),
	    o->review >= 1 ? (long)o->review : 1, isnan(init) ? 0 : ceil(init), o->backorders,
	    &sim);
	coverage(wlen, act, S, od, (long)ceil(li->lt - 1e-9) + (o->review >= 1 ?
	    (long)o->review : 1), &cov_n, &cov_ok);
	cost = ro_attr_num(s, F_COST);
	value = isnan(cost) ? NAN : sim.avg_stock * cost;
	strbuf_addc(&sb, '{');
	strbuf_add(&sb, s->out_keys.s, s->out_keys.len);
	ro_put_str(&sb, "scope", "item");
	ro_put_str(&sb, "unmet", o->backorders ? "backordered" : "lost");
	ro_put_str(&sb, "method", o->method == RP_CLASSIC ? "classic" :
	    o->method == RP_ONDEMAND ? "on-demand" : "forecast");
	ro_put_date(&sb, "from", w0);
	ro_put_date(&sb, "to", amax);
	ro_put_num(&sb, "lead_time_days", li->lt);
	ro_put_num(&sb, "service_level", sl);
	ro_put_num(&sb, "review_days", o->review);
	ro_put_num(&sb, "initial_stock", isnan(init) ? 0 : ceil(init));
	ro_put_int(&sb, "origins_in_stock", (double)nstock);
	ro_put_int(&sb, "origins_on_demand", (double)nod);
	ro_put_sim(&sb, &sim, value);
	ro_put_int(&sb, "orders_on_demand", (double)sim.ondemand_orders);
	ro_put_int(&sb, "missing_actual_days", (double)missing);
	ro_put_int(&sb, "protection_checks", (double)cov_n);
	ro_put_num(&sb, "protection_covered", cov_n > 0 ? (double)cov_ok / cov_n : NAN);
	ro_put_str(&sb, "demand_from", known == wlen ? "history" : known > 0 ?
	    "history and forecast rows" : "forecast rows");
	strbuf_add(&sb, "}\n", 2);
	nc_write(stdout, sb.s, sb.len);
	tot->cov_n += cov_n;
	tot->cov_ok += cov_ok;
	tot->all.days += sim.days;
	tot->all.cycles += sim.cycles;
	tot->all.stockout_cycles += sim.stockout_cycles;
	tot->all.stockout_days += sim.stockout_days;
	tot->all.orders += sim.orders;
	tot->all.ondemand_orders += sim.ondemand_orders;
	tot->all.demand += sim.demand;
	tot->all.served += sim.served;
	tot->all.avg_stock += sim.avg_stock;
	if (!isnan(value)) {
		tot->value += value;
		tot->have_value = 1;
	}
out:
	strbuf_release(&sb);
	rp_profile_release(&p);
	free(act);
	free(pp);
	free(S);
	free(ah);
	free(aof);
	free(od);
	free(cap);
	return why;
}

void
ro_simulate_overall(struct ro_simtot *tot, unsigned long series)
{
	struct strbuf sb = { 0 };
	struct rp_sim *a = &tot->all;

	a->cycle_service_level = a->cycles ? (double)(a->cycles - a->stockout_cycles) / a->cycles : NAN;
	a->fill_rate = a->demand > 0 ? a->served / a->demand : NAN;
	strbuf_add(&sb, "{\"scope\":\"overall\"", 18);
	ro_put_int(&sb, "series", (double)series);
	ro_put_sim(&sb, a, tot->have_value ? tot->value : NAN);
	ro_put_int(&sb, "protection_checks", (double)tot->cov_n);
	ro_put_num(&sb, "protection_covered", tot->cov_n > 0 ?
	    (double)tot->cov_ok / tot->cov_n : NAN);
	strbuf_add(&sb, "}\n", 2);
	/* "days" is the sum of the series' days; avg_stock the sum of theirs. */
	nc_write(stdout, sb.s, sb.len);
	strbuf_release(&sb);
}

