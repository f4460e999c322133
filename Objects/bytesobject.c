/* bytes: immutable byte strings.
 *
 * Immutable once published, so nothing locks; the hash is cached with a
 * relaxed atomic store (every thread computes the same value).  The empty
 * bytes and the 256 one-byte values are immortal statics.  Reading another
 * object's buffer (bytes(bytearray)) goes through the buffer protocol,
 * which pins the exporter.
 *
 * The methods shared with bytearray, and %-formatting, are in
 * Objects/bytes_methods.c. */
#include "Python.h"
#include "pycore_object.h"
#include "pycore_bytesobject.h"
#include "pycore_long.h"
#include "pycore_unicodeobject.h"

/* ------------------------------------------------------ singletons */

typedef struct {
    PyObject_VAR_HEAD
    Py_hash_t ob_shash;
    char ob_sval[2];
} static_bytes;

static static_bytes empty_bytes;
static static_bytes char_bytes[256];

static void
init_static_bytes(static_bytes *b, Py_ssize_t size, char c)
{
    b->ob_base.ob_base.ob_tid = 0;
    b->ob_base.ob_base.ob_ref_local = _Py_IMMORTAL_REFCNT_LOCAL;
    b->ob_base.ob_base.ob_ref_shared = 0;
    b->ob_base.ob_base.ob_type = &PyBytes_Type;
    b->ob_base.ob_size = size;
    b->ob_shash = -1;
    b->ob_sval[0] = c;
    b->ob_sval[1] = '\0';
}

/* Built at library load, before any thread (plain stores). */
__attribute__((constructor)) static void
bytes_init_statics(void)
{
    init_static_bytes(&empty_bytes, 0, '\0');
    for (int i = 0; i < 256; i++) {
        init_static_bytes(&char_bytes[i], 1, (char)i);
    }
}

/* ------------------------------------------------------ creation */

/* New bytes of `size` bytes, contents uninitialised but NUL-terminated. */
static PyObject *
bytes_alloc(Py_ssize_t size)
{
    if (size < 0) {
        PyErr_SetString(PyExc_SystemError,
                        "Negative size passed to PyBytes_FromStringAndSize");
        return NULL;
    }
    if ((size_t)size > (size_t)PY_SSIZE_T_MAX - offsetof(PyBytesObject,
                                                         ob_sval) - 1) {
        PyErr_SetString(PyExc_OverflowError,
                        "byte string is too large");
        return NULL;
    }
    PyBytesObject *op = PyObject_Malloc(offsetof(PyBytesObject, ob_sval) +
                                        (size_t)size + 1);
    if (op == NULL) {
        return PyErr_NoMemory();
    }
    _PyObject_InitHeader((PyObject *)op, &PyBytes_Type);
    op->ob_base.ob_size = size;
    op->ob_shash = -1;
    op->ob_sval[size] = '\0';
    return (PyObject *)op;
}

PyObject *
PyBytes_FromStringAndSize(const char *str, Py_ssize_t size)
{
    if (size == 0) {
        return (PyObject *)&empty_bytes;
    }
    if (size == 1 && str != NULL) {
        return (PyObject *)&char_bytes[(unsigned char)*str];
    }
    PyObject *op = bytes_alloc(size);
    if (op != NULL && str != NULL) {
        memcpy(PyBytes_AS_STRING(op), str, (size_t)size);
    }
    return op;
}

PyObject *
PyBytes_FromString(const char *str)
{
    size_t size = strlen(str);
    if (size > PY_SSIZE_T_MAX - offsetof(PyBytesObject, ob_sval) - 1) {
        PyErr_SetString(PyExc_OverflowError, "byte string is too long");
        return NULL;
    }
    return PyBytes_FromStringAndSize(str, (Py_ssize_t)size);
}

int
_PyBytes_GetByte(PyObject *obj, int *value)
{
    Py_ssize_t v = PyNumber_AsSsize_t(obj, NULL);
    if (v == -1 && PyErr_Occurred()) {
        return -1;
    }
    if (v < 0 || v > 255) {
        PyErr_SetString(PyExc_ValueError, "byte must be in range(0, 256)");
        return -1;
    }
    *value = (int)v;
    return 0;
}

/* bytes(iterable of ints). */
static PyObject *
bytes_from_iterable(PyObject *x)
{
    PyObject *it = PyObject_GetIter(x);
    if (it == NULL) {
        if (PyErr_ExceptionMatches(PyExc_TypeError)) {
            PyErr_Clear();
            PyErr_Format(PyExc_TypeError,
                         "cannot convert '%.200s' object to bytes",
                         Py_TYPE(x)->tp_name);
        }
        return NULL;
    }
    Py_ssize_t cap = 64, n = 0;
    char *buf = PyMem_Malloc((size_t)cap);
    if (buf == NULL) {
        Py_DECREF(it);
        return PyErr_NoMemory();
    }
    PyObject *item;
    while ((item = PyIter_Next(it)) != NULL) {
        Py_ssize_t v = PyNumber_AsSsize_t(item, NULL);
        Py_DECREF(item);
        if (v == -1 && PyErr_Occurred()) {
            goto error;
        }
        if (v < 0 || v > 255) {
            PyErr_SetString(PyExc_ValueError,
                            "bytes must be in range(0, 256)");
            goto error;
        }
        if (n == cap) {
            cap *= 2;
            char *nb = PyMem_Realloc(buf, (size_t)cap);
            if (nb == NULL) {
                PyErr_NoMemory();
                goto error;
            }
            buf = nb;
        }
        buf[n++] = (char)v;
    }
    if (PyErr_Occurred()) {
        goto error;
    }
    Py_DECREF(it);
    PyObject *res = PyBytes_FromStringAndSize(buf, n);
    PyMem_Free(buf);
    return res;
error:
    Py_DECREF(it);
    PyMem_Free(buf);
    return NULL;
}

