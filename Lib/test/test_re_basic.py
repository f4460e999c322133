# The _sre engine through the re module: patterns, flags, Pattern, Match
# and Scanner methods, error cases.  Output compared with CPython 3.11.

import sys
sys.path.insert(0, __file__.rpartition('/')[0])
from test_re_support import load_re

re = load_re()


def show(label, f, *args, **kw):
    try:
        r = f(*args, **kw)
    except Exception as e:
        r = '%s: %s' % (type(e).__name__, e)
    print(label, '->', repr(r))


def m(p, s, flags=0, how='search'):
    r = getattr(re.compile(p, flags), how)(s)
    if r is None:
        return None
    return (r.span(), r.group(), r.groups(), r.lastindex)


# ---------------------------------------------------------------- basics
for p, s in [
    ('a', 'a'), ('a', 'b'), ('abc', 'xxabcxx'), ('a.c', 'abc'),
    ('a.c', 'a\nc'), ('a*', 'aaa'), ('a*', 'baaa'), ('a+', 'baaa'),
    ('a?b', 'ab'), ('a{2,3}', 'aaaa'), ('a{2,3}?', 'aaaa'),
    ('a{2}', 'a'), ('a{,2}', 'aaa'), ('(a)(b)?', 'ac'), ('(a|ab)(c|bcd)', 'abcd'),
    ('x*?y', 'xxxy'), ('(a+)+b', 'aaab'), ('(a*)*b', 'b'), ('(a*)+b', 'ab'),
    ('(?:ab)*c', 'ababc'), ('(ab|a)*?b', 'aab'), ('[abc]+', 'xcbad'),
    ('[^abc]+', 'abxyzc'), ('[a-f0-9]+', 'zz09afg'), ('[-a]', '-'),
    ('[\\]]', ']'), ('\\d+', 'ab123c'), ('\\D+', '12ab3'), ('\\s+', 'a \t\nb'),
    ('\\S+', '  ab '), ('\\w+', '!hello_1!'), ('\\W+', 'ab!?cd'),
    ('^abc$', 'abc'), ('^b', 'ab'), ('a$', 'a\n'), ('a\\Z', 'a\n'),
    ('\\Aa', 'ba'), ('\\bfoo\\b', 'a foo b'), ('\\Bfoo', 'afoo'),
    ('\\bfoo', 'afoo'), ('(a)\\1', 'aa'), ('(a)\\1', 'ab'),
    ('(?P<x>a+)(?P=x)', 'aaaa'), ('(a)?(?(1)b|c)', 'ab'),
    ('(a)?(?(1)b|c)', 'c'), ('(a)?(?(1)b)', 'xb'), ('(?=a)a', 'a'),
    ('(?!a)\\w', 'ab'), ('(?<=a)b', 'ab'), ('(?<!a)b', 'ab'),
    ('(?<!a)b', 'cb'), ('(?<=ab)c', 'abc'), ('(?<=(a))b', 'ab'),
    ('(?=(a+))a*b\\1', 'baaabac'), ('(?>a+)b', 'aaab'), ('(?>a+)a', 'aaa'),
    ('a++b', 'aaab'), ('a++a', 'aaa'), ('a*+', 'aaa'), ('a?+a', 'a'),
    ('(?:ab)++c', 'ababc'), ('(?:ab)++ab', 'abab'), ('(?:a|b)*+b', 'ab'),
    ('a{1,2}+a', 'aa'), ('(?:a{2})*+', 'aaaaa'), ('x(?:a|bc)*+', 'xabcaz'),
    ('(a|b)*', 'abba'), ('(a|b)*?c', 'abbac'), ('((a)|b)+', 'ab'),
    ('(a)|b', 'b'), ('((a)b)', 'ab'), ('(?:(a)|b)*', 'ab'),
    ('(?:x(a)?)*', 'xax'), ('()', ''), ('(|a)*', 'aa'), ('(a|)*', 'aa'),
    ('(?:a*)*', 'b'), ('(?:a*?)*?', 'a'), ('(a*?)*', 'aa'),
    ('(?s).+', 'a\nb'), ('(?m)^b$', 'a\nb\nc'), ('(?m)a$', 'a\nb'),
    ('(?x) a b # c', 'ab'), ('(?i)abc', 'ABC'), ('(?i)[a-c]+', 'xAbCd'),
    ('(?i)[^a]', 'A'), ('(?i)(a)\\1', 'aA'), ('\\x41', 'A'), ('\\u00e9', 'é'),
    ('[\\u0400-\\u04ff]+', 'abc\u0436\u0437d'), ('.', '\U0001f600'),
    ('\\w+', 'caf\u00e9 \u00fcber'), ('\\d+', '\u0661\u0662'),
    ('(?a)\\w+', 'caf\u00e9'), ('(?a)\\d', '\u0661'),
    ('(?i)\u00df', '\u1e9e'), ('(?i)s', '\u017f'), ('(?i)k', '\u212a'),
    ('(?i)\u03c3+', '\u03a3\u03c3\u03c2'), ('(?i)[\u03c3]+', '\u03a3\u03c3\u03c2'),
    ('(?i)\U00010400', '\U00010428'), ('(?i)[\U00010400-\U00010410]+', '\U00010428\U00010400'),
    ('(?i)[^\U00010400]', '\U00010428'), ('[\U0001f600-\U0001f64f]+', 'x\U0001f601\U0001f602'),
    ('\\s', '\u2003'), ('(?a)\\s', '\u2003'), ('[\\w\u2003]+', 'a\u2003b'),
    ('[^\\W\\d]+', 'ab12'), ('[\\s\\d]+', ' 1 2x'), ('\\Bx\\B', 'axb'),
    ('(?u)\\b\u00e9', ' \u00e9'), ('a|b|c', 'xxc'), ('ab|ac|ad', 'ad'),
    ('(?:a|b)(?:c|d)', 'bd'), ('x(?#comment)y', 'xy'),
    ('(a)(?=(b))', 'ab'), ('(?!(a)b)', 'ac'), ('\\.', 'a.'), ('[.]', 'a.'),
    ('a{3,}', 'aaaaaa'), ('a{0}b', 'b'), ('(?:)', 'x'), ('$', 'abc'),
    ('a[^\\n]*', 'abc\nd'),
]:
    show('search %r %r' % (p, s), m, p, s)

