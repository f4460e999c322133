/* State shared by the compiler's front half: Python/compile.c (driver,
   units, constants, names), Python/codegen.c and Python/codegen_match.c
   (statements, expressions, patterns) and Python/ast_fold.c (constant
   values of expressions).  Private to the compiler. */

#ifndef Py_INTERNAL_CODEGEN_H
#define Py_INTERNAL_CODEGEN_H

#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE"
#endif

#include "pycore_flowgraph.h"
#include "pycore_symtable.h"

/* ------------------------------------------------------------------ */
/* Constant folding (Python/ast_fold.c) */

/* What 3.11's AST optimizer would have turned into a Constant: literals,
   unary and binary operators on constants (within its size limits),
   subscripts of constants, tuples of constants, and __debug__.  Results
   are memoized per node. */
typedef struct {
    _PyArena *arena;            /* where folded constants live */
    int optimize;               /* __debug__ is False when > 0 */
    /* memo: node -> constant, or the "not constant" marker */
    const void **keys;
    _PyCompiledConst **values;
    Py_ssize_t nkeys;
    Py_ssize_t nslots;
    int nomem;                  /* an allocation failed */
} _PyFolder;

/* The constant E evaluates to, or NULL (not constant, or out of memory:
   then f->nomem is set). */
extern _PyCompiledConst *_PyFold_Expr(_PyFolder *f, expr_ty e);
/* A literal from the parser as a compiler constant. */
extern _PyCompiledConst *_PyFold_Literal(_PyFolder *f, constant value);
/* `x in [...]`, `for x in [...]`: a list or set display of constants as a
   tuple or frozenset constant, or NULL. */
extern _PyCompiledConst *_PyFold_Iterable(_PyFolder *f, expr_ty e);
extern _PyCompiledConst *_PyFold_MakeTuple(_PyFolder *f,
                                           _PyCompiledConst **items,
                                           Py_ssize_t n);
extern _PyCompiledConst *_PyFold_MakeStr(_PyFolder *f, const char *s,
                                         Py_ssize_t n);
extern _PyCompiledConst *_PyFold_MakeSimple(_PyFolder *f,
                                            _PyCompiledConstKind kind);
extern void _PyFold_Clear(_PyFolder *f);
/* Whether A == B as set members (so 1, 1.0 and True are the same). */
extern int _PyConst_SameValue(const _PyCompiledConst *a,
                              const _PyCompiledConst *b);
/* Code points in the NUL-terminated UTF-8 string S. */
extern Py_ssize_t _PyFold_CodePoints(const char *s);

/* E as source text, the way 3.11 stores `from __future__ import
   annotations` annotations (Python/ast_unparse.c); allocated in ARENA,
   NULL when out of memory. */
extern char *_PyAST_Unparse(expr_ty e, _PyArena *arena);

/* A growable NUL-terminated byte buffer (PyMem_Raw memory); the append
   functions return 0, or -1 when out of memory. */
typedef struct {
    char *data;
    size_t len;
    size_t alloc;
} _PyStrBuf;
extern int _PyStrBuf_Append(_PyStrBuf *b, const char *s, size_t n);
extern int _PyStrBuf_Printf(_PyStrBuf *b, const char *fmt, ...);
extern void _PyStrBuf_Clear(_PyStrBuf *b);
/* Append repr(C) to B, as Python 3.11 writes it. */
extern int _PyConst_Repr(_PyStrBuf *b, const _PyCompiledConst *c);

/* Append a key to B such that two constants get the same key exactly when
   3.11 would merge them in co_consts (same type and value; 0.0 and -0.0
   differ; NaNs never merge; code units by content). */
extern int _PyConst_Key(_PyStrBuf *b, const _PyCompiledConst *c);

/* ------------------------------------------------------------------ */
/* Compiler state (Python/compile.c) */

typedef enum {
    _PyScope_MODULE,
    _PyScope_CLASS,
    _PyScope_FUNCTION,
    _PyScope_ASYNC_FUNCTION,
    _PyScope_LAMBDA,
    _PyScope_COMPREHENSION
} _PyScopeType;

/* Blocks of the statement being compiled that break, continue and return
   must unwind through. */
typedef enum {
    _PyFB_WHILE_LOOP,
    _PyFB_FOR_LOOP,
    _PyFB_TRY_EXCEPT,
    _PyFB_FINALLY_TRY,
    _PyFB_FINALLY_END,
    _PyFB_WITH,
    _PyFB_ASYNC_WITH,
    _PyFB_HANDLER_CLEANUP,
    _PyFB_POP_VALUE,
    _PyFB_EXCEPTION_HANDLER,
    _PyFB_EXCEPTION_GROUP_HANDLER,
    _PyFB_ASYNC_COMPREHENSION_GENERATOR
} _PyFBlockType;

typedef struct {
    _PyFBlockType type;
    _PyBlock *block;
    _PyBlock *exit;
    const void *datum;          /* finally body, with statement, or the
                                   handler's name */
} _PyFBlock;

