/* The eval loop: runs bytecode (Include/internal/pycore_opcode.h) in
 * frames on the thread's data stack.
 *
 * Dispatch: computed goto (GCC/Clang labels as values) with a table built
 * from the one opcode table by X-macro, or a switch when the compiler
 * lacks it.  The instruction bodies live in Python/ceval_opcodes.h; every
 * row of _PY_OPCODES must have a body there (a missing one does not
 * compile).
 *
 * Calls from Python to Python functions do not recurse in C: CALL pushes
 * the callee's frame and continues in the same loop; RETURN_VALUE pops it.
 * Only frames entered from C (is_entry) return from this function.
 *
 * Thread safety: a frame belongs to the thread running it.  Code objects
 * are shared read-only.  Globals and builtins are dicts read with their
 * own lock-free lookups.  Values loaded from shared places are either
 * counted references taken with a conditional increment (by the dict and
 * list APIs) or uncounted references to deferred objects
 * (Include/internal/pycore_stackref.h).  At every eval-breaker check the
 * frame's stack top is saved first, so a stop-the-world GC sees exact
 * frames. */
#define _GNU_SOURCE 1     /* pthread_getattr_np */
#include "Python.h"
#include "pycore_ceval.h"
#include "pycore_function.h"
#include "pycore_gen.h"
#include "pycore_critical_section.h"
#include "pycore_ceval_helpers.h"

#include <pthread.h>

#ifndef _Py_EVAL_STATE_IN_TSTATE
_Thread_local struct _PyEvalThreadState _Py_eval_tls
    __attribute__((tls_model("initial-exec")));
#endif

struct _PyEvalInterpState _Py_eval_interp;

/* ------------------------------------------------------------------ */
/* The frame stack. */

/* Makes a new chunk of at least SIZE slots after the current one. */
static int
push_chunk(struct _PyEvalThreadState *es, size_t size)
{
    size_t bytes = _PY_DATA_STACK_CHUNK_SIZE;
    size_t need = offsetof(_PyStackChunk, data) + size * sizeof(_PyStackRef);
    while (bytes < need) {
        bytes *= 2;
    }
    _PyStackChunk *chunk = PyMem_RawMalloc(bytes);
    if (chunk == NULL) {
        return -1;
    }
    chunk->previous = es->datastack_chunk;
    chunk->size = bytes;
    chunk->top = 0;
    if (es->datastack_chunk != NULL) {
        es->datastack_chunk->top =
            (size_t)(es->datastack_top - es->datastack_chunk->data);
    }
    es->datastack_chunk = chunk;
    es->datastack_top = chunk->data;
    es->datastack_limit = (_PyStackRef *)((char *)chunk + bytes);
    return 0;
}

_PyInterpreterFrame *
_PyThreadState_PushFrame(PyThreadState *tstate, size_t size)
{
    struct _PyEvalThreadState *es = _PyEval_GetThreadState(tstate);
    _PyStackRef *top = es->datastack_top;
    if (top == NULL || (size_t)(es->datastack_limit - top) < size) {
        if (push_chunk(es, size) < 0) {
            PyErr_NoMemory();
            return NULL;
        }
        top = es->datastack_top;
    }
    es->datastack_top = top + size;
    return (_PyInterpreterFrame *)top;
}

void
_PyThreadState_PopFrame(PyThreadState *tstate, _PyInterpreterFrame *frame)
{
    struct _PyEvalThreadState *es = _PyEval_GetThreadState(tstate);
    _PyStackRef *base = (_PyStackRef *)frame;
    _PyStackChunk *chunk = es->datastack_chunk;
    if (base == chunk->data && chunk->previous != NULL) {
        /* The frame was the first of its chunk: drop the chunk. */
        _PyStackChunk *prev = chunk->previous;
        PyMem_RawFree(chunk);
        es->datastack_chunk = prev;
        es->datastack_top = prev->data + prev->top;
        es->datastack_limit = (_PyStackRef *)((char *)prev + prev->size);
        return;
    }
    es->datastack_top = base;
}

