/* The binascii module: conversions between binary data and ASCII
 * encodings (hex, base64, quoted-printable, uuencode) and the CRC-32 /
 * CRC-CCITT checksums, with the arguments, results and error messages
 * of CPython 3.11.  CRC-32 is zlib's (the build links -lz).
 *
 * Encoders take any bytes-like object; decoders (a2b_*) also take an
 * ASCII-only str.  Every function reads its input through a buffer it
 * holds for the duration of the call and builds a fresh bytes object.
 *
 * Thread safety: the functions keep no state between calls.  The
 * exception classes live in the module state, written once at import;
 * there are no mutable statics.  A caller that hands in a bytearray
 * another thread is resizing gets the buffer-export protection of
 * bytearray (resizing is refused while the buffer is held). */
#include "Python.h"

#include <zlib.h>

typedef struct {
    PyObject *Error;
    PyObject *Incomplete;
} binascii_state;

/* Module state of the module passed as `self' to each function. */
static binascii_state *
get_state(PyObject *module)
{
    return (binascii_state *)PyModule_GetState(module);
}

/* Raise binascii.Error(msg).  Always returns NULL. */
static PyObject *
raise_error(PyObject *module, const char *msg)
{
    PyErr_SetString(get_state(module)->Error, msg);
    return NULL;
}

/* ------------------------------------------------------------------ */
/* Argument helpers                                                    */

/* A bytes-like argument: fills view (release with PyBuffer_Release).
 * 0, or -1 with TypeError. */
static int
get_binary(PyObject *obj, Py_buffer *view)
{
    return PyObject_GetBuffer(obj, view, PyBUF_SIMPLE);
}

/* An ASCII argument for a decoder: an ASCII-only str, or any object
 * with a contiguous buffer.  For a str, view->obj holds a reference to
 * it and PyBuffer_Release works the same.  0, or -1 with an error. */
static int
get_ascii(PyObject *obj, Py_buffer *view)
{
    if (PyUnicode_Check(obj)) {
        if (!PyUnicode_IS_ASCII(obj)) {
            PyErr_SetString(PyExc_ValueError, "string argument should "
                            "contain only ASCII characters");
            return -1;
        }
        Py_ssize_t len;
        const char *data = PyUnicode_AsUTF8AndSize(obj, &len);
        if (data == NULL) {
            return -1;
        }
        return PyBuffer_FillInfo(view, obj, (void *)data, len, 1,
                                 PyBUF_SIMPLE);
    }
    if (PyObject_GetBuffer(obj, view, PyBUF_SIMPLE) < 0) {
        PyErr_Format(PyExc_TypeError, "argument should be bytes, buffer or "
                     "ASCII string, not '%.100s'", Py_TYPE(obj)->tp_name);
        return -1;
    }
    return 0;
}

/* Clinic-style check that exactly one positional argument was given to
 * a function whose other parameters are keyword-only. */
static int
one_positional(const char *name, PyObject *args)
{
    Py_ssize_t n = PyTuple_GET_SIZE(args);
    if (n != 1) {
        PyErr_Format(PyExc_TypeError,
                     "%s() takes exactly 1 positional argument (%zd given)",
                     name, n);
        return -1;
    }
    return 0;
}

/* An int flag given as a keyword (clinic's 'i' converter). */
static int
int_flag(PyObject *obj, int dflt)
{
    if (obj == NULL) {
        return dflt;
    }
    return _PyLong_AsInt(obj);
}

/* ------------------------------------------------------------------ */
/* Hex                                                                 */

static const char hexdigits[] = "0123456789abcdef";

/* Hex of buf[0:n], with sep (0 for none) every |bytes_per_sep| bytes
 * counted from the right when positive, from the left when negative.
 * New bytes object. */
static PyObject *
hex_encode(const unsigned char *buf, Py_ssize_t n, char sep,
           int bytes_per_sep)
{
    Py_ssize_t group = bytes_per_sep < 0 ? -(Py_ssize_t)bytes_per_sep
                                          : bytes_per_sep;
    if (sep == 0 || group == 0 || n == 0) {
        group = 0;
    }
    Py_ssize_t nsep = group ? (n - 1) / group : 0;
    if (n > (PY_SSIZE_T_MAX - nsep) / 2) {
        return PyErr_NoMemory();
    }
    PyObject *res = PyBytes_FromStringAndSize(NULL, n * 2 + nsep);
    if (res == NULL) {
        return NULL;
    }
    char *out = PyBytes_AS_STRING(res);
    for (Py_ssize_t i = 0; i < n; i++) {
        if (group && i > 0) {
            Py_ssize_t k = bytes_per_sep > 0 ? n - i : i;
            if (k % group == 0) {
                *out++ = sep;
            }
        }
        *out++ = hexdigits[buf[i] >> 4];
        *out++ = hexdigits[buf[i] & 0xf];
    }
    return res;
}

