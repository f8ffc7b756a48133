/* extsort.c: external merge sort in bounded memory (see extsort.h). */
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "extsort.h"
#include "keyprefix.h"
#include "nc.h"
#include "psort.h"

/* A record's header, in the buffer and in a run file. */
struct hdr {
	uint32_t klen, plen;
	uint64_t seq;
};

/* A sort reference: the key's first 24 bytes as numbers, and the record. */
struct ref {
	uint64_t pre[3];
	const char *rec;
};

/* A run file: written once, then read back through the same descriptor. */
struct es_run {
	int fd;
	uint64_t bytes;
	/* Reading: a buffer, the current record in it (or in big). */
	char *b;
	size_t bcap, pos, n;
	int eof;
	struct hdr h;
	const char *key;        /* the current record: key, then payload */
};

/* ---------- temporary files ---------- */

static const char *
tmp_dir(const struct extsort *es)
{
	const char *d = es->o.dir;

	if (d == NULL || *d == '\0')
		d = getenv("TMPDIR");
	return d != NULL && *d != '\0' ? d : "/tmp";
}

static void
run_fail(const struct extsort *es, const char *what)
{
	errx(NC_FAIL, "%s: %s a temporary sort run: %s (see -T and TMPDIR)",
	    tmp_dir(es), what, strerror(errno));
}

/*
 * A new run file, already unlinked.  The signals that end a batch job
 * (SIGINT, SIGTERM, SIGHUP, SIGQUIT) are held back from its creation to
 * its unlinking, so that no exit, signal or kill can leave the file
 * behind: a signal that comes meanwhile takes effect after the unlink.
 */
static struct es_run *
run_create(struct extsort *es)
{
	struct es_run *r = xcalloc(1, sizeof(*r));
	const char *dir = tmp_dir(es);
	char path[PATH_MAX];
	sigset_t hold, old;
	int n, saved;

	n = snprintf(path, sizeof(path), "%s/nc-sortXXXXXX", dir);
	if (n < 0 || (size_t)n >= sizeof(path))
		errx(NC_FAIL, "%s: temporary directory name too long", dir);
	sigemptyset(&hold);
	sigaddset(&hold, SIGINT);
	sigaddset(&hold, SIGTERM);
	sigaddset(&hold, SIGHUP);
	sigaddset(&hold, SIGQUIT);
	pthread_sigmask(SIG_BLOCK, &hold, &old);
	r->fd = mkstemp(path);
	saved = errno;
	if (r->fd >= 0)
		unlink(path);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	errno = saved;
	if (r->fd < 0)
		run_fail(es, "cannot create");
	return r;
}

static void
run_free(struct es_run *r)
{
	if (r == NULL)
		return;
	close(r->fd);
	free(r->b);
	free(r);
}

/* Buffered writing of records to a run. */
struct writer {
	struct extsort *es;
	struct es_run *r;
	char *b;
	size_t n, cap;
};

static void
writer_flush(struct writer *w)
{
	size_t off = 0;

	while (off < w->n) {
		ssize_t k = write(w->r->fd, w->b + off, w->n - off);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			if (k == 0)
				errno = ENOSPC;
			run_fail(w->es, "cannot write");
		}
		off += (size_t)k;
	}
	w->r->bytes += w->n;
	w->es->spilled_bytes += w->n;
	w->n = 0;
}

static void
writer_add(struct writer *w, const void *p, size_t n)
{
	while (n > 0) {
		size_t k = w->cap - w->n < n ? w->cap - w->n : n;

		memcpy(w->b + w->n, p, k);
		w->n += k;
		p = (const char *)p + k;
		n -= k;
		if (w->n == w->cap)
			writer_flush(w);
	}
}

static void
writer_record(struct writer *w, const struct hdr *h, const char *key)
{
	writer_add(w, h, sizeof(*h));
	writer_add(w, key, (size_t)h->klen + h->plen);
}

static void
writer_open(struct writer *w, struct extsort *es, size_t cap)
{
	w->es = es;
	w->r = run_create(es);
	w->cap = cap;
	w->n = 0;
	w->b = xmalloc(cap);
}

/* The finished run, ready to be read. */
static struct es_run *
writer_close(struct writer *w)
{
	struct es_run *r = w->r;

	writer_flush(w);
	free(w->b);
	if (lseek(r->fd, 0, SEEK_SET) != 0)
		run_fail(w->es, "cannot rewind");
	w->es->runs_written++;
	return r;
}

