/* Conversions between double and text.
 *
 * Parsing checks Python's float syntax itself (digits, one dot, an
 * exponent; "inf", "infinity", "nan" in any case) and hands the span to
 * the C library's strtod, which glibc rounds correctly, in the "C" locale.
 *
 * Formatting with a precision uses snprintf (also correctly rounded by
 * glibc).  The shortest round-trip digits of repr() are the smallest
 * precision p in 1..17 whose "%.{p-1}e" reads back as the same double. */
#define _GNU_SOURCE 1
#include "Python.h"
#include "pystrtod.h"

#include <locale.h>
#include <math.h>
#include <pthread.h>

static locale_t c_locale;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;

static void
make_c_locale(void)
{
    c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
}

/* strtod in the C locale on s[0:len] (len < 400 or copied). */
static double
c_strtod(const char *s, size_t len)
{
    pthread_once(&c_locale_once, make_c_locale);
    char stackbuf[400];
    char *buf = stackbuf;
    if (len >= sizeof(stackbuf)) {
        buf = PyMem_RawMalloc(len + 1);
        if (buf == NULL) {
            return NAN;     /* only reached for absurd inputs */
        }
    }
    memcpy(buf, s, len);
    buf[len] = '\0';
    double x = c_locale != (locale_t)0 ? strtod_l(buf, NULL, c_locale)
                                       : strtod(buf, NULL);
    if (buf != stackbuf) {
        PyMem_RawFree(buf);
    }
    return x;
}

static int
case_prefix(const char *s, const char *word)
{
    for (; *word; s++, word++) {
        char c = *s;
        if (c >= 'A' && c <= 'Z') {
            c = (char)(c - 'A' + 'a');
        }
        if (c != *word) {
            return 0;
        }
    }
    return 1;
}

double
_Py_parse_inf_or_nan(const char *p, char **endptr)
{
    const char *s = p;
    int negate = 0;
    if (*s == '-') {
        negate = 1;
        s++;
    }
    else if (*s == '+') {
        s++;
    }
    double r;
    if (case_prefix(s, "inf")) {
        s += 3;
        if (case_prefix(s, "inity")) {
            s += 5;
        }
        r = negate ? -INFINITY : INFINITY;
    }
    else if (case_prefix(s, "nan")) {
        s += 3;
        r = negate ? -NAN : NAN;
    }
    else {
        s = p;
        r = -1.0;
    }
    *endptr = (char *)s;
    return r;
}

/* The end of the longest prefix of s that is a Python float literal
   without underscores (s itself if none). */
static const char *
scan_number(const char *s)
{
    const char *p = s;
    if (*p == '+' || *p == '-') {
        p++;
    }
    const char *digits = p;
    while (*p >= '0' && *p <= '9') {
        p++;
    }
    int ndigits = (int)(p - digits);
    if (*p == '.') {
        const char *q = p + 1;
        while (*q >= '0' && *q <= '9') {
            q++;
        }
        ndigits += (int)(q - p - 1);
        p = q;
    }
    if (ndigits == 0) {
        return s;
    }
    if (*p == 'e' || *p == 'E') {
        const char *q = p + 1;
        if (*q == '+' || *q == '-') {
            q++;
        }
        if (*q >= '0' && *q <= '9') {
            while (*q >= '0' && *q <= '9') {
                q++;
            }
            p = q;
        }
    }
    return p;
}

double
PyOS_string_to_double(const char *s, char **endptr,
                      PyObject *overflow_exception)
{
    char *end;
    double x = _Py_parse_inf_or_nan(s, &end);
    if (end == s) {
        const char *e = scan_number(s);
        if (e != s) {
            x = c_strtod(s, (size_t)(e - s));
            end = (char *)e;
        }
    }
    if (end == s || (endptr == NULL && *end != '\0')) {
        if (endptr != NULL) {
            *endptr = (char *)s;
        }
        PyErr_Format(PyExc_ValueError,
                     "could not convert string to float: '%.200s'", s);
        return -1.0;
    }
    if (overflow_exception != NULL && isinf(x)) {
        char *e2;
        _Py_parse_inf_or_nan(s, &e2);
        if (e2 == s) {      /* a finite literal overflowed */
            PyErr_Format(overflow_exception,
                         "value too large to convert to float: '%.200s'", s);
            if (endptr != NULL) {
                *endptr = (char *)s;
            }
            return -1.0;
        }
    }
    if (endptr != NULL) {
        *endptr = end;
    }
    return x;
}

/* ------------------------------------------------------ formatting */

/* The p-digit decimals near val: the correctly rounded one ("%.*e"), and
   the ones a unit of the last digit above and below, each as an integer
   mantissa string and an exponent (value = mant * 10**exp). */
typedef struct {
    char mant[24];
    int exp;
} dec_candidate;

