/* str: representation, creation, hashing, comparison, interning, and the
 * type object.  Codecs are in Objects/unicode/codecs.c, methods in
 * Objects/unicode/methods.c, PyUnicode_FromFormat, the writer and repr in
 * Objects/unicode/format.c.
 *
 * Thread safety: a str is immutable once another thread can see it.  The
 * only writes after that are the lazily filled caches:
 *   - hash: relaxed atomic load/store; racing threads store the same value.
 *   - utf8 (non-ASCII strings): built privately, published by CAS; the
 *     loser frees its copy.  Readers load it with acquire.
 *   - interned: written only on strings no other thread can reach (owned by
 *     the calling thread with an untouched shared count); other strings are
 *     interned by interning a fresh copy (PyUnicode_InternInPlace replaces
 *     the caller's reference).
 * The interned table is shared by all threads and guarded by a PyMutex.
 * Interned strings are immortal, so the table never drops an entry. */
#include "Python.h"
#include "pyhash.h"
#include "pycore_object.h"
#include "pycore_unicodeobject.h"
#include "pycore_unicodectype.h"

/* ------------------------------------------------------ static singletons */

/* The empty string, and the 256 one-character latin-1 strings: immortal
   statics built once at library load (plain stores, before any thread). */
typedef struct {
    PyASCIIObject base;
    Py_UCS1 data[2];
} static_ascii_str;

typedef struct {
    PyCompactUnicodeObject base;
    Py_UCS1 data[2];
} static_latin1_str;

static static_ascii_str empty_str;
static static_ascii_str ascii_chars[128];
static static_latin1_str latin1_chars[128];

static void
init_static_header(PyASCIIObject *op, Py_ssize_t length, int ascii)
{
    op->ob_base.ob_tid = 0;
    op->ob_base.ob_ref_local = _Py_IMMORTAL_REFCNT_LOCAL;
    op->ob_base.ob_ref_shared = 0;
    op->ob_base.ob_type = &PyUnicode_Type;
    op->length = length;
    op->hash = -1;
    op->state.interned = SSTATE_INTERNED_IMMORTAL_STATIC;
    op->state.kind = PyUnicode_1BYTE_KIND;
    op->state.compact = 1;
    op->state.ascii = ascii ? 1 : 0;
    op->state.statically_allocated = 1;
}

__attribute__((constructor)) static void
unicode_init_statics(void)
{
    init_static_header(&empty_str.base, 0, 1);
    empty_str.data[0] = 0;
    for (int i = 0; i < 128; i++) {
        init_static_header(&ascii_chars[i].base, 1, 1);
        ascii_chars[i].data[0] = (Py_UCS1)i;
        ascii_chars[i].data[1] = 0;
        init_static_header(&latin1_chars[i].base._base, 1, 0);
        latin1_chars[i].base.utf8 = NULL;
        latin1_chars[i].base.utf8_length = 0;
        latin1_chars[i].data[0] = (Py_UCS1)(128 + i);
        latin1_chars[i].data[1] = 0;
    }
}

PyObject *
_PyUnicode_GetEmpty(void)
{
    return (PyObject *)&empty_str;
}

PyObject *
_PyUnicode_Latin1Char(Py_UCS4 ch)
{
    assert(ch < 256);
    if (ch < 128) {
        return (PyObject *)&ascii_chars[ch];
    }
    return (PyObject *)&latin1_chars[ch - 128];
}

/* ------------------------------------------------------ allocation */

/* A new compact string of `size` code points up to maxchar; contents
   uninitialised except the terminating NUL.  New reference. */
PyObject *
PyUnicode_New(Py_ssize_t size, Py_UCS4 maxchar)
{
    if (size == 0) {
        return _PyUnicode_GetEmpty();
    }
    if (size < 0) {
        PyErr_SetString(PyExc_SystemError,
                        "Negative size passed to PyUnicode_New");
        return NULL;
    }
    int kind, ascii = 0;
    size_t header;
    if (maxchar < 128) {
        kind = PyUnicode_1BYTE_KIND;
        ascii = 1;
        header = sizeof(PyASCIIObject);
    }
    else if (maxchar < 256) {
        kind = PyUnicode_1BYTE_KIND;
        header = sizeof(PyCompactUnicodeObject);
    }
    else if (maxchar < 65536) {
        kind = PyUnicode_2BYTE_KIND;
        header = sizeof(PyCompactUnicodeObject);
    }
    else if (maxchar <= 0x10ffff) {
        kind = PyUnicode_4BYTE_KIND;
        header = sizeof(PyCompactUnicodeObject);
    }
    else {
        PyErr_SetString(PyExc_SystemError,
                        "invalid maximum character passed to PyUnicode_New");
        return NULL;
    }
    if ((size_t)size > (PY_SSIZE_T_MAX - header) / (size_t)kind - 1) {
        return PyErr_NoMemory();
    }
    PyASCIIObject *op = PyObject_Malloc(header + ((size_t)size + 1) * kind);
    if (op == NULL) {
        return PyErr_NoMemory();
    }
    _PyObject_InitHeader((PyObject *)op, &PyUnicode_Type);
    op->length = size;
    op->hash = -1;
    op->state.interned = SSTATE_NOT_INTERNED;
    op->state.kind = kind;
    op->state.compact = 1;
    op->state.ascii = ascii;
    op->state.statically_allocated = 0;
    if (!ascii) {
        PyCompactUnicodeObject *c = (PyCompactUnicodeObject *)op;
        c->utf8 = NULL;
        c->utf8_length = 0;
    }
    void *data = _PyUnicode_COMPACT_DATA((PyObject *)op);
    PyUnicode_WRITE(kind, data, size, 0);
    return (PyObject *)op;
}

/* The UTF-8 cache, or NULL if not built yet.  ASCII compact strings are
   their own UTF-8. */
static inline const char *
unicode_utf8_cached(PyObject *op)
{
    if (PyUnicode_IS_COMPACT_ASCII(op)) {
        return (const char *)PyUnicode_DATA(op);
    }
    return _Py_atomic_load_ptr_acquire(
        &_PyCompactUnicodeObject_CAST(op)->utf8);
}

