/*
 * nc-reorder: from the forecast rows of each series (nc-forecast), its
 * safety stock, reorder point, order-up-to level, recommended order, days
 * of cover and projected stockout; with --simulate, the replay of that
 * policy over the backtest's history.  See nc-reorder(1).
 */
#include <err.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "date.h"
#include "flat.h"
#include "flatget.h"
#include "input.h"
#include "nc.h"
#include "ndjson.h"
#include "reject.h"
#include "reorder.h"
#include "reorder_hist.h"
#include "reorder_leadtime.h"

static const char synopsis[] =
    "usage: nc-reorder [-v] [-k keys] [-m max] [-r rejects]\n"
    "                  [--method forecast|classic|on-demand] [--service-level p]\n"
    "                  [--service-levels file] [--lead-time days]\n"
    "                  [--lead-times file] [--delivery days] [--review days]\n"
    "                  [--history file] [--since date] [--stocking file]\n"
    "                  [--min-requests n] [--max-value value]\n"
    "                  [--order-cost cost] [--holding-rate rate]\n"
    "                  [--simulate days] [file ...]\n";

#define MAXKEYS 8
#define NO_DATE LONG_MIN

/* Per-row fields nc-reorder reads, by index. */
enum {
	F_DATE, F_PERIOD, F_MEAN, F_SD, F_CIHI, F_CILEVEL, F_Q50, F_ASOF,
	F_QUANTITY, F_ACTUAL, F_HORIZON, F_PDEM, F_SMEAN, F_SSD, F_SETTLING,
	F_ONEOFF, F_DPER, F_FID,
	/* Attributes: the series' last row gives them. */
	F_ITEM_NAME, F_FAMILY, F_SUPPLIER, F_COST, F_STOCK, F_ONORDER, F_LT, F_LTSTD,
	F_STATUS, F_LTOBS, NFIELDS
};
#define FIRST_ATTR F_ITEM_NAME

static const char *const field_names[NFIELDS] = {
	"date", "period", "forecasted_demand", "forecast_sd", "ci_upper",
	"ci_level", "q50", "as_of", "quantity", "actual_demand", "horizon",
	"p_demand", "size_mean", "size_sd", "settling", "one_off", "demand_periods",
	"forecast_id",
	"item_name", "family", "supplier_id", "cost", "current_stock", "on_order",
	"lead_time_days", "lead_time_std", "stock_status", "lead_time_obs",
};

/* One usable row of a series. */
struct row {
	long date, as_of;
	int ndays;
	double mean, sd, actual;        /* actual: NAN when absent */
	long horizon;
	int history;                    /* a quantity row, not a forecast */
	int settling;                   /* settling: true (not for projections) */
	int one_off;                    /* one_off: -1 absent, 0 false, 1 true */
	double pdem, smean, ssd;        /* p_demand, size_mean, size_sd; NAN absent */
	double dper;                    /* demand_periods; NAN absent */
};

/*
 * The guard against broken uncertainty: a row's sd (forecast_sd, or the
 * one its quantiles or interval imply) above SD_SCALE_MAX times the
 * series' scale, max(1, its largest forecast, its largest actual or
 * history demand), rejects the series.  (A forecast is not judged against
 * the actuals: a backtest's window of them may be all zeros after the
 * spike that the forecast remembers.)  The sd of a demand that is never negative is at most its largest
 * value's order of magnitude; lumpy series of the sample reach 450 times
 * their largest forecast (one request of hundreds after months of
 * nothing), so the bound catches broken numbers (2.09e30), not
 * uncomfortable ones.
 */
#define SD_SCALE_MAX 1000.0

struct series {
	struct strbuf key;              /* "k1json\037k2json" */
	struct strbuf out_keys;         /* "\"item_id\":\"A\"," for the output */
	struct strbuf attr[NFIELDS];    /* JSON text of the last row's attributes */
	int has_attr[NFIELDS];
	struct strbuf first_line;       /* for a series-level reject */
	char *item;                     /* the item_id key's value, or NULL */
	const char *input;
	unsigned long lineno;
	struct row *rows;
	size_t n, cap;
	int active;
	struct rp_hist_series hist;     /* its quantity rows (series_history) */
};

struct opts {
	const char *keys[MAXKEYS];
	size_t klen[MAXKEYS];
	int nkeys;
	enum rp_method method;
	double service_level;
	double delivery;                    /* --delivery */
	json_t *stocking;                   /* --stocking: item -> "estoque"|... */
	double min_requests, max_value;
	struct rp_hist hist;                /* --history */
	int have_hist;
	long first_day;                     /* the data's first day, or NO_DATE */
	json_t *lt_series;                  /* pass 1: key -> [n, sum, sumsq] */
	struct lt_pool pool;
	json_t *sl_items, *sl_families;     /* --service-levels */
	json_t *lt_suppliers;               /* --lead-times */
	double lead_time;                   /* --lead-time, NAN if not given */
	double review;
	double order_cost, holding_rate;
	long simulate;                      /* days, 0: off */
	struct rejects rej;
};

struct totals {
	unsigned long rows, series, out;
	struct rp_sim all;
	double value, cycles_ok;
	int have_value;
};

static struct totals tot;

/* A finished key, to catch a series whose rows are not together. */
struct keyset {
	char **v;
	size_t n, cap;
};

static unsigned long
hash_str(const char *s, size_t n)
{
	unsigned long h = 14695981039346656037UL;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211UL;
	return h;
}

/* Insert key; returns 1 if it was there already. */
static int
keyset_add(struct keyset *ks, const char *s, size_t n)
{
	size_t i;

	if (2 * (ks->n + 1) > ks->cap) {
		struct keyset big = { NULL, 0, ks->cap ? ks->cap * 2 : 1024 };

		big.v = xcalloc(big.cap, sizeof(*big.v));
		for (size_t k = 0; k < ks->cap; k++)
			if (ks->v[k] != NULL) {
				i = hash_str(ks->v[k], strlen(ks->v[k])) & (big.cap - 1);
				while (big.v[i] != NULL)
					i = (i + 1) & (big.cap - 1);
				big.v[i] = ks->v[k];
			}
		big.n = ks->n;
		free(ks->v);
		*ks = big;
	}
	i = hash_str(s, n) & (ks->cap - 1);
	while (ks->v[i] != NULL) {
		if (strlen(ks->v[i]) == n && memcmp(ks->v[i], s, n) == 0)
			return 1;
		i = (i + 1) & (ks->cap - 1);
	}
	ks->v[i] = xstrndup(s, n);
	ks->n++;
	return 0;
}

static void
keyset_release(struct keyset *ks)
{
	for (size_t k = 0; k < ks->cap; k++)
		free(ks->v[k]);
	free(ks->v);
}

static int
fdate(const struct flat_field *f, long *d)
{
	if (f == NULL || f->type == FLAT_NULL)
		return 0;
	if (f->type != FLAT_STRING || date_parse_n(f->val, f->vlen, d) != 0)
		return -1;
	return 1;
}

/* Round to 4 decimals for the output; NAN stays NAN. */
static void
put_num(struct strbuf *sb, const char *name, double x)
{
	char buf[40];
	int n;

	strbuf_add(sb, ",\"", 2);
	strbuf_add(sb, name, strlen(name));
	strbuf_add(sb, "\":", 2);
	if (isfinite(x))
		x = round(x * 1e4) / 1e4 + 0.0;
	n = ndjson_fmt_double(buf, x);
	if (n == 0)
		strbuf_add(sb, "null", 4);
	else
		strbuf_add(sb, buf, (size_t)n);
}

