/* Micro-benchmarks of the free-threaded runtime core (`make bench`).
 *
 * One section per primitive, each in its own group of functions named
 * bench_SECTION_*; main() runs every section.  Each measurement prints one
 * line `name: X ns/op`, the median of RUNS runs, so one noisy run on a
 * shared machine does not decide the number; measurements to be compared
 * run alternately.
 *
 * Sections:
 *   mutex     PyMutex vs pthread_mutex, uncontended and with 2 threads
 *   pymem     PyMem_Malloc/Free vs mi_malloc/mi_free vs malloc/free
 *   obmalloc  PyObject_Malloc/Free and _PyObject_MallocGC vs mi_malloc/mi_free
 *             vs malloc/free
 *   refcount  owner and non-owner Py_INCREF+Py_DECREF vs a plain increment
 *             and an atomic one
 *
 * glibc skips the atomic instructions of pthread_mutex_lock/unlock while
 * the process has never created a thread.  A free-threaded runtime cannot
 * count on that, so main() makes the process multi-threaded before the
 * sections run; the one measurement taken before is labelled so.
 */
#include "Python.h"
#include "pycore_lock.h"
#include "pycore_obmalloc.h"
#include "pycore_pystate.h"
#include "pycore_time.h"

#include <mimalloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define RUNS 7

/* One run of a benchmark: returns nanoseconds per operation. */
typedef double bench_run_fn(void);

/* qsort order for run results. */
static int
compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Sorts the RUNS results in place and returns the middle one. */
static double
bench_median_of(double *results)
{
    qsort(results, RUNS, sizeof(results[0]), compare_doubles);
    return results[RUNS / 2];
}

/* Runs `fn` RUNS times and prints the median. */
static void
bench_report(const char *name, bench_run_fn *fn)
{
    double results[RUNS];
    for (int i = 0; i < RUNS; i++) {
        results[i] = fn();
    }
    printf("%s: %.2f ns/op\n", name, bench_median_of(results));
    fflush(stdout);
}

/* Two measurements meant to be compared: their runs alternate, so load
   from other processes drifting during the run hits both alike. */
static void
bench_report_pair(const char *name_a, bench_run_fn *fn_a,
                  const char *name_b, bench_run_fn *fn_b)
{
    double a[RUNS], b[RUNS];
    for (int i = 0; i < RUNS; i++) {
        a[i] = fn_a();
        b[i] = fn_b();
    }
    printf("%s: %.2f ns/op\n", name_a, bench_median_of(a));
    printf("%s: %.2f ns/op\n", name_b, bench_median_of(b));
    fflush(stdout);
}

/* ------------------------------------------------------------------ */
/* Section: mutex                                                     */

#define MUTEX_UNCONTENDED_OPS 10000000
#define MUTEX_CONTENDED_OPS 2000000   /* acquisitions, over both threads */
#define MUTEX_CONTENDED_THREADS 2

static PyMutex bench_mutex_py;
static _PyRawMutex bench_mutex_raw;
static pthread_mutex_t bench_mutex_pthread = PTHREAD_MUTEX_INITIALIZER;
/* Touched only under the lock being measured. */
static long bench_mutex_counter;

/* Lock + unlock of a free PyMutex: the inline one-CAS fast paths. */
static double
bench_mutex_pymutex_uncontended(void)
{
    PyTime_t t0 = _PyTime_MonotonicNs();
    for (int i = 0; i < MUTEX_UNCONTENDED_OPS; i++) {
        PyMutex_Lock(&bench_mutex_py);
        bench_mutex_counter++;
        PyMutex_Unlock(&bench_mutex_py);
    }
    return (double)(_PyTime_MonotonicNs() - t0) / MUTEX_UNCONTENDED_OPS;
}

