/*
 * nc-features: turn item-day records into a regular time series per key
 * with the seed's calendar, lag and rolling features (dbt model
 * int_item_features), holidays and exogenous data.  See nc-features(1).
 */
#include <err.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "date.h"
#include "features_exog.h"
#include "features_fmt.h"
#include "features_window.h"
#include "flat.h"
#include "flatget.h"
#include "holidays.h"
#include "input.h"
#include "keyprefix.h"
#include "nc.h"
#include "ndjson.h"
#include "parmap.h"
#include "psort.h"
#include "reject.h"

static const char synopsis[] =
    "usage: nc-features [-v] [--sorted] [--no-fill] [-k keys] [-t field] [-m max]\n"
    "                   [-r rejects] [--period day|week|month] [--from date]\n"
    "                   [--max-periods n] [--until date]\n"
    "                   [--dup sum|reject] [--holidays national|bahia|salvador]\n"
    "                   [--holidays-file file] [--exog file] [--station code]\n"
    "                   [--threads n] [file ...]\n"
    "\n"
    "Regular series per key, with calendar, lag, rolling and exogenous features.\n"
    "  -k keys               the fields that name a series (default item_id)\n"
    "  -t field              the target field (default quantity)\n"
    "  -m max                rejects allowed before exit status 3 (default 0)\n"
    "  -r file               write each reject there, with its reason\n"
    "  -v                    counts of records in, rows out, filled, rejected\n"
    "      --sorted          input ordered by key, date: stream it\n"
    "      --no-fill         keep the rows as they come: no filled periods\n"
    "      --period p        day (default), week or month\n"
    "      --from date       fill every series from date\n"
    "      --until date      fill every series up to date\n"
    "      --max-periods n   the longest gap filled, in periods (default 5000)\n"
    "      --dup sum|reject  what records of one key and date do\n"
    "      --holidays cal    national, bahia or salvador (default salvador)\n"
    "      --holidays-file f more holidays, one YYYY-MM-DD a line\n"
    "      --exog file       join weather or economic records (repeatable)\n"
    "      --station code    the weather station to join\n"
    "      --threads n       parser threads (default: processors, at most 4)\n"
    "  -h, --help            this help\n"
    "  -V, --version         the version\n"
    "Old spelling, kept for one release: -y (now -t).  See nc-features(1).\n";

enum period { P_DAY, P_WEEK, P_MONTH };

/* The fields nc-features writes: dropped from the input records. */
#define F(name) { name, sizeof(name) - 1 }
static const struct {
	const char *name;
	size_t len;
} feature_names[] = {
	F("year"), F("month"), F("quarter"), F("day"), F("day_of_week"), F("day_of_year"),
	F("month_sin"), F("month_cos"), F("day_of_week_sin"), F("day_of_week_cos"),
	F("is_weekend"), F("is_month_start"), F("is_month_end"), F("is_holiday"),
	F("days_to_holiday"), F("lag_1"), F("lag_7"), F("lag_30"), F("rolling_mean_7"),
	F("rolling_std_7"), F("rolling_mean_30"), F("filled"),
};
#undef F

#define NFEATURES (sizeof(feature_names) / sizeof(*feature_names))

struct opts {
	char **keys;
	int nkeys;
	const char *target;
	size_t target_len;
	enum period period;
	int fill;               /* not --no-fill */
	int sorted;             /* --sorted: stream */
	int dup_reject;         /* --dup reject */
	long until;             /* --until, or LONG_MIN */
	long from;              /* --from, the data's first day, or LONG_MIN */
	long max_periods;       /* --max-periods: the longest fill */
	struct holidays hol;
	struct exog exog;
	struct rejects rej;
};

/*
 * What map_record() produces for a good record, ahead of its key and its
 * template (the record as JSON without the closing brace and without the
 * fields nc-features owns; the date's and the target's values at known
 * places, to be replaced).
 */
struct rowhdr {
	long day;
	double y;
	int ynull;
	size_t klen, tlen;
	size_t date_at, date_len;       /* the date's value in the template */
	size_t y_at, y_len;             /* the target's value */
};

struct run;
static const struct opts *run_opts(const void *ctx);

/* ---------- worker side: one line to a row ---------- */

static int
owned(const struct opts *o, const char *k, size_t len)
{
	/* Most input fields start with a letter no feature starts with. */
	switch (len > 0 ? *k : 0) {
	case 'd': case 'f': case 'i': case 'l': case 'm': case 'q': case 'r': case 'y':
		break;
	default:
		return o->exog.ncol > 0 && exog_has_column(&o->exog, k, len);
	}
	for (size_t i = 0; i < NFEATURES; i++)
		if (feature_names[i].len == len && feature_names[i].name[0] == *k &&
		    memcmp(feature_names[i].name, k, len) == 0)
			return 1;
	return o->exog.ncol > 0 && exog_has_column(&o->exog, k, len);
}