/* Validate the sep argument of b2a_hex: one character of a str (code
 * point below 256) or one byte.  *sep = 0 when absent.  0 or -1. */
static int
parse_sep(PyObject *obj, char *sep)
{
    *sep = 0;
    if (obj == NULL) {
        return 0;
    }
    Py_ssize_t len = PyObject_Size(obj);
    if (len < 0) {
        return -1;
    }
    if (len != 1) {
        PyErr_SetString(PyExc_ValueError, "sep must be length 1.");
        return -1;
    }
    if (PyUnicode_Check(obj)) {
        Py_UCS4 c = PyUnicode_READ_CHAR(obj, 0);
        if (c > 0xff) {
            PyErr_SetString(PyExc_ValueError, "sep must be ASCII.");
            return -1;
        }
        *sep = (char)c;
        return 0;
    }
    if (PyBytes_Check(obj)) {
        *sep = PyBytes_AS_STRING(obj)[0];
        return 0;
    }
    PyErr_SetString(PyExc_TypeError, "sep must be str or bytes.");
    return -1;
}

/* b2a_hex / hexlify(data, sep=<none>, bytes_per_sep=1). */
static PyObject *
hex_common(const char *fmt, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"data", "sep", "bytes_per_sep", NULL};
    PyObject *data, *sepobj = NULL;
    int bytes_per_sep = 1;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, fmt, kwlist, &data,
                                     &sepobj, &bytes_per_sep)) {
        return NULL;
    }
    Py_buffer view;
    if (get_binary(data, &view) < 0) {
        return NULL;
    }
    char sep;
    PyObject *res = NULL;
    if (parse_sep(sepobj, &sep) == 0) {
        res = hex_encode(view.buf, view.len, sep, bytes_per_sep);
    }
    PyBuffer_Release(&view);
    return res;
}

/* b2a_hex and hexlify are the same function under two names. */
static PyObject *
binascii_b2a_hex(PyObject *m, PyObject *args, PyObject *kwds)
{
    return hex_common("O|Oi:b2a_hex", args, kwds);
}

static PyObject *
binascii_hexlify(PyObject *m, PyObject *args, PyObject *kwds)
{
    return hex_common("O|Oi:hexlify", args, kwds);
}

/* Value of one hex digit, or -1. */
static int
hexval(unsigned char c)
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

/* a2b_hex / unhexlify(hexstr).  New bytes object. */
static PyObject *
binascii_a2b_hex(PyObject *m, PyObject *arg)
{
    Py_buffer view;
    if (get_ascii(arg, &view) < 0) {
        return NULL;
    }
    const unsigned char *in = view.buf;
    Py_ssize_t n = view.len;
    PyObject *res = NULL;
    if (n % 2 != 0) {
        raise_error(m, "Odd-length string");
        goto done;
    }
    res = PyBytes_FromStringAndSize(NULL, n / 2);
    if (res == NULL) {
        goto done;
    }
    unsigned char *out = (unsigned char *)PyBytes_AS_STRING(res);
    for (Py_ssize_t i = 0; i < n; i += 2) {
        int hi = hexval(in[i]), lo = hexval(in[i + 1]);
        if (hi < 0 || lo < 0) {
            Py_CLEAR(res);
            raise_error(m, "Non-hexadecimal digit found");
            goto done;
        }
        out[i / 2] = (unsigned char)((hi << 4) | lo);
    }
done:
    PyBuffer_Release(&view);
    return res;
}

/* ------------------------------------------------------------------ */
/* Base64                                                              */

static const char b64chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Value of one base64 alphabet character, or -1. */
static int
b64val(unsigned char c)
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
    if (c == '+') {
        return 62;
    }
    if (c == '/') {
        return 63;
    }
    return -1;
}

