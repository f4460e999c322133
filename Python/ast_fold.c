/* Constant values of AST expressions.

   CPython 3.11 folds constant subexpressions in the AST before compiling,
   which is visible in co_consts, in which instructions exist and so in
   line tables.  This file computes the same folded values without
   objects: ints that fit in 128 bits, IEEE doubles, complex pairs, UTF-8
   strings, bytes and tuples.  Where 3.11 would fold something outside
   that (ints over 127 bits, complex division) the expression is left
   unfolded: the program behaves the same, only co_consts differs.

   Results are memoized per node: the code generator asks again for every
   subexpression it visits. */

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "Python.h"
#include "pycore_codegen.h"
#include "pycore_unicodectype.h"

/* 3.11's limits on folded values. */
#define MAX_INT_SIZE 128
#define MAX_COLLECTION_SIZE 256
#define MAX_STR_SIZE 4096
#define MAX_TOTAL_ITEMS 1024

typedef __int128 i128;
#define I128_MAX ((i128)(((unsigned __int128)1 << 127) - 1))
#define I128_MIN (-I128_MAX - 1)

static const _PyCompiledConst not_const_marker;
#define NOT_CONST ((_PyCompiledConst *)&not_const_marker)

/* ------------------------------------------------------------------ */
/* String buffers */

