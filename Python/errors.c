/* The error indicator and the PyErr_* API.
 *
 * Each thread has its own exception state (struct _PyErr_ThreadState,
 * Include/internal/pycore_excstate.h); only that thread touches it, so
 * nothing here locks.  The indicator holds one normalized exception
 * instance: PyErr_SetObject creates the instance at once (running the
 * class's constructor) and chains the exception being handled as its
 * __context__, as CPython 3.11 does when it normalizes.  PyErr_Fetch and
 * PyErr_Restore keep their documented three-value form on top. */
#include "Python.h"
#include "pycore_excstate.h"
#include "pycore_exceptions.h"
#include "pycore_object.h"
#include "pycore_global_strings.h"

#include <errno.h>
#include <string.h>

/* TEMPORARY home of the per-thread state until it is embedded in
   _PyThreadStateImpl (see pycore_excstate.h). */
#ifndef _Py_ERR_STATE_IN_TSTATE
_Thread_local struct _PyErr_ThreadState _Py_err_tls
    __attribute__((tls_model("initial-exec")));
#endif

/* sys.setrecursionlimit: read on every guarded call, relaxed is enough
   (a new limit takes effect at some later call). */
static int recursion_limit = _Py_DEFAULT_RECURSION_LIMIT;

int
_Py_GetRecursionLimit(void)
{
    return _Py_atomic_load_int_relaxed(&recursion_limit);
}

void
_Py_SetRecursionLimit(int limit)
{
    _Py_atomic_store_int_relaxed(&recursion_limit, limit);
}

static PyThreadState *
get_tstate(void)
{
    return _PyThreadState_GET();
}

/* ------------------------------------------------------------ recursion */

/* The depth went over the limit: raise RecursionError, allowing a few
   extra levels while the error is built and handled. */
int
_Py_CheckRecursiveCall(PyThreadState *tstate, const char *where)
{
    struct _PyErr_ThreadState *es = _PyErr_GetState(tstate);
    if (es->recursion_headroom) {
        if (es->recursion_depth > _Py_GetRecursionLimit() + 50) {
            Py_FatalError("Cannot recover from stack overflow.");
        }
        return 0;
    }
    es->recursion_headroom = 1;
    es->recursion_depth--;
    _PyErr_Format(tstate, PyExc_RecursionError,
                  "maximum recursion depth exceeded%s", where);
    es->recursion_headroom = 0;
    return -1;
}

#undef Py_EnterRecursiveCall
int
Py_EnterRecursiveCall(const char *where)
{
    return _Py_EnterRecursiveCallTstate(get_tstate(), where);
}

#undef Py_LeaveRecursiveCall
void
Py_LeaveRecursiveCall(void)
{
    _Py_LeaveRecursiveCallTstate(get_tstate());
}

/* ------------------------------------------------------------ repr guard */

/* Py_ReprEnter keeps the objects whose repr is in progress on this thread
   in a small stack (CPython keeps a list in the thread-state dict). */
