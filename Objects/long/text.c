/* int <-> text: str(int), bin/oct/hex, and int(str, base) with Python's
 * literal rules (whitespace, sign, base prefixes, single underscores
 * between digits) and 3.11's limit on decimal digits.
 *
 * Decimal conversion of small values is the quadratic base-2**30 to
 * base-10**9 multiply-add; huge values go through the subquadratic
 * divide-and-conquer conversions of bigtext.c.  The digit limit (4300 by
 * default) keeps untrusted input from making conversions expensive. */
#include "Python.h"
#include "pycore_long.h"
#include "pycore_unicodeobject.h"
#include "pycore_unicodectype.h"

#include <math.h>

#define DECIMAL_BASE 1000000000u
#define DECIMAL_SHIFT 9

/* Above these sizes the divide-and-conquer conversions of bigtext.c win
   (30-bit digits, decimal digits). */
#define TO_DECIMAL_DC_THRESHOLD 600
#define FROM_DECIMAL_DC_THRESHOLD 6000

static const char *const MAX_STR_DIGITS_ERR_TO_STR =
    "Exceeds the limit (%d digits) for integer string conversion; "
    "use sys.set_int_max_str_digits() to increase the limit";
static const char *const MAX_STR_DIGITS_ERR_TO_INT =
    "Exceeds the limit (%d digits) for integer string conversion: "
    "value has %zd digits; use sys.set_int_max_str_digits() to increase "
    "the limit";

/* ------------------------------------------------------ int -> text */

/* Decimal text of v as a new str (no prefix). */
static PyObject *
long_to_decimal(PyLongObject *v)
{
    Py_ssize_t size_a = _PyLong_DigitCount(v);
    int negative = v->ob_base.ob_size < 0;
    int limit = _PyLong_GetMaxStrDigits();
    if (limit > 0 && size_a > 1) {
        /* Lower bound on the number of digits, from the bit length. */
        double bits = (double)_PyLong_NumBits((PyObject *)v);
        double lower = floor((bits - 1) * 0.30102999566398119521);
        if (lower >= (double)limit) {
            PyErr_Format(PyExc_ValueError, MAX_STR_DIGITS_ERR_TO_STR, limit);
            return NULL;
        }
    }
    uint32_t *pout;
    Py_ssize_t size = 0;
    if (size_a > TO_DECIMAL_DC_THRESHOLD) {
        pout = _PyLong_ToDecimalLimbs(v, &size);
        if (pout == NULL) {
            return NULL;
        }
        goto have_limbs;
    }
    /* size_a * 30 / (9 * log2(10)) base-1e9 digits, rounded up. */
    Py_ssize_t cap = 1 + size_a + size_a / 90;
    pout = PyMem_Malloc((size_t)cap * sizeof(uint32_t));
    if (pout == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    for (Py_ssize_t i = size_a; --i >= 0;) {
        digit hi = v->ob_digit[i];
        for (Py_ssize_t j = 0; j < size; j++) {
            twodigits z = ((twodigits)pout[j] << PyLong_SHIFT) | hi;
            hi = (digit)(z / DECIMAL_BASE);
            pout[j] = (uint32_t)(z - (twodigits)hi * DECIMAL_BASE);
        }
        while (hi) {
            pout[size++] = hi % DECIMAL_BASE;
            hi /= DECIMAL_BASE;
        }
    }
    if (size == 0) {
        pout[size++] = 0;
    }
have_limbs:;
    /* Count the digits. */
    Py_ssize_t strlen_ = negative + 1 + (size - 1) * DECIMAL_SHIFT;
    for (uint32_t rem = pout[size - 1] / 10; rem; rem /= 10) {
        strlen_++;
    }
    if (limit > 0 && strlen_ - negative > limit) {
        PyMem_Free(pout);
        PyErr_Format(PyExc_ValueError, MAX_STR_DIGITS_ERR_TO_STR, limit);
        return NULL;
    }
    PyObject *str = PyUnicode_New(strlen_, 127);
    if (str == NULL) {
        PyMem_Free(pout);
        return NULL;
    }
    char *p = (char *)PyUnicode_DATA(str) + strlen_;
    for (Py_ssize_t i = 0; i < size - 1; i++) {
        uint32_t rem = pout[i];
        for (int j = 0; j < DECIMAL_SHIFT; j++) {
            *--p = (char)('0' + rem % 10);
            rem /= 10;
        }
    }
    uint32_t rem = pout[size - 1];
    do {
        *--p = (char)('0' + rem % 10);
        rem /= 10;
    } while (rem != 0);
    if (negative) {
        *--p = '-';
    }
    PyMem_Free(pout);
    return str;
}

/* Text of v in base 2, 8 or 16 with its 0b/0o/0x prefix. */
static PyObject *
long_to_pow2(PyLongObject *v, int base)
{
    int bits = base == 2 ? 1 : base == 8 ? 3 : 4;
    size_t nbits = _PyLong_NumBits((PyObject *)v);
    size_t ndig = nbits == 0 ? 1 : (nbits + bits - 1) / bits;
    int negative = v->ob_base.ob_size < 0;
    size_t len = negative + 2 + ndig;
    PyObject *str = PyUnicode_New((Py_ssize_t)len, 127);
    if (str == NULL) {
        return NULL;
    }
    char *p = (char *)PyUnicode_DATA(str) + len;
    twodigits acc = 0;
    int accbits = 0;
    Py_ssize_t n = _PyLong_DigitCount(v);
    size_t written = 0;
    for (Py_ssize_t i = 0; written < ndig; ) {
        if (accbits < bits && i < n) {
            acc |= (twodigits)v->ob_digit[i++] << accbits;
            accbits += PyLong_SHIFT;
        }
        int d = (int)(acc & (unsigned)(base - 1));
        *--p = "0123456789abcdef"[d];
        acc >>= bits;
        accbits -= bits;
        written++;
    }
    *--p = base == 2 ? 'b' : base == 8 ? 'o' : 'x';
    *--p = '0';
    if (negative) {
        *--p = '-';
    }
    return str;
}

PyObject *
_PyLong_Format(PyObject *obj, int base)
{
    if (obj == NULL || !PyLong_Check(obj)) {
        PyErr_BadInternalCall();
        return NULL;
    }
    if (base == 10) {
        return long_to_decimal((PyLongObject *)obj);
    }
    if (base == 2 || base == 8 || base == 16) {
        return long_to_pow2((PyLongObject *)obj, base);
    }
    PyErr_SetString(PyExc_SystemError, "_PyLong_Format: unsupported base");
    return NULL;
}

PyObject *
_PyLong_Repr(PyObject *obj)
{
    return long_to_decimal((PyLongObject *)obj);
}

/* ------------------------------------------------------ text -> int */

static inline int
digit_value(unsigned char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'Z') {
        return c - 'A' + 10;
    }
    return 37;
}