PyObject *
PyBytes_FromObject(PyObject *x)
{
    if (x == NULL) {
        PyErr_BadInternalCall();
        return NULL;
    }
    if (PyBytes_CheckExact(x)) {
        return Py_NewRef(x);
    }
    if (PyObject_CheckBuffer(x)) {
        Py_buffer view;
        if (PyObject_GetBuffer(x, &view, PyBUF_FULL_RO) < 0) {
            return NULL;
        }
        PyObject *res;
        if (PyBuffer_IsContiguous(&view, 'C')) {
            res = PyBytes_FromStringAndSize(view.buf, view.len);
        }
        else {
            /* a strided view (memoryview(b)[::2]): gather the items */
            res = PyBytes_FromStringAndSize(NULL, view.len);
            if (res != NULL &&
                PyBuffer_ToContiguous(PyBytes_AS_STRING(res), &view,
                                      view.len, 'C') < 0) {
                Py_CLEAR(res);
            }
        }
        PyBuffer_Release(&view);
        return res;
    }
    if (PyUnicode_Check(x)) {
        PyErr_Format(PyExc_TypeError,
                     "cannot convert '%.200s' object to bytes",
                     Py_TYPE(x)->tp_name);
        return NULL;
    }
    return bytes_from_iterable(x);
}

Py_ssize_t
PyBytes_Size(PyObject *op)
{
    if (!PyBytes_Check(op)) {
        PyErr_Format(PyExc_TypeError, "expected bytes, %.200s found",
                     Py_TYPE(op)->tp_name);
        return -1;
    }
    return Py_SIZE(op);
}

char *
PyBytes_AsString(PyObject *op)
{
    if (!PyBytes_Check(op)) {
        PyErr_Format(PyExc_TypeError, "expected bytes, %.200s found",
                     Py_TYPE(op)->tp_name);
        return NULL;
    }
    return PyBytes_AS_STRING(op);
}

int
PyBytes_AsStringAndSize(PyObject *obj, char **s, Py_ssize_t *len)
{
    if (s == NULL) {
        PyErr_BadInternalCall();
        return -1;
    }
    if (!PyBytes_Check(obj)) {
        PyErr_Format(PyExc_TypeError, "expected bytes, %.200s found",
                     Py_TYPE(obj)->tp_name);
        return -1;
    }
    *s = PyBytes_AS_STRING(obj);
    if (len != NULL) {
        *len = PyBytes_GET_SIZE(obj);
    }
    else if (strlen(*s) != (size_t)PyBytes_GET_SIZE(obj)) {
        PyErr_SetString(PyExc_ValueError, "embedded null byte");
        return -1;
    }
    return 0;
}

/* Only on a bytes object its caller alone knows about (refcount 1, not
   hashed, not a static). */
int
_PyBytes_Resize(PyObject **pv, Py_ssize_t newsize)
{
    PyObject *v = *pv;
    if (!PyBytes_Check(v) || newsize < 0) {
        *pv = NULL;
        Py_DECREF(v);
        PyErr_BadInternalCall();
        return -1;
    }
    Py_ssize_t oldsize = PyBytes_GET_SIZE(v);
    if (oldsize == newsize) {
        return 0;
    }
    if (oldsize == 0 || newsize == 0 || _Py_IsImmortal(v) ||
        Py_REFCNT(v) != 1) {
        PyObject *n = PyBytes_FromStringAndSize(NULL, newsize);
        if (n != NULL && newsize > 0) {
            memcpy(PyBytes_AS_STRING(n), PyBytes_AS_STRING(v),
                   (size_t)Py_MIN(oldsize, newsize));
        }
        Py_DECREF(v);
        *pv = n;
        return n == NULL ? -1 : 0;
    }
    PyObject *n = bytes_alloc(newsize);
    if (n == NULL) {
        Py_DECREF(v);
        *pv = NULL;
        return -1;
    }
    memcpy(PyBytes_AS_STRING(n), PyBytes_AS_STRING(v),
           (size_t)Py_MIN(oldsize, newsize));
    Py_DECREF(v);
    *pv = n;
    return 0;
}

/* ------------------------------------------------------ formatting */

