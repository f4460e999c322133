/* list: semantics of the methods and operators (reprs from CPython 3.11),
 * a stable merge sort checked on large inputs, "list modified during
 * sort", and the thread-safety guarantees of ARCHITECTURE section 6:
 * a replay of 3000 random operations (slices with steps, sorts, removes,
 * ...) whose every intermediate repr matches CPython 3.11's
 * (testvalues_listops.h); and 8 threads append, pop, set, read, iterate
 * and sort shared lists for a
 * bounded time, then exact invariants are checked (nothing lost, nothing
 * duplicated, every object read was a live item).  Runs under TSan too. */
#include "testvalues.h"
#include "pycore_object.h"
#include "testvalues_listops.h"

static PyObject *
ints(const long *v, Py_ssize_t n)
{
    PyObject *l = PyList_New(0);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *x = PyLong_FromLong(v[i]);
        CHECK(PyList_Append(l, x) == 0);
        Py_DECREF(x);
    }
    return l;
}

static PyObject *
call(PyObject *self, const char *method, const char *fmt, ...)
{
    va_list va;
    va_start(va, fmt);
    PyObject *args = fmt ? Py_VaBuildValue(fmt, va) : PyTuple_New(0);
    va_end(va);
    CHECK(args != NULL);
    if (!PyTuple_Check(args)) {
        PyObject *t = PyTuple_Pack(1, args);
        Py_DECREF(args);
        args = t;
    }
    PyObject *r;
    switch (PyTuple_GET_SIZE(args)) {
    case 0:
        r = PyObject_CallMethod(self, method, NULL);
        break;
    case 1:
        r = PyObject_CallMethod(self, method, "(O)",
                                PyTuple_GET_ITEM(args, 0));
        break;
    default:
        r = PyObject_CallMethod(self, method, "(OO)",
                                PyTuple_GET_ITEM(args, 0),
                                PyTuple_GET_ITEM(args, 1));
        break;
    }
    Py_DECREF(args);
    return r;
}

static void
test_methods(void)
{
    static const long v[] = {3, 1, 4, 1, 5, 9, 2, 6};
    PyObject *l = ints(v, 8);
    tv_check_repr(Py_NewRef(l), "[3, 1, 4, 1, 5, 9, 2, 6]");
    tv_check_repr(call(l, "index", "(i)", 1), "1");
    tv_check_repr(call(l, "index", "(ii)", 1, 2), "3");
    CHECK(call(l, "index", "(i)", 7) == NULL);
    tv_check_error("ValueError", "7 is not in list");
    tv_check_repr(call(l, "count", "(i)", 1), "2");
    tv_check_repr(call(l, "pop", NULL), "6");
    tv_check_repr(call(l, "pop", "(i)", 0), "3");
    tv_check_repr(call(l, "pop", "(i)", -2), "9");
    CHECK(call(l, "pop", "(i)", 10) == NULL);
    tv_check_error("IndexError", "pop index out of range");
    tv_check_repr(Py_NewRef(l), "[1, 4, 1, 5, 2]");
    CHECK(call(l, "remove", "(i)", 1) == Py_None);
    CHECK(call(l, "remove", "(i)", 42) == NULL);
    tv_check_error("ValueError", "list.remove(x): x not in list");
    CHECK(call(l, "insert", "(is)", 0, "x") == Py_None);
    CHECK(call(l, "insert", "(is)", -1, "y") == Py_None);
    CHECK(call(l, "insert", "(is)", 100, "z") == Py_None);
    tv_check_repr(Py_NewRef(l), "['x', 4, 1, 5, 'y', 2, 'z']");
    CHECK(call(l, "reverse", NULL) == Py_None);
    tv_check_repr(Py_NewRef(l), "['z', 2, 'y', 5, 1, 4, 'x']");
    tv_check_repr(call(l, "copy", NULL), "['z', 2, 'y', 5, 1, 4, 'x']");
    CHECK(call(l, "clear", NULL) == Py_None);
    tv_check_repr(Py_NewRef(l), "[]");
    CHECK(call(l, "pop", NULL) == NULL);
    tv_check_error("IndexError", "pop from empty list");
    PyObject *t = Py_BuildValue("(iii)", 7, 8, 9);
    CHECK(call(l, "extend", "(O)", t) == Py_None);
    CHECK(call(l, "extend", "(O)", l) == Py_None);     /* itself */
    tv_check_repr(Py_NewRef(l), "[7, 8, 9, 7, 8, 9]");
    Py_DECREF(t);
    /* errors of the C API */
    CHECK(PyList_GetItemRef(l, 6) == NULL);
    tv_check_error("IndexError", "list index out of range");
    CHECK(PyList_SetItem(l, 6, PyLong_FromLong(1)) == -1);
    tv_check_error("IndexError", "list assignment index out of range");
    tv_check_repr(PyList_AsTuple(l), "(7, 8, 9, 7, 8, 9)");
    PyObject *item = PyList_GetItemRef(l, 2);
    tv_check_repr(item, "9");
    Py_DECREF(l);
}

