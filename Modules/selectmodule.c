/* The select module: select(), poll objects and epoll objects, with
 * CPython 3.11's arguments, errors and constants (Linux).
 *
 * Every wait runs detached.  An EINTR runs the signal handlers
 * (PyErr_CheckSignals) and, if they raise nothing, waits again for the
 * time left until the original deadline (PEP 475).
 *
 * Thread safety:
 * - select.poll objects are mutable (their registered fd set).
 *   register/modify/unregister run in a critical section on the object.
 *   poll() copies the set inside a critical section, marks the object
 *   running (a second poll() at the same time gets 3.11's RuntimeError
 *   "concurrent poll() invocation"), leaves the section, waits detached on
 *   the copy, then clears the mark in a new section.  Registrations made
 *   during a wait take effect at the next poll().
 * - select.epoll objects hold only the epoll fd, read and cleared (close)
 *   in a critical section on the object.  The kernel serialises
 *   epoll_ctl/epoll_wait themselves; as in CPython, closing an epoll while
 *   another thread waits on it is the caller's race (the wait sees EBADF or
 *   a reused fd).
 * The module itself has no mutable state. */
#ifndef _GNU_SOURCE
#  define _GNU_SOURCE 1  /* POLLMSG, POLLRDHUP */
#endif
#include "Python.h"
#include "pycore_critical_section.h"
#include "pycore_time.h"
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/select.h>

/* ---- timeouts ---------------------------------------------------------- */

/* Converts OBJ (borrowed; not None) to nanoseconds: seconds times SCALE
   (1e9 for seconds, 1e6 for milliseconds), rounded up.  TYPEMSG is the
   TypeError text for a non-number.  0 or -1 with 3.11's errors. */
static int
sel_timeout_ns(PyObject *obj, double scale, const char *typemsg,
               PyTime_t *out)
{
    double d;
    if (PyFloat_Check(obj)) {
        d = PyFloat_AsDouble(obj);
        if (isnan(d)) {
            PyErr_SetString(PyExc_ValueError, "Invalid value NaN (not a number)");
            return -1;
        }
    }
    else {
        PyObject *index = PyNumber_Index(obj);
        if (index == NULL) {
            if (PyErr_ExceptionMatches(PyExc_TypeError)) {
                PyErr_Clear();
                PyErr_SetString(PyExc_TypeError, typemsg);
            }
            return -1;
        }
        d = PyLong_AsDouble(index);
        Py_DECREF(index);
        if (d == -1.0 && PyErr_Occurred()) {
            PyErr_Clear();
            d = HUGE_VAL;
        }
    }
    d = ceil(d * scale);
    if (!(d >= (double)PyTime_MIN && d < (double)PyTime_MAX)) {
        PyErr_SetString(PyExc_OverflowError,
                        "timestamp too large to convert to C _PyTime_t");
        return -1;
    }
    *out = (PyTime_t)d;
    return 0;
}

/* Milliseconds for poll()/epoll_wait() from a non-negative ns count,
   rounded up and clamped to INT_MAX. */
static int
sel_ns_to_ms(PyTime_t ns)
{
    PyTime_t ms = (ns + 999999) / 1000000;
    return ms > INT_MAX ? INT_MAX : (int)ms;
}

/* Time left before DEADLINE, never negative. */
static PyTime_t
sel_remaining(PyTime_t deadline)
{
    PyTime_t left = deadline - _PyTime_MonotonicNs();
    return left < 0 ? 0 : left;
}

/* ---- select.select ----------------------------------------------------- */

typedef struct {
    PyObject *obj;      /* borrowed from the fast sequence */
    int fd;
} sel_entry;

/* Fills SET and ENTRIES from the fast sequence SEQ (borrowed); returns the
   number of entries, raising ValueError for out-of-range fds.  *MAXFD is
   raised to the largest fd.  -1 on error. */
static Py_ssize_t
sel_fill(PyObject *seq, fd_set *set, sel_entry *entries, int *maxfd)
{
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    FD_ZERO(set);
    if (n > FD_SETSIZE) {
        PyErr_SetString(PyExc_ValueError,
                        "too many file descriptors in select()");
        return -1;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *o = PySequence_Fast_GET_ITEM(seq, i);
        int fd = PyObject_AsFileDescriptor(o);
        if (fd < 0) {
            return -1;
        }
        if (fd >= FD_SETSIZE) {
            PyErr_SetString(PyExc_ValueError,
                            "filedescriptor out of range in select()");
            return -1;
        }
        FD_SET(fd, set);
        entries[i].obj = o;
        entries[i].fd = fd;
        if (fd > *maxfd) {
            *maxfd = fd;
        }
    }
    return n;
}

