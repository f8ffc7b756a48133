/* Unit tests of lib/serve_ws.c against RFC 6455's own examples: the
 * accept key (section 1.3), the masked "Hello" and its fragments
 * (section 5.7), a ping, the server's frames, lengths of 126 and 65536,
 * and the refusals with their close codes; the subprotocols of
 * Sec-WebSocket-Protocol (nc.v1 and the token nc.bearer.TOKEN). */
#include <stdlib.h>

#include "serve.h"
#include "tap.h"

/* Read one frame from a copy of b[0..n). */
static struct ws_event
read1(struct ws_reader *r, const unsigned char *b, size_t n, size_t *used)
{
	static unsigned char buf[70000];
	struct ws_event ev;

	memcpy(buf, b, n);
	*used = ws_read(r, buf, n, &ev);
	return ev;
}

/* A masked client frame (key 1 2 3 4) of op and payload p[0..n). */
static size_t
mkframe(unsigned char *out, int fin, int op, const char *p, size_t n)
{
	static const unsigned char key[4] = { 1, 2, 3, 4 };
	size_t h = 2;

	out[0] = (unsigned char)((fin ? 0x80 : 0) | op);
	if (n < 126)
		out[1] = (unsigned char)(0x80 | n);
	else if (n < 65536) {
		out[1] = 0x80 | 126;
		out[2] = (unsigned char)(n >> 8);
		out[3] = (unsigned char)n;
		h = 4;
	} else {
		out[1] = 0x80 | 127;
		for (int i = 0; i < 8; i++)
			out[2 + i] = (unsigned char)((unsigned long long)n >> (56 - 8 * i));
		h = 10;
	}
	memcpy(out + h, key, 4);
	for (size_t i = 0; i < n; i++)
		out[h + 4 + i] = (unsigned char)(p[i] ^ key[i & 3]);
	return h + 4 + n;
}

