/* Importing: .py source modules and packages found on sys.path (or a
 * package's __path__), the built-in modules (builtins, sys), and the
 * instructions' helpers (IMPORT_NAME, IMPORT_FROM, IMPORT_STAR).
 *
 * Thread safety (first round): module execution is serialized by one
 * re-entrant import lock (owner thread id + depth, the mutex taken for
 * the first level only), so two threads importing the same module see
 * one execution.  Per-module locks with deadlock detection come later.
 * sys.modules is a dict (its own locking). */
#include "Python.h"
#include "pycore_ceval.h"
#include "pycore_lock.h"
#include "pycore_ceval_helpers.h"
#include "import.h"
#include "pycore_code.h"
#include "pycore_function.h"
#include "pycore_gen.h"

#include <sys/stat.h>
#include <string.h>

PyAPI_FUNC(PyObject *) _PyRun_CompileObject(PyObject *source,
                                            PyObject *filename,
                                            const char *mode, int flags,
                                            int optimize, int for_exec);

static PyMutex import_mutex;
static uintptr_t import_owner;      /* atomic */
static int import_depth;            /* written by the owner only */

static void
import_lock(void)
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

static void
import_unlock(void)
{
    if (--import_depth == 0) {
        _Py_atomic_store_uintptr_relaxed(&import_owner, 0);
        PyMutex_Unlock(&import_mutex);
    }
}

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
    if (m != NULL) {
        Py_DECREF(m);       /* borrowed, kept alive by sys.modules */
        return m;
    }
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

int
PyImport_AppendInittab(const char *name, PyObject *(*initfunc)(void))
{
    /* TODO(import): extension registry; built-ins are fixed for now. */
    return -1;
}

static int
is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static char *
read_file(const char *path, size_t *plen)
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL) {
        return NULL;
    }
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *buf = PyMem_Malloc((size_t)n + 1);
    if (buf != NULL) {
        *plen = fread(buf, 1, (size_t)n, fp);
        buf[*plen] = '\0';
    }
    fclose(fp);
    return buf;
}

/* ---- module specs ---- */

/* A minimal importlib look-alike, run once at start-up into the module
   held in interp->importlib: ModuleSpec (name, loader, origin,
   submodule_search_locations, cached, parent, has_location),
   BuiltinImporter and SourceFileLoader as loaders to name in specs.
   Missing vs importlib: find_spec/exec_module protocols, meta_path and
   path hooks are not consulted, no bytecode cache, no namespace
   packages. */
static const char bootstrap_source[] =
    "class ModuleSpec:\n"
    "    def __init__(self, name, loader, *, origin=None,\n"
    "                 loader_state=None, is_package=None):\n"
    "        self.name = name\n"
    "        self.loader = loader\n"
    "        self.origin = origin\n"
    "        self.loader_state = loader_state\n"
    "        self.submodule_search_locations = [] if is_package else None\n"
    "        self.cached = None\n"
    "        self._set_fileattr = False\n"
    "    @property\n"
    "    def parent(self):\n"
    "        if self.submodule_search_locations is None:\n"
    "            return self.name.rpartition('.')[0]\n"
    "        return self.name\n"
    "    @property\n"
    "    def has_location(self):\n"
    "        return self._set_fileattr\n"
    "    def __repr__(self):\n"
    "        args = [f'name={self.name!r}', f'loader={self.loader!r}']\n"
    "        if self.origin is not None:\n"
    "            args.append(f'origin={self.origin!r}')\n"
    "        if self.submodule_search_locations is not None:\n"
    "            args.append('submodule_search_locations='\n"
    "                        f'{self.submodule_search_locations}')\n"
    "        return f'ModuleSpec({\", \".join(args)})'\n"
    "class BuiltinImporter:\n"
    "    @staticmethod\n"
    "    def find_spec(fullname, path=None, target=None):\n"
    "        import sys\n"
    "        if fullname in sys.builtin_module_names:\n"
    "            return ModuleSpec(fullname, BuiltinImporter,\n"
    "                              origin='built-in')\n"
    "        return None\n"
    "class SourceFileLoader:\n"
    "    def __init__(self, fullname, path):\n"
    "        self.name = fullname\n"
    "        self.path = path\n"
    "    def get_filename(self, name=None):\n"
    "        return self.path\n"
    "    def get_data(self, path):\n"
    "        with open(path, 'rb') as f:\n"
    "            return f.read()\n"
    "    def is_package(self, fullname):\n"
    "        return self.path.endswith('__init__.py')\n"
    "def _make_spec(name, loader, origin, pkgdir):\n"
    "    spec = ModuleSpec(name, loader, origin=origin,\n"
    "                      is_package=pkgdir is not None)\n"
    "    if pkgdir is not None:\n"
    "        spec.submodule_search_locations.append(pkgdir)\n"
    "    spec._set_fileattr = origin != 'built-in'\n"
    "    return spec\n";

