/*
 * nc.h: what every nc program shares: exit codes, start-up, memory, stdout.
 *
 * Ownership: x* allocators never return NULL (they exit 1 on failure); the
 * caller frees what they return.  Nothing here keeps a pointer it is given.
 */
#ifndef NC_H
#define NC_H

#include <err.h>
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

/*
 * Set the program name, SIGPIPE to default; numbers stay in the C locale.
 * Called as nc_init(argv[0]), it also points argv[0] at "nc-x: error", the
 * name getopt(3) puts before its own messages, so that a bad option reads
 * "nc-x: error: unrecognized option '--foo'" as nc(7) promises.
 */
const char *nc_init_name(const char *argv0);
#define nc_init(argv0) ((argv0) = (char *)nc_init_name(argv0))

/*
 * Fatal errors end with one "nc-x: error: ..." line (nc(7)): err(3) and
 * errx(3) are redefined to nc_err() and nc_errx(), which print that prefix
 * (once, when the message already starts with "error: ") and exit with code.
 * warn(3) and warnx(3) are untouched: a warning says "warning: " itself.
 */
void nc_err(int code, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 2, 3)));
void nc_errx(int code, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 2, 3)));
#ifndef err    /* fuzz/fuzz.h has its own, which return to the harness */
#define err(...) nc_err(__VA_ARGS__)
#endif
#ifndef errx
#define errx(...) nc_errx(__VA_ARGS__)
#endif

/*
 * A usage error: "nc-x: error: <message>", then the synopsis on stderr,
 * exit 2.
 */
void nc_usage_error(const char *synopsis, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 2, 3)));

/*
 * An old option spelling kept for one release: "nc-x: warning: -y is
 * deprecated; use -t" on stderr; the caller then does what now does.
 */
void nc_deprecated(const char *old, const char *now);

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

/*
 * Print the synopsis to stdout and exit 0 (-h), or to stderr and exit 2.
 * The synopsis is the usage lines, a blank line, then the options, one a
 * line (-h); a usage error prints the usage lines only.
 */
void nc_usage(const char *synopsis, int to_stdout) __attribute__((noreturn));

#endif
