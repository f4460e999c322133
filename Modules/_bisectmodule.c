/* The _bisect module: binary search and sorted insertion over any
 * sequence, with the lo/hi/key parameters of Python 3.11.
 *
 * Thread safety: no lock is held across the search.  Each probe reads
 * one item with PySequence_GetItem (a lock-free, reference-safe read for
 * lists) and then runs a comparison that may execute Python code and
 * mutate the sequence, exactly as in CPython; the result is then only
 * as meaningful as the input was sorted, but nothing can crash.  The
 * module has no mutable C state. */
#include "Python.h"

/* Parsed arguments shared by the four functions. */
typedef struct {
    PyObject *a;            /* borrowed */
    PyObject *x;            /* borrowed */
    Py_ssize_t lo;
    Py_ssize_t hi;          /* -1: len(a) */
    PyObject *key;          /* borrowed, NULL when None */
} bisect_args;

/* hi: an int (index-sized, OverflowError if not) or None (-1). */
static int
convert_hi(PyObject *obj, Py_ssize_t *hi)
{
    if (obj == NULL || obj == Py_None) {
        *hi = -1;
        return 0;
    }
    if (!PyIndex_Check(obj)) {
        PyErr_Format(PyExc_TypeError,
                     "argument should be integer or None, not '%.200s'",
                     Py_TYPE(obj)->tp_name);
        return -1;
    }
    *hi = PyNumber_AsSsize_t(obj, PyExc_OverflowError);
    if (*hi == -1 && PyErr_Occurred()) {
        return -1;
    }
    return 0;
}

/* Parse (a, x, lo=0, hi=None, *, key=None).  0, or -1 with an error. */
static int
parse_bisect_args(const char *fmt, PyObject *args, PyObject *kwds,
                  bisect_args *p)
{
    static char *kwlist[] = {"a", "x", "lo", "hi", "key", NULL};
    PyObject *lo = NULL, *hi = NULL, *key = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, fmt, kwlist, &p->a, &p->x,
                                     &lo, &hi, &key)) {
        return -1;
    }
    p->lo = 0;
    if (lo != NULL) {
        PyObject *idx = PyNumber_Index(lo);
        if (idx == NULL) {
            return -1;
        }
        p->lo = PyLong_AsSsize_t(idx);
        Py_DECREF(idx);
        if (p->lo == -1 && PyErr_Occurred()) {
            return -1;
        }
    }
    if (convert_hi(hi, &p->hi) < 0) {
        return -1;
    }
    p->key = (key == Py_None) ? NULL : key;
    return 0;
}

/* The search proper.  x is compared with key(a[mid]) (or a[mid]).
 * right selects bisect_right.  Returns the index, or -1 with an error. */
static Py_ssize_t
internal_bisect(PyObject *a, PyObject *x, Py_ssize_t lo, Py_ssize_t hi,
                PyObject *key, int right)
{
    if (lo < 0) {
        PyErr_SetString(PyExc_ValueError, "lo must be non-negative");
        return -1;
    }
    if (hi == -1) {
        hi = PySequence_Size(a);
        if (hi < 0) {
            return -1;
        }
    }
    while (lo < hi) {
        /* Summed as size_t: both are non-negative, so no overflow. */
        Py_ssize_t mid = ((size_t)lo + hi) / 2;
        PyObject *item = PySequence_GetItem(a, mid);
        if (item == NULL) {
            return -1;
        }
        if (key != NULL) {
            PyObject *k = PyObject_CallOneArg(key, item);
            Py_DECREF(item);
            if (k == NULL) {
                return -1;
            }
            item = k;
        }
        int less = right ? PyObject_RichCompareBool(x, item, Py_LT)
                         : PyObject_RichCompareBool(item, x, Py_LT);
        Py_DECREF(item);
        if (less < 0) {
            return -1;
        }
        if (right) {
            if (less) {
                hi = mid;
            }
            else {
                lo = mid + 1;
            }
        }
        else {
            if (less) {
                lo = mid + 1;
            }
            else {
                hi = mid;
            }
        }
    }
    return lo;
}

/* bisect_left / bisect_right.  New reference to the index. */
static PyObject *
bisect_common(const char *fmt, PyObject *args, PyObject *kwds, int right)
{
    bisect_args p;
    if (parse_bisect_args(fmt, args, kwds, &p) < 0) {
        return NULL;
    }
    Py_ssize_t i = internal_bisect(p.a, p.x, p.lo, p.hi, p.key, right);
    if (i < 0) {
        return NULL;
    }
    return PyLong_FromSsize_t(i);
}

/* insort_left / insort_right: find the spot for key(x) and insert x
 * there, through PyList_Insert for exact lists, else a.insert(i, x).
 * Returns None (new reference). */
