/* The codec registry and the error-handler registry (Include/codecs.h).
 *
 * State: one process-wide registry, made on first use:
 *   search_path     list of search functions, in registration order
 *   search_cache    dict: normalised encoding name -> CodecInfo
 *   error_registry  dict: handler name -> callable
 * The three containers are created once under `init_mutex`, made immortal,
 * and published with a release store of `initialized`; the pointers never
 * change afterwards, so readers load them without a lock.
 *
 * Thread safety: the containers are ordinary list/dict objects, and every
 * operation on them here is one call of the list/dict API, which locks
 * (critical section on the container) or reads lock-free as those types
 * document.  No lock of ours is ever held while Python code runs: a lookup
 * takes a snapshot tuple of the search path, calls the functions with no
 * lock held, and publishes the result with PyDict_SetDefaultRef, so two
 * threads racing on the same new name both get the one CodecInfo that won.
 * Unregister finds and deletes the function inside one critical section on
 * the list (identity comparisons only, nothing that can run Python code),
 * then clears the cache.  Error handlers are looked up with
 * PyDict_GetItemRef (a strong reference) and called without any lock.
 *
 * The `encodings` package registers the standard search function when it
 * is imported; that import happens on the first lookup or registration
 * (`encodings_state`: 0 not started, 1 being imported by the thread whose
 * id is in `encodings_importer`, 2 done). */
#include "Python.h"
#include "pycore_object.h"
#include "pycore_critical_section.h"
#include "pycore_codecs.h"
#include "pycore_unicodectype.h"

static struct {
    PyMutex init_mutex;
    int initialized;            /* atomic: 1 once the fields are set */
    PyObject *search_path;
    PyObject *search_cache;
    PyObject *error_registry;
    int encodings_state;        /* atomic, see above */
    uintptr_t encodings_importer;   /* atomic */
} codec_registry;

static int register_builtin_handlers(PyObject *registry);

/* getattr(o, name) that treats a missing attribute as *result = NULL:
   1, 0 or -1 as _PyObject_LookupAttr. */
static int
lookup_attr_string(PyObject *o, const char *name, PyObject **result)
{
    PyObject *key = PyUnicode_FromString(name);
    if (key == NULL) {
        *result = NULL;
        return -1;
    }
    int rc = _PyObject_LookupAttr(o, key, result);
    Py_DECREF(key);
    return rc;
}

/* Creates the containers once.  0, or -1 with an exception. */
static int
registry_init_locked(void)
{
    PyObject *path = PyList_New(0);
    PyObject *cache = PyDict_New();
    PyObject *errors = PyDict_New();
    if (path == NULL || cache == NULL || errors == NULL ||
        register_builtin_handlers(errors) < 0) {
        Py_XDECREF(path);
        Py_XDECREF(cache);
        Py_XDECREF(errors);
        return -1;
    }
    _Py_SetImmortal(path);
    _Py_SetImmortal(cache);
    _Py_SetImmortal(errors);
    codec_registry.search_path = path;
    codec_registry.search_cache = cache;
    codec_registry.error_registry = errors;
    _Py_atomic_store_int_release(&codec_registry.initialized, 1);
    return 0;
}

/* The registry, created on first use: 0, or -1 with an exception. */
static int
registry_ready(void)
{
    if (_Py_atomic_load_int_acquire(&codec_registry.initialized)) {
        return 0;
    }
    int res = 0;
    PyMutex_Lock(&codec_registry.init_mutex);
    if (!_Py_atomic_load_int_acquire(&codec_registry.initialized)) {
        res = registry_init_locked();
    }
    PyMutex_Unlock(&codec_registry.init_mutex);
    return res;
}

/* Imports `encodings` once so that its search function comes first.  A
   nested call from the thread doing that import (encodings registers its
   function while being imported) returns at once; other threads import
   too, which waits on the import lock until the module is ready. */
static int
import_encodings(void)
{
    if (_Py_atomic_load_int_acquire(&codec_registry.encodings_state) == 2) {
        return 0;
    }
    int expected = 0;
    uintptr_t me = _Py_ThreadId();
    if (!_Py_atomic_compare_exchange_int(&codec_registry.encodings_state,
                                         &expected, 1)) {
        if (expected == 2 ||
            _Py_atomic_load_uintptr(&codec_registry.encodings_importer)
                == me) {
            return 0;
        }
    }
    else {
        _Py_atomic_store_uintptr(&codec_registry.encodings_importer, me);
    }
    PyObject *mod = PyImport_ImportModule("encodings");
    if (mod == NULL) {
        if (expected == 0) {
            _Py_atomic_store_uintptr(&codec_registry.encodings_importer, 0);
            _Py_atomic_store_int_release(&codec_registry.encodings_state, 0);
        }
        return -1;
    }
    Py_DECREF(mod);
    _Py_atomic_store_uintptr(&codec_registry.encodings_importer, 0);
    _Py_atomic_store_int_release(&codec_registry.encodings_state, 2);
    return 0;
}

static int
registry_ready_with_encodings(void)
{
    if (registry_ready() < 0) {
        return -1;
    }
    return import_encodings();
}

/* Drops everything the registries hold (search functions, cached
   CodecInfos, error handlers) so that finalization can free the modules
   they reference.  For Py_FinalizeEx, when no other thread runs and no
   codec is used afterwards (the built-in error handlers are gone too). */
