# unicodedata: properties, names, lookup (aliases, named sequences),
# normalization, error messages, and the ucd_3_2_0 object.
import unicodedata as u


def show(label, f, *args):
    try:
        r = f(*args)
    except Exception as e:
        print(label, type(e).__name__, e)
    else:
        print(label, ascii(r))


print(u.unidata_version, u.ucd_3_2_0.unidata_version)
print(type(u.ucd_3_2_0).__name__, u.UCD, isinstance(u.ucd_3_2_0, u.UCD))
names = [n for n in dir(u) if not n.startswith('__') and n != '_ucnhash_CAPI']
print(names)
print([n for n in dir(u.UCD) if not n.startswith('__')])

chars = ['a', 'A', '1', '\u00bd', '\u0665', '\u00e9', '\u0301', '\u00c5',
         '\u212b', '\uac00', '\u4e00', '\U0001f600', '\u2460', ' ', '\x00',
         '(', '\u05d0', '\ufb01', '\u0221', '\U00020000', '\u00b2', '\u3000']
for ch in chars:
    print(ascii(ch), u.category(ch), u.bidirectional(ch), u.combining(ch),
          u.east_asian_width(ch), u.mirrored(ch), ascii(u.decomposition(ch)),
          u.decimal(ch, None), u.digit(ch, None), u.numeric(ch, None),
          u.name(ch, None))
    r = u.ucd_3_2_0
    print('  3.2.0', r.category(ch), r.bidirectional(ch), r.combining(ch),
          r.east_asian_width(ch), r.mirrored(ch), ascii(r.decomposition(ch)),
          r.decimal(ch, None), r.numeric(ch, None), r.name(ch, None))

for name in ['LATIN SMALL LETTER A', 'latin small letter a',
             'HANGUL SYLLABLE GA', 'CJK UNIFIED IDEOGRAPH-4E00',
             'LATIN CAPITAL LETTER GHA',       # alias
             'LATIN CAPITAL LETTER A WITH MACRON AND GRAVE',   # sequence
             'NO SUCH THING', 'x' * 300]:
    show('lookup', u.lookup, name)
show('lookup bytes', u.lookup, b'DIGIT ONE')
show('3.2.0 lookup', u.ucd_3_2_0.lookup, 'LATIN SMALL LETTER A')

for form in ['NFC', 'NFD', 'NFKC', 'NFKD']:
    for s in ['\u00e9', 'e\u0301', '\ufb01', '\u212b', '\uac00',
              '\u1100\u1161\u11a8', 'abc', '', '\u1e9b\u0323']:
        n = u.normalize(form, s)
        print(form, ascii(s), ascii(n), u.is_normalized(form, s),
              u.is_normalized(form, n),
              ascii(u.ucd_3_2_0.normalize(form, s)))

show('name', u.name, '\U000e0000')
show('decimal', u.decimal, 'a')
show('digit', u.digit, 'a')
show('numeric', u.numeric, 'a')
show('name2', u.name, 'ab')
show('name3', u.name, 1)
show('cat', u.category, 'ab')
show('cat0', u.category)
show('norm', u.normalize, 'X', 'a')
show('norm2', u.normalize, 'NFC')
show('norm3', u.normalize, 'NFC', 1)
show('lookup int', u.lookup, 1)
show('UCD()', u.UCD)
show('ucd cat0', u.ucd_3_2_0.category)
show('ucd name0', u.ucd_3_2_0.name)
