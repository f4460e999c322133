/* The format-spec mini-language shared by str, int and float __format__
 * (and by str.format, f-strings and %-formatting through them):
 *
 *   [[fill]align][sign]["z"]["#"]["0"][width][grouping]["." precision][type]
 *
 * Numbers are rendered as: sign, prefix (0x...), integer digits (grouped
 * by ',' or '_'), the rest (fraction, exponent, '%'), then padded to the
 * width.  With '0' padding the padding itself is grouped, as CPython does
 * ('00,001,234').  The C locale is the only locale, so 'n' formats like
 * 'd' and 'g' without grouping. */
#include "Python.h"
#include "pycore_long.h"
#include "pycore_unicodeobject.h"
#include "pycore_formatter.h"
#include "pystrtod.h"

#include <math.h>

/* ------------------------------------------------------ parsing */

static int
is_align(Py_UCS4 c)
{
    return c == '<' || c == '>' || c == '=' || c == '^';
}

/* Parses spec[start:end] into *f.  default_type and default_align are
   those of the object being formatted.  obj is only used for messages. */
int
_PyFormat_ParseSpec(PyObject *obj, PyObject *spec, Py_ssize_t start,
                    Py_ssize_t end, _PyFormatSpec *f, Py_UCS4 default_type,
                    Py_UCS4 default_align)
{
    int kind = PyUnicode_KIND(spec);
    const void *data = PyUnicode_DATA(spec);
    Py_ssize_t pos = start;
#define READ(i) PyUnicode_READ(kind, data, (i))
    f->fill_char = ' ';
    f->align = default_align;
    f->alternate = 0;
    f->no_neg_0 = 0;
    f->sign = '\0';
    f->width = -1;
    f->thousands = 0;
    f->precision = -1;
    f->type = default_type;
    int fill_given = 0, align_given = 0;
    if (end - pos >= 2 && is_align(READ(pos + 1))) {
        f->fill_char = READ(pos);
        f->align = READ(pos + 1);
        fill_given = align_given = 1;
        pos += 2;
    }
    else if (end - pos >= 1 && is_align(READ(pos))) {
        f->align = READ(pos);
        align_given = 1;
        pos++;
    }
    if (end - pos >= 1 && (READ(pos) == '+' || READ(pos) == '-' ||
                           READ(pos) == ' ')) {
        f->sign = READ(pos);
        pos++;
    }
    if (end - pos >= 1 && READ(pos) == 'z') {
        f->no_neg_0 = 1;
        pos++;
    }
    if (end - pos >= 1 && READ(pos) == '#') {
        f->alternate = 1;
        pos++;
    }
    if (!fill_given && end - pos >= 1 && READ(pos) == '0') {
        f->fill_char = '0';
        if (!align_given && default_align == '>') {
            f->align = '=';
        }
        pos++;
    }
    /* width */
    Py_ssize_t digits_start = pos;
    Py_ssize_t width = 0;
    while (pos < end && READ(pos) >= '0' && READ(pos) <= '9') {
        Py_UCS4 d = READ(pos) - '0';
        if (width > (PY_SSIZE_T_MAX - (Py_ssize_t)d) / 10) {
            PyErr_SetString(PyExc_ValueError,
                            "Too many decimal digits in format string");
            return -1;
        }
        width = width * 10 + (Py_ssize_t)d;
        pos++;
    }
    if (pos > digits_start) {
        f->width = width;
    }
    /* grouping */
    if (end - pos >= 1 && READ(pos) == ',') {
        f->thousands = ',';
        pos++;
    }
    if (end - pos >= 1 && READ(pos) == '_') {
        if (f->thousands != 0) {
            goto both;
        }
        f->thousands = '_';
        pos++;
    }
    if (end - pos >= 1 && READ(pos) == ',') {
        goto both;
    }
    /* precision */
    if (end - pos >= 1 && READ(pos) == '.') {
        pos++;
        digits_start = pos;
        Py_ssize_t prec = 0;
        while (pos < end && READ(pos) >= '0' && READ(pos) <= '9') {
            Py_UCS4 d = READ(pos) - '0';
            if (prec > (PY_SSIZE_T_MAX - (Py_ssize_t)d) / 10) {
                PyErr_SetString(PyExc_ValueError,
                                "Too many decimal digits in format string");
                return -1;
            }
            prec = prec * 10 + (Py_ssize_t)d;
            pos++;
        }
        if (pos == digits_start) {
            PyErr_SetString(PyExc_ValueError,
                            "Format specifier missing precision");
            return -1;
        }
        f->precision = prec;
    }
    if (end - pos > 1) {
        PyObject *s = PyUnicode_Substring(spec, start, end);
        if (s != NULL) {
            PyErr_Format(PyExc_ValueError,
                         "Invalid format specifier '%U' for object of "
                         "type '%.200s'", s, Py_TYPE(obj)->tp_name);
            Py_DECREF(s);
        }
        return -1;
    }
    if (end - pos == 1) {
        f->type = READ(pos);
    }
    if (f->thousands) {
        switch (f->type) {
        case 'd': case 'e': case 'f': case 'g': case 'E': case 'G':
        case '%': case 'F': case '\0':
            break;
        case 'b': case 'o': case 'x': case 'X':
            if (f->thousands == '_') {
                break;
            }
            /* fall through */
        default:
            if (f->type >= 32 && f->type < 127) {
                PyErr_Format(PyExc_ValueError, "Cannot specify '%c' with "
                             "'%c'.", (int)f->thousands, (int)f->type);
            }
            else {
                PyErr_Format(PyExc_ValueError, "Cannot specify '%c' with "
                             "'\\x%x'.", (int)f->thousands,
                             (unsigned int)f->type);
            }
            return -1;
        }
    }
    return 0;
#undef READ
both:
    PyErr_SetString(PyExc_ValueError, "Cannot specify both ',' and '_'.");
    return -1;
}

