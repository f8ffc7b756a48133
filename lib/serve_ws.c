/*
 * serve_ws.c: the WebSocket protocol (RFC 6455) as nc-serve speaks it,
 * without sockets: the handshake's accept key, the frames a client sends
 * (masked, maybe fragmented, control frames between the fragments), the
 * frames the server sends, and the JSON messages a client subscribes
 * with.  The connections themselves are in serve_ws_hub.c; fuzz/serve.c
 * feeds this file's parsers made-up bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "nc.h"
#include "ndjson.h"
#include "serve.h"
#include "text.h"

static const char ws_guid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int
ws_accept_key(const char *key, char accept[WS_ACCEPT_LEN + 1])
{
	unsigned char md[EVP_MAX_MD_SIZE], raw[24];
	char cat[24 + sizeof(ws_guid)];
	unsigned int mdlen = 0;

	/* The base64 of 16 bytes: 22 characters and "==". */
	if (key == NULL || strlen(key) != 24 || key[22] != '=' || key[23] != '=')
		return -1;
	for (int i = 0; i < 22; i++)
		if (key[i] == '\0' || strchr(b64, key[i]) == NULL)
			return -1;
	/* The last character carries 2 bits; the other 4 must be 0. */
	if ((strchr(b64, key[21]) - b64) & 15)
		return -1;
	if (EVP_DecodeBlock(raw, (const unsigned char *)key, 24) != 18)
		return -1;
	memcpy(cat, key, 24);
	memcpy(cat + 24, ws_guid, sizeof(ws_guid));
	if (EVP_Digest(cat, 24 + sizeof(ws_guid) - 1, md, &mdlen, EVP_sha1(), NULL) != 1 ||
	    mdlen != 20)
		return -1;
	if (EVP_EncodeBlock((unsigned char *)accept, md, 20) != WS_ACCEPT_LEN)
		return -1;
	accept[WS_ACCEPT_LEN] = '\0';
	return 0;
}

int
ws_close_code_ok(int code)
{
	/* RFC 6455 7.4: 1004-1006 and 1015 are never sent; 1012-1014 are
	 * IANA's later additions. */
	return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
	    (code >= 3000 && code <= 4999);
}

/* RFC 7230's tchar: what a subprotocol's name is made of. */
static int
tchar(int ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	    (ch != '\0' && strchr("!#$%&'*+-.^_`|~", ch) != NULL);
}

static int
proto_bad(const char **why, const char *what)
{
	*why = what;
	return -1;
}

int
ws_protocols(const char *h, struct ws_proto *p, const char **why)
{
	static const char bearer[] = "nc.bearer.";
	const size_t bl = sizeof(bearer) - 1;

	memset(p, 0, sizeof(*p));
	*why = NULL;
	if (h == NULL)
		return 0;
	p->offered = 1;
	for (;;) {
		const char *s, *e;
		size_t n;

		while (*h == ' ' || *h == '\t')
			h++;
		for (s = h; tchar((unsigned char)*h); h++)
			;
		e = h;
		while (*h == ' ' || *h == '\t')
			h++;
		if (*h != ',' && *h != '\0')
			return proto_bad(why, "Sec-WebSocket-Protocol: not a comma-separated list of tokens");
		n = (size_t)(e - s);
		if (n == 0)
			return proto_bad(why, "Sec-WebSocket-Protocol: an empty element");
		if (n == 5 && memcmp(s, "nc.v1", 5) == 0)
			p->v1 = 1;
		else if (n >= bl && memcmp(s, bearer, bl) == 0) {
			if (n == bl)
				return proto_bad(why, "Sec-WebSocket-Protocol: nc.bearer. without a token");
			if (p->tok != NULL)
				return proto_bad(why, "Sec-WebSocket-Protocol: two nc.bearer. tokens");
			p->tok = s + bl;
			p->toklen = n - bl;
		}
		if (*h == '\0')
			break;
		h++;
	}
	if (!p->v1)
		return proto_bad(why, "Sec-WebSocket-Protocol: nc.v1 is not offered (the only one spoken)");
	return 0;
}

