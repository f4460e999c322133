/* The _struct module: conversion between Python values and C structs held
 * in bytes (pack, unpack, pack_into, unpack_from, iter_unpack, calcsize,
 * Struct, error, _clearcache), as CPython 3.11 documents it.
 *
 * A format is compiled once into an immutable `compiled` block: one code
 * per run of equal items ("3i" is one code repeated 3 times, "5s" one
 * code of 5 bytes, pad bytes only move the offset).  Native formats ('@',
 * the default) use the C sizes and alignment; '=', '<', '>' and '!' use
 * the standard sizes without alignment.
 *
 * Thread safety.
 *  - A Struct publishes its compiled block with a release store and
 *    readers load it with acquire, without locking.  Struct.__init__ may
 *    install a new block (under the Struct's critical section); replaced
 *    blocks stay on a chain owned by the Struct and are freed only in its
 *    dealloc, so a reader that loaded the old pointer keeps using valid
 *    memory.  Packing and unpacking read only the block and their
 *    arguments.
 *  - The module-level format cache (format -> Struct, cleared when it
 *    reaches MAXCACHE entries) is a dict touched only with cache_mutex
 *    held; lookups return a new reference taken under the mutex.  No
 *    Python code runs under the mutex (keys are exact str or bytes).
 *  - struct.error is created once and published with a release store.
 *  - An unpack iterator advances under its own critical section; the
 *    unpacking in between only creates objects, so the section is never
 *    released halfway through an item. */
#include "Python.h"
#include "pycore_critical_section.h"

#include <ctype.h>
#include <math.h>
#include <string.h>

#define MAXCACHE 100

/* ================================================================ state */

static PyObject *struct_error;      /* published once, acquire/release */
static PyMutex cache_mutex;
static PyObject *cache;             /* dict or NULL; cache_mutex */

/* Borrowed: the struct.error class. */
static PyObject *
error_type(void)
{
    return _Py_atomic_load_ptr_acquire(&struct_error);
}

/* Raises struct.error(MSG); returns NULL. */
static PyObject *
set_error(const char *msg)
{
    PyErr_SetString(error_type(), msg);
    return NULL;
}

/* ================================================================ formats */

typedef enum {
    K_PAD, K_CHAR, K_BOOL, K_SINT, K_UINT, K_PTR, K_HALF, K_FLOAT,
    K_DOUBLE, K_STR, K_PSTR
} kind_t;

typedef struct {
    char ch;
    unsigned char kind;
    unsigned char size;
    unsigned char align;
} formatdef;

/* Native sizes and alignments (the default '@' mode). */
static const formatdef native_table[] = {
    {'x', K_PAD, 1, 1},
    {'c', K_CHAR, 1, 1},
    {'b', K_SINT, 1, 1},
    {'B', K_UINT, 1, 1},
    {'?', K_BOOL, sizeof(_Bool), _Alignof(_Bool)},
    {'h', K_SINT, sizeof(short), _Alignof(short)},
    {'H', K_UINT, sizeof(short), _Alignof(short)},
    {'i', K_SINT, sizeof(int), _Alignof(int)},
    {'I', K_UINT, sizeof(int), _Alignof(int)},
    {'l', K_SINT, sizeof(long), _Alignof(long)},
    {'L', K_UINT, sizeof(long), _Alignof(long)},
    {'q', K_SINT, sizeof(long long), _Alignof(long long)},
    {'Q', K_UINT, sizeof(long long), _Alignof(long long)},
    {'n', K_SINT, sizeof(size_t), _Alignof(size_t)},
    {'N', K_UINT, sizeof(size_t), _Alignof(size_t)},
    {'P', K_PTR, sizeof(void *), _Alignof(void *)},
    {'e', K_HALF, 2, 2},
    {'f', K_FLOAT, sizeof(float), _Alignof(float)},
    {'d', K_DOUBLE, sizeof(double), _Alignof(double)},
    {'s', K_STR, 1, 1},
    {'p', K_PSTR, 1, 1},
    {0, 0, 0, 0}
};

/* Standard sizes, no alignment ('=', '<', '>', '!'). */
static const formatdef std_table[] = {
    {'x', K_PAD, 1, 1},
    {'c', K_CHAR, 1, 1},
    {'b', K_SINT, 1, 1},
    {'B', K_UINT, 1, 1},
    {'?', K_BOOL, 1, 1},
    {'h', K_SINT, 2, 1},
    {'H', K_UINT, 2, 1},
    {'i', K_SINT, 4, 1},
    {'I', K_UINT, 4, 1},
    {'l', K_SINT, 4, 1},
    {'L', K_UINT, 4, 1},
    {'q', K_SINT, 8, 1},
    {'Q', K_UINT, 8, 1},
    {'e', K_HALF, 2, 1},
    {'f', K_FLOAT, 4, 1},
    {'d', K_DOUBLE, 8, 1},
    {'s', K_STR, 1, 1},
    {'p', K_PSTR, 1, 1},
    {0, 0, 0, 0}
};

typedef struct {
    const formatdef *def;
    Py_ssize_t offset;
    Py_ssize_t size;        /* bytes per item; the count for 's'/'p' */
    Py_ssize_t repeat;      /* items (always 1 for 's'/'p') */
} formatcode;