static void
unknown_code(Py_UCS4 type, PyObject *obj)
{
    if (type >= 32 && type < 127) {
        PyErr_Format(PyExc_ValueError,
                     "Unknown format code '%c' for object of type '%.200s'",
                     (int)type, Py_TYPE(obj)->tp_name);
    }
    else {
        PyErr_Format(PyExc_ValueError,
                     "Unknown format code '\\x%x' for object of type "
                     "'%.200s'", (unsigned int)type, Py_TYPE(obj)->tp_name);
    }
}

/* ------------------------------------------------------ rendering */

static int
write_fill(_PyUnicodeWriter *w, Py_UCS4 fill, Py_ssize_t n)
{
    if (n <= 0) {
        return 0;
    }
    if (_PyUnicodeWriter_Prepare(w, n, fill) < 0) {
        return -1;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyUnicode_WRITE(w->kind, w->data, w->pos + i, fill);
    }
    w->pos += n;
    return 0;
}

/* The integer digits grouped with sep every `group` digits, padded with
   '0' digits (and separators) to at least min_width characters; a new
   str. */
static PyObject *
group_digits(const char *digits, Py_ssize_t n, Py_UCS4 sep, int group,
             Py_ssize_t min_width, int zero_pad)
{
    /* Worst case: every digit and padding char with a separator. */
    Py_ssize_t cap = (Py_MAX(n, min_width) + 1) * 2 + 2;
    Py_UCS4 *buf = PyMem_Malloc((size_t)cap * sizeof(Py_UCS4));
    if (buf == NULL) {
        return PyErr_NoMemory();
    }
    Py_ssize_t len = 0, i = 0;
    int in_group = 0;
    for (;;) {
        int have_digit = i < n;
        if (!have_digit && (!zero_pad || len >= min_width)) {
            break;
        }
        if (sep && in_group == group) {
            buf[len++] = sep;
            in_group = 0;
        }
        buf[len++] = have_digit ? (Py_UCS4)(unsigned char)digits[n - 1 - i]
                                : '0';
        in_group++;
        i++;
    }
    /* reverse */
    for (Py_ssize_t a = 0, b = len - 1; a < b; a++, b--) {
        Py_UCS4 t = buf[a];
        buf[a] = buf[b];
        buf[b] = t;
    }
    PyObject *res = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, buf, len);
    PyMem_Free(buf);
    return res;
}