static void
put_int(struct strbuf *sb, const char *name, double x)
{
	char buf[48];

	if (!isfinite(x)) {
		put_num(sb, name, x);
		return;
	}
	snprintf(buf, sizeof(buf), ",\"%s\":%.0f", name, x);
	strbuf_add(sb, buf, strlen(buf));
}

static void
put_str(struct strbuf *sb, const char *name, const char *s)
{
	strbuf_add(sb, ",\"", 2);
	strbuf_add(sb, name, strlen(name));
	strbuf_add(sb, "\":", 2);
	if (s == NULL)
		strbuf_add(sb, "null", 4);
	else
		ndjson_dump_string(sb, s, strlen(s));
}

static void
put_date(struct strbuf *sb, const char *name, long d)
{
	char buf[DATE_BUFSZ];

	if (d == NO_DATE) {
		put_str(sb, name, NULL);
		return;
	}
	date_format(d, buf);
	put_str(sb, name, buf);
}

static void
put_attr(struct strbuf *sb, const struct series *s, int f)
{
	strbuf_add(sb, ",\"", 2);
	strbuf_add(sb, field_names[f], strlen(field_names[f]));
	strbuf_add(sb, "\":", 2);
	if (s->has_attr[f])
		strbuf_add(sb, s->attr[f].s, s->attr[f].len);
	else
		strbuf_add(sb, "null", 4);
}

static double
attr_num(const struct series *s, int f)
{
	struct flat_field ff = { .type = FLAT_NUMBER };
	double d;

	if (!s->has_attr[f])
		return NAN;
	ff.val = s->attr[f].s;
	ff.vlen = s->attr[f].len;
	if (ff.vlen > 0 && ff.val[0] == '"') {
		ff.val++;
		ff.vlen = ff.vlen >= 2 ? ff.vlen - 2 : 0;
	} else if (ff.vlen == 4 && memcmp(ff.val, "null", 4) == 0)
		return NAN;
	return flat_get_number(&ff, &d) == 1 ? d : NAN;
}

/* A string attribute's value as a C string (quotes removed), or NULL. */
static char *
attr_str(const struct series *s, int f)
{
	char why[64];
	json_t *v;
	char *out = NULL;
	struct strbuf sb = { 0 };

	if (!s->has_attr[f])
		return NULL;
	strbuf_add(&sb, "{\"v\":", 5);
	strbuf_add(&sb, s->attr[f].s, s->attr[f].len);
	strbuf_addc(&sb, '}');
	v = ndjson_parse(sb.s, sb.len, why, sizeof(why));
	strbuf_release(&sb);
	if (v != NULL && json_is_string(json_object_get(v, "v")))
		out = xstrdup(json_string_value(json_object_get(v, "v")));
	json_decref(v);
	return out;
}

/* The service level of the series: item, then family, then the default. */
static double
series_service_level(const struct opts *o, const struct series *s, const char *item)
{
	json_t *v;
	char *fam;

	if (item != NULL && o->sl_items && (v = json_object_get(o->sl_items, item)) != NULL)
		return json_real_value(v);
	if (o->sl_families && (fam = attr_str(s, F_FAMILY)) != NULL) {
		v = json_object_get(o->sl_families, fam);
		free(fam);
		if (v != NULL)
			return json_real_value(v);
	}
	return o->service_level;
}

/* A series' lead time, as series_lead_time() makes it. */
struct lt_info {
	double lt, sd;                  /* total: purchase delay + delivery */
	double obs, delay, delivery;    /* observations, pooled delay, delivery */
	const char *prior;              /* what the delay was pooled toward */
};

/* The observations a record gives: lead_time_obs, else 1 (the export's one
 * delay), else LT_GIVEN when it carries lead_time_std (figures of its own);
 * 0 when lead_time_days is null or absent. */
#define LT_GIVEN 30.0

static double
record_lt_obs(double mean, double sd, double obs)
{
	if (isnan(mean) || mean < 0)
		return 0;
	if (!isnan(obs))
		return obs > 0 ? obs : 0;
	return isnan(sd) ? 1 : LT_GIVEN;
}

/*
 * The lead time of a series: --lead-time; else the supplier's whole lead
 * time in --lead-times; else the purchase delay from every observation of
 * the series (pass 1), pooled toward its supplier's and family's
 * (reorder_leadtime.h), plus the delivery (the supplier's delivery_days in
 * --lead-times, else --delivery).
 */
static void
series_lead_time(const struct opts *o, const struct series *s, struct lt_info *li)
{
	char *sup = attr_str(s, F_SUPPLIER), *fam = attr_str(s, F_FAMILY);
	json_t *e = NULL, *own;
	struct lt_est est;
	struct lt_sum ls = { 0, 0, 0 };
	double d, dsd = 0;

	memset(li, 0, sizeof(*li));
	li->delivery = o->delivery;
	if (o->lt_suppliers && sup != NULL)
		e = json_object_get(o->lt_suppliers, sup);
	if (!isnan(o->lead_time) || (e != NULL && json_object_get(e, "lead_time_days"))) {
		li->lt = o->lead_time;
		li->sd = 0;
		if (isnan(o->lead_time)) {
			ndjson_number(json_object_get(e, "lead_time_days"), &li->lt);
			if (ndjson_number(json_object_get(e, "lead_time_std"), &d) == 1 && d >= 0)
				li->sd = d;
			li->prior = "--lead-times";
		} else
			li->prior = "--lead-time";
		li->delay = NAN;
		li->delivery = NAN;
		li->obs = NAN;
		goto out;
	}
	if (e != NULL && ndjson_number(json_object_get(e, "delivery_days"), &d) == 1) {
		li->delivery = d;
		if (ndjson_number(json_object_get(e, "delivery_std"), &d) == 1 && d >= 0)
			dsd = d;
	}
	if (o->lt_series != NULL) {
		char *k = xstrndup(s->key.s, s->key.len);

		if ((own = json_object_get(o->lt_series, k)) != NULL) {
			ls.n = json_real_value(json_array_get(own, 0));
			ls.sum = json_real_value(json_array_get(own, 1));
			ls.sumsq = json_real_value(json_array_get(own, 2));
		}
		free(k);
	}
	lt_pool_estimate(&o->pool, sup, fam, lt_sum_mean(&ls), lt_sum_sd(&ls), ls.n, &est);
	li->obs = ls.n;
	li->delay = est.mean;
	li->prior = est.weight < 1 ? est.prior : "series";
	li->lt = est.mean + li->delivery;
	li->sd = sqrt(est.sd * est.sd + dsd * dsd);
out:
	free(sup);
	free(fam);
}

static void
series_reject(struct opts *o, struct series *s, const char *reason)
{
	json_t *rec = ndjson_parse(s->first_line.s, s->first_line.len, NULL, 0);

	reject_record(&o->rej, rec, rec ? NULL : s->first_line.s, s->input, s->lineno, reason);
	json_decref(rec);
}

static int
row_cmp(const void *pa, const void *pb)
{
	const struct row *a = pa, *b = pb;

	if (a->as_of != b->as_of)
		return a->as_of < b->as_of ? -1 : 1;
	if (a->date != b->date)
		return a->date < b->date ? -1 : 1;
	return (a->horizon > b->horizon) - (a->horizon < b->horizon);
}

