/*
 * reorder_tool.h: the pieces of nc-reorder (cmd/nc-reorder.c), split by
 * concern as curl's tool_*.c: reorder_out.c (record output),
 * reorder_opts.c (options and side files), reorder_pass1.c (the first
 * pass: lead-time pools, stdin spooled), reorder_policy.c (the policy of a
 * series at one origin).  Only nc-reorder uses them.
 *
 * Ownership: a ro_series owns its rows, buffers and history copy; ro_opts
 * owns its tables (json_t) and its history; the functions only read what
 * they are given unless they say so.
 */
#ifndef NC_REORDER_TOOL_H
#define NC_REORDER_TOOL_H

#include <limits.h>
#include <stdio.h>

#include <jansson.h>

#include "flat.h"
#include "input.h"
#include "ndjson.h"
#include "reject.h"
#include "reorder.h"
#include "reorder_hist.h"
#include "reorder_leadtime.h"

#define MAXKEYS 8
#define NO_DATE LONG_MIN

/* Per-row fields nc-reorder reads, by index. */
enum {
	F_DATE, F_PERIOD, F_MEAN, F_SD, F_CIHI, F_CILEVEL, F_Q50, F_ASOF,
	F_QUANTITY, F_ACTUAL, F_HORIZON, F_PDEM, F_SMEAN, F_SSD, F_SETTLING,
	F_ONEOFF, F_DPER, F_FID, F_LUMPS, F_OODEM, F_HPER, F_SCV,
	/* Attributes: the series' last row gives them. */
	F_ITEM_NAME, F_FAMILY, F_SUPPLIER, F_COST, F_STOCK, F_ONORDER, F_LT, F_LTSTD,
	F_STATUS, F_LTOBS, NFIELDS
};
#define FIRST_ATTR F_ITEM_NAME

extern const char *const field_names[NFIELDS];

/* One usable row of a series. */
struct ro_row {
	long date, as_of;
	int ndays;
	double mean, sd, actual;        /* actual: NAN when absent */
	long horizon;
	int history;                    /* a quantity row, not a forecast */
	int settling;                   /* settling: true (not for projections) */
	int one_off;                    /* one_off: -1 absent, 0 false, 1 true */
	double pdem, smean, ssd;        /* p_demand, size_mean, size_sd; NAN absent */
	double dper;                    /* demand_periods; NAN absent */
	double lump_rate, lump_var;     /* the lumps' excess a period, its
					 * variance; 0: none */
};

struct ro_series {
	struct strbuf key;              /* "k1json\037k2json" */
	struct strbuf out_keys;         /* "\"item_id\":\"A\"," for the output */
	struct strbuf attr[NFIELDS];    /* JSON text of the last row's attributes */
	int has_attr[NFIELDS];
	struct strbuf first_line;       /* for a series-level reject */
	char *item;                     /* the item_id key's value, or NULL */
	const char *input;
	unsigned long lineno;
	struct ro_row *rows;
	size_t n, cap;
	int active;
	struct rp_hist_series hist;     /* its quantity rows (ro_series_history) */
};

struct ro_opts {
	const char *keys[MAXKEYS];
	size_t klen[MAXKEYS];
	int nkeys;
	enum rp_method method;
	double service_level;
	double delivery;                    /* --delivery */
	json_t *stocking;                   /* --stocking: item -> "estoque"|... */
	double min_requests, max_value;
	int rollout_sites;                  /* --rollout-sites, 0: off */
	int rollout_bursts;                 /* --rollout-bursts */
	int keep_lumps;                     /* --keep-lumps */
	int hist_floor;                     /* --history-floor (1) / --no-history-floor */
	int size_cv;                        /* rows' size_cv for the sizes' sd (1) */
	struct rp_hist hist;                /* --history */
	int have_hist;
	long first_day;                     /* the data's first day, or NO_DATE */
	json_t *lt_series;                  /* pass 1: key -> [n, sum, sumsq] */
	struct lt_pool pool;
	json_t *sl_items, *sl_families;     /* --service-levels */
	json_t *lt_suppliers;               /* --lead-times */
	double lead_time;                   /* --lead-time, NAN if not given */
	double review;
	double order_cost, holding_rate;
	long simulate;                      /* days, 0: off */
	int backorders;                     /* --backorders */
	struct rejects rej;
};

/* A series' lead time, as ro_series_lead_time() makes it. */
struct ro_lt {
	double lt, sd;                  /* total: purchase delay + delivery */
	double obs, delay, delivery;    /* observations, pooled delay, delivery */
	const char *prior;              /* what the delay was pooled toward */
};

/* The observations a record gives: lead_time_obs, else 1 (the export's one
 * delay), else LT_GIVEN when it carries lead_time_std (figures of its own);
 * 0 when lead_time_days is null or absent. */
#define LT_GIVEN 30.0

