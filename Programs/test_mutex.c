/* PyMutex, timed locking, PyEvent, _PyRawMutex and _PyRecursiveMutex
 * (Python/lock.c) under real thread contention.
 *
 * Most threads here are plain pthreads with no thread state: the locks
 * must work without one.  The last section runs threads that hold thread
 * states (PyGILState_Ensure after _PyRuntime_InitCore) and checks that a
 * thread parked in PyMutex_Lock is detached, so a stop-the-world is not
 * held up by it, and that it does not return while the world is stopped.
 *
 * Invariants checked, each exactly:
 *   - 8 threads x 1,000,000 PyMutex-guarded increments total 8,000,000;
 *   - a timed lock on a held mutex fails, no sooner than its timeout, and
 *     leaves the mutex fully unlocked once the holder lets go;
 *   - timed lockers racing (timeouts up to 2 ms, around the 1 ms
 *     hand-off): increments == successes;
 *   - fairness: 8 threads contending for 2 s all acquire the lock
 *     (the maximum wait is printed, not checked);
 *   - PyEvent: notify wakes every waiter; WaitTimed times out unset;
 *   - 8 threads x 500,000 _PyRawMutex-guarded increments total 4,000,000;
 *   - _PyRecursiveMutex nests, a non-owner cannot unlock or take it, and
 *     4 threads x 100,000 nested increments are exact;
 *   - with thread states: 8 x 200,000 increments exact; a parked locker
 *     is detached, stop-the-world completes, and the locker stays blocked
 *     until the world restarts. */
#include "testutil.h"
#include "pycore_lock.h"

#include <time.h>
#include <unistd.h>

#define MS ((PyTime_t)1000000)

/* Sleeps at least `ns`, resuming after interruptions. */
static void
sleep_ns(PyTime_t ns)
{
    struct timespec ts = { (time_t)(ns / 1000000000), (long)(ns % 1000000000) };
    while (nanosleep(&ts, &ts) != 0) {
    }
}

/* The mutex byte itself: tests may check it is back to exactly 0. */
static uint8_t
mutex_bits(PyMutex *m)
{
    return _Py_atomic_load_uint8(&m->_bits);
}

/* ------------------------------------------------------------ counter */

#define COUNTER_THREADS 8
#define COUNTER_ITERS 1000000

static struct {
    PyMutex mutex;
    long counter;       /* plain: only touched under the mutex */
} shared;

static void *
counter_main(void *Py_UNUSED(arg))
{
    for (int i = 0; i < COUNTER_ITERS; i++) {
        PyMutex_Lock(&shared.mutex);
        shared.counter++;
        PyMutex_Unlock(&shared.mutex);
    }
    return NULL;
}

/* Mutual exclusion: no increment is lost. */
static void
test_counter(void)
{
    pthread_t t[COUNTER_THREADS];
    double t0 = test_seconds();
    test_start_threads(t, COUNTER_THREADS, counter_main, NULL, 0);
    test_join_threads(t, COUNTER_THREADS);
    CHECK(shared.counter == (long)COUNTER_THREADS * COUNTER_ITERS);
    CHECK(mutex_bits(&shared.mutex) == 0);
    printf("counter: %d threads x %d PyMutex increments = %ld (%.2f s)\n",
           COUNTER_THREADS, COUNTER_ITERS, shared.counter,
           test_seconds() - t0);
}

/* --------------------------------------------------------- timed lock */

struct timed_try {
    PyMutex *mutex;
    PyTime_t timeout;
    int flags;
    PyLockStatus status;
    PyTime_t elapsed;
};

static void *
timed_try_main(void *arg)
{
    struct timed_try *tt = (struct timed_try *)arg;
    PyTime_t t0 = _PyTime_MonotonicNs();
    tt->status = _PyMutex_LockTimed(tt->mutex, tt->timeout, tt->flags);
    tt->elapsed = _PyTime_MonotonicNs() - t0;
    if (tt->status == PY_LOCK_ACQUIRED) {
        PyMutex_Unlock(tt->mutex);
    }
    return NULL;
}

/* Runs one timed attempt on another thread and waits for it. */
static struct timed_try
timed_try(PyMutex *m, PyTime_t timeout, int flags, PyTime_t release_after)
{
    struct timed_try tt = { m, timeout, flags, PY_LOCK_INTR, 0 };
    pthread_t t;
    test_start_threads(&t, 1, timed_try_main, &tt, 0);
    if (release_after >= 0) {
        sleep_ns(release_after);
        PyMutex_Unlock(m);
    }
    test_join_threads(&t, 1);
    return tt;
}

