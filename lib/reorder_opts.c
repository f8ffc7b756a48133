/* reorder_opts.c: nc-reorder's options and side files (reorder_tool.h). */
#include <err.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "date.h"
#include "flatget.h"
#include "nc.h"
#include "reorder_tool.h"

/* A service level: a fraction 0 < p < 1, or a percent "95%"; a bare
 * number of 1 or more (is "1" 1% or 100%?) is a usage error. */
double
ro_parse_level(const char *s, const char *what)
{
	char *end;
	double p = strtod(s, &end);

	if (end == s || (*end != '\0' && strcmp(end, "%") != 0))
		errx(NC_USAGE, "%s: not a number: '%s'", what, s);
	if (*end == '%')
		p /= 100;
	else if (p >= 1)
		errx(NC_USAGE, "%s: '%s' is ambiguous: give a fraction (0.95) or a percent (95%%)",
		    what, s);
	if (!(p > 0 && p < 1))
		errx(NC_USAGE, "%s: not a level in (0, 1) or (0%%, 100%%): '%s'", what, s);
	return p;
}

/*
 * An NDJSON side file whose lines are checked by check (0: good, or -1),
 * each stored in a table under its string field key.  A bad line is a
 * usage error that says what a line needs (need).
 */
static json_t *
read_table(const char *path, const char *key, int (*check)(const json_t *),
    const char *need)
{
	struct input in;
	char *names[1] = { (char *)path }, *line, why[256];
	size_t len;
	json_t *t = json_object();

	input_init(&in, 1, names);
	while (input_next(&in, &line, &len) == 1) {
		json_t *o = ndjson_parse(line, len, why, sizeof(why)), *k;

		if (o == NULL)
			errx(NC_USAGE, "%s:%lu: %s", path, in.lineno, why);
		k = json_object_get(o, key);
		if (!json_is_string(k) || check(o) != 0) {
			json_decref(o);
			json_decref(t);
			errx(NC_USAGE, "%s:%lu: needs a string %s and %s", path, in.lineno, key,
			    need);
		}
		json_object_set(t, json_string_value(k), o);
		json_decref(o);
	}
	if (input_release(&in) != NC_OK)
		exit(NC_USAGE);
	return t;
}

/* A number >= 0 in o's field f, when there: 1 good or absent, 0 bad. */
static int
nonneg(const json_t *o, const char *f, double *d)
{
	return json_object_get(o, f) == NULL ||
	    (ndjson_number(json_object_get(o, f), d) == 1 && *d >= 0);
}

static int
check_lead_time(const json_t *o)
{
	double a = NAN, b = NAN, x;

	if (!nonneg(o, "lead_time_days", &a) || !nonneg(o, "delivery_days", &b) ||
	    !nonneg(o, "lead_time_std", &x) || !nonneg(o, "delivery_std", &x))
		return -1;
	return isnan(a) && isnan(b) ? -1 : 0;
}

/*
 * --lead-times FILE: lines {"supplier_id": S, "lead_time_days": N,
 * "lead_time_std": N} (the whole lead time) or {"supplier_id": S,
 * "delivery_days": N, "delivery_std": N} (delivery on top of the delay);
 * supplier -> the line.
 */
json_t *
ro_read_lead_times(const char *path)
{
	return read_table(path, "supplier_id", check_lead_time,
	    "a number >= 0 lead_time_days or delivery_days");
}

static int
check_stocking(const json_t *o)
{
	const char *v = json_string_value(json_object_get(o, "stocking"));

	return v != NULL && (strcmp(v, "estoque") == 0 || strcmp(v, "sob encomenda") == 0) ?
	    0 : -1;
}

/* --stocking FILE: lines {"item_id": I, "stocking": "estoque" | "sob
 * encomenda"}; item -> the line. */
json_t *
ro_read_stocking(const char *path)
{
	return read_table(path, "item_id", check_stocking,
	    "stocking \"estoque\" or \"sob encomenda\"");
}

double
ro_parse_pos(const char *s, const char *what, int allow_zero)
{
	char *end;
	double d = strtod(s, &end);

	if (end == s || *end != '\0' || !isfinite(d) || d < 0 || (!allow_zero && d == 0))
		errx(NC_USAGE, "%s: not a number %s 0: '%s'", what, allow_zero ? ">=" : ">", s);
	return d;
}

/*
 * Read an NDJSON side file: each line an object with a string field
 * keyfield (or altfield) and a number valfield; into *by_key (and
 * *by_alt), mapping the key to the value (or, with whole, the object).
 */
void
ro_read_side_file(const char *path, const char *keyfield, const char *altfield,
    const char *valfield, json_t **by_key, json_t **by_alt, int whole, int is_level)
{
	struct input in;
	char *names[1] = { (char *)path }, *line, why[256];
	size_t len;

	*by_key = json_object();
	if (by_alt)
		*by_alt = json_object();
	input_init(&in, 1, names);
	while (input_next(&in, &line, &len) == 1) {
		json_t *o = ndjson_parse(line, len, why, sizeof(why)), *k, *v, **dst = by_key;
		double d;

		if (o == NULL)
			errx(NC_USAGE, "%s:%lu: %s", path, in.lineno, why);
		k = json_object_get(o, keyfield);
		if (k == NULL && altfield != NULL) {
			k = json_object_get(o, altfield);
			dst = by_alt;
		}
		v = json_object_get(o, valfield);
		if (is_level && json_is_string(v)) {
			/* A level as a percent with its sign: "97.5%". */
			const char *sv = json_string_value(v);
			char *end;

			d = strtod(sv, &end);
			if (end == sv || strcmp(end, "%") != 0)
				d = NAN;
			v = json_real(d / 100);
			json_object_set_new(o, valfield, v);
		} else if (is_level && ndjson_number(v, &d) == 1 && d >= 1) {
			json_decref(o);
			errx(NC_USAGE, "%s:%lu: %s: %g is ambiguous: give a fraction or a "
			    "percent string (\"95%%\")", path, in.lineno, valfield, d);
		}
		if (!json_is_string(k) || ndjson_number(v, &d) != 1) {
			json_decref(o);	/* exits below: no leak for LeakSanitizer */
			errx(NC_USAGE, "%s:%lu: needs a string %s%s%s and a number %s", path,
			    in.lineno, keyfield, altfield ? " or " : "", altfield ? altfield : "",
			    valfield);
		}
		if (is_level ? !(d > 0 && d < 1) : d < 0) {
			json_decref(o);
			errx(NC_USAGE, "%s:%lu: %s: %s", path, in.lineno, valfield,
			    is_level ? "not in (0, 1)" : "negative");
		}
		if (whole) {
			json_object_set_new(o, valfield, json_real(d));
			json_object_set(*dst, json_string_value(k), o);
		} else
			json_object_set_new(*dst, json_string_value(k), json_real(d));
		json_decref(o);
	}
	if (input_release(&in) != NC_OK)
		exit(NC_USAGE);
}

void
ro_parse_keys(struct ro_opts *o, char *keys)
{
	for (char *p = strtok(keys, ","); p != NULL; p = strtok(NULL, ",")) {
		if (o->nkeys == MAXKEYS)
			errx(NC_USAGE, "-k: at most %d keys", MAXKEYS);
		o->keys[o->nkeys] = p;
		o->klen[o->nkeys++] = strlen(p);
	}
	if (o->nkeys == 0)
		errx(NC_USAGE, "-k: no key");
}
