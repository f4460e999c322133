/* The warnings machinery in C: the _warnings module and the PyErr_Warn*
 * C API (CPython 3.11's documented behaviour).
 *
 * A warning goes through: category/message normalisation, the caller's
 * context (filename, lineno, module, __warningregistry__ found by walking
 * STACKLEVEL Python frames), the registry check, the filter search
 * (warnings.filters when the Python warnings module is imported, else our
 * own list), the action (error/ignore/always/default/module/once), and
 * the display (warnings._showwarnmsg when warnings is imported, else a
 * built-in formatter writing to sys.stderr).
 *
 * Thread safety.  The shared state is the filters list, the once-registry
 * dict, the default action string and the filters version.  The four
 * pointers/counter live in `wstate` behind `wstate.mutex`; the mutex is
 * held only to read (taking new references) or swap them, never across a
 * call that can run Python code or block (regex .match, issubclass,
 * showwarning, dict operations with arbitrary keys).  The list and dicts
 * themselves are ordinary objects that lock their own critical sections
 * inside PyList/PyDict calls; the filter search iterates a tuple snapshot
 * of the list, so a concurrent filterwarnings() can never make it read a
 * freed item (it sees the list as it was when the warning started, as a
 * GIL-holding CPython thread would).  Registries are checked and updated
 * with separate dict operations: two threads racing on the same warning
 * may both show it once, never crash. */
#include "Python.h"
#include "pycore_ceval.h"
#include "pycore_frame.h"
#include "pycore_global_strings.h"
#include "pycore_pystate.h"
#include "pycore_warnings.h"

#include <stdio.h>
#include <string.h>

/* Temporary declarations until Include/sysmodule.h (not this file's) is
   sure to be there. */
PyAPI_FUNC(PyObject *) PySys_GetObject(const char *name);
PyAPI_FUNC(int) PySys_SetObject(const char *name, PyObject *v);

/* The process-wide warning state (see the top of the file); every field
   is read and written with `mutex` held. */
static struct {
    PyMutex mutex;
    int initialized;
    PyObject *filters;          /* list, owned */
    PyObject *once_registry;    /* dict, owned */
    PyObject *default_action;   /* str, owned */
    long filters_version;
} wstate;

/* ------------------------------------------------------------ state */

/* New reference: one filter tuple (action, None, category, module, 0). */
static PyObject *
make_filter(const char *action, PyObject *category, const char *module)
{
    PyObject *mod = module != NULL ? PyUnicode_FromString(module)
                                   : Py_NewRef(Py_None);
    if (mod == NULL) {
        return NULL;
    }
    PyObject *t = Py_BuildValue("(sOOOi)", action, Py_None, category, mod,
                                0);
    Py_DECREF(mod);
    return t;
}

/* New reference: the filters of a 3.11 release build. */
static PyObject *
default_filters(void)
{
    PyObject *list = PyList_New(0);
    if (list == NULL) {
        return NULL;
    }
    struct { const char *action; PyObject *cat; const char *mod; } d[] = {
        {"default", PyExc_DeprecationWarning, "__main__"},
        {"ignore", PyExc_DeprecationWarning, NULL},
        {"ignore", PyExc_PendingDeprecationWarning, NULL},
        {"ignore", PyExc_ImportWarning, NULL},
        {"ignore", PyExc_ResourceWarning, NULL},
    };
    for (size_t i = 0; i < Py_ARRAY_LENGTH(d); i++) {
        PyObject *f = make_filter(d[i].action, d[i].cat, d[i].mod);
        if (f == NULL || PyList_Append(list, f) < 0) {
            Py_XDECREF(f);
            Py_DECREF(list);
            return NULL;
        }
        Py_DECREF(f);
    }
    return list;
}

/* Makes the state on first use.  The objects are built outside the mutex
   and installed under it; a thread that loses the race drops its copies.
   0, or -1 with an exception. */
static int
state_ensure(void)
{
    PyMutex_Lock(&wstate.mutex);
    int done = wstate.initialized;
    PyMutex_Unlock(&wstate.mutex);
    if (done) {
        return 0;
    }
    PyObject *filters = default_filters();
    PyObject *once = PyDict_New();
    PyObject *action = PyUnicode_InternFromString("default");
    if (filters == NULL || once == NULL || action == NULL) {
        Py_XDECREF(filters);
        Py_XDECREF(once);
        Py_XDECREF(action);
        return -1;
    }
    PyMutex_Lock(&wstate.mutex);
    if (!wstate.initialized) {
        wstate.filters = filters;
        wstate.once_registry = once;
        wstate.default_action = action;
        wstate.initialized = 1;
        filters = once = action = NULL;
    }
    PyMutex_Unlock(&wstate.mutex);
    Py_XDECREF(filters);
    Py_XDECREF(once);
    Py_XDECREF(action);
    return 0;
}

/* New reference to the state slot *SLOT, read under the mutex. */
static PyObject *
state_get(PyObject **slot)
{
    PyMutex_Lock(&wstate.mutex);
    PyObject *v = Py_XNewRef(*slot);
    PyMutex_Unlock(&wstate.mutex);
    return v;
}

