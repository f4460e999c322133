/* Biased reference counting: merge queues (see pycore_brc.h).
 *
 * Locking: each bucket's PyMutex guards the list of thread states hashed to
 * it and their objects_to_merge stacks.  It is held only for list and stack
 * operations, never across a call that can block or run Python code, so it
 * is taken without detaching.
 *
 * A queued object holds the reference its queuer gave up (see
 * _Py_DecRefShared), so it stays alive until it is merged. */
#include "Python.h"
#include "pycore_brc.h"
#include "pycore_object.h"

int
_PyObjectStack_Push(_PyObjectStack *s, PyObject *op)
{
    if (s->size == s->capacity) {
        Py_ssize_t cap = s->capacity ? s->capacity * 2 : 64;
        PyObject **items = PyMem_RawRealloc(s->items, cap * sizeof(*items));
        if (items == NULL) {
            return -1;
        }
        s->items = items;
        s->capacity = cap;
    }
    s->items[s->size++] = op;
    return 0;
}

static struct _brc_bucket *
get_bucket(PyInterpreterState *interp, uintptr_t tid)
{
    return &interp->brc.table[tid % _Py_BRC_NUM_BUCKETS];
}

/* The thread state serving `tid`, or NULL.  Bucket lock held. */
static _PyThreadStateImpl *
find_thread(struct _brc_bucket *b, uintptr_t tid)
{
    for (_PyThreadStateImpl *t = b->root; t != NULL; t = t->brc.bucket_next) {
        if (t->brc.tid == tid) {
            return t;
        }
    }
    return NULL;
}

/* Drops the reference a queue entry held; the owner is the caller or is
   suspended or gone.  Returns 1 if the object is now dead. */
static int
merge_one(PyObject *op)
{
    Py_ssize_t shared = _Py_atomic_load_ssize(&op->ob_ref_shared);
    if ((shared & _Py_REF_SHARED_FLAG_MASK) == _Py_REF_MERGED) {
        /* Its owner merged it meanwhile (local count reached zero). */
        Py_ssize_t new_shared;
        do {
            new_shared = shared - ((Py_ssize_t)1 << _Py_REF_SHARED_SHIFT);
        } while (!_Py_atomic_compare_exchange_ssize(&op->ob_ref_shared,
                                                    &shared, new_shared));
        return (new_shared >> _Py_REF_SHARED_SHIFT) == 0;
    }
    return _Py_ExplicitMergeRefcount(op, -1) == 0;
}

void
_Py_brc_queue_object(PyObject *op)
{
    PyInterpreterState *interp = _PyInterpreterState_Main();
    uintptr_t tid = _Py_atomic_load_uintptr_relaxed(&op->ob_tid);
    if (tid == 0) {
        /* Merged meanwhile by the owner. */
        if (merge_one(op)) {
            _Py_Dealloc(op);
        }
        return;
    }
    struct _brc_bucket *b = get_bucket(interp, tid);
    _PyMutex_LockNoDetach(&b->mutex);
    _PyThreadStateImpl *owner = find_thread(b, tid);
    if (owner != NULL) {
        if (_PyObjectStack_Push(&owner->brc.objects_to_merge, op) == 0) {
            _PyEval_SetBreakerBit(owner, _PY_EVAL_EXPLICIT_MERGE_BIT);
        }
        /* else out of memory for the queue: leak rather than free a live
           object. */
        PyMutex_Unlock(&b->mutex);
        return;
    }
    /* The owner has exited: merge on the spot.  Under the bucket lock, so a
       new thread that reuses the same id (TLS base) cannot register and
       start counting locally in the middle of the merge. */
    int dead = merge_one(op);
    PyMutex_Unlock(&b->mutex);
    if (dead) {
        _Py_Dealloc(op);
    }
}

void
_Py_brc_init_thread(_PyThreadStateImpl *ts)
{
    PyInterpreterState *interp = ts->base.interp;
    ts->brc.tid = ts->tid;
    struct _brc_bucket *b = get_bucket(interp, ts->brc.tid);
    _PyMutex_LockNoDetach(&b->mutex);
    ts->brc.bucket_next = b->root;
    b->root = ts;
    PyMutex_Unlock(&b->mutex);
}

/* Takes the thread's queued objects (under the bucket lock). */
static void
take_queue(_PyThreadStateImpl *ts, _PyObjectStack *out)
{
    struct _brc_bucket *b = get_bucket(ts->base.interp, ts->brc.tid);
    _PyMutex_LockNoDetach(&b->mutex);
    *out = ts->brc.objects_to_merge;
    ts->brc.objects_to_merge = (_PyObjectStack){ NULL, 0, 0 };
    PyMutex_Unlock(&b->mutex);
}

static void
merge_and_free(_PyObjectStack *objs)
{
    for (Py_ssize_t i = 0; i < objs->size; i++) {
        PyObject *op = objs->items[i];
        if (merge_one(op)) {
            _Py_Dealloc(op);
        }
    }
    objs->size = 0;
}

void
_Py_brc_merge_refcounts(_PyThreadStateImpl *ts)
{
    if (ts->brc.tid == 0) {
        return;
    }
    _PyObjectStack objs;
    take_queue(ts, &objs);
    merge_and_free(&objs);
    PyMem_RawFree(objs.items);
}

void
_Py_brc_remove_thread(_PyThreadStateImpl *ts)
{
    if (ts->brc.tid == 0) {
        return;
    }
    /* Merge until the queue is empty and we are unlinked, atomically with
       respect to queuers: after unlinking, they merge on the spot. */
    struct _brc_bucket *b = get_bucket(ts->base.interp, ts->brc.tid);
    for (;;) {
        _Py_brc_merge_refcounts(ts);
        _PyMutex_LockNoDetach(&b->mutex);
        if (ts->brc.objects_to_merge.size == 0) {
            _PyThreadStateImpl **link = &b->root;
            while (*link != ts) {
                link = &(*link)->brc.bucket_next;
            }
            *link = ts->brc.bucket_next;
            ts->brc.bucket_next = NULL;
            PyMutex_Unlock(&b->mutex);
            break;
        }
        PyMutex_Unlock(&b->mutex);
    }
    ts->brc.tid = 0;
}

/* The world is stopped, but threads without an attached state still run C
   code: they may create or free thread states, so walk the list under its
   mutex (never held by anyone across a wait). */
void
_Py_brc_merge_stopped_threads(PyInterpreterState *interp,
                              _PyThreadStateImpl *requester)
{
    _PyMutex_LockNoDetach(&interp->threads_mutex);
    _Py_FOR_EACH_TSTATE(interp, t) {
        if (t == requester || t->brc.tid == 0) {
            continue;
        }
        _PyObjectStack objs;
        take_queue(t, &objs);
        for (Py_ssize_t i = 0; i < objs.size; i++) {
            PyObject *op = objs.items[i];
            if (merge_one(op)) {
                if (_PyObjectStack_Push(&requester->brc.to_free, op) < 0) {
                    /* Cannot free it now (world stopped): leak it. */
                }
            }
        }
        PyMem_RawFree(objs.items);
        _PyEval_ClearBreakerBit(t, _PY_EVAL_EXPLICIT_MERGE_BIT);
    }
    PyMutex_Unlock(&interp->threads_mutex);
}

void
_Py_brc_free_merged(_PyThreadStateImpl *ts)
{
    PyObject *op;
    while ((op = _PyObjectStack_Pop(&ts->brc.to_free)) != NULL) {
        _Py_Dealloc(op);
    }
}
