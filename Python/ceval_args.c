/* Argument binding for calls of Python functions: positional arguments,
 * keywords, defaults, *args, **kwargs, with CPython 3.11's messages.
 *
 * Runs on the calling thread only; it reads the function's defaults with
 * conditional increments (Include/internal/pycore_function.h) because
 * another thread may replace them. */
#include "Python.h"
#include "pycore_ceval.h"
#include "pycore_function.h"

/* Joins the names NAMES[0:N] as 3.11 lists them: 'a'; 'a' and 'b';
   'a', 'b', and 'c'.  New reference. */
static PyObject *
format_name_list(PyObject **names, Py_ssize_t n)
{
    PyObject *res = NULL;
    switch (n) {
    case 1:
        return PyUnicode_FromFormat("'%U'", names[0]);
    case 2:
        return PyUnicode_FromFormat("'%U' and '%U'", names[0], names[1]);
    default:
        break;
    }
    res = PyUnicode_FromString("");
    for (Py_ssize_t i = 0; res != NULL && i < n; i++) {
        PyObject *piece;
        if (i == n - 1) {
            piece = PyUnicode_FromFormat("and '%U'", names[i]);
        }
        else {
            piece = PyUnicode_FromFormat("'%U', ", names[i]);
        }
        if (piece == NULL) {
            Py_CLEAR(res);
            break;
        }
        PyUnicode_Append(&res, piece);
        Py_DECREF(piece);
    }
    return res;
}

/* "f() missing 2 required positional arguments: 'a' and 'b'" for the
   NULL slots of LOCALS[start:end] (skipping those DEFAULTS_FROM and later
   when CHECK_DEFAULTS: those get defaults). */
static void
missing_arguments(PyThreadState *tstate, PyCodeObject *co,
                  _PyStackRef *localsplus, int start, int end,
                  int positional, PyObject *kwdefaults)
{
    PyObject *names[64];
    Py_ssize_t n = 0;
    Py_ssize_t total = 0;
    for (int i = start; i < end; i++) {
        if (!_PyStackRef_IsNull(localsplus[i])) {
            continue;
        }
        PyObject *name = _PyCode_LocalName(co, i);
        if (kwdefaults != NULL) {
            int r = PyDict_Contains(kwdefaults, name);
            if (r < 0) {
                return;
            }
            if (r) {
                continue;
            }
        }
        if (n < (Py_ssize_t)Py_ARRAY_LENGTH(names)) {
            names[n++] = name;
        }
        total++;
    }
    PyObject *list = format_name_list(names, n);
    if (list == NULL) {
        return;
    }
    _PyErr_Format(tstate, PyExc_TypeError,
                  "%U() missing %zd required %s argument%s: %U",
                  co->co_qualname, total,
                  positional ? "positional" : "keyword-only",
                  total == 1 ? "" : "s", list);
    Py_DECREF(list);
}

/* "f() takes 2 positional arguments but 3 were given" and its
   variants. */
static void
too_many_positional(PyThreadState *tstate, PyCodeObject *co,
                    Py_ssize_t given, PyObject *defaults,
                    _PyStackRef *localsplus)
{
    int co_argcount = co->co_argcount;
    Py_ssize_t kwonly_given = 0;
    for (int i = co_argcount; i < co_argcount + co->co_kwonlyargcount;
         i++) {
        if (!_PyStackRef_IsNull(localsplus[i])) {
            kwonly_given++;
        }
    }
    Py_ssize_t defcount = defaults == NULL ? 0 : PyTuple_GET_SIZE(defaults);
    PyObject *sig;
    if (defcount) {
        sig = PyUnicode_FromFormat("from %zd to %d",
                                   co_argcount - defcount, co_argcount);
    }
    else {
        sig = PyUnicode_FromFormat("%d", co_argcount);
    }
    if (sig == NULL) {
        return;
    }
    int plural = defcount != 0 || co_argcount != 1;
    if (kwonly_given) {
        _PyErr_Format(tstate, PyExc_TypeError,
                      "%U() takes %U positional argument%s but %zd "
                      "positional argument%s (and %zd keyword-only "
                      "argument%s) were given",
                      co->co_qualname, sig, plural ? "s" : "", given,
                      given != 1 ? "s" : "", kwonly_given,
                      kwonly_given != 1 ? "s" : "");
    }
    else {
        _PyErr_Format(tstate, PyExc_TypeError,
                      "%U() takes %U positional argument%s but %zd %s "
                      "given",
                      co->co_qualname, sig, plural ? "s" : "", given,
                      given == 1 ? "was" : "were");
    }
    Py_DECREF(sig);
}

/* Index of keyword NAME among the parameters that may be passed by
   keyword, or -1.  Identity first (names are interned), then equality. */
