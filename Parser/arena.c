/* Arena allocator: bump allocation from a chain of blocks, all freed by
   _PyArena_Free.  A parse allocates many small objects that die together,
   so per-object frees would only cost time. */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pycore_ast_base.h"

#define ARENA_BLOCK_SIZE 8192
#define ARENA_ALIGN 16

typedef struct block {
    struct block *next;
    size_t size;        /* usable bytes after the header */
    size_t used;
    /* payload follows, aligned to ARENA_ALIGN */
} block;

struct _PyArena {
    block *head;        /* the block being filled */
    block *large;       /* dedicated blocks for big requests */
};

static inline size_t
header_size(void)
{
    return (sizeof(block) + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
}

static block *
block_new(size_t size)
{
    block *b = malloc(header_size() + size);
    if (b == NULL) {
        return NULL;
    }
    b->next = NULL;
    b->size = size;
    b->used = 0;
    return b;
}

static void
block_chain_free(block *b)
{
    while (b != NULL) {
        block *next = b->next;
        free(b);
        b = next;
    }
}

_PyArena *
_PyArena_New(void)
{
    _PyArena *arena = malloc(sizeof(*arena));
    if (arena == NULL) {
        return NULL;
    }
    arena->head = block_new(ARENA_BLOCK_SIZE);
    arena->large = NULL;
    if (arena->head == NULL) {
        free(arena);
        return NULL;
    }
    return arena;
}

void
_PyArena_Free(_PyArena *arena)
{
    if (arena == NULL) {
        return;
    }
    block_chain_free(arena->head);
    block_chain_free(arena->large);
    free(arena);
}

/* Requests above a quarter block get a block of their own so that the
   current block's free tail is not wasted. */
void *
_PyArena_Malloc(_PyArena *arena, size_t size)
{
    if (size > SIZE_MAX / 2) {
        return NULL;
    }
    size = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    if (size == 0) {
        size = ARENA_ALIGN;
    }
    if (size > ARENA_BLOCK_SIZE / 4) {
        block *b = block_new(size);
        if (b == NULL) {
            return NULL;
        }
        b->next = arena->large;
        arena->large = b;
        return (char *)b + header_size();
    }
    block *b = arena->head;
    if (b->size - b->used < size) {
        block *nb = block_new(ARENA_BLOCK_SIZE);
        if (nb == NULL) {
            return NULL;
        }
        nb->next = b;
        arena->head = nb;
        b = nb;
    }
    void *p = (char *)b + header_size() + b->used;
    b->used += size;
    return p;
}

char *
_PyArena_Strndup(_PyArena *arena, const char *s, size_t len)
{
    char *p = _PyArena_Malloc(arena, len + 1);
    if (p == NULL) {
        return NULL;
    }
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

asdl_seq *
_Py_asdl_generic_seq_new(Py_ssize_t size, _PyArena *arena)
{
    if (size < 0 || (size_t)size > (SIZE_MAX / 2) / sizeof(void *)) {
        return NULL;
    }
    asdl_seq *seq = _PyArena_Malloc(arena,
                                    sizeof(asdl_seq) + size * sizeof(void *));
    if (seq == NULL) {
        return NULL;
    }
    seq->size = size;
    memset(seq->elements, 0, size * sizeof(void *));
    return seq;
}

asdl_int_seq *
_Py_asdl_int_seq_new(Py_ssize_t size, _PyArena *arena)
{
    if (size < 0 || (size_t)size > (SIZE_MAX / 2) / sizeof(int)) {
        return NULL;
    }
    asdl_int_seq *seq = _PyArena_Malloc(arena,
                                        sizeof(asdl_int_seq) + size * sizeof(int));
    if (seq == NULL) {
        return NULL;
    }
    seq->size = size;
    memset(seq->typed_elements, 0, size * sizeof(int));
    return seq;
}
