/* Locks: PyMutex slow paths, timed locking, PyEvent, _PyRawMutex and
 * _PyRecursiveMutex (Include/lock.h, Include/internal/pycore_lock.h).
 *
 * PyMutex is one byte: _Py_LOCKED (value 1) and _Py_HAS_PARKED (value 2:
 * some thread may be parked on the byte).  The inline fast paths are one
 * CAS each.  A thread that finds the mutex locked spins briefly (only on a
 * multi-core machine), then sets HAS_PARKED and parks on the byte in the
 * parking lot.  While the byte reads LOCKED|HAS_PARKED nobody but the
 * owner's unlock writes it (lockers only CAS a byte without LOCKED, and
 * HAS_PARKED is already set), so the unlock callback, which runs under
 * the bucket lock, can store the new state outright.
 *
 * Fairness: unlocking wakes the oldest waiter.  If it has been trying to
 * take the lock for over FAIRNESS_NS, the lock passes to it directly (the
 * byte stays LOCKED and the waiter returns owning it); otherwise the byte
 * is cleared and the waiter competes with running threads, which is much
 * faster under contention but could starve it.  The hand-off bounds that.
 *
 * _PyRawMutex cannot use the parking lot (the parking lot's buckets are
 * raw mutexes), so it is a plain futex lock: 0 unlocked, 1 locked, 2
 * locked with sleepers.  Its values only use the low bits, and the futex
 * word is the 32-bit half of the word that holds them. */
#define _GNU_SOURCE     /* sched_getaffinity() */
#include "Python.h"
#include "pycore_lock.h"
#include "pycore_parking_lot.h"
#include "pycore_time.h"

#ifndef __linux__
#  error "_PyRawMutex sleeps on Linux futexes"
#endif

#include <linux/futex.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

/* A waiter that has tried for this long gets the lock handed over. */
#define FAIRNESS_NS ((PyTime_t)1000000)

/* Spin iterations before parking; each is one _Py_cpu_relax() plus a load.
   Long enough to ride out a short critical section on another core, short
   compared with a park/unpark round trip. */
#define MAX_SPIN 128

/* How many CPUs this process may run on (its affinity mask, else all
   online CPUs).  Spinning with only one only keeps the owner from running. */
static int
count_usable_cpus(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof(set), &set) == 0) {
        return CPU_COUNT(&set);
    }
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    return online > 0 ? (int)online : 1;
}

/* count_usable_cpus(), computed once. */
static int
cpu_count(void)
{
    /* Mutable static: written racily by first callers, but every writer
       stores the same value, so relaxed accesses are enough. */
    static int ncpu;
    int n = _Py_atomic_load_int_relaxed(&ncpu);
    if (n == 0) {
        n = Py_MAX(count_usable_cpus(), 1);
        _Py_atomic_store_int_relaxed(&ncpu, n);
    }
    return n;
}

/* ---------------------------------------------------------------- PyMutex */

/* What a parked PyMutex waiter tells the unlocker.  Written by the unpark
   callback under the bucket lock, read by the waiter after its wake-up
   (the parking lot's post orders the two). */
struct mutex_waiter {
    PyTime_t fair_deadline;   /* hand the lock over after this time */
    int handed_off;
};

/* Runs under the bucket lock with the mutex still LOCKED|HAS_PARKED: hands
   the lock to a waiter that has waited long enough, else releases it, and
   keeps HAS_PARKED exactly when more waiters remain. */
static void
mutex_unpark_cb(void *arg, void *park_arg, int has_more_waiters)
{
    PyMutex *m = (PyMutex *)arg;
    struct mutex_waiter *w = (struct mutex_waiter *)park_arg;
    uint8_t v = _Py_UNLOCKED;
    if (w != NULL && _PyTime_MonotonicNs() >= w->fair_deadline) {
        w->handed_off = 1;
        v = _Py_LOCKED;
    }
    if (has_more_waiters) {
        v |= _Py_HAS_PARKED;
    }
    _Py_atomic_store_uint8(&m->_bits, v);
}

/* The time left until `deadline`, as a park timeout (-1 for none). */
static PyTime_t
remaining_ns(PyTime_t deadline)
{
    if (deadline < 0) {
        return -1;
    }
    PyTime_t left = deadline - _PyTime_MonotonicNs();
    return left > 0 ? left : 0;
}

