/* enumerate and reversed.
 *
 * Thread safety: enumerate's counter and reversed's index are claimed in
 * a critical section on the iterator, so a shared iterator never hands
 * out one index twice; the underlying iterator/sequence does its own
 * locking. */
#include "Python.h"
#include "pycore_critical_section.h"
#include "enumobject.h"

typedef struct {
    PyObject_HEAD
    Py_ssize_t en_index;
    PyObject *en_sit;
    PyObject *en_longindex;     /* once the index overflows */
} enumobject;

static PyObject *
enum_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"iterable", "start", NULL};
    PyObject *iterable, *start = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O|O:enumerate", kwlist,
                                     &iterable, &start)) {
        return NULL;
    }
    enumobject *en = (enumobject *)type->tp_alloc(type, 0);
    if (en == NULL) {
        return NULL;
    }
    en->en_index = 0;
    en->en_longindex = NULL;
    if (start != NULL) {
        start = PyNumber_Index(start);
        if (start == NULL) {
            Py_DECREF(en);
            return NULL;
        }
        en->en_index = PyLong_AsSsize_t(start);
        if (en->en_index == -1 && PyErr_Occurred()) {
            PyErr_Clear();
            en->en_index = PY_SSIZE_T_MAX;
            en->en_longindex = start;
        }
        else {
            Py_DECREF(start);
        }
    }
    en->en_sit = PyObject_GetIter(iterable);
    if (en->en_sit == NULL) {
        Py_DECREF(en);
        return NULL;
    }
    return (PyObject *)en;
}

static void
enum_dealloc(PyObject *self)
{
    enumobject *en = (enumobject *)self;
    PyObject_GC_UnTrack(self);
    Py_XDECREF(en->en_sit);
    Py_XDECREF(en->en_longindex);
    Py_TYPE(self)->tp_free(self);
}

static int
enum_traverse(PyObject *self, visitproc visit, void *arg)
{
    Py_VISIT(((enumobject *)self)->en_sit);
    Py_VISIT(((enumobject *)self)->en_longindex);
    return 0;
}

static PyObject *
enum_next(PyObject *self)
{
    enumobject *en = (enumobject *)self;
    PyObject *item = (*Py_TYPE(en->en_sit)->tp_iternext)(en->en_sit);
    if (item == NULL) {
        return NULL;
    }
    PyObject *idx = NULL;
    Py_BEGIN_CRITICAL_SECTION(en);
    if (en->en_index != PY_SSIZE_T_MAX) {
        idx = PyLong_FromSsize_t(en->en_index++);
    }
    else {
        if (en->en_longindex == NULL) {
            en->en_longindex = PyLong_FromSsize_t(PY_SSIZE_T_MAX);
        }
        if (en->en_longindex != NULL) {
            PyObject *one = PyLong_FromLong(1);
            idx = en->en_longindex;
            en->en_longindex = one ? PyNumber_Add(idx, one) : NULL;
            Py_XDECREF(one);
        }
    }
    Py_END_CRITICAL_SECTION();
    if (idx == NULL) {
        Py_DECREF(item);
        return NULL;
    }
    PyObject *res = PyTuple_New(2);
    if (res == NULL) {
        Py_DECREF(idx);
        Py_DECREF(item);
        return NULL;
    }
    PyTuple_SET_ITEM(res, 0, idx);
    PyTuple_SET_ITEM(res, 1, item);
    return res;
}

static PyMethodDef enum_methods[] = {
    {"__class_getitem__", Py_GenericAlias, METH_O | METH_CLASS,
     "See PEP 585"},
    {NULL}
};

PyTypeObject PyEnum_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "enumerate",
    .tp_basicsize = sizeof(enumobject),
    .tp_dealloc = enum_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC
                | Py_TPFLAGS_BASETYPE,
    .tp_traverse = enum_traverse,
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = enum_next,
    .tp_methods = enum_methods,
    .tp_alloc = PyType_GenericAlloc,
    .tp_new = enum_new,
    .tp_free = PyObject_GC_Del,
};

/* ---- reversed ---- */

