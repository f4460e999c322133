/* The eval loop's exception work: raise, except and except* matching,
 * re-raising from except* blocks, and the errors instructions report
 * (unbound names, bad awaitables), with CPython 3.11's messages.
 *
 * Stateless: everything acts on the calling thread's error indicator. */
#include "Python.h"
#include "pycore_ceval.h"
#include "pycore_ceval_helpers.h"

void
_PyEval_FormatNameError(PyThreadState *tstate, PyObject *exc,
                        const char *fmt, PyObject *name)
{
    const char *s = PyUnicode_AsUTF8(name);
    if (s == NULL) {
        return;
    }
    _PyErr_Format(tstate, exc, fmt, s);
    /* Keep the name for "Did you mean" suggestions. */
    PyObject *raised = _PyErr_GetRaisedException(tstate);
    if (raised != NULL
        && PyErr_GivenExceptionMatches(raised, PyExc_NameError)) {
        PyNameErrorObject *ne = (PyNameErrorObject *)raised;
        Py_XSETREF(ne->name, Py_NewRef(name));
    }
    _PyErr_SetRaisedException(tstate, raised);
}

void
_PyEval_FormatUnbound(PyThreadState *tstate, PyCodeObject *co, int oparg)
{
    if (_PyErr_Occurred(tstate)) {
        return;
    }
    PyObject *name = _PyCode_LocalName(co, oparg);
    _PyLocals_Kind kind = _PyLocals_GetKind(co->co_localspluskinds, oparg);
    if (kind & CO_FAST_FREE) {
        _PyEval_FormatNameError(
            tstate, PyExc_NameError,
            "cannot access free variable '%s' where it is not associated "
            "with a value in enclosing scope", name);
    }
    else {
        _PyEval_FormatNameError(
            tstate, PyExc_UnboundLocalError,
            "cannot access local variable '%s' where it is not associated "
            "with a value", name);
    }
}

void
_PyEval_FormatAwaitableError(PyThreadState *tstate, PyTypeObject *type,
                             int oparg)
{
    if (type->tp_as_async != NULL && type->tp_as_async->am_await != NULL) {
        return;     /* __await__ itself failed: keep its error */
    }
    if (oparg == 1) {
        _PyErr_Format(tstate, PyExc_TypeError,
                      "'async with' received an object from __aenter__ "
                      "that does not implement __await__: %.100s",
                      type->tp_name);
    }
    else if (oparg == 2) {
        _PyErr_Format(tstate, PyExc_TypeError,
                      "'async with' received an object from __aexit__ "
                      "that does not implement __await__: %.100s",
                      type->tp_name);
    }
    else if (!_PyErr_Occurred(tstate)
             || _PyErr_ExceptionMatches(tstate, PyExc_TypeError)) {
        _PyErr_Clear(tstate);
        _PyErr_Format(tstate, PyExc_TypeError,
                      "object %.100s can't be used in 'await' expression",
                      type->tp_name);
    }
}

#define CANNOT_CATCH_MSG "catching classes that do not inherit from "\
                         "BaseException is not allowed"

int
_PyEval_CheckExceptTypeValid(PyThreadState *tstate, PyObject *right)
{
    if (PyTuple_Check(right)) {
        for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(right); i++) {
            if (!PyExceptionClass_Check(PyTuple_GET_ITEM(right, i))) {
                _PyErr_SetString(tstate, PyExc_TypeError, CANNOT_CATCH_MSG);
                return -1;
            }
        }
    }
    else if (!PyExceptionClass_Check(right)) {
        _PyErr_SetString(tstate, PyExc_TypeError, CANNOT_CATCH_MSG);
        return -1;
    }
    return 0;
}

int
_PyEval_CheckExceptStarTypeValid(PyThreadState *tstate, PyObject *right)
{
    if (_PyEval_CheckExceptTypeValid(tstate, right) < 0) {
        return -1;
    }
    /* except* ExceptionGroup is not allowed. */
    int is_eg = 0;
    if (PyTuple_Check(right)) {
        for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(right); i++) {
            PyObject *t = PyTuple_GET_ITEM(right, i);
            if (PyObject_IsSubclass(t, PyExc_BaseExceptionGroup) == 1) {
                is_eg = 1;
            }
        }
    }
    else if (PyObject_IsSubclass(right, PyExc_BaseExceptionGroup) == 1) {
        is_eg = 1;
    }
    if (is_eg) {
        _PyErr_SetString(tstate, PyExc_TypeError,
                         "catching ExceptionGroup with except* is not "
                         "allowed. Use except instead.");
        return -1;
    }
    return 0;
}

