/* The type system and object protocol from C (issue 6): static and heap
 * types, the MRO and its errors, special methods filling C slots and C
 * slots visible as wrappers, binary operators with reflection, rich
 * comparison, hashing rules, __slots__, descriptors, super, the 3.11
 * error messages.
 *
 * Python functions do not exist in a C test, so "methods" are instances of
 * a small test callable type that binds like a function (it has
 * Py_TPFLAGS_METHOD_DESCRIPTOR and a __get__ making bound methods). */
#include "coretest.h"
#include "structmember.h"

/* ---------------------------------------------------------------- tfunc */

typedef PyObject *(*tfunc_impl)(PyObject *const *args, Py_ssize_t nargs);

typedef struct {
    PyObject_HEAD
    vectorcallfunc vectorcall;
    tfunc_impl impl;
    const char *name;
} TFuncObject;

static PyObject *
tfunc_vectorcall(PyObject *self, PyObject *const *args, size_t nargsf,
                 PyObject *kwnames)
{
    if (kwnames != NULL && PyTuple_GET_SIZE(kwnames) != 0) {
        PyErr_SetString(PyExc_TypeError, "tfunc takes no keywords");
        return NULL;
    }
    return ((TFuncObject *)self)->impl(args, PyVectorcall_NARGS(nargsf));
}

static PyObject *
tfunc_get(PyObject *self, PyObject *obj, PyObject *type)
{
    if (obj == NULL || obj == Py_None) {
        return Py_NewRef(self);
    }
    return PyMethod_New(self, obj);
}

static void
tfunc_dealloc(PyObject *self)
{
    PyObject_Free(self);
}

static PyTypeObject TFunc_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "tfunc",
    .tp_basicsize = sizeof(TFuncObject),
    .tp_dealloc = tfunc_dealloc,
    .tp_vectorcall_offset = offsetof(TFuncObject, vectorcall),
    .tp_call = PyVectorcall_Call,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_VECTORCALL |
                Py_TPFLAGS_METHOD_DESCRIPTOR,
    .tp_descr_get = tfunc_get,
};

static PyObject *
tfunc(tfunc_impl impl, const char *name)
{
    TFuncObject *f = PyObject_New(TFuncObject, &TFunc_Type);
    CHECK(f != NULL);
    f->vectorcall = tfunc_vectorcall;
    f->impl = impl;
    f->name = name;
    return (PyObject *)f;
}

/* type(name, bases, ns) from C; bases is a tuple or NULL. */
static PyObject *
make_class(const char *name, PyObject *bases, PyObject *ns)
{
    PyObject *nameobj = str_(name);
    PyObject *b = bases ? Py_NewRef(bases) : PyTuple_New(0);
    PyObject *d = ns ? Py_NewRef(ns) : PyDict_New();
    PyObject *args[3] = {nameobj, b, d};
    PyObject *cls = PyObject_Vectorcall((PyObject *)&PyType_Type, args, 3,
                                        NULL);
    Py_DECREF(nameobj);
    Py_DECREF(b);
    Py_DECREF(d);
    return cls;
}

static PyObject *
ns_with(const char *k1, PyObject *v1, const char *k2, PyObject *v2)
{
    PyObject *d = PyDict_New();
    CHECK(d != NULL);
    CHECK(PyDict_SetItemString(d, "__module__", str_("__main__")) == 0);
    if (k1) {
        CHECK(PyDict_SetItemString(d, k1, v1) == 0);
        Py_DECREF(v1);
    }
    if (k2) {
        CHECK(PyDict_SetItemString(d, k2, v2) == 0);
        Py_DECREF(v2);
    }
    return d;
}

/* ---------------------------------------------------------------- impls */

static PyObject *
impl_add_returns_42(PyObject *const *args, Py_ssize_t nargs)
{
    return PyLong_FromLong(42);
}

static PyObject *
impl_radd_returns_99(PyObject *const *args, Py_ssize_t nargs)
{
    return PyLong_FromLong(99);
}

static PyObject *
impl_len_3(PyObject *const *args, Py_ssize_t nargs)
{
    return PyLong_FromLong(3);
}

static PyObject *
impl_len_negative(PyObject *const *args, Py_ssize_t nargs)
{
    return PyLong_FromLong(-1);
}

static PyObject *
impl_repr(PyObject *const *args, Py_ssize_t nargs)
{
    return PyUnicode_FromString("<custom repr>");
}

static PyObject *
impl_repr_int(PyObject *const *args, Py_ssize_t nargs)
{
    return PyLong_FromLong(1);
}

static PyObject *
impl_eq_true(PyObject *const *args, Py_ssize_t nargs)
{
    Py_RETURN_TRUE;
}

