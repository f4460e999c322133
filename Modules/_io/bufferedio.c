/* _io.BufferedReader, BufferedWriter, BufferedRandom and BufferedRWPair.
 *
 * One buffer serves both directions but holds one kind of data at a
 * time: unread bytes buf[pos:read_end] read ahead from raw, or pending
 * bytes buf[0:write_len] not yet written to raw (never both).  abs_pos
 * caches raw's position (-1 = unknown, ask raw.tell()); the logical
 * position is abs_pos - (read_end - pos) or abs_pos + write_len.
 * Switching from reading to writing seeks raw back over the unread
 * bytes; switching from writing to reading flushes.
 *
 * Thread safety: every method that touches the buffer holds the object's
 * _PyIOLock (a PyMutex) for its whole duration, including the calls into
 * raw, so concurrent writes never interleave inside a buffer and no byte
 * is lost.  This is a lock, not a critical section, because it must stay
 * held across blocking I/O; a thread waiting for it parks detached.  A
 * re-entrant call from the holding thread (a signal handler or a raw
 * method calling back) raises RuntimeError as in CPython.  raw and the
 * buffer pointer change only under the lock (detach, close, __init__).
 * BufferedRWPair keeps no state of its own beyond its two members. */
#include "Python.h"
#include "structmember.h"
#include "pycore_io.h"

#include <errno.h>

typedef struct {
    _PyIO_HEAD
    PyObject *raw;
    int ok;             /* __init__ succeeded */
    int detached;
    int readable;
    int writable;
    char *buf;
    Py_ssize_t size;
    Py_ssize_t pos;
    Py_ssize_t read_end;
    Py_ssize_t write_len;
    long long abs_pos;
    _PyIOLock lock;
} buffered;

static PyObject *buffered_flush_locked(buffered *self);

/* ------------------------------------------------------- entry and exit */

/* Validate and lock.  0, or -1 with an exception (not locked). */
static int
buffered_enter(buffered *self)
{
    if (self->ok <= 0) {
        PyErr_SetString(PyExc_ValueError,
                        self->detached ? "raw stream has been detached"
                                       : "I/O operation on uninitialized "
                                         "object");
        return -1;
    }
    if (_PyIOLock_HeldByMe(&self->lock)) {
        PyErr_Format(PyExc_RuntimeError, "reentrant call inside %s",
                     Py_TYPE(self)->tp_name);
        return -1;
    }
    _PyIOLock_Acquire(&self->lock);
    if (self->ok <= 0) {
        _PyIOLock_Release(&self->lock);
        PyErr_SetString(PyExc_ValueError, "raw stream has been detached");
        return -1;
    }
    return 0;
}

static void
buffered_leave(buffered *self)
{
    _PyIOLock_Release(&self->lock);
}

/* Check ok/detached without locking (for delegating methods). */
static int
buffered_check_ready(buffered *self)
{
    if (self->ok <= 0) {
        PyErr_SetString(PyExc_ValueError,
                        self->detached ? "raw stream has been detached"
                                       : "I/O operation on uninitialized "
                                         "object");
        return -1;
    }
    return 0;
}

/* raw.closed: 1, 0 or -1. */
static int
raw_closed(buffered *self)
{
    int fast = _PyFileIO_ClosedFast(self->raw);
    if (fast != -2) {
        return fast;
    }
    PyObject *v = _PyIO_GetAttr(self->raw, _PyIO_ID_closed);
    if (v == NULL) {
        return -1;
    }
    int r = PyObject_IsTrue(v);
    Py_DECREF(v);
    return r;
}

int
_PyBuffered_ClosedFast(PyObject *obj)
{
    PyTypeObject *tp = Py_TYPE(obj);
    if (tp != &_PyBufferedWriter_Type && tp != &_PyBufferedReader_Type &&
        tp != &_PyBufferedRandom_Type) {
        return -2;
    }
    buffered *self = (buffered *)obj;
    if (self->ok <= 0) {
        return -2;
    }
    /* raw only changes under the lock (detach/__init__); a concurrent
       detach makes us fall back to the slow path. */
    PyObject *raw = _Py_atomic_load_ptr_acquire(&self->raw);
    if (raw == NULL) {
        return -2;
    }
    return _PyFileIO_ClosedFast(raw);
}

/* Raise ValueError("<what> of closed file") if raw is closed.  0/-1. */
static int
check_not_closed(buffered *self, const char *what)
{
    int r = raw_closed(self);
    if (r < 0) {
        return -1;
    }
    if (r) {
        PyErr_Format(PyExc_ValueError, "%s of closed file", what);
        return -1;
    }
    return 0;
}

/* --------------------------------------------------------- raw access */

static long long
raw_tell(buffered *self)
{
    PyObject *r = _PyIO_CallMethod0(self->raw, _PyIO_ID_tell);
    if (r == NULL) {
        return -1;
    }
    long long n = PyLong_AsLongLong(r);
    Py_DECREF(r);
    if (n < 0) {
        if (!PyErr_Occurred()) {
            PyErr_Format(PyExc_OSError,
                         "Raw stream returned invalid position %lld", n);
        }
        self->abs_pos = -1;
        return -1;
    }
    self->abs_pos = n;
    return n;
}

static long long
raw_seek(buffered *self, long long target, int whence)
{
    PyObject *r = PyObject_CallMethod(self->raw, "seek", "Li", target,
                                      whence);
    if (r == NULL) {
        self->abs_pos = -1;
        return -1;
    }
    long long n = PyLong_AsLongLong(r);
    Py_DECREF(r);
    if (n < 0) {
        if (!PyErr_Occurred()) {
            PyErr_Format(PyExc_OSError,
                         "Raw stream returned invalid position %lld", n);
        }
        self->abs_pos = -1;
        return -1;
    }
    self->abs_pos = n;
    return n;
}

/* Read up to n bytes from raw into dst.  Count, -2 if raw would block,
   -1 with an exception. */
