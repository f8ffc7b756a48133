/*
 * serve_feed.c: how nc-serve learns of a load without hammering the
 * store.  One thread holds its own read-only connection and asks the
 * store whether anything was committed (serve_db's changed()): SQLite's
 * "PRAGMA data_version" every interval, a number that changes only when
 * another connection commits; PostgreSQL's LISTEN nc_loads, which
 * nc-store's load NOTIFYs at its commit (the thread waits on the socket).
 * Only then does it read nc_loads past the last load it saw, and for a
 * load of the alerts dataset that load's records (by _load, an indexed
 * scan of one load).  Events go to a ring
 * of FEED_RING; clients read it by sequence number, each at its pace; a
 * client that falls a whole ring behind is told so and dropped.  The
 * WebSocket hub (serve_ws_hub.c) sleeps in epoll, not on the condition:
 * it gives an eventfd that every new event writes to.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "nc.h"
#include "ndjson.h"
#include "serve.h"

#define FEED_RING 4096

static struct {
	pthread_mutex_t mu;
	pthread_cond_t cond;
	pthread_t thread;
	struct serve_event ring[FEED_RING];
	unsigned long long head;        /* the next event's seq */
	int stop, started, interval_ms;
	int notify_fd;                  /* an eventfd to write after each event, or -1 */
	char *path;
} feed = { .mu = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER,
    .notify_fd = -1 };

void
serve_event_release(struct serve_event *ev)
{
	free(ev->item_id);
	free(ev->data);
	ev->item_id = ev->data = NULL;
}

/* Add an event (takes item_id and data). */
static void
push(const char *kind, const char *level, char *item_id, char *data)
{
	struct serve_event *ev;

	pthread_mutex_lock(&feed.mu);
	ev = &feed.ring[feed.head % FEED_RING];
	serve_event_release(ev);
	ev->seq = feed.head++;
	snprintf(ev->kind, sizeof(ev->kind), "%s", kind);
	snprintf(ev->level, sizeof(ev->level), "%s", level ? level : "");
	ev->item_id = item_id;
	ev->data = data;
	pthread_cond_broadcast(&feed.cond);
	if (feed.notify_fd >= 0) {
		uint64_t one = 1;
		/* Non-blocking: a full counter already says "something new". */
		ssize_t w = write(feed.notify_fd, &one, sizeof(one));

		(void)w;
	}
	pthread_mutex_unlock(&feed.mu);
}

void
serve_feed_notify(int fd)
{
	pthread_mutex_lock(&feed.mu);
	feed.notify_fd = fd;
	pthread_mutex_unlock(&feed.mu);
}

static int
first_value(void *ctx, int ncols, const char *const *val, const size_t *len)
{
	(void)len;
	snprintf(ctx, 64, "%s", ncols > 0 && val[0] ? val[0] : "");
	return 1;
}

static int
alert_row(void *ctx, int ncols, const char *const *val, const size_t *len)
{
	json_t *o;
	const char *level, *id;

	(void)ctx;
	(void)len;
	if (ncols < 1 || val[0] == NULL)
		return 0;
	o = json_loads(val[0], 0, NULL);
	level = json_string_value(json_object_get(o, "level"));
	id = json_string_value(json_object_get(o, "item_id"));
	push("alert", level, id ? xstrdup(id) : NULL, xstrdup(val[0]));
	json_decref(o);
	return 0;
}

/* A load as an event's JSON; its id in *last, alerts' ids to read. */
struct scan {
	struct serve_db *db;
	long long *last;
	long long alerts[64];
	int nalerts, more;
	struct strbuf loads[64];
	int nloads;
};

static int
load_row(void *ctx, int ncols, const char *const *val, const size_t *len)
{
	struct scan *sc = ctx;
	struct strbuf *sb;
	const char *ds, *part, *at;

	(void)len;
	if (ncols < 5 || val[0] == NULL || val[1] == NULL)
		return 0;
	if (sc->nloads == 64) {
		sc->more = 1;           /* the rest on the next round */
		return 1;
	}
	ds = val[1], part = val[2], at = val[4];
	sb = &sc->loads[sc->nloads++];
	strbuf_add(sb, "{\"load_id\":", 11);
	strbuf_add(sb, val[0], strlen(val[0]));
	strbuf_add(sb, ",\"dataset\":", 11);
	ndjson_dump_string(sb, ds, strlen(ds));
	strbuf_add(sb, ",\"partition\":", 13);
	if (part)
		ndjson_dump_string(sb, part, strlen(part));
	else
		strbuf_add(sb, "null", 4);
	strbuf_add(sb, ",\"rows\":", 8);
	if (val[3])
		strbuf_add(sb, val[3], strlen(val[3]));
	else
		strbuf_add(sb, "0", 1);
	strbuf_add(sb, ",\"loaded_at\":", 13);
	if (at)
		ndjson_dump_string(sb, at, strlen(at));
	else
		strbuf_add(sb, "null", 4);
	strbuf_add(sb, "}", 2);            /* with the NUL */
	sc->alerts[sc->nloads - 1] = strcmp(ds, "alerts") == 0 ? strtoll(val[0], NULL, 10) : 0;
	*sc->last = strtoll(val[0], NULL, 10);
	return 0;
}