/* Frees the frame stack of a thread state that runs no frame any more. */
void
_PyEval_ClearThreadState(struct _PyEvalThreadState *es)
{
    _PyStackChunk *chunk = es->datastack_chunk;
    while (chunk != NULL) {
        _PyStackChunk *prev = chunk->previous;
        PyMem_RawFree(chunk);
        chunk = prev;
    }
    es->datastack_chunk = NULL;
    es->datastack_top = NULL;
    es->datastack_limit = NULL;
    Py_CLEAR(es->trace_obj);
    Py_CLEAR(es->profile_obj);
}

/* ------------------------------------------------------------------ */
/* The C stack guard.  The limits come from the thread's stack bounds;
   RecursionError is raised with this much room left, and a fatal error
   only if C code goes on recursing past the hard limit. */

#define C_STACK_SOFT_MARGIN (256 * 1024)
#define C_STACK_HARD_MARGIN (64 * 1024)

static void
init_c_stack(struct _PyEvalThreadState *es)
{
    uintptr_t low = 0;
    pthread_attr_t attr;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
        void *addr;
        size_t size;
        if (pthread_attr_getstack(&attr, &addr, &size) == 0) {
            low = (uintptr_t)addr;
        }
        pthread_attr_destroy(&attr);
    }
    if (low == 0) {
        /* Unknown: assume 1 MiB below the current frame. */
        low = (uintptr_t)__builtin_frame_address(0) - 1024 * 1024;
    }
    es->c_stack_soft_limit = low + C_STACK_SOFT_MARGIN;
    es->c_stack_hard_limit = low + C_STACK_HARD_MARGIN;
    es->c_stack_init = 1;
}

int
_Py_CStackCheck(PyThreadState *tstate)
{
    struct _PyEvalThreadState *es = _PyEval_GetThreadState(tstate);
    if (!es->c_stack_init) {
        init_c_stack(es);
    }
    uintptr_t here = (uintptr_t)__builtin_frame_address(0);
    if (_Py_likely(here > es->c_stack_soft_limit)) {
        return 0;
    }
    if (here < es->c_stack_hard_limit) {
        Py_FatalError("C stack overflow");
    }
    /* Let the error be made with the remaining room. */
    uintptr_t saved = es->c_stack_soft_limit;
    es->c_stack_soft_limit = es->c_stack_hard_limit;
    PyErr_SetString(PyExc_RecursionError,
                    "maximum recursion depth exceeded");
    es->c_stack_soft_limit = saved;
    return 1;
}

/* ------------------------------------------------------------------ */
/* Frames ending. */

/* Clears FRAME when it leaves the eval loop for good and pops it off the
   data stack if the thread owns it. */
static void
clear_and_pop_frame(PyThreadState *tstate, _PyInterpreterFrame *frame)
{
    if (frame->owner == FRAME_OWNED_BY_THREAD) {
        _PyFrame_Clear(frame);
        _PyThreadState_PopFrame(tstate, frame);
    }
    else {
        PyGenObject *gen = _PyGen_FromFrame(frame);
        _Py_atomic_store_int8_release(&gen->gi_frame_state, FRAME_CLEARED);
        _PyFrame_Clear(frame);
    }
}

/* ------------------------------------------------------------------ */
/* Entry points. */

PyObject *
_PyEval_Vector(PyThreadState *tstate, PyFunctionObject *func,
               PyObject *locals, PyObject *const *args, size_t argcount,
               PyObject *kwnames)
{
    PyCodeObject *code = (PyCodeObject *)func->func_code;
    Py_ssize_t nkw = kwnames == NULL ? 0 : PyTuple_GET_SIZE(kwnames);
    Py_ssize_t total = (Py_ssize_t)argcount + nkw;
    _PyInterpreterFrame *frame = _PyThreadState_PushFrame(
        tstate, (size_t)code->co_framesize);
    if (frame == NULL) {
        return NULL;
    }
    _PyFrame_Initialize(frame,
                        _PyStackRef_FromPyObjectNew((PyObject *)func),
                        Py_XNewRef(locals), code, 0);
    /* The frame's value stack is free space: use it for the stolen
       argument references binding needs. */
    _PyStackRef small[8];
    _PyStackRef *refs = small;
    if (total > (Py_ssize_t)Py_ARRAY_LENGTH(small)) {
        refs = PyMem_Malloc(sizeof(_PyStackRef) * (size_t)total);
        if (refs == NULL) {
            clear_and_pop_frame(tstate, frame);
            PyErr_NoMemory();
            return NULL;
        }
    }
    for (Py_ssize_t i = 0; i < total; i++) {
        refs[i] = _PyStackRef_FromPyObjectNew(args[i]);
    }
    int r;
    if (nkw == 0 && (Py_ssize_t)argcount == code->co_argcount
        && code->co_kwonlyargcount == 0
        && !(code->co_flags & (CO_VARARGS | CO_VARKEYWORDS))) {
        for (Py_ssize_t i = 0; i < total; i++) {
            frame->localsplus[i] = refs[i];
        }
        r = 0;
    }
    else {
        r = _PyEval_BindArgs(tstate, func, frame->localsplus, refs,
                             (Py_ssize_t)argcount, kwnames);
    }
    if (refs != small) {
        PyMem_Free(refs);
    }
    if (r < 0) {
        clear_and_pop_frame(tstate, frame);
        return NULL;
    }
    return _PyEval_EvalFrame(tstate, frame, 0);
}

