/* reorder_row.c: one forecast or history row of nc-reorder's input, read
 * into a struct ro_row (reorder_tool.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "flatget.h"
#include "nc.h"
#include "reorder.h"
#include "reorder_tool.h"

/* A date field: 1 set, 0 absent or null, -1 not a date. */
static int
row_date(const struct flat_field *f, long *d)
{
	if (f == NULL || f->type == FLAT_NULL)
		return 0;
	if (f->type != FLAT_STRING || date_parse_n(f->val, f->vlen, d) != 0)
		return -1;
	return 1;
}

/*
 * The sd of a row: forecast_sd; else from its widest upper quantile q<P>
 * against q50 (or the forecast); else from ci_upper at ci_level; else 0.
 * Returns 0, or -1 with a reason in why when the field it would use is
 * not a finite number (an sd is also >= 0).
 */
static int
row_sd(const struct flat *fl, const struct flat_field **f, double mean, double *out,
    char *why, size_t whysize)
{
	double sd, hi, lv, center, qp, best = NAN, bp = 0;
	int st;

	if ((st = flat_get_number(f[F_SD], &sd)) != 0) {
		if (st < 0 || sd < 0) {
			snprintf(why, whysize, "forecast_sd: not a finite number >= 0");
			return -1;
		}
		*out = sd;
		return 0;
	}
	if (flat_get_number(f[F_Q50], &center) != 1)
		center = mean;
	for (size_t i = 0; i < fl->n; i++) {
		const struct flat_field *x = &fl->f[i];
		char pbuf[16];
		double p;

		if (x->klen < 3 || x->klen > 10 || x->key[0] != 'q' ||
		    strspn(x->key + 1, "0123456789_") < x->klen - 1)
			continue;
		memcpy(pbuf, x->key + 1, x->klen - 1);
		pbuf[x->klen - 1] = '\0';
		for (char *c = pbuf; *c; c++)
			if (*c == '_')
				*c = '.';
		p = strtod(pbuf, NULL) / 100;
		if (!(p > 0.5 && p < 1))
			continue;
		if ((st = flat_get_number(x, &qp)) < 0) {
			snprintf(why, whysize, "%.*s: not a finite number", (int)x->klen, x->key);
			return -1;
		}
		if (p > bp && st == 1 && !isnan(sd = rp_sd_from_upper(center, qp, p))) {
			best = sd;
			bp = p;
		}
	}
	if (!isnan(best)) {
		*out = best;
		return 0;
	}
	if ((st = flat_get_number(f[F_CIHI], &hi)) < 0) {
		snprintf(why, whysize, "ci_upper: not a finite number");
		return -1;
	}
	if (st == 1 && flat_get_number(f[F_CILEVEL], &lv) == 1 &&
	    lv > 0 && lv < 100 && !isnan(sd = rp_sd_from_upper(mean, hi, 0.5 + lv / 200))) {
		*out = sd;
		return 0;
	}
	*out = 0;
	return 0;
}

/*
 * The fields of a row (f: the row's fields by index, NULL when absent)
 * into *r.  Returns 0, or -1 with a reason in why.
 */
int
ro_parse_row(const struct ro_opts *o, const struct flat *fl, const struct flat_field **f,
    struct ro_row *r, char *why, size_t whysize)
{
	const struct flat_field *period;
	double h, lumps = NAN, oodem = NAN, hper = NAN;