/* Key values joined by US (037); NULL and a reason when one is missing. */
static const char *
make_key(const struct opts *o, const struct flat *fl, struct strbuf *out, char *why,
    size_t size)
{
	for (int i = 0; i < o->nkeys; i++) {
		const struct flat_field *f = flat_get(fl, o->keys[i], strlen(o->keys[i]));

		int null = f == NULL || f->type == FLAT_NULL;

		/* The first key field is required; a null other one is a value
		 * of its own (RS), as in nc-forecast. */
		if ((i == 0 && null) ||
		    (!null && f->type != FLAT_STRING && f->type != FLAT_NUMBER)) {
			snprintf(why, size, "%s: %s", o->keys[i],
			    null ? "missing key" : "not a string or number");
			return why;
		}
		if (i > 0)
			strbuf_addc(out, '\037');
		if (null)
			strbuf_addc(out, '\036');
		else
			strbuf_add(out, f->val, f->vlen);
	}
	return NULL;
}

static int
in_line(const char *p, const char *line, size_t len)
{
	return (uintptr_t)p >= (uintptr_t)line && (uintptr_t)p < (uintptr_t)line + len;
}

/*
 * Is the line, without its closing brace, the template make_row() would
 * build?  It is when no field is dropped, no string had escapes (decoded
 * ones live in the view's arena) and the line has no blanks (its length is
 * that of the fields dumped again): then dumping its fields gives back its
 * bytes, and one copy does.
 */
static int
line_is_template(const struct opts *o, const struct flat *fl, const struct flat_field *t,
    const char *line, size_t len)
{
	size_t want = 1 + fl->n;        /* braces and commas */

	if (line == NULL || t == NULL || t->type != FLAT_NUMBER)
		return 0;
	for (size_t i = 0; i < fl->n; i++) {
		const struct flat_field *f = &fl->f[i];

		if ((f != t && owned(o, f->key, f->klen)) || !in_line(f->key, line, len))
			return 0;
		want += f->klen + 3;
		switch (f->type) {
		case FLAT_STRING:
			if (!in_line(f->val, line, len))
				return 0;
			want += f->vlen + 2;
			break;
		case FLAT_NUMBER:
			want += f->vlen;
			break;
		case FLAT_TRUE:
		case FLAT_NULL:
			want += 4;
			break;
		case FLAT_FALSE:
			want += 5;
			break;
		default:
			return 0;
		}
	}
	return want == len;
}

/* line: the line fl was scanned from, or NULL (parsed by jansson). */
static const char *
make_row(const struct opts *o, const struct flat *fl, const char *line, size_t len,
    struct strbuf *out, char *why, size_t size)
{
	const struct flat_field *d = flat_get(fl, "date", 4);
	const struct flat_field *t = flat_get(fl, o->target, o->target_len);
	struct rowhdr h = { 0 };
	size_t hoff = out->len, start;
	int r;

	if (d == NULL || d->type != FLAT_STRING || date_parse_n(d->val, d->vlen, &h.day) != 0)
		return "date: not a date";
	if ((r = flat_get_number(t, &h.y)) < 0) {
		snprintf(why, size, "%s: not a number", o->target);
		return why;
	}
	h.ynull = r == 0;
	strbuf_add(out, (const char *)&h, sizeof(h));
	if (make_key(o, fl, out, why, size) != NULL) {
		out->len = hoff;
		return why;
	}
	h.klen = out->len - hoff - sizeof(h);
	start = out->len;
	if (line_is_template(o, fl, t, line, len)) {
		strbuf_add(out, line, len - 1);
		h.date_at = (size_t)(d->val - line) - 1;
		h.date_len = d->vlen + 2;
		h.y_at = (size_t)(t->val - line);
		h.y_len = t->vlen;
		h.tlen = len - 1;
		memcpy(out->s + hoff, &h, sizeof(h));
		return NULL;
	}
	strbuf_addc(out, '{');
	for (size_t i = 0; i < fl->n; i++) {
		const struct flat_field *f = &fl->f[i];

		if (f != t && owned(o, f->key, f->klen))
			continue;
		if (out->len > start + 1)
			strbuf_addc(out, ',');
		ndjson_dump_string(out, f->key, f->klen);
		strbuf_addc(out, ':');
		if (f == d)
			h.date_at = out->len - start;
		else if (f == t)
			h.y_at = out->len - start;
		flat_dump_value(out, f);
		if (f == d)
			h.date_len = out->len - start - h.date_at;
		else if (f == t)
			h.y_len = out->len - start - h.y_at;
	}
	if (t == NULL) {        /* a record without the target gets it (null) */
		if (out->len > start + 1)
			strbuf_addc(out, ',');
		ndjson_dump_string(out, o->target, o->target_len);
		strbuf_addc(out, ':');
		h.y_at = out->len - start;
		strbuf_add(out, "null", 4);
		h.y_len = 4;
	}
	h.tlen = out->len - start;
	memcpy(out->s + hoff, &h, sizeof(h));
	return NULL;
}