PyObject *
_PyEval_EvalCodeWithLocals(PyObject *co, PyObject *globals,
                           PyObject *locals, PyObject *closure)
{
    PyThreadState *tstate = _PyThreadState_GET();
    PyObject *builtins = NULL;
    if (PyDict_GetItemRef(globals, _Py_STR(__builtins__), &builtins) < 0) {
        return NULL;
    }
    if (builtins != NULL && PyModule_Check(builtins)) {
        PyObject *d = Py_NewRef(PyModule_GetDict(builtins));
        Py_SETREF(builtins, d);
    }
    if (builtins == NULL) {
        builtins = Py_NewRef(_PyEval_GetBuiltins(tstate));
    }
    PyFunctionObject *func = _PyFunction_New(co, globals, builtins, NULL);
    Py_DECREF(builtins);
    if (func == NULL) {
        return NULL;
    }
    if (closure != NULL) {
        func->func_closure = Py_NewRef(closure);
    }
    PyObject *res = _PyEval_Vector(tstate, func, locals, NULL, 0, NULL);
    Py_DECREF(func);
    return res;
}

PyObject *
PyEval_EvalCode(PyObject *co, PyObject *globals, PyObject *locals)
{
    if (globals == NULL || !PyDict_Check(globals)) {
        PyErr_SetString(PyExc_SystemError,
                        "PyEval_EvalCode: globals must be a dict");
        return NULL;
    }
    if (locals == NULL) {
        locals = globals;
    }
    int has = PyDict_Contains(globals, _Py_STR(__builtins__));
    if (has < 0) {
        return NULL;
    }
    if (has == 0) {
        PyObject *b = _PyEval_GetInterpState()->builtins_module;
        if (b != NULL
            && PyDict_SetItem(globals, _Py_STR(__builtins__), b) < 0) {
            return NULL;
        }
    }
    return _PyEval_EvalCodeWithLocals(co, globals, locals, NULL);
}

PyObject *
PyEval_EvalCodeEx(PyObject *co, PyObject *globals, PyObject *locals,
                  PyObject *const *args, int argc, PyObject *const *kwds,
                  int kwdc, PyObject *const *defs, int defc,
                  PyObject *kwdefs, PyObject *closure)
{
    PyThreadState *tstate = _PyThreadState_GET();
    PyObject *builtins = _PyEval_GetBuiltins(tstate);
    PyFunctionObject *func = _PyFunction_New(co, globals, builtins, NULL);
    if (func == NULL) {
        return NULL;
    }
    if (defc > 0) {
        PyObject *d = _PyTuple_FromArray(defs, defc);
        if (d == NULL) {
            Py_DECREF(func);
            return NULL;
        }
        func->func_defaults = d;
    }
    func->func_kwdefaults = Py_XNewRef(kwdefs);
    func->func_closure = Py_XNewRef(closure);
    PyObject *kwnames = NULL;
    PyObject **all = PyMem_Malloc(sizeof(PyObject *) * (argc + kwdc + 1));
    if (all == NULL) {
        Py_DECREF(func);
        return PyErr_NoMemory();
    }
    for (int i = 0; i < argc; i++) {
        all[i] = args[i];
    }
    if (kwdc > 0) {
        kwnames = PyTuple_New(kwdc);
        if (kwnames == NULL) {
            PyMem_Free(all);
            Py_DECREF(func);
            return NULL;
        }
        for (int i = 0; i < kwdc; i++) {
            PyTuple_SET_ITEM(kwnames, i, Py_NewRef(kwds[2 * i]));
            all[argc + i] = kwds[2 * i + 1];
        }
    }
    PyObject *res = _PyEval_Vector(tstate, func, locals, all, argc,
                                   kwnames);
    Py_XDECREF(kwnames);
    PyMem_Free(all);
    Py_DECREF(func);
    return res;
}

