/* Importing.
 *
 * As in CPython, the import system is the standard library's importlib:
 * Python/import.c loads importlib/_bootstrap.py and _bootstrap_external.py
 * from the stdlib at start-up (as the modules _frozen_importlib and
 * _frozen_importlib_external), installs them (sys.meta_path gets
 * BuiltinImporter, FrozenImporter and PathFinder; sys.path_hooks gets
 * FileFinder), and `import` then runs in C only while the module is
 * already in sys.modules: a miss calls _bootstrap._find_and_load, and a
 * package's fromlist goes to _bootstrap._handle_fromlist.  Built-in C
 * modules are created here (_PyImport_CreateBuiltin, reached through
 * _imp.create_builtin), extension modules in Python/importdl.c.
 *
 * Thread safety: sys.modules is a dict (its own locking).  Concurrent
 * imports of one module are serialised by importlib's per-module locks
 * (_thread locks with deadlock detection); a thread that finds a module
 * in sys.modules whose __spec__._initializing is still true waits on that
 * lock (_bootstrap._lock_unlock_module) before using it, so no thread
 * sees a half-executed module except through a circular import of its
 * own.  The global import lock (_imp.acquire_lock) is a re-entrant
 * PyMutex kept for the old API.  The single-phase extension cache is a
 * dict behind its own critical section.  The inittab may grow only
 * before Py_Initialize. */
#include "Python.h"
#include "pycore_ceval.h"
#include "pycore_lock.h"
#include "pycore_ceval_helpers.h"
#include "pycore_critical_section.h"
#include "pycore_global_strings.h"
#include "pycore_import.h"
#include "pycore_pystate.h"
#include "import.h"
#include "pycore_code.h"
#include "pycore_opcode.h"
#include "pycore_function.h"
#include "pycore_gen.h"
#include "frameobject.h"
#include <string.h>

PyAPI_FUNC(PyObject *) _PyRun_CompileObject(PyObject *source,
                                            PyObject *filename,
                                            const char *mode, int flags,
                                            int optimize, int for_exec);

/* ------------------------------------------------------ sys.modules */

PyObject *
PyImport_GetModuleDict(void)
{
    return _PyEval_GetInterpState()->modules;
}

PyObject *
PyImport_GetModule(PyObject *name)
{
    PyObject *m = NULL;
    if (PyDict_GetItemRef(PyImport_GetModuleDict(), name, &m) < 0) {
        return NULL;
    }
    return m;
}

PyObject *
PyImport_AddModuleObject(PyObject *name)
{
    PyObject *m = PyImport_GetModule(name);
    if (m != NULL && PyModule_Check(m)) {
        Py_DECREF(m);       /* borrowed, kept alive by sys.modules */
        return m;
    }
    Py_XDECREF(m);
    if (PyErr_Occurred()) {
        return NULL;
    }
    m = PyModule_NewObject(name);
    if (m == NULL) {
        return NULL;
    }
    int r = PyDict_SetItem(PyImport_GetModuleDict(), name, m);
    Py_DECREF(m);
    return r < 0 ? NULL : m;
}

PyObject *
PyImport_AddModule(const char *name)
{
    PyObject *n = PyUnicode_FromString(name);
    if (n == NULL) {
        return NULL;
    }
    PyObject *m = PyImport_AddModuleObject(n);
    Py_DECREF(n);
    return m;
}

/* ------------------------------------------------------------ inittab */

/* Modules added by PyImport_AppendInittab: written only before
   Py_Initialize (single-threaded), read-only afterwards. */
static struct _inittab *extra_inittab;
static size_t n_extra_inittab;

int
PyImport_AppendInittab(const char *name, PyObject *(*initfunc)(void))
{
    if (Py_IsInitialized()) {
        /* CPython documents this as a call to make before Py_Initialize;
           later additions would race with readers. */
        return -1;
    }
    struct _inittab *p = PyMem_RawRealloc(
        extra_inittab, (n_extra_inittab + 1) * sizeof(*p));
    if (p == NULL) {
        return -1;
    }
    char *copy = PyMem_RawMalloc(strlen(name) + 1);
    if (copy == NULL) {
        extra_inittab = p;
        return -1;
    }
    strcpy(copy, name);
    p[n_extra_inittab].name = copy;
    p[n_extra_inittab].initfunc = initfunc;
    extra_inittab = p;
    n_extra_inittab++;
    return 0;
}

struct _inittab *
_PyImport_FindInittab(const char *name)
{
    for (size_t i = n_extra_inittab; i-- > 0;) {
        if (strcmp(extra_inittab[i].name, name) == 0) {
            return &extra_inittab[i];
        }
    }
    for (struct _inittab *p = _PyImport_Inittab; p->name != NULL; p++) {
        if (p->initfunc != NULL && strcmp(p->name, name) == 0) {
            return p;
        }
    }
    return NULL;
}

/* New reference: sys.builtin_module_names as a sorted tuple. */
PyObject *
_PyImport_BuiltinModuleNames(void)
{
    PyObject *list = PyList_New(0);
    if (list == NULL) {
        return NULL;
    }
    const char *core[] = {"builtins", "sys", "_imp"};
    for (size_t i = 0; i < Py_ARRAY_LENGTH(core); i++) {
        PyObject *s = PyUnicode_FromString(core[i]);
        if (s == NULL || PyList_Append(list, s) < 0) {
            goto error;
        }
        Py_DECREF(s);
    }
    for (int pass = 0; pass < 2; pass++) {
        struct _inittab *tab = pass == 0 ? extra_inittab : _PyImport_Inittab;
        size_t n = pass == 0 ? n_extra_inittab : SIZE_MAX;
        for (size_t i = 0; i < n && tab != NULL && tab[i].name != NULL;
             i++) {
            if (tab[i].initfunc == NULL) {
                continue;
            }
            PyObject *s = PyUnicode_FromString(tab[i].name);
            if (s == NULL) {
                goto error;
            }
            int has = PySequence_Contains(list, s);
            if (has < 0 || (has == 0 && PyList_Append(list, s) < 0)) {
                Py_DECREF(s);
                goto error;
            }
            Py_DECREF(s);
        }
    }
    if (PyList_Sort(list) < 0) {
        goto error;
    }
    PyObject *res = PyList_AsTuple(list);
    Py_DECREF(list);
    return res;
error:
    Py_DECREF(list);
    return NULL;
}