/* b2a_base64(data, /, *, newline=True). */
static PyObject *
binascii_b2a_base64(PyObject *m, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"", "newline", NULL};
    PyObject *data, *nlobj = NULL;
    if (one_positional("b2a_base64", args) < 0 ||
        !PyArg_ParseTupleAndKeywords(args, kwds, "O|$O:b2a_base64", kwlist,
                                     &data, &nlobj)) {
        return NULL;
    }
    int newline = int_flag(nlobj, 1);
    if (newline == -1 && PyErr_Occurred()) {
        return NULL;
    }
    Py_buffer view;
    if (get_binary(data, &view) < 0) {
        return NULL;
    }
    const unsigned char *in = view.buf;
    Py_ssize_t n = view.len;
    if (n > (PY_SSIZE_T_MAX - 3) / 4 * 3) {
        PyBuffer_Release(&view);
        return PyErr_NoMemory();
    }
    Py_ssize_t outlen = (n + 2) / 3 * 4 + (newline ? 1 : 0);
    PyObject *res = PyBytes_FromStringAndSize(NULL, outlen);
    if (res == NULL) {
        PyBuffer_Release(&view);
        return NULL;
    }
    char *out = PyBytes_AS_STRING(res);
    Py_ssize_t i = 0;
    for (; i + 3 <= n; i += 3) {
        uint32_t v = ((uint32_t)in[i] << 16) | ((uint32_t)in[i + 1] << 8) |
                     in[i + 2];
        *out++ = b64chars[(v >> 18) & 63];
        *out++ = b64chars[(v >> 12) & 63];
        *out++ = b64chars[(v >> 6) & 63];
        *out++ = b64chars[v & 63];
    }
    if (n - i == 1) {
        uint32_t v = (uint32_t)in[i] << 16;
        *out++ = b64chars[(v >> 18) & 63];
        *out++ = b64chars[(v >> 12) & 63];
        *out++ = '=';
        *out++ = '=';
    }
    else if (n - i == 2) {
        uint32_t v = ((uint32_t)in[i] << 16) | ((uint32_t)in[i + 1] << 8);
        *out++ = b64chars[(v >> 18) & 63];
        *out++ = b64chars[(v >> 12) & 63];
        *out++ = b64chars[(v >> 6) & 63];
        *out++ = '=';
    }
    if (newline) {
        *out++ = '\n';
    }
    PyBuffer_Release(&view);
    return res;
}

/* Decoder state for a2b_base64. */
typedef struct {
    unsigned char *out;
    Py_ssize_t outlen;
    int quad_pos;           /* data characters in the current quad */
    unsigned int leftchar;  /* bits carried into the next byte */
    Py_ssize_t ndata;       /* data characters seen */
} b64_decoder;

/* Feed one alphabet value to the decoder. */
static void
b64_feed(b64_decoder *d, int v)
{
    d->ndata++;
    switch (d->quad_pos) {
    case 0:
        d->leftchar = (unsigned int)v;
        d->quad_pos = 1;
        break;
    case 1:
        d->out[d->outlen++] = (unsigned char)((d->leftchar << 2) | (v >> 4));
        d->leftchar = (unsigned int)v & 0x0f;
        d->quad_pos = 2;
        break;
    case 2:
        d->out[d->outlen++] = (unsigned char)((d->leftchar << 4) | (v >> 2));
        d->leftchar = (unsigned int)v & 0x03;
        d->quad_pos = 3;
        break;
    default:
        d->out[d->outlen++] = (unsigned char)((d->leftchar << 6) | v);
        d->leftchar = 0;
        d->quad_pos = 0;
        break;
    }
}

/* Decode base64 from in[0:n] into d; non-alphabet characters are
 * skipped (or rejected in strict mode); a pad that completes a quad
 * ends the data.  Returns NULL on success or the error message. */
static const char *
b64_decode(b64_decoder *d, const unsigned char *in, Py_ssize_t n,
           int strict)
{
    int pads = 0;
    int padding_started = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        unsigned char c = in[i];
        if (c == '=') {
            padding_started = 1;
            if (strict && i == 0) {
                return "Leading padding not allowed";
            }
            if (d->quad_pos >= 2 && d->quad_pos + ++pads >= 4) {
                if (strict && i + 1 < n) {
                    return "Excess data after padding";
                }
                return NULL;
            }
            continue;
        }
        int v = b64val(c);
        if (v < 0) {
            if (strict) {
                return "Only base64 data is allowed";
            }
            continue;
        }
        if (strict && padding_started) {
            return "Discontinuous padding not allowed";
        }
        pads = 0;
        b64_feed(d, v);
    }
    if (d->quad_pos == 1) {
        return "";      /* the caller formats the count message */
    }
    if (d->quad_pos != 0) {
        return "Incorrect padding";
    }
    return NULL;
}

