/* _io.TextIOWrapper and _io.IncrementalNewlineDecoder, plus the private
 * incremental decoder used for UTF-8, latin-1 and ASCII (the encodings
 * str implements itself, so text files work before the codec registry
 * exists and without a Python-level call per chunk).
 *
 * Positions: tell() returns an opaque cookie, as CPython does:
 *   start_pos | dec_flags << 64 | bytes_to_feed << 128
 *             | chars_to_skip << 192 | need_eof << 256
 * where start_pos is a byte offset at which the decoder had state
 * (b"", dec_flags); seek() restores that state, feeds bytes_to_feed
 * bytes and skips chars_to_skip characters.  The snapshot (dec_flags,
 * bytes fed since) is taken before each chunk is decoded.
 *
 * Thread safety: a TextIOWrapper's fields (pending output, decoded
 * characters, snapshot, decoder/encoder, configuration) are guarded by
 * an _PyIOLock held for the whole of each method, including the calls
 * into the buffer, so two threads printing through one stream never
 * lose or tear a write.  The lock is a PyMutex rather than a critical
 * section because it is held across blocking I/O; waiting for it
 * detaches.  A re-entrant call from the holding thread (a signal handler
 * or __del__ printing in the middle of a write) runs without taking the
 * lock again, as the single-threaded CPython code would; the outer call
 * re-reads every field after each call into Python code.
 * IncrementalNewlineDecoder and the private decoder are locked with
 * critical sections around their field updates; their decode() calls
 * the wrapped decoder outside the section. */
#include "Python.h"
#include "structmember.h"
#include "pycore_critical_section.h"
#include "pycore_io.h"

#define SEEN_LF   1
#define SEEN_CR   2
#define SEEN_CRLF 4

/* obj.<name>(arg): new reference. */
static PyObject *
call_method_one(PyObject *obj, const char *name, PyObject *arg)
{
    PyObject *meth = PyObject_GetAttrString(obj, name);
    if (meth == NULL) {
        return NULL;
    }
    PyObject *r = PyObject_CallOneArg(meth, arg);
    Py_DECREF(meth);
    return r;
}

/* ============================================== IncrementalNewlineDecoder */

typedef struct {
    PyObject_HEAD
    PyObject *decoder;
    PyObject *errors;
    int pendingcr;
    int translate;
    int seennl;
} nldecoder;

static int
nldecoder_init(PyObject *op, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"decoder", "translate", "errors", NULL};
    PyObject *decoder, *errors = NULL;
    int translate;
    if (!PyArg_ParseTupleAndKeywords(args, kwds,
                                     "Op|O:IncrementalNewlineDecoder",
                                     kwlist, &decoder, &translate,
                                     &errors)) {
        return -1;
    }
    nldecoder *self = (nldecoder *)op;
    if (errors == NULL) {
        errors = PyUnicode_FromString("strict");
        if (errors == NULL) {
            return -1;
        }
    }
    else {
        Py_INCREF(errors);
    }
    Py_BEGIN_CRITICAL_SECTION(self);
    Py_XSETREF(self->decoder, Py_NewRef(decoder));
    Py_XSETREF(self->errors, errors);
    self->translate = translate;
    self->seennl = 0;
    self->pendingcr = 0;
    Py_END_CRITICAL_SECTION();
    return 0;
}

static int
nldecoder_traverse(PyObject *op, visitproc visit, void *arg)
{
    nldecoder *self = (nldecoder *)op;
    Py_VISIT(self->decoder);
    Py_VISIT(self->errors);
    return 0;
}

static int
nldecoder_clear(PyObject *op)
{
    nldecoder *self = (nldecoder *)op;
    Py_CLEAR(self->decoder);
    Py_CLEAR(self->errors);
    return 0;
}

static void
nldecoder_dealloc(PyObject *op)
{
    PyObject_GC_UnTrack(op);
    nldecoder_clear(op);
    Py_TYPE(op)->tp_free(op);
}

/* The wrapped decoder (new reference, or NULL before __init__), read
   in a section so a concurrent re-__init__ cannot free it under us. */
static PyObject *
nl_get_decoder(nldecoder *self)
{
    PyObject *dec;
    Py_BEGIN_CRITICAL_SECTION(self);
    dec = Py_XNewRef(self->decoder);
    Py_END_CRITICAL_SECTION();
    return dec;
}

/* Record which line endings s contains; translate them if asked.  New
   reference (s stolen). */
static PyObject *
nl_scan_translate(nldecoder *self, PyObject *s)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(s);
    int seen = 0, kind = PyUnicode_KIND(s);
    const void *data = PyUnicode_DATA(s);
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c == '\n') {
            seen |= SEEN_LF;
        }
        else if (c == '\r') {
            if (i + 1 < n && PyUnicode_READ(kind, data, i + 1) == '\n') {
                seen |= SEEN_CRLF;
                i++;
            }
            else {
                seen |= SEEN_CR;
            }
        }
    }
    Py_BEGIN_CRITICAL_SECTION(self);
    self->seennl |= seen;
    Py_END_CRITICAL_SECTION();
    if (!self->translate || (seen & (SEEN_CR | SEEN_CRLF)) == 0) {
        return s;
    }
    _PyUnicodeWriter w;
    _PyUnicodeWriter_Init(&w);
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c == '\r') {
            if (i + 1 < n && PyUnicode_READ(kind, data, i + 1) == '\n') {
                i++;
            }
            c = '\n';
        }
        if (_PyUnicodeWriter_WriteChar(&w, c) < 0) {
            _PyUnicodeWriter_Dealloc(&w);
            Py_DECREF(s);
            return NULL;
        }
    }
    Py_DECREF(s);
    return _PyUnicodeWriter_Finish(&w);
}

PyObject *
_PyIncrementalNewlineDecoder_Decode(PyObject *op, PyObject *input,
                                    int final)
{
    nldecoder *self = (nldecoder *)op;
    PyObject *dec = nl_get_decoder(self);
    if (dec == NULL) {
        PyErr_SetString(PyExc_ValueError,
                        "IncrementalNewlineDecoder.__init__() not called");
        return NULL;
    }
    PyObject *out;
    if (dec == Py_None) {
        out = Py_NewRef(input);
    }
    else {
        PyObject *meth = PyObject_GetAttrString(dec, "decode");
        PyObject *fin = final ? Py_True : Py_False;
        PyObject *args[2] = {input, fin};
        out = meth ? PyObject_Vectorcall(meth, args, 2, NULL) : NULL;
        Py_XDECREF(meth);
    }
    Py_DECREF(dec);
    if (out == NULL) {
        return NULL;
    }
    if (!PyUnicode_Check(out)) {
        PyErr_Format(PyExc_TypeError,
                     "decoder should return a string result, not '%.200s'",
                     Py_TYPE(out)->tp_name);
        Py_DECREF(out);
        return NULL;
    }
    int addcr, holdcr = 0;
    Py_ssize_t n = PyUnicode_GET_LENGTH(out);
    Py_BEGIN_CRITICAL_SECTION(self);
    addcr = self->pendingcr && (final || n > 0);
    if (addcr) {
        self->pendingcr = 0;
    }
    if (!final && (n + addcr) > 0 &&
        (n > 0 ? PyUnicode_READ_CHAR(out, n - 1) == '\r' : addcr)) {
        holdcr = 1;
        self->pendingcr = 1;
    }
    Py_END_CRITICAL_SECTION();
    if (addcr || holdcr) {
        PyObject *t;
        if (addcr && holdcr && n == 0) {
            t = PyUnicode_FromString("");
        }
        else {
            PyObject *body = PyUnicode_Substring(out, 0, n - holdcr);
            if (body == NULL) {
                Py_DECREF(out);
                return NULL;
            }
            if (addcr) {
                PyObject *cr = PyUnicode_FromString("\r");
                t = cr != NULL ? PyUnicode_Concat(cr, body) : NULL;
                Py_XDECREF(cr);
                Py_DECREF(body);
            }
            else {
                t = body;
            }
        }
        Py_DECREF(out);
        if (t == NULL) {
            return NULL;
        }
        out = t;
    }
    return nl_scan_translate(self, out);
}

static PyObject *
nldecoder_decode(PyObject *op, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"input", "final", NULL};
    PyObject *input;
    int final = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O|p:decode", kwlist,
                                     &input, &final)) {
        return NULL;
    }
    return _PyIncrementalNewlineDecoder_Decode(op, input, final);
}

static PyObject *
nldecoder_getstate(PyObject *op, PyObject *unused)
{
    nldecoder *self = (nldecoder *)op;
    PyObject *buffer;
    unsigned long long flag = 0;
    PyObject *dec = nl_get_decoder(self);
    if (dec != NULL && dec != Py_None) {
        PyObject *state = PyObject_CallMethod(dec, "getstate", NULL);
        Py_DECREF(dec);
        if (state == NULL) {
            return NULL;
        }
        if (!PyTuple_Check(state) || PyTuple_GET_SIZE(state) != 2) {
            PyErr_SetString(PyExc_TypeError, "illegal decoder state");
            Py_DECREF(state);
            return NULL;
        }
        buffer = Py_NewRef(PyTuple_GET_ITEM(state, 0));
        flag = PyLong_AsUnsignedLongLong(PyTuple_GET_ITEM(state, 1));
        Py_DECREF(state);
        if (flag == (unsigned long long)-1 && PyErr_Occurred()) {
            Py_DECREF(buffer);
            return NULL;
        }
    }
    else {
        Py_XDECREF(dec);
        buffer = PyBytes_FromStringAndSize(NULL, 0);
        if (buffer == NULL) {
            return NULL;
        }
    }
    flag <<= 1;
    if (self->pendingcr) {
        flag |= 1;
    }
    return Py_BuildValue("(NK)", buffer, flag);
}

