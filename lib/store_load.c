/*
 * store_load.c: nc-store's load path (see store_tool.h and nc-store(1),
 * LOAD): the input in blocks, hashed as it comes; each line scanned,
 * checked and its key and date columns extracted; rejects; the load's
 * metadata (source, extracted_at, schema_version) from the records.
 */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "date.h"
#include "nc.h"
#include "ndjson.h"
#include "store_tool.h"
#include "text.h"

#define INPUT_BLOCK (1 << 20)

void
store_input_open(struct store_input *in, int fd)
{
	memset(in, 0, sizeof(*in));
	in->fd = fd;
	in->cap = INPUT_BLOCK;
	in->buf = xmalloc(in->cap);
	if ((in->md = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(in->md, EVP_sha256(), NULL) != 1)
		errx(NC_FAIL, "error: sha256");
}

int
store_input_line(struct store_input *in, char **line, size_t *len)
{
	for (;;) {
		char *p = in->buf + in->off, *nl = memchr(p, '\n', in->len - in->off);
		ssize_t n;

		if (nl != NULL || (in->eof && in->off < in->len)) {
			size_t l = nl ? (size_t)(nl - p) : in->len - in->off;

			in->off += l + (nl != NULL);
			in->lineno++;
			if (l > 0 && p[l - 1] == '\r')
				l--;
			*line = p;
			*len = l;
			return 1;
		}
		if (in->eof)
			return 0;
		/* Keep the partial line, make room, read more. */
		memmove(in->buf, p, in->len - in->off);
		in->len -= in->off;
		in->off = 0;
		if (in->len == in->cap) {
			in->cap *= 2;
			in->buf = xrealloc(in->buf, in->cap);
		}
		n = read(in->fd, in->buf + in->len, in->cap - in->len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err(NC_FAIL, "error: stdin");
		}
		if (n == 0)
			in->eof = 1;
		else if (EVP_DigestUpdate(in->md, in->buf + in->len, (size_t)n) != 1)
			errx(NC_FAIL, "error: sha256");
		in->len += (size_t)n;
	}
}

void
store_input_sha256(struct store_input *in, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen;

	if (EVP_DigestFinal_ex(in->md, md, &mdlen) != 1)
		errx(NC_FAIL, "error: sha256");
	hex[0] = '\0';
	for (unsigned int i = 0; i < mdlen && i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
}

void
store_input_release(struct store_input *in)
{
	EVP_MD_CTX_free(in->md);
	free(in->buf);
	memset(in, 0, sizeof(*in));
}

const struct flat_field *
store_field(const struct flat *fl, const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; i < fl->n; i++)
		if (fl->f[i].klen == n && memcmp(fl->f[i].key, name, n) == 0)
			return &fl->f[i];
	return NULL;
}

int
store_scan(struct flat *fl, const char *line, size_t len, json_t **obj, char *why, size_t size)
{
	*obj = NULL;
	if (flat_scan(fl, line, len) == 0)
		return 0;
	if ((*obj = ndjson_parse(line, len, why, size)) == NULL)
		return -1;
	flat_from_json(fl, *obj);
	return 0;
}

/* Remember a text field of the first record that has it. */
static void
meta_first(char **slot, const struct flat *fl, const char *a, const char *b)
{
	const struct flat_field *f = store_field(fl, a);

	if (f == NULL || f->type == FLAT_NULL)
		f = store_field(fl, b);
	if (*slot == NULL && f != NULL && (f->type == FLAT_STRING || f->type == FLAT_NUMBER))
		*slot = xstrndup(f->val, f->vlen);
}

/* extracted_at: the latest of the records' (RFC 3339 UTC sorts as text). */
static void
meta_latest(char **slot, const struct flat *fl, const char *a, const char *b)
{
	const struct flat_field *f = store_field(fl, a);

	if (f == NULL || f->type != FLAT_STRING)
		f = store_field(fl, b);
	if (f == NULL || f->type != FLAT_STRING)
		return;
	if (*slot == NULL || strlen(*slot) != f->vlen ||
	    memcmp(*slot, f->val, f->vlen) < 0) {
		free(*slot);
		*slot = xstrndup(f->val, f->vlen);
	}
}

/* Why the record cannot be stored, or NULL with row's columns set. */
static const char *
extract(const struct store_dataset *ds, const struct flat *fl, const char *line,
    size_t len, struct store_row *row, char *why, size_t size)
{
	const struct flat_field *f;

	row->record = line;
	row->len = len;
	for (int i = 0; i < ds->nkeys; i++) {
		f = store_field(fl, ds->keys[i]);
		if (f == NULL) {
			snprintf(why, size, "%s: key field missing", ds->keys[i]);
			return why;
		}
		if (f->type == FLAT_NULL) {
			row->key[i] = NULL;
			row->keylen[i] = 0;
			continue;
		}
		if (f->type != FLAT_STRING && f->type != FLAT_NUMBER) {
			snprintf(why, size, "%s: key field not a string or number", ds->keys[i]);
			return why;
		}
		row->key[i] = f->val;
		row->keylen[i] = f->vlen;
	}
	f = store_field(fl, "date");
	row->date = f && f->type == FLAT_STRING ? f->val : NULL;
	row->datelen = row->date ? f->vlen : 0;
	return NULL;
}

void
store_loader_begin(struct store_loader *ld, struct store *s, struct store_load *spec,
    struct rejects *rej, long max_rejects)
{
	memset(ld, 0, sizeof(*ld));
	ld->s = s;
	ld->spec = spec;
	ld->rej = rej;
	ld->max_rejects = max_rejects;
	flat_init(&ld->fl, ld->fbuf, 64);
	json_object_seed(0);
	s->ops->load_begin(s, spec);
}

/* Write the reject: the record when it is JSON, else the raw line. */
static void
reject(struct store_loader *ld, json_t *obj, const char *line, size_t len,
    const char *input, unsigned long lineno, const char *reason)
{
	json_t *rec = obj;

	if (rec == NULL && ld->fl.n > 0)
		rec = ndjson_parse(line, len, NULL, 0);
	if (rec == NULL) {
		char *raw = xstrndup(line, len);

		reject_record(ld->rej, NULL, raw, input, lineno, reason);
		free(raw);
	} else
		reject_record(ld->rej, rec, NULL, input, lineno, reason);
	if (rec != obj)
		json_decref(rec);
}

int
store_loader_line(struct store_loader *ld, const char *line, size_t len,
    const char *input, unsigned long lineno)
{
	struct store_row row;
	const char *reason;
	char why[256];
	json_t *obj;

	/* Not strspn(): the line is not NUL-terminated. */
	if (text_blank(line, len))
		return 0;
	if (store_scan(&ld->fl, line, len, &obj, why, sizeof(why)) != 0)
		reason = why;
	else
		reason = extract(&ld->spec->ds, &ld->fl, line, len, &row, why, sizeof(why));
	if (reason != NULL) {
		reject(ld, obj, line, len, input, lineno, reason);
		json_decref(obj);
		return ld->rej->count > (unsigned long)ld->max_rejects ? -1 : 1;
	}
	meta_first(&ld->source, &ld->fl, "_src", "source");
	meta_latest(&ld->extracted_at, &ld->fl, "_extracted_at", "extracted_at");
	meta_first(&ld->schema_version, &ld->fl, "_schema_version", "schema_version");
	ld->s->ops->load_put(ld->s, &row);
	json_decref(obj);
	ld->rows++;
	return 0;
}

int
store_loader_input(struct store_loader *ld, struct store_input *in, const char *name)
{
	char *line;
	size_t len;

	while (store_input_line(in, &line, &len))
		if (store_loader_line(ld, line, len, name, in->lineno) < 0)
			return -1;
	return 0;
}

long long
store_loader_commit(struct store_loader *ld, struct store_input *in)
{
	struct store_load_info info = { .rows = ld->rows };

	store_input_sha256(in, info.sha256);
	info.rejected = ld->rej->count;
	info.source = ld->source;
	info.extracted_at = ld->extracted_at;
	info.schema_version = ld->schema_version;
	ts_format((long long)time(NULL), info.loaded_at);
	return ld->s->ops->load_commit(ld->s, &info);
}

void
store_loader_release(struct store_loader *ld)
{
	flat_release(&ld->fl);
	free(ld->source);
	free(ld->extracted_at);
	free(ld->schema_version);
	ld->source = ld->extracted_at = ld->schema_version = NULL;
}
