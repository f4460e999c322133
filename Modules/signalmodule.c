/* Signals: the _signal module and the C API around it (PyErr_CheckSignals,
 * PyErr_SetInterrupt(Ex), PyOS_InterruptOccurred, PyOS_getsig/setsig).
 *
 * As in CPython, a Python-level handler never runs inside the C signal
 * handler: the C handler only marks the signal tripped, sets the main
 * thread's _PY_EVAL_SIGNALS_BIT, and writes the signal number to the
 * wakeup fd; the main thread runs the Python handlers at its next eval
 * breaker check (or when a blocking call it is in returns EINTR and calls
 * PyErr_CheckSignals).  Handlers are installed with sigaction and without
 * SA_RESTART, so a blocked system call in the main thread returns EINTR
 * and PEP 475 retry loops get a chance to run the handlers.
 *
 * Thread safety:
 *   - tripped flags, is_tripped, the wakeup fd and the main thread state
 *     pointer are atomics (the C handler may run on any thread, at any
 *     moment, so it touches nothing else);
 *   - the table of Python handlers is read and written under
 *     handlers_mutex (signal.signal may only be called from the main
 *     thread, but getsignal() and PyErr_SetInterruptEx() from any); a
 *     handler is called outside the mutex with its own reference;
 *   - only the main thread runs Python handlers (PyErr_CheckSignals is a
 *     no-op elsewhere), as in CPython. */
#include "Python.h"
#include "pycore_pystate.h"
#include "pycore_tstate.h"
#include "pycore_lock.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <fcntl.h>
#include <unistd.h>

#ifndef NSIG
#  define NSIG 65
#endif
#define Py_NSIG NSIG

static struct {
    int tripped;                /* atomic */
    PyObject *func;             /* handlers_mutex; NULL: not known */
} handlers[Py_NSIG];

static int is_tripped;                      /* atomic */
static int wakeup_fd = -1;                  /* atomic */
static int wakeup_warn = 1;                 /* atomic */
static int wakeup_errno;                    /* atomic: a failed write */
static _PyThreadStateImpl *main_ts;         /* atomic */
static pthread_t main_thread;
static int main_thread_known;               /* atomic */
static PyMutex handlers_mutex;

/* SIG_DFL and SIG_IGN as Python ints, and default_int_handler: made once
   at module creation, immortal afterwards (kept forever). */
static PyObject *DefaultHandler;
static PyObject *IgnoreHandler;
static PyObject *IntHandler;
static PyObject *ItimerError;

/* ------------------------------------------------------- main thread */

static int
is_main_thread(void)
{
    return _Py_atomic_load_int(&main_thread_known) &&
           pthread_equal(pthread_self(), main_thread);
}

int
_PyOS_IsMainThread(void)
{
    return is_main_thread();
}

/* Records the calling thread as the main one (Py_Initialize). */
static void
set_main_thread(void)
{
    main_thread = pthread_self();
    _Py_atomic_store_ptr(&main_ts,
                         (_PyThreadStateImpl *)_PyThreadState_GET());
    _Py_atomic_store_int(&main_thread_known, 1);
}

/* ------------------------------------------------------ the C handler */

/* Async-signal-safe: atomics and write(2) only. */
static void
trip_signal(int sig)
{
    _Py_atomic_store_int(&handlers[sig].tripped, 1);
    _Py_atomic_store_int(&is_tripped, 1);
    _PyThreadStateImpl *ts = _Py_atomic_load_ptr(&main_ts);
    if (ts != NULL) {
        _PyEval_SetBreakerBit(ts, _PY_EVAL_SIGNALS_BIT);
    }
    int fd = _Py_atomic_load_int(&wakeup_fd);
    if (fd != -1) {
        unsigned char byte = (unsigned char)sig;
        ssize_t r;
        do {
            r = write(fd, &byte, 1);
        } while (r < 0 && errno == EINTR);
        if (r < 0 && (errno != EAGAIN || _Py_atomic_load_int(&wakeup_warn))) {
            _Py_atomic_store_int(&wakeup_errno, errno);
        }
    }
}

static void
signal_handler(int sig)
{
    int save_errno = errno;
    trip_signal(sig);
    errno = save_errno;
}

/* ------------------------------------------------------ C API */

