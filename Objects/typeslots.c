/* Special methods and C slots, in both directions.
 *
 * A C type's slots are visible from Python as slot wrappers
 * (int.__add__ wraps nb_add through wrap_binaryfunc_l).  A class whose
 * namespace defines special methods gets the slot_* functions below in
 * its C slots (a class with __add__ gets slot_nb_add, which looks
 * __add__/__radd__ up and calls them).  One table, slotdefs, ties each
 * special-method name to its slot, its wrapper and its slot function.
 *
 * Thread safety: slotdefs is filled once (names interned) during
 * Py_Initialize and read-only afterwards.  Changing the slots of a
 * published heap type (C.__add__ = f, __bases__ assignment) computes the
 * new values first, then writes them with the world stopped, under
 * slot_update_lock so that two updates never interleave (see
 * Include/internal/pycore_typeobject.h). */
#include "Python.h"
#include "pycore_object.h"
#include "pycore_pystate.h"
#include "pycore_excstate.h"
#include "pycore_global_strings.h"
#include "pycore_typeobject.h"
#include "pycore_call.h"
#include "pycore_abstract.h"
#include "structmember.h"

#include <stddef.h>

/* ================================================================ calling helpers */

/* The attribute `name` of type(self), bound to self unless it is a method
   descriptor (then *unbound = 1 and the caller passes self).  New
   reference, or NULL with no exception when missing. */
static PyObject *
lookup_maybe_method(PyObject *self, PyObject *name, int *unbound)
{
    PyObject *res = _PyType_LookupRef(Py_TYPE(self), name);
    if (res == NULL) {
        return NULL;
    }
    if (PyType_HasFeature(Py_TYPE(res), Py_TPFLAGS_METHOD_DESCRIPTOR)) {
        *unbound = 1;
        return res;
    }
    *unbound = 0;
    descrgetfunc f = Py_TYPE(res)->tp_descr_get;
    if (f != NULL) {
        Py_SETREF(res, f(res, self, (PyObject *)Py_TYPE(self)));
    }
    return res;
}

static PyObject *
lookup_method(PyObject *self, PyObject *name, int *unbound)
{
    PyObject *res = lookup_maybe_method(self, name, unbound);
    if (res == NULL && !PyErr_Occurred()) {
        PyErr_SetObject(PyExc_AttributeError, name);
    }
    return res;
}

/* Calls func(self, *args) when unbound, func(*args) otherwise; args[0]
   is self.  Steals nothing. */
static PyObject *
call_unbound(int unbound, PyObject *func, PyObject *const *args,
             Py_ssize_t nargs)
{
    if (unbound) {
        return PyObject_Vectorcall(func, args, (size_t)nargs, NULL);
    }
    return PyObject_Vectorcall(func, args + 1, (size_t)nargs - 1, NULL);
}

/* type(args[0]).name(*args); AttributeError when missing. */
static PyObject *
vectorcall_method(PyObject *name, PyObject *const *args, Py_ssize_t nargs)
{
    int unbound;
    PyObject *func = lookup_method(args[0], name, &unbound);
    if (func == NULL) {
        return NULL;
    }
    PyObject *res = call_unbound(unbound, func, args, nargs);
    Py_DECREF(func);
    return res;
}

/* The same, but NotImplemented when the method is missing. */
static PyObject *
vectorcall_maybe(PyObject *name, PyObject *const *args, Py_ssize_t nargs)
{
    int unbound;
    PyObject *func = lookup_maybe_method(args[0], name, &unbound);
    if (func == NULL) {
        if (!PyErr_Occurred()) {
            Py_RETURN_NOTIMPLEMENTED;
        }
        return NULL;
    }
    PyObject *res = call_unbound(unbound, func, args, nargs);
    Py_DECREF(func);
    return res;
}

/* Does type(right) define `name` differently from type(left)? */
static int
method_is_overloaded(PyObject *left, PyObject *right, PyObject *name)
{
    PyObject *b = _PyType_LookupRef(Py_TYPE(right), name);
    if (b == NULL) {
        return PyErr_Occurred() ? -1 : 0;
    }
    PyObject *a = _PyType_LookupRef(Py_TYPE(left), name);
    if (a == NULL) {
        Py_DECREF(b);
        return PyErr_Occurred() ? -1 : 1;
    }
    int ok = PyObject_RichCompareBool(a, b, Py_NE);
    Py_DECREF(a);
    Py_DECREF(b);
    return ok;
}

/* ================================================================ slot functions */

#define SLOT0(FUNCNAME, DUNDER)                                         \
    static PyObject *                                                   \
    FUNCNAME(PyObject *self)                                            \
    {                                                                   \
        PyObject *stack[1] = {self};                                    \
        return vectorcall_method(_Py_ID(DUNDER), stack, 1);             \
    }

#define SLOT1(FUNCNAME, DUNDER)                                         \
    static PyObject *                                                   \
    FUNCNAME(PyObject *self, PyObject *arg1)                            \
    {                                                                   \
        PyObject *stack[2] = {self, arg1};                              \
        return vectorcall_method(_Py_ID(DUNDER), stack, 2);             \
    }

/* Binary operator slot: tries self.__op__(other) and
   other.__rop__(self), giving a subclass operand that overrides __rop__
   the first try (CPython's rules). */
#define SLOT1BINFULL(FUNCNAME, TESTFUNC, SLOTNAME, DUNDER, RDUNDER)     \
    static PyObject *                                                   \
    FUNCNAME(PyObject *self, PyObject *other)                           \
    {                                                                   \
        PyObject *stack[2];                                             \
        int do_other = !Py_IS_TYPE(self, Py_TYPE(other)) &&             \
            Py_TYPE(other)->tp_as_number != NULL &&                     \
            Py_TYPE(other)->tp_as_number->SLOTNAME == TESTFUNC;         \
        if (Py_TYPE(self)->tp_as_number != NULL &&                      \
            Py_TYPE(self)->tp_as_number->SLOTNAME == TESTFUNC) {        \
            PyObject *r;                                                \
            if (do_other &&                                             \
                PyType_IsSubtype(Py_TYPE(other), Py_TYPE(self))) {      \
                int ok = method_is_overloaded(self, other,              \
                                              _Py_ID(RDUNDER));         \
                if (ok < 0) {                                           \
                    return NULL;                                        \
                }                                                       \
                if (ok) {                                               \
                    stack[0] = other;                                   \
                    stack[1] = self;                                    \
                    r = vectorcall_maybe(_Py_ID(RDUNDER), stack, 2);    \
                    if (r != Py_NotImplemented) {                       \
                        return r;                                       \
                    }                                                   \
                    Py_DECREF(r);                                       \
                    do_other = 0;                                       \
                }                                                       \
            }                                                           \
            stack[0] = self;                                            \
            stack[1] = other;                                           \
            r = vectorcall_maybe(_Py_ID(DUNDER), stack, 2);             \
            if (r != Py_NotImplemented ||                               \
                Py_IS_TYPE(other, Py_TYPE(self))) {                     \
                return r;                                               \
            }                                                           \
            Py_DECREF(r);                                               \
        }                                                               \
        if (do_other) {                                                 \
            stack[0] = other;                                           \
            stack[1] = self;                                            \
            return vectorcall_maybe(_Py_ID(RDUNDER), stack, 2);         \
        }                                                               \
        Py_RETURN_NOTIMPLEMENTED;                                       \
    }

#define SLOT1BIN(FUNCNAME, SLOTNAME, DUNDER, RDUNDER) \
    SLOT1BINFULL(FUNCNAME, FUNCNAME, SLOTNAME, DUNDER, RDUNDER)

SLOT1BIN(slot_nb_add, nb_add, __add__, __radd__)
SLOT1BIN(slot_nb_subtract, nb_subtract, __sub__, __rsub__)
SLOT1BIN(slot_nb_multiply, nb_multiply, __mul__, __rmul__)
SLOT1BIN(slot_nb_matrix_multiply, nb_matrix_multiply, __matmul__,
         __rmatmul__)
SLOT1BIN(slot_nb_remainder, nb_remainder, __mod__, __rmod__)
SLOT1BIN(slot_nb_divmod, nb_divmod, __divmod__, __rdivmod__)
SLOT1BIN(slot_nb_lshift, nb_lshift, __lshift__, __rlshift__)
SLOT1BIN(slot_nb_rshift, nb_rshift, __rshift__, __rrshift__)
SLOT1BIN(slot_nb_and, nb_and, __and__, __rand__)
SLOT1BIN(slot_nb_xor, nb_xor, __xor__, __rxor__)
SLOT1BIN(slot_nb_or, nb_or, __or__, __ror__)
SLOT1BIN(slot_nb_floor_divide, nb_floor_divide, __floordiv__,
         __rfloordiv__)
SLOT1BIN(slot_nb_true_divide, nb_true_divide, __truediv__, __rtruediv__)

static PyObject *slot_nb_power(PyObject *, PyObject *, PyObject *);

