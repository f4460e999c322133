# Loads the re package for the test_re_* tests.
#
# While `import re` cannot work in Plait (it needs modules other people
# are still writing), the re package's submodules are loaded under a
# stand-in `re` package that offers the functions the tests use.  Once
# `import re` works this just returns the real module.  Run as a test it
# only checks that loading works.

import sys


def load_re():
    try:
        import re
        return re
    except Exception:
        pass
    for k in [k for k in sys.modules if k == 're' or k.startswith('re.')]:
        del sys.modules[k]
    re = type(sys)('re')
    re.__path__ = ['/usr/lib/python3.11/re']
    re.__package__ = 're'
    sys.modules['re'] = re
    import re._constants as c
    import re._parser as parser
    import re._compiler as compiler
    re.error = c.error
    for n in ('IGNORECASE', 'LOCALE', 'MULTILINE', 'DOTALL', 'UNICODE',
              'VERBOSE', 'DEBUG', 'ASCII'):
        setattr(re, n, getattr(c, 'SRE_FLAG_' + n))
    re.I, re.L, re.M, re.S = re.IGNORECASE, re.LOCALE, re.MULTILINE, re.DOTALL
    re.U, re.X, re.A = re.UNICODE, re.VERBOSE, re.ASCII
    cache = {}

    def compile(p, flags=0):
        if isinstance(p, (str, bytes)):
            k = (type(p), p, flags)
            if k not in cache:
                cache[k] = compiler.compile(p, flags)
            return cache[k]
        return p

    def _subx(pattern, template):
        template = parser.parse_template(template, pattern)
        if not template[0] and len(template[1]) == 1:
            return template[1][0]

        def filter(match, template=template):
            return parser.expand_template(template, match)
        return filter

    def _expand(pattern, match, template):
        template = parser.parse_template(template, pattern)
        return parser.expand_template(template, match)

    re.compile = compile
    re._subx = _subx
    re._expand = _expand
    re.match = lambda p, s, flags=0: compile(p, flags).match(s)
    re.fullmatch = lambda p, s, flags=0: compile(p, flags).fullmatch(s)
    re.search = lambda p, s, flags=0: compile(p, flags).search(s)
    re.sub = lambda p, r, s, count=0, flags=0: compile(p, flags).sub(r, s,
                                                                      count)
    re.subn = lambda p, r, s, count=0, flags=0: compile(p, flags).subn(r, s,
                                                                        count)
    re.split = lambda p, s, maxsplit=0, flags=0: compile(p, flags).split(
        s, maxsplit)
    re.findall = lambda p, s, flags=0: compile(p, flags).findall(s)
    re.finditer = lambda p, s, flags=0: compile(p, flags).finditer(s)
    re.Pattern = type(compile(''))
    re.Match = type(compile('').match(''))
    return re


if __name__ == '__main__':
    load_re()
