/* The builtins module: functions, the map/filter/zip types, and the
 * module's dict with the built-in types, constants and exceptions.
 *
 * Stateless apart from the module itself (made once at start-up); the
 * module dict is a regular dict (thread-safe on its own). */
#include "Python.h"
#include "pycore_ceval.h"
#include "pycore_function.h"
#include "pycore_ceval_helpers.h"
#include "rangeobject.h"
#include "enumobject.h"
#include "iterobject.h"
#include "bltinmodule.h"
#include "bytearrayobject.h"
#include "import.h"

/* Compiles SOURCE (str, bytes or code) as exec/eval needs (Python/
   pythonrun.c). */
PyAPI_FUNC(PyObject *) _PyRun_CompileObject(PyObject *source,
                                            PyObject *filename,
                                            const char *mode, int flags,
                                            int optimize, int for_exec);

/* ---- __build_class__ ---- */

/* Applies __mro_entries__ of non-type bases (PEP 560). */
static PyObject *
update_bases(PyObject *bases)
{
    Py_ssize_t n = PyTuple_GET_SIZE(bases);
    PyObject *list = NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *base = PyTuple_GET_ITEM(bases, i);
        if (PyType_Check(base)) {
            if (list != NULL && PyList_Append(list, base) < 0) {
                goto fail;
            }
            continue;
        }
        PyObject *meth = NULL;
        if (_PyObject_LookupAttr(base, _Py_STR(__mro_entries__), &meth) < 0) {
            goto fail;
        }
        if (meth == NULL) {
            if (list != NULL && PyList_Append(list, base) < 0) {
                goto fail;
            }
            continue;
        }
        PyObject *entries = PyObject_CallOneArg(meth, bases);
        Py_DECREF(meth);
        if (entries == NULL) {
            goto fail;
        }
        if (!PyTuple_Check(entries)) {
            PyErr_SetString(PyExc_TypeError,
                            "__mro_entries__ must return a tuple");
            Py_DECREF(entries);
            goto fail;
        }
        if (list == NULL) {
            list = PyList_New(0);
            if (list == NULL) {
                Py_DECREF(entries);
                goto fail;
            }
            for (Py_ssize_t j = 0; j < i; j++) {
                if (PyList_Append(list, PyTuple_GET_ITEM(bases, j)) < 0) {
                    Py_DECREF(entries);
                    goto fail;
                }
            }
        }
        PyObject *r = _PyList_Extend((PyListObject *)list, entries);
        Py_DECREF(entries);
        if (r == NULL) {
            goto fail;
        }
        Py_DECREF(r);
    }
    if (list == NULL) {
        return Py_NewRef(bases);
    }
    PyObject *res = PyList_AsTuple(list);
    Py_DECREF(list);
    return res;
fail:
    Py_XDECREF(list);
    return NULL;
}

/* The most derived metaclass of META and the bases' types. */
static PyObject *
calculate_metaclass(PyObject *meta, PyObject *bases)
{
    PyTypeObject *winner = (PyTypeObject *)meta;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(bases); i++) {
        PyTypeObject *t = Py_TYPE(PyTuple_GET_ITEM(bases, i));
        if (PyType_IsSubtype(winner, t)) {
            continue;
        }
        if (PyType_IsSubtype(t, winner)) {
            winner = t;
            continue;
        }
        PyErr_SetString(PyExc_TypeError,
                        "metaclass conflict: the metaclass of a derived "
                        "class must be a (non-strict) subclass of the "
                        "metaclasses of all its bases");
        return NULL;
    }
    return Py_NewRef((PyObject *)winner);
}

static PyObject *
builtin___build_class__(PyObject *self, PyObject *const *args,
                        Py_ssize_t nargs, PyObject *kwnames)
{
    PyThreadState *tstate = _PyThreadState_GET();
    if (nargs < 2) {
        PyErr_SetString(PyExc_TypeError,
                        "__build_class__: not enough arguments");
        return NULL;
    }
    PyObject *func = args[0];
    if (!PyFunction_Check(func)) {
        PyErr_SetString(PyExc_TypeError,
                        "__build_class__: func must be a function");
        return NULL;
    }
    PyObject *name = args[1];
    if (!PyUnicode_Check(name)) {
        PyErr_SetString(PyExc_TypeError,
                        "__build_class__: name is not a string");
        return NULL;
    }
    PyObject *orig_bases = _PyTuple_FromArray(args + 2, nargs - 2);
    if (orig_bases == NULL) {
        return NULL;
    }
    PyObject *bases = update_bases(orig_bases);
    PyObject *meta = NULL, *mkw = NULL, *ns = NULL, *cls = NULL;
    PyObject *cell = NULL;
    if (bases == NULL) {
        Py_DECREF(orig_bases);
        return NULL;
    }
    int is_class = 0;
    if (kwnames != NULL) {
        mkw = PyDict_New();
        if (mkw == NULL) {
            goto done;
        }
        for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(kwnames); i++) {
            if (PyDict_SetItem(mkw, PyTuple_GET_ITEM(kwnames, i),
                               args[nargs + i]) < 0) {
                goto done;
            }
        }
        PyObject *mc = PyUnicode_FromString("metaclass");
        if (mc == NULL || PyDict_Pop(mkw, mc, &meta) < 0) {
            Py_XDECREF(mc);
            goto done;
        }
        Py_DECREF(mc);
        if (meta != NULL) {
            is_class = PyType_Check(meta);
        }
    }
    if (meta == NULL) {
        if (PyTuple_GET_SIZE(bases) == 0) {
            meta = Py_NewRef((PyObject *)&PyType_Type);
        }
        else {
            meta = Py_NewRef((PyObject *)Py_TYPE(PyTuple_GET_ITEM(bases, 0)));
        }
        is_class = 1;
    }
    if (is_class) {
        PyObject *winner = calculate_metaclass(meta, bases);
        if (winner == NULL) {
            goto done;
        }
        Py_SETREF(meta, winner);
    }
    PyObject *prep = NULL;
    if (_PyObject_LookupAttr(meta, _Py_STR(__prepare__), &prep) < 0) {
        goto done;
    }
    if (prep == NULL) {
        ns = PyDict_New();
    }
    else {
        PyObject *pargs[2] = {name, bases};
        ns = PyObject_VectorcallDict(prep, pargs, 2, mkw);
        Py_DECREF(prep);
    }
    if (ns == NULL) {
        goto done;
    }
    if (!PyMapping_Check(ns)) {
        PyErr_Format(PyExc_TypeError,
                     "%.200s.__prepare__() must return a mapping, not %.200s",
                     is_class ? ((PyTypeObject *)meta)->tp_name
                              : "<metaclass>",
                     Py_TYPE(ns)->tp_name);
        goto done;
    }
    cell = _PyEval_Vector(tstate, (PyFunctionObject *)func, ns, NULL, 0,
                          NULL);
    if (cell == NULL) {
        goto done;
    }
    if (bases != orig_bases
        && PyObject_SetItem(ns, _Py_STR(__orig_bases__), orig_bases) < 0) {
        goto done;
    }
    PyObject *margs[3] = {name, bases, ns};
    cls = PyObject_VectorcallDict(meta, margs, 3, mkw);
    if (cls != NULL && PyType_Check(cls) && PyCell_Check(cell)) {
        PyObject *cell_cls = PyCell_Get(cell);
        if (cell_cls == NULL) {
            PyCell_Set(cell, cls);
        }
        else if (cell_cls != cls) {
            PyErr_Format(PyExc_TypeError,
                         "__class__ set to %.200R defining %.200R as %.200R",
                         cell_cls, name, cls);
            Py_CLEAR(cls);
        }
        Py_XDECREF(cell_cls);
    }
