/* The format-spec mini-language (Objects/unicode/formatter.c), shared by
   the __format__ methods of str, int and float, str.format and
   %-formatting. */
#ifndef Py_INTERNAL_FORMATTER_H
#define Py_INTERNAL_FORMATTER_H
#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE define"
#endif

#include "unicodeobject.h"

typedef struct {
    Py_UCS4 fill_char;
    Py_UCS4 align;          /* '<', '>', '=', '^' */
    int alternate;          /* '#' */
    int no_neg_0;           /* 'z' */
    Py_UCS4 sign;           /* '+', '-', ' ' or 0 */
    Py_ssize_t width;       /* -1 if none */
    Py_UCS4 thousands;      /* ',', '_' or 0 */
    Py_ssize_t precision;   /* -1 if none */
    Py_UCS4 type;           /* 0 if none */
} _PyFormatSpec;

/* Parses spec[start:end]; 0, or -1 with ValueError. */
PyAPI_FUNC(int) _PyFormat_ParseSpec(PyObject *obj, PyObject *spec,
                                    Py_ssize_t start, Py_ssize_t end,
                                    _PyFormatSpec *f, Py_UCS4 default_type,
                                    Py_UCS4 default_align);
/* Render into a writer: 0 or -1 with an exception. */
PyAPI_FUNC(int) _PyFormat_String(_PyUnicodeWriter *w, PyObject *str,
                                 const _PyFormatSpec *f);
PyAPI_FUNC(int) _PyFormat_Long(_PyUnicodeWriter *w, PyObject *v,
                               const _PyFormatSpec *f);
PyAPI_FUNC(int) _PyFormat_Double(_PyUnicodeWriter *w, PyObject *obj,
                                 double val, const _PyFormatSpec *f);

/* format(obj, spec) for the exact types (new references). */
PyAPI_FUNC(PyObject *) _PyUnicode_FormatSpec(PyObject *str, PyObject *spec);
PyAPI_FUNC(PyObject *) _PyLong_FormatSpec(PyObject *v, PyObject *spec);
PyAPI_FUNC(PyObject *) _PyFloat_FormatSpec(PyObject *v, PyObject *spec);

/* str.format(*args, **kwargs) with kwargs a dict or a mapping (format_map);
   new reference. */
PyAPI_FUNC(PyObject *) _PyUnicode_FormatMethod(PyObject *self,
                                               PyObject *args,
                                               PyObject *mapping);

#endif /* !Py_INTERNAL_FORMATTER_H */