for p, s in [('a+', 'aaa'), ('a+', 'aab'), ('a|ab', 'ab'), ('(a*?)b*', 'ab'),
             ('a*?', 'aaa'), ('', ''), ('x+?', 'xx')]:
    show('fullmatch %r %r' % (p, s), m, p, s, 0, 'fullmatch')

for p, s in [('a+', 'baa'), ('b|a', 'ab'), ('(?=b)', 'ab')]:
    show('match %r %r' % (p, s), m, p, s, 0, 'match')

# ---------------------------------------------------------------- flags
for p, flags, s in [
    ('abc', re.I, 'xABC'), ('^x', re.M, 'a\nx'), ('a.b', re.S, 'a\nb'),
    ('a b', re.X, 'ab'), ('\\w+', re.A, 'h\u00e9'), ('[a-z]+', re.I | re.A, 'HeLLo'),
    ('\u00e9', re.I, '\u00c9'), ('\u00e9', re.I | re.A, '\u00c9'),
    ('a$', re.M, 'a\nb'), ('\\Z', re.M, 'a\n'), ('[\u00e0-\u00ff]+', re.I, '\u00c0\u00c9'),
]:
    show('flags %r %d %r' % (p, flags, s), m, p, s, flags)

# ---------------------------------------------------------------- bytes
for p, s in [(b'a+', b'baa'), (b'\\w+', b'ab\xe9c'), (b'(?i)ABC', b'abc'),
             (b'[\\x80-\\xff]+', b'a\x81\x82b'), (b'\\d', b'x5'),
             (b'(?L)\\w+', b'abc'), (b'(?i)\xe9', b'\xc9'), (b'.', b'\n'),
             (b'(a)\\1', b'aa'), (b'\\s+', b'a \x0b\x0cb')]:
    show('bytes %r %r' % (p, s), m, p, s)
show('bytearray', lambda: re.search(b'b+', bytearray(b'abbc')).group())
show('bytearray span', lambda: re.search(b'b+', bytearray(b'abbc')).span())
show('bytearray sub', lambda: re.sub(b'b', b'x', bytearray(b'abbc')))
show('bytearray split', lambda: re.split(b'b', bytearray(b'abbc')))
show('bytearray findall', lambda: re.findall(b'[ab]', bytearray(b'abbc')))