/* The latest origin, or the last history date when no row has as_of. */
static long
series_as_of(const struct series *s)
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

/* The series' history: --history's, else its own quantity rows. */
static const struct rp_hist_series *
series_history(const struct opts *o, struct series *s)
{
	if (o->have_hist) {
		static const struct rp_hist_series none = { NULL, NULL, 0, 0 };
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
static long
window_first(const struct opts *o, const struct rp_hist_series *h)
{
	long first = o->first_day;

	for (size_t i = 0; first == NO_DATE && h != NULL && i < h->n; i++)
		if (first == NO_DATE || h->date[i] < first)
			first = h->date[i];
	return first;
}

/* The classic profile: every day of [first, as_of], zeros counted. */
static void
classic_profile(struct rp_profile *p, const struct rp_hist_series *h, long first, long as_of)
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
static int
hist_occurrence(const struct rp_hist_series *h, long first, long as_of, int ndays,
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

static void
params_of(const struct opts *o, const struct series *s, double lt, double lt_sd,
    double sl, struct rp_params *par)
{
	memset(par, 0, sizeof(*par));
	par->method = o->method;
	par->lt = lt;
	par->lt_sd = lt_sd;
	par->service_level = sl;
	par->review = o->review;
	par->stock = attr_num(s, F_STOCK);
	if (isnan(par->stock))
		par->stock = 0;
	par->on_order = attr_num(s, F_ONORDER);
	if (isnan(par->on_order))
		par->on_order = 0;
	par->order_cost = o->order_cost;
	par->holding_rate = o->holding_rate;
	par->unit_cost = attr_num(s, F_COST);
}

/* The policy of a series at one origin (its rows r[0, n)). */
struct policy {
	struct rp_result res;
	struct rp_params par;
	long first;                     /* the profile's first day */
	const char *model;              /* compound, normal, classic, none */
	const char *stocking, *reason;
	char why[128];
	double requests_year;           /* expected demand occurrences a year */
	double pending;                 /* settling rows' actual demand */
	double d12;                     /* demand of the 12 months to as_of; NAN */
	int ondemand, occ_from_history;
};

/*
 * Compute the policy.  Returns 0, or -1 with a reason in pol->why.
 * The forecast method reads the rows that are not settling; rows without
 * p_demand take the occurrence x size of the history when there is one.
 */
static int
series_policy(const struct opts *o, struct series *s, const struct row *r, size_t n,
    long as_of, const struct lt_info *li, double sl, struct rp_profile *p,
    struct policy *pol)
{
	const struct rp_hist_series *h = NULL;
	double pdem = NAN, smean = NAN, ssd = NAN, dper = NAN, oneoff = -1, days;
	long first = NO_DATE;
	int ndays = 0;

	memset(pol, 0, sizeof(*pol));
	pol->requests_year = NAN;
	pol->d12 = NAN;
	params_of(o, s, li->lt, li->sd, sl, &pol->par);
	if (o->method == RP_CLASSIC || o->method == RP_FORECAST) {
		h = series_history(o, s);
		first = window_first(o, h);
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
		classic_profile(p, h, first, as_of);
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
		    hist_occurrence(h, first, as_of, ndays, &pdem, &smean, &ssd, &dper) == 0)
			pol->occ_from_history = 1;
		for (size_t i = 0; i < n; i++) {
			const struct row *x = &r[i];

			if (x->settling)
				continue;
			if (!isnan(x->pdem) && !isnan(x->smean))
				rp_profile_add_compound(p, x->date, x->ndays, x->mean, x->sd,
				    x->pdem, x->smean, x->ssd);
			else if (!x->history && pol->occ_from_history)
				rp_profile_add_compound(p, x->date, x->ndays, x->mean, x->sd,
				    pdem, smean, ssd);
			else
				rp_profile_add(p, x->date, x->ndays, x->mean, x->sd);
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
			pol->stocking = json_string_value(v);
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
		} else if (isnan(pol->requests_year))
			pol->reason = "no occurrence data";
		else if (pol->requests_year < o->min_requests) {
			pol->stocking = "sob encomenda";
			snprintf(pol->why, sizeof(pol->why), "%.2g requests a year, under "
			    "--min-requests %g", pol->requests_year, o->min_requests);
			pol->reason = pol->why;
		} else if (o->max_value > 0 && pp_value > o->max_value &&
		    pol->requests_year * pol->res.protection / 365 < 1) {
			pol->stocking = "sob encomenda";
			snprintf(pol->why, sizeof(pol->why), "reorder point worth %.0f over "
			    "--max-value, under 1 request a lead time", pp_value);
			pol->reason = pol->why;
		} else {
			snprintf(pol->why, sizeof(pol->why), "%.2g requests a year",
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

static const char *
stock_status(const struct series *s, double stock, int *known)
{
	*known = s->has_attr[F_STATUS] && !(s->attr[F_STATUS].len == 4 &&
	    memcmp(s->attr[F_STATUS].s, "null", 4) == 0);
	if (*known)
		return NULL;
	if (isnan(attr_num(s, F_STOCK)))
		return NULL;
	return stock <= 0 ? "OUT_OF_STOCK" : stock <= 10 ? "LOW_STOCK" : "OK";
}

/* The latest origin's first row (history rows have no origin). */
static size_t
latest_rows(struct series *s, long as_of)
{
	size_t lo = 0;

	qsort(s->rows, s->n, sizeof(*s->rows), row_cmp);
	while (lo < s->n && s->rows[lo].as_of != NO_DATE && s->rows[lo].as_of < as_of)
		lo++;
	return lo;
}

static void
emit_policy(struct opts *o, struct series *s, const struct lt_info *li, double sl)
{
	struct rp_profile p = RP_PROFILE_INIT;
	struct policy pol;
	struct rp_result *res = &pol.res;
	struct strbuf sb = { 0 };
	long as_of = series_as_of(s), so = NO_DATE;
	size_t lo = latest_rows(s, as_of);
	const char *st, *note = NULL;
	double d12, odq = 0;
	int known;

	if (series_policy(o, s, s->rows + lo, s->n - lo, as_of, li, sl, &p, &pol) != 0) {
		rp_profile_release(&p);
		series_reject(o, s, pol.why);
		return;
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
			put_attr(&sb, s, f);
	put_date(&sb, "as_of", as_of);
	put_str(&sb, "method", o->method == RP_CLASSIC ? "classic" :
	    o->method == RP_ONDEMAND ? "on-demand" : "forecast");
	put_str(&sb, "stocking", pol.stocking);
	put_str(&sb, "stocking_reason", pol.reason);
	put_str(&sb, "demand_model", pol.model);
	put_num(&sb, "current_stock", isnan(attr_num(s, F_STOCK)) ? NAN : pol.par.stock);
	put_num(&sb, "on_order", pol.par.on_order);
	put_num(&sb, "lead_time_days", li->lt);
	put_num(&sb, "lead_time_std", li->sd);
	put_num(&sb, "lead_time_obs", li->obs);
	put_num(&sb, "purchase_delay_days", li->delay);
	put_num(&sb, "delivery_days", li->delivery);
	put_str(&sb, "lead_time_pooled", li->prior);
	put_num(&sb, "service_level", sl);
	put_num(&sb, "z", res->z);
	put_num(&sb, "avg_daily_demand", res->avg_daily_demand);
	put_num(&sb, "daily_demand_sd", res->daily_sd);
	put_num(&sb, "requests_per_year", pol.requests_year);
	put_num(&sb, "lead_time_demand", res->lead_time_demand);
	put_num(&sb, "protection_days", res->protection);
	put_num(&sb, "protection_demand", res->protection_demand);
	put_num(&sb, "safety_stock", res->safety_stock);
	put_num(&sb, "reorder_point", res->reorder_point);
	put_num(&sb, "review_days", o->review);
	put_num(&sb, "eoq", res->eoq);
	put_num(&sb, "order_up_to", res->order_up_to);
	put_int(&sb, "recommended_order_qty", res->order_qty);
	put_int(&sb, "order_on_demand_qty", odq);
	put_num(&sb, "demand_12m", d12);
	put_str(&sb, "order_note", note);
	put_num(&sb, "days_of_cover", res->days_of_cover);
	put_date(&sb, "stockout_date", so);
	st = stock_status(s, pol.par.stock, &known);
	if (known)
		put_attr(&sb, s, F_STATUS);
	else
		put_str(&sb, "stock_status", st);
	strbuf_add(&sb, "}\n", 2);
	nc_write(stdout, sb.s, sb.len);
	tot.out++;
	strbuf_release(&sb);
	rp_profile_release(&p);
}

/* Add a/n to days [0, n) of the window at offset off (horizon h wins the day
 * over longer horizons). */
static void
spread_actual(double *act, long *ah, long wlen, long off, const struct row *r)
{
	for (int i = 0; i < r->ndays; i++) {
		long t = off + i;

		if (t < 0 || t >= wlen || r->horizon >= ah[t])
			continue;
		act[t] = r->actual / r->ndays;
		ah[t] = r->horizon;
	}
}

static void
put_sim(struct strbuf *sb, const struct rp_sim *r, double value)
{
	put_int(sb, "days", (double)r->days);
	put_int(sb, "cycles", (double)r->cycles);
	put_int(sb, "stockout_cycles", (double)r->stockout_cycles);
	put_num(sb, "cycle_service_level", r->cycle_service_level);
	put_num(sb, "fill_rate", r->fill_rate);
	put_int(sb, "stockout_days", (double)r->stockout_days);
	put_int(sb, "orders", (double)r->orders);
	put_num(sb, "demand", r->demand);
	put_num(sb, "served", r->served);
	put_num(sb, "avg_stock", r->avg_stock);
	put_num(sb, "avg_stock_value", value);
}

static void
emit_simulation(struct opts *o, struct series *s, const struct lt_info *li, double sl)
{
	struct rp_profile p = RP_PROFILE_INIT;
	struct policy pol;
	struct rp_sim sim;
	struct strbuf sb = { 0 };
	long amax = NO_DATE, wlen = o->simulate, w0, missing = 0, nstock = 0, nod = 0;
	double *act, *pp, *S, *cap, init = NAN, before_pp = NAN, before_cap = NAN, cost, value;
	unsigned char *od, before_od = 0;
	long *ah;
	size_t i, j;

	qsort(s->rows, s->n, sizeof(*s->rows), row_cmp);
	for (i = 0; i < s->n; i++)
		if (!isnan(s->rows[i].actual) && s->rows[i].date + s->rows[i].ndays - 1 > amax)
			amax = s->rows[i].date + s->rows[i].ndays - 1;
	if (amax == NO_DATE) {
		series_reject(o, s, "--simulate: no actual_demand (backtest rows needed)");
		return;
	}
	w0 = amax - wlen + 1;
	act = xcalloc((size_t)wlen, sizeof(*act));
	pp = xcalloc((size_t)wlen, sizeof(*pp));
	S = xcalloc((size_t)wlen, sizeof(*S));
	ah = xcalloc((size_t)wlen, sizeof(*ah));
	od = xcalloc((size_t)wlen, 2);  /* od[t]; od[wlen + t]: set by an origin */
	cap = xcalloc((size_t)wlen, sizeof(*cap));
	for (long t = 0; t < wlen; t++) {
		pp[t] = S[t] = cap[t] = NAN;
		ah[t] = LONG_MAX;
	}
	for (i = 0; i < s->n; i = j) {
		for (j = i; j < s->n && s->rows[j].as_of == s->rows[i].as_of; j++)
			if (!isnan(s->rows[j].actual) && !s->rows[j].settling)
				spread_actual(act, ah, wlen, s->rows[j].date - w0, &s->rows[j]);
		/* The policy set at the end of day as_of, with what was known then. */
		long t = s->rows[i].as_of - w0;

		if (s->rows[i].as_of == NO_DATE || t >= wlen)
			continue;
		if (series_policy(o, s, s->rows + i, j - i, s->rows[i].as_of, li, sl, &p,
		    &pol) != 0) {
			if (o->method == RP_CLASSIC) {
				series_reject(o, s, pol.why);
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
	    o->review >= 1 ? (long)o->review : 1, isnan(init) ? 0 : ceil(init), &sim);
	cost = attr_num(s, F_COST);
	value = isnan(cost) ? NAN : sim.avg_stock * cost;
	strbuf_addc(&sb, '{');
	strbuf_add(&sb, s->out_keys.s, s->out_keys.len);
	put_str(&sb, "scope", "item");
	put_str(&sb, "method", o->method == RP_CLASSIC ? "classic" :
	    o->method == RP_ONDEMAND ? "on-demand" : "forecast");
	put_date(&sb, "from", w0);
	put_date(&sb, "to", amax);
	put_num(&sb, "lead_time_days", li->lt);
	put_num(&sb, "service_level", sl);
	put_num(&sb, "review_days", o->review);
	put_num(&sb, "initial_stock", isnan(init) ? 0 : ceil(init));
	put_int(&sb, "origins_in_stock", (double)nstock);
	put_int(&sb, "origins_on_demand", (double)nod);
	put_sim(&sb, &sim, value);
	put_int(&sb, "orders_on_demand", (double)sim.ondemand_orders);
	put_int(&sb, "missing_actual_days", (double)missing);
	strbuf_add(&sb, "}\n", 2);
	nc_write(stdout, sb.s, sb.len);
	tot.out++;
	tot.all.days += sim.days;
	tot.all.cycles += sim.cycles;
	tot.all.stockout_cycles += sim.stockout_cycles;
	tot.all.stockout_days += sim.stockout_days;
	tot.all.orders += sim.orders;
	tot.all.ondemand_orders += sim.ondemand_orders;
	tot.all.demand += sim.demand;
	tot.all.served += sim.served;
	tot.all.avg_stock += sim.avg_stock;
	if (!isnan(value)) {
		tot.value += value;
		tot.have_value = 1;
	}
out:
	strbuf_release(&sb);
	rp_profile_release(&p);
	free(act);
	free(pp);
	free(S);
	free(ah);
	free(od);
	free(cap);
}

static void
emit_overall(void)
{
	struct strbuf sb = { 0 };
	struct rp_sim *a = &tot.all;

	a->cycle_service_level = a->cycles ? (double)(a->cycles - a->stockout_cycles) / a->cycles : NAN;
	a->fill_rate = a->demand > 0 ? a->served / a->demand : NAN;
	strbuf_add(&sb, "{\"scope\":\"overall\"", 18);
	put_int(&sb, "series", (double)tot.out);
	put_sim(&sb, a, tot.have_value ? tot.value : NAN);
	strbuf_add(&sb, "}\n", 2);
	/* "days" is the sum of the series' days; avg_stock the sum of theirs. */
	nc_write(stdout, sb.s, sb.len);
	strbuf_release(&sb);
}

/*
 * The series' numbers against SD_SCALE_MAX (see there).  Returns NULL, or
 * the reason to reject the series, in why.
 */
static const char *
series_insane(const struct series *s, char *why, size_t whysize)
{
	double fmax = 0, hmax = NAN, scale;
	char d[DATE_BUFSZ];

	for (size_t i = 0; i < s->n; i++) {
		const struct row *r = &s->rows[i];
		double h = r->history ? r->mean : r->actual;

		if (!r->history && r->mean > fmax)
			fmax = r->mean;
		if (!isnan(h) && !(h <= hmax))
			hmax = h;
	}
	scale = fmax > 1 ? fmax : 1;
	if (!isnan(hmax) && hmax > scale)
		scale = hmax;
	for (size_t i = 0; i < s->n; i++)
		if (s->rows[i].sd > SD_SCALE_MAX * scale) {
			date_format(s->rows[i].date, d);
			snprintf(why, whysize, "forecast_sd %g (%s) is over %g x the series' "
			    "scale %g (its largest forecast or demand, at least 1): a broken forecast",
			    s->rows[i].sd, d, SD_SCALE_MAX, scale);
			return why;
		}
	return NULL;
}

static void
series_finish(struct opts *o, struct series *s)
{
	struct lt_info li;
	double sl;
	char why[256];

	if (!s->active)
		return;
	s->active = 0;
	tot.series++;
	s->hist.n = 0;
	series_lead_time(o, s, &li);
	if (!(li.lt >= 0)) {
		series_reject(o, s, "lead_time_days: missing (give --lead-time or --lead-times)");
		return;
	}
	if (series_insane(s, why, sizeof(why)) != NULL) {
		series_reject(o, s, why);
		return;
	}
	sl = series_service_level(o, s, s->item);
	if (o->simulate > 0)
		emit_simulation(o, s, &li, sl);
	else
		emit_policy(o, s, &li, sl);
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

/* Read one row into the current series.  Returns NULL, or a reject reason. */
static const char *
take_row(struct opts *o, struct series *s, struct keyset *done, const struct flat *fl,
    const char *line, size_t len, const char *input, unsigned long lineno, char *why,
    size_t whysize)
{
	const struct flat_field *f[NFIELDS] = { 0 };
	struct strbuf key = { 0 }, outk = { 0 };
	struct row r = { .as_of = NO_DATE, .actual = NAN, .horizon = 0, .one_off = -1,
		.pdem = NAN, .smean = NAN, .ssd = NAN, .dper = NAN };
	double h;
	const struct flat_field *period;

	static size_t field_len[NFIELDS];

	if (field_len[0] == 0)
		for (int k = 0; k < NFIELDS; k++)
			field_len[k] = strlen(field_names[k]);
	for (size_t i = 0; i < fl->n; i++)
		for (int k = 0; k < NFIELDS; k++)
			if (fl->f[i].klen == field_len[k] && fl->f[i].key[0] == field_names[k][0] &&
			    memcmp(fl->f[i].key, field_names[k], fl->f[i].klen) == 0) {
				f[k] = &fl->f[i];
				break;
			}
	for (int k = 0; k < o->nkeys; k++) {
		const struct flat_field *kf = flat_get(fl, o->keys[k], o->klen[k]);

		/* A null key value (a row without a site) is a value of its own,
		 * as in nc-store and nc-forecast. */
		if (kf == NULL || (kf->type != FLAT_STRING && kf->type != FLAT_NUMBER &&
		    kf->type != FLAT_NULL)) {
			snprintf(why, whysize, "%.*s: %s", (int)o->klen[k], o->keys[k],
			    kf == NULL ? "missing" : "not a string, number or null");
			goto bad;
		}
		if (k > 0) {
			strbuf_addc(&key, '\037');
			strbuf_addc(&outk, ',');
		}
		flat_dump_value(&key, kf);
		ndjson_dump_string(&outk, o->keys[k], o->klen[k]);
		strbuf_addc(&outk, ':');
		flat_dump_value(&outk, kf);
	}
	if (fdate(f[F_DATE], &r.date) != 1) {
		snprintf(why, whysize, "date: %s", f[F_DATE] ? "not a date" : "missing");
		goto bad;
	}
	if (fdate(f[F_ASOF], &r.as_of) < 0) {
		snprintf(why, whysize, "as_of: not a date");
		goto bad;
	}
	period = f[F_PERIOD];
	if (period == NULL || period->type == FLAT_NULL)
		r.ndays = 1;
	else if (period->type != FLAT_STRING ||
	    (r.ndays = rp_period_days(period->val, period->vlen, r.date)) < 0) {
		snprintf(why, whysize, "period: not day, week or month");
		goto bad;
	}
	if (f[F_MEAN] != NULL && f[F_MEAN]->type != FLAT_NULL) {
		if (flat_get_number(f[F_MEAN], &r.mean) != 1 || r.mean < 0) {
			snprintf(why, whysize, "forecasted_demand: not a number >= 0");
			goto bad;
		}
		if (row_sd(fl, f, r.mean, &r.sd, why, whysize) != 0)
			goto bad;
	} else if (flat_get_number(f[F_QUANTITY], &r.mean) == 1) {
		r.sd = 0;               /* a history row (item-day, feature) */
		r.history = 1;
	} else {
		snprintf(why, whysize, "forecasted_demand: missing");
		goto bad;
	}
	if (flat_get_number(f[F_ACTUAL], &r.actual) < 0) {
		snprintf(why, whysize, "actual_demand: not a number");
		goto bad;
	}
	if (flat_get_number(f[F_HORIZON], &h) == 1)
		r.horizon = (long)h;
	r.settling = f[F_SETTLING] != NULL && f[F_SETTLING]->type == FLAT_TRUE;
	if (f[F_ONEOFF] != NULL && (f[F_ONEOFF]->type == FLAT_TRUE || f[F_ONEOFF]->type == FLAT_FALSE))
		r.one_off = f[F_ONEOFF]->type == FLAT_TRUE;
	if (flat_get_number(f[F_PDEM], &r.pdem) < 0 || (!isnan(r.pdem) && !(r.pdem >= 0 && r.pdem <= 1))) {
		snprintf(why, whysize, "p_demand: not a number in [0, 1]");
		goto bad;
	}
	if (flat_get_number(f[F_SMEAN], &r.smean) < 0 || r.smean < 0 ||
	    flat_get_number(f[F_SSD], &r.ssd) < 0 || r.ssd < 0) {
		snprintf(why, whysize, "size_mean, size_sd: not numbers >= 0");
		goto bad;
	}
	if (flat_get_number(f[F_DPER], &r.dper) < 0) {
		snprintf(why, whysize, "demand_periods: not a number");
		goto bad;
	}
	if (r.as_of == NO_DATE && o->simulate > 0) {
		snprintf(why, whysize, "as_of: missing (--simulate reads backtest rows)");
		goto bad;
	}
	/* A new series? */
	if (!s->active || key.len != s->key.len || memcmp(key.s, s->key.s, key.len) != 0) {
		series_finish(o, s);
		if (keyset_add(done, key.s, key.len))
			errx(NC_FAIL, "error: %s:%lu: rows of series %s are not together "
			    "(sort the input by %.*s)", input, lineno, outk.s,
			    (int)o->klen[0], o->keys[0]);
		s->key.len = s->out_keys.len = s->first_line.len = 0;
		strbuf_add(&s->key, key.s, key.len);
		strbuf_add(&s->out_keys, outk.s, outk.len);
		strbuf_add(&s->first_line, line, len);
		s->input = input;
		s->lineno = lineno;
		s->n = 0;
		s->active = 1;
		free(s->item);
		s->item = NULL;
		for (int k = 0; k < o->nkeys; k++) {
			const struct flat_field *kf = flat_get(fl, o->keys[k], o->klen[k]);

			if (o->klen[k] == 7 && memcmp(o->keys[k], "item_id", 7) == 0 &&
			    kf->type != FLAT_NULL)
				s->item = xstrndup(kf->val, kf->vlen);
		}
		memset(s->has_attr, 0, sizeof(s->has_attr));
	}
	for (int k = FIRST_ATTR; k < NFIELDS; k++) {
		if (f[k] == NULL)
			continue;
		s->attr[k].len = 0;
		flat_dump_value(&s->attr[k], f[k]);
		s->has_attr[k] = 1;
	}
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 64;
		s->rows = xrealloc(s->rows, s->cap * sizeof(*s->rows));
	}
	s->rows[s->n++] = r;
	strbuf_release(&key);
	strbuf_release(&outk);
	return NULL;
bad:
	strbuf_release(&key);
	strbuf_release(&outk);
	return why;
}

/* The spooled copy of stdin, read twice; its rows are "stdin"'s. */
static char *spool_path;

static const char *
input_label(const struct input *in)
{
	return spool_path != NULL && in->name == spool_path ? "stdin" : in->name;
}

/* The sub-series of a row: its forecast_id without "|as_of|horizon" (the
 * rows of the sites rolled up into one key), else the key alone. */
static void
sub_series(const struct flat *fl, const struct strbuf *key, struct strbuf *sub)
{
	const struct flat_field *f = flat_get(fl, "forecast_id", 11);

	sub->len = 0;
	strbuf_add(sub, key->s, key->len);
	strbuf_addc(sub, '\036');
	if (f != NULL && f->type == FLAT_STRING) {
		size_t n = f->vlen;

		for (int bars = 0; n > 0 && bars < 2; n--)
			if (f->val[n - 1] == '|' && ++bars == 2)
				break;
		if (n > 0)
			strbuf_add(sub, f->val, n - 1);
	}
}

struct lt_row {
	double mean, sd, obs;
	char *supplier, *family;
};

static void
lt_row_flush(struct opts *o, struct lt_row *lr, const struct strbuf *key)
{
	double n = record_lt_obs(lr->mean, lr->sd, lr->obs);
	char *k;
	json_t *a;
	struct lt_sum s = { 0, 0, 0 };

	if (key->len > 0 && n > 0) {
		lt_pool_add(&o->pool, lr->supplier, lr->family, lr->mean, lr->sd, n);
		k = xstrndup(key->s, key->len);
		if ((a = json_object_get(o->lt_series, k)) != NULL) {
			s.n = json_real_value(json_array_get(a, 0));
			s.sum = json_real_value(json_array_get(a, 1));
			s.sumsq = json_real_value(json_array_get(a, 2));
		}
		lt_sum_add(&s, lr->mean, lr->sd, n);
		json_object_set_new(o->lt_series, k, json_pack("[fff]", s.n, s.sum, s.sumsq));
		free(k);
	}
	free(lr->supplier);
	free(lr->family);
	memset(lr, 0, sizeof(*lr));
}

static char *
flat_str(const struct flat *fl, const char *name)
{
	const struct flat_field *f = flat_get(fl, name, strlen(name));

	return f != NULL && f->type == FLAT_STRING ? xstrndup(f->val, f->vlen) : NULL;
}

/*
 * Pass 1: the lead-time observations of every series (sub-series of a
 * roll-up each once, from its last row) into o->pool and o->lt_series,
 * and the first day of the history rows.  Rows it cannot read are left
 * for pass 2 to reject.
 */
static void
pass1(struct opts *o, int argc, char **argv)
{
	struct input in;
	struct flat_field buf[64];
	struct flat fl;
	struct strbuf key = { 0 }, sub = { 0 }, prev = { 0 }, prevkey = { 0 };
	struct lt_row lr = { 0 };
	char *line;
	size_t len;
	long first = NO_DATE;

	o->lt_series = json_object();
	flat_init(&fl, buf, sizeof(buf) / sizeof(*buf));
	input_init(&in, argc, argv);
	while (input_next(&in, &line, &len) == 1) {
		json_t *rec = NULL;
		const struct flat_field *df;
		double x;
		long d;
		int bad;

		if (flat_scan(&fl, line, len) != 0) {
			if ((rec = ndjson_parse(line, len, NULL, 0)) == NULL)
				continue;
			flat_from_json(&fl, rec);
		}
		if (rp_record_key(&fl, o->keys, o->klen, o->nkeys, &key, &bad) == 0) {
			sub_series(&fl, &key, &sub);
			if (sub.len != prev.len || memcmp(sub.s, prev.s, sub.len) != 0) {
				lt_row_flush(o, &lr, &prevkey);
				prev.len = prevkey.len = 0;
				strbuf_add(&prev, sub.s, sub.len);
				strbuf_add(&prevkey, key.s, key.len);
			}
			lr.mean = lr.sd = lr.obs = NAN;
			if (flat_get_number(flat_get(&fl, "lead_time_days", 14), &x) == 1)
				lr.mean = x;
			if (flat_get_number(flat_get(&fl, "lead_time_std", 13), &x) == 1)
				lr.sd = x;
			if (flat_get_number(flat_get(&fl, "lead_time_obs", 13), &x) == 1)
				lr.obs = x;
			free(lr.supplier);
			free(lr.family);
			lr.supplier = flat_str(&fl, "supplier_id");
			lr.family = flat_str(&fl, "family");
			df = flat_get(&fl, "date", 4);
			if (flat_get(&fl, "forecasted_demand", 17) == NULL &&
			    flat_get(&fl, "quantity", 8) != NULL && df != NULL &&
			    df->type == FLAT_STRING && date_parse_n(df->val, df->vlen, &d) == 0 &&
			    (first == NO_DATE || d < first))
				first = d;
		}
		flat_release(&fl);
		json_decref(rec);
	}
	lt_row_flush(o, &lr, &prevkey);
	input_release(&in);
	if (o->first_day == NO_DATE)
		o->first_day = first;
	strbuf_release(&key);
	strbuf_release(&sub);
	strbuf_release(&prev);
	strbuf_release(&prevkey);
}

/* Copy stdin to a file, so that it can be read twice; "-" names it. */
static void
spool_stdin(int argc, char **argv)
{
	const char *tmp = getenv("TMPDIR");
	char buf[65536];
	size_t n;
	FILE *fp;
	int fd;

	if (tmp == NULL || *tmp == '\0')
		tmp = "/tmp";
	spool_path = xmalloc(strlen(tmp) + 32);
	sprintf(spool_path, "%s/nc-reorder.XXXXXX", tmp);
	if ((fd = mkstemp(spool_path)) == -1 || (fp = fdopen(fd, "w")) == NULL)
		err(NC_FAIL, "%s", spool_path);
	while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0)
		if (fwrite(buf, 1, n, fp) != n)
			err(NC_FAIL, "%s", spool_path);
	if (ferror(stdin))
		err(NC_FAIL, "stdin: read error");
	if (fclose(fp) != 0)
		err(NC_FAIL, "%s", spool_path);
	for (int i = 0; i < argc; i++)
		if (strcmp(argv[i], "-") == 0)
			argv[i] = spool_path;
}

static void
run(struct opts *o, struct input *in)
{
	struct series s = { 0 };
	struct keyset done = { 0 };
	struct flat_field buf[64];
	struct flat fl;
	char *line, why[256];
	size_t len;

	flat_init(&fl, buf, sizeof(buf) / sizeof(*buf));
	while (input_next(in, &line, &len) == 1) {
		json_t *rec = NULL;
		const char *reason = NULL;

		tot.rows++;
		if (flat_scan(&fl, line, len) != 0) {
			if ((rec = ndjson_parse(line, len, why, sizeof(why))) == NULL)
				reason = why;
			else
				flat_from_json(&fl, rec);
		}
		if (reason == NULL)
			reason = take_row(o, &s, &done, &fl, line, len, input_label(in),
			    in->lineno, why, sizeof(why));
		if (reason != NULL) {
			json_t *r = rec ? json_incref(rec) : ndjson_parse(line, len, NULL, 0);

			reject_record(&o->rej, r, r ? NULL : line, input_label(in), in->lineno,
			    reason);
			json_decref(r);
		}
		json_decref(rec);
		flat_release(&fl);
	}
	series_finish(o, &s);
	if (o->simulate > 0 && tot.out > 0)
		emit_overall();
	strbuf_release(&s.key);
	strbuf_release(&s.out_keys);
	strbuf_release(&s.first_line);
	for (int k = 0; k < NFIELDS; k++)
		strbuf_release(&s.attr[k]);
	free(s.rows);
	free(s.item);
	free(s.hist.date);
	free(s.hist.qty);
	keyset_release(&done);
}

/* A service level: a fraction 0 < p < 1, or a percent "95%"; a bare
 * number of 1 or more (is "1" 1% or 100%?) is a usage error. */
static double
parse_level(const char *s, const char *what)
{
	char *end;
	double p = strtod(s, &end);

	if (end == s || (*end != '\0' && strcmp(end, "%") != 0))
		errx(NC_USAGE, "%s: not a number: '%s'", what, s);
	if (*end == '%')
		p /= 100;
	else if (p >= 1)
		errx(NC_USAGE, "%s: '%s' is ambiguous: give a fraction (0.95) or a percent (95%%)",
		    what, s);
	if (!(p > 0 && p < 1))
		errx(NC_USAGE, "%s: not a level in (0, 1) or (0%%, 100%%): '%s'", what, s);
	return p;
}

/*
 * --lead-times FILE: lines {"supplier_id": S, "lead_time_days": N,
 * "lead_time_std": N} (the whole lead time) or {"supplier_id": S,
 * "delivery_days": N, "delivery_std": N} (delivery on top of the delay).
 */
static json_t *
read_lead_times(const char *path)
{
	struct input in;
	char *names[1] = { (char *)path }, *line, why[256];
	size_t len;
	json_t *t = json_object();

	input_init(&in, 1, names);
	while (input_next(&in, &line, &len) == 1) {
		json_t *o = ndjson_parse(line, len, why, sizeof(why)), *k;
		double a = NAN, b = NAN, x;
		int ok = 1;

		if (o == NULL)
			errx(NC_USAGE, "%s:%lu: %s", path, in.lineno, why);
		k = json_object_get(o, "supplier_id");
		if (json_object_get(o, "lead_time_days"))
			ok = ndjson_number(json_object_get(o, "lead_time_days"), &a) == 1 && a >= 0;
		if (json_object_get(o, "delivery_days"))
			ok = ok && ndjson_number(json_object_get(o, "delivery_days"), &b) == 1 && b >= 0;
		if (json_object_get(o, "lead_time_std"))
			ok = ok && ndjson_number(json_object_get(o, "lead_time_std"), &x) == 1 && x >= 0;
		if (json_object_get(o, "delivery_std"))
			ok = ok && ndjson_number(json_object_get(o, "delivery_std"), &x) == 1 && x >= 0;
		if (!json_is_string(k) || !ok || (isnan(a) && isnan(b))) {
			json_decref(o);
			json_decref(t);
			errx(NC_USAGE, "%s:%lu: needs a string supplier_id and a number >= 0 "
			    "lead_time_days or delivery_days", path, in.lineno);
		}
		json_object_set(t, json_string_value(k), o);
		json_decref(o);
	}
	if (input_release(&in) != NC_OK)
		exit(NC_USAGE);
	return t;
}

/* --stocking FILE: lines {"item_id": I, "stocking": "estoque" | "sob encomenda"}. */
static json_t *
read_stocking(const char *path)
{
	struct input in;
	char *names[1] = { (char *)path }, *line, why[256];
	size_t len;
	json_t *t = json_object();

	input_init(&in, 1, names);
	while (input_next(&in, &line, &len) == 1) {
		json_t *o = ndjson_parse(line, len, why, sizeof(why)), *k, *v;

		if (o == NULL)
			errx(NC_USAGE, "%s:%lu: %s", path, in.lineno, why);
		k = json_object_get(o, "item_id");
		v = json_object_get(o, "stocking");
		if (!json_is_string(k) || !json_is_string(v) ||
		    (strcmp(json_string_value(v), "estoque") != 0 &&
		    strcmp(json_string_value(v), "sob encomenda") != 0)) {
			json_decref(o);
			json_decref(t);
			errx(NC_USAGE, "%s:%lu: needs a string item_id and stocking "
			    "\"estoque\" or \"sob encomenda\"", path, in.lineno);
		}
		json_object_set(t, json_string_value(k), v);
		json_decref(o);
	}
	if (input_release(&in) != NC_OK)
		exit(NC_USAGE);
	return t;
}

static double
parse_pos(const char *s, const char *what, int allow_zero)
{
	char *end;
	double d = strtod(s, &end);

	if (end == s || *end != '\0' || !isfinite(d) || d < 0 || (!allow_zero && d == 0))
		errx(NC_USAGE, "%s: not a number %s 0: '%s'", what, allow_zero ? ">=" : ">", s);
	return d;
}

/*
 * Read an NDJSON side file: each line an object with a string field
 * keyfield (or altfield) and a number valfield; into *by_key (and
 * *by_alt), mapping the key to the value (or, with whole, the object).
 */
static void
read_side_file(const char *path, const char *keyfield, const char *altfield,
    const char *valfield, json_t **by_key, json_t **by_alt, int whole, int is_level)
{
	struct input in;
	char *names[1] = { (char *)path }, *line, why[256];
	size_t len;

	*by_key = json_object();
	if (by_alt)
		*by_alt = json_object();
	input_init(&in, 1, names);
	while (input_next(&in, &line, &len) == 1) {
		json_t *o = ndjson_parse(line, len, why, sizeof(why)), *k, *v, **dst = by_key;
		double d;

		if (o == NULL)
			errx(NC_USAGE, "%s:%lu: %s", path, in.lineno, why);
		k = json_object_get(o, keyfield);
		if (k == NULL && altfield != NULL) {
			k = json_object_get(o, altfield);
			dst = by_alt;
		}
		v = json_object_get(o, valfield);
		if (!json_is_string(k) || ndjson_number(v, &d) != 1) {
			json_decref(o);	/* exits below: no leak for LeakSanitizer */
			errx(NC_USAGE, "%s:%lu: needs a string %s%s%s and a number %s", path,
			    in.lineno, keyfield, altfield ? " or " : "", altfield ? altfield : "",
			    valfield);
		}
		if (is_level && d >= 1 && d < 100)
			d /= 100;
		if (is_level ? !(d > 0 && d < 1) : d < 0) {
			json_decref(o);
			errx(NC_USAGE, "%s:%lu: %s: %s", path, in.lineno, valfield,
			    is_level ? "not in (0, 1)" : "negative");
		}
		if (whole) {
			json_object_set_new(o, valfield, json_real(d));
			json_object_set(*dst, json_string_value(k), o);
		} else
			json_object_set_new(*dst, json_string_value(k), json_real(d));
		json_decref(o);
	}
	if (input_release(&in) != NC_OK)
		exit(NC_USAGE);
}

static void
parse_keys(struct opts *o, char *keys)
{
	for (char *p = strtok(keys, ","); p != NULL; p = strtok(NULL, ",")) {
		if (o->nkeys == MAXKEYS)
			errx(NC_USAGE, "-k: at most %d keys", MAXKEYS);
		o->keys[o->nkeys] = p;
		o->klen[o->nkeys++] = strlen(p);
	}
	if (o->nkeys == 0)
		errx(NC_USAGE, "-k: no key");
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "method", required_argument, NULL, 'M' },
		{ "service-level", required_argument, NULL, 's' },
		{ "service-levels", required_argument, NULL, 'S' },
		{ "lead-time", required_argument, NULL, 'l' },
		{ "lead-times", required_argument, NULL, 'L' },
		{ "review", required_argument, NULL, 'R' },
		{ "order-cost", required_argument, NULL, 'O' },
		{ "holding-rate", required_argument, NULL, 'H' },
		{ "simulate", required_argument, NULL, 'X' },
		{ "delivery", required_argument, NULL, 'D' },
		{ "history", required_argument, NULL, 'Y' },
		{ "since", required_argument, NULL, 'N' },
		{ "stocking", required_argument, NULL, 'K' },
		{ "min-requests", required_argument, NULL, 'Q' },
		{ "max-value", required_argument, NULL, 'W' },
		{ NULL, 0, NULL, 0 }
	};
	struct opts o = {
		.service_level = 0.95, .lead_time = NAN, .review = 7, .method = RP_FORECAST,
		.delivery = 7, .min_requests = 2, .first_day = NO_DATE,
	};
	const char *hist_file = NULL, *stock_file = NULL;
	int use_stdin;
	struct input in;
	const char *reject_path = NULL, *sl_file = NULL, *lt_file = NULL;
	char keys[256] = "item_id";
	long max_rejects = 0;
	int ch, rval;

	nc_init(argv[0]);
	gsl_set_error_handler_off();
	while ((ch = getopt_long(argc, argv, "hk:m:r:vV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'k':
			if (strlen(optarg) >= sizeof(keys))
				errx(NC_USAGE, "-k: too long");
			strcpy(keys, optarg);
			break;
		case 'M':
			if (strcmp(optarg, "forecast") == 0)
				o.method = RP_FORECAST;
			else if (strcmp(optarg, "classic") == 0)
				o.method = RP_CLASSIC;
			else if (strcmp(optarg, "on-demand") == 0)
				o.method = RP_ONDEMAND;
			else
				errx(NC_USAGE, "--method: forecast, classic or on-demand, not '%s'",
				    optarg);
			break;
		case 'D':
			o.delivery = parse_pos(optarg, "--delivery", 1);
			break;
		case 'Y':
			hist_file = optarg;
			break;
		case 'N':
			if (date_parse(optarg, &o.first_day) != 0)
				errx(NC_USAGE, "--since: not a date: '%s'", optarg);
			break;
		case 'K':
			stock_file = optarg;
			break;
		case 'Q':
			o.min_requests = parse_pos(optarg, "--min-requests", 1);
			break;
		case 'W':
			o.max_value = parse_pos(optarg, "--max-value", 1);
			break;
		case 's':
			o.service_level = parse_level(optarg, "--service-level");
			break;
		case 'S':
			sl_file = optarg;
			break;
		case 'l':
			o.lead_time = parse_pos(optarg, "--lead-time", 1);
			break;
		case 'L':
			lt_file = optarg;
			break;
		case 'R':
			o.review = parse_pos(optarg, "--review", 1);
			break;
		case 'O':
			o.order_cost = parse_pos(optarg, "--order-cost", 0);
			break;
		case 'H':
			o.holding_rate = parse_pos(optarg, "--holding-rate", 0);
			break;
		case 'X':
			o.simulate = nc_parse_long(optarg, 1, 100000, "--simulate");
			break;
		default:
			/* -h, -V, -v, -m, -r, or a usage error */
			nc_filter_option(ch, optarg, synopsis, &max_rejects, &reject_path);
		}
	}
	argc -= optind;
	argv += optind;
	if ((o.order_cost > 0) != (o.holding_rate > 0))
		errx(NC_USAGE, "--order-cost and --holding-rate go together");
	parse_keys(&o, keys);
	if (sl_file != NULL)
		read_side_file(sl_file, "item_id", "family", "service_level", &o.sl_items,
		    &o.sl_families, 0, 1);
	if (lt_file != NULL)
		o.lt_suppliers = read_lead_times(lt_file);
	if (stock_file != NULL)
		o.stocking = read_stocking(stock_file);
	if (hist_file != NULL) {
		rp_hist_load(&o.hist, hist_file, o.keys, o.klen, o.nkeys);
		o.have_hist = 1;
		if (o.first_day == NO_DATE && o.hist.n > 0)
			o.first_day = o.hist.first;
	}
	rejects_open(&o.rej, reject_path, max_rejects);
	/* Two passes (lead-time pools, then the series): stdin is spooled. */
	use_stdin = argc == 0;
	for (int i = 0; i < argc; i++)
		use_stdin |= strcmp(argv[i], "-") == 0;
	if (argc == 0) {
		static char *dash[] = { "-", NULL };

		argc = 1;
		argv = dash;
	}
	if (use_stdin)
		spool_stdin(argc, argv);
	lt_pool_init(&o.pool);
	if (isnan(o.lead_time))
		pass1(&o, argc, argv);
	input_init(&in, argc, argv);
	run(&o, &in);
	rval = input_release(&in);
	if (spool_path != NULL) {
		unlink(spool_path);
		free(spool_path);
	}
	nc_close_stdout();
	if (nc_verbose)
		fprintf(stderr, "%s: %lu rows in, %lu series, %lu out, %lu rejected\n",
		    nc_progname, tot.rows, tot.series, tot.out, o.rej.count);
	rval = nc_worst(rval, rejects_close(&o.rej));
	json_decref(o.sl_items);
	json_decref(o.sl_families);
	json_decref(o.lt_suppliers);
	json_decref(o.stocking);
	json_decref(o.lt_series);
	lt_pool_release(&o.pool);
	if (o.have_hist)
		rp_hist_release(&o.hist);
	return rval;
}
