/* slice objects and Ellipsis.  Slices are immutable (start, stop and step
 * are set at creation), so nothing locks. */
#include "Python.h"
#include "pycore_object.h"
#include "pycore_excstate.h"
#include "pycore_abstract.h"
#include "pycore_long.h"
#include "structmember.h"

#include <stddef.h>

/* ================================================================ Ellipsis */

static PyObject *
ellipsis_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    if (PyTuple_GET_SIZE(args) || (kwargs && PyDict_GET_SIZE(kwargs))) {
        PyErr_SetString(PyExc_TypeError, "ellipsis takes no arguments");
        return NULL;
    }
    return Py_NewRef(Py_Ellipsis);
}

static PyObject *
ellipsis_repr(PyObject *op)
{
    return PyUnicode_FromString("Ellipsis");
}

static PyObject *
ellipsis_reduce(PyObject *op, PyObject *Py_UNUSED(ignored))
{
    return PyUnicode_FromString("Ellipsis");
}

static PyMethodDef ellipsis_methods[] = {
    {"__reduce__", ellipsis_reduce, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

PyTypeObject PyEllipsis_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "ellipsis",
    .tp_basicsize = 0,
    .tp_repr = ellipsis_repr,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_methods = ellipsis_methods,
    .tp_new = ellipsis_new,
};

PyObject _Py_EllipsisObject = {
    .ob_tid = 0,
    .ob_ref_local = _Py_IMMORTAL_REFCNT_LOCAL,
    .ob_type = &PyEllipsis_Type,
};

/* ================================================================ slice */

PyObject *
PySlice_New(PyObject *start, PyObject *stop, PyObject *step)
{
    PySliceObject *obj = PyObject_GC_New(PySliceObject, &PySlice_Type);
    if (obj == NULL) {
        return NULL;
    }
    obj->start = Py_NewRef(start != NULL ? start : Py_None);
    obj->stop = Py_NewRef(stop != NULL ? stop : Py_None);
    obj->step = Py_NewRef(step != NULL ? step : Py_None);
    PyObject_GC_Track(obj);
    return (PyObject *)obj;
}

/* None or __index__, clamped to the Py_ssize_t range; 1 on success, 0
   with TypeError. */
int
_PyEval_SliceIndex(PyObject *v, Py_ssize_t *pi)
{
    if (v == Py_None) {
        return 1;
    }
    if (_PyIndex_Check(v)) {
        Py_ssize_t x = PyNumber_AsSsize_t(v, NULL);
        if (x == -1 && PyErr_Occurred()) {
            return 0;
        }
        *pi = x;
        return 1;
    }
    PyErr_SetString(PyExc_TypeError,
                    "slice indices must be integers or None or have an "
                    "__index__ method");
    return 0;
}

int
PySlice_Unpack(PyObject *_r, Py_ssize_t *start, Py_ssize_t *stop,
               Py_ssize_t *step)
{
    PySliceObject *r = (PySliceObject *)_r;
    if (r->step == Py_None) {
        *step = 1;
    }
    else {
        if (!_PyEval_SliceIndex(r->step, step)) {
            return -1;
        }
        if (*step == 0) {
            PyErr_SetString(PyExc_ValueError, "slice step cannot be zero");
            return -1;
        }
        /* Keep -step from overflowing. */
        if (*step < -PY_SSIZE_T_MAX) {
            *step = -PY_SSIZE_T_MAX;
        }
    }
    if (r->start == Py_None) {
        *start = *step < 0 ? PY_SSIZE_T_MAX : 0;
    }
    else if (!_PyEval_SliceIndex(r->start, start)) {
        return -1;
    }
    if (r->stop == Py_None) {
        *stop = *step < 0 ? PY_SSIZE_T_MIN : PY_SSIZE_T_MAX;
    }
    else if (!_PyEval_SliceIndex(r->stop, stop)) {
        return -1;
    }
    return 0;
}

Py_ssize_t
PySlice_AdjustIndices(Py_ssize_t length, Py_ssize_t *start, Py_ssize_t *stop,
                      Py_ssize_t step)
{
    if (*start < 0) {
        *start += length;
        if (*start < 0) {
            *start = (step < 0) ? -1 : 0;
        }
    }
    else if (*start >= length) {
        *start = (step < 0) ? length - 1 : length;
    }
    if (*stop < 0) {
        *stop += length;
        if (*stop < 0) {
            *stop = (step < 0) ? -1 : 0;
        }
    }
    else if (*stop >= length) {
        *stop = (step < 0) ? length - 1 : length;
    }
    if (step < 0) {
        if (*stop < *start) {
            return (*start - *stop - 1) / (-step) + 1;
        }
    }
    else if (*start < *stop) {
        return (*stop - *start - 1) / step + 1;
    }
    return 0;
}

int
PySlice_GetIndicesEx(PyObject *r, Py_ssize_t length, Py_ssize_t *start,
                     Py_ssize_t *stop, Py_ssize_t *step,
                     Py_ssize_t *slicelength)
{
    if (PySlice_Unpack(r, start, stop, step) < 0) {
        return -1;
    }
    *slicelength = PySlice_AdjustIndices(length, start, stop, *step);
    return 0;
}

int
PySlice_GetIndices(PyObject *_r, Py_ssize_t length, Py_ssize_t *start,
                   Py_ssize_t *stop, Py_ssize_t *step)
{
    PySliceObject *r = (PySliceObject *)_r;
    if (r->step == Py_None) {
        *step = 1;
    }
    else {
        if (!PyLong_Check(r->step)) {
            return -1;
        }
        *step = PyLong_AsSsize_t(r->step);
    }
    if (r->start == Py_None) {
        *start = *step < 0 ? length - 1 : 0;
    }
    else {
        if (!PyLong_Check(r->start)) {
            return -1;
        }
        *start = PyLong_AsSsize_t(r->start);
        if (*start < 0) {
            *start += length;
        }
    }
    if (r->stop == Py_None) {
        *stop = *step < 0 ? -1 : length;
    }
    else {
        if (!PyLong_Check(r->stop)) {
            return -1;
        }
        *stop = PyLong_AsSsize_t(r->stop);
        if (*stop < 0) {
            *stop += length;
        }
    }
    if (*stop > length || *start >= length || *step == 0) {
        return -1;
    }
    return 0;
}

static PyObject *
slice_new(PyTypeObject *type, PyObject *args, PyObject *kw)
{
    PyObject *start = NULL, *stop = NULL, *step = NULL;
    if (!_PyArg_NoKeywords("slice", kw)) {
        return NULL;
    }
    if (!PyArg_UnpackTuple(args, "slice", 1, 3, &start, &stop, &step)) {
        return NULL;
    }
    if (stop == NULL) {
        stop = start;
        start = NULL;
    }
    return PySlice_New(start, stop, step);
}

static void
slice_dealloc(PyObject *self)
{
    PySliceObject *r = (PySliceObject *)self;
    PyObject_GC_UnTrack(self);
    Py_DECREF(r->step);
    Py_DECREF(r->start);
    Py_DECREF(r->stop);
    PyObject_GC_Del(self);
}

static PyObject *
slice_repr(PyObject *self)
{
    PySliceObject *r = (PySliceObject *)self;
    return PyUnicode_FromFormat("slice(%R, %R, %R)", r->start, r->stop,
                                r->step);
}

static PyMemberDef slice_members[] = {
    {"start", T_OBJECT, offsetof(PySliceObject, start), READONLY, NULL},
    {"stop", T_OBJECT, offsetof(PySliceObject, stop), READONLY, NULL},
    {"step", T_OBJECT, offsetof(PySliceObject, step), READONLY, NULL},
    {NULL, 0, 0, 0, NULL}
};

/* slice.indices(length) with arbitrary-size ints, as in CPython: each
   bound is clamped into [lower, upper] computed from the step. */
static PyObject *
evaluate_slice_index(PyObject *v)
{
    if (_PyIndex_Check(v)) {
        return PyNumber_Index(v);
    }
    PyErr_SetString(PyExc_TypeError,
                    "slice indices must be integers or None or have an "
                    "__index__ method");
    return NULL;
}

static PyObject *
clamp_index(PyObject *v, PyObject *length, PyObject *lower, PyObject *upper,
            int step_is_negative, int is_start)
{
    if (v == Py_None) {
        if (is_start) {
            return Py_NewRef(step_is_negative ? upper : lower);
        }
        return Py_NewRef(step_is_negative ? lower : upper);
    }
    PyObject *idx = evaluate_slice_index(v);
    if (idx == NULL) {
        return NULL;
    }
    if (_PyLong_Sign(idx) < 0) {
        Py_SETREF(idx, PyNumber_Add(idx, length));
        if (idx == NULL) {
            return NULL;
        }
        int cmp = PyObject_RichCompareBool(idx, lower, Py_LT);
        if (cmp < 0) {
            Py_DECREF(idx);
            return NULL;
        }
        if (cmp) {
            Py_SETREF(idx, Py_NewRef(lower));
        }
    }
    else {
        int cmp = PyObject_RichCompareBool(idx, upper, Py_GT);
        if (cmp < 0) {
            Py_DECREF(idx);
            return NULL;
        }
        if (cmp) {
            Py_SETREF(idx, Py_NewRef(upper));
        }
    }
    return idx;
}

static PyObject *
slice_indices(PyObject *self, PyObject *len)
{
    PySliceObject *r = (PySliceObject *)self;
    PyObject *length = evaluate_slice_index(len);
    if (length == NULL) {
        return NULL;
    }
    if (_PyLong_Sign(length) < 0) {
        PyErr_SetString(PyExc_ValueError, "length should not be negative");
        Py_DECREF(length);
        return NULL;
    }
    PyObject *step, *lower = NULL, *upper = NULL, *start = NULL,
             *stop = NULL;
    int step_is_negative;
    if (r->step == Py_None) {
        step = PyLong_FromLong(1);
        if (step == NULL) {
            goto error;
        }
        step_is_negative = 0;
    }
    else {
        step = evaluate_slice_index(r->step);
        if (step == NULL) {
            goto error;
        }
        int sign = _PyLong_Sign(step);
        if (sign == 0) {
            PyErr_SetString(PyExc_ValueError, "slice step cannot be zero");
            goto error;
        }
        step_is_negative = sign < 0;
    }
    if (step_is_negative) {
        lower = PyLong_FromLong(-1);
        if (lower == NULL) {
            goto error;
        }
        upper = PyNumber_Add(length, lower);
    }
    else {
        lower = PyLong_FromLong(0);
        upper = Py_NewRef(length);
    }
    if (lower == NULL || upper == NULL) {
        goto error;
    }
    start = clamp_index(r->start, length, lower, upper, step_is_negative, 1);
    if (start == NULL) {
        goto error;
    }
    stop = clamp_index(r->stop, length, lower, upper, step_is_negative, 0);
    if (stop == NULL) {
        goto error;
    }
    Py_DECREF(lower);
    Py_DECREF(upper);
    Py_DECREF(length);
    return Py_BuildValue("(NNN)", start, stop, step);
error:
    Py_XDECREF(step);
    Py_XDECREF(lower);
    Py_XDECREF(upper);
    Py_XDECREF(start);
    Py_XDECREF(stop);
    Py_DECREF(length);
    return NULL;
}

static PyObject *
slice_reduce(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    PySliceObject *r = (PySliceObject *)self;
    return Py_BuildValue("O(OOO)", Py_TYPE(r), r->start, r->stop, r->step);
}

static PyMethodDef slice_methods[] = {
    {"indices", slice_indices, METH_O,
     "S.indices(len) -> (start, stop, stride)\n\n"
     "Assuming a sequence of length len, calculate the start and stop\n"
     "indices, and the stride length of the extended slice described by\n"
     "S. Out of bounds indices are clipped in a manner consistent with the\n"
     "handling of normal slices."},
    {"__reduce__", slice_reduce, METH_NOARGS,
     "Return state information for pickling."},
    {NULL, NULL, 0, NULL}
};

/* Slices compare like (start, stop, step) tuples. */
static PyObject *
slice_richcompare(PyObject *v, PyObject *w, int op)
{
    if (!PySlice_Check(v) || !PySlice_Check(w)) {
        Py_RETURN_NOTIMPLEMENTED;
    }
    if (v == w) {
        switch (op) {
        case Py_EQ:
        case Py_LE:
        case Py_GE:
            Py_RETURN_TRUE;
        case Py_NE:
        case Py_LT:
        case Py_GT:
            Py_RETURN_FALSE;
        }
    }
    PySliceObject *a = (PySliceObject *)v, *b = (PySliceObject *)w;
    PyObject *t1 = PyTuple_Pack(3, a->start, a->stop, a->step);
    if (t1 == NULL) {
        return NULL;
    }
    PyObject *t2 = PyTuple_Pack(3, b->start, b->stop, b->step);
    if (t2 == NULL) {
        Py_DECREF(t1);
        return NULL;
    }
    PyObject *res = PyObject_RichCompare(t1, t2, op);
    Py_DECREF(t1);
    Py_DECREF(t2);
    return res;
}

static int
slice_traverse(PyObject *self, visitproc visit, void *arg)
{
    PySliceObject *v = (PySliceObject *)self;
    Py_VISIT(v->start);
    Py_VISIT(v->stop);
    Py_VISIT(v->step);
    return 0;
}

PyTypeObject PySlice_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "slice",
    .tp_basicsize = sizeof(PySliceObject),
    .tp_dealloc = slice_dealloc,
    .tp_repr = slice_repr,
    .tp_hash = PyObject_HashNotImplemented,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_doc = "slice(stop)\nslice(start, stop[, step])\n\n"
              "Create a slice object.  This is used for extended slicing "
              "(e.g. a[0:10:2]).",
    .tp_traverse = slice_traverse,
    .tp_richcompare = slice_richcompare,
    .tp_methods = slice_methods,
    .tp_members = slice_members,
    .tp_new = slice_new,
};

int
_PySlice_InitTypes(void)
{
    if (PyType_Ready(&PyEllipsis_Type) < 0 ||
        PyType_Ready(&PySlice_Type) < 0) {
        return -1;
    }
    return 0;
}
