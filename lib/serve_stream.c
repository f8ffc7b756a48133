/*
 * serve_stream.c: GET /api/v1/alerts/stream, Server-Sent Events from
 * the feed (serve_feed.c): each client reads the feed's ring from where
 * it joined, filtered by item_id and level; a client the ring has passed
 * gets an "error" event and is dropped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "nc.h"
#include "serve_http.h"

/* A stream client. */
struct stream {
	struct serve_hreq *rq;
	unsigned long long next;
	unsigned levels;            /* bit per level; 0: all */
	char *item_id;              /* or NULL: all */
	struct strbuf pend;
	size_t off;
	time_t last;
	int hello;
};

static const char *const levels[] = { "VERDE", "AMARELO", "VERMELHO", "ENCOMENDA" };

static int
stream_wants(const struct stream *s, const struct serve_event *ev)
{
	if (strcmp(ev->kind, "alert") != 0)
		return s->levels == 0 && s->item_id == NULL;
	if (s->item_id != NULL && (ev->item_id == NULL || strcmp(s->item_id, ev->item_id) != 0))
		return 0;
	if (s->levels != 0) {
		for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
			if (strcmp(ev->level, levels[i]) == 0)
				return (s->levels >> i) & 1;
		return 0;
	}
	return 1;
}

static ssize_t
stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct stream *s = cls;
	struct serve_event ev;
	size_t n;

	(void)pos;
	while (s->off == s->pend.len) {
		int rc;

		s->pend.len = s->off = 0;
		if (!s->hello) {
			static const char hello[] = "retry: 2000\n: nc-serve stream\n\n";

			strbuf_add(&s->pend, hello, sizeof(hello) - 1);
			s->hello = 1;
			break;
		}
		if (s->hello == 2)
			return MHD_CONTENT_READER_END_WITH_ERROR;
		if (atomic_load(&serve_cfg.stopping))
			return MHD_CONTENT_READER_END_OF_STREAM;
		rc = serve_feed_get(s->next, &ev, 1000);
		if (rc < 0) {
			static const char slow[] = "event: error\ndata: {\"error\":\"too slow\"}\n\n";

			s->rq->bytes += sizeof(slow) - 1;
			if (max < sizeof(slow) - 1)
				return MHD_CONTENT_READER_END_WITH_ERROR;
			memcpy(buf, slow, sizeof(slow) - 1);
			s->hello = 2;           /* and the next call ends it */
			return (ssize_t)(sizeof(slow) - 1);
		}
		if (rc == 1) {
			char num[24];

			s->next = ev.seq + 1;
			if (stream_wants(s, &ev)) {
				strbuf_add(&s->pend, "id: ", 4);
				strbuf_add(&s->pend, num, (size_t)ndjson_fmt_long(num, (long long)ev.seq));
				strbuf_add(&s->pend, "\nevent: ", 8);
				strbuf_add(&s->pend, ev.kind, strlen(ev.kind));
				strbuf_add(&s->pend, "\ndata: ", 7);
				strbuf_add(&s->pend, ev.data, strlen(ev.data));
				strbuf_add(&s->pend, "\n\n", 2);
			}
			serve_event_release(&ev);
		} else if (time(NULL) - s->last >= serve_cfg.keepalive_s)
			strbuf_add(&s->pend, ": keepalive\n\n", 13);
	}
	n = s->pend.len - s->off;
	if (n > max)
		n = max;
	memcpy(buf, s->pend.s + s->off, n);
	s->off += n;
	s->rq->bytes += n;
	s->last = time(NULL);
	return (ssize_t)n;
}

static void
stream_free(void *cls)
{
	struct stream *s = cls;

	strbuf_release(&s->pend);
	free(s->item_id);
	free(s);
}

enum MHD_Result
serve_stream(struct MHD_Connection *c, struct serve_hreq *rq, struct serve_req *sr)
{
	struct stream *s = xcalloc(1, sizeof(*s));
	struct MHD_Response *resp;
	enum MHD_Result ret;
	char detail[96];

	s->rq = rq;
	s->last = time(NULL);
	for (int i = 0; i < sr->nargs; i++) {
		const char *k = sr->akey[i], *v = sr->aval[i];

		for (int j = 0; j < i; j++)
			if (strcmp(sr->akey[j], k) == 0) {
				stream_free(s);
				snprintf(detail, sizeof(detail), "%.40s: given twice", k);
				return serve_send_error(c, rq, 400, "bad parameter", detail);
			}
		if (v == NULL || *v == '\0' || strlen(v) > 200 || !serve_text_ok(v, strlen(v))) {
			stream_free(s);
			return serve_send_error(c, rq, 400, "bad parameter",
			    "a value is empty, too long or not UTF-8 text");
		}
		if (strcmp(k, "item_id") == 0)
			s->item_id = xstrdup(v);
		else if (strcmp(k, "level") == 0) {
			char list[201], *save, *tok;

			snprintf(list, sizeof(list), "%s", v);
			for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
				size_t l;

				for (l = 0; l < sizeof(levels) / sizeof(levels[0]); l++)
					if (strcmp(tok, levels[l]) == 0)
						break;
				if (l == sizeof(levels) / sizeof(levels[0])) {
					stream_free(s);
					return serve_send_error(c, rq, 400, "bad parameter",
					    "level: not VERDE, AMARELO, VERMELHO or ENCOMENDA");
				}
				s->levels |= 1u << l;
			}
		} else {
			stream_free(s);
			return serve_send_error(c, rq, 400, "unknown parameter",
			    serve_text_ok(k, strlen(k)) && strlen(k) < 40 ? k : "(not shown)");
		}
	}
	if (sr->too_many) {
		stream_free(s);
		return serve_send_error(c, rq, 400, "bad parameter", "query: too many parameters");
	}
	/* Only what is loaded from now on. */
	s->next = serve_feed_head();
	resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, stream_read, s,
	    stream_free);
	if (resp == NULL) {
		stream_free(s);
		return MHD_NO;
	}
	serve_common_headers(c, resp);
	MHD_add_response_header(resp, "Content-Type", "text/event-stream; charset=utf-8");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	MHD_add_response_header(resp, "X-Accel-Buffering", "no");
	rq->status = 200;
	ret = MHD_queue_response(c, MHD_HTTP_OK, resp);
	MHD_destroy_response(resp);
	return ret;
}

