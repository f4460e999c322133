/* Biased reference counting under contention (issue 3, "refcount storm").
 *
 * Invariant checked: every object is deallocated exactly once, and only
 * when its last reference is gone -- whether the references are dropped by
 * the owner, by other threads through the shared field, through the
 * owner's merge queue, or after the owner thread has exited. */
#include "testutil.h"

#define NTHREADS 8
#define STORM_ITERS 1000000

#define MAGIC_LIVE 0x11FE11FEu
#define MAGIC_DEAD 0xDEADDEADu

typedef struct {
    PyObject_HEAD
    uint32_t magic;
} TestObject;

static Py_ssize_t n_freed;

/* Dead objects stay readable until the end, so a second dealloc of the same
   object is caught by its magic; they are freed in free_graveyard(). */
#define GRAVEYARD_SIZE 100000
static PyObject *graveyard[GRAVEYARD_SIZE];

static void
testobj_dealloc(PyObject *op)
{
    TestObject *t = (TestObject *)op;
    CHECK(t->magic == MAGIC_LIVE);     /* never freed twice */
    t->magic = MAGIC_DEAD;
    Py_ssize_t i = _Py_atomic_add_ssize(&n_freed, 1);
    CHECK(i < GRAVEYARD_SIZE);
    graveyard[i] = op;
}

static void
free_graveyard(void)
{
    for (Py_ssize_t i = 0; i < n_freed; i++) {
        PyMem_RawFree(graveyard[i]);
    }
}

static PyTypeObject TestType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "refcount_test",
    .tp_basicsize = sizeof(TestObject),
    .tp_dealloc = testobj_dealloc,
};

static PyObject *
new_obj(void)
{
    TestObject *t = PyMem_RawMalloc(sizeof(TestObject));
    CHECK(t != NULL);
    _PyObject_InitHeader((PyObject *)t, &TestType);
    t->magic = MAGIC_LIVE;
    return (PyObject *)t;
}

static Py_ssize_t
freed(void)
{
    return _Py_atomic_load_ssize(&n_freed);
}

/* --- 1. storm on an object owned by the main thread ------------------- */

static PyObject *storm_obj;

static void *
storm_worker(void *arg)
{
    PyGILState_STATE g = PyGILState_Ensure();
    for (int i = 0; i < STORM_ITERS; i++) {
        Py_INCREF(storm_obj);
        Py_DECREF(storm_obj);
    }
    PyGILState_Release(g);
    return NULL;
}

static void
test_storm(void)
{
    Py_ssize_t before = freed();
    storm_obj = new_obj();
    _PyObject_SetMaybeWeakref(storm_obj);
    pthread_t t[NTHREADS];
    test_start_threads(t, NTHREADS, storm_worker, NULL, 0);
    Py_BEGIN_ALLOW_THREADS
    test_join_threads(t, NTHREADS);
    Py_END_ALLOW_THREADS
    CHECK(freed() == before);
    CHECK(Py_REFCNT(storm_obj) == 1);
    Py_DECREF(storm_obj);
    CHECK(freed() == before + 1);
    printf("storm: %d threads x %d incref/decref pairs: freed once, "
           "at the owner's last decref\n", NTHREADS, STORM_ITERS);
}

/* --- 2. references dropped by other threads go through the queue ------ */

#define QUEUE_OBJS 2000

typedef struct {
    PyObject **objs;
    int n;
} DropArgs;

static void *
drop_worker(void *arg)
{
    DropArgs *a = arg;
    PyGILState_STATE g = PyGILState_Ensure();
    for (int i = 0; i < a->n; i++) {
        Py_DECREF(a->objs[i]);
    }
    PyGILState_Release(g);
    return NULL;
}

static void
test_queue(void)
{
    Py_ssize_t before = freed();
    PyThreadState *me = PyThreadState_Get();
    static PyObject *objs[NTHREADS][QUEUE_OBJS];
    DropArgs args[NTHREADS];
    for (int t = 0; t < NTHREADS; t++) {
        for (int i = 0; i < QUEUE_OBJS; i++) {
            /* Created with one local reference, handed to thread t. */
            objs[t][i] = new_obj();
        }
        args[t].objs = objs[t];
        args[t].n = QUEUE_OBJS;
    }
    /* Every thread drops a reference to every object of its own row and
       to the first object of every row (shared by all threads). */
    for (int t = 0; t < NTHREADS; t++) {
        for (int u = 0; u < NTHREADS; u++) {
            if (u != t) {
                Py_INCREF(objs[u][0]);
            }
        }
    }
    static PyObject *extra[NTHREADS][NTHREADS];
    DropArgs xargs[NTHREADS];
    for (int t = 0; t < NTHREADS; t++) {
        int k = 0;
        for (int u = 0; u < NTHREADS; u++) {
            if (u != t) {
                extra[t][k++] = objs[u][0];
            }
        }
        xargs[t].objs = extra[t];
        xargs[t].n = k;
    }
    pthread_t th[2 * NTHREADS];
    test_start_threads(th, NTHREADS, drop_worker, args, sizeof(DropArgs));
    test_start_threads(th + NTHREADS, NTHREADS, drop_worker, xargs,
                       sizeof(DropArgs));
    /* Keep serving our merge queue while they run, as the eval loop
       would; joining detaches us (pthread_join is a blocking call). */
    double deadline = test_seconds() + 20;
    while (freed() < before + NTHREADS * QUEUE_OBJS &&
           test_seconds() < deadline) {
        _PyEval_CheckBreaker(me);
    }
    Py_BEGIN_ALLOW_THREADS
    test_join_threads(th, 2 * NTHREADS);
    Py_END_ALLOW_THREADS
    _PyEval_CheckBreaker(me);
    CHECK(freed() == before + NTHREADS * QUEUE_OBJS);
    printf("queue: %d objects whose last references were dropped by other "
           "threads: each freed exactly once by the owner's merge\n",
           NTHREADS * QUEUE_OBJS);
}