/* Append N bytes of S, keeping the buffer NUL-terminated. */
int
_PyStrBuf_Append(_PyStrBuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->alloc) {
        size_t alloc = b->alloc ? b->alloc : 64;
        while (alloc < b->len + n + 1) {
            alloc *= 2;
        }
        char *data = PyMem_RawRealloc(b->data, alloc);
        if (data == NULL) {
            return -1;
        }
        b->data = data;
        b->alloc = alloc;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

/* Append printf-style text. */
int
_PyStrBuf_Printf(_PyStrBuf *b, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    if (n < 0) {
        return -1;
    }
    if ((size_t)n < sizeof(tmp)) {
        return _PyStrBuf_Append(b, tmp, (size_t)n);
    }
    char *big = PyMem_RawMalloc((size_t)n + 1);
    if (big == NULL) {
        return -1;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    int res = _PyStrBuf_Append(b, big, (size_t)n);
    PyMem_RawFree(big);
    return res;
}

/* Free the buffer's storage. */
void
_PyStrBuf_Clear(_PyStrBuf *b)
{
    PyMem_RawFree(b->data);
    b->data = NULL;
    b->len = b->alloc = 0;
}

/* ------------------------------------------------------------------ */
/* Making constants */

/* A zeroed arena constant of KIND; sets f->nomem on failure. */
static _PyCompiledConst *
new_const(_PyFolder *f, _PyCompiledConstKind kind)
{
    _PyCompiledConst *c = _PyArena_Malloc(f->arena, sizeof(*c));
    if (c == NULL) {
        f->nomem = 1;
        return NULL;
    }
    memset(c, 0, sizeof(*c));
    c->kind = kind;
    return c;
}

/* None, True, False, Ellipsis (or any kind without payload). */
_PyCompiledConst *
_PyFold_MakeSimple(_PyFolder *f, _PyCompiledConstKind kind)
{
    return new_const(f, kind);
}

/* True or False. */
static _PyCompiledConst *
make_bool(_PyFolder *f, int v)
{
    return new_const(f, v ? _PyCC_TRUE : _PyCC_FALSE);
}

/* A constant whose payload is N bytes copied from S (str UTF-8, bytes, int
   digits). */
static _PyCompiledConst *
make_data(_PyFolder *f, _PyCompiledConstKind kind, const char *s,
          Py_ssize_t n)
{
    _PyCompiledConst *c = new_const(f, kind);
    if (c == NULL) {
        return NULL;
    }
    char *data = _PyArena_Malloc(f->arena, (size_t)n + 1);
    if (data == NULL) {
        f->nomem = 1;
        return NULL;
    }
    if (n > 0) {
        memcpy(data, s, (size_t)n);
    }
    data[n] = '\0';
    c->data = data;
    c->size = n;
    return c;
}

/* A str constant from N bytes of UTF-8. */
_PyCompiledConst *
_PyFold_MakeStr(_PyFolder *f, const char *s, Py_ssize_t n)
{
    return make_data(f, _PyCC_STR, s, n);
}

/* An int constant from a 128-bit value (decimal digits plus sign). */
static _PyCompiledConst *
make_int(_PyFolder *f, i128 v)
{
    char digits[48];
    int n = 0;
    unsigned __int128 m = v < 0 ? -(unsigned __int128)v
                                : (unsigned __int128)v;
    do {
        digits[n++] = (char)('0' + (int)(m % 10));
        m /= 10;
    } while (m != 0);
    char text[48];
    for (int i = 0; i < n; i++) {
        text[i] = digits[n - 1 - i];
    }
    _PyCompiledConst *c = make_data(f, _PyCC_INT, text, n);
    if (c != NULL) {
        c->base = 10;
        c->negative = v < 0;
    }
    return c;
}

/* A float constant. */
static _PyCompiledConst *
make_float(_PyFolder *f, double v)
{
    _PyCompiledConst *c = new_const(f, _PyCC_FLOAT);
    if (c != NULL) {
        c->real = v;
    }
    return c;
}

/* A complex constant. */
static _PyCompiledConst *
make_complex(_PyFolder *f, double re, double im)
{
    _PyCompiledConst *c = new_const(f, _PyCC_COMPLEX);
    if (c != NULL) {
        c->real = re;
        c->imag = im;
    }
    return c;
}

/* A tuple constant sharing the N item pointers of ITEMS (copied array). */
_PyCompiledConst *
_PyFold_MakeTuple(_PyFolder *f, _PyCompiledConst **items, Py_ssize_t n)
{
    _PyCompiledConst *c = new_const(f, _PyCC_TUPLE);
    if (c == NULL) {
        return NULL;
    }
    if (n > 0) {
        c->items = _PyArena_Malloc(f->arena, sizeof(*items) * (size_t)n);
        if (c->items == NULL) {
            f->nomem = 1;
            return NULL;
        }
        memcpy(c->items, items, sizeof(*items) * (size_t)n);
    }
    c->nitems = n;
    return c;
}

/* The compiler's constant for a parser literal (the parser's representation
   is kept: digits and base for ints, UTF-8 for str). */
_PyCompiledConst *
_PyFold_Literal(_PyFolder *f, constant value)
{
    switch (value->kind) {
    case _PyConst_INT: {
        _PyCompiledConst *c = make_data(f, _PyCC_INT, value->data,
                                        value->size);
        if (c != NULL) {
            c->base = value->base;
        }
        return c;
    }
    case _PyConst_FLOAT:
        return make_float(f, value->value);
    case _PyConst_IMAG: {
        _PyCompiledConst *c = new_const(f, _PyCC_IMAG);
        if (c != NULL) {
            c->imag = value->value;
        }
        return c;
    }
    case _PyConst_STR:
        return make_data(f, _PyCC_STR, value->data, value->size);
    case _PyConst_BYTES:
        return make_data(f, _PyCC_BYTES, value->data, value->size);
    default:
        return new_const(f, (_PyCompiledConstKind)value->kind);
    }
}

/* ------------------------------------------------------------------ */
/* Numbers */

typedef enum { N_NONE, N_INT, N_BIG, N_FLOAT, N_COMPLEX } numkind;

typedef struct {
    numkind kind;
    int is_bool;
    i128 i;
    double re;
    double im;
} number;

/* Value of an ASCII digit in bases up to 16, or -1. */
static int
digit_value(char ch)
{
    if (ch >= '0' && ch <= '9') {
        return ch - '0';
    }
    if (ch >= 'a' && ch <= 'f') {
        return ch - 'a' + 10;
    }
    if (ch >= 'A' && ch <= 'F') {
        return ch - 'A' + 10;
    }
    return -1;
}

/* The value of an INT constant, if it fits. */
static int
int_value(const _PyCompiledConst *c, i128 *out)
{
    unsigned __int128 v = 0;
    unsigned __int128 limit = (unsigned __int128)I128_MAX
                              + (c->negative ? 1 : 0);
    int base = c->base ? c->base : 10;
    for (Py_ssize_t k = 0; k < c->size; k++) {
        int d = digit_value(c->data[k]);
        if (d < 0 || d >= base) {
            return 0;
        }
        if (v > (limit - (unsigned)d) / (unsigned)base) {
            return 0;
        }
        v = v * (unsigned)base + (unsigned)d;
    }
    *out = c->negative ? (i128)(0 - v) : (i128)v;
    return 1;
}

/* True if the int constant's digits are all zero. */
static int
int_is_zero(const _PyCompiledConst *c)
{
    for (Py_ssize_t k = 0; k < c->size; k++) {
        if (c->data[k] != '0') {
            return 0;
        }
    }
    return 1;
}

/* Classify a constant as int (fits 128 bits), big int, float, complex, or
   not a number; bools count as ints. */
static number
to_number(const _PyCompiledConst *c)
{
    number n = {N_NONE, 0, 0, 0.0, 0.0};
    switch (c->kind) {
    case _PyCC_TRUE:
    case _PyCC_FALSE:
        n.kind = N_INT;
        n.is_bool = 1;
        n.i = c->kind == _PyCC_TRUE;
        break;
    case _PyCC_INT:
        n.kind = int_value(c, &n.i) ? N_INT : N_BIG;
        break;
    case _PyCC_FLOAT:
        n.kind = N_FLOAT;
        n.re = c->real;
        break;
    case _PyCC_IMAG:
        n.kind = N_COMPLEX;
        n.re = 0.0;
        n.im = c->imag;
        break;
    case _PyCC_COMPLEX:
        n.kind = N_COMPLEX;
        n.re = c->real;
        n.im = c->imag;
        break;
    default:
        break;
    }
    return n;
}

/* Bits needed for |V|. */
static int
bit_length(i128 v)
{
    unsigned __int128 m = v < 0 ? -(unsigned __int128)v
                                : (unsigned __int128)v;
    int bits = 0;
    while (m != 0) {
        bits++;
        m >>= 1;
    }
    return bits;
}

/* Python's float % and //. */
static void
float_divmod(double vx, double wx, double *floordiv, double *mod)
{
    double m = fmod(vx, wx);
    double div = (vx - m) / wx;
    if (m != 0.0) {
        if ((wx < 0) != (m < 0)) {
            m += wx;
            div -= 1.0;
        }
    }
    else {
        m = copysign(0.0, wx);
    }
    double fd;
    if (div != 0.0) {
        fd = floor(div);
        if (div - fd > 0.5) {
            fd += 1.0;
        }
    }
    else {
        fd = copysign(0.0, vx / wx);
    }
    *floordiv = fd;
    *mod = m;
}

/* float ** float where Python and C's pow() agree and nothing raises. */
static int
float_pow(double v, double w, double *out)
{
    if (!isfinite(v) || !isfinite(w)) {
        return 0;
    }
    if (w == 0.0) {
        *out = 1.0;
        return 1;
    }
    if (v == 0.0) {
        if (w < 0.0) {
            return 0;
        }
    }
    else if (v < 0.0 && floor(w) != w) {
        return 0;
    }
    double r = pow(v, w);
    if (!isfinite(r)) {
        return 0;
    }
    *out = r;
    return 1;
}

/* Real value of an int or float number. */
static double
to_double(const number *n)
{
    return n->kind == N_INT ? (double)n->i : n->re;
}

static _PyCompiledConst *fold_complex_pow(_PyFolder *f, double a, double b,
                                          double c, double d);

/* Fold a float binary operation, or NULL when 3.11 would raise (division by
   zero, overflow, domain errors): those stay run-time operations. */
static _PyCompiledConst *
fold_float_op(_PyFolder *f, operator_ty op, double a, double b)
{
    double q, r;
    switch (op) {
    case Add:
        return make_float(f, a + b);
    case Sub:
        return make_float(f, a - b);
    case Mult:
        return make_float(f, a * b);
    case Div:
        return b == 0.0 ? NULL : make_float(f, a / b);
    case FloorDiv:
        if (b == 0.0) {
            return NULL;
        }
        float_divmod(a, b, &q, &r);
        return make_float(f, q);
    case Mod:
        if (b == 0.0) {
            return NULL;
        }
        float_divmod(a, b, &q, &r);
        return make_float(f, r);
    case Pow:
        if (a < 0.0 && isfinite(a) && isfinite(b) && floor(b) != b) {
            /* Negative numbers raised to fractional powers become
               complex. */
            return fold_complex_pow(f, a, 0.0, b, 0.0);
        }
        return float_pow(a, b, &q) ? make_float(f, q) : NULL;
    default:
        return NULL;
    }
}

/* (a+bj) / (c+dj) as Python computes it (Smith's method: scale by the
   larger part of the divisor). */
static _PyCompiledConst *
fold_complex_div(_PyFolder *f, double a, double b, double c, double d)
{
    double abs_c = fabs(c), abs_d = fabs(d), re, im;
    if (abs_c >= abs_d) {
        if (abs_c == 0.0) {
            return NULL;        /* ZeroDivisionError */
        }
        double ratio = d / c, denom = c + d * ratio;
        re = (a + b * ratio) / denom;
        im = (b - a * ratio) / denom;
    }
    else if (abs_d >= abs_c) {
        double ratio = c / d, denom = c * ratio + d;
        re = (a * ratio + b) / denom;
        im = (b * ratio - a) / denom;
    }
    else {
        return NULL;            /* a NaN: leave it to run time */
    }
    return make_complex(f, re, im);
}

/* (a+bj) ** n for a whole n with |n| <= 100, as Python computes it
   (square-and-multiply); other exponents are left to run time. */
/* The general case, in polar form, as Python computes it. */
static _PyCompiledConst *
fold_complex_pow_polar(_PyFolder *f, double a, double b, double c, double d)
{
    double re, im;
    if (c == 0.0 && d == 0.0) {
        re = 1.0;
        im = 0.0;
    }
    else if (a == 0.0 && b == 0.0) {
        if (d != 0.0 || c < 0.0) {
            return NULL;        /* ZeroDivisionError */
        }
        re = im = 0.0;
    }
    else {
        double vabs = hypot(a, b);
        double len = pow(vabs, c);
        double at = atan2(b, a);
        double phase = at * c;
        if (d != 0.0) {
            len /= exp(at * d);
            phase += d * log(vabs);
        }
        re = len * cos(phase);
        im = len * sin(phase);
    }
    if (!isfinite(re) || !isfinite(im)) {
        return NULL;            /* OverflowError */
    }
    return make_complex(f, re, im);
}

/* Fold complex ** complex only where the result is exactly what 3.11's
   algorithm gives (integral exponents by repeated multiplication, otherwise
   polar form); NULL when not sure. */
static _PyCompiledConst *
fold_complex_pow(_PyFolder *f, double a, double b, double c, double d)
{
    if (!isfinite(a) || !isfinite(b) || !isfinite(c) || !isfinite(d)) {
        return NULL;
    }
    if (d != 0.0 || c != floor(c) || fabs(c) > 100.0) {
        return fold_complex_pow_polar(f, a, b, c, d);
    }
    long n = (long)c;
    long m = n < 0 ? -n : n;
    double rr = 1.0, ri = 0.0, pr = a, pi = b;
    for (long mask = 1; mask > 0 && m >= mask; mask <<= 1) {
        if (m & mask) {
            double t = rr * pr - ri * pi;
            ri = rr * pi + ri * pr;
            rr = t;
        }
        double t = pr * pr - pi * pi;
        pi = pr * pi + pi * pr;
        pr = t;
    }
    if (n < 0) {
        _PyCompiledConst *q = fold_complex_div(f, 1.0, 0.0, rr, ri);
        if (q != NULL && (!isfinite(q->real) || !isfinite(q->imag))) {
            return NULL;
        }
        return q;
    }
    if (!isfinite(rr) || !isfinite(ri)) {
        return NULL;
    }
    return make_complex(f, rr, ri);
}

/* Fold a complex arithmetic operation (Smith's algorithm for division). */
static _PyCompiledConst *
fold_complex_op(_PyFolder *f, operator_ty op, const number *x,
                const number *y)
{
    double a = to_double(x), b = x->kind == N_COMPLEX ? x->im : 0.0;
    double c = to_double(y), d = y->kind == N_COMPLEX ? y->im : 0.0;
    switch (op) {
    case Add:
        return make_complex(f, a + c, b + d);
    case Sub:
        return make_complex(f, a - c, b - d);
    case Mult:
        return make_complex(f, a * c - b * d, a * d + b * c);
    case Div:
        return fold_complex_div(f, a, b, c, d);
    case Pow:
        return fold_complex_pow(f, a, b, c, d);
    default:
        return NULL;
    }
}

/* Fold int ** int within the size limits; negative exponents give floats. */
static _PyCompiledConst *
fold_int_pow(_PyFolder *f, i128 v, i128 w)
{
    if (w < 0) {
        double r;
        if (!float_pow((double)v, (double)w, &r)) {
            return NULL;
        }
        return make_float(f, r);
    }
    if (v != 0 && w > 0) {
        if (bit_length(v) > MAX_INT_SIZE / w) {
            return NULL;
        }
    }
    i128 result = 1;
    for (i128 k = 0; k < w; k++) {
        if (__builtin_mul_overflow(result, v, &result)) {
            return NULL;
        }
    }
    return make_int(f, result);
}

/* Fold << and >> within the size limits. */
static _PyCompiledConst *
fold_int_shift(_PyFolder *f, operator_ty op, i128 v, i128 w)
{
    if (w < 0) {
        return NULL;
    }
    if (op == RShift) {
        if (w >= 127) {
            return make_int(f, v < 0 ? -1 : 0);
        }
        return make_int(f, v >> (int)w);
    }
    if (v == 0) {
        return make_int(f, 0);
    }
    int vbits = bit_length(v);
    if (w > MAX_INT_SIZE || vbits > MAX_INT_SIZE - w || vbits + w > 126) {
        return NULL;
    }
    return make_int(f, v * ((i128)1 << (int)w));
}

/* Fold an int binary operation when the result fits 128 bits (otherwise
   left to run time); bool & | ^ bool stays bool. */
static _PyCompiledConst *
fold_int_op(_PyFolder *f, operator_ty op, const number *x, const number *y)
{
    i128 v = x->i, w = y->i, r;
    switch (op) {
    case Add:
        return __builtin_add_overflow(v, w, &r) ? NULL : make_int(f, r);
    case Sub:
        return __builtin_sub_overflow(v, w, &r) ? NULL : make_int(f, r);
    case Mult:
        if (bit_length(v) + bit_length(w) > MAX_INT_SIZE) {
            return NULL;
        }
        return __builtin_mul_overflow(v, w, &r) ? NULL : make_int(f, r);
    case Div: {
        const i128 exact = (i128)1 << 53;
        if (w == 0 || v > exact || v < -exact || w > exact || w < -exact) {
            return NULL;
        }
        return make_float(f, (double)v / (double)w);
    }
    case FloorDiv:
    case Mod: {
        if (w == 0 || (v == I128_MIN && w == -1)) {
            return NULL;
        }
        i128 q = v / w, m = v % w;
        if (m != 0 && ((m < 0) != (w < 0))) {
            q -= 1;
            m += w;
        }
        return make_int(f, op == Mod ? m : q);
    }
    case Pow:
        return fold_int_pow(f, v, w);
    case LShift:
    case RShift:
        return fold_int_shift(f, op, v, w);
    case BitAnd:
    case BitOr:
    case BitXor:
        r = op == BitAnd ? (v & w) : op == BitOr ? (v | w) : (v ^ w);
        if (x->is_bool && y->is_bool) {
            return make_bool(f, r != 0);
        }
        return make_int(f, r);
    default:
        return NULL;
    }
}

/* Fold a numeric binary operation, promoting to float or complex like
   Python's numeric tower. */
static _PyCompiledConst *
fold_numbers(_PyFolder *f, operator_ty op, const number *x,
             const number *y)
{
    if (x->kind == N_BIG || y->kind == N_BIG) {
        return NULL;
    }
    if (x->kind == N_COMPLEX || y->kind == N_COMPLEX) {
        return fold_complex_op(f, op, x, y);
    }
    if (x->kind == N_FLOAT || y->kind == N_FLOAT) {
        return fold_float_op(f, op, to_double(x), to_double(y));
    }
    return fold_int_op(f, op, x, y);
}

/* ------------------------------------------------------------------ */
/* Sequences */

/* True for str, bytes, tuple constants. */
static int
is_sequence(const _PyCompiledConst *c)
{
    return c->kind == _PyCC_STR || c->kind == _PyCC_BYTES
           || c->kind == _PyCC_TUPLE;
}

/* Code points in a WTF-8 string. */
static Py_ssize_t
utf8_length(const char *s, Py_ssize_t n)
{
    Py_ssize_t len = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80) {
            len++;
        }
    }
    return len;
}