PyObject *
_PyEval_GetBuiltins(PyThreadState *tstate)
{
    _PyInterpreterFrame *frame = _PyThreadState_GetFrame(tstate);
    if (frame != NULL) {
        return frame->f_builtins;
    }
    return _PyEval_GetInterpState()->builtins;
}

PyObject *
PyEval_GetBuiltins(void)
{
    return _PyEval_GetBuiltins(_PyThreadState_GET());
}

PyObject *
PyEval_GetGlobals(void)
{
    _PyInterpreterFrame *f = _PyFrame_GetFirstComplete(
        _PyThreadState_GetFrame(_PyThreadState_GET()));
    return f == NULL ? NULL : f->f_globals;
}

PyObject *
PyEval_GetLocals(void)
{
    _PyInterpreterFrame *f = _PyFrame_GetFirstComplete(
        _PyThreadState_GetFrame(_PyThreadState_GET()));
    if (f == NULL) {
        PyErr_SetString(PyExc_SystemError, "frame does not exist");
        return NULL;
    }
    return _PyFrame_GetLocals(f);
}

PyFrameObject *
PyEval_GetFrame(void)
{
    _PyInterpreterFrame *f = _PyFrame_GetFirstComplete(
        _PyThreadState_GetFrame(_PyThreadState_GET()));
    if (f == NULL) {
        return NULL;
    }
    PyFrameObject *fo = _PyFrame_GetFrameObject(f);
    if (fo == NULL) {
        PyErr_Clear();
    }
    return fo;
}

const char *
PyEval_GetFuncName(PyObject *func)
{
    if (PyMethod_Check(func)) {
        return PyEval_GetFuncName(PyMethod_GET_FUNCTION(func));
    }
    if (PyFunction_Check(func)) {
        return PyUnicode_AsUTF8(((PyFunctionObject *)func)->func_name);
    }
    if (PyCFunction_Check(func)) {
        return ((PyCFunctionObject *)func)->m_ml->ml_name;
    }
    return Py_TYPE(func)->tp_name;
}

const char *
PyEval_GetFuncDesc(PyObject *func)
{
    if (PyMethod_Check(func) || PyFunction_Check(func)
        || PyCFunction_Check(func)) {
        return "()";
    }
    return " object";
}

PyObject *
PyEval_EvalFrame(PyFrameObject *f)
{
    return PyEval_EvalFrameEx(f, 0);
}

PyObject *
PyEval_EvalFrameEx(PyFrameObject *f, int throwflag)
{
    PyErr_SetString(PyExc_SystemError,
                    "PyEval_EvalFrameEx is not supported by Plait");
    return NULL;
}

int
Py_GetRecursionLimit(void)
{
    return _Py_GetRecursionLimit();
}

void
Py_SetRecursionLimit(int limit)
{
    _Py_SetRecursionLimit(limit);
}

int
Py_MakePendingCalls(void)
{
    return _PyEval_CheckBreaker(_PyThreadState_GET());
}

int
Py_AddPendingCall(int (*func)(void *), void *arg)
{
    /* TODO(signals): pending calls come with the signal module. */
    return -1;
}

/* ------------------------------------------------------------------ */
/* The loop. */

#if defined(__GNUC__) || defined(__clang__)
#  define USE_COMPUTED_GOTOS 1
#else
#  define USE_COMPUTED_GOTOS 0
#endif

/* Cache units per instruction, as constants for each body. */
enum {
#define CACHE_ENUM(NAME, POPS, PUSHES, JPUSHES, CACHES, FLAGS, FAMILY) \
    _CACHES_##NAME = (CACHES),
    _PY_OPCODES(CACHE_ENUM)
#undef CACHE_ENUM
};

