/* The marshal module and C API: CPython 3.11's serialisation format
 * (version 4) for plain data, byte for byte, plus Plait's own layout for
 * code objects.
 *
 * Writing follows the format's observable rules: singletons (None, True,
 * False, StopIteration, Ellipsis) are one byte; every other object first
 * goes through the reference table (version >= 3): an object seen before
 * is written as 'r' + index, an object that may be shared (reference
 * count above 1, or an interned str) gets FLAG_REF and the next index.
 * Set and frozenset elements are written sorted by their own marshalled
 * bytes so the output does not depend on hashing.
 *
 * Code objects ('c', Plait layout, little-endian int32 fields):
 *   argcount posonlyargcount kwonlyargcount stacksize flags firstlineno
 *   nlocalsplus nlocals ncellvars nfreevars, then the objects
 *   code (bytes of little-endian 16-bit code units) consts names
 *   localsplusnames localspluskinds filename name qualname linetable
 *   exceptiontable.
 * The inline cache units are written as they are; while nothing
 * specializes they are zero.  Once specialization writes them, the writer
 * must emit the unspecialized form.  Loading a code object does not
 * verify its bytecode (neither does CPython): marshal data holding code
 * must come from a trusted source.
 *
 * Thread safety: no shared state.  A writer or reader lives on the C
 * stack of one call; objects are read through the thread-safe object
 * APIs (dict/set iteration under their own locks).  A container mutated
 * by another thread while it is being dumped gives some consistent-
 * enough snapshot per item, never a crash. */
#include "Python.h"
#include "marshal.h"
#include "pycore_code.h"
#include "pycore_frame.h"
#include "pycore_object.h"

#include <stdlib.h>
#include <string.h>

/* complex has no owner yet; when it exists these resolve to it. */
extern PyTypeObject PyComplex_Type __attribute__((weak));
extern PyObject *PyComplex_FromDoubles(double real, double imag)
    __attribute__((weak));
extern double PyComplex_RealAsDouble(PyObject *op) __attribute__((weak));
extern double PyComplex_ImagAsDouble(PyObject *op) __attribute__((weak));

#define MAX_MARSHAL_STACK_DEPTH 2000
#define SIZE32_MAX 0x7FFFFFFF

#define TYPE_NULL               '0'
#define TYPE_NONE               'N'
#define TYPE_FALSE              'F'
#define TYPE_TRUE               'T'
#define TYPE_STOPITER           'S'
#define TYPE_ELLIPSIS           '.'
#define TYPE_INT                'i'
#define TYPE_INT64              'I'     /* read only (old marshal data) */
#define TYPE_FLOAT              'f'
#define TYPE_BINARY_FLOAT       'g'
#define TYPE_COMPLEX            'x'
#define TYPE_BINARY_COMPLEX     'y'
#define TYPE_LONG               'l'
#define TYPE_STRING             's'
#define TYPE_INTERNED           't'
#define TYPE_REF                'r'
#define TYPE_TUPLE              '('
#define TYPE_LIST               '['
#define TYPE_DICT               '{'
#define TYPE_CODE               'c'
#define TYPE_UNICODE            'u'
#define TYPE_SET                '<'
#define TYPE_FROZENSET          '>'
#define TYPE_ASCII              'a'
#define TYPE_ASCII_INTERNED     'A'
#define TYPE_SMALL_TUPLE        ')'
#define TYPE_SHORT_ASCII        'z'
#define TYPE_SHORT_ASCII_INTERNED 'Z'
#define FLAG_REF                0x80

/* Long digits in the format are 15 bits wide whatever the runtime uses. */
#define PyLong_MARSHAL_SHIFT 15
#define PyLong_MARSHAL_BASE (1 << PyLong_MARSHAL_SHIFT)

/* Whether the complex type is linked in (it is weak here). */
static int
complex_exists(void)
{
    return &PyComplex_Type != NULL && PyComplex_FromDoubles != NULL
           && PyComplex_RealAsDouble != NULL && PyComplex_ImagAsDouble != NULL;
}

/* ================================================================ writer */

/* One reference-table slot: an object (strong reference) and its index. */
typedef struct {
    PyObject *obj;
    Py_ssize_t index;
} wref;

typedef struct {
    char *buf;              /* PyMem; NULL after an allocation failure */
    Py_ssize_t len;
    Py_ssize_t cap;
    int version;
    int depth;
    wref *refs;             /* open addressing on the pointer, PyMem */
    Py_ssize_t refs_cap;    /* power of two or 0 */
    Py_ssize_t refs_used;
} WFILE;

static int w_object(PyObject *v, WFILE *p);
static int w_object_extra(PyObject *v, Py_ssize_t extra, WFILE *p);

/* Starts an empty writer for format VERSION. */
static void
w_init(WFILE *p, int version)
{
    memset(p, 0, sizeof(*p));
    p->version = version;
}

/* Frees the output buffer and drops the reference table. */
static void
w_clear(WFILE *p)
{
    for (Py_ssize_t i = 0; i < p->refs_cap; i++) {
        Py_XDECREF(p->refs[i].obj);
    }
    PyMem_Free(p->refs);
    PyMem_Free(p->buf);
    p->refs = NULL;
    p->buf = NULL;
}