typedef struct compiled {
    Py_ssize_t size;        /* bytes */
    Py_ssize_t nitems;      /* values packed / unpacked */
    Py_ssize_t ncodes;
    int little;             /* byte order */
    int native;             /* native sizes: no range checks on 'f' */
    PyObject *format;       /* str */
    struct compiled *replaced;  /* older blocks of the same Struct */
    formatcode codes[];
} compiled;

static const formatdef *
lookup_def(const formatdef *table, char c)
{
    for (; table->ch != 0; table++) {
        if (table->ch == c) {
            return table;
        }
    }
    return NULL;
}

static void
compiled_free(compiled *c)
{
    while (c != NULL) {
        compiled *next = c->replaced;
        Py_XDECREF(c->format);
        PyMem_Free(c);
        c = next;
    }
}

/* Walks the format S[0:LEN]: counts codes, items and the size, and when
   OUT is given also fills its codes.  -1 with struct.error on a bad
   format. */
static int
walk_format(const char *s, Py_ssize_t len, compiled *out,
            Py_ssize_t *ncodes_p, Py_ssize_t *nitems_p, Py_ssize_t *size_p)
{
    const char *p = s, *end = s + len;
    const formatdef *table = native_table;
    int aligned = 1;
    if (p < end && strchr("@=<>!", *p) != NULL) {
        if (*p != '@') {
            table = std_table;
            aligned = 0;
        }
        p++;
    }
    Py_ssize_t size = 0, nitems = 0, ncodes = 0;
    while (p < end) {
        char c = *p++;
        if (isspace((unsigned char)c)) {
            continue;
        }
        Py_ssize_t num = 1;
        if (c >= '0' && c <= '9') {
            num = c - '0';
            while (p < end && *p >= '0' && *p <= '9') {
                if (num >= (PY_SSIZE_T_MAX - 9) / 10) {
                    goto too_long;
                }
                num = num * 10 + (*p++ - '0');
            }
            if (p == end) {
                set_error("repeat count given without format specifier");
                return -1;
            }
            c = *p++;
        }
        const formatdef *def = lookup_def(table, c);
        if (def == NULL) {
            set_error("bad char in struct format");
            return -1;
        }
        if (aligned && def->align > 1) {
            Py_ssize_t a = def->align;
            if (size > PY_SSIZE_T_MAX - (a - 1)) {
                goto too_long;
            }
            size = (size + a - 1) / a * a;
        }
        Py_ssize_t itemsize = def->size, repeat = num, bytes;
        if (def->kind == K_STR || def->kind == K_PSTR) {
            itemsize = num;
            repeat = 1;
            bytes = num;
        }
        else if (def->kind == K_PAD) {
            repeat = 0;
            bytes = num;
        }
        else {
            if (num > PY_SSIZE_T_MAX / itemsize) {
                goto too_long;
            }
            bytes = num * itemsize;
        }
        if (repeat > 0) {
            if (out != NULL) {
                formatcode *fc = &out->codes[ncodes];
                fc->def = def;
                fc->offset = size;
                fc->size = itemsize;
                fc->repeat = repeat;
            }
            ncodes++;
            nitems += repeat;
        }
        if (bytes > PY_SSIZE_T_MAX - size) {
            goto too_long;
        }
        size += bytes;
    }
    *ncodes_p = ncodes;
    *nitems_p = nitems;
    *size_p = size;
    return 0;
too_long:
    set_error("total struct size too long");
    return -1;
}

/* The byte order a format selects: 1 for little-endian. */
static int
format_is_little(const char *s, Py_ssize_t len)
{
    char c = len > 0 ? s[0] : '@';
    if (c == '<') {
        return 1;
    }
    if (c == '>' || c == '!') {
        return 0;
    }
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return 0;
#else
    return 1;
#endif
}

/* New block for the format object FMT (str or bytes); NULL with an
   exception (TypeError for other types, struct.error for bad formats). */
static compiled *
compile_format(PyObject *fmt)
{
    PyObject *ascii;
    if (PyUnicode_Check(fmt)) {
        ascii = PyUnicode_AsASCIIString(fmt);
        if (ascii == NULL) {
            return NULL;
        }
    }
    else if (PyBytes_Check(fmt)) {
        ascii = Py_NewRef(fmt);
    }
    else {
        PyErr_Format(PyExc_TypeError, "Struct() argument 1 must be a str "
                     "or bytes object, not %.200s", Py_TYPE(fmt)->tp_name);
        return NULL;
    }
    const char *s = PyBytes_AS_STRING(ascii);
    Py_ssize_t len = PyBytes_GET_SIZE(ascii);
    if ((Py_ssize_t)strlen(s) != len) {
        Py_DECREF(ascii);
        set_error("embedded null character");
        return NULL;
    }
    Py_ssize_t ncodes, nitems, size;
    if (walk_format(s, len, NULL, &ncodes, &nitems, &size) < 0) {
        Py_DECREF(ascii);
        return NULL;
    }
    compiled *c = PyMem_Calloc(1, sizeof(compiled)
                                  + (size_t)ncodes * sizeof(formatcode));
    if (c == NULL) {
        Py_DECREF(ascii);
        PyErr_NoMemory();
        return NULL;
    }
    (void)walk_format(s, len, c, &c->ncodes, &c->nitems, &c->size);
    c->little = format_is_little(s, len);
    c->native = len == 0 || strchr("=<>!", s[0]) == NULL;
    c->format = PyUnicode_FromStringAndSize(s, len);
    Py_DECREF(ascii);
    if (c->format == NULL) {
        compiled_free(c);
        return NULL;
    }
    return c;
}

