/* range objects and their iterators.
 *
 * A range is immutable.  Its iterator keeps C longs when the range fits
 * (the common case) and ints otherwise; an iterator shared between
 * threads advances its index with a compare-and-swap, so each value is
 * produced once. */
#include "Python.h"
#include "pycore_object.h"
#include "rangeobject.h"

typedef struct {
    PyObject_HEAD
    PyObject *start;
    PyObject *stop;
    PyObject *step;
    PyObject *length;
} rangeobject;

/* The number of items of range(lo, hi, step) as an int (new ref). */
static PyObject *
compute_range_length(PyObject *start, PyObject *stop, PyObject *step)
{
    PyObject *zero = PyLong_FromLong(0), *one = PyLong_FromLong(1);
    PyObject *lo, *hi, *st, *res = NULL;
    int neg = PyObject_RichCompareBool(step, zero, Py_LT);
    if (neg < 0) {
        goto done;
    }
    if (neg) {
        lo = stop; hi = start;
        st = PyNumber_Negative(step);
    }
    else {
        lo = start; hi = stop;
        st = Py_NewRef(step);
    }
    if (st == NULL) {
        goto done;
    }
    int cmp = PyObject_RichCompareBool(lo, hi, Py_GE);
    if (cmp < 0) {
        Py_DECREF(st);
        goto done;
    }
    if (cmp) {
        Py_DECREF(st);
        res = Py_NewRef(zero);
        goto done;
    }
    /* (hi - lo - 1) // step + 1 */
    PyObject *d = PyNumber_Subtract(hi, lo);
    PyObject *d1 = d ? PyNumber_Subtract(d, one) : NULL;
    PyObject *q = d1 ? PyNumber_FloorDivide(d1, st) : NULL;
    res = q ? PyNumber_Add(q, one) : NULL;
    Py_XDECREF(d);
    Py_XDECREF(d1);
    Py_XDECREF(q);
    Py_DECREF(st);
done:
    Py_XDECREF(zero);
    Py_XDECREF(one);
    return res;
}

static PyObject *
make_range(PyTypeObject *type, PyObject *start, PyObject *stop,
           PyObject *step)
{
    PyObject *length = compute_range_length(start, stop, step);
    if (length == NULL) {
        return NULL;
    }
    rangeobject *r = PyObject_New(rangeobject, type);
    if (r == NULL) {
        Py_DECREF(length);
        return NULL;
    }
    r->start = start;
    r->stop = stop;
    r->step = step;
    r->length = length;
    return (PyObject *)r;
}