enum { ROW, REJECT_RECORD, REJECT_LINE };

static void
map_record(struct pm_item *it, struct strbuf *out, void *ctx)
{
	const struct opts *o = run_opts(ctx);
	struct flat_field buf[48];
	struct flat fl;
	const char *reason = NULL;
	char why[256];
	json_t *rec = NULL;
	const char *line = it->line;

	flat_init(&fl, buf, sizeof(buf) / sizeof(*buf));
	if (flat_scan(&fl, it->line, it->len) != 0) {
		line = NULL;
		if ((rec = ndjson_parse(it->line, it->len, why, sizeof(why))) == NULL) {
			it->status = REJECT_LINE;
			reason = why;
		} else
			flat_from_json(&fl, rec);
	}
	it->off = out->len;
	if (reason == NULL &&
	    (reason = make_row(o, &fl, line, it->len, out, why, sizeof(why))) != NULL)
		it->status = REJECT_RECORD;
	if (reason != NULL) {
		it->off2 = out->len;
		it->n2 = strlen(reason);
		strbuf_add(out, reason, it->n2);
	} else {
		it->status = ROW;
		it->n = out->len - it->off;
	}
	flat_release(&fl);
	json_decref(rec);
}

/* ---------- main thread: series, periods, fill, features ---------- */

/* The date, calendar, holiday and exogenous text of one period start,
 * cached for up to DAYTEXT_MAX days around the dates seen. */
#define DAYTEXT_MAX (20 * 366)
struct daytext {
	size_t cal_off, exo_off;
	unsigned cal_len, exo_len;
	int have;
	char date[DATE_BUFSZ];
};

struct series {
	struct opts *o;
	struct strbuf key;      /* current series */
	int have_series;
	long last_day;          /* last record's date in the series */
	/* The period being accumulated. */
	int have_pending;
	long pstart;
	double psum;
	int pnull;              /* no non-null target in it yet */
	int pmerged;            /* more than one record in it */
	struct strbuf ptmpl;
	struct rowhdr phdr;
	/* The last period written, for the gaps after it. */
	int have_emitted;
	long estart;
	struct strbuf etmpl;
	struct rowhdr ehdr;
	struct fwin win;
	/* Output. */
	struct strbuf out;
	struct strbuf text;     /* daytext strings */
	struct ffmt_cache fc;   /* the windows' numbers as text */
	struct daytext *days;
	long days_base, ndays;
	unsigned long in, rows, filled;
	unsigned long cut;          /* gaps over --max-periods, filled in part */
};

static long
period_start(enum period p, long day)
{
	int y, m, d;

	switch (p) {
	case P_WEEK:
		return day - (date_iso_weekday(day) - 1);
	case P_MONTH:
		date_to_ymd(day, &y, &m, &d);
		return date_from_ymd(y, m, 1);
	default:
		return day;
	}
}

static long
period_next(enum period p, long start)
{
	int y, m, d;

	switch (p) {
	case P_WEEK:
		return start + 7;
	case P_MONTH:
		date_to_ymd(start, &y, &m, &d);
		return m == 12 ? date_from_ymd(y + 1, 1, 1) : date_from_ymd(y, m + 1, 1);
	default:
		return start + 1;
	}
}

static void
add_num(struct strbuf *sb, const char *name, double v, int have)
{
	char num[FFMT_BUFSZ];
	int n;

	strbuf_add(sb, name, strlen(name));
	if (!have || (n = ndjson_fmt_double(num, v)) == 0)
		strbuf_add(sb, "null", 4);
	else
		strbuf_add(sb, num, (size_t)n);
}

/* A target-like value: integral values print as integers, as they came. */
static void
add_qty(struct strbuf *sb, double v, int have)
{
	char num[FFMT_BUFSZ];
	int n;

	if (!have)
		strbuf_add(sb, "null", 4);
	else if (v == floor(v) && fabs(v) < 1e15) {
		n = ndjson_fmt_long(num, (long long)v);
		strbuf_add(sb, num, (size_t)n);
	} else if ((n = ndjson_fmt_double(num, v)) > 0)
		strbuf_add(sb, num, (size_t)n);
	else
		strbuf_add(sb, "null", 4);
}