static double
bench_mutex_raw_uncontended(void)
{
    PyTime_t t0 = _PyTime_MonotonicNs();
    for (int i = 0; i < MUTEX_UNCONTENDED_OPS; i++) {
        _PyRawMutex_Lock(&bench_mutex_raw);
        bench_mutex_counter++;
        _PyRawMutex_Unlock(&bench_mutex_raw);
    }
    return (double)(_PyTime_MonotonicNs() - t0) / MUTEX_UNCONTENDED_OPS;
}

static double
bench_mutex_pthread_uncontended(void)
{
    PyTime_t t0 = _PyTime_MonotonicNs();
    for (int i = 0; i < MUTEX_UNCONTENDED_OPS; i++) {
        pthread_mutex_lock(&bench_mutex_pthread);
        bench_mutex_counter++;
        pthread_mutex_unlock(&bench_mutex_pthread);
    }
    return (double)(_PyTime_MonotonicNs() - t0) / MUTEX_UNCONTENDED_OPS;
}

/* The contended runs: every thread waits at the start line, then takes
   the lock its share of times. */
static int bench_mutex_go;

static void
bench_mutex_wait_for_go(void)
{
    while (!_Py_atomic_load_int(&bench_mutex_go)) {
        _Py_cpu_relax();
    }
}

static void *
bench_mutex_pymutex_worker(void *Py_UNUSED(arg))
{
    bench_mutex_wait_for_go();
    for (int i = 0; i < MUTEX_CONTENDED_OPS / MUTEX_CONTENDED_THREADS; i++) {
        PyMutex_Lock(&bench_mutex_py);
        bench_mutex_counter++;
        PyMutex_Unlock(&bench_mutex_py);
    }
    return NULL;
}

static void *
bench_mutex_pthread_worker(void *Py_UNUSED(arg))
{
    bench_mutex_wait_for_go();
    for (int i = 0; i < MUTEX_CONTENDED_OPS / MUTEX_CONTENDED_THREADS; i++) {
        pthread_mutex_lock(&bench_mutex_pthread);
        bench_mutex_counter++;
        pthread_mutex_unlock(&bench_mutex_pthread);
    }
    return NULL;
}

/* Wall time from the start signal until every worker is done, per
   acquisition (over all threads). */
static double
bench_mutex_contended(void *(*worker)(void *))
{
    pthread_t t[MUTEX_CONTENDED_THREADS];
    _Py_atomic_store_int(&bench_mutex_go, 0);
    for (int i = 0; i < MUTEX_CONTENDED_THREADS; i++) {
        if (pthread_create(&t[i], NULL, worker, NULL) != 0) {
            fprintf(stderr, "runtime_micro: pthread_create failed\n");
            exit(1);
        }
    }
    PyTime_t t0 = _PyTime_MonotonicNs();
    _Py_atomic_store_int(&bench_mutex_go, 1);
    for (int i = 0; i < MUTEX_CONTENDED_THREADS; i++) {
        pthread_join(t[i], NULL);
    }
    return (double)(_PyTime_MonotonicNs() - t0) / MUTEX_CONTENDED_OPS;
}

static double
bench_mutex_pymutex_contended(void)
{
    return bench_mutex_contended(bench_mutex_pymutex_worker);
}

static double
bench_mutex_pthread_contended(void)
{
    return bench_mutex_contended(bench_mutex_pthread_worker);
}

/* Must run before the process creates its first thread. */
static void
bench_mutex_never_threaded(void)
{
    bench_report("mutex uncontended pthread_mutex lock+unlock "
                 "(process never threaded)", bench_mutex_pthread_uncontended);
}

static void
bench_mutex_section(void)
{
    bench_report_pair("mutex uncontended PyMutex lock+unlock",
                      bench_mutex_pymutex_uncontended,
                      "mutex uncontended pthread_mutex lock+unlock",
                      bench_mutex_pthread_uncontended);
    bench_report("mutex uncontended _PyRawMutex lock+unlock",
                 bench_mutex_raw_uncontended);
    bench_report_pair("mutex contended (2 threads) PyMutex per acquisition",
                      bench_mutex_pymutex_contended,
                      "mutex contended (2 threads) pthread_mutex per "
                      "acquisition",
                      bench_mutex_pthread_contended);
}

