/*
 * fuzz/serve.c: nc-serve's request parsing.  The first byte picks what the
 * rest of the input is:
 *   0  a query string: split at '&' and '=' as libmicrohttpd does, each
 *      part percent-decoded (lib/serve_ws.c serve_percent_decode, nc-serve's
 *      unescape callback), then checked by the API (lib/serve_api.c) for
 *      each path, against a store that is not there;
 *   1  bytes from a WebSocket client (lib/serve_ws.c ws_read), read whole
 *      and in pieces of made-up sizes, as the hub reads a socket;
 *   2  a WebSocket message (ws_sub_parse) and the events it lets through;
 *   3  a Sec-WebSocket-Key (ws_accept_key);
 *   4  a Sec-WebSocket-Protocol (ws_protocols).
 * Properties: a decoded string is no longer than its source and has no
 * NUL unless flagged bad; an API answer is 400 or 404 with a JSON error, or
 * 503 (no store) when the parameters pass; the frames read in pieces are
 * the frames read whole; a text message is valid UTF-8 and within the
 * limit; a control payload is at most 125 bytes; a failure's close code
 * is 1002, 1007 or 1009; a subscription holds at most 256 valid ids; a
 * Sec-WebSocket-Protocol taken offers nc.v1, its token is a non-empty
 * run of token characters inside the header, and a refusal's reason
 * never quotes the header.
 */
#include "fuzz.h"

#include <jansson.h>
#include <sqlite3.h>

#include "ndjson.h"
#include "serve.h"
#include "text.h"

static void
query(const uint8_t *data, size_t size)
{
	static const char *const paths[] = { "forecasts", "reorder", "alerts", "items/010825",
		"items/x%y", "nothing" };
	char *s = malloc(size + 1), *save = NULL, *tok;
	struct serve_req rq = { 0 };

	memcpy(s, data, size);
	s[size] = '\0';
	for (tok = strtok_r(s, "&", &save); tok != NULL; tok = strtok_r(NULL, "&", &save)) {
		char *eq = strchr(tok, '='), *v = NULL;
		size_t before, n;
		int bad;

		if (eq != NULL) {
			*eq = '\0';
			v = eq + 1;
		}
		before = strlen(tok);
		n = serve_percent_decode(tok, &bad);
		FUZZ_CHECK(n <= before, "percent-decoding made a key longer");
		FUZZ_CHECK(bad || strlen(tok) == n, "a NUL decoded without being flagged");
		if (v != NULL) {
			before = strlen(v);
			n = serve_percent_decode(v, &bad);
			FUZZ_CHECK(n <= before, "percent-decoding made a value longer");
			FUZZ_CHECK(bad || strlen(v) == n, "a NUL decoded without being flagged");
			if (strchr(v, '%') == NULL && before == n)
				FUZZ_CHECK(!bad, "a value without escapes flagged bad");
		}
		if (rq.nargs == SERVE_MAX_ARGS) {
			rq.too_many = 1;
			break;
		}
		rq.akey[rq.nargs] = tok;
		rq.aval[rq.nargs++] = v;
	}
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct serve_reply r = SERVE_REPLY_INIT;
		struct serve_db *db = NULL;
		json_t *o;

		rq.path = paths[i];
		rq.db = &db;
		rq.dbpath = "/nonexistent/nc-fuzz/nc.db";
		serve_api(&rq, &r);
		FUZZ_CHECK(r.status == 400 || r.status == 404 || r.status == 503,
		    "an API answer that is not 400, 404 or 503 without a store");
		o = json_loadb(r.body.s ? r.body.s : "", r.body.len, 0, NULL);
		FUZZ_CHECK(json_is_string(json_object_get(o, "error")) &&
		    json_is_string(json_object_get(o, "detail")), "an error that is not JSON");
		json_decref(o);
		strbuf_release(&r.body);
		serve_db_close(&db);
	}
	free(s);
}

/* What ws_read said, for comparing two ways of reading. */
struct sig {
	int got, code;
	size_t len;
	unsigned long hash;
};

static unsigned long
hash(const char *s, size_t n)
{
	unsigned long h = 5381;

	for (size_t i = 0; i < n; i++)
		h = h * 33 + (unsigned char)s[i];
	return h;
}

static void
check_event(const struct ws_event *ev, size_t max)
{
	if (ev->got == WS_TEXT) {
		FUZZ_CHECK(ev->len <= max, "a message over the limit");
		FUZZ_CHECK(text_utf8_valid(ev->data, ev->len), "a text message that is not UTF-8");
	} else if (ev->got == WS_BINARY)
		FUZZ_CHECK(ev->len <= max, "a message over the limit");
	else if (ev->got == WS_PING || ev->got == WS_PONG)
		FUZZ_CHECK(ev->len <= WS_MAX_CONTROL, "a control payload over 125 bytes");
	else if (ev->got == WS_CLOSE)
		FUZZ_CHECK(ev->code == 1005 || ws_close_code_ok(ev->code), "a close code not allowed");
	else if (ev->got == WS_FAIL)
		FUZZ_CHECK(ev->code == 1002 || ev->code == 1007 || ev->code == 1009,
		    "a failure with another close code");
}

/* Read frames from data, fed step bytes at a time (0: whole): their
 * signatures in out, at most nout; the count. */
static size_t
read_frames(const uint8_t *data, size_t size, const uint8_t *steps, size_t nsteps,
    struct sig *out, size_t nout)
{
	struct ws_reader r = { .max_message = 512 };
	unsigned char *buf = malloc(size + 1);
	size_t have = 0, at = 0, fed = 0, n = 0, k = 0;