static PyObject *
slot_nb_power_binary(PyObject *self, PyObject *other);
SLOT1BINFULL(slot_nb_power_binary, slot_nb_power, nb_power, __pow__,
             __rpow__)

static PyObject *
slot_nb_power(PyObject *self, PyObject *other, PyObject *modulus)
{
    if (modulus == Py_None) {
        return slot_nb_power_binary(self, other);
    }
    /* Three-argument pow() has no reflected form. */
    if (Py_TYPE(self)->tp_as_number != NULL &&
        Py_TYPE(self)->tp_as_number->nb_power == slot_nb_power) {
        PyObject *stack[3] = {self, other, modulus};
        return vectorcall_method(_Py_ID(__pow__), stack, 3);
    }
    Py_RETURN_NOTIMPLEMENTED;
}

SLOT0(slot_nb_negative, __neg__)
SLOT0(slot_nb_positive, __pos__)
SLOT0(slot_nb_absolute, __abs__)
SLOT0(slot_nb_invert, __invert__)
SLOT0(slot_nb_int, __int__)
SLOT0(slot_nb_float, __float__)
SLOT0(slot_nb_index, __index__)

SLOT1(slot_nb_inplace_add, __iadd__)
SLOT1(slot_nb_inplace_subtract, __isub__)
SLOT1(slot_nb_inplace_multiply, __imul__)
SLOT1(slot_nb_inplace_matrix_multiply, __imatmul__)
SLOT1(slot_nb_inplace_remainder, __imod__)
SLOT1(slot_nb_inplace_lshift, __ilshift__)
SLOT1(slot_nb_inplace_rshift, __irshift__)
SLOT1(slot_nb_inplace_and, __iand__)
SLOT1(slot_nb_inplace_xor, __ixor__)
SLOT1(slot_nb_inplace_or, __ior__)
SLOT1(slot_nb_inplace_floor_divide, __ifloordiv__)
SLOT1(slot_nb_inplace_true_divide, __itruediv__)

static PyObject *
slot_nb_inplace_power(PyObject *self, PyObject *arg1, PyObject *arg2)
{
    PyObject *stack[2] = {self, arg1};
    return vectorcall_method(_Py_ID(__ipow__), stack, 2);
}

SLOT0(slot_am_await, __await__)
SLOT0(slot_am_aiter, __aiter__)
SLOT0(slot_am_anext, __anext__)

/* len(self) through __len__: an int >= 0 that fits Py_ssize_t. */
static Py_ssize_t
slot_sq_length(PyObject *self)
{
    PyObject *stack[1] = {self};
    PyObject *res = vectorcall_method(_Py_ID(__len__), stack, 1);
    if (res == NULL) {
        return -1;
    }
    Py_SETREF(res, _PyNumber_Index(res));
    if (res == NULL) {
        return -1;
    }
    if (_PyLong_Sign(res) < 0) {
        Py_DECREF(res);
        PyErr_SetString(PyExc_ValueError, "__len__() should return >= 0");
        return -1;
    }
    Py_ssize_t len = PyNumber_AsSsize_t(res, PyExc_OverflowError);
    Py_DECREF(res);
    return len;
}

static int
slot_nb_bool(PyObject *self)
{
    int unbound, using_len = 0;
    PyObject *func = lookup_maybe_method(self, _Py_ID(__bool__), &unbound);
    if (func == NULL) {
        if (PyErr_Occurred()) {
            return -1;
        }
        func = lookup_maybe_method(self, _Py_ID(__len__), &unbound);
        if (func == NULL) {
            return PyErr_Occurred() ? -1 : 1;
        }
        Py_DECREF(func);
        using_len = 1;
    }
    if (using_len) {
        Py_ssize_t len = slot_sq_length(self);
        return len < 0 ? -1 : len > 0;
    }
    PyObject *stack[1] = {self};
    PyObject *value = call_unbound(unbound, func, stack, 1);
    Py_DECREF(func);
    if (value == NULL) {
        return -1;
    }
    int result;
    if (PyBool_Check(value)) {
        result = (value == Py_True);
    }
    else {
        PyErr_Format(PyExc_TypeError,
                     "__bool__ should return bool, returned %s",
                     Py_TYPE(value)->tp_name);
        result = -1;
    }
    Py_DECREF(value);
    return result;
}

static PyObject *
slot_sq_item(PyObject *self, Py_ssize_t i)
{
    PyObject *ival = PyLong_FromSsize_t(i);
    if (ival == NULL) {
        return NULL;
    }
    PyObject *stack[2] = {self, ival};
    PyObject *res = vectorcall_method(_Py_ID(__getitem__), stack, 2);
    Py_DECREF(ival);
    return res;
}

static int
slot_sq_ass_item(PyObject *self, Py_ssize_t index, PyObject *value)
{
    PyObject *index_obj = PyLong_FromSsize_t(index);
    if (index_obj == NULL) {
        return -1;
    }
    PyObject *res;
    if (value == NULL) {
        PyObject *stack[2] = {self, index_obj};
        res = vectorcall_method(_Py_ID(__delitem__), stack, 2);
    }
    else {
        PyObject *stack[3] = {self, index_obj, value};
        res = vectorcall_method(_Py_ID(__setitem__), stack, 3);
    }
    Py_DECREF(index_obj);
    if (res == NULL) {
        return -1;
    }
    Py_DECREF(res);
    return 0;
}

static int
slot_sq_contains(PyObject *self, PyObject *value)
{
    int unbound;
    PyObject *func = lookup_maybe_method(self, _Py_ID(__contains__),
                                         &unbound);
    if (func == Py_None) {
        Py_DECREF(func);
        PyErr_Format(PyExc_TypeError, "'%.200s' object is not a container",
                     Py_TYPE(self)->tp_name);
        return -1;
    }
    if (func != NULL) {
        PyObject *stack[2] = {self, value};
        PyObject *res = call_unbound(unbound, func, stack, 2);
        Py_DECREF(func);
        if (res == NULL) {
            return -1;
        }
        int result = PyObject_IsTrue(res);
        Py_DECREF(res);
        return result;
    }
    if (PyErr_Occurred()) {
        return -1;
    }
    /* No __contains__: iterate. */
    Py_ssize_t r = _PySequence_IterSearch(self, value,
                                          PY_ITERSEARCH_CONTAINS);
    return (int)r;
}

SLOT1(slot_mp_subscript, __getitem__)

static int
slot_mp_ass_subscript(PyObject *self, PyObject *key, PyObject *value)
{
    PyObject *res;
    if (value == NULL) {
        PyObject *stack[2] = {self, key};
        res = vectorcall_method(_Py_ID(__delitem__), stack, 2);
    }
    else {
        PyObject *stack[3] = {self, key, value};
        res = vectorcall_method(_Py_ID(__setitem__), stack, 3);
    }
    if (res == NULL) {
        return -1;
    }
    Py_DECREF(res);
    return 0;
}

static PyObject *
slot_tp_repr(PyObject *self)
{
    int unbound;
    PyObject *func = lookup_maybe_method(self, _Py_ID(__repr__), &unbound);
    if (func != NULL) {
        PyObject *stack[1] = {self};
        PyObject *res = call_unbound(unbound, func, stack, 1);
        Py_DECREF(func);
        return res;
    }
    if (PyErr_Occurred()) {
        return NULL;
    }
    return PyUnicode_FromFormat("<%s object at %p>",
                                Py_TYPE(self)->tp_name, self);
}

SLOT0(slot_tp_str, __str__)

static Py_hash_t
slot_tp_hash(PyObject *self)
{
    int unbound;
    PyObject *func = lookup_maybe_method(self, _Py_ID(__hash__), &unbound);
    if (func == Py_None) {
        Py_CLEAR(func);
    }
    if (func == NULL) {
        return PyErr_Occurred() ? -1 : PyObject_HashNotImplemented(self);
    }
    PyObject *stack[1] = {self};
    PyObject *res = call_unbound(unbound, func, stack, 1);
    Py_DECREF(func);
    if (res == NULL) {
        return -1;
    }
    if (!PyLong_Check(res)) {
        PyErr_SetString(PyExc_TypeError,
                        "__hash__ method should return an integer");
        Py_DECREF(res);
        return -1;
    }
    /* Reduce big ints the way hash(int) does. */
    Py_hash_t h = PyLong_AsSsize_t(res);
    if (h == -1 && PyErr_Occurred()) {
        PyErr_Clear();
        h = PyLong_Type.tp_hash(res);
    }
    else if (h == -1) {
        h = -2;
    }
    Py_DECREF(res);
    return h;
}

static PyObject *
slot_tp_call(PyObject *self, PyObject *args, PyObject *kwds)
{
    int unbound;
    PyObject *meth = lookup_method(self, _Py_ID(__call__), &unbound);
    if (meth == NULL) {
        return NULL;
    }
    PyObject *res;
    if (unbound) {
        res = _PyObject_Call_Prepend(meth, self, args, kwds);
    }
    else {
        res = PyObject_Call(meth, args, kwds);
    }
    Py_DECREF(meth);
    return res;
}

