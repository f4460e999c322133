/* _io.FileIO: raw unbuffered I/O on an OS file descriptor.
 *
 * Thread safety: the descriptor (fd) is an int read and written with
 * atomic loads/stores; the mode flags and closefd are written only by
 * __init__ before the object is shared (a racing re-__init__ is the
 * caller's bug and at worst mixes old and new flags).  Every system call
 * runs detached (Py_BEGIN_ALLOW_THREADS) with no lock held, like CPython:
 * a close racing with a read makes the read fail with EBADF.  EINTR is
 * retried after running signal handlers (PEP 475). */
#include "Python.h"
#include "structmember.h"
#include "pycore_io.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct {
    _PyIO_HEAD
    int fd;
    unsigned created : 1;
    unsigned readable : 1;
    unsigned writable : 1;
    unsigned appending : 1;
    unsigned closefd : 1;
    int seekable;               /* -1 unknown; relaxed atomics */
    Py_ssize_t blksize;
} fileio;

#define SMALLCHUNK 8192

static inline int
fio_fd(fileio *self)
{
    return _Py_atomic_load_int(&self->fd);
}

int
_PyFileIO_ClosedFast(PyObject *obj)
{
    if (Py_TYPE(obj) != &_PyFileIO_Type) {
        return -2;
    }
    return fio_fd((fileio *)obj) < 0;
}

static PyObject *
err_closed(void)
{
    PyErr_SetString(PyExc_ValueError, "I/O operation on closed file");
    return NULL;
}

static PyObject *
err_mode(const char *action)
{
    PyErr_Format(_PyIO_GetUnsupportedOperation(), "File not open for %s",
                 action);
    return NULL;
}

static PyObject *
fileio_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    fileio *self = (fileio *)type->tp_alloc(type, 0);
    if (self == NULL) {
        return NULL;
    }
    self->fd = -1;
    self->seekable = -1;
    self->closefd = 1;
    self->blksize = 0;
    return (PyObject *)self;
}

/* Close the descriptor now (detached).  0 or -1 with OSError. */
static int
internal_close(fileio *self)
{
    int fd = _Py_atomic_exchange_int(&self->fd, -1);
    if (fd < 0) {
        return 0;
    }
    int err = 0;
    Py_BEGIN_ALLOW_THREADS
    if (close(fd) < 0) {
        err = errno;
    }
    Py_END_ALLOW_THREADS
    if (err != 0 && err != EINTR) {
        errno = err;
        PyErr_SetFromErrno(PyExc_OSError);
        return -1;
    }
    return 0;
}

/* Parse a FileIO mode string into open(2) flags.  -1 with ValueError. */
static int
fileio_parse_mode(fileio *self, const char *mode, int *flags)
{
    int rwa = 0, plus = 0;
    *flags = 0;
    for (const char *s = mode; *s; s++) {
        switch (*s) {
        case 'x':
        case 'r':
        case 'w':
        case 'a':
            if (rwa) {
                goto bad_mode;
            }
            rwa = 1;
            if (*s == 'x') {
                self->created = 1;
                self->writable = 1;
                *flags |= O_EXCL | O_CREAT;
            }
            else if (*s == 'r') {
                self->readable = 1;
            }
            else if (*s == 'w') {
                self->writable = 1;
                *flags |= O_CREAT | O_TRUNC;
            }
            else {
                self->writable = 1;
                self->appending = 1;
                *flags |= O_APPEND | O_CREAT;
            }
            break;
        case 'b':
            break;
        case '+':
            if (plus) {
                goto bad_mode;
            }
            self->readable = self->writable = 1;
            plus = 1;
            break;
        default:
            PyErr_Format(PyExc_ValueError, "invalid mode: %.200s", mode);
            return -1;
        }
    }
    if (!rwa) {
        goto bad_mode;
    }
    if (self->readable && self->writable) {
        *flags |= O_RDWR;
    }
    else if (self->readable) {
        *flags |= O_RDONLY;
    }
    else {
        *flags |= O_WRONLY;
    }
    *flags |= O_CLOEXEC;
    return 0;
bad_mode:
    PyErr_SetString(PyExc_ValueError,
                    "Must have exactly one of create/read/write/append "
                    "mode and at most one plus");
    return -1;
}

