/* The fcntl module: fcntl(), ioctl(), flock() and lockf() on file
 * descriptors, with CPython 3.11's argument rules and constants (Linux).
 *
 * Thread safety: the module has no mutable state.  Every system call runs
 * detached (F_SETLKW and flock may block); buffer arguments are exported
 * with PyObject_GetBuffer for the length of the call, so a bytearray
 * cannot be resized under the kernel's feet.  EINTR is retried after
 * running the signal handlers (PEP 475). */
#ifndef _GNU_SOURCE
#  define _GNU_SOURCE 1  /* F_SETSIG, F_OFD_*, DN_*, seals */
#endif
#include "Python.h"
#include <fcntl.h>
#include <sys/file.h>
#include <sys/ioctl.h>

/* Enough for any fcntl/ioctl structure argument, as in 3.11. */
#define FCNTL_BUFSZ 1024

/* Converts OBJ (borrowed) to a file descriptor; -1 with an error. */
static int
fcntl_fd(PyObject *obj)
{
    return PyObject_AsFileDescriptor(obj);
}

/* Converts OBJ (borrowed) as 3.11's bitwise unsigned int ("I"): any int,
   masked; a non-integer is a TypeError.  0 or -1. */
static int
fcntl_uint_mask(PyObject *obj, unsigned long *out)
{
    PyObject *index = PyNumber_Index(obj);
    if (index == NULL) {
        return -1;
    }
    unsigned long v = PyLong_AsUnsignedLongMask(index);
    Py_DECREF(index);
    if (v == (unsigned long)-1 && PyErr_Occurred()) {
        return -1;
    }
    *out = v;
    return 0;
}

/* After a failed call: 1 to retry (EINTR and the handlers raised
   nothing), 0 with OSError or the handler's exception set. */
static int
fcntl_retry_or_raise(int err)
{
    if (err == EINTR) {
        if (PyErr_CheckSignals() < 0) {
            return 0;
        }
        return 1;
    }
    errno = err;
    PyErr_SetFromErrno(PyExc_OSError);
    return 0;
}

/* Calls fcntl(fd, cmd, ptr) detached, retrying on EINTR; the result or -1
   with an error set. */
static int
fcntl_call_ptr(int fd, int cmd, void *ptr)
{
    for (;;) {
        int rc, err;
        Py_BEGIN_ALLOW_THREADS
        rc = fcntl(fd, cmd, ptr);
        err = errno;
        Py_END_ALLOW_THREADS
        if (rc != -1) {
            return rc;
        }
        if (!fcntl_retry_or_raise(err)) {
            return -1;
        }
    }
}

/* Copies OBJ (borrowed) into BUF when it is a str (UTF-8) or a buffer,
   setting *len: returns 1.  Returns 0 when OBJ is neither (the caller then
   converts an int), -1 with ValueError when it is longer than
   FCNTL_BUFSZ. */
static int
fcntl_copy_arg(PyObject *obj, char *buf, Py_ssize_t *len, const char *what)
{
    const char *src;
    Py_ssize_t n;
    Py_buffer view;
    int have_view = 0;
    if (PyUnicode_Check(obj)) {
        src = PyUnicode_AsUTF8AndSize(obj, &n);
        if (src == NULL) {
            return -1;
        }
    }
    else if (PyObject_CheckBuffer(obj)) {
        if (PyObject_GetBuffer(obj, &view, PyBUF_SIMPLE) < 0) {
            return -1;
        }
        have_view = 1;
        src = view.buf;
        n = view.len;
    }
    else {
        return 0;
    }
    if (n > FCNTL_BUFSZ) {
        if (have_view) {
            PyBuffer_Release(&view);
        }
        PyErr_Format(PyExc_ValueError, "%s string arg too long", what);
        return -1;
    }
    memcpy(buf, src, n);
    *len = n;
    if (have_view) {
        PyBuffer_Release(&view);
    }
    return 1;
}

static const char fcntl_fcntl_doc[] =
"fcntl($module, fd, cmd, arg=0, /)\n--\n\n"
"Perform the operation `cmd` on file descriptor fd.\n\n"
"The values used for `cmd` are operating system dependent, and are available\n"
"as constants in the fcntl module, using the same names as used in\n"
"the relevant C header files.  The argument arg is optional, and\n"
"defaults to 0; it may be an int or a string.  If arg is given as a string,\n"
"the return value of fcntl is a string of that length, containing the\n"
"resulting value put in the arg buffer by the operating system.  The length\n"
"of the arg string is not allowed to exceed 1024 bytes.  If the arg given\n"
"is an integer or if none is specified, the result value is an integer\n"
"corresponding to the return value of the fcntl call in the C code.";

