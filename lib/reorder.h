/*
 * reorder.h: safety stock, reorder point and order quantity of one series
 * (nc-reorder), and the replay of that policy over history (--simulate).
 * Owner: nc-reorder; nc-alert reads only what nc-reorder writes.
 *
 * A series' demand is a daily profile: day i (from the profile's first
 * date) has a mean and a variance.  Forecast rows of a week or a month are
 * spread evenly over their days, mean/n and variance/n per day, so that
 * the sum over the period keeps both the mean and (independent days) the
 * variance the row gave.
 *
 * Ownership: a profile owns its array; rp_profile_release() frees it.
 * rp_compute() and rp_simulate() only read what they are given.
 *
 *	struct rp_profile p = RP_PROFILE_INIT;
 *	rp_profile_add(&p, date, 7, 56.0, 4.0);     // a week: 8/day, sd 4
 *	struct rp_params par = { .lt = 14, .service_level = 0.95, ... };
 *	rp_compute(&p, &par, &res);                // res.reorder_point ...
 */
#ifndef NC_REORDER_H
#define NC_REORDER_H

#include <stddef.h>

/*
 * A day: its mean and variance, and, where the forecast gives its
 * occurrence x size split (p_demand, size_mean, size_sd), the expected
 * number of demand occurrences lam and their first and second size
 * moments lam x E[size] and lam x E[size^2] (sums over the rows that
 * cover the day, so that series rolled up into one key add).
 */
struct rp_day {
	double mean, var;
	double lam, m1, m2;
};

struct rp_profile {
	long first;             /* date (day number) of day[0] */
	struct rp_day *day;
	size_t n, cap;
	size_t rows, compound_rows;  /* rows added; of them with p_demand */
	double p_sum;                /* sum of their p_demand */
};

#define RP_PROFILE_INIT { 0, NULL, 0, 0, 0, 0, 0 }

/* Empty the profile, keeping its memory. */
void rp_profile_clear(struct rp_profile *p);
void rp_profile_release(struct rp_profile *p);

/*
 * Add a period of ndays days from date with total mean and standard
 * deviation sd (each day gets mean/ndays and sd^2/ndays).  Days between
 * periods that no row covers have no demand.
 */
void rp_profile_add(struct rp_profile *p, long date, int ndays, double mean, double sd);

/*
 * The same, with the period's occurrence x size split: a demand occurs in
 * the period with probability pdem, of size_mean units on average with
 * standard deviation size_sd (NAN when unknown: a coefficient of variation
 * of 1 is assumed).  pdem NAN: rp_profile_add().
 */
void rp_profile_add_compound(struct rp_profile *p, long date, int ndays, double mean,
    double sd, double pdem, double size_mean, double size_sd);

/* Make the profile cover [from, to] (day numbers), new days without demand. */
void rp_profile_span(struct rp_profile *p, long from, long to);

/* Days in the period that starts on date: "day" 1, "week" 7, "month" the
 * days from date to the end of its calendar month; -1 for an unknown name. */
int rp_period_days(const char *period, size_t len, long date);

/* z of a one-sided service level in (0, 1): 0.95 gives 1.6448536. */
double rp_z(double service_level);

/*
 * The standard deviation implied by an upper bound: upper is the p-quantile
 * of a normal centred on center (a 95% interval's upper bound is p = 0.975;
 * q90 is p = 0.9).  Only the upper side is used, since the lower one is
 * often cut at 0.  NAN when p is not in (0.5, 1) or upper < center.
 */
double rp_sd_from_upper(double center, double upper, double p);

enum rp_method {
	RP_FORECAST,    /* the forecast's distribution over LT + R */
	RP_CLASSIC,     /* PP = d x LT + z x sqrt(LT sd_d^2 + d^2 sd_LT^2) */
	RP_ONDEMAND     /* nothing in stock: every request is ordered */
};

/* Below this mean p_demand a series' demand is compound (see rp_compute). */
#define RP_P_SMOOTH 0.8

/*
 * Compound Poisson demand: lam occurrences expected, sizes gamma with mean
 * size_mean and standard deviation size_sd (0: every size is size_mean).
 * P(D <= x), and the smallest x with P(D <= x) >= p (bisection to 1e-6).
 */
double rp_compound_cdf(double x, double lam, double size_mean, double size_sd);
double rp_compound_quantile(double p, double lam, double size_mean, double size_sd);

