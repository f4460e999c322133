/* Bound methods (`obj.f` for a Python function f) and instancemethod.
 * Immutable once made: no locks. */
#include "Python.h"
#include "pycore_ceval.h"
#include "pycore_global_strings.h"
#include "pycore_typeobject.h"
#include "pycore_ceval_helpers.h"

/* Calls the function with self prepended, using the slot before ARGS when
   the caller allows it. */
static PyObject *
method_vectorcall(PyObject *method, PyObject *const *args, size_t nargsf,
                  PyObject *kwnames)
{
    PyObject *self = PyMethod_GET_SELF(method);
    PyObject *func = PyMethod_GET_FUNCTION(method);
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    Py_ssize_t nkw = kwnames == NULL ? 0 : PyTuple_GET_SIZE(kwnames);
    if (nargsf & PY_VECTORCALL_ARGUMENTS_OFFSET) {
        PyObject **newargs = (PyObject **)args - 1;
        PyObject *saved = newargs[0];
        newargs[0] = self;
        PyObject *res = PyObject_Vectorcall(func, newargs, (size_t)nargs + 1,
                                            kwnames);
        newargs[0] = saved;
        return res;
    }
    Py_ssize_t total = nargs + nkw;
    PyObject *small[8];
    PyObject **newargs = small;
    if (total + 1 > (Py_ssize_t)Py_ARRAY_LENGTH(small)) {
        newargs = PyMem_Malloc(sizeof(PyObject *) * (size_t)(total + 1));
        if (newargs == NULL) {
            return PyErr_NoMemory();
        }
    }
    newargs[0] = self;
    if (total > 0) {
        memcpy(newargs + 1, args, sizeof(PyObject *) * (size_t)total);
    }
    PyObject *res = PyObject_Vectorcall(func, newargs, (size_t)nargs + 1,
                                        kwnames);
    if (newargs != small) {
        PyMem_Free(newargs);
    }
    return res;
}

PyObject *
PyMethod_New(PyObject *func, PyObject *self)
{
    if (self == NULL) {
        PyErr_BadInternalCall();
        return NULL;
    }
    PyMethodObject *im = PyObject_GC_New(PyMethodObject, &PyMethod_Type);
    if (im == NULL) {
        return NULL;
    }
    im->im_weakreflist = NULL;
    im->im_func = Py_NewRef(func);
    im->im_self = Py_NewRef(self);
    im->vectorcall = method_vectorcall;
    PyObject_GC_Track(im);
    return (PyObject *)im;
}

PyObject *
PyMethod_Function(PyObject *im)
{
    if (!PyMethod_Check(im)) {
        PyErr_BadInternalCall();
        return NULL;
    }
    return PyMethod_GET_FUNCTION(im);
}

PyObject *
PyMethod_Self(PyObject *im)
{
    if (!PyMethod_Check(im)) {
        PyErr_BadInternalCall();
        return NULL;
    }
    return PyMethod_GET_SELF(im);
}

static void
method_dealloc(PyObject *self)
{
    PyMethodObject *im = (PyMethodObject *)self;
    PyObject_GC_UnTrack(self);
    PyObject_ClearWeakRefs(self);
    Py_DECREF(im->im_func);
    Py_XDECREF(im->im_self);
    PyObject_GC_Del(self);
}

static int
method_traverse(PyObject *self, visitproc visit, void *arg)
{
    PyMethodObject *im = (PyMethodObject *)self;
    Py_VISIT(im->im_func);
    Py_VISIT(im->im_self);
    return 0;
}

/* Attributes: the method type's own, then the function's. */
static PyObject *
method_getattro(PyObject *obj, PyObject *name)
{
    PyTypeObject *tp = Py_TYPE(obj);
    PyObject *descr = _PyType_LookupRef(tp, name);
    if (descr != NULL) {
        descrgetfunc f = Py_TYPE(descr)->tp_descr_get;
        if (f != NULL) {
            PyObject *res = f(descr, obj, (PyObject *)tp);
            Py_DECREF(descr);
            return res;
        }
        return descr;
    }
    return PyObject_GetAttr(PyMethod_GET_FUNCTION(obj), name);
}

static PyObject *
method_repr(PyObject *self)
{
    PyMethodObject *im = (PyMethodObject *)self;
    PyObject *name = NULL;
    if (_PyObject_LookupAttr(im->im_func, _Py_STR(__qualname__), &name)
        < 0) {
        return NULL;
    }
    if (name == NULL
        && _PyObject_LookupAttr(im->im_func, _Py_STR(__name__), &name) < 0) {
        return NULL;
    }
    PyObject *res;
    if (name != NULL && PyUnicode_Check(name)) {
        res = PyUnicode_FromFormat("<bound method %U of %R>", name,
                                   im->im_self);
    }
    else {
        res = PyUnicode_FromFormat("<bound method ? of %R>", im->im_self);
    }
    Py_XDECREF(name);
    return res;
}

static PyObject *
method_richcompare(PyObject *a, PyObject *b, int op)
{
    if ((op != Py_EQ && op != Py_NE) || !PyMethod_Check(a)
        || !PyMethod_Check(b)) {
        Py_RETURN_NOTIMPLEMENTED;
    }
    PyMethodObject *x = (PyMethodObject *)a;
    PyMethodObject *y = (PyMethodObject *)b;
    int eq = PyObject_RichCompareBool(x->im_func, y->im_func, Py_EQ);
    if (eq < 0) {
        return NULL;
    }
    if (eq) {
        eq = x->im_self == y->im_self;
    }
    return Py_NewRef((eq == (op == Py_EQ)) ? Py_True : Py_False);
}

