/* util.c: start-up, allocation, and the write path every program uses. */
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nc.h"

const char *nc_progname = "nc";
int nc_verbose;

const char *
nc_init_name(const char *argv0)
{
	static char getopt_name[128];
	const char *slash = strrchr(argv0, '/');

	nc_progname = slash ? slash + 1 : argv0;
	/* A filter dies quietly under "| head". */
	signal(SIGPIPE, SIG_DFL);
	/* setlocale() is never called: LC_NUMERIC stays "C" for strtod/printf. */
	snprintf(getopt_name, sizeof(getopt_name), "%s: error", nc_progname);
	return getopt_name;
}

/* "nc-x: error: <fmt...>[: <strerror(e)>]\n" on stderr. */
static void
print_error(const char *fmt, va_list ap, int e)
{
	if (strncmp(fmt, "error: ", 7) == 0)
		fmt += 7;
	fprintf(stderr, "%s: error: ", nc_progname);
	vfprintf(stderr, fmt, ap);
	if (e >= 0)
		fprintf(stderr, ": %s", strerror(e));
	fputc('\n', stderr);
}

void
nc_err(int code, const char *fmt, ...)
{
	int e = errno;
	va_list ap;

	va_start(ap, fmt);
	print_error(fmt, ap, e);
	va_end(ap);
	exit(code);
}

void
nc_errx(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	print_error(fmt, ap, -1);
	va_end(ap);
	exit(code);
}

void
nc_usage_error(const char *synopsis, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	print_error(fmt, ap, -1);
	va_end(ap);
	nc_usage(synopsis, 0);
}

void
nc_deprecated(const char *old, const char *now)
{
	fprintf(stderr, "%s: warning: %s is deprecated; use %s\n", nc_progname, old, now);
}

int
nc_worst(int a, int b)
{
	return a > b ? a : b;
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		err(NC_FAIL, "malloc");
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		err(NC_FAIL, "calloc");
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		err(NC_FAIL, "realloc");
	return q;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static void
die_write(int e)
{
	if (e == EPIPE) {
		signal(SIGPIPE, SIG_DFL);
		raise(SIGPIPE);
	}
	errno = e;
	err(NC_FAIL, "write error");
}

void
nc_write(FILE *fp, const void *buf, size_t len)
{
	if (fwrite(buf, 1, len, fp) != len)
		die_write(errno);
}

void
nc_close_stdout(void)
{
	if (fflush(stdout) != 0 || ferror(stdout))
		die_write(errno ? errno : EIO);
	if (fclose(stdout) != 0)
		die_write(errno);
}

long
nc_parse_long(const char *s, long min, long max, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (end == s || *end != '\0')
		errx(NC_USAGE, "%s: not a number: '%s'", what, s);
	if (errno == ERANGE || v < min || v > max)
		errx(NC_USAGE, "%s: out of range [%ld, %ld]: '%s'", what, min, max, s);
	return v;
}

void
nc_print_version(void)
{
	printf("%s (nc) %s\n", nc_progname, NC_VERSION);
	nc_close_stdout();
	exit(NC_OK);
}

void
nc_usage(const char *synopsis, int to_stdout)
{
	const char *end;

	if (to_stdout) {
		fputs(synopsis, stdout);
		nc_close_stdout();
		exit(NC_OK);
	}
	/* On a usage error, the usage lines only: the option list is for -h. */
	end = strstr(synopsis, "\n\n");
	fwrite(synopsis, 1, end ? (size_t)(end - synopsis) + 1 : strlen(synopsis), stderr);
	exit(NC_USAGE);
}

void
nc_filter_option(int ch, const char *arg, const char *synopsis,
    long *max_rejects, const char **reject_path)
{
	switch (ch) {
	case 'h':
		nc_usage(synopsis, 1);
	case 'V':
		nc_print_version();
	case 'v':
		nc_verbose++;
		break;
	case 'm':
		*max_rejects = nc_parse_long(arg, 0, LONG_MAX, "-m");
		break;
	case 'r':
		*reject_path = arg;
		break;
	default:
		nc_usage(synopsis, 0);
	}
}