static PyObject *
call_attribute(PyObject *self, PyObject *attr, PyObject *name)
{
    PyObject *res;
    descrgetfunc f = Py_TYPE(attr)->tp_descr_get;
    if (f != NULL) {
        attr = f(attr, self, (PyObject *)Py_TYPE(self));
        if (attr == NULL) {
            return NULL;
        }
    }
    else {
        Py_INCREF(attr);
    }
    res = PyObject_CallOneArg(attr, name);
    Py_DECREF(attr);
    return res;
}

/* __getattribute__ (Python or generic), then __getattr__ on
   AttributeError. */
static PyObject *
slot_tp_getattr_hook(PyObject *self, PyObject *name)
{
    PyTypeObject *tp = Py_TYPE(self);
    PyObject *getattr = _PyType_LookupRef(tp, _Py_ID(__getattr__));
    PyObject *getattribute = _PyType_LookupRef(tp,
                                               _Py_ID(__getattribute__));
    PyObject *res;
    if (getattribute == NULL ||
        (Py_IS_TYPE(getattribute, &PyWrapperDescr_Type) &&
         ((PyWrapperDescrObject *)getattribute)->d_wrapped ==
         (void *)PyObject_GenericGetAttr)) {
        res = _PyObject_GenericGetAttrWithDict(self, name, NULL,
                                               getattr != NULL);
    }
    else {
        res = call_attribute(self, getattribute, name);
    }
    Py_XDECREF(getattribute);
    if (getattr != NULL) {
        if (res == NULL && (!PyErr_Occurred() ||
                            PyErr_ExceptionMatches(PyExc_AttributeError))) {
            PyErr_Clear();
            res = call_attribute(self, getattr, name);
        }
        Py_DECREF(getattr);
    }
    return res;
}

static int
slot_tp_setattro(PyObject *self, PyObject *name, PyObject *value)
{
    PyObject *res;
    if (value == NULL) {
        PyObject *stack[2] = {self, name};
        res = vectorcall_method(_Py_ID(__delattr__), stack, 2);
    }
    else {
        PyObject *stack[3] = {self, name, value};
        res = vectorcall_method(_Py_ID(__setattr__), stack, 3);
    }
    if (res == NULL) {
        return -1;
    }
    Py_DECREF(res);
    return 0;
}

static PyObject *
richcmp_name(int op)
{
    switch (op) {
    case Py_LT: return _Py_ID(__lt__);
    case Py_LE: return _Py_ID(__le__);
    case Py_EQ: return _Py_ID(__eq__);
    case Py_NE: return _Py_ID(__ne__);
    case Py_GT: return _Py_ID(__gt__);
    default: return _Py_ID(__ge__);
    }
}

static PyObject *
slot_tp_richcompare(PyObject *self, PyObject *other, int op)
{
    int unbound;
    PyObject *func = lookup_maybe_method(self, richcmp_name(op), &unbound);
    if (func == NULL) {
        if (PyErr_Occurred()) {
            return NULL;
        }
        Py_RETURN_NOTIMPLEMENTED;
    }
    PyObject *stack[2] = {self, other};
    PyObject *res = call_unbound(unbound, func, stack, 2);
    Py_DECREF(func);
    return res;
}

static PyObject *
slot_tp_iter(PyObject *self)
{
    int unbound;
    PyObject *func = lookup_maybe_method(self, _Py_ID(__iter__), &unbound);
    if (func == Py_None) {
        Py_DECREF(func);
        PyErr_Format(PyExc_TypeError, "'%.200s' object is not iterable",
                     Py_TYPE(self)->tp_name);
        return NULL;
    }
    if (func != NULL) {
        PyObject *stack[1] = {self};
        PyObject *res = call_unbound(unbound, func, stack, 1);
        Py_DECREF(func);
        return res;
    }
    if (PyErr_Occurred()) {
        return NULL;
    }
    func = lookup_maybe_method(self, _Py_ID(__getitem__), &unbound);
    if (func == NULL) {
        if (!PyErr_Occurred()) {
            PyErr_Format(PyExc_TypeError, "'%.200s' object is not iterable",
                         Py_TYPE(self)->tp_name);
        }
        return NULL;
    }
    Py_DECREF(func);
    return PySeqIter_New(self);
}

static PyObject *
slot_tp_iternext(PyObject *self)
{
    PyObject *stack[1] = {self};
    return vectorcall_method(_Py_ID(__next__), stack, 1);
}

static PyObject *
slot_tp_descr_get(PyObject *self, PyObject *obj, PyObject *type)
{
    PyTypeObject *tp = Py_TYPE(self);
    PyObject *get = _PyType_LookupRef(tp, _Py_ID(__get__));
    if (get == NULL) {
        if (PyErr_Occurred()) {
            return NULL;
        }
        return Py_NewRef(self);
    }
    if (obj == NULL) {
        obj = Py_None;
    }
    if (type == NULL) {
        type = Py_None;
    }
    PyObject *stack[3] = {self, obj, type};
    PyObject *res = PyObject_Vectorcall(get, stack, 3, NULL);
    Py_DECREF(get);
    return res;
}

static int
slot_tp_descr_set(PyObject *self, PyObject *target, PyObject *value)
{
    PyObject *res;
    if (value == NULL) {
        PyObject *stack[2] = {self, target};
        res = vectorcall_method(_Py_ID(__delete__), stack, 2);
    }
    else {
        PyObject *stack[3] = {self, target, value};
        res = vectorcall_method(_Py_ID(__set__), stack, 3);
    }
    if (res == NULL) {
        return -1;
    }
    Py_DECREF(res);
    return 0;
}

static int
slot_tp_init(PyObject *self, PyObject *args, PyObject *kwds)
{
    int unbound;
    PyObject *meth = lookup_method(self, _Py_ID(__init__), &unbound);
    if (meth == NULL) {
        return -1;
    }
    PyObject *res;
    if (unbound) {
        res = _PyObject_Call_Prepend(meth, self, args, kwds);
    }
    else {
        res = PyObject_Call(meth, args, kwds);
    }
    Py_DECREF(meth);
    if (res == NULL) {
        return -1;
    }
    if (res != Py_None) {
        PyErr_Format(PyExc_TypeError,
                     "__init__() should return None, not '%.200s'",
                     Py_TYPE(res)->tp_name);
        Py_DECREF(res);
        return -1;
    }
    Py_DECREF(res);
    return 0;
}

/* __new__ is a staticmethod: call type.__new__(type, *args, **kwds). */
PyObject *
_PyTypeSlots_tp_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *func = PyObject_GetAttr((PyObject *)type, _Py_ID(__new__));
    if (func == NULL) {
        return NULL;
    }
    PyObject *result = _PyObject_Call_Prepend(func, (PyObject *)type, args,
                                              kwds);
    Py_DECREF(func);
    return result;
}

static void
slot_tp_finalize(PyObject *self)
{
    PyObject *exc = PyErr_GetRaisedException();
    int unbound;
    PyObject *del = lookup_maybe_method(self, _Py_ID(__del__), &unbound);
    if (del != NULL) {
        PyObject *stack[1] = {self};
        PyObject *res = call_unbound(unbound, del, stack, 1);
        if (res == NULL) {
            PyErr_WriteUnraisable(del);
        }
        else {
            Py_DECREF(res);
        }
        Py_DECREF(del);
    }
    else {
        PyErr_Clear();
    }
    PyErr_SetRaisedException(exc);
}

/* ================================================================ wrappers */

static int
check_num_args(PyObject *ob, Py_ssize_t n)
{
    if (!PyTuple_CheckExact(ob)) {
        PyErr_SetString(PyExc_SystemError,
                        "PyArg_UnpackTuple() argument list is not a tuple");
        return 0;
    }
    if (n == PyTuple_GET_SIZE(ob)) {
        return 1;
    }
    PyErr_Format(PyExc_TypeError, "expected %zd argument%s, got %zd",
                 n, n == 1 ? "" : "s", PyTuple_GET_SIZE(ob));
    return 0;
}

static PyObject *
wrap_lenfunc(PyObject *self, PyObject *args, void *wrapped)
{
    lenfunc func = (lenfunc)wrapped;
    if (!check_num_args(args, 0)) {
        return NULL;
    }
    Py_ssize_t res = (*func)(self);
    if (res == -1 && PyErr_Occurred()) {
        return NULL;
    }
    return PyLong_FromSsize_t(res);
}

static PyObject *
wrap_inquirypred(PyObject *self, PyObject *args, void *wrapped)
{
    inquiry func = (inquiry)wrapped;
    if (!check_num_args(args, 0)) {
        return NULL;
    }
    int res = (*func)(self);
    if (res == -1 && PyErr_Occurred()) {
        return NULL;
    }
    return PyBool_FromLong(res);
}

static PyObject *
wrap_binaryfunc(PyObject *self, PyObject *args, void *wrapped)
{
    binaryfunc func = (binaryfunc)wrapped;
    if (!check_num_args(args, 1)) {
        return NULL;
    }
    return (*func)(self, PyTuple_GET_ITEM(args, 0));
}

