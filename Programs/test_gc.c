/* The cycle collector (issue 11), tested with the runtime core only.
 *
 * Test types are static PyTypeObjects with tp_traverse / tp_clear /
 * tp_finalize / tp_del filled in by hand, objects come from
 * _PyObject_MallocGC and _PyObject_InitHeader, so the test does not depend
 * on the type system.  Every object gets an id; its dealloc checks that the
 * id was never freed before, and finalizers check they run once.
 *
 * Invariants checked:
 *   - cycles of 1..1000 objects, made by several threads (some of which
 *     exit before the collection), are collected exactly once, and
 *     gc returns their number;
 *   - reachable objects survive: from a live C reference, from a reference
 *     counted only in another thread's local count or shared count, from a
 *     deferred reference on a (simulated) frame stack, through an uncounted
 *     frame slot of a live object;
 *   - tp_finalize runs exactly once, before the object is freed; objects a
 *     finalizer resurrects survive, and are freed later without a second
 *     finalization;
 *   - objects of a type without tp_traverse are never collected; objects
 *     reachable from a legacy tp_del are uncollectable and listed;
 *   - automatic collection is requested through _PY_EVAL_GC_BIT;
 *   - concurrent mutators building and dropping cycles across threads
 *     (thread states coming and going) while another thread collects in a
 *     loop: at the end every object was freed exactly once, none leaked,
 *     every finalizer ran exactly once.
 * It also reports the pause (world stopped) for a heap of 1 million
 * tracked objects. */
#include "testutil.h"
#include "pycore_gc.h"
#include "pycore_obmalloc.h"

#include <time.h>

#if defined(_Py_THREAD_SANITIZER) || defined(_Py_ADDRESS_SANITIZER)
#  define SANITIZED 1
#else
#  define SANITIZED 0
#endif

#define MAX_IDS (32 * 1024 * 1024)
/* The concurrent test stops making objects past this many ids. */
#define ID_BUDGET (MAX_IDS - 4 * 1024 * 1024)
#define MAGIC_LIVE 0x6C697665u
#define MAGIC_DEAD 0xDEADDEADu

typedef struct {
    PyObject_HEAD
    PyObject *ref[2];
    uint32_t magic;
    int32_t id;
} Node;

static uint8_t *freed_flags;        /* per id: 1 once freed */
static uint8_t *finalized_count;    /* per id */
static int32_t next_id;
static Py_ssize_t n_created;
static Py_ssize_t n_freed;
static Py_ssize_t n_finalized;
static Py_ssize_t n_fin_created;

/* A finalizer stores this object (new reference) in resurrect_holder. */
static PyObject *resurrect_target;
static PyObject *resurrect_holder;

static PyTypeObject NodeType;
static PyTypeObject FinNodeType;
static PyTypeObject NoTraverseType;
static PyTypeObject LegacyType;
static PyTypeObject UncountedType;

static Py_ssize_t
freed(void)
{
    return _Py_atomic_load_ssize(&n_freed);
}

static Py_ssize_t
finalized(void)
{
    return _Py_atomic_load_ssize(&n_finalized);
}

static Py_ssize_t
collect(void)
{
    return _PyGC_Collect(PyThreadState_Get(), 2, _Py_GC_REASON_MANUAL);
}

/* New reference: a tracked node of `type` with no links. */
static PyObject *
node_new(PyTypeObject *type)
{
    Node *n = _PyObject_MallocGC(sizeof(Node));
    CHECK(n != NULL);
    _PyObject_InitHeader((PyObject *)n, type);
    n->ref[0] = NULL;
    n->ref[1] = NULL;
    n->magic = MAGIC_LIVE;
    n->id = _Py_atomic_add_int32(&next_id, 1);
    CHECK(n->id < MAX_IDS);
    _Py_atomic_add_ssize(&n_created, 1);
    if (type == &FinNodeType) {
        _Py_atomic_add_ssize(&n_fin_created, 1);
    }
    _PyObject_GC_TRACK((PyObject *)n);
    _PyGC_CountAlloc();
    return (PyObject *)n;
}

static int
node_traverse(PyObject *op, visitproc visit, void *arg)
{
    Node *n = (Node *)op;
    CHECK(n->magic == MAGIC_LIVE);
    Py_VISIT(n->ref[0]);
    Py_VISIT(n->ref[1]);
    return 0;
}

static int
node_clear(PyObject *op)
{
    Node *n = (Node *)op;
    Py_CLEAR(n->ref[0]);
    Py_CLEAR(n->ref[1]);
    return 0;
}

