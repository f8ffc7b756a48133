/*
 * cast.h: SQL-style casts of JSON values, as the seed's Spark SQL does them
 * (CAST(x AS STRING), CAST(x AS DECIMAL(10,2)), CAST(x AS INTEGER)).
 * A value may arrive as a JSON number or as a numeric string, since ERP
 * exports vary.
 *
 * Each cast returns CAST_OK, CAST_NULL (null or absent: the SQL result is
 * NULL), or an error: CAST_BAD (not a value of that type) or CAST_RANGE.
 * Ownership: the casts only read v; cast_string() returns a new string the
 * caller frees.
 */
#ifndef NC_CAST_H
#define NC_CAST_H

#include <stddef.h>
#include <jansson.h>

#include "flat.h"

enum cast_result { CAST_OK = 0, CAST_NULL = 1, CAST_BAD = -1, CAST_RANGE = -2 };

/*
 * The casts work on a field of a flat record (flat.h); absent is f == NULL.
 * The json_t forms below are the same casts on a jansson value.
 */
enum cast_result cast_string_f(const struct flat_field *f, char buf[64],
    const char **s, size_t *len);
enum cast_result cast_cents_f(const struct flat_field *f, int precision, long long *cents);
enum cast_result cast_int_f(const struct flat_field *f, long long *out);
enum cast_result cast_date_f(const struct flat_field *f, long *days);
enum cast_result cast_timestamp_f(const struct flat_field *f, long long *secs);

/* Message for a failed cast: "not a number", "out of range", ... */
const char *cast_strerror(enum cast_result r, const char *what);

/*
 * CAST(v AS STRING): a string as it is (cast_string_f: *s points at it,
 * or at buf for a number or boolean); an integer in decimal; a real that
 * is a whole number without ".0" (10825.0 -> "10825", ids from spreadsheets
 * arrive so), other reals in shortest form; true/false.  Arrays and objects
 * are CAST_BAD.
 */
enum cast_result cast_string(const json_t *v, char **out);

/*
 * CAST(v AS DECIMAL(p,2)) as a count of cents, rounded half away from
 * zero on the value's decimal digits ("2.345" and 2.345 give 235), as Spark
 * rounds; CAST_RANGE when it needs more than p digits.
 */
enum cast_result cast_cents(const json_t *v, int precision, long long *cents);

/* CAST(v AS INTEGER): truncated toward zero ("3.7" -> 3), 32-bit range. */
enum cast_result cast_int(const json_t *v, long long *out);

/*
 * CAST(v AS DATE) as a day number: "YYYY-MM-DD", "dd/mm/yyyy", or the date
 * part of an RFC 3339 timestamp.
 */
enum cast_result cast_date(const json_t *v, long *days);

/* CAST(v AS TIMESTAMP): RFC 3339; without an offset, UTC. */
enum cast_result cast_timestamp(const json_t *v, long long *secs);

#endif
