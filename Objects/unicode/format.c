/* Building strings: the _PyUnicodeWriter, PyUnicode_FromFormat, and
 * repr(str).  A writer lives on one C stack and is never shared. */
#include "Python.h"
#include "pycore_unicodeobject.h"
#include "pycore_unicodectype.h"

/* ------------------------------------------------------ the writer */

void
_PyUnicodeWriter_Init(_PyUnicodeWriter *writer)
{
    memset(writer, 0, sizeof(*writer));
    writer->kind = PyUnicode_1BYTE_KIND;
}

void
_PyUnicodeWriter_Dealloc(_PyUnicodeWriter *writer)
{
    Py_CLEAR(writer->buffer);
}

/* The class bound of a character: the largest value its kind holds. */
static Py_UCS4
char_class(Py_UCS4 ch)
{
    if (ch < 128) {
        return 127;
    }
    if (ch < 256) {
        return 255;
    }
    if (ch < 65536) {
        return 65535;
    }
    return 0x10ffff;
}

int
_PyUnicodeWriter_PrepareInternal(_PyUnicodeWriter *writer, Py_ssize_t length,
                                 Py_UCS4 maxchar)
{
    if (length > PY_SSIZE_T_MAX - writer->pos) {
        PyErr_NoMemory();
        return -1;
    }
    Py_ssize_t need = writer->pos + length;
    Py_UCS4 newmax = Py_MAX(char_class(maxchar), writer->maxchar);
    newmax = Py_MAX(newmax, char_class(writer->min_char));
    Py_ssize_t newsize = writer->size;
    if (need > newsize || writer->buffer == NULL || writer->readonly) {
        newsize = need;
        if (writer->overallocate && newsize <= PY_SSIZE_T_MAX / 2) {
            newsize += newsize / 2;
        }
        if (newsize < writer->min_length) {
            newsize = writer->min_length;
        }
        if (newsize < 16 && writer->overallocate) {
            newsize = 16;
        }
    }
    if (newmax == writer->maxchar && newsize == writer->size &&
        writer->buffer != NULL && !writer->readonly) {
        return 0;
    }
    PyObject *nb = PyUnicode_New(newsize, newmax);
    if (nb == NULL) {
        return -1;
    }
    if (writer->buffer != NULL) {
        _PyUnicode_FastCopyCharacters(nb, 0, writer->buffer, 0, writer->pos);
        Py_DECREF(writer->buffer);
    }
    writer->buffer = nb;
    writer->readonly = 0;
    writer->size = newsize;
    writer->maxchar = newmax;
    writer->kind = PyUnicode_KIND(nb);
    writer->data = PyUnicode_DATA(nb);
    return 0;
}

int
_PyUnicodeWriter_WriteChar(_PyUnicodeWriter *writer, Py_UCS4 ch)
{
    if (_PyUnicodeWriter_Prepare(writer, 1, ch) < 0) {
        return -1;
    }
    PyUnicode_WRITE(writer->kind, writer->data, writer->pos, ch);
    writer->pos++;
    return 0;
}

int
_PyUnicodeWriter_WriteStr(_PyUnicodeWriter *writer, PyObject *str)
{
    Py_ssize_t len = PyUnicode_GET_LENGTH(str);
    if (len == 0) {
        return 0;
    }
    if (writer->buffer == NULL && !writer->overallocate &&
        PyUnicode_CheckExact(str)) {
        /* Nothing written yet: share the string until we must copy. */
        writer->buffer = Py_NewRef(str);
        writer->readonly = 1;
        writer->size = len;
        writer->pos = len;
        writer->maxchar = PyUnicode_MAX_CHAR_VALUE(str);
        writer->kind = PyUnicode_KIND(str);
        writer->data = PyUnicode_DATA(str);
        return 0;
    }
    if (_PyUnicodeWriter_Prepare(writer, len,
                                 PyUnicode_MAX_CHAR_VALUE(str)) < 0) {
        return -1;
    }
    _PyUnicode_FastCopyCharacters(writer->buffer, writer->pos, str, 0, len);
    writer->pos += len;
    return 0;
}

int
_PyUnicodeWriter_WriteSubstring(_PyUnicodeWriter *writer, PyObject *str,
                                Py_ssize_t start, Py_ssize_t end)
{
    if (end <= start) {
        return 0;
    }
    if (start == 0 && end == PyUnicode_GET_LENGTH(str)) {
        return _PyUnicodeWriter_WriteStr(writer, str);
    }
    Py_UCS4 m = PyUnicode_MAX_CHAR_VALUE(str);
    if (m > writer->maxchar) {
        m = _PyUnicode_FindMaxChar(PyUnicode_KIND(str), PyUnicode_DATA(str),
                                   start, end);
    }
    if (_PyUnicodeWriter_Prepare(writer, end - start, m) < 0) {
        return -1;
    }
    _PyUnicode_FastCopyCharacters(writer->buffer, writer->pos, str, start,
                                  end - start);
    writer->pos += end - start;
    return 0;
}