done:
    Py_XDECREF(cell);
    Py_XDECREF(ns);
    Py_XDECREF(meta);
    Py_XDECREF(mkw);
    Py_XDECREF(bases);
    Py_DECREF(orig_bases);
    return cls;
}

/* ---- simple functions ---- */

static PyObject *
builtin_abs(PyObject *self, PyObject *x)
{
    return PyNumber_Absolute(x);
}

static PyObject *
builtin_all(PyObject *self, PyObject *iterable)
{
    PyObject *it = PyObject_GetIter(iterable);
    if (it == NULL) {
        return NULL;
    }
    PyObject *item;
    while ((item = PyIter_Next(it)) != NULL) {
        int r = PyObject_IsTrue(item);
        Py_DECREF(item);
        if (r <= 0) {
            Py_DECREF(it);
            return r < 0 ? NULL : Py_NewRef(Py_False);
        }
    }
    Py_DECREF(it);
    return PyErr_Occurred() ? NULL : Py_NewRef(Py_True);
}

static PyObject *
builtin_any(PyObject *self, PyObject *iterable)
{
    PyObject *it = PyObject_GetIter(iterable);
    if (it == NULL) {
        return NULL;
    }
    PyObject *item;
    while ((item = PyIter_Next(it)) != NULL) {
        int r = PyObject_IsTrue(item);
        Py_DECREF(item);
        if (r != 0) {
            Py_DECREF(it);
            return r < 0 ? NULL : Py_NewRef(Py_True);
        }
    }
    Py_DECREF(it);
    return PyErr_Occurred() ? NULL : Py_NewRef(Py_False);
}

static PyObject *
builtin_ascii(PyObject *self, PyObject *o)
{
    return PyObject_ASCII(o);
}

static PyObject *
builtin_bin(PyObject *self, PyObject *o)
{
    return PyNumber_ToBase(o, 2);
}

static PyObject *
builtin_oct(PyObject *self, PyObject *o)
{
    return PyNumber_ToBase(o, 8);
}

static PyObject *
builtin_hex(PyObject *self, PyObject *o)
{
    return PyNumber_ToBase(o, 16);
}

static PyObject *
builtin_callable(PyObject *self, PyObject *o)
{
    return PyBool_FromLong(PyCallable_Check(o));
}

