/* The runtime's thread state (Python/pystate.c). */
#ifndef Py_INTERNAL_TSTATE_H
#define Py_INTERNAL_TSTATE_H
#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE define"
#endif

#include "pycore_lock.h"
#include "pycore_brc.h"
#include "pycore_qsbr.h"
#include "pycore_obmalloc.h"
#include "pycore_excstate_types.h"
#include "pycore_ceval_state.h"

/* _PyThreadStateImpl.state; changed only by CAS. */
enum {
    _Py_THREAD_DETACHED = 0,   /* blocked in C or not running Python */
    _Py_THREAD_ATTACHED = 1,   /* may touch objects */
    _Py_THREAD_SUSPENDED = 2,  /* held by a stop-the-world or a borrower */
};

/* Eval-breaker bits (_PyThreadStateImpl.eval_breaker). */
#define _PY_EVAL_PLEASE_STOP_BIT   (1u << 0)  /* stop-the-world requested */
#define _PY_EVAL_EXPLICIT_MERGE_BIT (1u << 1) /* BRC merge queue non-empty */
#define _PY_EVAL_QSBR_BIT          (1u << 2)  /* delayed frees to process */
#define _PY_EVAL_GC_BIT            (1u << 3)  /* a collection is due */
#define _PY_EVAL_SIGNALS_BIT       (1u << 4)  /* pending signals (main) */
#define _PY_EVAL_ASYNC_EXC_BIT     (1u << 5)  /* async exception */
#define _PY_EVAL_PENDING_CALLS_BIT (1u << 6)

typedef struct _PyThreadStateImpl {
    PyThreadState base;

    /* The eval-breaker word: checked at backward jumps and calls. */
    uintptr_t eval_breaker;
    int state;                      /* _Py_THREAD_* */
    uintptr_t tid;                  /* _Py_ThreadId() of the OS thread */
    int bound_gilstate;             /* created by PyGILState_Ensure */
    int gilstate_counter;

    /* Top of this thread's critical-section stack, a tagged pointer
       (Include/internal/pycore_critical_section.h). */
    uintptr_t critical_section;

    /* The current contextvars.Context (Python/context.c): a strong
       reference, NULL until first needed.  Only this thread reads or
       writes it; PyThreadState_Clear drops it. */
    PyObject *context;

    /* The error indicator and handled-exception stack (Python/errors.c),
       and the frame stack (Python/ceval.c): per thread state, so they
       follow PyThreadState_Swap and are freed with the thread state. */
    struct _PyErr_ThreadState err;
    struct _PyEvalThreadState eval;

    struct _brc_thread_state brc;
    struct _PyQSBR_ThreadData qsbr;
    struct _PyObmalloc_ThreadData obmalloc;

    struct _PyThreadStateImpl *next_in_interp;
    struct _PyThreadStateImpl *prev_in_interp;
} _PyThreadStateImpl;

#define _Py_ERR_STATE_IN_TSTATE 1
#define _Py_EVAL_STATE_IN_TSTATE 1

#endif /* !Py_INTERNAL_TSTATE_H */