static PyObject *
range_new(PyTypeObject *type, PyObject *args, PyObject *kw)
{
    PyObject *start = NULL, *stop = NULL, *step = NULL;
    if (!_PyArg_NoKeywords("range", kw)) {
        return NULL;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(args);
    if (n == 1) {
        stop = PyNumber_Index(PyTuple_GET_ITEM(args, 0));
        if (stop == NULL) {
            return NULL;
        }
        start = PyLong_FromLong(0);
        step = PyLong_FromLong(1);
    }
    else if (n == 2 || n == 3) {
        start = PyNumber_Index(PyTuple_GET_ITEM(args, 0));
        stop = start ? PyNumber_Index(PyTuple_GET_ITEM(args, 1)) : NULL;
        if (stop == NULL) {
            Py_XDECREF(start);
            return NULL;
        }
        if (n == 3) {
            step = PyNumber_Index(PyTuple_GET_ITEM(args, 2));
            if (step == NULL) {
                Py_DECREF(start);
                Py_DECREF(stop);
                return NULL;
            }
            int z = PyObject_Not(step);
            if (z) {
                if (z > 0) {
                    PyErr_SetString(PyExc_ValueError,
                                    "range() arg 3 must not be zero");
                }
                Py_DECREF(start);
                Py_DECREF(stop);
                Py_DECREF(step);
                return NULL;
            }
        }
        else {
            step = PyLong_FromLong(1);
        }
    }
    else if (n == 0) {
        PyErr_SetString(PyExc_TypeError,
                        "range expected at least 1 argument, got 0");
        return NULL;
    }
    else {
        PyErr_Format(PyExc_TypeError,
                     "range expected at most 3 arguments, got %zd", n);
        return NULL;
    }
    if (start == NULL || step == NULL) {
        Py_XDECREF(start);
        Py_XDECREF(stop);
        Py_XDECREF(step);
        return NULL;
    }
    PyObject *r = make_range(type, start, stop, step);
    if (r == NULL) {
        Py_DECREF(start);
        Py_DECREF(stop);
        Py_DECREF(step);
    }
    return r;
}

static void
range_dealloc(PyObject *self)
{
    rangeobject *r = (rangeobject *)self;
    Py_DECREF(r->start);
    Py_DECREF(r->stop);
    Py_DECREF(r->step);
    Py_DECREF(r->length);
    PyObject_Free(self);
}

static PyObject *
range_repr(PyObject *self)
{
    rangeobject *r = (rangeobject *)self;
    int one = PyLong_Check(r->step) && PyLong_AsLong(r->step) == 1;
    if (PyErr_Occurred()) {
        PyErr_Clear();
        one = 0;
    }
    if (one) {
        return PyUnicode_FromFormat("range(%R, %R)", r->start, r->stop);
    }
    return PyUnicode_FromFormat("range(%R, %R, %R)", r->start, r->stop,
                                r->step);
}

static Py_ssize_t
range_length(PyObject *self)
{
    return PyLong_AsSsize_t(((rangeobject *)self)->length);
}

/* start + i * step (new ref). */
static PyObject *
compute_item(rangeobject *r, PyObject *i)
{
    PyObject *m = PyNumber_Multiply(i, r->step);
    if (m == NULL) {
        return NULL;
    }
    PyObject *res = PyNumber_Add(r->start, m);
    Py_DECREF(m);
    return res;
}

static PyObject *
range_item_obj(rangeobject *r, PyObject *arg)
{
    PyObject *i = PyNumber_Index(arg);
    if (i == NULL) {
        return NULL;
    }
    PyObject *zero = PyLong_FromLong(0);
    int neg = PyObject_RichCompareBool(i, zero, Py_LT);
    Py_DECREF(zero);
    if (neg > 0) {
        Py_SETREF(i, PyNumber_Add(i, r->length));
        if (i == NULL) {
            return NULL;
        }
    }
    zero = PyLong_FromLong(0);
    int bad = PyObject_RichCompareBool(i, zero, Py_LT);
    Py_DECREF(zero);
    if (bad == 0) {
        bad = PyObject_RichCompareBool(i, r->length, Py_GE);
    }
    if (bad) {
        if (bad > 0) {
            PyErr_SetString(PyExc_IndexError,
                            "range object index out of range");
        }
        Py_DECREF(i);
        return NULL;
    }
    PyObject *res = compute_item(r, i);
    Py_DECREF(i);
    return res;
}

static PyObject *
range_subscript(PyObject *self, PyObject *item)
{
    rangeobject *r = (rangeobject *)self;
    if (PySlice_Check(item)) {
        Py_ssize_t len = PyLong_AsSsize_t(r->length);
        if (len == -1 && PyErr_Occurred()) {
            return NULL;
        }
        Py_ssize_t start, stop, step;
        if (PySlice_Unpack(item, &start, &stop, &step) < 0) {
            return NULL;
        }
        Py_ssize_t n = PySlice_AdjustIndices(len, &start, &stop, step);
        (void)n;
        PyObject *s = PyLong_FromSsize_t(start);
        PyObject *e = PyLong_FromSsize_t(stop);
        PyObject *st = PyLong_FromSsize_t(step);
        PyObject *ns = s ? compute_item(r, s) : NULL;
        PyObject *ne = e ? compute_item(r, e) : NULL;
        PyObject *nst = st ? PyNumber_Multiply(st, r->step) : NULL;
        Py_XDECREF(s);
        Py_XDECREF(e);
        Py_XDECREF(st);
        if (ns == NULL || ne == NULL || nst == NULL) {
            Py_XDECREF(ns);
            Py_XDECREF(ne);
            Py_XDECREF(nst);
            return NULL;
        }
        PyObject *res = make_range(&PyRange_Type, ns, ne, nst);
        if (res == NULL) {
            Py_DECREF(ns);
            Py_DECREF(ne);
            Py_DECREF(nst);
        }
        return res;
    }
    if (!PyIndex_Check(item)) {
        PyErr_Format(PyExc_TypeError,
                     "range indices must be integers or slices, not %.200s",
                     Py_TYPE(item)->tp_name);
        return NULL;
    }
    return range_item_obj(r, item);
}

static PyObject *
range_sq_item(PyObject *self, Py_ssize_t i)
{
    PyObject *idx = PyLong_FromSsize_t(i);
    if (idx == NULL) {
        return NULL;
    }
    PyObject *res = range_item_obj((rangeobject *)self, idx);
    Py_DECREF(idx);
    return res;
}

/* Is OB (an int) in the range? */
static int
range_contains_long(rangeobject *r, PyObject *ob)
{
    PyObject *zero = PyLong_FromLong(0);
    int pos = PyObject_RichCompareBool(r->step, zero, Py_GT);
    Py_DECREF(zero);
    int c1, c2;
    if (pos) {
        c1 = PyObject_RichCompareBool(r->start, ob, Py_LE);
        c2 = PyObject_RichCompareBool(ob, r->stop, Py_LT);
    }
    else {
        c1 = PyObject_RichCompareBool(ob, r->start, Py_LE);
        c2 = PyObject_RichCompareBool(r->stop, ob, Py_LT);
    }
    if (c1 < 0 || c2 < 0) {
        return -1;
    }
    if (!c1 || !c2) {
        return 0;
    }
    PyObject *d = PyNumber_Subtract(ob, r->start);
    PyObject *m = d ? PyNumber_Remainder(d, r->step) : NULL;
    Py_XDECREF(d);
    if (m == NULL) {
        return -1;
    }
    int res = PyObject_Not(m);
    Py_DECREF(m);
    return res;
}

static int
range_contains(PyObject *self, PyObject *ob)
{
    if (PyLong_CheckExact(ob) || PyBool_Check(ob)) {
        return range_contains_long((rangeobject *)self, ob);
    }
    PyObject *it = PyObject_GetIter(self);
    if (it == NULL) {
        return -1;
    }
    PyObject *item;
    while ((item = PyIter_Next(it)) != NULL) {
        int c = PyObject_RichCompareBool(item, ob, Py_EQ);
        Py_DECREF(item);
        if (c != 0) {
            Py_DECREF(it);
            return c;
        }
    }
    Py_DECREF(it);
    return PyErr_Occurred() ? -1 : 0;
}

static PyObject *
range_richcompare(PyObject *a, PyObject *b, int op)
{
    if (!PyRange_Check(b) || (op != Py_EQ && op != Py_NE)) {
        Py_RETURN_NOTIMPLEMENTED;
    }
    rangeobject *x = (rangeobject *)a, *y = (rangeobject *)b;
    int eq = PyObject_RichCompareBool(x->length, y->length, Py_EQ);
    if (eq > 0) {
        int empty = PyObject_Not(x->length);
        if (!empty) {
            eq = PyObject_RichCompareBool(x->start, y->start, Py_EQ);
            if (eq > 0) {
                PyObject *one = PyLong_FromLong(1);
                int single = PyObject_RichCompareBool(x->length, one, Py_EQ);
                Py_DECREF(one);
                if (!single) {
                    eq = PyObject_RichCompareBool(x->step, y->step, Py_EQ);
                }
            }
        }
    }
    if (eq < 0) {
        return NULL;
    }
    return PyBool_FromLong(op == Py_EQ ? eq : !eq);
}

static Py_hash_t
range_hash(PyObject *self)
{
    rangeobject *r = (rangeobject *)self;
    PyObject *t = PyTuple_Pack(3, r->length, r->start, r->step);
    if (t == NULL) {
        return -1;
    }
    Py_hash_t h = PyObject_Hash(t);
    Py_DECREF(t);
    return h;
}

static int
range_bool(PyObject *self)
{
    return PyObject_IsTrue(((rangeobject *)self)->length);
}

static PyObject *
range_count(PyObject *self, PyObject *ob)
{
    if (PyLong_CheckExact(ob) || PyBool_Check(ob)) {
        int r = range_contains_long((rangeobject *)self, ob);
        return r < 0 ? NULL : PyLong_FromLong(r);
    }
    Py_ssize_t n = PySequence_Count(self, ob);
    return n < 0 ? NULL : PyLong_FromSsize_t(n);
}

static PyObject *
range_index(PyObject *self, PyObject *ob)
{
    rangeobject *r = (rangeobject *)self;
    if (PyLong_CheckExact(ob) || PyBool_Check(ob)) {
        int c = range_contains_long(r, ob);
        if (c < 0) {
            return NULL;
        }
        if (c) {
            PyObject *d = PyNumber_Subtract(ob, r->start);
            PyObject *q = d ? PyNumber_FloorDivide(d, r->step) : NULL;
            Py_XDECREF(d);
            return q;
        }
    }
    PyErr_Format(PyExc_ValueError, "%R is not in range", ob);
    return NULL;
}

static PyObject *
range_reduce(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    rangeobject *r = (rangeobject *)self;
    return Py_BuildValue("(O(OOO))", Py_TYPE(r), r->start, r->stop,
                         r->step);
}

static PyObject *range_iter(PyObject *self);
static PyObject *range_reversed(PyObject *self, PyObject *ignored);

static PyMethodDef range_methods[] = {
    {"count", range_count, METH_O, NULL},
    {"index", range_index, METH_O, NULL},
    {"__reduce__", range_reduce, METH_NOARGS, NULL},
    {"__reversed__", range_reversed, METH_NOARGS, NULL},
    {NULL}
};

static PyObject *
range_get_start(PyObject *self, void *c)
{
    return Py_NewRef(((rangeobject *)self)->start);
}

static PyObject *
range_get_stop(PyObject *self, void *c)
{
    return Py_NewRef(((rangeobject *)self)->stop);
}

static PyObject *
range_get_step(PyObject *self, void *c)
{
    return Py_NewRef(((rangeobject *)self)->step);
}

static PyGetSetDef range_getset[] = {
    {"start", range_get_start, NULL, NULL, NULL},
    {"stop", range_get_stop, NULL, NULL, NULL},
    {"step", range_get_step, NULL, NULL, NULL},
    {NULL}
};

static PyNumberMethods range_as_number = {
    .nb_bool = range_bool,
};

static PySequenceMethods range_as_sequence = {
    .sq_length = range_length,
    .sq_item = range_sq_item,
    .sq_contains = range_contains,
};

static PyMappingMethods range_as_mapping = {
    .mp_length = range_length,
    .mp_subscript = range_subscript,
};

PyTypeObject PyRange_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "range",
    .tp_basicsize = sizeof(rangeobject),
    .tp_dealloc = range_dealloc,
    .tp_repr = range_repr,
    .tp_as_number = &range_as_number,
    .tp_as_sequence = &range_as_sequence,
    .tp_as_mapping = &range_as_mapping,
    .tp_hash = range_hash,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_SEQUENCE,
    .tp_richcompare = range_richcompare,
    .tp_iter = range_iter,
    .tp_methods = range_methods,
    .tp_getset = range_getset,
    .tp_new = range_new,
};