static PyObject *
nldecoder_setstate(PyObject *op, PyObject *state)
{
    nldecoder *self = (nldecoder *)op;
    PyObject *buffer;
    unsigned long long flag;
    if (!PyTuple_Check(state)) {
        PyErr_SetString(PyExc_TypeError, "state argument must be a tuple");
        return NULL;
    }
    if (!PyArg_ParseTuple(state, "OK", &buffer, &flag)) {
        return NULL;
    }
    Py_BEGIN_CRITICAL_SECTION(self);
    self->pendingcr = (int)(flag & 1);
    Py_END_CRITICAL_SECTION();
    PyObject *dec = nl_get_decoder(self);
    if (dec != NULL && dec != Py_None) {
        PyObject *st = Py_BuildValue("(OK)", buffer, flag >> 1);
        PyObject *r = st ? call_method_one(dec, "setstate", st) : NULL;
        Py_XDECREF(st);
        Py_DECREF(dec);
        return r;
    }
    Py_XDECREF(dec);
    Py_RETURN_NONE;
}

static PyObject *
nldecoder_reset(PyObject *op, PyObject *unused)
{
    nldecoder *self = (nldecoder *)op;
    Py_BEGIN_CRITICAL_SECTION(self);
    self->seennl = 0;
    self->pendingcr = 0;
    Py_END_CRITICAL_SECTION();
    PyObject *dec = nl_get_decoder(self);
    if (dec != NULL && dec != Py_None) {
        PyObject *r = PyObject_CallMethod(dec, "reset", NULL);
        Py_DECREF(dec);
        return r;
    }
    Py_XDECREF(dec);
    Py_RETURN_NONE;
}

static PyObject *
nldecoder_newlines_get(PyObject *op, void *context)
{
    int seen = _Py_atomic_load_int(&((nldecoder *)op)->seennl);
    switch (seen) {
    case SEEN_LF: return PyUnicode_FromString("\n");
    case SEEN_CR: return PyUnicode_FromString("\r");
    case SEEN_CRLF: return PyUnicode_FromString("\r\n");
    case SEEN_CR | SEEN_LF: return Py_BuildValue("(ss)", "\r", "\n");
    case SEEN_LF | SEEN_CRLF: return Py_BuildValue("(ss)", "\n", "\r\n");
    case SEEN_CR | SEEN_CRLF: return Py_BuildValue("(ss)", "\r", "\r\n");
    case SEEN_CR | SEEN_LF | SEEN_CRLF:
        return Py_BuildValue("(sss)", "\r", "\n", "\r\n");
    default: Py_RETURN_NONE;
    }
}

static PyMethodDef nldecoder_methods[] = {
    {"decode", (PyCFunction)(void (*)(void))nldecoder_decode,
     METH_VARARGS | METH_KEYWORDS, NULL},
    {"getstate", nldecoder_getstate, METH_NOARGS, NULL},
    {"setstate", nldecoder_setstate, METH_O, NULL},
    {"reset", nldecoder_reset, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef nldecoder_getset[] = {
    {"newlines", nldecoder_newlines_get, NULL, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

PyTypeObject _PyIncrementalNewlineDecoder_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "_io.IncrementalNewlineDecoder",
    .tp_basicsize = sizeof(nldecoder),
    .tp_dealloc = nldecoder_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE |
                Py_TPFLAGS_HAVE_GC,
    .tp_doc = "Codec used when reading a file in universal newlines mode.",
    .tp_traverse = nldecoder_traverse,
    .tp_clear = nldecoder_clear,
    .tp_methods = nldecoder_methods,
    .tp_getset = nldecoder_getset,
    .tp_init = nldecoder_init,
    .tp_alloc = PyType_GenericAlloc,
    .tp_new = PyType_GenericNew,
    .tp_free = PyObject_GC_Del,
};

/* ======================================== the private built-in decoder */

enum { ENC_OTHER = 0, ENC_UTF8, ENC_LATIN1, ENC_ASCII };

typedef struct {
    PyObject_HEAD
    int kind;
    PyObject *errors;   /* str */
    PyObject *pending;  /* bytes: an incomplete UTF-8 sequence */
} simpledecoder;

static void
simpledecoder_dealloc(PyObject *op)
{
    simpledecoder *self = (simpledecoder *)op;
    Py_XDECREF(self->errors);
    Py_XDECREF(self->pending);
    Py_TYPE(op)->tp_free(op);
}

/* New decoder for kind (ENC_*), errors a str.  New reference. */
static PyObject *
simpledecoder_create(int kind, PyObject *errors)
{
    simpledecoder *self = PyObject_New(simpledecoder,
                                       &_PyIOSimpleDecoder_Type);
    if (self == NULL) {
        return NULL;
    }
    self->kind = kind;
    self->errors = Py_NewRef(errors);
    self->pending = PyBytes_FromStringAndSize(NULL, 0);
    if (self->pending == NULL) {
        Py_DECREF(self);
        return NULL;
    }
    return (PyObject *)self;
}

static PyObject *
simpledecoder_decode(PyObject *op, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"input", "final", NULL};
    simpledecoder *self = (simpledecoder *)op;
    Py_buffer view;
    int final = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "y*|p:decode", kwlist,
                                     &view, &final)) {
        return NULL;
    }
    const char *errors = PyUnicode_AsUTF8(self->errors);
    if (errors == NULL) {
        PyBuffer_Release(&view);
        return NULL;
    }
    PyObject *data;
    Py_BEGIN_CRITICAL_SECTION(self);
    data = Py_NewRef(self->pending);
    Py_END_CRITICAL_SECTION();
    if (PyBytes_GET_SIZE(data) > 0) {
        PyObject *more = PyBytes_FromStringAndSize(view.buf, view.len);
        PyBytes_ConcatAndDel(&data, more);
    }
    else {
        Py_SETREF(data, PyBytes_FromStringAndSize(view.buf, view.len));
    }
    PyBuffer_Release(&view);
    if (data == NULL) {
        return NULL;
    }
    const char *s = PyBytes_AS_STRING(data);
    Py_ssize_t n = PyBytes_GET_SIZE(data), used = n;
    PyObject *res;
    if (self->kind == ENC_UTF8) {
        res = PyUnicode_DecodeUTF8Stateful(s, n, errors,
                                           final ? NULL : &used);
    }
    else if (self->kind == ENC_LATIN1) {
        res = PyUnicode_DecodeLatin1(s, n, errors);
    }
    else {
        res = PyUnicode_DecodeASCII(s, n, errors);
    }
    if (res != NULL) {
        PyObject *rest = PyBytes_FromStringAndSize(s + used, n - used);
        if (rest == NULL) {
            Py_CLEAR(res);
        }
        else {
            Py_BEGIN_CRITICAL_SECTION(self);
            Py_SETREF(self->pending, rest);
            Py_END_CRITICAL_SECTION();
        }
    }
    Py_DECREF(data);
    return res;
}

static PyObject *
simpledecoder_getstate(PyObject *op, PyObject *unused)
{
    simpledecoder *self = (simpledecoder *)op;
    PyObject *r;
    Py_BEGIN_CRITICAL_SECTION(self);
    r = Py_BuildValue("(Oi)", self->pending, 0);
    Py_END_CRITICAL_SECTION();
    return r;
}

static PyObject *
simpledecoder_setstate(PyObject *op, PyObject *state)
{
    simpledecoder *self = (simpledecoder *)op;
    PyObject *buf, *flag;
    if (!PyArg_ParseTuple(state, "SO", &buf, &flag)) {
        return NULL;
    }
    Py_BEGIN_CRITICAL_SECTION(self);
    Py_SETREF(self->pending, Py_NewRef(buf));
    Py_END_CRITICAL_SECTION();
    Py_RETURN_NONE;
}

static PyObject *
simpledecoder_reset(PyObject *op, PyObject *unused)
{
    simpledecoder *self = (simpledecoder *)op;
    PyObject *empty = PyBytes_FromStringAndSize(NULL, 0);
    if (empty == NULL) {
        return NULL;
    }
    Py_BEGIN_CRITICAL_SECTION(self);
    Py_SETREF(self->pending, empty);
    Py_END_CRITICAL_SECTION();
    Py_RETURN_NONE;
}