void
_PyCodec_Fini(void)
{
    if (!_Py_atomic_load_int_acquire(&codec_registry.initialized)) {
        return;
    }
    PyObject *path = codec_registry.search_path;
    if (PyList_SetSlice(path, 0, PyList_GET_SIZE(path), NULL) < 0) {
        PyErr_Clear();
    }
    PyDict_Clear(codec_registry.search_cache);
    PyDict_Clear(codec_registry.error_registry);
    _Py_atomic_store_int_release(&codec_registry.encodings_state, 0);
}

/* ------------------------------------------------------ search functions */

int
PyCodec_Register(PyObject *search_function)
{
    if (search_function == NULL) {
        PyErr_BadArgument();
        return -1;
    }
    if (!PyCallable_Check(search_function)) {
        PyErr_SetString(PyExc_TypeError, "argument must be callable");
        return -1;
    }
    if (registry_ready_with_encodings() < 0) {
        return -1;
    }
    return PyList_Append(codec_registry.search_path, search_function);
}

int
PyCodec_Unregister(PyObject *search_function)
{
    if (registry_ready() < 0) {
        return -1;
    }
    PyObject *path = codec_registry.search_path;
    int res = 0, found = 0;
    Py_BEGIN_CRITICAL_SECTION(path);
    Py_ssize_t n = PyList_GET_SIZE(path);
    for (Py_ssize_t i = 0; i < n; i++) {
        if (PyList_GET_ITEM(path, i) == search_function) {
            res = PyList_SetSlice(path, i, i + 1, NULL);
            found = 1;
            break;
        }
    }
    Py_END_CRITICAL_SECTION();
    if (res == 0 && found) {
        PyDict_Clear(codec_registry.search_cache);
    }
    return res;
}

/* The registry's form of an encoding name (new reference): ASCII letters
   lowered, digits and '.' kept, every run of other bytes (punctuation,
   spaces, non-ASCII) one '_', none at either end.  Python 3.11 does the
   same before calling search functions. */
static PyObject *
normalize_encoding(const char *encoding)
{
    size_t len = strlen(encoding);
    char *buf = PyMem_Malloc(len + 1);
    if (buf == NULL) {
        return PyErr_NoMemory();
    }
    size_t o = 0;
    int pending = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)encoding[i];
        int keep = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
                   (c >= 'A' && c <= 'Z') || c == '.';
        if (!keep) {
            pending = o > 0;
            continue;
        }
        if (pending) {
            buf[o++] = '_';
            pending = 0;
        }
        buf[o++] = (char)((c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c);
    }
    PyObject *res = PyUnicode_FromStringAndSize(buf, (Py_ssize_t)o);
    PyMem_Free(buf);
    return res;
}

/* A new reference to a tuple snapshot of the search path. */
static PyObject *
search_path_snapshot(void)
{
    return PyList_AsTuple(codec_registry.search_path);
}

/* Calls the search functions in order on the normalised name: a new
   reference to the first non-None result, or NULL (LookupError or the
   error a search function raised). */
static PyObject *
search_codec(PyObject *name, const char *encoding)
{
    PyObject *funcs = search_path_snapshot();
    if (funcs == NULL) {
        return NULL;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(funcs);
    if (n == 0) {
        Py_DECREF(funcs);
        PyErr_SetString(PyExc_LookupError,
                        "no codec search functions registered: "
                        "can't find encoding");
        return NULL;
    }
    PyObject *res = NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        res = PyObject_CallOneArg(PyTuple_GET_ITEM(funcs, i), name);
        if (res == NULL) {
            break;
        }
        if (res == Py_None) {
            Py_CLEAR(res);
            continue;
        }
        if (!PyTuple_Check(res) || PyTuple_GET_SIZE(res) != 4) {
            PyErr_SetString(PyExc_TypeError,
                            "codec search functions must return 4-tuples");
            Py_CLEAR(res);
        }
        break;
    }
    Py_DECREF(funcs);
    if (res == NULL && !PyErr_Occurred()) {
        PyErr_Format(PyExc_LookupError, "unknown encoding: %s", encoding);
    }
    return res;
}

PyObject *
_PyCodec_Lookup(const char *encoding)
{
    if (encoding == NULL) {
        PyErr_BadArgument();
        return NULL;
    }
    if (registry_ready_with_encodings() < 0) {
        return NULL;
    }
    PyObject *name = normalize_encoding(encoding);
    if (name == NULL) {
        return NULL;
    }
    PyObject *res = NULL;
    if (PyDict_GetItemRef(codec_registry.search_cache, name, &res) != 0) {
        Py_DECREF(name);
        return res;         /* found, or error */
    }
    PyObject *info = search_codec(name, encoding);
    if (info != NULL) {
        /* The first thread to store wins; everyone returns its object. */
        if (PyDict_SetDefaultRef(codec_registry.search_cache, name, info,
                                 &res) < 0) {
            res = NULL;
        }
        Py_DECREF(info);
    }
    Py_DECREF(name);
    return res;
}

int
_PyCodec_Forget(const char *encoding)
{
    if (registry_ready() < 0) {
        return -1;
    }
    PyObject *name = normalize_encoding(encoding);
    if (name == NULL) {
        return -1;
    }
    int res = PyDict_DelItem(codec_registry.search_cache, name);
    Py_DECREF(name);
    return res;
}

int
PyCodec_KnownEncoding(const char *encoding)
{
    PyObject *info = _PyCodec_Lookup(encoding);
    if (info == NULL) {
        PyErr_Clear();
        return 0;
    }
    Py_DECREF(info);
    return 1;
}

/* ------------------------------------------------------ using a codec */