static PyObject *
builtin_chr(PyObject *self, PyObject *arg)
{
    int overflow;
    long v = PyLong_AsLongAndOverflow(arg, &overflow);
    if (v == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (overflow || v < 0 || v > 0x10ffff) {
        PyErr_SetString(PyExc_ValueError, "chr() arg not in range(0x110000)");
        return NULL;
    }
    return PyUnicode_FromOrdinal((int)v);
}

static PyObject *
builtin_ord(PyObject *self, PyObject *c)
{
    Py_ssize_t size;
    if (PyBytes_Check(c)) {
        size = PyBytes_GET_SIZE(c);
        if (size == 1) {
            return PyLong_FromLong((unsigned char)PyBytes_AS_STRING(c)[0]);
        }
    }
    else if (PyUnicode_Check(c)) {
        size = PyUnicode_GET_LENGTH(c);
        if (size == 1) {
            return PyLong_FromLong((long)PyUnicode_READ_CHAR(c, 0));
        }
    }
    else if (PyByteArray_Check(c)) {
        size = PyByteArray_GET_SIZE(c);
        if (size == 1) {
            return PyLong_FromLong(
                (unsigned char)PyByteArray_AS_STRING(c)[0]);
        }
    }
    else {
        PyErr_Format(PyExc_TypeError,
                     "ord() expected string of length 1, but %.200s found",
                     Py_TYPE(c)->tp_name);
        return NULL;
    }
    PyErr_Format(PyExc_TypeError,
                 "ord() expected a character, but string of length %zd "
                 "found", size);
    return NULL;
}

static PyObject *
builtin_delattr(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (!_PyArg_CheckPositional("delattr", nargs, 2, 2)) {
        return NULL;
    }
    if (PyObject_DelAttr(args[0], args[1]) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
builtin_setattr(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (!_PyArg_CheckPositional("setattr", nargs, 3, 3)) {
        return NULL;
    }
    if (PyObject_SetAttr(args[0], args[1], args[2]) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
builtin_getattr(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (!_PyArg_CheckPositional("getattr", nargs, 2, 3)) {
        return NULL;
    }
    PyObject *name = args[1];
    if (!PyUnicode_Check(name)) {
        PyErr_Format(PyExc_TypeError,
                     "attribute name must be string, not '%.200s'",
                     Py_TYPE(name)->tp_name);
        return NULL;
    }
    if (nargs > 2) {
        PyObject *res;
        if (_PyObject_LookupAttr(args[0], name, &res) == 0) {
            return Py_NewRef(args[2]);
        }
        return res;
    }
    return PyObject_GetAttr(args[0], name);
}

static PyObject *
builtin_hasattr(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (!_PyArg_CheckPositional("hasattr", nargs, 2, 2)) {
        return NULL;
    }
    if (!PyUnicode_Check(args[1])) {
        PyErr_Format(PyExc_TypeError,
                     "attribute name must be string, not '%.200s'",
                     Py_TYPE(args[1])->tp_name);
        return NULL;
    }
    PyObject *v;
    int r = _PyObject_LookupAttr(args[0], args[1], &v);
    if (r < 0) {
        return NULL;
    }
    Py_XDECREF(v);
    return PyBool_FromLong(r);
}

static PyObject *
builtin_divmod(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (!_PyArg_CheckPositional("divmod", nargs, 2, 2)) {
        return NULL;
    }
    return PyNumber_Divmod(args[0], args[1]);
}

static PyObject *
builtin_format(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (!_PyArg_CheckPositional("format", nargs, 1, 2)) {
        return NULL;
    }
    PyObject *spec = nargs > 1 ? args[1] : NULL;
    if (spec != NULL && !PyUnicode_Check(spec)) {
        PyErr_Format(PyExc_TypeError,
                     "format() argument 2 must be str, not %.200s",
                     Py_TYPE(spec)->tp_name);
        return NULL;
    }
    return PyObject_Format(args[0], spec);
}

static PyObject *
builtin_hash(PyObject *self, PyObject *o)
{
    Py_hash_t h = PyObject_Hash(o);
    if (h == -1) {
        return NULL;
    }
    return PyLong_FromSsize_t(h);
}

static PyObject *
builtin_id(PyObject *self, PyObject *o)
{
    return PyLong_FromVoidPtr(o);
}

static PyObject *
builtin_isinstance(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (!_PyArg_CheckPositional("isinstance", nargs, 2, 2)) {
        return NULL;
    }
    int r = PyObject_IsInstance(args[0], args[1]);
    return r < 0 ? NULL : PyBool_FromLong(r);
}

static PyObject *
builtin_issubclass(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (!_PyArg_CheckPositional("issubclass", nargs, 2, 2)) {
        return NULL;
    }
    int r = PyObject_IsSubclass(args[0], args[1]);
    return r < 0 ? NULL : PyBool_FromLong(r);
}

static PyObject *
builtin_iter(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (!_PyArg_CheckPositional("iter", nargs, 1, 2)) {
        return NULL;
    }
    if (nargs == 1) {
        return PyObject_GetIter(args[0]);
    }
    if (!PyCallable_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "iter(v, w): v must be callable");
        return NULL;
    }
    return PyCallIter_New(args[0], args[1]);
}

static PyObject *
builtin_next(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (!_PyArg_CheckPositional("next", nargs, 1, 2)) {
        return NULL;
    }
    PyObject *it = args[0];
    if (!PyIter_Check(it)) {
        PyErr_Format(PyExc_TypeError, "'%.200s' object is not an iterator",
                     Py_TYPE(it)->tp_name);
        return NULL;
    }
    PyObject *res = (*Py_TYPE(it)->tp_iternext)(it);
    if (res != NULL) {
        return res;
    }
    if (nargs > 1) {
        if (PyErr_Occurred()) {
            if (!PyErr_ExceptionMatches(PyExc_StopIteration)) {
                return NULL;
            }
            PyErr_Clear();
        }
        return Py_NewRef(args[1]);
    }
    if (!PyErr_Occurred()) {
        PyErr_SetNone(PyExc_StopIteration);
    }
    return NULL;
}

static PyObject *
builtin_len(PyObject *self, PyObject *o)
{
    Py_ssize_t n = PyObject_Size(o);
    if (n < 0) {
        return NULL;
    }
    return PyLong_FromSsize_t(n);
}

static PyObject *
builtin_repr(PyObject *self, PyObject *o)
{
    return PyObject_Repr(o);
}

static PyObject *
builtin_globals(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    PyObject *g = PyEval_GetGlobals();
    return Py_XNewRef(g);
}

static PyObject *
builtin_locals(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    PyObject *l = PyEval_GetLocals();
    return Py_XNewRef(l);
}

static PyObject *
builtin_vars(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (!_PyArg_CheckPositional("vars", nargs, 0, 1)) {
        return NULL;
    }
    if (nargs == 0) {
        return builtin_locals(self, NULL);
    }
    PyObject *d;
    if (_PyObject_LookupAttr(args[0], _Py_STR(__dict__), &d) == 0) {
        PyErr_SetString(PyExc_TypeError,
                        "vars() argument must have __dict__ attribute");
    }
    return d;
}

static PyObject *
builtin_dir(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (!_PyArg_CheckPositional("dir", nargs, 0, 1)) {
        return NULL;
    }
    if (nargs == 0) {
        PyObject *locals = PyEval_GetLocals();
        if (locals == NULL) {
            return NULL;
        }
        PyObject *keys = PyMapping_Keys(locals);
        if (keys == NULL) {
            return NULL;
        }
        PyObject *list = PySequence_List(keys);
        Py_DECREF(keys);
        if (list != NULL && PyList_Sort(list) < 0) {
            Py_CLEAR(list);
        }
        return list;
    }
    return PyObject_Dir(args[0]);
}

static PyObject *
builtin_pow(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
            PyObject *kwnames)
{
    PyObject *base = NULL, *exp = NULL, *mod = Py_None;
    Py_ssize_t nkw = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
    if (nargs > 3) {
        PyErr_Format(PyExc_TypeError,
                     "pow() takes at most 3 arguments (%zd given)", nargs);
        return NULL;
    }
    if (nargs > 0) base = args[0];
    if (nargs > 1) exp = args[1];
    if (nargs > 2) mod = args[2];
    for (Py_ssize_t i = 0; i < nkw; i++) {
        PyObject *k = PyTuple_GET_ITEM(kwnames, i);
        if (_PyUnicode_EqualToASCIIString(k, "base")) base = args[nargs + i];
        else if (_PyUnicode_EqualToASCIIString(k, "exp")) exp = args[nargs + i];
        else if (_PyUnicode_EqualToASCIIString(k, "mod")) mod = args[nargs + i];
        else {
            PyErr_Format(PyExc_TypeError,
                         "pow() got an unexpected keyword argument '%U'", k);
            return NULL;
        }
    }
    if (base == NULL || exp == NULL) {
        PyErr_Format(PyExc_TypeError,
                     "pow() missing required argument '%s' (pos %d)",
                     base == NULL ? "base" : "exp", base == NULL ? 1 : 2);
        return NULL;
    }
    return PyNumber_Power(base, exp, mod);
}

/* Looks up KEY among keyword names; NULL when absent. */
static PyObject *
kwarg(PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames,
      const char *key, int *used)
{
    if (kwnames == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(kwnames); i++) {
        if (_PyUnicode_EqualToASCIIString(PyTuple_GET_ITEM(kwnames, i),
                                          key)) {
            (*used)++;
            return args[nargs + i];
        }
    }
    return NULL;
}

/* Rejects keyword names other than those counted in USED. */
static int
check_kwargs(const char *fname, PyObject *kwnames, int used)
{
    if (kwnames == NULL || PyTuple_GET_SIZE(kwnames) == used) {
        return 0;
    }
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(kwnames); i++) {
        PyObject *k = PyTuple_GET_ITEM(kwnames, i);
        PyErr_Format(PyExc_TypeError,
                     "%s() got an unexpected keyword argument '%U'", fname,
                     k);
        return -1;
    }
    return -1;
}

static PyObject *
builtin_print(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
              PyObject *kwnames)
{
    int used = 0;
    PyObject *sep = kwarg(args, nargs, kwnames, "sep", &used);
    PyObject *end = kwarg(args, nargs, kwnames, "end", &used);
    PyObject *file = kwarg(args, nargs, kwnames, "file", &used);
    PyObject *flush = kwarg(args, nargs, kwnames, "flush", &used);
    if (kwnames != NULL && PyTuple_GET_SIZE(kwnames) != used) {
        for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(kwnames); i++) {
            PyObject *k = PyTuple_GET_ITEM(kwnames, i);
            if (!_PyUnicode_EqualToASCIIString(k, "sep")
                && !_PyUnicode_EqualToASCIIString(k, "end")
                && !_PyUnicode_EqualToASCIIString(k, "file")
                && !_PyUnicode_EqualToASCIIString(k, "flush")) {
                PyErr_Format(PyExc_TypeError,
                             "'%U' is an invalid keyword argument for "
                             "print()", k);
                return NULL;
            }
        }
    }
    if (file == NULL || file == Py_None) {
        file = _PySys_GetAttr(_Py_STR(stdout));
        if (file == NULL) {
            PyErr_SetString(PyExc_RuntimeError, "lost sys.stdout");
            return NULL;
        }
        if (file == Py_None) {
            Py_RETURN_NONE;
        }
    }
    if (sep == Py_None) {
        sep = NULL;
    }
    else if (sep != NULL && !PyUnicode_Check(sep)) {
        PyErr_Format(PyExc_TypeError,
                     "sep must be None or a string, not %.200s",
                     Py_TYPE(sep)->tp_name);
        return NULL;
    }
    if (end == Py_None) {
        end = NULL;
    }
    else if (end != NULL && !PyUnicode_Check(end)) {
        PyErr_Format(PyExc_TypeError,
                     "end must be None or a string, not %.200s",
                     Py_TYPE(end)->tp_name);
        return NULL;
    }
    Py_INCREF(file);
    PyObject *write = PyObject_GetAttr(file, _Py_STR(write));
    if (write == NULL) {
        Py_DECREF(file);
        return NULL;
    }
    PyObject *space = NULL, *newline = NULL;
    for (Py_ssize_t i = 0; i < nargs; i++) {
        PyObject *r;
        if (i > 0) {
            if (sep == NULL && space == NULL) {
                space = PyUnicode_FromString(" ");
            }
            r = PyObject_CallOneArg(write, sep != NULL ? sep : space);
            if (r == NULL) {
                goto fail;
            }
            Py_DECREF(r);
        }
        PyObject *s = PyObject_Str(args[i]);
        if (s == NULL) {
            goto fail;
        }
        r = PyObject_CallOneArg(write, s);
        Py_DECREF(s);
        if (r == NULL) {
            goto fail;
        }
        Py_DECREF(r);
    }
    if (end == NULL) {
        newline = PyUnicode_FromString("\n");
    }
    PyObject *r = PyObject_CallOneArg(write, end != NULL ? end : newline);
    if (r == NULL) {
        goto fail;
    }
    Py_DECREF(r);
    if (flush != NULL) {
        int f = PyObject_IsTrue(flush);
        if (f < 0) {
            goto fail;
        }
        if (f) {
            r = PyObject_CallMethodNoArgs(file, _Py_STR(flush));
            if (r == NULL) {
                goto fail;
            }
            Py_DECREF(r);
        }
    }
    Py_XDECREF(space);
    Py_XDECREF(newline);
    Py_DECREF(write);
    Py_DECREF(file);
    Py_RETURN_NONE;
fail:
    Py_XDECREF(space);
    Py_XDECREF(newline);
    Py_DECREF(write);
    Py_DECREF(file);
    return NULL;
}

static PyObject *
builtin_input(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (!_PyArg_CheckPositional("input", nargs, 0, 1)) {
        return NULL;
    }
    PyObject *fout = _PySys_GetAttr(_Py_STR(stdout));
    PyObject *fin = _PySys_GetAttr(_Py_STR(stdin));
    if (fin == NULL || fin == Py_None) {
        PyErr_SetString(PyExc_RuntimeError, "input(): lost sys.stdin");
        return NULL;
    }
    if (fout == NULL || fout == Py_None) {
        PyErr_SetString(PyExc_RuntimeError, "input(): lost sys.stdout");
        return NULL;
    }
    if (nargs == 1) {
        PyObject *s = PyObject_Str(args[0]);
        if (s == NULL) {
            return NULL;
        }
        PyObject *r = PyObject_CallMethodOneArg(fout, _Py_STR(write), s);
        Py_DECREF(s);
        if (r == NULL) {
            return NULL;
        }
        Py_DECREF(r);
    }
    PyObject *r = PyObject_CallMethodNoArgs(fout, _Py_STR(flush));
    if (r == NULL) {
        PyErr_Clear();
    }
    Py_XDECREF(r);
    PyObject *line = PyObject_CallMethodNoArgs(fin, _Py_STR(readline));
    if (line == NULL) {
        return NULL;
    }
    if (!PyUnicode_Check(line)) {
        Py_DECREF(line);
        PyErr_SetString(PyExc_TypeError, "object.readline() returned non-string");
        return NULL;
    }
    Py_ssize_t len = PyUnicode_GET_LENGTH(line);
    if (len == 0) {
        Py_DECREF(line);
        PyErr_SetNone(PyExc_EOFError);
        return NULL;
    }
    if (PyUnicode_READ_CHAR(line, len - 1) == '\n') {
        Py_SETREF(line, PyUnicode_Substring(line, 0, len - 1));
    }
    return line;
}

/* min() and max(). */
static PyObject *
min_max(PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames, int op,
        const char *name)
{
    int used = 0;
    PyObject *keyfunc = kwarg(args, nargs, kwnames, "key", &used);
    PyObject *defaultval = kwarg(args, nargs, kwnames, "default", &used);
    if (check_kwargs(name, kwnames, used) < 0) {
        return NULL;
    }
    if (keyfunc == Py_None) {
        keyfunc = NULL;
    }
    PyObject *it;
    if (nargs == 0) {
        PyErr_Format(PyExc_TypeError,
                     "%s expected at least 1 argument, got 0", name);
        return NULL;
    }
    if (nargs > 1) {
        if (defaultval != NULL) {
            PyErr_Format(PyExc_TypeError,
                         "Cannot specify a default for %s() with multiple "
                         "positional arguments", name);
            return NULL;
        }
        PyObject *t = _PyTuple_FromArray(args, nargs);
        if (t == NULL) {
            return NULL;
        }
        it = PyObject_GetIter(t);
        Py_DECREF(t);
    }
    else {
        it = PyObject_GetIter(args[0]);
    }
    if (it == NULL) {
        return NULL;
    }
    PyObject *maxitem = NULL, *maxval = NULL, *item;
    while ((item = PyIter_Next(it)) != NULL) {
        PyObject *val = item;
        if (keyfunc != NULL) {
            val = PyObject_CallOneArg(keyfunc, item);
            if (val == NULL) {
                Py_DECREF(item);
                goto fail;
            }
        }
        else {
            Py_INCREF(val);
        }
        if (maxval == NULL) {
            maxitem = item;
            maxval = val;
            continue;
        }
        int cmp = PyObject_RichCompareBool(val, maxval, op);
        if (cmp < 0) {
            Py_DECREF(item);
            Py_DECREF(val);
            goto fail;
        }
        if (cmp > 0) {
            Py_SETREF(maxval, val);
            Py_SETREF(maxitem, item);
        }
        else {
            Py_DECREF(item);
            Py_DECREF(val);
        }
    }
    if (PyErr_Occurred()) {
        goto fail;
    }
    Py_DECREF(it);
    Py_XDECREF(maxval);
    if (maxitem == NULL) {
        if (defaultval != NULL) {
            return Py_NewRef(defaultval);
        }
        PyErr_Format(PyExc_ValueError, "%s() arg is an empty sequence",
                     name);
    }
    return maxitem;
fail:
    Py_XDECREF(maxval);
    Py_XDECREF(maxitem);
    Py_DECREF(it);
    return NULL;
}

static PyObject *
builtin_min(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
            PyObject *kwnames)
{
    return min_max(args, nargs, kwnames, Py_LT, "min");
}

static PyObject *
builtin_max(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
            PyObject *kwnames)
{
    return min_max(args, nargs, kwnames, Py_GT, "max");
}

static PyObject *
builtin_sum(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
            PyObject *kwnames)
{
    int used = 0;
    PyObject *start = kwarg(args, nargs, kwnames, "start", &used);
    if (check_kwargs("sum", kwnames, used) < 0) {
        return NULL;
    }
    if (!_PyArg_CheckPositional("sum", nargs, 1, 2)) {
        return NULL;
    }
    if (nargs == 2) {
        start = args[1];
    }
    PyObject *result = start != NULL ? Py_NewRef(start) : PyLong_FromLong(0);
    if (result == NULL) {
        return NULL;
    }
    if (PyUnicode_Check(result)) {
        PyErr_SetString(PyExc_TypeError,
                        "sum() can't sum strings [use ''.join(seq) instead]");
        Py_DECREF(result);
        return NULL;
    }
    if (PyBytes_Check(result)) {
        PyErr_SetString(PyExc_TypeError,
                        "sum() can't sum bytes [use b''.join(seq) instead]");
        Py_DECREF(result);
        return NULL;
    }
    if (PyByteArray_Check(result)) {
        PyErr_SetString(PyExc_TypeError,
                        "sum() can't sum bytearray [use b''.join(seq) "
                        "instead]");
        Py_DECREF(result);
        return NULL;
    }
    PyObject *it = PyObject_GetIter(args[0]);
    if (it == NULL) {
        Py_DECREF(result);
        return NULL;
    }
    PyObject *item;
    while ((item = PyIter_Next(it)) != NULL) {
        PyObject *r = PyNumber_Add(result, item);
        Py_DECREF(item);
        Py_DECREF(result);
        result = r;
        if (result == NULL) {
            Py_DECREF(it);
            return NULL;
        }
    }
    Py_DECREF(it);
    if (PyErr_Occurred()) {
        Py_DECREF(result);
        return NULL;
    }
    return result;
}

static PyObject *
builtin_sorted(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
               PyObject *kwnames)
{
    if (nargs != 1) {
        PyErr_Format(PyExc_TypeError,
                     "sorted expected 1 argument, got %zd", nargs);
        return NULL;
    }
    PyObject *list = PySequence_List(args[0]);
    if (list == NULL) {
        return NULL;
    }
    PyObject *sort = PyObject_GetAttrString(list, "sort");
    if (sort == NULL) {
        Py_DECREF(list);
        return NULL;
    }
    PyObject *r = PyObject_Vectorcall(sort, args + 1, 0, kwnames);
    Py_DECREF(sort);
    if (r == NULL) {
        Py_DECREF(list);
        return NULL;
    }
    Py_DECREF(r);
    return list;
}

static PyObject *
builtin_round(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
              PyObject *kwnames)
{
    int used = 0;
    PyObject *ndigits = kwarg(args, nargs, kwnames, "ndigits", &used);
    PyObject *number = kwarg(args, nargs, kwnames, "number", &used);
    if (check_kwargs("round", kwnames, used) < 0) {
        return NULL;
    }
    if (nargs > 0) number = args[0];
    if (nargs > 1) ndigits = args[1];
    if (number == NULL) {
        PyErr_SetString(PyExc_TypeError,
                        "round() missing required argument 'number' (pos 1)");
        return NULL;
    }
    PyObject *round = _PyEval_LookupSpecial(number, _Py_STR(__round__));
    if (round == NULL) {
        if (!PyErr_Occurred()) {
            PyErr_Format(PyExc_TypeError,
                         "type %.100s doesn't define __round__ method",
                         Py_TYPE(number)->tp_name);
        }
        return NULL;
    }
    PyObject *r;
    if (ndigits == NULL || ndigits == Py_None) {
        r = PyObject_CallNoArgs(round);
    }
    else {
        r = PyObject_CallOneArg(round, ndigits);
    }
    Py_DECREF(round);
    return r;
}

static PyObject *
builtin___import__(PyObject *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"name", "globals", "locals", "fromlist",
                             "level", 0};
    PyObject *name, *globals = NULL, *locals = NULL, *fromlist = NULL;
    int level = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "U|OOOi:__import__",
                                     kwlist, &name, &globals, &locals,
                                     &fromlist, &level)) {
        return NULL;
    }
    return PyImport_ImportModuleLevelObject(name, globals, locals, fromlist,
                                            level);
}

