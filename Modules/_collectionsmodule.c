/* The _collections module: deque and _count_elements.
 *
 * deque is a circular buffer of owned references (d_items, capacity
 * d_cap, first item at d_head, d_len items).  Thread safety
 * (ARCHITECTURE sections 6 and 10): every read or write of the buffer,
 * head, length and state counter happens in a critical section on the
 * deque.  Operations that call Python code (comparisons in count,
 * index, remove, __contains__, rich comparison; repr) take a strong
 * reference to one item under the lock, release it, run the code, and
 * re-check d_state; a change raises RuntimeError("deque mutated during
 * iteration") as CPython does.  Iterators hold a strong reference to
 * the deque and remember d_state at creation; each step locks the
 * deque, so an iterator shared between threads may repeat or skip an
 * item but never reads freed memory.  Replaced buffers are freed right
 * away because no reader touches the buffer without the lock.
 * d_maxlen is written only by __init__ (in a section) and read by
 * repr/copy/maxlen without one: a racing re-__init__ is the caller's
 * bug and at worst shows the old or the new bound.
 *
 * Module state: none; the static types are immortal. */
#include "Python.h"
#include "pycore_critical_section.h"
#include "structmember.h"

typedef struct {
    PyObject_HEAD
    PyObject **d_items;     /* PyMem buffer of d_cap slots */
    Py_ssize_t d_cap;
    Py_ssize_t d_head;
    Py_ssize_t d_len;
    Py_ssize_t d_maxlen;    /* -1 = unbounded */
    size_t d_state;         /* bumped by every structural mutation */
    PyObject *d_weakreflist;
} dequeobject;

static PyTypeObject deque_type;

/* d_len is written with relaxed atomic stores (inside the section) so
 * len() can read it without the lock. */
#define DEQUE_SLOT(d, i) ((d)->d_items[((d)->d_head + (i)) % (d)->d_cap])

/* Grow the buffer to hold at least one more item.  Locked by caller.
 * Returns 0 or -1 with MemoryError. */
static int
deque_grow(dequeobject *d)
{
    if (d->d_len < d->d_cap) {
        return 0;
    }
    Py_ssize_t ncap = d->d_cap ? d->d_cap * 2 : 8;
    PyObject **ni = PyMem_Malloc(ncap * sizeof(PyObject *));
    if (ni == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < d->d_len; i++) {
        ni[i] = DEQUE_SLOT(d, i);
    }
    PyMem_Free(d->d_items);
    d->d_items = ni;
    d->d_cap = ncap;
    d->d_head = 0;
    return 0;
}

/* Append (steals item) on the right, evicting from the left when full.
 * Locked by caller.  *evicted receives a reference to drop after the
 * lock is released (or NULL). Returns 0 or -1. */
static int
deque_push_right(dequeobject *d, PyObject *item, PyObject **evicted)
{
    *evicted = NULL;
    if (d->d_maxlen == 0) {
        *evicted = item;
        return 0;
    }
    if (d->d_maxlen > 0 && d->d_len == d->d_maxlen) {
        *evicted = DEQUE_SLOT(d, 0);
        d->d_head = (d->d_head + 1) % d->d_cap;
        _Py_atomic_store_ssize_relaxed(&d->d_len, d->d_len - 1);
    }
    if (deque_grow(d) < 0) {
        Py_DECREF(item);
        return -1;
    }
    DEQUE_SLOT(d, d->d_len) = item;
    _Py_atomic_store_ssize_relaxed(&d->d_len, d->d_len + 1);
    d->d_state++;
    return 0;
}

/* Append (steals item) on the left, evicting from the right when full.
 * Locked by caller.  Same contract as deque_push_right. */
static int
deque_push_left(dequeobject *d, PyObject *item, PyObject **evicted)
{
    *evicted = NULL;
    if (d->d_maxlen == 0) {
        *evicted = item;
        return 0;
    }
    if (d->d_maxlen > 0 && d->d_len == d->d_maxlen) {
        *evicted = DEQUE_SLOT(d, d->d_len - 1);
        _Py_atomic_store_ssize_relaxed(&d->d_len, d->d_len - 1);
    }
    if (deque_grow(d) < 0) {
        Py_DECREF(item);
        return -1;
    }
    d->d_head = (d->d_head + d->d_cap - 1) % d->d_cap;
    d->d_items[d->d_head] = item;
    _Py_atomic_store_ssize_relaxed(&d->d_len, d->d_len + 1);
    d->d_state++;
    return 0;
}

