/* tuple, dict and slice semantics from C (issue 5): reprs, hashing
 * (equal tuples hash equal, with 3.11's values), comparisons, slicing,
 * dict insertion order, views and their set operations, iteration errors,
 * the dict methods and their error messages, __missing__. */
#include "coretest.h"
#include "pycore_dict.h"

static PyObject *
call_method(PyObject *obj, const char *name, const char *fmt, ...)
{
    PyObject *meth = PyObject_GetAttrString(obj, name);
    CHECK(meth != NULL);
    PyObject *res;
    if (fmt == NULL) {
        res = PyObject_CallNoArgs(meth);
    }
    else {
        va_list va;
        va_start(va, fmt);
        PyObject *args = Py_VaBuildValue(fmt, va);
        va_end(va);
        CHECK(args != NULL && PyTuple_Check(args));
        res = PyObject_Call(meth, args, NULL);
        Py_DECREF(args);
    }
    Py_DECREF(meth);
    return res;
}

/* Steals `o`; a sorted list of its items (set order is not printed). */
static PyObject *
sorted_list(PyObject *o)
{
    if (o == NULL) {
        return NULL;
    }
    PyObject *l = PySequence_List(o);
    Py_DECREF(o);
    if (l != NULL && PyList_Sort(l) < 0) {
        Py_CLEAR(l);
    }
    return l;
}

static void
test_tuple(void)
{
    PyObject *e1 = PyTuple_New(0), *e2 = PyTuple_New(0);
    EXPECT(e1 == e2);
    expect_repr(e1, "()");
    Py_DECREF(e2);
    expect_repr(Py_BuildValue("(i)", 1), "(1,)");
    PyObject *t = Py_BuildValue("(is(ii))", 1, "a", 2, 3);
    expect_repr(Py_NewRef(t), "(1, 'a', (2, 3))");
    /* 3.11's tuple hash values (PYTHONHASHSEED-independent for ints). */
    PyObject *t12 = Py_BuildValue("(ii)", 1, 2);
    EXPECT(PyObject_Hash(t12) == -3550055125485641917);
    PyObject *t12b = Py_BuildValue("(ii)", 1, 2);
    EXPECT(PyObject_Hash(t12) == PyObject_Hash(t12b));
    EXPECT(PyObject_RichCompareBool(t12, t12b, Py_EQ) == 1);
    PyObject *e = PyTuple_New(0);
    EXPECT(PyObject_Hash(e) == 5740354900026072187);
    Py_DECREF(e);
    PyObject *t13 = Py_BuildValue("(ii)", 1, 3);
    EXPECT(PyObject_RichCompareBool(t12, t13, Py_LT) == 1);
    PyObject *unh = Py_BuildValue("([])");
    expect_error(PyObject_Hash(unh) == -1, PyExc_TypeError,
                 "unhashable type: 'list'");
    Py_DECREF(unh);
    /* Slicing and indexing. */
    PyObject *big = Py_BuildValue("(iiiiii)", 0, 1, 2, 3, 4, 5);
    PyObject *sl = PySlice_New(NULL, NULL, _PyLong_GetSmallInt(-2));
    expect_repr(PyObject_GetItem(big, sl), "(5, 3, 1)");
    Py_DECREF(sl);
    expect_repr(PySequence_GetSlice(big, 1, 3), "(1, 2)");
    expect_repr(PySequence_GetItem(big, -1), "5");
    expect_error_obj(PySequence_GetItem(big, 10), PyExc_IndexError,
                     "tuple index out of range");
    PyObject *s = str_("a");
    expect_error_obj(PyObject_GetItem(big, s), PyExc_TypeError,
                     "tuple indices must be integers or slices, not str");
    expect_error_obj(PyNumber_Add(big, s), PyExc_TypeError,
                     "can only concatenate tuple (not \"str\") to tuple");
    expect_repr(PyNumber_Multiply(t12, _PyLong_GetSmallInt(2)),
                "(1, 2, 1, 2)");
    EXPECT(PySequence_Contains(big, _PyLong_GetSmallInt(3)) == 1);
    expect_repr(call_method(big, "index", "(i)", 4), "4");
    expect_error_obj(call_method(big, "index", "(i)", 9), PyExc_ValueError,
                     "tuple.index(x): x not in tuple");
    /* Recursive repr through a list. */
    PyObject *l = PyList_New(0);
    PyObject *tl = PyTuple_Pack(1, l);
    CHECK(PyList_Append(l, tl) == 0);
    expect_repr(Py_NewRef(tl), "([(...)],)");
    CHECK(PyList_SetSlice(l, 0, 1, NULL) == 0);
    Py_DECREF(tl);
    Py_DECREF(l);
    /* tuple() from an iterable. */
    expect_repr(PySequence_Tuple(s), "('a',)");
    Py_DECREF(s);
    Py_DECREF(big);
    Py_DECREF(t13);
    Py_DECREF(t12b);
    Py_DECREF(t12);
    Py_DECREF(t);
}

