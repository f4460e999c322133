/* The _imp module: the C half of importlib (what _bootstrap.py and
 * _bootstrap_external.py call to create built-in and extension modules,
 * take the global import lock, hash sources).
 *
 * Plait has no frozen modules: importlib's bootstrap is compiled from
 * the stdlib's source at start-up, so the frozen-module functions answer
 * "not frozen" as CPython does for an unknown name.
 *
 * Thread safety: no state of its own; see Python/import.c for the lock
 * and the extension cache. */
#include "Python.h"
#include "pycore_global_strings.h"
#include "pycore_import.h"
#include "pycore_code.h"

static PyObject *
imp_lock_held(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    return PyBool_FromLong(_PyImport_LockHeld());
}

static PyObject *
imp_acquire_lock(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    _PyImport_AcquireLock();
    Py_RETURN_NONE;
}

static PyObject *
imp_release_lock(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    if (_PyImport_ReleaseLock() < 0) {
        PyErr_SetString(PyExc_RuntimeError, "not holding the import lock");
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
imp_is_builtin(PyObject *module, PyObject *name)
{
    if (!PyUnicode_Check(name)) {
        PyErr_Format(PyExc_TypeError,
                     "is_builtin() argument must be str, not %.200s",
                     Py_TYPE(name)->tp_name);
        return NULL;
    }
    return PyLong_FromLong(_PyImport_IsBuiltin(name));
}

static PyObject *
imp_create_builtin(PyObject *module, PyObject *spec)
{
    return _PyImport_CreateBuiltin(spec);
}

/* exec_builtin/exec_dynamic return 0 (CPython returns the exec status
   as an int). */
static PyObject *
imp_exec_module(PyObject *module, PyObject *mod)
{
    if (_PyImport_ExecModule(mod) < 0) {
        return NULL;
    }
    return PyLong_FromLong(0);
}

static PyObject *
imp_create_dynamic(PyObject *module, PyObject *args)
{
    PyObject *spec, *file = NULL;
    if (!PyArg_UnpackTuple(args, "create_dynamic", 1, 2, &spec, &file)) {
        return NULL;
    }
    return _PyImport_CreateDynamic(spec);
}

static PyObject *
imp_extension_suffixes(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    return _PyImport_ExtensionSuffixes();
}

/* Frozen modules: there are none. */
static PyObject *
no_frozen(PyObject *name)
{
    return PyErr_Format(PyExc_ImportError, "No such frozen object named %R",
                        name);
}

static PyObject *
imp_is_frozen(PyObject *module, PyObject *name)
{
    Py_RETURN_FALSE;
}

static PyObject *
imp_find_frozen(PyObject *module, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"", "withdata", NULL};
    PyObject *name;
    int withdata = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "U|$p:find_frozen", kwlist,
                                     &name, &withdata)) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
imp_get_frozen_object(PyObject *module, PyObject *args)
{
    PyObject *name, *data = NULL;
    if (!PyArg_ParseTuple(args, "U|O:get_frozen_object", &name, &data)) {
        return NULL;
    }
    return no_frozen(name);
}

static PyObject *
imp_is_frozen_package(PyObject *module, PyObject *name)
{
    return no_frozen(name);
}

static PyObject *
imp_init_frozen(PyObject *module, PyObject *name)
{
    Py_RETURN_NONE;
}

static PyObject *
imp_frozen_module_names(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    return PyList_New(0);
}

static PyObject *
imp_override_frozen(PyObject *module, PyObject *override)
{
    Py_RETURN_NONE;
}

/* Sets co_filename of `code` and of the code objects in its constants,
   recursively (they were compiled under another name). */
static void
fix_co_filename(PyCodeObject *code, PyObject *oldname, PyObject *newname)
{
    if (PyUnicode_Compare(code->co_filename, oldname) != 0) {
        PyErr_Clear();
        return;
    }
    Py_SETREF(code->co_filename, Py_NewRef(newname));
    PyObject *consts = code->co_consts;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(consts); i++) {
        PyObject *c = PyTuple_GET_ITEM(consts, i);
        if (PyCode_Check(c)) {
            fix_co_filename((PyCodeObject *)c, oldname, newname);
        }
    }
}

