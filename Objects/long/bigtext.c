/* Decimal conversions of huge ints in less than quadratic time.
 *
 * int -> str: split the 30-bit digits in two at a power-of-two count l,
 * convert both halves recursively to base-10**9 limbs, and combine them
 * as hi * 2**(30*l) + lo in base 10**9, with 2**(30*l) in base 10**9
 * computed by repeated squaring.  Only multiplications are needed
 * (schoolbook below a cutoff, Karatsuba above), so the cost is
 * O(M(n) log n).
 *
 * str -> int: split the decimal digits at 9 * 2**j from the right and
 * combine as hi * 10**(9 * 2**j) + lo with the binary Karatsuba
 * multiplication of longobject.c, powers of ten again by squaring.
 *
 * Below the cutoffs (in text.c) the quadratic loops are faster.  Nothing
 * here is shared between threads: power tables live for one call. */
#include "Python.h"
#include "pycore_long.h"

#define DBASE 1000000000u       /* one limb holds 9 decimal digits */

/* ------------------------------------------------------ base 10**9 */

typedef struct {
    uint32_t *d;        /* little-endian limbs, PyMem */
    Py_ssize_t n;       /* limbs in use (no leading zero limb) */
} declimbs;

static void
dl_free(declimbs *x)
{
    PyMem_Free(x->d);
    x->d = NULL;
    x->n = 0;
}

static Py_ssize_t
dl_strip(const uint32_t *a, Py_ssize_t n)
{
    while (n > 0 && a[n - 1] == 0) {
        n--;
    }
    return n;
}

/* z[0:nz] += a[0:na] (na <= nz); returns the carry out. */
static uint32_t
dl_add_into(uint32_t *z, Py_ssize_t nz, const uint32_t *a, Py_ssize_t na)
{
    uint32_t carry = 0;
    Py_ssize_t i;
    for (i = 0; i < na; i++) {
        uint32_t t = z[i] + a[i] + carry;
        carry = t >= DBASE;
        z[i] = carry ? t - DBASE : t;
    }
    for (; carry && i < nz; i++) {
        uint32_t t = z[i] + 1;
        carry = t >= DBASE;
        z[i] = carry ? 0 : t;
    }
    return carry;
}

/* z[0:nz] -= a[0:na] (na <= nz, z >= a). */
static void
dl_sub_from(uint32_t *z, Py_ssize_t nz, const uint32_t *a, Py_ssize_t na)
{
    uint32_t borrow = 0;
    Py_ssize_t i;
    for (i = 0; i < na; i++) {
        uint32_t sub = a[i] + borrow;
        borrow = z[i] < sub;
        z[i] = borrow ? z[i] + DBASE - sub : z[i] - sub;
    }
    for (; borrow && i < nz; i++) {
        borrow = z[i] == 0;
        z[i] = borrow ? DBASE - 1 : z[i] - 1;
    }
}

/* out[0:na+nb] = a * b, out zeroed. */
static void
dl_mul_school(const uint32_t *a, Py_ssize_t na, const uint32_t *b,
              Py_ssize_t nb, uint32_t *out)
{
    for (Py_ssize_t i = 0; i < na; i++) {
        uint64_t ai = a[i];
        if (ai == 0) {
            continue;
        }
        uint64_t carry = 0;
        uint32_t *pz = out + i;
        for (Py_ssize_t j = 0; j < nb; j++) {
            uint64_t t = pz[j] + ai * b[j] + carry;
            carry = t / DBASE;
            pz[j] = (uint32_t)(t - carry * DBASE);
        }
        for (Py_ssize_t k = nb; carry; k++) {
            uint64_t t = pz[k] + carry;
            carry = t / DBASE;
            pz[k] = (uint32_t)(t - carry * DBASE);
        }
    }
}

#define DL_KARATSUBA_CUTOFF 48

static int dl_mul(const uint32_t *a, Py_ssize_t na, const uint32_t *b,
                  Py_ssize_t nb, uint32_t *out);

