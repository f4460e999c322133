/* The _operator module: the operators of the language as functions,
 * plus the itemgetter, attrgetter and methodcaller callables.
 * operator.py re-exports everything here over its pure-Python
 * fallbacks, so names, messages and reprs follow CPython 3.11.
 *
 * Thread safety: the module has no mutable C state, and the three
 * callable types are immutable once constructed (their fields are set
 * in tp_new and only read afterwards), so every call runs lock-free;
 * anything a call does to its operand is that operand's business. */
#include "Python.h"
#include "structmember.h"

/* ------------------------------------------------------------------ */
/* Plain operator functions                                            */

/* One function of n positional arguments, no keywords. */
#define OP_ARITY(name, nargs, n)                                         \
    if (!_PyArg_CheckPositional(name, nargs, n, n)) {                    \
        return NULL;                                                     \
    }

/* Binary functions that map to one abstract-API call.  Each returns a
 * new reference. */
#define BINARY_OP(pyname, call)                                          \
    static PyObject *                                                    \
    op_##pyname(PyObject *m, PyObject *const *args, Py_ssize_t nargs)    \
    {                                                                    \
        OP_ARITY(#pyname, nargs, 2)                                      \
        return call(args[0], args[1]);                                   \
    }

#define UNARY_OP(pyname, call)                                           \
    static PyObject *                                                    \
    op_##pyname(PyObject *m, PyObject *a)                                \
    {                                                                    \
        return call(a);                                                  \
    }

#define COMPARE_OP(pyname, opid)                                         \
    static PyObject *                                                    \
    op_##pyname(PyObject *m, PyObject *const *args, Py_ssize_t nargs)    \
    {                                                                    \
        OP_ARITY(#pyname, nargs, 2)                                      \
        return PyObject_RichCompare(args[0], args[1], opid);             \
    }

/* a ** b without a modulus. */
static PyObject *
pow2(PyObject *a, PyObject *b)
{
    return PyNumber_Power(a, b, Py_None);
}

static PyObject *
ipow2(PyObject *a, PyObject *b)
{
    return PyNumber_InPlacePower(a, b, Py_None);
}

BINARY_OP(add, PyNumber_Add)
BINARY_OP(sub, PyNumber_Subtract)
BINARY_OP(mul, PyNumber_Multiply)
BINARY_OP(matmul, PyNumber_MatrixMultiply)
BINARY_OP(floordiv, PyNumber_FloorDivide)
BINARY_OP(truediv, PyNumber_TrueDivide)
BINARY_OP(mod, PyNumber_Remainder)
BINARY_OP(lshift, PyNumber_Lshift)
BINARY_OP(rshift, PyNumber_Rshift)
BINARY_OP(and_, PyNumber_And)
BINARY_OP(xor, PyNumber_Xor)
BINARY_OP(or_, PyNumber_Or)
BINARY_OP(pow, pow2)
BINARY_OP(iadd, PyNumber_InPlaceAdd)
BINARY_OP(isub, PyNumber_InPlaceSubtract)
BINARY_OP(imul, PyNumber_InPlaceMultiply)
BINARY_OP(imatmul, PyNumber_InPlaceMatrixMultiply)
BINARY_OP(ifloordiv, PyNumber_InPlaceFloorDivide)
BINARY_OP(itruediv, PyNumber_InPlaceTrueDivide)
BINARY_OP(imod, PyNumber_InPlaceRemainder)
BINARY_OP(ilshift, PyNumber_InPlaceLshift)
BINARY_OP(irshift, PyNumber_InPlaceRshift)
BINARY_OP(iand, PyNumber_InPlaceAnd)
BINARY_OP(ixor, PyNumber_InPlaceXor)
BINARY_OP(ior, PyNumber_InPlaceOr)
BINARY_OP(ipow, ipow2)
BINARY_OP(getitem, PyObject_GetItem)
UNARY_OP(neg, PyNumber_Negative)
UNARY_OP(pos, PyNumber_Positive)
UNARY_OP(abs, PyNumber_Absolute)
UNARY_OP(inv, PyNumber_Invert)
UNARY_OP(invert, PyNumber_Invert)
COMPARE_OP(lt, Py_LT)
COMPARE_OP(le, Py_LE)
COMPARE_OP(eq, Py_EQ)
COMPARE_OP(ne, Py_NE)
COMPARE_OP(gt, Py_GT)
COMPARE_OP(ge, Py_GE)

/* index(a): a.__index__() as an exact int (True gives 1).  The copy
 * guards against a PyNumber_Index that hands back an int subclass. */
static PyObject *
op_index(PyObject *m, PyObject *a)
{
    PyObject *res = PyNumber_Index(a);
    if (res != NULL && !PyLong_CheckExact(res)) {
        Py_SETREF(res, _PyLong_Copy((PyLongObject *)res));
    }
    return res;
}

/* Turn a C truth value (or -1 for an error) into a bool.  New ref. */
static PyObject *
bool_or_error(int r)
{
    if (r < 0) {
        return NULL;
    }
    return PyBool_FromLong(r);
}

/* truth(a): bool(a). */
static PyObject *
op_truth(PyObject *m, PyObject *a)
{
    return bool_or_error(PyObject_IsTrue(a));
}

/* not_(a): not a. */
static PyObject *
op_not_(PyObject *m, PyObject *a)
{
    return bool_or_error(PyObject_Not(a));
}

/* is_(a, b): identity. */
static PyObject *
op_is_(PyObject *m, PyObject *const *args, Py_ssize_t nargs)
{
    OP_ARITY("is_", nargs, 2)
    return PyBool_FromLong(args[0] == args[1]);
}

/* is_not(a, b): non-identity. */
static PyObject *
op_is_not(PyObject *m, PyObject *const *args, Py_ssize_t nargs)
{
    OP_ARITY("is_not", nargs, 2)
    return PyBool_FromLong(args[0] != args[1]);
}

/* contains(a, b): b in a. */
static PyObject *
op_contains(PyObject *m, PyObject *const *args, Py_ssize_t nargs)
{
    OP_ARITY("contains", nargs, 2)
    return bool_or_error(PySequence_Contains(args[0], args[1]));
}

/* countOf(a, b): how many items of a are b or equal b. */
static PyObject *
op_countOf(PyObject *m, PyObject *const *args, Py_ssize_t nargs)
{
    OP_ARITY("countOf", nargs, 2)
    Py_ssize_t n = PySequence_Count(args[0], args[1]);
    if (n < 0) {
        return NULL;
    }
    return PyLong_FromSsize_t(n);
}

/* indexOf(a, b): index of the first item of a that is or equals b. */
static PyObject *
op_indexOf(PyObject *m, PyObject *const *args, Py_ssize_t nargs)
{
    OP_ARITY("indexOf", nargs, 2)
    Py_ssize_t n = PySequence_Index(args[0], args[1]);
    if (n < 0) {
        return NULL;
    }
    return PyLong_FromSsize_t(n);
}

/* Concatenation is only for sequences: reject the rest the way 3.11
 * does.  o is borrowed.  0, or -1 with TypeError. */
static int
check_concat(PyObject *o)
{
    PySequenceMethods *sq = Py_TYPE(o)->tp_as_sequence;
    if (sq == NULL || sq->sq_item == NULL) {
        PyErr_Format(PyExc_TypeError, "'%.200s' object can't be concatenated",
                     Py_TYPE(o)->tp_name);
        return -1;
    }
    return 0;
}

/* concat(a, b): a + b for sequences. */
static PyObject *
op_concat(PyObject *m, PyObject *const *args, Py_ssize_t nargs)
{
    OP_ARITY("concat", nargs, 2)
    if (check_concat(args[0]) < 0) {
        return NULL;
    }
    return PySequence_Concat(args[0], args[1]);
}

/* iconcat(a, b): a += b for sequences. */
static PyObject *
op_iconcat(PyObject *m, PyObject *const *args, Py_ssize_t nargs)
{
    OP_ARITY("iconcat", nargs, 2)
    if (check_concat(args[0]) < 0) {
        return NULL;
    }
    return PySequence_InPlaceConcat(args[0], args[1]);
}

/* setitem(a, b, c): a[b] = c. */
static PyObject *
op_setitem(PyObject *m, PyObject *const *args, Py_ssize_t nargs)
{
    OP_ARITY("setitem", nargs, 3)
    if (PyObject_SetItem(args[0], args[1], args[2]) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* delitem(a, b): del a[b]. */
static PyObject *
op_delitem(PyObject *m, PyObject *const *args, Py_ssize_t nargs)
{
    OP_ARITY("delitem", nargs, 2)
    if (PyObject_DelItem(args[0], args[1]) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* length_hint(obj, default=0): len() if possible, else __length_hint__,
 * else default.  The default must be an int. */
static PyObject *
op_length_hint(PyObject *m, PyObject *const *args, Py_ssize_t nargs)
{
    if (!_PyArg_CheckPositional("length_hint", nargs, 1, 2)) {
        return NULL;
    }
    Py_ssize_t dflt = 0;
    if (nargs == 2) {
        dflt = PyNumber_AsSsize_t(args[1], PyExc_OverflowError);
        if (dflt == -1 && PyErr_Occurred()) {
            return NULL;
        }
    }
    Py_ssize_t n = PyObject_LengthHint(args[0], dflt);
    if (n == -1 && PyErr_Occurred()) {
        return NULL;
    }
    return PyLong_FromSsize_t(n);
}

/* call(obj, /, *args, **kwargs): obj(*args, **kwargs). */
static PyObject *
op_call(PyObject *m, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    if (nargs < 1) {
        PyErr_Format(PyExc_TypeError,
                     "call expected at least 1 argument, got %zd", nargs);
        return NULL;
    }
    return PyObject_Vectorcall(args[0], args + 1, (size_t)(nargs - 1),
                               kwnames);
}

/* Compare two byte ranges in time that depends only on the length of
 * b: when the lengths differ b is compared with itself and the result
 * forced false.  Returns 1 if equal. */
static int
tscmp(const unsigned char *a, const unsigned char *b,
      Py_ssize_t len_a, Py_ssize_t len_b)
{
    volatile const unsigned char *left;
    volatile const unsigned char *right = b;
    volatile unsigned char result = 0;
    if (len_a == len_b) {
        left = a;
        result = 0;
    }
    else {
        left = b;
        result = 1;
    }
    for (Py_ssize_t i = 0; i < len_b; i++) {
        result |= (unsigned char)(left[i] ^ right[i]);
    }
    return result == 0;
}

/* _compare_digest(a, b): constant-time equality of two ASCII strs or
 * two bytes-like objects. */
static PyObject *
op_compare_digest(PyObject *m, PyObject *const *args, Py_ssize_t nargs)
{
    OP_ARITY("_compare_digest", nargs, 2)
    PyObject *a = args[0], *b = args[1];
    int eq;
    if (PyUnicode_Check(a) && PyUnicode_Check(b)) {
        if (!PyUnicode_IS_ASCII(a) || !PyUnicode_IS_ASCII(b)) {
            PyErr_SetString(PyExc_TypeError,
                            "comparing strings with non-ASCII characters is "
                            "not supported");
            return NULL;
        }
        eq = tscmp(PyUnicode_DATA(a), PyUnicode_DATA(b),
                   PyUnicode_GET_LENGTH(a), PyUnicode_GET_LENGTH(b));
        return PyBool_FromLong(eq);
    }
    if (!PyObject_CheckBuffer(a) && !PyObject_CheckBuffer(b)) {
        PyErr_Format(PyExc_TypeError,
                     "unsupported operand types(s) or combination of types: "
                     "'%.100s' and '%.100s'",
                     Py_TYPE(a)->tp_name, Py_TYPE(b)->tp_name);
        return NULL;
    }
    Py_buffer va, vb;
    if (PyObject_GetBuffer(a, &va, PyBUF_SIMPLE) < 0) {
        return NULL;
    }
    if (PyObject_GetBuffer(b, &vb, PyBUF_SIMPLE) < 0) {
        PyBuffer_Release(&va);
        return NULL;
    }
    eq = tscmp(va.buf, vb.buf, va.len, vb.len);
    PyBuffer_Release(&va);
    PyBuffer_Release(&vb);
    return PyBool_FromLong(eq);
}

/* ------------------------------------------------------------------ */
/* itemgetter                                                          */

typedef struct {
    PyObject_HEAD
    Py_ssize_t nitems;
    PyObject *item;         /* the one item, or the tuple of items */
    Py_ssize_t index;       /* item as a small non-negative int, else -1 */
    vectorcallfunc vectorcall;
} itemgetterobject;

static PyTypeObject itemgetter_type;

static PyObject *itemgetter_vectorcall(PyObject *, PyObject *const *,
                                       size_t, PyObject *);

/* itemgetter(item, ...).  New reference. */
static PyObject *
itemgetter_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    if (!_PyArg_NoKeywords("itemgetter", kwds)) {
        return NULL;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(args);
    PyObject *item;
    if (n <= 1) {
        if (!PyArg_UnpackTuple(args, "itemgetter", 1, 1, &item)) {
            return NULL;
        }
    }
    else {
        item = args;
    }
    itemgetterobject *ig = PyObject_GC_New(itemgetterobject, type);
    if (ig == NULL) {
        return NULL;
    }
    ig->item = Py_NewRef(item);
    ig->nitems = n;
    ig->index = -1;
    if (n == 1 && PyLong_CheckExact(item)) {
        int overflow;
        long v = PyLong_AsLongAndOverflow(item, &overflow);
        if (!overflow && v >= 0) {
            ig->index = (Py_ssize_t)v;
        }
        PyErr_Clear();
    }
    ig->vectorcall = itemgetter_vectorcall;
    PyObject_GC_Track(ig);
    return (PyObject *)ig;
}

static void
itemgetter_dealloc(PyObject *self)
{
    PyObject_GC_UnTrack(self);
    Py_XDECREF(((itemgetterobject *)self)->item);
    Py_TYPE(self)->tp_free(self);
}

static int
itemgetter_traverse(PyObject *self, visitproc visit, void *arg)
{
    Py_VISIT(((itemgetterobject *)self)->item);
    return 0;
}

/* ig(obj): obj[item] or a tuple of obj[i] for each item.  New ref. */
static PyObject *
itemgetter_call_impl(itemgetterobject *ig, PyObject *obj)
{
    if (ig->nitems == 1) {
        if (ig->index >= 0 && PyTuple_CheckExact(obj) &&
            ig->index < PyTuple_GET_SIZE(obj)) {
            return Py_NewRef(PyTuple_GET_ITEM(obj, ig->index));
        }
        return PyObject_GetItem(obj, ig->item);
    }
    PyObject *result = PyTuple_New(ig->nitems);
    if (result == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < ig->nitems; i++) {
        PyObject *v = PyObject_GetItem(obj, PyTuple_GET_ITEM(ig->item, i));
        if (v == NULL) {
            Py_DECREF(result);
            return NULL;
        }
        PyTuple_SET_ITEM(result, i, v);
    }
    return result;
}

/* ig(obj) through vectorcall: exactly one positional argument. */
static PyObject *
itemgetter_vectorcall(PyObject *self, PyObject *const *args, size_t nargsf,
                      PyObject *kwnames)
{
    if (!_PyArg_NoKwnames("itemgetter", kwnames)) {
        return NULL;
    }
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    if (!_PyArg_CheckPositional("itemgetter", nargs, 1, 1)) {
        return NULL;
    }
    return itemgetter_call_impl((itemgetterobject *)self, args[0]);
}

/* Build "operator.NAME(<joined>)" with Py_ReprEnter protection, where
 * body is a new reference to the inner text (or NULL on error). */
static PyObject *
wrap_repr(PyObject *self, const char *name, PyObject *(*inner)(PyObject *))
{
    int status = Py_ReprEnter(self);
    if (status != 0) {
        if (status < 0) {
            return NULL;
        }
        return PyUnicode_FromFormat("operator.%s(...)", name);
    }
    PyObject *body = inner(self);
    Py_ReprLeave(self);
    if (body == NULL) {
        return NULL;
    }
    PyObject *res = PyUnicode_FromFormat("operator.%s(%U)", name, body);
    Py_DECREF(body);
    return res;
}

/* ", ".join(map(repr, items)) for a tuple.  New reference. */
static PyObject *
join_reprs(PyObject *items)
{
    Py_ssize_t n = PyTuple_GET_SIZE(items);
    PyObject *parts = PyList_New(n);
    if (parts == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *r = PyObject_Repr(PyTuple_GET_ITEM(items, i));
        if (r == NULL) {
            Py_DECREF(parts);
            return NULL;
        }
        PyList_SET_ITEM(parts, i, r);
    }
    PyObject *sep = PyUnicode_FromString(", ");
    if (sep == NULL) {
        Py_DECREF(parts);
        return NULL;
    }
    PyObject *res = PyUnicode_Join(sep, parts);
    Py_DECREF(sep);
    Py_DECREF(parts);
    return res;
}

/* The repr bodies: the items (or names, or call) inside the parens. */
static PyObject *
itemgetter_repr_inner(PyObject *self)
{
    itemgetterobject *ig = (itemgetterobject *)self;
    if (ig->nitems == 1) {
        return PyObject_Repr(ig->item);
    }
    return join_reprs(ig->item);
}

static PyObject *
itemgetter_repr(PyObject *self)
{
    return wrap_repr(self, "itemgetter", itemgetter_repr_inner);
}

/* __reduce__: (itemgetter, items).  New reference. */
static PyObject *
itemgetter_reduce(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    itemgetterobject *ig = (itemgetterobject *)self;
    if (ig->nitems == 1) {
        return Py_BuildValue("O(O)", Py_TYPE(self), ig->item);
    }
    return Py_BuildValue("OO", Py_TYPE(self), ig->item);
}

static PyMethodDef itemgetter_methods[] = {
    {"__reduce__", itemgetter_reduce, METH_NOARGS,
     "Return state information for pickling"},
    {NULL}
};

static PyMemberDef itemgetter_members[] = {
    {"__vectorcalloffset__", T_PYSSIZET,
     offsetof(itemgetterobject, vectorcall), READONLY},
    {NULL}
};

static PyTypeObject itemgetter_type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "operator.itemgetter",
    .tp_basicsize = sizeof(itemgetterobject),
    .tp_dealloc = itemgetter_dealloc,
    .tp_vectorcall_offset = offsetof(itemgetterobject, vectorcall),
    .tp_repr = itemgetter_repr,
    .tp_call = PyVectorcall_Call,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC |
                Py_TPFLAGS_HAVE_VECTORCALL,
    .tp_doc = "itemgetter(item, ...) --> itemgetter object\n\n"
              "Return a callable object that fetches the given item(s) "
              "from its operand.\n"
              "After f = itemgetter(2), the call f(r) returns r[2].\n"
              "After g = itemgetter(2, 5, 3), the call g(r) returns "
              "(r[2], r[5], r[3])",
    .tp_traverse = itemgetter_traverse,
    .tp_methods = itemgetter_methods,
    .tp_members = itemgetter_members,
    .tp_new = itemgetter_new,
    .tp_free = PyObject_GC_Del,
};

/* ------------------------------------------------------------------ */
/* attrgetter                                                          */

/* Each attribute is kept as an interned str, or for a dotted name as a
 * tuple of interned parts. */
typedef struct {
    PyObject_HEAD
    Py_ssize_t nattrs;
    PyObject *attr;         /* tuple of str-or-tuple entries */
    vectorcallfunc vectorcall;
} attrgetterobject;

static PyTypeObject attrgetter_type;

static PyObject *attrgetter_vectorcall(PyObject *, PyObject *const *,
                                       size_t, PyObject *);

/* Parse one attribute name (borrowed): an interned exact str, or a
 * tuple of them for a dotted name.  New reference. */
static PyObject *
attrgetter_parse_name(PyObject *name)
{
    if (!PyUnicode_Check(name)) {
        PyErr_SetString(PyExc_TypeError, "attribute name must be a string");
        return NULL;
    }
    PyObject *dot = PyUnicode_FromString(".");
    if (dot == NULL) {
        return NULL;
    }
    PyObject *parts = PyUnicode_Split(name, dot, -1);
    Py_DECREF(dot);
    if (parts == NULL) {
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(parts);
    PyObject *res = PyTuple_New(n);
    if (res == NULL) {
        Py_DECREF(parts);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *p = PyList_GET_ITEM(parts, i);
        /* Split hands back exact strs; intern a private copy. */
        PyObject *s = PyUnicode_FromObject(p);
        if (s == NULL) {
            Py_DECREF(parts);
            Py_DECREF(res);
            return NULL;
        }
        PyUnicode_InternInPlace(&s);
        PyTuple_SET_ITEM(res, i, s);
    }
    Py_DECREF(parts);
    if (n == 1) {
        PyObject *only = Py_NewRef(PyTuple_GET_ITEM(res, 0));
        Py_DECREF(res);
        return only;
    }
    return res;
}

/* attrgetter(attr, ...).  New reference. */
static PyObject *
attrgetter_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    if (!_PyArg_NoKeywords("attrgetter", kwds)) {
        return NULL;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(args);
    if (n < 1) {
        PyErr_SetString(PyExc_TypeError,
                        "attrgetter expected 1 argument, got 0");
        return NULL;
    }
    PyObject *attr = PyTuple_New(n);
    if (attr == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *parsed = attrgetter_parse_name(PyTuple_GET_ITEM(args, i));
        if (parsed == NULL) {
            Py_DECREF(attr);
            return NULL;
        }
        PyTuple_SET_ITEM(attr, i, parsed);
    }
    attrgetterobject *ag = PyObject_GC_New(attrgetterobject, type);
    if (ag == NULL) {
        Py_DECREF(attr);
        return NULL;
    }
    ag->attr = attr;
    ag->nattrs = n;
    ag->vectorcall = attrgetter_vectorcall;
    PyObject_GC_Track(ag);
    return (PyObject *)ag;
}

static void
attrgetter_dealloc(PyObject *self)
{
    PyObject_GC_UnTrack(self);
    Py_XDECREF(((attrgetterobject *)self)->attr);
    Py_TYPE(self)->tp_free(self);
}

static int
attrgetter_traverse(PyObject *self, visitproc visit, void *arg)
{
    Py_VISIT(((attrgetterobject *)self)->attr);
    return 0;
}

/* Follow one parsed name (str or tuple of str) from obj.  New ref. */
static PyObject *
dotted_getattr(PyObject *obj, PyObject *name)
{
    if (PyUnicode_Check(name)) {
        return PyObject_GetAttr(obj, name);
    }
    PyObject *cur = Py_NewRef(obj);
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(name); i++) {
        PyObject *next = PyObject_GetAttr(cur, PyTuple_GET_ITEM(name, i));
        Py_DECREF(cur);
        if (next == NULL) {
            return NULL;
        }
        cur = next;
    }
    return cur;
}

/* ag(obj): one value, or a tuple of values for several names.  New
 * reference. */
static PyObject *
attrgetter_call_impl(attrgetterobject *ag, PyObject *obj)
{
    if (ag->nattrs == 1) {
        return dotted_getattr(obj, PyTuple_GET_ITEM(ag->attr, 0));
    }
    PyObject *result = PyTuple_New(ag->nattrs);
    if (result == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < ag->nattrs; i++) {
        PyObject *v = dotted_getattr(obj, PyTuple_GET_ITEM(ag->attr, i));
        if (v == NULL) {
            Py_DECREF(result);
            return NULL;
        }
        PyTuple_SET_ITEM(result, i, v);
    }
    return result;
}

/* ag(obj) through vectorcall: exactly one positional argument. */
static PyObject *
attrgetter_vectorcall(PyObject *self, PyObject *const *args, size_t nargsf,
                      PyObject *kwnames)
{
    if (!_PyArg_NoKwnames("attrgetter", kwnames)) {
        return NULL;
    }
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    if (!_PyArg_CheckPositional("attrgetter", nargs, 1, 1)) {
        return NULL;
    }
    return attrgetter_call_impl((attrgetterobject *)self, args[0]);
}

/* The attribute names as the user wrote them ("a.b"), as a tuple of
 * str.  New reference. */
static PyObject *
attrgetter_names(attrgetterobject *ag)
{
    PyObject *names = PyTuple_New(ag->nattrs);
    if (names == NULL) {
        return NULL;
    }
    PyObject *dot = PyUnicode_FromString(".");
    if (dot == NULL) {
        Py_DECREF(names);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < ag->nattrs; i++) {
        PyObject *a = PyTuple_GET_ITEM(ag->attr, i);
        PyObject *s = PyUnicode_Check(a) ? Py_NewRef(a)
                                         : PyUnicode_Join(dot, a);
        if (s == NULL) {
            Py_DECREF(dot);
            Py_DECREF(names);
            return NULL;
        }
        PyTuple_SET_ITEM(names, i, s);
    }
    Py_DECREF(dot);
    return names;
}

static PyObject *
attrgetter_repr_inner(PyObject *self)
{
    PyObject *names = attrgetter_names((attrgetterobject *)self);
    if (names == NULL) {
        return NULL;
    }
    PyObject *res = join_reprs(names);
    Py_DECREF(names);
    return res;
}

static PyObject *
attrgetter_repr(PyObject *self)
{
    return wrap_repr(self, "attrgetter", attrgetter_repr_inner);
}

/* __reduce__: (attrgetter, names).  New reference. */
static PyObject *
attrgetter_reduce(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    PyObject *names = attrgetter_names((attrgetterobject *)self);
    if (names == NULL) {
        return NULL;
    }
    return Py_BuildValue("ON", Py_TYPE(self), names);
}

static PyMethodDef attrgetter_methods[] = {
    {"__reduce__", attrgetter_reduce, METH_NOARGS,
     "Return state information for pickling"},
    {NULL}
};

static PyMemberDef attrgetter_members[] = {
    {"__vectorcalloffset__", T_PYSSIZET,
     offsetof(attrgetterobject, vectorcall), READONLY},
    {NULL}
};

static PyTypeObject attrgetter_type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "operator.attrgetter",
    .tp_basicsize = sizeof(attrgetterobject),
    .tp_dealloc = attrgetter_dealloc,
    .tp_vectorcall_offset = offsetof(attrgetterobject, vectorcall),
    .tp_repr = attrgetter_repr,
    .tp_call = PyVectorcall_Call,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC |
                Py_TPFLAGS_HAVE_VECTORCALL,
    .tp_doc = "attrgetter(attr, ...) --> attrgetter object\n\n"
              "Return a callable object that fetches the given "
              "attribute(s) from its operand.\n"
              "After f = attrgetter('name'), the call f(r) returns r.name.\n"
              "After g = attrgetter('name', 'date'), the call g(r) returns "
              "(r.name, r.date).\n"
              "After h = attrgetter('name.first', 'name.last'), the call "
              "h(r) returns\n(r.name.first, r.name.last).",
    .tp_traverse = attrgetter_traverse,
    .tp_methods = attrgetter_methods,
    .tp_members = attrgetter_members,
    .tp_new = attrgetter_new,
    .tp_free = PyObject_GC_Del,
};

/* ------------------------------------------------------------------ */
/* methodcaller                                                        */

typedef struct {
    PyObject_HEAD
    PyObject *name;         /* interned str */
    PyObject *args;         /* tuple */
    PyObject *kwds;         /* dict */
} methodcallerobject;

static PyTypeObject methodcaller_type;

/* methodcaller(name, /, *args, **kwds).  New reference. */
static PyObject *
methodcaller_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    if (PyTuple_GET_SIZE(args) < 1) {
        PyErr_SetString(PyExc_TypeError, "methodcaller needs at least one "
                        "argument, the method name");
        return NULL;
    }
    PyObject *name = PyTuple_GET_ITEM(args, 0);
    if (!PyUnicode_Check(name)) {
        PyErr_SetString(PyExc_TypeError, "method name must be a string");
        return NULL;
    }
    methodcallerobject *mc = PyObject_GC_New(methodcallerobject, type);
    if (mc == NULL) {
        return NULL;
    }
    mc->name = Py_NewRef(name);
    PyUnicode_InternInPlace(&mc->name);
    mc->args = PyTuple_GetSlice(args, 1, PyTuple_GET_SIZE(args));
    mc->kwds = kwds != NULL ? PyDict_Copy(kwds) : PyDict_New();
    if (mc->args == NULL || mc->kwds == NULL) {
        Py_DECREF(mc);
        return NULL;
    }
    PyObject_GC_Track(mc);
    return (PyObject *)mc;
}

static void
methodcaller_dealloc(PyObject *self)
{
    methodcallerobject *mc = (methodcallerobject *)self;
    PyObject_GC_UnTrack(self);
    Py_XDECREF(mc->name);
    Py_XDECREF(mc->args);
    Py_XDECREF(mc->kwds);
    Py_TYPE(self)->tp_free(self);
}

static int
methodcaller_traverse(PyObject *self, visitproc visit, void *arg)
{
    methodcallerobject *mc = (methodcallerobject *)self;
    Py_VISIT(mc->name);
    Py_VISIT(mc->args);
    Py_VISIT(mc->kwds);
    return 0;
}

/* mc(obj): getattr(obj, name)(*args, **kwds).  New reference. */
static PyObject *
methodcaller_call(PyObject *self, PyObject *args, PyObject *kw)
{
    methodcallerobject *mc = (methodcallerobject *)self;
    if (!_PyArg_NoKeywords("methodcaller", kw)) {
        return NULL;
    }
    PyObject *obj;
    if (!PyArg_UnpackTuple(args, "methodcaller", 1, 1, &obj)) {
        return NULL;
    }
    PyObject *method = PyObject_GetAttr(obj, mc->name);
    if (method == NULL) {
        return NULL;
    }
    PyObject *res = PyObject_Call(method, mc->args, mc->kwds);
    Py_DECREF(method);
    return res;
}

/* "'name', 1, k=2" for the repr.  New reference. */
static PyObject *
methodcaller_repr_inner(PyObject *self)
{
    methodcallerobject *mc = (methodcallerobject *)self;
    Py_ssize_t nargs = PyTuple_GET_SIZE(mc->args);
    PyObject *parts = PyList_New(0);
    if (parts == NULL) {
        return NULL;
    }
    PyObject *r = PyObject_Repr(mc->name);
    if (r == NULL || PyList_Append(parts, r) < 0) {
        goto error;
    }
    Py_CLEAR(r);
    for (Py_ssize_t i = 0; i < nargs; i++) {
        r = PyObject_Repr(PyTuple_GET_ITEM(mc->args, i));
        if (r == NULL || PyList_Append(parts, r) < 0) {
            goto error;
        }
        Py_CLEAR(r);
    }
    PyObject *key, *value;
    Py_ssize_t pos = 0;
    while (PyDict_Next(mc->kwds, &pos, &key, &value)) {
        r = PyUnicode_FromFormat("%U=%R", key, value);
        if (r == NULL || PyList_Append(parts, r) < 0) {
            goto error;
        }
        Py_CLEAR(r);
    }
    PyObject *sep = PyUnicode_FromString(", ");
    if (sep == NULL) {
        goto error;
    }
    PyObject *res = PyUnicode_Join(sep, parts);
    Py_DECREF(sep);
    Py_DECREF(parts);
    return res;
error:
    Py_XDECREF(r);
    Py_DECREF(parts);
    return NULL;
}

static PyObject *
methodcaller_repr(PyObject *self)
{
    return wrap_repr(self, "methodcaller", methodcaller_repr_inner);
}

/* __reduce__: (methodcaller, (name, *args)) without keywords, else
 * (functools.partial(methodcaller, name, **kwds), args).  New ref. */
static PyObject *
methodcaller_reduce(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    methodcallerobject *mc = (methodcallerobject *)self;
    Py_ssize_t nargs = PyTuple_GET_SIZE(mc->args);
    if (PyDict_GET_SIZE(mc->kwds) == 0) {
        PyObject *newargs = PyTuple_New(nargs + 1);
        if (newargs == NULL) {
            return NULL;
        }
        PyTuple_SET_ITEM(newargs, 0, Py_NewRef(mc->name));
        for (Py_ssize_t i = 0; i < nargs; i++) {
            PyTuple_SET_ITEM(newargs, i + 1,
                             Py_NewRef(PyTuple_GET_ITEM(mc->args, i)));
        }
        return Py_BuildValue("ON", Py_TYPE(self), newargs);
    }
    PyObject *functools = PyImport_ImportModule("functools");
    if (functools == NULL) {
        return NULL;
    }
    PyObject *partial = PyObject_GetAttrString(functools, "partial");
    Py_DECREF(functools);
    if (partial == NULL) {
        return NULL;
    }
    PyObject *pargs[2] = {(PyObject *)Py_TYPE(self), mc->name};
    PyObject *ptuple = PyTuple_New(2);
    if (ptuple == NULL) {
        Py_DECREF(partial);
        return NULL;
    }
    for (int i = 0; i < 2; i++) {
        PyTuple_SET_ITEM(ptuple, i, Py_NewRef(pargs[i]));
    }
    PyObject *constructor = PyObject_Call(partial, ptuple, mc->kwds);
    Py_DECREF(ptuple);
    Py_DECREF(partial);
    if (constructor == NULL) {
        return NULL;
    }
    return Py_BuildValue("NO", constructor, mc->args);
}

static PyMethodDef methodcaller_methods[] = {
    {"__reduce__", methodcaller_reduce, METH_NOARGS,
     "Return state information for pickling"},
    {NULL}
};

static PyTypeObject methodcaller_type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "operator.methodcaller",
    .tp_basicsize = sizeof(methodcallerobject),
    .tp_dealloc = methodcaller_dealloc,
    .tp_repr = methodcaller_repr,
    .tp_call = methodcaller_call,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_doc = "methodcaller(name, ...) --> methodcaller object\n\n"
              "Return a callable object that calls the given method on "
              "its operand.\n"
              "After f = methodcaller('name'), the call f(r) returns "
              "r.name().\n"
              "After g = methodcaller('name', 'date', foo=1), the call "
              "g(r) returns\nr.name('date', foo=1).",
    .tp_traverse = methodcaller_traverse,
    .tp_methods = methodcaller_methods,
    .tp_new = methodcaller_new,
    .tp_free = PyObject_GC_Del,
};

/* ------------------------------------------------------------------ */
/* Module                                                              */

#define SIG2 "($module, a, b, /)\n--\n\n"
#define SIG1 "($module, a, /)\n--\n\n"
#define FAST(name, sig, doc)                                             \
    {#name, (PyCFunction)(void (*)(void))op_##name, METH_FASTCALL,      \
     #name sig doc}
#define ONE(name, doc)                                                   \
    {#name, op_##name, METH_O, #name SIG1 doc}

static PyMethodDef operator_methods[] = {
    ONE(truth, "Return True if a is true, False otherwise."),
    FAST(contains, SIG2, "Same as b in a (note reversed operands)."),
    FAST(indexOf, SIG2, "Return the first index of b in a."),
    FAST(countOf, SIG2,
         "Return the number of items in a which are, or which equal, b."),
    FAST(is_, SIG2, "Same as a is b."),
    FAST(is_not, SIG2, "Same as a is not b."),
    ONE(index, "Same as a.__index__()"),
    FAST(add, SIG2, "Same as a + b."),
    FAST(sub, SIG2, "Same as a - b."),
    FAST(mul, SIG2, "Same as a * b."),
    FAST(matmul, SIG2, "Same as a @ b."),
    FAST(floordiv, SIG2, "Same as a // b."),
    FAST(truediv, SIG2, "Same as a / b."),
    FAST(mod, SIG2, "Same as a % b."),
    ONE(neg, "Same as -a."),
    ONE(pos, "Same as +a."),
    ONE(abs, "Same as abs(a)."),
    ONE(inv, "Same as ~a."),
    ONE(invert, "Same as ~a."),
    FAST(lshift, SIG2, "Same as a << b."),
    FAST(rshift, SIG2, "Same as a >> b."),
    ONE(not_, "Same as not a."),
    FAST(and_, SIG2, "Same as a & b."),
    FAST(xor, SIG2, "Same as a ^ b."),
    FAST(or_, SIG2, "Same as a | b."),
    FAST(iadd, SIG2, "Same as a += b."),
    FAST(isub, SIG2, "Same as a -= b."),
    FAST(imul, SIG2, "Same as a *= b."),
    FAST(imatmul, SIG2, "Same as a @= b."),
    FAST(ifloordiv, SIG2, "Same as a //= b."),
    FAST(itruediv, SIG2, "Same as a /= b."),
    FAST(imod, SIG2, "Same as a %= b."),
    FAST(ilshift, SIG2, "Same as a <<= b."),
    FAST(irshift, SIG2, "Same as a >>= b."),
    FAST(iand, SIG2, "Same as a &= b."),
    FAST(ixor, SIG2, "Same as a ^= b."),
    FAST(ior, SIG2, "Same as a |= b."),
    FAST(concat, SIG2, "Same as a + b, for a and b sequences."),
    FAST(iconcat, SIG2, "Same as a += b, for a and b sequences."),
    FAST(getitem, SIG2, "Same as a[b]."),
    FAST(setitem, "($module, a, b, c, /)\n--\n\n", "Same as a[b] = c."),
    FAST(delitem, SIG2, "Same as del a[b]."),
    FAST(pow, SIG2, "Same as a ** b."),
    FAST(ipow, SIG2, "Same as a **= b."),
    FAST(eq, SIG2, "Same as a == b."),
    FAST(ne, SIG2, "Same as a != b."),
    FAST(lt, SIG2, "Same as a < b."),
    FAST(le, SIG2, "Same as a <= b."),
    FAST(gt, SIG2, "Same as a > b."),
    FAST(ge, SIG2, "Same as a >= b."),
    {"_compare_digest", (PyCFunction)(void (*)(void))op_compare_digest,
     METH_FASTCALL,
     "_compare_digest($module, a, b, /)\n--\n\n"
     "Return 'a == b'.\n\n"
     "This function uses an approach designed to prevent\n"
     "timing analysis, making it appropriate for cryptography.\n\n"
     "a and b must both be of the same type: either str (ASCII only),\n"
     "or any bytes-like object.\n\n"
     "Note: If a and b are of different lengths, or if an error occurs,\n"
     "a timing attack could theoretically reveal information about the\n"
     "types and lengths of a and b--but not their values."},
    {"length_hint", (PyCFunction)(void (*)(void))op_length_hint,
     METH_FASTCALL,
     "length_hint($module, obj, default=0, /)\n--\n\n"
     "Return an estimate of the number of items in obj.\n\n"
     "This is useful for presizing containers when building from an "
     "iterable.\n\n"
     "If the object supports len(), the result will be exact.\n"
     "Otherwise, it may over- or under-estimate by an arbitrary amount.\n"
     "The result will be an integer >= 0."},
    {"call", (PyCFunction)(void (*)(void))op_call,
     METH_FASTCALL | METH_KEYWORDS,
     "call($module, obj, /, *args, **kwargs)\n--\n\n"
     "Same as obj(*args, **kwargs)."},
    {NULL}
};

/* Give a static type the __module__ entry that CPython's heap type of
 * the same dotted name carries in its dict (dir() lists it, instances
 * inherit it).  Inserted only if absent, so a re-import changes
 * nothing.  0, or -1 with an error. */
static int
operator_set_type_module(PyTypeObject *type, const char *module)
{
    PyObject *key = PyUnicode_InternFromString("__module__");
    PyObject *value = PyUnicode_FromString(module);
    int rc = -1;
    if (key != NULL && value != NULL) {
        PyObject *stored;
        rc = PyDict_SetDefaultRef(type->tp_dict, key, value, &stored);
        Py_XDECREF(stored);
    }
    Py_XDECREF(key);
    Py_XDECREF(value);
    return rc < 0 ? -1 : 0;
}

static PyModuleDef operator_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_operator",
    .m_doc = "Operator interface.\n\n"
             "This module exports a set of functions implemented in C "
             "corresponding\n"
             "to the intrinsic operators of Python.  For example, "
             "operator.add(x, y)\n"
             "is equivalent to the expression x+y.  The function names "
             "are those\n"
             "used for special methods; variants without leading and "
             "trailing\n'__' are also provided for convenience.",
    .m_size = 0,
    .m_methods = operator_methods,
};

/* Create the _operator module.  Returns a new reference. */
PyMODINIT_FUNC
PyInit__operator(void)
{
    PyTypeObject *types[] = {&itemgetter_type, &attrgetter_type,
                             &methodcaller_type};
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        if (PyType_Ready(types[i]) < 0 ||
            operator_set_type_module(types[i], "operator") < 0) {
            return NULL;
        }
    }
    PyObject *m = PyModule_Create(&operator_module);
    if (m == NULL) {
        return NULL;
    }
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        if (PyModule_AddType(m, types[i]) < 0) {
            Py_DECREF(m);
            return NULL;
        }
    }
    return m;
}