static PyMethodDef simpledecoder_methods[] = {
    {"decode", (PyCFunction)(void (*)(void))simpledecoder_decode,
     METH_VARARGS | METH_KEYWORDS, NULL},
    {"getstate", simpledecoder_getstate, METH_NOARGS, NULL},
    {"setstate", simpledecoder_setstate, METH_O, NULL},
    {"reset", simpledecoder_reset, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

PyTypeObject _PyIOSimpleDecoder_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "_io._SimpleDecoder",
    .tp_basicsize = sizeof(simpledecoder),
    .tp_dealloc = simpledecoder_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_methods = simpledecoder_methods,
};

/* Which built-in codec an encoding name denotes (ENC_OTHER if none). */
static int
builtin_encoding(const char *name)
{
    char norm[32];
    size_t i;
    for (i = 0; name[i] != '\0' && i < sizeof(norm) - 1; i++) {
        char c = name[i];
        norm[i] = (c == '_' || c == ' ') ? '-'
                  : (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    if (name[i] != '\0') {
        return ENC_OTHER;
    }
    norm[i] = '\0';
    static const char *const utf8[] = {"utf-8", "utf8", "u8", "utf",
                                       "cp65001", NULL};
    static const char *const latin1[] = {"latin-1", "latin1", "latin",
                                         "iso-8859-1", "iso8859-1", "8859",
                                         "cp819", "l1", NULL};
    static const char *const ascii[] = {"ascii", "us-ascii", "646", "us",
                                        NULL};
    const char *const *tables[] = {utf8, latin1, ascii};
    for (int t = 0; t < 3; t++) {
        for (const char *const *p = tables[t]; *p != NULL; p++) {
            if (strcmp(norm, *p) == 0) {
                return ENC_UTF8 + t;
            }
        }
    }
    return ENC_OTHER;
}

/* ======================================================= TextIOWrapper */

typedef struct {
    _PyIO_HEAD
    int ok;
    int detached;
    Py_ssize_t chunk_size;
    PyObject *buffer;
    PyObject *encoding;
    PyObject *errors;
    int enc_kind;           /* ENC_*: fast encoder when not ENC_OTHER */
    PyObject *encoder;      /* codec encoder (ENC_OTHER) or NULL */
    PyObject *decoder;      /* NULL when not readable */
    PyObject *readnl;       /* NULL: universal */
    const char *writenl;    /* NULL: no translation */
    int readuniversal;
    int readtranslate;
    int writetranslate;
    int line_buffering;
    int write_through;
    int seekable;
    int telling;
    int has_read1;
    int finalizing;
    PyObject *decoded_chars;
    Py_ssize_t decoded_chars_used;
    char *pending;          /* encoded output not yet given to buffer */
    Py_ssize_t pending_len;
    Py_ssize_t pending_cap;
    PyObject *snapshot;     /* (dec_flags, next_input) or NULL */
    _PyIOLock lock;
} textio;

/* Lock unless this thread already holds it.  1 locked (call text_leave),
   0 re-entrant (do not), -1 error. */
static int
text_enter(textio *self)
{
    if (self->ok <= 0) {
        PyErr_SetString(PyExc_ValueError,
                        self->detached ? "underlying buffer has been "
                                         "detached"
                                       : "I/O operation on uninitialized "
                                         "object");
        return -1;
    }
    if (_PyIOLock_HeldByMe(&self->lock)) {
        return 0;
    }
    _PyIOLock_Acquire(&self->lock);
    if (self->ok <= 0) {
        _PyIOLock_Release(&self->lock);
        PyErr_SetString(PyExc_ValueError,
                        "underlying buffer has been detached");
        return -1;
    }
    return 1;
}

static void
text_leave(textio *self, int locked)
{
    if (locked > 0) {
        _PyIOLock_Release(&self->lock);
    }
}

/* ValueError if the buffer is closed.  0/-1. */
static int
text_check_closed(textio *self)
{
    int fast = _PyBuffered_ClosedFast(self->buffer);
    if (fast == 1) {
        PyErr_SetString(PyExc_ValueError, "I/O operation on closed file.");
        return -1;
    }
    if (fast == 0) {
        return 0;
    }
    PyObject *v = _PyIO_GetAttr(self->buffer, _PyIO_ID_closed);
    if (v == NULL) {
        return -1;
    }
    int r = PyObject_IsTrue(v);
    Py_DECREF(v);
    if (r < 0) {
        return -1;
    }
    if (r) {
        PyErr_SetString(PyExc_ValueError, "I/O operation on closed file.");
        return -1;
    }
    return 0;
}

static void
set_decoded_chars(textio *self, PyObject *chars)
{
    Py_XSETREF(self->decoded_chars, chars);
    self->decoded_chars_used = 0;
}

/* Take up to n (all if n < 0) decoded characters.  New reference. */
static PyObject *
get_decoded_chars(textio *self, Py_ssize_t n)
{
    if (self->decoded_chars == NULL) {
        return PyUnicode_FromString("");
    }
    Py_ssize_t len = PyUnicode_GET_LENGTH(self->decoded_chars);
    Py_ssize_t avail = len - self->decoded_chars_used;
    if (n < 0 || n > avail) {
        n = avail;
    }
    PyObject *r = PyUnicode_Substring(self->decoded_chars,
                                      self->decoded_chars_used,
                                      self->decoded_chars_used + n);
    if (r != NULL) {
        self->decoded_chars_used += n;
    }
    return r;
}

/* decoder.decode(input, final): new str or NULL. */
static PyObject *
decoder_decode(PyObject *decoder, PyObject *input, int final)
{
    PyObject *r;
    if (Py_TYPE(decoder) == &_PyIncrementalNewlineDecoder_Type) {
        r = _PyIncrementalNewlineDecoder_Decode(decoder, input, final);
    }
    else {
        r = PyObject_CallMethod(decoder, "decode", "OO", input,
                                final ? Py_True : Py_False);
    }
    if (r != NULL && !PyUnicode_Check(r)) {
        PyErr_Format(PyExc_TypeError,
                     "decoder should return a string result, not '%.200s'",
                     Py_TYPE(r)->tp_name);
        Py_CLEAR(r);
    }
    return r;
}

/* Write pending encoded output to the buffer.  Locked.  0/-1. */
static int
flush_pending(textio *self)
{
    if (self->pending_len == 0) {
        return 0;
    }
    /* Copy out and empty first: buffer.write may re-enter write(). */
    PyObject *b = PyBytes_FromStringAndSize(self->pending,
                                            self->pending_len);
    if (b == NULL) {
        return -1;
    }
    self->pending_len = 0;
    PyObject *r;
    do {
        r = _PyIO_CallMethod1(self->buffer, _PyIO_ID_write, b);
    } while (r == NULL && PyErr_ExceptionMatches(PyExc_InterruptedError) &&
             (PyErr_Clear(), 1));
    Py_DECREF(b);
    if (r == NULL) {
        return -1;
    }
    Py_DECREF(r);
    return 0;
}

/* _codecs.lookup(encoding), refusing codecs that are not text
   encodings as CPython does.  New reference. */
static PyObject *
lookup_text_codec(PyObject *encoding)
{
    PyObject *codecs = PyImport_ImportModule("_codecs");
    if (codecs == NULL) {
        return NULL;
    }
    PyObject *info = PyObject_CallMethod(codecs, "lookup", "O", encoding);
    Py_DECREF(codecs);
    if (info == NULL) {
        return NULL;
    }
    PyObject *is_text = PyObject_GetAttrString(info, "_is_text_encoding");
    if (is_text == NULL) {
        if (!PyErr_ExceptionMatches(PyExc_AttributeError)) {
            Py_DECREF(info);
            return NULL;
        }
        PyErr_Clear();
        return info;
    }
    int ok = PyObject_IsTrue(is_text);
    Py_DECREF(is_text);
    if (ok <= 0) {
        if (ok == 0) {
            PyErr_Format(PyExc_LookupError,
                         "%R is not a text encoding; use codecs.open() to "
                         "handle arbitrary codecs", encoding);
        }
        Py_DECREF(info);
        return NULL;
    }
    return info;
}

/* Build encoder/decoder for the current encoding and errors.  Locked. */
static int
text_set_codecs(textio *self, int readable, int writable)
{
    const char *enc = PyUnicode_AsUTF8(self->encoding);
    const char *errors = PyUnicode_AsUTF8(self->errors);
    if (enc == NULL || errors == NULL) {
        return -1;
    }
    self->enc_kind = builtin_encoding(enc);
    Py_CLEAR(self->encoder);
    Py_CLEAR(self->decoder);
    PyObject *info = NULL;
    if (self->enc_kind == ENC_OTHER) {
        info = lookup_text_codec(self->encoding);
        if (info == NULL) {
            return -1;
        }
    }
    if (readable) {
        PyObject *dec = self->enc_kind != ENC_OTHER
                        ? simpledecoder_create(self->enc_kind, self->errors)
                        : PyObject_CallMethod(info, "incrementaldecoder",
                                              "O", self->errors);
        if (dec == NULL) {
            Py_XDECREF(info);
            return -1;
        }
        if (self->readuniversal) {
            PyObject *nl = PyObject_CallFunction(
                (PyObject *)&_PyIncrementalNewlineDecoder_Type, "Oi", dec,
                self->readtranslate);
            Py_DECREF(dec);
            if (nl == NULL) {
                Py_XDECREF(info);
                return -1;
            }
            dec = nl;
        }
        self->decoder = dec;
    }
    if (writable && self->enc_kind == ENC_OTHER) {
        self->encoder = PyObject_CallMethod(info, "incrementalencoder", "O",
                                            self->errors);
        if (self->encoder == NULL) {
            Py_XDECREF(info);
            return -1;
        }
    }
    else if (!writable) {
        self->enc_kind = -1;
    }
    Py_XDECREF(info);
    return 0;
}

/* Apply a newline argument (None, "", "\n", "\r", "\r\n").  Locked. */
static void
text_set_newline(textio *self, PyObject *newline)
{
    const char *nl = newline == Py_None ? NULL : PyUnicode_AsUTF8(newline);
    self->readuniversal = nl == NULL || nl[0] == '\0';
    self->readtranslate = nl == NULL;
    Py_CLEAR(self->readnl);
    if (nl != NULL && nl[0] != '\0') {
        self->readnl = Py_NewRef(newline);
    }
    self->writetranslate = nl == NULL || nl[0] != '\0';
    self->writenl = NULL;
    if (nl != NULL && nl[0] != '\0' && strcmp(nl, "\n") != 0) {
        self->writenl = strcmp(nl, "\r") == 0 ? "\r" : "\r\n";
    }
}

/* Validate a newline argument.  0/-1. */
static int
check_newline(PyObject *newline)
{
    if (newline == Py_None) {
        return 0;
    }
    if (!PyUnicode_Check(newline)) {
        PyErr_Format(PyExc_TypeError,
                     "TextIOWrapper() argument 'newline' must be str or "
                     "None, not %.50s", Py_TYPE(newline)->tp_name);
        return -1;
    }
    const char *s = PyUnicode_AsUTF8(newline);
    if (s == NULL) {
        return -1;
    }
    if (s[0] != '\0' && strcmp(s, "\n") != 0 && strcmp(s, "\r") != 0 &&
        strcmp(s, "\r\n") != 0) {
        PyErr_Format(PyExc_ValueError, "illegal newline value: %U", newline);
        return -1;
    }
    return 0;
}

/* Ask a boolean question of the buffer.  1/0/-1. */
static int
buffer_bool(PyObject *buffer, const char *method)
{
    PyObject *r = PyObject_CallMethod(buffer, method, NULL);
    if (r == NULL) {
        return -1;
    }
    int v = PyObject_IsTrue(r);
    Py_DECREF(r);
    return v;
}

/* After a seek to a non-zero position, a BOM-writing encoder must not
   write its BOM again.  Locked. */
static int
encoder_setstate_zero(textio *self)
{
    if (self->encoder == NULL) {
        return 0;
    }
    PyObject *r = PyObject_CallMethod(self->encoder, "setstate", "i", 0);
    Py_XDECREF(r);
    return r == NULL ? -1 : 0;
}

static int
textio_init(PyObject *op, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"buffer", "encoding", "errors", "newline",
                             "line_buffering", "write_through", NULL};
    textio *self = (textio *)op;
    PyObject *buffer, *encoding = Py_None, *errors = Py_None;
    PyObject *newline = Py_None;
    int line_buffering = 0, write_through = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O|OOOpp:TextIOWrapper",
                                     kwlist, &buffer, &encoding, &errors,
                                     &newline, &line_buffering,
                                     &write_through)) {
        return -1;
    }
    if (encoding != Py_None && !PyUnicode_Check(encoding)) {
        PyErr_Format(PyExc_TypeError,
                     "TextIOWrapper() argument 'encoding' must be str or "
                     "None, not %.50s", Py_TYPE(encoding)->tp_name);
        return -1;
    }
    if (errors != Py_None && !PyUnicode_Check(errors)) {
        PyErr_Format(PyExc_TypeError,
                     "TextIOWrapper() argument 'errors' must be str or "
                     "None, not %.50s", Py_TYPE(errors)->tp_name);
        return -1;
    }
    if (check_newline(newline) < 0) {
        return -1;
    }
    if (encoding == Py_None ||
        _PyUnicode_EqualToASCIIString(encoding, "locale")) {
        encoding = PyUnicode_FromString("UTF-8");
    }
    else {
        Py_INCREF(encoding);
    }
    if (encoding == NULL) {
        return -1;
    }
    if (errors == Py_None) {
        errors = PyUnicode_FromString("strict");
        if (errors == NULL) {
            Py_DECREF(encoding);
            return -1;
        }
    }
    else {
        Py_INCREF(errors);
    }
    int readable = buffer_bool(buffer, "readable");
    int writable = readable < 0 ? -1 : buffer_bool(buffer, "writable");
    int seekable = writable < 0 ? -1 : buffer_bool(buffer, "seekable");
    int has_read1 = seekable < 0 ? -1 : PyObject_HasAttrString(buffer,
                                                               "read1");
    if (has_read1 < 0) {
        Py_DECREF(encoding);
        Py_DECREF(errors);
        return -1;
    }
    _PyIOLock_Acquire(&self->lock);
    self->ok = 0;
    self->detached = 0;
    Py_XSETREF(self->buffer, Py_NewRef(buffer));
    Py_XSETREF(self->encoding, encoding);
    Py_XSETREF(self->errors, errors);
    text_set_newline(self, newline);
    self->line_buffering = line_buffering;
    self->write_through = write_through;
    self->chunk_size = 8192;
    self->seekable = self->telling = seekable;
    self->has_read1 = has_read1;
    set_decoded_chars(self, NULL);
    self->pending_len = 0;
    Py_CLEAR(self->snapshot);
    int r = text_set_codecs(self, readable, writable);
    if (r == 0 && self->encoder != NULL && seekable && writable) {
        PyObject *pos = PyObject_CallMethod(buffer, "tell", NULL);
        if (pos == NULL) {
            r = -1;
        }
        else {
            int nonzero = PyObject_IsTrue(pos);
            Py_DECREF(pos);
            r = nonzero < 0 ? -1 : nonzero ? encoder_setstate_zero(self) : 0;
        }
    }
    if (r == 0) {
        self->ok = 1;
    }
    _PyIOLock_Release(&self->lock);
    return r;
}

