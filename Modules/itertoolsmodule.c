/* The itertools module: iterator building blocks.
 *
 * Thread safety (ARCHITECTURE sections 6 and 10): every iterator here
 * keeps its state in its own struct and changes it only inside a
 * critical section on the iterator.  The section is released whenever
 * the thread detaches (for instance while a called iterator runs Python
 * code), so a shared iterator may hand the same item to two threads or
 * skip one, but every pointer it reads is owned and every slot it
 * replaces is swapped under the lock, so it never crashes or leaks.
 * Type objects are static and immortal; the module has no mutable C
 * state. */
#include "Python.h"
#include "pycore_critical_section.h"

/* ------------------------------------------------------------------ */
/* Shared helpers                                                      */

/* Reject keyword arguments for a type whose constructor takes none.
 * kwds is borrowed.  Returns 0 if ok, -1 with TypeError set. */
static int
itertools_nokw(const char *name, PyObject *kwds)
{
    if (kwds != NULL && PyDict_Check(kwds) && PyDict_GET_SIZE(kwds) != 0) {
        PyErr_Format(PyExc_TypeError, "%s() takes no keyword arguments",
                     name);
        return -1;
    }
    return 0;
}

/* Generic dealloc + traverse helpers use a per-type list of object
 * fields; each iterator below writes its own for clarity. */

/* ------------------------------------------------------------------ */
/* count(start=0, step=1)                                              */

typedef struct {
    PyObject_HEAD
    PyObject *cnt;      /* current value (owned) */
    PyObject *step;     /* owned */
} countobject;

static PyTypeObject count_type;

/* Build a count iterator.  Returns a new reference. */
static PyObject *
count_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"start", "step", NULL};
    PyObject *start = NULL, *step = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|OO:count", kwlist,
                                     &start, &step)) {
        return NULL;
    }
    if ((start != NULL && !PyNumber_Check(start)) ||
        (step != NULL && !PyNumber_Check(step))) {
        PyErr_SetString(PyExc_TypeError, "a number is required");
        return NULL;
    }
    countobject *lz = (countobject *)type->tp_alloc(type, 0);
    if (lz == NULL) {
        return NULL;
    }
    lz->cnt = start ? Py_NewRef(start) : PyLong_FromLong(0);
    lz->step = step ? Py_NewRef(step) : PyLong_FromLong(1);
    if (lz->cnt == NULL || lz->step == NULL) {
        Py_DECREF(lz);
        return NULL;
    }
    return (PyObject *)lz;
}

static void
count_dealloc(PyObject *self)
{
    countobject *lz = (countobject *)self;
    PyObject_GC_UnTrack(self);
    Py_XDECREF(lz->cnt);
    Py_XDECREF(lz->step);
    Py_TYPE(self)->tp_free(self);
}

static int
count_traverse(PyObject *self, visitproc visit, void *arg)
{
    Py_VISIT(((countobject *)self)->cnt);
    Py_VISIT(((countobject *)self)->step);
    return 0;
}

/* Return the current value and advance by step.  New reference. */
static PyObject *
count_next(PyObject *self)
{
    countobject *lz = (countobject *)self;
    PyObject *res, *next;
    Py_BEGIN_CRITICAL_SECTION(lz);
    res = Py_NewRef(lz->cnt);
    next = PyNumber_Add(res, lz->step);
    if (next == NULL) {
        Py_CLEAR(res);
    }
    else {
        Py_SETREF(lz->cnt, next);
    }
    Py_END_CRITICAL_SECTION();
    return res;
}

/* repr: count(5) or count(5, 2); step 1 (int) is omitted.  New ref. */
static PyObject *
count_repr(PyObject *self)
{
    countobject *lz = (countobject *)self;
    PyObject *cnt, *step, *res;
    Py_BEGIN_CRITICAL_SECTION(lz);
    cnt = Py_NewRef(lz->cnt);
    step = Py_NewRef(lz->step);
    Py_END_CRITICAL_SECTION();
    int plain = 0;
    if (PyLong_CheckExact(step)) {
        int overflow = 0;
        long v = PyLong_AsLongAndOverflow(step, &overflow);
        plain = (v == 1 && !overflow);
    }
    if (plain) {
        res = PyUnicode_FromFormat("%s(%R)", _PyType_Name(Py_TYPE(self)),
                                   cnt);
    }
    else {
        res = PyUnicode_FromFormat("%s(%R, %R)",
                                   _PyType_Name(Py_TYPE(self)), cnt, step);
    }
    Py_DECREF(cnt);
    Py_DECREF(step);
    return res;
}

static PyTypeObject count_type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "itertools.count",
    .tp_basicsize = sizeof(countobject),
    .tp_dealloc = count_dealloc,
    .tp_repr = count_repr,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_BASETYPE,
    .tp_traverse = count_traverse,
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = count_next,
    .tp_alloc = PyType_GenericAlloc,
    .tp_new = count_new,
    .tp_free = PyObject_GC_Del,
};

/* ------------------------------------------------------------------ */
/* repeat(object[, times])                                             */

typedef struct {
    PyObject_HEAD
    PyObject *element;  /* owned */
    Py_ssize_t cnt;     /* remaining; -1 = forever */
} repeatobject;

/* Build a repeat iterator.  New reference. */
static PyObject *
repeat_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"object", "times", NULL};
    PyObject *element;
    Py_ssize_t cnt = -1;
    Py_ssize_t n_args = PyTuple_GET_SIZE(args);
    if (kwds != NULL && PyDict_Check(kwds)) {
        n_args += PyDict_GET_SIZE(kwds);
    }
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O|n:repeat", kwlist,
                                     &element, &cnt)) {
        return NULL;
    }
    /* A negative count means zero repetitions, not forever. */
    if (n_args == 2 && cnt < 0) {
        cnt = 0;
    }
    repeatobject *ro = (repeatobject *)type->tp_alloc(type, 0);
    if (ro == NULL) {
        return NULL;
    }
    ro->element = Py_NewRef(element);
    ro->cnt = cnt;
    return (PyObject *)ro;
}

static void
repeat_dealloc(PyObject *self)
{
    PyObject_GC_UnTrack(self);
    Py_XDECREF(((repeatobject *)self)->element);
    Py_TYPE(self)->tp_free(self);
}

static int
repeat_traverse(PyObject *self, visitproc visit, void *arg)
{
    Py_VISIT(((repeatobject *)self)->element);
    return 0;
}

/* Next repetition or NULL (no exception) when exhausted.  New ref. */
static PyObject *
repeat_next(PyObject *self)
{
    repeatobject *ro = (repeatobject *)self;
    PyObject *res = NULL;
    Py_BEGIN_CRITICAL_SECTION(ro);
    if (ro->cnt != 0) {
        if (ro->cnt > 0) {
            ro->cnt--;
        }
        res = Py_NewRef(ro->element);
    }
    Py_END_CRITICAL_SECTION();
    return res;
}

/* repeat(x) or repeat(x, n).  New reference. */
static PyObject *
repeat_repr(PyObject *self)
{
    repeatobject *ro = (repeatobject *)self;
    Py_ssize_t cnt = ro->cnt;
    if (cnt == -1) {
        return PyUnicode_FromFormat("%s(%R)", _PyType_Name(Py_TYPE(self)),
                                    ro->element);
    }
    return PyUnicode_FromFormat("%s(%R, %zd)", _PyType_Name(Py_TYPE(self)),
                                ro->element, cnt);
}

/* __length_hint__: remaining count; TypeError when infinite. */
static PyObject *
repeat_len(PyObject *self, PyObject *unused)
{
    repeatobject *ro = (repeatobject *)self;
    if (ro->cnt == -1) {
        PyErr_SetString(PyExc_TypeError, "len() of unsized object");
        return NULL;
    }
    return PyLong_FromSsize_t(ro->cnt);
}

static PyMethodDef repeat_methods[] = {
    {"__length_hint__", repeat_len, METH_NOARGS, NULL},
    {NULL}
};

static PyTypeObject repeat_type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "itertools.repeat",
    .tp_basicsize = sizeof(repeatobject),
    .tp_dealloc = repeat_dealloc,
    .tp_repr = repeat_repr,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_BASETYPE,
    .tp_traverse = repeat_traverse,
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = repeat_next,
    .tp_methods = repeat_methods,
    .tp_alloc = PyType_GenericAlloc,
    .tp_new = repeat_new,
    .tp_free = PyObject_GC_Del,
};

