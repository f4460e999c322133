/* 'object', the root of the class hierarchy: its construction checks
 * (3.11's messages for extra arguments), the default repr/str/hash/
 * comparison, __class__ assignment, __dir__, __format__,
 * __init_subclass__ and __subclasshook__ (pickling support is in
 * objreduce.c).
 *
 * Thread safety: object has no state of its own.  __class__ assignment
 * swaps the type pointer with the world stopped, because Py_TYPE() is a
 * plain load everywhere. */
#include "Python.h"
#include "pycore_object.h"
#include "pycore_pystate.h"
#include "pycore_excstate.h"
#include "pycore_global_strings.h"
#include "pycore_typeobject.h"
#include "pycore_call.h"
#include "pycore_dict.h"
#include "pycore_abstract.h"
#include "structmember.h"

#include <stddef.h>

static PyObject *object_new(PyTypeObject *type, PyObject *args,
                            PyObject *kwds);

/* ================================================================ object */

static int
excess_args(PyObject *args, PyObject *kwds)
{
    return PyTuple_GET_SIZE(args) ||
           (kwds && PyDict_Check(kwds) && PyDict_GET_SIZE(kwds));
}

static int
object_init(PyObject *self, PyObject *args, PyObject *kwds)
{
    PyTypeObject *type = Py_TYPE(self);
    if (excess_args(args, kwds)) {
        if (type->tp_init != object_init) {
            PyErr_SetString(PyExc_TypeError,
                            "object.__init__() takes exactly one argument "
                            "(the instance to initialize)");
            return -1;
        }
        if (type->tp_new == object_new) {
            PyErr_Format(PyExc_TypeError,
                         "%.200s.__init__() takes exactly one argument "
                         "(the instance to initialize)",
                         type->tp_name);
            return -1;
        }
    }
    return 0;
}

/* "Can't instantiate abstract class C with abstract method(s) f, g". */
static PyObject *
abstract_error(PyTypeObject *type)
{
    PyObject *abstract_methods = PyObject_GetAttr(
        (PyObject *)type, _Py_ID(__abstractmethods__));
    if (abstract_methods == NULL) {
        return NULL;
    }
    PyObject *sorted = PySequence_List(abstract_methods);
    Py_DECREF(abstract_methods);
    if (sorted == NULL) {
        return NULL;
    }
    if (PyList_Sort(sorted) < 0) {
        Py_DECREF(sorted);
        return NULL;
    }
    PyObject *sep = PyUnicode_FromString(", ");
    PyObject *joined = sep ? PyUnicode_Join(sep, sorted) : NULL;
    Py_XDECREF(sep);
    Py_ssize_t n = PyList_GET_SIZE(sorted);
    Py_DECREF(sorted);
    if (joined == NULL) {
        return NULL;
    }
    PyErr_Format(PyExc_TypeError,
                 "Can't instantiate abstract class %s with abstract "
                 "method%s %U", type->tp_name, n > 1 ? "s" : "", joined);
    Py_DECREF(joined);
    return NULL;
}

static PyObject *
object_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    if (excess_args(args, kwds)) {
        if (type->tp_new != object_new) {
            PyErr_SetString(PyExc_TypeError,
                            "object.__new__() takes exactly one argument "
                            "(the type to instantiate)");
            return NULL;
        }
        if (type->tp_init == object_init) {
            PyErr_Format(PyExc_TypeError, "%.200s() takes no arguments",
                         type->tp_name);
            return NULL;
        }
    }
    if (PyType_HasFeature(type, Py_TPFLAGS_IS_ABSTRACT)) {
        return abstract_error(type);
    }
    return type->tp_alloc(type, 0);
}

static void
object_dealloc(PyObject *self)
{
    Py_TYPE(self)->tp_free(self);
}

/* <module.Qualname object at 0x...> */
static PyObject *
object_repr(PyObject *self)
{
    PyTypeObject *type = Py_TYPE(self);
    PyObject *mod = PyObject_GetAttr((PyObject *)type, _Py_ID(__module__));
    if (mod == NULL) {
        PyErr_Clear();
    }
    else if (!PyUnicode_Check(mod)) {
        Py_CLEAR(mod);
    }
    PyObject *name = PyType_GetQualName(type);
    if (name == NULL) {
        Py_XDECREF(mod);
        return NULL;
    }
    PyObject *rtn;
    if (mod != NULL && !_PyUnicode_EqualToASCIIString(mod, "builtins")) {
        rtn = PyUnicode_FromFormat("<%U.%U object at %p>", mod, name, self);
    }
    else {
        rtn = PyUnicode_FromFormat("<%s object at %p>", type->tp_name, self);
    }
    Py_XDECREF(mod);
    Py_DECREF(name);
    return rtn;
}

PyObject *
_PyObject_NewGenericRepr(PyObject *self)
{
    return object_repr(self);
}

