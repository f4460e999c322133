/* The unicodedata module: Python access to the Unicode character database
 * (Unicode 14.0.0, as in CPython 3.11), and the object ucd_3_2_0 that
 * answers the same questions with Unicode 3.2.0 data (encodings.idna and
 * stringprep use it).
 *
 * Every answer comes from the runtime's own database
 * (Include/internal/pycore_unicodectype.h); this file only parses
 * arguments, picks the database and builds result objects.
 *
 * Thread safety: the tables are read-only static data and the only
 * module-level object (ucd_3_2_0) is created once per module object and
 * never mutated afterwards; UCD objects are immutable.  Nothing locks. */
#include "Python.h"
#include "structmember.h"
#include "pycore_unicodectype.h"

/* The UCD type: one instance, unicodedata.ucd_3_2_0. */
typedef struct {
    PyObject_HEAD
    const char *version;    /* static string, "3.2.0" */
} UCDObject;

static PyTypeObject UCD_Type;

/* Which database a method called on self answers from: module-level
 * functions get the module as self (current database), UCD methods a
 * UCD object (3.2.0). */
static int
ucd_of(PyObject *self)
{
    if (self != NULL && PyObject_TypeCheck(self, &UCD_Type)) {
        return _PyUnicode_UCD_3_2_0;
    }
    return _PyUnicode_UCD_CURRENT;
}

/* Extract the single code point of arg (a str of length 1) into *ch.
 * fname and argnum shape the message exactly as 3.11 does ("argument 1"
 * for functions taking a default, plain "argument" otherwise).
 * 0, or -1 with TypeError.  arg is borrowed. */
static int
get_char(PyObject *arg, const char *fname, int numbered, Py_UCS4 *ch)
{
    if (!PyUnicode_Check(arg) || PyUnicode_GET_LENGTH(arg) != 1) {
        PyErr_Format(PyExc_TypeError,
                     "%s() argument%s must be a unicode character, not %.50s",
                     fname, numbered ? " 1" : "",
                     arg == Py_None ? "None" : Py_TYPE(arg)->tp_name);
        return -1;
    }
    *ch = PyUnicode_READ_CHAR(arg, 0);
    return 0;
}

/* One-argument functions take exactly one positional argument; the
 * message names the module or the UCD type as 3.11's does.  0 or -1. */
static int
check_one_arg(PyObject *self, Py_ssize_t nargs, const char *fname)
{
    if (nargs != 1) {
        PyErr_Format(PyExc_TypeError,
                     "%s.%s() takes exactly one argument (%zd given)",
                     ucd_of(self) == _PyUnicode_UCD_3_2_0 ? "UCD"
                                                          : "unicodedata",
                     fname, nargs);
        return -1;
    }
    return 0;
}

/* One-argument functions: the code point of the single argument, or -1
 * with an error (code points are < 0x110000, so -1 is unambiguous). */
static long
one_char(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
         const char *fname)
{
    Py_UCS4 ch;
    if (check_one_arg(self, nargs, fname) < 0
        || get_char(args[0], fname, 0, &ch) < 0) {
        return -1;
    }
    return (long)ch;
}

/* decimal/digit/numeric/name share (chr, default=<none>, /): parse
 * them.  *dflt is borrowed or NULL.  0, or -1 with an error. */
static int
parse_char_default(PyObject *const *args, Py_ssize_t nargs,
                   const char *fname, Py_UCS4 *ch, PyObject **dflt)
{
    if (!_PyArg_CheckPositional(fname, nargs, 1, 2)) {
        return -1;
    }
    if (get_char(args[0], fname, 1, ch) < 0) {
        return -1;
    }
    *dflt = nargs > 1 ? args[1] : NULL;
    return 0;
}

/* Return default (new reference) when given, else raise ValueError msg. */
static PyObject *
default_or_error(PyObject *dflt, const char *msg)
{
    if (dflt == NULL) {
        PyErr_SetString(PyExc_ValueError, msg);
        return NULL;
    }
    return Py_NewRef(dflt);
}

/* unicodedata.decimal(chr[, default]).  New reference. */
static PyObject *
ud_decimal(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    Py_UCS4 ch;
    PyObject *dflt;
    if (parse_char_default(args, nargs, "decimal", &ch, &dflt) < 0) {
        return NULL;
    }
    int v = _PyUnicodeData_Decimal(ucd_of(self), ch);
    if (v < 0) {
        return default_or_error(dflt, "not a decimal");
    }
    return PyLong_FromLong(v);
}

