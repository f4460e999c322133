/* str methods and the sequence operations behind them: indexing and
 * slicing, repetition, searching (find/count/replace/split/partition),
 * join, strip, case mapping, character-class predicates.  Strings are
 * immutable: nothing here locks.
 *
 * format, format_map and __format__ are in strformat.c and formatter.c. */
#define _GNU_SOURCE 1     /* memmem */
#include "Python.h"
#include "pycore_unicodeobject.h"
#include "pycore_unicodectype.h"
#include "pycore_formatter.h"

/* ------------------------------------------------------ helpers */

/* A read-only view of a string's characters in a requested kind. */
typedef struct {
    int kind;
    const void *data;
    Py_ssize_t len;
    void *owned;        /* PyMem block to free, or NULL */
} strview;

static void
view_release(strview *v)
{
    PyMem_Free(v->owned);
    v->owned = NULL;
}

/* 0 and *v set; 1 if sub has characters `kind` cannot hold (so it cannot
   occur in a string of that kind); -1 on memory error. */
static int
view_as_kind(PyObject *sub, int kind, strview *v)
{
    int skind = PyUnicode_KIND(sub);
    v->len = PyUnicode_GET_LENGTH(sub);
    v->kind = kind;
    v->owned = NULL;
    if (skind == kind) {
        v->data = PyUnicode_DATA(sub);
        return 0;
    }
    if (skind > kind) {
        return 1;
    }
    void *buf = PyMem_Malloc((size_t)(v->len + 1) * kind);
    if (buf == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    const void *sd = PyUnicode_DATA(sub);
    for (Py_ssize_t i = 0; i < v->len; i++) {
        PyUnicode_WRITE(kind, buf, i, PyUnicode_READ(skind, sd, i));
    }
    v->data = buf;
    v->owned = buf;
    return 0;
}

/* Horspool search of p[0:m] in s[0:n] (same kind), m >= 1; the skip table
   is indexed by the low byte of a character, so collisions only shorten
   skips. */
static Py_ssize_t
horspool(int kind, const void *s, Py_ssize_t n, const void *p, Py_ssize_t m)
{
    if (kind == PyUnicode_1BYTE_KIND) {
        /* glibc's memmem is linear-time (two-way). */
        const char *r = memmem(s, (size_t)n, p, (size_t)m);
        return r == NULL ? -1 : (Py_ssize_t)(r - (const char *)s);
    }
    if (m >= 4) {
        /* Two-way on the raw bytes too; a match must start on a
           character boundary, else search on from the next byte. */
        const char *base = s, *cur = s, *end = base + n * kind;
        size_t plen = (size_t)m * kind;
        while ((size_t)(end - cur) >= plen) {
            const char *r = memmem(cur, (size_t)(end - cur), p, plen);
            if (r == NULL) {
                return -1;
            }
            if ((r - base) % kind == 0) {
                return (Py_ssize_t)((r - base) / kind);
            }
            cur = r + 1;
        }
        return -1;
    }
    Py_ssize_t skip[256];
    for (int i = 0; i < 256; i++) {
        skip[i] = m;
    }
    for (Py_ssize_t j = 0; j < m - 1; j++) {
        skip[PyUnicode_READ(kind, p, j) & 0xff] = m - 1 - j;
    }
    Py_UCS4 last = PyUnicode_READ(kind, p, m - 1);
    Py_ssize_t i = 0;
    while (i <= n - m) {
        Py_UCS4 c = PyUnicode_READ(kind, s, i + m - 1);
        if (c == last &&
            memcmp((const char *)s + i * kind, p, (size_t)(m - 1) * kind)
            == 0) {
            return i;
        }
        i += skip[c & 0xff];
    }
    return -1;
}

Py_ssize_t
_PyUnicode_FindSub(int kind1, const void *s, Py_ssize_t n, int kind2,
                   const void *p, Py_ssize_t m, int direction)
{
    if (m > n) {
        return -1;
    }
    if (m == 0) {
        return direction > 0 ? 0 : n;
    }
    (void)kind2;
    if (direction > 0) {
        return horspool(kind1, s, n, p, m);
    }
    Py_UCS4 first = PyUnicode_READ(kind1, p, 0);
    for (Py_ssize_t i = n - m; i >= 0; i--) {
        if (PyUnicode_READ(kind1, s, i) == first &&
            memcmp((const char *)s + i * kind1, p, (size_t)m * kind1) == 0) {
            return i;
        }
    }
    return -1;
}

Py_ssize_t
_PyUnicode_CountSub(int kind1, const void *s, Py_ssize_t n, int kind2,
                    const void *p, Py_ssize_t m, Py_ssize_t maxcount)
{
    if (m == 0) {
        return Py_MIN(n + 1, maxcount);
    }
    Py_ssize_t count = 0, i = 0;
    while (count < maxcount) {
        Py_ssize_t j = _PyUnicode_FindSub(kind1, (const char *)s + i * kind1,
                                          n - i, kind2, p, m, 1);
        if (j < 0) {
            break;
        }
        count++;
        i += j + m;
    }
    return count;
}

/* Clamps [start, end) to a string of length len as slice indices. */
static void
adjust_indices(Py_ssize_t *start, Py_ssize_t *end, Py_ssize_t len)
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

int
_PyUnicode_ParseSliceIndex(PyObject *v, Py_ssize_t *pi)
{
    if (v == NULL || v == Py_None) {
        return 1;
    }
    if (!PyIndex_Check(v)) {
        PyErr_SetString(PyExc_TypeError,
                        "slice indices must be integers or None or have an "
                        "__index__ method");
        return 0;
    }
    Py_ssize_t x = PyNumber_AsSsize_t(v, NULL);
    if (x == -1 && PyErr_Occurred()) {
        return 0;
    }
    *pi = x;
    return 1;
}

static int
require_str(PyObject *obj, const char *what)
{
    if (PyUnicode_Check(obj)) {
        return 0;
    }
    if (what != NULL) {
        PyErr_Format(PyExc_TypeError, "%s must be str, not %.100s", what,
                     Py_TYPE(obj)->tp_name);
    }
    else {
        PyErr_Format(PyExc_TypeError, "must be str, not %.100s",
                     Py_TYPE(obj)->tp_name);
    }
    return -1;
}

/* Parses (sub[, start[, end]]) for find/index/count/startswith... */
static int
parse_sub_args(const char *name, PyObject *args, PyObject **sub,
               Py_ssize_t *start, Py_ssize_t *end)
{
    PyObject *ostart = NULL, *oend = NULL;
    if (!PyArg_UnpackTuple(args, name, 1, 3, sub, &ostart, &oend)) {
        return -1;
    }
    *start = 0;
    *end = PY_SSIZE_T_MAX;
    if (!_PyUnicode_ParseSliceIndex(ostart, start) ||
        !_PyUnicode_ParseSliceIndex(oend, end)) {
        return -1;
    }
    return 0;
}

/* The position of sub in str[start:end] (absolute), -1 if absent, -2 on
   error. */
static Py_ssize_t
find_impl(PyObject *str, PyObject *sub, Py_ssize_t start, Py_ssize_t end,
          int direction)
{
    Py_ssize_t len = PyUnicode_GET_LENGTH(str);
    adjust_indices(&start, &end, len);
    if (end - start < PyUnicode_GET_LENGTH(sub)) {
        return -1;
    }
    int kind = PyUnicode_KIND(str);
    strview v;
    int r = view_as_kind(sub, kind, &v);
    if (r < 0) {
        return -2;
    }
    if (r > 0) {
        return -1;
    }
    const char *data = (const char *)PyUnicode_DATA(str) + start * kind;
    Py_ssize_t pos = _PyUnicode_FindSub(kind, data, end - start, kind,
                                        v.data, v.len, direction);
    view_release(&v);
    return pos < 0 ? -1 : pos + start;
}

Py_ssize_t
PyUnicode_Find(PyObject *str, PyObject *sub, Py_ssize_t start,
               Py_ssize_t end, int direction)
{
    if (require_str(str, NULL) < 0 || require_str(sub, NULL) < 0) {
        return -2;
    }
    return find_impl(str, sub, start, end, direction);
}

Py_ssize_t
PyUnicode_FindChar(PyObject *str, Py_UCS4 ch, Py_ssize_t start,
                   Py_ssize_t end, int direction)
{
    Py_ssize_t len = PyUnicode_GET_LENGTH(str);
    adjust_indices(&start, &end, len);
    int kind = PyUnicode_KIND(str);
    const void *data = PyUnicode_DATA(str);
    if (direction > 0) {
        for (Py_ssize_t i = start; i < end; i++) {
            if (PyUnicode_READ(kind, data, i) == ch) {
                return i;
            }
        }
    }
    else {
        for (Py_ssize_t i = end - 1; i >= start; i--) {
            if (PyUnicode_READ(kind, data, i) == ch) {
                return i;
            }
        }
    }
    return -1;
}

Py_ssize_t
PyUnicode_Count(PyObject *str, PyObject *sub, Py_ssize_t start,
                Py_ssize_t end)
{
    if (require_str(str, NULL) < 0 || require_str(sub, NULL) < 0) {
        return -1;
    }
    Py_ssize_t len = PyUnicode_GET_LENGTH(str);
    adjust_indices(&start, &end, len);
    if (end - start < PyUnicode_GET_LENGTH(sub)) {
        return 0;
    }
    int kind = PyUnicode_KIND(str);
    strview v;
    int r = view_as_kind(sub, kind, &v);
    if (r != 0) {
        return r < 0 ? -1 : 0;
    }
    Py_ssize_t n = _PyUnicode_CountSub(kind,
                                       (const char *)PyUnicode_DATA(str) +
                                       start * kind, end - start, kind,
                                       v.data, v.len, PY_SSIZE_T_MAX);
    view_release(&v);
    return n;
}

int
PyUnicode_Contains(PyObject *str, PyObject *sub)
{
    if (!PyUnicode_Check(sub)) {
        PyErr_Format(PyExc_TypeError,
                     "'in <string>' requires string as left operand, not %.100s",
                     Py_TYPE(sub)->tp_name);
        return -1;
    }
    if (require_str(str, NULL) < 0) {
        return -1;
    }
    Py_ssize_t pos = find_impl(str, sub, 0, PY_SSIZE_T_MAX, 1);
    if (pos == -2) {
        return -1;
    }
    return pos >= 0;
}

/* ------------------------------------------------------ subscript */

PyObject *
_PyUnicode_Subscript(PyObject *self, PyObject *item)
{
    Py_ssize_t len = PyUnicode_GET_LENGTH(self);
    if (PyIndex_Check(item)) {
        Py_ssize_t i = PyNumber_AsSsize_t(item, PyExc_IndexError);
        if (i == -1 && PyErr_Occurred()) {
            return NULL;
        }
        if (i < 0) {
            i += len;
        }
        if (i < 0 || i >= len) {
            PyErr_SetString(PyExc_IndexError, "string index out of range");
            return NULL;
        }
        return _PyUnicode_FromOrdinal(PyUnicode_READ_CHAR(self, i));
    }
    if (PySlice_Check(item)) {
        Py_ssize_t start, stop, step;
        if (PySlice_Unpack(item, &start, &stop, &step) < 0) {
            return NULL;
        }
        Py_ssize_t n = PySlice_AdjustIndices(len, &start, &stop, step);
        if (n <= 0) {
            return _PyUnicode_GetEmpty();
        }
        if (step == 1) {
            return PyUnicode_Substring(self, start, stop);
        }
        int kind = PyUnicode_KIND(self);
        const void *data = PyUnicode_DATA(self);
        Py_UCS4 m = 0;
        for (Py_ssize_t i = 0, j = start; i < n; i++, j += step) {
            Py_UCS4 c = PyUnicode_READ(kind, data, j);
            if (c > m) {
                m = c;
            }
        }
        PyObject *res = PyUnicode_New(n, m);
        if (res == NULL) {
            return NULL;
        }
        int rk = PyUnicode_KIND(res);
        void *rd = PyUnicode_DATA(res);
        for (Py_ssize_t i = 0, j = start; i < n; i++, j += step) {
            PyUnicode_WRITE(rk, rd, i, PyUnicode_READ(kind, data, j));
        }
        return res;
    }
    PyErr_Format(PyExc_TypeError,
                 "string indices must be integers, not '%.200s'",
                 Py_TYPE(item)->tp_name);
    return NULL;
}

/* ------------------------------------------------------ repeat, join */

PyObject *
_PyUnicode_Repeat(PyObject *str, Py_ssize_t n)
{
    Py_ssize_t len = PyUnicode_GET_LENGTH(str);
    if (n < 1 || len == 0) {
        return _PyUnicode_GetEmpty();
    }
    if (n == 1) {
        return PyUnicode_FromObject(str);
    }
    if (len > PY_SSIZE_T_MAX / n) {
        PyErr_SetString(PyExc_OverflowError, "repeated string is too long");
        return NULL;
    }
    Py_ssize_t total = len * n;
    PyObject *res = PyUnicode_New(total, PyUnicode_MAX_CHAR_VALUE(str));
    if (res == NULL) {
        return NULL;
    }
    int kind = PyUnicode_KIND(str);
    char *to = PyUnicode_DATA(res);
    size_t chunk = (size_t)len * kind;
    memcpy(to, PyUnicode_DATA(str), chunk);
    /* Double the filled prefix each step. */
    size_t done = chunk, all = (size_t)total * kind;
    while (done < all) {
        size_t c = Py_MIN(done, all - done);
        memcpy(to + done, to, c);
        done += c;
    }
    return res;
}

PyObject *
_PyUnicode_JoinArray(PyObject *sep, PyObject *const *items,
                     Py_ssize_t seqlen)
{
    if (seqlen == 0) {
        return _PyUnicode_GetEmpty();
    }
    if (seqlen == 1 && PyUnicode_CheckExact(items[0])) {
        return Py_NewRef(items[0]);
    }
    Py_ssize_t seplen = sep ? PyUnicode_GET_LENGTH(sep) : 0;
    Py_UCS4 maxchar = sep ? PyUnicode_MAX_CHAR_VALUE(sep) : 0;
    Py_ssize_t total = 0;
    for (Py_ssize_t i = 0; i < seqlen; i++) {
        PyObject *item = items[i];
        if (!PyUnicode_Check(item)) {
            PyErr_Format(PyExc_TypeError,
                         "sequence item %zd: expected str instance, "
                         "%.80s found", i, Py_TYPE(item)->tp_name);
            return NULL;
        }
        Py_ssize_t add = PyUnicode_GET_LENGTH(item) + (i ? seplen : 0);
        if (total > PY_SSIZE_T_MAX - add) {
            PyErr_SetString(PyExc_OverflowError,
                            "join() result is too long for a Python string");
            return NULL;
        }
        total += add;
        maxchar = Py_MAX(maxchar, PyUnicode_MAX_CHAR_VALUE(item));
    }
    PyObject *res = PyUnicode_New(total, maxchar);
    if (res == NULL) {
        return NULL;
    }
    Py_ssize_t pos = 0;
    for (Py_ssize_t i = 0; i < seqlen; i++) {
        if (i && seplen) {
            _PyUnicode_FastCopyCharacters(res, pos, sep, 0, seplen);
            pos += seplen;
        }
        Py_ssize_t n = PyUnicode_GET_LENGTH(items[i]);
        _PyUnicode_FastCopyCharacters(res, pos, items[i], 0, n);
        pos += n;
    }
    return res;
}

PyObject *
PyUnicode_Join(PyObject *separator, PyObject *seq)
{
    if (separator != NULL && require_str(separator, NULL) < 0) {
        return NULL;
    }
    PyObject *fseq = PySequence_Fast(seq, "can only join an iterable");
    if (fseq == NULL) {
        return NULL;
    }
    PyObject *res;
    /* A list may be mutated by another thread meanwhile: join a snapshot
       taken under its lock. */
    if (PyList_CheckExact(fseq)) {
        PyObject *tuple = PyList_AsTuple(fseq);
        Py_DECREF(fseq);
        if (tuple == NULL) {
            return NULL;
        }
        fseq = tuple;
    }
    res = _PyUnicode_JoinArray(separator, PySequence_Fast_ITEMS(fseq),
                               PySequence_Fast_GET_SIZE(fseq));
    Py_DECREF(fseq);
    return res;
}

/* ------------------------------------------------------ replace */

static PyObject *
replace_impl(PyObject *self, PyObject *old, PyObject *new,
             Py_ssize_t maxcount)
{
    if (maxcount < 0) {
        maxcount = PY_SSIZE_T_MAX;
    }
    Py_ssize_t len = PyUnicode_GET_LENGTH(self);
    Py_ssize_t oldlen = PyUnicode_GET_LENGTH(old);
    Py_ssize_t newlen = PyUnicode_GET_LENGTH(new);
    int kind = PyUnicode_KIND(self);
    const char *data = PyUnicode_DATA(self);
    strview v;
    int r = view_as_kind(old, kind, &v);
    if (r < 0) {
        return NULL;
    }
    if (r > 0 || maxcount == 0 || oldlen > len) {
        return PyUnicode_FromObject(self);
    }
    Py_ssize_t count = _PyUnicode_CountSub(kind, data, len, kind, v.data,
                                           v.len, maxcount);
    if (count == 0) {
        view_release(&v);
        return PyUnicode_FromObject(self);
    }
    if (newlen > oldlen &&
        count > (PY_SSIZE_T_MAX - len) / (newlen - oldlen)) {
        view_release(&v);
        PyErr_SetString(PyExc_OverflowError,
                        "replace string is too long");
        return NULL;
    }
    Py_ssize_t total = len + count * (newlen - oldlen);
    Py_UCS4 m = Py_MAX(PyUnicode_MAX_CHAR_VALUE(self),
                       PyUnicode_MAX_CHAR_VALUE(new));
    PyObject *res = PyUnicode_New(total, m);
    if (res == NULL) {
        view_release(&v);
        return NULL;
    }
    Py_ssize_t i = 0, o = 0;
    for (Py_ssize_t c = 0; c < count; c++) {
        Py_ssize_t j;
        if (oldlen == 0) {
            j = c == 0 ? 0 : 1;
        }
        else {
            j = _PyUnicode_FindSub(kind, data + i * kind, len - i, kind,
                                   v.data, v.len, 1);
        }
        _PyUnicode_FastCopyCharacters(res, o, self, i, j);
        o += j;
        i += j;
        _PyUnicode_FastCopyCharacters(res, o, new, 0, newlen);
        o += newlen;
        i += oldlen;
    }
    _PyUnicode_FastCopyCharacters(res, o, self, i, len - i);
    view_release(&v);
    /* The result may have lost the widest characters of self. */
    Py_UCS4 real = _PyUnicode_FindMaxChar(PyUnicode_KIND(res),
                                          PyUnicode_DATA(res), 0, total);
    if (real < 128 ? !PyUnicode_IS_ASCII(res) :
        (real < 256 ? PyUnicode_KIND(res) != 1 :
         (real < 65536 ? PyUnicode_KIND(res) != 2 : 0))) {
        PyObject *c = PyUnicode_FromKindAndData(PyUnicode_KIND(res),
                                                PyUnicode_DATA(res), total);
        Py_DECREF(res);
        return c;
    }
    return res;
}

PyObject *
PyUnicode_Replace(PyObject *str, PyObject *substr, PyObject *replstr,
                  Py_ssize_t maxcount)
{
    if (require_str(str, NULL) < 0 || require_str(substr, NULL) < 0 ||
        require_str(replstr, NULL) < 0) {
        return NULL;
    }
    return replace_impl(str, substr, replstr, maxcount);
}

/* ------------------------------------------------------ split */

static int
append_sub(PyObject *list, PyObject *str, Py_ssize_t start, Py_ssize_t end)
{
    PyObject *s = PyUnicode_Substring(str, start, end);
    if (s == NULL) {
        return -1;
    }
    int r = PyList_Append(list, s);
    Py_DECREF(s);
    return r;
}

static PyObject *
split_whitespace(PyObject *self, Py_ssize_t maxcount)
{
    Py_ssize_t len = PyUnicode_GET_LENGTH(self);
    int kind = PyUnicode_KIND(self);
    const void *data = PyUnicode_DATA(self);
    PyObject *list = PyList_New(0);
    if (list == NULL) {
        return NULL;
    }
    Py_ssize_t i = 0;
    while (maxcount-- > 0) {
        while (i < len &&
               _PyUnicode_IsWhitespace(PyUnicode_READ(kind, data, i))) {
            i++;
        }
        if (i == len) {
            return list;
        }
        Py_ssize_t j = i;
        while (i < len &&
               !_PyUnicode_IsWhitespace(PyUnicode_READ(kind, data, i))) {
            i++;
        }
        if (append_sub(list, self, j, i) < 0) {
            goto error;
        }
    }
    while (i < len &&
           _PyUnicode_IsWhitespace(PyUnicode_READ(kind, data, i))) {
        i++;
    }
    if (i != len && append_sub(list, self, i, len) < 0) {
        goto error;
    }
    return list;
error:
    Py_DECREF(list);
    return NULL;
}

static PyObject *
rsplit_whitespace(PyObject *self, Py_ssize_t maxcount)
{
    Py_ssize_t len = PyUnicode_GET_LENGTH(self);
    int kind = PyUnicode_KIND(self);
    const void *data = PyUnicode_DATA(self);
    PyObject *list = PyList_New(0);
    if (list == NULL) {
        return NULL;
    }
    Py_ssize_t i = len - 1;
    while (maxcount-- > 0) {
        while (i >= 0 &&
               _PyUnicode_IsWhitespace(PyUnicode_READ(kind, data, i))) {
            i--;
        }
        if (i < 0) {
            break;
        }
        Py_ssize_t j = i;
        while (i >= 0 &&
               !_PyUnicode_IsWhitespace(PyUnicode_READ(kind, data, i))) {
            i--;
        }
        if (append_sub(list, self, i + 1, j + 1) < 0) {
            goto error;
        }
    }
    if (i >= 0) {
        while (i >= 0 &&
               _PyUnicode_IsWhitespace(PyUnicode_READ(kind, data, i))) {
            i--;
        }
        if (i >= 0 && append_sub(list, self, 0, i + 1) < 0) {
            goto error;
        }
    }
    if (PyList_Reverse(list) < 0) {
        goto error;
    }
    return list;
error:
    Py_DECREF(list);
    return NULL;
}

static PyObject *
split_impl(PyObject *self, PyObject *sep, Py_ssize_t maxcount, int right)
{
    if (maxcount < 0) {
        maxcount = PY_SSIZE_T_MAX;
    }
    if (sep == NULL || sep == Py_None) {
        return right ? rsplit_whitespace(self, maxcount)
                     : split_whitespace(self, maxcount);
    }
    if (!PyUnicode_Check(sep)) {
        PyErr_Format(PyExc_TypeError, "must be str or None, not %.100s",
                     Py_TYPE(sep)->tp_name);
        return NULL;
    }
    Py_ssize_t seplen = PyUnicode_GET_LENGTH(sep);
    if (seplen == 0) {
        PyErr_SetString(PyExc_ValueError, "empty separator");
        return NULL;
    }
    Py_ssize_t len = PyUnicode_GET_LENGTH(self);
    int kind = PyUnicode_KIND(self);
    const char *data = PyUnicode_DATA(self);
    PyObject *list = PyList_New(0);
    if (list == NULL) {
        return NULL;
    }
    strview v;
    int r = view_as_kind(sep, kind, &v);
    if (r < 0) {
        goto error;
    }
    if (r > 0) {
        maxcount = 0;   /* cannot occur */
    }
    if (!right) {
        Py_ssize_t i = 0;
        while (maxcount-- > 0) {
            Py_ssize_t j = _PyUnicode_FindSub(kind, data + i * kind, len - i,
                                              kind, v.data, v.len, 1);
            if (j < 0) {
                break;
            }
            if (append_sub(list, self, i, i + j) < 0) {
                goto error_view;
            }
            i += j + seplen;
        }
        if (append_sub(list, self, i, len) < 0) {
            goto error_view;
        }
    }
    else {
        Py_ssize_t end = len;
        while (maxcount-- > 0) {
            Py_ssize_t j = _PyUnicode_FindSub(kind, data, end, kind, v.data,
                                              v.len, -1);
            if (j < 0) {
                break;
            }
            if (append_sub(list, self, j + seplen, end) < 0) {
                goto error_view;
            }
            end = j;
        }
        if (append_sub(list, self, 0, end) < 0 ||
            PyList_Reverse(list) < 0) {
            goto error_view;
        }
    }
    view_release(&v);
    return list;
error_view:
    view_release(&v);
error:
    Py_DECREF(list);
    return NULL;
}

PyObject *
PyUnicode_Split(PyObject *s, PyObject *sep, Py_ssize_t maxsplit)
{
    if (require_str(s, NULL) < 0) {
        return NULL;
    }
    return split_impl(s, sep, maxsplit, 0);
}

PyObject *
PyUnicode_RSplit(PyObject *s, PyObject *sep, Py_ssize_t maxsplit)
{
    if (require_str(s, NULL) < 0) {
        return NULL;
    }
    return split_impl(s, sep, maxsplit, 1);
}

PyObject *
PyUnicode_Splitlines(PyObject *self, int keepends)
{
    Py_ssize_t len = PyUnicode_GET_LENGTH(self);
    int kind = PyUnicode_KIND(self);
    const void *data = PyUnicode_DATA(self);
    PyObject *list = PyList_New(0);
    if (list == NULL) {
        return NULL;
    }
    Py_ssize_t i = 0;
    while (i < len) {
        Py_ssize_t j = i;
        while (i < len &&
               !_PyUnicode_IsLinebreak(PyUnicode_READ(kind, data, i))) {
            i++;
        }
        Py_ssize_t eol = i;
        if (i < len) {
            if (PyUnicode_READ(kind, data, i) == '\r' && i + 1 < len &&
                PyUnicode_READ(kind, data, i + 1) == '\n') {
                i += 2;
            }
            else {
                i++;
            }
            if (keepends) {
                eol = i;
            }
        }
        if (append_sub(list, self, j, eol) < 0) {
            Py_DECREF(list);
            return NULL;
        }
    }
    return list;
}

static PyObject *
partition_impl(PyObject *self, PyObject *sep, int right)
{
    if (!PyUnicode_Check(sep)) {
        PyErr_Format(PyExc_TypeError, "must be str, not %.100s",
                     Py_TYPE(sep)->tp_name);
        return NULL;
    }
    if (PyUnicode_GET_LENGTH(sep) == 0) {
        PyErr_SetString(PyExc_ValueError, "empty separator");
        return NULL;
    }
    Py_ssize_t len = PyUnicode_GET_LENGTH(self);
    Py_ssize_t pos = find_impl(self, sep, 0, len, right ? -1 : 1);
    if (pos == -2) {
        return NULL;
    }
    PyObject *empty = _PyUnicode_GetEmpty();
    if (pos < 0) {
        PyObject *whole = PyUnicode_FromObject(self);
        if (whole == NULL) {
            return NULL;
        }
        return right ? Py_BuildValue("(OON)", empty, empty, whole)
                     : Py_BuildValue("(NOO)", whole, empty, empty);
    }
    PyObject *a = PyUnicode_Substring(self, 0, pos);
    PyObject *c = PyUnicode_Substring(self, pos + PyUnicode_GET_LENGTH(sep),
                                      len);
    if (a == NULL || c == NULL) {
        Py_XDECREF(a);
        Py_XDECREF(c);
        return NULL;
    }
    return Py_BuildValue("(NON)", a, sep, c);
}

PyObject *
PyUnicode_Partition(PyObject *s, PyObject *sep)
{
    return partition_impl(s, sep, 0);
}

PyObject *
PyUnicode_RPartition(PyObject *s, PyObject *sep)
{
    return partition_impl(s, sep, 1);
}

/* ------------------------------------------------------ tailmatch */

static int
tailmatch(PyObject *self, PyObject *sub, Py_ssize_t start, Py_ssize_t end,
          int direction)
{
    Py_ssize_t len = PyUnicode_GET_LENGTH(self);
    Py_ssize_t sublen = PyUnicode_GET_LENGTH(sub);
    adjust_indices(&start, &end, len);
    end -= sublen;
    if (end < start) {
        return 0;
    }
    if (sublen == 0) {
        return 1;
    }
    Py_ssize_t at = direction > 0 ? end : start;
    int k1 = PyUnicode_KIND(self), k2 = PyUnicode_KIND(sub);
    const void *d1 = PyUnicode_DATA(self), *d2 = PyUnicode_DATA(sub);
    if (k1 == k2) {
        return memcmp((const char *)d1 + at * k1, d2, (size_t)sublen * k1)
               == 0;
    }
    for (Py_ssize_t i = 0; i < sublen; i++) {
        if (PyUnicode_READ(k1, d1, at + i) != PyUnicode_READ(k2, d2, i)) {
            return 0;
        }
    }
    return 1;
}

Py_ssize_t
PyUnicode_Tailmatch(PyObject *str, PyObject *substr, Py_ssize_t start,
                    Py_ssize_t end, int direction)
{
    if (require_str(str, NULL) < 0 || require_str(substr, NULL) < 0) {
        return -1;
    }
    return tailmatch(str, substr, start, end, direction);
}

static PyObject *
startsendswith(PyObject *self, PyObject *args, const char *name,
               int direction)
{
    PyObject *sub;
    Py_ssize_t start, end;
    if (parse_sub_args(name, args, &sub, &start, &end) < 0) {
        return NULL;
    }
    if (PyTuple_Check(sub)) {
        for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(sub); i++) {
            PyObject *s = PyTuple_GET_ITEM(sub, i);
            if (!PyUnicode_Check(s)) {
                PyErr_Format(PyExc_TypeError,
                             "tuple for %s must only contain str, "
                             "not %.100s", name, Py_TYPE(s)->tp_name);
                return NULL;
            }
            if (tailmatch(self, s, start, end, direction)) {
                Py_RETURN_TRUE;
            }
        }
        Py_RETURN_FALSE;
    }
    if (!PyUnicode_Check(sub)) {
        PyErr_Format(PyExc_TypeError,
                     "%s first arg must be str or a tuple of str, not %.100s",
                     name, Py_TYPE(sub)->tp_name);
        return NULL;
    }
    return PyBool_FromLong(tailmatch(self, sub, start, end, direction));
}

