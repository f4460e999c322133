/* Reference-count slow paths and generic object operations.
 *
 * Biased reference counting (ARCHITECTURE section 3): the inline fast paths
 * live in Include/object.h; here are the owner's merge when its local count
 * reaches zero, the non-owner's decrement of the shared field, and the
 * explicit merge used by merge queues. */
#include "Python.h"
#include "pycore_object.h"

void
_Py_Dealloc(PyObject *op)
{
    destructor dealloc = Py_TYPE(op)->tp_dealloc;
    dealloc(op);
}

void
_Py_NegativeRefcount(const char *filename, int lineno, PyObject *op)
{
    fprintf(stderr, "%s:%d: object at %p has a negative reference count\n",
            filename, lineno, (void *)op);
    Py_FatalError("negative reference count");
}

/* The owner dropped its last local reference. */
void
_Py_MergeZeroLocalRefcount(PyObject *op)
{
    Py_ssize_t shared = _Py_atomic_load_ssize_acquire(&op->ob_ref_shared);
    if (shared == 0) {
        /* Nobody else ever saw it: free with no atomic operation. */
        _Py_Dealloc(op);
        return;
    }
    /* Clear ob_tid before the merged state becomes visible: ob_tid == 0
       exactly when merged (ARCHITECTURE section 10). */
    _Py_atomic_store_uintptr_relaxed(&op->ob_tid, 0);
    Py_ssize_t new_shared;
    do {
        new_shared = (shared & ~(Py_ssize_t)_Py_REF_SHARED_FLAG_MASK) |
                     _Py_REF_MERGED;
    } while (!_Py_atomic_compare_exchange_ssize(&op->ob_ref_shared, &shared,
                                                new_shared));
    if ((new_shared >> _Py_REF_SHARED_SHIFT) == 0) {
        _Py_Dealloc(op);
    }
}

/* A decrement from a thread that does not own `op`. */
void
_Py_DecRefShared(PyObject *op)
{
    Py_ssize_t shared = _Py_atomic_load_ssize_relaxed(&op->ob_ref_shared);
    Py_ssize_t new_shared;
    int queue;
    do {
        Py_ssize_t state = shared & _Py_REF_SHARED_FLAG_MASK;
        queue = (state <= _Py_REF_MAYBE_WEAKREF &&
                 (shared >> _Py_REF_SHARED_SHIFT) <= 0);
        if (queue) {
            /* Going below zero: the owner's local count holds the rest.
               Keep our reference in the queue entry instead. */
            new_shared = (shared & ~(Py_ssize_t)_Py_REF_SHARED_FLAG_MASK) |
                         _Py_REF_QUEUED;
        }
        else {
            new_shared = shared - ((Py_ssize_t)1 << _Py_REF_SHARED_SHIFT);
        }
    } while (!_Py_atomic_compare_exchange_ssize(&op->ob_ref_shared, &shared,
                                                new_shared));
    if (queue) {
        _Py_brc_queue_object(op);
    }
    else if ((new_shared & _Py_REF_SHARED_FLAG_MASK) == _Py_REF_MERGED &&
             (new_shared >> _Py_REF_SHARED_SHIFT) == 0) {
        _Py_Dealloc(op);
    }
}

Py_ssize_t
_Py_ExplicitMergeRefcount(PyObject *op, Py_ssize_t extra)
{
    uint32_t local = _Py_atomic_load_uint32_relaxed(&op->ob_ref_local);
    _Py_atomic_store_uint32_relaxed(&op->ob_ref_local, 0);
    _Py_atomic_store_uintptr_relaxed(&op->ob_tid, 0);
    Py_ssize_t shared = _Py_atomic_load_ssize(&op->ob_ref_shared);
    Py_ssize_t new_shared;
    do {
        Py_ssize_t total = (shared >> _Py_REF_SHARED_SHIFT) +
                           (Py_ssize_t)local + extra;
        new_shared = _Py_REF_SHARED(total, _Py_REF_MERGED);
    } while (!_Py_atomic_compare_exchange_ssize(&op->ob_ref_shared, &shared,
                                                new_shared));
    return new_shared >> _Py_REF_SHARED_SHIFT;
}

#undef Py_SET_REFCNT
void
Py_SET_REFCNT(PyObject *op, Py_ssize_t refcnt)
{
    if (_Py_IsImmortal(op)) {
        return;
    }
    if (refcnt >= (Py_ssize_t)_Py_IMMORTAL_REFCNT_LOCAL) {
        _Py_atomic_store_uintptr_relaxed(&op->ob_tid, 0);
        _Py_atomic_store_uint32_relaxed(&op->ob_ref_local,
                                        _Py_IMMORTAL_REFCNT_LOCAL);
        _Py_atomic_store_ssize_relaxed(&op->ob_ref_shared, 0);
        return;
    }
    if (_Py_IsOwnedByCurrentThread(op)) {
        /* Keep the shared state bits, put the whole count locally. */
        Py_ssize_t shared = _Py_atomic_load_ssize(&op->ob_ref_shared);
        _Py_atomic_store_uint32_relaxed(&op->ob_ref_local, (uint32_t)refcnt);
        _Py_atomic_store_ssize(&op->ob_ref_shared,
                               shared & _Py_REF_SHARED_FLAG_MASK);
    }
    else {
        _Py_atomic_store_uintptr_relaxed(&op->ob_tid, 0);
        _Py_atomic_store_uint32_relaxed(&op->ob_ref_local, 0);
        _Py_atomic_store_ssize(&op->ob_ref_shared,
                               _Py_REF_SHARED(refcnt, _Py_REF_MERGED));
    }
}
