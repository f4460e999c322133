/* Operations the eval loop's instructions perform on objects: binary
 * operators, unpacking, ** merging, special and method lookup, and the
 * interned identifier strings they use.
 *
 * Everything here runs on the calling thread and keeps no state of its
 * own, except _Py_eval_str, which start-up fills once before any other
 * thread exists and nothing writes after. */
#include "Python.h"
#include "pycore_ceval.h"
#include "pycore_function.h"
#include "pycore_ceval_helpers.h"

struct _PyEvalStrings _Py_eval_str;

int
_PyEval_InitStrings(void)
{
#define _PY_STR_INIT(n)                                                 \
    if (_Py_eval_str.n == NULL) {                                       \
        _Py_eval_str.n = PyUnicode_InternFromString(#n);                \
        if (_Py_eval_str.n == NULL) {                                   \
            return -1;                                                  \
        }                                                               \
        _Py_SetImmortal(_Py_eval_str.n);                                \
    }
    _PY_EVAL_STRINGS(_PY_STR_INIT)
#undef _PY_STR_INIT
    return 0;
}

PyObject *
_PyEval_BinaryOp(PyObject *lhs, PyObject *rhs, int oparg)
{
    switch (oparg) {
    case _PyBinOp_ADD: return PyNumber_Add(lhs, rhs);
    case _PyBinOp_AND: return PyNumber_And(lhs, rhs);
    case _PyBinOp_FLOOR_DIVIDE: return PyNumber_FloorDivide(lhs, rhs);
    case _PyBinOp_LSHIFT: return PyNumber_Lshift(lhs, rhs);
    case _PyBinOp_MATRIX_MULTIPLY: return PyNumber_MatrixMultiply(lhs, rhs);
    case _PyBinOp_MULTIPLY: return PyNumber_Multiply(lhs, rhs);
    case _PyBinOp_REMAINDER: return PyNumber_Remainder(lhs, rhs);
    case _PyBinOp_OR: return PyNumber_Or(lhs, rhs);
    case _PyBinOp_POWER: return PyNumber_Power(lhs, rhs, Py_None);
    case _PyBinOp_RSHIFT: return PyNumber_Rshift(lhs, rhs);
    case _PyBinOp_SUBTRACT: return PyNumber_Subtract(lhs, rhs);
    case _PyBinOp_TRUE_DIVIDE: return PyNumber_TrueDivide(lhs, rhs);
    case _PyBinOp_XOR: return PyNumber_Xor(lhs, rhs);
    case _PyBinOp_INPLACE + _PyBinOp_ADD:
        return PyNumber_InPlaceAdd(lhs, rhs);
    case _PyBinOp_INPLACE + _PyBinOp_AND:
        return PyNumber_InPlaceAnd(lhs, rhs);
    case _PyBinOp_INPLACE + _PyBinOp_FLOOR_DIVIDE:
        return PyNumber_InPlaceFloorDivide(lhs, rhs);
    case _PyBinOp_INPLACE + _PyBinOp_LSHIFT:
        return PyNumber_InPlaceLshift(lhs, rhs);
    case _PyBinOp_INPLACE + _PyBinOp_MATRIX_MULTIPLY:
        return PyNumber_InPlaceMatrixMultiply(lhs, rhs);
    case _PyBinOp_INPLACE + _PyBinOp_MULTIPLY:
        return PyNumber_InPlaceMultiply(lhs, rhs);
    case _PyBinOp_INPLACE + _PyBinOp_REMAINDER:
        return PyNumber_InPlaceRemainder(lhs, rhs);
    case _PyBinOp_INPLACE + _PyBinOp_OR:
        return PyNumber_InPlaceOr(lhs, rhs);
    case _PyBinOp_INPLACE + _PyBinOp_POWER:
        return PyNumber_InPlacePower(lhs, rhs, Py_None);
    case _PyBinOp_INPLACE + _PyBinOp_RSHIFT:
        return PyNumber_InPlaceRshift(lhs, rhs);
    case _PyBinOp_INPLACE + _PyBinOp_SUBTRACT:
        return PyNumber_InPlaceSubtract(lhs, rhs);
    case _PyBinOp_INPLACE + _PyBinOp_TRUE_DIVIDE:
        return PyNumber_InPlaceTrueDivide(lhs, rhs);
    case _PyBinOp_INPLACE + _PyBinOp_XOR:
        return PyNumber_InPlaceXor(lhs, rhs);
    default:
        PyErr_Format(PyExc_SystemError, "bad BINARY_OP argument %d", oparg);
        return NULL;
    }
}

/* Stores the N counted references of ITEMS into the slots below SP in
   reverse (items[0] ends on top). */
static void
store_reversed(_PyStackRef *sp, PyObject **items, Py_ssize_t n)
{
    for (Py_ssize_t i = 0; i < n; i++) {
        sp[-1 - i] = _PyStackRef_FromPyObjectSteal(items[i]);
    }
}

int
_PyEval_UnpackIterable(PyThreadState *tstate, PyObject *v, int argcnt,
                       int argcntafter, _PyStackRef *sp)
{
    PyObject *it = PyObject_GetIter(v);
    if (it == NULL) {
        if (_PyErr_ExceptionMatches(tstate, PyExc_TypeError)
            && Py_TYPE(v)->tp_iter == NULL && !PySequence_Check(v)) {
            _PyErr_Clear(tstate);
            _PyErr_Format(tstate, PyExc_TypeError,
                          "cannot unpack non-iterable %.200s object",
                          Py_TYPE(v)->tp_name);
        }
        return -1;
    }
    int total = argcnt + (argcntafter >= 0 ? 1 + argcntafter : 0);
    PyObject **items = PyMem_Calloc((size_t)total + 1, sizeof(PyObject *));
    if (items == NULL) {
        Py_DECREF(it);
        PyErr_NoMemory();
        return -1;
    }
    int i = 0;
    for (; i < argcnt; i++) {
        PyObject *w = PyIter_Next(it);
        if (w == NULL) {
            if (!_PyErr_Occurred(tstate)) {
                if (argcntafter < 0) {
                    _PyErr_Format(tstate, PyExc_ValueError,
                                  "not enough values to unpack "
                                  "(expected %d, got %d)", argcnt, i);
                }
                else {
                    _PyErr_Format(tstate, PyExc_ValueError,
                                  "not enough values to unpack "
                                  "(expected at least %d, got %d)",
                                  argcnt + argcntafter, i);
                }
            }
            goto fail;
        }
        items[i] = w;
    }
    if (argcntafter < 0) {
        PyObject *w = PyIter_Next(it);
        if (w == NULL) {
            if (_PyErr_Occurred(tstate)) {
                goto fail;
            }
            Py_DECREF(it);
            store_reversed(sp, items, argcnt);
            PyMem_Free(items);
            return 0;
        }
        Py_DECREF(w);
        _PyErr_Format(tstate, PyExc_ValueError,
                      "too many values to unpack (expected %d)", argcnt);
        goto fail;
    }
    PyObject *l = PySequence_List(it);
    if (l == NULL) {
        goto fail;
    }
    items[i++] = l;
    Py_ssize_t ll = PyList_GET_SIZE(l);
    if (ll < argcntafter) {
        _PyErr_Format(tstate, PyExc_ValueError,
                      "not enough values to unpack (expected at least %d, "
                      "got %zd)", argcnt + argcntafter, argcnt + ll);
        goto fail;
    }
    for (int j = argcntafter; j > 0; j--) {
        items[i++] = PyList_GetItemRef(l, ll - j);
        if (items[i - 1] == NULL) {
            goto fail;
        }
    }
    if (argcntafter > 0
        && PyList_SetSlice(l, ll - argcntafter, ll, NULL) < 0) {
        goto fail;
    }
    Py_DECREF(it);
    store_reversed(sp, items, total);
    PyMem_Free(items);
    return 0;

fail:
    for (int k = 0; k < total; k++) {
        Py_XDECREF(items[k]);
    }
    PyMem_Free(items);
    Py_DECREF(it);
    return -1;
}

PyObject *
_PyEval_FunctionStr(PyObject *func)
{
    PyObject *qualname = NULL;
    if (_PyObject_LookupAttr(func, _Py_STR(__qualname__), &qualname) < 0) {
        return NULL;
    }
    if (qualname == NULL) {
        return PyObject_Str(func);
    }
    PyObject *module = NULL;
    PyObject *res;
    if (_PyObject_LookupAttr(func, _Py_STR(__module__), &module) < 0) {
        Py_DECREF(qualname);
        return NULL;
    }
    if (module != NULL && module != Py_None
        && !(PyUnicode_Check(module)
             && _PyUnicode_EqualToASCIIString(module, "builtins"))) {
        res = PyUnicode_FromFormat("%S.%S()", module, qualname);
    }
    else {
        res = PyUnicode_FromFormat("%S()", qualname);
    }
    Py_XDECREF(module);
    Py_DECREF(qualname);
    return res;
}

void
_PyEval_FormatKwargsError(PyThreadState *tstate, PyObject *func,
                          PyObject *kwargs)
{
    if (_PyErr_ExceptionMatches(tstate, PyExc_AttributeError)) {
        _PyErr_Clear(tstate);
        PyObject *fs = _PyEval_FunctionStr(func);
        if (fs != NULL) {
            _PyErr_Format(tstate, PyExc_TypeError,
                          "%U argument after ** must be a mapping, "
                          "not %.200s", fs, Py_TYPE(kwargs)->tp_name);
            Py_DECREF(fs);
        }
    }
}

/* Adds KEY: VALUE to DICT unless present: then the "multiple values"
   TypeError. */
static int
merge_one(PyThreadState *tstate, PyObject *func, PyObject *dict,
          PyObject *key, PyObject *value)
{
    int has = PyDict_Contains(dict, key);
    if (has < 0) {
        return -1;
    }
    if (has) {
        PyObject *fs = _PyEval_FunctionStr(func);
        if (fs == NULL) {
            return -1;
        }
        if (PyUnicode_Check(key)) {
            _PyErr_Format(tstate, PyExc_TypeError,
                          "%U got multiple values for keyword argument "
                          "'%S'", fs, key);
        }
        else {
            _PyErr_Format(tstate, PyExc_TypeError,
                          "%U keywords must be strings", fs);
        }
        Py_DECREF(fs);
        return -1;
    }
    return PyDict_SetItem(dict, key, value);
}

int
_PyEval_DictMerge(PyThreadState *tstate, PyObject *func, PyObject *dict,
                  PyObject *update)
{
    PyObject *keys;
    if (PyDict_Check(update)) {
        keys = PyDict_Keys(update);
    }
    else {
        PyObject *meth = NULL;
        if (_PyObject_LookupAttr(update, _Py_STR(keys), &meth) < 0) {
            return -1;
        }
        if (meth == NULL) {
            PyObject *fs = _PyEval_FunctionStr(func);
            if (fs != NULL) {
                _PyErr_Format(tstate, PyExc_TypeError,
                              "%U argument after ** must be a mapping, "
                              "not %.200s", fs, Py_TYPE(update)->tp_name);
                Py_DECREF(fs);
            }
            return -1;
        }
        PyObject *k = PyObject_CallNoArgs(meth);
        Py_DECREF(meth);
        if (k == NULL) {
            return -1;
        }
        keys = PySequence_List(k);
        Py_DECREF(k);
    }
    if (keys == NULL) {
        return -1;
    }
    Py_ssize_t n = PyList_GET_SIZE(keys);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *key = PyList_GET_ITEM(keys, i);
        PyObject *value = PyObject_GetItem(update, key);
        if (value == NULL) {
            Py_DECREF(keys);
            return -1;
        }
        int r = merge_one(tstate, func, dict, key, value);
        Py_DECREF(value);
        if (r < 0) {
            Py_DECREF(keys);
            return -1;
        }
    }
    Py_DECREF(keys);
    return 0;
}

