/* The _functools module: reduce and cmp_to_key (KeyWrapper).
 *
 * partial and _lru_cache_wrapper are not provided yet; functools.py
 * falls back to its pure-Python versions for both.
 *
 * Thread safety: KeyWrapper objects are immutable after creation (cmp
 * and obj are set once); reduce keeps its running value in a local.
 * Nothing here locks and the module has no mutable C state. */
#include "Python.h"

/* reduce(function, iterable[, initial]).  New reference. */
static PyObject *
functools_reduce(PyObject *module, PyObject *args)
{
    PyObject *func, *seq, *result = NULL;
    if (!PyArg_UnpackTuple(args, "reduce", 2, 3, &func, &seq, &result)) {
        return NULL;
    }
    PyObject *it = PyObject_GetIter(seq);
    if (it == NULL) {
        if (PyErr_ExceptionMatches(PyExc_TypeError)) {
            PyErr_SetString(PyExc_TypeError,
                            "reduce() arg 2 must support iteration");
        }
        return NULL;
    }
    Py_XINCREF(result);
    PyObject *item;
    while ((item = PyIter_Next(it)) != NULL) {
        if (result == NULL) {
            result = item;
            continue;
        }
        PyObject *pair[2] = {result, item};
        PyObject *r = PyObject_Vectorcall(func, pair, 2, NULL);
        Py_DECREF(item);
        Py_SETREF(result, r);
        if (result == NULL) {
            break;
        }
    }
    Py_DECREF(it);
    if (PyErr_Occurred()) {
        Py_XDECREF(result);
        return NULL;
    }
    if (result == NULL) {
        PyErr_SetString(PyExc_TypeError,
                        "reduce() of empty iterable with no initial value");
    }
    return result;
}

/* ---- cmp_to_key ---- */

typedef struct {
    PyObject_HEAD
    PyObject *cmp;      /* owned */
    PyObject *object;   /* owned; NULL for the factory object */
} keyobject;

static PyTypeObject keyobject_type;

static void
keyobject_dealloc(PyObject *self)
{
    keyobject *ko = (keyobject *)self;
    PyObject_GC_UnTrack(self);
    Py_XDECREF(ko->cmp);
    Py_XDECREF(ko->object);
    PyObject_GC_Del(self);
}

static int
keyobject_traverse(PyObject *self, visitproc visit, void *arg)
{
    Py_VISIT(((keyobject *)self)->cmp);
    Py_VISIT(((keyobject *)self)->object);
    return 0;
}

/* New KeyWrapper over cmp and obj (both borrowed; obj may be NULL). */
static PyObject *
keyobject_make(PyObject *cmp, PyObject *obj)
{
    keyobject *ko = PyObject_GC_New(keyobject, &keyobject_type);
    if (ko == NULL) {
        return NULL;
    }
    ko->cmp = Py_NewRef(cmp);
    ko->object = Py_XNewRef(obj);
    PyObject_GC_Track(ko);
    return (PyObject *)ko;
}

/* K(obj): wrap obj with the same cmp.  New reference. */
static PyObject *
keyobject_call(PyObject *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"obj", NULL};
    PyObject *obj;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O:K", kwlist, &obj)) {
        return NULL;
    }
    return keyobject_make(((keyobject *)self)->cmp, obj);
}

/* Compare by calling cmp(a, b) and comparing the result with 0. */
static PyObject *
keyobject_richcompare(PyObject *a, PyObject *b, int op)
{
    if (!Py_IS_TYPE(b, &keyobject_type)) {
        PyErr_SetString(PyExc_TypeError, "other argument must be K instance");
        return NULL;
    }
    keyobject *ka = (keyobject *)a, *kb = (keyobject *)b;
    if (ka->object == NULL || kb->object == NULL) {
        PyErr_Format(PyExc_AttributeError, "object");
        return NULL;
    }
    PyObject *pair[2] = {ka->object, kb->object};
    PyObject *res = PyObject_Vectorcall(ka->cmp, pair, 2, NULL);
    if (res == NULL) {
        return NULL;
    }
    PyObject *zero = PyLong_FromLong(0);
    PyObject *answer = zero ? PyObject_RichCompare(res, zero, op) : NULL;
    Py_XDECREF(zero);
    Py_DECREF(res);
    return answer;
}

static PyObject *
keyobject_get_obj(PyObject *self, void *unused)
{
    keyobject *ko = (keyobject *)self;
    if (ko->object == NULL) {
        PyErr_SetString(PyExc_AttributeError, "obj");
        return NULL;
    }
    return Py_NewRef(ko->object);
}

static PyGetSetDef keyobject_getset[] = {
    {"obj", keyobject_get_obj, NULL, NULL, NULL},
    {NULL}
};

static PyTypeObject keyobject_type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "functools.KeyWrapper",
    .tp_basicsize = sizeof(keyobject),
    .tp_dealloc = keyobject_dealloc,
    .tp_call = keyobject_call,
    .tp_hash = PyObject_HashNotImplemented,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_traverse = keyobject_traverse,
    .tp_richcompare = keyobject_richcompare,
    .tp_getset = keyobject_getset,
    .tp_free = PyObject_GC_Del,
};

/* cmp_to_key(mycmp): the key-function factory.  New reference. */
static PyObject *
functools_cmp_to_key(PyObject *module, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"mycmp", NULL};
    PyObject *cmp;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O:cmp_to_key", kwlist,
                                     &cmp)) {
        return NULL;
    }
    return keyobject_make(cmp, NULL);
}

static PyMethodDef functools_methods[] = {
    {"reduce", functools_reduce, METH_VARARGS, NULL},
    {"cmp_to_key", (PyCFunction)(void (*)(void))functools_cmp_to_key,
     METH_VARARGS | METH_KEYWORDS, NULL},
    {NULL}
};

static PyModuleDef functools_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_functools",
    .m_doc = "Tools that operate on functions.",
    .m_size = 0,
    .m_methods = functools_methods,
};

/* Create the _functools module.  Returns a new reference. */
PyMODINIT_FUNC
PyInit__functools(void)
{
    if (PyType_Ready(&keyobject_type) < 0) {
        return NULL;
    }
    return PyModule_Create(&functools_module);
}
