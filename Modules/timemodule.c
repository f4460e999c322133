/* The time module: clocks, sleep, and broken-down time.
 *
 * Thread safety: the module has no mutable state of its own; clocks are
 * read through the kernel, broken-down time goes through the reentrant
 * libc calls (gmtime_r, localtime_r), sleep detaches the thread state.
 * struct_time is an immutable tuple subclass (no locking needed).  The
 * timezone constants are computed once at import.
 *
 * struct_time is a minimal struct-sequence written here (there is no
 * PyStructSequence yet): the nine tm_* fields; tm_zone and tm_gmtoff are
 * not provided yet. */
#include "Python.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* ---------------------------------------------------------- struct_time */

static const char *const struct_time_fields[] = {
    "tm_year", "tm_mon", "tm_mday", "tm_hour", "tm_min", "tm_sec",
    "tm_wday", "tm_yday", "tm_isdst",
};
#define STRUCT_TIME_N 9

static PyTypeObject StructTime_Type;

/* struct_time(seq): a 9-tuple subclass (new reference). */
static PyObject *
struct_time_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *self = PyTuple_Type.tp_new(type, args, kwds);
    if (self == NULL) {
        return NULL;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(self);
    if (n != STRUCT_TIME_N) {
        PyErr_Format(PyExc_TypeError,
                     "time.struct_time() takes a 9-sequence "
                     "(%zd-sequence given)", n);
        Py_DECREF(self);
        return NULL;
    }
    return self;
}

/* Getter for field number `closure` (new reference). */
static PyObject *
struct_time_get(PyObject *self, void *closure)
{
    return Py_NewRef(PyTuple_GET_ITEM(self, (Py_ssize_t)(intptr_t)closure));
}

/* repr: "time.struct_time(tm_year=..., ...)" (new reference). */
static PyObject *
struct_time_repr(PyObject *self)
{
    PyObject *parts[STRUCT_TIME_N];
    for (int i = 0; i < STRUCT_TIME_N; i++) {
        parts[i] = PyObject_Repr(PyTuple_GET_ITEM(self, i));
        if (parts[i] == NULL) {
            for (int j = 0; j < i; j++) {
                Py_DECREF(parts[j]);
            }
            return NULL;
        }
    }
    PyObject *r = PyUnicode_FromFormat(
        "time.struct_time(%s=%U, %s=%U, %s=%U, %s=%U, %s=%U, %s=%U, %s=%U, "
        "%s=%U, %s=%U)",
        struct_time_fields[0], parts[0], struct_time_fields[1], parts[1],
        struct_time_fields[2], parts[2], struct_time_fields[3], parts[3],
        struct_time_fields[4], parts[4], struct_time_fields[5], parts[5],
        struct_time_fields[6], parts[6], struct_time_fields[7], parts[7],
        struct_time_fields[8], parts[8]);
    for (int i = 0; i < STRUCT_TIME_N; i++) {
        Py_DECREF(parts[i]);
    }
    return r;
}

static PyGetSetDef struct_time_getset[] = {
    {"tm_year", struct_time_get, NULL, NULL, (void *)0},
    {"tm_mon", struct_time_get, NULL, NULL, (void *)1},
    {"tm_mday", struct_time_get, NULL, NULL, (void *)2},
    {"tm_hour", struct_time_get, NULL, NULL, (void *)3},
    {"tm_min", struct_time_get, NULL, NULL, (void *)4},
    {"tm_sec", struct_time_get, NULL, NULL, (void *)5},
    {"tm_wday", struct_time_get, NULL, NULL, (void *)6},
    {"tm_yday", struct_time_get, NULL, NULL, (void *)7},
    {"tm_isdst", struct_time_get, NULL, NULL, (void *)8},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyTypeObject StructTime_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "time.struct_time",
    .tp_basicsize = 0,      /* inherited from tuple by PyType_Ready */
    .tp_repr = struct_time_repr,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_getset = struct_time_getset,
    .tp_base = &PyTuple_Type,
    .tp_new = struct_time_new,
};

/* A struct_time from a struct tm (new reference). */
static PyObject *
struct_time_from_tm(const struct tm *tm)
{
    PyObject *t = Py_BuildValue("(iiiiiiiii)", tm->tm_year + 1900,
                                tm->tm_mon + 1, tm->tm_mday, tm->tm_hour,
                                tm->tm_min, tm->tm_sec, (tm->tm_wday + 6) % 7,
                                tm->tm_yday + 1, tm->tm_isdst);
    if (t == NULL) {
        return NULL;
    }
    PyObject *args = PyTuple_Pack(1, t);
    Py_DECREF(t);
    if (args == NULL) {
        return NULL;
    }
    PyObject *r = struct_time_new(&StructTime_Type, args, NULL);
    Py_DECREF(args);
    return r;
}

