/* Generators, coroutines and async generators, with CPython 3.11's
 * semantics (PEP 255, 342, 380, 479, 492, 525).
 *
 * Thread safety: see Include/internal/pycore_gen.h.  A generator is run
 * by whichever thread wins the compare-and-swap of gi_frame_state to
 * EXECUTING; the loser gets "generator already executing". */
#include "Python.h"
#include "pycore_ceval.h"
#include "pycore_gen.h"
#include "pycore_function.h"
#include "pycore_ceval_helpers.h"
#include "traceback.h"

static PyObject *gen_close(PyObject *self, PyObject *args);

static const char *
gen_kind(PyGenObject *gen)
{
    if (PyCoro_CheckExact(gen)) {
        return "coroutine";
    }
    if (PyAsyncGen_CheckExact(gen)) {
        return "async generator";
    }
    return "generator";
}

static int8_t
gen_state(PyGenObject *gen)
{
    return _Py_atomic_load_int8_acquire(&gen->gi_frame_state);
}

PyObject *
_Py_MakeCoro(PyFunctionObject *func, _PyInterpreterFrame *frame)
{
    PyCodeObject *co = frame->f_code;
    PyTypeObject *type = &PyGen_Type;
    if (co->co_flags & CO_COROUTINE) {
        type = &PyCoro_Type;
    }
    else if (co->co_flags & CO_ASYNC_GENERATOR) {
        type = &PyAsyncGen_Type;
    }
    PyGenObject *gen = (PyGenObject *)_PyObject_GC_NewVar(
        type, co->co_framesize);
    if (gen == NULL) {
        return NULL;
    }
    _PyInterpreterFrame *gf = _PyGen_GetFrame(gen);
    _PyFrame_Copy(frame, gf);
    gf->owner = FRAME_OWNED_BY_GENERATOR;
    gf->is_entry = 0;
    gf->previous = NULL;
    gen->gi_weakreflist = NULL;
    gen->gi_name = _PyFunction_LoadField(&func->func_name);
    gen->gi_qualname = _PyFunction_LoadField(&func->func_qualname);
    gen->gi_exc_state.exc_value = NULL;
    gen->gi_exc_state.previous_item = NULL;
    gen->gi_origin_or_finalizer = NULL;
    gen->gi_hooks_inited = 0;
    gen->gi_closed = 0;
    gen->gi_running_async = 0;
    gen->gi_frame_state = FRAME_CREATED;
    PyObject_GC_Track(gen);
    return (PyObject *)gen;
}

PyCodeObject *
PyGen_GetCode(PyGenObject *gen)
{
    return _PyGen_GetFrame(gen)->f_code;
}

PyObject *
PyGen_New(PyFrameObject *f)
{
    PyErr_SetString(PyExc_SystemError, "PyGen_New is not supported");
    return NULL;
}

PyObject *
PyGen_NewWithQualName(PyFrameObject *f, PyObject *name, PyObject *qualname)
{
    return PyGen_New(f);
}

int
_PyGen_SetStopIterationValue(PyObject *value)
{
    if (value == Py_None) {
        PyErr_SetNone(PyExc_StopIteration);
        return 0;
    }
    /* StopIteration(value), even when value is a tuple or exception. */
    PyObject *e = PyObject_CallOneArg(PyExc_StopIteration, value);
    if (e == NULL) {
        return -1;
    }
    PyErr_SetObject(PyExc_StopIteration, e);
    Py_DECREF(e);
    return 0;
}

int
_PyGen_FetchStopIterationValue(PyObject **pvalue)
{
    PyObject *value = NULL;
    if (PyErr_ExceptionMatches(PyExc_StopIteration)) {
        PyObject *exc = PyErr_GetRaisedException();
        value = Py_NewRef(((PyStopIterationObject *)exc)->value);
        Py_DECREF(exc);
    }
    else if (PyErr_Occurred()) {
        return -1;
    }
    if (value == NULL) {
        value = Py_NewRef(Py_None);
    }
    *pvalue = value;
    return 0;
}

/* PEP 479: StopIteration (and StopAsyncIteration in async generators)
   escaping the frame become RuntimeError. */
static void
convert_stop_iteration(PyThreadState *tstate, PyGenObject *gen)
{
    const char *msg = NULL;
    if (_PyErr_ExceptionMatches(tstate, PyExc_StopIteration)) {
        msg = PyCoro_CheckExact(gen) ? "coroutine raised StopIteration"
              : PyAsyncGen_CheckExact(gen)
                  ? "async generator raised StopIteration"
                  : "generator raised StopIteration";
    }
    else if (PyAsyncGen_CheckExact(gen)
             && _PyErr_ExceptionMatches(tstate,
                                        PyExc_StopAsyncIteration)) {
        msg = "async generator raised StopAsyncIteration";
    }
    if (msg != NULL) {
        _PyErr_FormatFromCause(PyExc_RuntimeError, "%s", msg);
    }
}

/* Runs the generator one step (see _PyGen_Send).  CLOSING: called from
   close()/finalization, where a finished coroutine is not an error. */