/* a2b_base64(data, /, *, strict_mode=False). */
static PyObject *
binascii_a2b_base64(PyObject *m, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"", "strict_mode", NULL};
    PyObject *data, *strictobj = NULL;
    if (one_positional("a2b_base64", args) < 0 ||
        !PyArg_ParseTupleAndKeywords(args, kwds, "O|$O:a2b_base64", kwlist,
                                     &data, &strictobj)) {
        return NULL;
    }
    int strict = int_flag(strictobj, 0);
    if (strict == -1 && PyErr_Occurred()) {
        return NULL;
    }
    Py_buffer view;
    if (get_ascii(data, &view) < 0) {
        return NULL;
    }
    b64_decoder d = {0};
    d.out = PyMem_Malloc((size_t)(view.len / 4 * 3 + 3));
    if (d.out == NULL) {
        PyBuffer_Release(&view);
        return PyErr_NoMemory();
    }
    const char *err = b64_decode(&d, view.buf, view.len, strict);
    PyBuffer_Release(&view);
    PyObject *res = NULL;
    if (err == NULL) {
        res = PyBytes_FromStringAndSize((char *)d.out, d.outlen);
    }
    else if (err[0] == '\0') {
        PyErr_Format(get_state(m)->Error,
                     "Invalid base64-encoded string: number of data "
                     "characters (%zd) cannot be 1 more than a multiple "
                     "of 4", d.ndata);
    }
    else {
        raise_error(m, err);
    }
    PyMem_Free(d.out);
    return res;
}

/* ------------------------------------------------------------------ */
/* Quoted-printable                                                    */

#define QP_MAXLINE 76

/* Growable output buffer for the qp encoder. */
typedef struct {
    unsigned char *buf;
    Py_ssize_t len;
    Py_ssize_t cap;
} outbuf;

