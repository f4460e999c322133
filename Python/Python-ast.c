/* The `_ast` module: Python classes for the nodes of the abstract syntax
 * tree, and the conversions between those objects and the parser's C AST
 * (Include/internal/pycore_ast.h).
 *
 * Everything is driven by the generated field tables (_PyAST_Types in
 * Parser/ast_nodes.c): one class per abstract type and per constructor is
 * created from them, and both conversions walk them, so no per-node code
 * exists here.
 *
 * Constants: the parser's `constant` (pycore_ast_base.h) holds what
 * source code can spell; a Constant node built in Python may hold more
 * (negative ints, complex numbers with a real part, negative zero parts,
 * tuples).  Rather than widen the C representation, obj2ast turns such a
 * value into the expression the constant folder (Python/ast_fold.c) folds
 * back into exactly that object: -N is UnaryOp(USub, N), re+imj is
 * BinOp(re, Add, imj) (or -(-re + -imj) to keep a negative zero), a tuple
 * is a Load Tuple of such expressions.  frozenset constants (which no
 * source spells, but 3.11 accepts in a hand-built Constant) are refused
 * with a TypeError until the compiler's constants can carry them.
 *
 * Validation follows 3.11: field types and presence while converting
 * (TypeError), then the validator's structural rules (ValueError: empty
 * bodies, expression contexts, positions, patterns, ...) per node as it
 * is built, so the compiler never sees a tree the parser could not have
 * produced in shape.
 *
 * Thread safety: the node classes and the enum singletons (Load(),
 * Add(), ...; one instance per value, shared by every converted tree as
 * in 3.11) live in one process-wide state that is built once, under
 * `state_lock`, and published with a release store of `state_ready`;
 * after that the state is never modified (the classes' dicts are
 * ordinary type dicts, locked by the type machinery), so readers use it
 * without a lock after an acquire load.  Node instances are ordinary
 * objects with a __dict__; their attribute accesses lock as any object's
 * __dict__ does.  The conversions only touch the objects they are given
 * and a private arena. */

#include "Python.h"
#include "structmember.h"
#include "pycore_ast.h"
#include "pycore_ast_object.h"
#include "pycore_compile.h"
#include "pycore_lock.h"
#include "pycore_parser.h"
#include "pycore_parser_arena.h"
#include "complexobject.h"

#include <limits.h>
#include <math.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* The AST base type. */

typedef struct {
    PyObject_HEAD
    PyObject *dict;
} ASTObject;

/* Drop the instance dict: the GC may call this to break cycles. */
static int
ast_clear(PyObject *self)
{
    Py_CLEAR(((ASTObject *)self)->dict);
    return 0;
}

/* Report the instance dict to the GC (the node classes are heap types
   whose own traverse reports the instance's reference to its class). */
static int
ast_traverse(PyObject *self, visitproc visit, void *arg)
{
    Py_VISIT(((ASTObject *)self)->dict);
    return 0;
}

/* Free a node and its attributes. */
static void
ast_dealloc(PyObject *self)
{
    PyObject_GC_UnTrack(self);
    ast_clear(self);
    PyTypeObject *tp = Py_TYPE(self);
    tp->tp_free(self);
}

/* AST(*args, **kwargs): positional arguments fill `_fields` in order,
   keywords set any attribute, as 3.11 does. */
static int
ast_init(PyObject *self, PyObject *args, PyObject *kwds)
{
    PyObject *fields = NULL;
    PyObject *key = PyUnicode_InternFromString("_fields");
    if (key == NULL) {
        return -1;
    }
    int found = _PyObject_LookupAttr((PyObject *)Py_TYPE(self), key,
                                     &fields);
    Py_DECREF(key);
    if (found < 0) {
        return -1;
    }
    Py_ssize_t nfields = 0;
    if (fields != NULL) {
        nfields = PySequence_Size(fields);
        if (nfields < 0) {
            Py_DECREF(fields);
            return -1;
        }
    }
    Py_ssize_t nargs = args == NULL ? 0 : PyTuple_GET_SIZE(args);
    if (nargs > nfields) {
        PyErr_Format(PyExc_TypeError,
                     "%.400s constructor takes at most %zd positional "
                     "argument%s", _PyType_Name(Py_TYPE(self)), nfields,
                     nfields == 1 ? "" : "s");
        Py_XDECREF(fields);
        return -1;
    }
    for (Py_ssize_t i = 0; i < nargs; i++) {
        PyObject *name = PySequence_GetItem(fields, i);
        if (name == NULL) {
            Py_DECREF(fields);
            return -1;
        }
        int r = PyObject_SetAttr(self, name, PyTuple_GET_ITEM(args, i));
        Py_DECREF(name);
        if (r < 0) {
            Py_DECREF(fields);
            return -1;
        }
    }
    Py_XDECREF(fields);
    if (kwds != NULL) {
        Py_ssize_t pos = 0;
        PyObject *key, *value;
        while (PyDict_Next(kwds, &pos, &key, &value)) {
            if (PyObject_SetAttr(self, key, value) < 0) {
                return -1;
            }
        }
    }
    return 0;
}

/* __reduce__: (type(self), (), self.__dict__), enough for pickle and
   copy.deepcopy to rebuild the node. */
static PyObject *
ast_reduce(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    PyObject *dict = PyObject_GenericGetDict(self, NULL);
    if (dict == NULL) {
        return NULL;
    }
    PyObject *res = Py_BuildValue("O()N", (PyObject *)Py_TYPE(self), dict);
    return res;
}

static PyMethodDef ast_methods[] = {
    {"__reduce__", ast_reduce, METH_NOARGS, NULL},
    {NULL}
};

static PyGetSetDef ast_getset[] = {
    {"__dict__", PyObject_GenericGetDict, PyObject_GenericSetDict, NULL,
     NULL},
    {NULL}
};

static PyTypeObject AST_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "ast.AST",
    .tp_basicsize = sizeof(ASTObject),
    .tp_dealloc = ast_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_setattro = PyObject_GenericSetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
    .tp_traverse = ast_traverse,
    .tp_clear = ast_clear,
    .tp_methods = ast_methods,
    .tp_getset = ast_getset,
    .tp_dictoffset = offsetof(ASTObject, dict),
    .tp_init = ast_init,
    .tp_alloc = PyType_GenericAlloc,
    .tp_new = PyType_GenericNew,
    .tp_free = PyObject_GC_Del,
};

/* ------------------------------------------------------------------ */
/* Process-wide state: the node classes, built once (see the top). */

#define MAX_CONSES 32

typedef struct {
    /* The class of each type: for a product type, its only class. */
    PyObject *type_class[_PyAST_T_COUNT];
    /* The class of each constructor (for a product, the type's class). */
    PyObject *cons_class[_PyAST_T_COUNT][MAX_CONSES];
    /* For enum types, the one instance each conversion hands out. */
    PyObject *singleton[_PyAST_T_COUNT][MAX_CONSES];
} ast_state;

static ast_state the_state;
static PyMutex state_lock;
static int state_ready;             /* atomic: 1 once the_state is built */

static const size_t node_size[_PyAST_T_COUNT] = {
    [_PyAST_T_mod] = sizeof(struct _mod),
    [_PyAST_T_stmt] = sizeof(struct _stmt),
    [_PyAST_T_expr] = sizeof(struct _expr),
    [_PyAST_T_comprehension] = sizeof(struct _comprehension),
    [_PyAST_T_excepthandler] = sizeof(struct _excepthandler),
    [_PyAST_T_arguments] = sizeof(struct _arguments),
    [_PyAST_T_arg] = sizeof(struct _arg),
    [_PyAST_T_keyword] = sizeof(struct _keyword),
    [_PyAST_T_alias] = sizeof(struct _alias),
    [_PyAST_T_withitem] = sizeof(struct _withitem),
    [_PyAST_T_match_case] = sizeof(struct _match_case),
    [_PyAST_T_pattern] = sizeof(struct _pattern),
    [_PyAST_T_type_ignore] = sizeof(struct _type_ignore),
};