static PyObject *
textio_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    return type->tp_alloc(type, 0);
}

static int
textio_traverse(PyObject *op, visitproc visit, void *arg)
{
    textio *self = (textio *)op;
    Py_VISIT(self->buffer);
    Py_VISIT(self->encoding);
    Py_VISIT(self->errors);
    Py_VISIT(self->encoder);
    Py_VISIT(self->decoder);
    Py_VISIT(self->readnl);
    Py_VISIT(self->decoded_chars);
    Py_VISIT(self->snapshot);
    Py_VISIT(self->dict);
    return 0;
}

static int
textio_clear(PyObject *op)
{
    textio *self = (textio *)op;
    self->ok = 0;
    Py_CLEAR(self->buffer);
    Py_CLEAR(self->encoding);
    Py_CLEAR(self->errors);
    Py_CLEAR(self->encoder);
    Py_CLEAR(self->decoder);
    Py_CLEAR(self->readnl);
    Py_CLEAR(self->decoded_chars);
    PyMem_Free(self->pending);
    self->pending = NULL;
    self->pending_len = self->pending_cap = 0;
    Py_CLEAR(self->snapshot);
    Py_CLEAR(self->dict);
    return 0;
}

static void
textio_dealloc(PyObject *op)
{
    textio *self = (textio *)op;
    self->finalizing = 1;
    if (self->ok > 0 && _PyIOBase_Finalize(op) < 0) {
        return;
    }
    PyObject_GC_UnTrack(op);
    textio_clear(op);
    Py_TYPE(op)->tp_free(op);
}

/* ------------------------------------------------------------- writing */

/* Encode text with the configured codec.  New bytes reference. */
static PyObject *
text_encode(textio *self, PyObject *text)
{
    if (self->enc_kind > ENC_OTHER) {
        const char *errors = PyUnicode_AsUTF8(self->errors);
        if (errors == NULL) {
            return NULL;
        }
        const char *name = self->enc_kind == ENC_UTF8 ? "utf-8"
                           : self->enc_kind == ENC_LATIN1 ? "latin-1"
                           : "ascii";
        return PyUnicode_AsEncodedString(text, name, errors);
    }
    PyObject *b = PyObject_CallMethod(self->encoder, "encode", "O", text);
    if (b != NULL && !PyBytes_Check(b)) {
        PyErr_Format(PyExc_TypeError,
                     "encoder should return a bytes object, not '%.200s'",
                     Py_TYPE(b)->tp_name);
        Py_CLEAR(b);
    }
    return b;
}

/* Replace "\n" with writenl.  New reference. */
static PyObject *
translate_newlines(PyObject *text, const char *writenl)
{
    PyObject *lf = PyUnicode_FromString("\n");
    PyObject *nl = PyUnicode_FromString(writenl);
    PyObject *r = NULL;
    if (lf != NULL && nl != NULL) {
        r = PyUnicode_Replace(text, lf, nl, -1);
    }
    Py_XDECREF(lf);
    Py_XDECREF(nl);
    return r;
}

