/*
 * input.h: read lines from a list of files, or stdin, keeping the name and
 * line number of each for diagnostics.
 *
 * Ownership: the line returned by input_next() belongs to the reader and is
 * valid until the next call; copy it to keep it.
 *
 *	struct input in;
 *	input_init(&in, argc, argv);       // no names, or "-": stdin
 *	while (input_next(&in, &line, &len) == 1)
 *		printf("%s:%lu: %s\n", in.name, in.lineno, line);
 *	rval = input_release(&in);         // NC_FAIL if a file failed
 */
#ifndef NC_INPUT_H
#define NC_INPUT_H

#include <stdio.h>

struct input {
	char **names;          /* files still to read */
	int nnames;
	int next;
	FILE *fp;
	const char *name;      /* "stdin" or the path, for messages */
	unsigned long lineno;  /* physical line number in name */
	char *buf;
	size_t cap;
	int skip_blank;        /* 1 (default): skip lines of only white space */
	int status;            /* NC_OK or NC_FAIL when a file would not open */
};

void input_init(struct input *in, int nnames, char **names);

/*
 * Next line without its "\n" or "\r\n" (a last line without a newline is
 * still a line).  Returns 1 with *line and *len set, 0 at the end of all
 * input.  A file that does not open is reported and skipped; a read error
 * is fatal (exit 1).
 */
int input_next(struct input *in, char **line, size_t *len);

/* Close what is open and return NC_OK, or NC_FAIL if a file failed. */
int input_release(struct input *in);

#endif
