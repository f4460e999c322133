/* The cycle collector.
 *
 * The design, the header fields borrowed while the world is stopped and the
 * thread-safety rules are in Include/internal/pycore_gc.h.  This file has
 * the collector's state, the phases of a collection, automatic triggering,
 * and the C-level functions behind the gc module.
 *
 * Locking.  `gc_state` is the one collector of the one interpreter (it
 * moves into PyInterpreterState when the lead adds a field for it).  Its
 * fields are read and written with atomics, except: `garbage`,
 * `garbage_head` and `stats`, which `mutex` guards (never held while the
 * world is stopped or while Python code runs), and `entries_cache`, which
 * belongs to whichever thread set `collecting` (a CAS that admits one
 * collection at a time).  A collection's own data (struct collection)
 * belongs to the collecting thread. */
#include "Python.h"
#include "pycore_pystate.h"
#include "pycore_object.h"
#include "pycore_obmalloc.h"
#include "pycore_brc.h"
#include "pycore_gc.h"
#include "pycore_parking_lot.h"

/* TEMPORARY: parts written by others at the same time.  Weak references
   keep libpython linkable until they exist; each use checks for NULL.
   Drop these lines once the definitions have landed. */
#pragma weak _PyEval_VisitStackRefs
#pragma weak _PyWeakref_ClearForGC
#pragma weak _PyWeakref_CallCallbackForGC
#pragma weak PyErr_NoMemory
#pragma weak PyErr_GetRaisedException
#pragma weak PyErr_SetRaisedException

/* A candidate of a collection. */
typedef struct {
    PyObject *op;
    uintptr_t tid;      /* the true ob_tid while ob_tid holds gc_refs */
} gc_entry;

struct gc_state {
    int enabled;                    /* automatic collection on */
    int debug;                      /* _PyGC_DEBUG_* */
    int threshold[_PyGC_NUM_GENERATIONS];
    Py_ssize_t count;               /* net GC allocations (flushed batches)
                                       since the last collection */
    Py_ssize_t long_lived;          /* survivors of the last collection */
    int collecting;                 /* a collection is running */
    PyThreadState *collector;       /* the thread running it, or NULL */
    uint32_t collections_done;      /* bumped, and unparked, at the end */
    Py_ssize_t pressure_limit;      /* see _PyGC_CollectIfDue */
    _PyGC_StackWalker stack_walker; /* NULL: _PyEval_VisitStackRefs */
    _PyGC_CallbackHook callback_hook;
    /* The candidate array, kept between collections so that a big heap
       does not pay for page faults every time; owned by the thread that
       set `collecting`. */
    gc_entry *entries_cache;
    Py_ssize_t entries_cache_cap;

    PyMutex mutex;
    _PyObjectStack garbage;         /* strong references, oldest first */
    Py_ssize_t garbage_head;        /* index of the oldest not yet popped */
    struct _PyGC_Stats stats;
};

static struct gc_state gc_state = {
    .enabled = 1,
    .threshold = {700, 10, 10},
};

_Thread_local int _PyGC_tls_alloc_delta
    __attribute__((tls_model("initial-exec"))) = 0;

/* ------------------------------------------------------------------ */
/* Reading the header                                                 */

/* gc_refs lives in ob_tid while the world is stopped (pycore_gc.h). */
static inline Py_ssize_t
gc_get_refs(PyObject *op)
{
    return (Py_ssize_t)op->ob_tid;
}

static inline void
gc_set_refs(PyObject *op, Py_ssize_t refs)
{
    op->ob_tid = (uintptr_t)refs;
}

static inline void
gc_add_refs(PyObject *op, Py_ssize_t delta)
{
    op->ob_tid = (uintptr_t)((Py_ssize_t)op->ob_tid + delta);
}

static inline int
gc_is_unreachable(PyObject *op)
{
    return (op->ob_gc_bits & _PyGC_BITS_UNREACHABLE) != 0;
}

static inline void
gc_clear_unreachable(PyObject *op)
{
    op->ob_gc_bits &= (uint8_t)~_PyGC_BITS_UNREACHABLE;
}

/* The true count: the owner's part plus the others'.  Relaxed loads: the
   world is stopped whenever this is called, so no thread is changing
   either field. */
static inline Py_ssize_t
gc_true_refcount(PyObject *op)
{
    uint32_t local = _Py_atomic_load_uint32_relaxed(&op->ob_ref_local);
    Py_ssize_t shared = _Py_atomic_load_ssize_relaxed(&op->ob_ref_shared);
    return (Py_ssize_t)local + (shared >> _Py_REF_SHARED_SHIFT);
}

/* Can the collector see this object's references?  Objects of types
   without tp_traverse are never candidates: their referents look
   referenced from outside, and they themselves are never collected. */
static inline int
gc_can_traverse(PyObject *op)
{
    PyTypeObject *type = Py_TYPE(op);
    if (type->tp_traverse == NULL) {
        return 0;
    }
    return type->tp_is_gc == NULL || type->tp_is_gc(op);
}

