/* The methods bytes and bytearray share (search, split, replace, strip,
 * padding, ASCII case mapping and predicates, translate) and printf-style
 * formatting of byte strings.
 *
 * Each works on a _PyBytesView: the bytes of the object and the
 * constructor of its type (bytes or bytearray).  A bytearray's view is a
 * snapshot taken under its lock (Objects/bytearrayobject.c), so nothing
 * here locks; bytes are immutable. */
#define _GNU_SOURCE 1     /* memmem */
#include "Python.h"
#include "pycore_bytesobject.h"
#include "pycore_long.h"
#include "pycore_unicodeobject.h"

static inline PyObject *
make(const _PyBytesView *v, const char *s, Py_ssize_t n)
{
    return v->bytearray ? PyByteArray_FromStringAndSize(s, n)
                        : PyBytes_FromStringAndSize(s, n);
}

/* The whole view as a new object of the view's type (bytes of an exact
   bytes object are returned as is). */
static PyObject *
same(const _PyBytesView *v)
{
    if (!v->bytearray && v->self != NULL && PyBytes_CheckExact(v->self)) {
        return Py_NewRef(v->self);
    }
    return make(v, v->s, v->len);
}

static inline int
b_isspace(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
           c == '\f';
}

static inline int b_islower(unsigned char c) { return c >= 'a' && c <= 'z'; }
static inline int b_isupper(unsigned char c) { return c >= 'A' && c <= 'Z'; }
static inline int b_isdigit(unsigned char c) { return c >= '0' && c <= '9'; }
static inline int b_isalpha(unsigned char c)
{
    return b_islower(c) || b_isupper(c);
}

/* ------------------------------------------------------ arguments */

/* A bytes-like argument: 0 with *view filled (release it), or -1 with
   "a bytes-like object is required, not '...'". */
static int
get_buffer(PyObject *obj, Py_buffer *view)
{
    if (PyObject_GetBuffer(obj, view, PyBUF_SIMPLE) != 0) {
        PyErr_Clear();
        PyErr_Format(PyExc_TypeError,
                     "a bytes-like object is required, not '%.100s'",
                     Py_TYPE(obj)->tp_name);
        return -1;
    }
    return 0;
}

/* The "sub" of find/count/index: an int in range(256) or bytes-like. */
typedef struct {
    Py_buffer view;
    char byte;
    const char *s;
    Py_ssize_t len;
} subarg;

static int
get_sub(PyObject *obj, subarg *sub)
{
    sub->view.obj = NULL;
    if (PyIndex_Check(obj)) {
        int v;
        if (_PyBytes_GetByte(obj, &v) < 0) {
            return -1;
        }
        sub->byte = (char)v;
        sub->s = &sub->byte;
        sub->len = 1;
        return 0;
    }
    if (PyObject_GetBuffer(obj, &sub->view, PyBUF_SIMPLE) != 0) {
        PyErr_Clear();
        PyErr_Format(PyExc_TypeError,
                     "argument should be integer or bytes-like object, "
                     "not '%.200s'", Py_TYPE(obj)->tp_name);
        return -1;
    }
    sub->s = sub->view.buf;
    sub->len = sub->view.len;
    return 0;
}

static void
release_sub(subarg *sub)
{
    if (sub->view.obj != NULL) {
        PyBuffer_Release(&sub->view);
    }
}

static void
adjust(Py_ssize_t *start, Py_ssize_t *end, Py_ssize_t len)
{
    if (*end > len) {
        *end = len;
    }
    else if (*end < 0) {
        *end += len;
        if (*end < 0) {
            *end = 0;
        }
    }
    if (*start < 0) {
        *start += len;
        if (*start < 0) {
            *start = 0;
        }
    }
}

/* (sub[, start[, end]]) */
static int
parse_sub(const char *name, PyObject *args, subarg *sub, Py_ssize_t *start,
          Py_ssize_t *end)
{
    PyObject *o, *os = NULL, *oe = NULL;
    if (!PyArg_UnpackTuple(args, name, 1, 3, &o, &os, &oe)) {
        return -1;
    }
    *start = 0;
    *end = PY_SSIZE_T_MAX;
    if (!_PyUnicode_ParseSliceIndex(os, start) ||
        !_PyUnicode_ParseSliceIndex(oe, end)) {
        return -1;
    }
    return get_sub(o, sub);
}

static Py_ssize_t
find_in(const char *s, Py_ssize_t n, const char *p, Py_ssize_t m, int dir)
{
    if (m > n) {
        return -1;
    }
    if (m == 0) {
        return dir > 0 ? 0 : n;
    }
    if (dir > 0) {
        const char *r = memmem(s, (size_t)n, p, (size_t)m);
        return r == NULL ? -1 : r - s;
    }
    for (Py_ssize_t i = n - m; i >= 0; i--) {
        if (s[i] == p[0] && memcmp(s + i, p, (size_t)m) == 0) {
            return i;
        }
    }
    return -1;
}

/* ------------------------------------------------------ search */

static PyObject *
find_common(_PyBytesView *v, PyObject *args, const char *name, int dir,
            int raise)
{
    subarg sub;
    Py_ssize_t start, end;
    if (parse_sub(name, args, &sub, &start, &end) < 0) {
        return NULL;
    }
    adjust(&start, &end, v->len);
    Py_ssize_t pos = -1;
    if (end - start >= sub.len) {
        pos = find_in(v->s + start, end - start, sub.s, sub.len, dir);
        if (pos >= 0) {
            pos += start;
        }
    }
    release_sub(&sub);
    if (pos < 0 && raise) {
        PyErr_SetString(PyExc_ValueError, "subsection not found");
        return NULL;
    }
    return PyLong_FromSsize_t(pos);
}

PyObject *
_Py_bytes_find(_PyBytesView *v, PyObject *args, PyObject *kwds)
{
    return find_common(v, args, "find", 1, 0);
}

PyObject *
_Py_bytes_rfind(_PyBytesView *v, PyObject *args, PyObject *kwds)
{
    return find_common(v, args, "rfind", -1, 0);
}

