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

#include "date.h"
#include "flat.h"
#include "flatget.h"
#include "input.h"
#include "nc.h"
#include "ndjson.h"
#include "reject.h"
#include "reorder.h"

static const char synopsis[] =
    "usage: nc-reorder [-v] [-k keys] [-m max] [-r rejects]\n"
    "                  [--method forecast|classic] [--service-level p]\n"
    "                  [--service-levels file] [--lead-time days]\n"
    "                  [--lead-times file] [--review days] [--order-cost cost]\n"
    "                  [--holding-rate rate] [--simulate days] [file ...]\n";

#define MAXKEYS 8
#define NO_DATE LONG_MIN

/* Per-row fields nc-reorder reads, by index. */
enum {
	F_DATE, F_PERIOD, F_MEAN, F_SD, F_CIHI, F_CILEVEL, F_Q50, F_ASOF,
	F_QUANTITY, F_ACTUAL, F_HORIZON,
	/* Attributes: the series' last row gives them. */
	F_ITEM_NAME, F_FAMILY, F_SUPPLIER, F_COST, F_STOCK, F_ONORDER, F_LT, F_LTSTD,
	F_STATUS, NFIELDS
};
#define FIRST_ATTR F_ITEM_NAME

static const char *const field_names[NFIELDS] = {
	"date", "period", "forecasted_demand", "forecast_sd", "ci_upper",
	"ci_level", "q50", "as_of", "quantity", "actual_demand", "horizon",
	"item_name", "family", "supplier_id", "cost", "current_stock", "on_order",
	"lead_time_days", "lead_time_std", "stock_status",
};

/* One usable row of a series. */
struct row {
	long date, as_of;
	int ndays;
	double mean, sd, actual;        /* actual: NAN when absent */
	long horizon;
	int history;                    /* a quantity row, not a forecast */
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
};