/* A tracked object that is alive and not the garbage of a collection in
   progress: what gc.get_objects() and friends see.  World stopped. */
static inline int
gc_is_live_tracked(PyObject *op)
{
    uint8_t bits = op->ob_gc_bits;
    if ((bits & (_PyGC_BITS_TRACKED | _PyGC_BITS_UNREACHABLE)) !=
        _PyGC_BITS_TRACKED) {
        return 0;
    }
    return !_Py_IsImmortal(op) && gc_true_refcount(op) > 0;
}

/* ------------------------------------------------------------------ */
/* A collection's working data                                        */

struct collection {
    PyThreadState *tstate;
    PyInterpreterState *interp;
    /* Candidates; after phase 1, [0, ngarbage) is the garbage. */
    gc_entry *entries;
    Py_ssize_t n;
    Py_ssize_t cap;
    Py_ssize_t ncandidates;
    Py_ssize_t ngarbage;
    Py_ssize_t nfinal;              /* still garbage after finalizers */
    _PyObjectStack work;            /* marking stack */
    _PyObjectStack callbacks;       /* weakrefs whose callback is due */
    _PyObjectStack uncollectable;   /* strong references */
    int mark_uncollectable;         /* marking records into uncollectable */
    int oom;
    int debug;
    int generation;
    PyTime_t start_ns;
    PyTime_t max_pause_ns;
    PyTime_t total_pause_ns;
};

static int
entries_push(struct collection *c, PyObject *op)
{
    if (c->n == c->cap) {
        Py_ssize_t cap = c->cap ? c->cap * 2 : 4096;
        gc_entry *e = PyMem_RawRealloc(c->entries, (size_t)cap * sizeof(*e));
        if (e == NULL) {
            return -1;
        }
        c->entries = e;
        c->cap = cap;
    }
    c->entries[c->n].op = op;
    c->entries[c->n].tid = op->ob_tid;
    c->n++;
    return 0;
}

/* Keeps the candidate array for the next collection unless it is much
   bigger than this one needed. */
static void
collection_free(struct collection *c)
{
    if (c->cap <= 2 * c->ncandidates + 65536) {
        gc_state.entries_cache = c->entries;
        gc_state.entries_cache_cap = c->cap;
    }
    else {
        PyMem_RawFree(c->entries);
        gc_state.entries_cache = NULL;
        gc_state.entries_cache_cap = 0;
    }
    PyMem_RawFree(c->work.items);
    PyMem_RawFree(c->callbacks.items);
    PyMem_RawFree(c->uncollectable.items);
}

/* Stops the world, timing the stop (the pause ends in world_start). */
static void
world_stop(struct collection *c)
{
    c->start_ns = _PyTime_MonotonicNs();
    _PyEval_StopTheWorld(c->interp);
}

static void
world_start(struct collection *c)
{
    _PyEval_StartTheWorld(c->interp);
    PyTime_t pause = _PyTime_MonotonicNs() - c->start_ns;
    c->total_pause_ns += pause;
    if (pause > c->max_pause_ns) {
        c->max_pause_ns = pause;
    }
}

/* ------------------------------------------------------------------ */
/* Finding the unreachable (world stopped)                            */

/* Phase 1 walker: makes a tracked object a candidate.  Objects whose count
   is zero are being deallocated (or wait in a merge list to be): they are
   left alone, so their references count as outside references. */
static int
visit_candidate(void *block, size_t size, void *arg)
{
    struct collection *c = arg;
    PyObject *op = block;
    uint8_t bits = op->ob_gc_bits;
    if ((bits & (_PyGC_BITS_TRACKED | _PyGC_BITS_FROZEN |
                 _PyGC_BITS_UNREACHABLE)) != _PyGC_BITS_TRACKED) {
        return 0;
    }
    if (_Py_IsImmortal(op) || !gc_can_traverse(op)) {
        return 0;
    }
    Py_ssize_t refs = gc_true_refcount(op);
    if (refs <= 0) {
        return 0;
    }
    if (bits & _PyGC_BITS_DEFERRED) {
        refs--;     /* the artificial reference; stack slots are added */
    }
    if (entries_push(c, op) < 0) {
        c->oom = 1;
        return -1;
    }
    gc_set_refs(op, refs);
    op->ob_gc_bits = bits | _PyGC_BITS_UNREACHABLE;
    return 0;
}

static void
visit_stack_ref(PyObject *op, void *arg)
{
    const uint8_t want = _PyGC_BITS_UNREACHABLE | _PyGC_BITS_DEFERRED;
    if (op != NULL && (op->ob_gc_bits & want) == want) {
        gc_add_refs(op, 1);
    }
}

static _PyGC_StackWalker
get_stack_walker(void)
{
    _PyGC_StackWalker w = _Py_atomic_load_ptr(&gc_state.stack_walker);
    if (w == NULL && _PyEval_VisitStackRefs != NULL) {
        w = _PyEval_VisitStackRefs;
    }
    return w;
}