# ---------------------------------------------------------------- methods
P = re.compile(r'(?P<first>\w+) (?P<last>\w+)(?: (\d+))?')
mm = P.search('-- John Smith 42 --')
show('group()', mm.group)
show('group(0,1,2,3)', mm.group, 0, 1, 2, 3)
show('group(name)', mm.group, 'last')
show('group multi', mm.group, 'first', 'last')
show('getitem', lambda: (mm[0], mm[1], mm['last'], mm[3]))
show('groups', mm.groups)
show('groupdict', mm.groupdict)
show('start/end/span', lambda: (mm.start(), mm.end(), mm.span(2),
                                mm.start('last'), mm.end(3)))
show('regs', lambda: mm.regs)
show('lastindex/lastgroup', lambda: (mm.lastindex, mm.lastgroup))
show('string/re/pos/endpos', lambda: (mm.string, mm.re is P, mm.pos, mm.endpos))
show('expand', mm.expand, r'\2, \g<first> (\g<3>)')
show('repr', repr, mm)
mm2 = P.search('Jane Doe')
show('groups default', mm2.groups, 'x')
show('groupdict default', mm2.groupdict, '?')
show('span unmatched', mm2.span, 3)
show('lastindex2', lambda: (mm2.lastindex, mm2.lastgroup))
show('group bad', mm.group, 4)
show('group bad name', mm.group, 'nope')
show('group neg', mm.group, -1)
show('start bad', mm.start, 9)
show('copy', lambda: (mm.__copy__() is mm, mm.__deepcopy__({}) is mm))
show('long repr', lambda: repr(re.search('x+', 'x' * 100)))
show('lastgroup unnamed', lambda: re.match('(a)(?P<n>b)(c)', 'abc').lastgroup)
show('lastgroup named', lambda: re.match('(a)(?P<n>b)', 'abc').lastgroup)
show('lastindex none', lambda: re.match('a', 'a').lastindex)
show('bool match', lambda: bool(re.match('', '')))

show('pattern attrs', lambda: (P.pattern, P.flags, P.groups, dict(P.groupindex)))
show('pattern repr', repr, P)
show('repr flags', repr, re.compile('a', re.I | re.M | re.S))
show('repr ascii', repr, re.compile('a', re.A))
show('repr bytes', repr, re.compile(b'a', re.I))
show('repr long', lambda: repr(re.compile('a' * 300)))
show('repr verbose', repr, re.compile('a', re.X | re.DEBUG & 0))
show('eq', lambda: re.compile('a+') == re.compile('a+'))
show('ne flags', lambda: re.compile('a+') == re.compile('a+', re.I))
show('ne str/bytes', lambda: re.compile('a') == re.compile(b'a'))
show('hash eq', lambda: hash(re.compile('ab')) == hash(re.compile('ab')))
show('pattern copy', lambda: P.__copy__() is P and P.__deepcopy__({}) is P)
show('groupindex ro', lambda: P.groupindex.__setitem__('x', 1))

# findall / finditer / split / sub
show('findall', re.findall, r'\d+', 'a1b22c333')
show('findall 1 group', re.findall, r'(\w)=(\d)?', 'a=1 b= c=3')
show('findall group', re.findall, r'(\w)\d', 'a1 b2 cc')
show('findall empty', re.findall, r'x*', 'axxb')
show('findall pos', lambda: re.compile(r'\w').findall('abcdef', 2, 4))
show('finditer', lambda: [x.span() for x in re.finditer(r'\w+', 'ab cd  e')])
show('finditer empty', lambda: [x.span() for x in re.finditer(r'\b', 'ab cd')])
show('split', re.split, r',\s*', 'a, b,c,  d')
show('split groups', re.split, r'(,)(x)?', 'a,b,xc')
show('split max', re.split, r',', 'a,b,c,d', 2)
show('split neg max', re.split, r',', 'a,b', -1)
show('split empty', re.split, r'\b', 'ab cd')
show('split x*', re.split, r'x*', 'axbc')
show('sub', re.sub, r'\d', '#', 'a1b2c3')
show('sub count', re.sub, r'\d', '#', 'a1b2c3', 2)
show('sub template', re.sub, r'(\w)(\d)', r'\2\1', 'a1 b2')
show('sub named', re.sub, r'(?P<c>\w)', r'<\g<c>>', 'ab')
show('sub g0', re.sub, r'b+', r'[\g<0>]', 'abbbc')
show('sub escapes', re.sub, r'b', r'\n\t\\', 'abc')
show('sub callable', re.sub, r'\d+', lambda x: str(int(x.group()) * 2), 'a1b22')
show('sub callable none', re.sub, r'\d', lambda x: None, 'a1b2')
show('sub empty', re.sub, r'x*', '-', 'abxd')
show('sub bytes', re.sub, rb'(a)', rb'<\1>', b'banana')
show('subn', re.subn, r'a', 'o', 'banana')
show('subn count', re.subn, r'a', 'o', 'banana', 2)
show('sub neg count', re.sub, r'a', 'o', 'banana', -1)
show('sub unmatched group', re.sub, r'(a)|b', r'[\1]', 'ab')
show('sub bad group', re.sub, r'(a)', r'\2', 'a')
show('sub bad escape', re.sub, r'a', r'\q', 'a')
show('sub wrong type', re.sub, r'a', b'x', 'a')
show('sub callable bad', re.sub, r'a', lambda x: 1, 'a')
show('sub no match', re.sub, 'z', 'y', 'abc')
show('expand bytes', lambda: re.match(rb'(a)', b'a').expand(rb'\1\1'))

