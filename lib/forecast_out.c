/*
 * forecast_out.c: forecast and backtest records (forecast_out.h).
 * Owner: nc-forecast.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "date.h"
#include "forecast_eval.h"
#include "forecast_out.h"

const char *
fc_period_name(enum fc_period p)
{
	return p == FC_WEEK ? "week" : p == FC_MONTH ? "month" : "day";
}

static void
put_date(struct strbuf *sb, const char *name, long d)
{
	char buf[DATE_BUFSZ];

	date_format(d, buf);
	fc_put_str(sb, name, buf);
}

static int
is_key(const struct fc_rowctx *rc, const char *name)
{
	for (size_t i = 0; i < rc->nkeys; i++)
		if (strcmp(rc->keys[i], name) == 0)
			return 1;
	return 0;
}

/* The names of the level and quantile fields: ci_lower_80, q50, ... */
struct names {
	char lo[FC_MAX_LEVELS][48], hi[FC_MAX_LEVELS][48], q[FC_MAX_QUANT][48];
};

static void
names_init(struct names *nm, const struct fc_plan *p)
{
	char lv[24];

	for (size_t l = 0; l < p->nlevels; l++) {
		fc_level_name(lv, sizeof(lv), p->levels[l]);
		snprintf(nm->lo[l], sizeof(nm->lo[l]), "ci_lower_%s", lv);
		snprintf(nm->hi[l], sizeof(nm->hi[l]), "ci_upper_%s", lv);
	}
	for (size_t j = 0; j < p->nq; j++) {
		fc_level_name(lv, sizeof(lv), p->q[j] * 100);
		snprintf(nm->q[j], sizeof(nm->q[j]), "q%s", lv);
	}
}

static void
put_bool(struct strbuf *sb, const char *name, int v)
{
	strbuf_addc(sb, ',');
	ndjson_dump_string(sb, name, strlen(name));
	strbuf_add(sb, v ? ":true" : ":false", v ? 5 : 6);
}

/* How the series' demand comes: nc-records(5), forecast rows. */
static void
put_shape(struct strbuf *sb, const struct fc_series *s, size_t o,
    const struct fc_shape *sh)
{
	put_date(sb, "history_start", s->start);
	fc_put_int(sb, "history_periods", (double)o);
	fc_put_int(sb, "demand_periods", (double)sh->demand_periods);
	fc_put_num(sb, "p_demand", sh->p_demand);
	fc_put_num(sb, "size_mean", sh->size_mean);
	fc_put_num(sb, "size_sd", sh->size_sd);
	fc_put_num(sb, "size_cv", sh->size_cv);
	put_bool(sb, "one_off", sh->one_off);
	fc_put_int(sb, "lumps", (double)sh->lumps);
	fc_put_num(sb, "one_off_demand", sh->one_off_demand);
}

static int
lead_time_attr(const struct fc_rowinfo *ri, const char *name)
{
	return ri->lt_n > 0 && (strcmp(name, "lead_time_days") == 0 ||
	    strcmp(name, "lead_time_std") == 0);
}

static void
put_row(struct strbuf *sb, const struct fc_rowctx *rc, const struct names *nm,
    const struct fc_series *s, size_t o, const struct fc_fc *f, size_t i,
    const double *actual, const struct fc_rowinfo *ri)
{
	const struct fc_plan *p = rc->plan;
	long as_of = ri->as_of != LONG_MIN ? ri->as_of :
	    fc_period_add(rc->period, s->start, (long)o) - 1;
	long date = fc_period_add(rc->period, s->start, (long)(o + i));
	char buf[64];
	size_t top = 0;
	struct strbuf id = { 0 };

	strbuf_add(&id, s->id, strlen(s->id));
	date_format(as_of, buf);
	strbuf_addc(&id, '|');
	strbuf_add(&id, buf, strlen(buf));
	snprintf(buf, sizeof(buf), "|%zu", i + 1);
	strbuf_add(&id, buf, strlen(buf));
	strbuf_add(sb, "{\"forecast_id\":", 15);
	ndjson_dump_string(sb, id.s, id.len);
	strbuf_release(&id);
	strbuf_addc(sb, ',');
	strbuf_add(sb, s->keyjson, strlen(s->keyjson));
	put_date(sb, "date", date);
	fc_put_int(sb, "horizon", (double)(i + 1));
	fc_put_str(sb, "period", fc_period_name(rc->period));
	fc_put_num(sb, "forecasted_demand", f->mean[i]);
	fc_put_num(sb, "forecast_sd", f->sd[i]);
	for (size_t l = 1; l < p->nlevels; l++)
		if (p->levels[l] > p->levels[top])
			top = l;
	fc_put_num(sb, "ci_lower", f->lo[top * f->h + i]);
	fc_put_num(sb, "ci_upper", f->hi[top * f->h + i]);
	fc_put_int(sb, "ci_level", p->levels[top]);
	for (size_t l = 0; l < p->nlevels; l++) {
		fc_put_num(sb, nm->lo[l], f->lo[l * f->h + i]);
		fc_put_num(sb, nm->hi[l], f->hi[l * f->h + i]);
	}
	for (size_t j = 0; j < p->nq; j++)
		fc_put_num(sb, nm->q[j], f->q[j * f->h + i]);
	fc_put_str(sb, "model_type", f->model);
	fc_put_str(sb, "demand_class", f->cls);
	put_shape(sb, s, o, ri->sh);
	put_bool(sb, "settling", i < ri->settling);
	if (i < ri->settling)
		fc_put_num(sb, "recorded_demand", ri->recorded[i]);
	put_date(sb, "as_of", as_of);
	fc_put_str(sb, "created_at", rc->created_at);
	for (int a = 0; a < FC_NATTR; a++) {
		if (s->attr[a] == NULL || is_key(rc, fc_attr_names[a]) ||
		    lead_time_attr(ri, fc_attr_names[a]))
			continue;
		strbuf_addc(sb, ',');
		ndjson_dump_string(sb, fc_attr_names[a], strlen(fc_attr_names[a]));
		strbuf_addc(sb, ':');
		strbuf_add(sb, s->attr[a], strlen(s->attr[a]));
	}
	if (ri->lt_n > 0) {
		fc_put_num(sb, "lead_time_days", ri->lt_mean);
		fc_put_num(sb, "lead_time_std", ri->lt_sd);
	}
	fc_put_int(sb, "lead_time_obs", (double)ri->lt_n);
	if (actual != NULL) {
		double a = actual[i], e = f->mean[i] - a;
		fc_put_num(sb, "actual_demand", a);
		fc_put_num(sb, "forecast_error", e);
		fc_put_num(sb, "absolute_error", fabs(e));
		fc_put_num(sb, "mape", a > 0 ? fabs(e) / a * 100 : NAN);
	}
	strbuf_add(sb, "}\n", 2);
}

void
fc_put_rows(struct strbuf *sb, const struct fc_rowctx *rc,
    const struct fc_series *s, size_t o, const struct fc_fc *f, size_t nrows,
    const double *actual, const struct fc_rowinfo *ri)
{
	struct names nm;

	names_init(&nm, rc->plan);
	for (size_t i = 0; i < nrows && i < f->h; i++)
		put_row(sb, rc, &nm, s, o, f, i, actual, ri);
}
