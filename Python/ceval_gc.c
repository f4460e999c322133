/* The frame-stack walker of the cycle collector (pycore_gc.h,
 * _PyEval_VisitStackRefs).
 *
 * A thread's frames live on its data stack and are linked from
 * eval.current_frame through `previous`.  Their tagged slots hold
 * uncounted references to deferred objects (pycore_stackref.h), which the
 * collector must count as one reference each, or a function that only a
 * running frame still uses would look unreferenced.
 *
 * Thread safety: called only by the collector with the world stopped, so
 * every other thread is detached or suspended and its frames do not
 * change; the collecting thread's own frames are not changing either (it
 * is inside the collector).  Nothing here touches reference counts,
 * allocates or locks. */
#include "Python.h"
#include "pycore_gc.h"
#include "pycore_frame.h"
#include "pycore_tstate.h"

/* Number of slots of FRAME to report: its saved stack top, never past the
   end of the space the frame was given (co_nlocalsplus + co_stacksize), so
   that a stale or garbled stacktop cannot make the walker read into the
   next frame's fixed part. */
static int
frame_slot_count(_PyInterpreterFrame *frame)
{
    PyCodeObject *co = frame->f_code;
    int top = frame->stacktop;
    int limit = co->co_nlocalsplus + co->co_stacksize;
    if (top < 0) {
        return 0;
    }
    return top < limit ? top : limit;
}

/* Reports every uncounted reference of one thread-owned frame (borrowed
   pointers: the visitor does not keep them): f_code always, f_funcobj and
   the slots when tagged.  Counted slots are already in their referents'
   counts; reporting them would only delay collections. */
static void
visit_frame(_PyInterpreterFrame *frame, _PyGC_StackRefVisitor visit,
            void *arg)
{
    if (frame->f_code != NULL) {
        visit((PyObject *)frame->f_code, arg);
    }
    if (_PyStackRef_IsDeferred(frame->f_funcobj)) {
        visit(_PyStackRef_AsPyObjectBorrow(frame->f_funcobj), arg);
    }
    if (frame->f_code == NULL) {
        return;
    }
    int n = frame_slot_count(frame);
    for (int i = 0; i < n; i++) {
        _PyStackRef ref = frame->localsplus[i];
        if (_PyStackRef_IsDeferred(ref)) {
            visit(_PyStackRef_AsPyObjectBorrow(ref), arg);
        }
    }
}

/* Walks TSTATE's frame chain (borrowed; the world is stopped).  Frames
   owned by generators or frame objects are skipped: their owners'
   tp_traverse reports them (_PyGC_VisitUncounted). */
void
_PyEval_VisitStackRefs(PyThreadState *tstate, _PyGC_StackRefVisitor visit,
                       void *arg)
{
    _PyThreadStateImpl *ts = (_PyThreadStateImpl *)tstate;
    for (_PyInterpreterFrame *f = ts->eval.current_frame; f != NULL;
         f = f->previous) {
        if (f->owner == FRAME_OWNED_BY_THREAD) {
            visit_frame(f, visit, arg);
        }
        else if (f->owner == FRAME_OWNED_BY_CSTACK && f->f_code != NULL) {
            visit((PyObject *)f->f_code, arg);
        }
    }
}
