/* str.format / str.format_map and printf-style str % args.
 *
 * str.format: literal text with {{ and }} escapes, and replacement fields
 *   {field_name!conversion:format_spec}
 * where field_name is an argument (auto-numbered, an index, or a keyword)
 * followed by .attribute and [key] parts, conversion is r, s or a, and
 * the spec may itself hold replacement fields (one level deep).
 *
 * str % args: %[(key)][flags][width][.precision][length]type with the
 * types of CPython 3.11 (s r a c d i u o x X e E f F g G %).
 *
 * Nothing here is shared between threads. */
#include "Python.h"
#include "pycore_long.h"
#include "pycore_unicodeobject.h"
#include "pycore_formatter.h"
#include "pystrtod.h"

/* ------------------------------------------------------ str.format */

typedef struct {
    PyObject *args;         /* tuple */
    PyObject *kwargs;       /* dict, mapping or NULL */
    int is_map;             /* kwargs is a mapping (format_map) */
    int auto_state;         /* 0 unknown, 1 automatic, 2 manual */
    Py_ssize_t auto_index;
} fmt_state;

static int render_template(_PyUnicodeWriter *w, PyObject *s,
                           Py_ssize_t start, Py_ssize_t end, fmt_state *st,
                           int recursion);

static Py_UCS4
rd(PyObject *s, Py_ssize_t i)
{
    return PyUnicode_READ_CHAR(s, i);
}

/* The decimal value of s[start:end] if it is all ASCII digits, else -1
   (-2 if too big). */
static Py_ssize_t
as_index(PyObject *s, Py_ssize_t start, Py_ssize_t end)
{
    if (start >= end) {
        return -1;
    }
    Py_ssize_t v = 0;
    for (Py_ssize_t i = start; i < end; i++) {
        Py_UCS4 c = rd(s, i);
        if (c < '0' || c > '9') {
            return -1;
        }
        if (v > (PY_SSIZE_T_MAX - 9) / 10) {
            return -2;
        }
        v = v * 10 + (Py_ssize_t)(c - '0');
    }
    return v;
}

/* The argument named by the first part of a field name: new reference. */
static PyObject *
get_first(PyObject *s, Py_ssize_t start, Py_ssize_t end, fmt_state *st)
{
    Py_ssize_t index;
    if (start == end) {
        if (st->auto_state == 2) {
            PyErr_SetString(PyExc_ValueError,
                            "cannot switch from manual field specification "
                            "to automatic field numbering");
            return NULL;
        }
        st->auto_state = 1;
        index = st->auto_index++;
    }
    else {
        index = as_index(s, start, end);
        if (index == -2) {
            PyErr_SetString(PyExc_ValueError,
                            "Too many decimal digits in format string");
            return NULL;
        }
        if (index >= 0) {
            if (st->auto_state == 1) {
                PyErr_SetString(PyExc_ValueError,
                                "cannot switch from automatic field "
                                "numbering to manual field specification");
                return NULL;
            }
            st->auto_state = 2;
        }
    }
    if (index >= 0) {
        if (st->args == NULL || index >= PyTuple_GET_SIZE(st->args)) {
            PyErr_Format(PyExc_IndexError,
                         "Replacement index %zd out of range for positional "
                         "args tuple", index);
            return NULL;
        }
        return Py_NewRef(PyTuple_GET_ITEM(st->args, index));
    }
    PyObject *key = PyUnicode_Substring(s, start, end);
    if (key == NULL) {
        return NULL;
    }
    PyObject *v = NULL;
    if (st->kwargs == NULL) {
        PyErr_SetObject(PyExc_KeyError, key);
    }
    else if (st->is_map) {
        v = PyObject_GetItem(st->kwargs, key);
    }
    else {
        v = PyDict_GetItemWithError(st->kwargs, key);
        if (v != NULL) {
            Py_INCREF(v);
        }
        else if (!PyErr_Occurred()) {
            PyErr_SetObject(PyExc_KeyError, key);
        }
    }
    Py_DECREF(key);
    return v;
}

/* Resolves field_name = s[start:end] (first part, then .attr and [key]):
   new reference. */