/* Make room for `more' bytes.  0, or -1 with MemoryError. */
static int
outbuf_reserve(outbuf *o, Py_ssize_t more)
{
    if (o->len + more <= o->cap) {
        return 0;
    }
    Py_ssize_t cap = o->cap ? o->cap : 64;
    while (cap < o->len + more) {
        if (cap > PY_SSIZE_T_MAX / 2) {
            PyErr_NoMemory();
            return -1;
        }
        cap *= 2;
    }
    unsigned char *nb = PyMem_Realloc(o->buf, (size_t)cap);
    if (nb == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    o->buf = nb;
    o->cap = cap;
    return 0;
}

static const char HEXUP[] = "0123456789ABCDEF";

/* Decide whether in[i] must be written as =XX. */
static int
qp_needs_quote(const unsigned char *in, Py_ssize_t n, Py_ssize_t i,
               Py_ssize_t linelen, int quotetabs, int istext, int header)
{
    unsigned char c = in[i];
    if (c > 126 || c == '=' || (header && c == '_')) {
        return 1;
    }
    if (c == '.' && linelen == 0 &&
        (i + 1 == n || in[i + 1] == '\n' || in[i + 1] == '\r' ||
         in[i + 1] == 0)) {
        return 1;
    }
    if (!istext && (c == '\r' || c == '\n')) {
        return 1;
    }
    if ((c == '\t' || c == ' ') && i + 1 == n) {
        return 1;
    }
    if (c < 33 && c != '\r' && c != '\n' &&
        (quotetabs || (c != '\t' && c != ' '))) {
        return 1;
    }
    return 0;
}

/* Encode in[0:n] into o.  0, or -1 with MemoryError. */
static int
qp_encode(outbuf *o, const unsigned char *in, Py_ssize_t n, int quotetabs,
          int istext, int header)
{
    /* Line ends are CRLF if the first LF of the data follows a CR. */
    const unsigned char *lf = memchr(in, '\n', (size_t)n);
    int crlf = (lf != NULL && lf > in && lf[-1] == '\r');
    Py_ssize_t linelen = 0;
    Py_ssize_t i = 0;
    while (i < n) {
        unsigned char c = in[i];
        if (outbuf_reserve(o, 8) < 0) {
            return -1;
        }
        if (qp_needs_quote(in, n, i, linelen, quotetabs, istext, header)) {
            if (linelen + 3 >= QP_MAXLINE) {
                o->buf[o->len++] = '=';
                if (crlf) {
                    o->buf[o->len++] = '\r';
                }
                o->buf[o->len++] = '\n';
                linelen = 0;
            }
            o->buf[o->len++] = '=';
            o->buf[o->len++] = HEXUP[c >> 4];
            o->buf[o->len++] = HEXUP[c & 0xf];
            linelen += 3;
            i++;
            continue;
        }
        if (istext &&
            (c == '\n' || (c == '\r' && i + 1 < n && in[i + 1] == '\n'))) {
            linelen = 0;
            /* Whitespace before a line end must be quoted. */
            if (o->len > 0 && (o->buf[o->len - 1] == ' ' ||
                               o->buf[o->len - 1] == '\t')) {
                unsigned char ws = o->buf[o->len - 1];
                o->buf[o->len - 1] = '=';
                o->buf[o->len++] = HEXUP[ws >> 4];
                o->buf[o->len++] = HEXUP[ws & 0xf];
            }
            if (crlf) {
                o->buf[o->len++] = '\r';
            }
            o->buf[o->len++] = '\n';
            i += (c == '\r') ? 2 : 1;
            continue;
        }
        if (i + 1 != n && in[i + 1] != '\n' && linelen + 1 >= QP_MAXLINE) {
            o->buf[o->len++] = '=';
            if (crlf) {
                o->buf[o->len++] = '\r';
            }
            o->buf[o->len++] = '\n';
            linelen = 0;
        }
        linelen++;
        o->buf[o->len++] = (header && c == ' ') ? '_' : c;
        i++;
    }
    return 0;
}

/* b2a_qp(data, quotetabs=False, istext=True, header=False). */
static PyObject *
binascii_b2a_qp(PyObject *m, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"data", "quotetabs", "istext", "header", NULL};
    PyObject *data;
    int quotetabs = 0, istext = 1, header = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O|iii:b2a_qp", kwlist,
                                     &data, &quotetabs, &istext, &header)) {
        return NULL;
    }
    Py_buffer view;
    if (get_binary(data, &view) < 0) {
        return NULL;
    }
    outbuf o = {NULL, 0, 0};
    PyObject *res = NULL;
    if (qp_encode(&o, view.buf, view.len, quotetabs, istext, header) == 0) {
        res = PyBytes_FromStringAndSize((char *)o.buf, o.len);
    }
    PyMem_Free(o.buf);
    PyBuffer_Release(&view);
    return res;
}

/* Decode quoted-printable in[0:n] into out (at least n bytes); returns
 * the output length. */
static Py_ssize_t
qp_decode(unsigned char *out, const unsigned char *in, Py_ssize_t n,
          int header)
{
    Py_ssize_t i = 0, o = 0;
    while (i < n) {
        if (in[i] == '=') {
            i++;
            if (i >= n) {
                break;          /* soft line break at the very end */
            }
            if (in[i] == '\n' || in[i] == '\r') {
                /* Soft line break: skip to just past the LF. */
                while (i < n && in[i] != '\n') {
                    i++;
                }
                if (i < n) {
                    i++;
                }
            }
            else if (in[i] == '=') {
                out[o++] = '=';
                i++;
            }
            else if (i + 1 < n && hexval(in[i]) >= 0 &&
                     hexval(in[i + 1]) >= 0) {
                out[o++] = (unsigned char)((hexval(in[i]) << 4) |
                                           hexval(in[i + 1]));
                i += 2;
            }
            else {
                out[o++] = '=';
            }
        }
        else if (header && in[i] == '_') {
            out[o++] = ' ';
            i++;
        }
        else {
            out[o++] = in[i++];
        }
    }
    return o;
}

/* a2b_qp(data, header=False). */
static PyObject *
binascii_a2b_qp(PyObject *m, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"data", "header", NULL};
    PyObject *data;
    int header = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O|i:a2b_qp", kwlist,
                                     &data, &header)) {
        return NULL;
    }
    Py_buffer view;
    if (get_ascii(data, &view) < 0) {
        return NULL;
    }
    unsigned char *out = PyMem_Malloc((size_t)view.len + 1);
    if (out == NULL) {
        PyBuffer_Release(&view);
        return PyErr_NoMemory();
    }
    Py_ssize_t len = qp_decode(out, view.buf, view.len, header);
    PyBuffer_Release(&view);
    PyObject *res = PyBytes_FromStringAndSize((char *)out, len);
    PyMem_Free(out);
    return res;
}

