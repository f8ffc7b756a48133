/* flat.c: the fields of a flat JSON record, scanned fast (see flat.h). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "flat.h"
#include "nc.h"
#include "text.h"

void
flat_init(struct flat *fl, struct flat_field *buf, size_t cap)
{
	memset(fl, 0, sizeof(*fl));
	fl->f = fl->given = buf;
	fl->cap = fl->given_cap = cap;
}

/* Room for cap fields, keeping the n scanned so far. */
static void
grow(struct flat *fl, size_t cap)
{
	struct flat_field *f = xcalloc(cap, sizeof(*f));

	memcpy(f, fl->f, fl->n * sizeof(*f));
	if (fl->f != fl->given)
		free(fl->f);
	fl->f = f;
	fl->cap = cap;
}

void
flat_release(struct flat *fl)
{
	if (fl->f != fl->given)
		free(fl->f);
	strbuf_release(&fl->arena);
	fl->f = fl->given;
	fl->cap = fl->given_cap;
	fl->n = 0;
}

static const char *
skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

static int
hex4(const char *p, const char *end, unsigned *cp)
{
	*cp = 0;
	if (end - p < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		char c = p[i];

		*cp <<= 4;
		if (c >= '0' && c <= '9')
			*cp |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			*cp |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			*cp |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	return 0;
}

static void
add_utf8(struct strbuf *sb, unsigned cp)
{
	char b[4];
	size_t n;

	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xC0 | cp >> 6);
		b[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xE0 | cp >> 12);
		b[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		b[0] = (char)(0xF0 | cp >> 18);
		b[1] = (char)(0x80 | (cp >> 12 & 0x3F));
		b[2] = (char)(0x80 | (cp >> 6 & 0x3F));
		b[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	strbuf_add(sb, b, n);
}

/*
 * Decode the escapes of the string whose body is [p, end) into the arena.
 * Returns -1 for what jansson should judge: a bad escape, a lone
 * surrogate, or \u0000 (which jansson refuses).
 */
static int
decode_escapes(struct strbuf *arena, const char *p, const char *end)
{
	while (p < end) {
		const char *bs = memchr(p, '\\', (size_t)(end - p));
		unsigned cp, lo;

		if (bs == NULL) {
			strbuf_add(arena, p, (size_t)(end - p));
			return 0;
		}
		strbuf_add(arena, p, (size_t)(bs - p));
		p = bs + 1;
		switch (*p++) {
		case '"': strbuf_addc(arena, '"'); break;
		case '\\': strbuf_addc(arena, '\\'); break;
		case '/': strbuf_addc(arena, '/'); break;
		case 'b': strbuf_addc(arena, '\b'); break;
		case 'f': strbuf_addc(arena, '\f'); break;
		case 'n': strbuf_addc(arena, '\n'); break;
		case 'r': strbuf_addc(arena, '\r'); break;
		case 't': strbuf_addc(arena, '\t'); break;
		case 'u':
			if (hex4(p, end, &cp) != 0 || cp == 0 || (cp >= 0xDC00 && cp <= 0xDFFF))
				return -1;
			p += 4;
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				if (end - p < 6 || p[0] != '\\' || p[1] != 'u' ||
				    hex4(p + 2, end, &lo) != 0 || lo < 0xDC00 || lo > 0xDFFF)
					return -1;
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				p += 6;
			}
			add_utf8(arena, cp);
			break;
		default:
			return -1;
		}
	}
	return 0;
}

/*
 * p at the opening quote: the closing quote, or NULL.  *escaped tells
 * whether the body holds escapes.
 */
static const char *
scan_string(const char *p, const char *end, int *escaped)
{
	*escaped = 0;
	for (p++; p < end; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '"')
			return p;
		if (c == '\\') {
			*escaped = 1;
			if (++p == end)
				return NULL;
		} else if (c < 0x20)
			return NULL;
	}
	return NULL;
}