/* Fills *tm from a 9-sequence (struct_time or tuple); -1 with TypeError. */
static int
tm_from_sequence(PyObject *seq, const char *fname, struct tm *tm)
{
    if (!PyTuple_Check(seq)) {
        PyErr_SetString(PyExc_TypeError,
                        "Tuple or struct_time argument required");
        return -1;
    }
    if (PyTuple_GET_SIZE(seq) != STRUCT_TIME_N) {
        PyErr_Format(PyExc_TypeError,
                     "%s(): illegal time tuple argument", fname);
        return -1;
    }
    int v[STRUCT_TIME_N];
    for (int i = 0; i < STRUCT_TIME_N; i++) {
        long x = PyLong_AsLong(PyTuple_GET_ITEM(seq, i));
        if (x == -1 && PyErr_Occurred()) {
            return -1;
        }
        v[i] = (int)x;
    }
    memset(tm, 0, sizeof(*tm));
    tm->tm_year = v[0] - 1900;
    tm->tm_mon = v[1] - 1;
    tm->tm_mday = v[2];
    tm->tm_hour = v[3];
    tm->tm_min = v[4];
    tm->tm_sec = v[5];
    tm->tm_wday = (v[6] + 1) % 7;
    tm->tm_yday = v[7] - 1;
    tm->tm_isdst = v[8];
    return 0;
}

/* -------------------------------------------------------------- clocks */

/* Nanoseconds of clock `id`, -1 with OSError. */
static int
clock_ns(clockid_t id, long long *out)
{
    struct timespec ts;
    if (clock_gettime(id, &ts) != 0) {
        PyErr_SetFromErrno(PyExc_OSError);
        return -1;
    }
    *out = (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
    return 0;
}

/* Seconds as a float for clock `id` (new reference). */
static PyObject *
clock_float(clockid_t id)
{
    long long ns;
    if (clock_ns(id, &ns) < 0) {
        return NULL;
    }
    return PyFloat_FromDouble((double)ns * 1e-9);
}

/* Nanoseconds as an int for clock `id` (new reference). */
static PyObject *
clock_int(clockid_t id)
{
    long long ns;
    if (clock_ns(id, &ns) < 0) {
        return NULL;
    }
    return PyLong_FromLongLong(ns);
}

/* time() */
static PyObject *
time_time(PyObject *m, PyObject *u)
{
    return clock_float(CLOCK_REALTIME);
}

/* time_ns() */
static PyObject *
time_time_ns(PyObject *m, PyObject *u)
{
    return clock_int(CLOCK_REALTIME);
}

/* monotonic() and perf_counter() */
static PyObject *
time_monotonic(PyObject *m, PyObject *u)
{
    return clock_float(CLOCK_MONOTONIC);
}

/* monotonic_ns() and perf_counter_ns() */
static PyObject *
time_monotonic_ns(PyObject *m, PyObject *u)
{
    return clock_int(CLOCK_MONOTONIC);
}

/* process_time() */
static PyObject *
time_process_time(PyObject *m, PyObject *u)
{
    return clock_float(CLOCK_PROCESS_CPUTIME_ID);
}

/* process_time_ns() */
static PyObject *
time_process_time_ns(PyObject *m, PyObject *u)
{
    return clock_int(CLOCK_PROCESS_CPUTIME_ID);
}

/* thread_time() */
static PyObject *
time_thread_time(PyObject *m, PyObject *u)
{
    return clock_float(CLOCK_THREAD_CPUTIME_ID);
}

/* thread_time_ns() */
static PyObject *
time_thread_time_ns(PyObject *m, PyObject *u)
{
    return clock_int(CLOCK_THREAD_CPUTIME_ID);
}

/* sleep(secs): detached while sleeping, so other threads (and a
   stop-the-world) are never held up. */
static PyObject *
time_sleep(PyObject *m, PyObject *arg)
{
    double secs = PyFloat_AsDouble(arg);
    if (secs == -1 && PyErr_Occurred()) {
        if (PyErr_ExceptionMatches(PyExc_TypeError)) {
            PyErr_Format(PyExc_TypeError,
                         "'%.200s' object cannot be interpreted as an integer",
                         Py_TYPE(arg)->tp_name);
        }
        return NULL;
    }
    if (isnan(secs)) {
        PyErr_SetString(PyExc_ValueError, "Invalid value NaN (not a number)");
        return NULL;
    }
    if (secs < 0) {
        PyErr_SetString(PyExc_ValueError,
                        "sleep length must be non-negative");
        return NULL;
    }
    struct timespec ts;
    ts.tv_sec = (time_t)secs;
    ts.tv_nsec = (long)((secs - (double)ts.tv_sec) * 1e9);
    int r;
    Py_BEGIN_ALLOW_THREADS
    do {
        r = clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, &ts);
    } while (r == EINTR);
    Py_END_ALLOW_THREADS
    if (r != 0) {
        errno = r;
        return PyErr_SetFromErrno(PyExc_OSError);
    }
    Py_RETURN_NONE;
}