PyObject *
_Py_bytes_index(_PyBytesView *v, PyObject *args, PyObject *kwds)
{
    return find_common(v, args, "index", 1, 1);
}

PyObject *
_Py_bytes_rindex(_PyBytesView *v, PyObject *args, PyObject *kwds)
{
    return find_common(v, args, "rindex", -1, 1);
}

PyObject *
_Py_bytes_count(_PyBytesView *v, PyObject *args, PyObject *kwds)
{
    subarg sub;
    Py_ssize_t start, end;
    if (parse_sub("count", args, &sub, &start, &end) < 0) {
        return NULL;
    }
    adjust(&start, &end, v->len);
    Py_ssize_t count = 0;
    if (sub.len == 0) {
        count = start > v->len ? 0 : (end >= start ? end - start + 1 : 0);
    }
    else {
        Py_ssize_t i = start;
        while (end - i >= sub.len) {
            Py_ssize_t j = find_in(v->s + i, end - i, sub.s, sub.len, 1);
            if (j < 0) {
                break;
            }
            count++;
            i += j + sub.len;
        }
    }
    release_sub(&sub);
    return PyLong_FromSsize_t(count);
}

static PyObject *
tailmatch(_PyBytesView *v, PyObject *args, const char *name, int atend)
{
    PyObject *o, *os = NULL, *oe = NULL;
    if (!PyArg_UnpackTuple(args, name, 1, 3, &o, &os, &oe)) {
        return NULL;
    }
    Py_ssize_t start = 0, end = PY_SSIZE_T_MAX;
    if (!_PyUnicode_ParseSliceIndex(os, &start) ||
        !_PyUnicode_ParseSliceIndex(oe, &end)) {
        return NULL;
    }
    adjust(&start, &end, v->len);
    PyObject *subs = PyTuple_Check(o) ? Py_NewRef(o) : PyTuple_Pack(1, o);
    if (subs == NULL) {
        return NULL;
    }
    int found = 0;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(subs) && !found; i++) {
        PyObject *s = PyTuple_GET_ITEM(subs, i);
        Py_buffer b;
        if (PyObject_GetBuffer(s, &b, PyBUF_SIMPLE) != 0) {
            PyErr_Clear();
            if (PyTuple_Check(o)) {
                PyErr_Format(PyExc_TypeError,
                             "a bytes-like object is required, not '%.100s'",
                             Py_TYPE(s)->tp_name);
            }
            else {
                PyErr_Format(PyExc_TypeError,
                             "%s first arg must be bytes or a tuple of "
                             "bytes, not %.100s", name, Py_TYPE(s)->tp_name);
            }
            Py_DECREF(subs);
            return NULL;
        }
        if (end - start >= b.len) {
            Py_ssize_t at = atend ? end - b.len : start;
            found = memcmp(v->s + at, b.buf, (size_t)b.len) == 0;
        }
        PyBuffer_Release(&b);
    }
    Py_DECREF(subs);
    return PyBool_FromLong(found);
}

PyObject *
_Py_bytes_startswith(_PyBytesView *v, PyObject *args, PyObject *kwds)
{
    return tailmatch(v, args, "startswith", 0);
}

PyObject *
_Py_bytes_endswith(_PyBytesView *v, PyObject *args, PyObject *kwds)
{
    return tailmatch(v, args, "endswith", 1);
}

/* ------------------------------------------------------ split */

static int
append_piece(PyObject *list, const _PyBytesView *v, Py_ssize_t a,
             Py_ssize_t b)
{
    PyObject *piece = make(v, v->s + a, b - a);
    if (piece == NULL) {
        return -1;
    }
    int r = PyList_Append(list, piece);
    Py_DECREF(piece);
    return r;
}

static PyObject *
split_common(_PyBytesView *v, PyObject *args, PyObject *kwds, int right)
{
    static char *kwlist[] = {"sep", "maxsplit", NULL};
    PyObject *sepobj = Py_None;
    Py_ssize_t maxsplit = -1;
    if (!PyArg_ParseTupleAndKeywords(args, kwds,
                                     right ? "|On:rsplit" : "|On:split",
                                     kwlist, &sepobj, &maxsplit)) {
        return NULL;
    }
    if (maxsplit < 0) {
        maxsplit = PY_SSIZE_T_MAX;
    }
    PyObject *list = PyList_New(0);
    if (list == NULL) {
        return NULL;
    }
    const char *s = v->s;
    Py_ssize_t n = v->len;
    if (sepobj == Py_None) {
        if (!right) {
            Py_ssize_t i = 0;
            while (maxsplit-- > 0) {
                while (i < n && b_isspace((unsigned char)s[i])) {
                    i++;
                }
                if (i == n) {
                    return list;
                }
                Py_ssize_t j = i;
                while (i < n && !b_isspace((unsigned char)s[i])) {
                    i++;
                }
                if (append_piece(list, v, j, i) < 0) {
                    goto error;
                }
            }
            while (i < n && b_isspace((unsigned char)s[i])) {
                i++;
            }
            if (i < n && append_piece(list, v, i, n) < 0) {
                goto error;
            }
        }
        else {
            Py_ssize_t i = n;
            while (maxsplit-- > 0) {
                while (i > 0 && b_isspace((unsigned char)s[i - 1])) {
                    i--;
                }
                if (i == 0) {
                    break;
                }
                Py_ssize_t j = i;
                while (i > 0 && !b_isspace((unsigned char)s[i - 1])) {
                    i--;
                }
                if (append_piece(list, v, i, j) < 0) {
                    goto error;
                }
            }
            while (i > 0 && b_isspace((unsigned char)s[i - 1])) {
                i--;
            }
            if (i > 0 && append_piece(list, v, 0, i) < 0) {
                goto error;
            }
            if (PyList_Reverse(list) < 0) {
                goto error;
            }
        }
        return list;
    }
    Py_buffer sep;
    if (get_buffer(sepobj, &sep) < 0) {
        goto error;
    }
    if (sep.len == 0) {
        PyBuffer_Release(&sep);
        PyErr_SetString(PyExc_ValueError, "empty separator");
        goto error;
    }
    if (!right) {
        Py_ssize_t i = 0;
        while (maxsplit-- > 0) {
            Py_ssize_t j = find_in(s + i, n - i, sep.buf, sep.len, 1);
            if (j < 0) {
                break;
            }
            if (append_piece(list, v, i, i + j) < 0) {
                PyBuffer_Release(&sep);
                goto error;
            }
            i += j + sep.len;
        }
        if (append_piece(list, v, i, n) < 0) {
            PyBuffer_Release(&sep);
            goto error;
        }
    }
    else {
        Py_ssize_t end = n;
        while (maxsplit-- > 0) {
            Py_ssize_t j = find_in(s, end, sep.buf, sep.len, -1);
            if (j < 0) {
                break;
            }
            if (append_piece(list, v, j + sep.len, end) < 0) {
                PyBuffer_Release(&sep);
                goto error;
            }
            end = j;
        }
        if (append_piece(list, v, 0, end) < 0 || PyList_Reverse(list) < 0) {
            PyBuffer_Release(&sep);
            goto error;
        }
    }
    PyBuffer_Release(&sep);
    return list;
error:
    Py_DECREF(list);
    return NULL;
}

