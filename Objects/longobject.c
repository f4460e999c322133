/* int: arbitrary-precision integers.
 *
 * A value is sign * sum(ob_digit[i] * 2**(30*i)); ob_size is the digit
 * count with the sign of the value, and the top digit is never 0.  The
 * small ints -5..256 are immortal statics shared by everyone.
 *
 * This file: representation, small ints, C conversions, comparison,
 * hashing, and the magnitude algorithms (schoolbook and Karatsuba
 * multiplication, Knuth's algorithm D for division).  Objects/long/ has
 * the number protocol (arith.c), text conversions (text.c) and the type
 * object with its methods (type.c).
 *
 * Ints are immutable once published: no locking anywhere. */
#include "Python.h"
#include "pycore_object.h"
#include "pycore_long.h"

#include <float.h>
#include <math.h>

/* ------------------------------------------------------ small ints */

static PyLongObject small_ints[_PY_NSMALLNEGINTS + _PY_NSMALLPOSINTS];

/* Fills the static small ints at library load, before any thread. */
__attribute__((constructor)) static void
long_init_small_ints(void)
{
    for (int i = 0; i < _PY_NSMALLNEGINTS + _PY_NSMALLPOSINTS; i++) {
        int v = i - _PY_NSMALLNEGINTS;
        PyLongObject *op = &small_ints[i];
        op->ob_base.ob_base.ob_tid = 0;
        op->ob_base.ob_base.ob_ref_local = _Py_IMMORTAL_REFCNT_LOCAL;
        op->ob_base.ob_base.ob_ref_shared = 0;
        op->ob_base.ob_base.ob_type = &PyLong_Type;
        op->ob_base.ob_size = v < 0 ? -1 : (v > 0 ? 1 : 0);
        op->ob_digit[0] = (digit)(v < 0 ? -v : v);
    }
}

PyObject *
_PyLong_GetSmallInt(int v)
{
    assert(-_PY_NSMALLNEGINTS <= v && v < _PY_NSMALLPOSINTS);
    return (PyObject *)&small_ints[v + _PY_NSMALLNEGINTS];
}

PyObject *
_PyLong_GetZero(void)
{
    return _PyLong_GetSmallInt(0);
}

PyObject *
_PyLong_GetOne(void)
{
    return _PyLong_GetSmallInt(1);
}

static inline int
is_small(stwodigits v)
{
    return -_PY_NSMALLNEGINTS <= v && v < _PY_NSMALLPOSINTS;
}

/* ------------------------------------------------------ allocation */

