/* staging.c: one record through the seed's stg_items (see staging.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cast.h"
#include "nc.h"
#include "sqlstr.h"
#include "staging.h"

/* The seed's columns, in its order; a missing one is added as null. */
enum seed {
	ITEM_ID, ITEM_NAME, CATEGORY, FAMILY, SUPPLIER_ID, COST, QUANTITY,
	CURRENT_STOCK, LEAD_TIME_DAYS, DATE, CREATED_AT, NSEED
};
static const char *const seed_names[NSEED] = {
	"item_id", "item_name", "category", "family", "supplier_id", "cost",
	"quantity", "current_stock", "lead_time_days", "date", "created_at",
};
enum derived { STOCK_STATUS, TOTAL_VALUE, UNIT_COST, LOADED_AT, NDERIVED };
static const char *const derived_names[NDERIVED] = {
	"stock_status", "total_value", "unit_cost", "loaded_at",
};

static void
own(struct staging *st, const char *name)
{
	st->owned[st->nowned] = name;
	st->owned_len[st->nowned] = strlen(name);
	st->nowned++;
}

static int
owned_index(const struct staging *st, const char *key, size_t klen)
{
	for (int i = 0; i < st->nowned; i++)
		if (st->owned_len[i] == klen && memcmp(st->owned[i], key, klen) == 0)
			return i;
	return -1;
}

int
staging_init(struct staging *st, const char *keys, char *why, size_t size)
{
	char *copy = xstrdup(keys), *tok, *save = NULL;

	memset(st, 0, sizeof(*st));
	st->low_stock = 10;
	st->since = date_from_ymd(2024, 1, 1);
	st->keys = xcalloc(strlen(keys) + 1, sizeof(*st->keys));
	for (int i = 0; i < NSEED; i++)
		own(st, seed_names[i]);
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int known = owned_index(st, tok, strlen(tok)) >= 0;

		for (int i = 0; i < st->nkeys; i++)
			if (strcmp(st->keys[i], tok) == 0)
				known = 2;
		if (known == 2)
			continue;	/* named twice */
		if (!known && st->nowned + NDERIVED >= STAGING_MAX_OWNED) {
			snprintf(why, size, "too many key fields: '%s'", keys);
			free(copy);
			return -1;
		}
		st->keys[st->nkeys++] = xstrdup(tok);
		if (!known)
			own(st, st->keys[st->nkeys - 1]);
	}
	free(copy);
	for (int i = 0; i < NDERIVED; i++)
		own(st, derived_names[i]);
	if (st->nkeys == 0 || strcmp(st->keys[0], "item_id") != 0) {
		snprintf(why, size, "the key must start with item_id: '%s'", keys);
		return -1;
	}
	return 0;
}

void
staging_release(struct staging *st)
{
	for (int i = 0; i < st->nkeys; i++)
		free(st->keys[i]);
	free(st->keys);
	st->keys = NULL;
	st->nkeys = 0;
}

/* A staged value: null, a string to quote, or JSON text (a number). */
struct val {
	enum { V_NULL, V_STR, V_RAW } kind;
	const char *s;
	size_t len;
	char buf[64];
};

static void
set_raw(struct val *v, int len)
{
	v->kind = V_RAW;
	v->s = v->buf;
	v->len = (size_t)len;
}

static void
set_int(struct val *v, long long i)
{
	char tmp[24];
	unsigned long long u = i < 0 ? -(unsigned long long)i : (unsigned long long)i;
	int n = 0, len = 0;

	do
		tmp[n++] = (char)('0' + u % 10);
	while ((u /= 10) > 0);
	if (i < 0)
		v->buf[len++] = '-';
	while (n > 0)
		v->buf[len++] = tmp[--n];
	set_raw(v, len);
}

/* n / 10^13 with the zeros at the end trimmed (one decimal kept). */
static void
set_fixed13(struct val *v, long long n)
{
	char tmp[32];
	unsigned long long u = n < 0 ? -(unsigned long long)n : (unsigned long long)n;
	int k = 0, len = 0, last;

	for (; k < 13; k++, u /= 10)
		tmp[k] = (char)('0' + u % 10);
	do
		tmp[k++] = (char)('0' + u % 10);
	while ((u /= 10) > 0);
	if (n < 0)
		v->buf[len++] = '-';
	while (k > 13)
		v->buf[len++] = tmp[--k];
	v->buf[len++] = '.';
	for (last = 0; last < 12 && tmp[last] == '0'; last++)
		;
	while (k > last)
		v->buf[len++] = tmp[--k];
	set_raw(v, len);
}

static void
set_double(struct val *v, double d)
{
	int n = ndjson_fmt_double(v->buf, d);

	if (n == 0)
		v->kind = V_NULL;
	else
		set_raw(v, n);
}

static void
set_str(struct val *v, const char *s)
{
	v->kind = V_STR;
	v->s = s;
	v->len = strlen(s);
}