/* One reference per frame stack slot that points at a deferred candidate,
   for every thread (the collecting one included).  The thread list lock is
   taken although the world is stopped: thread states are created and
   freed by threads that are not attached.  A thread state with no frames
   (new, or on its way out) contributes nothing. */
static void
add_stack_refs(struct collection *c)
{
    _PyGC_StackWalker walker = get_stack_walker();
    if (walker == NULL) {
        return;
    }
    _PyMutex_LockNoDetach(&c->interp->threads_mutex);
    _Py_FOR_EACH_TSTATE(c->interp, t) {
        walker(&t->base, visit_stack_ref, c);
    }
    PyMutex_Unlock(&c->interp->threads_mutex);
}

static int
visit_decref(PyObject *op, void *arg)
{
    if (gc_is_unreachable(op)) {
        gc_add_refs(op, -1);
    }
    return 0;
}

/* The passes over the candidates are bound by memory latency: fetch the
   header of an object a few entries ahead. */
#define GC_PREFETCH_DISTANCE 8

static inline void
prefetch_entry(struct collection *c, Py_ssize_t i)
{
    if (i + GC_PREFETCH_DISTANCE < c->n) {
        __builtin_prefetch(c->entries[i + GC_PREFETCH_DISTANCE].op, 1);
    }
}

/* What is left in gc_refs is the number of references from outside. */
static void
subtract_internal_refs(struct collection *c)
{
    for (Py_ssize_t i = 0; i < c->n; i++) {
        prefetch_entry(c, i);
        PyObject *op = c->entries[i].op;
        Py_TYPE(op)->tp_traverse(op, visit_decref, NULL);
    }
}

static int
visit_mark(PyObject *op, void *arg)
{
    struct collection *c = arg;
    if (!gc_is_unreachable(op)) {
        return 0;
    }
    gc_clear_unreachable(op);
    if (_PyObjectStack_Push(&c->work, op) < 0) {
        c->oom = 1;
    }
    if (c->mark_uncollectable) {
        /* Out of memory here only leaves it out of gc.garbage. */
        (void)_PyObjectStack_Push(&c->uncollectable, op);
    }
    return 0;
}

/* Clears the mark of everything reachable from `root` (a candidate still
   marked).  Depth-first with an explicit stack. */
static void
mark_reachable_from(struct collection *c, PyObject *root)
{
    visit_mark(root, c);
    PyObject *op;
    while ((op = _PyObjectStack_Pop(&c->work)) != NULL) {
        Py_TYPE(op)->tp_traverse(op, visit_mark, c);
    }
}

static void
mark_reachable(struct collection *c)
{
    for (Py_ssize_t i = 0; i < c->n; i++) {
        prefetch_entry(c, i);
        PyObject *op = c->entries[i].op;
        if (gc_is_unreachable(op) && gc_get_refs(op) > 0) {
            mark_reachable_from(c, op);
        }
    }
}

/* Legacy finalizers (tp_del): such objects, and all garbage reachable from
   them, cannot be collected safely; they stay alive and go to gc.garbage,
   as in CPython 3.11. */
static void
mark_uncollectable(struct collection *c)
{
    c->mark_uncollectable = 1;
    for (Py_ssize_t i = 0; i < c->n; i++) {
        PyObject *op = c->entries[i].op;
        if (gc_is_unreachable(op) && Py_TYPE(op)->tp_del != NULL) {
            mark_reachable_from(c, op);
        }
    }
    c->mark_uncollectable = 0;
}

/* Gives up (out of memory): every candidate is treated as reachable, and
   gets its true ob_tid back. */
static void
abandon_marks(struct collection *c)
{
    for (Py_ssize_t i = 0; i < c->n; i++) {
        c->entries[i].op->ob_tid = c->entries[i].tid;
        gc_clear_unreachable(c->entries[i].op);
    }
    for (Py_ssize_t i = 0; i < c->uncollectable.size; i++) {
        gc_clear_unreachable(c->uncollectable.items[i]);
    }
    c->uncollectable.size = 0;
    c->work.size = 0;
}

/* Puts the true ob_tid back (no thread may see the borrowed value) and
   moves the entries still marked unreachable to the front; returns how
   many there are. */
static Py_ssize_t
restore_and_partition(struct collection *c)
{
    Py_ssize_t j = 0;
    for (Py_ssize_t i = 0; i < c->n; i++) {
        prefetch_entry(c, i);
        gc_entry e = c->entries[i];
        e.op->ob_tid = e.tid;
        if (gc_is_unreachable(e.op)) {
            c->entries[i] = c->entries[j];
            c->entries[j] = e;
            j++;
        }
    }
    return j;
}

/* The core of phases 1 and 3: entries hold candidates marked unreachable
   with their outside counts in gc_refs before the stack slots are added.
   Leaves the mark only on the unreachable ones, which it moves to the
   front of entries, and restores every ob_tid.  Returns their number, or
   -1 (all marks cleared) when out of memory. */
