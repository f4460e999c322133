/* bool: the int subclass with exactly two instances, True and False.
 * Both are immortal statics with int's layout; nothing here is mutable. */
#include "Python.h"
#include "pycore_object.h"
#include "pycore_excstate.h"

struct _longobject _Py_FalseStruct = {
    .ob_base = {
        .ob_base = {
            .ob_ref_local = _Py_IMMORTAL_REFCNT_LOCAL,
            .ob_type = &PyBool_Type,
        },
        .ob_size = 0,
    },
    .ob_digit = {0},
};

struct _longobject _Py_TrueStruct = {
    .ob_base = {
        .ob_base = {
            .ob_ref_local = _Py_IMMORTAL_REFCNT_LOCAL,
            .ob_type = &PyBool_Type,
        },
        .ob_size = 1,
    },
    .ob_digit = {1},
};

PyObject *
PyBool_FromLong(long ok)
{
    return ok ? Py_True : Py_False;
}

static PyObject *
bool_repr(PyObject *self)
{
    return PyUnicode_FromString(self == Py_True ? "True" : "False");
}

static PyObject *
bool_new_impl(PyObject *x)
{
    if (x == NULL) {
        Py_RETURN_FALSE;
    }
    int ok = PyObject_IsTrue(x);
    if (ok < 0) {
        return NULL;
    }
    return PyBool_FromLong(ok);
}

static PyObject *
bool_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *x = NULL;
    if (!_PyArg_NoKeywords("bool", kwds)) {
        return NULL;
    }
    if (!PyArg_UnpackTuple(args, "bool", 0, 1, &x)) {
        return NULL;
    }
    return bool_new_impl(x);
}

static PyObject *
bool_vectorcall(PyObject *type, PyObject *const *args, size_t nargsf,
                PyObject *kwnames)
{
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    if (!_PyArg_NoKwnames("bool", kwnames)) {
        return NULL;
    }
    if (nargs > 1) {
        PyErr_Format(PyExc_TypeError,
                     "bool expected at most 1 argument, got %zd", nargs);
        return NULL;
    }
    return bool_new_impl(nargs ? args[0] : NULL);
}

/* &, | and ^ of two bools are bools; otherwise int's. */
static PyObject *
bool_and(PyObject *a, PyObject *b)
{
    if (!PyBool_Check(a) || !PyBool_Check(b)) {
        return PyLong_Type.tp_as_number->nb_and(a, b);
    }
    return PyBool_FromLong((a == Py_True) & (b == Py_True));
}

static PyObject *
bool_or(PyObject *a, PyObject *b)
{
    if (!PyBool_Check(a) || !PyBool_Check(b)) {
        return PyLong_Type.tp_as_number->nb_or(a, b);
    }
    return PyBool_FromLong((a == Py_True) | (b == Py_True));
}

static PyObject *
bool_xor(PyObject *a, PyObject *b)
{
    if (!PyBool_Check(a) || !PyBool_Check(b)) {
        return PyLong_Type.tp_as_number->nb_xor(a, b);
    }
    return PyBool_FromLong((a == Py_True) ^ (b == Py_True));
}

static void
bool_dealloc(PyObject *self)
{
    /* True and False are immortal. */
    Py_FatalError("deallocating True or False");
}

static PyNumberMethods bool_as_number = {
    .nb_and = bool_and,
    .nb_xor = bool_xor,
    .nb_or = bool_or,
};

PyTypeObject PyBool_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "bool",
    /* basicsize and itemsize come from int. */
    .tp_dealloc = bool_dealloc,
    .tp_repr = bool_repr,
    .tp_as_number = &bool_as_number,
    .tp_flags = Py_TPFLAGS_DEFAULT | _Py_TPFLAGS_MATCH_SELF,
    .tp_doc = "bool(x) -> bool\n\n"
              "Returns True when the argument x is true, False otherwise.\n"
              "The builtins True and False are the only two instances of "
              "the class bool.\nThe class bool is a subclass of the class "
              "int, and cannot be subclassed.",
    .tp_base = &PyLong_Type,
    .tp_new = bool_new,
    .tp_vectorcall = bool_vectorcall,
};
