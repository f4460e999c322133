/* The escape codecs: unicode_escape and raw_unicode_escape (str <-> the
 * body of a Python string literal as bytes), and escape_encode for bytes
 * (the body of a bytes literal; escape_decode is PyBytes_DecodeEscape).
 *
 * Decoding errors go through the error-handler registry with the range
 * and reasons Python 3.11 reports.  The stateful decoders stop before an
 * escape cut off by the end of the data (`consumed` set) instead of
 * failing.  Each call works on private buffers; nothing is shared. */
#include "Python.h"
#include "pycore_codecs.h"
#include "pycore_unicodectype.h"

static int
hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/* Reads `digits` hex digits at s[*pos]: 1 and *out on success; 0 when a
   non-hex byte or the end comes first (*pos is left after the hex digits
   that were there). */
static int
read_hex(const unsigned char *s, Py_ssize_t size, Py_ssize_t *pos,
         int digits, Py_UCS4 *out)
{
    Py_UCS4 v = 0;
    for (int k = 0; k < digits; k++) {
        int h = *pos < size ? hex_value(s[*pos]) : -1;
        if (h < 0) {
            return 0;
        }
        v = (v << 4) | (Py_UCS4)h;
        (*pos)++;
    }
    *out = v;
    return 1;
}

/* Warns about an escape that Python 3.11 keeps literally. */
static int
warn_invalid_escape(unsigned char c, int octal, Py_UCS4 value)
{
    if (octal) {
        return PyErr_WarnFormat(PyExc_DeprecationWarning, 1,
                                "invalid octal escape sequence '\\%.3s'",
                                (char[]){(char)('0' + ((value >> 6) & 7)),
                                         (char)('0' + ((value >> 3) & 7)),
                                         (char)('0' + (value & 7)), 0});
    }
    return PyErr_WarnFormat(PyExc_DeprecationWarning, 1,
                            "invalid escape sequence '\\%c'", c);
}

/* \N{name}: the code point, or 0 with *reason set. */
static Py_UCS4
read_named(const unsigned char *s, Py_ssize_t size, Py_ssize_t *pos,
           const char **reason)
{
    Py_ssize_t p = *pos;
    if (p >= size || s[p] != '{') {
        *reason = "malformed \\N character escape";
        return 0;
    }
    Py_ssize_t close = p + 1;
    while (close < size && s[close] != '}') {
        close++;
    }
    if (close >= size || close == p + 1) {
        *pos = close >= size ? size : close + 1;
        *reason = "malformed \\N character escape";
        return 0;
    }
    *pos = close + 1;
    Py_UCS4 out[_PyUnicode_NAMED_SEQ_MAX];
    int n = _PyUnicodeData_LookupName(_PyUnicode_UCD_CURRENT,
                                      (const char *)s + p + 1,
                                      (size_t)(close - p - 1), 0, out);
    if (n != 1) {
        *reason = "unknown Unicode character name";
        return 0;
    }
    return out[0];
}

/* The simple one-character escapes; 0 for none. */
static Py_UCS4
simple_escape(unsigned char c)
{
    switch (c) {
    case '\\': return '\\';
    case '\'': return '\'';
    case '"': return '"';
    case 'b': return '\b';
    case 'f': return '\f';
    case 't': return '\t';
    case 'n': return '\n';
    case 'r': return '\r';
    case 'v': return '\v';
    case 'a': return '\a';
    default: return 0;
    }
}

/* Decodes one escape whose backslash is at s[start]: 1 with *out set,
   0 to drop it (backslash-newline), 2 to keep it literally, -2 when the
   data ends inside it, -1 with *reason and *pos (the error's end). */
static int
decode_one_escape(const unsigned char *s, Py_ssize_t size, Py_ssize_t *pos,
                  Py_UCS4 *out, const char **reason)
{
    Py_ssize_t p = *pos + 1;
    if (p >= size) {
        *reason = "\\ at end of string";
        *pos = size;
        return -2;
    }
    unsigned char c = s[p++];
    *pos = p;
    if (c == '\n') {
        return 0;
    }
    if ((*out = simple_escape(c)) != 0) {
        return 1;
    }
    if (c >= '0' && c <= '7') {
        Py_UCS4 v = c - '0';
        for (int k = 0; k < 2 && p < size && s[p] >= '0' && s[p] <= '7';
             k++) {
            v = v * 8 + (s[p++] - '0');
        }
        *pos = p;
        *out = v;
        return v > 0377 ? 3 : 1;
    }
    if (c == 'x' || c == 'u' || c == 'U') {
        int digits = c == 'x' ? 2 : c == 'u' ? 4 : 8;
        if (!read_hex(s, size, pos, digits, out)) {
            *reason = c == 'x' ? "truncated \\xXX escape"
                    : c == 'u' ? "truncated \\uXXXX escape"
                               : "truncated \\UXXXXXXXX escape";
            return *pos >= size ? -2 : -1;
        }
        if (*out > 0x10FFFF) {
            *reason = "illegal Unicode character";
            return -1;
        }
        return 1;
    }
    if (c == 'N') {
        *out = read_named(s, size, pos, reason);
        if (*out == 0) {
            return (*pos >= size &&
                    memchr(s + p, '}', (size_t)(size - p)) == NULL) ? -2
                                                                   : -1;
        }
        return 1;
    }
    *out = c;
    return 2;
}