/* ------------------------------------------------------------------ */
/* Iterators with one or two owned object slots share layout helpers.  */

typedef struct {
    PyObject_HEAD
    PyObject *a;        /* owned, may be NULL (exhausted) */
    PyObject *b;        /* owned, may be NULL */
    PyObject *c;        /* owned, may be NULL */
    Py_ssize_t n1;
    Py_ssize_t n2;
    Py_ssize_t n3;
} genericiter;

static void
generic_dealloc(PyObject *self)
{
    genericiter *g = (genericiter *)self;
    PyObject_GC_UnTrack(self);
    Py_XDECREF(g->a);
    Py_XDECREF(g->b);
    Py_XDECREF(g->c);
    Py_TYPE(self)->tp_free(self);
}

static int
generic_traverse(PyObject *self, visitproc visit, void *arg)
{
    genericiter *g = (genericiter *)self;
    Py_VISIT(g->a);
    Py_VISIT(g->b);
    Py_VISIT(g->c);
    return 0;
}

/* Allocate an iterator of `type` owning new references to a, b, c
 * (each may be NULL; the references are stolen). Returns new ref or
 * NULL, releasing the stolen references on failure. */
static PyObject *
generic_make(PyTypeObject *type, PyObject *a, PyObject *b, PyObject *c)
{
    genericiter *g = (genericiter *)type->tp_alloc(type, 0);
    if (g == NULL) {
        Py_XDECREF(a);
        Py_XDECREF(b);
        Py_XDECREF(c);
        return NULL;
    }
    g->a = a;
    g->b = b;
    g->c = c;
    return (PyObject *)g;
}

/* Take a strong reference to slot *slot under the object's lock, so a
 * concurrent clear cannot free it under us.  Returns new ref or NULL. */
static PyObject *
generic_load(genericiter *g, PyObject **slot)
{
    PyObject *res;
    Py_BEGIN_CRITICAL_SECTION(g);
    res = Py_XNewRef(*slot);
    Py_END_CRITICAL_SECTION();
    return res;
}

/* Drop slot *slot under the object's lock (marks exhaustion). */
static void
generic_clear(genericiter *g, PyObject **slot)
{
    PyObject *old;
    Py_BEGIN_CRITICAL_SECTION(g);
    old = *slot;
    *slot = NULL;
    Py_END_CRITICAL_SECTION();
    Py_XDECREF(old);
}

#define GENERIC_TYPE(cname, pyname, nextfn, newfn) \
    static PyTypeObject cname = { \
        PyVarObject_HEAD_INIT(&PyType_Type, 0) \
        .tp_name = "itertools." pyname, \
        .tp_basicsize = sizeof(genericiter), \
        .tp_dealloc = generic_dealloc, \
        .tp_getattro = PyObject_GenericGetAttr, \
        .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC \
                    | Py_TPFLAGS_BASETYPE, \
        .tp_traverse = generic_traverse, \
        .tp_iter = PyObject_SelfIter, \
        .tp_iternext = nextfn, \
        .tp_alloc = PyType_GenericAlloc, \
        .tp_new = newfn, \
        .tp_free = PyObject_GC_Del, \
    }

/* Call next on a borrowed-or-owned iterator; NULL at end without
 * exception (StopIteration cleared) or with an exception. */
static PyObject *
iter_next(PyObject *it)
{
    return PyIter_Next(it);
}

/* ------------------------------------------------------------------ */
/* chain(*iterables), chain.from_iterable(iterable)                    */
/* a = iterator over the iterables (source), b = current iterator.     */

static PyTypeObject chain_type;

static PyObject *
chain_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    if (type == &chain_type && itertools_nokw("chain", kwds) < 0) {
        return NULL;
    }
    PyObject *source = PyObject_GetIter(args);
    if (source == NULL) {
        return NULL;
    }
    return generic_make(type, source, NULL, NULL);
}

/* chain.from_iterable(iterable): classmethod.  New reference. */
static PyObject *
chain_from_iterable(PyObject *type, PyObject *arg)
{
    PyObject *source = PyObject_GetIter(arg);
    if (source == NULL) {
        return NULL;
    }
    return generic_make((PyTypeObject *)type, source, NULL, NULL);
}

static PyObject *
chain_next(PyObject *self)
{
    genericiter *g = (genericiter *)self;
    for (;;) {
        PyObject *active = generic_load(g, &g->b);
        if (active == NULL) {
            PyObject *source = generic_load(g, &g->a);
            if (source == NULL) {
                return NULL;
            }
            PyObject *iterable = iter_next(source);
            if (iterable == NULL) {
                Py_DECREF(source);
                if (!PyErr_Occurred()) {
                    generic_clear(g, &g->a);
                }
                return NULL;
            }
            Py_DECREF(source);
            active = PyObject_GetIter(iterable);
            Py_DECREF(iterable);
            if (active == NULL) {
                return NULL;
            }
            PyObject *old;
            Py_BEGIN_CRITICAL_SECTION(g);
            old = g->b;
            g->b = Py_NewRef(active);
            Py_END_CRITICAL_SECTION();
            Py_XDECREF(old);
        }
        PyObject *item = iter_next(active);
        if (item != NULL || PyErr_Occurred()) {
            Py_DECREF(active);
            return item;
        }
        /* Current iterable exhausted: drop it if it is still current. */
        PyObject *old = NULL;
        Py_BEGIN_CRITICAL_SECTION(g);
        if (g->b == active) {
            old = g->b;
            g->b = NULL;
        }
        Py_END_CRITICAL_SECTION();
        Py_XDECREF(old);
        Py_DECREF(active);
    }
}

static PyObject *
itertools_class_getitem(PyObject *cls, PyObject *arg)
{
    /* Py_GenericAlias is not available yet: parameterising returns
     * the class itself, which is enough for annotations. */
    return Py_NewRef(cls);
}

static PyMethodDef chain_methods[] = {
    {"__class_getitem__", Py_GenericAlias, METH_O | METH_CLASS,
     "See PEP 585"},
    {"from_iterable", chain_from_iterable, METH_O | METH_CLASS, NULL},
    {"__class_getitem__", itertools_class_getitem, METH_O | METH_CLASS,
     NULL},
    {NULL}
};

static PyTypeObject chain_type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "itertools.chain",
    .tp_basicsize = sizeof(genericiter),
    .tp_dealloc = generic_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_BASETYPE,
    .tp_traverse = generic_traverse,
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = chain_next,
    .tp_methods = chain_methods,
    .tp_alloc = PyType_GenericAlloc,
    .tp_new = chain_new,
    .tp_free = PyObject_GC_Del,
};

/* ------------------------------------------------------------------ */
/* starmap(function, iterable): a = function, b = iterator.            */

static PyObject *
starmap_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *func, *seq;
    if (itertools_nokw("starmap", kwds) < 0 ||
        !PyArg_UnpackTuple(args, "starmap", 2, 2, &func, &seq)) {
        return NULL;
    }
    PyObject *it = PyObject_GetIter(seq);
    if (it == NULL) {
        return NULL;
    }
    return generic_make(type, Py_NewRef(func), it, NULL);
}

static PyObject *
starmap_next(PyObject *self)
{
    genericiter *g = (genericiter *)self;
    PyObject *args = iter_next(g->b);
    if (args == NULL) {
        return NULL;
    }
    if (!PyTuple_CheckExact(args)) {
        PyObject *t = PySequence_Tuple(args);
        Py_DECREF(args);
        if (t == NULL) {
            return NULL;
        }
        args = t;
    }
    PyObject *res = PyObject_Call(g->a, args, NULL);
    Py_DECREF(args);
    return res;
}

GENERIC_TYPE(starmap_type, "starmap", starmap_next, starmap_new);

/* ------------------------------------------------------------------ */
/* filterfalse / dropwhile / takewhile: a = predicate, b = iterator.   */
/* n1 is the state flag (dropwhile: done dropping; takewhile: stopped). */

/* Parse (predicate, iterable) for the three predicate iterators. */
static PyObject *
predicate_new(PyTypeObject *type, PyObject *args, PyObject *kwds,
              const char *name)
{
    PyObject *func, *seq;
    if (itertools_nokw(name, kwds) < 0 ||
        !PyArg_UnpackTuple(args, name, 2, 2, &func, &seq)) {
        return NULL;
    }
    PyObject *it = PyObject_GetIter(seq);
    if (it == NULL) {
        return NULL;
    }
    return generic_make(type, Py_NewRef(func), it, NULL);
}