/* ================================================================ bytes */

static void
put_uint(unsigned char *p, unsigned long long v, Py_ssize_t size,
         int little)
{
    for (Py_ssize_t i = 0; i < size; i++) {
        p[little ? i : size - 1 - i] = (unsigned char)(v & 0xff);
        v >>= 8;
    }
}

static unsigned long long
get_uint(const unsigned char *p, Py_ssize_t size, int little)
{
    unsigned long long v = 0;
    for (Py_ssize_t i = 0; i < size; i++) {
        v = (v << 8) | p[little ? size - 1 - i : i];
    }
    return v;
}

/* Half precision (IEEE 754 binary16) from a double, rounding to nearest
   even; -1 with OverflowError when the value is too large. */
static int
pack_half(double x, unsigned char *p, int little)
{
    unsigned int sign = signbit(x) ? 0x8000 : 0;
    unsigned int bits;
    double a = fabs(x);
    if (isnan(x)) {
        bits = 0x7e00;
    }
    else if (isinf(x)) {
        bits = 0x7c00;
    }
    else if (a == 0.0) {
        bits = 0;
    }
    else {
        int e;
        (void)frexp(a, &e);
        e -= 1;                 /* a = 1.f * 2**e */
        if (e < -14) {
            /* Subnormal: units of 2**-24; 1024 units is the smallest
               normal and encodes the same way. */
            bits = (unsigned int)nearbyint(ldexp(a, 24));
        }
        else {
            double m = nearbyint(ldexp(a, 10 - e));    /* 1024..2048 */
            if (m >= 2048.0) {
                m = 1024.0;
                e++;
            }
            if (e > 15) {
                PyErr_SetString(PyExc_OverflowError,
                                "float too large to pack with e format");
                return -1;
            }
            bits = ((unsigned int)(e + 15) << 10) | ((unsigned int)m - 1024);
        }
    }
    put_uint(p, sign | bits, 2, little);
    return 0;
}

static double
unpack_half(const unsigned char *p, int little)
{
    unsigned int bits = (unsigned int)get_uint(p, 2, little);
    int e = (bits >> 10) & 0x1f;
    unsigned int m = bits & 0x3ff;
    double x;
    if (e == 0) {
        x = ldexp((double)m, -24);
    }
    else if (e == 31) {
        x = m ? NAN : INFINITY;
    }
    else {
        x = ldexp((double)(m + 1024), e - 25);
    }
    return (bits & 0x8000) ? copysign(x, -1.0) : copysign(x, 1.0);
}

/* ================================================================ packing */

/* New reference: V as an int (through __index__), or NULL with
   struct.error when it is not an integer. */
static PyObject *
get_pylong(PyObject *v)
{
    if (PyLong_Check(v)) {
        return Py_NewRef(v);
    }
    PyNumberMethods *nb = Py_TYPE(v)->tp_as_number;
    if (nb == NULL || nb->nb_index == NULL) {
        return set_error("required argument is not an integer");
    }
    return PyNumber_Index(v);
}

/* Turns a pending OverflowError into struct.error("argument out of
   range"); returns -1. */
static int
out_of_range(void)
{
    if (PyErr_ExceptionMatches(PyExc_OverflowError)) {
        PyErr_Clear();
        set_error("argument out of range");
    }
    return -1;
}

/* Raises the 3.11 range error of CODE for a SIZE-byte field. */
static int
range_error(const formatcode *code, long long lo, unsigned long long hi)
{
    char c = code->def->ch;
    int is_unsigned = code->def->kind == K_UINT;
    if (code->size == 1 || code->size == 2) {
        PyErr_Format(error_type(), "%s%s format requires %lld <= number "
                     "<= %llu", is_unsigned ? "u" : "",
                     code->size == 1 ? "byte" : "short", lo, hi);
    }
    else {
        PyErr_Format(error_type(), "'%c' format requires %lld <= number "
                     "<= %llu", c, lo, hi);
    }
    return -1;
}

/* Packs the integer V for an integer CODE at P. */
static int
pack_integer(const formatcode *code, PyObject *v, unsigned char *p,
             int little)
{
    PyObject *n = get_pylong(v);
    if (n == NULL) {
        return -1;
    }
    Py_ssize_t size = code->size;
    kind_t kind = code->def->kind;
    unsigned long long bits;
    if (kind == K_PTR) {
        int overflow;
        long long s = PyLong_AsLongLongAndOverflow(n, &overflow);
        bits = (unsigned long long)s;
        if (overflow > 0) {
            bits = PyLong_AsUnsignedLongLong(n);
        }
        Py_DECREF(n);
        if ((overflow < 0) || (overflow > 0 && PyErr_Occurred())) {
            PyErr_Clear();
            set_error("int too large to convert");
            return -1;
        }
        if (s == -1 && !overflow && PyErr_Occurred()) {
            return -1;
        }
    }
    else if (kind == K_SINT || size < 4) {
        long long s = PyLong_AsLongLong(n);
        Py_DECREF(n);
        if (s == -1 && PyErr_Occurred()) {
            return out_of_range();
        }
        if (size < 8) {
            int bitsz = (int)(8 * size);
            long long lo = kind == K_SINT ? -(1LL << (bitsz - 1)) : 0;
            long long hi = kind == K_SINT ? (1LL << (bitsz - 1)) - 1
                                          : (1LL << bitsz) - 1;
            if (s < lo || s > hi) {
                return range_error(code, lo, (unsigned long long)hi);
            }
        }
        bits = (unsigned long long)s;
    }
    else {
        bits = PyLong_AsUnsignedLongLong(n);
        Py_DECREF(n);
        if (bits == (unsigned long long)-1 && PyErr_Occurred()) {
            return out_of_range();
        }
        if (size < 8 && bits > 0xffffffffULL) {
            return range_error(code, 0, 0xffffffffULL);
        }
    }
    put_uint(p, bits, size, little);
    return 0;
}