static Py_hash_t
method_hash(PyObject *self)
{
    PyMethodObject *im = (PyMethodObject *)self;
    Py_hash_t x = _Py_HashPointer(im->im_self);
    Py_hash_t y = PyObject_Hash(im->im_func);
    if (y == -1) {
        return -1;
    }
    x = x ^ y;
    if (x == -1) {
        x = -2;
    }
    return x;
}

static PyObject *
method_get_func(PyObject *self, void *c)
{
    return Py_NewRef(PyMethod_GET_FUNCTION(self));
}

static PyObject *
method_get_self(PyObject *self, void *c)
{
    return Py_NewRef(PyMethod_GET_SELF(self));
}

static PyObject *
method_get_doc(PyObject *self, void *c)
{
    return PyObject_GetAttr(PyMethod_GET_FUNCTION(self), _Py_STR(__doc__));
}

/* A bound method pickles as getattr(self, func.__name__). */
static PyObject *
method_reduce(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    PyMethodObject *m = (PyMethodObject *)self;
    PyObject *name = PyObject_GetAttr(m->im_func, _Py_ID(__name__));
    if (name == NULL) {
        return NULL;
    }
    PyObject *res = _PyObject_ReduceGetattr(m->im_self, name);
    Py_DECREF(name);
    return res;
}

static PyMethodDef method_methods[] = {
    {"__reduce__", method_reduce, METH_NOARGS, NULL},
    {NULL}
};

static PyGetSetDef method_getset[] = {
    {"__func__", method_get_func, NULL, NULL, NULL},
    {"__self__", method_get_self, NULL, NULL, NULL},
    {"__doc__", method_get_doc, NULL, NULL, NULL},
    {NULL}
};

static PyObject *
method_new(PyTypeObject *type, PyObject *args, PyObject *kw)
{
    PyObject *func, *self;
    if (!_PyArg_NoKeywords("method", kw)) {
        return NULL;
    }
    if (!PyArg_UnpackTuple(args, "method", 2, 2, &func, &self)) {
        return NULL;
    }
    if (!PyCallable_Check(func)) {
        PyErr_SetString(PyExc_TypeError, "first argument must be callable");
        return NULL;
    }
    if (self == NULL || self == Py_None) {
        PyErr_SetString(PyExc_TypeError, "instance must not be None");
        return NULL;
    }
    return PyMethod_New(func, self);
}

static PyObject *
method_descr_get(PyObject *meth, PyObject *obj, PyObject *cls)
{
    return Py_NewRef(meth);
}

PyTypeObject PyMethod_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "method",
    .tp_basicsize = sizeof(PyMethodObject),
    .tp_dealloc = method_dealloc,
    .tp_vectorcall_offset = offsetof(PyMethodObject, vectorcall),
    .tp_repr = method_repr,
    .tp_hash = method_hash,
    .tp_call = PyVectorcall_Call,
    .tp_getattro = method_getattro,
    .tp_setattro = PyObject_GenericSetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC
                | Py_TPFLAGS_HAVE_VECTORCALL,
    .tp_traverse = method_traverse,
    .tp_richcompare = method_richcompare,
    .tp_weaklistoffset = offsetof(PyMethodObject, im_weakreflist),
    .tp_methods = method_methods,
    .tp_getset = method_getset,
    .tp_descr_get = method_descr_get,
    .tp_new = method_new,
};

/* ---- instancemethod: binds a callable like a function does ---- */

PyObject *
PyInstanceMethod_New(PyObject *func)
{
    PyMethodObject *im = PyObject_GC_New(PyMethodObject,
                                         &PyInstanceMethod_Type);
    if (im == NULL) {
        return NULL;
    }
    im->im_func = Py_NewRef(func);
    im->im_self = NULL;
    im->im_weakreflist = NULL;
    im->vectorcall = NULL;
    PyObject_GC_Track(im);
    return (PyObject *)im;
}

PyObject *
PyInstanceMethod_Function(PyObject *im)
{
    if (!PyInstanceMethod_Check(im)) {
        PyErr_BadInternalCall();
        return NULL;
    }
    return PyInstanceMethod_GET_FUNCTION(im);
}

static PyObject *
instancemethod_call(PyObject *self, PyObject *args, PyObject *kw)
{
    return PyObject_Call(PyInstanceMethod_GET_FUNCTION(self), args, kw);
}

static PyObject *
instancemethod_descr_get(PyObject *descr, PyObject *obj, PyObject *type)
{
    PyObject *func = PyInstanceMethod_GET_FUNCTION(descr);
    if (obj == NULL) {
        return Py_NewRef(func);
    }
    return PyMethod_New(func, obj);
}

PyTypeObject PyInstanceMethod_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "instancemethod",
    .tp_basicsize = sizeof(PyMethodObject),
    .tp_dealloc = method_dealloc,
    .tp_call = instancemethod_call,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_traverse = method_traverse,
    .tp_descr_get = instancemethod_descr_get,
};