/* New reference: the objects of ENTRIES whose fd is in SET. */
static PyObject *
sel_ready(const sel_entry *entries, Py_ssize_t n, const fd_set *set)
{
    PyObject *list = PyList_New(0);
    if (list == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        if (FD_ISSET(entries[i].fd, set)
                && PyList_Append(list, entries[i].obj) < 0) {
            Py_DECREF(list);
            return NULL;
        }
    }
    return list;
}

/* Waits in select(2) detached with EINTR retry until DEADLINE (ignored if
   TIMEOUT < 0).  The sets are restored from SAVED before each retry.
   Returns the count or -1 with an error set. */
static int
sel_wait(int maxfd, fd_set sets[3], const fd_set saved[3], PyTime_t timeout)
{
    PyTime_t deadline = timeout >= 0 ? _PyTime_MonotonicNs() + timeout : 0;
    for (;;) {
        struct timeval tv, *tvp = NULL;
        if (timeout >= 0) {
            tv.tv_sec = (time_t)(timeout / 1000000000);
            tv.tv_usec = (suseconds_t)((timeout % 1000000000 + 999) / 1000);
            if (tv.tv_usec >= 1000000) {
                tv.tv_sec += 1;
                tv.tv_usec -= 1000000;
            }
            tvp = &tv;
        }
        int rc, err;
        Py_BEGIN_ALLOW_THREADS
        rc = select(maxfd + 1, &sets[0], &sets[1], &sets[2], tvp);
        err = errno;
        Py_END_ALLOW_THREADS
        if (rc >= 0) {
            return rc;
        }
        if (err != EINTR) {
            errno = err;
            PyErr_SetFromErrno(PyExc_OSError);
            return -1;
        }
        if (PyErr_CheckSignals() < 0) {
            return -1;
        }
        memcpy(sets, saved, 3 * sizeof(fd_set));
        if (timeout >= 0) {
            timeout = sel_remaining(deadline);
        }
    }
}

static const char sel_select_doc[] =
"select($module, rlist, wlist, xlist, timeout=None, /)\n--\n\n"
"Wait until one or more file descriptors are ready for some kind of I/O.\n\n"
"The first three arguments are iterables of file descriptors to be waited for:\n"
"rlist -- wait until ready for reading\n"
"wlist -- wait until ready for writing\n"
"xlist -- wait for an \"exceptional condition\"\n"
"If only one kind of condition is required, pass [] for the other lists.\n\n"
"A file descriptor is either a socket or file object, or a small integer\n"
"gotten from a fileno() method call on one of those.\n\n"
"The optional 4th argument specifies a timeout in seconds; it may be\n"
"a floating point number to specify fractions of seconds.  If it is absent\n"
"or None, the call will never time out.\n\n"
"The return value is a tuple of three lists corresponding to the first three\n"
"arguments; each contains the subset of the corresponding file descriptors\n"
"that are ready.\n\n"
"*** IMPORTANT NOTICE ***\n"
"On Windows, only sockets are supported; on Unix, all file\n"
"descriptors can be used.";

/* New reference: the three ready lists, or NULL. */
static PyObject *
sel_select_impl(PyObject *const *lists, PyTime_t timeout)
{
    PyObject *seqs[3] = {NULL, NULL, NULL};
    sel_entry *entries[3] = {NULL, NULL, NULL};
    Py_ssize_t counts[3];
    fd_set sets[3], saved[3];
    PyObject *res = NULL;
    int maxfd = -1;
    for (int k = 0; k < 3; k++) {
        seqs[k] = PySequence_Fast(lists[k], "arguments 1-3 must be sequences");
        if (seqs[k] == NULL) {
            goto done;
        }
        Py_ssize_t n = PySequence_Fast_GET_SIZE(seqs[k]);
        entries[k] = PyMem_Malloc((n > 0 ? n : 1) * sizeof(sel_entry));
        if (entries[k] == NULL) {
            PyErr_NoMemory();
            goto done;
        }
        counts[k] = sel_fill(seqs[k], &sets[k], entries[k], &maxfd);
        if (counts[k] < 0) {
            goto done;
        }
    }
    memcpy(saved, sets, sizeof(sets));
    if (sel_wait(maxfd, sets, saved, timeout) < 0) {
        goto done;
    }
    PyObject *r = sel_ready(entries[0], counts[0], &sets[0]);
    PyObject *w = r ? sel_ready(entries[1], counts[1], &sets[1]) : NULL;
    PyObject *x = w ? sel_ready(entries[2], counts[2], &sets[2]) : NULL;
    if (x != NULL) {
        res = PyTuple_Pack(3, r, w, x);
    }
    Py_XDECREF(r);
    Py_XDECREF(w);
    Py_XDECREF(x);
done:
    for (int k = 0; k < 3; k++) {
        Py_XDECREF(seqs[k]);
        PyMem_Free(entries[k]);
    }
    return res;
}

