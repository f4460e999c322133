/* The _codecs module: the registry functions and the built-in codecs as
 * the `encodings` package and codecs.py call them (Python 3.11 names and
 * signatures).  Decoders return (str, bytes consumed), encoders (bytes,
 * characters consumed).
 *
 * Module state: none.  The registries live in Python/codecs.c, which
 * documents their locking; every function here works on its arguments
 * only. */
#include "Python.h"
#include "pycore_codecs.h"
#include "pycore_unicodeobject.h"

/* ------------------------------------------------------ registry */

/* register(search_function, /) */
static PyObject *
codecs_register(PyObject *module, PyObject *search_function)
{
    if (PyCodec_Register(search_function) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* unregister(search_function, /) */
static PyObject *
codecs_unregister(PyObject *module, PyObject *search_function)
{
    if (PyCodec_Unregister(search_function) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* The UTF-8 of a str argument, with the messages of 3.11's argument
   clinic for a single positional-only str parameter. */
static const char *
str_arg(PyObject *arg, const char *fname)
{
    if (!PyUnicode_Check(arg)) {
        PyErr_Format(PyExc_TypeError, "%s() argument must be str, not %.50s",
                     fname, arg == Py_None ? "None" : Py_TYPE(arg)->tp_name);
        return NULL;
    }
    Py_ssize_t len;
    const char *s = PyUnicode_AsUTF8AndSize(arg, &len);
    if (s != NULL && strlen(s) != (size_t)len) {
        PyErr_SetString(PyExc_ValueError, "embedded null character");
        return NULL;
    }
    return s;
}

/* lookup(encoding, /): the CodecInfo (new reference). */
static PyObject *
codecs_lookup(PyObject *module, PyObject *arg)
{
    const char *encoding = str_arg(arg, "lookup");
    if (encoding == NULL) {
        return NULL;
    }
    return _PyCodec_Lookup(encoding);
}

/* encode(obj, encoding='utf-8', errors='strict') and decode(...). */
static PyObject *
codecs_encode_decode(PyObject *args, PyObject *kwds, int encode)
{
    static char *kwlist[] = {"obj", "encoding", "errors", NULL};
    PyObject *obj;
    const char *encoding = "utf-8", *errors = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwds,
                                     encode ? "O|ss:encode" : "O|ss:decode",
                                     kwlist, &obj, &encoding, &errors)) {
        return NULL;
    }
    return encode ? PyCodec_Encode(obj, encoding, errors)
                  : PyCodec_Decode(obj, encoding, errors);
}

static PyObject *
codecs_encode(PyObject *module, PyObject *args, PyObject *kwds)
{
    return codecs_encode_decode(args, kwds, 1);
}

static PyObject *
codecs_decode(PyObject *module, PyObject *args, PyObject *kwds)
{
    return codecs_encode_decode(args, kwds, 0);
}

/* register_error(errors, handler, /) */
static PyObject *
codecs_register_error(PyObject *module, PyObject *args)
{
    const char *name;
    PyObject *handler;
    if (!PyArg_ParseTuple(args, "sO:register_error", &name, &handler)) {
        return NULL;
    }
    if (PyCodec_RegisterError(name, handler) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* lookup_error(name, /) */
static PyObject *
codecs_lookup_error(PyObject *module, PyObject *arg)
{
    const char *name = str_arg(arg, "lookup_error");
    if (name == NULL) {
        return NULL;
    }
    return PyCodec_LookupError(name);
}

/* ------------------------------------------------------ result helpers */

/* (decoded, consumed); steals `decoded`. */
static PyObject *
decode_result(PyObject *decoded, Py_ssize_t consumed)
{
    if (decoded == NULL) {
        return NULL;
    }
    return Py_BuildValue("(Nn)", decoded, consumed);
}

/* (encoded, len(str)); steals `encoded`. */
static PyObject *
encode_result(PyObject *encoded, PyObject *str)
{
    if (encoded == NULL) {
        return NULL;
    }
    return Py_BuildValue("(Nn)", encoded, PyUnicode_GET_LENGTH(str));
}

/* ------------------------------------------------------ decoders */

/* The decoders with the (data, errors=None, final=False) signature. */
typedef PyObject *(*stateful_decoder)(const char *, Py_ssize_t, const char *,
                                      Py_ssize_t *);

static PyObject *
decode_stateful(PyObject *args, const char *format, stateful_decoder fn,
                int final_default)
{
    Py_buffer data;
    const char *errors = NULL;
    int final = final_default;
    if (!PyArg_ParseTuple(args, format, &data, &errors, &final)) {
        return NULL;
    }
    Py_ssize_t consumed = data.len;
    PyObject *res = fn(data.buf, data.len, errors, final ? NULL : &consumed);
    PyBuffer_Release(&data);
    return decode_result(res, consumed);
}

#define STATEFUL_DECODER(NAME, FN, FMT, FINAL)                          \
    static PyObject *                                                   \
    codecs_##NAME(PyObject *module, PyObject *args)                     \
    {                                                                   \
        return decode_stateful(args, FMT ":" #NAME, FN, FINAL);         \
    }

STATEFUL_DECODER(utf_8_decode, PyUnicode_DecodeUTF8Stateful, "y*|zi", 0)
STATEFUL_DECODER(utf_7_decode, PyUnicode_DecodeUTF7Stateful, "y*|zi", 0)
STATEFUL_DECODER(unicode_escape_decode,
                 _PyUnicode_DecodeUnicodeEscapeStateful, "s*|zi", 1)
STATEFUL_DECODER(raw_unicode_escape_decode,
                 _PyUnicode_DecodeRawUnicodeEscapeStateful, "s*|zi", 1)

/* UTF-16/32 with a fixed (or detected) byte order. */
static PyObject *
decode_utf16_32(PyObject *args, const char *format, int byteorder,
                int width)
{
    Py_buffer data;
    const char *errors = NULL;
    int final = 0;
    if (!PyArg_ParseTuple(args, format, &data, &errors, &final)) {
        return NULL;
    }
    Py_ssize_t consumed = data.len;
    Py_ssize_t *pc = final ? NULL : &consumed;
    PyObject *res = width == 2
        ? PyUnicode_DecodeUTF16Stateful(data.buf, data.len, errors,
                                        &byteorder, pc)
        : PyUnicode_DecodeUTF32Stateful(data.buf, data.len, errors,
                                        &byteorder, pc);
    PyBuffer_Release(&data);
    return decode_result(res, consumed);
}

#define UTF_DECODER(NAME, BO, WIDTH)                                    \
    static PyObject *                                                   \
    codecs_##NAME(PyObject *module, PyObject *args)                     \
    {                                                                   \
        return decode_utf16_32(args, "y*|zi:" #NAME, BO, WIDTH);        \
    }

UTF_DECODER(utf_16_decode, 0, 2)
UTF_DECODER(utf_16_le_decode, -1, 2)
UTF_DECODER(utf_16_be_decode, 1, 2)
UTF_DECODER(utf_32_decode, 0, 4)
UTF_DECODER(utf_32_le_decode, -1, 4)
UTF_DECODER(utf_32_be_decode, 1, 4)

/* utf_16_ex_decode(data, errors=None, byteorder=0, final=False):
   (str, consumed, detected byte order). */
static PyObject *
decode_utf_ex(PyObject *args, const char *format, int width)
{
    Py_buffer data;
    const char *errors = NULL;
    int byteorder = 0, final = 0;
    if (!PyArg_ParseTuple(args, format, &data, &errors, &byteorder,
                          &final)) {
        return NULL;
    }
    Py_ssize_t consumed = data.len;
    Py_ssize_t *pc = final ? NULL : &consumed;
    PyObject *res = width == 2
        ? PyUnicode_DecodeUTF16Stateful(data.buf, data.len, errors,
                                        &byteorder, pc)
        : PyUnicode_DecodeUTF32Stateful(data.buf, data.len, errors,
                                        &byteorder, pc);
    PyBuffer_Release(&data);
    if (res == NULL) {
        return NULL;
    }
    return Py_BuildValue("(Nni)", res, consumed, byteorder);
}

static PyObject *
codecs_utf_16_ex_decode(PyObject *module, PyObject *args)
{
    return decode_utf_ex(args, "y*|zii:utf_16_ex_decode", 2);
}

static PyObject *
codecs_utf_32_ex_decode(PyObject *module, PyObject *args)
{
    return decode_utf_ex(args, "y*|zii:utf_32_ex_decode", 4);
}

/* latin_1_decode / ascii_decode (data, errors=None). */
static PyObject *
decode_simple(PyObject *args, const char *format,
              PyObject *(*fn)(const char *, Py_ssize_t, const char *))
{
    Py_buffer data;
    const char *errors = NULL;
    if (!PyArg_ParseTuple(args, format, &data, &errors)) {
        return NULL;
    }
    PyObject *res = fn(data.buf, data.len, errors);
    Py_ssize_t n = data.len;
    PyBuffer_Release(&data);
    return decode_result(res, n);
}

static PyObject *
codecs_latin_1_decode(PyObject *module, PyObject *args)
{
    return decode_simple(args, "y*|z:latin_1_decode", PyUnicode_DecodeLatin1);
}

static PyObject *
codecs_ascii_decode(PyObject *module, PyObject *args)
{
    return decode_simple(args, "y*|z:ascii_decode", PyUnicode_DecodeASCII);
}

/* charmap_decode(data, errors=None, mapping=None, /) */
static PyObject *
codecs_charmap_decode(PyObject *module, PyObject *args)
{
    Py_buffer data;
    const char *errors = NULL;
    PyObject *mapping = Py_None;
    if (!PyArg_ParseTuple(args, "y*|zO:charmap_decode", &data, &errors,
                          &mapping)) {
        return NULL;
    }
    PyObject *res = PyUnicode_DecodeCharmap(data.buf, data.len,
                                            mapping == Py_None ? NULL
                                                               : mapping,
                                            errors);
    Py_ssize_t n = data.len;
    PyBuffer_Release(&data);
    return decode_result(res, n);
}

/* escape_decode(data, errors=None, /): bytes escapes to bytes. */
static PyObject *
codecs_escape_decode(PyObject *module, PyObject *args)
{
    Py_buffer data;
    const char *errors = NULL;
    if (!PyArg_ParseTuple(args, "s*|z:escape_decode", &data, &errors)) {
        return NULL;
    }
    PyObject *res = PyBytes_DecodeEscape(data.buf, data.len, errors, 0,
                                         NULL);
    Py_ssize_t n = data.len;
    PyBuffer_Release(&data);
    return decode_result(res, n);
}

/* ------------------------------------------------------ encoders */

/* The encoders taking (str, errors=None). */
static PyObject *
encode_simple(PyObject *args, const char *format,
              PyObject *(*fn)(PyObject *, const char *))
{
    PyObject *str;
    const char *errors = NULL;
    if (!PyArg_ParseTuple(args, format, &str, &errors)) {
        return NULL;
    }
    return encode_result(fn(str, errors), str);
}

#define SIMPLE_ENCODER(NAME, FN)                                        \
    static PyObject *                                                   \
    codecs_##NAME(PyObject *module, PyObject *args)                     \
    {                                                                   \
        return encode_simple(args, "U|z:" #NAME, FN);                   \
    }

SIMPLE_ENCODER(utf_8_encode, _PyUnicode_EncodeUTF8)
SIMPLE_ENCODER(utf_7_encode, _PyUnicode_EncodeUTF7)
SIMPLE_ENCODER(latin_1_encode, _PyUnicode_AsLatin1String)
SIMPLE_ENCODER(ascii_encode, _PyUnicode_AsASCIIString)
SIMPLE_ENCODER(unicode_escape_encode, _PyUnicode_EncodeUnicodeEscape)
SIMPLE_ENCODER(raw_unicode_escape_encode, _PyUnicode_EncodeRawUnicodeEscape)

/* utf_16_encode(str, errors=None, byteorder=0) and the fixed-order
   ones. */
static PyObject *
encode_utf16_32(PyObject *args, const char *format, int byteorder,
                int width, int has_byteorder)
{
    PyObject *str;
    const char *errors = NULL;
    int ok = has_byteorder
        ? PyArg_ParseTuple(args, format, &str, &errors, &byteorder)
        : PyArg_ParseTuple(args, format, &str, &errors);
    if (!ok) {
        return NULL;
    }
    PyObject *res = width == 2
        ? _PyUnicode_EncodeUTF16(str, errors, byteorder)
        : _PyUnicode_EncodeUTF32(str, errors, byteorder);
    return encode_result(res, str);
}

#define UTF_ENCODER(NAME, BO, WIDTH, FMT, HAS_BO)                       \
    static PyObject *                                                   \
    codecs_##NAME(PyObject *module, PyObject *args)                     \
    {                                                                   \
        return encode_utf16_32(args, FMT ":" #NAME, BO, WIDTH, HAS_BO); \
    }

UTF_ENCODER(utf_16_encode, 0, 2, "U|zi", 1)
UTF_ENCODER(utf_16_le_encode, -1, 2, "U|z", 0)
UTF_ENCODER(utf_16_be_encode, 1, 2, "U|z", 0)
UTF_ENCODER(utf_32_encode, 0, 4, "U|zi", 1)
UTF_ENCODER(utf_32_le_encode, -1, 4, "U|z", 0)
UTF_ENCODER(utf_32_be_encode, 1, 4, "U|z", 0)

/* charmap_encode(str, errors=None, mapping=None, /) */
static PyObject *
codecs_charmap_encode(PyObject *module, PyObject *args)
{
    PyObject *str, *mapping = Py_None;
    const char *errors = NULL;
    if (!PyArg_ParseTuple(args, "U|zO:charmap_encode", &str, &errors,
                          &mapping)) {
        return NULL;
    }
    if (mapping == Py_None) {
        return encode_result(_PyUnicode_AsLatin1String(str, errors), str);
    }
    return encode_result(_PyUnicode_EncodeCharmap(str, mapping, errors),
                         str);
}

/* charmap_build(map, /): the EncodingMap of a 256-character str. */
static PyObject *
codecs_charmap_build(PyObject *module, PyObject *args)
{
    PyObject *map;
    if (!PyArg_ParseTuple(args, "U:charmap_build", &map)) {
        return NULL;
    }
    return PyUnicode_BuildEncodingMap(map);
}

/* escape_encode(data, errors=None, /): bytes to their escaped form. */
static PyObject *
codecs_escape_encode(PyObject *module, PyObject *args)
{
    PyObject *data;
    const char *errors = NULL;
    if (!PyArg_ParseTuple(args, "O!|z:escape_encode", &PyBytes_Type, &data,
                          &errors)) {
        return NULL;
    }
    return Py_BuildValue("(Nn)", _PyBytes_EscapeEncode(data),
                         PyBytes_GET_SIZE(data));
}

/* readbuffer_encode(data, errors=None, /): the raw bytes of a buffer
   (str as UTF-8). */
static PyObject *
codecs_readbuffer_encode(PyObject *module, PyObject *args)
{
    Py_buffer data;
    const char *errors = NULL;
    if (!PyArg_ParseTuple(args, "s*|z:readbuffer_encode", &data, &errors)) {
        return NULL;
    }
    PyObject *res = PyBytes_FromStringAndSize(data.buf, data.len);
    Py_ssize_t n = data.len;
    PyBuffer_Release(&data);
    return decode_result(res, n);
}

/* ------------------------------------------------------ module */

#define MA(NAME, DOC) {#NAME, codecs_##NAME, METH_VARARGS, DOC}
#define MO(NAME, DOC) {#NAME, codecs_##NAME, METH_O, DOC}
#define MK(NAME, DOC) \
    {#NAME, _PyCFunction_CAST(codecs_##NAME), METH_VARARGS | METH_KEYWORDS, \
     DOC}

static PyMethodDef codecs_methods[] = {
    MO(register,
       "register($module, search_function, /)\n--\n\n"
       "Register a codec search function.\n\n"
       "Search functions are expected to take one argument, the encoding "
       "name in\nall lower case letters, and either return None, or a "
       "tuple of functions\n(encoder, decoder, stream_reader, "
       "stream_writer) (or a CodecInfo object)."),
    MO(unregister,
       "unregister($module, search_function, /)\n--\n\n"
       "Unregister a codec search function and clear the registry's "
       "cache.\n\nIf the search function is not registered, do nothing."),
    MO(lookup,
       "lookup($module, encoding, /)\n--\n\n"
       "Looks up a codec tuple in the Python codec registry and returns a "
       "CodecInfo object."),
    MK(encode,
       "encode($module, /, obj, encoding='utf-8', errors='strict')\n--\n\n"
       "Encodes obj using the codec registered for encoding."),
    MK(decode,
       "decode($module, /, obj, encoding='utf-8', errors='strict')\n--\n\n"
       "Decodes obj using the codec registered for encoding."),
    MA(escape_encode, NULL),
    MA(escape_decode, NULL),
    MA(utf_8_encode, NULL),
    MA(utf_8_decode, NULL),
    MA(utf_7_encode, NULL),
    MA(utf_7_decode, NULL),
    MA(utf_16_encode, NULL),
    MA(utf_16_le_encode, NULL),
    MA(utf_16_be_encode, NULL),
    MA(utf_16_decode, NULL),
    MA(utf_16_le_decode, NULL),
    MA(utf_16_be_decode, NULL),
    MA(utf_16_ex_decode, NULL),
    MA(utf_32_encode, NULL),
    MA(utf_32_le_encode, NULL),
    MA(utf_32_be_encode, NULL),
    MA(utf_32_decode, NULL),
    MA(utf_32_le_decode, NULL),
    MA(utf_32_be_decode, NULL),
    MA(utf_32_ex_decode, NULL),
    MA(unicode_escape_encode, NULL),
    MA(unicode_escape_decode, NULL),
    MA(raw_unicode_escape_encode, NULL),
    MA(raw_unicode_escape_decode, NULL),
    MA(latin_1_encode, NULL),
    MA(latin_1_decode, NULL),
    MA(ascii_encode, NULL),
    MA(ascii_decode, NULL),
    MA(charmap_encode, NULL),
    MA(charmap_decode, NULL),
    MA(charmap_build, NULL),
    MA(readbuffer_encode, NULL),
    MA(register_error,
       "register_error($module, errors, handler, /)\n--\n\n"
       "Register the specified error handler under the name errors."),
    MO(lookup_error,
       "lookup_error($module, name, /)\n--\n\n"
       "lookup_error(errors) -> handler\n\n"
       "Return the error handler for the specified error handling name or "
       "raise a\nLookupError, if no handler exists under this name."),
    {NULL, NULL, 0, NULL}
};

static PyModuleDef codecs_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_codecs",
    .m_doc = NULL,
    .m_size = 0,
    .m_methods = codecs_methods,
};

/* Creates the _codecs module (new reference). */
PyMODINIT_FUNC
PyInit__codecs(void)
{
    return PyModule_Create(&codecs_module);
}
