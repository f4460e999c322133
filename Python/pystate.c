/* Thread states, attach/detach, stop-the-world and the eval breaker.
 *
 * A thread state is DETACHED (may not touch objects), ATTACHED, or
 * SUSPENDED (held by a stop-the-world).  Transitions:
 *   the thread itself:   DETACHED -> ATTACHED (CAS; waits while SUSPENDED)
 *                        ATTACHED -> DETACHED or SUSPENDED (store)
 *   a stop-the-world:    DETACHED -> SUSPENDED (CAS), and on restart
 *                        SUSPENDED -> DETACHED (store) + wake-up.
 * Only the thread moves itself out of ATTACHED, so the requester never
 * races with code running on that thread.
 *
 * The interpreter's thread list is guarded by interp->threads_mutex; the
 * stop-the-world requester walks it under that mutex, never waits while
 * holding it, and serialises with other requesters on stw.mutex. */
#include "Python.h"
#include "pycore_pystate.h"
#include "pycore_signal.h"
#include "pycore_critical_section.h"
#include "pycore_parking_lot.h"
#include "pycore_object.h"
#include "pycore_gc.h"
#include "pycore_ceval.h"
#include "pycore_excstate.h"

#include <pthread.h>
#include <sys/syscall.h>

_Thread_local PyThreadState *_Py_tss_tstate
    __attribute__((tls_model("initial-exec"))) = NULL;
/* The thread state PyGILState_Ensure bound to this OS thread. */
static _Thread_local _PyThreadStateImpl *gilstate_tss = NULL;

/* Plait has one interpreter.  runtime_lock guards init/fini. */
static PyInterpreterState main_interp;
static int main_interp_ready;
static _PyRawMutex runtime_lock;

PyInterpreterState *
_PyInterpreterState_Main(void)
{
    return _Py_atomic_load_int(&main_interp_ready) ? &main_interp : NULL;
}

PyThreadState *
PyThreadState_GetUnchecked(void)
{
    return _Py_tss_tstate;
}

PyThreadState *
PyThreadState_Get(void)
{
    PyThreadState *ts = _Py_tss_tstate;
    if (ts == NULL) {
        Py_FatalError("the function must be called with an attached "
                      "thread state, but none is attached");
    }
    return ts;
}

PyInterpreterState *
PyInterpreterState_Get(void)
{
    return PyThreadState_Get()->interp;
}

/* ------------------------------------------------------------------ */
/* Creation and destruction                                           */

static void
link_tstate(PyInterpreterState *interp, _PyThreadStateImpl *ts)
{
    _PyMutex_LockTimed(&interp->threads_mutex, -1, _PY_LOCK_DETACH);
    ts->next_in_interp = interp->threads_head;
    if (interp->threads_head != NULL) {
        interp->threads_head->prev_in_interp = ts;
    }
    interp->threads_head = ts;
    interp->threads_count++;
    PyMutex_Unlock(&interp->threads_mutex);
}

static void
unlink_tstate(PyInterpreterState *interp, _PyThreadStateImpl *ts)
{
    _PyMutex_LockTimed(&interp->threads_mutex, -1, _PY_LOCK_DETACH);
    if (ts->prev_in_interp != NULL) {
        ts->prev_in_interp->next_in_interp = ts->next_in_interp;
    }
    else {
        interp->threads_head = ts->next_in_interp;
    }
    if (ts->next_in_interp != NULL) {
        ts->next_in_interp->prev_in_interp = ts->prev_in_interp;
    }
    interp->threads_count--;
    PyMutex_Unlock(&interp->threads_mutex);
}

/* New: a detached thread state, not bound to any OS thread yet. */
PyThreadState *
PyThreadState_New(PyInterpreterState *interp)
{
    _PyThreadStateImpl *ts = PyMem_RawCalloc(1, sizeof(*ts));
    if (ts == NULL) {
        return NULL;
    }
    ts->base.interp = interp;
    ts->state = _Py_THREAD_DETACHED;
    if (_PyObmalloc_ThreadInit(ts) < 0) {
        PyMem_RawFree(ts);
        return NULL;
    }
    link_tstate(interp, ts);
    if (_PyQSBR_ThreadInit(ts) < 0) {
        unlink_tstate(interp, ts);
        _PyObmalloc_ThreadFini(ts);
        PyMem_RawFree(ts);
        return NULL;
    }
    return &ts->base;
}