static void
add_int(struct strbuf *sb, const char *name, long v)
{
	char num[FFMT_BUFSZ];
	int n = ndjson_fmt_long(num, v);

	strbuf_add(sb, name, strlen(name));
	strbuf_add(sb, num, (size_t)n);
}

/* The seed's temporal features of the period start, then the holidays. */
static void
calendar_text(struct series *s, long start, struct strbuf *sb)
{
	struct opts *o = s->o;
	long end = period_next(o->period, start), next;
	int y, m, d, dow = date_day_of_week(start), hol = 0;

	date_to_ymd(start, &y, &m, &d);
	add_int(sb, ",\"year\":", y);
	add_int(sb, ",\"month\":", m);
	add_int(sb, ",\"quarter\":", (m + 2) / 3);
	add_int(sb, ",\"day\":", d);
	add_int(sb, ",\"day_of_week\":", dow);
	add_int(sb, ",\"day_of_year\":", date_day_of_year(start));
	add_num(sb, ",\"month_sin\":", sin(2 * M_PI * m / 12), 1);
	add_num(sb, ",\"month_cos\":", cos(2 * M_PI * m / 12), 1);
	add_num(sb, ",\"day_of_week_sin\":", sin(2 * M_PI * dow / 7), 1);
	add_num(sb, ",\"day_of_week_cos\":", cos(2 * M_PI * dow / 7), 1);
	add_int(sb, ",\"is_weekend\":", dow == 1 || dow == 7);
	add_int(sb, ",\"is_month_start\":", d <= 7);
	add_int(sb, ",\"is_month_end\":", d >= 25);
	next = holidays_next(&o->hol, start);
	hol = next < end;
	add_int(sb, ",\"is_holiday\":", hol);
	add_int(sb, ",\"days_to_holiday\":", next - start);
}

static void
exog_text(struct series *s, long start, struct strbuf *sb)
{
	const struct exog *x = &s->o->exog;
	long end = period_next(s->o->period, start);

	for (int c = 0; c < x->ncol; c++) {
		double v;
		int have = exog_period(x, c, start, end, &v);

		strbuf_addc(sb, ',');
		ndjson_dump_string(sb, x->names[c], strlen(x->names[c]));
		add_num(sb, ":", v, have);
	}
}

static const struct daytext *
day_text(struct series *s, long start)
{
	struct daytext *t;

	if (s->ndays == 0 || start < s->days_base || start >= s->days_base + s->ndays) {
		long lo = s->ndays ? (start < s->days_base ? start - 366 : s->days_base) : start - 366;
		long hi = s->ndays ? (start >= s->days_base + s->ndays ? start + 366 :
		    s->days_base + s->ndays) : start + 366;
		struct daytext *nd;

		if (hi - lo > DAYTEXT_MAX) {    /* dates far apart: start afresh */
			s->ndays = 0;
			s->text.len = 0;
			lo = start - 366;
			hi = start + 366;
		}
		nd = xcalloc((size_t)(hi - lo), sizeof(*nd));
		if (s->ndays)
			memcpy(nd + (s->days_base - lo), s->days, (size_t)s->ndays * sizeof(*nd));
		free(s->days);
		s->days = nd;
		s->days_base = lo;
		s->ndays = hi - lo;
	}
	t = &s->days[start - s->days_base];
	if (!t->have) {
		t->cal_off = s->text.len;
		calendar_text(s, start, &s->text);
		t->cal_len = (unsigned)(s->text.len - t->cal_off);
		t->exo_off = s->text.len;
		exog_text(s, start, &s->text);
		t->exo_len = (unsigned)(s->text.len - t->exo_off);
		date_format(start, t->date);
		t->have = 1;
	}
	return t;
}

/* A window's value (null when !have), its text from the series' cache. */
static void
add_cached(struct series *s, double v, int have)
{
	const char *t;
	int n;

	if (have && (t = ffmt_cached(&s->fc, v, &n), n > 0))
		strbuf_add(&s->out, t, (size_t)n);
	else
		strbuf_add(&s->out, "null", 4);
}