/* Identity hash. */
static Py_hash_t
object_hash(PyObject *self)
{
    return _Py_HashPointer(self);
}

static PyObject *
object_str(PyObject *self)
{
    unaryfunc f = Py_TYPE(self)->tp_repr;
    if (f == NULL) {
        f = object_repr;
    }
    return f(self);
}

static PyObject *
object_richcompare(PyObject *self, PyObject *other, int op)
{
    switch (op) {
    case Py_EQ:
        /* Identity decides; otherwise let the other side try. */
        return Py_NewRef(self == other ? Py_True : Py_NotImplemented);
    case Py_NE:
        /* By default __ne__ inverts __eq__ unless that is unknown. */
        if (Py_TYPE(self)->tp_richcompare == NULL) {
            Py_RETURN_NOTIMPLEMENTED;
        }
        {
            PyObject *res = Py_TYPE(self)->tp_richcompare(self, other, Py_EQ);
            if (res != NULL && res != Py_NotImplemented) {
                int ok = PyObject_IsTrue(res);
                Py_DECREF(res);
                if (ok < 0) {
                    return NULL;
                }
                return Py_NewRef(ok ? Py_False : Py_True);
            }
            return res;
        }
    default:
        Py_RETURN_NOTIMPLEMENTED;
    }
}

static PyObject *
object_get_class(PyObject *self, void *closure)
{
    return Py_NewRef((PyObject *)Py_TYPE(self));
}

/* obj.__class__ = cls: only between heap types with the same layout (or
   module subclasses).  Py_TYPE() is a plain load everywhere, so the
   pointer is swapped with the world stopped (as free-threaded CPython
   does). */
static int
object_set_class(PyObject *self, PyObject *value, void *closure)
{
    if (value == NULL) {
        PyErr_SetString(PyExc_TypeError, "can't delete __class__ attribute");
        return -1;
    }
    if (!PyType_Check(value)) {
        PyErr_Format(PyExc_TypeError,
                     "__class__ must be set to a class, not '%s' object",
                     Py_TYPE(value)->tp_name);
        return -1;
    }
    PyTypeObject *newto = (PyTypeObject *)value;
    PyTypeObject *oldto = Py_TYPE(self);
    if (!(PyType_IsSubtype(newto, &PyModule_Type) &&
          PyType_IsSubtype(oldto, &PyModule_Type)) &&
        (PyType_HasFeature(newto, Py_TPFLAGS_IMMUTABLETYPE) ||
         PyType_HasFeature(oldto, Py_TPFLAGS_IMMUTABLETYPE))) {
        PyErr_Format(PyExc_TypeError,
                     "__class__ assignment only supported for mutable types "
                     "or ModuleType subclasses");
        return -1;
    }
    if (!_PyType_CompatibleForAssignment(oldto, newto, "__class__")) {
        return -1;
    }
    if (PyType_HasFeature(newto, Py_TPFLAGS_HEAPTYPE)) {
        Py_INCREF(newto);
    }
    PyInterpreterState *interp = _PyInterpreterState_GET();
    _PyEval_StopTheWorld(interp);
    /* Another thread may have changed it meanwhile: release what is
       really replaced. */
    oldto = Py_TYPE(self);
    Py_SET_TYPE(self, newto);
    _PyEval_StartTheWorld(interp);
    if (PyType_HasFeature(oldto, Py_TPFLAGS_HEAPTYPE)) {
        Py_DECREF(oldto);
    }
    return 0;
}

static PyObject *
object_format(PyObject *self, PyObject *format_spec)
{
    if (!PyUnicode_Check(format_spec)) {
        PyErr_Format(PyExc_TypeError,
                     "format() argument 2 must be str, not %s",
                     Py_TYPE(format_spec)->tp_name);
        return NULL;
    }
    if (PyUnicode_GET_LENGTH(format_spec) > 0) {
        PyErr_Format(PyExc_TypeError,
                     "unsupported format string passed to %.200s.__format__",
                     Py_TYPE(self)->tp_name);
        return NULL;
    }
    return PyObject_Str(self);
}

static PyObject *
object_sizeof(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    PyTypeObject *type = Py_TYPE(self);
    Py_ssize_t size = type->tp_basicsize;
    if (type->tp_itemsize != 0) {
        Py_ssize_t n = Py_SIZE(self);
        size += (n < 0 ? -n : n) * type->tp_itemsize;
    }
    return PyLong_FromSsize_t(size);
}

