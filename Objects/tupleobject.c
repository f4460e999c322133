/* tuple: an immutable sequence.
 *
 * Thread safety: a tuple is immutable once published (PyTuple_SetItem and
 * _PyTuple_Resize are only for a tuple its creator has not shared), so
 * nothing locks.  The empty tuple is a single immortal static object.
 * The tuple iterator's index is advanced with relaxed atomics: a shared
 * iterator may repeat or skip an item, never read out of bounds (the index
 * is checked against the immutable size before each read). */
#include "Python.h"
#include "pycore_object.h"
#include "pycore_excstate.h"
#include "pycore_global_strings.h"
#include "pycore_abstract.h"
#include "pycore_call.h"

/* The empty tuple: immortal, shared by every PyTuple_New(0). */
static PyTupleObject empty_tuple = {
    PyVarObject_HEAD_INIT(&PyTuple_Type, 0)
    {NULL}
};
#define EMPTY_TUPLE ((PyObject *)&empty_tuple)

PyObject *
PyTuple_New(Py_ssize_t size)
{
    if (size < 0) {
        PyErr_BadInternalCall();
        return NULL;
    }
    if (size == 0) {
        return EMPTY_TUPLE;
    }
    if ((size_t)size > ((size_t)PY_SSIZE_T_MAX - sizeof(PyTupleObject)) /
                       sizeof(PyObject *)) {
        return PyErr_NoMemory();
    }
    PyTupleObject *op = PyObject_GC_NewVar(PyTupleObject, &PyTuple_Type,
                                           size);
    if (op == NULL) {
        return NULL;
    }
    memset(op->ob_item, 0, (size_t)size * sizeof(PyObject *));
    PyObject_GC_Track(op);
    return (PyObject *)op;
}

Py_ssize_t
PyTuple_Size(PyObject *op)
{
    if (!PyTuple_Check(op)) {
        PyErr_BadInternalCall();
        return -1;
    }
    return Py_SIZE(op);
}

PyObject *
PyTuple_GetItem(PyObject *op, Py_ssize_t i)
{
    if (!PyTuple_Check(op)) {
        PyErr_BadInternalCall();
        return NULL;
    }
    if (i < 0 || i >= Py_SIZE(op)) {
        PyErr_SetString(PyExc_IndexError, "tuple index out of range");
        return NULL;
    }
    return ((PyTupleObject *)op)->ob_item[i];
}

int
PyTuple_SetItem(PyObject *op, Py_ssize_t i, PyObject *newitem)
{
    if (!PyTuple_Check(op) || Py_REFCNT(op) != 1) {
        Py_XDECREF(newitem);
        PyErr_BadInternalCall();
        return -1;
    }
    if (i < 0 || i >= Py_SIZE(op)) {
        Py_XDECREF(newitem);
        PyErr_SetString(PyExc_IndexError,
                        "tuple assignment index out of range");
        return -1;
    }
    PyObject **p = ((PyTupleObject *)op)->ob_item + i;
    Py_XSETREF(*p, newitem);
    return 0;
}

PyObject *
_PyTuple_FromArray(PyObject *const *src, Py_ssize_t n)
{
    if (n == 0) {
        return EMPTY_TUPLE;
    }
    PyObject *tuple = PyTuple_New(n);
    if (tuple == NULL) {
        return NULL;
    }
    PyObject **dst = ((PyTupleObject *)tuple)->ob_item;
    for (Py_ssize_t i = 0; i < n; i++) {
        dst[i] = Py_NewRef(src[i]);
    }
    return tuple;
}

PyObject *
_PyTuple_FromArraySteal(PyObject *const *src, Py_ssize_t n)
{
    if (n == 0) {
        return EMPTY_TUPLE;
    }
    PyObject *tuple = PyTuple_New(n);
    if (tuple == NULL) {
        for (Py_ssize_t i = 0; i < n; i++) {
            Py_DECREF(src[i]);
        }
        return NULL;
    }
    PyObject **dst = ((PyTupleObject *)tuple)->ob_item;
    for (Py_ssize_t i = 0; i < n; i++) {
        dst[i] = src[i];
    }
    return tuple;
}

PyObject *
PyTuple_Pack(Py_ssize_t n, ...)
{
    if (n == 0) {
        return EMPTY_TUPLE;
    }
    PyObject *result = PyTuple_New(n);
    if (result == NULL) {
        return NULL;
    }
    va_list vargs;
    va_start(vargs, n);
    PyObject **items = ((PyTupleObject *)result)->ob_item;
    for (Py_ssize_t i = 0; i < n; i++) {
        items[i] = Py_NewRef(va_arg(vargs, PyObject *));
    }
    va_end(vargs);
    return result;
}

