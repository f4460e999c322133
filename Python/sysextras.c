/* More of the sys module: installation paths, interpreter constants,
 * sizes, the switch interval, dlopen flags, the int-to-str digit limit,
 * and audit hooks (PEP 578) with their C API (PySys_Audit,
 * PySys_AddAuditHook).  _PySys_AddExtras adds them to the module that
 * Python/sysmodule.c makes.
 *
 * Thread safety: the dlopen flags and the switch interval are atomics.
 * Audit hooks live in an immutable tuple (Python hooks) and a fixed
 * array (C hooks) replaced under audit_mutex; a caller takes a reference
 * to the current tuple under the mutex and calls the hooks without it,
 * so a hook added concurrently is seen by later events, never half. */
#include "Python.h"
#include "pycore_global_strings.h"
#include "pycore_lock.h"
#include "pycore_long.h"
#include "pycore_typeobject.h"

#include <dlfcn.h>
#include <math.h>

/* --------------------------------------------------------- audit hooks */

typedef int (*Py_AuditHookFunction)(const char *, PyObject *, void *);

#define MAX_C_HOOKS 16

static PyMutex audit_mutex;
static PyObject *audit_hooks;           /* tuple or NULL; audit_mutex */
static struct {
    Py_AuditHookFunction fn;
    void *data;
} c_hooks[MAX_C_HOOKS];
static int n_c_hooks;                   /* atomic; slots fill in order */

/* New reference to the tuple of Python hooks, or NULL if none. */
static PyObject *
python_hooks(void)
{
    PyMutex_Lock(&audit_mutex);
    PyObject *t = Py_XNewRef(audit_hooks);
    PyMutex_Unlock(&audit_mutex);
    return t;
}

static int
any_hooks(void)
{
    return _Py_atomic_load_int(&n_c_hooks) > 0 ||
           _Py_atomic_load_ptr(&audit_hooks) != NULL;
}

/* Calls every hook with (event, args); args is a tuple. */
static int
call_hooks(const char *event, PyObject *args)
{
    int n = _Py_atomic_load_int(&n_c_hooks);
    for (int i = 0; i < n; i++) {
        if (c_hooks[i].fn(event, args, c_hooks[i].data) < 0) {
            return -1;
        }
    }
    PyObject *hooks = python_hooks();
    if (hooks == NULL) {
        return 0;
    }
    PyObject *ev = PyUnicode_FromString(event);
    int rc = ev == NULL ? -1 : 0;
    for (Py_ssize_t i = 0; rc == 0 && i < PyTuple_GET_SIZE(hooks); i++) {
        PyObject *r = PyObject_CallFunctionObjArgs(
            PyTuple_GET_ITEM(hooks, i), ev, args, NULL);
        if (r == NULL) {
            rc = -1;
        }
        Py_XDECREF(r);
    }
    Py_XDECREF(ev);
    Py_DECREF(hooks);
    return rc;
}

int
PySys_Audit(const char *event, const char *format, ...)
{
    if (!any_hooks()) {
        return 0;
    }
    PyObject *args;
    if (format != NULL && *format != '\0') {
        va_list va;
        va_start(va, format);
        args = Py_VaBuildValue(format, va);
        va_end(va);
        if (args != NULL && !PyTuple_Check(args)) {
            Py_SETREF(args, PyTuple_Pack(1, args));
        }
    }
    else {
        args = PyTuple_New(0);
    }
    if (args == NULL) {
        return -1;
    }
    int rc = call_hooks(event, args);
    Py_DECREF(args);
    return rc;
}

int
PySys_AddAuditHook(Py_AuditHookFunction hook, void *userData)
{
    /* Existing hooks may veto the addition (sys.addaudithook event). */
    if (Py_IsInitialized() && PySys_Audit("sys.addaudithook", NULL) < 0) {
        if (PyErr_ExceptionMatches(PyExc_Exception)) {
            PyErr_Clear();
            return 0;
        }
        return -1;
    }
    PyMutex_Lock(&audit_mutex);
    int n = _Py_atomic_load_int(&n_c_hooks);
    int ok = n < MAX_C_HOOKS;
    if (ok) {
        c_hooks[n].fn = hook;
        c_hooks[n].data = userData;
        _Py_atomic_store_int(&n_c_hooks, n + 1);
    }
    PyMutex_Unlock(&audit_mutex);
    if (!ok) {
        if (Py_IsInitialized()) {
            PyErr_SetString(PyExc_RuntimeError, "too many audit hooks");
        }
        return -1;
    }
    return 0;
}

