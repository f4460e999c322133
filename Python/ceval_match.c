/* Pattern matching (PEP 634) support for MATCH_CLASS and MATCH_KEYS, with
 * CPython 3.11's semantics and messages.  Stateless. */
#include "Python.h"
#include "pycore_ceval.h"
#include "pycore_ceval_helpers.h"

/* getattr(subject, name) for a class pattern; NULL with no error when the
   attribute is missing.  SEEN collects names to refuse duplicates. */
static PyObject *
match_class_attr(PyThreadState *tstate, PyObject *subject, PyObject *type,
                 PyObject *name, PyObject *seen)
{
    int r = PySet_Contains(seen, name);
    if (r < 0) {
        return NULL;
    }
    if (r) {
        _PyErr_Format(tstate, PyExc_TypeError,
                      "%s() got multiple sub-patterns for attribute %R",
                      ((PyTypeObject *)type)->tp_name, name);
        return NULL;
    }
    if (PySet_Add(seen, name) < 0) {
        return NULL;
    }
    PyObject *attr = NULL;
    (void)_PyObject_LookupAttr(subject, name, &attr);
    return attr;
}

PyObject *
_PyEval_MatchClass(PyThreadState *tstate, PyObject *subject, PyObject *type,
                   Py_ssize_t nargs, PyObject *kwargs)
{
    if (!PyType_Check(type)) {
        _PyErr_SetString(tstate, PyExc_TypeError,
                         "called match pattern must be a type");
        return NULL;
    }
    int inst = PyObject_IsInstance(subject, type);
    if (inst <= 0) {
        return NULL;
    }
    PyTypeObject *tp = (PyTypeObject *)type;
    PyObject *match_args = NULL;
    int match_self = 0;
    PyObject *seen = PySet_New(NULL);
    PyObject *attrs = PyList_New(0);
    if (seen == NULL || attrs == NULL) {
        goto fail;
    }
    if (nargs) {
        if (_PyObject_LookupAttr(type, _Py_STR(__match_args__),
                                 &match_args) < 0) {
            goto fail;
        }
        Py_ssize_t allowed;
        if (match_args != NULL) {
            if (!PyTuple_CheckExact(match_args)) {
                _PyErr_Format(tstate, PyExc_TypeError,
                              "%s.__match_args__ must be a tuple (got %s)",
                              tp->tp_name, Py_TYPE(match_args)->tp_name);
                goto fail;
            }
            allowed = PyTuple_GET_SIZE(match_args);
        }
        else {
            match_self = PyType_HasFeature(tp, _Py_TPFLAGS_MATCH_SELF);
            allowed = match_self ? 1 : 0;
        }
        if (allowed < nargs) {
            _PyErr_Format(tstate, PyExc_TypeError,
                          "%s() accepts %zd positional sub-pattern%s "
                          "(%zd given)", tp->tp_name, allowed,
                          allowed == 1 ? "" : "s", nargs);
            goto fail;
        }
        if (match_self) {
            if (PyList_Append(attrs, subject) < 0) {
                goto fail;
            }
        }
        else {
            for (Py_ssize_t i = 0; i < nargs; i++) {
                PyObject *name = PyTuple_GET_ITEM(match_args, i);
                if (!PyUnicode_CheckExact(name)) {
                    _PyErr_Format(tstate, PyExc_TypeError,
                                  "__match_args__ elements must be strings "
                                  "(got %s)", Py_TYPE(name)->tp_name);
                    goto fail;
                }
                PyObject *attr = match_class_attr(tstate, subject, type,
                                                  name, seen);
                if (attr == NULL) {
                    goto fail;
                }
                int r = PyList_Append(attrs, attr);
                Py_DECREF(attr);
                if (r < 0) {
                    goto fail;
                }
            }
        }
        Py_CLEAR(match_args);
    }
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(kwargs); i++) {
        PyObject *name = PyTuple_GET_ITEM(kwargs, i);
        PyObject *attr = match_class_attr(tstate, subject, type, name, seen);
        if (attr == NULL) {
            goto fail;
        }
        int r = PyList_Append(attrs, attr);
        Py_DECREF(attr);
        if (r < 0) {
            goto fail;
        }
    }
    Py_DECREF(seen);
    PyObject *res = PyList_AsTuple(attrs);
    Py_DECREF(attrs);
    return res;

fail:
    Py_XDECREF(match_args);
    Py_XDECREF(seen);
    Py_XDECREF(attrs);
    return NULL;
}

PyObject *
_PyEval_MatchKeys(PyThreadState *tstate, PyObject *map, PyObject *keys)
{
    Py_ssize_t nkeys = PyTuple_GET_SIZE(keys);
    if (nkeys == 0) {
        return PyTuple_New(0);
    }
    PyObject *get = NULL;
    PyObject *seen = NULL;
    PyObject *values = NULL;
    PyObject *dummy = PyObject_CallNoArgs((PyObject *)&PyBaseObject_Type);
    if (dummy == NULL) {
        return NULL;
    }
    get = PyObject_GetAttr(map, _Py_STR(get));
    seen = PySet_New(NULL);
    values = PyList_New(0);
    if (get == NULL || seen == NULL || values == NULL) {
        goto fail;
    }
    for (Py_ssize_t i = 0; i < nkeys; i++) {
        PyObject *key = PyTuple_GET_ITEM(keys, i);
        int r = PySet_Contains(seen, key);
        if (r < 0) {
            goto fail;
        }
        if (r || PySet_Add(seen, key) < 0) {
            if (r) {
                _PyErr_Format(tstate, PyExc_ValueError,
                              "mapping pattern checks duplicate key (%R)",
                              key);
            }
            goto fail;
        }
        PyObject *v = PyObject_CallFunctionObjArgs(get, key, dummy, NULL);
        if (v == NULL) {
            goto fail;
        }
        if (v == dummy) {
            Py_DECREF(v);
            Py_DECREF(values);
            Py_DECREF(seen);
            Py_DECREF(get);
            Py_DECREF(dummy);
            return NULL;
        }
        r = PyList_Append(values, v);
        Py_DECREF(v);
        if (r < 0) {
            goto fail;
        }
    }
    Py_DECREF(seen);
    Py_DECREF(get);
    Py_DECREF(dummy);
    PyObject *res = PyList_AsTuple(values);
    Py_DECREF(values);
    return res;

fail:
    Py_XDECREF(get);
    Py_XDECREF(seen);
    Py_XDECREF(values);
    Py_DECREF(dummy);
    return NULL;
}