/* Append encoded bytes to the pending output.  Locked.  0/-1. */
static int
pending_append(textio *self, const char *data, Py_ssize_t len)
{
    if (self->pending_len + len > self->pending_cap) {
        Py_ssize_t ncap = self->pending_cap * 2;
        if (ncap < self->pending_len + len) {
            ncap = self->pending_len + len;
        }
        if (ncap < 256) {
            ncap = 256;
        }
        char *np = PyMem_Realloc(self->pending, ncap);
        if (np == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        self->pending = np;
        self->pending_cap = ncap;
    }
    memcpy(self->pending + self->pending_len, data, len);
    self->pending_len += len;
    return 0;
}

static PyObject *
text_write_locked(textio *self, PyObject *text)
{
    if (text_check_closed(self) < 0) {
        return NULL;
    }
    if (self->enc_kind < 0) {
        return _PyIO_Unsupported("not writable");
    }
    Py_ssize_t textlen = PyUnicode_GET_LENGTH(text);
    int haslf = (self->writetranslate && self->writenl != NULL) ||
                self->line_buffering
                ? PyUnicode_FindChar(text, '\n', 0, textlen, 1) >= 0 : 0;
    Py_INCREF(text);
    if (haslf && self->writetranslate && self->writenl != NULL) {
        Py_SETREF(text, translate_newlines(text, self->writenl));
        if (text == NULL) {
            return NULL;
        }
    }
    int needflush = self->line_buffering &&
        (haslf || PyUnicode_FindChar(text, '\r', 0,
                                     PyUnicode_GET_LENGTH(text), 1) >= 0);
    /* ASCII text is its own UTF-8/latin-1/ASCII encoding. */
    PyObject *b = NULL;
    const char *data;
    Py_ssize_t len;
    if (self->enc_kind > ENC_OTHER && PyUnicode_IS_ASCII(text)) {
        data = PyUnicode_DATA(text);
        len = PyUnicode_GET_LENGTH(text);
    }
    else {
        b = text_encode(self, text);
        if (b == NULL) {
            Py_DECREF(text);
            return NULL;
        }
        data = PyBytes_AS_STRING(b);
        len = PyBytes_GET_SIZE(b);
    }
    int r = pending_append(self, data, len);
    Py_XDECREF(b);
    Py_DECREF(text);
    if (r < 0) {
        return NULL;
    }
    if (self->pending_len >= self->chunk_size || needflush ||
        self->write_through) {
        if (flush_pending(self) < 0) {
            return NULL;
        }
    }
    if (needflush) {
        PyObject *f = _PyIO_CallMethod0(self->buffer, _PyIO_ID_flush);
        if (f == NULL) {
            return NULL;
        }
        Py_DECREF(f);
    }
    set_decoded_chars(self, NULL);
    Py_CLEAR(self->snapshot);
    if (self->decoder != NULL) {
        PyObject *rr = _PyIO_CallMethod0(self->decoder, _PyIO_ID_reset);
        if (rr == NULL) {
            return NULL;
        }
        Py_DECREF(rr);
    }
    return PyLong_FromSsize_t(textlen);
}

static PyObject *
textio_write(PyObject *op, PyObject *text)
{
    textio *self = (textio *)op;
    if (!PyUnicode_Check(text)) {
        PyErr_Format(PyExc_TypeError, "write() argument must be str, not "
                     "%.100s", Py_TYPE(text)->tp_name);
        return NULL;
    }
    int locked = text_enter(self);
    if (locked < 0) {
        return NULL;
    }
    PyObject *r = text_write_locked(self, text);
    text_leave(self, locked);
    return r;
}

/* ------------------------------------------------------------- reading */

/* Read and decode one chunk.  1 more data may follow, 0 EOF, -1 error.
   Locked. */
static int
read_chunk(textio *self, Py_ssize_t size_hint)
{
    if (self->decoder == NULL) {
        _PyIO_Unsupported("not readable");
        return -1;
    }
    PyObject *dec_buffer = NULL, *dec_flags = NULL;
    if (self->telling) {
        PyObject *state = _PyIO_CallMethod0(self->decoder, _PyIO_ID_getstate);
        if (state == NULL) {
            return -1;
        }
        if (!PyTuple_Check(state) || PyTuple_GET_SIZE(state) != 2 ||
            !PyBytes_Check(PyTuple_GET_ITEM(state, 0))) {
            PyErr_SetString(PyExc_TypeError, "illegal decoder state");
            Py_DECREF(state);
            return -1;
        }
        dec_buffer = Py_NewRef(PyTuple_GET_ITEM(state, 0));
        dec_flags = Py_NewRef(PyTuple_GET_ITEM(state, 1));
        Py_DECREF(state);
    }
    Py_ssize_t size = self->chunk_size > size_hint ? self->chunk_size
                                                   : size_hint;
    PyObject *chunk = _PyIO_CallMethodSize(
        self->buffer, self->has_read1 ? _PyIO_ID_read1 : _PyIO_ID_read, size);
    if (chunk == NULL) {
        goto error;
    }
    if (!PyBytes_Check(chunk)) {
        if (chunk == Py_None || !PyObject_CheckBuffer(chunk)) {
            PyErr_Format(PyExc_TypeError,
                         "underlying %s() should have returned a bytes-like "
                         "object, not '%.200s'",
                         self->has_read1 ? "read1" : "read",
                         Py_TYPE(chunk)->tp_name);
            Py_DECREF(chunk);
            goto error;
        }
        Py_SETREF(chunk, PyObject_Bytes(chunk));
        if (chunk == NULL) {
            goto error;
        }
    }
    int eof = PyBytes_GET_SIZE(chunk) == 0;
    PyObject *decoder = Py_NewRef(self->decoder);
    PyObject *decoded = decoder_decode(decoder, chunk, eof);
    Py_DECREF(decoder);
    if (decoded == NULL) {
        Py_DECREF(chunk);
        goto error;
    }
    set_decoded_chars(self, decoded);
    if (dec_buffer != NULL) {
        PyBytes_Concat(&dec_buffer, chunk);
        if (dec_buffer == NULL) {
            Py_DECREF(chunk);
            goto error;
        }
        Py_XSETREF(self->snapshot, PyTuple_Pack(2, dec_flags, dec_buffer));
        Py_DECREF(dec_buffer);
        Py_DECREF(dec_flags);
        if (self->snapshot == NULL) {
            Py_DECREF(chunk);
            return -1;
        }
    }
    Py_DECREF(chunk);
    return !eof;
error:
    Py_XDECREF(dec_buffer);
    Py_XDECREF(dec_flags);
    return -1;
}

/* Common prologue of the reading methods.  Locked.  0/-1. */
static int
text_prepare_read(textio *self)
{
    if (text_check_closed(self) < 0) {
        return -1;
    }
    if (self->decoder == NULL) {
        _PyIO_Unsupported("not readable");
        return -1;
    }
    return flush_pending(self);
}

/* read(-1): everything left.  Locked. */
static PyObject *
read_all_locked(textio *self)
{
    PyObject *bytes = PyObject_CallMethod(self->buffer, "read", NULL);
    if (bytes == NULL) {
        return NULL;
    }
    if (!PyBytes_Check(bytes)) {
        PyErr_Format(PyExc_TypeError,
                     "underlying read() should have returned a bytes "
                     "object, not '%.200s'", Py_TYPE(bytes)->tp_name);
        Py_DECREF(bytes);
        return NULL;
    }
    PyObject *decoder = Py_NewRef(self->decoder);
    PyObject *decoded = decoder_decode(decoder, bytes, 1);
    Py_DECREF(decoder);
    Py_DECREF(bytes);
    if (decoded == NULL) {
        return NULL;
    }
    PyObject *head = get_decoded_chars(self, -1);
    if (head == NULL) {
        Py_DECREF(decoded);
        return NULL;
    }
    PyObject *r = PyUnicode_Concat(head, decoded);
    Py_DECREF(head);
    Py_DECREF(decoded);
    set_decoded_chars(self, NULL);
    Py_CLEAR(self->snapshot);
    return r;
}

static PyObject *
read_n_locked(textio *self, Py_ssize_t n)
{
    PyObject *result = get_decoded_chars(self, n);
    if (result == NULL) {
        return NULL;
    }
    while (PyUnicode_GET_LENGTH(result) < n) {
        int r = read_chunk(self, n - PyUnicode_GET_LENGTH(result));
        if (r < 0) {
            Py_DECREF(result);
            return NULL;
        }
        PyObject *more = get_decoded_chars(
            self, n - PyUnicode_GET_LENGTH(result));
        if (more == NULL) {
            Py_DECREF(result);
            return NULL;
        }
        PyUnicode_AppendAndDel(&result, more);
        if (result == NULL || r == 0) {
            break;
        }
    }
    return result;
}

static PyObject *
textio_read(PyObject *op, PyObject *args)
{
    textio *self = (textio *)op;
    Py_ssize_t n = -1;
    if (!PyArg_ParseTuple(args, "|O&:read", _PyIO_ConvertSsize, &n)) {
        return NULL;
    }
    int locked = text_enter(self);
    if (locked < 0) {
        return NULL;
    }
    PyObject *r = NULL;
    if (text_prepare_read(self) == 0) {
        r = n < 0 ? read_all_locked(self) : read_n_locked(self, n);
    }
    text_leave(self, locked);
    return r;
}

/* Where the first line ending at or after start ends in line, or -1.
   *next_start says where to resume after more data arrives. */
static Py_ssize_t
find_line_end(textio *self, PyObject *line, Py_ssize_t start, int eof,
              Py_ssize_t *next_start)
{
    Py_ssize_t len = PyUnicode_GET_LENGTH(line);
    *next_start = len;
    if (self->readtranslate || (self->readnl != NULL &&
        _PyUnicode_EqualToASCIIString(self->readnl, "\n"))) {
        Py_ssize_t i = start < len
                       ? PyUnicode_FindChar(line, '\n', start, len, 1) : -1;
        return i >= 0 ? i + 1 : -1;
    }
    if (self->readuniversal) {
        int kind = PyUnicode_KIND(line);
        const void *data = PyUnicode_DATA(line);
        for (Py_ssize_t i = start; i < len; i++) {
            Py_UCS4 c = PyUnicode_READ(kind, data, i);
            if (c == '\n') {
                return i + 1;
            }
            if (c == '\r') {
                if (i + 1 < len) {
                    return PyUnicode_READ(kind, data, i + 1) == '\n' ? i + 2
                                                                     : i + 1;
                }
                if (eof) {
                    return i + 1;
                }
                *next_start = i;
                return -1;
            }
        }
        return -1;
    }
    Py_ssize_t nllen = PyUnicode_GET_LENGTH(self->readnl);
    Py_ssize_t i = start < len ? PyUnicode_Find(line, self->readnl, start,
                                                len, 1)
                               : -1;
    if (i >= 0) {
        return i + nllen;
    }
    *next_start = len - nllen + 1 > start ? len - nllen + 1 : start;
    return i == -2 ? -2 : -1;
}

static PyObject *
readline_locked(textio *self, Py_ssize_t limit)
{
    PyObject *line = get_decoded_chars(self, -1);
    if (line == NULL) {
        return NULL;
    }
    Py_ssize_t start = 0, endpos, next;
    int eof = 0;
    for (;;) {
        endpos = find_line_end(self, line, start, eof, &next);
        if (endpos == -2) {
            Py_DECREF(line);
            return NULL;
        }
        if (endpos >= 0) {
            break;
        }
        if (limit >= 0 && PyUnicode_GET_LENGTH(line) >= limit) {
            endpos = limit;
            break;
        }
        if (eof) {
            endpos = PyUnicode_GET_LENGTH(line);
            break;
        }
        start = next;
        PyObject *more = NULL;
        for (;;) {
            int r = read_chunk(self, 0);
            if (r < 0) {
                Py_DECREF(line);
                return NULL;
            }
            more = get_decoded_chars(self, -1);
            if (more == NULL) {
                Py_DECREF(line);
                return NULL;
            }
            if (r == 0) {
                eof = 1;
            }
            if (PyUnicode_GET_LENGTH(more) > 0 || eof) {
                break;
            }
            Py_DECREF(more);
        }
        PyUnicode_AppendAndDel(&line, more);
        if (line == NULL) {
            return NULL;
        }
    }
    if (limit >= 0 && endpos > limit) {
        endpos = limit;
    }
    Py_ssize_t len = PyUnicode_GET_LENGTH(line);
    if (endpos < len) {
        /* Give back the rest: it is a suffix of the last decoded chunk. */
        self->decoded_chars_used -= len - endpos;
        PyObject *r = PyUnicode_Substring(line, 0, endpos);
        Py_DECREF(line);
        return r;
    }
    return line;
}

static PyObject *
textio_readline(PyObject *op, PyObject *args)
{
    textio *self = (textio *)op;
    Py_ssize_t limit = -1;
    if (!PyArg_ParseTuple(args, "|O&:readline", _PyIO_ConvertSsize,
                          &limit)) {
        return NULL;
    }
    int locked = text_enter(self);
    if (locked < 0) {
        return NULL;
    }
    PyObject *r = NULL;
    if (text_prepare_read(self) == 0) {
        r = readline_locked(self, limit);
    }
    text_leave(self, locked);
    return r;
}

static PyObject *
textio_iternext(PyObject *op)
{
    textio *self = (textio *)op;
    PyObject *line;
    int locked = text_enter(self);
    if (locked < 0) {
        return NULL;
    }
    if (Py_TYPE(op) == &_PyTextIOWrapper_Type) {
        self->telling = 0;
        line = text_prepare_read(self) == 0 ? readline_locked(self, -1)
                                            : NULL;
    }
    else {
        line = PyObject_CallMethod(op, "readline", NULL);
        if (line != NULL && !PyUnicode_Check(line)) {
            PyErr_Format(PyExc_OSError,
                         "readline() should have returned a str object, "
                         "not '%.200s'", Py_TYPE(line)->tp_name);
            Py_CLEAR(line);
        }
    }
    if (line != NULL && PyUnicode_GET_LENGTH(line) == 0) {
        Py_CLEAR(line);
        Py_CLEAR(self->snapshot);
        self->telling = self->seekable;
    }
    text_leave(self, locked);
    return line;
}

/* --------------------------------------------------------- tell / seek */

/* Pack the five cookie fields into an int.  New reference. */
static PyObject *
pack_cookie(long long start_pos, PyObject *dec_flags,
            long long bytes_to_feed, int need_eof, long long chars_to_skip)
{
    PyObject *fields[5];
    fields[0] = PyLong_FromLongLong(start_pos);
    fields[1] = Py_NewRef(dec_flags);
    fields[2] = PyLong_FromLongLong(bytes_to_feed);
    fields[3] = PyLong_FromLongLong(chars_to_skip);
    fields[4] = PyLong_FromLong(need_eof);
    PyObject *res = PyLong_FromLong(0);
    for (int i = 4; i >= 0 && res != NULL; i--) {
        PyObject *shift = PyLong_FromLong(64);
        if (fields[i] == NULL || shift == NULL) {
            Py_CLEAR(res);
            Py_XDECREF(shift);
            break;
        }
        PyObject *t = PyNumber_Lshift(res, shift);
        Py_DECREF(shift);
        Py_SETREF(res, t);
        if (res != NULL) {
            Py_SETREF(res, PyNumber_Or(res, fields[i]));
        }
    }
    for (int i = 0; i < 5; i++) {
        Py_XDECREF(fields[i]);
    }
    return res;
}

typedef struct {
    long long start_pos;
    PyObject *dec_flags;    /* new reference */
    long long bytes_to_feed;
    long long chars_to_skip;
    int need_eof;
} cookie_t;

static int
unpack_cookie(PyObject *cookieobj, cookie_t *c)
{
    long long vals[5];
    PyObject *mask = PyLong_FromUnsignedLongLong(~0ULL);
    PyObject *shift = PyLong_FromLong(64);
    PyObject *cur = Py_NewRef(cookieobj);
    c->dec_flags = NULL;
    int ok = mask != NULL && shift != NULL;
    for (int i = 0; i < 5 && ok; i++) {
        PyObject *part = PyNumber_And(cur, mask);
        if (part == NULL) {
            ok = 0;
            break;
        }
        if (i == 1) {
            c->dec_flags = part;
        }
        else {
            vals[i] = (long long)PyLong_AsUnsignedLongLong(part);
            Py_DECREF(part);
            if (PyErr_Occurred()) {
                ok = 0;
                break;
            }
        }
        Py_SETREF(cur, PyNumber_Rshift(cur, shift));
        ok = cur != NULL;
    }
    Py_XDECREF(mask);
    Py_XDECREF(shift);
    Py_XDECREF(cur);
    if (!ok) {
        Py_CLEAR(c->dec_flags);
        return -1;
    }
    c->start_pos = vals[0];
    c->bytes_to_feed = vals[2];
    c->chars_to_skip = vals[3];
    c->need_eof = vals[4] != 0;
    return 0;
}

/* decoder.setstate((b"", dec_flags)).  0/-1. */
static int
decoder_setstate_flags(PyObject *decoder, PyObject *dec_flags)
{
    PyObject *st = Py_BuildValue("(yO)", "", dec_flags);
    if (st == NULL) {
        return -1;
    }
    PyObject *r = call_method_one(decoder, "setstate", st);
    Py_DECREF(st);
    Py_XDECREF(r);
    return r == NULL ? -1 : 0;
}

/* Feed next_input byte by byte from a clean decoder state until
   chars_to_skip characters are produced, finding the last point where
   the decoder had no buffered input.  Locked. */
static PyObject *
tell_reconstruct(textio *self, long long position, PyObject *dec_flags,
                 PyObject *next_input, long long chars_to_skip)
{
    PyObject *decoder = Py_NewRef(self->decoder);
    PyObject *saved = PyObject_CallMethod(decoder, "getstate", NULL);
    PyObject *res = NULL;
    if (saved == NULL) {
        Py_DECREF(decoder);
        return NULL;
    }
    if (decoder_setstate_flags(decoder, dec_flags) < 0) {
        goto done;
    }
    long long start_pos = position, bytes_fed = 0, chars_decoded = 0;
    PyObject *start_flags = Py_NewRef(dec_flags);
    int need_eof = 0;
    const char *in = PyBytes_AS_STRING(next_input);
    Py_ssize_t n = PyBytes_GET_SIZE(next_input), i;
    for (i = 0; i < n; i++) {
        PyObject *b = PyBytes_FromStringAndSize(in + i, 1);
        PyObject *s = b ? decoder_decode(decoder, b, 0) : NULL;
        Py_XDECREF(b);
        if (s == NULL) {
            Py_DECREF(start_flags);
            goto done;
        }
        bytes_fed++;
        chars_decoded += PyUnicode_GET_LENGTH(s);
        Py_DECREF(s);
        PyObject *st = PyObject_CallMethod(decoder, "getstate", NULL);
        if (st == NULL || !PyTuple_Check(st) || PyTuple_GET_SIZE(st) != 2) {
            if (st != NULL) {
                PyErr_SetString(PyExc_TypeError, "illegal decoder state");
            }
            Py_XDECREF(st);
            Py_DECREF(start_flags);
            goto done;
        }
        PyObject *buf = PyTuple_GET_ITEM(st, 0);
        if (PyObject_Size(buf) == 0 && chars_decoded <= chars_to_skip) {
            start_pos += bytes_fed;
            chars_to_skip -= chars_decoded;
            Py_SETREF(start_flags, Py_NewRef(PyTuple_GET_ITEM(st, 1)));
            bytes_fed = 0;
            chars_decoded = 0;
        }
        Py_DECREF(st);
        if (chars_decoded >= chars_to_skip) {
            break;
        }
    }
    if (i == n) {
        PyObject *e = PyBytes_FromStringAndSize(NULL, 0);
        PyObject *s = e ? decoder_decode(decoder, e, 1) : NULL;
        Py_XDECREF(e);
        if (s == NULL) {
            Py_DECREF(start_flags);
            goto done;
        }
        chars_decoded += PyUnicode_GET_LENGTH(s);
        Py_DECREF(s);
        need_eof = 1;
        if (chars_decoded < chars_to_skip) {
            PyErr_SetString(PyExc_OSError,
                            "can't reconstruct logical file position");
            Py_DECREF(start_flags);
            goto done;
        }
    }
    res = pack_cookie(start_pos, start_flags, bytes_fed, need_eof,
                      chars_to_skip);
    Py_DECREF(start_flags);
done:
    {
        PyObject *exc = PyErr_GetRaisedException();
        PyObject *r = call_method_one(decoder, "setstate", saved);
        if (r == NULL) {
            Py_CLEAR(res);
            _PyErr_ChainExceptions1(exc);
        }
        else {
            Py_DECREF(r);
            PyErr_SetRaisedException(exc);
        }
    }
    Py_DECREF(saved);
    Py_DECREF(decoder);
    return res;
}

static PyObject *
tell_locked(textio *self)
{
    if (text_check_closed(self) < 0) {
        return NULL;
    }
    if (!self->seekable) {
        return _PyIO_Unsupported("underlying stream is not seekable");
    }
    if (!self->telling) {
        PyErr_SetString(PyExc_OSError,
                        "telling position disabled by next() call");
        return NULL;
    }
    if (flush_pending(self) < 0) {
        return NULL;
    }
    PyObject *f = _PyIO_CallMethod0(self->buffer, _PyIO_ID_flush);
    if (f == NULL) {
        return NULL;
    }
    Py_DECREF(f);
    PyObject *posobj = PyObject_CallMethod(self->buffer, "tell", NULL);
    if (posobj == NULL) {
        return NULL;
    }
    if (self->decoder == NULL || self->snapshot == NULL) {
        return posobj;
    }
    long long position = PyLong_AsLongLong(posobj);
    Py_DECREF(posobj);
    if (position == -1 && PyErr_Occurred()) {
        return NULL;
    }
    PyObject *snapshot = Py_NewRef(self->snapshot);
    PyObject *dec_flags = PyTuple_GET_ITEM(snapshot, 0);
    PyObject *next_input = PyTuple_GET_ITEM(snapshot, 1);
    position -= PyBytes_GET_SIZE(next_input);
    PyObject *res;
    if (self->decoded_chars_used == 0) {
        res = pack_cookie(position, dec_flags, 0, 0, 0);
    }
    else {
        res = tell_reconstruct(self, position, dec_flags, next_input,
                               self->decoded_chars_used);
    }
    Py_DECREF(snapshot);
    return res;
}

static PyObject *
textio_tell(PyObject *op, PyObject *unused)
{
    textio *self = (textio *)op;
    int locked = text_enter(self);
    if (locked < 0) {
        return NULL;
    }
    PyObject *r = tell_locked(self);
    text_leave(self, locked);
    return r;
}

/* Flush our pending output and the buffer.  Locked.  0/-1. */
static int
flush_all(textio *self)
{
    if (flush_pending(self) < 0) {
        return -1;
    }
    PyObject *f = _PyIO_CallMethod0(self->buffer, _PyIO_ID_flush);
    Py_XDECREF(f);
    return f == NULL ? -1 : 0;
}

/* Reset the decoder (cookie 0) or restore (b"", dec_flags).  Locked. */
static int
seek_restore_decoder(textio *self, PyObject *cookieobj, cookie_t *c)
{
    if (self->decoder == NULL) {
        return 0;
    }
    int zero = PyObject_Not(cookieobj);
    if (zero < 0) {
        return -1;
    }
    if (zero) {
        PyObject *r = _PyIO_CallMethod0(self->decoder, _PyIO_ID_reset);
        Py_XDECREF(r);
        return r == NULL ? -1 : 0;
    }
    if (decoder_setstate_flags(self->decoder, c->dec_flags) < 0) {
        return -1;
    }
    PyObject *empty = PyBytes_FromStringAndSize(NULL, 0);
    if (empty == NULL) {
        return -1;
    }
    Py_XSETREF(self->snapshot, PyTuple_Pack(2, c->dec_flags, empty));
    Py_DECREF(empty);
    return self->snapshot == NULL ? -1 : 0;
}

/* Feed bytes_to_feed bytes and skip chars_to_skip characters.  Locked. */
static int
seek_skip_chars(textio *self, cookie_t *c)
{
    if (c->chars_to_skip == 0) {
        return 0;
    }
    PyObject *input = PyObject_CallMethod(self->buffer, "read", "L",
                                          c->bytes_to_feed);
    if (input == NULL) {
        return -1;
    }
    if (!PyBytes_Check(input)) {
        PyErr_Format(PyExc_TypeError,
                     "underlying read() should have returned a bytes "
                     "object, not '%.200s'", Py_TYPE(input)->tp_name);
        Py_DECREF(input);
        return -1;
    }
    Py_XSETREF(self->snapshot, PyTuple_Pack(2, c->dec_flags, input));
    PyObject *decoded = self->snapshot
                        ? decoder_decode(self->decoder, input, c->need_eof)
                        : NULL;
    Py_DECREF(input);
    if (decoded == NULL) {
        return -1;
    }
    set_decoded_chars(self, decoded);
    if (PyUnicode_GET_LENGTH(decoded) < c->chars_to_skip) {
        PyErr_SetString(PyExc_OSError,
                        "can't restore logical file position");
        return -1;
    }
    self->decoded_chars_used = c->chars_to_skip;
    return 0;
}

static PyObject *
seek_locked(textio *self, PyObject *cookieobj, int whence)
{
    if (text_check_closed(self) < 0) {
        return NULL;
    }
    if (!self->seekable) {
        return _PyIO_Unsupported("underlying stream is not seekable");
    }
    PyObject *owned = NULL;
    if (whence == 1 || whence == 2) {
        int zero = PyObject_Not(cookieobj);
        if (zero < 0) {
            return NULL;
        }
        if (!zero) {
            return _PyIO_Unsupported(whence == 1
                                     ? "can't do nonzero cur-relative seeks"
                                     : "can't do nonzero end-relative "
                                       "seeks");
        }
    }
    if (whence == 1) {
        owned = tell_locked(self);
        if (owned == NULL) {
            return NULL;
        }
        cookieobj = owned;
    }
    else if (whence == 2) {
        if (flush_all(self) < 0) {
            return NULL;
        }
        set_decoded_chars(self, NULL);
        Py_CLEAR(self->snapshot);
        if (self->decoder != NULL) {
            PyObject *r = _PyIO_CallMethod0(self->decoder, _PyIO_ID_reset);
            if (r == NULL) {
                return NULL;
            }
            Py_DECREF(r);
        }
        PyObject *res = PyObject_CallMethod(self->buffer, "seek", "ii", 0,
                                            2);
        if (res != NULL && self->encoder != NULL) {
            int nonzero = PyObject_IsTrue(res);
            if (nonzero < 0 || (nonzero && encoder_setstate_zero(self) < 0)) {
                Py_CLEAR(res);
            }
        }
        return res;
    }
    else if (whence != 0) {
        PyErr_Format(PyExc_ValueError,
                     "invalid whence (%d, should be 0, 1 or 2)", whence);
        return NULL;
    }
    else {
        Py_INCREF(cookieobj);
        owned = cookieobj;
    }
    PyObject *zero = PyLong_FromLong(0);
    int neg = zero ? PyObject_RichCompareBool(cookieobj, zero, Py_LT) : -1;
    Py_XDECREF(zero);
    if (neg != 0) {
        if (neg > 0) {
            PyErr_Format(PyExc_ValueError, "negative seek position %R",
                         cookieobj);
        }
        Py_DECREF(owned);
        return NULL;
    }
    cookie_t c;
    if (flush_all(self) < 0 || unpack_cookie(cookieobj, &c) < 0) {
        Py_DECREF(owned);
        return NULL;
    }
    PyObject *r = PyObject_CallMethod(self->buffer, "seek", "L",
                                      c.start_pos);
    if (r == NULL) {
        goto error;
    }
    Py_DECREF(r);
    set_decoded_chars(self, NULL);
    Py_CLEAR(self->snapshot);
    if (seek_restore_decoder(self, cookieobj, &c) < 0 ||
        seek_skip_chars(self, &c) < 0) {
        goto error;
    }
    if (self->encoder != NULL) {
        int isz = PyObject_Not(cookieobj);
        PyObject *er = isz ? PyObject_CallMethod(self->encoder, "reset", NULL)
                           : PyObject_CallMethod(self->encoder, "setstate",
                                                 "i", 0);
        if (er == NULL) {
            goto error;
        }
        Py_DECREF(er);
    }
    Py_DECREF(c.dec_flags);
    return owned;
error:
    Py_DECREF(c.dec_flags);
    Py_DECREF(owned);
    return NULL;
}

static PyObject *
textio_seek(PyObject *op, PyObject *args)
{
    textio *self = (textio *)op;
    PyObject *cookie;
    int whence = 0;
    if (!PyArg_ParseTuple(args, "O|i:seek", &cookie, &whence)) {
        return NULL;
    }
    int locked = text_enter(self);
    if (locked < 0) {
        return NULL;
    }
    PyObject *r = seek_locked(self, cookie, whence);
    text_leave(self, locked);
    return r;
}

/* ----------------------------------------------------- the rest of API */

static PyObject *
textio_flush(PyObject *op, PyObject *unused)
{
    textio *self = (textio *)op;
    int locked = text_enter(self);
    if (locked < 0) {
        return NULL;
    }
    PyObject *r = NULL;
    if (text_check_closed(self) == 0) {
        self->telling = self->seekable;
        if (flush_all(self) == 0) {
            r = Py_NewRef(Py_None);
        }
    }
    text_leave(self, locked);
    return r;
}

static PyObject *
textio_close(PyObject *op, PyObject *unused)
{
    textio *self = (textio *)op;
    int locked = text_enter(self);
    if (locked < 0) {
        return NULL;
    }
    PyObject *buffer = Py_NewRef(self->buffer);
    text_leave(self, locked);
    PyObject *closed = PyObject_GetAttrString(buffer, "closed");
    int c = closed ? PyObject_IsTrue(closed) : -1;
    Py_XDECREF(closed);
    if (c != 0) {
        Py_DECREF(buffer);
        if (c < 0) {
            return NULL;
        }
        Py_RETURN_NONE;
    }
    PyObject *r = PyObject_CallMethod(op, "flush", NULL);
    PyObject *exc = r == NULL ? PyErr_GetRaisedException() : NULL;
    Py_XDECREF(r);
    r = PyObject_CallMethod(buffer, "close", NULL);
    Py_DECREF(buffer);
    if (exc != NULL) {
        _PyErr_ChainExceptions1(exc);
        Py_CLEAR(r);
    }
    return r;
}

static PyObject *
textio_detach(PyObject *op, PyObject *unused)
{
    textio *self = (textio *)op;
    PyObject *r = PyObject_CallMethod(op, "flush", NULL);
    if (r == NULL) {
        return NULL;
    }
    Py_DECREF(r);
    int locked = text_enter(self);
    if (locked < 0) {
        return NULL;
    }
    PyObject *buffer = self->buffer;
    self->buffer = NULL;
    self->ok = 0;
    self->detached = 1;
    text_leave(self, locked);
    return buffer;
}

/* buffer.<method>(*args) after the usual checks. */
static PyObject *
text_delegate(PyObject *op, const char *method, int check_closed)
{
    textio *self = (textio *)op;
    int locked = text_enter(self);
    if (locked < 0) {
        return NULL;
    }
    PyObject *buffer = Py_NewRef(self->buffer);
    text_leave(self, locked);
    PyObject *r = NULL;
    if (!check_closed || text_check_closed(self) == 0) {
        r = PyObject_CallMethod(buffer, method, NULL);
    }
    Py_DECREF(buffer);
    return r;
}

static PyObject *
textio_fileno(PyObject *op, PyObject *unused)
{
    return text_delegate(op, "fileno", 0);
}

static PyObject *
textio_seekable(PyObject *op, PyObject *unused)
{
    return text_delegate(op, "seekable", 1);
}

static PyObject *
textio_readable(PyObject *op, PyObject *unused)
{
    return text_delegate(op, "readable", 1);
}

static PyObject *
textio_writable(PyObject *op, PyObject *unused)
{
    return text_delegate(op, "writable", 1);
}

static PyObject *
textio_isatty(PyObject *op, PyObject *unused)
{
    return text_delegate(op, "isatty", 1);
}

static PyObject *
textio_truncate(PyObject *op, PyObject *args)
{
    textio *self = (textio *)op;
    PyObject *pos = Py_None;
    if (!PyArg_ParseTuple(args, "|O:truncate", &pos)) {
        return NULL;
    }
    PyObject *r = PyObject_CallMethod(op, "flush", NULL);
    if (r == NULL) {
        return NULL;
    }
    Py_DECREF(r);
    int locked = text_enter(self);
    if (locked < 0) {
        return NULL;
    }
    PyObject *buffer = Py_NewRef(self->buffer);
    text_leave(self, locked);
    r = PyObject_CallMethod(buffer, "truncate", "O", pos);
    Py_DECREF(buffer);
    return r;
}

/* reconfigure(*, encoding, errors, newline, line_buffering,
   write_through). */
static PyObject *
textio_reconfigure(PyObject *op, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"encoding", "errors", "newline",
                             "line_buffering", "write_through", NULL};
    textio *self = (textio *)op;
    PyObject *encoding = Py_None, *errors = Py_None, *newline = NULL;
    PyObject *lb = Py_None, *wt = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|$OOOOO:reconfigure",
                                     kwlist, &encoding, &errors, &newline,
                                     &lb, &wt)) {
        return NULL;
    }
    if (encoding != Py_None && !PyUnicode_Check(encoding)) {
        PyErr_Format(PyExc_TypeError,
                     "reconfigure() argument 'encoding' must be str or "
                     "None, not %.50s", Py_TYPE(encoding)->tp_name);
        return NULL;
    }
    if (errors != Py_None && !PyUnicode_Check(errors)) {
        PyErr_Format(PyExc_TypeError,
                     "reconfigure() argument 'errors' must be str or "
                     "None, not %.50s", Py_TYPE(errors)->tp_name);
        return NULL;
    }
    if (newline != NULL && check_newline(newline) < 0) {
        return NULL;
    }
    int line_buffering = -1, write_through = -1;
    if (lb != Py_None && (line_buffering = PyObject_IsTrue(lb)) < 0) {
        return NULL;
    }
    if (wt != Py_None && (write_through = PyObject_IsTrue(wt)) < 0) {
        return NULL;
    }
    int locked = text_enter(self);
    if (locked < 0) {
        return NULL;
    }
    PyObject *res = NULL;
    int change_codec = encoding != Py_None || errors != Py_None ||
                       newline != NULL;
    if (change_codec && self->decoded_chars != NULL) {
        _PyIO_Unsupported("It is not possible to set the encoding or "
                          "newline of stream after the first read");
        goto done;
    }
    if (flush_all(self) < 0) {
        goto done;
    }
    if (change_codec) {
        if (encoding != Py_None) {
            PyObject *enc = _PyUnicode_EqualToASCIIString(encoding, "locale")
                            ? PyUnicode_FromString("UTF-8")
                            : Py_NewRef(encoding);
            if (enc == NULL) {
                goto done;
            }
            Py_SETREF(self->encoding, enc);
            if (errors == Py_None) {
                PyObject *strict = PyUnicode_FromString("strict");
                if (strict == NULL) {
                    goto done;
                }
                Py_SETREF(self->errors, strict);
            }
        }
        if (errors != Py_None) {
            Py_SETREF(self->errors, Py_NewRef(errors));
        }
        if (newline != NULL) {
            text_set_newline(self, newline);
        }
        int readable = buffer_bool(self->buffer, "readable");
        int writable = readable < 0 ? -1 : buffer_bool(self->buffer,
                                                       "writable");
        if (writable < 0 || text_set_codecs(self, readable, writable) < 0) {
            goto done;
        }
    }
    if (line_buffering >= 0) {
        self->line_buffering = line_buffering;
    }
    if (write_through >= 0) {
        self->write_through = write_through;
    }
    res = Py_NewRef(Py_None);