/* Karatsuba in base 10**9, the same scheme as d_mul_karatsuba in
   longobject.c: s = nb / 2 < na <= nb. */
static int
dl_mul_karatsuba(const uint32_t *a, Py_ssize_t na, const uint32_t *b,
                 Py_ssize_t nb, uint32_t *out)
{
    Py_ssize_t s = nb / 2;
    Py_ssize_t n_ah = na - s, n_bh = nb - s;
    Py_ssize_t n_al = dl_strip(a, s), n_bl = dl_strip(b, s);
    if (dl_mul(a, n_al, b, n_bl, out) < 0 ||
        dl_mul(a + s, n_ah, b + s, n_bh, out + 2 * s) < 0) {
        return -1;
    }
    Py_ssize_t n1 = Py_MAX(s, n_ah) + 1, n2 = Py_MAX(s, n_bh) + 1;
    uint32_t *t1 = PyMem_Calloc((size_t)(2 * (n1 + n2)), sizeof(uint32_t));
    if (t1 == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    uint32_t *t2 = t1 + n1, *z1 = t2 + n2;
    memcpy(t1, a + s, (size_t)n_ah * sizeof(uint32_t));
    dl_add_into(t1, n1, a, n_al);
    memcpy(t2, b + s, (size_t)n_bh * sizeof(uint32_t));
    dl_add_into(t2, n2, b, n_bl);
    if (dl_mul(t1, dl_strip(t1, n1), t2, dl_strip(t2, n2), z1) < 0) {
        PyMem_Free(t1);
        return -1;
    }
    Py_ssize_t nz1 = n1 + n2;
    dl_sub_from(z1, nz1, out, dl_strip(out, 2 * s));
    dl_sub_from(z1, nz1, out + 2 * s, dl_strip(out + 2 * s, n_ah + n_bh));
    dl_add_into(out + s, na + nb - s, z1, dl_strip(z1, nz1));
    PyMem_Free(t1);
    return 0;
}

static int
dl_mul_lopsided(const uint32_t *a, Py_ssize_t na, const uint32_t *b,
                Py_ssize_t nb, uint32_t *out)
{
    uint32_t *tmp = PyMem_Calloc((size_t)(2 * na), sizeof(uint32_t));
    if (tmp == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t off = 0; off < nb; off += na) {
        Py_ssize_t ns = Py_MIN(na, nb - off);
        memset(tmp, 0, (size_t)(na + ns) * sizeof(uint32_t));
        if (dl_mul(a, na, b + off, ns, tmp) < 0) {
            PyMem_Free(tmp);
            return -1;
        }
        dl_add_into(out + off, na + nb - off, tmp, na + ns);
    }
    PyMem_Free(tmp);
    return 0;
}

static int
dl_mul(const uint32_t *a, Py_ssize_t na, const uint32_t *b, Py_ssize_t nb,
       uint32_t *out)
{
    if (na > nb) {
        const uint32_t *t = a;
        a = b;
        b = t;
        Py_ssize_t tn = na;
        na = nb;
        nb = tn;
    }
    if (na == 0) {
        return 0;
    }
    if (na < DL_KARATSUBA_CUTOFF) {
        dl_mul_school(a, na, b, nb, out);
        return 0;
    }
    if (2 * na <= nb) {
        return dl_mul_lopsided(a, na, b, nb, out);
    }
    return dl_mul_karatsuba(a, na, b, nb, out);
}

/* x * y as new limbs. */
static int
dl_product(const declimbs *x, const declimbs *y, declimbs *res)
{
    Py_ssize_t n = x->n + y->n;
    res->d = PyMem_Calloc((size_t)(n ? n : 1), sizeof(uint32_t));
    if (res->d == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    if (dl_mul(x->d, x->n, y->d, y->n, res->d) < 0) {
        dl_free(res);
        return -1;
    }
    res->n = dl_strip(res->d, n);
    return 0;
}

/* ------------------------------------------------------ int -> limbs */

/* Quadratic conversion of digits[0:n] to base-10**9 limbs. */
static int
to_dec_small(const digit *digits, Py_ssize_t n, declimbs *res)
{
    Py_ssize_t cap = 1 + n + n / 90 + 1;
    res->d = PyMem_Malloc((size_t)cap * sizeof(uint32_t));
    if (res->d == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    Py_ssize_t size = 0;
    for (Py_ssize_t i = n; --i >= 0;) {
        digit hi = digits[i];
        for (Py_ssize_t j = 0; j < size; j++) {
            twodigits z = ((twodigits)res->d[j] << PyLong_SHIFT) | hi;
            hi = (digit)(z / DBASE);
            res->d[j] = (uint32_t)(z - (twodigits)hi * DBASE);
        }
        while (hi) {
            res->d[size++] = hi % DBASE;
            hi /= DBASE;
        }
    }
    res->n = size;
    return 0;
}

#define TO_DEC_CUTOFF 64        /* 30-bit digits */
#define MAX_LEVELS 64

typedef struct {
    declimbs pow2[MAX_LEVELS];  /* 2**(30 * 2**j) in base 10**9 */
} dec_powers;

static const declimbs *
get_pow2(dec_powers *P, int j)
{
    if (P->pow2[j].d != NULL) {
        return &P->pow2[j];
    }
    if (j == 0) {
        /* 2**30 = 1073741824 */
        P->pow2[0].d = PyMem_Malloc(2 * sizeof(uint32_t));
        if (P->pow2[0].d == NULL) {
            PyErr_NoMemory();
            return NULL;
        }
        P->pow2[0].d[0] = 73741824;
        P->pow2[0].d[1] = 1;
        P->pow2[0].n = 2;
        return &P->pow2[0];
    }
    const declimbs *half = get_pow2(P, j - 1);
    if (half == NULL || dl_product(half, half, &P->pow2[j]) < 0) {
        return NULL;
    }
    return &P->pow2[j];
}

static int
to_dec(const digit *digits, Py_ssize_t n, dec_powers *P, declimbs *res)
{
    while (n > 0 && digits[n - 1] == 0) {
        n--;
    }
    if (n <= TO_DEC_CUTOFF) {
        return to_dec_small(digits, n, res);
    }
    int j = 0;
    while (((Py_ssize_t)2 << j) < n) {
        j++;
    }
    Py_ssize_t l = (Py_ssize_t)1 << j;     /* n/2 <= l < n */
    declimbs lo = {NULL, 0}, hi = {NULL, 0};
    const declimbs *pw;
    if (to_dec(digits, l, P, &lo) < 0 ||
        to_dec(digits + l, n - l, P, &hi) < 0 ||
        (pw = get_pow2(P, j)) == NULL ||
        dl_product(&hi, pw, res) < 0) {
        dl_free(&lo);
        dl_free(&hi);
        return -1;
    }
    dl_free(&hi);
    /* res = hi * 2**(30l) + lo; res has at least as many limbs as lo. */
    Py_ssize_t cap = Py_MAX(res->n, lo.n) + 1;
    uint32_t *d = PyMem_Realloc(res->d, (size_t)cap * sizeof(uint32_t));
    if (d == NULL) {
        dl_free(&lo);
        dl_free(res);
        PyErr_NoMemory();
        return -1;
    }
    memset(d + res->n, 0, (size_t)(cap - res->n) * sizeof(uint32_t));
    res->d = d;
    dl_add_into(res->d, cap, lo.d, lo.n);
    res->n = dl_strip(res->d, cap);
    dl_free(&lo);
    return 0;
}

/* The base-10**9 limbs of |v| (PyMem array, *n set); NULL on error. */
uint32_t *
_PyLong_ToDecimalLimbs(PyLongObject *v, Py_ssize_t *n)
{
    dec_powers P;
    memset(&P, 0, sizeof(P));
    declimbs res = {NULL, 0};
    int r = to_dec(v->ob_digit, _PyLong_DigitCount(v), &P, &res);
    for (int j = 0; j < MAX_LEVELS; j++) {
        dl_free(&P.pow2[j]);
    }
    if (r < 0) {
        return NULL;
    }
    if (res.n == 0) {
        /* zero: one limb */
        PyMem_Free(res.d);
        res.d = PyMem_Calloc(1, sizeof(uint32_t));
        if (res.d == NULL) {
            PyErr_NoMemory();
            return NULL;
        }
        res.n = 1;
    }
    *n = res.n;
    return res.d;
}

/* ------------------------------------------------------ str -> int */

#define FROM_DEC_CUTOFF 2700    /* decimal digits */

/* digits[0:n] are ASCII decimal digits only. */
static PyObject *
from_dec_small(const char *digits, Py_ssize_t n)
{
    Py_ssize_t cap = n / 9 + 2;
    PyLongObject *z = _PyLong_New(cap);
    if (z == NULL) {
        return NULL;
    }
    Py_ssize_t size = 0;
    Py_ssize_t i = 0;
    while (i < n) {
        twodigits c = 0, mult = 1;
        for (int k = 0; k < 9 && i < n; k++, i++) {
            c = c * 10 + (twodigits)(digits[i] - '0');
            mult *= 10;
        }
        for (Py_ssize_t q = 0; q < size; q++) {
            c += (twodigits)z->ob_digit[q] * mult;
            z->ob_digit[q] = (digit)(c & PyLong_MASK);
            c >>= PyLong_SHIFT;
        }
        while (c) {
            z->ob_digit[size++] = (digit)(c & PyLong_MASK);
            c >>= PyLong_SHIFT;
        }
    }
    z->ob_base.ob_size = size;
    return (PyObject *)z;
}

typedef struct {
    PyObject *pow10[MAX_LEVELS];        /* 10**(9 * 2**j) */
} bin_powers;

static PyObject *
get_pow10(bin_powers *P, int j)
{
    if (P->pow10[j] != NULL) {
        return P->pow10[j];
    }
    if (j == 0) {
        P->pow10[0] = PyLong_FromLong((long)DBASE);
        return P->pow10[0];
    }
    PyObject *half = get_pow10(P, j - 1);
    if (half == NULL) {
        return NULL;
    }
    P->pow10[j] = _PyLong_Multiply((PyLongObject *)half,
                                   (PyLongObject *)half);
    return P->pow10[j];
}

static PyObject *
from_dec(const char *digits, Py_ssize_t n, bin_powers *P)
{
    if (n <= FROM_DEC_CUTOFF) {
        return from_dec_small(digits, n);
    }
    int j = 0;
    while ((Py_ssize_t)9 << (j + 1) < n) {
        j++;
    }
    Py_ssize_t k = (Py_ssize_t)9 << j;    /* n/2 <= k < n */
    PyObject *hi = from_dec(digits, n - k, P);
    if (hi == NULL) {
        return NULL;
    }
    PyObject *lo = from_dec(digits + n - k, k, P);
    PyObject *pw = lo ? get_pow10(P, j) : NULL;
    PyObject *prod = pw ? _PyLong_Multiply((PyLongObject *)hi,
                                           (PyLongObject *)pw) : NULL;
    PyObject *res = prod ? _PyLong_Add((PyLongObject *)prod,
                                       (PyLongObject *)lo) : NULL;
    Py_DECREF(hi);
    Py_XDECREF(lo);
    Py_XDECREF(prod);
    return res;
}

/* The non-negative int of the decimal digits s[0:n] (ASCII digits and
   underscores, already validated); new reference. */
PyObject *
_PyLong_FromDecimalDigits(const char *s, Py_ssize_t n)
{
    char *buf = PyMem_Malloc((size_t)n + 1);
    if (buf == NULL) {
        return PyErr_NoMemory();
    }
    Py_ssize_t m = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (s[i] != '_') {
            buf[m++] = s[i];
        }
    }
    bin_powers P;
    memset(&P, 0, sizeof(P));
    PyObject *res = from_dec(buf, m, &P);
    for (int j = 0; j < MAX_LEVELS; j++) {
        Py_XDECREF(P.pow10[j]);
    }
    PyMem_Free(buf);
    return res;
}