/* ---- iterators ---- */

typedef struct {
    PyObject_HEAD
    long start;
    long step;
    long len;
    long index;         /* atomic: claimed with compare-and-swap */
} rangeiterobject;

static PyObject *
rangeiter_next(PyObject *self)
{
    rangeiterobject *r = (rangeiterobject *)self;
    int64_t i = _Py_atomic_load_int64_relaxed((int64_t *)&r->index);
    for (;;) {
        if (i >= r->len) {
            return NULL;
        }
        if (_Py_atomic_compare_exchange_int64((int64_t *)&r->index, &i,
                                              i + 1)) {
            break;
        }
    }
    return PyLong_FromLong((long)((unsigned long)r->start
                                  + (unsigned long)i * (unsigned long)r->step));
}

static PyObject *
rangeiter_len(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    rangeiterobject *r = (rangeiterobject *)self;
    long left = r->len - r->index;
    return PyLong_FromLong(left > 0 ? left : 0);
}

static PyMethodDef rangeiter_methods[] = {
    {"__length_hint__", rangeiter_len, METH_NOARGS, NULL},
    {NULL}
};

PyTypeObject PyRangeIter_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "range_iterator",
    .tp_basicsize = sizeof(rangeiterobject),
    .tp_dealloc = (destructor)PyObject_Free,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = rangeiter_next,
    .tp_methods = rangeiter_methods,
};

