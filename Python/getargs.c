/* Argument parsing for C functions: PyArg_ParseTuple,
 * PyArg_ParseTupleAndKeywords, PyArg_UnpackTuple and the helpers the
 * built-in types use.  Format units and error messages follow the
 * CPython 3.11 documentation and behaviour.  No shared state.
 *
 * '#' lengths are Py_ssize_t: the _SizeT entry points (what
 * PY_SSIZE_T_CLEAN selects) accept them; the others raise SystemError on
 * '#', as 3.10+ does. */
#include "Python.h"
#include "pycore_object.h"
#include "pycore_excstate.h"

#include <float.h>
#include <limits.h>

#define IS_END_OF_FORMAT(c) ((c) == '\0' || (c) == ';' || (c) == ':')

static inline int
Py_ISALPHA(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

#define FLAG_COMPAT 1
#define FLAG_SIZE_T 2

/* Buffers handed out by s*, y*, w*: released if a later unit fails. */
typedef struct {
    Py_buffer *views[32];
    int n;
} freelist_t;

static void
freelist_add(freelist_t *fl, Py_buffer *view)
{
    if (fl->n < (int)Py_ARRAY_LENGTH(fl->views)) {
        fl->views[fl->n++] = view;
    }
}

static void
freelist_cleanup(freelist_t *fl)
{
    for (int i = 0; i < fl->n; i++) {
        PyBuffer_Release(fl->views[i]);
    }
    fl->n = 0;
}

/* ================================================================ errors */

static const char *
converterr(const char *expected, PyObject *arg, char *msgbuf, size_t bufsize)
{
    if (expected[0] == '(') {
        PyOS_snprintf(msgbuf, bufsize, "%.100s", expected);
    }
    else {
        PyOS_snprintf(msgbuf, bufsize, "must be %.50s, not %.50s", expected,
                      arg == Py_None ? "None" : Py_TYPE(arg)->tp_name);
    }
    return msgbuf;
}

/* The message for a failed conversion: "f() argument 1 must be str, not
   int", "argument 'name' ...", ", item 2" for nested tuples. */
static void
seterror(Py_ssize_t iarg, const char *kwname, const char *msg, int *levels,
         const char *fname, const char *message)
{
    char buf[512];
    if (PyErr_Occurred()) {
        return;
    }
    if (message != NULL) {
        PyErr_SetString(PyExc_TypeError, message);
        return;
    }
    char *p = buf;
    if (fname != NULL) {
        PyOS_snprintf(p, sizeof(buf), "%.200s() ", fname);
        p += strlen(p);
    }
    if (kwname != NULL && kwname[0] != '\0') {
        PyOS_snprintf(p, sizeof(buf) - (size_t)(p - buf), "argument '%s'",
                      kwname);
        p += strlen(p);
    }
    else if (iarg != 0) {
        PyOS_snprintf(p, sizeof(buf) - (size_t)(p - buf), "argument %zd",
                      iarg);
        p += strlen(p);
    }
    else {
        PyOS_snprintf(p, sizeof(buf) - (size_t)(p - buf), "argument");
        p += strlen(p);
    }
    for (int i = 0; i < 32 && levels[i] > 0 && (int)(p - buf) < 220; i++) {
        PyOS_snprintf(p, sizeof(buf) - (size_t)(p - buf), ", item %d",
                      levels[i] - 1);
        p += strlen(p);
    }
    PyOS_snprintf(p, sizeof(buf) - (size_t)(p - buf), " %.256s", msg);
    PyErr_SetString(PyExc_TypeError, buf);
}

/* ================================================================ converters */

static const char *convertsimple(PyObject *arg, const char **p_format,
                                 va_list *p_va, int flags, char *msgbuf,
                                 size_t bufsize, freelist_t *freelist);

static const char *
convertitem(PyObject *arg, const char **p_format, va_list *p_va, int flags,
            int *levels, char *msgbuf, size_t bufsize, freelist_t *freelist);

/* A nested "(...)" unit: arg must be a sequence of matching length. */
static const char *
converttuple(PyObject *arg, const char **p_format, va_list *p_va, int flags,
             int *levels, char *msgbuf, size_t bufsize,
             freelist_t *freelist)
{
    int level = 0, n = 0;
    const char *format = *p_format;
    for (;;) {
        int c = *format++;
        if (c == '(') {
            if (level == 0) {
                n++;
            }
            level++;
        }
        else if (c == ')') {
            if (level == 0) {
                break;
            }
            level--;
        }
        else if (c == ':' || c == ';' || c == '\0') {
            break;
        }
        else if (level == 0 && Py_ISALPHA(c) && c != 'e') {
            n++;
        }
    }
    if (!PySequence_Check(arg) || PyBytes_Check(arg)) {
        levels[0] = 0;
        PyOS_snprintf(msgbuf, bufsize,
                      "must be %d-item sequence, not %.50s", n,
                      arg == Py_None ? "None" : Py_TYPE(arg)->tp_name);
        return msgbuf;
    }
    Py_ssize_t len = PySequence_Size(arg);
    if (len != n) {
        levels[0] = 0;
        PyOS_snprintf(msgbuf, bufsize,
                      "must be sequence of length %d, not %zd", n, len);
        return msgbuf;
    }
    format = *p_format;
    for (int i = 0; i < n; i++) {
        PyObject *item = PySequence_GetItem(arg, i);
        if (item == NULL) {
            PyErr_Clear();
            levels[0] = i + 1;
            levels[1] = 0;
            strncpy(msgbuf, "is not retrievable", bufsize);
            return msgbuf;
        }
        const char *msg = convertitem(item, &format, p_va, flags, levels + 1,
                                      msgbuf, bufsize, freelist);
        Py_XDECREF(item);
        if (msg != NULL) {
            levels[0] = i + 1;
            return msg;
        }
    }
    *p_format = format;
    return NULL;
}

static const char *
convertitem(PyObject *arg, const char **p_format, va_list *p_va, int flags,
            int *levels, char *msgbuf, size_t bufsize, freelist_t *freelist)
{
    const char *msg;
    const char *format = *p_format;
    if (*format == '(') {
        format++;
        msg = converttuple(arg, &format, p_va, flags, levels, msgbuf,
                           bufsize, freelist);
        if (msg == NULL) {
            format++;
        }
    }
    else {
        msg = convertsimple(arg, &format, p_va, flags, msgbuf, bufsize,
                            freelist);
        if (msg != NULL) {
            levels[0] = 0;
        }
    }
    if (msg == NULL) {
        *p_format = format;
    }
    return msg;
}

#define RETURN_ERR_OCCURRED return msgbuf

/* Reads a '#' length destination. */
static int
hash_size_t_check(int flags)
{
    if (!(flags & FLAG_SIZE_T)) {
        PyErr_SetString(PyExc_SystemError,
                        "PY_SSIZE_T_CLEAN macro must be defined for '#' "
                        "formats");
        return 0;
    }
    return 1;
}

static int
getbuffer(PyObject *arg, Py_buffer *view, const char **errmsg)
{
    if (PyObject_GetBuffer(arg, view, PyBUF_SIMPLE) != 0) {
        *errmsg = "bytes-like object";
        return -1;
    }
    if (!PyBuffer_IsContiguous(view, 'C')) {
        PyBuffer_Release(view);
        *errmsg = "contiguous buffer";
        return -1;
    }
    return 0;
}

/* Read-only buffer data (s#, y#): returns the length or -1. */
static Py_ssize_t
convertbuffer(PyObject *arg, const void **p, const char **errmsg)
{
    PyBufferProcs *pb = Py_TYPE(arg)->tp_as_buffer;
    if (pb != NULL && pb->bf_releasebuffer != NULL) {
        *errmsg = "read-only bytes-like object";
        return -1;
    }
    Py_buffer view;
    if (getbuffer(arg, &view, errmsg) < 0) {
        return -1;
    }
    Py_ssize_t count = view.len;
    *p = view.buf;
    PyBuffer_Release(&view);
    return count;
}

/* The integer units reject floats with their own message. */
static int
float_argument_error(PyObject *arg)
{
    if (PyFloat_Check(arg)) {
        PyErr_SetString(PyExc_TypeError,
                        "integer argument expected, got float");
        return 1;
    }
    return 0;
}

static const char *
convertsimple(PyObject *arg, const char **p_format, va_list *p_va, int flags,
              char *msgbuf, size_t bufsize, freelist_t *freelist)
{
    const char *format = *p_format;
    char c = *format++;
    switch (c) {
    case 'b': {
        char *p = va_arg(*p_va, char *);
        if (float_argument_error(arg)) {
            RETURN_ERR_OCCURRED;
        }
        long ival = PyLong_AsLong(arg);
        if (ival == -1 && PyErr_Occurred()) {
            RETURN_ERR_OCCURRED;
        }
        if (ival < 0) {
            PyErr_SetString(PyExc_OverflowError,
                            "unsigned byte integer is less than minimum");
            RETURN_ERR_OCCURRED;
        }
        if (ival > UCHAR_MAX) {
            PyErr_SetString(PyExc_OverflowError,
                            "unsigned byte integer is greater than maximum");
            RETURN_ERR_OCCURRED;
        }
        *p = (unsigned char)ival;
        break;
    }
    case 'B': {
        char *p = va_arg(*p_va, char *);
        if (float_argument_error(arg)) {
            RETURN_ERR_OCCURRED;
        }
        unsigned long ival = PyLong_AsUnsignedLongMask(arg);
        if (ival == (unsigned long)-1 && PyErr_Occurred()) {
            RETURN_ERR_OCCURRED;
        }
        *p = (unsigned char)ival;
        break;
    }
    case 'h': {
        short *p = va_arg(*p_va, short *);
        if (float_argument_error(arg)) {
            RETURN_ERR_OCCURRED;
        }
        long ival = PyLong_AsLong(arg);
        if (ival == -1 && PyErr_Occurred()) {
            RETURN_ERR_OCCURRED;
        }
        if (ival < SHRT_MIN) {
            PyErr_SetString(PyExc_OverflowError,
                            "signed short integer is less than minimum");
            RETURN_ERR_OCCURRED;
        }
        if (ival > SHRT_MAX) {
            PyErr_SetString(PyExc_OverflowError,
                            "signed short integer is greater than maximum");
            RETURN_ERR_OCCURRED;
        }
        *p = (short)ival;
        break;
    }
    case 'H': {
        unsigned short *p = va_arg(*p_va, unsigned short *);
        if (float_argument_error(arg)) {
            RETURN_ERR_OCCURRED;
        }
        unsigned long ival = PyLong_AsUnsignedLongMask(arg);
        if (ival == (unsigned long)-1 && PyErr_Occurred()) {
            RETURN_ERR_OCCURRED;
        }
        *p = (unsigned short)ival;
        break;
    }
    case 'i': {
        int *p = va_arg(*p_va, int *);
        if (float_argument_error(arg)) {
            RETURN_ERR_OCCURRED;
        }
        /* As CPython's Argument Clinic int converter (which the 3.11
           stdlib's functions use): "Python int too large to convert to
           C int" for any value out of range. */
        int ival = _PyLong_AsInt(arg);
        if (ival == -1 && PyErr_Occurred()) {
            RETURN_ERR_OCCURRED;
        }
        *p = ival;
        break;
    }
    case 'I': {
        unsigned int *p = va_arg(*p_va, unsigned int *);
        if (float_argument_error(arg)) {
            RETURN_ERR_OCCURRED;
        }
        unsigned long ival = PyLong_AsUnsignedLongMask(arg);
        if (ival == (unsigned long)-1 && PyErr_Occurred()) {
            RETURN_ERR_OCCURRED;
        }
        *p = (unsigned int)ival;
        break;
    }
    case 'n': {
        Py_ssize_t *p = va_arg(*p_va, Py_ssize_t *);
        PyObject *iobj = PyNumber_Index(arg);
        Py_ssize_t ival = -1;
        if (iobj != NULL) {
            ival = PyLong_AsSsize_t(iobj);
            Py_DECREF(iobj);
        }
        if (ival == -1 && PyErr_Occurred()) {
            RETURN_ERR_OCCURRED;
        }
        *p = ival;
        break;
    }
    case 'l': {
        long *p = va_arg(*p_va, long *);
        if (float_argument_error(arg)) {
            RETURN_ERR_OCCURRED;
        }
        long ival = PyLong_AsLong(arg);
        if (ival == -1 && PyErr_Occurred()) {
            RETURN_ERR_OCCURRED;
        }
        *p = ival;
        break;
    }
    case 'k': {
        unsigned long *p = va_arg(*p_va, unsigned long *);
        if (!PyLong_Check(arg)) {
            return converterr("int", arg, msgbuf, bufsize);
        }
        *p = PyLong_AsUnsignedLongMask(arg);
        break;
    }
    case 'L': {
        long long *p = va_arg(*p_va, long long *);
        if (float_argument_error(arg)) {
            RETURN_ERR_OCCURRED;
        }
        long long ival = PyLong_AsLongLong(arg);
        if (ival == (long long)-1 && PyErr_Occurred()) {
            RETURN_ERR_OCCURRED;
        }
        *p = ival;
        break;
    }
    case 'K': {
        unsigned long long *p = va_arg(*p_va, unsigned long long *);
        if (!PyLong_Check(arg)) {
            return converterr("int", arg, msgbuf, bufsize);
        }
        *p = PyLong_AsUnsignedLongLongMask(arg);
        break;
    }
    case 'f': {
        float *p = va_arg(*p_va, float *);
        double dval = PyFloat_AsDouble(arg);
        if (dval == -1.0 && PyErr_Occurred()) {
            RETURN_ERR_OCCURRED;
        }
        *p = (float)dval;
        break;
    }
    case 'd': {
        double *p = va_arg(*p_va, double *);
        double dval = PyFloat_AsDouble(arg);
        if (dval == -1.0 && PyErr_Occurred()) {
            RETURN_ERR_OCCURRED;
        }
        *p = dval;
        break;
    }
    case 'D':
        (void)va_arg(*p_va, void *);
        PyErr_SetString(PyExc_SystemError,
                        "complex ('D') arguments are not supported yet");
        RETURN_ERR_OCCURRED;
    case 'c': {
        char *p = va_arg(*p_va, char *);
        if (PyBytes_Check(arg) && PyBytes_Size(arg) == 1) {
            *p = PyBytes_AS_STRING(arg)[0];
        }
        else if (PyByteArray_Check(arg) && PyByteArray_Size(arg) == 1) {
            *p = PyByteArray_AS_STRING(arg)[0];
        }
        else {
            return converterr("a byte string of length 1", arg, msgbuf,
                              bufsize);
        }
        break;
    }
    case 'C': {
        int *p = va_arg(*p_va, int *);
        if (!PyUnicode_Check(arg)) {
            return converterr("a unicode character", arg, msgbuf, bufsize);
        }
        if (PyUnicode_GET_LENGTH(arg) != 1) {
            PyOS_snprintf(msgbuf, bufsize,
                          "must be a unicode character, not a string of "
                          "length %zd", PyUnicode_GET_LENGTH(arg));
            return msgbuf;
        }
        *p = (int)PyUnicode_READ_CHAR(arg, 0);
        break;
    }
    case 'p': {
        int *p = va_arg(*p_va, int *);
        int val = PyObject_IsTrue(arg);
        if (val < 0) {
            RETURN_ERR_OCCURRED;
        }
        *p = val;
        break;
    }
    case 'y': {
        void **p = (void **)va_arg(*p_va, char **);
        const char *buf;
        Py_ssize_t count;
        if (*format == '*') {
            if (getbuffer(arg, (Py_buffer *)p, &buf) < 0) {
                return converterr(buf, arg, msgbuf, bufsize);
            }
            format++;
            freelist_add(freelist, (Py_buffer *)p);
            break;
        }
        count = convertbuffer(arg, (const void **)p, &buf);
        if (count < 0) {
            return converterr(buf, arg, msgbuf, bufsize);
        }
        if (*format == '#') {
            if (!hash_size_t_check(flags)) {
                RETURN_ERR_OCCURRED;
            }
            Py_ssize_t *psize = va_arg(*p_va, Py_ssize_t *);
            *psize = count;
            format++;
        }
        else if (strlen(*p) != (size_t)count) {
            PyErr_SetString(PyExc_ValueError, "embedded null byte");
            RETURN_ERR_OCCURRED;
        }
        break;
    }
    case 's':
    case 'z': {
        int allow_none = (c == 'z');
        if (*format == '*') {
            Py_buffer *p = (Py_buffer *)va_arg(*p_va, Py_buffer *);
            if (allow_none && arg == Py_None) {
                PyBuffer_FillInfo(p, NULL, NULL, 0, 1, 0);
            }
            else if (PyUnicode_Check(arg)) {
                Py_ssize_t len;
                const char *sarg = PyUnicode_AsUTF8AndSize(arg, &len);
                if (sarg == NULL) {
                    return converterr("(unicode conversion error)", arg,
                                      msgbuf, bufsize);
                }
                PyBuffer_FillInfo(p, arg, (void *)sarg, len, 1, 0);
            }
            else {
                const char *buf;
                if (getbuffer(arg, p, &buf) < 0) {
                    return converterr(buf, arg, msgbuf, bufsize);
                }
            }
            freelist_add(freelist, p);
            format++;
        }
        else if (*format == '#') {
            if (!hash_size_t_check(flags)) {
                RETURN_ERR_OCCURRED;
            }
            const void **p = (const void **)va_arg(*p_va, const char **);
            Py_ssize_t *psize = va_arg(*p_va, Py_ssize_t *);
            if (allow_none && arg == Py_None) {
                *p = NULL;
                *psize = 0;
            }
            else if (PyUnicode_Check(arg)) {
                Py_ssize_t len;
                const char *sarg = PyUnicode_AsUTF8AndSize(arg, &len);
                if (sarg == NULL) {
                    return converterr("(unicode conversion error)", arg,
                                      msgbuf, bufsize);
                }
                *p = sarg;
                *psize = len;
            }
            else {
                const char *buf;
                Py_ssize_t count = convertbuffer(arg, p, &buf);
                if (count < 0) {
                    return converterr(allow_none ?
                                      "str, bytes-like object or None" :
                                      "str or bytes-like object",
                                      arg, msgbuf, bufsize);
                }
                *psize = count;
            }
            format++;
        }
        else {
            const char **p = va_arg(*p_va, const char **);
            if (allow_none && arg == Py_None) {
                *p = NULL;
            }
            else if (PyUnicode_Check(arg)) {
                Py_ssize_t len;
                const char *sarg = PyUnicode_AsUTF8AndSize(arg, &len);
                if (sarg == NULL) {
                    return converterr("(unicode conversion error)", arg,
                                      msgbuf, bufsize);
                }
                if (strlen(sarg) != (size_t)len) {
                    PyErr_SetString(PyExc_ValueError,
                                    "embedded null character");
                    RETURN_ERR_OCCURRED;
                }
                *p = sarg;
            }
            else {
                return converterr(allow_none ? "str or None" : "str", arg,
                                  msgbuf, bufsize);
            }
        }
        break;
    }
    case 'e': {
        char **buffer;
        const char *encoding = (const char *)va_arg(*p_va, const char *);
        if (encoding == NULL) {
            encoding = "utf-8";
        }
        int recode_strings;
        if (*format == 's') {
            recode_strings = 1;
        }
        else if (*format == 't') {
            recode_strings = 0;
        }
        else {
            return converterr("(unknown parser marker combination)", arg,
                              msgbuf, bufsize);
        }
        buffer = (char **)va_arg(*p_va, char **);
        format++;
        if (buffer == NULL) {
            return converterr("(buffer is NULL)", arg, msgbuf, bufsize);
        }
        PyObject *s;
        if (!recode_strings && (PyBytes_Check(arg) ||
                                PyByteArray_Check(arg))) {
            s = Py_NewRef(arg);
        }
        else if (PyUnicode_Check(arg)) {
            s = PyUnicode_AsEncodedString(arg, encoding, NULL);
            if (s == NULL) {
                return converterr("(encoding failed)", arg, msgbuf,
                                  bufsize);
            }
        }
        else {
            return converterr(recode_strings ? "str" :
                              "str, bytes or bytearray", arg, msgbuf,
                              bufsize);
        }
        Py_ssize_t size;
        const char *ptr;
        if (PyBytes_Check(s)) {
            size = PyBytes_GET_SIZE(s);
            ptr = PyBytes_AS_STRING(s);
        }
        else {
            size = PyByteArray_GET_SIZE(s);
            ptr = PyByteArray_AS_STRING(s);
        }
        if (*format == '#') {
            if (!hash_size_t_check(flags)) {
                Py_DECREF(s);
                RETURN_ERR_OCCURRED;
            }
            Py_ssize_t *psize = va_arg(*p_va, Py_ssize_t *);
            format++;
            if (psize == NULL) {
                Py_DECREF(s);
                return converterr("(buffer_len is NULL)", arg, msgbuf,
                                  bufsize);
            }
            if (*buffer == NULL) {
                *buffer = PyMem_Malloc((size_t)size + 1);
                if (*buffer == NULL) {
                    Py_DECREF(s);
                    PyErr_NoMemory();
                    RETURN_ERR_OCCURRED;
                }
            }
            else if (size + 1 > *psize) {
                Py_DECREF(s);
                PyErr_Format(PyExc_ValueError,
                             "encoded string too long (%zd, maximum length "
                             "%zd)", size, *psize - 1);
                RETURN_ERR_OCCURRED;
            }
            memcpy(*buffer, ptr, (size_t)size + 1);
            *psize = size;
        }
        else {
            if ((Py_ssize_t)strlen(ptr) != size) {
                Py_DECREF(s);
                PyErr_SetString(PyExc_ValueError,
                                "encoded string without null bytes");
                RETURN_ERR_OCCURRED;
            }
            *buffer = PyMem_Malloc((size_t)size + 1);
            if (*buffer == NULL) {
                Py_DECREF(s);
                PyErr_NoMemory();
                RETURN_ERR_OCCURRED;
            }
            memcpy(*buffer, ptr, (size_t)size + 1);
        }
        Py_DECREF(s);
        break;
    }
    case 'S': {
        PyObject **p = va_arg(*p_va, PyObject **);
        if (PyBytes_Check(arg)) {
            *p = arg;
        }
        else {
            return converterr("bytes", arg, msgbuf, bufsize);
        }
        break;
    }
    case 'Y': {
        PyObject **p = va_arg(*p_va, PyObject **);
        if (PyByteArray_Check(arg)) {
            *p = arg;
        }
        else {
            return converterr("bytearray", arg, msgbuf, bufsize);
        }
        break;
    }
    case 'U': {
        PyObject **p = va_arg(*p_va, PyObject **);
        if (PyUnicode_Check(arg)) {
            *p = arg;
        }
        else {
            return converterr("str", arg, msgbuf, bufsize);
        }
        break;
    }
    case 'O': {
        if (*format == '!') {
            PyTypeObject *type = va_arg(*p_va, PyTypeObject *);
            PyObject **p = va_arg(*p_va, PyObject **);
            format++;
            if (PyType_IsSubtype(Py_TYPE(arg), type)) {
                *p = arg;
            }
            else {
                return converterr(type->tp_name, arg, msgbuf, bufsize);
            }
        }
        else if (*format == '&') {
            typedef int (*converter)(PyObject *, void *);
            converter convert = va_arg(*p_va, converter);
            void *addr = va_arg(*p_va, void *);
            format++;
            int res = (*convert)(arg, addr);
            if (!res) {
                return converterr("(unspecified)", arg, msgbuf, bufsize);
            }
        }
        else {
            PyObject **p = va_arg(*p_va, PyObject **);
            *p = arg;
        }
        break;
    }
    case 'w': {
        void **p = va_arg(*p_va, void **);
        if (*format != '*') {
            return converterr("(invalid use of 'w' format character)", arg,
                              msgbuf, bufsize);
        }
        format++;
        if (PyObject_GetBuffer(arg, (Py_buffer *)p, PyBUF_WRITABLE) < 0) {
            PyErr_Clear();
            return converterr("read-write bytes-like object", arg, msgbuf,
                              bufsize);
        }
        if (!PyBuffer_IsContiguous((Py_buffer *)p, 'C')) {
            PyBuffer_Release((Py_buffer *)p);
            return converterr("contiguous buffer", arg, msgbuf, bufsize);
        }
        freelist_add(freelist, (Py_buffer *)p);
        break;
    }
    default:
        return converterr("(impossible<bad format char>)", arg, msgbuf,
                          bufsize);
    }
    *p_format = format;
    return NULL;
}

/* Skips one format unit (for a missing optional argument). */
static const char *
skipitem(const char **p_format, va_list *p_va, int flags)
{
    const char *format = *p_format;
    char c = *format++;
    switch (c) {
    case 'b': case 'B': case 'h': case 'H': case 'i': case 'I': case 'l':
    case 'k': case 'L': case 'K': case 'n': case 'f': case 'd': case 'D':
    case 'c': case 'C': case 'p': case 'S': case 'Y': case 'U':
        (void)va_arg(*p_va, void *);
        break;
    case 'e':
        (void)va_arg(*p_va, const char *);
        if (!(*format == 's' || *format == 't')) {
            goto err;
        }
        format++;
        /* fall through */
    case 's': case 'z': case 'y': case 'w':
        (void)va_arg(*p_va, char **);
        if (*format == '#') {
            (void)va_arg(*p_va, Py_ssize_t *);
            format++;
        }
        else if ((c == 's' || c == 'z' || c == 'y' || c == 'w') &&
                 *format == '*') {
            format++;
        }
        break;
    case 'O':
        if (*format == '!') {
            format++;
            (void)va_arg(*p_va, PyTypeObject *);
            (void)va_arg(*p_va, PyObject **);
        }
        else if (*format == '&') {
            typedef int (*converter)(PyObject *, void *);
            (void)va_arg(*p_va, converter);
            (void)va_arg(*p_va, void *);
            format++;
        }
        else {
            (void)va_arg(*p_va, PyObject **);
        }
        break;
    case '(': {
        const char *msg;
        for (;;) {
            if (*format == ')') {
                break;
            }
            if (*format == '\0') {
                goto err;
            }
            msg = skipitem(&format, p_va, flags);
            if (msg) {
                return msg;
            }
        }
        format++;
        break;
    }
    default:
    err:
        return "impossible<bad format char>";
    }
    *p_format = format;
    return NULL;
}

/* ================================================================ ParseTuple */

static int
vgetargs1_impl(PyObject *compat_args, PyObject *const *stack,
               Py_ssize_t nargs, const char *format, va_list *p_va,
               int flags)
{
    char msgbuf[256];
    int levels[32];
    const char *fname = NULL, *message = NULL;
    int min = -1, max = 0, level = 0, endfmt = 0;
    const char *formatsave = format;
    freelist_t freelist = {{0}, 0};
    int compat = flags & FLAG_COMPAT;
    flags &= ~FLAG_COMPAT;
    while (endfmt == 0) {
        int c = *format++;
        switch (c) {
        case '(':
            if (level == 0) {
                max++;
            }
            level++;
            if (level >= 30) {
                Py_FatalError("too many tuple nesting levels in argument "
                              "format string");
            }
            break;
        case ')':
            if (level == 0) {
                Py_FatalError("excess ')' in getargs format");
            }
            level--;
            break;
        case '\0':
            endfmt = 1;
            break;
        case ':':
            fname = format;
            endfmt = 1;
            break;
        case ';':
            message = format;
            endfmt = 1;
            break;
        case '|':
            if (level == 0) {
                min = max;
            }
            break;
        default:
            if (level == 0 && Py_ISALPHA(c) && c != 'e') {
                max++;
            }
            break;
        }
    }
    if (level != 0) {
        Py_FatalError("missing ')' in getargs format");
    }
    if (min < 0) {
        min = max;
    }
    format = formatsave;
    if (max > (int)Py_ARRAY_LENGTH(freelist.views)) {
        /* Only buffers go on the freelist; more units are fine. */
    }
    if (compat) {
        if (max == 0) {
            if (compat_args == NULL) {
                return 1;
            }
            PyErr_Format(PyExc_TypeError,
                         "%.200s%s takes no arguments",
                         fname == NULL ? "function" : fname,
                         fname == NULL ? "" : "()");
            return 0;
        }
        else if (min == 1 && max == 1) {
            if (compat_args == NULL) {
                PyErr_Format(PyExc_TypeError,
                             "%.200s%s takes at least one argument",
                             fname == NULL ? "function" : fname,
                             fname == NULL ? "" : "()");
                return 0;
            }
            const char *msg = convertitem(compat_args, &format, p_va, flags,
                                          levels, msgbuf, sizeof(msgbuf),
                                          &freelist);
            if (msg == NULL) {
                return 1;
            }
            seterror(levels[0], NULL, msg, levels + 1, fname, message);
            freelist_cleanup(&freelist);
            return 0;
        }
        else {
            PyErr_SetString(PyExc_SystemError,
                            "old style getargs format uses new features");
            return 0;
        }
    }
    if (nargs < min || max < nargs) {
        if (message == NULL) {
            PyErr_Format(PyExc_TypeError,
                         "%.150s%s takes %s %d argument%s (%zd given)",
                         fname == NULL ? "function" : fname,
                         fname == NULL ? "" : "()",
                         min == max ? "exactly"
                                    : nargs < min ? "at least" : "at most",
                         nargs < min ? min : max,
                         (nargs < min ? min : max) == 1 ? "" : "s",
                         nargs);
        }
        else {
            PyErr_SetString(PyExc_TypeError, message);
        }
        return 0;
    }
    for (Py_ssize_t i = 0; i < nargs; i++) {
        if (*format == '|') {
            format++;
        }
        const char *msg = convertitem(stack[i], &format, p_va, flags, levels,
                                      msgbuf, sizeof(msgbuf), &freelist);
        if (msg) {
            seterror(i + 1, NULL, msg, levels, fname, message);
            freelist_cleanup(&freelist);
            return 0;
        }
    }
    if (*format != '\0' && !Py_ISALPHA(*format) && *format != '(' &&
        *format != '|' && *format != ':' && *format != ';') {
        PyErr_Format(PyExc_SystemError, "bad format string: %.200s",
                     formatsave);
        freelist_cleanup(&freelist);
        return 0;
    }
    return 1;
}

static int
vgetargs1(PyObject *args, const char *format, va_list *p_va, int flags)
{
    if (flags & FLAG_COMPAT) {
        return vgetargs1_impl(args, NULL, 0, format, p_va, flags);
    }
    if (!PyTuple_Check(args)) {
        PyErr_SetString(PyExc_SystemError,
                        "new style getargs format but argument is not a "
                        "tuple");
        return 0;
    }
    return vgetargs1_impl(NULL, _PyTuple_ITEMS(args), PyTuple_GET_SIZE(args),
                          format, p_va, flags);
}

int
PyArg_Parse(PyObject *args, const char *format, ...)
{
    va_list va;
    va_start(va, format);
    int retval = vgetargs1(args, format, &va, FLAG_COMPAT);
    va_end(va);
    return retval;
}

int
_PyArg_Parse_SizeT(PyObject *args, const char *format, ...)
{
    va_list va;
    va_start(va, format);
    int retval = vgetargs1(args, format, &va, FLAG_COMPAT | FLAG_SIZE_T);
    va_end(va);
    return retval;
}

#undef PyArg_ParseTuple
int
PyArg_ParseTuple(PyObject *args, const char *format, ...)
{
    va_list va;
    va_start(va, format);
    int retval = vgetargs1(args, format, &va, 0);
    va_end(va);
    return retval;
}

int
_PyArg_ParseTuple_SizeT(PyObject *args, const char *format, ...)
{
    va_list va;
    va_start(va, format);
    int retval = vgetargs1(args, format, &va, FLAG_SIZE_T);
    va_end(va);
    return retval;
}

int
_PyArg_ParseStack(PyObject *const *args, Py_ssize_t nargs,
                  const char *format, ...)
{
    va_list va;
    va_start(va, format);
    int retval = vgetargs1_impl(NULL, args, nargs, format, &va, FLAG_SIZE_T);
    va_end(va);
    return retval;
}

int
PyArg_VaParse(PyObject *args, const char *format, va_list va)
{
    va_list lva;
    va_copy(lva, va);
    int retval = vgetargs1(args, format, &lva, FLAG_SIZE_T);
    va_end(lva);
    return retval;
}

/* ================================================================ keywords */

static int
vgetargskeywords(PyObject *args, PyObject *kwargs, const char *format,
                 char **kwlist, va_list *p_va, int flags)
{
    char msgbuf[512];
    int levels[32];
    const char *fname, *msg, *custom_msg;
    int min = INT_MAX, max = INT_MAX;
    int i, pos, len;
    int skip = 0;
    Py_ssize_t nargs, nkwargs;
    freelist_t freelist = {{0}, 0};

    fname = strchr(format, ':');
    if (fname) {
        fname++;
        custom_msg = NULL;
    }
    else {
        custom_msg = strchr(format, ';');
        if (custom_msg) {
            custom_msg++;
        }
    }
    /* Positional-only parameters have empty names. */
    for (pos = 0; kwlist[pos] && !*kwlist[pos]; pos++) {
    }
    for (len = pos; kwlist[len]; len++) {
        if (!*kwlist[len]) {
            PyErr_SetString(PyExc_SystemError,
                            "Empty keyword parameter name");
            return 0;
        }
    }
    nargs = PyTuple_GET_SIZE(args);
    nkwargs = (kwargs == NULL) ? 0 : PyDict_GET_SIZE(kwargs);
    if (nargs + nkwargs > len) {
        PyErr_Format(PyExc_TypeError,
                     "%.200s%s takes at most %d %sargument%s (%zd given)",
                     (fname == NULL) ? "function" : fname,
                     (fname == NULL) ? "" : "()",
                     len, (nargs == 0) ? "keyword " : "",
                     (len == 1) ? "" : "s", nargs + nkwargs);
        return 0;
    }
    /* Convert the positional arguments, then the keywords. */
    for (i = 0; i < len; i++) {
        if (*format == '|') {
            if (min != INT_MAX) {
                PyErr_SetString(PyExc_SystemError,
                                "Invalid format string (| specified twice)");
                return 0;
            }
            min = i;
            format++;
            if (max != INT_MAX) {
                PyErr_SetString(PyExc_SystemError,
                                "Invalid format string ($ before |)");
                return 0;
            }
        }
        if (*format == '$') {
            if (max != INT_MAX) {
                PyErr_SetString(PyExc_SystemError,
                                "Invalid format string ($ specified twice)");
                return 0;
            }
            max = i;
            format++;
            if (max < pos) {
                PyErr_SetString(PyExc_SystemError,
                                "Empty parameter name after $");
                return 0;
            }
            if (skip) {
                /* Now we know the minimal and the maximal numbers of
                   positional arguments and can raise an exception with
                   informative message. */
                break;
            }
            if (max < nargs) {
                if (max == 0) {
                    PyErr_Format(PyExc_TypeError,
                                 "%.200s%s takes no positional arguments",
                                 (fname == NULL) ? "function" : fname,
                                 (fname == NULL) ? "" : "()");
                }
                else {
                    PyErr_Format(PyExc_TypeError,
                                 "%.200s%s takes %s %d positional "
                                 "argument%s (%zd given)",
                                 (fname == NULL) ? "function" : fname,
                                 (fname == NULL) ? "" : "()",
                                 (min != INT_MAX) ? "at most" : "exactly",
                                 max, max == 1 ? "" : "s", nargs);
                }
                return 0;
            }
        }
        if (IS_END_OF_FORMAT(*format)) {
            PyErr_Format(PyExc_SystemError,
                         "More keyword list entries (%d) than format "
                         "specifiers (%d)", len, i);
            return 0;
        }
        PyObject *current_arg = NULL;
        if (!skip) {
            if (i < nargs) {
                current_arg = PyTuple_GET_ITEM(args, i);
            }
            else if (nkwargs && i >= pos) {
                if (PyDict_GetItemStringRef(kwargs, kwlist[i],
                                            &current_arg) < 0) {
                    return 0;
                }
                if (current_arg) {
                    --nkwargs;
                    Py_DECREF(current_arg);     /* kwargs keeps it alive */
                }
            }
            else {
                current_arg = NULL;
            }
            if (current_arg) {
                msg = convertitem(current_arg, &format, p_va, flags, levels,
                                  msgbuf, sizeof(msgbuf), &freelist);
                if (msg) {
                    seterror(i + 1, i >= pos ? kwlist[i] : NULL, msg,
                             levels, fname, custom_msg);
                    freelist_cleanup(&freelist);
                    return 0;
                }
                continue;
            }
            if (i < min) {
                if (i < pos) {
                    /* Too few positional-only arguments: the message
                       needs the bounds, known once | and $ are seen. */
                    skip = 1;
                }
                else {
                    PyErr_Format(PyExc_TypeError,
                                 "%.200s%s missing required argument '%s' "
                                 "(pos %d)",
                                 (fname == NULL) ? "function" : fname,
                                 (fname == NULL) ? "" : "()",
                                 kwlist[i], i + 1);
                    freelist_cleanup(&freelist);
                    return 0;
                }
            }
            /* All required arguments are there and no keyword is left:
               the remaining optional ones keep their defaults. */
            if (!nkwargs && !skip) {
                return 1;
            }
        }
        msg = skipitem(&format, p_va, flags);
        if (msg) {
            PyErr_Format(PyExc_SystemError, "%s: '%s'", msg, format);
            freelist_cleanup(&freelist);
            return 0;
        }
    }
    if (skip) {
        PyErr_Format(PyExc_TypeError,
                     "%.200s%s takes %s %d positional argument%s"
                     " (%zd given)",
                     (fname == NULL) ? "function" : fname,
                     (fname == NULL) ? "" : "()",
                     (Py_MIN(pos, min) < i) ? "at least" : "exactly",
                     Py_MIN(pos, min), Py_MIN(pos, min) == 1 ? "" : "s",
                     nargs);
        freelist_cleanup(&freelist);
        return 0;
    }
    if (!IS_END_OF_FORMAT(*format) && (*format != '|') && (*format != '$')) {
        PyErr_Format(PyExc_SystemError,
                     "more argument specifiers than keyword list entries "
                     "(remaining format:'%s')", format);
        freelist_cleanup(&freelist);
        return 0;
    }
    if (nkwargs > 0) {
        /* Leftover keywords: unknown names, or given twice. */
        PyObject *key;
        Py_ssize_t j = 0;
        while (PyDict_Next(kwargs, &j, &key, NULL)) {
            int match = 0;
            if (!PyUnicode_Check(key)) {
                PyErr_SetString(PyExc_TypeError,
                                "keywords must be strings");
                freelist_cleanup(&freelist);
                return 0;
            }
            for (i = pos; i < len; i++) {
                if (_PyUnicode_EqualToASCIIString(key, kwlist[i])) {
                    match = 1;
                    break;
                }
            }
            if (!match) {
                PyErr_Format(PyExc_TypeError,
                             "'%U' is an invalid keyword argument for "
                             "%.200s%s", key,
                             (fname == NULL) ? "this function" : fname,
                             (fname == NULL) ? "" : "()");
                freelist_cleanup(&freelist);
                return 0;
            }
            if (i < nargs) {
                PyErr_Format(PyExc_TypeError,
                             "argument for %.200s%s given by name ('%s') "
                             "and position (%d)",
                             (fname == NULL) ? "function" : fname,
                             (fname == NULL) ? "" : "()",
                             kwlist[i], i + 1);
                freelist_cleanup(&freelist);
                return 0;
            }
        }
        /* Positional-only given by keyword. */
        j = 0;
        while (PyDict_Next(kwargs, &j, &key, NULL)) {
            for (i = 0; i < pos; i++) {
                if (_PyUnicode_EqualToASCIIString(key, kwlist[i])) {
                    break;
                }
            }
        }
    }
    return 1;
}

#undef PyArg_ParseTupleAndKeywords
int
PyArg_ParseTupleAndKeywords(PyObject *args, PyObject *keywords,
                            const char *format, char **kwlist, ...)
{
    if ((args == NULL || !PyTuple_Check(args)) ||
        (keywords != NULL && !PyDict_Check(keywords)) ||
        format == NULL || kwlist == NULL) {
        PyErr_BadInternalCall();
        return 0;
    }
    va_list va;
    va_start(va, kwlist);
    int retval = vgetargskeywords(args, keywords, format, kwlist, &va, 0);
    va_end(va);
    return retval;
}

int
_PyArg_ParseTupleAndKeywords_SizeT(PyObject *args, PyObject *keywords,
                                   const char *format, char **kwlist, ...)
{
    if ((args == NULL || !PyTuple_Check(args)) ||
        (keywords != NULL && !PyDict_Check(keywords)) ||
        format == NULL || kwlist == NULL) {
        PyErr_BadInternalCall();
        return 0;
    }
    va_list va;
    va_start(va, kwlist);
    int retval = vgetargskeywords(args, keywords, format, kwlist, &va,
                                  FLAG_SIZE_T);
    va_end(va);
    return retval;
}

int
PyArg_VaParseTupleAndKeywords(PyObject *args, PyObject *keywords,
                              const char *format, char **kwlist, va_list va)
{
    if ((args == NULL || !PyTuple_Check(args)) ||
        (keywords != NULL && !PyDict_Check(keywords)) ||
        format == NULL || kwlist == NULL) {
        PyErr_BadInternalCall();
        return 0;
    }
    va_list lva;
    va_copy(lva, va);
    int retval = vgetargskeywords(args, keywords, format, kwlist, &lva,
                                  FLAG_SIZE_T);
    va_end(lva);
    return retval;
}

int
PyArg_ValidateKeywordArguments(PyObject *kwargs)
{
    if (!PyDict_Check(kwargs)) {
        PyErr_BadInternalCall();
        return 0;
    }
    Py_ssize_t pos = 0;
    PyObject *key;
    while (PyDict_Next(kwargs, &pos, &key, NULL)) {
        if (!PyUnicode_Check(key)) {
            PyErr_SetString(PyExc_TypeError, "keywords must be strings");
            return 0;
        }
    }
    return 1;
}

/* ================================================================ unpack */

/* "name expected at least 1 argument, got 0" (CPython's wording). */
static int
unpack_count_error(const char *name, Py_ssize_t nargs, Py_ssize_t min,
                   Py_ssize_t max)
{
    Py_ssize_t expected = nargs < min ? min : max;
    const char *qualifier = min == max ? "" :
                            nargs < min ? "at least " : "at most ";
    if (name != NULL) {
        PyErr_Format(PyExc_TypeError, "%.200s expected %s%zd argument%s, "
                     "got %zd", name, qualifier, expected,
                     expected == 1 ? "" : "s", nargs);
    }
    else {
        PyErr_Format(PyExc_TypeError, "unpacked tuple should have %s%zd "
                     "element%s, but has %zd", qualifier, expected,
                     expected == 1 ? "" : "s", nargs);
    }
    return 0;
}

int
_PyArg_CheckPositional(const char *name, Py_ssize_t nargs, Py_ssize_t min,
                       Py_ssize_t max)
{
    if (nargs < min || nargs > max) {
        return unpack_count_error(name, nargs, min, max);
    }
    return 1;
}

static int
unpack_stack(PyObject *const *args, Py_ssize_t nargs, const char *name,
             Py_ssize_t min, Py_ssize_t max, va_list vargs)
{
    if (!_PyArg_CheckPositional(name, nargs, min, max)) {
        return 0;
    }
    for (Py_ssize_t i = 0; i < nargs; i++) {
        PyObject **o = va_arg(vargs, PyObject **);
        *o = args[i];
    }
    return 1;
}

int
PyArg_UnpackTuple(PyObject *args, const char *name, Py_ssize_t min,
                  Py_ssize_t max, ...)
{
    if (!PyTuple_Check(args)) {
        PyErr_SetString(PyExc_SystemError,
                        "PyArg_UnpackTuple() argument list is not a tuple");
        return 0;
    }
    va_list vargs;
    va_start(vargs, max);
    int retval = unpack_stack(_PyTuple_ITEMS(args), PyTuple_GET_SIZE(args),
                              name, min, max, vargs);
    va_end(vargs);
    return retval;
}

int
_PyArg_UnpackStack(PyObject *const *args, Py_ssize_t nargs, const char *name,
                   Py_ssize_t min, Py_ssize_t max, ...)
{
    va_list vargs;
    va_start(vargs, max);
    int retval = unpack_stack(args, nargs, name, min, max, vargs);
    va_end(vargs);
    return retval;
}

int
_PyArg_NoKeywords(const char *funcname, PyObject *kwargs)
{
    if (kwargs == NULL) {
        return 1;
    }
    if (!PyDict_CheckExact(kwargs)) {
        PyErr_BadInternalCall();
        return 0;
    }
    if (PyDict_GET_SIZE(kwargs) == 0) {
        return 1;
    }
    PyErr_Format(PyExc_TypeError, "%.200s() takes no keyword arguments",
                 funcname);
    return 0;
}

int
_PyArg_NoPositional(const char *funcname, PyObject *args)
{
    if (args == NULL) {
        return 1;
    }
    if (!PyTuple_CheckExact(args)) {
        PyErr_BadInternalCall();
        return 0;
    }
    if (PyTuple_GET_SIZE(args) == 0) {
        return 1;
    }
    PyErr_Format(PyExc_TypeError, "%.200s() takes no positional arguments",
                 funcname);
    return 0;
}

int
_PyArg_NoKwnames(const char *funcname, PyObject *kwnames)
{
    if (kwnames == NULL || PyTuple_GET_SIZE(kwnames) == 0) {
        return 1;
    }
    PyErr_Format(PyExc_TypeError, "%.200s() takes no keyword arguments",
                 funcname);
    return 0;
}