typedef struct {
    PyObject_HEAD
    Py_ssize_t index;
    PyObject *seq;
} reversedobject;

static PyObject *
reversed_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *seq;
    if (type == &PyReversed_Type && !_PyArg_NoKeywords("reversed", kwds)) {
        return NULL;
    }
    if (!PyArg_UnpackTuple(args, "reversed", 1, 1, &seq)) {
        return NULL;
    }
    PyObject *name = PyUnicode_InternFromString("__reversed__");
    PyObject *meth = name ? _PyType_LookupRef(Py_TYPE(seq), name) : NULL;
    Py_XDECREF(name);
    if (meth == Py_None) {
        Py_DECREF(meth);
        PyErr_Format(PyExc_TypeError, "'%.200s' object is not reversible",
                     Py_TYPE(seq)->tp_name);
        return NULL;
    }
    if (meth != NULL) {
        PyObject *res = PyObject_CallOneArg(meth, seq);
        Py_DECREF(meth);
        return res;
    }
    if (PyErr_Occurred()) {
        return NULL;
    }
    if (!PySequence_Check(seq) || PyDict_Check(seq)) {
        PyErr_Format(PyExc_TypeError, "'%.200s' object is not reversible",
                     Py_TYPE(seq)->tp_name);
        return NULL;
    }
    Py_ssize_t n = PySequence_Size(seq);
    if (n == -1) {
        return NULL;
    }
    reversedobject *ro = (reversedobject *)type->tp_alloc(type, 0);
    if (ro == NULL) {
        return NULL;
    }
    ro->index = n - 1;
    ro->seq = Py_NewRef(seq);
    return (PyObject *)ro;
}

static void
reversed_dealloc(PyObject *self)
{
    PyObject_GC_UnTrack(self);
    Py_XDECREF(((reversedobject *)self)->seq);
    Py_TYPE(self)->tp_free(self);
}

static int
reversed_traverse(PyObject *self, visitproc visit, void *arg)
{
    Py_VISIT(((reversedobject *)self)->seq);
    return 0;
}

static PyObject *
reversed_next(PyObject *self)
{
    reversedobject *ro = (reversedobject *)self;
    Py_ssize_t index;
    PyObject *seq;
    Py_BEGIN_CRITICAL_SECTION(ro);
    index = ro->index;
    seq = Py_XNewRef(ro->seq);
    if (index >= 0) {
        ro->index--;
    }
    Py_END_CRITICAL_SECTION();
    if (seq == NULL) {
        return NULL;
    }
    if (index >= 0) {
        PyObject *item = PySequence_GetItem(seq, index);
        if (item != NULL) {
            Py_DECREF(seq);
            return item;
        }
        if (PyErr_ExceptionMatches(PyExc_IndexError)
            || PyErr_ExceptionMatches(PyExc_StopIteration)) {
            PyErr_Clear();
        }
    }
    Py_BEGIN_CRITICAL_SECTION(ro);
    ro->index = -1;
    Py_CLEAR(ro->seq);
    Py_END_CRITICAL_SECTION();
    Py_DECREF(seq);
    return NULL;
}

static PyObject *
reversed_len(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    reversedobject *ro = (reversedobject *)self;
    if (ro->seq == NULL) {
        return PyLong_FromLong(0);
    }
    Py_ssize_t n = PySequence_Size(ro->seq);
    if (n == -1) {
        return NULL;
    }
    Py_ssize_t left = ro->index + 1 > n ? 0 : ro->index + 1;
    return PyLong_FromSsize_t(left);
}

static PyMethodDef reversed_methods[] = {
    {"__length_hint__", reversed_len, METH_NOARGS, NULL},
    {NULL}
};

PyTypeObject PyReversed_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "reversed",
    .tp_basicsize = sizeof(reversedobject),
    .tp_dealloc = reversed_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC
                | Py_TPFLAGS_BASETYPE,
    .tp_traverse = reversed_traverse,
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = reversed_next,
    .tp_methods = reversed_methods,
    .tp_alloc = PyType_GenericAlloc,
    .tp_new = reversed_new,
    .tp_free = PyObject_GC_Del,
};
