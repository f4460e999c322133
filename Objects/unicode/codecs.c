/* The codecs str needs from the start: UTF-8, latin-1 and ASCII, with the
 * error handlers strict, surrogateescape, surrogatepass, replace, ignore,
 * backslashreplace and xmlcharrefreplace implemented inline.  Other
 * handlers are called through the error-handler registry
 * (Objects/unicode/codec_errors.c), other encodings through the codec
 * registry (Python/codecs.c).
 *
 * Decoders build their result privately; nothing here is shared. */
#include "Python.h"
#include "pycore_unicodeobject.h"
#include "pycore_codecs.h"

_Py_error_handler
_Py_GetErrorHandler(const char *errors)
{
    if (errors == NULL || strcmp(errors, "strict") == 0) {
        return _Py_ERROR_STRICT;
    }
    if (strcmp(errors, "surrogateescape") == 0) {
        return _Py_ERROR_SURROGATEESCAPE;
    }
    if (strcmp(errors, "replace") == 0) {
        return _Py_ERROR_REPLACE;
    }
    if (strcmp(errors, "ignore") == 0) {
        return _Py_ERROR_IGNORE;
    }
    if (strcmp(errors, "backslashreplace") == 0) {
        return _Py_ERROR_BACKSLASHREPLACE;
    }
    if (strcmp(errors, "surrogatepass") == 0) {
        return _Py_ERROR_SURROGATEPASS;
    }
    if (strcmp(errors, "xmlcharrefreplace") == 0) {
        return _Py_ERROR_XMLCHARREFREPLACE;
    }
    return _Py_ERROR_OTHER;
}

static void
raise_decode_error(const char *encoding, const char *s, Py_ssize_t size,
                   Py_ssize_t start, Py_ssize_t end, const char *reason)
{
    PyObject *exc = PyUnicodeDecodeError_Create(encoding, s, size, start,
                                                end, reason);
    if (exc != NULL) {
        PyErr_SetObject(PyExc_UnicodeDecodeError, exc);
        Py_DECREF(exc);
    }
}

static void
raise_encode_error(const char *encoding, PyObject *unicode, Py_ssize_t start,
                   Py_ssize_t end, const char *reason)
{
    PyObject *exc = PyObject_CallFunction(PyExc_UnicodeEncodeError, "sOnns",
                                          encoding, unicode, start, end,
                                          reason);
    if (exc != NULL) {
        PyErr_SetObject(PyExc_UnicodeEncodeError, exc);
        Py_DECREF(exc);
    }
}

/* ------------------------------------------------------ UTF-8 decoding */

/* The length of a well-formed sequence starting at s[0:n], 0 for an
   error: then *err_end is the end of the maximal invalid prefix (relative)
   and *truncated tells whether the data ran out while still valid (2:
   while a surrogate, which is valid only to a stateful decoder). */
static int
utf8_sequence(const unsigned char *s, Py_ssize_t n, Py_UCS4 *out,
              Py_ssize_t *err_end, int *truncated)
{
    unsigned char c = s[0];
    int len;
    unsigned char lo = 0x80, hi = 0xBF;
    Py_UCS4 ch;
    *truncated = 0;
    if (c < 0x80) {
        *out = c;
        return 1;
    }
    if (c < 0xC2 || c > 0xF4) {
        *err_end = 1;
        return 0;
    }
    if (c < 0xE0) {
        len = 2;
        ch = c & 0x1F;
    }
    else if (c < 0xF0) {
        len = 3;
        ch = c & 0x0F;
        if (c == 0xE0) {
            lo = 0xA0;
        }
        else if (c == 0xED) {
            hi = 0x9F;
        }
    }
    else {
        len = 4;
        ch = c & 0x07;
        if (c == 0xF0) {
            lo = 0x90;
        }
        else if (c == 0xF4) {
            hi = 0x8F;
        }
    }
    for (int j = 1; j < len; j++) {
        if (j >= n) {
            *truncated = 1;
            *err_end = n;
            return 0;
        }
        unsigned char cc = s[j];
        if (c == 0xED && j == 1 && n < 3 && cc >= 0xA0 && cc <= 0xBF) {
            /* A cut-off surrogate: Python 3.11's stateful decoder waits
               for more data (surrogatepass might take it), but a final
               decode reports the second byte as invalid. */
            *truncated = 2;
            *err_end = 1;
            return 0;
        }
        if (cc < lo || cc > hi) {
            *err_end = j;
            return 0;
        }
        lo = 0x80;
        hi = 0xBF;
        ch = (ch << 6) | (cc & 0x3F);
    }
    *out = ch;
    return len;
}

/* A lone surrogate encoded in UTF-8 (ED A0..BF 80..BF), which
   surrogatepass accepts: its code point, or 0. */