PyObject *
_Py_bytes_split(_PyBytesView *v, PyObject *args, PyObject *kwds)
{
    return split_common(v, args, kwds, 0);
}

PyObject *
_Py_bytes_rsplit(_PyBytesView *v, PyObject *args, PyObject *kwds)
{
    return split_common(v, args, kwds, 1);
}

PyObject *
_Py_bytes_splitlines(_PyBytesView *v, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"keepends", NULL};
    int keepends = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|p:splitlines", kwlist,
                                     &keepends)) {
        return NULL;
    }
    PyObject *list = PyList_New(0);
    if (list == NULL) {
        return NULL;
    }
    const char *s = v->s;
    Py_ssize_t n = v->len, i = 0;
    while (i < n) {
        Py_ssize_t j = i;
        while (i < n && s[i] != '\n' && s[i] != '\r') {
            i++;
        }
        Py_ssize_t eol = i;
        if (i < n) {
            i += (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n') ? 2 : 1;
            if (keepends) {
                eol = i;
            }
        }
        if (append_piece(list, v, j, eol) < 0) {
            Py_DECREF(list);
            return NULL;
        }
    }
    return list;
}

static PyObject *
partition_common(_PyBytesView *v, PyObject *sepobj, int right)
{
    Py_buffer sep;
    if (get_buffer(sepobj, &sep) < 0) {
        return NULL;
    }
    if (sep.len == 0) {
        PyBuffer_Release(&sep);
        PyErr_SetString(PyExc_ValueError, "empty separator");
        return NULL;
    }
    Py_ssize_t pos = find_in(v->s, v->len, sep.buf, sep.len,
                             right ? -1 : 1);
    PyObject *a, *b, *c;
    if (pos < 0) {
        a = right ? make(v, "", 0) : same(v);
        b = make(v, "", 0);
        c = right ? same(v) : make(v, "", 0);
    }
    else {
        a = make(v, v->s, pos);
        b = make(v, sep.buf, sep.len);
        c = make(v, v->s + pos + sep.len, v->len - pos - sep.len);
    }
    PyBuffer_Release(&sep);
    if (a == NULL || b == NULL || c == NULL) {
        Py_XDECREF(a);
        Py_XDECREF(b);
        Py_XDECREF(c);
        return NULL;
    }
    return Py_BuildValue("(NNN)", a, b, c);
}

PyObject *
_Py_bytes_partition(_PyBytesView *v, PyObject *args, PyObject *kwds)
{
    PyObject *sep;
    if (!PyArg_UnpackTuple(args, "partition", 1, 1, &sep)) {
        return NULL;
    }
    return partition_common(v, sep, 0);
}

PyObject *
_Py_bytes_rpartition(_PyBytesView *v, PyObject *args, PyObject *kwds)
{
    PyObject *sep;
    if (!PyArg_UnpackTuple(args, "rpartition", 1, 1, &sep)) {
        return NULL;
    }
    return partition_common(v, sep, 1);
}

/* ------------------------------------------------------ replace, join */

