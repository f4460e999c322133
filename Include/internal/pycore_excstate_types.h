/* The per-thread exception state structures (see pycore_excstate.h).
 * Kept free of other includes so that the thread state header can embed
 * struct _PyErr_ThreadState. */
#ifndef Py_INTERNAL_EXCSTATE_TYPES_H
#define Py_INTERNAL_EXCSTATE_TYPES_H
#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE define"
#endif

/* One entry of the stack of exceptions being handled (sys.exc_info()).
   The eval loop pushes an entry per frame/generator that handles one;
   exc_value is owned, NULL or None when nothing is handled. */
typedef struct _err_stackitem {
    PyObject *exc_value;
    struct _err_stackitem *previous_item;
} _PyErr_StackItem;

/* Default recursion limit (sys.getrecursionlimit()). */
#define _Py_DEFAULT_RECURSION_LIMIT 1000

struct _PyErr_ThreadState {
    /* The raised exception: a normalized instance (owned) or NULL. */
    PyObject *current_exception;
    /* Top of the handled-exception stack; points at exc_state when no
       frame pushed its own. */
    _PyErr_StackItem *exc_info;
    _PyErr_StackItem exc_state;
    /* Py_EnterRecursiveCall depth; RecursionError beyond the limit. */
    int recursion_depth;
    /* Set while the RecursionError itself is being raised, so that making
       it does not recurse again (up to 50 extra levels are allowed). */
    int recursion_headroom;
    /* Objects whose repr is in progress on this thread (Py_ReprEnter);
       borrowed pointers, compared by identity. */
    PyObject **repr_stack;
    Py_ssize_t repr_len;
    Py_ssize_t repr_cap;
};

#endif /* !Py_INTERNAL_EXCSTATE_TYPES_H */
