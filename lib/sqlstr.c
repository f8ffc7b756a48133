/* sqlstr.c: TRIM and LOWER as the seed's Spark SQL applies them. */
#include <string.h>

#include "sqlstr.h"

void
sql_trim(char *s)
{
	size_t start = strspn(s, " "), len = strlen(s);

	while (len > start && s[len - 1] == ' ')
		len--;
	memmove(s, s + start, len - start);
	s[len - start] = '\0';
}

void
sql_lower(char *s)
{
	unsigned char *p = (unsigned char *)s;

	while (*p) {
		if (*p >= 'A' && *p <= 'Z') {
			*p += 'a' - 'A';
			p++;
		} else if (*p == 0xC3 && p[1] >= 0x80 && p[1] <= 0x9E && p[1] != 0x97) {
			/* U+00C0..U+00DE except U+00D7 (multiplication sign) */
			p[1] += 0x20;
			p += 2;
		} else if (*p == 0xC4 || (*p == 0xC5 && p[1] >= 0x80 && p[1] <= 0xBF)) {
			/* Latin Extended-A, U+0100..U+017F: pairs, upper case even,
			 * except U+0139..U+0148 and U+0179..U+017E, upper case odd. */
			unsigned cp = ((unsigned)(*p & 0x1F) << 6) | (p[1] & 0x3F);
			int odd_upper = (cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E);

			if (cp != 0x130 && cp != 0x131 && cp != 0x138 && cp != 0x149 &&
			    cp != 0x17F && (cp % 2 == 1) == odd_upper) {
				cp++;
				p[0] = (unsigned char)(0xC0 | (cp >> 6));
				p[1] = (unsigned char)(0x80 | (cp & 0x3F));
			}
			p += 2;
		} else
			p++;
	}
}