static PyObject *
unicode_startswith(PyObject *self, PyObject *args)
{
    return startsendswith(self, args, "startswith", -1);
}

static PyObject *
unicode_endswith(PyObject *self, PyObject *args)
{
    return startsendswith(self, args, "endswith", 1);
}

/* ------------------------------------------------------ find family */

static PyObject *
find_method(PyObject *self, PyObject *args, const char *name, int direction,
            int raise)
{
    PyObject *sub;
    Py_ssize_t start, end;
    if (parse_sub_args(name, args, &sub, &start, &end) < 0) {
        return NULL;
    }
    if (require_str(sub, NULL) < 0) {
        return NULL;
    }
    Py_ssize_t pos = find_impl(self, sub, start, end, direction);
    if (pos == -2) {
        return NULL;
    }
    if (pos == -1 && raise) {
        PyErr_SetString(PyExc_ValueError, "substring not found");
        return NULL;
    }
    return PyLong_FromSsize_t(pos);
}

static PyObject *
unicode_find(PyObject *self, PyObject *args)
{
    return find_method(self, args, "find", 1, 0);
}

static PyObject *
unicode_rfind(PyObject *self, PyObject *args)
{
    return find_method(self, args, "rfind", -1, 0);
}

static PyObject *
unicode_index(PyObject *self, PyObject *args)
{
    return find_method(self, args, "index", 1, 1);
}

