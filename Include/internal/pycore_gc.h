/* The cycle collector (Python/gc.c).
 *
 * ARCHITECTURE.md section 7.  There is no list of GC objects: the collector
 * stops the world and finds every tracked object by walking the GC pages of
 * the object allocator (_PyObmalloc_VisitAll), those of exited threads
 * included.  "Tracked" is _PyGC_BITS_TRACKED in ob_gc_bits.
 *
 * One generation.  A collection:
 *   1. world stopped: every tracked, non-frozen, mortal object with a
 *      tp_traverse and a reference count above zero is a candidate.  Its
 *      gc_refs start at its true count (ob_ref_local plus the count in
 *      ob_ref_shared), minus the artificial reference of a deferred object
 *      plus one per frame stack slot of any thread pointing at it; the
 *      references candidates make to each other (tp_traverse) are
 *      subtracted; everything reachable from a candidate with gc_refs > 0 is
 *      alive, the rest is garbage.  Objects reachable from a garbage object
 *      with a legacy tp_del are uncollectable (kept, listed as garbage).
 *      Weak references to garbage are cleared.  The garbage gets its counts
 *      merged (ob_tid = 0) plus one reference held by the collector.
 *   2. world running: weakref callbacks, then tp_finalize once per object
 *      (_PyGC_BITS_FINALIZED).
 *   3. only if a finalizer ran, world stopped again: the same computation
 *      over the garbage alone finds what the finalizers resurrected.
 *   4. world running: tp_clear on what is still garbage, then the
 *      collector's references are dropped and the cycles fall apart.
 *
 * Header fields borrowed while the world is stopped (ARCHITECTURE.md
 * section 10), and only then:
 *   - ob_tid holds the candidate's gc_refs (a Py_ssize_t).  The true ob_tid
 *     of every candidate is saved in the collector's candidate array and
 *     written back before the world restarts, so no thread ever sees the
 *     borrowed value.
 *   - _PyGC_BITS_UNREACHABLE in ob_gc_bits marks a candidate not yet found
 *     reachable.  It stays set on the garbage of a collection in progress
 *     (between phases 1 and 4; the world runs meanwhile) and is cleared
 *     when the object is resurrected or handed to tp_clear.  Walks made for
 *     gc.get_objects(), get_referrers() and freeze() skip such objects.
 * ob_ref_local, ob_ref_shared and ob_flags are never borrowed.  The counts
 * of the garbage really change in phase 1 (merged into ob_ref_shared, plus
 * the collector's reference), which is why a resurrected object stays
 * merged (ob_tid 0) for the rest of its life.
 *
 * Which objects are candidates, and why the others are safe to leave out:
 * a candidate's references are subtracted from the objects it points to,
 * so leaving an object out only makes what it points to look referenced
 * from outside.  Left out: untracked, frozen and immortal objects, types
 * without tp_traverse (never collected, as promised), and objects whose
 * count is zero (a dealloc in progress, or merged to zero by the stop and
 * waiting in the requester's BRC list: they are freed right after it).
 *
 * Thread safety: a collection runs on one thread at a time (`collecting`,
 * a CAS; a second request returns 0 at once, as CPython does when a
 * finalizer calls gc.collect()).  Settings are atomics; the garbage list
 * and statistics sit behind the state's PyMutex.  Finalizers, weakref
 * callbacks and tp_clear run with the world running, never while it is
 * stopped. */
#ifndef Py_INTERNAL_GC_H
#define Py_INTERNAL_GC_H
#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE define"
#endif

#include "pycore_brc.h"         /* _PyObjectStack */
#include "pycore_time.h"

/* ------------------------------------------------------------------------
 * Tracking, inline.  PyObject_GC_Track/UnTrack/IsTracked (Include/objimpl.h)
 * are the checked public forms.
 * ------------------------------------------------------------------------ */

static inline int
_PyObject_GC_IS_TRACKED(PyObject *op)
{
    return (op->ob_gc_bits & _PyGC_BITS_TRACKED) != 0;
}

/* Only the thread that can see `op` alone (its creator, before publishing
   it; its deallocator) changes the bit.  The collector reads it with the
   world stopped, which orders it after this plain store. */
static inline void
_PyObject_GC_TRACK(PyObject *op)
{
    op->ob_gc_bits |= _PyGC_BITS_TRACKED;
}