/* Stack access. */
#define STACK_LEVEL() ((int)(stack_pointer - _PyFrame_Stackbase(frame)))
#define TOP() (stack_pointer[-1])
#define SECOND() (stack_pointer[-2])
#define THIRD() (stack_pointer[-3])
#define PEEK(n) (stack_pointer[-(n)])
#define SET_TOP(v) (stack_pointer[-1] = (v))
#define SET_SECOND(v) (stack_pointer[-2] = (v))
#define POKE(n, v) (stack_pointer[-(n)] = (v))
#define PUSH(v) (*stack_pointer++ = (v))
#define POP() (*--stack_pointer)
#define STACK_SHRINK(n) (stack_pointer -= (n))
#define STACK_GROW(n) (stack_pointer += (n))
#define BORROW(ref) _PyStackRef_AsPyObjectBorrow(ref)
#define STEAL(ref) _PyStackRef_AsPyObjectSteal(ref)
#define CLOSE(ref) _PyStackRef_Close(ref)
#define XCLOSE(ref) _PyStackRef_XClose(ref)
#define NEWREF(o) _PyStackRef_FromPyObjectSteal(o)
#define PUSH_OBJ(o) PUSH(NEWREF(o))
#define GETLOCAL(i) (frame->localsplus[(i)])

#define JUMPBY(n) (next_instr += (n))
#define JUMPTO(i) (next_instr = first_instr + (i))

#define SAVE_FRAME_STATE()                                              \
    do {                                                                \
        frame->stacktop = (int)(stack_pointer - frame->localsplus);     \
    } while (0)

#define LOAD_FRAME_STATE()                                              \
    do {                                                                \
        first_instr = _PyCode_CODE(frame->f_code);                      \
        next_instr = frame_resume_point(frame);                         \
        stack_pointer = frame->localsplus + frame->stacktop;            \
        consts = frame->f_code->co_consts;                              \
        names = frame->f_code->co_names;                                \
    } while (0)

#define CHECK_EVAL_BREAKER()                                            \
    do {                                                                \
        _PyThreadStateImpl *ts_ = (_PyThreadStateImpl *)tstate;         \
        if (_Py_atomic_load_uintptr_relaxed(&ts_->eval_breaker) != 0) { \
            SAVE_FRAME_STATE();                                         \
            if (_PyEval_HandleBreaker(tstate) < 0) {                    \
                goto error;                                             \
            }                                                           \
        }                                                               \
    } while (0)

#define GETITEM(tuple, i) PyTuple_GET_ITEM((tuple), (i))

/* Where a frame continues: after the instruction at prev_instr and its
   cache units. */
static inline _PyCodeUnitWord *
frame_resume_point(_PyInterpreterFrame *frame)
{
    _PyCodeUnitWord *first = _PyCode_CODE(frame->f_code);
    if (frame->prev_instr < first) {
        return first;
    }
    int op = _PyCode_OPCODE(*frame->prev_instr);
    return frame->prev_instr + 1 + _PyOpcode_Caches[op];
}

#if USE_COMPUTED_GOTOS
#  define TARGET(op) TARGET_##op: JUMPBY(_CACHES_##op);
#  define DISPATCH()                                                    \
    do {                                                                \
        frame->prev_instr = next_instr;                                 \
        _PyCodeUnitWord word_ = *next_instr++;                          \
        opcode = _PyCode_OPCODE(word_);                                 \
        oparg = _PyCode_OPARG(word_);                                   \
        goto *opcode_targets[opcode];                                   \
    } while (0)
#  define DISPATCH_SAME_OPARG()                                         \
    do {                                                                \
        goto *opcode_targets[opcode];                                   \
    } while (0)
#else
#  define TARGET(op) case op: TARGET_##op: JUMPBY(_CACHES_##op);
#  define DISPATCH() goto dispatch
#endif