static PyObject *
slice(long a, long b, long c, int has_a, int has_b, int has_c)
{
    PyObject *pa = has_a ? PyLong_FromLong(a) : Py_NewRef(Py_None);
    PyObject *pb = has_b ? PyLong_FromLong(b) : Py_NewRef(Py_None);
    PyObject *pc = has_c ? PyLong_FromLong(c) : Py_NewRef(Py_None);
    PyObject *s = PySlice_New(pa, pb, pc);
    Py_DECREF(pa);
    Py_DECREF(pb);
    Py_DECREF(pc);
    return s;
}

static void
test_slices(void)
{
    static const long v[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    PyObject *l = ints(v, 10);
    PyMappingMethods *mp = PyList_Type.tp_as_mapping;
    PyObject *s = slice(1, 8, 3, 1, 1, 1);
    tv_check_repr(mp->mp_subscript(l, s), "[1, 4, 7]");
    Py_DECREF(s);
    s = slice(0, 0, -2, 0, 0, 1);
    tv_check_repr(mp->mp_subscript(l, s), "[9, 7, 5, 3, 1]");
    Py_DECREF(s);
    s = slice(-3, 0, 0, 1, 0, 0);
    tv_check_repr(mp->mp_subscript(l, s), "[7, 8, 9]");
    Py_DECREF(s);
    /* a[2:5] = 'ab' */
    s = slice(2, 5, 0, 1, 1, 0);
    PyObject *ab = PyUnicode_FromString("ab");
    CHECK(mp->mp_ass_subscript(l, s, ab) == 0);
    tv_check_repr(Py_NewRef(l), "[0, 1, 'a', 'b', 5, 6, 7, 8, 9]");
    Py_DECREF(s);
    /* a[::3] = 'xyz' */
    s = slice(0, 0, 3, 0, 0, 1);
    PyObject *xyz = PyUnicode_FromString("xyz");
    CHECK(mp->mp_ass_subscript(l, s, xyz) == 0);
    tv_check_repr(Py_NewRef(l), "['x', 1, 'a', 'y', 5, 6, 'z', 8, 9]");
    CHECK(mp->mp_ass_subscript(l, s, ab) == -1);
    tv_check_error("ValueError", "attempt to assign sequence of size 2 to "
                   "extended slice of size 3");
    PyObject *five = PyLong_FromLong(5);
    CHECK(mp->mp_ass_subscript(l, s, five) == -1);
    tv_check_error("TypeError", "must assign iterable to extended slice");
    /* del a[::-2] */
    Py_DECREF(s);
    s = slice(0, 0, -2, 0, 0, 1);
    CHECK(mp->mp_ass_subscript(l, s, NULL) == 0);
    tv_check_repr(Py_NewRef(l), "[1, 'y', 6, 8]");
    Py_DECREF(s);
    /* a[1:1] = a (self-assignment), then del a[:2] */
    s = slice(1, 1, 0, 1, 1, 0);
    CHECK(mp->mp_ass_subscript(l, s, l) == 0);
    tv_check_repr(Py_NewRef(l), "[1, 1, 'y', 6, 8, 'y', 6, 8]");
    Py_DECREF(s);
    s = slice(0, 2, 0, 0, 1, 0);
    CHECK(mp->mp_ass_subscript(l, s, NULL) == 0);
    tv_check_repr(Py_NewRef(l), "['y', 6, 8, 'y', 6, 8]");
    CHECK(mp->mp_ass_subscript(l, s, five) == -1);
    tv_check_error("TypeError", "can only assign an iterable");
    Py_DECREF(s);
    PyObject *idx = PyLong_FromLong(-7);
    CHECK(mp->mp_ass_subscript(l, idx, five) == -1);
    tv_check_error("IndexError", "list assignment index out of range");
    CHECK(mp->mp_subscript(l, idx) == NULL);
    tv_check_error("IndexError", "list index out of range");
    CHECK(mp->mp_subscript(l, ab) == NULL);
    tv_check_error("TypeError",
                   "list indices must be integers or slices, not str");
    Py_DECREF(idx);
    Py_DECREF(five);
    Py_DECREF(ab);
    Py_DECREF(xyz);
    Py_DECREF(l);
}

static void
test_operators(void)
{
    static const long a[] = {1, 2}, b[] = {1, 2, 3};
    PyObject *la = ints(a, 2), *lb = ints(b, 3);
    PySequenceMethods *sq = PyList_Type.tp_as_sequence;
    tv_check_repr(sq->sq_concat(la, lb), "[1, 2, 1, 2, 3]");
    tv_check_repr(sq->sq_repeat(la, 3), "[1, 2, 1, 2, 1, 2]");
    tv_check_repr(sq->sq_repeat(la, -1), "[]");
    CHECK(sq->sq_repeat(la, PY_SSIZE_T_MAX / 2) == NULL);
    tv_check_error("MemoryError", "");
    PyObject *t = PyTuple_New(0);
    CHECK(sq->sq_concat(la, t) == NULL);
    tv_check_error("TypeError",
                   "can only concatenate list (not \"tuple\") to list");
    Py_DECREF(t);
    CHECK(PyObject_RichCompare(la, lb, Py_LT) == Py_True);
    CHECK(PyObject_RichCompare(la, lb, Py_EQ) == Py_False);
    CHECK(PyObject_RichCompare(lb, lb, Py_GE) == Py_True);
    PyObject *r = sq->sq_inplace_concat(la, lb);
    CHECK(r == la);
    Py_DECREF(r);
    r = sq->sq_inplace_repeat(la, 2);
    CHECK(r == la);
    Py_DECREF(r);
    tv_check_repr(Py_NewRef(la), "[1, 2, 1, 2, 3, 1, 2, 1, 2, 3]");
    CHECK(sq->sq_contains(la, PyLong_FromLong(3)) == 1);
    CHECK(sq->sq_contains(la, PyLong_FromLong(4)) == 0);
    /* recursion in repr */
    CHECK(PyList_Append(lb, lb) == 0);
    tv_check_repr(Py_NewRef(lb), "[1, 2, 3, [...]]");
    CHECK(PyList_SetSlice(lb, 3, 4, NULL) == 0);
    /* iterators */
    PyObject *it = PyObject_GetIter(lb);
    tv_check_repr(PyIter_Next(it), "1");
    PyObject *rit = PyObject_CallMethod(lb, "__reversed__", NULL);
    tv_check_repr(PyIter_Next(rit), "3");
    tv_check_repr(PyIter_Next(rit), "2");
    tv_check_repr(PyIter_Next(rit), "1");
    CHECK(PyIter_Next(rit) == NULL && !PyErr_Occurred());
    Py_DECREF(rit);
    Py_DECREF(it);
    Py_DECREF(la);
    Py_DECREF(lb);
}

/* Objects that compare by key only, to see stability. */
typedef struct {
    PyObject_HEAD
    long key, seq;
} KeyedObject;

static PyObject *
keyed_richcompare(PyObject *a, PyObject *b, int op)
{
    Py_RETURN_RICHCOMPARE(((KeyedObject *)a)->key, ((KeyedObject *)b)->key,
                          op);
}

static void
keyed_dealloc(PyObject *op)
{
    PyObject_Free(op);
}

static PyTypeObject KeyedType = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "keyed",
    .tp_basicsize = sizeof(KeyedObject),
    .tp_dealloc = keyed_dealloc,
    .tp_richcompare = keyed_richcompare,
};