static const char *
fail(char *why, size_t size, const char *field, const char *msg)
{
	snprintf(why, size, "%s: %s", field, msg);
	return why;
}

struct ctx {
	const struct staging *st;
	const struct flat *fl;
	int where[STAGING_MAX_OWNED];   /* owned field -> index in fl, or -1 */
	struct val v[STAGING_MAX_OWNED];
	struct strbuf scratch;          /* lower-cased category */
	char *why;
	size_t size;
};

static const struct flat_field *
field(const struct ctx *c, int owned)
{
	return c->where[owned] < 0 ? NULL : &c->fl->f[c->where[owned]];
}

/* An id or label as a string; null stays null.  Returns a reason. */
static const char *
stage_string(struct ctx *c, int i, int required)
{
	struct val *v = &c->v[i];
	enum cast_result r = cast_string_f(field(c, i), v->buf, &v->s, &v->len);

	if (r == CAST_NULL) {
		v->kind = V_NULL;
		return required ? fail(c->why, c->size, c->st->owned[i], "missing") : NULL;
	}
	if (r != CAST_OK)
		return fail(c->why, c->size, c->st->owned[i], "not a string or number");
	v->kind = V_STR;
	return NULL;
}

static const char *
stage_int(struct ctx *c, int i, long long *out)
{
	enum cast_result r = cast_int_f(field(c, i), out);

	c->v[i].kind = V_NULL;
	if (r == CAST_NULL)
		return NULL;
	if (r != CAST_OK)
		return fail(c->why, c->size, c->st->owned[i], cast_strerror(r, "not a number"));
	set_int(&c->v[i], *out);
	return NULL;
}

/* TRIM(item_name), LOWER(category), and the ids. */
static const char *
stage_strings(struct ctx *c)
{
	const char *reason;
	struct val *name = &c->v[ITEM_NAME], *cat = &c->v[CATEGORY];

	if ((reason = stage_string(c, ITEM_ID, 1)) ||
	    (reason = stage_string(c, ITEM_NAME, 1)) ||
	    (reason = stage_string(c, CATEGORY, 0)) ||
	    (reason = stage_string(c, FAMILY, 0)) ||
	    (reason = stage_string(c, SUPPLIER_ID, 0)))
		return reason;
	/* Other key fields (site_id, ...) are ids too. */
	for (int i = NSEED; i < c->st->nowned - NDERIVED; i++)
		if ((reason = stage_string(c, i, 0)))
			return reason;
	while (name->len > 0 && name->s[0] == ' ')
		name->s++, name->len--;
	while (name->len > 0 && name->s[name->len - 1] == ' ')
		name->len--;
	if (cat->kind == V_STR) {
		strbuf_add(&c->scratch, cat->s, cat->len);
		sql_lower(c->scratch.s);
		cat->s = c->scratch.s;
	}
	return NULL;
}

/*
 * unit_cost = cost / quantity: Spark divides DECIMAL(10,2) by INTEGER into
 * a DECIMAL with 13 decimals, rounded half up; so 2.35 / 10 is 0.235, not
 * the double 0.23500000000000001.  Printed as that decimal: it reads back
 * as the double nearest to it.
 */
static void
set_unit_cost(struct val *v, long long cents, long long qty)
{
	/* N = cents x 10^11 / qty, rounded half away from zero, exactly. */
	__extension__ typedef __int128 wide;
	wide num = (wide)cents * 100000000000LL, q = qty < 0 ? -(wide)qty : qty;
	wide n = (num < 0 ? -num : num), r;

	r = n % q;
	n = n / q + (2 * r >= q);
	if (((num < 0) != (qty < 0)) && n != 0)
		n = -n;
	if (n > (wide)9000000000000000000LL || n < -(wide)9000000000000000000LL)
		set_double(v, (double)cents / 100.0 / (double)qty);
	else
		set_fixed13(v, (long long)n);
}

/* total_value = cost x quantity, exact in cents while it fits. */
static double
total_value(long long cents, long long qty)
{
	long long t;

	if (!__builtin_mul_overflow(cents, qty, &t))
		return (double)t / 100.0;
	return (double)cents / 100.0 * (double)qty;
}