static void
node_dealloc(PyObject *op)
{
    Node *n = (Node *)op;
    CHECK(n->magic == MAGIC_LIVE);
    CHECK(_Py_atomic_exchange_uint8(&freed_flags[n->id], 1) == 0);
    if (Py_TYPE(op) == &FinNodeType) {
        /* Freed only by the collector, after its finalizer. */
        CHECK(_Py_atomic_load_uint8(&finalized_count[n->id]) == 1);
    }
    _PyObject_GC_UNTRACK(op);
    n->magic = MAGIC_DEAD;
    if (Py_TYPE(op) == &UncountedType) {
        n->ref[1] = NULL;       /* uncounted: not ours to drop */
    }
    Py_CLEAR(n->ref[0]);
    Py_CLEAR(n->ref[1]);
    _PyGC_CountDealloc();
    _Py_atomic_add_ssize(&n_freed, 1);
    PyObject_Free(op);
}

static void
fin_finalize(PyObject *op)
{
    Node *n = (Node *)op;
    CHECK(n->magic == MAGIC_LIVE);
    CHECK(_Py_atomic_add_uint8(&finalized_count[n->id], 1) == 0);
    _Py_atomic_add_ssize(&n_finalized, 1);
    if (_Py_atomic_load_ptr(&resurrect_target) == op) {
        Py_INCREF(op);
        _Py_atomic_store_ptr(&resurrect_holder, op);
    }
}

static void
legacy_del(PyObject *op)
{
    CHECK(0);       /* the collector never calls tp_del */
}

/* ref[1] is an uncounted reference (like a tagged frame slot). */
static int
uncounted_traverse(PyObject *op, visitproc visit, void *arg)
{
    Node *n = (Node *)op;
    Py_VISIT(n->ref[0]);
    return _PyGC_VisitUncounted(n->ref[1], visit, arg);
}

static int
uncounted_clear(PyObject *op)
{
    Node *n = (Node *)op;
    Py_CLEAR(n->ref[0]);
    n->ref[1] = NULL;
    return 0;
}

static PyTypeObject NodeType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "Node",
    .tp_basicsize = sizeof(Node),
    .tp_flags = Py_TPFLAGS_HAVE_GC,
    .tp_dealloc = node_dealloc,
    .tp_traverse = node_traverse,
    .tp_clear = node_clear,
};

static PyTypeObject FinNodeType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "FinNode",
    .tp_basicsize = sizeof(Node),
    .tp_flags = Py_TPFLAGS_HAVE_GC,
    .tp_dealloc = node_dealloc,
    .tp_traverse = node_traverse,
    .tp_clear = node_clear,
    .tp_finalize = fin_finalize,
};

static PyTypeObject NoTraverseType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "NoTraverse",
    .tp_basicsize = sizeof(Node),
    .tp_flags = Py_TPFLAGS_HAVE_GC,
    .tp_dealloc = node_dealloc,
    .tp_clear = node_clear,
};

static PyTypeObject LegacyType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "Legacy",
    .tp_basicsize = sizeof(Node),
    .tp_flags = Py_TPFLAGS_HAVE_GC,
    .tp_dealloc = node_dealloc,
    .tp_traverse = node_traverse,
    .tp_clear = node_clear,
    .tp_del = legacy_del,
};

static PyTypeObject UncountedType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "Uncounted",
    .tp_basicsize = sizeof(Node),
    .tp_flags = Py_TPFLAGS_HAVE_GC,
    .tp_dealloc = node_dealloc,
    .tp_traverse = uncounted_traverse,
    .tp_clear = uncounted_clear,
};

static inline Node *
N(PyObject *op)
{
    return (Node *)op;
}

/* New reference to the first node of a ring of `size` nodes (ref[0] links
   each to the next, the last back to the first). */
static PyObject *
make_ring(PyTypeObject *type, int size)
{
    PyObject *first = node_new(type);
    PyObject *prev = first;
    for (int i = 1; i < size; i++) {
        PyObject *n = node_new(type);
        N(prev)->ref[0] = n;            /* steals */
        prev = n;
    }
    N(prev)->ref[0] = Py_NewRef(first);
    return first;
}

static int
is_freed(int32_t id)
{
    return _Py_atomic_load_uint8(&freed_flags[id]);
}

/* --- 1. cycles of several sizes ---------------------------------------- */

static void
test_cycles(void)
{
    static const int sizes[] = {1, 2, 3, 10, 100, 1000};
    Py_ssize_t total = 0;
    Py_ssize_t f0 = freed();
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        Py_DECREF(make_ring(&NodeType, sizes[i]));
        total += sizes[i];
    }
    CHECK(freed() == f0);
    CHECK(collect() == total);
    CHECK(freed() == f0 + total);
    CHECK(collect() == 0);
}

/* --- 2. cycles made by threads, some gone before the collection ------- */

#define NMAKERS 6
static int makers_done;
static int makers_release;
static Py_ssize_t maker_total;

