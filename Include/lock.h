/* PyMutex: a one-byte lock (see Python/lock.c for the algorithm). */
#ifndef Py_LOCK_H
#define Py_LOCK_H

#include <stdint.h>
#include "pyatomic.h"

#define _Py_UNLOCKED    0
#define _Py_LOCKED      1
#define _Py_HAS_PARKED  2

typedef struct PyMutex {
    uint8_t _bits;
} PyMutex;

PyAPI_FUNC(void) _PyMutex_LockSlow(PyMutex *m);
PyAPI_FUNC(void) _PyMutex_UnlockSlow(PyMutex *m);

/* Locks the mutex.  If the calling thread is attached and has to wait, it
   detaches while parked so that stop-the-world requests are not blocked. */
static inline void
PyMutex_Lock(PyMutex *m)
{
    uint8_t expected = _Py_UNLOCKED;
    if (!_Py_atomic_compare_exchange_uint8(&m->_bits, &expected, _Py_LOCKED)) {
        _PyMutex_LockSlow(m);
    }
}

static inline void
PyMutex_Unlock(PyMutex *m)
{
    uint8_t expected = _Py_LOCKED;
    if (!_Py_atomic_compare_exchange_uint8(&m->_bits, &expected, _Py_UNLOCKED)) {
        _PyMutex_UnlockSlow(m);
    }
}

static inline int
PyMutex_IsLocked(PyMutex *m)
{
    return (_Py_atomic_load_uint8(&m->_bits) & _Py_LOCKED) != 0;
}

#endif /* !Py_LOCK_H */
