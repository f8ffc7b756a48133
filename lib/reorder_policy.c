/* reorder_policy.c: the policy of one series at one origin (reorder_tool.h). */
#include <err.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "date.h"
#include "flatget.h"
#include "nc.h"
#include "reorder_tool.h"

/* The series' history: --history's, else its own quantity rows. */
const struct rp_hist_series *
ro_series_history(const struct ro_opts *o, struct ro_series *s)
{
	if (o->have_hist) {
		static const struct rp_hist_series none = { 0 };
		const struct rp_hist_series *h = rp_hist_get(&o->hist, s->key.s, s->key.len);

		return h != NULL ? h : &none;
	}
	s->hist.n = 0;
	for (size_t i = 0; i < s->n; i++) {
		if (!s->rows[i].history)
			continue;
		if (s->hist.n == s->hist.cap) {
			s->hist.cap = s->hist.cap ? 2 * s->hist.cap : 64;
			s->hist.date = xrealloc(s->hist.date, s->hist.cap * sizeof(*s->hist.date));
			s->hist.qty = xrealloc(s->hist.qty, s->hist.cap * sizeof(*s->hist.qty));
		}
		s->hist.date[s->hist.n] = s->rows[i].date;
		s->hist.qty[s->hist.n++] = s->rows[i].mean;
	}
	return s->hist.n > 0 ? &s->hist : NULL;
}

/* The first day of the history window: --since, else the data's first. */
long
ro_window_first(const struct ro_opts *o, const struct rp_hist_series *h)
{
	long first = o->first_day;

	if (first != NO_DATE)
		return first;
	if (o->have_hist && o->hist.first != LONG_MAX)
		return o->hist.first;
	for (size_t i = 0; h != NULL && i < h->n; i++)
		if (first == NO_DATE || h->date[i] < first)
			first = h->date[i];
	return first;
}

/* The classic profile: every day of [first, as_of], zeros counted. */
void
ro_classic_profile(struct rp_profile *p, const struct rp_hist_series *h, long first,
    long as_of)
{
	rp_profile_clear(p);
	for (size_t i = 0; h != NULL && i < h->n; i++)
		if (h->date[i] >= first && h->date[i] <= as_of)
			rp_profile_add(p, h->date[i], 1, h->qty[i], 0);
	rp_profile_span(p, first, as_of);
}

/*
 * Occurrence x size from the history, for forecast rows without p_demand:
 * periods of ndays days ending on as_of, back to first (a period not whole
 * is left out).  Returns 0, or -1 when there is no whole period.
 */
int
ro_hist_occurrence(const struct rp_hist_series *h, long first, long as_of, int ndays,
    double *pdem, double *smean, double *ssd, double *dper)
{
	long np = (as_of - first + 1) / ndays, k;
	double *b, n = 0, sum = 0, sumsq = 0;

	if (np < 1 || ndays < 1)
		return -1;
	b = xcalloc((size_t)np, sizeof(*b));
	for (size_t i = 0; h != NULL && i < h->n; i++) {
		k = (as_of - h->date[i]) / ndays;
		if (h->date[i] <= as_of && k < np)
			b[k] += h->qty[i];
	}
	for (k = 0; k < np; k++)
		if (b[k] > 0) {
			n++;
			sum += b[k];
			sumsq += b[k] * b[k];
		}
	free(b);
	*dper = n;
	*pdem = n / np;
	*smean = n > 0 ? sum / n : 0;
	*ssd = n >= 2 ? sqrt(fmax(0, (sumsq - sum * sum / n) / (n - 1))) : NAN;
	return 0;
}

void
ro_params_of(const struct ro_opts *o, const struct ro_series *s, double lt, double lt_sd,
    double sl, struct rp_params *par)
{
	memset(par, 0, sizeof(*par));
	par->method = o->method;
	par->lt = lt;
	par->lt_sd = lt_sd;
	par->service_level = sl;
	par->review = o->review;
	par->stock = ro_attr_num(s, F_STOCK);
	if (isnan(par->stock))
		par->stock = 0;
	par->on_order = ro_attr_num(s, F_ONORDER);
	if (isnan(par->on_order))
		par->on_order = 0;
	par->order_cost = o->order_cost;
	par->holding_rate = o->holding_rate;
	par->unit_cost = ro_attr_num(s, F_COST);
}