/* Packs the float V for an 'e', 'f' or 'd' CODE at P. */
static int
pack_floating(const compiled *c, const formatcode *code, PyObject *v,
              unsigned char *p)
{
    double x = PyFloat_AsDouble(v);
    if (x == -1.0 && PyErr_Occurred()) {
        PyErr_Clear();
        set_error("required argument is not a float");
        return -1;
    }
    kind_t kind = code->def->kind;
    if (kind == K_HALF) {
        return pack_half(x, p, c->little);
    }
    if (kind == K_FLOAT) {
        float y = (float)x;
        if (isinf(y) && !isinf(x) && !c->native) {
            PyErr_SetString(PyExc_OverflowError,
                            "float too large to pack with f format");
            return -1;
        }
        uint32_t b;
        memcpy(&b, &y, 4);
        put_uint(p, b, 4, c->little);
        return 0;
    }
    uint64_t b;
    memcpy(&b, &x, 8);
    put_uint(p, b, 8, c->little);
    return 0;
}

/* Data and length of a bytes or bytearray V, or -1 when it is neither. */
static Py_ssize_t
bytes_view(PyObject *v, const char **data)
{
    if (PyBytes_Check(v)) {
        *data = PyBytes_AS_STRING(v);
        return PyBytes_GET_SIZE(v);
    }
    if (PyByteArray_Check(v)) {
        *data = PyByteArray_AS_STRING(v);
        return PyByteArray_GET_SIZE(v);
    }
    return -1;
}

/* Packs one value V for CODE at P. */
static int
pack_one(const compiled *c, const formatcode *code, PyObject *v,
         unsigned char *p)
{
    const char *data;
    Py_ssize_t n;
    switch (code->def->kind) {
    case K_CHAR:
        if (!PyBytes_Check(v) || PyBytes_GET_SIZE(v) != 1) {
            set_error("char format requires a bytes object of length 1");
            return -1;
        }
        *p = (unsigned char)PyBytes_AS_STRING(v)[0];
        return 0;
    case K_BOOL: {
        int t = PyObject_IsTrue(v);
        if (t < 0) {
            return -1;
        }
        *p = (unsigned char)t;
        return 0;
    }
    case K_STR:
    case K_PSTR: {
        int pascal = code->def->kind == K_PSTR;
        n = bytes_view(v, &data);
        if (n < 0) {
            PyErr_Format(error_type(), "argument for '%c' must be a bytes "
                         "object", code->def->ch);
            return -1;
        }
        Py_ssize_t room = pascal ? code->size - 1 : code->size;
        if (room < 0) {
            return 0;       /* "0p" packs nothing */
        }
        if (n > room) {
            n = room;
        }
        memcpy(p + pascal, data, (size_t)n);
        if (pascal) {
            *p = (unsigned char)(n > 255 ? 255 : n);
        }
        return 0;
    }
    case K_HALF:
    case K_FLOAT:
    case K_DOUBLE:
        return pack_floating(c, code, v, p);
    default:
        return pack_integer(code, v, p, c->little);
    }
}

/* Packs the NARGS values ARGS into BUF (c->size bytes, zeroed). */
static int
pack_all(const compiled *c, PyObject *const *args, unsigned char *buf)
{
    Py_ssize_t k = 0;
    for (Py_ssize_t i = 0; i < c->ncodes; i++) {
        const formatcode *code = &c->codes[i];
        for (Py_ssize_t r = 0; r < code->repeat; r++) {
            unsigned char *p = buf + code->offset + r * code->size;
            if (pack_one(c, code, args[k++], p) < 0) {
                return -1;
            }
        }
    }
    return 0;
}

/* ================================================================ unpacking */

/* New reference: the value of CODE stored at P. */
static PyObject *
unpack_one(const compiled *c, const formatcode *code, const unsigned char *p)
{
    Py_ssize_t size = code->size;
    switch (code->def->kind) {
    case K_CHAR:
        return PyBytes_FromStringAndSize((const char *)p, 1);
    case K_BOOL:
        return PyBool_FromLong(*p != 0);
    case K_STR:
        return PyBytes_FromStringAndSize((const char *)p, size);
    case K_PSTR: {
        if (size == 0) {
            return PyBytes_FromStringAndSize(NULL, 0);
        }
        Py_ssize_t n = p[0];
        if (n >= size) {
            n = size - 1;
        }
        return PyBytes_FromStringAndSize((const char *)p + 1, n);
    }
    case K_HALF:
        return PyFloat_FromDouble(unpack_half(p, c->little));
    case K_FLOAT: {
        uint32_t b = (uint32_t)get_uint(p, 4, c->little);
        float f;
        memcpy(&f, &b, 4);
        return PyFloat_FromDouble(f);
    }
    case K_DOUBLE: {
        uint64_t b = get_uint(p, 8, c->little);
        double d;
        memcpy(&d, &b, 8);
        return PyFloat_FromDouble(d);
    }
    case K_SINT: {
        unsigned long long v = get_uint(p, size, c->little);
        if (size < 8 && (v >> (8 * size - 1)) & 1) {
            v |= ~0ULL << (8 * size);
        }
        return PyLong_FromLongLong((long long)v);
    }
    default:    /* K_UINT, K_PTR */
        return PyLong_FromUnsignedLongLong(get_uint(p, size, c->little));
    }
}

