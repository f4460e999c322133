/* The time module: clocks, sleep, and broken-down time.
 *
 * Thread safety: the module has no mutable state of its own; clocks are
 * read through the kernel, broken-down time goes through the reentrant
 * libc calls (gmtime_r, localtime_r), sleep detaches the thread state.
 * struct_time is a struct sequence (immutable; no locking needed) with
 * the nine tm_* items plus tm_zone and tm_gmtoff as attributes.  The
 * timezone constants are computed at import and again by tzset(); the
 * module dict does its own locking.  The struct_time type is finished
 * during the first import (imports of a module are serialised). */
#include "Python.h"
#include "pycore_namespace.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* ---------------------------------------------------------- struct_time */

static PyStructSequence_Field struct_time_fields[] = {
    {"tm_year", "year, for example, 1993"},
    {"tm_mon", "month of year, range [1, 12]"},
    {"tm_mday", "day of month, range [1, 31]"},
    {"tm_hour", "hours, range [0, 23]"},
    {"tm_min", "minutes, range [0, 59]"},
    {"tm_sec", "seconds, range [0, 61])"},
    {"tm_wday", "day of week, range [0, 6], Monday is 0"},
    {"tm_yday", "day of year, range [1, 366]"},
    {"tm_isdst", "1 if summer time is in effect, 0 if not, and -1 if "
                 "unknown"},
    {"tm_zone", "abbreviation of timezone name"},
    {"tm_gmtoff", "offset from UTC in seconds"},
    {NULL, NULL}
};

static PyStructSequence_Desc struct_time_desc = {
    "time.struct_time",
    "The time value as returned by gmtime(), localtime(), and strptime(), "
    "and\n accepted by asctime(), mktime() and strftime().  A sequence of "
    "9 integers\n (tm_year is the full year, tm_mon counts from 1, tm_wday "
    "from Monday = 0);\n tm_zone and tm_gmtoff are attributes only.",
    struct_time_fields,
    9,
};

#define STRUCT_TIME_N 9

/* Static and finished once at the first import; immutable afterwards. */
static PyTypeObject StructTime_Type;

/* A struct_time from a struct tm, with tm_zone and tm_gmtoff (new
   reference). */
static PyObject *
struct_time_from_tm(const struct tm *tm)
{
    PyObject *st = PyStructSequence_New(&StructTime_Type);
    if (st == NULL) {
        return NULL;
    }
    const long v[STRUCT_TIME_N] = {
        tm->tm_year + 1900L, tm->tm_mon + 1, tm->tm_mday, tm->tm_hour,
        tm->tm_min, tm->tm_sec, (tm->tm_wday + 6) % 7, tm->tm_yday + 1,
        tm->tm_isdst,
    };
    for (int i = 0; i < STRUCT_TIME_N; i++) {
        PyObject *x = PyLong_FromLong(v[i]);
        if (x == NULL) {
            Py_DECREF(st);
            return NULL;
        }
        PyStructSequence_SET_ITEM(st, i, x);
    }
    PyObject *zone = PyUnicode_DecodeLocale(tm->tm_zone ? tm->tm_zone : "",
                                            "surrogateescape");
    PyObject *off = PyLong_FromLong(tm->tm_gmtoff);
    if (zone == NULL || off == NULL) {
        Py_XDECREF(zone);
        Py_XDECREF(off);
        Py_DECREF(st);
        return NULL;
    }
    PyStructSequence_SET_ITEM(st, 9, zone);
    PyStructSequence_SET_ITEM(st, 10, off);
    return st;
}

/* One field of a time tuple as a C int (ints and __index__ only). */
static int
tm_field(PyObject *o, int *out)
{
    PyObject *n = PyNumber_Index(o);
    if (n == NULL) {
        return -1;
    }
    long x = PyLong_AsLong(n);
    Py_DECREF(n);
    if (x == -1 && PyErr_Occurred()) {
        return -1;
    }
    if (x < INT_MIN || x > INT_MAX) {
        PyErr_SetString(PyExc_OverflowError,
                        "Python int too large to convert to C int");
        return -1;
    }
    *out = (int)x;
    return 0;
}

/* Keeps the zone string of a struct_time argument alive while its
   struct tm is used (tm_zone points into it). */
typedef struct {
    struct tm tm;
    PyObject *zone;     /* bytes or NULL */
} tm_arg;