typedef void (*PyOS_sighandler_t)(int);

PyOS_sighandler_t
PyOS_getsig(int sig)
{
    struct sigaction context;
    if (sigaction(sig, NULL, &context) == -1) {
        return SIG_ERR;
    }
    return context.sa_handler;
}

PyOS_sighandler_t
PyOS_setsig(int sig, PyOS_sighandler_t handler)
{
    struct sigaction context, ocontext;
    memset(&context, 0, sizeof(context));
    context.sa_handler = handler;
    sigemptyset(&context.sa_mask);
    /* No SA_RESTART: blocked calls return EINTR so that Python handlers
       run promptly (PEP 475 retries the call afterwards). */
    context.sa_flags = SA_ONSTACK;
    if (sigaction(sig, &context, &ocontext) == -1) {
        return SIG_ERR;
    }
    return ocontext.sa_handler;
}

/* New reference to the Python handler of `sig` (or NULL). */
static PyObject *
get_handler(int sig)
{
    PyMutex_Lock(&handlers_mutex);
    PyObject *f = Py_XNewRef(handlers[sig].func);
    PyMutex_Unlock(&handlers_mutex);
    return f;
}

/* Stores `func` (a new reference is taken) as the handler of `sig`. */
static void
set_handler(int sig, PyObject *func)
{
    PyMutex_Lock(&handlers_mutex);
    PyObject *old = handlers[sig].func;
    handlers[sig].func = Py_XNewRef(func);
    PyMutex_Unlock(&handlers_mutex);
    Py_XDECREF(old);
}

/* Whether `func` is the SIG_DFL or SIG_IGN marker `marker`. */
static int
is_marker(PyObject *func, PyObject *marker)
{
    if (func == NULL || marker == NULL || !PyLong_CheckExact(func)) {
        return 0;
    }
    return PyObject_RichCompareBool(func, marker, Py_EQ) == 1;
}

/* Reports a failed write to the wakeup fd, as CPython does. */
static void
report_wakeup_error(void)
{
    int err = _Py_atomic_exchange_int(&wakeup_errno, 0);
    if (err == 0) {
        return;
    }
    PyObject *exc = PyErr_GetRaisedException();
    errno = err;
    PyErr_SetFromErrno(PyExc_OSError);
    PyObject *msg = PyUnicode_FromString(
        "Exception ignored when trying to write to the signal wakeup fd");
    PyErr_WriteUnraisable(msg);
    Py_XDECREF(msg);
    PyErr_SetRaisedException(exc);
}

/* Runs the Python handlers of the tripped signals (main thread). */
static int
run_handlers(PyThreadState *tstate)
{
    _PyEval_ClearBreakerBit((_PyThreadStateImpl *)tstate,
                            _PY_EVAL_SIGNALS_BIT);
    if (!_Py_atomic_exchange_int(&is_tripped, 0)) {
        return 0;
    }
    report_wakeup_error();
    PyObject *frame = (PyObject *)PyEval_GetFrame();
    if (frame == NULL) {
        frame = Py_None;
    }
    for (int i = 1; i < Py_NSIG; i++) {
        if (!_Py_atomic_exchange_int(&handlers[i].tripped, 0)) {
            continue;
        }
        PyObject *func = get_handler(i);
        if (func == NULL || func == Py_None ||
            is_marker(func, IgnoreHandler) ||
            is_marker(func, DefaultHandler)) {
            /* The handler changed after the signal arrived: say so
               rather than raise an odd exception in unrelated code. */
            Py_XDECREF(func);
            PyErr_Format(PyExc_OSError,
                         "Signal %i ignored due to race condition", i);
            PyErr_WriteUnraisable(Py_None);
            continue;
        }
        PyObject *res = PyObject_CallFunction(func, "iO", i, frame);
        Py_DECREF(func);
        if (res == NULL) {
            /* The remaining tripped signals run at the next check. */
            _Py_atomic_store_int(&is_tripped, 1);
            _PyEval_SetBreakerBit((_PyThreadStateImpl *)tstate,
                                  _PY_EVAL_SIGNALS_BIT);
            return -1;
        }
        Py_DECREF(res);
    }
    return 0;
}