PyObject *
_PyEval_LookupSpecial(PyObject *o, PyObject *name)
{
    PyObject *res = _PyType_LookupRef(Py_TYPE(o), name);
    if (res == NULL) {
        return NULL;
    }
    descrgetfunc f = Py_TYPE(res)->tp_descr_get;
    if (f != NULL) {
        PyObject *bound = f(res, o, (PyObject *)Py_TYPE(o));
        Py_DECREF(res);
        return bound;
    }
    return res;
}

int
_PyEval_GetMethod(PyObject *obj, PyObject *name, PyObject **method)
{
    PyTypeObject *tp = Py_TYPE(obj);
    *method = NULL;
    if (tp->tp_getattro != PyObject_GenericGetAttr
        || !PyUnicode_CheckExact(name)) {
        *method = PyObject_GetAttr(obj, name);
        return 0;
    }
    PyObject *descr = _PyType_LookupRef(tp, name);
    descrgetfunc f = NULL;
    int meth_found = 0;
    if (descr != NULL) {
        if (PyType_HasFeature(Py_TYPE(descr),
                              Py_TPFLAGS_METHOD_DESCRIPTOR)) {
            meth_found = 1;
        }
        else {
            f = Py_TYPE(descr)->tp_descr_get;
            if (f != NULL && PyDescr_IsData(descr)) {
                *method = f(descr, obj, (PyObject *)tp);
                Py_DECREF(descr);
                return 0;
            }
        }
    }
    PyObject **dictptr = _PyObject_GetDictPtr(obj);
    PyObject *dict = dictptr != NULL
                         ? (PyObject *)_Py_atomic_load_ptr_acquire(dictptr)
                         : NULL;
    if (dict != NULL) {
        Py_INCREF(dict);
        PyObject *attr = NULL;
        int r = PyDict_GetItemRef(dict, name, &attr);
        Py_DECREF(dict);
        if (r != 0) {
            Py_XDECREF(descr);
            *method = attr;
            return 0;
        }
    }
    if (meth_found) {
        *method = descr;
        return 1;
    }
    if (f != NULL) {
        *method = f(descr, obj, (PyObject *)tp);
        Py_DECREF(descr);
        return 0;
    }
    if (descr != NULL) {
        *method = descr;
        return 0;
    }
    /* Let the generic path raise its AttributeError (with name/obj). */
    *method = PyObject_GetAttr(obj, name);
    return 0;
}