static PyObject *
impl_getitem_double(PyObject *const *args, Py_ssize_t nargs)
{
    return PyNumber_Multiply(args[1], _PyLong_GetSmallInt(2));
}

static PyObject *
impl_init_returns_int(PyObject *const *args, Py_ssize_t nargs)
{
    return PyLong_FromLong(1);
}

static PyObject *
impl_call(PyObject *const *args, Py_ssize_t nargs)
{
    return PyLong_FromSsize_t(nargs);
}

static PyObject *
impl_hash_str(PyObject *const *args, Py_ssize_t nargs)
{
    return PyUnicode_FromString("x");
}

static PyObject *
impl_getattr(PyObject *const *args, Py_ssize_t nargs)
{
    return PyUnicode_FromFormat("dynamic:%U", args[1]);
}

static PyObject *
impl_method_name(PyObject *const *args, Py_ssize_t nargs)
{
    return PyUnicode_FromString("A.method");
}

static PyObject *
impl_method_name_b(PyObject *const *args, Py_ssize_t nargs)
{
    return PyUnicode_FromString("B.method");
}

static PyObject *
impl_prop_get(PyObject *const *args, Py_ssize_t nargs)
{
    return PyLong_FromLong(7);
}

static PyObject *
impl_iter_self(PyObject *const *args, Py_ssize_t nargs)
{
    return Py_NewRef(args[0]);
}

static PyObject *
impl_missing(PyObject *const *args, Py_ssize_t nargs)
{
    return PyUnicode_FromFormat("missing:%S", args[1]);
}

static PyObject *
impl_raise_zero_division(PyObject *const *args, Py_ssize_t nargs)
{
    PyErr_SetString(PyExc_ZeroDivisionError, "division by zero");
    return NULL;
}

/* ---------------------------------------------------------------- tests */

static void
test_static_types(void)
{
    expect_repr(Py_NewRef((PyObject *)&PyBaseObject_Type),
                "<class 'object'>");
    expect_repr(Py_NewRef((PyObject *)&PyType_Type), "<class 'type'>");
    expect_repr(PyObject_Type(Py_None), "<class 'NoneType'>");
    expect_repr(Py_NewRef(Py_None), "None");
    expect_repr(Py_NewRef(Py_NotImplemented), "NotImplemented");
    expect_repr(Py_NewRef(Py_Ellipsis), "Ellipsis");
    expect_repr(Py_NewRef(Py_True), "True");
    expect_repr(PyObject_GetAttrString((PyObject *)&PyLong_Type, "__add__"),
                "<slot wrapper '__add__' of 'int' objects>");
    expect_repr(PyObject_GetAttrString((PyObject *)&PyList_Type, "__len__"),
                "<slot wrapper '__len__' of 'list' objects>");
    expect_repr(PyObject_GetAttrString((PyObject *)&PyBaseObject_Type,
                                       "__init__"),
                "<slot wrapper '__init__' of 'object' objects>");
    PyObject *tdict = PyObject_GetAttrString((PyObject *)&PyType_Type,
                                             "__dict__");
    expect_repr(PyObject_GetItem(tdict, str_("__dict__")),
                "<attribute '__dict__' of 'type' objects>");
    Py_DECREF(tdict);
    expect_repr(PyObject_GetAttrString((PyObject *)&PyType_Type, "mro"),
                "<method 'mro' of 'type' objects>");
    PyObject *mro = PyObject_GetAttrString((PyObject *)&PyBool_Type,
                                           "__mro__");
    expect_repr(mro, "(<class 'bool'>, <class 'int'>, <class 'object'>)");
    /* int.__add__(1, 2) and (1).__add__ */
    PyObject *one = int_(1), *two = int_(2);
    PyObject *add = PyObject_GetAttrString(one, "__add__");
    CHECK(add != NULL);
    char *r = coretest_text(add, 1);
    EXPECT(strncmp(r, "<method-wrapper '__add__' of int object at 0x",
                   45) == 0);
    free(r);
    expect_repr(PyObject_CallOneArg(add, two), "3");
    Py_DECREF(add);
    PyObject *wrapper = PyObject_GetAttrString((PyObject *)&PyLong_Type,
                                               "__add__");
    expect_repr(PyObject_CallFunctionObjArgs(wrapper, one, two, NULL), "3");
    expect_error_obj(PyObject_CallFunctionObjArgs(wrapper, one, NULL),
                     PyExc_TypeError, "expected 1 argument, got 0");
    PyObject *s = str_("a");
    expect_error_obj(PyObject_CallFunctionObjArgs(wrapper, s, one, NULL),
                     PyExc_TypeError,
                     "descriptor '__add__' requires a 'int' object but "
                     "received a 'str'");
    Py_DECREF(wrapper);
    /* list.append(1, 2) */
    PyObject *append = PyObject_GetAttrString((PyObject *)&PyList_Type,
                                              "append");
    expect_repr(Py_NewRef(append), "<method 'append' of 'list' objects>");
    expect_error_obj(PyObject_CallFunctionObjArgs(append, one, two, NULL),
                     PyExc_TypeError,
                     "descriptor 'append' for 'list' objects doesn't apply "
                     "to a 'int' object");
    expect_error_obj(PyObject_CallNoArgs(append), PyExc_TypeError,
                     "unbound method list.append() needs an argument");
    Py_DECREF(append);
    PyObject *list = PyList_New(0);
    PyObject *bound = PyObject_GetAttrString(list, "append");
    expect_error_obj(PyObject_CallNoArgs(bound), PyExc_TypeError,
                     "list.append() takes exactly one argument (0 given)");
    Py_DECREF(bound);
    /* type(x) */
    expect_repr(PyObject_CallOneArg((PyObject *)&PyType_Type, one),
                "<class 'int'>");
    expect_error_obj(PyObject_CallFunctionObjArgs((PyObject *)&PyType_Type,
                                                  one, two, NULL),
                     PyExc_TypeError, "type() takes 1 or 3 arguments");
    expect_error_obj(PyObject_CallOneArg((PyObject *)&PyBaseObject_Type, one),
                     PyExc_TypeError, "object() takes no arguments");
    PyObject *obj = PyObject_CallNoArgs((PyObject *)&PyBaseObject_Type);
    CHECK(obj != NULL);
    expect_error_obj(PyObject_GetAttrString(obj, "x"), PyExc_AttributeError,
                     "'object' object has no attribute 'x'");
    expect_error(PyObject_SetAttrString(obj, "x", one) < 0,
                 PyExc_AttributeError,
                 "'object' object has no attribute 'x'");
    expect_error_obj(PyObject_GetAttr(obj, one), PyExc_TypeError,
                     "attribute name must be string, not 'int'");
    expect_error(PyObject_SetAttrString((PyObject *)&PyLong_Type, "x",
                                        one) < 0,
                 PyExc_TypeError,
                 "cannot set 'x' attribute of immutable type 'int'");
    char *objrepr = coretest_text(obj, 1);
    EXPECT(strncmp(objrepr, "<object object at 0x", 20) == 0);
    free(objrepr);
    Py_DECREF(obj);
    Py_DECREF(list);
    Py_DECREF(s);
    Py_DECREF(one);
    Py_DECREF(two);
}