static Py_ssize_t
make_garbage_rings(int seed)
{
    Py_ssize_t total = 1000;
    Py_DECREF(make_ring(&NodeType, 1000));
    for (int size = 2; size < 1000; size = size * 3 + seed) {
        Py_DECREF(make_ring(&NodeType, size));
        total += size;
    }
    return total;
}

static void *
maker_thread(void *arg)
{
    int i = (int)(intptr_t)arg;
    PyGILState_STATE g = PyGILState_Ensure();
    PyThreadState *ts = PyThreadState_Get();
    _Py_atomic_add_ssize(&maker_total, make_garbage_rings(i));
    _Py_atomic_add_int(&makers_done, 1);
    if (i % 3 == 1) {
        /* Stays attached, reaching safe points. */
        while (!_Py_atomic_load_int(&makers_release)) {
            _PyEval_CheckBreaker(ts);
        }
    }
    else if (i % 3 == 2) {
        /* Stays, detached. */
        Py_BEGIN_ALLOW_THREADS
        while (!_Py_atomic_load_int(&makers_release)) {
            usleep(100);
        }
        Py_END_ALLOW_THREADS
    }
    PyGILState_Release(g);
    return NULL;
}

static void
test_thread_cycles(void)
{
    pthread_t t[NMAKERS];
    Py_ssize_t f0 = freed();
    /* Makers of the i % 3 == 1 kind reach safe points: the eval breaker
       would run an automatic collection there and collect() below would
       find nothing.  The counts are exact only with it off. */
    int was_enabled = PyGC_Disable();
    for (int i = 0; i < NMAKERS; i++) {
        CHECK(pthread_create(&t[i], NULL, maker_thread,
                             (void *)(intptr_t)i) == 0);
    }
    Py_BEGIN_ALLOW_THREADS
    while (_Py_atomic_load_int(&makers_done) < NMAKERS) {
        usleep(100);
    }
    for (int i = 0; i < NMAKERS; i += 3) {
        CHECK(pthread_join(t[i], NULL) == 0);      /* exited */
    }
    Py_END_ALLOW_THREADS
    Py_ssize_t total = _Py_atomic_load_ssize(&maker_total);
    CHECK(collect() == total);
    CHECK(freed() == f0 + total);
    _Py_atomic_store_int(&makers_release, 1);
    Py_BEGIN_ALLOW_THREADS
    for (int i = 0; i < NMAKERS; i++) {
        if (i % 3 != 0) {
            CHECK(pthread_join(t[i], NULL) == 0);
        }
    }
    Py_END_ALLOW_THREADS
    CHECK(collect() == 0);
    if (was_enabled) {
        PyGC_Enable();
    }
}

/* --- 3. reachable objects survive ------------------------------------ */

static void
test_reachable_from_root(void)
{
    Py_ssize_t f0 = freed();
    PyObject *root = make_ring(&NodeType, 1000);
    /* A chain hanging off a live node, and a live node pointing into a
       ring nobody else holds. */
    PyObject *holder = node_new(&NodeType);
    N(holder)->ref[0] = make_ring(&FinNodeType, 5);
    CHECK(collect() == 0);
    CHECK(freed() == f0);
    Py_DECREF(holder);          /* the holder goes, the ring is garbage */
    CHECK(freed() == f0 + 1);
    CHECK(collect() == 5);
    CHECK(freed() == f0 + 6);
    Py_DECREF(root);
    CHECK(collect() == 1000);
    CHECK(freed() == f0 + 1006);
}

static PyObject *other_obj;
static int other_phase;

static void
wait_phase(int want)
{
    Py_BEGIN_ALLOW_THREADS
    while (_Py_atomic_load_int(&other_phase) != want) {
        usleep(100);
    }
    Py_END_ALLOW_THREADS
}

/* Holds a ring by its own local count (it made it), then a ring of the
   main thread by the shared count; stays attached and reaches safe points
   meanwhile. */
static void *
holder_thread(void *arg)
{
    PyGILState_STATE g = PyGILState_Ensure();
    PyThreadState *ts = PyThreadState_Get();
    PyObject *mine = make_ring(&NodeType, 50);
    PyObject *extra = Py_NewRef(N(mine)->ref[0]);
    Py_DECREF(mine);            /* only `extra`, a local count, holds it */
    _Py_atomic_store_int(&other_phase, 1);
    while (_Py_atomic_load_int(&other_phase) != 2) {
        _PyEval_CheckBreaker(ts);
    }
    Py_DECREF(extra);
    PyObject *theirs = Py_NewRef(_Py_atomic_load_ptr(&other_obj));
    _Py_atomic_store_int(&other_phase, 3);
    while (_Py_atomic_load_int(&other_phase) != 4) {
        _PyEval_CheckBreaker(ts);
    }
    Py_DECREF(theirs);
    _Py_atomic_store_int(&other_phase, 5);
    PyGILState_Release(g);
    return NULL;
}