done:
    text_leave(self, locked);
    return res;
}

static PyObject *
textio_repr(PyObject *op)
{
    textio *self = (textio *)op;
    if (self->encoding == NULL) {
        return PyUnicode_FromString("<_io.TextIOWrapper>");
    }
    if (Py_ReprEnter(op) > 0) {
        PyErr_Format(PyExc_RuntimeError,
                     "reentrant call inside %s.__repr__",
                     Py_TYPE(op)->tp_name);
        return NULL;
    }
    PyObject *parts = PyUnicode_FromString("<_io.TextIOWrapper");
    const char *names[] = {"name", "mode"};
    for (int i = 0; i < 2 && parts != NULL; i++) {
        PyObject *v = PyObject_GetAttrString(op, names[i]);
        if (v == NULL) {
            if (!PyErr_ExceptionMatches(PyExc_Exception)) {
                Py_CLEAR(parts);
                break;
            }
            PyErr_Clear();
            continue;
        }
        PyObject *s = PyUnicode_FromFormat(" %s=%R", names[i], v);
        Py_DECREF(v);
        PyUnicode_AppendAndDel(&parts, s);
    }
    if (parts != NULL) {
        PyObject *s = PyUnicode_FromFormat(" encoding=%R>", self->encoding);
        PyUnicode_AppendAndDel(&parts, s);
    }
    Py_ReprLeave(op);
    return parts;
}