static Py_ssize_t
find_keyword(PyCodeObject *co, PyObject *name, int total_args)
{
    for (int i = co->co_posonlyargcount; i < total_args; i++) {
        if (_PyCode_LocalName(co, i) == name) {
            return i;
        }
    }
    for (int i = co->co_posonlyargcount; i < total_args; i++) {
        PyObject *pname = _PyCode_LocalName(co, i);
        if (_PyUnicode_EQ(pname, name)) {
            return i;
        }
    }
    return -1;
}

/* Is NAME a positional-only parameter's name? */
static int
is_posonly_name(PyCodeObject *co, PyObject *name)
{
    for (int i = 0; i < co->co_posonlyargcount; i++) {
        if (_PyUnicode_EQ(_PyCode_LocalName(co, i), name)) {
            return 1;
        }
    }
    return 0;
}

/* "f() got some positional-only arguments passed as keyword arguments:
   'a, b'" listing every keyword of KWNAMES naming a positional-only
   parameter. */
static void
posonly_as_keyword(PyThreadState *tstate, PyCodeObject *co,
                   PyObject *kwnames)
{
    PyObject *list = PyList_New(0);
    if (list == NULL) {
        return;
    }
    for (int i = 0; i < co->co_posonlyargcount; i++) {
        PyObject *pname = _PyCode_LocalName(co, i);
        for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(kwnames); k++) {
            PyObject *kw = PyTuple_GET_ITEM(kwnames, k);
            if (PyUnicode_Check(kw) && _PyUnicode_EQ(kw, pname)) {
                if (PyList_Append(list, pname) < 0) {
                    Py_DECREF(list);
                    return;
                }
                break;
            }
        }
    }
    PyObject *sep = PyUnicode_FromString(", ");
    PyObject *joined = sep ? PyUnicode_Join(sep, list) : NULL;
    Py_XDECREF(sep);
    Py_DECREF(list);
    if (joined == NULL) {
        return;
    }
    _PyErr_Format(tstate, PyExc_TypeError,
                  "%U() got some positional-only arguments passed as "
                  "keyword arguments: '%U'", co->co_qualname, joined);
    Py_DECREF(joined);
}

/* Drops the references in ARGS[i:n]. */
static void
close_refs(_PyStackRef *args, Py_ssize_t i, Py_ssize_t n)
{
    for (; i < n; i++) {
        _PyStackRef_XClose(args[i]);
        args[i] = _PyStackRef_NULL;
    }
}

/* Binds the keyword arguments (values ARGS[0:len(kwnames)], stolen). */
static int
bind_keywords(PyThreadState *tstate, PyCodeObject *co,
              _PyStackRef *localsplus, _PyStackRef *kwvalues,
              PyObject *kwnames, PyObject *kwdict, int total_args)
{
    Py_ssize_t nkw = PyTuple_GET_SIZE(kwnames);
    for (Py_ssize_t i = 0; i < nkw; i++) {
        PyObject *name = PyTuple_GET_ITEM(kwnames, i);
        _PyStackRef value = kwvalues[i];
        kwvalues[i] = _PyStackRef_NULL;
        if (!PyUnicode_Check(name)) {
            _PyErr_Format(tstate, PyExc_TypeError,
                          "%U() keywords must be strings", co->co_qualname);
            _PyStackRef_Close(value);
            close_refs(kwvalues, i + 1, nkw);
            return -1;
        }
        Py_ssize_t j = find_keyword(co, name, total_args);
        if (j >= 0) {
            if (!_PyStackRef_IsNull(localsplus[j])) {
                _PyErr_Format(tstate, PyExc_TypeError,
                              "%U() got multiple values for argument '%S'",
                              co->co_qualname, name);
                _PyStackRef_Close(value);
                close_refs(kwvalues, i + 1, nkw);
                return -1;
            }
            localsplus[j] = value;
            continue;
        }
        if (kwdict == NULL) {
            if (is_posonly_name(co, name)) {
                posonly_as_keyword(tstate, co, kwnames);
            }
            else {
                _PyErr_Format(tstate, PyExc_TypeError,
                              "%U() got an unexpected keyword argument "
                              "'%S'", co->co_qualname, name);
            }
            _PyStackRef_Close(value);
            close_refs(kwvalues, i + 1, nkw);
            return -1;
        }
        PyObject *v = _PyStackRef_AsPyObjectSteal(value);
        int r = PyDict_SetItem(kwdict, name, v);
        Py_DECREF(v);
        if (r < 0) {
            close_refs(kwvalues, i + 1, nkw);
            return -1;
        }
    }
    return 0;
}

/* Fills missing positional parameters from __defaults__ and keyword-only
   ones from __kwdefaults__; raises for what is still missing. */
