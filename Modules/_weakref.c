/* The _weakref module: the types and functions weakref.py builds on.
 *
 * Thread safety: the module has no mutable C state; everything it does
 * goes through Objects/weakrefobject.c (striped locks) and the dict API.
 * _remove_dead_weakref is the one compound operation: see there. */
#include "Python.h"
#include "pycore_weakref.h"

/* getweakrefcount(object) -> int */
static PyObject *
weakref_getweakrefcount(PyObject *module, PyObject *ob)
{
    return PyLong_FromSsize_t(_PyWeakref_GetWeakrefCount(ob));
}

/* getweakrefs(object) -> list (new reference) */
static PyObject *
weakref_getweakrefs(PyObject *module, PyObject *ob)
{
    return _PyWeakref_GetWeakrefs(ob);
}

/* proxy(object[, callback]) -> new reference */
static PyObject *
weakref_proxy(PyObject *module, PyObject *const *args, Py_ssize_t nargs,
              PyObject *kwnames)
{
    if (!_PyArg_NoKwnames("_weakref.proxy", kwnames) ||
        !_PyArg_CheckPositional("proxy", nargs, 1, 2)) {
        return NULL;
    }
    return PyWeakref_NewProxy(args[0], nargs > 1 ? args[1] : NULL);
}

/* 1 if `value` is a weak reference whose referent is gone, 0 if alive,
   -1 with TypeError if it is not a weak reference. */
static int
is_dead_weakref(PyObject *value)
{
    if (!PyWeakref_Check(value)) {
        PyErr_SetString(PyExc_TypeError, "not a weakref");
        return -1;
    }
    PyObject *ob = _PyWeakref_GetReferent(value);
    if (ob == NULL) {
        return 1;
    }
    Py_DECREF(ob);
    return 0;
}

/* _remove_dead_weakref(dict, key): deletes dict[key] if it is a dead weak
   reference.  The dict API has no compare-and-delete yet, so this checks,
   pops, and puts back (without overwriting) a value that another thread
   stored meanwhile if it is not dead: a concurrent reader may briefly miss
   the key in that case, but a live entry is never lost. */
static PyObject *
weakref_remove_dead_weakref(PyObject *module, PyObject *const *args,
                            Py_ssize_t nargs)
{
    if (!_PyArg_CheckPositional("_remove_dead_weakref", nargs, 2, 2)) {
        return NULL;
    }
    PyObject *dct = args[0], *key = args[1];
    if (!PyDict_Check(dct)) {
        PyErr_Format(PyExc_TypeError,
                     "_remove_dead_weakref() argument 1 must be dict, not %s",
                     Py_TYPE(dct)->tp_name);
        return NULL;
    }
    PyObject *value;
    int found = PyDict_GetItemRef(dct, key, &value);
    if (found <= 0) {
        return found < 0 ? NULL : Py_NewRef(Py_None);
    }
    int dead = is_dead_weakref(value);
    Py_DECREF(value);
    if (dead <= 0) {
        return dead < 0 ? NULL : Py_NewRef(Py_None);
    }
    if (PyDict_Pop(dct, key, &value) < 0) {
        return NULL;
    }
    if (value == NULL) {
        Py_RETURN_NONE;
    }
    /* Another thread may have stored a new value in between. */
    dead = PyWeakref_Check(value) ? is_dead_weakref(value) : 0;
    if (dead == 0) {
        PyObject *cur = PyDict_SetDefault(dct, key, value);
        Py_DECREF(value);
        return cur == NULL ? NULL : Py_NewRef(Py_None);
    }
    Py_DECREF(value);
    Py_RETURN_NONE;
}

static PyMethodDef weakref_functions[] = {
    {"getweakrefcount", weakref_getweakrefcount, METH_O,
     "Return the number of weak references to 'object'."},
    {"getweakrefs", weakref_getweakrefs, METH_O,
     "Return a list of all weak reference objects pointing to 'object'."},
    {"proxy", (PyCFunction)(void (*)(void))weakref_proxy,
     METH_FASTCALL | METH_KEYWORDS,
     "Create a proxy object that weakly references 'object'.\n\n"
     "'callback', if given, is called with a reference to the\n"
     "proxy when 'object' is about to be finalized."},
    {"_remove_dead_weakref",
     (PyCFunction)(void (*)(void))weakref_remove_dead_weakref, METH_FASTCALL,
     "Atomically remove key from dict if it points to a dead weakref."},
    {NULL, NULL, 0, NULL}
};

static PyModuleDef weakref_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_weakref",
    .m_doc = "Weak-reference support module.",
    .m_size = 0,
    .m_methods = weakref_functions,
};

/* Creates the _weakref module.  Returns a new reference. */
PyMODINIT_FUNC
PyInit__weakref(void)
{
    if (_PyWeakref_InitTypes() < 0) {
        return NULL;
    }
    PyObject *m = PyModule_Create(&weakref_module);
    if (m == NULL) {
        return NULL;
    }
    PyObject *ref = (PyObject *)&_PyWeakref_RefType;
    if (PyModule_AddObjectRef(m, "ref", ref) < 0 ||
        PyModule_AddObjectRef(m, "ReferenceType", ref) < 0 ||
        PyModule_AddObjectRef(m, "ProxyType",
                              (PyObject *)&_PyWeakref_ProxyType) < 0 ||
        PyModule_AddObjectRef(m, "CallableProxyType",
                              (PyObject *)&_PyWeakref_CallableProxyType) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
