/* reorder_pass1.c: nc-reorder's first pass, the lead-time pools, and the
 * spooled stdin that makes it possible (reorder_tool.h). */
#include <err.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "date.h"
#include "flatget.h"
#include "nc.h"
#include "reorder_tool.h"

/* The spooled copy of stdin, read twice; its rows are "stdin"'s. */
char *ro_spool_path;

struct ro_lt_row {
	double mean, sd, obs;
	char *supplier, *family;
};

static double
ro_record_lt_obs(double mean, double sd, double obs)
{
	if (isnan(mean) || mean < 0)
		return 0;
	if (!isnan(obs))
		return obs > 0 ? obs : 0;
	return isnan(sd) ? 1 : LT_GIVEN;
}

/*
 * The lead time of a series: --lead-time; else the supplier's whole lead
 * time in --lead-times; else the purchase delay from every observation of
 * the series (pass 1), pooled toward its supplier's and family's
 * (reorder_leadtime.h), plus the delivery (the supplier's delivery_days in
 * --lead-times, else --delivery).
 */
void
ro_series_lead_time(const struct ro_opts *o, const struct ro_series *s,
    struct ro_lt *li)
{
	char *sup = ro_attr_str(s, F_SUPPLIER), *fam = ro_attr_str(s, F_FAMILY);
	json_t *e = NULL, *own;
	struct lt_est est;
	struct lt_sum ls = { 0, 0, 0 };
	double d, dsd = 0;

	memset(li, 0, sizeof(*li));
	li->delivery = o->delivery;
	if (o->lt_suppliers && sup != NULL)
		e = json_object_get(o->lt_suppliers, sup);
	if (!isnan(o->lead_time) || (e != NULL && json_object_get(e, "lead_time_days"))) {
		li->lt = o->lead_time;
		li->sd = 0;
		if (isnan(o->lead_time)) {
			ndjson_number(json_object_get(e, "lead_time_days"), &li->lt);
			if (ndjson_number(json_object_get(e, "lead_time_std"), &d) == 1 && d >= 0)
				li->sd = d;
			li->prior = "--lead-times";
		} else
			li->prior = "--lead-time";
		li->delay = NAN;
		li->delivery = NAN;
		li->obs = NAN;
		goto out;
	}
	if (e != NULL && ndjson_number(json_object_get(e, "delivery_days"), &d) == 1) {
		li->delivery = d;
		if (ndjson_number(json_object_get(e, "delivery_std"), &d) == 1 && d >= 0)
			dsd = d;
	}
	if (o->lt_series != NULL) {
		char *k = xstrndup(s->key.s, s->key.len);

		if ((own = json_object_get(o->lt_series, k)) != NULL) {
			ls.n = json_real_value(json_array_get(own, 0));
			ls.sum = json_real_value(json_array_get(own, 1));
			ls.sumsq = json_real_value(json_array_get(own, 2));
		}
		free(k);
	}
	lt_pool_estimate(&o->pool, sup, fam, lt_sum_mean(&ls), lt_sum_sd(&ls), ls.n, &est);
	li->obs = ls.n;
	li->delay = est.mean;
	li->prior = est.weight < 1 ? est.prior : "series";
	li->lt = est.mean + li->delivery;
	li->sd = sqrt(est.sd * est.sd + dsd * dsd);
out:
	free(sup);
	free(fam);
}

const char *
ro_input_label(const struct input *in)
{
	return ro_spool_path != NULL && in->name == ro_spool_path ? "stdin" : in->name;
}

/* The sub-series of a row: its forecast_id without "|as_of|horizon" (the
 * rows of the sites rolled up into one key), else the key alone. */
static void
ro_sub_series(const struct flat *fl, const struct strbuf *key, struct strbuf *sub)
{
	const struct flat_field *f = flat_get(fl, "forecast_id", 11);

	sub->len = 0;
	strbuf_add(sub, key->s, key->len);
	strbuf_addc(sub, '\036');
	if (f != NULL && f->type == FLAT_STRING) {
		size_t n = f->vlen;

		for (int bars = 0; n > 0 && bars < 2; n--)
			if (f->val[n - 1] == '|' && ++bars == 2)
				break;
		if (n > 0)
			strbuf_add(sub, f->val, n - 1);
	}
}

static void
ro_lt_row_flush(struct ro_opts *o, struct ro_lt_row *lr, const struct strbuf *key)
{
	double n = ro_record_lt_obs(lr->mean, lr->sd, lr->obs);
	char *k;
	json_t *a;
	struct lt_sum s = { 0, 0, 0 };

	if (key->len > 0 && n > 0) {
		lt_pool_add(&o->pool, lr->supplier, lr->family, lr->mean, lr->sd, n);
		k = xstrndup(key->s, key->len);
		if ((a = json_object_get(o->lt_series, k)) != NULL) {
			s.n = json_real_value(json_array_get(a, 0));
			s.sum = json_real_value(json_array_get(a, 1));
			s.sumsq = json_real_value(json_array_get(a, 2));
		}
		lt_sum_add(&s, lr->mean, lr->sd, n);
		json_object_set_new(o->lt_series, k, json_pack("[fff]", s.n, s.sum, s.sumsq));
		free(k);
	}
	free(lr->supplier);
	free(lr->family);
	memset(lr, 0, sizeof(*lr));
}