PySendResult
_PyGen_Send(PyGenObject *gen, PyObject *arg, PyObject **presult, int exc,
            int closing)
{
    PyThreadState *tstate = _PyThreadState_GET();
    _PyInterpreterFrame *frame = _PyGen_GetFrame(gen);
    *presult = NULL;
    int8_t state = gen_state(gen);
    for (;;) {
        if (state == FRAME_CREATED && arg != NULL && arg != Py_None
            && !exc) {
            _PyErr_Format(tstate, PyExc_TypeError,
                          "can't send non-None value to a just-started %s",
                          gen_kind(gen));
            return PYGEN_ERROR;
        }
        if (state == FRAME_EXECUTING) {
            _PyErr_Format(tstate, PyExc_ValueError, "%s already executing",
                          gen_kind(gen));
            return PYGEN_ERROR;
        }
        if (state >= FRAME_COMPLETED) {
            if (PyCoro_CheckExact(gen) && !closing) {
                _PyErr_SetString(tstate, PyExc_RuntimeError,
                                 "cannot reuse already awaited coroutine");
            }
            else if (arg != NULL && !exc) {
                *presult = Py_NewRef(Py_None);
                return PYGEN_RETURN;
            }
            return PYGEN_ERROR;
        }
        if (_Py_atomic_compare_exchange_int8(&gen->gi_frame_state, &state,
                                             FRAME_EXECUTING)) {
            break;
        }
    }
    PyObject *sent = arg != NULL ? arg : Py_None;
    frame->localsplus[frame->stacktop++] =
        _PyStackRef_FromPyObjectSteal(Py_NewRef(sent));

    struct _PyErr_ThreadState *es = _PyErr_GetState(tstate);
    gen->gi_exc_state.previous_item = es->exc_info;
    es->exc_info = &gen->gi_exc_state;

    PyObject *result = _PyEval_EvalFrame(tstate, frame, exc);

    es->exc_info = gen->gi_exc_state.previous_item;
    gen->gi_exc_state.previous_item = NULL;

    if (gen_state(gen) == FRAME_SUSPENDED) {
        *presult = result;
        return PYGEN_NEXT;
    }
    /* Finished: the eval loop cleared the frame. */
    Py_CLEAR(gen->gi_exc_state.exc_value);
    if (result != NULL) {
        *presult = result;
        return PYGEN_RETURN;
    }
    convert_stop_iteration(tstate, gen);
    return PYGEN_ERROR;
}

static PySendResult
gen_am_send(PyObject *self, PyObject *arg, PyObject **result)
{
    return _PyGen_Send((PyGenObject *)self, arg, result, 0, 0);
}

/* Runs one step and turns a return into StopIteration (or, for async
   generators, StopAsyncIteration). */
static PyObject *
gen_send_ex(PyGenObject *gen, PyObject *arg, int exc, int closing)
{
    PyObject *result;
    PySendResult r = _PyGen_Send(gen, arg, &result, exc, closing);
    if (r == PYGEN_RETURN) {
        if (PyAsyncGen_CheckExact(gen)) {
            Py_DECREF(result);
            PyErr_SetNone(PyExc_StopAsyncIteration);
        }
        else if (result == Py_None) {
            Py_DECREF(result);
            PyErr_SetNone(PyExc_StopIteration);
        }
        else {
            _PyGen_SetStopIterationValue(result);
            Py_DECREF(result);
        }
        return NULL;
    }
    return result;
}

static PyObject *
gen_iternext(PyObject *self)
{
    PyObject *result;
    PySendResult r = _PyGen_Send((PyGenObject *)self, NULL, &result, 0, 0);
    if (r == PYGEN_RETURN) {
        if (result != Py_None) {
            _PyGen_SetStopIterationValue(result);
        }
        Py_DECREF(result);
        return NULL;
    }
    return result;
}

static PyObject *
gen_send(PyObject *self, PyObject *arg)
{
    return gen_send_ex((PyGenObject *)self, arg, 0, 0);
}

PyObject *
_PyGen_Yf(PyGenObject *gen)
{
    if (gen_state(gen) != FRAME_SUSPENDED) {
        return NULL;
    }
    _PyInterpreterFrame *frame = _PyGen_GetFrame(gen);
    _PyCodeUnitWord *next = frame->prev_instr + 1;
    if (_PyCode_OPCODE(*frame->prev_instr) != YIELD_VALUE
        || _PyCode_OPCODE(*next) != RESUME || _PyCode_OPARG(*next) < 2) {
        return NULL;
    }
    return _PyStackRef_AsPyObjectBorrow(
        frame->localsplus[frame->stacktop - 1]);
}

/* Closes an iterator a generator delegates to. */
static int
gen_close_iter(PyObject *yf)
{
    PyObject *retval = NULL;
    if (PyGen_CheckExact(yf) || PyCoro_CheckExact(yf)) {
        retval = gen_close(yf, NULL);
        if (retval == NULL) {
            return -1;
        }
    }
    else {
        PyObject *meth;
        if (_PyObject_LookupAttr(yf, _Py_STR(close), &meth) < 0) {
            PyErr_WriteUnraisable(yf);
        }
        if (meth) {
            retval = PyObject_CallNoArgs(meth);
            Py_DECREF(meth);
            if (retval == NULL) {
                return -1;
            }
        }
    }
    Py_XDECREF(retval);
    return 0;
}

/* After the delegated-to iterator finished with VALUE during throw():
   leave the yield-from loop as SEND's exit does and resume with VALUE. */