static void
test_slice(void)
{
    PyObject *s = PySlice_New(_PyLong_GetOne(), _PyLong_GetSmallInt(2),
                              NULL);
    expect_repr(Py_NewRef(s), "slice(1, 2, None)");
    expect_repr(call_method(s, "indices", "(i)", 10), "(1, 2, 1)");
    expect_error(PyObject_Hash(s) == -1, PyExc_TypeError,
                 "unhashable type: 'slice'");
    PyObject *z = PySlice_New(NULL, NULL, _PyLong_GetZero());
    expect_error_obj(call_method(z, "indices", "(i)", 5), PyExc_ValueError,
                     "slice step cannot be zero");
    Py_DECREF(z);
    Py_DECREF(s);
}

static void
test_dict_basics(void)
{
    PyObject *d = PyDict_New();
    expect_repr(Py_NewRef(d), "{}");
    for (int i = 0; i < 10; i++) {
        PyObject *k = PyUnicode_FromFormat("k%d", i);
        PyObject *v = int_(i);
        CHECK(PyDict_SetItem(d, k, v) == 0);
        Py_DECREF(k);
        Py_DECREF(v);
    }
    EXPECT(PyDict_Size(d) == 10);
    CHECK(PyDict_DelItemString(d, "k3") == 0);
    PyObject *v = int_(33);
    CHECK(PyDict_SetItemString(d, "k3", v) == 0);
    Py_DECREF(v);
    expect_repr(PyDict_Keys(d),
                "['k0', 'k1', 'k2', 'k4', 'k5', 'k6', 'k7', 'k8', 'k9', "
                "'k3']");
    /* Replacing keeps the position. */
    v = int_(-1);
    CHECK(PyDict_SetItemString(d, "k0", v) == 0);
    Py_DECREF(v);
    expect_repr(PyDict_GetItemString(d, "k0") ? Py_NewRef(PyDict_GetItemString(d, "k0")) : NULL, "-1");
    PyObject *missing = str_("nope");
    expect_error_obj(PyObject_GetItem(d, missing), PyExc_KeyError, "'nope'");
    expect_error(PyDict_DelItem(d, missing) < 0, PyExc_KeyError, "'nope'");
    PyObject *res;
    EXPECT(PyDict_GetItemRef(d, missing, &res) == 0 && res == NULL);
    Py_DECREF(missing);
    /* Tuple keys are not taken as KeyError's argument list. */
    PyObject *tk = Py_BuildValue("(ii)", 1, 2);
    expect_error_obj(PyObject_GetItem(d, tk), PyExc_KeyError, "(1, 2)");
    Py_DECREF(tk);
    /* Unhashable keys. */
    PyObject *l = PyList_New(0);
    expect_error(PyDict_SetItem(d, l, l) < 0, PyExc_TypeError,
                 "unhashable type: 'list'");
    Py_DECREF(l);
    /* Methods. */
    expect_repr(call_method(d, "get", "(s)", "k1"), "1");
    expect_repr(call_method(d, "get", "(si)", "zz", 5), "5");
    expect_error_obj(call_method(d, "get", "()"), PyExc_TypeError,
                     "get expected at least 1 argument, got 0");
    expect_repr(call_method(d, "setdefault", "(si)", "k1", 100), "1");
    expect_repr(call_method(d, "setdefault", "(si)", "new", 100), "100");
    expect_repr(call_method(d, "pop", "(s)", "new"), "100");
    expect_error_obj(call_method(d, "pop", "(s)", "new"), PyExc_KeyError,
                     "'new'");
    expect_repr(call_method(d, "pop", "(sO)", "new", Py_None), "None");
    expect_repr(call_method(d, "popitem", NULL), "('k3', 33)");
    PyObject *copy = PyDict_Copy(d);
    EXPECT(PyObject_RichCompareBool(copy, d, Py_EQ) == 1);
    CHECK(PyDict_SetItemString(copy, "extra", Py_None) == 0);
    EXPECT(PyObject_RichCompareBool(copy, d, Py_EQ) == 0);
    Py_DECREF(copy);
    PyDict_Clear(d);
    expect_repr(Py_NewRef(d), "{}");
    expect_error_obj(call_method(d, "popitem", NULL), PyExc_KeyError,
                     "'popitem(): dictionary is empty'");
    Py_DECREF(d);
}

