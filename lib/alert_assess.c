/*
 * alert_assess.c: nc-alert's rules, from one reorder record to a level,
 * an urgency, a reason and a value at risk (nc-alert(1), LEVELS).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "alert.h"
#include "date.h"
#include "ndjson.h"

const char *const alert_level_name[AL_NLEVELS] = {
	"VERDE", "AMARELO", "VERMELHO", "ENCOMENDA"
};

static double
num(const json_t *rec, const char *name)
{
	double d;

	return ndjson_number(json_object_get(rec, name), &d) == 1 ? d : NAN;
}

const char *
alert_fmt2(double x, char buf[32])
{
	snprintf(buf, 32, "%.2f", x);
	for (char *e = buf + strlen(buf) - 1; e > buf && strchr(buf, '.'); e--) {
		if (*e == '0')
			*e = '\0';
		else {
			if (*e == '.')
				*e = '\0';
			break;
		}
	}
	if (strcmp(buf, "-0") == 0)
		strcpy(buf, "0");
	return buf;
}

double
alert_tail(double mean, double sd, double x)
{
	if (!(sd > 0))
		return mean > x ? 1 : 0;
	return 0.5 * erfc((x - mean) / (sd * M_SQRT2));
}

/*
 * A date field: absent or null is fine (0, *has 0); a valid "YYYY-MM-DD"
 * sets *days and *has; anything else is a reject reason in why.
 */
static int
date_field(const json_t *rec, const char *name, long *days, int *has, char *why, size_t n)
{
	const json_t *v = json_object_get(rec, name);
	const char *s;

	*has = 0;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v)) {
		snprintf(why, n, "%s: not a date string", name);
		return -1;
	}
	s = json_string_value(v);
	if (json_string_length(v) != 10 || s[4] != '-' || s[7] != '-' ||
	    date_parse(s, days) != 0) {
		snprintf(why, n, "%s: not a valid date: '%.40s'", name, s);
		return -1;
	}
	*has = 1;
	return 0;
}

/*
 * Urgency from the slack: the days left before an order placed today
 * arrives after the projected stockout (days to stockout minus the lead
 * time).  No projected stockout: low.
 */
static const char *
urgency_of(double d2s, double lt)
{
	double slack;

	if (isnan(d2s))
		return "low";
	slack = d2s - (isnan(lt) ? 0 : lt);
	return slack <= 0 ? "critical" : slack < 7 ? "high" : slack < 30 ? "medium" : "low";
}

/*
 * The chance that demand over the protection interval (lead time plus the
 * review period) exceeds the stock position: demand normal with the mean
 * of the record's lead-time demand plus d x review, and the variance of
 * the company's variable-lead-time formula, (LT + R) sd_d^2 + d^2 sd_LT^2.
 * Without daily_demand_sd the deviation is implied by the safety stock
 * (SS / z).  Nothing on hand with demand forecast is a certain stockout.
 */
static double
p_stockout(const json_t *rec, double pos, double d, double lt, double ss)
{
	double r = num(rec, "review_days"), ltd = num(rec, "lead_time_demand");
	double sdd = num(rec, "daily_demand_sd"), sdlt = num(rec, "lead_time_std");
	double z = num(rec, "z"), mean, var;

	if (!(d > 0))
		return 0;
	if (pos <= 0)
		return 1;
	if (isnan(lt) || lt < 0)
		lt = 0;
	if (isnan(r) || r < 0)
		r = 0;
	if (isnan(sdlt) || sdlt < 0)
		sdlt = 0;
	mean = (isnan(ltd) ? d * lt : ltd) + d * r;
	if (!isnan(sdd) && sdd >= 0)
		var = (lt + r) * sdd * sdd + d * d * sdlt * sdlt;
	else if (z > 0 && ss > 0 && lt > 0)
		var = (ss / z) * (ss / z) * (lt + r) / lt;
	else
		var = 0;
	return alert_tail(mean, sqrt(var), pos);
}

static void
value_at_risk(const json_t *rec, struct alert *a)
{
	a->cost = num(rec, "cost");
	if (isnan(a->cost))
		a->cost = num(rec, "unit_cost");
	if (!(a->cost >= 0))
		a->cost = NAN;
	a->order_value = a->qty > 0 ? a->qty * a->cost : isnan(a->cost) ? NAN : 0;
	a->value_at_risk = isnan(a->p_stockout) ? NAN : a->order_value * a->p_stockout;
}