static Py_UCS4
utf8_surrogate(const unsigned char *s, Py_ssize_t n)
{
    if (n >= 3 && s[0] == 0xED && s[1] >= 0xA0 && s[1] <= 0xBF &&
        s[2] >= 0x80 && s[2] <= 0xBF) {
        return 0xD000 | ((Py_UCS4)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
    }
    return 0;
}

/* Decoding with errors, into a UCS4 buffer. */
static PyObject *
utf8_decode_slow(const char *str, Py_ssize_t size, const char *errors,
                 Py_ssize_t *consumed, Py_ssize_t pos, _PyUCS4Buf *b)
{
    const unsigned char *s = (const unsigned char *)str;
    _Py_error_handler eh = _Py_GetErrorHandler(errors);
    while (pos < size) {
        Py_UCS4 ch;
        Py_ssize_t err_end;
        int truncated;
        int len = utf8_sequence(s + pos, size - pos, &ch, &err_end,
                                &truncated);
        if (len > 0) {
            if (_PyUCS4Buf_Put(b, ch) < 0) {
                return NULL;
            }
            pos += len;
            continue;
        }
        if (truncated && consumed != NULL) {
            break;      /* stateful: leave the tail for the next call */
        }
        const char *reason = truncated == 1 ? "unexpected end of data" :
                             (s[pos] < 0xC2 || s[pos] > 0xF4) ?
                             "invalid start byte" :
                             "invalid continuation byte";
        switch (eh) {
        case _Py_ERROR_STRICT:
            raise_decode_error("utf-8", str, size, pos, pos + err_end,
                               reason);
            return NULL;
        case _Py_ERROR_REPLACE:
            if (_PyUCS4Buf_Put(b, 0xFFFD) < 0) {
                return NULL;
            }
            break;
        case _Py_ERROR_IGNORE:
            break;
        case _Py_ERROR_SURROGATEESCAPE:
            for (Py_ssize_t k = 0; k < err_end; k++) {
                if (_PyUCS4Buf_Put(b, 0xDC00 + s[pos + k]) < 0) {
                    return NULL;
                }
            }
            break;
        case _Py_ERROR_BACKSLASHREPLACE:
            for (Py_ssize_t k = 0; k < err_end; k++) {
                char tmp[8];
                snprintf(tmp, sizeof(tmp), "\\x%02x", s[pos + k]);
                if (_PyUCS4Buf_PutASCII(b, tmp) < 0) {
                    return NULL;
                }
            }
            break;
        case _Py_ERROR_SURROGATEPASS: {
            Py_UCS4 sur = utf8_surrogate(s + pos, size - pos);
            if (sur != 0) {
                if (_PyUCS4Buf_Put(b, sur) < 0) {
                    return NULL;
                }
                err_end = 3;
                break;
            }
            raise_decode_error("utf-8", str, size, pos, pos + err_end,
                               reason);
            return NULL;
        }
        case _Py_ERROR_XMLCHARREFREPLACE:
            /* CPython: "don't know how to handle UnicodeDecodeError in
               error callback" */
            PyErr_SetString(PyExc_TypeError,
                            "don't know how to handle UnicodeDecodeError "
                            "in error callback");
            return NULL;
        default: {
            Py_ssize_t np = _PyUnicode_DecodeCallErrorHandler(
                b, errors, "utf-8", reason, str, size, pos, pos + err_end);
            if (np < 0) {
                return NULL;
            }
            pos = np;
            continue;
        }
        }
        pos += err_end;
    }
    if (consumed != NULL) {
        *consumed = pos;
    }
    return _PyUnicode_FromUCS4(b->buf, b->len);
}

/* Valid UTF-8 of known length and maximum: decode straight into the
   result. */
static PyObject *
utf8_decode_valid(const unsigned char *s, Py_ssize_t size, Py_ssize_t nchars,
                  Py_UCS4 maxchar)
{
    if (nchars == 1 && maxchar < 256) {
        Py_UCS4 ch;
        Py_ssize_t err_end;
        int truncated;
        utf8_sequence(s, size, &ch, &err_end, &truncated);
        return _PyUnicode_Latin1Char(ch);
    }
    PyObject *u = PyUnicode_New(nchars, maxchar);
    if (u == NULL) {
        return NULL;
    }
    int kind = PyUnicode_KIND(u);
    void *data = PyUnicode_DATA(u);
    Py_ssize_t i = 0, o = 0;
    while (i < size) {
        Py_UCS4 ch;
        Py_ssize_t err_end;
        int truncated;
        int len = utf8_sequence(s + i, size - i, &ch, &err_end, &truncated);
        PyUnicode_WRITE(kind, data, o++, ch);
        i += len;
    }
    return u;
}

PyObject *
PyUnicode_DecodeUTF8Stateful(const char *str, Py_ssize_t size,
                             const char *errors, Py_ssize_t *consumed)
{
    const unsigned char *s = (const unsigned char *)str;
    if (size == 0) {
        if (consumed) {
            *consumed = 0;
        }
        return _PyUnicode_GetEmpty();
    }
    /* ASCII fast path. */
    Py_ssize_t i = 0;
    while (i < size && s[i] < 0x80) {
        i++;
    }
    if (i == size) {
        if (consumed) {
            *consumed = size;
        }
        return _PyUnicode_FromASCII(str, size);
    }
    /* Validate, count and find the maximum in one pass. */
    Py_ssize_t nchars = i;
    Py_UCS4 maxchar = 0x7f;
    while (i < size) {
        Py_UCS4 ch;
        Py_ssize_t err_end;
        int truncated;
        int len = utf8_sequence(s + i, size - i, &ch, &err_end, &truncated);
        if (len == 0) {
            break;
        }
        if (ch > maxchar) {
            maxchar = ch;
        }
        nchars++;
        i += len;
    }
    if (i == size) {
        if (consumed) {
            *consumed = size;
        }
        return utf8_decode_valid(s, size, nchars, maxchar);
    }
    /* Errors (or a truncated tail): decode the valid prefix, then go slow. */
    _PyUCS4Buf b = {NULL, 0, 0};
    Py_ssize_t j = 0;
    while (j < i) {
        Py_UCS4 ch;
        Py_ssize_t err_end;
        int truncated;
        int len = utf8_sequence(s + j, i - j, &ch, &err_end, &truncated);
        if (_PyUCS4Buf_Put(&b, ch) < 0) {
            PyMem_Free(b.buf);
            return NULL;
        }
        j += len;
    }
    PyObject *res = utf8_decode_slow(str, size, errors, consumed, i, &b);
    PyMem_Free(b.buf);
    return res;
}

PyObject *
PyUnicode_DecodeUTF8(const char *s, Py_ssize_t size, const char *errors)
{
    return PyUnicode_DecodeUTF8Stateful(s, size, errors, NULL);
}

PyObject *
_PyUnicode_DecodeUTF8Valid(const char *s, Py_ssize_t size)
{
    return PyUnicode_DecodeUTF8Stateful(s, size, NULL, NULL);
}

/* ------------------------------------------------------ UTF-8 encoding */

static int
put_utf8(_PyBytesBuf *b, Py_UCS4 ch)
{
    char tmp[4];
    int n;
    if (ch < 0x80) {
        tmp[0] = (char)ch;
        n = 1;
    }
    else if (ch < 0x800) {
        tmp[0] = (char)(0xC0 | (ch >> 6));
        tmp[1] = (char)(0x80 | (ch & 0x3F));
        n = 2;
    }
    else if (ch < 0x10000) {
        tmp[0] = (char)(0xE0 | (ch >> 12));
        tmp[1] = (char)(0x80 | ((ch >> 6) & 0x3F));
        tmp[2] = (char)(0x80 | (ch & 0x3F));
        n = 3;
    }
    else {
        tmp[0] = (char)(0xF0 | (ch >> 18));
        tmp[1] = (char)(0x80 | ((ch >> 12) & 0x3F));
        tmp[2] = (char)(0x80 | ((ch >> 6) & 0x3F));
        tmp[3] = (char)(0x80 | (ch & 0x3F));
        n = 4;
    }
    return _PyBytesBuf_Put(b, tmp, n);
}

/* Applies a replacing error handler to the characters [start, end) that
   `encoding` cannot encode (limit: 128 for ascii, 256 for latin-1,
   0x110000 for utf-8, which only refuses surrogates).  The position to
   resume at, or -1 with an exception (strict, or a handler that cannot
   handle them).  Handlers from the registry see the whole range; a str
   they return must be ASCII (UTF-8) or below the limit. */
static Py_ssize_t
encode_error(_PyBytesBuf *b, _Py_error_handler eh, const char *errors,
             const char *encoding, const char *reason, PyObject *unicode,
             Py_ssize_t start, Py_ssize_t end, Py_UCS4 limit)
{
    if (eh == _Py_ERROR_OTHER) {
        return _PyUnicode_EncodeCallErrorHandler(
            b, errors, encoding, reason, unicode, start, end,
            limit == 0x110000 ? 128 : limit);
    }
    int kind = PyUnicode_KIND(unicode);
    const void *data = PyUnicode_DATA(unicode);
    for (Py_ssize_t i = start; i < end; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        char tmp[16];
        switch (eh) {
        case _Py_ERROR_REPLACE:
            if (_PyBytesBuf_Put(b, "?", 1) < 0) {
                return -1;
            }
            break;
        case _Py_ERROR_IGNORE:
            break;
        case _Py_ERROR_BACKSLASHREPLACE:
            if (ch < 0x100) {
                snprintf(tmp, sizeof(tmp), "\\x%02x", (unsigned)ch);
            }
            else if (ch < 0x10000) {
                snprintf(tmp, sizeof(tmp), "\\u%04x", (unsigned)ch);
            }
            else {
                snprintf(tmp, sizeof(tmp), "\\U%08x", (unsigned)ch);
            }
            if (_PyBytesBuf_Put(b, tmp, (Py_ssize_t)strlen(tmp)) < 0) {
                return -1;
            }
            break;
        case _Py_ERROR_XMLCHARREFREPLACE:
            snprintf(tmp, sizeof(tmp), "&#%u;", (unsigned)ch);
            if (_PyBytesBuf_Put(b, tmp, (Py_ssize_t)strlen(tmp)) < 0) {
                return -1;
            }
            break;
        case _Py_ERROR_SURROGATEESCAPE:
            if (ch >= 0xDC80 && ch <= 0xDCFF) {
                tmp[0] = (char)(ch - 0xDC00);
                if (_PyBytesBuf_Put(b, tmp, 1) < 0) {
                    return -1;
                }
                break;
            }
            /* As Python 3.11: the run from the first character that
               cannot be escaped. */
            raise_encode_error(encoding, unicode, i, end, reason);
            return -1;
        case _Py_ERROR_SURROGATEPASS:
            if (limit == 0x110000 && Py_UNICODE_IS_SURROGATE(ch)) {
                if (put_utf8(b, ch) < 0) {
                    return -1;
                }
                break;
            }
            raise_encode_error(encoding, unicode, i, end, reason);
            return -1;
        default:
            raise_encode_error(encoding, unicode, start, end, reason);
            return -1;
        }
    }
    return end;
}

PyObject *
_PyUnicode_EncodeUTF8(PyObject *unicode, const char *errors)
{
    if (!PyUnicode_Check(unicode)) {
        PyErr_BadArgument();
        return NULL;
    }
    Py_ssize_t len = PyUnicode_GET_LENGTH(unicode);
    if (PyUnicode_IS_ASCII(unicode)) {
        return PyBytes_FromStringAndSize(PyUnicode_DATA(unicode), len);
    }
    int kind = PyUnicode_KIND(unicode);
    const void *data = PyUnicode_DATA(unicode);
    _PyBytesBuf b = {NULL, 0, 0};
    if (_PyBytesBuf_Reserve(&b, len * (kind == 1 ? 2 : 3) + 1) < 0) {
        return NULL;
    }
    _Py_error_handler eh = _Py_ERROR_UNKNOWN;
    for (Py_ssize_t i = 0; i < len;) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        if (!Py_UNICODE_IS_SURROGATE(ch)) {
            if (put_utf8(&b, ch) < 0) {
                goto error;
            }
            i++;
            continue;
        }
        Py_ssize_t end = i + 1;
        while (end < len &&
               Py_UNICODE_IS_SURROGATE(PyUnicode_READ(kind, data, end))) {
            end++;
        }
        if (eh == _Py_ERROR_UNKNOWN) {
            eh = _Py_GetErrorHandler(errors);
        }
        i = encode_error(&b, eh, errors, "utf-8", "surrogates not allowed",
                         unicode, i, end, 0x110000);
        if (i < 0) {
            goto error;
        }
    }
    return _PyBytesBuf_Finish(&b);
error:
    PyMem_Free(b.buf);
    return NULL;
}