/* os.fspath(obj) encoded for the file system: new bytes reference. */
static PyObject *
fs_encode(PyObject *obj)
{
    PyObject *path = NULL;
    if (PyUnicode_Check(obj) || PyBytes_Check(obj)) {
        path = Py_NewRef(obj);
    }
    else {
        PyObject *func = PyObject_GetAttrString((PyObject *)Py_TYPE(obj),
                                                "__fspath__");
        Py_XDECREF(func);
        if (func == NULL) {
            PyErr_Clear();
            PyErr_Format(PyExc_TypeError,
                         "expected str, bytes or os.PathLike object, not "
                         "%.200s", Py_TYPE(obj)->tp_name);
            return NULL;
        }
        path = PyObject_CallMethod(obj, "__fspath__", NULL);
        if (path == NULL) {
            return NULL;
        }
        if (!PyUnicode_Check(path) && !PyBytes_Check(path)) {
            PyErr_Format(PyExc_TypeError,
                         "expected %.200s.__fspath__() to return str or "
                         "bytes, not %.200s", Py_TYPE(obj)->tp_name,
                         Py_TYPE(path)->tp_name);
            Py_DECREF(path);
            return NULL;
        }
    }
    if (PyUnicode_Check(path)) {
        PyObject *b = PyUnicode_EncodeFSDefault(path);
        Py_DECREF(path);
        path = b;
        if (path == NULL) {
            return NULL;
        }
    }
    if ((Py_ssize_t)strlen(PyBytes_AS_STRING(path)) !=
        PyBytes_GET_SIZE(path)) {
        Py_DECREF(path);
        PyErr_SetString(PyExc_ValueError, "embedded null byte");
        return NULL;
    }
    return path;
}

/* fd = opener(name, flags), validated.  -1 with an exception. */
static int
call_opener(PyObject *opener, PyObject *nameobj, int flags)
{
    PyObject *r = PyObject_CallFunction(opener, "Oi", nameobj, flags);
    if (r == NULL) {
        return -1;
    }
    if (!PyLong_Check(r)) {
        Py_DECREF(r);
        PyErr_SetString(PyExc_TypeError, "expected integer from opener");
        return -1;
    }
    long fd = PyLong_AsLong(r);
    Py_DECREF(r);
    if (fd == -1 && PyErr_Occurred()) {
        return -1;
    }
    if (fd < 0) {
        if (!PyErr_Occurred()) {
            PyErr_Format(PyExc_ValueError, "opener returned %d", (int)fd);
        }
        return -1;
    }
    return (int)fd;
}

/* open(2) detached, retrying EINTR.  -1 with OSError(filename). */
static int
open_path(PyObject *nameobj, const char *path, int flags)
{
    int fd, err;
    for (;;) {
        Py_BEGIN_ALLOW_THREADS
        fd = open(path, flags, 0666);
        err = errno;
        Py_END_ALLOW_THREADS
        if (fd >= 0) {
            return fd;
        }
        if (err != EINTR) {
            break;
        }
        if (_PyIO_CheckSignals() < 0) {
            return -1;
        }
    }
    errno = err;
    PyErr_SetFromErrnoWithFilenameObject(PyExc_OSError, nameobj);
    return -1;
}