/* The ASDL name of a field's type, as the node docstrings show it. */
static const char *
field_type_name(const _PyAST_Field *f)
{
    switch (f->kind) {
    case _PyAST_F_NODE:
    case _PyAST_F_ENUM:
        return _PyAST_Types[f->type].name;
    case _PyAST_F_IDENT:
        return "identifier";
    case _PyAST_F_STRING:
        return "string";
    case _PyAST_F_INT:
        return "int";
    default:
        return "constant";
    }
}

/* Append the signature "Name(type name, ...)" of CONS to BUF (size N,
   current length *LEN). */
static void
append_signature(char *buf, size_t n, size_t *len, const _PyAST_Cons *cons)
{
    *len += (size_t)snprintf(buf + *len, n - *len, "%s", cons->name);
    if (cons->nfields == 0) {
        return;
    }
    for (int i = 0; i < cons->nfields && *len < n; i++) {
        const _PyAST_Field *f = &cons->fields[i];
        *len += (size_t)snprintf(buf + *len, n - *len, "%s%s%s %s",
                                 i == 0 ? "(" : ", ", field_type_name(f),
                                 f->seq ? "*" : (f->opt ? "?" : ""),
                                 f->name);
    }
    if (*len < n) {
        *len += (size_t)snprintf(buf + *len, n - *len, ")");
    }
}

/* The docstring of abstract type T: "t = A(...)\n  | B(...)" (sums) or
   "t = A | B" (enums).  Returns a new str. */
static PyObject *
abstract_doc(const _PyAST_TypeInfo *t)
{
    char buf[8192];
    size_t len = (size_t)snprintf(buf, sizeof(buf), "%s = ", t->name);
    size_t indent = strlen(t->name) + 1;
    for (int i = 0; i < t->nconses && len < sizeof(buf) - 1; i++) {
        if (i > 0) {
            if (t->form == _PyAST_ENUM) {
                len += (size_t)snprintf(buf + len, sizeof(buf) - len, " | ");
            }
            else {
                len += (size_t)snprintf(buf + len, sizeof(buf) - len,
                                        "\n%*s| ", (int)indent, "");
            }
        }
        if (len < sizeof(buf) - 1) {
            append_signature(buf, sizeof(buf), &len, &t->conses[i]);
        }
    }
    if (len >= sizeof(buf)) {
        len = sizeof(buf) - 1;
    }
    return PyUnicode_FromStringAndSize(buf, (Py_ssize_t)len);
}

/* A new tuple of the names of N fields. */
static PyObject *
names_tuple(const _PyAST_Field *fields, int n)
{
    PyObject *tup = PyTuple_New(n);
    if (tup == NULL) {
        return NULL;
    }
    for (int i = 0; i < n; i++) {
        PyObject *s = PyUnicode_InternFromString(fields[i].name);
        if (s == NULL) {
            Py_DECREF(tup);
            return NULL;
        }
        PyTuple_SET_ITEM(tup, i, s);
    }
    return tup;
}

/* DICT["__module__"] = "ast": the classes present themselves as the
   `ast` module's, as in 3.11. */
static int
set_module(PyObject *dict)
{
    PyObject *name = PyUnicode_InternFromString("ast");
    if (name == NULL) {
        return -1;
    }
    int r = PyDict_SetItemString(dict, "__module__", name);
    Py_DECREF(name);
    return r;
}

/* Put None in DICT for every optional, non-sequence field: 3.11's class
   defaults (ast.Return().value is None). */
static int
set_defaults(PyObject *dict, const _PyAST_Field *fields, int n)
{
    for (int i = 0; i < n; i++) {
        if (fields[i].opt && !fields[i].seq
            && PyDict_SetItemString(dict, fields[i].name, Py_None) < 0) {
            return -1;
        }
    }
    return 0;
}

/* Create a node class NAME deriving from BASE (borrowed) with the given
   fields, and attributes when ATTRS is not NULL.  Returns a new
   reference. */
static PyObject *
make_class(const char *name, PyObject *base, const _PyAST_Field *fields,
           int nfields, const _PyAST_Field *attrs, int nattrs, PyObject *doc)
{
    PyObject *dict = PyDict_New();
    PyObject *names = names_tuple(fields, nfields);
    PyObject *cls = NULL;
    if (dict == NULL || names == NULL) {
        goto done;
    }
    if (PyDict_SetItemString(dict, "_fields", names) < 0
        || PyDict_SetItemString(dict, "__match_args__", names) < 0
        || set_module(dict) < 0
        || PyDict_SetItemString(dict, "__doc__", doc) < 0
        || set_defaults(dict, fields, nfields) < 0) {
        goto done;
    }
    if (attrs != NULL) {
        PyObject *an = names_tuple(attrs, nattrs);
        if (an == NULL) {
            goto done;
        }
        int r = PyDict_SetItemString(dict, "_attributes", an);
        Py_DECREF(an);
        if (r < 0 || set_defaults(dict, attrs, nattrs) < 0) {
            goto done;
        }
    }
    cls = PyObject_CallFunction((PyObject *)&PyType_Type, "s(O)O", name,
                                base, dict);
done:
    Py_XDECREF(dict);
    Py_XDECREF(names);
    return cls;
}

/* Build the class(es) of type T into ST.  0, or -1 with an error. */
static int
build_type(ast_state *st, int t)
{
    static const _PyAST_Field no_fields[1];
    const _PyAST_TypeInfo *info = &_PyAST_Types[t];
    PyObject *base = (PyObject *)&AST_Type;
    if (info->form == _PyAST_PRODUCT) {
        char buf[1024];
        size_t len = 0;
        append_signature(buf, sizeof(buf), &len, &info->conses[0]);
        PyObject *doc = PyUnicode_FromStringAndSize(buf, (Py_ssize_t)len);
        if (doc == NULL) {
            return -1;
        }
        st->type_class[t] = make_class(
            info->name, base, info->conses[0].fields,
            info->conses[0].nfields,
            info->attrs != NULL ? info->attrs : no_fields, info->nattrs, doc);
        Py_DECREF(doc);
        if (st->type_class[t] == NULL) {
            return -1;
        }
        st->cons_class[t][0] = Py_NewRef(st->type_class[t]);
        return 0;
    }
    PyObject *doc = abstract_doc(info);
    if (doc == NULL) {
        return -1;
    }
    st->type_class[t] = make_class(
        info->name, base, no_fields, 0,
        info->form == _PyAST_SUM ? (info->attrs ? info->attrs : no_fields)
                                 : NULL,
        info->nattrs, doc);
    Py_DECREF(doc);
    if (st->type_class[t] == NULL) {
        return -1;
    }
    for (int i = 0; i < info->nconses && i < MAX_CONSES; i++) {
        const _PyAST_Cons *c = &info->conses[i];
        char buf[1024];
        size_t len = 0;
        append_signature(buf, sizeof(buf), &len, c);
        PyObject *cdoc = PyUnicode_FromStringAndSize(buf, (Py_ssize_t)len);
        if (cdoc == NULL) {
            return -1;
        }
        st->cons_class[t][i] = make_class(
            c->name, st->type_class[t], c->fields ? c->fields : no_fields,
            c->nfields, NULL, 0, cdoc);
        Py_DECREF(cdoc);
        if (st->cons_class[t][i] == NULL) {
            return -1;
        }
        if (info->form == _PyAST_ENUM) {
            st->singleton[t][i] = PyObject_CallNoArgs(st->cons_class[t][i]);
            if (st->singleton[t][i] == NULL) {
                return -1;
            }
        }
    }
    return 0;
}

