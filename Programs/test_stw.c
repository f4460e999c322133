/* Stop-the-world (issue 3).
 *
 * 8 attached threads spin, bumping their own counter and checking the eval
 * breaker; two more threads keep detaching and re-attaching.  The main
 * thread stops and restarts the world 1,000 times.  Invariant checked:
 * while the world is stopped no thread advances its counter and every
 * other thread state is SUSPENDED; every thread makes progress overall. */
#include "testutil.h"
#include "pycore_lock.h"

#define NSPIN 8
#define NFLIP 2
#define NTOTAL (NSPIN + NFLIP)
#define CYCLES 1000

static uint64_t counters[NTOTAL];
static int stop_flag;

static void *
spinner(void *arg)
{
    int i = (int)(intptr_t)arg;
    PyGILState_STATE g = PyGILState_Ensure();
    PyThreadState *ts = PyThreadState_Get();
    while (!_Py_atomic_load_int_relaxed(&stop_flag)) {
        _Py_atomic_store_uint64_relaxed(
            &counters[i], _Py_atomic_load_uint64_relaxed(&counters[i]) + 1);
        _PyEval_CheckBreaker(ts);
    }
    PyGILState_Release(g);
    return NULL;
}

static void *
flipper(void *arg)
{
    int i = (int)(intptr_t)arg;
    PyGILState_STATE g = PyGILState_Ensure();
    PyThreadState *ts = PyThreadState_Get();
    while (!_Py_atomic_load_int_relaxed(&stop_flag)) {
        _Py_atomic_store_uint64_relaxed(
            &counters[i], _Py_atomic_load_uint64_relaxed(&counters[i]) + 1);
        Py_BEGIN_ALLOW_THREADS
        for (volatile int k = 0; k < 100; k++) {
        }
        Py_END_ALLOW_THREADS
        _PyEval_CheckBreaker(ts);
    }
    PyGILState_Release(g);
    return NULL;
}

/* Threads that keep creating, attaching and deleting thread states while
   the world stops and starts: the requester's walks of the thread list must
   never see a half-made or freed thread state. */
static int churn_stop;
static int64_t churn_rounds;

static void *
churner(void *arg)
{
    while (!_Py_atomic_load_int(&churn_stop)) {
        PyGILState_STATE g = PyGILState_Ensure();
        PyGILState_Release(g);
        _Py_atomic_add_int64(&churn_rounds, 1);
    }
    return NULL;
}

static void
test_churn(PyInterpreterState *interp)
{
    pthread_t t[4];
    test_start_threads(t, 4, churner, NULL, 0);
    for (int i = 0; i < 2000; i++) {
        _PyEval_StopTheWorld(interp);
        _PyEval_StartTheWorld(interp);
    }
    _Py_atomic_store_int(&churn_stop, 1);
    Py_BEGIN_ALLOW_THREADS
    test_join_threads(t, 4);
    Py_END_ALLOW_THREADS
    printf("stop-the-world with 4 threads creating and deleting thread "
           "states: 2000 cycles, %ld thread states made\n",
           (long)churn_rounds);
}

int
main(void)
{
    PyThreadState *tstate = _PyRuntime_InitCore();
    CHECK(tstate != NULL);
    PyInterpreterState *interp = tstate->interp;
    pthread_t t[NTOTAL];
    for (int i = 0; i < NTOTAL; i++) {
        CHECK(pthread_create(&t[i], NULL, i < NSPIN ? spinner : flipper,
                             (void *)(intptr_t)i) == 0);
    }
    uint64_t snap[NTOTAL], start[NTOTAL];
    for (int i = 0; i < NTOTAL; i++) {
        start[i] = _Py_atomic_load_uint64(&counters[i]);
    }
    double t0 = test_seconds();
    int stopped_threads_seen = 0;
    for (int c = 0; c < CYCLES; c++) {
        _PyEval_StopTheWorld(interp);
        for (int i = 0; i < NTOTAL; i++) {
            snap[i] = _Py_atomic_load_uint64(&counters[i]);
        }
        int n = 0;
        _Py_FOR_EACH_TSTATE(interp, ts) {
            if (&ts->base != tstate) {
                CHECK(_Py_atomic_load_int(&ts->state) == _Py_THREAD_SUSPENDED);
                n++;
            }
        }
        if (n > stopped_threads_seen) {
            stopped_threads_seen = n;
        }
        for (volatile int k = 0; k < 20000; k++) {
        }
        for (int i = 0; i < NTOTAL; i++) {
            CHECK(_Py_atomic_load_uint64(&counters[i]) == snap[i]);
        }
        _PyEval_StartTheWorld(interp);
        /* Let them run a little between stops. */
        Py_BEGIN_ALLOW_THREADS
        for (volatile int k = 0; k < 20000; k++) {
        }
        Py_END_ALLOW_THREADS
    }
    double dt = test_seconds() - t0;
    _Py_atomic_store_int(&stop_flag, 1);
    Py_BEGIN_ALLOW_THREADS
    test_join_threads(t, NTOTAL);
    Py_END_ALLOW_THREADS
    for (int i = 0; i < NTOTAL; i++) {
        CHECK(counters[i] > start[i]);
    }
    printf("stop-the-world: %d stop/start cycles with up to %d other "
           "threads (%d spinning, %d detaching), no counter moved while "
           "stopped; %.1f us per cycle\n", CYCLES, stopped_threads_seen,
           NSPIN, NFLIP, dt / CYCLES * 1e6);
    test_churn(interp);
    _PyRuntime_FiniCore();
    printf("test_stw: ok\n");
    return 0;
}