/* Replaces the state slot *SLOT with V (new reference taken). */
static void
state_set(PyObject **slot, PyObject *v)
{
    Py_INCREF(v);
    PyMutex_Lock(&wstate.mutex);
    PyObject *old = *slot;
    *slot = v;
    PyMutex_Unlock(&wstate.mutex);
    Py_XDECREF(old);
}

/* The current filters version (bumped by _filters_mutated). */
static long
state_version(void)
{
    PyMutex_Lock(&wstate.mutex);
    long v = wstate.filters_version;
    PyMutex_Unlock(&wstate.mutex);
    return v;
}

/* New reference to the Python `warnings` module if it is imported, NULL
   (no exception) if not, NULL with an exception on error. */
static PyObject *
warnings_module(void)
{
    PyObject *modules = PyImport_GetModuleDict();
    if (modules == NULL || !PyDict_Check(modules)) {
        PyErr_Clear();
        return NULL;
    }
    PyObject *name = PyUnicode_InternFromString("warnings");
    if (name == NULL) {
        return NULL;
    }
    PyObject *m = NULL;
    int r = PyDict_GetItemRef(modules, name, &m);
    Py_DECREF(name);
    if (m == Py_None) {
        Py_CLEAR(m);
    }
    return r < 0 ? NULL : m;
}

/* Attribute NAME of the imported warnings module: 1 and *RESULT (new), 0
   when warnings is not imported or lacks NAME (it may be half-imported),
   -1 on error. */
static int
warnings_attr(const char *name, PyObject **result)
{
    *result = NULL;
    PyObject *mod = warnings_module();
    if (mod == NULL) {
        return PyErr_Occurred() ? -1 : 0;
    }
    PyObject *n = PyUnicode_FromString(name);
    if (n == NULL) {
        Py_DECREF(mod);
        return -1;
    }
    int r = _PyObject_LookupAttr(mod, n, result);
    Py_DECREF(n);
    Py_DECREF(mod);
    return r;
}

/* New reference: the filters list in force (warnings.filters if the
   module is imported, which then also becomes our own). */
static PyObject *
get_filters(void)
{
    PyObject *f;
    if (warnings_attr("filters", &f) < 0) {
        return NULL;
    }
    if (f != NULL) {
        state_set(&wstate.filters, f);
        Py_DECREF(f);
    }
    f = state_get(&wstate.filters);
    if (f == NULL || !PyList_Check(f)) {
        Py_XDECREF(f);
        PyErr_SetString(PyExc_ValueError, "_warnings.filters must be a list");
        return NULL;
    }
    return f;
}

/* New reference: the once-registry in force. */
static PyObject *
get_once_registry(void)
{
    PyObject *r;
    if (warnings_attr("onceregistry", &r) < 0) {
        return NULL;
    }
    if (r != NULL) {
        if (!PyDict_Check(r)) {
            PyErr_Format(PyExc_TypeError,
                         "_warnings.onceregistry must be a dict, not '%.200s'",
                         Py_TYPE(r)->tp_name);
            Py_DECREF(r);
            return NULL;
        }
        state_set(&wstate.once_registry, r);
        Py_DECREF(r);
    }
    return state_get(&wstate.once_registry);
}

/* New reference: the default action in force. */
static PyObject *
get_default_action(void)
{
    PyObject *a;
    if (warnings_attr("defaultaction", &a) < 0) {
        return NULL;
    }
    if (a != NULL) {
        if (!PyUnicode_Check(a)) {
            PyErr_Format(PyExc_TypeError,
                         "_warnings.defaultaction must be a string, "
                         "not '%.200s'", Py_TYPE(a)->tp_name);
            Py_DECREF(a);
            return NULL;
        }
        state_set(&wstate.default_action, a);
        Py_DECREF(a);
    }
    return state_get(&wstate.default_action);
}

/* ------------------------------------------------------------ filters */

/* Whether filter field OBJ accepts ARG: None matches all, a str must be
   equal, anything else is a pattern whose .match(ARG) is tested.
   1, 0, or -1 with an exception. */
static int
check_matched(PyObject *obj, PyObject *arg)
{
    if (obj == Py_None) {
        return 1;
    }
    if (PyUnicode_CheckExact(obj)) {
        int eq = PyObject_RichCompareBool(obj, arg, Py_EQ);
        return eq;
    }
    PyObject *r = PyObject_CallMethod(obj, "match", "O", arg);
    if (r == NULL) {
        return -1;
    }
    int ok = PyObject_IsTrue(r);
    Py_DECREF(r);
    return ok;
}

/* Whether filter tuple ITEM (index I) applies.  1 (and *ACTION borrowed
   from ITEM), 0, or -1. */
static int
filter_applies(PyObject *item, Py_ssize_t i, PyObject *category,
               PyObject *text, Py_ssize_t lineno, PyObject *module,
               PyObject **action)
{
    if (!PyTuple_Check(item) || PyTuple_GET_SIZE(item) != 5) {
        PyErr_Format(PyExc_ValueError,
                     "_warnings.filters item %zd isn't a 5-tuple", i);
        return -1;
    }
    PyObject *act = PyTuple_GET_ITEM(item, 0);
    if (!PyUnicode_Check(act)) {
        PyErr_Format(PyExc_TypeError, "action must be a string, not '%.200s'",
                     Py_TYPE(act)->tp_name);
        return -1;
    }
    int r = check_matched(PyTuple_GET_ITEM(item, 1), text);
    if (r <= 0) {
        return r;
    }
    r = PyObject_IsSubclass(category, PyTuple_GET_ITEM(item, 2));
    if (r <= 0) {
        return r;
    }
    r = check_matched(PyTuple_GET_ITEM(item, 3), module);
    if (r <= 0) {
        return r;
    }
    Py_ssize_t ln = PyLong_AsSsize_t(PyTuple_GET_ITEM(item, 4));
    if (ln == -1 && PyErr_Occurred()) {
        return -1;
    }
    if (ln != 0 && ln != lineno) {
        return 0;
    }
    *action = act;
    return 1;
}

