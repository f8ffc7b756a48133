/* keyprefix.c: 8-byte sort prefixes of strings (keyprefix.h). */
#include "keyprefix.h"

uint64_t
key_prefix8(const char *s, size_t len)
{
	uint64_t p = 0;

	for (size_t i = 0; i < 8; i++)
		p = p << 8 | (i < len ? (unsigned char)s[i] : 0);
	return p;
}
