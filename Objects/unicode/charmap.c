/* The charmap codecs (what encodings.cp1252, koi8_r, mac_roman, ... are
 * built on): decoding through a 256-character str table or any mapping
 * byte -> int/str/None, encoding through an EncodingMap (built once per
 * codec module by charmap_build) or any mapping code point ->
 * int/bytes/None.  Unmapped input is an error with the reason "character
 * maps to <undefined>" for the error-handler registry.
 *
 * EncodingMap is immutable once built (a two-level table for code points
 * below U+10000), so every thread reads it without a lock.  The codecs
 * themselves work on private buffers. */
#include "Python.h"
#include "pycore_codecs.h"

#define UNDEFINED_REASON "character maps to <undefined>"

/* ------------------------------------------------------ EncodingMap */

typedef struct {
    PyObject_HEAD
    int nblocks;                    /* second-level blocks in use */
    uint16_t top[256];              /* high byte -> block index + 1, 0 none */
    int16_t (*blocks)[256];         /* low byte -> byte value, -1 none */
} encoding_map;

static void
encoding_map_dealloc(PyObject *op)
{
    PyMem_Free(((encoding_map *)op)->blocks);
    Py_TYPE(op)->tp_free(op);
}

/* size(): the bytes of memory the map uses, as CPython reports it. */
static PyObject *
encoding_map_size(PyObject *op, PyObject *Py_UNUSED(ignored))
{
    encoding_map *m = (encoding_map *)op;
    return PyLong_FromSsize_t((Py_ssize_t)(sizeof(m->top) +
                                           (size_t)m->nblocks * 256 * 2));
}

static PyMethodDef encoding_map_methods[] = {
    {"size", encoding_map_size, METH_NOARGS,
     "Return the size (in bytes) of this object"},
    {NULL, NULL, 0, NULL}
};

static PyTypeObject EncodingMapType = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "EncodingMap",
    .tp_basicsize = sizeof(encoding_map),
    .tp_dealloc = encoding_map_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_methods = encoding_map_methods,
};

/* Readies the static type once; the mutex serialises first callers. */
static int
encoding_map_type_ready(void)
{
    static PyMutex mutex;
    static int ready;       /* atomic */
    if (_Py_atomic_load_int_acquire(&ready)) {
        return 0;
    }
    PyMutex_Lock(&mutex);
    int rc = 0;
    if (!_Py_atomic_load_int_acquire(&ready)) {
        rc = PyType_Ready(&EncodingMapType);
        if (rc == 0) {
            _Py_atomic_store_int_release(&ready, 1);
        }
    }
    PyMutex_Unlock(&mutex);
    return rc;
}

/* The byte for ch, or -1 when unmapped. */
static int
encoding_map_lookup(encoding_map *m, Py_UCS4 ch)
{
    if (ch >= 0x10000) {
        return -1;
    }
    int blk = m->top[ch >> 8];
    return blk == 0 ? -1 : m->blocks[blk - 1][ch & 0xFF];
}

/* The dict {ord(c): i} that charmap_build gives for tables the map
   cannot hold (new reference). */
static PyObject *
build_dict_map(PyObject *string)
{
    PyObject *d = PyDict_New();
    Py_ssize_t n = PyUnicode_GET_LENGTH(string);
    for (Py_ssize_t i = 0; d != NULL && i < n; i++) {
        PyObject *k = PyLong_FromLong((long)PyUnicode_READ_CHAR(string, i));
        PyObject *v = PyLong_FromSsize_t(i);
        if (k == NULL || v == NULL || PyDict_SetItem(d, k, v) < 0) {
            Py_CLEAR(d);
        }
        Py_XDECREF(k);
        Py_XDECREF(v);
    }
    return d;
}

