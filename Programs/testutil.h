/* Shared helpers for the C tests of the runtime core (Programs/test_*.c). */
#ifndef PLAIT_TESTUTIL_H
#define PLAIT_TESTUTIL_H

#include "Python.h"
#include "pycore_pystate.h"
#include "pycore_object.h"
#include "pycore_time.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define CHECK(cond)                                                        \
    do {                                                                   \
        if (!(cond)) {                                                     \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__,         \
                    __LINE__, #cond);                                      \
            exit(1);                                                       \
        }                                                                  \
    } while (0)

static inline double
test_seconds(void)
{
    return (double)_PyTime_MonotonicNs() / 1e9;
}

static inline void
test_start_threads(pthread_t *t, int n, void *(*fn)(void *), void *args,
                   size_t argsize)
{
    for (int i = 0; i < n; i++) {
        void *arg = args ? (char *)args + (size_t)i * argsize : NULL;
        CHECK(pthread_create(&t[i], NULL, fn, arg) == 0);
    }
}

static inline void
test_join_threads(pthread_t *t, int n)
{
    for (int i = 0; i < n; i++) {
        CHECK(pthread_join(t[i], NULL) == 0);
    }
}

#endif /* !PLAIT_TESTUTIL_H */