PyObject *
_PyUnicode_AsUTF8String(PyObject *unicode, const char *errors)
{
    return _PyUnicode_EncodeUTF8(unicode, errors);
}

PyObject *
PyUnicode_AsUTF8String(PyObject *unicode)
{
    return _PyUnicode_EncodeUTF8(unicode, NULL);
}

/* ------------------------------------------------------ latin-1, ASCII */

PyObject *
PyUnicode_DecodeLatin1(const char *s, Py_ssize_t size, const char *errors)
{
    return _PyUnicode_FromUCS1((const Py_UCS1 *)s, size);
}

PyObject *
PyUnicode_DecodeASCII(const char *str, Py_ssize_t size, const char *errors)
{
    const unsigned char *s = (const unsigned char *)str;
    Py_ssize_t i = 0;
    while (i < size && s[i] < 0x80) {
        i++;
    }
    if (i == size) {
        return size == 0 ? _PyUnicode_GetEmpty()
                         : _PyUnicode_FromASCII(str, size);
    }
    _Py_error_handler eh = _Py_GetErrorHandler(errors);
    _PyUCS4Buf b = {NULL, 0, 0};
    for (Py_ssize_t j = 0; j < size; j++) {
        Py_UCS4 ch = s[j];
        if (ch >= 0x80) {
            char tmp[8];
            switch (eh) {
            case _Py_ERROR_STRICT:
                raise_decode_error("ascii", str, size, j, j + 1,
                                   "ordinal not in range(128)");
                goto error;
            case _Py_ERROR_REPLACE:
                ch = 0xFFFD;
                break;
            case _Py_ERROR_IGNORE:
                continue;
            case _Py_ERROR_SURROGATEESCAPE:
                ch = 0xDC00 + ch;
                break;
            case _Py_ERROR_BACKSLASHREPLACE:
                snprintf(tmp, sizeof(tmp), "\\x%02x", (unsigned)ch);
                if (_PyUCS4Buf_PutASCII(&b, tmp) < 0) {
                    goto error;
                }
                continue;
            case _Py_ERROR_SURROGATEPASS:
                raise_decode_error("ascii", str, size, j, j + 1,
                                   "ordinal not in range(128)");
                goto error;
            case _Py_ERROR_XMLCHARREFREPLACE:
                PyErr_SetString(PyExc_TypeError,
                                "don't know how to handle "
                                "UnicodeDecodeError in error callback");
                goto error;
            default: {
                Py_ssize_t np = _PyUnicode_DecodeCallErrorHandler(
                    &b, errors, "ascii", "ordinal not in range(128)", str,
                    size, j, j + 1);
                if (np < 0) {
                    goto error;
                }
                j = np - 1;
                continue;
            }
            }
        }
        if (_PyUCS4Buf_Put(&b, ch) < 0) {
            goto error;
        }
    }
    PyObject *res = _PyUnicode_FromUCS4(b.buf, b.len);
    PyMem_Free(b.buf);
    return res;
error:
    PyMem_Free(b.buf);
    return NULL;
}

