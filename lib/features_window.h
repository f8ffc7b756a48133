/*
 * features_window.h: the last values of a series, for the seed's LAG and
 * ROWS BETWEEN n-1 PRECEDING AND CURRENT ROW windows, with SQL's nulls.
 *
 * Ownership: a struct fwin is a plain value with no allocations.
 *
 *	struct fwin w;
 *	fwin_reset(&w);
 *	fwin_push(&w, 3, 0);                 // value 3, not null
 *	fwin_lag(&w, 1, &v);                 // 0: null (nothing before)
 *	fwin_mean(&w, 7, &v);                // 1, v = 3
 */
#ifndef NC_FEATURES_WINDOW_H
#define NC_FEATURES_WINDOW_H

#define FWIN_CAP 64             /* longest lag or window + 1, a power of 2 */

struct fwin {
	double v[FWIN_CAP];
	unsigned char null[FWIN_CAP];
	unsigned long n;        /* rows pushed */
};

void fwin_reset(struct fwin *w);
/* Add the current row's value (null when isnull). */
void fwin_push(struct fwin *w, double v, int isnull);
/* The value k rows before the current one: 1 and *v, or 0 for null. */
int fwin_lag(const struct fwin *w, int k, double *v);
/* AVG over the current row and the n-1 before it (nulls skipped). */
int fwin_mean(const struct fwin *w, int n, double *v);
/* Sample standard deviation over the same rows; null under 2 values. */
int fwin_std(const struct fwin *w, int n, double *v);

/* The seed's features of the current row, each with have_* 0 for null. */
struct fwin_seed {
	double lag_1, lag_7, lag_30, mean_7, std_7, mean_30;
	int have_lag_1, have_lag_7, have_lag_30, have_mean_7, have_std_7, have_mean_30;
};

/* All of them in one pass, equal bit for bit to fwin_lag(1, 7, 30),
 * fwin_mean(7), fwin_std(7) and fwin_mean(30). */
void fwin_seed(const struct fwin *w, struct fwin_seed *f);

#endif