static PyObject *
sys_addaudithook(PyObject *module, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"hook", NULL};
    PyObject *hook;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O:addaudithook", kwlist,
                                     &hook)) {
        return NULL;
    }
    if (PySys_Audit("sys.addaudithook", NULL) < 0) {
        /* A RuntimeError from an existing hook vetoes silently. */
        if (PyErr_ExceptionMatches(PyExc_RuntimeError)) {
            PyErr_Clear();
            Py_RETURN_NONE;
        }
        return NULL;
    }
    PyMutex_Lock(&audit_mutex);
    Py_ssize_t n = audit_hooks ? PyTuple_GET_SIZE(audit_hooks) : 0;
    PyObject *t = PyTuple_New(n + 1);
    if (t != NULL) {
        for (Py_ssize_t i = 0; i < n; i++) {
            PyTuple_SET_ITEM(t, i,
                             Py_NewRef(PyTuple_GET_ITEM(audit_hooks, i)));
        }
        PyTuple_SET_ITEM(t, n, Py_NewRef(hook));
        PyObject *old = audit_hooks;
        _Py_atomic_store_ptr(&audit_hooks, t);
        Py_XDECREF(old);
    }
    PyMutex_Unlock(&audit_mutex);
    if (t == NULL) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
sys_audit(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs < 1) {
        PyErr_SetString(PyExc_TypeError,
                        "audit() missing 1 required positional argument: "
                        "'event'");
        return NULL;
    }
    if (!any_hooks()) {
        Py_RETURN_NONE;
    }
    PyObject *event = args[0];
    if (!PyUnicode_Check(event)) {
        PyErr_Format(PyExc_TypeError,
                     "expected str for argument 'event', not %.200s",
                     Py_TYPE(event)->tp_name);
        return NULL;
    }
    const char *ev = PyUnicode_AsUTF8(event);
    if (ev == NULL) {
        return NULL;
    }
    PyObject *rest = PyTuple_New(nargs - 1);
    if (rest == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 1; i < nargs; i++) {
        PyTuple_SET_ITEM(rest, i - 1, Py_NewRef(args[i]));
    }
    int rc = call_hooks(ev, rest);
    Py_DECREF(rest);
    if (rc < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* ------------------------------------------------------ small functions */

static PyObject *
sys_getdefaultencoding(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    return PyUnicode_FromString("utf-8");
}

static int dlopen_flags = RTLD_NOW;             /* atomic */

static PyObject *
sys_getdlopenflags(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromLong(_Py_atomic_load_int(&dlopen_flags));
}

static PyObject *
sys_setdlopenflags(PyObject *module, PyObject *arg)
{
    int flags = _PyLong_AsInt(arg);
    if (flags == -1 && PyErr_Occurred()) {
        return NULL;
    }
    _Py_atomic_store_int(&dlopen_flags, flags);
    Py_RETURN_NONE;
}

/* The switch interval is kept and reported; with no GIL to hand over,
   nothing else reads it. */
static double switch_interval = 0.005;
static PyMutex switch_mutex;

static PyObject *
sys_getswitchinterval(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    PyMutex_Lock(&switch_mutex);
    double v = switch_interval;
    PyMutex_Unlock(&switch_mutex);
    return PyFloat_FromDouble(v);
}

static PyObject *
sys_setswitchinterval(PyObject *module, PyObject *arg)
{
    double v = PyFloat_AsDouble(arg);
    if (v == -1.0 && PyErr_Occurred()) {
        return NULL;
    }
    if (!(v > 0.0)) {
        PyErr_SetString(PyExc_ValueError,
                        "switch interval must be strictly positive");
        return NULL;
    }
    PyMutex_Lock(&switch_mutex);
    switch_interval = v;
    PyMutex_Unlock(&switch_mutex);
    Py_RETURN_NONE;
}

static PyObject *
sys_getsizeof(PyObject *module, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"object", "default", NULL};
    PyObject *obj, *dflt = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O|O:getsizeof", kwlist,
                                     &obj, &dflt)) {
        return NULL;
    }
    PyObject *meth = _PyObject_LookupSpecial(obj, _Py_ID(__sizeof__));
    PyObject *res = NULL;
    if (meth == NULL) {
        if (!PyErr_Occurred()) {
            PyErr_Format(PyExc_TypeError,
                         "Type %.100s doesn't define __sizeof__",
                         Py_TYPE(obj)->tp_name);
        }
    }
    else {
        res = PyObject_CallNoArgs(meth);
        Py_DECREF(meth);
    }
    Py_ssize_t size = -1;
    if (res != NULL) {
        if (!PyLong_Check(res)) {
            PyErr_SetString(PyExc_TypeError, "an integer is required");
        }
        else {
            size = PyLong_AsSsize_t(res);
            if (size < 0 && !PyErr_Occurred()) {
                PyErr_SetString(PyExc_ValueError,
                                "__sizeof__() should return >= 0");
            }
        }
        Py_DECREF(res);
    }
    if (size < 0) {
        if (dflt != NULL && PyErr_ExceptionMatches(PyExc_TypeError)) {
            PyErr_Clear();
            return Py_NewRef(dflt);
        }
        return NULL;
    }
    return PyLong_FromSsize_t(size);
}