static int
apply_defaults(PyThreadState *tstate, PyFunctionObject *func,
               PyCodeObject *co, _PyStackRef *localsplus, Py_ssize_t given)
{
    int co_argcount = co->co_argcount;
    int total_args = co_argcount + co->co_kwonlyargcount;
    if (given < co_argcount) {
        PyObject *defaults = _PyFunction_LoadField(&func->func_defaults);
        Py_ssize_t defcount = defaults ? PyTuple_GET_SIZE(defaults) : 0;
        Py_ssize_t m = co_argcount - defcount;
        for (Py_ssize_t i = given; i < m; i++) {
            if (_PyStackRef_IsNull(localsplus[i])) {
                missing_arguments(tstate, co, localsplus, (int)given,
                                  (int)m, 1, NULL);
                Py_XDECREF(defaults);
                return -1;
            }
        }
        Py_ssize_t i = given > m ? given - m : 0;
        for (; i < defcount; i++) {
            if (_PyStackRef_IsNull(localsplus[m + i])) {
                PyObject *def = PyTuple_GET_ITEM(defaults, i);
                localsplus[m + i] = _PyStackRef_FromPyObjectNew(def);
            }
        }
        Py_XDECREF(defaults);
    }
    if (co->co_kwonlyargcount == 0) {
        return 0;
    }
    PyObject *kwdefs = _PyFunction_LoadField(&func->func_kwdefaults);
    int missing = 0;
    for (int i = co_argcount; i < total_args; i++) {
        if (!_PyStackRef_IsNull(localsplus[i])) {
            continue;
        }
        PyObject *def = NULL;
        if (kwdefs != NULL) {
            if (PyDict_GetItemRef(kwdefs, _PyCode_LocalName(co, i),
                                  &def) < 0) {
                Py_DECREF(kwdefs);
                return -1;
            }
        }
        if (def == NULL) {
            missing++;
            continue;
        }
        localsplus[i] = _PyStackRef_FromPyObjectSteal(def);
    }
    if (missing) {
        missing_arguments(tstate, co, localsplus, co_argcount, total_args,
                          0, kwdefs);
        Py_XDECREF(kwdefs);
        return -1;
    }
    Py_XDECREF(kwdefs);
    return 0;
}

int
_PyEval_BindArgs(PyThreadState *tstate, PyFunctionObject *func,
                 _PyStackRef *localsplus, _PyStackRef *args,
                 Py_ssize_t argcount, PyObject *kwnames)
{
    PyCodeObject *co = (PyCodeObject *)func->func_code;
    int co_argcount = co->co_argcount;
    int total_args = co_argcount + co->co_kwonlyargcount;
    Py_ssize_t nkw = kwnames == NULL ? 0 : PyTuple_GET_SIZE(kwnames);
    PyObject *kwdict = NULL;
    int flags = co->co_flags;

    if (flags & CO_VARKEYWORDS) {
        kwdict = PyDict_New();
        if (kwdict == NULL) {
            goto fail_all;
        }
        int idx = total_args + ((flags & CO_VARARGS) ? 1 : 0);
        localsplus[idx] = _PyStackRef_FromPyObjectSteal(kwdict);
    }
    Py_ssize_t n = argcount < co_argcount ? argcount : co_argcount;
    for (Py_ssize_t i = 0; i < n; i++) {
        localsplus[i] = args[i];
        args[i] = _PyStackRef_NULL;
    }
    if (flags & CO_VARARGS) {
        Py_ssize_t extra = argcount - n;
        PyObject *u = PyTuple_New(extra > 0 ? extra : 0);
        if (u == NULL) {
            goto fail_rest;
        }
        for (Py_ssize_t i = 0; i < extra; i++) {
            PyTuple_SET_ITEM(u, i, _PyStackRef_AsPyObjectSteal(args[n + i]));
            args[n + i] = _PyStackRef_NULL;
        }
        localsplus[total_args] = _PyStackRef_FromPyObjectSteal(u);
    }
    if (nkw > 0) {
        if (bind_keywords(tstate, co, localsplus, args + argcount, kwnames,
                          kwdict, total_args) < 0) {
            close_refs(args, 0, argcount);
            return -1;
        }
    }
    if (argcount > co_argcount && !(flags & CO_VARARGS)) {
        PyObject *defaults = _PyFunction_LoadField(&func->func_defaults);
        too_many_positional(tstate, co, argcount, defaults, localsplus);
        Py_XDECREF(defaults);
        close_refs(args, 0, argcount);
        return -1;
    }
    return apply_defaults(tstate, func, co, localsplus, argcount);

fail_rest:
    close_refs(args, 0, argcount + nkw);
    return -1;
fail_all:
    close_refs(args, 0, argcount + nkw);
    return -1;
}