static PyObject *
wrap_binaryfunc_l(PyObject *self, PyObject *args, void *wrapped)
{
    return wrap_binaryfunc(self, args, wrapped);
}

static PyObject *
wrap_binaryfunc_r(PyObject *self, PyObject *args, void *wrapped)
{
    binaryfunc func = (binaryfunc)wrapped;
    if (!check_num_args(args, 1)) {
        return NULL;
    }
    return (*func)(PyTuple_GET_ITEM(args, 0), self);
}

/* pow(self, value[, mod]) */
static PyObject *
wrap_ternaryfunc(PyObject *self, PyObject *args, void *wrapped)
{
    ternaryfunc func = (ternaryfunc)wrapped;
    PyObject *other, *third = Py_None;
    if (!PyArg_UnpackTuple(args, "", 1, 2, &other, &third)) {
        return NULL;
    }
    return (*func)(self, other, third);
}

static PyObject *
wrap_ternaryfunc_r(PyObject *self, PyObject *args, void *wrapped)
{
    ternaryfunc func = (ternaryfunc)wrapped;
    PyObject *other, *third = Py_None;
    if (!PyArg_UnpackTuple(args, "", 1, 2, &other, &third)) {
        return NULL;
    }
    return (*func)(other, self, third);
}

static PyObject *
wrap_unaryfunc(PyObject *self, PyObject *args, void *wrapped)
{
    unaryfunc func = (unaryfunc)wrapped;
    if (!check_num_args(args, 0)) {
        return NULL;
    }
    return (*func)(self);
}

static PyObject *
wrap_indexargfunc(PyObject *self, PyObject *args, void *wrapped)
{
    ssizeargfunc func = (ssizeargfunc)wrapped;
    if (!PyArg_UnpackTuple(args, "", 1, 1, &args)) {
        return NULL;
    }
    Py_ssize_t i = PyNumber_AsSsize_t(args, PyExc_OverflowError);
    if (i == -1 && PyErr_Occurred()) {
        return NULL;
    }
    return (*func)(self, i);
}

/* A sequence index: __index__, negative values counted from the end. */
static Py_ssize_t
getindex(PyObject *self, PyObject *arg)
{
    Py_ssize_t i = PyNumber_AsSsize_t(arg, PyExc_OverflowError);
    if (i == -1 && PyErr_Occurred()) {
        return -1;
    }
    if (i < 0) {
        PySequenceMethods *sq = Py_TYPE(self)->tp_as_sequence;
        if (sq && sq->sq_length) {
            Py_ssize_t n = (*sq->sq_length)(self);
            if (n < 0) {
                return -1;
            }
            i += n;
        }
    }
    return i;
}

static PyObject *
wrap_sq_item(PyObject *self, PyObject *args, void *wrapped)
{
    ssizeargfunc func = (ssizeargfunc)wrapped;
    if (!check_num_args(args, 1)) {
        return NULL;
    }
    Py_ssize_t i = getindex(self, PyTuple_GET_ITEM(args, 0));
    if (i == -1 && PyErr_Occurred()) {
        return NULL;
    }
    return (*func)(self, i);
}

