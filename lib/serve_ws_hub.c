/*
 * serve_ws_hub.c: nc-serve's WebSocket connections.  GET /ws is answered
 * by libmicrohttpd (101 Switching Protocols, MHD_create_response_for_upgrade,
 * the checks in serve_ws_shake.c); the socket then comes here.  One thread holds every client in an epoll
 * set, sockets non-blocking, and wakes on a socket or on the feed's
 * eventfd.  Each client reads the feed's ring at its own pace: events are
 * framed into its queue only while the queue holds less than WS_QUEUE_LOW
 * bytes.  The answers a client asks for (pongs, replies to its messages)
 * are queued whatever it reads, up to WS_QUEUE_MAX owed: the answer that
 * would go past it drops the client at once (close 1008, then a reset).
 * The kernel's send buffer of each socket is fixed at WS_SNDBUF, so what
 * a client costs is bounded and the same on every machine.  A client that
 * falls a whole ring behind, or whose socket takes nothing for the
 * timeout, is dropped; it never holds up the others.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "nc.h"
#include "ndjson.h"
#include "serve.h"

#define WS_QUEUE_LOW 65536      /* frame more events only below this many queued bytes */
#define WS_QUEUE_MAX (4 * WS_QUEUE_LOW)  /* answers owed to a client that does not read */
#define WS_SNDBUF (256 * 1024)  /* SO_SNDBUF of each socket (Linux doubles it) */
#define WS_READ_MAX 65536       /* bytes read from one client per wake-up */
#define WS_CLOSE_WAIT 2         /* seconds to wait for the peer's close */

struct wsc {
	int fd;
	struct MHD_UpgradeResponseHandle *urh;
	struct ws_reader rd;
	unsigned char *in;
	size_t inlen, incap;
	struct strbuf out;
	size_t off;
	int pollout;
	struct ws_sub sub;
	unsigned long long next;        /* the next feed event to look at */
	time_t seen;                    /* the last byte read */
	time_t moved;                   /* the last write that moved, or an empty queue */
	time_t pinged;
	int closing;                    /* our close is queued: wait for theirs */
	int finish;                     /* end once the queue is written */
	int dead;
	int abort;                      /* dropped for what it owes: reset, not FIN */
	time_t deadline;                /* closing: end by then */
	struct wsc *nextnew;
};

static struct {
	pthread_mutex_t mu;
	pthread_t thread;
	int running, ep, evfd;
	atomic_int stop;
	struct wsc *fresh;              /* handed over by the upgrade callback */
	struct wsc **c;
	size_t n, cap;
	int timeout_s, keepalive_s;
} hub = { .mu = PTHREAD_MUTEX_INITIALIZER, .ep = -1, .evfd = -1 };

static void
wake(void)
{
	uint64_t one = 1;
	ssize_t w = write(hub.evfd, &one, sizeof(one));

	(void)w;                        /* full: it is awake already */
}

/* ---- one client ---- */

static void
queue_text(struct wsc *c, const char *s, size_t n)
{
	ws_frame(&c->out, 1, s, n);
}

static void flush(struct wsc *c, time_t now);

/*
 * Queue an answer the client asked for (op 1 text, 10 pong): 0, or -1 if
 * it would take what the client is owed past WS_QUEUE_MAX.  Then the
 * client is dropped: close 1008 is queued and written if the socket takes
 * it, and the connection is reset rather than left to drain.  Its input
 * is no longer read.
 */
static int
answer(struct wsc *c, int op, const char *s, size_t n, time_t now)
{
	if (c->out.len - c->off + n + 10 > WS_QUEUE_MAX) {
		ws_close_frame(&c->out, 1008, "too many answers owed: read them");
		c->closing = c->finish = 1;
		flush(c, now);
		c->abort = 1;
		c->dead = 1;
		return -1;
	}
	ws_frame(&c->out, op, s, n);
	return 0;
}

/* Queue our close and wait for theirs (finish: end once it is written). */
static void
start_close(struct wsc *c, int code, const char *why, int finish, time_t now)
{
	if (c->closing) {
		c->finish |= finish;
		return;
	}
	ws_close_frame(&c->out, code, why);
	c->closing = 1;
	c->finish = finish;
	c->deadline = now + WS_CLOSE_WAIT;
}

static void
reply_error(struct wsc *c, const char *error, const char *detail, time_t now)
{
	struct strbuf sb = { 0 };

	strbuf_add(&sb, "{\"type\":\"error\",\"error\":", 24);
	ndjson_dump_string(&sb, error, strlen(error));
	strbuf_add(&sb, ",\"detail\":", 10);
	ndjson_dump_string(&sb, detail, strlen(detail));
	strbuf_add(&sb, "}", 1);
	answer(c, 1, sb.s, sb.len, now);
	strbuf_release(&sb);
}

