/* Identifiers the runtime looks up by name: interned, immortal str
 * objects made once by _PyStrings_Init (Objects/object.c) during
 * Py_Initialize and read-only afterwards.  _Py_ID(__name__) is the str
 * "__name__" (a borrowed, immortal PyObject *).  Add names to the list
 * below (keep it sorted); nothing else needs to change.
 *
 * Unlike CPython's, _Py_ID(x) is already a PyObject *: write
 * `_Py_ID(__dict__)`, not `&_Py_ID(__dict__)`. */
#ifndef Py_INTERNAL_GLOBAL_STRINGS_H
#define Py_INTERNAL_GLOBAL_STRINGS_H
#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE define"
#endif

#define _Py_GLOBAL_STRINGS(X) \
    X(__abs__) \
    X(__abstractmethods__) \
    X(__add__) \
    X(__aenter__) \
    X(__aexit__) \
    X(__aiter__) \
    X(__all__) \
    X(__and__) \
    X(__anext__) \
    X(__annotations__) \
    X(__args__) \
    X(__await__) \
    X(__bases__) \
    X(__bool__) \
    X(__buffer__) \
    X(__build_class__) \
    X(__builtins__) \
    X(__bytes__) \
    X(__call__) \
    X(__cause__) \
    X(__ceil__) \
    X(__class__) \
    X(__class_getitem__) \
    X(__classcell__) \
    X(__complex__) \
    X(__contains__) \
    X(__context__) \
    X(__copy__) \
    X(__deepcopy__) \
    X(__del__) \
    X(__delattr__) \
    X(__delete__) \
    X(__delitem__) \
    X(__dict__) \
    X(__dictoffset__) \
    X(__dir__) \
    X(__divmod__) \
    X(__doc__) \
    X(__enter__) \
    X(__eq__) \
    X(__exit__) \
    X(__file__) \
    X(__float__) \
    X(__floor__) \
    X(__floordiv__) \
    X(__format__) \
    X(__func__) \
    X(__ge__) \
    X(__get__) \
    X(__getattr__) \
    X(__getattribute__) \
    X(__getinitargs__) \
    X(__getitem__) \
    X(__getnewargs__) \
    X(__getnewargs_ex__) \
    X(__getstate__) \
    X(__gt__) \
    X(__hash__) \
    X(__iadd__) \
    X(__iand__) \
    X(__ifloordiv__) \
    X(__ilshift__) \
    X(__imatmul__) \
    X(__imod__) \
    X(__import__) \
    X(__imul__) \
    X(__index__) \
    X(__init__) \
    X(__init_subclass__) \
    X(__instancecheck__) \
    X(__int__) \
    X(__invert__) \
    X(__ior__) \
    X(__ipow__) \
    X(__irshift__) \
    X(__isabstractmethod__) \
    X(__isub__) \
    X(__iter__) \
    X(__itruediv__) \
    X(__ixor__) \
    X(__le__) \
    X(__len__) \
    X(__length__) \
    X(__length_hint__) \
    X(__loader__) \
    X(__lshift__) \
    X(__lt__) \
    X(__main__) \
    X(__match_args__) \
    X(__matmul__) \
    X(__missing__) \
    X(__mod__) \
    X(__module__) \
    X(__mro__) \
    X(__mro_entries__) \
    X(__mul__) \
    X(__name__) \
    X(__ne__) \
    X(__neg__) \
    X(__new__) \
    X(__newobj__) \
    X(__newobj_ex__) \
    X(__next__) \
    X(__notes__) \
    X(__objclass__) \
    X(__or__) \
    X(__orig_bases__) \
    X(__orig_class__) \
    X(__origin__) \
    X(__package__) \
    X(__parameters__) \
    X(__path__) \
    X(__pos__) \
    X(__pow__) \
    X(__prepare__) \
    X(__qualname__) \
    X(__radd__) \
    X(__rand__) \
    X(__rdivmod__) \
    X(__reduce__) \
    X(__reduce_ex__) \
    X(__release_buffer__) \
    X(__repr__) \
    X(__reversed__) \
    X(__rfloordiv__) \
    X(__rlshift__) \
    X(__rmatmul__) \
    X(__rmod__) \
    X(__rmul__) \
    X(__ror__) \
    X(__round__) \
    X(__rpow__) \
    X(__rrshift__) \
    X(__rshift__) \
    X(__rsub__) \
    X(__rtruediv__) \
    X(__rxor__) \
    X(__self__) \
    X(__set__) \
    X(__set_name__) \
    X(__setattr__) \
    X(__setitem__) \
    X(__setstate__) \
    X(__sizeof__) \
    X(__slotnames__) \
    X(__slots__) \
    X(__spec__) \
    X(__str__) \
    X(__sub__) \
    X(__subclasscheck__) \
    X(__subclasshook__) \
    X(__suppress_context__) \
    X(__text_signature__) \
    X(__traceback__) \
    X(__truediv__) \
    X(__trunc__) \
    X(__typing_is_unpacked_typevartuple__) \
    X(__typing_prepare_subst__) \
    X(__typing_subst__) \
    X(__typing_unpacked_tuple_args__) \
    X(__weakref__) \
    X(__wrapped__) \
    X(__xor__) \
    X(_abc_impl) \
    X(_fields) \
    X(_frozen_importlib_external) \
    X(_initializing) \
    X(add_note) \
    X(append) \
    X(args) \
    X(builtins) \
    X(characters_written) \
    X(close) \
    X(code) \
    X(copy) \
    X(decode) \
    X(encode) \
    X(encoding) \
    X(end) \
    X(end_lineno) \
    X(end_offset) \
    X(errno) \
    X(excs) \
    X(filename) \
    X(filename2) \
    X(fileno) \
    X(flush) \
    X(get) \
    X(getattr) \
    X(items) \
    X(keys) \
    X(lineno) \
    X(message) \
    X(metaclass) \
    X(mro) \
    X(msg) \
    X(name) \
    X(obj) \
    X(object) \
    X(offset) \
    X(origin) \
    X(parent) \
    X(path) \
    X(pop) \
    X(print_file_and_line) \
    X(readline) \
    X(reason) \
    X(send) \
    X(start) \
    X(strerror) \
    X(sys) \
    X(text) \
    X(throw) \
    X(update) \
    X(value) \
    X(values) \
    X(write) \

enum {
#define _Py_STR_ENUM(name) _Py_STR_ID_##name,
    _Py_GLOBAL_STRINGS(_Py_STR_ENUM)
#undef _Py_STR_ENUM
    _Py_STR_COUNT
};

PyAPI_DATA(PyObject *) _Py_global_strings[_Py_STR_COUNT];

#define _Py_ID(name) (_Py_global_strings[_Py_STR_ID_##name])

/* Interns every identifier (after str is ready); 0 or -1. */
PyAPI_FUNC(int) _PyStrings_Init(void);

#endif /* !Py_INTERNAL_GLOBAL_STRINGS_H */