/* The lags (as the target prints) and the windows of the current row. */
static void
window_text(struct series *s)
{
	struct fwin_seed f;

	fwin_seed(&s->win, &f);
	const struct {
		const char *name;
		size_t len;
		double v;
		int have, qty;
	} w[] = {
		{ ",\"lag_1\":", 9, f.lag_1, f.have_lag_1, 1 },
		{ ",\"lag_7\":", 9, f.lag_7, f.have_lag_7, 1 },
		{ ",\"lag_30\":", 10, f.lag_30, f.have_lag_30, 1 },
		{ ",\"rolling_mean_7\":", 18, f.mean_7, f.have_mean_7, 0 },
		{ ",\"rolling_std_7\":", 17, f.std_7, f.have_std_7, 0 },
		{ ",\"rolling_mean_30\":", 19, f.mean_30, f.have_mean_30, 0 },
	};

	for (size_t i = 0; i < sizeof(w) / sizeof(*w); i++) {
		strbuf_add(&s->out, w[i].name, w[i].len);
		if (w[i].qty)
			add_qty(&s->out, w[i].v, w[i].have);
		else
			add_cached(s, w[i].v, w[i].have);
	}
}

static void
flush_out(struct series *s, int force)
{
	if (s->out.len > 0 && (force || s->out.len >= 1 << 18)) {
		nc_write(stdout, s->out.s, s->out.len);
		s->out.len = 0;
	}
}

/*
 * Write one row of the series: the template with its date and target
 * (changed when changed), then the features.
 */
static void
emit(struct series *s, long start, const char *tmpl, const struct rowhdr *h, double y,
    int ynull, int keep_y, int filled)
{
	struct strbuf *sb = &s->out;
	const struct daytext *t = day_text(s, start);
	size_t a = h->date_at, b = h->y_at;
	const char *date = t->date;

	fwin_push(&s->win, y, ynull);
	/* The two holes in the order they come. */
	if (a < b) {
		strbuf_add(sb, tmpl, a);
		strbuf_addc(sb, '"');
		strbuf_add(sb, date, 10);
		strbuf_addc(sb, '"');
		strbuf_add(sb, tmpl + a + h->date_len, b - a - h->date_len);
		if (keep_y)
			strbuf_add(sb, tmpl + b, h->y_len);
		else
			add_qty(sb, y, !ynull);
		strbuf_add(sb, tmpl + b + h->y_len, h->tlen - b - h->y_len);
	} else {
		strbuf_add(sb, tmpl, b);
		if (keep_y)
			strbuf_add(sb, tmpl + b, h->y_len);
		else
			add_qty(sb, y, !ynull);
		strbuf_add(sb, tmpl + b + h->y_len, a - b - h->y_len);
		strbuf_addc(sb, '"');
		strbuf_add(sb, date, 10);
		strbuf_addc(sb, '"');
		strbuf_add(sb, tmpl + a + h->date_len, h->tlen - a - h->date_len);
	}
	if (s->o->fill)
		strbuf_add(sb, filled ? ",\"filled\":true" : ",\"filled\":false",
		    filled ? 14 : 15);
	strbuf_add(sb, s->text.s + t->cal_off, t->cal_len);
	window_text(s);
	strbuf_add(sb, s->text.s + t->exo_off, t->exo_len);
	strbuf_add(sb, "}\n", 2);
	s->rows++;
	s->filled += filled != 0;
	flush_out(s, 0);
}

/* The first period to fill before end from p: at most --max-periods of
 * them, so that a date far from the others (0001-01-01) costs rows in
 * proportion to the bound, not to the span. */
static long
bounded(struct series *s, long p, long end)
{
	static const long days[] = { 1, 7, 31 };
	long span = s->o->max_periods * days[s->o->period];

	if (end - p <= span)
		return p;
	s->cut++;
	return period_start(s->o->period, end - span);
}

/* Filled periods from after the last one written up to (not with) end. */
static void
fill_to(struct series *s, long end)
{
	if (!s->o->fill || !s->have_emitted)
		return;
	for (long p = bounded(s, period_next(s->o->period, s->estart), end); p < end;
	    p = period_next(s->o->period, p)) {
		emit(s, p, s->etmpl.s, &s->ehdr, 0, 0, 0, 1);
		s->estart = p;
	}
}

static void
swap_strbuf(struct strbuf *a, struct strbuf *b)
{
	struct strbuf t = *a;

	*a = *b;
	*b = t;
}

/* Write the pending period, after the gap before it: a series' first
 * period comes after zeros from the window's first period on, with the
 * attributes of its first record. */
static void
flush_pending(struct series *s)
{
	int keep_y;

	if (!s->have_pending)
		return;
	if (s->o->fill && !s->have_emitted && s->o->from != LONG_MIN) {
		long p = bounded(s, period_start(s->o->period, s->o->from), s->pstart);
		if (p < s->pstart) {
			emit(s, p, s->ptmpl.s, &s->phdr, 0, 0, 0, 1);
			s->have_emitted = 1;
			s->estart = p;
			s->etmpl.len = 0;
			strbuf_add(&s->etmpl, s->ptmpl.s, s->ptmpl.len);
			s->ehdr = s->phdr;
		}
	}
	fill_to(s, s->pstart);
	keep_y = !s->pmerged;
	emit(s, s->pstart, s->ptmpl.s, &s->phdr, s->psum, s->pnull, keep_y, 0);
	s->have_emitted = 1;
	s->estart = s->pstart;
	swap_strbuf(&s->etmpl, &s->ptmpl);
	s->ehdr = s->phdr;
	s->have_pending = 0;
}