/* Fills c[0] (correctly rounded), c[1] (+1) and c[2] (-1). */
static void
near_decimals(double val, int p, dec_candidate c[3])
{
    char buf[40];
    snprintf(buf, sizeof(buf), "%.*e", p - 1, val);
    int n = 0;
    const char *q = buf;
    for (; *q != 'e'; q++) {
        if (*q != '.') {
            c[0].mant[n++] = *q;
        }
    }
    c[0].mant[n] = '\0';
    c[0].exp = atoi(q + 1) - (p - 1);
    /* +1: add one with carry (may grow a digit) */
    char up[24];
    strcpy(up, c[0].mant);
    int i = n - 1;
    while (i >= 0 && up[i] == '9') {
        up[i--] = '0';
    }
    if (i >= 0) {
        up[i]++;
        strcpy(c[1].mant, up);
    }
    else {
        c[1].mant[0] = '1';
        strcpy(c[1].mant + 1, up);
    }
    c[1].exp = c[0].exp;
    /* -1: subtract one with borrow (may lose a leading digit) */
    char down[24];
    strcpy(down, c[0].mant);
    i = n - 1;
    while (i >= 0 && down[i] == '0') {
        down[i--] = '9';
    }
    if (i >= 0) {
        down[i]--;
    }
    const char *d = down;
    while (d[0] == '0' && d[1] != '\0') {
        d++;
    }
    strcpy(c[2].mant, d);
    c[2].exp = c[0].exp;
}

/* The double that a candidate reads back as. */
static double
candidate_value(const dec_candidate *c)
{
    char buf[48];
    snprintf(buf, sizeof(buf), "%se%d", c->mant, c->exp);
    return c_strtod(buf, strlen(buf));
}

/* Index of the p-digit candidate that reads back as val, preferring the
   correctly rounded one, then the closer neighbour; -1 if none. */
static int
pick_candidate(double val, dec_candidate c[3])
{
    if (candidate_value(&c[0]) == val) {
        return 0;
    }
    int ok1 = c[1].mant[0] != '\0' && candidate_value(&c[1]) == val;
    int ok2 = strcmp(c[2].mant, "0") != 0 && candidate_value(&c[2]) == val;
    if (ok1 && ok2) {
        /* cannot happen with c[0] failing (c[0] lies between them) */
        return 1;
    }
    return ok1 ? 1 : ok2 ? 2 : -1;
}

int
_Py_dg_shortest(double val, char *digits, int *decpt)
{
    val = fabs(val);
    /* The shortest digits that read back as val (what repr() shows):
       for a precision p, the p-digit decimals that can read back as val
       are the correctly rounded one and its neighbours (the rounding
       interval of val is less than two units of the p-th digit wide when
       the correctly rounded one fails).  "Some p-digit decimal reads
       back" holds for p + 1 whenever it holds for p (append a zero), so
       the smallest p is found by binary search; 17 always works. */
    dec_candidate c[3];
    int lo = 1, hi = 17;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        near_decimals(val, mid, c);
        if (pick_candidate(val, c) >= 0) {
            hi = mid;
        }
        else {
            lo = mid + 1;
        }
    }
    near_decimals(val, lo, c);
    int k = pick_candidate(val, c);
    if (k < 0) {
        k = 0;
    }
    const char *m = c[k].mant;
    int len = (int)strlen(m);
    int n = len;
    while (n > 1 && m[n - 1] == '0') {
        n--;
    }
    memcpy(digits, m, (size_t)n);
    digits[n] = '\0';
    *decpt = len + c[k].exp;
    return n;
}

/* repr(x) for finite nonzero x (sign included): fixed notation when
   -4 < decpt <= 16, else exponent notation, as CPython. */
static void
format_repr(double val, char *out, int add_dot_0, int sign_plus)
{
    char digits[20];
    int decpt;
    char *p = out;
    if (signbit(val)) {
        *p++ = '-';
    }
    else if (sign_plus) {
        *p++ = '+';
    }
    if (val == 0.0) {
        strcpy(p, add_dot_0 ? "0.0" : "0");
        return;
    }
    int n = _Py_dg_shortest(val, digits, &decpt);
    if (-4 < decpt && decpt <= 16) {
        if (decpt <= 0) {
            *p++ = '0';
            *p++ = '.';
            for (int i = 0; i < -decpt; i++) {
                *p++ = '0';
            }
            memcpy(p, digits, (size_t)n);
            p += n;
        }
        else if (decpt >= n) {
            memcpy(p, digits, (size_t)n);
            p += n;
            for (int i = n; i < decpt; i++) {
                *p++ = '0';
            }
            if (add_dot_0) {
                *p++ = '.';
                *p++ = '0';
            }
        }
        else {
            memcpy(p, digits, (size_t)decpt);
            p += decpt;
            *p++ = '.';
            memcpy(p, digits + decpt, (size_t)(n - decpt));
            p += n - decpt;
        }
        *p = '\0';
        return;
    }
    *p++ = digits[0];
    if (n > 1) {
        *p++ = '.';
        memcpy(p, digits + 1, (size_t)(n - 1));
        p += n - 1;
    }
    int e = decpt - 1;
    sprintf(p, "e%c%02d", e < 0 ? '-' : '+', e < 0 ? -e : e);
}