/* ------------------------------------------------------------------ */
/* Section: pymem                                                     */

/* PyMem_Malloc/PyMem_Free against the allocators underneath: mimalloc
   called directly, whatever malloc/free resolve to in this process (with
   libmimalloc linked they are usually mimalloc's overriding ones, and the
   label says so), and glibc's own allocator through __libc_malloc.  Two
   patterns: an alloc+free pair (the block is reused at once) and a batch
   of BENCH_PYMEM_BATCH allocations then their frees. */

#define BENCH_PYMEM_PAIR_OPS 4000000
#define BENCH_PYMEM_BATCH 1000
#define BENCH_PYMEM_BATCH_ROUNDS 2000

extern void *__libc_malloc(size_t size);
extern void __libc_free(void *ptr);

typedef struct {
    const char *name;
    void *(*alloc)(size_t);
    void (*free)(void *);
} bench_pymem_allocator;

static void *
bench_pymem_malloc(size_t size)
{
    return malloc(size);
}

static void
bench_pymem_free(void *p)
{
    free(p);
}

static void *
bench_pymem_mi_malloc(size_t size)
{
    return mi_malloc(size);
}

static void
bench_pymem_mi_free(void *p)
{
    mi_free(p);
}

static bench_pymem_allocator bench_pymem_allocators[] = {
    {"PyMem_Malloc/PyMem_Free", PyMem_Malloc, PyMem_Free},
    {"mi_malloc/mi_free", bench_pymem_mi_malloc, bench_pymem_mi_free},
    {"malloc/free", bench_pymem_malloc, bench_pymem_free},  /* relabelled */
    {"glibc __libc_malloc/__libc_free", __libc_malloc, __libc_free},
};
#define BENCH_PYMEM_NALLOC \
    ((int)(sizeof(bench_pymem_allocators) / sizeof(bench_pymem_allocators[0])))

/* The pointers are kept so the compiler cannot drop a pair. */
static void *volatile bench_pymem_sink;
static void *bench_pymem_blocks[BENCH_PYMEM_BATCH];

/* ns per alloc+free pair. */
static double
bench_pymem_pair(const bench_pymem_allocator *a, size_t size)
{
    PyTime_t t0 = _PyTime_MonotonicNs();
    for (int i = 0; i < BENCH_PYMEM_PAIR_OPS; i++) {
        void *p = a->alloc(size);
        bench_pymem_sink = p;
        a->free(p);
    }
    return (double)(_PyTime_MonotonicNs() - t0) / BENCH_PYMEM_PAIR_OPS;
}

/* ns per alloc+free, allocating a whole batch before freeing it. */
static double
bench_pymem_batch(const bench_pymem_allocator *a, size_t size)
{
    PyTime_t t0 = _PyTime_MonotonicNs();
    for (int r = 0; r < BENCH_PYMEM_BATCH_ROUNDS; r++) {
        for (int i = 0; i < BENCH_PYMEM_BATCH; i++) {
            bench_pymem_blocks[i] = a->alloc(size);
        }
        for (int i = 0; i < BENCH_PYMEM_BATCH; i++) {
            a->free(bench_pymem_blocks[i]);
        }
    }
    return (double)(_PyTime_MonotonicNs() - t0) /
           ((double)BENCH_PYMEM_BATCH * BENCH_PYMEM_BATCH_ROUNDS);
}

/* Every allocator's runs alternate, as in bench_report_pair. */
static void
bench_pymem_compare(const char *pattern, size_t size,
                    double (*run)(const bench_pymem_allocator *, size_t))
{
    double results[BENCH_PYMEM_NALLOC][RUNS];
    for (int r = 0; r < RUNS; r++) {
        for (int k = 0; k < BENCH_PYMEM_NALLOC; k++) {
            results[k][r] = run(&bench_pymem_allocators[k], size);
        }
    }
    for (int k = 0; k < BENCH_PYMEM_NALLOC; k++) {
        printf("pymem %s %zu B %s: %.2f ns/op\n", pattern, size,
               bench_pymem_allocators[k].name, bench_median_of(results[k]));
    }
    fflush(stdout);
}

