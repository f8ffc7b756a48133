/*
 * reject.h: records that a program refuses, with -r FILE and -m N
 * (nc-records(5), REJECTS).
 *
 * Each reject is counted; with -r it goes whole to FILE as
 *   {"_reject":RECORD,"reason":"...","tool":"nc-x","input":"stdin","line":N}
 * where RECORD is the object, or the raw line as a string when it was not
 * JSON; without -r a warning "nc-x: stdin:42: cost: not a number" goes to
 * stderr.  Ownership: reject_*() only read what they are given.
 */
#ifndef NC_REJECT_H
#define NC_REJECT_H

#include <stdio.h>
#include <jansson.h>

struct rejects {
	const char *path;      /* -r FILE, or NULL */
	FILE *fp;
	long max;              /* -m N: rejects allowed; default 0 */
	unsigned long count;   /* rejects so far */
	unsigned long other;   /* records written to FILE that are not rejects */
};

/* Open path (if any) for writing; failure is fatal (exit 1). */
void rejects_open(struct rejects *r, const char *path, long max);

/* Count a reject and write or report it; record may be NULL. */
void reject_record(struct rejects *r, const json_t *record, const char *raw,
    const char *input, unsigned long line, const char *reason);

/*
 * reject_record() of a line that a parallel worker (parmap.h) refused:
 * as the record it holds when is_object (the line is parsed again here),
 * else as the raw line; the reason is reason_len bytes, not terminated.
 */
void reject_line(struct rejects *r, int is_object, const char *line, size_t len,
    const char *input, unsigned long lineno, const char *reason, size_t reason_len);

/*
 * Write a record that is set aside but not rejected (nc-transform's
 * superseded duplicates) to FILE, if any, with its reason; not counted.
 */
void reject_aside(struct rejects *r, const json_t *record,
    const char *input, unsigned long line, const char *reason);

/*
 * Close FILE (exit 1 on a write error), report the count on stderr when
 * any, and return NC_REJECTS when the count exceeds max, else NC_OK.
 */
int rejects_close(struct rejects *r);

#endif
