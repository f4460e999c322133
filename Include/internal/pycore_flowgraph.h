/* The compiler's intermediate form: instructions in basic blocks, shared
   by Python/codegen.c (which builds it), Python/flowgraph.c (which
   optimizes it) and Python/assemble.c (which lays it out as bytecode).
   Private to the compiler. */

#ifndef Py_INTERNAL_FLOWGRAPH_H
#define Py_INTERNAL_FLOWGRAPH_H

#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE"
#endif

#include "pycore_compile.h"

/* A source range; lineno < 0 means none. */
typedef struct {
    int lineno;
    int end_lineno;
    int col_offset;
    int end_col_offset;
} _PyLoc;

#define _PyLoc_NONE ((_PyLoc){-1, -1, -1, -1})

/* A location from its four fields (0-based columns, -1 when unknown). */
static inline _PyLoc
_PyLoc_Of(int lineno, int end_lineno, int col, int end_col)
{
    return (_PyLoc){lineno, end_lineno, col, end_col};
}

typedef struct _PyBlock _PyBlock;

typedef struct {
    int opcode;                 /* real or pseudo */
    int oparg;
    _PyLoc loc;
    _PyBlock *target;           /* jumps and SETUP_* */
    _PyBlock *handler;          /* innermost exception handler, or NULL
                                   (filled by _PyCfg_Optimize) */
} _PyInstr;

struct _PyBlock {
    _PyBlock *alloc_next;       /* every block of the unit */
    _PyBlock *next;             /* layout order: the fall-through */
    _PyInstr *instrs;
    int ninstrs;
    int allocinstrs;
    int predecessors;
    int startdepth;             /* -1 until known */
    int offset;                 /* code units, once laid out */
    int label;                  /* number, for debugging */
    unsigned visited : 1;
    unsigned reachable : 1;
    unsigned except_handler : 1;   /* target of a SETUP_* */
    unsigned preserve_lasti : 1;   /* handler wants f_lasti pushed */
    unsigned exit : 1;             /* ends the frame (return/raise) */
};

/* A unit's graph. */
typedef struct {
    _PyBlock *entry;            /* first in layout */
    _PyBlock *blocks;           /* allocation list */
    int nblocks;
} _PyCfg;

/* Last instruction of B, or NULL if B is empty. */
static inline _PyInstr *
_PyBlock_Last(_PyBlock *b)
{
    return b->ninstrs > 0 ? &b->instrs[b->ninstrs - 1] : NULL;
}

/* A jump with a resolved target (a NOP-ed jump keeps no target). */
static inline int
_PyInstr_IsJump(const _PyInstr *i)
{
    return (_PyOpcode_GetFlags(i->opcode) & _PYOP_JUMP) != 0
           && i->target != NULL;
}

/* Does the instruction never fall through? */
static inline int
_PyInstr_IsUnconditional(const _PyInstr *i)
{
    return (_PyOpcode_GetFlags(i->opcode) & _PYOP_UNCOND) != 0;
}

/* Does the instruction leave the frame (return, raise, reraise)? */
static inline int
_PyInstr_IsExit(const _PyInstr *i)
{
    return (_PyOpcode_GetFlags(i->opcode) & _PYOP_EXIT) != 0;
}

/* SETUP_* pseudo-instructions: their target is an exception handler. */
static inline int
_PyInstr_IsBlockPush(const _PyInstr *i)
{
    return i->opcode == SETUP_FINALLY || i->opcode == SETUP_CLEANUP
           || i->opcode == SETUP_WITH;
}

/* Can control flow from B into the next block in layout order? */
static inline int
_PyBlock_HasFallthrough(_PyBlock *b)
{
    _PyInstr *last = _PyBlock_Last(b);
    return last == NULL || !_PyInstr_IsUnconditional(last);
}

/* Blocks and instructions (Python/flowgraph.c). */
extern _PyBlock *_PyCfg_NewBlock(_PyCfg *g);
extern int _PyBlock_AddInstr(_PyBlock *b, int opcode, int oparg, _PyLoc loc,
                             _PyBlock *target);
extern void _PyCfg_Free(_PyCfg *g);

/* Constants the optimizer needs to look at and make (Python/compile.c). */
typedef struct _PyConstTable _PyConstTable;
extern _PyCompiledConst *_PyConstTable_Get(_PyConstTable *t, int index);
/* Index of a tuple of the constants ITEMS, added if new; -1 when out of
   memory. */
extern int _PyConstTable_AddTuple(_PyConstTable *t, _PyCompiledConst **items,
                                  Py_ssize_t n);
/* Truth value of a constant, or -1 when unknown. */
extern int _PyConst_IsTrue(const _PyCompiledConst *c);

/* What flowgraph.c needs to know about the unit. */
typedef struct {
    _PyConstTable *consts;
    int nlocals;                /* fast locals (for definite assignment) */
    int nparams;                /* leading locals bound on entry */
    int firstlineno;
    int is_generator;
} _PyCfgInfo;

/* Optimize the graph and compute what assembly needs: exception targets
   of every instruction, stack depths, line numbers of artificial
   instructions, LOAD_FAST vs LOAD_FAST_CHECK.  Return the maximum stack
   depth, or -1 (out of memory; *ERR filled) */
extern int _PyCfg_Optimize(_PyCfg *g, _PyCfgInfo *info,
                           _PySyntaxErrorInfo *err);

/* Lay out the optimized graph (Python/assemble.c): fill UNIT's code,
   exception table and location table.  Fast-local, cell and free
   arguments are final already.  Return 0, or -1 when out of memory. */
extern int _PyAssemble(_PyCfg *g, _PyCodeUnit *unit, _PyArena *arena);

#endif /* !Py_INTERNAL_FLOWGRAPH_H */