static void
bench_pymem_section(void)
{
    void *p = malloc(64);
    if (mi_is_in_heap_region(p)) {
        bench_pymem_allocators[2].name = "malloc/free (mimalloc's override)";
    }
    free(p);
    bench_pymem_compare("alloc+free pair", 64, bench_pymem_pair);
    bench_pymem_compare("alloc+free pair", 1024, bench_pymem_pair);
    bench_pymem_compare("batch of 1000 allocs then frees", 64,
                        bench_pymem_batch);
}

/* ------------------------------------------------------------------ */
/* Section: obmalloc                                                  */

/* The object allocator against the allocators it competes with:
   PyObject_Malloc/PyObject_Free (non-GC pages), _PyObject_MallocGC with
   PyObject_Free (GC pages), mi_malloc/mi_free and malloc/free, all called
   through the same kind of function pointer from a thread with an attached
   thread state.  Two patterns, as in the pymem section: an alloc+free pair
   (the block is reused at once) and a batch of allocations then their
   frees.  Last, PyObject_Malloc from a thread with no thread state, which
   takes the locked heap. */

#define BENCH_OBMALLOC_PAIR_OPS 10000000
#define BENCH_OBMALLOC_BATCH 1000
#define BENCH_OBMALLOC_BATCH_ROUNDS 5000

typedef struct {
    const char *name;
    void *(*alloc)(size_t);
    void (*free)(void *);
} bench_obmalloc_allocator;

static void *
bench_obmalloc_mi_malloc(size_t size)
{
    return mi_malloc(size);
}

static void
bench_obmalloc_mi_free(void *p)
{
    mi_free(p);
}

static void *
bench_obmalloc_malloc(size_t size)
{
    return malloc(size);
}

static void
bench_obmalloc_free(void *p)
{
    free(p);
}

static bench_obmalloc_allocator bench_obmalloc_allocators[] = {
    {"PyObject_Malloc/PyObject_Free", PyObject_Malloc, PyObject_Free},
    {"_PyObject_MallocGC/PyObject_Free", _PyObject_MallocGC, PyObject_Free},
    {"mi_malloc/mi_free", bench_obmalloc_mi_malloc, bench_obmalloc_mi_free},
    {"malloc/free", bench_obmalloc_malloc, bench_obmalloc_free},
};
#define BENCH_OBMALLOC_NALLOC \
    ((int)(sizeof(bench_obmalloc_allocators) / \
           sizeof(bench_obmalloc_allocators[0])))

/* The pointers are kept so the compiler cannot drop a pair. */
static void *volatile bench_obmalloc_sink;
static void *bench_obmalloc_blocks[BENCH_OBMALLOC_BATCH];

/* ns per alloc+free pair. */
static double
bench_obmalloc_pair(const bench_obmalloc_allocator *a, size_t size)
{
    PyTime_t t0 = _PyTime_MonotonicNs();
    for (int i = 0; i < BENCH_OBMALLOC_PAIR_OPS; i++) {
        void *p = a->alloc(size);
        bench_obmalloc_sink = p;
        a->free(p);
    }
    return (double)(_PyTime_MonotonicNs() - t0) / BENCH_OBMALLOC_PAIR_OPS;
}

/* ns per alloc+free, allocating a whole batch before freeing it. */
static double
bench_obmalloc_batch(const bench_obmalloc_allocator *a, size_t size)
{
    PyTime_t t0 = _PyTime_MonotonicNs();
    for (int r = 0; r < BENCH_OBMALLOC_BATCH_ROUNDS; r++) {
        for (int i = 0; i < BENCH_OBMALLOC_BATCH; i++) {
            bench_obmalloc_blocks[i] = a->alloc(size);
        }
        for (int i = 0; i < BENCH_OBMALLOC_BATCH; i++) {
            a->free(bench_obmalloc_blocks[i]);
        }
    }
    return (double)(_PyTime_MonotonicNs() - t0) /
           ((double)BENCH_OBMALLOC_BATCH * BENCH_OBMALLOC_BATCH_ROUNDS);
}