# pos / endpos
C = re.compile(r'\w+')
show('pos', lambda: C.search('ab cd', 2).span())
show('endpos', lambda: C.search('abcd', 0, 2).span())
show('pos>endpos', lambda: C.search('abcd', 3, 1))
show('neg pos', lambda: C.match('abcd', -5).span())
show('big endpos', lambda: C.match('abcd', 1, 100).span())
show('match pos', lambda: re.compile('^b').search('ab', 1))
show('match pos2', lambda: re.compile('b').match('ab', 1).span())
show('lookbehind pos', lambda: re.compile('(?<=a)b').search('ab', 1).span())
show('dollar endpos', lambda: re.compile('b$').search('abc', 0, 2).span())
show('fullmatch endpos', lambda: re.compile('ab').fullmatch('abc', 0, 2).span())
show('pos endpos attrs', lambda: (C.search('abcd', 1, 3).pos, C.search('abcd', 1, 3).endpos))
show('kw args', lambda: C.search(string='xx yy', pos=2).group())

# scanner
sc = re.compile(r'\d+|[a-z]+|\s*').scanner('ab 12c')
show('scanner', lambda: [x.group() for x in iter(sc.match, None)])
sc = re.compile(r'\d').scanner('a1b2')
show('scanner search', lambda: (sc.search().group(), sc.search().group(), sc.search(), sc.search()))
show('scanner pattern', lambda: re.compile('x').scanner('').pattern.pattern)

# errors
Pa = re.compile('a')
show('int subject', Pa.match, 1)
show('none subject', Pa.search, None)
show('str on bytes', Pa.match, b'a')
show('bytes on str', re.compile(b'a').match, 'a')
show('findall int', Pa.findall, 2.5)
show('missing arg', Pa.match)
show('bad pos', Pa.match, 'a', 'x')
show('sub subject', Pa.sub, 'x', 3)
show('parse error', re.compile, 'a(')
show('lookbehind error', re.compile, '(?<=a+)b')
show('nothing to repeat', re.compile, '*a')
show('split bytes on str', re.compile(b'x').split, 'axb')

# depth and size
show('deep alt', lambda: re.match('(a|b)*', 'ab' * 100000).end())
show('deep lazy', lambda: re.match('(?:a|b)*?c', 'ab' * 50000 + 'c').end())
show('deep group rep', lambda: re.match('(?:(a)|b)+$', 'ab' * 50000).span(1))
show('deep possessive', lambda: re.match('(?:ab)++', 'ab' * 100000).end())
show('deep atomic', lambda: re.match('(?>(?:a|b)*)c', 'ab' * 50000 + 'c').end())
show('deep lookahead', lambda: re.match('(?=(?:a|b)*c)', 'ab' * 50000 + 'c').span())
show('big str', lambda: len(re.findall('x', 'ax' * 100000)))
show('ucs2', lambda: re.search('\u0436+', 'a\u0436\u0436b' * 3).span())
show('ucs4 sub', lambda: re.sub('\U0001f600', 'x', 'a\U0001f600b'))
show('ucs4 subject ascii pattern', lambda: re.findall('[a-c]', 'a\U0001f600bd'))
show('backtrack many', lambda: re.match('(a*)*b', 'a' * 20))
show('maxrepeat', lambda: re.match('a{3,4294967294}', 'aaaa').span())

