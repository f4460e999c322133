/* Pickling support every object inherits: object.__reduce__,
 * object.__reduce_ex__ and object.__getstate__ (what pickle and copy
 * call).
 *
 * Protocols 0 and 1 go through copyreg._reduce_ex (pure Python).  From
 * protocol 2 an object reduces to copyreg.__newobj__ (or __newobj_ex__
 * when __getnewargs_ex__ gives keyword arguments), the arguments from
 * __getnewargs_ex__/__getnewargs__, the state from __getstate__, and
 * iterators over the items of list and dict subclasses.
 *
 * Thread safety: nothing here keeps state; the instance dict is copied
 * by PyDict_Copy, which reads under the dict's own lock. */
#include "Python.h"
#include "pycore_global_strings.h"
#include "pycore_object.h"
#include "pycore_typeobject.h"

/* New reference: copyreg.<name>. */
static PyObject *
copyreg_attr(const char *name)
{
    PyObject *copyreg = PyImport_ImportModule("copyreg");
    if (copyreg == NULL) {
        return NULL;
    }
    PyObject *attr = PyObject_GetAttrString(copyreg, name);
    Py_DECREF(copyreg);
    return attr;
}

static PyObject *
cannot_pickle(PyObject *obj)
{
    return PyErr_Format(PyExc_TypeError, "cannot pickle '%.200s' object",
                        Py_TYPE(obj)->tp_name);
}

/* New reference: copyreg._slotnames(type(obj)), a list (maybe empty). */
static PyObject *
slot_names(PyObject *obj)
{
    PyObject *fn = copyreg_attr("_slotnames");
    if (fn == NULL) {
        return NULL;
    }
    PyObject *names = PyObject_CallOneArg(fn, (PyObject *)Py_TYPE(obj));
    Py_DECREF(fn);
    if (names != NULL && !PyList_Check(names)) {
        PyErr_SetString(PyExc_TypeError,
                        "copyreg._slotnames didn't return a list or None");
        Py_CLEAR(names);
    }
    return names;
}

/* New reference: a copy of obj's instance dict, or None when it has no
   dict or an empty one. */
static PyObject *
dict_state(PyObject *obj)
{
    PyObject **dictptr = _PyObject_GetDictPtr(obj);
    PyObject *dict = dictptr != NULL ? *dictptr : NULL;
    if (dict == NULL || PyDict_GET_SIZE(dict) == 0) {
        Py_RETURN_NONE;
    }
    return PyDict_Copy(dict);
}

/* New reference: {name: value} for the slots of `names` that are set. */
static PyObject *
slot_values(PyObject *obj, PyObject *names)
{
    PyObject *slots = PyDict_New();
    if (slots == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(names); i++) {
        PyObject *name = PyList_GET_ITEM(names, i);
        PyObject *value;
        if (_PyObject_LookupAttr(obj, name, &value) < 0) {
            Py_DECREF(slots);
            return NULL;
        }
        if (value == NULL) {
            continue;           /* an unset slot is not saved */
        }
        int rc = PyDict_SetItem(slots, name, value);
        Py_DECREF(value);
        if (rc < 0) {
            Py_DECREF(slots);
            return NULL;
        }
    }
    return slots;
}

/* The default __getstate__.  `required`: the state is all pickle will
   have to rebuild the object (no __getnewargs__), so an object whose C
   layout holds more than a dict, weakref list and slots cannot be
   pickled this way. */
static PyObject *
default_getstate(PyObject *obj, int required)
{
    PyTypeObject *type = Py_TYPE(obj);
    if (required && type->tp_itemsize != 0) {
        return cannot_pickle(obj);
    }
    PyObject *names = slot_names(obj);
    if (names == NULL) {
        return NULL;
    }
    if (required) {
        Py_ssize_t size = (Py_ssize_t)sizeof(PyObject);
        if (type->tp_dictoffset != 0) {
            size += (Py_ssize_t)sizeof(PyObject *);
        }
        if (type->tp_weaklistoffset != 0) {
            size += (Py_ssize_t)sizeof(PyObject *);
        }
        size += (Py_ssize_t)sizeof(PyObject *) * PyList_GET_SIZE(names);
        if (type->tp_basicsize > size) {
            Py_DECREF(names);
            return cannot_pickle(obj);
        }
    }
    PyObject *state = dict_state(obj);
    if (state == NULL || PyList_GET_SIZE(names) == 0) {
        Py_DECREF(names);
        return state;
    }
    PyObject *slots = slot_values(obj, names);
    Py_DECREF(names);
    if (slots == NULL) {
        Py_DECREF(state);
        return NULL;
    }
    if (PyDict_GET_SIZE(slots) == 0) {
        Py_DECREF(slots);
        return state;
    }
    PyObject *res = PyTuple_Pack(2, state, slots);
    Py_DECREF(state);
    Py_DECREF(slots);
    return res;
}