PyLongObject *
_PyLong_New(Py_ssize_t size)
{
    if (size > (Py_ssize_t)((PY_SSIZE_T_MAX - offsetof(PyLongObject,
                                                       ob_digit)) /
                            sizeof(digit))) {
        PyErr_SetString(PyExc_OverflowError,
                        "too many digits in integer");
        return NULL;
    }
    size_t n = size < 1 ? 1 : (size_t)size;
    PyLongObject *op = PyObject_Malloc(offsetof(PyLongObject, ob_digit) +
                                       n * sizeof(digit));
    if (op == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    _PyObject_InitHeader((PyObject *)op, &PyLong_Type);
    op->ob_base.ob_size = size;
    op->ob_digit[0] = 0;
    return op;
}

/* Strips leading zero digits, keeping the sign. */
static PyLongObject *
long_normalize(PyLongObject *v)
{
    Py_ssize_t j = _PyLong_DigitCount(v);
    Py_ssize_t i = j;
    while (i > 0 && v->ob_digit[i - 1] == 0) {
        i--;
    }
    if (i != j) {
        v->ob_base.ob_size = v->ob_base.ob_size < 0 ? -i : i;
    }
    return v;
}

/* Replaces a freshly made exact int by the cached small int if it is one.
   Steals v. */
static PyObject *
maybe_small(PyLongObject *v)
{
    if (v != NULL && _PyLong_IsCompact(v)) {
        stwodigits x = _PyLong_CompactValue(v);
        if (is_small(x)) {
            Py_DECREF(v);
            return _PyLong_GetSmallInt((int)x);
        }
    }
    return (PyObject *)v;
}

PyObject *
_PyLong_Copy(PyLongObject *src)
{
    if (_PyLong_IsCompact(src)) {
        stwodigits x = _PyLong_CompactValue(src);
        if (is_small(x)) {
            return _PyLong_GetSmallInt((int)x);
        }
    }
    Py_ssize_t n = _PyLong_DigitCount(src);
    PyLongObject *r = _PyLong_New(n);
    if (r == NULL) {
        return NULL;
    }
    r->ob_base.ob_size = src->ob_base.ob_size;
    memcpy(r->ob_digit, src->ob_digit, (size_t)n * sizeof(digit));
    return (PyObject *)r;
}

/* ------------------------------------------------------ from C values */

/* The int for a magnitude given as an unsigned 64-bit value and a sign. */
static PyObject *
long_from_u64(uint64_t mag, int negative)
{
    if (mag < _PY_NSMALLPOSINTS && !(negative && mag > _PY_NSMALLNEGINTS)) {
        return _PyLong_GetSmallInt(negative ? -(int)mag : (int)mag);
    }
    Py_ssize_t n = 0;
    for (uint64_t t = mag; t; t >>= PyLong_SHIFT) {
        n++;
    }
    PyLongObject *v = _PyLong_New(n);
    if (v == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        v->ob_digit[i] = (digit)(mag & PyLong_MASK);
        mag >>= PyLong_SHIFT;
    }
    v->ob_base.ob_size = negative ? -n : n;
    return (PyObject *)v;
}

PyObject *
PyLong_FromLongLong(long long v)
{
    uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    return long_from_u64(mag, v < 0);
}

PyObject *
PyLong_FromLong(long v)
{
    return PyLong_FromLongLong(v);
}

PyObject *
PyLong_FromSsize_t(Py_ssize_t v)
{
    return PyLong_FromLongLong(v);
}

PyObject *
PyLong_FromUnsignedLongLong(unsigned long long v)
{
    return long_from_u64(v, 0);
}

PyObject *
PyLong_FromUnsignedLong(unsigned long v)
{
    return long_from_u64(v, 0);
}

PyObject *
PyLong_FromSize_t(size_t v)
{
    return long_from_u64(v, 0);
}

PyObject *
PyLong_FromVoidPtr(void *p)
{
    return long_from_u64((uintptr_t)p, 0);
}

PyObject *
PyLong_FromDouble(double dval)
{
    if (isinf(dval)) {
        PyErr_SetString(PyExc_OverflowError,
                        "cannot convert float infinity to integer");
        return NULL;
    }
    if (isnan(dval)) {
        PyErr_SetString(PyExc_ValueError,
                        "cannot convert float NaN to integer");
        return NULL;
    }
    if (fabs(dval) < 9.2e18) {
        return PyLong_FromLongLong((long long)dval);
    }
    int neg = dval < 0;
    int expo;
    double frac = frexp(fabs(dval), &expo);     /* dval = frac * 2**expo */
    Py_ssize_t ndig = (expo - 1) / PyLong_SHIFT + 1;
    PyLongObject *v = _PyLong_New(ndig);
    if (v == NULL) {
        return NULL;
    }
    frac = ldexp(frac, (expo - 1) % PyLong_SHIFT + 1);
    for (Py_ssize_t i = ndig; --i >= 0;) {
        digit bits = (digit)frac;
        v->ob_digit[i] = bits;
        frac -= (double)bits;
        frac = ldexp(frac, PyLong_SHIFT);
    }
    v->ob_base.ob_size = neg ? -ndig : ndig;
    return (PyObject *)v;
}

/* ------------------------------------------------------ to C values */

/* The int behind obj, via __index__ for non-ints: new reference. */
static PyLongObject *
as_index(PyObject *obj)
{
    if (obj == NULL) {
        PyErr_BadInternalCall();
        return NULL;
    }
    if (PyLong_Check(obj)) {
        return (PyLongObject *)Py_NewRef(obj);
    }
    return (PyLongObject *)_PyNumber_Index(obj);
}

/* |v| as uint64 if it fits: 0, else -1 (no exception). */
static int
magnitude_u64(PyLongObject *v, uint64_t *out)
{
    Py_ssize_t n = _PyLong_DigitCount(v);
    uint64_t x = 0;
    for (Py_ssize_t i = n; --i >= 0;) {
        if (x >> (64 - PyLong_SHIFT)) {
            return -1;
        }
        x = (x << PyLong_SHIFT) | v->ob_digit[i];
    }
    *out = x;
    return 0;
}

long long
PyLong_AsLongLongAndOverflow(PyObject *obj, int *overflow)
{
    *overflow = 0;
    PyLongObject *v = as_index(obj);
    if (v == NULL) {
        return -1;
    }
    uint64_t mag;
    long long res = -1;
    int neg = v->ob_base.ob_size < 0;
    if (magnitude_u64(v, &mag) < 0) {
        *overflow = neg ? -1 : 1;
    }
    else if (!neg && mag <= (uint64_t)LLONG_MAX) {
        res = (long long)mag;
    }
    else if (neg && mag <= (uint64_t)LLONG_MAX + 1) {
        res = (long long)(0 - mag);
    }
    else {
        *overflow = neg ? -1 : 1;
    }
    Py_DECREF(v);
    return res;
}

long
PyLong_AsLongAndOverflow(PyObject *obj, int *overflow)
{
    return (long)PyLong_AsLongLongAndOverflow(obj, overflow);
}

long
PyLong_AsLong(PyObject *obj)
{
    int overflow;
    long r = PyLong_AsLongAndOverflow(obj, &overflow);
    if (overflow) {
        PyErr_SetString(PyExc_OverflowError,
                        "Python int too large to convert to C long");
        return -1;
    }
    return r;
}

int
_PyLong_AsInt(PyObject *obj)
{
    int overflow;
    long r = PyLong_AsLongAndOverflow(obj, &overflow);
    if (overflow || r > INT_MAX || r < INT_MIN) {
        PyErr_SetString(PyExc_OverflowError,
                        "Python int too large to convert to C int");
        return -1;
    }
    return (int)r;
}

long long
PyLong_AsLongLong(PyObject *obj)
{
    int overflow;
    long long r = PyLong_AsLongLongAndOverflow(obj, &overflow);
    if (overflow) {
        PyErr_SetString(PyExc_OverflowError, "int too big to convert");
        return -1;
    }
    return r;
}

Py_ssize_t
PyLong_AsSsize_t(PyObject *obj)
{
    if (obj == NULL) {
        PyErr_BadInternalCall();
        return -1;
    }
    if (!PyLong_Check(obj)) {
        PyErr_SetString(PyExc_TypeError, "an integer is required");
        return -1;
    }
    int overflow;
    long long r = PyLong_AsLongLongAndOverflow(obj, &overflow);
    if (overflow) {
        PyErr_SetString(PyExc_OverflowError,
                        "Python int too large to convert to C ssize_t");
        return -1;
    }
    return (Py_ssize_t)r;
}

/* Unsigned conversions: no __index__, negative values refused. */
static int
as_unsigned(PyObject *obj, uint64_t *out, const char *negmsg,
            const char *bigmsg)
{
    if (obj == NULL) {
        PyErr_BadInternalCall();
        return -1;
    }
    if (!PyLong_Check(obj)) {
        PyErr_SetString(PyExc_TypeError, "an integer is required");
        return -1;
    }
    PyLongObject *v = (PyLongObject *)obj;
    if (v->ob_base.ob_size < 0) {
        PyErr_SetString(PyExc_OverflowError, negmsg);
        return -1;
    }
    if (magnitude_u64(v, out) < 0) {
        PyErr_SetString(PyExc_OverflowError, bigmsg);
        return -1;
    }
    return 0;
}

unsigned long
PyLong_AsUnsignedLong(PyObject *obj)
{
    uint64_t x;
    if (as_unsigned(obj, &x, "can't convert negative value to unsigned int",
                    "Python int too large to convert to C unsigned long")
        < 0) {
        return (unsigned long)-1;
    }
    return (unsigned long)x;
}

size_t
PyLong_AsSize_t(PyObject *obj)
{
    uint64_t x;
    if (as_unsigned(obj, &x, "can't convert negative value to size_t",
                    "Python int too large to convert to C size_t") < 0) {
        return (size_t)-1;
    }
    return (size_t)x;
}

unsigned long long
PyLong_AsUnsignedLongLong(PyObject *obj)
{
    uint64_t x;
    if (as_unsigned(obj, &x, "can't convert negative int to unsigned",
                    "int too big to convert") < 0) {
        return (unsigned long long)-1;
    }
    return x;
}

/* The value modulo 2**64 (two's complement for negatives). */
unsigned long long
PyLong_AsUnsignedLongLongMask(PyObject *obj)
{
    PyLongObject *v = as_index(obj);
    if (v == NULL) {
        return (unsigned long long)-1;
    }
    uint64_t x = 0;
    for (Py_ssize_t i = _PyLong_DigitCount(v); --i >= 0;) {
        x = (x << PyLong_SHIFT) | v->ob_digit[i];
    }
    if (v->ob_base.ob_size < 0) {
        x = 0 - x;
    }
    Py_DECREF(v);
    return x;
}

unsigned long
PyLong_AsUnsignedLongMask(PyObject *obj)
{
    return (unsigned long)PyLong_AsUnsignedLongLongMask(obj);
}

void *
PyLong_AsVoidPtr(PyObject *obj)
{
    if (PyLong_Check(obj) && ((PyLongObject *)obj)->ob_base.ob_size < 0) {
        return (void *)(intptr_t)PyLong_AsLongLong(obj);
    }
    return (void *)(uintptr_t)PyLong_AsUnsignedLongLong(obj);
}

int
_PyLong_Sign(PyObject *v)
{
    Py_ssize_t n = ((PyLongObject *)v)->ob_base.ob_size;
    return n < 0 ? -1 : (n > 0);
}

static int
bit_length_digit(digit d)
{
    return d == 0 ? 0 : 32 - __builtin_clz(d);
}

size_t
_PyLong_NumBits(PyObject *vv)
{
    PyLongObject *v = (PyLongObject *)vv;
    Py_ssize_t n = _PyLong_DigitCount(v);
    if (n == 0) {
        return 0;
    }
    return (size_t)(n - 1) * PyLong_SHIFT +
           (size_t)bit_length_digit(v->ob_digit[n - 1]);
}

/* The top 55 bits of |v| with every lower bit OR-ed into the last one
   (a sticky bit), and the shift: |v| ~ top * 2**shift.  Converting top
   to double then rounds exactly once, correctly. */
static uint64_t
top_bits_sticky(PyLongObject *v, int64_t *shift)
{
    size_t nbits = _PyLong_NumBits((PyObject *)v);
    Py_ssize_t n = _PyLong_DigitCount(v);
    if (nbits <= 64) {
        uint64_t x = 0;
        for (Py_ssize_t i = n; --i >= 0;) {
            x = (x << PyLong_SHIFT) | v->ob_digit[i];
        }
        *shift = 0;
        return x;
    }
    int64_t s = (int64_t)nbits - 55;
    /* Collect bits [s, nbits) and note whether any below s is set. */
    uint64_t x = 0;
    int sticky = 0;
    Py_ssize_t lowdig = (Py_ssize_t)(s / PyLong_SHIFT);
    int lowbit = (int)(s % PyLong_SHIFT);
    for (Py_ssize_t i = 0; i < lowdig; i++) {
        if (v->ob_digit[i]) {
            sticky = 1;
            break;
        }
    }
    if (v->ob_digit[lowdig] & (((digit)1 << lowbit) - 1)) {
        sticky = 1;
    }
    int have = 0;
    for (Py_ssize_t i = lowdig; i < n; i++) {
        uint64_t d = v->ob_digit[i];
        if (i == lowdig) {
            d >>= lowbit;
            x |= d;
            have = PyLong_SHIFT - lowbit;
        }
        else {
            x |= d << have;
            have += PyLong_SHIFT;
        }
    }
    *shift = s;
    return x | (uint64_t)sticky;
}

double
PyLong_AsDouble(PyObject *obj)
{
    if (obj == NULL) {
        PyErr_BadInternalCall();
        return -1.0;
    }
    if (!PyLong_Check(obj)) {
        PyErr_SetString(PyExc_TypeError, "an integer is required");
        return -1.0;
    }
    PyLongObject *v = (PyLongObject *)obj;
    if (_PyLong_IsCompact(v)) {
        return (double)_PyLong_CompactValue(v);
    }
    int64_t shift;
    uint64_t top = top_bits_sticky(v, &shift);
    if (shift > DBL_MAX_EXP) {
        goto overflow;
    }
    double x = ldexp((double)top, (int)shift);
    if (isinf(x)) {
        goto overflow;
    }
    return v->ob_base.ob_size < 0 ? -x : x;
overflow:
    PyErr_SetString(PyExc_OverflowError, "int too large to convert to float");
    return -1.0;
}

double
_PyLong_Frexp(PyLongObject *a, Py_ssize_t *e)
{
    if (a->ob_base.ob_size == 0) {
        *e = 0;
        return 0.0;
    }
    int64_t shift;
    uint64_t top = top_bits_sticky(a, &shift);
    int ex;
    double m = frexp((double)top, &ex);
    *e = (Py_ssize_t)(ex + shift);
    return a->ob_base.ob_size < 0 ? -m : m;
}

/* ------------------------------------------------------ comparison */

static int
mag_compare(const digit *a, Py_ssize_t na, const digit *b, Py_ssize_t nb)
{
    if (na != nb) {
        return na < nb ? -1 : 1;
    }
    for (Py_ssize_t i = na; --i >= 0;) {
        if (a[i] != b[i]) {
            return a[i] < b[i] ? -1 : 1;
        }
    }
    return 0;
}

int
_PyLong_Compare(PyObject *aa, PyObject *bb)
{
    PyLongObject *a = (PyLongObject *)aa, *b = (PyLongObject *)bb;
    Py_ssize_t sa = a->ob_base.ob_size, sb = b->ob_base.ob_size;
    if (sa != sb) {
        return sa < sb ? -1 : 1;
    }
    int c = mag_compare(a->ob_digit, _PyLong_DigitCount(a), b->ob_digit,
                        _PyLong_DigitCount(b));
    return sa < 0 ? -c : c;
}

/* ------------------------------------------------------ hashing */

/* The value modulo 2**61 - 1, sign applied, -1 mapped to -2; equal to the
   hash of an equal float or Fraction. */
Py_hash_t
_PyLong_Hash(PyObject *obj)
{
    PyLongObject *v = (PyLongObject *)obj;
    if (_PyLong_IsCompact(v)) {
        /* |v| < 2**30 < the modulus: the value itself. */
        Py_hash_t h = (Py_hash_t)_PyLong_CompactValue(v);
        return h == -1 ? -2 : h;
    }
    Py_ssize_t n = _PyLong_DigitCount(v);
    Py_uhash_t x = 0;
    for (Py_ssize_t i = n; --i >= 0;) {
        /* x * 2**30 mod P is a rotation of the 61-bit residue. */
        x = ((x << PyLong_SHIFT) & _PyHASH_MODULUS) |
            (x >> (_PyHASH_BITS - PyLong_SHIFT));
        x += v->ob_digit[i];
        if (x >= _PyHASH_MODULUS) {
            x -= _PyHASH_MODULUS;
        }
    }
    Py_hash_t h = (Py_hash_t)x;
    if (v->ob_base.ob_size < 0) {
        h = -h;
    }
    return h == -1 ? -2 : h;
}

/* ------------------------------------------------------ digit arrays */

/* z[0:nz] += a[0:na] (na <= nz); returns the carry out of z. */
static digit
d_add_into(digit *z, Py_ssize_t nz, const digit *a, Py_ssize_t na)
{
    digit carry = 0;
    Py_ssize_t i;
    for (i = 0; i < na; i++) {
        carry += z[i] + a[i];
        z[i] = carry & PyLong_MASK;
        carry >>= PyLong_SHIFT;
    }
    for (; carry && i < nz; i++) {
        carry += z[i];
        z[i] = carry & PyLong_MASK;
        carry >>= PyLong_SHIFT;
    }
    return carry;
}

/* z[0:nz] -= a[0:na] (na <= nz); returns the borrow out of z. */
static digit
d_sub_from(digit *z, Py_ssize_t nz, const digit *a, Py_ssize_t na)
{
    digit borrow = 0;
    Py_ssize_t i;
    for (i = 0; i < na; i++) {
        borrow = z[i] - a[i] - borrow;
        z[i] = borrow & PyLong_MASK;
        borrow = (borrow >> PyLong_SHIFT) & 1;
    }
    for (; borrow && i < nz; i++) {
        borrow = z[i] - borrow;
        z[i] = borrow & PyLong_MASK;
        borrow = (borrow >> PyLong_SHIFT) & 1;
    }
    return borrow;
}

/* out[0:na+nb] = a * b by the schoolbook method; out zeroed by caller. */
static void
d_mul_school(const digit *a, Py_ssize_t na, const digit *b, Py_ssize_t nb,
             digit *out)
{
    for (Py_ssize_t i = 0; i < na; i++) {
        twodigits f = a[i];
        if (f == 0) {
            continue;
        }
        twodigits carry = 0;
        digit *pz = out + i;
        for (Py_ssize_t j = 0; j < nb; j++) {
            carry += pz[j] + b[j] * f;
            pz[j] = (digit)(carry & PyLong_MASK);
            carry >>= PyLong_SHIFT;
        }
        for (Py_ssize_t k = nb; carry; k++) {
            carry += pz[k];
            pz[k] = (digit)(carry & PyLong_MASK);
            carry >>= PyLong_SHIFT;
        }
    }
}

static Py_ssize_t
d_strip(const digit *a, Py_ssize_t n)
{
    while (n > 0 && a[n - 1] == 0) {
        n--;
    }
    return n;
}

static int d_mul(const digit *a, Py_ssize_t na, const digit *b,
                 Py_ssize_t nb, digit *out);

/* a is much shorter than b: multiply a by slices of b of a's length. */
static int
d_mul_lopsided(const digit *a, Py_ssize_t na, const digit *b, Py_ssize_t nb,
               digit *out)
{
    digit *tmp = PyMem_Calloc((size_t)(2 * na), sizeof(digit));
    if (tmp == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t off = 0; off < nb; off += na) {
        Py_ssize_t nslice = Py_MIN(na, nb - off);
        memset(tmp, 0, (size_t)(na + nslice) * sizeof(digit));
        if (d_mul(a, na, b + off, nslice, tmp) < 0) {
            PyMem_Free(tmp);
            return -1;
        }
        d_add_into(out + off, na + nb - off, tmp, na + nslice);
    }
    PyMem_Free(tmp);
    return 0;
}

/* Karatsuba: with s = nb / 2, a = ah*B**s + al and b = bh*B**s + bl,
   a*b = z2*B**2s + (z1 - z2 - z0)*B**s + z0 where z0 = al*bl,
   z2 = ah*bh, z1 = (al + ah)*(bl + bh).  Requires s < na <= nb. */
static int
d_mul_karatsuba(const digit *a, Py_ssize_t na, const digit *b,
                Py_ssize_t nb, digit *out)
{
    Py_ssize_t s = nb / 2;
    Py_ssize_t n_ah = na - s, n_bh = nb - s;
    Py_ssize_t n_al = d_strip(a, s), n_bl = d_strip(b, s);
    /* z0 into out[0:2s], z2 into out[2s:na+nb]; they do not overlap. */
    if (d_mul(a, n_al, b, n_bl, out) < 0 ||
        d_mul(a + s, n_ah, b + s, n_bh, out + 2 * s) < 0) {
        return -1;
    }
    Py_ssize_t n1 = Py_MAX(s, n_ah) + 1, n2 = Py_MAX(s, n_bh) + 1;
    digit *t1 = PyMem_Calloc((size_t)(n1 + n2 + n1 + n2), sizeof(digit));
    if (t1 == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    digit *t2 = t1 + n1, *z1 = t2 + n2;
    memcpy(t1, a + s, (size_t)n_ah * sizeof(digit));
    d_add_into(t1, n1, a, n_al);
    memcpy(t2, b + s, (size_t)n_bh * sizeof(digit));
    d_add_into(t2, n2, b, n_bl);
    Py_ssize_t m1 = d_strip(t1, n1), m2 = d_strip(t2, n2);
    if (d_mul(t1, m1, t2, m2, z1) < 0) {
        PyMem_Free(t1);
        return -1;
    }
    Py_ssize_t nz1 = n1 + n2;
    d_sub_from(z1, nz1, out, d_strip(out, 2 * s));
    d_sub_from(z1, nz1, out + 2 * s, d_strip(out + 2 * s, n_ah + n_bh));
    nz1 = d_strip(z1, nz1);
    d_add_into(out + s, na + nb - s, z1, nz1);
    PyMem_Free(t1);
    return 0;
}

/* out[0:na+nb] = a * b; out must be zeroed. */
static int
d_mul(const digit *a, Py_ssize_t na, const digit *b, Py_ssize_t nb,
      digit *out)
{
    if (na > nb) {
        const digit *t = a;
        a = b;
        b = t;
        Py_ssize_t tn = na;
        na = nb;
        nb = tn;
    }
    if (na == 0) {
        return 0;
    }
    if (na < _PyLong_KARATSUBA_CUTOFF) {
        d_mul_school(a, na, b, nb, out);
        return 0;
    }
    if (2 * na <= nb) {
        return d_mul_lopsided(a, na, b, nb, out);
    }
    return d_mul_karatsuba(a, na, b, nb, out);
}

/* |a| * |b| as a new int with the given sign. */
static PyLongObject *
mag_mul(PyLongObject *a, PyLongObject *b, int negative)
{
    Py_ssize_t na = _PyLong_DigitCount(a), nb = _PyLong_DigitCount(b);
    PyLongObject *z = _PyLong_New(na + nb);
    if (z == NULL) {
        return NULL;
    }
    memset(z->ob_digit, 0, (size_t)(na + nb) * sizeof(digit));
    if (d_mul(a->ob_digit, na, b->ob_digit, nb, z->ob_digit) < 0) {
        Py_DECREF(z);
        return NULL;
    }
    if (negative) {
        z->ob_base.ob_size = -z->ob_base.ob_size;
    }
    return long_normalize(z);
}

/* a[0:n] / d in place (q written to q); returns the remainder. */
static digit
d_divrem1(digit *q, const digit *a, Py_ssize_t n, digit d)
{
    twodigits rem = 0;
    for (Py_ssize_t i = n; --i >= 0;) {
        rem = (rem << PyLong_SHIFT) | a[i];
        digit hi = (digit)(rem / d);
        q[i] = hi;
        rem -= (twodigits)hi * d;
    }
    return (digit)rem;
}

/* Shifts a[0:n] left by 0 <= d < 30 bits into z[0:n]; returns the carry
   out (the bits shifted past the top). */
static digit
d_lshift(digit *z, const digit *a, Py_ssize_t n, int d)
{
    digit carry = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        twodigits acc = ((twodigits)a[i] << d) | carry;
        z[i] = (digit)acc & PyLong_MASK;
        carry = (digit)(acc >> PyLong_SHIFT);
    }
    return carry;
}

/* Shifts a[0:n] right by 0 <= d < 30 bits into z; returns the bits
   shifted out. */
static digit
d_rshift(digit *z, const digit *a, Py_ssize_t n, int d)
{
    digit carry = 0;
    digit mask = ((digit)1 << d) - 1;
    for (Py_ssize_t i = n; --i >= 0;) {
        twodigits acc = ((twodigits)carry << PyLong_SHIFT) | a[i];
        carry = (digit)acc & mask;
        z[i] = (digit)(acc >> d);
    }
    return carry;
}

/* Knuth's algorithm D: |v| divided by |w| (w has >= 2 digits, |v| >= |w|).
   New quotient and remainder magnitudes (non-negative). */
static int
mag_divrem_knuth(PyLongObject *v1, PyLongObject *w1, PyLongObject **pq,
                 PyLongObject **pr)
{
    Py_ssize_t size_v = _PyLong_DigitCount(v1);
    Py_ssize_t size_w = _PyLong_DigitCount(w1);
    PyLongObject *v = _PyLong_New(size_v + 1);
    PyLongObject *w = _PyLong_New(size_w);
    if (v == NULL || w == NULL) {
        Py_XDECREF(v);
        Py_XDECREF(w);
        return -1;
    }
    /* Normalise so the divisor's top digit has its top bit set. */
    int d = PyLong_SHIFT - bit_length_digit(w1->ob_digit[size_w - 1]);
    d_lshift(w->ob_digit, w1->ob_digit, size_w, d);
    digit carry = d_lshift(v->ob_digit, v1->ob_digit, size_v, d);
    if (carry != 0 || v->ob_digit[size_v - 1] >= w->ob_digit[size_w - 1]) {
        v->ob_digit[size_v] = carry;
        size_v++;
    }
    Py_ssize_t k = size_v - size_w;
    PyLongObject *a = _PyLong_New(k);
    if (a == NULL) {
        Py_DECREF(v);
        Py_DECREF(w);
        return -1;
    }
    digit *v0 = v->ob_digit, *w0 = w->ob_digit;
    digit wm1 = w0[size_w - 1], wm2 = w0[size_w - 2];
    for (digit *vk = v0 + k, *ak = a->ob_digit + k; vk-- > v0;) {
        /* Estimate the quotient digit from the top two digits of the
           current remainder, then correct it (at most twice). */
        digit vtop = vk[size_w];
        twodigits vv = ((twodigits)vtop << PyLong_SHIFT) | vk[size_w - 1];
        digit q = (digit)(vv / wm1);
        digit r = (digit)(vv - (twodigits)wm1 * q);
        while ((twodigits)wm2 * q >
               (((twodigits)r << PyLong_SHIFT) | vk[size_w - 2])) {
            --q;
            r += wm1;
            if (r >= PyLong_BASE) {
                break;
            }
        }
        /* Subtract q * w from the window vk[0:size_w+1]. */
        stwodigits zhi = 0;
        for (Py_ssize_t i = 0; i < size_w; i++) {
            stwodigits z = (sdigit)vk[i] + zhi -
                           (stwodigits)q * (stwodigits)w0[i];
            vk[i] = (digit)z & PyLong_MASK;
            zhi = z >> PyLong_SHIFT;     /* arithmetic shift */
        }
        if ((sdigit)vtop + zhi < 0) {
            /* q was one too large: add w back. */
            digit c = 0;
            for (Py_ssize_t i = 0; i < size_w; i++) {
                c += vk[i] + w0[i];
                vk[i] = c & PyLong_MASK;
                c >>= PyLong_SHIFT;
            }
            --q;
        }
        *--ak = q;
    }
    /* The remainder is v0[0:size_w] shifted back. */
    d_rshift(w->ob_digit, v0, size_w, d);
    Py_DECREF(v);
    *pq = long_normalize(a);
    *pr = long_normalize(w);
    return 0;
}

/* Truncated division of magnitudes: |a| = q*|b| + r; q, r >= 0 (new). */
static int
mag_divrem(PyLongObject *a, PyLongObject *b, PyLongObject **pq,
           PyLongObject **pr)
{
    Py_ssize_t na = _PyLong_DigitCount(a), nb = _PyLong_DigitCount(b);
    if (nb == 0) {
        PyErr_SetString(PyExc_ZeroDivisionError,
                        "integer division or modulo by zero");
        return -1;
    }
    if (na < nb || (na == nb && a->ob_digit[na - 1] < b->ob_digit[nb - 1])) {
        *pq = (PyLongObject *)_PyLong_New(0);
        if (*pq == NULL) {
            return -1;
        }
        *pr = _PyLong_New(na);
        if (*pr == NULL) {
            Py_CLEAR(*pq);
            return -1;
        }
        memcpy((*pr)->ob_digit, a->ob_digit, (size_t)na * sizeof(digit));
        return 0;
    }
    if (nb == 1) {
        PyLongObject *q = _PyLong_New(na);
        if (q == NULL) {
            return -1;
        }
        digit rem = d_divrem1(q->ob_digit, a->ob_digit, na, b->ob_digit[0]);
        PyLongObject *r = _PyLong_New(1);
        if (r == NULL) {
            Py_DECREF(q);
            return -1;
        }
        r->ob_digit[0] = rem;
        r->ob_base.ob_size = rem != 0;
        *pq = long_normalize(q);
        *pr = r;
        return 0;
    }
    return mag_divrem_knuth(a, b, pq, pr);
}

/* ------------------------------------------------------ signed ops */

/* |a| + |b| (new, non-negative). */
static PyLongObject *
mag_add(PyLongObject *a, PyLongObject *b)
{
    Py_ssize_t na = _PyLong_DigitCount(a), nb = _PyLong_DigitCount(b);
    if (na < nb) {
        PyLongObject *t = a;
        a = b;
        b = t;
        Py_ssize_t tn = na;
        na = nb;
        nb = tn;
    }
    PyLongObject *z = _PyLong_New(na + 1);
    if (z == NULL) {
        return NULL;
    }
    memcpy(z->ob_digit, a->ob_digit, (size_t)na * sizeof(digit));
    z->ob_digit[na] = d_add_into(z->ob_digit, na, b->ob_digit, nb);
    return long_normalize(z);
}

/* |a| - |b| (new, with the sign of the difference). */
static PyLongObject *
mag_sub(PyLongObject *a, PyLongObject *b)
{
    Py_ssize_t na = _PyLong_DigitCount(a), nb = _PyLong_DigitCount(b);
    int sign = 1;
    int c = mag_compare(a->ob_digit, na, b->ob_digit, nb);
    if (c == 0) {
        return _PyLong_New(0);
    }
    if (c < 0) {
        PyLongObject *t = a;
        a = b;
        b = t;
        Py_ssize_t tn = na;
        na = nb;
        nb = tn;
        sign = -1;
    }
    PyLongObject *z = _PyLong_New(na);
    if (z == NULL) {
        return NULL;
    }
    memcpy(z->ob_digit, a->ob_digit, (size_t)na * sizeof(digit));
    d_sub_from(z->ob_digit, na, b->ob_digit, nb);
    long_normalize(z);
    if (sign < 0) {
        z->ob_base.ob_size = -z->ob_base.ob_size;
    }
    return z;
}

static inline void
negate_inplace(PyLongObject *z)
{
    z->ob_base.ob_size = -z->ob_base.ob_size;
}

PyObject *
_PyLong_Add(PyLongObject *a, PyLongObject *b)
{
    if (_PyLong_IsCompact(a) && _PyLong_IsCompact(b)) {
        return PyLong_FromLongLong(_PyLong_CompactValue(a) +
                                   _PyLong_CompactValue(b));
    }
    PyLongObject *z;
    if (a->ob_base.ob_size < 0) {
        if (b->ob_base.ob_size < 0) {
            z = mag_add(a, b);
            if (z != NULL) {
                negate_inplace(z);
            }
        }
        else {
            z = mag_sub(b, a);
        }
    }
    else {
        z = b->ob_base.ob_size < 0 ? mag_sub(a, b) : mag_add(a, b);
    }
    return maybe_small(z);
}

PyObject *
_PyLong_Subtract(PyLongObject *a, PyLongObject *b)
{
    if (_PyLong_IsCompact(a) && _PyLong_IsCompact(b)) {
        return PyLong_FromLongLong(_PyLong_CompactValue(a) -
                                   _PyLong_CompactValue(b));
    }
    PyLongObject *z;
    if (a->ob_base.ob_size < 0) {
        if (b->ob_base.ob_size < 0) {
            z = mag_sub(b, a);
        }
        else {
            z = mag_add(a, b);
            if (z != NULL) {
                negate_inplace(z);
            }
        }
    }
    else {
        z = b->ob_base.ob_size < 0 ? mag_add(a, b) : mag_sub(a, b);
    }
    return maybe_small(z);
}

PyObject *
_PyLong_Multiply(PyLongObject *a, PyLongObject *b)
{
    if (_PyLong_IsCompact(a) && _PyLong_IsCompact(b)) {
        return PyLong_FromLongLong(_PyLong_CompactValue(a) *
                                   _PyLong_CompactValue(b));
    }
    int neg = (a->ob_base.ob_size < 0) != (b->ob_base.ob_size < 0);
    return maybe_small(mag_mul(a, b, neg));
}

/* Floor division with modulo (Python semantics: the remainder has the
   divisor's sign).  Either output pointer may be NULL. */
static int
long_divmod_floor(PyLongObject *a, PyLongObject *b, PyLongObject **pdiv,
                  PyLongObject **pmod)
{
    PyLongObject *q, *r;
    if (mag_divrem(a, b, &q, &r) < 0) {
        return -1;
    }
    int neg_a = a->ob_base.ob_size < 0, neg_b = b->ob_base.ob_size < 0;
    if (neg_a != neg_b) {
        negate_inplace(q);
    }
    if (neg_a) {
        negate_inplace(r);
    }
    /* Truncated -> floored: adjust when the remainder's sign differs. */
    if (r->ob_base.ob_size != 0 && neg_a != neg_b) {
        PyLongObject *r2 = (PyLongObject *)_PyLong_Add(r, b);
        Py_DECREF(r);
        if (r2 == NULL) {
            Py_DECREF(q);
            return -1;
        }
        r = r2;
        PyLongObject *q2 = (PyLongObject *)_PyLong_Subtract(
            q, (PyLongObject *)_PyLong_GetOne());
        Py_DECREF(q);
        if (q2 == NULL) {
            Py_DECREF(r);
            return -1;
        }
        q = q2;
    }
    if (pdiv) {
        *pdiv = (PyLongObject *)maybe_small(q);
    }
    else {
        Py_DECREF(q);
    }
    if (pmod) {
        *pmod = (PyLongObject *)maybe_small(r);
    }
    else {
        Py_DECREF(r);
    }
    return 0;
}

static int
check_zero_div(PyLongObject *b, const char *msg)
{
    if (b->ob_base.ob_size == 0) {
        PyErr_SetString(PyExc_ZeroDivisionError, msg);
        return -1;
    }
    return 0;
}

/* C-style floor division and modulo of two C values. */
static inline stwodigits
floordiv_small(stwodigits a, stwodigits b)
{
    stwodigits q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) {
        q--;
    }
    return q;
}