# ---------------------------------------------------------------- odd corners
mm = re.match('(a)(b)?', 'ab')
show('slice idx', lambda: mm[0:1])
show('float idx', lambda: mm[1.0])
show('bool idx', lambda: mm[True])
show('big idx', lambda: mm[2**100])
show('neg big', lambda: mm.group(-2**100))
show('list idx', lambda: mm[[1]])
show('none idx', lambda: mm.group(None))
show('start none', lambda: mm.start(None))
show('span 2 args', lambda: mm.span(1, 2))
show('groups kw', lambda: mm.groups(default='x'))
show('groups bad kw', lambda: mm.groups(foo=1))
show('match kw bad', lambda: re.compile('a').match('a', foo=1))
show('match too many', lambda: re.compile('a').match('a', 0, 1, 2))
show('sub too few', lambda: re.compile('a').sub('a'))
show('split kw', lambda: re.compile(',').split('a,b', maxsplit=1))
show('pattern eq other', lambda: re.compile('a') == 'a')
show('pattern lt', lambda: re.compile('a') < re.compile('b'))
show('scanner args', lambda: re.compile('a').scanner('aa', 1).match().span())
show('expand bad', lambda: mm.expand(r'\3'))
show('expand type', lambda: mm.expand(3))
show('sub repl int', lambda: re.sub('a', 3, 'a'))
show('sub repl None', lambda: re.sub('a', None, 'a'))
show('findall bytes groups', lambda: re.findall(rb'(a)|(b)', b'ab'))
show('sub bytearray repl', lambda: re.sub(b'a', bytearray(b'x'), b'aa'))
show('sub memview-less', lambda: re.compile(b'a').sub(b'\\g<0>\\g<0>', b'a'))
show('lookbehind start', lambda: re.compile(r'(?<=\w)b').search('ab', 1))
show('wordb pos', lambda: re.compile(r'\bb').search('ab', 1))
show('empty subject boundary', lambda: re.search(r'\b', ''))
show('nonb empty', lambda: re.search(r'\B', ''))
show('endpos boundary', lambda: re.compile(r'a\b').search('ab', 0, 1))
show('dollar nl', lambda: re.search('a$', 'a\n\n'))
show('Z nl', lambda: re.search(r'a\Z', 'a\n'))
show('group 0 name', lambda: re.match('(?P<n>a)', 'a').group(0, 'n', 1))
show('str subclass', lambda: type(re.match('a', type('S', (str,), {})('a')).group()))
show('str subclass string', lambda: type(re.match('a', type('S', (str,), {})('a')).string))
show('bytes subclass', lambda: type(re.match(b'a', type('B', (bytes,), {})(b'a')).group()))
show('locale str', lambda: re.compile('a', re.L))
show('unicode bytes', lambda: re.compile(b'a', re.U))
show('repr flags str', lambda: repr(re.compile('a', re.U)))
show('repr flags bytes L', lambda: repr(re.compile(b'a', re.L | re.I)))
show('repr unknown flag', lambda: repr(re.compile('a', 1 << 12)))
show('repr flags A|U', lambda: repr(re.compile('(?a)a')))
show('regs unmatched', lambda: re.match('(a)|(b)', 'b').regs)
show('lastindex nested', lambda: re.match('((a)(b))', 'ab').lastindex)
show('lastindex alt', lambda: re.match('(a)|(b)', 'b').lastindex)
show('repr match bytes', lambda: repr(re.match(b'a+', b'aaa')))
show('repr match long', lambda: repr(re.match('.+', 'y' * 80)))
show('findall pos', lambda: re.compile('a').findall('aaaa', 1, 3))
show('finditer endpos', lambda: [m.span() for m in re.compile('a').finditer('aaaa', 1, 3)])
show('fullmatch pos', lambda: re.compile('a+').fullmatch('baab', 1, 3).span())
show('sub empty matches', lambda: re.sub('', '-', 'abc'))
show('sub x* empty', lambda: re.sub('x*', '-', 'abxd'))
show('split empty', lambda: re.split('', 'abc'))
show('subn callable count', lambda: re.subn('a', lambda m: 'b', 'aaa', 2))
show('split maxsplit groups', lambda: re.split('(a)(x)?', 'bab', 1))
show('class_getitem match', lambda: re.Match[str].__args__)
show('ignorecase backref uni', lambda: re.match(r'(?i)(\u017f)\1', '\u017fs'))
show('ignorecase backref', lambda: re.match(r'(?i)(ab)\1', 'abAB').span())
show('loc backref', lambda: re.match(rb'(?Li)(ab)\1', b'abAB').span())
show('loc literal', lambda: re.match(rb'(?Li)a[b-c]', b'AC').span())
show('big repeat', lambda: re.match('(?:a{2}){3,}', 'a' * 9).span())
show('min until', lambda: re.match('(?:ab)*?c', 'ababc').span())
show('min until none', lambda: re.match('(?:ab){2,3}?', 'ababab').span())

