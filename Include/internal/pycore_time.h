/* Monotonic time in nanoseconds for lock timeouts (Python/pytime.c). */
#ifndef Py_INTERNAL_TIME_H
#define Py_INTERNAL_TIME_H
#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE define"
#endif

#include <stdint.h>
#include "pyport.h"

typedef int64_t PyTime_t;
#define PyTime_MIN INT64_MIN
#define PyTime_MAX INT64_MAX

/* Monotonic clock, nanoseconds. */
PyAPI_FUNC(PyTime_t) _PyTime_MonotonicNs(void);
/* Wall clock (CLOCK_REALTIME), nanoseconds since the epoch. */
PyAPI_FUNC(PyTime_t) _PyTime_RealtimeNs(void);
/* Saturating a + b. */
PyAPI_FUNC(PyTime_t) _PyTime_Add(PyTime_t a, PyTime_t b);

#endif /* !Py_INTERNAL_TIME_H */