/* ---------- reading runs ---------- */

/* Make n bytes available at r->b + r->pos; 0 at a clean end. */
static int
reader_want(struct extsort *es, struct es_run *r, size_t n)
{
	if (r->n - r->pos >= n)
		return 1;
	if (r->pos > 0) {
		memmove(r->b, r->b + r->pos, r->n - r->pos);
		r->n -= r->pos;
		r->pos = 0;
	}
	if (n > r->bcap) {
		r->bcap = n;
		r->b = xrealloc(r->b, r->bcap);
	}
	while (r->n < n) {
		ssize_t k = read(r->fd, r->b + r->n, r->bcap - r->n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			run_fail(es, "cannot read");
		if (k == 0) {
			if (r->n == 0)
				return 0;
			errno = EIO;
			run_fail(es, "short");
		}
		r->n += (size_t)k;
	}
	return 1;
}

/* The run's next record as its current one; 0 at its end. */
static int
reader_next(struct extsort *es, struct es_run *r)
{
	if (!reader_want(es, r, sizeof(r->h))) {
		r->eof = 1;
		return 0;
	}
	memcpy(&r->h, r->b + r->pos, sizeof(r->h));
	r->pos += sizeof(r->h);
	if (!reader_want(es, r, (size_t)r->h.klen + r->h.plen)) {
		errno = EIO;
		run_fail(es, "short");
	}
	r->key = r->b + r->pos;
	r->pos += (size_t)r->h.klen + r->h.plen;
	return 1;
}

static void
reader_open(struct es_run *r, size_t bufsize)
{
	if (r->b == NULL) {
		r->bcap = bufsize;
		r->b = xmalloc(bufsize);
	}
	r->pos = r->n = 0;
	r->eof = 0;
}

/* ---------- comparisons ---------- */

static int
key_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	if (c != 0)
		return c;
	return alen < blen ? -1 : alen > blen;
}

static int
ref_cmp(const void *pa, const void *pb)
{
	const struct ref *a = pa, *b = pb;
	struct hdr ha, hb;
	int c;

	for (int k = 0; k < 3; k++)
		if (a->pre[k] != b->pre[k])
			return a->pre[k] < b->pre[k] ? -1 : 1;
	memcpy(&ha, a->rec, sizeof(ha));
	memcpy(&hb, b->rec, sizeof(hb));
	if ((ha.klen > 24 || hb.klen > 24 || ha.klen != hb.klen) &&
	    (c = key_cmp(a->rec + sizeof(ha), ha.klen, b->rec + sizeof(hb), hb.klen)) != 0)
		return c;
	return ha.seq < hb.seq ? -1 : ha.seq > hb.seq;
}

static int
run_less(const struct es_run *a, const struct es_run *b)
{
	int c = key_cmp(a->key, a->h.klen, b->key, b->h.klen);

	return c != 0 ? c < 0 : a->h.seq < b->h.seq;
}

/* ---------- the heap of runs ---------- */

static void
sift_down(struct es_run **h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, m = i;

		if (l < n && run_less(h[l], h[m]))
			m = l;
		if (l + 1 < n && run_less(h[l + 1], h[m]))
			m = l + 1;
		if (m == i)
			return;
		struct es_run *t = h[i];
		h[i] = h[m];
		h[m] = t;
		i = m;
	}
}

/* A heap of the runs in v that have a record. */
static size_t
heap_build(struct extsort *es, struct es_run **v, size_t n, struct es_run **heap,
    size_t bufsize)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		reader_open(v[i], bufsize);
		if (reader_next(es, v[i]))
			heap[k++] = v[i];
	}
	for (size_t i = k / 2; i-- > 0;)
		sift_down(heap, k, i);
	return k;
}

/* After the top's record was used: its next, or it leaves the heap. */
static size_t
heap_advance(struct extsort *es, struct es_run **heap, size_t n)
{
	if (!reader_next(es, heap[0]))
		heap[0] = heap[--n];
	if (n > 0)
		sift_down(heap, n, 0);
	return n;
}

/* ---------- sorting and spilling ---------- */

static size_t
reader_bufsize(const struct extsort *es)
{
	size_t b = es->o.mem / (2 * (size_t)es->o.fanin);

	return b < 4096 ? 4096 : b > ((size_t)1 << 20) ? (size_t)1 << 20 : b;
}

static struct ref *
refs(const struct extsort *es)
{
	if (es->buf == NULL)
		return NULL;
	return (struct ref *)(es->buf + es->cap - es->nrefs * sizeof(struct ref));
}