/* Number of code points in a NUL-terminated UTF-8 string. */
Py_ssize_t
_PyFold_CodePoints(const char *s)
{
    return utf8_length(s, (Py_ssize_t)strlen(s));
}

/* len() of a sequence constant. */
static Py_ssize_t
seq_length(const _PyCompiledConst *c)
{
    switch (c->kind) {
    case _PyCC_STR:
        return utf8_length(c->data, c->size);
    case _PyCC_BYTES:
        return c->size;
    default:
        return c->nitems;
    }
}

/* Concatenate two sequence constants of the same kind. */
static _PyCompiledConst *
concat(_PyFolder *f, const _PyCompiledConst *a, const _PyCompiledConst *b)
{
    if (a->kind == _PyCC_TUPLE) {
        Py_ssize_t n = a->nitems + b->nitems;
        _PyCompiledConst *t = _PyFold_MakeTuple(f, NULL, 0);
        if (t == NULL) {
            return NULL;
        }
        t->items = _PyArena_Malloc(f->arena, sizeof(*t->items)
                                   * (size_t)(n ? n : 1));
        if (t->items == NULL) {
            f->nomem = 1;
            return NULL;
        }
        for (Py_ssize_t k = 0; k < a->nitems; k++) {
            t->items[k] = a->items[k];
        }
        for (Py_ssize_t k = 0; k < b->nitems; k++) {
            t->items[a->nitems + k] = b->items[k];
        }
        t->nitems = n;
        return t;
    }
    _PyCompiledConst *r = make_data(f, a->kind, NULL, 0);
    if (r == NULL) {
        return NULL;
    }
    char *data = _PyArena_Malloc(f->arena, (size_t)(a->size + b->size) + 1);
    if (data == NULL) {
        f->nomem = 1;
        return NULL;
    }
    memcpy(data, a->data, (size_t)a->size);
    memcpy(data + a->size, b->data, (size_t)b->size);
    data[a->size + b->size] = '\0';
    r->data = data;
    r->size = a->size + b->size;
    return r;
}