/* New reference: fcntl(fd, cmd[, arg]) -> int, or bytes for a buffer arg. */
static PyObject *
fcntl_fcntl(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (!_PyArg_CheckPositional("fcntl", nargs, 2, 3)) {
        return NULL;
    }
    int fd = fcntl_fd(args[0]);
    if (fd < 0) {
        return NULL;
    }
    int cmd = _PyLong_AsInt(args[1]);
    if (cmd == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (nargs == 3) {
        char buf[FCNTL_BUFSZ];
        Py_ssize_t len = 0;
        int kind = fcntl_copy_arg(args[2], buf, &len, "fcntl");
        if (kind < 0) {
            return NULL;
        }
        if (kind == 1) {
            if (fcntl_call_ptr(fd, cmd, buf) < 0) {
                return NULL;
            }
            return PyBytes_FromStringAndSize(buf, len);
        }
    }
    unsigned long arg = 0;
    if (nargs == 3 && fcntl_uint_mask(args[2], &arg) < 0) {
        return NULL;
    }
    int rc = fcntl_call_ptr(fd, cmd, (void *)(uintptr_t)(unsigned int)arg);
    if (rc < 0) {
        return NULL;
    }
    return PyLong_FromLong(rc);
}

/* Calls ioctl(fd, request, ptr) detached with EINTR retry; result or -1
   with an error set. */
static int
fcntl_ioctl_call(int fd, unsigned long request, void *ptr)
{
    for (;;) {
        int rc, err;
        Py_BEGIN_ALLOW_THREADS
        rc = ioctl(fd, request, ptr);
        err = errno;
        Py_END_ALLOW_THREADS
        if (rc != -1) {
            return rc;
        }
        if (!fcntl_retry_or_raise(err)) {
            return -1;
        }
    }
}

/* ioctl on a writable buffer ARG (borrowed) with mutation: small buffers
   go through a copy (so the kernel sees at least FCNTL_BUFSZ bytes),
   large ones are passed directly.  New reference to the int result. */
static PyObject *
fcntl_ioctl_mutable(int fd, unsigned long request, Py_buffer *view)
{
    char buf[FCNTL_BUFSZ + 1];
    int rc;
    if (view->len <= FCNTL_BUFSZ) {
        memcpy(buf, view->buf, view->len);
        buf[view->len] = '\0';
        rc = fcntl_ioctl_call(fd, request, buf);
        if (rc >= 0) {
            memcpy(view->buf, buf, view->len);
        }
    }
    else {
        rc = fcntl_ioctl_call(fd, request, view->buf);
    }
    if (rc < 0) {
        return NULL;
    }
    return PyLong_FromLong(rc);
}

static const char fcntl_ioctl_doc[] =
"ioctl($module, fd, request, arg=0, mutate_flag=True, /)\n--\n\n"
"Perform the operation `request` on file descriptor `fd`.\n\n"
"The values used for `request` are operating system dependent, and are\n"
"available as constants in the fcntl or termios library modules, using\n"
"the same names as used in the relevant C header files.\n\n"
"The argument `arg` is optional, and defaults to 0; it may be an int or a\n"
"buffer containing character data (most likely a string or an array).\n\n"
"If the argument is a mutable buffer (such as an array) and if the\n"
"mutate_flag argument (which is only allowed in this case) is true then the\n"
"buffer is (in effect) passed to the operating system and changes made by\n"
"the OS will be reflected in the contents of the buffer after the call has\n"
"returned.  The return value is the integer returned by the ioctl system\n"
"call.\n\n"
"If the argument is a mutable buffer and the mutable_flag argument is false,\n"
"the behavior is as if a string had been passed.\n\n"
"If the argument is an immutable buffer (most likely a string) then a copy\n"
"of the buffer is passed to the operating system and the return value is a\n"
"string of the same length containing whatever the operating system put in\n"
"the buffer.  The length of the arg buffer in this case is not allowed to\n"
"exceed 1024 bytes.\n\n"
"If the arg given is an integer or if none is specified, the result value is\n"
"an integer corresponding to the return value of the ioctl call in the C\n"
"code.";

/* New reference: ioctl(fd, request[, arg[, mutate_flag]]). */
static PyObject *
fcntl_ioctl(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (!_PyArg_CheckPositional("ioctl", nargs, 2, 4)) {
        return NULL;
    }
    int fd = fcntl_fd(args[0]);
    if (fd < 0) {
        return NULL;
    }
    unsigned long request;
    if (fcntl_uint_mask(args[1], &request) < 0) {
        return NULL;
    }
    request = (unsigned int)request;
    int mutate = 1;
    if (nargs == 4) {
        mutate = PyObject_IsTrue(args[3]);
        if (mutate < 0) {
            return NULL;
        }
    }
    if (nargs >= 3 && mutate && !PyUnicode_Check(args[2])
            && PyObject_CheckBuffer(args[2])) {
        Py_buffer view;
        if (PyObject_GetBuffer(args[2], &view, PyBUF_WRITABLE) == 0) {
            PyObject *res = fcntl_ioctl_mutable(fd, request, &view);
            PyBuffer_Release(&view);
            return res;
        }
        PyErr_Clear();
    }
    if (nargs >= 3) {
        char buf[FCNTL_BUFSZ + 1];
        Py_ssize_t len = 0;
        int kind = fcntl_copy_arg(args[2], buf, &len, "ioctl");
        if (kind < 0) {
            return NULL;
        }
        if (kind == 1) {
            buf[len] = '\0';
            if (fcntl_ioctl_call(fd, request, buf) < 0) {
                return NULL;
            }
            return PyBytes_FromStringAndSize(buf, len);
        }
    }
    unsigned long arg = 0;
    if (nargs >= 3 && fcntl_uint_mask(args[2], &arg) < 0) {
        return NULL;
    }
    int rc = fcntl_ioctl_call(fd, request,
                              (void *)(uintptr_t)(unsigned int)arg);
    if (rc < 0) {
        return NULL;
    }
    return PyLong_FromLong(rc);
}

static const char fcntl_flock_doc[] =
"flock($module, fd, operation, /)\n--\n\n"
"Perform the lock operation `operation` on file descriptor `fd`.\n\n"
"See the Unix manual page for flock(2) for details (On some systems, this\n"
"function is emulated using fcntl()).";

/* New reference (None): flock(fd, operation), detached. */
static PyObject *
fcntl_flock(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (!_PyArg_CheckPositional("flock", nargs, 2, 2)) {
        return NULL;
    }
    int fd = fcntl_fd(args[0]);
    if (fd < 0) {
        return NULL;
    }
    int op = _PyLong_AsInt(args[1]);
    if (op == -1 && PyErr_Occurred()) {
        return NULL;
    }
    for (;;) {
        int rc, err;
        Py_BEGIN_ALLOW_THREADS
        rc = flock(fd, op);
        err = errno;
        Py_END_ALLOW_THREADS
        if (rc == 0) {
            Py_RETURN_NONE;
        }
        if (!fcntl_retry_or_raise(err)) {
            return NULL;
        }
    }
}

/* Converts an optional off_t argument (C long range, 3.11's message);
   0 or -1. */
static int
fcntl_off(PyObject *const *args, Py_ssize_t nargs, Py_ssize_t i, long *out)
{
    *out = 0;
    if (i >= nargs) {
        return 0;
    }
    *out = PyLong_AsLong(args[i]);
    if (*out == -1 && PyErr_Occurred()) {
        return -1;
    }
    return 0;
}

static const char fcntl_lockf_doc[] =
"lockf($module, fd, cmd, len=0, start=0, whence=0, /)\n--\n\n"
"A wrapper around the fcntl() locking calls.\n\n"
"`fd` is the file descriptor of the file to lock or unlock, and operation is one\n"
"of the following values:\n\n"
"    LOCK_UN - unlock\n"
"    LOCK_SH - acquire a shared lock\n"
"    LOCK_EX - acquire an exclusive lock\n\n"
"When operation is LOCK_SH or LOCK_EX, it can also be bitwise ORed with\n"
"LOCK_NB to avoid blocking on lock acquisition.  If LOCK_NB is used and the\n"
"lock cannot be acquired, an OSError will be raised and the exception will\n"
"have an errno attribute set to EACCES or EAGAIN (depending on the operating\n"
"system -- for portability, check for either value).\n\n"
"`len` is the number of bytes to lock, with the default meaning to lock to\n"
"EOF.  `start` is the byte offset, relative to `whence`, to that the lock\n"
"starts.  `whence` is as with fileobj.seek(), specifically:\n\n"
"    0 - relative to the start of the file (SEEK_SET)\n"
"    1 - relative to the current buffer position (SEEK_CUR)\n"
"    2 - relative to the end of the file (SEEK_END)";

/* New reference (None): a POSIX record lock through fcntl(F_SETLK[W]). */
static PyObject *
fcntl_lockf(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (!_PyArg_CheckPositional("lockf", nargs, 2, 5)) {
        return NULL;
    }
    int fd = fcntl_fd(args[0]);
    if (fd < 0) {
        return NULL;
    }
    int code = _PyLong_AsInt(args[1]);
    if (code == -1 && PyErr_Occurred()) {
        return NULL;
    }
    long len, start;
    if (fcntl_off(args, nargs, 2, &len) < 0
            || fcntl_off(args, nargs, 3, &start) < 0) {
        return NULL;
    }
    int whence = 0;
    if (nargs > 4) {
        whence = _PyLong_AsInt(args[4]);
        if (whence == -1 && PyErr_Occurred()) {
            return NULL;
        }
    }
    struct flock l;
    memset(&l, 0, sizeof(l));
    if (code & LOCK_UN) {
        l.l_type = F_UNLCK;
    }
    else if (code & LOCK_SH) {
        l.l_type = F_RDLCK;
    }
    else if (code & LOCK_EX) {
        l.l_type = F_WRLCK;
    }
    else {
        PyErr_SetString(PyExc_ValueError, "unrecognized lockf argument");
        return NULL;
    }
    l.l_start = start;
    l.l_len = len;
    l.l_whence = (short)whence;
    int cmd = (code & LOCK_NB) ? F_SETLK : F_SETLKW;
    if (fcntl_call_ptr(fd, cmd, &l) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyMethodDef fcntl_methods[] = {
    {"fcntl", (PyCFunction)(void (*)(void))fcntl_fcntl, METH_FASTCALL,
     fcntl_fcntl_doc},
    {"ioctl", (PyCFunction)(void (*)(void))fcntl_ioctl, METH_FASTCALL,
     fcntl_ioctl_doc},
    {"flock", (PyCFunction)(void (*)(void))fcntl_flock, METH_FASTCALL,
     fcntl_flock_doc},
    {"lockf", (PyCFunction)(void (*)(void))fcntl_lockf, METH_FASTCALL,
     fcntl_lockf_doc},
    {NULL, NULL, 0, NULL},
};

typedef struct {
    const char *name;
    long value;
} fcntl_const;

/* The constants 3.11 exports on Linux (those this libc defines). */
static const fcntl_const fcntl_constants[] = {
#define C(n) {#n, (long)(n)}
    C(LOCK_SH), C(LOCK_EX), C(LOCK_NB), C(LOCK_UN),
#ifdef LOCK_MAND
    C(LOCK_MAND), C(LOCK_READ), C(LOCK_WRITE), C(LOCK_RW),
#else
    {"LOCK_MAND", 32}, {"LOCK_READ", 64}, {"LOCK_WRITE", 128},
    {"LOCK_RW", 192},
#endif
    C(F_DUPFD), C(F_DUPFD_CLOEXEC), C(F_GETFD), C(F_SETFD), C(F_GETFL),
    C(F_SETFL), C(F_GETLK), C(F_SETLK), C(F_SETLKW), C(F_GETOWN),
    C(F_SETOWN), C(F_GETSIG), C(F_SETSIG), C(F_RDLCK), C(F_WRLCK),
    C(F_UNLCK), C(F_GETLK64), C(F_SETLK64), C(F_SETLKW64), C(FASYNC),
    C(F_SETLEASE), C(F_GETLEASE), C(F_NOTIFY), C(F_EXLCK), C(F_SHLCK),
    C(F_GETPIPE_SZ), C(F_SETPIPE_SZ), C(F_OFD_GETLK), C(F_OFD_SETLK),
    C(F_OFD_SETLKW), C(F_ADD_SEALS), C(F_GET_SEALS), C(F_SEAL_SEAL),
    C(F_SEAL_SHRINK), C(F_SEAL_GROW), C(F_SEAL_WRITE), C(FD_CLOEXEC),
    C(DN_ACCESS), C(DN_MODIFY), C(DN_CREATE), C(DN_DELETE), C(DN_RENAME),
    C(DN_ATTRIB), C(DN_MULTISHOT),
#undef C
    {NULL, 0},
};

static const char fcntl_doc[] =
"This module performs file control and I/O control on file\n"
"descriptors.  It is an interface to the fcntl() and ioctl() Unix\n"
"routines.  File descriptors can be obtained with the fileno() method of\n"
"a file or socket object.";

static struct PyModuleDef fcntl_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "fcntl",
    .m_doc = fcntl_doc,
    .m_size = 0,
    .m_methods = fcntl_methods,
};

/* Module entry point for the inittab; a new reference or NULL. */
PyMODINIT_FUNC
PyInit_fcntl(void)
{
    PyObject *mod = PyModule_Create(&fcntl_module);
    if (mod == NULL) {
        return NULL;
    }
    for (const fcntl_const *c = fcntl_constants; c->name != NULL; c++) {
        if (PyModule_AddIntConstant(mod, c->name, c->value) < 0) {
            Py_DECREF(mod);
            return NULL;
        }
    }
    return mod;
}