/* exec/eval: globals and locals checks as 3.11 makes them. */
static PyObject *
exec_or_eval(PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames,
             int is_exec)
{
    const char *fname = is_exec ? "exec" : "eval";
    int used = 0;
    PyObject *globals = kwarg(args, nargs, kwnames, "globals", &used);
    PyObject *locals = kwarg(args, nargs, kwnames, "locals", &used);
    PyObject *closure = is_exec ? kwarg(args, nargs, kwnames, "closure",
                                        &used)
                                : NULL;
    if (check_kwargs(fname, kwnames, used) < 0) {
        return NULL;
    }
    if (nargs < 1 || nargs > 3) {
        PyErr_Format(PyExc_TypeError,
                     "%s expected at least 1 argument, got %zd", fname,
                     nargs);
        return NULL;
    }
    PyObject *source = args[0];
    if (nargs > 1) globals = args[1];
    if (nargs > 2) locals = args[2];
    if (globals == Py_None) globals = NULL;
    if (locals == Py_None) locals = NULL;
    if (globals != NULL && !PyDict_Check(globals)) {
        PyErr_Format(PyExc_TypeError,
                     is_exec ? "exec() globals must be a dict, not %.100s"
                             : "globals must be a real dict; try eval(expr, "
                               "{}, mapping)",
                     Py_TYPE(globals)->tp_name);
        return NULL;
    }
    if (locals != NULL && !PyMapping_Check(locals)) {
        PyErr_Format(PyExc_TypeError,
                     is_exec ? "locals must be a mapping or None, not %.100s"
                             : "locals must be a mapping",
                     Py_TYPE(locals)->tp_name);
        return NULL;
    }
    if (globals == NULL) {
        globals = PyEval_GetGlobals();
        if (locals == NULL) {
            locals = PyEval_GetLocals();
            if (locals == NULL) {
                return NULL;
            }
        }
        if (globals == NULL) {
            PyErr_Format(PyExc_SystemError, "globals and locals cannot be "
                         "NULL");
            return NULL;
        }
    }
    else if (locals == NULL) {
        locals = globals;
    }
    int has = PyDict_Contains(globals, _Py_STR(__builtins__));
    if (has < 0) {
        return NULL;
    }
    if (has == 0) {
        PyObject *b = _PyEval_GetInterpState()->builtins_module;
        if (b != NULL
            && PyDict_SetItem(globals, _Py_STR(__builtins__), b) < 0) {
            return NULL;
        }
    }
    PyObject *code;
    if (closure == Py_None) {
        closure = NULL;
    }
    if (PyCode_Check(source)) {
        /* A code object with free variables needs their cells. */
        Py_ssize_t nfree = ((PyCodeObject *)source)->co_nfreevars;
        if (nfree > 0 && !is_exec) {
            PyErr_SetString(PyExc_TypeError,
                            "code object passed to eval() may not contain "
                            "free variables");
            return NULL;
        }
        if (nfree == 0 && closure != NULL) {
            PyErr_SetString(PyExc_TypeError,
                            "cannot use a closure with this code object");
            return NULL;
        }
        if (nfree > 0) {
            int ok = closure != NULL && PyTuple_CheckExact(closure) &&
                     PyTuple_GET_SIZE(closure) == nfree;
            for (Py_ssize_t i = 0; ok && i < nfree; i++) {
                ok = PyCell_Check(PyTuple_GET_ITEM(closure, i));
            }
            if (!ok) {
                PyErr_Format(PyExc_TypeError,
                             "code object requires a closure of exactly "
                             "length %zd", nfree);
                return NULL;
            }
        }
        code = Py_NewRef(source);
    }
    else if (closure != NULL) {
        PyErr_SetString(PyExc_TypeError,
                        "closure can only be used when source is a code "
                        "object");
        return NULL;
    }
    else {
        PyObject *fn = PyUnicode_FromString("<string>");
        if (fn == NULL) {
            return NULL;
        }
        code = _PyRun_CompileObject(source, fn, is_exec ? "exec" : "eval",
                                    0, -1, is_exec);
        Py_DECREF(fn);
        if (code == NULL) {
            return NULL;
        }
    }
    PyObject *res = _PyEval_EvalCodeWithLocals(code, globals, locals,
                                               closure);
    Py_DECREF(code);
    if (res != NULL && is_exec) {
        Py_SETREF(res, Py_NewRef(Py_None));
    }
    return res;
}

