/* The code object's layout and the runtime's access to it
 * (Objects/codeobject.c).
 *
 * Thread safety: a code object is immutable after _PyCode_FromUnit (or
 * replace()) returns it.  Every thread reads every field without a lock.
 * The bytecode array co_code_adaptive is the one part meant to change
 * later (specialization, ARCHITECTURE section 8): the eval loop reads each
 * code unit with a single 16-bit load, and a future specializer must
 * write an instruction's cache units before the opcode (release store) so
 * that no thread sees a half-written instruction.  This round nothing
 * writes it.  Code objects have deferred reference counts: the eval loop
 * pushes them (and the functions made from them) without counting. */
#ifndef Py_INTERNAL_CODE_H
#define Py_INTERNAL_CODE_H
#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE define"
#endif

#include "code.h"
#include "pycore_opcode.h"

/* Kinds of a fast-locals slot (co_localspluskinds); the same values as
   the compiler's _PyLocals_KIND_*. */
#define CO_FAST_HIDDEN  0x10
#define CO_FAST_LOCAL   0x20
#define CO_FAST_CELL    0x40
#define CO_FAST_FREE    0x80
typedef unsigned char _PyLocals_Kind;

struct PyCodeObject {
    PyObject_VAR_HEAD               /* ob_size: number of code units */
    PyObject *co_consts;            /* tuple */
    PyObject *co_names;             /* tuple of interned str */
    PyObject *co_exceptiontable;    /* bytes */
    int co_flags;
    int co_argcount;
    int co_posonlyargcount;
    int co_kwonlyargcount;
    int co_stacksize;
    int co_firstlineno;
    int co_nlocalsplus;             /* locals + cells + free vars */
    int co_nlocals;                 /* len(co_varnames) */
    int co_ncellvars;
    int co_nfreevars;
    int co_framesize;               /* pointer slots a frame needs */
    int co_nargs_total;             /* args incl. *args and **kwargs */
    PyObject *co_localsplusnames;   /* tuple of interned str */
    PyObject *co_localspluskinds;   /* bytes */
    PyObject *co_filename;          /* str */
    PyObject *co_name;              /* str */
    PyObject *co_qualname;          /* str */
    PyObject *co_linetable;         /* bytes */
    PyObject *co_weakreflist;
    _PyCodeUnitWord co_code_adaptive[1];    /* ob_size units */
};

#define _PyCode_CODE(co) ((co)->co_code_adaptive)
#define _PyCode_NBYTES(co) (Py_SIZE(co) * (Py_ssize_t)sizeof(_PyCodeUnitWord))

static inline _PyLocals_Kind
_PyLocals_GetKind(PyObject *kinds, int i)
{
    return (_PyLocals_Kind)PyBytes_AS_STRING(kinds)[i];
}

/* Borrowed: the name of fast-locals slot I. */
static inline PyObject *
_PyCode_LocalName(PyCodeObject *co, int i)
{
    return PyTuple_GET_ITEM(co->co_localsplusnames, i);
}

struct _PyCodeUnit;

/* A new code object (new reference) for UNIT and, recursively, the code
   units among its constants. */
PyAPI_FUNC(PyObject *) _PyCode_FromUnit(const struct _PyCodeUnit *unit);

/* Line of code unit INDEX (not bytes), -1 when it has none. */
PyAPI_FUNC(int) _PyCode_UnitToLine(PyCodeObject *co, int index);
/* Full location of code unit INDEX; 0 when none (fields then -1). */
PyAPI_FUNC(int) _PyCode_UnitToLocation(PyCodeObject *co, int index,
                                       int *line, int *end_line,
                                       int *col, int *end_col);
/* Finds the handler for code unit INDEX in co_exceptiontable; 1 and fills
   the outputs, or 0. */
PyAPI_FUNC(int) _PyCode_FindHandler(PyCodeObject *co, int index,
                                    int *target, int *depth, int *lasti);

/* Start-up: readies the code type. */
PyAPI_FUNC(int) _PyCode_InitTypes(void);

#endif /* !Py_INTERNAL_CODE_H */