/* After opening: refuse directories, remember st_blksize. */
static int
check_opened(fileio *self, int fd, PyObject *nameobj)
{
    struct stat st;
    int r, err;
    Py_BEGIN_ALLOW_THREADS
    r = fstat(fd, &st);
    err = errno;
    Py_END_ALLOW_THREADS
    if (r < 0) {
        if (err == EBADF) {
            errno = err;
            PyErr_SetFromErrno(PyExc_OSError);
            return -1;
        }
        return 0;
    }
    if (S_ISDIR(st.st_mode)) {
        errno = EISDIR;
        PyErr_SetFromErrnoWithFilenameObject(PyExc_OSError, nameobj);
        return -1;
    }
    if (st.st_blksize > 1) {
        self->blksize = st.st_blksize;
    }
    return 0;
}

static int
fileio_init(PyObject *op, PyObject *args, PyObject *kwds)
{
    fileio *self = (fileio *)op;
    static char *kwlist[] = {"file", "mode", "closefd", "opener", NULL};
    PyObject *nameobj, *opener = Py_None;
    const char *mode = "r";
    int closefd = 1, flags;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O|siO:FileIO", kwlist,
                                     &nameobj, &mode, &closefd, &opener)) {
        return -1;
    }
    if (fio_fd(self) >= 0) {
        if (self->closefd) {
            if (internal_close(self) < 0) {
                return -1;
            }
        }
        else {
            _Py_atomic_store_int(&self->fd, -1);
        }
    }
    int fd = -1;
    PyObject *path = NULL;
    if (PyLong_Check(nameobj)) {
        long v = PyLong_AsLong(nameobj);
        if (v == -1 && PyErr_Occurred()) {
            return -1;
        }
        if (v < 0) {
            PyErr_SetString(PyExc_ValueError, "negative file descriptor");
            return -1;
        }
        fd = (int)v;
    }
    else {
        path = fs_encode(nameobj);
        if (path == NULL) {
            return -1;
        }
    }
    self->created = self->readable = self->writable = self->appending = 0;
    self->seekable = -1;
    self->blksize = 0;
    if (fileio_parse_mode(self, mode, &flags) < 0) {
        goto error;
    }
    if (fd >= 0) {
        self->closefd = closefd ? 1 : 0;
    }
    else {
        self->closefd = 1;
        if (!closefd) {
            PyErr_SetString(PyExc_ValueError,
                            "Cannot use closefd=False with file name");
            goto error;
        }
        fd = opener == Py_None
             ? open_path(nameobj, PyBytes_AS_STRING(path), flags)
             : call_opener(opener, nameobj, flags);
        if (fd < 0) {
            goto error;
        }
    }
    _Py_atomic_store_int(&self->fd, fd);
    if (check_opened(self, fd, nameobj) < 0) {
        goto error_close;
    }
    if (PyObject_SetAttrString(op, "name", nameobj) < 0) {
        goto error_close;
    }
    if (self->appending) {
        Py_BEGIN_ALLOW_THREADS
        lseek(fd, 0, SEEK_END);
        Py_END_ALLOW_THREADS
    }
    Py_XDECREF(path);
    return 0;
error_close:
    if (!self->closefd) {
        _Py_atomic_store_int(&self->fd, -1);
    }
    else {
        PyObject *exc = PyErr_GetRaisedException();
        internal_close(self);
        PyErr_Clear();
        PyErr_SetRaisedException(exc);
    }
error:
    Py_XDECREF(path);
    return -1;
}

static int
fileio_traverse(PyObject *op, visitproc visit, void *arg)
{
    Py_VISIT(((fileio *)op)->dict);
    return 0;
}

static int
fileio_clear(PyObject *op)
{
    Py_CLEAR(((fileio *)op)->dict);
    return 0;
}

static void
fileio_dealloc(PyObject *op)
{
    if (_PyIOBase_Finalize(op) < 0) {
        return;
    }
    PyObject_GC_UnTrack(op);
    fileio_clear(op);
    Py_TYPE(op)->tp_free(op);
}