static PyObject *
resume_after_delegation(PyGenObject *gen, PyObject *value)
{
    _PyInterpreterFrame *frame = _PyGen_GetFrame(gen);
    _PyCodeUnitWord *send = frame->prev_instr - 1;
    int oparg = _PyCode_OPARG(*send);
    int shift = 8;
    for (_PyCodeUnitWord *p = send - 1;
         p >= _PyCode_CODE(frame->f_code)
         && _PyCode_OPCODE(*p) == EXTENDED_ARG; p--) {
        oparg |= _PyCode_OPARG(*p) << shift;
        shift += 8;
    }
    _PyCodeUnitWord *target = send + 1 + oparg;
    /* The unit before the target is the loop's
       JUMP_BACKWARD_NO_INTERRUPT (no caches): resume at target. */
    frame->stacktop--;
    _PyStackRef_Close(frame->localsplus[frame->stacktop]);
    frame->prev_instr = target - 1;
    PyObject *res = gen_send_ex(gen, value, 0, 0);
    return res;
}

static PyObject *
gen_throw_exc(PyGenObject *gen, PyObject *exc_value, int close_on_genexit);

/* Throws the exception EXC_VALUE (stolen) into the generator. */
static PyObject *
throw_here(PyGenObject *gen, PyObject *exc_value)
{
    PyErr_SetRaisedException(exc_value);
    return gen_send_ex(gen, Py_None, 1, 0);
}

static PyObject *
gen_throw_exc(PyGenObject *gen, PyObject *exc_value, int close_on_genexit)
{
    PyObject *yf = _PyGen_Yf(gen);
    if (yf == NULL) {
        return throw_here(gen, exc_value);
    }
    Py_INCREF(yf);
    int8_t expect = FRAME_SUSPENDED;
    if (!_Py_atomic_compare_exchange_int8(&gen->gi_frame_state, &expect,
                                          FRAME_EXECUTING)) {
        Py_DECREF(yf);
        Py_DECREF(exc_value);
        PyErr_Format(PyExc_ValueError, "%s already executing",
                     gen_kind(gen));
        return NULL;
    }
    PyObject *ret = NULL;
    if (PyErr_GivenExceptionMatches(exc_value, PyExc_GeneratorExit)
        && close_on_genexit) {
        int err = gen_close_iter(yf);
        Py_DECREF(yf);
        _Py_atomic_store_int8_release(&gen->gi_frame_state,
                                      FRAME_SUSPENDED);
        if (err < 0) {
            Py_DECREF(exc_value);
            return gen_send_ex(gen, Py_None, 1, 0);
        }
        return throw_here(gen, exc_value);
    }
    if (PyGen_CheckExact(yf) || PyCoro_CheckExact(yf)) {
        ret = gen_throw_exc((PyGenObject *)yf, exc_value, close_on_genexit);
    }
    else {
        PyObject *meth;
        if (_PyObject_LookupAttr(yf, _Py_STR(throw), &meth) < 0) {
            Py_DECREF(yf);
            Py_DECREF(exc_value);
            _Py_atomic_store_int8_release(&gen->gi_frame_state,
                                          FRAME_SUSPENDED);
            return NULL;
        }
        if (meth == NULL) {
            Py_DECREF(yf);
            _Py_atomic_store_int8_release(&gen->gi_frame_state,
                                          FRAME_SUSPENDED);
            return throw_here(gen, exc_value);
        }
        ret = PyObject_CallOneArg(meth, exc_value);
        Py_DECREF(meth);
        Py_DECREF(exc_value);
    }
    Py_DECREF(yf);
    _Py_atomic_store_int8_release(&gen->gi_frame_state, FRAME_SUSPENDED);
    if (ret != NULL) {
        return ret;
    }
    PyObject *val;
    if (_PyGen_FetchStopIterationValue(&val) == 0) {
        ret = resume_after_delegation(gen, val);
        Py_DECREF(val);
        return ret;
    }
    /* The delegate raised: raise it inside the generator. */
    return gen_send_ex(gen, Py_None, 1, 0);
}

/* Normalizes throw()'s (type, value, tb) arguments into an instance. */
static PyObject *
make_throw_exception(PyObject *typ, PyObject *val, PyObject *tb)
{
    if (tb == Py_None) {
        tb = NULL;
    }
    else if (tb != NULL && !PyTraceBack_Check(tb)) {
        PyErr_SetString(PyExc_TypeError,
                        "throw() third argument must be a traceback object");
        return NULL;
    }
    PyObject *exc;
    if (PyExceptionClass_Check(typ)) {
        if (val == NULL || val == Py_None) {
            exc = PyObject_CallNoArgs(typ);
        }
        else if (PyExceptionInstance_Check(val)
                 && PyObject_IsInstance(val, typ) == 1) {
            exc = Py_NewRef(val);
        }
        else if (PyTuple_Check(val)) {
            exc = PyObject_Call(typ, val, NULL);
        }
        else {
            exc = PyObject_CallOneArg(typ, val);
        }
        if (exc != NULL && !PyExceptionInstance_Check(exc)) {
            /* a __new__ that returns something else */
            PyErr_Format(PyExc_TypeError,
                         "calling %R should have returned an instance of "
                         "BaseException, not %s", typ,
                         Py_TYPE(exc)->tp_name);
            Py_CLEAR(exc);
        }
        if (exc == NULL) {
            /* As CPython: an exception raised while making the instance
               is what gets thrown into the generator. */
            return PyErr_GetRaisedException();
        }
    }
    else if (PyExceptionInstance_Check(typ)) {
        if (val != NULL && val != Py_None) {
            PyErr_SetString(PyExc_TypeError,
                            "instance exception may not have a separate "
                            "value");
            return NULL;
        }
        exc = Py_NewRef(typ);
    }
    else {
        PyErr_Format(PyExc_TypeError,
                     "exceptions must be classes or instances deriving "
                     "from BaseException, not %s", Py_TYPE(typ)->tp_name);
        return NULL;
    }
    if (tb != NULL && PyException_SetTraceback(exc, tb) < 0) {
        Py_DECREF(exc);
        return NULL;
    }
    return exc;
}