/*
 * The history's floor (reorder_floor.c): the reorder point is raised to
 * the service-level quantile of the history's demand over T days, where
 * the history is long enough.  Not for a series whose lumps were left
 * out: its history holds them.
 */
static void
ro_apply_floor(const struct ro_opts *o, const struct rp_hist_series *h, long first,
    long as_of, struct ro_policy *pol)
{
	double q;

	pol->floor = NAN;
	pol->floor_windows = 0;
	if (!o->hist_floor || o->method != RP_FORECAST || h == NULL || as_of == NO_DATE ||
	    first == NO_DATE || pol->lump_day > 0 || !(pol->res.protection >= 1))
		return;
	pol->floor_windows = ro_hist_floor(h, first, as_of, lround(pol->res.protection),
	    pol->par.service_level, &q);
	if (pol->floor_windows == 0)
		return;
	pol->floor = q;
	rp_raise_pp(&pol->par, &pol->res, q);
}

/*
 * Compute the policy.  Returns 0, or -1 with a reason in pol->why.
 * The forecast method reads the rows that are not settling; rows without
 * p_demand take the occurrence x size of the history when there is one.
 */
int
ro_series_policy(const struct ro_opts *o, struct ro_series *s, const struct ro_row *r,
    size_t n, long as_of, const struct ro_lt *li, double sl, struct rp_profile *p,
    struct ro_policy *pol)
{
	const struct rp_hist_series *h = NULL;
	double pdem = NAN, smean = NAN, ssd = NAN, dper = NAN, oneoff = -1, days;
	long first = NO_DATE;
	int ndays = 0;
	struct ro_rollout ro;