PyObject *
_Py_bytes_replace(_PyBytesView *v, PyObject *args, PyObject *kwds)
{
    PyObject *oold, *onew;
    Py_ssize_t count = -1;
    if (!PyArg_ParseTuple(args, "OO|n:replace", &oold, &onew, &count)) {
        return NULL;
    }
    Py_buffer old, new;
    if (get_buffer(oold, &old) < 0) {
        return NULL;
    }
    if (get_buffer(onew, &new) < 0) {
        PyBuffer_Release(&old);
        return NULL;
    }
    if (count < 0) {
        count = PY_SSIZE_T_MAX;
    }
    /* Count the matches, then build. */
    Py_ssize_t n = v->len, matches = 0;
    if (old.len == 0) {
        matches = Py_MIN(n + 1, count);
    }
    else {
        for (Py_ssize_t i = 0; matches < count && n - i >= old.len;) {
            Py_ssize_t j = find_in(v->s + i, n - i, old.buf, old.len, 1);
            if (j < 0) {
                break;
            }
            matches++;
            i += j + old.len;
        }
    }
    PyObject *res = NULL;
    if (matches == 0) {
        res = same(v);
        goto done;
    }
    if (new.len > old.len &&
        matches > (PY_SSIZE_T_MAX - n) / (new.len - old.len)) {
        PyErr_SetString(PyExc_OverflowError, "replace bytes is too long");
        goto done;
    }
    Py_ssize_t total = n + matches * (new.len - old.len);
    char *buf = PyMem_Malloc((size_t)total + 1);
    if (buf == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t i = 0, o = 0;
    for (Py_ssize_t k = 0; k < matches; k++) {
        Py_ssize_t j = old.len == 0 ? (k == 0 ? 0 : 1)
                       : find_in(v->s + i, n - i, old.buf, old.len, 1);
        memcpy(buf + o, v->s + i, (size_t)j);
        o += j;
        i += j;
        memcpy(buf + o, new.buf, (size_t)new.len);
        o += new.len;
        i += old.len;
    }
    memcpy(buf + o, v->s + i, (size_t)(n - i));
    res = make(v, buf, total);
    PyMem_Free(buf);
done:
    PyBuffer_Release(&old);
    PyBuffer_Release(&new);
    return res;
}

PyObject *
_Py_bytes_join(_PyBytesView *v, PyObject *args, PyObject *kwds)
{
    PyObject *iterable;
    if (!PyArg_UnpackTuple(args, "join", 1, 1, &iterable)) {
        return NULL;
    }
    PyObject *sep = PyBytes_FromStringAndSize(v->s, v->len);
    if (sep == NULL) {
        return NULL;
    }
    PyObject *res = _PyBytes_Join(sep, iterable);
    Py_DECREF(sep);
    if (res != NULL && v->bytearray) {
        Py_SETREF(res, PyByteArray_FromStringAndSize(PyBytes_AS_STRING(res),
                                                     PyBytes_GET_SIZE(res)));
    }
    return res;
}

/* ------------------------------------------------------ strip */

static PyObject *
strip_common(_PyBytesView *v, PyObject *args, const char *name, int left,
             int right)
{
    PyObject *chars = Py_None;
    if (!PyArg_UnpackTuple(args, name, 0, 1, &chars)) {
        return NULL;
    }
    Py_buffer cb;
    cb.buf = NULL;
    if (chars != Py_None && get_buffer(chars, &cb) < 0) {
        return NULL;
    }
    Py_ssize_t i = 0, j = v->len;
    const unsigned char *s = (const unsigned char *)v->s;
#define IN(c) (cb.buf == NULL ? b_isspace(c) \
               : memchr(cb.buf, (c), (size_t)cb.len) != NULL)
    if (left) {
        while (i < j && IN(s[i])) {
            i++;
        }
    }
    if (right) {
        while (j > i && IN(s[j - 1])) {
            j--;
        }
    }
#undef IN
    if (cb.buf != NULL) {
        PyBuffer_Release(&cb);
    }
    if (i == 0 && j == v->len) {
        return same(v);
    }
    return make(v, v->s + i, j - i);
}

PyObject *
_Py_bytes_strip(_PyBytesView *v, PyObject *args, PyObject *kwds)
{
    return strip_common(v, args, "strip", 1, 1);
}

PyObject *
_Py_bytes_lstrip(_PyBytesView *v, PyObject *args, PyObject *kwds)
{
    return strip_common(v, args, "lstrip", 1, 0);
}

PyObject *
_Py_bytes_rstrip(_PyBytesView *v, PyObject *args, PyObject *kwds)
{
    return strip_common(v, args, "rstrip", 0, 1);
}

static PyObject *
remove_affix(_PyBytesView *v, PyObject *args, const char *name, int suffix)
{
    PyObject *o;
    if (!PyArg_UnpackTuple(args, name, 1, 1, &o)) {
        return NULL;
    }
    Py_buffer b;
    if (get_buffer(o, &b) < 0) {
        return NULL;
    }
    Py_ssize_t start = 0, end = v->len;
    if (b.len > 0 && b.len <= v->len) {
        if (!suffix && memcmp(v->s, b.buf, (size_t)b.len) == 0) {
            start = b.len;
        }
        if (suffix &&
            memcmp(v->s + v->len - b.len, b.buf, (size_t)b.len) == 0) {
            end -= b.len;
        }
    }
    PyBuffer_Release(&b);
    if (start == 0 && end == v->len) {
        return same(v);
    }
    return make(v, v->s + start, end - start);
}

PyObject *
_Py_bytes_removeprefix(_PyBytesView *v, PyObject *args, PyObject *kwds)
{
    return remove_affix(v, args, "removeprefix", 0);
}

PyObject *
_Py_bytes_removesuffix(_PyBytesView *v, PyObject *args, PyObject *kwds)
{
    return remove_affix(v, args, "removesuffix", 1);
}

/* ------------------------------------------------------ padding */

static PyObject *
pad(_PyBytesView *v, Py_ssize_t left, Py_ssize_t right, char fill)
{
    if (left < 0) {
        left = 0;
    }
    if (right < 0) {
        right = 0;
    }
    if (left == 0 && right == 0) {
        return same(v);
    }
    if (left > PY_SSIZE_T_MAX - v->len - right) {
        return PyErr_NoMemory();
    }
    Py_ssize_t total = left + v->len + right;
    char *buf = PyMem_Malloc((size_t)total + 1);
    if (buf == NULL) {
        return PyErr_NoMemory();
    }
    memset(buf, fill, (size_t)left);
    memcpy(buf + left, v->s, (size_t)v->len);
    memset(buf + left + v->len, fill, (size_t)right);
    PyObject *res = make(v, buf, total);
    PyMem_Free(buf);
    return res;
}

static int
parse_pad(PyObject *args, const char *name, Py_ssize_t *width, char *fill)
{
    PyObject *ow, *of = NULL;
    if (!PyArg_UnpackTuple(args, name, 1, 2, &ow, &of)) {
        return -1;
    }
    *width = PyNumber_AsSsize_t(ow, PyExc_OverflowError);
    if (*width == -1 && PyErr_Occurred()) {
        return -1;
    }
    *fill = ' ';
    if (of != NULL) {
        if (PyBytes_Check(of) && PyBytes_GET_SIZE(of) == 1) {
            *fill = PyBytes_AS_STRING(of)[0];
        }
        else if (PyByteArray_Check(of) && PyByteArray_Size(of) == 1) {
            *fill = PyByteArray_AS_STRING(of)[0];
        }
        else {
            PyErr_Format(PyExc_TypeError,
                         "%s() argument 2 must be a byte string of length 1, "
                         "not %.50s", name, Py_TYPE(of)->tp_name);
            return -1;
        }
    }
    return 0;
}