static void
unicode_dealloc(PyObject *op)
{
    if (PyUnicode_CHECK_INTERNED(op) != SSTATE_NOT_INTERNED) {
        /* Interned strings are immortal: reaching here is a refcount bug. */
        Py_FatalError("deallocating an interned string");
    }
    if (!PyUnicode_IS_COMPACT_ASCII(op)) {
        PyCompactUnicodeObject *c = _PyCompactUnicodeObject_CAST(op);
        void *data = PyUnicode_DATA(op);
        if (c->utf8 != NULL && c->utf8 != (char *)data) {
            PyMem_Free(c->utf8);
        }
    }
    if (!PyUnicode_IS_COMPACT(op)) {
        PyMem_Free(_PyUnicodeObject_CAST(op)->data.any);
    }
    Py_TYPE(op)->tp_free(op);
}

/* ------------------------------------------------------ max char, copy */

Py_UCS4
_PyUnicode_FindMaxChar(int kind, const void *data, Py_ssize_t start,
                       Py_ssize_t end)
{
    Py_UCS4 m = 0;
    if (kind == PyUnicode_1BYTE_KIND) {
        const Py_UCS1 *p = (const Py_UCS1 *)data;
        for (Py_ssize_t i = start; i < end; i++) {
            m |= p[i];
        }
        return m >= 128 ? 0xff : m;
    }
    if (kind == PyUnicode_2BYTE_KIND) {
        const Py_UCS2 *p = (const Py_UCS2 *)data;
        for (Py_ssize_t i = start; i < end; i++) {
            if (p[i] > m) {
                m = p[i];
            }
        }
        return m;
    }
    const Py_UCS4 *p = (const Py_UCS4 *)data;
    for (Py_ssize_t i = start; i < end; i++) {
        if (p[i] > m) {
            m = p[i];
        }
    }
    return m;
}

void
_PyUnicode_FastCopyCharacters(PyObject *to, Py_ssize_t to_start,
                              PyObject *from, Py_ssize_t from_start,
                              Py_ssize_t how_many)
{
    if (how_many <= 0) {
        return;
    }
    int fk = PyUnicode_KIND(from), tk = PyUnicode_KIND(to);
    const char *fd = (const char *)PyUnicode_DATA(from);
    char *td = (char *)PyUnicode_DATA(to);
    if (fk == tk) {
        memmove(td + to_start * tk, fd + from_start * fk,
                (size_t)how_many * fk);
        return;
    }
    for (Py_ssize_t i = 0; i < how_many; i++) {
        PyUnicode_WRITE(tk, td, to_start + i,
                        PyUnicode_READ(fk, fd, from_start + i));
    }
}

Py_ssize_t
PyUnicode_CopyCharacters(PyObject *to, Py_ssize_t to_start, PyObject *from,
                         Py_ssize_t from_start, Py_ssize_t how_many)
{
    if (!PyUnicode_Check(from) || !PyUnicode_Check(to)) {
        PyErr_BadInternalCall();
        return -1;
    }
    if ((size_t)from_start > (size_t)PyUnicode_GET_LENGTH(from) ||
        (size_t)to_start > (size_t)PyUnicode_GET_LENGTH(to)) {
        PyErr_SetString(PyExc_IndexError, "string index out of range");
        return -1;
    }
    if (how_many < 0) {
        PyErr_SetString(PyExc_SystemError, "how_many cannot be negative");
        return -1;
    }
    how_many = Py_MIN(PyUnicode_GET_LENGTH(from) - from_start, how_many);
    if (to_start + how_many > PyUnicode_GET_LENGTH(to)) {
        PyErr_Format(PyExc_SystemError,
                     "Cannot write %zi characters at %zi in a string of "
                     "%zi characters", how_many, to_start,
                     PyUnicode_GET_LENGTH(to));
        return -1;
    }
    if (how_many == 0) {
        return 0;
    }
    Py_UCS4 fmax = _PyUnicode_FindMaxChar(PyUnicode_KIND(from),
                                          PyUnicode_DATA(from), from_start,
                                          from_start + how_many);
    if (fmax > PyUnicode_MAX_CHAR_VALUE(to)) {
        PyErr_Format(PyExc_SystemError,
                     "Cannot copy %s characters into a string of %s "
                     "characters",
                     fmax > 0xffff ? "UCS4" : fmax > 0xff ? "UCS2" : "UCS1",
                     PyUnicode_MAX_CHAR_VALUE(to) > 0xffff ? "UCS4" :
                     PyUnicode_MAX_CHAR_VALUE(to) > 0xff ? "UCS2" : "UCS1");
        return -1;
    }
    _PyUnicode_FastCopyCharacters(to, to_start, from, from_start, how_many);
    return how_many;
}

/* ------------------------------------------------------ creation */

PyObject *
_PyUnicode_FromASCII(const char *s, Py_ssize_t size)
{
    if (size == 1) {
        return _PyUnicode_Latin1Char((unsigned char)s[0]);
    }
    PyObject *u = PyUnicode_New(size, 127);
    if (u == NULL) {
        return NULL;
    }
    memcpy(PyUnicode_DATA(u), s, (size_t)size);
    return u;
}

PyObject *
_PyUnicode_FromUCS1(const Py_UCS1 *s, Py_ssize_t size)
{
    if (size == 1) {
        return _PyUnicode_Latin1Char(s[0]);
    }
    Py_UCS4 m = _PyUnicode_FindMaxChar(PyUnicode_1BYTE_KIND, s, 0, size);
    PyObject *u = PyUnicode_New(size, m);
    if (u == NULL) {
        return NULL;
    }
    memcpy(PyUnicode_DATA(u), s, (size_t)size);
    return u;
}

