/*
 * store_dump.c: nc-store dump's rows (see store_tool.h and nc-store(1),
 * DUMP, SHARDS): the backend returns the rows in key order, filtered in
 * SQL on key columns; here --shard and -w on the other fields, then the
 * records to stdout in large writes.
 */
#include <err.h>
#include <stdio.h>
#include <string.h>

#include "nc.h"
#include "store_tool.h"

/* -w field=value: "null", "true" and "false" match those JSON values. */
static int
field_is(const struct flat_field *f, const char *v)
{
	size_t n = strlen(v);

	switch (f->type) {
	case FLAT_STRING:
	case FLAT_NUMBER:
		return f->vlen == n && memcmp(f->val, v, n) == 0;
	case FLAT_TRUE:
		return strcmp(v, "true") == 0;
	case FLAT_FALSE:
		return strcmp(v, "false") == 0;
	case FLAT_NULL:
		return strcmp(v, "null") == 0;
	default:
		return f->vlen == n && memcmp(f->val, v, n) == 0;
	}
}

uint64_t
store_shard_hash(const struct store_dataset *ds, const struct store_row *r)
{
	uint64_t h = STORE_FNV_OFFSET;
	int first = 1;

	for (int i = 0; i < ds->nkeys; i++) {
		if (strcmp(ds->keys[i], "date") == 0)
			continue;
		if (!first)
			h = store_fnv1a64(h, "\037", 1);
		h = store_fnv1a64(h, r->key[i], r->keylen[i]);
		first = 0;
	}
	return h;
}

int
store_dump_row(void *ctx, const struct store_row *r)
{
	struct store_dumper *d = ctx;

	if (d->shard_n > 0 && store_shard_hash(d->ds, r) % d->shard_n != d->shard_k - 1)
		return 0;
	if (d->nw > 0) {
		json_t *obj;
		char why[128];

		if (store_scan(&d->fl, r->record, r->len, &obj, why, sizeof(why)) != 0)
			errx(NC_FAIL, "error: %s: a stored record is not JSON: %s",
			    d->ds->name, why);
		for (int i = 0; i < d->nw; i++) {
			const struct flat_field *f = store_field(&d->fl, d->wkey[i]);

			if (f == NULL || !field_is(f, d->wval[i])) {
				json_decref(obj);
				return 0;
			}
		}
		json_decref(obj);
	}
	strbuf_add(&d->buf, r->record, r->len);
	strbuf_addc(&d->buf, '\n');
	if (d->buf.len >= 1 << 16)
		store_dump_flush(d);
	d->out++;
	return 0;
}

void
store_dump_flush(struct store_dumper *d)
{
	if (d->buf.len > 0)
		nc_write(stdout, d->buf.s, d->buf.len);
	d->buf.len = 0;
}