static inline stwodigits
mod_small(stwodigits a, stwodigits b)
{
    stwodigits r = a % b;
    if (r != 0 && ((r < 0) != (b < 0))) {
        r += b;
    }
    return r;
}

PyObject *
_PyLong_FloorDiv(PyObject *aa, PyObject *bb)
{
    PyLongObject *a = (PyLongObject *)aa, *b = (PyLongObject *)bb;
    if (check_zero_div(b, "integer division or modulo by zero") < 0) {
        return NULL;
    }
    if (_PyLong_IsCompact(a) && _PyLong_IsCompact(b)) {
        return PyLong_FromLongLong(floordiv_small(_PyLong_CompactValue(a),
                                                  _PyLong_CompactValue(b)));
    }
    PyLongObject *q;
    if (long_divmod_floor(a, b, &q, NULL) < 0) {
        return NULL;
    }
    return (PyObject *)q;
}

PyObject *
_PyLong_Mod(PyObject *aa, PyObject *bb)
{
    PyLongObject *a = (PyLongObject *)aa, *b = (PyLongObject *)bb;
    if (check_zero_div(b, "integer modulo by zero") < 0) {
        return NULL;
    }
    if (_PyLong_IsCompact(a) && _PyLong_IsCompact(b)) {
        return PyLong_FromLongLong(mod_small(_PyLong_CompactValue(a),
                                             _PyLong_CompactValue(b)));
    }
    PyLongObject *r;
    if (long_divmod_floor(a, b, NULL, &r) < 0) {
        return NULL;
    }
    return (PyObject *)r;
}