/* select.select(rlist, wlist, xlist, timeout=None). */
static PyObject *
sel_select(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (!_PyArg_CheckPositional("select", nargs, 3, 4)) {
        return NULL;
    }
    PyTime_t timeout = -1;
    if (nargs == 4 && args[3] != Py_None) {
        if (sel_timeout_ns(args[3], 1e9, "timeout must be a float or None",
                           &timeout) < 0) {
            return NULL;
        }
        if (timeout < 0) {
            PyErr_SetString(PyExc_ValueError, "timeout must be non-negative");
            return NULL;
        }
    }
    return sel_select_impl(args, timeout);
}

/* ---- select.poll -------------------------------------------------------- */

typedef struct {
    PyObject_HEAD
    struct pollfd *fds;     /* registered fds; section on self */
    Py_ssize_t n;
    Py_ssize_t cap;
    int running;            /* a poll() is waiting; section on self */
} pollobject;

static PyTypeObject poll_Type;

/* Index of FD in SELF's set or -1.  Caller holds the section. */
static Py_ssize_t
poll_find(pollobject *self, int fd)
{
    for (Py_ssize_t i = 0; i < self->n; i++) {
        if (self->fds[i].fd == fd) {
            return i;
        }
    }
    return -1;
}

/* Parses an event mask as 3.11's unsigned short converter.  0 or -1. */
static int
poll_mask(PyObject *obj, unsigned short *out)
{
    if (PyFloat_Check(obj)) {
        PyErr_SetString(PyExc_TypeError, "an integer is required");
        return -1;
    }
    long v = PyLong_AsLong(obj);
    if (v == -1 && PyErr_Occurred()) {
        if (PyErr_ExceptionMatches(PyExc_OverflowError)) {
            PyErr_Clear();
            goto too_big;
        }
        return -1;
    }
    if (v < 0) {
        PyErr_SetString(PyExc_ValueError, "value must be positive");
        return -1;
    }
    if (v > USHRT_MAX) {
        goto too_big;
    }
    *out = (unsigned short)v;
    return 0;
too_big:
    PyErr_SetString(PyExc_OverflowError,
                    "Python int too large for C unsigned short");
    return -1;
}