/* New reference: the tuple of values stored at BUF (c->size bytes). */
static PyObject *
unpack_all(const compiled *c, const unsigned char *buf)
{
    PyObject *res = PyTuple_New(c->nitems);
    if (res == NULL) {
        return NULL;
    }
    Py_ssize_t k = 0;
    for (Py_ssize_t i = 0; i < c->ncodes; i++) {
        const formatcode *code = &c->codes[i];
        for (Py_ssize_t r = 0; r < code->repeat; r++) {
            PyObject *v = unpack_one(c, code,
                                     buf + code->offset + r * code->size);
            if (v == NULL) {
                Py_DECREF(res);
                return NULL;
            }
            PyTuple_SET_ITEM(res, k++, v);
        }
    }
    return res;
}

/* ================================================================ Struct */

typedef struct {
    PyObject_HEAD
    compiled *c;        /* acquire/release; replaced ones chained */
} structobject;

static PyTypeObject PyStructType;
static PyTypeObject unpackiter_type;

/* Borrowed block of a Struct; NULL with struct.error before __init__. */
static const compiled *
get_compiled(PyObject *self)
{
    compiled *c = _Py_atomic_load_ptr_acquire(&((structobject *)self)->c);
    if (c == NULL) {
        set_error("Struct object is not initialized");
    }
    return c;
}

static PyObject *
Struct_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    return type->tp_alloc(type, 0);
}

/* Installs the compiled format; an older block stays chained behind the
   new one (freed with the Struct) for readers that still hold it. */
static int
Struct_init(PyObject *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"format", NULL};
    PyObject *fmt;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O:Struct", kwlist, &fmt)) {
        return -1;
    }
    compiled *c = compile_format(fmt);
    if (c == NULL) {
        return -1;
    }
    structobject *so = (structobject *)self;
    Py_BEGIN_CRITICAL_SECTION(self);
    c->replaced = so->c;
    _Py_atomic_store_ptr_release(&so->c, c);
    Py_END_CRITICAL_SECTION();
    return 0;
}

/* Static base type: a subclass's dealloc releases the heap type. */
static void
Struct_dealloc(PyObject *self)
{
    compiled_free(((structobject *)self)->c);
    Py_TYPE(self)->tp_free(self);
}

/* New reference: Struct(FMT) from the shared cache, made and cached on a
   miss. */
static PyObject *
cache_struct(PyObject *fmt)
{
    int cacheable = PyUnicode_CheckExact(fmt) || PyBytes_CheckExact(fmt);
    PyObject *s = NULL;
    if (cacheable) {
        PyMutex_Lock(&cache_mutex);
        if (cache != NULL) {
            s = PyDict_GetItemWithError(cache, fmt);
            Py_XINCREF(s);
        }
        PyMutex_Unlock(&cache_mutex);
        if (s != NULL) {
            return s;
        }
        if (PyErr_Occurred()) {
            return NULL;
        }
    }
    s = PyObject_CallOneArg((PyObject *)&PyStructType, fmt);
    if (s == NULL || !cacheable) {
        return s;
    }
    int err = 0;
    PyMutex_Lock(&cache_mutex);
    if (cache == NULL) {
        cache = PyDict_New();
    }
    if (cache == NULL) {
        err = -1;
    }
    else {
        if (PyDict_GET_SIZE(cache) >= MAXCACHE) {
            PyDict_Clear(cache);
        }
        err = PyDict_SetItem(cache, fmt, s);
    }
    PyMutex_Unlock(&cache_mutex);
    if (err < 0) {
        Py_DECREF(s);
        return NULL;
    }
    return s;
}

/* New bytes: the values ARGS packed by C. */
static PyObject *
do_pack(const compiled *c, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != c->nitems) {
        PyErr_Format(error_type(), "pack expected %zd items for packing "
                     "(got %zd)", c->nitems, nargs);
        return NULL;
    }
    PyObject *res = PyBytes_FromStringAndSize(NULL, c->size);
    if (res == NULL) {
        return NULL;
    }
    memset(PyBytes_AS_STRING(res), 0, (size_t)c->size);
    if (pack_all(c, args, (unsigned char *)PyBytes_AS_STRING(res)) < 0) {
        Py_DECREF(res);
        return NULL;
    }
    return res;
}

/* Gets a read-only view of BUF; TypeError as 3.11 words it. */
static int
get_read_buffer(PyObject *buf, Py_buffer *view)
{
    return PyObject_GetBuffer(buf, view, PyBUF_SIMPLE);
}