static PyObject *
unicode_rindex(PyObject *self, PyObject *args)
{
    return find_method(self, args, "rindex", -1, 1);
}

static PyObject *
unicode_count(PyObject *self, PyObject *args)
{
    PyObject *sub;
    Py_ssize_t start, end;
    if (parse_sub_args("count", args, &sub, &start, &end) < 0) {
        return NULL;
    }
    if (require_str(sub, NULL) < 0) {
        return NULL;
    }
    Py_ssize_t n;
    Py_ssize_t len = PyUnicode_GET_LENGTH(self);
    adjust_indices(&start, &end, len);
    if (PyUnicode_GET_LENGTH(sub) == 0) {
        n = start > len ? 0 : (end >= start ? end - start + 1 : 0);
    }
    else {
        n = PyUnicode_Count(self, sub, start, end);
        if (n < 0) {
            return NULL;
        }
    }
    return PyLong_FromSsize_t(n);
}

static PyObject *
unicode_replace(PyObject *self, PyObject *args)
{
    PyObject *old, *new;
    Py_ssize_t count = -1;
    if (!PyArg_ParseTuple(args, "UU|n:replace", &old, &new, &count)) {
        return NULL;
    }
    return replace_impl(self, old, new, count);
}

static PyObject *
unicode_split(PyObject *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"sep", "maxsplit", NULL};
    PyObject *sep = Py_None;
    Py_ssize_t maxsplit = -1;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|On:split", kwlist, &sep,
                                     &maxsplit)) {
        return NULL;
    }
    return split_impl(self, sep, maxsplit, 0);
}