int
_PyErr_CheckSignalsTstate(PyThreadState *tstate)
{
    if (!is_main_thread() || tstate == NULL) {
        return 0;
    }
    return run_handlers(tstate);
}

int
PyErr_CheckSignals(void)
{
    return _PyErr_CheckSignalsTstate(_PyThreadState_GET());
}

int
_PyOS_SignalsPending(void)
{
    return _Py_atomic_load_int(&is_tripped);
}

int
PyErr_SetInterruptEx(int signum)
{
    if (signum < 1 || signum >= Py_NSIG) {
        return -1;
    }
    PyObject *func = get_handler(signum);
    int ignored = func == NULL || is_marker(func, IgnoreHandler) ||
                  is_marker(func, DefaultHandler);
    Py_XDECREF(func);
    if (!ignored) {
        trip_signal(signum);
    }
    return 0;
}

void
PyErr_SetInterrupt(void)
{
    (void)PyErr_SetInterruptEx(SIGINT);
}

int
PyOS_InterruptOccurred(void)
{
    if (!is_main_thread()) {
        return 0;
    }
    return _Py_atomic_exchange_int(&handlers[SIGINT].tripped, 0);
}

/* ------------------------------------------------------ the module */

static int
check_signum(int signum)
{
    if (signum < 1 || signum >= Py_NSIG) {
        PyErr_SetString(PyExc_ValueError, "signal number out of range");
        return -1;
    }
    return 0;
}

static PyObject *
signal_default_int_handler(PyObject *module, PyObject *args)
{
    PyErr_SetNone(PyExc_KeyboardInterrupt);
    return NULL;
}

static PyObject *
signal_signal(PyObject *module, PyObject *args)
{
    int signum;
    PyObject *handler;
    if (!PyArg_ParseTuple(args, "iO:signal", &signum, &handler)) {
        return NULL;
    }
    if (!is_main_thread()) {
        PyErr_SetString(PyExc_ValueError,
                        "signal only works in main thread of the main "
                        "interpreter");
        return NULL;
    }
    if (check_signum(signum) < 0) {
        return NULL;
    }
    void (*c_handler)(int);
    if (is_marker(handler, IgnoreHandler)) {
        c_handler = SIG_IGN;
    }
    else if (is_marker(handler, DefaultHandler)) {
        c_handler = SIG_DFL;
    }
    else if (PyCallable_Check(handler)) {
        c_handler = signal_handler;
    }
    else {
        PyErr_SetString(PyExc_TypeError,
                        "signal handler must be signal.SIG_IGN, "
                        "signal.SIG_DFL, or a callable object");
        return NULL;
    }
    /* Pending signals are handled by the handlers they arrived for. */
    if (PyErr_CheckSignals() < 0) {
        return NULL;
    }
    if (PyOS_setsig(signum, c_handler) == SIG_ERR) {
        PyErr_SetFromErrno(PyExc_OSError);
        return NULL;
    }
    PyObject *old = get_handler(signum);
    set_handler(signum, handler);
    if (old == NULL) {
        Py_RETURN_NONE;
    }
    return old;
}

