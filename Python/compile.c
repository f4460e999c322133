/* The compiler's driver (see pycore_compile.h): the stack of units being
   compiled, their constant and name tables, turning a finished unit into
   a _PyCodeUnit, and errors. */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "Python.h"
#include "pycore_codegen.h"

/* Fill ERR from 0-based columns; the error record keeps CPython's 1-based
   offsets so callers can build the SyntaxError directly. */
void
_PyCompile_SetError(_PySyntaxErrorInfo *err, const char *type,
                    const char *msg, int lineno, int col, int end_lineno,
                    int end_col)
{
    err->type = type;
    snprintf(err->msg, sizeof(err->msg), "%s", msg);
    err->lineno = lineno;
    err->offset = col + 1;
    err->end_lineno = end_lineno;
    err->end_offset = end_col + 1;
    err->text = NULL;
}

/* Record a SyntaxError at LOC with a printf-style message; returns -1 so
   callers can `return _PyCompile_Error(...)`. */
int
_PyCompile_Error(_PyCompiler *c, _PyLoc loc, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    _PyCompile_SetError(c->err, "SyntaxError", msg, loc.lineno,
                        loc.col_offset, loc.end_lineno, loc.end_col_offset);
    return -1;
}

/* Record a MemoryError unless an error is already recorded (the first error
   wins); returns -1. */
int
_PyCompile_NoMemory(_PyCompiler *c)
{
    if (c->err->type == NULL) {
        _PyCompile_SetError(c->err, "MemoryError", "", 0, -1, 0, -1);
    }
    return -1;
}

/* Queue a SyntaxWarning for the caller to issue once objects exist; the
   compiler itself never touches the warnings machinery. */