void
ws_reader_release(struct ws_reader *r)
{
	strbuf_release(&r->msg);
	r->op = 0;
	r->done = 0;
}

static size_t
fail(struct ws_event *ev, int code, const char *why)
{
	ev->got = WS_FAIL;
	ev->code = code;
	ev->why = why;
	return 0;
}

size_t
ws_read(struct ws_reader *r, unsigned char *buf, size_t len, struct ws_event *ev)
{
	unsigned fin, op, masked;
	unsigned long long plen;
	size_t hlen = 2;
	unsigned char *key, *p;

	memset(ev, 0, sizeof(*ev));
	ev->got = WS_MORE;
	if (r->done) {                  /* the last call handed out a message */
		r->msg.len = 0;
		r->op = 0;
		r->done = 0;
	}
	if (len < 2) {
		ev->need = 2;
		return 0;
	}
	fin = buf[0] & 0x80;
	op = buf[0] & 0x0f;
	masked = buf[1] & 0x80;
	plen = buf[1] & 0x7f;
	if (buf[0] & 0x70)
		return fail(ev, 1002, "reserved bits set");
	if (op > 2 && op != 8 && op != 9 && op != 10)
		return fail(ev, 1002, "unknown opcode");
	if (!masked)
		return fail(ev, 1002, "a client frame is not masked");
	if (op >= 8 && (!fin || plen > WS_MAX_CONTROL))
		return fail(ev, 1002, "a control frame is fragmented or over 125 bytes");
	if (plen == 126)
		hlen += 2;
	else if (plen == 127)
		hlen += 8;
	if (len < hlen + 4) {
		ev->need = hlen + 4;
		return 0;
	}
	if (plen == 126) {
		plen = (unsigned)buf[2] << 8 | buf[3];
		if (plen < 126)
			return fail(ev, 1002, "a length not in its shortest form");
	} else if (plen == 127) {
		plen = 0;
		for (int i = 0; i < 8; i++)
			plen = plen << 8 | buf[2 + i];
		if (plen >> 63)
			return fail(ev, 1002, "a length with its top bit set");
		if (plen < 65536)
			return fail(ev, 1002, "a length not in its shortest form");
	}
	/* Before the payload is in: a message over the limit is refused
	 * whole, not buffered. */
	if (op < 8 && plen > r->max_message - (op == 0 ? r->msg.len : 0))
		return fail(ev, 1009, "the message is over the size limit");
	if (op == 0 && r->op == 0)
		return fail(ev, 1002, "a continuation frame without a message");
	if ((op == 1 || op == 2) && r->op != 0)
		return fail(ev, 1002, "a new message inside a fragmented one");
	key = buf + hlen;
	hlen += 4;
	if (len - hlen < plen) {
		ev->need = hlen + (size_t)plen;
		return 0;
	}
	p = buf + hlen;
	for (size_t i = 0; i < plen; i++)
		p[i] ^= key[i & 3];
	if (op >= 8) {
		ev->data = (const char *)p;
		ev->len = (size_t)plen;
		if (op == 9)
			ev->got = WS_PING;
		else if (op == 10)
			ev->got = WS_PONG;
		else {
			ev->got = WS_CLOSE;
			ev->code = 1005;        /* none given */
			if (plen == 1)
				return fail(ev, 1002, "a close frame of 1 byte");
			if (plen >= 2) {
				ev->code = p[0] << 8 | p[1];
				if (!ws_close_code_ok(ev->code))
					return fail(ev, 1002, "a close code that is not allowed");
				ev->data = (const char *)p + 2;
				ev->len = (size_t)plen - 2;
				if (!text_utf8_valid(ev->data, ev->len))
					return fail(ev, 1007, "a close reason that is not UTF-8");
			}
		}
		return hlen + (size_t)plen;
	}
	if (op != 0)
		r->op = (int)op;
	strbuf_add(&r->msg, (const char *)p, (size_t)plen);
	ev->got = WS_PART;
	if (fin) {
		r->done = 1;
		if (r->op == 1 && !text_utf8_valid(r->msg.s ? r->msg.s : "", r->msg.len))
			return fail(ev, 1007, "a text message that is not UTF-8");
		ev->got = r->op == 1 ? WS_TEXT : WS_BINARY;
		ev->data = r->msg.s ? r->msg.s : "";
		ev->len = r->msg.len;
	}
	return hlen + (size_t)plen;
}