/* New reference: the action for this warning; *ITEM gets a new reference
   to the matching filter (or None for the default action). */
static PyObject *
get_filter(PyObject *category, PyObject *text, Py_ssize_t lineno,
           PyObject *module, PyObject **item)
{
    *item = NULL;
    PyObject *filters = get_filters();
    if (filters == NULL) {
        return NULL;
    }
    PyObject *snap = PyList_AsTuple(filters);
    Py_DECREF(filters);
    if (snap == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(snap); i++) {
        PyObject *it = PyTuple_GET_ITEM(snap, i);
        PyObject *action = NULL;
        int r = filter_applies(it, i, category, text, lineno, module,
                               &action);
        if (r < 0) {
            Py_DECREF(snap);
            return NULL;
        }
        if (r > 0) {
            *item = Py_NewRef(it);
            Py_INCREF(action);
            Py_DECREF(snap);
            return action;
        }
    }
    Py_DECREF(snap);
    PyObject *action = get_default_action();
    if (action != NULL) {
        *item = Py_NewRef(Py_None);
    }
    return action;
}

/* ------------------------------------------------------------ registry */

/* Whether KEY is already in REGISTRY, VKEY being the interned "version"
   key: a registry whose version is not VERSION is emptied first (the
   filters changed since it was filled).  With SHOULD_SET, records KEY.
   1, 0, or -1. */
static int
already_warned_key(PyObject *registry, PyObject *vkey, long version,
                   PyObject *key, int should_set)
{
    PyObject *v = NULL;
    if (PyDict_GetItemRef(registry, vkey, &v) < 0) {
        return -1;
    }
    int current = 0;
    if (v != NULL && PyLong_CheckExact(v)) {
        long have = PyLong_AsLong(v);
        if (have == -1 && PyErr_Occurred()) {
            PyErr_Clear();
        }
        current = have == version;
    }
    Py_XDECREF(v);
    if (!current) {
        PyDict_Clear(registry);
        PyObject *vo = PyLong_FromLong(version);
        if (vo == NULL) {
            return -1;
        }
        int r = PyDict_SetItem(registry, vkey, vo);
        Py_DECREF(vo);
        if (r < 0) {
            return -1;
        }
    }
    else {
        PyObject *seen = NULL;
        if (PyDict_GetItemRef(registry, key, &seen) < 0) {
            return -1;
        }
        if (seen != NULL) {
            int t = PyObject_IsTrue(seen);
            Py_DECREF(seen);
            if (t != 0) {
                return t;
            }
        }
    }
    if (should_set) {
        return PyDict_SetItem(registry, key, Py_True);
    }
    return 0;
}

/* already_warned_key against the current filters version. */
static int
already_warned(PyObject *registry, PyObject *key, int should_set)
{
    long version = state_version();
    PyObject *vkey = PyUnicode_InternFromString("version");
    if (vkey == NULL) {
        return -1;
    }
    int r = already_warned_key(registry, vkey, version, key, should_set);
    Py_DECREF(vkey);
    return r;
}

/* Records (TEXT, CATEGORY) in REGISTRY; 1 if it was already there. */
static int
update_registry(PyObject *registry, PyObject *text, PyObject *category)
{
    PyObject *altkey = PyTuple_Pack(2, text, category);
    if (altkey == NULL) {
        return -1;
    }
    int r = already_warned(registry, altkey, 1);
    Py_DECREF(altkey);
    return r;
}

/* ------------------------------------------------------------ display */

/* Writes the C string S to FILE with its write() method. */
static int
write_str(PyObject *file, const char *s)
{
    PyObject *r = PyObject_CallMethod(file, "write", "s", s);
    Py_XDECREF(r);
    return r == NULL ? -1 : 0;
}

/* Writes OBJ's str() to FILE. */
static int
write_obj(PyObject *file, PyObject *obj)
{
    PyObject *s = PyObject_Str(obj);
    if (s == NULL) {
        return -1;
    }
    PyObject *r = PyObject_CallMethod(file, "write", "O", s);
    Py_DECREF(s);
    Py_XDECREF(r);
    return r == NULL ? -1 : 0;
}

/* The stripped source line LINENO of FILENAME read from disk (new
   reference), or NULL without an exception when there is none. */