PyObject *
_PyLong_Divmod(PyObject *aa, PyObject *bb)
{
    PyLongObject *a = (PyLongObject *)aa, *b = (PyLongObject *)bb;
    if (check_zero_div(b, "integer division or modulo by zero") < 0) {
        return NULL;
    }
    PyLongObject *q, *r;
    if (_PyLong_IsCompact(a) && _PyLong_IsCompact(b)) {
        stwodigits x = _PyLong_CompactValue(a), y = _PyLong_CompactValue(b);
        q = (PyLongObject *)PyLong_FromLongLong(floordiv_small(x, y));
        r = (PyLongObject *)PyLong_FromLongLong(mod_small(x, y));
        if (q == NULL || r == NULL) {
            Py_XDECREF(q);
            Py_XDECREF(r);
            return NULL;
        }
    }
    else if (long_divmod_floor(a, b, &q, &r) < 0) {
        return NULL;
    }
    PyObject *t = PyTuple_New(2);
    if (t == NULL) {
        Py_DECREF(q);
        Py_DECREF(r);
        return NULL;
    }
    PyTuple_SET_ITEM(t, 0, (PyObject *)q);
    PyTuple_SET_ITEM(t, 1, (PyObject *)r);
    return t;
}

/* Exported helpers for the other int files. */
PyObject *
_PyLong_MagDivrem(PyObject *a, PyObject *b, PyObject **pr)
{
    PyLongObject *q, *r;
    if (mag_divrem((PyLongObject *)a, (PyLongObject *)b, &q, &r) < 0) {
        return NULL;
    }
    *pr = (PyObject *)r;
    return (PyObject *)q;
}