/* Evaluate pred(item) (or bool(item) when pred is None).  Returns 1, 0
 * or -1 with an exception. */
static int
predicate_test(PyObject *pred, PyObject *item)
{
    if (pred == Py_None || pred == (PyObject *)&PyBool_Type) {
        return PyObject_IsTrue(item);
    }
    PyObject *r = PyObject_CallOneArg(pred, item);
    if (r == NULL) {
        return -1;
    }
    int ok = PyObject_IsTrue(r);
    Py_DECREF(r);
    return ok;
}

static PyObject *
filterfalse_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    return predicate_new(type, args, kwds, "filterfalse");
}

static PyObject *
filterfalse_next(PyObject *self)
{
    genericiter *g = (genericiter *)self;
    for (;;) {
        PyObject *item = iter_next(g->b);
        if (item == NULL) {
            return NULL;
        }
        int ok = predicate_test(g->a, item);
        if (ok == 0) {
            return item;
        }
        Py_DECREF(item);
        if (ok < 0) {
            return NULL;
        }
    }
}

GENERIC_TYPE(filterfalse_type, "filterfalse", filterfalse_next,
             filterfalse_new);

static PyObject *
dropwhile_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    return predicate_new(type, args, kwds, "dropwhile");
}

static PyObject *
dropwhile_next(PyObject *self)
{
    genericiter *g = (genericiter *)self;
    for (;;) {
        PyObject *item = iter_next(g->b);
        if (item == NULL) {
            return NULL;
        }
        if (_Py_atomic_load_ssize_relaxed(&g->n1)) {
            return item;
        }
        int ok = predicate_test(g->a, item);
        if (ok < 0) {
            Py_DECREF(item);
            return NULL;
        }
        if (ok == 0) {
            _Py_atomic_store_ssize_relaxed(&g->n1, 1);
            return item;
        }
        Py_DECREF(item);
    }
}

GENERIC_TYPE(dropwhile_type, "dropwhile", dropwhile_next, dropwhile_new);

static PyObject *
takewhile_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    return predicate_new(type, args, kwds, "takewhile");
}

static PyObject *
takewhile_next(PyObject *self)
{
    genericiter *g = (genericiter *)self;
    if (_Py_atomic_load_ssize_relaxed(&g->n1)) {
        return NULL;
    }
    PyObject *item = iter_next(g->b);
    if (item == NULL) {
        return NULL;
    }
    int ok = predicate_test(g->a, item);
    if (ok > 0) {
        return item;
    }
    Py_DECREF(item);
    if (ok == 0) {
        _Py_atomic_store_ssize_relaxed(&g->n1, 1);
    }
    return NULL;
}

GENERIC_TYPE(takewhile_type, "takewhile", takewhile_next, takewhile_new);

/* ------------------------------------------------------------------ */
/* compress(data, selectors): a = data iterator, b = selector iterator */

static PyObject *
compress_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"data", "selectors", NULL};
    PyObject *data, *sel;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OO:compress", kwlist,
                                     &data, &sel)) {
        return NULL;
    }
    PyObject *di = PyObject_GetIter(data);
    if (di == NULL) {
        return NULL;
    }
    PyObject *si = PyObject_GetIter(sel);
    if (si == NULL) {
        Py_DECREF(di);
        return NULL;
    }
    return generic_make(type, di, si, NULL);
}

static PyObject *
compress_next(PyObject *self)
{
    genericiter *g = (genericiter *)self;
    for (;;) {
        PyObject *datum = iter_next(g->a);
        if (datum == NULL) {
            return NULL;
        }
        PyObject *s = iter_next(g->b);
        if (s == NULL) {
            Py_DECREF(datum);
            return NULL;
        }
        int ok = PyObject_IsTrue(s);
        Py_DECREF(s);
        if (ok > 0) {
            return datum;
        }
        Py_DECREF(datum);
        if (ok < 0) {
            return NULL;
        }
    }
}

GENERIC_TYPE(compress_type, "compress", compress_next, compress_new);

/* ------------------------------------------------------------------ */
/* islice(iterable, stop) / islice(iterable, start, stop[, step])      */
/* a = iterator, n1 = next index to yield, n2 = stop (-1 none),        */
/* n3 = step; `cnt` consumed so far is tracked in c as a PyLong-free   */
/* counter stored in the low field below.                              */

typedef struct {
    PyObject_HEAD
    PyObject *it;       /* owned; NULL once exhausted */
    Py_ssize_t next;    /* index of next item to yield */
    Py_ssize_t stop;    /* -1 = no limit */
    Py_ssize_t step;
    Py_ssize_t cnt;     /* items consumed from it */
} isliceobject;

/* Convert an islice index argument (None or int >= 0).  Returns 0 ok,
 * -1 with ValueError in CPython's words. */
static int
islice_index(PyObject *o, Py_ssize_t *out, Py_ssize_t dflt,
             const char *msg)
{
    if (o == Py_None) {
        *out = dflt;
        return 0;
    }
    if (PyIndex_Check(o)) {
        Py_ssize_t v = PyNumber_AsSsize_t(o, PyExc_OverflowError);
        if (v == -1 && PyErr_Occurred()) {
            PyErr_Clear();
        }
        else if (v >= 0) {
            *out = v;
            return 0;
        }
        else {
            PyErr_SetString(PyExc_ValueError, msg);
            return -1;
        }
    }
    PyErr_SetString(PyExc_ValueError, msg);
    return -1;
}

static PyObject *
islice_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *seq, *a1 = NULL, *a2 = NULL, *a3 = NULL;
    Py_ssize_t start = 0, stop = -1, step = 1;
    if (itertools_nokw("islice", kwds) < 0 ||
        !PyArg_UnpackTuple(args, "islice", 2, 4, &seq, &a1, &a2, &a3)) {
        return NULL;
    }
    const char *stopmsg = "Stop argument for islice() must be None or an "
                          "integer: 0 <= x <= sys.maxsize.";
    const char *ssmsg = "Indices for islice() must be None or an integer: "
                        "0 <= x <= sys.maxsize.";
    if (a2 == NULL) {
        if (islice_index(a1, &stop, -1, stopmsg) < 0) {
            return NULL;
        }
    }
    else {
        if (islice_index(a1, &start, 0, ssmsg) < 0 ||
            islice_index(a2, &stop, -1, stopmsg) < 0) {
            return NULL;
        }
        if (a3 != NULL) {
            if (a3 != Py_None) {
                Py_ssize_t v = -1;
                if (PyIndex_Check(a3)) {
                    v = PyNumber_AsSsize_t(a3, NULL);
                    if (v == -1 && PyErr_Occurred()) {
                        PyErr_Clear();
                        v = -1;
                    }
                }
                if (v < 1) {
                    PyErr_SetString(PyExc_ValueError,
                        "Step for islice() must be a positive integer "
                        "or None.");
                    return NULL;
                }
                step = v;
            }
        }
    }
    PyObject *it = PyObject_GetIter(seq);
    if (it == NULL) {
        return NULL;
    }
    isliceobject *lz = (isliceobject *)type->tp_alloc(type, 0);
    if (lz == NULL) {
        Py_DECREF(it);
        return NULL;
    }
    lz->it = it;
    lz->next = start;
    lz->stop = stop;
    lz->step = step;
    lz->cnt = 0;
    return (PyObject *)lz;
}

static void
islice_dealloc(PyObject *self)
{
    PyObject_GC_UnTrack(self);
    Py_XDECREF(((isliceobject *)self)->it);
    Py_TYPE(self)->tp_free(self);
}

static int
islice_traverse(PyObject *self, visitproc visit, void *arg)
{
    Py_VISIT(((isliceobject *)self)->it);
    return 0;
}

/* Drop the underlying iterator once the slice is done.  Locked. */
static void
islice_finish(isliceobject *lz)
{
    PyObject *old;
    Py_BEGIN_CRITICAL_SECTION(lz);
    old = lz->it;
    lz->it = NULL;
    Py_END_CRITICAL_SECTION();
    Py_XDECREF(old);
}

