def m(x, y):
    match x:
        case 0 | 1 | 2:
            return "small"
        case [a, b, *rest] if a > b:
            return rest
        case [*_, last]:
            return last
        case {"k": v, **kw}:
            return v, kw
        case {"a": 1, "b": [c, d]}:
            return c + d
        case Point(x=0, y=0):
            return "origin"
        case Point(x=px, y=py) | Point3(px, py, _):
            return px, py
        case str() | bytes() as s:
            return s
        case (1, 2) | [3, 4]:
            return 12
        case -1.5 | 2j | -3-4j:
            return "num"
        case None:
            return None
        case A.B.C:
            return "const"
        case [[1, 2], [3, [4, *xs]]]:
            return xs
        case _ if y:
            return y
        case _:
            pass
    match y:
        case [1, *_, 2, 3]:
            pass
        case {}:
            pass
        case []:
            pass
        case (a, b) | (b, a):
            return a, b
        case ((p as q) | (p as q)):
            return p, q
    match x, y:
        case (a, b) if a:
            return a
        case _:
            return b
