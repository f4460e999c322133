/* The _string module: the two parsers string.Formatter is built on.
 *
 *   formatter_parser(s) iterates over (literal, field_name, format_spec,
 *   conversion) tuples for the replacement fields of a str.format()
 *   template;
 *   formatter_field_name_split(name) splits "0.attr[key]" into its first
 *   part and an iterator of (is_attribute, key) pairs.
 *
 * Both follow the grammar and error messages of str.format() in Python
 * 3.11.  The str.format() implementation in Objects/unicode/strformat.c
 * parses while it renders and has no reusable entry point, so the
 * scanning is done here over the immutable str.
 *
 * Thread safety: the two iterator types hold an immutable str and a
 * position; next() reads and advances the position in a critical
 * section on the iterator, so a shared iterator never tears its state
 * (two threads each get a different field).  The module has no mutable
 * C state. */
#include "Python.h"
#include "pycore_critical_section.h"

/* ------------------------------------------------------------------ */
/* Shared helpers                                                      */

/* Require an exact or subclassed str.  0, or -1 with TypeError. */
static int
check_str(PyObject *obj)
{
    if (!PyUnicode_Check(obj)) {
        PyErr_Format(PyExc_TypeError, "expected str, got %s",
                     Py_TYPE(obj)->tp_name);
        return -1;
    }
    return 0;
}

/* s[start:end] as an exact str.  New reference. */
static PyObject *
substr(PyObject *s, Py_ssize_t start, Py_ssize_t end)
{
    return PyUnicode_Substring(s, start, end);
}

/* The value of s[start:end] if it is a non-empty run of decimal digits
 * (any script), as an int; -1 if it is not all digits; -2 with
 * ValueError if it does not fit a Py_ssize_t. */
static Py_ssize_t
decimal_value(PyObject *s, Py_ssize_t start, Py_ssize_t end)
{
    if (start >= end) {
        return -1;
    }
    Py_ssize_t v = 0;
    for (Py_ssize_t i = start; i < end; i++) {
        int d = Py_UNICODE_TODECIMAL(PyUnicode_READ_CHAR(s, i));
        if (d < 0) {
            return -1;
        }
        if (v > (PY_SSIZE_T_MAX - d) / 10) {
            PyErr_SetString(PyExc_ValueError,
                            "Too many decimal digits in format string");
            return -2;
        }
        v = v * 10 + d;
    }
    return v;
}

/* s[start:end] as an int if it is all digits, else as a str.  New
 * reference, NULL with an error. */
static PyObject *
int_or_str(PyObject *s, Py_ssize_t start, Py_ssize_t end)
{
    Py_ssize_t v = decimal_value(s, start, end);
    if (v == -2) {
        return NULL;
    }
    if (v >= 0) {
        return PyLong_FromSsize_t(v);
    }
    return substr(s, start, end);
}

/* ------------------------------------------------------------------ */
/* formatteriterator                                                   */

typedef struct {
    PyObject_HEAD
    PyObject *str;          /* the template (owned, immutable) */
    Py_ssize_t pos;         /* next character to scan */
    Py_ssize_t end;
} formatteriterobject;

/* One parsed replacement field, as offsets into the template. */
typedef struct {
    Py_ssize_t name_start, name_end;
    Py_ssize_t spec_start, spec_end;    /* spec_start < 0: no spec */
    Py_UCS4 conversion;                 /* 0: none */
} field_parts;

/* Parse the field after a '{' starting at *pos: name, then '!c', then
 * ':spec' with nested braces, up to the closing '}'.  *pos moves past
 * what was consumed, also on error.  0, or -1 with ValueError. */
static int
parse_field(PyObject *s, Py_ssize_t *pos, Py_ssize_t end, field_parts *f)
{
    Py_ssize_t i = *pos;
    Py_UCS4 c = 0;
    f->name_start = i;
    f->spec_start = -1;
    f->conversion = 0;
    while (i < end) {
        c = PyUnicode_READ_CHAR(s, i++);
        if (c == '{') {
            *pos = i;
            PyErr_SetString(PyExc_ValueError,
                            "unexpected '{' in field name");
            return -1;
        }
        if (c == '[') {
            /* An index may hold any character up to its ']'. */
            while (i < end && PyUnicode_READ_CHAR(s, i) != ']') {
                i++;
            }
            continue;
        }
        if (c == '}' || c == ':' || c == '!') {
            break;
        }
    }
    f->name_end = i - 1;
    if (c == '!' || c == ':') {
        if (c == '!') {
            if (i >= end) {
                *pos = i;
                PyErr_SetString(PyExc_ValueError, "end of string while "
                                "looking for conversion specifier");
                return -1;
            }
            f->conversion = PyUnicode_READ_CHAR(s, i++);
            if (i < end) {
                c = PyUnicode_READ_CHAR(s, i++);
                if (c == '}') {
                    *pos = i;
                    return 0;
                }
                if (c != ':') {
                    *pos = i;
                    PyErr_SetString(PyExc_ValueError, "expected ':' after "
                                    "conversion specifier");
                    return -1;
                }
            }
        }
        /* The spec runs to the '}' that balances the field's '{'. */
        f->spec_start = i;
        int depth = 1;
        while (i < end) {
            c = PyUnicode_READ_CHAR(s, i++);
            if (c == '{') {
                depth++;
            }
            else if (c == '}' && --depth == 0) {
                f->spec_end = i - 1;
                *pos = i;
                return 0;
            }
        }
        *pos = i;
        PyErr_SetString(PyExc_ValueError, "unmatched '{' in format spec");
        return -1;
    }
    *pos = i;
    if (c != '}') {
        PyErr_SetString(PyExc_ValueError,
                        "expected '}' before end of string");
        return -1;
    }
    return 0;
}