PyObject *
PyBytes_FromFormatV(const char *format, va_list vargs)
{
    /* Build as text with the str formatter, then encode as latin-1:
       PyUnicode_FromFormatV decodes %s as UTF-8, so raw bytes that are not
       UTF-8 are handled here first. */
    char *out = NULL;
    size_t n = 0, cap = 0;
    va_list ap;
    va_copy(ap, vargs);
    for (const char *f = format; *f; f++) {
        char tmp[64];
        const char *piece = tmp;
        size_t plen;
        if (*f != '%') {
            tmp[0] = *f;
            plen = 1;
        }
        else {
            const char *start = f++;
            while (*f >= '0' && *f <= '9') {
                f++;
            }
            if (*f == '.') {
                f++;
                while (*f >= '0' && *f <= '9') {
                    f++;
                }
            }
            int lng = 0, sz = 0;
            if (*f == 'l') {
                lng = 1;
                f++;
                if (*f == 'l') {
                    lng = 2;
                    f++;
                }
            }
            else if (*f == 'z') {
                sz = 1;
                f++;
            }
            switch (*f) {
            case 'c':
                tmp[0] = (char)va_arg(ap, int);
                plen = 1;
                break;
            case 'd': case 'i':
                if (lng == 2) {
                    plen = (size_t)snprintf(tmp, sizeof(tmp), "%lld",
                                            va_arg(ap, long long));
                }
                else if (lng) {
                    plen = (size_t)snprintf(tmp, sizeof(tmp), "%ld",
                                            va_arg(ap, long));
                }
                else if (sz) {
                    plen = (size_t)snprintf(tmp, sizeof(tmp), "%zd",
                                            va_arg(ap, Py_ssize_t));
                }
                else {
                    plen = (size_t)snprintf(tmp, sizeof(tmp), "%d",
                                            va_arg(ap, int));
                }
                break;
            case 'u':
                if (lng == 2) {
                    plen = (size_t)snprintf(tmp, sizeof(tmp), "%llu",
                                            va_arg(ap, unsigned long long));
                }
                else if (lng) {
                    plen = (size_t)snprintf(tmp, sizeof(tmp), "%lu",
                                            va_arg(ap, unsigned long));
                }
                else if (sz) {
                    plen = (size_t)snprintf(tmp, sizeof(tmp), "%zu",
                                            va_arg(ap, size_t));
                }
                else {
                    plen = (size_t)snprintf(tmp, sizeof(tmp), "%u",
                                            va_arg(ap, unsigned int));
                }
                break;
            case 'x':
                plen = (size_t)snprintf(tmp, sizeof(tmp), "%x",
                                        va_arg(ap, unsigned int));
                break;
            case 'p':
                plen = (size_t)snprintf(tmp, sizeof(tmp), "%p",
                                        va_arg(ap, void *));
                if (tmp[1] != 'x') {
                    memmove(tmp + 2, tmp, plen + 1);
                    tmp[0] = '0';
                    tmp[1] = 'x';
                    plen += 2;
                }
                break;
            case 's':
                piece = va_arg(ap, const char *);
                plen = strlen(piece);
                break;
            case '%':
                tmp[0] = '%';
                plen = 1;
                break;
            default:
                /* Unknown: copy the rest of the format verbatim. */
                piece = start;
                plen = strlen(start);
                f = start + plen - 1;
                break;
            }
        }
        if (n + plen > cap) {
            cap = (n + plen) * 2 + 16;
            char *nb = PyMem_Realloc(out, cap);
            if (nb == NULL) {
                PyMem_Free(out);
                va_end(ap);
                return PyErr_NoMemory();
            }
            out = nb;
        }
        memcpy(out + n, piece, plen);
        n += plen;
    }
    va_end(ap);
    PyObject *res = PyBytes_FromStringAndSize(out, (Py_ssize_t)n);
    PyMem_Free(out);
    return res;
}

PyObject *
PyBytes_FromFormat(const char *format, ...)
{
    va_list vargs;
    va_start(vargs, format);
    PyObject *res = PyBytes_FromFormatV(format, vargs);
    va_end(vargs);
    return res;
}

PyObject *
_PyBytes_ReprBuffer(const char *s, Py_ssize_t n, int smartquotes,
                    const char *prefix, const char *suffix)
{
    int squote = 0, dquote = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (s[i] == '\'') {
            squote = 1;
        }
        else if (s[i] == '"') {
            dquote = 1;
        }
    }
    char quote = (smartquotes && squote && !dquote) ? '"' : '\'';
    size_t plen = strlen(prefix), slen = strlen(suffix);
    if ((size_t)n > (PY_SSIZE_T_MAX - plen - slen - 3) / 4) {
        PyErr_SetString(PyExc_OverflowError,
                        "bytes object is too large to make repr");
        return NULL;
    }
    size_t cap = plen + slen + 3 + (size_t)n * 4;
    char *buf = PyMem_Malloc(cap + 1);
    if (buf == NULL) {
        return PyErr_NoMemory();
    }
    char *p = buf;
    memcpy(p, prefix, plen);
    p += plen;
    *p++ = 'b';
    *p++ = quote;
    static const char hex[] = "0123456789abcdef";
    for (Py_ssize_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == (unsigned char)quote || c == '\\') {
            *p++ = '\\';
            *p++ = (char)c;
        }
        else if (c == '\t') {
            *p++ = '\\';
            *p++ = 't';
        }
        else if (c == '\n') {
            *p++ = '\\';
            *p++ = 'n';
        }
        else if (c == '\r') {
            *p++ = '\\';
            *p++ = 'r';
        }
        else if (c < ' ' || c >= 0x7f) {
            *p++ = '\\';
            *p++ = 'x';
            *p++ = hex[c >> 4];
            *p++ = hex[c & 0xf];
        }
        else {
            *p++ = (char)c;
        }
    }
    *p++ = quote;
    memcpy(p, suffix, slen);
    p += slen;
    PyObject *res = _PyUnicode_FromASCII(buf, p - buf);
    PyMem_Free(buf);
    return res;
}

PyObject *
PyBytes_Repr(PyObject *op, int smartquotes)
{
    return _PyBytes_ReprBuffer(PyBytes_AS_STRING(op), PyBytes_GET_SIZE(op),
                               smartquotes, "", "");
}

static PyObject *
bytes_repr(PyObject *op)
{
    return PyBytes_Repr(op, 1);
}

/* ------------------------------------------------------ concatenation */