static void
on_message(struct wsc *c, const char *msg, size_t len, time_t now)
{
	char why[160], num[24];
	struct strbuf sb = { 0 };
	int rc = ws_sub_parse(&c->sub, msg, len, why, sizeof(why));

	if (rc < 0) {
		reply_error(c, "bad message", why, now);
		return;
	}
	if (rc == WS_UNSUBSCRIBE) {
		answer(c, 1, "{\"type\":\"unsubscribed\"}", 23, now);
		return;
	}
	/* From now on: what was loaded before is not sent. */
	c->next = serve_feed_head();
	strbuf_add(&sb, "{\"type\":\"subscribed\",\"from\":", 28);
	strbuf_add(&sb, num, (size_t)ndjson_fmt_long(num, (long long)c->next));
	strbuf_add(&sb, ",\"item_ids\":", 12);
	if (c->sub.nitems == 0)
		strbuf_add(&sb, "null", 4);
	else {
		strbuf_addc(&sb, '[');
		for (size_t i = 0; i < c->sub.nitems; i++) {
			if (i > 0)
				strbuf_addc(&sb, ',');
			ndjson_dump_string(&sb, c->sub.items[i], strlen(c->sub.items[i]));
		}
		strbuf_addc(&sb, ']');
	}
	strbuf_add(&sb, ",\"levels\":", 10);
	if (c->sub.levels == 0)
		strbuf_add(&sb, "null", 4);
	else {
		static const char *const lv[] = { "VERDE", "AMARELO", "VERMELHO", "ENCOMENDA" };
		int first = 1;

		strbuf_addc(&sb, '[');
		for (int l = 0; l < 4; l++)
			if (c->sub.levels >> l & 1) {
				if (!first)
					strbuf_addc(&sb, ',');
				ndjson_dump_string(&sb, lv[l], strlen(lv[l]));
				first = 0;
			}
		strbuf_addc(&sb, ']');
	}
	strbuf_addc(&sb, '}');
	answer(c, 1, sb.s, sb.len, now);
	strbuf_release(&sb);
}

/* Take the frames in c->in. */
static void
parse(struct wsc *c, time_t now)
{
	size_t at = 0;

	while (at < c->inlen) {
		struct ws_event ev;
		size_t used;

		if (c->finish || c->dead) {     /* closed: the rest is dropped */
			at = c->inlen;
			break;
		}
		used = ws_read(&c->rd, c->in + at, c->inlen - at, &ev);

		if (ev.got == WS_MORE)
			break;          /* ws_read bounds what a frame may need */
		if (ev.got == WS_FAIL) {
			start_close(c, ev.code, ev.why, 1, now);
			at = c->inlen;
			break;
		}
		at += used;
		switch (ev.got) {
		case WS_TEXT:
			if (!c->closing)
				on_message(c, ev.data, ev.len, now);
			break;
		case WS_BINARY:
			start_close(c, 1003, "binary messages are not taken", 1, now);
			break;
		case WS_PING:
			if (!c->closing)
				answer(c, 10, ev.data, ev.len, now);
			break;
		case WS_CLOSE:
			if (c->closing)
				c->dead = 1;    /* the answer to ours */
			else {
				/* Echo the code; then end. */
				start_close(c, ev.code, NULL, 1, now);
			}
			c->finish = 1;
			break;
		default:
			break;
		}
	}
	if (at > 0) {
		memmove(c->in, c->in + at, c->inlen - at);
		c->inlen -= at;
	}
	/* A reader that handed out its message keeps no big buffer. */
	if (c->rd.op == 0 && c->rd.msg.cap > 4096)
		strbuf_release(&c->rd.msg);
	if (c->inlen == 0 && c->incap > 4096) {
		free(c->in);
		c->in = NULL;
		c->incap = 0;
	}
}

static void
readable(struct wsc *c, time_t now)
{
	size_t got = 0;

	while (got < WS_READ_MAX && !c->dead) {
		ssize_t n;

		/* What is left after parse() is less than one frame: at most
		 * WS_MAX_MESSAGE and a header. */
		if (c->incap - c->inlen < 4096) {
			c->incap = c->inlen + 8192;
			c->in = xrealloc(c->in, c->incap);
		}
		n = recv(c->fd, c->in + c->inlen, c->incap - c->inlen, 0);
		if (n > 0) {
			c->inlen += (size_t)n;
			got += (size_t)n;
			c->seen = now;
			parse(c, now);
			continue;
		}
		if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
			c->dead = 1;            /* gone, or reset */
		if (n < 0 && errno == EINTR)
			continue;
		break;
	}
}