/* Item `index` of the CodecInfo for `encoding` (new reference). */
static PyObject *
codec_getitem(const char *encoding, int index)
{
    PyObject *info = _PyCodec_Lookup(encoding);
    if (info == NULL) {
        return NULL;
    }
    PyObject *v = Py_NewRef(PyTuple_GET_ITEM(info, index));
    Py_DECREF(info);
    return v;
}

PyObject *
PyCodec_Encoder(const char *encoding)
{
    return codec_getitem(encoding, 0);
}

PyObject *
PyCodec_Decoder(const char *encoding)
{
    return codec_getitem(encoding, 1);
}

/* codec_info.ATTR(errors) or codec_info.ATTR() (new reference). */
static PyObject *
codec_makeincremental(PyObject *info, const char *errors, const char *attr)
{
    PyObject *factory = PyObject_GetAttrString(info, attr);
    if (factory == NULL) {
        return NULL;
    }
    PyObject *res = errors != NULL
        ? PyObject_CallFunction(factory, "s", errors)
        : PyObject_CallNoArgs(factory);
    Py_DECREF(factory);
    return res;
}

PyObject *
_PyCodecInfo_GetIncrementalDecoder(PyObject *codec_info, const char *errors)
{
    return codec_makeincremental(codec_info, errors, "incrementaldecoder");
}

PyObject *
_PyCodecInfo_GetIncrementalEncoder(PyObject *codec_info, const char *errors)
{
    return codec_makeincremental(codec_info, errors, "incrementalencoder");
}

PyObject *
PyCodec_IncrementalEncoder(const char *encoding, const char *errors)
{
    PyObject *info = _PyCodec_Lookup(encoding);
    if (info == NULL) {
        return NULL;
    }
    PyObject *res = _PyCodecInfo_GetIncrementalEncoder(info, errors);
    Py_DECREF(info);
    return res;
}

PyObject *
PyCodec_IncrementalDecoder(const char *encoding, const char *errors)
{
    PyObject *info = _PyCodec_Lookup(encoding);
    if (info == NULL) {
        return NULL;
    }
    PyObject *res = _PyCodecInfo_GetIncrementalDecoder(info, errors);
    Py_DECREF(info);
    return res;
}

/* CodecInfo item 2 or 3 called as factory(stream, errors). */
static PyObject *
codec_makestream(const char *encoding, PyObject *stream, const char *errors,
                 int index)
{
    PyObject *factory = codec_getitem(encoding, index);
    if (factory == NULL) {
        return NULL;
    }
    PyObject *res = PyObject_CallFunction(factory, "Os", stream,
                                          errors ? errors : "strict");
    Py_DECREF(factory);
    return res;
}

PyObject *
PyCodec_StreamReader(const char *encoding, PyObject *stream,
                     const char *errors)
{
    return codec_makestream(encoding, stream, errors, 2);
}

PyObject *
PyCodec_StreamWriter(const char *encoding, PyObject *stream,
                     const char *errors)
{
    return codec_makestream(encoding, stream, errors, 3);
}

/* Re-raises the pending exception as the same type with the message
   "OPERATION with 'ENCODING' codec failed (Type: msg)" chained to the
   original, when that loses nothing: the type is constructed the way
   BaseException is, the exception has at most one argument and no
   instance attributes.  Otherwise the exception is left as it is. */
void
_PyCodec_WrapError(const char *operation, const char *encoding)
{
    PyObject *exc = PyErr_GetRaisedException();
    if (exc == NULL) {
        return;
    }
    PyTypeObject *tp = Py_TYPE(exc);
    PyTypeObject *base = (PyTypeObject *)PyExc_BaseException;
    PyObject *args = PyException_GetArgs(exc);
    PyObject *dict = NULL;
    int ok = tp->tp_init == base->tp_init && tp->tp_new == base->tp_new &&
             args != NULL && PyTuple_GET_SIZE(args) <= 1;
    Py_XDECREF(args);
    if (ok) {
        if (lookup_attr_string(exc, "__dict__", &dict) < 0) {
            PyErr_Clear();
            ok = 0;
        }
        else if (dict != NULL && (!PyDict_Check(dict) ||
                                  PyDict_GET_SIZE(dict) != 0)) {
            ok = 0;
        }
        Py_XDECREF(dict);
    }
    PyObject *wrapped = NULL;
    if (ok) {
        const char *short_name = strrchr(tp->tp_name, '.');
        short_name = short_name != NULL ? short_name + 1 : tp->tp_name;
        wrapped = PyObject_CallFunction(
            (PyObject *)tp, "N",
            PyUnicode_FromFormat("%s with '%s' codec failed (%s: %S)",
                                 operation, encoding, short_name, exc));
        if (wrapped == NULL) {
            PyErr_Clear();
        }
    }
    if (wrapped == NULL) {
        PyErr_SetRaisedException(exc);
        return;
    }
    PyException_SetCause(wrapped, Py_NewRef(exc));
    PyException_SetContext(wrapped, exc);
    PyErr_SetRaisedException(wrapped);
}

/* Calls coder(object[, errors]) and returns item 0 of the 2-tuple it must
   give back (new reference). */
static PyObject *
codec_call(PyObject *coder, PyObject *object, const char *errors,
           const char *encoding, int encode)
{
    PyObject *res = errors != NULL
        ? PyObject_CallFunction(coder, "Os", object, errors)
        : PyObject_CallOneArg(coder, object);
    if (res == NULL) {
        _PyCodec_WrapError(encode ? "encoding" : "decoding", encoding);
        return NULL;
    }
    if (!PyTuple_Check(res) || PyTuple_GET_SIZE(res) != 2) {
        PyErr_SetString(PyExc_TypeError,
                        encode ? "encoder must return a tuple "
                                 "(object, integer)"
                               : "decoder must return a tuple "
                                 "(object,integer)");
        Py_DECREF(res);
        return NULL;
    }
    PyObject *v = Py_NewRef(PyTuple_GET_ITEM(res, 0));
    Py_DECREF(res);
    return v;
}