static PyObject *
read_source_line(PyObject *filename, Py_ssize_t lineno)
{
    const char *path = PyUnicode_AsUTF8(filename);
    if (path == NULL || lineno < 1) {
        PyErr_Clear();
        return NULL;
    }
    FILE *fp = fopen(path, "rb");
    if (fp == NULL) {
        return NULL;
    }
    char buf[4096];
    Py_ssize_t n = 1;
    PyObject *line = NULL;
    while (fgets(buf, sizeof(buf), fp) != NULL) {
        size_t len = strlen(buf);
        if (n == lineno) {
            size_t a = 0;
            while (a < len && strchr(" \t\f\r\n", buf[a]) != NULL) {
                a++;
            }
            while (len > a && strchr(" \t\f\r\n", buf[len - 1]) != NULL) {
                len--;
            }
            line = PyUnicode_DecodeUTF8(buf + a, (Py_ssize_t)(len - a),
                                        "replace");
            break;
        }
        if (len > 0 && buf[len - 1] == '\n') {
            n++;
        }
    }
    fclose(fp);
    if (line == NULL) {
        PyErr_Clear();
    }
    return line;
}

/* The built-in display used while the warnings module is not imported:
   "file:line: Category: text\n" and the stripped source line. */
static int
show_warning_builtin(PyObject *filename, Py_ssize_t lineno, PyObject *text,
                     PyObject *category, PyObject *sourceline)
{
    PyObject *file = PySys_GetObject("stderr");
    if (file == NULL) {
        /* No sys.stderr yet (start-up): the C stream, without source. */
        const char *f = PyUnicode_AsUTF8(filename);
        PyObject *t = PyObject_Str(text);
        const char *ts = t != NULL ? PyUnicode_AsUTF8(t) : NULL;
        PyErr_Clear();
        fprintf(stderr, "%s:%zd: %s: %s\n", f != NULL ? f : "?", lineno,
                _PyType_Name((PyTypeObject *)category),
                ts != NULL ? ts : "?");
        Py_XDECREF(t);
        return 0;
    }
    if (file == Py_None) {
        return 0;
    }
    Py_INCREF(file);
    PyObject *name = PyObject_GetAttrString(category, "__name__");
    PyObject *head = NULL;
    if (name != NULL) {
        head = PyUnicode_FromFormat("%S:%zd: %S: ", filename, lineno, name);
    }
    int r = -1;
    if (head != NULL && write_obj(file, head) == 0
        && write_obj(file, text) == 0 && write_str(file, "\n") == 0) {
        PyObject *line = sourceline != NULL ? Py_NewRef(sourceline)
                                            : read_source_line(filename,
                                                               lineno);
        r = 0;
        if (line != NULL && PyUnicode_GET_LENGTH(line) > 0) {
            if (write_str(file, "  ") < 0 || write_obj(file, line) < 0
                || write_str(file, "\n") < 0) {
                r = -1;
            }
        }
        Py_XDECREF(line);
    }
    Py_XDECREF(head);
    Py_XDECREF(name);
    Py_DECREF(file);
    return r;
}

/* Shows a warning through warnings._showwarnmsg(WarningMessage(...)) when
   the warnings module is imported, else with the built-in display. */
static int
call_show_warning(PyObject *category, PyObject *text, PyObject *message,
                  PyObject *filename, Py_ssize_t lineno,
                  PyObject *sourceline, PyObject *source)
{
    PyObject *show_fn = NULL, *msg_cls = NULL;
    if (warnings_attr("_showwarnmsg", &show_fn) < 0) {
        return -1;
    }
    if (show_fn == NULL) {
        return show_warning_builtin(filename, lineno, text, category,
                                    sourceline);
    }
    if (!PyCallable_Check(show_fn)) {
        PyErr_SetString(PyExc_TypeError,
                        "warnings._showwarnmsg() must be set to a callable");
        Py_DECREF(show_fn);
        return -1;
    }
    if (warnings_attr("WarningMessage", &msg_cls) <= 0) {
        Py_DECREF(show_fn);
        if (!PyErr_Occurred()) {
            PyErr_SetString(PyExc_RuntimeError,
                            "unable to get warnings.WarningMessage");
        }
        return -1;
    }
    PyObject *msg = PyObject_CallFunction(
        msg_cls, "OOOnOOO", message, category, filename, lineno, Py_None,
        sourceline != NULL ? sourceline : Py_None,
        source != NULL ? source : Py_None);
    Py_DECREF(msg_cls);
    PyObject *r = NULL;
    if (msg != NULL) {
        r = PyObject_CallOneArg(show_fn, msg);
        Py_DECREF(msg);
    }
    Py_DECREF(show_fn);
    Py_XDECREF(r);
    return r == NULL ? -1 : 0;
}

/* ------------------------------------------------------------ warn */

/* New reference: the module name derived from FILENAME ("<unknown>" for
   "", the name without ".py"). */
static PyObject *
normalize_module(PyObject *filename)
{
    Py_ssize_t len = PyUnicode_GetLength(filename);
    if (len < 0) {
        return NULL;
    }
    if (len == 0) {
        return PyUnicode_FromString("<unknown>");
    }
    if (len >= 3 && PyUnicode_ReadChar(filename, len - 3) == '.'
        && PyUnicode_ReadChar(filename, len - 2) == 'p'
        && PyUnicode_ReadChar(filename, len - 1) == 'y') {
        return PyUnicode_Substring(filename, 0, len - 3);
    }
    return Py_NewRef(filename);
}

/* The action part of warn_explicit once the warning is normalised.
   Returns 0 (shown or suppressed) or -1 (raised or error). */