PyObject *
_PyEval_EvalFrame(PyThreadState *tstate, _PyInterpreterFrame *frame,
                  int throwflag)
{
#if USE_COMPUTED_GOTOS
    /* Every entry defaults to _unknown_opcode; the table's rows override
       theirs. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
    static void *const opcode_targets[256] = {
        [0 ... 255] = &&_unknown_opcode,
#define TARGET_ENTRY(NAME, POPS, PUSHES, JPUSHES, CACHES, FLAGS, FAMILY) \
        [NAME] = &&TARGET_##NAME,
        _PY_OPCODES(TARGET_ENTRY)
#undef TARGET_ENTRY
    };
#pragma GCC diagnostic pop
#endif
    struct _PyEvalThreadState *es = _PyEval_GetThreadState(tstate);
    _PyCodeUnitWord *first_instr;
    _PyCodeUnitWord *next_instr;
    _PyStackRef *stack_pointer;
    PyObject *consts;
    PyObject *names;
    int opcode;
    int oparg;
    PyObject *kwnames = NULL;       /* borrowed from co_consts */
    /* Set by RERAISE: the instruction whose handler must be looked up,
       since RERAISE moves prev_instr back to the original raise point
       (for f_lasti and the lasti pushed for an outer handler). */
    _PyCodeUnitWord *unwind_from = NULL;

    if (_Py_CStackCheck(tstate)) {
        /* Not yet linked: the caller's frame stays current. */
        frame->previous = es->current_frame;
        es->current_frame = frame;
        frame->is_entry = 1;
        goto exit_unwind_nodepth;
    }
    frame->previous = es->current_frame;
    es->current_frame = frame;
    frame->is_entry = 1;

start_frame:
    if (_Py_EnterRecursiveCallTstate(tstate, "")) {
        goto exit_unwind_nodepth;
    }

    LOAD_FRAME_STATE();
    if (throwflag) {
        throwflag = 0;
        goto error;
    }
#if USE_COMPUTED_GOTOS
    DISPATCH();
#else
dispatch:
    {
        frame->prev_instr = next_instr;
        _PyCodeUnitWord word_ = *next_instr++;
        opcode = _PyCode_OPCODE(word_);
        oparg = _PyCode_OPARG(word_);
    }
dispatch_same_oparg:
    switch (opcode) {
#endif

#include "ceval_opcodes.h"

#if !USE_COMPUTED_GOTOS
    default:
        goto _unknown_opcode;
    }
#endif

_unknown_opcode:
    _PyErr_Format(tstate, PyExc_SystemError,
                  "%U:%d: unknown opcode %d",
                  frame->f_code->co_filename,
                  _PyFrame_GetLineNumber(frame), opcode);
    goto error;

error:
    kwnames = NULL;
    /* Record the frame in the traceback (as 3.11 does even for frames
       that then handle the exception). */
    if (!_PyFrame_IsIncomplete(frame)) {
        SAVE_FRAME_STATE();
        _PyTraceBack_AddFrame(frame);
    }

exception_unwind:
    {
        int lasti_index = (int)(frame->prev_instr - first_instr);
        int index = lasti_index;
        if (unwind_from != NULL) {
            index = (int)(unwind_from - first_instr);
            unwind_from = NULL;
        }
        int target, depth, lasti;
        if (index < 0
            || !_PyCode_FindHandler(frame->f_code, index, &target, &depth,
                                    &lasti)) {
            goto exit_unwind;
        }
        _PyStackRef *want = _PyFrame_Stackbase(frame) + depth;
        while (stack_pointer > want) {
            XCLOSE(POP());
        }
        if (lasti) {
            PyObject *l = PyLong_FromLong(lasti_index);
            if (l == NULL) {
                goto exit_unwind;
            }
            PUSH_OBJ(l);
        }
        PyObject *exc = _PyErr_GetRaisedException(tstate);
        PUSH_OBJ(exc);
        JUMPTO(target);
        DISPATCH();
    }

exit_unwind:
    while (stack_pointer > _PyFrame_Stackbase(frame)) {
        XCLOSE(POP());
    }
    SAVE_FRAME_STATE();
    _Py_LeaveRecursiveCallTstate(tstate);
exit_unwind_nodepth:
    {
        _PyInterpreterFrame *prev = frame->previous;
        int entry = frame->is_entry;
        es->current_frame = prev;
        clear_and_pop_frame(tstate, frame);
        if (entry) {
            return NULL;
        }
        frame = prev;
        LOAD_FRAME_STATE();
        goto error;
    }
}