/* Equal keys keep their order (stability), reverse=True keeps it too, and
   the result is a sorted permutation; inputs with runs, reversed runs and
   random keys. */
static void
check_sorted_stable(PyObject *l, int reverse)
{
    for (Py_ssize_t i = 1; i < PyList_GET_SIZE(l); i++) {
        KeyedObject *a = (KeyedObject *)PyList_GET_ITEM(l, i - 1);
        KeyedObject *b = (KeyedObject *)PyList_GET_ITEM(l, i);
        CHECK(reverse ? a->key >= b->key : a->key <= b->key);
        if (a->key == b->key) {
            CHECK(a->seq < b->seq);
        }
    }
}

static void
test_sort(void)
{
    enum { N = 20000 };
    CHECK(PyType_Ready(&KeyedType) == 0);
    for (int shape = 0; shape < 4; shape++) {
        PyObject *l = PyList_New(0);
        uint64_t s = 12345 + shape;
        for (int i = 0; i < N; i++) {
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            KeyedObject *k = PyObject_Malloc(sizeof(KeyedObject));
            PyObject_Init((PyObject *)k, &KeyedType);
            k->seq = i;
            k->key = shape == 0 ? (long)((s >> 33) % 1000)       /* random */
                     : shape == 1 ? i / 10                        /* sorted */
                     : shape == 2 ? (N - i) / 10                  /* reversed */
                     : (i % 100 < 50 ? i : N - i) / 3;            /* runs */
            CHECK(PyList_Append(l, (PyObject *)k) == 0);
            Py_DECREF(k);
        }
        CHECK(PyList_Sort(l) == 0);
        CHECK(PyList_GET_SIZE(l) == N);
        check_sorted_stable(l, 0);
        PyObject *kw = Py_BuildValue("{s:O}", "reverse", Py_True);
        PyObject *sort = PyObject_GetAttrString(l, "sort");
        PyObject *args = PyTuple_New(0);
        PyObject *r = PyObject_Call(sort, args, kw);
        CHECK(r == Py_None);
        check_sorted_stable(l, 1);
        Py_DECREF(r);
        Py_DECREF(args);
        Py_DECREF(sort);
        Py_DECREF(kw);
        Py_DECREF(l);
    }
    /* ints: presorted, reversed, random, with duplicates; floats; strs */
    static const long runs[] = {5, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5};
    PyObject *l = ints(runs, 11);
    CHECK(PyList_Sort(l) == 0);
    tv_check_repr(Py_NewRef(l), "[1, 1, 2, 3, 4, 5, 5, 5, 5, 6, 9]");
    Py_DECREF(l);
    l = PyList_New(0);
    for (int i = 0; i < 5000; i++) {
        PyObject *x = PyLong_FromLong(i % 7 == 0 ? -i : 5000 - i);
        PyList_Append(l, x);
        Py_DECREF(x);
    }
    CHECK(PyList_Sort(l) == 0);
    for (int i = 1; i < 5000; i++) {
        CHECK(PyObject_RichCompareBool(PyList_GET_ITEM(l, i - 1),
                                       PyList_GET_ITEM(l, i), Py_LE) == 1);
    }
    Py_DECREF(l);
    l = Py_BuildValue("[sssss]", "pear", "\xc3\xa9t\xc3\xa9", "apple", "Zoo",
                      "\xf0\x9d\x84\x9e");
    CHECK(PyList_Sort(l) == 0);
    tv_check_repr(Py_NewRef(l),
                  "['Zoo', 'apple', 'pear', '\xc3\xa9t\xc3\xa9', "
                  "'\xf0\x9d\x84\x9e']");
    Py_DECREF(l);
    /* mixed types: TypeError, every item still there */
    l = Py_BuildValue("[isi]", 3, "a", 1);
    CHECK(PyList_Sort(l) == -1);
    tv_check_error("TypeError",
                   "'<' not supported between instances of 'str' and 'int'");
    CHECK(PyList_GET_SIZE(l) == 3);
    Py_DECREF(l);
}