PyObject *
_PyLong_Negate(PyObject *v)
{
    PyLongObject *a = (PyLongObject *)v;
    if (_PyLong_IsCompact(a)) {
        return PyLong_FromLongLong(-_PyLong_CompactValue(a));
    }
    PyLongObject *z = (PyLongObject *)_PyLong_Copy(a);
    if (z != NULL) {
        negate_inplace(z);
    }
    return (PyObject *)z;
}

PyObject *
_PyLong_Abs(PyObject *v)
{
    if (((PyLongObject *)v)->ob_base.ob_size < 0) {
        return _PyLong_Negate(v);
    }
    return _PyLong_Copy((PyLongObject *)v);
}

/* ------------------------------------------------------ shifts */

PyObject *
_PyLong_Lshift(PyObject *av, size_t shiftby)
{
    PyLongObject *a = (PyLongObject *)av;
    Py_ssize_t na = _PyLong_DigitCount(a);
    if (na == 0 || shiftby == 0) {
        return _PyLong_Copy(a);
    }
    size_t wordshift = shiftby / PyLong_SHIFT;
    int remshift = (int)(shiftby % PyLong_SHIFT);
    if (wordshift > (size_t)(PY_SSIZE_T_MAX / sizeof(digit)) - na - 1) {
        return PyErr_NoMemory();
    }
    Py_ssize_t nz = na + (Py_ssize_t)wordshift + 1;
    PyLongObject *z = _PyLong_New(nz);
    if (z == NULL) {
        return NULL;
    }
    memset(z->ob_digit, 0, wordshift * sizeof(digit));
    z->ob_digit[nz - 1] = d_lshift(z->ob_digit + wordshift, a->ob_digit, na,
                                   remshift);
    if (a->ob_base.ob_size < 0) {
        negate_inplace(z);
    }
    return maybe_small(long_normalize(z));
}

