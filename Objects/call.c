/* Calling objects: vectorcall (PEP 590) first, tp_call with an argument
 * tuple and keyword dict otherwise, and the PyObject_Call* family built on
 * them.  Nothing here keeps state between calls: no locking needed. */
#include "Python.h"
#include "pycore_object.h"
#include "pycore_pystate.h"
#include "pycore_excstate.h"
#include "pycore_call.h"
#include "pycore_dict.h"

/* A NULL result needs an exception and a result must come without one;
   anything else is a bug in the callee, reported as SystemError. */
PyObject *
_Py_CheckFunctionResult(PyObject *callable, PyObject *result,
                        const char *where)
{
    PyThreadState *tstate = _PyThreadState_GET();
    if (result == NULL) {
        if (!_PyErr_Occurred(tstate)) {
            if (callable) {
                _PyErr_Format(tstate, PyExc_SystemError,
                              "%R returned NULL without setting an "
                              "exception", callable);
            }
            else {
                _PyErr_Format(tstate, PyExc_SystemError,
                              "%s returned NULL without setting an "
                              "exception", where);
            }
        }
        return NULL;
    }
    if (_PyErr_Occurred(tstate)) {
        Py_DECREF(result);
        if (callable) {
            _PyErr_FormatFromCause(PyExc_SystemError,
                                   "%R returned a result with an "
                                   "exception set", callable);
        }
        else {
            _PyErr_FormatFromCause(PyExc_SystemError,
                                   "%s returned a result with an "
                                   "exception set", where);
        }
        return NULL;
    }
    return result;
}

PyObject *
_PyStack_AsDict(PyObject *const *values, PyObject *kwnames)
{
    Py_ssize_t nkwargs = PyTuple_GET_SIZE(kwnames);
    PyObject *kwdict = _PyDict_NewPresized(nkwargs);
    if (kwdict == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < nkwargs; i++) {
        if (PyDict_SetItem(kwdict, PyTuple_GET_ITEM(kwnames, i),
                           values[i]) < 0) {
            Py_DECREF(kwdict);
            return NULL;
        }
    }
    return kwdict;
}

/* tp_call from a vectorcall argument array. */
PyObject *
_PyObject_MakeTpCall(PyObject *callable, PyObject *const *args,
                     Py_ssize_t nargs, PyObject *keywords)
{
    ternaryfunc call = Py_TYPE(callable)->tp_call;
    if (call == NULL) {
        PyErr_Format(PyExc_TypeError, "'%.200s' object is not callable",
                     Py_TYPE(callable)->tp_name);
        return NULL;
    }
    PyObject *argstuple = _PyTuple_FromArray(args, nargs);
    if (argstuple == NULL) {
        return NULL;
    }
    PyObject *kwdict;
    if (keywords == NULL || PyDict_Check(keywords)) {
        kwdict = Py_XNewRef(keywords);
    }
    else if (PyTuple_GET_SIZE(keywords)) {
        kwdict = _PyStack_AsDict(args + nargs, keywords);
        if (kwdict == NULL) {
            Py_DECREF(argstuple);
            return NULL;
        }
    }
    else {
        kwdict = NULL;
    }
    PyObject *result = NULL;
    if (Py_EnterRecursiveCall(" while calling a Python object") == 0) {
        result = call(callable, argstuple, kwdict);
        Py_LeaveRecursiveCall();
    }
    Py_DECREF(argstuple);
    Py_XDECREF(kwdict);
    return _Py_CheckFunctionResult(callable, result, NULL);
}

PyObject *
PyObject_Vectorcall(PyObject *callable, PyObject *const *args,
                    size_t nargsf, PyObject *kwnames)
{
    return _PyObject_VectorcallTstate(_PyThreadState_GET(), callable, args,
                                      nargsf, kwnames);
}

int
_PyStack_UnpackDict(PyObject *const *args, Py_ssize_t nargs,
                    PyObject *kwargs, PyObject *const **p_stack,
                    PyObject **p_kwnames)
{
    Py_ssize_t nkwargs = PyDict_GET_SIZE(kwargs);
    /* One extra slot in front for PY_VECTORCALL_ARGUMENTS_OFFSET. */
    PyObject **stack = PyMem_Malloc((size_t)(1 + nargs + nkwargs) *
                                    sizeof(PyObject *));
    if (stack == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    PyObject *kwnames = PyTuple_New(nkwargs);
    if (kwnames == NULL) {
        PyMem_Free(stack);
        return -1;
    }
    stack++;
    for (Py_ssize_t i = 0; i < nargs; i++) {
        stack[i] = Py_NewRef(args[i]);
    }
    PyObject **kwstack = stack + nargs;
    Py_ssize_t pos = 0, i = 0;
    PyObject *key, *value;
    int keys_are_strings = 1;
    while (PyDict_Next(kwargs, &pos, &key, &value) && i < nkwargs) {
        keys_are_strings &= PyUnicode_Check(key);
        PyTuple_SET_ITEM(kwnames, i, Py_NewRef(key));
        kwstack[i] = Py_NewRef(value);
        i++;
    }
    if (!keys_are_strings) {
        PyErr_SetString(PyExc_TypeError, "keywords must be strings");
        _PyStack_UnpackDict_Free(stack, nargs, kwnames);
        return -1;
    }
    *p_stack = stack;
    *p_kwnames = kwnames;
    return 0;
}

void
_PyStack_UnpackDict_Free(PyObject *const *stack, Py_ssize_t nargs,
                         PyObject *kwnames)
{
    Py_ssize_t n = PyTuple_GET_SIZE(kwnames) + nargs;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_DECREF(stack[i]);
    }
    PyMem_Free((PyObject **)stack - 1);
    Py_DECREF(kwnames);
}

