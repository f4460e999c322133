/* Code objects: made from the compiler's object-free units
 * (_PyCode_FromUnit), read by the eval loop, exposed to Python with the
 * 3.11 attributes.
 *
 * Thread safety: immutable after creation (see
 * Include/internal/pycore_code.h); no locks.  Code objects get a
 * deferred reference count so every thread can run the same code without
 * touching its count; they are GC objects so the collector can free
 * them. */
#include "Python.h"
#include "pycore_code.h"
#include "pycore_frame.h"
#include "pycore_compile.h"
#include "pycore_object.h"
#include "structmember.h"
#include "pycore_ceval_helpers.h"

/* complex has no owner yet; when it exists this resolves to it. */
extern PyObject *PyComplex_FromDoubles(double real, double imag)
    __attribute__((weak));

static PyObject *const_from_unit(const _PyCompiledConst *c);

/* A str constant from WTF-8; identifier-like ones are interned like
   CPython does, so that names and keys compare by identity. */
static PyObject *
str_const(const char *data, Py_ssize_t size)
{
    PyObject *s = PyUnicode_DecodeUTF8(data, size, "surrogatepass");
    if (s == NULL) {
        return NULL;
    }
    int name_like = size <= 40;
    for (Py_ssize_t i = 0; name_like && i < size; i++) {
        unsigned char ch = (unsigned char)data[i];
        name_like = (ch == '_' || (ch >= '0' && ch <= '9')
                     || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'));
    }
    if (name_like) {
        PyUnicode_InternInPlace(&s);
    }
    return s;
}

static PyObject *
int_const(const _PyCompiledConst *c)
{
    char buf[64];
    char *s = buf;
    size_t need = (size_t)c->size + 2;
    if (need > sizeof(buf)) {
        s = PyMem_Malloc(need);
        if (s == NULL) {
            return PyErr_NoMemory();
        }
    }
    size_t pos = 0;
    if (c->negative) {
        s[pos++] = '-';
    }
    memcpy(s + pos, c->data, (size_t)c->size);
    s[pos + (size_t)c->size] = '\0';
    PyObject *v = PyLong_FromString(s, NULL, c->base);
    if (s != buf) {
        PyMem_Free(s);
    }
    return v;
}

static PyObject *
complex_const(double real, double imag)
{
    if (PyComplex_FromDoubles == NULL) {
        PyErr_SetString(PyExc_SystemError,
                        "complex constants need the complex type");
        return NULL;
    }
    return PyComplex_FromDoubles(real, imag);
}

static PyObject *
tuple_const(const _PyCompiledConst *c, int frozen)
{
    PyObject *t = PyTuple_New(c->nitems);
    if (t == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < c->nitems; i++) {
        PyObject *item = const_from_unit(c->items[i]);
        if (item == NULL) {
            Py_DECREF(t);
            return NULL;
        }
        PyTuple_SET_ITEM(t, i, item);
    }
    if (!frozen) {
        return t;
    }
    PyObject *fs = PyFrozenSet_New(t);
    Py_DECREF(t);
    return fs;
}

static PyObject *
const_from_unit(const _PyCompiledConst *c)
{
    switch (c->kind) {
    case _PyCC_NONE:
        return Py_NewRef(Py_None);
    case _PyCC_TRUE:
        return Py_NewRef(Py_True);
    case _PyCC_FALSE:
        return Py_NewRef(Py_False);
    case _PyCC_ELLIPSIS:
        return Py_NewRef(Py_Ellipsis);
    case _PyCC_INT:
        return int_const(c);
    case _PyCC_FLOAT:
        return PyFloat_FromDouble(c->real);
    case _PyCC_IMAG:
        return complex_const(0.0, c->imag);
    case _PyCC_COMPLEX:
        return complex_const(c->real, c->imag);
    case _PyCC_STR:
        return str_const(c->data, c->size);
    case _PyCC_BYTES:
        return PyBytes_FromStringAndSize(c->data, c->size);
    case _PyCC_TUPLE:
        return tuple_const(c, 0);
    case _PyCC_FROZENSET:
        return tuple_const(c, 1);
    case _PyCC_CODE:
        return _PyCode_FromUnit(c->code);
    }
    PyErr_SetString(PyExc_SystemError, "bad compiled constant");
    return NULL;
}

/* A tuple of interned strings from C strings. */
static PyObject *
name_tuple(const char *const *names, int n)
{
    PyObject *t = PyTuple_New(n);
    if (t == NULL) {
        return NULL;
    }
    for (int i = 0; i < n; i++) {
        PyObject *s = PyUnicode_DecodeUTF8(names[i], strlen(names[i]),
                                           "surrogatepass");
        if (s == NULL) {
            Py_DECREF(t);
            return NULL;
        }
        PyUnicode_InternInPlace(&s);
        PyTuple_SET_ITEM(t, i, s);
    }
    return t;
}

static PyObject *
decode_name(const char *s)
{
    PyObject *u = PyUnicode_DecodeUTF8(s, strlen(s), "surrogatepass");
    if (u != NULL) {
        PyUnicode_InternInPlace(&u);
    }
    return u;
}

/* Allocates a code object of NCODE units with every object field NULL. */
static PyCodeObject *
code_alloc(Py_ssize_t ncode)
{
    PyCodeObject *co = (PyCodeObject *)_PyObject_GC_NewVar(&PyCode_Type,
                                                          ncode);
    if (co == NULL) {
        return NULL;
    }
    size_t fields = offsetof(PyCodeObject, co_code_adaptive)
                    - offsetof(PyCodeObject, co_consts);
    memset(&co->co_consts, 0, fields);
    return co;
}

/* Derived sizes and the object's deferred/GC state, once every field is
   set. */
static PyObject *
code_finish(PyCodeObject *co)
{
    co->co_framesize = _PyFrame_SPECIALS_SIZE + co->co_nlocalsplus
                       + co->co_stacksize;
    co->co_nargs_total = co->co_argcount + co->co_kwonlyargcount
                         + ((co->co_flags & CO_VARARGS) != 0)
                         + ((co->co_flags & CO_VARKEYWORDS) != 0);
    _PyObject_SetDeferredRefcount((PyObject *)co);
    PyObject_GC_Track(co);
    return (PyObject *)co;
}

PyObject *
_PyCode_FromUnit(const _PyCodeUnit *unit)
{
    PyCodeObject *co = code_alloc(unit->ncode);
    if (co == NULL) {
        return NULL;
    }
    co->co_flags = unit->flags;
    co->co_argcount = unit->argcount;
    co->co_posonlyargcount = unit->posonlyargcount;
    co->co_kwonlyargcount = unit->kwonlyargcount;
    co->co_stacksize = unit->stacksize;
    co->co_firstlineno = unit->firstlineno;
    co->co_nlocalsplus = unit->nlocalsplus;
    co->co_nlocals = unit->nlocals;
    co->co_ncellvars = unit->ncellvars;
    co->co_nfreevars = unit->nfreevars;
    memcpy(co->co_code_adaptive, unit->code,
           (size_t)unit->ncode * sizeof(_PyCodeUnitWord));

    co->co_name = decode_name(unit->name);
    co->co_qualname = decode_name(unit->qualname);
    co->co_filename = PyUnicode_DecodeFSDefault(unit->filename);
    co->co_names = name_tuple(unit->names, unit->nnames);
    co->co_localsplusnames = name_tuple(unit->localsplusnames,
                                        unit->nlocalsplus);
    co->co_localspluskinds = PyBytes_FromStringAndSize(
        (const char *)unit->localspluskinds, unit->nlocalsplus);
    co->co_linetable = PyBytes_FromStringAndSize(
        (const char *)unit->linetable, unit->linetable_size);
    co->co_exceptiontable = PyBytes_FromStringAndSize(
        (const char *)unit->exctable, unit->exctable_size);
    co->co_consts = PyTuple_New(unit->nconsts);
    if (co->co_name == NULL || co->co_qualname == NULL
        || co->co_filename == NULL || co->co_names == NULL
        || co->co_localsplusnames == NULL || co->co_localspluskinds == NULL
        || co->co_linetable == NULL || co->co_exceptiontable == NULL
        || co->co_consts == NULL) {
        goto fail;
    }
    if (co->co_filename != NULL) {
        PyUnicode_InternInPlace(&co->co_filename);
    }
    for (int i = 0; i < unit->nconsts; i++) {
        PyObject *c = const_from_unit(unit->consts[i]);
        if (c == NULL) {
            goto fail;
        }
        PyTuple_SET_ITEM(co->co_consts, i, c);
    }
    return code_finish(co);

fail:
    Py_DECREF(co);
    return NULL;
}

PyCodeObject *
PyCode_NewEmpty(const char *filename, const char *funcname, int firstlineno)
{
    static const unsigned char no_location[1] = {
        0x80    /* one unit, kind 0: no location */
    };
    _PyCompiledConst none = {.kind = _PyCC_NONE};
    _PyCompiledConst *consts[1] = {&none};
    _PyCodeUnit unit = {
        .name = funcname,
        .qualname = funcname,
        .filename = filename,
        .flags = CO_OPTIMIZED | CO_NEWLOCALS | CO_NOFREE,
        .firstlineno = firstlineno,
        .stacksize = 1,
        .nconsts = 1,
        .consts = consts,
        .linetable = (unsigned char *)no_location,
        .linetable_size = 1,
    };
    _PyCodeUnitWord body[3] = {
        _PyCode_MAKE_WORD(RESUME, 0), _PyCode_MAKE_WORD(LOAD_CONST, 0),
        _PyCode_MAKE_WORD(RETURN_VALUE, 0)
    };
    unit.code = body;
    unit.ncode = 3;
    return (PyCodeObject *)_PyCode_FromUnit(&unit);
}

/* ------------------------------------------------------------------ */
/* Locations and handlers. */

int
_PyCode_UnitToLocation(PyCodeObject *co, int index, int *line,
                       int *end_line, int *col, int *end_col)
{
    _PyLocationIter it;
    _PyLocationRun run;
    _PyLocation_Begin(&it,
                      (const unsigned char *)PyBytes_AS_STRING(co->co_linetable),
                      (int)PyBytes_GET_SIZE(co->co_linetable),
                      co->co_firstlineno);
    while (_PyLocation_Next(&it, &run)) {
        if (index >= run.start && index < run.end) {
            *line = run.lineno;
            *end_line = run.end_lineno;
            *col = run.col;
            *end_col = run.end_col;
            return run.lineno >= 0;
        }
    }
    *line = *end_line = *col = *end_col = -1;
    return 0;
}

int
_PyCode_UnitToLine(PyCodeObject *co, int index)
{
    int line, end_line, col, end_col;
    _PyCode_UnitToLocation(co, index, &line, &end_line, &col, &end_col);
    return line;
}

int
PyCode_Addr2Line(PyCodeObject *co, int addr)
{
    if (addr < 0) {
        return co->co_firstlineno;
    }
    return _PyCode_UnitToLine(co, addr / (int)sizeof(_PyCodeUnitWord));
}

int
PyCode_Addr2Location(PyCodeObject *co, int addr, int *start_line,
                     int *start_column, int *end_line, int *end_column)
{
    if (addr < 0) {
        *start_line = *end_line = co->co_firstlineno;
        *start_column = *end_column = 0;
        return 1;
    }
    return _PyCode_UnitToLocation(co, addr / (int)sizeof(_PyCodeUnitWord),
                                  start_line, end_line, start_column,
                                  end_column);
}

int
_PyCode_FindHandler(PyCodeObject *co, int index, int *target, int *depth,
                    int *lasti)
{
    Py_ssize_t size = PyBytes_GET_SIZE(co->co_exceptiontable);
    if (size == 0) {
        return 0;
    }
    _PyExceptionEntry e;
    if (!_PyExceptionTable_Find(
            (const unsigned char *)PyBytes_AS_STRING(co->co_exceptiontable),
            (int)size, index, &e)) {
        return 0;
    }
    *target = e.target;
    *depth = e.depth;
    *lasti = e.lasti;
    return 1;
}

Py_ssize_t
PyCode_GetNumFree(PyCodeObject *co)
{
    return co->co_nfreevars;
}

/* ------------------------------------------------------------------ */
/* co_varnames / co_cellvars / co_freevars from the fast-locals kinds. */

static PyObject *
names_of_kind(PyCodeObject *co, int kind, int exclude)
{
    PyObject *list = PyList_New(0);
    if (list == NULL) {
        return NULL;
    }
    for (int i = 0; i < co->co_nlocalsplus; i++) {
        _PyLocals_Kind k = _PyLocals_GetKind(co->co_localspluskinds, i);
        if ((k & kind) && !(k & exclude)) {
            if (PyList_Append(list, _PyCode_LocalName(co, i)) < 0) {
                Py_DECREF(list);
                return NULL;
            }
        }
    }
    PyObject *t = PyList_AsTuple(list);
    Py_DECREF(list);
    return t;
}

PyObject *
PyCode_GetVarnames(PyCodeObject *co)
{
    return names_of_kind(co, CO_FAST_LOCAL, 0);
}

PyObject *
PyCode_GetCellvars(PyCodeObject *co)
{
    return names_of_kind(co, CO_FAST_CELL, 0);
}

PyObject *
PyCode_GetFreevars(PyCodeObject *co)
{
    return names_of_kind(co, CO_FAST_FREE, 0);
}

PyObject *
PyCode_GetCode(PyCodeObject *co)
{
    return PyBytes_FromStringAndSize((const char *)co->co_code_adaptive,
                                     _PyCode_NBYTES(co));
}

/* ------------------------------------------------------------------ */
/* The Python-level type. */

static void
code_dealloc(PyObject *self)
{
    PyCodeObject *co = (PyCodeObject *)self;
    PyObject_GC_UnTrack(self);
    PyObject_ClearWeakRefs(self);
    Py_XDECREF(co->co_consts);
    Py_XDECREF(co->co_names);
    Py_XDECREF(co->co_exceptiontable);
    Py_XDECREF(co->co_localsplusnames);
    Py_XDECREF(co->co_localspluskinds);
    Py_XDECREF(co->co_filename);
    Py_XDECREF(co->co_name);
    Py_XDECREF(co->co_qualname);
    Py_XDECREF(co->co_linetable);
    PyObject_GC_Del(self);
}

static int
code_traverse(PyObject *self, visitproc visit, void *arg)
{
    PyCodeObject *co = (PyCodeObject *)self;
    Py_VISIT(co->co_consts);
    return 0;
}

static PyObject *
code_repr(PyObject *self)
{
    PyCodeObject *co = (PyCodeObject *)self;
    return PyUnicode_FromFormat("<code object %U at %p, file \"%U\", "
                                "line %d>", co->co_name, co, co->co_filename,
                                co->co_firstlineno);
}

static PyObject *
code_richcompare(PyObject *a, PyObject *b, int op)
{
    if ((op != Py_EQ && op != Py_NE) || !PyCode_Check(a)
        || !PyCode_Check(b)) {
        Py_RETURN_NOTIMPLEMENTED;
    }
    PyCodeObject *x = (PyCodeObject *)a;
    PyCodeObject *y = (PyCodeObject *)b;
    int eq = 1;
    if (a != b) {
        eq = x->co_argcount == y->co_argcount
             && x->co_posonlyargcount == y->co_posonlyargcount
             && x->co_kwonlyargcount == y->co_kwonlyargcount
             && x->co_flags == y->co_flags
             && x->co_firstlineno == y->co_firstlineno
             && Py_SIZE(x) == Py_SIZE(y)
             && memcmp(x->co_code_adaptive, y->co_code_adaptive,
                       (size_t)_PyCode_NBYTES(x)) == 0;
        PyObject *pairs[][2] = {
            {x->co_name, y->co_name}, {x->co_consts, y->co_consts},
            {x->co_names, y->co_names},
            {x->co_localsplusnames, y->co_localsplusnames},
            {x->co_linetable, y->co_linetable},
            {x->co_exceptiontable, y->co_exceptiontable},
        };
        for (size_t i = 0; eq && i < Py_ARRAY_LENGTH(pairs); i++) {
            eq = PyObject_RichCompareBool(pairs[i][0], pairs[i][1], Py_EQ);
            if (eq < 0) {
                return NULL;
            }
        }
    }
    return Py_NewRef((eq == (op == Py_EQ)) ? Py_True : Py_False);
}

static Py_hash_t
code_hash(PyObject *self)
{
    PyCodeObject *co = (PyCodeObject *)self;
    Py_hash_t h = PyObject_Hash(co->co_name);
    if (h == -1) {
        return -1;
    }
    Py_hash_t h2 = PyObject_Hash(co->co_names);
    if (h2 == -1) {
        return -1;
    }
    Py_uhash_t x = (Py_uhash_t)h * 1000003U ^ (Py_uhash_t)h2;
    x ^= (Py_uhash_t)co->co_argcount ^ ((Py_uhash_t)co->co_flags << 8)
         ^ (Py_uhash_t)Py_SIZE(co) * 31U;
    if ((Py_hash_t)x == -1) {
        x = (Py_uhash_t)-2;
    }
    return (Py_hash_t)x;
}

#define CODE_INT_GETTER(field)                                          \
    static PyObject *                                                   \
    code_get_##field(PyObject *self, void *c)                           \
    {                                                                   \
        return PyLong_FromLong(((PyCodeObject *)self)->field);          \
    }
CODE_INT_GETTER(co_argcount)
CODE_INT_GETTER(co_posonlyargcount)
CODE_INT_GETTER(co_kwonlyargcount)
CODE_INT_GETTER(co_stacksize)
CODE_INT_GETTER(co_firstlineno)
CODE_INT_GETTER(co_flags)
CODE_INT_GETTER(co_nlocals)

#define CODE_OBJ_GETTER(field)                                          \
    static PyObject *                                                   \
    code_get_##field(PyObject *self, void *c)                           \
    {                                                                   \
        return Py_NewRef(((PyCodeObject *)self)->field);                \
    }
CODE_OBJ_GETTER(co_consts)
CODE_OBJ_GETTER(co_names)
CODE_OBJ_GETTER(co_filename)
CODE_OBJ_GETTER(co_name)
CODE_OBJ_GETTER(co_qualname)
CODE_OBJ_GETTER(co_linetable)
CODE_OBJ_GETTER(co_exceptiontable)

static PyObject *
code_get_co_varnames(PyObject *self, void *c)
{
    return PyCode_GetVarnames((PyCodeObject *)self);
}

static PyObject *
code_get_co_cellvars(PyObject *self, void *c)
{
    return PyCode_GetCellvars((PyCodeObject *)self);
}

static PyObject *
code_get_co_freevars(PyObject *self, void *c)
{
    return PyCode_GetFreevars((PyCodeObject *)self);
}

static PyObject *
code_get_co_code(PyObject *self, void *c)
{
    return PyCode_GetCode((PyCodeObject *)self);
}

static PyGetSetDef code_getset[] = {
    {"co_argcount", code_get_co_argcount, NULL, NULL, NULL},
    {"co_posonlyargcount", code_get_co_posonlyargcount, NULL, NULL, NULL},
    {"co_kwonlyargcount", code_get_co_kwonlyargcount, NULL, NULL, NULL},
    {"co_stacksize", code_get_co_stacksize, NULL, NULL, NULL},
    {"co_firstlineno", code_get_co_firstlineno, NULL, NULL, NULL},
    {"co_flags", code_get_co_flags, NULL, NULL, NULL},
    {"co_nlocals", code_get_co_nlocals, NULL, NULL, NULL},
    {"co_consts", code_get_co_consts, NULL, NULL, NULL},
    {"co_names", code_get_co_names, NULL, NULL, NULL},
    {"co_filename", code_get_co_filename, NULL, NULL, NULL},
    {"co_name", code_get_co_name, NULL, NULL, NULL},
    {"co_qualname", code_get_co_qualname, NULL, NULL, NULL},
    {"co_linetable", code_get_co_linetable, NULL, NULL, NULL},
    {"co_exceptiontable", code_get_co_exceptiontable, NULL, NULL, NULL},
    {"co_varnames", code_get_co_varnames, NULL, NULL, NULL},
    {"co_cellvars", code_get_co_cellvars, NULL, NULL, NULL},
    {"co_freevars", code_get_co_freevars, NULL, NULL, NULL},
    {"co_code", code_get_co_code, NULL, NULL, NULL},
    {"_co_code_adaptive", code_get_co_code, NULL, NULL, NULL},
    {NULL}
};

static PyObject *
int_or_none(int v)
{
    if (v < 0) {
        return Py_NewRef(Py_None);
    }
    return PyLong_FromLong(v);
}

/* co_positions(): (line, end_line, col, end_col) for every code unit. */
static PyObject *
code_positions(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    PyCodeObject *co = (PyCodeObject *)self;
    PyObject *list = PyList_New(0);
    if (list == NULL) {
        return NULL;
    }
    _PyLocationIter it;
    _PyLocationRun run;
    _PyLocation_Begin(&it,
                      (const unsigned char *)PyBytes_AS_STRING(co->co_linetable),
                      (int)PyBytes_GET_SIZE(co->co_linetable),
                      co->co_firstlineno);
    while (_PyLocation_Next(&it, &run)) {
        PyObject *t = Py_BuildValue("(NNNN)", int_or_none(run.lineno),
                                    int_or_none(run.end_lineno),
                                    int_or_none(run.col),
                                    int_or_none(run.end_col));
        for (int u = run.start; t != NULL && u < run.end; u++) {
            if (PyList_Append(list, t) < 0) {
                Py_CLEAR(t);
            }
        }
        if (t == NULL) {
            Py_DECREF(list);
            return NULL;
        }
        Py_DECREF(t);
    }
    PyObject *iter = PyObject_GetIter(list);
    Py_DECREF(list);
    return iter;
}

/* Appends (start * 2, end * 2, line or None); 1 or 0 on error. */
static int
append_line_entry(PyObject *list, int start, int end, int line)
{
    PyObject *l = int_or_none(line);
    if (l == NULL) {
        return 0;
    }
    PyObject *t = Py_BuildValue("(iiN)", start * 2, end * 2, l);
    int ok = t != NULL && PyList_Append(list, t) == 0;
    Py_XDECREF(t);
    return ok;
}

/* co_lines(): (start, end, line) byte ranges, merging equal lines. */
static PyObject *
code_lines(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    PyCodeObject *co = (PyCodeObject *)self;
    PyObject *list = PyList_New(0);
    if (list == NULL) {
        return NULL;
    }
    _PyLocationIter it;
    _PyLocationRun run;
    _PyLocation_Begin(&it,
                      (const unsigned char *)PyBytes_AS_STRING(co->co_linetable),
                      (int)PyBytes_GET_SIZE(co->co_linetable),
                      co->co_firstlineno);
    int cur_start = -1, cur_end = 0, cur_line = -2;
    int ok = 1;
    while (ok && _PyLocation_Next(&it, &run)) {
        if (run.lineno == cur_line && run.start == cur_end) {
            cur_end = run.end;
            continue;
        }
        if (cur_start >= 0) {
            ok = append_line_entry(list, cur_start, cur_end, cur_line);
        }
        cur_start = run.start;
        cur_end = run.end;
        cur_line = run.lineno;
    }
    if (ok && cur_start >= 0) {
        ok = append_line_entry(list, cur_start, cur_end, cur_line);
    }
    if (!ok) {
        Py_DECREF(list);
        return NULL;
    }
    PyObject *iter = PyObject_GetIter(list);
    Py_DECREF(list);
    return iter;
}

/* replace(**changes): a copy with the given attributes changed (those
   that do not change the bytecode's meaning). */
static PyObject *
code_replace(PyObject *self, PyObject *args, PyObject *kwds)
{
    PyCodeObject *co = (PyCodeObject *)self;
    if (PyTuple_GET_SIZE(args) != 0) {
        PyErr_SetString(PyExc_TypeError,
                        "replace() takes no positional arguments");
        return NULL;
    }
    PyCodeObject *nc = code_alloc(Py_SIZE(co));
    if (nc == NULL) {
        return NULL;
    }
    size_t ints = offsetof(PyCodeObject, co_localsplusnames)
                  - offsetof(PyCodeObject, co_flags);
    memcpy(&nc->co_flags, &co->co_flags, ints);
    memcpy(nc->co_code_adaptive, co->co_code_adaptive,
           (size_t)_PyCode_NBYTES(co));
    nc->co_consts = Py_NewRef(co->co_consts);
    nc->co_names = Py_NewRef(co->co_names);
    nc->co_exceptiontable = Py_NewRef(co->co_exceptiontable);
    nc->co_localsplusnames = Py_NewRef(co->co_localsplusnames);
    nc->co_localspluskinds = Py_NewRef(co->co_localspluskinds);
    nc->co_filename = Py_NewRef(co->co_filename);
    nc->co_name = Py_NewRef(co->co_name);
    nc->co_qualname = Py_NewRef(co->co_qualname);
    nc->co_linetable = Py_NewRef(co->co_linetable);
    if (kwds != NULL) {
        Py_ssize_t pos = 0;
        PyObject *key, *value;
        while (PyDict_Next(kwds, &pos, &key, &value)) {
            const char *k = PyUnicode_AsUTF8(key);
            PyObject **slot = NULL;
            int *islot = NULL;
            if (k == NULL) {
                goto fail;
            }
            if (strcmp(k, "co_name") == 0) {
                slot = &nc->co_name;
            }
            else if (strcmp(k, "co_qualname") == 0) {
                slot = &nc->co_qualname;
            }
            else if (strcmp(k, "co_filename") == 0) {
                slot = &nc->co_filename;
            }
            else if (strcmp(k, "co_consts") == 0) {
                slot = &nc->co_consts;
            }
            else if (strcmp(k, "co_names") == 0) {
                slot = &nc->co_names;
            }
            else if (strcmp(k, "co_linetable") == 0) {
                slot = &nc->co_linetable;
            }
            else if (strcmp(k, "co_firstlineno") == 0) {
                islot = &nc->co_firstlineno;
            }
            else if (strcmp(k, "co_flags") == 0) {
                islot = &nc->co_flags;
            }
            else {
                PyErr_Format(PyExc_TypeError,
                             "replace() got an unexpected keyword argument "
                             "'%s'", k);
                goto fail;
            }
            if (slot != NULL) {
                Py_SETREF(*slot, Py_NewRef(value));
            }
            else {
                int v = _PyLong_AsInt(value);
                if (v == -1 && PyErr_Occurred()) {
                    goto fail;
                }
                *islot = v;
            }
        }
    }
    return code_finish(nc);

fail:
    Py_DECREF(nc);
    return NULL;
}

static PyObject *
code_sizeof(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromSsize_t((Py_ssize_t)sizeof(PyCodeObject)
                              + _PyCode_NBYTES((PyCodeObject *)self));
}

static PyMethodDef code_methods[] = {
    {"co_positions", code_positions, METH_NOARGS, NULL},
    {"co_lines", code_lines, METH_NOARGS, NULL},
    {"replace", _PyCFunction_CAST(code_replace),
     METH_VARARGS | METH_KEYWORDS, NULL},
    {"__sizeof__", code_sizeof, METH_NOARGS, NULL},
    {NULL}
};

PyTypeObject PyCode_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "code",
    .tp_basicsize = offsetof(PyCodeObject, co_code_adaptive),
    .tp_itemsize = sizeof(_PyCodeUnitWord),
    .tp_dealloc = code_dealloc,
    .tp_repr = code_repr,
    .tp_hash = code_hash,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_traverse = code_traverse,
    .tp_richcompare = code_richcompare,
    .tp_weaklistoffset = offsetof(PyCodeObject, co_weakreflist),
    .tp_methods = code_methods,
    .tp_getset = code_getset,
};

int
_PyCode_InitTypes(void)
{
    return PyType_Ready(&PyCode_Type);
}
