/* The interpreter state (one interpreter per process in Plait). */
#ifndef Py_INTERNAL_INTERP_H
#define Py_INTERNAL_INTERP_H
#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE define"
#endif

#include "pycore_tstate.h"

struct _stoptheworld_state {
    PyMutex mutex;          /* serialises stop-the-world requests */
    int requested;          /* a stop is in progress (atomic) */
    int world_stopped;      /* every other thread is suspended */
    uint32_t seq;           /* bumped (and unparked) when a thread stops */
    struct _PyThreadStateImpl *requester;   /* atomic */
};

struct _is {
    /* Guards the thread list and thread-count fields. */
    PyMutex threads_mutex;
    struct _PyThreadStateImpl *threads_head;
    Py_ssize_t threads_count;

    struct _stoptheworld_state stw;
    struct _brc_state brc;
    struct _PyQSBR_Shared qsbr;
    struct _PyObmalloc_Shared obmalloc;
};

#endif /* !Py_INTERNAL_INTERP_H */