#define SAY(...) snprintf(a->reason, sizeof(a->reason), __VA_ARGS__)

const char *
alert_assess(const struct alert_opts *o, const json_t *rec, struct alert *a)
{
	static char why[128];
	double lt = num(rec, "lead_time_days"), d = num(rec, "avg_daily_demand");
	double out = num(rec, "order_up_to"), onord = num(rec, "on_order"), pos;
	double r = num(rec, "review_days");
	const json_t *oo = json_object_get(rec, "one_off");
	const json_t *st = json_object_get(rec, "stocking");
	long sod = 0, aod = 0;
	int has_asof, on_request = 0;
	char b1[32], b2[32], b3[32], b4[32];

	memset(a, 0, sizeof(*a));
	a->stock = num(rec, "current_stock");
	a->pp = num(rec, "reorder_point");
	a->ss = num(rec, "safety_stock");
	a->qty = num(rec, "recommended_order_qty");
	a->cover = num(rec, "days_of_cover");
	a->d2s = a->p_stockout = NAN;
	if (isnan(a->stock))
		return "current_stock: missing or not a number";
	if (isnan(a->pp))
		return "reorder_point: missing or not a number";
	if (date_field(rec, "as_of", &aod, &has_asof, why, sizeof(why)) != 0 ||
	    date_field(rec, "stockout_date", &sod, &a->has_stockout, why, sizeof(why)) != 0)
		return why;
	if (oo != NULL && !json_is_null(oo) && !json_is_boolean(oo))
		return "one_off: not true, false or null";
	a->one_off = json_is_true(oo);
	if (st != NULL && !json_is_null(st)) {
		const char *s = json_string_value(st);

		if (s == NULL || (strcmp(s, "estoque") != 0 && strcmp(s, "sob encomenda") != 0))
			return "stocking: not \"estoque\" or \"sob encomenda\"";
		on_request = strcmp(s, "sob encomenda") == 0;
	}
	if (a->has_stockout)
		date_format(sod, a->stockout);
	/* The company's days to rupture: (stock - SS) / d. */
	a->d2r = d > 0 ? fmax(0, (a->stock - (isnan(a->ss) ? 0 : a->ss)) / d) : NAN;
	pos = a->stock + (onord > 0 ? onord : 0);
	/* Days to stockout: nc-reorder's projection (stockout_date - as_of);
	 * without one (none within the forecast's horizon), the stock
	 * position over the daily demand. */
	if (a->has_stockout && has_asof)
		a->d2s = fmax(0, (double)(sod - aod));
	else if (d > 0)
		a->d2s = fmax(0, pos) / d;
	a->urgency = urgency_of(a->d2s, lt);
	a->p_stockout = p_stockout(rec, pos, d, lt, a->ss);
	value_at_risk(rec, a);
	if (isnan(r) || r < 0)
		r = 0;

	if (a->one_off) {
		a->level = AL_VERDE;
		a->urgency = "low";
		SAY(o->en ? "one-off request (one_off): not a rate of use, no stock alert" :
		    "requisição pontual (one_off): não é consumo recorrente, sem alerta de estoque");
		return NULL;
	}
	if (on_request) {
		a->level = AL_ENCOMENDA;
		if (a->qty > 0)
			SAY(o->en ? "ordered on request: order %s for the requests, hold no stock "
			    "(lead time %s days)" :
			    "sob encomenda: encomende %s para as requisições, sem manter estoque "
			    "(prazo de entrega %s dias)",
			    alert_fmt2(a->qty, b1), isnan(lt) ? "?" : alert_fmt2(lt, b2));
		else if (d > 0)
			SAY(o->en ? "ordered on request: hold no stock, buy against each request "
			    "(forecast %s a day, lead time %s days)" :
			    "sob encomenda: não manter estoque, compre a cada requisição "
			    "(previsão %s por dia, prazo de entrega %s dias)",
			    alert_fmt2(d, b1), isnan(lt) ? "?" : alert_fmt2(lt, b2));
		else
			SAY(o->en ? "ordered on request: hold no stock, buy against each request" :
			    "sob encomenda: não manter estoque, compre a cada requisição");
		return NULL;
	}
	if (!(d > 0) && a->pp <= 0 && !(a->has_stockout && has_asof)) {
		a->level = AL_VERDE;
		SAY(o->en ? "no demand expected (reorder point 0)" :
		    "sem demanda prevista (ponto de pedido 0)");
		return NULL;
	}
	if (a->has_stockout && has_asof && !isnan(lt) && sod - aod <= lt) {
		a->level = AL_VERMELHO;
		/* Nothing on hand or on order: the stockout is now, not a date. */
		if (pos <= 0)
			SAY(o->en ? "no stock and nothing on order: buy now (lead time %s days)" :
			    "sem estoque e sem pedido em aberto: compre já (prazo de entrega de "
			    "%s dias)", alert_fmt2(lt, b1));
		else
			SAY(o->en ? "stockout projected on %s, within the lead time of %s days: "
			    "buy now" : "ruptura prevista em %s, dentro do prazo de entrega de %s "
			    "dias: compre já", a->stockout, alert_fmt2(lt, b1));
		return NULL;
	}
	/* Stock at the order-up-to level: just replenished, nothing to buy. */
	if (out > 0 && pos >= out * (1 - 1e-12)) {
		a->level = AL_VERDE;
		SAY(o->en ? "stock %s at or above the order-up-to level %s: nothing to buy" :
		    "estoque %s no nível máximo %s ou acima: nada a comprar",
		    alert_fmt2(pos, b1), alert_fmt2(out, b2));
		return NULL;
	}
	if (a->pp <= 0) {
		/* Demand forecast, but the reorder point is 0 (a lead time of 0). */
		if (pos <= 0) {
			a->level = AL_VERMELHO;
			SAY(o->en ? "no stock, demand forecast %s a day: buy now" :
			    "sem estoque, demanda prevista de %s por dia: compre já",
			    alert_fmt2(d, b1));
		} else if (!isnan(a->d2s) && a->d2s <= (isnan(lt) ? 0 : lt) + r) {
			a->level = AL_AMARELO;
			if (a->has_stockout && has_asof)
				SAY(o->en ? "stockout projected on %s, before the next review's "
				    "order would arrive (%s days): plan the purchase" :
				    "ruptura prevista em %s, antes que um pedido da próxima "
				    "revisão chegue (%s dias): planeje a compra",
				    a->stockout, alert_fmt2((isnan(lt) ? 0 : lt) + r, b1));
			else
				SAY(o->en ? "stock %s lasts %s days, less than the lead time plus "
				    "the review (%s days): plan the purchase" :
				    "estoque %s dura %s dias, menos que o prazo de entrega mais a "
				    "revisão (%s dias): planeje a compra", alert_fmt2(pos, b1),
				    alert_fmt2(a->d2s, b2), alert_fmt2((isnan(lt) ? 0 : lt) + r, b3));
		} else {
			a->level = AL_VERDE;
			SAY(o->en ? "stock %s covers the lead time (reorder point 0, demand %s a day)" :
			    "estoque %s cobre o prazo de entrega (ponto de pedido 0, demanda %s por dia)",
			    alert_fmt2(pos, b1), alert_fmt2(d, b2));
		}
		return NULL;
	}
	/* A hair of tolerance, so that 120 <= 1.2 x 100 whatever the rounding. */
	if (pos <= o->red * a->pp * (1 + 1e-12)) {
		a->level = AL_VERMELHO;
		SAY(o->en ? "stock %s <= %s x reorder point %s (%s): buy now" :
		    "estoque %s <= %s x ponto de pedido %s (%s): compre já",
		    alert_fmt2(pos, b1), alert_fmt2(o->red, b2), alert_fmt2(a->pp, b3),
		    alert_fmt2(o->red * a->pp, b4));
	} else if (pos <= o->yellow * a->pp * (1 + 1e-12)) {
		a->level = AL_AMARELO;
		SAY(o->en ? "stock %s <= %s x reorder point %s (%s): plan the purchase" :
		    "estoque %s <= %s x ponto de pedido %s (%s): planeje a compra",
		    alert_fmt2(pos, b1), alert_fmt2(o->yellow, b2), alert_fmt2(a->pp, b3),
		    alert_fmt2(o->yellow * a->pp, b4));
	} else {
		a->level = AL_VERDE;
		SAY(o->en ? "stock %s > %s x reorder point %s (%s)" :
		    "estoque %s > %s x ponto de pedido %s (%s)",
		    alert_fmt2(pos, b1), alert_fmt2(o->yellow, b2), alert_fmt2(a->pp, b3),
		    alert_fmt2(o->yellow * a->pp, b4));
	}
	return NULL;
}