static PyObject *
builtin_exec(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
             PyObject *kwnames)
{
    return exec_or_eval(args, nargs, kwnames, 1);
}

static PyObject *
builtin_eval(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
             PyObject *kwnames)
{
    return exec_or_eval(args, nargs, kwnames, 0);
}

static PyObject *
builtin_compile(PyObject *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"source", "filename", "mode", "flags",
                             "dont_inherit", "optimize", "_feature_version",
                             NULL};
    PyObject *source, *filename;
    const char *mode;
    int flags = 0, dont_inherit = 0, optimize = -1, fv = -1;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OOs|iiii:compile", kwlist,
                                     &source, &filename, &mode, &flags,
                                     &dont_inherit, &optimize, &fv)) {
        return NULL;
    }
    if (strcmp(mode, "exec") != 0 && strcmp(mode, "eval") != 0
        && strcmp(mode, "single") != 0 && strcmp(mode, "func_type") != 0) {
        PyErr_SetString(PyExc_ValueError,
                        "compile() mode must be 'exec', 'eval' or 'single'");
        return NULL;
    }
    /* 0x0400 is PyCF_ONLY_AST (pycore_compile.h is not included here). */
    if (strcmp(mode, "func_type") == 0 && !(flags & 0x0400)) {
        PyErr_SetString(PyExc_ValueError,
                        "compile() mode 'func_type' requires flag "
                        "PyCF_ONLY_AST");
        return NULL;
    }
    PyObject *fn;
    if (PyBytes_Check(filename)) {
        fn = PyUnicode_DecodeFSDefault(PyBytes_AS_STRING(filename));
    }
    else if (PyUnicode_Check(filename)) {
        fn = Py_NewRef(filename);
    }
    else {
        fn = PyObject_Str(filename);
    }
    if (fn == NULL) {
        return NULL;
    }
    /* for_exec 2: compile() itself, which also takes AST objects. */
    PyObject *res = _PyRun_CompileObject(source, fn, mode, flags, optimize,
                                         2);
    Py_DECREF(fn);
    return res;
}