int
main(void)
{
	static const unsigned char hello[] = { 0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f,
		0x4d, 0x51, 0x58 };
	static const unsigned char unmasked[] = { 0x81, 0x05, 'H', 'e', 'l', 'l', 'o' };
	static unsigned char f[70000];
	struct ws_reader r = { .max_message = WS_MAX_MESSAGE };
	struct ws_event ev;
	struct strbuf sb = { 0 };
	char acc[WS_ACCEPT_LEN + 1];
	char *big;
	struct ws_proto pr;
	const char *why, *h;
	size_t used, n, m;

	ok(ws_accept_key("dGhlIHNhbXBsZSBub25jZQ==", acc) == 0, "the RFC's key is taken");
	is_str(acc, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", "its accept key is the RFC's");
	ok(ws_accept_key("dGhlIHNhbXBsZSBub25jZQ=", acc) == -1, "a key of 23 characters: refused");
	ok(ws_accept_key("dGhlIHNhbXBsZSBub25jZR==", acc) == -1, "a key with stray bits: refused");
	ok(ws_accept_key("dGhlIHNhbX*sZSBub25jZQ==", acc) == -1, "a key not base64: refused");
	ok(ws_accept_key(NULL, acc) == -1, "no key: refused");

	ok(ws_protocols(NULL, &pr, &why) == 0 && !pr.offered && !pr.v1 && pr.tok == NULL,
	    "no Sec-WebSocket-Protocol: nothing offered");
	h = "nc.v1, nc.bearer.s3cr3t";
	ok(ws_protocols(h, &pr, &why) == 0 && pr.offered && pr.v1 && pr.tok == h + 17 &&
	    pr.toklen == 6, "nc.v1 and a bearer token");
	ok(ws_protocols("nc.bearer.a-b_c.d~9\t ,\tnc.v1 ", &pr, &why) == 0 && pr.v1 &&
	    pr.toklen == 9 && memcmp(pr.tok, "a-b_c.d~9", 9) == 0,
	    "the token first, spaces and tabs around the commas");
	ok(ws_protocols("nc.v1", &pr, &why) == 0 && pr.v1 && pr.tok == NULL, "nc.v1 alone: no token");
	ok(ws_protocols("chat, nc.v1", &pr, &why) == 0 && pr.v1, "another protocol beside: ignored");
	ok(ws_protocols("nc.bearer.x", &pr, &why) == -1 && strstr(why, "nc.v1") != NULL,
	    "a token without nc.v1: refused");
	ok(ws_protocols("chat", &pr, &why) == -1, "only another protocol: refused");
	ok(ws_protocols("NC.V1", &pr, &why) == -1, "names are compared as they are (NC.V1 is not nc.v1)");
	ok(ws_protocols("", &pr, &why) == -1, "an empty value: refused");
	ok(ws_protocols("nc.v1,", &pr, &why) == -1, "a trailing comma: refused");
	ok(ws_protocols("nc.v1,,nc.bearer.x", &pr, &why) == -1, "an empty element: refused");
	ok(ws_protocols("nc.v1, nc.bearer.", &pr, &why) == -1, "nc.bearer. without a token: refused");
	ok(ws_protocols("nc.v1, nc.bearer.a, nc.bearer.b", &pr, &why) == -1 &&
	    strstr(why, "two") != NULL, "two tokens: refused");
	ok(ws_protocols("nc.v1, nc.bearer.a/b=", &pr, &why) == -1, "a token with separators: refused");
	ok(ws_protocols("nc.v1 nc.bearer.a", &pr, &why) == -1, "no comma between: refused");
	ok(ws_protocols("nc.v1, nc.bearer.\xc3\xa9", &pr, &why) == -1, "a token not ASCII: refused");
	ok(ws_protocols("nc.v1, nc.bearer.secret\x01", &pr, &why) == -1 &&
	    strstr(why, "secret") == NULL, "a control character: refused, the reason quotes nothing");

	ev = read1(&r, hello, sizeof(hello), &used);
	ok(ev.got == WS_TEXT && used == sizeof(hello) && ev.len == 5 &&
	    memcmp(ev.data, "Hello", 5) == 0, "RFC 5.7: the masked \"Hello\"");
	ev = read1(&r, hello, 6, &used);
	ok(ev.got == WS_MORE && used == 0 && ev.need == 11, "half of it: 11 bytes needed");
	ev = read1(&r, unmasked, sizeof(unmasked), &used);
	ok(ev.got == WS_FAIL && ev.code == 1002, "RFC 5.7's unmasked \"Hello\" from a client: 1002");
	ws_reader_release(&r);

	n = mkframe(f, 0, 1, "Hel", 3);
	n += mkframe(f + n, 1, 9, "ping", 4);
	m = mkframe(f + n, 1, 0, "lo", 2);
	ev = read1(&r, f, n + m, &used);
	ok(ev.got == WS_PART && used == 9, "a first fragment is taken, no message yet");
	ev = read1(&r, f + used, n + m - used, &used);
	ok(ev.got == WS_PING && ev.len == 4 && memcmp(ev.data, "ping", 4) == 0,
	    "a ping between the fragments");
	ev = read1(&r, f + n, m, &used);
	ok(ev.got == WS_TEXT && ev.len == 5 && memcmp(ev.data, "Hello", 5) == 0,
	    "the last fragment: the whole message");
	ws_reader_release(&r);

	big = malloc(70000);
	memset(big, 'a', 70000);
	n = mkframe(f, 1, 1, big, 200);
	ev = read1(&r, f, n, &used);
	ok(ev.got == WS_TEXT && ev.len == 200 && used == n, "a 16-bit length (200)");
	n = mkframe(f, 1, 1, big, WS_MAX_MESSAGE + 1);
	ev = read1(&r, f, 8, &used);
	ok(ev.got == WS_FAIL && ev.code == 1009, "over the limit: 1009 from the header alone");
	n = mkframe(f, 1, 2, big, 65536);
	r.max_message = 70000;
	ev = read1(&r, f, n, &used);
	ok(ev.got == WS_BINARY && ev.len == 65536, "a 64-bit length (65536), binary");
	r.max_message = WS_MAX_MESSAGE;
	f[0] = 0x81, f[1] = 0x80 | 126, f[2] = 0, f[3] = 100;
	ev = read1(&r, f, 8, &used);
	ok(ev.got == WS_FAIL && ev.code == 1002, "a length not in its shortest form: 1002");
	ws_reader_release(&r);

	n = mkframe(f, 1, 1, "\xc3\x28", 2);
	ev = read1(&r, f, n, &used);
	ok(ev.got == WS_FAIL && ev.code == 1007, "invalid UTF-8: 1007");
	ws_reader_release(&r);
	n = mkframe(f, 1, 1, "\xed\xa0\x80", 3);
	ev = read1(&r, f, n, &used);
	ok(ev.got == WS_FAIL && ev.code == 1007, "a surrogate: 1007");
	ws_reader_release(&r);
	n = mkframe(f, 1, 0, "x", 1);
	ev = read1(&r, f, n, &used);
	ok(ev.got == WS_FAIL && ev.code == 1002, "a continuation without a message: 1002");
	n = mkframe(f, 0, 9, "x", 1);
	ev = read1(&r, f, n, &used);
	ok(ev.got == WS_FAIL && ev.code == 1002, "a fragmented ping: 1002");
	n = mkframe(f, 1, 8, "\x03\xe8" "bye", 5);
	ev = read1(&r, f, n, &used);
	ok(ev.got == WS_CLOSE && ev.code == 1000 && ev.len == 3, "a close 1000 \"bye\"");
	n = mkframe(f, 1, 8, "\x03\xee", 2);
	ev = read1(&r, f, n, &used);
	ok(ev.got == WS_FAIL && ev.code == 1002, "a close with 1006 (never sent): 1002");
	n = mkframe(f, 1, 8, "", 0);
	ev = read1(&r, f, n, &used);
	ok(ev.got == WS_CLOSE && ev.code == 1005, "an empty close: no code (1005)");

	ws_frame(&sb, 1, "Hello", 5);
	ok(sb.len == 7 && memcmp(sb.s, "\x81\x05Hello", 7) == 0, "RFC 5.7: the server's \"Hello\"");
	sb.len = 0;
	ws_frame(&sb, 2, big, 256);
	ok(sb.len == 260 && memcmp(sb.s, "\x82\x7e\x01\x00", 4) == 0, "RFC 5.7: 256 bytes binary");
	sb.len = 0;
	ws_frame(&sb, 2, big, 65536);
	ok(sb.len == 65546 && memcmp(sb.s, "\x82\x7f\0\0\0\0\0\x01\0\0", 10) == 0,
	    "RFC 5.7: 64 KiB binary");
	sb.len = 0;
	ws_close_frame(&sb, 1009, "too big");
	ok(sb.len == 11 && memcmp(sb.s, "\x88\x09\x03\xf1too big", 11) == 0, "a close 1009");
	strbuf_release(&sb);
	ws_reader_release(&r);
	free(big);
	return tap_done();
}