static inline void
_PyObject_GC_UNTRACK(PyObject *op)
{
    op->ob_gc_bits &= (uint8_t)~_PyGC_BITS_TRACKED;
}

static inline int
_PyGC_FINALIZED(PyObject *op)
{
    return (op->ob_gc_bits & _PyGC_BITS_FINALIZED) != 0;
}

/* PEP 442: tp_finalize runs at most once per object.  Set before calling
   it (PyObject_CallFinalizer and the collector both use this bit). */
static inline void
_PyGC_SET_FINALIZED(PyObject *op)
{
    op->ob_gc_bits |= _PyGC_BITS_FINALIZED;
}

/* ------------------------------------------------------------------------
 * Automatic collection: allocation counts batched per thread.
 *
 * The allocator of GC objects (_PyObject_GC_New/NewVar, PyType_GenericAlloc)
 * calls _PyGC_CountAlloc(); PyObject_GC_Del calls _PyGC_CountDealloc().
 * Each thread keeps its net count in a thread-local; every
 * _PyGC_ALLOC_BATCH it is added to the shared count (one atomic add).
 * When the shared count passes the threshold (threshold 0 of
 * gc.set_threshold, and a quarter of the objects that survived the last
 * collection, so that a big live heap is not rescanned every few hundred
 * allocations), _PY_EVAL_GC_BIT is set on the calling thread and the eval
 * breaker calls _PyGC_CollectIfDue() at the next safe point.
 *
 * Back-pressure: the collector frees garbage with the world running, so
 * threads that only allocate could outrun it and grow the heap without
 * bound.  While a collection runs, a thread whose allocations (net, since
 * the collection began) pass the number of objects the collection examines
 * gets the same bit, and _PyGC_CollectIfDue() then waits for the
 * collection to end, detached, at most 10 ms per request (bounded: the
 * collector may be running a finalizer that needs something the waiting
 * thread holds).  The collecting thread's own frees are not counted.
 * ------------------------------------------------------------------------ */

#define _PyGC_ALLOC_BATCH 256

/* Net GC allocations of this OS thread not yet added to the shared count. */
extern _Thread_local int _PyGC_tls_alloc_delta
    __attribute__((tls_model("initial-exec")));

/* Adds the calling thread's delta to the shared count; may set
   _PY_EVAL_GC_BIT on the calling thread. */
PyAPI_FUNC(void) _PyGC_FlushAllocCount(void);

static inline void
_PyGC_CountAlloc(void)
{
    if (++_PyGC_tls_alloc_delta >= _PyGC_ALLOC_BATCH) {
        _PyGC_FlushAllocCount();
    }
}

static inline void
_PyGC_CountDealloc(void)
{
    if (--_PyGC_tls_alloc_delta <= -_PyGC_ALLOC_BATCH) {
        _PyGC_FlushAllocCount();
    }
}

/* Called by the eval breaker when _PY_EVAL_GC_BIT is set (attached, at a
   safe point): clears the bit and collects if collection is enabled and
   still due (or, while another thread collects, may wait a little; see
   above).  Finalizers may run: the caller must be able to run Python
   code. */
PyAPI_FUNC(void) _PyGC_CollectIfDue(PyThreadState *tstate);

/* ------------------------------------------------------------------------
 * Collections
 * ------------------------------------------------------------------------ */

typedef enum {
    _Py_GC_REASON_HEAP,         /* automatic: allocation threshold */
    _Py_GC_REASON_MANUAL,       /* gc.collect(), PyGC_Collect() */
    _Py_GC_REASON_SHUTDOWN,     /* interpreter finalization */
} _PyGC_Reason;

/* Runs a full collection on the calling (attached) thread, whether or not
   automatic collection is enabled.  `generation` (0..2) is recorded in the
   statistics only: Plait has one generation.  Returns the number of
   unreachable objects found (collected + uncollectable), or 0 when another
   collection is running.  Never fails. */
PyAPI_FUNC(Py_ssize_t) _PyGC_Collect(PyThreadState *tstate, int generation,
                                     _PyGC_Reason reason);

/* Interpreter teardown, after the last collection: drops gc.garbage and
   frees the collector's memory. */
PyAPI_FUNC(void) _PyGC_Fini(void);