static void
test_mro(void)
{
    PyObject *A = make_class("A", NULL, ns_with(NULL, NULL, NULL, NULL));
    CHECK(A != NULL);
    PyObject *bases = PyTuple_Pack(1, A);
    PyObject *B = make_class("B", bases, ns_with(NULL, NULL, NULL, NULL));
    Py_DECREF(bases);
    CHECK(B != NULL);
    expect_repr(Py_NewRef(A), "<class '__main__.A'>");
    expect_repr(PyObject_GetAttrString(B, "__mro__"),
                "(<class '__main__.B'>, <class '__main__.A'>, "
                "<class 'object'>)");
    bases = PyTuple_Pack(2, A, B);
    expect_error_obj(make_class("C", bases, ns_with(NULL, NULL, NULL, NULL)),
                     PyExc_TypeError,
                     "Cannot create a consistent method resolution\n"
                     "order (MRO) for bases A, B");
    Py_DECREF(bases);
    bases = PyTuple_Pack(2, A, A);
    expect_error_obj(make_class("C", bases, ns_with(NULL, NULL, NULL, NULL)),
                     PyExc_TypeError, "duplicate base class A");
    Py_DECREF(bases);
    bases = PyTuple_Pack(1, &PyBool_Type);
    expect_error_obj(make_class("C", bases, NULL), PyExc_TypeError,
                     "type 'bool' is not an acceptable base type");
    Py_DECREF(bases);
    bases = PyTuple_Pack(2, &PyLong_Type, &PyUnicode_Type);
    expect_error_obj(make_class("C", bases, NULL), PyExc_TypeError,
                     "multiple bases have instance lay-out conflict");
    Py_DECREF(bases);
    /* Diamond. */
    bases = PyTuple_Pack(1, A);
    PyObject *C = make_class("C", bases, ns_with(NULL, NULL, NULL, NULL));
    Py_DECREF(bases);
    bases = PyTuple_Pack(2, B, C);
    PyObject *D = make_class("D", bases, ns_with(NULL, NULL, NULL, NULL));
    Py_DECREF(bases);
    CHECK(D != NULL);
    expect_repr(PyObject_GetAttrString(D, "__mro__"),
                "(<class '__main__.D'>, <class '__main__.B'>, "
                "<class '__main__.C'>, <class '__main__.A'>, "
                "<class 'object'>)");
    /* isinstance / issubclass. */
    PyObject *d = PyObject_CallNoArgs(D);
    CHECK(d != NULL);
    EXPECT(PyObject_IsInstance(d, A) == 1);
    EXPECT(PyObject_IsSubclass(D, C) == 1);
    EXPECT(PyObject_IsSubclass(A, D) == 0);
    expect_repr(PyObject_CallMethod(A, "__subclasses__", NULL),
                "[<class '__main__.B'>, <class '__main__.C'>]");
    Py_DECREF(d);
    Py_DECREF(D);
    Py_DECREF(C);
    Py_DECREF(B);
    Py_DECREF(A);
    /* type() argument checks. */
    PyObject *one = int_(1);
    PyObject *args[3] = {one, one, one};
    expect_error_obj(PyObject_Vectorcall((PyObject *)&PyType_Type, args, 3,
                                         NULL),
                     PyExc_TypeError,
                     "type.__new__() argument 1 must be str, not int");
    Py_DECREF(one);
}

