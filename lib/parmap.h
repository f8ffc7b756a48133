/*
 * parmap.h: map NDJSON lines to output in worker threads, and consume the
 * results in input order on the calling thread.
 *
 * The calling thread reads lines (struct input) into batches; workers run
 * map() on every line of a batch; the calling thread then runs consume()
 * on each line's result, in the order the lines came.  So a filter whose
 * work per line is independent (parse, cast, format) uses every core while
 * its output, rejects and counts stay exactly as a sequential run gives.
 *
 * Ownership: an item, its line and its output live until consume() returns.
 * map() must touch nothing shared but what it only reads.
 */
#ifndef NC_PARMAP_H
#define NC_PARMAP_H

#include "input.h"
#include "ndjson.h"

struct pm_item {
	const char *line;       /* the input line, NUL-terminated */
	size_t len;
	const char *input;      /* input name and line number, for messages */
	unsigned long lineno;
	/* Set by map(): */
	int status;             /* map-defined, e.g. 0 = ok, 1 = reject */
	size_t off, n;          /* first output: out->s + off, n bytes */
	size_t off2, n2;        /* second output (e.g. a key or a reason) */
	long long num;          /* a number for consume() */
	int flag;
};

typedef void (*pm_map_fn)(struct pm_item *it, struct strbuf *out, void *ctx);
typedef void (*pm_consume_fn)(const struct pm_item *it, const char *out, void *ctx);

/*
 * Run map over every line of in with nthreads workers (0: one per core,
 * at most 4; 1 still uses a worker thread), then consume in order.
 */
void parmap_run(struct input *in, int nthreads, pm_map_fn map,
    pm_consume_fn consume, void *ctx);

#endif