/* ------------------------------------------------------------------------
 * Public API (CPython 3.10+ names).  TEMPORARY declarations: they belong in
 * Include/objimpl.h (Core A); identical redeclarations are harmless once
 * they are there.
 * ------------------------------------------------------------------------ */

/* A full collection if automatic collection is enabled, else 0. */
PyAPI_FUNC(Py_ssize_t) PyGC_Collect(void);
/* Return the previous state (1 enabled, 0 disabled). */
PyAPI_FUNC(int) PyGC_Enable(void);
PyAPI_FUNC(int) PyGC_Disable(void);
PyAPI_FUNC(int) PyGC_IsEnabled(void);

/* Calls callback(op, arg) for every live tracked object, each held by a
   strong reference during the call, with the world running; stops when
   the callback returns 0. */
typedef int (*gcvisitobjects_t)(PyObject *, void *);
PyAPI_FUNC(void) PyUnstable_GC_VisitObjects(gcvisitobjects_t callback,
                                            void *arg);

/* ------------------------------------------------------------------------
 * State for Modules/gcmodule.c
 * ------------------------------------------------------------------------ */

/* gc.DEBUG_* */
#define _PyGC_DEBUG_STATS           (1 << 0)
#define _PyGC_DEBUG_COLLECTABLE     (1 << 1)
#define _PyGC_DEBUG_UNCOLLECTABLE   (1 << 2)
#define _PyGC_DEBUG_SAVEALL         (1 << 5)
#define _PyGC_DEBUG_LEAK            (_PyGC_DEBUG_COLLECTABLE | \
                                     _PyGC_DEBUG_UNCOLLECTABLE | \
                                     _PyGC_DEBUG_SAVEALL)

#define _PyGC_NUM_GENERATIONS 3

/* One entry of gc.get_stats(). */
struct _PyGC_GenStats {
    Py_ssize_t collections;
    Py_ssize_t collected;
    Py_ssize_t uncollectable;
};

/* A snapshot of the collector's counters (_PyGC_GetStats). */
struct _PyGC_Stats {
    struct _PyGC_GenStats gen[_PyGC_NUM_GENERATIONS];
    PyTime_t last_pause_ns;     /* world stopped, last collection */
    PyTime_t max_pause_ns;      /* longest stop of any collection */
    PyTime_t total_pause_ns;
    Py_ssize_t last_candidates; /* tracked objects examined last time */
    Py_ssize_t long_lived;      /* survivors of the last collection */
};

PyAPI_FUNC(int) _PyGC_GetDebug(void);
PyAPI_FUNC(void) _PyGC_SetDebug(int flags);
/* gc.get_threshold()/set_threshold(): thresholds 1 and 2 are stored and
   reported only.  Threshold 0 == 0 disables automatic collection. */
PyAPI_FUNC(void) _PyGC_GetThreshold(int threshold[_PyGC_NUM_GENERATIONS]);
PyAPI_FUNC(void) _PyGC_SetThreshold(const int threshold[_PyGC_NUM_GENERATIONS]);
/* gc.get_count()[0]: net GC allocations since the last collection (as far
   as threads have flushed their batches; the caller's own is added). */
PyAPI_FUNC(Py_ssize_t) _PyGC_GetCount(void);
PyAPI_FUNC(void) _PyGC_GetStats(struct _PyGC_Stats *out);

/* gc.freeze()/unfreeze()/get_freeze_count(): _PyGC_BITS_FROZEN on every
   tracked object / on none; frozen objects are never candidates. */
PyAPI_FUNC(void) _PyGC_Freeze(void);
PyAPI_FUNC(void) _PyGC_Unfreeze(void);
PyAPI_FUNC(Py_ssize_t) _PyGC_GetFreezeCount(void);

/* gc.garbage: uncollectable objects (reachable from a legacy tp_del) and,
   under DEBUG_SAVEALL, all garbage, in the order found.  Pops the oldest:
   a new reference, or NULL when empty (no exception). */
PyAPI_FUNC(PyObject *) _PyGC_PopGarbage(void);

/* gc.get_referrers(): pushes (new references) onto `out` every tracked
   object whose tp_traverse visits one of targets[0..n).  Returns 0, or -1
   when out of memory (`out` then holds what was found; MemoryError is set
   if the error API is there). */
PyAPI_FUNC(int) _PyGC_GetReferrers(PyObject *const *targets, Py_ssize_t n,
                                   _PyObjectStack *out);