/* 3.11's limit on statically nested blocks (CO_MAXBLOCKS). */
#define _PY_MAX_FBLOCKS 20

struct _PyConstTable {
    _PyCompiledConst **items;
    int n;
    int alloc;
    /* key -> index */
    char **keys;
    size_t *keylens;
    int *slots;                 /* index + 1, 0 = empty */
    int nslots;
    _PyArena *arena;
};

typedef struct _PyCompilerUnit {
    _PySymEntry *ste;
    const char *name;
    const char *qualname;
    _PyScopeType scope_type;
    struct _PyConstTable consts;
    _PySymMap names;            /* name -> index in co_names */
    _PySymMap varnames;         /* fast local -> index */
    _PySymMap cellvars;         /* cell -> index among cells */
    _PySymMap freevars;         /* free -> index after the cells */
    int argcount;
    int posonlyargcount;
    int kwonlyargcount;
    int firstlineno;
    _PyCfg cfg;
    _PyBlock *curblock;
    _PyLoc loc;                 /* of the instructions being emitted */
    _PyFBlock fblocks[_PY_MAX_FBLOCKS];
    int nfblocks;
    const char *privname;       /* class name for mangling, or NULL */
    struct _PyCompilerUnit *parent;
} _PyCompilerUnit;

typedef struct {
    const char *filename;
    _PySymtable *st;
    int features;               /* CO_FUTURE_* in effect */
    int flags;                  /* PyCF_* */
    int optimize;               /* 0 normal, 1 -O, 2 -OO */
    int interactive;
    int future_lineno;          /* line of the last future import */
    int nestlevel;
    _PyCompilerUnit *u;
    _PyArena *arena;            /* the result's */
    _PyArena *scratch;          /* freed after compiling */
    _PyFolder folder;
    _PySyntaxErrorInfo *err;
    _PyCompileWarning *warnings;
    int nwarnings;
    int allocwarnings;
} _PyCompiler;

/* Units (compile.c). */
extern int _PyCompile_EnterScope(_PyCompiler *c, const char *name,
                                 _PyScopeType type, const void *key,
                                 int lineno);
/* Assemble the current unit, leave it, and return its code (owned by the
   result arena), or NULL. */
extern _PyCodeUnit *_PyCompile_ExitScope(_PyCompiler *c, int add_none);
/* Drop the current unit after an error. */
extern void _PyCompile_AbandonScope(_PyCompiler *c);

/* Tables of the current unit: return the index, or -1 (error set). */
extern int _PyCompile_AddConst(_PyCompiler *c, _PyCompiledConst *value);
extern int _PyCompile_AddName(_PyCompiler *c, const char *name);
extern int _PyCompile_AddVarname(_PyCompiler *c, const char *name);
/* Index of a cell or free variable among the unit's cells then frees. */
extern int _PyCompile_DerefIndex(_PyCompiler *c, const char *name);
extern const char *_PyCompile_Mangle(_PyCompiler *c, const char *name);

/* Errors: fill c->err and return -1. */
extern int _PyCompile_Error(_PyCompiler *c, _PyLoc loc, const char *fmt,
                            ...);
extern int _PyCompile_NoMemory(_PyCompiler *c);
/* Record a SyntaxWarning; return 0 or -1. */
extern int _PyCompile_Warn(_PyCompiler *c, _PyLoc loc, const char *fmt, ...);

/* Emitting (codegen.c). */
extern int _PyCodegen_Addop(_PyCompiler *c, int opcode, int oparg);
extern int _PyCodegen_AddopLoc(_PyCompiler *c, int opcode, int oparg,
                               _PyLoc loc);
extern int _PyCodegen_AddJump(_PyCompiler *c, int opcode, _PyBlock *target);
extern int _PyCodegen_AddJumpNoLine(_PyCompiler *c, int opcode,
                                    _PyBlock *target);
extern int _PyCodegen_LoadConst(_PyCompiler *c, _PyCompiledConst *value);
extern _PyBlock *_PyCodegen_NewBlock(_PyCompiler *c);
extern void _PyCodegen_UseNextBlock(_PyCompiler *c, _PyBlock *b);
extern int _PyCodegen_VisitExpr(_PyCompiler *c, expr_ty e);
extern int _PyCodegen_VisitStmts(_PyCompiler *c, asdl_stmt_seq *stmts);
extern int _PyCodegen_NameOp(_PyCompiler *c, const char *name,
                             expr_context_ty ctx, _PyLoc loc);
extern int _PyCodegen_JumpIf(_PyCompiler *c, expr_ty e, _PyBlock *next,
                             int cond);
/* Compile MOD; return its unit, or NULL with c->err filled. */
extern _PyCodeUnit *_PyCodegen_Module(_PyCompiler *c, mod_ty mod);

/* Match statements (codegen_match.c). */
extern int _PyCodegen_Match(_PyCompiler *c, stmt_ty s);

#define _PyLOC(node) _PyLoc_Of((node)->lineno, (node)->end_lineno, \
                               (node)->col_offset, (node)->end_col_offset)

#endif /* !Py_INTERNAL_CODEGEN_H */