# ---------------------------------------------------------------- group marks
# Marks written on a path that failed stay visible in some places, exactly
# as in CPython's engine (which this one reproduces).
for p, s in [
 (r'(x()a*(?(1)d|a))d', 'xaaadd'), (r'(x()a*(?(1)d|a))e', 'xaaaae'), (r'(x()a*?(?(1)d|a))e', 'xaaaae'),
 (r'(x()a*(?(1)d|a)e)', 'xaaaade'), (r'(x()a*?(?(1)a|a)e)', 'xaaae'),
 (r'(?:(x()a*(?(1)d|a))e)+', 'xaaaaexaae'), (r'(?:(x()a*?(?(1)d|a))e)+', 'xaaaaexaae'),
 (r'(?:(x()a*(?(1)d|a)e)){2}', 'xaaadexaade'), (r'(x()(?:aa)*?(?(1)d|a))e', 'xaaaae'),
 (r'(x()(?:aa)*?(?(1)d|a))e', 'xaaaaae'), (r'(x()(?:a|b)*?(?(1)d|a))e', 'xaaaae'),
 (r'(?:(x()(?:a|b)*?(?(1)d|a))e)+', 'xaaaaexaaae'), (r'(?:(x()(?:aa)*?(?(1)d|a))e)*', 'xaaaaaexaaaae'),
 (r'(x()(?:aa)*?(?(1)d|a))', 'xaaaaa'), (r'(x()(?:aa)*?(?(1)d|a)e)', 'xaaaaade'),
 (r'(x()(?:aa)*?(?(1)d|a)e)', 'xaaade'),(r'(x()a*?(?(1)d|a)e)', 'xaaade'), (r'(x()a*(?(1)d|a)e)', 'xaaade'),
 (r'(?:(x()a*?(?(1)d|a)e)|.)+', 'xaaadexade'), (r'(?:(x()a*(?(1)d|a)e)|.)+', 'xaaadexade'),
 (r'(?:(x()(?:aa)*?(?(1)d|a)e)|.)+', 'xaaadexaaaade'),
    (r'(((?<!\w)|(?(1)\d|\w)))', 'xax'), (r'(?:([ab])|(?>$)){1,2}+', ' \ncc b\n'),
    (r'(?:([ab])|$){1,2}', ' \ncc b\n'), (r'(?:([^a]))*+', ' xaacb'),
    (r'(?:(?:(\d|\w))++)+', 'ca'), (r'x|(?:((?i:A))){1,2}+|(?:[ab]){1,3}', 'axcxxccx'),
    (r'(?:(?:(?=\w))*?|(?:([ab])){1,2}+)+', 'b a\nax'),
]:
    c = re.compile(p)
    for how in ('match', 'search'):
        mo = getattr(c, how)(s)
        print(p, repr(s), how, None if mo is None else (mo.regs, mo.lastindex))
    print('  findall', c.findall(s), 'sub', repr(c.sub('-', s)))

# identity: nothing replaced gives the subject back; a whole-str group too
S = 'abc' * 3
B = b'abc' * 3
show('sub identity', lambda: (re.sub('z', 'y', S) is S, re.sub(b'z', b'y', B) is B,
                              re.match('.*', S).group() is S,
                              re.match(b'.*', B).group() is B))
show('finditer type', lambda: type(re.finditer('a', 'a')).__name__)
show('groupindex', lambda: re.compile('(?P<a>x)(?P<b>y)').groupindex)

# module helpers
import _sre
show('_sre consts', lambda: (_sre.MAGIC, _sre.CODESIZE, _sre.MAXREPEAT,
                             _sre.MAXGROUPS, _sre.getcodesize()))
show('_sre case', lambda: (_sre.ascii_iscased(ord('a')), _sre.ascii_iscased(0xe9),
                           _sre.unicode_iscased(0xe9), _sre.unicode_iscased(ord('1')),
                           _sre.ascii_tolower(ord('A')), _sre.ascii_tolower(0xc9),
                           _sre.unicode_tolower(0xc9), _sre.unicode_tolower(0x130),
                           _sre.unicode_iscased(0xdf)))
show('type names', lambda: (re.Pattern.__name__, re.Match.__name__,
                            re.Pattern.__module__, re.Match.__module__))
show('class_getitem', lambda: re.Pattern[str] is not None)
show('no new', re.Pattern)