static PyObject *
gen_throw(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (!_PyArg_CheckPositional("throw", nargs, 1, 3)) {
        return NULL;
    }
    PyObject *exc = make_throw_exception(args[0], nargs > 1 ? args[1] : NULL,
                                         nargs > 2 ? args[2] : NULL);
    if (exc == NULL) {
        return NULL;
    }
    return gen_throw_exc((PyGenObject *)self, exc, 1);
}

static PyObject *
gen_close(PyObject *self, PyObject *args)
{
    PyGenObject *gen = (PyGenObject *)self;
    int8_t state = gen_state(gen);
    if (state == FRAME_CREATED) {
        if (_Py_atomic_compare_exchange_int8(&gen->gi_frame_state, &state,
                                             FRAME_EXECUTING)) {
            _PyFrame_Clear(_PyGen_GetFrame(gen));
            _Py_atomic_store_int8_release(&gen->gi_frame_state,
                                          FRAME_CLEARED);
            Py_RETURN_NONE;
        }
    }
    if (state >= FRAME_COMPLETED) {
        Py_RETURN_NONE;
    }
    PyObject *yf = _PyGen_Yf(gen);
    int err = 0;
    if (yf != NULL) {
        Py_INCREF(yf);
        int8_t expect = FRAME_SUSPENDED;
        if (_Py_atomic_compare_exchange_int8(&gen->gi_frame_state, &expect,
                                             FRAME_EXECUTING)) {
            err = gen_close_iter(yf);
            _Py_atomic_store_int8_release(&gen->gi_frame_state,
                                          FRAME_SUSPENDED);
        }
        Py_DECREF(yf);
    }
    if (err == 0) {
        PyErr_SetNone(PyExc_GeneratorExit);
    }
    PyObject *retval = gen_send_ex(gen, Py_None, 1, 1);
    if (retval != NULL) {
        Py_DECREF(retval);
        PyErr_Format(PyExc_RuntimeError, "%s ignored GeneratorExit",
                     gen_kind(gen));
        return NULL;
    }
    if (PyErr_ExceptionMatches(PyExc_StopIteration)
        || PyErr_ExceptionMatches(PyExc_GeneratorExit)) {
        PyErr_Clear();
        Py_RETURN_NONE;
    }
    if (!PyErr_Occurred()) {
        Py_RETURN_NONE;
    }
    return NULL;
}

/* PEP 442 finalizer: close a suspended generator when it dies. */
static void
gen_finalize(PyObject *self)
{
    PyGenObject *gen = (PyGenObject *)self;
    int8_t state = gen_state(gen);
    if (state >= FRAME_COMPLETED) {
        return;
    }
    PyObject *exc = PyErr_GetRaisedException();
    if (PyCoro_CheckExact(self) && state == FRAME_CREATED) {
        if (PyErr_WarnFormat(PyExc_RuntimeWarning, 1,
                             "coroutine '%S' was never awaited",
                             gen->gi_qualname) < 0) {
            PyErr_WriteUnraisable(self);
        }
    }
    if (state == FRAME_CREATED) {
        PyObject *r = gen_close(self, NULL);
        Py_XDECREF(r);
    }
    else {
        PyObject *r = gen_close(self, NULL);
        if (r == NULL) {
            PyErr_WriteUnraisable(self);
        }
        Py_XDECREF(r);
    }
    PyErr_SetRaisedException(exc);
}

static void
gen_dealloc(PyObject *self)
{
    PyGenObject *gen = (PyGenObject *)self;
    PyObject_GC_UnTrack(self);
    if (PyObject_CallFinalizerFromDealloc(self)) {
        return;     /* resurrected */
    }
    PyObject_ClearWeakRefs(self);
    if (gen_state(gen) < FRAME_COMPLETED) {
        _PyFrame_Clear(_PyGen_GetFrame(gen));
    }
    Py_CLEAR(gen->gi_exc_state.exc_value);
    Py_CLEAR(gen->gi_name);
    Py_CLEAR(gen->gi_qualname);
    Py_CLEAR(gen->gi_origin_or_finalizer);
    PyObject_GC_Del(self);
}

static int
gen_traverse(PyObject *self, visitproc visit, void *arg)
{
    PyGenObject *gen = (PyGenObject *)self;
    Py_VISIT(gen->gi_name);
    Py_VISIT(gen->gi_qualname);
    Py_VISIT(gen->gi_exc_state.exc_value);
    Py_VISIT(gen->gi_origin_or_finalizer);
    if (gen_state(gen) < FRAME_COMPLETED) {
        return _PyFrame_Traverse(_PyGen_GetFrame(gen), visit, arg);
    }
    return 0;
}

static PyObject *
gen_repr(PyObject *self)
{
    PyGenObject *gen = (PyGenObject *)self;
    return PyUnicode_FromFormat("<%s object %S at %p>", gen_kind(gen),
                                gen->gi_qualname, self);
}

/* ---- attributes ---- */

static PyObject *
gen_get_name(PyObject *self, void *c)
{
    return Py_NewRef(((PyGenObject *)self)->gi_name);
}