int
_PyEval_ExceptionGroupMatch(PyObject *exc_value, PyObject *match_type,
                            PyObject **match, PyObject **rest)
{
    if (exc_value == Py_None) {
        *match = Py_None;
        *rest = Py_None;
        return 0;
    }
    if (PyErr_GivenExceptionMatches(exc_value, match_type)) {
        /* Full match of the whole exception. */
        int is_eg = PyObject_TypeCheck(
            exc_value, (PyTypeObject *)PyExc_BaseExceptionGroup);
        if (is_eg) {
            *match = Py_NewRef(exc_value);
        }
        else {
            /* A naked exception: wrap it in an ExceptionGroup. */
            PyObject *excs = PyTuple_Pack(1, exc_value);
            if (excs == NULL) {
                return -1;
            }
            PyObject *empty = _PyUnicode_GetEmpty();
            PyObject *wrapped = PyObject_CallFunctionObjArgs(
                PyExc_BaseExceptionGroup, empty, excs, NULL);
            Py_DECREF(excs);
            if (wrapped == NULL) {
                return -1;
            }
            /* 3.11.2 (our oracle) leaves the wrapper without a
               traceback; later 3.11 releases copy exc_value's. */
            *match = wrapped;
        }
        *rest = Py_None;
        return 0;
    }
    if (PyObject_TypeCheck(exc_value,
                           (PyTypeObject *)PyExc_BaseExceptionGroup)) {
        PyObject *pair = PyObject_CallMethodOneArg(exc_value, _Py_STR(split),
                                                   match_type);
        if (pair == NULL) {
            return -1;
        }
        if (!PyTuple_CheckExact(pair) || PyTuple_GET_SIZE(pair) != 2) {
            PyErr_Format(PyExc_TypeError,
                         "%.200s.split must return a 2-tuple, got %.200s",
                         Py_TYPE(exc_value)->tp_name, Py_TYPE(pair)->tp_name);
            Py_DECREF(pair);
            return -1;
        }
        *match = Py_NewRef(PyTuple_GET_ITEM(pair, 0));
        *rest = Py_NewRef(PyTuple_GET_ITEM(pair, 1));
        Py_DECREF(pair);
        return 0;
    }
    *match = Py_None;
    *rest = Py_NewRef(exc_value);
    return 0;
}

/* Adds the ids of the leaf exceptions of EXC to the set LEAVES. */
static int
collect_leaf_ids(PyObject *exc, PyObject *leaves)
{
    if (exc == Py_None) {
        return 0;
    }
    if (PyObject_TypeCheck(exc, (PyTypeObject *)PyExc_BaseExceptionGroup)) {
        PyObject *excs = ((PyBaseExceptionGroupObject *)exc)->excs;
        for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(excs); i++) {
            if (collect_leaf_ids(PyTuple_GET_ITEM(excs, i), leaves) < 0) {
                return -1;
            }
        }
        return 0;
    }
    PyObject *id = PyLong_FromVoidPtr(exc);
    if (id == NULL) {
        return -1;
    }
    int r = PySet_Add(leaves, id);
    Py_DECREF(id);
    return r;
}

/* The split predicate: is id(exc) in the set SELF? */
static PyObject *
leaf_id_in_set(PyObject *self, PyObject *exc)
{
    PyObject *id = PyLong_FromVoidPtr(exc);
    if (id == NULL) {
        return NULL;
    }
    int r = PySet_Contains(self, id);
    Py_DECREF(id);
    if (r < 0) {
        return NULL;
    }
    return Py_NewRef(r ? Py_True : Py_False);
}

static PyMethodDef leaf_id_def = {
    "_leaf_id_in_set", leaf_id_in_set, METH_O, NULL
};

/* The part of ORIG whose leaves are among the leaves of KEEP (a list of
   exceptions): ORIG split by leaf identity.  New reference (None when
   empty). */
static PyObject *
exception_group_projection(PyObject *orig, PyObject *keep)
{
    PyObject *leaves = PySet_New(NULL);
    if (leaves == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(keep); i++) {
        if (collect_leaf_ids(PyList_GET_ITEM(keep, i), leaves) < 0) {
            Py_DECREF(leaves);
            return NULL;
        }
    }
    PyObject *pred = PyCFunction_New(&leaf_id_def, leaves);
    Py_DECREF(leaves);
    if (pred == NULL) {
        return NULL;
    }
    PyObject *pair = PyObject_CallMethodOneArg(orig, _Py_STR(split), pred);
    Py_DECREF(pred);
    if (pair == NULL) {
        return NULL;
    }
    PyObject *res = Py_NewRef(PyTuple_GET_ITEM(pair, 0));
    Py_DECREF(pair);
    return res;
}

/* Was E re-raised from ORIG (same notes, traceback, cause, context)? */
static int
is_same_exception_metadata(PyObject *e, PyObject *orig)
{
    PyBaseExceptionObject *a = (PyBaseExceptionObject *)e;
    PyBaseExceptionObject *b = (PyBaseExceptionObject *)orig;
    return a->notes == b->notes && a->traceback == b->traceback
           && a->cause == b->cause && a->context == b->context;
}