/* close(): _RawIOBase.close (flush, mark closed), then the descriptor. */
static PyObject *
fileio_close(PyObject *op, PyObject *unused)
{
    fileio *self = (fileio *)op;
    PyObject *res = PyObject_CallMethod((PyObject *)&_PyRawIOBase_Type,
                                        "close", "O", op);
    if (!self->closefd) {
        _Py_atomic_store_int(&self->fd, -1);
        return res;
    }
    PyObject *exc = res == NULL ? PyErr_GetRaisedException() : NULL;
    if (internal_close(self) < 0) {
        Py_CLEAR(res);
    }
    if (exc != NULL) {
        _PyErr_ChainExceptions1(exc);
    }
    return res;
}

/* Shared prologue: the fd, or -1 with ValueError/UnsupportedOperation. */
static int
fileio_ready(fileio *self, int need_read, int need_write)
{
    int fd = fio_fd(self);
    if (fd < 0) {
        err_closed();
        return -1;
    }
    if (need_read && !self->readable) {
        err_mode("reading");
        return -1;
    }
    if (need_write && !self->writable) {
        err_mode("writing");
        return -1;
    }
    return fd;
}

/* read(2)/write(2) detached with EINTR retry.  Returns the count, -1 with
   an exception, or -2 for EAGAIN (no exception). */
static Py_ssize_t
fd_io(int fd, void *buf, size_t n, int writing)
{
    Py_ssize_t r;
    int err;
    if (n > PY_SSIZE_T_MAX) {
        n = PY_SSIZE_T_MAX;
    }
    for (;;) {
        Py_BEGIN_ALLOW_THREADS
        r = writing ? write(fd, buf, n) : read(fd, buf, n);
        err = errno;
        Py_END_ALLOW_THREADS
        if (r >= 0) {
            return r;
        }
        if (err != EINTR) {
            break;
        }
        if (_PyIO_CheckSignals() < 0) {
            return -1;
        }
    }
    if (err == EAGAIN || err == EWOULDBLOCK) {
        return -2;
    }
    errno = err;
    PyErr_SetFromErrno(PyExc_OSError);
    return -1;
}

static PyObject *
fileio_readinto(PyObject *op, PyObject *args)
{
    fileio *self = (fileio *)op;
    int fd = fileio_ready(self, 1, 0);
    if (fd < 0) {
        return NULL;
    }
    Py_buffer view;
    if (!PyArg_ParseTuple(args, "w*:readinto", &view)) {
        return NULL;
    }
    Py_ssize_t n = fd_io(fd, view.buf, view.len, 0);
    PyBuffer_Release(&view);
    if (n == -2) {
        Py_RETURN_NONE;
    }
    return n < 0 ? NULL : PyLong_FromSsize_t(n);
}

/* A size guess for readall(): bytes left before EOF plus one, or a small
   chunk when unknown. */
static Py_ssize_t
readall_estimate(int fd)
{
    struct stat st;
    off_t pos, end = -1;
    Py_BEGIN_ALLOW_THREADS
    pos = lseek(fd, 0, SEEK_CUR);
    if (fstat(fd, &st) == 0) {
        end = st.st_size;
    }
    Py_END_ALLOW_THREADS
    if (end > 0 && pos >= 0 && end >= pos && end - pos < PY_SSIZE_T_MAX) {
        return (Py_ssize_t)(end - pos) + 1;
    }
    return SMALLCHUNK;
}

static PyObject *
fileio_readall(PyObject *op, PyObject *unused)
{
    fileio *self = (fileio *)op;
    int fd = fileio_ready(self, 0, 0);
    if (fd < 0) {
        return NULL;
    }
    Py_ssize_t cap = readall_estimate(fd), len = 0;
    PyObject *res = PyBytes_FromStringAndSize(NULL, cap);
    if (res == NULL) {
        return NULL;
    }
    for (;;) {
        if (len >= cap) {
            cap = cap + (cap >> 2) + SMALLCHUNK;
            if (_PyBytes_Resize(&res, cap) < 0) {
                return NULL;
            }
        }
        Py_ssize_t n = fd_io(fd, PyBytes_AS_STRING(res) + len, cap - len, 0);
        if (n == -2) {
            if (len == 0) {
                Py_DECREF(res);
                Py_RETURN_NONE;
            }
            break;
        }
        if (n < 0) {
            Py_DECREF(res);
            return NULL;
        }
        if (n == 0) {
            break;
        }
        len += n;
    }
    if (len != cap && _PyBytes_Resize(&res, len) < 0) {
        return NULL;
    }
    return res;
}