/* Iterator over big ranges: ints all the way. */
typedef struct {
    PyObject_HEAD
    PyObject *next;
    PyObject *step;
    PyObject *remaining;
    PyMutex mutex;
} longrangeiterobject;

static PyObject *
longrangeiter_next(PyObject *self)
{
    longrangeiterobject *r = (longrangeiterobject *)self;
    PyObject *res = NULL;
    PyMutex_Lock(&r->mutex);
    int more = PyObject_IsTrue(r->remaining);
    if (more > 0) {
        PyObject *one = PyLong_FromLong(1);
        PyObject *rem = PyNumber_Subtract(r->remaining, one);
        Py_DECREF(one);
        PyObject *nxt = rem ? PyNumber_Add(r->next, r->step) : NULL;
        if (nxt != NULL) {
            res = r->next;
            r->next = nxt;
            Py_SETREF(r->remaining, rem);
        }
        else {
            Py_XDECREF(rem);
        }
    }
    PyMutex_Unlock(&r->mutex);
    return res;
}

static void
longrangeiter_dealloc(PyObject *self)
{
    longrangeiterobject *r = (longrangeiterobject *)self;
    Py_XDECREF(r->next);
    Py_XDECREF(r->step);
    Py_XDECREF(r->remaining);
    PyObject_Free(self);
}