/* Frame the feed's events for c while its queue is short. */
static void
fill(struct wsc *c, time_t now)
{
	while (c->sub.active && !c->closing && c->out.len - c->off < WS_QUEUE_LOW) {
		struct serve_event ev;
		int rc = serve_feed_get(c->next, &ev, 0);

		if (rc == 0)
			break;
		if (rc < 0) {
			start_close(c, 1008, "too slow: events were lost", 0, now);
			break;
		}
		c->next = ev.seq + 1;
		if (ws_sub_wants(&c->sub, &ev)) {
			struct strbuf sb = { 0 };

			ws_event_message(&sb, &ev);
			queue_text(c, sb.s, sb.len);
			strbuf_release(&sb);
		}
		serve_event_release(&ev);
	}
}

static void
flush(struct wsc *c, time_t now)
{
	struct epoll_event e = { 0 };
	int want;

	while (c->off < c->out.len) {
		ssize_t n = send(c->fd, c->out.s + c->off, c->out.len - c->off, MSG_NOSIGNAL);

		if (n > 0) {
			c->off += (size_t)n;
			c->moved = now;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
			c->dead = 1;
		break;
	}
	if (c->off == c->out.len) {
		c->off = 0;
		c->out.len = 0;
		c->moved = now;
		if (c->out.cap > WS_QUEUE_LOW * 2)
			strbuf_release(&c->out);
		if (c->finish)
			c->dead = 1;
	}
	want = c->off < c->out.len;
	if (want != c->pollout && !c->dead) {
		e.events = EPOLLIN | EPOLLRDHUP | (want ? EPOLLOUT : 0);
		e.data.ptr = c;
		epoll_ctl(hub.ep, EPOLL_CTL_MOD, c->fd, &e);
		c->pollout = want;
	}
}

static void
drop(struct wsc *c)
{
	static const struct sockaddr unspec = { .sa_family = AF_UNSPEC };

	epoll_ctl(hub.ep, EPOLL_CTL_DEL, c->fd, NULL);
	/*
	 * libmicrohttpd closes the socket and counts the connection out, but
	 * in its own time (the connection's thread): end it now.  A client
	 * dropped for what it owes gets a reset (connect(2) to AF_UNSPEC
	 * aborts a TCP connection), so the kernel frees both buffers at once
	 * and a client blocked writing to us sees the end, whatever its window;
	 * with TLS the socket is libmicrohttpd's socketpair, where this fails
	 * and the shutdown below ends it.  Any other client gets a FIN after
	 * what was written.
	 */
	if (c->abort)
		(void)connect(c->fd, &unspec, sizeof(unspec));
	shutdown(c->fd, SHUT_RDWR);
	MHD_upgrade_action(c->urh, MHD_UPGRADE_ACTION_CLOSE);
	ws_reader_release(&c->rd);
	ws_sub_release(&c->sub);
	strbuf_release(&c->out);
	free(c->in);
	free(c);
}

static void
adopt(struct wsc *c, time_t now)
{
	struct epoll_event e = { 0 };

	e.events = EPOLLIN | EPOLLRDHUP;
	e.data.ptr = c;
	if (epoll_ctl(hub.ep, EPOLL_CTL_ADD, c->fd, &e) != 0) {
		MHD_upgrade_action(c->urh, MHD_UPGRADE_ACTION_CLOSE);
		free(c->in);
		free(c);
		return;
	}
	if (hub.n == hub.cap) {
		hub.cap = hub.cap ? hub.cap * 2 : 64;
		hub.c = xrealloc(hub.c, hub.cap * sizeof(*hub.c));
	}
	hub.c[hub.n++] = c;
	c->seen = c->moved = c->pinged = now;
	{
		static const char hello[] = "{\"type\":\"hello\",\"server\":\"nc-serve\",\"version\":\""
		    NC_VERSION "\"}";

		queue_text(c, hello, sizeof(hello) - 1);
	}
	if (c->inlen > 0)
		parse(c, now);
	flush(c, now);
}

static void *
run(void *arg)
{
	struct epoll_event evs[128];
	time_t stop_by = 0;

	(void)arg;
	for (;;) {
		int n = epoll_wait(hub.ep, evs, 128, 250);
		time_t now = time(NULL);
		struct wsc *fresh;
		size_t j;

		for (int i = 0; i < n; i++) {
			struct wsc *c = evs[i].data.ptr;

			if (c == NULL) {
				uint64_t v;
				ssize_t r = read(hub.evfd, &v, sizeof(v));

				(void)r;
				continue;
			}
			if (evs[i].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))
				readable(c, now);
			if ((evs[i].events & EPOLLOUT) && !c->dead)
				flush(c, now);
		}
		pthread_mutex_lock(&hub.mu);
		fresh = hub.fresh;
		hub.fresh = NULL;
		pthread_mutex_unlock(&hub.mu);
		while (fresh != NULL) {
			struct wsc *c = fresh;

			fresh = c->nextnew;
			adopt(c, now);
		}
		if (atomic_load(&hub.stop) && stop_by == 0) {
			for (size_t i = 0; i < hub.n; i++)
				start_close(hub.c[i], 1001, "the server is stopping", 0, now);
			stop_by = now + WS_CLOSE_WAIT;
		}
		for (size_t i = 0; i < hub.n; i++) {
			struct wsc *c = hub.c[i];

			if (c->dead)
				continue;
			fill(c, now);
			flush(c, now);
			if (c->closing && now >= c->deadline)
				c->dead = 1;
			else if (c->off < c->out.len && now - c->moved > hub.timeout_s)
				c->dead = 1;    /* takes nothing: dropped */
			else if (now - c->seen > hub.timeout_s + hub.keepalive_s)
				c->dead = 1;    /* no pong, nothing */
			else if (!c->closing && now - c->seen >= hub.keepalive_s &&
			    now - c->pinged >= hub.keepalive_s) {
				ws_frame(&c->out, 9, "nc", 2);
				c->pinged = now;
				flush(c, now);
			}
		}
		for (size_t i = j = 0; i < hub.n; i++) {
			if (hub.c[i]->dead || (stop_by != 0 && now >= stop_by))
				drop(hub.c[i]);
			else
				hub.c[j++] = hub.c[i];
		}
		hub.n = j;
		if (stop_by != 0 && hub.n == 0)
			break;
	}
	return NULL;
}