/* append(x) */
static PyObject *
deque_append(PyObject *self, PyObject *item)
{
    dequeobject *d = (dequeobject *)self;
    PyObject *evicted;
    int rc;
    Py_BEGIN_CRITICAL_SECTION(d);
    rc = deque_push_right(d, Py_NewRef(item), &evicted);
    Py_END_CRITICAL_SECTION();
    Py_XDECREF(evicted);
    if (rc < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* appendleft(x) */
static PyObject *
deque_appendleft(PyObject *self, PyObject *item)
{
    dequeobject *d = (dequeobject *)self;
    PyObject *evicted;
    int rc;
    Py_BEGIN_CRITICAL_SECTION(d);
    rc = deque_push_left(d, Py_NewRef(item), &evicted);
    Py_END_CRITICAL_SECTION();
    Py_XDECREF(evicted);
    if (rc < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* Extend from an iterable on one side.  The iterable is consumed
 * before locking so no Python code runs under the lock (and
 * d.extend(d) works).  Returns 0 or -1. */
static int
deque_extend_side(dequeobject *d, PyObject *iterable, int left)
{
    PyObject *seq = PySequence_List(iterable);
    if (seq == NULL) {
        return -1;
    }
    Py_ssize_t n = PyList_GET_SIZE(seq);
    PyObject *drop = PyList_New(0);
    if (drop == NULL) {
        Py_DECREF(seq);
        return -1;
    }
    int rc = 0;
    Py_BEGIN_CRITICAL_SECTION(d);
    for (Py_ssize_t i = 0; i < n && rc == 0; i++) {
        PyObject *ev;
        PyObject *item = Py_NewRef(PyList_GET_ITEM(seq, i));
        rc = left ? deque_push_left(d, item, &ev)
                  : deque_push_right(d, item, &ev);
        if (ev != NULL) {
            /* list append does not run Python code. */
            PyList_Append(drop, ev);
            Py_DECREF(ev);
        }
    }
    Py_END_CRITICAL_SECTION();
    Py_DECREF(drop);
    Py_DECREF(seq);
    return rc;
}

static PyObject *
deque_extend(PyObject *self, PyObject *iterable)
{
    if (deque_extend_side((dequeobject *)self, iterable, 0) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
deque_extendleft(PyObject *self, PyObject *iterable)
{
    if (deque_extend_side((dequeobject *)self, iterable, 1) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* pop() / popleft(): IndexError on an empty deque.  New reference. */
static PyObject *
deque_pop_side(dequeobject *d, int left)
{
    PyObject *item = NULL;
    Py_BEGIN_CRITICAL_SECTION(d);
    if (d->d_len > 0) {
        if (left) {
            item = d->d_items[d->d_head];
            d->d_head = (d->d_head + 1) % d->d_cap;
        }
        else {
            item = DEQUE_SLOT(d, d->d_len - 1);
        }
        _Py_atomic_store_ssize_relaxed(&d->d_len, d->d_len - 1);
        d->d_state++;
    }
    Py_END_CRITICAL_SECTION();
    if (item == NULL) {
        PyErr_SetString(PyExc_IndexError, "pop from an empty deque");
    }
    return item;
}

static PyObject *
deque_pop(PyObject *self, PyObject *unused)
{
    return deque_pop_side((dequeobject *)self, 0);
}

static PyObject *
deque_popleft(PyObject *self, PyObject *unused)
{
    return deque_pop_side((dequeobject *)self, 1);
}

/* Detach all items under the lock, release them after.  Returns 0. */
static int
deque_clear_impl(dequeobject *d)
{
    PyObject **items;
    Py_ssize_t cap, head, len;
    Py_BEGIN_CRITICAL_SECTION(d);
    items = d->d_items;
    cap = d->d_cap;
    head = d->d_head;
    len = d->d_len;
    d->d_items = NULL;
    d->d_cap = d->d_head = 0;
    _Py_atomic_store_ssize_relaxed(&d->d_len, 0);
    d->d_state++;
    Py_END_CRITICAL_SECTION();
    for (Py_ssize_t i = 0; i < len; i++) {
        Py_DECREF(items[(head + i) % cap]);
    }
    PyMem_Free(items);
    return 0;
}

static PyObject *
deque_clearmethod(PyObject *self, PyObject *unused)
{
    deque_clear_impl((dequeobject *)self);
    Py_RETURN_NONE;
}

/* Snapshot the items as a new list (under the lock).  New reference. */
static PyObject *
deque_to_list(dequeobject *d)
{
    PyObject *list;
    Py_BEGIN_CRITICAL_SECTION(d);
    list = PyList_New(d->d_len);
    for (Py_ssize_t i = 0; list != NULL && i < d->d_len; i++) {
        PyList_SET_ITEM(list, i, Py_NewRef(DEQUE_SLOT(d, i)));
    }
    Py_END_CRITICAL_SECTION();
    return list;
}

/* Construct a deque of `type` from a list snapshot.  New ref. */
static PyObject *
deque_from_list(PyTypeObject *type, PyObject *list, Py_ssize_t maxlen)
{
    dequeobject *nd = (dequeobject *)type->tp_alloc(type, 0);
    if (nd == NULL) {
        return NULL;
    }
    nd->d_maxlen = maxlen;
    if (deque_extend_side(nd, list, 0) < 0) {
        Py_DECREF(nd);
        return NULL;
    }
    return (PyObject *)nd;
}

static PyObject *
deque_copy(PyObject *self, PyObject *unused)
{
    dequeobject *d = (dequeobject *)self;
    PyObject *list = deque_to_list(d);
    if (list == NULL) {
        return NULL;
    }
    PyObject *res;
    if (Py_IS_TYPE(self, &deque_type)) {
        res = deque_from_list(&deque_type, list, d->d_maxlen);
    }
    else if (d->d_maxlen < 0) {
        res = PyObject_CallOneArg((PyObject *)Py_TYPE(self), list);
    }
    else {
        res = PyObject_CallFunction((PyObject *)Py_TYPE(self), "On", list,
                                    d->d_maxlen);
    }
    Py_DECREF(list);
    return res;
}

/* Item i (already bounds-checked against a snapshot) as a new ref, or
 * NULL with RuntimeError if the deque changed since `state`. */
static PyObject *
deque_item_checked(dequeobject *d, Py_ssize_t i, size_t state)
{
    PyObject *item = NULL;
    Py_BEGIN_CRITICAL_SECTION(d);
    if (d->d_state == state && i < d->d_len) {
        item = Py_NewRef(DEQUE_SLOT(d, i));
    }
    Py_END_CRITICAL_SECTION();
    if (item == NULL) {
        PyErr_SetString(PyExc_RuntimeError,
                        "deque mutated during iteration");
    }
    return item;
}

/* Find v in [start, stop).  Returns the index, -1 if absent, -2 on
 * error. */
static Py_ssize_t
deque_find(dequeobject *d, PyObject *v, Py_ssize_t start, Py_ssize_t stop)
{
    size_t state;
    Py_BEGIN_CRITICAL_SECTION(d);
    state = d->d_state;
    if (stop > d->d_len) {
        stop = d->d_len;
    }
    Py_END_CRITICAL_SECTION();
    for (Py_ssize_t i = start; i < stop; i++) {
        PyObject *item = deque_item_checked(d, i, state);
        if (item == NULL) {
            return -2;
        }
        int eq = PyObject_RichCompareBool(item, v, Py_EQ);
        Py_DECREF(item);
        if (eq < 0) {
            return -2;
        }
        if (eq) {
            size_t now;
            Py_BEGIN_CRITICAL_SECTION(d);
            now = d->d_state;
            Py_END_CRITICAL_SECTION();
            if (now != state) {
                PyErr_SetString(PyExc_RuntimeError,
                                "deque mutated during iteration");
                return -2;
            }
            return i;
        }
    }
    return -1;
}

static PyObject *
deque_count(PyObject *self, PyObject *v)
{
    dequeobject *d = (dequeobject *)self;
    size_t state;
    Py_ssize_t n;
    Py_BEGIN_CRITICAL_SECTION(d);
    state = d->d_state;
    n = d->d_len;
    Py_END_CRITICAL_SECTION();
    Py_ssize_t count = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = deque_item_checked(d, i, state);
        if (item == NULL) {
            return NULL;
        }
        int eq = PyObject_RichCompareBool(item, v, Py_EQ);
        Py_DECREF(item);
        if (eq < 0) {
            return NULL;
        }
        count += eq;
    }
    size_t now;
    Py_BEGIN_CRITICAL_SECTION(d);
    now = d->d_state;
    Py_END_CRITICAL_SECTION();
    if (now != state) {
        PyErr_SetString(PyExc_RuntimeError, "deque mutated during iteration");
        return NULL;
    }
    return PyLong_FromSsize_t(count);
}

static int
deque_contains(PyObject *self, PyObject *v)
{
    Py_ssize_t i = deque_find((dequeobject *)self, v, 0, PY_SSIZE_T_MAX);
    return i == -2 ? -1 : i >= 0;
}

static Py_ssize_t
deque_length(PyObject *self)
{
    return _Py_atomic_load_ssize_relaxed(&((dequeobject *)self)->d_len);
}

/* Normalise a slice-style bound against len, as list.index does. */
static Py_ssize_t
deque_clamp(Py_ssize_t i, Py_ssize_t len)
{
    if (i < 0) {
        i += len;
        if (i < 0) {
            i = 0;
        }
    }
    return i > len ? len : i;
}

/* index(x[, start[, stop]]) */
static PyObject *
deque_index(PyObject *self, PyObject *args)
{
    PyObject *v;
    Py_ssize_t start = 0, stop = PY_SSIZE_T_MAX;
    if (!PyArg_ParseTuple(args, "O|O&O&:index", &v,
                          _PyEval_SliceIndex, &start,
                          _PyEval_SliceIndex, &stop)) {
        return NULL;
    }
    dequeobject *d = (dequeobject *)self;
    Py_ssize_t len = deque_length(self);
    start = deque_clamp(start, len);
    stop = deque_clamp(stop, len);
    Py_ssize_t i = deque_find(d, v, start, stop);
    if (i == -2) {
        return NULL;
    }
    if (i < 0) {
        PyErr_Format(PyExc_ValueError, "%R is not in deque", v);
        return NULL;
    }
    return PyLong_FromSsize_t(i);
}

/* Remove the item at position i, shifting the shorter side.  Locked by
 * caller; returns the removed (owned) reference. */
static PyObject *
deque_del_at(dequeobject *d, Py_ssize_t i)
{
    PyObject *item = DEQUE_SLOT(d, i);
    if (i < d->d_len / 2) {
        for (Py_ssize_t j = i; j > 0; j--) {
            DEQUE_SLOT(d, j) = DEQUE_SLOT(d, j - 1);
        }
        d->d_head = (d->d_head + 1) % d->d_cap;
    }
    else {
        for (Py_ssize_t j = i; j < d->d_len - 1; j++) {
            DEQUE_SLOT(d, j) = DEQUE_SLOT(d, j + 1);
        }
    }
    _Py_atomic_store_ssize_relaxed(&d->d_len, d->d_len - 1);
    d->d_state++;
    return item;
}

static PyObject *
deque_remove(PyObject *self, PyObject *v)
{
    dequeobject *d = (dequeobject *)self;
    size_t state;
    Py_BEGIN_CRITICAL_SECTION(d);
    state = d->d_state;
    Py_END_CRITICAL_SECTION();
    Py_ssize_t i = deque_find(d, v, 0, PY_SSIZE_T_MAX);
    if (i == -2) {
        return NULL;
    }
    if (i < 0) {
        PyErr_Format(PyExc_ValueError, "%R is not in deque", v);
        return NULL;
    }
    PyObject *item = NULL;
    Py_BEGIN_CRITICAL_SECTION(d);
    if (d->d_state == state && i < d->d_len) {
        item = deque_del_at(d, i);
    }
    Py_END_CRITICAL_SECTION();
    if (item == NULL) {
        PyErr_SetString(PyExc_IndexError, "deque mutated during remove().");
        return NULL;
    }
    Py_DECREF(item);
    Py_RETURN_NONE;
}

/* Rotate right by n (left if negative).  Locked by caller. */
static void
deque_rotate_impl(dequeobject *d, Py_ssize_t n)
{
    Py_ssize_t len = d->d_len;
    if (len <= 1) {
        return;
    }
    n %= len;
    if (n < 0) {
        n += len;
    }
    if (n == 0) {
        return;
    }
    if (len == d->d_cap) {
        d->d_head = (d->d_head + len - n) % d->d_cap;
    }
    else {
        for (Py_ssize_t k = 0; k < n; k++) {
            PyObject *last = DEQUE_SLOT(d, d->d_len - 1);
            d->d_head = (d->d_head + d->d_cap - 1) % d->d_cap;
            d->d_items[d->d_head] = last;
        }
    }
    d->d_state++;
}

static PyObject *
deque_rotate(PyObject *self, PyObject *args)
{
    Py_ssize_t n = 1;
    if (!PyArg_ParseTuple(args, "|n:rotate", &n)) {
        return NULL;
    }
    dequeobject *d = (dequeobject *)self;
    Py_BEGIN_CRITICAL_SECTION(d);
    deque_rotate_impl(d, n);
    Py_END_CRITICAL_SECTION();
    Py_RETURN_NONE;
}

static PyObject *
deque_reverse(PyObject *self, PyObject *unused)
{
    dequeobject *d = (dequeobject *)self;
    Py_BEGIN_CRITICAL_SECTION(d);
    for (Py_ssize_t i = 0, j = d->d_len - 1; i < j; i++, j--) {
        PyObject *t = DEQUE_SLOT(d, i);
        DEQUE_SLOT(d, i) = DEQUE_SLOT(d, j);
        DEQUE_SLOT(d, j) = t;
    }
    d->d_state++;
    Py_END_CRITICAL_SECTION();
    Py_RETURN_NONE;
}

/* insert(i, x) */
static PyObject *
deque_insert(PyObject *self, PyObject *args)
{
    Py_ssize_t i;
    PyObject *v;
    if (!PyArg_ParseTuple(args, "nO:insert", &i, &v)) {
        return NULL;
    }
    dequeobject *d = (dequeobject *)self;
    int full = 0, rc = 0;
    Py_BEGIN_CRITICAL_SECTION(d);
    if (d->d_maxlen >= 0 && d->d_len >= d->d_maxlen) {
        full = 1;
    }
    else {
        i = deque_clamp(i, d->d_len);
        rc = deque_grow(d);
        if (rc == 0) {
            _Py_atomic_store_ssize_relaxed(&d->d_len, d->d_len + 1);
            for (Py_ssize_t j = d->d_len - 1; j > i; j--) {
                DEQUE_SLOT(d, j) = DEQUE_SLOT(d, j - 1);
            }
            DEQUE_SLOT(d, i) = Py_NewRef(v);
            d->d_state++;
        }
    }
    Py_END_CRITICAL_SECTION();
    if (full) {
        PyErr_SetString(PyExc_IndexError,
                        "deque already at its maximum size");
        return NULL;
    }
    if (rc < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
deque_item(PyObject *self, Py_ssize_t i)
{
    dequeobject *d = (dequeobject *)self;
    PyObject *item = NULL;
    Py_BEGIN_CRITICAL_SECTION(d);
    if (i >= 0 && i < d->d_len) {
        item = Py_NewRef(DEQUE_SLOT(d, i));
    }
    Py_END_CRITICAL_SECTION();
    if (item == NULL) {
        PyErr_SetString(PyExc_IndexError, "deque index out of range");
    }
    return item;
}

static int
deque_ass_item(PyObject *self, Py_ssize_t i, PyObject *v)
{
    dequeobject *d = (dequeobject *)self;
    PyObject *old = NULL;
    int ok = 0;
    Py_BEGIN_CRITICAL_SECTION(d);
    if (i >= 0 && i < d->d_len) {
        ok = 1;
        if (v == NULL) {
            old = deque_del_at(d, i);
        }
        else {
            old = DEQUE_SLOT(d, i);
            DEQUE_SLOT(d, i) = Py_NewRef(v);
        }
    }
    Py_END_CRITICAL_SECTION();
    if (!ok) {
        PyErr_SetString(PyExc_IndexError, "deque index out of range");
        return -1;
    }
    Py_XDECREF(old);
    return 0;
}

static PyObject *
deque_subscript(PyObject *self, PyObject *key)
{
    if (!PyIndex_Check(key)) {
        PyErr_Format(PyExc_TypeError,
                     "sequence index must be integer, not '%.200s'",
                     Py_TYPE(key)->tp_name);
        return NULL;
    }
    Py_ssize_t i = PyNumber_AsSsize_t(key, PyExc_IndexError);
    if (i == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (i < 0) {
        i += deque_length(self);
    }
    return deque_item(self, i);
}

static int
deque_ass_subscript(PyObject *self, PyObject *key, PyObject *v)
{
    if (!PyIndex_Check(key)) {
        PyErr_Format(PyExc_TypeError,
                     "sequence index must be integer, not '%.200s'",
                     Py_TYPE(key)->tp_name);
        return -1;
    }
    Py_ssize_t i = PyNumber_AsSsize_t(key, PyExc_IndexError);
    if (i == -1 && PyErr_Occurred()) {
        return -1;
    }
    if (i < 0) {
        i += deque_length(self);
    }
    return deque_ass_item(self, i, v);
}

/* repr: deque([...]) or deque([...], maxlen=n), recursion-safe. */
static PyObject *
deque_repr(PyObject *self)
{
    dequeobject *d = (dequeobject *)self;
    int rc = Py_ReprEnter(self);
    if (rc != 0) {
        return rc > 0 ? PyUnicode_FromString("[...]") : NULL;
    }
    PyObject *list = deque_to_list(d);
    PyObject *res = NULL;
    if (list != NULL) {
        if (d->d_maxlen >= 0) {
            res = PyUnicode_FromFormat("%s(%R, maxlen=%zd)",
                                       _PyType_Name(Py_TYPE(self)), list,
                                       d->d_maxlen);
        }
        else {
            res = PyUnicode_FromFormat("%s(%R)", _PyType_Name(Py_TYPE(self)),
                                       list);
        }
        Py_DECREF(list);
    }
    Py_ReprLeave(self);
    return res;
}

/* Comparisons: element-wise, via list snapshots of both deques. */
static PyObject *
deque_richcompare(PyObject *v, PyObject *w, int op)
{
    if (!PyObject_TypeCheck(v, &deque_type) ||
        !PyObject_TypeCheck(w, &deque_type)) {
        Py_RETURN_NOTIMPLEMENTED;
    }
    PyObject *a = deque_to_list((dequeobject *)v);
    if (a == NULL) {
        return NULL;
    }
    PyObject *b = deque_to_list((dequeobject *)w);
    if (b == NULL) {
        Py_DECREF(a);
        return NULL;
    }
    PyObject *res = PyObject_RichCompare(a, b, op);
    Py_DECREF(a);
    Py_DECREF(b);
    return res;
}

static int
deque_init(PyObject *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"iterable", "maxlen", NULL};
    PyObject *iterable = NULL, *maxlenobj = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|OO:deque", kwlist,
                                     &iterable, &maxlenobj)) {
        return -1;
    }
    Py_ssize_t maxlen = -1;
    if (maxlenobj != NULL && maxlenobj != Py_None) {
        maxlen = PyLong_AsSsize_t(maxlenobj);
        if (maxlen == -1 && PyErr_Occurred()) {
            return -1;
        }
        if (maxlen < 0) {
            PyErr_SetString(PyExc_ValueError,
                            "maxlen must be non-negative");
            return -1;
        }
    }
    dequeobject *d = (dequeobject *)self;
    Py_BEGIN_CRITICAL_SECTION(d);
    d->d_maxlen = maxlen;
    Py_END_CRITICAL_SECTION();
    if (deque_length(self) > 0) {
        deque_clear_impl(d);
    }
    if (iterable != NULL) {
        return deque_extend_side(d, iterable, 0);
    }
    return 0;
}

static PyObject *
deque_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    dequeobject *d = (dequeobject *)type->tp_alloc(type, 0);
    if (d != NULL) {
        d->d_maxlen = -1;
    }
    return (PyObject *)d;
}

static void
deque_dealloc(PyObject *self)
{
    dequeobject *d = (dequeobject *)self;
    PyObject_GC_UnTrack(self);
    PyObject_ClearWeakRefs(self);
    deque_clear_impl(d);
    Py_TYPE(self)->tp_free(self);
}

static int
deque_traverse(PyObject *self, visitproc visit, void *arg)
{
    dequeobject *d = (dequeobject *)self;
    for (Py_ssize_t i = 0; i < d->d_len; i++) {
        Py_VISIT(DEQUE_SLOT(d, i));
    }
    return 0;
}

static int
deque_tp_clear(PyObject *self)
{
    return deque_clear_impl((dequeobject *)self);
}

static PyObject *
deque_get_maxlen(PyObject *self, void *unused)
{
    dequeobject *d = (dequeobject *)self;
    if (d->d_maxlen < 0) {
        Py_RETURN_NONE;
    }
    return PyLong_FromSsize_t(d->d_maxlen);
}

/* d + other: a new deque; other must be a deque. */
static PyObject *
deque_concat(PyObject *self, PyObject *other)
{
    if (!PyObject_TypeCheck(other, &deque_type)) {
        PyErr_Format(PyExc_TypeError,
                     "can only concatenate deque (not \"%.200s\") to deque",
                     Py_TYPE(other)->tp_name);
        return NULL;
    }
    PyObject *res = deque_copy(self, NULL);
    if (res == NULL) {
        return NULL;
    }
    if (deque_extend_side((dequeobject *)res, other, 0) < 0) {
        Py_DECREF(res);
        return NULL;
    }
    return res;
}

/* d *= n, in place. */
static PyObject *
deque_inplace_repeat(PyObject *self, Py_ssize_t n)
{
    dequeobject *d = (dequeobject *)self;
    PyObject *list = deque_to_list(d);
    if (list == NULL) {
        return NULL;
    }
    deque_clear_impl(d);
    for (Py_ssize_t k = 0; k < n; k++) {
        if (deque_extend_side(d, list, 0) < 0) {
            Py_DECREF(list);
            return NULL;
        }
    }
    Py_DECREF(list);
    return Py_NewRef(self);
}

static PyObject *
deque_repeat(PyObject *self, Py_ssize_t n)
{
    PyObject *res = deque_copy(self, NULL);
    if (res == NULL) {
        return NULL;
    }
    PyObject *r = deque_inplace_repeat(res, n);
    Py_DECREF(res);
    return r;
}

static PyObject *
deque_inplace_concat(PyObject *self, PyObject *other)
{
    if (deque_extend_side((dequeobject *)self, other, 0) < 0) {
        return NULL;
    }
    return Py_NewRef(self);
}

/* ---- iterators ---- */

typedef struct {
    PyObject_HEAD
    dequeobject *deque;     /* owned */
    Py_ssize_t index;       /* next position from the iterator's end */
    size_t state;           /* deque state at creation */
    Py_ssize_t counter;     /* items left */
} dequeiterobject;

static PyTypeObject dequeiter_type;
static PyTypeObject dequereviter_type;

/* New iterator over d (borrowed) of the given type.  New reference. */
static PyObject *
dequeiter_make(PyTypeObject *type, dequeobject *d)
{
    dequeiterobject *it = PyObject_GC_New(dequeiterobject, type);
    if (it == NULL) {
        return NULL;
    }
    it->deque = (dequeobject *)Py_NewRef(d);
    it->index = 0;
    Py_BEGIN_CRITICAL_SECTION(d);
    it->state = d->d_state;
    it->counter = d->d_len;
    Py_END_CRITICAL_SECTION();
    PyObject_GC_Track(it);
    return (PyObject *)it;
}

static PyObject *
deque_iter(PyObject *self)
{
    return dequeiter_make(&dequeiter_type, (dequeobject *)self);
}

static PyObject *
deque_reversed(PyObject *self, PyObject *unused)
{
    return dequeiter_make(&dequereviter_type, (dequeobject *)self);
}

static void
dequeiter_dealloc(PyObject *self)
{
    PyObject_GC_UnTrack(self);
    Py_XDECREF(((dequeiterobject *)self)->deque);
    PyObject_GC_Del(self);
}

static int
dequeiter_traverse(PyObject *self, visitproc visit, void *arg)
{
    Py_VISIT(((dequeiterobject *)self)->deque);
    return 0;
}

/* Shared step for both directions.  New reference or NULL. */
static PyObject *
dequeiter_step(dequeiterobject *it, int reverse)
{
    dequeobject *d = it->deque;
    PyObject *item = NULL;
    int mutated = 0;
    Py_BEGIN_CRITICAL_SECTION2(d, it);
    if (d->d_state != it->state) {
        mutated = 1;
        it->counter = 0;
    }
    else if (it->counter > 0 && it->index < d->d_len) {
        Py_ssize_t pos = reverse ? d->d_len - 1 - it->index : it->index;
        item = Py_NewRef(DEQUE_SLOT(d, pos));
        it->index++;
        it->counter--;
    }
    Py_END_CRITICAL_SECTION2();
    if (mutated) {
        PyErr_SetString(PyExc_RuntimeError, "deque mutated during iteration");
    }
    return item;
}

static PyObject *
dequeiter_next(PyObject *self)
{
    return dequeiter_step((dequeiterobject *)self, 0);
}

static PyObject *
dequereviter_next(PyObject *self)
{
    return dequeiter_step((dequeiterobject *)self, 1);
}

static PyObject *
dequeiter_len(PyObject *self, PyObject *unused)
{
    return PyLong_FromSsize_t(((dequeiterobject *)self)->counter);
}

static PyMethodDef dequeiter_methods[] = {
    {"__length_hint__", dequeiter_len, METH_NOARGS, NULL},
    {NULL}
};

static PyTypeObject dequeiter_type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "_collections._deque_iterator",
    .tp_basicsize = sizeof(dequeiterobject),
    .tp_dealloc = dequeiter_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_traverse = dequeiter_traverse,
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = dequeiter_next,
    .tp_methods = dequeiter_methods,
    .tp_free = PyObject_GC_Del,
};

static PyTypeObject dequereviter_type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "_collections._deque_reverse_iterator",
    .tp_basicsize = sizeof(dequeiterobject),
    .tp_dealloc = dequeiter_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_traverse = dequeiter_traverse,
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = dequereviter_next,
    .tp_methods = dequeiter_methods,
    .tp_free = PyObject_GC_Del,
};

static PyObject *
deque_class_getitem(PyObject *cls, PyObject *arg)
{
    /* Py_GenericAlias is not available yet. */
    return Py_NewRef(cls);
}

static PyMethodDef deque_methods[] = {
    {"__class_getitem__", Py_GenericAlias, METH_O | METH_CLASS,
     "See PEP 585"},
    {"append", deque_append, METH_O, NULL},
    {"appendleft", deque_appendleft, METH_O, NULL},
    {"clear", deque_clearmethod, METH_NOARGS, NULL},
    {"copy", deque_copy, METH_NOARGS, NULL},
    {"__copy__", deque_copy, METH_NOARGS, NULL},
    {"count", deque_count, METH_O, NULL},
    {"extend", deque_extend, METH_O, NULL},
    {"extendleft", deque_extendleft, METH_O, NULL},
    {"index", deque_index, METH_VARARGS, NULL},
    {"insert", deque_insert, METH_VARARGS, NULL},
    {"pop", deque_pop, METH_NOARGS, NULL},
    {"popleft", deque_popleft, METH_NOARGS, NULL},
    {"remove", deque_remove, METH_O, NULL},
    {"reverse", deque_reverse, METH_NOARGS, NULL},
    {"rotate", deque_rotate, METH_VARARGS, NULL},
    {"__reversed__", deque_reversed, METH_NOARGS, NULL},
    {"__class_getitem__", deque_class_getitem, METH_O | METH_CLASS, NULL},
    {NULL}
};

static PyGetSetDef deque_getset[] = {
    {"maxlen", deque_get_maxlen, NULL, NULL, NULL},
    {NULL}
};

static PySequenceMethods deque_as_sequence = {
    .sq_length = deque_length,
    .sq_concat = deque_concat,
    .sq_repeat = deque_repeat,
    .sq_item = deque_item,
    .sq_ass_item = deque_ass_item,
    .sq_contains = deque_contains,
    .sq_inplace_concat = deque_inplace_concat,
    .sq_inplace_repeat = deque_inplace_repeat,
};

static PyMappingMethods deque_as_mapping = {
    .mp_length = deque_length,
    .mp_subscript = deque_subscript,
    .mp_ass_subscript = deque_ass_subscript,
};

static PyTypeObject deque_type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "collections.deque",
    .tp_basicsize = sizeof(dequeobject),
    .tp_dealloc = deque_dealloc,
    .tp_repr = deque_repr,
    .tp_as_sequence = &deque_as_sequence,
    .tp_as_mapping = &deque_as_mapping,
    .tp_hash = PyObject_HashNotImplemented,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_BASETYPE
                | Py_TPFLAGS_SEQUENCE,
    .tp_traverse = deque_traverse,
    .tp_clear = deque_tp_clear,
    .tp_richcompare = deque_richcompare,
    .tp_weaklistoffset = offsetof(dequeobject, d_weakreflist),
    .tp_iter = deque_iter,
    .tp_methods = deque_methods,
    .tp_getset = deque_getset,
    .tp_init = deque_init,
    .tp_alloc = PyType_GenericAlloc,
    .tp_new = deque_new,
    .tp_free = PyObject_GC_Del,
};

/* ---- defaultdict ----
 *
 * A dict subclass with one extra slot.  The dict part does its own
 * locking.  __missing__ stores with PyObject_SetItem as CPython 3.11
 * does (so subclass __setitem__ runs): two threads missing the same key
 * may each call the factory and the last store wins, which is safe.  default_factory is a plain member: replacing it
 * while another thread reads it is the caller's race, as in CPython. */

typedef struct {
    PyDictObject dict;
    PyObject *default_factory;  /* owned, NULL means None */
} defdictobject;

static PyTypeObject defdict_type;

static PyObject *
defdict_missing(PyObject *self, PyObject *key)
{
    PyObject *factory = ((defdictobject *)self)->default_factory;
    if (factory == NULL || factory == Py_None) {
        PyObject *tup = PyTuple_Pack(1, key);
        if (tup != NULL) {
            PyErr_SetObject(PyExc_KeyError, tup);
            Py_DECREF(tup);
        }
        return NULL;
    }
    factory = Py_NewRef(factory);
    PyObject *value = PyObject_CallNoArgs(factory);
    Py_DECREF(factory);
    if (value == NULL) {
        return NULL;
    }
    if (PyObject_SetItem(self, key, value) < 0) {
        Py_DECREF(value);
        return NULL;
    }
    return value;
}

/* type(self)(self.default_factory, self).  New reference. */
static PyObject *
defdict_copy(PyObject *self, PyObject *unused)
{
    PyObject *factory = ((defdictobject *)self)->default_factory;
    return PyObject_CallFunctionObjArgs((PyObject *)Py_TYPE(self),
                                        factory ? factory : Py_None,
                                        self, NULL);
}

/* (type, (factory,), None, None, iter(items)) for copy and pickle. */
static PyObject *
defdict_reduce(PyObject *self, PyObject *unused)
{
    PyObject *factory = ((defdictobject *)self)->default_factory;
    PyObject *args = factory && factory != Py_None
                     ? PyTuple_Pack(1, factory) : PyTuple_New(0);
    if (args == NULL) {
        return NULL;
    }
    PyObject *items = PyObject_CallMethod(self, "items", NULL);
    PyObject *it = items ? PyObject_GetIter(items) : NULL;
    Py_XDECREF(items);
    if (it == NULL) {
        Py_DECREF(args);
        return NULL;
    }
    PyObject *res = PyTuple_Pack(5, (PyObject *)Py_TYPE(self), args,
                                 Py_None, Py_None, it);
    Py_DECREF(args);
    Py_DECREF(it);
    return res;
}

static PyObject *
defdict_repr(PyObject *self)
{
    PyObject *base = PyDict_Type.tp_repr(self);
    if (base == NULL) {
        return NULL;
    }
    PyObject *factory = ((defdictobject *)self)->default_factory;
    PyObject *frepr;
    if (factory == NULL) {
        frepr = PyUnicode_FromString("None");
    }
    else {
        int rc = Py_ReprEnter(factory);
        if (rc != 0) {
            frepr = rc > 0 ? PyUnicode_FromString("...") : NULL;
        }
        else {
            frepr = PyObject_Repr(factory);
            Py_ReprLeave(factory);
        }
    }
    PyObject *res = NULL;
    if (frepr != NULL) {
        res = PyUnicode_FromFormat("%s(%U, %U)", _PyType_Name(Py_TYPE(self)),
                                   frepr, base);
        Py_DECREF(frepr);
    }
    Py_DECREF(base);
    return res;
}

static int
defdict_init(PyObject *self, PyObject *args, PyObject *kwds)
{
    defdictobject *dd = (defdictobject *)self;
    PyObject *factory = NULL;
    Py_ssize_t n = PyTuple_GET_SIZE(args);
    if (n > 0) {
        factory = PyTuple_GET_ITEM(args, 0);
        if (factory != Py_None && !PyCallable_Check(factory)) {
            PyErr_SetString(PyExc_TypeError,
                            "first argument must be callable or None");
            return -1;
        }
    }
    PyObject *rest = PyTuple_GetSlice(args, n > 0 ? 1 : 0, n);
    if (rest == NULL) {
        return -1;
    }
    Py_XSETREF(dd->default_factory, Py_XNewRef(factory));
    int rc = PyDict_Type.tp_init(self, rest, kwds);
    Py_DECREF(rest);
    return rc;
}

static void
defdict_dealloc(PyObject *self)
{
    Py_CLEAR(((defdictobject *)self)->default_factory);
    PyDict_Type.tp_dealloc(self);
}

static int
defdict_traverse(PyObject *self, visitproc visit, void *arg)
{
    Py_VISIT(((defdictobject *)self)->default_factory);
    return PyDict_Type.tp_traverse(self, visit, arg);
}

static int
defdict_tp_clear(PyObject *self)
{
    Py_CLEAR(((defdictobject *)self)->default_factory);
    return PyDict_Type.tp_clear ? PyDict_Type.tp_clear(self) : 0;
}

static PyMethodDef defdict_methods[] = {
    {"__class_getitem__", Py_GenericAlias, METH_O | METH_CLASS,
     "See PEP 585"},
    {"__missing__", defdict_missing, METH_O, NULL},
    {"copy", defdict_copy, METH_NOARGS, NULL},
    {"__copy__", defdict_copy, METH_NOARGS, NULL},
    {"__reduce__", defdict_reduce, METH_NOARGS, NULL},
    {"__class_getitem__", deque_class_getitem, METH_O | METH_CLASS, NULL},
    {NULL}
};

static PyMemberDef defdict_members[] = {
    {"default_factory", T_OBJECT, offsetof(defdictobject, default_factory),
     0, NULL},
    {NULL}
};

static PyTypeObject defdict_type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "collections.defaultdict",
    .tp_basicsize = sizeof(defdictobject),
    .tp_dealloc = defdict_dealloc,
    .tp_repr = defdict_repr,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_BASETYPE,
    .tp_traverse = defdict_traverse,
    .tp_clear = defdict_tp_clear,
    .tp_methods = defdict_methods,
    .tp_members = defdict_members,
    .tp_base = &PyDict_Type,
    .tp_init = defdict_init,
};

/* ---- _tuplegetter: namedtuple field descriptors ----
 * Immutable after creation except __doc__, which namedtuple sets once
 * while building the class; no locking. */

typedef struct {
    PyObject_HEAD
    Py_ssize_t index;
    PyObject *doc;      /* owned */
} tuplegetterobject;

static PyObject *
tuplegetter_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    Py_ssize_t index;
    PyObject *doc;
    if (kwds != NULL && PyDict_Check(kwds) && PyDict_GET_SIZE(kwds) != 0) {
        PyErr_SetString(PyExc_TypeError,
                        "_tuplegetter() takes no keyword arguments");
        return NULL;
    }
    if (!PyArg_ParseTuple(args, "nO:_tuplegetter", &index, &doc)) {
        return NULL;
    }
    tuplegetterobject *tg = (tuplegetterobject *)type->tp_alloc(type, 0);
    if (tg == NULL) {
        return NULL;
    }
    tg->index = index;
    tg->doc = Py_NewRef(doc);
    return (PyObject *)tg;
}

/* Instance access returns the tuple item; class access the descriptor. */
static PyObject *
tuplegetter_get(PyObject *self, PyObject *obj, PyObject *type)
{
    tuplegetterobject *tg = (tuplegetterobject *)self;
    if (obj == NULL || obj == Py_None) {
        return Py_NewRef(self);
    }
    if (!PyTuple_Check(obj)) {
        PyErr_Format(PyExc_TypeError,
                     "descriptor for index '%zd' for tuple subclasses "
                     "doesn't apply to '%s' object",
                     tg->index, Py_TYPE(obj)->tp_name);
        return NULL;
    }
    if (tg->index < 0 || tg->index >= PyTuple_GET_SIZE(obj)) {
        PyErr_SetString(PyExc_IndexError, "tuple index out of range");
        return NULL;
    }
    return Py_NewRef(PyTuple_GET_ITEM(obj, tg->index));
}

static int
tuplegetter_set(PyObject *self, PyObject *obj, PyObject *value)
{
    PyErr_SetString(PyExc_AttributeError, value == NULL
                    ? "can't delete attribute" : "can't set attribute");
    return -1;
}

static void
tuplegetter_dealloc(PyObject *self)
{
    PyObject_GC_UnTrack(self);
    Py_XDECREF(((tuplegetterobject *)self)->doc);
    Py_TYPE(self)->tp_free(self);
}

static int
tuplegetter_traverse(PyObject *self, visitproc visit, void *arg)
{
    Py_VISIT(((tuplegetterobject *)self)->doc);
    return 0;
}

static PyObject *
tuplegetter_reduce(PyObject *self, PyObject *unused)
{
    tuplegetterobject *tg = (tuplegetterobject *)self;
    return Py_BuildValue("(O(nO))", (PyObject *)Py_TYPE(self), tg->index,
                         tg->doc);
}

static PyMethodDef tuplegetter_methods[] = {
    {"__reduce__", tuplegetter_reduce, METH_NOARGS, NULL},
    {NULL}
};

static PyMemberDef tuplegetter_members[] = {
    {"__doc__", T_OBJECT, offsetof(tuplegetterobject, doc), 0, NULL},
    {NULL}
};

static PyTypeObject tuplegetter_type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "_collections._tuplegetter",
    .tp_basicsize = sizeof(tuplegetterobject),
    .tp_dealloc = tuplegetter_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_BASETYPE,
    .tp_traverse = tuplegetter_traverse,
    .tp_methods = tuplegetter_methods,
    .tp_members = tuplegetter_members,
    .tp_descr_get = tuplegetter_get,
    .tp_descr_set = tuplegetter_set,
    .tp_alloc = PyType_GenericAlloc,
    .tp_new = tuplegetter_new,
    .tp_free = PyObject_GC_Del,
};