/* Runs bootstrap_source into a new module kept in the interpreter state.
   Returns 0 or -1. */
static int
init_bootstrap(void)
{
    struct _PyEvalInterpState *st = _PyEval_GetInterpState();
    PyObject *mod = PyModule_New("_plait_importlib");
    if (mod == NULL) {
        return -1;
    }
    PyObject *d = PyModule_GetDict(mod);
    PyObject *src = PyBytes_FromString(bootstrap_source);
    PyObject *fn = PyUnicode_FromString("<frozen importlib._bootstrap>");
    PyObject *code = NULL;
    if (src != NULL && fn != NULL
        && PyDict_SetItemString(d, "__builtins__", st->builtins_module) == 0) {
        code = _PyRun_CompileObject(src, fn, "exec", 0, -1, 0);
    }
    Py_XDECREF(src);
    Py_XDECREF(fn);
    PyObject *r = code != NULL ? PyEval_EvalCode(code, d, d) : NULL;
    Py_XDECREF(code);
    if (r == NULL) {
        Py_DECREF(mod);
        return -1;
    }
    Py_DECREF(r);
    st->importlib = mod;
    return 0;
}

/* Makes the spec (and loader) of a module and stores __spec__ and
   __loader__ in D.  ORIGIN NULL means built-in.  Returns a new reference
   to the spec, or NULL. */
static PyObject *
make_spec(PyObject *fullname, const char *origin, const char *pkgdir)
{
    PyObject *bd = PyModule_GetDict(_PyEval_GetInterpState()->importlib);
    PyObject *loader;
    if (origin == NULL) {
        loader = Py_XNewRef(PyDict_GetItemString(bd, "BuiltinImporter"));
    }
    else {
        PyObject *cls = PyDict_GetItemString(bd, "SourceFileLoader");
        loader = cls ? PyObject_CallFunction(cls, "Os", fullname, origin)
                     : NULL;
    }
    PyObject *mk = PyDict_GetItemString(bd, "_make_spec");
    if (loader == NULL || mk == NULL) {
        Py_XDECREF(loader);
        if (!PyErr_Occurred()) {
            PyErr_SetString(PyExc_SystemError, "import bootstrap missing");
        }
        return NULL;
    }
    PyObject *spec = PyObject_CallFunction(
        mk, "OOzz", fullname, loader, origin ? origin : "built-in", pkgdir);
    Py_DECREF(loader);
    return spec;
}

/* Sets __spec__ and __loader__ of module dict D from SPEC. */
static int
set_spec_attrs(PyObject *d, PyObject *spec)
{
    PyObject *loader = PyObject_GetAttrString(spec, "loader");
    if (loader == NULL) {
        return -1;
    }
    int err = PyDict_SetItemString(d, "__spec__", spec);
    err |= PyDict_SetItemString(d, "__loader__", loader);
    Py_DECREF(loader);
    return err ? -1 : 0;
}

/* The inittab entry for top-level NAME, or NULL when NAME is not a
   built C module. */
static struct _inittab *
find_builtin(PyObject *name)
{
    const char *n = PyUnicode_AsUTF8(name);
    if (n == NULL) {
        PyErr_Clear();
        return NULL;
    }
    for (struct _inittab *p = _PyImport_Inittab; p->name != NULL; p++) {
        if (p->initfunc != NULL && strcmp(p->name, n) == 0) {
            return p;
        }
    }
    return NULL;
}