static int
gen_set_name(PyObject *self, PyObject *value, void *c)
{
    if (value == NULL || !PyUnicode_Check(value)) {
        PyErr_SetString(PyExc_TypeError,
                        "__name__ must be set to a string object");
        return -1;
    }
    Py_XSETREF(((PyGenObject *)self)->gi_name, Py_NewRef(value));
    return 0;
}

static PyObject *
gen_get_qualname(PyObject *self, void *c)
{
    return Py_NewRef(((PyGenObject *)self)->gi_qualname);
}

static int
gen_set_qualname(PyObject *self, PyObject *value, void *c)
{
    if (value == NULL || !PyUnicode_Check(value)) {
        PyErr_SetString(PyExc_TypeError,
                        "__qualname__ must be set to a string object");
        return -1;
    }
    Py_XSETREF(((PyGenObject *)self)->gi_qualname, Py_NewRef(value));
    return 0;
}

static PyObject *
gen_get_frame(PyObject *self, void *c)
{
    PyGenObject *gen = (PyGenObject *)self;
    if (gen_state(gen) >= FRAME_COMPLETED) {
        Py_RETURN_NONE;
    }
    PyFrameObject *f = _PyFrame_GetFrameObject(_PyGen_GetFrame(gen));
    return Py_XNewRef((PyObject *)f);
}

static PyObject *
gen_get_running(PyObject *self, void *c)
{
    return PyBool_FromLong(gen_state((PyGenObject *)self)
                           == FRAME_EXECUTING);
}

static PyObject *
gen_get_suspended(PyObject *self, void *c)
{
    return PyBool_FromLong(gen_state((PyGenObject *)self)
                           == FRAME_SUSPENDED);
}

static PyObject *
gen_get_code(PyObject *self, void *c)
{
    return Py_NewRef((PyObject *)PyGen_GetCode((PyGenObject *)self));
}

static PyObject *
gen_get_yieldfrom(PyObject *self, void *c)
{
    PyObject *yf = _PyGen_Yf((PyGenObject *)self);
    return Py_NewRef(yf != NULL ? yf : Py_None);
}

static PyObject *
coro_get_origin(PyObject *self, void *c)
{
    PyObject *o = ((PyGenObject *)self)->gi_origin_or_finalizer;
    return Py_NewRef(o != NULL ? o : Py_None);
}

static PyObject *
ag_get_running(PyObject *self, void *c)
{
    return PyBool_FromLong(((PyGenObject *)self)->gi_running_async);
}

static PyGetSetDef gen_getset[] = {
    {"__name__", gen_get_name, gen_set_name, NULL, NULL},
    {"__qualname__", gen_get_qualname, gen_set_qualname, NULL, NULL},
    {"gi_frame", gen_get_frame, NULL, NULL, NULL},
    {"gi_running", gen_get_running, NULL, NULL, NULL},
    {"gi_suspended", gen_get_suspended, NULL, NULL, NULL},
    {"gi_code", gen_get_code, NULL, NULL, NULL},
    {"gi_yieldfrom", gen_get_yieldfrom, NULL, NULL, NULL},
    {NULL}
};

static PyGetSetDef coro_getset[] = {
    {"__name__", gen_get_name, gen_set_name, NULL, NULL},
    {"__qualname__", gen_get_qualname, gen_set_qualname, NULL, NULL},
    {"cr_frame", gen_get_frame, NULL, NULL, NULL},
    {"cr_running", gen_get_running, NULL, NULL, NULL},
    {"cr_suspended", gen_get_suspended, NULL, NULL, NULL},
    {"cr_code", gen_get_code, NULL, NULL, NULL},
    {"cr_await", gen_get_yieldfrom, NULL, NULL, NULL},
    {"cr_origin", coro_get_origin, NULL, NULL, NULL},
    {NULL}
};

static PyGetSetDef ag_getset[] = {
    {"__name__", gen_get_name, gen_set_name, NULL, NULL},
    {"__qualname__", gen_get_qualname, gen_set_qualname, NULL, NULL},
    {"ag_frame", gen_get_frame, NULL, NULL, NULL},
    {"ag_running", ag_get_running, NULL, NULL, NULL},
    {"ag_suspended", gen_get_suspended, NULL, NULL, NULL},
    {"ag_code", gen_get_code, NULL, NULL, NULL},
    {"ag_await", gen_get_yieldfrom, NULL, NULL, NULL},
    {NULL}
};

static PyMethodDef gen_methods[] = {
    {"send", gen_send, METH_O, NULL},
    {"throw", _PyCFunction_CAST(gen_throw), METH_FASTCALL, NULL},
    {"close", gen_close, METH_NOARGS, NULL},
    {NULL}
};

static PyAsyncMethods gen_as_async = {
    .am_send = gen_am_send,
};

PyTypeObject PyGen_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "generator",
    .tp_basicsize = offsetof(PyGenObject, gi_iframe),
    .tp_itemsize = sizeof(PyObject *),
    .tp_dealloc = gen_dealloc,
    .tp_as_async = &gen_as_async,
    .tp_repr = gen_repr,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_traverse = gen_traverse,
    .tp_weaklistoffset = offsetof(PyGenObject, gi_weakreflist),
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = gen_iternext,
    .tp_methods = gen_methods,
    .tp_getset = gen_getset,
    .tp_finalize = gen_finalize,
};

/* ------------------------------------------------------------------ */
/* Coroutines: awaitable; __await__ returns a wrapper iterator. */

