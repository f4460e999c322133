/* complex.__format__: the format-spec mini-language applied to both parts
 * of a complex number.
 *
 * The spec is parsed by the shared parser (formatter.c); each part is then
 * rendered by PyOS_double_to_string, grouped, and the whole "re+imj" is
 * padded as one field.  Differences from float, as 3.11 has them:
 *   - no type: like repr (shortest digits, or 'g' with a precision), in
 *     parentheses unless the real part is +0, which is then left out;
 *   - the imaginary part always carries its sign; the sign option applies
 *     to the real part (or to the imaginary part when it stands alone);
 *   - '=' alignment, zero padding and '%' are errors.
 * Pure function of its arguments: nothing shared. */
#include "Python.h"
#include "pycore_unicodeobject.h"
#include "pycore_formatter.h"
#include "complexobject.h"
#include "pystrtod.h"

#include <math.h>

/* A part's text with `sep` inserted every three integer digits; the
   digits run from the first digit to '.', 'e', 'E' or the end.  sign may
   be prefixed.  PyMem_Malloc'd copy, or NULL with MemoryError. */
static char *
group_part(const char *text, char sep)
{
    size_t len = strlen(text);
    char *out = PyMem_Malloc(len * 2 + 1);
    if (out == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    size_t i = 0, o = 0;
    while (text[i] != '\0' && !(text[i] >= '0' && text[i] <= '9')) {
        out[o++] = text[i++];
    }
    size_t start = i;
    while (text[i] >= '0' && text[i] <= '9') {
        i++;
    }
    size_t ndigits = i - start;
    for (size_t k = 0; k < ndigits; k++) {
        if (sep != '\0' && k > 0 && (ndigits - k) % 3 == 0) {
            out[o++] = sep;
        }
        out[o++] = text[start + k];
    }
    strcpy(out + o, text + i);
    return out;
}

/* One part as text: the number formatted by (type, precision, flags),
   then grouped.  NULL with an exception on failure. */
static char *
format_part(double val, char type, int precision, int flags, char sep)
{
    char *raw = PyOS_double_to_string(val, type, precision, flags, NULL);
    if (raw == NULL) {
        return NULL;
    }
    /* PyOS_double_to_string drops the sign of a negative zero coerced by
       Py_DTSF_NO_NEG_0 even under Py_DTSF_SIGN: put the '+' back. */
    if ((flags & Py_DTSF_SIGN) && raw[0] != '+' && raw[0] != '-') {
        size_t n = strlen(raw);
        char *signed_raw = PyMem_Malloc(n + 2);
        if (signed_raw == NULL) {
            PyMem_Free(raw);
            PyErr_NoMemory();
            return NULL;
        }
        signed_raw[0] = '+';
        memcpy(signed_raw + 1, raw, n + 1);
        PyMem_Free(raw);
        raw = signed_raw;
    }
    char *res = group_part(raw, sep);
    PyMem_Free(raw);
    return res;
}

static int
write_fill(_PyUnicodeWriter *w, Py_UCS4 fill, Py_ssize_t n)
{
    for (Py_ssize_t i = 0; i < n; i++) {
        if (_PyUnicodeWriter_WriteChar(w, fill) < 0) {
            return -1;
        }
    }
    return 0;
}

/* Writes body padded to f->width by f->align (default right). */
static int
write_padded(_PyUnicodeWriter *w, const _PyFormatSpec *f, const char *body)
{
    Py_ssize_t len = (Py_ssize_t)strlen(body);
    Py_ssize_t pad = f->width > len ? f->width - len : 0;
    Py_ssize_t left;
    switch (f->align) {
    case '<': left = 0; break;
    case '^': left = pad / 2; break;
    default: left = pad; break;
    }
    if (write_fill(w, f->fill_char, left) < 0 ||
        _PyUnicodeWriter_WriteASCIIString(w, body, len) < 0 ||
        write_fill(w, f->fill_char, pad - left) < 0) {
        return -1;
    }
    return 0;
}

/* Rejects what the spec may not say for a complex; 0 or -1. */
static int
check_complex_spec(PyObject *obj, const _PyFormatSpec *f)
{
    if (f->fill_char == '0') {
        PyErr_SetString(PyExc_ValueError, "Zero padding is not allowed in "
                        "complex format specifier");
        return -1;
    }
    if (f->align == '=') {
        PyErr_SetString(PyExc_ValueError, "'=' alignment flag is not "
                        "allowed in complex format specifier");
        return -1;
    }
    switch (f->type) {
    case '\0': case 'e': case 'E': case 'f': case 'F': case 'g': case 'G':
    case 'n':
        return 0;
    default:
        break;
    }
    if (f->type >= 32 && f->type < 127) {
        PyErr_Format(PyExc_ValueError,
                     "Unknown format code '%c' for object of type '%.200s'",
                     (int)f->type, Py_TYPE(obj)->tp_name);
    }
    else {
        PyErr_Format(PyExc_ValueError,
                     "Unknown format code '\\x%x' for object of type "
                     "'%.200s'", (unsigned int)f->type,
                     Py_TYPE(obj)->tp_name);
    }
    return -1;
}

/* Renders re and im by the parsed spec into w. */
static int
render_complex(_PyUnicodeWriter *w, PyObject *obj, const _PyFormatSpec *f)
{
    if (check_complex_spec(obj, f) < 0) {
        return -1;
    }
    double re = PyComplex_RealAsDouble(obj);
    double im = PyComplex_ImagAsDouble(obj);
    char type = (char)f->type;
    Py_ssize_t precision = f->precision;
    int skip_re = 0, parens = 0;
    if (type == '\0') {
        type = precision < 0 ? 'r' : 'g';
        if (re == 0.0 && copysign(1.0, re) == 1.0) {
            skip_re = 1;
        }
        else {
            parens = 1;
        }
    }
    else if (type == 'n') {
        type = 'g';
    }
    if (type == 'r') {
        precision = 0;
    }
    else if (precision < 0) {
        precision = 6;
    }
    if (precision > INT_MAX) {
        PyErr_SetString(PyExc_ValueError, "precision too big");
        return -1;
    }
    int flags = 0;
    if (f->alternate) {
        flags |= Py_DTSF_ALT;
    }
    if (f->no_neg_0) {
        flags |= Py_DTSF_NO_NEG_0;
    }
    char sep = (char)f->thousands;
    char *re_text = NULL, *im_text = NULL, *body = NULL;
    int r = -1;
    if (!skip_re) {
        re_text = format_part(re, type, (int)precision,
                              flags | (f->sign == '+' ? Py_DTSF_SIGN : 0),
                              sep);
        if (re_text == NULL) {
            goto done;
        }
    }
    im_text = format_part(im, type, (int)precision,
                          flags | (skip_re && f->sign != '+' ? 0
                                                              : Py_DTSF_SIGN),
                          sep);
    if (im_text == NULL) {
        goto done;
    }
    size_t n = (re_text ? strlen(re_text) : 0) + strlen(im_text) + 8;
    body = PyMem_Malloc(n);
    if (body == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    const char *first = skip_re ? im_text : re_text;
    const char *space = f->sign == ' ' && first[0] != '-' ? " " : "";
    snprintf(body, n, "%s%s%s%s%s%s", parens ? "(" : "", space,
             skip_re ? "" : re_text, im_text, "j", parens ? ")" : "");
    r = write_padded(w, f, body);
done:
    PyMem_Free(re_text);
    PyMem_Free(im_text);
    PyMem_Free(body);
    return r;
}

/* format(complex, spec): new reference.  The empty spec is str(). */
PyObject *
_PyComplex_FormatSpec(PyObject *obj, PyObject *spec)
{
    if (PyUnicode_GET_LENGTH(spec) == 0) {
        return PyObject_Str(obj);
    }
    _PyFormatSpec f;
    if (_PyFormat_ParseSpec(obj, spec, 0, PyUnicode_GET_LENGTH(spec), &f,
                            '\0', '>') < 0) {
        return NULL;
    }
    _PyUnicodeWriter w;
    _PyUnicodeWriter_Init(&w);
    if (render_complex(&w, obj, &f) < 0) {
        _PyUnicodeWriter_Dealloc(&w);
        return NULL;
    }
    return _PyUnicodeWriter_Finish(&w);
}