static PyObject *
unicode_rsplit(PyObject *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"sep", "maxsplit", NULL};
    PyObject *sep = Py_None;
    Py_ssize_t maxsplit = -1;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|On:rsplit", kwlist, &sep,
                                     &maxsplit)) {
        return NULL;
    }
    return split_impl(self, sep, maxsplit, 1);
}

static PyObject *
unicode_splitlines(PyObject *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"keepends", NULL};
    int keepends = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|p:splitlines", kwlist,
                                     &keepends)) {
        return NULL;
    }
    return PyUnicode_Splitlines(self, keepends);
}

static PyObject *
unicode_partition(PyObject *self, PyObject *sep)
{
    return partition_impl(self, sep, 0);
}

static PyObject *
unicode_rpartition(PyObject *self, PyObject *sep)
{
    return partition_impl(self, sep, 1);
}

static PyObject *
unicode_join(PyObject *self, PyObject *seq)
{
    return PyUnicode_Join(self, seq);
}

/* ------------------------------------------------------ strip */

#define STRIP_LEFT 1
#define STRIP_RIGHT 2

static int
in_chars(Py_UCS4 ch, PyObject *chars)
{
    if (chars == NULL) {
        return _PyUnicode_IsWhitespace(ch);
    }
    return PyUnicode_FindChar(chars, ch, 0, PyUnicode_GET_LENGTH(chars), 1)
           >= 0;
}