/* ------------------------------------------------ the global import lock */

static PyMutex import_mutex;
static uintptr_t import_owner;      /* atomic */
static int import_depth;            /* written by the owner only */

void
_PyImport_AcquireLock(void)
{
    uintptr_t me = _Py_ThreadId();
    if (_Py_atomic_load_uintptr_relaxed(&import_owner) == me) {
        import_depth++;
        return;
    }
    PyMutex_Lock(&import_mutex);
    _Py_atomic_store_uintptr_relaxed(&import_owner, me);
    import_depth = 1;
}

int
_PyImport_ReleaseLock(void)
{
    if (_Py_atomic_load_uintptr_relaxed(&import_owner) != _Py_ThreadId()) {
        return -1;
    }
    if (--import_depth == 0) {
        _Py_atomic_store_uintptr_relaxed(&import_owner, 0);
        PyMutex_Unlock(&import_mutex);
    }
    return 0;
}

int
_PyImport_LockHeld(void)
{
    return _Py_atomic_load_uintptr_relaxed(&import_owner) != 0;
}

/* ------------------------------------------------ creating C modules */

/* Single-phase modules by name (built-in) or (name, path) (extension),
   so that importing one again after `del sys.modules[name]` gives the
   module its PyInit_ function made, as CPython does. */
static PyObject *
extension_cache(void)
{
    struct _PyEvalInterpState *st = _PyEval_GetInterpState();
    PyObject *cache = _Py_atomic_load_ptr(&st->extensions);
    if (cache != NULL) {
        return cache;
    }
    cache = PyDict_New();
    if (cache == NULL) {
        return NULL;
    }
    void *expected = NULL;
    if (!_Py_atomic_compare_exchange_ptr(&st->extensions, &expected,
                                         cache)) {
        Py_DECREF(cache);
        return expected;
    }
    return cache;
}

PyObject *
_PyImport_CachedExtension(PyObject *key)
{
    PyObject *cache = extension_cache();
    if (cache == NULL) {
        PyErr_Clear();
        return NULL;
    }
    PyObject *mod = NULL;
    if (PyDict_GetItemRef(cache, key, &mod) < 0) {
        PyErr_Clear();
    }
    return mod;
}

PyObject *
_PyImport_FinishInit(PyObject *res, const char *name, PyObject *spec,
                     PyObject *key)
{
    if (res == NULL) {
        if (!PyErr_Occurred()) {
            PyErr_Format(PyExc_SystemError,
                         "initialization of %s failed without raising an "
                         "exception", name);
        }
        return NULL;
    }
    if (PyErr_Occurred()) {
        Py_DECREF(res);
        PyObject *exc = PyErr_GetRaisedException();
        PyErr_Format(PyExc_SystemError,
                     "initialization of %s raised unreported exception",
                     name);
        _PyErr_ChainExceptions1(exc);
        return NULL;
    }
    if (PyObject_TypeCheck(res, &PyModuleDef_Type)) {
        PyObject *mod = PyModule_FromDefAndSpec((PyModuleDef *)res, spec);
        Py_DECREF(res);
        return mod;
    }
    if (!PyModule_Check(res)) {
        /* Py_mod_create may return any object; single-phase init must
           return a module. */
        PyErr_Format(PyExc_SystemError,
                     "initialization of %s did not return an extension "
                     "module", name);
        Py_DECREF(res);
        return NULL;
    }
    PyModuleDef *def = PyModule_GetDef(res);
    if (def == NULL) {
        PyErr_Clear();
        PyErr_Format(PyExc_SystemError,
                     "initialization of %s did not return an extension "
                     "module", name);
        Py_DECREF(res);
        return NULL;
    }
    PyObject *cache = key != NULL ? extension_cache() : NULL;
    if (cache != NULL && PyDict_SetItem(cache, key, res) < 0) {
        Py_DECREF(res);
        return NULL;
    }
    return res;
}

int
_PyImport_IsBuiltin(PyObject *name)
{
    if (_PyUnicode_EqualToASCIIString(name, "sys") ||
        _PyUnicode_EqualToASCIIString(name, "builtins")) {
        return -1;
    }
    if (_PyUnicode_EqualToASCIIString(name, "_imp")) {
        return 1;
    }
    const char *n = PyUnicode_AsUTF8(name);
    if (n == NULL) {
        PyErr_Clear();
        return 0;
    }
    return _PyImport_FindInittab(n) != NULL;
}

PyAPI_FUNC(PyObject *) PyInit__imp(void);