static inline int
is_ascii_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
           c == '\f';
}

/* Digits (no underscores) in a power-of-two base, least significant
   last: pack them straight into 30-bit digits. */
static PyLongObject *
digits_pow2(const char *start, const char *end, int base)
{
    int bits = 0;
    while ((1 << bits) < base) {
        bits++;
    }
    Py_ssize_t ndigits = 0;
    for (const char *p = start; p < end; p++) {
        if (*p != '_') {
            ndigits++;
        }
    }
    Py_ssize_t n = (ndigits * bits + PyLong_SHIFT - 1) / PyLong_SHIFT;
    PyLongObject *z = _PyLong_New(n);
    if (z == NULL) {
        return NULL;
    }
    twodigits acc = 0;
    int accbits = 0;
    Py_ssize_t i = 0;
    for (const char *p = end; p > start;) {
        unsigned char c = (unsigned char)*--p;
        if (c == '_') {
            continue;
        }
        acc |= (twodigits)digit_value(c) << accbits;
        accbits += bits;
        if (accbits >= PyLong_SHIFT) {
            z->ob_digit[i++] = (digit)(acc & PyLong_MASK);
            acc >>= PyLong_SHIFT;
            accbits -= PyLong_SHIFT;
        }
    }
    if (accbits > 0) {
        z->ob_digit[i++] = (digit)acc;
    }
    while (i < n) {
        z->ob_digit[i++] = 0;
    }
    return z;
}

/* Digits in any other base: multiply-add k digits at a time, where
   base**k is the largest power below 2**30. */
