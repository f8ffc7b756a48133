/* reorder_out.c: nc-reorder's record output (reorder_tool.h). */
#include <err.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "date.h"
#include "flatget.h"
#include "nc.h"
#include "reorder_tool.h"

const char *const field_names[NFIELDS] = {
	"date", "period", "forecasted_demand", "forecast_sd", "ci_upper",
	"ci_level", "q50", "as_of", "quantity", "actual_demand", "horizon",
	"p_demand", "size_mean", "size_sd", "settling", "one_off", "demand_periods",
	"forecast_id", "lumps", "one_off_demand", "history_periods", "size_cv",
	"item_name", "family", "supplier_id", "cost", "current_stock", "on_order",
	"lead_time_days", "lead_time_std", "stock_status", "lead_time_obs",
};

/* Round to 4 decimals for the output; NAN stays NAN. */
void
ro_put_num(struct strbuf *sb, const char *name, double x)
{
	char buf[40];
	int n;

	strbuf_add(sb, ",\"", 2);
	strbuf_add(sb, name, strlen(name));
	strbuf_add(sb, "\":", 2);
	if (isfinite(x))
		x = round(x * 1e4) / 1e4 + 0.0;
	n = ndjson_fmt_double(buf, x);
	if (n == 0)
		strbuf_add(sb, "null", 4);
	else
		strbuf_add(sb, buf, (size_t)n);
}

void
ro_put_int(struct strbuf *sb, const char *name, double x)
{
	char buf[48];

	if (!isfinite(x)) {
		ro_put_num(sb, name, x);
		return;
	}
	snprintf(buf, sizeof(buf), ",\"%s\":%.0f", name, x);
	strbuf_add(sb, buf, strlen(buf));
}

void
ro_put_str(struct strbuf *sb, const char *name, const char *s)
{
	strbuf_add(sb, ",\"", 2);
	strbuf_add(sb, name, strlen(name));
	strbuf_add(sb, "\":", 2);
	if (s == NULL)
		strbuf_add(sb, "null", 4);
	else
		ndjson_dump_string(sb, s, strlen(s));
}

void
ro_put_date(struct strbuf *sb, const char *name, long d)
{
	char buf[DATE_BUFSZ];

	if (d == NO_DATE) {
		ro_put_str(sb, name, NULL);
		return;
	}
	date_format(d, buf);
	ro_put_str(sb, name, buf);
}

void
ro_put_attr(struct strbuf *sb, const struct ro_series *s, int f)
{
	strbuf_add(sb, ",\"", 2);
	strbuf_add(sb, field_names[f], strlen(field_names[f]));
	strbuf_add(sb, "\":", 2);
	if (s->has_attr[f])
		strbuf_add(sb, s->attr[f].s, s->attr[f].len);
	else
		strbuf_add(sb, "null", 4);
}

double
ro_attr_num(const struct ro_series *s, int f)
{
	struct flat_field ff = { .type = FLAT_NUMBER };
	double d;

	if (!s->has_attr[f])
		return NAN;
	ff.val = s->attr[f].s;
	ff.vlen = s->attr[f].len;
	if (ff.vlen > 0 && ff.val[0] == '"') {
		ff.val++;
		ff.vlen = ff.vlen >= 2 ? ff.vlen - 2 : 0;
	} else if (ff.vlen == 4 && memcmp(ff.val, "null", 4) == 0)
		return NAN;
	return flat_get_number(&ff, &d) == 1 ? d : NAN;
}

/* A string attribute's value as a C string (quotes removed), or NULL. */
char *
ro_attr_str(const struct ro_series *s, int f)
{
	char why[64];
	json_t *v;
	char *out = NULL;
	struct strbuf sb = { 0 };

	if (!s->has_attr[f])
		return NULL;
	strbuf_add(&sb, "{\"v\":", 5);
	strbuf_add(&sb, s->attr[f].s, s->attr[f].len);
	strbuf_addc(&sb, '}');
	v = ndjson_parse(sb.s, sb.len, why, sizeof(why));
	strbuf_release(&sb);
	if (v != NULL && json_is_string(json_object_get(v, "v")))
		out = xstrdup(json_string_value(json_object_get(v, "v")));
	json_decref(v);
	return out;
}

void
ro_put_sim(struct strbuf *sb, const struct rp_sim *r, double value)
{
	ro_put_int(sb, "days", (double)r->days);
	ro_put_int(sb, "cycles", (double)r->cycles);
	ro_put_int(sb, "stockout_cycles", (double)r->stockout_cycles);
	ro_put_num(sb, "cycle_service_level", r->cycle_service_level);
	ro_put_num(sb, "fill_rate", r->fill_rate);
	ro_put_int(sb, "stockout_days", (double)r->stockout_days);
	ro_put_int(sb, "orders", (double)r->orders);
	ro_put_num(sb, "demand", r->demand);
	ro_put_num(sb, "served", r->served);
	ro_put_num(sb, "avg_stock", r->avg_stock);
	ro_put_num(sb, "avg_stock_value", value);
}

const char *
ro_stock_status(const struct ro_series *s, double stock, int *known)
{
	*known = s->has_attr[F_STATUS] && !(s->attr[F_STATUS].len == 4 &&
	    memcmp(s->attr[F_STATUS].s, "null", 4) == 0);
	if (*known)
		return NULL;
	if (isnan(ro_attr_num(s, F_STOCK)))
		return NULL;
	return stock <= 0 ? "OUT_OF_STOCK" : stock <= 10 ? "LOW_STOCK" : "OK";
}