/* --------------------------------------------------------- broken-down */

/* Reads the optional seconds argument (None/absent = now); -1 on error. */
static int
parse_time_t(PyObject *args, const char *fmt, time_t *out)
{
    PyObject *ot = Py_None;
    if (!PyArg_ParseTuple(args, fmt, &ot)) {
        return -1;
    }
    if (ot == Py_None) {
        *out = time(NULL);
        return 0;
    }
    double d = PyFloat_AsDouble(ot);
    if (d == -1 && PyErr_Occurred()) {
        return -1;
    }
    if (isnan(d)) {
        PyErr_SetString(PyExc_ValueError, "Invalid value NaN (not a number)");
        return -1;
    }
    if (d >= 9.2e18 || d <= -9.2e18) {
        PyErr_SetString(PyExc_OverflowError,
                        "timestamp out of range for platform time_t");
        return -1;
    }
    *out = (time_t)d;
    return 0;
}

/* gmtime([secs]) -> struct_time (new reference). */
static PyObject *
time_gmtime(PyObject *m, PyObject *args)
{
    time_t t;
    struct tm tm;
    if (parse_time_t(args, "|O:gmtime", &t) < 0) {
        return NULL;
    }
    if (gmtime_r(&t, &tm) == NULL) {
        return PyErr_SetFromErrno(PyExc_OSError);
    }
    return struct_time_from_tm(&tm);
}

/* localtime([secs]) -> struct_time (new reference). */
static PyObject *
time_localtime(PyObject *m, PyObject *args)
{
    time_t t;
    struct tm tm;
    if (parse_time_t(args, "|O:localtime", &t) < 0) {
        return NULL;
    }
    if (localtime_r(&t, &tm) == NULL) {
        return PyErr_SetFromErrno(PyExc_OSError);
    }
    return struct_time_from_tm(&tm);
}

/* The current local time as a struct tm; -1 with OSError. */
static int
now_local(struct tm *tm)
{
    time_t t = time(NULL);
    if (localtime_r(&t, tm) == NULL) {
        PyErr_SetFromErrno(PyExc_OSError);
        return -1;
    }
    return 0;
}

/* mktime(tuple) -> float (new reference). */
static PyObject *
time_mktime(PyObject *m, PyObject *arg)
{
    struct tm tm;
    if (tm_from_sequence(arg, "mktime", &tm) < 0) {
        return NULL;
    }
    tm.tm_wday = -1;
    time_t t = mktime(&tm);
    if (t == (time_t)-1 && tm.tm_wday == -1) {
        PyErr_SetString(PyExc_OverflowError,
                        "mktime argument out of range");
        return NULL;
    }
    return PyFloat_FromDouble((double)t);
}

/* strftime(format[, tuple]) -> str (new reference). */
static PyObject *
time_strftime(PyObject *m, PyObject *args)
{
    const char *fmt;
    PyObject *tup = NULL;
    struct tm tm;
    if (!PyArg_ParseTuple(args, "s|O:strftime", &fmt, &tup)) {
        return NULL;
    }
    if (tup == NULL) {
        if (now_local(&tm) < 0) {
            return NULL;
        }
    }
    else if (tm_from_sequence(tup, "strftime", &tm) < 0) {
        return NULL;
    }
    if (fmt[0] == '\0') {
        return PyUnicode_FromString("");
    }
    size_t cap = 256;
    for (;;) {
        char *buf = PyMem_Malloc(cap);
        if (buf == NULL) {
            return PyErr_NoMemory();
        }
        size_t n = strftime(buf, cap, fmt, &tm);
        if (n > 0 || cap > 256 * strlen(fmt) + 4096) {
            PyObject *r = PyUnicode_DecodeLocaleAndSize(buf, (Py_ssize_t)n,
                                                        "surrogateescape");
            PyMem_Free(buf);
            return r;
        }
        PyMem_Free(buf);
        cap *= 2;
    }
}

static const char wday_names[7][4] = {
    "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat",
};
static const char mon_names[12][4] = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun",
    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

/* "Sun Jun 20 23:21:05 1993" for tm (new reference). */
static PyObject *
format_asctime(const struct tm *tm)
{
    int wd = ((tm->tm_wday % 7) + 7) % 7;
    int mo = ((tm->tm_mon % 12) + 12) % 12;
    return PyUnicode_FromFormat("%s %s%3d %.2d:%.2d:%.2d %d",
                                wday_names[wd], mon_names[mo], tm->tm_mday,
                                tm->tm_hour, tm->tm_min, tm->tm_sec,
                                tm->tm_year + 1900);
}