/* ---- map, filter, zip ---- */

typedef struct {
    PyObject_HEAD
    PyObject *iters;
    PyObject *func;
} mapobject;

static PyObject *
map_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    if (type == &PyMap_Type && !_PyArg_NoKeywords("map", kwds)) {
        return NULL;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(args);
    if (n < 2) {
        PyErr_SetString(PyExc_TypeError,
                        "map() must have at least two arguments.");
        return NULL;
    }
    PyObject *iters = PyTuple_New(n - 1);
    if (iters == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 1; i < n; i++) {
        PyObject *it = PyObject_GetIter(PyTuple_GET_ITEM(args, i));
        if (it == NULL) {
            Py_DECREF(iters);
            return NULL;
        }
        PyTuple_SET_ITEM(iters, i - 1, it);
    }
    mapobject *m = (mapobject *)type->tp_alloc(type, 0);
    if (m == NULL) {
        Py_DECREF(iters);
        return NULL;
    }
    m->iters = iters;
    m->func = Py_NewRef(PyTuple_GET_ITEM(args, 0));
    return (PyObject *)m;
}

static void
map_dealloc(PyObject *self)
{
    mapobject *m = (mapobject *)self;
    PyObject_GC_UnTrack(self);
    Py_XDECREF(m->iters);
    Py_XDECREF(m->func);
    Py_TYPE(self)->tp_free(self);
}

static int
map_traverse(PyObject *self, visitproc visit, void *arg)
{
    Py_VISIT(((mapobject *)self)->iters);
    Py_VISIT(((mapobject *)self)->func);
    return 0;
}

static PyObject *
map_next(PyObject *self)
{
    mapobject *m = (mapobject *)self;
    Py_ssize_t n = PyTuple_GET_SIZE(m->iters);
    PyObject *small[8];
    PyObject **stack = small;
    if (n > 8) {
        stack = PyMem_Malloc(sizeof(PyObject *) * (size_t)n);
        if (stack == NULL) {
            return PyErr_NoMemory();
        }
    }
    Py_ssize_t got = 0;
    PyObject *res = NULL;
    for (; got < n; got++) {
        PyObject *it = PyTuple_GET_ITEM(m->iters, got);
        PyObject *v = (*Py_TYPE(it)->tp_iternext)(it);
        if (v == NULL) {
            goto done;
        }
        stack[got] = v;
    }
    res = PyObject_Vectorcall(m->func, stack, (size_t)n, NULL);
done:
    for (Py_ssize_t i = 0; i < got; i++) {
        Py_DECREF(stack[i]);
    }
    if (stack != small) {
        PyMem_Free(stack);
    }
    return res;
}

PyTypeObject PyMap_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "map",
    .tp_basicsize = sizeof(mapobject),
    .tp_dealloc = map_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC
                | Py_TPFLAGS_BASETYPE,
    .tp_traverse = map_traverse,
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = map_next,
    .tp_alloc = PyType_GenericAlloc,
    .tp_new = map_new,
    .tp_free = PyObject_GC_Del,
};