static void
test_reachable_from_other_thread(void)
{
    Py_ssize_t f0 = freed();
    pthread_t t;
    CHECK(pthread_create(&t, NULL, holder_thread, NULL) == 0);
    wait_phase(1);
    CHECK(collect() == 0);
    CHECK(freed() == f0);
    PyObject *ring = make_ring(&NodeType, 30);
    _Py_atomic_store_ptr(&other_obj, ring);
    _Py_atomic_store_int(&other_phase, 2);
    wait_phase(3);
    /* The thread dropped its own ring; ours it holds by a shared count. */
    Py_DECREF(ring);
    CHECK(collect() == 50);
    CHECK(freed() == f0 + 50);
    _Py_atomic_store_int(&other_phase, 4);
    wait_phase(5);
    Py_BEGIN_ALLOW_THREADS
    CHECK(pthread_join(t, NULL) == 0);
    Py_END_ALLOW_THREADS
    CHECK(collect() == 30);
    CHECK(freed() == f0 + 80);
}

/* A simulated frame stack of the main thread for deferred references. */
#define SIM_STACK_MAX 8
static PyThreadState *sim_tstate;
static PyObject *sim_stack[SIM_STACK_MAX];
static int sim_depth;

static void
sim_walker(PyThreadState *tstate, _PyGC_StackRefVisitor visit, void *arg)
{
    if (tstate != sim_tstate) {
        return;
    }
    for (int i = 0; i < sim_depth; i++) {
        visit(sim_stack[i], arg);
    }
}

static void
test_deferred(void)
{
    sim_tstate = PyThreadState_Get();
    _PyGC_SetStackWalker(sim_walker);
    Py_ssize_t f0 = freed();

    /* A deferred object alone: only the collector frees it. */
    PyObject *lone = node_new(&NodeType);
    int32_t lone_id = N(lone)->id;
    _PyObject_SetDeferredRefcount(lone);
    Py_DECREF(lone);
    CHECK(!is_freed(lone_id));
    CHECK(collect() == 1);
    CHECK(is_freed(lone_id));

    /* A ring whose first node is deferred and sits on the stack twice. */
    PyObject *ring = make_ring(&NodeType, 20);
    _PyObject_SetDeferredRefcount(ring);
    sim_stack[0] = ring;
    sim_stack[1] = ring;
    sim_depth = 2;
    Py_DECREF(ring);            /* the stack slots are uncounted */
    CHECK(collect() == 0);
    CHECK(freed() == f0 + 1);
    sim_depth = 1;
    CHECK(collect() == 0);
    sim_depth = 0;
    CHECK(collect() == 20);
    CHECK(freed() == f0 + 21);

    /* Deferred and held by a counted reference: survives. */
    PyObject *held = make_ring(&NodeType, 3);
    _PyObject_SetDeferredRefcount(held);
    CHECK(collect() == 0);
    Py_DECREF(held);
    CHECK(collect() == 3);
    CHECK(freed() == f0 + 24);

    /* Reached only through an uncounted slot of a live object (a
       generator's frame): alive while the holder is, garbage with it. */
    PyObject *func = make_ring(&NodeType, 4);
    _PyObject_SetDeferredRefcount(func);
    PyObject *gen = node_new(&UncountedType);
    N(gen)->ref[1] = func;      /* uncounted */
    Py_DECREF(func);
    CHECK(collect() == 0);
    CHECK(freed() == f0 + 24);
    Py_DECREF(gen);             /* freed by refcount; func now garbage */
    CHECK(freed() == f0 + 25);
    CHECK(collect() == 4);
    CHECK(freed() == f0 + 29);

    _PyGC_SetStackWalker(NULL);
}

/* --- 4. finalizers and resurrection ---------------------------------- */

static void
test_finalizers(void)
{
    Py_ssize_t f0 = freed(), z0 = finalized();
    Py_DECREF(make_ring(&FinNodeType, 50));
    CHECK(collect() == 50);
    CHECK(finalized() == z0 + 50);
    CHECK(freed() == f0 + 50);

    /* A mixed ring: finalizers run on the FinNodes only. */
    PyObject *a = make_ring(&NodeType, 10);
    PyObject *b = make_ring(&FinNodeType, 10);
    N(a)->ref[1] = b;                   /* steals */
    N(b)->ref[1] = Py_NewRef(a);
    CHECK(collect() == 0);
    CHECK(finalized() == z0 + 50);
    CHECK(freed() == f0 + 50);
    Py_DECREF(a);
    CHECK(collect() == 20);
    CHECK(finalized() == z0 + 60);
    CHECK(freed() == f0 + 70);
}

