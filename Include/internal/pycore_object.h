/* Runtime-internal object operations: refcount merging, conditional
 * increments for lock-free readers, and deferred reference counting. */
#ifndef Py_INTERNAL_OBJECT_H
#define Py_INTERNAL_OBJECT_H
#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE define"
#endif

#include "pycore_pystate.h"

/* Merges the local and shared counts of `op` into the shared field, adding
   `extra`, and marks it merged (ob_tid = 0).  Runs on the owner, or on
   behalf of an owner that is suspended or gone.  Returns the new total; the
   caller deallocates when it is 0. */
PyAPI_FUNC(Py_ssize_t) _Py_ExplicitMergeRefcount(PyObject *op,
                                                 Py_ssize_t extra);

/* Makes `op` findable by lock-free readers: from now on the owner never
   frees it without an atomic operation (ARCHITECTURE section 10). */
static inline void
_PyObject_SetMaybeWeakref(PyObject *op)
{
    if (_Py_IsImmortal(op)) {
        return;
    }
    for (;;) {
        Py_ssize_t shared = _Py_atomic_load_ssize_relaxed(&op->ob_ref_shared);
        if ((shared & _Py_REF_SHARED_FLAG_MASK) != 0) {
            return;     /* already at least MAYBE_WEAKREF */
        }
        if (_Py_atomic_compare_exchange_ssize(&op->ob_ref_shared, &shared,
                                              shared | _Py_REF_MAYBE_WEAKREF)) {
            return;
        }
    }
}

/* Conditional increment for a lock-free reader that found `op` in a slot
   it does not own a reference through.  Fails (returns 0) when the object
   may already be dead: shared field 0 (the owner may free it with no
   atomics) or merged with a count of zero.  The caller re-checks the slot
   after success and drops the reference if the slot changed. */
static inline int
_Py_TryIncrefShared(PyObject *op)
{
    Py_ssize_t shared = _Py_atomic_load_ssize_relaxed(&op->ob_ref_shared);
    for (;;) {
        if (shared == 0 || shared == _Py_REF_MERGED) {
            return 0;
        }
        if (_Py_atomic_compare_exchange_ssize(
                &op->ob_ref_shared, &shared,
                shared + ((Py_ssize_t)1 << _Py_REF_SHARED_SHIFT))) {
            return 1;
        }
    }
}

static inline int
_Py_TryIncref(PyObject *op)
{
    uint32_t local = _Py_atomic_load_uint32_relaxed(&op->ob_ref_local);
    if (local == _Py_IMMORTAL_REFCNT_LOCAL) {
        return 1;
    }
    if (_Py_IsOwnedByCurrentThread(op) && local != 0) {
        _Py_atomic_store_uint32_relaxed(&op->ob_ref_local, local + 1);
        return 1;
    }
    return _Py_TryIncrefShared(op);
}

/* Deferred reference counting (ARCHITECTURE section 3).  Functions, code
 * objects, modules and types get _PyGC_BITS_DEFERRED; the eval loop then
 * pushes them on its stack without touching their counts.  To keep such an
 * object alive while uncounted stack references exist, marking it adds one
 * reference to the shared field that only the GC removes.  The rules the GC
 * follows: (1) a deferred object is never freed by reference counting;
 * (2) during a collection (world stopped) the GC subtracts that one
 * reference and adds one for every frame stack slot of every thread that
 * points at the object; (3) if the object is unreachable after that, it is
 * collected like any other. */
/* Relaxed: the deferred bit is set once, before the object is shared
   (functions, code, types, modules when they are made); other bits of the
   byte may change concurrently, hence the atomic load. */
static inline int
_PyObject_HasDeferredRefcount(PyObject *op)
{
    return (_Py_atomic_load_uint8_relaxed(&op->ob_gc_bits) &
            _PyGC_BITS_DEFERRED) != 0;
}

static inline void
_PyObject_SetDeferredRefcount(PyObject *op)
{
    if (_Py_IsImmortal(op) || _PyObject_HasDeferredRefcount(op)) {
        return;
    }
    /* Atomic: other bits of ob_gc_bits (shared, tracked) may be set by
       other threads at the same time. */
    _Py_atomic_or_uint8(&op->ob_gc_bits, _PyGC_BITS_DEFERRED);
    _PyObject_SetMaybeWeakref(op);
    _Py_atomic_add_ssize(&op->ob_ref_shared,
                         (Py_ssize_t)1 << _Py_REF_SHARED_SHIFT);
}


/* Initialises the header of freshly allocated object memory: owned by the
   calling thread, one local reference. */
static inline void
_PyObject_InitHeader(PyObject *op, PyTypeObject *type)
{
    /* Atomic stores: a lock-free reader may still be trying a conditional
       increment on the dead object that last lived here (type-stable
       memory); it sees 0 and fails. */
    _Py_atomic_store_uintptr_relaxed(&op->ob_tid, _Py_ThreadId());
    op->ob_flags = 0;
    _Py_atomic_store_uint8_relaxed(&op->ob_mutex._bits, 0);
    _Py_atomic_store_uint8_relaxed(&op->ob_gc_bits, 0);
    _Py_atomic_store_uint32_relaxed(&op->ob_ref_local, 1);
    _Py_atomic_store_ssize_relaxed(&op->ob_ref_shared, 0);
    op->ob_type = type;
}

/* Makes an object immortal (static objects are immortal from the start). */
static inline void
_Py_SetImmortal(PyObject *op)
{
    _Py_atomic_store_uintptr_relaxed(&op->ob_tid, 0);
    _Py_atomic_store_uint32_relaxed(&op->ob_ref_local,
                                    _Py_IMMORTAL_REFCNT_LOCAL);
    _Py_atomic_store_ssize_relaxed(&op->ob_ref_shared, 0);
}

#endif /* !Py_INTERNAL_OBJECT_H */