PyObject *
_Py_bytes_center(_PyBytesView *v, PyObject *args, PyObject *kwds)
{
    Py_ssize_t width;
    char fill;
    if (parse_pad(args, "center", &width, &fill) < 0) {
        return NULL;
    }
    if (width <= v->len) {
        return same(v);
    }
    Py_ssize_t marg = width - v->len;
    Py_ssize_t left = marg / 2 + (marg & width & 1);
    return pad(v, left, marg - left, fill);
}

PyObject *
_Py_bytes_ljust(_PyBytesView *v, PyObject *args, PyObject *kwds)
{
    Py_ssize_t width;
    char fill;
    if (parse_pad(args, "ljust", &width, &fill) < 0) {
        return NULL;
    }
    return pad(v, 0, width - v->len, fill);
}

PyObject *
_Py_bytes_rjust(_PyBytesView *v, PyObject *args, PyObject *kwds)
{
    Py_ssize_t width;
    char fill;
    if (parse_pad(args, "rjust", &width, &fill) < 0) {
        return NULL;
    }
    return pad(v, width - v->len, 0, fill);
}

PyObject *
_Py_bytes_zfill(_PyBytesView *v, PyObject *args, PyObject *kwds)
{
    PyObject *ow;
    if (!PyArg_UnpackTuple(args, "zfill", 1, 1, &ow)) {
        return NULL;
    }
    Py_ssize_t width = PyNumber_AsSsize_t(ow, PyExc_OverflowError);
    if (width == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (width <= v->len) {
        return same(v);
    }
    Py_ssize_t fill = width - v->len;
    char *buf = PyMem_Malloc((size_t)width + 1);
    if (buf == NULL) {
        return PyErr_NoMemory();
    }
    memset(buf, '0', (size_t)fill);
    memcpy(buf + fill, v->s, (size_t)v->len);
    if (v->len > 0 && (buf[fill] == '+' || buf[fill] == '-')) {
        buf[0] = buf[fill];
        buf[fill] = '0';
    }
    PyObject *res = make(v, buf, width);
    PyMem_Free(buf);
    return res;
}

PyObject *
_Py_bytes_expandtabs(_PyBytesView *v, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"tabsize", NULL};
    int tabsize = 8;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|i:expandtabs", kwlist,
                                     &tabsize)) {
        return NULL;
    }
    Py_ssize_t total = 0, col = 0;
    for (Py_ssize_t i = 0; i < v->len; i++) {
        char c = v->s[i];
        if (c == '\t') {
            if (tabsize > 0) {
                Py_ssize_t add = tabsize - col % tabsize;
                if (total > PY_SSIZE_T_MAX - add) {
                    PyErr_SetString(PyExc_OverflowError,
                                    "result too long");
                    return NULL;
                }
                total += add;
                col += add;
            }
            continue;
        }
        total++;
        col = (c == '\n' || c == '\r') ? 0 : col + 1;
    }
    char *buf = PyMem_Malloc((size_t)total + 1);
    if (buf == NULL) {
        return PyErr_NoMemory();
    }
    Py_ssize_t o = 0;
    col = 0;
    for (Py_ssize_t i = 0; i < v->len; i++) {
        char c = v->s[i];
        if (c == '\t') {
            if (tabsize > 0) {
                Py_ssize_t add = tabsize - col % tabsize;
                memset(buf + o, ' ', (size_t)add);
                o += add;
                col += add;
            }
            continue;
        }
        buf[o++] = c;
        col = (c == '\n' || c == '\r') ? 0 : col + 1;
    }
    PyObject *res = make(v, buf, total);
    PyMem_Free(buf);
    return res;
}

/* ------------------------------------------------------ ASCII case */

typedef enum { CM_LOWER, CM_UPPER, CM_SWAP, CM_TITLE, CM_CAPITALIZE } casemode;

static PyObject *
casemap(_PyBytesView *v, casemode mode)
{
    char *buf = PyMem_Malloc((size_t)v->len + 1);
    if (buf == NULL) {
        return PyErr_NoMemory();
    }
    int prev_cased = 0;
    for (Py_ssize_t i = 0; i < v->len; i++) {
        unsigned char c = (unsigned char)v->s[i];
        int up = 0, low = 0;
        switch (mode) {
        case CM_LOWER: low = 1; break;
        case CM_UPPER: up = 1; break;
        case CM_SWAP: up = b_islower(c); low = b_isupper(c); break;
        case CM_TITLE: up = !prev_cased; low = prev_cased; break;
        case CM_CAPITALIZE: up = i == 0; low = i != 0; break;
        }
        if (up && b_islower(c)) {
            c = (unsigned char)(c - 32);
        }
        else if (low && b_isupper(c)) {
            c = (unsigned char)(c + 32);
        }
        prev_cased = b_isalpha(c);
        buf[i] = (char)c;
    }
    PyObject *res = make(v, buf, v->len);
    PyMem_Free(buf);
    return res;
}

PyObject *
_Py_bytes_lower(_PyBytesView *v, PyObject *args, PyObject *kwds)
{
    return casemap(v, CM_LOWER);
}

PyObject *
_Py_bytes_upper(_PyBytesView *v, PyObject *args, PyObject *kwds)
{
    return casemap(v, CM_UPPER);
}

PyObject *
_Py_bytes_swapcase(_PyBytesView *v, PyObject *args, PyObject *kwds)
{
    return casemap(v, CM_SWAP);
}

PyObject *
_Py_bytes_title(_PyBytesView *v, PyObject *args, PyObject *kwds)
{
    return casemap(v, CM_TITLE);
}

PyObject *
_Py_bytes_capitalize(_PyBytesView *v, PyObject *args, PyObject *kwds)
{
    return casemap(v, CM_CAPITALIZE);
}