static PyObject *
sys_is_finalizing(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    return PyBool_FromLong(!Py_IsInitialized());
}

static PyObject *
sys_get_int_max_str_digits(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromLong(_PyLong_GetMaxStrDigits());
}

static PyObject *
sys_set_int_max_str_digits(PyObject *module, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"maxdigits", NULL};
    int maxdigits;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "i:set_int_max_str_digits",
                                     kwlist, &maxdigits)) {
        return NULL;
    }
    if (_PyLong_SetMaxStrDigits(maxdigits) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
sys_call_tracing(PyObject *module, PyObject *args)
{
    PyObject *func, *funcargs;
    if (!PyArg_ParseTuple(args, "OO!:call_tracing", &func, &PyTuple_Type,
                          &funcargs)) {
        return NULL;
    }
    return PyObject_Call(func, funcargs, NULL);
}

static PyObject *
sys_clear_type_cache(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    PyType_ClearCache();
    Py_RETURN_NONE;
}

/* sys.breakpointhook(*args, **kws): PYTHONBREAKPOINT picks the callable
   ("0" disables; default pdb.set_trace), as in 3.11. */
static PyObject *
sys_breakpointhook(PyObject *self, PyObject *args, PyObject *kwds)
{
    const char *env = getenv("PYTHONBREAKPOINT");
    if (env != NULL && strcmp(env, "0") == 0) {
        Py_RETURN_NONE;
    }
    const char *hook = env != NULL && *env != '\0' ? env : "pdb.set_trace";
    const char *dot = strrchr(hook, '.');
    char modname[256];
    const char *attr;
    if (dot == NULL) {
        snprintf(modname, sizeof(modname), "builtins");
        attr = hook;
    }
    else {
        snprintf(modname, sizeof(modname), "%.*s", (int)(dot - hook), hook);
        attr = dot + 1;
    }
    PyObject *mod = PyImport_ImportModule(modname);
    PyObject *fn = mod ? PyObject_GetAttrString(mod, attr) : NULL;
    Py_XDECREF(mod);
    if (fn == NULL) {
        if (!PyErr_ExceptionMatches(PyExc_ImportError) &&
            !PyErr_ExceptionMatches(PyExc_AttributeError)) {
            return NULL;
        }
        PyErr_Clear();
        if (PyErr_WarnFormat(PyExc_RuntimeWarning, 0,
                             "Ignoring unimportable $PYTHONBREAKPOINT: "
                             "\"%s\"", hook) < 0) {
            return NULL;
        }
        Py_RETURN_NONE;
    }
    PyObject *r = PyObject_Call(fn, args, kwds);
    Py_DECREF(fn);
    return r;
}

static PyMethodDef extra_methods[] = {
    {"addaudithook", _PyCFunction_CAST(sys_addaudithook),
     METH_VARARGS | METH_KEYWORDS, "Adds a new audit hook callback."},
    {"audit", _PyCFunction_CAST(sys_audit), METH_FASTCALL,
     "Passes the event to any audit hooks that are attached."},
    {"getdefaultencoding", sys_getdefaultencoding, METH_NOARGS,
     "Return the current default encoding used by the Unicode "
     "implementation."},
    {"getdlopenflags", sys_getdlopenflags, METH_NOARGS,
     "Return the current value of the flags that are used for dlopen "
     "calls."},
    {"setdlopenflags", sys_setdlopenflags, METH_O,
     "Set the flags used by the interpreter for dlopen calls."},
    {"getswitchinterval", sys_getswitchinterval, METH_NOARGS,
     "Return the current thread switch interval; see "
     "sys.setswitchinterval()."},
    {"setswitchinterval", sys_setswitchinterval, METH_O,
     "Set the ideal thread switching delay inside the Python interpreter."},
    {"getsizeof", _PyCFunction_CAST(sys_getsizeof),
     METH_VARARGS | METH_KEYWORDS,
     "getsizeof(object [, default]) -> int\n\n"
     "Return the size of object in bytes."},
    {"is_finalizing", sys_is_finalizing, METH_NOARGS,
     "Return True if Python is exiting."},
    {"get_int_max_str_digits", sys_get_int_max_str_digits, METH_NOARGS,
     "Return the maximum string digits limit for non-binary int<->str "
     "conversions."},
    {"set_int_max_str_digits", _PyCFunction_CAST(sys_set_int_max_str_digits),
     METH_VARARGS | METH_KEYWORDS,
     "Set the maximum string digits limit for non-binary int<->str "
     "conversions."},
    {"call_tracing", sys_call_tracing, METH_VARARGS,
     "Call func(*args), while tracing is enabled."},
    {"_clear_type_cache", sys_clear_type_cache, METH_NOARGS,
     "Clear the internal type lookup cache."},
    {"breakpointhook", _PyCFunction_CAST(sys_breakpointhook),
     METH_VARARGS | METH_KEYWORDS,
     "This hook function is called by built-in breakpoint()."},
    {NULL, NULL, 0, NULL}
};

/* ------------------------------------------------------ constants */

static const char *const stdlib_names[] = {
#include "stdlib_module_names.h"
};

static const char copyright_text[] =
    "Copyright (c) 2001-2023 Python Software Foundation.\n"
    "All Rights Reserved.\n\n"
    "Copyright (c) 2000 BeOpen.com.\n"
    "All Rights Reserved.\n\n"
    "Copyright (c) 1995-2001 Corporation for National Research "
    "Initiatives.\nAll Rights Reserved.\n\n"
    "Copyright (c) 1991-1995 Stichting Mathematisch Centrum, Amsterdam.\n"
    "All Rights Reserved.";

static PyObject *
make_stdlib_names(void)
{
    PyObject *list = PyList_New(0);
    if (list == NULL) {
        return NULL;
    }
    for (size_t i = 0; i < Py_ARRAY_LENGTH(stdlib_names); i++) {
        PyObject *s = PyUnicode_FromString(stdlib_names[i]);
        if (s == NULL || PyList_Append(list, s) < 0) {
            Py_XDECREF(s);
            Py_DECREF(list);
            return NULL;
        }
        Py_DECREF(s);
    }
    PyObject *fs = PyFrozenSet_New(list);
    Py_DECREF(list);
    return fs;
}

/* Adds `value` (stolen) as sys.<name> unless it is already set. */
static int
add_new(PyObject *mod, const char *name, PyObject *value)
{
    if (value == NULL) {
        return -1;
    }
    if (PyObject_HasAttrString(mod, name)) {
        Py_DECREF(value);
        return 0;
    }
    int rc = PyModule_AddObjectRef(mod, name, value);
    Py_DECREF(value);
    return rc;
}

int
_PySys_AddExtras(PyObject *mod)
{
    if (PyModule_AddFunctions(mod, extra_methods) < 0) {
        return -1;
    }
    PyObject *exe = PyObject_GetAttrString(mod, "executable");
    if (exe == NULL) {
        PyErr_Clear();
        exe = PyUnicode_FromString("");
    }
    int err = 0;
    err |= add_new(mod, "prefix", PyUnicode_FromString(PLAIT_PREFIX));
    err |= add_new(mod, "exec_prefix", PyUnicode_FromString(PLAIT_PREFIX));
    err |= add_new(mod, "base_prefix", PyUnicode_FromString(PLAIT_PREFIX));
    err |= add_new(mod, "base_exec_prefix",
                   PyUnicode_FromString(PLAIT_PREFIX));
    err |= add_new(mod, "platlibdir", PyUnicode_FromString("lib"));
    err |= add_new(mod, "_stdlib_dir", PyUnicode_FromString(PLAIT_STDLIB_DIR));
    err |= add_new(mod, "_base_executable", exe);
    err |= add_new(mod, "api_version", PyLong_FromLong(1013));
    err |= add_new(mod, "copyright", PyUnicode_FromString(copyright_text));
    err |= add_new(mod, "float_repr_style", PyUnicode_FromString("short"));
    err |= add_new(mod, "stdlib_module_names", make_stdlib_names());
    /* The built-in __breakpointhook__ and __displayhook__-style
       originals. */
    PyObject *bp = PyObject_GetAttrString(mod, "breakpointhook");
    err |= add_new(mod, "__breakpointhook__", bp);
    return err ? -1 : 0;
}
