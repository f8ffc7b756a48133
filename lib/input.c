/* input.c: lines from files or stdin, with name and line number. */
#include <err.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "nc.h"
#include "text.h"

void
input_init(struct input *in, int nnames, char **names)
{
	memset(in, 0, sizeof(*in));
	in->names = names;
	in->nnames = nnames;
	in->skip_blank = 1;
	in->status = NC_OK;
}

static int
open_next(struct input *in)
{
	for (;;) {
		const char *path;

		if (in->nnames == 0) {
			if (in->next++ > 0)
				return 0;
			in->fp = stdin;
			in->name = "stdin";
			in->lineno = 0;
			return 1;
		}
		if (in->next >= in->nnames)
			return 0;
		path = in->names[in->next++];
		if (strcmp(path, "-") == 0) {
			in->fp = stdin;
			in->name = "stdin";
		} else if ((in->fp = fopen(path, "r")) == NULL) {
			warn("error: %s", path);
			in->status = NC_FAIL;
			continue;
		} else
			in->name = path;
		in->lineno = 0;
		return 1;
	}
}

static void
close_current(struct input *in)
{
	if (in->fp == NULL)
		return;
	if (ferror(in->fp))
		err(NC_FAIL, "%s: read error", in->name);
	if (in->fp != stdin)
		fclose(in->fp);
	in->fp = NULL;
}

int
input_next(struct input *in, char **line, size_t *len)
{
	for (;;) {
		ssize_t n;

		if (in->fp == NULL && !open_next(in))
			return 0;
		errno = 0;
		n = getline(&in->buf, &in->cap, in->fp);
		if (n < 0) {
			if (errno != 0 && ferror(in->fp))
				err(NC_FAIL, "%s: read error", in->name);
			close_current(in);
			continue;
		}
		in->lineno++;
		if (n > 0 && in->buf[n - 1] == '\n')
			n--;
		if (n > 0 && in->buf[n - 1] == '\r')
			n--;
		in->buf[n] = '\0';
		if (in->skip_blank && text_blank(in->buf, (size_t)n))
			continue;
		*line = in->buf;
		*len = (size_t)n;
		return 1;
	}
}

int
input_release(struct input *in)
{
	close_current(in);
	free(in->buf);
	in->buf = NULL;
	return in->status;
}