static void
test_special_methods(void)
{
    PyObject *ns = ns_with("__add__", tfunc(impl_add_returns_42, "add"),
                           "__len__", tfunc(impl_len_3, "len"));
    CHECK(PyDict_SetItemString(ns, "__repr__",
                               tfunc(impl_repr, "repr")) == 0);
    CHECK(PyDict_SetItemString(ns, "__getitem__",
                               tfunc(impl_getitem_double, "gi")) == 0);
    CHECK(PyDict_SetItemString(ns, "__call__", tfunc(impl_call, "c")) == 0);
    PyObject *C = make_class("C", NULL, ns);
    CHECK(C != NULL);
    PyObject *c = PyObject_CallNoArgs(C);
    CHECK(c != NULL);
    PyObject *five = int_(5);
    expect_repr(PyNumber_Add(c, five), "42");
    EXPECT(PyObject_Size(c) == 3);
    expect_repr(Py_NewRef(c), "<custom repr>");
    expect_repr(PyObject_GetItem(c, five), "10");
    expect_repr(PyObject_CallFunctionObjArgs(c, five, five, NULL), "3");
    EXPECT(PyObject_IsTrue(c) == 1);
    /* 5 + c: int's nb_add says NotImplemented, C has no __radd__. */
    expect_error_obj(PyNumber_Add(five, c), PyExc_TypeError,
                     "unsupported operand type(s) for +: 'int' and 'C'");
    /* Reflected operand: a class with __radd__. */
    PyObject *R = make_class("R", NULL,
                             ns_with("__radd__",
                                     tfunc(impl_radd_returns_99, "radd"),
                                     NULL, NULL));
    PyObject *r = PyObject_CallNoArgs(R);
    expect_repr(PyNumber_Add(five, r), "99");
    expect_repr(PyNumber_Add(c, r), "42");
    /* Subclass priority: a subclass of C overriding __radd__ goes first. */
    PyObject *bases = PyTuple_Pack(1, C);
    PyObject *S = make_class("S", bases,
                             ns_with("__radd__",
                                     tfunc(impl_radd_returns_99, "radd"),
                                     NULL, NULL));
    Py_DECREF(bases);
    PyObject *s = PyObject_CallNoArgs(S);
    expect_repr(PyNumber_Add(c, s), "99");
    /* Assigning a special method later updates the slot. */
    CHECK(PyObject_SetAttrString(R, "__add__",
                                 tfunc(impl_add_returns_42, "add2")) == 0);
    expect_repr(PyNumber_Add(r, five), "42");
    CHECK(PyObject_DelAttrString(R, "__add__") == 0);
    expect_error_obj(PyNumber_Add(r, five), PyExc_TypeError,
                     "unsupported operand type(s) for +: 'R' and 'int'");
    /* __len__ < 0, __repr__ returning int, __init__ returning a value. */
    PyObject *N = make_class("N", NULL,
                             ns_with("__len__",
                                     tfunc(impl_len_negative, "len"),
                                     "__repr__",
                                     tfunc(impl_repr_int, "repr")));
    PyObject *n = PyObject_CallNoArgs(N);
    expect_error(PyObject_Size(n) < 0, PyExc_ValueError,
                 "__len__() should return >= 0");
    expect_error_obj(PyObject_Repr(n), PyExc_TypeError,
                     "__repr__ returned non-string (type int)");
    PyObject *I = make_class("I", NULL,
                             ns_with("__init__",
                                     tfunc(impl_init_returns_int, "init"),
                                     NULL, NULL));
    expect_error_obj(PyObject_CallNoArgs(I), PyExc_TypeError,
                     "__init__() should return None, not 'int'");
    /* object.__init__ / __new__ argument checks. */
    PyObject *E = make_class("E", NULL, ns_with(NULL, NULL, NULL, NULL));
    expect_error_obj(PyObject_CallOneArg(E, five), PyExc_TypeError,
                     "E() takes no arguments");
    Py_DECREF(E);
    /* __eq__ without __hash__: unhashable. */
    PyObject *Q = make_class("Q", NULL,
                             ns_with("__eq__", tfunc(impl_eq_true, "eq"),
                                     NULL, NULL));
    PyObject *q = PyObject_CallNoArgs(Q);
    expect_error(PyObject_Hash(q) == -1, PyExc_TypeError,
                 "unhashable type: 'Q'");
    expect_repr(PyObject_GetAttrString(Q, "__hash__"), "None");
    EXPECT(PyObject_RichCompareBool(q, five, Py_EQ) == 1);
    EXPECT(PyObject_RichCompareBool(five, q, Py_EQ) == 1);  /* reflected */
    EXPECT(PyObject_RichCompareBool(q, five, Py_NE) == 0);  /* from __eq__ */
    PyObject *H = make_class("H", NULL,
                             ns_with("__hash__", tfunc(impl_hash_str, "h"),
                                     NULL, NULL));
    PyObject *h = PyObject_CallNoArgs(H);
    expect_error(PyObject_Hash(h) == -1, PyExc_TypeError,
                 "__hash__ method should return an integer");
    /* Plain objects: identity hash and ordering errors. */
    PyObject *e1 = PyObject_CallNoArgs(C);
    EXPECT(PyObject_Hash(e1) != -1);
    expect_error_obj(PyObject_RichCompare(e1, five, Py_LT), PyExc_TypeError,
                     "'<' not supported between instances of 'C' and "
                     "'int'");
    /* __getattr__ fallback. */
    PyObject *G = make_class("G", NULL,
                             ns_with("__getattr__",
                                     tfunc(impl_getattr, "ga"), NULL, NULL));
    PyObject *g = PyObject_CallNoArgs(G);
    expect_repr(PyObject_GetAttrString(g, "spam"), "'dynamic:spam'");
    CHECK(PyObject_SetAttrString(g, "spam", five) == 0);
    expect_repr(PyObject_GetAttrString(g, "spam"), "5");
    /* __iter__ = None */
    PyObject *NI = make_class("NI", NULL,
                              ns_with("__iter__", Py_NewRef(Py_None), NULL,
                                      NULL));
    PyObject *ni = PyObject_CallNoArgs(NI);
    expect_error_obj(PyObject_GetIter(ni), PyExc_TypeError,
                     "'NI' object is not iterable");
    PyObject *IT = make_class("IT", NULL,
                              ns_with("__iter__",
                                      tfunc(impl_iter_self, "iter"), NULL,
                                      NULL));
    PyObject *it = PyObject_CallNoArgs(IT);
    expect_error_obj(PyObject_GetIter(it), PyExc_TypeError,
                     "iter() returned non-iterator of type 'IT'");
    Py_DECREF(it);
    Py_DECREF(IT);
    Py_DECREF(ni);
    Py_DECREF(NI);
    Py_DECREF(g);
    Py_DECREF(G);
    Py_DECREF(e1);
    Py_DECREF(h);
    Py_DECREF(H);
    Py_DECREF(q);
    Py_DECREF(Q);
    Py_DECREF(I);
    Py_DECREF(n);
    Py_DECREF(N);
    Py_DECREF(s);
    Py_DECREF(S);
    Py_DECREF(r);
    Py_DECREF(R);
    Py_DECREF(five);
    Py_DECREF(c);
    Py_DECREF(C);
}