static PyObject *
islice_next(PyObject *self)
{
    isliceobject *lz = (isliceobject *)self;
    PyObject *it;
    Py_BEGIN_CRITICAL_SECTION(lz);
    it = Py_XNewRef(lz->it);
    Py_END_CRITICAL_SECTION();
    if (it == NULL) {
        return NULL;
    }
    PyObject *res = NULL;
    for (;;) {
        Py_ssize_t cnt, next, stop;
        Py_BEGIN_CRITICAL_SECTION(lz);
        cnt = lz->cnt;
        next = lz->next;
        stop = lz->stop;
        Py_END_CRITICAL_SECTION();
        if (stop != -1 && cnt >= stop) {
            islice_finish(lz);
            break;
        }
        PyObject *item = iter_next(it);
        if (item == NULL) {
            if (!PyErr_Occurred()) {
                islice_finish(lz);
            }
            break;
        }
        int hit = 0;
        Py_BEGIN_CRITICAL_SECTION(lz);
        cnt = lz->cnt++;
        if (cnt == lz->next) {
            hit = 1;
            Py_ssize_t nx = lz->next + lz->step;
            /* Overflow or passing stop: clamp to stop. */
            if (nx < lz->next || (lz->stop != -1 && nx > lz->stop)) {
                nx = lz->stop;
            }
            lz->next = nx;
        }
        Py_END_CRITICAL_SECTION();
        (void)next;
        if (hit) {
            res = item;
            break;
        }
        Py_DECREF(item);
    }
    Py_DECREF(it);
    return res;
}

static PyTypeObject islice_type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "itertools.islice",
    .tp_basicsize = sizeof(isliceobject),
    .tp_dealloc = islice_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_BASETYPE,
    .tp_traverse = islice_traverse,
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = islice_next,
    .tp_alloc = PyType_GenericAlloc,
    .tp_new = islice_new,
    .tp_free = PyObject_GC_Del,
};

/* ------------------------------------------------------------------ */
/* cycle(iterable): a = iterator (NULL once exhausted), b = saved list,*/
/* n1 = replay index.                                                  */

static PyObject *
cycle_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *seq;
    if (itertools_nokw("cycle", kwds) < 0 ||
        !PyArg_UnpackTuple(args, "cycle", 1, 1, &seq)) {
        return NULL;
    }
    PyObject *it = PyObject_GetIter(seq);
    if (it == NULL) {
        return NULL;
    }
    PyObject *saved = PyList_New(0);
    if (saved == NULL) {
        Py_DECREF(it);
        return NULL;
    }
    return generic_make(type, it, saved, NULL);
}

static PyObject *
cycle_next(PyObject *self)
{
    genericiter *g = (genericiter *)self;
    PyObject *it = generic_load(g, &g->a);
    if (it != NULL) {
        PyObject *item = iter_next(it);
        Py_DECREF(it);
        if (item != NULL) {
            if (PyList_Append(g->b, item) < 0) {
                Py_DECREF(item);
                return NULL;
            }
            return item;
        }
        if (PyErr_Occurred()) {
            return NULL;
        }
        generic_clear(g, &g->a);
    }
    /* Replay the saved items; the list only grows, never shrinks. */
    Py_ssize_t n = PyList_GET_SIZE(g->b);
    if (n == 0) {
        return NULL;
    }
    Py_ssize_t i;
    Py_BEGIN_CRITICAL_SECTION(g);
    i = g->n1;
    if (i >= n) {
        i = 0;
    }
    g->n1 = i + 1;
    Py_END_CRITICAL_SECTION();
    return PySequence_GetItem(g->b, i);
}

GENERIC_TYPE(cycle_type, "cycle", cycle_next, cycle_new);

/* ------------------------------------------------------------------ */
/* accumulate(iterable, func=None, *, initial=None)                    */
/* a = iterator, b = func (or NULL), c = running total; n1 = started.  */

static PyObject *
accumulate_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"iterable", "func", "initial", NULL};
    PyObject *seq, *func = Py_None, *initial = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O|O$O:accumulate", kwlist,
                                     &seq, &func, &initial)) {
        return NULL;
    }
    PyObject *it = PyObject_GetIter(seq);
    if (it == NULL) {
        return NULL;
    }
    PyObject *res = generic_make(type, it,
                                 func == Py_None ? NULL : Py_NewRef(func),
                                 initial == Py_None ? NULL
                                                    : Py_NewRef(initial));
    if (res != NULL && initial != Py_None) {
        ((genericiter *)res)->n2 = 1;   /* initial value pending */
    }
    return res;
}

static PyObject *
accumulate_next(PyObject *self)
{
    genericiter *g = (genericiter *)self;
    PyObject *total = NULL;
    int pending = 0;
    Py_BEGIN_CRITICAL_SECTION(g);
    if (g->n2) {
        g->n2 = 0;
        pending = 1;
        total = Py_XNewRef(g->c);
    }
    Py_END_CRITICAL_SECTION();
    if (pending) {
        return total;
    }
    PyObject *item = iter_next(g->a);
    if (item == NULL) {
        return NULL;
    }
    total = generic_load(g, &g->c);
    PyObject *next;
    if (total == NULL) {
        next = item;
    }
    else {
        if (g->b == NULL) {
            next = PyNumber_Add(total, item);
        }
        else {
            PyObject *pair[2] = {total, item};
            next = PyObject_Vectorcall(g->b, pair, 2, NULL);
        }
        Py_DECREF(total);
        Py_DECREF(item);
        if (next == NULL) {
            return NULL;
        }
    }
    PyObject *old;
    Py_BEGIN_CRITICAL_SECTION(g);
    old = g->c;
    g->c = Py_NewRef(next);
    Py_END_CRITICAL_SECTION();
    Py_XDECREF(old);
    return next;
}

GENERIC_TYPE(accumulate_type, "accumulate", accumulate_next, accumulate_new);

/* ------------------------------------------------------------------ */
/* pairwise(iterable): a = iterator, b = previous item.                */

static PyObject *
pairwise_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *seq;
    if (itertools_nokw("pairwise", kwds) < 0 ||
        !PyArg_UnpackTuple(args, "pairwise", 1, 1, &seq)) {
        return NULL;
    }
    PyObject *it = PyObject_GetIter(seq);
    if (it == NULL) {
        return NULL;
    }
    return generic_make(type, it, NULL, NULL);
}

static PyObject *
pairwise_next(PyObject *self)
{
    genericiter *g = (genericiter *)self;
    PyObject *it = generic_load(g, &g->a);
    if (it == NULL) {
        return NULL;
    }
    PyObject *old = generic_load(g, &g->b);
    if (old == NULL) {
        old = iter_next(it);
        if (old == NULL) {
            if (!PyErr_Occurred()) {
                generic_clear(g, &g->a);
            }
            Py_DECREF(it);
            return NULL;
        }
    }
    PyObject *new = iter_next(it);
    Py_DECREF(it);
    if (new == NULL) {
        Py_DECREF(old);
        if (!PyErr_Occurred()) {
            generic_clear(g, &g->a);
            generic_clear(g, &g->b);
        }
        return NULL;
    }
    PyObject *res = PyTuple_Pack(2, old, new);
    Py_DECREF(old);
    PyObject *prev;
    Py_BEGIN_CRITICAL_SECTION(g);
    prev = g->b;
    g->b = new;     /* steals */
    Py_END_CRITICAL_SECTION();
    Py_XDECREF(prev);
    return res;
}

GENERIC_TYPE(pairwise_type, "pairwise", pairwise_next, pairwise_new);

/* ------------------------------------------------------------------ */
/* zip_longest(*iterables, fillvalue=None)                             */
/* a = tuple of iterators (entries replaced by None when exhausted),   */
/* b = fillvalue, n1 = number still active.                            */

static PyObject *
zip_longest_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *fill = Py_None;
    if (kwds != NULL && PyDict_Check(kwds) && PyDict_GET_SIZE(kwds) > 0) {
        fill = PyDict_GetItemString(kwds, "fillvalue");
        if (fill == NULL || PyDict_GET_SIZE(kwds) > 1) {
            PyErr_SetString(PyExc_TypeError,
                "zip_longest() got an unexpected keyword argument");
            return NULL;
        }
    }
    Py_ssize_t n = PyTuple_GET_SIZE(args);
    PyObject *its = PyTuple_New(n);
    if (its == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *it = PyObject_GetIter(PyTuple_GET_ITEM(args, i));
        if (it == NULL) {
            Py_DECREF(its);
            return NULL;
        }
        PyTuple_SET_ITEM(its, i, it);
    }
    PyObject *res = generic_make(type, its, Py_NewRef(fill), NULL);
    if (res != NULL) {
        ((genericiter *)res)->n1 = n;
    }
    return res;
}