/* Nested tuples count against the total for repeated tuples. */
static Py_ssize_t
check_complexity(const _PyCompiledConst *c, Py_ssize_t limit)
{
    if (c->kind == _PyCC_TUPLE || c->kind == _PyCC_FROZENSET) {
        limit -= c->nitems;
        for (Py_ssize_t k = 0; limit >= 0 && k < c->nitems; k++) {
            limit = check_complexity(c->items[k], limit);
        }
    }
    return limit;
}

/* Repeat a sequence constant by an int, within 3.11's size limits
   (MAX_COLLECTION_SIZE items for tuples, MAX_STR_SIZE for str/bytes). */
static _PyCompiledConst *
repeat(_PyFolder *f, const _PyCompiledConst *seq, const number *count)
{
    if (count->kind != N_INT) {
        return NULL;
    }
    Py_ssize_t size = seq_length(seq);
    i128 n = count->i;
    if (size != 0) {
        i128 limit = seq->kind == _PyCC_TUPLE ? MAX_COLLECTION_SIZE
                                              : MAX_STR_SIZE;
        if (n < 0 || n > limit / size) {
            return NULL;
        }
        if (seq->kind == _PyCC_TUPLE && n != 0
            && check_complexity(seq, MAX_TOTAL_ITEMS / (Py_ssize_t)n) < 0) {
            return NULL;
        }
    }
    else if (n > PY_SSIZE_T_MAX || n < -PY_SSIZE_T_MAX) {
        return NULL;
    }
    if (n < 0) {
        n = 0;
    }
    if (seq->kind == _PyCC_TUPLE) {
        Py_ssize_t total = seq->nitems * (Py_ssize_t)n;
        _PyCompiledConst *t = _PyFold_MakeTuple(f, NULL, 0);
        if (t == NULL) {
            return NULL;
        }
        t->items = _PyArena_Malloc(f->arena, sizeof(*t->items)
                                   * (size_t)(total ? total : 1));
        if (t->items == NULL) {
            f->nomem = 1;
            return NULL;
        }
        for (Py_ssize_t k = 0; k < total; k++) {
            t->items[k] = seq->items[k % seq->nitems];
        }
        t->nitems = total;
        return t;
    }
    Py_ssize_t total = seq->size * (Py_ssize_t)n;
    _PyCompiledConst *r = make_data(f, seq->kind, NULL, 0);
    char *data = r == NULL ? NULL
                           : _PyArena_Malloc(f->arena, (size_t)total + 1);
    if (data == NULL) {
        f->nomem = 1;
        return NULL;
    }
    for (Py_ssize_t k = 0; k < (Py_ssize_t)n; k++) {
        memcpy(data + k * seq->size, seq->data, (size_t)seq->size);
    }
    data[total] = '\0';
    r->data = data;
    r->size = total;
    return r;
}

/* Fold a binary operation on two constants: numbers, and + / * on sequences
   (str % is handled by the codegen, not here); NULL when not foldable. */
static _PyCompiledConst *
fold_binop(_PyFolder *f, operator_ty op, _PyCompiledConst *a,
           _PyCompiledConst *b)
{
    if (is_sequence(a) || is_sequence(b)) {
        if (op == Add && a->kind == b->kind) {
            return concat(f, a, b);
        }
        if (op == Mult) {
            if (is_sequence(a) && !is_sequence(b)) {
                number n = to_number(b);
                return repeat(f, a, &n);
            }
            if (is_sequence(b) && !is_sequence(a)) {
                number n = to_number(a);
                return repeat(f, b, &n);
            }
        }
        return NULL;
    }
    number x = to_number(a), y = to_number(b);
    if (x.kind == N_NONE || y.kind == N_NONE) {
        return NULL;
    }
    return fold_numbers(f, op, &x, &y);
}

/* ------------------------------------------------------------------ */
/* Unary operators and truth */

/* Truth value of a constant. */
int
_PyConst_IsTrue(const _PyCompiledConst *c)
{
    switch (c->kind) {
    case _PyCC_NONE:
    case _PyCC_FALSE:
        return 0;
    case _PyCC_TRUE:
    case _PyCC_ELLIPSIS:
    case _PyCC_CODE:
        return 1;
    case _PyCC_INT:
        return !int_is_zero(c);
    case _PyCC_FLOAT:
        return c->real != 0.0;
    case _PyCC_IMAG:
        return c->imag != 0.0;
    case _PyCC_COMPLEX:
        return c->real != 0.0 || c->imag != 0.0;
    case _PyCC_STR:
    case _PyCC_BYTES:
        return c->size != 0;
    case _PyCC_TUPLE:
    case _PyCC_FROZENSET:
        return c->nitems != 0;
    }
    return -1;
}

/* Negate an int too large for 128 bits (only the sign changes). */
static _PyCompiledConst *
negate_big(_PyFolder *f, const _PyCompiledConst *c)
{
    _PyCompiledConst *r = make_data(f, _PyCC_INT, c->data, c->size);
    if (r != NULL) {
        r->base = c->base;
        r->negative = int_is_zero(c) ? 0 : !c->negative;
    }
    return r;
}