/* _count_elements(mapping, iterable): mapping[x] = mapping.get(x, 0) + 1
 * for every x.  The mapping does its own locking. */
static PyObject *
collections_count_elements(PyObject *module, PyObject *args)
{
    PyObject *mapping, *iterable;
    if (!PyArg_UnpackTuple(args, "_count_elements", 2, 2, &mapping,
                           &iterable)) {
        return NULL;
    }
    PyObject *it = PyObject_GetIter(iterable);
    if (it == NULL) {
        return NULL;
    }
    PyObject *one = PyLong_FromLong(1);
    PyObject *zero = PyLong_FromLong(0);
    PyObject *item;
    int ok = one != NULL && zero != NULL;
    while (ok && (item = PyIter_Next(it)) != NULL) {
        PyObject *cur = PyObject_CallMethod(mapping, "get", "OO", item, zero);
        PyObject *nv = cur ? PyNumber_Add(cur, one) : NULL;
        Py_XDECREF(cur);
        if (nv == NULL || PyObject_SetItem(mapping, item, nv) < 0) {
            ok = 0;
        }
        Py_XDECREF(nv);
        Py_DECREF(item);
    }
    Py_DECREF(it);
    Py_XDECREF(one);
    Py_XDECREF(zero);
    if (!ok || PyErr_Occurred()) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyMethodDef collections_methods[] = {
    {"_count_elements", collections_count_elements, METH_VARARGS, NULL},
    {NULL}
};

static PyModuleDef collections_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_collections",
    .m_doc = "High performance data structures.",
    .m_size = 0,
    .m_methods = collections_methods,
};

/* Create the _collections module.  Returns a new reference. */
PyMODINIT_FUNC
PyInit__collections(void)
{
    PyTypeObject *types[] = {&deque_type, &dequeiter_type,
                             &dequereviter_type, &defdict_type,
                             &tuplegetter_type};
    PyObject *m = PyModule_Create(&collections_module);
    if (m == NULL) {
        return NULL;
    }
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        if (PyType_Ready(types[i]) < 0 || PyModule_AddType(m, types[i]) < 0) {
            Py_DECREF(m);
            return NULL;
        }
    }
    return m;
}
