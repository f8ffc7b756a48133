/*
 * features_series.c: nc-features' main thread: rows in series order into
 * regular periods with the calendar, lag, rolling, holiday and exogenous
 * features, written as NDJSON (features_tool.h).
 */
#include <err.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "features_tool.h"
#include "nc.h"

static long
period_start(enum feat_period p, long day)
{
	int y, m, d;

	switch (p) {
	case FP_WEEK:
		return day - (date_iso_weekday(day) - 1);
	case FP_MONTH:
		date_to_ymd(day, &y, &m, &d);
		return date_from_ymd(y, m, 1);
	default:
		return day;
	}
}

static long
period_next(enum feat_period p, long start)
{
	int y, m, d;

	switch (p) {
	case FP_WEEK:
		return start + 7;
	case FP_MONTH:
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
calendar_text(struct feat_series *s, long start, struct strbuf *sb)
{
	struct feat_opts *o = s->o;
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
exog_text(struct feat_series *s, long start, struct strbuf *sb)
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
day_text(struct feat_series *s, long start)
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
add_cached(struct feat_series *s, double v, int have)
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
window_text(struct feat_series *s)
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

void
feat_flush_out(struct feat_series *s, int force)
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
emit(struct feat_series *s, long start, const char *tmpl, const struct feat_rowhdr *h, double y,
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
	feat_flush_out(s, 0);
}

/* The first period to fill before end from p: at most --max-periods of
 * them, so that a date far from the others (0001-01-01) costs rows in
 * proportion to the bound, not to the span. */
static long
bounded(struct feat_series *s, long p, long end)
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
fill_to(struct feat_series *s, long end)
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
flush_pending(struct feat_series *s)
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

void
feat_end_series(struct feat_series *s)
{
	if (!s->have_series)
		return;
	flush_pending(s);
	if (s->o->until != LONG_MIN)
		fill_to(s, period_next(s->o->period, period_start(s->o->period, s->o->until)));
	s->have_series = 0;
}

static void
start_series(struct feat_series *s, const char *key, size_t klen)
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
reject_row(struct feat_series *s, const char *tmpl, const struct feat_rowhdr *h, const char *input,
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
void
feat_add_row(struct feat_series *s, const struct feat_rowhdr *h, const char *key, const char *tmpl,
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
		feat_end_series(s);
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

void
feat_series_release(struct feat_series *s)
{
	strbuf_release(&s->key);
	strbuf_release(&s->ptmpl);
	strbuf_release(&s->etmpl);
	strbuf_release(&s->out);
	strbuf_release(&s->text);
	ffmt_cache_release(&s->fc);
	free(s->days);
}
