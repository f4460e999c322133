/* Symbol tables: which names each scope binds, uses and declares, and
   where each name lives (local, global, cell, free), computed from the AST
   before code generation.  Object-free: names are UTF-8 C strings.

   Flag and scope numbers are those CPython 3.11's _symtable module
   exposes, so the `symtable` module can be built on this. */

#ifndef Py_INTERNAL_SYMTABLE_H
#define Py_INTERNAL_SYMTABLE_H

#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE"
#endif

#include "pycore_parser.h"

/* What a scope does with a name (the low bits of a symbol's flags). */
#define DEF_GLOBAL     0x001    /* global statement */
#define DEF_LOCAL      0x002    /* assigned */
#define DEF_PARAM      0x004    /* parameter */
#define DEF_NONLOCAL   0x008    /* nonlocal statement */
#define USE            0x010    /* read */
#define DEF_FREE       0x020    /* (unused, as in 3.11) */
#define DEF_FREE_CLASS 0x040    /* bound in a class and free in a child */
#define DEF_IMPORT     0x080    /* bound by import */
#define DEF_ANNOT      0x100    /* annotated */
#define DEF_COMP_ITER  0x200    /* comprehension iteration variable */
#define DEF_BOUND      (DEF_LOCAL | DEF_PARAM | DEF_IMPORT)

/* Where the name lives: (flags >> SCOPE_OFF) & SCOPE_MASK. */
#define SCOPE_OFF 11
#define SCOPE_MASK 0xF
#define LOCAL 1
#define GLOBAL_EXPLICIT 2
#define GLOBAL_IMPLICIT 3
#define FREE 4
#define CELL 5

typedef enum {
    _PySym_FunctionBlock = 0,
    _PySym_ClassBlock = 1,
    _PySym_ModuleBlock = 2,
    _PySym_AnnotationBlock = 3      /* `from __future__ import annotations`:
                                       checked, never compiled */
} _PySymBlockType;

typedef enum {
    _PySym_NoComprehension = 0,
    _PySym_ListComprehension,
    _PySym_DictComprehension,
    _PySym_SetComprehension,
    _PySym_GeneratorExpression
} _PySymComprehensionType;

/* An insertion-ordered map from name (compared by content) to a long.
   The map keeps the name pointers it is given: they must outlive it. */
typedef struct {
    const char **names;
    long *values;
    Py_ssize_t size;
    Py_ssize_t alloc;
    Py_ssize_t *slots;          /* index + 1, 0 = empty */
    Py_ssize_t nslots;          /* power of two, or 0 */
} _PySymMap;

/* Return the index of NAME, or -1. */
extern Py_ssize_t _PySymMap_Find(const _PySymMap *map, const char *name);
/* Set NAME to VALUE (appending it when new).  Return its index, or -1 when
   out of memory. */
extern Py_ssize_t _PySymMap_Set(_PySymMap *map, const char *name,
                                long value);
/* VALUE of NAME, or DFLT when absent. */
extern long _PySymMap_Get(const _PySymMap *map, const char *name, long dflt);
extern void _PySymMap_Clear(_PySymMap *map);

typedef struct {
    const char *name;
    int lineno;
    int col_offset;
    int end_lineno;
    int end_col_offset;
} _PySymDirective;

typedef struct _PySymEntry {
    const void *key;            /* the AST node of the scope */
    const char *name;           /* "top", a def/class name, "lambda",
                                   "listcomp", "setcomp", "dictcomp",
                                   "genexpr" */
    _PySymBlockType type;
    _PySymMap symbols;          /* name -> flags | scope << SCOPE_OFF */
    const char **varnames;      /* parameters, in order */
    int nvarnames;
    int allocvarnames;
    struct _PySymEntry **children;
    int nchildren;
    int allocchildren;
    _PySymDirective *directives;  /* global/nonlocal statements */
    int ndirectives;
    int allocdirectives;
    int lineno;
    int col_offset;
    int end_lineno;
    int end_col_offset;
    _PySymComprehensionType comprehension;
    unsigned nested : 1;        /* inside a function */
    unsigned generator : 1;
    unsigned coroutine : 1;
    unsigned varargs : 1;
    unsigned varkeywords : 1;
    unsigned returns_value : 1;
    unsigned needs_class_closure : 1;  /* class: children use __class__ */
    unsigned child_free : 1;    /* some child has free variables */
    unsigned free : 1;          /* has free variables */
    unsigned comp_iter_target : 1;
    int comp_iter_expr;
} _PySymEntry;

typedef struct _PySymtable {
    _PySymEntry *top;
    int future_features;        /* CO_FUTURE_* */
    /* Scope lookup by AST node. */
    const void **keys;
    _PySymEntry **entries;
    Py_ssize_t nkeys;
    Py_ssize_t nslots;
    /* Everything the table allocates (mangled names, entries). */
    _PyArena *arena;
    /* Every entry, for freeing (annotation scopes are in no parent's
       children). */
    _PySymEntry **all;
    int nall;
    int allocall;
} _PySymtable;

/* Build the symbol table of MOD.  FEATURES are the CO_FUTURE_* flags in
   effect.  Return a new table, or NULL with *ERR filled as CPython 3.11's
   symtable reports the error. */
extern _PySymtable *_PySymtable_Build(mod_ty mod, int features,
                                      _PySyntaxErrorInfo *err);
extern void _PySymtable_Free(_PySymtable *st);

/* The scope of AST node KEY (a FunctionDef, AsyncFunctionDef, ClassDef,
   Lambda, comprehension, or the module), or NULL. */
extern _PySymEntry *_PySymtable_Lookup(_PySymtable *st, const void *key);

/* Flags of NAME in ENTRY (0 when absent) and its scope (0 when absent). */
extern long _PySymEntry_GetSymbol(const _PySymEntry *ste, const char *name);
extern int _PySymEntry_GetScope(const _PySymEntry *ste, const char *name);

/* NAME as it is stored in a class named PRIVATE (`__x` -> `_C__x`),
   allocated in ARENA when it changes; NULL when out of memory. */
extern const char *_PySymtable_Mangle(_PyArena *arena, const char *privname,
                                      const char *name);

#endif /* !Py_INTERNAL_SYMTABLE_H */