static PyObject *
all_bytes(_PyBytesView *v, int (*pred)(unsigned char), int empty)
{
    if (v->len == 0) {
        return PyBool_FromLong(empty);
    }
    for (Py_ssize_t i = 0; i < v->len; i++) {
        if (!pred((unsigned char)v->s[i])) {
            Py_RETURN_FALSE;
        }
    }
    Py_RETURN_TRUE;
}

static int p_space(unsigned char c) { return b_isspace(c); }
static int p_alpha(unsigned char c) { return b_isalpha(c); }
static int p_digit(unsigned char c) { return b_isdigit(c); }
static int p_alnum(unsigned char c) { return b_isalpha(c) || b_isdigit(c); }
static int p_ascii(unsigned char c) { return c < 128; }

PyObject *
_Py_bytes_isspace(_PyBytesView *v, PyObject *args, PyObject *kwds)
{
    return all_bytes(v, p_space, 0);
}

PyObject *
_Py_bytes_isalpha(_PyBytesView *v, PyObject *args, PyObject *kwds)
{
    return all_bytes(v, p_alpha, 0);
}

PyObject *
_Py_bytes_isdigit(_PyBytesView *v, PyObject *args, PyObject *kwds)
{
    return all_bytes(v, p_digit, 0);
}

PyObject *
_Py_bytes_isalnum(_PyBytesView *v, PyObject *args, PyObject *kwds)
{
    return all_bytes(v, p_alnum, 0);
}

PyObject *
_Py_bytes_isascii(_PyBytesView *v, PyObject *args, PyObject *kwds)
{
    return all_bytes(v, p_ascii, 1);
}

static PyObject *
cased_check(_PyBytesView *v, int want_lower)
{
    int cased = 0;
    for (Py_ssize_t i = 0; i < v->len; i++) {
        unsigned char c = (unsigned char)v->s[i];
        if (want_lower ? b_isupper(c) : b_islower(c)) {
            Py_RETURN_FALSE;
        }
        if (want_lower ? b_islower(c) : b_isupper(c)) {
            cased = 1;
        }
    }
    return PyBool_FromLong(cased);
}

PyObject *
_Py_bytes_islower(_PyBytesView *v, PyObject *args, PyObject *kwds)
{
    return cased_check(v, 1);
}

PyObject *
_Py_bytes_isupper(_PyBytesView *v, PyObject *args, PyObject *kwds)
{
    return cased_check(v, 0);
}

PyObject *
_Py_bytes_istitle(_PyBytesView *v, PyObject *args, PyObject *kwds)
{
    int cased = 0, prev = 0;
    for (Py_ssize_t i = 0; i < v->len; i++) {
        unsigned char c = (unsigned char)v->s[i];
        if (b_isupper(c)) {
            if (prev) {
                Py_RETURN_FALSE;
            }
            prev = cased = 1;
        }
        else if (b_islower(c)) {
            if (!prev) {
                Py_RETURN_FALSE;
            }
            prev = cased = 1;
        }
        else {
            prev = 0;
        }
    }
    return PyBool_FromLong(cased);
}

/* ------------------------------------------------------ translate */

PyObject *
_Py_bytes_translate(_PyBytesView *v, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"", "delete", NULL};
    PyObject *table, *odel = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O|O:translate", kwlist,
                                     &table, &odel)) {
        return NULL;
    }
    Py_buffer tb, db;
    tb.buf = NULL;
    db.buf = NULL;
    if (table != Py_None) {
        if (get_buffer(table, &tb) < 0) {
            return NULL;
        }
        if (tb.len != 256) {
            PyBuffer_Release(&tb);
            PyErr_SetString(PyExc_ValueError,
                            "translation table must be 256 characters long");
            return NULL;
        }
    }
    if (odel != NULL && get_buffer(odel, &db) < 0) {
        if (tb.buf != NULL) {
            PyBuffer_Release(&tb);
        }
        return NULL;
    }
    char *buf = PyMem_Malloc((size_t)v->len + 1);
    PyObject *res = NULL;
    if (buf == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t o = 0;
    for (Py_ssize_t i = 0; i < v->len; i++) {
        unsigned char c = (unsigned char)v->s[i];
        if (db.buf != NULL && memchr(db.buf, c, (size_t)db.len) != NULL) {
            continue;
        }
        buf[o++] = tb.buf != NULL ? ((const char *)tb.buf)[c] : (char)c;
    }
    res = make(v, buf, o);
    PyMem_Free(buf);
done:
    if (tb.buf != NULL) {
        PyBuffer_Release(&tb);
    }
    if (db.buf != NULL) {
        PyBuffer_Release(&db);
    }
    return res;
}

/* bytes.maketrans(frm, to): a 256-byte table (static method of both). */
PyObject *
_PyBytes_MakeTrans(PyObject *Py_UNUSED(null), PyObject *args)
{
    PyObject *ofrm, *oto;
    if (!PyArg_UnpackTuple(args, "maketrans", 2, 2, &ofrm, &oto)) {
        return NULL;
    }
    Py_buffer frm, to;
    if (get_buffer(ofrm, &frm) < 0) {
        return NULL;
    }
    if (get_buffer(oto, &to) < 0) {
        PyBuffer_Release(&frm);
        return NULL;
    }
    PyObject *res = NULL;
    if (frm.len != to.len) {
        PyErr_SetString(PyExc_ValueError,
                        "maketrans arguments must have same length");
    }
    else if ((res = PyBytes_FromStringAndSize(NULL, 256)) != NULL) {
        char *t = PyBytes_AS_STRING(res);
        for (int i = 0; i < 256; i++) {
            t[i] = (char)i;
        }
        for (Py_ssize_t i = 0; i < frm.len; i++) {
            t[((unsigned char *)frm.buf)[i]] = ((char *)to.buf)[i];
        }
    }
    PyBuffer_Release(&frm);
    PyBuffer_Release(&to);
    return res;
}

/* ------------------------------------------------------ % formatting */