/* A held mutex: the attempt fails after at least its timeout (try-once
   immediately); a mutex released during the wait is acquired. */
static void
test_timed_lock(void)
{
    static PyMutex m;
    CHECK(_PyMutex_LockTimed(&m, 0, _Py_LOCK_DONT_DETACH) == PY_LOCK_ACQUIRED);
    CHECK(_PyMutex_LockTimed(&m, 0, _PY_LOCK_DETACH) == PY_LOCK_FAILURE);
    CHECK(!_PyMutex_TryLock(&m));

    struct timed_try tt = timed_try(&m, 50 * MS, _Py_LOCK_DONT_DETACH, -1);
    CHECK(tt.status == PY_LOCK_FAILURE);
    CHECK(tt.elapsed >= 50 * MS);
    PyTime_t failed_after = tt.elapsed;

    tt = timed_try(&m, 30 * MS, _PY_LOCK_DETACH, -1);
    CHECK(tt.status == PY_LOCK_FAILURE);
    CHECK(tt.elapsed >= 30 * MS);

    tt = timed_try(&m, 0, _Py_LOCK_DONT_DETACH, -1);
    CHECK(tt.status == PY_LOCK_FAILURE);

    /* The timed-out waiters may have left HAS_PARKED behind: unlocking
       must still leave the byte at exactly 0. */
    PyMutex_Unlock(&m);
    CHECK(mutex_bits(&m) == 0);
    CHECK(_PyMutex_TryUnlock(&m) == -1);

    PyMutex_Lock(&m);
    tt = timed_try(&m, 10000 * MS, _PY_LOCK_DETACH, 20 * MS);
    CHECK(tt.status == PY_LOCK_ACQUIRED);
    CHECK(tt.elapsed < 10000 * MS);
    CHECK(mutex_bits(&m) == 0);
    printf("timed-lock: 50 ms attempt on a held mutex failed after %.1f ms; "
           "acquired when released mid-wait\n", (double)failed_after / MS);
}

#define RACE_THREADS 4
#define RACE_TRIES 10000
#define RACE_HOLD_NS (20 * 1000)

static struct {
    PyMutex mutex;
    long counter;            /* under the mutex */
    int64_t successes;
    int64_t failures;
} race;

/* Holds the lock long enough that waiters park, so that timeouts (up to
   2 ms) and hand-offs (after 1 ms) both happen. */
static void
race_critical_section(void)
{
    race.counter++;
    PyTime_t t0 = _PyTime_MonotonicNs();
    while (_PyTime_MonotonicNs() - t0 < RACE_HOLD_NS) {
    }
}

static void *
timed_race_main(void *Py_UNUSED(arg))
{
    unsigned int seed = (unsigned int)(uintptr_t)&seed;
    for (int i = 0; i < RACE_TRIES; i++) {
        PyTime_t timeout = (PyTime_t)(rand_r(&seed) % 2000) * 1000;
        if (_PyMutex_LockTimed(&race.mutex, timeout, _PY_LOCK_DETACH) ==
            PY_LOCK_ACQUIRED) {
            race_critical_section();
            PyMutex_Unlock(&race.mutex);
            _Py_atomic_add_int64(&race.successes, 1);
        }
        else {
            _Py_atomic_add_int64(&race.failures, 1);
        }
    }
    return NULL;
}

/* Lockers whose timeouts expire while they are being handed the lock:
   a success is always a real acquisition, never two at once, and a
   timed-out waiter never leaves the mutex marked locked. */
static void
test_timed_race(void)
{
    pthread_t t[RACE_THREADS];
    test_start_threads(t, RACE_THREADS, timed_race_main, NULL, 0);
    test_join_threads(t, RACE_THREADS);
    int64_t ok = _Py_atomic_load_int64(&race.successes);
    int64_t failed = _Py_atomic_load_int64(&race.failures);
    CHECK(ok + failed == (int64_t)RACE_THREADS * RACE_TRIES);
    CHECK(race.counter == ok);
    CHECK(mutex_bits(&race.mutex) == 0);
    printf("timed-race: %lld acquisitions == %ld increments, %lld timeouts\n",
           (long long)ok, race.counter, (long long)failed);
}

/* ------------------------------------------------------------ fairness */

#define FAIR_THREADS 8
#define FAIR_RUN_NS (2000 * MS)