/* Adds or updates FD with EVENTS; caller holds the section.  0 or -1. */
static int
poll_set_locked(pollobject *self, int fd, unsigned short events)
{
    Py_ssize_t i = poll_find(self, fd);
    if (i >= 0) {
        self->fds[i].events = (short)events;
        return 0;
    }
    if (self->n == self->cap) {
        Py_ssize_t cap = self->cap ? self->cap * 2 : 8;
        struct pollfd *fds = PyMem_Realloc(self->fds, cap * sizeof(*fds));
        if (fds == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        self->fds = fds;
        self->cap = cap;
    }
    self->fds[self->n].fd = fd;
    self->fds[self->n].events = (short)events;
    self->fds[self->n].revents = 0;
    self->n++;
    return 0;
}

/* Parses (fd, eventmask) for register/modify. 0 or -1. */
static int
poll_args(const char *name, PyObject *const *args, Py_ssize_t nargs,
          Py_ssize_t min, int *fd, unsigned short *events)
{
    if (!_PyArg_CheckPositional(name, nargs, min, 2)) {
        return -1;
    }
    *fd = PyObject_AsFileDescriptor(args[0]);
    if (*fd < 0) {
        return -1;
    }
    if (nargs == 2 && poll_mask(args[1], events) < 0) {
        return -1;
    }
    return 0;
}

/* register(fd, eventmask=POLLIN|POLLPRI|POLLOUT); None. */
static PyObject *
poll_register(PyObject *op, PyObject *const *args, Py_ssize_t nargs)
{
    pollobject *self = (pollobject *)op;
    int fd;
    unsigned short events = POLLIN | POLLPRI | POLLOUT;
    if (poll_args("register", args, nargs, 1, &fd, &events) < 0) {
        return NULL;
    }
    int rc;
    Py_BEGIN_CRITICAL_SECTION(self);
    rc = poll_set_locked(self, fd, events);
    Py_END_CRITICAL_SECTION();
    if (rc < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* modify(fd, eventmask); FileNotFoundError if fd is not registered. */
static PyObject *
poll_modify(PyObject *op, PyObject *const *args, Py_ssize_t nargs)
{
    pollobject *self = (pollobject *)op;
    int fd;
    unsigned short events = 0;
    if (poll_args("modify", args, nargs, 2, &fd, &events) < 0) {
        return NULL;
    }
    Py_ssize_t i;
    Py_BEGIN_CRITICAL_SECTION(self);
    i = poll_find(self, fd);
    if (i >= 0) {
        self->fds[i].events = (short)events;
    }
    Py_END_CRITICAL_SECTION();
    if (i < 0) {
        errno = ENOENT;
        return PyErr_SetFromErrno(PyExc_OSError);
    }
    Py_RETURN_NONE;
}

/* unregister(fd); KeyError(fd) if it is not registered. */
static PyObject *
poll_unregister(PyObject *op, PyObject *arg)
{
    pollobject *self = (pollobject *)op;
    int fd = PyObject_AsFileDescriptor(arg);
    if (fd < 0) {
        return NULL;
    }
    Py_ssize_t i;
    Py_BEGIN_CRITICAL_SECTION(self);
    i = poll_find(self, fd);
    if (i >= 0) {
        self->fds[i] = self->fds[self->n - 1];
        self->n--;
    }
    Py_END_CRITICAL_SECTION();
    if (i < 0) {
        PyObject *key = PyLong_FromLong(fd);
        if (key != NULL) {
            PyErr_SetObject(PyExc_KeyError, key);
            Py_DECREF(key);
        }
        return NULL;
    }
    Py_RETURN_NONE;
}

/* Takes a private copy of SELF's set and marks it running; NULL with
   RuntimeError if another poll() runs, or MemoryError. */
static struct pollfd *
poll_begin(pollobject *self, Py_ssize_t *n)
{
    struct pollfd *copy = NULL;
    int busy = 0;
    Py_BEGIN_CRITICAL_SECTION(self);
    if (self->running) {
        busy = 1;
    }
    else {
        *n = self->n;
        copy = PyMem_Malloc((self->n > 0 ? self->n : 1) * sizeof(*copy));
        if (copy != NULL) {
            memcpy(copy, self->fds, self->n * sizeof(*copy));
            self->running = 1;
        }
    }
    Py_END_CRITICAL_SECTION();
    if (busy) {
        PyErr_SetString(PyExc_RuntimeError, "concurrent poll() invocation");
    }
    else if (copy == NULL) {
        PyErr_NoMemory();
    }
    return copy;
}

/* Waits on FDS detached with EINTR retry; count or -1 with an error. */
static int
poll_wait(struct pollfd *fds, Py_ssize_t n, PyTime_t timeout)
{
    PyTime_t deadline = timeout >= 0 ? _PyTime_MonotonicNs() + timeout : 0;
    for (;;) {
        int ms = timeout >= 0 ? sel_ns_to_ms(timeout) : -1;
        int rc, err;
        Py_BEGIN_ALLOW_THREADS
        rc = poll(fds, (nfds_t)n, ms);
        err = errno;
        Py_END_ALLOW_THREADS
        if (rc >= 0) {
            return rc;
        }
        if (err != EINTR) {
            errno = err;
            PyErr_SetFromErrno(PyExc_OSError);
            return -1;
        }
        if (PyErr_CheckSignals() < 0) {
            return -1;
        }
        if (timeout >= 0) {
            timeout = sel_remaining(deadline);
        }
    }
}

/* New reference: [(fd, revents), ...] for the ready entries of FDS. */
static PyObject *
poll_results(const struct pollfd *fds, Py_ssize_t n)
{
    PyObject *list = PyList_New(0);
    if (list == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        if (fds[i].revents == 0) {
            continue;
        }
        PyObject *t = Py_BuildValue("(ii)", fds[i].fd,
                                    (int)(unsigned short)fds[i].revents);
        if (t == NULL || PyList_Append(list, t) < 0) {
            Py_XDECREF(t);
            Py_DECREF(list);
            return NULL;
        }
        Py_DECREF(t);
    }
    return list;
}

/* poll(timeout=None): timeout in milliseconds, negative or None waits
   forever.  New reference to the list of (fd, event) pairs. */
static PyObject *
poll_poll(PyObject *op, PyObject *const *args, Py_ssize_t nargs)
{
    pollobject *self = (pollobject *)op;
    if (!_PyArg_CheckPositional("poll", nargs, 0, 1)) {
        return NULL;
    }
    PyTime_t timeout = -1;
    if (nargs == 1 && args[0] != Py_None) {
        if (sel_timeout_ns(args[0], 1e6, "timeout must be an integer or None",
                           &timeout) < 0) {
            return NULL;
        }
        if (timeout < 0) {
            timeout = -1;
        }
    }
    Py_ssize_t n = 0;
    struct pollfd *fds = poll_begin(self, &n);
    if (fds == NULL) {
        return NULL;
    }
    PyObject *res = NULL;
    if (poll_wait(fds, n, timeout) >= 0) {
        res = poll_results(fds, n);
    }
    PyMem_Free(fds);
    Py_BEGIN_CRITICAL_SECTION(self);
    self->running = 0;
    Py_END_CRITICAL_SECTION();
    return res;
}

/* Frees the registered set; nothing else is owned. */
static void
poll_dealloc(PyObject *op)
{
    pollobject *self = (pollobject *)op;
    PyMem_Free(self->fds);
    PyObject_Free(op);
}

static PyMethodDef poll_methods[] = {
    {"register", (PyCFunction)(void (*)(void))poll_register, METH_FASTCALL,
     "register($self, fd, eventmask=select.POLLIN | select.POLLPRI | select.POLLOUT, /)\n--\n\n"
     "Register a file descriptor with the polling object."},
    {"modify", (PyCFunction)(void (*)(void))poll_modify, METH_FASTCALL,
     "modify($self, fd, eventmask, /)\n--\n\n"
     "Modify an already registered file descriptor."},
    {"unregister", poll_unregister, METH_O,
     "unregister($self, fd, /)\n--\n\n"
     "Remove a file descriptor being tracked by the polling object."},
    {"poll", (PyCFunction)(void (*)(void))poll_poll, METH_FASTCALL,
     "poll($self, timeout=None, /)\n--\n\n"
     "Polls the set of registered file descriptors.\n\n"
     "Returns a list containing any descriptors that have events or errors to\n"
     "report, as a list of (fd, event) 2-tuples."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject poll_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "select.poll",
    .tp_basicsize = sizeof(pollobject),
    .tp_dealloc = poll_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_DISALLOW_INSTANTIATION,
    .tp_methods = poll_methods,
};

static const char sel_poll_doc[] =
"poll($module, /)\n--\n\n"
"Returns a polling object.\n\n"
"This object supports registering and unregistering file descriptors, and then\n"
"polling them for I/O events.";

/* New reference: an empty poll object. */
static PyObject *
sel_poll(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    pollobject *self = PyObject_New(pollobject, &poll_Type);
    if (self == NULL) {
        return NULL;
    }
    self->fds = NULL;
    self->n = 0;
    self->cap = 0;
    self->running = 0;
    return (PyObject *)self;
}

/* ---- select.epoll ------------------------------------------------------- */

typedef struct {
    PyObject_HEAD
    int epfd;               /* -1 once closed; section on self */
} epollobject;

static PyTypeObject epoll_Type;

/* The epoll fd of SELF, or -1 with ValueError if closed. */
static int
epoll_get_fd(epollobject *self)
{
    int fd;
    Py_BEGIN_CRITICAL_SECTION(self);
    fd = self->epfd;
    Py_END_CRITICAL_SECTION();
    if (fd < 0) {
        PyErr_SetString(PyExc_ValueError,
                        "I/O operation on closed epoll object");
    }
    return fd;
}

/* New reference: an epoll object of TYPE owning FD (closed on failure). */
static PyObject *
epoll_wrap(PyTypeObject *type, int fd)
{
    epollobject *self = (epollobject *)type->tp_alloc(type, 0);
    if (self == NULL) {
        close(fd);
        return NULL;
    }
    self->epfd = fd;
    return (PyObject *)self;
}

/* epoll(sizehint=-1, flags=0): a new epoll instance (close-on-exec). */
static PyObject *
epoll_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"sizehint", "flags", NULL};
    int sizehint = -1, flags = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|ii:epoll", kwlist,
                                     &sizehint, &flags)) {
        return NULL;
    }
    if (sizehint == 0 || sizehint < -1) {
        PyErr_SetString(PyExc_ValueError, "negative sizehint");
        return NULL;
    }
    if (flags != 0 && flags != EPOLL_CLOEXEC) {
        PyErr_SetString(PyExc_OSError, "invalid flags");
        return NULL;
    }
    int fd;
    Py_BEGIN_ALLOW_THREADS
    fd = epoll_create1(EPOLL_CLOEXEC);
    Py_END_ALLOW_THREADS
    if (fd < 0) {
        return PyErr_SetFromErrno(PyExc_OSError);
    }
    return epoll_wrap(type, fd);
}