static void
test_slots_and_descriptors(void)
{
    PyObject *slots = Py_BuildValue("(ss)", "b", "a");
    PyObject *S = make_class("S", NULL, ns_with("__slots__", slots, NULL,
                                                NULL));
    CHECK(S != NULL);
    PyObject *s = PyObject_CallNoArgs(S);
    PyObject *one = int_(1);
    expect_error_obj(PyObject_GetAttrString(s, "a"), PyExc_AttributeError,
                     "'S' object has no attribute 'a'");
    CHECK(PyObject_SetAttrString(s, "a", one) == 0);
    expect_repr(PyObject_GetAttrString(s, "a"), "1");
    expect_error(PyObject_SetAttrString(s, "c", one) < 0,
                 PyExc_AttributeError, "'S' object has no attribute 'c'");
    PyObject *sdict = PyObject_GetAttrString(S, "__dict__");
    expect_repr(PyObject_GetItem(sdict, str_("a")),
                "<member 'a' of 'S' objects>");
    Py_DECREF(sdict);
    /* Conflicts and bad slots. */
    slots = Py_BuildValue("(s)", "a");
    PyObject *ns = ns_with("__slots__", slots, "a", int_(1));
    expect_error_obj(make_class("T", NULL, ns), PyExc_ValueError,
                     "'a' in __slots__ conflicts with class variable");
    Py_DECREF(ns);
    slots = Py_BuildValue("(s)", "1a");
    expect_error_obj(make_class("T", NULL, ns_with("__slots__", slots, NULL,
                                                   NULL)),
                     PyExc_TypeError, "__slots__ must be identifiers");
    slots = Py_BuildValue("(s)", "a");
    PyObject *intbase = PyTuple_Pack(1, &PyLong_Type);
    expect_error_obj(make_class("T", intbase, ns_with("__slots__", slots,
                                                      NULL, NULL)),
                     PyExc_TypeError,
                     "nonempty __slots__ not supported for subtype of 'int'");
    Py_DECREF(intbase);
    Py_DECREF(s);
    Py_DECREF(S);
    /* property */
    PyObject *getter = tfunc(impl_prop_get, "get");
    PyObject *prop = PyObject_CallOneArg((PyObject *)&PyProperty_Type,
                                         getter);
    CHECK(prop != NULL);
    Py_DECREF(getter);
    PyObject *P = make_class("P", NULL, ns_with("x", prop, NULL, NULL));
    PyObject *p = PyObject_CallNoArgs(P);
    expect_repr(PyObject_GetAttrString(p, "x"), "7");
    expect_error(PyObject_SetAttrString(p, "x", one) < 0,
                 PyExc_AttributeError,
                 "property 'x' of 'P' object has no setter");
    Py_DECREF(p);
    Py_DECREF(P);
    /* super */
    PyObject *A = make_class("A", NULL,
                             ns_with("method",
                                     tfunc(impl_method_name, "m"), NULL,
                                     NULL));
    PyObject *bases = PyTuple_Pack(1, A);
    PyObject *B = make_class("B", bases,
                             ns_with("method",
                                     tfunc(impl_method_name_b, "m"), NULL,
                                     NULL));
    Py_DECREF(bases);
    PyObject *b = PyObject_CallNoArgs(B);
    expect_repr(PyObject_CallMethod(b, "method", NULL), "'B.method'");
    PyObject *sup = PyObject_CallFunctionObjArgs((PyObject *)&PySuper_Type,
                                                 B, b, NULL);
    CHECK(sup != NULL);
    expect_repr(PyObject_CallMethod(sup, "method", NULL), "'A.method'");
    expect_repr(Py_NewRef(sup), "<super: <class 'B'>, <B object>>");
    Py_DECREF(sup);
    expect_error_obj(PyObject_CallFunctionObjArgs((PyObject *)&PySuper_Type,
                                                  &PyLong_Type, b, NULL),
                     PyExc_TypeError,
                     "super(type, obj): obj must be an instance or subtype "
                     "of type");
    expect_error_obj(PyObject_CallNoArgs((PyObject *)&PySuper_Type),
                     PyExc_RuntimeError, "super(): no current frame");
    /* __class__ assignment */
    expect_error(PyObject_SetAttrString(b, "__class__", one) < 0,
                 PyExc_TypeError,
                 "__class__ must be set to a class, not 'int' object");
    CHECK(PyObject_SetAttrString(b, "__class__", A) == 0);
    expect_repr(PyObject_CallMethod(b, "method", NULL), "'A.method'");
    Py_DECREF(b);
    Py_DECREF(B);
    Py_DECREF(A);
    Py_DECREF(one);
}