static PyObject *
get_field(PyObject *s, Py_ssize_t start, Py_ssize_t end, fmt_state *st)
{
    Py_ssize_t i = start;
    while (i < end && rd(s, i) != '.' && rd(s, i) != '[') {
        i++;
    }
    PyObject *obj = get_first(s, start, i, st);
    while (obj != NULL && i < end) {
        Py_UCS4 c = rd(s, i);
        Py_ssize_t j = i + 1;
        PyObject *next;
        if (c == '.') {
            while (j < end && rd(s, j) != '.' && rd(s, j) != '[') {
                j++;
            }
            if (j == i + 1) {
                PyErr_SetString(PyExc_ValueError,
                                "Empty attribute in format string");
                goto error;
            }
            PyObject *name = PyUnicode_Substring(s, i + 1, j);
            if (name == NULL) {
                goto error;
            }
            next = PyObject_GetAttr(obj, name);
            Py_DECREF(name);
            i = j;
        }
        else if (c == '[') {
            while (j < end && rd(s, j) != ']') {
                j++;
            }
            if (j >= end) {
                PyErr_SetString(PyExc_ValueError,
                                "Missing ']' in format string");
                goto error;
            }
            if (j == i + 1) {
                PyErr_SetString(PyExc_ValueError,
                                "Empty attribute in format string");
                goto error;
            }
            Py_ssize_t idx = as_index(s, i + 1, j);
            PyObject *key = idx >= 0 ? PyLong_FromSsize_t(idx)
                                     : PyUnicode_Substring(s, i + 1, j);
            if (key == NULL) {
                goto error;
            }
            next = PyObject_GetItem(obj, key);
            Py_DECREF(key);
            i = j + 1;
            if (i < end && rd(s, i) != '.' && rd(s, i) != '[') {
                Py_XDECREF(next);
                PyErr_SetString(PyExc_ValueError,
                                "Only '.' or '[' may follow ']' in format "
                                "field specifier");
                goto error;
            }
        }
        else {
            PyErr_SetString(PyExc_ValueError,
                            "Only '.' or '[' may follow ']' in format field "
                            "specifier");
            goto error;
        }
        Py_SETREF(obj, next);
    }
    return obj;
error:
    Py_DECREF(obj);
    return NULL;
}

/* format(obj, spec) with fast paths for the built-in types. */
static int
write_formatted(_PyUnicodeWriter *w, PyObject *obj, PyObject *spec)
{
    PyObject *res;
    if (PyUnicode_CheckExact(obj) && PyUnicode_GET_LENGTH(spec) == 0) {
        return _PyUnicodeWriter_WriteStr(w, obj);
    }
    if (PyUnicode_CheckExact(obj)) {
        res = _PyUnicode_FormatSpec(obj, spec);
    }
    else if (PyLong_CheckExact(obj)) {
        res = _PyLong_FormatSpec(obj, spec);
    }
    else if (PyFloat_CheckExact(obj)) {
        res = _PyFloat_FormatSpec(obj, spec);
    }
    else {
        res = PyObject_Format(obj, spec);
    }
    if (res == NULL) {
        return -1;
    }
    int r = _PyUnicodeWriter_WriteStr(w, res);
    Py_DECREF(res);
    return r;
}

/* One replacement field, s[start:end] being the text between the
   braces. */
static int
render_field(_PyUnicodeWriter *w, PyObject *s, Py_ssize_t start,
             Py_ssize_t end, fmt_state *st, int recursion)
{
    /* The field name ends at the first '!' or ':' outside brackets. */
    Py_ssize_t i = start;
    while (i < end) {
        Py_UCS4 c = rd(s, i);
        if (c == '[') {
            while (i < end && rd(s, i) != ']') {
                i++;
            }
            if (i < end) {
                i++;
            }
            continue;
        }
        if (c == '!' || c == ':') {
            break;
        }
        i++;
    }
    Py_ssize_t name_end = i;
    Py_UCS4 conversion = 0;
    if (i < end && rd(s, i) == '!') {
        if (i + 1 >= end) {
            PyErr_SetString(PyExc_ValueError,
                            "end of string while looking for conversion "
                            "specifier");
            return -1;
        }
        conversion = rd(s, i + 1);
        i += 2;
        if (i < end && rd(s, i) != ':') {
            PyErr_SetString(PyExc_ValueError,
                            "expected ':' after conversion specifier");
            return -1;
        }
    }
    Py_ssize_t spec_start = i < end ? i + 1 : end;
    PyObject *obj = get_field(s, start, name_end, st);
    if (obj == NULL) {
        return -1;
    }
    if (conversion != 0) {
        PyObject *conv;
        switch (conversion) {
        case 'r': conv = PyObject_Repr(obj); break;
        case 's': conv = PyObject_Str(obj); break;
        case 'a': conv = PyObject_ASCII(obj); break;
        default:
            if (conversion >= 32 && conversion < 127) {
                PyErr_Format(PyExc_ValueError,
                             "Unknown conversion specifier %c",
                             (int)conversion);
            }
            else {
                PyErr_Format(PyExc_ValueError,
                             "Unknown conversion specifier \\x%x",
                             (unsigned int)conversion);
            }
            conv = NULL;
            break;
        }
        Py_SETREF(obj, conv);
        if (obj == NULL) {
            return -1;
        }
    }
    /* Expand fields inside the spec. */
    PyObject *spec;
    _PyUnicodeWriter sw;
    _PyUnicodeWriter_Init(&sw);
    if (render_template(&sw, s, spec_start, end, st, recursion - 1) < 0) {
        _PyUnicodeWriter_Dealloc(&sw);
        Py_DECREF(obj);
        return -1;
    }
    spec = _PyUnicodeWriter_Finish(&sw);
    if (spec == NULL) {
        Py_DECREF(obj);
        return -1;
    }
    int r = write_formatted(w, obj, spec);
    Py_DECREF(spec);
    Py_DECREF(obj);
    return r;
}