/* An object whose comparison appends to a list: sorting that list must
   raise "list modified during sort". */
typedef struct {
    PyObject_HEAD
    PyObject *target;   /* borrowed */
    long value;
} MeddlerObject;

static PyObject *
meddler_richcompare(PyObject *a, PyObject *b, int op)
{
    MeddlerObject *x = (MeddlerObject *)a, *y = (MeddlerObject *)b;
    PyObject *junk = PyLong_FromLong(12345);
    PyList_Append(x->target, junk);
    Py_DECREF(junk);
    Py_RETURN_RICHCOMPARE(x->value, y->value, op);
}

static void
meddler_dealloc(PyObject *op)
{
    PyObject_Free(op);
}

static PyObject *
meddler_repr(PyObject *op)
{
    return PyUnicode_FromFormat("M%ld", ((MeddlerObject *)op)->value);
}

static PyTypeObject MeddlerType = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "meddler",
    .tp_basicsize = sizeof(MeddlerObject),
    .tp_dealloc = meddler_dealloc,
    .tp_repr = meddler_repr,
    .tp_richcompare = meddler_richcompare,
};

static void
test_modified_during_sort(void)
{
    CHECK(PyType_Ready(&MeddlerType) == 0);
    PyObject *l = PyList_New(0);
    for (int i = 0; i < 5; i++) {
        MeddlerObject *m = PyObject_Malloc(sizeof(MeddlerObject));
        PyObject_Init((PyObject *)m, &MeddlerType);
        m->target = l;
        m->value = 5 - i;
        PyList_Append(l, (PyObject *)m);
        Py_DECREF(m);
    }
    CHECK(PyList_Sort(l) == -1);
    tv_check_error("ValueError", "list modified during sort");
    /* The sorted items are back and the intruders are gone. */
    tv_check_repr(Py_NewRef(l), "[M1, M2, M3, M4, M5]");
    Py_DECREF(l);
}