static PyObject *
tuple_slice(PyTupleObject *a, Py_ssize_t ilow, Py_ssize_t ihigh)
{
    if (ilow < 0) {
        ilow = 0;
    }
    if (ihigh > Py_SIZE(a)) {
        ihigh = Py_SIZE(a);
    }
    if (ihigh < ilow) {
        ihigh = ilow;
    }
    if (ilow == 0 && ihigh == Py_SIZE(a) && PyTuple_CheckExact(a)) {
        return Py_NewRef((PyObject *)a);
    }
    return _PyTuple_FromArray(a->ob_item + ilow, ihigh - ilow);
}

PyObject *
PyTuple_GetSlice(PyObject *op, Py_ssize_t i, Py_ssize_t j)
{
    if (op == NULL || !PyTuple_Check(op)) {
        PyErr_BadInternalCall();
        return NULL;
    }
    return tuple_slice((PyTupleObject *)op, i, j);
}

/* Resizes a tuple nobody else has seen yet; may move it. */
int
_PyTuple_Resize(PyObject **pv, Py_ssize_t newsize)
{
    PyObject *v = *pv;
    if (v == NULL || !Py_IS_TYPE(v, &PyTuple_Type) ||
        (Py_SIZE(v) != 0 && Py_REFCNT(v) != 1) || newsize < 0) {
        *pv = NULL;
        Py_XDECREF(v);
        PyErr_BadInternalCall();
        return -1;
    }
    Py_ssize_t oldsize = Py_SIZE(v);
    if (oldsize == newsize) {
        return 0;
    }
    if (oldsize == 0) {
        /* The empty tuple is shared: make a new one. */
        *pv = PyTuple_New(newsize);
        return *pv == NULL ? -1 : 0;
    }
    if (newsize == 0) {
        Py_DECREF(v);
        *pv = EMPTY_TUPLE;
        return 0;
    }
    PyObject *nv = PyTuple_New(newsize);
    if (nv == NULL) {
        *pv = NULL;
        Py_DECREF(v);
        return -1;
    }
    PyObject **src = ((PyTupleObject *)v)->ob_item;
    PyObject **dst = ((PyTupleObject *)nv)->ob_item;
    Py_ssize_t n = oldsize < newsize ? oldsize : newsize;
    for (Py_ssize_t i = 0; i < n; i++) {
        dst[i] = src[i];
        src[i] = NULL;
    }
    Py_DECREF(v);
    *pv = nv;
    return 0;
}

/* ================================================================ slots */

static void
tuple_dealloc(PyObject *self)
{
    PyTupleObject *op = (PyTupleObject *)self;
    PyObject_GC_UnTrack(self);
    Py_ssize_t i = Py_SIZE(op);
    while (--i >= 0) {
        Py_XDECREF(op->ob_item[i]);
    }
    Py_TYPE(self)->tp_free(self);
}

static PyObject *
tuple_repr(PyObject *self)
{
    PyTupleObject *v = (PyTupleObject *)self;
    Py_ssize_t n = Py_SIZE(v);
    if (n == 0) {
        return PyUnicode_FromString("()");
    }
    int r = Py_ReprEnter(self);
    if (r != 0) {
        return r > 0 ? PyUnicode_FromString("(...)") : NULL;
    }
    _PyUnicodeWriter writer;
    _PyUnicodeWriter_Init(&writer);
    writer.overallocate = 1;
    if (_PyUnicodeWriter_WriteChar(&writer, '(') < 0) {
        goto error;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        if (i > 0 && _PyUnicodeWriter_WriteASCIIString(&writer, ", ", 2) < 0) {
            goto error;
        }
        PyObject *s = PyObject_Repr(v->ob_item[i]);
        if (s == NULL) {
            goto error;
        }
        int err = _PyUnicodeWriter_WriteStr(&writer, s);
        Py_DECREF(s);
        if (err < 0) {
            goto error;
        }
    }
    if (n == 1 && _PyUnicodeWriter_WriteChar(&writer, ',') < 0) {
        goto error;
    }
    if (_PyUnicodeWriter_WriteChar(&writer, ')') < 0) {
        goto error;
    }
    Py_ReprLeave(self);
    return _PyUnicodeWriter_Finish(&writer);
error:
    _PyUnicodeWriter_Dealloc(&writer);
    Py_ReprLeave(self);
    return NULL;
}