/* Writes sign + prefix + digits (grouped) + rest, aligned in f->width. */
static int
render_number(_PyUnicodeWriter *w, const _PyFormatSpec *f, Py_UCS4 sign,
              const char *prefix, const char *digits, Py_ssize_t ndigits,
              const char *rest, Py_ssize_t nrest, int group)
{
    Py_ssize_t nsign = sign ? 1 : 0;
    Py_ssize_t nprefix = (Py_ssize_t)strlen(prefix);
    int zero_pad = f->fill_char == '0' && f->align == '=';
    Py_ssize_t min_digits = 0;
    if (zero_pad && f->width > 0) {
        min_digits = f->width - nsign - nprefix - nrest;
    }
    PyObject *grouped = group_digits(digits, ndigits,
                                     f->thousands ? f->thousands : 0,
                                     group, min_digits, zero_pad);
    if (grouped == NULL) {
        return -1;
    }
    Py_ssize_t total = nsign + nprefix + PyUnicode_GET_LENGTH(grouped) +
                       nrest;
    Py_ssize_t pad = f->width > total ? f->width - total : 0;
    Py_ssize_t left = 0, right = 0, middle = 0;
    switch (f->align) {
    case '<': right = pad; break;
    case '^': left = pad / 2; right = pad - left; break;
    case '=': middle = pad; break;
    default: left = pad; break;
    }
    int r = -1;
    if (write_fill(w, f->fill_char, left) < 0 ||
        (sign && _PyUnicodeWriter_WriteChar(w, sign) < 0) ||
        _PyUnicodeWriter_WriteASCIIString(w, prefix, nprefix) < 0 ||
        write_fill(w, f->fill_char, middle) < 0 ||
        _PyUnicodeWriter_WriteStr(w, grouped) < 0 ||
        _PyUnicodeWriter_WriteASCIIString(w, rest, nrest) < 0 ||
        write_fill(w, f->fill_char, right) < 0) {
        goto done;
    }
    r = 0;
done:
    Py_DECREF(grouped);
    return r;
}

/* ------------------------------------------------------ str */