static PyObject *
zip_longest_next(PyObject *self)
{
    genericiter *g = (genericiter *)self;
    PyObject *its = g->a;   /* tuple: fixed for the object's life */
    Py_ssize_t n = PyTuple_GET_SIZE(its);
    if (n == 0 || _Py_atomic_load_ssize_relaxed(&g->n1) == 0) {
        return NULL;
    }
    PyObject *res = PyTuple_New(n);
    if (res == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *it;
        Py_BEGIN_CRITICAL_SECTION(g);
        it = Py_NewRef(PyTuple_GET_ITEM(its, i));
        Py_END_CRITICAL_SECTION();
        PyObject *item = NULL;
        if (it != Py_None) {
            item = iter_next(it);
            if (item == NULL) {
                if (PyErr_Occurred()) {
                    Py_DECREF(it);
                    Py_DECREF(res);
                    return NULL;
                }
                Py_ssize_t left = 1;
                Py_BEGIN_CRITICAL_SECTION(g);
                /* The tuple is private to us: swapping an entry under
                 * our lock is the only mutation. */
                if (PyTuple_GET_ITEM(its, i) == it) {
                    PyTuple_SET_ITEM(its, i, Py_NewRef(Py_None));
                    Py_DECREF(it);      /* the tuple's reference */
                    left = --g->n1;
                }
                Py_END_CRITICAL_SECTION();
                if (left == 0) {
                    Py_DECREF(it);
                    Py_DECREF(res);
                    return NULL;
                }
            }
        }
        Py_DECREF(it);
        if (item == NULL) {
            item = Py_NewRef(g->b);
        }
        PyTuple_SET_ITEM(res, i, item);
    }
    return res;
}

static PyTypeObject zip_longest_type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "itertools.zip_longest",
    .tp_basicsize = sizeof(genericiter),
    .tp_dealloc = generic_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_BASETYPE,
    .tp_traverse = generic_traverse,
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = zip_longest_next,
    .tp_alloc = PyType_GenericAlloc,
    .tp_new = zip_longest_new,
    .tp_free = PyObject_GC_Del,
};

/* ------------------------------------------------------------------ */
/* Combinatoric iterators: product, permutations, combinations,        */
/* combinations_with_replacement.  State = pools (tuple of tuples or a */
/* single tuple), an index array and a done flag.  next() runs wholly  */
/* in a critical section: it calls no Python code, so the section is   */
/* never suspended and each result is a consistent fresh tuple.        */

typedef struct {
    PyObject_HEAD
    PyObject *pools;        /* product: tuple of tuples; else a tuple */
    Py_ssize_t *indices;    /* PyMem array */
    Py_ssize_t *cycles;     /* permutations only */
    Py_ssize_t n;           /* pool size (not product) */
    Py_ssize_t r;           /* result length */
    int started;
    int stopped;
} combobject;

static void
combo_dealloc(PyObject *self)
{
    combobject *co = (combobject *)self;
    PyObject_GC_UnTrack(self);
    Py_XDECREF(co->pools);
    PyMem_Free(co->indices);
    PyMem_Free(co->cycles);
    Py_TYPE(self)->tp_free(self);
}

static int
combo_traverse(PyObject *self, visitproc visit, void *arg)
{
    Py_VISIT(((combobject *)self)->pools);
    return 0;
}

/* Allocate a combinatoric iterator; steals `pools`.  New ref. */
static PyObject *
combo_make(PyTypeObject *type, PyObject *pools, Py_ssize_t n, Py_ssize_t r,
           int want_cycles)
{
    combobject *co = (combobject *)type->tp_alloc(type, 0);
    if (co == NULL) {
        Py_DECREF(pools);
        return NULL;
    }
    co->pools = pools;
    co->n = n;
    co->r = r;
    co->indices = PyMem_Calloc(r > 0 ? r : 1, sizeof(Py_ssize_t));
    if (want_cycles) {
        co->cycles = PyMem_Calloc(r > 0 ? r : 1, sizeof(Py_ssize_t));
    }
    if (co->indices == NULL || (want_cycles && co->cycles == NULL)) {
        Py_DECREF(co);
        return PyErr_NoMemory();
    }
    return (PyObject *)co;
}

/* Result tuple from the pool by indices (single-pool variants). */
static PyObject *
combo_result(combobject *co)
{
    PyObject *res = PyTuple_New(co->r);
    if (res == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < co->r; i++) {
        PyTuple_SET_ITEM(res, i,
                         Py_NewRef(PyTuple_GET_ITEM(co->pools,
                                                    co->indices[i])));
    }
    return res;
}

static PyObject *
product_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    Py_ssize_t repeat = 1;
    if (kwds != NULL && PyDict_Check(kwds) && PyDict_GET_SIZE(kwds) > 0) {
        PyObject *ro = PyDict_GetItemString(kwds, "repeat");
        if (ro == NULL || PyDict_GET_SIZE(kwds) > 1) {
            Py_ssize_t pos = 0;
            PyObject *k, *v;
            while (PyDict_Next(kwds, &pos, &k, &v)) {
                if (!PyUnicode_Check(k) ||
                    PyUnicode_CompareWithASCIIString(k, "repeat") != 0) {
                    PyErr_Format(PyExc_TypeError,
                        "%R is an invalid keyword argument for product()",
                        k);
                    return NULL;
                }
            }
        }
        repeat = PyNumber_AsSsize_t(ro, PyExc_OverflowError);
        if (repeat == -1 && PyErr_Occurred()) {
            return NULL;
        }
        if (repeat < 0) {
            PyErr_SetString(PyExc_ValueError,
                            "repeat argument cannot be negative");
            return NULL;
        }
    }
    Py_ssize_t nargs = PyTuple_GET_SIZE(args);
    if (repeat && nargs > PY_SSIZE_T_MAX / 8 / repeat) {
        PyErr_SetString(PyExc_OverflowError, "repeat argument too large");
        return NULL;
    }
    Py_ssize_t np = nargs * repeat;
    PyObject *pools = PyTuple_New(np);
    if (pools == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < nargs; i++) {
        PyObject *t = PySequence_Tuple(PyTuple_GET_ITEM(args, i));
        if (t == NULL) {
            Py_DECREF(pools);
            return NULL;
        }
        for (Py_ssize_t j = 0; j < repeat; j++) {
            PyTuple_SET_ITEM(pools, i + j * nargs, Py_NewRef(t));
        }
        Py_DECREF(t);
    }
    return combo_make(type, pools, 0, np, 0);
}

/* Advance the product odometer; 0 when exhausted.  Locked by caller. */
static int
product_advance(combobject *co)
{
    for (Py_ssize_t i = co->r - 1; i >= 0; i--) {
        PyObject *pool = PyTuple_GET_ITEM(co->pools, i);
        if (++co->indices[i] < PyTuple_GET_SIZE(pool)) {
            return 1;
        }
        co->indices[i] = 0;
    }
    return 0;
}

static PyObject *
product_next(PyObject *self)
{
    combobject *co = (combobject *)self;
    PyObject *res = NULL;
    Py_BEGIN_CRITICAL_SECTION(co);
    if (!co->stopped) {
        if (!co->started) {
            co->started = 1;
            for (Py_ssize_t i = 0; i < co->r; i++) {
                if (PyTuple_GET_SIZE(PyTuple_GET_ITEM(co->pools, i)) == 0) {
                    co->stopped = 1;
                }
            }
        }
        else if (co->r == 0 || !product_advance(co)) {
            co->stopped = 1;
        }
        if (!co->stopped) {
            res = PyTuple_New(co->r);
            for (Py_ssize_t i = 0; res != NULL && i < co->r; i++) {
                PyObject *pool = PyTuple_GET_ITEM(co->pools, i);
                PyTuple_SET_ITEM(res, i, Py_NewRef(
                    PyTuple_GET_ITEM(pool, co->indices[i])));
            }
        }
    }
    Py_END_CRITICAL_SECTION();
    return res;
}

/* Parse (iterable, r) for the single-pool iterators; r may be
 * optional (permutations).  Returns the pool tuple or NULL. */
