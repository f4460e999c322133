/* Thread-state access and transitions (Python/pystate.c). */
#ifndef Py_INTERNAL_PYSTATE_H
#define Py_INTERNAL_PYSTATE_H
#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE define"
#endif

#include "pycore_interp.h"

/* The thread state attached on this OS thread, or NULL.  initial-exec:
   one %fs-relative load instead of a __tls_get_addr call (libpython is
   loaded at start-up, or early enough by an embedding program). */
extern _Thread_local PyThreadState *_Py_tss_tstate
    __attribute__((tls_model("initial-exec")));

static inline PyThreadState *
_PyThreadState_GET(void)
{
    return _Py_tss_tstate;
}

static inline PyInterpreterState *
_PyInterpreterState_GET(void)
{
    return _Py_tss_tstate->interp;
}

PyAPI_FUNC(PyInterpreterState *) _PyInterpreterState_Main(void);

/* Runtime core bring-up for C programs and, later, Py_Initialize: creates
   the interpreter and a thread state for the calling thread, attached.
   Returns NULL on failure. */
PyAPI_FUNC(PyThreadState *) _PyRuntime_InitCore(void);
/* Tears down what _PyRuntime_InitCore made; other threads must be gone. */
PyAPI_FUNC(void) _PyRuntime_FiniCore(void);

/* Attach: wait while suspended, then become ATTACHED and current.
   Detach: release held critical sections, go offline for QSBR, merge the
   BRC queue, become DETACHED. */
PyAPI_FUNC(void) _PyThreadState_Attach(PyThreadState *tstate);
PyAPI_FUNC(void) _PyThreadState_Detach(PyThreadState *tstate);
/* Detach into SUSPENDED at a stop-the-world request (eval breaker). */
PyAPI_FUNC(void) _PyThreadState_Suspend(PyThreadState *tstate);

/* Eval-breaker bits. */
static inline void
_PyEval_SetBreakerBit(_PyThreadStateImpl *ts, uintptr_t bit)
{
    _Py_atomic_or_uintptr(&ts->eval_breaker, bit);
}

static inline void
_PyEval_ClearBreakerBit(_PyThreadStateImpl *ts, uintptr_t bit)
{
    _Py_atomic_and_uintptr(&ts->eval_breaker, ~bit);
}

/* Runs what the set bits ask for; 0 or -1 with an exception set.  Callers
   test eval_breaker first so the common path is one load. */
PyAPI_FUNC(int) _PyEval_HandleBreaker(PyThreadState *tstate);

static inline int
_PyEval_CheckBreaker(PyThreadState *tstate)
{
    _PyThreadStateImpl *ts = (_PyThreadStateImpl *)tstate;
    /* Relaxed: a bit set just after this load is seen at the next check. */
    if (_Py_atomic_load_uintptr_relaxed(&ts->eval_breaker) != 0) {
        return _PyEval_HandleBreaker(tstate);
    }
    return 0;
}

/* Stop every other thread of the interpreter; returns with them suspended.
   Must be called attached.  Start resumes them. */
PyAPI_FUNC(void) _PyEval_StopTheWorld(PyInterpreterState *interp);
PyAPI_FUNC(void) _PyEval_StartTheWorld(PyInterpreterState *interp);

/* Iterate over threads: interp->threads_mutex held, or world stopped. */
#define _Py_FOR_EACH_TSTATE(interp, t) \
    for (_PyThreadStateImpl *t = (interp)->threads_head; t != NULL; \
         t = t->next_in_interp)

#endif /* !Py_INTERNAL_PYSTATE_H */
