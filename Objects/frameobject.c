/* Frame objects and the operations on interpreter frames they need.
 *
 * A frame object is made on request for a running frame and points at
 * it; when the frame ends while the frame object lives on, the frame's
 * data moves into the frame object (take_ownership), which then owns it.
 * Frame objects are only touched by the thread that runs (or ran) their
 * frame, or by a thread that got the object from a traceback after the
 * frame ended, when nothing else writes it. */
#include "Python.h"
#include "pycore_gc.h"
#include "pycore_ceval.h"
#include "pycore_frame.h"
#include "pycore_gen.h"
#include "pycore_function.h"
#include "pycore_ceval_helpers.h"

PyFrameObject *
_PyFrame_New_NoTrack(PyCodeObject *code)
{
    Py_ssize_t slots = code->co_framesize;
    PyFrameObject *f = (PyFrameObject *)_PyObject_GC_NewVar(&PyFrame_Type,
                                                           slots);
    if (f == NULL) {
        return NULL;
    }
    f->f_back = NULL;
    f->f_frame = NULL;
    f->f_trace = NULL;
    f->f_lineno = 0;
    f->f_trace_lines = 1;
    f->f_trace_opcodes = 0;
    f->f_fast_as_locals = 0;
    return f;
}

PyFrameObject *
_PyFrame_GetFrameObject(_PyInterpreterFrame *frame)
{
    if (frame->frame_obj != NULL) {
        return frame->frame_obj;
    }
    PyFrameObject *f = _PyFrame_New_NoTrack(frame->f_code);
    if (f == NULL) {
        return NULL;
    }
    f->f_frame = frame;
    frame->frame_obj = f;
    PyObject_GC_Track(f);
    return f;
}

void
_PyFrame_Copy(_PyInterpreterFrame *src, _PyInterpreterFrame *dest)
{
    size_t size = offsetof(_PyInterpreterFrame, localsplus)
                  + sizeof(_PyStackRef) * (size_t)src->stacktop;
    memcpy(dest, src, size);
    if (dest->frame_obj != NULL) {
        dest->frame_obj->f_frame = dest;
    }
}

/* The frame ends while FRAME_OBJ still has other owners: move the data
   into it and link f_back to the caller's frame object. */
static void
take_ownership(PyFrameObject *f, _PyInterpreterFrame *frame)
{
    _PyInterpreterFrame *dest = (_PyInterpreterFrame *)f->_f_frame_data;
    _PyFrame_Copy(frame, dest);
    dest->owner = FRAME_OWNED_BY_FRAME_OBJECT;
    dest->previous = NULL;
    dest->frame_obj = NULL;     /* the object does not own itself */
    f->f_frame = dest;
    _PyInterpreterFrame *prev = _PyFrame_GetFirstComplete(frame->previous);
    if (prev != NULL && f->f_back == NULL) {
        PyFrameObject *back = _PyFrame_GetFrameObject(prev);
        if (back == NULL) {
            PyErr_Clear();
        }
        else {
            f->f_back = (PyFrameObject *)Py_NewRef(back);
        }
    }
}

void
_PyFrame_Clear(_PyInterpreterFrame *frame)
{
    if (frame->frame_obj != NULL) {
        PyFrameObject *f = frame->frame_obj;
        frame->frame_obj = NULL;
        if (Py_REFCNT(f) > 1) {
            take_ownership(f, frame);
            Py_DECREF(f);
            return;
        }
        f->f_frame = NULL;
        Py_DECREF(f);
    }
    for (int i = 0; i < frame->stacktop; i++) {
        _PyStackRef_XClose(frame->localsplus[i]);
    }
    frame->stacktop = 0;
    Py_CLEAR(frame->f_locals);
    _PyStackRef_XClose(frame->f_funcobj);
    frame->f_funcobj = _PyStackRef_NULL;
}

int
_PyFrame_GetLineNumber(_PyInterpreterFrame *frame)
{
    int index = _PyFrame_LastInstr(frame);
    if (index < 0) {
        return frame->f_code->co_firstlineno;
    }
    return _PyCode_UnitToLine(frame->f_code, index);
}

