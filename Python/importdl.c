/* Loading C extension modules from shared objects (dlopen).
 *
 * A module `pkg.name` lives in name.plait-311-<multiarch>.so or name.so
 * and exports PyInit_name.  CPython's stable-ABI files (name.abi3.so) are
 * found too, but refused with an ImportError that says why: Plait has no
 * stable ABI (its object header differs), so such a file would crash.
 *
 * Thread safety: dlopen/dlsym are thread-safe; two threads loading one
 * module are serialised by importlib's module lock before they get here,
 * and the single-phase cache is a dict (see Python/import.c). */
#include "Python.h"
#include "pycore_global_strings.h"
#include "pycore_import.h"
#include <dlfcn.h>

#if defined(__x86_64__)
#  define MULTIARCH "x86_64-linux-gnu"
#elif defined(__aarch64__)
#  define MULTIARCH "aarch64-linux-gnu"
#elif defined(__i386__)
#  define MULTIARCH "i386-linux-gnu"
#else
#  define MULTIARCH "linux-gnu"
#endif

#define OWN_SUFFIX ".plait-311-" MULTIARCH ".so"
#define ABI3_SUFFIX ".abi3.so"

PyObject *
_PyImport_ExtensionSuffixes(void)
{
    return Py_BuildValue("[sss]", OWN_SUFFIX, ABI3_SUFFIX, ".so");
}

/* Raises ImportError(msg, name=name, path=path). */
static void
import_error(PyObject *name, PyObject *path, const char *fmt, ...)
{
    va_list va;
    va_start(va, fmt);
    PyObject *msg = PyUnicode_FromFormatV(fmt, va);
    va_end(va);
    if (msg != NULL) {
        PyErr_SetImportError(msg, name, path);
        Py_DECREF(msg);
    }
}

/* Whether `path` ends with `suffix`. */
static int
ends_with(const char *path, const char *suffix)
{
    size_t n = strlen(path), m = strlen(suffix);
    return n >= m && strcmp(path + n - m, suffix) == 0;
}

/* The dlopen flags: sys.getdlopenflags() when sys has it, else
   RTLD_NOW. */
static int
dlopen_flags(void)
{
    PyObject *sys = PyImport_GetModule(_Py_ID(sys));
    int flags = RTLD_NOW;
    if (sys == NULL) {
        PyErr_Clear();
        return flags;
    }
    PyObject *r = PyObject_CallMethod(sys, "getdlopenflags", NULL);
    Py_DECREF(sys);
    if (r == NULL) {
        PyErr_Clear();
        return flags;
    }
    long v = PyLong_AsLong(r);
    Py_DECREF(r);
    if (v == -1 && PyErr_Occurred()) {
        PyErr_Clear();
        return flags;
    }
    return (int)v;
}

/* The PyInit_ function of `shortname` in `handle`, or NULL with
   ImportError. */
static PyObject *(*find_init(void *handle, PyObject *shortname,
                             PyObject *name, PyObject *path))(void)
{
    const char *s = PyUnicode_AsUTF8(shortname);
    if (s == NULL) {
        return NULL;
    }
    if (!PyUnicode_IS_ASCII(shortname)) {
        /* CPython looks up PyInitU_<punycode>; no Plait extension uses
           non-ASCII module names yet. */
        import_error(name, path,
                     "extension module names must be ASCII: %R", shortname);
        return NULL;
    }
    char sym[512];
    snprintf(sym, sizeof(sym), "PyInit_%s", s);
    PyObject *(*init)(void) = (PyObject *(*)(void))dlsym(handle, sym);
    if (init == NULL) {
        import_error(name, path,
                     "dynamic module does not define module export "
                     "function (%s)", sym);
    }
    return init;
}

/* New reference: the last dotted part of `name`. */
static PyObject *
short_name(PyObject *name)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(name);
    Py_ssize_t dot = PyUnicode_FindChar(name, '.', 0, n, -1);
    if (dot == -2) {
        return NULL;
    }
    return PyUnicode_Substring(name, dot + 1, n);
}

/* Loads the shared object and runs its PyInit_ function. */
static PyObject *
load_extension(PyObject *spec, PyObject *name, PyObject *path,
               PyObject *key)
{
    const char *cpath = PyUnicode_AsUTF8(path);
    const char *cname = PyUnicode_AsUTF8(name);
    if (cpath == NULL || cname == NULL) {
        return NULL;
    }
    if (ends_with(cpath, ABI3_SUFFIX)) {
        import_error(name, path,
                     "%s is built for CPython's stable ABI (abi3), which "
                     "Plait does not provide; rebuild the extension "
                     "against Plait's headers", cpath);
        return NULL;
    }
    int flags = dlopen_flags();
    void *handle;
    Py_BEGIN_ALLOW_THREADS
    handle = dlopen(cpath, flags);
    Py_END_ALLOW_THREADS
    if (handle == NULL) {
        const char *err = dlerror();
        import_error(name, path, "%s", err != NULL ? err : "dlopen failed");
        return NULL;
    }
    PyObject *shortname = short_name(name);
    if (shortname == NULL) {
        return NULL;
    }
    PyObject *(*init)(void) = find_init(handle, shortname, name, path);
    Py_DECREF(shortname);
    if (init == NULL) {
        return NULL;
    }
    PyObject *mod = _PyImport_FinishInit(init(), cname, spec, key);
    if (mod != NULL && PyModule_Check(mod) && PyModule_GetDef(mod) != NULL &&
        PyModule_GetDef(mod)->m_slots == NULL &&
        PyModule_AddObjectRef(mod, "__file__", path) < 0) {
        Py_CLEAR(mod);
    }
    return mod;
}

PyObject *
_PyImport_CreateDynamic(PyObject *spec)
{
    PyObject *name = PyObject_GetAttr(spec, _Py_ID(name));
    if (name == NULL) {
        return NULL;
    }
    PyObject *path = PyObject_GetAttr(spec, _Py_ID(origin));
    if (path == NULL) {
        Py_DECREF(name);
        return NULL;
    }
    PyObject *res = NULL;
    if (!PyUnicode_Check(name) || !PyUnicode_Check(path)) {
        PyErr_SetString(PyExc_TypeError,
                        "spec.name and spec.origin must be str");
        goto done;
    }
    PyObject *key = PyTuple_Pack(2, name, path);
    if (key == NULL) {
        goto done;
    }
    res = _PyImport_CachedExtension(key);
    if (res == NULL) {
        res = load_extension(spec, name, path, key);
    }
    Py_DECREF(key);
done:
    Py_DECREF(name);
    Py_DECREF(path);
    return res;
}