static PyObject *
strip_impl(PyObject *self, PyObject *args, int how, const char *name)
{
    PyObject *chars = NULL;
    if (!PyArg_UnpackTuple(args, name, 0, 1, &chars)) {
        return NULL;
    }
    if (chars == Py_None) {
        chars = NULL;
    }
    if (chars != NULL && !PyUnicode_Check(chars)) {
        PyErr_Format(PyExc_TypeError, "%s arg must be None or str", name);
        return NULL;
    }
    Py_ssize_t len = PyUnicode_GET_LENGTH(self);
    int kind = PyUnicode_KIND(self);
    const void *data = PyUnicode_DATA(self);
    Py_ssize_t i = 0, j = len;
    if (how & STRIP_LEFT) {
        while (i < len && in_chars(PyUnicode_READ(kind, data, i), chars)) {
            i++;
        }
    }
    if (how & STRIP_RIGHT) {
        while (j > i && in_chars(PyUnicode_READ(kind, data, j - 1), chars)) {
            j--;
        }
    }
    return PyUnicode_Substring(self, i, j);
}

static PyObject *
unicode_strip(PyObject *self, PyObject *args)
{
    return strip_impl(self, args, STRIP_LEFT | STRIP_RIGHT, "strip");
}

static PyObject *
unicode_lstrip(PyObject *self, PyObject *args)
{
    return strip_impl(self, args, STRIP_LEFT, "lstrip");
}

static PyObject *
unicode_rstrip(PyObject *self, PyObject *args)
{
    return strip_impl(self, args, STRIP_RIGHT, "rstrip");
}

static PyObject *
unicode_removeprefix(PyObject *self, PyObject *prefix)
{
    if (require_str(prefix, NULL) < 0) {
        return NULL;
    }
    if (tailmatch(self, prefix, 0, PY_SSIZE_T_MAX, -1)) {
        return PyUnicode_Substring(self, PyUnicode_GET_LENGTH(prefix),
                                   PyUnicode_GET_LENGTH(self));
    }
    return PyUnicode_FromObject(self);
}