static PyObject *
fileio_read(PyObject *op, PyObject *args)
{
    fileio *self = (fileio *)op;
    Py_ssize_t size = -1;
    if (!PyArg_ParseTuple(args, "|O&:read", _PyIO_ConvertSsize, &size)) {
        return NULL;
    }
    int fd = fileio_ready(self, 1, 0);
    if (fd < 0) {
        return NULL;
    }
    if (size < 0) {
        return fileio_readall(op, NULL);
    }
    PyObject *res = PyBytes_FromStringAndSize(NULL, size);
    if (res == NULL) {
        return NULL;
    }
    Py_ssize_t n = fd_io(fd, PyBytes_AS_STRING(res), size, 0);
    if (n < 0) {
        Py_DECREF(res);
        if (n == -2) {
            Py_RETURN_NONE;
        }
        return NULL;
    }
    if (n != size && _PyBytes_Resize(&res, n) < 0) {
        return NULL;
    }
    return res;
}

static PyObject *
fileio_write(PyObject *op, PyObject *args)
{
    fileio *self = (fileio *)op;
    int fd = fileio_ready(self, 0, 1);
    if (fd < 0) {
        return NULL;
    }
    Py_buffer view;
    if (!PyArg_ParseTuple(args, "y*:write", &view)) {
        return NULL;
    }
    Py_ssize_t n = fd_io(fd, view.buf, view.len, 1);
    PyBuffer_Release(&view);
    if (n == -2) {
        Py_RETURN_NONE;
    }
    return n < 0 ? NULL : PyLong_FromSsize_t(n);
}

/* lseek(2) detached.  New reference to the new position or NULL. */
static PyObject *
portable_lseek(int fd, off_t pos, int whence)
{
    off_t res;
    int err;
    Py_BEGIN_ALLOW_THREADS
    res = lseek(fd, pos, whence);
    err = errno;
    Py_END_ALLOW_THREADS
    if (res < 0) {
        errno = err;
        return PyErr_SetFromErrno(PyExc_OSError);
    }
    return _PyIO_FromOff(res);
}

static PyObject *
fileio_seek(PyObject *op, PyObject *args)
{
    fileio *self = (fileio *)op;
    PyObject *posobj;
    int whence = 0;
    if (!PyArg_ParseTuple(args, "O|i:seek", &posobj, &whence)) {
        return NULL;
    }
    int fd = fileio_ready(self, 0, 0);
    if (fd < 0) {
        return NULL;
    }
    if (PyFloat_Check(posobj)) {
        PyErr_SetString(PyExc_TypeError, "an integer is required");
        return NULL;
    }
    off_t pos = _PyIO_AsOff(posobj, PyExc_OverflowError);
    if (pos == -1 && PyErr_Occurred()) {
        return NULL;
    }
    return portable_lseek(fd, pos, whence);
}

static PyObject *
fileio_tell(PyObject *op, PyObject *unused)
{
    fileio *self = (fileio *)op;
    int fd = fileio_ready(self, 0, 0);
    if (fd < 0) {
        return NULL;
    }
    return portable_lseek(fd, 0, SEEK_CUR);
}