/* fromfd(fd): classmethod wrapping an existing epoll fd. */
static PyObject *
epoll_fromfd(PyObject *cls, PyObject *arg)
{
    int fd = _PyLong_AsInt(arg);
    if (fd == -1 && PyErr_Occurred()) {
        return NULL;
    }
    return epoll_wrap((PyTypeObject *)cls, fd);
}

/* Clears SELF's fd under its section and closes it; 0 or -1 (errno). */
static int
epoll_close_fd(epollobject *self)
{
    int fd;
    Py_BEGIN_CRITICAL_SECTION(self);
    fd = self->epfd;
    self->epfd = -1;
    Py_END_CRITICAL_SECTION();
    if (fd < 0) {
        return 0;
    }
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = close(fd);
    Py_END_ALLOW_THREADS
    return rc;
}

/* close(): idempotent. */
static PyObject *
epoll_close(PyObject *op, PyObject *Py_UNUSED(ignored))
{
    if (epoll_close_fd((epollobject *)op) < 0) {
        return PyErr_SetFromErrno(PyExc_OSError);
    }
    Py_RETURN_NONE;
}

/* fileno(): the epoll fd. */
static PyObject *
epoll_fileno(PyObject *op, PyObject *Py_UNUSED(ignored))
{
    int fd = epoll_get_fd((epollobject *)op);
    return fd < 0 ? NULL : PyLong_FromLong(fd);
}