/* Set *s and *len to the string's content: in the line, or decoded into
 * the arena (as an offset, fixed up by flat_scan at the end). */
static int
string_value(struct flat *fl, const char *open, const char *close, int escaped,
    const char **s, size_t *len, int *in_arena)
{
	size_t off = fl->arena.len;

	*in_arena = escaped;
	if (!escaped) {
		*s = open + 1;
		*len = (size_t)(close - open - 1);
		return 0;
	}
	if (decode_escapes(&fl->arena, open + 1, close) != 0)
		return -1;
	*s = (const char *)(uintptr_t)off;
	*len = fl->arena.len - off;
	return 0;
}

static int
digit(const char *p, const char *end)
{
	return p < end && *p >= '0' && *p <= '9';
}

/* A JSON number at p; NULL if it is not one, an integer jansson could
 * not hold (more than 18 digits), or a real past a double's range (jansson
 * refuses both: leave them to jansson's own message). */
static const char *
scan_number(const char *p, const char *end)
{
	const char *start, *num = p;
	int integer = 1;
	long mag, exp10 = 0, esign = 1;

	if (p < end && *p == '-')
		p++;
	start = p;
	if (!digit(p, end))
		return NULL;
	if (*p == '0')
		p++;
	else
		while (digit(p, end))
			p++;
	mag = p - start;        /* |value| < 10^(mag + exponent) */
	if (p < end && *p == '.') {
		integer = 0;
		if (!digit(++p, end))
			return NULL;
		while (digit(p, end))
			p++;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		integer = 0;
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			esign = *p++ == '-' ? -1 : 1;
		if (!digit(p, end))
			return NULL;
		while (digit(p, end)) {
			if (exp10 < 100000)
				exp10 = exp10 * 10 + (*p - '0');
			p++;
		}
	}
	if (integer && p - start > 18)
		return NULL;
	if (!integer && mag + esign * exp10 > 307) {
		char *copy = xstrndup(num, (size_t)(p - num));
		double d = strtod(copy, NULL);

		free(copy);
		if (isinf(d))
			return NULL;
	}
	return p;
}

static int
literal(const char *p, const char *end, const char *word, size_t n)
{
	return (size_t)(end - p) >= n && memcmp(p, word, n) == 0;
}

int
flat_scan(struct flat *fl, const char *line, size_t len)
{
	const char *p = line, *end = line + len, *q;
	int escaped;

	fl->n = 0;
	fl->arena.len = 0;
	if (text_ascii_span(line, len) != len && !text_utf8_valid(line, len))
		return -1;
	p = skip_ws(p, end);
	if (p == end || *p++ != '{')
		return -1;
	p = skip_ws(p, end);
	if (p < end && *p == '}') {
		p++;
		return skip_ws(p, end) == end ? 0 : -1;
	}
	for (;;) {
		struct flat_field *f;
		int kin = 0, vin = 0;

		if (fl->n == fl->cap)
			grow(fl, 2 * fl->cap + 8);
		if (p == end || *p != '"' || (q = scan_string(p, end, &escaped)) == NULL)
			return -1;
		f = &fl->f[fl->n];
		if (string_value(fl, p, q, escaped, &f->key, &f->klen, &kin) != 0)
			return -1;
		p = skip_ws(q + 1, end);
		if (p == end || *p++ != ':')
			return -1;
		p = skip_ws(p, end);
		if (p == end)
			return -1;
		f->val = NULL;
		f->vlen = 0;
		if (*p == '"') {
			if ((q = scan_string(p, end, &escaped)) == NULL ||
			    string_value(fl, p, q, escaped, &f->val, &f->vlen, &vin) != 0)
				return -1;
			f->type = FLAT_STRING;
			p = q + 1;
		} else if (*p == '-' || (*p >= '0' && *p <= '9')) {
			if ((q = scan_number(p, end)) == NULL)
				return -1;
			f->type = FLAT_NUMBER;
			f->val = p;
			f->vlen = (size_t)(q - p);
			p = q;
		} else if (literal(p, end, "true", 4)) {
			f->type = FLAT_TRUE;
			p += 4;
		} else if (literal(p, end, "false", 5)) {
			f->type = FLAT_FALSE;
			p += 5;
		} else if (literal(p, end, "null", 4)) {
			f->type = FLAT_NULL;
			p += 4;
		} else
			return -1;	/* nested, or not JSON: jansson decides */
		f->arena = (unsigned char)((kin ? 1 : 0) | (vin ? 2 : 0));
		fl->n++;
		p = skip_ws(p, end);
		if (p < end && *p == ',') {
			p = skip_ws(p + 1, end);
			continue;
		}
		if (p < end && *p == '}')
			break;
		return -1;
	}
	if (skip_ws(p + 1, end) != end)
		return -1;
	/* Decoded strings live in the arena, which may have moved. */
	for (size_t i = 0; i < fl->n; i++) {
		if (fl->f[i].arena & 1)
			fl->f[i].key = fl->arena.s + (uintptr_t)fl->f[i].key;
		if (fl->f[i].arena & 2)
			fl->f[i].val = fl->arena.s + (uintptr_t)fl->f[i].val;
	}
	/* A repeated key is refused by jansson with its own message. */
	for (size_t i = 1; i < fl->n; i++)
		for (size_t j = 0; j < i; j++)
			if (fl->f[i].klen == fl->f[j].klen &&
			    memcmp(fl->f[i].key, fl->f[j].key, fl->f[i].klen) == 0)
				return -1;
	return 0;
}