static Py_ssize_t
raw_read(buffered *self, char *dst, Py_ssize_t n)
{
    PyObject *r;
    for (;;) {
        r = _PyIO_CallMethodSize(self->raw, _PyIO_ID_read, n);
        if (r != NULL || !PyErr_ExceptionMatches(PyExc_InterruptedError)) {
            break;
        }
        PyErr_Clear();
    }
    if (r == NULL) {
        return -1;
    }
    if (r == Py_None) {
        Py_DECREF(r);
        return -2;
    }
    Py_buffer view;
    if (PyObject_GetBuffer(r, &view, PyBUF_SIMPLE) < 0) {
        Py_DECREF(r);
        return -1;
    }
    Py_ssize_t got = view.len;
    if (got > n) {
        PyErr_Format(PyExc_OSError,
                     "raw readinto() returned invalid length %zd "
                     "(should have been between 0 and %zd)", got, n);
        got = -1;
    }
    else {
        memcpy(dst, view.buf, got);
        if (self->abs_pos >= 0) {
            self->abs_pos += got;
        }
    }
    PyBuffer_Release(&view);
    Py_DECREF(r);
    return got;
}

/* Write up to n bytes to raw.  Count, -2 if it would block, -1. */
static Py_ssize_t
raw_write(buffered *self, const char *src, Py_ssize_t n)
{
    PyObject *data = PyBytes_FromStringAndSize(src, n);
    if (data == NULL) {
        return -1;
    }
    PyObject *r;
    for (;;) {
        r = _PyIO_CallMethod1(self->raw, _PyIO_ID_write, data);
        if (r != NULL || !PyErr_ExceptionMatches(PyExc_InterruptedError)) {
            break;
        }
        PyErr_Clear();
    }
    Py_DECREF(data);
    if (r == NULL) {
        return -1;
    }
    if (r == Py_None) {
        Py_DECREF(r);
        return -2;
    }
    Py_ssize_t w = PyNumber_AsSsize_t(r, PyExc_ValueError);
    Py_DECREF(r);
    if (w == -1 && PyErr_Occurred()) {
        return -1;
    }
    if (w < 0 || w > n) {
        PyErr_Format(PyExc_OSError,
                     "raw write() returned invalid length %zd "
                     "(should have been between 0 and %zd)", w, n);
        return -1;
    }
    if (self->abs_pos >= 0) {
        self->abs_pos += w;
    }
    return w;
}

/* ----------------------------------------------------- buffer states */

/* Write out buf[0:write_len].  Locked.  0 or -1. */
static int
flush_writes(buffered *self)
{
    Py_ssize_t done = 0;
    while (done < self->write_len) {
        Py_ssize_t w = raw_write(self, self->buf + done,
                                 self->write_len - done);
        if (w == -2) {
            memmove(self->buf, self->buf + done, self->write_len - done);
            self->write_len -= done;
            PyObject *exc = PyObject_CallFunction(
                PyExc_BlockingIOError, "isn", EAGAIN,
                "write could not complete without blocking", (Py_ssize_t)0);
            if (exc != NULL) {
                PyErr_SetObject(PyExc_BlockingIOError, exc);
                Py_DECREF(exc);
            }
            return -1;
        }
        if (w < 0) {
            memmove(self->buf, self->buf + done, self->write_len - done);
            self->write_len -= done;
            return -1;
        }
        done += w;
    }
    self->write_len = 0;
    return 0;
}

/* Give back unread bytes: seek raw to the logical position and empty the
   read buffer.  Locked.  0 or -1. */
static int
drop_reads(buffered *self)
{
    Py_ssize_t unread = self->read_end - self->pos;
    self->pos = self->read_end = 0;
    if (unread > 0 && raw_seek(self, -(long long)unread, 1) < 0) {
        return -1;
    }
    return 0;
}

/* Make the buffer ready for reading (no pending writes).  Locked. */
static int
prepare_read(buffered *self)
{
    return self->write_len > 0 ? flush_writes(self) : 0;
}

/* Refill an empty read buffer with one raw read.  Count (0 = EOF), -2
   would block, -1 error.  Locked. */
static Py_ssize_t
fill_buffer(buffered *self)
{
    self->pos = self->read_end = 0;
    Py_ssize_t n = raw_read(self, self->buf, self->size);
    if (n > 0) {
        self->read_end = n;
    }
    return n;
}

static inline Py_ssize_t
avail(buffered *self)
{
    return self->read_end - self->pos;
}

/* Logical position.  Locked.  -1 with an exception. */
static long long
logical_tell(buffered *self)
{
    long long p = self->abs_pos >= 0 ? self->abs_pos : raw_tell(self);
    if (p < 0) {
        return -1;
    }
    p = p - avail(self) + self->write_len;
    return p < 0 ? 0 : p;
}

/* --------------------------------------------------------- lifecycle */

static PyObject *
buffered_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    buffered *self = (buffered *)type->tp_alloc(type, 0);
    if (self != NULL) {
        self->abs_pos = -1;
    }
    return (PyObject *)self;
}