static PyObject *
text_buffer_attr(PyObject *op, const char *name)
{
    textio *self = (textio *)op;
    int locked = text_enter(self);
    if (locked < 0) {
        return NULL;
    }
    PyObject *buffer = Py_NewRef(self->buffer);
    text_leave(self, locked);
    PyObject *r = PyObject_GetAttrString(buffer, name);
    Py_DECREF(buffer);
    return r;
}

static PyObject *
textio_name_get(PyObject *op, void *context)
{
    return text_buffer_attr(op, "name");
}

static PyObject *
textio_closed_get(PyObject *op, void *context)
{
    return text_buffer_attr(op, "closed");
}

static PyObject *
textio_newlines_get(PyObject *op, void *context)
{
    textio *self = (textio *)op;
    int locked = text_enter(self);
    if (locked < 0) {
        return NULL;
    }
    PyObject *dec = Py_XNewRef(self->decoder);
    text_leave(self, locked);
    if (dec == NULL) {
        Py_RETURN_NONE;
    }
    PyObject *r = PyObject_GetAttrString(dec, "newlines");
    Py_DECREF(dec);
    if (r == NULL && PyErr_ExceptionMatches(PyExc_AttributeError)) {
        PyErr_Clear();
        Py_RETURN_NONE;
    }
    return r;
}

