/*
 * keyprefix.h: the first 8 bytes of a byte string as a big-endian number,
 * zero-padded, for sorting by memcmp() order without reading the strings.
 *
 * Two strings ordered by memcmp() over the shorter length, then shorter
 * first, compare the same way by their prefixes wherever the prefixes
 * differ (a pad byte stands where the shorter one ends, and is never above
 * a real byte); on equal prefixes compare the strings themselves.
 *
 * Ownership: a plain function (nc-features and nc-transform sort with it).
 *
 *	if (a->pre != b->pre) return a->pre < b->pre ? -1 : 1;
 *	... full comparison ...
 */
#ifndef NC_KEYPREFIX_H
#define NC_KEYPREFIX_H

#include <stddef.h>
#include <stdint.h>

uint64_t key_prefix8(const char *s, size_t len);

#endif