static void
test_resurrection(void)
{
    Py_ssize_t f0 = freed(), z0 = finalized();
    PyObject *ring = make_ring(&FinNodeType, 10);
    PyObject *third = N(N(ring)->ref[0])->ref[0];
    _Py_atomic_store_ptr(&resurrect_target, third);
    Py_DECREF(ring);
    CHECK(collect() == 0);          /* all resurrected: third holds all */
    CHECK(finalized() == z0 + 10);
    CHECK(freed() == f0);
    CHECK(_Py_atomic_load_ptr(&resurrect_holder) == third);
    _Py_atomic_store_ptr(&resurrect_target, NULL);
    CHECK(collect() == 0);
    CHECK(finalized() == z0 + 10);
    PyObject *h = _Py_atomic_exchange_ptr(&resurrect_holder, NULL);
    Py_DECREF(h);
    CHECK(collect() == 10);         /* no second finalization */
    CHECK(finalized() == z0 + 10);
    CHECK(freed() == f0 + 10);

    /* Resurrection of part of the garbage: a FinNode ring pointing at a
       plain ring; the finalizer resurrects a node of the plain ring. */
    PyObject *fin = make_ring(&FinNodeType, 3);
    PyObject *plain = make_ring(&NodeType, 7);
    N(fin)->ref[1] = plain;         /* steals */
    Py_INCREF(plain);
    PyObject *target = fin;
    _Py_atomic_store_ptr(&resurrect_target, target);
    Py_DECREF(fin);
    Py_DECREF(plain);
    /* The finalizer resurrects `fin`, which holds everything. */
    CHECK(collect() == 0);
    CHECK(finalized() == z0 + 13);
    _Py_atomic_store_ptr(&resurrect_target, NULL);
    h = _Py_atomic_exchange_ptr(&resurrect_holder, NULL);
    CHECK(h == target);
    /* Cut the plain ring loose: it is garbage on its own now. */
    PyObject *p = N(h)->ref[1];
    N(h)->ref[1] = NULL;
    Py_DECREF(p);
    CHECK(collect() == 7);
    CHECK(freed() == f0 + 17);
    Py_DECREF(h);
    CHECK(collect() == 3);
    CHECK(finalized() == z0 + 13);
    CHECK(freed() == f0 + 20);
}

/* --- 5. types without tp_traverse, legacy tp_del --------------------- */

static void
test_no_traverse(void)
{
    Py_ssize_t f0 = freed();
    PyObject *opaque = node_new(&NoTraverseType);
    PyObject *ring = make_ring(&NodeType, 5);
    N(opaque)->ref[0] = ring;               /* steals */
    N(ring)->ref[1] = Py_NewRef(opaque);
    Py_DECREF(opaque);
    CHECK(collect() == 0);
    CHECK(collect() == 0);
    CHECK(freed() == f0);
    /* Break it by hand: everything goes by reference counting. */
    node_clear(ring);
    CHECK(freed() == f0 + 6);
    CHECK(collect() == 0);
}

static void
test_legacy_del(void)
{
    Py_ssize_t f0 = freed();
    PyObject *leg = node_new(&LegacyType);
    PyObject *ring = make_ring(&NodeType, 3);
    N(leg)->ref[0] = ring;
    N(ring)->ref[1] = Py_NewRef(leg);
    Py_DECREF(leg);
    Py_DECREF(make_ring(&NodeType, 4));     /* collectable beside it */
    CHECK(collect() == 4 + 4);
    CHECK(freed() == f0 + 4);
    struct _PyGC_Stats st;
    _PyGC_GetStats(&st);
    CHECK(st.gen[2].uncollectable >= 4);
    PyObject *got[4];
    for (int i = 0; i < 4; i++) {
        got[i] = _PyGC_PopGarbage();
        CHECK(got[i] != NULL);
        CHECK(N(got[i])->magic == MAGIC_LIVE);
    }
    CHECK(got[0] == leg);
    CHECK(_PyGC_PopGarbage() == NULL);
    /* Alive while gc.garbage (here: `got`) holds them. */
    CHECK(collect() == 0);
    for (int i = 0; i < 4; i++) {
        node_clear(got[i]);
    }
    for (int i = 0; i < 4; i++) {
        Py_DECREF(got[i]);
    }
    CHECK(freed() == f0 + 8);
    CHECK(collect() == 0);
}

/* --- 6. automatic collection ----------------------------------------- */

