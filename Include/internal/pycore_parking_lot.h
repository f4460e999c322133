/* The parking lot (Python/parking_lot.c): threads wait on an address.
 *
 * A global hash table maps an address to a bucket holding a queue of
 * waiters; each waiting thread sleeps on its own semaphore.  PyMutex,
 * PyEvent and the thread-state machinery park here. */
#ifndef Py_INTERNAL_PARKING_LOT_H
#define Py_INTERNAL_PARKING_LOT_H
#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE define"
#endif

#include "pycore_time.h"

enum {
    Py_PARK_OK = 0,        /* woken by an unpark */
    Py_PARK_AGAIN = -1,    /* *address != *expected on entry */
    Py_PARK_TIMEOUT = -2,
    Py_PARK_INTR = -3,     /* interrupted (signal) */
};

/* Parks the calling thread on `address` if the `size` bytes there still
   equal those at `expected` (checked under the bucket lock).  `park_arg` is
   handed to the unparker's callback.  `flags`: _Py_PARK_DETACH detaches
   an attached thread state while sleeping (re-attached after);
   _Py_PARK_INTERRUPTIBLE makes the main thread give up (Py_PARK_INTR) when
   a signal arrives, so that its Python handler can run. */
#define _Py_PARK_DETACH 1
#define _Py_PARK_INTERRUPTIBLE 2
PyAPI_FUNC(int) _PyParkingLot_Park(const void *address, const void *expected,
                                   size_t size, PyTime_t timeout_ns,
                                   void *park_arg, int flags);

/* Wakes one thread parked on `address`.  `fn(arg, park_arg, has_more)` runs
   under the bucket lock before the wake-up (park_arg is NULL when nobody was
   parked), so a lock can hand itself over atomically. */
typedef void _Py_unpark_fn_t(void *arg, void *park_arg, int has_more_waiters);
PyAPI_FUNC(void) _PyParkingLot_Unpark(const void *address,
                                      _Py_unpark_fn_t *fn, void *arg);
PyAPI_FUNC(void) _PyParkingLot_UnparkAll(const void *address);
/* The child of fork(): forget every waiter. */
PyAPI_FUNC(void) _PyParkingLot_AfterFork(void);

#endif /* !Py_INTERNAL_PARKING_LOT_H */