static void
add_run(struct extsort *es, struct es_run *r)
{
	if (es->nruns == es->runcap) {
		es->runcap = es->runcap ? 2 * es->runcap : 16;
		es->runs = xrealloc(es->runs, es->runcap * sizeof(*es->runs));
	}
	es->runs[es->nruns++] = r;
}

/* Merge k of the runs (the oldest) into one new run. */
static void
merge_some(struct extsort *es, size_t k)
{
	struct es_run **heap = xcalloc(k, sizeof(*heap));
	struct writer w;
	size_t n;

	writer_open(&w, es, reader_bufsize(es));
	n = heap_build(es, es->runs, k, heap, reader_bufsize(es));
	while (n > 0) {
		writer_record(&w, &heap[0]->h, heap[0]->key);
		n = heap_advance(es, heap, n);
	}
	for (size_t i = 0; i < k; i++)
		run_free(es->runs[i]);
	memmove(es->runs, es->runs + k, (es->nruns - k) * sizeof(*es->runs));
	es->nruns -= k;
	add_run(es, writer_close(&w));
	es->merge_passes++;
	free(heap);
}

/* Merge until at most limit runs are left, merging as little as it takes:
 * first just enough runs that the later merges are all full. */
static void
merge_down(struct extsort *es, size_t limit)
{
	size_t f = (size_t)es->o.fanin;

	while (es->nruns > limit) {
		size_t excess = es->nruns - limit;
		size_t k = excess + 1 < f ? excess + 1 : f;

		merge_some(es, k);
	}
}

static void
sort_buffer(struct extsort *es)
{
	if (es->nrefs > 1)
		psort(refs(es), es->nrefs, sizeof(struct ref), ref_cmp);
}

/* The buffer, sorted, to a new run; the buffer is empty after. */
static void
spill(struct extsort *es)
{
	struct ref *v = refs(es);
	struct writer w;

	sort_buffer(es);
	writer_open(&w, es, (size_t)1 << 18);
	for (size_t i = 0; i < es->nrefs; i++) {
		struct hdr h;

		memcpy(&h, v[i].rec, sizeof(h));
		writer_record(&w, &h, v[i].rec + sizeof(h));
	}
	add_run(es, writer_close(&w));
	es->used = es->nrefs = 0;
	/* Descriptors are bounded: merge early when runs pile up. */
	if (es->nruns >= es->maxruns)
		merge_down(es, es->maxruns - (size_t)es->o.fanin + 1);
}

/* ---------- the interface ---------- */

int
extsort_parse_size(const char *s, size_t *out)
{
	char *end;
	unsigned long long v, mult = 1024;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0)
		return -1;
	switch (*end) {
	case '\0': break;
	case 'b': mult = 1; break;
	case 'k': case 'K': mult = 1ULL << 10; break;
	case 'm': case 'M': mult = 1ULL << 20; break;
	case 'g': case 'G': mult = 1ULL << 30; break;
	case 't': case 'T': mult = 1ULL << 40; break;
	default: return -1;
	}
	if (*end != '\0' && end[1] != '\0')
		return -1;
	if (v > SIZE_MAX / mult || v * mult < EXTSORT_MEM_MIN)
		return -1;
	*out = (size_t)(v * mult);
	return 0;
}