static void
tm_arg_clear(tm_arg *a)
{
    Py_CLEAR(a->zone);
}

/* Fills A from a 9-sequence (struct_time or tuple); a struct_time also
   gives tm_zone and tm_gmtoff.  -1 with TypeError. */
static int
tm_from_sequence(PyObject *seq, const char *fname, tm_arg *a)
{
    memset(a, 0, sizeof(*a));
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
        if (tm_field(PyTuple_GET_ITEM(seq, i), &v[i]) < 0) {
            return -1;
        }
    }
    struct tm *tm = &a->tm;
    tm->tm_year = v[0] - 1900;
    tm->tm_mon = v[1] - 1;
    tm->tm_mday = v[2];
    tm->tm_hour = v[3];
    tm->tm_min = v[4];
    tm->tm_sec = v[5];
    tm->tm_wday = (v[6] + 1) % 7;
    tm->tm_yday = v[7] - 1;
    tm->tm_isdst = v[8];
    if (Py_IS_TYPE(seq, &StructTime_Type)) {
        PyObject *zone = PyStructSequence_GET_ITEM(seq, 9);
        PyObject *off = PyStructSequence_GET_ITEM(seq, 10);
        if (zone != NULL && zone != Py_None) {
            a->zone = PyUnicode_EncodeLocale(zone, "surrogateescape");
            if (a->zone == NULL) {
                return -1;
            }
            tm->tm_zone = PyBytes_AS_STRING(a->zone);
        }
        if (off != NULL && off != Py_None) {
            tm->tm_gmtoff = PyLong_AsLong(off);
            if (tm->tm_gmtoff == -1 && PyErr_Occurred()) {
                tm_arg_clear(a);
                return -1;
            }
        }
    }
    return 0;
}

/* Normalises the zero fields CPython accepts (month, day and day of year
   0 mean 1) and range-checks TM as strftime() and asctime() require;
   -1 with ValueError. */
static int
check_tm(struct tm *tm)
{
    if (tm->tm_mon == -1) {
        tm->tm_mon = 0;
    }
    if (tm->tm_mday == 0) {
        tm->tm_mday = 1;
    }
    if (tm->tm_yday == -1) {
        tm->tm_yday = 0;
    }
    const char *what = NULL;
    if (tm->tm_mon < 0 || tm->tm_mon > 11) {
        what = "month out of range";
    }
    else if (tm->tm_mday < 0 || tm->tm_mday > 31) {
        what = "day of month out of range";
    }
    else if (tm->tm_hour < 0 || tm->tm_hour > 23) {
        what = "hour out of range";
    }
    else if (tm->tm_min < 0 || tm->tm_min > 59) {
        what = "minute out of range";
    }
    else if (tm->tm_sec < 0 || tm->tm_sec > 61) {
        what = "seconds out of range";
    }
    else if (tm->tm_wday < 0) {
        what = "day of week out of range";
    }
    else if (tm->tm_yday < 0 || tm->tm_yday > 365) {
        what = "day of year out of range";
    }
    if (what != NULL) {
        PyErr_SetString(PyExc_ValueError, what);
        return -1;
    }
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
    for (;;) {
        /* PEP 475: a signal ends the wait to run its Python handler; the
           sleep goes on for the rest of the time unless it raised. */
        Py_BEGIN_ALLOW_THREADS
        r = clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, &ts);
        Py_END_ALLOW_THREADS
        if (r != EINTR) {
            break;
        }
        if (PyErr_CheckSignals() < 0) {
            return NULL;
        }
    }
    if (r != 0) {
        errno = r;
        return PyErr_SetFromErrno(PyExc_OSError);
    }
    Py_RETURN_NONE;
}

/* --------------------------------------------------------- broken-down */

/* Converts a timestamp (int, float or __index__ object) to time_t,
   rounding floats toward minus infinity as CPython does; -1 on error. */