/* Fold not, -, +, ~ on a constant. */
static _PyCompiledConst *
fold_unaryop(_PyFolder *f, unaryop_ty op, _PyCompiledConst *c)
{
    if (op == Not) {
        return make_bool(f, !_PyConst_IsTrue(c));
    }
    number n = to_number(c);
    switch (n.kind) {
    case N_INT:
        if (op == USub) {
            return n.i == I128_MIN ? NULL : make_int(f, -n.i);
        }
        if (op == UAdd) {
            return make_int(f, n.i);
        }
        return make_int(f, ~n.i);
    case N_BIG:
        if (op == USub) {
            return negate_big(f, c);
        }
        if (op == UAdd) {
            return (_PyCompiledConst *)c;
        }
        return NULL;
    case N_FLOAT:
        if (op == Invert) {
            return NULL;
        }
        return make_float(f, op == USub ? -n.re : n.re);
    case N_COMPLEX:
        if (op == Invert) {
            return NULL;
        }
        if (op == USub) {
            return make_complex(f, -n.re, -n.im);
        }
        return make_complex(f, n.re, n.im);
    default:
        return NULL;
    }
}

/* ------------------------------------------------------------------ */
/* Subscripts */

/* Fold constant[int] on str (by code point), bytes, tuple. */
static _PyCompiledConst *
fold_subscript(_PyFolder *f, _PyCompiledConst *value,
               _PyCompiledConst *index)
{
    number n = to_number(index);
    if (!is_sequence(value) || n.kind != N_INT) {
        return NULL;
    }
    Py_ssize_t len = seq_length(value);
    i128 i = n.i;
    if (i < 0) {
        i += len;
    }
    if (i < 0 || i >= len) {
        return NULL;
    }
    if (value->kind == _PyCC_TUPLE) {
        return value->items[(Py_ssize_t)i];
    }
    if (value->kind == _PyCC_BYTES) {
        return make_int(f, (unsigned char)value->data[(Py_ssize_t)i]);
    }
    Py_ssize_t k = 0, start = -1;
    for (Py_ssize_t p = 0; p < value->size; p++) {
        if (((unsigned char)value->data[p] & 0xC0) != 0x80) {
            if (k == (Py_ssize_t)i) {
                start = p;
                break;
            }
            k++;
        }
    }
    Py_ssize_t end = start + 1;
    while (end < value->size
           && ((unsigned char)value->data[end] & 0xC0) == 0x80) {
        end++;
    }
    return make_data(f, _PyCC_STR, value->data + start, end - start);
}

/* ------------------------------------------------------------------ */
/* The memo and the walk */

/* Folding result cached for node KEY (NOT_CONST when known not constant). */
static _PyCompiledConst *
memo_get(_PyFolder *f, const void *key)
{
    if (f->nslots == 0) {
        return NULL;
    }
    size_t mask = (size_t)f->nslots - 1;
    for (size_t j = ((uintptr_t)key >> 4) & mask;; j = (j + 1) & mask) {
        if (f->keys[j] == NULL) {
            return NULL;
        }
        if (f->keys[j] == key) {
            return f->values[j];
        }
    }
}

/* Cache the folding result of node KEY; a memory error only loses the cache
   entry. */
static void
memo_put(_PyFolder *f, const void *key, _PyCompiledConst *value)
{
    if ((f->nkeys + 1) * 2 > f->nslots) {
        Py_ssize_t n = f->nslots ? f->nslots * 2 : 256;
        const void **keys = PyMem_RawCalloc((size_t)n, sizeof(*keys));
        _PyCompiledConst **values = PyMem_RawCalloc((size_t)n,
                                                    sizeof(*values));
        if (keys == NULL || values == NULL) {
            PyMem_RawFree(keys);
            PyMem_RawFree(values);
            f->nomem = 1;
            return;
        }
        for (Py_ssize_t i = 0; i < f->nslots; i++) {
            if (f->keys[i] == NULL) {
                continue;
            }
            size_t j = ((uintptr_t)f->keys[i] >> 4) & (size_t)(n - 1);
            while (keys[j] != NULL) {
                j = (j + 1) & (size_t)(n - 1);
            }
            keys[j] = f->keys[i];
            values[j] = f->values[i];
        }
        PyMem_RawFree(f->keys);
        PyMem_RawFree(f->values);
        f->keys = keys;
        f->values = values;
        f->nslots = n;
    }
    size_t mask = (size_t)f->nslots - 1;
    size_t j = ((uintptr_t)key >> 4) & mask;
    while (f->keys[j] != NULL) {
        j = (j + 1) & mask;
    }
    f->keys[j] = key;
    f->values[j] = value;
    f->nkeys++;
}

static _PyCompiledConst *fold(_PyFolder *f, expr_ty e);

/* A tuple constant if every element of ELTS folds, else NULL. */
static _PyCompiledConst *
fold_tuple(_PyFolder *f, asdl_expr_seq *elts)
{
    Py_ssize_t n = asdl_seq_LEN(elts);
    _PyCompiledConst *small[16];
    _PyCompiledConst **items = small;
    if (n > 16) {
        items = PyMem_RawMalloc(sizeof(*items) * (size_t)n);
        if (items == NULL) {
            f->nomem = 1;
            return NULL;
        }
    }
    _PyCompiledConst *res = NULL;
    Py_ssize_t k;
    for (k = 0; k < n; k++) {
        expr_ty elt = asdl_seq_GET(elts, k);
        if (elt->kind == Starred_kind || (items[k] = fold(f, elt)) == NULL) {
            break;
        }
    }
    if (k == n) {
        res = _PyFold_MakeTuple(f, items, n);
    }
    if (items != small) {
        PyMem_RawFree(items);
    }
    return res;
}

/* Fold one expression node by kind. */
static _PyCompiledConst *
fold_kind(_PyFolder *f, expr_ty e)
{
    _PyCompiledConst *a, *b;
    switch (e->kind) {
    case Constant_kind:
        return _PyFold_Literal(f, e->v.Constant.value);
    case UnaryOp_kind:
        a = fold(f, e->v.UnaryOp.operand);
        return a ? fold_unaryop(f, e->v.UnaryOp.op, a) : NULL;
    case BinOp_kind:
        a = fold(f, e->v.BinOp.left);
        b = fold(f, e->v.BinOp.right);
        return a && b ? fold_binop(f, e->v.BinOp.op, a, b) : NULL;
    case Subscript_kind:
        if (e->v.Subscript.ctx != Load) {
            return NULL;
        }
        a = fold(f, e->v.Subscript.value);
        b = fold(f, e->v.Subscript.slice);
        return a && b ? fold_subscript(f, a, b) : NULL;
    case Tuple_kind:
        if (e->v.Tuple.ctx != Load) {
            return NULL;
        }
        return fold_tuple(f, e->v.Tuple.elts);
    case Name_kind:
        if (e->v.Name.ctx == Load && strcmp(e->v.Name.id, "__debug__") == 0) {
            return make_bool(f, f->optimize <= 0);
        }
        return NULL;
    default:
        return NULL;
    }
}