/* Binds the thread state to the calling OS thread (first attach). */
static void
bind_tstate(_PyThreadStateImpl *ts)
{
    ts->tid = _Py_ThreadId();
    ts->base.thread_id = (unsigned long)pthread_self();
    ts->base.native_thread_id = (unsigned long)syscall(SYS_gettid);
    _Py_brc_init_thread(ts);
}

/* Drops the objects the thread state holds; it must be attached (current)
   or the caller must hold an attached thread state of its own. */
void
PyThreadState_Clear(PyThreadState *tstate)
{
    _PyThreadStateImpl *ts = (_PyThreadStateImpl *)tstate;
    Py_CLEAR(tstate->dict);
    Py_CLEAR(ts->context);
    _PyErr_ClearThreadState(&ts->err);
    _PyEval_ClearThreadState(&ts->eval);
}

/* Frees a thread state that is detached.  Its objects stay valid: the BRC
   queue is drained by _Py_brc_remove_thread, pages go to the shared pool. */
static void
free_tstate(_PyThreadStateImpl *ts)
{
    PyInterpreterState *interp = ts->base.interp;
    _PyQSBR_ThreadFini(ts);
    unlink_tstate(interp, ts);
    _PyObmalloc_ThreadFini(ts);
    /* Whatever PyThreadState_Clear left (it may not have been called). */
    _PyStackChunk *chunk = ts->eval.datastack_chunk;
    while (chunk != NULL) {
        _PyStackChunk *prev = chunk->previous;
        PyMem_RawFree(chunk);
        chunk = prev;
    }
    PyMem_RawFree(ts->err.repr_stack);
    PyMem_RawFree(ts->brc.objects_to_merge.items);
    PyMem_RawFree(ts->brc.local_objects.items);
    if (gilstate_tss == ts) {
        gilstate_tss = NULL;
    }
    PyMem_RawFree(ts);
}

void
PyThreadState_Delete(PyThreadState *tstate)
{
    _PyThreadStateImpl *ts = (_PyThreadStateImpl *)tstate;
    if (tstate == _Py_tss_tstate) {
        Py_FatalError("PyThreadState_Delete: tstate is still current");
    }
    if (ts->tid != 0) {
        /* Merging needs an attached thread; borrow ours if we have one. */
        _Py_brc_remove_thread(ts);
    }
    free_tstate(ts);
}

/* The calling thread's own state: merge its queue while still attached,
   then detach and free. */
void
PyThreadState_DeleteCurrent(void)
{
    _PyThreadStateImpl *ts = (_PyThreadStateImpl *)_Py_tss_tstate;
    if (ts == NULL) {
        Py_FatalError("PyThreadState_DeleteCurrent: no current tstate");
    }
    _Py_brc_remove_thread(ts);
    _PyThreadState_Detach(&ts->base);
    ts->tid = 0;
    free_tstate(ts);
}

/* ------------------------------------------------------------------ */
/* Attach, detach, suspend                                            */

static void
wake_stw_requester(PyInterpreterState *interp)
{
    if (_Py_atomic_load_int(&interp->stw.requested)) {
        _Py_atomic_add_uint32(&interp->stw.seq, 1);
        _PyParkingLot_UnparkAll(&interp->stw.seq);
    }
}

static int
must_suspend(_PyThreadStateImpl *ts)
{
    PyInterpreterState *interp = ts->base.interp;
    return _Py_atomic_load_int(&interp->stw.requested) &&
           _Py_atomic_load_ptr(&interp->stw.requester) != ts;
}

static void
wait_while_suspended(_PyThreadStateImpl *ts)
{
    int expected = _Py_THREAD_SUSPENDED;
    while (_Py_atomic_load_int(&ts->state) == _Py_THREAD_SUSPENDED) {
        _PyParkingLot_Park(&ts->state, &expected, sizeof(ts->state), -1,
                           NULL, 0);
    }
}