/* pack_into(buffer, offset, *values) with the block C. */
static PyObject *
do_pack_into(const compiled *c, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != c->nitems + 2) {
        if (nargs == 0) {
            return set_error("pack_into expected buffer argument");
        }
        if (nargs == 1) {
            return set_error("pack_into expected offset argument");
        }
        PyErr_Format(error_type(), "pack_into expected %zd items for "
                     "packing (got %zd)", c->nitems, nargs - 2);
        return NULL;
    }
    Py_buffer view;
    if (PyObject_GetBuffer(args[0], &view, PyBUF_WRITABLE) < 0) {
        PyErr_Clear();
        PyErr_Format(PyExc_TypeError, "argument must be read-write "
                     "bytes-like object, not %.100s",
                     Py_TYPE(args[0])->tp_name);
        return NULL;
    }
    Py_ssize_t offset = PyNumber_AsSsize_t(args[1], PyExc_IndexError);
    if (offset == -1 && PyErr_Occurred()) {
        PyBuffer_Release(&view);
        return NULL;
    }
    Py_ssize_t len = view.len;
    if (offset < 0) {
        if (offset + c->size > 0) {
            PyErr_Format(error_type(), "no space to pack %zd bytes at "
                         "offset %zd", c->size, offset);
            goto fail;
        }
        if (offset + len < 0) {
            PyErr_Format(error_type(), "offset %zd out of range for "
                         "%zd-byte buffer", offset, len);
            goto fail;
        }
        offset += len;
    }
    if (len - offset < c->size) {
        PyErr_Format(error_type(), "pack_into requires a buffer of at least "
                     "%zu bytes for packing %zd bytes at offset %zd (actual "
                     "buffer size is %zd)", (size_t)c->size + (size_t)offset,
                     c->size, offset, len);
        goto fail;
    }
    unsigned char *dst = (unsigned char *)view.buf + offset;
    memset(dst, 0, (size_t)c->size);
    if (pack_all(c, args + 2, dst) < 0) {
        goto fail;
    }
    PyBuffer_Release(&view);
    Py_RETURN_NONE;
fail:
    PyBuffer_Release(&view);
    return NULL;
}

/* unpack(buffer) with the block C. */
static PyObject *
do_unpack(const compiled *c, PyObject *buf)
{
    Py_buffer view;
    if (get_read_buffer(buf, &view) < 0) {
        return NULL;
    }
    PyObject *res = NULL;
    if (view.len != c->size) {
        PyErr_Format(error_type(), "unpack requires a buffer of %zd bytes",
                     c->size);
    }
    else {
        res = unpack_all(c, view.buf);
    }
    PyBuffer_Release(&view);
    return res;
}

/* unpack_from(buffer, offset) with the block C. */
static PyObject *
do_unpack_from(const compiled *c, PyObject *buf, Py_ssize_t offset)
{
    Py_buffer view;
    if (get_read_buffer(buf, &view) < 0) {
        return NULL;
    }
    PyObject *res = NULL;
    Py_ssize_t len = view.len;
    if (offset < 0) {
        if (offset + len < 0) {
            PyErr_Format(error_type(), "offset %zd out of range for "
                         "%zd-byte buffer", offset, len);
            goto done;
        }
        if (offset + c->size > 0) {
            PyErr_Format(error_type(), "not enough data to unpack %zd "
                         "bytes at offset %zd", c->size, offset);
            goto done;
        }
        offset += len;
    }
    if (len - offset < c->size) {
        PyErr_Format(error_type(), "unpack_from requires a buffer of at "
                     "least %zu bytes for unpacking %zd bytes at offset %zd "
                     "(actual buffer size is %zd)",
                     (size_t)c->size + (size_t)offset, c->size, offset, len);
        goto done;
    }
    res = unpack_all(c, (unsigned char *)view.buf + offset);
done:
    PyBuffer_Release(&view);
    return res;
}

/* ---------------------------------------------------------- iterator */

/* Unpacks successive records of a buffer.  it_offset and the view are
   changed only under the iterator's critical section. */
typedef struct {
    PyObject_HEAD
    PyObject *so;           /* the Struct */
    const compiled *c;      /* borrowed from so, which keeps it alive */
    Py_buffer view;         /* released once, on exhaustion or dealloc */
    Py_ssize_t offset;
} unpackiterobject;

/* New reference: an iterator over BUF's records, for the Struct SO. */
static PyObject *
do_iter_unpack(PyObject *so, const compiled *c, PyObject *buf)
{
    if (c->size == 0) {
        return set_error("cannot iteratively unpack with a struct of "
                         "length 0");
    }
    unpackiterobject *it = PyObject_GC_New(unpackiterobject,
                                           &unpackiter_type);
    if (it == NULL) {
        return NULL;
    }
    it->so = Py_NewRef(so);
    it->c = c;
    it->offset = 0;
    if (get_read_buffer(buf, &it->view) < 0) {
        it->view.obj = NULL;
        Py_DECREF(it);
        return NULL;
    }
    if (it->view.len % c->size != 0) {
        PyErr_Format(error_type(), "iterative unpacking requires a buffer "
                     "of a multiple of %zd bytes", c->size);
        Py_DECREF(it);
        return NULL;
    }
    PyObject_GC_Track(it);
    return (PyObject *)it;
}

static void
unpackiter_dealloc(PyObject *self)
{
    unpackiterobject *it = (unpackiterobject *)self;
    PyObject_GC_UnTrack(self);
    if (it->view.obj != NULL) {
        PyBuffer_Release(&it->view);
    }
    Py_XDECREF(it->so);
    PyObject_GC_Del(self);
}