int
_PyFrame_Traverse(_PyInterpreterFrame *frame, visitproc visit, void *arg)
{
    Py_VISIT(frame->f_locals);
    /* Uncounted (tagged) references and f_code go through
       _PyGC_VisitUncounted: visiting them like counted ones would make a
       deferred function or code object used only by a suspended frame look
       unreferenced (pycore_gc.h). */
    int err = _PyGC_VisitUncounted((PyObject *)frame->f_code, visit, arg);
    if (err) {
        return err;
    }
    if (!_PyStackRef_IsNull(frame->f_funcobj)) {
        PyObject *fn = _PyFrame_GetFunction(frame);
        err = _PyStackRef_IsDeferred(frame->f_funcobj)
            ? _PyGC_VisitUncounted(fn, visit, arg)
            : visit(fn, arg);
        if (err) {
            return err;
        }
    }
    for (int i = 0; i < frame->stacktop; i++) {
        _PyStackRef ref = frame->localsplus[i];
        if (_PyStackRef_IsNull(ref)) {
            continue;
        }
        PyObject *o = _PyStackRef_AsPyObjectBorrow(ref);
        err = _PyStackRef_IsDeferred(ref)
            ? _PyGC_VisitUncounted(o, visit, arg)
            : visit(o, arg);
        if (err) {
            return err;
        }
    }
    return 0;
}

/* Builds (or refreshes) the locals mapping of a function frame from its
   fast locals; cells show their contents. */
PyObject *
_PyFrame_GetLocals(_PyInterpreterFrame *frame)
{
    PyCodeObject *co = frame->f_code;
    if (!(co->co_flags & CO_OPTIMIZED)) {
        if (frame->f_locals == NULL) {
            frame->f_locals = PyDict_New();
        }
        return frame->f_locals;
    }
    if (frame->f_locals == NULL) {
        frame->f_locals = PyDict_New();
        if (frame->f_locals == NULL) {
            return NULL;
        }
    }
    PyObject *locals = frame->f_locals;
    for (int i = 0; i < co->co_nlocalsplus; i++) {
        _PyLocals_Kind kind = _PyLocals_GetKind(co->co_localspluskinds, i);
        PyObject *name = _PyCode_LocalName(co, i);
        PyObject *value = _PyStackRef_AsPyObjectBorrow(frame->localsplus[i]);
        PyObject *owned = NULL;
        if (_PyFrame_IsIncomplete(frame) && (kind & CO_FAST_FREE) == 0) {
            value = NULL;
        }
        if (value != NULL && (kind & (CO_FAST_CELL | CO_FAST_FREE))
            && PyCell_Check(value)) {
            owned = _PyCell_GetRef((PyCellObject *)value);
            value = owned;
        }
        if (kind & CO_FAST_FREE && !(co->co_flags & CO_OPTIMIZED)) {
            Py_XDECREF(owned);
            continue;
        }
        int err;
        if (value == NULL) {
            PyObject *old = NULL;
            err = PyDict_Pop(locals, name, &old);
            Py_XDECREF(old);
            if (err > 0) {
                err = 0;
            }
        }
        else {
            err = PyDict_SetItem(locals, name, value);
        }
        Py_XDECREF(owned);
        if (err < 0) {
            return NULL;
        }
    }
    return locals;
}

/* ------------------------------------------------------------------ */
/* The frame type. */

static PyObject *
frame_get_back(PyObject *self, void *c)
{
    PyFrameObject *f = (PyFrameObject *)self;
    if (f->f_back != NULL) {
        return Py_NewRef(f->f_back);
    }
    if (f->f_frame == NULL
        || f->f_frame->owner == FRAME_OWNED_BY_FRAME_OBJECT) {
        Py_RETURN_NONE;
    }
    _PyInterpreterFrame *prev = _PyFrame_GetFirstComplete(
        f->f_frame->previous);
    if (prev == NULL) {
        Py_RETURN_NONE;
    }
    PyFrameObject *back = _PyFrame_GetFrameObject(prev);
    return Py_XNewRef((PyObject *)back);
}

