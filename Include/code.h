/* Code objects (Objects/codeobject.c).  CPython 3.11's documented names.
 *
 * A code object is immutable once made and shared by every thread that
 * runs it: nothing in it is written after creation (the inline cache
 * units in the bytecode stay zero until specialization exists; when it
 * does, they are written with the rules of ARCHITECTURE section 8). */
#ifndef Py_CODE_H
#define Py_CODE_H

/* co_flags (inspect module). */
#ifndef CO_OPTIMIZED
#define CO_OPTIMIZED            0x0001
#define CO_NEWLOCALS            0x0002
#define CO_VARARGS              0x0004
#define CO_VARKEYWORDS          0x0008
#define CO_NESTED               0x0010
#define CO_GENERATOR            0x0020
#define CO_NOFREE               0x0040
#define CO_COROUTINE            0x0080
#define CO_ITERABLE_COROUTINE   0x0100
#define CO_ASYNC_GENERATOR      0x0200
#define CO_FUTURE_DIVISION      0x20000
#define CO_FUTURE_ABSOLUTE_IMPORT 0x40000
#define CO_FUTURE_WITH_STATEMENT 0x80000
#define CO_FUTURE_PRINT_FUNCTION 0x100000
#define CO_FUTURE_UNICODE_LITERALS 0x200000
#define CO_FUTURE_BARRY_AS_BDFL 0x400000
#define CO_FUTURE_GENERATOR_STOP 0x800000
#define CO_FUTURE_ANNOTATIONS   0x1000000
#endif

#define CO_MAXBLOCKS 20

/* The layout is private (Include/internal/pycore_code.h). */
typedef struct PyCodeObject PyCodeObject;

PyAPI_DATA(PyTypeObject) PyCode_Type;

#define PyCode_Check(op) Py_IS_TYPE((op), &PyCode_Type)

/* Number of free variables of a code object. */
PyAPI_FUNC(Py_ssize_t) PyCode_GetNumFree(PyCodeObject *co);
/* The source line of the instruction at byte offset ADDR (-1: none). */
PyAPI_FUNC(int) PyCode_Addr2Line(PyCodeObject *co, int addr);
/* Fills the full position of the instruction at byte offset ADDR;
   returns 0 when there is none (all -1 then), 1 otherwise. */
PyAPI_FUNC(int) PyCode_Addr2Location(PyCodeObject *co, int addr,
                                     int *start_line, int *start_column,
                                     int *end_line, int *end_column);
/* New references: co_code, co_varnames, co_cellvars, co_freevars. */
PyAPI_FUNC(PyObject *) PyCode_GetCode(PyCodeObject *co);
PyAPI_FUNC(PyObject *) PyCode_GetVarnames(PyCodeObject *co);
PyAPI_FUNC(PyObject *) PyCode_GetCellvars(PyCodeObject *co);
PyAPI_FUNC(PyObject *) PyCode_GetFreevars(PyCodeObject *co);
/* An empty code object (for C code making frames); new reference. */
PyAPI_FUNC(PyCodeObject *) PyCode_NewEmpty(const char *filename,
                                           const char *funcname,
                                           int firstlineno);

#endif /* !Py_CODE_H */
