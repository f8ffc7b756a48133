/*
 * serve_api.h: what the pieces of nc-serve's API share (serve_api.c,
 * serve_list.c, serve_item.c); not for other files.
 */
#ifndef NC_SERVE_API_H
#define NC_SERVE_API_H

#include <string.h>

#include "ndjson.h"
#include "serve.h"

#define SERVE_MAX_VALUE 200     /* bytes of one parameter's value */

static inline void
add(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s));
}

static inline void
addll(struct strbuf *sb, long long v)
{
	char buf[24];

	strbuf_add(sb, buf, (size_t)ndjson_fmt_long(buf, v));
}

/* A store failure (a SERVE_DB_ code) as a reply: 503 when it may pass,
 * else 500; the handle is closed. */
void serve_api_fail(struct serve_reply *r, struct serve_db **db, int rc, const char *what);
/* Open the store for a request: 0, or -1 with a 503 reply. */
int serve_api_open(struct serve_reply *r, struct serve_db **db, const char *where);
/* Row callback: the first column into a 64-byte buffer ("" for null); stops. */
int serve_first_col(void *ctx, int ncols, const char *const *val, const size_t *len);
/* Row callback: records appended to a body, comma-separated or one a line. */
struct serve_records {
	struct strbuf *body;
	int ndjson;
	long n;
};
int serve_add_record(void *ctx, int ncols, const char *const *val, const size_t *len);
/*
 * The dataset's last load id: 0 if never loaded, or a SERVE_DB_ failure.
 * tag (or NULL): the start of that load's sha256, so that another store
 * with the same load ids (a restore, a rebuilt store) never gives the
 * same ETags nor cached totals.
 */
#define SERVE_TAG_SIZE 9
long long serve_last_load(struct serve_db *db, const char *dataset, char tag[SERVE_TAG_SIZE]);
/* 1 if etag is among If-None-Match's. */
int serve_etag_matches(const char *inm, const char *etag);
/* A record's field in the backend's SQL. */
void serve_add_field(struct strbuf *sb, const struct serve_db *db, const char *field);

/* GET /api/v1/<list>: 1 if rq->path is one (r answered), else 0. */
int serve_list(struct serve_req *rq, struct serve_reply *r);
void serve_item(struct serve_req *rq, const char *id, struct serve_reply *r);

#endif