PyObject *
_PyLong_Rshift(PyObject *av, size_t shiftby)
{
    PyLongObject *a = (PyLongObject *)av;
    Py_ssize_t na = _PyLong_DigitCount(a);
    size_t wordshift = shiftby / PyLong_SHIFT;
    int remshift = (int)(shiftby % PyLong_SHIFT);
    int neg = a->ob_base.ob_size < 0;
    if ((size_t)na <= wordshift) {
        return _PyLong_GetSmallInt(neg ? -1 : 0);
    }
    Py_ssize_t nz = na - (Py_ssize_t)wordshift;
    PyLongObject *z = _PyLong_New(nz);
    if (z == NULL) {
        return NULL;
    }
    digit lost = d_rshift(z->ob_digit, a->ob_digit + wordshift, nz,
                          remshift);
    if (neg) {
        /* Floor: round toward -inf when any 1 bit was shifted out. */
        int inexact = lost != 0;
        for (size_t i = 0; !inexact && i < wordshift; i++) {
            inexact = a->ob_digit[i] != 0;
        }
        negate_inplace(z);
        long_normalize(z);
        if (inexact) {
            PyObject *z2 = _PyLong_Subtract(
                z, (PyLongObject *)_PyLong_GetOne());
            Py_DECREF(z);
            return z2;
        }
        return maybe_small(z);
    }
    return maybe_small(long_normalize(z));
}

