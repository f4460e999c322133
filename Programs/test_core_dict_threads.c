/* dict under concurrency (issue 5, ARCHITECTURE section 6): 8 threads for
 * a bounded time on one shared dict.
 *
 *   - readers look keys up without locks and check every value they get
 *     is one a writer could have stored for that key (value == key + M*n);
 *   - writers replace the values of the shared keys, and insert and
 *     delete keys of their own range (tables grow, shrink and are retired
 *     through QSBR while readers use them);
 *   - an iterator thread walks the dict (RuntimeError for a size change is
 *     the expected outcome, anything else is a failure);
 *   - at the end every writer inserts its whole range: nothing may be lost
 *     or duplicated (size and every key checked).
 * A second phase has 8 threads insert distinct keys into a fresh dict at
 * once: the final size must be the sum.  Also clean under TSan. */
#include "coretest.h"

#include <pthread.h>

#define NREADERS 4
#define NWRITERS 3
#define NSHARED 512
#define RANGE 2000
#define M 100000
#define DURATION 1.5
#define NDISTINCT 8
#define PER_THREAD 20000

static PyObject *shared;
static int stop_flag;
static Py_ssize_t reads_done, bad_values, iter_errors;

static unsigned
rnd(unsigned *state)
{
    *state = *state * 1103515245u + 12345u;
    return (*state >> 8) & 0xffffff;
}

static void *
reader_thread(void *arg)
{
    PyGILState_STATE g = PyGILState_Ensure();
    unsigned seed = (unsigned)(uintptr_t)arg;
    Py_ssize_t n = 0;
    while (!_Py_atomic_load_int(&stop_flag)) {
        long k = (long)(rnd(&seed) % (NSHARED + NWRITERS * RANGE));
        PyObject *key = PyLong_FromLong(k);
        PyObject *value;
        int r = PyDict_GetItemRef(shared, key, &value);
        if (r < 0) {
            PyErr_Clear();
            _Py_atomic_add_ssize(&bad_values, 1);
        }
        else if (r > 0) {
            long v = PyLong_AsLong(value);
            if ((v - k) % M != 0) {
                _Py_atomic_add_ssize(&bad_values, 1);
            }
            Py_DECREF(value);
        }
        else if (k < NSHARED) {
            _Py_atomic_add_ssize(&bad_values, 1);   /* shared keys stay */
        }
        Py_DECREF(key);
        n++;
    }
    _Py_atomic_add_ssize(&reads_done, n);
    PyGILState_Release(g);
    return NULL;
}

static void *
writer_thread(void *arg)
{
    PyGILState_STATE g = PyGILState_Ensure();
    int w = (int)(intptr_t)arg;
    unsigned seed = 1234u + (unsigned)w;
    long base = NSHARED + (long)w * RANGE;
    while (!_Py_atomic_load_int(&stop_flag)) {
        /* Replace a shared value. */
        long k = (long)(rnd(&seed) % NSHARED);
        PyObject *key = PyLong_FromLong(k);
        PyObject *val = PyLong_FromLong(k + M * (long)(rnd(&seed) % 1000));
        CHECK(PyDict_SetItem(shared, key, val) == 0);
        Py_DECREF(key);
        Py_DECREF(val);
        /* Churn the own range: insert or delete. */
        long j = base + (long)(rnd(&seed) % RANGE);
        key = PyLong_FromLong(j);
        if (rnd(&seed) & 1) {
            val = PyLong_FromLong(j);
            CHECK(PyDict_SetItem(shared, key, val) == 0);
            Py_DECREF(val);
        }
        else if (PyDict_DelItem(shared, key) < 0) {
            CHECK(PyErr_ExceptionMatches(PyExc_KeyError));
            PyErr_Clear();
        }
        Py_DECREF(key);
    }
    /* Final: the whole range is present. */
    for (long j = base; j < base + RANGE; j++) {
        PyObject *key = PyLong_FromLong(j);
        PyObject *val = PyLong_FromLong(j + M);
        CHECK(PyDict_SetItem(shared, key, val) == 0);
        Py_DECREF(key);
        Py_DECREF(val);
    }
    PyGILState_Release(g);
    return NULL;
}

