/*
 * extsort.h: sort records by key in bounded memory, as sort(1) does.
 *
 * A record is a key and a payload (bytes).  Records come out ordered by
 * key, compared as memcmp() over the shorter length with the shorter key
 * first, and records of equal keys in the order they were added: the
 * order a stable in-memory sort gives, so a caller that breaks ties by
 * input line gets exactly what it got before.  A key that is not a plain
 * byte string (a series key, then a date) is encoded by the caller so that
 * memcmp() order is the order it wants (extsort_key_escape()).
 *
 * Records accumulate in one buffer of at most mem bytes (records from its
 * start, a 32-byte sort reference per record from its end, and room for
 * the copy of the references that sorting them takes).  When it is
 * full, the buffer is sorted (psort) and written as a run to a temporary
 * file under dir; when all records have come, the runs are merged back by
 * a heap over at most `fanin` runs at once (more runs: earlier passes
 * merge some of them into one first, as few as it takes).  When every
 * record fits, no file is written and the records come straight from the
 * sorted buffer.
 *
 * Run files are private to the process: each is created with mkstemp(3)
 * ("nc-sortXXXXXX" under dir) and unlinked at once, and read back through
 * its open descriptor, so nothing is left behind by any exit, a signal or
 * even SIGKILL.  SIGINT, SIGTERM, SIGHUP and SIGQUIT are held back for the
 * instant between a file's creation and its unlinking (no handler is
 * needed: the signal's own action, after the unlink, leaves nothing).  A
 * run is a sequence of records, each
 *	u32 klen, u32 plen, u64 seq (native byte order), key, payload
 * A payload may thus hold pointers that stay valid in the process (the
 * input names of nc-transform's records).  A write error (ENOSPC) or a
 * read error on a run is fatal: "prog: error: DIR: run file: No space left
 * on device" and exit 1, before any record is returned.
 *
 * Ownership: extsort_add() copies what it is given.  The record that
 * extsort_next() returns lives until the next call.  extsort_release()
 * frees everything and closes the runs.
 *
 *	struct extsort es;
 *	extsort_init(&es, &opts);
 *	while (...) extsort_add(&es, key, klen, payload, plen);
 *	extsort_finish(&es);
 *	while (extsort_next(&es, &r) == 1) use(r.key, r.klen, r.payload, r.plen);
 *	extsort_release(&es);
 */
#ifndef NC_EXTSORT_H
#define NC_EXTSORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ndjson.h"

#define EXTSORT_MEM_DEFAULT ((size_t)32 << 20)   /* -S default: 32M */
#define EXTSORT_MEM_MIN ((size_t)16 << 10)       /* -S at least 16K */

struct extsort_opts {
	size_t mem;             /* -S: the buffer's bytes; 0: the default */
	const char *dir;        /* -T: NULL: $TMPDIR, else /tmp */
	int fanin;              /* runs merged at once; 0: from mem, 2 .. 256 */
};

struct extsort_rec {
	const char *key, *payload;
	size_t klen, plen;
	uint64_t seq;           /* the order of extsort_add() calls, from 0 */
};

struct es_run;

struct extsort {
	struct extsort_opts o;
	char *buf;              /* records up, refs down */
	size_t cap, used, nrefs;
	uint64_t seq;
	struct es_run **runs;   /* written, waiting to be merged */
	size_t nruns, runcap;
	size_t maxruns;         /* open runs at most (descriptors) */
	/* Statistics for -v. */
	uint64_t records, spilled_bytes;
	size_t runs_written, merge_passes;
	/* Output. */
	int phase;              /* 0 adding, 1 in memory, 2 merging */
	size_t next;            /* in memory: the next ref; merging: 1 once begun */
	struct es_run **heap;
	size_t nheap;
};

/*
 * Parse a -S SIZE as sort(1) does: a number with an optional suffix b
 * (bytes), K (the default), M, G or T (powers of 1024).  Returns 0 and
 * *out, or -1 (not a size, or below EXTSORT_MEM_MIN).
 * "64K" -> 65536, "32M" -> 33554432, "100" -> 102400.
 */
int extsort_parse_size(const char *s, size_t *out);

void extsort_init(struct extsort *es, const struct extsort_opts *o);
void extsort_add(struct extsort *es, const void *key, size_t klen, const void *payload,
    size_t plen);
/* No more records: sort what is buffered, merge runs down to fanin. */
void extsort_finish(struct extsort *es);
/* The next record in order: 1, or 0 at the end. */
int extsort_next(struct extsort *es, struct extsort_rec *r);
/* From the first record again (after extsort_finish()). */
void extsort_rewind(struct extsort *es);
void extsort_release(struct extsort *es);

/*
 * One -v line to fp: which path ran, with the runs and bytes spilled:
 * "nc-x: sort: 1200 records in memory" or "nc-x: sort: 5000000 records,
 * external: 70 runs, 2.1 GB spilled to /tmp, 1 merge pass".
 */
void extsort_report(const struct extsort *es, FILE *fp);

/*
 * A reorder window: records that are in order but for some that come a
 * few records late (a re-sent record), put in order in constant memory
 * without temporary files.  It holds up to max records (a heap by key,
 * then arrival); once full, each record added lets the smallest out.  A
 * record whose key sorts before one already let out came later than the
 * window allows: rwin_add() says so (-1) and the caller fails.  With
 * max 0 it only checks the order.
 *
 * Ownership: rwin_add() copies what it is given; the record let out lives
 * until the next call.
 *
 *	rwin_init(&w, 1000);
 *	while (...) {
 *		if ((c = rwin_add(&w, key, klen, pay, plen, &r)) < 0) errx(...);
 *		if (c == 1) use(&r);
 *	}
 *	while (rwin_next(&w, &r) == 1) use(&r);
 *	rwin_release(&w);
 */
struct rwin_rec;

struct rwin {
	size_t max;
	struct rwin_rec **heap;
	size_t n;
	uint64_t seq, out;      /* records added, let out */
	struct rwin_rec *last;  /* the last let out */
	uint64_t late;          /* the most places a record was let out late */
};

void rwin_init(struct rwin *w, size_t max);
/* 1: *r is the next record in order; 0: none yet; -1: out of order. */
int rwin_add(struct rwin *w, const void *key, size_t klen, const void *payload,
    size_t plen, struct extsort_rec *r);
/* At the end: the records still held, in order; 0 when none is left. */
int rwin_next(struct rwin *w, struct extsort_rec *r);
void rwin_release(struct rwin *w);
/* "nc-x: sort: --sorted=1000: streamed, 5000 records, at most 7 places late" */
void rwin_report(const struct rwin *w, FILE *fp);

/*
 * Append s to sb so that memcmp() of two escaped strings, each followed
 * by a NUL byte and then more key bytes, orders them as the strings
 * (shorter first) and then by the bytes after: NUL becomes 01 01 and 01
 * becomes 01 02.  nc-features sorts by escape(key) 00 day.
 */
void extsort_key_escape(struct strbuf *sb, const char *s, size_t len);

#endif