static void
test_automatic(void)
{
    PyThreadState *ts = PyThreadState_Get();
    _PyThreadStateImpl *tsi = (_PyThreadStateImpl *)ts;
    int saved[3], th[3] = {500, 10, 10};
    _PyGC_GetThreshold(saved);
    _PyGC_SetThreshold(th);
    CHECK(collect() == 0);          /* count back to 0 */
    Py_ssize_t f0 = freed();
    Py_DECREF(make_ring(&NodeType, 10));
    PyObject *keep[1000];
    int n = 0;
    while (!(_Py_atomic_load_uintptr(&tsi->eval_breaker) & _PY_EVAL_GC_BIT)) {
        CHECK(n < 1000);
        keep[n++] = node_new(&NodeType);
    }
    CHECK(n + 10 >= 500);
    CHECK(_PyGC_GetCount() >= 500);
    _PyGC_CollectIfDue(ts);
    CHECK(!(_Py_atomic_load_uintptr(&tsi->eval_breaker) & _PY_EVAL_GC_BIT));
    CHECK(freed() == f0 + 10);
    CHECK(_PyGC_GetCount() == 0);

    /* Disabled: the count grows but no collection is requested. */
    CHECK(PyGC_Disable() == 1);
    CHECK(!PyGC_IsEnabled());
    Py_DECREF(make_ring(&NodeType, 10));
    for (int i = 0; i < 1000; i++) {
        Py_DECREF(node_new(&NodeType));
        PyObject *x = node_new(&NodeType);
        if (n < 1000) {
            keep[n++] = x;
        }
        else {
            Py_DECREF(x);
        }
    }
    CHECK(!(_Py_atomic_load_uintptr(&tsi->eval_breaker) & _PY_EVAL_GC_BIT));
    _PyGC_CollectIfDue(ts);
    CHECK(PyGC_Collect() == 0);     /* the C API respects disable() */
    CHECK(PyGC_Enable() == 0);
    CHECK(PyGC_Collect() == 10);
    for (int i = 0; i < n; i++) {
        Py_DECREF(keep[i]);
    }
    _PyGC_SetThreshold(saved);
}

/* --- 7. visiting, freezing, referrers -------------------------------- */

static int
count_nodes(PyObject *op, void *arg)
{
    if (Py_TYPE(op) == &NodeType) {
        CHECK(N(op)->magic == MAGIC_LIVE);
        (*(int *)arg)++;
    }
    return 1;
}

static int
stop_at_first(PyObject *op, void *arg)
{
    (*(int *)arg)++;
    return 0;
}

static void
test_walks(void)
{
    Py_ssize_t f0 = freed();
    PyObject *ring = make_ring(&NodeType, 3);
    int n = 0;
    PyUnstable_GC_VisitObjects(count_nodes, &n);
    CHECK(n == 3);
    n = 0;
    PyUnstable_GC_VisitObjects(stop_at_first, &n);
    CHECK(n == 1);

    _PyObjectStack out = {NULL, 0, 0};
    PyObject *second = N(ring)->ref[0];
    CHECK(_PyGC_GetReferrers(&second, 1, &out) == 0);
    CHECK(out.size == 1 && out.items[0] == ring);
    Py_DECREF(out.items[0]);
    PyMem_RawFree(out.items);
    out = (_PyObjectStack){NULL, 0, 0};

    CHECK(_PyGC_GetReferents(&ring, 1, &out) == 0);
    CHECK(out.size == 1 && out.items[0] == second);
    Py_DECREF(out.items[0]);
    PyMem_RawFree(out.items);

    _PyGC_Freeze();
    CHECK(_PyGC_GetFreezeCount() == 3);
    Py_DECREF(ring);
    CHECK(collect() == 0);
    CHECK(freed() == f0);
    _PyGC_Unfreeze();
    CHECK(_PyGC_GetFreezeCount() == 0);
    CHECK(collect() == 3);
    CHECK(freed() == f0 + 3);
}

static int hook_calls[2];
static Py_ssize_t hook_collected;

static void
callback_hook(int phase, int generation, Py_ssize_t collected,
              Py_ssize_t uncollectable)
{
    CHECK(generation == 2);
    hook_calls[phase]++;
    if (phase == 1) {
        hook_collected = collected;
        CHECK(uncollectable == 0);
    }
    else {
        CHECK(collected == 0);
    }
}

static void
test_debug_and_hooks(void)
{
    Py_ssize_t f0 = freed();
    _PyGC_SetCallbackHook(callback_hook);
    _PyGC_SetDebug(_PyGC_DEBUG_SAVEALL);
    CHECK(_PyGC_GetDebug() == _PyGC_DEBUG_SAVEALL);
    PyObject *ring = make_ring(&NodeType, 5);
    Py_DECREF(ring);
    CHECK(collect() == 5);
    CHECK(hook_calls[0] == 1 && hook_calls[1] == 1 && hook_collected == 5);
    CHECK(freed() == f0);
    _PyGC_SetDebug(0);
    _PyGC_SetCallbackHook(NULL);
    PyObject *got[5];
    for (int i = 0; i < 5; i++) {
        got[i] = _PyGC_PopGarbage();
        CHECK(got[i] != NULL && Py_TYPE(got[i]) == &NodeType);
    }
    CHECK(_PyGC_PopGarbage() == NULL);
    /* Saved garbage was not cleared: the ring still links. */
    CHECK(N(got[0])->ref[0] != NULL);
    for (int i = 0; i < 5; i++) {
        Py_DECREF(got[i]);
    }
    CHECK(collect() == 5);
    CHECK(freed() == f0 + 5);
    CHECK(hook_calls[0] == 1);
}

