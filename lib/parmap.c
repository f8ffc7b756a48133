/* parmap.c: ordered parallel map over input lines (see parmap.h). */
#include <err.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nc.h"
#include "parmap.h"

#define BATCH_LINES 2048
#define BATCH_BYTES (1 << 20)

enum batch_state { FREE, QUEUED, DONE };

struct batch {
	enum batch_state state;
	struct pm_item items[BATCH_LINES];
	size_t n;
	struct strbuf text;     /* the lines, each NUL-terminated */
	size_t offs[BATCH_LINES];
	struct strbuf out;      /* map()'s output */
};

struct pool {
	pthread_mutex_t mu;
	pthread_cond_t work, done;
	struct batch **queue;   /* FIFO of QUEUED batches */
	size_t qcap, qhead, qlen;
	int stop;
	pm_map_fn map;
	void *ctx;
};

static void *
worker(void *arg)
{
	struct pool *p = arg;

	for (;;) {
		struct batch *b;

		pthread_mutex_lock(&p->mu);
		while (p->qlen == 0 && !p->stop)
			pthread_cond_wait(&p->work, &p->mu);
		if (p->qlen == 0) {
			pthread_mutex_unlock(&p->mu);
			return NULL;
		}
		b = p->queue[p->qhead];
		p->qhead = (p->qhead + 1) % p->qcap;
		p->qlen--;
		pthread_mutex_unlock(&p->mu);

		b->out.len = 0;
		for (size_t i = 0; i < b->n; i++)
			p->map(&b->items[i], &b->out, p->ctx);

		pthread_mutex_lock(&p->mu);
		b->state = DONE;
		pthread_cond_broadcast(&p->done);
		pthread_mutex_unlock(&p->mu);
	}
}

/* Read up to a batch of lines; returns the count. */
static size_t
fill(struct batch *b, struct input *in)
{
	char *line;
	size_t len;

	b->n = 0;
	b->text.len = 0;
	while (b->n < BATCH_LINES && b->text.len < BATCH_BYTES &&
	    input_next(in, &line, &len)) {
		struct pm_item *it = &b->items[b->n];

		memset(it, 0, sizeof(*it));
		b->offs[b->n] = b->text.len;
		strbuf_add(&b->text, line, len);
		strbuf_addc(&b->text, '\0');
		it->len = len;
		it->input = in->name;
		it->lineno = in->lineno;
		b->n++;
	}
	/* The text may have moved while it grew: point at it now. */
	for (size_t i = 0; i < b->n; i++)
		b->items[i].line = b->text.s + b->offs[i];
	return b->n;
}

static void
consume_batch(struct pool *p, struct batch *b, pm_consume_fn consume)
{
	pthread_mutex_lock(&p->mu);
	while (b->state != DONE)
		pthread_cond_wait(&p->done, &p->mu);
	pthread_mutex_unlock(&p->mu);
	for (size_t i = 0; i < b->n; i++)
		consume(&b->items[i], b->out.s, p->ctx);
	b->state = FREE;
}

void
parmap_run(struct input *in, int nthreads, pm_map_fn map,
    pm_consume_fn consume, void *ctx)
{
	struct pool p = { .map = map, .ctx = ctx };
	struct batch *ring;
	pthread_t *tids;
	size_t nring, seq;

	if (nthreads <= 0) {
		long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

		nthreads = ncpu < 1 ? 1 : ncpu > 4 ? 4 : (int)ncpu;
	}
	nring = (size_t)nthreads * 2 + 2;
	ring = xcalloc(nring, sizeof(*ring));
	p.queue = xcalloc(nring, sizeof(*p.queue));
	p.qcap = nring;
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.work, NULL);
	pthread_cond_init(&p.done, NULL);
	tids = xcalloc((size_t)nthreads, sizeof(*tids));
	for (int i = 0; i < nthreads; i++)
		if ((errno = pthread_create(&tids[i], NULL, worker, &p)) != 0)
			err(NC_FAIL, "pthread_create");

	for (seq = 0;; seq++) {
		struct batch *b = &ring[seq % nring];

		if (b->state != FREE)
			consume_batch(&p, b, consume);
		if (fill(b, in) == 0)
			break;
		pthread_mutex_lock(&p.mu);
		b->state = QUEUED;
		p.queue[(p.qhead + p.qlen) % p.qcap] = b;
		p.qlen++;
		pthread_cond_signal(&p.work);
		pthread_mutex_unlock(&p.mu);
	}
	/* The batches still out, oldest first. */
	for (size_t k = 1; k < nring; k++) {
		struct batch *b = &ring[(seq + k) % nring];

		if (b->state != FREE)
			consume_batch(&p, b, consume);
	}

	pthread_mutex_lock(&p.mu);
	p.stop = 1;
	pthread_cond_broadcast(&p.work);
	pthread_mutex_unlock(&p.mu);
	for (int i = 0; i < nthreads; i++)
		pthread_join(tids[i], NULL);
	for (size_t i = 0; i < nring; i++) {
		strbuf_release(&ring[i].text);
		strbuf_release(&ring[i].out);
	}
	free(ring);
	free(p.queue);
	free(tids);
	pthread_mutex_destroy(&p.mu);
	pthread_cond_destroy(&p.work);
	pthread_cond_destroy(&p.done);
}