static PyObject *
codec_run(PyObject *info, PyObject *object, const char *encoding,
          const char *errors, int encode)
{
    if (info == NULL) {
        return NULL;
    }
    PyObject *res = codec_call(PyTuple_GET_ITEM(info, encode ? 0 : 1),
                               object, errors, encoding, encode);
    Py_DECREF(info);
    return res;
}

PyObject *
PyCodec_Encode(PyObject *object, const char *encoding, const char *errors)
{
    return codec_run(_PyCodec_Lookup(encoding), object, encoding, errors, 1);
}

PyObject *
PyCodec_Decode(PyObject *object, const char *encoding, const char *errors)
{
    return codec_run(_PyCodec_Lookup(encoding), object, encoding, errors, 0);
}

PyObject *
_PyCodec_LookupTextEncoding(const char *encoding,
                            const char *alternate_command)
{
    PyObject *info = _PyCodec_Lookup(encoding);
    if (info == NULL) {
        return NULL;
    }
    if (PyTuple_CheckExact(info)) {
        return info;
    }
    PyObject *flag;
    if (lookup_attr_string(info, "_is_text_encoding",
                                       &flag) < 0) {
        Py_DECREF(info);
        return NULL;
    }
    if (flag == NULL) {
        return info;
    }
    int is_text = PyObject_IsTrue(flag);
    Py_DECREF(flag);
    if (is_text <= 0) {
        Py_DECREF(info);
        if (is_text == 0) {
            PyErr_Format(PyExc_LookupError,
                         "'%.400s' is not a text encoding; "
                         "use %s to handle arbitrary codecs",
                         encoding, alternate_command);
        }
        return NULL;
    }
    return info;
}

PyObject *
_PyCodec_EncodeText(PyObject *object, const char *encoding,
                    const char *errors)
{
    return codec_run(_PyCodec_LookupTextEncoding(encoding,
                                                 "codecs.encode()"),
                     object, encoding, errors, 1);
}

PyObject *
_PyCodec_DecodeText(PyObject *object, const char *encoding,
                    const char *errors)
{
    return codec_run(_PyCodec_LookupTextEncoding(encoding,
                                                 "codecs.decode()"),
                     object, encoding, errors, 0);
}

/* ------------------------------------------------------ error registry */

int
PyCodec_RegisterError(const char *name, PyObject *error)
{
    if (!PyCallable_Check(error)) {
        PyErr_SetString(PyExc_TypeError, "handler must be callable");
        return -1;
    }
    if (registry_ready() < 0) {
        return -1;
    }
    return PyDict_SetItemString(codec_registry.error_registry, name, error);
}

PyObject *
PyCodec_LookupError(const char *name)
{
    if (registry_ready() < 0) {
        return NULL;
    }
    if (name == NULL) {
        name = "strict";
    }
    PyObject *key = PyUnicode_FromString(name);
    if (key == NULL) {
        return NULL;
    }
    PyObject *handler = NULL;
    int rc = PyDict_GetItemRef(codec_registry.error_registry, key, &handler);
    Py_DECREF(key);
    if (rc == 0) {
        PyErr_Format(PyExc_LookupError, "unknown error handler name '%.400s'",
                     name);
    }
    return handler;
}

/* ------------------------------------------------------ handler helpers */

static void
wrong_exception_type(PyObject *exc)
{
    PyErr_Format(PyExc_TypeError,
                 "don't know how to handle %.200s in error callback",
                 Py_TYPE(exc)->tp_name);
}

#define IS_ENCODE_ERROR(exc) \
    PyObject_TypeCheck(exc, (PyTypeObject *)PyExc_UnicodeEncodeError)
#define IS_DECODE_ERROR(exc) \
    PyObject_TypeCheck(exc, (PyTypeObject *)PyExc_UnicodeDecodeError)
#define IS_TRANSLATE_ERROR(exc) \
    PyObject_TypeCheck(exc, (PyTypeObject *)PyExc_UnicodeTranslateError)

/* For encode and translate errors: the object (new reference) and the
   clamped [start, end).  NULL with an exception on bad attributes. */
static PyObject *
text_error_range(PyObject *exc, Py_ssize_t *start, Py_ssize_t *end)
{
    int enc = IS_ENCODE_ERROR(exc);
    if ((enc ? PyUnicodeEncodeError_GetStart(exc, start)
             : PyUnicodeTranslateError_GetStart(exc, start)) < 0 ||
        (enc ? PyUnicodeEncodeError_GetEnd(exc, end)
             : PyUnicodeTranslateError_GetEnd(exc, end)) < 0) {
        return NULL;
    }
    return enc ? PyUnicodeEncodeError_GetObject(exc)
               : PyUnicodeTranslateError_GetObject(exc);
}

/* (replacement, end) as the handlers return it; steals `rep`. */
static PyObject *
handler_result(PyObject *rep, Py_ssize_t end)
{
    if (rep == NULL) {
        return NULL;
    }
    return Py_BuildValue("(Nn)", rep, end);
}

PyObject *
PyCodec_StrictErrors(PyObject *exc)
{
    if (PyExceptionInstance_Check(exc)) {
        PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
    }
    else {
        PyErr_SetString(PyExc_TypeError, "codec must pass exception instance");
    }
    return NULL;
}