char *
PyOS_double_to_string(double val, char format_code, int precision, int flags,
                      int *type)
{
    char buf[1200];
    int upper = 0;
    if (type != NULL) {
        *type = isnan(val) ? Py_DTST_NAN :
                isinf(val) ? Py_DTST_INFINITE : Py_DTST_FINITE;
    }
    switch (format_code) {
    case 'E': case 'F': case 'G':
        upper = 1;
        format_code = (char)(format_code - 'A' + 'a');
        break;
    case 'e': case 'f': case 'g':
        break;
    case 'r':
        if (precision != 0) {
            PyErr_BadInternalCall();
            return NULL;
        }
        break;
    default:
        PyErr_BadInternalCall();
        return NULL;
    }
    if (!isfinite(val)) {
        const char *s = isnan(val) ? "nan" : "inf";
        snprintf(buf, sizeof(buf), "%s%s",
                 (!isnan(val) && val < 0) ? "-" :
                 (flags & Py_DTSF_SIGN) ? "+" : "", s);
        if (upper) {
            for (char *c = buf; *c; c++) {
                if (*c >= 'a' && *c <= 'z') {
                    *c = (char)(*c - 'a' + 'A');
                }
            }
        }
    }
    else if (format_code == 'r') {
        format_repr(val, buf, (flags & Py_DTSF_ADD_DOT_0) != 0,
                    (flags & Py_DTSF_SIGN) != 0);
        if ((flags & Py_DTSF_ALT) && strchr(buf, '.') == NULL) {
            /* '#': always a decimal point ("1.e+16") */
            char *e = strchr(buf, 'e');
            if (e == NULL) {
                strcat(buf, ".");
            }
            else {
                memmove(e + 1, e, strlen(e) + 1);
                *e = '.';
            }
        }
    }
    else if (format_code == 'g' && (flags & Py_DTSF_ADD_DOT_0) &&
             !(flags & Py_DTSF_ALT)) {
        /* 'g' for format()'s empty type with a precision: a fixed result
           keeps one digit after the point, so fixed notation is used only
           while that still fits in `precision` digits (exponent < p-1). */
        int p = precision < 1 ? 1 : (precision > 1000 ? 1000 : precision);
        char ebuf[1100];
        snprintf(ebuf, sizeof(ebuf), "%.*e", p - 1, val);
        int exp10 = atoi(strchr(ebuf, 'e') + 1);
        if (exp10 < -4 || exp10 >= p - 1) {
            /* exponent form with trailing zeros dropped */
            char *e = strchr(ebuf, 'e');
            char *end = e;
            if (strchr(ebuf, '.') != NULL) {
                while (end[-1] == '0') {
                    end--;
                }
                if (end[-1] == '.') {
                    end--;
                }
            }
            memmove(end, e, strlen(e) + 1);
            snprintf(buf, sizeof(buf), "%s%s",
                     (flags & Py_DTSF_SIGN) && ebuf[0] != '-' ? "+" : "",
                     ebuf);
        }
        else {
            snprintf(buf, sizeof(buf), "%s%.*f",
                     (flags & Py_DTSF_SIGN) && !signbit(val) ? "+" : "",
                     p - 1 - exp10, val);
            char *dot = strchr(buf, '.');
            if (dot == NULL) {
                strcat(buf, ".0");
            }
            else {
                char *end = buf + strlen(buf);
                while (end[-1] == '0' && end - 1 > dot + 1) {
                    end--;
                }
                *end = '\0';
            }
        }
    }
    else {
        if (precision > 1000) {
            precision = 1000;
        }
        char spec[16];
        snprintf(spec, sizeof(spec), "%%%s%s.*%c",
                 (flags & Py_DTSF_SIGN) ? "+" : "",
                 (flags & Py_DTSF_ALT) ? "#" : "", format_code);
        snprintf(buf, sizeof(buf), spec, precision, val);
        if ((flags & Py_DTSF_ADD_DOT_0) && format_code == 'g' &&
            strpbrk(buf, ".e") == NULL) {
            strcat(buf, ".0");
        }
        if (upper) {
            for (char *c = buf; *c; c++) {
                if (*c == 'e') {
                    *c = 'E';
                }
            }
        }
    }
    if ((flags & Py_DTSF_NO_NEG_0) && buf[0] == '-') {
        /* A value that rounded to zero loses its sign ('z' option). */
        int zero = 1;
        for (const char *c = buf + 1; *c && *c != 'e' && *c != 'E'; c++) {
            if (*c >= '1' && *c <= '9') {
                zero = 0;
                break;
            }
            if (*c != '0' && *c != '.') {
                zero = 0;     /* inf, nan */
                break;
            }
        }
        if (zero) {
            memmove(buf, buf + 1, strlen(buf));
        }
    }
    size_t len = strlen(buf);
    char *res = PyMem_Malloc(len + 1);
    if (res == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    memcpy(res, buf, len + 1);
    return res;
}
