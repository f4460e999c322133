/* The _queue module: SimpleQueue (an unbounded FIFO queue safe to share
 * between threads) and the Empty exception (queue.Empty is _queue.Empty).
 *
 * Thread safety of SimpleQueue.
 *  - `mutex` (a PyMutex of its own, not the object's critical section, so
 *    that a lock holder never detaches) guards the ring buffer: items,
 *    alloc, head, count.  It is held only for a few stores; no Python code
 *    runs and no reference is dropped while it is held.
 *  - `count` is also written with atomic stores so that qsize()/empty()
 *    read it without the lock (a snapshot, as in CPython) and so that the
 *    parking lot can compare it when a getter goes to sleep.
 *  - A blocking get() that finds the queue empty registers in `waiters`
 *    (under the mutex), releases the mutex and parks on &count expecting 0,
 *    detached (no core held, not holding up a stop-the-world) and, in the
 *    main thread, interruptible by signals (Ctrl-C).  Every put() that sees
 *    waiters > 0 unparks one.  The parking lot re-checks count under its
 *    bucket lock, so a put landing between the unlock and the park is never
 *    missed; a woken getter whose item was taken by a faster one just parks
 *    again.  No item is lost or handed out twice: items only leave the
 *    buffer under the mutex.
 *  - The GC reads the buffer with the world stopped; no thread is ever
 *    stopped while holding `mutex` (nothing inside it reaches an eval
 *    breaker or detaches).
 */
#include "Python.h"
#include "pycore_lock.h"
#include "pycore_parking_lot.h"
#include "pycore_time.h"
#include <math.h>

typedef struct {
    PyObject_HEAD
    PyMutex mutex;
    PyObject **items;       /* ring buffer of alloc slots, owned refs */
    Py_ssize_t alloc;
    Py_ssize_t head;        /* index of the oldest item */
    Py_ssize_t count;       /* number of items; atomic stores */
    Py_ssize_t waiters;     /* getters parked or about to park; atomic */
    PyObject *weakreflist;
} simplequeueobject;

static PyTypeObject simplequeue_type;

/* _queue.Empty: created by the first module init, then never changed;
   published with a release store, read with an acquire load. */
static PyObject *queue_empty;

/* ------------------------------------------------------------------ */
/* The ring buffer (caller holds self->mutex)                          */

/* Doubles the buffer, keeping the order.  -1 on allocation failure (no
   exception set: the caller raises it once the mutex is released). */
static int
ring_grow(simplequeueobject *self)
{
    Py_ssize_t nalloc = self->alloc ? self->alloc * 2 : 8;
    PyObject **items = PyMem_Malloc(nalloc * sizeof(PyObject *));
    if (items == NULL) {
        return -1;
    }
    for (Py_ssize_t i = 0; i < self->count; i++) {
        items[i] = self->items[(self->head + i) % self->alloc];
    }
    PyMem_Free(self->items);
    self->items = items;
    self->alloc = nalloc;
    self->head = 0;
    return 0;
}

/* Appends item (steals the reference).  -1 on allocation failure. */
static int
ring_push(simplequeueobject *self, PyObject *item)
{
    if (self->count == self->alloc && ring_grow(self) < 0) {
        return -1;
    }
    self->items[(self->head + self->count) % self->alloc] = item;
    _Py_atomic_store_ssize(&self->count, self->count + 1);
    return 0;
}

/* Removes the oldest item; new reference (the buffer's).  count > 0. */
static PyObject *
ring_pop(simplequeueobject *self)
{
    PyObject *item = self->items[self->head];
    self->items[self->head] = NULL;
    self->head = (self->head + 1) % self->alloc;
    _Py_atomic_store_ssize(&self->count, self->count - 1);
    return item;
}

/* ------------------------------------------------------------------ */
/* Operations                                                          */