/* Encodes to a one-byte charset: ASCII (limit 128) or latin-1 (256). */
static PyObject *
encode_ucs1(PyObject *unicode, const char *errors, Py_UCS4 limit)
{
    if (!PyUnicode_Check(unicode)) {
        PyErr_BadArgument();
        return NULL;
    }
    const char *encoding = limit == 128 ? "ascii" : "latin-1";
    const char *reason = limit == 128 ? "ordinal not in range(128)"
                                      : "ordinal not in range(256)";
    Py_ssize_t len = PyUnicode_GET_LENGTH(unicode);
    int kind = PyUnicode_KIND(unicode);
    const void *data = PyUnicode_DATA(unicode);
    if (PyUnicode_IS_ASCII(unicode) ||
        (limit == 256 && kind == PyUnicode_1BYTE_KIND)) {
        return PyBytes_FromStringAndSize(data, len);
    }
    _PyBytesBuf b = {NULL, 0, 0};
    if (_PyBytesBuf_Reserve(&b, len + 1) < 0) {
        return NULL;
    }
    _Py_error_handler eh = _Py_ERROR_UNKNOWN;
    for (Py_ssize_t i = 0; i < len;) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        if (ch < limit) {
            char c = (char)ch;
            if (_PyBytesBuf_Put(&b, &c, 1) < 0) {
                goto error;
            }
            i++;
            continue;
        }
        Py_ssize_t end = i + 1;
        while (end < len && PyUnicode_READ(kind, data, end) >= limit) {
            end++;
        }
        if (eh == _Py_ERROR_UNKNOWN) {
            eh = _Py_GetErrorHandler(errors);
        }
        i = encode_error(&b, eh, errors, encoding, reason, unicode, i, end,
                         limit);
        if (i < 0) {
            goto error;
        }
    }
    return _PyBytesBuf_Finish(&b);
error:
    PyMem_Free(b.buf);
    return NULL;
}

PyObject *
_PyUnicode_AsLatin1String(PyObject *unicode, const char *errors)
{
    return encode_ucs1(unicode, errors, 256);
}

PyObject *
PyUnicode_AsLatin1String(PyObject *unicode)
{
    return encode_ucs1(unicode, NULL, 256);
}

PyObject *
_PyUnicode_AsASCIIString(PyObject *unicode, const char *errors)
{
    return encode_ucs1(unicode, errors, 128);
}

PyObject *
PyUnicode_AsASCIIString(PyObject *unicode)
{
    return encode_ucs1(unicode, NULL, 128);
}


/* ------------------------------------------------------ UTF-16, UTF-32 */

/* byteorder: -1 little endian, 1 big endian, 0 "detect a BOM, else
   little endian" (and write a BOM when encoding), as CPython's API. */

static inline unsigned int
rd16(const unsigned char *p, int be)
{
    return be ? (unsigned int)(p[0] << 8 | p[1])
              : (unsigned int)(p[1] << 8 | p[0]);
}

static inline Py_UCS4
rd32(const unsigned char *p, int be)
{
    return be ? ((Py_UCS4)p[0] << 24 | (Py_UCS4)p[1] << 16 |
                 (Py_UCS4)p[2] << 8 | p[3])
              : ((Py_UCS4)p[3] << 24 | (Py_UCS4)p[2] << 16 |
                 (Py_UCS4)p[1] << 8 | p[0]);
}

/* Applies a decoding error handler to bytes s[start:end]: returns the
   position to resume at (end, or less for surrogateescape, which only
   takes the leading bytes >= 128 and fails if there are none), or -1
   with an exception. */
static Py_ssize_t
decode_error_unit(_PyUCS4Buf *b, _Py_error_handler eh, const char *errors,
                  const char *encoding, const char *str, Py_ssize_t size,
                  Py_ssize_t start, Py_ssize_t end, const char *reason)
{
    const unsigned char *s = (const unsigned char *)str;
    switch (eh) {
    case _Py_ERROR_REPLACE:
        return _PyUCS4Buf_Put(b, 0xFFFD) < 0 ? -1 : end;
    case _Py_ERROR_IGNORE:
        return end;
    case _Py_ERROR_BACKSLASHREPLACE:
        for (Py_ssize_t k = start; k < end; k++) {
            char tmp[8];
            snprintf(tmp, sizeof(tmp), "\\x%02x", s[k]);
            if (_PyUCS4Buf_PutASCII(b, tmp) < 0) {
                return -1;
            }
        }
        return end;
    case _Py_ERROR_SURROGATEESCAPE: {
        Py_ssize_t k = start;
        while (k < end && s[k] >= 128) {
            if (_PyUCS4Buf_Put(b, 0xDC00 + s[k]) < 0) {
                return -1;
            }
            k++;
        }
        if (k == start) {
            raise_decode_error(encoding, str, size, start, end, reason);
            return -1;
        }
        return k;
    }
    case _Py_ERROR_STRICT:
    case _Py_ERROR_SURROGATEPASS:
    case _Py_ERROR_XMLCHARREFREPLACE:
        if (eh == _Py_ERROR_XMLCHARREFREPLACE) {
            PyErr_SetString(PyExc_TypeError,
                            "don't know how to handle UnicodeDecodeError "
                            "in error callback");
            return -1;
        }
        raise_decode_error(encoding, str, size, start, end, reason);
        return -1;
    default:
        return _PyUnicode_DecodeCallErrorHandler(b, errors, encoding, reason,
                                                 str, size, start, end);
    }
}