/* Every allocator's runs alternate, so a noisy moment hits them all. */
static void
bench_obmalloc_compare(const char *pattern, size_t size,
                       double (*run)(const bench_obmalloc_allocator *,
                                     size_t))
{
    double results[BENCH_OBMALLOC_NALLOC][RUNS];
    for (int r = 0; r < RUNS; r++) {
        for (int k = 0; k < BENCH_OBMALLOC_NALLOC; k++) {
            results[k][r] = run(&bench_obmalloc_allocators[k], size);
        }
    }
    for (int k = 0; k < BENCH_OBMALLOC_NALLOC; k++) {
        printf("obmalloc %s %zu B %s: %.2f ns/op\n", pattern, size,
               bench_obmalloc_allocators[k].name,
               bench_median_of(results[k]));
    }
    fflush(stdout);
}

static double bench_obmalloc_no_tstate_result;

static void *
bench_obmalloc_no_tstate_worker(void *Py_UNUSED(arg))
{
    bench_obmalloc_no_tstate_result =
        bench_obmalloc_pair(&bench_obmalloc_allocators[0], 64);
    return NULL;
}

/* A thread that never had a thread state. */
static double
bench_obmalloc_no_tstate(void)
{
    pthread_t t;
    if (pthread_create(&t, NULL, bench_obmalloc_no_tstate_worker,
                       NULL) != 0) {
        fprintf(stderr, "runtime_micro: pthread_create failed\n");
        exit(1);
    }
    pthread_join(t, NULL);
    return bench_obmalloc_no_tstate_result;
}

static void
bench_obmalloc_section(void)
{
    if (_PyInterpreterState_Main() == NULL &&
        _PyRuntime_InitCore() == NULL) {
        fprintf(stderr, "runtime_micro: _PyRuntime_InitCore failed\n");
        exit(1);
    }
    bench_obmalloc_compare("alloc+free pair", 32, bench_obmalloc_pair);
    bench_obmalloc_compare("alloc+free pair", 64, bench_obmalloc_pair);
    bench_obmalloc_compare("alloc+free pair", 256, bench_obmalloc_pair);
    bench_obmalloc_compare("batch of 1000 allocs then frees", 64,
                           bench_obmalloc_batch);
    bench_obmalloc_compare("batch of 1000 allocs then frees", 256,
                           bench_obmalloc_batch);
    Py_BEGIN_ALLOW_THREADS
    bench_report("obmalloc alloc+free pair 64 B PyObject_Malloc/"
                 "PyObject_Free, no thread state (locked heap)",
                 bench_obmalloc_no_tstate);
    Py_END_ALLOW_THREADS
}

/* ------------------------------------------------------------------ */
/* Section: refcount                                                  */

#define REFCOUNT_OPS 20000000

/* An object owned by the thread that made it; never freed. */
static PyObject bench_refcount_obj;
static long bench_refcount_plain;
static PyObject *bench_refcount_target;

/* Compiler barrier: keeps each iteration's memory access in the loop. */
#define BENCH_REFCOUNT_BARRIER() __asm__ __volatile__("" ::: "memory")

/* The baseline: a plain non-atomic increment and decrement of a counter
   in memory. */
static double
bench_refcount_plain_incdec(void)
{
    PyTime_t t0 = _PyTime_MonotonicNs();
    for (long i = 0; i < REFCOUNT_OPS; i++) {
        bench_refcount_plain++;
        BENCH_REFCOUNT_BARRIER();
        bench_refcount_plain--;
        BENCH_REFCOUNT_BARRIER();
    }
    return (double)(_PyTime_MonotonicNs() - t0) / REFCOUNT_OPS;
}