static PyObject *
combo_args(PyObject *args, PyObject *kwds, const char *fmt,
           Py_ssize_t *r, int r_optional)
{
    static char *kwlist[] = {"iterable", "r", NULL};
    PyObject *seq, *ro = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, fmt, kwlist, &seq, &ro)) {
        return NULL;
    }
    PyObject *pool = PySequence_Tuple(seq);
    if (pool == NULL) {
        return NULL;
    }
    if (ro == Py_None && r_optional) {
        *r = PyTuple_GET_SIZE(pool);
        return pool;
    }
    if (!PyLong_Check(ro)) {
        PyErr_Format(PyExc_TypeError, r_optional
                     ? "Expected int as r" :
                     "'%.200s' object cannot be interpreted as an integer",
                     Py_TYPE(ro)->tp_name);
        Py_DECREF(pool);
        return NULL;
    }
    *r = PyLong_AsSsize_t(ro);
    if (*r == -1 && PyErr_Occurred()) {
        Py_DECREF(pool);
        return NULL;
    }
    if (*r < 0) {
        PyErr_SetString(PyExc_ValueError, "r must be non-negative");
        Py_DECREF(pool);
        return NULL;
    }
    return pool;
}

static PyObject *
combinations_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    Py_ssize_t r;
    PyObject *pool = combo_args(args, kwds, "OO:combinations", &r, 0);
    if (pool == NULL) {
        return NULL;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(pool);
    combobject *co = (combobject *)combo_make(type, pool, n, r, 0);
    if (co != NULL) {
        for (Py_ssize_t i = 0; i < r; i++) {
            co->indices[i] = i;
        }
        co->stopped = r > n;
    }
    return (PyObject *)co;
}

static PyObject *
combinations_next(PyObject *self)
{
    combobject *co = (combobject *)self;
    PyObject *res = NULL;
    Py_BEGIN_CRITICAL_SECTION(co);
    if (!co->stopped) {
        if (co->started) {
            Py_ssize_t n = co->n, r = co->r, i;
            for (i = r - 1; i >= 0 && co->indices[i] == i + n - r; i--) {
            }
            if (i < 0) {
                co->stopped = 1;
            }
            else {
                co->indices[i]++;
                for (Py_ssize_t j = i + 1; j < r; j++) {
                    co->indices[j] = co->indices[j - 1] + 1;
                }
            }
        }
        co->started = 1;
        if (!co->stopped) {
            res = combo_result(co);
        }
    }
    Py_END_CRITICAL_SECTION();
    return res;
}

static PyObject *
cwr_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    Py_ssize_t r;
    PyObject *pool = combo_args(args, kwds,
                                "OO:combinations_with_replacement", &r, 0);
    if (pool == NULL) {
        return NULL;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(pool);
    combobject *co = (combobject *)combo_make(type, pool, n, r, 0);
    if (co != NULL) {
        co->stopped = (n == 0 && r > 0);
    }
    return (PyObject *)co;
}

static PyObject *
cwr_next(PyObject *self)
{
    combobject *co = (combobject *)self;
    PyObject *res = NULL;
    Py_BEGIN_CRITICAL_SECTION(co);
    if (!co->stopped) {
        if (co->started) {
            Py_ssize_t n = co->n, r = co->r, i;
            for (i = r - 1; i >= 0 && co->indices[i] == n - 1; i--) {
            }
            if (i < 0) {
                co->stopped = 1;
            }
            else {
                Py_ssize_t v = co->indices[i] + 1;
                for (Py_ssize_t j = i; j < r; j++) {
                    co->indices[j] = v;
                }
            }
        }
        co->started = 1;
        if (!co->stopped) {
            res = combo_result(co);
        }
    }
    Py_END_CRITICAL_SECTION();
    return res;
}

static PyObject *
permutations_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    Py_ssize_t r;
    PyObject *pool = combo_args(args, kwds, "O|O:permutations", &r, 1);
    if (pool == NULL) {
        return NULL;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(pool);
    combobject *co = (combobject *)combo_make(type, pool, n, r, 1);
    if (co == NULL) {
        return NULL;
    }
    PyMem_Free(co->indices);
    co->indices = PyMem_Calloc(n > 0 ? n : 1, sizeof(Py_ssize_t));
    if (co->indices == NULL) {
        Py_DECREF(co);
        return PyErr_NoMemory();
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        co->indices[i] = i;
    }
    for (Py_ssize_t i = 0; i < r && i < n; i++) {
        co->cycles[i] = n - i;
    }
    co->stopped = r > n;
    return (PyObject *)co;
}

/* Advance the permutation state (cycles method).  Locked by caller. */
static int
permutations_advance(combobject *co)
{
    Py_ssize_t n = co->n, r = co->r;
    Py_ssize_t *ind = co->indices, *cyc = co->cycles;
    for (Py_ssize_t i = r - 1; i >= 0; i--) {
        if (--cyc[i] == 0) {
            Py_ssize_t first = ind[i];
            for (Py_ssize_t j = i; j < n - 1; j++) {
                ind[j] = ind[j + 1];
            }
            ind[n - 1] = first;
            cyc[i] = n - i;
        }
        else {
            Py_ssize_t j = cyc[i];
            Py_ssize_t t = ind[i];
            ind[i] = ind[n - j];
            ind[n - j] = t;
            return 1;
        }
    }
    return 0;
}

static PyObject *
permutations_next(PyObject *self)
{
    combobject *co = (combobject *)self;
    PyObject *res = NULL;
    Py_BEGIN_CRITICAL_SECTION(co);
    if (!co->stopped) {
        if (co->started && (co->n == 0 || !permutations_advance(co))) {
            co->stopped = 1;
        }
        co->started = 1;
        if (!co->stopped) {
            res = combo_result(co);
        }
    }
    Py_END_CRITICAL_SECTION();
    return res;
}

#define COMBO_TYPE(cname, pyname, nextfn, newfn) \
    static PyTypeObject cname = { \
        PyVarObject_HEAD_INIT(&PyType_Type, 0) \
        .tp_name = "itertools." pyname, \
        .tp_basicsize = sizeof(combobject), \
        .tp_dealloc = combo_dealloc, \
        .tp_getattro = PyObject_GenericGetAttr, \
        .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC \
                    | Py_TPFLAGS_BASETYPE, \
        .tp_traverse = combo_traverse, \
        .tp_iter = PyObject_SelfIter, \
        .tp_iternext = nextfn, \
        .tp_alloc = PyType_GenericAlloc, \
        .tp_new = newfn, \
        .tp_free = PyObject_GC_Del, \
    }

COMBO_TYPE(product_type, "product", product_next, product_new);
COMBO_TYPE(combinations_type, "combinations", combinations_next,
           combinations_new);
COMBO_TYPE(cwr_type, "combinations_with_replacement", cwr_next, cwr_new);
COMBO_TYPE(permutations_type, "permutations", permutations_next,
           permutations_new);

/* ------------------------------------------------------------------ */
/* groupby(iterable, key=None) and its _grouper.                       */
/* The groupby object keeps it, keyfunc, tgtkey, currkey, currvalue    */
/* and a generation counter (currgrouper) identifying the live group.  */
/* All slot updates happen in critical sections; values are fetched   */
/* (running Python code) outside, then published.                      */

typedef struct {
    PyObject_HEAD
    PyObject *it;
    PyObject *keyfunc;      /* NULL = identity */
    PyObject *tgtkey;
    PyObject *currkey;
    PyObject *currvalue;
    PyObject *currgrouper;  /* borrowed identity tag of live grouper */
} groupbyobject;

typedef struct {
    PyObject_HEAD
    PyObject *parent;       /* owned groupbyobject */
    PyObject *tgtkey;       /* owned */
} grouperobject;

static PyTypeObject groupby_type;
static PyTypeObject grouper_type;

static PyObject *
groupby_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"iterable", "key", NULL};
    PyObject *seq, *key = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O|O:groupby", kwlist,
                                     &seq, &key)) {
        return NULL;
    }
    groupbyobject *gb = (groupbyobject *)type->tp_alloc(type, 0);
    if (gb == NULL) {
        return NULL;
    }
    gb->keyfunc = key == Py_None ? NULL : Py_NewRef(key);
    gb->it = PyObject_GetIter(seq);
    if (gb->it == NULL) {
        Py_DECREF(gb);
        return NULL;
    }
    return (PyObject *)gb;
}

static void
groupby_dealloc(PyObject *self)
{
    groupbyobject *gb = (groupbyobject *)self;
    PyObject_GC_UnTrack(self);
    Py_XDECREF(gb->it);
    Py_XDECREF(gb->keyfunc);
    Py_XDECREF(gb->tgtkey);
    Py_XDECREF(gb->currkey);
    Py_XDECREF(gb->currvalue);
    Py_TYPE(self)->tp_free(self);
}