struct rp_params {
	enum rp_method method;
	double lt;              /* lead time, days (> 0) */
	double lt_sd;           /* its standard deviation, days (0: none) */
	double service_level;   /* (0, 1) */
	double review;          /* review period, days (>= 0; 0: continuous) */
	double stock;           /* current stock */
	double on_order;
	double order_cost;      /* EOQ when order_cost > 0, holding_rate > 0 */
	double holding_rate;    /* per year, fraction of unit cost */
	double unit_cost;       /* NAN when unknown */
};

struct rp_result {
	double z;
	int compound;              /* the compound distribution was used */
	double protection;         /* days protected: LT + review (classic: LT) */
	double protection_demand;  /* mean demand over them */
	double avg_daily_demand;   /* mean over the whole profile */
	double daily_sd;           /* sd of one day's demand over the lead time */
	double lead_time_demand;
	double safety_stock;
	double reorder_point;
	double cycle_demand;       /* demand over the review period, or the EOQ */
	double eoq;                /* NAN when not asked for or not computable */
	double order_up_to;
	double order_qty;          /* max(0, ceil(order_up_to - stock - on_order)) */
	double days_of_cover;      /* stock / avg daily demand; NAN when no demand */
	long stockout_day;         /* profile index of the first day cumulative
	                              demand exceeds stock; -1 if none */
};

/*
 * Compute the policy of one series.  RP_FORECAST: the protection interval
 * is T = LT + review days (review 0: continuous review, T = LT); the
 * demand over T is the sum of the profile over its first T days (a
 * fractional day counts in part; days past the profile's end are its
 * average day).  Where the profile's rows carry p_demand with a mean under
 * RP_P_SMOOTH, that demand is compound Poisson (occurrences lam over T,
 * gamma sizes scaled so that the mean is the forecast's), mixed over the
 * lead time at LT - sqrt(3) sd_LT, LT, LT + sqrt(3) sd_LT (weights 1/6,
 * 2/3, 1/6), and PP is its service-level quantile; otherwise it is normal
 * and PP = D_T + z sqrt(var_T + (D_T/T)^2 sd_LT^2).  SS = PP - D_T;
 * lead_time_demand = D over LT alone.  S = PP + the EOQ, or the mean
 * demand of the max(review, 1) days after T.  RP_CLASSIC:
 * d and sd_d are the mean and sample standard deviation of the profile's
 * daily means (the history), D_LT = d x LT, SS = z sqrt(LT sd_d^2 +
 * d^2 sd_LT^2); the stockout projection uses d every day.
 * Returns 0, or -1 when the profile is empty.
 */
int rp_compute(const struct rp_profile *p, const struct rp_params *par, struct rp_result *res);

/* Raise a computed policy's PP to pp where it is lower: SS and S rise
 * with it, and the order is recomputed. */
void rp_raise_pp(const struct rp_params *par, struct rp_result *res, double pp);

/*
 * The replay of a periodic-review (R, s, S) policy with lost sales over
 * ndays days.  Day t: orders due arrive; demand[t] is served from stock
 * (what is missing is lost; with backorder, it waits: stock goes negative
 * and the next arrivals serve it first, counted as not served); then, on review days (t = 0, R, 2R, ...), if
 * pp[t] is a number and stock + on order <= pp[t], an order of
 * ceil(S[t] - stock - on order) is placed; it arrives at the start of day
 * t + lt_days + 1, so it covers lt_days days of demand, as the reorder
 * point does.  Stock starts at initial.
 *
 * A cycle runs from one order to the next (the days before the first order
 * are a cycle too); a cycle with a day of unmet demand is a stockout cycle.
 * On a day with ondemand[t] set (ondemand may be NULL), the series is
 * ordered on demand: stock still serves first, what it does not serve is
 * lost to the shelf (a request that waits) and ordered for the requester
 * (an order, and the end of a cycle, never stock).  An order is at most
 * cap[t] when cap is not NULL and cap[t] is a number (the 12-month cap).
 * Cycle service level = cycles without stockout / cycles; fill rate =
 * served / demand (NAN when demand is 0); average stock is the mean of the
 * end-of-day stock.
 */
struct rp_sim {
	long days, cycles, stockout_cycles, stockout_days, orders, ondemand_orders;
	double demand, served, ordered, stock_sum;
	double cycle_service_level, fill_rate, avg_stock;
};

void rp_simulate(size_t ndays, const double *demand, const double *pp, const double *S,
    const unsigned char *ondemand, const double *cap, long lt_days, long review,
    double initial, int backorder, struct rp_sim *out);

#endif