/* Casts, filters and derived fields of the seed's "cleaned" CTE. */
static const char *
stage_values(struct ctx *c, struct staged *res)
{
	const struct staging *st = c->st;
	struct val *v = c->v;
	long long cents = 0, qty = 0, stock = 0, lead = 0;
	long day;
	enum cast_result r;
	const char *reason;
	char date[DATE_BUFSZ];

	if ((reason = stage_strings(c)) != NULL)
		return reason;

	r = cast_cents_f(field(c, COST), 10, &cents);
	if (r == CAST_NULL)
		return fail(c->why, c->size, "cost", "missing");
	if (r != CAST_OK)
		return fail(c->why, c->size, "cost", cast_strerror(r, "not a number"));
	if (cents <= 0)
		return fail(c->why, c->size, "cost", "not positive");
	set_double(&v[COST], (double)cents / 100.0);

	if ((reason = stage_int(c, QUANTITY, &qty)) ||
	    (reason = stage_int(c, CURRENT_STOCK, &stock)) ||
	    (reason = stage_int(c, LEAD_TIME_DAYS, &lead)))
		return reason;

	r = cast_date_f(field(c, DATE), &day);
	if (r == CAST_NULL)
		return fail(c->why, c->size, "date", "missing");
	if (r != CAST_OK)
		return fail(c->why, c->size, "date", "not a date");
	if (day < st->since) {
		date_format(st->since, date);
		snprintf(c->why, c->size, "date: before %s", date);
		return c->why;
	}
	date_format(day, v[DATE].buf);
	set_str(&v[DATE], v[DATE].buf);

	r = cast_timestamp_f(field(c, CREATED_AT), &res->created);
	if (r != CAST_OK && r != CAST_NULL)
		return fail(c->why, c->size, "created_at", "not a timestamp");
	res->has_created = r == CAST_OK;
	v[CREATED_AT].kind = V_NULL;
	if (res->has_created) {
		ts_format(res->created, v[CREATED_AT].buf);
		set_str(&v[CREATED_AT], v[CREATED_AT].buf);
	}

	/* The derived fields come last in the owned list. */
	v += st->nowned - NDERIVED;
	v[STOCK_STATUS].kind = V_NULL;
	if (c->v[CURRENT_STOCK].kind != V_NULL)
		set_str(&v[STOCK_STATUS], stock <= 0 ? "OUT_OF_STOCK" :
		    stock <= st->low_stock ? "LOW_STOCK" : "OK");
	v[TOTAL_VALUE].kind = V_NULL;
	v[UNIT_COST].kind = V_NULL;
	if (c->v[QUANTITY].kind != V_NULL) {
		set_double(&v[TOTAL_VALUE], total_value(cents, qty));
		if (qty != 0)
			set_unit_cost(&v[UNIT_COST], cents, qty);
	}
	set_str(&v[LOADED_AT], st->now);
	return NULL;
}

static void
dump_val(struct strbuf *out, const struct val *v)
{
	if (v->kind == V_STR)
		ndjson_dump_string(out, v->s, v->len);
	else if (v->kind == V_RAW)
		strbuf_add(out, v->s, v->len);
	else
		strbuf_add(out, "null", 4);
}

/* The record's fields in order, owned ones replaced in place, then the
 * owned fields it lacked. */
static void
write_record(struct ctx *c, struct strbuf *out)
{
	const struct flat *fl = c->fl;
	char written[STAGING_MAX_OWNED] = { 0 };

	strbuf_addc(out, '{');
	for (size_t j = 0; j < fl->n; j++) {
		const struct flat_field *f = &fl->f[j];
		int i = owned_index(c->st, f->key, f->klen);

		if (j > 0)
			strbuf_addc(out, ',');
		ndjson_dump_string(out, f->key, f->klen);
		strbuf_addc(out, ':');
		if (i >= 0) {
			dump_val(out, &c->v[i]);
			written[i] = 1;
		} else
			flat_dump_value(out, f);
	}
	for (int i = 0; i < c->st->nowned; i++) {
		if (written[i])
			continue;
		if (out->s[out->len - 1] != '{')
			strbuf_addc(out, ',');
		ndjson_dump_string(out, c->st->owned[i], c->st->owned_len[i]);
		strbuf_addc(out, ':');
		dump_val(out, &c->v[i]);
	}
	strbuf_add(out, "}\n", 2);
}

/* The deduplication key: the series key fields, then the date. */
static void
write_key(struct ctx *c, struct strbuf *out)
{
	for (int k = 0; k < c->st->nkeys; k++) {
		const struct val *v = &c->v[owned_index(c->st, c->st->keys[k],
		    strlen(c->st->keys[k]))];

		if (v->kind == V_STR)
			strbuf_add(out, v->s, v->len);
		else
			strbuf_addc(out, '\001');	/* null sorts first */
		strbuf_addc(out, '\037');
	}
	strbuf_add(out, c->v[DATE].s, c->v[DATE].len);
}

const char *
staging_record(const struct staging *st, const struct flat *fl,
    struct strbuf *out, struct staged *res, char *why, size_t size)
{
	struct ctx c = { .st = st, .fl = fl, .why = why, .size = size };
	const char *reason;

	for (int i = 0; i < st->nowned; i++)
		c.where[i] = -1;
	for (size_t j = 0; j < fl->n; j++) {
		int i = owned_index(st, fl->f[j].key, fl->f[j].klen);

		if (i >= 0)
			c.where[i] = (int)j;
	}
	memset(res, 0, sizeof(*res));
	if ((reason = stage_values(&c, res)) == NULL) {
		res->line_off = out->len;
		write_record(&c, out);
		res->line_len = out->len - res->line_off;
		res->key_off = out->len;
		write_key(&c, out);
		res->key_len = out->len - res->key_off;
	}
	strbuf_release(&c.scratch);
	return reason;
}