static PyObject *
fileio_truncate(PyObject *op, PyObject *args)
{
    fileio *self = (fileio *)op;
    PyObject *sizeobj = Py_None;
    if (!PyArg_ParseTuple(args, "|O:truncate", &sizeobj)) {
        return NULL;
    }
    int fd = fileio_ready(self, 0, 1);
    if (fd < 0) {
        return NULL;
    }
    PyObject *size;
    if (sizeobj == Py_None) {
        size = portable_lseek(fd, 0, SEEK_CUR);
        if (size == NULL) {
            return NULL;
        }
    }
    else {
        size = Py_NewRef(sizeobj);
    }
    off_t len = _PyIO_AsOff(size, PyExc_OverflowError);
    if (len == -1 && PyErr_Occurred()) {
        Py_DECREF(size);
        return NULL;
    }
    int r, err;
    Py_BEGIN_ALLOW_THREADS
    r = ftruncate(fd, len);
    err = errno;
    Py_END_ALLOW_THREADS
    if (r < 0) {
        Py_DECREF(size);
        errno = err;
        return PyErr_SetFromErrno(PyExc_OSError);
    }
    return size;
}

static PyObject *
fileio_seekable(PyObject *op, PyObject *unused)
{
    fileio *self = (fileio *)op;
    int fd = fileio_ready(self, 0, 0);
    if (fd < 0) {
        return NULL;
    }
    int seekable = _Py_atomic_load_int_relaxed(&self->seekable);
    if (seekable < 0) {
        off_t r;
        Py_BEGIN_ALLOW_THREADS
        r = lseek(fd, 0, SEEK_CUR);
        Py_END_ALLOW_THREADS
        /* Relaxed: every thread computes the same answer. */
        seekable = r >= 0 ? 1 : 0;
        _Py_atomic_store_int_relaxed(&self->seekable, seekable);
    }
    return PyBool_FromLong(seekable);
}

static PyObject *
fileio_readable(PyObject *op, PyObject *unused)
{
    fileio *self = (fileio *)op;
    if (fileio_ready(self, 0, 0) < 0) {
        return NULL;
    }
    return PyBool_FromLong(self->readable);
}

static PyObject *
fileio_writable(PyObject *op, PyObject *unused)
{
    fileio *self = (fileio *)op;
    if (fileio_ready(self, 0, 0) < 0) {
        return NULL;
    }
    return PyBool_FromLong(self->writable);
}

static PyObject *
fileio_fileno(PyObject *op, PyObject *unused)
{
    int fd = fileio_ready((fileio *)op, 0, 0);
    return fd < 0 ? NULL : PyLong_FromLong(fd);
}

static PyObject *
fileio_isatty(PyObject *op, PyObject *unused)
{
    int fd = fileio_ready((fileio *)op, 0, 0);
    if (fd < 0) {
        return NULL;
    }
    int r;
    Py_BEGIN_ALLOW_THREADS
    r = isatty(fd);
    Py_END_ALLOW_THREADS
    return PyBool_FromLong(r);
}

static PyObject *
fileio_dealloc_warn(PyObject *op, PyObject *source)
{
    Py_RETURN_NONE;
}

static PyObject *
fileio_getstate(PyObject *op, PyObject *unused)
{
    PyErr_Format(PyExc_TypeError, "cannot pickle '%.100s' object",
                 Py_TYPE(op)->tp_name);
    return NULL;
}

static const char *
mode_string(fileio *self)
{
    if (self->created) {
        return self->readable ? "xb+" : "xb";
    }
    if (self->appending) {
        return self->readable ? "ab+" : "ab";
    }
    if (self->readable) {
        return self->writable ? "rb+" : "rb";
    }
    return "wb";
}