static int
unpackiter_traverse(PyObject *self, visitproc visit, void *arg)
{
    unpackiterobject *it = (unpackiterobject *)self;
    Py_VISIT(it->so);
    Py_VISIT(it->view.obj);
    return 0;
}

static PyObject *
unpackiter_next(PyObject *self)
{
    unpackiterobject *it = (unpackiterobject *)self;
    PyObject *res = NULL;
    Py_BEGIN_CRITICAL_SECTION(self);
    if (it->view.obj != NULL) {
        if (it->offset + it->c->size <= it->view.len) {
            res = unpack_all(it->c,
                             (unsigned char *)it->view.buf + it->offset);
            if (res != NULL) {
                it->offset += it->c->size;
            }
        }
        else {
            PyBuffer_Release(&it->view);
        }
    }
    Py_END_CRITICAL_SECTION();
    return res;
}

static PyObject *
unpackiter_length_hint(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    unpackiterobject *it = (unpackiterobject *)self;
    Py_ssize_t n = 0;
    Py_BEGIN_CRITICAL_SECTION(self);
    if (it->view.obj != NULL) {
        n = (it->view.len - it->offset) / it->c->size;
    }
    Py_END_CRITICAL_SECTION();
    return PyLong_FromSsize_t(n);
}

static PyMethodDef unpackiter_methods[] = {
    {"__length_hint__", unpackiter_length_hint, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static PyTypeObject unpackiter_type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "_struct.unpack_iterator",
    .tp_basicsize = sizeof(unpackiterobject),
    .tp_dealloc = unpackiter_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_traverse = unpackiter_traverse,
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = unpackiter_next,
    .tp_methods = unpackiter_methods,
};

/* ---------------------------------------------------------- methods */

static PyObject *
Struct_pack(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    const compiled *c = get_compiled(self);
    return c ? do_pack(c, args, nargs) : NULL;
}

static PyObject *
Struct_pack_into(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    const compiled *c = get_compiled(self);
    return c ? do_pack_into(c, args, nargs) : NULL;
}

static PyObject *
Struct_unpack(PyObject *self, PyObject *buf)
{
    const compiled *c = get_compiled(self);
    return c ? do_unpack(c, buf) : NULL;
}

static PyObject *
Struct_unpack_from(PyObject *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"buffer", "offset", NULL};
    PyObject *buf;
    Py_ssize_t offset = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O|n:unpack_from", kwlist,
                                     &buf, &offset)) {
        return NULL;
    }
    const compiled *c = get_compiled(self);
    return c ? do_unpack_from(c, buf, offset) : NULL;
}

static PyObject *
Struct_iter_unpack(PyObject *self, PyObject *buf)
{
    const compiled *c = get_compiled(self);
    return c ? do_iter_unpack(self, c, buf) : NULL;
}

static PyObject *
Struct_sizeof(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    compiled *c = _Py_atomic_load_ptr_acquire(&((structobject *)self)->c);
    size_t n = (size_t)Py_TYPE(self)->tp_basicsize;
    if (c != NULL) {
        n += sizeof(compiled) + (size_t)c->ncodes * sizeof(formatcode);
    }
    return PyLong_FromSize_t(n);
}

static PyObject *
Struct_get_format(PyObject *self, void *closure)
{
    compiled *c = _Py_atomic_load_ptr_acquire(&((structobject *)self)->c);
    return c ? Py_NewRef(c->format) : PyUnicode_FromString("");
}

static PyObject *
Struct_get_size(PyObject *self, void *closure)
{
    compiled *c = _Py_atomic_load_ptr_acquire(&((structobject *)self)->c);
    return PyLong_FromSsize_t(c ? c->size : -1);
}

static PyMethodDef Struct_methods[] = {
    {"pack", _PyCFunction_CAST(Struct_pack), METH_FASTCALL,
     "S.pack(v1, v2, ...) -> bytes\n\nPack values by the format S.format."},
    {"pack_into", _PyCFunction_CAST(Struct_pack_into), METH_FASTCALL,
     "S.pack_into(buffer, offset, v1, v2, ...)\n\nPack values into a "
     "writable buffer at offset."},
    {"unpack", Struct_unpack, METH_O,
     "Unpack a buffer of exactly S.size bytes into a tuple."},
    {"unpack_from", _PyCFunction_CAST(Struct_unpack_from),
     METH_VARARGS | METH_KEYWORDS,
     "Unpack S.size bytes of a buffer, starting at offset, into a tuple."},
    {"iter_unpack", Struct_iter_unpack, METH_O,
     "Return an iterator unpacking successive S.size-byte records."},
    {"__sizeof__", Struct_sizeof, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static PyGetSetDef Struct_getset[] = {
    {"format", Struct_get_format, NULL, "struct format string", NULL},
    {"size", Struct_get_size, NULL, "struct size in bytes", NULL},
    {NULL, NULL, NULL, NULL, NULL}
};

static PyTypeObject PyStructType = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "_struct.Struct",
    .tp_basicsize = sizeof(structobject),
    .tp_dealloc = Struct_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "Struct(format)\n--\n\nA compiled struct format: packs and "
              "unpacks values as described by format.",
    .tp_methods = Struct_methods,
    .tp_getset = Struct_getset,
    .tp_init = Struct_init,
    .tp_alloc = PyType_GenericAlloc,
    .tp_new = Struct_new,
    .tp_free = PyObject_Free,
};

/* ================================================================ module */

/* The format argument of a module function; NULL with TypeError when
   there is none. */
static PyObject *
format_arg(PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs < 1) {
        PyErr_SetString(PyExc_TypeError, "missing format argument");
        return NULL;
    }
    return cache_struct(args[0]);
}