/* asctime([tuple]) -> str (new reference). */
static PyObject *
time_asctime(PyObject *m, PyObject *args)
{
    PyObject *tup = NULL;
    struct tm tm;
    if (!PyArg_ParseTuple(args, "|O:asctime", &tup)) {
        return NULL;
    }
    if (tup == NULL) {
        if (now_local(&tm) < 0) {
            return NULL;
        }
    }
    else if (tm_from_sequence(tup, "asctime", &tm) < 0) {
        return NULL;
    }
    return format_asctime(&tm);
}

/* ctime([secs]) -> str (new reference). */
static PyObject *
time_ctime(PyObject *m, PyObject *args)
{
    time_t t;
    struct tm tm;
    if (parse_time_t(args, "|O:ctime", &t) < 0) {
        return NULL;
    }
    if (localtime_r(&t, &tm) == NULL) {
        return PyErr_SetFromErrno(PyExc_OSError);
    }
    return format_asctime(&tm);
}

static PyMethodDef time_methods[] = {
    {"time", time_time, METH_NOARGS, NULL},
    {"time_ns", time_time_ns, METH_NOARGS, NULL},
    {"monotonic", time_monotonic, METH_NOARGS, NULL},
    {"monotonic_ns", time_monotonic_ns, METH_NOARGS, NULL},
    {"perf_counter", time_monotonic, METH_NOARGS, NULL},
    {"perf_counter_ns", time_monotonic_ns, METH_NOARGS, NULL},
    {"process_time", time_process_time, METH_NOARGS, NULL},
    {"process_time_ns", time_process_time_ns, METH_NOARGS, NULL},
    {"thread_time", time_thread_time, METH_NOARGS, NULL},
    {"thread_time_ns", time_thread_time_ns, METH_NOARGS, NULL},
    {"sleep", time_sleep, METH_O, NULL},
    {"gmtime", time_gmtime, METH_VARARGS, NULL},
    {"localtime", time_localtime, METH_VARARGS, NULL},
    {"mktime", time_mktime, METH_O, NULL},
    {"strftime", time_strftime, METH_VARARGS, NULL},
    {"asctime", time_asctime, METH_VARARGS, NULL},
    {"ctime", time_ctime, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef time_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "time",
    .m_doc = "Time access and conversions.",
    .m_size = -1,
    .m_methods = time_methods,
};

/* Adds timezone, altzone, daylight and tzname as CPython computes them:
   from the UTC offsets of January and July of the current year. */
static int
add_timezone(PyObject *m)
{
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    int year = tm.tm_year;
    struct tm jan = {.tm_year = year, .tm_mday = 1, .tm_isdst = -1};
    struct tm jul = {.tm_year = year, .tm_mon = 6, .tm_mday = 1,
                     .tm_isdst = -1};
    time_t tj = mktime(&jan);
    time_t tl = mktime(&jul);
    localtime_r(&tj, &jan);
    localtime_r(&tl, &jul);
    long janoff = -jan.tm_gmtoff;
    long juloff = -jul.tm_gmtoff;
    char janname[16], julname[16];
    snprintf(janname, sizeof(janname), "%s", jan.tm_zone ? jan.tm_zone : "");
    snprintf(julname, sizeof(julname), "%s", jul.tm_zone ? jul.tm_zone : "");
    long tz = janoff, alt = juloff;
    const char *std = janname, *dst = julname;
    if (janoff < juloff) {      /* southern hemisphere: DST in January */
        tz = juloff;
        alt = janoff;
        std = julname;
        dst = janname;
    }
    if (PyModule_AddObject(m, "timezone", PyLong_FromLong(tz)) < 0 ||
        PyModule_AddObject(m, "altzone", PyLong_FromLong(alt)) < 0 ||
        PyModule_AddObject(m, "daylight",
                           PyLong_FromLong(janoff != juloff)) < 0) {
        return -1;
    }
    PyObject *names = Py_BuildValue("(ss)", std, dst);
    return PyModule_AddObject(m, "tzname", names);
}

/* Module init (new reference). */
PyObject *
PyInit_time(void)
{
    if (PyType_Ready(&StructTime_Type) < 0) {
        return NULL;
    }
    PyObject *m = PyModule_Create(&time_module);
    if (m == NULL) {
        return NULL;
    }
    if (PyModule_AddObjectRef(m, "struct_time",
                              (PyObject *)&StructTime_Type) < 0 ||
        add_timezone(m) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