/* closed: True once close() ran. */
static PyObject *
epoll_closed(PyObject *op, void *Py_UNUSED(closure))
{
    epollobject *self = (epollobject *)op;
    int fd;
    Py_BEGIN_CRITICAL_SECTION(self);
    fd = self->epfd;
    Py_END_CRITICAL_SECTION();
    return PyBool_FromLong(fd < 0);
}

/* Runs epoll_ctl(OP) for the (fd, eventmask) arguments.  None or NULL. */
static PyObject *
epoll_ctl_common(epollobject *self, int op, PyObject *fdobj,
                 PyObject *maskobj, unsigned int defmask)
{
    int epfd = epoll_get_fd(self);
    if (epfd < 0) {
        return NULL;
    }
    int fd = PyObject_AsFileDescriptor(fdobj);
    if (fd < 0) {
        return NULL;
    }
    unsigned int mask = defmask;
    if (maskobj != NULL) {
        PyObject *index = PyNumber_Index(maskobj);
        if (index == NULL) {
            return NULL;
        }
        mask = (unsigned int)PyLong_AsUnsignedLongMask(index);
        Py_DECREF(index);
        if (mask == (unsigned int)-1 && PyErr_Occurred()) {
            return NULL;
        }
    }
    struct epoll_event ev;
    memset(&ev, 0, sizeof(ev));
    ev.events = mask;
    ev.data.fd = fd;
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = epoll_ctl(epfd, op, fd, op == EPOLL_CTL_DEL ? NULL : &ev);
    Py_END_ALLOW_THREADS
    if (rc < 0) {
        return PyErr_SetFromErrno(PyExc_OSError);
    }
    Py_RETURN_NONE;
}

/* register(fd, eventmask=EPOLLIN|EPOLLPRI|EPOLLOUT). */
static PyObject *
epoll_register(PyObject *op, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"fd", "eventmask", NULL};
    PyObject *fd, *mask = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|O:register", kwlist,
                                     &fd, &mask)) {
        return NULL;
    }
    return epoll_ctl_common((epollobject *)op, EPOLL_CTL_ADD, fd, mask,
                            EPOLLIN | EPOLLPRI | EPOLLOUT);
}

/* modify(fd, eventmask). */
static PyObject *
epoll_modify(PyObject *op, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"fd", "eventmask", NULL};
    PyObject *fd, *mask;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OO:modify", kwlist,
                                     &fd, &mask)) {
        return NULL;
    }
    return epoll_ctl_common((epollobject *)op, EPOLL_CTL_MOD, fd, mask, 0);
}

/* unregister(fd). */
static PyObject *
epoll_unregister(PyObject *op, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"fd", NULL};
    PyObject *fd;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:unregister", kwlist,
                                     &fd)) {
        return NULL;
    }
    return epoll_ctl_common((epollobject *)op, EPOLL_CTL_DEL, fd, NULL, 0);
}

