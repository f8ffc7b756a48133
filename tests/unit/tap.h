/* tap.h: minimal TAP output for C unit tests (run by prove). */
#ifndef TAP_H
#define TAP_H
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

#define ok(cond, ...) do { \
	int ok_ = (cond); \
	printf("%sok %d - ", ok_ ? "" : "not ", ++tap_n); \
	printf(__VA_ARGS__); \
	putchar('\n'); \
	if (!ok_) { tap_failed++; printf("#   at %s:%d\n", __FILE__, __LINE__); } \
} while (0)

#define is_str(got, want, desc) do { \
	const char *g_ = (got), *w_ = (want); \
	ok(g_ && strcmp(g_, w_) == 0, "%s", desc); \
	if (!g_ || strcmp(g_, w_) != 0) printf("#   got '%s', want '%s'\n", g_ ? g_ : "(null)", w_); \
} while (0)

static int
tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed != 0;
}
#endif