/* gc.get_referents(): pushes (new references) onto `out` what the
   tp_traverse of each of objs[0..n) visits (objects of types without
   tp_traverse contribute nothing), read with the world stopped so that no
   object is mutated meanwhile.  Returns 0, or -1 when out of memory. */
PyAPI_FUNC(int) _PyGC_GetReferents(PyObject *const *objs, Py_ssize_t n,
                                   _PyObjectStack *out);

/* gc.callbacks: called on the collecting thread, world running, with
   phase 0 ("start": collected/uncollectable are 0) and 1 ("stop").  The
   hook may run Python code; it must not raise (report instead). */
typedef void (*_PyGC_CallbackHook)(int phase, int generation,
                                   Py_ssize_t collected,
                                   Py_ssize_t uncollectable);
PyAPI_FUNC(void) _PyGC_SetCallbackHook(_PyGC_CallbackHook hook);

/* ------------------------------------------------------------------------
 * Hooks into other parts of the runtime
 * ------------------------------------------------------------------------ */

/* Deferred references on frame stacks (Include/internal/pycore_object.h,
   _PyObject_SetDeferredRefcount; Include/internal/pycore_stackref.h).  A
   stack walker calls visit(op, arg) once for every uncounted reference
   held by the frames on `tstate`'s frame stack: each tagged slot (fast
   locals, value stack, f_funcobj) and each frame's f_code.  The world is
   stopped and ob_tid is borrowed: the walker must not touch reference
   counts, allocate objects or take locks other threads may hold.
   Reporting counted slots too is allowed: the collector only adds 1 per
   slot for objects marked deferred, and over-counting only delays a
   collection; missing one may free a live function.  Frames owned by
   generators and frame objects are not the walker's: their tp_traverse
   reports them through _PyGC_VisitUncounted.  The interpreter implements
   _PyEval_VisitStackRefs (referenced weakly by Python/gc.c until it
   exists); _PyGC_SetStackWalker replaces it (tests, programs without the
   eval loop; NULL restores the default). */
typedef void (*_PyGC_StackRefVisitor)(PyObject *op, void *arg);
typedef void (*_PyGC_StackWalker)(PyThreadState *tstate,
                                  _PyGC_StackRefVisitor visit, void *arg);
PyAPI_FUNC(void) _PyEval_VisitStackRefs(PyThreadState *tstate,
                                        _PyGC_StackRefVisitor visit,
                                        void *arg);
PyAPI_FUNC(void) _PyGC_SetStackWalker(_PyGC_StackWalker walker);

/* For tp_traverse of objects that hold frames (generators, frame objects:
   _PyFrame_Traverse): visits an UNCOUNTED reference (a tagged frame slot,
   f_code).  While the collector subtracts internal references it is
   skipped, since the referent's count does not include it; every other
   visit (marking, get_referents, get_referrers) follows it.  Counted slots
   are visited with Py_VISIT as usual.  Visiting an uncounted reference
   with Py_VISIT would make its referent look unreferenced (freed while a
   suspended generator still uses it); not visiting it at all would let a
   code object referenced only by a live generator be collected. */
PyAPI_FUNC(int) _PyGC_VisitUncounted(PyObject *op, visitproc visit,
                                     void *arg);

/* Weak references (Objects/weakrefobject.c; referenced weakly by
   Python/gc.c until it exists).
   _PyWeakref_ClearForGC: world stopped, `op` is garbage (its
   _PyGC_BITS_UNREACHABLE bit is set).  If `op` is itself a weak reference
   it is detached from its referent, and its callback will never run.  Every
   weak reference to `op` (the list at tp_weaklistoffset) is cleared
   (calling it returns None from now on); each one that has a callback and
   is not garbage itself is pushed onto `callbacks` with a new reference.
   Must not allocate objects (PyMem_* is fine).  Returns -1 if a push
   failed (the references are cleared anyway, that callback is lost).
   _PyWeakref_CallCallbackForGC: world running; calls the callback of a
   weak reference cleared above with the reference as argument, reports an
   exception through sys.unraisablehook, and drops the callback. */
PyAPI_FUNC(int) _PyWeakref_ClearForGC(PyObject *op,
                                      _PyObjectStack *callbacks);
PyAPI_FUNC(void) _PyWeakref_CallCallbackForGC(PyObject *ref);

#endif /* !Py_INTERNAL_GC_H */