static PyObject *
signal_getsignal(PyObject *module, PyObject *arg)
{
    int signum = _PyLong_AsInt(arg);
    if (signum == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (check_signum(signum) < 0) {
        return NULL;
    }
    PyObject *old = get_handler(signum);
    if (old == NULL) {
        Py_RETURN_NONE;
    }
    return old;
}

static PyObject *
signal_raise_signal(PyObject *module, PyObject *arg)
{
    int signum = _PyLong_AsInt(arg);
    if (signum == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (check_signum(signum) < 0) {
        return NULL;
    }
    if (raise(signum) != 0) {
        PyErr_SetFromErrno(PyExc_OSError);
        return NULL;
    }
    if (PyErr_CheckSignals() < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
signal_strsignal(PyObject *module, PyObject *arg)
{
    int signum = _PyLong_AsInt(arg);
    if (signum == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (check_signum(signum) < 0) {
        return NULL;
    }
    errno = 0;
    const char *res = strsignal(signum);
    if (res == NULL || errno != 0 || strstr(res, "Unknown signal") != NULL) {
        Py_RETURN_NONE;
    }
    return PyUnicode_FromString(res);
}

/* New reference: the set of the signal numbers in `mask`. */
static PyObject *
sigset_to_set(sigset_t *mask)
{
    PyObject *result = PySet_New(NULL);
    if (result == NULL) {
        return NULL;
    }
    for (int sig = 1; sig < Py_NSIG; sig++) {
        if (sigismember(mask, sig) != 1) {
            continue;
        }
        PyObject *n = PyLong_FromLong(sig);
        if (n == NULL || PySet_Add(result, n) < 0) {
            Py_XDECREF(n);
            Py_DECREF(result);
            return NULL;
        }
        Py_DECREF(n);
    }
    return result;
}

/* Fills `mask` from an iterable of signal numbers. */
static int
iterable_to_sigset(PyObject *iterable, sigset_t *mask)
{
    sigemptyset(mask);
    PyObject *it = PyObject_GetIter(iterable);
    if (it == NULL) {
        return -1;
    }
    PyObject *item;
    int err = 0;
    while ((item = PyIter_Next(it)) != NULL) {
        int overflow;
        long sig = PyLong_AsLongAndOverflow(item, &overflow);
        Py_DECREF(item);
        if (sig == -1 && PyErr_Occurred()) {
            err = -1;
            break;
        }
        if (overflow || sig <= 0 || sig >= Py_NSIG) {
            PyErr_Format(PyExc_ValueError,
                         "signal number %ld out of range [1; %i]", sig,
                         Py_NSIG - 1);
            err = -1;
            break;
        }
        if (sigaddset(mask, (int)sig)) {
            /* glibc refuses its internal real-time signals */
            if (errno != EINVAL) {
                PyErr_SetFromErrno(PyExc_OSError);
                err = -1;
                break;
            }
        }
    }
    Py_DECREF(it);
    if (err == 0 && PyErr_Occurred()) {
        err = -1;
    }
    return err;
}

static PyObject *
signal_valid_signals(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    sigset_t mask;
    if (sigemptyset(&mask) || sigfillset(&mask)) {
        return PyErr_SetFromErrno(PyExc_OSError);
    }
    return sigset_to_set(&mask);
}

static PyObject *
signal_set_wakeup_fd(PyObject *module, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"", "warn_on_full_buffer", NULL};
    int fd, warn = 1;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "i|$p:set_wakeup_fd",
                                     kwlist, &fd, &warn)) {
        return NULL;
    }
    if (!is_main_thread()) {
        PyErr_SetString(PyExc_ValueError,
                        "set_wakeup_fd only works in main thread of the "
                        "main interpreter");
        return NULL;
    }
    if (fd != -1) {
        struct stat st;
        if (fstat(fd, &st) != 0) {
            PyErr_SetFromErrno(PyExc_OSError);
            return NULL;
        }
        int flags = fcntl(fd, F_GETFL, 0);
        if (flags < 0) {
            PyErr_SetFromErrno(PyExc_OSError);
            return NULL;
        }
        if (!(flags & O_NONBLOCK)) {
            PyErr_Format(PyExc_ValueError,
                         "the fd %i must be in non-blocking mode", fd);
            return NULL;
        }
    }
    int old = _Py_atomic_exchange_int(&wakeup_fd, fd);
    _Py_atomic_store_int(&wakeup_warn, warn);
    return PyLong_FromLong(old);
}

static PyObject *
signal_alarm(PyObject *module, PyObject *arg)
{
    int seconds = _PyLong_AsInt(arg);
    if (seconds == -1 && PyErr_Occurred()) {
        return NULL;
    }
    return PyLong_FromLong((long)alarm((unsigned int)seconds));
}

static PyObject *
signal_pause(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    Py_BEGIN_ALLOW_THREADS
    (void)pause();
    Py_END_ALLOW_THREADS
    if (PyErr_CheckSignals() < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
signal_siginterrupt(PyObject *module, PyObject *args)
{
    int signum, flag;
    if (!PyArg_ParseTuple(args, "ii:siginterrupt", &signum, &flag)) {
        return NULL;
    }
    if (check_signum(signum) < 0) {
        return NULL;
    }
    struct sigaction act;
    if (sigaction(signum, NULL, &act) < 0) {
        return PyErr_SetFromErrno(PyExc_OSError);
    }
    if (flag) {
        act.sa_flags &= ~SA_RESTART;
    }
    else {
        act.sa_flags |= SA_RESTART;
    }
    if (sigaction(signum, &act, NULL) < 0) {
        return PyErr_SetFromErrno(PyExc_OSError);
    }
    Py_RETURN_NONE;
}

/* struct timeval <-> float seconds, rounding up to keep a positive
   timer from becoming zero (which would disarm it). */
static void
seconds_to_timeval(double d, struct timeval *tv)
{
    tv->tv_sec = (time_t)d;
    double frac = d - (double)tv->tv_sec;
    tv->tv_usec = (suseconds_t)(frac * 1e6);
    if (tv->tv_usec == 0 && frac > 0) {
        tv->tv_usec = 1;
    }
}

static PyObject *
itimer_result(struct itimerval *v)
{
    return Py_BuildValue("(dd)",
                         (double)v->it_value.tv_sec +
                             (double)v->it_value.tv_usec / 1e6,
                         (double)v->it_interval.tv_sec +
                             (double)v->it_interval.tv_usec / 1e6);
}

static PyObject *
signal_setitimer(PyObject *module, PyObject *args)
{
    int which;
    PyObject *seconds_obj, *interval_obj = NULL;
    if (!PyArg_ParseTuple(args, "iO|O:setitimer", &which, &seconds_obj,
                          &interval_obj)) {
        return NULL;
    }
    double seconds = PyFloat_AsDouble(seconds_obj);
    if (seconds == -1.0 && PyErr_Occurred()) {
        return NULL;
    }
    double interval = 0.0;
    if (interval_obj != NULL) {
        interval = PyFloat_AsDouble(interval_obj);
        if (interval == -1.0 && PyErr_Occurred()) {
            return NULL;
        }
    }
    struct itimerval newv, oldv;
    seconds_to_timeval(seconds, &newv.it_value);
    seconds_to_timeval(interval, &newv.it_interval);
    if (setitimer(which, &newv, &oldv) != 0) {
        PyErr_SetFromErrno(ItimerError);
        return NULL;
    }
    return itimer_result(&oldv);
}

static PyObject *
signal_getitimer(PyObject *module, PyObject *arg)
{
    int which = _PyLong_AsInt(arg);
    if (which == -1 && PyErr_Occurred()) {
        return NULL;
    }
    struct itimerval v;
    if (getitimer(which, &v) != 0) {
        PyErr_SetFromErrno(ItimerError);
        return NULL;
    }
    return itimer_result(&v);
}

static PyObject *
signal_pthread_kill(PyObject *module, PyObject *args)
{
    unsigned long thread_id;
    int signum;
    if (!PyArg_ParseTuple(args, "ki:pthread_kill", &thread_id, &signum)) {
        return NULL;
    }
    int err = pthread_kill((pthread_t)thread_id, signum);
    if (err != 0) {
        errno = err;
        return PyErr_SetFromErrno(PyExc_OSError);
    }
    if (PyErr_CheckSignals() < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
signal_pthread_sigmask(PyObject *module, PyObject *args)
{
    int how;
    PyObject *mask_obj;
    if (!PyArg_ParseTuple(args, "iO:pthread_sigmask", &how, &mask_obj)) {
        return NULL;
    }
    sigset_t mask, previous;
    if (iterable_to_sigset(mask_obj, &mask) < 0) {
        return NULL;
    }
    int err = pthread_sigmask(how, &mask, &previous);
    if (err != 0) {
        errno = err;
        return PyErr_SetFromErrno(PyExc_OSError);
    }
    if (PyErr_CheckSignals() < 0) {
        return NULL;
    }
    return sigset_to_set(&previous);
}

static PyObject *
signal_sigpending(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    sigset_t mask;
    if (sigpending(&mask) != 0) {
        return PyErr_SetFromErrno(PyExc_OSError);
    }
    return sigset_to_set(&mask);
}

static PyObject *
signal_sigwait(PyObject *module, PyObject *arg)
{
    sigset_t mask;
    if (iterable_to_sigset(arg, &mask) < 0) {
        return NULL;
    }
    int err, signum;
    Py_BEGIN_ALLOW_THREADS
    err = sigwait(&mask, &signum);
    Py_END_ALLOW_THREADS
    if (err != 0) {
        errno = err;
        return PyErr_SetFromErrno(PyExc_OSError);
    }
    return PyLong_FromLong(signum);
}

static PyMethodDef signal_methods[] = {
    {"default_int_handler", signal_default_int_handler, METH_VARARGS,
     "The default handler for SIGINT installed by Python.\n\n"
     "It raises KeyboardInterrupt."},
    {"signal", signal_signal, METH_VARARGS,
     "Set the action for the given signal."},
    {"getsignal", signal_getsignal, METH_O,
     "Return the current action for the given signal."},
    {"raise_signal", signal_raise_signal, METH_O,
     "Send a signal to the executing process."},
    {"strsignal", signal_strsignal, METH_O,
     "Return the system description of the given signal."},
    {"valid_signals", signal_valid_signals, METH_NOARGS,
     "Return a set of valid signal numbers on this platform."},
    {"set_wakeup_fd", _PyCFunction_CAST(signal_set_wakeup_fd),
     METH_VARARGS | METH_KEYWORDS,
     "Sets the fd to be written to (with the signal number) when a signal "
     "comes in."},
    {"alarm", signal_alarm, METH_O, "Arrange for SIGALRM to arrive after "
     "the given number of seconds."},
    {"pause", signal_pause, METH_NOARGS, "Wait until a signal arrives."},
    {"siginterrupt", signal_siginterrupt, METH_VARARGS,
     "Change system call restart behaviour."},
    {"setitimer", signal_setitimer, METH_VARARGS,
     "Sets given itimer (one of ITIMER_REAL, ITIMER_VIRTUAL or "
     "ITIMER_PROF)."},
    {"getitimer", signal_getitimer, METH_O,
     "Returns current value of given itimer."},
    {"pthread_kill", signal_pthread_kill, METH_VARARGS,
     "Send a signal to a thread."},
    {"pthread_sigmask", signal_pthread_sigmask, METH_VARARGS,
     "Fetch and/or change the signal mask of the calling thread."},
    {"sigpending", signal_sigpending, METH_NOARGS,
     "Examine pending signals."},
    {"sigwait", signal_sigwait, METH_O,
     "Wait for a signal."},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef signalmodule = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_signal",
    .m_doc = "This module provides mechanisms to use signal handlers in "
             "Python.",
    .m_size = -1,
    .m_methods = signal_methods,
};

static int
add_int(PyObject *m, const char *name, long v)
{
    return PyModule_AddIntConstant(m, name, v);
}

/* The SIG* names and the other integer constants. */
static int
add_constants(PyObject *m)
{
    static const struct { const char *name; int value; } sigs[] = {
        {"SIGHUP", SIGHUP}, {"SIGINT", SIGINT}, {"SIGQUIT", SIGQUIT},
        {"SIGILL", SIGILL}, {"SIGTRAP", SIGTRAP}, {"SIGIOT", SIGIOT},
        {"SIGABRT", SIGABRT}, {"SIGFPE", SIGFPE}, {"SIGKILL", SIGKILL},
        {"SIGBUS", SIGBUS}, {"SIGSEGV", SIGSEGV}, {"SIGSYS", SIGSYS},
        {"SIGPIPE", SIGPIPE}, {"SIGALRM", SIGALRM}, {"SIGTERM", SIGTERM},
        {"SIGUSR1", SIGUSR1}, {"SIGUSR2", SIGUSR2}, {"SIGCLD", SIGCHLD},
        {"SIGCHLD", SIGCHLD}, {"SIGPWR", SIGPWR}, {"SIGIO", SIGIO},
        {"SIGURG", SIGURG}, {"SIGWINCH", SIGWINCH}, {"SIGPOLL", SIGPOLL},
        {"SIGSTOP", SIGSTOP}, {"SIGTSTP", SIGTSTP}, {"SIGCONT", SIGCONT},
        {"SIGTTIN", SIGTTIN}, {"SIGTTOU", SIGTTOU}, {"SIGVTALRM", SIGVTALRM},
        {"SIGPROF", SIGPROF}, {"SIGXCPU", SIGXCPU}, {"SIGXFSZ", SIGXFSZ},
#ifdef SIGSTKFLT
        {"SIGSTKFLT", SIGSTKFLT},
#endif
        {NULL, 0}
    };
    for (int i = 0; sigs[i].name != NULL; i++) {
        if (add_int(m, sigs[i].name, sigs[i].value) < 0) {
            return -1;
        }
    }
    if (add_int(m, "SIGRTMIN", SIGRTMIN) < 0 ||
        add_int(m, "SIGRTMAX", SIGRTMAX) < 0 ||
        add_int(m, "NSIG", Py_NSIG) < 0 ||
        add_int(m, "SIG_BLOCK", SIG_BLOCK) < 0 ||
        add_int(m, "SIG_UNBLOCK", SIG_UNBLOCK) < 0 ||
        add_int(m, "SIG_SETMASK", SIG_SETMASK) < 0 ||
        add_int(m, "ITIMER_REAL", ITIMER_REAL) < 0 ||
        add_int(m, "ITIMER_VIRTUAL", ITIMER_VIRTUAL) < 0 ||
        add_int(m, "ITIMER_PROF", ITIMER_PROF) < 0) {
        return -1;
    }
    return 0;
}

/* The process-wide objects and the table of handlers as found at start
   (SIG_DFL / SIG_IGN markers, None for C handlers set by others).  Made
   once; later creations of the module reuse them. */
static int
init_handler_table(PyObject *m)
{
    if (DefaultHandler != NULL) {
        return 0;
    }
    DefaultHandler = PyLong_FromVoidPtr((void *)SIG_DFL);
    IgnoreHandler = PyLong_FromVoidPtr((void *)SIG_IGN);
    IntHandler = PyObject_GetAttrString(m, "default_int_handler");
    if (DefaultHandler == NULL || IgnoreHandler == NULL ||
        IntHandler == NULL) {
        return -1;
    }
    for (int sig = 1; sig < Py_NSIG; sig++) {
        void (*c)(int) = PyOS_getsig(sig);
        PyObject *f = c == SIG_DFL ? DefaultHandler
                      : c == SIG_IGN ? IgnoreHandler : NULL;
        if (f != NULL && handlers[sig].func == NULL) {
            set_handler(sig, f);
        }
    }
    /* Python's own SIGINT handler, unless someone installed another. */
    PyObject *cur = get_handler(SIGINT);
    int dfl = is_marker(cur, DefaultHandler);
    Py_XDECREF(cur);
    if (dfl && is_main_thread()) {
        if (PyOS_setsig(SIGINT, signal_handler) == SIG_ERR) {
            PyErr_SetFromErrno(PyExc_OSError);
            return -1;
        }
        set_handler(SIGINT, IntHandler);
    }
    return 0;
}

PyObject *
PyInit__signal(void)
{
    PyObject *m = PyModule_Create(&signalmodule);
    if (m == NULL) {
        return NULL;
    }
    if (add_constants(m) < 0 || init_handler_table(m) < 0) {
        goto error;
    }
    if (ItimerError == NULL) {
        ItimerError = PyErr_NewException("signal.itimer_error",
                                         PyExc_OSError, NULL);
        if (ItimerError == NULL) {
            goto error;
        }
    }
    if (PyModule_AddObjectRef(m, "SIG_DFL", DefaultHandler) < 0 ||
        PyModule_AddObjectRef(m, "SIG_IGN", IgnoreHandler) < 0 ||
        PyModule_AddObjectRef(m, "ItimerError", ItimerError) < 0) {
        goto error;
    }
    return m;
error:
    Py_DECREF(m);
    return NULL;
}

/* Start-up (Py_Initialize with initsigs): the calling thread becomes the
   main thread, SIGPIPE and SIGXFSZ are ignored as CPython does, and the
   _signal module is created so that SIGINT raises KeyboardInterrupt. */
int
_PySignal_Init(int install_handlers)
{
    set_main_thread();
    if (!install_handlers) {
        return 0;
    }
    PyOS_setsig(SIGPIPE, SIG_IGN);
    PyOS_setsig(SIGXFSZ, SIG_IGN);
    PyObject *m = PyImport_ImportModule("_signal");
    if (m == NULL) {
        return -1;
    }
    Py_DECREF(m);
    return 0;
}