struct fair_thread {
    int64_t acquisitions;
    PyTime_t max_wait;
};

static struct {
    PyMutex mutex;
    int stop;
    long counter;             /* under the mutex */
    volatile long work;       /* under the mutex: keeps the section busy */
} fair;

/* Holds the lock for a little while, like real code would. */
static void
fair_critical_section(void)
{
    fair.counter++;
    for (int i = 0; i < 200; i++) {
        fair.work++;
    }
}

static void *
fair_main(void *arg)
{
    struct fair_thread *ft = (struct fair_thread *)arg;
    while (!_Py_atomic_load_int(&fair.stop)) {
        PyTime_t t0 = _PyTime_MonotonicNs();
        PyMutex_Lock(&fair.mutex);
        PyTime_t waited = _PyTime_MonotonicNs() - t0;
        fair_critical_section();
        PyMutex_Unlock(&fair.mutex);
        ft->acquisitions++;
        if (waited > ft->max_wait) {
            ft->max_wait = waited;
        }
    }
    return NULL;
}

/* No waiter starves: with the hand-off after ~1 ms every thread gets the
   lock during the run.  The worst wait is reported for the record. */
static void
test_fairness(void)
{
    pthread_t t[FAIR_THREADS];
    struct fair_thread ft[FAIR_THREADS] = { { 0, 0 } };
    test_start_threads(t, FAIR_THREADS, fair_main, ft, sizeof(ft[0]));
    sleep_ns(FAIR_RUN_NS);
    _Py_atomic_store_int(&fair.stop, 1);
    test_join_threads(t, FAIR_THREADS);

    int64_t total = 0, least = INT64_MAX;
    PyTime_t worst = 0;
    for (int i = 0; i < FAIR_THREADS; i++) {
        CHECK(ft[i].acquisitions >= 1);
        total += ft[i].acquisitions;
        least = Py_MIN(least, ft[i].acquisitions);
        worst = Py_MAX(worst, ft[i].max_wait);
    }
    CHECK(total == fair.counter);
    CHECK(mutex_bits(&fair.mutex) == 0);
    printf("fairness: %d threads, 2 s: every thread acquired (fewest %lld, "
           "total %lld); max wait %.2f ms\n", FAIR_THREADS,
           (long long)least, (long long)total, (double)worst / MS);
}

/* -------------------------------------------------------------- PyEvent */

#define EVENT_WAITERS 4

static struct {
    PyEvent evt;
    int woken;
} event;

/* Waits, with or without a timeout, and counts itself as woken. */
static void
event_wait_and_count(int timed)
{
    if (timed) {
        CHECK(PyEvent_WaitTimed(&event.evt, 10000 * MS, 1) == 1);
    }
    else {
        PyEvent_Wait(&event.evt);
    }
    CHECK(_PyEvent_IsSet(&event.evt));
    _Py_atomic_add_int(&event.woken, 1);
}

static void *
event_waiter_plain(void *Py_UNUSED(arg))
{
    event_wait_and_count(0);
    return NULL;
}

static void *
event_waiter_timed(void *Py_UNUSED(arg))
{
    event_wait_and_count(1);
    return NULL;
}

/* A one-shot event: unset waits time out; one notify releases every
   waiter, timed or not, and later waits return at once. */
static void
test_event(void)
{
    PyEvent unset = { 0 };
    PyTime_t t0 = _PyTime_MonotonicNs();
    CHECK(PyEvent_WaitTimed(&unset, 30 * MS, 0) == 0);
    PyTime_t elapsed = _PyTime_MonotonicNs() - t0;
    CHECK(elapsed >= 30 * MS);
    CHECK(PyEvent_WaitTimed(&unset, 0, 1) == 0);
    CHECK(!_PyEvent_IsSet(&unset));

    pthread_t t[EVENT_WAITERS];
    test_start_threads(t, EVENT_WAITERS / 2, event_waiter_plain, NULL, 0);
    test_start_threads(t + EVENT_WAITERS / 2, EVENT_WAITERS / 2,
                       event_waiter_timed, NULL, 0);
    sleep_ns(20 * MS);
    CHECK(_Py_atomic_load_int(&event.woken) == 0);
    _PyEvent_Notify(&event.evt);
    test_join_threads(t, EVENT_WAITERS);
    CHECK(_Py_atomic_load_int(&event.woken) == EVENT_WAITERS);

    _PyEvent_Notify(&event.evt);
    CHECK(PyEvent_WaitTimed(&event.evt, 0, 0) == 1);
    PyEvent_Wait(&event.evt);
    printf("event: WaitTimed on an unset event returned 0 after %.1f ms; "
           "notify woke all %d waiters\n", (double)elapsed / MS,
           EVENT_WAITERS);
}

