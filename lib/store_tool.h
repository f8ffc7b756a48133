/*
 * store_tool.h: the pieces of nc-store (cmd/nc-store.c) beyond the
 * backends of store.h, split by concern: the load path (store_load.c:
 * input read in blocks and hashed, each line checked and its columns
 * extracted, rejects, the load's metadata) and the dump path
 * (store_dump.c: shards and -w filters on the rows a backend returns).
 * Owner: nc-store; fuzz/store.c drives the load path as nc-store does.
 *
 * Ownership: a store_input owns its buffer and hash; a store_loader owns
 * its field view and the metadata strings it copied; each *_release()
 * frees them.  Lines handed out by store_input_line() live until the next
 * call.
 *
 *	struct store_input in;
 *	struct store_loader ld;
 *	store_input_open(&in, STDIN_FILENO);
 *	store_loader_begin(&ld, s, &spec, &rej, max_rejects);  // load_begin
 *	if (store_loader_input(&ld, &in, "stdin") != 0)
 *		...                      // too many rejects: exit, nothing committed
 *	load_id = store_loader_commit(&ld, &in);
 */
#ifndef NC_STORE_TOOL_H
#define NC_STORE_TOOL_H

#include <stdint.h>

#include <openssl/evp.h>

#include "flat.h"
#include "reject.h"
#include "store.h"

/* A load's input: read from fd in blocks, hashed (sha256 of exactly the
 * bytes read), split into lines without their "\n" or "\r\n". */
struct store_input {
	int fd;
	char *buf;
	size_t cap, len, off;
	int eof;
	unsigned long lineno;
	EVP_MD_CTX *md;
};

void store_input_open(struct store_input *in, int fd);
/* The next line: 1, or 0 at the end; a read error is fatal (exit 1). */
int store_input_line(struct store_input *in, char **line, size_t *len);
/* The sha256 of what was read, in hex. */
void store_input_sha256(struct store_input *in, char hex[65]);
void store_input_release(struct store_input *in);

struct store_loader {
	struct store *s;
	struct store_load *spec;
	struct rejects *rej;
	long max_rejects;
	struct flat fl;
	struct flat_field fbuf[64];
	char *source, *extracted_at, *schema_version;   /* the first, the latest */
	unsigned long long rows;
};

/* Begin the load (the backend's load_begin: lock, dataset, partition). */
void store_loader_begin(struct store_loader *ld, struct store *s, struct store_load *spec,
    struct rejects *rej, long max_rejects);

/*
 * One line of input: 0 when it is stored or blank (skipped), 1 when it is
 * rejected (written to the rejects with its reason), -1 when that reject
 * is one more than max_rejects allows: the load must then end without
 * its commit, so that nothing of it is kept.
 */
int store_loader_line(struct store_loader *ld, const char *line, size_t len,
    const char *input, unsigned long lineno);

/* Every line of in: 0, or -1 as store_loader_line(). */
int store_loader_input(struct store_loader *ld, struct store_input *in, const char *name);

/* Commit the load, recorded with the input's hash; returns its id. */
long long store_loader_commit(struct store_loader *ld, struct store_input *in);
void store_loader_release(struct store_loader *ld);

/* The value of the field name of a scanned record, or NULL. */
const struct flat_field *store_field(const struct flat *fl, const char *name);

/*
 * The record as fields (flat.h): 0, or -1 with a reason in why when it is
 * not JSON; *obj is the parsed object when the fast scan could not take
 * the line (NULL otherwise), for the caller to json_decref().
 */
int store_scan(struct flat *fl, const char *line, size_t len, json_t **obj,
    char *why, size_t size);

/* Dumping (store_dump.c): the rows of a backend's dump through --shard
 * and the -w filters on fields that are not columns, to stdout. */
struct store_dumper {
	const struct store_dataset *ds;
	unsigned long shard_k, shard_n;
	const char *wkey[32];      /* -w on fields that are not columns */
	const char *wval[32];
	int nw;
	struct flat fl;
	struct flat_field fbuf[64];
	unsigned long long out;
	struct strbuf buf;         /* output, written in large pieces */
};

/* A store_row_fn: the row to the output when it passes. */
int store_dump_row(void *ctx, const struct store_row *r);
/* Write what is buffered. */
void store_dump_flush(struct store_dumper *d);

#endif