/* Fold E with memoization, so the codegen can ask repeatedly at no cost. */
static _PyCompiledConst *
fold(_PyFolder *f, expr_ty e)
{
    _PyCompiledConst *c = memo_get(f, e);
    if (c != NULL) {
        return c == NOT_CONST ? NULL : c;
    }
    c = fold_kind(f, e);
    memo_put(f, e, c ? c : NOT_CONST);
    return c;
}

/* The constant value of E as 3.11's AST optimizer computes it, or NULL
   (check f->nomem to tell a memory error apart). */
_PyCompiledConst *
_PyFold_Expr(_PyFolder *f, expr_ty e)
{
    return fold(f, e);
}

/* Equal as set members (1 == 1.0 == True), by value. */
static int
same_member(const _PyCompiledConst *a, const _PyCompiledConst *b)
{
    number x = to_number(a), y = to_number(b);
    if (x.kind != N_NONE && y.kind != N_NONE) {
        if (x.kind == N_BIG || y.kind == N_BIG) {
            return x.kind == y.kind && a->negative == b->negative
                   && a->base == b->base && a->size == b->size
                   && memcmp(a->data, b->data, (size_t)a->size) == 0;
        }
        if (x.kind == N_INT && y.kind == N_INT) {
            return x.i == y.i;
        }
        double xi = x.kind == N_COMPLEX ? x.im : 0.0;
        double yi = y.kind == N_COMPLEX ? y.im : 0.0;
        return to_double(&x) == to_double(&y) && xi == yi;
    }
    if (a->kind != b->kind) {
        return 0;
    }
    switch (a->kind) {
    case _PyCC_STR:
    case _PyCC_BYTES:
        return a->size == b->size
               && memcmp(a->data, b->data, (size_t)a->size) == 0;
    case _PyCC_TUPLE:
    case _PyCC_FROZENSET:
        if (a->nitems != b->nitems) {
            return 0;
        }
        for (Py_ssize_t k = 0; k < a->nitems; k++) {
            if (!same_member(a->items[k], b->items[k])) {
                return 0;
            }
        }
        return 1;
    default:
        return 1;
    }
}

/* True if A and B are equal as set/dict members (1 == 1.0 == True), used
   for duplicate mapping-pattern keys and frozenset folding. */
int
_PyConst_SameValue(const _PyCompiledConst *a, const _PyCompiledConst *b)
{
    return same_member(a, b);
}

/* A frozenset constant from a tuple, dropping duplicate members (first
   occurrence kept). */
static _PyCompiledConst *
make_frozenset(_PyFolder *f, _PyCompiledConst *tuple)
{
    _PyCompiledConst *s = _PyFold_MakeTuple(f, tuple->items, tuple->nitems);
    if (s == NULL) {
        return NULL;
    }
    s->kind = _PyCC_FROZENSET;
    Py_ssize_t n = 0;
    for (Py_ssize_t k = 0; k < tuple->nitems; k++) {
        Py_ssize_t j;
        for (j = 0; j < n; j++) {
            if (same_member(s->items[j], tuple->items[k])) {
                break;
            }
        }
        if (j == n) {
            s->items[n++] = tuple->items[k];
        }
    }
    s->nitems = n;
    return s;
}

/* A constant list or set display used only as an iterable (for ... in [..],
   x in {...}) becomes a tuple or frozenset constant; NULL if not constant. */
_PyCompiledConst *
_PyFold_Iterable(_PyFolder *f, expr_ty e)
{
    if (e->kind == List_kind) {
        return fold_tuple(f, e->v.List.elts);
    }
    if (e->kind == Set_kind) {
        _PyCompiledConst *t = fold_tuple(f, e->v.Set.elts);
        return t ? make_frozenset(f, t) : NULL;
    }
    return NULL;
}

/* Free the folder's memo table. */
void
_PyFold_Clear(_PyFolder *f)
{
    PyMem_RawFree(f->keys);
    PyMem_RawFree(f->values);
    f->keys = NULL;
    f->values = NULL;
    f->nkeys = f->nslots = 0;
}

/* ------------------------------------------------------------------ */
/* repr() and merge keys */

/* TMP is printf's "%.Ne" of V, rounded half to even; when that does not
   read back as V, the same number of digits one unit up or down may (V
   next to a power of two).  Put the one that does in TMP. */
static int
shortest_neighbour(char *tmp, double v)
{
    char *e = strchr(tmp, 'e');
    if (e == NULL) {
        return 0;
    }
    for (int dir = 1; dir >= -1; dir -= 2) {
        char cand[64];
        strcpy(cand, tmp);
        char *p = cand + (e - tmp) - 1;
        int carry = dir;
        while (carry != 0 && p >= cand) {
            if (*p == '.') {
                p--;
                continue;
            }
            if (*p < '0' || *p > '9') {
                break;
            }
            int d = *p - '0' + carry;
            carry = 0;
            if (d > 9) {
                d = 0;
                carry = 1;
            }
            else if (d < 0) {
                d = 9;
                carry = -1;
            }
            *p-- = (char)('0' + d);
        }
        if (carry == 0 && strtod(cand, NULL) == v) {
            strcpy(tmp, cand);
            return 1;
        }
    }
    return 0;
}

/* Python's repr of a float: the shortest digits that read back the same,
   in fixed notation for exponents -4..15 and scientific otherwise. */
static int
repr_float(_PyStrBuf *b, double v)
{
    if (isnan(v)) {
        return _PyStrBuf_Append(b, "nan", 3);
    }
    if (isinf(v)) {
        return v > 0 ? _PyStrBuf_Append(b, "inf", 3)
                     : _PyStrBuf_Append(b, "-inf", 4);
    }
    char tmp[64];
    for (int prec = 0; prec <= 17; prec++) {
        snprintf(tmp, sizeof(tmp), "%.*e", prec, v);
        if (strtod(tmp, NULL) == v || shortest_neighbour(tmp, v)) {
            break;
        }
    }
    char digits[32];
    int nd = 0;
    const char *p = tmp;
    int negative = *p == '-';
    if (negative) {
        p++;
    }
    for (; *p != 'e'; p++) {
        if (*p != '.') {
            digits[nd++] = *p;
        }
    }
    int exp = atoi(p + 1);
    while (nd > 1 && digits[nd - 1] == '0') {
        nd--;
    }
    char out[96];
    int n = 0;
    if (negative) {
        out[n++] = '-';
    }
    if (exp >= -4 && exp < 16) {
        if (exp < 0) {
            out[n++] = '0';
            out[n++] = '.';
            for (int k = 0; k < -exp - 1; k++) {
                out[n++] = '0';
            }
            for (int k = 0; k < nd; k++) {
                out[n++] = digits[k];
            }
        }
        else {
            for (int k = 0; k <= exp; k++) {
                out[n++] = k < nd ? digits[k] : '0';
            }
            out[n++] = '.';
            if (nd > exp + 1) {
                for (int k = exp + 1; k < nd; k++) {
                    out[n++] = digits[k];
                }
            }
            else {
                out[n++] = '0';
            }
        }
        out[n] = '\0';
    }
    else {
        out[n++] = digits[0];
        if (nd > 1) {
            out[n++] = '.';
            for (int k = 1; k < nd; k++) {
                out[n++] = digits[k];
            }
        }
        snprintf(out + n, sizeof(out) - (size_t)n, "e%c%02d",
                 exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
    }
    return _PyStrBuf_Append(b, out, strlen(out));
}

/* Decode the code point at S[*I], advancing *I. */
static int
decode_utf8(const unsigned char *s, Py_ssize_t n, Py_ssize_t *i)
{
    unsigned char c = s[*i];
    int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    int cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F)
                                                             : (c & 0x07);
    for (int k = 1; k < len && *i + k < n; k++) {
        cp = (cp << 6) | (s[*i + k] & 0x3F);
    }
    *i += len;
    return cp;
}