/* The tuple hash of 3.11: an xxHash-style mix of the item hashes, so
   equal tuples hash equal and order matters. */
#if SIZEOF_PY_UHASH_T > 4 || defined(__LP64__)
#define _PyHASH_XXPRIME_1 ((Py_uhash_t)11400714785074694791ULL)
#define _PyHASH_XXPRIME_2 ((Py_uhash_t)14029467366897019727ULL)
#define _PyHASH_XXPRIME_5 ((Py_uhash_t)2870177450012600261ULL)
#define _PyHASH_XXROTATE(x) (((x) << 31) | ((x) >> 33))
#else
#define _PyHASH_XXPRIME_1 ((Py_uhash_t)2654435761UL)
#define _PyHASH_XXPRIME_2 ((Py_uhash_t)2246822519UL)
#define _PyHASH_XXPRIME_5 ((Py_uhash_t)374761393UL)
#define _PyHASH_XXROTATE(x) (((x) << 13) | ((x) >> 19))
#endif

static Py_hash_t
tuple_hash(PyObject *self)
{
    PyTupleObject *v = (PyTupleObject *)self;
    Py_ssize_t len = Py_SIZE(v);
    Py_uhash_t acc = _PyHASH_XXPRIME_5;
    for (Py_ssize_t i = 0; i < len; i++) {
        Py_uhash_t lane = (Py_uhash_t)PyObject_Hash(v->ob_item[i]);
        if (lane == (Py_uhash_t)-1) {
            return -1;
        }
        acc += lane * _PyHASH_XXPRIME_2;
        acc = _PyHASH_XXROTATE(acc);
        acc *= _PyHASH_XXPRIME_1;
    }
    acc += (Py_uhash_t)len ^ (_PyHASH_XXPRIME_5 ^ 3527539UL);
    if (acc == (Py_uhash_t)-1) {
        return 1546275796;
    }
    return (Py_hash_t)acc;
}

static Py_ssize_t
tuple_length(PyObject *self)
{
    return Py_SIZE(self);
}

static int
tuple_contains(PyObject *self, PyObject *el)
{
    PyTupleObject *a = (PyTupleObject *)self;
    int cmp = 0;
    for (Py_ssize_t i = 0; cmp == 0 && i < Py_SIZE(a); ++i) {
        cmp = PyObject_RichCompareBool(PyTuple_GET_ITEM(a, i), el, Py_EQ);
    }
    return cmp;
}

static PyObject *
tuple_item(PyObject *self, Py_ssize_t i)
{
    if (i < 0 || i >= Py_SIZE(self)) {
        PyErr_SetString(PyExc_IndexError, "tuple index out of range");
        return NULL;
    }
    return Py_NewRef(((PyTupleObject *)self)->ob_item[i]);
}

static PyObject *
tuple_concat(PyObject *self, PyObject *bb)
{
    PyTupleObject *a = (PyTupleObject *)self;
    if (Py_SIZE(bb) == 0 && PyTuple_CheckExact(bb) && PyTuple_CheckExact(a)) {
        return Py_NewRef(self);
    }
    if (!PyTuple_Check(bb)) {
        PyErr_Format(PyExc_TypeError,
                     "can only concatenate tuple (not \"%.200s\") to tuple",
                     Py_TYPE(bb)->tp_name);
        return NULL;
    }
    PyTupleObject *b = (PyTupleObject *)bb;
    if (Py_SIZE(a) == 0 && PyTuple_CheckExact(b)) {
        return Py_NewRef(bb);
    }
    if (Py_SIZE(a) > PY_SSIZE_T_MAX - Py_SIZE(b)) {
        return PyErr_NoMemory();
    }
    Py_ssize_t size = Py_SIZE(a) + Py_SIZE(b);
    PyObject *np = PyTuple_New(size);
    if (np == NULL) {
        return NULL;
    }
    PyObject **dest = ((PyTupleObject *)np)->ob_item;
    for (Py_ssize_t i = 0; i < Py_SIZE(a); i++) {
        dest[i] = Py_NewRef(a->ob_item[i]);
    }
    dest += Py_SIZE(a);
    for (Py_ssize_t i = 0; i < Py_SIZE(b); i++) {
        dest[i] = Py_NewRef(b->ob_item[i]);
    }
    return np;
}