int
_PyFormat_String(_PyUnicodeWriter *w, PyObject *obj, const _PyFormatSpec *f)
{
    if (f->type != 's') {
        unknown_code(f->type, obj);
        return -1;
    }
    if (f->sign != '\0') {
        PyErr_SetString(PyExc_ValueError,
                        "Sign not allowed in string format specifier");
        return -1;
    }
    if (f->no_neg_0) {
        PyErr_SetString(PyExc_ValueError,
                        "Negative zero coercion (z) not allowed in string "
                        "format specifier");
        return -1;
    }
    if (f->alternate) {
        PyErr_SetString(PyExc_ValueError,
                        "Alternate form (#) not allowed in string format "
                        "specifier");
        return -1;
    }
    if (f->align == '=') {
        PyErr_SetString(PyExc_ValueError,
                        "'=' alignment not allowed in string format "
                        "specifier");
        return -1;
    }
    Py_ssize_t len = PyUnicode_GET_LENGTH(obj);
    if (f->precision >= 0 && len > f->precision) {
        len = f->precision;
    }
    Py_ssize_t pad = f->width > len ? f->width - len : 0;
    Py_ssize_t left = f->align == '>' ? pad :
                      f->align == '^' ? pad / 2 : 0;
    if (write_fill(w, f->fill_char, left) < 0 ||
        _PyUnicodeWriter_WriteSubstring(w, obj, 0, len) < 0 ||
        write_fill(w, f->fill_char, pad - left) < 0) {
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------ float */

/* Formats val by f (types e E f F g G n % and none). */
int
_PyFormat_Double(_PyUnicodeWriter *w, PyObject *obj, double val,
                 const _PyFormatSpec *f)
{
    Py_UCS4 type = f->type;
    int flags = 0;
    Py_ssize_t precision = f->precision;
    int add_pct = 0;
    if (f->alternate) {
        flags |= Py_DTSF_ALT;
    }
    if (f->no_neg_0) {
        flags |= Py_DTSF_NO_NEG_0;
    }
    if (type == '\0') {
        flags |= Py_DTSF_ADD_DOT_0;
        type = precision < 0 ? 'r' : 'g';
        if (precision == 0) {
            precision = 1;
        }
    }
    else if (type == 'n') {
        type = 'g';
    }
    else if (type == '%') {
        type = 'f';
        val *= 100;
        add_pct = 1;
    }
    switch (type) {
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case 'r':
        break;
    default:
        unknown_code(f->type, obj);
        return -1;
    }
    if (precision < 0 && type != 'r') {
        precision = 6;
    }
    if (type == 'r') {
        precision = 0;
    }
    if (precision > INT_MAX) {
        PyErr_SetString(PyExc_ValueError, "precision too big");
        return -1;
    }
    char *buf = PyOS_double_to_string(val, (char)type, (int)precision,
                                      flags, NULL);
    if (buf == NULL) {
        return -1;
    }
    const char *p = buf;
    Py_UCS4 sign = '\0';
    if (*p == '-') {
        sign = '-';
        p++;
    }
    else if (f->sign == '+' || f->sign == ' ') {
        sign = f->sign;
    }
    /* Integer digits: up to '.', 'e'/'E' or the end (inf and nan count
       as digits for padding and are not grouped: they have no digits). */
    Py_ssize_t nd = 0;
    while (p[nd] >= '0' && p[nd] <= '9') {
        nd++;
    }
    int letters = nd == 0;
    if (letters) {
        nd = (Py_ssize_t)strlen(p);
    }
    size_t restlen = strlen(p + nd);
    char *rest = PyMem_Malloc(restlen + 2);
    if (rest == NULL) {
        PyMem_Free(buf);
        PyErr_NoMemory();
        return -1;
    }
    memcpy(rest, p + nd, restlen);
    if (add_pct) {
        rest[restlen++] = '%';
    }
    rest[restlen] = '\0';
    _PyFormatSpec g = *f;
    if (letters) {
        g.thousands = 0;
    }
    int r = render_number(w, &g, sign, "", p, nd, rest, (Py_ssize_t)restlen,
                          3);
    PyMem_Free(rest);
    PyMem_Free(buf);
    return r;
}

/* ------------------------------------------------------ int */

int
_PyFormat_Long(_PyUnicodeWriter *w, PyObject *obj, const _PyFormatSpec *f)
{
    switch (f->type) {
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case '%': {
        double val = PyLong_AsDouble(obj);
        if (val == -1.0 && PyErr_Occurred()) {
            return -1;
        }
        return _PyFormat_Double(w, obj, val, f);
    }
    case 'b': case 'c': case 'd': case 'o': case 'x': case 'X': case 'n':
        break;
    default:
        unknown_code(f->type, obj);
        return -1;
    }
    if (f->precision != -1) {
        PyErr_SetString(PyExc_ValueError,
                        "Precision not allowed in integer format specifier");
        return -1;
    }
    if (f->no_neg_0) {
        PyErr_SetString(PyExc_ValueError,
                        "Negative zero coercion (z) not allowed in integer "
                        "format specifier");
        return -1;
    }
    if (f->type == 'c') {
        if (f->sign != '\0') {
            PyErr_SetString(PyExc_ValueError,
                            "Sign not allowed with integer format specifier "
                            "'c'");
            return -1;
        }
        if (f->alternate) {
            PyErr_SetString(PyExc_ValueError,
                            "Alternate form (#) not allowed with integer "
                            "format specifier 'c'");
            return -1;
        }
        long x = PyLong_AsLong(obj);
        if (x == -1 && PyErr_Occurred()) {
            return -1;
        }
        if (x < 0 || x > 0x10ffff) {
            PyErr_SetString(PyExc_OverflowError,
                            "%c arg not in range(0x110000)");
            return -1;
        }
        PyObject *ch = PyUnicode_FromOrdinal((int)x);
        if (ch == NULL) {
            return -1;
        }
        _PyFormatSpec g = *f;
        g.type = 's';
        g.sign = '\0';
        if (g.align == '=') {
            g.align = '>';
        }
        int r = _PyFormat_String(w, ch, &g);
        Py_DECREF(ch);
        return r;
    }
    int base = f->type == 'b' ? 2 : f->type == 'o' ? 8 :
               (f->type == 'x' || f->type == 'X') ? 16 : 10;
    PyObject *absval = _PyLong_Abs(obj);
    if (absval == NULL) {
        return -1;
    }
    PyObject *text = _PyLong_Format(absval, base);
    Py_DECREF(absval);
    if (text == NULL) {
        return -1;
    }
    const char *digits = PyUnicode_AsUTF8(text);
    if (base != 10) {
        digits += 2;    /* drop 0b / 0o / 0x */
    }
    Py_ssize_t nd = (Py_ssize_t)strlen(digits);
    char *upper = NULL;
    if (f->type == 'X') {
        upper = PyMem_Malloc((size_t)nd + 1);
        if (upper == NULL) {
            Py_DECREF(text);
            PyErr_NoMemory();
            return -1;
        }
        for (Py_ssize_t i = 0; i <= nd; i++) {
            char c = digits[i];
            upper[i] = (c >= 'a' && c <= 'f') ? (char)(c - 32) : c;
        }
        digits = upper;
    }
    const char *prefix = "";
    if (f->alternate) {
        prefix = base == 2 ? "0b" : base == 8 ? "0o" :
                 f->type == 'X' ? "0X" : base == 16 ? "0x" : "";
    }
    Py_UCS4 sign = '\0';
    if (_PyLong_Sign(obj) < 0) {
        sign = '-';
    }
    else if (f->sign == '+' || f->sign == ' ') {
        sign = f->sign;
    }
    int r = render_number(w, f, sign, prefix, digits, nd, "", 0,
                          base == 10 ? 3 : 4);
    PyMem_Free(upper);
    Py_DECREF(text);
    return r;
}

/* ------------------------------------------------------ __format__ */

static PyObject *
format_with(PyObject *obj, PyObject *spec, Py_UCS4 default_type,
            Py_UCS4 default_align,
            int (*render)(_PyUnicodeWriter *, PyObject *,
                          const _PyFormatSpec *))
{
    if (!PyUnicode_Check(spec)) {
        PyErr_Format(PyExc_TypeError,
                     "format() argument 2 must be str, not %.50s",
                     Py_TYPE(spec)->tp_name);
        return NULL;
    }
    _PyFormatSpec f;
    if (_PyFormat_ParseSpec(obj, spec, 0, PyUnicode_GET_LENGTH(spec), &f,
                            default_type, default_align) < 0) {
        return NULL;
    }
    _PyUnicodeWriter w;
    _PyUnicodeWriter_Init(&w);
    if (render(&w, obj, &f) < 0) {
        _PyUnicodeWriter_Dealloc(&w);
        return NULL;
    }
    return _PyUnicodeWriter_Finish(&w);
}

static int
render_double(_PyUnicodeWriter *w, PyObject *obj, const _PyFormatSpec *f)
{
    return _PyFormat_Double(w, obj, PyFloat_AS_DOUBLE(obj), f);
}

PyObject *
_PyUnicode_FormatSpec(PyObject *obj, PyObject *spec)
{
    if (PyUnicode_Check(spec) && PyUnicode_GET_LENGTH(spec) == 0) {
        return PyObject_Str(obj);
    }
    return format_with(obj, spec, 's', '<', _PyFormat_String);
}

PyObject *
_PyLong_FormatSpec(PyObject *obj, PyObject *spec)
{
    if (PyUnicode_Check(spec) && PyUnicode_GET_LENGTH(spec) == 0) {
        return PyObject_Str(obj);
    }
    return format_with(obj, spec, 'd', '>', _PyFormat_Long);
}

PyObject *
_PyFloat_FormatSpec(PyObject *obj, PyObject *spec)
{
    if (PyUnicode_Check(spec) && PyUnicode_GET_LENGTH(spec) == 0) {
        return PyObject_Str(obj);
    }
    return format_with(obj, spec, '\0', '>', render_double);
}
