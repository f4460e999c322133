/* types.SimpleNamespace: attribute access over an instance dict, with a
 * keyword-only constructor, a "namespace(a=1, ...)" repr and equality by
 * dict.
 *
 * Thread safety.  The only state is the instance dict (ns_dict), which is
 * set at allocation and never replaced from C, so it is read without a
 * lock; the dict does its own locking for every read and write, and
 * attribute access goes through the generic getattr/setattr on it. */
#include "Python.h"
#include "pycore_namespace.h"
#include "structmember.h"

#include <stddef.h>

typedef struct {
    PyObject_HEAD
    PyObject *ns_dict;
} _PyNamespaceObject;

static PyMemberDef namespace_members[] = {
    {"__dict__", T_OBJECT, offsetof(_PyNamespaceObject, ns_dict), READONLY,
     NULL},
    {NULL, 0, 0, 0, NULL}
};

static PyObject *
namespace_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *self = type->tp_alloc(type, 0);
    if (self == NULL) {
        return NULL;
    }
    _PyNamespaceObject *ns = (_PyNamespaceObject *)self;
    ns->ns_dict = PyDict_New();
    if (ns->ns_dict == NULL) {
        Py_DECREF(self);
        return NULL;
    }
    return self;
}

/* __init__(**kwargs): adds (or overwrites) the given attributes. */
static int
namespace_init(PyObject *self, PyObject *args, PyObject *kwds)
{
    if (PyTuple_GET_SIZE(args) != 0) {
        PyErr_SetString(PyExc_TypeError, "no positional arguments expected");
        return -1;
    }
    if (kwds == NULL) {
        return 0;
    }
    if (!PyArg_ValidateKeywordArguments(kwds)) {
        return -1;
    }
    return PyDict_Update(((_PyNamespaceObject *)self)->ns_dict, kwds);
}

static void
namespace_dealloc(PyObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    Py_CLEAR(((_PyNamespaceObject *)self)->ns_dict);
    tp->tp_free(self);
}

static int
namespace_traverse(PyObject *self, visitproc visit, void *arg)
{
    Py_VISIT(((_PyNamespaceObject *)self)->ns_dict);
    return 0;
}

static int
namespace_clear(PyObject *self)
{
    Py_CLEAR(((_PyNamespaceObject *)self)->ns_dict);
    return 0;
}

/* One "key=repr(value)" part of the repr, or NULL. */
static PyObject *
repr_item(PyObject *key, PyObject *value)
{
    return PyUnicode_FromFormat("%U=%R", key, value);
}

/* "namespace(a=1, b=2)" (the class name for subclasses), "namespace(...)"
   for a recursive reference. */
static PyObject *
namespace_repr(PyObject *self)
{
    const char *name = Py_IS_TYPE(self, &_PyNamespace_Type)
                           ? "namespace" : Py_TYPE(self)->tp_name;
    int r = Py_ReprEnter(self);
    if (r != 0) {
        return r > 0 ? PyUnicode_FromFormat("%s(...)", name) : NULL;
    }
    PyObject *res = NULL, *parts = PyList_New(0);
    PyObject *items = NULL, *sep = NULL, *body = NULL;
    PyObject *d = ((_PyNamespaceObject *)self)->ns_dict;
    if (parts == NULL || (items = PyDict_Items(d)) == NULL) {
        goto done;
    }
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(items); i++) {
        PyObject *kv = PyList_GET_ITEM(items, i);
        PyObject *key = PyTuple_GET_ITEM(kv, 0);
        if (!PyUnicode_Check(key)) {
            continue;
        }
        PyObject *s = repr_item(key, PyTuple_GET_ITEM(kv, 1));
        if (s == NULL || PyList_Append(parts, s) < 0) {
            Py_XDECREF(s);
            goto done;
        }
        Py_DECREF(s);
    }
    sep = PyUnicode_FromString(", ");
    body = sep ? PyUnicode_Join(sep, parts) : NULL;
    if (body != NULL) {
        res = PyUnicode_FromFormat("%s(%U)", name, body);
    }
done:
    Py_XDECREF(parts);
    Py_XDECREF(items);
    Py_XDECREF(sep);
    Py_XDECREF(body);
    Py_ReprLeave(self);
    return res;
}

/* == and != compare the dicts of two namespaces (subclasses included). */
static PyObject *
namespace_richcompare(PyObject *self, PyObject *other, int op)
{
    if (PyObject_TypeCheck(self, &_PyNamespace_Type) &&
        PyObject_TypeCheck(other, &_PyNamespace_Type) &&
        (op == Py_EQ || op == Py_NE)) {
        return PyObject_RichCompare(((_PyNamespaceObject *)self)->ns_dict,
                                    ((_PyNamespaceObject *)other)->ns_dict,
                                    op);
    }
    Py_RETURN_NOTIMPLEMENTED;
}

/* __reduce__: (type, (), dict copy). */
static PyObject *
namespace_reduce(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    PyObject *d = PyDict_Copy(((_PyNamespaceObject *)self)->ns_dict);
    if (d == NULL) {
        return NULL;
    }
    PyObject *res = Py_BuildValue("(O()N)", Py_TYPE(self), d);
    return res;
}

static PyMethodDef namespace_methods[] = {
    {"__reduce__", namespace_reduce, METH_NOARGS,
     "Return state information for pickling"},
    {NULL, NULL, 0, NULL}
};

PyTypeObject _PyNamespace_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "types.SimpleNamespace",
    .tp_basicsize = sizeof(_PyNamespaceObject),
    .tp_dealloc = namespace_dealloc,
    .tp_repr = namespace_repr,
    .tp_hash = PyObject_HashNotImplemented,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_setattro = PyObject_GenericSetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC |
                Py_TPFLAGS_BASETYPE,
    .tp_doc = "A simple attribute-based namespace.\n\n"
              "SimpleNamespace(**kwargs)",
    .tp_traverse = namespace_traverse,
    .tp_clear = namespace_clear,
    .tp_richcompare = namespace_richcompare,
    .tp_methods = namespace_methods,
    .tp_members = namespace_members,
    .tp_dictoffset = offsetof(_PyNamespaceObject, ns_dict),
    .tp_init = namespace_init,
    .tp_alloc = PyType_GenericAlloc,
    .tp_new = namespace_new,
    .tp_free = PyObject_GC_Del,
};

PyObject *
_PyNamespace_New(PyObject *kwds)
{
    if (_PyNamespace_Type.tp_dict == NULL &&
        PyType_Ready(&_PyNamespace_Type) < 0) {
        return NULL;
    }
    PyObject *ns = namespace_new(&_PyNamespace_Type, NULL, NULL);
    if (ns == NULL) {
        return NULL;
    }
    if (kwds != NULL &&
        PyDict_Update(((_PyNamespaceObject *)ns)->ns_dict, kwds) < 0) {
        Py_DECREF(ns);
        return NULL;
    }
    return ns;
}