static void
end_series(struct series *s)
{
	if (!s->have_series)
		return;
	flush_pending(s);
	if (s->o->until != LONG_MIN)
		fill_to(s, period_next(s->o->period, period_start(s->o->period, s->o->until)));
	s->have_series = 0;
}

static void
start_series(struct series *s, const char *key, size_t klen)
{
	s->key.len = 0;
	strbuf_add(&s->key, key, klen);
	s->have_series = 1;
	s->have_pending = s->have_emitted = 0;
	s->last_day = LONG_MIN;
	fwin_reset(&s->win);
}

/* A record rebuilt from its template, for a reject. */
static void
reject_row(struct series *s, const char *tmpl, const struct rowhdr *h, const char *input,
    unsigned long lineno, const char *reason)
{
	char *text = xmalloc(h->tlen + 2);
	json_t *rec;

	memcpy(text, tmpl, h->tlen);
	text[h->tlen] = '}';
	text[h->tlen + 1] = '\0';
	rec = ndjson_parse(text, h->tlen + 1, NULL, 0);
	reject_record(&s->o->rej, rec, rec ? NULL : text, input, lineno, reason);
	json_decref(rec);
	free(text);
}

/* One good record, in series order (key, then date). */
static void
add_row(struct series *s, const struct rowhdr *h, const char *key, const char *tmpl,
    const char *input, unsigned long lineno)
{
	long p;

	if (!s->have_series || s->key.len != h->klen || memcmp(s->key.s, key, h->klen) != 0) {
		if (s->have_series && s->o->sorted) {
			size_t n = s->key.len < h->klen ? s->key.len : h->klen;
			int c = memcmp(key, s->key.s, n);

			if (c < 0 || (c == 0 && h->klen < s->key.len))
				errx(NC_FAIL, "error: %s:%lu: input not ordered by key and date "
				    "(sort it, or leave out --sorted)", input, lineno);
		}
		end_series(s);
		start_series(s, key, h->klen);
	}
	if (h->day < s->last_day)
		errx(NC_FAIL, "error: %s:%lu: input not ordered by key and date "
		    "(sort it, or leave out --sorted)", input, lineno);
	if (h->day == s->last_day && s->o->dup_reject) {
		reject_row(s, tmpl, h, input, lineno, "duplicate key and date");
		return;
	}
	s->last_day = h->day;
	p = period_start(s->o->period, h->day);
	if (s->have_pending && p == s->pstart) {
		s->pmerged = 1;
		if (!h->ynull) {
			s->psum = s->pnull ? h->y : s->psum + h->y;
			s->pnull = 0;
		}
	} else {
		flush_pending(s);
		s->have_pending = 1;
		s->pstart = p;
		s->psum = h->ynull ? 0 : h->y;
		s->pnull = h->ynull;
		s->pmerged = p != h->day;
	}
	/* The period's attributes are those of its last record. */
	s->ptmpl.len = 0;
	strbuf_add(&s->ptmpl, tmpl, h->tlen);
	s->phdr = *h;
}

/* ---------- input: streamed (--sorted) or sorted in memory ---------- */

struct entry {
	const char *data;       /* rowhdr, key, template */
	const char *input;
	unsigned long lineno;
	long day;
	size_t seq;
	uint64_t kpre;          /* key_prefix8() of the key: most comparisons */
};

struct run {
	struct opts *o;
	struct series s;
	struct entry *v;
	size_t n, cap;
	struct arena mem;
};

static const struct opts *
run_opts(const void *ctx)
{
	return ((const struct run *)ctx)->o;
}

static void
consume_record(const struct pm_item *it, const char *out, void *ctx)
{
	struct run *r = ctx;
	struct rowhdr h;

	r->s.in++;
	if (it->status != ROW) {
		reject_line(&r->o->rej, it->status == REJECT_RECORD, it->line, it->len,
		    it->input, it->lineno, out + it->off2, it->n2);
		return;
	}
	memcpy(&h, out + it->off, sizeof(h));
	if (r->o->sorted) {
		add_row(&r->s, &h, out + it->off + sizeof(h),
		    out + it->off + sizeof(h) + h.klen, it->input, it->lineno);
		return;
	}
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 4096;
		r->v = xrealloc(r->v, r->cap * sizeof(*r->v));
	}
	{
		char *copy = arena_alloc(&r->mem, it->n);

		memcpy(copy, out + it->off, it->n);
		r->v[r->n].data = copy;
	}
	r->v[r->n].input = it->input;
	r->v[r->n].lineno = it->lineno;
	r->v[r->n].day = h.day;
	r->v[r->n].kpre = key_prefix8(out + it->off + sizeof(h), h.klen);
	r->v[r->n].seq = r->n;
	r->n++;
}