/* Append code point CP as UTF-8. */
static int
append_utf8(_PyStrBuf *b, int cp)
{
    char out[4];
    size_t n;
    if (cp < 0x80) {
        out[0] = (char)cp;
        n = 1;
    }
    else if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    }
    else if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    }
    else {
        out[0] = (char)(0xF0 | (cp >> 18));
        out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return _PyStrBuf_Append(b, out, n);
}

/* repr() of a str or bytes constant, with 3.11's quote choice and escapes. */
static int
repr_str(_PyStrBuf *b, const char *data, Py_ssize_t n, int is_bytes)
{
    int quote = '\'';
    if (memchr(data, '\'', (size_t)n) && !memchr(data, '"', (size_t)n)) {
        quote = '"';
    }
    char q = (char)quote;
    if ((is_bytes && _PyStrBuf_Append(b, "b", 1) < 0)
        || _PyStrBuf_Append(b, &q, 1) < 0) {
        return -1;
    }
    const unsigned char *s = (const unsigned char *)data;
    for (Py_ssize_t i = 0; i < n;) {
        int cp = is_bytes ? s[i++] : decode_utf8(s, n, &i);
        int res;
        if (cp == quote || cp == '\\') {
            char esc[2] = {'\\', (char)cp};
            res = _PyStrBuf_Append(b, esc, 2);
        }
        else if (cp == '\n') {
            res = _PyStrBuf_Append(b, "\\n", 2);
        }
        else if (cp == '\r') {
            res = _PyStrBuf_Append(b, "\\r", 2);
        }
        else if (cp == '\t') {
            res = _PyStrBuf_Append(b, "\\t", 2);
        }
        else if (cp < 0x20 || cp == 0x7F || (is_bytes && cp >= 0x80)) {
            res = _PyStrBuf_Printf(b, "\\x%02x", cp);
        }
        else if (cp < 0x7F) {
            char ch = (char)cp;
            res = _PyStrBuf_Append(b, &ch, 1);
        }
        else if (_PyUnicode_IsPrintable((Py_UCS4)cp)) {
            res = append_utf8(b, cp);
        }
        else if (cp <= 0xFF) {
            res = _PyStrBuf_Printf(b, "\\x%02x", cp);
        }
        else if (cp <= 0xFFFF) {
            res = _PyStrBuf_Printf(b, "\\u%04x", cp);
        }
        else {
            res = _PyStrBuf_Printf(b, "\\U%08x", cp);
        }
        if (res < 0) {
            return -1;
        }
    }
    return _PyStrBuf_Append(b, &q, 1);
}

/* Digits in base 2, 8 or 16 to decimal, for ints too big for i128:
   base-10**9 limbs, least significant first. */
static int
repr_big_int(_PyStrBuf *b, const _PyCompiledConst *c)
{
    size_t nlimbs = (size_t)c->size / 7 + 2, used = 1;
    uint32_t *limbs = PyMem_RawCalloc(nlimbs, sizeof(uint32_t));
    if (limbs == NULL) {
        return -1;
    }
    for (Py_ssize_t k = 0; k < c->size; k++) {
        uint64_t carry = (uint64_t)digit_value(c->data[k]);
        for (size_t i = 0; i < used; i++) {
            uint64_t x = (uint64_t)limbs[i] * (uint64_t)c->base + carry;
            limbs[i] = (uint32_t)(x % 1000000000u);
            carry = x / 1000000000u;
        }
        if (carry != 0 && used < nlimbs) {
            limbs[used++] = (uint32_t)carry;
        }
    }
    while (used > 1 && limbs[used - 1] == 0) {
        used--;
    }
    int res = _PyStrBuf_Printf(b, "%s%u",
                               c->negative && (used > 1 || limbs[0]) ? "-"
                                                                      : "",
                               limbs[used - 1]);
    for (size_t i = used - 1; res == 0 && i-- > 0;) {
        res = _PyStrBuf_Printf(b, "%09u", limbs[i]);
    }
    PyMem_RawFree(limbs);
    return res;
}

/* repr() of an int constant (decimal, whatever base it was written in). */
static int
repr_int(_PyStrBuf *b, const _PyCompiledConst *c)
{
    i128 v;
    if (c->base == 10 || c->base == 0 || !int_value(c, &v)) {
        if (c->base != 10 && c->base != 0) {
            return repr_big_int(b, c);
        }
        Py_ssize_t k = 0;
        while (k < c->size - 1 && c->data[k] == '0') {
            k++;
        }
        int zero = int_is_zero(c);
        return _PyStrBuf_Printf(b, "%s%.*s",
                                c->negative && !zero ? "-" : "",
                                (int)(c->size - k), c->data + k);
    }
    char digits[48];
    int n = 0;
    unsigned __int128 m = v < 0 ? -(unsigned __int128)v
                                : (unsigned __int128)v;
    do {
        digits[n++] = (char)('0' + (int)(m % 10));
        m /= 10;
    } while (m != 0);
    if (v < 0 && _PyStrBuf_Append(b, "-", 1) < 0) {
        return -1;
    }
    while (n > 0) {
        if (_PyStrBuf_Append(b, &digits[--n], 1) < 0) {
            return -1;
        }
    }
    return 0;
}

/* repr() of a complex constant. */
static int
repr_complex(_PyStrBuf *b, double re, double im)
{
    /* complex repr: "1j" when the real part is +0.0, else "(re+imj)". */
    _PyStrBuf tmp = {0};
    int res;
    if (re == 0.0 && !signbit(re)) {
        res = repr_float(&tmp, im);
        if (res == 0) {
            size_t len = tmp.len;
            if (len >= 2 && strcmp(tmp.data + len - 2, ".0") == 0) {
                len -= 2;
            }
            res = _PyStrBuf_Printf(b, "%.*sj", (int)len, tmp.data);
        }
        _PyStrBuf_Clear(&tmp);
        return res;
    }
    _PyStrBuf r = {0};
    res = repr_float(&r, re);
    if (res == 0) {
        res = repr_float(&tmp, im);
    }
    if (res == 0) {
        size_t rl = r.len, il = tmp.len;
        if (rl >= 2 && strcmp(r.data + rl - 2, ".0") == 0) {
            rl -= 2;
        }
        if (il >= 2 && strcmp(tmp.data + il - 2, ".0") == 0) {
            il -= 2;
        }
        const char *sign = (tmp.data[0] == '-' || isnan(im)) ? "" : "+";
        res = _PyStrBuf_Printf(b, "(%.*s%s%.*sj)", (int)rl, r.data, sign,
                               (int)il, tmp.data);
    }
    _PyStrBuf_Clear(&r);
    _PyStrBuf_Clear(&tmp);
    return res;
}