/* Leaves ATTACHED for `target` (DETACHED or SUSPENDED). */
static void
leave_attached(_PyThreadStateImpl *ts, int target)
{
    _PyCriticalSection_SuspendAll(&ts->base);
    _PyQSBR_Detach(ts);
    _Py_tss_tstate = NULL;
    _Py_atomic_store_int(&ts->state, target);
    wake_stw_requester(ts->base.interp);
}

void
_PyThreadState_Attach(PyThreadState *tstate)
{
    _PyThreadStateImpl *ts = (_PyThreadStateImpl *)tstate;
    for (;;) {
        int expected = _Py_THREAD_DETACHED;
        if (!_Py_atomic_compare_exchange_int(&ts->state, &expected,
                                             _Py_THREAD_ATTACHED)) {
            wait_while_suspended(ts);
            continue;
        }
        if (must_suspend(ts)) {
            /* A stop-the-world began before we attached: do not run. */
            _Py_atomic_store_int(&ts->state, _Py_THREAD_SUSPENDED);
            wake_stw_requester(ts->base.interp);
            wait_while_suspended(ts);
            continue;
        }
        break;
    }
    if (ts->tid == 0) {
        /* First attach: bind to this OS thread.  Only now, attached and
           with no stop-the-world in progress, so a requester walking the
           thread list never sees the binding half done. */
        bind_tstate(ts);
    }
    _Py_tss_tstate = tstate;
    _PyQSBR_Attach(ts);
    _PyCriticalSection_Resume(tstate);
}

void
_PyThreadState_Detach(PyThreadState *tstate)
{
    _PyThreadStateImpl *ts = (_PyThreadStateImpl *)tstate;
    if (_Py_atomic_load_uintptr_relaxed(&ts->eval_breaker) &
        _PY_EVAL_EXPLICIT_MERGE_BIT) {
        _PyEval_ClearBreakerBit(ts, _PY_EVAL_EXPLICIT_MERGE_BIT);
        _Py_brc_merge_refcounts(ts);
    }
    leave_attached(ts, _Py_THREAD_DETACHED);
}

void
_PyThreadState_Suspend(PyThreadState *tstate)
{
    _PyThreadStateImpl *ts = (_PyThreadStateImpl *)tstate;
    _PyEval_ClearBreakerBit(ts, _PY_EVAL_PLEASE_STOP_BIT);
    if (!must_suspend(ts)) {
        return;     /* the stop ended before we saw the bit */
    }
    leave_attached(ts, _Py_THREAD_SUSPENDED);
    _PyThreadState_Attach(tstate);
}

PyThreadState *
PyEval_SaveThread(void)
{
    PyThreadState *tstate = _Py_tss_tstate;
    if (tstate == NULL) {
        Py_FatalError("PyEval_SaveThread: no thread state is attached");
    }
    _PyThreadState_Detach(tstate);
    return tstate;
}

void
PyEval_RestoreThread(PyThreadState *tstate)
{
    if (tstate == NULL) {
        Py_FatalError("PyEval_RestoreThread: NULL thread state");
    }
    _PyThreadState_Attach(tstate);
}

void
PyEval_AcquireThread(PyThreadState *tstate)
{
    PyEval_RestoreThread(tstate);
}

void
PyEval_ReleaseThread(PyThreadState *tstate)
{
    if (tstate != _Py_tss_tstate) {
        Py_FatalError("PyEval_ReleaseThread: wrong thread state");
    }
    _PyThreadState_Detach(tstate);
}

/* Detaches the current thread state (if any) and attaches `tstate`. */
PyThreadState *
PyThreadState_Swap(PyThreadState *tstate)
{
    PyThreadState *old = _Py_tss_tstate;
    if (old == tstate) {
        return old;
    }
    if (old != NULL) {
        _PyThreadState_Detach(old);
    }
    if (tstate != NULL) {
        _PyThreadState_Attach(tstate);
    }
    return old;
}

/* ------------------------------------------------------------------ */
/* PyGILState: attach foreign threads                                 */