/* ---------------------------------------------------------- _PyRawMutex */

#define RAW_THREADS 8
#define RAW_ITERS 500000

static struct {
    _PyRawMutex mutex;
    long counter;             /* under the mutex */
} raw;

static void *
raw_main(void *Py_UNUSED(arg))
{
    for (int i = 0; i < RAW_ITERS; i++) {
        _PyRawMutex_Lock(&raw.mutex);
        raw.counter++;
        _PyRawMutex_Unlock(&raw.mutex);
    }
    return NULL;
}

static void
test_raw_mutex(void)
{
    pthread_t t[RAW_THREADS];
    test_start_threads(t, RAW_THREADS, raw_main, NULL, 0);
    test_join_threads(t, RAW_THREADS);
    CHECK(raw.counter == (long)RAW_THREADS * RAW_ITERS);
    CHECK(_Py_atomic_load_uintptr(&raw.mutex.v) == 0);
    printf("raw-mutex: %d threads x %d increments = %ld\n", RAW_THREADS,
           RAW_ITERS, raw.counter);
}

/* ---------------------------------------------------- _PyRecursiveMutex */

#define REC_THREADS 4
#define REC_ITERS 100000

static struct {
    _PyRecursiveMutex rmutex;
    long counter;             /* under the mutex */
} rec;

/* Another thread's view of a recursive mutex the main thread holds. */
static void *
rec_outsider_main(void *Py_UNUSED(arg))
{
    CHECK(!_PyRecursiveMutex_IsLockedByCurrentThread(&rec.rmutex));
    CHECK(_PyRecursiveMutex_TryUnlock(&rec.rmutex) == -1);
    CHECK(_PyRecursiveMutex_LockTimed(&rec.rmutex, 0, _Py_LOCK_DONT_DETACH)
          == PY_LOCK_FAILURE);
    CHECK(_PyRecursiveMutex_LockTimed(&rec.rmutex, 10 * MS, _PY_LOCK_DETACH)
          == PY_LOCK_FAILURE);
    return NULL;
}

static void *
rec_counter_main(void *Py_UNUSED(arg))
{
    for (int i = 0; i < REC_ITERS; i++) {
        _PyRecursiveMutex_Lock(&rec.rmutex);
        _PyRecursiveMutex_Lock(&rec.rmutex);
        rec.counter++;
        _PyRecursiveMutex_Unlock(&rec.rmutex);
        CHECK(_PyRecursiveMutex_IsLockedByCurrentThread(&rec.rmutex));
        _PyRecursiveMutex_Unlock(&rec.rmutex);
    }
    return NULL;
}

static void
test_recursive_mutex(void)
{
    _PyRecursiveMutex *m = &rec.rmutex;
    CHECK(!_PyRecursiveMutex_IsLockedByCurrentThread(m));
    CHECK(_PyRecursiveMutex_TryUnlock(m) == -1);
    _PyRecursiveMutex_Lock(m);
    CHECK(_PyRecursiveMutex_LockTimed(m, 0, _Py_LOCK_DONT_DETACH) ==
          PY_LOCK_ACQUIRED);
    _PyRecursiveMutex_Lock(m);
    CHECK(_PyRecursiveMutex_IsLockedByCurrentThread(m));
    CHECK(m->level == 2);

    pthread_t t;
    test_start_threads(&t, 1, rec_outsider_main, NULL, 0);
    test_join_threads(&t, 1);

    CHECK(_PyRecursiveMutex_TryUnlock(m) == 0);
    _PyRecursiveMutex_Unlock(m);
    CHECK(PyMutex_IsLocked(&m->mutex));
    _PyRecursiveMutex_Unlock(m);
    CHECK(!PyMutex_IsLocked(&m->mutex));
    CHECK(!_PyRecursiveMutex_IsLockedByCurrentThread(m));
    CHECK(_PyRecursiveMutex_TryUnlock(m) == -1);

    pthread_t ts[REC_THREADS];
    test_start_threads(ts, REC_THREADS, rec_counter_main, NULL, 0);
    test_join_threads(ts, REC_THREADS);
    CHECK(rec.counter == (long)REC_THREADS * REC_ITERS);
    CHECK(mutex_bits(&m->mutex) == 0);
    printf("recursive-mutex: nests 3 deep, non-owner TryUnlock fails; "
           "%d threads x %d nested increments = %ld\n", REC_THREADS,
           REC_ITERS, rec.counter);
}

