# types.GenericAlias (PEP 585) and types.UnionType (PEP 604), without
# the typing module: a minimal type variable stands in for TypeVar.
import types


class TV:
    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return '~' + self.name

    def __typing_subst__(self, arg):
        return arg


T = TV('T')
S = TV('S')


def show(label, f):
    try:
        print(label, f())
    except Exception as e:
        print(label, type(e).__name__, e)


show('reprs', lambda: (list[int], dict[str, list[int]], tuple[()],
                       tuple[int, ...], type[int], list[...], list[None],
                       list['x'], list[[int, str]]))
show('types', lambda: (type(list[int]) is types.GenericAlias,
                       type(int | str) is types.UnionType))
a = list[int]
show('attrs', lambda: (a.__origin__, a.__args__, a.__parameters__,
                       a.__unpacked__, a.__typing_unpacked_tuple_args__))
show('forwarded', lambda: (a.__doc__ == list.__doc__, a.__name__,
                           a.__qualname__, a.__module__, a.append))
show('class', lambda: (a.__class__, isinstance(a, type)))
show('eq', lambda: (a == list[int], a != list[str], a == list,
                    hash(a) == hash(list[int]),
                    hash(a) == hash(list) ^ hash((int,))))
show('call', lambda: (list[int]([1, 2]), dict[str, int](a=1)))
show('lt', lambda: a < a)
show('isinstance', lambda: isinstance([], list[int]))
show('issubclass', lambda: issubclass(list, list[int]))
show('ctor', lambda: (types.GenericAlias(list, int),
                      types.GenericAlias(list, (int, str))))
show('ctor kw', lambda: types.GenericAlias(list, int, x=1))
show('ctor args', lambda: types.GenericAlias(list))
s = next(iter(tuple[int, str]))
show('starred', lambda: (s, s.__unpacked__, s.__typing_unpacked_tuple_args__,
                         s == tuple[int, str], list(tuple[int])))
show('reduce', lambda: a.__reduce__())


class A(list[int]):
    pass


show('subclass', lambda: (A.__orig_bases__, A.__mro__))


class Tagged:
    pass


class Slotted:
    __slots__ = ()


show('orig_class', lambda: Tagged.__class_getitem__
     if hasattr(Tagged, '__class_getitem__') else
     types.GenericAlias(Tagged, int)().__orig_class__)
show('orig_class slots', lambda: type(types.GenericAlias(Slotted, int)()))
show('params', lambda: (list[T].__parameters__, dict[T, list[S]].__parameters__,
                        dict[T, T].__parameters__, list[[T]].__parameters__))
show('subst', lambda: (list[T][int], dict[T, list[S]][str, bytes],
                       dict[T, list[T]][int]))
show('too many', lambda: dict[T, int][int, str])
show('too few', lambda: dict[T, S][int])
show('none left', lambda: list[int][int])
show('builtin getitems', lambda: (tuple[int], set[int], frozenset[int],
                                  enumerate[int], type(iter([1]))))

u = int | str
show('union', lambda: (u, u.__args__, u.__parameters__, int | None,
                       None | int, int | None | None, int | int,
                       list[int] | list[int], list[int] | None,
                       int | str | (bytes | float), type[int] | None))
show('union eq', lambda: (u == (str | int), hash(u) == hash(str | int),
                          u == (int | bytes), u == int))
show('union isinstance', lambda: (isinstance(1, u), isinstance(b'', u),
                                  isinstance(None, int | None),
                                  issubclass(bool, u), issubclass(bytes, u)))
show('union generic', lambda: isinstance('x', int | list[int]))
show('union generic first', lambda: isinstance(1, int | list[int]))
show('union bad', lambda: int | 3)
show('union bad2', lambda: 'x' | int)
show('union new', lambda: types.UnionType())
show('union params', lambda: ((int | list[T]).__parameters__,
                              (int | list[T])[str], (list[T] | T)[int]))
show('union getitem none', lambda: u[int])
show('union lt', lambda: u < u)
