/* arena.c: blocks of at least 1 MB, carved from the front. */
#include <stdlib.h>

#include "arena.h"
#include "nc.h"

#define BLOCK (1 << 20)

struct arena_block {
	struct arena_block *next;
	size_t used, size;
	max_align_t data[];
};

void *
arena_alloc(struct arena *a, size_t n)
{
	struct arena_block *b = a->head;
	void *p;

	n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
	if (b == NULL || b->size - b->used < n) {
		size_t size = n > BLOCK ? n : BLOCK;

		b = xmalloc(sizeof(*b) + size);
		b->used = 0;
		b->size = size;
		b->next = a->head;
		a->head = b;
	}
	p = (char *)b->data + b->used;
	b->used += n;
	return p;
}

void
arena_release(struct arena *a)
{
	while (a->head != NULL) {
		struct arena_block *next = a->head->next;

		free(a->head);
		a->head = next;
	}
}