/* Room for N more bytes; -1 with MemoryError. */
static int
w_reserve(WFILE *p, Py_ssize_t n)
{
    if (p->len + n <= p->cap) {
        return 0;
    }
    if (n > PY_SSIZE_T_MAX / 2 - p->len) {
        PyErr_NoMemory();
        return -1;
    }
    Py_ssize_t cap = (p->len + n) * 2 + 64;
    char *nb = PyMem_Realloc(p->buf, (size_t)cap);
    if (nb == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    p->buf = nb;
    p->cap = cap;
    return 0;
}

/* Appends N bytes; -1 with MemoryError. */
static int
w_bytes(const void *s, Py_ssize_t n, WFILE *p)
{
    if (w_reserve(p, n) < 0) {
        return -1;
    }
    memcpy(p->buf + p->len, s, (size_t)n);
    p->len += n;
    return 0;
}

/* Appends one byte (a type code or a short size). */
static int
w_byte(int c, WFILE *p)
{
    unsigned char b = (unsigned char)c;
    return w_bytes(&b, 1, p);
}

/* A 32-bit little-endian value. */
static int
w_long(long x, WFILE *p)
{
    unsigned char b[4];
    uint32_t u = (uint32_t)x;
    for (int i = 0; i < 4; i++) {
        b[i] = (unsigned char)(u >> (8 * i));
    }
    return w_bytes(b, 4, p);
}

/* A 16-bit little-endian value (long digits, code units). */
static int
w_short(int x, WFILE *p)
{
    unsigned char b[2] = {(unsigned char)(x & 0xff),
                          (unsigned char)((x >> 8) & 0xff)};
    return w_bytes(b, 2, p);
}

/* The error for anything the format cannot hold. */
static int
unmarshallable(void)
{
    PyErr_SetString(PyExc_ValueError, "unmarshallable object");
    return -1;
}

/* A size-prefixed (int32) byte string. */
static int
w_pstring(const void *s, Py_ssize_t n, WFILE *p)
{
    if (n > SIZE32_MAX) {
        return unmarshallable();
    }
    if (w_long((long)n, p) < 0) {
        return -1;
    }
    return w_bytes(s, n, p);
}

/* A byte string with a one-byte size (N < 256). */
static int
w_short_pstring(const void *s, Py_ssize_t n, WFILE *p)
{
    if (w_byte((int)n, p) < 0) {
        return -1;
    }
    return w_bytes(s, n, p);
}

/* Spreads an object address over the table (addresses are
   aligned, so the low bits alone would cluster). */
static size_t
ptr_hash(PyObject *v)
{
    uintptr_t x = (uintptr_t)v;
    x ^= x >> 17;
    x *= (uintptr_t)0x9E3779B97F4A7C15ULL;
    return (size_t)(x ^ (x >> 29));
}

/* Slot of V in the table (an empty slot if absent).  refs_cap > 0. */
static wref *
refs_slot(WFILE *p, PyObject *v)
{
    size_t mask = (size_t)p->refs_cap - 1;
    size_t i = ptr_hash(v) & mask;
    while (p->refs[i].obj != NULL && p->refs[i].obj != v) {
        i = (i + 1) & mask;
    }
    return &p->refs[i];
}

/* Grows the table so that one more entry keeps it at most half full. */
static int
refs_grow(WFILE *p)
{
    if ((p->refs_used + 1) * 2 <= p->refs_cap) {
        return 0;
    }
    Py_ssize_t ncap = p->refs_cap ? p->refs_cap * 2 : 64;
    wref *old = p->refs;
    Py_ssize_t ocap = p->refs_cap;
    p->refs = PyMem_Calloc((size_t)ncap, sizeof(wref));
    if (p->refs == NULL) {
        p->refs = old;
        PyErr_NoMemory();
        return -1;
    }
    p->refs_cap = ncap;
    for (Py_ssize_t i = 0; i < ocap; i++) {
        if (old[i].obj != NULL) {
            *refs_slot(p, old[i].obj) = old[i];
        }
    }
    PyMem_Free(old);
    return 0;
}

/* The reference step before writing V: 1 when V was written as a
   reference, 0 to go on (*FLAG gets FLAG_REF when V is registered), -1
   on error.  EXTRA is the number of references the writer itself holds
   on V (snapshots of lists, dicts and sets): an object referenced once
   by its container is never shared, as in CPython, which reads the
   containers without copying them. */
static int
w_ref(PyObject *v, Py_ssize_t extra, int *flag, WFILE *p)
{
    if (p->version < 3) {
        return 0;
    }
    if (Py_REFCNT(v) - extra <= 1
        && !(PyUnicode_CheckExact(v) && PyUnicode_CHECK_INTERNED(v))) {
        return 0;
    }
    if (p->refs_cap > 0) {
        wref *e = refs_slot(p, v);
        if (e->obj != NULL) {
            if (e->index > SIZE32_MAX) {
                return unmarshallable();
            }
            if (w_byte(TYPE_REF, p) < 0 || w_long((long)e->index, p) < 0) {
                return -1;
            }
            return 1;
        }
    }
    if (refs_grow(p) < 0) {
        return -1;
    }
    wref *e = refs_slot(p, v);
    e->obj = Py_NewRef(v);
    e->index = p->refs_used++;
    *flag |= FLAG_REF;
    return 0;
}

/* An int as 'i' when it fits 32 bits, else 'l' with 15-bit digits. */
static int
w_long_object(PyObject *v, int flag, WFILE *p)
{
    int overflow;
    long x = PyLong_AsLongAndOverflow(v, &overflow);
    if (x == -1 && PyErr_Occurred()) {
        return -1;
    }
    if (!overflow && x <= SIZE32_MAX && x >= -SIZE32_MAX - 1) {
        if (w_byte(TYPE_INT | flag, p) < 0) {
            return -1;
        }
        return w_long(x, p);
    }
    int sign = _PyLong_Sign(v);
    PyObject *a = PyNumber_Absolute(v);
    if (a == NULL) {
        return -1;
    }
    size_t nbits = _PyLong_NumBits(a);
    size_t nbytes = nbits / 8 + 1;
    unsigned char *bytes = PyMem_Malloc(nbytes);
    if (bytes == NULL) {
        Py_DECREF(a);
        PyErr_NoMemory();
        return -1;
    }
    int r = _PyLong_AsByteArray((PyLongObject *)a, bytes, nbytes, 1, 0);
    Py_DECREF(a);
    size_t ndigits = (nbits + PyLong_MARSHAL_SHIFT - 1) / PyLong_MARSHAL_SHIFT;
    if (r == 0 && ndigits > SIZE32_MAX) {
        r = unmarshallable();
    }
    if (r == 0) {
        r = w_byte(TYPE_LONG | flag, p);
    }
    if (r == 0) {
        r = w_long(sign < 0 ? -(long)ndigits : (long)ndigits, p);
    }
    for (size_t d = 0; r == 0 && d < ndigits; d++) {
        int digit = 0;
        for (int b = 0; b < PyLong_MARSHAL_SHIFT; b++) {
            size_t bit = d * PyLong_MARSHAL_SHIFT + (size_t)b;
            if (bit < nbytes * 8 && (bytes[bit / 8] >> (bit % 8)) & 1) {
                digit |= 1 << b;
            }
        }
        r = w_short(digit, p);
    }
    PyMem_Free(bytes);
    return r;
}

/* A double: 8 bytes IEEE little-endian (version >= 2) or repr text. */
static int
w_double(double x, WFILE *p)
{
    if (p->version > 1) {
        char b[8];
        if (PyFloat_Pack8(x, b, 1) < 0) {
            return -1;
        }
        return w_bytes(b, 8, p);
    }
    char *s = PyOS_double_to_string(x, 'g', 17, 0, NULL);
    if (s == NULL) {
        return -1;
    }
    int r = w_short_pstring(s, (Py_ssize_t)strlen(s), p);
    PyMem_Free(s);
    return r;
}

/* A float: 'g' (binary, version >= 2) or 'f' (text). */
static int
w_float_object(PyObject *v, int flag, WFILE *p)
{
    int code = p->version > 1 ? TYPE_BINARY_FLOAT : TYPE_FLOAT;
    if (w_byte(code | flag, p) < 0) {
        return -1;
    }
    return w_double(PyFloat_AS_DOUBLE(v), p);
}

/* A complex: 'y' (binary, version >= 2) or 'x' (text). */
static int
w_complex_object(PyObject *v, int flag, WFILE *p)
{
    int code = p->version > 1 ? TYPE_BINARY_COMPLEX : TYPE_COMPLEX;
    double re = PyComplex_RealAsDouble(v);
    double im = PyComplex_ImagAsDouble(v);
    if (w_byte(code | flag, p) < 0 || w_double(re, p) < 0) {
        return -1;
    }
    return w_double(im, p);
}

/* A str: short/long ASCII forms from version 4, else UTF-8
   ('t' when interned, version >= 3); lone surrogates survive. */
static int
w_unicode_object(PyObject *v, int flag, WFILE *p)
{
    int interned = PyUnicode_CHECK_INTERNED(v) != 0;
    if (p->version >= 4 && PyUnicode_IS_ASCII(v)) {
        Py_ssize_t n = PyUnicode_GET_LENGTH(v);
        const void *data = PyUnicode_DATA(v);
        if (n < 256) {
            int code = interned ? TYPE_SHORT_ASCII_INTERNED
                                : TYPE_SHORT_ASCII;
            if (w_byte(code | flag, p) < 0) {
                return -1;
            }
            return w_short_pstring(data, n, p);
        }
        int code = interned ? TYPE_ASCII_INTERNED : TYPE_ASCII;
        if (w_byte(code | flag, p) < 0) {
            return -1;
        }
        return w_pstring(data, n, p);
    }
    PyObject *utf8 = _PyUnicode_AsUTF8String(v, "surrogatepass");
    if (utf8 == NULL) {
        return -1;
    }
    int code = (p->version >= 3 && interned) ? TYPE_INTERNED : TYPE_UNICODE;
    int r = w_byte(code | flag, p);
    if (r == 0) {
        r = w_pstring(PyBytes_AS_STRING(utf8), PyBytes_GET_SIZE(utf8), p);
    }
    Py_DECREF(utf8);
    return r;
}

/* A tuple: ')' with a one-byte size below 256 (version 4), else '('. */
static int
w_tuple_object(PyObject *v, int flag, WFILE *p)
{
    Py_ssize_t n = PyTuple_GET_SIZE(v);
    int r;
    if (p->version >= 4 && n < 256) {
        r = w_byte(TYPE_SMALL_TUPLE | flag, p);
        if (r == 0) {
            r = w_byte((int)n, p);
        }
    }
    else {
        if (n > SIZE32_MAX) {
            return unmarshallable();
        }
        r = w_byte(TYPE_TUPLE | flag, p);
        if (r == 0) {
            r = w_long((long)n, p);
        }
    }
    for (Py_ssize_t i = 0; r == 0 && i < n; i++) {
        r = w_object(PyTuple_GET_ITEM(v, i), p);
    }
    return r;
}

/* A list is dumped from a snapshot tuple: another thread appending while
   we write cannot make the count disagree with the items. */
static int
w_list_object(PyObject *v, int flag, WFILE *p)
{
    PyObject *snap = PyList_AsTuple(v);
    if (snap == NULL) {
        return -1;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(snap);
    int r = n > SIZE32_MAX ? unmarshallable() : 0;
    if (r == 0) {
        r = w_byte(TYPE_LIST | flag, p);
    }
    if (r == 0) {
        r = w_long((long)n, p);
    }
    for (Py_ssize_t i = 0; r == 0 && i < n; i++) {
        r = w_object_extra(PyTuple_GET_ITEM(snap, i), 1, p);
    }
    Py_DECREF(snap);
    return r;
}

/* A dict: key/value pairs in iteration order, then '0'; items are
   read from a snapshot so another thread's mutation cannot tear a pair. */
static int
w_dict_object(PyObject *v, int flag, WFILE *p)
{
    PyObject *items = PyDict_Items(v);
    if (items == NULL) {
        return -1;
    }
    int r = w_byte(TYPE_DICT | flag, p);
    for (Py_ssize_t i = 0; r == 0 && i < PyList_GET_SIZE(items); i++) {
        PyObject *kv = PyList_GET_ITEM(items, i);
        r = w_object_extra(PyTuple_GET_ITEM(kv, 0), 1, p);
        if (r == 0) {
            r = w_object_extra(PyTuple_GET_ITEM(kv, 1), 1, p);
        }
    }
    Py_DECREF(items);
    if (r == 0) {
        r = w_byte(TYPE_NULL, p);
    }
    return r;
}

/* One set element with its sort key (its own marshalled bytes). */
typedef struct {
    PyObject *key;      /* bytes, owned */
    PyObject *item;     /* borrowed from the snapshot list */
} set_elem;

/* qsort order of set elements: their marshalled bytes. */
static int
set_elem_cmp(const void *a, const void *b)
{
    PyObject *x = ((const set_elem *)a)->key;
    PyObject *y = ((const set_elem *)b)->key;
    Py_ssize_t nx = PyBytes_GET_SIZE(x), ny = PyBytes_GET_SIZE(y);
    int c = memcmp(PyBytes_AS_STRING(x), PyBytes_AS_STRING(y),
                   (size_t)(nx < ny ? nx : ny));
    if (c != 0) {
        return c;
    }
    return nx < ny ? -1 : nx > ny;
}

/* Set and frozenset: the elements sorted by their marshalled form (each
   dumped alone), so the bytes do not depend on string hashing. */
static int
w_set_object(PyObject *v, int flag, WFILE *p)
{
    PyObject *items = PySequence_List(v);
    if (items == NULL) {
        return -1;
    }
    Py_ssize_t n = PyList_GET_SIZE(items);
    set_elem *elems = PyMem_Calloc((size_t)(n ? n : 1), sizeof(set_elem));
    int r = elems == NULL ? (PyErr_NoMemory(), -1) : 0;
    for (Py_ssize_t i = 0; r == 0 && i < n; i++) {
        WFILE kw;
        w_init(&kw, p->version);
        elems[i].item = PyList_GET_ITEM(items, i);
        r = w_object_extra(elems[i].item, 1, &kw);
        if (r == 0) {
            elems[i].key = PyBytes_FromStringAndSize(kw.buf ? kw.buf : "",
                                                     kw.len);
            r = elems[i].key == NULL ? -1 : 0;
        }
        w_clear(&kw);
    }
    if (r == 0) {
        qsort(elems, (size_t)n, sizeof(set_elem), set_elem_cmp);
        r = n > SIZE32_MAX ? unmarshallable() : 0;
    }
    if (r == 0) {
        int code = PyFrozenSet_CheckExact(v) ? TYPE_FROZENSET : TYPE_SET;
        r = w_byte(code | flag, p);
    }
    if (r == 0) {
        r = w_long((long)n, p);
    }
    for (Py_ssize_t i = 0; r == 0 && i < n; i++) {
        r = w_object_extra(elems[i].item, 1, p);
    }
    for (Py_ssize_t i = 0; elems != NULL && i < n; i++) {
        Py_XDECREF(elems[i].key);
    }
    PyMem_Free(elems);
    Py_DECREF(items);
    return r;
}

/* A code object in Plait's layout (see the top of the file). */
static int
w_code_object(PyObject *v, int flag, WFILE *p)
{
    PyCodeObject *co = (PyCodeObject *)v;
    int ints[] = {
        co->co_argcount, co->co_posonlyargcount, co->co_kwonlyargcount,
        co->co_stacksize, co->co_flags, co->co_firstlineno,
        co->co_nlocalsplus, co->co_nlocals, co->co_ncellvars,
        co->co_nfreevars,
    };
    if (w_byte(TYPE_CODE | flag, p) < 0) {
        return -1;
    }
    for (size_t i = 0; i < Py_ARRAY_LENGTH(ints); i++) {
        if (w_long(ints[i], p) < 0) {
            return -1;
        }
    }
    Py_ssize_t nunits = Py_SIZE(co);
    if (nunits > SIZE32_MAX / 2) {
        return unmarshallable();
    }
    if (w_byte(TYPE_STRING, p) < 0 || w_long((long)(nunits * 2), p) < 0) {
        return -1;
    }
    for (Py_ssize_t i = 0; i < nunits; i++) {
        if (w_short(_PyCode_CODE(co)[i], p) < 0) {
            return -1;
        }
    }
    PyObject *objs[] = {
        co->co_consts, co->co_names, co->co_localsplusnames,
        co->co_localspluskinds, co->co_filename, co->co_name,
        co->co_qualname, co->co_linetable, co->co_exceptiontable,
    };
    for (size_t i = 0; i < Py_ARRAY_LENGTH(objs); i++) {
        if (w_object(objs[i], p) < 0) {
            return -1;
        }
    }
    return 0;
}

/* Any other buffer exporter is written as bytes ('s'). */
static int
w_buffer_object(PyObject *v, int flag, WFILE *p)
{
    Py_buffer view;
    if (PyObject_GetBuffer(v, &view, PyBUF_SIMPLE) < 0) {
        PyErr_Clear();
        return unmarshallable();
    }
    int r = w_byte(TYPE_STRING | flag, p);
    if (r == 0) {
        r = w_pstring(view.buf, view.len, p);
    }
    PyBuffer_Release(&view);
    return r;
}

/* Everything but the singletons: the reference step, then the type. */
static int
w_complex(PyObject *v, Py_ssize_t extra, WFILE *p)
{
    int flag = 0;
    int r = w_ref(v, extra, &flag, p);
    if (r != 0) {
        return r < 0 ? -1 : 0;
    }
    if (PyLong_CheckExact(v)) {
        return w_long_object(v, flag, p);
    }
    if (PyFloat_CheckExact(v)) {
        return w_float_object(v, flag, p);
    }
    if (complex_exists() && Py_IS_TYPE(v, &PyComplex_Type)) {
        return w_complex_object(v, flag, p);
    }
    if (PyBytes_CheckExact(v)) {
        if (w_byte(TYPE_STRING | flag, p) < 0) {
            return -1;
        }
        return w_pstring(PyBytes_AS_STRING(v), PyBytes_GET_SIZE(v), p);
    }
    if (PyUnicode_CheckExact(v)) {
        return w_unicode_object(v, flag, p);
    }
    if (PyTuple_CheckExact(v)) {
        return w_tuple_object(v, flag, p);
    }
    if (PyList_CheckExact(v)) {
        return w_list_object(v, flag, p);
    }
    if (PyDict_CheckExact(v)) {
        return w_dict_object(v, flag, p);
    }
    if (PyAnySet_CheckExact(v)) {
        return w_set_object(v, flag, p);
    }
    if (PyCode_Check(v)) {
        return w_code_object(v, flag, p);
    }
    if (PyObject_CheckBuffer(v)) {
        return w_buffer_object(v, flag, p);
    }
    return unmarshallable();
}

/* Writes V (NULL gives TYPE_NULL) with no references of ours on it. */
static int
w_object(PyObject *v, WFILE *p)
{
    return w_object_extra(v, 0, p);
}

/* Writes V; the writer holds EXTRA references to it (see w_ref). */
static int
w_object_extra(PyObject *v, Py_ssize_t extra, WFILE *p)
{
    if (++p->depth > MAX_MARSHAL_STACK_DEPTH) {
        p->depth--;
        PyErr_SetString(PyExc_ValueError,
                        "object too deeply nested to marshal");
        return -1;
    }
    int r;
    if (v == NULL) {
        r = w_byte(TYPE_NULL, p);
    }
    else if (v == Py_None) {
        r = w_byte(TYPE_NONE, p);
    }
    else if (v == PyExc_StopIteration) {
        r = w_byte(TYPE_STOPITER, p);
    }
    else if (v == Py_Ellipsis) {
        r = w_byte(TYPE_ELLIPSIS, p);
    }
    else if (v == Py_False) {
        r = w_byte(TYPE_FALSE, p);
    }
    else if (v == Py_True) {
        r = w_byte(TYPE_TRUE, p);
    }
    else {
        r = w_complex(v, extra, p);
    }
    p->depth--;
    return r;
}

/* New reference: the bytes of OBJ in format VERSION. */
PyObject *
PyMarshal_WriteObjectToString(PyObject *obj, int version)
{
    WFILE w;
    w_init(&w, version);
    PyObject *res = NULL;
    if (w_object(obj, &w) == 0) {
        res = PyBytes_FromStringAndSize(w.buf ? w.buf : "", w.len);
    }
    w_clear(&w);
    return res;
}

/* The low 32 bits of VALUE, little-endian, as marshal writes them. */
void
PyMarshal_WriteLongToFile(long value, FILE *fp, int version)
{
    unsigned char b[4];
    uint32_t u = (uint32_t)value;
    for (int i = 0; i < 4; i++) {
        b[i] = (unsigned char)(u >> (8 * i));
    }
    if (fwrite(b, 1, 4, fp) != 4) {
        PyErr_SetFromErrno(PyExc_OSError);
    }
}

/* OBJ marshalled onto FP; errors are left pending. */
void
PyMarshal_WriteObjectToFile(PyObject *obj, FILE *fp, int version)
{
    PyObject *s = PyMarshal_WriteObjectToString(obj, version);
    if (s == NULL) {
        return;
    }
    size_t n = (size_t)PyBytes_GET_SIZE(s);
    if (fwrite(PyBytes_AS_STRING(s), 1, n, fp) != n) {
        PyErr_SetFromErrno(PyExc_OSError);
    }
    Py_DECREF(s);
}

/* ================================================================ reader */

/* Where the bytes come from: memory, a C FILE, or a Python object with
   read(). */
typedef struct {
    const unsigned char *ptr;   /* memory: next byte */
    const unsigned char *end;
    FILE *fp;
    PyObject *readable;         /* borrowed */
    unsigned char *buf;         /* PyMem, for FILE / readable chunks */
    Py_ssize_t buf_cap;
    PyObject *refs;             /* list; None marks a reserved slot */
    int depth;
} RFILE;

static PyObject *r_object(RFILE *p);

/* Premature end of data: the wording depends on the source, as in
   CPython (memory vs. file). */
static void
r_eof(RFILE *p)
{
    if (p->fp == NULL && p->readable == NULL) {
        PyErr_SetString(PyExc_EOFError, "marshal data too short");
    }
    else {
        PyErr_SetString(PyExc_EOFError, "EOF read where not expected");
    }
}

/* Makes p->buf hold at least N bytes. */
static int
r_buf_reserve(Py_ssize_t n, RFILE *p)
{
    if (n <= p->buf_cap) {
        return 0;
    }
    unsigned char *nb = PyMem_Realloc(p->buf, (size_t)n);
    if (nb == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    p->buf = nb;
    p->buf_cap = n;
    return 0;
}

/* N bytes from a Python file object's read(): the buffer is sized after
   the data arrived, so a hostile size cannot make us allocate it. */
static const unsigned char *
r_string_readable(Py_ssize_t n, RFILE *p)
{
    PyObject *data = PyObject_CallMethod(p->readable, "read", "n", n);
    if (data == NULL) {
        return NULL;
    }
    if (!PyBytes_Check(data)) {
        PyErr_Format(PyExc_TypeError,
                     "file.read() returned not bytes but %.100s",
                     Py_TYPE(data)->tp_name);
        Py_DECREF(data);
        return NULL;
    }
    if (PyBytes_GET_SIZE(data) != n) {
        Py_DECREF(data);
        r_eof(p);
        return NULL;
    }
    if (r_buf_reserve(n, p) < 0) {
        Py_DECREF(data);
        return NULL;
    }
    memcpy(p->buf, PyBytes_AS_STRING(data), (size_t)n);
    Py_DECREF(data);
    return p->buf;
}

/* N bytes from a C FILE, read in chunks so that the buffer only grows
   with data actually present. */
static const unsigned char *
r_string_file(Py_ssize_t n, RFILE *p)
{
    Py_ssize_t have = 0;
    while (have < n) {
        Py_ssize_t chunk = n - have < 65536 ? n - have : 65536;
        if (r_buf_reserve(have + chunk, p) < 0) {
            return NULL;
        }
        size_t got = fread(p->buf + have, 1, (size_t)chunk, p->fp);
        have += (Py_ssize_t)got;
        if ((Py_ssize_t)got != chunk) {
            r_eof(p);
            return NULL;
        }
    }
    return p->buf;
}

/* Pointer to the next N bytes (valid until the next read); NULL with
   EOFError when the data ends first. */
static const unsigned char *
r_string(Py_ssize_t n, RFILE *p)
{
    if (p->readable != NULL) {
        return r_string_readable(n, p);
    }
    if (p->fp != NULL) {
        return r_string_file(n, p);
    }
    if (n > p->end - p->ptr) {
        r_eof(p);
        return NULL;
    }
    const unsigned char *s = p->ptr;
    p->ptr += n;
    return s;
}

/* The next byte, or -1 at end of data (no exception). */
static int
r_byte(RFILE *p)
{
    if (p->fp == NULL && p->readable == NULL) {
        return p->ptr < p->end ? *p->ptr++ : -1;
    }
    if (p->fp != NULL) {
        return getc(p->fp);
    }
    PyObject *data = PyObject_CallMethod(p->readable, "read", "i", 1);
    if (data == NULL) {
        return -2;
    }
    int c = -1;
    if (PyBytes_Check(data) && PyBytes_GET_SIZE(data) == 1) {
        c = (unsigned char)PyBytes_AS_STRING(data)[0];
    }
    else if (!PyBytes_Check(data)) {
        PyErr_Format(PyExc_TypeError,
                     "file.read() returned not bytes but %.100s",
                     Py_TYPE(data)->tp_name);
        c = -2;
    }
    Py_DECREF(data);
    return c;
}

/* A signed 32-bit little-endian value; -1 with an exception on EOF (the
   caller checks PyErr_Occurred). */
static long
r_long(RFILE *p)
{
    const unsigned char *s = r_string(4, p);
    if (s == NULL) {
        return -1;
    }
    uint32_t u = (uint32_t)s[0] | ((uint32_t)s[1] << 8)
                 | ((uint32_t)s[2] << 16) | ((uint32_t)s[3] << 24);
    return (long)(int32_t)u;
}

/* A signed 16-bit little-endian value; -1 with an exception on EOF. */
static int
r_short(RFILE *p)
{
    const unsigned char *s = r_string(2, p);
    if (s == NULL) {
        return -1;
    }
    return (int)(int16_t)(uint16_t)(s[0] | (s[1] << 8));
}

/* ValueError "bad marshal data (WHAT)"; returns NULL. */
static PyObject *
bad_data(const char *what)
{
    PyErr_Format(PyExc_ValueError, "bad marshal data (%s)", what);
    return NULL;
}

/* A size field: 0 <= n <= SIZE32_MAX, else "bad marshal data (WHAT)". */
static Py_ssize_t
r_size(RFILE *p, const char *what)
{
    long n = r_long(p);
    if (n == -1 && PyErr_Occurred()) {
        return -1;
    }
    if (n < 0 || n > SIZE32_MAX) {
        bad_data(what);
        return -1;
    }
    return (Py_ssize_t)n;
}

/* Registers V (borrowed) when FLAG is set; returns V or NULL. */
static PyObject *
r_ref(PyObject *v, int flag, RFILE *p)
{
    if (v != NULL && flag && PyList_Append(p->refs, v) < 0) {
        Py_DECREF(v);
        return NULL;
    }
    return v;
}

/* Reserves a slot for an object built after its contents; its index, -1
   when FLAG is not set, -2 on error. */
static Py_ssize_t
r_ref_reserve(int flag, RFILE *p)
{
    if (!flag) {
        return -1;
    }
    Py_ssize_t idx = PyList_GET_SIZE(p->refs);
    if (PyList_Append(p->refs, Py_None) < 0) {
        return -2;
    }
    return idx;
}

/* Fills a reserved slot with V (borrowed); returns V or NULL. */
static PyObject *
r_ref_insert(PyObject *v, Py_ssize_t idx, RFILE *p)
{
    if (v != NULL && idx >= 0
        && PyList_SetItem(p->refs, idx, Py_NewRef(v)) < 0) {
        Py_DECREF(v);
        return NULL;
    }
    return v;
}

/* New reference: an item of a container; a NULL item is an error. */
static PyObject *
r_item(RFILE *p, const char *container)
{
    PyObject *v = r_object(p);
    if (v == NULL && !PyErr_Occurred()) {
        PyErr_Format(PyExc_TypeError, "NULL object in marshal data for %s",
                     container);
    }
    return v;
}

/* 'I': a signed 64-bit little-endian int, which old versions wrote. */
static PyObject *
r_int64_object(int flag, RFILE *p)
{
    const unsigned char *s = r_string(8, p);
    if (s == NULL) {
        return NULL;
    }
    uint64_t u = 0;
    for (int i = 7; i >= 0; i--) {
        u = (u << 8) | s[i];
    }
    return r_ref(PyLong_FromLongLong((long long)(int64_t)u), flag, p);
}

/* Whether N items can possibly follow: in memory each needs a byte.
   Bounds the up-front allocation of a tuple for hostile sizes. */
static int
r_plausible_count(Py_ssize_t n, RFILE *p)
{
    if (p->fp == NULL && p->readable == NULL) {
        return n <= p->end - p->ptr;
    }
    return n <= (1 << 16);
}

/* Sets bit BIT of the little-endian buffer *BYTES (of *CAP bytes, grown
   by doubling as digits arrive, so a hostile digit count allocates only
   for the data really present).  0 or -1 with MemoryError. */
static int
set_bit(unsigned char **bytes, size_t *cap, size_t bit)
{
    if (bit / 8 >= *cap) {
        size_t ncap = *cap * 2 > bit / 8 + 1 ? *cap * 2 : bit / 8 + 1;
        unsigned char *nb = PyMem_Realloc(*bytes, ncap);
        if (nb == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        memset(nb + *cap, 0, ncap - *cap);
        *bytes = nb;
        *cap = ncap;
    }
    (*bytes)[bit / 8] |= (unsigned char)(1 << (bit % 8));
    return 0;
}

/* 'l': a signed count of 15-bit digits, least significant first. */
static PyObject *
r_long_object(int flag, RFILE *p)
{
    long n = r_long(p);
    if (n == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (n < -SIZE32_MAX || n > SIZE32_MAX) {
        return bad_data("long size out of range");
    }
    size_t nd = (size_t)(n < 0 ? -n : n);
    size_t cap = 16;
    unsigned char *bytes = PyMem_Calloc(cap, 1);
    if (bytes == NULL) {
        return PyErr_NoMemory();
    }
    PyObject *v = NULL;
    for (size_t d = 0; d < nd; d++) {
        int digit = r_short(p);
        if (digit == -1 && PyErr_Occurred()) {
            goto done;
        }
        if (digit < 0 || digit >= PyLong_MARSHAL_BASE) {
            bad_data("digit out of range in long");
            goto done;
        }
        if (digit == 0 && d == nd - 1) {
            bad_data("unnormalized long data");
            goto done;
        }
        for (int b = 0; b < PyLong_MARSHAL_SHIFT; b++) {
            if ((digit & (1 << b))
                && set_bit(&bytes, &cap,
                           d * PyLong_MARSHAL_SHIFT + (size_t)b) < 0) {
                goto done;
            }
        }
    }
    v = _PyLong_FromByteArray(bytes, cap, 1, 0);
    if (v != NULL && n < 0) {
        Py_SETREF(v, PyNumber_Negative(v));
    }
done:
    PyMem_Free(bytes);
    return r_ref(v, flag, p);
}

/* A double stored as text (versions 0 and 1). */
static int
r_text_double(RFILE *p, double *out)
{
    int n = r_byte(p);
    if (n < 0) {
        if (n == -1) {
            r_eof(p);
        }
        return -1;
    }
    const unsigned char *s = r_string(n, p);
    if (s == NULL) {
        return -1;
    }
    char buf[256];
    memcpy(buf, s, (size_t)n);
    buf[n] = '\0';
    *out = PyOS_string_to_double(buf, NULL, NULL);
    return (*out == -1.0 && PyErr_Occurred()) ? -1 : 0;
}

/* A double stored as 8 IEEE bytes (version >= 2). */
static int
r_binary_double(RFILE *p, double *out)
{
    const unsigned char *s = r_string(8, p);
    if (s == NULL) {
        return -1;
    }
    *out = PyFloat_Unpack8((const char *)s, 1);
    return (*out == -1.0 && PyErr_Occurred()) ? -1 : 0;
}

/* 'f' / 'g'. */
static PyObject *
r_float_object(int type, int flag, RFILE *p)
{
    double x;
    int r = type == TYPE_FLOAT ? r_text_double(p, &x)
                               : r_binary_double(p, &x);
    if (r < 0) {
        return NULL;
    }
    return r_ref(PyFloat_FromDouble(x), flag, p);
}

/* 'x' / 'y'. */
static PyObject *
r_complex_object(int type, int flag, RFILE *p)
{
    double re, im;
    int r = type == TYPE_COMPLEX ? r_text_double(p, &re)
                                 : r_binary_double(p, &re);
    if (r == 0) {
        r = type == TYPE_COMPLEX ? r_text_double(p, &im)
                                 : r_binary_double(p, &im);
    }
    if (r < 0) {
        return NULL;
    }
    if (!complex_exists()) {
        PyErr_SetString(PyExc_ValueError,
                        "bad marshal data (complex is not available)");
        return NULL;
    }
    return r_ref(PyComplex_FromDoubles(re, im), flag, p);
}

/* 's': int32 size and the bytes. */
static PyObject *
r_bytes_object(int flag, RFILE *p)
{
    Py_ssize_t n = r_size(p, "bytes object size out of range");
    if (n < 0) {
        return NULL;
    }
    const unsigned char *s = r_string(n, p);
    if (s == NULL) {
        return NULL;
    }
    return r_ref(PyBytes_FromStringAndSize((const char *)s, n), flag, p);
}

/* str types: 'u'/'t' (UTF-8), 'a'/'A' (ASCII, int32 size), 'z'/'Z'
   (ASCII, one-byte size); the interned ones are interned again. */
static PyObject *
r_unicode_object(int type, int flag, RFILE *p)
{
    Py_ssize_t n;
    if (type == TYPE_SHORT_ASCII || type == TYPE_SHORT_ASCII_INTERNED) {
        int c = r_byte(p);
        if (c < 0) {
            if (c == -1) {
                r_eof(p);
            }
            return NULL;
        }
        n = c;
    }
    else {
        n = r_size(p, "string size out of range");
        if (n < 0) {
            return NULL;
        }
    }
    const unsigned char *s = r_string(n, p);
    if (s == NULL) {
        return NULL;
    }
    PyObject *v;
    if (type == TYPE_UNICODE || type == TYPE_INTERNED) {
        v = PyUnicode_DecodeUTF8((const char *)s, n, "surrogatepass");
    }
    else {
        v = PyUnicode_DecodeLatin1((const char *)s, n, NULL);
    }
    if (v != NULL && (type == TYPE_INTERNED || type == TYPE_ASCII_INTERNED
                      || type == TYPE_SHORT_ASCII_INTERNED)) {
        PyUnicode_InternInPlace(&v);
    }
    return r_ref(v, flag, p);
}

/* '(' (int32 size) and ')' (one-byte size); registered before its
   items like CPython, so a reference to it from inside works. */
static PyObject *
r_tuple_object(int type, int flag, RFILE *p)
{
    Py_ssize_t n;
    if (type == TYPE_SMALL_TUPLE) {
        int c = r_byte(p);
        if (c < 0) {
            if (c == -1) {
                r_eof(p);
            }
            return NULL;
        }
        n = c;
    }
    else {
        n = r_size(p, "tuple size out of range");
        if (n < 0) {
            return NULL;
        }
    }
    if (!r_plausible_count(n, p)) {
        /* Read into a list first; the tuple's reference is reserved. */
        Py_ssize_t idx = r_ref_reserve(flag, p);
        PyObject *list = idx == -2 ? NULL : PyList_New(0);
        for (Py_ssize_t i = 0; list != NULL && i < n; i++) {
            PyObject *item = r_item(p, "tuple");
            if (item == NULL || PyList_Append(list, item) < 0) {
                Py_XDECREF(item);
                Py_CLEAR(list);
                break;
            }
            Py_DECREF(item);
        }
        PyObject *t = list != NULL ? PyList_AsTuple(list) : NULL;
        Py_XDECREF(list);
        return r_ref_insert(t, idx, p);
    }
    PyObject *t = r_ref(PyTuple_New(n), flag, p);
    for (Py_ssize_t i = 0; t != NULL && i < n; i++) {
        PyObject *item = r_item(p, "tuple");
        if (item == NULL) {
            Py_CLEAR(t);
            break;
        }
        PyTuple_SET_ITEM(t, i, item);
    }
    return t;
}

/* '[': registered first, then filled (self-references work). */
static PyObject *
r_list_object(int flag, RFILE *p)
{
    Py_ssize_t n = r_size(p, "list size out of range");
    if (n < 0) {
        return NULL;
    }
    PyObject *list = r_ref(PyList_New(0), flag, p);
    for (Py_ssize_t i = 0; list != NULL && i < n; i++) {
        PyObject *item = r_item(p, "list");
        if (item == NULL || PyList_Append(list, item) < 0) {
            Py_XDECREF(item);
            Py_CLEAR(list);
            break;
        }
        Py_DECREF(item);
    }
    return list;
}

/* Key/value pairs up to a NULL key (a NULL value also ends it). */
static PyObject *
r_dict_object(int flag, RFILE *p)
{
    PyObject *d = r_ref(PyDict_New(), flag, p);
    while (d != NULL) {
        PyObject *key = r_object(p);
        if (key == NULL) {
            break;
        }
        PyObject *val = r_object(p);
        if (val == NULL) {
            Py_DECREF(key);
            break;
        }
        int r = PyDict_SetItem(d, key, val);
        Py_DECREF(key);
        Py_DECREF(val);
        if (r < 0) {
            Py_CLEAR(d);
        }
    }
    if (d != NULL && PyErr_Occurred()) {
        Py_CLEAR(d);
    }
    return d;
}

/* A set is registered before its items (as CPython does); a frozenset
   only once complete (references to it from inside are invalid). */
static PyObject *
r_set_object(int type, int flag, RFILE *p)
{
    Py_ssize_t n = r_size(p, "set size out of range");
    if (n < 0) {
        return NULL;
    }
    if (type == TYPE_SET) {
        PyObject *s = r_ref(PySet_New(NULL), flag, p);
        for (Py_ssize_t i = 0; s != NULL && i < n; i++) {
            PyObject *item = r_item(p, "set");
            if (item == NULL || PySet_Add(s, item) < 0) {
                Py_XDECREF(item);
                Py_CLEAR(s);
                break;
            }
            Py_DECREF(item);
        }
        return s;
    }
    Py_ssize_t idx = r_ref_reserve(flag, p);
    PyObject *list = idx == -2 ? NULL : PyList_New(0);
    for (Py_ssize_t i = 0; list != NULL && i < n; i++) {
        PyObject *item = r_item(p, "set");
        if (item == NULL || PyList_Append(list, item) < 0) {
            Py_XDECREF(item);
            Py_CLEAR(list);
            break;
        }
        Py_DECREF(item);
    }
    PyObject *fs = list != NULL ? PyFrozenSet_New(list) : NULL;
    Py_XDECREF(list);
    return r_ref_insert(fs, idx, p);
}

/* 'r': an earlier object by index; a reserved (unfinished) slot is
   an invalid reference. */
static PyObject *
r_ref_object(RFILE *p)
{
    long n = r_long(p);
    if (n == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (n < 0 || n >= PyList_GET_SIZE(p->refs)) {
        return bad_data("invalid reference");
    }
    PyObject *v = PyList_GET_ITEM(p->refs, n);
    if (v == Py_None) {
        return bad_data("invalid reference");
    }
    return Py_NewRef(v);
}

/* ------------------------------------------------------------ code */

/* The object fields of a code object as read, all new references. */
typedef struct {
    PyObject *code, *consts, *names, *lpnames, *lpkinds;
    PyObject *filename, *name, *qualname, *linetable, *exctable;
} code_fields;

/* Drops every field read so far. */
static void
code_fields_clear(code_fields *f)
{
    PyObject **all = (PyObject **)f;
    for (size_t i = 0; i < sizeof(*f) / sizeof(PyObject *); i++) {
        Py_CLEAR(all[i]);
    }
}

/* Whether T is a tuple of str (names of a code object). */
static int
is_str_tuple(PyObject *t)
{
    if (!PyTuple_CheckExact(t)) {
        return 0;
    }
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(t); i++) {
        if (!PyUnicode_CheckExact(PyTuple_GET_ITEM(t, i))) {
            return 0;
        }
    }
    return 1;
}

/* Whether the fields of a code object are consistent enough for the
   runtime to use them without reading out of bounds. */
static int
code_fields_valid(const int *ints, const code_fields *f)
{
    int nlocalsplus = ints[6];
    for (int i = 0; i < 10; i++) {
        if (i != 4 && i != 5 && ints[i] < 0) {
            return 0;
        }
    }
    return PyBytes_CheckExact(f->code) && PyBytes_GET_SIZE(f->code) > 0
           && PyBytes_GET_SIZE(f->code) % 2 == 0
           && PyTuple_CheckExact(f->consts) && is_str_tuple(f->names)
           && is_str_tuple(f->lpnames) && PyBytes_CheckExact(f->lpkinds)
           && PyTuple_GET_SIZE(f->lpnames) == nlocalsplus
           && PyBytes_GET_SIZE(f->lpkinds) == nlocalsplus
           && PyUnicode_CheckExact(f->filename)
           && PyUnicode_CheckExact(f->name)
           && PyUnicode_CheckExact(f->qualname)
           && PyBytes_CheckExact(f->linetable)
           && PyBytes_CheckExact(f->exctable)
           && ints[0] + ints[2] <= nlocalsplus && ints[1] <= ints[0]
           && ints[7] <= nlocalsplus && ints[8] + ints[9] <= nlocalsplus
           && ints[3] < (1 << 24);
}

/* New reference: a code object from validated fields (the way
   Objects/codeobject.c builds one: object fields zeroed, then set, then
   the derived sizes and deferred/GC state). */
static PyObject *
code_from_fields(const int *ints, code_fields *f)
{
    Py_ssize_t nunits = PyBytes_GET_SIZE(f->code) / 2;
    PyCodeObject *co = (PyCodeObject *)_PyObject_GC_NewVar(&PyCode_Type,
                                                          nunits);
    if (co == NULL) {
        return NULL;
    }
    memset(&co->co_consts, 0, offsetof(PyCodeObject, co_code_adaptive)
                              - offsetof(PyCodeObject, co_consts));
    co->co_argcount = ints[0];
    co->co_posonlyargcount = ints[1];
    co->co_kwonlyargcount = ints[2];
    co->co_stacksize = ints[3];
    co->co_flags = ints[4];
    co->co_firstlineno = ints[5];
    co->co_nlocalsplus = ints[6];
    co->co_nlocals = ints[7];
    co->co_ncellvars = ints[8];
    co->co_nfreevars = ints[9];
    const unsigned char *s = (const unsigned char *)PyBytes_AS_STRING(f->code);
    for (Py_ssize_t i = 0; i < nunits; i++) {
        co->co_code_adaptive[i] = (_PyCodeUnitWord)(s[2 * i]
                                                    | (s[2 * i + 1] << 8));
    }
    co->co_consts = Py_NewRef(f->consts);
    co->co_names = Py_NewRef(f->names);
    co->co_exceptiontable = Py_NewRef(f->exctable);
    co->co_localsplusnames = Py_NewRef(f->lpnames);
    co->co_localspluskinds = Py_NewRef(f->lpkinds);
    co->co_filename = Py_NewRef(f->filename);
    co->co_name = Py_NewRef(f->name);
    co->co_qualname = Py_NewRef(f->qualname);
    co->co_linetable = Py_NewRef(f->linetable);
    PyUnicode_InternInPlace(&co->co_filename);
    co->co_framesize = _PyFrame_SPECIALS_SIZE + co->co_nlocalsplus
                       + co->co_stacksize;
    co->co_nargs_total = co->co_argcount + co->co_kwonlyargcount
                         + ((co->co_flags & CO_VARARGS) != 0)
                         + ((co->co_flags & CO_VARKEYWORDS) != 0);
    _PyObject_SetDeferredRefcount((PyObject *)co);
    PyObject_GC_Track(co);
    return (PyObject *)co;
}

/* Interns the str items of name tuple T in place (the tuple is fresh from
   this stream): the runtime compares names by identity. */
static void
intern_names(PyObject *t)
{
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(t); i++) {
        PyObject *s = PyTuple_GET_ITEM(t, i);
        if (!PyUnicode_CHECK_INTERNED(s)) {
            Py_INCREF(s);
            PyUnicode_InternInPlace(&s);
            PyObject *old = PyTuple_GET_ITEM(t, i);
            PyTuple_SET_ITEM(t, i, s);
            Py_DECREF(old);
        }
    }
}

/* 'c': Plait's code layout (see the top of the file). */
static PyObject *
r_code_object(int flag, RFILE *p)
{
    Py_ssize_t idx = r_ref_reserve(flag, p);
    if (idx == -2) {
        return NULL;
    }
    int ints[10];
    for (int i = 0; i < 10; i++) {
        long v = r_long(p);
        if (v == -1 && PyErr_Occurred()) {
            return NULL;
        }
        ints[i] = (int)v;
    }
    code_fields f;
    memset(&f, 0, sizeof(f));
    PyObject **all = (PyObject **)&f;
    for (size_t i = 0; i < sizeof(f) / sizeof(PyObject *); i++) {
        all[i] = r_item(p, "code object");
        if (all[i] == NULL) {
            code_fields_clear(&f);
            return NULL;
        }
    }
    PyObject *co = NULL;
    if (!code_fields_valid(ints, &f)) {
        bad_data("invalid code object");
    }
    else {
        intern_names(f.names);
        intern_names(f.lpnames);
        co = code_from_fields(ints, &f);
    }
    code_fields_clear(&f);
    return r_ref_insert(co, idx, p);
}

/* ------------------------------------------------------------ dispatch */

/* New reference, or NULL: with an exception on error, without one for a
   TYPE_NULL marker (the end of a dict). */
static PyObject *
r_object_dispatch(int code, RFILE *p)
{
    int flag = code & FLAG_REF;
    int type = code & ~FLAG_REF;
    switch (type) {
    case TYPE_NULL:
        return NULL;
    case TYPE_NONE:
        return Py_NewRef(Py_None);
    case TYPE_STOPITER:
        return Py_NewRef(PyExc_StopIteration);
    case TYPE_ELLIPSIS:
        return Py_NewRef(Py_Ellipsis);
    case TYPE_FALSE:
        return Py_NewRef(Py_False);
    case TYPE_TRUE:
        return Py_NewRef(Py_True);
    case TYPE_INT: {
        long x = r_long(p);
        if (x == -1 && PyErr_Occurred()) {
            return NULL;
        }
        return r_ref(PyLong_FromLong(x), flag, p);
    }
    case TYPE_INT64:
        return r_int64_object(flag, p);
    case TYPE_LONG:
        return r_long_object(flag, p);
    case TYPE_FLOAT:
    case TYPE_BINARY_FLOAT:
        return r_float_object(type, flag, p);
    case TYPE_COMPLEX:
    case TYPE_BINARY_COMPLEX:
        return r_complex_object(type, flag, p);
    case TYPE_STRING:
        return r_bytes_object(flag, p);
    case TYPE_UNICODE:
    case TYPE_INTERNED:
    case TYPE_ASCII:
    case TYPE_ASCII_INTERNED:
    case TYPE_SHORT_ASCII:
    case TYPE_SHORT_ASCII_INTERNED:
        return r_unicode_object(type, flag, p);
    case TYPE_TUPLE:
    case TYPE_SMALL_TUPLE:
        return r_tuple_object(type, flag, p);
    case TYPE_LIST:
        return r_list_object(flag, p);
    case TYPE_DICT:
        return r_dict_object(flag, p);
    case TYPE_SET:
    case TYPE_FROZENSET:
        return r_set_object(type, flag, p);
    case TYPE_REF:
        return r_ref_object(p);
    case TYPE_CODE:
        return r_code_object(flag, p);
    default:
        return bad_data("unknown type code");
    }
}

/* New reference: the next object; NULL without an exception for a
   TYPE_NULL marker.  Bounds the nesting depth. */
static PyObject *
r_object(RFILE *p)
{
    int code = r_byte(p);
    if (code < 0) {
        if (code == -1) {
            PyErr_SetString(PyExc_EOFError, "EOF read where object expected");
        }
        return NULL;
    }
    if (++p->depth > MAX_MARSHAL_STACK_DEPTH) {
        p->depth--;
        PyErr_SetString(PyExc_ValueError, "recursion limit exceeded");
        return NULL;
    }
    PyObject *v = r_object_dispatch(code, p);
    p->depth--;
    return v;
}

/* New reference: one top-level object from P. */
static PyObject *
read_object(RFILE *p)
{
    p->refs = PyList_New(0);
    if (p->refs == NULL) {
        return NULL;
    }
    PyObject *v = r_object(p);
    if (v == NULL && !PyErr_Occurred()) {
        PyErr_SetString(PyExc_TypeError,
                        "NULL object in marshal data for object");
    }
    Py_CLEAR(p->refs);
    PyMem_Free(p->buf);
    p->buf = NULL;
    return v;
}

/* New reference: one object from DATA[0:LEN] (extra bytes ignored). */
PyObject *
PyMarshal_ReadObjectFromString(const char *data, Py_ssize_t len)
{
    RFILE rf;
    memset(&rf, 0, sizeof(rf));
    rf.ptr = (const unsigned char *)data;
    rf.end = rf.ptr + len;
    return read_object(&rf);
}

/* A signed 32-bit value from FP. */
long
PyMarshal_ReadLongFromFile(FILE *fp)
{
    RFILE rf;
    memset(&rf, 0, sizeof(rf));
    rf.fp = fp;
    long v = r_long(&rf);
    PyMem_Free(rf.buf);
    return v;
}

/* A signed 16-bit value from FP. */
int
PyMarshal_ReadShortFromFile(FILE *fp)
{
    RFILE rf;
    memset(&rf, 0, sizeof(rf));
    rf.fp = fp;
    int v = r_short(&rf);
    PyMem_Free(rf.buf);
    return v;
}

/* New reference: one object from FP, reading only its bytes. */
PyObject *
PyMarshal_ReadObjectFromFile(FILE *fp)
{
    RFILE rf;
    memset(&rf, 0, sizeof(rf));
    rf.fp = fp;
    return read_object(&rf);
}

/* New reference: the object in the rest of FP, read into memory
   first (faster than byte-wise reads; nothing follows it). */
PyObject *
PyMarshal_ReadLastObjectFromFile(FILE *fp)
{
    size_t cap = 8192, len = 0;
    char *buf = PyMem_Malloc(cap);
    while (buf != NULL) {
        len += fread(buf + len, 1, cap - len, fp);
        if (len < cap) {
            break;
        }
        cap *= 2;
        char *nb = PyMem_Realloc(buf, cap);
        if (nb == NULL) {
            PyMem_Free(buf);
        }
        buf = nb;
    }
    if (buf == NULL) {
        return PyErr_NoMemory();
    }
    PyObject *v = PyMarshal_ReadObjectFromString(buf, (Py_ssize_t)len);
    PyMem_Free(buf);
    return v;
}

/* ================================================================ module */

/* The optional version argument; 0 or -1 with TypeError. */
static int
get_version(PyObject *const *args, Py_ssize_t nargs, Py_ssize_t at,
            int *version)
{
    *version = Py_MARSHAL_VERSION;
    if (nargs <= at) {
        return 0;
    }
    PyObject *v = args[at];
    if (PyFloat_Check(v)) {
        PyErr_SetString(PyExc_TypeError,
                        "'float' object cannot be interpreted as an integer");
        return -1;
    }
    *version = _PyLong_AsInt(v);
    return (*version == -1 && PyErr_Occurred()) ? -1 : 0;
}

/* dumps(value, version=4, /) */
static PyObject *
marshal_dumps(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    int version;
    if (!_PyArg_CheckPositional("dumps", nargs, 1, 2)
        || get_version(args, nargs, 1, &version) < 0) {
        return NULL;
    }
    return PyMarshal_WriteObjectToString(args[0], version);
}

/* loads(bytes, /): any bytes-like object; extra data is ignored. */
static PyObject *
marshal_loads(PyObject *self, PyObject *arg)
{
    Py_buffer view;
    if (PyObject_GetBuffer(arg, &view, PyBUF_SIMPLE) < 0) {
        if (PyErr_ExceptionMatches(PyExc_TypeError)) {
            PyErr_Format(PyExc_TypeError,
                         "a bytes-like object is required, not '%.100s'",
                         Py_TYPE(arg)->tp_name);
        }
        return NULL;
    }
    PyObject *v = PyMarshal_ReadObjectFromString(view.buf, view.len);
    PyBuffer_Release(&view);
    return v;
}

/* dump(value, file, version=4, /) */
static PyObject *
marshal_dump(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    int version;
    if (!_PyArg_CheckPositional("dump", nargs, 2, 3)
        || get_version(args, nargs, 2, &version) < 0) {
        return NULL;
    }
    PyObject *s = PyMarshal_WriteObjectToString(args[0], version);
    if (s == NULL) {
        return NULL;
    }
    PyObject *r = PyObject_CallMethod(args[1], "write", "O", s);
    Py_DECREF(s);
    if (r == NULL) {
        return NULL;
    }
    Py_DECREF(r);
    Py_RETURN_NONE;
}

/* load(file, /): reads exactly one object's bytes with file.read(n). */
static PyObject *
marshal_load(PyObject *self, PyObject *file)
{
    RFILE rf;
    memset(&rf, 0, sizeof(rf));
    rf.readable = file;
    return read_object(&rf);
}

static PyMethodDef marshal_methods[] = {
    {"dumps", _PyCFunction_CAST(marshal_dumps), METH_FASTCALL,
     "Return the bytes object that would be written to a file by "
     "dump(value, file)."},
    {"loads", marshal_loads, METH_O,
     "Convert the bytes-like object to a value."},
    {"dump", _PyCFunction_CAST(marshal_dump), METH_FASTCALL,
     "Write the value on the open file."},
    {"load", marshal_load, METH_O,
     "Read one value from the open file and return it."},
    {NULL}
};

static PyModuleDef marshal_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "marshal",
    .m_doc = "This module contains functions that can read and write Python "
             "values in\na binary format.",
    .m_size = 0,
    .m_methods = marshal_methods,
};

/* The module: stateless, so one definition serves every import. */
PyMODINIT_FUNC
PyInit_marshal(void)
{
    PyObject *m = PyModule_Create(&marshal_module);
    if (m == NULL) {
        return NULL;
    }
    if (PyModule_AddIntConstant(m, "version", Py_MARSHAL_VERSION) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