static void *
iter_thread(void *arg)
{
    PyGILState_STATE g = PyGILState_Ensure();
    while (!_Py_atomic_load_int(&stop_flag)) {
        PyObject *it = PyObject_GetIter(shared);
        CHECK(it != NULL);
        PyObject *item;
        while ((item = PyIter_Next(it)) != NULL) {
            Py_DECREF(item);
        }
        if (PyErr_Occurred()) {
            if (PyErr_ExceptionMatches(PyExc_RuntimeError)) {
                _Py_atomic_add_ssize(&iter_errors, 1);
            }
            else {
                _Py_atomic_add_ssize(&bad_values, 1);
            }
            PyErr_Clear();
        }
        Py_DECREF(it);
        /* Snapshots must be consistent pairs. */
        PyObject *items = PyDict_Items(shared);
        CHECK(items != NULL);
        for (Py_ssize_t i = 0; i < PyList_GET_SIZE(items); i++) {
            PyObject *pair = PyList_GET_ITEM(items, i);
            long k = PyLong_AsLong(PyTuple_GET_ITEM(pair, 0));
            long v = PyLong_AsLong(PyTuple_GET_ITEM(pair, 1));
            if ((v - k) % M != 0) {
                _Py_atomic_add_ssize(&bad_values, 1);
            }
        }
        Py_DECREF(items);
    }
    PyGILState_Release(g);
    return NULL;
}

static void
test_mixed(void)
{
    shared = PyDict_New();
    for (long k = 0; k < NSHARED; k++) {
        PyObject *key = PyLong_FromLong(k);
        CHECK(PyDict_SetItem(shared, key, key) == 0);
        Py_DECREF(key);
    }
    pthread_t t[NREADERS + NWRITERS + 1];
    int n = 0;
    Py_BEGIN_ALLOW_THREADS
    for (int i = 0; i < NREADERS; i++) {
        CHECK(pthread_create(&t[n++], NULL, reader_thread,
                             (void *)(uintptr_t)(i + 1)) == 0);
    }
    for (int i = 0; i < NWRITERS; i++) {
        CHECK(pthread_create(&t[n++], NULL, writer_thread,
                             (void *)(intptr_t)i) == 0);
    }
    CHECK(pthread_create(&t[n++], NULL, iter_thread, NULL) == 0);
    double t0 = test_seconds();
    while (test_seconds() - t0 < DURATION) {
        usleep(10000);
    }
    _Py_atomic_store_int(&stop_flag, 1);
    test_join_threads(t, n);
    Py_END_ALLOW_THREADS
    printf("reads %zd, iterator size errors %zd\n", reads_done, iter_errors);
    EXPECT(_Py_atomic_load_ssize(&bad_values) == 0);
    EXPECT(_Py_atomic_load_ssize(&reads_done) > 0);
    EXPECT(PyDict_Size(shared) == NSHARED + NWRITERS * RANGE);
    for (long k = 0; k < NSHARED + NWRITERS * RANGE; k++) {
        PyObject *key = PyLong_FromLong(k);
        PyObject *value;
        EXPECT(PyDict_GetItemRef(shared, key, &value) == 1);
        if (value != NULL) {
            EXPECT((PyLong_AsLong(value) - k) % M == 0);
            Py_DECREF(value);
        }
        Py_DECREF(key);
    }
    Py_CLEAR(shared);
}

static PyObject *distinct;

static void *
distinct_thread(void *arg)
{
    PyGILState_STATE g = PyGILState_Ensure();
    long base = (long)(intptr_t)arg * PER_THREAD;
    for (long k = base; k < base + PER_THREAD; k++) {
        /* str keys: exercises the str fast path and resizes. */
        PyObject *key = PyUnicode_FromFormat("key%ld", k);
        PyObject *val = PyLong_FromLong(k);
        CHECK(PyDict_SetItem(distinct, key, val) == 0);
        Py_DECREF(key);
        Py_DECREF(val);
    }
    PyGILState_Release(g);
    return NULL;
}

static void
test_distinct_inserts(void)
{
    distinct = PyDict_New();
    pthread_t t[NDISTINCT];
    Py_BEGIN_ALLOW_THREADS
    for (int i = 0; i < NDISTINCT; i++) {
        CHECK(pthread_create(&t[i], NULL, distinct_thread,
                             (void *)(intptr_t)i) == 0);
    }
    test_join_threads(t, NDISTINCT);
    Py_END_ALLOW_THREADS
    EXPECT(PyDict_Size(distinct) == (Py_ssize_t)NDISTINCT * PER_THREAD);
    for (long k = 0; k < (long)NDISTINCT * PER_THREAD; k += 7) {
        PyObject *key = PyUnicode_FromFormat("key%ld", k);
        PyObject *value;
        EXPECT(PyDict_GetItemRef(distinct, key, &value) == 1);
        if (value != NULL) {
            EXPECT(PyLong_AsLong(value) == k);
            Py_DECREF(value);
        }
        Py_DECREF(key);
    }
    Py_CLEAR(distinct);
}

int
main(void)
{
    Py_Initialize();
    test_mixed();
    test_distinct_inserts();
    CHECK(!PyErr_Occurred());
    Py_FinalizeEx();
    return coretest_finish("test_core_dict_threads");
}