/* Creates built-in module NAME from its PyInit_ function, single-phase
   (a module) or multi-phase (a PyModuleDef), and adds it to sys.modules.
   New reference. */
static PyObject *
load_builtin(PyObject *name, struct _inittab *entry)
{
    PyObject *spec = make_spec(name, NULL, NULL);
    if (spec == NULL) {
        return NULL;
    }
    PyObject *res = entry->initfunc();
    PyObject *mod = NULL;
    if (res == NULL) {
        if (!PyErr_Occurred()) {
            PyErr_Format(PyExc_SystemError,
                         "initialization of %s failed without raising "
                         "an exception", entry->name);
        }
        goto done;
    }
    if (PyObject_TypeCheck(res, &PyModuleDef_Type)) {
        PyModuleDef *def = (PyModuleDef *)res;
        mod = PyModule_FromDefAndSpec(def, spec);
        if (mod != NULL && PyModule_Check(mod)
            && PyModule_ExecDef(mod, def) < 0) {
            Py_CLEAR(mod);
        }
    }
    else {
        mod = Py_NewRef(res);
    }
    Py_DECREF(res);
    if (mod == NULL) {
        goto done;
    }
    if (PyModule_Check(mod)
        && set_spec_attrs(PyModule_GetDict(mod), spec) < 0) {
        Py_CLEAR(mod);
        goto done;
    }
    if (PyDict_SetItem(PyImport_GetModuleDict(), name, mod) < 0) {
        Py_CLEAR(mod);
    }
done:
    Py_DECREF(spec);
    return mod;
}

/* Executes the source file PATH as module FULLNAME; IS_PKG adds
   __path__ = [DIR].  New reference to the module from sys.modules. */
static PyObject *
load_source(PyObject *fullname, const char *path, const char *pkgdir)
{
    size_t len = 0;
    char *src = read_file(path, &len);
    if (src == NULL) {
        return PyErr_SetFromErrnoWithFilename(PyExc_OSError, path);
    }
    PyObject *source = PyBytes_FromStringAndSize(src, (Py_ssize_t)len);
    PyMem_Free(src);
    PyObject *filename = PyUnicode_DecodeFSDefault(path);
    if (source == NULL || filename == NULL) {
        Py_XDECREF(source);
        Py_XDECREF(filename);
        return NULL;
    }
    PyObject *code = _PyRun_CompileObject(source, filename, "exec", 0, -1,
                                          0);
    Py_DECREF(source);
    if (code == NULL) {
        Py_DECREF(filename);
        return NULL;
    }
    PyObject *mod = PyModule_NewObject(fullname);
    if (mod == NULL) {
        Py_DECREF(code);
        Py_DECREF(filename);
        return NULL;
    }
    PyObject *d = PyModule_GetDict(mod);
    int err = PyDict_SetItemString(d, "__file__", filename);
    Py_DECREF(filename);
    err |= PyDict_SetItemString(d, "__builtins__",
                                _PyEval_GetInterpState()->builtins_module);
    PyObject *spec = make_spec(fullname, path, pkgdir);
    err |= spec == NULL || set_spec_attrs(d, spec) < 0;
    Py_XDECREF(spec);
    if (pkgdir != NULL) {
        PyObject *p = Py_BuildValue("[s]", pkgdir);
        err |= p == NULL || PyDict_SetItemString(d, "__path__", p) < 0;
        Py_XDECREF(p);
        err |= PyDict_SetItemString(d, "__package__", fullname);
    }
    else {
        Py_ssize_t dot = PyUnicode_FindChar(fullname, '.', 0,
                                            PyUnicode_GET_LENGTH(fullname),
                                            -1);
        PyObject *pkg = dot >= 0 ? PyUnicode_Substring(fullname, 0, dot)
                                 : PyUnicode_FromString("");
        err |= pkg == NULL || PyDict_SetItemString(d, "__package__", pkg) < 0;
        Py_XDECREF(pkg);
    }
    if (err || PyDict_SetItem(PyImport_GetModuleDict(), fullname, mod) < 0) {
        Py_DECREF(mod);
        Py_DECREF(code);
        return NULL;
    }
    PyObject *mspec = PyDict_GetItemString(d, "__spec__");   /* borrowed */
    Py_XINCREF(mspec);
    if (mspec != NULL
        && PyObject_SetAttrString(mspec, "_initializing", Py_True) < 0) {
        PyErr_Clear();
    }
    PyObject *r = PyEval_EvalCode(code, d, d);
    Py_DECREF(code);
    if (mspec != NULL) {
        PyObject *exc = PyErr_GetRaisedException();
        if (PyObject_SetAttrString(mspec, "_initializing", Py_False) < 0) {
            PyErr_Clear();
        }
        PyErr_SetRaisedException(exc);
        Py_DECREF(mspec);
    }
    if (r == NULL) {
        PyObject *exc = PyErr_GetRaisedException();
        PyObject *old = NULL;
        PyDict_Pop(PyImport_GetModuleDict(), fullname, &old);
        Py_XDECREF(old);
        PyErr_SetRaisedException(exc);
        Py_DECREF(mod);
        return NULL;
    }
    Py_DECREF(r);
    Py_DECREF(mod);
    return PyImport_GetModule(fullname);
}