int
_PyCompile_Warn(_PyCompiler *c, _PyLoc loc, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (c->nwarnings == c->allocwarnings) {
        int n = c->allocwarnings ? c->allocwarnings * 2 : 4;
        _PyCompileWarning *w = PyMem_RawRealloc(c->warnings,
                                                sizeof(*w) * (size_t)n);
        if (w == NULL) {
            return _PyCompile_NoMemory(c);
        }
        c->warnings = w;
        c->allocwarnings = n;
    }
    char *text = _PyArena_Strndup(c->arena, msg, strlen(msg));
    if (text == NULL) {
        return _PyCompile_NoMemory(c);
    }
    _PyCompileWarning *w = &c->warnings[c->nwarnings++];
    w->category = "SyntaxWarning";
    w->msg = text;
    w->lineno = loc.lineno;
    w->offset = loc.col_offset + 1;
    w->end_lineno = loc.end_lineno;
    w->end_offset = loc.end_col_offset + 1;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Constant tables: equal constants (by 3.11's merge rules) share an
   index. */

/* FNV-1a over a constant's merge key: cheap, and keys are short. */
static size_t
hash_bytes(const char *s, size_t n)
{
    size_t h = 1469598103934665603u;
    for (size_t i = 0; i < n; i++) {
        h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    }
    return h;
}

/* Double the constant table's parallel arrays (items, keys, key lengths). */
static int
const_table_grow(_PyConstTable *t)
{
    int n = t->alloc ? t->alloc * 2 : 8;
    _PyCompiledConst **items = PyMem_RawRealloc(t->items,
                                                sizeof(*items) * (size_t)n);
    if (items == NULL) {
        return -1;
    }
    t->items = items;
    char **keys = PyMem_RawRealloc(t->keys, sizeof(*keys) * (size_t)n);
    if (keys == NULL) {
        return -1;
    }
    t->keys = keys;
    size_t *keylens = PyMem_RawRealloc(t->keylens,
                                       sizeof(*keylens) * (size_t)n);
    if (keylens == NULL) {
        return -1;
    }
    t->keylens = keylens;
    t->alloc = n;
    int nslots = n * 2;
    int *slots = PyMem_RawCalloc((size_t)nslots, sizeof(*slots));
    if (slots == NULL) {
        return -1;
    }
    for (int k = 0; k < t->n; k++) {
        size_t j = hash_bytes(t->keys[k], t->keylens[k])
                   & (size_t)(nslots - 1);
        while (slots[j] != 0) {
            j = (j + 1) & (size_t)(nslots - 1);
        }
        slots[j] = k + 1;
    }
    PyMem_RawFree(t->slots);
    t->slots = slots;
    t->nslots = nslots;
    return 0;
}

/* Return the index of VALUE in T, adding it if no constant with the same
   merge key is there yet. */
static int
const_table_add(_PyConstTable *t, _PyCompiledConst *value)
{
    _PyStrBuf key = {0};
    if (_PyConst_Key(&key, value) < 0) {
        _PyStrBuf_Clear(&key);
        return -1;
    }
    if (t->nslots > 0) {
        size_t mask = (size_t)t->nslots - 1;
        for (size_t j = hash_bytes(key.data, key.len) & mask;;
             j = (j + 1) & mask) {
            int slot = t->slots[j];
            if (slot == 0) {
                break;
            }
            if (t->keylens[slot - 1] == key.len
                && memcmp(t->keys[slot - 1], key.data, key.len) == 0) {
                _PyStrBuf_Clear(&key);
                return slot - 1;
            }
        }
    }
    if (t->n == t->alloc && const_table_grow(t) < 0) {
        _PyStrBuf_Clear(&key);
        return -1;
    }
    int k = t->n++;
    t->items[k] = value;
    t->keys[k] = key.data;
    t->keylens[k] = key.len;
    size_t mask = (size_t)t->nslots - 1;
    size_t j = hash_bytes(key.data, key.len) & mask;
    while (t->slots[j] != 0) {
        j = (j + 1) & mask;
    }
    t->slots[j] = k + 1;
    return k;
}

/* Release the constant table's arrays (the constants live in the arena). */
static void
const_table_clear(_PyConstTable *t)
{
    for (int k = 0; k < t->n; k++) {
        PyMem_RawFree(t->keys[k]);
    }
    PyMem_RawFree(t->items);
    PyMem_RawFree(t->keys);
    PyMem_RawFree(t->keylens);
    PyMem_RawFree(t->slots);
    memset(t, 0, sizeof(*t));
}

/* Constant at INDEX, or NULL when out of range (borrowed from the arena). */
_PyCompiledConst *
_PyConstTable_Get(_PyConstTable *t, int index)
{
    return index >= 0 && index < t->n ? t->items[index] : NULL;
}

/* Intern a tuple built from ITEMS (used by the CFG tuple folding); returns
   its index or -1 on memory error. */
int
_PyConstTable_AddTuple(_PyConstTable *t, _PyCompiledConst **items,
                       Py_ssize_t n)
{
    _PyFolder f = {0};
    f.arena = t->arena;
    _PyCompiledConst *tuple = _PyFold_MakeTuple(&f, items, n);
    if (tuple == NULL) {
        return -1;
    }
    return const_table_add(t, tuple);
}

/* Index of VALUE in the current unit's co_consts, adding it if needed. */
int
_PyCompile_AddConst(_PyCompiler *c, _PyCompiledConst *value)
{
    int k = const_table_add(&c->u->consts, value);
    if (k < 0) {
        return _PyCompile_NoMemory(c);
    }
    return k;
}

/* ------------------------------------------------------------------ */
/* Names */

/* Private-name mangling of NAME for the current class, if any. */
const char *
_PyCompile_Mangle(_PyCompiler *c, const char *name)
{
    const char *m = _PySymtable_Mangle(c->scratch, c->u->privname, name);
    if (m == NULL) {
        _PyCompile_NoMemory(c);
    }
    return m;
}

/* Index of NAME in MAP, appending it with the next index if absent. */
static int
map_index(_PyCompiler *c, _PySymMap *map, const char *name)
{
    Py_ssize_t k = _PySymMap_Find(map, name);
    if (k >= 0) {
        return (int)map->values[k];
    }
    long index = (long)map->size;
    if (_PySymMap_Set(map, name, index) < 0) {
        return _PyCompile_NoMemory(c);
    }
    return (int)index;
}

/* Index of NAME in co_names. */
int
_PyCompile_AddName(_PyCompiler *c, const char *name)
{
    return map_index(c, &c->u->names, name);
}

/* Index of NAME in co_varnames. */
int
_PyCompile_AddVarname(_PyCompiler *c, const char *name)
{
    return map_index(c, &c->u->varnames, name);
}

/* Pre-layout index of a cell or free variable: cells first, then free
   variables; fix_deref_args maps it to the final localsplus slot. */
int
_PyCompile_DerefIndex(_PyCompiler *c, const char *name)
{
    _PyCompilerUnit *u = c->u;
    Py_ssize_t k = _PySymMap_Find(&u->cellvars, name);
    if (k >= 0) {
        return (int)u->cellvars.values[k];
    }
    k = _PySymMap_Find(&u->freevars, name);
    if (k >= 0) {
        return (int)u->freevars.values[k];
    }
    _PyCompile_SetError(c->err, "SystemError", "name is not a cell or free "
                        "variable", 0, -1, 0, -1);
    return -1;
}

/* qsort comparator: byte order of UTF-8 names, as CPython sorts cell and
   free variable names. */
static int
compare_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Add to MAP, numbered from START in sorted order, the names of STE whose
   scope is SCOPE or whose flags have FLAG. */
static int
names_by_scope(_PySymEntry *ste, _PySymMap *map, int scope, long flag,
               int start)
{
    Py_ssize_t n = ste->symbols.size;
    const char **names = PyMem_RawMalloc(sizeof(*names) * (size_t)(n + 1));
    if (names == NULL) {
        return -1;
    }
    int count = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        long v = ste->symbols.values[i];
        if (((v >> SCOPE_OFF) & SCOPE_MASK) == scope || (v & flag)) {
            names[count++] = ste->symbols.names[i];
        }
    }
    qsort(names, (size_t)count, sizeof(*names), compare_names);
    for (int i = 0; i < count; i++) {
        if (_PySymMap_Set(map, names[i], start + i) < 0) {
            PyMem_RawFree(names);
            return -1;
        }
    }
    PyMem_RawFree(names);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Units */

/* True for the scope kinds whose qualname gets a '.<locals>' suffix. */
static int
is_function_scope(_PyScopeType t)
{
    return t == _PyScope_FUNCTION || t == _PyScope_ASYNC_FUNCTION
           || t == _PyScope_LAMBDA;
}

/* Arena copy of BASE SUFFIX '.' NAME. */
static char *
join_qualname(_PyCompiler *c, const char *base, const char *suffix,
              const char *name)
{
    size_t n = strlen(base) + strlen(suffix) + strlen(name) + 2;
    char *q = _PyArena_Malloc(c->arena, n);
    if (q == NULL) {
        _PyCompile_NoMemory(c);
        return NULL;
    }
    snprintf(q, n, "%s%s.%s", base, suffix, name);
    return q;
}

/* 3.11's rules for __qualname__: nested in a function gives
   "f.<locals>.name", in a class "C.name"; a name declared global in its
   enclosing scope is unqualified. */
static int
set_qualname(_PyCompiler *c)
{
    _PyCompilerUnit *u = c->u, *parent = u->parent;
    u->qualname = u->name;
    if (parent == NULL || parent->scope_type == _PyScope_MODULE) {
        return 0;
    }
    if (u->scope_type == _PyScope_FUNCTION
        || u->scope_type == _PyScope_ASYNC_FUNCTION
        || u->scope_type == _PyScope_CLASS) {
        const char *mangled = _PySymtable_Mangle(c->scratch, parent->privname,
                                                 u->name);
        if (mangled == NULL) {
            return _PyCompile_NoMemory(c);
        }
        if (_PySymEntry_GetScope(parent->ste, mangled) == GLOBAL_EXPLICIT) {
            return 0;
        }
    }
    const char *suffix = is_function_scope(parent->scope_type)
                         ? ".<locals>" : "";
    u->qualname = join_qualname(c, parent->qualname, suffix, u->name);
    return u->qualname == NULL ? -1 : 0;
}

/* Free a compiler unit and everything it owns (not its arena data). */
static void
unit_free(_PyCompilerUnit *u)
{
    const_table_clear(&u->consts);
    _PySymMap_Clear(&u->names);
    _PySymMap_Clear(&u->varnames);
    _PySymMap_Clear(&u->cellvars);
    _PySymMap_Clear(&u->freevars);
    _PyCfg_Free(&u->cfg);
    PyMem_RawFree(u);
}

/* Seed the unit's varnames (parameters first, in symtable order), cellvars
   and freevars from its symbol table entry. */
static int
unit_tables(_PyCompiler *c, _PyCompilerUnit *u)
{
    _PySymEntry *ste = u->ste;
    for (int i = 0; i < ste->nvarnames; i++) {
        if (_PySymMap_Set(&u->varnames, ste->varnames[i], i) < 0) {
            return _PyCompile_NoMemory(c);
        }
    }
    if (names_by_scope(ste, &u->cellvars, CELL, 0, 0) < 0) {
        return _PyCompile_NoMemory(c);
    }
    if (ste->needs_class_closure
        && _PySymMap_Set(&u->cellvars, "__class__", 0) < 0) {
        return _PyCompile_NoMemory(c);
    }
    if (names_by_scope(ste, &u->freevars, FREE, DEF_FREE_CLASS,
                       (int)u->cellvars.size) < 0) {
        return _PyCompile_NoMemory(c);
    }
    return 0;
}

/* Start compiling a new code unit for the block whose AST node is KEY; the
   new unit becomes current. */
int
_PyCompile_EnterScope(_PyCompiler *c, const char *name, _PyScopeType type,
                      const void *key, int lineno)
{
    _PyCompilerUnit *u = PyMem_RawCalloc(1, sizeof(*u));
    if (u == NULL) {
        return _PyCompile_NoMemory(c);
    }
    u->consts.arena = c->arena;
    u->ste = _PySymtable_Lookup(c->st, key);
    if (u->ste == NULL) {
        PyMem_RawFree(u);
        _PyCompile_SetError(c->err, "SystemError", "unknown scope", 0, -1, 0,
                            -1);
        return -1;
    }
    u->name = name;
    u->scope_type = type;
    u->firstlineno = lineno;
    u->parent = c->u;
    u->privname = c->u != NULL ? c->u->privname : NULL;
    c->u = u;
    c->nestlevel++;
    if (unit_tables(c, u) < 0) {
        return -1;
    }
    if (type == _PyScope_MODULE) {
        u->loc = _PyLoc_Of(0, 1, 0, 0);
        u->qualname = name;
    }
    else {
        u->loc = _PyLoc_Of(lineno, lineno, 0, 0);
        if (set_qualname(c) < 0) {
            return -1;
        }
    }
    u->curblock = _PyCodegen_NewBlock(c);
    if (u->curblock == NULL) {
        return -1;
    }
    u->cfg.entry = u->curblock;
    return _PyCodegen_Addop(c, RESUME, _PyResume_START);
}

/* Drop the current unit after an error, returning to its parent. */
void
_PyCompile_AbandonScope(_PyCompiler *c)
{
    _PyCompilerUnit *u = c->u;
    if (u == NULL) {
        return;
    }
    c->u = u->parent;
    c->nestlevel--;
    unit_free(u);
}

/* co_flags for the current unit from its symbol table entry plus the future
   flags. */
static int
compute_flags(_PyCompiler *c)
{
    _PySymEntry *ste = c->u->ste;
    int flags = 0;
    if (ste->type == _PySym_FunctionBlock) {
        flags |= CO_NEWLOCALS | CO_OPTIMIZED;
        if (ste->nested) {
            flags |= CO_NESTED;
        }
        if (ste->generator && !ste->coroutine) {
            flags |= CO_GENERATOR;
        }
        if (!ste->generator && ste->coroutine) {
            flags |= CO_COROUTINE;
        }
        if (ste->generator && ste->coroutine) {
            flags |= CO_ASYNC_GENERATOR;
        }
        if (ste->varargs) {
            flags |= CO_VARARGS;
        }
        if (ste->varkeywords) {
            flags |= CO_VARKEYWORDS;
        }
    }
    flags |= (c->flags | c->features) & PyCF_MASK;
    if ((c->flags & PyCF_ALLOW_TOP_LEVEL_AWAIT)
        && c->u->scope_type == _PyScope_MODULE && ste->coroutine
        && !ste->generator) {
        flags |= CO_COROUTINE;
    }
    return flags;
}

/* Arena array of MAP's names ordered by their index. */
static const char **
copy_names(_PyCompiler *c, const _PySymMap *map, int n)
{
    const char **out = _PyArena_Malloc(c->arena, sizeof(*out)
                                       * (size_t)(n ? n : 1));
    if (out == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < map->size; i++) {
        const char *s = map->names[i];
        char *copy = _PyArena_Strndup(c->arena, s, strlen(s));
        if (copy == NULL) {
            return NULL;
        }
        out[map->values[i]] = copy;
    }
    return out;
}

/* The fast-locals layout: varnames, then cells that are not arguments,
   then free variables.  SLOT maps each deref index (cells, then frees) to
   its slot. */
static int
build_localsplus(_PyCompiler *c, _PyCodeUnit *co, int *slot)
{
    _PyCompilerUnit *u = c->u;
    int nvars = (int)u->varnames.size;
    int ncells = (int)u->cellvars.size, nfrees = (int)u->freevars.size;
    int total = nvars + ncells + nfrees;
    co->localsplusnames = _PyArena_Malloc(c->arena, sizeof(char *)
                                          * (size_t)(total ? total : 1));
    co->localspluskinds = _PyArena_Malloc(c->arena, (size_t)total + 1);
    if (co->localsplusnames == NULL || co->localspluskinds == NULL) {
        return -1;
    }
    for (int i = 0; i < nvars; i++) {
        co->localsplusnames[i] = co->varnames[i];
        co->localspluskinds[i] = _PyLocals_KIND_LOCAL;
        if (i < co->argcount + co->kwonlyargcount
                + ((co->flags & CO_VARARGS) != 0)
                + ((co->flags & CO_VARKEYWORDS) != 0)) {
            co->localspluskinds[i] |= _PyLocals_KIND_ARG;
        }
    }
    int n = nvars;
    for (int i = 0; i < ncells; i++) {
        const char *name = co->cellvars[i];
        Py_ssize_t k = _PySymMap_Find(&u->varnames, name);
        if (k >= 0) {
            int s = (int)u->varnames.values[k];
            co->localspluskinds[s] |= _PyLocals_KIND_CELL;
            slot[i] = s;
            continue;
        }
        co->localsplusnames[n] = name;
        co->localspluskinds[n] = _PyLocals_KIND_CELL;
        slot[i] = n++;
    }
    for (int i = 0; i < nfrees; i++) {
        co->localsplusnames[n] = co->freevars[i];
        co->localspluskinds[n] = _PyLocals_KIND_FREE;
        slot[ncells + i] = n++;
    }
    co->nlocalsplus = n;
    /* co_cellvars lists the cells in slot order: argument cells first. */
    int k = 0;
    for (int i = 0; i < n; i++) {
        if (co->localspluskinds[i] & _PyLocals_KIND_CELL) {
            co->cellvars[k++] = co->localsplusnames[i];
        }
    }
    return 0;
}

/* Rewrite cell/free variable arguments from pre-layout indexes to
   localsplus slots once the layout is known. */
static void
fix_deref_args(_PyCfg *g, const int *slot)
{
    for (_PyBlock *b = g->blocks; b != NULL; b = b->alloc_next) {
        for (int i = 0; i < b->ninstrs; i++) {
            _PyInstr *in = &b->instrs[i];
            if (_PyOpcode_GetFlags(in->opcode) & _PYOP_FREE) {
                in->oparg = slot[in->oparg];
            }
        }
    }
}

/* Number of leading constants still referenced after optimization (3.11
   keeps co_consts[0] even if unused); trailing unused ones are dropped. */
static int
used_consts(_PyCfg *g)
{
    int n = 1;
    for (_PyBlock *b = g->entry; b != NULL; b = b->next) {
        for (int i = 0; i < b->ninstrs; i++) {
            _PyInstr *in = &b->instrs[i];
            if ((_PyOpcode_GetFlags(in->opcode) & _PYOP_CONST)
                && in->oparg + 1 > n) {
                n = in->oparg + 1;
            }
        }
    }
    return n;
}

/* The instructions every call of the code runs first, with no line:
   COPY_FREE_VARS, MAKE_CELL for each cell, RETURN_GENERATOR and POP_TOP
   for generators (those two at the first line). */
static int
insert_prefix(_PyCompiler *c, _PyCodeUnit *co)
{
    _PyCompilerUnit *u = c->u;
    _PyBlock *entry = u->cfg.entry;
    int ncells = (int)u->cellvars.size, nfrees = (int)u->freevars.size;
    int gen = co->flags & (CO_GENERATOR | CO_COROUTINE | CO_ASYNC_GENERATOR);
    int nprefix = (nfrees > 0) + ncells + (gen ? 2 : 0);
    if (nprefix == 0) {
        return 0;
    }
    for (int k = 0; k < nprefix; k++) {
        if (_PyBlock_AddInstr(entry, NOP, 0, _PyLoc_NONE, NULL) < 0) {
            return -1;
        }
    }
    memmove(entry->instrs + nprefix, entry->instrs,
            sizeof(_PyInstr) * (size_t)(entry->ninstrs - nprefix));
    int k = 0;
    _PyLoc first = _PyLoc_Of(u->firstlineno, u->firstlineno, -1, -1);
    if (nfrees > 0) {
        entry->instrs[k++] = (_PyInstr){COPY_FREE_VARS, nfrees, _PyLoc_NONE,
                                        NULL, NULL};
    }
    for (int i = 0; i < co->nlocalsplus; i++) {
        if (co->localspluskinds[i] & _PyLocals_KIND_CELL) {
            entry->instrs[k++] = (_PyInstr){MAKE_CELL, i, _PyLoc_NONE, NULL,
                                            NULL};
        }
    }
    if (gen) {
        entry->instrs[k++] = (_PyInstr){RETURN_GENERATOR, 0, first, NULL,
                                        NULL};
        entry->instrs[k++] = (_PyInstr){POP_TOP, 0, first, NULL, NULL};
    }
    return 0;
}

/* Copy names, tables and counts of the current unit into the object-free
   result CO. */
static int
fill_unit(_PyCompiler *c, _PyCodeUnit *co)
{
    _PyCompilerUnit *u = c->u;
    co->name = _PyArena_Strndup(c->arena, u->name, strlen(u->name));
    co->qualname = _PyArena_Strndup(c->arena, u->qualname,
                                    strlen(u->qualname));
    co->filename = _PyArena_Strndup(c->arena, c->filename,
                                    strlen(c->filename));
    if (co->name == NULL || co->qualname == NULL || co->filename == NULL) {
        return -1;
    }
    co->flags = compute_flags(c);
    co->argcount = u->argcount;
    co->posonlyargcount = u->posonlyargcount;
    co->kwonlyargcount = u->kwonlyargcount;
    co->firstlineno = u->firstlineno;
    co->nlocals = (int)u->varnames.size;
    co->ncellvars = (int)u->cellvars.size;
    co->nfreevars = (int)u->freevars.size;
    co->nnames = (int)u->names.size;
    co->varnames = copy_names(c, &u->varnames, co->nlocals);
    co->cellvars = copy_names(c, &u->cellvars, co->ncellvars);
    /* freevars are numbered after the cells */
    co->freevars = _PyArena_Malloc(c->arena, sizeof(char *)
                                   * (size_t)(co->nfreevars + 1));
    co->names = copy_names(c, &u->names, co->nnames);
    if (co->varnames == NULL || co->cellvars == NULL || co->freevars == NULL
        || co->names == NULL) {
        return -1;
    }
    for (Py_ssize_t i = 0; i < u->freevars.size; i++) {
        const char *s = u->freevars.names[i];
        char *copy = _PyArena_Strndup(c->arena, s, strlen(s));
        if (copy == NULL) {
            return -1;
        }
        co->freevars[u->freevars.values[i] - co->ncellvars] = copy;
    }
    return 0;
}

/* Finish the current unit: add the implicit return, lay out locals,
   optimize, assemble; returns the unit (arena-owned) or NULL on error. */
_PyCodeUnit *
_PyCompile_ExitScope(_PyCompiler *c, int add_none)
{
    _PyCompilerUnit *u = c->u;
    _PyCodeUnit *co = NULL;
    int *slot = NULL;
    /* Code that falls off the end returns None (artificially). */
    _PyInstr *last = _PyBlock_Last(u->curblock);
    if (last == NULL || last->opcode != RETURN_VALUE) {
        u->loc = _PyLoc_NONE;
        if ((add_none && _PyCodegen_LoadConst(c,
                 _PyFold_MakeSimple(&c->folder, _PyCC_NONE)) < 0)
            || _PyCodegen_Addop(c, RETURN_VALUE, 0) < 0) {
            goto error;
        }
    }
    co = _PyArena_Malloc(c->arena, sizeof(*co));
    if (co == NULL) {
        goto nomem;
    }
    memset(co, 0, sizeof(*co));
    if (fill_unit(c, co) < 0) {
        goto nomem;
    }
    int nderef = (int)(u->cellvars.size + u->freevars.size);
    slot = PyMem_RawMalloc(sizeof(int) * (size_t)(nderef + 1));
    if (slot == NULL || build_localsplus(c, co, slot) < 0) {
        goto nomem;
    }
    fix_deref_args(&u->cfg, slot);
    if (insert_prefix(c, co) < 0) {
        goto nomem;
    }
    _PyCfgInfo info = {&u->consts, co->nlocals,
                       co->argcount + co->kwonlyargcount
                       + ((co->flags & CO_VARARGS) != 0)
                       + ((co->flags & CO_VARKEYWORDS) != 0),
                       u->firstlineno,
                       (co->flags & (CO_GENERATOR | CO_COROUTINE
                                     | CO_ASYNC_GENERATOR)) != 0};
    int depth = _PyCfg_Optimize(&u->cfg, &info, c->err);
    if (depth < 0) {
        goto error;
    }
    co->stacksize = depth;
    /* Constants no instruction uses at the end of the table go (code
       after a return, say); co_consts[0] always stays. */
    co->nconsts = used_consts(&u->cfg);
    if (co->nconsts > u->consts.n) {
        co->nconsts = u->consts.n;
    }
    co->consts = _PyArena_Malloc(c->arena, sizeof(*co->consts)
                                 * (size_t)(co->nconsts + 1));
    if (co->consts == NULL) {
        goto nomem;
    }
    if (co->nconsts > 0) {
        memcpy(co->consts, u->consts.items,
               sizeof(*co->consts) * (size_t)co->nconsts);
    }
    if (_PyAssemble(&u->cfg, co, c->arena) < 0) {
        goto nomem;
    }
    PyMem_RawFree(slot);
    _PyCompile_AbandonScope(c);
    return co;
nomem:
    _PyCompile_NoMemory(c);
error:
    PyMem_RawFree(slot);
    _PyCompile_AbandonScope(c);
    return NULL;
}

/* ------------------------------------------------------------------ */
/* Entry points */

/* Entry point: compile MOD into a tree of code units.  On failure returns
   NULL with ERR filled (SyntaxError, RecursionError or MemoryError). */
_PyCompileResult *
_PyCompile_AST(mod_ty mod, const char *filename, int flags, int optimize,
               _PyArena *ast_arena, _PySyntaxErrorInfo *err)
{
    _PyCompiler c;
    memset(&c, 0, sizeof(c));
    memset(err, 0, sizeof(*err));
    c.err = err;
    c.filename = filename ? filename : "<string>";
    c.flags = flags;
    c.optimize = optimize < 0 ? 0 : optimize;
    c.interactive = mod->kind == Interactive_kind;
    _PyCompileResult *res = PyMem_RawCalloc(1, sizeof(*res));
    if (res == NULL || (c.arena = _PyArena_New()) == NULL
        || (c.scratch = _PyArena_New()) == NULL) {
        _PyCompile_NoMemory(&c);
        goto error;
    }
    res->arena = c.arena;
    c.folder.arena = c.arena;
    c.folder.optimize = c.optimize;
    c.features = flags & PyCF_MASK;
    if (_PyFuture_FromAST(mod, &c.features, &c.future_lineno, err) < 0) {
        goto error;
    }
    c.st = _PySymtable_Build(mod, c.features, err);
    if (c.st == NULL) {
        goto error;
    }
    res->unit = _PyCodegen_Module(&c, mod);
    if (res->unit == NULL) {
        goto error;
    }
    goto done;
error:
    if (res != NULL && res->arena != NULL) {
        _PyArena_Free(res->arena);
    }
    PyMem_RawFree(res);
    PyMem_RawFree(c.warnings);
    res = NULL;
    c.warnings = NULL;
done:
    while (c.u != NULL) {
        _PyCompile_AbandonScope(&c);
    }
    if (res != NULL) {
        res->warnings = c.warnings;
        res->nwarnings = c.nwarnings;
    }
    _PyFold_Clear(&c.folder);
    _PySymtable_Free(c.st);
    if (c.scratch != NULL) {
        _PyArena_Free(c.scratch);
    }
    (void)ast_arena;
    return res;
}

/* Free a result and its arena (all code units and constants in it). */
void
_PyCompileResult_Free(_PyCompileResult *res)
{
    if (res == NULL) {
        return;
    }
    PyMem_RawFree(res->warnings);
    if (res->arena != NULL) {
        _PyArena_Free(res->arena);
    }
    PyMem_RawFree(res);
}