/* ------------------------------------------------------ replay */

static uint64_t
fnv_str(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 0x100000001b3ULL;
    }
    return h;
}

static PyObject *
range_list(int v, int k)
{
    PyObject *l = PyList_New(0);
    for (int x = v; x < v + k; x++) {
        PyObject *o = PyLong_FromLong(x);
        PyList_Append(l, o);
        Py_DECREF(o);
    }
    return l;
}

static PyObject *
slice_of(int i, int j, int step, int has_step)
{
    PyObject *a = PyLong_FromLong(i), *b = PyLong_FromLong(j);
    PyObject *c = has_step ? PyLong_FromLong(step) : Py_NewRef(Py_None);
    PyObject *sl = PySlice_New(a, b, c);
    Py_DECREF(a);
    Py_DECREF(b);
    Py_DECREF(c);
    return sl;
}

/* Applies one operation; returns the text CPython printed for it (a
   result repr, an error, or ""), in a static buffer. */
static const char *
apply_op(PyObject *l, const struct listop *o)
{
    static char out[4096];
    PyMappingMethods *mp = PyList_Type.tp_as_mapping;
    PyObject *r = NULL;
    int ok = 0, has_result = 0;
    out[0] = '\0';
    const char *op = o->op;
    if (strcmp(op, "append") == 0) {
        r = PyObject_CallMethod(l, "append", "(i)", o->value);
    }
    else if (strcmp(op, "insert") == 0) {
        r = PyObject_CallMethod(l, "insert", "(ii)", o->i, o->value);
    }
    else if (strcmp(op, "pop") == 0) {
        r = PyObject_CallMethod(l, "pop", "(i)", o->i);
        has_result = 1;
    }
    else if (strcmp(op, "delslice") == 0 || strcmp(op, "delext") == 0) {
        PyObject *sl = slice_of(o->i, o->j, o->step, op[3] == 'e');
        ok = mp->mp_ass_subscript(l, sl, NULL) == 0;
        Py_DECREF(sl);
    }
    else if (strcmp(op, "setslice") == 0 || strcmp(op, "setext") == 0) {
        PyObject *sl = slice_of(o->i, o->j, o->step, op[3] == 'e');
        PyObject *vals = range_list(o->value, o->count);
        ok = mp->mp_ass_subscript(l, sl, vals) == 0;
        Py_DECREF(vals);
        Py_DECREF(sl);
    }
    else if (strcmp(op, "getslice") == 0 || strcmp(op, "getext") == 0) {
        PyObject *sl = slice_of(o->i, o->j, o->step, op[3] == 'e');
        r = mp->mp_subscript(l, sl);
        has_result = 1;
        Py_DECREF(sl);
    }
    else if (strcmp(op, "reverse") == 0) {
        r = PyObject_CallMethod(l, "reverse", NULL);
    }
    else if (strcmp(op, "sort") == 0) {
        PyObject *kw = Py_BuildValue("{s:O}", "reverse",
                                     o->i ? Py_True : Py_False);
        PyObject *m = PyObject_GetAttrString(l, "sort");
        PyObject *args = PyTuple_New(0);
        r = PyObject_Call(m, args, kw);
        Py_DECREF(args);
        Py_DECREF(m);
        Py_DECREF(kw);
    }
    else if (strcmp(op, "extend") == 0) {
        PyObject *vals = range_list(o->value, o->count);
        r = PyObject_CallMethod(l, "extend", "(O)", vals);
        Py_DECREF(vals);
    }
    else if (strcmp(op, "remove") == 0) {
        r = PyObject_CallMethod(l, "remove", "(i)", o->value);
    }
    else if (strcmp(op, "setitem") == 0) {
        PyObject *idx = PyLong_FromLong(o->i), *v = PyLong_FromLong(o->value);
        ok = mp->mp_ass_subscript(l, idx, v) == 0;
        Py_DECREF(idx);
        Py_DECREF(v);
    }
    else if (strcmp(op, "imul") == 0) {
        r = PyList_Type.tp_as_sequence->sq_inplace_repeat(l, o->count);
    }
    else {
        abort();
    }
    if (r != NULL) {
        ok = 1;
        if (has_result) {
            PyObject *rs = PyObject_Repr(r);
            snprintf(out, sizeof(out), "%s", PyUnicode_AsUTF8(rs));
            Py_DECREF(rs);
        }
        Py_DECREF(r);
    }
    if (!ok) {
        snprintf(out, sizeof(out), "%s", tv_error());
    }
    return out;
}