struct opts {
	const char *keys[MAXKEYS];
	size_t klen[MAXKEYS];
	int nkeys;
	enum rp_method method;
	double service_level;
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

/* The lead time: --lead-time, else the supplier's in --lead-times, else
 * the record's.  Returns 0, or -1 with none known. */
static int
series_lead_time(const struct opts *o, const struct series *s, double *lt, double *lt_sd)
{
	char *sup;
	json_t *e;

	*lt_sd = attr_num(s, F_LTSTD);
	if (isnan(*lt_sd) || *lt_sd < 0)
		*lt_sd = 0;
	if (!isnan(o->lead_time)) {
		*lt = o->lead_time;
		return 0;
	}
	if (o->lt_suppliers && (sup = attr_str(s, F_SUPPLIER)) != NULL) {
		e = json_object_get(o->lt_suppliers, sup);
		free(sup);
		if (e != NULL) {
			double d;

			ndjson_number(json_object_get(e, "lead_time_days"), lt);
			if (ndjson_number(json_object_get(e, "lead_time_std"), &d) == 1 && d >= 0)
				*lt_sd = d;
			return 0;
		}
	}
	*lt = attr_num(s, F_LT);
	return isnan(*lt) || *lt < 0 ? -1 : 0;
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

static void
profile_of(struct rp_profile *p, const struct row *r, size_t n)
{
	rp_profile_clear(p);
	for (size_t i = 0; i < n; i++)
		rp_profile_add(p, r[i].date, r[i].ndays, r[i].mean, r[i].sd);
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

static void
emit_policy(struct opts *o, struct series *s, double lt, double lt_sd, double sl)
{
	struct rp_profile p = RP_PROFILE_INIT;
	struct rp_params par;
	struct rp_result res;
	struct strbuf sb = { 0 };
	long as_of = series_as_of(s), first, so = NO_DATE;
	size_t lo = 0;
	const char *st;
	int known;

	qsort(s->rows, s->n, sizeof(*s->rows), row_cmp);
	/* Only the latest origin's rows (history rows have no origin). */
	while (lo < s->n && s->rows[lo].as_of != NO_DATE && s->rows[lo].as_of < as_of)
		lo++;
	profile_of(&p, s->rows + lo, s->n - lo);
	first = p.first;
	params_of(o, s, lt, lt_sd, sl, &par);
	if (rp_compute(&p, &par, &res) != 0) {
		rp_profile_release(&p);
		series_reject(o, s, "no demand rows");
		return;
	}
	if (res.stockout_day >= 0)
		so = (o->method == RP_CLASSIC ? as_of + 1 : first) + res.stockout_day;
	strbuf_addc(&sb, '{');
	strbuf_add(&sb, s->out_keys.s, s->out_keys.len);
	for (int f = F_ITEM_NAME; f <= F_COST; f++)
		if (s->has_attr[f])
			put_attr(&sb, s, f);
	put_date(&sb, "as_of", as_of);
	put_str(&sb, "method", o->method == RP_CLASSIC ? "classic" : "forecast");
	put_num(&sb, "current_stock", isnan(attr_num(s, F_STOCK)) ? NAN : par.stock);
	put_num(&sb, "on_order", par.on_order);
	put_num(&sb, "lead_time_days", lt);
	put_num(&sb, "lead_time_std", lt_sd);
	put_num(&sb, "service_level", sl);
	put_num(&sb, "z", res.z);
	put_num(&sb, "avg_daily_demand", res.avg_daily_demand);
	put_num(&sb, "daily_demand_sd", res.daily_sd);
	put_num(&sb, "lead_time_demand", res.lead_time_demand);
	put_num(&sb, "safety_stock", res.safety_stock);
	put_num(&sb, "reorder_point", res.reorder_point);
	put_num(&sb, "review_days", o->review);
	put_num(&sb, "eoq", res.eoq);
	put_num(&sb, "order_up_to", res.order_up_to);
	put_int(&sb, "recommended_order_qty", res.order_qty);
	put_num(&sb, "days_of_cover", res.days_of_cover);
	put_date(&sb, "stockout_date", so);
	st = stock_status(s, par.stock, &known);
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
emit_simulation(struct opts *o, struct series *s, double lt, double lt_sd, double sl)
{
	struct rp_profile p = RP_PROFILE_INIT;
	struct rp_params par;
	struct rp_result res;
	struct rp_sim sim;
	struct strbuf sb = { 0 };
	long amax = NO_DATE, wlen = o->simulate, w0, missing = 0;
	double *act, *pp, *S, init = NAN, before_pp = NAN, cost, value;
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
	for (long t = 0; t < wlen; t++) {
		pp[t] = S[t] = NAN;
		ah[t] = LONG_MAX;
	}
	params_of(o, s, lt, lt_sd, sl, &par);
	for (i = 0; i < s->n; i = j) {
		for (j = i; j < s->n && s->rows[j].as_of == s->rows[i].as_of; j++)
			if (!isnan(s->rows[j].actual))
				spread_actual(act, ah, wlen, s->rows[j].date - w0, &s->rows[j]);
		/* The policy set at the end of day as_of. */
		long t = s->rows[i].as_of - w0;

		if (s->rows[i].as_of == NO_DATE || t >= wlen)
			continue;
		profile_of(&p, s->rows + i, j - i);
		if (rp_compute(&p, &par, &res) != 0)
			continue;
		if (t < 0) {            /* the latest before the window sets the start */
			init = res.order_up_to;
			before_pp = res.reorder_point;
			continue;
		}
		pp[t] = res.reorder_point;
		S[t] = res.order_up_to;
	}
	/* A day without an origin of its own keeps the latest policy (weekly
	 * or monthly forecasts set one a period). */
	for (long t = 0; t < wlen; t++) {
		missing += ah[t] == LONG_MAX;
		if (isnan(init) && !isnan(S[t]))
			init = S[t];
		if (isnan(pp[t])) {
			pp[t] = t > 0 ? pp[t - 1] : before_pp;
			S[t] = t > 0 ? S[t - 1] : init;
		}
	}
	rp_simulate((size_t)wlen, act, pp, S, (long)ceil(lt - 1e-9),
	    o->review >= 1 ? (long)o->review : 1, isnan(init) ? 0 : ceil(init), &sim);
	cost = attr_num(s, F_COST);
	value = isnan(cost) ? NAN : sim.avg_stock * cost;
	strbuf_addc(&sb, '{');
	strbuf_add(&sb, s->out_keys.s, s->out_keys.len);
	put_str(&sb, "scope", "item");
	put_date(&sb, "from", w0);
	put_date(&sb, "to", amax);
	put_num(&sb, "lead_time_days", lt);
	put_num(&sb, "service_level", sl);
	put_num(&sb, "review_days", o->review >= 1 ? o->review : 1);
	put_num(&sb, "initial_stock", isnan(init) ? 0 : ceil(init));
	put_sim(&sb, &sim, value);
	put_int(&sb, "missing_actual_days", (double)missing);
	strbuf_add(&sb, "}\n", 2);
	nc_write(stdout, sb.s, sb.len);
	tot.out++;
	tot.all.days += sim.days;
	tot.all.cycles += sim.cycles;
	tot.all.stockout_cycles += sim.stockout_cycles;
	tot.all.stockout_days += sim.stockout_days;
	tot.all.orders += sim.orders;
	tot.all.demand += sim.demand;
	tot.all.served += sim.served;
	tot.all.avg_stock += sim.avg_stock;
	if (!isnan(value)) {
		tot.value += value;
		tot.have_value = 1;
	}
	strbuf_release(&sb);
	rp_profile_release(&p);
	free(act);
	free(pp);
	free(S);
	free(ah);
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
	double lt, lt_sd, sl;
	char why[256];

	if (!s->active)
		return;
	s->active = 0;
	tot.series++;
	if (series_lead_time(o, s, &lt, &lt_sd) != 0) {
		series_reject(o, s, "lead_time_days: missing (give --lead-time or --lead-times)");
		return;
	}
	if (series_insane(s, why, sizeof(why)) != NULL) {
		series_reject(o, s, why);
		return;
	}
	sl = series_service_level(o, s, s->item);
	if (o->simulate > 0)
		emit_simulation(o, s, lt, lt_sd, sl);
	else
		emit_policy(o, s, lt, lt_sd, sl);
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
	struct row r = { .as_of = NO_DATE, .actual = NAN, .horizon = 0 };
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
			reason = take_row(o, &s, &done, &fl, line, len, in->name, in->lineno,
			    why, sizeof(why));
		if (reason != NULL) {
			json_t *r = rec ? json_incref(rec) : ndjson_parse(line, len, NULL, 0);

			reject_record(&o->rej, r, r ? NULL : line, in->name, in->lineno, reason);
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
	keyset_release(&done);
}

static double
parse_level(const char *s, const char *what)
{
	char *end;
	double p = strtod(s, &end);

	if (end == s || *end != '\0')
		errx(NC_USAGE, "%s: not a number: '%s'", what, s);
	if (p >= 1 && p < 100)
		p /= 100;               /* 95 means 95% */
	if (!(p > 0 && p < 1))
		errx(NC_USAGE, "%s: not a level in (0, 1) or (0, 100): '%s'", what, s);
	return p;
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
		{ NULL, 0, NULL, 0 }
	};
	struct opts o = {
		.service_level = 0.95, .lead_time = NAN, .review = 7, .method = RP_FORECAST,
	};
	struct input in;
	const char *reject_path = NULL, *sl_file = NULL, *lt_file = NULL;
	char keys[256] = "item_id";
	long max_rejects = 0;
	int ch, rval;

	nc_init(argv[0]);
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
			else
				errx(NC_USAGE, "--method: forecast or classic, not '%s'", optarg);
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
		read_side_file(lt_file, "supplier_id", NULL, "lead_time_days", &o.lt_suppliers,
		    NULL, 1, 0);
	rejects_open(&o.rej, reject_path, max_rejects);
	input_init(&in, argc, argv);
	run(&o, &in);
	rval = input_release(&in);
	nc_close_stdout();
	if (nc_verbose)
		fprintf(stderr, "%s: %lu rows in, %lu series, %lu out, %lu rejected\n",
		    nc_progname, tot.rows, tot.series, tot.out, o.rej.count);
	rval = nc_worst(rval, rejects_close(&o.rej));
	json_decref(o.sl_items);
	json_decref(o.sl_families);
	json_decref(o.lt_suppliers);
	return rval;
}