PyObject *
PyCodec_IgnoreErrors(PyObject *exc)
{
    Py_ssize_t end;
    int rc;
    if (IS_ENCODE_ERROR(exc)) {
        rc = PyUnicodeEncodeError_GetEnd(exc, &end);
    }
    else if (IS_DECODE_ERROR(exc)) {
        rc = PyUnicodeDecodeError_GetEnd(exc, &end);
    }
    else if (IS_TRANSLATE_ERROR(exc)) {
        rc = PyUnicodeTranslateError_GetEnd(exc, &end);
    }
    else {
        wrong_exception_type(exc);
        return NULL;
    }
    if (rc < 0) {
        return NULL;
    }
    return handler_result(PyUnicode_New(0, 0), end);
}

PyObject *
PyCodec_ReplaceErrors(PyObject *exc)
{
    Py_ssize_t start, end;
    if (IS_DECODE_ERROR(exc)) {
        if (PyUnicodeDecodeError_GetEnd(exc, &end) < 0) {
            return NULL;
        }
        return handler_result(PyUnicode_FromOrdinal(0xFFFD), end);
    }
    if (!IS_ENCODE_ERROR(exc) && !IS_TRANSLATE_ERROR(exc)) {
        wrong_exception_type(exc);
        return NULL;
    }
    PyObject *obj = text_error_range(exc, &start, &end);
    if (obj == NULL) {
        return NULL;
    }
    Py_DECREF(obj);
    Py_ssize_t n = end > start ? end - start : 0;
    Py_UCS4 fill = IS_ENCODE_ERROR(exc) ? '?' : 0xFFFD;
    PyObject *rep = PyUnicode_New(n, fill);
    if (rep == NULL) {
        return NULL;
    }
    if (n > 0) {
        PyUnicode_Fill(rep, 0, n, fill);
    }
    return handler_result(rep, end);
}

/* Appends the escape of one code point: \xhh, \uhhhh or \Uhhhhhhhh. */
static int
write_backslash_escape(_PyUnicodeWriter *w, Py_UCS4 ch)
{
    char tmp[16];
    if (ch < 0x100) {
        snprintf(tmp, sizeof(tmp), "\\x%02x", (unsigned)ch);
    }
    else if (ch < 0x10000) {
        snprintf(tmp, sizeof(tmp), "\\u%04x", (unsigned)ch);
    }
    else {
        snprintf(tmp, sizeof(tmp), "\\U%08x", (unsigned)ch);
    }
    return _PyUnicodeWriter_WriteASCIIString(w, tmp, (Py_ssize_t)strlen(tmp));
}

/* The characters obj[start:end] each replaced by what `fn` writes:
   (replacement, end), the common shape of the encoding handlers. */
static PyObject *
replace_each_char(PyObject *exc, int (*fn)(_PyUnicodeWriter *, Py_UCS4))
{
    Py_ssize_t start, end;
    PyObject *obj = text_error_range(exc, &start, &end);
    if (obj == NULL) {
        return NULL;
    }
    _PyUnicodeWriter w;
    _PyUnicodeWriter_Init(&w);
    for (Py_ssize_t i = start; i < end; i++) {
        if (fn(&w, PyUnicode_READ_CHAR(obj, i)) < 0) {
            _PyUnicodeWriter_Dealloc(&w);
            Py_DECREF(obj);
            return NULL;
        }
    }
    Py_DECREF(obj);
    return handler_result(_PyUnicodeWriter_Finish(&w), end);
}

static int
write_xmlcharref(_PyUnicodeWriter *w, Py_UCS4 ch)
{
    char tmp[16];
    snprintf(tmp, sizeof(tmp), "&#%u;", (unsigned)ch);
    return _PyUnicodeWriter_WriteASCIIString(w, tmp, (Py_ssize_t)strlen(tmp));
}

PyObject *
PyCodec_XMLCharRefReplaceErrors(PyObject *exc)
{
    if (!IS_ENCODE_ERROR(exc)) {
        wrong_exception_type(exc);
        return NULL;
    }
    return replace_each_char(exc, write_xmlcharref);
}

PyObject *
PyCodec_BackslashReplaceErrors(PyObject *exc)
{
    if (IS_DECODE_ERROR(exc)) {
        Py_ssize_t start, end;
        if (PyUnicodeDecodeError_GetStart(exc, &start) < 0 ||
            PyUnicodeDecodeError_GetEnd(exc, &end) < 0) {
            return NULL;
        }
        PyObject *obj = PyUnicodeDecodeError_GetObject(exc);
        if (obj == NULL) {
            return NULL;
        }
        const unsigned char *p = (const unsigned char *)PyBytes_AS_STRING(obj);
        _PyUnicodeWriter w;
        _PyUnicodeWriter_Init(&w);
        for (Py_ssize_t i = start; i < end; i++) {
            if (write_backslash_escape(&w, p[i]) < 0) {
                _PyUnicodeWriter_Dealloc(&w);
                Py_DECREF(obj);
                return NULL;
            }
        }
        Py_DECREF(obj);
        return handler_result(_PyUnicodeWriter_Finish(&w), end);
    }
    if (!IS_ENCODE_ERROR(exc) && !IS_TRANSLATE_ERROR(exc)) {
        wrong_exception_type(exc);
        return NULL;
    }
    return replace_each_char(exc, write_backslash_escape);
}