/* Finds NAME (last component of FULLNAME) in the directories of PATHS
   and loads it; NULL with ModuleNotFoundError when absent. */
static PyObject *
find_and_load(PyObject *fullname, PyObject *name, PyObject *paths)
{
    const char *n = PyUnicode_AsUTF8(name);
    if (n == NULL) {
        return NULL;
    }
    PyObject *list = paths != NULL ? PySequence_List(paths) : NULL;
    if (list == NULL) {
        PyErr_Clear();
    }
    for (Py_ssize_t i = 0; list != NULL && i < PyList_GET_SIZE(list); i++) {
        PyObject *dir = PyList_GET_ITEM(list, i);
        if (!PyUnicode_Check(dir)) {
            continue;
        }
        const char *ds = PyUnicode_AsUTF8(dir);
        if (ds == NULL) {
            PyErr_Clear();
            continue;
        }
        if (*ds == '\0') {
            ds = ".";
        }
        char buf[4096];
        snprintf(buf, sizeof(buf), "%s/%s/__init__.py", ds, n);
        if (is_file(buf)) {
            char pkgdir[4096];
            snprintf(pkgdir, sizeof(pkgdir), "%s/%s", ds, n);
            Py_DECREF(list);
            return load_source(fullname, buf, pkgdir);
        }
        snprintf(buf, sizeof(buf), "%s/%s.py", ds, n);
        if (is_file(buf)) {
            Py_DECREF(list);
            return load_source(fullname, buf, NULL);
        }
    }
    Py_XDECREF(list);
    PyObject *msg = PyUnicode_FromFormat("No module named %R", fullname);
    if (msg != NULL) {
        PyErr_SetImportErrorSubclass(PyExc_ModuleNotFoundError, msg,
                                     fullname, NULL);
        Py_DECREF(msg);
    }
    return NULL;
}

/* Imports the absolute dotted NAME (each parent first); new reference to
   the last module. */
static PyObject *
import_absolute(PyObject *name)
{
    PyObject *mod = PyImport_GetModule(name);
    if (mod != NULL || PyErr_Occurred()) {
        return mod;
    }
    Py_ssize_t len = PyUnicode_GET_LENGTH(name);
    Py_ssize_t dot = PyUnicode_FindChar(name, '.', 0, len, -1);
    PyObject *paths;
    PyObject *last;
    PyObject *parent = NULL;
    if (dot >= 0) {
        PyObject *pname = PyUnicode_Substring(name, 0, dot);
        if (pname == NULL) {
            return NULL;
        }
        parent = import_absolute(pname);
        Py_DECREF(pname);
        if (parent == NULL) {
            return NULL;
        }
        mod = PyImport_GetModule(name);
        if (mod != NULL || PyErr_Occurred()) {
            Py_DECREF(parent);
            return mod;
        }
        if (_PyObject_LookupAttr(parent, _Py_STR(__path__), &paths) < 0) {
            Py_DECREF(parent);
            return NULL;
        }
        if (paths == NULL) {
            PyObject *msg = PyUnicode_FromFormat(
                "No module named %R; %R is not a package", name,
                PyModule_GetNameObject(parent));
            if (msg != NULL) {
                PyErr_SetImportErrorSubclass(PyExc_ModuleNotFoundError, msg,
                                             name, NULL);
                Py_DECREF(msg);
            }
            Py_DECREF(parent);
            return NULL;
        }
        last = PyUnicode_Substring(name, dot + 1, len);
    }
    else {
        paths = Py_XNewRef(_PySys_GetAttr(_Py_STR(path)));
        last = Py_NewRef(name);
    }
    if (last == NULL) {
        Py_XDECREF(paths);
        Py_XDECREF(parent);
        return NULL;
    }
    import_lock();
    mod = PyImport_GetModule(name);
    if (mod == NULL && !PyErr_Occurred()) {
        struct _inittab *entry = parent == NULL ? find_builtin(name) : NULL;
        if (entry != NULL) {
            mod = load_builtin(name, entry);
        }
        else {
            mod = find_and_load(name, last, paths);
        }
    }
    import_unlock();
    if (mod != NULL && parent != NULL
        && PyObject_SetAttr(parent, last, mod) < 0) {
        Py_CLEAR(mod);
    }
    Py_DECREF(last);
    Py_XDECREF(paths);
    Py_XDECREF(parent);
    return mod;
}