static int
object_to_time_t(PyObject *ot, time_t *out)
{
    if (PyFloat_Check(ot)) {
        double d = floor(PyFloat_AS_DOUBLE(ot));
        if (isnan(d)) {
            PyErr_SetString(PyExc_ValueError,
                            "Invalid value NaN (not a number)");
            return -1;
        }
        if (!(d >= -9.2233720368547758e18 && d < 9.2233720368547758e18)) {
            PyErr_SetString(PyExc_OverflowError,
                            "timestamp out of range for platform time_t");
            return -1;
        }
        *out = (time_t)d;
        return 0;
    }
    PyObject *n = PyNumber_Index(ot);
    if (n == NULL) {
        return -1;
    }
    long long v = PyLong_AsLongLong(n);
    Py_DECREF(n);
    if (v == -1 && PyErr_Occurred()) {
        if (PyErr_ExceptionMatches(PyExc_OverflowError)) {
            PyErr_SetString(PyExc_OverflowError,
                            "timestamp out of range for platform time_t");
        }
        return -1;
    }
    *out = (time_t)v;
    return 0;
}

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
    return object_to_time_t(ot, out);
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
        return PyErr_SetFromErrno(errno == EOVERFLOW ? PyExc_OverflowError
                                                     : PyExc_OSError);
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
        return PyErr_SetFromErrno(errno == EOVERFLOW ? PyExc_OverflowError
                                                     : PyExc_OSError);
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
    tm_arg a;
    if (tm_from_sequence(arg, "mktime", &a) < 0) {
        return NULL;
    }
    struct tm tm = a.tm;
    tm_arg_clear(&a);
    tm.tm_zone = NULL;
    tm.tm_wday = -1;
    time_t t = mktime(&tm);
    if (t == (time_t)-1 && tm.tm_wday == -1) {
        PyErr_SetString(PyExc_OverflowError,
                        "mktime argument out of range");
        return NULL;
    }
    return PyFloat_FromDouble((double)t);
}

/* The current local time as a tm_arg. */
static int
now_local_arg(tm_arg *a)
{
    memset(a, 0, sizeof(*a));
    return now_local(&a->tm);
}

/* strftime() of FMT with TM, growing the buffer until it fits (new
   reference). */
