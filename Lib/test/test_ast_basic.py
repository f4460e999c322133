# The _ast module and compile()'s AST paths: node classes, parse/dump of
# every node type, unparse round trips, literal_eval, compiling parsed,
# modified and hand-built trees, validation errors, pickling and copying.
import ast
import _ast
import copy
import pickle


def show(label, fn):
    try:
        print(label, fn())
    except Exception as e:
        print(label, type(e).__name__, e)


# ---- the module and its classes ----
print(sorted(n for n in dir(_ast) if not n.startswith('__')))
print(_ast.PyCF_ONLY_AST, _ast.PyCF_TYPE_COMMENTS,
      _ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
for name in sorted(n for n in dir(_ast) if n[0] != '_' and n[:2] != 'Py'):
    cls = getattr(_ast, name)
    print(name, cls._fields, cls._attributes,
          [c.__name__ for c in cls.__mro__], cls.__module__,
          cls.__match_args__ == cls._fields, repr(cls.__doc__))
print(ast.Return().value, hasattr(ast.Name(), 'id'), ast.Name().__dict__)
print(ast.expr.end_lineno, ast.arg.end_col_offset, ast.arguments.vararg)
print(ast.AST._fields, ast.AST._attributes)
show('too many', lambda: ast.Name(1, 2, 3))
show('too many base', lambda: ast.AST(1))
show('one field', lambda: ast.Return(1, 2))
n = ast.Name('x', ast.Load(), lineno=3, extra='y')
print(n.id, n.lineno, n.extra, type(n.ctx).__name__, sorted(vars(n)))
print(ast.parse('a').body[0].value.ctx is ast.parse('b').body[0].value.ctx)
print(isinstance(ast.Load(), ast.expr_context), issubclass(ast.Add, ast.AST))

# ---- parse and dump every kind of node ----
SOURCES = [
    "x = 1",
    "a, *b = c = d",
    "x += 1; y @= z; q **= 2",
    "x: int = 5\ny: 'str'\n(z): int",
    "del a, b[1], c.d",
    "@dec\n@dec2(1)\ndef f(a, /, b, c=1, *d, e, f=2, **g) -> R:\n    return",
    "async def f():\n    await x\n    async for i in y: pass\n"
    "    async with a as b, c: pass\n    return [i async for i in z]",
    "class C(A, B, metaclass=M, **kw):\n    '''doc'''\n    x = 1",
    "for i, j in x:\n    continue\nelse:\n    break",
    "while x: pass\nelse: pass",
    "if a: pass\nelif b: pass\nelse: pass",
    "with a as (b, c), d: pass",
    "raise\nraise X\nraise X from Y",
    "try:\n    pass\nexcept E as e:\n    pass\nexcept:\n    pass\n"
    "else:\n    pass\nfinally:\n    pass",
    "try:\n    pass\nexcept* (A, B) as e:\n    pass",
    "assert x, 'm'",
    "import a.b.c as d, e\nfrom . import x\nfrom ..a import (b as c, d)\n"
    "from m import *",
    "def f():\n    global a, b\n    def g():\n        nonlocal c",
    "x and y or not z",
    "(n := 10)",
    "a + b - c * d / e // f % g ** h << i >> j | k ^ l & m @ n",
    "-a, +b, ~c, not d",
    "lambda: 0\nlambda x, *y, z=1, **w: x",
    "a if b else c",
    "{1: 2, **d}\n{1, 2}\n[1, *a]\n(1,)\n()",
    "[x for x in y if x if z]\n{x for x in y}\n{k: v for k, v in d}\n"
    "(x for x in y for z in x)",
    "a < b <= c == d != e > f >= g is h is not i in j not in k",
    "f(a, *b, c=d, **e)",
    "f'{x}' f'{y!r:>{w}.{p}}' 'lit'\nf'{x=}'",
    "x.y.z\nx[1]\nx[1:2]\nx[::3]\nx[1:2, ::3]\nx[a, b]\n*a, = b",
    "(yield)\n(yield x)\n(yield from x)",
    "0x1f, 0o17, 0b101, 1_000, 1e10, 1.5j, 3.14, ..., None, True, False",
    "'a' 'b'\nb'x' b'y'\nu'kind'\n'\\ud800'\n'caf\u00e9 \U0001f600'",
    "match p:\n    case [1, *rest]: pass\n    case {'k': v, **kw} if v: pass\n"
    "    case Point(1, y=_) as pt: pass\n    case None | True | -1 | 1+2j: pass\n"
    "    case 'a' | b'b' | x.y: pass\n    case (a, b, *_): pass\n"
    "    case _: pass",
    "x = 'é'; y = f'é{é}'",
]
for src in SOURCES:
    tree = ast.parse(src)
    print(ast.dump(tree, include_attributes=True))
    print(ast.unparse(tree))
print(ast.dump(ast.parse('1 + 2', mode='eval')))
print(ast.dump(ast.parse('x = 1', mode='single')))
print(ast.dump(ast.parse('(int, str) -> bool', mode='func_type')))
print(ast.dump(ast.parse('x = 1', type_comments=True)))
print(ast.dump(ast.parse('x = 1', feature_version=(3, 8))))

# ---- walk, visitors, helpers ----
tree = ast.parse("def f(x):\n    '''Doc.'''\n    return x + 1\n")
print(sorted(type(n).__name__ for n in ast.walk(tree)))
print(ast.get_docstring(tree.body[0]))


class Names(ast.NodeVisitor):
    def __init__(self):
        self.names = []

    def visit_Name(self, node):
        self.names.append(node.id)
        self.generic_visit(node)


v = Names()
v.visit(ast.parse("a = b + c(d, e=f)"))
print(v.names)

# ---- literal_eval ----
for s in ["1", "-2.5", "1+2j", "'s'", "b'b'", "[1, (2, 3), {4: 5}, {6}]",
          "None", "True", "set()", "(1,)"]:
    print(repr(ast.literal_eval(s)))
try:
    ast.literal_eval("f(x)")
except ValueError as e:
    print('literal_eval bad', str(e).split(' <')[0])

# ---- compile and run parsed and transformed trees ----
ns = {}
exec(compile(ast.parse("def sq(x):\n    return x * x\nr = sq(7)"), 'm', 'exec'),
     ns)
print(ns['r'])
print(eval(compile(ast.parse("[i * 2 for i in range(4)]", mode='eval'),
                   'e', 'eval')))


class AddToMul(ast.NodeTransformer):
    def visit_BinOp(self, node):
        self.generic_visit(node)
        if isinstance(node.op, ast.Add):
            return ast.copy_location(
                ast.BinOp(node.left, ast.Mult(), node.right), node)
        return node


t = AddToMul().visit(ast.parse("r = (2 + 3) + 4", mode='exec'))
ns = {}
exec(compile(t, 'x', 'exec'), ns)
print(ns['r'], ast.unparse(t))

# hand-built trees, including constants the parser never produces
body = [
    ast.Assign([ast.Name('a', ast.Store())], ast.Constant(-5)),
    ast.Assign([ast.Name('b', ast.Store())], ast.Constant((1, 'x', (2.5,)))),
    ast.Assign([ast.Name('c', ast.Store())], ast.Constant(3 - 4j)),
    ast.Assign([ast.Name('d', ast.Store())], ast.Constant(10 ** 30)),
    ast.Assign([ast.Name('e', ast.Store())], ast.Constant('\ud800x')),
    ast.Assign([ast.Name('f', ast.Store())], ast.Constant(b'\x00\xff')),
    ast.Expr(ast.Call(ast.Name('print', ast.Load()),
                      [ast.Name(x, ast.Load()) for x in 'abcdf'], [])),
    ast.Expr(ast.Call(ast.Name('print', ast.Load()),
                      [ast.Call(ast.Name('ascii', ast.Load()),
                                [ast.Name('e', ast.Load())], [])], [])),
]
m = ast.fix_missing_locations(ast.Module(body, []))
exec(compile(m, '<built>', 'exec'), {})
co = compile(ast.fix_missing_locations(
    ast.Expression(ast.BinOp(ast.Constant(6), ast.Mult(), ast.Constant(7)))),
    'e', 'eval')
print(eval(co))
print(type(compile(m, 'f', 'exec', ast.PyCF_ONLY_AST)).__name__)
print(type(compile('1', 'f', 'eval', ast.PyCF_ONLY_AST)).__name__)

# ---- errors for invalid trees ----


def bad(tree, mode='exec'):
    try:
        compile(tree, '<t>', mode)
        print('ok')
    except Exception as e:
        print(type(e).__name__, e)


def fixed(*stmts):
    return ast.fix_missing_locations(ast.Module(list(stmts), []))


def name(n, ctx=ast.Load):
    return ast.Name(n, ctx())


bad(ast.Module(body=1, type_ignores=[]))
bad(ast.Module(type_ignores=[]))
bad(ast.Module(body=[ast.Expr(1)], type_ignores=[]))
bad(ast.Module(body=[5], type_ignores=[]))
bad(ast.Module(body=[None], type_ignores=[]))
bad(ast.Module(body=[ast.Expr(None, lineno=1, col_offset=0)],
               type_ignores=[]))
bad(ast.Module(body=[ast.Expr(lineno=1, col_offset=0)], type_ignores=[]))
bad(ast.Module(body=[ast.Expr(ast.Constant(1), lineno='a', col_offset=0)],
               type_ignores=[]))
bad(fixed(ast.Expr(name('x', ast.Store))))
bad(fixed(ast.Expr(name('None'))))
bad(fixed(ast.FunctionDef('f', ast.arguments([], [], None, [], [], None, []),
                          [], [])))
bad(fixed(ast.Expr(ast.Constant([1]))))
bad(ast.Expression(body=ast.Constant(1)), 'exec')
bad(ast.Module(body=[], type_ignores=[]), 'eval')
bad(ast.parse('x'), 'single')
bad(fixed(ast.Expr(ast.Name(1, ast.Load()))))
bad(fixed(ast.Expr(ast.Name('x', 5))))
bad(fixed(ast.Expr(ast.BinOp(ast.Constant(1), ast.Add, ast.Constant(2)))))
bad(fixed(ast.Expr(ast.Constant(1, kind=3))))
bad(5)
bad(fixed(ast.If(ast.Constant(1), [], [])))
bad(fixed(ast.Assign([name('x')], ast.Constant(1))))
bad(fixed(ast.Assign([], ast.Constant(1))))
bad(fixed(ast.Delete([name('x')])))
bad(fixed(ast.Import([])))
bad(fixed(ast.Try([ast.Pass()], [], [], [])))
bad(fixed(ast.Expr(ast.Compare(name('x'), [], []))))
bad(fixed(ast.Expr(ast.Compare(name('x'), [ast.Lt()], []))))
bad(fixed(ast.Expr(ast.BoolOp(ast.And(), [name('x')]))))
bad(fixed(ast.Assign([ast.Tuple([name('x')], ast.Store())], ast.Constant(1))))
bad(fixed(ast.Expr(ast.Constant(1), lineno=2)))
bad(ast.Module([ast.Pass()]))


def at(lineno, col, end_lineno, end_col):
    const = ast.Constant(1, lineno=1, col_offset=0, end_lineno=1,
                         end_col_offset=1)
    return ast.Module([ast.Expr(const, lineno=lineno, col_offset=col,
                                end_lineno=end_lineno,
                                end_col_offset=end_col)], [])


bad(at(2, 0, 1, 0))
bad(at(1, 5, 1, 2))
bad(at(-1, 0, 1, 2))
bad(at(1, -1, 1, 2))
bad(at(1, 0, None, None))
bad(at(0, 0, 0, 0))
e = ast.Expr(ast.Call(ast.Name('f', ast.Load(), lineno=3, col_offset=4), [],
                      [], lineno=3, col_offset=4), lineno=3, col_offset=4)
print(sorted(set(compile(ast.Module([e], []), 't', 'exec').co_positions()))
      [-1])

# ---- 3.11's validator rules on modified parsed trees ----


def bad_mod(src, mut, mode='exec'):
    t = ast.parse(src, mode=mode)
    mut(t)
    ast.fix_missing_locations(t)
    try:
        compile(t, '<t>', mode)
        print('ok')
    except Exception as e:
        print(type(e).__name__, e)


bad_mod('{1: 2}', lambda t: t.body[0].value.keys.append(ast.Constant(3)))
bad_mod('{1: 2}', lambda t: t.body[0].value.values.append(ast.Constant(3)))
bad_mod('def f(a=1): pass',
        lambda t: t.body[0].args.defaults.append(ast.Constant(3)))
bad_mod('def f(*, a=1): pass',
        lambda t: t.body[0].args.kw_defaults.append(ast.Constant(3)))
bad_mod('def f(*, a=1): pass', lambda t: t.body[0].args.kw_defaults.clear())
bad_mod('raise x from y', lambda t: setattr(t.body[0], 'exc', None))
bad_mod('from . import y', lambda t: setattr(t.body[0], 'level', -1))
bad_mod('(x := 1)',
        lambda t: setattr(t.body[0].value, 'target', ast.Attribute(ast.Name('a', ast.Load()), 'b', ast.Store())))
bad_mod('match x:\n case C(a=1): pass',
        lambda t: t.body[0].cases[0].pattern.kwd_attrs.append('b'))
bad_mod('match x:\n case {1: a}: pass',
        lambda t: t.body[0].cases[0].pattern.keys.append(ast.Constant(2)))
bad_mod('match x:\n case a: pass',
        lambda t: setattr(t.body[0].cases[0].pattern, 'name', '_'))
bad_mod('match x:\n case 1 as a: pass',
        lambda t: setattr(t.body[0].cases[0].pattern, 'name', None))
bad_mod('match x:\n case [1]: pass',
        lambda t: setattr(t.body[0].cases[0], 'pattern', ast.MatchStar('a')))
bad_mod("f'{x}'",
        lambda t: t.body[0].value.values.append(ast.Name('y', ast.Load())))
bad_mod('x', lambda t: setattr(t.body[0].value, 'ctx', ast.Load()))
bad_mod('lambda: 1',
        lambda t: setattr(t.body[0].value.args, 'defaults', [ast.Constant(1)]))
bad_mod('x = 1',
        lambda t: t.body[0].targets.append(ast.Starred(ast.Name('y', ast.Store()), ast.Store())))
bad_mod('x[1]',
        lambda t: setattr(t.body[0].value, 'slice', ast.Slice(ast.Constant(1), None, None, lineno=1, col_offset=0)))
bad_mod('x',
        lambda t: setattr(t.body[0], 'value', ast.Slice(ast.Constant(1), None, None)))
bad_mod('x',
        lambda t: setattr(t.body[0], 'value', ast.Starred(ast.Name('y', ast.Load()), ast.Load())))
bad_mod('x', lambda t: setattr(t.body[0], 'value', ast.Yield(None)))
bad_mod('def f(): pass',
        lambda t: setattr(t.body[0], 'returns', ast.Yield(None)))
bad_mod('async def f(): pass',
        lambda t: t.body[0].body.append(ast.Return(ast.Await(ast.Constant(1)))))
bad_mod('x', lambda t: setattr(t.body[0], 'value', ast.Await(ast.Constant(1))))
bad_mod('x', lambda t: t.body.append(ast.Break()))
bad_mod('x', lambda t: t.body.append(ast.Return(None)))
bad_mod('import x', lambda t: setattr(t.body[0].names[0], 'name', '1bad'))
bad_mod('with a: pass',
        lambda t: setattr(t.body[0].items[0], 'optional_vars', ast.Constant(1)))
bad_mod('for x in y: pass',
        lambda t: setattr(t.body[0], 'target', ast.Constant(1)))
bad_mod('del x',
        lambda t: setattr(t.body[0], 'targets', [ast.Call(ast.Name('f', ast.Load()), [], [])]))
bad_mod('x: int',
        lambda t: setattr(t.body[0], 'target', ast.Tuple([], ast.Store())))
bad_mod('global x', lambda t: t.body[0].names.append('None'))
bad_mod('1', lambda t: setattr(t, 'body', ast.Constant(1, kind='u')), 'eval')
bad_mod('def f(a): pass',
        lambda t: setattr(t.body[0].args.args[0], 'arg', 'None'))
bad_mod('f(a=1)',
        lambda t: setattr(t.body[0].value.keywords[0], 'arg', 'True'))
bad_mod('x.y', lambda t: setattr(t.body[0].value, 'attr', 'None'))
bad_mod('def f(a): pass', lambda t: setattr(t.body[0], 'name', 'None'))
bad_mod('import a', lambda t: setattr(t.body[0].names[0], 'name', 'None'))
bad_mod('import a', lambda t: setattr(t.body[0].names[0], 'asname', 'None'))
bad_mod('class C: pass', lambda t: setattr(t.body[0], 'name', 'False'))
bad_mod('match x:\n case a: pass',
        lambda t: setattr(t.body[0].cases[0].pattern, 'name', 'None'))
bad_mod('match x:\n case C(a=1): pass',
        lambda t: setattr(t.body[0].cases[0].pattern, 'kwd_attrs', ['None']))
bad_mod('try: pass\nexcept E as e: pass',
        lambda t: setattr(t.body[0].handlers[0], 'name', 'None'))
bad_mod('x', lambda t: setattr(t.body[0].value, 'id', 'True'))
bad_mod('x', lambda t: setattr(t.body[0].value, 'id', '__debug__'))
bad_mod('with a as b: pass',
        lambda t: setattr(t.body[0].items[0], 'optional_vars', ast.Constant(1)))
bad_mod('for x in y: pass',
        lambda t: setattr(t.body[0], 'target', ast.Constant(1)))
bad_mod('x: int',
        lambda t: setattr(t.body[0], 'target', ast.Tuple([], ast.Store())))
bad_mod('match x:\n case [1]: pass',
        lambda t: setattr(t.body[0].cases[0], 'pattern', ast.MatchStar('a')))
bad_mod('match x:\n case [1]: pass',
        lambda t: setattr(t.body[0].cases[0], 'pattern', ast.MatchOr([ast.MatchStar('a'), ast.MatchStar('b')])))
bad_mod('match x:\n case [1]: pass',
        lambda t: setattr(t.body[0].cases[0], 'pattern', ast.MatchSequence([ast.MatchOr([ast.MatchStar('a'), ast.MatchStar('b')])])))
bad_mod('match x:\n case [1]: pass',
        lambda t: setattr(t.body[0].cases[0], 'pattern', ast.MatchSequence([ast.MatchStar('a')])))
bad_mod('match x:\n case [1]: pass',
        lambda t: setattr(t.body[0].cases[0], 'pattern', ast.MatchValue(ast.Name('a', ast.Load()))))
bad_mod('match x:\n case [1]: pass',
        lambda t: setattr(t.body[0].cases[0], 'pattern', ast.MatchValue(ast.Constant(None))))
bad_mod('match x:\n case [1]: pass',
        lambda t: setattr(t.body[0].cases[0], 'pattern', ast.MatchSingleton(5)))
bad_mod('match x:\n case [1]: pass',
        lambda t: setattr(t.body[0].cases[0], 'pattern', ast.MatchValue(ast.Constant((1,2)))))
bad_mod('match x:\n case [1]: pass',
        lambda t: setattr(t.body[0].cases[0], 'pattern', ast.MatchOr([ast.MatchAs(None, 'a')])))

bad_mod('x', lambda t: setattr(t.body[0].value, 'id', None))
bad_mod('x', lambda t: setattr(t.body[0].value, 'ctx', None))
bad_mod('x: int', lambda t: setattr(t.body[0], 'simple', None))
bad_mod('from . import x', lambda t: setattr(t.body[0], 'level', None))
bad_mod('from . import x', lambda t: delattr(t.body[0], 'level'))
bad_mod('x + 1', lambda t: setattr(t.body[0].value, 'op', None))
bad_mod('x + 1', lambda t: setattr(t.body[0].value, 'left', None))
bad_mod('x < 1', lambda t: setattr(t.body[0].value, 'ops', [None]))
bad_mod('f(x)', lambda t: setattr(t.body[0].value, 'keywords', [None]))
bad_mod('import x', lambda t: setattr(t.body[0], 'names', [None]))
bad_mod('global x', lambda t: setattr(t.body[0], 'names', [1]))
bad_mod('x', lambda t: setattr(t.body[0].value, 'lineno', None))
bad_mod('x', lambda t: setattr(t.body[0].value, 'lineno', 2**40))
bad_mod('def f(): pass', lambda t: setattr(t.body[0], 'args', None))
bad_mod('def f(): pass', lambda t: setattr(t.body[0], 'args', ast.Pass()))
bad_mod('x = 1', lambda t: setattr(t.body[0], 'type_comment', 5))
bad_mod('x',
        lambda t: setattr(t.body[0], 'value', ast.Constant(value=1, kind=None)))
bad_mod('x', lambda t: setattr(t, 'type_ignores', [ast.TypeIgnore(1, 'x')]))
bad_mod('x', lambda t: setattr(t, 'type_ignores', [ast.TypeIgnore(1, 5)]))

# ---- compile() corner cases ----
ft = ast.parse('(int, str) -> bool', mode='func_type')
show('func_type', lambda: compile(ft, 'f', 'func_type'))
show('only_ast same', lambda: compile(t, 'f', 'exec', ast.PyCF_ONLY_AST) is t)
show('exec ast', lambda: exec(ast.parse('x')))
show('eval ast', lambda: eval(ast.parse('x')))
show('syntax', lambda: ast.parse('x = = 1'))


class My(ast.AST):
    _fields = ('a', 'b')


show('subclass', lambda: (My(1, 2).a, My(1).__dict__))
show('subclass args', lambda: My(1, 2, 3))
S = type('S', (str,), {})
show('str subclass', lambda: compile(fixed(ast.Expr(name(S('x')))), 'f',
                                     'exec'))
show('const subclass', lambda: compile(fixed(ast.Expr(ast.Constant(S('x')))),
                                       'f', 'exec'))
show('kind subclass', lambda: compile(
    fixed(ast.Expr(ast.Constant(1, kind=S('u')))), 'f', 'exec'))
show('lineno bool', lambda: compile(
    ast.Module([ast.Pass(lineno=True, col_offset=0)], []), 'f',
    'exec').co_firstlineno)
show('body tuple', lambda: compile(
    ast.Module((ast.Pass(lineno=1, col_offset=0),), []), 'f', 'exec'))


def value_of(c):
    return eval(compile(ast.fix_missing_locations(ast.Expression(
        ast.Constant(c))), 'f', 'eval'))


for c in (-0.0, complex(-0.0, 2), complex(1.5, -0.0), complex(0.0, -0.0),
          complex(-1, -2), complex(2, 0), complex(-0.0, -0.0), 1e300j,
          -2 ** 70, (-1, (2, -3j), 'x'), True, Ellipsis):
    print(repr(c), repr(value_of(c)))
show('deep', lambda: len(ast.dump(ast.parse('-' * 500 + '1'))))
show('surrogate', lambda: ascii(ast.parse("'\\udc80'").body[0].value.value))
show('kind', lambda: ast.parse("u'x'").body[0].value.kind)

# ---- copying and pickling ----
tree = ast.parse("x = [1, 'two', f(y)]")
for clone in (copy.deepcopy(tree), pickle.loads(pickle.dumps(tree)),
              copy.copy(tree)):
    print(ast.dump(clone, include_attributes=True) ==
          ast.dump(tree, include_attributes=True))
print(ast.Name('x').__reduce__()[1:], ast.Load().__reduce__()[1:])
print(pickle.loads(pickle.dumps(ast.Add())).__class__.__name__)