PyObject *
_PyImport_CreateBuiltin(PyObject *spec)
{
    PyObject *name = PyObject_GetAttr(spec, _Py_ID(name));
    if (name == NULL) {
        return NULL;
    }
    if (!PyUnicode_Check(name)) {
        PyErr_Format(PyExc_TypeError, "name must be string, not %.200s",
                     Py_TYPE(name)->tp_name);
        Py_DECREF(name);
        return NULL;
    }
    struct _PyEvalInterpState *st = _PyEval_GetInterpState();
    PyObject *mod = NULL;
    if (_PyUnicode_EqualToASCIIString(name, "sys")) {
        mod = Py_NewRef(st->sys_module);
    }
    else if (_PyUnicode_EqualToASCIIString(name, "builtins")) {
        mod = Py_NewRef(st->builtins_module);
    }
    else if ((mod = _PyImport_CachedExtension(name)) == NULL) {
        const char *n = PyUnicode_AsUTF8(name);
        struct _inittab *entry = NULL;
        PyObject *(*init)(void) = NULL;
        if (n != NULL && strcmp(n, "_imp") == 0) {
            init = PyInit__imp;
        }
        else if (n != NULL && (entry = _PyImport_FindInittab(n)) != NULL) {
            init = entry->initfunc;
        }
        if (n == NULL) {
            mod = NULL;
        }
        else if (init == NULL) {
            mod = Py_NewRef(Py_None);
        }
        else {
            mod = _PyImport_FinishInit(init(), n, spec, name);
        }
    }
    Py_DECREF(name);
    return mod;
}

int
_PyImport_ExecModule(PyObject *mod)
{
    if (!PyModule_Check(mod)) {
        return 0;
    }
    PyModuleDef *def = PyModule_GetDef(mod);
    if (def == NULL) {
        PyErr_Clear();
        return 0;
    }
    if (PyModule_GetState(mod) != NULL) {
        return 0;           /* already executed */
    }
    return PyModule_ExecDef(mod, def);
}

/* ------------------------------------------------ importlib at start-up */

/* importlib's frames are hidden from tracebacks: names of its two files
   as they appear in code objects. */
#define BOOTSTRAP_FILENAME "<frozen importlib._bootstrap>"
#define EXTERNAL_FILENAME "<frozen importlib._bootstrap_external>"

/* New reference: the module `modname` made by executing the stdlib file
   `relpath`, entered in sys.modules first (as CPython's frozen modules
   are).  Its code is named `filename`. */
static PyObject *
exec_stdlib_module(const char *modname, const char *relpath,
                   const char *filename)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", PLAIT_STDLIB_DIR, relpath);
    FILE *fp = fopen(path, "rb");
    if (fp == NULL) {
        return PyErr_SetFromErrnoWithFilename(PyExc_OSError, path);
    }
    PyObject *source = PyBytes_FromStringAndSize(NULL, 0);
    char buf[65536];
    size_t n;
    while (source != NULL && (n = fread(buf, 1, sizeof(buf), fp)) > 0) {
        PyObject *chunk = PyBytes_FromStringAndSize(buf, (Py_ssize_t)n);
        PyBytes_ConcatAndDel(&source, chunk);
    }
    fclose(fp);
    if (source == NULL) {
        return NULL;
    }
    PyObject *fn = PyUnicode_FromString(filename);
    PyObject *code = fn ? _PyRun_CompileObject(source, fn, "exec", 0, -1, 0)
                        : NULL;
    Py_XDECREF(fn);
    Py_DECREF(source);
    if (code == NULL) {
        return NULL;
    }
    PyObject *mod = PyImport_AddModule(modname);   /* borrowed */
    PyObject *res = NULL;
    if (mod != NULL) {
        PyObject *d = PyModule_GetDict(mod);
        if (PyDict_SetItemString(d, "__builtins__",
                                 _PyEval_GetInterpState()->builtins_module)
            == 0) {
            res = PyEval_EvalCode(code, d, d);
        }
    }
    Py_DECREF(code);
    if (res == NULL) {
        return NULL;
    }
    Py_DECREF(res);
    return Py_NewRef(mod);
}

/* Bumped by hand whenever code objects change in a way the opcode
   tables do not show (marshal's layout of them, the meaning of a field). */
#define PLAIT_CODE_FORMAT 1

/* The magic number of Plait's .pyc files (`__pycache__/x.plait-311.pyc`):
   a hash of the opcode tables and PLAIT_CODE_FORMAT, so that a build
   with different bytecode never loads another build's files.  Always in
   20000..59999, never a CPython magic. */
static unsigned int
pyc_magic(void)
{
    uint32_t h = 2166136261u;
#define MIX(byte) (h = (h ^ (uint8_t)(byte)) * 16777619u)
    MIX(PLAIT_CODE_FORMAT);
    for (int op = 0; op < 256; op++) {
        const char *name = _PyOpcode_Names[op];
        for (const char *c = name != NULL ? name : ""; *c != '\0'; c++) {
            MIX(*c);
        }
        MIX(op);
        MIX(_PyOpcode_Caches[op]);
        MIX(_PyOpcode_Flags[op]);
        MIX(_PyOpcode_Flags[op] >> 8);
    }
#undef MIX
    return 20000 + h % 40000;
}

/* Gives importlib's bytecode cache Plait's magic number. */
static int
set_pyc_magic(PyObject *external)
{
    unsigned int magic = pyc_magic();
    char raw[4] = {(char)(magic & 0xff), (char)(magic >> 8), '\r', '\n'};
    PyObject *b = PyBytes_FromStringAndSize(raw, 4);
    PyObject *n = PyLong_FromUnsignedLong(
        (unsigned long)(uint8_t)raw[0] | ((unsigned long)(uint8_t)raw[1] << 8) |
        ((unsigned long)'\r' << 16) | ((unsigned long)'\n' << 24));
    int err = b == NULL || n == NULL ||
              PyObject_SetAttrString(external, "MAGIC_NUMBER", b) < 0 ||
              PyObject_SetAttrString(external, "_RAW_MAGIC_NUMBER", n) < 0;
    Py_XDECREF(b);
    Py_XDECREF(n);
    return err ? -1 : 0;
}