PyTypeObject PyLongRangeIter_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "longrange_iterator",
    .tp_basicsize = sizeof(longrangeiterobject),
    .tp_dealloc = longrangeiter_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = longrangeiter_next,
};

/* An iterator from START stepping STEP for LEN items (all ints). */
static PyObject *
make_range_iter(PyObject *start, PyObject *step, PyObject *len)
{
    int overflow = 0;
    long lstart = PyLong_AsLongAndOverflow(start, &overflow);
    long lstep = overflow ? 0 : PyLong_AsLongAndOverflow(step, &overflow);
    long llen = overflow ? 0 : PyLong_AsLongAndOverflow(len, &overflow);
    if (!overflow) {
        /* The last value must fit too. */
        __int128 last = (__int128)lstart + (__int128)(llen - 1) * lstep;
        overflow = llen > 0 && (last > LONG_MAX || last < LONG_MIN);
    }
    if (!overflow) {
        rangeiterobject *it = PyObject_New(rangeiterobject,
                                           &PyRangeIter_Type);
        if (it == NULL) {
            return NULL;
        }
        it->start = lstart;
        it->step = lstep;
        it->len = llen;
        it->index = 0;
        return (PyObject *)it;
    }
    PyErr_Clear();
    longrangeiterobject *it = PyObject_New(longrangeiterobject,
                                           &PyLongRangeIter_Type);
    if (it == NULL) {
        return NULL;
    }
    it->next = Py_NewRef(start);
    it->step = Py_NewRef(step);
    it->remaining = Py_NewRef(len);
    it->mutex = (PyMutex){0};
    return (PyObject *)it;
}

static PyObject *
range_iter(PyObject *self)
{
    rangeobject *r = (rangeobject *)self;
    return make_range_iter(r->start, r->step, r->length);
}

static PyObject *
range_reversed(PyObject *self, PyObject *ignored)
{
    rangeobject *r = (rangeobject *)self;
    /* last = start + (len - 1) * step, going by -step. */
    PyObject *one = PyLong_FromLong(1);
    PyObject *lm1 = PyNumber_Subtract(r->length, one);
    Py_DECREF(one);
    PyObject *last = lm1 ? compute_item(r, lm1) : NULL;
    Py_XDECREF(lm1);
    PyObject *negstep = last ? PyNumber_Negative(r->step) : NULL;
    if (negstep == NULL) {
        Py_XDECREF(last);
        return NULL;
    }
    PyObject *it = make_range_iter(last, negstep, r->length);
    Py_DECREF(last);
    Py_DECREF(negstep);
    return it;
}