PyObject *
_PyEval_PrepReraiseStar(PyObject *orig, PyObject *excs)
{
    Py_ssize_t n = PyList_GET_SIZE(excs);
    if (n == 0) {
        return Py_NewRef(Py_None);
    }
    if (!PyObject_TypeCheck(orig,
                            (PyTypeObject *)PyExc_BaseExceptionGroup)) {
        /* A naked exception was caught by except*: at most one raise. */
        for (Py_ssize_t i = 0; i < n; i++) {
            PyObject *e = PyList_GET_ITEM(excs, i);
            if (e == Py_None) {
                continue;
            }
            return Py_NewRef(e);
        }
        return Py_NewRef(Py_None);
    }
    PyObject *raised = PyList_New(0);
    PyObject *reraised = PyList_New(0);
    PyObject *result = NULL;
    if (raised == NULL || reraised == NULL) {
        goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *e = PyList_GET_ITEM(excs, i);
        if (e == Py_None) {
            continue;
        }
        PyObject *target = is_same_exception_metadata(e, orig) ? reraised
                                                               : raised;
        if (PyList_Append(target, e) < 0) {
            goto done;
        }
    }
    PyObject *reraised_eg = exception_group_projection(orig, reraised);
    if (reraised_eg == NULL) {
        goto done;
    }
    if (PyList_GET_SIZE(raised) == 0) {
        result = reraised_eg;
        goto done;
    }
    if (reraised_eg != Py_None
        && PyList_Append(raised, reraised_eg) < 0) {
        Py_DECREF(reraised_eg);
        goto done;
    }
    Py_DECREF(reraised_eg);
    /* 3.11.2 wraps even a single raised exception (later 3.11 releases
       raise it bare); /usr/bin/python3.11 is our oracle. */
    {
        PyObject *empty = _PyUnicode_GetEmpty();
        result = PyObject_CallFunctionObjArgs(PyExc_ExceptionGroup, empty,
                                              raised, NULL);
    }
done:
    Py_XDECREF(raised);
    Py_XDECREF(reraised);
    return result;
}

/* Instantiates an exception class with no arguments, checking the
   result. */
static PyObject *
instantiate(PyThreadState *tstate, PyObject *cls)
{
    PyObject *v = PyObject_CallNoArgs(cls);
    if (v == NULL) {
        return NULL;
    }
    if (!PyExceptionInstance_Check(v)) {
        _PyErr_Format(tstate, PyExc_TypeError,
                      "calling %R should have returned an instance of "
                      "BaseException, not %R", cls, (PyObject *)Py_TYPE(v));
        Py_DECREF(v);
        return NULL;
    }
    return v;
}

int
_PyEval_DoRaise(PyThreadState *tstate, PyObject *exc, PyObject *cause)
{
    if (exc == NULL) {
        PyObject *handled = _PyErr_GetTopmostException(tstate);
        if (handled == NULL || handled == Py_None) {
            _PyErr_SetString(tstate, PyExc_RuntimeError,
                             "No active exception to reraise");
            return 0;
        }
        _PyErr_SetRaisedException(tstate, Py_NewRef(handled));
        return 1;
    }
    PyObject *type;
    PyObject *value;
    if (PyExceptionClass_Check(exc)) {
        type = exc;
        value = instantiate(tstate, exc);
        if (value == NULL) {
            Py_DECREF(exc);
            goto fail;
        }
    }
    else if (PyExceptionInstance_Check(exc)) {
        value = exc;
        type = (PyObject *)Py_TYPE(exc);
        Py_INCREF(type);
    }
    else {
        Py_DECREF(exc);
        _PyErr_SetString(tstate, PyExc_TypeError,
                         "exceptions must derive from BaseException");
        goto fail;
    }
    if (cause != NULL) {
        PyObject *fixed;
        if (PyExceptionClass_Check(cause)) {
            fixed = instantiate(tstate, cause);
            if (fixed == NULL) {
                Py_DECREF(value);
                Py_DECREF(type);
                goto fail;
            }
            Py_DECREF(cause);
        }
        else if (PyExceptionInstance_Check(cause)) {
            fixed = cause;
        }
        else if (cause == Py_None) {
            Py_DECREF(cause);
            fixed = NULL;
        }
        else {
            _PyErr_SetString(tstate, PyExc_TypeError,
                             "exception causes must derive from "
                             "BaseException");
            Py_DECREF(value);
            Py_DECREF(type);
            goto fail;
        }
        cause = NULL;
        PyException_SetCause(value, fixed);
    }
    _PyErr_SetObject(tstate, type, value);
    Py_DECREF(value);
    Py_DECREF(type);
    return 0;

fail:
    Py_XDECREF(cause);
    return 0;
}