void
extsort_init(struct extsort *es, const struct extsort_opts *o)
{
	struct rlimit rl;
	size_t files = 1024;

	memset(es, 0, sizeof(*es));
	es->o = *o;
	if (es->o.mem == 0)
		es->o.mem = EXTSORT_MEM_DEFAULT;
	if (es->o.mem < EXTSORT_MEM_MIN)
		es->o.mem = EXTSORT_MEM_MIN;
	/* A run read through 64K at least: 256 runs at once in 32M. */
	if (es->o.fanin <= 0) {
		size_t f = es->o.mem / ((size_t)128 << 10);

		es->o.fanin = f < 2 ? 2 : f > 256 ? 256 : (int)f;
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		files = rl.rlim_cur;
	/* Half the descriptors at most, leaving room for the program's own. */
	es->maxruns = files / 2 > 1024 ? 1024 : files / 2;
	if (es->maxruns < 4)
		es->maxruns = 4;
	if ((size_t)es->o.fanin > es->maxruns - 1)
		es->o.fanin = (int)(es->maxruns - 1);
	es->cap = es->o.mem;
}

void
extsort_add(struct extsort *es, const void *key, size_t klen, const void *payload,
    size_t plen)
{
	struct hdr h = { (uint32_t)klen, (uint32_t)plen, es->seq++ };
	size_t need = (sizeof(h) + klen + plen + 7) & ~(size_t)7;
	struct ref *r;
	char *p;

	if (klen > UINT32_MAX || plen > UINT32_MAX)
		errx(NC_FAIL, "a record of %zu bytes is too long to sort", klen + plen);
	/* The refs count twice: sorting them takes a copy (psort, qsort). */
	if (es->used + need + 2 * (es->nrefs + 1) * sizeof(struct ref) > es->cap &&
	    es->nrefs > 0)
		spill(es);
	if (es->buf == NULL || need + 2 * sizeof(struct ref) > es->cap) {
		/* Empty here: a first record, or one larger than -S. */
		if (need + 2 * sizeof(struct ref) > es->cap)
			es->cap = need + 2 * sizeof(struct ref);
		free(es->buf);
		es->buf = xmalloc(es->cap);
	}
	p = es->buf + es->used;
	memcpy(p, &h, sizeof(h));
	memcpy(p + sizeof(h), key, klen);
	if (plen > 0)
		memcpy(p + sizeof(h) + klen, payload, plen);
	es->used += need;
	es->nrefs++;
	r = refs(es);
	for (size_t w = 0; w < 3; w++)
		r->pre[w] = klen > 8 * w ? key_prefix8((const char *)key + 8 * w, klen - 8 * w) : 0;
	r->rec = p;
	es->records++;
}

void
extsort_finish(struct extsort *es)
{
	if (es->nruns == 0) {
		sort_buffer(es);
		es->phase = 1;
		es->next = 0;
		return;
	}
	if (es->nrefs > 0)
		spill(es);
	/* The buffer's memory goes to the runs' buffers. */
	free(es->buf);
	es->buf = NULL;
	es->cap = es->used = 0;
	merge_down(es, (size_t)es->o.fanin);
	es->heap = xcalloc(es->nruns, sizeof(*es->heap));
	es->nheap = heap_build(es, es->runs, es->nruns, es->heap, reader_bufsize(es));
	es->phase = 2;
}

int
extsort_next(struct extsort *es, struct extsort_rec *out)
{
	struct hdr h;
	const char *k;

	if (es->phase == 1) {
		const struct ref *v = refs(es);

		if (es->next >= es->nrefs)
			return 0;
		memcpy(&h, v[es->next].rec, sizeof(h));
		k = v[es->next].rec + sizeof(h);
		es->next++;
	} else if (es->phase == 2) {
		/* The top's record stays until this call: advance it now. */
		if (es->next > 0 && es->nheap > 0)
			es->nheap = heap_advance(es, es->heap, es->nheap);
		es->next = 1;
		if (es->nheap == 0)
			return 0;
		h = es->heap[0]->h;
		k = es->heap[0]->key;
	} else
		return 0;
	out->key = k;
	out->klen = h.klen;
	out->payload = k + h.klen;
	out->plen = h.plen;
	out->seq = h.seq;
	return 1;
}

void
extsort_rewind(struct extsort *es)
{
	if (es->phase == 1)
		es->next = 0;
	if (es->phase != 2)
		return;
	for (size_t i = 0; i < es->nruns; i++)
		if (lseek(es->runs[i]->fd, 0, SEEK_SET) != 0)
			run_fail(es, "cannot rewind");
	es->nheap = heap_build(es, es->runs, es->nruns, es->heap, reader_bufsize(es));
	es->next = 0;
}

void
extsort_release(struct extsort *es)
{
	for (size_t i = 0; i < es->nruns; i++)
		run_free(es->runs[i]);
	free(es->runs);
	free(es->heap);
	free(es->buf);
	memset(es, 0, sizeof(*es));
}

static void
human(char *buf, size_t size, uint64_t n)
{
	static const char *const unit[] = { "B", "KB", "MB", "GB", "TB" };
	double v = (double)n;
	int u = 0;

	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	snprintf(buf, size, u == 0 ? "%.0f %s" : "%.1f %s", v, unit[u]);
}

void
extsort_report(const struct extsort *es, FILE *fp)
{
	char b[32], m[32];

	human(m, sizeof(m), es->o.mem);
	if (es->runs_written == 0) {
		fprintf(fp, "%s: sort: %llu records in memory (-S %s)\n", nc_progname,
		    (unsigned long long)es->records, m);
		return;
	}
	human(b, sizeof(b), es->spilled_bytes);
	fprintf(fp, "%s: sort: %llu records, external (-S %s): %zu runs, %s spilled "
	    "to %s, %zu merge%s before the last (fan-in %d)\n", nc_progname,
	    (unsigned long long)es->records, m, es->runs_written - es->merge_passes, b,
	    tmp_dir(es), es->merge_passes, es->merge_passes == 1 ? "" : "s", es->o.fanin);
}

void
extsort_key_escape(struct strbuf *sb, const char *s, size_t len)
{
	size_t i = 0, start = 0;

	for (; i < len; i++)
		if ((unsigned char)s[i] <= 1) {
			strbuf_add(sb, s + start, i - start);
			strbuf_addc(sb, '\001');
			strbuf_addc(sb, s[i] == 0 ? '\001' : '\002');
			start = i + 1;
		}
	strbuf_add(sb, s + start, i - start);
}

/* ---------- the reorder window ---------- */

struct rwin_rec {
	struct hdr h;
	char key[];             /* key, then payload */
};

static int
rec_less(const struct rwin_rec *a, const struct rwin_rec *b)
{
	int c = key_cmp(a->key, a->h.klen, b->key, b->h.klen);

	return c != 0 ? c < 0 : a->h.seq < b->h.seq;
}

void
rwin_init(struct rwin *w, size_t max)
{
	memset(w, 0, sizeof(*w));
	w->max = max;
	w->heap = xcalloc(max + 1, sizeof(*w->heap));
}

static void
rwin_up(struct rwin *w, size_t i)
{
	while (i > 0 && rec_less(w->heap[i], w->heap[(i - 1) / 2])) {
		struct rwin_rec *t = w->heap[i];

		w->heap[i] = w->heap[(i - 1) / 2];
		w->heap[(i - 1) / 2] = t;
		i = (i - 1) / 2;
	}
}

static void
rwin_down(struct rwin *w, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, m = i;

		if (l < w->n && rec_less(w->heap[l], w->heap[m]))
			m = l;
		if (l + 1 < w->n && rec_less(w->heap[l + 1], w->heap[m]))
			m = l + 1;
		if (m == i)
			return;
		struct rwin_rec *t = w->heap[i];
		w->heap[i] = w->heap[m];
		w->heap[m] = t;
		i = m;
	}
}