static PyObject *
imp_fix_co_filename(PyObject *module, PyObject *args)
{
    PyObject *code, *path;
    if (!PyArg_ParseTuple(args, "O!U:_fix_co_filename", &PyCode_Type, &code,
                          &path)) {
        return NULL;
    }
    PyObject *old = Py_NewRef(((PyCodeObject *)code)->co_filename);
    if (PyUnicode_Compare(old, path) != 0) {
        fix_co_filename((PyCodeObject *)code, old, path);
    }
    Py_DECREF(old);
    if (PyErr_Occurred()) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
imp_source_hash(PyObject *module, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"key", "source", NULL};
    long key;
    Py_buffer source;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "$ly*:source_hash", kwlist,
                                     &key, &source)) {
        return NULL;
    }
    uint64_t h = _Py_KeyedHash((uint64_t)key, source.buf, source.len);
    PyBuffer_Release(&source);
    unsigned char out[8];
    for (int i = 0; i < 8; i++) {
        out[i] = (unsigned char)(h >> (8 * i));     /* little-endian */
    }
    return PyBytes_FromStringAndSize((const char *)out, 8);
}

static PyMethodDef imp_methods[] = {
    {"lock_held", imp_lock_held, METH_NOARGS,
     "Return True if the import lock is currently held, else False."},
    {"acquire_lock", imp_acquire_lock, METH_NOARGS,
     "Acquires the interpreter's import lock for the current thread."},
    {"release_lock", imp_release_lock, METH_NOARGS,
     "Release the interpreter's import lock."},
    {"is_builtin", imp_is_builtin, METH_O,
     "Returns True if the module name corresponds to a built-in module."},
    {"create_builtin", imp_create_builtin, METH_O,
     "Create an extension module."},
    {"exec_builtin", imp_exec_module, METH_O,
     "Initialize a built-in module."},
    {"create_dynamic", imp_create_dynamic, METH_VARARGS,
     "Create an extension module."},
    {"exec_dynamic", imp_exec_module, METH_O,
     "Initialize an extension module."},
    {"extension_suffixes", imp_extension_suffixes, METH_NOARGS,
     "Returns the list of file suffixes used to identify extension "
     "modules."},
    {"is_frozen", imp_is_frozen, METH_O,
     "Returns True if the module name corresponds to a frozen module."},
    {"find_frozen", _PyCFunction_CAST(imp_find_frozen),
     METH_VARARGS | METH_KEYWORDS,
     "Return info about the corresponding frozen module (if there is "
     "one) or None."},
    {"get_frozen_object", imp_get_frozen_object, METH_VARARGS,
     "Create a code object for a frozen module."},
    {"is_frozen_package", imp_is_frozen_package, METH_O,
     "Returns True if the module name is of a frozen package."},
    {"init_frozen", imp_init_frozen, METH_O,
     "Initializes a frozen module."},
    {"_frozen_module_names", imp_frozen_module_names, METH_NOARGS,
     "Returns the list of available frozen modules."},
    {"_override_frozen_modules_for_tests", imp_override_frozen, METH_O,
     "(internal-only) Override PyConfig.use_frozen_modules."},
    {"_fix_co_filename", imp_fix_co_filename, METH_VARARGS,
     "Changes code.co_filename to specify the passed-in file path."},
    {"source_hash", _PyCFunction_CAST(imp_source_hash),
     METH_VARARGS | METH_KEYWORDS, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef impmodule = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_imp",
    .m_doc = "(Extremely) low-level import machinery bits as used by "
             "importlib and imp.",
    .m_size = -1,
    .m_methods = imp_methods,
};

PyObject *
PyInit__imp(void)
{
    PyObject *m = PyModule_Create(&impmodule);
    if (m == NULL) {
        return NULL;
    }
    if (PyModule_AddStringConstant(m, "check_hash_based_pycs",
                                   "default") < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