static PyObject *
unicode_removesuffix(PyObject *self, PyObject *suffix)
{
    if (require_str(suffix, NULL) < 0) {
        return NULL;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(suffix);
    if (n && tailmatch(self, suffix, 0, PY_SSIZE_T_MAX, 1)) {
        return PyUnicode_Substring(self, 0, PyUnicode_GET_LENGTH(self) - n);
    }
    return PyUnicode_FromObject(self);
}

/* ------------------------------------------------------ padding */

static PyObject *
pad(PyObject *self, Py_ssize_t left, Py_ssize_t right, Py_UCS4 fill)
{
    if (left < 0) {
        left = 0;
    }
    if (right < 0) {
        right = 0;
    }
    if (left == 0 && right == 0) {
        return PyUnicode_FromObject(self);
    }
    Py_ssize_t len = PyUnicode_GET_LENGTH(self);
    if (left > PY_SSIZE_T_MAX - len || right > PY_SSIZE_T_MAX - len - left) {
        PyErr_SetString(PyExc_OverflowError, "padded string is too long");
        return NULL;
    }
    Py_UCS4 m = Py_MAX(PyUnicode_MAX_CHAR_VALUE(self), fill);
    PyObject *u = PyUnicode_New(left + len + right, m);
    if (u == NULL) {
        return NULL;
    }
    int kind = PyUnicode_KIND(u);
    void *data = PyUnicode_DATA(u);
    for (Py_ssize_t i = 0; i < left; i++) {
        PyUnicode_WRITE(kind, data, i, fill);
    }
    _PyUnicode_FastCopyCharacters(u, left, self, 0, len);
    for (Py_ssize_t i = 0; i < right; i++) {
        PyUnicode_WRITE(kind, data, left + len + i, fill);
    }
    return u;
}

static int
parse_width_fill(PyObject *args, const char *fmt, Py_ssize_t *width,
                 Py_UCS4 *fill)
{
    PyObject *ofill = NULL;
    if (!PyArg_ParseTuple(args, fmt, width, &ofill)) {
        return -1;
    }
    *fill = ' ';
    if (ofill != NULL) {
        if (!PyUnicode_Check(ofill)) {
            PyErr_Format(PyExc_TypeError,
                         "The fill character must be a unicode character, "
                         "not %.100s", Py_TYPE(ofill)->tp_name);
            return -1;
        }
        if (PyUnicode_GET_LENGTH(ofill) != 1) {
            PyErr_SetString(PyExc_TypeError,
                            "The fill character must be exactly one "
                            "character long");
            return -1;
        }
        *fill = PyUnicode_READ_CHAR(ofill, 0);
    }
    return 0;
}

static PyObject *
unicode_center(PyObject *self, PyObject *args)
{
    Py_ssize_t width;
    Py_UCS4 fill;
    if (parse_width_fill(args, "n|O:center", &width, &fill) < 0) {
        return NULL;
    }
    Py_ssize_t len = PyUnicode_GET_LENGTH(self);
    if (width <= len) {
        return PyUnicode_FromObject(self);
    }
    Py_ssize_t marg = width - len;
    Py_ssize_t left = marg / 2 + (marg & width & 1);
    return pad(self, left, marg - left, fill);
}

static PyObject *
unicode_ljust(PyObject *self, PyObject *args)
{
    Py_ssize_t width;
    Py_UCS4 fill;
    if (parse_width_fill(args, "n|O:ljust", &width, &fill) < 0) {
        return NULL;
    }
    return pad(self, 0, width - PyUnicode_GET_LENGTH(self), fill);
}

static PyObject *
unicode_rjust(PyObject *self, PyObject *args)
{
    Py_ssize_t width;
    Py_UCS4 fill;
    if (parse_width_fill(args, "n|O:rjust", &width, &fill) < 0) {
        return NULL;
    }
    return pad(self, width - PyUnicode_GET_LENGTH(self), 0, fill);
}

static PyObject *
unicode_zfill(PyObject *self, PyObject *arg)
{
    Py_ssize_t width = PyNumber_AsSsize_t(arg, PyExc_OverflowError);
    if (width == -1 && PyErr_Occurred()) {
        return NULL;
    }
    Py_ssize_t len = PyUnicode_GET_LENGTH(self);
    if (width <= len) {
        return PyUnicode_FromObject(self);
    }
    PyObject *u = pad(self, width - len, 0, '0');
    if (u == NULL) {
        return NULL;
    }
    int kind = PyUnicode_KIND(u);
    void *data = PyUnicode_DATA(u);
    Py_UCS4 c = PyUnicode_READ(kind, data, width - len);
    if (c == '+' || c == '-') {
        PyUnicode_WRITE(kind, data, 0, c);
        PyUnicode_WRITE(kind, data, width - len, '0');
    }
    return u;
}

/* ------------------------------------------------------ case mapping */

static PyObject *
case_map(PyObject *self, _PyUnicode_CaseOp op)
{
    Py_ssize_t len = PyUnicode_GET_LENGTH(self);
    if (len == 0) {
        return _PyUnicode_GetEmpty();
    }
    if ((size_t)len > PY_SSIZE_T_MAX / (sizeof(Py_UCS4) * 3)) {
        return PyErr_NoMemory();
    }
    Py_UCS4 *out = PyMem_Malloc(sizeof(Py_UCS4) * 3 * (size_t)len);
    if (out == NULL) {
        return PyErr_NoMemory();
    }
    size_t n = _PyUnicode_CaseMap(op, PyUnicode_KIND(self),
                                  PyUnicode_DATA(self), (size_t)len, out);
    PyObject *res = _PyUnicode_FromUCS4(out, (Py_ssize_t)n);
    PyMem_Free(out);
    return res;
}

static PyObject *
unicode_lower(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    if (PyUnicode_IS_ASCII(self)) {
        Py_ssize_t len = PyUnicode_GET_LENGTH(self);
        PyObject *res = PyUnicode_New(len, 127);
        if (res == NULL) {
            return NULL;
        }
        const Py_UCS1 *s = PyUnicode_1BYTE_DATA(self);
        Py_UCS1 *d = PyUnicode_1BYTE_DATA(res);
        for (Py_ssize_t i = 0; i < len; i++) {
            Py_UCS1 c = s[i];
            d[i] = (c >= 'A' && c <= 'Z') ? (Py_UCS1)(c + 32) : c;
        }
        return res;
    }
    return case_map(self, _PyUnicode_CASE_LOWER);
}

static PyObject *
unicode_upper(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    if (PyUnicode_IS_ASCII(self)) {
        Py_ssize_t len = PyUnicode_GET_LENGTH(self);
        PyObject *res = PyUnicode_New(len, 127);
        if (res == NULL) {
            return NULL;
        }
        const Py_UCS1 *s = PyUnicode_1BYTE_DATA(self);
        Py_UCS1 *d = PyUnicode_1BYTE_DATA(res);
        for (Py_ssize_t i = 0; i < len; i++) {
            Py_UCS1 c = s[i];
            d[i] = (c >= 'a' && c <= 'z') ? (Py_UCS1)(c - 32) : c;
        }
        return res;
    }
    return case_map(self, _PyUnicode_CASE_UPPER);
}

static PyObject *
unicode_title(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    return case_map(self, _PyUnicode_CASE_TITLE);
}

static PyObject *
unicode_capitalize(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    return case_map(self, _PyUnicode_CASE_CAPITALIZE);
}

static PyObject *
unicode_swapcase(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    return case_map(self, _PyUnicode_CASE_SWAPCASE);
}

static PyObject *
unicode_casefold(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    return case_map(self, _PyUnicode_CASE_CASEFOLD);
}

/* ------------------------------------------------------ predicates */

/* 1 if every character satisfies pred (and the string is not empty,
   unless empty_ok). */
static PyObject *
all_chars(PyObject *self, int (*pred)(Py_UCS4), int empty_ok)
{
    Py_ssize_t len = PyUnicode_GET_LENGTH(self);
    if (len == 0) {
        return PyBool_FromLong(empty_ok);
    }
    int kind = PyUnicode_KIND(self);
    const void *data = PyUnicode_DATA(self);
    for (Py_ssize_t i = 0; i < len; i++) {
        if (!pred(PyUnicode_READ(kind, data, i))) {
            Py_RETURN_FALSE;
        }
    }
    Py_RETURN_TRUE;
}

#define PREDICATE(NAME, FUNC, EMPTY_OK)                               \
    static PyObject *                                                 \
    unicode_##NAME(PyObject *self, PyObject *Py_UNUSED(ignored))      \
    {                                                                 \
        return all_chars(self, FUNC, EMPTY_OK);                       \
    }

PREDICATE(isspace, _PyUnicode_IsWhitespace, 0)
PREDICATE(isalpha, _PyUnicode_IsAlpha, 0)
PREDICATE(isdecimal, _PyUnicode_IsDecimalDigit, 0)
PREDICATE(isdigit, _PyUnicode_IsDigit, 0)
PREDICATE(isnumeric, _PyUnicode_IsNumeric, 0)
PREDICATE(isalnum, _PyUnicode_IsAlnum, 0)
PREDICATE(isprintable, _PyUnicode_IsPrintable, 1)

static PyObject *
unicode_isascii(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    return PyBool_FromLong(PyUnicode_IS_ASCII(self));
}

static PyObject *
unicode_islower(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    Py_ssize_t len = PyUnicode_GET_LENGTH(self);
    int kind = PyUnicode_KIND(self);
    const void *data = PyUnicode_DATA(self);
    int cased = 0;
    for (Py_ssize_t i = 0; i < len; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        if (_PyUnicode_IsUppercase(ch) || _PyUnicode_IsTitlecase(ch)) {
            Py_RETURN_FALSE;
        }
        if (!cased && _PyUnicode_IsLowercase(ch)) {
            cased = 1;
        }
    }
    return PyBool_FromLong(cased);
}

static PyObject *
unicode_isupper(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    Py_ssize_t len = PyUnicode_GET_LENGTH(self);
    int kind = PyUnicode_KIND(self);
    const void *data = PyUnicode_DATA(self);
    int cased = 0;
    for (Py_ssize_t i = 0; i < len; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        if (_PyUnicode_IsLowercase(ch) || _PyUnicode_IsTitlecase(ch)) {
            Py_RETURN_FALSE;
        }
        if (!cased && _PyUnicode_IsUppercase(ch)) {
            cased = 1;
        }
    }
    return PyBool_FromLong(cased);
}

static PyObject *
unicode_istitle(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    Py_ssize_t len = PyUnicode_GET_LENGTH(self);
    int kind = PyUnicode_KIND(self);
    const void *data = PyUnicode_DATA(self);
    int cased = 0, previous_is_cased = 0;
    for (Py_ssize_t i = 0; i < len; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        if (_PyUnicode_IsUppercase(ch) || _PyUnicode_IsTitlecase(ch)) {
            if (previous_is_cased) {
                Py_RETURN_FALSE;
            }
            previous_is_cased = 1;
            cased = 1;
        }
        else if (_PyUnicode_IsLowercase(ch)) {
            if (!previous_is_cased) {
                Py_RETURN_FALSE;
            }
            previous_is_cased = 1;
            cased = 1;
        }
        else {
            previous_is_cased = 0;
        }
    }
    return PyBool_FromLong(cased);
}

int
PyUnicode_IsIdentifier(PyObject *self)
{
    Py_ssize_t len = PyUnicode_GET_LENGTH(self);
    if (len == 0) {
        return 0;
    }
    int kind = PyUnicode_KIND(self);
    const void *data = PyUnicode_DATA(self);
    Py_UCS4 ch = PyUnicode_READ(kind, data, 0);
    if (!_PyUnicode_IsXidStart(ch) && ch != '_') {
        return 0;
    }
    for (Py_ssize_t i = 1; i < len; i++) {
        if (!_PyUnicode_IsXidContinue(PyUnicode_READ(kind, data, i))) {
            return 0;
        }
    }
    return 1;
}

static PyObject *
unicode_isidentifier(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    return PyBool_FromLong(PyUnicode_IsIdentifier(self));
}


/* ------------------------------------------------------ tabs, translate */

static PyObject *
unicode_expandtabs(PyObject *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"tabsize", NULL};
    int tabsize = 8;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|i:expandtabs", kwlist,
                                     &tabsize)) {
        return NULL;
    }
    Py_ssize_t len = PyUnicode_GET_LENGTH(self);
    int kind = PyUnicode_KIND(self);
    const void *data = PyUnicode_DATA(self);
    /* First pass: the result length. */
    Py_ssize_t col = 0, total = 0;
    int found = 0;
    for (Py_ssize_t i = 0; i < len; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        if (ch == '\t') {
            found = 1;
            if (tabsize > 0) {
                Py_ssize_t add = tabsize - (col % tabsize);
                if (total > PY_SSIZE_T_MAX - add) {
                    goto overflow;
                }
                col += add;
                total += add;
            }
            continue;
        }
        if (total == PY_SSIZE_T_MAX) {
            goto overflow;
        }
        total++;
        col++;
        if (ch == '\n' || ch == '\r') {
            col = 0;
        }
    }
    if (!found) {
        return PyUnicode_FromObject(self);
    }
    PyObject *res = PyUnicode_New(total, PyUnicode_MAX_CHAR_VALUE(self));
    if (res == NULL) {
        return NULL;
    }
    int rkind = PyUnicode_KIND(res);
    void *rdata = PyUnicode_DATA(res);
    Py_ssize_t o = 0;
    col = 0;
    for (Py_ssize_t i = 0; i < len; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        if (ch == '\t') {
            if (tabsize > 0) {
                Py_ssize_t add = tabsize - (col % tabsize);
                col += add;
                while (add-- > 0) {
                    PyUnicode_WRITE(rkind, rdata, o++, ' ');
                }
            }
            continue;
        }
        PyUnicode_WRITE(rkind, rdata, o++, ch);
        col++;
        if (ch == '\n' || ch == '\r') {
            col = 0;
        }
    }
    return res;
