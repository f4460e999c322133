/* Clocks in nanoseconds for lock timeouts and deadlines.
 *
 * Only what the locking code needs for now: the monotonic clock, the wall
 * clock and saturating addition.  The `time` module's clocks come later. */
#include "Python.h"
#include "pycore_time.h"

#include <time.h>

#define NS_PER_SEC ((PyTime_t)1000000000)

/* A timespec in nanoseconds; saturates rather than wrapping (it cannot
   overflow for any clock value before the year 2262). */
static PyTime_t
timespec_to_ns(const struct timespec *ts)
{
    PyTime_t secs = (PyTime_t)ts->tv_sec;
    if (secs > PyTime_MAX / NS_PER_SEC) {
        return PyTime_MAX;
    }
    if (secs < PyTime_MIN / NS_PER_SEC) {
        return PyTime_MIN;
    }
    return _PyTime_Add(secs * NS_PER_SEC, (PyTime_t)ts->tv_nsec);
}

/* Reads `clock`; a failure here means the platform lacks a clock the
   runtime cannot work without. */
static PyTime_t
read_clock(clockid_t clock)
{
    struct timespec ts;
    if (clock_gettime(clock, &ts) != 0) {
        Py_FatalError("clock_gettime() failed");
    }
    return timespec_to_ns(&ts);
}

/* Deadlines for timed waits are computed on this clock: it never jumps
   backwards when the wall clock is set. */
PyTime_t
_PyTime_MonotonicNs(void)
{
    return read_clock(CLOCK_MONOTONIC);
}

/* The wall clock, for callers that must report real dates. */
PyTime_t
_PyTime_RealtimeNs(void)
{
    return read_clock(CLOCK_REALTIME);
}

/* Deadline arithmetic (`now + timeout`) must not wrap to the past when the
   timeout is huge, so the sum saturates at PyTime_MIN / PyTime_MAX. */
PyTime_t
_PyTime_Add(PyTime_t a, PyTime_t b)
{
    PyTime_t sum;
    if (__builtin_add_overflow(a, b, &sum)) {
        return b > 0 ? PyTime_MAX : PyTime_MIN;
    }
    return sum;
}