PyObject *
PyObject_VectorcallDict(PyObject *callable, PyObject *const *args,
                        size_t nargsf, PyObject *kwargs)
{
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    vectorcallfunc func = PyVectorcall_Function(callable);
    if (func == NULL) {
        return _PyObject_MakeTpCall(callable, args, nargs, kwargs);
    }
    PyObject *res;
    if (kwargs == NULL || PyDict_GET_SIZE(kwargs) == 0) {
        res = func(callable, args, nargsf, NULL);
    }
    else {
        PyObject *kwnames;
        PyObject *const *newargs;
        if (_PyStack_UnpackDict(args, nargs, kwargs, &newargs, &kwnames) < 0) {
            return NULL;
        }
        res = func(callable, newargs,
                   (size_t)nargs | PY_VECTORCALL_ARGUMENTS_OFFSET, kwnames);
        _PyStack_UnpackDict_Free(newargs, nargs, kwnames);
    }
    return _Py_CheckFunctionResult(callable, res, NULL);
}

/* tp_call of types that implement vectorcall. */
PyObject *
PyVectorcall_Call(PyObject *callable, PyObject *tuple, PyObject *kwargs)
{
    Py_ssize_t offset = Py_TYPE(callable)->tp_vectorcall_offset;
    if (offset <= 0) {
        PyErr_Format(PyExc_TypeError,
                     "'%.200s' object does not support vectorcall",
                     Py_TYPE(callable)->tp_name);
        return NULL;
    }
    vectorcallfunc func;
    memcpy(&func, (char *)callable + offset, sizeof(func));
    if (func == NULL) {
        PyErr_Format(PyExc_TypeError,
                     "'%.200s' object does not support vectorcall",
                     Py_TYPE(callable)->tp_name);
        return NULL;
    }
    Py_ssize_t nargs = PyTuple_GET_SIZE(tuple);
    if (kwargs == NULL || PyDict_GET_SIZE(kwargs) == 0) {
        return func(callable, _PyTuple_ITEMS(tuple), (size_t)nargs, NULL);
    }
    PyObject *kwnames;
    PyObject *const *args;
    if (_PyStack_UnpackDict(_PyTuple_ITEMS(tuple), nargs, kwargs, &args,
                            &kwnames) < 0) {
        return NULL;
    }
    PyObject *result = func(callable, args,
                            (size_t)nargs | PY_VECTORCALL_ARGUMENTS_OFFSET,
                            kwnames);
    _PyStack_UnpackDict_Free(args, nargs, kwnames);
    return _Py_CheckFunctionResult(callable, result, NULL);
}

PyObject *
PyObject_Call(PyObject *callable, PyObject *args, PyObject *kwargs)
{
    if (args == NULL || !PyTuple_Check(args)) {
        PyErr_SetString(PyExc_TypeError,
                        "argument list must be a tuple");
        return NULL;
    }
    if (kwargs != NULL && !PyDict_Check(kwargs)) {
        PyErr_SetString(PyExc_TypeError,
                        "keyword list must be a dictionary");
        return NULL;
    }
    vectorcallfunc vector_func = PyVectorcall_Function(callable);
    if (vector_func != NULL) {
        Py_ssize_t nargs = PyTuple_GET_SIZE(args);
        if (kwargs == NULL || PyDict_GET_SIZE(kwargs) == 0) {
            PyObject *res = vector_func(callable, _PyTuple_ITEMS(args),
                                        (size_t)nargs, NULL);
            return _Py_CheckFunctionResult(callable, res, NULL);
        }
        return PyVectorcall_Call(callable, args, kwargs);
    }
    ternaryfunc call = Py_TYPE(callable)->tp_call;
    if (call == NULL) {
        PyErr_Format(PyExc_TypeError, "'%.200s' object is not callable",
                     Py_TYPE(callable)->tp_name);
        return NULL;
    }
    if (Py_EnterRecursiveCall(" while calling a Python object")) {
        return NULL;
    }
    PyObject *result = (*call)(callable, args, kwargs);
    Py_LeaveRecursiveCall();
    return _Py_CheckFunctionResult(callable, result, NULL);
}

