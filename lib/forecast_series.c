/*
 * forecast_series.c: records into regular series per key (see
 * forecast_series.h).  Owner: nc-forecast.
 */
#include <err.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "flat.h"
#include "flatget.h"
#include "forecast_series.h"
#include "nc.h"
#include "ndjson.h"

const char *const fc_attr_names[FC_NATTR] = {
	"item_name", "category", "family", "supplier_id", "site_id", "cost",
	"current_stock", "lead_time_days", "lead_time_std", "stock_status"
};

void
fc_set_init(struct fc_set *set)
{
	memset(set, 0, sizeof(*set));
	set->all_month_start = 1;
}

void
fc_set_release(struct fc_set *set)
{
	for (size_t i = 0; i < set->n; i++) {
		struct fc_series *s = set->s[i];
		free(s->id);
		free(s->hid);
		free(s->keyjson);
		free(s->obs);
		free(s->xv);
		for (int a = 0; a < FC_NATTR; a++)
			free(s->attr[a]);
		free(s->y);
		free(s->x);
		free(s);
	}
	free(set->s);
	free(set->tab);
	extsort_release(&set->es);
}

static uint64_t
hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static void
rehash(struct fc_set *set)
{
	size_t cap = set->tabcap ? set->tabcap * 2 : 1024;

	free(set->tab);
	set->tab = xcalloc(cap, sizeof(size_t));
	set->tabcap = cap;
	for (size_t i = 0; i < set->n; i++) {
		size_t j = hash(set->s[i]->hid) & (cap - 1);
		while (set->tab[j] != 0)
			j = (j + 1) & (cap - 1);
		set->tab[j] = i + 1;
	}
}

static struct fc_series *
lookup(struct fc_set *set, const char *hid, const char *id, const char *keyjson)
{
	size_t j;
	struct fc_series *s;

	if ((set->n + 1) * 2 > set->tabcap)
		rehash(set);
	j = hash(hid) & (set->tabcap - 1);
	while (set->tab[j] != 0) {
		s = set->s[set->tab[j] - 1];
		if (strcmp(s->hid, hid) == 0)
			return s;
		j = (j + 1) & (set->tabcap - 1);
	}
	s = xcalloc(1, sizeof(*s));
	s->idx = set->n;
	s->hid = xstrdup(hid);
	s->id = xstrdup(id);
	s->keyjson = xstrdup(keyjson);
	s->attr_date = LONG_MIN;
	s->introduced = LONG_MIN;
	if (set->n == set->cap) {
		set->cap = set->cap ? set->cap * 2 : 256;
		set->s = xrealloc(set->s, set->cap * sizeof(*set->s));
	}
	set->s[set->n++] = s;
	set->tab[j] = set->n;
	return s;
}

/* The field named key, or NULL. */
static const struct flat_field *
field(const struct flat *fl, const char *key)
{
	return flat_get(fl, key, strlen(key));
}

static void
reject(struct rejects *rej, const char *line, size_t len, struct input *in,
    const char *why)
{
	char w[8];
	json_t *o = ndjson_parse(line, len, w, sizeof(w));

	reject_record(rej, o, line, in->name, in->lineno, why);
	json_decref(o);
}

static void
add_obs(struct fc_series *s, long date, double qty, double lt, const double *xv,
    size_t k)
{
	if (s->nobs == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->obs = xrealloc(s->obs, s->cap * sizeof(*s->obs));
		if (k > 0)
			s->xv = xrealloc(s->xv, s->cap * k * sizeof(double));
	}
	s->obs[s->nobs].date = date;
	s->obs[s->nobs].qty = qty;
	s->obs[s->nobs].lt = lt;
	if (k > 0)
		memcpy(s->xv + s->nobs * k, xv, k * sizeof(double));
	s->nobs++;
}

/* An observation as it is sorted: the series' index (big-endian), then
 * this, then k exogenous values. */
struct obs_rec {
	long date;
	double qty, lt;
};