PyObject *
_PyUnicode_FromUCS2(const Py_UCS2 *s, Py_ssize_t size)
{
    Py_UCS4 m = _PyUnicode_FindMaxChar(PyUnicode_2BYTE_KIND, s, 0, size);
    if (size == 1 && m < 256) {
        return _PyUnicode_Latin1Char(m);
    }
    PyObject *u = PyUnicode_New(size, m);
    if (u == NULL) {
        return NULL;
    }
    if (m >= 256) {
        memcpy(PyUnicode_DATA(u), s, (size_t)size * 2);
    }
    else {
        Py_UCS1 *d = PyUnicode_1BYTE_DATA(u);
        for (Py_ssize_t i = 0; i < size; i++) {
            d[i] = (Py_UCS1)s[i];
        }
    }
    return u;
}

PyObject *
_PyUnicode_FromUCS4(const Py_UCS4 *s, Py_ssize_t size)
{
    Py_UCS4 m = _PyUnicode_FindMaxChar(PyUnicode_4BYTE_KIND, s, 0, size);
    if (m > 0x10ffff) {
        PyErr_SetString(PyExc_ValueError,
                        "character is not in range [U+0000; U+10ffff]");
        return NULL;
    }
    if (size == 1 && m < 256) {
        return _PyUnicode_Latin1Char(m);
    }
    PyObject *u = PyUnicode_New(size, m);
    if (u == NULL) {
        return NULL;
    }
    int kind = PyUnicode_KIND(u);
    void *d = PyUnicode_DATA(u);
    if (kind == PyUnicode_4BYTE_KIND) {
        memcpy(d, s, (size_t)size * 4);
    }
    else {
        for (Py_ssize_t i = 0; i < size; i++) {
            PyUnicode_WRITE(kind, d, i, s[i]);
        }
    }
    return u;
}

PyObject *
PyUnicode_FromKindAndData(int kind, const void *buffer, Py_ssize_t size)
{
    if (size < 0) {
        PyErr_SetString(PyExc_ValueError, "size must be positive");
        return NULL;
    }
    if (size == 0) {
        return _PyUnicode_GetEmpty();
    }
    switch (kind) {
    case PyUnicode_1BYTE_KIND:
        return _PyUnicode_FromUCS1(buffer, size);
    case PyUnicode_2BYTE_KIND:
        return _PyUnicode_FromUCS2(buffer, size);
    case PyUnicode_4BYTE_KIND:
        return _PyUnicode_FromUCS4(buffer, size);
    default:
        PyErr_SetString(PyExc_SystemError, "invalid kind");
        return NULL;
    }
}

PyObject *
PyUnicode_FromStringAndSize(const char *u, Py_ssize_t size)
{
    if (size < 0) {
        PyErr_SetString(PyExc_SystemError,
                        "Negative size passed to "
                        "PyUnicode_FromStringAndSize");
        return NULL;
    }
    if (u != NULL) {
        return PyUnicode_DecodeUTF8Stateful(u, size, NULL, NULL);
    }
    if (size > 0) {
        PyErr_SetString(PyExc_SystemError,
                        "NULL string with positive size with NULL passed to "
                        "PyUnicode_FromStringAndSize");
        return NULL;
    }
    return _PyUnicode_GetEmpty();
}

PyObject *
PyUnicode_FromString(const char *u)
{
    size_t size = strlen(u);
    if (size > PY_SSIZE_T_MAX) {
        PyErr_SetString(PyExc_OverflowError, "input too long");
        return NULL;
    }
    return PyUnicode_DecodeUTF8Stateful(u, (Py_ssize_t)size, NULL, NULL);
}

PyObject *
_PyUnicode_FromOrdinal(Py_UCS4 ch)
{
    if (ch < 256) {
        return _PyUnicode_Latin1Char(ch);
    }
    PyObject *u = PyUnicode_New(1, ch);
    if (u == NULL) {
        return NULL;
    }
    PyUnicode_WRITE(PyUnicode_KIND(u), PyUnicode_DATA(u), 0, ch);
    return u;
}

PyObject *
PyUnicode_FromOrdinal(int ordinal)
{
    if (ordinal < 0 || ordinal > 0x10ffff) {
        PyErr_SetString(PyExc_ValueError, "chr() arg not in range(0x110000)");
        return NULL;
    }
    return _PyUnicode_FromOrdinal((Py_UCS4)ordinal);
}

PyObject *
PyUnicode_FromWideChar(const wchar_t *w, Py_ssize_t size)
{
    if (w == NULL && size != 0) {
        PyErr_BadInternalCall();
        return NULL;
    }
    if (size == -1) {
        size = (Py_ssize_t)wcslen(w);
    }
    return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, w, size);
}