static PyLongObject *
digits_general(const char *start, const char *end, int base,
               Py_ssize_t ndigits)
{
    if (base == 10 && ndigits > FROM_DECIMAL_DC_THRESHOLD) {
        return (PyLongObject *)_PyLong_FromDecimalDigits(start, end - start);
    }
    twodigits convmax = base;
    int convwidth = 1;
    while (convmax * base < PyLong_BASE) {
        convmax *= base;
        convwidth++;
    }
    /* log(base) / log(2**30) digits per character, generously. */
    double per = log((double)base) / log((double)PyLong_BASE);
    Py_ssize_t cap = (Py_ssize_t)((double)ndigits * per) + 2;
    PyLongObject *z = _PyLong_New(cap);
    if (z == NULL) {
        return NULL;
    }
    Py_ssize_t size = 0;
    const char *p = start;
    while (p < end) {
        twodigits c = 0, mult = 1;
        int k = 0;
        while (k < convwidth && p < end) {
            if (*p == '_') {
                p++;
                continue;
            }
            c = c * base + digit_value((unsigned char)*p++);
            mult *= base;
            k++;
        }
        /* z = z * mult + c */
        for (Py_ssize_t i = 0; i < size; i++) {
            c += (twodigits)z->ob_digit[i] * mult;
            z->ob_digit[i] = (digit)(c & PyLong_MASK);
            c >>= PyLong_SHIFT;
        }
        if (c) {
            assert(size < cap);
            z->ob_digit[size++] = (digit)c;
        }
    }
    z->ob_base.ob_size = size;
    return z;
}

/* Parses s[0:len] (already ASCII).  On success returns the int and sets
   *pend past the trailing whitespace.  Returns NULL with *pend = NULL when
   the text is not a valid literal (the caller raises with its own repr),
   or NULL with an exception set for other errors. */
static PyObject *
parse_int(const char *s, const char *end, int base, const char **pend)
{
    *pend = NULL;
    const char *p = s;
    while (p < end && is_ascii_space((unsigned char)*p)) {
        p++;
    }
    int negative = 0;
    if (p < end && (*p == '+' || *p == '-')) {
        negative = *p == '-';
        p++;
    }
    int leading_zero_rule = 0, prefixed = 0;
    if (base == 0) {
        if (p + 1 < end && p[0] == '0') {
            char c = (char)(p[1] | 0x20);
            base = c == 'x' ? 16 : c == 'o' ? 8 : c == 'b' ? 2 : 10;
        }
        else {
            base = 10;
        }
        if (base == 10) {
            leading_zero_rule = 1;
        }
        else {
            p += 2;
            prefixed = 1;
        }
    }
    else if (p + 1 < end && p[0] == '0' &&
             ((base == 16 && (p[1] | 0x20) == 'x') ||
              (base == 8 && (p[1] | 0x20) == 'o') ||
              (base == 2 && (p[1] | 0x20) == 'b'))) {
        p += 2;
        prefixed = 1;
    }
    /* An underscore may follow a base prefix directly. */
    if (prefixed && p < end && *p == '_') {
        p++;
        if (p >= end || digit_value((unsigned char)*p) >= base) {
            return NULL;
        }
    }
    const char *start = p;
    Py_ssize_t ndigits = 0;
    int prev_us = 0, nonzero = 0;
    while (p < end) {
        unsigned char c = (unsigned char)*p;
        if (c == '_') {
            if (prev_us || p == start) {
                return NULL;
            }
            prev_us = 1;
            p++;
            continue;
        }
        if (digit_value(c) >= base) {
            break;
        }
        if (c != '0') {
            nonzero = 1;
        }
        prev_us = 0;
        ndigits++;
        p++;
    }
    if (ndigits == 0 || prev_us) {
        return NULL;
    }
    if (leading_zero_rule && *start == '0' && nonzero) {
        return NULL;    /* "010" is not a base-0 literal */
    }
    const char *digits_end = p;
    while (p < end && is_ascii_space((unsigned char)*p)) {
        p++;
    }
    int limit = _PyLong_GetMaxStrDigits();
    if ((base & (base - 1)) != 0 && limit > 0 && ndigits > limit) {
        PyErr_Format(PyExc_ValueError, MAX_STR_DIGITS_ERR_TO_INT, limit,
                     ndigits);
        *pend = p;
        return NULL;
    }
    PyLongObject *z;
    if ((base & (base - 1)) == 0) {
        z = digits_pow2(start, digits_end, base);
    }
    else {
        z = digits_general(start, digits_end, base, ndigits);
    }
    if (z == NULL) {
        *pend = p;
        return NULL;
    }
    /* Normalize (strip zero digits) and apply the sign. */
    Py_ssize_t n = z->ob_base.ob_size;
    while (n > 0 && z->ob_digit[n - 1] == 0) {
        n--;
    }
    z->ob_base.ob_size = negative ? -n : n;
    *pend = p;
    PyObject *res = _PyLong_Copy(z);    /* small ints become cached */
    Py_DECREF(z);
    return res;
}

