/* Runtime-internal locking API (Python/lock.c).
 *
 * PyMutex itself (one byte) is public, in Include/lock.h.  Here: timed and
 * flag-taking lock calls, a one-shot event, a raw mutex usable where no
 * thread state exists, and a recursive mutex. */
#ifndef Py_INTERNAL_LOCK_H
#define Py_INTERNAL_LOCK_H
#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE define"
#endif

#include "pycore_time.h"

typedef enum _PyLockFlags {
    _Py_LOCK_DONT_DETACH = 0,
    /* Detach the attached thread state while parked (the default of
       PyMutex_Lock), so a stop-the-world request is not held up. */
    _PY_LOCK_DETACH = 1,
    /* Wake up to run pending signal handlers; fail with PY_LOCK_INTR when
       a handler raised (main thread only). */
    _PY_LOCK_HANDLE_SIGNALS = 2,
} _PyLockFlags;

typedef enum PyLockStatus {
    PY_LOCK_FAILURE = 0,
    PY_LOCK_ACQUIRED = 1,
    PY_LOCK_INTR = 2,
} PyLockStatus;

/* timeout_ns < 0: wait forever; 0: try once. */
PyAPI_FUNC(PyLockStatus) _PyMutex_LockTimed(PyMutex *m, PyTime_t timeout_ns,
                                            _PyLockFlags flags);
/* Returns 0 on success, -1 if the mutex was not locked. */
PyAPI_FUNC(int) _PyMutex_TryUnlock(PyMutex *m);

static inline int
_PyMutex_TryLock(PyMutex *m)
{
    uint8_t expected = _Py_UNLOCKED;
    return _Py_atomic_compare_exchange_uint8(&m->_bits, &expected, _Py_LOCKED);
}

/* Locks without ever detaching the thread state: for locks held only for a
   short time around code that never blocks on another PyMutex. */
static inline void
_PyMutex_LockNoDetach(PyMutex *m)
{
    if (!_PyMutex_TryLock(m)) {
        _PyMutex_LockTimed(m, -1, _Py_LOCK_DONT_DETACH);
    }
}

/* One-shot event: starts unset; once notified stays set. */
typedef struct {
    uint8_t v;
} PyEvent;

PyAPI_FUNC(void) _PyEvent_Notify(PyEvent *evt);
PyAPI_FUNC(void) PyEvent_Wait(PyEvent *evt);
/* Returns 1 if the event was set, 0 on timeout. */
PyAPI_FUNC(int) PyEvent_WaitTimed(PyEvent *evt, PyTime_t timeout_ns,
                                  int detach);
static inline int
_PyEvent_IsSet(PyEvent *evt)
{
    return _Py_atomic_load_uint8(&evt->v) == _Py_LOCKED;
}

/* A word-sized lock usable where no thread state exists (thread creation and
   teardown, the parking lot's own buckets).  Never detaches. */
typedef struct {
    uintptr_t v;
} _PyRawMutex;

PyAPI_FUNC(void) _PyRawMutex_LockSlow(_PyRawMutex *m);
PyAPI_FUNC(void) _PyRawMutex_UnlockSlow(_PyRawMutex *m);

static inline void
_PyRawMutex_Lock(_PyRawMutex *m)
{
    uintptr_t unlocked = _Py_UNLOCKED;
    if (!_Py_atomic_compare_exchange_uintptr(&m->v, &unlocked, _Py_LOCKED)) {
        _PyRawMutex_LockSlow(m);
    }
}

static inline void
_PyRawMutex_Unlock(_PyRawMutex *m)
{
    uintptr_t locked = _Py_LOCKED;
    if (!_Py_atomic_compare_exchange_uintptr(&m->v, &locked, _Py_UNLOCKED)) {
        _PyRawMutex_UnlockSlow(m);
    }
}

/* Recursive mutex (the owner may lock it again). */
typedef struct {
    PyMutex mutex;
    unsigned long long thread;  /* owner's _Py_ThreadId(), 0 if none */
    size_t level;
} _PyRecursiveMutex;

PyAPI_FUNC(int) _PyRecursiveMutex_IsLockedByCurrentThread(_PyRecursiveMutex *m);
PyAPI_FUNC(void) _PyRecursiveMutex_Lock(_PyRecursiveMutex *m);
PyAPI_FUNC(PyLockStatus) _PyRecursiveMutex_LockTimed(_PyRecursiveMutex *m,
                                                     PyTime_t timeout_ns,
                                                     _PyLockFlags flags);
PyAPI_FUNC(void) _PyRecursiveMutex_Unlock(_PyRecursiveMutex *m);
/* -1 if not owned by the calling thread. */
PyAPI_FUNC(int) _PyRecursiveMutex_TryUnlock(_PyRecursiveMutex *m);

#endif /* !Py_INTERNAL_LOCK_H */