/* The absolute name for a relative import of NAME at LEVEL from a
   module with GLOBALS. */
static PyObject *
resolve_name(PyObject *name, PyObject *globals, int level)
{
    PyObject *package = NULL;
    if (globals == NULL || !PyDict_Check(globals)) {
        PyErr_SetString(PyExc_KeyError, "'__name__' not in globals");
        return NULL;
    }
    if (PyDict_GetItemRef(globals, _Py_STR(__package__), &package) < 0) {
        return NULL;
    }
    if (package == NULL || package == Py_None) {
        Py_XDECREF(package);
        if (PyDict_GetItemRef(globals, _Py_STR(__name__), &package) < 0) {
            return NULL;
        }
        if (package == NULL) {
            PyErr_SetString(PyExc_KeyError, "'__name__' not in globals");
            return NULL;
        }
        int haspath = PyDict_Contains(globals, _Py_STR(__path__));
        if (!haspath) {
            Py_ssize_t dot = PyUnicode_FindChar(
                package, '.', 0, PyUnicode_GET_LENGTH(package), -1);
            PyObject *p = dot >= 0 ? PyUnicode_Substring(package, 0, dot)
                                   : PyUnicode_FromString("");
            Py_SETREF(package, p);
            if (package == NULL) {
                return NULL;
            }
        }
    }
    if (PyUnicode_GET_LENGTH(package) == 0) {
        Py_DECREF(package);
        PyErr_SetString(PyExc_ImportError,
                        "attempted relative import with no known parent "
                        "package");
        return NULL;
    }
    PyObject *base = package;
    for (int i = 1; i < level; i++) {
        Py_ssize_t dot = PyUnicode_FindChar(base, '.', 0,
                                            PyUnicode_GET_LENGTH(base), -1);
        if (dot < 0) {
            Py_DECREF(base);
            PyErr_SetString(PyExc_ImportError,
                            "attempted relative import beyond top-level "
                            "package");
            return NULL;
        }
        Py_SETREF(base, PyUnicode_Substring(base, 0, dot));
        if (base == NULL) {
            return NULL;
        }
    }
    if (PyUnicode_GET_LENGTH(name) == 0) {
        return base;
    }
    PyObject *res = PyUnicode_FromFormat("%U.%U", base, name);
    Py_DECREF(base);
    return res;
}