/* Loads and installs importlib.  Returns 0 or -1. */
static int
init_importlib(PyObject *sys)
{
    struct _PyEvalInterpState *st = _PyEval_GetInterpState();
    PyObject *imp_name = PyUnicode_FromString("_imp");
    if (imp_name == NULL) {
        return -1;
    }
    PyObject *imp = _PyImport_FinishInit(PyInit__imp(), "_imp", NULL,
                                         imp_name);
    int err = imp == NULL || PyDict_SetItem(st->modules, imp_name, imp) < 0;
    Py_DECREF(imp_name);
    if (err) {
        Py_XDECREF(imp);
        return -1;
    }
    PyObject *bootstrap = exec_stdlib_module(
        "_frozen_importlib", "importlib/_bootstrap.py", BOOTSTRAP_FILENAME);
    if (bootstrap == NULL) {
        Py_DECREF(imp);
        return -1;
    }
    PyObject *r = PyObject_CallMethod(bootstrap, "_install", "OO", sys, imp);
    Py_DECREF(imp);
    if (r == NULL) {
        Py_DECREF(bootstrap);
        return -1;
    }
    Py_DECREF(r);
    _Py_atomic_store_ptr_release(&st->importlib, bootstrap);
    PyObject *external = exec_stdlib_module(
        "_frozen_importlib_external", "importlib/_bootstrap_external.py",
        EXTERNAL_FILENAME);
    if (external == NULL) {
        return -1;
    }
    int bad = set_pyc_magic(external);
    Py_DECREF(external);
    if (bad) {
        return -1;
    }
    r = PyObject_CallMethod(bootstrap, "_install_external_importers", NULL);
    if (r == NULL) {
        return -1;
    }
    Py_DECREF(r);
    return 0;
}

/* ------------------------------------------------ the import statement */

/* Whether `code` belongs to importlib's bootstrap. */
static int
is_importlib_code(PyCodeObject *code)
{
    PyObject *fn = code->co_filename;
    return PyUnicode_Check(fn) &&
           (_PyUnicode_EqualToASCIIString(fn, BOOTSTRAP_FILENAME) ||
            _PyUnicode_EqualToASCIIString(fn, EXTERNAL_FILENAME));
}

/* Hides importlib's frames from the traceback of the exception being
   raised, as CPython does: every run of importlib frames for an
   ImportError, otherwise only the runs that end in
   _call_with_frames_removed (the call into the module's own code). */
static void
remove_importlib_frames(void)
{
    PyObject *exc = PyErr_GetRaisedException();
    if (exc == NULL) {
        return;
    }
    int always = PyErr_GivenExceptionMatches(exc, PyExc_ImportError);
    PyObject *tb = PyException_GetTraceback(exc);
    PyObject *head = tb;            /* owned */
    PyTracebackObject **prev_link = (PyTracebackObject **)&head;
    PyTracebackObject **outer_link = NULL;
    int in_importlib = 0;
    PyTracebackObject *cur = (PyTracebackObject *)head;
    while (cur != NULL) {
        PyTracebackObject *next = cur->tb_next;
        PyCodeObject *code = PyFrame_GetCode(cur->tb_frame);
        int now_in = is_importlib_code(code);
        if (now_in && !in_importlib) {
            outer_link = prev_link;
        }
        in_importlib = now_in;
        if (in_importlib &&
            (always || _PyUnicode_EqualToASCIIString(
                           code->co_name, "_call_with_frames_removed"))) {
            /* Cut out everything from the start of this run up to and
               including `cur`. */
            Py_XINCREF(next);
            PyTracebackObject *old = *outer_link;
            *outer_link = next;
            Py_XDECREF(old);
            prev_link = outer_link;
        }
        else {
            prev_link = &cur->tb_next;
        }
        Py_DECREF(code);
        cur = next;
    }
    PyException_SetTraceback(exc, head != NULL ? head : Py_None);
    Py_XDECREF(head);
    PyErr_SetRaisedException(exc);
}

/* New reference: sys.modules[abs_name] imported through importlib. */
static PyObject *
find_and_load(PyObject *abs_name)
{
    struct _PyEvalInterpState *st = _PyEval_GetInterpState();
    PyObject *bootstrap = _Py_atomic_load_ptr_acquire(&st->importlib);
    if (bootstrap == NULL) {
        return PyErr_Format(PyExc_ImportError,
                            "import of %R before the import system is "
                            "ready", abs_name);
    }
    PyObject *mod = PyObject_CallMethod(bootstrap, "_find_and_load", "OO",
                                        abs_name, st->import_func);
    if (mod == NULL) {
        remove_importlib_frames();
    }
    return mod;
}

/* Waits until a module that another thread is still executing is done
   (importlib's module lock), as CPython does before handing it out. */
static int
ensure_initialized(PyObject *mod, PyObject *name)
{
    PyObject *spec, *flag = NULL;
    if (_PyObject_LookupAttr(mod, _Py_ID(__spec__), &spec) < 0) {
        return -1;
    }
    int busy = 0;
    if (spec != NULL && spec != Py_None) {
        if (_PyObject_LookupAttr(spec, _Py_ID(_initializing), &flag) < 0) {
            Py_DECREF(spec);
            return -1;
        }
        busy = flag != NULL && PyObject_IsTrue(flag);
        Py_XDECREF(flag);
    }
    Py_XDECREF(spec);
    if (busy < 0) {
        return -1;
    }
    if (!busy) {
        return 0;
    }
    PyObject *bootstrap =
        _Py_atomic_load_ptr_acquire(&_PyEval_GetInterpState()->importlib);
    if (bootstrap == NULL) {
        return 0;
    }
    PyObject *r = PyObject_CallMethod(bootstrap, "_lock_unlock_module", "O",
                                      name);
    if (r == NULL) {
        remove_importlib_frames();
        return -1;
    }
    Py_DECREF(r);
    return 0;
}

