/* reorder_hist.c: the daily history of each series (reorder_hist.h). */
#include <err.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "flatget.h"
#include "input.h"
#include "nc.h"
#include "reorder_hist.h"

int
rp_record_key(const struct flat *fl, const char *const *keys, const size_t *klen,
    int nkeys, struct strbuf *key, int *bad)
{
	key->len = 0;
	for (int k = 0; k < nkeys; k++) {
		const struct flat_field *kf = flat_get(fl, keys[k], klen[k]);

		if (kf == NULL || (kf->type != FLAT_STRING && kf->type != FLAT_NUMBER &&
		    kf->type != FLAT_NULL)) {
			*bad = k;
			return -1;
		}
		if (k > 0)
			strbuf_addc(key, '\037');
		flat_dump_value(key, kf);
	}
	return 0;
}

void
rp_hist_load(struct rp_hist *h, const char *path, const char *const *keys,
    const size_t *klen, int nkeys)
{
	struct input in;
	char *names[1] = { (char *)path }, *line, why[256];
	size_t len;
	struct flat_field buf[64];
	struct flat fl;
	struct strbuf key = { 0 };

	memset(h, 0, sizeof(*h));
	h->index = json_object();
	h->sites = json_object();
	h->first = LONG_MAX;
	h->last = LONG_MIN;
	flat_init(&fl, buf, sizeof(buf) / sizeof(*buf));
	input_init(&in, 1, names);
	while (input_next(&in, &line, &len) == 1) {
		json_t *rec = NULL, *pos;
		const struct flat_field *df;
		struct rp_hist_series *s;
		const struct flat_field *sf;
		long date;
		double q;
		int bad;

		if (flat_scan(&fl, line, len) != 0) {
			if ((rec = ndjson_parse(line, len, why, sizeof(why))) == NULL)
				errx(NC_USAGE, "--history: %s:%lu: %s", path, in.lineno, why);
			flat_from_json(&fl, rec);
		}
		df = flat_get(&fl, "date", 4);
		if (rp_record_key(&fl, keys, klen, nkeys, &key, &bad) != 0 || df == NULL ||
		    df->type != FLAT_STRING || date_parse_n(df->val, df->vlen, &date) != 0 ||
		    flat_get_number(flat_get(&fl, "quantity", 8), &q) != 1)
			errx(NC_USAGE, "--history: %s:%lu: needs the keys, a date and a number "
			    "quantity", path, in.lineno);
		strbuf_addc(&key, '\0');
		if ((pos = json_object_get(h->index, key.s)) == NULL) {
			if (h->n == h->cap) {
				h->cap = h->cap ? 2 * h->cap : 256;
				h->s = xrealloc(h->s, h->cap * sizeof(*h->s));
			}
			memset(&h->s[h->n], 0, sizeof(*h->s));
			json_object_set_new(h->index, key.s, json_integer((json_int_t)h->n));
			s = &h->s[h->n++];
		} else
			s = &h->s[json_integer_value(pos)];
		if (s->n == s->cap) {
			s->cap = s->cap ? 2 * s->cap : 16;
			s->date = xrealloc(s->date, s->cap * sizeof(*s->date));
			s->qty = xrealloc(s->qty, s->cap * sizeof(*s->qty));
			s->site = xrealloc(s->site, s->cap * sizeof(*s->site));
		}
		/* The site, numbered in order of appearance (from 1; 0: none). */
		s->site[s->n] = 0;
		sf = flat_get(&fl, "site_id", 7);
		if (sf != NULL && sf->type == FLAT_STRING) {
			json_t *id;

			key.len = 0;
			flat_dump_value(&key, sf);
			strbuf_addc(&key, '\0');
			if ((id = json_object_get(h->sites, key.s)) == NULL) {
				id = json_integer((json_int_t)json_object_size(h->sites) + 1);
				json_object_set_new(h->sites, key.s, id);
			}
			s->site[s->n] = (int)json_integer_value(id);
		}
		s->date[s->n] = date;
		s->qty[s->n++] = q;
		if (date < h->first)
			h->first = date;
		if (date > h->last)
			h->last = date;
		flat_release(&fl);
		json_decref(rec);
	}
	strbuf_release(&key);
	if (input_release(&in) != NC_OK)
		exit(NC_USAGE);
}

const struct rp_hist_series *
rp_hist_get(const struct rp_hist *h, const char *key, size_t len)
{
	char *k;
	json_t *pos;

	if (h->index == NULL)
		return NULL;
	k = xstrndup(key, len);
	pos = json_object_get(h->index, k);
	free(k);
	return pos ? &h->s[json_integer_value(pos)] : NULL;
}

double
rp_hist_sum(const struct rp_hist_series *s, long from, long to)
{
	double sum = 0;

	for (size_t i = 0; s != NULL && i < s->n; i++)
		if (s->date[i] > from && s->date[i] <= to)
			sum += s->qty[i];
	return sum;
}

void
rp_hist_release(struct rp_hist *h)
{
	for (size_t i = 0; i < h->n; i++) {
		free(h->s[i].date);
		free(h->s[i].qty);
		free(h->s[i].site);
	}
	free(h->s);
	json_decref(h->index);
	json_decref(h->sites);
	memset(h, 0, sizeof(*h));
}