/* Build the (literal, name, spec, conversion) tuple.  New reference. */
static PyObject *
build_item(PyObject *s, Py_ssize_t lit_start, Py_ssize_t lit_end,
           int has_field, const field_parts *f)
{
    PyObject *literal = substr(s, lit_start, lit_end);
    if (literal == NULL) {
        return NULL;
    }
    if (!has_field) {
        return Py_BuildValue("(NOOO)", literal, Py_None, Py_None, Py_None);
    }
    PyObject *name = substr(s, f->name_start, f->name_end);
    PyObject *spec = f->spec_start < 0 ? PyUnicode_FromString("")
                                       : substr(s, f->spec_start, f->spec_end);
    PyObject *conv = f->conversion ? PyUnicode_FromOrdinal((int)f->conversion)
                                   : Py_NewRef(Py_None);
    if (name == NULL || spec == NULL || conv == NULL) {
        Py_DECREF(literal);
        Py_XDECREF(name);
        Py_XDECREF(spec);
        Py_XDECREF(conv);
        return NULL;
    }
    return Py_BuildValue("(NNNN)", literal, name, spec, conv);
}

/* Scan one literal run and the field after it, from it->pos.  Returns a
 * new tuple, NULL with StopIteration semantics (no error) at the end,
 * or NULL with ValueError.  Critical section on it held. */
static PyObject *
formatteriter_step(formatteriterobject *it)
{
    PyObject *s = it->str;
    Py_ssize_t end = it->end;
    Py_ssize_t start = it->pos;
    if (start >= end) {
        return NULL;
    }
    Py_ssize_t i = start;
    Py_UCS4 c = 0;
    int markup = 0;
    while (i < end) {
        c = PyUnicode_READ_CHAR(s, i++);
        if (c == '{' || c == '}') {
            markup = 1;
            break;
        }
    }
    int at_end = i >= end;
    Py_ssize_t lit_end = i;
    it->pos = i;
    if (markup && c == '}' &&
        (at_end || PyUnicode_READ_CHAR(s, i) != '}')) {
        PyErr_SetString(PyExc_ValueError,
                        "Single '}' encountered in format string");
        return NULL;
    }
    if (markup && c == '{' && at_end) {
        PyErr_SetString(PyExc_ValueError,
                        "Single '{' encountered in format string");
        return NULL;
    }
    if (markup) {
        if (PyUnicode_READ_CHAR(s, i) == c) {
            /* A doubled brace: keep one in the literal, no field. */
            it->pos = i + 1;
            markup = 0;
        }
        else {
            lit_end = i - 1;
        }
    }
    field_parts f;
    if (markup && parse_field(s, &it->pos, end, &f) < 0) {
        return NULL;
    }
    return build_item(s, start, lit_end, markup, &f);
}

/* tp_iternext: one step under the iterator's lock.  New reference. */
static PyObject *
formatteriter_next(PyObject *self)
{
    formatteriterobject *it = (formatteriterobject *)self;
    PyObject *res;
    Py_BEGIN_CRITICAL_SECTION(it);
    res = formatteriter_step(it);
    Py_END_CRITICAL_SECTION();
    return res;
}

static void
formatteriter_dealloc(PyObject *self)
{
    Py_XDECREF(((formatteriterobject *)self)->str);
    Py_TYPE(self)->tp_free(self);
}

static PyTypeObject formatteriter_type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "formatteriterator",
    .tp_basicsize = sizeof(formatteriterobject),
    .tp_dealloc = formatteriter_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = formatteriter_next,
    .tp_free = PyObject_Free,
};

/* formatter_parser(s): an iterator over the fields of s.  New ref. */
static PyObject *
string_formatter_parser(PyObject *m, PyObject *s)
{
    if (check_str(s) < 0) {
        return NULL;
    }
    formatteriterobject *it = PyObject_New(formatteriterobject,
                                           &formatteriter_type);
    if (it == NULL) {
        return NULL;
    }
    it->str = Py_NewRef(s);
    it->pos = 0;
    it->end = PyUnicode_GET_LENGTH(s);
    return (PyObject *)it;
}