static PyObject *
insort_common(const char *fmt, PyObject *args, PyObject *kwds, int right)
{
    bisect_args p;
    if (parse_bisect_args(fmt, args, kwds, &p) < 0) {
        return NULL;
    }
    PyObject *kx = p.x;
    if (p.key != NULL) {
        kx = PyObject_CallOneArg(p.key, p.x);
        if (kx == NULL) {
            return NULL;
        }
    }
    else {
        Py_INCREF(kx);
    }
    Py_ssize_t i = internal_bisect(p.a, kx, p.lo, p.hi, p.key, right);
    Py_DECREF(kx);
    if (i < 0) {
        return NULL;
    }
    if (PyList_CheckExact(p.a)) {
        if (PyList_Insert(p.a, i, p.x) < 0) {
            return NULL;
        }
        Py_RETURN_NONE;
    }
    PyObject *res = PyObject_CallMethod(p.a, "insert", "nO", i, p.x);
    if (res == NULL) {
        return NULL;
    }
    Py_DECREF(res);
    Py_RETURN_NONE;
}

/* The four entry points differ only in their name and direction.  Each
 * returns a new reference. */
static PyObject *
bisect_bisect_left(PyObject *m, PyObject *args, PyObject *kwds)
{
    return bisect_common("OO|OO$O:bisect_left", args, kwds, 0);
}

static PyObject *
bisect_bisect_right(PyObject *m, PyObject *args, PyObject *kwds)
{
    return bisect_common("OO|OO$O:bisect_right", args, kwds, 1);
}

static PyObject *
bisect_insort_left(PyObject *m, PyObject *args, PyObject *kwds)
{
    return insort_common("OO|OO$O:insort_left", args, kwds, 0);
}

static PyObject *
bisect_insort_right(PyObject *m, PyObject *args, PyObject *kwds)
{
    return insort_common("OO|OO$O:insort_right", args, kwds, 1);
}

#define BISECT_SIG "($module, /, a, x, lo=0, hi=None, *, key=None)\n--\n\n"
#define BISECT_BOUNDS "Optional args lo (default 0) and hi (default len(a)) " \
                      "bound the\nslice of a to be searched."

static PyMethodDef bisect_methods[] = {
    {"bisect_right", (PyCFunction)(void (*)(void))bisect_bisect_right,
     METH_VARARGS | METH_KEYWORDS,
     "bisect_right" BISECT_SIG
     "Return the index where to insert item x in list a, assuming a is "
     "sorted.\n\n"
     "The return value i is such that all e in a[:i] have e <= x, and all "
     "e in\n"
     "a[i:] have e > x.  So if x already appears in the list, a.insert(i, "
     "x) will\n"
     "insert just after the rightmost x already there.\n\n" BISECT_BOUNDS},
    {"insort_right", (PyCFunction)(void (*)(void))bisect_insort_right,
     METH_VARARGS | METH_KEYWORDS,
     "insort_right" BISECT_SIG
     "Insert item x in list a, and keep it sorted assuming a is sorted.\n\n"
     "If x is already in a, insert it to the right of the rightmost x.\n\n"
     BISECT_BOUNDS},
    {"bisect_left", (PyCFunction)(void (*)(void))bisect_bisect_left,
     METH_VARARGS | METH_KEYWORDS,
     "bisect_left" BISECT_SIG
     "Return the index where to insert item x in list a, assuming a is "
     "sorted.\n\n"
     "The return value i is such that all e in a[:i] have e < x, and all "
     "e in\n"
     "a[i:] have e >= x.  So if x already appears in the list, a.insert(i, "
     "x) will\n"
     "insert just before the leftmost x already there.\n\n" BISECT_BOUNDS},
    {"insort_left", (PyCFunction)(void (*)(void))bisect_insort_left,
     METH_VARARGS | METH_KEYWORDS,
     "insort_left" BISECT_SIG
     "Insert item x in list a, and keep it sorted assuming a is sorted.\n\n"
     "If x is already in a, insert it to the left of the leftmost x.\n\n"
     BISECT_BOUNDS},
    {NULL}
};

static PyModuleDef bisect_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_bisect",
    .m_doc = "Bisection algorithms.\n\n"
             "This module provides support for maintaining a list in sorted "
             "order without\n"
             "having to sort the list after each insertion. For long lists "
             "of items with\n"
             "expensive comparison operations, this can be an improvement "
             "over the more\ncommon approach.\n",
    .m_size = 0,
    .m_methods = bisect_methods,
};

/* Create the _bisect module.  Returns a new reference. */
PyMODINIT_FUNC
PyInit__bisect(void)
{
    return PyModule_Create(&bisect_module);
}