	*r = (struct ro_row){ .as_of = NO_DATE, .actual = NAN, .horizon = 0, .one_off = -1,
		.pdem = NAN, .smean = NAN, .ssd = NAN, .dper = NAN };
	if (row_date(f[F_DATE], &r->date) != 1) {
		snprintf(why, whysize, "date: %s", f[F_DATE] ? "not a date" : "missing");
		return -1;
	}
	if (row_date(f[F_ASOF], &r->as_of) < 0) {
		snprintf(why, whysize, "as_of: not a date");
		return -1;
	}
	period = f[F_PERIOD];
	if (period == NULL || period->type == FLAT_NULL)
		r->ndays = 1;
	else if (period->type != FLAT_STRING ||
	    (r->ndays = rp_period_days(period->val, period->vlen, r->date)) < 0) {
		snprintf(why, whysize, "period: not day, week or month");
		return -1;
	}
	if (f[F_MEAN] != NULL && f[F_MEAN]->type != FLAT_NULL) {
		if (flat_get_number(f[F_MEAN], &r->mean) != 1 || r->mean < 0) {
			snprintf(why, whysize, "forecasted_demand: not a number >= 0");
			return -1;
		}
		if (row_sd(fl, f, r->mean, &r->sd, why, whysize) != 0)
			return -1;
	} else if (flat_get_number(f[F_QUANTITY], &r->mean) == 1) {
		r->sd = 0;               /* a history row (item-day, feature) */
		r->history = 1;
	} else {
		snprintf(why, whysize, "forecasted_demand: missing");
		return -1;
	}
	if (flat_get_number(f[F_ACTUAL], &r->actual) < 0) {
		snprintf(why, whysize, "actual_demand: not a number");
		return -1;
	}
	if (flat_get_number(f[F_HORIZON], &h) == 1)
		r->horizon = (long)h;
	r->settling = f[F_SETTLING] != NULL && f[F_SETTLING]->type == FLAT_TRUE;
	if (f[F_ONEOFF] != NULL &&
	    (f[F_ONEOFF]->type == FLAT_TRUE || f[F_ONEOFF]->type == FLAT_FALSE))
		r->one_off = f[F_ONEOFF]->type == FLAT_TRUE;
	if (flat_get_number(f[F_PDEM], &r->pdem) < 0 ||
	    (!isnan(r->pdem) && !(r->pdem >= 0 && r->pdem <= 1))) {
		snprintf(why, whysize, "p_demand: not a number in [0, 1]");
		return -1;
	}
	if (flat_get_number(f[F_SMEAN], &r->smean) < 0 || r->smean < 0 ||
	    flat_get_number(f[F_SSD], &r->ssd) < 0 || r->ssd < 0) {
		snprintf(why, whysize, "size_mean, size_sd: not numbers >= 0");
		return -1;
	}
	/* The predictive spread of the next request's size (nc-forecast's
	 * size_cv: the series' own pooled with every series', widened for a
	 * short history) rather than the sizes seen so far. */
	{
		double cv = NAN;

		if (flat_get_number(f[F_SCV], &cv) < 0 || cv < 0) {
			snprintf(why, whysize, "size_cv: not a number >= 0");
			return -1;
		}
		if (o->size_cv && !isnan(cv) && !isnan(r->smean))
			r->ssd = cv * r->smean;
	}
	if (flat_get_number(f[F_DPER], &r->dper) < 0) {
		snprintf(why, whysize, "demand_periods: not a number");
		return -1;
	}
	if (r->as_of == NO_DATE && o->simulate > 0) {
		snprintf(why, whysize, "as_of: missing (--simulate reads backtest rows)");
		return -1;
	}
	/* The lumps' excess as a rate (nc-forecast(1), "One-off requests and
	 * lumps"): the excess over the history's periods, a period. */
	if (flat_get_number(f[F_LUMPS], &lumps) < 0 || flat_get_number(f[F_OODEM], &oodem) < 0 ||
	    flat_get_number(f[F_HPER], &hper) < 0) {
		snprintf(why, whysize, "lumps, one_off_demand, history_periods: not numbers");
		return -1;
	}
	/* As a compound term: lumps/hper a period, each of oodem/lumps. */
	if (r->one_off == 0 && lumps > 0 && oodem > 0 && hper >= 1) {
		r->lump_rate = oodem / hper;
		r->lump_var = oodem * oodem / (hper * lumps);
	}
	return 0;
}