PyObject *
PyUnicode_DecodeUTF16Stateful(const char *str, Py_ssize_t size,
                              const char *errors, int *byteorder,
                              Py_ssize_t *consumed)
{
    const unsigned char *s = (const unsigned char *)str;
    int bo = byteorder ? *byteorder : 0;
    Py_ssize_t pos = 0;
    if (bo == 0 && size >= 2) {
        unsigned int bom = rd16(s, 0);
        if (bom == 0xFEFF) {
            bo = -1;
            pos = 2;
        }
        else if (bom == 0xFFFE) {
            bo = 1;
            pos = 2;
        }
    }
    int be = bo > 0;
    const char *encoding = be ? "utf-16-be" : "utf-16-le";
    _Py_error_handler eh = _Py_GetErrorHandler(errors);
    _PyUCS4Buf b = {NULL, 0, 0};
    while (pos < size) {
        if (size - pos < 2) {
            if (consumed) {
                break;
            }
            pos = decode_error_unit(&b, eh, errors, encoding, str, size,
                                    pos, size, "truncated data");
            if (pos < 0) {
                goto error;
            }
            continue;
        }
        unsigned int u = rd16(s + pos, be);
        if (u < 0xD800 || u > 0xDFFF) {
            if (_PyUCS4Buf_Put(&b, u) < 0) {
                goto error;
            }
            pos += 2;
            continue;
        }
        const char *reason = NULL;
        Py_ssize_t err_end = pos + 2;
        if (u >= 0xDC00) {
            reason = "illegal encoding";
        }
        else if (size - pos < 4) {
            if (consumed) {
                break;
            }
            reason = "unexpected end of data";
            err_end = size;     /* the high surrogate and what follows */
        }
        else {
            unsigned int u2 = rd16(s + pos + 2, be);
            if (u2 >= 0xDC00 && u2 <= 0xDFFF) {
                if (_PyUCS4Buf_Put(&b, Py_UNICODE_JOIN_SURROGATES(u, u2)) < 0) {
                    goto error;
                }
                pos += 4;
                continue;
            }
            reason = "illegal UTF-16 surrogate";
        }
        if (eh == _Py_ERROR_SURROGATEPASS) {
            if (_PyUCS4Buf_Put(&b, u) < 0) {
                goto error;
            }
            pos += 2;
            continue;
        }
        pos = decode_error_unit(&b, eh, errors, encoding, str, size, pos,
                                err_end, reason);
        if (pos < 0) {
            goto error;
        }
    }
    if (byteorder) {
        *byteorder = bo;
    }
    if (consumed) {
        *consumed = pos;
    }
    PyObject *res = _PyUnicode_FromUCS4(b.buf, b.len);
    PyMem_Free(b.buf);
    return res;
error:
    PyMem_Free(b.buf);
    return NULL;
}

PyObject *
PyUnicode_DecodeUTF16(const char *s, Py_ssize_t size, const char *errors,
                      int *byteorder)
{
    return PyUnicode_DecodeUTF16Stateful(s, size, errors, byteorder, NULL);
}

PyObject *
PyUnicode_DecodeUTF32Stateful(const char *str, Py_ssize_t size,
                              const char *errors, int *byteorder,
                              Py_ssize_t *consumed)
{
    const unsigned char *s = (const unsigned char *)str;
    int bo = byteorder ? *byteorder : 0;
    Py_ssize_t pos = 0;
    if (bo == 0 && size >= 4) {
        Py_UCS4 bom = rd32(s, 0);
        if (bom == 0xFEFF) {
            bo = -1;
            pos = 4;
        }
        else if (bom == 0xFFFE0000) {
            bo = 1;
            pos = 4;
        }
    }
    int be = bo > 0;
    const char *encoding = be ? "utf-32-be" : "utf-32-le";
    _Py_error_handler eh = _Py_GetErrorHandler(errors);
    _PyUCS4Buf b = {NULL, 0, 0};
    while (pos < size) {
        if (size - pos < 4) {
            if (consumed) {
                break;
            }
            pos = decode_error_unit(&b, eh, errors, encoding, str, size,
                                    pos, size, "truncated data");
            if (pos < 0) {
                goto error;
            }
            continue;
        }
        Py_UCS4 ch = rd32(s + pos, be);
        const char *reason = NULL;
        if (ch > 0x10FFFF) {
            reason = "code point not in range(0x110000)";
        }
        else if (Py_UNICODE_IS_SURROGATE(ch) &&
                 eh != _Py_ERROR_SURROGATEPASS) {
            reason = "code point in surrogate code point range(0xd800, "
                     "0xe000)";
        }
        if (reason == NULL) {
            if (_PyUCS4Buf_Put(&b, ch) < 0) {
                goto error;
            }
            pos += 4;
            continue;
        }
        pos = decode_error_unit(&b, eh, errors, encoding, str, size, pos,
                                pos + 4, reason);
        if (pos < 0) {
            goto error;
        }
    }
    if (byteorder) {
        *byteorder = bo;
    }
    if (consumed) {
        *consumed = pos;
    }
    PyObject *res = _PyUnicode_FromUCS4(b.buf, b.len);
    PyMem_Free(b.buf);
    return res;
error:
    PyMem_Free(b.buf);
    return NULL;
}

PyObject *
PyUnicode_DecodeUTF32(const char *s, Py_ssize_t size, const char *errors,
                      int *byteorder)
{
    return PyUnicode_DecodeUTF32Stateful(s, size, errors, byteorder, NULL);
}