static PyObject *
struct_pack(PyObject *m, PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *s = format_arg(args, nargs);
    if (s == NULL) {
        return NULL;
    }
    PyObject *res = Struct_pack(s, args + 1, nargs - 1);
    Py_DECREF(s);
    return res;
}

static PyObject *
struct_pack_into(PyObject *m, PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *s = format_arg(args, nargs);
    if (s == NULL) {
        return NULL;
    }
    PyObject *res = Struct_pack_into(s, args + 1, nargs - 1);
    Py_DECREF(s);
    return res;
}

static PyObject *
struct_unpack(PyObject *m, PyObject *const *args, Py_ssize_t nargs)
{
    if (!_PyArg_CheckPositional("unpack", nargs, 2, 2)) {
        return NULL;
    }
    PyObject *s = cache_struct(args[0]);
    if (s == NULL) {
        return NULL;
    }
    PyObject *res = Struct_unpack(s, args[1]);
    Py_DECREF(s);
    return res;
}

static PyObject *
struct_unpack_from(PyObject *m, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"", "buffer", "offset", NULL};
    PyObject *fmt, *buf;
    Py_ssize_t offset = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OO|n:unpack_from", kwlist,
                                     &fmt, &buf, &offset)) {
        return NULL;
    }
    PyObject *s = cache_struct(fmt);
    if (s == NULL) {
        return NULL;
    }
    const compiled *c = get_compiled(s);
    PyObject *res = c ? do_unpack_from(c, buf, offset) : NULL;
    Py_DECREF(s);
    return res;
}

static PyObject *
struct_iter_unpack(PyObject *m, PyObject *const *args, Py_ssize_t nargs)
{
    if (!_PyArg_CheckPositional("iter_unpack", nargs, 2, 2)) {
        return NULL;
    }
    PyObject *s = cache_struct(args[0]);
    if (s == NULL) {
        return NULL;
    }
    PyObject *res = Struct_iter_unpack(s, args[1]);
    Py_DECREF(s);
    return res;
}

static PyObject *
struct_calcsize(PyObject *m, PyObject *fmt)
{
    PyObject *s = cache_struct(fmt);
    if (s == NULL) {
        return NULL;
    }
    const compiled *c = get_compiled(s);
    PyObject *res = c ? PyLong_FromSsize_t(c->size) : NULL;
    Py_DECREF(s);
    return res;
}

/* Empties the format cache; the old dict is released after the mutex,
   since freeing Structs must not happen while holding it. */
static PyObject *
struct_clearcache(PyObject *m, PyObject *Py_UNUSED(ignored))
{
    PyMutex_Lock(&cache_mutex);
    PyObject *old = cache;
    cache = NULL;
    PyMutex_Unlock(&cache_mutex);
    Py_XDECREF(old);
    Py_RETURN_NONE;
}

static PyMethodDef struct_functions[] = {
    {"pack", _PyCFunction_CAST(struct_pack), METH_FASTCALL,
     "pack(format, v1, v2, ...) -> bytes\n\nPack values by the format."},
    {"pack_into", _PyCFunction_CAST(struct_pack_into), METH_FASTCALL,
     "pack_into(format, buffer, offset, v1, v2, ...)\n\nPack values into "
     "a writable buffer at offset."},
    {"unpack", _PyCFunction_CAST(struct_unpack), METH_FASTCALL,
     "Unpack a buffer of exactly calcsize(format) bytes into a tuple."},
    {"unpack_from", _PyCFunction_CAST(struct_unpack_from),
     METH_VARARGS | METH_KEYWORDS,
     "Unpack a buffer, starting at offset, into a tuple."},
    {"iter_unpack", _PyCFunction_CAST(struct_iter_unpack), METH_FASTCALL,
     "Return an iterator unpacking successive records of a buffer."},
    {"calcsize", struct_calcsize, METH_O,
     "Return the size in bytes of the struct described by format."},
    {"_clearcache", struct_clearcache, METH_NOARGS,
     "Clear the internal cache."},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef structmodule = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_struct",
    .m_doc = "Functions to convert between Python values and C structs.",
    .m_size = -1,
    .m_methods = struct_functions,
};

/* Creates struct.error the first time; later imports reuse it. */
static int
init_error(void)
{
    if (error_type() != NULL) {
        return 0;
    }
    PyObject *err = PyErr_NewException("struct.error", NULL, NULL);
    if (err == NULL) {
        return -1;
    }
    PyObject *expected = NULL;
    if (!_Py_atomic_compare_exchange_ptr(&struct_error, &expected, err)) {
        Py_DECREF(err);     /* another thread won */
    }
    return 0;
}

PyMODINIT_FUNC
PyInit__struct(void)
{
    if (PyType_Ready(&PyStructType) < 0 ||
        PyType_Ready(&unpackiter_type) < 0 || init_error() < 0) {
        return NULL;
    }
    PyObject *m = PyModule_Create(&structmodule);
    if (m == NULL) {
        return NULL;
    }
    if (PyModule_AddObjectRef(m, "error", error_type()) < 0 ||
        PyModule_AddObjectRef(m, "Struct", (PyObject *)&PyStructType) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