	memset(pol, 0, sizeof(*pol));
	pol->requests_year = NAN;
	pol->d12 = NAN;
	ro_params_of(o, s, li->lt, li->sd, sl, &pol->par);
	if (o->method == RP_CLASSIC || o->method == RP_FORECAST) {
		h = ro_series_history(o, s);
		first = ro_window_first(o, h);
		if (h != NULL && as_of != NO_DATE)
			pol->d12 = rp_hist_sum(h, as_of - 365, as_of);
	}
	if (o->method == RP_CLASSIC) {
		if (h == NULL) {
			snprintf(pol->why, sizeof(pol->why), "classic: no daily history "
			    "(give --history FILE, or item-day rows)");
			return -1;
		}
		if (as_of == NO_DATE || first == NO_DATE || first > as_of) {
			snprintf(pol->why, sizeof(pol->why), "classic: no history before as_of");
			return -1;
		}
		ro_classic_profile(p, h, first, as_of);
		pol->model = "classic";
	} else {
		rp_profile_clear(p);
		for (size_t i = 0; i < n; i++) {
			if (r[i].settling) {
				if (!isnan(r[i].actual))
					pol->pending += r[i].actual;
				continue;
			}
			if (!r[i].history && ndays == 0)
				ndays = r[i].ndays;
			if (r[i].one_off >= 0)
				oneoff = oneoff < 0 ? r[i].one_off : oneoff && r[i].one_off;
			if (!isnan(r[i].dper) && !(r[i].dper <= dper))
				dper = r[i].dper;
		}
		/* Rows without the split: the history's, when there is one. */
		if (h != NULL && ndays > 0 && first != NO_DATE && as_of != NO_DATE &&
		    ro_hist_occurrence(h, first, as_of, ndays, &pdem, &smean, &ssd, &dper) == 0) {
			pol->occ_from_history = 1;
			/* The history is at the level stock is held: sites rolled
			 * up into an item, each requested once, are not a one-off
			 * item. */
			oneoff = dper <= 1;
		}
		long hmin = LONG_MAX;

		for (size_t i = 0; i < n; i++)
			if (!r[i].settling && !r[i].history && r[i].horizon < hmin)
				hmin = r[i].horizon;
		for (size_t i = 0; i < n; i++) {
			const struct ro_row *x = &r[i];
			double mean = x->mean, sd = x->sd;

			if (x->settling)
				continue;
			/* A lump is a project's: stock is not held for its rate, a
			 * later one is ordered for its requester. */
			if (!o->keep_lumps && x->lump_rate > 0) {
				mean = fmax(0, mean - x->lump_rate);
				sd = sqrt(fmax(0, sd * sd - x->lump_var));
				if (x->horizon == hmin)
					pol->lump_day += x->lump_rate / x->ndays;
			}
			if (!isnan(x->pdem) && !isnan(x->smean))
				rp_profile_add_compound(p, x->date, x->ndays, mean, sd,
				    x->pdem, x->smean, x->ssd);
			else if (!x->history && pol->occ_from_history)
				rp_profile_add_compound(p, x->date, x->ndays, mean, sd,
				    pdem, smean, ssd);
			else
				rp_profile_add(p, x->date, x->ndays, mean, sd);
		}
	}
	pol->first = p->first;
	if (rp_compute(p, &pol->par, &pol->res) != 0) {
		snprintf(pol->why, sizeof(pol->why), "no demand rows");
		return -1;
	}
	if (o->method == RP_FORECAST)
		pol->model = pol->res.compound ? "compound" : "normal";
	else if (o->method == RP_ONDEMAND)
		pol->model = "none";
	ro_apply_floor(o, h, first, as_of, pol);
	/* Expected occurrences a year, from the profile's split. */
	days = (double)p->n;
	if (p->compound_rows > 0 && days > 0) {
		double lam = 0;

		for (size_t i = 0; i < p->n; i++)
			lam += p->day[i].lam;
		pol->requests_year = lam / days * 365;
	}
	/* The stocking decision (nc-reorder(1), "Stock or order on demand"). */
	pol->stocking = "estoque";
	{
		json_t *v = NULL;
		double pp_value = pol->res.reorder_point * pol->par.unit_cost;

		if (o->stocking && s->item != NULL)
			v = json_object_get(o->stocking, s->item);
		if (v != NULL) {
			pol->stocking = json_string_value(json_object_get(v, "stocking"));
			pol->reason = "--stocking";
		} else if (o->method == RP_ONDEMAND) {
			pol->stocking = "sob encomenda";
			pol->reason = "--method on-demand";
		} else if (o->method == RP_CLASSIC)
			pol->reason = "classic: every series in stock";
		else if (oneoff == 1) {
			pol->stocking = "sob encomenda";
			pol->reason = "one-off demand";
		} else if (!isnan(dper) && dper <= 1) {
			pol->stocking = "sob encomenda";
			pol->reason = dper < 1 ? "no demand in the history" :
			    "a single request in the history";
		} else if (o->rollout_sites > 0 && o->method == RP_FORECAST &&
		    ro_rollout(h, first == NO_DATE ? LONG_MIN : first, as_of, o->rollout_sites,
		    o->rollout_bursts,
		    &ro)) {
			pol->stocking = "sob encomenda";
			snprintf(pol->why, sizeof(pol->why), "rollout: %.0f%% of the units in %d "
			    "burst%s of %d+ sites, of %d", ro.share * 100, ro.waves,
			    ro.waves == 1 ? "" : "s", o->rollout_sites, ro.bursts);
			pol->reason = pol->why;
		} else if (isnan(pol->requests_year))
			pol->reason = "no occurrence data";
		else if (pol->requests_year < o->min_requests) {
			pol->stocking = "sob encomenda";
			snprintf(pol->why, sizeof(pol->why), "%.3g requests a year, under "
			    "--min-requests %g", pol->requests_year, o->min_requests);
			pol->reason = pol->why;
		} else if (o->max_value > 0 && pp_value > o->max_value &&
		    pol->requests_year * pol->res.protection / 365 < 1) {
			pol->stocking = "sob encomenda";
			snprintf(pol->why, sizeof(pol->why), "reorder point worth %.0f over "
			    "--max-value, under 1 request a lead time", pp_value);
			pol->reason = pol->why;
		} else {
			snprintf(pol->why, sizeof(pol->why), "%.3g requests a year",
			    pol->requests_year);
			pol->reason = pol->why;
		}
	}
	pol->ondemand = strcmp(pol->stocking, "estoque") != 0;
	if (pol->ondemand) {
		pol->res.safety_stock = pol->res.reorder_point = pol->res.order_up_to = 0;
		pol->res.cycle_demand = 0;
		pol->res.order_qty = 0;
	}
	return 0;
}