PyObject *
PyUnicode_BuildEncodingMap(PyObject *string)
{
    if (!PyUnicode_Check(string)) {
        PyErr_BadArgument();
        return NULL;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(string);
    if (n == 0) {
        PyErr_BadArgument();
        return NULL;
    }
    /* As Python 3.11: a table starting with U+0000 and within the BMP
       becomes an EncodingMap of its first 256 entries, anything else a
       dict. */
    int fits = PyUnicode_READ_CHAR(string, 0) == 0 &&
               PyUnicode_KIND(string) != PyUnicode_4BYTE_KIND;
    if (!fits) {
        return build_dict_map(string);
    }
    if (n > 256) {
        n = 256;
    }
    if (encoding_map_type_ready() < 0) {
        return NULL;
    }
    encoding_map *m = PyObject_New(encoding_map, &EncodingMapType);
    if (m == NULL) {
        return NULL;
    }
    memset(m->top, 0, sizeof(m->top));
    m->nblocks = 0;
    m->blocks = PyMem_Malloc(256 * sizeof(*m->blocks));
    if (m->blocks == NULL) {
        Py_DECREF(m);
        return PyErr_NoMemory();
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 ch = PyUnicode_READ_CHAR(string, i);
        if (ch == 0xFFFE) {
            continue;
        }
        if (m->top[ch >> 8] == 0) {
            memset(m->blocks[m->nblocks], 0xFF, sizeof(m->blocks[0]));
            m->top[ch >> 8] = (uint16_t)++m->nblocks;
        }
        m->blocks[m->top[ch >> 8] - 1][ch & 0xFF] = (int16_t)i;
    }
    return (PyObject *)m;
}

/* ------------------------------------------------------ decoding */

/* What byte c decodes to through a general mapping: 1 with the
   characters appended, 0 when undefined, -1 on error. */
static int
decode_via_mapping(_PyUCS4Buf *b, PyObject *mapping, unsigned char c)
{
    PyObject *key = PyLong_FromLong(c);
    if (key == NULL) {
        return -1;
    }
    PyObject *x = PyObject_GetItem(mapping, key);
    Py_DECREF(key);
    if (x == NULL) {
        if (PyErr_ExceptionMatches(PyExc_LookupError)) {
            PyErr_Clear();
            return 0;
        }
        return -1;
    }
    int res;
    if (x == Py_None) {
        res = 0;
    }
    else if (PyLong_Check(x)) {
        long v = PyLong_AsLong(x);
        if (v == -1 && PyErr_Occurred()) {
            res = -1;
        }
        else if (v < 0 || v > 0x10FFFF) {
            PyErr_SetString(PyExc_TypeError,
                            "character mapping must be in range(0x110000)");
            res = -1;
        }
        else {
            res = v == 0xFFFE ? 0 : (_PyUCS4Buf_Put(b, (Py_UCS4)v) < 0
                                     ? -1 : 1);
        }
    }
    else if (PyUnicode_Check(x)) {
        if (PyUnicode_GET_LENGTH(x) == 1 &&
            PyUnicode_READ_CHAR(x, 0) == 0xFFFE) {
            res = 0;
        }
        else {
            res = _PyUCS4Buf_PutStr(b, x) < 0 ? -1 : 1;
        }
    }
    else {
        PyErr_SetString(PyExc_TypeError,
                        "character mapping must return integer, None or "
                        "str");
        res = -1;
    }
    Py_DECREF(x);
    return res;
}

PyObject *
PyUnicode_DecodeCharmap(const char *str, Py_ssize_t size, PyObject *mapping,
                        const char *errors)
{
    if (mapping == NULL) {
        return PyUnicode_DecodeLatin1(str, size, errors);
    }
    const unsigned char *s = (const unsigned char *)str;
    _PyUCS4Buf b = {NULL, 0, 0};
    int is_table = PyUnicode_CheckExact(mapping);
    Py_ssize_t tlen = is_table ? PyUnicode_GET_LENGTH(mapping) : 0;
    Py_ssize_t pos = 0;
    while (pos < size) {
        int r;
        if (is_table) {
            Py_UCS4 ch = s[pos] < tlen ? PyUnicode_READ_CHAR(mapping, s[pos])
                                       : 0xFFFE;
            r = ch == 0xFFFE ? 0 : (_PyUCS4Buf_Put(&b, ch) < 0 ? -1 : 1);
        }
        else {
            r = decode_via_mapping(&b, mapping, s[pos]);
        }
        if (r < 0) {
            goto error;
        }
        if (r > 0) {
            pos++;
            continue;
        }
        pos = _PyUnicode_DecodeCallErrorHandler(&b, errors, "charmap",
                                                UNDEFINED_REASON, str, size,
                                                pos, pos + 1);
        if (pos < 0) {
            goto error;
        }
    }
    return _PyUCS4Buf_Finish(&b);
error:
    PyMem_Free(b.buf);
    return NULL;
}

/* ------------------------------------------------------ encoding */

/* Encodes ch through the mapping into b: 1 done, 0 undefined, -1 error. */
static int
encode_one(_PyBytesBuf *b, PyObject *mapping, Py_UCS4 ch)
{
    if (Py_IS_TYPE(mapping, &EncodingMapType)) {
        int v = encoding_map_lookup((encoding_map *)mapping, ch);
        if (v < 0) {
            return 0;
        }
        return _PyBytesBuf_PutByte(b, v) < 0 ? -1 : 1;
    }
    PyObject *key = PyLong_FromLong((long)ch);
    if (key == NULL) {
        return -1;
    }
    PyObject *x = PyObject_GetItem(mapping, key);
    Py_DECREF(key);
    if (x == NULL) {
        if (PyErr_ExceptionMatches(PyExc_LookupError)) {
            PyErr_Clear();
            return 0;
        }
        return -1;
    }
    int res;
    if (x == Py_None) {
        res = 0;
    }
    else if (PyLong_Check(x)) {
        long v = PyLong_AsLong(x);
        if (v == -1 && PyErr_Occurred()) {
            res = -1;
        }
        else if (v < 0 || v > 255) {
            PyErr_SetString(PyExc_TypeError,
                            "character mapping must be in range(256)");
            res = -1;
        }
        else {
            res = _PyBytesBuf_PutByte(b, (int)v) < 0 ? -1 : 1;
        }
    }
    else if (PyBytes_Check(x)) {
        res = _PyBytesBuf_Put(b, PyBytes_AS_STRING(x),
                              PyBytes_GET_SIZE(x)) < 0 ? -1 : 1;
    }
    else {
        PyErr_Format(PyExc_TypeError,
                     "character mapping must return integer, bytes or "
                     "None, not %.400s", Py_TYPE(x)->tp_name);
        res = -1;
    }
    Py_DECREF(x);
    return res;
}

/* Whether ch is mapped (probing into a scratch buffer): 1, 0 or -1. */
static int
is_mapped(PyObject *mapping, Py_UCS4 ch)
{
    _PyBytesBuf scratch = {NULL, 0, 0};
    int r = encode_one(&scratch, mapping, ch);
    PyMem_Free(scratch.buf);
    return r;
}

/* Runs the error handler on the unmappable run unicode[start:end]; a str
   replacement is itself encoded through the mapping.  Resume position or
   -1. */
static Py_ssize_t
charmap_encode_error(_PyBytesBuf *b, PyObject *mapping, const char *errors,
                     PyObject *unicode, Py_ssize_t start, Py_ssize_t end)
{
    PyObject *exc = NULL;
    Py_ssize_t newpos;
    PyObject *rep = _PyCodec_CallEncodeErrorHandler(
        errors, &exc, "charmap", UNDEFINED_REASON, unicode, start, end,
        &newpos);
    if (rep == NULL) {
        Py_XDECREF(exc);
        return -1;
    }
    int rc = 0;
    if (PyBytes_Check(rep)) {
        rc = _PyBytesBuf_Put(b, PyBytes_AS_STRING(rep),
                             PyBytes_GET_SIZE(rep));
    }
    else {
        Py_ssize_t n = PyUnicode_GET_LENGTH(rep);
        for (Py_ssize_t i = 0; i < n && rc == 0; i++) {
            int r = encode_one(b, mapping, PyUnicode_READ_CHAR(rep, i));
            if (r == 0) {
                _PyCodec_RaiseEncodeError(&exc, "charmap", unicode, start,
                                          end, UNDEFINED_REASON);
            }
            rc = r <= 0 ? -1 : 0;
        }
    }
    Py_DECREF(rep);
    Py_XDECREF(exc);
    return rc < 0 ? -1 : newpos;
}

PyObject *
_PyUnicode_EncodeCharmap(PyObject *unicode, PyObject *mapping,
                         const char *errors)
{
    if (!PyUnicode_Check(unicode)) {
        PyErr_BadArgument();
        return NULL;
    }
    if (mapping == NULL) {
        return PyUnicode_AsLatin1String(unicode);
    }
    Py_ssize_t len = PyUnicode_GET_LENGTH(unicode);
    _PyBytesBuf b = {NULL, 0, 0};
    if (_PyBytesBuf_Reserve(&b, len + 1) < 0) {
        return NULL;
    }
    Py_ssize_t pos = 0;
    while (pos < len) {
        int r = encode_one(&b, mapping, PyUnicode_READ_CHAR(unicode, pos));
        if (r < 0) {
            goto error;
        }
        if (r > 0) {
            pos++;
            continue;
        }
        Py_ssize_t end = pos + 1;
        while (end < len) {
            int m = is_mapped(mapping, PyUnicode_READ_CHAR(unicode, end));
            if (m < 0) {
                goto error;
            }
            if (m) {
                break;
            }
            end++;
        }
        pos = charmap_encode_error(&b, mapping, errors, unicode, pos, end);
        if (pos < 0) {
            goto error;
        }
    }
    return _PyBytesBuf_Finish(&b);
error:
    PyMem_Free(b.buf);
    return NULL;
}

PyObject *
PyUnicode_AsCharmapString(PyObject *unicode, PyObject *mapping)
{
    if (mapping == NULL) {
        PyErr_BadArgument();
        return NULL;
    }
    return _PyUnicode_EncodeCharmap(unicode, mapping, NULL);
}
