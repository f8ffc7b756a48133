/*
 * features_row.c: nc-features' worker side: one input line to a row, the
 * record's template without the fields nc-features owns (features_tool.h).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "features_tool.h"
#include "flat.h"
#include "flatget.h"
#include "nc.h"

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


static int
owned(const struct feat_opts *o, const char *k, size_t len)
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
make_key(const struct feat_opts *o, const struct flat *fl, struct strbuf *out, char *why,
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
line_is_template(const struct feat_opts *o, const struct flat *fl, const struct flat_field *t,
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
make_row(const struct feat_opts *o, const struct flat *fl, const char *line, size_t len,
    struct strbuf *out, char *why, size_t size)
{
	const struct flat_field *d = flat_get(fl, "date", 4);
	const struct flat_field *t = flat_get(fl, o->target, o->target_len);
	struct feat_rowhdr h = { 0 };
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

void
feat_map_record(struct pm_item *it, struct strbuf *out, void *ctx)
{
	const struct feat_opts *o = ((const struct feat_run *)ctx)->o;
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
			it->status = FEAT_REJECT_LINE;
			reason = why;
		} else
			flat_from_json(&fl, rec);
	}
	it->off = out->len;
	if (reason == NULL &&
	    (reason = make_row(o, &fl, line, it->len, out, why, sizeof(why))) != NULL)
		it->status = FEAT_REJECT_RECORD;
	if (reason != NULL) {
		it->off2 = out->len;
		it->n2 = strlen(reason);
		strbuf_add(out, reason, it->n2);
	} else {
		it->status = FEAT_ROW;
		it->n = out->len - it->off;
	}
	flat_release(&fl);
	json_decref(rec);
}