static PyObject *
tuple_repeat(PyObject *self, Py_ssize_t n)
{
    PyTupleObject *a = (PyTupleObject *)self;
    Py_ssize_t input_size = Py_SIZE(a);
    if (input_size == 0 || n == 1) {
        if (PyTuple_CheckExact(a)) {
            return Py_NewRef(self);
        }
    }
    if (input_size == 0 || n <= 0) {
        return EMPTY_TUPLE;
    }
    if (input_size > PY_SSIZE_T_MAX / n) {
        return PyErr_NoMemory();
    }
    Py_ssize_t size = input_size * n;
    PyObject *np = PyTuple_New(size);
    if (np == NULL) {
        return NULL;
    }
    PyObject **dest = ((PyTupleObject *)np)->ob_item;
    for (Py_ssize_t k = 0; k < n; k++) {
        for (Py_ssize_t i = 0; i < input_size; i++) {
            *dest++ = Py_NewRef(a->ob_item[i]);
        }
    }
    return np;
}

static PyObject *
tuple_subscript(PyObject *self, PyObject *item)
{
    PyTupleObject *t = (PyTupleObject *)self;
    if (_PyIndex_Check(item)) {
        Py_ssize_t i = PyNumber_AsSsize_t(item, PyExc_IndexError);
        if (i == -1 && PyErr_Occurred()) {
            return NULL;
        }
        if (i < 0) {
            i += Py_SIZE(t);
        }
        return tuple_item(self, i);
    }
    if (PySlice_Check(item)) {
        Py_ssize_t start, stop, step;
        if (PySlice_Unpack(item, &start, &stop, &step) < 0) {
            return NULL;
        }
        Py_ssize_t slicelength = PySlice_AdjustIndices(Py_SIZE(t), &start,
                                                       &stop, step);
        if (slicelength <= 0) {
            return EMPTY_TUPLE;
        }
        if (start == 0 && step == 1 && slicelength == Py_SIZE(t) &&
            PyTuple_CheckExact(t)) {
            return Py_NewRef(self);
        }
        PyObject *result = PyTuple_New(slicelength);
        if (result == NULL) {
            return NULL;
        }
        PyObject **dest = ((PyTupleObject *)result)->ob_item;
        for (Py_ssize_t cur = start, i = 0; i < slicelength;
             cur += step, i++) {
            dest[i] = Py_NewRef(t->ob_item[cur]);
        }
        return result;
    }
    PyErr_Format(PyExc_TypeError,
                 "tuple indices must be integers or slices, not %.200s",
                 Py_TYPE(item)->tp_name);
    return NULL;
}

static PyObject *
tuple_richcompare(PyObject *v, PyObject *w, int op)
{
    if (!PyTuple_Check(v) || !PyTuple_Check(w)) {
        Py_RETURN_NOTIMPLEMENTED;
    }
    PyTupleObject *vt = (PyTupleObject *)v, *wt = (PyTupleObject *)w;
    Py_ssize_t vlen = Py_SIZE(vt), wlen = Py_SIZE(wt), i;
    /* The first index where items differ. */
    for (i = 0; i < vlen && i < wlen; i++) {
        int k = PyObject_RichCompareBool(vt->ob_item[i], wt->ob_item[i],
                                         Py_EQ);
        if (k < 0) {
            return NULL;
        }
        if (!k) {
            break;
        }
    }
    if (i >= vlen || i >= wlen) {
        Py_RETURN_RICHCOMPARE(vlen, wlen, op);
    }
    if (op == Py_EQ) {
        Py_RETURN_FALSE;
    }
    if (op == Py_NE) {
        Py_RETURN_TRUE;
    }
    return PyObject_RichCompare(vt->ob_item[i], wt->ob_item[i], op);
}

static PyObject *
tuple_index(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    PyTupleObject *t = (PyTupleObject *)self;
    Py_ssize_t start = 0, stop = PY_SSIZE_T_MAX;
    if (!_PyArg_CheckPositional("index", nargs, 1, 3)) {
        return NULL;
    }
    if (nargs >= 2 && !_PyEval_SliceIndex(args[1], &start)) {
        return NULL;
    }
    if (nargs >= 3 && !_PyEval_SliceIndex(args[2], &stop)) {
        return NULL;
    }
    if (start < 0) {
        start += Py_SIZE(t);
        if (start < 0) {
            start = 0;
        }
    }
    if (stop < 0) {
        stop += Py_SIZE(t);
    }
    else if (stop > Py_SIZE(t)) {
        stop = Py_SIZE(t);
    }
    for (Py_ssize_t i = start; i < stop; i++) {
        int cmp = PyObject_RichCompareBool(t->ob_item[i], args[0], Py_EQ);
        if (cmp > 0) {
            return PyLong_FromSsize_t(i);
        }
        if (cmp < 0) {
            return NULL;
        }
    }
    PyErr_SetString(PyExc_ValueError, "tuple.index(x): x not in tuple");
    return NULL;
}