static int
put_unit(_PyBytesBuf *b, Py_UCS4 ch, int width, int be)
{
    char tmp[8];
    int n = 0;
    if (width == 2 && ch >= 0x10000) {
        n = put_unit(b, Py_UNICODE_HIGH_SURROGATE(ch), 2, be);
        if (n < 0) {
            return -1;
        }
        return put_unit(b, Py_UNICODE_LOW_SURROGATE(ch), 2, be);
    }
    for (int k = 0; k < width; k++) {
        int shift = be ? 8 * (width - 1 - k) : 8 * k;
        tmp[n++] = (char)((ch >> shift) & 0xff);
    }
    return _PyBytesBuf_Put(b, tmp, n);
}

/* A registry error handler for the surrogates unicode[start:end]: a
   bytes replacement is copied if it is whole code units, a str one must
   be ASCII and is written unit by unit.  Resume position or -1. */
static Py_ssize_t
utf16_32_call_handler(_PyBytesBuf *b, const char *errors,
                      const char *encoding, PyObject *unicode,
                      Py_ssize_t start, Py_ssize_t end, int width, int be)
{
    const char *reason = "surrogates not allowed";
    PyObject *exc = NULL;
    Py_ssize_t newpos;
    PyObject *rep = _PyCodec_CallEncodeErrorHandler(errors, &exc, encoding,
                                                    reason, unicode, start,
                                                    end, &newpos);
    if (rep == NULL) {
        Py_XDECREF(exc);
        return -1;
    }
    int rc = 0;
    if (PyBytes_Check(rep)) {
        if (PyBytes_GET_SIZE(rep) % width != 0) {
            _PyCodec_RaiseEncodeError(&exc, encoding, unicode, start, end,
                                      reason);
            rc = -1;
        }
        else {
            rc = _PyBytesBuf_Put(b, PyBytes_AS_STRING(rep),
                                 PyBytes_GET_SIZE(rep));
        }
    }
    else {
        Py_ssize_t n = PyUnicode_GET_LENGTH(rep);
        for (Py_ssize_t k = 0; k < n && rc == 0; k++) {
            Py_UCS4 ch = PyUnicode_READ_CHAR(rep, k);
            if (ch >= 128) {
                _PyCodec_RaiseEncodeError(&exc, encoding, unicode, start,
                                          end, reason);
                rc = -1;
                break;
            }
            rc = put_unit(b, ch, width, be);
        }
    }
    Py_DECREF(rep);
    Py_XDECREF(exc);
    return rc < 0 ? -1 : newpos;
}

/* UTF-16 (width 2) or UTF-32 (width 4); byteorder as above. */
static PyObject *
encode_utf16_32(PyObject *unicode, const char *errors, int byteorder,
                int width)
{
    if (!PyUnicode_Check(unicode)) {
        PyErr_BadArgument();
        return NULL;
    }
    const char *encoding = width == 2
        ? (byteorder < 0 ? "utf-16-le" : byteorder > 0 ? "utf-16-be"
                                                       : "utf-16")
        : (byteorder < 0 ? "utf-32-le" : byteorder > 0 ? "utf-32-be"
                                                       : "utf-32");
    int be = byteorder > 0;
    Py_ssize_t len = PyUnicode_GET_LENGTH(unicode);
    int kind = PyUnicode_KIND(unicode);
    const void *data = PyUnicode_DATA(unicode);
    _PyBytesBuf b = {NULL, 0, 0};
    if (_PyBytesBuf_Reserve(&b, (len + 1) * width) < 0) {
        return NULL;
    }
    if (byteorder == 0 && put_unit(&b, 0xFEFF, width, 0) < 0) {
        goto error;
    }
    _Py_error_handler eh = _Py_ERROR_UNKNOWN;
    for (Py_ssize_t i = 0; i < len;) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        if (!Py_UNICODE_IS_SURROGATE(ch)) {
            if (put_unit(&b, ch, width, be) < 0) {
                goto error;
            }
            i++;
            continue;
        }
        /* Unlike UTF-8, Python 3.11 reports each surrogate on its own. */
        Py_ssize_t end = i + 1;
        if (eh == _Py_ERROR_UNKNOWN) {
            eh = _Py_GetErrorHandler(errors);
        }
        if (eh == _Py_ERROR_OTHER) {
            i = utf16_32_call_handler(&b, errors, encoding, unicode, i, end,
                                      width, be);
            if (i < 0) {
                goto error;
            }
            continue;
        }
        for (Py_ssize_t k = i; k < end; k++) {
            Py_UCS4 c = PyUnicode_READ(kind, data, k);
            char tmp[16];
            int r = 0;
            switch (eh) {
            case _Py_ERROR_SURROGATEPASS:
                r = put_unit(&b, c, width, be);
                break;
            case _Py_ERROR_REPLACE:
                r = put_unit(&b, '?', width, be);
                break;
            case _Py_ERROR_IGNORE:
                break;
            case _Py_ERROR_BACKSLASHREPLACE:
            case _Py_ERROR_XMLCHARREFREPLACE:
                snprintf(tmp, sizeof(tmp),
                         eh == _Py_ERROR_XMLCHARREFREPLACE ? "&#%u;"
                                                           : "\\u%04x",
                         (unsigned int)c);
                for (char *t = tmp; *t && r == 0; t++) {
                    r = put_unit(&b, (unsigned char)*t, width, be);
                }
                break;
            case _Py_ERROR_STRICT:
            case _Py_ERROR_SURROGATEESCAPE:
                raise_encode_error(encoding, unicode, eh == _Py_ERROR_STRICT
                                   ? i : k, eh == _Py_ERROR_STRICT ? end
                                   : k + 1, "surrogates not allowed");
                goto error;
            default:
                break;
            }
            if (r < 0) {
                goto error;
            }
        }
        i = end;
    }
    return _PyBytesBuf_Finish(&b);
error:
    PyMem_Free(b.buf);
    return NULL;
}

PyObject *
_PyUnicode_EncodeUTF16(PyObject *unicode, const char *errors, int byteorder)
{
    return encode_utf16_32(unicode, errors, byteorder, 2);
}

PyObject *
_PyUnicode_EncodeUTF32(PyObject *unicode, const char *errors, int byteorder)
{
    return encode_utf16_32(unicode, errors, byteorder, 4);
}