/* -------------------------------------------------------- thread states */

#define TS_THREADS 8
#define TS_ITERS 200000

/* Attached threads locking: each comes back from PyMutex_Lock attached
   with its own thread state current, whether or not it had to park. */
static void *
ts_counter_main(void *Py_UNUSED(arg))
{
    PyGILState_STATE g = PyGILState_Ensure();
    PyThreadState *me = _PyThreadState_GET();
    CHECK(me != NULL);
    for (int i = 0; i < TS_ITERS; i++) {
        PyMutex_Lock(&shared.mutex);
        shared.counter++;
        PyMutex_Unlock(&shared.mutex);
    }
    CHECK(_PyThreadState_GET() == me);
    CHECK(_Py_atomic_load_int(&((_PyThreadStateImpl *)me)->state) ==
          _Py_THREAD_ATTACHED);
    PyGILState_Release(g);
    return NULL;
}

static struct {
    PyMutex held;
    PyThreadState *locker;    /* published by the locker thread */
    int got_lock;
} stw;

static void *
stw_locker_main(void *Py_UNUSED(arg))
{
    PyGILState_STATE g = PyGILState_Ensure();
    _Py_atomic_store_ptr(&stw.locker, _PyThreadState_GET());
    PyMutex_Lock(&stw.held);
    _Py_atomic_store_int(&stw.got_lock, 1);
    PyMutex_Unlock(&stw.held);
    PyGILState_Release(g);
    return NULL;
}

/* The main thread holds `held`; a locker parks on it.  Parked, it must be
   detached, so stopping the world completes; woken while the world is
   stopped (the main thread unlocks), it must not run until the restart. */
static void
test_stop_the_world_while_parked(void)
{
    PyMutex_Lock(&stw.held);
    pthread_t t;
    test_start_threads(&t, 1, stw_locker_main, NULL, 0);

    _PyThreadStateImpl *locker = NULL;
    for (;;) {
        locker = _Py_atomic_load_ptr(&stw.locker);
        if (locker != NULL &&
            (mutex_bits(&stw.held) & _Py_HAS_PARKED) != 0 &&
            _Py_atomic_load_int(&locker->state) == _Py_THREAD_DETACHED) {
            break;
        }
        sleep_ns(MS);
    }

    PyInterpreterState *interp = _PyInterpreterState_GET();
    _PyEval_StopTheWorld(interp);
    CHECK(_Py_atomic_load_int(&locker->state) == _Py_THREAD_SUSPENDED);
    PyMutex_Unlock(&stw.held);
    sleep_ns(20 * MS);
    CHECK(_Py_atomic_load_int(&stw.got_lock) == 0);
    _PyEval_StartTheWorld(interp);

    Py_BEGIN_ALLOW_THREADS
    test_join_threads(&t, 1);
    Py_END_ALLOW_THREADS
    CHECK(_Py_atomic_load_int(&stw.got_lock) == 1);
    CHECK(mutex_bits(&stw.held) == 0);
}

static void
test_with_thread_states(void)
{
    PyThreadState *main_ts = _PyRuntime_InitCore();
    CHECK(main_ts != NULL);

    shared.counter = 0;
    pthread_t t[TS_THREADS];
    Py_BEGIN_ALLOW_THREADS
    test_start_threads(t, TS_THREADS, ts_counter_main, NULL, 0);
    test_join_threads(t, TS_THREADS);
    Py_END_ALLOW_THREADS
    CHECK(shared.counter == (long)TS_THREADS * TS_ITERS);

    test_stop_the_world_while_parked();
    _PyRuntime_FiniCore();
    printf("thread-states: %d attached threads x %d increments = %ld; "
           "a parked locker is detached, stop-the-world completed, and it "
           "stayed blocked until the restart\n", TS_THREADS, TS_ITERS,
           shared.counter);
}

int
main(void)
{
    /* A deadlock must fail the test, not hang it. */
    alarm(300);
    test_counter();
    test_timed_lock();
    test_timed_race();
    test_fairness();
    test_event();
    test_raw_mutex();
    test_recursive_mutex();
    test_with_thread_states();
    printf("test_mutex: all checks passed\n");
    return 0;
}