/* Literal text and fields of s[start:end]. */
static int
render_template(_PyUnicodeWriter *w, PyObject *s, Py_ssize_t start,
                Py_ssize_t end, fmt_state *st, int recursion)
{
    Py_ssize_t i = start;
    while (i < end) {
        Py_ssize_t lit = i;
        while (i < end && rd(s, i) != '{' && rd(s, i) != '}') {
            i++;
        }
        if (_PyUnicodeWriter_WriteSubstring(w, s, lit, i) < 0) {
            return -1;
        }
        if (i >= end) {
            break;
        }
        Py_UCS4 c = rd(s, i);
        if (c == '}') {
            if (i + 1 < end && rd(s, i + 1) == '}') {
                if (_PyUnicodeWriter_WriteChar(w, '}') < 0) {
                    return -1;
                }
                i += 2;
                continue;
            }
            PyErr_SetString(PyExc_ValueError,
                            "Single '}' encountered in format string");
            return -1;
        }
        /* c == '{' */
        if (i + 1 >= end) {
            PyErr_SetString(PyExc_ValueError,
                            "Single '{' encountered in format string");
            return -1;
        }
        if (rd(s, i + 1) == '{') {
            if (_PyUnicodeWriter_WriteChar(w, '{') < 0) {
                return -1;
            }
            i += 2;
            continue;
        }
        if (recursion <= 0) {
            /* a field inside the spec of a field inside a spec */
            PyErr_SetString(PyExc_ValueError,
                            "Max string recursion exceeded");
            return -1;
        }
        /* Find the end of the field: nested braces count, '[...]' in the
           name is skipped, and the character after '!' is the
           conversion whatever it is. */
        Py_ssize_t field = i + 1, j = i + 1;
        int depth = 1, in_spec = 0, seen = 0;
        while (j < end) {
            Py_UCS4 d = rd(s, j);
            if (!in_spec && d == '[') {
                while (j < end && rd(s, j) != ']') {
                    j++;
                }
                if (j >= end) {
                    break;
                }
                j++;
                continue;
            }
            if (!in_spec && d == '!') {
                seen = 1;
                if (j + 1 >= end) {
                    PyErr_SetString(PyExc_ValueError,
                                    "end of string while looking for "
                                    "conversion specifier");
                    return -1;
                }
                j += 2;
                continue;
            }
            if (!in_spec && d == ':') {
                in_spec = seen = 1;
            }
            else if (d == '{') {
                depth++;
            }
            else if (d == '}') {
                if (--depth == 0) {
                    break;
                }
            }
            j++;
        }
        if (j >= end) {
            PyErr_SetString(PyExc_ValueError,
                            seen ? "unmatched '{' in format spec"
                                 : "expected '}' before end of string");
            return -1;
        }
        if (render_field(w, s, field, j, st, recursion) < 0) {
            return -1;
        }
        i = j + 1;
    }
    return 0;
}

PyObject *
_PyUnicode_FormatMethod(PyObject *self, PyObject *args, PyObject *mapping)
{
    fmt_state st = {args, mapping, 0, 0, 0};
    if (mapping != NULL && !PyDict_CheckExact(mapping)) {
        st.is_map = 1;
    }
    _PyUnicodeWriter w;
    _PyUnicodeWriter_Init(&w);
    w.overallocate = 1;
    if (render_template(&w, self, 0, PyUnicode_GET_LENGTH(self), &st, 2)
        < 0) {
        _PyUnicodeWriter_Dealloc(&w);
        return NULL;
    }
    return _PyUnicodeWriter_Finish(&w);
}