typedef struct {
    PyObject_HEAD
    PyObject *func;
    PyObject *it;
} filterobject;

static PyObject *
filter_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *func, *seq;
    if (type == &PyFilter_Type && !_PyArg_NoKeywords("filter", kwds)) {
        return NULL;
    }
    if (!PyArg_UnpackTuple(args, "filter", 2, 2, &func, &seq)) {
        return NULL;
    }
    PyObject *it = PyObject_GetIter(seq);
    if (it == NULL) {
        return NULL;
    }
    filterobject *f = (filterobject *)type->tp_alloc(type, 0);
    if (f == NULL) {
        Py_DECREF(it);
        return NULL;
    }
    f->func = Py_NewRef(func);
    f->it = it;
    return (PyObject *)f;
}

static void
filter_dealloc(PyObject *self)
{
    filterobject *f = (filterobject *)self;
    PyObject_GC_UnTrack(self);
    Py_XDECREF(f->func);
    Py_XDECREF(f->it);
    Py_TYPE(self)->tp_free(self);
}

static int
filter_traverse(PyObject *self, visitproc visit, void *arg)
{
    Py_VISIT(((filterobject *)self)->func);
    Py_VISIT(((filterobject *)self)->it);
    return 0;
}

static PyObject *
filter_next(PyObject *self)
{
    filterobject *f = (filterobject *)self;
    iternextfunc next = Py_TYPE(f->it)->tp_iternext;
    int checktrue = f->func == Py_None || f->func == (PyObject *)&PyBool_Type;
    for (;;) {
        PyObject *item = next(f->it);
        if (item == NULL) {
            return NULL;
        }
        int ok;
        if (checktrue) {
            ok = PyObject_IsTrue(item);
        }
        else {
            PyObject *good = PyObject_CallOneArg(f->func, item);
            if (good == NULL) {
                Py_DECREF(item);
                return NULL;
            }
            ok = PyObject_IsTrue(good);
            Py_DECREF(good);
        }
        if (ok > 0) {
            return item;
        }
        Py_DECREF(item);
        if (ok < 0) {
            return NULL;
        }
    }
}

PyTypeObject PyFilter_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "filter",
    .tp_basicsize = sizeof(filterobject),
    .tp_dealloc = filter_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC
                | Py_TPFLAGS_BASETYPE,
    .tp_traverse = filter_traverse,
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = filter_next,
    .tp_alloc = PyType_GenericAlloc,
    .tp_new = filter_new,
    .tp_free = PyObject_GC_Del,
};

typedef struct {
    PyObject_HEAD
    PyObject *ittuple;
    int strict;
} zipobject;

static PyObject *
zip_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    int strict = 0;
    if (kwds != NULL && PyDict_GET_SIZE(kwds) > 0) {
        PyObject *s = NULL;
        if (PyDict_GetItemStringRef(kwds, "strict", &s) < 0) {
            return NULL;
        }
        if (s == NULL || PyDict_GET_SIZE(kwds) > 1) {
            Py_XDECREF(s);
            PyErr_SetString(PyExc_TypeError,
                            "zip() got an unexpected keyword argument");
            return NULL;
        }
        strict = PyObject_IsTrue(s);
        Py_DECREF(s);
        if (strict < 0) {
            return NULL;
        }
    }
    Py_ssize_t n = PyTuple_GET_SIZE(args);
    PyObject *ittuple = PyTuple_New(n);
    if (ittuple == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *it = PyObject_GetIter(PyTuple_GET_ITEM(args, i));
        if (it == NULL) {
            Py_DECREF(ittuple);
            return NULL;
        }
        PyTuple_SET_ITEM(ittuple, i, it);
    }
    zipobject *z = (zipobject *)type->tp_alloc(type, 0);
    if (z == NULL) {
        Py_DECREF(ittuple);
        return NULL;
    }
    z->ittuple = ittuple;
    z->strict = strict;
    return (PyObject *)z;
}

static void
zip_dealloc(PyObject *self)
{
    PyObject_GC_UnTrack(self);
    Py_XDECREF(((zipobject *)self)->ittuple);
    Py_TYPE(self)->tp_free(self);
}

static int
zip_traverse(PyObject *self, visitproc visit, void *arg)
{
    Py_VISIT(((zipobject *)self)->ittuple);
    return 0;
}

static PyObject *
zip_next(PyObject *self)
{
    zipobject *z = (zipobject *)self;
    Py_ssize_t n = PyTuple_GET_SIZE(z->ittuple);
    if (n == 0) {
        return NULL;
    }
    PyObject *result = PyTuple_New(n);
    if (result == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *it = PyTuple_GET_ITEM(z->ittuple, i);
        PyObject *item = (*Py_TYPE(it)->tp_iternext)(it);
        if (item == NULL) {
            Py_DECREF(result);
            if (!z->strict || PyErr_Occurred()) {
                return NULL;
            }
            if (i > 0) {
                PyErr_Format(PyExc_ValueError,
                             "zip() argument %zd is shorter than argument%s "
                             "%s%zd", i + 1, i == 1 ? "" : "s",
                             i == 1 ? "" : "1-", i);
                return NULL;
            }
            for (Py_ssize_t j = 1; j < n; j++) {
                PyObject *it2 = PyTuple_GET_ITEM(z->ittuple, j);
                PyObject *extra = (*Py_TYPE(it2)->tp_iternext)(it2);
                if (extra != NULL) {
                    Py_DECREF(extra);
                    PyErr_Format(PyExc_ValueError,
                                 "zip() argument %zd is longer than "
                                 "argument%s %s%zd", j + 1,
                                 j == 1 ? "" : "s", j == 1 ? "" : "1-", j);
                    return NULL;
                }
                if (PyErr_Occurred()) {
                    return NULL;
                }
            }
            return NULL;
        }
        PyTuple_SET_ITEM(result, i, item);
    }
    return result;
}

PyTypeObject PyZip_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "zip",
    .tp_basicsize = sizeof(zipobject),
    .tp_dealloc = zip_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC
                | Py_TPFLAGS_BASETYPE,
    .tp_traverse = zip_traverse,
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = zip_next,
    .tp_alloc = PyType_GenericAlloc,
    .tp_new = zip_new,
    .tp_free = PyObject_GC_Del,
};

/* ---- the module ---- */

#define FAST(name) {#name, _PyCFunction_CAST(builtin_##name), METH_FASTCALL, NULL}
#define FASTKW(name) {#name, _PyCFunction_CAST(builtin_##name), \
                      METH_FASTCALL | METH_KEYWORDS, NULL}
#define ONE(name) {#name, builtin_##name, METH_O, NULL}

