/*
 * holidays.c: Brazil's national holidays, Bahia's and Salvador's, by year.
 * The sources of each date are in nc-features(1), HOLIDAYS.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "holidays.h"
#include "nc.h"

struct fixed {
	int month, day;
	enum hol_scope scope;   /* the narrowest calendar that has it */
	int from;               /* first year it is a holiday */
};

static const struct fixed fixed[] = {
	{ 1, 1, HOL_NATIONAL, 0 },      /* Confraternizacao Universal */
	{ 4, 21, HOL_NATIONAL, 0 },     /* Tiradentes */
	{ 5, 1, HOL_NATIONAL, 0 },      /* Dia do Trabalho */
	{ 6, 24, HOL_SALVADOR, 0 },     /* Sao Joao (Salvador) */
	{ 7, 2, HOL_BAHIA, 0 },         /* Independencia da Bahia */
	{ 9, 7, HOL_NATIONAL, 0 },      /* Independencia do Brasil */
	{ 10, 12, HOL_NATIONAL, 0 },    /* Nossa Senhora Aparecida */
	{ 11, 2, HOL_NATIONAL, 0 },     /* Finados */
	{ 11, 15, HOL_NATIONAL, 0 },    /* Proclamacao da Republica */
	{ 11, 20, HOL_NATIONAL, 2024 }, /* Consciencia Negra, Lei 14.759/2023 */
	{ 12, 8, HOL_SALVADOR, 0 },     /* N. S. da Conceicao da Praia (Salvador) */
	{ 12, 25, HOL_NATIONAL, 0 },    /* Natal */
};

/* Days from Easter Sunday: Carnival Monday and Tuesday, Good Friday,
 * Corpus Christi. */
static const int movable[] = { -48, -47, -2, 60 };

void
holidays_init(struct holidays *h, enum hol_scope scope)
{
	memset(h, 0, sizeof(*h));
	h->scope = scope;
}

void
holidays_release(struct holidays *h)
{
	free(h->extra);
	free(h->bits);
	free(h->have);
	memset(h, 0, sizeof(*h));
}

int
holidays_scope_parse(const char *s, enum hol_scope *scope)
{
	if (strcmp(s, "national") == 0)
		*scope = HOL_NATIONAL;
	else if (strcmp(s, "bahia") == 0)
		*scope = HOL_BAHIA;
	else if (strcmp(s, "salvador") == 0)
		*scope = HOL_SALVADOR;
	else
		return -1;
	return 0;
}

long
holidays_easter(int year)
{
	int a = year % 19, b = year / 100, c = year % 100;
	int d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
	int hh = (19 * a + b - d - g + 15) % 30;
	int i = c / 4, k = c % 4;
	int l = (32 + 2 * e + 2 * i - hh - k) % 7;
	int m = (a + 11 * hh + 22 * l) / 451;
	int month = (hh + l - 7 * m + 114) / 31;
	int day = (hh + l - 7 * m + 114) % 31 + 1;

	return date_from_ymd(year, month, day);
}

int
holidays_add_file(struct holidays *h, FILE *fp, char *why, size_t size)
{
	char line[512];
	unsigned long lineno = 0;

	while (fgets(line, sizeof(line), fp) != NULL) {
		char *p = line, *end;
		long day;

		lineno++;
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '\0' || *p == '#')
			continue;
		for (end = p; *end != '\0' && !isspace((unsigned char)*end); end++)
			;
		if (date_parse_n(p, (size_t)(end - p), &day) != 0) {
			snprintf(why, size, "line %lu: not a date", lineno);
			return -1;
		}
		if (h->nextra == h->capextra) {
			h->capextra = h->capextra ? 2 * h->capextra : 16;
			h->extra = xrealloc(h->extra, h->capextra * sizeof(*h->extra));
		}
		h->extra[h->nextra++] = day;
	}
	/* The cache, if any, predates these dates. */
	if (h->have != NULL)
		memset(h->have, 0, (size_t)h->ny);
	return 0;
}

static void
set_day(unsigned char *bits, long day, long jan1)
{
	long off = day - jan1;

	if (off >= 0 && off < 366)
		bits[off / 8] |= (unsigned char)(1u << (off % 8));
}

static void
compute_year(struct holidays *h, int year, unsigned char *bits)
{
	long jan1 = date_from_ymd(year, 1, 1), easter = holidays_easter(year);

	memset(bits, 0, 46);
	for (size_t i = 0; i < sizeof(fixed) / sizeof(*fixed); i++)
		if (fixed[i].scope <= h->scope && year >= fixed[i].from)
			set_day(bits, date_from_ymd(year, fixed[i].month, fixed[i].day), jan1);
	for (size_t i = 0; i < sizeof(movable) / sizeof(*movable); i++)
		set_day(bits, easter + movable[i], jan1);
	for (size_t i = 0; i < h->nextra; i++)
		set_day(bits, h->extra[i], jan1);
}

/* The bit set of a year, computed on first use. */
static const unsigned char *
year_bits(struct holidays *h, int year)
{
	size_t i;

	if (h->ny == 0 || year < h->y0 || year >= h->y0 + h->ny) {
		int lo = h->ny ? (year < h->y0 ? year : h->y0) : year - 5;
		int hi = h->ny ? (year >= h->y0 + h->ny ? year + 1 : h->y0 + h->ny) : year + 6;
		unsigned char (*nb)[46] = xcalloc((size_t)(hi - lo), sizeof(*nb));
		unsigned char *nh = xcalloc((size_t)(hi - lo), 1);

		for (int k = 0; k < h->ny; k++) {
			memcpy(nb[h->y0 - lo + k], h->bits[k], 46);
			nh[h->y0 - lo + k] = h->have[k];
		}
		free(h->bits);
		free(h->have);
		h->bits = nb;
		h->have = nh;
		h->y0 = lo;
		h->ny = hi - lo;
	}
	i = (size_t)(year - h->y0);
	if (!h->have[i]) {
		compute_year(h, year, h->bits[i]);
		h->have[i] = 1;
	}
	return h->bits[i];
}

int
holidays_is(struct holidays *h, long day)
{
	int y, m, d;
	long off;
	const unsigned char *bits;

	date_to_ymd(day, &y, &m, &d);
	bits = year_bits(h, y);
	off = day - date_from_ymd(y, 1, 1);
	return bits[off / 8] >> (off % 8) & 1;
}

long
holidays_next(struct holidays *h, long day)
{
	int y, m, d;

	date_to_ymd(day, &y, &m, &d);
	/* Every year has 1 January, so this ends by the next one. */
	for (;; y++) {
		long jan1 = date_from_ymd(y, 1, 1), len = date_from_ymd(y + 1, 1, 1) - jan1;
		const unsigned char *bits = year_bits(h, y);

		for (long off = day > jan1 ? day - jan1 : 0; off < len; off++)
			if (bits[off / 8] >> (off % 8) & 1)
				return jan1 + off;
	}
}
