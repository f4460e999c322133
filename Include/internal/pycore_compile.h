/* The compiler: AST in, a tree of code units out.  Nothing here needs
   Python objects; _PyCode_FromUnit (Objects/codeobject.c) turns a unit into
   a code object later.

   Pipeline (one file per step):
     Python/future.c     `from __future__` statements
     Python/ast_fold.c   constant values of AST expressions
     Python/symtable.c   scopes (pycore_symtable.h)
     Python/codegen.c    AST -> instructions in basic blocks
     Python/codegen_match.c  the same for match statements
     Python/flowgraph.c  jump threading, dead code, stack depth,
                         definite assignment of locals, line propagation
     Python/assemble.c   bytecode, exception table, location table
     Python/compile.c    the driver: units, constants, names, errors */

#ifndef Py_INTERNAL_COMPILE_H
#define Py_INTERNAL_COMPILE_H

#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE"
#endif

#include <stdint.h>

#include "pycore_parser.h"
#include "pycore_opcode.h"

/* co_flags, as CPython 3.11 documents them (inspect module).
   TEMPORARY: these belong in the code object's header once it exists. */
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

/* compile() flags that reach the compiler (PyCF_*).
   TEMPORARY: these belong in a public compile header once it exists. */
#ifndef PyCF_ONLY_AST
#define PyCF_MASK (CO_FUTURE_DIVISION | CO_FUTURE_ABSOLUTE_IMPORT | \
                   CO_FUTURE_WITH_STATEMENT | CO_FUTURE_PRINT_FUNCTION | \
                   CO_FUTURE_UNICODE_LITERALS | CO_FUTURE_BARRY_AS_BDFL | \
                   CO_FUTURE_GENERATOR_STOP | CO_FUTURE_ANNOTATIONS)
#define PyCF_SOURCE_IS_UTF8 0x0100
#define PyCF_DONT_IMPLY_DEDENT 0x0200
#define PyCF_ONLY_AST 0x0400
#define PyCF_IGNORE_COOKIE 0x0800
#define PyCF_TYPE_COMMENTS 0x1000
#define PyCF_ALLOW_TOP_LEVEL_AWAIT 0x2000
#define PyCF_ALLOW_INCOMPLETE_INPUT 0x4000
#endif

/* Kinds of a fast-locals slot (co_localspluskinds). */
#define _PyLocals_KIND_ARG    0x08   /* hidden bits, as in CPython */
#define _PyLocals_KIND_LOCAL  0x20
#define _PyLocals_KIND_CELL   0x40
#define _PyLocals_KIND_FREE   0x80

/* ------------------------------------------------------------------ */
/* Constants of a code unit. */

typedef enum {
    _PyCC_NONE = 1,         /* same values as _PyConstKind */
    _PyCC_TRUE,
    _PyCC_FALSE,
    _PyCC_ELLIPSIS,
    _PyCC_INT,
    _PyCC_FLOAT,
    _PyCC_IMAG,
    _PyCC_STR,
    _PyCC_BYTES,
    _PyCC_COMPLEX,          /* real + imag */
    _PyCC_TUPLE,            /* items */
    _PyCC_FROZENSET,        /* items, distinct, in source order */
    _PyCC_CODE              /* code */
} _PyCompiledConstKind;

typedef struct _PyCodeUnit _PyCodeUnit;

/* A constant.  INT: `data` holds the digits in `base` (2, 8, 10 or 16,
   lower case, no underscores or prefix), `negative` its sign.  FLOAT:
   `real`.  IMAG: `imag`.  COMPLEX: both.  STR: `data` is UTF-8 where lone
   surrogates are encoded like other code points (WTF-8).  BYTES: raw.
   Equal constants within one unit share one entry of co_consts. */
typedef struct _PyCompiledConst {
    _PyCompiledConstKind kind;
    int base;
    int negative;
    double real;
    double imag;
    const char *data;
    Py_ssize_t size;
    struct _PyCompiledConst **items;
    Py_ssize_t nitems;
    _PyCodeUnit *code;
} _PyCompiledConst;

/* ------------------------------------------------------------------ */
/* A compiled code unit: everything a 3.11 code object holds, as C data.

   The exception table is a sequence of entries sorted by start, each
   four unsigned numbers: start, length (both in code units), target (code
   unit index of the handler), and (depth << 1) | lasti.  Each number is
   written in groups of 6 bits, most significant first, 0x40 marking that
   more groups follow; the first byte of an entry also has 0x80 set, so a
   reader can binary-search for entry starts.

   The location table describes consecutive runs of code units, in order.
   Each run starts with a byte 0x80 | (kind << 3) | (length - 1), length 1
   to 8 code units; the fields that follow depend on the kind and every
   following byte is below 0x80:
     _PyLocKind_NONE      no location (co_positions gives all None)
     _PyLocKind_LINE      svarint line delta; no columns, end line = line
     _PyLocKind_SHORT     line delta 0; byte col, byte end col (both < 128)
     _PyLocKind_ONELINE   svarint line delta; varint col, varint end col
     _PyLocKind_FULL      svarint line delta, varint end line - line,
                      varint col + 1, varint end col + 1 (0 = None)
   A varint is written 6 bits at a time, least significant first, 0x40
   meaning more follow; an svarint is a varint of (n << 1) or ((-n << 1) |
   1).  The line delta is relative to the line of the previous run that
   had one (initially co_firstlineno).  Columns count UTF-8 bytes. */