/* --- 3. the owner exits first ----------------------------------------- */

#define ORPHANS 1000
static PyObject *orphans[ORPHANS];

static void *
orphan_maker(void *arg)
{
    PyGILState_STATE g = PyGILState_Ensure();
    for (int i = 0; i < ORPHANS; i++) {
        orphans[i] = new_obj();
        for (int k = 1; k < NTHREADS; k++) {
            Py_INCREF(orphans[i]);       /* NTHREADS local references */
        }
    }
    PyGILState_Release(g);               /* the owner exits */
    return NULL;
}

static void *
orphan_dropper(void *arg)
{
    PyGILState_STATE g = PyGILState_Ensure();
    for (int i = 0; i < ORPHANS; i++) {
        Py_DECREF(orphans[i]);
    }
    PyGILState_Release(g);
    return NULL;
}

static void
test_owner_exits(void)
{
    Py_ssize_t before = freed();
    pthread_t maker;
    test_start_threads(&maker, 1, orphan_maker, NULL, 0);
    Py_BEGIN_ALLOW_THREADS
    test_join_threads(&maker, 1);
    Py_END_ALLOW_THREADS
    CHECK(freed() == before);
    pthread_t t[NTHREADS];
    test_start_threads(t, NTHREADS, orphan_dropper, NULL, 0);
    Py_BEGIN_ALLOW_THREADS
    test_join_threads(t, NTHREADS);
    Py_END_ALLOW_THREADS
    CHECK(freed() == before + ORPHANS);
    printf("owner exits first: %d objects with %d references each, dropped "
           "by %d threads after their owner exited: each freed once\n",
           ORPHANS, NTHREADS, NTHREADS);
}

/* --- 4. immortal objects ---------------------------------------------- */

static TestObject immortal = {
    .ob_base = { .ob_ref_local = _Py_IMMORTAL_REFCNT_LOCAL,
                 .ob_type = &TestType },
    .magic = MAGIC_LIVE,
};

static void *
immortal_worker(void *arg)
{
    PyGILState_STATE g = PyGILState_Ensure();
    for (int i = 0; i < 100000; i++) {
        Py_INCREF(&immortal);
        Py_DECREF(&immortal);
        Py_DECREF(&immortal);
    }
    PyGILState_Release(g);
    return NULL;
}

static void
test_immortal(void)
{
    pthread_t t[4];
    test_start_threads(t, 4, immortal_worker, NULL, 0);
    Py_BEGIN_ALLOW_THREADS
    test_join_threads(t, 4);
    Py_END_ALLOW_THREADS
    CHECK(_Py_IsImmortal(&immortal));
    CHECK(immortal.ob_base.ob_ref_shared == 0);
    CHECK(immortal.magic == MAGIC_LIVE);
    printf("immortal: unbalanced decrefs from 4 threads change nothing\n");
}

/* --- 5. Py_SET_REFCNT and deferred objects ----------------------------- */

static void
test_set_refcnt_and_deferred(void)
{
    Py_ssize_t before = freed();
    PyObject *o = new_obj();
    Py_SET_REFCNT(o, 5);
    CHECK(Py_REFCNT(o) == 5);
    Py_SET_REFCNT(o, 1);
    Py_DECREF(o);
    CHECK(freed() == before + 1);

    PyObject *d = new_obj();
    _PyObject_SetDeferredRefcount(d);
    CHECK(_PyObject_HasDeferredRefcount(d));
    Py_DECREF(d);          /* the GC's reference keeps it alive */
    CHECK(freed() == before + 1);
    CHECK(Py_REFCNT(d) == 1);
    PyMem_RawFree(d);      /* what the GC would do */
    printf("Py_SET_REFCNT and deferred refcount: ok\n");
}

int
main(void)
{
    PyThreadState *tstate = _PyRuntime_InitCore();
    CHECK(tstate != NULL);
    test_storm();
    test_queue();
    test_owner_exits();
    test_immortal();
    test_set_refcnt_and_deferred();
    _PyRuntime_FiniCore();
    free_graveyard();
    printf("test_refcount: ok\n");
    return 0;
}