static void
test_heap_type_attributes(void)
{
    PyObject *ns = ns_with("__qualname__", str_("Outer.Inner"), "__doc__",
                           str_("docstring"));
    PyObject *C = make_class("Inner", NULL, ns);
    CHECK(C != NULL);
    expect_repr(PyObject_GetAttrString(C, "__qualname__"), "'Outer.Inner'");
    expect_repr(PyObject_GetAttrString(C, "__name__"), "'Inner'");
    expect_repr(PyObject_GetAttrString(C, "__module__"), "'__main__'");
    expect_repr(PyObject_GetAttrString(C, "__doc__"), "'docstring'");
    expect_repr(Py_NewRef(C), "<class '__main__.Outer.Inner'>");
    PyObject *one = int_(1);
    expect_error(PyObject_SetAttrString(C, "__name__", one) < 0,
                 PyExc_TypeError,
                 "can only assign string to Inner.__name__, not 'int'");
    CHECK(PyObject_SetAttrString(C, "__name__", str_("Renamed")) == 0);
    expect_repr(PyObject_GetAttrString(C, "__name__"), "'Renamed'");
    expect_error(PyObject_SetAttrString(C, "__bases__", one) < 0,
                 PyExc_TypeError,
                 "can only assign tuple to Renamed.__bases__, not int");
    /* Class attribute set/get/delete through the method cache. */
    CHECK(PyObject_SetAttrString(C, "attr", one) == 0);
    expect_repr(PyObject_GetAttrString(C, "attr"), "1");
    PyObject *inst = PyObject_CallNoArgs(C);
    expect_repr(PyObject_GetAttrString(inst, "attr"), "1");
    CHECK(PyObject_SetAttrString(C, "attr", str_("two")) == 0);
    expect_repr(PyObject_GetAttrString(inst, "attr"), "'two'");
    CHECK(PyObject_DelAttrString(C, "attr") == 0);
    expect_error_obj(PyObject_GetAttrString(inst, "attr"),
                     PyExc_AttributeError,
                     "'Renamed' object has no attribute 'attr'");
    expect_error(PyObject_DelAttrString(C, "attr") < 0,
                 PyExc_AttributeError,
                 "type object 'Renamed' has no attribute 'attr'");
    /* Instance __dict__. */
    CHECK(PyObject_SetAttrString(inst, "x", one) == 0);
    expect_repr(PyObject_GetAttrString(inst, "__dict__"), "{'x': 1}");
    Py_DECREF(inst);
    Py_DECREF(C);
    /* Metaclass conflict. */
    PyObject *tbase = PyTuple_Pack(1, &PyType_Type);
    PyObject *M1 = make_class("M1", tbase, ns_with(NULL, NULL, NULL, NULL));
    PyObject *M2 = make_class("M2", tbase, ns_with(NULL, NULL, NULL, NULL));
    Py_DECREF(tbase);
    CHECK(M1 != NULL && M2 != NULL);
    PyObject *n = str_("A"), *e = PyTuple_New(0), *d = PyDict_New();
    PyObject *A = PyObject_CallFunctionObjArgs(M1, n, e, d, NULL);
    PyObject *B = PyObject_CallFunctionObjArgs(M2, n, e, d, NULL);
    CHECK(A != NULL && B != NULL);
    expect_repr(PyObject_Type(A), "<class '__main__.M1'>");
    PyObject *ab = PyTuple_Pack(2, A, B);
    expect_error_obj(make_class("C", ab, NULL), PyExc_TypeError,
                     "metaclass conflict: the metaclass of a derived class "
                     "must be a (non-strict) subclass of the metaclasses of "
                     "all its bases");
    Py_DECREF(ab);
    Py_DECREF(A);
    Py_DECREF(B);
    Py_DECREF(n);
    Py_DECREF(e);
    Py_DECREF(d);
    Py_DECREF(M1);
    Py_DECREF(M2);
    Py_DECREF(one);
}