int
_PyUnicodeWriter_WriteASCIIString(_PyUnicodeWriter *writer, const char *str,
                                  Py_ssize_t len)
{
    if (len < 0) {
        len = (Py_ssize_t)strlen(str);
    }
    if (_PyUnicodeWriter_Prepare(writer, len, 127) < 0) {
        return -1;
    }
    for (Py_ssize_t i = 0; i < len; i++) {
        PyUnicode_WRITE(writer->kind, writer->data, writer->pos + i,
                        (Py_UCS1)str[i]);
    }
    writer->pos += len;
    return 0;
}

int
_PyUnicodeWriter_WriteLatin1String(_PyUnicodeWriter *writer, const char *str,
                                   Py_ssize_t len)
{
    Py_UCS4 m = _PyUnicode_FindMaxChar(PyUnicode_1BYTE_KIND, str, 0, len);
    if (_PyUnicodeWriter_Prepare(writer, len, m) < 0) {
        return -1;
    }
    for (Py_ssize_t i = 0; i < len; i++) {
        PyUnicode_WRITE(writer->kind, writer->data, writer->pos + i,
                        (Py_UCS1)str[i]);
    }
    writer->pos += len;
    return 0;
}

PyObject *
_PyUnicodeWriter_Finish(_PyUnicodeWriter *writer)
{
    PyObject *buf = writer->buffer;
    writer->buffer = NULL;
    if (buf == NULL || writer->pos == 0) {
        Py_XDECREF(buf);
        return _PyUnicode_GetEmpty();
    }
    if (writer->readonly) {
        return buf;     /* a shared str, written in one piece */
    }
    /* Exact size and canonical kind (the kind must match the largest
       character for equality and hashing to work). */
    Py_UCS4 m = _PyUnicode_FindMaxChar(writer->kind, writer->data, 0,
                                       writer->pos);
    if (writer->pos == writer->size && char_class(m) == writer->maxchar) {
        return buf;
    }
    PyObject *res = PyUnicode_FromKindAndData(writer->kind, writer->data,
                                              writer->pos);
    Py_DECREF(buf);
    return res;
}

/* ------------------------------------------------------ repr */

/* Writes repr(unicode): single quotes unless the text has single quotes
   and no double quotes; \t \n \r \\ and the quote escaped; other
   non-printable characters as \xhh, \uhhhh or \Uhhhhhhhh. */
int
_PyUnicode_ReprWrite(_PyUnicodeWriter *writer, PyObject *unicode)
{
    Py_ssize_t len = PyUnicode_GET_LENGTH(unicode);
    int kind = PyUnicode_KIND(unicode);
    const void *data = PyUnicode_DATA(unicode);
    int squote = 0, dquote = 0;
    for (Py_ssize_t i = 0; i < len; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        if (ch == '\'') {
            squote = 1;
        }
        else if (ch == '"') {
            dquote = 1;
        }
    }
    Py_UCS4 quote = (squote && !dquote) ? '"' : '\'';
    writer->overallocate = 1;
    if (_PyUnicodeWriter_WriteChar(writer, quote) < 0) {
        return -1;
    }
    static const char hex[] = "0123456789abcdef";
    for (Py_ssize_t i = 0; i < len; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        char buf[12];
        int n = 0;
        if (ch == quote || ch == '\\') {
            buf[n++] = '\\';
            buf[n++] = (char)ch;
        }
        else if (ch == '\t') {
            buf[n++] = '\\';
            buf[n++] = 't';
        }
        else if (ch == '\n') {
            buf[n++] = '\\';
            buf[n++] = 'n';
        }
        else if (ch == '\r') {
            buf[n++] = '\\';
            buf[n++] = 'r';
        }
        else if (ch < ' ' || ch == 0x7f) {
            buf[n++] = '\\';
            buf[n++] = 'x';
            buf[n++] = hex[(ch >> 4) & 0xf];
            buf[n++] = hex[ch & 0xf];
        }
        else if (ch < 0x7f || _PyUnicode_IsPrintable(ch)) {
            if (_PyUnicodeWriter_WriteChar(writer, ch) < 0) {
                return -1;
            }
            continue;
        }
        else if (ch <= 0xff) {
            buf[n++] = '\\';
            buf[n++] = 'x';
            buf[n++] = hex[(ch >> 4) & 0xf];
            buf[n++] = hex[ch & 0xf];
        }
        else if (ch <= 0xffff) {
            buf[n++] = '\\';
            buf[n++] = 'u';
            for (int s = 12; s >= 0; s -= 4) {
                buf[n++] = hex[(ch >> s) & 0xf];
            }
        }
        else {
            buf[n++] = '\\';
            buf[n++] = 'U';
            for (int s = 28; s >= 0; s -= 4) {
                buf[n++] = hex[(ch >> s) & 0xf];
            }
        }
        if (_PyUnicodeWriter_WriteASCIIString(writer, buf, n) < 0) {
            return -1;
        }
    }
    return _PyUnicodeWriter_WriteChar(writer, quote);
}

