/* Unit tests of lib/reorder.c: z, the formulas, and the replay on cases
 * computed by hand. */
#include <math.h>

#include "date.h"
#include "reorder.h"
#include "tap.h"

static int
near(double a, double b, double tol)
{
	return fabs(a - b) <= tol;
}

int
main(void)
{
	struct rp_profile p = RP_PROFILE_INIT;
	struct rp_params par = { .method = RP_CLASSIC, .lt = 14, .service_level = 0.95 };
	struct rp_result r;
	struct rp_sim s;
	long d0 = date_from_ymd(2026, 11, 27);
	double a;

	ok(near(rp_z(0.95), 1.6448536, 1e-6), "z(0.95) = 1.6448536");
	ok(near(rp_z(0.99), 2.3263479, 1e-6), "z(0.99) = 2.3263479");
	ok(near(rp_z(0.5), 0, 1e-12), "z(0.5) = 0");

	ok(rp_period_days("day", 3, d0) == 1, "a day is 1 day");
	ok(rp_period_days("week", 4, d0) == 7, "a week is 7 days");
	ok(rp_period_days("month", 5, date_from_ymd(2024, 2, 1)) == 29, "February 2024 has 29 days");
	ok(rp_period_days("month", 5, date_from_ymd(2026, 11, 27)) == 4, "from 27 November, 4 days of the month");
	ok(rp_period_days("year", 4, d0) == -1, "an unknown period is -1");

	ok(near(rp_sd_from_upper(10, 10 + 1.959964 * 3, 0.975), 3, 1e-5), "sd from a 95%% upper bound");
	ok(near(rp_sd_from_upper(4, 4 + 1.281552 * 2, 0.9), 2, 1e-5), "sd from q90");
	ok(isnan(rp_sd_from_upper(4, 3, 0.9)), "an upper bound under the centre gives NAN");

	/*
	 * The company's worked example: d = 8/day, LT = 14, SS = 20 -> PP = 132.
	 * A history of 28 days, 8 - a and 8 + a in turn: mean 8 and sample sd
	 * a sqrt(28/27); a is chosen so that z sd sqrt(14) = 20.
	 */
	a = 20 / (rp_z(0.95) * sqrt(14)) / sqrt(28.0 / 27);
	for (int i = 0; i < 28; i++)
		rp_profile_add(&p, d0 + i, 1, i % 2 ? 8 + a : 8 - a, 0);
	par.stock = 100;
	ok(rp_compute(&p, &par, &r) == 0, "classic: computes");
	ok(near(r.avg_daily_demand, 8, 1e-9), "classic: d = 8");
	ok(near(r.lead_time_demand, 112, 1e-9), "classic: d x LT = 112");
	ok(near(r.safety_stock, 20, 1e-9), "classic: SS = z sd sqrt(LT) = 20");
	ok(near(r.reorder_point, 132, 1e-9), "classic: PP = 132 (the company's example)");
	ok(r.stockout_day == 12, "classic: 100 units at 8/day run out on day 13 (index 12)");
	ok(near(r.days_of_cover, 12.5, 1e-9), "classic: 12.5 days of cover");

	/* With lead-time variability: SS = z sqrt(LT sd^2 + d^2 sd_LT^2). */
	par.lt_sd = 3;
	rp_compute(&p, &par, &r);
	ok(near(r.safety_stock, rp_z(0.95) * sqrt(14 * pow(20 / (rp_z(0.95) * sqrt(14)), 2) + 64 * 9), 1e-9),
	    "classic: lead-time variability adds d^2 sd_LT^2");

	/* Forecast method: 3 weeks of 56 (8/day), sd 4 each (var 16/7 a day). */
	rp_profile_clear(&p);
	for (int w = 0; w < 3; w++)
		rp_profile_add(&p, d0 + 7 * w, 7, 56, 4);
	par.method = RP_FORECAST;
	par.lt_sd = 0;
	par.lt = 14;
	par.review = 7;
	par.stock = 60;
	par.on_order = 10;
	rp_compute(&p, &par, &r);
	ok(near(r.lead_time_demand, 112, 1e-9), "forecast: weeks spread over days, LTD = 112");
	ok(near(r.protection, 21, 1e-12) && near(r.protection_demand, 168, 1e-9),
	    "forecast: the protection interval is LT + review = 21 days, 168 units");
	ok(near(r.safety_stock, rp_z(0.95) * sqrt(48), 1e-9),
	    "forecast: SS = z sqrt(sum of the variances over LT + review)");
	ok(near(r.order_up_to, r.reorder_point, 1e-9), "forecast: without EOQ, S = PP (base stock)");
	ok(r.order_qty == ceil(r.order_up_to - 70), "forecast: order = ceil(S - stock - on order)");
	ok(r.stockout_day == 7, "forecast: 60 units run out on the 8th day (56 by day 7)");

	/* A fractional lead time and one past the profile (average day). */
	par.lt = 2.5;
	rp_compute(&p, &par, &r);
	ok(near(r.lead_time_demand, 20, 1e-9), "forecast: LT 2.5 days is 20 units");
	par.lt = 30;
	rp_compute(&p, &par, &r);
	ok(near(r.lead_time_demand, 240, 1e-9), "forecast: days past the horizon are the average day");

	/* EOQ = sqrt(2 D K / (h c)): d = 8, K = 50, h = 0.2, c = 10. */
	par.lt = 14;
	par.order_cost = 50;
	par.holding_rate = 0.2;
	par.unit_cost = 10;
	rp_compute(&p, &par, &r);
	ok(near(r.eoq, sqrt(2 * 8 * 365 * 50 / 2.0), 1e-9), "EOQ = sqrt(2 x 2920 x 50 / 2)");
	ok(near(r.order_up_to, r.reorder_point + r.eoq, 1e-9), "with EOQ, S = PP + EOQ");
	par.order_cost = par.holding_rate = 0;

	/* Continuous review (review 0): T = LT. */
	par.review = 0;
	rp_compute(&p, &par, &r);
	ok(near(r.protection, 14, 1e-12) && near(r.safety_stock, rp_z(0.95) * sqrt(32), 1e-9),
	    "continuous review: SS over the lead time alone");

	/* Compound: Poisson(1) occurrences of exactly 1 unit; P(<=1) = 0.7358,
	 * P(<=2) = 0.9197: the 90% quantile is 2. */
	ok(near(rp_compound_quantile(0.9, 1, 1, 0), 2, 1e-3), "compound: Poisson(1) 90%% quantile 2");
	ok(near(rp_compound_cdf(0, 0.5, 3, 1), exp(-0.5), 1e-12), "compound: P(D = 0) = e^-lam");

	/*
	 * The protection interval on an intermittent hand case: weeks with a
	 * demand of 4 units with probability 0.3 (forecast 1.2 a week).  LT 14
	 * and review 7: 3 weeks, N ~ Poisson(0.9), P(N <= 2) = 0.9372 and
	 * P(N <= 3) = 0.9866: PP at 95% = 3 x 4 = 12.  Continuous review: 2
	 * weeks, Poisson(0.6), P(N <= 1) = 0.8781, P(N <= 2) = 0.9769: PP = 8.
	 */
	rp_profile_clear(&p);
	for (int w = 0; w < 3; w++)
		rp_profile_add_compound(&p, d0 + 7 * w, 7, 1.2, 2, 0.3, 4, 0);
	par.stock = par.on_order = 0;
	par.review = 7;
	rp_compute(&p, &par, &r);
	ok(r.compound && near(r.reorder_point, 12, 1e-3) && near(r.protection_demand, 3.6, 1e-9),
	    "compound, periodic review: PP = 12 (3 occurrences of 4)");
	par.review = 0;
	rp_compute(&p, &par, &r);
	ok(r.compound && near(r.reorder_point, 8, 1e-3), "compound, continuous review: PP = 8");
	/* A normal approximation would give 2.4 + 1.645 x sqrt(2 x 4) = 7.05. */
	par.review = 7;

	rp_profile_clear(&p);
	ok(rp_compute(&p, &par, &r) == -1, "an empty profile is refused");
	rp_profile_release(&p);

	/*
	 * The replay, by hand (see tests/t0510-reorder-simulate.sh): LT 2,
	 * review 1, PP 2, S 3 every day, start at 3; demand 3 1 0 2 1 1.
	 * Day 0: 3 served, stock 0, order 3 (arrives day 3).  Day 1: 1 lost.
	 * Day 2: nothing.  Day 3: +3, 2 served, stock 1, order 2.  Day 4: 1
	 * served, stock 0, position 2, order 1.  Day 5: 1 lost.
	 * Cycles: [0], [1-3) with a loss, [3], [4-5] with a loss: 2 of 4.
	 */
	{
		double dem[] = { 3, 1, 0, 2, 1, 1 }, pp[6], S[6];

		for (int i = 0; i < 6; i++) {
			pp[i] = 2;
			S[i] = 3;
		}
		rp_simulate(6, dem, pp, S, NULL, NULL, 2, 1, 3, 0, &s);
		ok(s.orders == 3 && near(s.ordered, 6, 0), "replay: 3 orders, 6 units");
		ok(s.stockout_days == 2, "replay: 2 stockout days");
		ok(s.cycles == 4 && s.stockout_cycles == 2, "replay: 4 cycles, 2 with a stockout");
		ok(near(s.cycle_service_level, 0.5, 1e-12), "replay: cycle service level 0.5");
		ok(near(s.fill_rate, 0.75, 1e-12), "replay: fill rate 6/8");
		ok(near(s.avg_stock, 1.0 / 6, 1e-12), "replay: average stock 1/6");
		{
			double cap[6] = { 1, 1, 1, 1, 1, 1 };
			unsigned char od[6] = { 0, 0, 0, 1, 1, 1 };

			/* A cap of 1 an order: days 0, 1, 2 order 1 each (due
			 * days 3, 4, 5); days 3-5 on demand: day 3 serves 1 of 2
			 * and orders the other for the requester; days 4 and 5
			 * are served by the arrivals: served 3 + 1 + 1 + 1. */
			rp_simulate(6, dem, pp, S, od, cap, 2, 1, 3, 0, &s);
			ok(s.orders - s.ondemand_orders == 3 && near(s.ordered, 4, 1e-12),
			    "replay: capped orders of 1 while in stock");
			ok(s.ondemand_orders == 1 && near(s.served, 6, 1e-12),
			    "replay: on demand, the stock left serves first, the rest is ordered");
			/*
			 * Backorders: day 0 serves 3, orders 3 (due day 3); day 1:
			 * 1 waits (stock -1), position 2, order 1 (day 4); day 2:
			 * position 3, no order; day 3: +3 pays the waiting unit,
			 * stock 2 serves 2, position 1, order 2 (day 6: past the
			 * end); day 4: +1 serves 1, order 1; day 5: 1 waits, order 1.
			 * Served at once 6 of 8; 5 orders, 8 units.
			 */
			rp_simulate(6, dem, pp, S, NULL, NULL, 2, 1, 3, 1, &s);
			ok(near(s.served, 6, 1e-12) && s.stockout_days == 2 && s.orders == 5 &&
			    near(s.ordered, 8, 1e-12) && near(s.avg_stock, 0, 1e-12),
			    "replay with backorders: the waiting unit is paid by the next arrival");
		}
	}
	return tap_done();
}