static int
write_name_escape(_PyUnicodeWriter *w, Py_UCS4 ch)
{
    char name[_PyUnicode_NAME_MAXLEN + 1];
    int n = _PyUnicodeData_GetName(_PyUnicode_UCD_CURRENT, ch, name,
                                   sizeof(name));
    if (n <= 0) {
        return write_backslash_escape(w, ch);
    }
    if (_PyUnicodeWriter_WriteASCIIString(w, "\\N{", 3) < 0 ||
        _PyUnicodeWriter_WriteASCIIString(w, name, n) < 0) {
        return -1;
    }
    return _PyUnicodeWriter_WriteChar(w, '}');
}

PyObject *
PyCodec_NameReplaceErrors(PyObject *exc)
{
    if (!IS_ENCODE_ERROR(exc)) {
        wrong_exception_type(exc);
        return NULL;
    }
    return replace_each_char(exc, write_name_escape);
}

/* The UTF flavour named by a UnicodeError's encoding, for surrogatepass:
   the code unit size (3 for UTF-8, which writes a surrogate in 3 bytes,
   2, 4) and byte order (*be); 0 when it is none of them. */
static int
utf_flavour(PyObject *exc, int *be)
{
    PyObject *enc = IS_ENCODE_ERROR(exc)
        ? PyUnicodeEncodeError_GetEncoding(exc)
        : PyUnicodeDecodeError_GetEncoding(exc);
    if (enc == NULL) {
        PyErr_Clear();
        return 0;
    }
    const char *s = PyUnicode_AsUTF8(enc);
    int width = 0;
    *be = 0;
    if (s == NULL) {
        PyErr_Clear();
    }
    else if (strncmp(s, "utf", 3) == 0) {
        const char *p = s + 3;
        if (*p == '-' || *p == '_') {
            p++;
        }
        if (strcmp(p, "8") == 0) {
            width = 3;
        }
        else if (strncmp(p, "16", 2) == 0 || strncmp(p, "32", 2) == 0) {
            width = p[0] == '1' ? 2 : 4;
            p += 2;
            if (*p == '-' || *p == '_') {
                p++;
            }
            if (strcmp(p, "be") == 0) {
                *be = 1;
            }
            else if (*p != '\0' && strcmp(p, "le") != 0) {
                width = 0;
            }
        }
    }
    else if (strcmp(s, "CP_UTF8") == 0) {
        width = 3;
    }
    Py_DECREF(enc);
    return width;
}

/* Writes surrogate `ch` in the flavour's code unit to out; its length. */
static int
put_surrogate(unsigned char *out, Py_UCS4 ch, int width, int be)
{
    if (width == 3) {
        out[0] = (unsigned char)(0xE0 | (ch >> 12));
        out[1] = (unsigned char)(0x80 | ((ch >> 6) & 0x3F));
        out[2] = (unsigned char)(0x80 | (ch & 0x3F));
        return 3;
    }
    for (int k = 0; k < width; k++) {
        int shift = be ? 8 * (width - 1 - k) : 8 * k;
        out[k] = (unsigned char)((ch >> shift) & 0xFF);
    }
    return width;
}

/* The surrogate encoded at p[0:avail] in the flavour, or 0. */
static Py_UCS4
get_surrogate(const unsigned char *p, Py_ssize_t avail, int width, int be)
{
    Py_UCS4 ch = 0;
    if (avail < width) {
        return 0;
    }
    if (width == 3) {
        if ((p[0] & 0xF0) != 0xE0 || (p[1] & 0xC0) != 0x80 ||
            (p[2] & 0xC0) != 0x80) {
            return 0;
        }
        ch = ((Py_UCS4)(p[0] & 0x0F) << 12) | ((Py_UCS4)(p[1] & 0x3F) << 6) |
             (p[2] & 0x3F);
    }
    else {
        for (int k = 0; k < width; k++) {
            int shift = be ? 8 * (width - 1 - k) : 8 * k;
            ch |= (Py_UCS4)p[k] << shift;
        }
    }
    return Py_UNICODE_IS_SURROGATE(ch) ? ch : 0;
}

static PyObject *
surrogatepass_encode(PyObject *exc)
{
    Py_ssize_t start, end;
    int be;
    PyObject *obj = text_error_range(exc, &start, &end);
    if (obj == NULL) {
        return NULL;
    }
    int width = utf_flavour(exc, &be);
    if (width == 0 || end <= start) {
        Py_DECREF(obj);
        PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
        return NULL;
    }
    PyObject *res = PyBytes_FromStringAndSize(NULL, (end - start) * width);
    if (res == NULL) {
        Py_DECREF(obj);
        return NULL;
    }
    unsigned char *out = (unsigned char *)PyBytes_AS_STRING(res);
    for (Py_ssize_t i = start; i < end; i++) {
        Py_UCS4 ch = PyUnicode_READ_CHAR(obj, i);
        if (!Py_UNICODE_IS_SURROGATE(ch)) {
            Py_DECREF(res);
            Py_DECREF(obj);
            PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
            return NULL;
        }
        out += put_surrogate(out, ch, width, be);
    }
    Py_DECREF(obj);
    return handler_result(res, end);
}

static PyObject *
surrogatepass_decode(PyObject *exc)
{
    Py_ssize_t start;
    int be;
    if (PyUnicodeDecodeError_GetStart(exc, &start) < 0) {
        return NULL;
    }
    PyObject *obj = PyUnicodeDecodeError_GetObject(exc);
    if (obj == NULL) {
        return NULL;
    }
    int width = utf_flavour(exc, &be);
    Py_UCS4 ch = 0;
    if (width != 0) {
        ch = get_surrogate((const unsigned char *)PyBytes_AS_STRING(obj) +
                           start, PyBytes_GET_SIZE(obj) - start, width, be);
    }
    Py_DECREF(obj);
    if (ch == 0) {
        PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
        return NULL;
    }
    return handler_result(PyUnicode_FromOrdinal(ch), start + width);
}