static int
apply_action(PyObject *action, PyObject *item, PyObject *registry,
             PyObject *key, PyObject *text, PyObject *category)
{
    if (_PyUnicode_EqualToASCIIString(action, "always")) {
        return 0;
    }
    if (registry != NULL && PyDict_SetItem(registry, key, Py_True) < 0) {
        return -1;
    }
    int rc = 0;
    if (_PyUnicode_EqualToASCIIString(action, "once")) {
        if (registry == NULL) {
            PyObject *once = get_once_registry();
            if (once == NULL) {
                return -1;
            }
            rc = update_registry(once, text, category);
            Py_DECREF(once);
        }
        else {
            rc = update_registry(registry, text, category);
        }
    }
    else if (_PyUnicode_EqualToASCIIString(action, "module")) {
        if (registry != NULL) {
            rc = update_registry(registry, text, category);
        }
    }
    else if (!_PyUnicode_EqualToASCIIString(action, "default")) {
        PyErr_Format(PyExc_RuntimeError,
                     "Unrecognized action (%R) in warnings.filters:\n %R",
                     action, item);
        return -1;
    }
    return rc;
}

/* The heart of warn_explicit.  MESSAGE is a str or a Warning; REGISTRY a
   dict or NULL; MODULE NULL to derive it from FILENAME.  0 or -1. */
static int
warn_explicit_impl(PyObject *category, PyObject *message,
                   PyObject *filename, Py_ssize_t lineno, PyObject *module,
                   PyObject *registry, PyObject *sourceline,
                   PyObject *source)
{
    int result = -1;
    PyObject *text = NULL, *key = NULL, *action = NULL, *item = NULL;
    if (state_ensure() < 0) {
        return -1;
    }
    if (registry != NULL && !PyDict_Check(registry)) {
        PyErr_SetString(PyExc_TypeError,
                        "'registry' must be a dict or None");
        return -1;
    }
    if (module != NULL) {
        Py_INCREF(module);
    }
    else if ((module = normalize_module(filename)) == NULL) {
        return -1;
    }
    Py_INCREF(message);
    if (PyObject_IsInstance(message, PyExc_Warning) == 1) {
        text = PyObject_Str(message);
        category = (PyObject *)Py_TYPE(message);
    }
    else {
        text = Py_NewRef(message);
        Py_SETREF(message, PyObject_CallOneArg(category, message));
    }
    if (text == NULL || message == NULL) {
        goto done;
    }
    key = Py_BuildValue("(OOn)", text, category, lineno);
    if (key == NULL) {
        goto done;
    }
    if (registry != NULL) {
        int r = already_warned(registry, key, 0);
        if (r != 0) {
            result = r < 0 ? -1 : 0;
            goto done;
        }
    }
    action = get_filter(category, text, lineno, module, &item);
    if (action == NULL) {
        goto done;
    }
    if (_PyUnicode_EqualToASCIIString(action, "error")) {
        PyErr_SetObject(category, message);
        goto done;
    }
    if (_PyUnicode_EqualToASCIIString(action, "ignore")) {
        result = 0;
        goto done;
    }
    int rc = apply_action(action, item, registry, key, text, category);
    if (rc < 0) {
        goto done;
    }
    if (rc == 0 && call_show_warning(category, text, message, filename,
                                     lineno, sourceline, source) < 0) {
        goto done;
    }
    result = 0;
done:
    Py_XDECREF(text);
    Py_XDECREF(key);
    Py_XDECREF(action);
    Py_XDECREF(item);
    Py_XDECREF(message);
    Py_DECREF(module);
    return result;
}

/* *REGISTRY (new reference): GLOBALS['__warningregistry__'], created as
   an empty dict when missing.  0 or -1. */
static int
get_registry(PyObject *globals, PyObject **registry)
{
    PyObject *name = PyUnicode_InternFromString("__warningregistry__");
    if (name == NULL) {
        return -1;
    }
    PyObject *fresh = PyDict_New();
    int r = -1;
    if (fresh != NULL) {
        r = PyDict_SetDefaultRef(globals, name, fresh, registry);
        Py_DECREF(fresh);
    }
    Py_DECREF(name);
    return r < 0 ? -1 : 0;
}

/* The caller's context for a warning raised STACKLEVEL frames up: new
   references to *FILENAME, *MODULE and *REGISTRY (the globals'
   __warningregistry__, created if missing; NULL before sys exists), and
   *LINENO.  With no such frame the context is sys.__dict__, "sys", line
   1.  0 or -1. */