/* Shared __init__: which checks to run on raw is per type. */
static int
buffered_init_common(buffered *self, PyObject *args, PyObject *kwds,
                     const char *name, int readable, int writable,
                     int seekable)
{
    static char *kwlist[] = {"raw", "buffer_size", NULL};
    PyObject *raw;
    Py_ssize_t size = _PyIO_DEFAULT_BUFFER_SIZE;
    char fmt[64];
    snprintf(fmt, sizeof(fmt), "O|n:%s", name);
    if (!PyArg_ParseTupleAndKeywords(args, kwds, fmt, kwlist, &raw,
                                     &size)) {
        return -1;
    }
    const char *checks[] = {seekable ? "_checkSeekable" : NULL,
                            readable ? "_checkReadable" : NULL,
                            writable ? "_checkWritable" : NULL};
    for (int i = 0; i < 3; i++) {
        if (checks[i] != NULL) {
            PyObject *r = PyObject_CallMethod(raw, checks[i], NULL);
            if (r == NULL) {
                return -1;
            }
            Py_DECREF(r);
        }
    }
    if (size <= 0) {
        PyErr_SetString(PyExc_ValueError,
                        "buffer size must be strictly positive");
        return -1;
    }
    char *buf = PyMem_Malloc(size);
    if (buf == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    _PyIOLock_Acquire(&self->lock);
    self->ok = 0;
    self->detached = 0;
    Py_XSETREF(self->raw, Py_NewRef(raw));
    PyMem_Free(self->buf);
    self->buf = buf;
    self->size = size;
    self->pos = self->read_end = self->write_len = 0;
    self->readable = readable;
    self->writable = writable;
    self->abs_pos = -1;
    self->ok = 1;
    _PyIOLock_Release(&self->lock);
    return 0;
}

static int
reader_init(PyObject *op, PyObject *args, PyObject *kwds)
{
    return buffered_init_common((buffered *)op, args, kwds,
                                "BufferedReader", 1, 0, 0);
}

static int
writer_init(PyObject *op, PyObject *args, PyObject *kwds)
{
    return buffered_init_common((buffered *)op, args, kwds,
                                "BufferedWriter", 0, 1, 0);
}

static int
random_init(PyObject *op, PyObject *args, PyObject *kwds)
{
    return buffered_init_common((buffered *)op, args, kwds,
                                "BufferedRandom", 1, 1, 1);
}

static int
buffered_traverse(PyObject *op, visitproc visit, void *arg)
{
    buffered *self = (buffered *)op;
    Py_VISIT(self->raw);
    Py_VISIT(self->dict);
    return 0;
}

static int
buffered_clear(PyObject *op)
{
    buffered *self = (buffered *)op;
    self->ok = 0;
    Py_CLEAR(self->raw);
    Py_CLEAR(self->dict);
    return 0;
}

static void
buffered_dealloc(PyObject *op)
{
    buffered *self = (buffered *)op;
    if (self->ok > 0 && _PyIOBase_Finalize(op) < 0) {
        return;
    }
    PyObject_GC_UnTrack(op);
    buffered_clear(op);
    PyMem_Free(self->buf);
    self->buf = NULL;
    Py_TYPE(op)->tp_free(op);
}

/* --------------------------------------------------------- delegation */

/* raw.<method>() for the simple queries. */
static PyObject *
buffered_delegate(PyObject *op, const char *method)
{
    buffered *self = (buffered *)op;
    if (buffered_check_ready(self) < 0) {
        return NULL;
    }
    return PyObject_CallMethod(self->raw, method, NULL);
}

static PyObject *
buffered_seekable(PyObject *op, PyObject *unused)
{
    return buffered_delegate(op, "seekable");
}

static PyObject *
buffered_readable(PyObject *op, PyObject *unused)
{
    return buffered_delegate(op, "readable");
}

static PyObject *
buffered_writable(PyObject *op, PyObject *unused)
{
    return buffered_delegate(op, "writable");
}

static PyObject *
buffered_fileno(PyObject *op, PyObject *unused)
{
    return buffered_delegate(op, "fileno");
}

static PyObject *
buffered_isatty(PyObject *op, PyObject *unused)
{
    return buffered_delegate(op, "isatty");
}

static PyObject *
buffered_attr(PyObject *op, const char *name)
{
    buffered *self = (buffered *)op;
    if (buffered_check_ready(self) < 0) {
        return NULL;
    }
    return PyObject_GetAttrString(self->raw, name);
}

static PyObject *
buffered_closed_get(PyObject *op, void *context)
{
    return buffered_attr(op, "closed");
}

static PyObject *
buffered_name_get(PyObject *op, void *context)
{
    return buffered_attr(op, "name");
}

static PyObject *
buffered_mode_get(PyObject *op, void *context)
{
    return buffered_attr(op, "mode");
}

static PyObject *
buffered_raw_get(PyObject *op, void *context)
{
    buffered *self = (buffered *)op;
    if (buffered_check_ready(self) < 0) {
        return NULL;
    }
    return Py_NewRef(self->raw);
}

static PyObject *
buffered_repr(PyObject *op)
{
    PyObject *name = PyObject_GetAttrString(op, "name");
    if (name == NULL) {
        if (!PyErr_ExceptionMatches(PyExc_Exception)) {
            return NULL;
        }
        PyErr_Clear();
        return PyUnicode_FromFormat("<%s>", Py_TYPE(op)->tp_name);
    }
    PyObject *res = NULL;
    if (Py_ReprEnter(op) > 0) {
        PyErr_Format(PyExc_RuntimeError,
                     "reentrant call inside %s.__repr__",
                     Py_TYPE(op)->tp_name);
    }
    else {
        res = PyUnicode_FromFormat("<%s name=%R>", Py_TYPE(op)->tp_name,
                                   name);
        Py_ReprLeave(op);
    }
    Py_DECREF(name);
    return res;
}

static PyObject *
buffered_getstate(PyObject *op, PyObject *unused)
{
    PyErr_Format(PyExc_TypeError, "cannot pickle '%.100s' object",
                 Py_TYPE(op)->tp_name);
    return NULL;
}

static PyObject *
buffered_dealloc_warn(PyObject *op, PyObject *source)
{
    Py_RETURN_NONE;
}

/* ------------------------------------------------------ flush, close */

/* Locked: write pending bytes; give back read-ahead so that raw's
   position equals the logical one.  New None or NULL. */
static PyObject *
buffered_flush_locked(buffered *self)
{
    if (flush_writes(self) < 0) {
        return NULL;
    }
    if (self->readable && avail(self) > 0 && drop_reads(self) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
buffered_flush(PyObject *op, PyObject *unused)
{
    buffered *self = (buffered *)op;
    if (buffered_enter(self) < 0) {
        return NULL;
    }
    PyObject *r = NULL;
    if (check_not_closed(self, "flush") == 0) {
        r = buffered_flush_locked(self);
    }
    buffered_leave(self);
    return r;
}

/* close(): flush (outside our lock, via the method, so subclasses can
   override it), then close raw; errors are chained. */
static PyObject *
buffered_close(PyObject *op, PyObject *unused)
{
    buffered *self = (buffered *)op;
    if (buffered_enter(self) < 0) {
        return NULL;
    }
    int c = raw_closed(self);
    buffered_leave(self);
    if (c < 0) {
        return NULL;
    }
    if (c) {
        Py_RETURN_NONE;
    }
    PyObject *res = PyObject_CallMethod(op, "flush", NULL);
    PyObject *exc = res == NULL ? PyErr_GetRaisedException() : NULL;
    Py_XDECREF(res);
    if (buffered_enter(self) < 0) {
        _PyErr_ChainExceptions1(exc);
        return NULL;
    }
    res = PyObject_CallMethod(self->raw, "close", NULL);
    self->pos = self->read_end = self->write_len = 0;
    buffered_leave(self);
    if (exc != NULL) {
        _PyErr_ChainExceptions1(exc);
        Py_CLEAR(res);
    }
    return res;
}

static PyObject *
buffered_detach(PyObject *op, PyObject *unused)
{
    buffered *self = (buffered *)op;
    PyObject *r = PyObject_CallMethod(op, "flush", NULL);
    if (r == NULL) {
        return NULL;
    }
    Py_DECREF(r);
    if (buffered_enter(self) < 0) {
        return NULL;
    }
    PyObject *raw = self->raw;
    self->raw = NULL;
    self->ok = 0;
    self->detached = 1;
    buffered_leave(self);
    return raw;
}

/* ------------------------------------------------------------- reads */

/* raw.readall(), or raw.read() chunks until EOF for raws without one.
   New reference (bytes or None). */
static PyObject *
read_raw_rest(buffered *self)
{
    PyObject *readall = PyObject_GetAttrString(self->raw, "readall");
    if (readall != NULL) {
        PyObject *r = PyObject_CallNoArgs(readall);
        Py_DECREF(readall);
        return r;
    }
    if (!PyErr_ExceptionMatches(PyExc_AttributeError)) {
        return NULL;
    }
    PyErr_Clear();
    PyObject *acc = PyByteArray_FromStringAndSize(NULL, 0);
    if (acc == NULL) {
        return NULL;
    }
    for (;;) {
        PyObject *data = PyObject_CallMethod(self->raw, "read", "n",
                                             self->size);
        if (data == NULL) {
            Py_DECREF(acc);
            return NULL;
        }
        if (data == Py_None) {
            if (PyByteArray_GET_SIZE(acc) == 0) {
                Py_DECREF(acc);
                return data;
            }
            Py_DECREF(data);
            break;
        }
        if (!PyBytes_Check(data)) {
            PyErr_SetString(PyExc_TypeError, "read() should return bytes");
            Py_DECREF(data);
            Py_DECREF(acc);
            return NULL;
        }
        Py_ssize_t n = PyBytes_GET_SIZE(data), old = PyByteArray_GET_SIZE(acc);
        if (n == 0) {
            Py_DECREF(data);
            break;
        }
        if (PyByteArray_Resize(acc, old + n) < 0) {
            Py_DECREF(data);
            Py_DECREF(acc);
            return NULL;
        }
        memcpy(PyByteArray_AS_STRING(acc) + old, PyBytes_AS_STRING(data), n);
        Py_DECREF(data);
    }
    PyObject *r = PyBytes_FromStringAndSize(PyByteArray_AS_STRING(acc),
                                            PyByteArray_GET_SIZE(acc));
    Py_DECREF(acc);
    return r;
}

/* read(-1): the buffered rest plus raw.readall().  Locked. */
static PyObject *
read_all_locked(buffered *self)
{
    PyObject *head = PyBytes_FromStringAndSize(self->buf + self->pos,
                                               avail(self));
    if (head == NULL) {
        return NULL;
    }
    self->pos = self->read_end = 0;
    PyObject *chunks = PyList_New(0);
    if (chunks == NULL || PyList_Append(chunks, head) < 0) {
        Py_XDECREF(chunks);
        Py_DECREF(head);
        return NULL;
    }
    Py_ssize_t headlen = PyBytes_GET_SIZE(head);
    Py_DECREF(head);
    PyObject *rest = read_raw_rest(self);
    self->abs_pos = -1;
    if (rest == NULL) {
        Py_DECREF(chunks);
        return NULL;
    }
    if (rest == Py_None) {
        if (headlen == 0) {
            Py_DECREF(chunks);
            return rest;
        }
        Py_DECREF(rest);
    }
    else {
        if (!PyBytes_Check(rest)) {
            PyErr_SetString(PyExc_TypeError, "readall() should return bytes");
            Py_DECREF(rest);
            Py_DECREF(chunks);
            return NULL;
        }
        int r = PyList_Append(chunks, rest);
        Py_DECREF(rest);
        if (r < 0) {
            Py_DECREF(chunks);
            return NULL;
        }
    }
    PyObject *empty = PyBytes_FromStringAndSize(NULL, 0);
    PyObject *res = empty ? PyObject_CallMethod(empty, "join", "O", chunks)
                          : NULL;
    Py_XDECREF(empty);
    Py_DECREF(chunks);
    return res;
}

/* read(n) for n >= 0: loop until n bytes, EOF, or raw would block.
   Locked. */
static PyObject *
read_n_locked(buffered *self, Py_ssize_t n)
{
    if (n <= avail(self)) {
        PyObject *r = PyBytes_FromStringAndSize(self->buf + self->pos, n);
        if (r != NULL) {
            self->pos += n;
        }
        return r;
    }
    PyObject *res = PyBytes_FromStringAndSize(NULL, n);
    if (res == NULL) {
        return NULL;
    }
    char *out = PyBytes_AS_STRING(res);
    Py_ssize_t got = avail(self);
    memcpy(out, self->buf + self->pos, got);
    self->pos = self->read_end = 0;
    int blocked = 0;
    while (got < n) {
        Py_ssize_t want = n - got, r;
        if (want >= self->size) {
            r = raw_read(self, out + got, want);
        }
        else {
            r = fill_buffer(self);
            if (r > 0) {
                r = r < want ? r : want;
                memcpy(out + got, self->buf, r);
                self->pos = r;
            }
        }
        if (r == -1) {
            Py_DECREF(res);
            return NULL;
        }
        if (r == -2) {
            blocked = 1;
            break;
        }
        if (r == 0) {
            break;
        }
        got += r;
    }
    if (got == 0 && blocked) {
        Py_DECREF(res);
        Py_RETURN_NONE;
    }
    if (got != n && _PyBytes_Resize(&res, got) < 0) {
        return NULL;
    }
    return res;
}

static PyObject *
buffered_read(PyObject *op, PyObject *args)
{
    buffered *self = (buffered *)op;
    Py_ssize_t n = -1;
    if (!PyArg_ParseTuple(args, "|O&:read", _PyIO_ConvertSsize, &n)) {
        return NULL;
    }
    if (n < -1) {
        PyErr_SetString(PyExc_ValueError,
                        "read length must be non-negative or -1");
        return NULL;
    }
    if (buffered_enter(self) < 0) {
        return NULL;
    }
    PyObject *r = NULL;
    if (check_not_closed(self, "read") == 0 && prepare_read(self) == 0) {
        r = n < 0 ? read_all_locked(self) : read_n_locked(self, n);
    }
    buffered_leave(self);
    return r;
}

/* read1(n): buffered bytes, or at most one raw read.  Locked. */
static PyObject *
read1_locked(buffered *self, Py_ssize_t n)
{
    if (n < 0) {
        n = self->size;
    }
    if (n == 0) {
        return PyBytes_FromStringAndSize(NULL, 0);
    }
    if (avail(self) == 0) {
        /* As CPython 3.11: an empty buffer means one direct raw read of
           up to n bytes, bypassing the buffer. */
        PyObject *res = PyBytes_FromStringAndSize(NULL, n);
        if (res == NULL) {
            return NULL;
        }
        self->pos = self->read_end = 0;
        Py_ssize_t r = raw_read(self, PyBytes_AS_STRING(res), n);
        if (r == -1) {
            Py_DECREF(res);
            return NULL;
        }
        if (_PyBytes_Resize(&res, r == -2 ? 0 : r) < 0) {
            return NULL;
        }
        return res;
    }
    Py_ssize_t take = avail(self) < n ? avail(self) : n;
    PyObject *res = PyBytes_FromStringAndSize(self->buf + self->pos, take);
    if (res != NULL) {
        self->pos += take;
    }
    return res;
}

static PyObject *
buffered_read1(PyObject *op, PyObject *args)
{
    buffered *self = (buffered *)op;
    Py_ssize_t n = -1;
    if (!PyArg_ParseTuple(args, "|n:read1", &n)) {
        return NULL;
    }
    if (buffered_enter(self) < 0) {
        return NULL;
    }
    PyObject *r = NULL;
    if (check_not_closed(self, "read") == 0 && prepare_read(self) == 0) {
        r = read1_locked(self, n);
    }
    buffered_leave(self);
    return r;
}

static PyObject *
buffered_peek(PyObject *op, PyObject *args)
{
    buffered *self = (buffered *)op;
    Py_ssize_t n = 0;
    if (!PyArg_ParseTuple(args, "|n:peek", &n)) {
        return NULL;
    }
    if (buffered_enter(self) < 0) {
        return NULL;
    }
    PyObject *r = NULL;
    if (check_not_closed(self, "peek") == 0 && prepare_read(self) == 0) {
        if (avail(self) > 0 || fill_buffer(self) != -1) {
            r = PyBytes_FromStringAndSize(self->buf + self->pos,
                                          avail(self));
        }
    }
    buffered_leave(self);
    return r;
}

/* readinto/readinto1: read into a caller buffer via read/read1. */
static PyObject *
buffered_readinto_generic(PyObject *op, PyObject *args, int one)
{
    buffered *self = (buffered *)op;
    Py_buffer view;
    if (!PyArg_ParseTuple(args, one ? "w*:readinto1" : "w*:readinto",
                          &view)) {
        return NULL;
    }
    if (buffered_enter(self) < 0) {
        PyBuffer_Release(&view);
        return NULL;
    }
    PyObject *data = NULL;
    if (check_not_closed(self, "readinto") == 0 &&
        prepare_read(self) == 0) {
        data = one ? read1_locked(self, view.len)
                   : read_n_locked(self, view.len);
    }
    buffered_leave(self);
    PyObject *res = NULL;
    if (data == Py_None) {
        res = data;
    }
    else if (data != NULL) {
        memcpy(view.buf, PyBytes_AS_STRING(data), PyBytes_GET_SIZE(data));
        res = PyLong_FromSsize_t(PyBytes_GET_SIZE(data));
        Py_DECREF(data);
    }
    PyBuffer_Release(&view);
    return res;
}

static PyObject *
buffered_readinto(PyObject *op, PyObject *args)
{
    return buffered_readinto_generic(op, args, 0);
}

static PyObject *
buffered_readinto1(PyObject *op, PyObject *args)
{
    return buffered_readinto_generic(op, args, 1);
}

/* One line, at most limit bytes (-1 = no limit).  Locked. */
static PyObject *
readline_locked(buffered *self, Py_ssize_t limit)
{
    PyObject *acc = NULL;
    Py_ssize_t total = 0;
    for (;;) {
        Py_ssize_t n = avail(self);
        if (limit >= 0 && n > limit - total) {
            n = limit - total;
        }
        const char *start = self->buf + self->pos;
        const char *nl = n > 0 ? memchr(start, '\n', n) : NULL;
        int done = nl != NULL || (limit >= 0 && total + n >= limit);
        if (nl != NULL) {
            n = nl - start + 1;
        }
        if (acc == NULL && done) {
            PyObject *r = PyBytes_FromStringAndSize(start, n);
            if (r != NULL) {
                self->pos += n;
            }
            return r;
        }
        if (acc == NULL) {
            acc = PyByteArray_FromStringAndSize(NULL, 0);
            if (acc == NULL) {
                return NULL;
            }
        }
        if (PyByteArray_Resize(acc, total + n) < 0) {
            Py_DECREF(acc);
            return NULL;
        }
        memcpy(PyByteArray_AS_STRING(acc) + total, start, n);
        total += n;
        self->pos += n;
        if (done) {
            break;
        }
        Py_ssize_t r = fill_buffer(self);
        if (r == -1) {
            Py_DECREF(acc);
            return NULL;
        }
        if (r <= 0) {
            break;
        }
    }
    PyObject *res = PyBytes_FromStringAndSize(PyByteArray_AS_STRING(acc),
                                              total);
    Py_DECREF(acc);
    return res;
}

static PyObject *
buffered_readline_impl(buffered *self, Py_ssize_t limit)
{
    if (buffered_enter(self) < 0) {
        return NULL;
    }
    PyObject *r = NULL;
    if (check_not_closed(self, "readline") == 0 && prepare_read(self) == 0) {
        r = readline_locked(self, limit);
    }
    buffered_leave(self);
    return r;
}

static PyObject *
buffered_readline(PyObject *op, PyObject *args)
{
    Py_ssize_t limit = -1;
    if (!PyArg_ParseTuple(args, "|O&:readline", _PyIO_ConvertSsize,
                          &limit)) {
        return NULL;
    }
    return buffered_readline_impl((buffered *)op, limit);
}

static PyObject *
buffered_iternext(PyObject *op)
{
    PyObject *line;
    if (Py_TYPE(op) == &_PyBufferedReader_Type ||
        Py_TYPE(op) == &_PyBufferedRandom_Type) {
        line = buffered_readline_impl((buffered *)op, -1);
    }
    else {
        line = PyObject_CallMethod(op, "readline", NULL);
    }
    if (line == NULL) {
        return NULL;
    }
    Py_ssize_t n = PyObject_Size(line);
    if (n <= 0) {
        Py_DECREF(line);
        return NULL;
    }
    return line;
}

/* ------------------------------------------------------------- writes */

static PyObject *
buffered_write(PyObject *op, PyObject *arg)
{
    buffered *self = (buffered *)op;
    Py_buffer view;
    if (PyObject_GetBuffer(arg, &view, PyBUF_SIMPLE) < 0) {
        return NULL;
    }
    if (buffered_enter(self) < 0) {
        PyBuffer_Release(&view);
        return NULL;
    }
    PyObject *res = NULL;
    if (check_not_closed(self, "write") < 0) {
        goto done;
    }
    if (avail(self) > 0 || self->read_end > 0) {
        if (drop_reads(self) < 0) {
            goto done;
        }
    }
    if (self->write_len + view.len > self->size) {
        if (flush_writes(self) < 0) {
            goto done;
        }
    }
    if (view.len >= self->size) {
        Py_ssize_t done = 0;
        while (done < view.len) {
            Py_ssize_t w = raw_write(self, (char *)view.buf + done,
                                     view.len - done);
            if (w == -1) {
                goto done;
            }
            if (w == -2) {
                PyObject *exc = PyObject_CallFunction(
                    PyExc_BlockingIOError, "isn", EAGAIN,
                    "write could not complete without blocking", done);
                if (exc != NULL) {
                    PyErr_SetObject(PyExc_BlockingIOError, exc);
                    Py_DECREF(exc);
                }
                goto done;
            }
            done += w;
        }
    }
    else {
        memcpy(self->buf + self->write_len, view.buf, view.len);
        self->write_len += view.len;
    }
    res = PyLong_FromSsize_t(view.len);
done:
    buffered_leave(self);
    PyBuffer_Release(&view);
    return res;
}

/* -------------------------------------------------- seek, tell, truncate */

static PyObject *
buffered_tell(PyObject *op, PyObject *unused)
{
    buffered *self = (buffered *)op;
    if (buffered_enter(self) < 0) {
        return NULL;
    }
    long long p = logical_tell(self);
    buffered_leave(self);
    return p < 0 ? NULL : PyLong_FromLongLong(p);
}

/* Move within the read buffer when target (absolute) lies inside it.
   Locked.  1 done, 0 not possible. */
static int
seek_in_buffer(buffered *self, long long target)
{
    if (self->read_end == 0 || self->abs_pos < 0) {
        return 0;
    }
    long long start = self->abs_pos - self->read_end;
    if (target < start || target > self->abs_pos) {
        return 0;
    }
    self->pos = (Py_ssize_t)(target - start);
    return 1;
}

static PyObject *
buffered_seek(PyObject *op, PyObject *args)
{
    buffered *self = (buffered *)op;
    PyObject *targetobj;
    int whence = 0;
    if (!PyArg_ParseTuple(args, "O|i:seek", &targetobj, &whence)) {
        return NULL;
    }
    if (whence < 0 || whence > 4) {
        PyErr_Format(PyExc_ValueError, "whence value %d unsupported",
                     whence);
        return NULL;
    }
    long long target = _PyIO_AsOff(targetobj, PyExc_OverflowError);
    if (target == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (buffered_enter(self) < 0) {
        return NULL;
    }
    PyObject *res = NULL;
    if (check_not_closed(self, "seek") < 0) {
        goto done;
    }
    PyObject *ok = _PyIOBase_CheckSeekable(self->raw);
    if (ok == NULL) {
        goto done;
    }
    Py_DECREF(ok);
    if (whence == 1) {
        long long cur = logical_tell(self);
        if (cur < 0) {
            goto done;
        }
        target += cur;
        whence = 0;
    }
    if (whence == 0 && self->write_len == 0 && seek_in_buffer(self, target)) {
        res = PyLong_FromLongLong(target);
        goto done;
    }
    if (flush_writes(self) < 0) {
        goto done;
    }
    self->pos = self->read_end = 0;
    long long n = raw_seek(self, target, whence);
    if (n >= 0) {
        res = PyLong_FromLongLong(n);
    }
done:
    buffered_leave(self);
    return res;
}

static PyObject *
buffered_truncate(PyObject *op, PyObject *args)
{
    buffered *self = (buffered *)op;
    PyObject *posobj = Py_None;
    if (!PyArg_ParseTuple(args, "|O:truncate", &posobj)) {
        return NULL;
    }
    if (buffered_enter(self) < 0) {
        return NULL;
    }
    PyObject *res = NULL;
    if (check_not_closed(self, "truncate") < 0) {
        goto done;
    }
    if (!self->writable) {
        _PyIO_Unsupported("truncate");
        goto done;
    }
    long long cur = logical_tell(self);
    if (cur < 0 || flush_writes(self) < 0) {
        goto done;
    }
    if (self->read_end > 0) {
        self->pos = self->read_end = 0;
        if (raw_seek(self, cur, 0) < 0) {
            goto done;
        }
    }
    res = posobj == Py_None
          ? PyObject_CallMethod(self->raw, "truncate", "L", cur)
          : PyObject_CallMethod(self->raw, "truncate", "O", posobj);
    self->abs_pos = -1;
done:
    buffered_leave(self);
    return res;
}

static PyObject *
buffered_sizeof(PyObject *op, PyObject *unused)
{
    buffered *self = (buffered *)op;
    return PyLong_FromSsize_t(Py_TYPE(op)->tp_basicsize + self->size);
}

/* ---------------------------------------------------------- type objects */

#define COMMON_METHODS                                                     \
    {"detach", buffered_detach, METH_NOARGS, NULL},                        \
    {"flush", buffered_flush, METH_NOARGS, NULL},                          \
    {"close", buffered_close, METH_NOARGS, NULL},                          \
    {"seekable", buffered_seekable, METH_NOARGS, NULL},                    \
    {"readable", buffered_readable, METH_NOARGS, NULL},                    \
    {"writable", buffered_writable, METH_NOARGS, NULL},                    \
    {"fileno", buffered_fileno, METH_NOARGS, NULL},                        \
    {"isatty", buffered_isatty, METH_NOARGS, NULL},                        \
    {"_dealloc_warn", buffered_dealloc_warn, METH_O, NULL},                \
    {"seek", buffered_seek, METH_VARARGS, NULL},                           \
    {"tell", buffered_tell, METH_NOARGS, NULL},                            \
    {"truncate", buffered_truncate, METH_VARARGS, NULL},                   \
    {"__sizeof__", buffered_sizeof, METH_NOARGS, NULL},                    \
    {"__getstate__", buffered_getstate, METH_NOARGS, NULL}

#define READ_METHODS                                                       \
    {"read", buffered_read, METH_VARARGS, NULL},                           \
    {"peek", buffered_peek, METH_VARARGS, NULL},                           \
    {"read1", buffered_read1, METH_VARARGS, NULL},                         \
    {"readinto", buffered_readinto, METH_VARARGS, NULL},                   \
    {"readinto1", buffered_readinto1, METH_VARARGS, NULL},                 \
    {"readline", buffered_readline, METH_VARARGS, NULL}

static PyMethodDef reader_methods[] = {
    COMMON_METHODS,
    READ_METHODS,
    {NULL, NULL, 0, NULL},
};

static PyMethodDef writer_methods[] = {
    COMMON_METHODS,
    {"write", buffered_write, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static PyMethodDef random_methods[] = {
    COMMON_METHODS,
    READ_METHODS,
    {"write", buffered_write, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef buffered_getset[] = {
    {"closed", buffered_closed_get, NULL, NULL, NULL},
    {"name", buffered_name_get, NULL, NULL, NULL},
    {"mode", buffered_mode_get, NULL, NULL, NULL},
    {"raw", buffered_raw_get, NULL, NULL, NULL},
    {"_finalizing", _PyIOBase_FinalizingGet, NULL, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

#define BUFFERED_TYPE(cname, pyname, methods, init, doc)                   \
    PyTypeObject cname = {                                                 \
        PyVarObject_HEAD_INIT(&PyType_Type, 0)                             \
        .tp_name = pyname,                                                 \
        .tp_basicsize = sizeof(buffered),                                  \
        .tp_dealloc = buffered_dealloc,                                    \
        .tp_repr = buffered_repr,                                          \
        .tp_getattro = PyObject_GenericGetAttr,                            \
        .tp_setattro = PyObject_GenericSetAttr,                            \
        .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE |             \
                    Py_TPFLAGS_HAVE_GC,                                    \
        .tp_doc = doc,                                                     \
        .tp_traverse = buffered_traverse,                                  \
        .tp_clear = buffered_clear,                                        \
        .tp_weaklistoffset = offsetof(buffered, weakreflist),              \
        .tp_iternext = buffered_iternext,                                  \
        .tp_methods = methods,                                             \
        .tp_getset = buffered_getset,                                      \
        .tp_base = &_PyBufferedIOBase_Type,                                \
        .tp_dictoffset = offsetof(buffered, dict),                         \
        .tp_init = init,                                                   \
        .tp_alloc = PyType_GenericAlloc,                                   \
        .tp_new = buffered_new,                                            \
        .tp_free = PyObject_GC_Del,                                        \
    }

BUFFERED_TYPE(_PyBufferedReader_Type, "_io.BufferedReader", reader_methods,
              reader_init, "Create a new buffered reader using the given "
              "readable raw IO object.");
BUFFERED_TYPE(_PyBufferedWriter_Type, "_io.BufferedWriter", writer_methods,
              writer_init, "A buffer for a writeable sequential RawIO "
              "object.");
BUFFERED_TYPE(_PyBufferedRandom_Type, "_io.BufferedRandom", random_methods,
              random_init, "A buffered interface to random access "
              "streams.");

/* ------------------------------------------------------- BufferedRWPair */

typedef struct {
    _PyIO_HEAD
    PyObject *reader;
    PyObject *writer;
} rwpair;

static int
rwpair_init(PyObject *op, PyObject *args, PyObject *kwds)
{
    rwpair *self = (rwpair *)op;
    PyObject *r, *w;
    Py_ssize_t size = _PyIO_DEFAULT_BUFFER_SIZE;
    if (kwds != NULL && PyDict_Size(kwds) > 0) {
        PyErr_SetString(PyExc_TypeError,
                        "BufferedRWPair() takes no keyword arguments");
        return -1;
    }
    if (!PyArg_ParseTuple(args, "OO|n:BufferedRWPair", &r, &w, &size)) {
        return -1;
    }
    PyObject *ok = _PyIOBase_CheckReadable(r);
    if (ok == NULL) {
        return -1;
    }
    Py_DECREF(ok);
    ok = _PyIOBase_CheckWritable(w);
    if (ok == NULL) {
        return -1;
    }
    Py_DECREF(ok);
    PyObject *reader = PyObject_CallFunction(
        (PyObject *)&_PyBufferedReader_Type, "On", r, size);
    if (reader == NULL) {
        return -1;
    }
    PyObject *writer = PyObject_CallFunction(
        (PyObject *)&_PyBufferedWriter_Type, "On", w, size);
    if (writer == NULL) {
        Py_DECREF(reader);
        return -1;
    }
    Py_XSETREF(self->reader, reader);
    Py_XSETREF(self->writer, writer);
    return 0;
}

static int
rwpair_traverse(PyObject *op, visitproc visit, void *arg)
{
    rwpair *self = (rwpair *)op;
    Py_VISIT(self->reader);
    Py_VISIT(self->writer);
    Py_VISIT(self->dict);
    return 0;
}

static int
rwpair_clear(PyObject *op)
{
    rwpair *self = (rwpair *)op;
    Py_CLEAR(self->reader);
    Py_CLEAR(self->writer);
    Py_CLEAR(self->dict);
    return 0;
}

static void
rwpair_dealloc(PyObject *op)
{
    PyObject_GC_UnTrack(op);
    rwpair_clear(op);
    Py_TYPE(op)->tp_free(op);
}

/* Call method on the reader (which=0) or writer (1) with args. */
static PyObject *
rwpair_forward(PyObject *op, int which, const char *method, PyObject *args)
{
    rwpair *self = (rwpair *)op;
    PyObject *target = which ? self->writer : self->reader;
    if (target == NULL) {
        PyErr_SetString(PyExc_ValueError,
                        "I/O operation on uninitialized object");
        return NULL;
    }
    PyObject *func = PyObject_GetAttrString(target, method);
    if (func == NULL) {
        return NULL;
    }
    PyObject *r = args != NULL ? PyObject_Call(func, args, NULL)
                               : PyObject_CallNoArgs(func);
    Py_DECREF(func);
    return r;
}

#define RWPAIR_FORWARD(fname, which, method)                               \
    static PyObject *                                                      \
    fname(PyObject *op, PyObject *args)                                    \
    {                                                                      \
        return rwpair_forward(op, which, method, args);                    \
    }

RWPAIR_FORWARD(rwpair_read, 0, "read")
RWPAIR_FORWARD(rwpair_peek, 0, "peek")
RWPAIR_FORWARD(rwpair_read1, 0, "read1")
RWPAIR_FORWARD(rwpair_readinto, 0, "readinto")
RWPAIR_FORWARD(rwpair_readinto1, 0, "readinto1")
RWPAIR_FORWARD(rwpair_write, 1, "write")

static PyObject *
rwpair_flush(PyObject *op, PyObject *unused)
{
    return rwpair_forward(op, 1, "flush", NULL);
}

static PyObject *
rwpair_readable(PyObject *op, PyObject *unused)
{
    return rwpair_forward(op, 0, "readable", NULL);
}

static PyObject *
rwpair_writable(PyObject *op, PyObject *unused)
{
    return rwpair_forward(op, 1, "writable", NULL);
}

static PyObject *
rwpair_close(PyObject *op, PyObject *unused)
{
    PyObject *r = rwpair_forward(op, 1, "close", NULL);
    PyObject *exc = r == NULL ? PyErr_GetRaisedException() : NULL;
    Py_XDECREF(r);
    r = rwpair_forward(op, 0, "close", NULL);
    if (exc != NULL) {
        _PyErr_ChainExceptions1(exc);
        Py_CLEAR(r);
    }
    return r;
}

static PyObject *
rwpair_isatty(PyObject *op, PyObject *unused)
{
    PyObject *r = rwpair_forward(op, 1, "isatty", NULL);
    if (r != Py_False) {
        return r;
    }
    Py_DECREF(r);
    return rwpair_forward(op, 0, "isatty", NULL);
}

static PyObject *
rwpair_closed_get(PyObject *op, void *context)
{
    rwpair *self = (rwpair *)op;
    if (self->writer == NULL) {
        PyErr_SetString(PyExc_RuntimeError,
                        "the BufferedRWPair object is being garbage-"
                        "collected");
        return NULL;
    }
    return PyObject_GetAttrString(self->writer, "closed");
}

static PyMethodDef rwpair_methods[] = {
    {"read", rwpair_read, METH_VARARGS, NULL},
    {"peek", rwpair_peek, METH_VARARGS, NULL},
    {"read1", rwpair_read1, METH_VARARGS, NULL},
    {"readinto", rwpair_readinto, METH_VARARGS, NULL},
    {"readinto1", rwpair_readinto1, METH_VARARGS, NULL},
    {"write", rwpair_write, METH_VARARGS, NULL},
    {"flush", rwpair_flush, METH_NOARGS, NULL},
    {"readable", rwpair_readable, METH_NOARGS, NULL},
    {"writable", rwpair_writable, METH_NOARGS, NULL},
    {"close", rwpair_close, METH_NOARGS, NULL},
    {"isatty", rwpair_isatty, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef rwpair_getset[] = {
    {"closed", rwpair_closed_get, NULL, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

PyTypeObject _PyBufferedRWPair_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "_io.BufferedRWPair",
    .tp_basicsize = sizeof(rwpair),
    .tp_dealloc = rwpair_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_setattro = PyObject_GenericSetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE |
                Py_TPFLAGS_HAVE_GC,
    .tp_doc = "A buffered reader and writer object together.",
    .tp_traverse = rwpair_traverse,
    .tp_clear = rwpair_clear,
    .tp_weaklistoffset = offsetof(rwpair, weakreflist),
    .tp_methods = rwpair_methods,
    .tp_getset = rwpair_getset,
    .tp_base = &_PyBufferedIOBase_Type,
    .tp_dictoffset = offsetof(rwpair, dict),
    .tp_init = rwpair_init,
    .tp_alloc = PyType_GenericAlloc,
    .tp_new = PyType_GenericNew,
    .tp_free = PyObject_GC_Del,
};