static PyObject *
object_init_subclass(PyObject *cls, PyObject *args, PyObject *kwds)
{
    if (kwds != NULL && PyDict_GET_SIZE(kwds) != 0) {
        PyErr_Format(PyExc_TypeError,
                     "%s.__init_subclass__() takes no keyword arguments",
                     ((PyTypeObject *)cls)->tp_name);
        return NULL;
    }
    if (PyTuple_GET_SIZE(args) != 0) {
        PyErr_Format(PyExc_TypeError,
                     "%s.__init_subclass__() takes no arguments (%zd given)",
                     ((PyTypeObject *)cls)->tp_name,
                     PyTuple_GET_SIZE(args));
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
object_subclasshook(PyObject *cls, PyObject *args)
{
    Py_RETURN_NOTIMPLEMENTED;
}

/* Merges the names of the class dicts along __bases__ into `dict`. */
int
_PyObject_MergeClassDict(PyObject *dict, PyObject *aclass)
{
    PyObject *classdict, *bases;
    if (_PyObject_LookupAttr(aclass, _Py_ID(__dict__), &classdict) < 0) {
        return -1;
    }
    if (classdict != NULL) {
        int r = PyDict_Update(dict, classdict);
        Py_DECREF(classdict);
        if (r < 0) {
            return -1;
        }
    }
    if (_PyObject_LookupAttr(aclass, _Py_ID(__bases__), &bases) < 0) {
        return -1;
    }
    if (bases != NULL) {
        Py_ssize_t n = PySequence_Size(bases);
        if (n < 0) {
            Py_DECREF(bases);
            return -1;
        }
        for (Py_ssize_t i = 0; i < n; i++) {
            PyObject *base = PySequence_GetItem(bases, i);
            if (base == NULL) {
                Py_DECREF(bases);
                return -1;
            }
            int r = _PyObject_MergeClassDict(dict, base);
            Py_DECREF(base);
            if (r < 0) {
                Py_DECREF(bases);
                return -1;
            }
        }
        Py_DECREF(bases);
    }
    return 0;
}

/* object.__dir__: instance __dict__ keys plus class attributes. */
static PyObject *
object_dir(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    PyObject *dict, *itsclass = NULL, *result = NULL;
    if (_PyObject_LookupAttr(self, _Py_ID(__dict__), &dict) < 0) {
        return NULL;
    }
    if (dict == NULL) {
        dict = PyDict_New();
    }
    else if (!PyDict_Check(dict)) {
        Py_DECREF(dict);
        dict = PyDict_New();
    }
    else {
        PyObject *copy = PyDict_Copy(dict);
        Py_SETREF(dict, copy);
    }
    if (dict == NULL) {
        return NULL;
    }
    if (_PyObject_LookupAttr(self, _Py_ID(__class__), &itsclass) < 0) {
        goto error;
    }
    if (itsclass != NULL && _PyObject_MergeClassDict(dict, itsclass) < 0) {
        goto error;
    }
    result = PyDict_Keys(dict);
error:
    Py_XDECREF(itsclass);
    Py_DECREF(dict);
    return result;
}

static PyMethodDef object_methods[] = {
    {"__getstate__", _PyObject_GetStateMethod, METH_NOARGS,
     "Helper for pickle."},
    {"__reduce__", _PyObject_ReduceMethod, METH_NOARGS,
     "Helper for pickle."},
    {"__reduce_ex__", _PyObject_ReduceExMethod, METH_O,
     "Helper for pickle."},
    {"__subclasshook__", object_subclasshook, METH_CLASS | METH_VARARGS,
     "Abstract classes can override this to customize issubclass()."},
    {"__init_subclass__", _PyCFunction_CAST(object_init_subclass),
     METH_CLASS | METH_VARARGS | METH_KEYWORDS,
     "This method is called when a class is subclassed."},
    {"__format__", object_format, METH_O,
     "Default object formatter."},
    {"__sizeof__", object_sizeof, METH_NOARGS,
     "Size of object in memory, in bytes."},
    {"__dir__", object_dir, METH_NOARGS,
     "Default dir() implementation."},
    {NULL, NULL, 0, NULL}
};

static PyGetSetDef object_getsets[] = {
    {"__class__", object_get_class, object_set_class,
     "the object's class", NULL},
    {NULL, NULL, NULL, NULL, NULL}
};

PyTypeObject PyBaseObject_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "object",
    .tp_basicsize = sizeof(PyObject),
    .tp_dealloc = object_dealloc,
    .tp_repr = object_repr,
    .tp_hash = object_hash,
    .tp_str = object_str,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_setattro = PyObject_GenericSetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "object()\n--\n\nThe base class of the class hierarchy.\n\n"
              "When called, it accepts no arguments and returns a new "
              "featureless\ninstance that has no instance attributes and "
              "cannot be given any.\n",
    .tp_richcompare = object_richcompare,
    .tp_methods = object_methods,
    .tp_getset = object_getsets,
    .tp_init = object_init,
    .tp_alloc = PyType_GenericAlloc,
    .tp_new = object_new,
    .tp_free = PyObject_Free,
};