/* Waits in epoll_wait detached with EINTR retry; count or -1. */
static int
epoll_wait_retry(int epfd, struct epoll_event *evs, int maxevents,
                 PyTime_t timeout)
{
    PyTime_t deadline = timeout >= 0 ? _PyTime_MonotonicNs() + timeout : 0;
    for (;;) {
        int ms = timeout >= 0 ? sel_ns_to_ms(timeout) : -1;
        int rc, err;
        Py_BEGIN_ALLOW_THREADS
        rc = epoll_wait(epfd, evs, maxevents, ms);
        err = errno;
        Py_END_ALLOW_THREADS
        if (rc >= 0) {
            return rc;
        }
        if (err != EINTR) {
            errno = err;
            PyErr_SetFromErrno(PyExc_OSError);
            return -1;
        }
        if (PyErr_CheckSignals() < 0) {
            return -1;
        }
        if (timeout >= 0) {
            timeout = sel_remaining(deadline);
        }
    }
}

/* poll(timeout=None, maxevents=-1): timeout in seconds, negative or None
   waits forever.  New reference to [(fd, events), ...]. */
static PyObject *
epoll_poll(PyObject *op, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"timeout", "maxevents", NULL};
    PyObject *tobj = Py_None;
    int maxevents = -1;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|Oi:poll", kwlist,
                                     &tobj, &maxevents)) {
        return NULL;
    }
    int epfd = epoll_get_fd((epollobject *)op);
    if (epfd < 0) {
        return NULL;
    }
    PyTime_t timeout = -1;
    if (tobj != Py_None) {
        if (sel_timeout_ns(tobj, 1e9, "timeout must be an integer or None",
                           &timeout) < 0) {
            return NULL;
        }
        if (timeout < 0) {
            timeout = -1;
        }
    }
    if (maxevents == -1) {
        maxevents = FD_SETSIZE - 1;
    }
    else if (maxevents < 1) {
        PyErr_Format(PyExc_ValueError,
                     "maxevents must be greater than 0, got %d", maxevents);
        return NULL;
    }
    struct epoll_event *evs = PyMem_Malloc(maxevents * sizeof(*evs));
    if (evs == NULL) {
        return PyErr_NoMemory();
    }
    PyObject *list = NULL;
    int n = epoll_wait_retry(epfd, evs, maxevents, timeout);
    if (n >= 0) {
        list = PyList_New(n);
        for (int i = 0; list != NULL && i < n; i++) {
            PyObject *t = Py_BuildValue("(iI)", evs[i].data.fd,
                                        (unsigned int)evs[i].events);
            if (t == NULL) {
                Py_CLEAR(list);
                break;
            }
            PyList_SET_ITEM(list, i, t);
        }
    }
    PyMem_Free(evs);
    return list;
}

/* __enter__: self, ValueError if closed. */
static PyObject *
epoll_enter(PyObject *op, PyObject *Py_UNUSED(ignored))
{
    if (epoll_get_fd((epollobject *)op) < 0) {
        return NULL;
    }
    return Py_NewRef(op);
}

/* __exit__(*exc): closes. */
static PyObject *
epoll_exit(PyObject *op, PyObject *args)
{
    return epoll_close(op, NULL);
}

/* Closes the fd if still open. */
static void
epoll_dealloc(PyObject *op)
{
    epollobject *self = (epollobject *)op;
    if (self->epfd >= 0) {
        close(self->epfd);
    }
    Py_TYPE(op)->tp_free(op);
}