/* Spins while the mutex is locked and nobody has parked yet, up to
   MAX_SPIN times; returns the last value seen. */
static uint8_t
mutex_spin(PyMutex *m, uint8_t v)
{
    if (cpu_count() <= 1) {
        return v;
    }
    for (int i = 0; i < MAX_SPIN && v == _Py_LOCKED; i++) {
        _Py_cpu_relax();
        /* Relaxed: only a hint; the CAS that takes the lock is seq_cst. */
        v = _Py_atomic_load_uint8_relaxed(&m->_bits);
    }
    return v;
}

/* mutex_park()'s answer when the caller should look at the byte again. */
#define MUTEX_RETRY (-1)

/* mutex_park()'s answer when a signal interrupted the wait. */
#define MUTEX_INTR (-2)

/* Announces a waiter (HAS_PARKED) on the locked mutex whose byte read `v`
   and parks until the unlocker wakes us.  Returns PY_LOCK_ACQUIRED when
   the lock was handed over, PY_LOCK_FAILURE at the deadline, MUTEX_INTR
   when a signal arrived (park_flags has _Py_PARK_INTERRUPTIBLE),
   MUTEX_RETRY otherwise (woken to compete, or the byte changed before we
   slept). */
static int
mutex_park(PyMutex *m, uint8_t v, PyTime_t deadline, struct mutex_waiter *w,
           int park_flags)
{
    if ((v & _Py_HAS_PARKED) == 0) {
        if (!_Py_atomic_compare_exchange_uint8(&m->_bits, &v,
                                               v | _Py_HAS_PARKED)) {
            return MUTEX_RETRY;
        }
        v |= _Py_HAS_PARKED;
    }
    PyTime_t wait = remaining_ns(deadline);
    if (wait == 0) {
        return PY_LOCK_FAILURE;
    }
    int ret = _PyParkingLot_Park(&m->_bits, &v, sizeof(v), wait, w,
                                 park_flags);
    if (ret == Py_PARK_OK && w->handed_off) {
        return PY_LOCK_ACQUIRED;
    }
    if (ret == Py_PARK_INTR) {
        return MUTEX_INTR;
    }
    if (ret == Py_PARK_TIMEOUT) {
        /* A stale HAS_PARKED may stay set; the next unlock clears it. */
        return PY_LOCK_FAILURE;
    }
    return MUTEX_RETRY;
}

/* The contended path of every PyMutex lock: take the lock whenever it is
   seen free, spin once, then park until woken to compete (and look again)
   or handed the lock.  The fairness clock starts here, at the first miss.
   With _PY_LOCK_HANDLE_SIGNALS, a signal arriving while the main thread
   waits runs its Python handler (PyErr_CheckSignals); if the handler
   raises, the wait fails with PY_LOCK_INTR and the exception set. */
PyLockStatus
_PyMutex_LockTimed(PyMutex *m, PyTime_t timeout_ns, _PyLockFlags flags)
{
    /* Relaxed: the value only picks the CAS to try, and the CAS checks. */
    uint8_t v = _Py_atomic_load_uint8_relaxed(&m->_bits);
    if ((v & _Py_LOCKED) == 0 &&
        _Py_atomic_compare_exchange_uint8(&m->_bits, &v, v | _Py_LOCKED)) {
        return PY_LOCK_ACQUIRED;
    }
    if (timeout_ns == 0) {
        return PY_LOCK_FAILURE;
    }

    PyTime_t now = _PyTime_MonotonicNs();
    PyTime_t deadline = timeout_ns > 0 ? _PyTime_Add(now, timeout_ns) : -1;
    struct mutex_waiter w = {
        .fair_deadline = _PyTime_Add(now, FAIRNESS_NS),
        .handed_off = 0,
    };
    int park_flags = 0;
    if (flags & _PY_LOCK_DETACH) {
        park_flags |= _Py_PARK_DETACH;
    }
    if (flags & _PY_LOCK_HANDLE_SIGNALS) {
        park_flags |= _Py_PARK_INTERRUPTIBLE;
    }
    int spun = 0;
    for (;;) {
        if ((v & _Py_LOCKED) == 0) {
            if (_Py_atomic_compare_exchange_uint8(&m->_bits, &v,
                                                  v | _Py_LOCKED)) {
                return PY_LOCK_ACQUIRED;
            }
            continue;
        }
        if (!spun) {
            spun = 1;
            v = mutex_spin(m, v);
            continue;
        }
        int st = mutex_park(m, v, deadline, &w, park_flags);
        if (st == MUTEX_INTR) {
            if (PyErr_CheckSignals() < 0) {
                return PY_LOCK_INTR;
            }
        }
        else if (st != MUTEX_RETRY) {
            return (PyLockStatus)st;
        }
        v = _Py_atomic_load_uint8(&m->_bits);
    }
}