/* SimpleQueue(): takes no arguments unless a subclass defines __init__. */
static PyObject *
simplequeue_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    if (type == &simplequeue_type
        || type->tp_init == PyBaseObject_Type.tp_init) {
        if (PyTuple_GET_SIZE(args) != 0) {
            PyErr_SetString(PyExc_TypeError,
                            "SimpleQueue() takes no positional arguments");
            return NULL;
        }
        if (kwds != NULL && PyDict_Size(kwds) != 0) {
            PyErr_SetString(PyExc_TypeError,
                            "SimpleQueue() takes no keyword arguments");
            return NULL;
        }
    }
    simplequeueobject *self = (simplequeueobject *)type->tp_alloc(type, 0);
    if (self == NULL) {
        return NULL;
    }
    self->mutex = (PyMutex){0};
    self->items = NULL;
    self->alloc = self->head = self->count = self->waiters = 0;
    self->weakreflist = NULL;
    return (PyObject *)self;
}

/* Adds item (borrowed) and wakes one parked getter if there is one. */
static int
simplequeue_put_item(simplequeueobject *self, PyObject *item)
{
    Py_INCREF(item);
    PyMutex_Lock(&self->mutex);
    int rc = ring_push(self, item);
    int wake = rc == 0 && _Py_atomic_load_ssize(&self->waiters) > 0;
    PyMutex_Unlock(&self->mutex);
    if (rc < 0) {
        Py_DECREF(item);
        PyErr_NoMemory();
        return -1;
    }
    if (wake) {
        _PyParkingLot_Unpark(&self->count, NULL, NULL);
    }
    return 0;
}

/* New reference to the oldest item, or NULL if the queue is empty.  When
   it is empty and register_waiter is set, the caller is counted in
   `waiters` before the mutex is released. */
static PyObject *
simplequeue_try_pop(simplequeueobject *self, int register_waiter)
{
    PyObject *item = NULL;
    PyMutex_Lock(&self->mutex);
    if (self->count > 0) {
        item = ring_pop(self);
    }
    else if (register_waiter) {
        _Py_atomic_add_ssize(&self->waiters, 1);
    }
    PyMutex_Unlock(&self->mutex);
    return item;
}

/* Waits for an item: timeout_ns < 0 forever, 0 not at all.  New
   reference, or NULL with Empty (timed out) or a signal handler's
   exception set. */
static PyObject *
simplequeue_get_item(simplequeueobject *self, PyTime_t timeout_ns)
{
    PyTime_t deadline = 0;
    if (timeout_ns > 0) {
        deadline = _PyTime_Add(_PyTime_MonotonicNs(), timeout_ns);
    }
    for (;;) {
        PyTime_t wait = -1;
        if (timeout_ns > 0) {
            wait = deadline - _PyTime_MonotonicNs();
            if (wait <= 0) {
                timeout_ns = 0;
            }
        }
        PyObject *item = simplequeue_try_pop(self, timeout_ns != 0);
        if (item != NULL) {
            return item;
        }
        if (timeout_ns == 0) {
            PyErr_SetNone(_Py_atomic_load_ptr_acquire(&queue_empty));
            return NULL;
        }
        Py_ssize_t empty = 0;
        int r = _PyParkingLot_Park(&self->count, &empty, sizeof(empty),
                                   wait, NULL,
                                   _Py_PARK_DETACH | _Py_PARK_INTERRUPTIBLE);
        _Py_atomic_add_ssize(&self->waiters, -1);
        if (r == Py_PARK_INTR && PyErr_CheckSignals() < 0) {
            return NULL;
        }
        if (r == Py_PARK_TIMEOUT) {
            timeout_ns = 0;  /* one last try, then Empty */
        }
    }
}

/* Converts a get() timeout (seconds, int or float) to nanoseconds,
   rounding up; errors as CPython 3.11 gives them. */