/* PyType_FromSpec with a member and a method. */
typedef struct {
    PyObject_HEAD
    PyObject *value;
} SpecObject;

static PyObject *
spec_get_value(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    SpecObject *so = (SpecObject *)self;
    return Py_NewRef(so->value ? so->value : Py_None);
}

static PyMethodDef spec_methods[] = {
    {"get_value", spec_get_value, METH_NOARGS, "the value"},
    {NULL, NULL, 0, NULL}
};

static PyMemberDef spec_members[] = {
    {"value", T_OBJECT, offsetof(SpecObject, value), 0, NULL},
    {NULL, 0, 0, 0, NULL}
};

static int
spec_traverse(PyObject *self, visitproc visit, void *arg)
{
    Py_VISIT(((SpecObject *)self)->value);
    Py_VISIT(Py_TYPE(self));
    return 0;
}

static PyType_Slot spec_slots[] = {
    {Py_tp_methods, spec_methods},
    {Py_tp_members, spec_members},
    {Py_tp_traverse, spec_traverse},
    {Py_tp_doc, "A spec type."},
    {0, NULL}
};

static PyType_Spec spec = {
    "mymod.Spec", sizeof(SpecObject), 0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
    spec_slots
};

static void
test_from_spec(void)
{
    PyObject *T = PyType_FromSpec(&spec);
    CHECK(T != NULL);
    expect_repr(Py_NewRef(T), "<class 'mymod.Spec'>");
    expect_repr(PyObject_GetAttrString(T, "__doc__"), "'A spec type.'");
    PyObject *o = PyObject_CallNoArgs(T);
    CHECK(o != NULL);
    expect_repr(PyObject_CallMethod(o, "get_value", NULL), "None");
    PyObject *v = int_(5);
    CHECK(PyObject_SetAttrString(o, "value", v) == 0);
    expect_repr(PyObject_CallMethod(o, "get_value", NULL), "5");
    Py_DECREF(v);
    Py_DECREF(o);
    Py_DECREF(T);
}