PyObject *
_PyCodec_SurrogatePassErrors(PyObject *exc)
{
    if (IS_ENCODE_ERROR(exc)) {
        return surrogatepass_encode(exc);
    }
    if (IS_DECODE_ERROR(exc)) {
        return surrogatepass_decode(exc);
    }
    wrong_exception_type(exc);
    return NULL;
}

static PyObject *
surrogateescape_encode(PyObject *exc)
{
    Py_ssize_t start, end;
    PyObject *obj = text_error_range(exc, &start, &end);
    if (obj == NULL) {
        return NULL;
    }
    Py_ssize_t n = end > start ? end - start : 0;
    PyObject *res = PyBytes_FromStringAndSize(NULL, n);
    if (res == NULL) {
        Py_DECREF(obj);
        return NULL;
    }
    char *out = PyBytes_AS_STRING(res);
    for (Py_ssize_t i = start; i < end; i++) {
        Py_UCS4 ch = PyUnicode_READ_CHAR(obj, i);
        if (ch < 0xDC80 || ch > 0xDCFF) {
            Py_DECREF(res);
            Py_DECREF(obj);
            PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
            return NULL;
        }
        *out++ = (char)(ch - 0xDC00);
    }
    Py_DECREF(obj);
    return handler_result(res, end);
}

/* Up to 4 bytes >= 128 from start become U+DC80..U+DCFF. */
static PyObject *
surrogateescape_decode(PyObject *exc)
{
    Py_ssize_t start, end;
    if (PyUnicodeDecodeError_GetStart(exc, &start) < 0 ||
        PyUnicodeDecodeError_GetEnd(exc, &end) < 0) {
        return NULL;
    }
    PyObject *obj = PyUnicodeDecodeError_GetObject(exc);
    if (obj == NULL) {
        return NULL;
    }
    const unsigned char *p = (const unsigned char *)PyBytes_AS_STRING(obj);
    Py_UCS4 ch[4];
    int n = 0;
    while (n < 4 && start + n < end && p[start + n] >= 128) {
        ch[n] = 0xDC00 + p[start + n];
        n++;
    }
    Py_DECREF(obj);
    if (n == 0) {
        PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
        return NULL;
    }
    return handler_result(PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, ch,
                                                    n), start + n);
}

PyObject *
_PyCodec_SurrogateEscapeErrors(PyObject *exc)
{
    if (IS_ENCODE_ERROR(exc)) {
        return surrogateescape_encode(exc);
    }
    if (IS_DECODE_ERROR(exc)) {
        return surrogateescape_decode(exc);
    }
    wrong_exception_type(exc);
    return NULL;
}

/* ------------------------------------------------------ registration */

#define HANDLER_WRAPPER(NAME, FUNC)                                     \
    static PyObject *                                                   \
    NAME##_wrapper(PyObject *self, PyObject *exc)                       \
    {                                                                   \
        return FUNC(exc);                                               \
    }

HANDLER_WRAPPER(strict, PyCodec_StrictErrors)
HANDLER_WRAPPER(ignore, PyCodec_IgnoreErrors)
HANDLER_WRAPPER(replace, PyCodec_ReplaceErrors)
HANDLER_WRAPPER(xmlcharrefreplace, PyCodec_XMLCharRefReplaceErrors)
HANDLER_WRAPPER(backslashreplace, PyCodec_BackslashReplaceErrors)
HANDLER_WRAPPER(namereplace, PyCodec_NameReplaceErrors)
HANDLER_WRAPPER(surrogatepass, _PyCodec_SurrogatePassErrors)
HANDLER_WRAPPER(surrogateescape, _PyCodec_SurrogateEscapeErrors)

/* Names and docstrings as Python 3.11 shows them (the last two keep the
   registry name as function name, as CPython does). */
static PyMethodDef builtin_handlers[] = {
    {"strict_errors", strict_wrapper, METH_O,
     "Implements the 'strict' error handling, which raises a "
     "UnicodeError on coding errors."},
    {"ignore_errors", ignore_wrapper, METH_O,
     "Implements the 'ignore' error handling, which ignores malformed "
     "data and continues."},
    {"replace_errors", replace_wrapper, METH_O,
     "Implements the 'replace' error handling, which replaces malformed "
     "data with a replacement marker."},
    {"xmlcharrefreplace_errors", xmlcharrefreplace_wrapper, METH_O,
     "Implements the 'xmlcharrefreplace' error handling, which replaces "
     "an unencodable character with the appropriate XML character "
     "reference."},
    {"backslashreplace_errors", backslashreplace_wrapper, METH_O,
     "Implements the 'backslashreplace' error handling, which replaces "
     "malformed data with a backslashed escape sequence."},
    {"namereplace_errors", namereplace_wrapper, METH_O,
     "Implements the 'namereplace' error handling, which replaces an "
     "unencodable character with a \\N{...} escape sequence."},
    {"surrogatepass", surrogatepass_wrapper, METH_O, NULL},
    {"surrogateescape", surrogateescape_wrapper, METH_O, NULL},
    {NULL, NULL, 0, NULL}
};

static const char *const builtin_handler_names[] = {
    "strict", "ignore", "replace", "xmlcharrefreplace", "backslashreplace",
    "namereplace", "surrogatepass", "surrogateescape",
};

