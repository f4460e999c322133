/* The eval loop's per-thread state structures (see pycore_ceval.h).
 * Kept free of other includes so that the thread state can embed
 * struct _PyEvalThreadState. */
#ifndef Py_INTERNAL_CEVAL_STATE_H
#define Py_INTERNAL_CEVAL_STATE_H
#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE define"
#endif

#include <stddef.h>
#include <stdint.h>

/* A value-stack or locals slot: an object pointer whose bit 0 says the
   reference is not counted (see pycore_stackref.h). */
typedef struct {
    uintptr_t bits;
} _PyStackRef;

struct _PyInterpreterFrame;

/* A chunk of a thread's frame stack. */
typedef struct _PyStackChunk {
    struct _PyStackChunk *previous;
    size_t size;                    /* bytes, including this header */
    size_t top;                     /* saved datastack_top offset (slots) */
    _PyStackRef data[1];
} _PyStackChunk;

#define _PY_DATA_STACK_CHUNK_SIZE (16 * 1024)   /* bytes */

struct _PyEvalThreadState {
    struct _PyInterpreterFrame *current_frame;
    _PyStackChunk *datastack_chunk;
    _PyStackRef *datastack_top;
    _PyStackRef *datastack_limit;
    /* Lowest address the C stack may grow to before RecursionError
       (0 until computed on first use). */
    uintptr_t c_stack_soft_limit;
    uintptr_t c_stack_hard_limit;
    int c_stack_init;
    /* sys.settrace / sys.setprofile (reserved; not used yet). */
    PyObject *trace_obj;
    PyObject *profile_obj;
};

#endif /* !Py_INTERNAL_CEVAL_STATE_H */