static int
timeout_to_ns(PyObject *timeout, PyTime_t *out)
{
    if (PyFloat_Check(timeout)) {
        double d = PyFloat_AS_DOUBLE(timeout);
        if (isnan(d)) {
            PyErr_SetString(PyExc_ValueError,
                            "Invalid value NaN (not a number)");
            return -1;
        }
        d = ceil(d * 1e9);
        if (!(d >= (double)PyTime_MIN && d < (double)PyTime_MAX)) {
            goto overflow;
        }
        *out = (PyTime_t)d;
        return 0;
    }
    long long secs = PyLong_AsLongLong(timeout);
    if (secs == -1 && PyErr_Occurred()) {
        if (PyErr_ExceptionMatches(PyExc_OverflowError)) {
            PyErr_Clear();
            goto overflow;
        }
        return -1;
    }
    if (secs > PyTime_MAX / 1000000000 || secs < PyTime_MIN / 1000000000) {
        goto overflow;
    }
    *out = (PyTime_t)secs * 1000000000;
    return 0;
overflow:
    PyErr_SetString(PyExc_OverflowError,
                    "timestamp too large to convert to C _PyTime_t");
    return -1;
}

/* get(block=True, timeout=None). New reference. */
static PyObject *
simplequeue_get(PyObject *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"block", "timeout", NULL};
    int block = 1;
    PyObject *timeout = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|pO:get", kwlist,
                                     &block, &timeout)) {
        return NULL;
    }
    PyTime_t timeout_ns = -1;
    if (!block) {
        timeout_ns = 0;
    }
    else if (timeout != Py_None) {
        if (timeout_to_ns(timeout, &timeout_ns) < 0) {
            return NULL;
        }
        if (timeout_ns < 0) {
            PyErr_SetString(PyExc_ValueError,
                            "'timeout' must be a non-negative number");
            return NULL;
        }
    }
    return simplequeue_get_item((simplequeueobject *)self, timeout_ns);
}

/* get_nowait(): get(False). New reference. */
static PyObject *
simplequeue_get_nowait(PyObject *self, PyObject *const *args,
                       Py_ssize_t nargs)
{
    if (nargs != 0) {
        PyErr_SetString(PyExc_TypeError,
                        "get_nowait() takes no arguments");
        return NULL;
    }
    return simplequeue_get_item((simplequeueobject *)self, 0);
}

/* put(item, block=True, timeout=None): never blocks; block and timeout
   exist for compatibility with queue.Queue.put. */