/* Ready AST itself: its class attributes are those of a node without
   fields or attributes. */
static int
ready_base(void)
{
    if (PyType_Ready(&AST_Type) < 0) {
        return -1;
    }
    PyObject *empty = PyTuple_New(0);
    if (empty == NULL) {
        return -1;
    }
    PyObject *d = AST_Type.tp_dict;
    int r = (PyDict_SetItemString(d, "_fields", empty) < 0
             || PyDict_SetItemString(d, "_attributes", empty) < 0
             || PyDict_SetItemString(d, "__match_args__", empty) < 0
             || set_module(d) < 0)
            ? -1 : 0;
    Py_DECREF(empty);
    PyType_Modified(&AST_Type);
    return r;
}

/* The state, built on first use.  Returns a borrowed pointer, or NULL
   with an error set.  A failed build is retried by the next caller
   (partially built classes are simply leaked). */
static ast_state *
get_state(void)
{
    if (_Py_atomic_load_int_acquire(&state_ready)) {
        return &the_state;
    }
    PyMutex_Lock(&state_lock);
    if (_Py_atomic_load_int_relaxed(&state_ready)) {
        PyMutex_Unlock(&state_lock);
        return &the_state;
    }
    int ok = AST_Type.tp_dict != NULL || ready_base() == 0;
    for (int t = 0; ok && t < _PyAST_T_COUNT; t++) {
        if (build_type(&the_state, t) < 0) {
            ok = 0;
        }
    }
    if (ok) {
        _Py_atomic_store_int_release(&state_ready, 1);
    }
    PyMutex_Unlock(&state_lock);
    return ok ? &the_state : NULL;
}

/* See pycore_ast_object.h; builds the classes on first use, since
   compile() may see a tree before anything imported _ast. */
int
_PyAST_Check(PyObject *obj)
{
    if (get_state() == NULL) {
        return -1;
    }
    return PyObject_TypeCheck(obj, &AST_Type);
}

/* ------------------------------------------------------------------ */
/* C AST -> objects. */

static PyObject *node_to_object(ast_state *st, const void *node, int t);

/* A new object for parser constant C. */
static PyObject *
constant_to_object(constant c)
{
    switch (c->kind) {
    case _PyConst_NONE:
        Py_RETURN_NONE;
    case _PyConst_TRUE:
        Py_RETURN_TRUE;
    case _PyConst_FALSE:
        Py_RETURN_FALSE;
    case _PyConst_ELLIPSIS:
        return Py_NewRef(Py_Ellipsis);
    case _PyConst_INT:
        return PyLong_FromString(c->data, NULL, c->base ? c->base : 10);
    case _PyConst_FLOAT:
        return PyFloat_FromDouble(c->value);
    case _PyConst_IMAG:
        return PyComplex_FromDoubles(0.0, c->value);
    case _PyConst_STR:
        return PyUnicode_DecodeUTF8(c->data, c->size, "surrogatepass");
    case _PyConst_BYTES:
        return PyBytes_FromStringAndSize(c->data, c->size);
    }
    PyErr_SetString(PyExc_SystemError, "unknown constant kind in AST");
    return NULL;
}

/* A new object for a UTF-8 identifier or string, None for NULL. */
static PyObject *
string_to_object(const char *s)
{
    if (s == NULL) {
        Py_RETURN_NONE;
    }
    return PyUnicode_DecodeUTF8(s, (Py_ssize_t)strlen(s), "surrogatepass");
}

/* A new object for the single (non-sequence) value of field F stored at
   P. */
static PyObject *
value_to_object(ast_state *st, const _PyAST_Field *f, const void *p)
{
    switch (f->kind) {
    case _PyAST_F_NODE: {
        const void *node = *(void *const *)p;
        if (node == NULL) {
            Py_RETURN_NONE;
        }
        return node_to_object(st, node, f->type);
    }
    case _PyAST_F_ENUM: {
        int v = *(const int *)p;
        if (v < 1 || v > _PyAST_Types[f->type].nconses) {
            PyErr_SetString(PyExc_SystemError, "bad enum value in AST");
            return NULL;
        }
        return Py_NewRef(st->singleton[f->type][v - 1]);
    }
    case _PyAST_F_IDENT:
    case _PyAST_F_STRING:
        return string_to_object(*(const char *const *)p);
    case _PyAST_F_INT:
        return PyLong_FromLong(*(const int *)p);
    default: {
        constant c = *(const constant *)p;
        if (c == NULL) {
            Py_RETURN_NONE;
        }
        return constant_to_object(c);
    }
    }
}

/* A new list for the sequence field F whose sequence pointer is at P. */
static PyObject *
seq_to_object(ast_state *st, const _PyAST_Field *f, const void *p)
{
    const void *seq = *(void *const *)p;
    Py_ssize_t n = seq == NULL ? 0 : ((const asdl_seq *)seq)->size;
    PyObject *list = PyList_New(n);
    if (list == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        const void *slot;
        if (f->kind == _PyAST_F_ENUM || f->kind == _PyAST_F_INT) {
            slot = &((const asdl_int_seq *)seq)->typed_elements[i];
        }
        else {
            slot = &((const asdl_seq *)seq)->elements[i];
        }
        PyObject *v = value_to_object(st, f, slot);
        if (v == NULL) {
            Py_DECREF(list);
            return NULL;
        }
        PyList_SET_ITEM(list, i, v);
    }
    return list;
}

/* Set the N fields F of the node at BASE as attributes of OBJ. */
static int
set_fields(ast_state *st, PyObject *obj, const char *base,
           const _PyAST_Field *f, int n)
{
    for (int i = 0; i < n; i++) {
        const void *p = base + f[i].offset;
        PyObject *v = f[i].seq ? seq_to_object(st, &f[i], p)
                               : value_to_object(st, &f[i], p);
        if (v == NULL) {
            return -1;
        }
        int r = PyObject_SetAttrString(obj, f[i].name, v);
        Py_DECREF(v);
        if (r < 0) {
            return -1;
        }
    }
    return 0;
}

/* A new node object for NODE of type T (not an enum). */
static PyObject *
node_to_object(ast_state *st, const void *node, int t)
{
    const _PyAST_TypeInfo *info = &_PyAST_Types[t];
    int ci = 0;
    if (info->form == _PyAST_SUM) {
        ci = *(const int *)node - 1;
        if (ci < 0 || ci >= info->nconses) {
            PyErr_SetString(PyExc_SystemError, "bad node kind in AST");
            return NULL;
        }
    }
    if (Py_EnterRecursiveCall(" during ast construction")) {
        return NULL;
    }
    PyObject *obj = PyObject_CallNoArgs(st->cons_class[t][ci]);
    if (obj != NULL
        && (set_fields(st, obj, node, info->conses[ci].fields,
                       info->conses[ci].nfields) < 0
            || set_fields(st, obj, node, info->attrs, info->nattrs) < 0)) {
        Py_CLEAR(obj);
    }
    Py_LeaveRecursiveCall();
    return obj;
}

/* See pycore_ast_object.h. */
PyObject *
_PyAST_ToObject(mod_ty mod)
{
    ast_state *st = get_state();
    if (st == NULL) {
        return NULL;
    }
    return node_to_object(st, mod, _PyAST_T_mod);
}

/* ------------------------------------------------------------------ */
/* Objects -> C AST, with 3.11's checks. */