PyObject *
_PyObject_GetStateMethod(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    return default_getstate(self, 0);
}

/* New reference: obj.__getstate__(), using the default directly when it
   is object's (so `required` applies). */
static PyObject *
get_state(PyObject *obj, int required)
{
    PyObject *getstate = PyObject_GetAttr(obj, _Py_ID(__getstate__));
    if (getstate == NULL) {
        return NULL;
    }
    PyObject *res;
    if (PyCFunction_Check(getstate) &&
        PyCFunction_GET_SELF(getstate) == obj &&
        PyCFunction_GET_FUNCTION(getstate) ==
            (PyCFunction)_PyObject_GetStateMethod) {
        res = default_getstate(obj, required);
    }
    else {
        res = PyObject_CallNoArgs(getstate);
    }
    Py_DECREF(getstate);
    return res;
}

/* Calls __getnewargs_ex__ and checks its (args, kwargs) result. */
static int
call_getnewargs_ex(PyObject *meth, PyObject **args, PyObject **kwargs)
{
    PyObject *res = PyObject_CallNoArgs(meth);
    if (res == NULL) {
        return -1;
    }
    if (!PyTuple_Check(res)) {
        PyErr_Format(PyExc_TypeError,
                     "__getnewargs_ex__ should return a tuple, not '%.200s'",
                     Py_TYPE(res)->tp_name);
        goto error;
    }
    if (PyTuple_GET_SIZE(res) != 2) {
        PyErr_Format(PyExc_ValueError,
                     "__getnewargs_ex__ should return a tuple of length 2, "
                     "not %zd", PyTuple_GET_SIZE(res));
        goto error;
    }
    PyObject *a = PyTuple_GET_ITEM(res, 0), *k = PyTuple_GET_ITEM(res, 1);
    if (!PyTuple_Check(a)) {
        PyErr_Format(PyExc_TypeError,
                     "first item of the tuple returned by __getnewargs_ex__ "
                     "must be a tuple, not '%.200s'", Py_TYPE(a)->tp_name);
        goto error;
    }
    if (!PyDict_Check(k)) {
        PyErr_Format(PyExc_TypeError,
                     "second item of the tuple returned by __getnewargs_ex__ "
                     "must be a dict, not '%.200s'", Py_TYPE(k)->tp_name);
        goto error;
    }
    *args = Py_NewRef(a);
    *kwargs = Py_NewRef(k);
    Py_DECREF(res);
    return 0;
error:
    Py_DECREF(res);
    return -1;
}

/* Sets *args and *kwargs (new references, both NULL when the object has
   neither __getnewargs_ex__ nor __getnewargs__). */
static int
get_new_arguments(PyObject *obj, PyObject **args, PyObject **kwargs)
{
    *args = *kwargs = NULL;
    PyObject *meth = _PyObject_LookupSpecial(obj, _Py_ID(__getnewargs_ex__));
    if (meth != NULL) {
        int rc = call_getnewargs_ex(meth, args, kwargs);
        Py_DECREF(meth);
        return rc;
    }
    if (PyErr_Occurred()) {
        return -1;
    }
    meth = _PyObject_LookupSpecial(obj, _Py_ID(__getnewargs__));
    if (meth == NULL) {
        return PyErr_Occurred() ? -1 : 0;
    }
    PyObject *res = PyObject_CallNoArgs(meth);
    Py_DECREF(meth);
    if (res == NULL) {
        return -1;
    }
    if (!PyTuple_Check(res)) {
        PyErr_Format(PyExc_TypeError,
                     "__getnewargs__ should return a tuple, not '%.200s'",
                     Py_TYPE(res)->tp_name);
        Py_DECREF(res);
        return -1;
    }
    *args = res;
    return 0;
}

/* Sets *func and *newargs (new references) to copyreg.__newobj__ and
   (cls, *args), or to copyreg.__newobj_ex__ and (cls, args, kwargs). */
static int
newobj_call(PyObject *obj, PyObject *args, PyObject *kwargs,
            PyObject **func, PyObject **newargs)
{
    PyObject *cls = (PyObject *)Py_TYPE(obj);
    if (kwargs == NULL || PyDict_GET_SIZE(kwargs) == 0) {
        *func = copyreg_attr("__newobj__");
        if (*func == NULL) {
            return -1;
        }
        Py_ssize_t n = args != NULL ? PyTuple_GET_SIZE(args) : 0;
        *newargs = PyTuple_New(n + 1);
        if (*newargs == NULL) {
            Py_CLEAR(*func);
            return -1;
        }
        PyTuple_SET_ITEM(*newargs, 0, Py_NewRef(cls));
        for (Py_ssize_t i = 0; i < n; i++) {
            PyTuple_SET_ITEM(*newargs, i + 1,
                             Py_NewRef(PyTuple_GET_ITEM(args, i)));
        }
        return 0;
    }
    *func = copyreg_attr("__newobj_ex__");
    if (*func == NULL) {
        return -1;
    }
    *newargs = PyTuple_Pack(3, cls, args, kwargs);
    if (*newargs == NULL) {
        Py_CLEAR(*func);
        return -1;
    }
    return 0;
}

