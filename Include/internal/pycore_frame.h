/* Interpreter frames (Python/ceval.c, Objects/frameobject.c).
 *
 * A call's frame lives on its thread's data stack (a list of chunks), not
 * in an object: pushing one is a bump of datastack_top.  A frame object
 * (PyFrameObject) is made only when someone asks for one
 * (sys._getframe, a traceback, f_back); if the frame ends while its frame
 * object lives, the frame's data is copied into the frame object.  A
 * generator's frame lives inside the generator object.
 *
 * Only the thread running a frame touches it, with one exception: the GC
 * reads frames with the world stopped.  Slots follow the rules of
 * Include/internal/pycore_stackref.h (tag bit = uncounted reference to a
 * deferred or immortal object); f_funcobj is such a slot too, and f_code
 * is always uncounted (code objects are deferred: the GC counts this
 * field). */
#ifndef Py_INTERNAL_FRAME_H
#define Py_INTERNAL_FRAME_H
#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE define"
#endif

#include "pycore_stackref.h"
#include "pycore_code.h"
#include "frameobject.h"
#include "funcobject.h"

enum _frameowner {
    FRAME_OWNED_BY_THREAD = 0,
    FRAME_OWNED_BY_GENERATOR = 1,
    FRAME_OWNED_BY_FRAME_OBJECT = 2,
    FRAME_OWNED_BY_CSTACK = 3       /* a C-level shim frame */
};

typedef struct _PyInterpreterFrame {
    PyCodeObject *f_code;           /* uncounted (deferred), see above */
    struct _PyInterpreterFrame *previous;
    _PyStackRef f_funcobj;          /* the function being run */
    PyObject *f_globals;            /* borrowed from the function */
    PyObject *f_builtins;           /* borrowed from the function */
    PyObject *f_locals;             /* owned or NULL (module/class body) */
    PyFrameObject *frame_obj;       /* owned or NULL */
    /* The instruction being executed, or the last one executed when the
       frame is suspended (calls, yields): execution resumes at
       prev_instr + 1.  Before the first instruction it is
       _PyCode_CODE(f_code) - 1. */
    _PyCodeUnitWord *prev_instr;
    int stacktop;                   /* localsplus index past the last value */
    char owner;                     /* enum _frameowner */
    char is_entry;                  /* returns to C when it ends */
    /* Fast locals (co_nlocalsplus), then the value stack
       (co_stacksize). */
    _PyStackRef localsplus[1];
} _PyInterpreterFrame;

/* Pointer slots of a frame's fixed part. */
#define _PyFrame_SPECIALS_SIZE \
    ((int)((offsetof(_PyInterpreterFrame, localsplus) + sizeof(PyObject *) \
            - 1) / sizeof(PyObject *)))

static inline _PyStackRef *
_PyFrame_Stackbase(_PyInterpreterFrame *f)
{
    return f->localsplus + f->f_code->co_nlocalsplus;
}

static inline PyObject *
_PyFrame_GetFunction(_PyInterpreterFrame *f)
{
    return _PyStackRef_AsPyObjectBorrow(f->f_funcobj);
}

/* Index (in code units) of the instruction the frame is at. */
static inline int
_PyFrame_LastInstr(_PyInterpreterFrame *f)
{
    return (int)(f->prev_instr - _PyCode_CODE(f->f_code));
}

/* A frame that has begun and not finished (a just-pushed frame or a
   generator that never ran counts as incomplete: no line yet). */
static inline int
_PyFrame_IsIncomplete(_PyInterpreterFrame *f)
{
    return f->owner != FRAME_OWNED_BY_GENERATOR
           && f->prev_instr < _PyCode_CODE(f->f_code);
}

/* Fills the fixed part of FRAME for FUNC (whose reference REF steals);
   locals and stack are set to NULL. */
static inline void
_PyFrame_Initialize(_PyInterpreterFrame *frame, _PyStackRef func,
                    PyObject *locals, PyCodeObject *code, int null_locals_from)
{
    PyObject *f = _PyStackRef_AsPyObjectBorrow(func);
    frame->f_funcobj = func;
    frame->f_code = code;
    frame->f_globals = ((PyFunctionObject *)f)->func_globals;
    frame->f_builtins = ((PyFunctionObject *)f)->func_builtins;
    frame->f_locals = locals;
    frame->frame_obj = NULL;
    frame->stacktop = code->co_nlocalsplus;
    frame->prev_instr = _PyCode_CODE(code) - 1;
    frame->owner = FRAME_OWNED_BY_THREAD;
    frame->is_entry = 0;
    frame->previous = NULL;
    for (int i = null_locals_from; i < code->co_nlocalsplus; i++) {
        frame->localsplus[i] = _PyStackRef_NULL;
    }
}

/* Releases everything FRAME owns (locals, stack, function, locals dict,
   and detaches its frame object, copying the data into it). */
PyAPI_FUNC(void) _PyFrame_Clear(_PyInterpreterFrame *frame);
/* Copies SRC's fixed part and live slots to DEST (moving references). */
PyAPI_FUNC(void) _PyFrame_Copy(_PyInterpreterFrame *src,
                               _PyInterpreterFrame *dest);
/* Borrowed: FRAME's frame object, made on first request (NULL with
   MemoryError). */
PyAPI_FUNC(PyFrameObject *) _PyFrame_GetFrameObject(
    _PyInterpreterFrame *frame);
/* The current line of FRAME (-1 when it has none yet). */
PyAPI_FUNC(int) _PyFrame_GetLineNumber(_PyInterpreterFrame *frame);
/* f_locals as a dict: builds or refreshes the frame's locals mapping from
   the fast locals (function frames) and returns it, borrowed. */
PyAPI_FUNC(PyObject *) _PyFrame_GetLocals(_PyInterpreterFrame *frame);
/* Visits every counted slot of FRAME (tagged slots are reported through
   VISIT too: the GC tells them apart with the tag of *SLOT). */
PyAPI_FUNC(int) _PyFrame_Traverse(_PyInterpreterFrame *frame,
                                  visitproc visit, void *arg);

/* The frame object's layout (Objects/frameobject.c). */
struct _frame {
    PyObject_HEAD
    PyFrameObject *f_back;          /* owned; set when the frame ended */
    _PyInterpreterFrame *f_frame;   /* the frame, wherever it lives */
    PyObject *f_trace;              /* owned or NULL */
    int f_lineno;                   /* only while tracing */
    char f_trace_lines;
    char f_trace_opcodes;
    char f_fast_as_locals;
    /* The frame's data when the frame object owns it. */
    PyObject *_f_frame_data[1];
};

/* New frame object that points at FRAME (not owning it). */
PyAPI_FUNC(PyFrameObject *) _PyFrame_New_NoTrack(PyCodeObject *code);

#endif /* !Py_INTERNAL_FRAME_H */