PyObject *
PyObject_CallObject(PyObject *callable, PyObject *args)
{
    if (args == NULL) {
        return PyObject_CallNoArgs(callable);
    }
    if (!PyTuple_Check(args)) {
        PyErr_SetString(PyExc_TypeError,
                        "argument list must be a tuple");
        return NULL;
    }
    return PyObject_Call(callable, args, NULL);
}

PyObject *
PyObject_CallNoArgs(PyObject *func)
{
    return PyObject_Vectorcall(func, NULL, 0, NULL);
}

PyObject *
PyObject_CallOneArg(PyObject *func, PyObject *arg)
{
    PyObject *_args[2];
    PyObject **args = _args + 1;
    args[0] = arg;
    return PyObject_Vectorcall(func, args,
                               1 | PY_VECTORCALL_ARGUMENTS_OFFSET, NULL);
}

/* func(obj, *args, **kwargs) */
PyObject *
_PyObject_Call_Prepend(PyObject *callable, PyObject *obj, PyObject *args,
                       PyObject *kwargs)
{
    PyObject *small[8];
    PyObject **stack;
    Py_ssize_t argcount = PyTuple_GET_SIZE(args);
    if (argcount + 1 <= (Py_ssize_t)Py_ARRAY_LENGTH(small)) {
        stack = small;
    }
    else {
        stack = PyMem_Malloc((size_t)(argcount + 1) * sizeof(PyObject *));
        if (stack == NULL) {
            return PyErr_NoMemory();
        }
    }
    stack[0] = obj;
    memcpy(&stack[1], _PyTuple_ITEMS(args),
           (size_t)argcount * sizeof(PyObject *));
    PyObject *result = PyObject_VectorcallDict(callable, stack,
                                               (size_t)argcount + 1, kwargs);
    if (stack != small) {
        PyMem_Free(stack);
    }
    return result;
}

/* ---- format-driven calls ---- */

/* Builds the argument tuple for PyObject_CallFunction-style calls.  A
   format producing a single tuple means "these are the arguments", as in
   CPython. */
static PyObject *
build_call_args(const char *format, va_list va)
{
    size_t len = strlen(format);
    char *wrapped = PyMem_Malloc(len + 3);
    if (wrapped == NULL) {
        return PyErr_NoMemory();
    }
    wrapped[0] = '(';
    memcpy(wrapped + 1, format, len);
    wrapped[len + 1] = ')';
    wrapped[len + 2] = '\0';
    PyObject *args = Py_VaBuildValue(wrapped, va);
    PyMem_Free(wrapped);
    if (args == NULL) {
        return NULL;
    }
    if (PyTuple_GET_SIZE(args) == 1 &&
        PyTuple_Check(PyTuple_GET_ITEM(args, 0))) {
        PyObject *inner = Py_NewRef(PyTuple_GET_ITEM(args, 0));
        Py_DECREF(args);
        return inner;
    }
    return args;
}

static PyObject *
call_function_va(PyObject *callable, const char *format, va_list va)
{
    if (callable == NULL) {
        if (!PyErr_Occurred()) {
            PyErr_BadInternalCall();
        }
        return NULL;
    }
    if (format == NULL || *format == '\0') {
        return PyObject_CallNoArgs(callable);
    }
    PyObject *args = build_call_args(format, va);
    if (args == NULL) {
        return NULL;
    }
    PyObject *result = PyObject_Call(callable, args, NULL);
    Py_DECREF(args);
    return result;
}

PyObject *
PyObject_CallFunction(PyObject *callable, const char *format, ...)
{
    va_list va;
    va_start(va, format);
    PyObject *result = call_function_va(callable, format, va);
    va_end(va);
    return result;
}

PyObject *
_PyObject_CallFunction_SizeT(PyObject *callable, const char *format, ...)
{
    va_list va;
    va_start(va, format);
    PyObject *result = call_function_va(callable, format, va);
    va_end(va);
    return result;
}

static PyObject *
call_method_va(PyObject *obj, PyObject *name, const char *format, va_list va)
{
    PyObject *callable = PyObject_GetAttr(obj, name);
    if (callable == NULL) {
        return NULL;
    }
    PyObject *result = call_function_va(callable, format, va);
    Py_DECREF(callable);
    return result;
}

PyObject *
PyObject_CallMethod(PyObject *obj, const char *name, const char *format, ...)
{
    if (obj == NULL || name == NULL) {
        if (!PyErr_Occurred()) {
            PyErr_BadInternalCall();
        }
        return NULL;
    }
    PyObject *n = PyUnicode_FromString(name);
    if (n == NULL) {
        return NULL;
    }
    va_list va;
    va_start(va, format);
    PyObject *result = call_method_va(obj, n, format, va);
    va_end(va);
    Py_DECREF(n);
    return result;
}