void
ws_frame(struct strbuf *sb, int opcode, const void *data, size_t len)
{
	unsigned char h[10];
	size_t hl = 2;

	h[0] = (unsigned char)(0x80 | (opcode & 0x0f));
	if (len < 126)
		h[1] = (unsigned char)len;
	else if (len < 65536) {
		h[1] = 126;
		h[2] = (unsigned char)(len >> 8);
		h[3] = (unsigned char)len;
		hl = 4;
	} else {
		h[1] = 127;
		for (int i = 0; i < 8; i++)
			h[2 + i] = (unsigned char)((unsigned long long)len >> (56 - 8 * i));
		hl = 10;
	}
	strbuf_add(sb, (const char *)h, hl);
	if (len > 0)
		strbuf_add(sb, data, len);
}

void
ws_close_frame(struct strbuf *sb, int code, const char *reason)
{
	char p[WS_MAX_CONTROL];
	size_t n = 0;

	if (code != 1005) {
		p[0] = (char)(code >> 8);
		p[1] = (char)code;
		n = 2;
		if (reason != NULL) {
			size_t rl = strlen(reason);

			if (rl > sizeof(p) - 2)
				rl = sizeof(p) - 2;
			memcpy(p + 2, reason, rl);
			n += rl;
		}
	}
	ws_frame(sb, 8, p, n);
}

/* ---- the messages ---- */

static const char *const ws_levels[] = { "VERDE", "AMARELO", "VERMELHO", "ENCOMENDA" };
#define NLEVELS (sizeof(ws_levels) / sizeof(ws_levels[0]))

void
ws_sub_release(struct ws_sub *s)
{
	for (size_t i = 0; i < s->nitems; i++)
		free(s->items[i]);
	free(s->items);
	memset(s, 0, sizeof(*s));
}

static int
why_is(char *why, size_t whysize, const char *what)
{
	snprintf(why, whysize, "%s", what);
	return -1;
}

/* A string or an array of strings: 0, or -1.  Each string goes to fn. */
static int
each_string(json_t *v, size_t max, int (*fn)(void *, const char *, size_t), void *arg)
{
	size_t i;
	json_t *e;

	if (json_is_string(v))
		return fn(arg, json_string_value(v), json_string_length(v));
	if (!json_is_array(v) || json_array_size(v) > max)
		return -1;
	json_array_foreach(v, i, e) {
		if (!json_is_string(e) || fn(arg, json_string_value(e), json_string_length(e)) != 0)
			return -1;
	}
	return 0;
}

static int
add_item(void *arg, const char *s, size_t n)
{
	struct ws_sub *sub = arg;

	if (n == 0 || n > WS_MAX_ITEM_LEN || !serve_text_ok(s, n))
		return -1;
	for (size_t i = 0; i < sub->nitems; i++)
		if (strcmp(sub->items[i], s) == 0)
			return 0;
	sub->items = xrealloc(sub->items, (sub->nitems + 1) * sizeof(*sub->items));
	sub->items[sub->nitems++] = xstrdup(s);
	return 0;
}

static int
add_level(void *arg, const char *s, size_t n)
{
	struct ws_sub *sub = arg;

	(void)n;
	for (size_t l = 0; l < NLEVELS; l++)
		if (strcmp(s, ws_levels[l]) == 0) {
			sub->levels |= 1u << l;
			return 0;
		}
	return -1;
}