int
serve_ws_start(int timeout_s, int keepalive_s)
{
	struct epoll_event e = { 0 };

	hub.timeout_s = timeout_s;
	hub.keepalive_s = keepalive_s;
	if ((hub.ep = epoll_create1(EPOLL_CLOEXEC)) < 0)
		return -1;
	if ((hub.evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) < 0)
		return -1;
	e.events = EPOLLIN;
	e.data.ptr = NULL;
	if (epoll_ctl(hub.ep, EPOLL_CTL_ADD, hub.evfd, &e) != 0)
		return -1;
	serve_feed_notify(hub.evfd);
	if (pthread_create(&hub.thread, NULL, run, NULL) != 0)
		return -1;
	hub.running = 1;
	return 0;
}

void
serve_ws_stop(void)
{
	struct wsc *c;

	if (!hub.running)
		return;
	atomic_store(&hub.stop, 1);
	wake();
	pthread_join(hub.thread, NULL);
	serve_feed_notify(-1);
	/* Handed over after the thread ended. */
	pthread_mutex_lock(&hub.mu);
	hub.running = 0;
	while ((c = hub.fresh) != NULL) {
		hub.fresh = c->nextnew;
		MHD_upgrade_action(c->urh, MHD_UPGRADE_ACTION_CLOSE);
		free(c->in);
		free(c);
	}
	pthread_mutex_unlock(&hub.mu);
	free(hub.c);
	hub.c = NULL;
	hub.n = hub.cap = 0;
}

/* ---- the socket from libmicrohttpd (the handshake is in serve_ws_shake.c) ---- */

static void
upgraded(void *cls, struct MHD_Connection *connection, void *con_cls, const char *extra,
    size_t extra_size, MHD_socket sock, struct MHD_UpgradeResponseHandle *urh)
{
	struct wsc *c = xcalloc(1, sizeof(*c));
	int fl;

	(void)cls;
	(void)connection;
	(void)con_cls;
	c->fd = sock;
	c->urh = urh;
	c->rd.max_message = WS_MAX_MESSAGE;
	if (extra_size > 0) {
		c->incap = extra_size + 4096;
		c->in = xmalloc(c->incap);
		memcpy(c->in, extra, extra_size);
		c->inlen = extra_size;
	}
	fl = fcntl(sock, F_GETFL);
	fcntl(sock, F_SETFL, fl | O_NONBLOCK);
	/* Not autotuned: what the kernel holds for a client is bounded. */
	fl = WS_SNDBUF;
	setsockopt(sock, SOL_SOCKET, SO_SNDBUF, &fl, sizeof(fl));
	pthread_mutex_lock(&hub.mu);
	if (!hub.running || atomic_load(&hub.stop)) {
		pthread_mutex_unlock(&hub.mu);
		MHD_upgrade_action(urh, MHD_UPGRADE_ACTION_CLOSE);
		free(c->in);
		free(c);
		return;
	}
	c->nextnew = hub.fresh;
	hub.fresh = c;
	pthread_mutex_unlock(&hub.mu);
	wake();
}

int
serve_ws_open(void)
{
	return hub.running && !atomic_load(&hub.stop);
}

struct MHD_Response *
serve_ws_response(void)
{
	return MHD_create_response_for_upgrade(upgraded, NULL);
}
