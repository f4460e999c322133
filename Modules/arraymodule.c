/* The array module: compact arrays of C numbers (and wchar_t for 'u'),
 * with the whole interface of Python 3.11's array.array.
 *
 * Thread safety (see ARCHITECTURE.md section 6):
 * - An array is a mutable container.  Every operation that mutates it
 *   (item and slice assignment, append, extend, insert, pop, remove,
 *   reverse, byteswap, frombytes/fromlist/fromunicode/fromfile, +=, *=)
 *   runs in a critical section on the array, and so does every read of
 *   its items (item access, slicing, tolist, tobytes, repr, comparisons,
 *   iteration, pickling): items are raw C bytes, not objects, so there is
 *   no conditional-increment protocol that would make a lock-free read
 *   safe against a concurrent realloc of ob_item.  len() reads ob_size
 *   with a relaxed atomic load (a stale length is harmless: every index is
 *   re-checked under the lock).
 * - Values are converted to their C representation (which may run
 *   __index__ / __float__) before the section is entered, and items are
 *   compared (count, index, remove, in) outside it, one item copied out
 *   at a time, so no Python code runs while the array is locked; the
 *   result of such a scan is only as meaningful as a concurrent mutation
 *   allows, exactly as with list.
 * - Buffer exports: bf_getbuffer increments ob_exports and
 *   bf_releasebuffer decrements it, both inside the section; every
 *   operation that could reallocate or move ob_item checks ob_exports
 *   under the same section and raises BufferError "cannot resize an array
 *   that is exporting buffers", so an exported pointer stays valid until
 *   released.  Writes through an exported buffer are the exporter's
 *   consumer's business, as in CPython.
 * - fromfile/tofile call f.read / f.write with the section released.
 * - The iterator locks itself and its array (two-object section) for
 *   each step.
 * - The module has no mutable C state. */
#include "Python.h"
#include "structmember.h"
#include "pycore_critical_section.h"
#include <float.h>
#include <stddef.h>
#include <string.h>
#include <wchar.h>

/* The machine format codes of the pickle format (_array_reconstructor's
 * third argument); part of the interface, shared with CPython. */
enum machine_format_code {
    UNKNOWN_FORMAT = -1,
    UNSIGNED_INT8 = 0,
    SIGNED_INT8 = 1,
    UNSIGNED_INT16_LE = 2,
    UNSIGNED_INT16_BE = 3,
    SIGNED_INT16_LE = 4,
    SIGNED_INT16_BE = 5,
    UNSIGNED_INT32_LE = 6,
    UNSIGNED_INT32_BE = 7,
    SIGNED_INT32_LE = 8,
    SIGNED_INT32_BE = 9,
    UNSIGNED_INT64_LE = 10,
    UNSIGNED_INT64_BE = 11,
    SIGNED_INT64_LE = 12,
    SIGNED_INT64_BE = 13,
    IEEE_754_FLOAT_LE = 14,
    IEEE_754_FLOAT_BE = 15,
    IEEE_754_DOUBLE_LE = 16,
    IEEE_754_DOUBLE_BE = 17,
    UTF16_LE = 18,
    UTF16_BE = 19,
    UTF32_LE = 20,
    UTF32_BE = 21
};
#define MACHINE_FORMAT_CODE_MIN 0
#define MACHINE_FORMAT_CODE_MAX 21

/* One item as raw bytes (the largest item is 8 bytes). */
typedef union {
    signed char b;
    unsigned char B;
    wchar_t u;
    short h;
    unsigned short H;
    int i;
    unsigned int I;
    long l;
    unsigned long L;
    long long q;
    unsigned long long Q;
    float f;
    double d;
    char raw[8];
} itembuf;

/* A type code's description.  conv turns a Python object into the item
 * representation (may run Python code; no lock held) and returns 0, or -1
 * with the 3.11 error; get makes the Python object of an item (new
 * reference). */
typedef struct arraydescr {
    char typecode;
    int itemsize;
    int (*conv)(PyObject *v, itembuf *out);
    PyObject *(*get)(const char *p);
    const char *formats;
    int is_integer;
    int is_signed;
} arraydescr;

typedef struct {
    PyObject_HEAD
    Py_ssize_t ob_size;         /* items; relaxed atomic stores */
    char *ob_item;              /* PyMem buffer, allocated items */
    Py_ssize_t allocated;
    const arraydescr *ob_descr;
    Py_ssize_t ob_exports;      /* buffer views alive */
    PyObject *weakreflist;
} arrayobject;

typedef struct {
    PyObject_HEAD
    Py_ssize_t index;
    arrayobject *ao;            /* NULL when exhausted */
} arrayiterobject;

static PyTypeObject Arraytype;
static PyTypeObject ArrayIter_Type;

#define array_Check(op) PyObject_TypeCheck(op, &Arraytype)

/* ------------------------------------------------ item conversion */

/* The int value of v through __index__, as a long long; *ovf is set to
 * -1/+1 (and the value unusable) when it does not fit.  0, or -1 with an
 * error.  Messages as 3.11's for non-integers. */
static int
get_longlong(PyObject *v, long long *x, int *ovf)
{
    PyObject *idx = PyNumber_Index(v);
    if (idx == NULL) {
        return -1;
    }
    *x = PyLong_AsLongLongAndOverflow(idx, ovf);
    if (*x == -1 && PyErr_Occurred()) {
        Py_DECREF(idx);
        return -1;
    }
    Py_DECREF(idx);
    return 0;
}

/* Check a signed value against [lo, hi] with the messages
 * "<name> is greater than maximum" / "less than minimum".  0 or -1. */
static int
check_range(long long x, int ovf, long long lo, long long hi,
            const char *name)
{
    if (ovf > 0 || x > hi) {
        PyErr_Format(PyExc_OverflowError, "%s is greater than maximum",
                     name);
        return -1;
    }
    if (ovf < 0 || x < lo) {
        PyErr_Format(PyExc_OverflowError, "%s is less than minimum", name);
        return -1;
    }
    return 0;
}

/* 'b': signed char. */
static int
b_conv(PyObject *v, itembuf *out)
{
    long long x;
    int ovf;
    if (get_longlong(v, &x, &ovf) < 0
        || check_range(x, ovf, SCHAR_MIN, SCHAR_MAX, "signed char") < 0) {
        return -1;
    }
    out->b = (signed char)x;
    return 0;
}

/* 'B': unsigned char. */
static int
B_conv(PyObject *v, itembuf *out)
{
    long long x;
    int ovf;
    if (get_longlong(v, &x, &ovf) < 0
        || check_range(x, ovf, 0, UCHAR_MAX,
                       "unsigned byte integer") < 0) {
        return -1;
    }
    out->B = (unsigned char)x;
    return 0;
}

/* 'h': short. */
static int
h_conv(PyObject *v, itembuf *out)
{
    long long x;
    int ovf;
    if (get_longlong(v, &x, &ovf) < 0
        || check_range(x, ovf, SHRT_MIN, SHRT_MAX,
                       "signed short integer") < 0) {
        return -1;
    }
    out->h = (short)x;
    return 0;
}

/* 'H': unsigned short. */
static int
H_conv(PyObject *v, itembuf *out)
{
    long long x;
    int ovf;
    if (get_longlong(v, &x, &ovf) < 0
        || check_range(x, ovf, 0, USHRT_MAX, "unsigned short") < 0) {
        return -1;
    }
    out->H = (unsigned short)x;
    return 0;
}

/* 'i': int. */
static int
i_conv(PyObject *v, itembuf *out)
{
    long long x;
    int ovf;
    if (get_longlong(v, &x, &ovf) < 0
        || check_range(x, ovf, INT_MIN, INT_MAX, "signed integer") < 0) {
        return -1;
    }
    out->i = (int)x;
    return 0;
}

/* 'I': unsigned int. */
static int
I_conv(PyObject *v, itembuf *out)
{
    long long x;
    int ovf;
    if (get_longlong(v, &x, &ovf) < 0) {
        return -1;
    }
    if (ovf < 0 || (ovf == 0 && x < 0)) {
        PyErr_SetString(PyExc_OverflowError,
                        "can't convert negative value to unsigned int");
        return -1;
    }
    if (ovf > 0 || x > (long long)UINT_MAX) {
        PyErr_SetString(PyExc_OverflowError,
                        "unsigned int is greater than maximum");
        return -1;
    }
    out->I = (unsigned int)x;
    return 0;
}

/* 'l' and 'q': long / long long (both 64 bits here). */
static int
l_conv_msg(PyObject *v, itembuf *out, const char *msg)
{
    long long x;
    int ovf;
    if (get_longlong(v, &x, &ovf) < 0) {
        return -1;
    }
    if (ovf != 0) {
        PyErr_SetString(PyExc_OverflowError, msg);
        return -1;
    }
    out->q = x;
    return 0;
}

/* 'l': long. */
static int
l_conv(PyObject *v, itembuf *out)
{
    return l_conv_msg(v, out, "Python int too large to convert to C long");
}

/* 'q': long long. */
static int
q_conv(PyObject *v, itembuf *out)
{
    return l_conv_msg(v, out, "int too big to convert");
}

/* 'L' and 'Q': unsigned 64-bit; negmsg/bigmsg are 3.11's messages. */
static int
L_conv_msg(PyObject *v, itembuf *out, const char *negmsg,
           const char *bigmsg)
{
    PyObject *idx = PyNumber_Index(v);
    if (idx == NULL) {
        return -1;
    }
    int ovf;
    long long x = PyLong_AsLongLongAndOverflow(idx, &ovf);
    if (x == -1 && PyErr_Occurred()) {
        Py_DECREF(idx);
        return -1;
    }
    if (ovf < 0 || (ovf == 0 && x < 0)) {
        Py_DECREF(idx);
        PyErr_SetString(PyExc_OverflowError, negmsg);
        return -1;
    }
    if (ovf == 0) {
        Py_DECREF(idx);
        out->Q = (unsigned long long)x;
        return 0;
    }
    unsigned long long ux = PyLong_AsUnsignedLongLong(idx);
    Py_DECREF(idx);
    if (ux == (unsigned long long)-1 && PyErr_Occurred()) {
        PyErr_Clear();
        PyErr_SetString(PyExc_OverflowError, bigmsg);
        return -1;
    }
    out->Q = ux;
    return 0;
}

/* 'L': unsigned long. */
static int
L_conv(PyObject *v, itembuf *out)
{
    return L_conv_msg(v, out, "can't convert negative value to unsigned int",
                      "Python int too large to convert to C unsigned long");
}