typedef struct {
    PyObject_HEAD
    PyGenObject *cw_coroutine;
} PyCoroWrapper;

static PyObject *
coro_await(PyObject *coro)
{
    PyCoroWrapper *cw = PyObject_GC_New(PyCoroWrapper, &_PyCoroWrapper_Type);
    if (cw == NULL) {
        return NULL;
    }
    cw->cw_coroutine = (PyGenObject *)Py_NewRef(coro);
    PyObject_GC_Track(cw);
    return (PyObject *)cw;
}

static PyMethodDef coro_methods[] = {
    {"send", gen_send, METH_O, NULL},
    {"throw", _PyCFunction_CAST(gen_throw), METH_FASTCALL, NULL},
    {"close", gen_close, METH_NOARGS, NULL},
    {NULL}
};

static PyAsyncMethods coro_as_async = {
    .am_await = coro_await,
    .am_send = gen_am_send,
};

PyTypeObject PyCoro_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "coroutine",
    .tp_basicsize = offsetof(PyGenObject, gi_iframe),
    .tp_itemsize = sizeof(PyObject *),
    .tp_dealloc = gen_dealloc,
    .tp_as_async = &coro_as_async,
    .tp_repr = gen_repr,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_traverse = gen_traverse,
    .tp_weaklistoffset = offsetof(PyGenObject, gi_weakreflist),
    .tp_methods = coro_methods,
    .tp_getset = coro_getset,
    .tp_finalize = gen_finalize,
};

static void
cw_dealloc(PyObject *self)
{
    PyObject_GC_UnTrack(self);
    Py_CLEAR(((PyCoroWrapper *)self)->cw_coroutine);
    PyObject_GC_Del(self);
}

static int
cw_traverse(PyObject *self, visitproc visit, void *arg)
{
    Py_VISIT(((PyCoroWrapper *)self)->cw_coroutine);
    return 0;
}

static PyObject *
cw_iternext(PyObject *self)
{
    return gen_iternext((PyObject *)((PyCoroWrapper *)self)->cw_coroutine);
}

static PyObject *
cw_send(PyObject *self, PyObject *arg)
{
    return gen_send((PyObject *)((PyCoroWrapper *)self)->cw_coroutine, arg);
}

static PyObject *
cw_throw(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    return gen_throw((PyObject *)((PyCoroWrapper *)self)->cw_coroutine,
                     args, nargs);
}

static PyObject *
cw_close(PyObject *self, PyObject *args)
{
    return gen_close((PyObject *)((PyCoroWrapper *)self)->cw_coroutine,
                     args);
}

static PyMethodDef cw_methods[] = {
    {"send", cw_send, METH_O, NULL},
    {"throw", _PyCFunction_CAST(cw_throw), METH_FASTCALL, NULL},
    {"close", cw_close, METH_NOARGS, NULL},
    {NULL}
};

PyTypeObject _PyCoroWrapper_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "coroutine_wrapper",
    .tp_basicsize = sizeof(PyCoroWrapper),
    .tp_dealloc = cw_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_traverse = cw_traverse,
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = cw_iternext,
    .tp_methods = cw_methods,
};

PyObject *
_PyCoro_GetAwaitableIter(PyObject *o)
{
    PyTypeObject *ot = Py_TYPE(o);
    if (PyCoro_CheckExact(o)) {
        return Py_NewRef(o);
    }
    if (PyGen_CheckExact(o)
        && (PyGen_GetCode((PyGenObject *)o)->co_flags
            & CO_ITERABLE_COROUTINE)) {
        return Py_NewRef(o);
    }
    unaryfunc getter = ot->tp_as_async ? ot->tp_as_async->am_await : NULL;
    if (getter == NULL) {
        PyErr_Format(PyExc_TypeError,
                     "object %.100s can't be used in 'await' expression",
                     ot->tp_name);
        return NULL;
    }
    PyObject *res = getter(o);
    if (res == NULL) {
        return NULL;
    }
    if (PyCoro_CheckExact(res)
        || (PyGen_CheckExact(res)
            && (PyGen_GetCode((PyGenObject *)res)->co_flags
                & CO_ITERABLE_COROUTINE))) {
        PyErr_SetString(PyExc_TypeError,
                        "__await__() returned a coroutine");
        Py_DECREF(res);
        return NULL;
    }
    if (!PyIter_Check(res)) {
        PyErr_Format(PyExc_TypeError,
                     "__await__() returned non-iterator of type '%.100s'",
                     Py_TYPE(res)->tp_name);
        Py_DECREF(res);
        return NULL;
    }
    return res;
}

/* ------------------------------------------------------------------ */
/* Async generators: __anext__/asend return an awaitable (asend object)
   that runs the generator until it yields a wrapped value. */

typedef struct {
    PyObject_HEAD
    PyObject *agw_val;
} _PyAsyncGenWrappedValue;

PyObject *
_PyAsyncGenValueWrapperNew(PyObject *val)
{
    _PyAsyncGenWrappedValue *o = PyObject_GC_New(
        _PyAsyncGenWrappedValue, &_PyAsyncGenWrappedValue_Type);
    if (o == NULL) {
        return NULL;
    }
    o->agw_val = Py_NewRef(val);
    PyObject_GC_Track(o);
    return (PyObject *)o;
}

static void
agw_dealloc(PyObject *self)
{
    PyObject_GC_UnTrack(self);
    Py_CLEAR(((_PyAsyncGenWrappedValue *)self)->agw_val);
    PyObject_GC_Del(self);
}