/* Simple field getters; they take the lock so that a concurrent
   reconfigure() is seen whole. */
static PyObject *
textio_field_get(PyObject *op, void *which)
{
    textio *self = (textio *)op;
    int locked = text_enter(self);
    if (locked < 0) {
        return NULL;
    }
    PyObject *r;
    switch ((int)(intptr_t)which) {
    case 0: r = Py_NewRef(self->encoding); break;
    case 1: r = Py_NewRef(self->errors); break;
    case 2: r = Py_NewRef(self->buffer); break;
    case 3: r = PyBool_FromLong(self->line_buffering); break;
    case 4: r = PyBool_FromLong(self->write_through); break;
    case 5: r = PyBool_FromLong(self->finalizing); break;
    default: r = PyLong_FromSsize_t(self->chunk_size); break;
    }
    text_leave(self, locked);
    return r;
}

static int
textio_chunk_size_set(PyObject *op, PyObject *value, void *context)
{
    textio *self = (textio *)op;
    if (value == NULL) {
        PyErr_SetString(PyExc_AttributeError, "cannot delete attribute");
        return -1;
    }
    if (self->ok <= 0) {
        int locked = text_enter(self);
        text_leave(self, locked);
        return -1;
    }
    Py_ssize_t n = PyNumber_AsSsize_t(value, PyExc_ValueError);
    if (n == -1 && PyErr_Occurred()) {
        return -1;
    }
    if (n <= 0) {
        PyErr_SetString(PyExc_ValueError,
                        "a strictly positive integer is required");
        return -1;
    }
    int locked = text_enter(self);
    if (locked < 0) {
        return -1;
    }
    self->chunk_size = n;
    text_leave(self, locked);
    return 0;
}

static PyMethodDef textio_methods[] = {
    {"detach", textio_detach, METH_NOARGS, NULL},
    {"reconfigure", (PyCFunction)(void (*)(void))textio_reconfigure,
     METH_VARARGS | METH_KEYWORDS, NULL},
    {"write", textio_write, METH_O, NULL},
    {"read", textio_read, METH_VARARGS, NULL},
    {"readline", textio_readline, METH_VARARGS, NULL},
    {"flush", textio_flush, METH_NOARGS, NULL},
    {"close", textio_close, METH_NOARGS, NULL},
    {"fileno", textio_fileno, METH_NOARGS, NULL},
    {"seekable", textio_seekable, METH_NOARGS, NULL},
    {"readable", textio_readable, METH_NOARGS, NULL},
    {"writable", textio_writable, METH_NOARGS, NULL},
    {"isatty", textio_isatty, METH_NOARGS, NULL},
    {"seek", textio_seek, METH_VARARGS, NULL},
    {"tell", textio_tell, METH_NOARGS, NULL},
    {"truncate", textio_truncate, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef textio_getset[] = {
    {"encoding", textio_field_get, NULL, NULL, (void *)0},
    {"errors", textio_field_get, NULL, NULL, (void *)1},
    {"buffer", textio_field_get, NULL, NULL, (void *)2},
    {"line_buffering", textio_field_get, NULL, NULL, (void *)3},
    {"write_through", textio_field_get, NULL, NULL, (void *)4},
    {"_finalizing", textio_field_get, NULL, NULL, (void *)5},
    {"_CHUNK_SIZE", textio_field_get, textio_chunk_size_set, NULL,
     (void *)6},
    {"name", textio_name_get, NULL, NULL, NULL},
    {"closed", textio_closed_get, NULL, NULL, NULL},
    {"newlines", textio_newlines_get, NULL, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

PyTypeObject _PyTextIOWrapper_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "_io.TextIOWrapper",
    .tp_basicsize = sizeof(textio),
    .tp_dealloc = textio_dealloc,
    .tp_repr = textio_repr,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_setattro = PyObject_GenericSetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE |
                Py_TPFLAGS_HAVE_GC,
    .tp_doc = "Character and line based layer over a BufferedIOBase "
              "object, buffer.",
    .tp_traverse = textio_traverse,
    .tp_clear = textio_clear,
    .tp_weaklistoffset = offsetof(textio, weakreflist),
    .tp_iternext = textio_iternext,
    .tp_methods = textio_methods,
    .tp_getset = textio_getset,
    .tp_base = &_PyTextIOBase_Type,
    .tp_dictoffset = offsetof(textio, dict),
    .tp_init = textio_init,
    .tp_alloc = PyType_GenericAlloc,
    .tp_new = textio_new,
    .tp_free = PyObject_GC_Del,
};