PyObject *
_PyUnicode_Repr(PyObject *unicode)
{
    _PyUnicodeWriter w;
    _PyUnicodeWriter_Init(&w);
    if (_PyUnicode_ReprWrite(&w, unicode) < 0) {
        _PyUnicodeWriter_Dealloc(&w);
        return NULL;
    }
    return _PyUnicodeWriter_Finish(&w);
}

/* ------------------------------------------------------ FromFormat */

/* Writes at most `precision` characters of str (all if -1), padded on
   the left with spaces to `width`. */
static int
write_str_spec(_PyUnicodeWriter *w, PyObject *str, Py_ssize_t width,
               Py_ssize_t precision)
{
    Py_ssize_t len = PyUnicode_GET_LENGTH(str);
    if (precision >= 0 && len > precision) {
        len = precision;
    }
    if (width > len) {
        Py_ssize_t pad = width - len;
        if (_PyUnicodeWriter_Prepare(w, pad, ' ') < 0) {
            return -1;
        }
        for (Py_ssize_t i = 0; i < pad; i++) {
            PyUnicode_WRITE(w->kind, w->data, w->pos++, ' ');
        }
    }
    return _PyUnicodeWriter_WriteSubstring(w, str, 0, len);
}

/* The same for UTF-8 text (decoded with "replace", as CPython does). */
static int
write_cstr_spec(_PyUnicodeWriter *w, const char *s, Py_ssize_t width,
                Py_ssize_t precision)
{
    Py_ssize_t n = (Py_ssize_t)strlen(s);
    if (precision >= 0 && n > precision) {
        /* precision counts bytes for %s in 3.11 */
        n = precision;
    }
    PyObject *str = PyUnicode_DecodeUTF8Stateful(s, n, "replace", NULL);
    if (str == NULL) {
        return -1;
    }
    int r = write_str_spec(w, str, width, -1);
    Py_DECREF(str);
    return r;
}

/* One %-unit starting after the '%'; returns the pointer past it, or
   NULL with an exception set. */