static PyMethodDef epoll_methods[] = {
    {"fromfd", epoll_fromfd, METH_O | METH_CLASS,
     "fromfd($type, fd, /)\n--\n\nCreate an epoll object from a given file descriptor."},
    {"close", epoll_close, METH_NOARGS,
     "close($self, /)\n--\n\nClose the epoll control file descriptor.\n\n"
     "Further operations on the epoll object will raise an exception."},
    {"fileno", epoll_fileno, METH_NOARGS,
     "fileno($self, /)\n--\n\nReturn the epoll control file descriptor."},
    {"register", (PyCFunction)(void (*)(void))epoll_register,
     METH_VARARGS | METH_KEYWORDS,
     "register($self, /, fd, eventmask=select.EPOLLIN | select.EPOLLPRI | select.EPOLLOUT)\n--\n\n"
     "Registers a new fd or raises an OSError if the fd is already registered.\n\n"
     "  fd\n    the target file descriptor of the operation\n"
     "  eventmask\n    a bit set composed of the various EPOLL constants\n\n"
     "The epoll interface supports all file descriptors that support poll."},
    {"modify", (PyCFunction)(void (*)(void))epoll_modify,
     METH_VARARGS | METH_KEYWORDS,
     "modify($self, /, fd, eventmask)\n--\n\n"
     "Modify event mask for a registered file descriptor.\n\n"
     "  fd\n    the target file descriptor of the operation\n"
     "  eventmask\n    a bit set composed of the various EPOLL constants"},
    {"unregister", (PyCFunction)(void (*)(void))epoll_unregister,
     METH_VARARGS | METH_KEYWORDS,
     "unregister($self, /, fd)\n--\n\n"
     "Remove a registered file descriptor from the epoll object.\n\n"
     "  fd\n    the target file descriptor of the operation"},
    {"poll", (PyCFunction)(void (*)(void))epoll_poll,
     METH_VARARGS | METH_KEYWORDS,
     "poll($self, /, timeout=None, maxevents=-1)\n--\n\n"
     "Wait for events on the epoll file descriptor.\n\n"
     "  timeout\n    the maximum time to wait in seconds (as float);\n"
     "    a timeout of None or -1 makes poll wait indefinitely\n"
     "  maxevents\n    the maximum number of events returned; -1 means no limit\n\n"
     "Returns a list containing any descriptors that have events to report,\n"
     "as a list of (fd, events) 2-tuples."},
    {"__enter__", epoll_enter, METH_NOARGS, NULL},
    {"__exit__", epoll_exit, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef epoll_getset[] = {
    {"closed", epoll_closed, NULL, "True if the epoll handler is closed", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyTypeObject epoll_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "select.epoll",
    .tp_basicsize = sizeof(epollobject),
    .tp_dealloc = epoll_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "select.epoll(sizehint=-1, flags=0)\n\n"
              "Returns an epolling object\n\n"
              "sizehint must be a positive integer or -1 for the default size. The\n"
              "sizehint is used to optimize internal data structures. It doesn't limit\n"
              "the maximum number of monitored events.",
    .tp_methods = epoll_methods,
    .tp_getset = epoll_getset,
    .tp_alloc = PyType_GenericAlloc,
    .tp_new = epoll_new,
    .tp_free = PyObject_Free,
};

/* ---- module ------------------------------------------------------------- */

static PyMethodDef sel_methods[] = {
    {"select", (PyCFunction)(void (*)(void))sel_select, METH_FASTCALL,
     sel_select_doc},
    {"poll", sel_poll, METH_NOARGS, sel_poll_doc},
    {NULL, NULL, 0, NULL},
};

typedef struct {
    const char *name;
    long value;
} sel_const;

static const sel_const sel_constants[] = {
#define C(n) {#n, (long)(n)}
    C(POLLIN), C(POLLPRI), C(POLLOUT), C(POLLERR), C(POLLHUP), C(POLLNVAL),
    C(POLLRDNORM), C(POLLRDBAND), C(POLLWRNORM), C(POLLWRBAND), C(POLLMSG),
    C(POLLRDHUP), C(PIPE_BUF),
    C(EPOLLIN), C(EPOLLOUT), C(EPOLLPRI), C(EPOLLERR), C(EPOLLHUP),
    C(EPOLLRDHUP), C(EPOLLET), C(EPOLLONESHOT), C(EPOLLEXCLUSIVE),
    C(EPOLLRDNORM), C(EPOLLRDBAND), C(EPOLLWRNORM), C(EPOLLWRBAND),
    C(EPOLLMSG), C(EPOLL_CLOEXEC),
#undef C
    {NULL, 0},
};

static const char sel_doc[] =
"This module supports asynchronous I/O on multiple file descriptors.\n\n"
"*** IMPORTANT NOTICE ***\n"
"On Windows, only sockets are supported; on Unix, all file descriptors.";

static struct PyModuleDef sel_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "select",
    .m_doc = sel_doc,
    .m_size = 0,
    .m_methods = sel_methods,
};

/* Module entry point for the inittab; a new reference or NULL.  The
   static types are readied by the first import (the import lock
   serialises it; PyType_Ready is a no-op for a ready type). */
PyMODINIT_FUNC
PyInit_select(void)
{
    if (PyType_Ready(&poll_Type) < 0 || PyType_Ready(&epoll_Type) < 0) {
        return NULL;
    }
    PyObject *mod = PyModule_Create(&sel_module);
    if (mod == NULL) {
        return NULL;
    }
    if (PyModule_AddObjectRef(mod, "error", PyExc_OSError) < 0
            || PyModule_AddObjectRef(mod, "epoll", (PyObject *)&epoll_Type) < 0) {
        Py_DECREF(mod);
        return NULL;
    }
    for (const sel_const *c = sel_constants; c->name != NULL; c++) {
        if (PyModule_AddIntConstant(mod, c->name, c->value) < 0) {
            Py_DECREF(mod);
            return NULL;
        }
    }
    return mod;
}