static void
spill_obs(struct fc_set *set, struct fc_series *s, long date, double qty, double lt,
    const double *xv)
{
	struct obs_rec r = { date, qty, lt };
	unsigned char key[8];
	char pay[sizeof(r) + 64 * sizeof(double)];

	for (int i = 0; i < 8; i++)
		key[i] = (unsigned char)((uint64_t)s->idx >> (56 - 8 * i));
	memcpy(pay, &r, sizeof(r));
	if (set->k > 0)
		memcpy(pay + sizeof(r), xv, set->k * sizeof(double));
	extsort_add(&set->es, key, sizeof(key), pay, sizeof(r) + set->k * sizeof(double));
	s->count++;
}

static void
note_date(struct fc_set *set, long d)
{
	int y, m, dd, wd = date_iso_weekday(d);

	date_to_ymd(d, &y, &m, &dd);
	if (dd != 1)
		set->all_month_start = 0;
	if (set->wday == 0)
		set->wday = wd;
	else if (set->wday != wd)
		set->wday = -1;
	if (!set->have_date || d > set->max_date)
		set->max_date = d;
	if (!set->have_date || d < set->min_date)
		set->min_date = d;
	set->have_date = 1;
	set->ndates++;
}

/* One record; returns NULL or the reason to reject it. */
static const char *
record(struct fc_set *set, const struct flat *fl, const struct fc_read_opts *o,
    char *why, size_t whysize)
{
	struct strbuf id = { 0 }, hid = { 0 }, kj = { 0 };
	const struct flat_field *f;
	struct fc_series *s;
	double qty = NAN, lt, xv[64];
	long date, intro = LONG_MIN;
	int st;

	for (size_t i = 0; i < o->nkeys; i++) {
		f = field(fl, o->keys[i]);
		/* A null key value (a row without a site) is a group of its own. */
		if (f == NULL || (f->type != FLAT_STRING && f->type != FLAT_NUMBER &&
		    f->type != FLAT_NULL)) {
			snprintf(why, whysize, "%s: %s", o->keys[i], f == NULL ? "missing" :
			    "not a string or number");
			goto bad;
		}
		if (i > 0) {
			strbuf_addc(&id, '|');
			strbuf_addc(&hid, '\037');
			strbuf_addc(&kj, ',');
		}
		if (f->type != FLAT_NULL) {
			strbuf_add(&id, f->val, f->vlen);
			strbuf_add(&hid, f->val, f->vlen);
		} else
			strbuf_addc(&hid, '\036');
		ndjson_dump_string(&kj, o->keys[i], strlen(o->keys[i]));
		strbuf_addc(&kj, ':');
		flat_dump_value(&kj, f);
	}
	f = field(fl, "date");
	if (f == NULL || f->type != FLAT_STRING || date_parse_n(f->val, f->vlen, &date) != 0) {
		snprintf(why, whysize, "date: %s", f == NULL ? "missing" : "not a date");
		goto bad;
	}
	f = field(fl, o->target);
	if (f == NULL || (st = flat_get_number(f, &qty)) < 0 || (st == 1 && qty < 0)) {
		snprintf(why, whysize, "%s: %s", o->target, f == NULL ? "missing" :
		    st < 0 ? "not a number" : "negative");
		goto bad;
	}
	if (st == 0)
		qty = NAN;
	for (size_t j = 0; j < o->k; j++) {
		f = field(fl, o->exog[j]);
		if ((st = flat_get_number(f, &xv[j])) < 0) {
			snprintf(why, whysize, "%s: not a number", o->exog[j]);
			goto bad;
		}
		if (st == 0)
			xv[j] = NAN;
	}
	f = field(fl, "lead_time_days");
	if (f == NULL || flat_get_number(f, &lt) != 1 || !(lt >= 0))
		lt = NAN;
	f = field(fl, "introduced");
	if (f != NULL && f->type != FLAT_NULL && (f->type != FLAT_STRING ||
	    date_parse_n(f->val, f->vlen, &intro) != 0)) {
		snprintf(why, whysize, "introduced: not a date");
		goto bad;
	}
	strbuf_addc(&id, '\0');
	strbuf_addc(&hid, '\0');
	strbuf_addc(&kj, '\0');
	s = lookup(set, hid.s, id.s, kj.s);
	if (intro != LONG_MIN && intro > s->introduced)
		s->introduced = intro;
	spill_obs(set, s, date, qty, lt, xv);
	if (!isnan(qty)) {
		note_date(set, date);
		if (date >= s->attr_date) {
			s->attr_date = date;
			for (int a = 0; a < FC_NATTR; a++) {
				struct strbuf v = { 0 };
				if ((f = field(fl, fc_attr_names[a])) == NULL)
					continue;
				flat_dump_value(&v, f);
				strbuf_addc(&v, '\0');
				free(s->attr[a]);
				s->attr[a] = v.s;
			}
		}
	}
	strbuf_release(&id);
	strbuf_release(&hid);
	strbuf_release(&kj);
	return NULL;
bad:
	strbuf_release(&id);
	strbuf_release(&hid);
	strbuf_release(&kj);
	return why;
}