PyGILState_STATE
PyGILState_Ensure(void)
{
    PyInterpreterState *interp = _PyInterpreterState_Main();
    if (interp == NULL) {
        Py_FatalError("PyGILState_Ensure: the runtime is not initialized");
    }
    _PyThreadStateImpl *ts = gilstate_tss;
    if (ts == NULL) {
        ts = (_PyThreadStateImpl *)PyThreadState_New(interp);
        if (ts == NULL) {
            Py_FatalError("PyGILState_Ensure: out of memory");
        }
        ts->bound_gilstate = 1;
        gilstate_tss = ts;
    }
    int was_attached = (_Py_tss_tstate == &ts->base);
    ts->gilstate_counter++;
    if (was_attached) {
        return PyGILState_LOCKED;
    }
    _PyThreadState_Attach(&ts->base);
    return PyGILState_UNLOCKED;
}

void
PyGILState_Release(PyGILState_STATE oldstate)
{
    _PyThreadStateImpl *ts = gilstate_tss;
    if (ts == NULL || _Py_tss_tstate != &ts->base) {
        Py_FatalError("PyGILState_Release: thread state mismatch");
    }
    ts->gilstate_counter--;
    if (ts->gilstate_counter == 0 && ts->bound_gilstate) {
        PyThreadState_Clear(&ts->base);
        PyThreadState_DeleteCurrent();
        return;
    }
    if (oldstate == PyGILState_UNLOCKED) {
        _PyThreadState_Detach(&ts->base);
    }
}

PyThreadState *
PyGILState_GetThisThreadState(void)
{
    return (PyThreadState *)gilstate_tss;
}

int
PyGILState_Check(void)
{
    PyThreadState *ts = _Py_tss_tstate;
    return ts != NULL && ts == (PyThreadState *)gilstate_tss;
}

/* ------------------------------------------------------------------ */
/* Stop-the-world                                                     */

/* One pass over the other threads: suspend the detached ones, flag the
   attached ones.  Returns 1 when every other thread is suspended. */
static int
park_detached_and_flag(PyInterpreterState *interp, _PyThreadStateImpl *me)
{
    int all_stopped = 1;
    _PyMutex_LockNoDetach(&interp->threads_mutex);
    _Py_FOR_EACH_TSTATE(interp, t) {
        if (t == me) {
            continue;
        }
        int state = _Py_atomic_load_int(&t->state);
        if (state == _Py_THREAD_DETACHED) {
            int expected = _Py_THREAD_DETACHED;
            if (_Py_atomic_compare_exchange_int(&t->state, &expected,
                                                _Py_THREAD_SUSPENDED)) {
                continue;
            }
            state = expected;
        }
        if (state == _Py_THREAD_ATTACHED) {
            _PyEval_SetBreakerBit(t, _PY_EVAL_PLEASE_STOP_BIT);
            all_stopped = 0;
        }
    }
    PyMutex_Unlock(&interp->threads_mutex);
    return all_stopped;
}

void
_PyEval_StopTheWorld(PyInterpreterState *interp)
{
    _PyThreadStateImpl *me = (_PyThreadStateImpl *)_Py_tss_tstate;
    /* Waiting here detaches us, so the current requester can stop us. */
    PyMutex_Lock(&interp->stw.mutex);
    _Py_atomic_store_ptr(&interp->stw.requester, me);
    _Py_atomic_store_int(&interp->stw.requested, 1);
    for (;;) {
        uint32_t seq = _Py_atomic_load_uint32(&interp->stw.seq);
        if (park_detached_and_flag(interp, me)) {
            break;
        }
        /* Woken when a thread suspends or detaches; re-walk at least
           every millisecond in case a wake-up raced with the walk. */
        _PyParkingLot_Park(&interp->stw.seq, &seq, sizeof(seq), 1000000,
                           NULL, 0);
    }
    interp->stw.world_stopped = 1;
    _Py_brc_merge_stopped_threads(interp, me);
}