/* An atomic (locked) add and subtract, what a plain shared count costs. */
static double
bench_refcount_atomic_incdec(void)
{
    PyTime_t t0 = _PyTime_MonotonicNs();
    for (long i = 0; i < REFCOUNT_OPS; i++) {
        _Py_atomic_add_ssize(&bench_refcount_obj.ob_ref_shared, 4);
        BENCH_REFCOUNT_BARRIER();
        _Py_atomic_add_ssize(&bench_refcount_obj.ob_ref_shared, -4);
        BENCH_REFCOUNT_BARRIER();
    }
    return (double)(_PyTime_MonotonicNs() - t0) / REFCOUNT_OPS;
}

static double
bench_refcount_incdec_loop(PyObject *op)
{
    PyTime_t t0 = _PyTime_MonotonicNs();
    for (long i = 0; i < REFCOUNT_OPS; i++) {
        Py_INCREF(op);
        BENCH_REFCOUNT_BARRIER();
        Py_DECREF(op);
        BENCH_REFCOUNT_BARRIER();
    }
    return (double)(_PyTime_MonotonicNs() - t0) / REFCOUNT_OPS;
}

/* Py_INCREF + Py_DECREF by the owner: no atomic instruction. */
static double
bench_refcount_owner(void)
{
    return bench_refcount_incdec_loop(&bench_refcount_obj);
}

static double bench_refcount_other_result;

static void *
bench_refcount_other_worker(void *Py_UNUSED(arg))
{
    PyGILState_STATE g = PyGILState_Ensure();
    bench_refcount_other_result =
        bench_refcount_incdec_loop(bench_refcount_target);
    PyGILState_Release(g);
    return NULL;
}

/* Py_INCREF + Py_DECREF from a thread that does not own the object: the
   shared, atomic path. */
static double
bench_refcount_non_owner(void)
{
    pthread_t t;
    bench_refcount_target = &bench_refcount_obj;
    if (pthread_create(&t, NULL, bench_refcount_other_worker, NULL) != 0) {
        fprintf(stderr, "runtime_micro: pthread_create failed\n");
        exit(1);
    }
    Py_BEGIN_ALLOW_THREADS
    pthread_join(t, NULL);
    Py_END_ALLOW_THREADS
    return bench_refcount_other_result;
}

static void
bench_refcount_section(void)
{
    if (_PyInterpreterState_Main() == NULL &&
        _PyRuntime_InitCore() == NULL) {
        fprintf(stderr, "runtime_micro: _PyRuntime_InitCore failed\n");
        exit(1);
    }
    /* Owned by this thread, one reference that is never dropped. */
    bench_refcount_obj.ob_tid = _Py_ThreadId();
    bench_refcount_obj.ob_ref_local = 1;
    bench_refcount_obj.ob_ref_shared = _Py_REF_MAYBE_WEAKREF;
    bench_report_pair("refcount owner Py_INCREF+Py_DECREF",
                      bench_refcount_owner,
                      "refcount plain non-atomic ++/-- (baseline)",
                      bench_refcount_plain_incdec);
    bench_report_pair("refcount non-owner Py_INCREF+Py_DECREF",
                      bench_refcount_non_owner,
                      "refcount atomic add/sub (what every incref would "
                      "cost without biasing)",
                      bench_refcount_atomic_incdec);
}

/* ------------------------------------------------------------------ */

static void *
bench_noop_thread(void *Py_UNUSED(arg))
{
    return NULL;
}

/* Creates and joins one thread: glibc then uses its multi-threaded
   (atomic) paths for the rest of the run, as a threaded runtime would. */
static void
bench_make_multithreaded(void)
{
    pthread_t t;
    if (pthread_create(&t, NULL, bench_noop_thread, NULL) != 0) {
        fprintf(stderr, "runtime_micro: pthread_create failed\n");
        exit(1);
    }
    pthread_join(t, NULL);
}

int
main(void)
{
    bench_mutex_never_threaded();
    bench_make_multithreaded();
    bench_mutex_section();
    bench_pymem_section();
    bench_obmalloc_section();
    bench_refcount_section();
    return 0;
}