static PyObject *
bytes_concat(PyObject *a, PyObject *b)
{
    Py_buffer va, vb;
    va.len = -1;
    vb.len = -1;
    if (PyObject_GetBuffer(a, &va, PyBUF_SIMPLE) != 0 ||
        PyObject_GetBuffer(b, &vb, PyBUF_SIMPLE) != 0) {
        PyErr_Format(PyExc_TypeError, "can't concat %.100s to %.100s",
                     Py_TYPE(b)->tp_name, Py_TYPE(a)->tp_name);
        goto done;
    }
    PyObject *result = NULL;
    if (va.len == 0 && PyBytes_CheckExact(b)) {
        result = Py_NewRef(b);
        goto done_result;
    }
    if (vb.len == 0 && PyBytes_CheckExact(a)) {
        result = Py_NewRef(a);
        goto done_result;
    }
    if (va.len > PY_SSIZE_T_MAX - vb.len) {
        PyErr_NoMemory();
        goto done;
    }
    result = PyBytes_FromStringAndSize(NULL, va.len + vb.len);
    if (result != NULL) {
        memcpy(PyBytes_AS_STRING(result), va.buf, (size_t)va.len);
        memcpy(PyBytes_AS_STRING(result) + va.len, vb.buf, (size_t)vb.len);
    }
done_result:
    PyBuffer_Release(&va);
    PyBuffer_Release(&vb);
    return result;
done:
    if (va.len != -1) {
        PyBuffer_Release(&va);
    }
    if (vb.len != -1) {
        PyBuffer_Release(&vb);
    }
    return NULL;
}

void
PyBytes_Concat(PyObject **pv, PyObject *w)
{
    if (*pv == NULL) {
        return;
    }
    if (w == NULL) {
        Py_CLEAR(*pv);
        return;
    }
    PyObject *v = bytes_concat(*pv, w);
    Py_SETREF(*pv, v);
}

void
PyBytes_ConcatAndDel(PyObject **pv, PyObject *w)
{
    PyBytes_Concat(pv, w);
    Py_XDECREF(w);
}

static PyObject *
bytes_repeat(PyObject *a, Py_ssize_t n)
{
    Py_ssize_t size = Py_SIZE(a);
    if (n < 0) {
        n = 0;
    }
    if (n > 0 && size > PY_SSIZE_T_MAX / n) {
        PyErr_SetString(PyExc_OverflowError,
                        "repeated bytes are too long");
        return NULL;
    }
    if (n == 1 && PyBytes_CheckExact(a)) {
        return Py_NewRef(a);
    }
    Py_ssize_t total = size * n;
    PyObject *op = PyBytes_FromStringAndSize(NULL, total);
    if (op == NULL || total == 0) {
        return op;
    }
    char *d = PyBytes_AS_STRING(op);
    memcpy(d, PyBytes_AS_STRING(a), (size_t)size);
    Py_ssize_t done = size;
    while (done < total) {
        Py_ssize_t c = Py_MIN(done, total - done);
        memcpy(d + done, d, (size_t)c);
        done += c;
    }
    return op;
}

/* ------------------------------------------------------ sequence */

static Py_ssize_t
bytes_length(PyObject *a)
{
    return Py_SIZE(a);
}

static PyObject *
bytes_item(PyObject *a, Py_ssize_t i)
{
    if (i < 0 || i >= Py_SIZE(a)) {
        PyErr_SetString(PyExc_IndexError, "index out of range");
        return NULL;
    }
    return _PyLong_GetSmallInt((unsigned char)PyBytes_AS_STRING(a)[i]);
}

static int
bytes_contains(PyObject *self, PyObject *arg)
{
    const char *s = PyBytes_AS_STRING(self);
    Py_ssize_t n = PyBytes_GET_SIZE(self);
    if (PyIndex_Check(arg)) {
        Py_ssize_t v = PyNumber_AsSsize_t(arg, NULL);
        if (v == -1 && PyErr_Occurred()) {
            return -1;
        }
        if (v < 0 || v > 255) {
            PyErr_SetString(PyExc_ValueError,
                            "byte must be in range(0, 256)");
            return -1;
        }
        return memchr(s, (int)v, (size_t)n) != NULL;
    }
    Py_buffer sub;
    if (PyObject_GetBuffer(arg, &sub, PyBUF_SIMPLE) != 0) {
        PyErr_Format(PyExc_TypeError,
                     "a bytes-like object is required, not '%.100s'",
                     Py_TYPE(arg)->tp_name);
        return -1;
    }
    int found = 0;
    if (sub.len == 0) {
        found = 1;
    }
    else if (sub.len <= n) {
        for (Py_ssize_t i = 0; i + sub.len <= n && !found; i++) {
            found = memcmp(s + i, sub.buf, (size_t)sub.len) == 0;
        }
    }
    PyBuffer_Release(&sub);
    return found;
}

static PyObject *
bytes_subscript(PyObject *self, PyObject *item)
{
    Py_ssize_t len = PyBytes_GET_SIZE(self);
    if (PyIndex_Check(item)) {
        Py_ssize_t i = PyNumber_AsSsize_t(item, PyExc_IndexError);
        if (i == -1 && PyErr_Occurred()) {
            return NULL;
        }
        if (i < 0) {
            i += len;
        }
        return bytes_item(self, i);
    }
    if (PySlice_Check(item)) {
        Py_ssize_t start, stop, step;
        if (PySlice_Unpack(item, &start, &stop, &step) < 0) {
            return NULL;
        }
        Py_ssize_t n = PySlice_AdjustIndices(len, &start, &stop, step);
        const char *s = PyBytes_AS_STRING(self);
        if (n <= 0) {
            return PyBytes_FromStringAndSize(NULL, 0);
        }
        if (step == 1) {
            if (start == 0 && n == len && PyBytes_CheckExact(self)) {
                return Py_NewRef(self);
            }
            return PyBytes_FromStringAndSize(s + start, n);
        }
        PyObject *res = PyBytes_FromStringAndSize(NULL, n);
        if (res == NULL) {
            return NULL;
        }
        char *d = PyBytes_AS_STRING(res);
        if (n == 1) {
            char c = s[start];
            Py_DECREF(res);
            return PyBytes_FromStringAndSize(&c, 1);
        }
        for (Py_ssize_t i = 0, j = start; i < n; i++, j += step) {
            d[i] = s[j];
        }
        return res;
    }
    PyErr_Format(PyExc_TypeError,
                 "byte indices must be integers or slices, not %.200s",
                 Py_TYPE(item)->tp_name);
    return NULL;
}