/* The package a relative import at `level` starts from, per 3.11:
   __package__, else __spec__.parent, else __name__ (minus its last part
   unless it is a package).  New reference. */
static PyObject *
resolve_package(PyObject *globals)
{
    PyObject *package = NULL, *spec = NULL;
    if (PyDict_GetItemRef(globals, _Py_ID(__package__), &package) < 0 ||
        PyDict_GetItemRef(globals, _Py_ID(__spec__), &spec) < 0) {
        goto error;
    }
    if (package != NULL && package != Py_None) {
        if (!PyUnicode_Check(package)) {
            PyErr_SetString(PyExc_TypeError, "package must be a string");
            goto error;
        }
        if (spec != NULL && spec != Py_None) {
            PyObject *parent = PyObject_GetAttr(spec, _Py_ID(parent));
            if (parent == NULL) {
                goto error;
            }
            int eq = PyObject_RichCompareBool(package, parent, Py_EQ);
            Py_DECREF(parent);
            if (eq < 0 ||
                (eq == 0 && PyErr_WarnEx(PyExc_ImportWarning,
                                         "__package__ != __spec__.parent",
                                         1) < 0)) {
                goto error;
            }
        }
        Py_XDECREF(spec);
        return package;
    }
    Py_CLEAR(package);
    if (spec != NULL && spec != Py_None) {
        package = PyObject_GetAttr(spec, _Py_ID(parent));
        if (package == NULL) {
            goto error;
        }
        if (!PyUnicode_Check(package)) {
            PyErr_SetString(PyExc_TypeError,
                            "__spec__.parent must be a string");
            goto error;
        }
        Py_DECREF(spec);
        return package;
    }
    Py_CLEAR(spec);
    if (PyErr_WarnEx(PyExc_ImportWarning,
                     "can't resolve package from __spec__ or __package__, "
                     "falling back on __name__ and __path__", 1) < 0) {
        goto error;
    }
    if (PyDict_GetItemRef(globals, _Py_ID(__name__), &package) < 0) {
        goto error;
    }
    if (package == NULL) {
        PyErr_SetString(PyExc_KeyError, "'__name__' not in globals");
        goto error;
    }
    if (!PyUnicode_Check(package)) {
        PyErr_SetString(PyExc_TypeError, "__name__ must be a string");
        goto error;
    }
    int haspath = PyDict_Contains(globals, _Py_ID(__path__));
    if (haspath < 0) {
        goto error;
    }
    if (!haspath) {
        Py_ssize_t dot = PyUnicode_FindChar(
            package, '.', 0, PyUnicode_GET_LENGTH(package), -1);
        if (dot == -2) {
            goto error;
        }
        if (dot == -1) {
            PyErr_SetString(PyExc_ImportError,
                            "attempted relative import with no known parent "
                            "package");
            goto error;
        }
        Py_SETREF(package, PyUnicode_Substring(package, 0, dot));
    }
    return package;
error:
    Py_XDECREF(package);
    Py_XDECREF(spec);
    return NULL;
}

/* The absolute name for a relative import of `name` at `level` from a
   module with `globals`.  New reference. */
static PyObject *
resolve_name(PyObject *name, PyObject *globals, int level)
{
    if (globals == NULL) {
        PyErr_SetString(PyExc_KeyError, "'__name__' not in globals");
        return NULL;
    }
    if (!PyDict_Check(globals)) {
        PyErr_SetString(PyExc_TypeError, "globals must be a dict");
        return NULL;
    }
    PyObject *package = resolve_package(globals);
    if (package == NULL) {
        return NULL;
    }
    Py_ssize_t last_dot = PyUnicode_GET_LENGTH(package);
    if (last_dot == 0) {
        Py_DECREF(package);
        PyErr_SetString(PyExc_ImportError,
                        "attempted relative import with no known parent "
                        "package");
        return NULL;
    }
    for (int up = 1; up < level; up++) {
        last_dot = PyUnicode_FindChar(package, '.', 0, last_dot, -1);
        if (last_dot == -2) {
            Py_DECREF(package);
            return NULL;
        }
        if (last_dot == -1) {
            Py_DECREF(package);
            PyErr_SetString(PyExc_ImportError,
                            "attempted relative import beyond top-level "
                            "package");
            return NULL;
        }
    }
    PyObject *base = PyUnicode_Substring(package, 0, last_dot);
    Py_DECREF(package);
    if (base == NULL || PyUnicode_GET_LENGTH(name) == 0) {
        return base;
    }
    PyObject *res = PyUnicode_FromFormat("%U.%U", base, name);
    Py_DECREF(base);
    return res;
}

/* New reference: the module `abs_name`, from sys.modules or imported. */
static PyObject *
import_absolute(PyObject *abs_name)
{
    PyObject *mod = PyImport_GetModule(abs_name);
    if (mod == NULL && PyErr_Occurred()) {
        return NULL;
    }
    if (mod != NULL && mod != Py_None) {
        if (ensure_initialized(mod, abs_name) < 0) {
            Py_DECREF(mod);
            return NULL;
        }
        return mod;
    }
    Py_XDECREF(mod);
    return find_and_load(abs_name);
}

/* What `import a.b.c` binds: the top-level package `a`, found in
   sys.modules (for a relative import, the module `level` names). */
