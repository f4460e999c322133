/* What the built-in codecs share: their growable output buffers and the
 * path to error handlers that are not built into them (anything but
 * strict, ignore, replace, surrogateescape, surrogatepass,
 * backslashreplace and xmlcharrefreplace): those are looked up in the
 * error-handler registry (Python/codecs.c) and called with a
 * UnicodeDecodeError / UnicodeEncodeError, as CPython does.
 *
 * The buffers are private to one codec call; nothing here is shared. */
#include "Python.h"
#include "pycore_codecs.h"

/* ------------------------------------------------------ buffers */

int
_PyUCS4Buf_Grow(_PyUCS4Buf *b, Py_ssize_t more)
{
    if (b->len + more <= b->cap) {
        return 0;
    }
    Py_ssize_t ncap = b->cap < 16 ? 16 : b->cap * 2;
    if (ncap < b->len + more) {
        ncap = b->len + more;
    }
    if ((size_t)ncap > PY_SSIZE_T_MAX / sizeof(Py_UCS4)) {
        PyErr_NoMemory();
        return -1;
    }
    Py_UCS4 *n = PyMem_Realloc(b->buf, (size_t)ncap * sizeof(Py_UCS4));
    if (n == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    b->buf = n;
    b->cap = ncap;
    return 0;
}

int
_PyUCS4Buf_PutASCII(_PyUCS4Buf *b, const char *s)
{
    for (; *s; s++) {
        if (_PyUCS4Buf_Put(b, (unsigned char)*s) < 0) {
            return -1;
        }
    }
    return 0;
}

int
_PyUCS4Buf_PutStr(_PyUCS4Buf *b, PyObject *str)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(str);
    if (_PyUCS4Buf_Grow(b, n) < 0) {
        return -1;
    }
    int kind = PyUnicode_KIND(str);
    const void *data = PyUnicode_DATA(str);
    for (Py_ssize_t i = 0; i < n; i++) {
        b->buf[b->len++] = PyUnicode_READ(kind, data, i);
    }
    return 0;
}

PyObject *
_PyUCS4Buf_Finish(_PyUCS4Buf *b)
{
    PyObject *res = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND,
                                              b->buf ? (void *)b->buf
                                                     : (void *)"",
                                              b->len);
    PyMem_Free(b->buf);
    b->buf = NULL;
    return res;
}

int
_PyBytesBuf_Reserve(_PyBytesBuf *b, Py_ssize_t more)
{
    if (b->len + more <= b->cap) {
        return 0;
    }
    Py_ssize_t ncap = b->cap * 2;
    if (ncap < b->len + more) {
        ncap = b->len + more;
    }
    char *n = PyMem_Realloc(b->buf, (size_t)ncap);
    if (n == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    b->buf = n;
    b->cap = ncap;
    return 0;
}

int
_PyBytesBuf_Put(_PyBytesBuf *b, const char *s, Py_ssize_t n)
{
    if (_PyBytesBuf_Reserve(b, n) < 0) {
        return -1;
    }
    memcpy(b->buf + b->len, s, (size_t)n);
    b->len += n;
    return 0;
}

PyObject *
_PyBytesBuf_Finish(_PyBytesBuf *b)
{
    PyObject *res = PyBytes_FromStringAndSize(b->buf ? b->buf : "", b->len);
    PyMem_Free(b->buf);
    b->buf = NULL;
    return res;
}

/* ------------------------------------------------------ handlers */

Py_ssize_t
_PyUnicode_DecodeCallErrorHandler(_PyUCS4Buf *out, const char *errors,
                                  const char *encoding, const char *reason,
                                  const char *input, Py_ssize_t size,
                                  Py_ssize_t start, Py_ssize_t end)
{
    PyObject *exc = NULL;
    Py_ssize_t newpos;
    PyObject *rep = _PyCodec_CallDecodeErrorHandler(errors, &exc, encoding,
                                                    reason, input, size,
                                                    start, end, &newpos);
    Py_XDECREF(exc);
    if (rep == NULL) {
        return -1;
    }
    int rc = _PyUCS4Buf_PutStr(out, rep);
    Py_DECREF(rep);
    return rc < 0 ? -1 : newpos;
}

Py_ssize_t
_PyUnicode_EncodeCallErrorHandler(_PyBytesBuf *out, const char *errors,
                                  const char *encoding, const char *reason,
                                  PyObject *unicode, Py_ssize_t start,
                                  Py_ssize_t end, Py_UCS4 limit)
{
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
        rc = _PyBytesBuf_Put(out, PyBytes_AS_STRING(rep),
                             PyBytes_GET_SIZE(rep));
    }
    else {
        Py_ssize_t n = PyUnicode_GET_LENGTH(rep);
        for (Py_ssize_t i = 0; i < n && rc == 0; i++) {
            Py_UCS4 ch = PyUnicode_READ_CHAR(rep, i);
            if (ch >= limit) {
                _PyCodec_RaiseEncodeError(&exc, encoding, unicode, start,
                                          end, reason);
                rc = -1;
                break;
            }
            rc = _PyBytesBuf_PutByte(out, (int)ch);
        }
    }
    Py_DECREF(rep);
    Py_XDECREF(exc);
    return rc < 0 ? -1 : newpos;
}