static int
check_base(int base)
{
    if ((base != 0 && base < 2) || base > 36) {
        PyErr_SetString(PyExc_ValueError,
                        "int() base must be >= 2 and <= 36, or 0");
        return -1;
    }
    return 0;
}

PyObject *
PyLong_FromString(const char *str, char **pend, int base)
{
    if (check_base(base) < 0) {
        return NULL;
    }
    const char *end = str + strlen(str);
    const char *stop;
    PyObject *res = parse_int(str, end, base, &stop);
    if (res == NULL && PyErr_Occurred()) {
        if (pend != NULL) {
            *pend = (char *)str;
        }
        return NULL;
    }
    if (res != NULL && (pend != NULL || stop == end)) {
        if (pend != NULL) {
            *pend = (char *)stop;
        }
        return res;
    }
    Py_XDECREF(res);
    if (pend != NULL) {
        *pend = (char *)str;
    }
    Py_ssize_t slen = (Py_ssize_t)strlen(str);
    if (slen > 200) {
        slen = 200;
    }
    PyObject *strobj = PyUnicode_DecodeUTF8(str, slen, "replace");
    if (strobj == NULL) {
        return NULL;
    }
    PyErr_Format(PyExc_ValueError,
                 "invalid literal for int() with base %d: %.200R", base,
                 strobj);
    Py_DECREF(strobj);
    return NULL;
}

/* int(bytes, base): the message shows the bytes object's repr. */
PyObject *
_PyLong_FromBytes(const char *s, Py_ssize_t len, int base)
{
    if (check_base(base) < 0) {
        return NULL;
    }
    const char *stop;
    PyObject *res = parse_int(s, s + len, base, &stop);
    if (res != NULL && stop == s + len) {
        return res;
    }
    Py_XDECREF(res);
    if (res == NULL && PyErr_Occurred()) {
        return NULL;
    }
    PyObject *b = PyBytes_FromStringAndSize(s, len);
    if (b == NULL) {
        return NULL;
    }
    PyErr_Format(PyExc_ValueError,
                 "invalid literal for int() with base %d: %.200R", base, b);
    Py_DECREF(b);
    return NULL;
}

/* int(str, base): Unicode decimal digits count as digits and Unicode
   whitespace as space, as in CPython. */
PyObject *
PyLong_FromUnicodeObject(PyObject *u, int base)
{
    if (check_base(base) < 0) {
        return NULL;
    }
    Py_ssize_t len = PyUnicode_GET_LENGTH(u);
    const char *ascii;
    char *buf = NULL;
    if (PyUnicode_IS_ASCII(u)) {
        ascii = (const char *)PyUnicode_DATA(u);
    }
    else {
        buf = PyMem_Malloc((size_t)len + 1);
        if (buf == NULL) {
            return PyErr_NoMemory();
        }
        int kind = PyUnicode_KIND(u);
        const void *data = PyUnicode_DATA(u);
        for (Py_ssize_t i = 0; i < len; i++) {
            Py_UCS4 ch = PyUnicode_READ(kind, data, i);
            if (ch < 128) {
                buf[i] = (char)ch;
            }
            else if (_PyUnicode_IsWhitespace(ch)) {
                buf[i] = ' ';
            }
            else if (_PyUnicode_ToDecimalDigit(ch) >= 0) {
                buf[i] = (char)('0' + _PyUnicode_ToDecimalDigit(ch));
            }
            else {
                buf[i] = '?';   /* never a digit */
            }
        }
        buf[len] = '\0';
        ascii = buf;
    }
    const char *stop;
    PyObject *res = parse_int(ascii, ascii + len, base, &stop);
    PyMem_Free(buf);
    if (res != NULL && stop == ascii + len) {
        return res;
    }
    Py_XDECREF(res);
    if (res == NULL && PyErr_Occurred()) {
        return NULL;
    }
    PyErr_Format(PyExc_ValueError,
                 "invalid literal for int() with base %d: %.200R", base, u);
    return NULL;
}