/* 'Q': unsigned long long. */
static int
Q_conv(PyObject *v, itembuf *out)
{
    return L_conv_msg(v, out, "can't convert negative int to unsigned",
                      "int too big to convert");
}

/* 'f' and 'd': through float(). */
static int
d_conv(PyObject *v, itembuf *out)
{
    double x = PyFloat_AsDouble(v);
    if (x == -1.0 && PyErr_Occurred()) {
        return -1;
    }
    out->d = x;
    return 0;
}

/* 'f': stored as float (rounded). */
static int
f_conv(PyObject *v, itembuf *out)
{
    double x = PyFloat_AsDouble(v);
    if (x == -1.0 && PyErr_Occurred()) {
        return -1;
    }
    out->f = (float)x;
    return 0;
}

/* 'u': a str of length 1. */
static int
u_conv(PyObject *v, itembuf *out)
{
    if (!PyUnicode_Check(v) || PyUnicode_GET_LENGTH(v) != 1) {
        PyErr_SetString(PyExc_TypeError,
                        "array item must be unicode character");
        return -1;
    }
    out->u = (wchar_t)PyUnicode_READ_CHAR(v, 0);
    return 0;
}

/* Item getters: new references. */
static PyObject *
b_get(const char *p)
{
    return PyLong_FromLong(*(const signed char *)p);
}

static PyObject *
B_get(const char *p)
{
    return PyLong_FromLong(*(const unsigned char *)p);
}

static PyObject *
h_get(const char *p)
{
    short x;
    memcpy(&x, p, sizeof(x));
    return PyLong_FromLong(x);
}

static PyObject *
H_get(const char *p)
{
    unsigned short x;
    memcpy(&x, p, sizeof(x));
    return PyLong_FromLong(x);
}

static PyObject *
i_get(const char *p)
{
    int x;
    memcpy(&x, p, sizeof(x));
    return PyLong_FromLong(x);
}

static PyObject *
I_get(const char *p)
{
    unsigned int x;
    memcpy(&x, p, sizeof(x));
    return PyLong_FromUnsignedLong(x);
}

static PyObject *
q_get(const char *p)
{
    long long x;
    memcpy(&x, p, sizeof(x));
    return PyLong_FromLongLong(x);
}

static PyObject *
Q_get(const char *p)
{
    unsigned long long x;
    memcpy(&x, p, sizeof(x));
    return PyLong_FromUnsignedLongLong(x);
}

static PyObject *
f_get(const char *p)
{
    float x;
    memcpy(&x, p, sizeof(x));
    return PyFloat_FromDouble(x);
}

static PyObject *
d_get(const char *p)
{
    double x;
    memcpy(&x, p, sizeof(x));
    return PyFloat_FromDouble(x);
}

/* 'u' items may hold any 32-bit value (frombytes); out-of-range ones
 * raise ValueError as 3.11 does. */
static PyObject *
u_get(const char *p)
{
    wchar_t x;
    memcpy(&x, p, sizeof(x));
    if ((unsigned long)x > 0x10ffff) {
        PyErr_Format(PyExc_ValueError,
                     "character U+%lx is not in range [U+0000; U+10ffff]",
                     (unsigned long)x);
        return NULL;
    }
    return PyUnicode_FromOrdinal((int)x);
}

static const arraydescr descriptors[] = {
    {'b', 1, b_conv, b_get, "b", 1, 1},
    {'B', 1, B_conv, B_get, "B", 1, 0},
    {'u', sizeof(wchar_t), u_conv, u_get, "w", 0, 0},
    {'h', sizeof(short), h_conv, h_get, "h", 1, 1},
    {'H', sizeof(short), H_conv, H_get, "H", 1, 0},
    {'i', sizeof(int), i_conv, i_get, "i", 1, 1},
    {'I', sizeof(int), I_conv, I_get, "I", 1, 0},
    {'l', sizeof(long), l_conv, q_get, "l", 1, 1},
    {'L', sizeof(long), L_conv, Q_get, "L", 1, 0},
    {'q', sizeof(long long), q_conv, q_get, "q", 1, 1},
    {'Q', sizeof(long long), Q_conv, Q_get, "Q", 1, 0},
    {'f', sizeof(float), f_conv, f_get, "f", 0, 0},
    {'d', sizeof(double), d_conv, d_get, "d", 0, 0},
    {'\0', 0, NULL, NULL, NULL, 0, 0}
};

/* The descriptor of typecode c, or NULL. */
static const arraydescr *
find_descr(Py_UCS4 c)
{
    for (const arraydescr *d = descriptors; d->typecode; d++) {
        if ((Py_UCS4)d->typecode == c) {
            return d;
        }
    }
    return NULL;
}

/* ------------------------------------------------ storage (locked) */

/* Size as seen by lock-free readers (len()). */
static Py_ssize_t
array_size(arrayobject *a)
{
    return _Py_atomic_load_ssize_relaxed(&a->ob_size);
}

/* Set the size; section held. */
static void
set_size(arrayobject *a, Py_ssize_t n)
{
    _Py_atomic_store_ssize_relaxed(&a->ob_size, n);
}

/* Resize to n items (contents kept up to min(old, n)).  Section held.
 * Raises BufferError while buffers are exported and the size changes.
 * 0, or -1 with an error. */
