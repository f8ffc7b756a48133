/*
 * reorder_rollout.c: whether a series' demand came in rollouts, the
 * bursts of a project that takes a part to several sites at once, rather
 * than maintenance's one request at a time (nc-reorder(1), "Stock or
 * order on demand").
 */
#include <stdlib.h>

#include "nc.h"
#include "reorder_tool.h"

struct req {
	long date;
	int site;
	double qty;
};

static int
req_cmp(const void *pa, const void *pb)
{
	const struct req *a = pa, *b = pb;

	if (a->date != b->date)
		return a->date < b->date ? -1 : 1;
	return (a->site > b->site) - (a->site < b->site);
}

/*
 * Whether some RO_WAVE_DAYS days of the n requests of a burst (sorted by
 * date) reach min_sites distinct sites: a project's orders placed
 * together, not maintenance's requests that happen to fall in a burst.
 * A window slides over the requests; it never holds more than
 * min_sites - 1 sites (site[], with their counts cnt[]) without the
 * answer being yes, so each request costs at most min_sites steps.
 */
static int
reaches_sites(const struct req *r, size_t n, int min_sites, int *site, size_t *cnt)
{
	int k = 0;

	for (size_t a = 0, b = 0; b < n; b++) {
		int x;

		/* The window: r[a..b], within RO_WAVE_DAYS days of r[a]. */
		for (; r[b].date - r[a].date >= RO_WAVE_DAYS; a++) {
			for (x = 0; site[x] != r[a].site; x++)
				;
			if (--cnt[x] == 0) {
				site[x] = site[k - 1];
				cnt[x] = cnt[k - 1];
				k--;
			}
		}
		for (x = 0; x < k && site[x] != r[b].site; x++)
			;
		if (x < k)
			cnt[x]++;
		else if (k + 1 >= min_sites)
			return 1;
		else {
			site[k] = r[b].site;
			cnt[k++] = 1;
		}
	}
	return 0;
}

int
ro_rollout(const struct rp_hist_series *h, long first, long as_of, int min_sites,
    int max_bursts, struct ro_rollout *out)
{
	struct req *r;
	int *site;
	size_t *cnt;
	size_t n = 0, i, j;
	double all = 0, wave = 0;

	out->bursts = out->waves = 0;
	out->share = 0;
	if (h == NULL || h->site == NULL || min_sites < 1)
		return 0;
	r = xcalloc(h->n + 1, sizeof(*r));
	for (i = 0; i < h->n; i++)
		if (h->qty[i] > 0 && h->date[i] >= first && h->date[i] <= as_of)
			r[n++] = (struct req){ h->date[i], h->site[i], h->qty[i] };
	qsort(r, n, sizeof(*r), req_cmp);
	site = xcalloc((size_t)min_sites, sizeof(*site));
	cnt = xcalloc((size_t)min_sites, sizeof(*cnt));
	for (i = 0; i < n && out->bursts <= max_bursts; i = j) {
		double units = r[i].qty;

		for (j = i + 1; j < n && r[j].date - r[i].date < RO_BURST_DAYS; j++)
			units += r[j].qty;
		out->bursts++;
		all += units;
		if (reaches_sites(r + i, j - i, min_sites, site, cnt)) {
			out->waves++;
			wave += units;
		}
	}
	free(site);
	free(cnt);
	free(r);
	out->share = all > 0 ? wave / all : 0;
	return out->bursts <= max_bursts && out->waves > 0 &&
	    out->share >= 0.5;
}