static int
agw_traverse(PyObject *self, visitproc visit, void *arg)
{
    Py_VISIT(((_PyAsyncGenWrappedValue *)self)->agw_val);
    return 0;
}

PyTypeObject _PyAsyncGenWrappedValue_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "async_generator_wrapped_value",
    .tp_basicsize = sizeof(_PyAsyncGenWrappedValue),
    .tp_dealloc = agw_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_traverse = agw_traverse,
};

enum { AWAITABLE_INIT, AWAITABLE_ITER, AWAITABLE_CLOSED };

/* asend and athrow share one layout. */
typedef struct {
    PyObject_HEAD
    PyGenObject *ags_gen;
    PyObject *ags_sendval;      /* asend: value; athrow: args or NULL */
    int ags_state;
    int ags_is_athrow;
} PyAsyncGenASend;

/* Unwraps what the async generator produced: a wrapped value ends the
   awaitable with StopIteration(value); anything else is passed up. */
static PyObject *
unwrap_value(PyGenObject *gen, PyObject *result)
{
    if (result == NULL) {
        if (!PyErr_Occurred()) {
            PyErr_SetNone(PyExc_StopAsyncIteration);
        }
        if (PyErr_ExceptionMatches(PyExc_StopAsyncIteration)
            || PyErr_ExceptionMatches(PyExc_GeneratorExit)) {
            gen->gi_closed = 1;
        }
        gen->gi_running_async = 0;
        return NULL;
    }
    if (Py_IS_TYPE(result, &_PyAsyncGenWrappedValue_Type)) {
        _PyGen_SetStopIterationValue(
            ((_PyAsyncGenWrappedValue *)result)->agw_val);
        Py_DECREF(result);
        gen->gi_running_async = 0;
        return NULL;
    }
    return result;
}

static PyObject *
asend_send(PyObject *self, PyObject *arg)
{
    PyAsyncGenASend *o = (PyAsyncGenASend *)self;
    if (o->ags_state == AWAITABLE_CLOSED) {
        PyErr_SetString(PyExc_RuntimeError,
                        o->ags_is_athrow
                            ? "cannot reuse already awaited aclose()/athrow()"
                            : "cannot reuse already awaited __anext__()/asend()");
        return NULL;
    }
    PyGenObject *gen = o->ags_gen;
    if (o->ags_state == AWAITABLE_INIT) {
        if (gen->gi_running_async) {
            PyErr_SetString(PyExc_RuntimeError,
                            o->ags_is_athrow
                                ? "athrow(): asynchronous generator is "
                                  "already running"
                                : "anext(): asynchronous generator is "
                                  "already running");
            return NULL;
        }
        if (arg == NULL || arg == Py_None) {
            arg = o->ags_sendval;
        }
        o->ags_state = AWAITABLE_ITER;
    }
    gen->gi_running_async = 1;
    PyObject *result;
    if (o->ags_is_athrow && arg == o->ags_sendval) {
        /* First step of athrow/aclose: throw into the generator. */
        PyObject *exc;
        if (o->ags_sendval == NULL) {
            if (gen->gi_closed || gen_state(gen) >= FRAME_COMPLETED) {
                o->ags_state = AWAITABLE_CLOSED;
                gen->gi_running_async = 0;
                PyErr_SetNone(PyExc_StopIteration);
                return NULL;
            }
            exc = PyObject_CallNoArgs(PyExc_GeneratorExit);
        }
        else {
            PyObject *a = o->ags_sendval;
            exc = make_throw_exception(
                PyTuple_GET_ITEM(a, 0),
                PyTuple_GET_SIZE(a) > 1 ? PyTuple_GET_ITEM(a, 1) : NULL,
                PyTuple_GET_SIZE(a) > 2 ? PyTuple_GET_ITEM(a, 2) : NULL);
        }
        if (exc == NULL) {
            gen->gi_running_async = 0;
            return NULL;
        }
        result = gen_throw_exc(gen, exc, 1);
    }
    else {
        result = gen_send_ex(gen, arg, 0, 0);
    }
    if (o->ags_is_athrow && o->ags_sendval == NULL) {
        /* aclose(): yielding a value is an error; finishing is fine. */
        if (result != NULL
            && Py_IS_TYPE(result, &_PyAsyncGenWrappedValue_Type)) {
            Py_DECREF(result);
            gen->gi_running_async = 0;
            o->ags_state = AWAITABLE_CLOSED;
            PyErr_SetString(PyExc_RuntimeError,
                            "async generator ignored GeneratorExit");
            return NULL;
        }
        if (result == NULL
            && (PyErr_ExceptionMatches(PyExc_StopAsyncIteration)
                || PyErr_ExceptionMatches(PyExc_GeneratorExit))) {
            PyErr_Clear();
            gen->gi_closed = 1;
            gen->gi_running_async = 0;
            o->ags_state = AWAITABLE_CLOSED;
            PyErr_SetNone(PyExc_StopIteration);
            return NULL;
        }
    }
    result = unwrap_value(gen, result);
    if (result == NULL) {
        o->ags_state = AWAITABLE_CLOSED;
    }
    return result;
}

static PyObject *
asend_iternext(PyObject *self)
{
    return asend_send(self, NULL);
}

