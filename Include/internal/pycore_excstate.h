/* Per-thread exception state (Python/errors.c): the error indicator, the
 * stack of exceptions being handled, the C recursion depth and the repr
 * recursion guard.
 *
 * Only the owning thread reads or writes its struct, so nothing here is
 * atomic.
 *
 * Where it lives: `struct _PyErr_ThreadState err;` belongs in
 * _PyThreadStateImpl (Include/internal/pycore_tstate.h, the lead's file),
 * which can include pycore_excstate_types.h (no dependencies) for it.
 * Until that line is there, Python/errors.c keeps one struct per OS thread
 * in a _Thread_local (TEMPORARY: it does not follow PyThreadState_Swap, and
 * its references are not released at thread exit).  Once the field exists,
 * define _Py_ERR_STATE_IN_TSTATE in pycore_tstate.h next to it (and call
 * _PyErr_ClearThreadState(&ts->err) from PyThreadState_Clear): this header
 * switches over. */
#ifndef Py_INTERNAL_EXCSTATE_H
#define Py_INTERNAL_EXCSTATE_H
#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE define"
#endif

#include "pycore_excstate_types.h"
#include "pycore_pystate.h"

#ifdef _Py_ERR_STATE_IN_TSTATE
static inline struct _PyErr_ThreadState *
_PyErr_GetState(PyThreadState *tstate)
{
    struct _PyErr_ThreadState *es = &((_PyThreadStateImpl *)tstate)->err;
    /* A zeroed state handles nothing yet: exc_info starts at exc_state. */
    if (es->exc_info == NULL) {
        es->exc_info = &es->exc_state;
    }
    return es;
}
#else
/* TEMPORARY (see above): one per OS thread. */
extern _Thread_local struct _PyErr_ThreadState _Py_err_tls
    __attribute__((tls_model("initial-exec")));

static inline struct _PyErr_ThreadState *
_PyErr_GetState(PyThreadState *tstate)
{
    (void)tstate;
    struct _PyErr_ThreadState *es = &_Py_err_tls;
    /* A zeroed state handles nothing yet: exc_info starts at exc_state. */
    if (es->exc_info == NULL) {
        es->exc_info = &es->exc_state;
    }
    return es;
}
#endif

/* Borrowed: the current exception instance of `tstate`, or NULL. */
static inline PyObject *
_PyErr_Occurred(PyThreadState *tstate)
{
    PyObject *exc = _PyErr_GetState(tstate)->current_exception;
    return exc == NULL ? NULL : (PyObject *)Py_TYPE(exc);
}

/* Sets the error indicator to `exc` (an instance; stolen, may be NULL)
   with no context chaining. */
PyAPI_FUNC(void) _PyErr_SetRaisedException(PyThreadState *tstate,
                                           PyObject *exc);
/* New reference to the raised instance; clears the indicator. */
PyAPI_FUNC(PyObject *) _PyErr_GetRaisedException(PyThreadState *tstate);
PyAPI_FUNC(void) _PyErr_SetString(PyThreadState *tstate, PyObject *exc,
                                  const char *msg);
PyAPI_FUNC(void) _PyErr_SetObject(PyThreadState *tstate, PyObject *exc,
                                  PyObject *value);
PyAPI_FUNC(PyObject *) _PyErr_Format(PyThreadState *tstate, PyObject *exc,
                                     const char *format, ...);
PyAPI_FUNC(void) _PyErr_Clear(PyThreadState *tstate);
PyAPI_FUNC(int) _PyErr_ExceptionMatches(PyThreadState *tstate,
                                        PyObject *exc);
/* Borrowed: the exception being handled, or NULL (None counts as none). */
PyAPI_FUNC(PyObject *) _PyErr_GetTopmostException(PyThreadState *tstate);
/* Makes `exc` (stolen; NULL is a no-op) the __context__ of the exception
   now raised, or raises it again if none is. */
PyAPI_FUNC(void) _PyErr_ChainExceptions1(PyObject *exc);
/* Raises KeyError(key) (a tuple key is wrapped so that it is not taken
   as the argument list). */
PyAPI_FUNC(void) _PyErr_SetKeyError(PyObject *key);
/* Raises `exc` with the current exception (if any) as its __cause__ and
   __context__: "raise exc from <current>". */
PyAPI_FUNC(PyObject *) _PyErr_FormatFromCause(PyObject *exc,
                                              const char *format, ...);

/* Recursion limit (sys.setrecursionlimit); atomic, interpreter-wide. */
PyAPI_FUNC(int) _Py_GetRecursionLimit(void);
PyAPI_FUNC(void) _Py_SetRecursionLimit(int limit);
/* Slow path of Py_EnterRecursiveCall: raises RecursionError. */
PyAPI_FUNC(int) _Py_CheckRecursiveCall(PyThreadState *tstate,
                                       const char *where);

static inline int
_Py_EnterRecursiveCallTstate(PyThreadState *tstate, const char *where)
{
    struct _PyErr_ThreadState *es = _PyErr_GetState(tstate);
    if (++es->recursion_depth > _Py_GetRecursionLimit()) {
        return _Py_CheckRecursiveCall(tstate, where);
    }
    return 0;
}

static inline void
_Py_LeaveRecursiveCallTstate(PyThreadState *tstate)
{
    _PyErr_GetState(tstate)->recursion_depth--;
}

/* Releases the references the state holds (thread exit). */
PyAPI_FUNC(void) _PyErr_ClearThreadState(struct _PyErr_ThreadState *es);

#endif /* !Py_INTERNAL_EXCSTATE_H */