static PyObject *
wrap_sq_setitem(PyObject *self, PyObject *args, void *wrapped)
{
    ssizeobjargproc func = (ssizeobjargproc)wrapped;
    PyObject *arg, *value;
    if (!PyArg_UnpackTuple(args, "", 2, 2, &arg, &value)) {
        return NULL;
    }
    Py_ssize_t i = getindex(self, arg);
    if (i == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if ((*func)(self, i, value) == -1) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
wrap_sq_delitem(PyObject *self, PyObject *args, void *wrapped)
{
    ssizeobjargproc func = (ssizeobjargproc)wrapped;
    if (!check_num_args(args, 1)) {
        return NULL;
    }
    Py_ssize_t i = getindex(self, PyTuple_GET_ITEM(args, 0));
    if (i == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if ((*func)(self, i, NULL) == -1) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
wrap_objobjproc(PyObject *self, PyObject *args, void *wrapped)
{
    objobjproc func = (objobjproc)wrapped;
    if (!check_num_args(args, 1)) {
        return NULL;
    }
    int res = (*func)(self, PyTuple_GET_ITEM(args, 0));
    if (res == -1 && PyErr_Occurred()) {
        return NULL;
    }
    return PyBool_FromLong(res);
}

static PyObject *
wrap_objobjargproc(PyObject *self, PyObject *args, void *wrapped)
{
    objobjargproc func = (objobjargproc)wrapped;
    PyObject *key, *value;
    if (!PyArg_UnpackTuple(args, "", 2, 2, &key, &value)) {
        return NULL;
    }
    if ((*func)(self, key, value) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
wrap_delitem(PyObject *self, PyObject *args, void *wrapped)
{
    objobjargproc func = (objobjargproc)wrapped;
    if (!check_num_args(args, 1)) {
        return NULL;
    }
    if ((*func)(self, PyTuple_GET_ITEM(args, 0), NULL) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* object.__setattr__(C, ...) must not bypass type's own __setattr__ (the
   "carlo verre hack" check of CPython). */
static int
hackcheck(PyObject *self, setattrofunc func, const char *what)
{
    PyTypeObject *type = Py_TYPE(self);
    PyObject *mro = _PyType_GetMRO(type);
    if (mro == NULL) {
        return 1;
    }
    PyTypeObject *defining = NULL;
    Py_ssize_t n = PyTuple_GET_SIZE(mro);
    /* The first class in the MRO that is not a heap type decides. */
    for (Py_ssize_t i = 0; i < n; i++) {
        PyTypeObject *b = (PyTypeObject *)PyTuple_GET_ITEM(mro, i);
        if (!PyType_HasFeature(b, Py_TPFLAGS_HEAPTYPE)) {
            defining = b;
            break;
        }
    }
    Py_DECREF(mro);
    if (defining != NULL && defining->tp_setattro != func) {
        PyErr_Format(PyExc_TypeError, "can't apply this %s to %s object",
                     what, defining->tp_name);
        return 0;
    }
    return 1;
}

static PyObject *
wrap_setattr(PyObject *self, PyObject *args, void *wrapped)
{
    setattrofunc func = (setattrofunc)wrapped;
    PyObject *name, *value;
    if (!PyArg_UnpackTuple(args, "", 2, 2, &name, &value)) {
        return NULL;
    }
    if (!hackcheck(self, func, "__setattr__")) {
        return NULL;
    }
    if ((*func)(self, name, value) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
wrap_delattr(PyObject *self, PyObject *args, void *wrapped)
{
    setattrofunc func = (setattrofunc)wrapped;
    if (!check_num_args(args, 1)) {
        return NULL;
    }
    if (!hackcheck(self, func, "__delattr__")) {
        return NULL;
    }
    if ((*func)(self, PyTuple_GET_ITEM(args, 0), NULL) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
wrap_hashfunc(PyObject *self, PyObject *args, void *wrapped)
{
    hashfunc func = (hashfunc)wrapped;
    if (!check_num_args(args, 0)) {
        return NULL;
    }
    Py_hash_t res = (*func)(self);
    if (res == -1 && PyErr_Occurred()) {
        return NULL;
    }
    return PyLong_FromSsize_t(res);
}

static PyObject *
wrap_call(PyObject *self, PyObject *args, void *wrapped, PyObject *kwds)
{
    ternaryfunc func = (ternaryfunc)wrapped;
    return (*func)(self, args, kwds);
}

static PyObject *
wrap_del(PyObject *self, PyObject *args, void *wrapped)
{
    destructor func = (destructor)wrapped;
    if (!check_num_args(args, 0)) {
        return NULL;
    }
    (*func)(self);
    Py_RETURN_NONE;
}

#define RICHCMP_WRAPPER(NAME, OP)                                       \
    static PyObject *                                                   \
    richcmp_##NAME(PyObject *self, PyObject *args, void *wrapped)       \
    {                                                                   \
        richcmpfunc func = (richcmpfunc)wrapped;                        \
        if (!check_num_args(args, 1)) {                                 \
            return NULL;                                                \
        }                                                               \
        return (*func)(self, PyTuple_GET_ITEM(args, 0), OP);            \
    }

RICHCMP_WRAPPER(lt, Py_LT)
RICHCMP_WRAPPER(le, Py_LE)
RICHCMP_WRAPPER(eq, Py_EQ)
RICHCMP_WRAPPER(ne, Py_NE)
RICHCMP_WRAPPER(gt, Py_GT)
RICHCMP_WRAPPER(ge, Py_GE)

static PyObject *
wrap_next(PyObject *self, PyObject *args, void *wrapped)
{
    unaryfunc func = (unaryfunc)wrapped;
    if (!check_num_args(args, 0)) {
        return NULL;
    }
    PyObject *res = (*func)(self);
    if (res == NULL && !PyErr_Occurred()) {
        PyErr_SetNone(PyExc_StopIteration);
    }
    return res;
}

static PyObject *
wrap_descr_get(PyObject *self, PyObject *args, void *wrapped)
{
    descrgetfunc func = (descrgetfunc)wrapped;
    PyObject *obj, *type = NULL;
    if (!PyArg_UnpackTuple(args, "", 1, 2, &obj, &type)) {
        return NULL;
    }
    if (obj == Py_None) {
        obj = NULL;
    }
    if (type == Py_None) {
        type = NULL;
    }
    if (type == NULL && obj == NULL) {
        PyErr_SetString(PyExc_TypeError,
                        "__get__(None, None) is invalid");
        return NULL;
    }
    return (*func)(self, obj, type);
}

static PyObject *
wrap_descr_set(PyObject *self, PyObject *args, void *wrapped)
{
    descrsetfunc func = (descrsetfunc)wrapped;
    PyObject *obj, *value;
    if (!PyArg_UnpackTuple(args, "", 2, 2, &obj, &value)) {
        return NULL;
    }
    if ((*func)(self, obj, value) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
wrap_descr_delete(PyObject *self, PyObject *args, void *wrapped)
{
    descrsetfunc func = (descrsetfunc)wrapped;
    if (!check_num_args(args, 1)) {
        return NULL;
    }
    if ((*func)(self, PyTuple_GET_ITEM(args, 0), NULL) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
wrap_init(PyObject *self, PyObject *args, void *wrapped, PyObject *kwds)
{
    initproc func = (initproc)wrapped;
    if ((*func)(self, args, kwds) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* ================================================================ slotdefs */

#undef TPSLOT
#define TPSLOT(NAME, SLOT, FUNCTION, WRAPPER, DOC) \
    {#NAME, offsetof(PyTypeObject, SLOT), (void *)(FUNCTION), WRAPPER, \
     DOC, 0, NULL}
#define FLSLOT(NAME, SLOT, FUNCTION, WRAPPER, DOC, FLAGS) \
    {#NAME, offsetof(PyTypeObject, SLOT), (void *)(FUNCTION), \
     (wrapperfunc)(void (*)(void))(WRAPPER), DOC, FLAGS, NULL}
#define ETSLOT(NAME, SLOT, FUNCTION, WRAPPER, DOC) \
    {#NAME, offsetof(PyHeapTypeObject, SLOT), (void *)(FUNCTION), WRAPPER, \
     DOC, 0, NULL}
#define AMSLOT(NAME, SLOT, FUNCTION, WRAPPER, DOC) \
    ETSLOT(NAME, as_async.SLOT, FUNCTION, WRAPPER, DOC)
#define SQSLOT(NAME, SLOT, FUNCTION, WRAPPER, DOC) \
    ETSLOT(NAME, as_sequence.SLOT, FUNCTION, WRAPPER, DOC)
#define MPSLOT(NAME, SLOT, FUNCTION, WRAPPER, DOC) \
    ETSLOT(NAME, as_mapping.SLOT, FUNCTION, WRAPPER, DOC)
#define NBSLOT(NAME, SLOT, FUNCTION, WRAPPER, DOC) \
    ETSLOT(NAME, as_number.SLOT, FUNCTION, WRAPPER, DOC)
#define UNSLOT(NAME, SLOT, FUNCTION, WRAPPER, DOC) \
    ETSLOT(NAME, as_number.SLOT, FUNCTION, WRAPPER, \
           #NAME "($self, /)\n--\n\n" DOC)
#define IBSLOT(NAME, SLOT, FUNCTION, WRAPPER, DOC) \
    ETSLOT(NAME, as_number.SLOT, FUNCTION, WRAPPER, \
           #NAME "($self, value, /)\n--\n\nReturn self" DOC "value.")
#define BINSLOT(NAME, SLOT, FUNCTION, DOC) \
    ETSLOT(NAME, as_number.SLOT, FUNCTION, wrap_binaryfunc_l, \
           #NAME "($self, value, /)\n--\n\nReturn self" DOC "value.")
#define RBINSLOT(NAME, SLOT, FUNCTION, DOC) \
    ETSLOT(NAME, as_number.SLOT, FUNCTION, wrap_binaryfunc_r, \
           #NAME "($self, value, /)\n--\n\nReturn value" DOC "self.")
#define BINSLOTNOTINFIX(NAME, SLOT, FUNCTION, DOC) \
    ETSLOT(NAME, as_number.SLOT, FUNCTION, wrap_binaryfunc_l, \
           #NAME "($self, value, /)\n--\n\n" DOC)
#define RBINSLOTNOTINFIX(NAME, SLOT, FUNCTION, DOC) \
    ETSLOT(NAME, as_number.SLOT, FUNCTION, wrap_binaryfunc_r, \
           #NAME "($self, value, /)\n--\n\n" DOC)

/* Order matters: the first entry of a slot that a static type fills
   names its wrapper; entries sharing a slot are adjacent. */
static struct wrapperbase slotdefs[] = {
    TPSLOT(__getattribute__, tp_getattr, NULL, NULL, ""),
    TPSLOT(__getattr__, tp_getattr, NULL, NULL, ""),
    TPSLOT(__setattr__, tp_setattr, NULL, NULL, ""),
    TPSLOT(__delattr__, tp_setattr, NULL, NULL, ""),
    TPSLOT(__repr__, tp_repr, slot_tp_repr, wrap_unaryfunc,
           "__repr__($self, /)\n--\n\nReturn repr(self)."),
    TPSLOT(__hash__, tp_hash, slot_tp_hash, wrap_hashfunc,
           "__hash__($self, /)\n--\n\nReturn hash(self)."),
    FLSLOT(__call__, tp_call, slot_tp_call, wrap_call,
           "__call__($self, /, *args, **kwargs)\n--\n\n"
           "Call self as a function.", PyWrapperFlag_KEYWORDS),
    TPSLOT(__str__, tp_str, slot_tp_str, wrap_unaryfunc,
           "__str__($self, /)\n--\n\nReturn str(self)."),
    TPSLOT(__getattribute__, tp_getattro, slot_tp_getattr_hook,
           wrap_binaryfunc,
           "__getattribute__($self, name, /)\n--\n\n"
           "Return getattr(self, name)."),
    TPSLOT(__getattr__, tp_getattro, slot_tp_getattr_hook, NULL, ""),
    TPSLOT(__setattr__, tp_setattro, slot_tp_setattro, wrap_setattr,
           "__setattr__($self, name, value, /)\n--\n\n"
           "Implement setattr(self, name, value)."),
    TPSLOT(__delattr__, tp_setattro, slot_tp_setattro, wrap_delattr,
           "__delattr__($self, name, /)\n--\n\n"
           "Implement delattr(self, name)."),
    TPSLOT(__lt__, tp_richcompare, slot_tp_richcompare, richcmp_lt,
           "__lt__($self, value, /)\n--\n\nReturn self<value."),
    TPSLOT(__le__, tp_richcompare, slot_tp_richcompare, richcmp_le,
           "__le__($self, value, /)\n--\n\nReturn self<=value."),
    TPSLOT(__eq__, tp_richcompare, slot_tp_richcompare, richcmp_eq,
           "__eq__($self, value, /)\n--\n\nReturn self==value."),
    TPSLOT(__ne__, tp_richcompare, slot_tp_richcompare, richcmp_ne,
           "__ne__($self, value, /)\n--\n\nReturn self!=value."),
    TPSLOT(__gt__, tp_richcompare, slot_tp_richcompare, richcmp_gt,
           "__gt__($self, value, /)\n--\n\nReturn self>value."),
    TPSLOT(__ge__, tp_richcompare, slot_tp_richcompare, richcmp_ge,
           "__ge__($self, value, /)\n--\n\nReturn self>=value."),
    TPSLOT(__iter__, tp_iter, slot_tp_iter, wrap_unaryfunc,
           "__iter__($self, /)\n--\n\nImplement iter(self)."),
    TPSLOT(__next__, tp_iternext, slot_tp_iternext, wrap_next,
           "__next__($self, /)\n--\n\nImplement next(self)."),
    TPSLOT(__get__, tp_descr_get, slot_tp_descr_get, wrap_descr_get,
           "__get__($self, instance, owner=None, /)\n--\n\n"
           "Return an attribute of instance, which is of type owner."),
    TPSLOT(__set__, tp_descr_set, slot_tp_descr_set, wrap_descr_set,
           "__set__($self, instance, value, /)\n--\n\n"
           "Set an attribute of instance to value."),
    TPSLOT(__delete__, tp_descr_set, slot_tp_descr_set, wrap_descr_delete,
           "__delete__($self, instance, /)\n--\n\n"
           "Delete an attribute of instance."),
    FLSLOT(__init__, tp_init, slot_tp_init, wrap_init,
           "__init__($self, /, *args, **kwargs)\n--\n\n"
           "Initialize self.  See help(type(self)) for accurate signature.",
           PyWrapperFlag_KEYWORDS),
    TPSLOT(__new__, tp_new, _PyTypeSlots_tp_new, NULL,
           "__new__(type, /, *args, **kwargs)\n--\n\n"
           "Create and return new object.  See help(type) for accurate "
           "signature."),
    TPSLOT(__del__, tp_finalize, slot_tp_finalize, wrap_del,
           "__del__($self, /)\n--\n\nCalled when the instance is about to "
           "be destroyed."),

    AMSLOT(__await__, am_await, slot_am_await, wrap_unaryfunc,
           "__await__($self, /)\n--\n\n"
           "Return an iterator to be used in await expression."),
    AMSLOT(__aiter__, am_aiter, slot_am_aiter, wrap_unaryfunc,
           "__aiter__($self, /)\n--\n\nReturn an awaitable, that resolves "
           "in asynchronous iterator."),
    AMSLOT(__anext__, am_anext, slot_am_anext, wrap_unaryfunc,
           "__anext__($self, /)\n--\n\n"
           "Return a value or raise StopAsyncIteration."),

    BINSLOT(__add__, nb_add, slot_nb_add, "+"),
    RBINSLOT(__radd__, nb_add, slot_nb_add, "+"),
    BINSLOT(__sub__, nb_subtract, slot_nb_subtract, "-"),
    RBINSLOT(__rsub__, nb_subtract, slot_nb_subtract, "-"),
    BINSLOT(__mul__, nb_multiply, slot_nb_multiply, "*"),
    RBINSLOT(__rmul__, nb_multiply, slot_nb_multiply, "*"),
    BINSLOT(__mod__, nb_remainder, slot_nb_remainder, "%"),
    RBINSLOT(__rmod__, nb_remainder, slot_nb_remainder, "%"),
    BINSLOTNOTINFIX(__divmod__, nb_divmod, slot_nb_divmod,
                    "Return divmod(self, value)."),
    RBINSLOTNOTINFIX(__rdivmod__, nb_divmod, slot_nb_divmod,
                     "Return divmod(value, self)."),
    NBSLOT(__pow__, nb_power, slot_nb_power, wrap_ternaryfunc,
           "__pow__($self, value, mod=None, /)\n--\n\n"
           "Return pow(self, value, mod)."),
    NBSLOT(__rpow__, nb_power, slot_nb_power, wrap_ternaryfunc_r,
           "__rpow__($self, value, mod=None, /)\n--\n\n"
           "Return pow(value, self, mod)."),
    UNSLOT(__neg__, nb_negative, slot_nb_negative, wrap_unaryfunc, "-self"),
    UNSLOT(__pos__, nb_positive, slot_nb_positive, wrap_unaryfunc, "+self"),
    UNSLOT(__abs__, nb_absolute, slot_nb_absolute, wrap_unaryfunc,
           "abs(self)"),
    UNSLOT(__bool__, nb_bool, slot_nb_bool, wrap_inquirypred,
           "True if self else False"),
    UNSLOT(__invert__, nb_invert, slot_nb_invert, wrap_unaryfunc, "~self"),
    BINSLOT(__lshift__, nb_lshift, slot_nb_lshift, "<<"),
    RBINSLOT(__rlshift__, nb_lshift, slot_nb_lshift, "<<"),
    BINSLOT(__rshift__, nb_rshift, slot_nb_rshift, ">>"),
    RBINSLOT(__rrshift__, nb_rshift, slot_nb_rshift, ">>"),
    BINSLOT(__and__, nb_and, slot_nb_and, "&"),
    RBINSLOT(__rand__, nb_and, slot_nb_and, "&"),
    BINSLOT(__xor__, nb_xor, slot_nb_xor, "^"),
    RBINSLOT(__rxor__, nb_xor, slot_nb_xor, "^"),
    BINSLOT(__or__, nb_or, slot_nb_or, "|"),
    RBINSLOT(__ror__, nb_or, slot_nb_or, "|"),
    UNSLOT(__int__, nb_int, slot_nb_int, wrap_unaryfunc, "int(self)"),
    UNSLOT(__float__, nb_float, slot_nb_float, wrap_unaryfunc,
           "float(self)"),
    IBSLOT(__iadd__, nb_inplace_add, slot_nb_inplace_add, wrap_binaryfunc,
           "+="),
    IBSLOT(__isub__, nb_inplace_subtract, slot_nb_inplace_subtract,
           wrap_binaryfunc, "-="),
    IBSLOT(__imul__, nb_inplace_multiply, slot_nb_inplace_multiply,
           wrap_binaryfunc, "*="),
    IBSLOT(__imod__, nb_inplace_remainder, slot_nb_inplace_remainder,
           wrap_binaryfunc, "%="),
    IBSLOT(__ipow__, nb_inplace_power, slot_nb_inplace_power,
           wrap_binaryfunc, "**="),
    IBSLOT(__ilshift__, nb_inplace_lshift, slot_nb_inplace_lshift,
           wrap_binaryfunc, "<<="),
    IBSLOT(__irshift__, nb_inplace_rshift, slot_nb_inplace_rshift,
           wrap_binaryfunc, ">>="),
    IBSLOT(__iand__, nb_inplace_and, slot_nb_inplace_and, wrap_binaryfunc,
           "&="),
    IBSLOT(__ixor__, nb_inplace_xor, slot_nb_inplace_xor, wrap_binaryfunc,
           "^="),
    IBSLOT(__ior__, nb_inplace_or, slot_nb_inplace_or, wrap_binaryfunc,
           "|="),
    BINSLOT(__floordiv__, nb_floor_divide, slot_nb_floor_divide, "//"),
    RBINSLOT(__rfloordiv__, nb_floor_divide, slot_nb_floor_divide, "//"),
    BINSLOT(__truediv__, nb_true_divide, slot_nb_true_divide, "/"),
    RBINSLOT(__rtruediv__, nb_true_divide, slot_nb_true_divide, "/"),
    IBSLOT(__ifloordiv__, nb_inplace_floor_divide,
           slot_nb_inplace_floor_divide, wrap_binaryfunc, "//="),
    IBSLOT(__itruediv__, nb_inplace_true_divide,
           slot_nb_inplace_true_divide, wrap_binaryfunc, "/="),
    NBSLOT(__index__, nb_index, slot_nb_index, wrap_unaryfunc,
           "__index__($self, /)\n--\n\n"
           "Return self converted to an integer, if self is suitable "
           "for use as an index into a list."),
    BINSLOT(__matmul__, nb_matrix_multiply, slot_nb_matrix_multiply, "@"),
    RBINSLOT(__rmatmul__, nb_matrix_multiply, slot_nb_matrix_multiply, "@"),
    IBSLOT(__imatmul__, nb_inplace_matrix_multiply,
           slot_nb_inplace_matrix_multiply, wrap_binaryfunc, "@="),

    MPSLOT(__len__, mp_length, slot_sq_length, wrap_lenfunc,
           "__len__($self, /)\n--\n\nReturn len(self)."),
    MPSLOT(__getitem__, mp_subscript, slot_mp_subscript, wrap_binaryfunc,
           "__getitem__($self, key, /)\n--\n\nReturn self[key]."),
    MPSLOT(__setitem__, mp_ass_subscript, slot_mp_ass_subscript,
           wrap_objobjargproc,
           "__setitem__($self, key, value, /)\n--\n\n"
           "Set self[key] to value."),
    MPSLOT(__delitem__, mp_ass_subscript, slot_mp_ass_subscript,
           wrap_delitem,
           "__delitem__($self, key, /)\n--\n\nDelete self[key]."),

    SQSLOT(__len__, sq_length, slot_sq_length, wrap_lenfunc,
           "__len__($self, /)\n--\n\nReturn len(self)."),
    SQSLOT(__add__, sq_concat, NULL, wrap_binaryfunc,
           "__add__($self, value, /)\n--\n\nReturn self+value."),
    SQSLOT(__mul__, sq_repeat, NULL, wrap_indexargfunc,
           "__mul__($self, value, /)\n--\n\nReturn self*value."),
    SQSLOT(__rmul__, sq_repeat, NULL, wrap_indexargfunc,
           "__rmul__($self, value, /)\n--\n\nReturn value*self."),
    SQSLOT(__getitem__, sq_item, slot_sq_item, wrap_sq_item,
           "__getitem__($self, key, /)\n--\n\nReturn self[key]."),
    SQSLOT(__setitem__, sq_ass_item, slot_sq_ass_item, wrap_sq_setitem,
           "__setitem__($self, key, value, /)\n--\n\n"
           "Set self[key] to value."),
    SQSLOT(__delitem__, sq_ass_item, slot_sq_ass_item, wrap_sq_delitem,
           "__delitem__($self, key, /)\n--\n\nDelete self[key]."),
    SQSLOT(__contains__, sq_contains, slot_sq_contains, wrap_objobjproc,
           "__contains__($self, key, /)\n--\n\nReturn key in self."),
    SQSLOT(__iadd__, sq_inplace_concat, NULL, wrap_binaryfunc,
           "__iadd__($self, value, /)\n--\n\nImplement self+=value."),
    SQSLOT(__imul__, sq_inplace_repeat, NULL, wrap_indexargfunc,
           "__imul__($self, value, /)\n--\n\nImplement self*=value."),
    {NULL, 0, NULL, NULL, NULL, 0, NULL}
};

#define N_SLOTDEFS (Py_ARRAY_LENGTH(slotdefs) - 1)

/* Interns the names (Py_Initialize, before any type is readied). */
int
_PyTypeSlots_Init(void)
{
    for (struct wrapperbase *p = slotdefs; p->name != NULL; p++) {
        if (p->name_strobj != NULL) {
            continue;
        }
        p->name_strobj = PyUnicode_InternFromString(p->name);
        if (p->name_strobj == NULL) {
            return -1;
        }
    }
    return 0;
}

/* The address of the slot at `offset` (an offset into PyHeapTypeObject or
   PyTypeObject) in `type`, or NULL when its sub-table is missing. */
static void **
slotptr(PyTypeObject *type, int ioffset)
{
    char *ptr;
    size_t offset = (size_t)ioffset;
    if (offset >= offsetof(PyHeapTypeObject, as_buffer)) {
        ptr = (char *)type->tp_as_buffer;
        offset -= offsetof(PyHeapTypeObject, as_buffer);
    }
    else if (offset >= offsetof(PyHeapTypeObject, as_sequence)) {
        ptr = (char *)type->tp_as_sequence;
        offset -= offsetof(PyHeapTypeObject, as_sequence);
    }
    else if (offset >= offsetof(PyHeapTypeObject, as_mapping)) {
        ptr = (char *)type->tp_as_mapping;
        offset -= offsetof(PyHeapTypeObject, as_mapping);
    }
    else if (offset >= offsetof(PyHeapTypeObject, as_number)) {
        ptr = (char *)type->tp_as_number;
        offset -= offsetof(PyHeapTypeObject, as_number);
    }
    else if (offset >= offsetof(PyHeapTypeObject, as_async)) {
        ptr = (char *)type->tp_as_async;
        offset -= offsetof(PyHeapTypeObject, as_async);
    }
    else {
        ptr = (char *)type;
    }
    if (ptr == NULL) {
        return NULL;
    }
    return (void **)(ptr + offset);
}

/* ---- static types: wrapper descriptors in the dict ---- */

int
_PyTypeSlots_AddOperators(PyTypeObject *type)
{
    PyObject *dict = type->tp_dict;
    for (struct wrapperbase *p = slotdefs; p->name != NULL; p++) {
        if (p->wrapper == NULL) {
            continue;
        }
        void **ptr = slotptr(type, p->offset);
        if (ptr == NULL || *ptr == NULL) {
            continue;
        }
        int r = PyDict_Contains(dict, p->name_strobj);
        if (r < 0) {
            return -1;
        }
        if (r > 0) {
            continue;
        }
        if (*ptr == (void *)PyObject_HashNotImplemented) {
            if (PyDict_SetItem(dict, p->name_strobj, Py_None) < 0) {
                return -1;
            }
            continue;
        }
        PyObject *descr = PyDescr_NewWrapper(type, p, *ptr);
        if (descr == NULL) {
            return -1;
        }
        r = PyDict_SetItem(dict, p->name_strobj, descr);
        Py_DECREF(descr);
        if (r < 0) {
            return -1;
        }
    }
    return 0;
}

/* ---- heap types: slot values from the special methods ---- */

/* A heap type with __call__ in Python must not be called through an
   inherited vectorcall entry. */
static void
type_clear_vectorcall(PyTypeObject *type)
{
    type->tp_flags &= ~Py_TPFLAGS_HAVE_VECTORCALL;
}

/* The slot value `type` should have for the group of slotdefs starting at
   `p` (entries sharing p->offset); *next gets the entry after the group.
   CPython's rule: a wrapper descriptor of the same kind for this very
   slot lets the wrapped C function be used directly; anything else gets
   the generic slot_* function; nothing at all leaves the slot empty. */
static void *
slot_value(PyTypeObject *type, struct wrapperbase *p,
           struct wrapperbase **next)
{
    int offset = p->offset;
    void *generic = NULL, *specific = NULL;
    int use_generic = 0;
    void **ptr = slotptr(type, offset);
    do {
        PyObject *descr = _PyType_LookupRef(type, p->name_strobj);
        if (descr == NULL) {
            if (ptr == (void **)&type->tp_iternext) {
                specific = (void *)_PyObject_NextNotImplemented;
            }
            p++;
            continue;
        }
        if (Py_IS_TYPE(descr, &PyWrapperDescr_Type) &&
            ((PyWrapperDescrObject *)descr)->d_base->name_strobj ==
            p->name_strobj) {
            PyWrapperDescrObject *d = (PyWrapperDescrObject *)descr;
            /* The one filled slot of this name, if exactly one is
               filled (list's __getitem__ fills both mp_subscript and
               sq_item: then none). */
            void **tptr = NULL;
            int filled = 0;
            for (struct wrapperbase *q = slotdefs; q->name; q++) {
                if (q->name_strobj != p->name_strobj) {
                    continue;
                }
                void **qp = slotptr(type, q->offset);
                if (qp != NULL && *qp != NULL) {
                    filled++;
                    tptr = qp;
                }
            }
            if (filled != 1) {
                tptr = NULL;
            }
            if (tptr == NULL || tptr == ptr) {
                generic = p->function;
            }
            if (d->d_base->wrapper == p->wrapper &&
                PyType_IsSubtype(type, PyDescr_TYPE(d)) &&
                (specific == NULL || specific == d->d_wrapped)) {
                specific = d->d_wrapped;
            }
            else {
                /* another signature, another class, or a conflict: the
                   generic function dispatches through the descriptor */
                use_generic = 1;
            }
        }
        else if (_PyType_IsTpNewWrapper(descr) &&
                 ptr == (void **)&type->tp_new) {
            /* __new__ is the built-in of a static base: keep the tp_new
               that PyType_Ready inherited. */
            specific = (void *)type->tp_new;
        }
        else if (descr == Py_None && ptr == (void **)&type->tp_hash) {
            specific = (void *)PyObject_HashNotImplemented;
        }
        else {
            use_generic = 1;
            generic = p->function;
            if (p->function == slot_tp_call) {
                /* Vectorcall would skip a Python __call__. */
                type_clear_vectorcall(type);
            }
        }
        Py_DECREF(descr);
        p++;
    } while (p->name != NULL && p->offset == offset);
    *next = p;
    if (specific && !use_generic) {
        return specific;
    }
    return generic;
}

/* A new heap type, not yet visible to other threads: write directly. */
void
_PyTypeSlots_FixupDispatchers(PyTypeObject *type)
{
    struct wrapperbase *p = slotdefs;
    while (p->name != NULL) {
        void **ptr = slotptr(type, p->offset);
        struct wrapperbase *next;
        void *value = slot_value(type, p, &next);
        if (ptr != NULL) {
            *ptr = value;
        }
        p = next;
    }
}

int
_PyTypeSlots_IsSlotName(PyObject *name)
{
    if (!PyUnicode_Check(name) || PyUnicode_GET_LENGTH(name) < 5 ||
        PyUnicode_READ_CHAR(name, 0) != '_' ||
        PyUnicode_READ_CHAR(name, 1) != '_') {
        return 0;
    }
    for (struct wrapperbase *p = slotdefs; p->name != NULL; p++) {
        if (p->name_strobj == name ||
            _PyUnicode_Equal(p->name_strobj, name)) {
            return 1;
        }
    }
    return 0;
}

/* Pending slot writes, computed before the world is stopped. */
typedef struct {
    void **ptr;
    void *value;
} slot_write;

typedef struct {
    slot_write *items;
    Py_ssize_t len;
    Py_ssize_t cap;
    PyObject *types;        /* list keeping the visited types alive */
} slot_writes;

static int
slot_writes_add(slot_writes *w, void **ptr, void *value)
{
    if (w->len == w->cap) {
        Py_ssize_t cap = w->cap ? w->cap * 2 : 16;
        slot_write *items = PyMem_Realloc(w->items,
                                          (size_t)cap * sizeof(slot_write));
        if (items == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        w->items = items;
        w->cap = cap;
    }
    w->items[w->len].ptr = ptr;
    w->items[w->len].value = value;
    w->len++;
    return 0;
}

/* The slots named `name` (all of them when name is NULL) for `type` and,
   recursively, its subclasses that do not define `name` themselves. */
static int
collect_slot_writes(PyTypeObject *type, PyObject *name, slot_writes *w)
{
    if (!PyType_HasFeature(type, Py_TPFLAGS_HEAPTYPE)) {
        return 0;
    }
    if (PyList_Append(w->types, (PyObject *)type) < 0) {
        return -1;
    }
    struct wrapperbase *p = slotdefs;
    while (p->name != NULL) {
        struct wrapperbase *group = p, *next;
        int wanted = (name == NULL);
        for (struct wrapperbase *q = group;
             q->name != NULL && q->offset == group->offset; q++) {
            if (q->name_strobj == name) {
                wanted = 1;
            }
        }
        if (!wanted) {
            while (p->name != NULL && p->offset == group->offset) {
                p++;
            }
            continue;
        }
        void **ptr = slotptr(type, group->offset);
        void *value = slot_value(type, group, &next);
        if (ptr != NULL && slot_writes_add(w, ptr, value) < 0) {
            return -1;
        }
        p = next;
    }
    /* Subclasses, snapshot under the type lock. */
    PyObject *sub_list = _PyType_GetSubclasses(type);
    if (sub_list == NULL) {
        return -1;
    }
    int r = 0;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(sub_list) && r == 0; i++) {
        PyTypeObject *sub = (PyTypeObject *)PyList_GET_ITEM(sub_list, i);
        if (name != NULL && sub->tp_dict != NULL) {
            int has = PyDict_Contains(sub->tp_dict, name);
            if (has < 0) {
                r = -1;
                break;
            }
            if (has) {
                continue;   /* its own definition wins */
            }
        }
        r = collect_slot_writes(sub, name, w);
    }
    Py_DECREF(sub_list);
    return r;
}

/* Serialises slot updates of published types (see the file comment). */
static PyMutex slot_update_lock;

static int
update_slots_stw(PyTypeObject *type, PyObject *name)
{
    slot_writes w = {NULL, 0, 0, NULL};
    w.types = PyList_New(0);
    if (w.types == NULL) {
        return -1;
    }
    PyMutex_Lock(&slot_update_lock);
    int r = collect_slot_writes(type, name, &w);
    if (r == 0 && w.len > 0) {
        PyInterpreterState *interp = _PyInterpreterState_GET();
        _PyEval_StopTheWorld(interp);
        for (Py_ssize_t i = 0; i < w.len; i++) {
            *w.items[i].ptr = w.items[i].value;
        }
        _PyEval_StartTheWorld(interp);
    }
    PyMutex_Unlock(&slot_update_lock);
    PyMem_Free(w.items);
    Py_DECREF(w.types);
    return r;
}

int
_PyTypeSlots_Update(PyTypeObject *type, PyObject *name)
{
    return update_slots_stw(type, name);
}

int
_PyTypeSlots_UpdateAll(PyTypeObject *type)
{
    return update_slots_stw(type, NULL);
}

/* ================================================================ slot ids */

/* PyType_Slot ids (Include/typeslots.h) to slot offsets, in the same
   PyHeapTypeObject/PyTypeObject offset space as slotdefs. */
#define TPOFF(SLOT) ((int)offsetof(PyTypeObject, SLOT))
#define ETOFF(SLOT) ((int)offsetof(PyHeapTypeObject, SLOT))

static const int slot_offsets[_Py_TYPESLOT_MAX + 1] = {
    [Py_bf_getbuffer] = ETOFF(as_buffer.bf_getbuffer),
    [Py_bf_releasebuffer] = ETOFF(as_buffer.bf_releasebuffer),
    [Py_mp_ass_subscript] = ETOFF(as_mapping.mp_ass_subscript),
    [Py_mp_length] = ETOFF(as_mapping.mp_length),
    [Py_mp_subscript] = ETOFF(as_mapping.mp_subscript),
    [Py_nb_absolute] = ETOFF(as_number.nb_absolute),
    [Py_nb_add] = ETOFF(as_number.nb_add),
    [Py_nb_and] = ETOFF(as_number.nb_and),
    [Py_nb_bool] = ETOFF(as_number.nb_bool),
    [Py_nb_divmod] = ETOFF(as_number.nb_divmod),
    [Py_nb_float] = ETOFF(as_number.nb_float),
    [Py_nb_floor_divide] = ETOFF(as_number.nb_floor_divide),
    [Py_nb_index] = ETOFF(as_number.nb_index),
    [Py_nb_inplace_add] = ETOFF(as_number.nb_inplace_add),
    [Py_nb_inplace_and] = ETOFF(as_number.nb_inplace_and),
    [Py_nb_inplace_floor_divide] = ETOFF(as_number.nb_inplace_floor_divide),
    [Py_nb_inplace_lshift] = ETOFF(as_number.nb_inplace_lshift),
    [Py_nb_inplace_multiply] = ETOFF(as_number.nb_inplace_multiply),
    [Py_nb_inplace_or] = ETOFF(as_number.nb_inplace_or),
    [Py_nb_inplace_power] = ETOFF(as_number.nb_inplace_power),
    [Py_nb_inplace_remainder] = ETOFF(as_number.nb_inplace_remainder),
    [Py_nb_inplace_rshift] = ETOFF(as_number.nb_inplace_rshift),
    [Py_nb_inplace_subtract] = ETOFF(as_number.nb_inplace_subtract),
    [Py_nb_inplace_true_divide] = ETOFF(as_number.nb_inplace_true_divide),
    [Py_nb_inplace_xor] = ETOFF(as_number.nb_inplace_xor),
    [Py_nb_int] = ETOFF(as_number.nb_int),
    [Py_nb_invert] = ETOFF(as_number.nb_invert),
    [Py_nb_lshift] = ETOFF(as_number.nb_lshift),
    [Py_nb_multiply] = ETOFF(as_number.nb_multiply),
    [Py_nb_negative] = ETOFF(as_number.nb_negative),
    [Py_nb_or] = ETOFF(as_number.nb_or),
    [Py_nb_positive] = ETOFF(as_number.nb_positive),
    [Py_nb_power] = ETOFF(as_number.nb_power),
    [Py_nb_remainder] = ETOFF(as_number.nb_remainder),
    [Py_nb_rshift] = ETOFF(as_number.nb_rshift),
    [Py_nb_subtract] = ETOFF(as_number.nb_subtract),
    [Py_nb_true_divide] = ETOFF(as_number.nb_true_divide),
    [Py_nb_xor] = ETOFF(as_number.nb_xor),
    [Py_sq_ass_item] = ETOFF(as_sequence.sq_ass_item),
    [Py_sq_concat] = ETOFF(as_sequence.sq_concat),
    [Py_sq_contains] = ETOFF(as_sequence.sq_contains),
    [Py_sq_inplace_concat] = ETOFF(as_sequence.sq_inplace_concat),
    [Py_sq_inplace_repeat] = ETOFF(as_sequence.sq_inplace_repeat),
    [Py_sq_item] = ETOFF(as_sequence.sq_item),
    [Py_sq_length] = ETOFF(as_sequence.sq_length),
    [Py_sq_repeat] = ETOFF(as_sequence.sq_repeat),
    [Py_tp_alloc] = TPOFF(tp_alloc),
    [Py_tp_base] = TPOFF(tp_base),
    [Py_tp_bases] = TPOFF(tp_bases),
    [Py_tp_call] = TPOFF(tp_call),
    [Py_tp_clear] = TPOFF(tp_clear),
    [Py_tp_dealloc] = TPOFF(tp_dealloc),
    [Py_tp_del] = TPOFF(tp_del),
    [Py_tp_descr_get] = TPOFF(tp_descr_get),
    [Py_tp_descr_set] = TPOFF(tp_descr_set),
    [Py_tp_doc] = TPOFF(tp_doc),
    [Py_tp_getattr] = TPOFF(tp_getattr),
    [Py_tp_getattro] = TPOFF(tp_getattro),
    [Py_tp_hash] = TPOFF(tp_hash),
    [Py_tp_init] = TPOFF(tp_init),
    [Py_tp_is_gc] = TPOFF(tp_is_gc),
    [Py_tp_iter] = TPOFF(tp_iter),
    [Py_tp_iternext] = TPOFF(tp_iternext),
    [Py_tp_methods] = TPOFF(tp_methods),
    [Py_tp_new] = TPOFF(tp_new),
    [Py_tp_repr] = TPOFF(tp_repr),
    [Py_tp_richcompare] = TPOFF(tp_richcompare),
    [Py_tp_setattr] = TPOFF(tp_setattr),
    [Py_tp_setattro] = TPOFF(tp_setattro),
    [Py_tp_str] = TPOFF(tp_str),
    [Py_tp_traverse] = TPOFF(tp_traverse),
    [Py_tp_members] = TPOFF(tp_members),
    [Py_tp_getset] = TPOFF(tp_getset),
    [Py_tp_free] = TPOFF(tp_free),
    [Py_nb_matrix_multiply] = ETOFF(as_number.nb_matrix_multiply),
    [Py_nb_inplace_matrix_multiply] =
        ETOFF(as_number.nb_inplace_matrix_multiply),
    [Py_am_await] = ETOFF(as_async.am_await),
    [Py_am_aiter] = ETOFF(as_async.am_aiter),
    [Py_am_anext] = ETOFF(as_async.am_anext),
    [Py_tp_finalize] = TPOFF(tp_finalize),
    [Py_am_send] = ETOFF(as_async.am_send),
};

void **
_PyTypeSlots_SlotPtrById(PyTypeObject *type, int slot_id)
{
    if (slot_id <= 0 || slot_id > _Py_TYPESLOT_MAX) {
        return NULL;
    }
    return slotptr(type, slot_offsets[slot_id]);
}