static PyObject *
fileio_repr(PyObject *op)
{
    fileio *self = (fileio *)op;
    int fd = fio_fd(self);
    if (fd < 0) {
        return PyUnicode_FromString("<_io.FileIO [closed]>");
    }
    PyObject *name = PyObject_GetAttrString(op, "name");
    if (name == NULL) {
        if (!PyErr_ExceptionMatches(PyExc_AttributeError)) {
            return NULL;
        }
        PyErr_Clear();
        return PyUnicode_FromFormat("<_io.FileIO fd=%d mode='%s' "
                                    "closefd=%s>", fd, mode_string(self),
                                    self->closefd ? "True" : "False");
    }
    PyObject *res = NULL;
    if (Py_ReprEnter(op) > 0) {
        PyErr_Format(PyExc_RuntimeError,
                     "reentrant call inside %s.__repr__",
                     Py_TYPE(op)->tp_name);
    }
    else {
        res = PyUnicode_FromFormat("<_io.FileIO name=%R mode='%s' "
                                   "closefd=%s>", name, mode_string(self),
                                   self->closefd ? "True" : "False");
        Py_ReprLeave(op);
    }
    Py_DECREF(name);
    return res;
}

static PyObject *
fileio_closed_get(PyObject *op, void *context)
{
    return PyBool_FromLong(fio_fd((fileio *)op) < 0);
}

static PyObject *
fileio_closefd_get(PyObject *op, void *context)
{
    return PyBool_FromLong(((fileio *)op)->closefd);
}

static PyObject *
fileio_mode_get(PyObject *op, void *context)
{
    return PyUnicode_FromString(mode_string((fileio *)op));
}

static PyObject *
fileio_blksize_get(PyObject *op, void *context)
{
    fileio *self = (fileio *)op;
    return PyLong_FromSsize_t(self->blksize > 1 ? self->blksize
                                                : _PyIO_DEFAULT_BUFFER_SIZE);
}

static PyMethodDef fileio_methods[] = {
    {"read", fileio_read, METH_VARARGS, NULL},
    {"readall", fileio_readall, METH_NOARGS, NULL},
    {"readinto", fileio_readinto, METH_VARARGS, NULL},
    {"write", fileio_write, METH_VARARGS, NULL},
    {"seek", fileio_seek, METH_VARARGS, NULL},
    {"tell", fileio_tell, METH_NOARGS, NULL},
    {"truncate", fileio_truncate, METH_VARARGS, NULL},
    {"close", fileio_close, METH_NOARGS, NULL},
    {"seekable", fileio_seekable, METH_NOARGS, NULL},
    {"readable", fileio_readable, METH_NOARGS, NULL},
    {"writable", fileio_writable, METH_NOARGS, NULL},
    {"fileno", fileio_fileno, METH_NOARGS, NULL},
    {"isatty", fileio_isatty, METH_NOARGS, NULL},
    {"_dealloc_warn", fileio_dealloc_warn, METH_O, NULL},
    {"__getstate__", fileio_getstate, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef fileio_getset[] = {
    {"closed", fileio_closed_get, NULL, "True if the file is closed", NULL},
    {"closefd", fileio_closefd_get, NULL,
     "True if the file descriptor will be closed by close().", NULL},
    {"mode", fileio_mode_get, NULL, "String giving the file mode", NULL},
    {"_blksize", fileio_blksize_get, NULL, NULL, NULL},
    {"_finalizing", _PyIOBase_FinalizingGet, NULL, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

PyTypeObject _PyFileIO_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "_io.FileIO",
    .tp_basicsize = sizeof(fileio),
    .tp_dealloc = fileio_dealloc,
    .tp_repr = fileio_repr,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_setattro = PyObject_GenericSetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE |
                Py_TPFLAGS_HAVE_GC,
    .tp_doc = "Open a file.",
    .tp_traverse = fileio_traverse,
    .tp_clear = fileio_clear,
    .tp_weaklistoffset = offsetof(fileio, weakreflist),
    .tp_methods = fileio_methods,
    .tp_getset = fileio_getset,
    .tp_base = &_PyRawIOBase_Type,
    .tp_dictoffset = offsetof(fileio, dict),
    .tp_init = fileio_init,
    .tp_alloc = PyType_GenericAlloc,
    .tp_new = fileio_new,
    .tp_free = PyObject_GC_Del,
};