	/* The hub's way: bytes arrive; frames are taken while whole. */
	while (n < nout) {
		struct ws_event ev;
		size_t used;

		if (fed < size) {
			size_t step = nsteps == 0 ? size : 1 + steps[k++ % nsteps] % 64;

			if (step > size - fed)
				step = size - fed;
			memcpy(buf + have, data + fed, step);
			have += step;
			fed += step;
		}
		while (at < have && n < nout) {
			used = ws_read(&r, buf + at, have - at, &ev);
			if (ev.got == WS_MORE) {
				FUZZ_CHECK(ev.need > have - at, "more bytes asked for than are missing");
				break;
			}
			check_event(&ev, r.max_message);
			out[n].got = (int)ev.got;
			out[n].code = ev.code;
			out[n].len = ev.len;
			out[n].hash = ev.data ? hash(ev.data, ev.len) : 0;
			n++;
			if (ev.got == WS_FAIL)
				goto done;
			FUZZ_CHECK(used > 0 && used <= have - at, "a frame taken of no or too many bytes");
			at += used;
		}
		if (fed == size)
			break;          /* what is left never completes a frame */
	}
done:
	ws_reader_release(&r);
	free(buf);
	return n;
}

static void
frames(const uint8_t *data, size_t size)
{
	struct sig whole[64], parts[64];
	size_t nsteps = size > 0 ? data[0] % 8 : 0;
	size_t nw, np;

	if (size <= nsteps)
		return;
	nw = read_frames(data + 1 + nsteps, size - 1 - nsteps, NULL, 0, whole, 64);
	np = read_frames(data + 1 + nsteps, size - 1 - nsteps, data + 1, nsteps ? nsteps : 1,
	    parts, 64);
	FUZZ_CHECK(nw == np, "frames read in pieces are not the frames read whole");
	for (size_t i = 0; i < nw; i++)
		FUZZ_CHECK(whole[i].got == parts[i].got && whole[i].code == parts[i].code &&
		    whole[i].len == parts[i].len && whole[i].hash == parts[i].hash,
		    "a frame read in pieces differs from the frame read whole");
}

static void
message(const uint8_t *data, size_t size)
{
	static const char *const levels[] = { "VERDE", "AMARELO", "VERMELHO", "ENCOMENDA", "ROXO" };
	struct ws_sub sub = { 0 };
	char why[160];
	int rc = ws_sub_parse(&sub, (const char *)data, size, why, sizeof(why));

	FUZZ_CHECK(rc == -1 || rc == WS_SUBSCRIBE || rc == WS_UNSUBSCRIBE, "a strange result");
	if (rc == -1)
		FUZZ_CHECK(why[0] != '\0', "a refusal without a reason");
	if (rc == WS_SUBSCRIBE) {
		FUZZ_CHECK(sub.active && sub.nitems <= WS_MAX_ITEMS && sub.levels < 16,
		    "a subscription out of bounds");
		for (size_t i = 0; i < sub.nitems; i++)
			FUZZ_CHECK(serve_text_ok(sub.items[i], strlen(sub.items[i])) &&
			    strlen(sub.items[i]) <= WS_MAX_ITEM_LEN, "an item id not checked");
		for (size_t l = 0; l < 5; l++) {
			struct serve_event ev = { .seq = l, .kind = "alert" };
			struct strbuf sb = { 0 };

			snprintf(ev.level, sizeof(ev.level), "%s", levels[l]);
			ev.item_id = sub.nitems ? sub.items[0] : (char *)"010825";
			ev.data = (char *)"{\"level\":\"x\"}";
			if (ws_sub_wants(&sub, &ev)) {
				json_t *o;

				FUZZ_CHECK(l < 4 || sub.levels == 0, "an unknown level let through a level filter");
				ws_event_message(&sb, &ev);
				o = json_loadb(sb.s, sb.len, 0, NULL);
				FUZZ_CHECK(json_is_object(o), "an event message that is not JSON");
				json_decref(o);
			}
			strbuf_release(&sb);
		}
	}
	ws_sub_release(&sub);
}

static void
accept_key(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), acc[WS_ACCEPT_LEN + 1];

	memcpy(s, data, size);
	s[size] = '\0';
	if (ws_accept_key(s, acc) == 0) {
		FUZZ_CHECK(strlen(s) == 24, "a key of another length taken");
		FUZZ_CHECK(strlen(acc) == WS_ACCEPT_LEN, "an accept key of another length");
	}
	free(s);
}

static void
protocols(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	struct ws_proto p;
	const char *why;

	memcpy(s, data, size);
	s[size] = '\0';
	if (ws_protocols(s, &p, &why) == 0) {
		FUZZ_CHECK(p.offered && p.v1 && strstr(s, "nc.v1") != NULL, "taken without nc.v1");
		if (p.tok != NULL) {
			FUZZ_CHECK(p.tok >= s + 10 && p.tok + p.toklen <= s + strlen(s) && p.toklen > 0,
			    "a token outside the header");
			FUZZ_CHECK(memcmp(p.tok - 10, "nc.bearer.", 10) == 0, "a token not after nc.bearer.");
			for (size_t i = 0; i < p.toklen; i++)
				FUZZ_CHECK(p.tok[i] > ' ' && p.tok[i] < 127 && p.tok[i] != ',',
				    "a token with a character outside tokens");
		}
	} else
		FUZZ_CHECK(why != NULL && strncmp(why, "Sec-WebSocket-Protocol: ", 24) == 0,
		    "a refusal without its reason");
	free(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	switch (data[0] % 5) {
	case 0: query(data + 1, size - 1); break;
	case 1: frames(data + 1, size - 1); break;
	case 2: message(data + 1, size - 1); break;
	case 3: accept_key(data + 1, size - 1); break;
	case 4: protocols(data + 1, size - 1); break;
	}
	return 0;
}
