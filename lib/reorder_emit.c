/* reorder_emit.c: nc-reorder's reorder record of a series (nc-reorder(1),
 * "Output"). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "nc.h"
#include "reorder.h"
#include "reorder_tool.h"

/* The latest origin, or the last history date when no row has as_of. */
static long
series_as_of(const struct ro_series *s)
{
	long as_of = NO_DATE, last = NO_DATE;

	for (size_t i = 0; i < s->n; i++) {
		if (s->rows[i].as_of != NO_DATE && s->rows[i].as_of > as_of)
			as_of = s->rows[i].as_of;
		if (s->rows[i].date > last)
			last = s->rows[i].date;
	}
	return as_of != NO_DATE ? as_of : last;
}

/* The latest origin's first row (history rows have no origin). */
static size_t
latest_rows(struct ro_series *s, long as_of)
{
	size_t lo = 0;

	qsort(s->rows, s->n, sizeof(*s->rows), ro_row_cmp);
	while (lo < s->n && s->rows[lo].as_of != NO_DATE && s->rows[lo].as_of < as_of)
		lo++;
	return lo;
}

/*
 * The reorder record of a series, from its latest origin's rows, written.
 * Returns 0, or -1 with the reason to reject the series in why.
 */
int
ro_emit_policy(struct ro_opts *o, struct ro_series *s, const struct ro_lt *li, double sl,
    char *why, size_t whysize)
{
	struct rp_profile p = RP_PROFILE_INIT;
	struct ro_policy pol;
	struct rp_result *res = &pol.res;
	struct strbuf sb = { 0 };
	long as_of = series_as_of(s), so = NO_DATE;
	size_t lo = latest_rows(s, as_of);
	const char *st, *note = NULL;
	double d12, odq = 0;
	int known;

	if (ro_series_policy(o, s, s->rows + lo, s->n - lo, as_of, li, sl, &p, &pol) != 0) {
		rp_profile_release(&p);
		snprintf(why, whysize, "%s", pol.why);
		return -1;
	}
	if (res->stockout_day >= 0)
		so = (o->method == RP_CLASSIC ? as_of + 1 : pol.first) + res->stockout_day;
	/* No order above the last 12 months' demand, unless the row says why. */
	d12 = pol.d12;
	if (!isnan(d12) && o->method == RP_FORECAST) {
		if (res->order_qty > ceil(d12 - 1e-9)) {
			res->order_qty = fmax(0, ceil(d12 - 1e-9));
			note = "capped at the demand of the last 12 months";
		}
	}
	if (pol.ondemand)
		odq = fmax(0, ceil(pol.pending - pol.par.stock - pol.par.on_order - 1e-9));
	strbuf_addc(&sb, '{');
	strbuf_add(&sb, s->out_keys.s, s->out_keys.len);
	for (int f = F_ITEM_NAME; f <= F_COST; f++)
		if (s->has_attr[f])
			ro_put_attr(&sb, s, f);
	ro_put_date(&sb, "as_of", as_of);
	ro_put_str(&sb, "method", o->method == RP_CLASSIC ? "classic" :
	    o->method == RP_ONDEMAND ? "on-demand" : "forecast");
	ro_put_str(&sb, "stocking", pol.stocking);
	ro_put_str(&sb, "stocking_reason", pol.reason);
	ro_put_str(&sb, "demand_model", pol.model);
	ro_put_num(&sb, "current_stock", isnan(ro_attr_num(s, F_STOCK)) ? NAN : pol.par.stock);
	ro_put_num(&sb, "on_order", pol.par.on_order);
	ro_put_num(&sb, "lead_time_days", li->lt);
	ro_put_num(&sb, "lead_time_std", li->sd);
	ro_put_num(&sb, "lead_time_obs", li->obs);
	ro_put_num(&sb, "purchase_delay_days", li->delay);
	ro_put_num(&sb, "delivery_days", li->delivery);
	ro_put_str(&sb, "lead_time_pooled", li->prior);
	ro_put_num(&sb, "service_level", sl);
	ro_put_num(&sb, "z", res->z);
	ro_put_num(&sb, "avg_daily_demand", res->avg_daily_demand);
	ro_put_num(&sb, "daily_demand_sd", res->daily_sd);
	ro_put_num(&sb, "requests_per_year", pol.requests_year);
	ro_put_num(&sb, "lead_time_demand", res->lead_time_demand);
	ro_put_num(&sb, "protection_days", res->protection);
	ro_put_num(&sb, "protection_demand", res->protection_demand);
	ro_put_num(&sb, "lump_demand_excluded", pol.lump_day * res->protection);
	ro_put_num(&sb, "history_floor", pol.floor);
	ro_put_int(&sb, "history_floor_windows", (double)pol.floor_windows);
	ro_put_num(&sb, "safety_stock", res->safety_stock);
	ro_put_num(&sb, "reorder_point", res->reorder_point);
	ro_put_num(&sb, "review_days", o->review);
	ro_put_num(&sb, "eoq", res->eoq);
	ro_put_num(&sb, "order_up_to", res->order_up_to);
	ro_put_int(&sb, "recommended_order_qty", res->order_qty);
	ro_put_int(&sb, "order_on_demand_qty", odq);
	ro_put_num(&sb, "demand_12m", d12);
	ro_put_str(&sb, "order_note", note);
	ro_put_num(&sb, "days_of_cover", res->days_of_cover);
	ro_put_date(&sb, "stockout_date", so);
	st = ro_stock_status(s, pol.par.stock, &known);
	if (known)
		ro_put_attr(&sb, s, F_STATUS);
	else
		ro_put_str(&sb, "stock_status", st);
	strbuf_add(&sb, "}\n", 2);
	nc_write(stdout, sb.s, sb.len);
	strbuf_release(&sb);
	rp_profile_release(&p);
	return 0;
}