static void
test_replay(void)
{
    PyObject *l = PyList_New(0);
    for (size_t n = 0; n < Py_ARRAY_LENGTH(listops); n++) {
        const struct listop *o = &listops[n];
        const char *out = apply_op(l, o);
        PyObject *rs = PyObject_Repr(l);
        const char *text = PyUnicode_AsUTF8(rs);
        if (strcmp(out, o->out) != 0 || fnv_str(text) != o->hash) {
            fprintf(stderr, "op %zu (%s %d %d %d %d %d): got '%s', expected "
                    "'%s'; list now %s\n", n, o->op, o->i, o->j, o->step,
                    o->value, o->count, out, o->out, text);
            exit(1);
        }
        Py_DECREF(rs);
    }
    tv_check_repr(l, listops_final);
}

/* ------------------------------------------------------ concurrency */

#define NTHREADS 8
#define RUN_SECONDS 1.0
#define BASE_VALUE 1000000000L

static PyObject *shared_list;     /* append / pop */
static PyObject *shared_list2;    /* set / read / sort */
static PyObject *shared_iter;     /* one iterator, many threads */
static int stop_flag;

struct worker {
    int id;
    long appended, popped;
    uint64_t sum_appended, sum_popped;
    long reads, bad;
};
static struct worker workers[NTHREADS];

