/*
 * features_input.c: nc-features' rows in series order (features_tool.h):
 * streamed as they come (--sorted), or sorted in memory by key, date and
 * line.
 */
#include <err.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "features_tool.h"
#include "keyprefix.h"
#include "nc.h"
#include "psort.h"

struct entry {
	const char *data;       /* rowhdr, key, template */
	const char *input;
	unsigned long lineno;
	long day;
	size_t seq;
	uint64_t kpre;          /* key_prefix8() of the key: most comparisons */
};

struct sort_run {
	struct feat_opts *o;
	struct feat_series s;
	struct entry *v;
	size_t n, cap;
	struct arena mem;
};

static void
consume_record(const struct pm_item *it, const char *out, void *ctx)
{
	struct sort_run *r = ctx;
	struct feat_rowhdr h;

	r->s.in++;
	if (it->status != FEAT_ROW) {
		reject_line(&r->o->rej, it->status == FEAT_REJECT_RECORD, it->line, it->len,
		    it->input, it->lineno, out + it->off2, it->n2);
		return;
	}
	memcpy(&h, out + it->off, sizeof(h));
	if (r->o->sorted) {
		feat_add_row(&r->s, &h, out + it->off + sizeof(h),
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
	struct feat_rowhdr ha, hb;
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

void
feat_run(struct input *in, struct feat_opts *o, int nthreads)
{
	struct sort_run r = { .o = o };

	r.s.o = o;
	parmap_run(in, nthreads, feat_map_record, consume_record, &r);
	if (!o->sorted) {
		if (r.n > 0)
			psort(r.v, r.n, sizeof(*r.v), entry_cmp);
		/* The window starts on the data's first day. */
		if (o->from == LONG_MIN && o->fill)
			for (size_t i = 0; i < r.n; i++)
				if (o->from == LONG_MIN || r.v[i].day < o->from)
					o->from = r.v[i].day;
		for (size_t i = 0; i < r.n; i++) {
			struct feat_rowhdr h;

			memcpy(&h, r.v[i].data, sizeof(h));
			feat_add_row(&r.s, &h, r.v[i].data + sizeof(h),
			    r.v[i].data + sizeof(h) + h.klen, r.v[i].input, r.v[i].lineno);
		}
		free(r.v);
	}
	feat_end_series(&r.s);
	feat_flush_out(&r.s, 1);
	if (r.s.cut > 0)
		warnx("warning: %lu gaps longer than --max-periods %ld: filled their last "
		    "%ld periods", r.s.cut, o->max_periods, o->max_periods);
	if (nc_verbose)
		fprintf(stderr, "%s: %lu in, %lu out, %lu filled, %lu rejected\n",
		    nc_progname, r.s.in, r.s.rows, r.s.filled, o->rej.count);
	arena_release(&r.mem);
	feat_series_release(&r.s);
}