static const char *
format_unit(_PyUnicodeWriter *w, const char *f, va_list *vargs)
{
    const char *start = f - 1;
    int zeropad = 0;
    while (*f == '0' || *f == '-') {
        if (*f == '0') {
            zeropad = 1;
        }
        f++;
    }
    Py_ssize_t width = -1, precision = -1;
    if (*f == '*') {
        width = va_arg(*vargs, int);
        f++;
    }
    else if (*f >= '0' && *f <= '9') {
        width = 0;
        while (*f >= '0' && *f <= '9') {
            width = width * 10 + (*f++ - '0');
        }
    }
    if (*f == '.') {
        f++;
        if (*f == '*') {
            precision = va_arg(*vargs, int);
            f++;
        }
        else {
            precision = 0;
            while (*f >= '0' && *f <= '9') {
                precision = precision * 10 + (*f++ - '0');
            }
        }
    }
    int longflag = 0, longlongflag = 0, size_tflag = 0;
    if (*f == 'l') {
        if (f[1] == 'l') {
            longlongflag = 1;
            f += 2;
        }
        else {
            longflag = 1;
            f++;
        }
    }
    else if (*f == 'z') {
        size_tflag = 1;
        f++;
    }
    char buf[128];
    char spec[64];
    switch (*f) {
    case 'c': {
        int ch = va_arg(*vargs, int);
        if (ch < 0 || ch > 0x10ffff) {
            PyErr_SetString(PyExc_OverflowError,
                            "character argument not in range(0x110000)");
            return NULL;
        }
        if (_PyUnicodeWriter_WriteChar(w, (Py_UCS4)ch) < 0) {
            return NULL;
        }
        break;
    }
    case 'd': case 'i': case 'u': case 'x': {
        char conv = *f == 'i' ? 'd' : *f;
        const char *len = longlongflag ? "ll" : longflag ? "l" :
                          size_tflag ? "z" : "";
        if (precision >= 0) {
            snprintf(spec, sizeof(spec), "%%%s%zd.%zd%s%c",
                     zeropad ? "0" : "", width < 0 ? 0 : width, precision,
                     len, conv);
        }
        else if (width >= 0) {
            snprintf(spec, sizeof(spec), "%%%s%zd%s%c", zeropad ? "0" : "",
                     width, len, conv);
        }
        else {
            snprintf(spec, sizeof(spec), "%%%s%c", len, conv);
        }
        if (conv == 'd') {
            if (longlongflag) {
                snprintf(buf, sizeof(buf), spec, va_arg(*vargs, long long));
            }
            else if (longflag) {
                snprintf(buf, sizeof(buf), spec, va_arg(*vargs, long));
            }
            else if (size_tflag) {
                snprintf(buf, sizeof(buf), spec,
                         va_arg(*vargs, Py_ssize_t));
            }
            else {
                snprintf(buf, sizeof(buf), spec, va_arg(*vargs, int));
            }
        }
        else {
            if (longlongflag) {
                snprintf(buf, sizeof(buf), spec,
                         va_arg(*vargs, unsigned long long));
            }
            else if (longflag) {
                snprintf(buf, sizeof(buf), spec,
                         va_arg(*vargs, unsigned long));
            }
            else if (size_tflag) {
                snprintf(buf, sizeof(buf), spec, va_arg(*vargs, size_t));
            }
            else {
                snprintf(buf, sizeof(buf), spec,
                         va_arg(*vargs, unsigned int));
            }
        }
        if (_PyUnicodeWriter_WriteASCIIString(w, buf, -1) < 0) {
            return NULL;
        }
        break;
    }
    case 'p': {
        snprintf(buf, sizeof(buf), "%p", va_arg(*vargs, void *));
        /* Always "0x..." (the C library may print "(nil)" or omit 0x). */
        const char *p = buf;
        if (buf[0] == '(') {
            p = "0x0";
        }
        if (p[0] != '0' || (p[1] != 'x' && p[1] != 'X')) {
            if (_PyUnicodeWriter_WriteASCIIString(w, "0x", 2) < 0) {
                return NULL;
            }
        }
        if (_PyUnicodeWriter_WriteASCIIString(w, p, -1) < 0) {
            return NULL;
        }
        break;
    }
    case 's': {
        const char *s = va_arg(*vargs, const char *);
        if (write_cstr_spec(w, s, width, precision) < 0) {
            return NULL;
        }
        break;
    }
    case 'U': {
        PyObject *obj = va_arg(*vargs, PyObject *);
        if (write_str_spec(w, obj, width, precision) < 0) {
            return NULL;
        }
        break;
    }
    case 'V': {
        PyObject *obj = va_arg(*vargs, PyObject *);
        const char *s = va_arg(*vargs, const char *);
        if (obj != NULL) {
            if (write_str_spec(w, obj, width, precision) < 0) {
                return NULL;
            }
        }
        else if (write_cstr_spec(w, s, width, precision) < 0) {
            return NULL;
        }
        break;
    }
    case 'S': case 'R': case 'A': {
        PyObject *obj = va_arg(*vargs, PyObject *);
        PyObject *str = *f == 'S' ? PyObject_Str(obj) :
                        *f == 'R' ? PyObject_Repr(obj) : PyObject_ASCII(obj);
        if (str == NULL) {
            return NULL;
        }
        int r = write_str_spec(w, str, width, precision);
        Py_DECREF(str);
        if (r < 0) {
            return NULL;
        }
        break;
    }
    case '%':
        if (_PyUnicodeWriter_WriteChar(w, '%') < 0) {
            return NULL;
        }
        break;
    default:
        /* Unknown unit: copy the rest of the format string verbatim. */
        if (_PyUnicodeWriter_WriteASCIIString(w, start, -1) < 0) {
            return NULL;
        }
        return start + strlen(start);
    }
    return f + 1;
}

PyObject *
PyUnicode_FromFormatV(const char *format, va_list vargs)
{
    _PyUnicodeWriter w;
    _PyUnicodeWriter_Init(&w);
    w.overallocate = 1;
    va_list ap;
    va_copy(ap, vargs);
    const char *f = format;
    while (*f) {
        if (*f != '%') {
            const char *p = f;
            while (*p && *p != '%') {
                p++;
            }
            /* The format is documented as ASCII; decode it as latin-1 so
               stray bytes cannot break the writer. */
            if (_PyUnicodeWriter_WriteLatin1String(&w, f, p - f) < 0) {
                goto error;
            }
            f = p;
            continue;
        }
        f = format_unit(&w, f + 1, &ap);
        if (f == NULL) {
            goto error;
        }
    }
    va_end(ap);
    return _PyUnicodeWriter_Finish(&w);
error:
    va_end(ap);
    _PyUnicodeWriter_Dealloc(&w);
    return NULL;
}

PyObject *
PyUnicode_FromFormat(const char *format, ...)
{
    va_list vargs;
    va_start(vargs, format);
    PyObject *res = PyUnicode_FromFormatV(format, vargs);
    va_end(vargs);
    return res;
}
