/*
 * reorder_hist.h: the daily demand history of every series (item-day rows:
 * the keys, date, quantity), read whole from a file for nc-reorder's
 * classic formula (--history) and its 12-month cap.  Owner: nc-reorder.
 * A history owns its series; rp_hist_release() frees them.
 *
 *	struct rp_hist h;
 *	rp_hist_load(&h, "silver.ndjson", keys, klen, nkeys);   // exits 2 on a bad file
 *	const struct rp_hist_series *s = rp_hist_get(&h, key, keylen);
 *	// s->date[i], s->qty[i]; h.first: the data's first day
 */
#ifndef NC_REORDER_HIST_H
#define NC_REORDER_HIST_H

#include <stddef.h>

#include <jansson.h>

#include "flat.h"

struct rp_hist_series {
	long *date;
	double *qty;
	int *site;                      /* site_id's number (rp_hist), or NULL */
	size_t n, cap;
};

struct rp_hist {
	json_t *index;                  /* key -> position in s */
	struct rp_hist_series *s;
	size_t n, cap;
	json_t *sites;                  /* site_id -> its number; null: 0 */
	long first, last;               /* dates over all series; LONG_MAX/MIN */
};

/*
 * The key of a record as nc-reorder builds it: each key field's JSON value,
 * joined by \037, into key (emptied first).  Returns 0, or -1 (with the
 * field's index in *bad) when a key field is missing or not a string,
 * number or null.
 */
int rp_record_key(const struct flat *fl, const char *const *keys, const size_t *klen,
    int nkeys, struct strbuf *key, int *bad);

void rp_hist_load(struct rp_hist *h, const char *path, const char *const *keys,
    const size_t *klen, int nkeys);
const struct rp_hist_series *rp_hist_get(const struct rp_hist *h, const char *key, size_t len);
void rp_hist_release(struct rp_hist *h);

/* Demand of series s on days (from, to]. */
double rp_hist_sum(const struct rp_hist_series *s, long from, long to);

#endif
