/* Generator, coroutine and async generator layout (Objects/genobject.c).
 *
 * Thread safety: a generator may be handed between threads but runs on
 * one at a time.  gi_frame_state moves to EXECUTING by compare-and-swap
 * from CREATED or SUSPENDED, so a second thread resuming a running
 * generator gets "generator already executing" instead of sharing the
 * frame; only the thread that won the swap touches the frame until it
 * stores the next state with a release store.  The frame (inside the
 * object) is GC-visible with the world stopped. */
#ifndef Py_INTERNAL_GEN_H
#define Py_INTERNAL_GEN_H
#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE define"
#endif

#include "genobject.h"
#include "pycore_frame.h"
#include "pycore_excstate.h"

typedef enum {
    FRAME_CREATED = -2,
    FRAME_SUSPENDED = -1,
    FRAME_EXECUTING = 0,
    FRAME_COMPLETED = 1,
    FRAME_CLEARED = 4
} _PyFrameState;

struct _PyGenObject {
    PyObject_HEAD
    PyObject *gi_weakreflist;
    PyObject *gi_name;              /* str */
    PyObject *gi_qualname;          /* str */
    _PyErr_StackItem gi_exc_state;
    /* Coroutines: origin tuple or NULL; async generators: the finalizer
       from sys.set_asyncgen_hooks or NULL. */
    PyObject *gi_origin_or_finalizer;
    char gi_hooks_inited;           /* async generators */
    char gi_closed;                 /* async generators: aclose() done */
    char gi_running_async;          /* async generators */
    int8_t gi_frame_state;          /* _PyFrameState, atomic */
    PyObject *gi_iframe[1];         /* the _PyInterpreterFrame */
};

static inline _PyInterpreterFrame *
_PyGen_GetFrame(PyGenObject *gen)
{
    return (_PyInterpreterFrame *)gen->gi_iframe;
}

static inline PyGenObject *
_PyGen_FromFrame(_PyInterpreterFrame *frame)
{
    return (PyGenObject *)((char *)frame
                           - offsetof(PyGenObject, gi_iframe));
}

/* RETURN_GENERATOR: a new generator/coroutine/async generator (by the
   code's flags) that takes over FRAME (copied into it); new reference. */
PyAPI_FUNC(PyObject *) _Py_MakeCoro(PyFunctionObject *func,
                                    _PyInterpreterFrame *frame);

/* Sends ARG into GEN: PYGEN_NEXT with *PRESULT the yielded value,
   PYGEN_RETURN with the return value, PYGEN_ERROR with an exception.
   EXC nonzero: throw the current exception in instead. */
PyAPI_FUNC(PySendResult) _PyGen_Send(PyGenObject *gen, PyObject *arg,
                                     PyObject **presult, int exc,
                                     int closing);

/* For SEND and yield from: the iterator a suspended generator/coroutine
   delegates to (borrowed), or NULL. */
PyAPI_FUNC(PyObject *) _PyGen_Yf(PyGenObject *gen);

/* GET_AWAITABLE: the iterator to await for O (new reference). */
PyAPI_FUNC(PyObject *) _PyCoro_GetAwaitableIter(PyObject *o);
/* ASYNC_GEN_WRAP: wraps a value yielded by an async generator. */
PyAPI_FUNC(PyObject *) _PyAsyncGenValueWrapperNew(PyObject *value);

/* The message when a frame raised inside generator code: "generator
   raised StopIteration" conversions (PEP 479). */
PyAPI_FUNC(void) _PyGen_ConvertStopIteration(PyThreadState *tstate,
                                             PyCodeObject *code);

PyAPI_FUNC(int) _PyGen_InitTypes(void);

#endif /* !Py_INTERNAL_GEN_H */
