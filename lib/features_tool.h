/*
 * features_tool.h: nc-features' parts, shared by cmd/nc-features.c and its
 * lib/features_*.c files.  Owner: nc-features.
 *
 *   features_row.c     worker side: an input line to a row (key, template)
 *   features_series.c  main thread: series, periods, fill, features, output
 *   features_input.c   rows in series order: streamed (--sorted), through
 *                      a reorder window (--sorted=N), or sorted externally
 *                      in bounded memory (extsort.h)
 *
 * Ownership: a feat_series owns its buffers (feat_series_release()); the
 * options are the caller's and only read, but for o->from, which
 * feat_run() sets to the data's first day when it sorts and fills.
 */
#ifndef NC_FEATURES_TOOL_H
#define NC_FEATURES_TOOL_H

#include <stddef.h>

#include "date.h"
#include "extsort.h"
#include "features_exog.h"
#include "features_fmt.h"
#include "features_window.h"
#include "holidays.h"
#include "input.h"
#include "ndjson.h"
#include "parmap.h"
#include "reject.h"

enum feat_period { FP_DAY, FP_WEEK, FP_MONTH };

struct feat_opts {
	char **keys;
	int nkeys;
	const char *target;
	size_t target_len;
	enum feat_period period;
	int fill;               /* not --no-fill */
	int sorted;             /* --sorted: stream */
	size_t window;          /* --sorted=N: through a reorder window */
	struct extsort_opts sort;       /* -S, -T: otherwise */
	int dup_reject;         /* --dup reject */
	long until;             /* --until, or LONG_MIN */
	long from;              /* --from, the data's first day, or LONG_MIN */
	long max_periods;       /* --max-periods: the longest fill */
	struct holidays hol;
	struct exog exog;
	struct rejects rej;
};

/*
 * What map_record() produces for a good record, ahead of its key and its
 * template (the record as JSON without the closing brace and without the
 * fields nc-features owns; the date's and the target's values at known
 * places, to be replaced).
 */
struct feat_rowhdr {
	long day;
	double y;
	int ynull;
	size_t klen, tlen;
	size_t date_at, date_len;       /* the date's value in the template */
	size_t y_at, y_len;             /* the target's value */
};

/* What feat_map_record() says of a line (pm_item status). */
enum { FEAT_ROW, FEAT_REJECT_RECORD, FEAT_REJECT_LINE };

/* The date, calendar, holiday and exogenous text of one period start,
 * cached for up to DAYTEXT_MAX days around the dates seen. */
#define DAYTEXT_MAX (20 * 366)
struct daytext {
	size_t cal_off, exo_off;
	unsigned cal_len, exo_len;
	int have;
	char date[DATE_BUFSZ];
};

struct feat_series {
	struct feat_opts *o;
	struct strbuf key;      /* current series */
	int have_series;
	long last_day;          /* last record's date in the series */
	/* The period being accumulated. */
	int have_pending;
	long pstart;
	double psum;
	int pnull;              /* no non-null target in it yet */
	int pmerged;            /* more than one record in it */
	struct strbuf ptmpl;
	struct feat_rowhdr phdr;
	/* The last period written, for the gaps after it. */
	int have_emitted;
	long estart;
	struct strbuf etmpl;
	struct feat_rowhdr ehdr;
	struct fwin win;
	/* Output. */
	struct strbuf out;
	struct strbuf text;     /* daytext strings */
	struct ffmt_cache fc;   /* the windows' numbers as text */
	struct daytext *days;
	long days_base, ndays;
	unsigned long in, rows, filled;
	unsigned long cut;          /* gaps over --max-periods, filled in part */
};

/* The run: the options first, for feat_map_record(). */
struct feat_run {
	struct feat_opts *o;
	struct feat_series s;
	struct extsort es;      /* not --sorted */
	struct rwin w;          /* --sorted=N */
	struct strbuf skey, spay;       /* a row's sort key and payload */
	long min_day;           /* the rows' first day, LONG_MAX: none */
};

/* In a worker thread (parmap.h): one line to a row (or a reject);
 * ctx is the struct feat_run. */
void feat_map_record(struct pm_item *it, struct strbuf *out, void *ctx);

/* One good row, in series order (key, then date); out of order is fatal
 * ("input not ordered by key and date", exit 1). */
void feat_add_row(struct feat_series *s, const struct feat_rowhdr *h, const char *key,
    const char *tmpl, const char *input, unsigned long lineno);
/* The end of the input: the last series' pending period and fill. */
void feat_end_series(struct feat_series *s);
/* Write the buffered output: always when force, else when it is large. */
void feat_flush_out(struct feat_series *s, int force);
void feat_series_release(struct feat_series *s);

/* Read in, write the feature rows, report with -v. */
void feat_run(struct input *in, struct feat_opts *o, int nthreads);

#endif