/* PyMutex_Lock's contended path: wait forever, detached while parked so
   that a stop-the-world request is not held up by us. */
void
_PyMutex_LockSlow(PyMutex *m)
{
    _PyMutex_LockTimed(m, -1, _PY_LOCK_DETACH);
}

/* Unlock when the fast path failed: there may be parked waiters (wake one)
   or the mutex was not locked at all (-1). */
int
_PyMutex_TryUnlock(PyMutex *m)
{
    uint8_t v = _Py_atomic_load_uint8(&m->_bits);
    for (;;) {
        if ((v & _Py_LOCKED) == 0) {
            return -1;
        }
        if ((v & _Py_HAS_PARKED) != 0) {
            _PyParkingLot_Unpark(&m->_bits, mutex_unpark_cb, m);
            return 0;
        }
        if (_Py_atomic_compare_exchange_uint8(&m->_bits, &v, _Py_UNLOCKED)) {
            return 0;
        }
    }
}

/* Unlocking a mutex that is not locked is a bug in the caller. */
void
_PyMutex_UnlockSlow(PyMutex *m)
{
    if (_PyMutex_TryUnlock(m) < 0) {
        Py_FatalError("unlocking mutex that is not locked");
    }
}

/* ---------------------------------------------------------------- PyEvent */

/* evt->v: _Py_UNLOCKED (unset), _Py_HAS_PARKED (unset, waiters may be
   parked), _Py_LOCKED (set; final).  Notify wakes everyone at once. */
void
_PyEvent_Notify(PyEvent *evt)
{
    uint8_t old = _Py_atomic_exchange_uint8(&evt->v, _Py_LOCKED);
    if (old == _Py_HAS_PARKED) {
        _PyParkingLot_UnparkAll(&evt->v);
    }
}

/* Waits forever; detaches an attached thread state while parked. */
void
PyEvent_Wait(PyEvent *evt)
{
    while (!PyEvent_WaitTimed(evt, -1, 1)) {
    }
}

/* Announces a waiter (HAS_PARKED) and parks until the event is set or the
   deadline passes.  timeout_ns < 0 waits forever, 0 only checks. */
int
PyEvent_WaitTimed(PyEvent *evt, PyTime_t timeout_ns, int detach)
{
    PyTime_t deadline = -1;
    if (timeout_ns >= 0) {
        deadline = _PyTime_Add(_PyTime_MonotonicNs(), timeout_ns);
    }
    for (;;) {
        uint8_t v = _Py_atomic_load_uint8(&evt->v);
        if (v == _Py_LOCKED) {
            return 1;
        }
        PyTime_t wait = remaining_ns(deadline);
        if (wait == 0) {
            return 0;
        }
        if (v == _Py_UNLOCKED &&
            !_Py_atomic_compare_exchange_uint8(&evt->v, &v,
                                               _Py_HAS_PARKED)) {
            continue;
        }
        uint8_t expected = _Py_HAS_PARKED;
        int ret = _PyParkingLot_Park(&evt->v, &expected, sizeof(expected),
                                     wait, NULL, detach);
        if (ret == Py_PARK_TIMEOUT) {
            return _PyEvent_IsSet(evt);
        }
    }
}

/* ------------------------------------------------------------ _PyRawMutex */

/* _PyRawMutex values (the inline fast paths use 0 and 1). */
#define RAW_UNLOCKED ((uintptr_t)0)
#define RAW_LOCKED ((uintptr_t)1)
#define RAW_CONTENDED ((uintptr_t)2)   /* locked, sleepers may exist */

/* The 32-bit half of the word that holds its low bits: that is the futex
   the sleepers wait on. */