int
Py_ReprEnter(PyObject *o)
{
    struct _PyErr_ThreadState *es = _PyErr_GetState(get_tstate());
    for (Py_ssize_t i = es->repr_len; i > 0; i--) {
        if (es->repr_stack[i - 1] == o) {
            return 1;
        }
    }
    if (es->repr_len == es->repr_cap) {
        Py_ssize_t cap = es->repr_cap ? es->repr_cap * 2 : 16;
        PyObject **stack = PyMem_RawRealloc(es->repr_stack,
                                            (size_t)cap * sizeof(PyObject *));
        if (stack == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        es->repr_stack = stack;
        es->repr_cap = cap;
    }
    es->repr_stack[es->repr_len++] = o;
    return 0;
}

void
Py_ReprLeave(PyObject *o)
{
    struct _PyErr_ThreadState *es = _PyErr_GetState(get_tstate());
    /* Leave must not disturb a pending exception; it only edits the
       stack.  Remove the innermost occurrence. */
    for (Py_ssize_t i = es->repr_len; i > 0; i--) {
        if (es->repr_stack[i - 1] == o) {
            memmove(&es->repr_stack[i - 1], &es->repr_stack[i],
                    (size_t)(es->repr_len - i) * sizeof(PyObject *));
            es->repr_len--;
            return;
        }
    }
}

/* ------------------------------------------------------------ indicator */

void
_PyErr_SetRaisedException(PyThreadState *tstate, PyObject *exc)
{
    struct _PyErr_ThreadState *es = _PyErr_GetState(tstate);
    PyObject *old = es->current_exception;
    es->current_exception = exc;
    Py_XDECREF(old);
}

PyObject *
_PyErr_GetRaisedException(PyThreadState *tstate)
{
    struct _PyErr_ThreadState *es = _PyErr_GetState(tstate);
    PyObject *exc = es->current_exception;
    es->current_exception = NULL;
    return exc;
}

void
PyErr_SetRaisedException(PyObject *exc)
{
    _PyErr_SetRaisedException(get_tstate(), exc);
}

PyObject *
PyErr_GetRaisedException(void)
{
    return _PyErr_GetRaisedException(get_tstate());
}

PyObject *
PyErr_Occurred(void)
{
    PyThreadState *tstate = get_tstate();
    if (tstate == NULL) {
        return NULL;
    }
    return _PyErr_Occurred(tstate);
}

void
_PyErr_Clear(PyThreadState *tstate)
{
    _PyErr_SetRaisedException(tstate, NULL);
}

void
PyErr_Clear(void)
{
    _PyErr_Clear(get_tstate());
}

static _PyErr_StackItem *
exc_info_top(struct _PyErr_ThreadState *es)
{
    if (es->exc_info == NULL) {
        es->exc_info = &es->exc_state;
    }
    return es->exc_info;
}

/* The innermost exception being handled, skipping frames whose slot is
   empty (generators not handling anything); borrowed. */
PyObject *
_PyErr_GetTopmostException(PyThreadState *tstate)
{
    _PyErr_StackItem *item = exc_info_top(_PyErr_GetState(tstate));
    while (item != NULL) {
        PyObject *v = item->exc_value;
        if (v != NULL && v != Py_None) {
            return v;
        }
        item = item->previous_item;
    }
    return NULL;
}

/* Builds an instance of the exception class `type` from `value` the way
   CPython normalizes: an instance of `type` is used as is, a tuple is the
   argument list, None/NULL means no arguments, anything else is the one
   argument.  New reference or NULL with the constructor's error set. */
static PyObject *
create_exception(PyObject *type, PyObject *value)
{
    PyObject *exc;
    if (value != NULL && PyExceptionInstance_Check(value) &&
        PyObject_TypeCheck(value, (PyTypeObject *)type)) {
        return Py_NewRef(value);
    }
    if (value == NULL || value == Py_None) {
        exc = PyObject_CallNoArgs(type);
    }
    else if (PyTuple_Check(value)) {
        exc = PyObject_Call(type, value, NULL);
    }
    else {
        exc = PyObject_CallOneArg(type, value);
    }
    if (exc != NULL && !PyExceptionInstance_Check(exc)) {
        PyErr_Format(PyExc_TypeError,
                     "calling %R should have returned an instance of "
                     "BaseException, not %s",
                     type, Py_TYPE(exc)->tp_name);
        Py_CLEAR(exc);
    }
    return exc;
}

/* Makes `handled` the __context__ of `exc`, cutting any path by which
   `exc` would become its own context (CPython's cycle rule; the walk uses
   a slow pointer too, so that a pre-existing cycle ends it). */
static void
chain_context(PyObject *exc, PyObject *handled)
{
    if (handled == NULL || handled == exc) {
        return;
    }
    PyObject *o = handled, *slow = handled;
    int step = 0;
    for (;;) {
        PyObject *ctx = ((PyBaseExceptionObject *)o)->context;
        if (ctx == NULL) {
            break;
        }
        if (ctx == exc) {
            PyException_SetContext(o, NULL);
            break;
        }
        o = ctx;
        if (step) {
            slow = ((PyBaseExceptionObject *)slow)->context;
            if (slow == o) {
                break;      /* a cycle not involving exc */
            }
        }
        step ^= 1;
    }
    PyException_SetContext(exc, Py_NewRef(handled));
}

void
_PyErr_SetObject(PyThreadState *tstate, PyObject *type, PyObject *value)
{
    if (type != NULL && !PyExceptionClass_Check(type)) {
        _PyErr_Clear(tstate);
        _PyErr_Format(tstate, PyExc_SystemError,
                      "_PyErr_SetObject: exception %R is not a "
                      "BaseException subclass", type);
        return;
    }
    /* The old exception is replaced anyway; clear it first so that the
       constructor runs with no exception set. */
    _PyErr_Clear(tstate);
    if (type == NULL) {
        return;
    }
    PyObject *exc = create_exception(type, value);
    if (exc == NULL) {
        return;     /* the constructor's error is set instead */
    }
    chain_context(exc, _PyErr_GetTopmostException(tstate));
    _PyErr_SetRaisedException(tstate, exc);
}

void
PyErr_SetObject(PyObject *type, PyObject *value)
{
    _PyErr_SetObject(get_tstate(), type, value);
}

void
PyErr_SetNone(PyObject *type)
{
    _PyErr_SetObject(get_tstate(), type, NULL);
}

void
_PyErr_SetString(PyThreadState *tstate, PyObject *type, const char *msg)
{
    _PyErr_Clear(tstate);
    PyObject *value = PyUnicode_FromString(msg);
    if (value == NULL) {
        return;
    }
    _PyErr_SetObject(tstate, type, value);
    Py_DECREF(value);
}

void
PyErr_SetString(PyObject *type, const char *msg)
{
    _PyErr_SetString(get_tstate(), type, msg);
}

static PyObject *
format_v(PyThreadState *tstate, PyObject *type, const char *format,
         va_list vargs)
{
    /* PyUnicode_FromFormatV may call repr(): no exception may be set. */
    _PyErr_Clear(tstate);
    PyObject *msg = PyUnicode_FromFormatV(format, vargs);
    if (msg != NULL) {
        _PyErr_SetObject(tstate, type, msg);
        Py_DECREF(msg);
    }
    return NULL;
}

PyObject *
PyErr_FormatV(PyObject *type, const char *format, va_list vargs)
{
    return format_v(get_tstate(), type, format, vargs);
}

PyObject *
_PyErr_Format(PyThreadState *tstate, PyObject *type, const char *format, ...)
{
    va_list vargs;
    va_start(vargs, format);
    format_v(tstate, type, format, vargs);
    va_end(vargs);
    return NULL;
}

PyObject *
PyErr_Format(PyObject *type, const char *format, ...)
{
    va_list vargs;
    va_start(vargs, format);
    format_v(get_tstate(), type, format, vargs);
    va_end(vargs);
    return NULL;
}

/* ------------------------------------------------------------ Fetch/Restore */

void
PyErr_Fetch(PyObject **ptype, PyObject **pvalue, PyObject **ptraceback)
{
    PyObject *exc = _PyErr_GetRaisedException(get_tstate());
    *pvalue = exc;
    if (exc == NULL) {
        *ptype = NULL;
        *ptraceback = NULL;
        return;
    }
    *ptype = Py_NewRef((PyObject *)Py_TYPE(exc));
    *ptraceback = Py_XNewRef(((PyBaseExceptionObject *)exc)->traceback);
}

void
PyErr_Restore(PyObject *type, PyObject *value, PyObject *traceback)
{
    PyThreadState *tstate = get_tstate();
    if (type == NULL) {
        Py_XDECREF(value);
        Py_XDECREF(traceback);
        _PyErr_Clear(tstate);
        return;
    }
    _PyErr_Clear(tstate);
    PyObject *exc;
    if (!PyExceptionClass_Check(type)) {
        exc = NULL;
        _PyErr_Format(tstate, PyExc_SystemError,
                      "_PyErr_SetObject: exception %R is not a "
                      "BaseException subclass", type);
    }
    else {
        exc = create_exception(type, value);
    }
    if (exc != NULL) {
        if (traceback != NULL && traceback != Py_None &&
            ((PyBaseExceptionObject *)exc)->traceback != traceback) {
            Py_XSETREF(((PyBaseExceptionObject *)exc)->traceback,
                       Py_NewRef(traceback));
        }
        _PyErr_SetRaisedException(tstate, exc);
    }
    Py_DECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(traceback);
}

void
PyErr_NormalizeException(PyObject **ptype, PyObject **pvalue,
                         PyObject **ptraceback)
{
    PyObject *type = *ptype;
    if (type == NULL || !PyExceptionClass_Check(type)) {
        return;
    }
    PyObject *value = *pvalue;
    if (value != NULL && PyObject_TypeCheck(value, (PyTypeObject *)type)) {
        /* Already an instance: report its own (most derived) class. */
        if ((PyObject *)Py_TYPE(value) != type) {
            Py_SETREF(*ptype, Py_NewRef((PyObject *)Py_TYPE(value)));
        }
        return;
    }
    PyObject *exc = create_exception(type, value);
    if (exc == NULL) {
        /* Normalize the error of the constructor instead. */
        PyObject *err = PyErr_GetRaisedException();
        Py_SETREF(*ptype, Py_NewRef((PyObject *)Py_TYPE(err)));
        Py_XSETREF(*pvalue, err);
        return;
    }
    Py_XSETREF(*pvalue, exc);
    if ((PyObject *)Py_TYPE(exc) != type) {
        Py_SETREF(*ptype, Py_NewRef((PyObject *)Py_TYPE(exc)));
    }
    (void)ptraceback;
}

/* ------------------------------------------------------------ handled */

PyObject *
PyErr_GetHandledException(void)
{
    return Py_XNewRef(_PyErr_GetTopmostException(get_tstate()));
}

void
PyErr_SetHandledException(PyObject *exc)
{
    _PyErr_StackItem *item = exc_info_top(_PyErr_GetState(get_tstate()));
    PyObject *v = (exc == NULL || exc == Py_None) ? NULL : Py_NewRef(exc);
    Py_XSETREF(item->exc_value, v);
}

void
PyErr_GetExcInfo(PyObject **ptype, PyObject **pvalue, PyObject **ptraceback)
{
    PyObject *exc = _PyErr_GetTopmostException(get_tstate());
    if (exc == NULL) {
        *ptype = Py_NewRef(Py_None);
        *pvalue = Py_NewRef(Py_None);
        *ptraceback = Py_NewRef(Py_None);
        return;
    }
    *ptype = Py_NewRef((PyObject *)Py_TYPE(exc));
    *pvalue = Py_NewRef(exc);
    PyObject *tb = ((PyBaseExceptionObject *)exc)->traceback;
    *ptraceback = Py_NewRef(tb != NULL ? tb : Py_None);
}

void
PyErr_SetExcInfo(PyObject *type, PyObject *value, PyObject *traceback)
{
    PyErr_SetHandledException(value);
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(traceback);
}

/* ------------------------------------------------------------ matching */

int
PyErr_GivenExceptionMatches(PyObject *err, PyObject *exc)
{
    if (err == NULL || exc == NULL) {
        return 0;
    }
    if (PyTuple_Check(exc)) {
        Py_ssize_t n = PyTuple_GET_SIZE(exc);
        for (Py_ssize_t i = 0; i < n; i++) {
            if (PyErr_GivenExceptionMatches(err, PyTuple_GET_ITEM(exc, i))) {
                return 1;
            }
        }
        return 0;
    }
    if (PyExceptionInstance_Check(err)) {
        err = (PyObject *)Py_TYPE(err);
    }
    if (PyExceptionClass_Check(err) && PyExceptionClass_Check(exc)) {
        return PyType_IsSubtype((PyTypeObject *)err, (PyTypeObject *)exc);
    }
    return err == exc;
}

int
_PyErr_ExceptionMatches(PyThreadState *tstate, PyObject *exc)
{
    return PyErr_GivenExceptionMatches(_PyErr_Occurred(tstate), exc);
}

int
PyErr_ExceptionMatches(PyObject *exc)
{
    return _PyErr_ExceptionMatches(get_tstate(), exc);
}

void
_PyErr_SetKeyError(PyObject *key)
{
    PyObject *tup = PyTuple_Pack(1, key);
    if (tup == NULL) {
        return;
    }
    PyErr_SetObject(PyExc_KeyError, tup);
    Py_DECREF(tup);
}

/* ------------------------------------------------------------ chaining */

void
_PyErr_ChainExceptions1(PyObject *exc)
{
    if (exc == NULL) {
        return;
    }
    PyThreadState *tstate = get_tstate();
    if (_PyErr_Occurred(tstate)) {
        PyObject *cur = _PyErr_GetRaisedException(tstate);
        chain_context(cur, exc);
        Py_DECREF(exc);
        _PyErr_SetRaisedException(tstate, cur);
    }
    else {
        _PyErr_SetRaisedException(tstate, exc);
    }
}

PyObject *
_PyErr_FormatFromCause(PyObject *type, const char *format, ...)
{
    PyThreadState *tstate = get_tstate();
    PyObject *cause = _PyErr_GetRaisedException(tstate);
    va_list vargs;
    va_start(vargs, format);
    format_v(tstate, type, format, vargs);
    va_end(vargs);
    if (cause == NULL) {
        return NULL;
    }
    PyObject *exc = _PyErr_GetRaisedException(tstate);
    if (exc != NULL) {
        chain_context(exc, cause);
        PyException_SetCause(exc, cause);    /* steals */
        _PyErr_SetRaisedException(tstate, exc);
    }
    else {
        Py_DECREF(cause);
    }
    return NULL;
}

/* ------------------------------------------------------------ shortcuts */

int
PyErr_BadArgument(void)
{
    PyErr_SetString(PyExc_TypeError,
                    "bad argument type for built-in operation");
    return 0;
}

PyObject *
PyErr_NoMemory(void)
{
    PyThreadState *tstate = get_tstate();
    _PyErr_Clear(tstate);
    /* Building the instance must not need memory: exceptions.c hands out
       a preallocated one when allocation fails. */
    _PyErr_SetRaisedException(tstate, _PyExc_NewMemoryError());
    return NULL;
}

#undef PyErr_BadInternalCall
void
PyErr_BadInternalCall(void)
{
    PyErr_SetString(PyExc_SystemError,
                    "bad argument to internal function");
}

void
_PyErr_BadInternalCall(const char *filename, int lineno)
{
    PyErr_Format(PyExc_SystemError,
                 "%s:%d: bad argument to internal function",
                 filename, lineno);
}

/* OSError(errno, strerror[, filename[, None, filename2]]); the OSError
   constructor picks the errno's subclass. */
PyObject *
PyErr_SetFromErrnoWithFilenameObjects(PyObject *type, PyObject *filename,
                                      PyObject *filename2)
{
    int err = errno;
    PyObject *msg, *errobj, *args;
    /* TODO(signals): CPython runs PyErr_CheckSignals() first on EINTR;
       the signal machinery does not exist yet. */
    if (err == 0) {
        msg = PyUnicode_FromString("Error");
    }
    else {
        msg = PyUnicode_DecodeLocale(strerror(err), "surrogateescape");
    }
    if (msg == NULL) {
        return NULL;
    }
    errobj = PyLong_FromLong(err);
    if (errobj == NULL) {
        Py_DECREF(msg);
        return NULL;
    }
    if (filename == NULL) {
        args = PyTuple_Pack(2, errobj, msg);
    }
    else if (filename2 == NULL) {
        args = PyTuple_Pack(3, errobj, msg, filename);
    }
    else {
        args = PyTuple_Pack(5, errobj, msg, filename, Py_None, filename2);
    }
    Py_DECREF(errobj);
    Py_DECREF(msg);
    if (args != NULL) {
        PyObject *exc = PyObject_Call(type, args, NULL);
        Py_DECREF(args);
        if (exc != NULL) {
            PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
            Py_DECREF(exc);
        }
    }
    return NULL;
}

PyObject *
PyErr_SetFromErrnoWithFilenameObject(PyObject *type, PyObject *filename)
{
    return PyErr_SetFromErrnoWithFilenameObjects(type, filename, NULL);
}

PyObject *
PyErr_SetFromErrno(PyObject *type)
{
    return PyErr_SetFromErrnoWithFilenameObjects(type, NULL, NULL);
}

PyObject *
PyErr_SetFromErrnoWithFilename(PyObject *type, const char *filename)
{
    int saved = errno;
    PyObject *name = NULL;
    if (filename != NULL) {
        name = PyUnicode_DecodeFSDefault(filename);
        if (name == NULL) {
            return NULL;
        }
    }
    errno = saved;
    PyErr_SetFromErrnoWithFilenameObjects(type, name, NULL);
    Py_XDECREF(name);
    return NULL;
}

PyObject *
PyErr_SetImportErrorSubclass(PyObject *exception, PyObject *msg,
                             PyObject *name, PyObject *path)
{
    if (!PyExceptionClass_Check(exception) ||
        !PyType_IsSubtype((PyTypeObject *)exception,
                          (PyTypeObject *)PyExc_ImportError)) {
        PyErr_SetString(PyExc_TypeError,
                        "expected a subclass of ImportError");
        return NULL;
    }
    if (msg == NULL) {
        PyErr_SetString(PyExc_TypeError, "expected a message argument");
        return NULL;
    }
    PyObject *kwargs = PyDict_New();
    if (kwargs == NULL) {
        return NULL;
    }
    if (PyDict_SetItemString(kwargs, "name", name ? name : Py_None) < 0 ||
        PyDict_SetItemString(kwargs, "path", path ? path : Py_None) < 0) {
        Py_DECREF(kwargs);
        return NULL;
    }
    PyObject *args = PyTuple_Pack(1, msg);
    if (args == NULL) {
        Py_DECREF(kwargs);
        return NULL;
    }
    PyObject *err = PyObject_Call(exception, args, kwargs);
    Py_DECREF(args);
    Py_DECREF(kwargs);
    if (err != NULL) {
        PyErr_SetObject((PyObject *)Py_TYPE(err), err);
        Py_DECREF(err);
    }
    return NULL;
}

PyObject *
PyErr_SetImportError(PyObject *msg, PyObject *name, PyObject *path)
{
    return PyErr_SetImportErrorSubclass(PyExc_ImportError, msg, name, path);
}

/* ------------------------------------------------------------ new classes */

PyObject *
PyErr_NewException(const char *name, PyObject *base, PyObject *dict)
{
    const char *dot = strrchr(name, '.');
    if (dot == NULL) {
        PyErr_SetString(PyExc_SystemError,
                        "PyErr_NewException: name must be module.class");
        return NULL;
    }
    PyObject *mydict = NULL, *bases = NULL, *result = NULL;
    if (base == NULL) {
        base = PyExc_Exception;
    }
    if (dict == NULL) {
        dict = mydict = PyDict_New();
        if (dict == NULL) {
            return NULL;
        }
    }
    int has = PyDict_Contains(dict, _Py_ID(__module__));
    if (has < 0) {
        goto done;
    }
    if (!has) {
        PyObject *modname = PyUnicode_FromStringAndSize(name, dot - name);
        if (modname == NULL) {
            goto done;
        }
        int r = PyDict_SetItem(dict, _Py_ID(__module__), modname);
        Py_DECREF(modname);
        if (r < 0) {
            goto done;
        }
    }
    if (PyTuple_Check(base)) {
        bases = Py_NewRef(base);
    }
    else {
        bases = PyTuple_Pack(1, base);
        if (bases == NULL) {
            goto done;
        }
    }
    result = PyObject_CallFunction((PyObject *)&PyType_Type, "sOO",
                                   dot + 1, bases, dict);
done:
    Py_XDECREF(bases);
    Py_XDECREF(mydict);
    return result;
}

PyObject *
PyErr_NewExceptionWithDoc(const char *name, const char *doc, PyObject *base,
                          PyObject *dict)
{
    PyObject *mydict = NULL, *result;
    if (dict == NULL) {
        dict = mydict = PyDict_New();
        if (dict == NULL) {
            return NULL;
        }
    }
    if (doc != NULL) {
        PyObject *docobj = PyUnicode_FromString(doc);
        if (docobj == NULL ||
            PyDict_SetItem(dict, _Py_ID(__doc__), docobj) < 0) {
            Py_XDECREF(docobj);
            Py_XDECREF(mydict);
            return NULL;
        }
        Py_DECREF(docobj);
    }
    result = PyErr_NewException(name, base, dict);
    Py_XDECREF(mydict);
    return result;
}

/* ------------------------------------------------------------ unraisable */

/* Writes "Exception ignored in: <obj repr>" and the exception to stderr.
   sys.unraisablehook does not exist yet; the traceback module neither,
   so only the last line ("Type: message") is printed. */
static void
write_exception_line(PyObject *exc)
{
    PyTypeObject *tp = Py_TYPE(exc);
    PyObject *mod = PyObject_GetAttr((PyObject *)tp, _Py_ID(__module__));
    const char *modname = NULL;
    if (mod != NULL && PyUnicode_Check(mod)) {
        modname = PyUnicode_AsUTF8(mod);
        if (modname != NULL && strcmp(modname, "builtins") == 0) {
            modname = NULL;
        }
    }
    PyErr_Clear();
    PyObject *s = PyObject_Str(exc);
    const char *msg = s ? PyUnicode_AsUTF8(s) : NULL;
    PyErr_Clear();
    if (modname != NULL) {
        fprintf(stderr, "%s.", modname);
    }
    fprintf(stderr, "%s", _PyType_Name(tp));
    if (msg == NULL) {
        fprintf(stderr, ": <exception str() failed>\n");
    }
    else if (msg[0] != '\0') {
        fprintf(stderr, ": %s\n", msg);
    }
    else {
        fprintf(stderr, "\n");
    }
    Py_XDECREF(s);
    Py_XDECREF(mod);
}

void
PyErr_WriteUnraisable(PyObject *obj)
{
    PyThreadState *tstate = get_tstate();
    PyObject *exc = _PyErr_GetRaisedException(tstate);
    if (exc == NULL) {
        return;
    }
    if (obj != NULL) {
        PyObject *r = PyObject_Repr(obj);
        const char *s = r ? PyUnicode_AsUTF8(r) : NULL;
        if (s != NULL) {
            fprintf(stderr, "Exception ignored in: %s\n", s);
        }
        else {
            fprintf(stderr, "Exception ignored in: <object repr() failed>\n");
        }
        _PyErr_Clear(tstate);
        Py_XDECREF(r);
    }
    write_exception_line(exc);
    fflush(stderr);
    Py_DECREF(exc);
}

/* ------------------------------------------------------------ syntax */

/* Sets filename/lineno/offset on the SyntaxError being raised (if it is
   one) and fills in its text from the file when missing. */
void
PyErr_SyntaxLocationObject(PyObject *filename, int lineno, int col_offset)
{
    PyThreadState *tstate = get_tstate();
    PyObject *exc = _PyErr_GetRaisedException(tstate);
    if (exc == NULL) {
        return;
    }
    if (PyObject_TypeCheck(exc, (PyTypeObject *)PyExc_SyntaxError)) {
        PySyntaxErrorObject *se = (PySyntaxErrorObject *)exc;
        PyObject *v = PyLong_FromLong(lineno);
        if (v != NULL) {
            Py_XSETREF(se->lineno, v);
        }
        if (col_offset >= 0) {
            v = PyLong_FromLong(col_offset);
            if (v != NULL) {
                Py_XSETREF(se->offset, v);
            }
        }
        else {
            Py_XSETREF(se->offset, Py_NewRef(Py_None));
        }
        if (filename != NULL) {
            Py_XSETREF(se->filename, Py_NewRef(filename));
            if (se->text == NULL || se->text == Py_None) {
                PyObject *text = PyErr_ProgramTextObject(filename, lineno);
                if (text != NULL) {
                    Py_XSETREF(se->text, text);
                }
            }
        }
        _PyErr_Clear(tstate);
    }
    _PyErr_SetRaisedException(tstate, exc);
}

void
PyErr_SyntaxLocationEx(const char *filename, int lineno, int col_offset)
{
    PyObject *name = NULL;
    if (filename != NULL) {
        PyObject *exc = PyErr_GetRaisedException();
        name = PyUnicode_DecodeFSDefault(filename);
        PyErr_Clear();
        PyErr_SetRaisedException(exc);
    }
    PyErr_SyntaxLocationObject(name, lineno, col_offset);
    Py_XDECREF(name);
}

void
PyErr_SyntaxLocation(const char *filename, int lineno)
{
    PyErr_SyntaxLocationEx(filename, lineno, -1);
}

/* Line `lineno` (1-based) of the file, as str, or NULL with no exception
   set when it cannot be read. */
PyObject *
PyErr_ProgramText(const char *filename, int lineno)
{
    if (filename == NULL || *filename == '\0' || lineno <= 0) {
        return NULL;
    }
    FILE *fp = fopen(filename, "rb");
    if (fp == NULL) {
        return NULL;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t len = 0;
    for (int i = 0; i < lineno; i++) {
        len = getline(&line, &cap, fp);
        if (len < 0) {
            break;
        }
    }
    fclose(fp);
    PyObject *res = NULL;
    if (len >= 0 && line != NULL) {
        res = PyUnicode_DecodeUTF8(line, len, "replace");
        if (res == NULL) {
            PyErr_Clear();
        }
    }
    free(line);
    return res;
}

PyObject *
PyErr_ProgramTextObject(PyObject *filename, int lineno)
{
    if (filename == NULL || !PyUnicode_Check(filename)) {
        return NULL;
    }
    const char *name = PyUnicode_AsUTF8(filename);
    if (name == NULL) {
        PyErr_Clear();
        return NULL;
    }
    return PyErr_ProgramText(name, lineno);
}

/* ------------------------------------------------------------ thread exit */

void
_PyErr_ClearThreadState(struct _PyErr_ThreadState *es)
{
    Py_CLEAR(es->current_exception);
    Py_CLEAR(es->exc_state.exc_value);
    es->exc_info = &es->exc_state;
    PyMem_RawFree(es->repr_stack);
    es->repr_stack = NULL;
    es->repr_len = es->repr_cap = 0;
    es->recursion_depth = 0;
}

/* ------------------------------------------------------------ snprintf */

int
PyOS_vsnprintf(char *str, size_t size, const char *format, va_list va)
{
    if (size == 0) {
        return -1;
    }
    int len = vsnprintf(str, size, format, va);
    str[size - 1] = '\0';
    return len;
}

int
PyOS_snprintf(char *str, size_t size, const char *format, ...)
{
    va_list va;
    va_start(va, format);
    int len = PyOS_vsnprintf(str, size, format, va);
    va_end(va);
    return len;
}