/* An exact str with the same characters (new reference). */
PyObject *
_PyUnicode_Copy(PyObject *unicode)
{
    if (!PyUnicode_Check(unicode)) {
        PyErr_BadInternalCall();
        return NULL;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(unicode);
    PyObject *copy = PyUnicode_New(n, PyUnicode_MAX_CHAR_VALUE(unicode));
    if (copy == NULL) {
        return NULL;
    }
    if (n == 0) {
        return copy;
    }
    if (PyUnicode_IS_ASCII(copy) != PyUnicode_IS_ASCII(unicode) &&
        PyUnicode_IS_ASCII(unicode) == 0) {
        /* cannot happen: same max char */
    }
    memcpy(PyUnicode_DATA(copy), PyUnicode_DATA(unicode),
           (size_t)n * PyUnicode_KIND(unicode));
    return copy;
}

/* str(obj) restricted to str instances: exact str returned as is. */
PyObject *
PyUnicode_FromObject(PyObject *obj)
{
    if (PyUnicode_CheckExact(obj)) {
        return Py_NewRef(obj);
    }
    if (PyUnicode_Check(obj)) {
        return _PyUnicode_Copy(obj);
    }
    PyErr_Format(PyExc_TypeError,
                 "Can't convert '%.100s' object to str implicitly",
                 Py_TYPE(obj)->tp_name);
    return NULL;
}

PyObject *
PyUnicode_Substring(PyObject *self, Py_ssize_t start, Py_ssize_t end)
{
    Py_ssize_t length = PyUnicode_GET_LENGTH(self);
    end = Py_MIN(end, length);
    if (start == 0 && end == length && PyUnicode_CheckExact(self)) {
        return Py_NewRef(self);
    }
    if (start < 0 || end < 0) {
        PyErr_SetString(PyExc_IndexError, "string index out of range");
        return NULL;
    }
    if (start >= length || end < start) {
        return _PyUnicode_GetEmpty();
    }
    length = end - start;
    int kind = PyUnicode_KIND(self);
    const char *data = (const char *)PyUnicode_DATA(self) + kind * start;
    if (PyUnicode_IS_ASCII(self)) {
        return _PyUnicode_FromASCII(data, length);
    }
    return PyUnicode_FromKindAndData(kind, data, length);
}

/* ------------------------------------------------------ access */

Py_ssize_t
PyUnicode_GetLength(PyObject *unicode)
{
    if (!PyUnicode_Check(unicode)) {
        PyErr_BadArgument();
        return -1;
    }
    return PyUnicode_GET_LENGTH(unicode);
}

Py_UCS4
PyUnicode_ReadChar(PyObject *unicode, Py_ssize_t index)
{
    if (!PyUnicode_Check(unicode)) {
        PyErr_BadArgument();
        return (Py_UCS4)-1;
    }
    if (index < 0 || index >= PyUnicode_GET_LENGTH(unicode)) {
        PyErr_SetString(PyExc_IndexError, "string index out of range");
        return (Py_UCS4)-1;
    }
    return PyUnicode_READ_CHAR(unicode, index);
}

/* A string may be modified only while its creator holds the only
   reference and nobody has hashed or interned it. */
static int
unicode_modifiable(PyObject *unicode)
{
    if (Py_REFCNT(unicode) != 1 || !_Py_IsOwnedByCurrentThread(unicode)) {
        return 0;
    }
    if (_Py_atomic_load_ssize_relaxed(&_PyASCIIObject_CAST(unicode)->hash)
        != -1) {
        return 0;
    }
    if (PyUnicode_CHECK_INTERNED(unicode)) {
        return 0;
    }
    return PyUnicode_CheckExact(unicode);
}

int
PyUnicode_WriteChar(PyObject *unicode, Py_ssize_t index, Py_UCS4 ch)
{
    if (!PyUnicode_Check(unicode) || !PyUnicode_IS_COMPACT(unicode)) {
        PyErr_BadInternalCall();
        return -1;
    }
    if (index < 0 || index >= PyUnicode_GET_LENGTH(unicode)) {
        PyErr_SetString(PyExc_IndexError, "string index out of range");
        return -1;
    }
    if (!unicode_modifiable(unicode)) {
        PyErr_SetString(PyExc_SystemError,
                        "Cannot modify a string currently used");
        return -1;
    }
    if (ch > PyUnicode_MAX_CHAR_VALUE(unicode)) {
        PyErr_SetString(PyExc_ValueError, "character out of range");
        return -1;
    }
    PyUnicode_WRITE(PyUnicode_KIND(unicode), PyUnicode_DATA(unicode), index,
                    ch);
    return 0;
}

Py_ssize_t
PyUnicode_Fill(PyObject *unicode, Py_ssize_t start, Py_ssize_t length,
               Py_UCS4 fill_char)
{
    if (!PyUnicode_Check(unicode)) {
        PyErr_BadInternalCall();
        return -1;
    }
    if (!unicode_modifiable(unicode)) {
        PyErr_SetString(PyExc_SystemError,
                        "Cannot modify a string currently used");
        return -1;
    }
    if (start < 0) {
        PyErr_SetString(PyExc_IndexError, "string index out of range");
        return -1;
    }
    if (fill_char > PyUnicode_MAX_CHAR_VALUE(unicode)) {
        PyErr_SetString(PyExc_ValueError,
                        "fill character is bigger than "
                        "the string maximum character");
        return -1;
    }
    Py_ssize_t maxlen = PyUnicode_GET_LENGTH(unicode) - start;
    length = Py_MIN(maxlen, length);
    int kind = PyUnicode_KIND(unicode);
    void *data = PyUnicode_DATA(unicode);
    for (Py_ssize_t i = 0; i < length; i++) {
        PyUnicode_WRITE(kind, data, start + i, fill_char);
    }
    return length > 0 ? length : 0;
}

Py_UCS4 *
PyUnicode_AsUCS4(PyObject *unicode, Py_UCS4 *buffer, Py_ssize_t buflen,
                 int copy_null)
{
    if (unicode == NULL || buffer == NULL) {
        PyErr_BadInternalCall();
        return NULL;
    }
    Py_ssize_t len = PyUnicode_GET_LENGTH(unicode);
    Py_ssize_t need = len + (copy_null ? 1 : 0);
    if (buflen < need) {
        PyErr_Format(PyExc_SystemError, "string is longer than the buffer");
        if (copy_null && buflen > 0) {
            buffer[buflen - 1] = 0;
        }
        return NULL;
    }
    int kind = PyUnicode_KIND(unicode);
    const void *data = PyUnicode_DATA(unicode);
    for (Py_ssize_t i = 0; i < len; i++) {
        buffer[i] = PyUnicode_READ(kind, data, i);
    }
    if (copy_null) {
        buffer[len] = 0;
    }
    return buffer;
}

Py_UCS4 *
PyUnicode_AsUCS4Copy(PyObject *unicode)
{
    Py_ssize_t len = PyUnicode_GET_LENGTH(unicode);
    Py_UCS4 *buf = PyMem_New(Py_UCS4, (size_t)len + 1);
    if (buf == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    return PyUnicode_AsUCS4(unicode, buf, len + 1, 1);
}

Py_ssize_t
PyUnicode_AsWideChar(PyObject *unicode, wchar_t *w, Py_ssize_t size)
{
    if (unicode == NULL || !PyUnicode_Check(unicode)) {
        PyErr_BadInternalCall();
        return -1;
    }
    Py_ssize_t len = PyUnicode_GET_LENGTH(unicode);
    if (w == NULL) {
        return len + 1;
    }
    int kind = PyUnicode_KIND(unicode);
    const void *data = PyUnicode_DATA(unicode);
    Py_ssize_t n = Py_MIN(size, len);
    for (Py_ssize_t i = 0; i < n; i++) {
        w[i] = (wchar_t)PyUnicode_READ(kind, data, i);
    }
    if (size > len) {
        w[len] = 0;
        return len;
    }
    return size;
}

wchar_t *
PyUnicode_AsWideCharString(PyObject *unicode, Py_ssize_t *size)
{
    if (unicode == NULL || !PyUnicode_Check(unicode)) {
        PyErr_BadInternalCall();
        return NULL;
    }
    Py_ssize_t len = PyUnicode_GET_LENGTH(unicode);
    wchar_t *w = PyMem_New(wchar_t, (size_t)len + 1);
    if (w == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    PyUnicode_AsWideChar(unicode, w, len + 1);
    if (size != NULL) {
        *size = len;
    }
    else if (wcslen(w) != (size_t)len) {
        PyMem_Free(w);
        PyErr_SetString(PyExc_ValueError, "embedded null character");
        return NULL;
    }
    return w;
}

/* ------------------------------------------------------ UTF-8 cache */

const char *
PyUnicode_AsUTF8AndSize(PyObject *unicode, Py_ssize_t *psize)
{
    if (!PyUnicode_Check(unicode)) {
        PyErr_BadArgument();
        if (psize) {
            *psize = -1;
        }
        return NULL;
    }
    const char *u = unicode_utf8_cached(unicode);
    if (u == NULL) {
        PyObject *bytes = _PyUnicode_EncodeUTF8(unicode, "strict");
        if (bytes == NULL) {
            if (psize) {
                *psize = -1;
            }
            return NULL;
        }
        Py_ssize_t n = PyBytes_GET_SIZE(bytes);
        char *copy = PyMem_Malloc((size_t)n + 1);
        if (copy == NULL) {
            Py_DECREF(bytes);
            PyErr_NoMemory();
            return NULL;
        }
        memcpy(copy, PyBytes_AS_STRING(bytes), (size_t)n + 1);
        Py_DECREF(bytes);
        PyCompactUnicodeObject *c = _PyCompactUnicodeObject_CAST(unicode);
        /* Length first: any thread that sees the pointer sees it too
           (the CAS orders it, and readers load the pointer with acquire). */
        _Py_atomic_store_ssize_relaxed(&c->utf8_length, n);
        char *expected = NULL;
        if (!_Py_atomic_compare_exchange_ptr(&c->utf8, &expected, copy)) {
            PyMem_Free(copy);
        }
        u = unicode_utf8_cached(unicode);
    }
    if (psize) {
        if (PyUnicode_IS_COMPACT_ASCII(unicode)) {
            *psize = PyUnicode_GET_LENGTH(unicode);
        }
        else {
            *psize = _Py_atomic_load_ssize_relaxed(
                &_PyCompactUnicodeObject_CAST(unicode)->utf8_length);
        }
    }
    return u;
}

const char *
PyUnicode_AsUTF8(PyObject *unicode)
{
    return PyUnicode_AsUTF8AndSize(unicode, NULL);
}

/* ------------------------------------------------------ hashing */

Py_hash_t
_PyUnicode_Hash(PyObject *self)
{
    PyASCIIObject *a = _PyASCIIObject_CAST(self);
    /* Relaxed: every thread computes the same value. */
    Py_hash_t h = _Py_atomic_load_ssize_relaxed(&a->hash);
    if (h != -1) {
        return h;
    }
    h = _Py_HashBytes(PyUnicode_DATA(self),
                      PyUnicode_GET_LENGTH(self) * PyUnicode_KIND(self));
    _Py_atomic_store_ssize_relaxed(&a->hash, h);
    return h;
}

/* ------------------------------------------------------ comparison */

int
_PyUnicode_EQ(PyObject *a, PyObject *b)
{
    if (a == b) {
        return 1;
    }
    Py_ssize_t len = PyUnicode_GET_LENGTH(a);
    if (len != PyUnicode_GET_LENGTH(b)) {
        return 0;
    }
    int kind = PyUnicode_KIND(a);
    if (kind != PyUnicode_KIND(b)) {
        return 0;
    }
    Py_hash_t ha = _Py_atomic_load_ssize_relaxed(&_PyASCIIObject_CAST(a)->hash);
    Py_hash_t hb = _Py_atomic_load_ssize_relaxed(&_PyASCIIObject_CAST(b)->hash);
    if (ha != -1 && hb != -1 && ha != hb) {
        return 0;
    }
    return memcmp(PyUnicode_DATA(a), PyUnicode_DATA(b),
                  (size_t)len * kind) == 0;
}

int
_PyUnicode_Equal(PyObject *a, PyObject *b)
{
    return _PyUnicode_EQ(a, b);
}

int
_PyUnicode_CompareStr(PyObject *a, PyObject *b)
{
    if (a == b) {
        return 0;
    }
    int k1 = PyUnicode_KIND(a), k2 = PyUnicode_KIND(b);
    const void *d1 = PyUnicode_DATA(a), *d2 = PyUnicode_DATA(b);
    Py_ssize_t n1 = PyUnicode_GET_LENGTH(a), n2 = PyUnicode_GET_LENGTH(b);
    Py_ssize_t n = Py_MIN(n1, n2);
    if (k1 == PyUnicode_1BYTE_KIND && k2 == PyUnicode_1BYTE_KIND) {
        int c = memcmp(d1, d2, (size_t)n);
        if (c != 0) {
            return c < 0 ? -1 : 1;
        }
    }
    else {
        for (Py_ssize_t i = 0; i < n; i++) {
            Py_UCS4 c1 = PyUnicode_READ(k1, d1, i);
            Py_UCS4 c2 = PyUnicode_READ(k2, d2, i);
            if (c1 != c2) {
                return c1 < c2 ? -1 : 1;
            }
        }
    }
    return n1 < n2 ? -1 : (n1 > n2 ? 1 : 0);
}

int
PyUnicode_Compare(PyObject *left, PyObject *right)
{
    if (PyUnicode_Check(left) && PyUnicode_Check(right)) {
        return _PyUnicode_CompareStr(left, right);
    }
    PyErr_Format(PyExc_TypeError, "Can't compare %.100s and %.100s",
                 Py_TYPE(left)->tp_name, Py_TYPE(right)->tp_name);
    return -1;
}

int
PyUnicode_CompareWithASCIIString(PyObject *uni, const char *str)
{
    int kind = PyUnicode_KIND(uni);
    const void *data = PyUnicode_DATA(uni);
    Py_ssize_t len = PyUnicode_GET_LENGTH(uni);
    Py_ssize_t i;
    for (i = 0; i < len && str[i]; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c != (unsigned char)str[i]) {
            return c < (unsigned char)str[i] ? -1 : 1;
        }
    }
    if (i < len) {
        return 1;       /* uni is longer */
    }
    if (str[i]) {
        return -1;      /* str is longer */
    }
    return 0;
}

int
_PyUnicode_EqualToASCIIString(PyObject *unicode, const char *str)
{
    if (!PyUnicode_IS_ASCII(unicode)) {
        return 0;
    }
    size_t len = strlen(str);
    return (size_t)PyUnicode_GET_LENGTH(unicode) == len &&
           memcmp(PyUnicode_DATA(unicode), str, len) == 0;
}

PyObject *
PyUnicode_RichCompare(PyObject *left, PyObject *right, int op)
{
    if (!PyUnicode_Check(left) || !PyUnicode_Check(right)) {
        Py_RETURN_NOTIMPLEMENTED;
    }
    if (op == Py_EQ || op == Py_NE) {
        int eq = _PyUnicode_EQ(left, right);
        return PyBool_FromLong(op == Py_EQ ? eq : !eq);
    }
    int c = _PyUnicode_CompareStr(left, right);
    Py_RETURN_RICHCOMPARE(c, 0, op);
}

/* ------------------------------------------------------ concatenation */

PyObject *
PyUnicode_Concat(PyObject *left, PyObject *right)
{
    if (!PyUnicode_Check(left)) {
        PyErr_Format(PyExc_TypeError, "must be str, not %.100s",
                     Py_TYPE(left)->tp_name);
        return NULL;
    }
    if (!PyUnicode_Check(right)) {
        PyErr_Format(PyExc_TypeError,
                     "can only concatenate str (not \"%.200s\") to str",
                     Py_TYPE(right)->tp_name);
        return NULL;
    }
    Py_ssize_t n1 = PyUnicode_GET_LENGTH(left);
    Py_ssize_t n2 = PyUnicode_GET_LENGTH(right);
    if (n1 == 0) {
        return PyUnicode_FromObject(right);
    }
    if (n2 == 0) {
        return PyUnicode_FromObject(left);
    }
    if (n1 > PY_SSIZE_T_MAX - n2) {
        PyErr_SetString(PyExc_OverflowError,
                        "strings are too large to concat");
        return NULL;
    }
    Py_UCS4 m = Py_MAX(PyUnicode_MAX_CHAR_VALUE(left),
                       PyUnicode_MAX_CHAR_VALUE(right));
    PyObject *res = PyUnicode_New(n1 + n2, m);
    if (res == NULL) {
        return NULL;
    }
    _PyUnicode_FastCopyCharacters(res, 0, left, 0, n1);
    _PyUnicode_FastCopyCharacters(res, n1, right, 0, n2);
    return res;
}

void
PyUnicode_Append(PyObject **p_left, PyObject *right)
{
    PyObject *left = *p_left;
    if (left == NULL) {
        return;
    }
    if (right == NULL || !PyUnicode_Check(left)) {
        if (!PyErr_Occurred()) {
            PyErr_BadInternalCall();
        }
        Py_CLEAR(*p_left);
        return;
    }
    PyObject *res = PyUnicode_Concat(left, right);
    Py_DECREF(left);
    *p_left = res;
}

void
PyUnicode_AppendAndDel(PyObject **pleft, PyObject *right)
{
    PyUnicode_Append(pleft, right);
    Py_XDECREF(right);
}

/* ------------------------------------------------------ interning */

/* The interned table: open addressing over str pointers, guarded by
   intern_mutex.  Entries are immortal strings; the table only grows. */
static struct {
    PyMutex mutex;
    PyObject **slots;
    size_t mask;            /* capacity - 1, capacity a power of two */
    size_t used;
} interned;

static PyObject **
intern_lookup(PyObject *s, Py_hash_t h)
{
    size_t i = (size_t)h & interned.mask;
    size_t perturb = (size_t)h;
    for (;;) {
        PyObject **slot = &interned.slots[i];
        if (*slot == NULL || _PyUnicode_EQ(*slot, s)) {
            return slot;
        }
        perturb >>= 5;
        i = (i * 5 + perturb + 1) & interned.mask;
    }
}

static int
intern_grow(void)
{
    size_t newcap = interned.slots == NULL ? 1024 : (interned.mask + 1) * 2;
    PyObject **old = interned.slots;
    size_t oldcap = old == NULL ? 0 : interned.mask + 1;
    PyObject **slots = PyMem_RawCalloc(newcap, sizeof(PyObject *));
    if (slots == NULL) {
        return -1;
    }
    interned.slots = slots;
    interned.mask = newcap - 1;
    for (size_t i = 0; i < oldcap; i++) {
        if (old[i] != NULL) {
            *intern_lookup(old[i], _PyUnicode_Hash(old[i])) = old[i];
        }
    }
    PyMem_RawFree(old);
    return 0;
}

/* May `s` be turned immortal in place?  Only if no other thread can have
   a reference: owned here and its shared count never touched. */
static int
unicode_private(PyObject *s)
{
    return _Py_IsOwnedByCurrentThread(s) &&
           _Py_atomic_load_ssize_relaxed(&s->ob_ref_shared) == 0;
}

void
PyUnicode_InternInPlace(PyObject **p)
{
    PyObject *s = *p;
    if (s == NULL || !PyUnicode_CheckExact(s)) {
        return;
    }
    if (PyUnicode_CHECK_INTERNED(s)) {
        return;
    }
    if (PyUnicode_GET_LENGTH(s) == 1 && PyUnicode_READ_CHAR(s, 0) < 256) {
        PyObject *c = _PyUnicode_Latin1Char(PyUnicode_READ_CHAR(s, 0));
        Py_DECREF(s);
        *p = c;
        return;
    }
    Py_hash_t h = _PyUnicode_Hash(s);
    PyObject *result = NULL;
    PyMutex_Lock(&interned.mutex);
    if (interned.slots == NULL ||
        (interned.used + 1) * 3 >= (interned.mask + 1) * 2) {
        if (intern_grow() < 0) {
            PyMutex_Unlock(&interned.mutex);
            return;     /* out of memory: leave s uninterned */
        }
    }
    PyObject **slot = intern_lookup(s, h);
    if (*slot != NULL) {
        result = *slot;
    }
    else {
        PyObject *t = s;
        if (!unicode_private(s)) {
            t = _PyUnicode_Copy(s);
            if (t == NULL) {
                PyMutex_Unlock(&interned.mutex);
                PyErr_Clear();
                return;
            }
            _Py_atomic_store_ssize_relaxed(&_PyASCIIObject_CAST(t)->hash, h);
        }
        else {
            Py_INCREF(t);   /* the table's reference; becomes immortal */
        }
        _Py_atomic_store_uint8_relaxed(&_PyASCIIObject_CAST(t)->state.interned,
                                       SSTATE_INTERNED_IMMORTAL);
        _Py_SetImmortal(t);
        *slot = t;
        interned.used++;
        result = t;
    }
    PyMutex_Unlock(&interned.mutex);
    if (result != s) {
        Py_DECREF(s);
        *p = result;
    }
}

void
PyUnicode_InternImmortal(PyObject **p)
{
    PyUnicode_InternInPlace(p);
}

PyObject *
PyUnicode_InternFromString(const char *cp)
{
    PyObject *s = PyUnicode_FromString(cp);
    if (s == NULL) {
        return NULL;
    }
    PyUnicode_InternInPlace(&s);
    return s;
}

/* ------------------------------------------------------ the type */

static Py_hash_t
unicode_hash(PyObject *self)
{
    return _PyUnicode_Hash(self);
}

static PyObject *
unicode_repr(PyObject *self)
{
    return _PyUnicode_Repr(self);
}

static PyObject *
unicode_str(PyObject *self)
{
    return PyUnicode_FromObject(self);
}

static Py_ssize_t
unicode_length(PyObject *self)
{
    return PyUnicode_GET_LENGTH(self);
}

static PyObject *
unicode_item(PyObject *self, Py_ssize_t index)
{
    if (index < 0 || index >= PyUnicode_GET_LENGTH(self)) {
        PyErr_SetString(PyExc_IndexError, "string index out of range");
        return NULL;
    }
    return _PyUnicode_FromOrdinal(PyUnicode_READ_CHAR(self, index));
}

static PyObject *
unicode_concat(PyObject *left, PyObject *right)
{
    return PyUnicode_Concat(left, right);
}

static PyObject *
unicode_repeat(PyObject *self, Py_ssize_t n)
{
    return _PyUnicode_Repeat(self, n);
}

static int
unicode_contains(PyObject *self, PyObject *sub)
{
    return PyUnicode_Contains(self, sub);
}

static PyObject *
unicode_mod(PyObject *v, PyObject *w)
{
    if (!PyUnicode_Check(v)) {
        Py_RETURN_NOTIMPLEMENTED;
    }
    return PyUnicode_Format(v, w);
}

PyObject *_PyUnicode_GetIter(PyObject *seq);

static PyNumberMethods unicode_as_number = {
    .nb_remainder = unicode_mod,
};

static PySequenceMethods unicode_as_sequence = {
    .sq_length = unicode_length,
    .sq_concat = unicode_concat,
    .sq_repeat = unicode_repeat,
    .sq_item = unicode_item,
    .sq_contains = unicode_contains,
};

static PyMappingMethods unicode_as_mapping = {
    .mp_length = unicode_length,
    .mp_subscript = _PyUnicode_Subscript,
};

/* str(object='') / str(object=b'', encoding='utf-8', errors='strict') */
static PyObject *
unicode_new_impl(PyObject *x, const char *encoding, const char *errors)
{
    if (x == NULL) {
        return _PyUnicode_GetEmpty();
    }
    if (encoding == NULL && errors == NULL) {
        return PyObject_Str(x);
    }
    return PyUnicode_FromEncodedObject(x, encoding, errors);
}

/* An instance of a str subclass: not compact, data in its own block. */
static PyObject *
unicode_subtype_new(PyTypeObject *type, PyObject *unicode)
{
    Py_ssize_t length = PyUnicode_GET_LENGTH(unicode);
    int kind = PyUnicode_KIND(unicode);
    PyObject *self = type->tp_alloc(type, 0);
    if (self == NULL) {
        return NULL;
    }
    size_t nbytes = ((size_t)length + 1) * kind;
    void *data = PyMem_Malloc(nbytes);
    if (data == NULL) {
        Py_DECREF(self);
        return PyErr_NoMemory();
    }
    memcpy(data, PyUnicode_DATA(unicode), nbytes);
    PyUnicodeObject *u = _PyUnicodeObject_CAST(self);
    PyASCIIObject *a = _PyASCIIObject_CAST(self);
    a->length = length;
    a->hash = _Py_atomic_load_ssize_relaxed(
        &_PyASCIIObject_CAST(unicode)->hash);
    a->state.interned = 0;
    a->state.kind = kind;
    a->state.compact = 0;
    a->state.ascii = PyUnicode_IS_ASCII(unicode);
    a->state.statically_allocated = 0;
    u->_base.utf8 = NULL;
    u->_base.utf8_length = 0;
    if (a->state.ascii) {
        u->_base.utf8 = data;
        u->_base.utf8_length = length;
    }
    u->data.any = data;
    return self;
}

static PyObject *
unicode_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"object", "encoding", "errors", NULL};
    PyObject *x = NULL;
    const char *encoding = NULL, *errors = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|Oss:str", kwlist,
                                     &x, &encoding, &errors)) {
        return NULL;
    }
    PyObject *unicode = unicode_new_impl(x, encoding, errors);
    if (unicode == NULL || type == &PyUnicode_Type) {
        return unicode;
    }
    PyObject *self = unicode_subtype_new(type, unicode);
    Py_DECREF(unicode);
    return self;
}