/* unicodedata.digit(chr[, default]).  New reference. */
static PyObject *
ud_digit(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    Py_UCS4 ch;
    PyObject *dflt;
    if (parse_char_default(args, nargs, "digit", &ch, &dflt) < 0) {
        return NULL;
    }
    int v = _PyUnicodeData_Digit(ucd_of(self), ch);
    if (v < 0) {
        return default_or_error(dflt, "not a digit");
    }
    return PyLong_FromLong(v);
}

/* unicodedata.numeric(chr[, default]).  New reference. */
static PyObject *
ud_numeric(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    Py_UCS4 ch;
    PyObject *dflt;
    if (parse_char_default(args, nargs, "numeric", &ch, &dflt) < 0) {
        return NULL;
    }
    double v;
    if (!_PyUnicodeData_Numeric(ucd_of(self), ch, &v)) {
        return default_or_error(dflt, "not a numeric character");
    }
    return PyFloat_FromDouble(v);
}

/* unicodedata.category(chr).  New reference. */
static PyObject *
ud_category(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    long ch = one_char(self, args, nargs, "category");
    if (ch < 0) {
        return NULL;
    }
    return PyUnicode_FromString(_PyUnicodeData_Category(ucd_of(self),
                                                        (Py_UCS4)ch));
}

/* unicodedata.bidirectional(chr).  New reference. */
static PyObject *
ud_bidirectional(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    long ch = one_char(self, args, nargs, "bidirectional");
    if (ch < 0) {
        return NULL;
    }
    return PyUnicode_FromString(_PyUnicodeData_Bidirectional(ucd_of(self),
                                                             (Py_UCS4)ch));
}

/* unicodedata.east_asian_width(chr).  New reference. */
static PyObject *
ud_east_asian_width(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    long ch = one_char(self, args, nargs, "east_asian_width");
    if (ch < 0) {
        return NULL;
    }
    return PyUnicode_FromString(
        _PyUnicodeData_EastAsianWidth(ucd_of(self), (Py_UCS4)ch));
}

/* unicodedata.combining(chr).  New reference. */
static PyObject *
ud_combining(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    long ch = one_char(self, args, nargs, "combining");
    if (ch < 0) {
        return NULL;
    }
    return PyLong_FromLong(_PyUnicodeData_Combining(ucd_of(self),
                                                    (Py_UCS4)ch));
}

/* unicodedata.mirrored(chr).  New reference. */
static PyObject *
ud_mirrored(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    long ch = one_char(self, args, nargs, "mirrored");
    if (ch < 0) {
        return NULL;
    }
    return PyLong_FromLong(_PyUnicodeData_Mirrored(ucd_of(self),
                                                   (Py_UCS4)ch));
}

/* unicodedata.decomposition(chr).  New reference. */
static PyObject *
ud_decomposition(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    char buf[_PyUnicode_DECOMP_BUFSIZE];
    long ch = one_char(self, args, nargs, "decomposition");
    if (ch < 0) {
        return NULL;
    }
    size_t n = _PyUnicodeData_Decomposition(ucd_of(self), (Py_UCS4)ch, buf);
    return PyUnicode_FromStringAndSize(buf, (Py_ssize_t)n);
}

/* unicodedata.name(chr[, default]).  New reference. */
static PyObject *
ud_name(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    char buf[_PyUnicode_NAME_MAXLEN + 1];
    Py_UCS4 ch;
    PyObject *dflt;
    if (parse_char_default(args, nargs, "name", &ch, &dflt) < 0) {
        return NULL;
    }
    int n = _PyUnicodeData_GetName(ucd_of(self), ch, buf, sizeof(buf));
    if (n <= 0) {
        return default_or_error(dflt, "no such name");
    }
    return PyUnicode_FromStringAndSize(buf, n);
}

/* unicodedata.lookup(name): name is str or a bytes-like object.  Name
 * aliases and named sequences are found as in 3.11 (the 3.2.0 database
 * knows neither).  New reference, or KeyError. */
