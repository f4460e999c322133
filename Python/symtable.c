/* Symbol tables (see pycore_symtable.h).

   Two passes.  The first walks the AST, opens a scope for every module,
   class, function, lambda and comprehension, and records per scope what it
   does with each name (flags), plus the errors that depend only on the
   order of statements (global after use, duplicate parameters, ...).  The
   second walks the scopes top-down passing the names bound by enclosing
   functions, decides where each name lives, and bottom-up turns locals
   that children use into cells and passes the rest up as free variables.

   The order of children and of the checks follows 3.11, since both are
   visible (symtable module, which error wins). */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "Python.h"
#include "pycore_compile.h"
#include "pycore_symtable.h"

/* 3.11 allows recursion_limit * 3 levels of nesting while compiling. */
#define MAX_NESTING 3000

/* ------------------------------------------------------------------ */
/* Name maps */

/* FNV-1a hash of a NUL-terminated name. */
static size_t
hash_name(const char *s)
{
    size_t h = 1469598103934665603u;
    for (; *s; s++) {
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    }
    return h;
}

/* Index of NAME in MAP (insertion order), or -1. */
Py_ssize_t
_PySymMap_Find(const _PySymMap *map, const char *name)
{
    if (map->nslots == 0) {
        return -1;
    }
    size_t mask = (size_t)map->nslots - 1;
    for (size_t i = hash_name(name) & mask;; i = (i + 1) & mask) {
        Py_ssize_t slot = map->slots[i];
        if (slot == 0) {
            return -1;
        }
        if (strcmp(map->names[slot - 1], name) == 0) {
            return slot - 1;
        }
    }
}

/* Rebuild MAP's open-addressing index with NSLOTS slots (a power of two). */
static int
map_rehash(_PySymMap *map, Py_ssize_t nslots)
{
    Py_ssize_t *slots = PyMem_RawCalloc((size_t)nslots, sizeof(*slots));
    if (slots == NULL) {
        return -1;
    }
    size_t mask = (size_t)nslots - 1;
    for (Py_ssize_t k = 0; k < map->size; k++) {
        size_t i = hash_name(map->names[k]) & mask;
        while (slots[i] != 0) {
            i = (i + 1) & mask;
        }
        slots[i] = k + 1;
    }
    PyMem_RawFree(map->slots);
    map->slots = slots;
    map->nslots = nslots;
    return 0;
}

/* Set NAME to VALUE, appending it if new; returns its index or -1 on memory
   error.  NAME is not copied: it must outlive the map (arena strings do). */
Py_ssize_t
_PySymMap_Set(_PySymMap *map, const char *name, long value)
{
    Py_ssize_t k = _PySymMap_Find(map, name);
    if (k >= 0) {
        map->values[k] = value;
        return k;
    }
    if (map->size == map->alloc) {
        Py_ssize_t n = map->alloc ? map->alloc * 2 : 8;
        const char **names = PyMem_RawRealloc(map->names,
                                              (size_t)n * sizeof(*names));
        if (names == NULL) {
            return -1;
        }
        map->names = names;
        long *values = PyMem_RawRealloc(map->values,
                                        (size_t)n * sizeof(*values));
        if (values == NULL) {
            return -1;
        }
        map->values = values;
        map->alloc = n;
    }
    if ((map->size + 1) * 2 > map->nslots) {
        if (map_rehash(map, map->nslots ? map->nslots * 2 : 16) < 0) {
            return -1;
        }
    }
    k = map->size++;
    map->names[k] = name;
    map->values[k] = value;
    size_t mask = (size_t)map->nslots - 1;
    size_t i = hash_name(name) & mask;
    while (map->slots[i] != 0) {
        i = (i + 1) & mask;
    }
    map->slots[i] = k + 1;
    return k;
}

/* Value of NAME, or DFLT when absent. */
long
_PySymMap_Get(const _PySymMap *map, const char *name, long dflt)
{
    Py_ssize_t k = _PySymMap_Find(map, name);
    return k < 0 ? dflt : map->values[k];
}

/* Free MAP's arrays and leave it empty. */
void
_PySymMap_Clear(_PySymMap *map)
{
    PyMem_RawFree(map->names);
    PyMem_RawFree(map->values);
    PyMem_RawFree(map->slots);
    memset(map, 0, sizeof(*map));
}

/* Sets are maps whose present members have a nonzero value. */
static int
set_contains(const _PySymMap *set, const char *name)
{
    return set != NULL && _PySymMap_Get(set, name, 0) != 0;
}

/* Maps double as name sets: a member has a nonzero value. */
static int
set_add(_PySymMap *set, const char *name)
{
    return _PySymMap_Set(set, name, 1) < 0 ? -1 : 0;
}

/* Remove NAME from the set (its value becomes 0; the slot stays). */
static int
set_discard(_PySymMap *set, const char *name)
{
    if (_PySymMap_Find(set, name) < 0) {
        return 0;
    }
    return _PySymMap_Set(set, name, 0) < 0 ? -1 : 0;
}