static int
setup_context(Py_ssize_t stacklevel, PyObject **filename, Py_ssize_t *lineno,
              PyObject **module, PyObject **registry)
{
    PyThreadState *tstate = _PyThreadState_GET();
    _PyInterpreterFrame *f = _PyFrame_GetFirstComplete(
        _PyThreadState_GetFrame(tstate));
    while (f != NULL && f->owner == FRAME_OWNED_BY_CSTACK) {
        f = _PyFrame_GetFirstComplete(f->previous);
    }
    while (--stacklevel > 0 && f != NULL) {
        f = _PyFrame_GetFirstComplete(f->previous);
        while (f != NULL && f->owner == FRAME_OWNED_BY_CSTACK) {
            f = _PyFrame_GetFirstComplete(f->previous);
        }
    }
    PyObject *globals;
    if (f == NULL) {
        globals = _PyEval_GetInterpState()->sysdict;
        *filename = PyUnicode_FromString("sys");
        *lineno = 1;
    }
    else {
        globals = f->f_globals;
        *filename = Py_NewRef(f->f_code->co_filename);
        *lineno = _PyFrame_GetLineNumber(f);
    }
    *module = NULL;
    *registry = NULL;
    if (*filename == NULL) {
        return -1;
    }
    if (globals == NULL) {
        /* Start-up, before sys exists: no registry. */
        *module = PyUnicode_FromString("sys");
        if (*module == NULL) {
            Py_CLEAR(*filename);
            return -1;
        }
        return 0;
    }
    Py_INCREF(globals);
    if (get_registry(globals, registry) < 0) {
        goto fail;
    }
    if (PyDict_GetItemRef(globals, _Py_ID(__name__), module) < 0) {
        goto fail;
    }
    if (*module == NULL || !PyUnicode_Check(*module)) {
        Py_XSETREF(*module, PyUnicode_FromString("<string>"));
        if (*module == NULL) {
            goto fail;
        }
    }
    Py_DECREF(globals);
    return 0;

fail:
    Py_DECREF(globals);
    Py_CLEAR(*filename);
    Py_CLEAR(*module);
    Py_CLEAR(*registry);
    return -1;
}

/* Borrowed: CATEGORY checked for warn() (None -> UserWarning; MESSAGE a
   Warning instance decides it).  NULL with TypeError. */
static PyObject *
get_category(PyObject *message, PyObject *category)
{
    int is_warning = PyObject_IsInstance(message, PyExc_Warning);
    if (is_warning < 0) {
        return NULL;
    }
    if (is_warning) {
        category = (PyObject *)Py_TYPE(message);
    }
    else if (category == NULL || category == Py_None) {
        category = PyExc_UserWarning;
    }
    if (!PyType_Check(category)
        || !PyType_IsSubtype((PyTypeObject *)category,
                             (PyTypeObject *)PyExc_Warning)) {
        PyErr_Format(PyExc_TypeError,
                     "category must be a Warning subclass, not '%s'",
                     Py_TYPE(category)->tp_name);
        return NULL;
    }
    return category;
}

/* warn() for a checked category: context from the stack, then
   warn_explicit.  0 or -1. */
static int
do_warn(PyObject *message, PyObject *category, Py_ssize_t stacklevel,
        PyObject *source)
{
    PyObject *filename, *module, *registry;
    Py_ssize_t lineno;
    if (setup_context(stacklevel, &filename, &lineno, &module,
                      &registry) < 0) {
        return -1;
    }
    int r = warn_explicit_impl(category, message, filename, lineno, module,
                               registry, NULL, source);
    Py_DECREF(filename);
    Py_DECREF(module);
    Py_XDECREF(registry);
    return r;
}

/* ------------------------------------------------------------ module */

/* warn(message, category=None, stacklevel=1, source=None) */
static PyObject *
warnings_warn(PyObject *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"message", "category", "stacklevel", "source",
                             NULL};
    PyObject *message, *category = Py_None, *source = Py_None;
    Py_ssize_t stacklevel = 1;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O|OnO:warn", kwlist,
                                     &message, &category, &stacklevel,
                                     &source)) {
        return NULL;
    }
    category = get_category(message, category);
    if (category == NULL) {
        return NULL;
    }
    if (do_warn(message, category, stacklevel, source) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* The source line for LINENO from module_globals' __loader__, stripped
   (new reference), or NULL (possibly with an exception). */
static PyObject *
loader_source_line(PyObject *module_globals, Py_ssize_t lineno)
{
    PyObject *loader = NULL, *name = NULL, *src = NULL, *lines = NULL;
    PyObject *line = NULL;
    if (PyDict_GetItemRef(module_globals, _Py_ID(__loader__), &loader) <= 0
        || loader == Py_None
        || PyDict_GetItemRef(module_globals, _Py_ID(__name__), &name) <= 0) {
        goto done;
    }
    int has = PyObject_HasAttrString(loader, "get_source");
    if (!has) {
        goto done;
    }
    src = PyObject_CallMethod(loader, "get_source", "O", name);
    if (src == NULL || !PyUnicode_Check(src)) {
        goto done;
    }
    lines = PyUnicode_Splitlines(src, 0);
    if (lines != NULL && lineno >= 1 && lineno <= PyList_GET_SIZE(lines)) {
        line = PyObject_CallMethod(PyList_GET_ITEM(lines, lineno - 1),
                                   "strip", NULL);
    }
done:
    Py_XDECREF(loader);
    Py_XDECREF(name);
    Py_XDECREF(src);
    Py_XDECREF(lines);
    return line;
}

/* warn_explicit(message, category, filename, lineno, module=None,
                 registry=None, module_globals=None, source=None) */
static PyObject *
warnings_warn_explicit(PyObject *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"message", "category", "filename", "lineno",
                             "module", "registry", "module_globals",
                             "source", NULL};
    PyObject *message, *category, *filename, *module = Py_None;
    PyObject *registry = Py_None, *globals = Py_None, *source = Py_None;
    int lineno;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OOUi|OOOO:warn_explicit",
                                     kwlist, &message, &category, &filename,
                                     &lineno, &module, &registry, &globals,
                                     &source)) {
        return NULL;
    }
    if (registry != Py_None && !PyDict_Check(registry)) {
        PyErr_SetString(PyExc_TypeError,
                        "'registry' must be a dict or None");
        return NULL;
    }
    PyObject *sourceline = NULL;
    if (globals != Py_None) {
        if (!PyDict_Check(globals)) {
            PyErr_Format(PyExc_TypeError,
                         "module_globals must be a dict, not '%.200s'",
                         Py_TYPE(globals)->tp_name);
            return NULL;
        }
        sourceline = loader_source_line(globals, lineno);
        if (sourceline == NULL) {
            PyErr_Clear();
        }
    }
    int r = warn_explicit_impl(category, message, filename, lineno,
                               module == Py_None ? NULL : module,
                               registry == Py_None ? NULL : registry,
                               sourceline, source);
    Py_XDECREF(sourceline);
    if (r < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* _filters_mutated(): invalidates every __warningregistry__. */
static PyObject *
warnings_filters_mutated(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    PyMutex_Lock(&wstate.mutex);
    wstate.filters_version++;
    PyMutex_Unlock(&wstate.mutex);
    Py_RETURN_NONE;
}

static PyMethodDef warnings_methods[] = {
    {"warn", _PyCFunction_CAST(warnings_warn), METH_VARARGS | METH_KEYWORDS,
     "Issue a warning, or maybe ignore it or raise an exception."},
    {"warn_explicit", _PyCFunction_CAST(warnings_warn_explicit),
     METH_VARARGS | METH_KEYWORDS, "Low-level interface to warnings "
     "functionality."},
    {"_filters_mutated", warnings_filters_mutated, METH_NOARGS, NULL},
    {NULL}
};

static PyModuleDef warnings_module_def = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_warnings",
    .m_doc = "_warnings provides basic warning filtering support.\n"
             "It is a helper module to speed up interpreter start-up.",
    .m_size = -1,
    .m_methods = warnings_methods,
};