/* Every value in the lists is an int BASE_VALUE * (tid + 1) + k or, in
   shared_list2, an int in [0, 1000). */
static int
valid_value(PyObject *x)
{
    if (!PyLong_CheckExact(x)) {
        return 0;
    }
    long v = PyLong_AsLong(x);
    return (v >= 0 && v < 1000) ||
           (v >= BASE_VALUE && v < BASE_VALUE * (NTHREADS + 1));
}

static void *
worker_main(void *arg)
{
    struct worker *w = arg;
    PyGILState_STATE g = PyGILState_Ensure();
    PyThreadState *ts = PyThreadState_Get();
    uint64_t rnd = 88172645463325252ULL + (uint64_t)w->id;
    long k = 0;
    while (!_Py_atomic_load_int_relaxed(&stop_flag)) {
        rnd ^= rnd << 13;
        rnd ^= rnd >> 7;
        rnd ^= rnd << 17;
        int role = w->id % 4;
        if (role == 0 || (role == 1 && (rnd & 3) == 0)) {
            /* append a fresh (non-immortal, owned by us) int */
            long v = BASE_VALUE * (w->id + 1) + k++;
            PyObject *x = PyLong_FromLong(v);
            CHECK(PyList_Append(shared_list, x) == 0);
            Py_DECREF(x);
            w->appended++;
            w->sum_appended += (uint64_t)v;
        }
        else if (role == 1) {
            PyObject *x = PyObject_CallMethod(shared_list, "pop", NULL);
            if (x == NULL) {
                CHECK(PyErr_ExceptionMatches(PyExc_IndexError));
                PyErr_Clear();
            }
            else {
                CHECK(valid_value(x));
                w->popped++;
                w->sum_popped += (uint64_t)PyLong_AsLong(x);
                Py_DECREF(x);
            }
        }
        else if (role == 2) {
            /* read random items of both lists without locks */
            Py_ssize_t n = PyList_GET_SIZE(shared_list);
            Py_ssize_t i = n ? (Py_ssize_t)(rnd % (uint64_t)n) : 0;
            PyObject *x = PyList_GetItemRef(shared_list, i);
            if (x == NULL) {
                PyErr_Clear();
            }
            else {
                w->bad += !valid_value(x);
                w->reads++;
                Py_DECREF(x);
            }
            x = PyList_GetItemRef(shared_list2, (Py_ssize_t)(rnd % 64));
            if (x == NULL) {
                PyErr_Clear();     /* empty while being sorted */
            }
            else {
                w->bad += !valid_value(x);
                w->reads++;
                Py_DECREF(x);
            }
            /* and the shared iterator */
            x = PyIter_Next(shared_iter);
            if (x != NULL) {
                w->bad += !valid_value(x);
                Py_DECREF(x);
            }
        }
        else {
            /* set items of list2 to fresh values, sometimes sort it */
            if ((rnd & 255) == 0) {
                CHECK(PyList_Sort(shared_list2) == 0 ||
                      (PyErr_ExceptionMatches(PyExc_ValueError) &&
                       (PyErr_Clear(), 1)));
            }
            else {
                PyObject *x = PyLong_FromLong((long)(rnd % 1000));
                CHECK(PyList_SetItem(shared_list2,
                                     (Py_ssize_t)((rnd >> 8) % 64), x) == 0
                      || (PyErr_Clear(), 1));
            }
        }
        if ((k & 63) == 0 || (rnd & 63) == 0) {
            CHECK(_PyEval_CheckBreaker(ts) == 0);
        }
    }
    PyGILState_Release(g);
    return NULL;
}