static const char unicode_doc[] =
"str(object='') -> str\n"
"str(bytes_or_buffer[, encoding[, errors]]) -> str\n"
"\n"
"Create a new string object from the given object. If encoding or\n"
"errors is specified, then the object must expose a data buffer\n"
"that will be decoded using the given encoding and error handler.\n"
"Otherwise, returns the result of object.__str__() (if defined)\n"
"or repr(object).\n"
"encoding defaults to sys.getdefaultencoding().\n"
"errors defaults to 'strict'.";

PyTypeObject PyUnicode_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "str",
    .tp_basicsize = sizeof(PyUnicodeObject),
    .tp_itemsize = 0,
    .tp_dealloc = unicode_dealloc,
    .tp_repr = unicode_repr,
    .tp_as_number = &unicode_as_number,
    .tp_as_sequence = &unicode_as_sequence,
    .tp_as_mapping = &unicode_as_mapping,
    .tp_hash = unicode_hash,
    .tp_str = unicode_str,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE |
                Py_TPFLAGS_UNICODE_SUBCLASS | _Py_TPFLAGS_MATCH_SELF,
    .tp_doc = unicode_doc,
    .tp_richcompare = PyUnicode_RichCompare,
    .tp_iter = _PyUnicode_GetIter,
    .tp_methods = _PyUnicode_Methods,
    .tp_new = unicode_new,
    .tp_free = PyObject_Free,
};