static PyObject *
ud_lookup(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (check_one_arg(self, nargs, "lookup") < 0) {
        return NULL;
    }
    PyObject *arg = args[0];
    const char *name;
    Py_ssize_t len;
    Py_buffer view = {0};
    if (PyUnicode_Check(arg)) {
        name = PyUnicode_AsUTF8AndSize(arg, &len);
        if (name == NULL) {
            return NULL;
        }
    }
    else {
        if (PyObject_GetBuffer(arg, &view, PyBUF_SIMPLE) < 0) {
            PyErr_Clear();
            PyErr_Format(PyExc_TypeError,
                         "a bytes-like object is required, not '%.100s'",
                         Py_TYPE(arg)->tp_name);
            return NULL;
        }
        name = view.buf;
        len = view.len;
    }
    PyObject *res = NULL;
    if (len > 256) {
        PyErr_SetString(PyExc_KeyError, "name too long");
        goto done;
    }
    Py_UCS4 out[_PyUnicode_NAMED_SEQ_MAX];
    int n = _PyUnicodeData_LookupName(ucd_of(self), name, (size_t)len,
                                      _PyUnicode_LOOKUP_SEQUENCES, out);
    if (n <= 0) {
        PyObject *s = PyUnicode_FromStringAndSize(name, len);
        if (s == NULL) {
            PyErr_Clear();
            s = PyUnicode_DecodeLatin1(name, len, NULL);
        }
        if (s != NULL) {
            PyObject *msg = PyUnicode_FromFormat(
                "undefined character name '%U'", s);
            if (msg != NULL) {
                PyErr_SetObject(PyExc_KeyError, msg);
                Py_DECREF(msg);
            }
            Py_DECREF(s);
        }
        goto done;
    }
    res = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, out, n);
done:
    if (view.obj != NULL) {
        PyBuffer_Release(&view);
    }
    return res;
}

/* Parse (form, unistr) for normalize/is_normalized: *form gets the form
 * (with the 3.2.0 flag for UCD objects), *ucs4 a PyMem copy of the
 * string (caller frees) and *n its length.  0, or -1 with an error. */
static int
parse_norm_args(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                const char *fname, int *form, Py_UCS4 **ucs4,
                Py_ssize_t *n)
{
    if (!_PyArg_CheckPositional(fname, nargs, 2, 2)) {
        return -1;
    }
    for (int i = 0; i < 2; i++) {
        if (!PyUnicode_Check(args[i])) {
            PyErr_Format(PyExc_TypeError,
                         "%s() argument %d must be str, not %.50s",
                         fname, i + 1,
                         args[i] == Py_None ? "None"
                                            : Py_TYPE(args[i])->tp_name);
            return -1;
        }
    }
    const char *fname8 = PyUnicode_AsUTF8(args[0]);
    if (fname8 == NULL) {
        return -1;
    }
    *form = _PyUnicode_NormalizationForm(fname8);
    if (*form < 0) {
        PyErr_SetString(PyExc_ValueError, "invalid normalization form");
        return -1;
    }
    if (ucd_of(self) == _PyUnicode_UCD_3_2_0) {
        *form |= _PyUnicode_NORM_UCD_3_2_0;
    }
    *n = PyUnicode_GET_LENGTH(args[1]);
    *ucs4 = PyUnicode_AsUCS4Copy(args[1]);
    return *ucs4 == NULL ? -1 : 0;
}

/* unicodedata.normalize(form, unistr).  New reference. */
static PyObject *
ud_normalize(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    int form;
    Py_UCS4 *in;
    Py_ssize_t n;
    if (parse_norm_args(self, args, nargs, "normalize", &form, &in, &n) < 0) {
        return NULL;
    }
    if (n == 0) {
        PyMem_Free(in);
        return Py_NewRef(args[1]);
    }
    Py_UCS4 *out = NULL;
    Py_ssize_t m = _PyUnicode_Normalize(form, in, n, &out);
    PyMem_Free(in);
    if (m < 0) {
        return PyErr_NoMemory();
    }
    PyObject *res = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, out, m);
    free(out);
    return res;
}

/* unicodedata.is_normalized(form, unistr).  New reference to a bool. */
static PyObject *
ud_is_normalized(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    int form;
    Py_UCS4 *in;
    Py_ssize_t n;
    if (parse_norm_args(self, args, nargs, "is_normalized", &form, &in,
                        &n) < 0) {
        return NULL;
    }
    int r = _PyUnicode_IsNormalized(form, in, n);
    PyMem_Free(in);
    if (r < 0) {
        return PyErr_NoMemory();
    }
    return PyBool_FromLong(r);
}

/* Cast a METH_FASTCALL function for a PyMethodDef. */
#define FASTCALL_FN(f) ((PyCFunction)(void (*)(void))(f))