static PyObject *
import_front(PyObject *name, PyObject *abs_name, PyObject *mod, int level)
{
    Py_ssize_t len = PyUnicode_GET_LENGTH(name);
    if (level != 0 && len == 0) {
        return Py_NewRef(mod);
    }
    Py_ssize_t dot = PyUnicode_FindChar(name, '.', 0, len, 1);
    if (dot == -2) {
        return NULL;
    }
    if (dot == -1) {
        return Py_NewRef(mod);
    }
    if (level == 0) {
        PyObject *front = PyUnicode_Substring(name, 0, dot);
        if (front == NULL) {
            return NULL;
        }
        PyObject *res = PyImport_ImportModuleLevelObject(front, NULL, NULL,
                                                         NULL, 0);
        Py_DECREF(front);
        return res;
    }
    Py_ssize_t cut_off = len - dot;
    Py_ssize_t abs_len = PyUnicode_GET_LENGTH(abs_name);
    PyObject *to_return = PyUnicode_Substring(abs_name, 0, abs_len - cut_off);
    if (to_return == NULL) {
        return NULL;
    }
    PyObject *res = PyImport_GetModule(to_return);
    if (res == NULL && !PyErr_Occurred()) {
        PyErr_Format(PyExc_KeyError, "%R not in sys.modules as expected",
                     to_return);
    }
    Py_DECREF(to_return);
    return res;
}

PyObject *
PyImport_ImportModuleLevelObject(PyObject *name, PyObject *globals,
                                 PyObject *locals, PyObject *fromlist,
                                 int level)
{
    if (name == NULL) {
        PyErr_SetString(PyExc_ValueError, "Empty module name");
        return NULL;
    }
    if (!PyUnicode_Check(name)) {
        PyErr_Format(PyExc_TypeError, "module name must be str, not %.200s",
                     Py_TYPE(name)->tp_name);
        return NULL;
    }
    if (level < 0) {
        PyErr_SetString(PyExc_ValueError, "level must be >= 0");
        return NULL;
    }
    PyObject *abs_name;
    if (level > 0) {
        abs_name = resolve_name(name, globals, level);
    }
    else {
        if (PyUnicode_GET_LENGTH(name) == 0) {
            PyErr_SetString(PyExc_ValueError, "Empty module name");
            return NULL;
        }
        abs_name = Py_NewRef(name);
    }
    if (abs_name == NULL) {
        return NULL;
    }
    PyObject *mod = import_absolute(abs_name);
    PyObject *res = NULL;
    if (mod == NULL) {
        goto done;
    }
    int has_from = 0;
    if (fromlist != NULL && fromlist != Py_None) {
        has_from = PyObject_IsTrue(fromlist);
        if (has_from < 0) {
            goto done;
        }
    }
    if (!has_from) {
        res = import_front(name, abs_name, mod, level);
        goto done;
    }
    PyObject *path;
    if (_PyObject_LookupAttr(mod, _Py_ID(__path__), &path) < 0) {
        goto done;
    }
    if (path == NULL) {
        res = Py_NewRef(mod);
        goto done;
    }
    Py_DECREF(path);
    struct _PyEvalInterpState *st = _PyEval_GetInterpState();
    PyObject *bootstrap = _Py_atomic_load_ptr_acquire(&st->importlib);
    if (bootstrap == NULL) {
        res = Py_NewRef(mod);
        goto done;
    }
    res = PyObject_CallMethod(bootstrap, "_handle_fromlist", "OOO", mod,
                              fromlist, st->import_func);
    if (res == NULL) {
        remove_importlib_frames();
    }
done:
    Py_XDECREF(mod);
    Py_DECREF(abs_name);
    return res;
}

PyObject *
PyImport_ImportModuleLevel(const char *name, PyObject *globals,
                           PyObject *locals, PyObject *fromlist, int level)
{
    PyObject *n = PyUnicode_FromString(name);
    if (n == NULL) {
        return NULL;
    }
    PyObject *m = PyImport_ImportModuleLevelObject(n, globals, locals,
                                                   fromlist, level);
    Py_DECREF(n);
    return m;
}

/* PyImport_Import honours a replaced builtins.__import__ (found through
   the current frame's builtins) and returns the named module itself, not
   its top-level package. */
PyObject *
PyImport_Import(PyObject *name)
{
    PyObject *builtins = PyEval_GetBuiltins();
    PyObject *import = NULL;
    if (builtins != NULL &&
        PyDict_GetItemRef(builtins, _Py_ID(__import__), &import) < 0) {
        return NULL;
    }
    if (import == NULL) {
        import = Py_XNewRef(_PyEval_GetInterpState()->import_func);
    }
    if (import == NULL) {
        PyErr_SetString(PyExc_ImportError, "__import__ not found");
        return NULL;
    }
    PyObject *globals = PyEval_GetGlobals();
    PyObject *fromlist = Py_BuildValue("[s]", "__doc__");
    PyObject *r = fromlist == NULL ? NULL : PyObject_CallFunction(
        import, "OOOOi", name, globals ? globals : Py_None,
        globals ? globals : Py_None, fromlist, 0);
    Py_XDECREF(fromlist);
    Py_DECREF(import);
    if (r == NULL) {
        return NULL;
    }
    Py_DECREF(r);
    PyObject *mod = PyImport_GetModule(name);
    if (mod == NULL && !PyErr_Occurred()) {
        PyErr_SetObject(PyExc_KeyError, name);
    }
    return mod;
}

PyObject *
PyImport_ImportModule(const char *name)
{
    PyObject *n = PyUnicode_FromString(name);
    if (n == NULL) {
        return NULL;
    }
    PyObject *m = PyImport_Import(n);
    Py_DECREF(n);
    return m;
}

PyObject *
PyImport_ImportModuleNoBlock(const char *name)
{
    return PyImport_ImportModule(name);
}

/* importlib.reload(m) */
PyObject *
PyImport_ReloadModule(PyObject *m)
{
    PyObject *importlib = PyImport_ImportModule("importlib");
    if (importlib == NULL) {
        return NULL;
    }
    PyObject *r = PyObject_CallMethod(importlib, "reload", "O", m);
    Py_DECREF(importlib);
    return r;
}