/* ------------------------------------------------------ bitwise */

/* The digits of a in two's complement over n digits (n > |a| digits),
   plus the sign-extension digit (0 or MASK). */
static void
twos_complement(PyLongObject *a, digit *out, Py_ssize_t n, digit *ext)
{
    Py_ssize_t na = _PyLong_DigitCount(a);
    memcpy(out, a->ob_digit, (size_t)na * sizeof(digit));
    memset(out + na, 0, (size_t)(n - na) * sizeof(digit));
    if (a->ob_base.ob_size >= 0) {
        *ext = 0;
        return;
    }
    /* -m == ~(m - 1) */
    digit borrow = 1;
    for (Py_ssize_t i = 0; i < n; i++) {
        digit d = out[i] - borrow;
        borrow = (d >> PyLong_SHIFT) & 1;
        out[i] = (~d) & PyLong_MASK;
    }
    *ext = PyLong_MASK;
}

PyObject *
_PyLong_Bitwise(PyObject *av, char op, PyObject *bv)
{
    PyLongObject *a = (PyLongObject *)av, *b = (PyLongObject *)bv;
    if (_PyLong_IsCompact(a) && _PyLong_IsCompact(b)) {
        stwodigits x = _PyLong_CompactValue(a), y = _PyLong_CompactValue(b);
        return PyLong_FromLongLong(op == '&' ? (x & y) :
                                   op == '|' ? (x | y) : (x ^ y));
    }
    Py_ssize_t n = Py_MAX(_PyLong_DigitCount(a), _PyLong_DigitCount(b)) + 1;
    PyLongObject *z = _PyLong_New(n);
    digit *tb = PyMem_Malloc((size_t)n * sizeof(digit));
    if (z == NULL || tb == NULL) {
        Py_XDECREF(z);
        PyMem_Free(tb);
        return PyErr_NoMemory();
    }
    digit ea, eb, ez;
    twos_complement(a, z->ob_digit, n, &ea);
    twos_complement(b, tb, n, &eb);
    for (Py_ssize_t i = 0; i < n; i++) {
        digit x = z->ob_digit[i], y = tb[i];
        z->ob_digit[i] = op == '&' ? (x & y) : op == '|' ? (x | y) : (x ^ y);
    }
    ez = op == '&' ? (ea & eb) : op == '|' ? (ea | eb) : (ea ^ eb);
    PyMem_Free(tb);
    if (ez) {
        /* Negative: magnitude = ~z + 1. */
        digit carry = 1;
        for (Py_ssize_t i = 0; i < n; i++) {
            carry += (~z->ob_digit[i]) & PyLong_MASK;
            z->ob_digit[i] = carry & PyLong_MASK;
            carry >>= PyLong_SHIFT;
        }
        z->ob_base.ob_size = -n;
    }
    return maybe_small(long_normalize(z));
}

PyObject *
_PyLong_Invert(PyObject *v)
{
    /* ~x == -(x + 1) */
    PyObject *t = _PyLong_Add((PyLongObject *)v,
                              (PyLongObject *)_PyLong_GetOne());
    if (t == NULL) {
        return NULL;
    }
    PyObject *r = _PyLong_Negate(t);
    Py_DECREF(t);
    return r;
}

/* ------------------------------------------------------ byte arrays */