static PyObject *
tuple_count(PyObject *self, PyObject *value)
{
    PyTupleObject *t = (PyTupleObject *)self;
    Py_ssize_t count = 0;
    for (Py_ssize_t i = 0; i < Py_SIZE(t); i++) {
        int cmp = PyObject_RichCompareBool(t->ob_item[i], value, Py_EQ);
        if (cmp > 0) {
            count++;
        }
        else if (cmp < 0) {
            return NULL;
        }
    }
    return PyLong_FromSsize_t(count);
}

static PyObject *
tuple_getnewargs(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    PyObject *copy = tuple_slice((PyTupleObject *)self, 0, Py_SIZE(self));
    if (copy == NULL) {
        return NULL;
    }
    PyObject *res = PyTuple_Pack(1, copy);
    Py_DECREF(copy);
    return res;
}

static int
tuple_traverse(PyObject *self, visitproc visit, void *arg)
{
    PyTupleObject *o = (PyTupleObject *)self;
    for (Py_ssize_t i = Py_SIZE(o); --i >= 0; ) {
        Py_VISIT(o->ob_item[i]);
    }
    return 0;
}

static PyObject *tuple_iter(PyObject *seq);

/* tuple(iterable) for subclasses: build a tuple, copy into an instance. */
static PyObject *
tuple_subtype_new(PyTypeObject *type, PyObject *iterable)
{
    PyObject *tmp = iterable == NULL ? EMPTY_TUPLE
                                     : PySequence_Tuple(iterable);
    if (tmp == NULL) {
        return NULL;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(tmp);
    PyObject *newobj = type->tp_alloc(type, n);
    if (newobj == NULL) {
        Py_DECREF(tmp);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        ((PyTupleObject *)newobj)->ob_item[i] =
            Py_NewRef(PyTuple_GET_ITEM(tmp, i));
    }
    Py_DECREF(tmp);
    return newobj;
}

static PyObject *
tuple_new_impl(PyTypeObject *type, PyObject *iterable)
{
    if (type != &PyTuple_Type) {
        return tuple_subtype_new(type, iterable);
    }
    if (iterable == NULL) {
        return EMPTY_TUPLE;
    }
    return PySequence_Tuple(iterable);
}

static PyObject *
tuple_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *iterable = NULL;
    if (type == &PyTuple_Type && !_PyArg_NoKeywords("tuple", kwds)) {
        return NULL;
    }
    if (!PyArg_UnpackTuple(args, "tuple", 0, 1, &iterable)) {
        return NULL;
    }
    return tuple_new_impl(type, iterable);
}

static PyObject *
tuple_vectorcall(PyObject *type, PyObject *const *args, size_t nargsf,
                 PyObject *kwnames)
{
    if (!_PyArg_NoKwnames("tuple", kwnames)) {
        return NULL;
    }
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    if (!_PyArg_CheckPositional("tuple", nargs, 0, 1)) {
        return NULL;
    }
    return tuple_new_impl((PyTypeObject *)type, nargs ? args[0] : NULL);
}

extern PyObject *Py_GenericAlias(PyObject *, PyObject *) __attribute__((weak));

static PyObject *
tuple_class_getitem(PyObject *cls, PyObject *args)
{
    if (Py_GenericAlias != NULL) {
        return Py_GenericAlias(cls, args);
    }
    PyErr_SetString(PyExc_NotImplementedError,
                    "types.GenericAlias is not available yet");
    return NULL;
}

static PySequenceMethods tuple_as_sequence = {
    .sq_length = tuple_length,
    .sq_concat = tuple_concat,
    .sq_repeat = tuple_repeat,
    .sq_item = tuple_item,
    .sq_contains = tuple_contains,
};

static PyMappingMethods tuple_as_mapping = {
    .mp_length = tuple_length,
    .mp_subscript = tuple_subscript,
};