static void
test_class_creation_hooks(void)
{
    /* dict subclass with __missing__ */
    PyObject *bases = PyTuple_Pack(1, &PyDict_Type);
    PyObject *D = make_class("D", bases,
                             ns_with("__missing__",
                                     tfunc(impl_missing, "missing"), NULL,
                                     NULL));
    Py_DECREF(bases);
    PyObject *d = PyObject_CallNoArgs(D);
    PyObject *k = str_("k");
    expect_repr(PyObject_GetItem(d, k), "'missing:k'");
    EXPECT(PyMapping_HasKey(d, k) == 1);    /* __getitem__ succeeded */
    EXPECT(PyDict_Contains(d, k) == 0);     /* nothing stored */
    Py_DECREF(k);
    Py_DECREF(d);
    Py_DECREF(D);
    /* __init_subclass__ keywords reach object.__init_subclass__. */
    PyObject *args = Py_BuildValue("(s()N)", "E",
                                   ns_with(NULL, NULL, NULL, NULL));
    PyObject *kw = Py_BuildValue("{s:i}", "x", 1);
    expect_error_obj(PyObject_Call((PyObject *)&PyType_Type, args, kw),
                     PyExc_TypeError,
                     "E.__init_subclass__() takes no keyword arguments");
    Py_DECREF(kw);
    Py_DECREF(args);
    /* __set_name__ errors are wrapped (3.11). */
    PyObject *SN = make_class("SN", NULL,
                              ns_with("__set_name__",
                                      tfunc(impl_raise_zero_division, "sn"),
                                      NULL, NULL));
    PyObject *sn = PyObject_CallNoArgs(SN);
    PyObject *ns = ns_with("x", sn, NULL, NULL);
    PyObject *res = make_class("C", NULL, ns);
    EXPECT(res == NULL);
    PyObject *exc = PyErr_GetRaisedException();
    expect_str(Py_NewRef(exc),
               "Error calling __set_name__ on 'SN' instance 'x' in 'C'");
    expect_repr(PyObject_GetAttrString(exc, "__cause__"),
                "ZeroDivisionError('division by zero')");
    Py_XDECREF(exc);
    Py_DECREF(SN);
    /* Abstract classes. */
    PyObject *A = make_class("Abs", NULL, ns_with(NULL, NULL, NULL, NULL));
    PyObject *names = Py_BuildValue("(ss)", "g", "f");
    CHECK(PyObject_SetAttrString(A, "__abstractmethods__", names) == 0);
    Py_DECREF(names);
    expect_error_obj(PyObject_CallNoArgs(A), PyExc_TypeError,
                     "Can't instantiate abstract class Abs with abstract "
                     "methods f, g");
    names = Py_BuildValue("(s)", "f");
    CHECK(PyObject_SetAttrString(A, "__abstractmethods__", names) == 0);
    Py_DECREF(names);
    expect_error_obj(PyObject_CallNoArgs(A), PyExc_TypeError,
                     "Can't instantiate abstract class Abs with abstract "
                     "method f");
    names = PyTuple_New(0);
    CHECK(PyObject_SetAttrString(A, "__abstractmethods__", names) == 0);
    Py_DECREF(names);
    PyObject *a = PyObject_CallNoArgs(A);
    EXPECT(a != NULL);
    Py_XDECREF(a);
    Py_DECREF(A);
}

int
main(void)
{
    Py_Initialize();
    CHECK(PyType_Ready(&TFunc_Type) == 0);
    test_static_types();
    test_mro();
    test_special_methods();
    test_slots_and_descriptors();
    test_heap_type_attributes();
    test_from_spec();
    test_class_creation_hooks();
    CHECK(!PyErr_Occurred());
    Py_FinalizeEx();
    return coretest_finish("test_core_types");
}
