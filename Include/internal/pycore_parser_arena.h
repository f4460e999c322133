/* Arena allocator for the parser: everything a parse produces (tokens'
   strings, AST nodes, sequences, constants) is freed in one go. */

#ifndef Py_INTERNAL_PARSER_ARENA_H
#define Py_INTERNAL_PARSER_ARENA_H

#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE"
#endif

#include <stddef.h>

typedef struct _PyArena _PyArena;

/* Return a new empty arena, or NULL when out of memory. */
extern _PyArena *_PyArena_New(void);

/* Free the arena and every block allocated from it. */
extern void _PyArena_Free(_PyArena *arena);

/* Return SIZE bytes aligned for any object, or NULL when out of memory.
   The memory lives as long as the arena. */
extern void *_PyArena_Malloc(_PyArena *arena, size_t size);

/* Copy LEN bytes of S into the arena and add a NUL; NULL when out of
   memory. */
extern char *_PyArena_Strndup(_PyArena *arena, const char *s, size_t len);

#endif /* !Py_INTERNAL_PARSER_ARENA_H */