/* --- 8. a heap of a million tracked objects -------------------------- */

/* CPU time of the calling thread: the pause figures below are wall-clock
   and suffer when the machine is loaded; this one does not. */
static double
thread_cpu_ms(void)
{
    struct timespec ts;
    CHECK(clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) == 0);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void
test_big_heap(void)
{
    int nrings = SANITIZED ? 100 : 1000;
    int ringsize = 1000;
    Py_ssize_t total = (Py_ssize_t)nrings * ringsize;
    PyObject **roots = PyMem_RawMalloc(sizeof(PyObject *) * nrings);
    CHECK(roots != NULL);
    for (int i = 0; i < nrings; i++) {
        roots[i] = make_ring(&NodeType, ringsize);
    }
    Py_ssize_t f0 = freed();
    struct _PyGC_Stats st;
    double t0 = test_seconds();
    CHECK(collect() == 0);
    double live_secs = test_seconds() - t0;
    _PyGC_GetStats(&st);
    CHECK(st.last_candidates >= total);
    printf("gc: %zd live tracked objects: pause %.1f ms (collection %.1f ms)\n",
           st.last_candidates, st.last_pause_ns / 1e6, live_secs * 1e3);
    double cpu0 = thread_cpu_ms();
    t0 = test_seconds();
    CHECK(collect() == 0);
    live_secs = test_seconds() - t0;
    double cpu = thread_cpu_ms() - cpu0;
    _PyGC_GetStats(&st);
    printf("gc: again: pause %.1f ms (collection %.1f ms, %.1f ms CPU)\n",
           st.last_pause_ns / 1e6, live_secs * 1e3, cpu);
    for (int i = 0; i < nrings; i++) {
        Py_DECREF(roots[i]);
    }
    t0 = test_seconds();
    cpu0 = thread_cpu_ms();
    CHECK(collect() == total);
    cpu = thread_cpu_ms() - cpu0;
    double dead_secs = test_seconds() - t0;
    CHECK(freed() == f0 + total);
    _PyGC_GetStats(&st);
    printf("gc: %zd garbage objects: pause %.1f ms (collection with frees "
           "%.1f ms, %.1f ms CPU)\n", total, st.last_pause_ns / 1e6,
           dead_secs * 1e3, cpu);
    PyMem_RawFree(roots);
}

/* --- 9. concurrent mutators and a collector -------------------------- */

#define NMUTATORS 6
#define KEEP 8
static int stop_flag;
static PyObject *exchange_slot;     /* a strong reference or NULL */
static Py_ssize_t n_collections;