static PyObject *
frame_get_code(PyObject *self, void *c)
{
    return Py_NewRef(((PyFrameObject *)self)->f_frame->f_code);
}

static PyObject *
frame_get_globals(PyObject *self, void *c)
{
    return Py_NewRef(((PyFrameObject *)self)->f_frame->f_globals);
}

static PyObject *
frame_get_builtins(PyObject *self, void *c)
{
    return Py_NewRef(((PyFrameObject *)self)->f_frame->f_builtins);
}

static PyObject *
frame_get_locals(PyObject *self, void *c)
{
    PyObject *l = _PyFrame_GetLocals(((PyFrameObject *)self)->f_frame);
    return Py_XNewRef(l);
}

static PyObject *
frame_get_lineno(PyObject *self, void *c)
{
    PyFrameObject *f = (PyFrameObject *)self;
    int line = f->f_lineno > 0 && f->f_trace != NULL
                   ? f->f_lineno : _PyFrame_GetLineNumber(f->f_frame);
    if (line < 0) {
        Py_RETURN_NONE;
    }
    return PyLong_FromLong(line);
}

static PyObject *
frame_get_lasti(PyObject *self, void *c)
{
    int i = _PyFrame_LastInstr(((PyFrameObject *)self)->f_frame);
    return PyLong_FromLong(i < 0 ? -1 : i * 2);
}

static PyObject *
frame_get_trace(PyObject *self, void *c)
{
    PyObject *t = ((PyFrameObject *)self)->f_trace;
    return Py_NewRef(t != NULL ? t : Py_None);
}

static int
frame_set_trace(PyObject *self, PyObject *v, void *c)
{
    if (v == Py_None) {
        v = NULL;
    }
    Py_XSETREF(((PyFrameObject *)self)->f_trace, Py_XNewRef(v));
    return 0;
}

static PyGetSetDef frame_getset[] = {
    {"f_back", frame_get_back, NULL, NULL, NULL},
    {"f_code", frame_get_code, NULL, NULL, NULL},
    {"f_globals", frame_get_globals, NULL, NULL, NULL},
    {"f_builtins", frame_get_builtins, NULL, NULL, NULL},
    {"f_locals", frame_get_locals, NULL, NULL, NULL},
    {"f_lineno", frame_get_lineno, NULL, NULL, NULL},
    {"f_lasti", frame_get_lasti, NULL, NULL, NULL},
    {"f_trace", frame_get_trace, frame_set_trace, NULL, NULL},
    {NULL}
};

static void
frame_dealloc(PyObject *self)
{
    PyFrameObject *f = (PyFrameObject *)self;
    PyObject_GC_UnTrack(self);
    if (f->f_frame != NULL
        && f->f_frame->owner == FRAME_OWNED_BY_FRAME_OBJECT) {
        _PyInterpreterFrame *frame = f->f_frame;
        for (int i = 0; i < frame->stacktop; i++) {
            _PyStackRef_XClose(frame->localsplus[i]);
        }
        Py_XDECREF(frame->f_locals);
        _PyStackRef_XClose(frame->f_funcobj);
    }
    Py_XDECREF(f->f_back);
    Py_XDECREF(f->f_trace);
    PyObject_GC_Del(self);
}

static int
frame_traverse(PyObject *self, visitproc visit, void *arg)
{
    PyFrameObject *f = (PyFrameObject *)self;
    Py_VISIT(f->f_back);
    Py_VISIT(f->f_trace);
    if (f->f_frame != NULL
        && f->f_frame->owner == FRAME_OWNED_BY_FRAME_OBJECT) {
        return _PyFrame_Traverse(f->f_frame, visit, arg);
    }
    return 0;
}

static PyObject *
frame_repr(PyObject *self)
{
    PyFrameObject *f = (PyFrameObject *)self;
    PyCodeObject *co = f->f_frame->f_code;
    return PyUnicode_FromFormat("<frame at %p, file %R, line %d, code %S>",
                                self, co->co_filename,
                                PyFrame_GetLineNumber(f), co->co_name);
}