/* Append repr(C) to B, exactly as 3.11 prints it (used in error messages
   and the disassembler). */
int
_PyConst_Repr(_PyStrBuf *b, const _PyCompiledConst *c)
{
    switch (c->kind) {
    case _PyCC_NONE:
        return _PyStrBuf_Append(b, "None", 4);
    case _PyCC_TRUE:
        return _PyStrBuf_Append(b, "True", 4);
    case _PyCC_FALSE:
        return _PyStrBuf_Append(b, "False", 5);
    case _PyCC_ELLIPSIS:
        return _PyStrBuf_Append(b, "Ellipsis", 8);
    case _PyCC_INT:
        return repr_int(b, c);
    case _PyCC_FLOAT:
        return repr_float(b, c->real);
    case _PyCC_IMAG:
        return repr_complex(b, 0.0, c->imag);
    case _PyCC_COMPLEX:
        return repr_complex(b, c->real, c->imag);
    case _PyCC_STR:
        return repr_str(b, c->data, c->size, 0);
    case _PyCC_BYTES:
        return repr_str(b, c->data, c->size, 1);
    case _PyCC_TUPLE:
    case _PyCC_FROZENSET: {
        int fs = c->kind == _PyCC_FROZENSET;
        if (fs && c->nitems == 0) {
            return _PyStrBuf_Append(b, "frozenset()", 11);
        }
        if (_PyStrBuf_Append(b, fs ? "frozenset({" : "(", fs ? 11 : 1) < 0) {
            return -1;
        }
        for (Py_ssize_t k = 0; k < c->nitems; k++) {
            if ((k > 0 && _PyStrBuf_Append(b, ", ", 2) < 0)
                || _PyConst_Repr(b, c->items[k]) < 0) {
                return -1;
            }
        }
        if (!fs && c->nitems == 1 && _PyStrBuf_Append(b, ",", 1) < 0) {
            return -1;
        }
        return _PyStrBuf_Append(b, fs ? "})" : ")", fs ? 2 : 1);
    }
    case _PyCC_CODE:
        return _PyStrBuf_Printf(b, "<code object %s, line %d>",
                                c->code->name, c->code->firstlineno);
    }
    return 0;
}

/* Append length-prefixed strings to a merge key. */
static int
strings_key(_PyStrBuf *b, const char *const *names, int n)
{
    for (int i = 0; i < n; i++) {
        if (_PyStrBuf_Printf(b, "%zu:", strlen(names[i])) < 0
            || _PyStrBuf_Append(b, names[i], strlen(names[i])) < 0) {
            return -1;
        }
    }
    return _PyStrBuf_Append(b, ";", 1);
}

/* Code units are merged when equal in everything a code object compares
   (3.11 merges equal code objects: a `while` test with a generator
   expression is compiled twice, into one constant). */
static int
code_key(_PyStrBuf *b, const _PyCodeUnit *u)
{
    if (_PyStrBuf_Printf(b, "%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d:", u->flags,
                         u->argcount, u->posonlyargcount, u->kwonlyargcount,
                         u->firstlineno, u->stacksize, u->nlocalsplus,
                         u->nnames, u->nconsts, u->ncode,
                         u->linetable_size) < 0
        || strings_key(b, &u->name, 1) < 0
        || strings_key(b, &u->qualname, 1) < 0
        || strings_key(b, u->localsplusnames, u->nlocalsplus) < 0
        || strings_key(b, u->names, u->nnames) < 0
        || _PyStrBuf_Append(b, (const char *)u->localspluskinds,
                            (size_t)u->nlocalsplus) < 0
        || _PyStrBuf_Append(b, (const char *)u->code,
                            sizeof(u->code[0]) * (size_t)u->ncode) < 0
        || _PyStrBuf_Append(b, (const char *)u->linetable,
                            (size_t)u->linetable_size) < 0
        || _PyStrBuf_Printf(b, "%d:", u->exctable_size) < 0
        || _PyStrBuf_Append(b, (const char *)u->exctable,
                            (size_t)u->exctable_size) < 0) {
        return -1;
    }
    for (int i = 0; i < u->nconsts; i++) {
        if (_PyConst_Key(b, u->consts[i]) < 0
            || _PyStrBuf_Append(b, ",", 1) < 0) {
            return -1;
        }
    }
    return 0;
}

/* Append C's merge key to B: two constants share a co_consts slot iff their
   keys are equal (3.11's rules: type matters, 0.0 and -0.0 differ, NaNs
   never merge, code units by content). */
int
_PyConst_Key(_PyStrBuf *b, const _PyCompiledConst *c)
{
    /* An imaginary literal is a complex with a zero real part. */
    char tag = (char)('A' + (c->kind == _PyCC_IMAG ? _PyCC_COMPLEX
                                                    : c->kind));
    if (_PyStrBuf_Append(b, &tag, 1) < 0) {
        return -1;
    }
    switch (c->kind) {
    case _PyCC_INT: {
        i128 v;
        if (int_value(c, &v)) {
            /* Same value, however it was spelled. */
            _PyStrBuf_Append(b, "=", 1);
            return _PyStrBuf_Append(b, (const char *)&v, sizeof(v));
        }
        return _PyStrBuf_Printf(b, "%c%d:%zd:", c->negative ? '-' : '+',
                                c->base, c->size) < 0
               ? -1 : _PyStrBuf_Append(b, c->data, (size_t)c->size);
    }
    case _PyCC_FLOAT:
    case _PyCC_IMAG:
    case _PyCC_COMPLEX: {
        double parts[2] = {c->real, c->imag};
        if (c->kind == _PyCC_IMAG) {
            parts[0] = 0.0;
        }
        if (_PyStrBuf_Append(b, (const char *)parts, sizeof(parts)) < 0) {
            return -1;
        }
        /* NaNs are never equal: 3.11 keeps each folded one apart. */
        if (isnan(parts[0]) || isnan(parts[1])) {
            return _PyStrBuf_Append(b, (const char *)&c, sizeof(c));
        }
        return 0;
    }
    case _PyCC_STR:
    case _PyCC_BYTES:
        if (_PyStrBuf_Printf(b, "%zd:", c->size) < 0) {
            return -1;
        }
        return _PyStrBuf_Append(b, c->data, (size_t)c->size);
    case _PyCC_TUPLE:
    case _PyCC_FROZENSET:
        if (_PyStrBuf_Printf(b, "%zd(", c->nitems) < 0) {
            return -1;
        }
        for (Py_ssize_t k = 0; k < c->nitems; k++) {
            if (_PyConst_Key(b, c->items[k]) < 0
                || _PyStrBuf_Append(b, ",", 1) < 0) {
                return -1;
            }
        }
        return _PyStrBuf_Append(b, ")", 1);
    case _PyCC_CODE:
        return code_key(b, c->code);
    default:
        return 0;
    }
}