/* ------------------------------------------------------ str % args */

typedef struct {
    PyObject *args;
    Py_ssize_t arglen;      /* -1: a single non-tuple argument */
    Py_ssize_t argidx;
    PyObject *dict;         /* mapping for %(key)s, or NULL */
    int used_dict;
} pct_state;

/* The next positional argument (borrowed), or NULL with TypeError. */
static PyObject *
next_arg(pct_state *st)
{
    if (st->arglen < 0) {
        if (st->argidx == 0) {
            st->argidx = 1;
            return st->args;
        }
    }
    else if (st->argidx < st->arglen) {
        return PyTuple_GET_ITEM(st->args, st->argidx++);
    }
    PyErr_SetString(PyExc_TypeError,
                    "not enough arguments for format string");
    return NULL;
}

/* %d %i %u %o %x %X: the int to format (new reference). */
static PyObject *
pct_int_arg(PyObject *v, Py_UCS4 c)
{
    if (PyLong_Check(v)) {
        return Py_NewRef(v);
    }
    if (c == 'd' || c == 'i' || c == 'u') {
        if (PyNumber_Check(v)) {
            PyObject *i = PyNumber_Long(v);
            if (i != NULL || !PyErr_ExceptionMatches(PyExc_TypeError)) {
                return i;
            }
            PyErr_Clear();
        }
        PyErr_Format(PyExc_TypeError,
                     "%%%c format: a real number is required, not %.200s",
                     (int)c, Py_TYPE(v)->tp_name);
        return NULL;
    }
    if (PyIndex_Check(v)) {
        return PyNumber_Index(v);
    }
    PyErr_Format(PyExc_TypeError,
                 "%%%c format: an integer is required, not %.200s", (int)c,
                 Py_TYPE(v)->tp_name);
    return NULL;
}

/* One conversion: spec holds flags/width/precision mapped onto the
   format-spec machinery. */
