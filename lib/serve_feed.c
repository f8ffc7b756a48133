/*
 * serve_feed.c: how nc-serve learns of a load without hammering the
 * store.  One thread holds its own read-only connection and asks SQLite
 * "PRAGMA data_version" every interval: a number that changes only when
 * another connection commits.  Only then does it read nc_loads past the
 * last load it saw, and for a load of the alerts dataset that load's
 * records (by _load, an indexed scan of one load).  Events go to a ring
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
#include <sqlite3.h>

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

static const char *
col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static void
push_alerts(sqlite3 *db, long long load)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(db, "SELECT record FROM alerts WHERE _load = ? ORDER BY _seq",
	    -1, &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_int64(st, 1, load);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *rec = col(st, 0);
		json_t *o = json_loads(rec, 0, NULL);
		const char *level = json_string_value(json_object_get(o, "level"));
		const char *id = json_string_value(json_object_get(o, "item_id"));

		push("alert", level, id ? xstrdup(id) : NULL, xstrdup(rec));
		json_decref(o);
	}
	sqlite3_finalize(st);
}

/* Push the loads after *last; 0, or -1 on a database failure. */
static int
scan(sqlite3 *db, long long *last)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_prepare_v2(db, "SELECT load_id, dataset, partition, rows, loaded_at"
	    " FROM nc_loads WHERE load_id > ? ORDER BY load_id", -1, &st, NULL) != SQLITE_OK) {
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	sqlite3_bind_int64(st, 1, *last);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct strbuf sb = { 0 };
		long long id = sqlite3_column_int64(st, 0);
		const char *ds = col(st, 1), *part = col(st, 2), *at = col(st, 4);
		char num[24];

		strbuf_add(&sb, "{\"load_id\":", 11);
		strbuf_add(&sb, num, (size_t)ndjson_fmt_long(num, id));
		strbuf_add(&sb, ",\"dataset\":", 11);
		ndjson_dump_string(&sb, ds, strlen(ds));
		strbuf_add(&sb, ",\"partition\":", 13);
		if (part)
			ndjson_dump_string(&sb, part, strlen(part));
		else
			strbuf_add(&sb, "null", 4);
		strbuf_add(&sb, ",\"rows\":", 8);
		strbuf_add(&sb, num, (size_t)ndjson_fmt_long(num, sqlite3_column_int64(st, 3)));
		strbuf_add(&sb, ",\"loaded_at\":", 13);
		if (at)
			ndjson_dump_string(&sb, at, strlen(at));
		else
			strbuf_add(&sb, "null", 4);
		strbuf_add(&sb, "}", 2);            /* with the NUL */
		if (strcmp(ds, "alerts") == 0)
			push_alerts(db, id);
		push("load", NULL, NULL, sb.s);
		*last = id;
	}
	sqlite3_finalize(st);
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	return rc == SQLITE_DONE ? 0 : -1;
}

static long long
max_load(sqlite3 *db)
{
	sqlite3_stmt *st;
	long long id = -1;

	if (sqlite3_prepare_v2(db, "SELECT coalesce(max(load_id), 0) FROM nc_loads", -1,
	    &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return id;
}

static long long
data_version(sqlite3 *db)
{
	sqlite3_stmt *st;
	long long v = -1;

	if (sqlite3_prepare_v2(db, "PRAGMA data_version", -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void *
run(void *arg)
{
	sqlite3 *db = NULL;
	long long last = -1, version = -1, v;
	char why[256];
	struct timespec ts;
	int stop;

	(void)arg;
	for (;;) {
		if (db == NULL && serve_db_open(&db, feed.path, why, sizeof(why)) == 0) {
			version = -1;
			if (last < 0)
				last = max_load(db);
			if (last < 0)
				last = 0;       /* no store at the start: every load is new */
		}
		if (db != NULL) {
			v = data_version(db);
			if (v < 0 || (v != version && scan(db, &last) != 0)) {
				/* No tables yet, or a failure: open anew next time. */
				sqlite3_close(db);
				db = NULL;
				if (last < 0)
					last = 0;
			} else
				version = v;
		} else if (last < 0)
			last = 0;
		pthread_mutex_lock(&feed.mu);
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += (long)(feed.interval_ms % 1000) * 1000000L;
		ts.tv_sec += feed.interval_ms / 1000 + ts.tv_nsec / 1000000000L;
		ts.tv_nsec %= 1000000000L;
		while (!feed.stop && pthread_cond_timedwait(&feed.cond, &feed.mu, &ts) != ETIMEDOUT)
			;
		stop = feed.stop;
		pthread_mutex_unlock(&feed.mu);
		if (stop)
			break;
	}
	sqlite3_close(db);
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