PyObject *
PyImport_ImportModuleLevelObject(PyObject *name, PyObject *globals,
                                 PyObject *locals, PyObject *fromlist,
                                 int level)
{
    if (name == NULL || !PyUnicode_Check(name)) {
        PyErr_SetString(PyExc_TypeError, "module name must be a string");
        return NULL;
    }
    if (level < 0) {
        PyErr_SetString(PyExc_ValueError, "level must be >= 0");
        return NULL;
    }
    PyObject *absname;
    if (level > 0) {
        absname = resolve_name(name, globals, level);
    }
    else {
        if (PyUnicode_GET_LENGTH(name) == 0) {
            PyErr_SetString(PyExc_ValueError, "Empty module name");
            return NULL;
        }
        absname = Py_NewRef(name);
    }
    if (absname == NULL) {
        return NULL;
    }
    PyObject *mod = import_absolute(absname);
    if (mod == NULL) {
        Py_DECREF(absname);
        return NULL;
    }
    int has_from = fromlist != NULL && fromlist != Py_None
                   && PyObject_IsTrue(fromlist) > 0;
    if (has_from) {
        /* from pkg import sub: import submodules that are not attrs. */
        PyObject *paths = NULL;
        if (_PyObject_LookupAttr(mod, _Py_STR(__path__), &paths) > 0) {
            PyObject *items = PySequence_List(fromlist);
            for (Py_ssize_t i = 0; items && i < PyList_GET_SIZE(items); i++) {
                PyObject *item = PyList_GET_ITEM(items, i);
                if (!PyUnicode_Check(item)
                    || PyUnicode_READ_CHAR(item, 0) == '*') {
                    continue;
                }
                PyObject *v = NULL;
                if (_PyObject_LookupAttr(mod, item, &v) > 0) {
                    Py_DECREF(v);
                    continue;
                }
                PyObject *sub = PyUnicode_FromFormat("%U.%U", absname, item);
                PyObject *sm = sub ? import_absolute(sub) : NULL;
                Py_XDECREF(sub);
                if (sm == NULL) {
                    if (PyErr_ExceptionMatches(PyExc_ModuleNotFoundError)) {
                        PyErr_Clear();
                    }
                    else {
                        Py_DECREF(items);
                        Py_DECREF(paths);
                        Py_DECREF(mod);
                        Py_DECREF(absname);
                        return NULL;
                    }
                }
                Py_XDECREF(sm);
            }
            Py_XDECREF(items);
            Py_DECREF(paths);
        }
        Py_DECREF(absname);
        return mod;
    }
    if (level == 0) {
        Py_ssize_t dot = PyUnicode_FindChar(name, '.', 0,
                                            PyUnicode_GET_LENGTH(name), 1);
        if (dot >= 0) {
            PyObject *top = PyUnicode_Substring(name, 0, dot);
            Py_DECREF(mod);
            mod = top ? PyImport_GetModule(top) : NULL;
            Py_XDECREF(top);
        }
    }
    Py_DECREF(absname);
    return mod;
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

PyObject *
PyImport_Import(PyObject *name)
{
    return PyImport_ImportModuleLevelObject(name, NULL, NULL, NULL, 0);
}

PyObject *
PyImport_ImportModule(const char *name)
{
    return PyImport_ImportModuleLevel(name, NULL, NULL, NULL, 0);
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
PyAPI_FUNC(int) _PySet_InitTypes(void);

PyObject *
_PyImport_BuiltinImportFunc(void)
{
    return _PyEval_GetInterpState()->import_func;
}

/* Makes sys.modules, builtins and sys, and readies this engineer's types.
   Called once after Py_Initialize (or by it). */
int
_PyInterp_InitModules(int argc, char **argv, const char *executable)
{
    struct _PyEvalInterpState *st = _PyEval_GetInterpState();
    if (st->initialized) {
        return 0;
    }
    if (_PyEval_InitStrings() < 0 || _PyCode_InitTypes() < 0
        || _PyFunction_InitTypes() < 0 || _PyGen_InitTypes() < 0
        || _PySet_InitTypes() < 0) {
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
    if (PyDict_GetItemRef(st->builtins, _Py_STR(__import__),
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
    if (init_bootstrap() < 0) {
        return -1;
    }
    const char *core[2] = {"builtins", "sys"};
    for (int i = 0; i < 2; i++) {
        PyObject *n = PyUnicode_FromString(core[i]);
        PyObject *spec = n != NULL ? make_spec(n, NULL, NULL) : NULL;
        PyObject *m = n != NULL ? PyDict_GetItem(st->modules, n) : NULL;
        int bad = spec == NULL || m == NULL
                  || set_spec_attrs(PyModule_GetDict(m), spec) < 0;
        Py_XDECREF(spec);
        Py_XDECREF(n);
        if (bad) {
            return -1;
        }
    }
    st->initialized = 1;
    return 0;
}