PyObject *
_PyLong_FromByteArray(const unsigned char *bytes, size_t n,
                      int little_endian, int is_signed)
{
    if (n == 0) {
        return _PyLong_GetZero();
    }
    int negative = is_signed &&
                   (bytes[little_endian ? n - 1 : 0] & 0x80) != 0;
    if (n > (size_t)PY_SSIZE_T_MAX / 8) {
        PyErr_SetString(PyExc_OverflowError,
                        "byte array too long to convert to int");
        return NULL;
    }
    Py_ssize_t ndigits = (Py_ssize_t)((n * 8 + PyLong_SHIFT - 1) /
                                      PyLong_SHIFT);
    PyLongObject *v = _PyLong_New(ndigits);
    if (v == NULL) {
        return NULL;
    }
    /* Read bytes from least significant, complementing negatives
       (two's complement: magnitude = ~bytes + 1). */
    twodigits acc = 0;
    int accbits = 0;
    Py_ssize_t idig = 0;
    unsigned int carry = 1;
    for (size_t i = 0; i < n; i++) {
        unsigned int b = bytes[little_endian ? i : n - 1 - i];
        if (negative) {
            b = (b ^ 0xFF) + carry;
            carry = b >> 8;
            b &= 0xFF;
        }
        acc |= (twodigits)b << accbits;
        accbits += 8;
        if (accbits >= PyLong_SHIFT) {
            v->ob_digit[idig++] = (digit)(acc & PyLong_MASK);
            acc >>= PyLong_SHIFT;
            accbits -= PyLong_SHIFT;
        }
    }
    if (accbits > 0 && idig < ndigits) {
        v->ob_digit[idig++] = (digit)acc;
    }
    while (idig < ndigits) {
        v->ob_digit[idig++] = 0;
    }
    if (negative) {
        negate_inplace(v);
    }
    return maybe_small(long_normalize(v));
}

int
_PyLong_AsByteArray(PyLongObject *v, unsigned char *bytes, size_t n,
                    int little_endian, int is_signed)
{
    int negative = v->ob_base.ob_size < 0;
    if (negative && !is_signed) {
        PyErr_SetString(PyExc_OverflowError,
                        "can't convert negative int to unsigned");
        return -1;
    }
    Py_ssize_t nd = _PyLong_DigitCount(v);
    twodigits acc = 0;
    int accbits = 0;
    unsigned int carry = 1;
    size_t j = 0;
    for (Py_ssize_t i = 0; i < nd || accbits > 0; ) {
        if (accbits < 8 && i < nd) {
            acc |= (twodigits)v->ob_digit[i++] << accbits;
            accbits += PyLong_SHIFT;
            continue;
        }
        unsigned int b = (unsigned int)(acc & 0xFF);
        acc >>= 8;
        accbits -= 8;
        if (accbits < 0) {
            accbits = 0;
        }
        if (negative) {
            b = (b ^ 0xFF) + carry;
            carry = b >> 8;
            b &= 0xFF;
        }
        if (j >= n) {
            /* Leftover bytes must be pure sign extension. */
            if (b != (negative ? 0xFFu : 0u)) {
                goto overflow;
            }
        }
        else {
            bytes[little_endian ? j : n - 1 - j] = (unsigned char)b;
        }
        j++;
    }
    for (; j < n; j++) {
        bytes[little_endian ? j : n - 1 - j] = negative ? 0xFF : 0;
    }
    if (n > 0 && is_signed) {
        unsigned char top = bytes[little_endian ? n - 1 : 0];
        if (((top & 0x80) != 0) != negative) {
            goto overflow;
        }
    }
    else if (n == 0 && nd != 0) {
        goto overflow;
    }
    return 0;
overflow:
    PyErr_SetString(PyExc_OverflowError, "int too big to convert");
    return -1;
}

/* ------------------------------------------------------ true division */

/* a / b correctly rounded (round-half-even) to a double.  With
   s chosen so that q = floor(|a| * 2**s / |b|) has 55 or 56 bits (fewer
   near the subnormal range, where s stops at 1076 = 1074 + 2 guard bits),
   (double)(q | sticky) rounds once and ldexp scales exactly. */
double
_PyLong_TrueDivideDouble(PyObject *av, PyObject *bv)
{
    PyLongObject *a = (PyLongObject *)av, *b = (PyLongObject *)bv;
    if (b->ob_base.ob_size == 0) {
        PyErr_SetString(PyExc_ZeroDivisionError, "division by zero");
        return -1.0;
    }
    int neg = (a->ob_base.ob_size < 0) != (b->ob_base.ob_size < 0);
    if (a->ob_base.ob_size == 0) {
        return neg ? -0.0 : 0.0;
    }
    size_t na = _PyLong_NumBits(av), nb = _PyLong_NumBits(bv);
    if (na <= 53 && nb <= 53) {
        return PyLong_AsDouble(av) / PyLong_AsDouble(bv);
    }
    int64_t diff = (int64_t)na - (int64_t)nb;
    if (diff > DBL_MAX_EXP + 1) {
        goto overflow;
    }
    int64_t s = 55 - diff;
    if (s > 1076) {
        s = 1076;
    }
    PyObject *num, *den;
    PyObject *aabs = _PyLong_Abs(av), *babs = _PyLong_Abs(bv);
    if (aabs == NULL || babs == NULL) {
        Py_XDECREF(aabs);
        Py_XDECREF(babs);
        return -1.0;
    }
    if (s >= 0) {
        num = _PyLong_Lshift(aabs, (size_t)s);
        den = Py_NewRef(babs);
    }
    else {
        num = Py_NewRef(aabs);
        den = _PyLong_Lshift(babs, (size_t)-s);
    }
    Py_DECREF(aabs);
    Py_DECREF(babs);
    if (num == NULL || den == NULL) {
        Py_XDECREF(num);
        Py_XDECREF(den);
        return -1.0;
    }
    PyObject *rem;
    PyObject *q = _PyLong_MagDivrem(num, den, &rem);
    Py_DECREF(num);
    Py_DECREF(den);
    if (q == NULL) {
        return -1.0;
    }
    uint64_t qv;
    int sticky = ((PyLongObject *)rem)->ob_base.ob_size != 0;
    Py_DECREF(rem);
    if (magnitude_u64((PyLongObject *)q, &qv) < 0) {
        Py_DECREF(q);
        PyErr_SetString(PyExc_SystemError, "true division lost precision");
        return -1.0;
    }
    Py_DECREF(q);
    double x = ldexp((double)(qv | (uint64_t)sticky), (int)-s);
    if (isinf(x)) {
        goto overflow;
    }
    return neg ? -x : x;
overflow:
    PyErr_SetString(PyExc_OverflowError,
                    "integer division result too large for a float");
    return -1.0;
}

/* ------------------------------------------------------ max str digits */

/* sys.set_int_max_str_digits(): an atomic int, read on every conversion. */
static int max_str_digits = _PY_LONG_DEFAULT_MAX_STR_DIGITS;

int
_PyLong_GetMaxStrDigits(void)
{
    return _Py_atomic_load_int_relaxed(&max_str_digits);
}

int
_PyLong_SetMaxStrDigits(int maxdigits)
{
    if (maxdigits != 0 && maxdigits < _PY_LONG_MAX_STR_DIGITS_THRESHOLD) {
        PyErr_Format(PyExc_ValueError,
                     "maxdigits must be 0 or larger than %d",
                     _PY_LONG_MAX_STR_DIGITS_THRESHOLD);
        return -1;
    }
    _Py_atomic_store_int_relaxed(&max_str_digits, maxdigits);
    return 0;
}