/* The policy of a series at one origin (its rows r[0, n)). */
struct ro_policy {
	struct rp_result res;
	struct rp_params par;
	long first;                     /* the profile's first day */
	const char *model;              /* compound, normal, classic, none */
	const char *stocking, *reason;
	char why[128];
	double requests_year;           /* expected demand occurrences a year */
	double pending;                 /* settling rows' actual demand */
	double d12;                     /* demand of the 12 months to as_of; NAN */
	double lump_day;                /* the lumps' rate left out, a day */
	double floor;                   /* the history's floor; NAN: none */
	long floor_windows;             /* the windows it was taken from */
	int ondemand, occ_from_history;
};

extern char *ro_spool_path;

/* reorder_out.c */
void ro_put_num(struct strbuf *sb, const char *name, double x);
void ro_put_int(struct strbuf *sb, const char *name, double x);
void ro_put_str(struct strbuf *sb, const char *name, const char *s);
void ro_put_date(struct strbuf *sb, const char *name, long d);
void ro_put_attr(struct strbuf *sb, const struct ro_series *s, int f);
double ro_attr_num(const struct ro_series *s, int f);
char *ro_attr_str(const struct ro_series *s, int f);
void ro_put_sim(struct strbuf *sb, const struct rp_sim *r, double value);
const char *ro_stock_status(const struct ro_series *s, double stock, int *known);

/* reorder_opts.c */
double ro_parse_level(const char *s, const char *what);
json_t *ro_read_lead_times(const char *path);
json_t *ro_read_stocking(const char *path);
double ro_parse_pos(const char *s, const char *what, int allow_zero);
void ro_read_side_file(const char *path, const char *keyfield, const char *altfield,
    const char *valfield, json_t **by_key, json_t **by_alt, int whole, int is_level);
void ro_parse_keys(struct ro_opts *o, char *keys);

/* reorder_pass1.c */
void ro_series_lead_time(const struct ro_opts *o, const struct ro_series *s,
    struct ro_lt *li);
const char *ro_input_label(const struct input *in);
void ro_pass1(struct ro_opts *o, int argc, char **argv);
void ro_spool_stdin(int argc, char **argv);

/* reorder_policy.c */
const struct rp_hist_series *ro_series_history(const struct ro_opts *o,
    struct ro_series *s);
long ro_window_first(const struct ro_opts *o, const struct rp_hist_series *h);
void ro_classic_profile(struct rp_profile *p, const struct rp_hist_series *h, long first,
    long as_of);
int ro_hist_occurrence(const struct rp_hist_series *h, long first, long as_of, int ndays,
    double *pdem, double *smean, double *ssd, double *dper);
void ro_params_of(const struct ro_opts *o, const struct ro_series *s, double lt, double lt_sd,
    double sl, struct rp_params *par);
int ro_series_policy(const struct ro_opts *o, struct ro_series *s, const struct ro_row *r,
    size_t n, long as_of, const struct ro_lt *li, double sl, struct rp_profile *p,
    struct ro_policy *pol);

/* reorder_rollout.c: the requests of the RO_BURST_DAYS days from a burst's
 * first request are the burst; a series of at most RO_ROLLOUT_BURSTS bursts,
 * at least half of whose units came in bursts where some RO_WAVE_DAYS days
 * reached min_sites sites, is a rollout's. */
#define RO_BURST_DAYS 14
#define RO_WAVE_DAYS 4
#define RO_ROLLOUT_BURSTS 3     /* default of --rollout-bursts */
struct ro_rollout {
	int bursts, waves;              /* bursts (counted up to one past the
					 * limit), those of min_sites sites */
	double share;                   /* of the units, in the latter */
};
int ro_rollout(const struct rp_hist_series *h, long first, long as_of, int min_sites,
    int max_bursts, struct ro_rollout *out);

/* reorder_floor.c: the history's floor under the reorder point. */
#define RO_FLOOR_SPANS 8        /* days of history needed: 8 windows' worth */
#define RO_FLOOR_DAYS 10        /* and days with demand */
long ro_hist_floor(const struct rp_hist_series *h, long first, long as_of, long t,
    double sl, double *q);

/* reorder_emit.c */
int ro_emit_policy(struct ro_opts *o, struct ro_series *s, const struct ro_lt *li, double sl,
    char *why, size_t whysize);

/* reorder_row.c */
int ro_parse_row(const struct ro_opts *o, const struct flat *fl, const struct flat_field **f,
    struct ro_row *r, char *why, size_t whysize);

/* reorder_sim.c */
struct ro_simtot {
	struct rp_sim all;              /* summed over the series */
	double value;                   /* avg_stock_value summed */
	int have_value;
	long cov_n, cov_ok;             /* protection checks, covered */
	char why[128];
};
int ro_row_cmp(const void *a, const void *b);
/* One series' replay, written; NULL, or the reason to reject it. */
const char *ro_simulate_series(struct ro_opts *o, struct ro_series *s, const struct ro_lt *li,
    double sl, struct ro_simtot *tot);
void ro_simulate_overall(struct ro_simtot *tot, unsigned long series);

#endif