/* ------------------------------------------------------ compare, hash */

static PyObject *
bytes_richcompare(PyObject *a, PyObject *b, int op)
{
    if (!PyBytes_Check(a) || !PyBytes_Check(b)) {
        Py_RETURN_NOTIMPLEMENTED;
    }
    Py_ssize_t la = Py_SIZE(a), lb = Py_SIZE(b);
    if (op == Py_EQ || op == Py_NE) {
        int eq = la == lb &&
                 memcmp(PyBytes_AS_STRING(a), PyBytes_AS_STRING(b),
                        (size_t)la) == 0;
        return PyBool_FromLong(op == Py_EQ ? eq : !eq);
    }
    int c = memcmp(PyBytes_AS_STRING(a), PyBytes_AS_STRING(b),
                   (size_t)Py_MIN(la, lb));
    if (c == 0) {
        c = la < lb ? -1 : (la > lb ? 1 : 0);
    }
    Py_RETURN_RICHCOMPARE(c, 0, op);
}

static Py_hash_t
bytes_hash(PyObject *op)
{
    PyBytesObject *b = (PyBytesObject *)op;
    Py_hash_t h = _Py_atomic_load_ssize_relaxed(&b->ob_shash);
    if (h == -1) {
        h = _Py_HashBytes(b->ob_sval, Py_SIZE(b));
        _Py_atomic_store_ssize_relaxed(&b->ob_shash, h);
    }
    return h;
}

/* ------------------------------------------------------ buffer */

static int
bytes_getbuffer(PyObject *self, Py_buffer *view, int flags)
{
    return PyBuffer_FillInfo(view, self, PyBytes_AS_STRING(self),
                             PyBytes_GET_SIZE(self), 1, flags);
}

static PyBufferProcs bytes_as_buffer = {
    .bf_getbuffer = bytes_getbuffer,
};

/* ------------------------------------------------------ hex */

PyObject *
_PyBytes_HexBuffer(const char *s, Py_ssize_t n, PyObject *sep,
                   Py_ssize_t bytes_per_sep)
{
    Py_UCS4 sepch = 0;
    if (sep != NULL && sep != Py_None) {
        if (PyUnicode_Check(sep)) {
            if (PyUnicode_GET_LENGTH(sep) != 1) {
                PyErr_SetString(PyExc_ValueError,
                                "sep must be length 1.");
                return NULL;
            }
            sepch = PyUnicode_READ_CHAR(sep, 0);
        }
        else if (PyBytes_Check(sep)) {
            if (PyBytes_GET_SIZE(sep) != 1) {
                PyErr_SetString(PyExc_ValueError,
                                "sep must be length 1.");
                return NULL;
            }
            sepch = (unsigned char)PyBytes_AS_STRING(sep)[0];
        }
        else {
            PyErr_SetString(PyExc_TypeError, "sep must be str or bytes.");
            return NULL;
        }
        if (sepch > 127) {
            PyErr_SetString(PyExc_ValueError, "sep must be ASCII.");
            return NULL;
        }
    }
    if (sepch == 0 || bytes_per_sep == 0 || n == 0) {
        sepch = 0;
    }
    Py_ssize_t group = bytes_per_sep < 0 ? -bytes_per_sep : bytes_per_sep;
    Py_ssize_t nseps = sepch ? (n - 1) / group : 0;
    Py_ssize_t outlen = 2 * n + nseps;
    PyObject *res = PyUnicode_New(outlen, 127);
    if (res == NULL) {
        return NULL;
    }
    char *out = (char *)PyUnicode_DATA(res);
    static const char hex[] = "0123456789abcdef";
    Py_ssize_t o = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (sepch && i > 0) {
            /* Separators count from the right for positive
               bytes_per_sep, from the left for negative. */
            Py_ssize_t k = bytes_per_sep > 0 ? n - i : i;
            if (k % group == 0) {
                out[o++] = (char)sepch;
            }
        }
        unsigned char c = (unsigned char)s[i];
        out[o++] = hex[c >> 4];
        out[o++] = hex[c & 0xf];
    }
    return res;
}

static PyObject *
bytes_hex(PyObject *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"sep", "bytes_per_sep", NULL};
    PyObject *sep = NULL;
    int bytes_per_sep = 1;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|Oi:hex", kwlist, &sep,
                                     &bytes_per_sep)) {
        return NULL;
    }
    return _PyBytes_HexBuffer(PyBytes_AS_STRING(self),
                              PyBytes_GET_SIZE(self), sep, bytes_per_sep);
}

static int
hexval(Py_UCS4 c)
{
    if (c >= '0' && c <= '9') {
        return (int)(c - '0');
    }
    if (c >= 'a' && c <= 'f') {
        return (int)(c - 'a' + 10);
    }
    if (c >= 'A' && c <= 'F') {
        return (int)(c - 'A' + 10);
    }
    return -1;
}

