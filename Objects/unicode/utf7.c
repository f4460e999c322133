/* UTF-7 (RFC 2152) as Python 3.11 writes and reads it: printable ASCII
 * other than '+', '\\' and '~' (and tab, CR, LF) is written directly,
 * everything else as modified base64 of UTF-16 between '+' and an
 * optional '-'.  Lone surrogates pass through both ways.  Work happens on
 * private buffers; nothing is shared. */
#include "Python.h"
#include "pycore_codecs.h"

static const char b64_chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* The base64 value of c, or -1. */
static int
b64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z') {
        return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
        return c - '0' + 52;
    }
    return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* Characters the encoder writes as themselves. */
static int
encode_direct(Py_UCS4 ch)
{
    if (ch == '\t' || ch == '\n' || ch == '\r') {
        return 1;
    }
    return ch >= 0x20 && ch < 0x7F && ch != '+' && ch != '\\' && ch != '~';
}

/* ------------------------------------------------------ decoding */

typedef struct {
    int in_shift;
    Py_ssize_t shift_start;     /* input position of the '+' */
    Py_ssize_t out_start;       /* output length at the '+' */
    int bits;                   /* pending bits in buffer */
    uint32_t buffer;
    Py_UCS4 surrogate;          /* pending high surrogate, or 0 */
} utf7_state;

/* Adds one base64 digit; emits UTF-16 units as they complete. */
static int
utf7_add_digit(utf7_state *st, _PyUCS4Buf *b, int v)
{
    st->buffer = (st->buffer << 6) | (uint32_t)v;
    st->bits += 6;
    if (st->bits < 16) {
        return 0;
    }
    Py_UCS4 unit = (st->buffer >> (st->bits - 16)) & 0xFFFF;
    st->bits -= 16;
    st->buffer &= (1u << st->bits) - 1;
    if (st->surrogate != 0) {
        Py_UCS4 hi = st->surrogate;
        st->surrogate = 0;
        if (Py_UNICODE_IS_LOW_SURROGATE(unit)) {
            return _PyUCS4Buf_Put(b, Py_UNICODE_JOIN_SURROGATES(hi, unit));
        }
        if (_PyUCS4Buf_Put(b, hi) < 0) {
            return -1;
        }
    }
    if (Py_UNICODE_IS_HIGH_SURROGATE(unit)) {
        st->surrogate = unit;
        return 0;
    }
    return _PyUCS4Buf_Put(b, unit);
}

/* Handles byte c that ends a shift sequence at s[pos]: returns the
   error reason, or NULL when the sequence ended cleanly (c then still
   has to be written unless it is '-'). */
static const char *
utf7_end_shift(utf7_state *st, _PyUCS4Buf *b, int *err)
{
    st->in_shift = 0;
    *err = 0;
    if (st->bits >= 6) {
        return "partial character in shift sequence";
    }
    if (st->buffer != 0) {
        return "non-zero padding bits in shift sequence";
    }
    if (st->surrogate != 0) {
        *err = _PyUCS4Buf_Put(b, st->surrogate);
        st->surrogate = 0;
    }
    return NULL;
}