static PyMethodDef tuple_methods[] = {
    {"__class_getitem__", Py_GenericAlias, METH_O | METH_CLASS,
     "See PEP 585"},
    {"__getnewargs__", tuple_getnewargs, METH_NOARGS, NULL},
    {"index", _PyCFunction_CAST(tuple_index), METH_FASTCALL,
     "Return first index of value.\n\n"
     "Raises ValueError if the value is not present."},
    {"count", tuple_count, METH_O,
     "Return number of occurrences of value."},
    {"__class_getitem__", tuple_class_getitem, METH_O | METH_CLASS,
     "See PEP 585"},
    {NULL, NULL, 0, NULL}
};

PyTypeObject PyTuple_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "tuple",
    .tp_basicsize = sizeof(PyTupleObject) - sizeof(PyObject *),
    .tp_itemsize = sizeof(PyObject *),
    .tp_dealloc = tuple_dealloc,
    .tp_repr = tuple_repr,
    .tp_as_sequence = &tuple_as_sequence,
    .tp_as_mapping = &tuple_as_mapping,
    .tp_hash = tuple_hash,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC |
                Py_TPFLAGS_BASETYPE | Py_TPFLAGS_TUPLE_SUBCLASS |
                _Py_TPFLAGS_MATCH_SELF | Py_TPFLAGS_SEQUENCE,
    .tp_doc = "tuple(iterable=(), /)\n--\n\n"
              "Built-in immutable sequence.\n\n"
              "If no argument is given, the constructor returns an empty "
              "tuple.\nIf iterable is specified the tuple is initialized "
              "from iterable's items.\n\n"
              "If the argument is a tuple, the return value is the same "
              "object.",
    .tp_traverse = tuple_traverse,
    .tp_richcompare = tuple_richcompare,
    .tp_iter = tuple_iter,
    .tp_methods = tuple_methods,
    .tp_alloc = PyType_GenericAlloc,
    .tp_new = tuple_new,
    .tp_free = PyObject_GC_Del,
    .tp_vectorcall = tuple_vectorcall,
};

/* ================================================================ iterator */

typedef struct {
    PyObject_HEAD
    Py_ssize_t it_index;        /* relaxed atomic */
    PyTupleObject *it_seq;      /* owned; released with the iterator */
} tupleiterobject;

static void
tupleiter_dealloc(PyObject *self)
{
    tupleiterobject *it = (tupleiterobject *)self;
    PyObject_GC_UnTrack(self);
    Py_XDECREF(it->it_seq);
    PyObject_GC_Del(self);
}

static int
tupleiter_traverse(PyObject *self, visitproc visit, void *arg)
{
    Py_VISIT(((tupleiterobject *)self)->it_seq);
    return 0;
}

static PyObject *
tupleiter_next(PyObject *self)
{
    tupleiterobject *it = (tupleiterobject *)self;
    PyTupleObject *seq = it->it_seq;
    Py_ssize_t i = _Py_atomic_load_ssize_relaxed(&it->it_index);
    if (i < 0 || i >= Py_SIZE(seq)) {
        return NULL;
    }
    _Py_atomic_store_ssize_relaxed(&it->it_index, i + 1);
    return Py_NewRef(seq->ob_item[i]);
}

static PyObject *
tupleiter_len(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    tupleiterobject *it = (tupleiterobject *)self;
    Py_ssize_t i = _Py_atomic_load_ssize_relaxed(&it->it_index);
    Py_ssize_t len = Py_SIZE(it->it_seq) - i;
    return PyLong_FromSsize_t(len < 0 ? 0 : len);
}

static PyMethodDef tupleiter_methods[] = {
    {"__length_hint__", tupleiter_len, METH_NOARGS,
     "Private method returning an estimate of len(list(it))."},
    {NULL, NULL, 0, NULL}
};

PyTypeObject PyTupleIter_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "tuple_iterator",
    .tp_basicsize = sizeof(tupleiterobject),
    .tp_dealloc = tupleiter_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_traverse = tupleiter_traverse,
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = tupleiter_next,
    .tp_methods = tupleiter_methods,
};

static PyObject *
tuple_iter(PyObject *seq)
{
    tupleiterobject *it = PyObject_GC_New(tupleiterobject,
                                          &PyTupleIter_Type);
    if (it == NULL) {
        return NULL;
    }
    it->it_index = 0;
    it->it_seq = (PyTupleObject *)Py_NewRef(seq);
    PyObject_GC_Track(it);
    return (PyObject *)it;
}

int
_PyTuple_InitTypes(void)
{
    if (PyType_Ready(&PyTuple_Type) < 0 ||
        PyType_Ready(&PyTupleIter_Type) < 0) {
        return -1;
    }
    return 0;
}
