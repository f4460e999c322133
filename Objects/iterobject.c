/* The sequence iterator (iter(obj) for objects with __getitem__ only)
 * and the callable iterator (iter(callable, sentinel)).
 *
 * Thread safety: the index and the exhausted state are claimed in a
 * critical section on the iterator; exhausting drops the reference to
 * the underlying object exactly once (ARCHITECTURE section 10). */
#include "Python.h"
#include "pycore_critical_section.h"
#include "iterobject.h"

typedef struct {
    PyObject_HEAD
    Py_ssize_t it_index;
    PyObject *it_seq;       /* NULL when exhausted */
} seqiterobject;

PyObject *
PySeqIter_New(PyObject *seq)
{
    seqiterobject *it = PyObject_GC_New(seqiterobject, &PySeqIter_Type);
    if (it == NULL) {
        return NULL;
    }
    it->it_index = 0;
    it->it_seq = Py_NewRef(seq);
    PyObject_GC_Track(it);
    return (PyObject *)it;
}

static void
iter_dealloc(PyObject *self)
{
    PyObject_GC_UnTrack(self);
    Py_XDECREF(((seqiterobject *)self)->it_seq);
    PyObject_GC_Del(self);
}

static int
iter_traverse(PyObject *self, visitproc visit, void *arg)
{
    Py_VISIT(((seqiterobject *)self)->it_seq);
    return 0;
}

/* Takes the sequence and the next index; NULL when exhausted. */
static PyObject *
seqiter_claim(seqiterobject *it, Py_ssize_t *index)
{
    PyObject *seq;
    Py_BEGIN_CRITICAL_SECTION(it);
    seq = Py_XNewRef(it->it_seq);
    *index = it->it_index;
    if (seq != NULL) {
        it->it_index++;
    }
    Py_END_CRITICAL_SECTION();
    return seq;
}

static void
seqiter_exhaust(seqiterobject *it)
{
    PyObject *seq;
    Py_BEGIN_CRITICAL_SECTION(it);
    seq = it->it_seq;
    it->it_seq = NULL;
    Py_END_CRITICAL_SECTION();
    Py_XDECREF(seq);
}

static PyObject *
iter_iternext(PyObject *self)
{
    seqiterobject *it = (seqiterobject *)self;
    Py_ssize_t index;
    PyObject *seq = seqiter_claim(it, &index);
    if (seq == NULL) {
        return NULL;
    }
    PyObject *result = PySequence_GetItem(seq, index);
    Py_DECREF(seq);
    if (result != NULL) {
        return result;
    }
    if (PyErr_ExceptionMatches(PyExc_IndexError)
        || PyErr_ExceptionMatches(PyExc_StopIteration)) {
        PyErr_Clear();
        seqiter_exhaust(it);
    }
    return NULL;
}

static PyObject *
iter_len(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    seqiterobject *it = (seqiterobject *)self;
    if (it->it_seq != NULL && PySequence_Check(it->it_seq)) {
        Py_ssize_t n = PySequence_Size(it->it_seq);
        if (n == -1) {
            PyErr_Clear();
            Py_RETURN_NOTIMPLEMENTED;
        }
        n -= it->it_index;
        return PyLong_FromSsize_t(n > 0 ? n : 0);
    }
    return PyLong_FromLong(0);
}

static PyMethodDef seqiter_methods[] = {
    {"__length_hint__", iter_len, METH_NOARGS, NULL},
    {NULL}
};

PyTypeObject PySeqIter_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "iterator",
    .tp_basicsize = sizeof(seqiterobject),
    .tp_dealloc = iter_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_traverse = iter_traverse,
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = iter_iternext,
    .tp_methods = seqiter_methods,
};

/* ---- callable iterator ---- */

typedef struct {
    PyObject_HEAD
    PyObject *it_callable;  /* NULL when exhausted */
    PyObject *it_sentinel;
} calliterobject;

PyObject *
PyCallIter_New(PyObject *callable, PyObject *sentinel)
{
    calliterobject *it = PyObject_GC_New(calliterobject, &PyCallIter_Type);
    if (it == NULL) {
        return NULL;
    }
    it->it_callable = Py_NewRef(callable);
    it->it_sentinel = Py_NewRef(sentinel);
    PyObject_GC_Track(it);
    return (PyObject *)it;
}

static void
calliter_dealloc(PyObject *self)
{
    calliterobject *it = (calliterobject *)self;
    PyObject_GC_UnTrack(self);
    Py_XDECREF(it->it_callable);
    Py_XDECREF(it->it_sentinel);
    PyObject_GC_Del(self);
}

static int
calliter_traverse(PyObject *self, visitproc visit, void *arg)
{
    calliterobject *it = (calliterobject *)self;
    Py_VISIT(it->it_callable);
    Py_VISIT(it->it_sentinel);
    return 0;
}

static void
calliter_exhaust(calliterobject *it)
{
    PyObject *c, *s;
    Py_BEGIN_CRITICAL_SECTION(it);
    c = it->it_callable;
    s = it->it_sentinel;
    it->it_callable = NULL;
    it->it_sentinel = NULL;
    Py_END_CRITICAL_SECTION();
    Py_XDECREF(c);
    Py_XDECREF(s);
}

static PyObject *
calliter_iternext(PyObject *self)
{
    calliterobject *it = (calliterobject *)self;
    PyObject *callable, *sentinel;
    Py_BEGIN_CRITICAL_SECTION(it);
    callable = Py_XNewRef(it->it_callable);
    sentinel = Py_XNewRef(it->it_sentinel);
    Py_END_CRITICAL_SECTION();
    if (callable == NULL) {
        return NULL;
    }
    PyObject *result = PyObject_CallNoArgs(callable);
    Py_DECREF(callable);
    if (result != NULL) {
        int ok = PyObject_RichCompareBool(sentinel, result, Py_EQ);
        if (ok == 0) {
            Py_DECREF(sentinel);
            return result;
        }
        Py_DECREF(result);
        if (ok > 0) {
            calliter_exhaust(it);
        }
    }
    else if (PyErr_ExceptionMatches(PyExc_StopIteration)) {
        PyErr_Clear();
        calliter_exhaust(it);
    }
    Py_DECREF(sentinel);
    return NULL;
}

PyTypeObject PyCallIter_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "callable_iterator",
    .tp_basicsize = sizeof(calliterobject),
    .tp_dealloc = calliter_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_traverse = calliter_traverse,
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = calliter_iternext,
};