PyObject *
PyUnicode_AsUTF16String(PyObject *unicode)
{
    return encode_utf16_32(unicode, NULL, 0, 2);
}

PyObject *
PyUnicode_AsUTF32String(PyObject *unicode)
{
    return encode_utf16_32(unicode, NULL, 0, 4);
}

/* ------------------------------------------------------ by name */

typedef enum {
    ENC_UNKNOWN,
    ENC_UTF8,
    ENC_LATIN1,
    ENC_ASCII,
    ENC_UTF16,
    ENC_UTF16LE,
    ENC_UTF16BE,
    ENC_UTF32,
    ENC_UTF32LE,
    ENC_UTF32BE
} builtin_encoding;

/* Normalizes an encoding name as the codecs registry does (lower case,
   '_' and ' ' as '-') and recognises the built-in ones. */
static builtin_encoding
lookup_encoding(const char *encoding)
{
    if (encoding == NULL) {
        return ENC_UTF8;
    }
    char norm[32];
    size_t i;
    for (i = 0; encoding[i] && i < sizeof(norm) - 1; i++) {
        char c = encoding[i];
        if (c == '_' || c == ' ') {
            c = '-';
        }
        else if (c >= 'A' && c <= 'Z') {
            c = (char)(c - 'A' + 'a');
        }
        norm[i] = c;
    }
    if (encoding[i]) {
        return ENC_UNKNOWN;
    }
    norm[i] = '\0';
    static const char *const utf8[] = {"utf-8", "utf8", "u8", "utf",
                                       "cp65001", NULL};
    static const char *const latin1[] = {"latin-1", "latin1", "latin",
                                         "l1", "iso-8859-1", "iso8859-1",
                                         "8859", "cp819", "iso-ir-100",
                                         "csisolatin1", "iso-8859-1:1987",
                                         NULL};
    static const char *const ascii[] = {"ascii", "us-ascii", "646", "us",
                                        "ansi-x3.4-1968", "cp367",
                                        "iso646-us", "csascii", NULL};
    for (int k = 0; utf8[k]; k++) {
        if (strcmp(norm, utf8[k]) == 0) {
            return ENC_UTF8;
        }
    }
    static const struct { const char *name; builtin_encoding enc; } wide[] = {
        {"utf-16", ENC_UTF16}, {"utf16", ENC_UTF16}, {"u16", ENC_UTF16},
        {"utf-16-le", ENC_UTF16LE}, {"utf-16le", ENC_UTF16LE},
        {"utf-16-be", ENC_UTF16BE}, {"utf-16be", ENC_UTF16BE},
        {"utf-32", ENC_UTF32}, {"utf32", ENC_UTF32}, {"u32", ENC_UTF32},
        {"utf-32-le", ENC_UTF32LE}, {"utf-32le", ENC_UTF32LE},
        {"utf-32-be", ENC_UTF32BE}, {"utf-32be", ENC_UTF32BE},
    };
    for (size_t k = 0; k < Py_ARRAY_LENGTH(wide); k++) {
        if (strcmp(norm, wide[k].name) == 0) {
            return wide[k].enc;
        }
    }
    for (int k = 0; latin1[k]; k++) {
        if (strcmp(norm, latin1[k]) == 0) {
            return ENC_LATIN1;
        }
    }
    for (int k = 0; ascii[k]; k++) {
        if (strcmp(norm, ascii[k]) == 0) {
            return ENC_ASCII;
        }
    }
    return ENC_UNKNOWN;
}

/* bytes.decode() for codecs outside the built-in set: the registry's text
   codec, whose result must be a str (new reference). */
static PyObject *
decode_via_registry(const char *s, Py_ssize_t size, const char *encoding,
                    const char *errors)
{
    /* CPython hands the codec a memoryview over the data; Plait has no
       memoryview yet, so the codec gets a bytes copy. */
    PyObject *buffer = PyBytes_FromStringAndSize(s, size);
    if (buffer == NULL) {
        return NULL;
    }
    PyObject *res = _PyCodec_DecodeText(buffer, encoding, errors);
    Py_DECREF(buffer);
    if (res == NULL) {
        return NULL;
    }
    if (!PyUnicode_Check(res)) {
        PyErr_Format(PyExc_TypeError,
                     "'%.400s' decoder returned '%.400s' instead of 'str'; "
                     "use codecs.decode() to decode to arbitrary types",
                     encoding, Py_TYPE(res)->tp_name);
        Py_DECREF(res);
        return NULL;
    }
    return res;
}

/* str.encode() for codecs outside the built-in set: the result must be
   bytes; a bytearray is converted with a RuntimeWarning as in 3.11. */
static PyObject *
encode_via_registry(PyObject *unicode, const char *encoding,
                    const char *errors)
{
    PyObject *v = _PyCodec_EncodeText(unicode, encoding, errors);
    if (v == NULL || PyBytes_Check(v)) {
        return v;
    }
    if (PyByteArray_Check(v)) {
        if (PyErr_WarnFormat(PyExc_RuntimeWarning, 1,
                             "encoder %s returned bytearray instead of "
                             "bytes; use codecs.encode() to encode to "
                             "arbitrary types", encoding) < 0) {
            Py_DECREF(v);
            return NULL;
        }
        PyObject *b = PyBytes_FromStringAndSize(PyByteArray_AS_STRING(v),
                                                PyByteArray_GET_SIZE(v));
        Py_DECREF(v);
        return b;
    }
    PyErr_Format(PyExc_TypeError,
                 "'%.400s' encoder returned '%.400s' instead of 'bytes'; "
                 "use codecs.encode() to encode to arbitrary types",
                 encoding, Py_TYPE(v)->tp_name);
    Py_DECREF(v);
    return NULL;
}

/* CPython 3.11 decodes and encodes only these names (after the same
   normalisation) without asking the registry; for the other built-in
   names the registry's codec runs, so its errors come back wrapped
   ("decoding with 'u8' codec failed (...)").  Plait keeps the C fast path
   for all built-in names and wraps errors the same way. */