typedef struct {
    ast_state *st;
    _PyArena *arena;
} converter;

/* Fields whose expressions are assignment targets (Store) or deleted
   (Del); every other expression field must have Load context. */
static const struct {
    const char *cons;
    const char *field;
    int ctx;
} target_fields[] = {
    {"Assign", "targets", Store}, {"AugAssign", "target", Store},
    {"AnnAssign", "target", Store}, {"For", "target", Store},
    {"AsyncFor", "target", Store}, {"Delete", "targets", Del},
    {"NamedExpr", "target", Store}, {"comprehension", "target", Store},
    {"withitem", "optional_vars", Store},
};

/* Sequence fields that may not be empty ("empty body on If"). */
static const struct {
    const char *cons;
    const char *field;
} nonempty_fields[] = {
    {"FunctionDef", "body"}, {"AsyncFunctionDef", "body"},
    {"ClassDef", "body"}, {"For", "body"}, {"AsyncFor", "body"},
    {"While", "body"}, {"If", "body"}, {"With", "body"},
    {"AsyncWith", "body"}, {"With", "items"}, {"AsyncWith", "items"},
    {"Try", "body"}, {"TryStar", "body"}, {"ExceptHandler", "body"},
    {"match_case", "body"}, {"Match", "cases"}, {"Assign", "targets"},
    {"Delete", "targets"}, {"Import", "names"}, {"ImportFrom", "names"},
    {"Global", "names"}, {"Nonlocal", "names"},
};

static const char *const ctx_names[] = {"?", "Load", "Store", "Del"};

/* The context expressions in field FIELD of CONS must have. */
static int
wanted_ctx(const char *cons, const char *field)
{
    for (size_t i = 0; i < sizeof(target_fields) / sizeof(target_fields[0]);
         i++) {
        if (strcmp(target_fields[i].cons, cons) == 0
            && strcmp(target_fields[i].field, field) == 0) {
            return target_fields[i].ctx;
        }
    }
    return Load;
}

/* True if sequence field FIELD of CONS must not be empty. */
static int
must_be_nonempty(const char *cons, const char *field)
{
    for (size_t i = 0;
         i < sizeof(nonempty_fields) / sizeof(nonempty_fields[0]); i++) {
        if (strcmp(nonempty_fields[i].cons, cons) == 0
            && strcmp(nonempty_fields[i].field, field) == 0) {
            return 1;
        }
    }
    return 0;
}

static int obj_to_node(converter *c, PyObject *obj, int t, int ctx,
                       void **out);
static int node_from_object(converter *c, PyObject *obj, int t, int ctx,
                            void **out);