static PyMethodDef unicodedata_functions[] = {
    {"decimal", (PyCFunction)(void (*)(void))ud_decimal, METH_FASTCALL,
     "Converts a Unicode character into its equivalent decimal value."},
    {"digit", (PyCFunction)(void (*)(void))ud_digit, METH_FASTCALL,
     "Converts a Unicode character into its equivalent digit value."},
    {"numeric", (PyCFunction)(void (*)(void))ud_numeric, METH_FASTCALL,
     "Converts a Unicode character into its equivalent numeric value."},
    {"category", (PyCFunction)(void (*)(void))ud_category, METH_FASTCALL,
     "Returns the general category assigned to the character chr as "
     "string."},
    {"bidirectional", FASTCALL_FN(ud_bidirectional), METH_FASTCALL,
     "Returns the bidirectional class assigned to the character chr as "
     "string."},
    {"combining", (PyCFunction)(void (*)(void))ud_combining, METH_FASTCALL,
     "Returns the canonical combining class assigned to the character chr "
     "as integer."},
    {"mirrored", (PyCFunction)(void (*)(void))ud_mirrored, METH_FASTCALL,
     "Returns the mirrored property assigned to the character chr as "
     "integer."},
    {"east_asian_width", FASTCALL_FN(ud_east_asian_width), METH_FASTCALL,
     "Returns the east asian width assigned to the character chr as "
     "string."},
    {"decomposition", FASTCALL_FN(ud_decomposition), METH_FASTCALL,
     "Returns the character decomposition mapping assigned to the "
     "character chr as string."},
    {"name", (PyCFunction)(void (*)(void))ud_name, METH_FASTCALL,
     "Returns the name assigned to the character chr as a string."},
    {"lookup", (PyCFunction)(void (*)(void))ud_lookup, METH_FASTCALL,
     "Look up character by name."},
    {"is_normalized", (PyCFunction)(void (*)(void))ud_is_normalized,
     METH_FASTCALL,
     "Return whether the Unicode string unistr is in the normal form "
     "'form'."},
    {"normalize", (PyCFunction)(void (*)(void))ud_normalize, METH_FASTCALL,
     "Return the normal form 'form' for the Unicode string unistr."},
    {NULL, NULL, 0, NULL}
};

static PyMemberDef ucd_members[] = {
    {"unidata_version", T_STRING, offsetof(UCDObject, version), READONLY,
     NULL},
    {NULL, 0, 0, 0, NULL}
};

/* UCD objects hold no references: just free the memory. */
static void
ucd_dealloc(PyObject *self)
{
    PyObject_Free(self);
}

static PyTypeObject UCD_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "unicodedata.UCD",
    .tp_basicsize = sizeof(UCDObject),
    .tp_dealloc = ucd_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_methods = unicodedata_functions,
    .tp_members = ucd_members,
};

/* A new UCD object answering from the database of the given version
 * (a static string).  New reference. */
static PyObject *
new_ucd(const char *version)
{
    UCDObject *self = PyObject_New(UCDObject, &UCD_Type);
    if (self == NULL) {
        return NULL;
    }
    self->version = version;
    return (PyObject *)self;
}

static struct PyModuleDef unicodedata_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "unicodedata",
    .m_doc = "This module provides access to the Unicode Character Database "
             "which\ndefines character properties for all Unicode "
             "characters. The data\ncontained in this database is based on "
             "the UnicodeData.txt file version\n"
             _PyUnicode_UNIDATA_VERSION " which is publicly available from "
             "ftp://ftp.unicode.org/.\n\nThe module uses the same names and "
             "symbols as defined by the\nUnicodeData File Format "
             _PyUnicode_UNIDATA_VERSION ".",
    .m_size = -1,
    .m_methods = unicodedata_functions,
};

/* Static types get no __module__ entry from PyType_Ready in this runtime
 * yet (CPython derives it from the dotted tp_name); add it so dir() and
 * pickling match 3.11.  Called at module init, before the type can be
 * shared.  0, or -1 with an error.  TEMPORARY until typeobject.c does it. */
static int
set_type_module(PyTypeObject *type, const char *module)
{
    if (PyDict_GetItemString(type->tp_dict, "__module__") != NULL) {
        return 0;
    }
    PyObject *name = PyUnicode_FromString(module);
    if (name == NULL) {
        return -1;
    }
    int r = PyDict_SetItemString(type->tp_dict, "__module__", name);
    Py_DECREF(name);
    return r;
}

/* Module init.  New reference. */
PyMODINIT_FUNC
PyInit_unicodedata(void)
{
    if (PyType_Ready(&UCD_Type) < 0) {
        return NULL;
    }
    if (set_type_module(&UCD_Type, "unicodedata") < 0) {
        return NULL;
    }
    /* No instances from Python code: "cannot create ... instances". */
    UCD_Type.tp_new = NULL;
    PyObject *m = PyModule_Create(&unicodedata_module);
    if (m == NULL) {
        return NULL;
    }
    if (PyModule_AddStringConstant(m, "unidata_version",
                                   _PyUnicode_UNIDATA_VERSION) < 0
        || PyModule_AddObjectRef(m, "UCD", (PyObject *)&UCD_Type) < 0
        || PyModule_AddObject(m, "ucd_3_2_0", new_ucd("3.2.0")) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
