/*
 * state.h: the incremental state file of the extractors, shaped like
 * Singer's: {"bookmarks":{"STREAM":{"KEY":VALUE}}} (nc(7), STATE FILES).
 * Read with -s FILE, written with -S FILE once the last record is out.
 *
 *	json_t *st;
 *	char why[256];
 *	if (state_read("state.json", &st, why, sizeof why) != 0) errx(1, "%s", why);
 *	json_t *since = state_bookmark(st, "items", "created_at");   // borrowed, or NULL
 *	state_set_bookmark(st, "items", "created_at", json_string("2026-11-26T05:00:00Z"));
 *	if (state_write("new.json", st, why, sizeof why) != 0) errx(1, "%s", why);
 *	json_decref(st);
 *
 * Ownership: state_read() gives a new reference the caller must
 * json_decref(); state_bookmark() returns a borrowed value (or NULL);
 * state_set_bookmark() steals its value; state_write() only reads.
 * Keys other than "bookmarks", and other streams' bookmarks, are kept as
 * they were read, so that several extractors may share one file.
 */
#ifndef NC_STATE_H
#define NC_STATE_H

#include <stddef.h>
#include <jansson.h>

/*
 * Read the state in path.  A file that does not exist is an empty state
 * ({"bookmarks":{}}): a full extraction.  Returns 0, or -1 with a reason in
 * why ("state.json: invalid JSON: ...", "state.json: Permission denied").
 */
int state_read(const char *path, json_t **state, char *why, size_t whysize);

/* A new empty state, {"bookmarks":{}}. */
json_t *state_new(void);

/* The bookmark of stream's key, borrowed; NULL when there is none. */
json_t *state_bookmark(const json_t *state, const char *stream, const char *key);

/* Set the bookmark of stream's key to value (stolen), creating objects. */
void state_set_bookmark(json_t *state, const char *stream, const char *key, json_t *value);

/*
 * Write state to path atomically: a temporary file in the same directory,
 * written, flushed to disk, then renamed over path; on failure path is
 * untouched and the temporary file removed.  Returns 0, or -1 with a
 * reason in why.
 */
int state_write(const char *path, const json_t *state, char *why, size_t whysize);

#endif
