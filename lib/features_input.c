/*
 * features_input.c: nc-features' rows in series order (features_tool.h):
 * streamed as they come (--sorted), or sorted by key, date and line in
 * bounded memory (extsort.h).
 */
#include <err.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "features_tool.h"
#include "nc.h"

/*
 * Not --sorted: a row goes to the external sort (extsort.h) under the key
 * escape(series key) 00 day (8 bytes, big-endian, sign bit flipped), so
 * that rows come back by key, date and input line, the order the
 * in-memory sort gave.  Its payload: a struct sorted_row, then the row
 * (feat_rowhdr, key, template).
 */
struct sorted_row {
	const char *input;      /* argv or "stdin": lives as long as the process */
	unsigned long lineno;
};

/* A sorted row to the series. */
static void
to_series(struct feat_run *r, const struct extsort_rec *rec)
{
	const char *row = rec->payload + sizeof(struct sorted_row);
	struct sorted_row sr;
	struct feat_rowhdr h;

	memcpy(&sr, rec->payload, sizeof(sr));
	memcpy(&h, row, sizeof(h));
	feat_add_row(&r->s, &h, row + sizeof(h), row + sizeof(h) + h.klen, sr.input,
	    sr.lineno);
}

/* Into the external sort, or (--sorted=N) through the reorder window. */
static void
sort_add(struct feat_run *r, const struct pm_item *it, const char *row, size_t len,
    const struct feat_rowhdr *h)
{
	struct strbuf *key = &r->skey, *pay = &r->spay;
	struct sorted_row sr = { it->input, it->lineno };
	uint64_t d = (uint64_t)h->day ^ (UINT64_C(1) << 63);
	struct extsort_rec rec;
	unsigned char be[8];

	key->len = pay->len = 0;
	extsort_key_escape(key, row + sizeof(*h), h->klen);
	strbuf_addc(key, '\0');
	for (int i = 0; i < 8; i++)
		be[i] = (unsigned char)(d >> (56 - 8 * i));
	strbuf_add(key, (const char *)be, 8);
	strbuf_add(pay, (const char *)&sr, sizeof(sr));
	strbuf_add(pay, row, len);
	if (h->day < r->min_day)
		r->min_day = h->day;
	if (!r->o->sorted) {
		extsort_add(&r->es, key->s, key->len, pay->s, pay->len);
		return;
	}
	switch (rwin_add(&r->w, key->s, key->len, pay->s, pay->len, &rec)) {
	case -1:
		errx(NC_FAIL, "error: %s:%lu: input not ordered by key and date, even within "
		    "--sorted=%zu records (sort it, or leave out --sorted)", it->input,
		    it->lineno, r->w.max);
	case 1:
		to_series(r, &rec);
		break;
	default:
		break;
	}
}

static void
consume_record(const struct pm_item *it, const char *out, void *ctx)
{
	struct feat_run *r = ctx;
	struct feat_rowhdr h;

	r->s.in++;
	if (it->status != FEAT_ROW) {
		reject_line(&r->o->rej, it->status == FEAT_REJECT_RECORD, it->line, it->len,
		    it->input, it->lineno, out + it->off2, it->n2);
		return;
	}
	memcpy(&h, out + it->off, sizeof(h));
	if (r->o->sorted && r->o->window == 0)
		feat_add_row(&r->s, &h, out + it->off + sizeof(h),
		    out + it->off + sizeof(h) + h.klen, it->input, it->lineno);
	else
		sort_add(r, it, out + it->off, it->n, &h);
}

/* The sorted rows to the series. */
static void
sort_finish(struct feat_run *r)
{
	struct extsort_rec rec;

	extsort_finish(&r->es);
	/* The window starts on the data's first day. */
	if (r->o->from == LONG_MIN && r->o->fill && r->min_day != LONG_MAX)
		r->o->from = r->min_day;
	while (extsort_next(&r->es, &rec) == 1)
		to_series(r, &rec);
	if (nc_verbose)
		extsort_report(&r->es, stderr);
	extsort_release(&r->es);
	strbuf_release(&r->skey);
	strbuf_release(&r->spay);
}

/* The end of --sorted=N: the rows still in the window. */
static void
window_finish(struct feat_run *r)
{
	struct extsort_rec rec;

	while (rwin_next(&r->w, &rec) == 1)
		to_series(r, &rec);
	if (nc_verbose)
		rwin_report(&r->w, stderr);
	rwin_release(&r->w);
	strbuf_release(&r->skey);
	strbuf_release(&r->spay);
}

void
feat_run(struct input *in, struct feat_opts *o, int nthreads)
{
	struct feat_run r = { .o = o, .min_day = LONG_MAX };

	r.s.o = o;
	if (!o->sorted)
		extsort_init(&r.es, &o->sort);
	else if (o->window > 0)
		rwin_init(&r.w, o->window);
	parmap_run(in, nthreads, feat_map_record, consume_record, &r);
	if (!o->sorted)
		sort_finish(&r);
	else if (o->window > 0)
		window_finish(&r);
	feat_end_series(&r.s);
	feat_flush_out(&r.s, 1);
	if (r.s.cut > 0)
		warnx("warning: %lu gaps longer than --max-periods %ld: filled their last "
		    "%ld periods", r.s.cut, o->max_periods, o->max_periods);
	if (nc_verbose)
		fprintf(stderr, "%s: %lu in, %lu out, %lu filled, %lu rejected\n",
		    nc_progname, r.s.in, r.s.rows, r.s.filled, o->rej.count);
	feat_series_release(&r.s);
}