/* ------------------------------------------------------------------ */
/* Uuencode                                                            */

/* One uuencoded 6-bit character. */
static char
uu_char(unsigned int v, int backtick)
{
    v &= 0x3f;
    if (backtick && v == 0) {
        return '`';
    }
    return (char)(' ' + v);
}

/* b2a_uu(data, /, *, backtick=False): one line for at most 45 bytes. */
static PyObject *
binascii_b2a_uu(PyObject *m, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"", "backtick", NULL};
    PyObject *data, *btobj = NULL;
    if (one_positional("b2a_uu", args) < 0 ||
        !PyArg_ParseTupleAndKeywords(args, kwds, "O|$O:b2a_uu", kwlist,
                                     &data, &btobj)) {
        return NULL;
    }
    int backtick = int_flag(btobj, 0);
    if (backtick == -1 && PyErr_Occurred()) {
        return NULL;
    }
    Py_buffer view;
    if (get_binary(data, &view) < 0) {
        return NULL;
    }
    Py_ssize_t n = view.len;
    const unsigned char *in = view.buf;
    if (n > 45) {
        PyBuffer_Release(&view);
        return raise_error(m, "At most 45 bytes at once");
    }
    PyObject *res = PyBytes_FromStringAndSize(NULL, 2 + (n + 2) / 3 * 4);
    if (res == NULL) {
        PyBuffer_Release(&view);
        return NULL;
    }
    char *out = PyBytes_AS_STRING(res);
    *out++ = uu_char((unsigned int)n, backtick);
    for (Py_ssize_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16;
        if (i + 1 < n) {
            v |= (uint32_t)in[i + 1] << 8;
        }
        if (i + 2 < n) {
            v |= in[i + 2];
        }
        *out++ = uu_char(v >> 18, backtick);
        *out++ = uu_char(v >> 12, backtick);
        *out++ = uu_char(v >> 6, backtick);
        *out++ = uu_char(v, backtick);
    }
    *out = '\n';
    PyBuffer_Release(&view);
    return res;
}

/* Decode one uuencoded line into out (64 bytes at least).  Returns the
 * decoded length, or -1 with the error message in *err. */
static Py_ssize_t
uu_decode(unsigned char *out, const unsigned char *in, Py_ssize_t n,
          const char **err)
{
    /* The length character; an empty line counts as a NUL. */
    unsigned int first = n > 0 ? in[0] : 0;
    Py_ssize_t binlen = (Py_ssize_t)((first - ' ') & 0x3f);
    Py_ssize_t i = 1, o = 0;
    unsigned int acc = 0;
    int bits = 0;
    *err = NULL;
    while (o < binlen) {
        unsigned int v;
        if (i >= n || in[i] == '\n' || in[i] == '\r') {
            v = 0;      /* missing or line-end characters count as zero */
        }
        else {
            unsigned char c = in[i];
            if (c < ' ' || c > ' ' + 64) {
                *err = "Illegal char";
                return -1;
            }
            v = (c - ' ') & 0x3f;
        }
        if (i < n) {
            i++;
        }
        acc = (acc << 6) | v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (unsigned char)(acc >> bits);
            acc &= (1u << bits) - 1;
        }
    }
    /* Whatever follows the data may only be padding or a line end. */
    for (; i < n; i++) {
        unsigned char c = in[i];
        if (c != ' ' && c != ' ' + 64 && c != '\n' && c != '\r') {
            *err = "Trailing garbage";
            return -1;
        }
    }
    return o;
}

/* a2b_uu(data, /). */
static PyObject *
binascii_a2b_uu(PyObject *m, PyObject *arg)
{
    Py_buffer view;
    if (get_ascii(arg, &view) < 0) {
        return NULL;
    }
    unsigned char out[64];
    const char *err;
    Py_ssize_t len = uu_decode(out, view.buf, view.len, &err);
    PyBuffer_Release(&view);
    if (len < 0) {
        return raise_error(m, err);
    }
    return PyBytes_FromStringAndSize((char *)out, len);
}