PyObject *
_PyBytes_FromHex(PyObject *string, int use_bytearray)
{
    if (!PyUnicode_Check(string)) {
        PyErr_Format(PyExc_TypeError,
                     "fromhex() argument must be str, not %.50s",
                     Py_TYPE(string)->tp_name);
        return NULL;
    }
    Py_ssize_t len = PyUnicode_GET_LENGTH(string);
    int kind = PyUnicode_KIND(string);
    const void *data = PyUnicode_DATA(string);
    char *buf = PyMem_Malloc((size_t)len / 2 + 1);
    if (buf == NULL) {
        return PyErr_NoMemory();
    }
    Py_ssize_t n = 0, i = 0;
    while (i < len) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
            c == '\f') {
            i++;
            continue;
        }
        int hi = hexval(c);
        if (hi < 0) {
            goto bad;
        }
        if (i + 1 >= len) {
            i++;
            goto bad;
        }
        int lo = hexval(PyUnicode_READ(kind, data, i + 1));
        if (lo < 0) {
            i++;
            goto bad;
        }
        buf[n++] = (char)(hi * 16 + lo);
        i += 2;
    }
    PyObject *res = use_bytearray ? PyByteArray_FromStringAndSize(buf, n)
                                  : PyBytes_FromStringAndSize(buf, n);
    PyMem_Free(buf);
    return res;
bad:
    PyMem_Free(buf);
    PyErr_Format(PyExc_ValueError,
                 "non-hexadecimal number found in fromhex() arg at "
                 "position %zd", i);
    return NULL;
}

static PyObject *
bytes_fromhex(PyObject *type, PyObject *string)
{
    PyObject *res = _PyBytes_FromHex(string, 0);
    if (res != NULL && type != (PyObject *)&PyBytes_Type) {
        Py_SETREF(res, PyObject_CallOneArg(type, res));
    }
    return res;
}

/* ------------------------------------------------------ methods */

PyObject *
_PyBytes_Decode(const char *s, Py_ssize_t len, PyObject *args,
                PyObject *kwds)
{
    static char *kwlist[] = {"encoding", "errors", NULL};
    const char *encoding = NULL, *errors = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|ss:decode", kwlist,
                                     &encoding, &errors)) {
        return NULL;
    }
    return PyUnicode_Decode(s, len, encoding, errors);
}

static PyObject *
bytes_decode(PyObject *self, PyObject *args, PyObject *kwds)
{
    return _PyBytes_Decode(PyBytes_AS_STRING(self), PyBytes_GET_SIZE(self),
                           args, kwds);
}

/* sep.join(iterable): items must be bytes-like. */
PyObject *
_PyBytes_Join(PyObject *sep, PyObject *iterable)
{
    PyObject *seq = PySequence_Fast(iterable, "can only join an iterable");
    if (seq == NULL) {
        return NULL;
    }
    if (PyList_CheckExact(seq)) {
        Py_SETREF(seq, PyList_AsTuple(seq));
        if (seq == NULL) {
            return NULL;
        }
    }
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    PyObject *const *items = PySequence_Fast_ITEMS(seq);
    Py_buffer sepv;
    if (PyObject_GetBuffer(sep, &sepv, PyBUF_SIMPLE) < 0) {
        Py_DECREF(seq);
        return NULL;
    }
    Py_buffer *views = PyMem_Calloc((size_t)n + 1, sizeof(Py_buffer));
    PyObject *res = NULL;
    Py_ssize_t nviews = 0, total = 0;
    if (views == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        if (PyObject_GetBuffer(items[i], &views[i], PyBUF_SIMPLE) < 0) {
            PyErr_Format(PyExc_TypeError,
                         "sequence item %zd: expected a bytes-like object, "
                         "%.80s found", i, Py_TYPE(items[i])->tp_name);
            goto done;
        }
        nviews++;
        Py_ssize_t add = views[i].len + (i ? sepv.len : 0);
        if (total > PY_SSIZE_T_MAX - add) {
            PyErr_NoMemory();
            goto done;
        }
        total += add;
    }
    res = PyBytes_FromStringAndSize(NULL, total);
    if (res == NULL) {
        goto done;
    }
    char *p = PyBytes_AS_STRING(res);
    for (Py_ssize_t i = 0; i < n; i++) {
        if (i) {
            memcpy(p, sepv.buf, (size_t)sepv.len);
            p += sepv.len;
        }
        memcpy(p, views[i].buf, (size_t)views[i].len);
        p += views[i].len;
    }
done:
    for (Py_ssize_t i = 0; i < nviews; i++) {
        PyBuffer_Release(&views[i]);
    }
    PyMem_Free(views);
    PyBuffer_Release(&sepv);
    Py_DECREF(seq);
    return res;
}

/* bytes.__bytes__(): the exact bytes with the same value. */
static PyObject *
bytes_bytes(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    if (PyBytes_CheckExact(self)) {
        return Py_NewRef(self);
    }
    return PyBytes_FromStringAndSize(PyBytes_AS_STRING(self),
                                     PyBytes_GET_SIZE(self));
}

static PyObject *
bytes_getnewargs(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    PyObject *b = PyBytes_FromStringAndSize(PyBytes_AS_STRING(self),
                                            PyBytes_GET_SIZE(self));
    if (b == NULL) {
        return NULL;
    }
    return Py_BuildValue("(N)", b);
}

/* The shared methods, bound to bytes (Objects/bytes_methods.c). */
#define BYTES_WRAP(name)                                                  \
    static PyObject *                                                     \
    bytes_m_##name(PyObject *self, PyObject *args, PyObject *kwds)        \
    {                                                                     \
        _PyBytesView v = {PyBytes_AS_STRING(self), PyBytes_GET_SIZE(self),\
                          0, self};                                       \
        return _Py_bytes_##name(&v, args, kwds);                          \
    }
_PY_BYTES_SHARED_METHODS(BYTES_WRAP)
#undef BYTES_WRAP