/* New reference: iter(obj) for a list, iter(obj.items()) for a dict,
   else None. */
static PyObject *
items_iter(PyObject *obj, int dict)
{
    if (dict ? !PyDict_Check(obj) : !PyList_Check(obj)) {
        Py_RETURN_NONE;
    }
    if (!dict) {
        return PyObject_GetIter(obj);
    }
    PyObject *items = PyObject_CallMethod(obj, "items", NULL);
    if (items == NULL) {
        return NULL;
    }
    PyObject *it = PyObject_GetIter(items);
    Py_DECREF(items);
    return it;
}

/* The protocol 2+ reduction. */
static PyObject *
reduce_newobj(PyObject *obj)
{
    if (Py_TYPE(obj)->tp_new == NULL) {
        return cannot_pickle(obj);
    }
    PyObject *args, *kwargs;
    if (get_new_arguments(obj, &args, &kwargs) < 0) {
        return NULL;
    }
    int hasargs = args != NULL;
    PyObject *func = NULL, *newargs = NULL, *state = NULL;
    PyObject *listitems = NULL, *dictitems = NULL, *res = NULL;
    if (newobj_call(obj, args, kwargs, &func, &newargs) < 0) {
        goto done;
    }
    state = get_state(obj, !hasargs && !PyList_Check(obj) &&
                               !PyDict_Check(obj));
    if (state == NULL) {
        goto done;
    }
    listitems = items_iter(obj, 0);
    dictitems = listitems ? items_iter(obj, 1) : NULL;
    if (dictitems != NULL) {
        res = PyTuple_Pack(5, func, newargs, state, listitems, dictitems);
    }
done:
    Py_XDECREF(args);
    Py_XDECREF(kwargs);
    Py_XDECREF(func);
    Py_XDECREF(newargs);
    Py_XDECREF(state);
    Py_XDECREF(listitems);
    Py_XDECREF(dictitems);
    return res;
}

static PyObject *
common_reduce(PyObject *self, int proto)
{
    if (proto >= 2) {
        return reduce_newobj(self);
    }
    PyObject *fn = copyreg_attr("_reduce_ex");
    if (fn == NULL) {
        return NULL;
    }
    PyObject *res = PyObject_CallFunction(fn, "Oi", self, proto);
    Py_DECREF(fn);
    return res;
}

PyObject *
_PyObject_ReduceMethod(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    return common_reduce(self, 0);
}

/* object.__reduce_ex__(protocol): a class that overrides __reduce__
   gets it called; otherwise the default reduction for `protocol`. */
PyObject *
_PyObject_ReduceExMethod(PyObject *self, PyObject *arg)
{
    int proto = _PyLong_AsInt(arg);
    if (proto == -1 && PyErr_Occurred()) {
        return NULL;
    }
    PyObject *reduce;
    if (_PyObject_LookupAttr(self, _Py_ID(__reduce__), &reduce) < 0) {
        return NULL;
    }
    if (reduce != NULL) {
        PyObject *clsreduce = PyObject_GetAttr((PyObject *)Py_TYPE(self),
                                               _Py_ID(__reduce__));
        if (clsreduce == NULL) {
            Py_DECREF(reduce);
            return NULL;
        }
        PyObject *objreduce = PyDict_GetItemWithError(
            PyBaseObject_Type.tp_dict, _Py_ID(__reduce__));
        int override = clsreduce != objreduce;
        Py_DECREF(clsreduce);
        if (override) {
            PyObject *res = PyObject_CallNoArgs(reduce);
            Py_DECREF(reduce);
            return res;
        }
        Py_DECREF(reduce);
        if (PyErr_Occurred()) {
            return NULL;
        }
    }
    return common_reduce(self, proto);
}

PyObject *
_PyObject_ReduceGetattr(PyObject *obj, PyObject *name)
{
    PyObject *builtins = PyEval_GetBuiltins();
    PyObject *getattr = builtins != NULL
        ? PyDict_GetItemWithError(builtins, _Py_ID(getattr)) : NULL;
    if (getattr == NULL) {
        if (!PyErr_Occurred()) {
            PyErr_SetString(PyExc_RuntimeError, "lost builtins.getattr");
        }
        return NULL;
    }
    return Py_BuildValue("O(OO)", getattr, obj, name);
}