static PyObject *
frame_clear(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    PyFrameObject *f = (PyFrameObject *)self;
    if (f->f_frame->owner == FRAME_OWNED_BY_FRAME_OBJECT) {
        _PyInterpreterFrame *frame = f->f_frame;
        for (int i = 0; i < frame->stacktop; i++) {
            _PyStackRef_XClose(frame->localsplus[i]);
            frame->localsplus[i] = _PyStackRef_NULL;
        }
        Py_CLEAR(frame->f_locals);
        Py_RETURN_NONE;
    }
    if (f->f_frame->owner == FRAME_OWNED_BY_GENERATOR) {
        PyGenObject *gen = _PyGen_FromFrame(f->f_frame);
        if (_Py_atomic_load_int8_relaxed(&gen->gi_frame_state)
            == FRAME_EXECUTING) {
            PyErr_SetString(PyExc_RuntimeError,
                            "cannot clear an executing frame");
            return NULL;
        }
        PyObject *r = PyObject_CallMethodNoArgs((PyObject *)gen,
                                                _Py_STR(close));
        Py_XDECREF(r);
        if (r == NULL) {
            return NULL;
        }
        Py_RETURN_NONE;
    }
    PyErr_SetString(PyExc_RuntimeError, "cannot clear an executing frame");
    return NULL;
}

static PyMethodDef frame_methods[] = {
    {"clear", frame_clear, METH_NOARGS, NULL},
    {NULL}
};

PyTypeObject PyFrame_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "frame",
    .tp_basicsize = offsetof(PyFrameObject, _f_frame_data),
    .tp_itemsize = sizeof(PyObject *),
    .tp_dealloc = frame_dealloc,
    .tp_repr = frame_repr,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_setattro = PyObject_GenericSetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_traverse = frame_traverse,
    .tp_methods = frame_methods,
    .tp_getset = frame_getset,
};

/* ---- the C API ---- */

int
PyFrame_GetLineNumber(PyFrameObject *f)
{
    if (f->f_trace != NULL && f->f_lineno > 0) {
        return f->f_lineno;
    }
    return _PyFrame_GetLineNumber(f->f_frame);
}

PyCodeObject *
PyFrame_GetCode(PyFrameObject *frame)
{
    return (PyCodeObject *)Py_NewRef(frame->f_frame->f_code);
}

PyFrameObject *
PyFrame_GetBack(PyFrameObject *frame)
{
    PyObject *b = frame_get_back((PyObject *)frame, NULL);
    if (b == Py_None) {
        Py_DECREF(b);
        return NULL;
    }
    return (PyFrameObject *)b;
}

PyObject *
PyFrame_GetLocals(PyFrameObject *frame)
{
    return frame_get_locals((PyObject *)frame, NULL);
}

PyObject *
PyFrame_GetGlobals(PyFrameObject *frame)
{
    return frame_get_globals((PyObject *)frame, NULL);
}

PyObject *
PyFrame_GetBuiltins(PyFrameObject *frame)
{
    return frame_get_builtins((PyObject *)frame, NULL);
}

PyObject *
PyFrame_GetGenerator(PyFrameObject *frame)
{
    if (frame->f_frame->owner != FRAME_OWNED_BY_GENERATOR) {
        return NULL;
    }
    return Py_NewRef((PyObject *)_PyGen_FromFrame(frame->f_frame));
}

int
PyFrame_GetLasti(PyFrameObject *frame)
{
    int i = _PyFrame_LastInstr(frame->f_frame);
    return i < 0 ? -1 : i * 2;
}

int
PyFrame_FastToLocalsWithError(PyFrameObject *f)
{
    return _PyFrame_GetLocals(f->f_frame) == NULL ? -1 : 0;
}

void
PyFrame_FastToLocals(PyFrameObject *f)
{
    if (PyFrame_FastToLocalsWithError(f) < 0) {
        PyErr_Clear();
    }
}

void
PyFrame_LocalsToFast(PyFrameObject *f, int clear)
{
    /* Writes to f_locals do not flow back into fast locals (3.11 does
       this only for tracing functions; not supported yet). */
}