#define BYTES_METHODDEF(name)                                             \
    {#name, _PyCFunction_CAST(bytes_m_##name),                            \
     METH_VARARGS | METH_KEYWORDS, NULL},

static PyMethodDef bytes_methods[] = {
    _PY_BYTES_SHARED_METHODS(BYTES_METHODDEF)
    {"maketrans", _PyBytes_MakeTrans, METH_VARARGS | METH_STATIC, NULL},
    {"decode", _PyCFunction_CAST(bytes_decode),
     METH_VARARGS | METH_KEYWORDS, NULL},
    {"hex", _PyCFunction_CAST(bytes_hex), METH_VARARGS | METH_KEYWORDS,
     NULL},
    {"fromhex", bytes_fromhex, METH_O | METH_CLASS, NULL},
    {"__getnewargs__", bytes_getnewargs, METH_NOARGS, NULL},
    {"__bytes__", bytes_bytes, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

/* ------------------------------------------------------ the type */

static PyObject *
bytes_new_impl(PyObject *x, const char *encoding, const char *errors)
{
    if (x == NULL) {
        if (encoding != NULL || errors != NULL) {
            PyErr_SetString(PyExc_TypeError,
                            encoding != NULL ?
                            "encoding without a string argument" :
                            "errors without a string argument");
            return NULL;
        }
        return PyBytes_FromStringAndSize(NULL, 0);
    }
    if (encoding != NULL) {
        if (!PyUnicode_Check(x)) {
            PyErr_SetString(PyExc_TypeError,
                            "encoding without a string argument");
            return NULL;
        }
        return PyUnicode_AsEncodedString(x, encoding, errors);
    }
    if (errors != NULL) {
        PyErr_SetString(PyExc_TypeError,
                        PyUnicode_Check(x) ?
                        "string argument without an encoding" :
                        "errors without a string argument");
        return NULL;
    }
    if (PyUnicode_Check(x)) {
        PyErr_SetString(PyExc_TypeError,
                        "string argument without an encoding");
        return NULL;
    }
    if (PyIndex_Check(x)) {
        Py_ssize_t size = PyNumber_AsSsize_t(x, PyExc_OverflowError);
        if (size == -1 && PyErr_Occurred()) {
            if (!PyErr_ExceptionMatches(PyExc_TypeError)) {
                return NULL;
            }
            PyErr_Clear();
        }
        else {
            if (size < 0) {
                PyErr_SetString(PyExc_ValueError, "negative count");
                return NULL;
            }
            PyObject *b = PyBytes_FromStringAndSize(NULL, size);
            if (b != NULL && size > 0) {
                memset(PyBytes_AS_STRING(b), 0, (size_t)size);
            }
            return b;
        }
    }
    return PyObject_Bytes(x);
}

static PyObject *
bytes_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"source", "encoding", "errors", NULL};
    PyObject *x = NULL;
    const char *encoding = NULL, *errors = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|Oss:bytes", kwlist, &x,
                                     &encoding, &errors)) {
        return NULL;
    }
    PyObject *b = bytes_new_impl(x, encoding, errors);
    if (b == NULL || type == &PyBytes_Type) {
        return b;
    }
    Py_ssize_t n = PyBytes_GET_SIZE(b);
    PyObject *sub = type->tp_alloc(type, n);
    if (sub != NULL) {
        ((PyBytesObject *)sub)->ob_shash = -1;
        memcpy(PyBytes_AS_STRING(sub), PyBytes_AS_STRING(b), (size_t)n + 1);
    }
    Py_DECREF(b);
    return sub;
}

static void
bytes_dealloc(PyObject *op)
{
    Py_TYPE(op)->tp_free(op);
}

static PyObject *
bytes_mod(PyObject *self, PyObject *args)
{
    if (!PyBytes_Check(self)) {
        Py_RETURN_NOTIMPLEMENTED;
    }
    return _PyBytes_FormatEx(PyBytes_AS_STRING(self), PyBytes_GET_SIZE(self),
                             args, 0);
}

static PyNumberMethods bytes_as_number = {
    .nb_remainder = bytes_mod,
};

static PySequenceMethods bytes_as_sequence = {
    .sq_length = bytes_length,
    .sq_concat = bytes_concat,
    .sq_repeat = bytes_repeat,
    .sq_item = bytes_item,
    .sq_contains = bytes_contains,
};

static PyMappingMethods bytes_as_mapping = {
    .mp_length = bytes_length,
    .mp_subscript = bytes_subscript,
};

static PyObject *bytes_iter(PyObject *seq);

static const char bytes_doc[] =
"bytes(iterable_of_ints) -> bytes\n"
"bytes(string, encoding[, errors]) -> bytes\n"
"bytes(bytes_or_buffer) -> immutable copy of bytes_or_buffer\n"
"bytes(int) -> bytes object of size given by the parameter initialized "
"with null bytes\n"
"bytes() -> empty bytes object";

PyTypeObject PyBytes_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "bytes",
    .tp_basicsize = offsetof(PyBytesObject, ob_sval) + 1,
    .tp_itemsize = 1,
    .tp_dealloc = bytes_dealloc,
    .tp_repr = bytes_repr,
    .tp_as_number = &bytes_as_number,
    .tp_as_sequence = &bytes_as_sequence,
    .tp_as_mapping = &bytes_as_mapping,
    .tp_hash = bytes_hash,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_as_buffer = &bytes_as_buffer,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE |
                Py_TPFLAGS_BYTES_SUBCLASS | _Py_TPFLAGS_MATCH_SELF,
    .tp_doc = bytes_doc,
    .tp_richcompare = bytes_richcompare,
    .tp_iter = bytes_iter,
    .tp_methods = bytes_methods,
    .tp_new = bytes_new,
    .tp_free = PyObject_Free,
};