PyObject *
_PyUnicode_DecodeUnicodeEscapeStateful(const char *str, Py_ssize_t size,
                                       const char *errors,
                                       Py_ssize_t *consumed)
{
    const unsigned char *s = (const unsigned char *)str;
    _PyUCS4Buf b = {NULL, 0, 0};
    Py_ssize_t pos = 0;
    /* Python 3.11 warns once, about the first invalid escape. */
    int invalid = 0;
    Py_UCS4 invalid_value = 0;
    while (pos < size) {
        if (s[pos] != '\\') {
            if (_PyUCS4Buf_Put(&b, s[pos++]) < 0) {
                goto error;
            }
            continue;
        }
        Py_ssize_t start = pos;
        Py_UCS4 ch = 0;
        const char *reason = NULL;
        int r = decode_one_escape(s, size, &pos, &ch, &reason);
        if (r == -2 && consumed != NULL) {
            pos = start;
            break;
        }
        if (r < 0) {
            pos = _PyUnicode_DecodeCallErrorHandler(&b, errors,
                                                    "unicodeescape", reason,
                                                    str, size, start, pos);
            if (pos < 0) {
                goto error;
            }
            continue;
        }
        if ((r == 2 || r == 3) && invalid == 0) {
            invalid = r;
            invalid_value = ch;
        }
        if (r == 2 && _PyUCS4Buf_Put(&b, '\\') < 0) {
            goto error;
        }
        if (r != 0 && _PyUCS4Buf_Put(&b, ch) < 0) {
            goto error;
        }
    }
    if (consumed != NULL) {
        *consumed = pos;
    }
    if (invalid != 0 &&
        warn_invalid_escape((unsigned char)invalid_value, invalid == 3,
                            invalid_value) < 0) {
        goto error;
    }
    return _PyUCS4Buf_Finish(&b);
error:
    PyMem_Free(b.buf);
    return NULL;
}

PyObject *
PyUnicode_DecodeUnicodeEscape(const char *s, Py_ssize_t size,
                              const char *errors)
{
    return _PyUnicode_DecodeUnicodeEscapeStateful(s, size, errors, NULL);
}

/* raw_unicode_escape: only \uXXXX and \UXXXXXXXX after an odd number of
   backslashes are escapes; everything else is latin-1. */
PyObject *
_PyUnicode_DecodeRawUnicodeEscapeStateful(const char *str, Py_ssize_t size,
                                          const char *errors,
                                          Py_ssize_t *consumed)
{
    const unsigned char *s = (const unsigned char *)str;
    _PyUCS4Buf b = {NULL, 0, 0};
    Py_ssize_t pos = 0;
    while (pos < size) {
        if (s[pos] != '\\') {
            if (_PyUCS4Buf_Put(&b, s[pos++]) < 0) {
                goto error;
            }
            continue;
        }
        Py_ssize_t run = pos;
        while (run < size && s[run] == '\\') {
            run++;
        }
        Py_ssize_t nbs = run - pos;
        int escape = (nbs & 1) && run < size &&
                     (s[run] == 'u' || s[run] == 'U');
        if ((nbs & 1) && run == size && consumed != NULL) {
            for (Py_ssize_t k = 0; k < nbs - 1; k++) {
                if (_PyUCS4Buf_Put(&b, '\\') < 0) {
                    goto error;
                }
            }
            pos = run - 1;
            break;
        }
        for (Py_ssize_t k = 0; k < nbs - (escape ? 1 : 0); k++) {
            if (_PyUCS4Buf_Put(&b, '\\') < 0) {
                goto error;
            }
        }
        pos = run;
        if (!escape) {
            continue;
        }
        Py_ssize_t start = run - 1;
        int digits = s[run] == 'u' ? 4 : 8;
        Py_UCS4 ch;
        pos = run + 1;
        const char *reason = NULL;
        if (!read_hex(s, size, &pos, digits, &ch)) {
            if (pos >= size && consumed != NULL) {
                pos = start;
                break;
            }
            reason = digits == 4 ? "truncated \\uXXXX escape"
                                 : "truncated \\UXXXXXXXX escape";
        }
        else if (ch > 0x10FFFF) {
            reason = "\\Uxxxxxxxx out of range";
        }
        if (reason != NULL) {
            pos = _PyUnicode_DecodeCallErrorHandler(&b, errors,
                                                    "rawunicodeescape",
                                                    reason, str, size,
                                                    start, pos);
            if (pos < 0) {
                goto error;
            }
            continue;
        }
        if (_PyUCS4Buf_Put(&b, ch) < 0) {
            goto error;
        }
    }
    if (consumed != NULL) {
        *consumed = pos;
    }
    return _PyUCS4Buf_Finish(&b);
error:
    PyMem_Free(b.buf);
    return NULL;
}