int
ws_sub_parse(struct ws_sub *s, const char *msg, size_t len, char *why, size_t whysize)
{
	json_error_t jerr;
	json_t *o = json_loadb(msg, len, JSON_REJECT_DUPLICATES, &jerr);
	struct ws_sub n = { 0 };
	const char *type, *k;
	json_t *v;
	int rc = -1;

	if (!json_is_object(o)) {
		json_decref(o);
		return why_is(why, whysize, "not a JSON object");
	}
	type = json_string_value(json_object_get(o, "type"));
	if (type == NULL) {
		why_is(why, whysize, "no \"type\"");
		goto out;
	}
	if (strcmp(type, "unsubscribe") == 0) {
		if (json_object_size(o) != 1) {
			why_is(why, whysize, "unsubscribe takes no other field");
			goto out;
		}
		ws_sub_release(s);
		rc = WS_UNSUBSCRIBE;
		goto out;
	}
	if (strcmp(type, "subscribe") != 0) {
		why_is(why, whysize, "type: not subscribe or unsubscribe");
		goto out;
	}
	json_object_foreach(o, k, v) {
		if (strcmp(k, "type") == 0)
			continue;
		if (strcmp(k, "item_id") == 0 || strcmp(k, "item_ids") == 0) {
			if (each_string(v, WS_MAX_ITEMS, add_item, &n) != 0) {
				why_is(why, whysize, "item_ids: not a list of at most 256 item ids "
				    "(UTF-8 text, 1 to 200 bytes)");
				goto out;
			}
		} else if (strcmp(k, "level") == 0 || strcmp(k, "levels") == 0) {
			if (each_string(v, NLEVELS, add_level, &n) != 0) {
				why_is(why, whysize, "levels: not VERDE, AMARELO, VERMELHO or ENCOMENDA");
				goto out;
			}
		} else {
			why_is(why, whysize, "an unknown field (not item_ids or levels)");
			goto out;
		}
	}
	ws_sub_release(s);
	*s = n;
	memset(&n, 0, sizeof(n));
	s->active = 1;
	rc = WS_SUBSCRIBE;
out:
	ws_sub_release(&n);
	json_decref(o);
	return rc;
}

int
ws_sub_wants(const struct ws_sub *s, const struct serve_event *ev)
{
	size_t i;

	if (!s->active)
		return 0;
	/* A load (a forecast run among them) goes to who asked for everything. */
	if (strcmp(ev->kind, "alert") != 0)
		return s->levels == 0 && s->nitems == 0;
	if (s->nitems > 0) {
		if (ev->item_id == NULL)
			return 0;
		for (i = 0; i < s->nitems; i++)
			if (strcmp(s->items[i], ev->item_id) == 0)
				break;
		if (i == s->nitems)
			return 0;
	}
	if (s->levels != 0) {
		for (size_t l = 0; l < NLEVELS; l++)
			if (strcmp(ev->level, ws_levels[l]) == 0)
				return (s->levels >> l) & 1;
		return 0;
	}
	return 1;
}

void
ws_event_message(struct strbuf *sb, const struct serve_event *ev)
{
	char num[24];

	strbuf_add(sb, "{\"type\":", 8);
	ndjson_dump_string(sb, ev->kind, strlen(ev->kind));
	strbuf_add(sb, ",\"id\":", 6);
	strbuf_add(sb, num, (size_t)ndjson_fmt_long(num, (long long)ev->seq));
	strbuf_add(sb, ",\"data\":", 8);
	strbuf_add(sb, ev->data, strlen(ev->data));
	strbuf_add(sb, "}", 1);
}

/* ---- percent-decoding (the query string) ---- */

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

size_t
serve_percent_decode(char *s, int *bad)
{
	char *w = s;

	*bad = 0;
	for (char *p = s; *p; p++) {
		int h, l;

		if (*p == '%' && (h = hexval(p[1])) >= 0 && (l = hexval(p[2])) >= 0) {
			/* A NUL would cut the value short: refused. */
			*bad |= h == 0 && l == 0;
			*w++ = (char)(h << 4 | l);
			p += 2;
		} else {
			*bad |= *p == '%';
			*w++ = *p;
		}
	}
	*w = '\0';
	return (size_t)(w - s);
}