/* Copy LEN bytes at S into the arena as a NUL-terminated string. */
static const char *
arena_strdup(converter *c, const char *s, Py_ssize_t len)
{
    char *p = _PyArena_Malloc(c->arena, (size_t)len + 1);
    if (p == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    memcpy(p, s, (size_t)len);
    p[len] = '\0';
    return p;
}

/* The WTF-8 of str OBJ in the arena (lone surrogates pass through). */
static const char *
str_to_arena(converter *c, PyObject *obj, Py_ssize_t *size)
{
    PyObject *b = PyUnicode_AsEncodedString(obj, "utf-8", "surrogatepass");
    if (b == NULL) {
        return NULL;
    }
    const char *s = arena_strdup(c, PyBytes_AS_STRING(b),
                                 PyBytes_GET_SIZE(b));
    if (size != NULL) {
        *size = PyBytes_GET_SIZE(b);
    }
    Py_DECREF(b);
    return s;
}

/* A new arena constant of kind K. */
static constant
new_constant(converter *c, _PyConstKind k)
{
    constant v = _PyArena_Malloc(c->arena, sizeof(*v));
    if (v == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    memset(v, 0, sizeof(*v));
    v->kind = k;
    return v;
}

/* True if OBJ may be the value of a Constant (3.11's rule). */
static int
valid_constant(PyObject *obj)
{
    if (obj == Py_None || obj == Py_Ellipsis || PyLong_CheckExact(obj)
        || PyBool_Check(obj) || PyFloat_CheckExact(obj)
        || PyComplex_CheckExact(obj) || PyUnicode_CheckExact(obj)
        || PyBytes_CheckExact(obj)) {
        return 1;
    }
    if (PyTuple_CheckExact(obj)) {
        for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(obj); i++) {
            if (!valid_constant(PyTuple_GET_ITEM(obj, i))) {
                return 0;
            }
        }
        return 1;
    }
    return 0;
}

/* Positions shared by the expressions one Constant expands into. */
typedef struct {
    int lineno, col_offset, end_lineno, end_col_offset;
} position;

static expr_ty const_expr(converter *c, PyObject *value, string kind,
                          const position *pos);

/* An expression Constant node holding V. */
static expr_ty
plain_const_expr(converter *c, constant v, string kind, const position *p)
{
    if (v == NULL) {
        return NULL;
    }
    expr_ty e = _PyAST_Constant(v, kind, p->lineno, p->col_offset,
                                p->end_lineno, p->end_col_offset, c->arena);
    if (e == NULL) {
        PyErr_NoMemory();
    }
    return e;
}

/* An int constant for the absolute value of int OBJ; *NEG is set if OBJ
   is negative. */
static constant
int_constant(converter *c, PyObject *obj, int *neg)
{
    PyObject *absval = PyNumber_Absolute(obj);
    if (absval == NULL) {
        return NULL;
    }
    *neg = PyObject_RichCompareBool(obj, absval, Py_NE);
    /* Hex: not subject to the int/str conversion digit limit. */
    PyObject *s = *neg < 0 ? NULL : PyNumber_ToBase(absval, 16);
    Py_DECREF(absval);
    if (s == NULL) {
        return NULL;
    }
    Py_ssize_t len;
    const char *text = PyUnicode_AsUTF8AndSize(s, &len);
    constant v = text == NULL ? NULL : new_constant(c, _PyConst_INT);
    if (v != NULL) {
        /* Drop the "0x" prefix. */
        v->base = 16;
        v->size = len - 2;
        v->data = arena_strdup(c, text + 2, len - 2);
        if (v->data == NULL) {
            v = NULL;
        }
    }
    Py_DECREF(s);
    return v;
}

/* Build the expression for the Constant value VALUE: a Constant node for
   what the parser's constants can represent, or an expression the
   compiler folds back into the same constant (-N, a+bj, tuples). */
static expr_ty
const_expr(converter *c, PyObject *value, string kind, const position *p)
{
    if (value == Py_None || value == Py_True || value == Py_False
        || value == Py_Ellipsis) {
        _PyConstKind k = value == Py_None ? _PyConst_NONE
                         : value == Py_True ? _PyConst_TRUE
                         : value == Py_False ? _PyConst_FALSE
                         : _PyConst_ELLIPSIS;
        return plain_const_expr(c, new_constant(c, k), kind, p);
    }
    if (PyLong_Check(value)) {
        int neg = 0;
        expr_ty e = plain_const_expr(c, int_constant(c, value, &neg), kind,
                                     p);
        if (e != NULL && neg) {
            e = _PyAST_UnaryOp(USub, e, p->lineno, p->col_offset,
                               p->end_lineno, p->end_col_offset, c->arena);
        }
        return e;
    }
    if (PyFloat_Check(value)) {
        constant v = new_constant(c, _PyConst_FLOAT);
        if (v != NULL) {
            v->value = PyFloat_AS_DOUBLE(value);
        }
        return plain_const_expr(c, v, kind, p);
    }
    if (PyComplex_Check(value)) {
        double re = PyComplex_RealAsDouble(value);
        constant v = new_constant(c, _PyConst_IMAG);
        if (v == NULL) {
            return NULL;
        }
        v->value = PyComplex_ImagAsDouble(value);
        if (re == 0.0 && signbit(re)) {
            /* complex(-0.0, im) is -complex(0.0, -im). */
            v->value = -v->value;
            expr_ty e = plain_const_expr(c, v, kind, p);
            if (e == NULL) {
                return NULL;
            }
            return _PyAST_UnaryOp(USub, e, p->lineno, p->col_offset,
                                  p->end_lineno, p->end_col_offset,
                                  c->arena);
        }
        expr_ty e = plain_const_expr(c, v, kind, p);
        if (e == NULL || re == 0.0) {
            return e;
        }
        /* re + imag j keeps both parts exactly when imag's sign is
           positive (0.0 + im == im); otherwise use -(-re + (-im)j), as
           0.0 + -0.0 would lose the sign. */
        int flip = signbit(v->value) != 0;
        if (flip) {
            v->value = -v->value;
        }
        constant r = new_constant(c, _PyConst_FLOAT);
        if (r == NULL) {
            return NULL;
        }
        r->value = flip ? -re : re;
        expr_ty left = plain_const_expr(c, r, kind, p);
        if (left == NULL) {
            return NULL;
        }
        e = _PyAST_BinOp(left, Add, e, p->lineno, p->col_offset,
                         p->end_lineno, p->end_col_offset, c->arena);
        if (e != NULL && flip) {
            e = _PyAST_UnaryOp(USub, e, p->lineno, p->col_offset,
                               p->end_lineno, p->end_col_offset, c->arena);
        }
        if (e == NULL) {
            PyErr_NoMemory();
        }
        return e;
    }
    if (PyUnicode_Check(value) || PyBytes_Check(value)) {
        int is_str = PyUnicode_Check(value);
        constant v = new_constant(c, is_str ? _PyConst_STR : _PyConst_BYTES);
        if (v == NULL) {
            return NULL;
        }
        v->data = is_str ? str_to_arena(c, value, &v->size)
                         : arena_strdup(c, PyBytes_AS_STRING(value),
                                        PyBytes_GET_SIZE(value));
        if (v->data == NULL) {
            return NULL;
        }
        if (!is_str) {
            v->size = PyBytes_GET_SIZE(value);
        }
        return plain_const_expr(c, v, kind, p);
    }
    if (PyTuple_Check(value)) {
        Py_ssize_t n = PyTuple_GET_SIZE(value);
        asdl_expr_seq *elts = (asdl_expr_seq *)_Py_asdl_generic_seq_new(
            n, c->arena);
        if (elts == NULL) {
            PyErr_NoMemory();
            return NULL;
        }
        for (Py_ssize_t i = 0; i < n; i++) {
            expr_ty e = const_expr(c, PyTuple_GET_ITEM(value, i), NULL, p);
            if (e == NULL) {
                return NULL;
            }
            asdl_seq_SET(elts, i, e);
        }
        return _PyAST_Tuple(elts, Load, p->lineno, p->col_offset,
                            p->end_lineno, p->end_col_offset, c->arena);
    }
    PyErr_Format(PyExc_TypeError, "got an invalid type in Constant: %s",
                 _PyType_Name(Py_TYPE(value)));
    return NULL;
}

/* Read attribute NAME of OBJ into *VALUE (new reference, or NULL when
   missing).  Returns -1 on error. */
static int
lookup(PyObject *obj, const char *name, PyObject **value)
{
    PyObject *key = PyUnicode_FromString(name);
    if (key == NULL) {
        return -1;
    }
    int r = _PyObject_LookupAttr(obj, key, value);
    Py_DECREF(key);
    return r < 0 ? -1 : 0;
}

/* Convert an identifier or string object into arena UTF-8. */
static int
obj_to_string(converter *c, PyObject *v, int ident, const char **out)
{
    if (!PyUnicode_CheckExact(v)) {
        PyErr_Format(PyExc_TypeError, "AST %s must be of type str",
                     ident ? "identifier" : "string");
        return -1;
    }
    *out = str_to_arena(c, v, NULL);
    return *out == NULL ? -1 : 0;
}

/* Names that bind (Name.id, capture patterns) may not be the keyword
   constants. */
static int
check_name(identifier name)
{
    if (name != NULL && (strcmp(name, "None") == 0
                         || strcmp(name, "True") == 0
                         || strcmp(name, "False") == 0)) {
        PyErr_Format(PyExc_ValueError,
                     "identifier field can't represent '%s' constant", name);
        return -1;
    }
    return 0;
}

/* An int field ("invalid integer value: 'a'" for anything else). */
static int
obj_to_int(PyObject *v, int *out)
{
    if (!PyLong_Check(v)) {
        PyErr_Format(PyExc_ValueError, "invalid integer value: %R", v);
        return -1;
    }
    *out = _PyLong_AsInt(v);
    return (*out == -1 && PyErr_Occurred()) ? -1 : 0;
}

/* Enum value of OBJ for enum type T (1-based). */
static int
obj_to_enum(converter *c, PyObject *obj, int t, int *out)
{
    const _PyAST_TypeInfo *info = &_PyAST_Types[t];
    for (int i = 0; i < info->nconses; i++) {
        int r = PyObject_IsInstance(obj, c->st->cons_class[t][i]);
        if (r < 0) {
            return -1;
        }
        if (r) {
            *out = i + 1;
            return 0;
        }
    }
    PyErr_Format(PyExc_TypeError, "expected some sort of %s, but got %R",
                 info->name, obj);
    return -1;
}

/* Convert one non-sequence value V (borrowed, not None unless the field
   allows it) of field F into the slot at P. */
static int
value_from_object(converter *c, const _PyAST_Field *f, PyObject *v, int ctx,
                  void *p)
{
    switch (f->kind) {
    case _PyAST_F_NODE:
        return obj_to_node(c, v, f->type, ctx, (void **)p);
    case _PyAST_F_ENUM:
        return obj_to_enum(c, v, f->type, (int *)p);
    case _PyAST_F_IDENT:
    case _PyAST_F_STRING:
        if (v == Py_None) {
            *(const char **)p = NULL;
            return 0;
        }
        return obj_to_string(c, v, f->kind == _PyAST_F_IDENT,
                             (const char **)p);
    case _PyAST_F_INT:
        return obj_to_int(v, (int *)p);
    default:
        break;
    }
    /* A bare constant (MatchSingleton): only the parser's kinds fit. */
    if (!valid_constant(v) || PyTuple_Check(v)) {
        PyErr_Format(PyExc_TypeError, "got an invalid type in Constant: %s",
                     _PyType_Name(Py_TYPE(v)));
        return -1;
    }
    position pos = {0, 0, 0, 0};
    expr_ty e = const_expr(c, v, NULL, &pos);
    if (e == NULL) {
        return -1;
    }
    if (e->kind != Constant_kind) {
        PyErr_SetString(PyExc_ValueError,
                        "MatchSingleton can only contain True, False "
                        "and None");
        return -1;
    }
    *(constant *)p = e->v.Constant.value;
    return 0;
}

/* What a None element of a sequence of type T is called in errors. */
static const char *
list_kind(int t)
{
    switch (t) {
    case _PyAST_T_stmt:
        return "statement";
    case _PyAST_T_expr:
        return "expression";
    case _PyAST_T_pattern:
        return "pattern";
    default:
        return _PyAST_Types[t].name;
    }
}

/* Convert list V of sequence field F (of constructor OWNER) into the
   sequence slot at P. */
static int
seq_from_object(converter *c, const char *owner, const _PyAST_Field *f,
                PyObject *v, int ctx, void *p)
{
    if (!PyList_Check(v)) {
        PyErr_Format(PyExc_TypeError, "%s field \"%s\" must be a list, "
                     "not a %.200s", owner, f->name,
                     _PyType_Name(Py_TYPE(v)));
        return -1;
    }
    PyObject *items = PySequence_Tuple(v);
    if (items == NULL) {
        return -1;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(items);
    int ints = f->kind == _PyAST_F_ENUM || f->kind == _PyAST_F_INT;
    void *seq = ints ? (void *)_Py_asdl_int_seq_new(n, c->arena)
                     : (void *)_Py_asdl_generic_seq_new(n, c->arena);
    if (seq == NULL) {
        Py_DECREF(items);
        PyErr_NoMemory();
        return -1;
    }
    /* Dict keys (for **m) and keyword-only defaults may be None. */
    int none_ok = (strcmp(owner, "Dict") == 0 && strcmp(f->name, "keys") == 0)
                  || strcmp(f->name, "kw_defaults") == 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = PyTuple_GET_ITEM(items, i);
        void *slot = ints ? (void *)&((asdl_int_seq *)seq)->typed_elements[i]
                          : (void *)&((asdl_seq *)seq)->elements[i];
        if (item == Py_None && f->kind == _PyAST_F_IDENT) {
            PyErr_SetString(PyExc_TypeError,
                            "AST identifier must be of type str");
            Py_DECREF(items);
            return -1;
        }
        if (item == Py_None && f->kind == _PyAST_F_NODE
            && _PyAST_Types[f->type].form == _PyAST_PRODUCT) {
            /* Read as a node: "required field ... missing from alias". */
            if (node_from_object(c, item, f->type, ctx, (void **)slot) < 0) {
                Py_DECREF(items);
                return -1;
            }
            continue;
        }
        if (item == Py_None && f->kind == _PyAST_F_NODE) {
            if (!none_ok) {
                PyErr_Format(PyExc_ValueError, "None disallowed in %s list",
                             list_kind(f->type));
                Py_DECREF(items);
                return -1;
            }
            *(void **)slot = NULL;
            continue;
        }
        if (value_from_object(c, f, item, ctx, slot) < 0) {
            Py_DECREF(items);
            return -1;
        }
    }
    Py_DECREF(items);
    if (n == 0 && must_be_nonempty(owner, f->name)) {
        PyErr_Format(PyExc_ValueError, "empty %s on %s", f->name, owner);
        return -1;
    }
    *(void **)p = seq;
    return 0;
}

/* Convert the N fields F of OBJ into the node at BASE.  OWNER names the
   node in errors (the constructor, or the abstract type for
   attributes); CONS is the constructor's name (context rules). */
static int
fields_from_object(converter *c, PyObject *obj, char *base,
                   const _PyAST_Field *f, int n, const char *owner,
                   const char *cons, int ctx)
{
    for (int i = 0; i < n; i++) {
        PyObject *v;
        if (lookup(obj, f[i].name, &v) < 0) {
            return -1;
        }
        void *p = base + f[i].offset;
        if (v == NULL || (v == Py_None && !f[i].seq)) {
            if (v == NULL && (f[i].seq || !f[i].opt)) {
                PyErr_Format(PyExc_TypeError,
                             "required field \"%s\" missing from %s",
                             f[i].name, owner);
                return -1;
            }
            int given_none = v != NULL;
            Py_XDECREF(v);
            if (given_none && !f[i].opt && f[i].kind == _PyAST_F_NODE
                && _PyAST_Types[f[i].type].form == _PyAST_PRODUCT) {
                /* None read as a node: "required field ... missing from
                   arguments". */
                if (node_from_object(c, Py_None, f[i].type, ctx,
                                     (void **)p) < 0) {
                    return -1;
                }
            }
            if (!f[i].opt && (f[i].kind == _PyAST_F_ENUM
                              || f[i].kind == _PyAST_F_INT)) {
                /* "expected some sort of operator, but got None" */
                if (value_from_object(c, &f[i], Py_None, 0, p) < 0) {
                    return -1;
                }
            }
            if (!f[i].opt && f[i].kind != _PyAST_F_CONST) {
                PyErr_Format(PyExc_ValueError,
                             "field '%s' is required for %s", f[i].name,
                             owner);
                return -1;
            }
            if (f[i].kind == _PyAST_F_CONST) {
                if (value_from_object(c, &f[i], Py_None, 0, p) < 0) {
                    return -1;
                }
            }
            /* The node was zeroed: NULL / 0 stand for a missing value.
               An optional end position takes the start's value. */
            continue;
        }
        int want = ctx;
        if (f[i].kind == _PyAST_F_NODE && f[i].type == _PyAST_T_expr) {
            want = cons == NULL ? ctx : wanted_ctx(cons, f[i].name);
        }
        int r = f[i].seq ? seq_from_object(c, owner, &f[i], v, want, p)
                         : value_from_object(c, &f[i], v, want, p);
        Py_DECREF(v);
        if (r < 0) {
            return -1;
        }
    }
    return 0;
}

/* Check a node's position as 3.11's validator does. */
static int
check_position(int lineno, int col, int end_lineno, int end_col)
{
    if (lineno > end_lineno) {
        PyErr_Format(PyExc_ValueError,
                     "AST node line range (%d, %d) is not valid", lineno,
                     end_lineno);
        return -1;
    }
    if ((lineno < 0 && end_lineno != lineno)
        || (col < 0 && col != end_col)) {
        PyErr_Format(PyExc_ValueError,
                     "AST node column range (%d, %d) for line range "
                     "(%d, %d) is not valid", col, end_col, lineno,
                     end_lineno);
        return -1;
    }
    if (lineno == end_lineno && col > end_col) {
        PyErr_Format(PyExc_ValueError,
                     "line %d, column %d-%d is not a valid range", lineno,
                     col, end_col);
        return -1;
    }
    return 0;
}

/* Read the position attributes of OBJ into NODE of type INFO: a missing
   end_lineno / end_col_offset takes the start's value, as in 3.11. */
static int
attrs_from_object(converter *c, PyObject *obj, char *node,
                  const _PyAST_TypeInfo *info)
{
    for (int i = 0; i < info->nattrs; i++) {
        if (info->attrs[i].opt && info->attrs[i].kind == _PyAST_F_INT) {
            *(int *)(node + info->attrs[i].offset) = INT_MIN;
        }
    }
    if (fields_from_object(c, obj, node, info->attrs, info->nattrs,
                           info->name, NULL, 0) < 0) {
        return -1;
    }
    if (info->nattrs != 4) {
        return 0;
    }
    int *pos[4];
    for (int i = 0; i < 4; i++) {
        pos[i] = (int *)(node + info->attrs[i].offset);
    }
    for (int i = 2; i < 4; i++) {
        if (*pos[i] == INT_MIN) {
            *pos[i] = *pos[i - 2];
        }
    }
    return check_position(*pos[0], *pos[1], *pos[2], *pos[3]);
}

/* Check expression E against the context its position requires, and
   the few per-node rules 3.11 enforces beyond the field types. */
static int
check_expr(expr_ty e, int want)
{
    int have = 0;
    switch (e->kind) {
    case Name_kind:
        if (check_name(e->v.Name.id) < 0) {
            return -1;
        }
        have = e->v.Name.ctx;
        break;
    case Attribute_kind: have = e->v.Attribute.ctx; break;
    case Subscript_kind: have = e->v.Subscript.ctx; break;
    case Starred_kind: have = e->v.Starred.ctx; break;
    case List_kind: have = e->v.List.ctx; break;
    case Tuple_kind: have = e->v.Tuple.ctx; break;
    case Compare_kind:
        if (asdl_seq_LEN(e->v.Compare.comparators) == 0) {
            PyErr_SetString(PyExc_ValueError, "Compare with no comparators");
            return -1;
        }
        if (asdl_seq_LEN(e->v.Compare.comparators)
            != asdl_seq_LEN(e->v.Compare.ops)) {
            PyErr_SetString(PyExc_ValueError, "Compare has a different "
                            "number of comparators and operands");
            return -1;
        }
        break;
    case Dict_kind:
        if (asdl_seq_LEN(e->v.Dict.keys) != asdl_seq_LEN(e->v.Dict.values)) {
            PyErr_SetString(PyExc_ValueError, "Dict doesn't have the same "
                            "number of keys as values");
            return -1;
        }
        break;
    case BoolOp_kind:
        if (asdl_seq_LEN(e->v.BoolOp.values) < 2) {
            PyErr_SetString(PyExc_ValueError,
                            "BoolOp with less than 2 values");
            return -1;
        }
        break;
    default:
        break;
    }
    if (have != 0 && have != want) {
        PyErr_Format(PyExc_ValueError,
                     "expression must have %s context but has %s instead",
                     ctx_names[want], ctx_names[have]);
        return -1;
    }
    if (have == 0 && want != Load) {
        PyErr_Format(PyExc_ValueError,
                     "expression which can't be assigned to in %s context",
                     ctx_names[want]);
        return -1;
    }
    return 0;
}

/* Raise ValueError MSG and return -1. */
static int
invalid(const char *msg)
{
    PyErr_SetString(PyExc_ValueError, msg);
    return -1;
}

/* The per-statement rules of 3.11's validator that the field types do
   not express (the compiler relies on them). */
static int
check_stmt(stmt_ty s, const char *cons)
{
    switch (s->kind) {
    case Try_kind:
    case TryStar_kind:
        if (asdl_seq_LEN(s->v.Try.handlers) == 0
            && asdl_seq_LEN(s->v.Try.finalbody) == 0) {
            PyErr_Format(PyExc_ValueError,
                         "%s has neither except handlers nor finalbody",
                         cons);
            return -1;
        }
        if (asdl_seq_LEN(s->v.Try.handlers) == 0
            && asdl_seq_LEN(s->v.Try.orelse) != 0) {
            PyErr_Format(PyExc_ValueError,
                         "%s has orelse but no except handlers", cons);
            return -1;
        }
        return 0;
    case AnnAssign_kind:
        if (s->v.AnnAssign.simple
            && s->v.AnnAssign.target->kind != Name_kind) {
            PyErr_SetString(PyExc_TypeError,
                            "AnnAssign with simple non-Name target");
            return -1;
        }
        return 0;
    case Raise_kind:
        if (s->v.Raise.cause != NULL && s->v.Raise.exc == NULL) {
            return invalid("Raise with cause but no exception");
        }
        return 0;
    case ImportFrom_kind:
        if (s->v.ImportFrom.level < 0) {
            return invalid("Negative ImportFrom level");
        }
        return 0;
    default:
        return 0;
    }
}

/* Arguments: defaults must line up with the parameters they belong to. */
static int
check_arguments(arguments_ty a)
{
    if (asdl_seq_LEN(a->defaults)
        > asdl_seq_LEN(a->posonlyargs) + asdl_seq_LEN(a->args)) {
        return invalid("more positional defaults than args on arguments");
    }
    if (asdl_seq_LEN(a->kw_defaults) != asdl_seq_LEN(a->kwonlyargs)) {
        return invalid("length of kwonlyargs is not the same as "
                       "kw_defaults on arguments");
    }
    return 0;
}

/* True if identifier NAME is the wildcard, which patterns can't bind. */
static int
is_wildcard(identifier name)
{
    return name != NULL && strcmp(name, "_") == 0;
}

/* MatchStar is only valid directly inside MatchSequence. */
static int
no_star(pattern_ty p)
{
    if (p != NULL && p->kind == MatchStar_kind) {
        return invalid("can't use MatchStar here");
    }
    return 0;
}

/* no_star for every pattern of SEQ. */
static int
no_star_in(asdl_pattern_seq *seq)
{
    for (Py_ssize_t i = 0; i < asdl_seq_LEN(seq); i++) {
        if (no_star(asdl_seq_GET(seq, i)) < 0) {
            return -1;
        }
    }
    return 0;
}

/* A MatchValue holds a number, string or bytes literal (possibly signed
   or complex) or an attribute lookup. */
static int
check_match_value(expr_ty v)
{
    switch (v->kind) {
    case Constant_kind:
        switch (v->v.Constant.value->kind) {
        case _PyConst_INT:
        case _PyConst_FLOAT:
        case _PyConst_IMAG:
        case _PyConst_STR:
        case _PyConst_BYTES:
            return 0;
        default:
            return invalid("unexpected constant inside of a literal "
                           "pattern");
        }
    case Attribute_kind:
    case UnaryOp_kind:
    case BinOp_kind:
        return 0;
    case Tuple_kind:    /* what a tuple constant became */
        return invalid("unexpected constant inside of a literal pattern");
    default:
        return invalid("patterns may only match literals and attribute "
                       "lookups");
    }
}

/* The structural rules for patterns. */
static int
check_pattern(pattern_ty p)
{
    switch (p->kind) {
    case MatchValue_kind:
        return check_match_value(p->v.MatchValue.value);
    case MatchSingleton_kind: {
        _PyConstKind k = p->v.MatchSingleton.value->kind;
        if (k != _PyConst_NONE && k != _PyConst_TRUE
            && k != _PyConst_FALSE) {
            return invalid("MatchSingleton can only contain True, False "
                           "and None");
        }
        return 0;
    }
    case MatchMapping_kind:
        if (asdl_seq_LEN(p->v.MatchMapping.keys)
            != asdl_seq_LEN(p->v.MatchMapping.patterns)) {
            return invalid("MatchMapping doesn't have the same number of "
                           "keys as patterns");
        }
        if (is_wildcard(p->v.MatchMapping.rest)) {
            return invalid("can't capture name '_' in patterns");
        }
        if (check_name(p->v.MatchMapping.rest) < 0) {
            return -1;
        }
        return no_star_in(p->v.MatchMapping.patterns);
    case MatchClass_kind:
        if (asdl_seq_LEN(p->v.MatchClass.kwd_attrs)
            != asdl_seq_LEN(p->v.MatchClass.kwd_patterns)) {
            return invalid("MatchClass doesn't have the same number of "
                           "keyword attributes as patterns");
        }
        for (Py_ssize_t i = 0; i < asdl_seq_LEN(p->v.MatchClass.kwd_attrs);
             i++) {
            if (check_name(asdl_seq_GET(p->v.MatchClass.kwd_attrs, i)) < 0) {
                return -1;
            }
        }
        return (no_star_in(p->v.MatchClass.patterns) < 0
                || no_star_in(p->v.MatchClass.kwd_patterns) < 0) ? -1 : 0;
    case MatchStar_kind:
        if (is_wildcard(p->v.MatchStar.name)) {
            return invalid("can't capture name '_' in patterns");
        }
        return check_name(p->v.MatchStar.name);
    case MatchAs_kind:
        if (is_wildcard(p->v.MatchAs.name)) {
            return invalid("can't capture name '_' in patterns");
        }
        if (p->v.MatchAs.name == NULL && p->v.MatchAs.pattern != NULL) {
            return invalid("MatchAs must specify a target name if a "
                           "pattern is given");
        }
        return (check_name(p->v.MatchAs.name) < 0
                || no_star(p->v.MatchAs.pattern) < 0) ? -1 : 0;
    case MatchOr_kind:
        if (asdl_seq_LEN(p->v.MatchOr.patterns) < 2) {
            return invalid("MatchOr requires at least 2 patterns");
        }
        return no_star_in(p->v.MatchOr.patterns);
    default:
        return 0;
    }
}

/* Convert node OBJ of type T (not an enum) into *OUT; CTX is the context
   an expression must have there.  None gives NULL (the caller decides
   whether that is allowed). */
static int
node_from_object(converter *c, PyObject *obj, int t, int ctx, void **out)
{
    const _PyAST_TypeInfo *info = &_PyAST_Types[t];
    char *node = _PyArena_Malloc(c->arena, node_size[t]);
    if (node == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    memset(node, 0, node_size[t]);
    int ci = 0;
    if (info->form == _PyAST_SUM) {
        if (attrs_from_object(c, obj, node, info) < 0) {
            return -1;
        }
        for (ci = 0; ci < info->nconses; ci++) {
            int r = PyObject_IsInstance(obj, c->st->cons_class[t][ci]);
            if (r < 0) {
                return -1;
            }
            if (r) {
                break;
            }
        }
        if (ci == info->nconses) {
            PyErr_Format(PyExc_TypeError,
                         "expected some sort of %s, but got %R",
                         info->name, obj);
            return -1;
        }
        *(int *)node = ci + 1;
    }
    const _PyAST_Cons *cons = &info->conses[ci];
    const char *rules = cons->name;
    if (t == _PyAST_T_expr && (strcmp(cons->name, "Starred") == 0
                               || strcmp(cons->name, "List") == 0
                               || strcmp(cons->name, "Tuple") == 0)) {
        rules = NULL;   /* elements of a target are targets */
    }
    if (t == _PyAST_T_expr && strcmp(cons->name, "Constant") == 0) {
        expr_ty e = (expr_ty)node;
        PyObject *value, *kind;
        if (lookup(obj, "value", &value) < 0) {
            return -1;
        }
        if (value == NULL) {
            PyErr_SetString(PyExc_TypeError,
                            "required field \"value\" missing from Constant");
            return -1;
        }
        if (lookup(obj, "kind", &kind) < 0) {
            Py_DECREF(value);
            return -1;
        }
        const char *k = NULL;
        if (kind != NULL && kind != Py_None
            && obj_to_string(c, kind, 0, &k) < 0) {
            Py_DECREF(value);
            Py_DECREF(kind);
            return -1;
        }
        Py_XDECREF(kind);
        if (!valid_constant(value)) {
            PyErr_Format(PyExc_TypeError,
                         "got an invalid type in Constant: %s",
                         _PyType_Name(Py_TYPE(value)));
            Py_DECREF(value);
            return -1;
        }
        if (ctx != Load) {
            Py_DECREF(value);
            PyErr_Format(PyExc_ValueError, "expression which can't be "
                         "assigned to in %s context", ctx_names[ctx]);
            return -1;
        }
        position pos = {e->lineno, e->col_offset, e->end_lineno,
                        e->end_col_offset};
        expr_ty r = const_expr(c, value, k, &pos);
        Py_DECREF(value);
        if (r == NULL) {
            if (!PyErr_Occurred()) {
                PyErr_NoMemory();
            }
            return -1;
        }
        *out = r;
        return 0;
    }
    if (cons->nfields > 0
        && fields_from_object(c, obj, node, cons->fields, cons->nfields,
                              cons->name, rules, ctx) < 0) {
        return -1;
    }
    if (info->form == _PyAST_PRODUCT && info->nattrs > 0
        && attrs_from_object(c, obj, node, info) < 0) {
        return -1;
    }
    if (t == _PyAST_T_expr && check_expr((expr_ty)node, ctx) < 0) {
        return -1;
    }
    if ((t == _PyAST_T_stmt && check_stmt((stmt_ty)node, cons->name) < 0)
        || (t == _PyAST_T_arguments
            && check_arguments((arguments_ty)node) < 0)
        || (t == _PyAST_T_pattern && check_pattern((pattern_ty)node) < 0)
        || (t == _PyAST_T_match_case
            && no_star(((match_case_ty)node)->pattern) < 0)) {
        return -1;
    }
    *out = node;
    return 0;
}

/* Recursion-guarded node_from_object; None gives NULL. */
static int
obj_to_node(converter *c, PyObject *obj, int t, int ctx, void **out)
{
    if (obj == Py_None) {
        *out = NULL;
        return 0;
    }
    if (Py_EnterRecursiveCall(" during compilation")) {
        return -1;
    }
    int r = node_from_object(c, obj, t, ctx, out);
    Py_LeaveRecursiveCall();
    return r;
}

/* See pycore_ast_object.h: check the root's class against MODE, then
   convert. */
mod_ty
_PyAST_FromObject(PyObject *ast, _PyArena *arena, int mode)
{
    static const char *const root_names[] = {
        "Module", "Expression", "Interactive", "FunctionType"};
    static const int root_cons[] = {0, 2, 1, 3};    /* index in mod */
    converter c = {get_state(), arena};
    if (c.st == NULL) {
        return NULL;
    }
    if (mode < 0 || mode > 3) {
        mode = 0;
    }
    int r = PyObject_IsInstance(ast, c.st->cons_class[_PyAST_T_mod]
                                                     [root_cons[mode]]);
    if (r < 0) {
        return NULL;
    }
    if (!r) {
        PyErr_Format(PyExc_TypeError, "expected %s node, got %.400s",
                     root_names[mode], _PyType_Name(Py_TYPE(ast)));
        return NULL;
    }
    void *mod = NULL;
    if (obj_to_node(&c, ast, _PyAST_T_mod, Load, &mod) < 0) {
        return NULL;
    }
    return (mod_ty)mod;
}

/* ------------------------------------------------------------------ */
/* The module. */

static struct PyModuleDef astmodule = {
    PyModuleDef_HEAD_INIT,
    "_ast",
    NULL,
    -1,
    NULL,
};

/* Add every node class by name. */
static int
add_classes(PyObject *m, ast_state *st)
{
    if (PyModule_AddObjectRef(m, "AST", (PyObject *)&AST_Type) < 0) {
        return -1;
    }
    for (int t = 0; t < _PyAST_T_COUNT; t++) {
        const _PyAST_TypeInfo *info = &_PyAST_Types[t];
        if (PyModule_AddObjectRef(m, info->name, st->type_class[t]) < 0) {
            return -1;
        }
        if (info->form == _PyAST_PRODUCT) {
            continue;
        }
        for (int i = 0; i < info->nconses; i++) {
            if (PyModule_AddObjectRef(m, info->conses[i].name,
                                      st->cons_class[t][i]) < 0) {
                return -1;
            }
        }
    }
    return 0;
}

/* Module init: the shared classes plus the PyCF_* flags ast.py uses.
   Returns a new module. */
PyMODINIT_FUNC
PyInit__ast(void)
{
    ast_state *st = get_state();
    if (st == NULL) {
        return NULL;
    }
    PyObject *m = PyModule_Create(&astmodule);
    if (m == NULL) {
        return NULL;
    }
    if (add_classes(m, st) < 0
        || PyModule_AddIntConstant(m, "PyCF_ONLY_AST", PyCF_ONLY_AST) < 0
        || PyModule_AddIntConstant(m, "PyCF_TYPE_COMMENTS",
                                   PyCF_TYPE_COMMENTS) < 0
        || PyModule_AddIntConstant(m, "PyCF_ALLOW_TOP_LEVEL_AWAIT",
                                   PyCF_ALLOW_TOP_LEVEL_AWAIT) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
