/*
 * sqlstr.h: the seed's SQL string functions, in place on a NUL-terminated
 * UTF-8 string (the result is never longer).
 */
#ifndef NC_SQLSTR_H
#define NC_SQLSTR_H

/* TRIM(s): remove leading and trailing spaces (only ' ', as Spark does). */
void sql_trim(char *s);

/*
 * LOWER(s): lower-case letters of ASCII, Latin-1 Supplement and Latin
 * Extended-A (all of Portuguese: "ELÉTRICO" -> "elétrico"); other
 * characters are left as they are.
 */
void sql_lower(char *s);

#endif