/* Sets __spec__, __loader__, __file__ and __cached__ of a module made
   from a code object, through importlib's _fix_up_module. */
static int
fix_up_module(PyObject *d, PyObject *name, PyObject *pathname,
              PyObject *cpathname)
{
    PyObject *external = PyImport_GetModule(_Py_ID(_frozen_importlib_external));
    if (external == NULL) {
        return PyErr_Occurred() ? -1 : 0;
    }
    PyObject *r = PyObject_CallMethod(external, "_fix_up_module", "OOOO", d,
                                      name, pathname, cpathname);
    Py_DECREF(external);
    Py_XDECREF(r);
    return r == NULL ? -1 : 0;
}

/* New reference: the module `name` after executing `co` in it. */
PyObject *
PyImport_ExecCodeModuleObject(PyObject *name, PyObject *co,
                              PyObject *pathname, PyObject *cpathname)
{
    PyObject *mod = PyImport_AddModuleObject(name);     /* borrowed */
    if (mod == NULL) {
        return NULL;
    }
    PyObject *d = PyModule_GetDict(mod);
    if (PyDict_SetItemString(d, "__builtins__",
                             _PyEval_GetInterpState()->builtins_module) < 0) {
        return NULL;
    }
    if (pathname == NULL) {
        pathname = ((PyCodeObject *)co)->co_filename;
    }
    if (fix_up_module(d, name, pathname,
                      cpathname != NULL ? cpathname : Py_None) < 0) {
        return NULL;
    }
    PyObject *r = PyEval_EvalCode(co, d, d);
    if (r == NULL) {
        PyObject *old = NULL;
        PyObject *exc = PyErr_GetRaisedException();
        if (PyDict_Pop(PyImport_GetModuleDict(), name, &old) < 0) {
            PyErr_Clear();
        }
        Py_XDECREF(old);
        PyErr_SetRaisedException(exc);
        return NULL;
    }
    Py_DECREF(r);
    return PyImport_GetModule(name);
}

PyObject *
PyImport_ExecCodeModuleWithPathnames(const char *name, PyObject *co,
                                     const char *pathname,
                                     const char *cpathname)
{
    PyObject *n = PyUnicode_FromString(name);
    PyObject *p = pathname ? PyUnicode_DecodeFSDefault(pathname) : NULL;
    PyObject *c = cpathname ? PyUnicode_DecodeFSDefault(cpathname) : NULL;
    PyObject *m = NULL;
    if (n != NULL && (p != NULL || pathname == NULL) &&
        (c != NULL || cpathname == NULL)) {
        m = PyImport_ExecCodeModuleObject(n, co, p, c);
    }
    Py_XDECREF(n);
    Py_XDECREF(p);
    Py_XDECREF(c);
    return m;
}

PyObject *
PyImport_ExecCodeModuleEx(const char *name, PyObject *co,
                          const char *pathname)
{
    return PyImport_ExecCodeModuleWithPathnames(name, co, pathname, NULL);
}

PyObject *
PyImport_ExecCodeModule(const char *name, PyObject *co)
{
    return PyImport_ExecCodeModuleWithPathnames(name, co, NULL, NULL);
}

/* sys.path_importer_cache[path], created through sys.path_hooks. */
PyObject *
PyImport_GetImporter(PyObject *path)
{
    PyObject *cache = PySys_GetObject("path_importer_cache");
    PyObject *hooks = PySys_GetObject("path_hooks");
    if (cache == NULL || hooks == NULL) {
        PyErr_SetString(PyExc_RuntimeError,
                        "lost sys.path_importer_cache or sys.path_hooks");
        return NULL;
    }
    PyObject *importer = NULL;
    if (PyDict_GetItemRef(cache, path, &importer) != 0) {
        return importer;
    }
    Py_ssize_t n = PyList_Check(hooks) ? PyList_GET_SIZE(hooks) : 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *hook = PyList_GetItemRef(hooks, i);
        if (hook == NULL) {
            break;
        }
        importer = PyObject_CallOneArg(hook, path);
        Py_DECREF(hook);
        if (importer != NULL) {
            break;
        }
        if (!PyErr_ExceptionMatches(PyExc_ImportError)) {
            return NULL;
        }
        PyErr_Clear();
    }
    if (importer == NULL) {
        Py_RETURN_NONE;
    }
    if (PyDict_SetItem(cache, path, importer) < 0) {
        Py_DECREF(importer);
        return NULL;
    }
    return importer;
}

/* ---- instruction helpers ---- */

PyObject *
_PyEval_ImportName(PyThreadState *tstate, _PyInterpreterFrame *frame,
                   PyObject *name, PyObject *fromlist, PyObject *level)
{
    PyObject *import_func = NULL;
    if (PyDict_GetItemRef(frame->f_builtins, _Py_STR(__import__),
                          &import_func) < 0) {
        return NULL;
    }
    if (import_func == NULL) {
        _PyErr_SetString(tstate, PyExc_ImportError, "__import__ not found");
        return NULL;
    }
    PyObject *locals = frame->f_locals != NULL ? frame->f_locals : Py_None;
    PyObject *res;
    if (import_func == _PyEval_GetInterpState()->import_func) {
        int ilevel = _PyLong_AsInt(level);
        if (ilevel == -1 && _PyErr_Occurred(tstate)) {
            Py_DECREF(import_func);
            return NULL;
        }
        res = PyImport_ImportModuleLevelObject(name, frame->f_globals,
                                               locals, fromlist, ilevel);
    }
    else {
        PyObject *args[5] = {name, frame->f_globals, locals, fromlist,
                             level};
        res = PyObject_Vectorcall(import_func, args, 5, NULL);
    }
    Py_DECREF(import_func);
    return res;
}