/* Readies str and its iterator (called once by Py_Initialize). */
int
_PyUnicode_InitTypes(void)
{
    if (PyType_Ready(&PyUnicode_Type) < 0) {
        return -1;
    }
    if (PyType_Ready(&PyUnicodeIter_Type) < 0) {
        return -1;
    }
    return PyType_Ready(&_PyUnicodeASCIIIter_Type);
}

/* ------------------------------------------------------ iterator */

/* A str iterator: the string is immutable, so only the index is shared
   state.  Concurrent next() calls race on it with relaxed atomics: an
   item may be yielded twice or skipped, never read out of bounds (the
   index is checked against the immutable length before each read). */
typedef struct {
    PyObject_HEAD
    Py_ssize_t it_index;
    PyObject *it_seq;       /* owned; never cleared, freed with the iter */
} unicodeiterobject;

PyObject *
_PyUnicode_GetIter(PyObject *seq)
{
    if (!PyUnicode_Check(seq)) {
        PyErr_BadInternalCall();
        return NULL;
    }
    unicodeiterobject *it = PyObject_Malloc(sizeof(unicodeiterobject));
    if (it == NULL) {
        return PyErr_NoMemory();
    }
    _PyObject_InitHeader((PyObject *)it,
                         PyUnicode_IS_ASCII(seq) ? &_PyUnicodeASCIIIter_Type
                                                 : &PyUnicodeIter_Type);
    it->it_index = 0;
    it->it_seq = Py_NewRef(seq);
    return (PyObject *)it;
}