PyObject *
PyUnicode_DecodeRawUnicodeEscape(const char *s, Py_ssize_t size,
                                 const char *errors)
{
    return _PyUnicode_DecodeRawUnicodeEscapeStateful(s, size, errors, NULL);
}

/* ------------------------------------------------------ encoding */

/* Appends \xhh, \uhhhh or \Uhhhhhhhh for ch. */
static int
put_hex_escape(_PyBytesBuf *b, Py_UCS4 ch)
{
    char tmp[16];
    if (ch < 0x100) {
        snprintf(tmp, sizeof(tmp), "\\x%02x", (unsigned)ch);
    }
    else if (ch < 0x10000) {
        snprintf(tmp, sizeof(tmp), "\\u%04x", (unsigned)ch);
    }
    else {
        snprintf(tmp, sizeof(tmp), "\\U%08x", (unsigned)ch);
    }
    return _PyBytesBuf_Put(b, tmp, (Py_ssize_t)strlen(tmp));
}

static int
put_unicode_escape(_PyBytesBuf *b, Py_UCS4 ch)
{
    switch (ch) {
    case '\\': return _PyBytesBuf_Put(b, "\\\\", 2);
    case '\t': return _PyBytesBuf_Put(b, "\\t", 2);
    case '\n': return _PyBytesBuf_Put(b, "\\n", 2);
    case '\r': return _PyBytesBuf_Put(b, "\\r", 2);
    default:
        if (ch >= 0x20 && ch < 0x7F) {
            return _PyBytesBuf_PutByte(b, (int)ch);
        }
        return put_hex_escape(b, ch);
    }
}

static int
put_raw_unicode_escape(_PyBytesBuf *b, Py_UCS4 ch)
{
    if (ch < 0x100) {
        return _PyBytesBuf_PutByte(b, (int)ch);
    }
    return put_hex_escape(b, ch);
}

static PyObject *
encode_escaped(PyObject *unicode, int (*put)(_PyBytesBuf *, Py_UCS4))
{
    if (!PyUnicode_Check(unicode)) {
        PyErr_BadArgument();
        return NULL;
    }
    Py_ssize_t len = PyUnicode_GET_LENGTH(unicode);
    int kind = PyUnicode_KIND(unicode);
    const void *data = PyUnicode_DATA(unicode);
    _PyBytesBuf b = {NULL, 0, 0};
    if (_PyBytesBuf_Reserve(&b, len + 1) < 0) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < len; i++) {
        if (put(&b, PyUnicode_READ(kind, data, i)) < 0) {
            PyMem_Free(b.buf);
            return NULL;
        }
    }
    return _PyBytesBuf_Finish(&b);
}

PyObject *
_PyUnicode_EncodeUnicodeEscape(PyObject *unicode, const char *errors)
{
    return encode_escaped(unicode, put_unicode_escape);
}

PyObject *
PyUnicode_AsUnicodeEscapeString(PyObject *unicode)
{
    return encode_escaped(unicode, put_unicode_escape);
}

PyObject *
_PyUnicode_EncodeRawUnicodeEscape(PyObject *unicode, const char *errors)
{
    return encode_escaped(unicode, put_raw_unicode_escape);
}

PyObject *
PyUnicode_AsRawUnicodeEscapeString(PyObject *unicode)
{
    return encode_escaped(unicode, put_raw_unicode_escape);
}

/* escape_encode: bytes as the body of a single-quoted bytes literal. */
PyObject *
_PyBytes_EscapeEncode(PyObject *bytes)
{
    const unsigned char *s = (const unsigned char *)PyBytes_AS_STRING(bytes);
    Py_ssize_t n = PyBytes_GET_SIZE(bytes);
    _PyBytesBuf b = {NULL, 0, 0};
    if (_PyBytesBuf_Reserve(&b, n + 1) < 0) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        unsigned char c = s[i];
        int rc;
        if (c == '\'' || c == '\\') {
            char tmp[2] = {'\\', (char)c};
            rc = _PyBytesBuf_Put(&b, tmp, 2);
        }
        else if (c == '\t' || c == '\n' || c == '\r') {
            char tmp[2] = {'\\', c == '\t' ? 't' : c == '\n' ? 'n' : 'r'};
            rc = _PyBytesBuf_Put(&b, tmp, 2);
        }
        else if (c < 0x20 || c >= 0x7F) {
            rc = put_hex_escape(&b, c);
        }
        else {
            rc = _PyBytesBuf_PutByte(&b, c);
        }
        if (rc < 0) {
            PyMem_Free(b.buf);
            return NULL;
        }
    }
    return _PyBytesBuf_Finish(&b);
}