/* The module shares the process-wide state: every import of _warnings
   sees the same filters, once-registry and default action. */
PyMODINIT_FUNC
PyInit__warnings(void)
{
    if (state_ensure() < 0) {
        return NULL;
    }
    PyObject *m = PyModule_Create(&warnings_module_def);
    if (m == NULL) {
        return NULL;
    }
    PyObject *filters = state_get(&wstate.filters);
    PyObject *once = state_get(&wstate.once_registry);
    PyObject *action = state_get(&wstate.default_action);
    int r = PyModule_AddObjectRef(m, "filters", filters)
            | PyModule_AddObjectRef(m, "_onceregistry", once)
            | PyModule_AddObjectRef(m, "_defaultaction", action);
    Py_XDECREF(filters);
    Py_XDECREF(once);
    Py_XDECREF(action);
    if (r < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}

/* Resets the filters to the defaults, then (when WARNOPTIONS_LIST, a list
   of -W / PYTHONWARNINGS strings, is not empty) stores it as
   sys.warnoptions and imports the warnings module, which applies them the
   way CPython does (warnings._processoptions).  0 or -1. */
int
_PyWarnings_InitFilters(PyObject *warnoptions_list)
{
    if (state_ensure() < 0) {
        return -1;
    }
    PyObject *filters = state_get(&wstate.filters);
    PyObject *defaults = default_filters();
    int r = -1;
    if (filters != NULL && defaults != NULL) {
        r = PyList_SetSlice(filters, 0, PyList_GET_SIZE(filters), defaults);
    }
    Py_XDECREF(filters);
    Py_XDECREF(defaults);
    if (r < 0 || warnoptions_list == NULL
        || !PyList_Check(warnoptions_list)
        || PyList_GET_SIZE(warnoptions_list) == 0) {
        return r;
    }
    if (PySys_SetObject("warnoptions", warnoptions_list) < 0) {
        return -1;
    }
    PyObject *mod = PyImport_ImportModule("warnings");
    Py_XDECREF(mod);
    return mod == NULL ? -1 : 0;
}

/* ------------------------------------------------------------ C API */

/* Steals nothing: warns MESSAGE (a str) of CATEGORY at STACK_LEVEL. */
static int
warn_unicode(PyObject *category, PyObject *message, Py_ssize_t stack_level,
             PyObject *source)
{
    if (category == NULL) {
        category = PyExc_RuntimeWarning;
    }
    if (!PyType_Check(category)
        || !PyType_IsSubtype((PyTypeObject *)category,
                             (PyTypeObject *)PyExc_Warning)) {
        PyErr_Format(PyExc_TypeError,
                     "category must be a Warning subclass, not '%s'",
                     Py_TYPE(category)->tp_name);
        return -1;
    }
    if (state_ensure() < 0) {
        return -1;
    }
    return do_warn(message, category, stack_level, source);
}

/* The C API: a warning about the Python code STACK_LEVEL frames up
   (1: the code calling the C function).  0, or -1 when the warning became
   an exception or failed. */
int
PyErr_WarnEx(PyObject *category, const char *text, Py_ssize_t stack_level)
{
    PyObject *message = PyUnicode_FromString(text);
    if (message == NULL) {
        return -1;
    }
    int r = warn_unicode(category, message, stack_level, NULL);
    Py_DECREF(message);
    return r;
}

/* FORMAT/VARGS warned at STACK_LEVEL with SOURCE (may be NULL). */
static int
warn_formatv(PyObject *source, PyObject *category, Py_ssize_t stack_level,
             const char *format, va_list vargs)
{
    PyObject *message = PyUnicode_FromFormatV(format, vargs);
    if (message == NULL) {
        return -1;
    }
    int r = warn_unicode(category, message, stack_level, source);
    Py_DECREF(message);
    return r;
}

/* PyErr_WarnEx with a PyUnicode_FromFormat message. */
int
PyErr_WarnFormat(PyObject *category, Py_ssize_t stack_level,
                 const char *format, ...)
{
    va_list vargs;
    va_start(vargs, format);
    int r = warn_formatv(NULL, category, stack_level, format, vargs);
    va_end(vargs);
    return r;
}

/* A ResourceWarning about SOURCE (borrowed, may be NULL; handed to
   warnings._showwarnmsg as WarningMessage.source). */
int
PyErr_ResourceWarning(PyObject *source, Py_ssize_t stack_level,
                      const char *format, ...)
{
    va_list vargs;
    va_start(vargs, format);
    int r = warn_formatv(source, PyExc_ResourceWarning, stack_level, format,
                         vargs);
    va_end(vargs);
    return r;
}

/* A warning with the context given rather than taken from the stack
   (the compiler's SyntaxWarnings).  All arguments borrowed; MODULE NULL
   derives it from FILENAME, REGISTRY NULL/None keeps no registry. */
int
PyErr_WarnExplicitObject(PyObject *category, PyObject *message,
                         PyObject *filename, int lineno, PyObject *module,
                         PyObject *registry)
{
    if (category == NULL) {
        category = PyExc_RuntimeWarning;
    }
    if (registry == Py_None) {
        registry = NULL;
    }
    if (registry != NULL && !PyDict_Check(registry)) {
        PyErr_SetString(PyExc_TypeError,
                        "'registry' must be a dict or None");
        return -1;
    }
    if (filename == NULL) {
        PyErr_SetString(PyExc_TypeError, "filename must not be NULL");
        return -1;
    }
    return warn_explicit_impl(category, message, filename, lineno,
                              module == Py_None ? NULL : module, registry,
                              NULL, NULL);
}

/* Shared tail of PyErr_WarnExplicit and PyErr_WarnExplicitFormat: builds
   the str arguments and steals MESSAGE. */
static int
warn_explicit_cstr(PyObject *category, PyObject *message,
                   const char *filename, int lineno, const char *module,
                   PyObject *registry)
{
    if (message == NULL) {
        return -1;
    }
    PyObject *fn = PyUnicode_DecodeFSDefault(filename != NULL ? filename
                                                               : "sys");
    PyObject *mod = NULL;
    int r = -1;
    if (fn != NULL && module != NULL) {
        mod = PyUnicode_FromString(module);
    }
    if (fn != NULL && (module == NULL || mod != NULL)) {
        r = PyErr_WarnExplicitObject(category, message, fn, lineno, mod,
                                     registry);
    }
    Py_XDECREF(fn);
    Py_XDECREF(mod);
    Py_DECREF(message);
    return r;
}

/* PyErr_WarnExplicitObject with C strings (FILENAME in the file system
   encoding, MODULE UTF-8 or NULL). */
int
PyErr_WarnExplicit(PyObject *category, const char *text,
                   const char *filename, int lineno, const char *module,
                   PyObject *registry)
{
    return warn_explicit_cstr(category, PyUnicode_FromString(text), filename,
                              lineno, module, registry);
}

/* PyErr_WarnExplicit with a PyUnicode_FromFormat message. */
int
PyErr_WarnExplicitFormat(PyObject *category, const char *filename,
                         int lineno, const char *module, PyObject *registry,
                         const char *format, ...)
{
    va_list vargs;
    va_start(vargs, format);
    PyObject *message = PyUnicode_FromFormatV(format, vargs);
    va_end(vargs);
    return warn_explicit_cstr(category, message, filename, lineno, module,
                              registry);
}

/* A coroutine that was never awaited is being finalized: warn through
   warnings._warn_unawaited_coroutine when available (it adds the creation
   traceback), else a plain RuntimeWarning.  Errors become unraisable. */
void
_PyErr_WarnUnawaitedCoroutine(PyObject *coro)
{
    PyObject *fn = NULL;
    int r = warnings_attr("_warn_unawaited_coroutine", &fn);
    if (r > 0) {
        PyObject *res = PyObject_CallOneArg(fn, coro);
        Py_DECREF(fn);
        if (res != NULL) {
            Py_DECREF(res);
            return;
        }
    }
    else if (r == 0) {
        PyObject *qualname = PyObject_GetAttrString(coro, "__qualname__");
        if (qualname != NULL) {
            r = PyErr_WarnFormat(PyExc_RuntimeWarning, 1,
                                 "coroutine '%S' was never awaited",
                                 qualname);
            Py_DECREF(qualname);
            if (r == 0) {
                return;
            }
        }
    }
    PyErr_WriteUnraisable(coro);
}