/* Add every member of SRC (NULL allowed) to DST. */
static int
set_update(_PySymMap *dst, const _PySymMap *src)
{
    for (Py_ssize_t i = 0; src != NULL && i < src->size; i++) {
        if (src->values[i] != 0 && set_add(dst, src->names[i]) < 0) {
            return -1;
        }
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Growable arrays */

/* Make room for NEEDED items in the array *ITEMS of *ALLOC items of
   ITEMSIZE bytes. */
static int
grow(void **items, int *alloc, int needed, size_t itemsize)
{
    if (needed <= *alloc) {
        return 0;
    }
    int n = *alloc ? *alloc * 2 : 4;
    while (n < needed) {
        n *= 2;
    }
    void *p = PyMem_RawRealloc(*items, (size_t)n * itemsize);
    if (p == NULL) {
        return -1;
    }
    *items = p;
    *alloc = n;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Mangling */

/* Private name mangling: __spam inside class _Ham becomes _Ham__spam (not
   dunder names, dotted names, or when the class name is all underscores).
   Returns NAME itself when unchanged, else an arena string; NULL on memory
   error. */
const char *
_PySymtable_Mangle(_PyArena *arena, const char *privname, const char *name)
{
    if (privname == NULL || name[0] != '_' || name[1] != '_') {
        return name;
    }
    size_t n = strlen(name);
    if ((n >= 2 && name[n - 1] == '_' && name[n - 2] == '_')
        || strchr(name, '.') != NULL) {
        return name;
    }
    while (*privname == '_') {
        privname++;
    }
    if (*privname == '\0') {
        return name;
    }
    size_t p = strlen(privname);
    char *out = _PyArena_Malloc(arena, n + p + 2);
    if (out == NULL) {
        return NULL;
    }
    out[0] = '_';
    memcpy(out + 1, privname, p);
    memcpy(out + 1 + p, name, n + 1);
    return out;
}

/* ------------------------------------------------------------------ */
/* Builder state */

typedef struct {
    int lineno;
    int col_offset;
    int end_lineno;
    int end_col_offset;
} location;

#define LOC(node) ((location){(node)->lineno, (node)->col_offset, \
                              (node)->end_lineno, (node)->end_col_offset})

typedef struct {
    _PySymtable *st;
    _PySymEntry *cur;
    _PySymEntry **stack;        /* enclosing scopes, outermost first */
    int nstack;
    int allocstack;
    const char *privname;       /* class name for mangling, or NULL */
    int depth;
    _PySyntaxErrorInfo *err;
} builder;

/* Record a SyntaxError at LOC; returns -1. */
static int
error_at(builder *b, const char *msg, location loc)
{
    _PyCompile_SetError(b->err, "SyntaxError", msg, loc.lineno,
                        loc.col_offset, loc.end_lineno, loc.end_col_offset);
    return -1;
}

/* Record a SyntaxError whose message has one %s for NAME. */
static int
error_name_at(builder *b, const char *fmt, const char *name, location loc)
{
    char msg[512];
    snprintf(msg, sizeof(msg), fmt, name);
    return error_at(b, msg, loc);
}

/* Record a MemoryError; returns -1. */
static int
no_memory(builder *b)
{
    _PyCompile_SetError(b->err, "MemoryError", "", 0, -1, 0, -1);
    return -1;
}

/* Count one level of AST recursion; past the limit, 3.11's RecursionError
   'maximum recursion depth exceeded during compilation'.  Callers decrement
   b->depth on the way out. */
static int
enter_recursion(builder *b)
{
    if (++b->depth > MAX_NESTING) {
        _PyCompile_SetError(b->err, "RecursionError",
                            "maximum recursion depth exceeded during "
                            "compilation", 0, -1, 0, -1);
        return -1;
    }
    return 0;
}

/* Map the AST node KEY to its block so the compiler can find it. */
static int
register_key(_PySymtable *st, const void *key, _PySymEntry *ste)
{
    if ((st->nkeys + 1) * 2 > st->nslots) {
        Py_ssize_t n = st->nslots ? st->nslots * 2 : 64;
        const void **keys = PyMem_RawCalloc((size_t)n, sizeof(*keys));
        _PySymEntry **entries = PyMem_RawCalloc((size_t)n, sizeof(*entries));
        if (keys == NULL || entries == NULL) {
            PyMem_RawFree(keys);
            PyMem_RawFree(entries);
            return -1;
        }
        for (Py_ssize_t i = 0; i < st->nslots; i++) {
            if (st->keys[i] == NULL) {
                continue;
            }
            size_t j = ((uintptr_t)st->keys[i] >> 4) & (size_t)(n - 1);
            while (keys[j] != NULL) {
                j = (j + 1) & (size_t)(n - 1);
            }
            keys[j] = st->keys[i];
            entries[j] = st->entries[i];
        }
        PyMem_RawFree(st->keys);
        PyMem_RawFree(st->entries);
        st->keys = keys;
        st->entries = entries;
        st->nslots = n;
    }
    size_t mask = (size_t)st->nslots - 1;
    size_t j = ((uintptr_t)key >> 4) & mask;
    while (st->keys[j] != NULL) {
        j = (j + 1) & mask;
    }
    st->keys[j] = key;
    st->entries[j] = ste;
    st->nkeys++;
    return 0;
}

/* The block whose AST node is KEY, or NULL. */
_PySymEntry *
_PySymtable_Lookup(_PySymtable *st, const void *key)
{
    if (st->nslots == 0) {
        return NULL;
    }
    size_t mask = (size_t)st->nslots - 1;
    for (size_t j = ((uintptr_t)key >> 4) & mask;; j = (j + 1) & mask) {
        if (st->keys[j] == NULL) {
            return NULL;
        }
        if (st->keys[j] == key) {
            return st->entries[j];
        }
    }
}

/* The DEF_* flags and scope bits of NAME in STE (0 if not a symbol there). */
long
_PySymEntry_GetSymbol(const _PySymEntry *ste, const char *name)
{
    return _PySymMap_Get(&ste->symbols, name, 0);
}

/* The resolved scope (LOCAL, GLOBAL_EXPLICIT, GLOBAL_IMPLICIT, FREE, CELL)
   of NAME in STE, 0 if unknown. */
int
_PySymEntry_GetScope(const _PySymEntry *ste, const char *name)
{
    return (int)((_PySymEntry_GetSymbol(ste, name) >> SCOPE_OFF)
                 & SCOPE_MASK);
}

/* Create a block (module, class, function, annotation) as a child of the
   current one and enter it. */
static _PySymEntry *
new_entry(builder *b, const char *name, _PySymBlockType type,
          const void *key, location loc)
{
    _PySymtable *st = b->st;
    _PySymEntry *ste = _PyArena_Malloc(st->arena, sizeof(*ste));
    if (ste == NULL) {
        return NULL;
    }
    memset(ste, 0, sizeof(*ste));
    if (grow((void **)&st->all, &st->allocall, st->nall + 1,
             sizeof(*st->all)) < 0) {
        return NULL;
    }
    st->all[st->nall++] = ste;
    ste->key = key;
    ste->name = name;
    ste->type = type;
    ste->lineno = loc.lineno;
    ste->col_offset = loc.col_offset;
    ste->end_lineno = loc.end_lineno;
    ste->end_col_offset = loc.end_col_offset;
    if (b->cur != NULL
        && (b->cur->nested || b->cur->type == _PySym_FunctionBlock)) {
        ste->nested = 1;
    }
    /* A scope opened inside a comprehension's iterable is still inside
       it: no assignment expressions there either. */
    if (b->cur != NULL) {
        ste->comp_iter_expr = b->cur->comp_iter_expr;
    }
    if (type != _PySym_AnnotationBlock && register_key(st, key, ste) < 0) {
        return NULL;
    }
    return ste;
}

/* Open a scope below the current one.  Annotation scopes are not the
   parent's children: nothing in them is ever compiled. */
static int
enter_block(builder *b, const char *name, _PySymBlockType type,
            const void *key, location loc)
{
    _PySymEntry *ste = new_entry(b, name, type, key, loc);
    if (ste == NULL) {
        return no_memory(b);
    }
    _PySymEntry *parent = b->cur;
    if (parent != NULL && type != _PySym_AnnotationBlock) {
        if (grow((void **)&parent->children, &parent->allocchildren,
                 parent->nchildren + 1, sizeof(*parent->children)) < 0) {
            return no_memory(b);
        }
        parent->children[parent->nchildren++] = ste;
    }
    if (parent != NULL) {
        if (grow((void **)&b->stack, &b->allocstack, b->nstack + 1,
                 sizeof(*b->stack)) < 0) {
            return no_memory(b);
        }
        b->stack[b->nstack++] = parent;
    }
    b->cur = ste;
    return 0;
}

/* Return to the enclosing block. */
static void
exit_block(builder *b)
{
    b->cur = b->nstack > 0 ? b->stack[--b->nstack] : NULL;
}

/* NAME mangled for the innermost class. */
static const char *
mangle(builder *b, const char *name)
{
    return _PySymtable_Mangle(b->st->arena, b->privname, name);
}

/* Record FLAG for NAME in STE (NAME mangled already). */
static int
add_def_mangled(builder *b, _PySymEntry *ste, const char *mangled,
                const char *name, long flag, location loc)
{
    Py_ssize_t k = _PySymMap_Find(&ste->symbols, mangled);
    long val = flag;
    if (k >= 0) {
        val = ste->symbols.values[k];
        if ((flag & DEF_PARAM) && (val & DEF_PARAM)) {
            return error_name_at(b, "duplicate argument '%s' in function "
                                 "definition", name, loc);
        }
        val |= flag;
    }
    if (ste->comp_iter_target) {
        if (val & (DEF_GLOBAL | DEF_NONLOCAL)) {
            return error_name_at(b, "comprehension inner loop cannot rebind "
                                 "assignment expression target '%s'",
                                 name, loc);
        }
        val |= DEF_COMP_ITER;
    }
    if (_PySymMap_Set(&ste->symbols, mangled, val) < 0) {
        return no_memory(b);
    }
    if (flag & DEF_PARAM) {
        if (grow((void **)&ste->varnames, &ste->allocvarnames,
                 ste->nvarnames + 1, sizeof(*ste->varnames)) < 0) {
            return no_memory(b);
        }
        ste->varnames[ste->nvarnames++] = mangled;
    }
    else if (flag & DEF_GLOBAL) {
        _PySymMap *g = &b->st->top->symbols;
        long gval = _PySymMap_Get(g, mangled, 0) | flag;
        if (_PySymMap_Set(g, mangled, gval) < 0) {
            return no_memory(b);
        }
    }
    return 0;
}

/* Add FLAG to NAME (mangled for the innermost class) in STE. */
static int
add_def_in(builder *b, _PySymEntry *ste, const char *name, long flag,
           location loc)
{
    const char *mangled = mangle(b, name);
    if (mangled == NULL) {
        return no_memory(b);
    }
    return add_def_mangled(b, ste, mangled, name, flag, loc);
}

/* add_def_in for the current block. */
static int
add_def(builder *b, const char *name, long flag, location loc)
{
    return add_def_in(b, b->cur, name, flag, loc);
}

/* Flags of NAME (mangled; *MANGLED receives the spelling) in the current
   block, or -1 on memory error. */
static long
lookup(builder *b, const char *name, const char **mangled)
{
    *mangled = mangle(b, name);
    if (*mangled == NULL) {
        return -1;
    }
    return _PySymEntry_GetSymbol(b->cur, *mangled);
}

/* Remember where a global/nonlocal statement named MANGLED, for the errors
   reported during analysis. */
static int
record_directive(builder *b, _PySymEntry *ste, const char *mangled,
                 location loc)
{
    if (grow((void **)&ste->directives, &ste->allocdirectives,
             ste->ndirectives + 1, sizeof(*ste->directives)) < 0) {
        return no_memory(b);
    }
    _PySymDirective *d = &ste->directives[ste->ndirectives++];
    d->name = mangled;
    d->lineno = loc.lineno;
    d->col_offset = loc.col_offset;
    d->end_lineno = loc.end_lineno;
    d->end_col_offset = loc.end_col_offset;
    return 0;
}

/* ------------------------------------------------------------------ */
/* First pass: the visitors */

static int visit_stmt(builder *b, stmt_ty s);
static int visit_expr(builder *b, expr_ty e);
static int visit_pattern(builder *b, pattern_ty p);

/* visit_stmt over a statement list. */
static int
visit_stmts(builder *b, asdl_stmt_seq *seq)
{
    for (Py_ssize_t i = 0; i < asdl_seq_LEN(seq); i++) {
        if (visit_stmt(b, asdl_seq_GET(seq, i)) < 0) {
            return -1;
        }
    }
    return 0;
}

/* Visit every expression of SEQ, skipping NULLs (dict `**` keys, absent
   keyword-only defaults). */
static int
visit_exprs(builder *b, asdl_expr_seq *seq)
{
    for (Py_ssize_t i = 0; i < asdl_seq_LEN(seq); i++) {
        expr_ty e = asdl_seq_GET(seq, i);
        if (e != NULL && visit_expr(b, e) < 0) {
            return -1;
        }
    }
    return 0;
}

/* visit_pattern over a pattern list. */
static int
visit_patterns(builder *b, asdl_pattern_seq *seq)
{
    for (Py_ssize_t i = 0; i < asdl_seq_LEN(seq); i++) {
        if (visit_pattern(b, asdl_seq_GET(seq, i)) < 0) {
            return -1;
        }
    }
    return 0;
}

/* Visit the values of keyword arguments. */
static int
visit_keywords(builder *b, asdl_keyword_seq *seq)
{
    for (Py_ssize_t i = 0; i < asdl_seq_LEN(seq); i++) {
        if (visit_expr(b, asdl_seq_GET(seq, i)->value) < 0) {
            return -1;
        }
    }
    return 0;
}

/* Define each parameter of ARGS in the current (function) block. */
static int
visit_params(builder *b, asdl_arg_seq *args)
{
    for (Py_ssize_t i = 0; i < asdl_seq_LEN(args); i++) {
        arg_ty a = asdl_seq_GET(args, i);
        if (add_def(b, a->arg, DEF_PARAM, LOC(a)) < 0) {
            return -1;
        }
    }
    return 0;
}

/* Define all parameters, positional-only first, then *args, keyword-only,
   **kwargs (3.11's varnames order). */
static int
visit_arguments(builder *b, arguments_ty a)
{
    if (visit_params(b, a->posonlyargs) < 0 || visit_params(b, a->args) < 0
        || visit_params(b, a->kwonlyargs) < 0) {
        return -1;
    }
    if (a->vararg != NULL) {
        if (add_def(b, a->vararg->arg, DEF_PARAM, LOC(a->vararg)) < 0) {
            return -1;
        }
        b->cur->varargs = 1;
    }
    if (a->kwarg != NULL) {
        if (add_def(b, a->kwarg->arg, DEF_PARAM, LOC(a->kwarg)) < 0) {
            return -1;
        }
        b->cur->varkeywords = 1;
    }
    return 0;
}

/* Annotations are evaluated in the enclosing scope, unless `from
   __future__ import annotations` turns them into strings: then they are
   only checked, in a scope of their own that nothing ever sees. */
static int
begin_annotation(builder *b, const void *key, location loc)
{
    if (!(b->st->future_features & CO_FUTURE_ANNOTATIONS)) {
        return 0;
    }
    return enter_block(b, "_annotation", _PySym_AnnotationBlock, key, loc);
}

/* Leave the annotation block opened by begin_annotation (only under `from
   __future__ import annotations`). */
static void
end_annotation(builder *b)
{
    if (b->st->future_features & CO_FUTURE_ANNOTATIONS) {
        exit_block(b);
    }
}

/* Visit one annotation: in the enclosing scope normally, in a detached
   annotation block under future annotations. */
static int
visit_annotation(builder *b, expr_ty annotation)
{
    if (begin_annotation(b, annotation, LOC(annotation)) < 0) {
        return -1;
    }
    int res = visit_expr(b, annotation);
    if (res == 0) {
        end_annotation(b);
    }
    return res;
}

/* Visit the annotation of each parameter of ARGS. */
static int
visit_arg_annotations(builder *b, asdl_arg_seq *args)
{
    for (Py_ssize_t i = 0; i < asdl_seq_LEN(args); i++) {
        arg_ty a = asdl_seq_GET(args, i);
        if (a->annotation != NULL && visit_expr(b, a->annotation) < 0) {
            return -1;
        }
    }
    return 0;
}

/* Parameter annotations then the return annotation, in 3.11's order. */
static int
visit_annotations(builder *b, stmt_ty s, arguments_ty a, expr_ty returns)
{
    if (begin_annotation(b, a, LOC(s)) < 0) {
        return -1;
    }
    if (visit_arg_annotations(b, a->posonlyargs) < 0
        || visit_arg_annotations(b, a->args) < 0) {
        return -1;
    }
    if (a->vararg != NULL && a->vararg->annotation != NULL
        && visit_expr(b, a->vararg->annotation) < 0) {
        return -1;
    }
    if (a->kwarg != NULL && a->kwarg->annotation != NULL
        && visit_expr(b, a->kwarg->annotation) < 0) {
        return -1;
    }
    if (visit_arg_annotations(b, a->kwonlyargs) < 0) {
        return -1;
    }
    if (returns != NULL && visit_expr(b, returns) < 0) {
        return -1;
    }
    end_annotation(b);
    return 0;
}

/* def / async def: the name and decorators, defaults and annotations in the
   enclosing scope, then the body in a new function block. */
static int
visit_function(builder *b, stmt_ty s, identifier name, arguments_ty args,
               asdl_stmt_seq *body, asdl_expr_seq *decorators,
               expr_ty returns, int is_async)
{
    if (add_def(b, name, DEF_LOCAL, LOC(s)) < 0) {
        return -1;
    }
    if (visit_exprs(b, args->defaults) < 0
        || visit_exprs(b, args->kw_defaults) < 0) {
        return -1;
    }
    if (visit_annotations(b, s, args, returns) < 0) {
        return -1;
    }
    if (visit_exprs(b, decorators) < 0) {
        return -1;
    }
    if (enter_block(b, name, _PySym_FunctionBlock, s, LOC(s)) < 0) {
        return -1;
    }
    if (is_async) {
        b->cur->coroutine = 1;
    }
    if (visit_arguments(b, args) < 0 || visit_stmts(b, body) < 0) {
        return -1;
    }
    exit_block(b);
    return 0;
}

/* class: bases, keywords and decorators in the enclosing scope, the body in
   a class block with its private name set. */
static int
visit_class(builder *b, stmt_ty s)
{
    if (add_def(b, s->v.ClassDef.name, DEF_LOCAL, LOC(s)) < 0) {
        return -1;
    }
    if (visit_exprs(b, s->v.ClassDef.bases) < 0
        || visit_keywords(b, s->v.ClassDef.keywords) < 0
        || visit_exprs(b, s->v.ClassDef.decorator_list) < 0) {
        return -1;
    }
    if (enter_block(b, s->v.ClassDef.name, _PySym_ClassBlock, s,
                    LOC(s)) < 0) {
        return -1;
    }
    const char *saved = b->privname;
    b->privname = s->v.ClassDef.name;
    if (visit_stmts(b, s->v.ClassDef.body) < 0) {
        return -1;
    }
    b->privname = saved;
    exit_block(b);
    return 0;
}

/* `global` and `nonlocal`: the name must not have been used, assigned,
   annotated or be a parameter before the declaration. */
static int
visit_declaration(builder *b, stmt_ty s, asdl_identifier_seq *names,
                  int is_global)
{
    for (Py_ssize_t i = 0; i < asdl_seq_LEN(names); i++) {
        const char *name = asdl_seq_GET(names, i);
        const char *mangled;
        long cur = lookup(b, name, &mangled);
        if (cur < 0) {
            return no_memory(b);
        }
        if (cur & (DEF_PARAM | DEF_LOCAL | USE | DEF_ANNOT)) {
            const char *fmt;
            if (cur & DEF_PARAM) {
                fmt = is_global ? "name '%s' is parameter and global"
                                : "name '%s' is parameter and nonlocal";
            }
            else if (cur & USE) {
                fmt = is_global ? "name '%s' is used prior to global "
                                  "declaration"
                                : "name '%s' is used prior to nonlocal "
                                  "declaration";
            }
            else if (cur & DEF_ANNOT) {
                fmt = is_global ? "annotated name '%s' can't be global"
                                : "annotated name '%s' can't be nonlocal";
            }
            else {
                fmt = is_global ? "name '%s' is assigned to before global "
                                  "declaration"
                                : "name '%s' is assigned to before nonlocal "
                                  "declaration";
            }
            return error_name_at(b, fmt, name, LOC(s));
        }
        if (add_def_mangled(b, b->cur, mangled, name,
                            is_global ? DEF_GLOBAL : DEF_NONLOCAL,
                            LOC(s)) < 0) {
            return -1;
        }
        if (record_directive(b, b->cur, mangled, LOC(s)) < 0) {
            return -1;
        }
    }
    return 0;
}

/* Annotated assignment, with 3.11's errors for annotated global/nonlocal
   names. */
static int
visit_ann_assign(builder *b, stmt_ty s)
{
    expr_ty target = s->v.AnnAssign.target;
    if (target->kind == Name_kind) {
        const char *name = target->v.Name.id;
        const char *mangled;
        long cur = lookup(b, name, &mangled);
        if (cur < 0) {
            return no_memory(b);
        }
        if ((cur & (DEF_GLOBAL | DEF_NONLOCAL))
            && b->cur != b->st->top && s->v.AnnAssign.simple) {
            return error_name_at(b, (cur & DEF_GLOBAL)
                                 ? "annotated name '%s' can't be global"
                                 : "annotated name '%s' can't be nonlocal",
                                 name, LOC(s));
        }
        if (s->v.AnnAssign.simple) {
            if (add_def(b, name, DEF_ANNOT | DEF_LOCAL, LOC(target)) < 0) {
                return -1;
            }
        }
        else if (s->v.AnnAssign.value != NULL
                 && add_def(b, name, DEF_LOCAL, LOC(target)) < 0) {
            return -1;
        }
    }
    else if (visit_expr(b, target) < 0) {
        return -1;
    }
    if (visit_annotation(b, s->v.AnnAssign.annotation) < 0) {
        return -1;
    }
    if (s->v.AnnAssign.value != NULL
        && visit_expr(b, s->v.AnnAssign.value) < 0) {
        return -1;
    }
    return 0;
}

/* An import binds the first component of a dotted name, or its alias. */
static int
visit_alias(builder *b, alias_ty a)
{
    const char *store = a->asname != NULL ? a->asname : a->name;
    if (strcmp(a->name, "*") == 0) {
        if (b->cur->type != _PySym_ModuleBlock) {
            return error_at(b, "import * only allowed at module level",
                            LOC(a));
        }
        return 0;
    }
    if (a->asname == NULL) {
        const char *dot = strchr(a->name, '.');
        if (dot != NULL) {
            store = _PyArena_Strndup(b->st->arena, a->name,
                                     (size_t)(dot - a->name));
            if (store == NULL) {
                return no_memory(b);
            }
        }
    }
    return add_def(b, store, DEF_IMPORT, LOC(a));
}

/* Visit each alias of an import statement. */
static int
visit_aliases(builder *b, asdl_alias_seq *names)
{
    for (Py_ssize_t i = 0; i < asdl_seq_LEN(names); i++) {
        if (visit_alias(b, asdl_seq_GET(names, i)) < 0) {
            return -1;
        }
    }
    return 0;
}

/* Visit except clauses: type, bound name, body. */
static int
visit_handlers(builder *b, asdl_excepthandler_seq *handlers)
{
    for (Py_ssize_t i = 0; i < asdl_seq_LEN(handlers); i++) {
        excepthandler_ty h = asdl_seq_GET(handlers, i);
        if (h->v.ExceptHandler.type != NULL
            && visit_expr(b, h->v.ExceptHandler.type) < 0) {
            return -1;
        }
        if (h->v.ExceptHandler.name != NULL
            && add_def(b, h->v.ExceptHandler.name, DEF_LOCAL, LOC(h)) < 0) {
            return -1;
        }
        if (visit_stmts(b, h->v.ExceptHandler.body) < 0) {
            return -1;
        }
    }
    return 0;
}

/* Visit the context expressions and targets of a with statement. */
static int
visit_withitems(builder *b, asdl_withitem_seq *items)
{
    for (Py_ssize_t i = 0; i < asdl_seq_LEN(items); i++) {
        withitem_ty item = asdl_seq_GET(items, i);
        if (visit_expr(b, item->context_expr) < 0) {
            return -1;
        }
        if (item->optional_vars != NULL
            && visit_expr(b, item->optional_vars) < 0) {
            return -1;
        }
    }
    return 0;
}

/* Visit the subject, then each case's pattern, guard and body. */
static int
visit_match(builder *b, stmt_ty s)
{
    if (visit_expr(b, s->v.Match.subject) < 0) {
        return -1;
    }
    asdl_match_case_seq *cases = s->v.Match.cases;
    for (Py_ssize_t i = 0; i < asdl_seq_LEN(cases); i++) {
        match_case_ty c = asdl_seq_GET(cases, i);
        if (visit_pattern(b, c->pattern) < 0) {
            return -1;
        }
        if (c->guard != NULL && visit_expr(b, c->guard) < 0) {
            return -1;
        }
        if (visit_stmts(b, c->body) < 0) {
            return -1;
        }
    }
    return 0;
}

/* try / try*: all parts are in the same scope. */
static int
visit_try(builder *b, asdl_stmt_seq *body, asdl_excepthandler_seq *handlers,
          asdl_stmt_seq *orelse, asdl_stmt_seq *finalbody)
{
    if (visit_stmts(b, body) < 0 || visit_stmts(b, orelse) < 0
        || visit_handlers(b, handlers) < 0 || visit_stmts(b, finalbody) < 0) {
        return -1;
    }
    return 0;
}

/* for / async for: target, iterator, body, else. */
static int
visit_loop(builder *b, expr_ty target, expr_ty iter, asdl_stmt_seq *body,
           asdl_stmt_seq *orelse)
{
    if (visit_expr(b, target) < 0 || visit_expr(b, iter) < 0
        || visit_stmts(b, body) < 0 || visit_stmts(b, orelse) < 0) {
        return -1;
    }
    return 0;
}

/* Dispatch on statement kind. */
static int
visit_stmt_kind(builder *b, stmt_ty s)
{
    switch (s->kind) {
    case FunctionDef_kind:
        return visit_function(b, s, s->v.FunctionDef.name,
                              s->v.FunctionDef.args, s->v.FunctionDef.body,
                              s->v.FunctionDef.decorator_list,
                              s->v.FunctionDef.returns, 0);
    case AsyncFunctionDef_kind:
        return visit_function(b, s, s->v.AsyncFunctionDef.name,
                              s->v.AsyncFunctionDef.args,
                              s->v.AsyncFunctionDef.body,
                              s->v.AsyncFunctionDef.decorator_list,
                              s->v.AsyncFunctionDef.returns, 1);
    case ClassDef_kind:
        return visit_class(b, s);
    case Return_kind:
        if (s->v.Return.value != NULL) {
            if (visit_expr(b, s->v.Return.value) < 0) {
                return -1;
            }
            b->cur->returns_value = 1;
        }
        return 0;
    case Delete_kind:
        return visit_exprs(b, s->v.Delete.targets);
    case Assign_kind:
        if (visit_exprs(b, s->v.Assign.targets) < 0) {
            return -1;
        }
        return visit_expr(b, s->v.Assign.value);
    case AnnAssign_kind:
        return visit_ann_assign(b, s);
    case AugAssign_kind:
        if (visit_expr(b, s->v.AugAssign.target) < 0) {
            return -1;
        }
        return visit_expr(b, s->v.AugAssign.value);
    case For_kind:
        return visit_loop(b, s->v.For.target, s->v.For.iter, s->v.For.body,
                          s->v.For.orelse);
    case AsyncFor_kind:
        return visit_loop(b, s->v.AsyncFor.target, s->v.AsyncFor.iter,
                          s->v.AsyncFor.body, s->v.AsyncFor.orelse);
    case While_kind:
        if (visit_expr(b, s->v.While.test) < 0
            || visit_stmts(b, s->v.While.body) < 0) {
            return -1;
        }
        return visit_stmts(b, s->v.While.orelse);
    case If_kind:
        if (visit_expr(b, s->v.If.test) < 0
            || visit_stmts(b, s->v.If.body) < 0) {
            return -1;
        }
        return visit_stmts(b, s->v.If.orelse);
    case Match_kind:
        return visit_match(b, s);
    case Raise_kind:
        if (s->v.Raise.exc != NULL && visit_expr(b, s->v.Raise.exc) < 0) {
            return -1;
        }
        if (s->v.Raise.cause != NULL
            && visit_expr(b, s->v.Raise.cause) < 0) {
            return -1;
        }
        return 0;
    case Try_kind:
        return visit_try(b, s->v.Try.body, s->v.Try.handlers,
                         s->v.Try.orelse, s->v.Try.finalbody);
    case TryStar_kind:
        return visit_try(b, s->v.TryStar.body, s->v.TryStar.handlers,
                         s->v.TryStar.orelse, s->v.TryStar.finalbody);
    case Assert_kind:
        if (visit_expr(b, s->v.Assert.test) < 0) {
            return -1;
        }
        if (s->v.Assert.msg != NULL && visit_expr(b, s->v.Assert.msg) < 0) {
            return -1;
        }
        return 0;
    case Import_kind:
        return visit_aliases(b, s->v.Import.names);
    case ImportFrom_kind:
        return visit_aliases(b, s->v.ImportFrom.names);
    case Global_kind:
        return visit_declaration(b, s, s->v.Global.names, 1);
    case Nonlocal_kind:
        return visit_declaration(b, s, s->v.Nonlocal.names, 0);
    case Expr_kind:
        return visit_expr(b, s->v.Expr.value);
    case With_kind:
        if (visit_withitems(b, s->v.With.items) < 0) {
            return -1;
        }
        return visit_stmts(b, s->v.With.body);
    case AsyncWith_kind:
        if (visit_withitems(b, s->v.AsyncWith.items) < 0) {
            return -1;
        }
        return visit_stmts(b, s->v.AsyncWith.body);
    case Pass_kind:
    case Break_kind:
    case Continue_kind:
        return 0;
    }
    return 0;
}

/* Visit one statement, counting recursion depth. */
static int
visit_stmt(builder *b, stmt_ty s)
{
    if (enter_recursion(b) < 0) {
        return -1;
    }
    int res = visit_stmt_kind(b, s);
    b->depth--;
    return res;
}

/* An assignment expression in a comprehension binds in the nearest
   enclosing function (or module); the comprehension refers to it as a
   nonlocal (global). */
static int
extend_namedexpr_scope(builder *b, expr_ty target)
{
    const char *name = target->v.Name.id;
    for (int i = b->nstack; i >= 0; i--) {
        _PySymEntry *ste = i == b->nstack ? b->cur : b->stack[i];
        if (ste->comprehension) {
            const char *mangled = mangle(b, name);
            if (mangled == NULL) {
                return no_memory(b);
            }
            if (_PySymEntry_GetSymbol(ste, mangled) & DEF_COMP_ITER) {
                return error_name_at(b, "assignment expression cannot "
                                     "rebind comprehension iteration "
                                     "variable '%s'", name, LOC(target));
            }
            continue;
        }
        if (ste->type == _PySym_FunctionBlock) {
            const char *mangled = mangle(b, name);
            if (mangled == NULL) {
                return no_memory(b);
            }
            long flag = (_PySymEntry_GetSymbol(ste, mangled) & DEF_GLOBAL)
                        ? DEF_GLOBAL : DEF_NONLOCAL;
            if (add_def(b, name, flag, LOC(target)) < 0
                || record_directive(b, b->cur, mangled, LOC(target)) < 0) {
                return -1;
            }
            return add_def_in(b, ste, name, DEF_LOCAL, LOC(target));
        }
        if (ste->type == _PySym_ModuleBlock) {
            const char *mangled = mangle(b, name);
            if (mangled == NULL) {
                return no_memory(b);
            }
            if (add_def(b, name, DEF_GLOBAL, LOC(target)) < 0
                || record_directive(b, b->cur, mangled, LOC(target)) < 0) {
                return -1;
            }
            return add_def_in(b, ste, name, DEF_GLOBAL, LOC(target));
        }
        if (ste->type == _PySym_ClassBlock) {
            return error_at(b, "assignment expression within a "
                            "comprehension cannot be used in a class body",
                            LOC(target));
        }
        return error_at(b, "'named expression' can not be used within an "
                        "annotation", LOC(target));
    }
    return 0;
}

/* 3.11's error for yield, await and walrus inside an annotation under
   future annotations. */
static int
annotation_error(builder *b, const char *what, expr_ty e)
{
    char msg[128];
    snprintf(msg, sizeof(msg), "'%s' can not be used within an annotation",
             what);
    return error_at(b, msg, LOC(e));
}

/* Assignment expression: inside a comprehension it binds in the nearest
   enclosing function or module scope, with 3.11's errors for comprehension
   iterables, class bodies and iteration variables. */
static int
visit_named_expr(builder *b, expr_ty e)
{
    if (b->cur->type == _PySym_AnnotationBlock) {
        return annotation_error(b, "named expression", e);
    }
    if (b->cur->comp_iter_expr > 0) {
        return error_at(b, "assignment expression cannot be used in a "
                        "comprehension iterable expression", LOC(e));
    }
    if (b->cur->comprehension
        && extend_namedexpr_scope(b, e->v.NamedExpr.target) < 0) {
        return -1;
    }
    if (visit_expr(b, e->v.NamedExpr.value) < 0) {
        return -1;
    }
    return visit_expr(b, e->v.NamedExpr.target);
}

/* The noun 3.11 uses in errors about a comprehension kind. */
static const char *
comprehension_what(_PySymComprehensionType kind)
{
    switch (kind) {
    case _PySym_ListComprehension:
        return "'yield' inside list comprehension";
    case _PySym_SetComprehension:
        return "'yield' inside set comprehension";
    case _PySym_DictComprehension:
        return "'yield' inside dict comprehension";
    default:
        return "'yield' inside generator expression";
    }
}

/* yield / yield from: marks the block a generator; rejected in
   comprehensions and annotations. */
static int
visit_yield(builder *b, expr_ty e, expr_ty value)
{
    if (b->cur->type == _PySym_AnnotationBlock) {
        return annotation_error(b, "yield expression", e);
    }
    if (value != NULL && visit_expr(b, value) < 0) {
        return -1;
    }
    b->cur->generator = 1;
    if (b->cur->comprehension) {
        return error_at(b, comprehension_what(b->cur->comprehension), LOC(e));
    }
    return 0;
}

/* Visit the target, condition clauses and nested iterables of one `for`
   clause inside the comprehension block. */
static int
visit_comprehension_loop(builder *b, comprehension_ty gen)
{
    b->cur->comp_iter_target = 1;
    if (visit_expr(b, gen->target) < 0) {
        return -1;
    }
    b->cur->comp_iter_target = 0;
    b->cur->comp_iter_expr++;
    if (visit_expr(b, gen->iter) < 0) {
        return -1;
    }
    b->cur->comp_iter_expr--;
    if (visit_exprs(b, gen->ifs) < 0) {
        return -1;
    }
    if (gen->is_async) {
        b->cur->coroutine = 1;
    }
    return 0;
}

/* The first iterable is evaluated outside, then passed to the
   comprehension's own scope as its parameter ".0". */
static int
visit_comprehension(builder *b, expr_ty e, const char *scope_name,
                    _PySymComprehensionType kind,
                    asdl_comprehension_seq *generators, expr_ty elt,
                    expr_ty value)
{
    comprehension_ty outermost = asdl_seq_GET(generators, 0);
    b->cur->comp_iter_expr++;
    if (visit_expr(b, outermost->iter) < 0) {
        return -1;
    }
    b->cur->comp_iter_expr--;
    if (enter_block(b, scope_name, _PySym_FunctionBlock, e, LOC(e)) < 0) {
        return -1;
    }
    _PySymEntry *ste = b->cur;
    if (outermost->is_async) {
        ste->coroutine = 1;
    }
    ste->comprehension = kind;
    if (kind == _PySym_GeneratorExpression) {
        ste->generator = 1;
    }
    if (add_def(b, ".0", DEF_PARAM, LOC(e)) < 0) {
        return -1;
    }
    ste->comp_iter_target = 1;
    if (visit_expr(b, outermost->target) < 0) {
        return -1;
    }
    ste->comp_iter_target = 0;
    if (visit_exprs(b, outermost->ifs) < 0) {
        return -1;
    }
    for (Py_ssize_t i = 1; i < asdl_seq_LEN(generators); i++) {
        if (visit_comprehension_loop(b, asdl_seq_GET(generators, i)) < 0) {
            return -1;
        }
    }
    if (value != NULL && visit_expr(b, value) < 0) {
        return -1;
    }
    if (visit_expr(b, elt) < 0) {
        return -1;
    }
    int is_generator = kind == _PySym_GeneratorExpression;
    ste->generator = is_generator;
    int is_async = ste->coroutine && !is_generator;
    exit_block(b);
    /* Waiting for an async comprehension makes the enclosing scope a
       coroutine too. */
    if (is_async) {
        b->cur->coroutine = 1;
    }
    return 0;
}

/* lambda: defaults in the enclosing scope, body in a new function block. */
static int
visit_lambda(builder *b, expr_ty e)
{
    arguments_ty args = e->v.Lambda.args;
    if (visit_exprs(b, args->defaults) < 0
        || visit_exprs(b, args->kw_defaults) < 0) {
        return -1;
    }
    if (enter_block(b, "lambda", _PySym_FunctionBlock, e, LOC(e)) < 0) {
        return -1;
    }
    if (visit_arguments(b, args) < 0 || visit_expr(b, e->v.Lambda.body) < 0) {
        return -1;
    }
    exit_block(b);
    return 0;
}

/* Name use or binding; loading `super` inside a function also uses
   __class__, so zero-argument super() finds its cell. */
static int
visit_name(builder *b, expr_ty e)
{
    expr_context_ty ctx = e->v.Name.ctx;
    if (add_def(b, e->v.Name.id, ctx == Load ? USE : DEF_LOCAL, LOC(e)) < 0) {
        return -1;
    }
    /* super() with no arguments needs the __class__ cell. */
    if (ctx == Load && b->cur->type == _PySym_FunctionBlock
        && strcmp(e->v.Name.id, "super") == 0) {
        return add_def(b, "__class__", USE, LOC(e));
    }
    return 0;
}

/* Dispatch on expression kind. */
static int
visit_expr_kind(builder *b, expr_ty e)
{
    switch (e->kind) {
    case NamedExpr_kind:
        return visit_named_expr(b, e);
    case BoolOp_kind:
        return visit_exprs(b, e->v.BoolOp.values);
    case BinOp_kind:
        if (visit_expr(b, e->v.BinOp.left) < 0) {
            return -1;
        }
        return visit_expr(b, e->v.BinOp.right);
    case UnaryOp_kind:
        return visit_expr(b, e->v.UnaryOp.operand);
    case Lambda_kind:
        return visit_lambda(b, e);
    case IfExp_kind:
        if (visit_expr(b, e->v.IfExp.test) < 0
            || visit_expr(b, e->v.IfExp.body) < 0) {
            return -1;
        }
        return visit_expr(b, e->v.IfExp.orelse);
    case Dict_kind:
        if (visit_exprs(b, e->v.Dict.keys) < 0) {
            return -1;
        }
        return visit_exprs(b, e->v.Dict.values);
    case Set_kind:
        return visit_exprs(b, e->v.Set.elts);
    case GeneratorExp_kind:
        return visit_comprehension(b, e, "genexpr",
                                   _PySym_GeneratorExpression,
                                   e->v.GeneratorExp.generators,
                                   e->v.GeneratorExp.elt, NULL);
    case ListComp_kind:
        return visit_comprehension(b, e, "listcomp",
                                   _PySym_ListComprehension,
                                   e->v.ListComp.generators,
                                   e->v.ListComp.elt, NULL);
    case SetComp_kind:
        return visit_comprehension(b, e, "setcomp", _PySym_SetComprehension,
                                   e->v.SetComp.generators,
                                   e->v.SetComp.elt, NULL);
    case DictComp_kind:
        return visit_comprehension(b, e, "dictcomp",
                                   _PySym_DictComprehension,
                                   e->v.DictComp.generators,
                                   e->v.DictComp.key, e->v.DictComp.value);
    case Yield_kind:
        return visit_yield(b, e, e->v.Yield.value);
    case YieldFrom_kind:
        return visit_yield(b, e, e->v.YieldFrom.value);
    case Await_kind:
        if (b->cur->type == _PySym_AnnotationBlock) {
            return annotation_error(b, "await expression", e);
        }
        if (visit_expr(b, e->v.Await.value) < 0) {
            return -1;
        }
        b->cur->coroutine = 1;
        return 0;
    case Compare_kind:
        if (visit_expr(b, e->v.Compare.left) < 0) {
            return -1;
        }
        return visit_exprs(b, e->v.Compare.comparators);
    case Call_kind:
        if (visit_expr(b, e->v.Call.func) < 0
            || visit_exprs(b, e->v.Call.args) < 0) {
            return -1;
        }
        return visit_keywords(b, e->v.Call.keywords);
    case FormattedValue_kind:
        if (visit_expr(b, e->v.FormattedValue.value) < 0) {
            return -1;
        }
        if (e->v.FormattedValue.format_spec != NULL) {
            return visit_expr(b, e->v.FormattedValue.format_spec);
        }
        return 0;
    case JoinedStr_kind:
        return visit_exprs(b, e->v.JoinedStr.values);
    case Constant_kind:
        return 0;
    case Attribute_kind:
        return visit_expr(b, e->v.Attribute.value);
    case Subscript_kind:
        if (visit_expr(b, e->v.Subscript.value) < 0) {
            return -1;
        }
        return visit_expr(b, e->v.Subscript.slice);
    case Starred_kind:
        return visit_expr(b, e->v.Starred.value);
    case Slice_kind:
        if (e->v.Slice.lower != NULL && visit_expr(b, e->v.Slice.lower) < 0) {
            return -1;
        }
        if (e->v.Slice.upper != NULL && visit_expr(b, e->v.Slice.upper) < 0) {
            return -1;
        }
        if (e->v.Slice.step != NULL && visit_expr(b, e->v.Slice.step) < 0) {
            return -1;
        }
        return 0;
    case Name_kind:
        return visit_name(b, e);
    case List_kind:
        return visit_exprs(b, e->v.List.elts);
    case Tuple_kind:
        return visit_exprs(b, e->v.Tuple.elts);
    }
    return 0;
}

/* Visit one expression, counting recursion depth. */
static int
visit_expr(builder *b, expr_ty e)
{
    if (enter_recursion(b) < 0) {
        return -1;
    }
    int res = visit_expr_kind(b, e);
    b->depth--;
    return res;
}

/* Dispatch on pattern kind; capture names become local bindings. */
static int
visit_pattern_kind(builder *b, pattern_ty p)
{
    switch (p->kind) {
    case MatchValue_kind:
        return visit_expr(b, p->v.MatchValue.value);
    case MatchSingleton_kind:
        return 0;
    case MatchSequence_kind:
        return visit_patterns(b, p->v.MatchSequence.patterns);
    case MatchStar_kind:
        if (p->v.MatchStar.name != NULL) {
            return add_def(b, p->v.MatchStar.name, DEF_LOCAL, LOC(p));
        }
        return 0;
    case MatchMapping_kind:
        if (visit_exprs(b, p->v.MatchMapping.keys) < 0
            || visit_patterns(b, p->v.MatchMapping.patterns) < 0) {
            return -1;
        }
        if (p->v.MatchMapping.rest != NULL) {
            return add_def(b, p->v.MatchMapping.rest, DEF_LOCAL, LOC(p));
        }
        return 0;
    case MatchClass_kind:
        if (visit_expr(b, p->v.MatchClass.cls) < 0
            || visit_patterns(b, p->v.MatchClass.patterns) < 0) {
            return -1;
        }
        return visit_patterns(b, p->v.MatchClass.kwd_patterns);
    case MatchAs_kind:
        if (p->v.MatchAs.pattern != NULL
            && visit_pattern(b, p->v.MatchAs.pattern) < 0) {
            return -1;
        }
        if (p->v.MatchAs.name != NULL) {
            return add_def(b, p->v.MatchAs.name, DEF_LOCAL, LOC(p));
        }
        return 0;
    case MatchOr_kind:
        return visit_patterns(b, p->v.MatchOr.patterns);
    }
    return 0;
}

/* Visit one pattern, counting recursion depth. */
static int
visit_pattern(builder *b, pattern_ty p)
{
    if (enter_recursion(b) < 0) {
        return -1;
    }
    int res = visit_pattern_kind(b, p);
    b->depth--;
    return res;
}

/* ------------------------------------------------------------------ */
/* Second pass: where names live */

/* Report an analysis error (fmt with the name) at the global/nonlocal
   statement that declared NAME in STE. */
static int
error_at_directive(builder *b, _PySymEntry *ste, const char *fmt,
                   const char *name)
{
    for (int i = 0; i < ste->ndirectives; i++) {
        _PySymDirective *d = &ste->directives[i];
        if (strcmp(d->name, name) == 0) {
            location loc = {d->lineno, d->col_offset, d->end_lineno,
                            d->end_col_offset};
            return error_name_at(b, fmt, name, loc);
        }
    }
    _PyCompile_SetError(b->err, "SystemError", "directive not found", 0, -1,
                        0, -1);
    return -1;
}

/* Decide where NAME (with FLAGS) lives in STE, given the names BOUND by
   enclosing functions (NULL at module level) and declared GLOBAL above;
   both sets are this scope's own copies and are updated for its
   children. */
static int
analyze_name(builder *b, _PySymEntry *ste, _PySymMap *scopes,
             const char *name, long flags, _PySymMap *bound,
             _PySymMap *local, _PySymMap *free, _PySymMap *global)
{
    long scope;
    if (flags & DEF_GLOBAL) {
        if (flags & DEF_NONLOCAL) {
            return error_at_directive(b, ste, "name '%s' is nonlocal and "
                                      "global", name);
        }
        scope = GLOBAL_EXPLICIT;
        if (set_add(global, name) < 0
            || (bound != NULL && set_discard(bound, name) < 0)) {
            return no_memory(b);
        }
    }
    else if (flags & DEF_NONLOCAL) {
        if (bound == NULL) {
            return error_at_directive(b, ste, "nonlocal declaration not "
                                      "allowed at module level", name);
        }
        if (!set_contains(bound, name)) {
            return error_at_directive(b, ste, "no binding for nonlocal "
                                      "'%s' found", name);
        }
        scope = FREE;
        ste->free = 1;
        if (set_add(free, name) < 0) {
            return no_memory(b);
        }
    }
    else if (flags & DEF_BOUND) {
        scope = LOCAL;
        if (set_add(local, name) < 0 || set_discard(global, name) < 0) {
            return no_memory(b);
        }
    }
    else if (set_contains(bound, name)) {
        scope = FREE;
        ste->free = 1;
        if (set_add(free, name) < 0) {
            return no_memory(b);
        }
    }
    else {
        if (!set_contains(global, name) && ste->nested) {
            ste->free = 1;
        }
        scope = GLOBAL_IMPLICIT;
    }
    if (_PySymMap_Set(scopes, name, scope) < 0) {
        return no_memory(b);
    }
    return 0;
}

/* Locals of a function that children use freely become cells. */
static int
analyze_cells(_PySymMap *scopes, _PySymMap *free)
{
    for (Py_ssize_t i = 0; i < scopes->size; i++) {
        const char *name = scopes->names[i];
        if (scopes->values[i] != LOCAL || !set_contains(free, name)) {
            continue;
        }
        scopes->values[i] = CELL;
        if (set_discard(free, name) < 0) {
            return -1;
        }
    }
    return 0;
}

/* Store the scopes into the flags, and add the names that children use
   freely and this scope only passes through. */
static int
update_symbols(_PySymEntry *ste, _PySymMap *scopes, _PySymMap *bound,
               _PySymMap *free)
{
    _PySymMap *symbols = &ste->symbols;
    for (Py_ssize_t i = 0; i < symbols->size; i++) {
        long scope = _PySymMap_Get(scopes, symbols->names[i], 0);
        symbols->values[i] |= scope << SCOPE_OFF;
    }
    for (Py_ssize_t i = 0; i < free->size; i++) {
        if (free->values[i] == 0) {
            continue;
        }
        const char *name = free->names[i];
        Py_ssize_t k = _PySymMap_Find(symbols, name);
        if (k >= 0) {
            if (ste->type == _PySym_ClassBlock
                && (symbols->values[k] & (DEF_BOUND | DEF_GLOBAL))) {
                symbols->values[k] |= DEF_FREE_CLASS;
            }
            continue;
        }
        if (bound != NULL && !set_contains(bound, name)) {
            continue;
        }
        if (_PySymMap_Set(symbols, name, (long)FREE << SCOPE_OFF) < 0) {
            return -1;
        }
    }
    return 0;
}

static int analyze_block(builder *b, _PySymEntry *ste, _PySymMap *bound,
                         _PySymMap *free, _PySymMap *global);

/* A child works on copies of what its parent passes down. */
static int
analyze_child(builder *b, _PySymEntry *child, _PySymMap *bound,
              _PySymMap *global, _PySymMap *child_free)
{
    _PySymMap tbound = {0}, tglobal = {0};
    int res = -1;
    if (set_update(&tbound, bound) < 0 || set_update(&tglobal, global) < 0) {
        no_memory(b);
        goto done;
    }
    res = analyze_block(b, child, &tbound, child_free, &tglobal);
done:
    _PySymMap_Clear(&tbound);
    _PySymMap_Clear(&tglobal);
    return res;
}

/* Analyze each child block with copies of the bound and global sets; their
   free names are collected into NEWFREE. */
static int
analyze_children(builder *b, _PySymEntry *ste, _PySymMap *newbound,
                 _PySymMap *newglobal, _PySymMap *newfree)
{
    for (int i = 0; i < ste->nchildren; i++) {
        _PySymEntry *child = ste->children[i];
        _PySymMap child_free = {0};
        int res = analyze_child(b, child, newbound, newglobal, &child_free);
        if (res == 0 && set_update(newfree, &child_free) < 0) {
            res = no_memory(b);
        }
        _PySymMap_Clear(&child_free);
        if (res < 0) {
            return -1;
        }
        if (child->free || child->child_free) {
            ste->child_free = 1;
        }
    }
    return 0;
}

/* Second pass over one block: resolve every name's scope from the enclosing
   bound/global sets, analyze children, turn locals that children use into
   cells, and report this block's free names to the parent through FREE. */
static int
analyze_block(builder *b, _PySymEntry *ste, _PySymMap *bound,
              _PySymMap *free, _PySymMap *global)
{
    _PySymMap local = {0}, scopes = {0}, newbound = {0}, newglobal = {0},
              newfree = {0};
    int res = -1;
    if (enter_recursion(b) < 0) {
        return -1;
    }
    if (ste->type == _PySym_ClassBlock) {
        if (set_update(&newglobal, global) < 0
            || set_update(&newbound, bound) < 0) {
            goto nomem;
        }
    }
    for (Py_ssize_t i = 0; i < ste->symbols.size; i++) {
        if (analyze_name(b, ste, &scopes, ste->symbols.names[i],
                         ste->symbols.values[i], bound, &local, free,
                         global) < 0) {
            goto done;
        }
    }
    if (ste->type != _PySym_ClassBlock) {
        if (ste->type == _PySym_FunctionBlock
            && set_update(&newbound, &local) < 0) {
            goto nomem;
        }
        if (set_update(&newbound, bound) < 0
            || set_update(&newglobal, global) < 0) {
            goto nomem;
        }
    }
    else if (set_add(&newbound, "__class__") < 0) {
        goto nomem;
    }
    if (analyze_children(b, ste, &newbound, &newglobal, &newfree) < 0) {
        goto done;
    }
    if (ste->type == _PySym_FunctionBlock) {
        if (analyze_cells(&scopes, &newfree) < 0) {
            goto nomem;
        }
    }
    else if (ste->type == _PySym_ClassBlock
             && set_contains(&newfree, "__class__")) {
        ste->needs_class_closure = 1;
        if (set_discard(&newfree, "__class__") < 0) {
            goto nomem;
        }
    }
    if (update_symbols(ste, &scopes, bound, &newfree) < 0
        || set_update(free, &newfree) < 0) {
        goto nomem;
    }
    res = 0;
    goto done;
nomem:
    no_memory(b);
done:
    b->depth--;
    _PySymMap_Clear(&local);
    _PySymMap_Clear(&scopes);
    _PySymMap_Clear(&newbound);
    _PySymMap_Clear(&newglobal);
    _PySymMap_Clear(&newfree);
    return res;
}

/* ------------------------------------------------------------------ */
/* Entry points */

/* First pass over the top-level node (module, interactive, expression,
   function type). */
static int
visit_module(builder *b, mod_ty mod)
{
    switch (mod->kind) {
    case Module_kind:
        return visit_stmts(b, mod->v.Module.body);
    case Interactive_kind:
        return visit_stmts(b, mod->v.Interactive.body);
    case Expression_kind:
        return visit_expr(b, mod->v.Expression.body);
    case FunctionType_kind:
        _PyCompile_SetError(b->err, "SystemError",
                            "this compiler does not handle FunctionTypes", 0,
                            -1, 0, -1);
        return -1;
    }
    return 0;
}

/* Build the symbol table for MOD with the future FEATURES; NULL with ERR
   filled on error. */
_PySymtable *
_PySymtable_Build(mod_ty mod, int features, _PySyntaxErrorInfo *err)
{
    _PySymtable *st = PyMem_RawCalloc(1, sizeof(*st));
    builder b = {0};
    b.err = err;
    memset(err, 0, sizeof(*err));
    if (st == NULL || (st->arena = _PyArena_New()) == NULL) {
        PyMem_RawFree(st);
        no_memory(&b);
        return NULL;
    }
    st->future_features = features;
    b.st = st;
    location top = {0, 0, 0, 0};
    if (enter_block(&b, "top", _PySym_ModuleBlock, mod, top) < 0) {
        goto error;
    }
    st->top = b.cur;
    b.depth = 1;
    if (visit_module(&b, mod) < 0) {
        goto error;
    }
    b.depth = 0;
    _PySymMap free = {0}, global = {0};
    int res = analyze_block(&b, st->top, NULL, &free, &global);
    _PySymMap_Clear(&free);
    _PySymMap_Clear(&global);
    if (res < 0) {
        goto error;
    }
    PyMem_RawFree(b.stack);
    return st;
error:
    PyMem_RawFree(b.stack);
    _PySymtable_Free(st);
    return NULL;
}

/* Free a symbol table and everything it owns. */
void
_PySymtable_Free(_PySymtable *st)
{
    if (st == NULL) {
        return;
    }
    for (int i = 0; i < st->nall; i++) {
        _PySymEntry *ste = st->all[i];
        _PySymMap_Clear(&ste->symbols);
        PyMem_RawFree(ste->varnames);
        PyMem_RawFree(ste->children);
        PyMem_RawFree(ste->directives);
    }
    PyMem_RawFree(st->all);
    PyMem_RawFree(st->keys);
    PyMem_RawFree(st->entries);
    if (st->arena != NULL) {
        _PyArena_Free(st->arena);
    }
    PyMem_RawFree(st);
}