overflow:
    PyErr_SetString(PyExc_OverflowError, "new string is too long");
    return NULL;
}

/* str.translate(table): table[ord(c)] is None (delete), an int (a code
   point) or a str; a LookupError leaves c unchanged. */
static PyObject *
unicode_translate(PyObject *self, PyObject *table)
{
    Py_ssize_t len = PyUnicode_GET_LENGTH(self);
    int kind = PyUnicode_KIND(self);
    const void *data = PyUnicode_DATA(self);
    _PyUnicodeWriter w;
    _PyUnicodeWriter_Init(&w);
    w.min_length = len;
    for (Py_ssize_t i = 0; i < len; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        PyObject *key = PyLong_FromLong((long)ch);
        if (key == NULL) {
            goto error;
        }
        PyObject *v = PyObject_GetItem(table, key);
        Py_DECREF(key);
        if (v == NULL) {
            if (!PyErr_ExceptionMatches(PyExc_LookupError)) {
                goto error;
            }
            PyErr_Clear();
            if (_PyUnicodeWriter_WriteChar(&w, ch) < 0) {
                goto error;
            }
            continue;
        }
        int r = 0;
        if (v == Py_None) {
            /* deleted */
        }
        else if (PyLong_Check(v)) {
            long c = PyLong_AsLong(v);
            if (c == -1 && PyErr_Occurred()) {
                if (PyErr_ExceptionMatches(PyExc_OverflowError)) {
                    PyErr_SetString(PyExc_ValueError, "character mapping "
                                    "must be in range(0x110000)");
                }
                r = -1;
            }
            else if (c < 0 || c > 0x10ffff) {
                PyErr_SetString(PyExc_ValueError,
                                "character mapping must be in "
                                "range(0x110000)");
                r = -1;
            }
            else {
                r = _PyUnicodeWriter_WriteChar(&w, (Py_UCS4)c);
            }
        }
        else if (PyUnicode_Check(v)) {
            r = _PyUnicodeWriter_WriteStr(&w, v);
        }
        else {
            PyErr_SetString(PyExc_TypeError,
                            "character mapping must return integer, None "
                            "or str");
            r = -1;
        }
        Py_DECREF(v);
        if (r < 0) {
            goto error;
        }
    }
    return _PyUnicodeWriter_Finish(&w);
error:
    _PyUnicodeWriter_Dealloc(&w);
    return NULL;
}

/* str.maketrans(x[, y[, z]]) */
static PyObject *
unicode_maketrans(PyObject *Py_UNUSED(null), PyObject *args)
{
    PyObject *x, *y = NULL, *z = NULL;
    if (!PyArg_UnpackTuple(args, "maketrans", 1, 3, &x, &y, &z)) {
        return NULL;
    }
    PyObject *table = PyDict_New();
    if (table == NULL) {
        return NULL;
    }
    if (y != NULL) {
        if (!PyUnicode_Check(x)) {
            PyErr_SetString(PyExc_TypeError,
                            "first maketrans argument must be a string if "
                            "there is a second argument");
            goto error;
        }
        if (!PyUnicode_Check(y)) {
            PyErr_Format(PyExc_TypeError,
                         "maketrans() argument 2 must be str, not %.50s",
                         Py_TYPE(y)->tp_name);
            goto error;
        }
        if (z != NULL && !PyUnicode_Check(z)) {
            PyErr_Format(PyExc_TypeError,
                         "maketrans() argument 3 must be str, not %.50s",
                         Py_TYPE(z)->tp_name);
            goto error;
        }
        Py_ssize_t n = PyUnicode_GET_LENGTH(x);
        if (n != PyUnicode_GET_LENGTH(y)) {
            PyErr_SetString(PyExc_ValueError,
                            "the first two maketrans arguments must have "
                            "equal length");
            goto error;
        }
        for (Py_ssize_t i = 0; i < n; i++) {
            PyObject *k = PyLong_FromLong((long)PyUnicode_READ_CHAR(x, i));
            PyObject *v = PyLong_FromLong((long)PyUnicode_READ_CHAR(y, i));
            int r = (k && v) ? PyDict_SetItem(table, k, v) : -1;
            Py_XDECREF(k);
            Py_XDECREF(v);
            if (r < 0) {
                goto error;
            }
        }
        if (z != NULL) {
            for (Py_ssize_t i = 0; i < PyUnicode_GET_LENGTH(z); i++) {
                PyObject *k = PyLong_FromLong(
                    (long)PyUnicode_READ_CHAR(z, i));
                int r = k ? PyDict_SetItem(table, k, Py_None) : -1;
                Py_XDECREF(k);
                if (r < 0) {
                    goto error;
                }
            }
        }
        return table;
    }
    if (!PyDict_CheckExact(x)) {
        PyErr_SetString(PyExc_TypeError,
                        "if you give only one argument to maketrans it "
                        "must be a dict");
        goto error;
    }
    PyObject *key, *value;
    Py_ssize_t pos = 0;
    while (PyDict_Next(x, &pos, &key, &value)) {
        PyObject *k;
        if (PyUnicode_Check(key)) {
            if (PyUnicode_GET_LENGTH(key) != 1) {
                PyErr_SetString(PyExc_ValueError,
                                "string keys in translate table must be of "
                                "length 1");
                goto error;
            }
            k = PyLong_FromLong((long)PyUnicode_READ_CHAR(key, 0));
        }
        else if (PyLong_Check(key)) {
            k = Py_NewRef(key);
        }
        else {
            PyErr_SetString(PyExc_TypeError,
                            "keys in translate table must be strings or "
                            "integers");
            goto error;
        }
        int r = k ? PyDict_SetItem(table, k, value) : -1;
        Py_XDECREF(k);
        if (r < 0) {
            goto error;
        }
    }
    return table;
error:
    Py_DECREF(table);
    return NULL;
}

