/* Biased reference counting: merge queues (Python/brc.c).
 *
 * When a non-owner's decrement would take an object's shared count below
 * zero, the object is queued to its owner, found by ob_tid through a hashed
 * table of buckets; the owner merges at its next eval-breaker check, when it
 * detaches, and when it exits.  An owner that is detached cannot run its
 * queue, so the queuing thread borrows it instead (see Python/brc.c). */
#ifndef Py_INTERNAL_BRC_H
#define Py_INTERNAL_BRC_H
#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE define"
#endif

#include "pycore_lock.h"

#define _Py_BRC_NUM_BUCKETS 257

struct _PyThreadStateImpl;

/* A growable array of objects; owned by one thread or under a lock. */
typedef struct {
    PyObject **items;
    Py_ssize_t size;
    Py_ssize_t capacity;
} _PyObjectStack;

struct _brc_bucket {
    PyMutex mutex;
    struct _PyThreadStateImpl *root;   /* threads hashed here, linked */
};

/* In PyInterpreterState as `brc`. */
struct _brc_state {
    struct _brc_bucket table[_Py_BRC_NUM_BUCKETS];
};

/* In _PyThreadStateImpl as `brc`. */
struct _brc_thread_state {
    struct _PyThreadStateImpl *bucket_next;
    uintptr_t tid;                     /* owner id this state serves */
    _PyObjectStack objects_to_merge;   /* guarded by the bucket's mutex */
    _PyObjectStack local_objects;      /* owner only, while merging */
    _PyObjectStack to_free;            /* merged to zero during a stop */
};

PyAPI_FUNC(void) _Py_brc_init_thread(struct _PyThreadStateImpl *tstate);
PyAPI_FUNC(void) _Py_brc_remove_thread(struct _PyThreadStateImpl *tstate);
/* Owner: merge and free everything queued to the calling thread. */
PyAPI_FUNC(void) _Py_brc_merge_refcounts(struct _PyThreadStateImpl *tstate);
/* Non-owner: queue `op`, whose shared state it just set to QUEUED without
   dropping its reference: the queue entry holds that reference. */
PyAPI_FUNC(void) _Py_brc_queue_object(PyObject *op);
/* World stopped: merge every other thread's queue on its behalf; objects
   whose count reaches zero are kept on `requester->brc.to_free`. */
PyAPI_FUNC(void) _Py_brc_merge_stopped_threads(PyInterpreterState *interp,
                                               struct _PyThreadStateImpl *requester);
/* After the world restarts: free what the stop found dead. */
PyAPI_FUNC(void) _Py_brc_free_merged(struct _PyThreadStateImpl *tstate);

PyAPI_FUNC(int) _PyObjectStack_Push(_PyObjectStack *s, PyObject *op);
static inline PyObject *
_PyObjectStack_Pop(_PyObjectStack *s)
{
    return s->size > 0 ? s->items[--s->size] : NULL;
}

#endif /* !Py_INTERNAL_BRC_H */