static int
pct_convert(_PyUnicodeWriter *w, PyObject *v, Py_UCS4 c, int left,
            Py_UCS4 sign, int alt, int zero, Py_ssize_t width,
            Py_ssize_t prec)
{
    _PyFormatSpec f;
    f.fill_char = ' ';
    f.align = left ? '<' : '>';
    f.alternate = alt;
    f.no_neg_0 = 0;
    f.sign = sign;
    f.width = width;
    f.thousands = 0;
    f.precision = prec;
    f.type = c;
    if (zero && !left && c != 's' && c != 'r' && c != 'a' && c != 'c') {
        f.fill_char = '0';
        f.align = '=';
    }
    switch (c) {
    case 's': case 'r': case 'a': {
        PyObject *s = c == 's' ? PyObject_Str(v) :
                      c == 'r' ? PyObject_Repr(v) : PyObject_ASCII(v);
        if (s == NULL) {
            return -1;
        }
        f.type = 's';
        f.sign = '\0';
        f.alternate = 0;
        int r = _PyFormat_String(w, s, &f);
        Py_DECREF(s);
        return r;
    }
    case 'c': {
        Py_UCS4 ch;
        if (PyUnicode_Check(v)) {
            if (PyUnicode_GET_LENGTH(v) != 1) {
                PyErr_SetString(PyExc_TypeError, "%c requires int or char");
                return -1;
            }
            ch = PyUnicode_READ_CHAR(v, 0);
        }
        else {
            int overflow;
            long x = PyLong_Check(v) ? PyLong_AsLongAndOverflow(v, &overflow)
                                     : -2;
            if (x == -2 && !PyLong_Check(v)) {
                PyErr_SetString(PyExc_TypeError, "%c requires int or char");
                return -1;
            }
            if (overflow || x < 0 || x > 0x10ffff) {
                PyErr_SetString(PyExc_OverflowError,
                                "%c arg not in range(0x110000)");
                return -1;
            }
            ch = (Py_UCS4)x;
        }
        PyObject *s = PyUnicode_FromOrdinal((int)ch);
        if (s == NULL) {
            return -1;
        }
        f.type = 's';
        f.sign = '\0';
        f.alternate = 0;
        f.precision = -1;
        int r = _PyFormat_String(w, s, &f);
        Py_DECREF(s);
        return r;
    }
    case 'd': case 'i': case 'u': case 'o': case 'x': case 'X': {
        PyObject *i = pct_int_arg(v, c);
        if (i == NULL) {
            return -1;
        }
        f.type = (c == 'i' || c == 'u') ? 'd' : c;
        Py_ssize_t p = f.precision;
        f.precision = -1;
        int r;
        if (p > 0) {
            /* %.5d: at least p digits. */
            PyObject *absval = _PyLong_Abs(i);
            PyObject *digits = absval ? _PyLong_Format(absval,
                f.type == 'o' ? 8 : (f.type == 'x' || f.type == 'X') ? 16
                : 10) : NULL;
            Py_XDECREF(absval);
            if (digits == NULL) {
                Py_DECREF(i);
                return -1;
            }
            Py_ssize_t nd = PyUnicode_GET_LENGTH(digits) -
                            (f.type == 'd' ? 0 : 2);
            Py_DECREF(digits);
            _PyFormatSpec g = f;
            g.fill_char = '0';
            g.align = '=';
            g.width = p + (_PyLong_Sign(i) < 0 || sign ? 1 : 0) +
                      (alt && f.type != 'd' ? 2 : 0);
            if (f.align == '=' && f.width > g.width) {
                /* the 0 flag pads further with zeros */
                g.width = f.width;
                nd = 0;
            }
            _PyUnicodeWriter tmp;
            _PyUnicodeWriter_Init(&tmp);
            r = nd < p ? _PyFormat_Long(&tmp, i, &g)
                       : _PyFormat_Long(&tmp, i, &f);
            PyObject *s = r < 0 ? (_PyUnicodeWriter_Dealloc(&tmp), NULL)
                                : _PyUnicodeWriter_Finish(&tmp);
            if (s == NULL) {
                Py_DECREF(i);
                return -1;
            }
            f.type = 's';
            f.sign = '\0';
            f.alternate = 0;
            if (f.align == '=') {
                f.align = '>';
                f.fill_char = ' ';
            }
            r = _PyFormat_String(w, s, &f);
            Py_DECREF(s);
        }
        else {
            r = _PyFormat_Long(w, i, &f);
        }
        Py_DECREF(i);
        return r;
    }
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': {
        double x = PyFloat_AsDouble(v);
        if (x == -1.0 && PyErr_Occurred()) {
            return -1;
        }
        if (f.precision < 0) {
            f.precision = 6;
        }
        return _PyFormat_Double(w, v, x, &f);
    }
    }
    return -1;
}