static Py_ssize_t
find_unreachable(struct collection *c, int with_legacy)
{
    add_stack_refs(c);
    subtract_internal_refs(c);
    mark_reachable(c);
    if (!c->oom && with_legacy) {
        mark_uncollectable(c);
    }
    if (c->oom) {
        abandon_marks(c);
        return -1;
    }
    return restore_and_partition(c);
}

/* World stopped, garbage known: the collector takes a reference to each
   garbage object, merging its counts so that whichever thread drops the
   last reference frees it on the spot; clears weak references to it. */
static void
hold_garbage(struct collection *c)
{
    int weakrefs = _PyWeakref_ClearForGC != NULL;
    for (Py_ssize_t i = 0; i < c->ngarbage; i++) {
        PyObject *op = c->entries[i].op;
        (void)_Py_ExplicitMergeRefcount(op, 1);
        if (weakrefs) {
            /* A lost callback (no memory) is all that can go wrong. */
            (void)_PyWeakref_ClearForGC(op, &c->callbacks);
        }
    }
    for (Py_ssize_t i = 0; i < c->uncollectable.size; i++) {
        Py_INCREF(c->uncollectable.items[i]);
    }
}

/* While this collection runs, other threads may allocate about as many
   objects as it examines before they are slowed down. */
static void
set_pressure_limit(Py_ssize_t ncandidates)
{
    Py_ssize_t t0 = _Py_atomic_load_int_relaxed(&gc_state.threshold[0]);
    Py_ssize_t limit = 4 * (t0 > 0 ? t0 : 700);
    if (ncandidates > limit) {
        limit = ncandidates;
    }
    _Py_atomic_store_ssize(&gc_state.pressure_limit, limit);
}

/* Phase 1.  Returns 0, or -1 when nothing can be collected (out of
   memory); the world is running again either way. */