static PyObject *
simplequeue_put(PyObject *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"item", "block", "timeout", NULL};
    PyObject *item;
    PyObject *block = Py_True;
    PyObject *timeout = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O|OO:put", kwlist,
                                     &item, &block, &timeout)) {
        return NULL;
    }
    if (simplequeue_put_item((simplequeueobject *)self, item) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* put_nowait(item): put(item, False), which never blocks anyway. */
static PyObject *
simplequeue_put_nowait(PyObject *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"item", NULL};
    PyObject *item;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O:put_nowait", kwlist,
                                     &item)) {
        return NULL;
    }
    if (simplequeue_put_item((simplequeueobject *)self, item) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* empty() and qsize() read a snapshot of count without the lock. */
static PyObject *
simplequeue_empty(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    Py_ssize_t n = _Py_atomic_load_ssize(&((simplequeueobject *)self)->count);
    return PyBool_FromLong(n == 0);
}

static PyObject *
simplequeue_qsize(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    Py_ssize_t n = _Py_atomic_load_ssize(&((simplequeueobject *)self)->count);
    return PyLong_FromSsize_t(n);
}

/* SimpleQueue[T] (PEP 585): a types.GenericAlias. */
static PyObject *
simplequeue_class_getitem(PyObject *cls, PyObject *args)
{
    return Py_GenericAlias(cls, args);
}

/* ------------------------------------------------------------------ */
/* GC and deallocation                                                 */

/* Runs with the world stopped, so the buffer is read without the lock. */
static int
simplequeue_traverse(PyObject *op, visitproc visit, void *arg)
{
    simplequeueobject *self = (simplequeueobject *)op;
    for (Py_ssize_t i = 0; i < self->count; i++) {
        Py_VISIT(self->items[(self->head + i) % self->alloc]);
    }
    return 0;
}

/* Empties the queue; the references are dropped after the mutex is
   released (a __del__ may run). */
static int
simplequeue_clear(PyObject *op)
{
    simplequeueobject *self = (simplequeueobject *)op;
    PyMutex_Lock(&self->mutex);
    PyObject **items = self->items;
    Py_ssize_t alloc = self->alloc;
    Py_ssize_t head = self->head;
    Py_ssize_t count = self->count;
    self->items = NULL;
    self->alloc = self->head = 0;
    _Py_atomic_store_ssize(&self->count, 0);
    PyMutex_Unlock(&self->mutex);
    for (Py_ssize_t i = 0; i < count; i++) {
        Py_DECREF(items[(head + i) % alloc]);
    }
    PyMem_Free(items);
    return 0;
}

static void
simplequeue_dealloc(PyObject *op)
{
    PyTypeObject *tp = Py_TYPE(op);
    PyObject_GC_UnTrack(op);
    if (((simplequeueobject *)op)->weakreflist != NULL) {
        PyObject_ClearWeakRefs(op);
    }
    simplequeue_clear(op);
    tp->tp_free(op);
}

static PyMethodDef simplequeue_methods[] = {
    {"empty", simplequeue_empty, METH_NOARGS, NULL},
    {"get", (PyCFunction)(void (*)(void))simplequeue_get,
     METH_VARARGS | METH_KEYWORDS, NULL},
    {"get_nowait", (PyCFunction)(void (*)(void))simplequeue_get_nowait,
     METH_FASTCALL, NULL},
    {"put", (PyCFunction)(void (*)(void))simplequeue_put,
     METH_VARARGS | METH_KEYWORDS, NULL},
    {"put_nowait", (PyCFunction)(void (*)(void))simplequeue_put_nowait,
     METH_VARARGS | METH_KEYWORDS, NULL},
    {"qsize", simplequeue_qsize, METH_NOARGS, NULL},
    {"__class_getitem__", simplequeue_class_getitem, METH_O | METH_CLASS,
     NULL},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject simplequeue_type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "_queue.SimpleQueue",
    .tp_basicsize = sizeof(simplequeueobject),
    .tp_dealloc = simplequeue_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_BASETYPE,
    .tp_doc = "Simple, unbounded, reentrant FIFO queue.",
    .tp_traverse = simplequeue_traverse,
    .tp_clear = simplequeue_clear,
    .tp_weaklistoffset = offsetof(simplequeueobject, weakreflist),
    .tp_methods = simplequeue_methods,
    .tp_alloc = PyType_GenericAlloc,
    .tp_new = simplequeue_new,
    .tp_free = PyObject_GC_Del,
};

/* ------------------------------------------------------------------ */
/* Module                                                              */

/* Creates _queue.Empty once; a racing second creator drops its own. */
static PyObject *
queue_get_empty(void)
{
    PyObject *exc = _Py_atomic_load_ptr_acquire(&queue_empty);
    if (exc != NULL) {
        return exc;
    }
    exc = PyErr_NewExceptionWithDoc(
        "_queue.Empty",
        "Exception raised by Queue.get(block=0)/get_nowait().",
        NULL, NULL);
    if (exc == NULL) {
        return NULL;
    }
    void *expected = NULL;
    if (!_Py_atomic_compare_exchange_ptr(&queue_empty, &expected, exc)) {
        Py_DECREF(exc);
        return expected;
    }
    return exc;
}

static struct PyModuleDef queue_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_queue",
    .m_doc = "C implementation of the Python queue module.\n"
             "This module is an implementation detail, please do not use "
             "it directly.",
    .m_size = -1,
};

/* Module init: Empty and the (static) SimpleQueue type. */
PyMODINIT_FUNC
PyInit__queue(void)
{
    PyObject *empty = queue_get_empty();
    if (empty == NULL) {
        return NULL;
    }
    PyObject *m = PyModule_Create(&queue_module);
    if (m == NULL) {
        return NULL;
    }
    if (PyModule_AddObjectRef(m, "Empty", empty) < 0
        || PyModule_AddType(m, &simplequeue_type) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