void
flat_from_json(struct flat *fl, const json_t *object)
{
	const char *key;
	json_t *v;
	size_t i = 0, size = json_object_size(object);
	size_t *off;

	if (size > fl->cap) {
		fl->n = 0;
		grow(fl, size);
	}
	off = xcalloc(size ? size : 1, sizeof(*off));
	fl->arena.len = 0;
	json_object_foreach((json_t *)object, key, v) {
		struct flat_field *f = &fl->f[i];

		f->key = key;
		f->klen = strlen(key);
		f->val = NULL;
		f->vlen = 0;
		switch (json_typeof(v)) {
		case JSON_STRING:
			f->type = FLAT_STRING;
			f->val = json_string_value(v);
			f->vlen = json_string_length(v);
			break;
		case JSON_INTEGER:
		case JSON_REAL:
		case JSON_OBJECT:
		case JSON_ARRAY:
			f->type = json_is_number(v) ? FLAT_NUMBER : FLAT_RAW;
			off[i] = fl->arena.len;
			ndjson_dump(&fl->arena, v);
			f->vlen = fl->arena.len - off[i];
			break;
		case JSON_TRUE:
			f->type = FLAT_TRUE;
			break;
		case JSON_FALSE:
			f->type = FLAT_FALSE;
			break;
		case JSON_NULL:
			f->type = FLAT_NULL;
			break;
		}
		i++;
	}
	fl->n = i;
	/* The arena may have moved while it grew. */
	for (i = 0; i < fl->n; i++)
		if (fl->f[i].type == FLAT_NUMBER || fl->f[i].type == FLAT_RAW)
			fl->f[i].val = fl->arena.s + off[i];
	free(off);
}

void
flat_dump_value(struct strbuf *sb, const struct flat_field *f)
{
	switch (f->type) {
	case FLAT_STRING:
		ndjson_dump_string(sb, f->val, f->vlen);
		break;
	case FLAT_NUMBER:
	case FLAT_RAW:
		strbuf_add(sb, f->val, f->vlen);
		break;
	case FLAT_TRUE:
		strbuf_add(sb, "true", 4);
		break;
	case FLAT_FALSE:
		strbuf_add(sb, "false", 5);
		break;
	case FLAT_NULL:
		strbuf_add(sb, "null", 4);
		break;
	}
}