static int
array_resize(arrayobject *a, Py_ssize_t n)
{
    if (a->ob_exports > 0 && n != a->ob_size) {
        PyErr_SetString(PyExc_BufferError,
                        "cannot resize an array that is exporting buffers");
        return -1;
    }
    int isz = a->ob_descr->itemsize;
    if (n <= a->allocated && n >= (a->allocated >> 1)) {
        set_size(a, n);
        return 0;
    }
    if (n == 0) {
        PyMem_Free(a->ob_item);
        a->ob_item = NULL;
        a->allocated = 0;
        set_size(a, 0);
        return 0;
    }
    Py_ssize_t cap = n + (n >> 4) + (n < 8 ? 3 : 7);
    if (cap > PY_SSIZE_T_MAX / isz) {
        PyErr_NoMemory();
        return -1;
    }
    char *items = PyMem_Realloc(a->ob_item, (size_t)cap * isz);
    if (items == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    a->ob_item = items;
    a->allocated = cap;
    set_size(a, n);
    return 0;
}

/* Append n raw items at the end.  Section held.  0 or -1. */
static int
append_raw(arrayobject *a, const char *data, Py_ssize_t n)
{
    Py_ssize_t old = a->ob_size;
    if (n == 0) {
        return 0;
    }
    if (old > PY_SSIZE_T_MAX - n) {
        PyErr_NoMemory();
        return -1;
    }
    if (array_resize(a, old + n) < 0) {
        return -1;
    }
    memcpy(a->ob_item + old * a->ob_descr->itemsize, data,
           (size_t)n * a->ob_descr->itemsize);
    return 0;
}

/* Insert one raw item before index i (clamped).  Section held. */
static int
insert_raw(arrayobject *a, Py_ssize_t i, const itembuf *item)
{
    Py_ssize_t n = a->ob_size;
    int isz = a->ob_descr->itemsize;
    if (i < 0) {
        i += n;
        if (i < 0) {
            i = 0;
        }
    }
    if (i > n) {
        i = n;
    }
    if (array_resize(a, n + 1) < 0) {
        return -1;
    }
    memmove(a->ob_item + (i + 1) * isz, a->ob_item + i * isz,
            (size_t)(n - i) * isz);
    memcpy(a->ob_item + i * isz, item->raw, isz);
    return 0;
}

/* Delete items [lo, hi).  Section held.  0 or -1. */
static int
delete_range(arrayobject *a, Py_ssize_t lo, Py_ssize_t hi)
{
    int isz = a->ob_descr->itemsize;
    Py_ssize_t n = a->ob_size;
    if (hi <= lo) {
        return 0;
    }
    if (a->ob_exports > 0) {
        PyErr_SetString(PyExc_BufferError,
                        "cannot resize an array that is exporting buffers");
        return -1;
    }
    memmove(a->ob_item + lo * isz, a->ob_item + hi * isz,
            (size_t)(n - hi) * isz);
    return array_resize(a, n - (hi - lo));
}

/* Copy item i out (index already checked).  Section held. */
static void
read_item(arrayobject *a, Py_ssize_t i, itembuf *out)
{
    memcpy(out->raw, a->ob_item + i * a->ob_descr->itemsize,
           a->ob_descr->itemsize);
}

/* A new empty array of the given type and descriptor, with room for n
 * items and size n (contents uninitialised).  New reference. */
static arrayobject *
newarray(PyTypeObject *type, Py_ssize_t n, const arraydescr *descr)
{
    if (n < 0 || (n > 0 && n > PY_SSIZE_T_MAX / descr->itemsize)) {
        PyErr_NoMemory();
        return NULL;
    }
    arrayobject *a = (arrayobject *)type->tp_alloc(type, 0);
    if (a == NULL) {
        return NULL;
    }
    a->ob_descr = descr;
    a->ob_item = NULL;
    a->allocated = 0;
    a->ob_size = 0;
    a->ob_exports = 0;
    a->weakreflist = NULL;
    if (n > 0) {
        a->ob_item = PyMem_Malloc((size_t)n * descr->itemsize);
        if (a->ob_item == NULL) {
            Py_DECREF(a);
            PyErr_NoMemory();
            return NULL;
        }
        a->allocated = n;
        a->ob_size = n;
    }
    return a;
}

/* A new array (exact type) holding a copy of data[0:n] items.
 * New reference. */
static PyObject *
array_from_raw(const arraydescr *descr, const char *data, Py_ssize_t n)
{
    arrayobject *a = newarray(&Arraytype, n, descr);
    if (a != NULL && n > 0) {
        memcpy(a->ob_item, data, (size_t)n * descr->itemsize);
    }
    return (PyObject *)a;
}

/* Snapshot of the whole contents: a PyMem copy in *out (caller frees)
 * and the item count, taken under the section.  -1 out of memory. */
static Py_ssize_t
snapshot(arrayobject *a, char **out)
{
    Py_ssize_t n;
    char *buf = NULL;
    int ok = 1;
    Py_BEGIN_CRITICAL_SECTION(a);
    n = a->ob_size;
    size_t nbytes = (size_t)n * a->ob_descr->itemsize;
    buf = PyMem_Malloc(nbytes ? nbytes : 1);
    if (buf == NULL) {
        ok = 0;
    }
    else {
        memcpy(buf, a->ob_item, nbytes);
    }
    Py_END_CRITICAL_SECTION();
    if (!ok) {
        PyErr_NoMemory();
        return -1;
    }
    *out = buf;
    return n;
}

/* ------------------------------------------------ basic object */

/* Free the items.  Nobody else holds a reference. */
static void
array_dealloc(PyObject *op)
{
    arrayobject *a = (arrayobject *)op;
    if (a->weakreflist != NULL) {
        PyObject_ClearWeakRefs(op);
    }
    PyMem_Free(a->ob_item);
    Py_TYPE(op)->tp_free(op);
}

/* len(a): lock-free relaxed read. */
static Py_ssize_t
array_length(PyObject *op)
{
    return array_size((arrayobject *)op);
}

/* a[i] for an int index (negative counted from the end for mp access;
 * sq_item gets it already adjusted).  New reference. */
static PyObject *
getitem_checked(arrayobject *a, Py_ssize_t i)
{
    itembuf item;
    int ok = 0;
    Py_BEGIN_CRITICAL_SECTION(a);
    if (i < 0) {
        i += a->ob_size;
    }
    if (i >= 0 && i < a->ob_size) {
        read_item(a, i, &item);
        ok = 1;
    }
    Py_END_CRITICAL_SECTION();
    if (!ok) {
        PyErr_SetString(PyExc_IndexError, "array index out of range");
        return NULL;
    }
    return a->ob_descr->get(item.raw);
}

/* sq_item.  New reference. */
static PyObject *
array_item(PyObject *op, Py_ssize_t i)
{
    if (i < 0) {
        PyErr_SetString(PyExc_IndexError, "array index out of range");
        return NULL;
    }
    return getitem_checked((arrayobject *)op, i);
}

/* a[i] = v (v converted first) or del a[i] (v NULL).  0 or -1. */
static int
setitem_index(arrayobject *a, Py_ssize_t i, PyObject *v)
{
    itembuf item;
    if (v != NULL && a->ob_descr->conv(v, &item) < 0) {
        return -1;
    }
    int res = 0;
    Py_BEGIN_CRITICAL_SECTION(a);
    if (i < 0) {
        i += a->ob_size;
    }
    if (i < 0 || i >= a->ob_size) {
        PyErr_SetString(PyExc_IndexError,
                        "array assignment index out of range");
        res = -1;
    }
    else if (v == NULL) {
        res = delete_range(a, i, i + 1);
    }
    else {
        memcpy(a->ob_item + i * a->ob_descr->itemsize, item.raw,
               a->ob_descr->itemsize);
    }
    Py_END_CRITICAL_SECTION();
    return res;
}

/* sq_ass_item. */
static int
array_ass_item(PyObject *op, Py_ssize_t i, PyObject *v)
{
    return setitem_index((arrayobject *)op, i, v);
}

/* Compare item by item, as sequences do.  New reference. */
static PyObject *
array_richcompare(PyObject *v, PyObject *w, int op)
{
    if (!array_Check(v) || !array_Check(w)) {
        Py_RETURN_NOTIMPLEMENTED;
    }
    arrayobject *va = (arrayobject *)v, *wa = (arrayobject *)w;
    char *vb, *wb;
    Py_ssize_t vn = snapshot(va, &vb);
    if (vn < 0) {
        return NULL;
    }
    Py_ssize_t wn = snapshot(wa, &wb);
    if (wn < 0) {
        PyMem_Free(vb);
        return NULL;
    }
    PyObject *res = NULL;
    if (vn != wn && (op == Py_EQ || op == Py_NE)) {
        res = Py_NewRef(op == Py_EQ ? Py_False : Py_True);
        goto done;
    }
    int vs = va->ob_descr->itemsize, ws = wa->ob_descr->itemsize;
    Py_ssize_t i;
    PyObject *vi = NULL, *wi = NULL;
    for (i = 0; i < vn && i < wn; i++) {
        vi = va->ob_descr->get(vb + i * vs);
        wi = wa->ob_descr->get(wb + i * ws);
        if (vi == NULL || wi == NULL) {
            goto fail;
        }
        int k = PyObject_RichCompareBool(vi, wi, Py_EQ);
        if (k < 0) {
            goto fail;
        }
        if (!k) {
            break;
        }
        Py_CLEAR(vi);
        Py_CLEAR(wi);
    }
    if (i >= vn || i >= wn) {
        int c;
        switch (op) {
        case Py_LT: c = vn < wn; break;
        case Py_LE: c = vn <= wn; break;
        case Py_EQ: c = vn == wn; break;
        case Py_NE: c = vn != wn; break;
        case Py_GT: c = vn > wn; break;
        default: c = vn >= wn; break;
        }
        res = PyBool_FromLong(c);
        goto done;
    }
    if (op == Py_EQ) {
        res = Py_NewRef(Py_False);
    }
    else if (op == Py_NE) {
        res = Py_NewRef(Py_True);
    }
    else {
        res = PyObject_RichCompare(vi, wi, op);
    }
fail:
    Py_XDECREF(vi);
    Py_XDECREF(wi);
done:
    PyMem_Free(vb);
    PyMem_Free(wb);
    return res;
}

/* The type's short name (after the last dot), for repr and messages. */
static const char *
short_type_name(PyTypeObject *t)
{
    const char *s = strrchr(t->tp_name, '.');
    return s ? s + 1 : t->tp_name;
}

/* A list of the items of a raw buffer.  New reference. */
static PyObject *
raw_tolist(const arraydescr *d, const char *buf, Py_ssize_t n)
{
    PyObject *list = PyList_New(n);
    if (list == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *v = d->get(buf + i * d->itemsize);
        if (v == NULL) {
            Py_DECREF(list);
            return NULL;
        }
        PyList_SET_ITEM(list, i, v);
    }
    return list;
}

/* A str of the 'u' items of a raw buffer.  New reference. */
static PyObject *
raw_tounicode(const char *buf, Py_ssize_t n)
{
    const wchar_t *w = (const wchar_t *)buf;
    for (Py_ssize_t i = 0; i < n; i++) {
        if ((unsigned long)w[i] > 0x10ffff) {
            PyErr_Format(PyExc_ValueError,
                         "character U+%lx is not in range [U+0000; U+10ffff]",
                         (unsigned long)w[i]);
            return NULL;
        }
    }
    return PyUnicode_FromWideChar(w, n);
}

/* repr: array('i', [1, 2]), array('u', 'ab'), array('d').  New ref. */
static PyObject *
array_repr(PyObject *op)
{
    arrayobject *a = (arrayobject *)op;
    char *buf;
    Py_ssize_t n = snapshot(a, &buf);
    if (n < 0) {
        return NULL;
    }
    const char *tn = short_type_name(Py_TYPE(op));
    char tc = a->ob_descr->typecode;
    if (n == 0) {
        PyMem_Free(buf);
        return PyUnicode_FromFormat("%s('%c')", tn, tc);
    }
    PyObject *v = tc == 'u' ? raw_tounicode(buf, n)
                            : raw_tolist(a->ob_descr, buf, n);
    PyMem_Free(buf);
    if (v == NULL) {
        return NULL;
    }
    PyObject *res = PyUnicode_FromFormat("%s('%c', %R)", tn, tc, v);
    Py_DECREF(v);
    return res;
}

/* ------------------------------------------------ sequence operations */

/* a + b: both arrays of the same type code.  New reference. */
static PyObject *
array_concat(PyObject *op, PyObject *bb)
{
    arrayobject *a = (arrayobject *)op;
    if (!array_Check(bb)) {
        PyErr_Format(PyExc_TypeError,
                     "can only append array (not \"%.200s\") to array",
                     Py_TYPE(bb)->tp_name);
        return NULL;
    }
    arrayobject *b = (arrayobject *)bb;
    if (a->ob_descr != b->ob_descr) {
        PyErr_BadArgument();
        return NULL;
    }
    char *ab, *bbuf;
    Py_ssize_t an = snapshot(a, &ab);
    if (an < 0) {
        return NULL;
    }
    Py_ssize_t bn = snapshot(b, &bbuf);
    if (bn < 0) {
        PyMem_Free(ab);
        return NULL;
    }
    PyObject *res = NULL;
    if (an > PY_SSIZE_T_MAX - bn) {
        PyErr_NoMemory();
        goto done;
    }
    arrayobject *np = newarray(&Arraytype, an + bn, a->ob_descr);
    if (np != NULL) {
        int isz = a->ob_descr->itemsize;
        if (an) {
            memcpy(np->ob_item, ab, (size_t)an * isz);
        }
        if (bn) {
            memcpy(np->ob_item + an * isz, bbuf, (size_t)bn * isz);
        }
    }
    res = (PyObject *)np;
done:
    PyMem_Free(ab);
    PyMem_Free(bbuf);
    return res;
}

/* Fill dst with count copies of the size-byte block src (src may be
 * dst itself: the first copy is then already in place). */
static void
repeat_bytes(char *dst, const char *src, size_t size, Py_ssize_t count)
{
    if (size == 0 || count <= 0) {
        return;
    }
    if (dst != src) {
        memcpy(dst, src, size);
    }
    size_t done = size, total = size * (size_t)count;
    while (done < total) {
        size_t chunk = done <= total - done ? done : total - done;
        memcpy(dst + done, dst, chunk);
        done += chunk;
    }
}

/* a * n.  New reference. */
static PyObject *
array_repeat(PyObject *op, Py_ssize_t n)
{
    arrayobject *a = (arrayobject *)op;
    char *buf;
    Py_ssize_t len = snapshot(a, &buf);
    if (len < 0) {
        return NULL;
    }
    if (n < 0) {
        n = 0;
    }
    if (len > 0 && n > PY_SSIZE_T_MAX / len) {
        PyMem_Free(buf);
        return PyErr_NoMemory();
    }
    arrayobject *np = newarray(&Arraytype, len * n, a->ob_descr);
    if (np != NULL) {
        repeat_bytes(np->ob_item, buf, (size_t)len * a->ob_descr->itemsize,
                     n);
    }
    PyMem_Free(buf);
    return (PyObject *)np;
}

/* Append a copy of b's items to a (same descriptor).  Handles a is b. */
static int
extend_from_array(arrayobject *a, arrayobject *b)
{
    char *buf;
    Py_ssize_t n = snapshot(b, &buf);
    if (n < 0) {
        return -1;
    }
    int res;
    Py_BEGIN_CRITICAL_SECTION(a);
    res = append_raw(a, buf, n);
    Py_END_CRITICAL_SECTION();
    PyMem_Free(buf);
    return res;
}

/* Append one converted value.  0 or -1. */
static int
append_value(arrayobject *a, PyObject *v)
{
    itembuf item;
    if (a->ob_descr->conv(v, &item) < 0) {
        return -1;
    }
    int res;
    Py_BEGIN_CRITICAL_SECTION(a);
    res = append_raw(a, item.raw, 1);
    Py_END_CRITICAL_SECTION();
    return res;
}

/* a.extend(iterable): arrays must share the type code; anything else is
 * iterated and appended item by item (a failure keeps what was added,
 * as in 3.11).  0 or -1. */
static int
array_do_extend(arrayobject *a, PyObject *bb)
{
    if (array_Check(bb)) {
        if (((arrayobject *)bb)->ob_descr != a->ob_descr) {
            PyErr_SetString(PyExc_TypeError,
                            "can only extend with array of same kind");
            return -1;
        }
        return extend_from_array(a, (arrayobject *)bb);
    }
    PyObject *it = PyObject_GetIter(bb);
    if (it == NULL) {
        return -1;
    }
    PyObject *v;
    while ((v = PyIter_Next(it)) != NULL) {
        int r = append_value(a, v);
        Py_DECREF(v);
        if (r < 0) {
            Py_DECREF(it);
            return -1;
        }
    }
    Py_DECREF(it);
    return PyErr_Occurred() ? -1 : 0;
}

/* a += b.  New reference to a. */
static PyObject *
array_inplace_concat(PyObject *op, PyObject *bb)
{
    if (!array_Check(bb)) {
        PyErr_Format(PyExc_TypeError,
                     "can only extend array with array (not \"%.200s\")",
                     Py_TYPE(bb)->tp_name);
        return NULL;
    }
    if (array_do_extend((arrayobject *)op, bb) < 0) {
        return NULL;
    }
    return Py_NewRef(op);
}

/* a *= n.  New reference to a. */
static PyObject *
array_inplace_repeat(PyObject *op, Py_ssize_t n)
{
    arrayobject *a = (arrayobject *)op;
    int res = 0;
    Py_BEGIN_CRITICAL_SECTION(a);
    Py_ssize_t len = a->ob_size;
    if (len > 0) {
        if (n < 0) {
            n = 0;
        }
        if (n > 0 && len > PY_SSIZE_T_MAX / n) {
            PyErr_NoMemory();
            res = -1;
        }
        else if (n == 0) {
            res = delete_range(a, 0, len);
        }
        else if (n > 1) {
            res = array_resize(a, len * n);
            if (res == 0) {
                size_t sz = (size_t)len * a->ob_descr->itemsize;
                repeat_bytes(a->ob_item, a->ob_item, sz, n);
            }
        }
    }
    Py_END_CRITICAL_SECTION();
    if (res < 0) {
        return NULL;
    }
    return Py_NewRef(op);
}

/* Does the raw buffer contain v?  Index of the first item in [start,
 * stop) equal to v, -1 if none, -2 on error.  Items are read one at a
 * time under the section and compared outside it. */
static Py_ssize_t
find_value(arrayobject *a, PyObject *v, Py_ssize_t start, Py_ssize_t stop)
{
    for (Py_ssize_t i = start; i < stop; i++) {
        itembuf item;
        int ok = 0;
        Py_BEGIN_CRITICAL_SECTION(a);
        if (i < a->ob_size) {
            read_item(a, i, &item);
            ok = 1;
        }
        Py_END_CRITICAL_SECTION();
        if (!ok) {
            break;
        }
        PyObject *x = a->ob_descr->get(item.raw);
        if (x == NULL) {
            return -2;
        }
        int k = PyObject_RichCompareBool(x, v, Py_EQ);
        Py_DECREF(x);
        if (k < 0) {
            return -2;
        }
        if (k) {
            return i;
        }
    }
    return -1;
}

/* v in a. */
static int
array_contains(PyObject *op, PyObject *v)
{
    Py_ssize_t i = find_value((arrayobject *)op, v, 0, PY_SSIZE_T_MAX);
    if (i == -2) {
        return -1;
    }
    return i >= 0;
}

/* A new array holding a[start:stop:step] (slicelength items).
 * New reference. */
static PyObject *
get_slice(arrayobject *a, PyObject *slice)
{
    Py_ssize_t start, stop, step;
    if (PySlice_Unpack(slice, &start, &stop, &step) < 0) {
        return NULL;
    }
    arrayobject *np = NULL;
    int isz = a->ob_descr->itemsize;
    Py_BEGIN_CRITICAL_SECTION(a);
    Py_ssize_t n = PySlice_AdjustIndices(a->ob_size, &start, &stop, step);
    np = newarray(&Arraytype, n, a->ob_descr);
    if (np != NULL) {
        if (step == 1 && n > 0) {
            memcpy(np->ob_item, a->ob_item + start * isz, (size_t)n * isz);
        }
        else {
            for (Py_ssize_t i = 0, cur = start; i < n; i++, cur += step) {
                memcpy(np->ob_item + i * isz, a->ob_item + cur * isz, isz);
            }
        }
    }
    Py_END_CRITICAL_SECTION();
    return (PyObject *)np;
}

/* a[index] and a[slice].  New reference. */
static PyObject *
array_subscr(PyObject *op, PyObject *item)
{
    arrayobject *a = (arrayobject *)op;
    if (PyIndex_Check(item)) {
        Py_ssize_t i = PyNumber_AsSsize_t(item, PyExc_IndexError);
        if (i == -1 && PyErr_Occurred()) {
            return NULL;
        }
        return getitem_checked(a, i);
    }
    if (PySlice_Check(item)) {
        return get_slice(a, item);
    }
    PyErr_SetString(PyExc_TypeError, "array indices must be integers");
    return NULL;
}

/* a[slice] = other / del a[slice], with the section held.  src is a
 * private copy of the right-hand items (n of them) or NULL to delete.
 * 0 or -1. */
static int
assign_slice_locked(arrayobject *a, Py_ssize_t start, Py_ssize_t stop,
                    Py_ssize_t step, const char *src, Py_ssize_t n)
{
    int isz = a->ob_descr->itemsize;
    Py_ssize_t len = a->ob_size;
    Py_ssize_t slen = PySlice_AdjustIndices(len, &start, &stop, step);
    if (step == 1) {
        if (stop < start) {
            stop = start;
        }
        Py_ssize_t d = n - (stop - start);
        if (d != 0 && a->ob_exports > 0) {
            PyErr_SetString(PyExc_BufferError,
                            "cannot resize an array that is exporting "
                            "buffers");
            return -1;
        }
        if (d < 0) {
            memmove(a->ob_item + (start + n) * isz, a->ob_item + stop * isz,
                    (size_t)(len - stop) * isz);
            if (array_resize(a, len + d) < 0) {
                return -1;
            }
        }
        else if (d > 0) {
            if (array_resize(a, len + d) < 0) {
                return -1;
            }
            memmove(a->ob_item + (start + n) * isz, a->ob_item + stop * isz,
                    (size_t)(len - stop) * isz);
        }
        if (n > 0) {
            memcpy(a->ob_item + start * isz, src, (size_t)n * isz);
        }
        return 0;
    }
    if (src == NULL) {
        /* Delete an extended slice: compact the survivors. */
        if (slen == 0) {
            return 0;
        }
        if (a->ob_exports > 0) {
            PyErr_SetString(PyExc_BufferError,
                            "cannot resize an array that is exporting "
                            "buffers");
            return -1;
        }
        if (step < 0) {
            start = start + step * (slen - 1);
            step = -step;
        }
        Py_ssize_t w = start;
        for (Py_ssize_t r = start; r < len; r++) {
            if (r >= start && (r - start) % step == 0
                && (r - start) / step < slen) {
                continue;
            }
            memmove(a->ob_item + w * isz, a->ob_item + r * isz, isz);
            w++;
        }
        return array_resize(a, len - slen);
    }
    if (n != slen) {
        PyErr_Format(PyExc_ValueError,
                     "attempt to assign array of size %zd "
                     "to extended slice of size %zd", n, slen);
        return -1;
    }
    for (Py_ssize_t i = 0, cur = start; i < slen; i++, cur += step) {
        memcpy(a->ob_item + cur * isz, src + i * isz, isz);
    }
    return 0;
}

/* a[slice] = v / del a[slice].  0 or -1. */
static int
ass_slice(arrayobject *a, PyObject *slice, PyObject *v)
{
    Py_ssize_t start, stop, step;
    if (PySlice_Unpack(slice, &start, &stop, &step) < 0) {
        return -1;
    }
    char *src = NULL;
    Py_ssize_t n = 0;
    if (v != NULL) {
        if (!array_Check(v)) {
            PyErr_Format(PyExc_TypeError,
                         "can only assign array (not \"%.200s\") to array "
                         "slice", Py_TYPE(v)->tp_name);
            return -1;
        }
        if (((arrayobject *)v)->ob_descr != a->ob_descr) {
            PyErr_BadArgument();
            return -1;
        }
        n = snapshot((arrayobject *)v, &src);
        if (n < 0) {
            return -1;
        }
    }
    int res;
    Py_BEGIN_CRITICAL_SECTION(a);
    res = assign_slice_locked(a, start, stop, step, src, n);
    Py_END_CRITICAL_SECTION();
    PyMem_Free(src);
    return res;
}

/* a[item] = v / del a[item].  0 or -1. */
static int
array_ass_subscr(PyObject *op, PyObject *item, PyObject *v)
{
    arrayobject *a = (arrayobject *)op;
    if (PyIndex_Check(item)) {
        Py_ssize_t i = PyNumber_AsSsize_t(item, PyExc_IndexError);
        if (i == -1 && PyErr_Occurred()) {
            return -1;
        }
        return setitem_index(a, i, v);
    }
    if (PySlice_Check(item)) {
        return ass_slice(a, item, v);
    }
    PyErr_SetString(PyExc_TypeError, "array indices must be integers");
    return -1;
}

/* ------------------------------------------------ buffer protocol */

/* Export the items; the export count blocks resizing until released. */
static int
array_getbuffer(PyObject *op, Py_buffer *view, int flags)
{
    arrayobject *a = (arrayobject *)op;
    if (view == NULL) {
        PyErr_SetString(PyExc_BufferError,
                        "array_buffer_getbuf: view==NULL argument is "
                        "obsolete");
        return -1;
    }
    Py_BEGIN_CRITICAL_SECTION(a);
    view->buf = a->ob_item;
    if (view->buf == NULL) {
        /* An empty array still needs a valid pointer. */
        static char emptybuf[8];
        view->buf = emptybuf;
    }
    view->obj = Py_NewRef(op);
    view->len = a->ob_size * a->ob_descr->itemsize;
    view->readonly = 0;
    view->ndim = 1;
    view->itemsize = a->ob_descr->itemsize;
    view->suboffsets = NULL;
    view->shape = NULL;
    if ((flags & PyBUF_ND) == PyBUF_ND) {
        view->shape = &a->ob_size;
    }
    view->strides = NULL;
    if ((flags & PyBUF_STRIDES) == PyBUF_STRIDES) {
        view->strides = &view->itemsize;
    }
    view->format = NULL;
    view->internal = NULL;
    if ((flags & PyBUF_FORMAT) == PyBUF_FORMAT) {
        view->format = (char *)a->ob_descr->formats;
    }
    a->ob_exports++;
    Py_END_CRITICAL_SECTION();
    return 0;
}

/* A view was released. */
static void
array_releasebuffer(PyObject *op, Py_buffer *view)
{
    arrayobject *a = (arrayobject *)op;
    Py_BEGIN_CRITICAL_SECTION(a);
    a->ob_exports--;
    Py_END_CRITICAL_SECTION();
}

/* ------------------------------------------------ methods */

/* a.append(v).  New reference to None. */
static PyObject *
array_append(PyObject *op, PyObject *v)
{
    if (append_value((arrayobject *)op, v) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* a.extend(iterable).  None. */
static PyObject *
array_extend(PyObject *op, PyObject *bb)
{
    if (array_do_extend((arrayobject *)op, bb) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* a.buffer_info() -> (address, length).  New reference. */
static PyObject *
array_buffer_info(PyObject *op, PyObject *unused)
{
    arrayobject *a = (arrayobject *)op;
    void *p;
    Py_ssize_t n;
    Py_BEGIN_CRITICAL_SECTION(a);
    p = a->ob_item;
    n = a->ob_size;
    Py_END_CRITICAL_SECTION();
    return Py_BuildValue("(Nn)", PyLong_FromVoidPtr(p), n);
}

/* a.byteswap(): reverse the bytes of every item in place.  None. */
static PyObject *
array_byteswap(PyObject *op, PyObject *unused)
{
    arrayobject *a = (arrayobject *)op;
    int isz = a->ob_descr->itemsize;
    if (isz != 1 && isz != 2 && isz != 4 && isz != 8) {
        PyErr_SetString(PyExc_RuntimeError,
                        "don't know how to byteswap this array type");
        return NULL;
    }
    Py_BEGIN_CRITICAL_SECTION(a);
    for (Py_ssize_t i = 0; i < a->ob_size; i++) {
        char *p = a->ob_item + i * isz;
        for (int j = 0; j < isz / 2; j++) {
            char t = p[j];
            p[j] = p[isz - 1 - j];
            p[isz - 1 - j] = t;
        }
    }
    Py_END_CRITICAL_SECTION();
    Py_RETURN_NONE;
}

/* a.count(x).  New reference. */
static PyObject *
array_count(PyObject *op, PyObject *v)
{
    arrayobject *a = (arrayobject *)op;
    Py_ssize_t count = 0, i = 0;
    for (;;) {
        Py_ssize_t k = find_value(a, v, i, PY_SSIZE_T_MAX);
        if (k == -2) {
            return NULL;
        }
        if (k < 0) {
            break;
        }
        count++;
        i = k + 1;
    }
    return PyLong_FromSsize_t(count);
}

/* A start/stop argument of index(): any __index__ object, clipped to
 * the Py_ssize_t range.  0, or -1 with 3.11's TypeError. */
static int
slice_index(PyObject *v, Py_ssize_t *out)
{
    if (!PyIndex_Check(v)) {
        PyErr_SetString(PyExc_TypeError,
                        "slice indices must be integers or have an "
                        "__index__ method");
        return -1;
    }
    PyObject *idx = PyNumber_Index(v);
    if (idx == NULL) {
        return -1;
    }
    *out = PyNumber_AsSsize_t(idx, NULL);
    Py_DECREF(idx);
    if (*out == -1 && PyErr_Occurred()) {
        return -1;
    }
    return 0;
}

/* a.index(x[, start[, stop]]).  New reference. */
static PyObject *
array_index(PyObject *op, PyObject *const *args, Py_ssize_t nargs)
{
    arrayobject *a = (arrayobject *)op;
    Py_ssize_t start = 0, stop = PY_SSIZE_T_MAX;
    if (!_PyArg_CheckPositional("index", nargs, 1, 3)) {
        return NULL;
    }
    if (nargs > 1 && slice_index(args[1], &start) < 0) {
        return NULL;
    }
    if (nargs > 2 && slice_index(args[2], &stop) < 0) {
        return NULL;
    }
    Py_ssize_t len = array_size(a);
    if (start < 0) {
        start += len;
        if (start < 0) {
            start = 0;
        }
    }
    if (stop < 0) {
        stop += len;
        if (stop < 0) {
            stop = 0;
        }
    }
    Py_ssize_t i = find_value(a, args[0], start, stop);
    if (i == -2) {
        return NULL;
    }
    if (i < 0) {
        PyErr_SetString(PyExc_ValueError, "array.index(x): x not in array");
        return NULL;
    }
    return PyLong_FromSsize_t(i);
}

/* a.remove(x): delete the first item equal to x.  None. */
static PyObject *
array_remove(PyObject *op, PyObject *v)
{
    arrayobject *a = (arrayobject *)op;
    Py_ssize_t i = find_value(a, v, 0, PY_SSIZE_T_MAX);
    if (i == -2) {
        return NULL;
    }
    if (i < 0) {
        PyErr_SetString(PyExc_ValueError, "array.remove(x): x not in array");
        return NULL;
    }
    int res = 0;
    Py_BEGIN_CRITICAL_SECTION(a);
    if (i < a->ob_size) {
        res = delete_range(a, i, i + 1);
    }
    Py_END_CRITICAL_SECTION();
    if (res < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* a.insert(i, x).  None. */
static PyObject *
array_insert(PyObject *op, PyObject *const *args, Py_ssize_t nargs)
{
    arrayobject *a = (arrayobject *)op;
    if (!_PyArg_CheckPositional("insert", nargs, 2, 2)) {
        return NULL;
    }
    PyObject *idx = PyNumber_Index(args[0]);
    if (idx == NULL) {
        return NULL;
    }
    Py_ssize_t i = PyLong_AsSsize_t(idx);
    Py_DECREF(idx);
    if (i == -1 && PyErr_Occurred()) {
        return NULL;
    }
    itembuf item;
    if (a->ob_descr->conv(args[1], &item) < 0) {
        return NULL;
    }
    int res;
    Py_BEGIN_CRITICAL_SECTION(a);
    res = insert_raw(a, i, &item);
    Py_END_CRITICAL_SECTION();
    if (res < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* a.pop([i]).  New reference to the removed item. */
static PyObject *
array_pop(PyObject *op, PyObject *const *args, Py_ssize_t nargs)
{
    arrayobject *a = (arrayobject *)op;
    Py_ssize_t i = -1;
    if (!_PyArg_CheckPositional("pop", nargs, 0, 1)) {
        return NULL;
    }
    if (nargs > 0) {
        PyObject *idx = PyNumber_Index(args[0]);
        if (idx == NULL) {
            return NULL;
        }
        i = PyLong_AsSsize_t(idx);
        Py_DECREF(idx);
        if (i == -1 && PyErr_Occurred()) {
            return NULL;
        }
    }
    itembuf item;
    int res = 0;
    Py_BEGIN_CRITICAL_SECTION(a);
    if (a->ob_size == 0) {
        PyErr_SetString(PyExc_IndexError, "pop from empty array");
        res = -1;
    }
    else {
        if (i < 0) {
            i += a->ob_size;
        }
        if (i < 0 || i >= a->ob_size) {
            PyErr_SetString(PyExc_IndexError, "pop index out of range");
            res = -1;
        }
        else {
            read_item(a, i, &item);
            res = delete_range(a, i, i + 1);
        }
    }
    Py_END_CRITICAL_SECTION();
    if (res < 0) {
        return NULL;
    }
    return a->ob_descr->get(item.raw);
}

/* a.reverse(): in place.  None. */
static PyObject *
array_reverse(PyObject *op, PyObject *unused)
{
    arrayobject *a = (arrayobject *)op;
    int isz = a->ob_descr->itemsize;
    Py_BEGIN_CRITICAL_SECTION(a);
    char tmp[8];
    for (Py_ssize_t lo = 0, hi = a->ob_size - 1; lo < hi; lo++, hi--) {
        memcpy(tmp, a->ob_item + lo * isz, isz);
        memcpy(a->ob_item + lo * isz, a->ob_item + hi * isz, isz);
        memcpy(a->ob_item + hi * isz, tmp, isz);
    }
    Py_END_CRITICAL_SECTION();
    Py_RETURN_NONE;
}

/* Append raw bytes (a whole number of items).  0 or -1. */
static int
frombytes_raw(arrayobject *a, const char *p, Py_ssize_t len)
{
    int isz = a->ob_descr->itemsize;
    if (len % isz != 0) {
        PyErr_SetString(PyExc_ValueError,
                        "bytes length not a multiple of item size");
        return -1;
    }
    int res;
    Py_BEGIN_CRITICAL_SECTION(a);
    res = append_raw(a, p, len / isz);
    Py_END_CRITICAL_SECTION();
    return res;
}

/* a.frombytes(buffer).  None. */
static PyObject *
array_frombytes(PyObject *op, PyObject *arg)
{
    Py_buffer view;
    if (PyObject_GetBuffer(arg, &view, PyBUF_SIMPLE) < 0) {
        if (PyErr_ExceptionMatches(PyExc_TypeError)) {
            PyErr_Clear();
            PyErr_Format(PyExc_TypeError,
                         "a bytes-like object is required, not '%.100s'",
                         Py_TYPE(arg)->tp_name);
        }
        return NULL;
    }
    /* Copy first: the source may be this very array. */
    char *copy = PyMem_Malloc(view.len ? (size_t)view.len : 1);
    if (copy == NULL) {
        PyBuffer_Release(&view);
        return PyErr_NoMemory();
    }
    memcpy(copy, view.buf, view.len);
    Py_ssize_t len = view.len;
    PyBuffer_Release(&view);
    int res = frombytes_raw((arrayobject *)op, copy, len);
    PyMem_Free(copy);
    if (res < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* a.tobytes().  New reference. */
static PyObject *
array_tobytes(PyObject *op, PyObject *unused)
{
    arrayobject *a = (arrayobject *)op;
    PyObject *res = NULL;
    Py_BEGIN_CRITICAL_SECTION(a);
    res = PyBytes_FromStringAndSize(a->ob_item,
                                    a->ob_size * a->ob_descr->itemsize);
    Py_END_CRITICAL_SECTION();
    return res;
}

/* a.fromlist(list): all or nothing.  None. */
static PyObject *
array_fromlist(PyObject *op, PyObject *list)
{
    arrayobject *a = (arrayobject *)op;
    if (!PyList_Check(list)) {
        PyErr_SetString(PyExc_TypeError, "arg must be list");
        return NULL;
    }
    PyObject *seq = PySequence_Tuple(list);   /* stable snapshot */
    if (seq == NULL) {
        return NULL;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(seq);
    int isz = a->ob_descr->itemsize;
    char *buf = PyMem_Malloc(n ? (size_t)n * isz : 1);
    if (buf == NULL) {
        Py_DECREF(seq);
        return PyErr_NoMemory();
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        itembuf item;
        if (a->ob_descr->conv(PyTuple_GET_ITEM(seq, i), &item) < 0) {
            PyMem_Free(buf);
            Py_DECREF(seq);
            return NULL;
        }
        memcpy(buf + i * isz, item.raw, isz);
    }
    Py_DECREF(seq);
    int res;
    Py_BEGIN_CRITICAL_SECTION(a);
    res = append_raw(a, buf, n);
    Py_END_CRITICAL_SECTION();
    PyMem_Free(buf);
    if (res < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* a.tolist().  New reference. */
static PyObject *
array_tolist(PyObject *op, PyObject *unused)
{
    arrayobject *a = (arrayobject *)op;
    char *buf;
    Py_ssize_t n = snapshot(a, &buf);
    if (n < 0) {
        return NULL;
    }
    PyObject *res = raw_tolist(a->ob_descr, buf, n);
    PyMem_Free(buf);
    return res;
}

/* Append the characters of a str to a 'u' array.  0 or -1. */
static int
fromunicode_impl(arrayobject *a, PyObject *s)
{
    Py_ssize_t n;
    wchar_t *w = PyUnicode_AsWideCharString(s, &n);
    if (w == NULL) {
        return -1;
    }
    int res;
    Py_BEGIN_CRITICAL_SECTION(a);
    res = append_raw(a, (const char *)w, n);
    Py_END_CRITICAL_SECTION();
    PyMem_Free(w);
    return res;
}

/* a.fromunicode(s).  None. */
static PyObject *
array_fromunicode(PyObject *op, PyObject *arg)
{
    arrayobject *a = (arrayobject *)op;
    if (!PyUnicode_Check(arg)) {
        PyErr_Format(PyExc_TypeError,
                     "fromunicode() argument must be str, not %.50s",
                     Py_TYPE(arg)->tp_name);
        return NULL;
    }
    if (a->ob_descr->typecode != 'u') {
        PyErr_SetString(PyExc_ValueError,
                        "fromunicode() may only be called on unicode type "
                        "arrays");
        return NULL;
    }
    if (fromunicode_impl(a, arg) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* a.tounicode().  New reference. */
static PyObject *
array_tounicode(PyObject *op, PyObject *unused)
{
    arrayobject *a = (arrayobject *)op;
    if (a->ob_descr->typecode != 'u') {
        PyErr_SetString(PyExc_ValueError,
                        "tounicode() may only be called on unicode type "
                        "arrays");
        return NULL;
    }
    char *buf;
    Py_ssize_t n = snapshot(a, &buf);
    if (n < 0) {
        return NULL;
    }
    PyObject *res = raw_tounicode(buf, n);
    PyMem_Free(buf);
    return res;
}

/* a.fromfile(f, n): read n items with f.read (section not held), append
 * what came, EOFError if short.  None. */
static PyObject *
array_fromfile(PyObject *op, PyObject *const *args, Py_ssize_t nargs)
{
    arrayobject *a = (arrayobject *)op;
    if (!_PyArg_CheckPositional("fromfile", nargs, 2, 2)) {
        return NULL;
    }
    PyObject *idx = PyNumber_Index(args[1]);
    if (idx == NULL) {
        return NULL;
    }
    Py_ssize_t n = PyLong_AsSsize_t(idx);
    Py_DECREF(idx);
    if (n == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (n < 0) {
        PyErr_SetString(PyExc_ValueError, "negative count");
        return NULL;
    }
    int isz = a->ob_descr->itemsize;
    if (n > PY_SSIZE_T_MAX / isz) {
        return PyErr_NoMemory();
    }
    Py_ssize_t nbytes = n * isz;
    PyObject *b = PyObject_CallMethod(args[0], "read", "n", nbytes);
    if (b == NULL) {
        return NULL;
    }
    if (!PyBytes_Check(b)) {
        Py_DECREF(b);
        PyErr_SetString(PyExc_TypeError, "read() didn't return bytes");
        return NULL;
    }
    Py_ssize_t got = PyBytes_GET_SIZE(b);
    int notenough = got != nbytes;
    int res = frombytes_raw(a, PyBytes_AS_STRING(b), (got / isz) * isz);
    Py_DECREF(b);
    if (res < 0) {
        return NULL;
    }
    if (notenough) {
        PyErr_SetString(PyExc_EOFError, "read() didn't return enough bytes");
        return NULL;
    }
    Py_RETURN_NONE;
}

/* a.tofile(f): f.write in blocks of 64 KiB, from a snapshot.  None. */
static PyObject *
array_tofile(PyObject *op, PyObject *f)
{
    arrayobject *a = (arrayobject *)op;
    const Py_ssize_t BLOCKSIZE = 64 * 1024;
    char *buf;
    Py_ssize_t n = snapshot(a, &buf);
    if (n < 0) {
        return NULL;
    }
    Py_ssize_t nbytes = n * a->ob_descr->itemsize;
    for (Py_ssize_t off = 0; off < nbytes; off += BLOCKSIZE) {
        Py_ssize_t size = nbytes - off < BLOCKSIZE ? nbytes - off : BLOCKSIZE;
        PyObject *bytes = PyBytes_FromStringAndSize(buf + off, size);
        if (bytes == NULL) {
            PyMem_Free(buf);
            return NULL;
        }
        PyObject *r = PyObject_CallMethod(f, "write", "O", bytes);
        Py_DECREF(bytes);
        if (r == NULL) {
            PyMem_Free(buf);
            return NULL;
        }
        Py_DECREF(r);
    }
    PyMem_Free(buf);
    Py_RETURN_NONE;
}

/* a.__copy__() and __deepcopy__(memo).  New reference. */
static PyObject *
array_copy(PyObject *op, PyObject *unused)
{
    arrayobject *a = (arrayobject *)op;
    char *buf;
    Py_ssize_t n = snapshot(a, &buf);
    if (n < 0) {
        return NULL;
    }
    PyObject *res = array_from_raw(a->ob_descr, buf, n);
    PyMem_Free(buf);
    return res;
}

/* a.__sizeof__().  New reference. */
static PyObject *
array_sizeof(PyObject *op, PyObject *unused)
{
    arrayobject *a = (arrayobject *)op;
    Py_ssize_t alloc;
    Py_BEGIN_CRITICAL_SECTION(a);
    alloc = a->allocated;
    Py_END_CRITICAL_SECTION();
    return PyLong_FromSsize_t(Py_TYPE(op)->tp_basicsize
                              + alloc * a->ob_descr->itemsize);
}

/* The machine format code of a native type code on this platform. */
static int
native_mformat(const arraydescr *d)
{
    int le = 1;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    le = 0;
#endif
    switch (d->typecode) {
    case 'b': return SIGNED_INT8;
    case 'B': return UNSIGNED_INT8;
    case 'u': return sizeof(wchar_t) == 2 ? (le ? UTF16_LE : UTF16_BE)
                                          : (le ? UTF32_LE : UTF32_BE);
    case 'f': return le ? IEEE_754_FLOAT_LE : IEEE_754_FLOAT_BE;
    case 'd': return le ? IEEE_754_DOUBLE_LE : IEEE_754_DOUBLE_BE;
    default: break;
    }
    int base;
    switch (d->itemsize) {
    case 2: base = UNSIGNED_INT16_LE; break;
    case 4: base = UNSIGNED_INT32_LE; break;
    case 8: base = UNSIGNED_INT64_LE; break;
    default: return UNKNOWN_FORMAT;
    }
    return base + (d->is_signed ? 2 : 0) + (le ? 0 : 1);
}

/* The instance __dict__ or None (new reference), for pickling. */
static PyObject *
get_instance_dict(PyObject *op)
{
    PyObject *dict = PyObject_GetAttrString(op, "__dict__");
    if (dict == NULL) {
        if (!PyErr_ExceptionMatches(PyExc_AttributeError)) {
            return NULL;
        }
        PyErr_Clear();
        Py_RETURN_NONE;
    }
    if (PyDict_Check(dict) && PyDict_GET_SIZE(dict) == 0) {
        Py_DECREF(dict);
        Py_RETURN_NONE;
    }
    return dict;
}

/* a.__reduce_ex__(protocol): protocols 0-2 rebuild from a list; 3 and
 * later through array._array_reconstructor.  New reference. */
static PyObject *
array_reduce_ex(PyObject *op, PyObject *value)
{
    arrayobject *a = (arrayobject *)op;
    long protocol = PyLong_AsLong(value);
    if (protocol == -1 && PyErr_Occurred()) {
        return NULL;
    }
    PyObject *dict = get_instance_dict(op);
    if (dict == NULL) {
        return NULL;
    }
    PyObject *res = NULL;
    int mformat = native_mformat(a->ob_descr);
    if (protocol < 3 || mformat == UNKNOWN_FORMAT) {
        PyObject *list = array_tolist(op, NULL);
        if (list != NULL) {
            res = Py_BuildValue("O(CO)O", Py_TYPE(op),
                                (int)a->ob_descr->typecode, list, dict);
            Py_DECREF(list);
        }
        Py_DECREF(dict);
        return res;
    }
    PyObject *mod = PyImport_ImportModule("array");
    PyObject *recon = mod ? PyObject_GetAttrString(mod, "_array_reconstructor")
                          : NULL;
    Py_XDECREF(mod);
    PyObject *bytes = recon ? array_tobytes(op, NULL) : NULL;
    if (bytes != NULL) {
        res = Py_BuildValue("O(OCiN)O", recon, Py_TYPE(op),
                            (int)a->ob_descr->typecode, mformat, bytes,
                            dict);
    }
    Py_XDECREF(recon);
    Py_DECREF(dict);
    return res;
}

/* ------------------------------------------------ construction */

/* Fill a new array from its initializer (3.11's rules).  0 or -1. */
static int
init_from(arrayobject *a, PyObject *init, char typecode)
{
    if (init == NULL || init == Py_None) {
        return 0;
    }
    if (PyUnicode_Check(init)) {
        if (typecode != 'u') {
            PyErr_Format(PyExc_TypeError,
                         "cannot use a str to initialize an array with "
                         "typecode '%c'", typecode);
            return -1;
        }
        return fromunicode_impl(a, init);
    }
    if (array_Check(init) && typecode != 'u'
        && ((arrayobject *)init)->ob_descr->typecode == 'u') {
        PyErr_Format(PyExc_TypeError,
                     "cannot use a unicode array to initialize an array "
                     "with typecode '%c'", typecode);
        return -1;
    }
    if (PyBytes_Check(init) || PyByteArray_Check(init)) {
        PyObject *r = array_frombytes((PyObject *)a, init);
        if (r == NULL) {
            return -1;
        }
        Py_DECREF(r);
        return 0;
    }
    if (array_Check(init)
        && ((arrayobject *)init)->ob_descr == a->ob_descr) {
        return extend_from_array(a, (arrayobject *)init);
    }
    if (PyList_Check(init)) {
        PyObject *r = array_fromlist((PyObject *)a, init);
        if (r == NULL) {
            return -1;
        }
        Py_DECREF(r);
        return 0;
    }
    /* Tuples, arrays of another type code, any iterable. */
    PyObject *it = PyObject_GetIter(init);
    if (it == NULL) {
        return -1;
    }
    PyObject *v;
    while ((v = PyIter_Next(it)) != NULL) {
        int r = append_value(a, v);
        Py_DECREF(v);
        if (r < 0) {
            Py_DECREF(it);
            return -1;
        }
    }
    Py_DECREF(it);
    return PyErr_Occurred() ? -1 : 0;
}

/* array(typecode[, initializer]).  New reference. */
static PyObject *
array_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    if (type == &Arraytype && !_PyArg_NoKeywords("array.array", kwds)) {
        return NULL;
    }
    Py_ssize_t nargs = PyTuple_GET_SIZE(args);
    if (nargs < 1) {
        PyErr_Format(PyExc_TypeError,
                     "array() takes at least 1 argument (%zd given)", nargs);
        return NULL;
    }
    if (nargs > 2) {
        PyErr_Format(PyExc_TypeError,
                     "array() takes at most 2 arguments (%zd given)", nargs);
        return NULL;
    }
    PyObject *tc = PyTuple_GET_ITEM(args, 0);
    if (!PyUnicode_Check(tc) || PyUnicode_GET_LENGTH(tc) != 1) {
        PyErr_Format(PyExc_TypeError,
                     "array() argument 1 must be a unicode character, "
                     "not %.50s", Py_TYPE(tc)->tp_name);
        return NULL;
    }
    const arraydescr *d = find_descr(PyUnicode_READ_CHAR(tc, 0));
    if (d == NULL) {
        PyErr_SetString(PyExc_ValueError,
                        "bad typecode (must be b, B, u, h, H, i, I, l, L, "
                        "q, Q, f or d)");
        return NULL;
    }
    arrayobject *a = newarray(type, 0, d);
    if (a == NULL) {
        return NULL;
    }
    PyObject *init = nargs > 1 ? PyTuple_GET_ITEM(args, 1) : NULL;
    if (init_from(a, init, d->typecode) < 0) {
        Py_DECREF(a);
        return NULL;
    }
    return (PyObject *)a;
}

/* Load one item of a machine format into a Python object: integers of
 * size bytes (signed or not, big or little endian) and IEEE floats.
 * New reference. */
static PyObject *
load_mformat_item(const unsigned char *p, int size, int is_signed,
                  int big, int is_float)
{
    unsigned char tmp[8];
    int le = 1;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    le = 0;
#endif
    for (int i = 0; i < size; i++) {
        tmp[i] = (big == !le) ? p[i] : p[size - 1 - i];
    }
    if (is_float) {
        if (size == 4) {
            float f;
            memcpy(&f, tmp, 4);
            return PyFloat_FromDouble(f);
        }
        double d;
        memcpy(&d, tmp, 8);
        return PyFloat_FromDouble(d);
    }
    unsigned long long u = 0;
    for (int i = 0; i < size; i++) {
        int byte = big ? i : size - 1 - i;
        u = (u << 8) | p[byte];
    }
    if (is_signed) {
        if (size < 8 && (u >> (size * 8 - 1)) & 1) {
            u |= ~0ULL << (size * 8);
        }
        return PyLong_FromLongLong((long long)u);
    }
    return PyLong_FromUnsignedLongLong(u);
}

/* array._array_reconstructor(arraytype, typecode, mformat_code, items):
 * the unpickler of protocol 3+.  New reference. */
static PyObject *
array_reconstructor(PyObject *module, PyObject *args)
{
    PyObject *atype, *tcobj, *items;
    int mformat;
    if (!PyArg_ParseTuple(args, "OOiO:_array_reconstructor", &atype, &tcobj,
                          &mformat, &items)) {
        return NULL;
    }
    if (!PyType_Check(atype)) {
        PyErr_Format(PyExc_TypeError,
                     "first argument must be a type object, not %.200s",
                     Py_TYPE(atype)->tp_name);
        return NULL;
    }
    if (!PyType_IsSubtype((PyTypeObject *)atype, &Arraytype)) {
        PyErr_Format(PyExc_TypeError, "%.200s is not a subtype of %.200s",
                     ((PyTypeObject *)atype)->tp_name, Arraytype.tp_name);
        return NULL;
    }
    const arraydescr *d = NULL;
    if (PyUnicode_Check(tcobj) && PyUnicode_GET_LENGTH(tcobj) == 1) {
        d = find_descr(PyUnicode_READ_CHAR(tcobj, 0));
    }
    else if (!PyUnicode_Check(tcobj)) {
        PyErr_Format(PyExc_TypeError,
                     "_array_reconstructor() argument 2 must be a unicode "
                     "character, not %.50s", Py_TYPE(tcobj)->tp_name);
        return NULL;
    }
    if (d == NULL) {
        PyErr_SetString(PyExc_ValueError,
                        "second argument must be a valid type code");
        return NULL;
    }
    if (mformat < MACHINE_FORMAT_CODE_MIN
        || mformat > MACHINE_FORMAT_CODE_MAX) {
        PyErr_SetString(PyExc_ValueError,
                        "third argument must be a valid machine format "
                        "code.");
        return NULL;
    }
    if (!PyBytes_Check(items)) {
        PyErr_Format(PyExc_TypeError,
                     "fourth argument should be bytes, not %.200s",
                     Py_TYPE(items)->tp_name);
        return NULL;
    }
    PyObject *tcstr = PyUnicode_FromOrdinal(d->typecode);
    if (tcstr == NULL) {
        return NULL;
    }
    PyObject *init = NULL;
    const unsigned char *p = (const unsigned char *)PyBytes_AS_STRING(items);
    Py_ssize_t len = PyBytes_GET_SIZE(items);
    if (mformat == native_mformat(d)) {
        init = Py_NewRef(items);
    }
    else if (mformat >= UTF16_LE) {
        static const char *const enc[] = {"utf-16-le", "utf-16-be",
                                          "utf-32-le", "utf-32-be"};
        init = PyUnicode_Decode((const char *)p, len,
                                enc[mformat - UTF16_LE], "strict");
    }
    else {
        int size, is_signed = 0, big = 0, is_float = 0;
        if (mformat <= SIGNED_INT8) {
            size = 1;
            is_signed = mformat == SIGNED_INT8;
        }
        else if (mformat <= SIGNED_INT64_BE) {
            int k = mformat - UNSIGNED_INT16_LE;
            size = 2 << (k / 4);
            is_signed = (k % 4) >= 2;
            big = k % 2;
        }
        else {
            is_float = 1;
            size = mformat <= IEEE_754_FLOAT_BE ? 4 : 8;
            big = (mformat - IEEE_754_FLOAT_LE) % 2;
        }
        if (!is_float && (!d->is_integer || d->itemsize != size
                          || d->is_signed != is_signed)) {
            /* Pick the first type code of that size and signedness. */
            /* Floats keep the requested type code, as in 3.11. */
            for (const arraydescr *e = descriptors; e->typecode; e++) {
                if (e->is_integer && e->itemsize == size
                    && e->is_signed == is_signed) {
                    Py_SETREF(tcstr, PyUnicode_FromOrdinal(e->typecode));
                    break;
                }
            }
            if (tcstr == NULL) {
                return NULL;
            }
        }
        if (len % size != 0) {
            Py_DECREF(tcstr);
            PyErr_SetString(PyExc_ValueError,
                            "bytes length not a multiple of item size");
            return NULL;
        }
        init = PyList_New(len / size);
        for (Py_ssize_t i = 0; init != NULL && i < len / size; i++) {
            PyObject *v = load_mformat_item(p + i * size, size, is_signed,
                                            big, is_float);
            if (v == NULL) {
                Py_CLEAR(init);
                break;
            }
            PyList_SET_ITEM(init, i, v);
        }
    }
    if (init == NULL) {
        Py_DECREF(tcstr);
        return NULL;
    }
    PyObject *res = PyObject_CallFunction(atype, "OO", tcstr, init);
    Py_DECREF(tcstr);
    Py_DECREF(init);
    return res;
}

/* ------------------------------------------------ attributes */

/* a.typecode: the one-character str.  New reference. */
static PyObject *
array_get_typecode(PyObject *op, void *closure)
{
    return PyUnicode_FromOrdinal(((arrayobject *)op)->ob_descr->typecode);
}

/* a.itemsize: bytes per item.  New reference. */
static PyObject *
array_get_itemsize(PyObject *op, void *closure)
{
    return PyLong_FromLong(((arrayobject *)op)->ob_descr->itemsize);
}

/* ------------------------------------------------ iterator */

/* iter(a).  New reference. */
static PyObject *
array_iter(PyObject *op)
{
    arrayiterobject *it = PyObject_GC_New(arrayiterobject, &ArrayIter_Type);
    if (it == NULL) {
        return NULL;
    }
    it->ao = (arrayobject *)Py_NewRef(op);
    it->index = 0;
    PyObject_GC_Track(it);
    return (PyObject *)it;
}

/* next(it): the iterator and its array are locked together for one
 * step.  New reference, or NULL when exhausted. */
static PyObject *
arrayiter_next(PyObject *op)
{
    arrayiterobject *it = (arrayiterobject *)op;
    itembuf item;
    const arraydescr *d = NULL;
    PyObject *drop = NULL;
    Py_BEGIN_CRITICAL_SECTION(it);
    arrayobject *a = it->ao;
    if (a != NULL) {
        int got = 0;
        Py_BEGIN_CRITICAL_SECTION(a);
        if (it->index < a->ob_size) {
            read_item(a, it->index, &item);
            it->index++;
            d = a->ob_descr;
            got = 1;
        }
        Py_END_CRITICAL_SECTION();
        if (!got) {
            drop = (PyObject *)a;
            it->ao = NULL;
        }
    }
    Py_END_CRITICAL_SECTION();
    Py_XDECREF(drop);
    if (d == NULL) {
        return NULL;
    }
    return d->get(item.raw);
}

/* Drop the array reference; nobody else holds the iterator. */
static void
arrayiter_dealloc(PyObject *op)
{
    arrayiterobject *it = (arrayiterobject *)op;
    PyObject_GC_UnTrack(op);
    Py_XDECREF(it->ao);
    PyObject_GC_Del(op);
}

/* GC: the iterator keeps its array alive. */
static int
arrayiter_traverse(PyObject *op, visitproc visit, void *arg)
{
    Py_VISIT(((arrayiterobject *)op)->ao);
    return 0;
}

/* it.__reduce__(): (iter, (array,), index) or (iter, ((),)).  New ref. */
static PyObject *
arrayiter_reduce(PyObject *op, PyObject *unused)
{
    arrayiterobject *it = (arrayiterobject *)op;
    PyObject *iterfn = PyEval_GetBuiltins() != NULL
        ? PyDict_GetItemString(PyEval_GetBuiltins(), "iter") : NULL;
    if (iterfn == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "builtins.iter not found");
        return NULL;
    }
    PyObject *a;
    Py_ssize_t index;
    Py_BEGIN_CRITICAL_SECTION(it);
    a = Py_XNewRef((PyObject *)it->ao);
    index = it->index;
    Py_END_CRITICAL_SECTION();
    if (a == NULL) {
        return Py_BuildValue("O(())", iterfn);
    }
    return Py_BuildValue("O(N)n", iterfn, a, index);
}

/* it.__setstate__(index).  None. */
static PyObject *
arrayiter_setstate(PyObject *op, PyObject *state)
{
    arrayiterobject *it = (arrayiterobject *)op;
    Py_ssize_t index = PyLong_AsSsize_t(state);
    if (index == -1 && PyErr_Occurred()) {
        return NULL;
    }
    Py_BEGIN_CRITICAL_SECTION(it);
    if (it->ao != NULL) {
        if (index < 0) {
            index = 0;
        }
        else if (index > array_size(it->ao)) {
            index = array_size(it->ao);
        }
        it->index = index;
    }
    Py_END_CRITICAL_SECTION();
    Py_RETURN_NONE;
}

static PyMethodDef arrayiter_methods[] = {
    {"__reduce__", arrayiter_reduce, METH_NOARGS,
     "Return state information for pickling."},
    {"__setstate__", arrayiter_setstate, METH_O,
     "Set state information for unpickling."},
    {NULL, NULL, 0, NULL}
};

static PyTypeObject ArrayIter_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "array.arrayiterator",
    .tp_basicsize = sizeof(arrayiterobject),
    .tp_dealloc = arrayiter_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_traverse = arrayiter_traverse,
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = arrayiter_next,
    .tp_methods = arrayiter_methods,
};

/* ------------------------------------------------ type */

static PyMethodDef array_methods[] = {
    {"append", array_append, METH_O,
     "Append new value v to the end of the array."},
    {"buffer_info", array_buffer_info, METH_NOARGS,
     "Return a tuple (address, length) giving the current memory address "
     "and the length in items of the buffer used to hold array's "
     "contents."},
    {"byteswap", array_byteswap, METH_NOARGS,
     "Byteswap all items of the array."},
    {"__copy__", array_copy, METH_NOARGS, "Return a copy of the array."},
    {"count", array_count, METH_O,
     "Return number of occurrences of v in the array."},
    {"__deepcopy__", array_copy, METH_O, "Return a copy of the array."},
    {"extend", array_extend, METH_O,
     "Append items to the end of the array."},
    {"frombytes", array_frombytes, METH_O,
     "Appends items from the string, interpreting it as an array of "
     "machine values, as if it had been read from a file using the "
     "fromfile() method."},
    {"fromfile", (PyCFunction)(void (*)(void))array_fromfile, METH_FASTCALL,
     "Read n objects from the file object f and append them to the end of "
     "the array."},
    {"fromlist", array_fromlist, METH_O,
     "Append items to array from list."},
    {"fromunicode", array_fromunicode, METH_O,
     "Extends this array with data from the unicode string ustr."},
    {"index", (PyCFunction)(void (*)(void))array_index, METH_FASTCALL,
     "Return index of first occurrence of v in the array."},
    {"insert", (PyCFunction)(void (*)(void))array_insert, METH_FASTCALL,
     "Insert a new item v into the array before position i."},
    {"pop", (PyCFunction)(void (*)(void))array_pop, METH_FASTCALL,
     "Return the i-th element and delete it from the array."},
    {"__reduce_ex__", array_reduce_ex, METH_O,
     "Return state information for pickling."},
    {"remove", array_remove, METH_O,
     "Remove the first occurrence of v in the array."},
    {"reverse", array_reverse, METH_NOARGS,
     "Reverse the order of the items in the array."},
    {"tofile", array_tofile, METH_O,
     "Write all items (as machine values) to the file object f."},
    {"tolist", array_tolist, METH_NOARGS,
     "Convert array to an ordinary list with the same items."},
    {"tobytes", array_tobytes, METH_NOARGS,
     "Convert the array to an array of machine values and return the "
     "bytes representation."},
    {"tounicode", array_tounicode, METH_NOARGS,
     "Extends this array with data from the unicode string ustr."},
    {"__sizeof__", array_sizeof, METH_NOARGS,
     "Size of the array in memory, in bytes."},
    {NULL, NULL, 0, NULL}
};

static PyGetSetDef array_getset[] = {
    {"typecode", array_get_typecode, NULL,
     "the typecode character used to create the array", NULL},
    {"itemsize", array_get_itemsize, NULL,
     "the size, in bytes, of one array item", NULL},
    {NULL, NULL, NULL, NULL, NULL}
};

static PySequenceMethods array_as_sequence = {
    .sq_length = array_length,
    .sq_concat = array_concat,
    .sq_repeat = array_repeat,
    .sq_item = array_item,
    .sq_ass_item = array_ass_item,
    .sq_contains = array_contains,
    .sq_inplace_concat = array_inplace_concat,
    .sq_inplace_repeat = array_inplace_repeat,
};

static PyMappingMethods array_as_mapping = {
    .mp_length = array_length,
    .mp_subscript = array_subscr,
    .mp_ass_subscript = array_ass_subscr,
};

static PyBufferProcs array_as_buffer = {
    .bf_getbuffer = array_getbuffer,
    .bf_releasebuffer = array_releasebuffer,
};

static PyTypeObject Arraytype = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "array.array",
    .tp_basicsize = sizeof(arrayobject),
    .tp_dealloc = array_dealloc,
    .tp_repr = array_repr,
    .tp_as_sequence = &array_as_sequence,
    .tp_as_mapping = &array_as_mapping,
    .tp_hash = PyObject_HashNotImplemented,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_as_buffer = &array_as_buffer,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE
                | Py_TPFLAGS_SEQUENCE,
    .tp_doc = "array(typecode [, initializer]) -> array\n\n"
              "Return a new array whose items are restricted by typecode, "
              "and\ninitialized from the optional initializer value, which "
              "must be a list,\na bytes-like object, or iterable over "
              "elements of the\nappropriate type.",
    .tp_richcompare = array_richcompare,
    .tp_weaklistoffset = offsetof(arrayobject, weakreflist),
    .tp_iter = array_iter,
    .tp_methods = array_methods,
    .tp_getset = array_getset,
    .tp_alloc = PyType_GenericAlloc,
    .tp_new = array_new,
    .tp_free = PyObject_Free,
};

static PyMethodDef array_functions[] = {
    {"_array_reconstructor", array_reconstructor, METH_VARARGS,
     "Internal. Used for pickling support."},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef array_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "array",
    .m_doc = "This module defines an object type which can efficiently "
             "represent\nan array of basic values: characters, integers, "
             "floating point\nnumbers.  Arrays are sequence types and "
             "behave very much like lists,\nexcept that the type of "
             "objects stored in them is constrained.\n",
    .m_size = -1,
    .m_methods = array_functions,
};

/* Static types get no __module__ entry from PyType_Ready in this runtime
 * yet (CPython derives it from the dotted tp_name); add it so dir() and
 * pickling match 3.11.  Called at module init, before the type can be
 * shared.  0, or -1 with an error.  TEMPORARY until typeobject.c does it. */
static int
set_type_module(PyTypeObject *type, const char *module)
{
    if (PyDict_GetItemString(type->tp_dict, "__module__") != NULL) {
        return 0;
    }
    PyObject *name = PyUnicode_FromString(module);
    if (name == NULL) {
        return -1;
    }
    int r = PyDict_SetItemString(type->tp_dict, "__module__", name);
    Py_DECREF(name);
    return r;
}

/* Module init.  New reference. */
PyMODINIT_FUNC
PyInit_array(void)
{
    if (PyType_Ready(&Arraytype) < 0 || PyType_Ready(&ArrayIter_Type) < 0) {
        return NULL;
    }
    if (set_type_module(&Arraytype, "array") < 0
        || set_type_module(&ArrayIter_Type, "array") < 0) {
        return NULL;
    }
    ArrayIter_Type.tp_new = NULL;
    PyObject *m = PyModule_Create(&array_module);
    if (m == NULL) {
        return NULL;
    }
    if (PyModule_AddObjectRef(m, "array", (PyObject *)&Arraytype) < 0
        || PyModule_AddObjectRef(m, "ArrayType", (PyObject *)&Arraytype) < 0
        || PyModule_AddStringConstant(m, "typecodes", "bBuhHiIlLqQfd") < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