static uint32_t *
raw_futex_word(_PyRawMutex *m)
{
    uint32_t *halves = (uint32_t *)&m->v;
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__ && UINTPTR_MAX > UINT32_MAX
    return &halves[1];
#else
    return &halves[0];
#endif
}

/* Spins briefly, then marks the lock contended and sleeps until the word
   changes.  Whoever takes the lock out of the sleep marks it contended,
   since other sleepers may remain. */
void
_PyRawMutex_LockSlow(_PyRawMutex *m)
{
    int spins = cpu_count() > 1 ? MAX_SPIN : 0;
    for (int i = 0; i < spins; i++) {
        /* Relaxed: a hint for whether to try; the CAS checks. */
        uintptr_t v = _Py_atomic_load_uintptr_relaxed(&m->v);
        if (v == RAW_UNLOCKED &&
            _Py_atomic_compare_exchange_uintptr(&m->v, &v, RAW_LOCKED)) {
            return;
        }
        _Py_cpu_relax();
    }
    while (_Py_atomic_exchange_uintptr(&m->v, RAW_CONTENDED) != RAW_UNLOCKED) {
        syscall(SYS_futex, raw_futex_word(m),
                FUTEX_WAIT | FUTEX_PRIVATE_FLAG, (uint32_t)RAW_CONTENDED,
                NULL, NULL, 0);
    }
}

/* The word was CONTENDED: release and wake one sleeper.  A wake on memory
   freed meanwhile is harmless (see parking_lot.c, futex_wake_one). */
void
_PyRawMutex_UnlockSlow(_PyRawMutex *m)
{
    uintptr_t old = _Py_atomic_exchange_uintptr(&m->v, RAW_UNLOCKED);
    if (old == RAW_UNLOCKED) {
        Py_FatalError("unlocking raw mutex that is not locked");
    }
    if (old == RAW_CONTENDED) {
        syscall(SYS_futex, raw_futex_word(m), FUTEX_WAKE | FUTEX_PRIVATE_FLAG,
                1, NULL, NULL, 0);
    }
}

/* ------------------------------------------------------ _PyRecursiveMutex */

/* The owner field is only ever set to a thread's own id by that thread, so
   a thread reading its own id knows it owns the mutex. */
static uint64_t *
owner_field(_PyRecursiveMutex *m)
{
    return (uint64_t *)&m->thread;
}

int
_PyRecursiveMutex_IsLockedByCurrentThread(_PyRecursiveMutex *m)
{
    /* Relaxed: see owner_field(). */
    return _Py_atomic_load_uint64_relaxed(owner_field(m)) == _Py_ThreadId();
}

/* Re-entry only bumps the level; a first entry takes the mutex. */
PyLockStatus
_PyRecursiveMutex_LockTimed(_PyRecursiveMutex *m, PyTime_t timeout_ns,
                            _PyLockFlags flags)
{
    if (_PyRecursiveMutex_IsLockedByCurrentThread(m)) {
        m->level++;
        return PY_LOCK_ACQUIRED;
    }
    PyLockStatus st = _PyMutex_LockTimed(&m->mutex, timeout_ns, flags);
    if (st == PY_LOCK_ACQUIRED) {
        _Py_atomic_store_uint64_relaxed(owner_field(m), _Py_ThreadId());
        m->level = 0;
    }
    return st;
}

void
_PyRecursiveMutex_Lock(_PyRecursiveMutex *m)
{
    _PyRecursiveMutex_LockTimed(m, -1, _PY_LOCK_DETACH);
}

/* Undoes one Lock; the last one clears the owner before releasing the
   mutex so the next owner never sees a stale id. */
int
_PyRecursiveMutex_TryUnlock(_PyRecursiveMutex *m)
{
    if (!_PyRecursiveMutex_IsLockedByCurrentThread(m)) {
        return -1;
    }
    if (m->level > 0) {
        m->level--;
        return 0;
    }
    _Py_atomic_store_uint64_relaxed(owner_field(m), 0);
    PyMutex_Unlock(&m->mutex);
    return 0;
}

void
_PyRecursiveMutex_Unlock(_PyRecursiveMutex *m)
{
    if (_PyRecursiveMutex_TryUnlock(m) < 0) {
        Py_FatalError("unlocking a recursive mutex not owned by this thread");
    }
}