/* The bytes of %s / %b: a buffer or __bytes__ (new bytes). */
static PyObject *
format_bytes_arg(PyObject *v)
{
    if (PyBytes_Check(v)) {
        return Py_NewRef(v);
    }
    if (PyObject_CheckBuffer(v)) {
        return PyBytes_FromObject(v);
    }
    PyObject *meth = NULL;
    PyObject *name = PyUnicode_InternFromString("__bytes__");
    if (name == NULL) {
        return NULL;
    }
    if (_PyObject_LookupAttr((PyObject *)Py_TYPE(v), name, &meth) < 0) {
        Py_DECREF(name);
        return NULL;
    }
    Py_DECREF(name);
    if (meth != NULL) {
        PyObject *r = PyObject_CallOneArg(meth, v);
        Py_DECREF(meth);
        if (r != NULL && !PyBytes_Check(r)) {
            PyErr_Format(PyExc_TypeError,
                         "__bytes__ returned non-bytes (type %.200s)",
                         Py_TYPE(r)->tp_name);
            Py_CLEAR(r);
        }
        return r;
    }
    PyErr_Format(PyExc_TypeError,
                 "%%b requires a bytes-like object, or an object that "
                 "implements __bytes__, not '%.100s'", Py_TYPE(v)->tp_name);
    return NULL;
}