/* Push the loads after *last; 0, or a SERVE_DB_ failure. */
static int
scan(struct serve_db *db, long long *last)
{
	struct scan sc = { .db = db, .last = last };
	char from[24];
	const char *p[1] = { from };
	int rc;

	do {
		long long before = *last;

		snprintf(from, sizeof(from), "%lld", *last);
		sc.more = 0;
		sc.nloads = 0;
		if ((rc = db->ops->begin(db)) != SERVE_DB_OK)
			return rc;
		rc = db->ops->query(db, "SELECT load_id, dataset, partition, rows, loaded_at"
		    " FROM nc_loads WHERE load_id > CAST(? AS BIGINT) ORDER BY load_id", 1, p,
		    load_row, &sc);
		for (int i = 0; i < sc.nloads; i++) {
			if (rc == SERVE_DB_OK && sc.alerts[i] > 0) {
				char id[24];
				const char *q[1] = { id };

				snprintf(id, sizeof(id), "%lld", sc.alerts[i]);
				rc = db->ops->query(db, "SELECT record FROM alerts"
				    " WHERE _load = CAST(? AS BIGINT) ORDER BY _seq", 1, q, alert_row, NULL);
			}
			if (rc == SERVE_DB_OK)
				push("load", NULL, NULL, sc.loads[i].s);
			else
				strbuf_release(&sc.loads[i]);
			sc.loads[i].s = NULL;
			sc.loads[i].len = sc.loads[i].cap = 0;
		}
		db->ops->end(db);
		if (rc != SERVE_DB_OK)
			*last = before;
	} while (rc == SERVE_DB_OK && sc.more);
	return rc;
}

static long long
max_load(struct serve_db *db)
{
	char v[64] = "";

	if (db->ops->query(db, "SELECT coalesce(max(load_id), 0) FROM nc_loads", 0, NULL,
	    first_value, v) != SERVE_DB_OK)
		return -1;
	return strtoll(v, NULL, 10);
}

static void *
run(void *arg)
{
	struct serve_db *db = NULL;
	long long last = -1;
	char why[256];
	struct timespec ts;
	int stop, ch, wait_ms;

	(void)arg;
	for (;;) {
		wait_ms = feed.interval_ms;
		if (db == NULL && serve_db_open(&db, feed.path, why, sizeof(why)) == SERVE_DB_OK) {
			if (last < 0)
				last = max_load(db);
			if (last < 0)
				last = 0;       /* no store at the start: every load is new */
		}
		if (db != NULL) {
			/* PostgreSQL waits here for a NOTIFY; SQLite answers at once. */
			ch = db->ops->changed(db, feed.interval_ms);
			if (ch < 0 || (ch > 0 && scan(db, &last) != SERVE_DB_OK))
				serve_db_close(&db);    /* no tables yet, or a failure: anew */
			else if (strcmp(db->ops->kind, "sqlite") != 0)
				wait_ms = 0;
		} else if (last < 0)
			last = 0;
		pthread_mutex_lock(&feed.mu);
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += (long)(wait_ms % 1000) * 1000000L;
		ts.tv_sec += wait_ms / 1000 + ts.tv_nsec / 1000000000L;
		ts.tv_nsec %= 1000000000L;
		while (!feed.stop && wait_ms > 0 &&
		    pthread_cond_timedwait(&feed.cond, &feed.mu, &ts) != ETIMEDOUT)
			;
		stop = feed.stop;
		pthread_mutex_unlock(&feed.mu);
		if (stop)
			break;
	}
	serve_db_close(&db);
	return NULL;
}

int
serve_feed_start(const char *dbpath, int interval_ms)
{
	feed.path = xstrdup(dbpath);
	feed.interval_ms = interval_ms;
	if (pthread_create(&feed.thread, NULL, run, NULL) != 0)
		return -1;
	feed.started = 1;
	return 0;
}

void
serve_feed_wake(void)
{
	pthread_mutex_lock(&feed.mu);
	feed.stop = 1;
	pthread_cond_broadcast(&feed.cond);
	pthread_mutex_unlock(&feed.mu);
}

void
serve_feed_stop(void)
{
	serve_feed_wake();
	if (feed.started)
		pthread_join(feed.thread, NULL);
	feed.started = 0;
	for (int i = 0; i < FEED_RING; i++)
		serve_event_release(&feed.ring[i]);
	free(feed.path);
	feed.path = NULL;
}

unsigned long long
serve_feed_head(void)
{
	unsigned long long h;

	pthread_mutex_lock(&feed.mu);
	h = feed.head;
	pthread_mutex_unlock(&feed.mu);
	return h;
}

int
serve_feed_get(unsigned long long seq, struct serve_event *ev, int wait_ms)
{
	struct timespec ts;
	int rc = 0;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += (long)(wait_ms % 1000) * 1000000L;
	ts.tv_sec += wait_ms / 1000 + ts.tv_nsec / 1000000000L;
	ts.tv_nsec %= 1000000000L;
	pthread_mutex_lock(&feed.mu);
	while (!feed.stop && seq >= feed.head)
		if (pthread_cond_timedwait(&feed.cond, &feed.mu, &ts) == ETIMEDOUT)
			break;
	if (feed.head > FEED_RING && seq < feed.head - FEED_RING)
		rc = -1;
	else if (seq < feed.head) {
		const struct serve_event *e = &feed.ring[seq % FEED_RING];

		*ev = *e;
		ev->item_id = e->item_id ? xstrdup(e->item_id) : NULL;
		ev->data = xstrdup(e->data);
		rc = 1;
	}
	pthread_mutex_unlock(&feed.mu);
	return rc;
}