static void
test_dict_views_and_iteration(void)
{
    PyObject *d = Py_BuildValue("{s:i,s:i}", "a", 1, "b", 2);
    PyObject *keys = call_method(d, "keys", NULL);
    PyObject *items = call_method(d, "items", NULL);
    PyObject *values = call_method(d, "values", NULL);
    expect_repr(Py_NewRef(keys), "dict_keys(['a', 'b'])");
    expect_repr(Py_NewRef(items), "dict_items([('a', 1), ('b', 2)])");
    expect_repr(Py_NewRef(values), "dict_values([1, 2])");
    EXPECT(PyObject_Size(keys) == 2);
    PyObject *a = str_("a");
    EXPECT(PySequence_Contains(keys, a) == 1);
    PyObject *pair = Py_BuildValue("(si)", "b", 2);
    EXPECT(PySequence_Contains(items, pair) == 1);
    Py_DECREF(pair);
    /* Views see later changes. */
    CHECK(PyDict_SetItemString(d, "c", Py_None) == 0);
    expect_repr(Py_NewRef(keys), "dict_keys(['a', 'b', 'c'])");
    expect_repr(PyObject_GetAttrString(keys, "mapping"),
                "mappingproxy({'a': 1, 'b': 2, 'c': None})");
    /* Set operations on keys views. */
    PyObject *other = Py_BuildValue("{s:i,s:i}", "b", 0, "z", 0);
    PyObject *okeys = call_method(other, "keys", NULL);
    expect_repr(sorted_list(PyNumber_Subtract(keys, okeys)), "['a', 'c']");
    expect_repr(PyNumber_And(keys, okeys), "{'b'}");
    Py_DECREF(okeys);
    Py_DECREF(other);
    /* Iteration and mutation during iteration. */
    PyObject *it = PyObject_GetIter(d);
    PyObject *first = PyIter_Next(it);
    expect_repr(first, "'a'");
    CHECK(PyDict_SetItemString(d, "d", Py_None) == 0);
    expect_error_obj(PyIter_Next(it), PyExc_RuntimeError,
                     "dictionary changed size during iteration");
    Py_DECREF(it);
    /* Reversed. */
    PyObject *rev = call_method(d, "__reversed__", NULL);
    expect_repr(PySequence_List(rev), "['d', 'c', 'b', 'a']");
    Py_DECREF(rev);
    /* | and |= */
    PyObject *d2 = Py_BuildValue("{s:i}", "a", 9);
    expect_repr(PyNumber_Or(d, d2),
                "{'a': 9, 'b': 2, 'c': None, 'd': None}");
    PyObject *pairs = Py_BuildValue("[(si)]", "e", 5);
    PyObject *r = PyNumber_InPlaceOr(d2, pairs);
    EXPECT(r == d2);
    Py_XDECREF(r);
    expect_repr(Py_NewRef(d2), "{'a': 9, 'e': 5}");
    Py_DECREF(pairs);
    expect_error_obj(PyNumber_Or(d, a), PyExc_TypeError,
                     "unsupported operand type(s) for |: 'dict' and 'str'");
    /* dict(...) argument errors. */
    PyObject *bad = Py_BuildValue("[(iii)]", 1, 2, 3);
    expect_error_obj(PyObject_CallOneArg((PyObject *)&PyDict_Type, bad),
                     PyExc_ValueError,
                     "dictionary update sequence element #0 has length 3; "
                     "2 is required");
    Py_DECREF(bad);
    bad = Py_BuildValue("[i]", 1);
    expect_error_obj(PyObject_CallOneArg((PyObject *)&PyDict_Type, bad),
                     PyExc_TypeError,
                     "cannot convert dictionary update sequence element "
                     "#0 to a sequence");
    Py_DECREF(bad);
    /* fromkeys */
    PyObject *fk = PyObject_GetAttrString((PyObject *)&PyDict_Type,
                                          "fromkeys");
    PyObject *ab = str_("ab");
    expect_repr(PyObject_CallOneArg(fk, ab), "{'a': None, 'b': None}");
    Py_DECREF(ab);
    Py_DECREF(fk);
    Py_DECREF(d2);
    Py_DECREF(a);
    Py_DECREF(keys);
    Py_DECREF(items);
    Py_DECREF(values);
    Py_DECREF(d);
}

/* A dict subclass with __missing__ (through a C type in the namespace
   is not possible without functions: use defaultdict-like behaviour via
   a class whose __missing__ is a builtin bound to a dict). */
static void
test_dict_recursive_repr(void)
{
    PyObject *d = PyDict_New();
    CHECK(PyDict_SetItemString(d, "self", d) == 0);
    expect_repr(Py_NewRef(d), "{'self': {...}}");
    PyDict_Clear(d);
    Py_DECREF(d);
}

int
main(void)
{
    Py_Initialize();
    test_tuple();
    test_slice();
    test_dict_basics();
    test_dict_views_and_iteration();
    test_dict_recursive_repr();
    CHECK(!PyErr_Occurred());
    Py_FinalizeEx();
    return coretest_finish("test_core_containers");
}
