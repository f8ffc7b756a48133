/*
 * forecast_pool.h: run work(i) for i = 0..n-1 on worker threads and write
 * each output to stdout in the order of i, as soon as it and all before
 * it are done.  With progress, a line on stderr tells the series done,
 * the rate and the time left.  Owner: nc-forecast.
 *
 * Ownership: work() appends to out, which the pool writes and frees;
 * work() must touch nothing shared but what it only reads, or what it
 * owns by its index.
 */
#ifndef NC_FORECAST_POOL_H
#define NC_FORECAST_POOL_H

#include <stddef.h>

#include "ndjson.h"

typedef void (*fc_work_fn)(size_t i, struct strbuf *out, void *ctx);

void fc_pool_run(size_t n, int nthreads, fc_work_fn work, void *ctx,
    int progress);

#endif
