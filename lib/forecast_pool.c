/*
 * forecast_pool.c: an ordered pool of workers (forecast_pool.h).
 * Owner: nc-forecast.
 */
#include <err.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "forecast_pool.h"
#include "nc.h"

struct pool {
	size_t n, next;
	fc_work_fn work;
	void *ctx;
	struct strbuf *out;
	char *done;
	pthread_mutex_t mu;
	pthread_cond_t cv;
};

static void *
worker(void *arg)
{
	struct pool *p = arg;

	for (;;) {
		size_t i;
		pthread_mutex_lock(&p->mu);
		i = p->next < p->n ? p->next++ : p->n;
		pthread_mutex_unlock(&p->mu);
		if (i == p->n)
			return NULL;
		p->work(i, &p->out[i], p->ctx);
		pthread_mutex_lock(&p->mu);
		p->done[i] = 1;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
	}
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
show(size_t done, size_t n, double t0, double *last, int end)
{
	double t = now_s(), rate;

	if (!end && t - *last < 0.5)
		return;
	*last = t;
	rate = t > t0 ? (double)done / (t - t0) : 0;
	fprintf(stderr, "\r%s: %zu/%zu series, %.1f/s, %.0f s left ", nc_progname,
	    done, n, rate, rate > 0 ? (double)(n - done) / rate : 0);
	if (end)
		fputc('\n', stderr);
}

static void
emit(struct strbuf *sb)
{
	if (sb->len > 0)
		nc_write(stdout, sb->s, sb->len);
	strbuf_release(sb);
}

void
fc_pool_run(size_t n, int nthreads, fc_work_fn work, void *ctx, int progress)
{
	struct pool p;
	pthread_t *tid;
	double t0 = now_s(), last = 0;
	int nt = nthreads;

	if (n == 0)
		return;
	if (nt <= 1) {
		for (size_t i = 0; i < n; i++) {
			struct strbuf sb = { 0 };
			work(i, &sb, ctx);
			emit(&sb);
			if (progress)
				show(i + 1, n, t0, &last, i + 1 == n);
		}
		return;
	}
	memset(&p, 0, sizeof(p));
	p.n = n;
	p.work = work;
	p.ctx = ctx;
	p.out = xcalloc(n, sizeof(*p.out));
	p.done = xcalloc(n, 1);
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.cv, NULL);
	tid = xcalloc((size_t)nt, sizeof(*tid));
	for (int t = 0; t < nt; t++)
		if (pthread_create(&tid[t], NULL, worker, &p) != 0)
			errx(NC_FAIL, "cannot start a worker thread");
	for (size_t i = 0; i < n; i++) {
		pthread_mutex_lock(&p.mu);
		while (!p.done[i])
			pthread_cond_wait(&p.cv, &p.mu);
		pthread_mutex_unlock(&p.mu);
		emit(&p.out[i]);
		if (progress)
			show(i + 1, n, t0, &last, i + 1 == n);
	}
	for (int t = 0; t < nt; t++)
		pthread_join(tid[t], NULL);
	pthread_mutex_destroy(&p.mu);
	pthread_cond_destroy(&p.cv);
	free(tid);
	free(p.out);
	free(p.done);
}