enum {
    _PyLocKind_NONE = 0,
    _PyLocKind_LINE = 1,
    _PyLocKind_SHORT = 2,
    _PyLocKind_ONELINE = 3,
    _PyLocKind_FULL = 4
};

struct _PyCodeUnit {
    const char *name;
    const char *qualname;
    const char *filename;
    int flags;                  /* CO_* */
    int argcount;
    int posonlyargcount;
    int kwonlyargcount;
    int firstlineno;
    int stacksize;

    /* Fast locals: arguments and locals, then cells that are not
       arguments, then free variables; one kind byte each. */
    int nlocalsplus;
    const char **localsplusnames;
    unsigned char *localspluskinds;
    /* The same, as 3.11 exposes it. */
    int nlocals;                /* len(co_varnames) */
    const char **varnames;
    int ncellvars;
    const char **cellvars;
    int nfreevars;
    const char **freevars;

    int nnames;
    const char **names;
    int nconsts;
    _PyCompiledConst **consts;

    int ncode;                  /* code units */
    _PyCodeUnitWord *code;
    int exctable_size;
    unsigned char *exctable;
    int linetable_size;
    unsigned char *linetable;
};

/* A warning found while compiling (SyntaxWarning), to be issued by the
   caller in order. */
typedef struct {
    const char *category;       /* "SyntaxWarning" */
    const char *msg;
    int lineno;
    int offset;
    int end_lineno;
    int end_offset;
} _PyCompileWarning;

/* What _PyCompile_AST returns: the module's unit (nested units hang off
   its constants) and everything they point to, owned together. */
typedef struct {
    _PyCodeUnit *unit;
    int nwarnings;
    _PyCompileWarning *warnings;
    struct _PyArena *arena;     /* owns all of the above */
} _PyCompileResult;

/* Compile MOD (whose arena may be modified: constants are folded in place)
   as compile() would with FLAGS (PyCF_* and CO_FUTURE_*) and OPTIMIZE
   (-1 or 0: __debug__ is True and asserts kept; 1 or more: not).  Return a
   new result, or NULL with *ERR filled as the SyntaxError (or MemoryError,
   RecursionError, SystemError) CPython 3.11 raises. */
extern _PyCompileResult *_PyCompile_AST(mod_ty mod, const char *filename,
                                        int flags, int optimize,
                                        _PyArena *ast_arena,
                                        _PySyntaxErrorInfo *err);

/* Free a result and everything it owns. */
extern void _PyCompileResult_Free(_PyCompileResult *res);

/* Read `from __future__` statements at the start of MOD: set *FEATURES
   (CO_FUTURE_* bits, with those already in *FEATURES kept) and *LINENO
   (the line of the last such statement, or -1).  Return 0, or -1 with
   *ERR filled for a bad feature. */
extern int _PyFuture_FromAST(mod_ty mod, int *features, int *lineno,
                             _PySyntaxErrorInfo *err);

/* Fill *ERR as SyntaxError MSG at the given AST location (columns are
   0-based UTF-8 byte offsets; the error's offsets are 1-based), as the
   3.11 compiler reports its errors. */
extern void _PyCompile_SetError(_PySyntaxErrorInfo *err, const char *type,
                                const char *msg, int lineno, int col,
                                int end_lineno, int end_col);

/* ------------------------------------------------------------------ */
/* Reading the tables back (co_lines, co_positions, exception lookup). */

typedef struct {
    int start;          /* code unit index */
    int end;            /* exclusive */
    int lineno;         /* -1 when None */
    int end_lineno;
    int col;
    int end_col;
} _PyLocationRun;

/* Iterate over the location table: initialise with
   _PyLocation_Begin, then call _PyLocation_Next until it returns 0. */
typedef struct {
    const unsigned char *p;
    const unsigned char *end;
    int line;           /* last line seen */
    int unit;           /* code unit the next run starts at */
} _PyLocationIter;

extern void _PyLocation_Begin(_PyLocationIter *it, const unsigned char *table,
                              int size, int firstlineno);
extern int _PyLocation_Next(_PyLocationIter *it, _PyLocationRun *run);

typedef struct {
    int start;          /* code units */
    int end;            /* exclusive */
    int target;
    int depth;
    int lasti;
} _PyExceptionEntry;

/* Decode the entry starting at *POS of TABLE[0:SIZE] and advance *POS;
   return 0 at the end of the table. */
extern int _PyExceptionTable_Next(const unsigned char *table, int size,
                                  int *pos, _PyExceptionEntry *entry);

/* Find the handler covering code unit INDEX; return 1 and fill *ENTRY, or
   0 when there is none. */
extern int _PyExceptionTable_Find(const unsigned char *table, int size,
                                  int index, _PyExceptionEntry *entry);

/* Check a unit's bytecode: every instruction decodes, jumps and handlers
   land on instruction starts, the stack depth computed along every path
   (exception edges included) never goes below zero, agrees where paths
   meet, and reaches exactly unit->stacksize.  DEPTHS, if not NULL, gets
   the depth before each code unit (-1 if unreachable).  Return 0, or -1
   with a description in MSG. */
extern int _PyCode_VerifyUnit(const _PyCodeUnit *unit, int *depths,
                              char *msg, size_t msgsize);

#endif /* !Py_INTERNAL_COMPILE_H */