/* ------------------------------------------------------ iterator */

/* The bytes are immutable; only the index is shared, accessed with
   relaxed atomics: racing next() calls may repeat or skip an item. */
typedef struct {
    PyObject_HEAD
    Py_ssize_t it_index;
    PyObject *it_seq;
} bytesiterobject;

static PyObject *
bytes_iter(PyObject *seq)
{
    bytesiterobject *it = PyObject_Malloc(sizeof(bytesiterobject));
    if (it == NULL) {
        return PyErr_NoMemory();
    }
    _PyObject_InitHeader((PyObject *)it, &PyBytesIter_Type);
    it->it_index = 0;
    it->it_seq = Py_NewRef(seq);
    return (PyObject *)it;
}

static void
bytesiter_dealloc(PyObject *op)
{
    bytesiterobject *it = (bytesiterobject *)op;
    Py_DECREF(it->it_seq);
    PyObject_Free(it);
}

static PyObject *
bytesiter_next(PyObject *op)
{
    bytesiterobject *it = (bytesiterobject *)op;
    Py_ssize_t i = _Py_atomic_load_ssize_relaxed(&it->it_index);
    if (i < 0 || i >= PyBytes_GET_SIZE(it->it_seq)) {
        _Py_atomic_store_ssize_relaxed(&it->it_index, -1);
        return NULL;
    }
    _Py_atomic_store_ssize_relaxed(&it->it_index, i + 1);
    return _PyLong_GetSmallInt((unsigned char)PyBytes_AS_STRING(it->it_seq)[i]);
}

static PyObject *
bytesiter_length_hint(PyObject *op, PyObject *Py_UNUSED(ignored))
{
    bytesiterobject *it = (bytesiterobject *)op;
    Py_ssize_t i = _Py_atomic_load_ssize_relaxed(&it->it_index);
    Py_ssize_t n = PyBytes_GET_SIZE(it->it_seq);
    return PyLong_FromSsize_t(i >= 0 && i < n ? n - i : 0);
}

static PyMethodDef bytesiter_methods[] = {
    {"__length_hint__", bytesiter_length_hint, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

PyTypeObject PyBytesIter_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "bytes_iterator",
    .tp_basicsize = sizeof(bytesiterobject),
    .tp_dealloc = bytesiter_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = bytesiter_next,
    .tp_methods = bytesiter_methods,
};

int
_PyBytes_InitTypes(void)
{
    if (PyType_Ready(&PyBytes_Type) < 0) {
        return -1;
    }
    return PyType_Ready(&PyBytesIter_Type);
}

/* ------------------------------------------------------ escapes */

/* Decodes backslash escapes of a bytes literal body. */
PyObject *
PyBytes_DecodeEscape(const char *s, Py_ssize_t len, const char *errors,
                     Py_ssize_t Py_UNUSED(unicode),
                     const char *Py_UNUSED(recode_encoding))
{
    char *buf = PyMem_Malloc((size_t)len + 1);
    if (buf == NULL) {
        return PyErr_NoMemory();
    }
    const char *end = s + len, *start = s;
    char *p = buf;
    while (s < end) {
        if (*s != '\\') {
            *p++ = *s++;
            continue;
        }
        s++;
        if (s >= end) {
            PyMem_Free(buf);
            PyErr_SetString(PyExc_ValueError, "Trailing \\ in string");
            return NULL;
        }
        char c = *s++;
        switch (c) {
        case '\n': break;
        case '\\': *p++ = '\\'; break;
        case '\'': *p++ = '\''; break;
        case '"': *p++ = '"'; break;
        case 'b': *p++ = '\b'; break;
        case 'f': *p++ = '\f'; break;
        case 't': *p++ = '\t'; break;
        case 'n': *p++ = '\n'; break;
        case 'r': *p++ = '\r'; break;
        case 'v': *p++ = '\v'; break;
        case 'a': *p++ = '\a'; break;
        case '0': case '1': case '2': case '3':
        case '4': case '5': case '6': case '7': {
            int v = c - '0';
            for (int k = 0; k < 2 && s < end && *s >= '0' && *s <= '7';
                 k++) {
                v = v * 8 + (*s++ - '0');
            }
            *p++ = (char)v;
            break;
        }
        case 'x': {
            int hi = s < end ? hexval((unsigned char)s[0]) : -1;
            int lo = s + 1 < end ? hexval((unsigned char)s[1]) : -1;
            if (hi >= 0 && lo >= 0) {
                *p++ = (char)(hi * 16 + lo);
                s += 2;
                break;
            }
            if (errors == NULL || strcmp(errors, "strict") == 0) {
                Py_ssize_t pos = (s - 2) - start;
                PyMem_Free(buf);
                PyErr_Format(PyExc_ValueError,
                             "invalid \\x escape at position %zd", pos);
                return NULL;
            }
            if (strcmp(errors, "replace") == 0) {
                *p++ = '?';
            }
            else if (strcmp(errors, "ignore") != 0) {
                PyMem_Free(buf);
                PyErr_Format(PyExc_ValueError,
                             "decoding error; unknown error handling code: "
                             "%.400s", errors);
                return NULL;
            }
            /* Skip the hex digit that is there, if any. */
            if (s < end && hexval((unsigned char)*s) >= 0) {
                s++;
            }
            break;
        }
        default:
            *p++ = '\\';
            *p++ = c;
            break;
        }
    }
    PyObject *res = PyBytes_FromStringAndSize(buf, p - buf);
    PyMem_Free(buf);
    return res;
}