void
fc_read(struct fc_set *set, struct input *in, const struct fc_read_opts *o,
    struct rejects *rej)
{
	struct flat_field buf[64];
	struct flat fl;
	char *line, why[160];
	size_t len;

	extsort_init(&set->es, &o->sort);
	set->k = o->k;
	flat_init(&fl, buf, 64);
	while (input_next(in, &line, &len) == 1) {
		json_t *obj = NULL;
		const char *bad;

		if (flat_scan(&fl, line, len) != 0) {
			if ((obj = ndjson_parse(line, len, why, sizeof(why))) == NULL) {
				reject_record(rej, NULL, line, in->name, in->lineno, why);
				continue;
			}
			flat_from_json(&fl, obj);
		}
		if ((bad = record(set, &fl, o, why, sizeof(why))) != NULL)
			reject(rej, line, len, in, bad);
		json_decref(obj);
	}
	flat_release(&fl);
	extsort_finish(&set->es);
}

size_t
fc_set_load(struct fc_set *set, size_t lo, size_t maxobs)
{
	size_t hi = lo, sum = 0;

	while (hi < set->n && (hi == lo || sum + set->s[hi]->count <= maxobs))
		sum += set->s[hi++]->count;
	for (size_t i = lo; i < hi; i++) {
		struct fc_series *s = set->s[i];

		for (size_t j = 0; j < s->count; j++) {
			struct extsort_rec rec;
			struct obs_rec r;
			double xv[64];

			if (extsort_next(&set->es, &rec) != 1 || rec.plen != sizeof(r) +
			    set->k * sizeof(double))
				errx(NC_FAIL, "error: the sorted observations ended early");
			memcpy(&r, rec.payload, sizeof(r));
			if (set->k > 0)
				memcpy(xv, rec.payload + sizeof(r), set->k * sizeof(double));
			add_obs(s, r.date, r.qty, r.lt, xv, set->k);
		}
	}
	return hi;
}

void
fc_set_unload(struct fc_set *set, size_t lo, size_t hi)
{
	for (size_t i = lo; i < hi; i++) {
		struct fc_series *s = set->s[i];

		free(s->obs);
		free(s->xv);
		free(s->y);
		free(s->x);
		s->obs = NULL;
		s->xv = s->y = s->x = NULL;
		s->nobs = s->cap = 0;
	}
}

void
fc_set_rewind(struct fc_set *set)
{
	extsort_rewind(&set->es);
}

size_t
fc_lead_times(const struct fc_series *s, long end, double *mean, double *sd)
{
	double sum = 0, sum2 = 0;
	size_t n = 0;

	for (size_t i = 0; i < s->nobs; i++) {
		const struct fc_obs *ob = &s->obs[i];
		if (ob->date < end && ob->qty > 0 && !isnan(ob->lt)) {
			sum += ob->lt;
			sum2 += ob->lt * ob->lt;
			n++;
		}
	}
	*mean = n ? sum / (double)n : NAN;
	*sd = n >= 2 ? sqrt(fmax(0, (sum2 - sum * sum / (double)n) / (double)(n - 1))) : NAN;
	return n;
}