/* The smallest record out, as *r. */
static void
rwin_pop(struct rwin *w, struct extsort_rec *r)
{
	struct rwin_rec *top = w->heap[0];

	w->heap[0] = w->heap[--w->n];
	if (w->n > 0)
		rwin_down(w, 0);
	free(w->last);
	w->last = top;
	if (top->h.seq > w->out && top->h.seq - w->out > w->late)
		w->late = top->h.seq - w->out;
	w->out++;
	r->key = top->key;
	r->klen = top->h.klen;
	r->payload = top->key + top->h.klen;
	r->plen = top->h.plen;
	r->seq = top->h.seq;
}

int
rwin_add(struct rwin *w, const void *key, size_t klen, const void *payload, size_t plen,
    struct extsort_rec *r)
{
	struct rwin_rec *e;

	if (w->last != NULL && key_cmp(key, klen, w->last->key, w->last->h.klen) < 0)
		return -1;
	e = xmalloc(sizeof(*e) + klen + plen);
	e->h.klen = (uint32_t)klen;
	e->h.plen = (uint32_t)plen;
	e->h.seq = w->seq++;
	memcpy(e->key, key, klen);
	if (plen > 0)
		memcpy(e->key + klen, payload, plen);
	w->heap[w->n++] = e;
	rwin_up(w, w->n - 1);
	if (w->n <= w->max)
		return 0;
	rwin_pop(w, r);
	return 1;
}

int
rwin_next(struct rwin *w, struct extsort_rec *r)
{
	if (w->n == 0)
		return 0;
	rwin_pop(w, r);
	return 1;
}

void
rwin_release(struct rwin *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->heap[i]);
	free(w->heap);
	free(w->last);
	memset(w, 0, sizeof(*w));
}

void
rwin_report(const struct rwin *w, FILE *fp)
{
	fprintf(fp, "%s: sort: --sorted=%zu: streamed, %llu records, at most %llu places "
	    "late, no temporary file\n", nc_progname, w->max, (unsigned long long)w->seq,
	    (unsigned long long)w->late);
}