PyObject *
PyUnicode_Format(PyObject *format, PyObject *args)
{
    if (format == NULL || args == NULL || !PyUnicode_Check(format)) {
        PyErr_BadInternalCall();
        return NULL;
    }
    pct_state st = {args, -1, 0, NULL, 0};
    if (PyTuple_Check(args)) {
        st.arglen = PyTuple_GET_SIZE(args);
    }
    if (PyMapping_Check(args) && !PyTuple_Check(args) &&
        !PyUnicode_Check(args)) {
        st.dict = args;
    }
    PyObject *s = format;
    Py_ssize_t n = PyUnicode_GET_LENGTH(s), i = 0;
    _PyUnicodeWriter w;
    _PyUnicodeWriter_Init(&w);
    w.overallocate = 1;
    while (i < n) {
        Py_ssize_t lit = i;
        while (i < n && rd(s, i) != '%') {
            i++;
        }
        if (_PyUnicodeWriter_WriteSubstring(&w, s, lit, i) < 0) {
            goto error;
        }
        if (i >= n) {
            break;
        }
        Py_ssize_t unit_start = i;
        i++;
        PyObject *v = NULL;     /* borrowed or owned via vown */
        PyObject *vown = NULL;
        if (i < n && rd(s, i) == '(') {
            if (st.dict == NULL) {
                PyErr_SetString(PyExc_TypeError, "format requires a mapping");
                goto error;
            }
            Py_ssize_t depth = 1, k = ++i;
            while (i < n && depth > 0) {
                Py_UCS4 c = rd(s, i);
                if (c == '(') {
                    depth++;
                }
                else if (c == ')') {
                    depth--;
                }
                i++;
            }
            if (depth > 0) {
                PyErr_SetString(PyExc_ValueError,
                                "incomplete format key");
                goto error;
            }
            PyObject *key = PyUnicode_Substring(s, k, i - 1);
            if (key == NULL) {
                goto error;
            }
            vown = PyObject_GetItem(st.dict, key);
            Py_DECREF(key);
            if (vown == NULL) {
                goto error;
            }
            v = vown;
            st.used_dict = 1;
            st.arglen = -1;
            st.argidx = -2;     /* positional args no longer checked */
        }
        int left = 0, alt = 0, zero = 0;
        Py_UCS4 sign = '\0';
        for (; i < n; i++) {
            Py_UCS4 c = rd(s, i);
            if (c == '-') {
                left = 1;
            }
            else if (c == '+') {
                sign = '+';
            }
            else if (c == ' ') {
                if (sign != '+') {
                    sign = ' ';
                }
            }
            else if (c == '#') {
                alt = 1;
            }
            else if (c == '0') {
                zero = 1;
            }
            else {
                break;
            }
        }
        Py_ssize_t width = -1, prec = -1;
        for (int part = 0; part < 2; part++) {
            Py_ssize_t *dst = part == 0 ? &width : &prec;
            if (part == 1) {
                if (i < n && rd(s, i) == '.') {
                    i++;
                    prec = 0;
                }
                else {
                    break;
                }
            }
            if (i < n && rd(s, i) == '*') {
                PyObject *a = next_arg(&st);
                if (a == NULL) {
                    Py_XDECREF(vown);
                    goto error;
                }
                if (!PyLong_Check(a)) {
                    PyErr_SetString(PyExc_TypeError, "* wants int");
                    Py_XDECREF(vown);
                    goto error;
                }
                *dst = PyLong_AsSsize_t(a);
                if (*dst == -1 && PyErr_Occurred()) {
                    Py_XDECREF(vown);
                    goto error;
                }
                if (part == 0 && *dst < 0) {
                    left = 1;
                    *dst = -*dst;
                }
                i++;
            }
            else {
                Py_ssize_t x = part == 0 ? -1 : 0;
                while (i < n && rd(s, i) >= '0' && rd(s, i) <= '9') {
                    x = (x < 0 ? 0 : x) * 10 + (Py_ssize_t)(rd(s, i) - '0');
                    if (x > PY_SSIZE_T_MAX / 10) {
                        PyErr_SetString(PyExc_ValueError,
                                        part == 0 ? "width too big"
                                                  : "precision too big");
                        Py_XDECREF(vown);
                        goto error;
                    }
                    i++;
                }
                *dst = x;
            }
        }
        while (i < n && (rd(s, i) == 'h' || rd(s, i) == 'l' ||
                         rd(s, i) == 'L')) {
            i++;
        }
        if (i >= n) {
            PyErr_SetString(PyExc_ValueError, "incomplete format");
            Py_XDECREF(vown);
            goto error;
        }
        Py_UCS4 c = rd(s, i++);
        if (c == '%' && i - unit_start == 2) {
            /* "%%" */
            if (_PyUnicodeWriter_WriteChar(&w, '%') < 0) {
                goto error;
            }
            continue;
        }
        /* The argument is taken before the type is checked, as CPython
           does ('%y' % () complains about the arguments). */
        if (v == NULL) {
            v = next_arg(&st);
            if (v == NULL) {
                goto error;
            }
        }
        switch (c) {
        case 's': case 'r': case 'a': case 'c': case 'd': case 'i':
        case 'u': case 'o': case 'x': case 'X': case 'e': case 'E':
        case 'f': case 'F': case 'g': case 'G':
            break;
        default:
            Py_XDECREF(vown);
            if (c >= 32 && c < 127) {
                PyErr_Format(PyExc_ValueError,
                             "unsupported format character '%c' (0x%x) at "
                             "index %zd", (int)c, (unsigned int)c, i - 1);
            }
            else {
                PyErr_Format(PyExc_ValueError,
                             "unsupported format character '\\x%x' (0x%x) "
                             "at index %zd", (unsigned int)c,
                             (unsigned int)c, i - 1);
            }
            goto error;
        }
        int r = pct_convert(&w, v, c, left, sign, alt, zero, width, prec);
        Py_XDECREF(vown);
        if (r < 0) {
            goto error;
        }
    }
    if (st.argidx >= 0 && !st.used_dict &&
        ((st.arglen >= 0 && st.argidx < st.arglen) ||
         (st.arglen < 0 && st.argidx == 0 && st.dict == NULL))) {
        PyErr_SetString(PyExc_TypeError,
                        "not all arguments converted during string "
                        "formatting");
        goto error;
    }
    return _PyUnicodeWriter_Finish(&w);
error:
    _PyUnicodeWriter_Dealloc(&w);
    return NULL;
}