enum fc_period
fc_infer_period(const struct fc_set *set)
{
	if (set->ndates < 2)
		return FC_DAY;
	if (set->all_month_start)
		return FC_MONTH;
	if (set->wday > 0)
		return FC_WEEK;
	return FC_DAY;
}

long
fc_last_period(const struct fc_set *set, enum fc_period p, long as_of)
{
	long st = fc_period_start(p, as_of);

	/* Input already one row per period: its period is whole. */
	if (p == FC_DAY || (p == FC_MONTH && set->all_month_start) ||
	    (p == FC_WEEK && set->wday == 1))
		return st;
	if (fc_period_add(p, st, 1) - 1 == as_of)
		return st;
	return fc_period_add(p, st, -1);
}

/* Index of the period of day d, counted from the period starting at s0. */
static long
period_index(enum fc_period p, long s0, long d)
{
	int y0, m0, y, m, dd;

	switch (p) {
	case FC_WEEK:
		return (fc_period_start(p, d) - s0) / 7;
	case FC_MONTH:
		date_to_ymd(s0, &y0, &m0, &dd);
		date_to_ymd(d, &y, &m, &dd);
		return ((long)y - y0) * 12 + (m - m0);
	default:
		return d - s0;
	}
}

void
fc_regularise(struct fc_series *s, enum fc_period p, long from, long last,
    size_t H, size_t k)
{
	long first = LONG_MAX, end = fc_period_add(p, last, 1);
	size_t rows;
	double *cnt;

	if (s->introduced != LONG_MIN && s->introduced > from)
		from = s->introduced;
	for (size_t i = 0; i < s->nobs; i++)
		if (!isnan(s->obs[i].qty) && s->obs[i].date < end &&
		    s->obs[i].date >= from && s->obs[i].date < first)
			first = s->obs[i].date;
	if (first == LONG_MAX) {
		s->n = 0;
		s->start = end;
	} else {
		s->start = fc_period_start(p, from != LONG_MIN && from < first ? from : first);
		s->n = (size_t)period_index(p, s->start, last) + 1;
	}
	s->y = xcalloc(s->n + 1, sizeof(double));
	for (size_t i = 0; i < s->nobs; i++)
		if (!isnan(s->obs[i].qty) && s->obs[i].date >= s->start && s->obs[i].date < end)
			s->y[period_index(p, s->start, s->obs[i].date)] += s->obs[i].qty;
	if (k == 0)
		return;
	rows = s->n + H;
	s->x = xcalloc(rows * k, sizeof(double));
	cnt = xcalloc(rows * k, sizeof(double));
	for (size_t i = 0; i < s->nobs; i++) {
		long t;
		if (s->obs[i].date < s->start)
			continue;
		t = period_index(p, s->start, s->obs[i].date);
		if (t < 0 || (size_t)t >= rows)
			continue;
		for (size_t j = 0; j < k; j++) {
			double v = s->xv[i * k + j];
			if (isnan(v))
				continue;
			s->x[(size_t)t * k + j] += v;
			cnt[(size_t)t * k + j]++;
		}
	}
	for (size_t j = 0; j < k; j++) {
		double prev = NAN;
		for (size_t t = 0; t < rows; t++) {
			size_t c = t * k + j;
			if (cnt[c] > 0)
				prev = s->x[c] = s->x[c] / cnt[c];
			else
				s->x[c] = prev;
		}
		prev = NAN;      /* leading gaps take the first known value */
		for (size_t t = rows; t-- > 0;) {
			size_t c = t * k + j;
			if (isnan(s->x[c]))
				s->x[c] = prev;
			else
				prev = s->x[c];
		}
	}
	free(cnt);
}