/* ------------------------------------------------------------------ */
/* fieldnameiterator                                                   */

typedef struct {
    PyObject_HEAD
    PyObject *str;          /* the field name (owned, immutable) */
    Py_ssize_t pos;         /* at a '.' or '[' or the end */
    Py_ssize_t end;
} fieldnameiterobject;

/* Parse one ".name" or "[key]" at it->pos.  New (is_attr, key) tuple,
 * NULL without error at the end, NULL with ValueError.  Critical
 * section on it held. */
static PyObject *
fieldnameiter_step(fieldnameiterobject *it)
{
    PyObject *s = it->str;
    Py_ssize_t end = it->end;
    Py_ssize_t i = it->pos;
    if (i >= end) {
        return NULL;
    }
    Py_UCS4 c = PyUnicode_READ_CHAR(s, i++);
    Py_ssize_t start = i;
    int is_attr;
    if (c == '.') {
        is_attr = 1;
        while (i < end) {
            c = PyUnicode_READ_CHAR(s, i);
            if (c == '.' || c == '[') {
                break;
            }
            i++;
        }
        it->pos = i;
    }
    else if (c == '[') {
        is_attr = 0;
        while (i < end && PyUnicode_READ_CHAR(s, i) != ']') {
            i++;
        }
        if (i >= end) {
            it->pos = i;
            PyErr_SetString(PyExc_ValueError,
                            "Missing ']' in format string");
            return NULL;
        }
        it->pos = i + 1;
    }
    else {
        /* Text right after a ']': reported when reached. */
        it->pos = i;
        PyErr_SetString(PyExc_ValueError, "Only '.' or '[' may "
                        "follow ']' in format field specifier");
        return NULL;
    }
    if (start == i) {
        PyErr_SetString(PyExc_ValueError,
                        "Empty attribute in format string");
        return NULL;
    }
    PyObject *key = is_attr ? substr(s, start, i) : int_or_str(s, start, i);
    if (key == NULL) {
        return NULL;
    }
    return Py_BuildValue("(ON)", is_attr ? Py_True : Py_False, key);
}

/* tp_iternext: one step under the iterator's lock.  New reference. */
static PyObject *
fieldnameiter_next(PyObject *self)
{
    fieldnameiterobject *it = (fieldnameiterobject *)self;
    PyObject *res;
    Py_BEGIN_CRITICAL_SECTION(it);
    res = fieldnameiter_step(it);
    Py_END_CRITICAL_SECTION();
    return res;
}

static void
fieldnameiter_dealloc(PyObject *self)
{
    Py_XDECREF(((fieldnameiterobject *)self)->str);
    Py_TYPE(self)->tp_free(self);
}

static PyTypeObject fieldnameiter_type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "fieldnameiterator",
    .tp_basicsize = sizeof(fieldnameiterobject),
    .tp_dealloc = fieldnameiter_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = fieldnameiter_next,
    .tp_free = PyObject_Free,
};

/* formatter_field_name_split(name): (first, iterator over the rest).
 * The first part is parsed now, the rest lazily.  New reference. */
static PyObject *
string_formatter_field_name_split(PyObject *m, PyObject *s)
{
    if (check_str(s) < 0) {
        return NULL;
    }
    Py_ssize_t end = PyUnicode_GET_LENGTH(s);
    Py_ssize_t i = 0;
    while (i < end) {
        Py_UCS4 c = PyUnicode_READ_CHAR(s, i);
        if (c == '.' || c == '[') {
            break;
        }
        i++;
    }
    PyObject *first = int_or_str(s, 0, i);
    if (first == NULL) {
        return NULL;
    }
    fieldnameiterobject *it = PyObject_New(fieldnameiterobject,
                                           &fieldnameiter_type);
    if (it == NULL) {
        Py_DECREF(first);
        return NULL;
    }
    it->str = Py_NewRef(s);
    it->pos = i;
    it->end = end;
    return Py_BuildValue("(NN)", first, (PyObject *)it);
}

/* ------------------------------------------------------------------ */
/* Module                                                              */

static PyMethodDef string_methods[] = {
    {"formatter_field_name_split", string_formatter_field_name_split,
     METH_O, "split the argument as a field name"},
    {"formatter_parser", string_formatter_parser, METH_O,
     "parse the argument as a format string"},
    {NULL}
};

static PyModuleDef string_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_string",
    .m_doc = "string helper module",
    .m_size = 0,
    .m_methods = string_methods,
};

/* Create the _string module.  Returns a new reference. */
PyMODINIT_FUNC
PyInit__string(void)
{
    if (PyType_Ready(&formatteriter_type) < 0 ||
        PyType_Ready(&fieldnameiter_type) < 0) {
        return NULL;
    }
    return PyModule_Create(&string_module);
}