/* ------------------------------------------------------------------ */
/* Checksums                                                           */

/* crc32(data, crc=0, /): zlib's CRC-32, the start value taken modulo
 * 2**32. */
static PyObject *
binascii_crc32(PyObject *m, PyObject *const *args, Py_ssize_t nargs)
{
    if (!_PyArg_CheckPositional("crc32", nargs, 1, 2)) {
        return NULL;
    }
    unsigned long crc = 0;
    if (nargs == 2) {
        if (!PyLong_Check(args[1])) {
            PyErr_Format(PyExc_TypeError,
                         "'%.200s' object cannot be interpreted as an "
                         "integer", Py_TYPE(args[1])->tp_name);
            return NULL;
        }
        crc = PyLong_AsUnsignedLongMask(args[1]);
        if (crc == (unsigned long)-1 && PyErr_Occurred()) {
            return NULL;
        }
        crc &= 0xffffffffUL;
    }
    Py_buffer view;
    if (get_binary(args[0], &view) < 0) {
        return NULL;
    }
    const unsigned char *p = view.buf;
    Py_ssize_t left = view.len;
    while (left > 0) {
        uInt chunk = left > (Py_ssize_t)0x40000000 ? 0x40000000u
                                                   : (uInt)left;
        crc = crc32(crc, p, chunk);
        p += chunk;
        left -= chunk;
    }
    PyBuffer_Release(&view);
    return PyLong_FromUnsignedLong(crc & 0xffffffffUL);
}

/* crc_hqx(data, crc, /): CRC-CCITT (polynomial 0x1021, MSB first, no
 * reflection or final xor), the start value taken modulo 2**16. */
static PyObject *
binascii_crc_hqx(PyObject *m, PyObject *const *args, Py_ssize_t nargs)
{
    if (!_PyArg_CheckPositional("crc_hqx", nargs, 2, 2)) {
        return NULL;
    }
    if (!PyLong_Check(args[1])) {
        PyErr_Format(PyExc_TypeError,
                     "'%.200s' object cannot be interpreted as an integer",
                     Py_TYPE(args[1])->tp_name);
        return NULL;
    }
    unsigned long crc = PyLong_AsUnsignedLongMask(args[1]);
    if (crc == (unsigned long)-1 && PyErr_Occurred()) {
        return NULL;
    }
    crc &= 0xffff;
    Py_buffer view;
    if (get_binary(args[0], &view) < 0) {
        return NULL;
    }
    const unsigned char *p = view.buf;
    for (Py_ssize_t i = 0; i < view.len; i++) {
        crc ^= (unsigned long)p[i] << 8;
        for (int b = 0; b < 8; b++) {
            crc = (crc & 0x8000) ? ((crc << 1) ^ 0x1021) : (crc << 1);
            crc &= 0xffff;
        }
    }
    PyBuffer_Release(&view);
    return PyLong_FromUnsignedLong(crc);
}

/* ------------------------------------------------------------------ */
/* Module                                                              */

#define HEX_DOC_BODY(other)                                              \
    "Hexadecimal representation of binary data.\n\n"                     \
    "  sep\n"                                                            \
    "    An optional single character or byte to separate hex bytes.\n"  \
    "  bytes_per_sep\n"                                                  \
    "    How many bytes between separators.  Positive values count "     \
    "from the\n"                                                         \
    "    right, negative values count from the left.\n\n"               \
    "The return value is a bytes object.  This function is also\n"      \
    "available as \"" other "()\"."
#define HEX_SIG "($module, /, data, sep=<unrepresentable>, bytes_per_sep=1)" \
                "\n--\n\n"
#define VARKW(f) (PyCFunction)(void (*)(void))f, METH_VARARGS | METH_KEYWORDS