static PyObject *
asend_throw(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    PyAsyncGenASend *o = (PyAsyncGenASend *)self;
    if (o->ags_state == AWAITABLE_CLOSED) {
        PyErr_SetString(PyExc_RuntimeError,
                        "cannot reuse already awaited __anext__()/asend()");
        return NULL;
    }
    PyObject *result = gen_throw((PyObject *)o->ags_gen, args, nargs);
    result = unwrap_value(o->ags_gen, result);
    if (result == NULL) {
        o->ags_state = AWAITABLE_CLOSED;
    }
    return result;
}

static PyObject *
asend_close(PyObject *self, PyObject *args)
{
    ((PyAsyncGenASend *)self)->ags_state = AWAITABLE_CLOSED;
    Py_RETURN_NONE;
}

static void
asend_dealloc(PyObject *self)
{
    PyAsyncGenASend *o = (PyAsyncGenASend *)self;
    PyObject_GC_UnTrack(self);
    Py_CLEAR(o->ags_gen);
    Py_CLEAR(o->ags_sendval);
    PyObject_GC_Del(self);
}

static int
asend_traverse(PyObject *self, visitproc visit, void *arg)
{
    PyAsyncGenASend *o = (PyAsyncGenASend *)self;
    Py_VISIT(o->ags_gen);
    Py_VISIT(o->ags_sendval);
    return 0;
}

static PyMethodDef asend_methods[] = {
    {"send", asend_send, METH_O, NULL},
    {"throw", _PyCFunction_CAST(asend_throw), METH_FASTCALL, NULL},
    {"close", asend_close, METH_NOARGS, NULL},
    {NULL}
};

static PyAsyncMethods asend_as_async = {
    .am_await = PyObject_SelfIter,
};

PyTypeObject _PyAsyncGenASend_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "async_generator_asend",
    .tp_basicsize = sizeof(PyAsyncGenASend),
    .tp_dealloc = asend_dealloc,
    .tp_as_async = &asend_as_async,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_traverse = asend_traverse,
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = asend_iternext,
    .tp_methods = asend_methods,
};

PyTypeObject _PyAsyncGenAThrow_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "async_generator_athrow",
    .tp_basicsize = sizeof(PyAsyncGenASend),
    .tp_dealloc = asend_dealloc,
    .tp_as_async = &asend_as_async,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_traverse = asend_traverse,
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = asend_iternext,
    .tp_methods = asend_methods,
};

static PyObject *
make_asend(PyGenObject *gen, PyObject *sendval, int athrow)
{
    PyAsyncGenASend *o = PyObject_GC_New(
        PyAsyncGenASend, athrow ? &_PyAsyncGenAThrow_Type
                                : &_PyAsyncGenASend_Type);
    if (o == NULL) {
        return NULL;
    }
    o->ags_gen = (PyGenObject *)Py_NewRef(gen);
    o->ags_sendval = Py_XNewRef(sendval);
    o->ags_state = AWAITABLE_INIT;
    o->ags_is_athrow = athrow;
    PyObject_GC_Track(o);
    return (PyObject *)o;
}

static PyObject *
ag_anext(PyObject *self)
{
    return make_asend((PyGenObject *)self, Py_None, 0);
}

static PyObject *
ag_asend(PyObject *self, PyObject *arg)
{
    return make_asend((PyGenObject *)self, arg, 0);
}

static PyObject *
ag_athrow(PyObject *self, PyObject *args)
{
    if (PyTuple_GET_SIZE(args) < 1 || PyTuple_GET_SIZE(args) > 3) {
        PyErr_Format(PyExc_TypeError,
                     "athrow expected at least 1 argument, got %zd",
                     PyTuple_GET_SIZE(args));
        return NULL;
    }
    return make_asend((PyGenObject *)self, args, 1);
}

static PyObject *
ag_aclose(PyObject *self, PyObject *args)
{
    return make_asend((PyGenObject *)self, NULL, 1);
}

static PyMethodDef ag_methods[] = {
    {"__class_getitem__", Py_GenericAlias, METH_O | METH_CLASS,
     "See PEP 585"},
    {"asend", ag_asend, METH_O, NULL},
    {"athrow", ag_athrow, METH_VARARGS, NULL},
    {"aclose", ag_aclose, METH_NOARGS, NULL},
    {NULL}
};

static PyAsyncMethods ag_as_async = {
    .am_aiter = PyObject_SelfIter,
    .am_anext = ag_anext,
};

PyTypeObject PyAsyncGen_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "async_generator",
    .tp_basicsize = offsetof(PyGenObject, gi_iframe),
    .tp_itemsize = sizeof(PyObject *),
    .tp_dealloc = gen_dealloc,
    .tp_as_async = &ag_as_async,
    .tp_repr = gen_repr,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_traverse = gen_traverse,
    .tp_weaklistoffset = offsetof(PyGenObject, gi_weakreflist),
    .tp_methods = ag_methods,
    .tp_getset = ag_getset,
    .tp_finalize = gen_finalize,
};

int
_PyGen_InitTypes(void)
{
    PyTypeObject *types[] = {
        &PyGen_Type, &PyCoro_Type, &PyAsyncGen_Type, &_PyCoroWrapper_Type,
        &_PyAsyncGenASend_Type, &_PyAsyncGenAThrow_Type,
        &_PyAsyncGenWrappedValue_Type,
    };
    for (size_t i = 0; i < Py_ARRAY_LENGTH(types); i++) {
        if (PyType_Ready(types[i]) < 0) {
            return -1;
        }
    }
    return 0;
}