void
_PyEval_StartTheWorld(PyInterpreterState *interp)
{
    _PyThreadStateImpl *me = (_PyThreadStateImpl *)_Py_tss_tstate;
    interp->stw.world_stopped = 0;
    _PyMutex_LockNoDetach(&interp->threads_mutex);
    _Py_atomic_store_int(&interp->stw.requested, 0);
    _Py_atomic_store_ptr(&interp->stw.requester, NULL);
    _Py_FOR_EACH_TSTATE(interp, t) {
        if (t == me) {
            continue;
        }
        _PyEval_ClearBreakerBit(t, _PY_EVAL_PLEASE_STOP_BIT);
        if (_Py_atomic_load_int(&t->state) == _Py_THREAD_SUSPENDED) {
            _Py_atomic_store_int(&t->state, _Py_THREAD_DETACHED);
            _PyParkingLot_UnparkAll(&t->state);
        }
    }
    PyMutex_Unlock(&interp->threads_mutex);
    PyMutex_Unlock(&interp->stw.mutex);
    /* Objects whose merged count reached zero during the stop. */
    _Py_brc_free_merged(me);
}

/* ------------------------------------------------------------------ */
/* The eval breaker                                                   */

int
_PyEval_HandleBreaker(PyThreadState *tstate)
{
    _PyThreadStateImpl *ts = (_PyThreadStateImpl *)tstate;
    uintptr_t bits = _Py_atomic_load_uintptr(&ts->eval_breaker);
    if (bits & _PY_EVAL_PLEASE_STOP_BIT) {
        _PyThreadState_Suspend(tstate);
    }
    if (bits & _PY_EVAL_EXPLICIT_MERGE_BIT) {
        _PyEval_ClearBreakerBit(ts, _PY_EVAL_EXPLICIT_MERGE_BIT);
        _Py_brc_merge_refcounts(ts);
    }
    _PyQSBR_QuiescentState(ts);
    if (bits & _PY_EVAL_QSBR_BIT) {
        _PyEval_ClearBreakerBit(ts, _PY_EVAL_QSBR_BIT);
        _PyMem_ProcessDelayed(ts);
    }
    if (bits & _PY_EVAL_GC_BIT) {
        _PyEval_ClearBreakerBit(ts, _PY_EVAL_GC_BIT);
        _PyGC_CollectIfDue(tstate);
    }
    if (bits & _PY_EVAL_SIGNALS_BIT) {
        /* Only the main thread's bit is ever set (signalmodule.c). */
        if (_PyErr_CheckSignalsTstate(tstate) < 0) {
            return -1;
        }
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Runtime bring-up                                                   */

PyThreadState *
_PyRuntime_InitCore(void)
{
    _PyRawMutex_Lock(&runtime_lock);
    if (_Py_atomic_load_int(&main_interp_ready)) {
        _PyRawMutex_Unlock(&runtime_lock);
        Py_FatalError("_PyRuntime_InitCore: already initialized");
    }
    memset(&main_interp, 0, sizeof(main_interp));
    if (_PyObmalloc_InterpInit(&main_interp) < 0 ||
        _PyQSBR_InterpInit(&main_interp) < 0) {
        _PyRawMutex_Unlock(&runtime_lock);
        return NULL;
    }
    _Py_atomic_store_int(&main_interp_ready, 1);
    _PyRawMutex_Unlock(&runtime_lock);

    PyThreadState *tstate = PyThreadState_New(&main_interp);
    if (tstate == NULL) {
        return NULL;
    }
    ((_PyThreadStateImpl *)tstate)->bound_gilstate = 0;
    gilstate_tss = (_PyThreadStateImpl *)tstate;
    ((_PyThreadStateImpl *)tstate)->gilstate_counter = 1;
    _PyThreadState_Attach(tstate);
    return tstate;
}

void
_PyRuntime_FiniCore(void)
{
    PyThreadState *tstate = _Py_tss_tstate;
    if (tstate != NULL) {
        gilstate_tss = NULL;
        PyThreadState_DeleteCurrent();
    }
    _PyGC_Fini();
    _PyRawMutex_Lock(&runtime_lock);
    _PyQSBR_InterpFini(&main_interp);
    _PyObmalloc_InterpFini(&main_interp);
    _Py_atomic_store_int(&main_interp_ready, 0);
    _PyRawMutex_Unlock(&runtime_lock);
}