static int
cpython_fast_name(const char *encoding)
{
    static const char *const names[] = {
        "utf-8", "utf8", "utf-16", "utf16", "utf-32", "utf32", "latin-1",
        "latin1", "iso-8859-1", "iso8859-1", "ascii", "us-ascii",
    };
    if (encoding == NULL) {
        return 1;
    }
    char norm[16];
    size_t i;
    for (i = 0; encoding[i] && i < sizeof(norm) - 1; i++) {
        char c = encoding[i];
        norm[i] = (c == '_' || c == ' ') ? '-'
                  : (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    if (encoding[i]) {
        return 0;
    }
    norm[i] = '\0';
    for (size_t k = 0; k < Py_ARRAY_LENGTH(names); k++) {
        if (strcmp(norm, names[k]) == 0) {
            return 1;
        }
    }
    return 0;
}

static PyObject *
decode_builtin(builtin_encoding e, const char *s, Py_ssize_t size,
               const char *encoding, const char *errors)
{
    switch (e) {
    case ENC_UTF8:
        return PyUnicode_DecodeUTF8Stateful(s, size, errors, NULL);
    case ENC_LATIN1:
        return PyUnicode_DecodeLatin1(s, size, errors);
    case ENC_ASCII:
        return PyUnicode_DecodeASCII(s, size, errors);
    case ENC_UTF16:
    case ENC_UTF16LE:
    case ENC_UTF16BE: {
        int bo = e == ENC_UTF16 ? 0 : e == ENC_UTF16LE ? -1 : 1;
        return PyUnicode_DecodeUTF16(s, size, errors, &bo);
    }
    case ENC_UTF32:
    case ENC_UTF32LE:
    case ENC_UTF32BE: {
        int bo = e == ENC_UTF32 ? 0 : e == ENC_UTF32LE ? -1 : 1;
        return PyUnicode_DecodeUTF32(s, size, errors, &bo);
    }
    default:
        return decode_via_registry(s, size, encoding, errors);
    }
}

PyObject *
PyUnicode_Decode(const char *s, Py_ssize_t size, const char *encoding,
                 const char *errors)
{
    builtin_encoding e = lookup_encoding(encoding);
    PyObject *res = decode_builtin(e, s, size, encoding, errors);
    if (res == NULL && e != ENC_UNKNOWN && !cpython_fast_name(encoding)) {
        _PyCodec_WrapError("decoding", encoding);
    }
    return res;
}

static PyObject *
encode_builtin(builtin_encoding e, PyObject *unicode, const char *encoding,
               const char *errors)
{
    switch (e) {
    case ENC_UTF8:
        return _PyUnicode_EncodeUTF8(unicode, errors);
    case ENC_LATIN1:
        return encode_ucs1(unicode, errors, 256);
    case ENC_ASCII:
        return encode_ucs1(unicode, errors, 128);
    case ENC_UTF16:
        return encode_utf16_32(unicode, errors, 0, 2);
    case ENC_UTF16LE:
        return encode_utf16_32(unicode, errors, -1, 2);
    case ENC_UTF16BE:
        return encode_utf16_32(unicode, errors, 1, 2);
    case ENC_UTF32:
        return encode_utf16_32(unicode, errors, 0, 4);
    case ENC_UTF32LE:
        return encode_utf16_32(unicode, errors, -1, 4);
    case ENC_UTF32BE:
        return encode_utf16_32(unicode, errors, 1, 4);
    default:
        return encode_via_registry(unicode, encoding, errors);
    }
}

PyObject *
PyUnicode_AsEncodedString(PyObject *unicode, const char *encoding,
                          const char *errors)
{
    if (!PyUnicode_Check(unicode)) {
        PyErr_BadArgument();
        return NULL;
    }
    builtin_encoding e = lookup_encoding(encoding);
    PyObject *res = encode_builtin(e, unicode, encoding, errors);
    if (res == NULL && e != ENC_UNKNOWN && !cpython_fast_name(encoding)) {
        _PyCodec_WrapError("encoding", encoding);
    }
    return res;
}

/* str(obj, encoding, errors): obj must be bytes-like. */
PyObject *
PyUnicode_FromEncodedObject(PyObject *obj, const char *encoding,
                            const char *errors)
{
    if (obj == NULL) {
        PyErr_BadInternalCall();
        return NULL;
    }
    if (PyBytes_Check(obj)) {
        return PyUnicode_Decode(PyBytes_AS_STRING(obj),
                                PyBytes_GET_SIZE(obj), encoding, errors);
    }
    if (PyUnicode_Check(obj)) {
        PyErr_SetString(PyExc_TypeError,
                        "decoding str is not supported");
        return NULL;
    }
    Py_buffer view;
    if (PyObject_GetBuffer(obj, &view, PyBUF_SIMPLE) < 0) {
        PyErr_Format(PyExc_TypeError,
                     "decoding to str: need a bytes-like object, %.80s found",
                     Py_TYPE(obj)->tp_name);
        return NULL;
    }
    PyObject *res = PyUnicode_Decode(view.buf, view.len, encoding, errors);
    PyBuffer_Release(&view);
    return res;
}

/* The filesystem and locale encodings are UTF-8 with surrogateescape
   (Plait runs in UTF-8 mode, like CPython's -X utf8). */
PyObject *
PyUnicode_DecodeFSDefaultAndSize(const char *s, Py_ssize_t size)
{
    return PyUnicode_DecodeUTF8Stateful(s, size, "surrogateescape", NULL);
}

PyObject *
PyUnicode_DecodeFSDefault(const char *s)
{
    return PyUnicode_DecodeFSDefaultAndSize(s, (Py_ssize_t)strlen(s));
}

PyObject *
PyUnicode_EncodeFSDefault(PyObject *unicode)
{
    return _PyUnicode_EncodeUTF8(unicode, "surrogateescape");
}

PyObject *
PyUnicode_DecodeLocaleAndSize(const char *str, Py_ssize_t len,
                              const char *errors)
{
    if (errors == NULL || strcmp(errors, "strict") != 0) {
        errors = "surrogateescape";
    }
    return PyUnicode_DecodeUTF8Stateful(str, len, errors, NULL);
}

PyObject *
PyUnicode_DecodeLocale(const char *str, const char *errors)
{
    return PyUnicode_DecodeLocaleAndSize(str, (Py_ssize_t)strlen(str),
                                         errors);
}

PyObject *
PyUnicode_EncodeLocale(PyObject *unicode, const char *errors)
{
    if (errors == NULL || strcmp(errors, "strict") != 0) {
        errors = "surrogateescape";
    }
    return _PyUnicode_EncodeUTF8(unicode, errors);
}