static int
register_builtin_handlers(PyObject *registry)
{
    for (size_t i = 0; i < Py_ARRAY_LENGTH(builtin_handler_names); i++) {
        PyObject *f = PyCFunction_NewEx(&builtin_handlers[i], NULL, NULL);
        if (f == NULL) {
            return -1;
        }
        int rc = PyDict_SetItemString(registry, builtin_handler_names[i], f);
        Py_DECREF(f);
        if (rc < 0) {
            return -1;
        }
    }
    return 0;
}

/* ------------------------------------------------------ codec callbacks */

/* Checks the (replacement, position) tuple a handler returned: the
   replacement (new reference) and the resume position, normalised to
   [0, size] (negative counts from the end). */
static PyObject *
parse_handler_result(PyObject *res, int allow_bytes, Py_ssize_t size,
                     Py_ssize_t *newpos)
{
    if (!PyTuple_Check(res) || PyTuple_GET_SIZE(res) != 2 ||
        !(PyUnicode_Check(PyTuple_GET_ITEM(res, 0)) ||
          (allow_bytes && PyBytes_Check(PyTuple_GET_ITEM(res, 0)))) ||
        !PyLong_Check(PyTuple_GET_ITEM(res, 1))) {
        PyErr_SetString(PyExc_TypeError,
                        allow_bytes ? "encoding error handler must return "
                                      "(str/bytes, int) tuple"
                                    : "decoding error handler must return "
                                      "(str, int) tuple");
        return NULL;
    }
    Py_ssize_t pos = PyLong_AsSsize_t(PyTuple_GET_ITEM(res, 1));
    if (pos == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (pos < 0) {
        pos += size;
    }
    if (pos < 0 || pos > size) {
        PyErr_Format(PyExc_IndexError,
                     "position %zd from error handler out of bounds", pos);
        return NULL;
    }
    *newpos = pos;
    return Py_NewRef(PyTuple_GET_ITEM(res, 0));
}

/* Sets start, end and reason of a cached exception. */
static int
update_unicode_error(PyObject *exc, int decode, Py_ssize_t start,
                     Py_ssize_t end, const char *reason)
{
    if (decode) {
        return (PyUnicodeDecodeError_SetStart(exc, start) < 0 ||
                PyUnicodeDecodeError_SetEnd(exc, end) < 0 ||
                PyUnicodeDecodeError_SetReason(exc, reason) < 0) ? -1 : 0;
    }
    return (PyUnicodeEncodeError_SetStart(exc, start) < 0 ||
            PyUnicodeEncodeError_SetEnd(exc, end) < 0 ||
            PyUnicodeEncodeError_SetReason(exc, reason) < 0) ? -1 : 0;
}

/* Calls the handler named `errors` on *exc_cache; steals nothing. */
static PyObject *
call_handler(const char *errors, PyObject *exc, int allow_bytes,
             Py_ssize_t size, Py_ssize_t *newpos)
{
    PyObject *handler = PyCodec_LookupError(errors);
    if (handler == NULL) {
        return NULL;
    }
    PyObject *res = PyObject_CallOneArg(handler, exc);
    Py_DECREF(handler);
    if (res == NULL) {
        return NULL;
    }
    PyObject *rep = parse_handler_result(res, allow_bytes, size, newpos);
    Py_DECREF(res);
    return rep;
}

PyObject *
_PyCodec_CallDecodeErrorHandler(const char *errors, PyObject **exc_cache,
                                const char *encoding, const char *reason,
                                const char *input, Py_ssize_t size,
                                Py_ssize_t start, Py_ssize_t end,
                                Py_ssize_t *newpos)
{
    if (*exc_cache == NULL) {
        *exc_cache = PyUnicodeDecodeError_Create(encoding, input, size,
                                                 start, end, reason);
        if (*exc_cache == NULL) {
            return NULL;
        }
    }
    else if (update_unicode_error(*exc_cache, 1, start, end, reason) < 0) {
        return NULL;
    }
    return call_handler(errors, *exc_cache, 0, size, newpos);
}

/* Makes or updates the cached UnicodeEncodeError: 0 or -1. */
static int
make_encode_error(PyObject **exc_cache, const char *encoding,
                  PyObject *unicode, Py_ssize_t start, Py_ssize_t end,
                  const char *reason)
{
    if (*exc_cache == NULL) {
        *exc_cache = PyObject_CallFunction(PyExc_UnicodeEncodeError, "sOnns",
                                           encoding, unicode, start, end,
                                           reason);
        return *exc_cache == NULL ? -1 : 0;
    }
    return update_unicode_error(*exc_cache, 0, start, end, reason);
}

PyObject *
_PyCodec_CallEncodeErrorHandler(const char *errors, PyObject **exc_cache,
                                const char *encoding, const char *reason,
                                PyObject *unicode, Py_ssize_t start,
                                Py_ssize_t end, Py_ssize_t *newpos)
{
    if (make_encode_error(exc_cache, encoding, unicode, start, end,
                          reason) < 0) {
        return NULL;
    }
    return call_handler(errors, *exc_cache, 1,
                        PyUnicode_GET_LENGTH(unicode), newpos);
}

void
_PyCodec_RaiseEncodeError(PyObject **exc_cache, const char *encoding,
                          PyObject *unicode, Py_ssize_t start,
                          Py_ssize_t end, const char *reason)
{
    if (make_encode_error(exc_cache, encoding, unicode, start, end,
                          reason) == 0) {
        PyErr_SetObject(PyExc_UnicodeEncodeError, *exc_cache);
    }
}