static int
entry_cmp(const void *pa, const void *pb)
{
	const struct entry *a = pa, *b = pb;
	struct rowhdr ha, hb;
	int c;

	if (a->kpre != b->kpre)
		return a->kpre < b->kpre ? -1 : 1;
	memcpy(&ha, a->data, sizeof(ha));
	memcpy(&hb, b->data, sizeof(hb));
	c = memcmp(a->data + sizeof(ha), b->data + sizeof(hb),
	    ha.klen < hb.klen ? ha.klen : hb.klen);
	if (c != 0)
		return c;
	if (ha.klen != hb.klen)
		return ha.klen < hb.klen ? -1 : 1;
	if (a->day != b->day)
		return a->day < b->day ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static void
run(struct input *in, struct opts *o, int nthreads)
{
	struct run r = { .o = o };

	r.s.o = o;
	parmap_run(in, nthreads, map_record, consume_record, &r);
	if (!o->sorted) {
		if (r.n > 0)
			psort(r.v, r.n, sizeof(*r.v), entry_cmp);
		/* The window starts on the data's first day. */
		if (o->from == LONG_MIN && o->fill)
			for (size_t i = 0; i < r.n; i++)
				if (o->from == LONG_MIN || r.v[i].day < o->from)
					o->from = r.v[i].day;
		for (size_t i = 0; i < r.n; i++) {
			struct rowhdr h;

			memcpy(&h, r.v[i].data, sizeof(h));
			add_row(&r.s, &h, r.v[i].data + sizeof(h),
			    r.v[i].data + sizeof(h) + h.klen, r.v[i].input, r.v[i].lineno);
		}
		free(r.v);
	}
	end_series(&r.s);
	flush_out(&r.s, 1);
	if (r.s.cut > 0)
		warnx("warning: %lu gaps longer than --max-periods %ld: filled their last "
		    "%ld periods", r.s.cut, o->max_periods, o->max_periods);
	if (nc_verbose)
		fprintf(stderr, "%s: %lu in, %lu out, %lu filled, %lu rejected\n",
		    nc_progname, r.s.in, r.s.rows, r.s.filled, o->rej.count);
	arena_release(&r.mem);
	strbuf_release(&r.s.key);
	strbuf_release(&r.s.ptmpl);
	strbuf_release(&r.s.etmpl);
	strbuf_release(&r.s.out);
	strbuf_release(&r.s.text);
	ffmt_cache_release(&r.s.fc);
	free(r.s.days);
}

/* ---------- options ---------- */

static void
parse_keys(struct opts *o, const char *keys)
{
	char *copy = xstrdup(keys), *p, *save = NULL;

	for (p = strtok_r(copy, ",", &save); p != NULL; p = strtok_r(NULL, ",", &save)) {
		o->keys = xrealloc(o->keys, (size_t)(o->nkeys + 1) * sizeof(*o->keys));
		o->keys[o->nkeys++] = xstrdup(p);
	}
	free(copy);
	if (o->nkeys == 0)
		errx(NC_USAGE, "-k: no key fields");
	for (int i = 0; i < o->nkeys; i++)
		if (strcmp(o->keys[i], "date") == 0)
			errx(NC_USAGE, "-k: date is not a key field: series are ordered by it");
}

static void
load_holidays_file(struct opts *o, const char *path)
{
	char why[128];
	FILE *fp = fopen(path, "r");

	if (fp == NULL)
		err(NC_FAIL, "error: %s", path);
	if (holidays_add_file(&o->hol, fp, why, sizeof(why)) != 0)
		errx(NC_FAIL, "error: %s: %s", path, why);
	fclose(fp);
}

static void
load_exog(struct opts *o, char **paths, int n)
{
	char why[256];

	for (int i = 0; i < n; i++) {
		FILE *fp = fopen(paths[i], "r");

		if (fp == NULL)
			err(NC_FAIL, "error: %s", paths[i]);
		if (exog_load(&o->exog, fp, paths[i], &o->rej, why, sizeof(why)) != 0)
			errx(NC_FAIL, "error: %s", why);
		fclose(fp);
	}
	exog_finish(&o->exog);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "sorted", no_argument, NULL, 'S' },
		{ "no-fill", no_argument, NULL, 'F' },
		{ "period", required_argument, NULL, 'P' },
		{ "until", required_argument, NULL, 'U' },
		{ "from", required_argument, NULL, 'B' },
		{ "max-periods", required_argument, NULL, 'X' },
		{ "dup", required_argument, NULL, 'D' },
		{ "holidays", required_argument, NULL, 'H' },
		{ "holidays-file", required_argument, NULL, 'f' },
		{ "exog", required_argument, NULL, 'x' },
		{ "station", required_argument, NULL, 's' },
		{ "threads", required_argument, NULL, 'T' },
		{ NULL, 0, NULL, 0 }
	};
	struct opts o = { .target = "quantity", .fill = 1, .until = LONG_MIN,
	    .from = LONG_MIN, .max_periods = 5000 };
	enum hol_scope scope = HOL_SALVADOR;
	struct input in;
	const char *reject_path = NULL, *keys = "item_id", *station = NULL;
	char **hfiles = NULL, **xfiles = NULL;
	int nh = 0, nx = 0, ch, rval, nthreads = 0;
	long max_rejects = 0;

	nc_init(argv[0]);
	while ((ch = getopt_long(argc, argv, "hk:m:r:t:vVy:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'k':
			keys = optarg;
			break;
		case 'y':
			nc_deprecated("-y", "-t");
			/* FALLTHROUGH */
		case 't':
			if (*optarg == '\0')
				errx(NC_USAGE, "-t: empty field name");
			o.target = optarg;
			break;
		case 'S':
			o.sorted = 1;
			break;
		case 'F':
			o.fill = 0;
			break;
		case 'P':
			if (strcmp(optarg, "day") == 0)
				o.period = P_DAY;
			else if (strcmp(optarg, "week") == 0)
				o.period = P_WEEK;
			else if (strcmp(optarg, "month") == 0)
				o.period = P_MONTH;
			else
				errx(NC_USAGE, "--period: not day, week or month: '%s'", optarg);
			break;
		case 'U':
			if (date_parse(optarg, &o.until) != 0)
				errx(NC_USAGE, "--until: not a date: '%s'", optarg);
			break;
		case 'X':
			o.max_periods = nc_parse_long(optarg, 1, 10000000, "--max-periods");
			break;
		case 'B':
			if (date_parse(optarg, &o.from) != 0)
				errx(NC_USAGE, "--from: not a date: '%s'", optarg);
			break;
		case 'D':
			if (strcmp(optarg, "sum") == 0)
				o.dup_reject = 0;
			else if (strcmp(optarg, "reject") == 0)
				o.dup_reject = 1;
			else
				errx(NC_USAGE, "--dup: not sum or reject: '%s'", optarg);
			break;
		case 'H':
			if (holidays_scope_parse(optarg, &scope) != 0)
				errx(NC_USAGE, "--holidays: not national, bahia or salvador: '%s'",
				    optarg);
			break;
		case 'f':
			hfiles = xrealloc(hfiles, (size_t)(nh + 1) * sizeof(*hfiles));
			hfiles[nh++] = optarg;
			break;
		case 'x':
			xfiles = xrealloc(xfiles, (size_t)(nx + 1) * sizeof(*xfiles));
			xfiles[nx++] = optarg;
			break;
		case 's':
			station = optarg;
			break;
		case 'T':
			nthreads = (int)nc_parse_long(optarg, 1, 64, "--threads");
			break;
		default:
			/* -h, -V, -v, -m, -r, or a usage error */
			nc_filter_option(ch, optarg, synopsis, &max_rejects, &reject_path);
		}
	}
	argc -= optind;
	argv += optind;
	parse_keys(&o, keys);
	o.target_len = strlen(o.target);
	for (int i = 0; i < o.nkeys; i++)
		if (strcmp(o.keys[i], o.target) == 0)
			errx(NC_USAGE, "-y: %s is a key field", o.target);
	holidays_init(&o.hol, scope);
	exog_init(&o.exog, station);
	rejects_open(&o.rej, reject_path, max_rejects);
	for (int i = 0; i < nh; i++)
		load_holidays_file(&o, hfiles[i]);
	load_exog(&o, xfiles, nx);

	/* jansson seeds its hash function once, before the threads start. */
	json_object_seed(0);
	input_init(&in, argc, argv);
	run(&in, &o, nthreads);
	rval = input_release(&in);
	nc_close_stdout();
	rval = nc_worst(rval, rejects_close(&o.rej));
	holidays_release(&o.hol);
	exog_release(&o.exog);
	for (int i = 0; i < o.nkeys; i++)
		free(o.keys[i]);
	free(o.keys);
	free(hfiles);
	free(xfiles);
	return rval;
}