PyObject *
PyUnicode_DecodeUTF7Stateful(const char *str, Py_ssize_t size,
                             const char *errors, Py_ssize_t *consumed)
{
    const unsigned char *s = (const unsigned char *)str;
    _PyUCS4Buf b = {NULL, 0, 0};
    utf7_state st = {0, 0, 0, 0, 0, 0};
    Py_ssize_t pos = 0;
    while (pos < size) {
        unsigned char c = s[pos];
        const char *reason = NULL;
        Py_ssize_t start = pos;
        if (st.in_shift) {
            int v = b64_value(c);
            if (v >= 0) {
                if (utf7_add_digit(&st, &b, v) < 0) {
                    goto error;
                }
                pos++;
                continue;
            }
            int err;
            pos++;
            reason = utf7_end_shift(&st, &b, &err);
            if (err < 0) {
                goto error;
            }
            start = st.shift_start;
            if (reason == NULL && c != '-') {
                if (c >= 128) {
                    start = pos - 1;
                    reason = "unexpected special character";
                }
                else if (_PyUCS4Buf_Put(&b, c) < 0) {
                    goto error;
                }
            }
        }
        else if (c == '+') {
            pos++;
            if (pos < size && s[pos] == '-') {
                pos++;
                if (_PyUCS4Buf_Put(&b, '+') < 0) {
                    goto error;
                }
            }
            else if (pos < size && b64_value(s[pos]) < 0) {
                pos++;
                reason = "ill-formed sequence";
            }
            else {
                st = (utf7_state){1, start, b.len, 0, 0, 0};
            }
        }
        else if (c < 128) {
            pos++;
            if (_PyUCS4Buf_Put(&b, c) < 0) {
                goto error;
            }
        }
        else {
            pos++;
            reason = "unexpected special character";
        }
        if (reason != NULL) {
            st.in_shift = 0;
            st.bits = 0;
            st.buffer = 0;
            st.surrogate = 0;
            pos = _PyUnicode_DecodeCallErrorHandler(&b, errors, "utf7",
                                                    reason, str, size,
                                                    start, pos);
            if (pos < 0) {
                goto error;
            }
        }
    }
    if (st.in_shift && consumed != NULL) {
        /* Keep the open shift sequence for the next call. */
        b.len = st.out_start;
        pos = st.shift_start;
    }
    else if (st.in_shift &&
             (st.surrogate != 0 || st.bits >= 6 || st.buffer != 0)) {
        pos = _PyUnicode_DecodeCallErrorHandler(&b, errors, "utf7",
                                                "unterminated shift sequence",
                                                str, size, st.shift_start,
                                                size);
        if (pos < 0) {
            goto error;
        }
        /* A handler may send us back into the data. */
        if (pos < size) {
            PyObject *rest = PyUnicode_DecodeUTF7Stateful(str + pos,
                                                          size - pos, errors,
                                                          NULL);
            if (rest == NULL || _PyUCS4Buf_PutStr(&b, rest) < 0) {
                Py_XDECREF(rest);
                goto error;
            }
            Py_DECREF(rest);
            pos = size;
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
PyUnicode_DecodeUTF7(const char *s, Py_ssize_t size, const char *errors)
{
    return PyUnicode_DecodeUTF7Stateful(s, size, errors, NULL);
}

/* ------------------------------------------------------ encoding */

/* Appends the 16-bit unit to the base64 stream. */
static int
utf7_put_unit(_PyBytesBuf *b, uint32_t *buffer, int *bits, Py_UCS4 unit)
{
    *buffer = (*buffer << 16) | unit;
    *bits += 16;
    while (*bits >= 6) {
        *bits -= 6;
        if (_PyBytesBuf_PutByte(b, b64_chars[(*buffer >> *bits) & 0x3F]) < 0) {
            return -1;
        }
    }
    *buffer &= (1u << *bits) - 1;
    return 0;
}

static int
utf7_put_char(_PyBytesBuf *b, uint32_t *buffer, int *bits, Py_UCS4 ch)
{
    if (ch >= 0x10000) {
        if (utf7_put_unit(b, buffer, bits,
                          Py_UNICODE_HIGH_SURROGATE(ch)) < 0) {
            return -1;
        }
        ch = Py_UNICODE_LOW_SURROGATE(ch);
    }
    return utf7_put_unit(b, buffer, bits, ch);
}

/* Writes the last partial digit of a shift sequence. */
static int
utf7_flush(_PyBytesBuf *b, uint32_t buffer, int bits)
{
    if (bits == 0) {
        return 0;
    }
    return _PyBytesBuf_PutByte(b, b64_chars[(buffer << (6 - bits)) & 0x3F]);
}

PyObject *
_PyUnicode_EncodeUTF7(PyObject *unicode, const char *errors)
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
    int in_shift = 0, bits = 0;
    uint32_t buffer = 0;
    for (Py_ssize_t i = 0; i < len; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        int rc;
        if (encode_direct(ch)) {
            rc = 0;
            if (in_shift) {
                in_shift = 0;
                rc = utf7_flush(&b, buffer, bits);
                bits = 0;
                buffer = 0;
                if (rc == 0 && (b64_value((unsigned char)ch) >= 0 ||
                                ch == '-')) {
                    rc = _PyBytesBuf_PutByte(&b, '-');
                }
            }
            if (rc == 0) {
                rc = _PyBytesBuf_PutByte(&b, (int)ch);
            }
        }
        else if (ch == '+' && !in_shift) {
            rc = _PyBytesBuf_Put(&b, "+-", 2);
        }
        else {
            rc = 0;
            if (!in_shift) {
                in_shift = 1;
                rc = _PyBytesBuf_PutByte(&b, '+');
            }
            if (rc == 0) {
                rc = utf7_put_char(&b, &buffer, &bits, ch);
            }
        }
        if (rc < 0) {
            PyMem_Free(b.buf);
            return NULL;
        }
    }
    if (in_shift && (utf7_flush(&b, buffer, bits) < 0 ||
                     _PyBytesBuf_PutByte(&b, '-') < 0)) {
        PyMem_Free(b.buf);
        return NULL;
    }
    return _PyBytesBuf_Finish(&b);
}