static int
out_put(char **buf, Py_ssize_t *len, Py_ssize_t *cap, const char *s,
        Py_ssize_t n)
{
    if (*len + n > *cap) {
        Py_ssize_t ncap = (*len + n) * 2 + 16;
        char *nb = PyMem_Realloc(*buf, (size_t)ncap);
        if (nb == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        *buf = nb;
        *cap = ncap;
    }
    memcpy(*buf + *len, s, (size_t)n);
    *len += n;
    return 0;
}

/* Pads s[0:n] to width (left or right aligned) into out. */
static int
out_padded(char **buf, Py_ssize_t *len, Py_ssize_t *cap, const char *s,
           Py_ssize_t n, Py_ssize_t width, int left)
{
    Py_ssize_t padn = width > n ? width - n : 0;
    if (!left) {
        for (Py_ssize_t k = 0; k < padn; k++) {
            if (out_put(buf, len, cap, " ", 1) < 0) {
                return -1;
            }
        }
    }
    if (out_put(buf, len, cap, s, n) < 0) {
        return -1;
    }
    if (left) {
        for (Py_ssize_t k = 0; k < padn; k++) {
            if (out_put(buf, len, cap, " ", 1) < 0) {
                return -1;
            }
        }
    }
    return 0;
}

/* format % args for bytes and bytearray: numeric and %a/%r units are
   formatted as text by the str machinery (they are ASCII), %s/%b copy
   bytes, %c takes an int in range(256) or one byte. */
PyObject *
_PyBytes_FormatEx(const char *fmt, Py_ssize_t fmtlen, PyObject *args,
                  int is_bytearray)
{
    Py_ssize_t arglen = -1, argidx = 0;
    PyObject *dict = NULL;
    if (PyTuple_Check(args)) {
        arglen = PyTuple_GET_SIZE(args);
    }
    if (PyMapping_Check(args) && !PyTuple_Check(args) &&
        !PyBytes_Check(args) && !PyUnicode_Check(args) &&
        !PyByteArray_Check(args)) {
        dict = args;
    }
    char *out = NULL;
    Py_ssize_t olen = 0, ocap = 0, i = 0;
    int used_dict = 0;
    while (i < fmtlen) {
        const char *pct = memchr(fmt + i, '%', (size_t)(fmtlen - i));
        Py_ssize_t lit_end = pct ? pct - fmt : fmtlen;
        if (out_put(&out, &olen, &ocap, fmt + i, lit_end - i) < 0) {
            goto error;
        }
        i = lit_end;
        if (i >= fmtlen) {
            break;
        }
        Py_ssize_t unit_start = i++;
        PyObject *v = NULL, *vown = NULL;
        if (i < fmtlen && fmt[i] == '(') {
            if (dict == NULL) {
                PyErr_SetString(PyExc_TypeError, "format requires a mapping");
                goto error;
            }
            Py_ssize_t depth = 1, k = ++i;
            while (i < fmtlen && depth > 0) {
                if (fmt[i] == '(') {
                    depth++;
                }
                else if (fmt[i] == ')') {
                    depth--;
                }
                i++;
            }
            if (depth > 0) {
                PyErr_SetString(PyExc_ValueError, "incomplete format key");
                goto error;
            }
            PyObject *key = PyBytes_FromStringAndSize(fmt + k, i - 1 - k);
            if (key == NULL) {
                goto error;
            }
            vown = PyObject_GetItem(dict, key);
            Py_DECREF(key);
            if (vown == NULL) {
                goto error;
            }
            v = vown;
            used_dict = 1;
        }
        /* flags, width, precision, length: collected into a str spec */
        Py_ssize_t spec_start = i;
        int left = 0;
        Py_ssize_t width = -1, prec = -1;
        while (i < fmtlen && strchr("-+ #0", fmt[i]) != NULL) {
            if (fmt[i] == '-') {
                left = 1;
            }
            i++;
        }
        PyObject *star_args[2] = {NULL, NULL};
        int nstar = 0;
        for (int part = 0; part < 2; part++) {
            if (part == 1) {
                if (i < fmtlen && fmt[i] == '.') {
                    i++;
                    prec = 0;
                }
                else {
                    break;
                }
            }
            if (i < fmtlen && fmt[i] == '*') {
                PyObject *a = NULL;
                if (arglen < 0 ? argidx == 0 : argidx < arglen) {
                    a = arglen < 0 ? args : PyTuple_GET_ITEM(args, argidx);
                    argidx++;
                }
                if (a == NULL) {
                    PyErr_SetString(PyExc_TypeError,
                                    "not enough arguments for format "
                                    "string");
                    Py_XDECREF(vown);
                    goto error;
                }
                if (!PyLong_Check(a)) {
                    PyErr_SetString(PyExc_TypeError, "* wants int");
                    Py_XDECREF(vown);
                    goto error;
                }
                Py_ssize_t x = PyLong_AsSsize_t(a);
                if (part == 0) {
                    width = x < 0 ? -x : x;
                    left |= x < 0;
                }
                else {
                    prec = x;
                }
                star_args[nstar++] = a;
                i++;
            }
            else {
                Py_ssize_t x = -1;
                while (i < fmtlen && fmt[i] >= '0' && fmt[i] <= '9') {
                    x = (x < 0 ? 0 : x) * 10 + (fmt[i] - '0');
                    i++;
                }
                if (part == 0) {
                    width = x;
                }
                else if (x >= 0) {
                    prec = x;
                }
            }
        }
        while (i < fmtlen && (fmt[i] == 'h' || fmt[i] == 'l' ||
                              fmt[i] == 'L')) {
            i++;
        }
        if (i >= fmtlen) {
            PyErr_SetString(PyExc_ValueError, "incomplete format");
            Py_XDECREF(vown);
            goto error;
        }
        char c = fmt[i++];
        if (c == '%' && i - unit_start == 2) {
            if (out_put(&out, &olen, &ocap, "%", 1) < 0) {
                goto error;
            }
            continue;
        }
        if (v == NULL) {
            if (arglen < 0 ? argidx == 0 : argidx < arglen) {
                v = arglen < 0 ? args : PyTuple_GET_ITEM(args, argidx);
                argidx++;
            }
            else {
                PyErr_SetString(PyExc_TypeError,
                                "not enough arguments for format string");
                goto error;
            }
        }
        int r = 0;
        switch (c) {
        case 's': case 'b': {
            PyObject *b = format_bytes_arg(v);
            if (b == NULL) {
                r = -1;
                break;
            }
            Py_ssize_t n = PyBytes_GET_SIZE(b);
            if (prec >= 0 && n > prec) {
                n = prec;
            }
            r = out_padded(&out, &olen, &ocap, PyBytes_AS_STRING(b), n,
                           width, left);
            Py_DECREF(b);
            break;
        }
        case 'c': {
            char ch;
            if (PyBytes_Check(v) && PyBytes_GET_SIZE(v) == 1) {
                ch = PyBytes_AS_STRING(v)[0];
            }
            else if (PyByteArray_Check(v) && PyByteArray_Size(v) == 1) {
                ch = PyByteArray_AS_STRING(v)[0];
            }
            else if (PyLong_Check(v)) {
                int overflow;
                long x = PyLong_AsLongAndOverflow(v, &overflow);
                if (overflow || x < 0 || x > 255) {
                    PyErr_SetString(PyExc_OverflowError,
                                    "%c arg not in range(256)");
                    r = -1;
                    break;
                }
                ch = (char)x;
            }
            else {
                PyErr_SetString(PyExc_TypeError,
                                "%c requires an integer in range(256) or a "
                                "single byte");
                r = -1;
                break;
            }
            r = out_padded(&out, &olen, &ocap, &ch, 1, width, left);
            break;
        }
        case 'a': case 'r': case 'd': case 'i': case 'u': case 'o':
        case 'x': case 'X': case 'e': case 'E': case 'f': case 'F':
        case 'g': case 'G': {
            /* "%<flags/width/prec><type>" formatted as str. */
            PyObject *unitfmt = PyUnicode_FromFormat(
                "%%%.*s%c", (int)(i - 1 - spec_start), fmt + spec_start,
                c == 'r' ? 'a' : c);
            PyObject *targs = NULL, *text = NULL;
            if (unitfmt != NULL) {
                Py_ssize_t ns = nstar;
                targs = PyTuple_New(ns + 1);
                if (targs != NULL) {
                    for (Py_ssize_t k = 0; k < ns; k++) {
                        PyTuple_SET_ITEM(targs, k, Py_NewRef(star_args[k]));
                    }
                    PyTuple_SET_ITEM(targs, ns, Py_NewRef(v));
                    text = PyUnicode_Format(unitfmt, targs);
                }
            }
            if (text == NULL && PyErr_ExceptionMatches(PyExc_TypeError) &&
                (c == 'd' || c == 'i' || c == 'u') && PyBytes_Check(v)) {
                /* message as CPython's */
                PyErr_Clear();
                PyErr_Format(PyExc_TypeError, "%%%c format: a real number "
                             "is required, not %.200s", c,
                             Py_TYPE(v)->tp_name);
            }
            Py_XDECREF(unitfmt);
            Py_XDECREF(targs);
            if (text == NULL) {
                r = -1;
                break;
            }
            Py_ssize_t n;
            const char *t = PyUnicode_AsUTF8AndSize(text, &n);
            r = t == NULL ? -1 : out_put(&out, &olen, &ocap, t, n);
            Py_DECREF(text);
            break;
        }
        default:
            if (c >= 32 && c < 127) {
                PyErr_Format(PyExc_ValueError,
                             "unsupported format character '%c' (0x%x) at "
                             "index %zd", c, (unsigned int)(unsigned char)c,
                             i - 1);
            }
            else {
                PyErr_Format(PyExc_ValueError,
                             "unsupported format character '\\x%x' (0x%x) "
                             "at index %zd", (unsigned int)(unsigned char)c,
                             (unsigned int)(unsigned char)c, i - 1);
            }
            r = -1;
            break;
        }
        Py_XDECREF(vown);
        if (r < 0) {
            goto error;
        }
    }
    if (!used_dict && dict == NULL &&
        ((arglen >= 0 && argidx < arglen) || (arglen < 0 && argidx == 0))) {
        PyErr_SetString(PyExc_TypeError,
                        "not all arguments converted during bytes "
                        "formatting");
        goto error;
    }
    PyObject *res = is_bytearray ? PyByteArray_FromStringAndSize(out, olen)
                                 : PyBytes_FromStringAndSize(out, olen);
    PyMem_Free(out);
    return res;
error:
    PyMem_Free(out);
    return NULL;
}
