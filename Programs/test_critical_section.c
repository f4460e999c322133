/* Critical sections cannot deadlock (issue 3).
 *
 * Threads take (A,B) and (B,A) two-object sections, nest single sections
 * A-then-B and B-then-A, and sometimes block on a third lock C inside a
 * section (which suspends the held sections).  Invariant checked: no
 * deadlock within the time bound, and counters changed only under their
 * object's lock add up exactly. */
#include "testutil.h"
#include "pycore_critical_section.h"
#include "pycore_lock.h"

#define RUN_SECONDS 2.0

static PyObject obj_a = { .ob_ref_local = _Py_IMMORTAL_REFCNT_LOCAL };
static PyObject obj_b = { .ob_ref_local = _Py_IMMORTAL_REFCNT_LOCAL };
static PyMutex lock_c;
static long counter_a, counter_b;   /* guarded by obj_a / obj_b */
static double deadline;

typedef struct {
    int kind;
    long incr_a, incr_b;
    long blocked_on_c;
} Worker;

static void
maybe_block_on_c(Worker *w, unsigned *seed)
{
    if (rand_r(seed) % 64 == 0) {
        PyMutex_Lock(&lock_c);       /* may park: sections are suspended */
        w->blocked_on_c++;
        PyMutex_Unlock(&lock_c);
    }
}

static void *
worker(void *arg)
{
    Worker *w = arg;
    unsigned seed = (unsigned)(uintptr_t)arg;
    PyGILState_STATE g = PyGILState_Ensure();
    while (test_seconds() < deadline) {
        switch (w->kind) {
        case 0:
            Py_BEGIN_CRITICAL_SECTION2(&obj_a, &obj_b);
            counter_a++; counter_b++;
            w->incr_a++; w->incr_b++;
            maybe_block_on_c(w, &seed);
            Py_END_CRITICAL_SECTION2();
            break;
        case 1:
            Py_BEGIN_CRITICAL_SECTION2(&obj_b, &obj_a);
            counter_b++; counter_a++;
            w->incr_a++; w->incr_b++;
            Py_END_CRITICAL_SECTION2();
            break;
        case 2:
            Py_BEGIN_CRITICAL_SECTION(&obj_a);
            counter_a++;
            w->incr_a++;
            Py_BEGIN_CRITICAL_SECTION(&obj_b);
            counter_b++;
            w->incr_b++;
            maybe_block_on_c(w, &seed);
            Py_END_CRITICAL_SECTION();
            /* The inner section may have suspended ours: A is held again
               here, so this increment is still under A. */
            counter_a++;
            w->incr_a++;
            Py_END_CRITICAL_SECTION();
            break;
        case 3:
            Py_BEGIN_CRITICAL_SECTION(&obj_b);
            counter_b++;
            w->incr_b++;
            Py_BEGIN_CRITICAL_SECTION(&obj_a);
            counter_a++;
            w->incr_a++;
            Py_END_CRITICAL_SECTION();
            Py_END_CRITICAL_SECTION();
            break;
        case 4:
            /* Holds C for a while so others block on it. */
            PyMutex_Lock(&lock_c);
            for (volatile int i = 0; i < 2000; i++) {
            }
            PyMutex_Unlock(&lock_c);
            break;
        }
    }
    PyGILState_Release(g);
    return NULL;
}

int
main(void)
{
    PyThreadState *tstate = _PyRuntime_InitCore();
    CHECK(tstate != NULL);
    Worker w[10];
    memset(w, 0, sizeof(w));
    for (int i = 0; i < 10; i++) {
        w[i].kind = i % 5;
    }
    deadline = test_seconds() + RUN_SECONDS;
    pthread_t t[10];
    test_start_threads(t, 10, worker, w, sizeof(Worker));
    Py_BEGIN_ALLOW_THREADS
    test_join_threads(t, 10);
    Py_END_ALLOW_THREADS
    long want_a = 0, want_b = 0, blocked = 0;
    for (int i = 0; i < 10; i++) {
        want_a += w[i].incr_a;
        want_b += w[i].incr_b;
        blocked += w[i].blocked_on_c;
    }
    printf("critical sections: A=%ld (expected %ld), B=%ld (expected %ld), "
           "%ld blocks on a third lock inside sections, no deadlock in "
           "%.0f s\n", counter_a, want_a, counter_b, want_b, blocked,
           RUN_SECONDS);
    CHECK(counter_a == want_a);
    CHECK(counter_b == want_b);
    CHECK(want_a > 0 && want_b > 0);
    _PyRuntime_FiniCore();
    printf("test_critical_section: ok\n");
    return 0;
}