PyObject *
_PyObject_CallMethod_SizeT(PyObject *obj, const char *name,
                           const char *format, ...)
{
    if (obj == NULL || name == NULL) {
        if (!PyErr_Occurred()) {
            PyErr_BadInternalCall();
        }
        return NULL;
    }
    PyObject *n = PyUnicode_FromString(name);
    if (n == NULL) {
        return NULL;
    }
    va_list va;
    va_start(va, format);
    PyObject *result = call_method_va(obj, n, format, va);
    va_end(va);
    Py_DECREF(n);
    return result;
}

PyObject *
_PyObject_CallMethod(PyObject *obj, PyObject *name, const char *format, ...)
{
    va_list va;
    va_start(va, format);
    PyObject *result = call_method_va(obj, name, format, va);
    va_end(va);
    return result;
}

/* Counts the NULL-terminated object arguments. */
static Py_ssize_t
count_varargs(va_list va)
{
    Py_ssize_t n = 0;
    while (va_arg(va, PyObject *) != NULL) {
        n++;
    }
    return n;
}

static PyObject *
object_vacall(PyObject *base, PyObject *callable, va_list vargs)
{
    if (callable == NULL) {
        if (!PyErr_Occurred()) {
            PyErr_BadInternalCall();
        }
        return NULL;
    }
    va_list countva;
    va_copy(countva, vargs);
    Py_ssize_t nargs = count_varargs(countva) + (base != NULL);
    va_end(countva);
    PyObject *small[8];
    PyObject **stack = small;
    if (nargs > (Py_ssize_t)Py_ARRAY_LENGTH(small)) {
        stack = PyMem_Malloc((size_t)nargs * sizeof(PyObject *));
        if (stack == NULL) {
            return PyErr_NoMemory();
        }
    }
    Py_ssize_t i = 0;
    if (base != NULL) {
        stack[i++] = base;
    }
    for (; i < nargs; i++) {
        stack[i] = va_arg(vargs, PyObject *);
    }
    PyObject *result = PyObject_Vectorcall(callable, stack, (size_t)nargs,
                                           NULL);
    if (stack != small) {
        PyMem_Free(stack);
    }
    return result;
}

PyObject *
PyObject_CallFunctionObjArgs(PyObject *callable, ...)
{
    va_list vargs;
    va_start(vargs, callable);
    PyObject *result = object_vacall(NULL, callable, vargs);
    va_end(vargs);
    return result;
}

PyObject *
PyObject_CallMethodObjArgs(PyObject *obj, PyObject *name, ...)
{
    if (obj == NULL || name == NULL) {
        if (!PyErr_Occurred()) {
            PyErr_BadInternalCall();
        }
        return NULL;
    }
    PyObject *callable = NULL;
    int is_method = _PyObject_GetMethod(obj, name, &callable);
    if (callable == NULL) {
        return NULL;
    }
    va_list vargs;
    va_start(vargs, name);
    PyObject *result = object_vacall(is_method ? obj : NULL, callable, vargs);
    va_end(vargs);
    Py_DECREF(callable);
    return result;
}

PyObject *
PyObject_VectorcallMethod(PyObject *name, PyObject *const *args,
                          size_t nargsf, PyObject *kwnames)
{
    PyObject *callable = NULL;
    int unbound = _PyObject_GetMethod(args[0], name, &callable);
    if (callable == NULL) {
        return NULL;
    }
    PyObject *result;
    if (unbound) {
        result = PyObject_Vectorcall(callable, args, nargsf, kwnames);
        /* args[0] is self: the full argument array. */
    }
    else {
        /* The attribute is bound already: drop args[0]. */
        result = PyObject_Vectorcall(callable, args + 1,
                                     (size_t)(PyVectorcall_NARGS(nargsf) - 1) |
                                     PY_VECTORCALL_ARGUMENTS_OFFSET,
                                     kwnames);
    }
    Py_DECREF(callable);
    return result;
}

PyObject *
PyObject_CallMethodNoArgs(PyObject *self, PyObject *name)
{
    PyObject *args[1] = {self};
    return PyObject_VectorcallMethod(name, args,
                                     1 | PY_VECTORCALL_ARGUMENTS_OFFSET,
                                     NULL);
}

PyObject *
PyObject_CallMethodOneArg(PyObject *self, PyObject *name, PyObject *arg)
{
    PyObject *args[2] = {self, arg};
    return PyObject_VectorcallMethod(name, args,
                                     2 | PY_VECTORCALL_ARGUMENTS_OFFSET,
                                     NULL);
}