static PyObject *
format_tm(const char *fmt, const struct tm *tm)
{
    if (fmt[0] == '\0') {
        return PyUnicode_FromString("");
    }
    size_t cap = 256;
    for (;;) {
        char *buf = PyMem_Malloc(cap);
        if (buf == NULL) {
            return PyErr_NoMemory();
        }
        size_t n = strftime(buf, cap, fmt, tm);
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

/* strftime(format[, tuple]) -> str (new reference). */
static PyObject *
time_strftime(PyObject *m, PyObject *args)
{
    PyObject *ofmt, *tup = NULL;
    tm_arg a;
    if (!PyArg_ParseTuple(args, "U|O:strftime", &ofmt, &tup)) {
        return NULL;
    }
    if (tup == NULL) {
        if (now_local_arg(&a) < 0) {
            return NULL;
        }
    }
    else if (tm_from_sequence(tup, "strftime", &a) < 0) {
        return NULL;
    }
    if (check_tm(&a.tm) < 0) {
        tm_arg_clear(&a);
        return NULL;
    }
    if (a.tm.tm_isdst < -1) {
        a.tm.tm_isdst = -1;
    }
    else if (a.tm.tm_isdst > 1) {
        a.tm.tm_isdst = 1;
    }
    PyObject *fmt = PyUnicode_EncodeLocale(ofmt, "surrogateescape");
    if (fmt == NULL) {
        tm_arg_clear(&a);
        return NULL;
    }
    PyObject *res = NULL;
    if ((Py_ssize_t)strlen(PyBytes_AS_STRING(fmt)) != PyBytes_GET_SIZE(fmt)) {
        PyErr_SetString(PyExc_ValueError, "embedded null character");
    }
    else {
        res = format_tm(PyBytes_AS_STRING(fmt), &a.tm);
    }
    Py_DECREF(fmt);
    tm_arg_clear(&a);
    return res;
}

/* strptime(string, format="%a %b %d %H:%M:%S %Y"): the pure-Python
   _strptime does the work, as in CPython (new reference). */
static PyObject *
time_strptime(PyObject *m, PyObject *args)
{
    PyObject *mod = PyImport_ImportModule("_strptime");
    if (mod == NULL) {
        return NULL;
    }
    PyObject *func = PyObject_GetAttrString(mod, "_strptime_time");
    Py_DECREF(mod);
    if (func == NULL) {
        return NULL;
    }
    PyObject *res = PyObject_Call(func, args, NULL);
    Py_DECREF(func);
    return res;
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
    tm_arg a;
    if (!PyArg_ParseTuple(args, "|O:asctime", &tup)) {
        return NULL;
    }
    if (tup == NULL) {
        if (now_local_arg(&a) < 0) {
            return NULL;
        }
    }
    else if (tm_from_sequence(tup, "asctime", &a) < 0) {
        return NULL;
    }
    tm_arg_clear(&a);
    if (check_tm(&a.tm) < 0) {
        return NULL;
    }
    return format_asctime(&a.tm);
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

static int add_timezone(PyObject *m);

/* tzset(): re-reads TZ and recomputes timezone, altzone, daylight and
   tzname in the module. */
static PyObject *
time_tzset(PyObject *m, PyObject *Py_UNUSED(ignored))
{
    tzset();
    if (add_timezone(m) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* get_clock_info(name) -> SimpleNamespace(implementation, monotonic,
   adjustable, resolution) (new reference). */
static PyObject *
time_get_clock_info(PyObject *m, PyObject *args)
{
    static const struct {
        const char *name;
        clockid_t id;
        const char *impl;
        int monotonic;
        int adjustable;
    } clocks[] = {
        {"time", CLOCK_REALTIME, "clock_gettime(CLOCK_REALTIME)", 0, 1},
        {"monotonic", CLOCK_MONOTONIC, "clock_gettime(CLOCK_MONOTONIC)",
         1, 0},
        {"perf_counter", CLOCK_MONOTONIC, "clock_gettime(CLOCK_MONOTONIC)",
         1, 0},
        {"process_time", CLOCK_PROCESS_CPUTIME_ID,
         "clock_gettime(CLOCK_PROCESS_CPUTIME_ID)", 1, 0},
        {"thread_time", CLOCK_THREAD_CPUTIME_ID,
         "clock_gettime(CLOCK_THREAD_CPUTIME_ID)", 1, 0},
    };
    const char *name;
    if (!PyArg_ParseTuple(args, "s:get_clock_info", &name)) {
        return NULL;
    }
    for (size_t i = 0; i < sizeof(clocks) / sizeof(clocks[0]); i++) {
        if (strcmp(name, clocks[i].name) != 0) {
            continue;
        }
        struct timespec res;
        if (clock_getres(clocks[i].id, &res) != 0) {
            return PyErr_SetFromErrno(PyExc_OSError);
        }
        PyObject *kw = Py_BuildValue(
            "{s:s,s:O,s:O,s:d}", "implementation", clocks[i].impl,
            "monotonic", clocks[i].monotonic ? Py_True : Py_False,
            "adjustable", clocks[i].adjustable ? Py_True : Py_False,
            "resolution", (double)res.tv_sec + res.tv_nsec * 1e-9);
        if (kw == NULL) {
            return NULL;
        }
        PyObject *ns = _PyNamespace_New(kw);
        Py_DECREF(kw);
        return ns;
    }
    PyErr_SetString(PyExc_ValueError, "unknown clock");
    return NULL;
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
    {"strptime", time_strptime, METH_VARARGS, NULL},
    {"tzset", time_tzset, METH_NOARGS, NULL},
    {"get_clock_info", time_get_clock_info, METH_VARARGS, NULL},
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
    PyObject *names = Py_BuildValue("(ss)", std, dst);
    if (PyModule_AddObject(m, "timezone", PyLong_FromLong(tz)) < 0 ||
        PyModule_AddObject(m, "altzone", PyLong_FromLong(alt)) < 0 ||
        PyModule_AddObject(m, "daylight",
                           PyLong_FromLong(janoff != juloff)) < 0 ||
        PyModule_AddObject(m, "tzname", names) < 0) {
        return -1;
    }
    return 0;
}

/* Module init (new reference). */
PyObject *
PyInit_time(void)
{
    if (StructTime_Type.tp_dict == NULL &&
        PyStructSequence_InitType2(&StructTime_Type, &struct_time_desc) < 0) {
        return NULL;
    }
    PyObject *m = PyModule_Create(&time_module);
    if (m == NULL) {
        return NULL;
    }
    if (PyModule_AddObjectRef(m, "struct_time",
                              (PyObject *)&StructTime_Type) < 0 ||
        PyModule_AddIntConstant(m, "_STRUCT_TM_ITEMS", 11) < 0 ||
        add_timezone(m) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