static void
unicodeiter_dealloc(PyObject *op)
{
    unicodeiterobject *it = (unicodeiterobject *)op;
    Py_DECREF(it->it_seq);
    PyObject_Free(it);
}

static PyObject *
unicodeiter_next(PyObject *op)
{
    unicodeiterobject *it = (unicodeiterobject *)op;
    Py_ssize_t i = _Py_atomic_load_ssize_relaxed(&it->it_index);
    PyObject *seq = it->it_seq;
    if (i < 0 || i >= PyUnicode_GET_LENGTH(seq)) {
        _Py_atomic_store_ssize_relaxed(&it->it_index, -1);
        return NULL;
    }
    _Py_atomic_store_ssize_relaxed(&it->it_index, i + 1);
    return _PyUnicode_FromOrdinal(PyUnicode_READ_CHAR(seq, i));
}

static PyObject *
unicodeiter_length_hint(PyObject *op, PyObject *Py_UNUSED(ignored))
{
    unicodeiterobject *it = (unicodeiterobject *)op;
    Py_ssize_t i = _Py_atomic_load_ssize_relaxed(&it->it_index);
    Py_ssize_t n = 0;
    if (i >= 0 && i < PyUnicode_GET_LENGTH(it->it_seq)) {
        n = PyUnicode_GET_LENGTH(it->it_seq) - i;
    }
    return PyLong_FromSsize_t(n);
}

static PyMethodDef unicodeiter_methods[] = {
    {"__length_hint__", unicodeiter_length_hint, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

PyTypeObject PyUnicodeIter_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "str_iterator",
    .tp_basicsize = sizeof(unicodeiterobject),
    .tp_dealloc = unicodeiter_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = unicodeiter_next,
    .tp_methods = unicodeiter_methods,
};

/* 3.11 gives iterators over ASCII strings a type of their own. */
PyTypeObject _PyUnicodeASCIIIter_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "str_ascii_iterator",
    .tp_basicsize = sizeof(unicodeiterobject),
    .tp_dealloc = unicodeiter_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = unicodeiter_next,
    .tp_methods = unicodeiter_methods,
};