static int
groupby_traverse(PyObject *self, visitproc visit, void *arg)
{
    groupbyobject *gb = (groupbyobject *)self;
    Py_VISIT(gb->it);
    Py_VISIT(gb->keyfunc);
    Py_VISIT(gb->tgtkey);
    Py_VISIT(gb->currkey);
    Py_VISIT(gb->currvalue);
    return 0;
}

/* Fetch the next value and its key into currvalue/currkey.  Returns 0,
 * or -1 at the end (no exception) or on error. */
static int
groupby_step(groupbyobject *gb)
{
    PyObject *value = iter_next(gb->it);
    if (value == NULL) {
        return -1;
    }
    PyObject *key = gb->keyfunc ? PyObject_CallOneArg(gb->keyfunc, value)
                                : Py_NewRef(value);
    if (key == NULL) {
        Py_DECREF(value);
        return -1;
    }
    PyObject *oldv, *oldk;
    Py_BEGIN_CRITICAL_SECTION(gb);
    oldv = gb->currvalue;
    oldk = gb->currkey;
    gb->currvalue = value;
    gb->currkey = key;
    Py_END_CRITICAL_SECTION();
    Py_XDECREF(oldv);
    Py_XDECREF(oldk);
    return 0;
}

/* Read a slot of gb under its lock.  New reference or NULL. */
static PyObject *
groupby_get(groupbyobject *gb, PyObject **slot)
{
    PyObject *r;
    Py_BEGIN_CRITICAL_SECTION(gb);
    r = Py_XNewRef(*slot);
    Py_END_CRITICAL_SECTION();
    return r;
}

static PyObject *
groupby_next(PyObject *self)
{
    groupbyobject *gb = (groupbyobject *)self;
    /* Invalidate the previous grouper. */
    _Py_atomic_store_ptr_relaxed(&gb->currgrouper, NULL);
    for (;;) {
        PyObject *currkey = groupby_get(gb, &gb->currkey);
        if (currkey == NULL) {
            if (groupby_step(gb) < 0) {
                return NULL;
            }
            continue;
        }
        PyObject *tgtkey = groupby_get(gb, &gb->tgtkey);
        if (tgtkey == NULL) {
            Py_DECREF(currkey);
            break;
        }
        int eq = PyObject_RichCompareBool(tgtkey, currkey, Py_EQ);
        Py_DECREF(tgtkey);
        Py_DECREF(currkey);
        if (eq < 0) {
            return NULL;
        }
        if (!eq) {
            break;
        }
        if (groupby_step(gb) < 0) {
            return NULL;
        }
    }
    PyObject *key = groupby_get(gb, &gb->currkey);
    PyObject *old;
    Py_BEGIN_CRITICAL_SECTION(gb);
    old = gb->tgtkey;
    gb->tgtkey = Py_NewRef(key);
    Py_END_CRITICAL_SECTION();
    Py_XDECREF(old);
    grouperobject *g = PyObject_GC_New(grouperobject, &grouper_type);
    if (g == NULL) {
        Py_DECREF(key);
        return NULL;
    }
    g->parent = Py_NewRef(self);
    g->tgtkey = Py_NewRef(key);
    PyObject_GC_Track(g);
    _Py_atomic_store_ptr_relaxed(&gb->currgrouper, g);
    PyObject *res = PyTuple_Pack(2, key, (PyObject *)g);
    Py_DECREF(key);
    Py_DECREF(g);
    return res;
}

static PyTypeObject groupby_type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "itertools.groupby",
    .tp_basicsize = sizeof(groupbyobject),
    .tp_dealloc = groupby_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_BASETYPE,
    .tp_traverse = groupby_traverse,
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = groupby_next,
    .tp_alloc = PyType_GenericAlloc,
    .tp_new = groupby_new,
    .tp_free = PyObject_GC_Del,
};

static void
grouper_dealloc(PyObject *self)
{
    grouperobject *g = (grouperobject *)self;
    PyObject_GC_UnTrack(self);
    Py_XDECREF(g->parent);
    Py_XDECREF(g->tgtkey);
    PyObject_GC_Del(self);
}

static int
grouper_traverse(PyObject *self, visitproc visit, void *arg)
{
    Py_VISIT(((grouperobject *)self)->parent);
    Py_VISIT(((grouperobject *)self)->tgtkey);
    return 0;
}

/* Next value of the current group; stops when the key changes or the
 * parent has moved on to another group. */
static PyObject *
grouper_next(PyObject *self)
{
    grouperobject *g = (grouperobject *)self;
    groupbyobject *gb = (groupbyobject *)g->parent;
    if (_Py_atomic_load_ptr_relaxed(&gb->currgrouper) != (void *)g) {
        return NULL;
    }
    PyObject *value = groupby_get(gb, &gb->currvalue);
    if (value == NULL) {
        if (groupby_step(gb) < 0) {
            return NULL;
        }
        value = groupby_get(gb, &gb->currvalue);
    }
    PyObject *key = groupby_get(gb, &gb->currkey);
    if (key == NULL) {
        Py_XDECREF(value);
        return NULL;
    }
    int eq = PyObject_RichCompareBool(g->tgtkey, key, Py_EQ);
    Py_DECREF(key);
    if (eq <= 0) {
        Py_XDECREF(value);
        return NULL;
    }
    /* Consume the value: the next call fetches a fresh one. */
    PyObject *oldv = NULL;
    Py_BEGIN_CRITICAL_SECTION(gb);
    if (gb->currvalue == value) {
        oldv = gb->currvalue;
        gb->currvalue = NULL;
    }
    Py_END_CRITICAL_SECTION();
    Py_XDECREF(oldv);
    return value;
}

static PyTypeObject grouper_type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "itertools._grouper",
    .tp_basicsize = sizeof(grouperobject),
    .tp_dealloc = grouper_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_traverse = grouper_traverse,
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = grouper_next,
    .tp_free = PyObject_GC_Del,
};

/* ------------------------------------------------------------------ */
/* tee: _tee objects share a chain of _tee_dataobject buffers, each    */
/* holding up to TEE_LINKCELLS values read from the common source.     */
/* A buffer's values and numread change only in a critical section on */
/* the buffer; a tee's (dataobj, index) only in one on the tee.  The   */
/* source is advanced outside any lock; a value fetched by two racing  */
/* threads is appended twice (so shared tees may repeat an item) but   */
/* every stored value is owned by exactly one cell.  Buffers no tee    */
/* points at are freed by refcounting, so memory is bounded by the     */
/* distance between the leading and the trailing tee.                 */

#define TEE_LINKCELLS 57

typedef struct teedataobject {
    PyObject_HEAD
    PyObject *it;                       /* owned shared source */
    int numread;
    PyObject *nextlink;                 /* owned, NULL until needed */
    PyObject *values[TEE_LINKCELLS];    /* owned */
} teedataobject;

typedef struct {
    PyObject_HEAD
    PyObject *dataobj;                  /* owned teedataobject */
    int index;
} teeobject;

static PyTypeObject teedataobject_type;
static PyTypeObject tee_type;

/* New empty buffer over source `it` (borrowed).  New reference. */
static PyObject *
teedata_make(PyObject *it)
{
    teedataobject *d = PyObject_GC_New(teedataobject, &teedataobject_type);
    if (d == NULL) {
        return NULL;
    }
    d->it = Py_NewRef(it);
    d->numread = 0;
    d->nextlink = NULL;
    memset(d->values, 0, sizeof(d->values));
    PyObject_GC_Track(d);
    return (PyObject *)d;
}

static void
teedata_dealloc(PyObject *self)
{
    teedataobject *d = (teedataobject *)self;
    PyObject_GC_UnTrack(self);
    for (int i = 0; i < d->numread; i++) {
        Py_XDECREF(d->values[i]);
    }
    Py_XDECREF(d->it);
    /* Free a long chain iteratively to keep the C stack flat. */
    PyObject *next = d->nextlink;
    d->nextlink = NULL;
    PyObject_GC_Del(self);
    while (next != NULL) {
        if (Py_REFCNT(next) > 1) {
            Py_DECREF(next);
            break;
        }
        teedataobject *nd = (teedataobject *)next;
        PyObject *after = nd->nextlink;
        nd->nextlink = NULL;
        Py_DECREF(next);
        next = after;
    }
}

