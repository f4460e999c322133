/* The eval loop's runtime interface (Python/ceval.c and Python/ceval_*.c).
 *
 * Per-thread state: each thread has its own frame stack (chunks of
 * memory holding _PyInterpreterFrames), its current frame and its C stack
 * bounds.  Only the owning thread touches them, except the GC, which walks
 * them with the world stopped. */
#ifndef Py_INTERNAL_CEVAL_H
#define Py_INTERNAL_CEVAL_H
#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE define"
#endif

#include "pycore_pystate.h"
#include "pycore_excstate.h"
#include "pycore_frame.h"
#include "ceval.h"

#include "pycore_ceval_state.h"

/* The eval state lives in the thread state (pycore_tstate.h). */
#ifdef _Py_EVAL_STATE_IN_TSTATE
static inline struct _PyEvalThreadState *
_PyEval_GetThreadState(PyThreadState *tstate)
{
    return &((_PyThreadStateImpl *)tstate)->eval;
}
#else
extern _Thread_local struct _PyEvalThreadState _Py_eval_tls
    __attribute__((tls_model("initial-exec")));

static inline struct _PyEvalThreadState *
_PyEval_GetThreadState(PyThreadState *tstate)
{
    (void)tstate;
    return &_Py_eval_tls;
}
#endif

/* Frees a thread state's frame stack (it runs no frame any more). */
PyAPI_FUNC(void) _PyEval_ClearThreadState(struct _PyEvalThreadState *es);

/* Pushes room for a frame of SIZE slots on TSTATE's frame stack; NULL
   with MemoryError. */
PyAPI_FUNC(_PyInterpreterFrame *) _PyThreadState_PushFrame(
    PyThreadState *tstate, size_t size);
/* Pops FRAME (the top one) off the frame stack. */
PyAPI_FUNC(void) _PyThreadState_PopFrame(PyThreadState *tstate,
                                         _PyInterpreterFrame *frame);

static inline _PyInterpreterFrame *
_PyThreadState_GetFrame(PyThreadState *tstate)
{
    return _PyEval_GetThreadState(tstate)->current_frame;
}

/* The first frame that is not incomplete, from FRAME down. */
static inline _PyInterpreterFrame *
_PyFrame_GetFirstComplete(_PyInterpreterFrame *frame)
{
    while (frame != NULL && _PyFrame_IsIncomplete(frame)) {
        frame = frame->previous;
    }
    return frame;
}

/* Runs FRAME (already pushed and filled) to completion or suspension;
   THROWFLAG nonzero starts by raising the current exception in it.
   Returns a new reference or NULL with an exception set. */
PyAPI_FUNC(PyObject *) _PyEval_EvalFrame(PyThreadState *tstate,
                                         _PyInterpreterFrame *frame,
                                         int throwflag);

/* Calls FUNC (a Python function) with the given arguments (borrowed);
   LOCALS is the locals mapping for code without CO_OPTIMIZED, or NULL. */
PyAPI_FUNC(PyObject *) _PyEval_Vector(PyThreadState *tstate,
                                      PyFunctionObject *func,
                                      PyObject *locals,
                                      PyObject *const *args,
                                      size_t argcount, PyObject *kwnames);

/* Binds arguments (Python/ceval_args.c): ARGS[0:ARGCOUNT] positional and
   the values of KWNAMES after them, all STOLEN, into the fast locals of
   FRAME for FUNC, applying defaults, *args and **kwargs.  Every
   reference is consumed even on error.  0 or -1 with 3.11's TypeError. */
PyAPI_FUNC(int) _PyEval_BindArgs(PyThreadState *tstate,
                                 PyFunctionObject *func,
                                 _PyStackRef *localsplus, _PyStackRef *args,
                                 Py_ssize_t argcount, PyObject *kwnames);

/* C stack guard: 1 when the C stack is close to overflowing (then
   RecursionError is set), else 0. */
PyAPI_FUNC(int) _Py_CStackCheck(PyThreadState *tstate);

/* Makes a new function from CODE, the current frame's globals and
   builtins ... (MAKE_FUNCTION). */

/* Borrowed: the builtins dict the current frame sees (the interpreter's
   when no frame runs). */
PyAPI_FUNC(PyObject *) _PyEval_GetBuiltins(PyThreadState *tstate);

/* The interpreter-wide builtins/sys modules and module registry
   (Python/pylifecycle.c would own these; kept here until it does). */
struct _PyEvalInterpState {
    PyObject *builtins;         /* the builtins module's dict */
    PyObject *builtins_module;
    PyObject *sysdict;
    PyObject *sys_module;
    PyObject *modules;          /* sys.modules */
    PyObject *importlib;        /* _frozen_importlib, set once (release) */
    PyObject *extensions;       /* single-phase C modules (import.c) */
    PyObject *import_func;      /* builtins.__import__ at start-up */
    PyMutex import_lock;        /* guards the module-lock table */
    PyObject *import_locks;     /* dict: name -> lock record (capsule) */
    int recursion_limit;
    int initialized;
};

/* The eval state lives in the thread state (pycore_tstate.h). */
PyAPI_DATA(struct _PyEvalInterpState) _Py_eval_interp;
static inline struct _PyEvalInterpState *
_PyEval_GetInterpState(void)
{
    return &_Py_eval_interp;
}

/* Exception helpers used by the eval loop, tracebacks and pythonrun. */
/* Adds a traceback entry for FRAME to the current exception. */
PyAPI_FUNC(int) _PyTraceBack_AddFrame(_PyInterpreterFrame *frame);
/* NameError "name 'x' is not defined" with the name attribute set. */
PyAPI_FUNC(void) _PyEval_FormatNameError(PyThreadState *tstate,
                                         PyObject *exc, const char *fmt,
                                         PyObject *name);

/* The evaluation of code objects (Python/ceval.c). */
PyAPI_FUNC(PyObject *) _PyEval_EvalCodeWithLocals(PyObject *code,
                                                  PyObject *globals,
                                                  PyObject *locals,
                                                  PyObject *closure);

/* Start-up of the interpreter's pieces (called by Py_Initialize). */
PyAPI_FUNC(int) _PyEval_InitTypes(void);

#endif /* !Py_INTERNAL_CEVAL_H */