/* True when MOD's __spec__._initializing is true (its body is still
   running), as importlib marks it; errors are cleared. */
static int
module_is_initializing(PyObject *mod)
{
    PyObject *spec = NULL, *flag = NULL;
    int r = 0;
    if (_PyObject_LookupAttr(mod, _Py_STR(__spec__), &spec) > 0
        && spec != Py_None) {
        flag = PyObject_GetAttrString(spec, "_initializing");
    }
    if (flag != NULL) {
        r = PyObject_IsTrue(flag) > 0;
    }
    PyErr_Clear();
    Py_XDECREF(spec);
    Py_XDECREF(flag);
    return r;
}

PyObject *
_PyEval_ImportFrom(PyThreadState *tstate, PyObject *v, PyObject *name)
{
    PyObject *x = NULL;
    if (_PyObject_LookupAttr(v, name, &x) != 0) {
        return x;
    }
    PyObject *pkgname = NULL;
    if (_PyObject_LookupAttr(v, _Py_STR(__name__), &pkgname) < 0) {
        return NULL;
    }
    if (pkgname != NULL && PyUnicode_Check(pkgname)) {
        PyObject *full = PyUnicode_FromFormat("%U.%U", pkgname, name);
        if (full != NULL) {
            x = PyImport_GetModule(full);
            Py_DECREF(full);
            if (x != NULL) {
                Py_DECREF(pkgname);
                return x;
            }
        }
    }
    PyObject *file = NULL;
    if (_PyObject_LookupAttr(v, _Py_STR(__file__), &file) < 0) {
        PyErr_Clear();
    }
    PyObject *pn = pkgname != NULL ? pkgname : Py_None;
    PyObject *msg;
    if (module_is_initializing(v)) {
        msg = PyUnicode_FromFormat(
            "cannot import name %R from partially initialized module %R "
            "(most likely due to a circular import) (%S)", name, pn,
            file != NULL ? file : Py_None);
    }
    else if (file != NULL && PyUnicode_Check(file)) {
        msg = PyUnicode_FromFormat("cannot import name %R from %R (%S)",
                                   name, pn, file);
    }
    else {
        msg = PyUnicode_FromFormat("cannot import name %R from %R "
                                   "(unknown location)", name, pn);
    }
    if (msg != NULL) {
        PyErr_SetImportError(msg, pn, file);
        Py_DECREF(msg);
    }
    Py_XDECREF(file);
    Py_XDECREF(pkgname);
    return NULL;
}

int
_PyEval_ImportAllFrom(PyThreadState *tstate, PyObject *locals, PyObject *v)
{
    PyObject *all = NULL;
    int skip_private = 0;
    if (_PyObject_LookupAttr(v, _Py_STR(__all__), &all) < 0) {
        return -1;
    }
    if (all == NULL) {
        PyObject *dict = NULL;
        if (_PyObject_LookupAttr(v, _Py_STR(__dict__), &dict) < 0) {
            return -1;
        }
        if (dict == NULL) {
            _PyErr_SetString(tstate, PyExc_ImportError,
                             "from-import-* object has no __dict__ and no "
                             "__all__");
            return -1;
        }
        all = PyMapping_Keys(dict);
        Py_DECREF(dict);
        if (all == NULL) {
            return -1;
        }
        skip_private = 1;
    }
    PyObject *seq = PySequence_List(all);
    Py_DECREF(all);
    if (seq == NULL) {
        return -1;
    }
    int err = 0;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(seq) && err == 0; i++) {
        PyObject *name = PyList_GET_ITEM(seq, i);
        if (skip_private && PyUnicode_Check(name)
            && PyUnicode_READ_CHAR(name, 0) == '_') {
            continue;
        }
        PyObject *value = PyObject_GetAttr(v, name);
        if (value == NULL) {
            err = -1;
            break;
        }
        err = PyObject_SetItem(locals, name, value);
        Py_DECREF(value);
    }
    Py_DECREF(seq);
    return err;
}

/* ---- start-up ---- */

PyAPI_FUNC(PyObject *) _PyBuiltin_Init(void);
PyAPI_FUNC(PyObject *) _PySys_Create(int argc, char **argv,
                                     const char *executable);

PyObject *
_PyImport_BuiltinImportFunc(void)
{
    return _PyEval_GetInterpState()->import_func;
}

/* Makes sys.modules, builtins and sys, then the import system.  Called
   once by Py_Initialize (argv may be updated later). */
int
_PyInterp_InitModules(int argc, char **argv, const char *executable)
{
    struct _PyEvalInterpState *st = _PyEval_GetInterpState();
    if (st->initialized) {
        return 0;
    }
    if (_PyEval_InitStrings() < 0) {
        return -1;
    }
    st->modules = PyDict_New();
    if (st->modules == NULL) {
        return -1;
    }
    PyObject *bmod = _PyBuiltin_Init();
    if (bmod == NULL) {
        return -1;
    }
    st->builtins_module = bmod;
    st->builtins = PyModule_GetDict(bmod);
    if (PyDict_GetItemRef(st->builtins, _Py_ID(__import__),
                          &st->import_func) < 0) {
        return -1;
    }
    PyObject *sys = _PySys_Create(argc, argv, executable);
    if (sys == NULL) {
        return -1;
    }
    if (PyDict_SetItemString(st->modules, "builtins", bmod) < 0
        || PyDict_SetItemString(st->modules, "sys", sys) < 0) {
        return -1;
    }
    PyObject *main = PyImport_AddModule("__main__");
    if (main == NULL
        || PyDict_SetItemString(PyModule_GetDict(main), "__builtins__",
                                bmod) < 0) {
        return -1;
    }
    if (init_importlib(sys) < 0) {
        return -1;
    }
    st->initialized = 1;
    return 0;
}
