/*
 * arena.h: many small allocations freed together, for records a program
 * keeps until its end (nc-transform's buffered mode).
 *
 * Ownership: memory from arena_alloc() belongs to the arena and lives until
 * arena_release(); it is not freed one piece at a time.
 */
#ifndef NC_ARENA_H
#define NC_ARENA_H

#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block *head;
};

/* n bytes, aligned for any type; never NULL (exits 1 when memory runs out). */
void *arena_alloc(struct arena *a, size_t n);
void arena_release(struct arena *a);

#endif