static int
find_garbage(struct collection *c)
{
    world_stop(c);
    (void)_PyObmalloc_VisitAll(_PyObmalloc_VISIT_GC, visit_candidate, c);
    c->ncandidates = c->n;
    if (c->oom) {
        abandon_marks(c);
        world_start(c);
        return -1;
    }
    c->ngarbage = find_unreachable(c, 1);
    if (c->ngarbage < 0) {
        world_start(c);
        return -1;
    }
    set_pressure_limit(c->ncandidates);
    c->n = c->ngarbage;
    hold_garbage(c);
    world_start(c);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Garbage handling (world running)                                   */

static void
call_weakref_callbacks(struct collection *c)
{
    for (Py_ssize_t i = 0; i < c->callbacks.size; i++) {
        PyObject *ref = c->callbacks.items[i];
        if (_PyWeakref_CallCallbackForGC != NULL) {
            _PyWeakref_CallCallbackForGC(ref);
        }
        Py_DECREF(ref);
    }
    c->callbacks.size = 0;
}

/* PEP 442: tp_finalize once per object.  Returns 1 if any ran.  The bits
   are read and set atomically: a finalizer that already ran may have
   published another garbage object, whose bits another thread could now
   be changing (marking it shared).  Only this thread sets FINALIZED on
   garbage, so the test and the set need not be one operation. */
static int
finalize_garbage(struct collection *c)
{
    int ran = 0;
    for (Py_ssize_t i = 0; i < c->ngarbage; i++) {
        PyObject *op = c->entries[i].op;
        destructor finalize = Py_TYPE(op)->tp_finalize;
        uint8_t bits = _Py_atomic_load_uint8_relaxed(&op->ob_gc_bits);
        if (finalize == NULL || (bits & _PyGC_BITS_FINALIZED)) {
            continue;
        }
        _Py_atomic_or_uint8(&op->ob_gc_bits, _PyGC_BITS_FINALIZED);
        finalize(op);
        ran = 1;
    }
    return ran;
}

/* Phase 3: finalizers ran, so some garbage may be referenced again.  The
   same computation over the garbage alone; the collector's own reference
   is not an outside one.  Leaves the still-unreachable first in entries,
   their number in nfinal. */
static void
find_resurrected(struct collection *c)
{
    world_stop(c);
    for (Py_ssize_t i = 0; i < c->ngarbage; i++) {
        PyObject *op = c->entries[i].op;
        Py_ssize_t refs = gc_true_refcount(op) - 1;
        if (op->ob_gc_bits & _PyGC_BITS_DEFERRED) {
            refs--;
        }
        c->entries[i].tid = op->ob_tid;
        gc_set_refs(op, refs);
    }
    c->nfinal = find_unreachable(c, 0);
    if (c->nfinal < 0) {
        c->nfinal = 0;      /* out of memory: everything survives */
    }
    world_start(c);
}

static void
garbage_append(PyObject *op)
{
    PyMutex_Lock(&gc_state.mutex);
    int err = _PyObjectStack_Push(&gc_state.garbage, op);
    PyMutex_Unlock(&gc_state.mutex);
    if (err < 0) {
        Py_DECREF(op);      /* no memory to keep it: let it go */
    }
}

/* Phase 4.  Resurrected objects only lose the collector's reference.  The
   rest lose the mark and, if deferred, the artificial reference, then
   tp_clear breaks their cycles (or, under DEBUG_SAVEALL, gc.garbage keeps
   them).  The collector's reference on each is dropped right after its
   tp_clear: any other garbage still pointing at it holds a counted
   reference, so nothing is freed under a later entry. */
static void
delete_garbage(struct collection *c)
{
    for (Py_ssize_t i = c->nfinal; i < c->ngarbage; i++) {
        Py_DECREF(c->entries[i].op);
    }
    int saveall = (c->debug & _PyGC_DEBUG_SAVEALL) != 0;
    for (Py_ssize_t i = 0; i < c->nfinal; i++) {
        PyObject *op = c->entries[i].op;
        uint8_t old = _Py_atomic_and_uint8(
            &op->ob_gc_bits,
            (uint8_t)~(_PyGC_BITS_UNREACHABLE | _PyGC_BITS_DEFERRED));
        if (old & _PyGC_BITS_DEFERRED) {
            Py_DECREF(op);
        }
        if (saveall) {
            garbage_append(op);
            continue;
        }
        inquiry clear = Py_TYPE(op)->tp_clear;
        if (clear != NULL) {
            (void)clear(op);
        }
        Py_DECREF(op);
    }
}

static void
save_uncollectable(struct collection *c)
{
    for (Py_ssize_t i = 0; i < c->uncollectable.size; i++) {
        garbage_append(c->uncollectable.items[i]);
    }
}

/* ------------------------------------------------------------------ */
/* Debug output and statistics                                        */

static void
debug_cycle(const char *what, PyObject *op)
{
    fprintf(stderr, "gc: %s <%s %p>\n", what, Py_TYPE(op)->tp_name,
            (void *)op);
}

static void
debug_found(struct collection *c)
{
    if (c->debug & _PyGC_DEBUG_STATS) {
        fprintf(stderr, "gc: objects in each generation: 0 0 %zd\n",
                c->ncandidates);
        fprintf(stderr, "gc: objects in permanent generation: %zd\n",
                _PyGC_GetFreezeCount());
    }
    if (c->debug & _PyGC_DEBUG_COLLECTABLE) {
        for (Py_ssize_t i = 0; i < c->ngarbage; i++) {
            debug_cycle("collectable", c->entries[i].op);
        }
    }
    if (c->debug & _PyGC_DEBUG_UNCOLLECTABLE) {
        for (Py_ssize_t i = 0; i < c->uncollectable.size; i++) {
            debug_cycle("uncollectable", c->uncollectable.items[i]);
        }
    }
}

static void
record_stats(struct collection *c, PyTime_t t0)
{
    Py_ssize_t nunc = c->uncollectable.size;
    PyMutex_Lock(&gc_state.mutex);
    struct _PyGC_Stats *s = &gc_state.stats;
    s->gen[c->generation].collections++;
    s->gen[c->generation].collected += c->nfinal;
    s->gen[c->generation].uncollectable += nunc;
    s->last_pause_ns = c->max_pause_ns;
    if (c->max_pause_ns > s->max_pause_ns) {
        s->max_pause_ns = c->max_pause_ns;
    }
    s->total_pause_ns += c->total_pause_ns;
    s->last_candidates = c->ncandidates;
    s->long_lived = c->ncandidates - c->nfinal;
    PyMutex_Unlock(&gc_state.mutex);
    _Py_atomic_store_ssize(&gc_state.long_lived, c->ncandidates - c->nfinal);
    if (c->debug & _PyGC_DEBUG_STATS) {
        double secs = (double)(_PyTime_MonotonicNs() - t0) / 1e9;
        fprintf(stderr, "gc: done, %zd unreachable, %zd uncollectable, "
                "%.4fs elapsed\n", c->nfinal + nunc, nunc, secs);
    }
}

static void
invoke_callbacks(int phase, struct collection *c)
{
    _PyGC_CallbackHook hook = _Py_atomic_load_ptr(&gc_state.callback_hook);
    if (hook == NULL) {
        return;
    }
    if (phase == 0) {
        hook(0, c->generation, 0, 0);
    }
    else {
        hook(1, c->generation, c->nfinal, c->uncollectable.size);
    }
}

/* ------------------------------------------------------------------ */
/* Collecting                                                         */

/* The four phases (Include/internal/pycore_gc.h). */
static void
collect(struct collection *c)
{
    /* Our own merge queue: the stop merges only the others'. */
    _Py_brc_merge_refcounts((_PyThreadStateImpl *)c->tstate);
    if (find_garbage(c) < 0) {
        return;
    }
    debug_found(c);
    c->nfinal = c->ngarbage;
    call_weakref_callbacks(c);
    if (finalize_garbage(c)) {
        find_resurrected(c);
    }
    delete_garbage(c);
    save_uncollectable(c);
}

Py_ssize_t
_PyGC_Collect(PyThreadState *tstate, int generation, _PyGC_Reason reason)
{
    int expected = 0;
    if (!_Py_atomic_compare_exchange_int(&gc_state.collecting, &expected,
                                         1)) {
        return 0;
    }
    struct collection c = {
        .tstate = tstate,
        .interp = tstate->interp,
        .debug = _Py_atomic_load_int(&gc_state.debug),
        .generation = (generation >= 0 &&
                       generation < _PyGC_NUM_GENERATIONS) ? generation : 2,
        .entries = gc_state.entries_cache,
        .cap = gc_state.entries_cache_cap,
    };
    _Py_atomic_store_ptr(&gc_state.collector, tstate);
    PyTime_t t0 = _PyTime_MonotonicNs();
    if (c.debug & _PyGC_DEBUG_STATS) {
        fprintf(stderr, "gc: collecting generation %d...\n", c.generation);
    }
    invoke_callbacks(0, &c);
    /* Allocations so far are examined by this collection; those made by
       other threads from now on are the pressure for the next one (our
       own frees are not counted, see _PyGC_FlushAllocCount). */
    _Py_atomic_store_ssize(&gc_state.count, 0);
    set_pressure_limit(_Py_atomic_load_ssize(&gc_state.long_lived));
    collect(&c);
    _PyGC_tls_alloc_delta = 0;
    /* A request made before or during this collection is answered. */
    _PyEval_ClearBreakerBit((_PyThreadStateImpl *)tstate, _PY_EVAL_GC_BIT);
    record_stats(&c, t0);
    invoke_callbacks(1, &c);
    Py_ssize_t found = c.nfinal + c.uncollectable.size;
    collection_free(&c);
    _Py_atomic_store_ptr(&gc_state.collector, NULL);
    _Py_atomic_store_int(&gc_state.collecting, 0);
    _Py_atomic_add_uint32(&gc_state.collections_done, 1);
    _PyParkingLot_UnparkAll(&gc_state.collections_done);
    (void)reason;
    return found;
}

void
_PyGC_Fini(void)
{
    PyObject *op;
    while ((op = _PyGC_PopGarbage()) != NULL) {
        Py_DECREF(op);
    }
    PyMutex_Lock(&gc_state.mutex);
    PyMem_RawFree(gc_state.garbage.items);
    gc_state.garbage = (_PyObjectStack){NULL, 0, 0};
    gc_state.garbage_head = 0;
    PyMutex_Unlock(&gc_state.mutex);
    int expected = 0;
    if (_Py_atomic_compare_exchange_int(&gc_state.collecting, &expected, 1)) {
        PyMem_RawFree(gc_state.entries_cache);
        gc_state.entries_cache = NULL;
        gc_state.entries_cache_cap = 0;
        _Py_atomic_store_int(&gc_state.collecting, 0);
    }
}

/* ------------------------------------------------------------------ */
/* Automatic collection                                               */

/* Due when the net allocations pass threshold 0 and a quarter of what
   survived the last collection (keeps the total work linear in the
   allocations when the live heap is large). */
static int
gc_is_due(Py_ssize_t count)
{
    if (!_Py_atomic_load_int_relaxed(&gc_state.enabled)) {
        return 0;
    }
    int t0 = _Py_atomic_load_int_relaxed(&gc_state.threshold[0]);
    if (t0 <= 0 || count < t0) {
        return 0;
    }
    return count >= _Py_atomic_load_ssize_relaxed(&gc_state.long_lived) / 4;
}

/* Allocation pressure while a collection runs: past this many net
   allocations since it started, allocating threads are slowed down. */
static int
gc_over_pressure(Py_ssize_t count)
{
    return count > _Py_atomic_load_ssize_relaxed(&gc_state.pressure_limit);
}

void
_PyGC_FlushAllocCount(void)
{
    int delta = _PyGC_tls_alloc_delta;
    _PyGC_tls_alloc_delta = 0;
    PyThreadState *tstate = _PyThreadState_GET();
    if (tstate != NULL &&
        tstate == _Py_atomic_load_ptr_relaxed(&gc_state.collector)) {
        return;     /* the collector freeing garbage is not pressure */
    }
    Py_ssize_t count = _Py_atomic_add_ssize(&gc_state.count, delta) + delta;
    if (delta <= 0 || tstate == NULL) {
        return;
    }
    int due = _Py_atomic_load_int_relaxed(&gc_state.collecting)
              ? gc_over_pressure(count) : gc_is_due(count);
    if (due) {
        _PyEval_SetBreakerBit((_PyThreadStateImpl *)tstate, _PY_EVAL_GC_BIT);
    }
}

/* Back-pressure: a thread that keeps allocating while another thread
   collects would outrun it (the collector frees with the world running),
   so past the pressure limit it waits for the collection to end, at most
   GC_PRESSURE_WAIT_NS per request: bounded, because the collector may be
   running a finalizer that waits for something this thread holds. */
#define GC_PRESSURE_WAIT_NS (10 * 1000 * 1000)

static void
wait_for_collection(void)
{
    uint32_t seq = _Py_atomic_load_uint32(&gc_state.collections_done);
    if (!_Py_atomic_load_int(&gc_state.collecting)) {
        return;
    }
    (void)_PyParkingLot_Park(&gc_state.collections_done, &seq, sizeof(seq),
                             GC_PRESSURE_WAIT_NS, NULL, 1);
}

void
_PyGC_CollectIfDue(PyThreadState *tstate)
{
    _PyEval_ClearBreakerBit((_PyThreadStateImpl *)tstate, _PY_EVAL_GC_BIT);
    Py_ssize_t count = _Py_atomic_load_ssize(&gc_state.count);
    if (_Py_atomic_load_int(&gc_state.collecting)) {
        if (gc_over_pressure(count) &&
            _Py_atomic_load_ptr(&gc_state.collector) != tstate) {
            wait_for_collection();
        }
        return;
    }
    if (gc_is_due(count)) {
        (void)_PyGC_Collect(tstate, 0, _Py_GC_REASON_HEAP);
    }
}

/* ------------------------------------------------------------------ */
/* Public API                                                         */

/* Callable with an exception set: it is kept aside meanwhile, so that
   finalizers and callbacks start with a clean state. */
Py_ssize_t
PyGC_Collect(void)
{
    if (!_Py_atomic_load_int(&gc_state.enabled)) {
        return 0;
    }
    int have_errors = PyErr_GetRaisedException != NULL &&
                      PyErr_SetRaisedException != NULL;
    PyObject *exc = have_errors ? PyErr_GetRaisedException() : NULL;
    Py_ssize_t n = _PyGC_Collect(_PyThreadState_GET(), 2,
                                 _Py_GC_REASON_MANUAL);
    if (have_errors) {
        PyErr_SetRaisedException(exc);
    }
    return n;
}

int
PyGC_Enable(void)
{
    return _Py_atomic_exchange_int(&gc_state.enabled, 1);
}

int
PyGC_Disable(void)
{
    return _Py_atomic_exchange_int(&gc_state.enabled, 0);
}

int
PyGC_IsEnabled(void)
{
    return _Py_atomic_load_int(&gc_state.enabled);
}

/* Walks collecting live tracked objects, each with a new reference. */
static int
visit_gather_live(void *block, size_t size, void *arg)
{
    PyObject *op = block;
    if (!gc_is_live_tracked(op)) {
        return 0;
    }
    if (_PyObjectStack_Push((_PyObjectStack *)arg, op) < 0) {
        return -1;
    }
    Py_INCREF(op);
    return 0;
}

void
PyUnstable_GC_VisitObjects(gcvisitobjects_t callback, void *arg)
{
    PyInterpreterState *interp = _PyInterpreterState_GET();
    _PyObjectStack objs = {NULL, 0, 0};
    _PyEval_StopTheWorld(interp);
    (void)_PyObmalloc_VisitAll(_PyObmalloc_VISIT_GC, visit_gather_live,
                               &objs);
    _PyEval_StartTheWorld(interp);
    int go_on = 1;
    for (Py_ssize_t i = 0; i < objs.size; i++) {
        if (go_on) {
            go_on = callback(objs.items[i], arg);
        }
        Py_DECREF(objs.items[i]);
    }
    PyMem_RawFree(objs.items);
}

/* ------------------------------------------------------------------ */
/* For the gc module                                                  */

int
_PyGC_GetDebug(void)
{
    return _Py_atomic_load_int(&gc_state.debug);
}

void
_PyGC_SetDebug(int flags)
{
    _Py_atomic_store_int(&gc_state.debug, flags);
}

void
_PyGC_GetThreshold(int threshold[_PyGC_NUM_GENERATIONS])
{
    for (int i = 0; i < _PyGC_NUM_GENERATIONS; i++) {
        threshold[i] = _Py_atomic_load_int(&gc_state.threshold[i]);
    }
}

void
_PyGC_SetThreshold(const int threshold[_PyGC_NUM_GENERATIONS])
{
    for (int i = 0; i < _PyGC_NUM_GENERATIONS; i++) {
        _Py_atomic_store_int(&gc_state.threshold[i], threshold[i]);
    }
}

Py_ssize_t
_PyGC_GetCount(void)
{
    Py_ssize_t count = _Py_atomic_load_ssize(&gc_state.count) +
                       _PyGC_tls_alloc_delta;
    return count > 0 ? count : 0;
}

void
_PyGC_GetStats(struct _PyGC_Stats *out)
{
    PyMutex_Lock(&gc_state.mutex);
    *out = gc_state.stats;
    PyMutex_Unlock(&gc_state.mutex);
}

PyObject *
_PyGC_PopGarbage(void)
{
    PyObject *op = NULL;
    PyMutex_Lock(&gc_state.mutex);
    if (gc_state.garbage_head < gc_state.garbage.size) {
        op = gc_state.garbage.items[gc_state.garbage_head++];
        if (gc_state.garbage_head == gc_state.garbage.size) {
            gc_state.garbage_head = 0;
            gc_state.garbage.size = 0;
        }
    }
    PyMutex_Unlock(&gc_state.mutex);
    return op;
}

void
_PyGC_SetCallbackHook(_PyGC_CallbackHook hook)
{
    _Py_atomic_store_ptr(&gc_state.callback_hook, (void *)hook);
}

void
_PyGC_SetStackWalker(_PyGC_StackWalker walker)
{
    _Py_atomic_store_ptr(&gc_state.stack_walker, (void *)walker);
}

int
_PyGC_VisitUncounted(PyObject *op, visitproc visit, void *arg)
{
    if (op == NULL || visit == visit_decref) {
        return 0;
    }
    return visit(op, arg);
}

/* Runs `visit` over the GC pages with the world stopped. */
static int
walk_stopped(_PyObmalloc_visitor visit, void *arg)
{
    PyInterpreterState *interp = _PyInterpreterState_GET();
    _PyEval_StopTheWorld(interp);
    int res = _PyObmalloc_VisitAll(_PyObmalloc_VISIT_GC, visit, arg);
    _PyEval_StartTheWorld(interp);
    return res;
}

static int
visit_freeze(void *block, size_t size, void *arg)
{
    PyObject *op = block;
    if (gc_is_live_tracked(op)) {
        op->ob_gc_bits |= _PyGC_BITS_FROZEN;
    }
    return 0;
}

static int
visit_unfreeze(void *block, size_t size, void *arg)
{
    PyObject *op = block;
    if (op->ob_gc_bits & _PyGC_BITS_TRACKED) {
        op->ob_gc_bits &= (uint8_t)~_PyGC_BITS_FROZEN;
    }
    return 0;
}

static int
visit_count_frozen(void *block, size_t size, void *arg)
{
    PyObject *op = block;
    if (gc_is_live_tracked(op) && (op->ob_gc_bits & _PyGC_BITS_FROZEN)) {
        (*(Py_ssize_t *)arg)++;
    }
    return 0;
}

void
_PyGC_Freeze(void)
{
    (void)walk_stopped(visit_freeze, NULL);
}

void
_PyGC_Unfreeze(void)
{
    (void)walk_stopped(visit_unfreeze, NULL);
}

Py_ssize_t
_PyGC_GetFreezeCount(void)
{
    Py_ssize_t n = 0;
    (void)walk_stopped(visit_count_frozen, &n);
    return n;
}

struct referrers {
    PyObject *const *targets;
    Py_ssize_t ntargets;
    _PyObjectStack *out;
    int oom;
};

static int
visit_is_target(PyObject *op, void *arg)
{
    struct referrers *r = arg;
    for (Py_ssize_t i = 0; i < r->ntargets; i++) {
        if (r->targets[i] == op) {
            return 1;
        }
    }
    return 0;
}

static int
visit_referrer(void *block, size_t size, void *arg)
{
    struct referrers *r = arg;
    PyObject *op = block;
    if (!gc_is_live_tracked(op) || !gc_can_traverse(op)) {
        return 0;
    }
    if (Py_TYPE(op)->tp_traverse(op, visit_is_target, r) == 0) {
        return 0;
    }
    if (_PyObjectStack_Push(r->out, op) < 0) {
        r->oom = 1;
        return -1;
    }
    Py_INCREF(op);
    return 0;
}

struct referents {
    _PyObjectStack *out;
    int oom;
};

static int
visit_referent(PyObject *op, void *arg)
{
    struct referents *r = arg;
    if (_PyObjectStack_Push(r->out, op) < 0) {
        r->oom = 1;
        return -1;
    }
    Py_INCREF(op);
    return 0;
}

int
_PyGC_GetReferents(PyObject *const *objs, Py_ssize_t n, _PyObjectStack *out)
{
    struct referents r = {out, 0};
    PyInterpreterState *interp = _PyInterpreterState_GET();
    _PyEval_StopTheWorld(interp);
    for (Py_ssize_t i = 0; i < n && !r.oom; i++) {
        traverseproc traverse = Py_TYPE(objs[i])->tp_traverse;
        if (traverse != NULL) {
            (void)traverse(objs[i], visit_referent, &r);
        }
    }
    _PyEval_StartTheWorld(interp);
    if (r.oom) {
        if (PyErr_NoMemory != NULL) {
            (void)PyErr_NoMemory();
        }
        return -1;
    }
    return 0;
}

int
_PyGC_GetReferrers(PyObject *const *targets, Py_ssize_t n,
                   _PyObjectStack *out)
{
    struct referrers r = {targets, n, out, 0};
    (void)walk_stopped(visit_referrer, &r);
    if (r.oom) {
        if (PyErr_NoMemory != NULL) {
            (void)PyErr_NoMemory();
        }
        return -1;
    }
    return 0;
}