static PyMethodDef builtin_methods[] = {
    FASTKW(__build_class__),
    {"__import__", _PyCFunction_CAST(builtin___import__),
     METH_VARARGS | METH_KEYWORDS, NULL},
    ONE(abs), ONE(all), ONE(any), ONE(ascii), ONE(bin), ONE(callable),
    ONE(chr), {"compile", _PyCFunction_CAST(builtin_compile),
               METH_VARARGS | METH_KEYWORDS, NULL},
    FAST(delattr), FAST(dir), FAST(divmod), FASTKW(eval), FASTKW(exec),
    FAST(format), FAST(getattr),
    {"globals", builtin_globals, METH_NOARGS, NULL},
    FAST(hasattr), ONE(hash), ONE(hex), ONE(id), FAST(input),
    FAST(isinstance), FAST(issubclass), FAST(iter), ONE(len),
    {"locals", builtin_locals, METH_NOARGS, NULL},
    FASTKW(max), FASTKW(min), FAST(next), ONE(oct), ONE(ord), FASTKW(pow),
    FASTKW(print), ONE(repr), FASTKW(round), FAST(setattr), FASTKW(sorted),
    FASTKW(sum), FAST(vars),
    {NULL}
};

static struct PyModuleDef builtinsmodule = {
    PyModuleDef_HEAD_INIT,
    "builtins",
    "Built-in functions, exceptions, and other objects.",
    -1,
    builtin_methods,
};

/* The exceptions builtins exposes, by name. */
#define EXC(name) {#name, &PyExc_##name}
static const struct {
    const char *name;
    PyObject **exc;
} builtin_exceptions[] = {
    EXC(BaseException), EXC(BaseExceptionGroup), EXC(Exception),
    EXC(GeneratorExit), EXC(KeyboardInterrupt), EXC(SystemExit),
    EXC(StopAsyncIteration), EXC(StopIteration), EXC(ArithmeticError),
    EXC(FloatingPointError), EXC(OverflowError), EXC(ZeroDivisionError),
    EXC(AssertionError), EXC(AttributeError), EXC(BufferError),
    EXC(EOFError), EXC(ExceptionGroup), EXC(ImportError),
    EXC(ModuleNotFoundError), EXC(LookupError), EXC(IndexError),
    EXC(KeyError), EXC(MemoryError), EXC(NameError), EXC(UnboundLocalError),
    EXC(OSError), EXC(BlockingIOError), EXC(ChildProcessError),
    EXC(ConnectionError), EXC(BrokenPipeError), EXC(ConnectionAbortedError),
    EXC(ConnectionRefusedError), EXC(ConnectionResetError),
    EXC(FileExistsError), EXC(FileNotFoundError), EXC(InterruptedError),
    EXC(IsADirectoryError), EXC(NotADirectoryError), EXC(PermissionError),
    EXC(ProcessLookupError), EXC(TimeoutError), EXC(ReferenceError),
    EXC(RuntimeError), EXC(NotImplementedError), EXC(RecursionError),
    EXC(SyntaxError), EXC(IndentationError), EXC(TabError),
    EXC(SystemError), EXC(TypeError), EXC(ValueError), EXC(UnicodeError),
    EXC(UnicodeDecodeError), EXC(UnicodeEncodeError),
    EXC(UnicodeTranslateError), EXC(Warning), EXC(BytesWarning),
    EXC(DeprecationWarning), EXC(EncodingWarning), EXC(FutureWarning),
    EXC(ImportWarning), EXC(PendingDeprecationWarning),
    EXC(ResourceWarning), EXC(RuntimeWarning), EXC(SyntaxWarning),
    EXC(UnicodeWarning), EXC(UserWarning), EXC(EnvironmentError),
    EXC(IOError),
};
#undef EXC

PyObject *
_PyBuiltin_Init(void)
{
    PyTypeObject *mine[] = {&PyMap_Type, &PyFilter_Type, &PyZip_Type,
                            &PyRange_Type, &PyRangeIter_Type,
                            &PyLongRangeIter_Type, &PyEnum_Type,
                            &PyReversed_Type, &PySeqIter_Type,
                            &PyCallIter_Type, &PyComplex_Type,
                            &_PyManagedBuffer_Type, &_PyMemoryIter_Type,
                            &PyMemoryView_Type};
    for (size_t i = 0; i < Py_ARRAY_LENGTH(mine); i++) {
        if (PyType_Ready(mine[i]) < 0) {
            return NULL;
        }
    }
    PyObject *mod = PyModule_Create(&builtinsmodule);
    if (mod == NULL) {
        return NULL;
    }
    PyObject *dict = PyModule_GetDict(mod);
    struct {
        const char *name;
        PyObject *value;
    } items[] = {
        {"None", Py_None},
        {"Ellipsis", Py_Ellipsis},
        {"NotImplemented", Py_NotImplemented},
        {"False", Py_False},
        {"True", Py_True},
        {"bool", (PyObject *)&PyBool_Type},
        {"bytearray", (PyObject *)&PyByteArray_Type},
        {"bytes", (PyObject *)&PyBytes_Type},
        {"classmethod", (PyObject *)&PyClassMethod_Type},
        {"complex", (PyObject *)&PyComplex_Type},
        {"dict", (PyObject *)&PyDict_Type},
        {"enumerate", (PyObject *)&PyEnum_Type},
        {"filter", (PyObject *)&PyFilter_Type},
        {"float", (PyObject *)&PyFloat_Type},
        {"frozenset", (PyObject *)&PyFrozenSet_Type},
        {"property", (PyObject *)&PyProperty_Type},
        {"int", (PyObject *)&PyLong_Type},
        {"list", (PyObject *)&PyList_Type},
        {"map", (PyObject *)&PyMap_Type},
        {"memoryview", (PyObject *)&PyMemoryView_Type},
        {"object", (PyObject *)&PyBaseObject_Type},
        {"range", (PyObject *)&PyRange_Type},
        {"reversed", (PyObject *)&PyReversed_Type},
        {"set", (PyObject *)&PySet_Type},
        {"slice", (PyObject *)&PySlice_Type},
        {"staticmethod", (PyObject *)&PyStaticMethod_Type},
        {"str", (PyObject *)&PyUnicode_Type},
        {"super", (PyObject *)&PySuper_Type},
        {"tuple", (PyObject *)&PyTuple_Type},
        {"type", (PyObject *)&PyType_Type},
        {"zip", (PyObject *)&PyZip_Type},
    };
    for (size_t i = 0; i < Py_ARRAY_LENGTH(items); i++) {
        if (PyDict_SetItemString(dict, items[i].name, items[i].value) < 0) {
            Py_DECREF(mod);
            return NULL;
        }
    }
    if (PyDict_SetItemString(dict, "__debug__", Py_True) < 0) {
        Py_DECREF(mod);
        return NULL;
    }
    for (size_t i = 0; i < Py_ARRAY_LENGTH(builtin_exceptions); i++) {
        PyObject *exc = *builtin_exceptions[i].exc;
        if (exc != NULL
            && PyDict_SetItemString(dict, builtin_exceptions[i].name, exc)
                   < 0) {
            Py_DECREF(mod);
            return NULL;
        }
    }
    return mod;
}