static PyMethodDef binascii_methods[] = {
    {"a2b_uu", binascii_a2b_uu, METH_O,
     "a2b_uu($module, data, /)\n--\n\nDecode a line of uuencoded data."},
    {"b2a_uu", VARKW(binascii_b2a_uu),
     "b2a_uu($module, data, /, *, backtick=False)\n--\n\n"
     "Uuencode line of data."},
    {"a2b_base64", VARKW(binascii_a2b_base64),
     "a2b_base64($module, data, /, *, strict_mode=False)\n--\n\n"
     "Decode a line of base64 data.\n\n"
     "  strict_mode\n"
     "    When set to True, bytes that are not part of the base64 standard "
     "are not allowed.\n"
     "    The same applies to excess data after padding (= / ==)."},
    {"b2a_base64", VARKW(binascii_b2a_base64),
     "b2a_base64($module, data, /, *, newline=True)\n--\n\n"
     "Base64-code line of data."},
    {"crc_hqx", (PyCFunction)(void (*)(void))binascii_crc_hqx, METH_FASTCALL,
     "crc_hqx($module, data, crc, /)\n--\n\nCompute CRC-CCITT incrementally."},
    {"crc32", (PyCFunction)(void (*)(void))binascii_crc32, METH_FASTCALL,
     "crc32($module, data, crc=0, /)\n--\n\nCompute CRC-32 incrementally."},
    {"b2a_hex", VARKW(binascii_b2a_hex),
     "b2a_hex" HEX_SIG HEX_DOC_BODY("hexlify") "\n\n"
     "Example:\n"
     ">>> binascii.b2a_hex(b'\\xb9\\x01\\xef')\n"
     "b'b901ef'\n"
     ">>> binascii.hexlify(b'\\xb9\\x01\\xef', ':')\n"
     "b'b9:01:ef'\n"
     ">>> binascii.b2a_hex(b'\\xb9\\x01\\xef', b'_', 2)\n"
     "b'b9_01ef'"},
    {"hexlify", VARKW(binascii_hexlify),
     "hexlify" HEX_SIG HEX_DOC_BODY("b2a_hex")},
    {"a2b_hex", binascii_a2b_hex, METH_O,
     "a2b_hex($module, hexstr, /)\n--\n\n"
     "Binary data of hexadecimal representation.\n\n"
     "hexstr must contain an even number of hex digits (upper or lower "
     "case).\nThis function is also available as \"unhexlify()\"."},
    {"unhexlify", binascii_a2b_hex, METH_O,
     "unhexlify($module, hexstr, /)\n--\n\n"
     "Binary data of hexadecimal representation.\n\n"
     "hexstr must contain an even number of hex digits (upper or lower "
     "case)."},
    {"a2b_qp", VARKW(binascii_a2b_qp),
     "a2b_qp($module, /, data, header=False)\n--\n\n"
     "Decode a string of qp-encoded data."},
    {"b2a_qp", VARKW(binascii_b2a_qp),
     "b2a_qp($module, /, data, quotetabs=False, istext=True, header=False)"
     "\n--\n\n"
     "Encode a string using quoted-printable encoding.\n\n"
     "On encoding, when istext is set, newlines are not encoded, and white\n"
     "space at end of lines is.  When istext is not set, \\r and \\n "
     "(CR/LF)\n"
     "are both encoded.  When quotetabs is set, space and tabs are "
     "encoded."},
    {NULL}
};

/* Module state holds the two exception classes (owned). */
static int
binascii_traverse(PyObject *module, visitproc visit, void *arg)
{
    binascii_state *st = get_state(module);
    Py_VISIT(st->Error);
    Py_VISIT(st->Incomplete);
    return 0;
}

static int
binascii_clear(PyObject *module)
{
    binascii_state *st = get_state(module);
    Py_CLEAR(st->Error);
    Py_CLEAR(st->Incomplete);
    return 0;
}

static void
binascii_free(void *module)
{
    binascii_clear((PyObject *)module);
}

static PyModuleDef binascii_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "binascii",
    .m_doc = "Conversion between binary data and ASCII",
    .m_size = sizeof(binascii_state),
    .m_methods = binascii_methods,
    .m_traverse = binascii_traverse,
    .m_clear = binascii_clear,
    .m_free = binascii_free,
};

/* Create the binascii module and its two exception classes.  Returns a
 * new reference. */
PyMODINIT_FUNC
PyInit_binascii(void)
{
    PyObject *m = PyModule_Create(&binascii_module);
    if (m == NULL) {
        return NULL;
    }
    binascii_state *st = get_state(m);
    st->Error = PyErr_NewException("binascii.Error", PyExc_ValueError, NULL);
    st->Incomplete = PyErr_NewException("binascii.Incomplete", NULL, NULL);
    if (st->Error == NULL || st->Incomplete == NULL ||
        PyModule_AddObjectRef(m, "Error", st->Error) < 0 ||
        PyModule_AddObjectRef(m, "Incomplete", st->Incomplete) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