static int
teedata_traverse(PyObject *self, visitproc visit, void *arg)
{
    teedataobject *d = (teedataobject *)self;
    Py_VISIT(d->it);
    for (int i = 0; i < d->numread; i++) {
        Py_VISIT(d->values[i]);
    }
    Py_VISIT(d->nextlink);
    return 0;
}

static PyTypeObject teedataobject_type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "itertools._tee_dataobject",
    .tp_basicsize = sizeof(teedataobject),
    .tp_dealloc = teedata_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_traverse = teedata_traverse,
    .tp_free = PyObject_GC_Del,
};

/* The buffer after d, created on first use.  New reference. */
static PyObject *
teedata_jumplink(teedataobject *d)
{
    PyObject *res;
    Py_BEGIN_CRITICAL_SECTION(d);
    if (d->nextlink == NULL) {
        d->nextlink = teedata_make(d->it);
    }
    res = Py_XNewRef(d->nextlink);
    Py_END_CRITICAL_SECTION();
    return res;
}

/* Value at idx of d, reading from the source if needed.  New reference,
 * or NULL at the end (no exception) or on error. */
static PyObject *
teedata_getitem(teedataobject *d, int idx)
{
    for (;;) {
        PyObject *v = NULL;
        int full;
        Py_BEGIN_CRITICAL_SECTION(d);
        if (idx < d->numread) {
            v = Py_NewRef(d->values[idx]);
        }
        full = d->numread >= TEE_LINKCELLS;
        Py_END_CRITICAL_SECTION();
        if (v != NULL || full) {
            return v;
        }
        PyObject *item = iter_next(d->it);
        if (item == NULL) {
            return NULL;
        }
        Py_BEGIN_CRITICAL_SECTION(d);
        if (d->numread < TEE_LINKCELLS) {
            d->values[d->numread++] = item;
            item = NULL;
        }
        Py_END_CRITICAL_SECTION();
        /* Lost a race for the last cell: the item is skipped. */
        Py_XDECREF(item);
    }
}

/* A tee positioned at (d, index); d borrowed.  New reference. */
static PyObject *
tee_make(PyObject *d, int index)
{
    teeobject *to = PyObject_GC_New(teeobject, &tee_type);
    if (to == NULL) {
        return NULL;
    }
    to->dataobj = Py_NewRef(d);
    to->index = index;
    PyObject_GC_Track(to);
    return (PyObject *)to;
}

/* Build a tee over any iterable (the _tee constructor).  New ref. */
static PyObject *
tee_fromiterable(PyObject *iterable)
{
    PyObject *it = PyObject_GetIter(iterable);
    if (it == NULL) {
        return NULL;
    }
    if (Py_TYPE(it) == &tee_type) {
        teeobject *src = (teeobject *)it;
        PyObject *res;
        Py_BEGIN_CRITICAL_SECTION(src);
        res = tee_make(src->dataobj, src->index);
        Py_END_CRITICAL_SECTION();
        Py_DECREF(it);
        return res;
    }
    PyObject *d = teedata_make(it);
    Py_DECREF(it);
    if (d == NULL) {
        return NULL;
    }
    PyObject *res = tee_make(d, 0);
    Py_DECREF(d);
    return res;
}

static PyObject *
tee_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *iterable;
    if (itertools_nokw("_tee", kwds) < 0 ||
        !PyArg_UnpackTuple(args, "_tee", 1, 1, &iterable)) {
        return NULL;
    }
    return tee_fromiterable(iterable);
}

static void
tee_dealloc(PyObject *self)
{
    PyObject_GC_UnTrack(self);
    Py_XDECREF(((teeobject *)self)->dataobj);
    PyObject_GC_Del(self);
}

static int
tee_traverse(PyObject *self, visitproc visit, void *arg)
{
    Py_VISIT(((teeobject *)self)->dataobj);
    return 0;
}

static PyObject *
tee_next(PyObject *self)
{
    teeobject *to = (teeobject *)self;
    for (;;) {
        PyObject *d;
        int idx;
        Py_BEGIN_CRITICAL_SECTION(to);
        d = Py_NewRef(to->dataobj);
        idx = to->index;
        Py_END_CRITICAL_SECTION();
        if (idx >= TEE_LINKCELLS) {
            PyObject *nd = teedata_jumplink((teedataobject *)d);
            if (nd == NULL) {
                Py_DECREF(d);
                return NULL;
            }
            PyObject *old = NULL;
            Py_BEGIN_CRITICAL_SECTION(to);
            if (to->dataobj == d) {
                old = to->dataobj;
                to->dataobj = nd;
                to->index = 0;
                nd = NULL;
            }
            Py_END_CRITICAL_SECTION();
            Py_XDECREF(nd);
            Py_XDECREF(old);
            Py_DECREF(d);
            continue;
        }
        PyObject *v = teedata_getitem((teedataobject *)d, idx);
        if (v != NULL) {
            Py_BEGIN_CRITICAL_SECTION(to);
            if (to->dataobj == d && to->index == idx) {
                to->index++;
            }
            Py_END_CRITICAL_SECTION();
        }
        Py_DECREF(d);
        return v;
    }
}

/* __copy__: an independent tee at the same position.  New ref. */
static PyObject *
tee_copy(PyObject *self, PyObject *unused)
{
    teeobject *to = (teeobject *)self;
    PyObject *res;
    Py_BEGIN_CRITICAL_SECTION(to);
    res = tee_make(to->dataobj, to->index);
    Py_END_CRITICAL_SECTION();
    return res;
}

static PyMethodDef tee_methods[] = {
    {"__copy__", tee_copy, METH_NOARGS, NULL},
    {NULL}
};

static PyTypeObject tee_type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "itertools._tee",
    .tp_basicsize = sizeof(teeobject),
    .tp_dealloc = tee_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_traverse = tee_traverse,
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = tee_next,
    .tp_methods = tee_methods,
    .tp_new = tee_new,
    .tp_free = PyObject_GC_Del,
};

/* tee(iterable, n=2) -> tuple of n independent iterators.  New ref. */
static PyObject *
itertools_tee(PyObject *module, PyObject *args)
{
    PyObject *iterable;
    Py_ssize_t n = 2;
    if (!PyArg_ParseTuple(args, "O|n:tee", &iterable, &n)) {
        return NULL;
    }
    if (n < 0) {
        PyErr_SetString(PyExc_ValueError, "n must be >= 0");
        return NULL;
    }
    PyObject *res = PyTuple_New(n);
    if (res == NULL || n == 0) {
        return res;
    }
    PyObject *it = PyObject_GetIter(iterable);
    if (it == NULL) {
        Py_DECREF(res);
        return NULL;
    }
    PyObject *first;
    PyObject *copy = PyObject_GetAttrString(it, "__copy__");
    if (copy != NULL) {
        /* A copyable iterator is used itself as the first result. */
        first = Py_NewRef(it);
        Py_DECREF(copy);
    }
    else {
        PyErr_Clear();
        first = tee_fromiterable(it);
    }
    Py_DECREF(it);
    if (first == NULL) {
        Py_DECREF(res);
        return NULL;
    }
    PyTuple_SET_ITEM(res, 0, first);
    for (Py_ssize_t i = 1; i < n; i++) {
        PyObject *c = PyObject_CallMethod(first, "__copy__", NULL);
        if (c == NULL) {
            Py_DECREF(res);
            return NULL;
        }
        PyTuple_SET_ITEM(res, i, c);
    }
    return res;
}

static PyMethodDef itertools_methods[] = {
    {"tee", itertools_tee, METH_VARARGS, NULL},
    {NULL}
};

/* ------------------------------------------------------------------ */
/* Module                                                              */

static PyModuleDef itertools_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "itertools",
    .m_doc = "Functional tools for creating and using iterators.",
    .m_size = 0,
    .m_methods = itertools_methods,
};

/* Create the itertools module.  Returns a new reference. */
PyMODINIT_FUNC
PyInit_itertools(void)
{
    PyTypeObject *types[] = {
        &count_type, &repeat_type, &chain_type, &starmap_type,
        &filterfalse_type, &dropwhile_type, &takewhile_type,
        &compress_type, &islice_type, &cycle_type, &accumulate_type,
        &pairwise_type, &zip_longest_type, &product_type,
        &combinations_type, &cwr_type, &permutations_type,
        &groupby_type, &grouper_type, &tee_type, &teedataobject_type,
    };
    PyObject *m = PyModule_Create(&itertools_module);
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