static void
test_threads(void)
{
    shared_list = PyList_New(0);
    shared_list2 = PyList_New(0);
    for (int i = 0; i < 64; i++) {
        PyObject *x = PyLong_FromLong(i + 500);
        PyList_Append(shared_list2, x);
        Py_DECREF(x);
    }
    PyObject *big = PyList_New(0);
    for (int i = 0; i < 100000; i++) {
        PyObject *x = PyLong_FromLong(i % 1000);
        PyList_Append(big, x);
        Py_DECREF(x);
    }
    shared_iter = PyObject_GetIter(big);
    Py_DECREF(big);
    pthread_t th[NTHREADS];
    PyThreadState *save = PyEval_SaveThread();
    for (int t = 0; t < NTHREADS; t++) {
        workers[t].id = t;
        CHECK(pthread_create(&th[t], NULL, worker_main, &workers[t]) == 0);
    }
    double start = tv_seconds();
    while (tv_seconds() - start < RUN_SECONDS) {
        usleep(10000);
    }
    _Py_atomic_store_int(&stop_flag, 1);
    for (int t = 0; t < NTHREADS; t++) {
        CHECK(pthread_join(th[t], NULL) == 0);
    }
    PyEval_RestoreThread(save);
    long appended = 0, popped = 0, reads = 0, bad = 0;
    uint64_t sum_app = 0, sum_pop = 0;
    for (int t = 0; t < NTHREADS; t++) {
        appended += workers[t].appended;
        popped += workers[t].popped;
        sum_app += workers[t].sum_appended;
        sum_pop += workers[t].sum_popped;
        reads += workers[t].reads;
        bad += workers[t].bad;
    }
    CHECK(bad == 0);
    CHECK(appended > 0 && popped > 0 && reads > 0);
    /* Nothing lost, nothing duplicated: what is left plus what was popped
       is exactly what was appended. */
    Py_ssize_t n = PyList_GET_SIZE(shared_list);
    CHECK(n == appended - popped);
    uint64_t sum_left = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        sum_left += (uint64_t)PyLong_AsLong(PyList_GET_ITEM(shared_list, i));
    }
    CHECK(sum_left + sum_pop == sum_app);
    CHECK(PyList_Sort(shared_list) == 0);
    for (Py_ssize_t i = 1; i < n; i++) {
        CHECK(PyObject_RichCompareBool(PyList_GET_ITEM(shared_list, i - 1),
                                       PyList_GET_ITEM(shared_list, i),
                                       Py_LT) == 1);
    }
    CHECK(PyList_GET_SIZE(shared_list2) == 64);
    for (Py_ssize_t i = 0; i < 64; i++) {
        CHECK(valid_value(PyList_GET_ITEM(shared_list2, i)));
    }
    printf("threads: %ld appended, %ld popped, %ld reads\n", appended,
           popped, reads);
    Py_CLEAR(shared_list);
    Py_CLEAR(shared_list2);
    Py_CLEAR(shared_iter);
}

int
main(void)
{
    tv_init();
    test_methods();
    test_slices();
    test_operators();
    test_sort();
    test_modified_during_sort();
    test_replay();
    test_threads();
    tv_fini();
    printf("test_values_list: ok\n");
    return 0;
}