/* ------------------------------------------------------ encode, misc */

static PyObject *
unicode_encode(PyObject *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"encoding", "errors", NULL};
    const char *encoding = NULL, *errors = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|ss:encode", kwlist,
                                     &encoding, &errors)) {
        return NULL;
    }
    return PyUnicode_AsEncodedString(self, encoding, errors);
}

static PyObject *
unicode_sizeof(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    Py_ssize_t size;
    Py_ssize_t len = PyUnicode_GET_LENGTH(self);
    if (PyUnicode_IS_COMPACT_ASCII(self)) {
        size = (Py_ssize_t)sizeof(PyASCIIObject) + len + 1;
    }
    else if (PyUnicode_IS_COMPACT(self)) {
        size = (Py_ssize_t)sizeof(PyCompactUnicodeObject) +
               (len + 1) * PyUnicode_KIND(self);
    }
    else {
        size = (Py_ssize_t)sizeof(PyUnicodeObject) +
               (len + 1) * PyUnicode_KIND(self);
    }
    if (!PyUnicode_IS_COMPACT_ASCII(self)) {
        const char *u = _Py_atomic_load_ptr_acquire(
            &_PyCompactUnicodeObject_CAST(self)->utf8);
        if (u != NULL && u != (const char *)PyUnicode_DATA(self)) {
            size += _PyCompactUnicodeObject_CAST(self)->utf8_length + 1;
        }
    }
    return PyLong_FromSsize_t(size);
}

static PyObject *
unicode_format(PyObject *self, PyObject *args, PyObject *kwds)
{
    return _PyUnicode_FormatMethod(self, args, kwds);
}

static PyObject *
unicode_format_map(PyObject *self, PyObject *mapping)
{
    PyObject *args = PyTuple_New(0);
    if (args == NULL) {
        return NULL;
    }
    PyObject *res = _PyUnicode_FormatMethod(self, args, mapping);
    Py_DECREF(args);
    return res;
}

static PyObject *
unicode_dunder_format(PyObject *self, PyObject *spec)
{
    if (!PyUnicode_Check(spec)) {
        PyErr_Format(PyExc_TypeError,
                     "__format__() argument must be str, not %.50s",
                     Py_TYPE(spec)->tp_name);
        return NULL;
    }
    return _PyUnicode_FormatSpec(self, spec);
}

static PyObject *
unicode_getnewargs(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    PyObject *copy = _PyUnicode_Copy(self);
    if (copy == NULL) {
        return NULL;
    }
    return Py_BuildValue("(N)", copy);
}

PyMethodDef _PyUnicode_Methods[] = {
    {"encode", _PyCFunction_CAST(unicode_encode),
     METH_VARARGS | METH_KEYWORDS, NULL},
    {"replace", unicode_replace, METH_VARARGS, NULL},
    {"split", _PyCFunction_CAST(unicode_split),
     METH_VARARGS | METH_KEYWORDS, NULL},
    {"rsplit", _PyCFunction_CAST(unicode_rsplit),
     METH_VARARGS | METH_KEYWORDS, NULL},
    {"join", unicode_join, METH_O, NULL},
    {"capitalize", unicode_capitalize, METH_NOARGS, NULL},
    {"casefold", unicode_casefold, METH_NOARGS, NULL},
    {"title", unicode_title, METH_NOARGS, NULL},
    {"center", unicode_center, METH_VARARGS, NULL},
    {"count", unicode_count, METH_VARARGS, NULL},
    {"find", unicode_find, METH_VARARGS, NULL},
    {"partition", unicode_partition, METH_O, NULL},
    {"index", unicode_index, METH_VARARGS, NULL},
    {"ljust", unicode_ljust, METH_VARARGS, NULL},
    {"lower", unicode_lower, METH_NOARGS, NULL},
    {"lstrip", unicode_lstrip, METH_VARARGS, NULL},
    {"rfind", unicode_rfind, METH_VARARGS, NULL},
    {"rindex", unicode_rindex, METH_VARARGS, NULL},
    {"rjust", unicode_rjust, METH_VARARGS, NULL},
    {"rstrip", unicode_rstrip, METH_VARARGS, NULL},
    {"rpartition", unicode_rpartition, METH_O, NULL},
    {"splitlines", _PyCFunction_CAST(unicode_splitlines),
     METH_VARARGS | METH_KEYWORDS, NULL},
    {"strip", unicode_strip, METH_VARARGS, NULL},
    {"swapcase", unicode_swapcase, METH_NOARGS, NULL},
    {"upper", unicode_upper, METH_NOARGS, NULL},
    {"startswith", unicode_startswith, METH_VARARGS, NULL},
    {"endswith", unicode_endswith, METH_VARARGS, NULL},
    {"removeprefix", unicode_removeprefix, METH_O, NULL},
    {"removesuffix", unicode_removesuffix, METH_O, NULL},
    {"isascii", unicode_isascii, METH_NOARGS, NULL},
    {"islower", unicode_islower, METH_NOARGS, NULL},
    {"isupper", unicode_isupper, METH_NOARGS, NULL},
    {"istitle", unicode_istitle, METH_NOARGS, NULL},
    {"isspace", unicode_isspace, METH_NOARGS, NULL},
    {"isdecimal", unicode_isdecimal, METH_NOARGS, NULL},
    {"isdigit", unicode_isdigit, METH_NOARGS, NULL},
    {"isnumeric", unicode_isnumeric, METH_NOARGS, NULL},
    {"isalpha", unicode_isalpha, METH_NOARGS, NULL},
    {"isalnum", unicode_isalnum, METH_NOARGS, NULL},
    {"isidentifier", unicode_isidentifier, METH_NOARGS, NULL},
    {"isprintable", unicode_isprintable, METH_NOARGS, NULL},
    {"zfill", unicode_zfill, METH_O, NULL},
    {"__sizeof__", unicode_sizeof, METH_NOARGS, NULL},
    {"__getnewargs__", unicode_getnewargs, METH_NOARGS, NULL},
    {"format", _PyCFunction_CAST(unicode_format),
     METH_VARARGS | METH_KEYWORDS, NULL},
    {"format_map", unicode_format_map, METH_O, NULL},
    {"__format__", unicode_dunder_format, METH_O, NULL},
    {"expandtabs", _PyCFunction_CAST(unicode_expandtabs),
     METH_VARARGS | METH_KEYWORDS, NULL},
    {"translate", unicode_translate, METH_O, NULL},
    {"maketrans", unicode_maketrans, METH_VARARGS | METH_STATIC, NULL},
    {NULL, NULL, 0, NULL}
};