static char *
ro_flat_str(const struct flat *fl, const char *name)
{
	const struct flat_field *f = flat_get(fl, name, strlen(name));

	return f != NULL && f->type == FLAT_STRING ? xstrndup(f->val, f->vlen) : NULL;
}

/*
 * Pass 1: the lead-time observations of every series (sub-series of a
 * roll-up each once, from its last row) into o->pool and o->lt_series,
 * and the first day of the history rows.  Rows it cannot read are left
 * for pass 2 to reject.
 */
void
ro_pass1(struct ro_opts *o, int argc, char **argv)
{
	struct input in;
	struct flat_field buf[64];
	struct flat fl;
	struct strbuf key = { 0 }, sub = { 0 }, prev = { 0 }, prevkey = { 0 };
	struct ro_lt_row lr = { 0 };
	char *line;
	size_t len;
	long first = NO_DATE;

	char **names = xcalloc((size_t)argc + 1, sizeof(*names));
	int n = 0;

	/* A file that will not open is for pass 2 to report, once. */
	for (int i = 0; i < argc; i++)
		if (strcmp(argv[i], "-") == 0 || access(argv[i], R_OK) == 0)
			names[n++] = argv[i];
	o->lt_series = json_object();
	flat_init(&fl, buf, sizeof(buf) / sizeof(*buf));
	input_init(&in, n, names);
	while (n > 0 && input_next(&in, &line, &len) == 1) {
		json_t *rec = NULL;
		const struct flat_field *df;
		double x;
		long d;
		int bad;

		if (flat_scan(&fl, line, len) != 0) {
			if ((rec = ndjson_parse(line, len, NULL, 0)) == NULL)
				continue;
			flat_from_json(&fl, rec);
		}
		if (rp_record_key(&fl, o->keys, o->klen, o->nkeys, &key, &bad) == 0) {
			ro_sub_series(&fl, &key, &sub);
			if (sub.len != prev.len || memcmp(sub.s, prev.s, sub.len) != 0) {
				ro_lt_row_flush(o, &lr, &prevkey);
				prev.len = prevkey.len = 0;
				strbuf_add(&prev, sub.s, sub.len);
				strbuf_add(&prevkey, key.s, key.len);
			}
			lr.mean = lr.sd = lr.obs = NAN;
			if (flat_get_number(flat_get(&fl, "lead_time_days", 14), &x) == 1)
				lr.mean = x;
			if (flat_get_number(flat_get(&fl, "lead_time_std", 13), &x) == 1)
				lr.sd = x;
			if (flat_get_number(flat_get(&fl, "lead_time_obs", 13), &x) == 1)
				lr.obs = x;
			free(lr.supplier);
			free(lr.family);
			lr.supplier = ro_flat_str(&fl, "supplier_id");
			lr.family = ro_flat_str(&fl, "family");
			df = flat_get(&fl, "date", 4);
			if (flat_get(&fl, "forecasted_demand", 17) == NULL &&
			    flat_get(&fl, "quantity", 8) != NULL && df != NULL &&
			    df->type == FLAT_STRING && date_parse_n(df->val, df->vlen, &d) == 0 &&
			    (first == NO_DATE || d < first))
				first = d;
		}
		flat_release(&fl);
		json_decref(rec);
	}
	ro_lt_row_flush(o, &lr, &prevkey);
	input_release(&in);
	free(names);
	if (o->first_day == NO_DATE)
		o->first_day = first;
	strbuf_release(&key);
	strbuf_release(&sub);
	strbuf_release(&prev);
	strbuf_release(&prevkey);
}

/* Copy stdin to a file, so that it can be read twice; "-" names it. */
void
ro_spool_stdin(int argc, char **argv)
{
	const char *tmp = getenv("TMPDIR");
	char buf[65536];
	size_t n;
	FILE *fp;
	int fd;

	if (tmp == NULL || *tmp == '\0')
		tmp = "/tmp";
	ro_spool_path = xmalloc(strlen(tmp) + 32);
	sprintf(ro_spool_path, "%s/nc-reorder.XXXXXX", tmp);
	if ((fd = mkstemp(ro_spool_path)) == -1 || (fp = fdopen(fd, "w")) == NULL)
		err(NC_FAIL, "%s", ro_spool_path);
	while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0)
		if (fwrite(buf, 1, n, fp) != n)
			err(NC_FAIL, "%s", ro_spool_path);
	if (ferror(stdin))
		err(NC_FAIL, "stdin: read error");
	if (fclose(fp) != 0)
		err(NC_FAIL, "%s", ro_spool_path);
	for (int i = 0; i < argc; i++)
		if (strcmp(argv[i], "-") == 0)
			argv[i] = ro_spool_path;
}