static uint32_t
rnd(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

/* One round of a thread state: build rings, keep a few, trade some with
   other threads, drop the rest; reach safe points throughout. */
static void
mutator_round(uint32_t *seed, int iters)
{
    PyGILState_STATE g = PyGILState_Ensure();
    PyThreadState *ts = PyThreadState_Get();
    _PyThreadStateImpl *tsi = (_PyThreadStateImpl *)ts;
    PyObject *keep[KEEP] = {NULL};
    for (int it = 0; it < iters; it++) {
        uint32_t r = rnd(seed);
        PyTypeObject *type = (r & 3) == 0 ? &FinNodeType : &NodeType;
        PyObject *ring = make_ring(type, 2 + (int)((r >> 2) % 40));
        if ((r >> 8) % 4 == 0) {
            /* Adopt another thread's ring into ours. */
            PyObject *got = _Py_atomic_exchange_ptr(&exchange_slot, NULL);
            N(ring)->ref[1] = got;
        }
        else if ((r >> 8) % 4 == 1) {
            PyObject *old = _Py_atomic_exchange_ptr(&exchange_slot,
                                                    Py_NewRef(ring));
            Py_XDECREF(old);
        }
        int k = (int)((r >> 12) % KEEP);
        Py_XDECREF(keep[k]);
        keep[k] = ring;
        _PyEval_CheckBreaker(ts);
        if (_Py_atomic_load_uintptr_relaxed(&tsi->eval_breaker) &
            _PY_EVAL_GC_BIT) {
            _PyGC_CollectIfDue(ts);
        }
    }
    for (int k = 0; k < KEEP; k++) {
        Py_XDECREF(keep[k]);
    }
    PyGILState_Release(g);
}

static void *
mutator_thread(void *arg)
{
    uint32_t seed = 0x9E3779B9u * (uint32_t)((intptr_t)arg + 1);
    while (!_Py_atomic_load_int_relaxed(&stop_flag) &&
           _Py_atomic_load_int32_relaxed(&next_id) < ID_BUDGET) {
        mutator_round(&seed, 50 + (int)(rnd(&seed) % 200));
    }
    return NULL;
}

static void *
short_thread(void *arg)
{
    uint32_t seed = (uint32_t)(uintptr_t)arg | 1;
    mutator_round(&seed, 100);
    return NULL;
}

/* Short-lived OS threads: their pages are abandoned when they exit. */
static void *
spawner_thread(void *arg)
{
    uint32_t n = 0;
    while (!_Py_atomic_load_int_relaxed(&stop_flag) &&
           _Py_atomic_load_int32_relaxed(&next_id) < ID_BUDGET) {
        pthread_t t;
        CHECK(pthread_create(&t, NULL, short_thread,
                             (void *)(uintptr_t)++n) == 0);
        CHECK(pthread_join(t, NULL) == 0);
    }
    return NULL;
}

static void *
collector_thread(void *arg)
{
    PyGILState_STATE g = PyGILState_Ensure();
    PyThreadState *ts = PyThreadState_Get();
    while (!_Py_atomic_load_int_relaxed(&stop_flag)) {
        (void)collect();
        _Py_atomic_add_ssize(&n_collections, 1);
        _PyEval_CheckBreaker(ts);
    }
    PyGILState_Release(g);
    return NULL;
}

static void
test_concurrent(double seconds)
{
    int saved[3], th[3] = {2000, 10, 10};
    _PyGC_GetThreshold(saved);
    _PyGC_SetThreshold(th);
    Py_ssize_t fin0 = n_fin_created, z0 = finalized();
    pthread_t mut[NMUTATORS], col, spawn;
    _Py_atomic_store_int(&stop_flag, 0);
    for (int i = 0; i < NMUTATORS; i++) {
        CHECK(pthread_create(&mut[i], NULL, mutator_thread,
                             (void *)(intptr_t)i) == 0);
    }
    CHECK(pthread_create(&col, NULL, collector_thread, NULL) == 0);
    CHECK(pthread_create(&spawn, NULL, spawner_thread, NULL) == 0);
    Py_BEGIN_ALLOW_THREADS
    usleep((useconds_t)(seconds * 1e6));
    _Py_atomic_store_int(&stop_flag, 1);
    for (int i = 0; i < NMUTATORS; i++) {
        CHECK(pthread_join(mut[i], NULL) == 0);
    }
    CHECK(pthread_join(col, NULL) == 0);
    CHECK(pthread_join(spawn, NULL) == 0);
    Py_END_ALLOW_THREADS
    Py_XDECREF(_Py_atomic_exchange_ptr(&exchange_slot, NULL));
    (void)collect();
    CHECK(collect() == 0);
    Py_ssize_t created = _Py_atomic_load_ssize(&n_created);
    CHECK(freed() == created);
    for (int32_t id = 0; id < _Py_atomic_load_int32(&next_id); id++) {
        CHECK(freed_flags[id] == 1);
    }
    CHECK(finalized() - z0 == _Py_atomic_load_ssize(&n_fin_created) - fin0);
    struct _PyGC_Stats st;
    _PyGC_GetStats(&st);
    printf("gc: concurrent: %zd objects, %zd collection calls by the "
           "collector thread; %zd automatic, %zd explicit collections ran; "
           "all freed once\n",
           created, _Py_atomic_load_ssize(&n_collections),
           st.gen[0].collections, st.gen[2].collections);
    printf("gc: concurrent: max pause %.1f ms, total pause %.1f ms\n",
           st.max_pause_ns / 1e6, st.total_pause_ns / 1e6);
    _PyGC_SetThreshold(saved);
}

int
main(void)
{
    PyThreadState *tstate = _PyRuntime_InitCore();
    CHECK(tstate != NULL);
    freed_flags = calloc(MAX_IDS, 1);
    finalized_count = calloc(MAX_IDS, 1);
    CHECK(freed_flags != NULL && finalized_count != NULL);

    test_cycles();
    test_thread_cycles();
    test_reachable_from_root();
    test_reachable_from_other_thread();
    test_deferred();
    test_finalizers();
    test_resurrection();
    test_no_traverse();
    test_legacy_del();
    test_automatic();
    test_walks();
    test_debug_and_hooks();
    test_big_heap();
    /* GC_TEST_SECONDS lengthens the concurrent run (by hand: watch the
       resident size stay flat). */
    const char *secs = getenv("GC_TEST_SECONDS");
    test_concurrent(secs != NULL ? atof(secs) : SANITIZED ? 3.0 : 2.0);

    _PyGC_Fini();
    _PyRuntime_FiniCore();
    free(freed_flags);
    free(finalized_count);
    printf("test_gc: ok\n");
    return 0;
}
