/*
 * nc.h: what every nc program shares: exit codes, start-up, memory, stdout.
 *
 * Ownership: x* allocators never return NULL (they exit 1 on failure); the
 * caller frees what they return.  Nothing here keeps a pointer it is given.
 */
#ifndef NC_H
#define NC_H

#include <stddef.h>
#include <stdio.h>

#define NC_VERSION "0.1.0"

enum nc_exit {
	NC_OK = 0,       /* success; rejects, if any, within -m */
	NC_FAIL = 1,     /* runtime failure: I/O, network, database */
	NC_USAGE = 2,    /* usage or configuration error */
	NC_REJECTS = 3,  /* finished, but rejects went over -m */
	NC_VERDICT = 4   /* opt-in verdict (e.g. nc-alert -e) */
};

extern const char *nc_progname;
extern int nc_verbose;

/* Set the program name, SIGPIPE to default; numbers stay in the C locale. */
void nc_init(const char *argv0);

/* The larger of two exit codes, so that a failure is never hidden. */
int nc_worst(int a, int b);

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/*
 * Write len bytes to fp as one unit.  On EPIPE the process dies by SIGPIPE
 * (like git's check_pipe); on any other error it prints "write error" and
 * exits 1.
 */
void nc_write(FILE *fp, const void *buf, size_t len);

/* Flush and close stdout; a failure (e.g. a full disk) exits 1. */
void nc_close_stdout(void);

/*
 * Parse a decimal integer option in [min, max]; anything else is a usage
 * error: "nc-x: -m: not a number: 'abc'" and exit 2.
 */
long nc_parse_long(const char *s, long min, long max, const char *what);

/*
 * The options every filter shares, for the default: of its getopt switch:
 * -h (usage, exit 0), -V (version), -v (nc_verbose++), -m N into
 * *max_rejects, -r FILE into *reject_path; anything else is a usage
 * error (exit 2).
 */
void nc_filter_option(int ch, const char *arg, const char *synopsis,
    long *max_rejects, const char **reject_path);

/* Print the version line "nc-x (nc) 0.1.0" to stdout and exit 0. */
void nc_print_version(void) __attribute__((noreturn));

/* Print the synopsis to stdout and exit 0 (-h), or to stderr and exit 2. */
void nc_usage(const char *synopsis, int to_stdout) __attribute__((noreturn));

#endif
